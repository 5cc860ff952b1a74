//! The FaceMesh points the program names, in one place: indices into the 468 points of
//! MediaPipe's canonical face model (`Landmarks::points_in_frame`). "Right" and "left" are the
//! subject's own: the subject's right is on the image's left.
//!
//! The crop (`landmarks.rs`), the checks' regions (`quality/face.rs`), the checks themselves and
//! the generated coverings (`quality/eval/`) all read their points from here, so one name
//! always means one point.

/// Subject's right eye: outer corner, inner corner, upper lid centre, lower lid centre.
pub const RIGHT_EYE: [usize; 4] = [33, 133, 159, 145];
/// Subject's left eye: inner corner, outer corner, upper lid centre, lower lid centre.
pub const LEFT_EYE: [usize; 4] = [362, 263, 386, 374];
/// Corners of the right eye (outer, inner).
pub const RIGHT_EYE_CORNERS: [usize; 2] = [RIGHT_EYE[0], RIGHT_EYE[1]];
/// Corners of the left eye (inner, outer).
pub const LEFT_EYE_CORNERS: [usize; 2] = [LEFT_EYE[0], LEFT_EYE[1]];
/// Upper and lower lid centres of the right eye.
pub const RIGHT_LIDS: [usize; 2] = [RIGHT_EYE[2], RIGHT_EYE[3]];
/// Upper and lower lid centres of the left eye.
pub const LEFT_LIDS: [usize; 2] = [LEFT_EYE[2], LEFT_EYE[3]];

/// The face oval at its widest, in front of the ears (subject's right, left): the face width's
/// ends, and the Frankfurt line's tragion ends.
pub const OVAL_SIDE: [usize; 2] = [234, 454];
/// The face's outline (silhouette), in order round the face from the forehead's top through the
/// subject's left side, the chin and back up the right side.
pub const FACE_OVAL: [usize; 36] = [
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150,
    136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];
/// The lower orbit rims under each eye (right, left): the Frankfurt line's other ends.
pub const ORBITALE: [usize; 2] = [119, 348];
/// The bottom of the face oval (menton): where the chin ends.
pub const MENTON: usize = 152;
/// The chin above the jaw line (a skin patch, not the oval's edge).
pub const CHIN: usize = 199;

/// Nose tip.
pub const NOSE_TIP: usize = 1;
/// The base of the nose (under the tip, above the upper lip).
pub const NOSE_BASE: usize = 2;
/// The nose bridge between the eyes.
pub const NOSE_BRIDGE: usize = 168;

/// Inner lip, upper centre.
pub const LIP_UPPER: usize = 13;
/// Inner lip, lower centre.
pub const LIP_LOWER: usize = 14;
/// Inner mouth corners (right, left).
pub const MOUTH_CORNERS_INNER: [usize; 2] = [78, 308];
/// Outer lip contour: top, bottom, right corner, left corner.
pub const LIPS_OUTER: [usize; 4] = [0, 17, 61, 291];

/// Forehead centre (a skin patch above the brows).
pub const FOREHEAD: usize = 151;
/// Forehead, subject's right.
pub const FOREHEAD_RIGHT: usize = 108;
/// Forehead, subject's left.
pub const FOREHEAD_LEFT: usize = 337;
/// Upper brow contour of the right brow, outer to inner.
pub const RIGHT_BROW: [usize; 5] = [70, 63, 105, 66, 107];
/// Upper brow contour of the left brow, outer to inner.
pub const LEFT_BROW: [usize; 5] = [300, 293, 334, 296, 336];
/// The middle of each brow's upper contour (right, left).
pub const BROW_MIDDLE: [usize; 2] = [RIGHT_BROW[2], LEFT_BROW[2]];

/// Mid-cheek points, subject's right.
pub const CHEEK_RIGHT: [usize; 2] = [205, 50];
/// Mid-cheek points, subject's left.
pub const CHEEK_LEFT: [usize; 2] = [425, 280];
/// Upper cheekbones, below the outer eye corners (visible under a mask's top edge).
pub const CHEEKBONE: [usize; 2] = [117, 346];
/// Upper cheeks below the inner half of each eye, on the face's front plane.
pub const UPPER_CHEEK: [usize; 2] = [101, 330];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_is_a_point_of_the_mesh() {
        let all = [RIGHT_EYE.as_slice(), &LEFT_EYE, &OVAL_SIDE, &ORBITALE, &LIPS_OUTER, &RIGHT_BROW, &LEFT_BROW]
            .concat()
            .into_iter()
            .chain([MENTON, CHIN, NOSE_TIP, NOSE_BASE, NOSE_BRIDGE, LIP_UPPER, LIP_LOWER, FOREHEAD])
            .chain(CHEEK_RIGHT.into_iter().chain(CHEEK_LEFT).chain(CHEEKBONE).chain(UPPER_CHEEK));
        for i in all {
            assert!(i < crate::imaging::MESH_POINTS, "{i}");
        }
    }
}
