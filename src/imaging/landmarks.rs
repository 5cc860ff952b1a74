//! Face landmarks with FaceMesh (468 points) and the measures the crop and the checks need.
//!
//! The mesh runs on a square crop around the detector box, turned so the eyes are level; its
//! points are mapped back into frame pixels. Mesh indices used here are documented where they
//! are named; they follow MediaPipe's canonical face model.

use image::RgbImage;
use serde::Serialize;

use super::detect::FaceBox;
use super::geom::{Point, Similarity};
use super::mesh as idx;
use super::model::{LazyModel, ModelError};
use super::warp::{Filter, Outside, Warper};

const MESH_INPUT_PX: u32 = 192;
/// Points in MediaPipe's canonical face mesh (named ones: [`super::mesh`]).
pub const MESH_POINTS: usize = 468;
/// The mesh crop is this many detector boxes wide (MediaPipe uses 1.5).
const CROP_PER_BOX: f32 = 1.5;
/// Presence probability below which the mesh says there is no face in its crop.
const MIN_PRESENCE: f32 = 0.5;
/// Crown above the eye line, as a multiple of eye line to chin. Anthropometric tables put the
/// pupils near the middle of the head (vertex–menton ≈ 2 × pupil–menton); hair adds about 10 %.
/// Only used until the matte (issue 3) gives the real hair line.
pub const CROWN_PER_EYE_TO_CHIN: f32 = 1.1;

/// The mesh points of one face, in frame pixels; `z` is depth in the same scale (negative = closer).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Landmarks {
    /// 468 points `[x, y, z]`.
    pub points_in_frame: Vec<[f32; 3]>,
    /// Face-presence probability from the mesh model.
    pub presence: f32,
}

impl Landmarks {
    fn point(&self, i: usize) -> Point {
        let [x, y, _] = self.points_in_frame[i];
        Point::new(x, y)
    }

    fn mean(&self, indices: &[usize]) -> Point {
        let n = indices.len() as f32;
        let (sx, sy) = indices.iter().map(|&i| self.point(i)).fold((0.0, 0.0), |(sx, sy), p| (sx + p.x, sy + p.y));
        Point::new(sx / n, sy / n)
    }

    /// The measures the crop and the checks use.
    pub fn measures(&self) -> FaceMeasures {
        let eye_right = self.mean(&idx::RIGHT_EYE);
        let eye_left = self.mean(&idx::LEFT_EYE);
        let eye_mid = eye_right.midpoint(eye_left);
        let roll_rad = (eye_left.y - eye_right.y).atan2(eye_left.x - eye_right.x);
        // Unit vectors of the levelled face: along the eye line and "down" the face.
        let (sin, cos) = roll_rad.sin_cos();
        let along = |p: Point| (p.x - eye_mid.x) * cos + (p.y - eye_mid.y) * sin;
        let down = |p: Point| -(p.x - eye_mid.x) * sin + (p.y - eye_mid.y) * cos;

        let cheek_r = self.point(idx::OVAL_SIDE[0]);
        let cheek_l = self.point(idx::OVAL_SIDE[1]);
        let face_width_px = along(cheek_l) - along(cheek_r);
        let face_mid_along = 0.5 * (along(cheek_l) + along(cheek_r));
        let eye_to_chin_px = down(self.point(idx::MENTON));
        let crown_above_eye_px = CROWN_PER_EYE_TO_CHIN * eye_to_chin_px;
        let head_top_in_frame = Point::new(eye_mid.x + crown_above_eye_px * sin, eye_mid.y - crown_above_eye_px * cos);

        let [_, _, z_r] = self.points_in_frame[idx::OVAL_SIDE[0]];
        let [_, _, z_l] = self.points_in_frame[idx::OVAL_SIDE[1]];
        // Pitch from the head's own geometry: the Frankfurt line (tragion to orbitale) is
        // horizontal in a level head (ICAO 9303 and the anthropometric definition), so its
        // angle in the vertical plane, from the mesh's depth and the levelled rows, is the nod.
        let frankfurt = |t: usize, o: usize| {
            let ([_, _, z_t], [_, _, z_o]) = (self.points_in_frame[t], self.points_in_frame[o]);
            (down(self.point(t)) - down(self.point(o)), z_t - z_o)
        };
        let (rise_r, depth_r) = frankfurt(idx::OVAL_SIDE[0], idx::ORBITALE[0]);
        let (rise_l, depth_l) = frankfurt(idx::OVAL_SIDE[1], idx::ORBITALE[1]);
        let opening = |eye: [usize; 4]| {
            self.point(eye[2]).distance(self.point(eye[3])) / self.point(eye[0]).distance(self.point(eye[1])).max(1e-3)
        };

        FaceMeasures {
            eye_right_in_frame: eye_right,
            eye_left_in_frame: eye_left,
            eye_mid_in_frame: eye_mid,
            roll_deg: roll_rad.to_degrees(),
            // Positive yaw: the subject's left cheek is farther from the camera than the right.
            yaw_deg: (z_l - z_r).atan2(face_width_px).to_degrees(),
            // Positive pitch: head tipped back (the orbit rises above the ear).
            pitch_deg: (rise_r + rise_l).atan2((depth_r + depth_l).max(1e-3)).to_degrees(),
            face_width_px,
            face_mid_offset_px: face_mid_along,
            nose_offset_px: along(self.point(idx::NOSE_TIP)) - face_mid_along,
            eye_to_chin_px,
            crown_above_eye_px,
            head_top_in_frame,
            eye_opening_ratio: [opening(idx::RIGHT_EYE), opening(idx::LEFT_EYE)],
            mouth_opening_ratio: self.point(idx::LIP_UPPER).distance(self.point(idx::LIP_LOWER))
                / self.point(idx::MOUTH_CORNERS_INNER[0]).distance(self.point(idx::MOUTH_CORNERS_INNER[1])).max(1e-3),
        }
    }
}

/// Face measures in frame pixels, in the levelled face's axes (along the eye line, and down).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FaceMeasures {
    /// Centre of the subject's right eye.
    pub eye_right_in_frame: Point,
    /// Centre of the subject's left eye.
    pub eye_left_in_frame: Point,
    /// Midpoint of the eyes: the rotation centre of the levelling.
    pub eye_mid_in_frame: Point,
    /// Eye-line angle, degrees, positive when the subject's left eye is lower on screen.
    pub roll_deg: f32,
    /// Head turn estimate from mesh depth, degrees.
    pub yaw_deg: f32,
    /// Nod estimate from mesh depth, degrees.
    pub pitch_deg: f32,
    /// Cheek to cheek along the eye line.
    pub face_width_px: f32,
    /// Face midline relative to the eye midpoint, along the eye line.
    pub face_mid_offset_px: f32,
    /// Nose tip relative to the face midline, along the eye line.
    pub nose_offset_px: f32,
    /// Eye line to chin, perpendicular to the eye line.
    pub eye_to_chin_px: f32,
    /// Eye line to the top of the head (hair), perpendicular to the eye line.
    pub crown_above_eye_px: f32,
    /// The top of the head.
    pub head_top_in_frame: Point,
    /// Lid gap over eye width, subject's right and left.
    pub eye_opening_ratio: [f32; 2],
    /// Lip gap over mouth width.
    pub mouth_opening_ratio: f32,
}

/// The FaceMesh model, loaded once per process on first use and shared by every pipeline.
static FACE_LANDMARK: LazyModel =
    LazyModel::new("face_landmark", include_bytes!("../../assets/models/face_landmark.nhwc.onnx"));

/// The FaceMesh model.
pub struct FaceMesh {
    model: &'static LazyModel,
}

/// The mesh found no face in the detector's box.
#[derive(Debug)]
pub struct NoMeshFace {
    /// The model's presence probability.
    pub presence: f32,
}

impl FaceMesh {
    /// The embedded model, loaded on first use.
    pub fn new() -> FaceMesh {
        FaceMesh { model: &FACE_LANDMARK }
    }

    /// Loads the model now rather than on first use.
    pub fn warm_up(&self) -> Result<(), ModelError> {
        self.model.get().map(|_| ())
    }

    /// Fits the mesh to the face in `face`; `Ok(Err(_))` when the mesh sees no face there.
    pub fn fit(
        &self,
        frame: &RgbImage,
        face: &FaceBox,
        warper: &mut Warper,
    ) -> Result<Result<Landmarks, NoMeshFace>, ModelError> {
        let eyes = (face.left_eye().y - face.right_eye().y).atan2(face.left_eye().x - face.right_eye().x);
        let side_in_frame = CROP_PER_BOX * face.box_in_frame.width.max(face.box_in_frame.height);
        let half = MESH_INPUT_PX as f32 / 2.0;
        let to_frame = Similarity {
            scale: MESH_INPUT_PX as f32 / side_in_frame,
            angle_rad: eyes,
            anchor_in_dst: Point::new(half, half),
            origin_in_src: face.box_in_frame.centre(),
        };
        let crop = warper
            .warp(frame, &to_frame, (MESH_INPUT_PX, MESH_INPUT_PX), Filter::Bilinear, Outside::Colour([0, 0, 0]))
            .map_err(|e| ModelError::Run { name: "face landmark input", message: e.to_string() })?;
        let input: Vec<f32> = crop.image.as_raw().iter().map(|&b| f32::from(b) / 255.0).collect();
        let n = MESH_INPUT_PX as usize;
        let outputs = self.model.run(&[1, n, n, 3], &input)?;
        let coords = outputs.iter().find(|o| o.len() == MESH_POINTS * 3).map_or(&[][..], |o| o.as_slice());
        let presence_logit = outputs.iter().find(|o| o.len() == 1).map_or(f32::NEG_INFINITY, |o| o[0]);
        let presence = 1.0 / (1.0 + (-presence_logit).exp());
        if coords.len() != MESH_POINTS * 3 || presence < MIN_PRESENCE {
            return Ok(Err(NoMeshFace { presence }));
        }
        let points_in_frame = coords
            .chunks_exact(3)
            .map(|c| {
                let p = to_frame.dst_to_src(Point::new(c[0], c[1]));
                [p.x, p.y, c[2] / to_frame.scale]
            })
            .collect();
        Ok(Ok(Landmarks { points_in_frame, presence }))
    }
}
