//! Where to look on the face: patches and boxes placed from the 468 landmarks (MediaPipe
//! canonical indices), sized in face widths so they fit any head size.

use super::measure::PixelBox;
use crate::imaging::{FaceMeasures, Landmarks, Point};

/// Mesh points used as patch centres.
mod idx {
    /// Mid-cheek, subject's right (image left) and left.
    pub const CHEEK_RIGHT: [usize; 2] = [205, 50];
    pub const CHEEK_LEFT: [usize; 2] = [425, 280];
    /// Forehead: centre, subject's right and left.
    pub const FOREHEAD: usize = 151;
    pub const FOREHEAD_RIGHT: usize = 108;
    pub const FOREHEAD_LEFT: usize = 337;
    /// Chin, above the jaw line.
    pub const CHIN: usize = 199;
    /// Face oval bottom (menton).
    pub const MENTON: usize = 152;
    /// Eye corners, subject's right eye then left eye.
    pub const RIGHT_EYE_CORNERS: [usize; 2] = [33, 133];
    pub const LEFT_EYE_CORNERS: [usize; 2] = [362, 263];
}

/// Half the side of a skin patch, in face widths (≈ 12 px on a 210 px face).
const PATCH_HALF_FW: f32 = 0.06;
/// A glasses lens around each eye, half-width and half-height in face widths.
const LENS_HALF_FW: (f32, f32) = (0.14, 0.09);
/// Pupil-and-iris disc radius, in eye widths (corner to corner).
const PUPIL_RADIUS_EYES: f32 = 0.15;
/// The chest box: half-width and how far below the chin it starts, in face widths.
const CHEST_HALF_FW: f32 = 0.5;
const CHEST_BELOW_CHIN_FW: f32 = 0.45;

/// The crown band: half-width in face widths, depth as a share of head top → eye line.
const CROWN_HALF_FW: f32 = 0.35;
const CROWN_DEPTH: f32 = 0.4;

/// The face's regions in photo pixels.
pub(super) struct FaceRegions {
    /// Skin patches on the subject's right side (image left): cheek, upper cheek, forehead.
    pub right_side: [PixelBox; 3],
    /// The same on the left side.
    pub left_side: [PixelBox; 3],
    /// Forehead centre.
    pub forehead: PixelBox,
    /// Lower face: both cheeks and the chin.
    pub lower: [PixelBox; 3],
    /// Lenses of glasses, right eye then left.
    pub lenses: [PixelBox; 2],
    /// Pupil discs: centre and radius.
    pub pupils: [(Point, f32); 2],
    /// The inner face from brows to mouth, for sharpness.
    pub inner: PixelBox,
    /// Chest, where the top is.
    pub chest: PixelBox,
    /// The crown: hair from the head top down 40 % of the way to the eyes.
    pub crown: PixelBox,
    /// Patch centres for the moiré test (cheeks, forehead).
    pub texture_centres: [(f32, f32); 3],
}

impl FaceRegions {
    pub fn new(landmarks: &Landmarks, measures: &FaceMeasures, head_top_y: f32) -> FaceRegions {
        let fw = measures.face_width_px.max(1.0);
        let half = PATCH_HALF_FW * fw;
        let at = |i: usize| {
            let [x, y, _] = landmarks.points_in_frame[i];
            Point::new(x, y)
        };
        let patch = |i: usize| {
            let p = at(i);
            PixelBox::around(p.x, p.y, half, half)
        };
        let eye_width = |c: [usize; 2]| at(c[0]).distance(at(c[1]));
        let eyes = [measures.eye_right_in_frame, measures.eye_left_in_frame];
        let widths = [eye_width(idx::RIGHT_EYE_CORNERS), eye_width(idx::LEFT_EYE_CORNERS)];
        let lens = |p: Point| PixelBox::around(p.x, p.y, LENS_HALF_FW.0 * fw, LENS_HALF_FW.1 * fw);
        let mid_x = 0.5 * (at(234).x + at(454).x);
        let menton = at(idx::MENTON);
        let brow_y = measures.eye_mid_in_frame.y - 0.25 * fw;
        let mouth_y = measures.eye_mid_in_frame.y + 0.6 * fw;
        let centre = |i: usize| (at(i).x, at(i).y);
        FaceRegions {
            right_side: [patch(idx::CHEEK_RIGHT[0]), patch(idx::CHEEK_RIGHT[1]), patch(idx::FOREHEAD_RIGHT)],
            left_side: [patch(idx::CHEEK_LEFT[0]), patch(idx::CHEEK_LEFT[1]), patch(idx::FOREHEAD_LEFT)],
            forehead: patch(idx::FOREHEAD),
            lower: [patch(idx::CHEEK_RIGHT[0]), patch(idx::CHEEK_LEFT[0]), patch(idx::CHIN)],
            lenses: [lens(eyes[0]), lens(eyes[1])],
            pupils: [(eyes[0], PUPIL_RADIUS_EYES * widths[0]), (eyes[1], PUPIL_RADIUS_EYES * widths[1])],
            inner: PixelBox { x0: at(234).x, y0: brow_y, x1: at(454).x, y1: mouth_y },
            chest: PixelBox {
                x0: mid_x - CHEST_HALF_FW * fw,
                y0: menton.y + CHEST_BELOW_CHIN_FW * fw,
                x1: mid_x + CHEST_HALF_FW * fw,
                y1: f32::INFINITY,
            },
            crown: PixelBox {
                x0: mid_x - CROWN_HALF_FW * fw,
                y0: head_top_y,
                x1: mid_x + CROWN_HALF_FW * fw,
                y1: head_top_y + CROWN_DEPTH * (measures.eye_mid_in_frame.y - head_top_y),
            },
            texture_centres: [centre(idx::CHEEK_RIGHT[0]), centre(idx::CHEEK_LEFT[0]), centre(idx::FOREHEAD)],
        }
    }

    /// Every skin patch (both sides, forehead, chin).
    pub fn skin(&self) -> Vec<PixelBox> {
        let mut all: Vec<PixelBox> = self.right_side.iter().chain(&self.left_side).copied().collect();
        all.push(self.forehead);
        all.push(self.lower[2]);
        all
    }
}
