//! Where to look on the face: patches and boxes placed from the 468 landmarks (MediaPipe
//! canonical indices), sized in face widths so they fit any head size.

use super::measure::PixelBox;
use crate::imaging::{FaceMeasures, Landmarks, Point};

use crate::imaging::mesh as idx;

/// The strip above each brow that must be skin: from this far above the brow's top to just
/// above it, in face widths.
const ABOVE_BROW_FW: (f32, f32) = (0.05, 0.01);
/// The ear box beside each cheek: from this far outside the face oval to just outside it.
const EAR_OUT_FW: (f32, f32) = (0.16, 0.02);
/// The temples, where the student's own hair shows beside a hat: outside the oval by up to
/// this much, from 0.55 to 0.2 face widths above the eye line.
const TEMPLE_OUT_FW: f32 = 0.12;
const TEMPLE_ABOVE_EYE_FW: (f32, f32) = (0.55, 0.2);
/// How far beside the oval the side hair is looked for.
const SIDE_HAIR_OUT_FW: f32 = 0.22;
/// Under each eye, inside where a lens would be: from just below the lower lid, this deep.
const UNDER_EYE_FW: (f32, f32) = (0.025, 0.09);
/// Jewellery: under each ear lobe, and the neck's front below the chin.
const EARLOBE_FW: (f32, f32, f32) = (0.18, 0.0, 0.25);
const NECK_HALF_FW: f32 = 0.4;
const NECK_DEPTH_FW: (f32, f32) = (0.1, 0.8);
/// Shoulders: compared from this far from the face's midline to this far (face widths).
const SHOULDER_OUT_FW: (f32, f32) = (0.7, 1.15);

/// How far the face's outline is drawn in towards the nose tip (share of the way).
const OVAL_INSET: f32 = 0.06;

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
    /// Where the face's own skin colour is taken: above the eyes (forehead centre and sides)
    /// and below them (cheekbones, mid-cheeks). Bangs can cover the first group, a mask the
    /// second, never both.
    pub skin_reference: [PixelBox; 7],
    /// The temples, where the student's own hair shows.
    pub temples: [PixelBox; 2],
    /// Beside the face from the eye line to the mouth, where long hair falls (and hair shows
    /// under a hat's brim).
    pub side_hair: [PixelBox; 2],
    /// Thin strips just above each brow.
    pub above_brows: [PixelBox; 2],
    /// Each brow itself (its middle, as thick as the strip above it).
    pub brows: [PixelBox; 2],
    /// Beside each cheek, where the ears are.
    pub ears: [PixelBox; 2],
    /// Just under each eye, inside a lens.
    pub under_eyes: [PixelBox; 2],
    /// Each eye's opening, between its corners and its lids.
    pub eye_openings: [PixelBox; 2],
    /// Cheeks and chin below the nose.
    pub lower_face: [PixelBox; 1],
    /// The lips, outer contour.
    pub lips: PixelBox,
    /// Under each ear lobe, where an earring hangs.
    pub earlobes: [PixelBox; 2],
    /// The front of the neck, where a necklace lies.
    pub neck: PixelBox,
    /// The face's midline, photo column.
    pub midline_x: f32,
    /// How far from the midline the shoulders are compared (from the neck's base out).
    pub shoulder_offsets_px: (f32, f32),
    /// A row safely below the chin, where the shoulder search starts.
    pub below_chin_y: f32,
    /// The face's width, pixels: what every region is sized in.
    pub face_width_px: f32,
    /// The face's outline, drawn `OVAL_INSET` of the way in towards the nose tip so that its
    /// soft edge (the backdrop, hair, the jaw's shadow) stays outside.
    pub face_oval: Vec<Point>,
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
        // The oval's sides with the direction away from the face (−1: image left).
        let oval = [(at(idx::OVAL_SIDE[0]), -1.0f32), (at(idx::OVAL_SIDE[1]), 1.0f32)];
        let nose_base_y = at(idx::NOSE_BASE).y;
        let earlobe = |(p, out): (Point, f32)| {
            let (near, far) = (p.x + out * EARLOBE_FW.1 * fw, p.x + out * EARLOBE_FW.0 * fw);
            PixelBox { x0: near.min(far), x1: near.max(far), y0: nose_base_y, y1: nose_base_y + EARLOBE_FW.2 * fw }
        };
        // Each brow's middle span (its ends thin out into skin on every face) and its top.
        let brow_middles = [idx::RIGHT_BROW, idx::LEFT_BROW].map(|brow| {
            let pts = brow.map(at);
            let top = pts.iter().map(|p| p.y).fold(f32::INFINITY, f32::min);
            let (x0, x1) = (pts[0].x.min(pts[4].x), pts[0].x.max(pts[4].x));
            let inset = 0.15 * (x1 - x0);
            (x0 + inset, x1 - inset, top)
        });
        FaceRegions {
            // On the face's front plane: the cheeks' sides turn away from the camera and read
            // darker on any face, and the nose's shadow falls beside it; these do neither.
            right_side: [patch(idx::UPPER_CHEEK[0]), patch(idx::CHEEK_RIGHT[1]), patch(idx::FOREHEAD_RIGHT)],
            left_side: [patch(idx::UPPER_CHEEK[1]), patch(idx::CHEEK_LEFT[1]), patch(idx::FOREHEAD_LEFT)],
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
            skin_reference: [
                patch(idx::FOREHEAD),
                patch(idx::FOREHEAD_RIGHT),
                patch(idx::FOREHEAD_LEFT),
                patch(idx::CHEEKBONE[0]),
                patch(idx::CHEEKBONE[1]),
                patch(idx::CHEEK_RIGHT[0]),
                patch(idx::CHEEK_LEFT[0]),
            ],
            temples: oval.map(|(p, out)| {
                let (near, far) = (p.x, p.x + out * TEMPLE_OUT_FW * fw);
                PixelBox {
                    x0: near.min(far),
                    x1: near.max(far),
                    y0: measures.eye_mid_in_frame.y - TEMPLE_ABOVE_EYE_FW.0 * fw,
                    y1: measures.eye_mid_in_frame.y - TEMPLE_ABOVE_EYE_FW.1 * fw,
                }
            }),
            side_hair: oval.map(|(p, out)| {
                let (near, far) = (p.x + out * 0.02 * fw, p.x + out * SIDE_HAIR_OUT_FW * fw);
                PixelBox {
                    x0: near.min(far),
                    x1: near.max(far),
                    y0: measures.eye_mid_in_frame.y - TEMPLE_ABOVE_EYE_FW.1 * fw,
                    y1: at(idx::LIPS_OUTER[1]).y,
                }
            }),
            brows: brow_middles.map(|(x0, x1, top)| PixelBox {
                x0,
                x1,
                y0: top,
                y1: top + (ABOVE_BROW_FW.0 - ABOVE_BROW_FW.1) * fw,
            }),
            above_brows: brow_middles.map(|(x0, x1, top)| PixelBox {
                x0,
                x1,
                y0: top - ABOVE_BROW_FW.0 * fw,
                y1: top - ABOVE_BROW_FW.1 * fw,
            }),
            ears: oval.map(|(p, out)| {
                let (near, far) = (p.x + out * EAR_OUT_FW.1 * fw, p.x + out * EAR_OUT_FW.0 * fw);
                PixelBox {
                    x0: near.min(far),
                    x1: near.max(far),
                    y0: measures.eye_mid_in_frame.y,
                    y1: at(idx::NOSE_BASE).y,
                }
            }),
            under_eyes: [(idx::RIGHT_EYE_CORNERS, idx::RIGHT_LIDS), (idx::LEFT_EYE_CORNERS, idx::LEFT_LIDS)].map(
                |(corners, lids)| {
                    let (a, b, lower) = (at(corners[0]), at(corners[1]), at(lids[1]));
                    PixelBox {
                        x0: a.x.min(b.x),
                        x1: a.x.max(b.x),
                        y0: lower.y + UNDER_EYE_FW.0 * fw,
                        y1: lower.y + UNDER_EYE_FW.1 * fw,
                    }
                },
            ),
            eye_openings: [(idx::RIGHT_EYE_CORNERS, idx::RIGHT_LIDS), (idx::LEFT_EYE_CORNERS, idx::LEFT_LIDS)].map(
                |(corners, lids)| {
                    let (a, b, upper, lower) = (at(corners[0]), at(corners[1]), at(lids[0]), at(lids[1]));
                    // The middle of the opening: corners are skin and lashes on every eye.
                    let inset = 0.2 * (a.x - b.x).abs();
                    PixelBox {
                        x0: a.x.min(b.x) + inset,
                        x1: a.x.max(b.x) - inset,
                        y0: upper.y,
                        y1: lower.y.max(upper.y + 1.0),
                    }
                },
            ),
            lower_face: [PixelBox {
                x0: at(idx::LIPS_OUTER[2]).x - 0.12 * fw,
                x1: at(idx::LIPS_OUTER[3]).x + 0.12 * fw,
                y0: at(idx::NOSE_BASE).y + 0.02 * fw,
                y1: menton.y - 0.04 * fw,
            }],
            lips: PixelBox {
                x0: at(idx::LIPS_OUTER[2]).x,
                x1: at(idx::LIPS_OUTER[3]).x,
                y0: at(idx::LIPS_OUTER[0]).y,
                y1: at(idx::LIPS_OUTER[1]).y,
            },
            earlobes: [earlobe(oval[0]), earlobe(oval[1])],
            neck: PixelBox {
                x0: mid_x - NECK_HALF_FW * fw,
                x1: mid_x + NECK_HALF_FW * fw,
                y0: menton.y + NECK_DEPTH_FW.0 * fw,
                y1: menton.y + NECK_DEPTH_FW.1 * fw,
            },
            midline_x: mid_x,
            shoulder_offsets_px: (SHOULDER_OUT_FW.0 * fw, SHOULDER_OUT_FW.1 * fw),
            below_chin_y: menton.y + 0.3 * fw,
            face_width_px: fw,
            face_oval: idx::FACE_OVAL.iter().map(|&i| at(i).lerp_towards(at(idx::NOSE_TIP), OVAL_INSET)).collect(),
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

/// The photo with the regions the checks look at outlined (skin reference white, hair
/// reference yellow, crown red, brows and eyes cyan, ears green, lower face magenta and the
/// face's outline in magenta dots, jewellery orange), for a person to see where each measure
/// came from.
pub fn draw_regions(evidence: &super::Evidence) -> Option<image::RgbImage> {
    let (Ok(photo), Some(face)) = (&evidence.photo, &evidence.face) else { return None };
    let head_top = face.head_top_px.unwrap_or(face.measures.head_top_in_frame.y);
    let r = FaceRegions::new(&face.landmarks, &face.measures, head_top);
    let mut out = photo.clone();
    let mut outline = |b: &PixelBox, colour: [u8; 3]| {
        let (xs, ys) = b.clip(out.width() as usize, out.height() as usize);
        for y in ys.clone() {
            for x in xs.clone() {
                if y == ys.start || y + 1 == ys.end || x == xs.start || x + 1 == xs.end {
                    out.put_pixel(x as u32, y as u32, image::Rgb(colour));
                }
            }
        }
    };
    r.skin_reference.iter().for_each(|b| outline(b, [255, 255, 255]));
    r.temples.iter().chain(&r.side_hair).for_each(|b| outline(b, [255, 220, 0]));
    outline(&r.crown, [230, 0, 0]);
    r.above_brows
        .iter()
        .chain(&r.brows)
        .chain(&r.under_eyes)
        .chain(&r.eye_openings)
        .for_each(|b| outline(b, [0, 220, 220]));
    r.ears.iter().for_each(|b| outline(b, [0, 200, 0]));
    r.lower_face.iter().for_each(|b| outline(b, [220, 0, 220]));
    outline(&r.lips, [220, 0, 220]);
    r.earlobes.iter().chain([&r.neck]).for_each(|b| outline(b, [255, 140, 0]));
    for p in &r.face_oval {
        outline(&PixelBox::around(p.x, p.y, 1.0, 1.0), [255, 0, 255]);
    }
    Some(out)
}
