//! Face detection with BlazeFace (MediaPipe), short range first and full range as a fallback.
//!
//! Decoding follows the model's anchor scheme (shared/models/README.md): boxes and six
//! keypoints are offsets from fixed anchors, scores are logits, overlapping boxes are merged
//! by non-maximum suppression. Coordinates come back in frame pixels.

use image::RgbImage;
use serde::Serialize;

use super::geom::{Point, Rect, Similarity};
use super::model::{LazyModel, ModelError};
use super::warp::{Filter, Outside, Warper};

/// A detector score above this counts as a face (MediaPipe's own default).
const MIN_SCORE: f32 = 0.5;
/// Boxes overlapping more than this are the same face.
const NMS_IOU: f32 = 0.3;

/// Which BlazeFace variant found the face.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorKind {
    /// 128×128 input, faces within about 2 m: the booth case, 4 ms.
    ShortRange,
    /// 192×192 input, smaller faces farther away, 17 ms.
    FullRange,
}

/// One detected face.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FaceBox {
    /// Face box in frame pixels.
    pub box_in_frame: Rect,
    /// Subject's right eye, left eye, nose tip, mouth centre, right tragion, left tragion.
    pub keypoints_in_frame: [Point; 6],
    /// Detector confidence in [0, 1].
    pub score: f32,
    /// Which model found it.
    pub detector: DetectorKind,
}

impl FaceBox {
    /// Subject's right eye (on the left of the image).
    pub fn right_eye(&self) -> Point {
        self.keypoints_in_frame[0]
    }

    /// Subject's left eye (on the right of the image).
    pub fn left_eye(&self) -> Point {
        self.keypoints_in_frame[1]
    }
}

struct Variant {
    kind: DetectorKind,
    model: &'static LazyModel,
    input_px: u32,
    anchors: Vec<Point>,
}

/// The BlazeFace models, loaded once per process on first use and shared by every pipeline.
static SHORT_RANGE: LazyModel = LazyModel::new(
    "face_detection_short_range",
    include_bytes!("../../assets/models/face_detection_short_range.nhwc.onnx"),
);
static FULL_RANGE: LazyModel = LazyModel::new(
    "face_detection_full_range",
    include_bytes!("../../assets/models/face_detection_full_range.nhwc.onnx"),
);

/// Both BlazeFace models with their anchors.
pub struct FaceDetector {
    variants: [Variant; 2],
}

impl FaceDetector {
    /// The embedded models, each loaded on first use (the full-range one only for a face the
    /// short-range one does not find).
    pub fn new() -> FaceDetector {
        FaceDetector {
            variants: [
                Variant {
                    kind: DetectorKind::ShortRange,
                    model: &SHORT_RANGE,
                    input_px: 128,
                    anchors: anchors(&[(16, 2), (8, 6)]),
                },
                Variant {
                    kind: DetectorKind::FullRange,
                    model: &FULL_RANGE,
                    input_px: 192,
                    anchors: anchors(&[(48, 1)]),
                },
            ],
        }
    }

    /// Loads the model every frame runs (the short-range one) now rather than on first use.
    pub fn warm_up(&self) -> Result<(), ModelError> {
        self.variants[0].model.get().map(|_| ())
    }

    /// All faces in the frame, best first. Tries the short-range model, then the full-range
    /// one when the first finds nothing (a student standing far back).
    pub fn detect(&self, frame: &RgbImage, warper: &mut Warper) -> Result<Vec<FaceBox>, ModelError> {
        for variant in &self.variants {
            let faces = self.detect_with(variant, frame, warper)?;
            if !faces.is_empty() {
                return Ok(faces);
            }
        }
        Ok(Vec::new())
    }

    fn detect_with(&self, v: &Variant, frame: &RgbImage, warper: &mut Warper) -> Result<Vec<FaceBox>, ModelError> {
        // Letterbox: the whole frame, aspect kept, centred on a black square.
        let side = v.input_px as f32;
        let to_frame = Similarity::letterbox((frame.width(), frame.height()), (v.input_px, v.input_px));
        let scale = to_frame.scale;
        let input = warper
            .warp(frame, &to_frame, (v.input_px, v.input_px), Filter::Bilinear, Outside::Colour([0, 0, 0]))
            .map_err(|e| ModelError::Run { name: "face detector input", message: e.to_string() })?;
        let tensor: Vec<f32> = input.image.as_raw().iter().map(|&b| f32::from(b) / 127.5 - 1.0).collect();
        let n = v.input_px as usize;
        let outputs = v.model.run(&[1, n, n, 3], &tensor)?;
        let (regressors, logits) = split_outputs(&outputs, v.anchors.len());
        let mut faces = Vec::new();
        for (i, anchor) in v.anchors.iter().enumerate() {
            let score = sigmoid(logits[i].clamp(-100.0, 100.0));
            if score < MIN_SCORE {
                continue;
            }
            let r = &regressors[i * 16..(i + 1) * 16];
            // Offsets are in input pixels relative to the anchor centre (in [0, 1] units).
            let at = |dx: f32, dy: f32| {
                to_frame.dst_to_src(Point::new((anchor.x + dx / side) * side, (anchor.y + dy / side) * side))
            };
            let centre = at(r[0], r[1]);
            let (w, h) = (r[2] / scale, r[3] / scale);
            let keypoints_in_frame = std::array::from_fn(|k| at(r[4 + 2 * k], r[5 + 2 * k]));
            faces.push(FaceBox {
                box_in_frame: Rect { x: centre.x - w / 2.0, y: centre.y - h / 2.0, width: w, height: h },
                keypoints_in_frame,
                score,
                detector: v.kind,
            });
        }
        Ok(suppress_overlaps(faces))
    }
}

/// The regressors (16 per anchor) and logits (1 per anchor), whichever order the model gives.
fn split_outputs(outputs: &[Vec<f32>], anchors: usize) -> (&[f32], &[f32]) {
    let find = |len| outputs.iter().find(|o| o.len() == len).map_or(&[][..], |o| o.as_slice());
    (find(anchors * 16), find(anchors))
}

/// Anchor centres in [0, 1] units for `(grid size, anchors per cell)` layers.
fn anchors(layers: &[(u32, u32)]) -> Vec<Point> {
    let mut out = Vec::new();
    for &(grid, per_cell) in layers {
        for y in 0..grid {
            for x in 0..grid {
                let centre = Point::new((x as f32 + 0.5) / grid as f32, (y as f32 + 0.5) / grid as f32);
                out.extend(std::iter::repeat_n(centre, per_cell as usize));
            }
        }
    }
    out
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Non-maximum suppression that averages each cluster weighted by score (MediaPipe's
/// "weighted" NMS): steadier boxes than keeping only the best one.
fn suppress_overlaps(mut faces: Vec<FaceBox>) -> Vec<FaceBox> {
    faces.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<FaceBox> = Vec::new();
    let mut used = vec![false; faces.len()];
    for i in 0..faces.len() {
        if used[i] {
            continue;
        }
        let cluster: Vec<usize> = (i..faces.len())
            .filter(|&j| !used[j] && faces[i].box_in_frame.iou(&faces[j].box_in_frame) > NMS_IOU)
            .collect();
        let total: f32 = cluster.iter().map(|&j| faces[j].score).sum();
        let mut merged = faces[i].clone();
        let avg = |get: &dyn Fn(&FaceBox) -> f32| {
            cluster.iter().map(|&j| get(&faces[j]) * faces[j].score).sum::<f32>() / total
        };
        merged.box_in_frame = Rect {
            x: avg(&|f| f.box_in_frame.x),
            y: avg(&|f| f.box_in_frame.y),
            width: avg(&|f| f.box_in_frame.width),
            height: avg(&|f| f.box_in_frame.height),
        };
        for k in 0..6 {
            merged.keypoints_in_frame[k] =
                Point::new(avg(&|f| f.keypoints_in_frame[k].x), avg(&|f| f.keypoints_in_frame[k].y));
        }
        for &j in &cluster {
            used[j] = true;
        }
        kept.push(merged);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_counts_match_the_models() {
        assert_eq!(anchors(&[(16, 2), (8, 6)]).len(), 896);
        assert_eq!(anchors(&[(48, 1)]).len(), 2304);
        assert_eq!(anchors(&[(16, 2)])[0], Point::new(0.5 / 16.0, 0.5 / 16.0));
    }

    #[test]
    fn overlapping_boxes_merge_and_separate_ones_stay() {
        let face = |x: f32, score: f32| FaceBox {
            box_in_frame: Rect { x, y: 0.0, width: 10.0, height: 10.0 },
            keypoints_in_frame: [Point::default(); 6],
            score,
            detector: DetectorKind::ShortRange,
        };
        let kept = suppress_overlaps(vec![face(0.0, 0.9), face(1.0, 0.6), face(50.0, 0.7)]);
        assert_eq!(kept.len(), 2);
        assert!(kept[0].box_in_frame.x > 0.0 && kept[0].box_in_frame.x < 1.0, "weighted toward the stronger box");
    }
}
