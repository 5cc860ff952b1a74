//! The shutter's burst: of a few frames taken within half a second, the one to standardize.
//!
//! What changes from frame to frame in a burst is the person, not the booth: a blink, a
//! word, a small nod, a shake of the camera. So each frame is judged by the eyes' opening and
//! the mouth's (the mesh), the sharpness of the eye region (the Laplacian's mean square,
//! compared only within the burst) and the head pose; frames whose eyes are closed or mouth
//! open lose to any that are not. The choice and every frame's numbers go into the trail.

use std::time::Instant;

use image::RgbImage;
use serde::Serialize;

use super::{Background, FaceAnalysis, Pipeline, SourcePhoto, StandardizeError, Standardized, Step, TrailStep};
use crate::profile::PhotoSpec;

/// One frame of a burst as it was judged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BurstFrame {
    /// Position in the burst, from 0.
    pub index: usize,
    /// Whether a face was found (frames without one are never chosen).
    pub face_found: bool,
    /// The smaller eye's lid gap over its width.
    pub eye_opening: f32,
    /// Lip gap over mouth width.
    pub mouth_opening: f32,
    /// Mean square of the Laplacian around the eyes, relative to the burst's sharpest frame.
    pub sharpness: f32,
    /// |roll| + |yaw| + |pitch|, degrees.
    pub pose_deg: f32,
    /// The combined score (higher is better).
    pub score: f32,
}

/// The burst's choice, for the trail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BurstChoice {
    /// Index of the frame kept.
    pub chosen: usize,
    /// Why, in a few words: what it won on.
    pub reason: &'static str,
    /// Every frame's numbers.
    pub frames: Vec<BurstFrame>,
}

/// Pose degrees that cost as much as the whole sharpness range of a burst.
const POSE_DEG_PER_SHARPNESS: f32 = 20.0;

impl Pipeline {
    /// Standardizes the best frame of a burst; the choice is the trail's second step (after
    /// the chosen frame's decoding). One frame is standardized as it is.
    pub fn standardize_burst(
        &mut self,
        burst: &[SourcePhoto],
        spec: &PhotoSpec,
        background: Background,
    ) -> Result<Standardized, StandardizeError> {
        let [first, rest @ ..] = burst else { return Err(StandardizeError::NoFace) };
        if rest.is_empty() {
            return self.standardize_with(first, spec, background);
        }
        let frames: Vec<&RgbImage> = burst.iter().map(|s| &s.image).collect();
        let started = Instant::now();
        let choice = self.choose_from_burst(&frames, spec)?;
        let ms = started.elapsed().as_secs_f32() * 1000.0;
        let mut result = self.standardize_with(&burst[choice.chosen], spec, background)?;
        result.trail.insert(1.min(result.trail.len()), TrailStep { step: Step::Burst(choice), ms });
        Ok(result)
    }

    /// Judges every frame of a burst and returns the index of the one to keep, with the
    /// numbers. Frames with no face are skipped; a burst with no face anywhere is `NoFace`.
    pub fn choose_from_burst(
        &mut self,
        frames: &[&RgbImage],
        spec: &PhotoSpec,
    ) -> Result<BurstChoice, StandardizeError> {
        let mut analysed: Vec<(usize, Option<(FaceAnalysis, f32)>)> = Vec::with_capacity(frames.len());
        for (index, frame) in frames.iter().enumerate() {
            let analysis = match self.analyse(frame) {
                Ok(a) => Some(a),
                Err(StandardizeError::Model(e)) => return Err(e.into()),
                Err(_) => None,
            };
            let sharp = analysis.as_ref().map(|a| eye_region_sharpness(frame, a));
            analysed.push((index, analysis.zip(sharp)));
        }
        let sharpest =
            analysed.iter().filter_map(|(_, a)| a.as_ref().map(|(_, s)| *s)).fold(0.0f32, f32::max).max(1e-6);
        let c = &spec.checks;
        let frames: Vec<BurstFrame> = analysed
            .iter()
            .map(|(index, a)| match a {
                None => BurstFrame {
                    index: *index,
                    face_found: false,
                    eye_opening: 0.0,
                    mouth_opening: 0.0,
                    sharpness: 0.0,
                    pose_deg: 0.0,
                    score: f32::NEG_INFINITY,
                },
                Some((analysis, sharp)) => {
                    let m = &analysis.measures;
                    let eye_opening = m.eye_opening_ratio[0].min(m.eye_opening_ratio[1]);
                    let pose_deg = m.roll_deg.abs() + m.yaw_deg.abs() + m.pitch_deg.abs();
                    let sharpness = sharp / sharpest;
                    // Eyes open and mouth closed first (each worth more than any sharpness or
                    // pose difference), then sharpness less pose, then the wider-open eyes.
                    let score = 4.0 * f32::from(eye_opening >= c.eyes_open_min_ratio)
                        + 2.0 * f32::from(m.mouth_opening_ratio <= c.mouth_open_max_ratio)
                        + sharpness
                        - pose_deg / POSE_DEG_PER_SHARPNESS
                        + eye_opening;
                    BurstFrame {
                        index: *index,
                        face_found: true,
                        eye_opening,
                        mouth_opening: m.mouth_opening_ratio,
                        sharpness,
                        pose_deg,
                        score,
                    }
                }
            })
            .collect();
        let best = frames
            .iter()
            .filter(|f| f.face_found)
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .ok_or(StandardizeError::NoFace)?;
        let open_elsewhere = frames.iter().any(|f| f.face_found && f.eye_opening < c.eyes_open_min_ratio);
        let reason = if best.eye_opening < c.eyes_open_min_ratio {
            "eyes closed in every frame; the sharpest, most level one"
        } else if open_elsewhere {
            "eyes open (others blinked); then sharpness and pose"
        } else if best.mouth_opening > c.mouth_open_max_ratio {
            "mouth open in every frame; the sharpest, most level one"
        } else {
            "the sharpest, most level frame with eyes open and mouth closed"
        };
        Ok(BurstChoice { chosen: best.index, reason, frames })
    }
}

/// Mean square of the 4-neighbour Laplacian of luma over the box around both eyes: what a
/// shake or a focus hunt between two frames changes.
fn eye_region_sharpness(frame: &RgbImage, a: &FaceAnalysis) -> f32 {
    let m = &a.measures;
    let half_w = 0.6 * m.face_width_px;
    let half_h = 0.2 * m.face_width_px;
    let c = m.eye_mid_in_frame;
    let (w, h) = (frame.width() as i64, frame.height() as i64);
    let clip = |v: f32, max: i64| (v.round() as i64).clamp(1, max - 2);
    let (x0, x1) = (clip(c.x - half_w, w), clip(c.x + half_w, w));
    let (y0, y1) = (clip(c.y - half_h, h), clip(c.y + half_h, h));
    let luma = |x: i64, y: i64| super::colour::luma(frame.get_pixel(x as u32, y as u32).0);
    let (mut sum, mut n) = (0.0f64, 0u64);
    for y in y0..y1 {
        for x in x0..x1 {
            let lap = 4.0 * luma(x, y) - luma(x - 1, y) - luma(x + 1, y) - luma(x, y - 1) - luma(x, y + 1);
            sum += f64::from(lap * lap);
            n += 1;
        }
    }
    if n == 0 { 0.0 } else { (sum / n as f64) as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::{FaceBox, FaceMeasures, Landmarks, Point};

    #[test]
    fn a_sharper_eye_region_scores_higher() {
        let (w, h) = (200u32, 200u32);
        let sharp =
            RgbImage::from_fn(w, h, |x, y| image::Rgb(if (x / 4 + y / 4) % 2 == 0 { [200; 3] } else { [40; 3] }));
        let soft = RgbImage::from_fn(w, h, |x, _| {
            let v = (120.0 + 60.0 * (x as f32 / 20.0).sin()) as u8;
            image::Rgb([v; 3])
        });
        let measures = FaceMeasures {
            eye_right_in_frame: Point::new(80.0, 100.0),
            eye_left_in_frame: Point::new(120.0, 100.0),
            eye_mid_in_frame: Point::new(100.0, 100.0),
            roll_deg: 0.0,
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            face_width_px: 100.0,
            face_mid_offset_px: 0.0,
            nose_offset_px: 0.0,
            eye_to_chin_px: 60.0,
            crown_above_eye_px: 66.0,
            head_top_in_frame: Point::new(100.0, 34.0),
            eye_opening_ratio: [0.3, 0.3],
            mouth_opening_ratio: 0.02,
        };
        let analysis = FaceAnalysis {
            face: FaceBox {
                box_in_frame: crate::imaging::Rect { x: 50.0, y: 50.0, width: 100.0, height: 100.0 },
                keypoints_in_frame: [Point::new(100.0, 100.0); 6],
                score: 1.0,
                detector: crate::imaging::DetectorKind::ShortRange,
            },
            other_faces: Vec::new(),
            landmarks: Landmarks { points_in_frame: Vec::new(), presence: 1.0 },
            measures,
        };
        assert!(eye_region_sharpness(&sharp, &analysis) > 10.0 * eye_region_sharpness(&soft, &analysis));
    }
}
