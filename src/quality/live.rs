//! The live subset for preview frames: face found, distance (too far / too close), centring,
//! tilt, exposure, light balance and sharpness — from the face detector alone (no mesh, no
//! matte) so that a 1280×720 frame is judged in a few milliseconds and the booth's hints keep
//! up with the camera. The same [`Finding`]s and words as the full check.

use image::RgbImage;

use super::measure::{self, PixelBox, Plane};
use super::{Bilingual, Code, Finding, Limit, Report, Unit};
use crate::imaging::{FaceBox, ModelError, Pipeline};
use crate::profile::PhotoSpec;

/// Cheek-to-cheek face width per detector box width (BlazeFace boxes are a little wider
/// than the cheeks: 0.94–0.96 on the test portraits).
const FACE_WIDTH_PER_BOX: f32 = 0.95;
/// How far the face may sit from the frame's centre line, as a share of the frame width,
/// before the operator is told to re-centre (the silhouette guide is drawn in the middle).
const CENTRE_TOLERANCE_OF_FRAME: f32 = 0.08;
/// The photo's frame may reach this share of its height outside the camera frame (filled
/// from the edge) before the student counts as too close.
const TOO_CLOSE_MAX_OUTSIDE: f32 = 0.04;
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
        let why = Bilingual { zh: "没有人脸".into(), en: "no face".into() };
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
    let (fw, fh) = (frame.width() as f32, frame.height() as f32);
    let face_width = FACE_WIDTH_PER_BOX * b.width;
    let scale = g.face_width_px.centre() / face_width.max(1.0);

    // Where the photo's frame would fall: eye line at its window's centre, face centred.
    let eye = face.right_eye().midpoint(face.left_eye());
    let (crop_w, crop_h) = (spec.output.width_px as f32 / scale, spec.output.height_px as f32 / scale);
    let top = eye.y - g.eye_line_from_top_px.centre() / scale;
    let left = eye.x - crop_w / 2.0;
    let overflow = [-top, top + crop_h - fh, -left, left + crop_w - fw].into_iter().fold(0.0f32, f32::max);
    let outside = overflow / crop_h;

    let roll = (face.left_eye().y - face.right_eye().y).atan2(face.left_eye().x - face.right_eye().x).to_degrees();
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
        Finding::judge(Code::TooClose, outside, Limit::Max(TOO_CLOSE_MAX_OUTSIDE), Unit::Fraction),
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
    let crop = [crate::imaging::Point::new(left, top), crate::imaging::Point::new(left + crop_w, top + crop_h)];
    Ok(LiveCheck {
        report: Report::new(&spec.id, findings),
        face: Some(face),
        predicted_scale: Some(scale),
        crop_in_frame: Some(crop),
    })
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
