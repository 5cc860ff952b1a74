//! The live subset for preview frames: face found, distance (too far / too close), centring,
//! tilt, exposure, light balance and sharpness — from the face detector alone (no mesh, no
//! matte) so that a 1280×720 frame is judged in a few milliseconds and the booth's hints keep
//! up with the camera. The same [`Finding`]s and words as the full check.

use image::RgbImage;

use super::measure::{self, PixelBox, Plane};
use super::{Code, Finding, Limit, NotChecked, Report, Room, Unit};
use crate::imaging::{
    CROWN_PER_EYE_TO_CHIN, CropConflict, FaceBox, HeadGeometry, HeadTopSource, INVENTED_TOLERANCE_PX, ModelError,
    Pipeline, Point, plan_crop,
};
use crate::profile::PhotoSpec;

/// Cheek-to-cheek face width per detector box width (BlazeFace boxes are a little wider
/// than the cheeks: 0.94–0.96 on the test portraits).
const FACE_WIDTH_PER_BOX: f32 = 0.95;
/// How far the face may sit from the frame's centre line, as a share of the frame width,
/// before the operator is told to re-centre (the silhouette guide is drawn in the middle).
const CENTRE_TOLERANCE_OF_FRAME: f32 = 0.08;
const CLIPPED_LUMA: f32 = 250.0;

/// What the live hints are drawn from: the report and the face it is about.
#[derive(Clone, Debug)]
pub struct LiveCheck {
    /// The findings (live codes only).
    pub report: Report,
    /// The face judged, in frame pixels.
    pub face: Option<FaceBox>,
    /// Output pixels per frame pixel the crop would use.
    pub predicted_scale: Option<f32>,
    /// Where the photo would be cut from the frame: top-left and bottom-right, frame pixels.
    pub crop_in_frame: Option<[crate::imaging::Point; 2]>,
}

/// Judges one preview frame.
pub fn check_frame(pipeline: &mut Pipeline, frame: &RgbImage, spec: &PhotoSpec) -> Result<LiveCheck, ModelError> {
    let mut faces = pipeline.detect(frame)?;
    faces.sort_by(|a, b| b.box_in_frame.width.total_cmp(&a.box_in_frame.width));
    let Some(face) = faces.first().cloned() else {
        let why = NotChecked::NoFace;
        let mut findings = vec![Finding::plain(Code::FaceMissing, super::Verdict::Fail, Some(super::Side::High))];
        findings.extend(LIVE_FACE_CODES.iter().map(|&c| Finding::skipped(c, why.clone())));
        return Ok(LiveCheck {
            report: Report::new(&spec.id, findings),
            face: None,
            predicted_scale: None,
            crop_in_frame: None,
        });
    };
    let c = &spec.checks;
    let g = &spec.geometry;
    let b = face.box_in_frame;
    let fw = frame.width() as f32;
    let eye = face.right_eye().midpoint(face.left_eye());
    let roll = (face.left_eye().y - face.right_eye().y).atan2(face.left_eye().x - face.right_eye().x).to_degrees();

    // Where the photo's frame would fall: the very crop plan standardize makes, from the head
    // as the detector sees it, so the hint says before the shutter what the shot would refuse.
    let eye_to_chin = (b.y + b.height - eye.y).max(1.0);
    let head = HeadGeometry {
        eye_mid_in_frame: eye,
        roll_deg: 0.0,
        face_width_px: FACE_WIDTH_PER_BOX * b.width,
        face_mid_offset_px: 0.0,
        eye_to_chin_px: eye_to_chin,
        // The mesh's head-top proportion, here from the detector's box (its bottom ≈ chin).
        crown_above_eye_px: CROWN_PER_EYE_TO_CHIN * eye_to_chin,
        head_top_source: HeadTopSource::Landmarks,
    };
    let size = (spec.output.width_px, spec.output.height_px);
    let plan = plan_crop(&head, g, size, frame.dimensions());
    let scale = plan.scale;
    let beyond_bottom = match plan.conflict {
        Some(CropConflict::BeyondFrame { shortfall_px, .. }) => shortfall_px,
        _ => 0.0,
    };
    let beyond_top = (head.crown_above_eye_px - eye.y).max(0.0);
    let too_close = too_close_finding(beyond_bottom, beyond_top, scale);

    let seconds =
        faces[1..].iter().filter(|f| f.box_in_frame.width / b.width >= c.second_face_min_relative_width).count();

    let y = Plane::luma_of(frame);
    let inner = PixelBox { x0: b.x + 0.2 * b.width, y0: eye.y, x1: b.x + 0.8 * b.width, y1: b.y + 0.85 * b.height };
    let skin = y.values_in(&[inner]);
    let third = 0.2 * b.width;
    let halves = [
        PixelBox { x0: b.x + 0.15 * b.width, x1: b.x + 0.15 * b.width + third, ..inner },
        PixelBox { x0: b.x + 0.85 * b.width - third, x1: b.x + 0.85 * b.width, ..inner },
    ]
    .map(|h| measure::mean(&y.values_in(&[h])));

    let mut findings = vec![
        Finding::plain(Code::FaceMissing, super::Verdict::Pass, None),
        Finding::judge(Code::FaceMultiple, 1.0 + seconds as f32, Limit::Max(1.0), Unit::Count),
        Finding::judge(Code::SourceResolution, scale, Limit::Max(c.source_upscale_warn), Unit::Ratio),
        too_close,
        Finding::judge(
            Code::FaceOffCenter,
            (eye.x - fw / 2.0).abs(),
            Limit::Max(CENTRE_TOLERANCE_OF_FRAME * fw),
            Unit::Px,
        ),
        Finding::judge(Code::Roll, roll.abs(), Limit::Max(spec.pose.max_roll_deg), Unit::Deg),
    ];
    if let Some(mean) = measure::mean(&skin) {
        let clipped = skin.iter().filter(|&&v| v >= CLIPPED_LUMA).count() as f32 / skin.len() as f32;
        findings.push(Finding::judge(Code::FaceUnderexposed, mean, Limit::Min(c.face_luma_min), Unit::Luma));
        findings.push(Finding::judge(
            Code::FaceOverexposed,
            clipped,
            Limit::Max(c.face_clipped_max_fraction),
            Unit::Fraction,
        ));
    }
    if let [Some(l), Some(r)] = halves {
        let balance = l.min(r) / l.max(r).max(1.0);
        findings.push(Finding::judge(Code::LightingUneven, balance, Limit::Min(c.lighting_balance_min), Unit::Ratio));
    }
    // Edge width in the photo's pixels: the frame's, enlarged by the crop's scale.
    if let Some(width) = measure::edge_width_px(&y, inner) {
        findings.push(Finding::judge(Code::Blur, width * scale, Limit::Max(c.edge_width_max_px), Unit::Px));
    }
    let corners = plan.crop_corners_in_frame;
    let (xs, ys) = (corners.map(|p| p.x), corners.map(|p| p.y));
    let min = |v: [f32; 4]| v.into_iter().fold(f32::INFINITY, f32::min);
    let max = |v: [f32; 4]| v.into_iter().fold(f32::NEG_INFINITY, f32::max);
    let crop = [Point::new(min(xs), min(ys)), Point::new(max(xs), max(ys))];
    Ok(LiveCheck {
        report: Report::new(&spec.id, findings),
        face: Some(face),
        predicted_scale: Some(scale),
        crop_in_frame: Some(crop),
    })
}

/// Too close: the photo would reach past the camera frame where the person is (below the
/// chin, or above the hair), by the larger of the two shortfalls in camera pixels; the fix says
/// how much more room is needed, as the full standardize's refusal does.
fn too_close_finding(beyond_bottom_px: f32, beyond_top_px: f32, scale: f32) -> Finding {
    // The same tolerance the full standardize refuses past: a preview must not promise more.
    let tolerance_px = INVENTED_TOLERANCE_PX / scale.max(1e-3);
    let (shortfall, below) =
        if beyond_bottom_px >= beyond_top_px { (beyond_bottom_px, true) } else { (beyond_top_px, false) };
    let mut f = Finding::judge(Code::TooClose, shortfall, Limit::Max(tolerance_px), Unit::Px);
    if f.verdict == super::Verdict::Fail {
        let n = shortfall.ceil();
        f.fix = if below { Room::Below { px: n }.record() } else { Room::Above { px: n }.record() };
    } else if f.verdict == super::Verdict::Warn {
        // A tolerance of two pixels has no "close to it".
        f = crate::i18n::checks::finding(Code::TooClose, super::Verdict::Pass, f.measured, f.limit, Unit::Px, None);
    }
    f
}

/// The live codes that need a face.
const LIVE_FACE_CODES: [Code; 9] = [
    Code::FaceMultiple,
    Code::SourceResolution,
    Code::TooClose,
    Code::FaceOffCenter,
    Code::Roll,
    Code::FaceUnderexposed,
    Code::FaceOverexposed,
    Code::LightingUneven,
    Code::Blur,
];
