//! Turning a camera frame into a standard photo: detect → landmarks → align (level + crop) →
//! matte (person alpha, head top from it, crop planned again) → resample → composite onto the
//! profile colour → encode. Pure stages over typed images; [`Pipeline`] owns the models and the
//! scratch buffers and records every step with its parameters and milliseconds (the "no
//! beautification" trail: nothing happens to the pixels that is not written down here). The
//! models are process-wide statics (`model.rs`), loaded on first use and shared by every
//! pipeline; `model_ops.rs` gives tract faster forms of the ops it runs slowly. The pixel loops
//! and MODNet use rayon's pool (every core).
//!
//! Not here: storing results (`store/`), judging them (`quality/`), cameras (`camera/`).

pub mod align;
pub mod burst;
pub mod colour;
pub mod detect;
pub mod encode;
pub(crate) mod filter;
pub mod geom;
pub mod landmarks;
pub mod load;
pub mod matte;
pub mod mesh;
mod model;
mod model_ops;
pub mod overlay;
pub mod warp;

use std::sync::Arc;
use std::time::Instant;

use image::{GrayImage, RgbImage};
use serde::Serialize;

pub use align::{
    CropConflict, CropPlan, FrameSide, HeadGeometry, HeadTopSource, INVENTED_TOLERANCE_PX, PlacedGeometry,
    confine_to_frame, confine_within_centring, plan_crop,
};
pub use burst::{BurstChoice, BurstFrame};
pub use detect::{DetectorKind, FaceBox, FaceDetector};
pub use encode::{EncodeAttempt, EncodeError, EncodedJpeg, encode_jpeg, encode_to_profile};
pub use geom::{Point, Rect, Similarity};
pub use landmarks::{CROWN_PER_EYE_TO_CHIN, FaceMeasures, FaceMesh, Landmarks, MESH_POINTS};
pub use load::{DecodeProblem, DecodeStep, LoadError, SourcePhoto, decode_photo, load_photo, read_photo_file};
pub use matte::{Backdrop, Matte, MatteMethod, MatteParams, PersonSegmenter};
pub use model::ModelError;
pub use warp::{Filter, Outside, WarpError, Warper};

use crate::profile::PhotoSpec;

/// The matte is computed on the photo's area plus these margins (fractions of the photo's
/// width at each side, of its height above), so a head top above the first crop is still seen.
const CANVAS_SIDE_MARGIN: f32 = 0.08;
const CANVAS_TOP_MARGIN: f32 = 0.2;

/// What goes behind the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Background {
    /// The profile's background colour (the default).
    Profile,
    /// Another colour, e.g. white for the white edition.
    Colour([u8; 3]),
    /// The original backdrop, untouched (no matte).
    Keep,
}

/// A second face at least this wide (relative to the largest) makes the photo ambiguous.
/// Smaller ones are people far behind the student (the queue) and are only recorded.
const SECOND_FACE_MAX_RELATIVE_WIDTH: f32 = 0.5;

/// Why a frame could not be standardized.
#[derive(Clone, Debug)]
pub enum StandardizeError {
    /// No face found.
    NoFace,
    /// Two or more faces of similar size.
    SeveralFaces {
        /// How many.
        count: usize,
    },
    /// The face is so small that the photo would be a blurred upscale.
    FaceTooSmall {
        /// Required upscale factor.
        scale: f32,
        /// The profile's limit.
        max: f32,
    },
    /// No crop meets the profile without inventing the person or breaking a window.
    Crop(CropConflict),
    /// Model failure.
    Model(ModelError),
    /// Resampling failure.
    Warp(WarpError),
    /// The size window can't be met.
    Encode(EncodeError),
}

impl From<ModelError> for StandardizeError {
    fn from(e: ModelError) -> StandardizeError {
        StandardizeError::Model(e)
    }
}

impl From<WarpError> for StandardizeError {
    fn from(e: WarpError) -> StandardizeError {
        StandardizeError::Warp(e)
    }
}

impl From<EncodeError> for StandardizeError {
    fn from(e: EncodeError) -> StandardizeError {
        StandardizeError::Encode(e)
    }
}

/// One entry of the trail: a step and the wall time it took (the stage split that
/// `standardize --json` shows and the benches report).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrailStep {
    /// What was done, with its parameters.
    #[serde(flatten)]
    pub step: Step,
    /// Milliseconds it took.
    pub ms: f32,
}

/// Milliseconds since the last lap (the trail's stage times).
struct Stopwatch(Instant);

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    fn lap(&mut self) -> f32 {
        let now = Instant::now();
        let ms = (now - self.0).as_secs_f32() * 1000.0;
        self.0 = now;
        ms
    }
}

/// Appends `step` to `trail` with the time since the stopwatch's last lap.
fn record(trail: &mut Vec<TrailStep>, clock: &mut Stopwatch, step: Step) {
    trail.push(TrailStep { ms: clock.lap(), step });
}

/// What showed that a picture was not upright.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum TurnReason {
    /// The mesh's eye line lay nearer a side than level.
    Sideways {
        /// The eye line's angle in the picture as it was, degrees.
        face_roll_deg: f32,
    },
    /// The detector was much surer of the face in the picture turned over (a face upside down
    /// is fitted as if upright, so its eye line does not tell).
    UpsideDown {
        /// The detector's confidence as the picture was.
        score_as_is: f32,
        /// And turned over.
        score_turned: f32,
    },
}

/// Below this detector confidence a face may be upside down: the picture is also tried turned
/// over. Upright real portraits score 0.84–0.98 (one with a hand over the eyes 0.61, whose
/// turned-over copy shows no face); the same portraits upside down 0.52–0.77.
const UPRIGHT_SCORE_MIN: f32 = 0.8;
/// How much surer of the turned-over face the detector must be (turned back upright, those
/// portraits gain 0.09–0.43).
const UPSIDE_DOWN_MARGIN: f32 = 0.05;

/// Clockwise quarter turns that bring a face whose eye line lies at `roll_deg` upright, when
/// it lies nearer a side than upright (|roll| > 45°). The mesh's eye line tells a quarter
/// turn either way; a face upside down is fitted as upright and is not seen here.
fn quarter_turns_to_upright(roll_deg: f32) -> Option<u8> {
    let turns = (-roll_deg / 90.0).round().rem_euclid(4.0) as u8;
    (turns != 0).then_some(turns)
}

/// One step of the processing, with its parameters.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// The file was decoded.
    Decode(DecodeStep),
    /// The frame was chosen from a burst (which one, why, every frame's numbers).
    Burst(burst::BurstChoice),
    /// The picture lay on its side or upside down (saved so without an orientation tag, as chat
    /// apps and scanners do): it was turned by whole quarter turns, losslessly, and everything
    /// after this step is in the turned picture's pixels.
    Turn {
        /// Clockwise quarter turns (1 to 3).
        quarter_turns_cw: u8,
        /// What showed it.
        why: TurnReason,
    },
    /// Faces were detected.
    Detect {
        /// Model used.
        detector: DetectorKind,
        /// Faces found.
        faces_found: usize,
        /// Confidence of the face used.
        score: f32,
        /// Its box.
        box_in_frame: Rect,
    },
    /// The mesh was fitted.
    Landmarks {
        /// Mesh presence probability.
        presence: f32,
        /// The measures derived from it.
        measures: FaceMeasures,
    },
    /// Where the head top came from.
    HeadTop {
        /// Landmarks or matte.
        source: HeadTopSource,
        /// Eye line to the top of the hair, frame pixels.
        crown_above_eye_px: f32,
    },
    /// The photo was levelled and cropped.
    Crop {
        /// Rotation about the eye midpoint, degrees.
        rotation_deg: f32,
        /// Rotation centre.
        rotation_centre_in_frame: Point,
        /// Output pixels per frame pixel.
        scale: f32,
        /// The output's corners in the frame.
        crop_corners_in_frame: [Point; 4],
        /// Fraction of the output that lies outside the frame (filled from the nearest edge).
        outside_frame_fraction: f32,
        /// The geometry the crop produces.
        placed: PlacedGeometry,
    },
    /// The person was matted on a canvas around the photo.
    Matte {
        /// How the alpha was made.
        method: MatteMethod,
        /// Fixed parameters.
        params: MatteParams,
        /// The backdrop found behind the person.
        backdrop: Backdrop,
        /// Canvas size (photo plus margins), first-crop pixels.
        canvas_size_px: [u32; 2],
    },
    /// The person was put on the new background.
    Composite {
        /// The colour behind the person.
        background_rgb: [u8; 3],
        /// Whether the old backdrop's colour was subtracted from edge pixels.
        spill_removed: bool,
    },
    /// Pixels were resampled.
    Resample {
        /// Convolution filter of the resize.
        filter: Filter,
        /// Interpolation of the rotation.
        rotation_interpolation: &'static str,
        /// Output size.
        size_px: [u32; 2],
    },
    /// The JPEG was encoded.
    Encode {
        /// Quality used.
        quality: u8,
        /// File size.
        bytes: u64,
        /// DPI tag.
        dpi: u16,
        /// Every quality tried.
        attempts: Vec<EncodeAttempt>,
    },
}

/// A standardized photo and everything that led to it.
#[derive(Clone, Debug)]
pub struct Standardized {
    /// The output pixels (before JPEG).
    pub photo: RgbImage,
    /// The encoded file.
    pub jpeg: EncodedJpeg,
    /// The face used.
    pub face: FaceBox,
    /// Other, much smaller faces seen in the frame.
    pub other_faces: Vec<FaceBox>,
    /// Its landmarks.
    pub landmarks: Landmarks,
    /// Measures derived from them.
    pub measures: FaceMeasures,
    /// The head as the crop saw it.
    pub head: HeadGeometry,
    /// The crop.
    pub plan: CropPlan,
    /// The person's alpha at output resolution (none with [`Background::Keep`]).
    pub alpha: Option<GrayImage>,
    /// What a new background needs: the photo before compositing, the alpha, the backdrop.
    recomposite: Option<Recomposite>,
    /// Every step with its parameters and time.
    pub trail: Vec<TrailStep>,
}

/// The pieces that put the same capture on another background colour.
#[derive(Clone, Debug)]
struct Recomposite {
    crop: RgbImage,
    backdrop: Backdrop,
    to_canvas: matte::PhotoToCanvas,
}

impl Standardized {
    /// Clockwise quarter turns given to a picture that lay on its side or upside down (0 for most).
    pub fn quarter_turns_cw(&self) -> u8 {
        self.trail
            .iter()
            .find_map(|t| if let Step::Turn { quarter_turns_cw, .. } = t.step { Some(quarter_turns_cw) } else { None })
            .unwrap_or(0)
    }

    /// Which frame of the burst was kept (0 for a single frame).
    pub fn chosen_frame(&self) -> usize {
        self.trail
            .iter()
            .find_map(|t| if let Step::Burst(choice) = &t.step { Some(choice.chosen) } else { None })
            .unwrap_or(0)
    }

    /// The landmarks mapped from the frame into the photo (depth scaled alike).
    pub fn landmarks_in_photo(&self) -> Landmarks {
        let to_photo = &self.plan.photo_to_frame;
        let points = self
            .landmarks
            .points_in_frame
            .iter()
            .map(|&[x, y, z]| {
                let p = to_photo.src_to_dst(Point::new(x, y));
                [p.x, p.y, z * to_photo.scale]
            })
            .collect();
        Landmarks { points_in_frame: points, presence: self.landmarks.presence }
    }

    /// The same photo on another background colour (the white edition, say) without shooting
    /// or matting again; `None` when it was made with [`Background::Keep`].
    pub fn on_background(&self, target_rgb: [u8; 3]) -> Option<RgbImage> {
        let (r, alpha) = (self.recomposite.as_ref()?, self.alpha.as_ref()?);
        Some(matte::composite(&r.crop, alpha, &r.backdrop, &r.to_canvas, target_rgb))
    }
}

/// The models and scratch buffers for standardizing frames; build once, reuse per photo.
pub struct Pipeline {
    detector: FaceDetector,
    mesh: FaceMesh,
    segmenter: PersonSegmenter,
    warper: Warper,
    /// How many threads its pool has.
    threads: usize,
    /// This pipeline's own thread pool, built for its first photo (see [`Pipeline::on_pool`]).
    pool: Option<Arc<rayon::ThreadPool>>,
}

/// The face analysis without cropping (the live preview and the checks use it).
#[derive(Clone, Debug)]
pub struct FaceAnalysis {
    /// The face used.
    pub face: FaceBox,
    /// Other, much smaller faces.
    pub other_faces: Vec<FaceBox>,
    /// Its landmarks.
    pub landmarks: Landmarks,
    /// Derived measures.
    pub measures: FaceMeasures,
}

impl Pipeline {
    /// The embedded models, each loaded and optimised on its first use; build once, reuse.
    pub fn new() -> Pipeline {
        Pipeline::with_threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// A pipeline whose photos run on `threads` threads: one per core when it is the only one
    /// at work; when several pipelines run side by side (a batch), the cores shared among them.
    pub fn with_threads(threads: usize) -> Pipeline {
        Pipeline {
            detector: FaceDetector::new(),
            mesh: FaceMesh::new(),
            segmenter: PersonSegmenter::new(),
            warper: Warper::default(),
            threads: threads.max(1),
            pool: None,
        }
    }

    /// Loads now the models every shot runs (short-range detector, mesh, person segmenter), so
    /// a booth's first shot is as quick as the others. A one-photo command need not call it.
    pub fn warm_up(&self) -> Result<(), ModelError> {
        self.detector.warm_up()?;
        self.mesh.warm_up()?;
        self.segmenter.warm_up()
    }

    /// Runs `work` on a thread of its own while this thread loads the busy-backdrop matting
    /// model (MODNet), and returns what `work` returns. For a command that standardizes photos
    /// from a cold start: it cannot know a backdrop is busy before the person segmenter has run,
    /// and by then the load (about 0.25 s) would come on top; begun first, it overlaps the other
    /// models' loads and runs, and a plain backdrop never waits for it. (Loading on the calling
    /// thread rather than a new one keeps the load's scratch memory in the main heap, which
    /// gives it back: 40 MB less at the peak of a batch.) A load error is not lost: the first
    /// photo that needs MODNet loads it again and reports it. The station does not use this: a
    /// booth with a plain wall never needs MODNet in memory.
    pub fn while_loading_matting<R: Send>(work: impl FnOnce() -> R + Send) -> R {
        std::thread::scope(|scope| {
            let worker = scope.spawn(work);
            let _ = PersonSegmenter::load_modnet();
            worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Loads now the one model the live hints run (the short-range detector).
    pub fn warm_up_live(&self) -> Result<(), ModelError> {
        self.detector.warm_up()
    }

    /// All faces in a frame, best first.
    pub fn detect(&mut self, frame: &RgbImage) -> Result<Vec<FaceBox>, ModelError> {
        self.detector.detect(frame, &mut self.warper)
    }

    /// Fits the 468-point mesh to one detected face. A detection the mesh does not see as a
    /// face (a cat, a pattern on a shirt) counts as no face.
    pub fn fit_landmarks(&mut self, frame: &RgbImage, face: &FaceBox) -> Result<Landmarks, StandardizeError> {
        self.mesh.fit(frame, face, &mut self.warper)?.map_err(|_| StandardizeError::NoFace)
    }

    /// Detects the one face and fits its landmarks.
    pub fn analyse(&mut self, frame: &RgbImage) -> Result<FaceAnalysis, StandardizeError> {
        let (face, other_faces) = self.find_face(frame)?;
        let landmarks = self.fit_landmarks(frame, &face)?;
        let measures = landmarks.measures();
        Ok(FaceAnalysis { face, other_faces, landmarks, measures })
    }

    /// The one face to photograph, and the much smaller ones behind it.
    fn find_face(&mut self, frame: &RgbImage) -> Result<(FaceBox, Vec<FaceBox>), StandardizeError> {
        let mut faces = self.detect(frame)?;
        faces.sort_by(|a, b| b.box_in_frame.width.total_cmp(&a.box_in_frame.width));
        let Some(face) = faces.first().cloned() else { return Err(StandardizeError::NoFace) };
        let other_faces: Vec<FaceBox> = faces.split_off(1);
        let similar = other_faces
            .iter()
            .filter(|f| f.box_in_frame.width >= SECOND_FACE_MAX_RELATIVE_WIDTH * face.box_in_frame.width)
            .count();
        if similar > 0 {
            return Err(StandardizeError::SeveralFaces { count: similar + 1 });
        }
        Ok((face, other_faces))
    }

    /// Standardizes one upright photo to `spec` on the profile's background colour.
    pub fn standardize(&mut self, source: &SourcePhoto, spec: &PhotoSpec) -> Result<Standardized, StandardizeError> {
        self.standardize_with(source, spec, Background::Profile)
    }

    /// The person's matte over a whole image (for inspection: `tucai matte`).
    pub fn matte_frame(&mut self, frame: &RgbImage) -> Result<Matte, ModelError> {
        self.segmenter.matte(frame, &mut self.warper)
    }

    /// The person's coarse alpha over a whole image (see [`PersonSegmenter::coarse_alpha`]).
    pub fn person_mask(&mut self, frame: &RgbImage) -> Result<GrayImage, ModelError> {
        self.segmenter.coarse_alpha(frame, &mut self.warper)
    }

    /// Mattes the person on a canvas around the first crop and moves the head top to the
    /// matte's. Returns the matte, the canvas' map to the frame and the canvas size.
    fn matte_around(
        &mut self,
        frame: &RgbImage,
        first: &CropPlan,
        head: &mut HeadGeometry,
        size: (u32, u32),
    ) -> Result<(Matte, Similarity, [u32; 2]), StandardizeError> {
        let margin_x = (size.0 as f32 * CANVAS_SIDE_MARGIN).round();
        let margin_top = (size.1 as f32 * CANVAS_TOP_MARGIN).round();
        let anchor = first.photo_to_frame.anchor_in_dst;
        let canvas_to_frame = Similarity {
            anchor_in_dst: Point::new(anchor.x + margin_x, anchor.y + margin_top),
            ..first.photo_to_frame
        };
        let canvas_size = (size.0 + 2 * margin_x as u32, size.1 + margin_top as u32);
        let canvas = self.warper.warp(frame, &canvas_to_frame, canvas_size, Filter::Bilinear, Outside::Edge)?;
        let matte = self.segmenter.matte(&canvas.image, &mut self.warper)?;
        let eye_in_canvas = canvas_to_frame.src_to_dst(head.eye_mid_in_frame);
        let half_face = first.placed.face_width_px / 2.0;
        let columns = ((eye_in_canvas.x - half_face).max(0.0) as u32, (eye_in_canvas.x + half_face).max(0.0) as u32);
        if let Some(row) = matte::head_top_row(&matte.alpha, columns, eye_in_canvas.y.max(0.0) as u32) {
            head.crown_above_eye_px = (eye_in_canvas.y - row as f32) / first.scale;
            head.head_top_source = HeadTopSource::Matte;
        }
        Ok((matte, canvas_to_frame, [canvas_size.0, canvas_size.1]))
    }

    /// Standardizes one upright photo to `spec` with the given background (on this pipeline's
    /// pool, see [`Pipeline::on_pool`]).
    pub fn standardize_with(
        &mut self,
        source: &SourcePhoto,
        spec: &PhotoSpec,
        background: Background,
    ) -> Result<Standardized, StandardizeError> {
        self.on_pool(|pipeline| pipeline.standardize_here(source, spec, background, true))
    }

    /// Runs a photo's `work` on this pipeline's own thread pool (built on first use) and
    /// returns what it returns; the calling thread waits. The photo's work splits over the pool
    /// (MODNet's matrix products, our pixel loops) and the thread running the photo works on
    /// the splits too, by work stealing; begun on a thread outside the pool, each split would
    /// be queued and the photo's thread would sleep until it is done. Measured on two cores: a
    /// 1920×1080 shot 121 → 108 ms (plain) and 295 → 246 ms (busy).
    ///
    /// The pool is this pipeline's, not rayon's global one: tract keeps a matrix product's
    /// scratch borrowed while the product waits for its splits, so a waiting thread that stole
    /// another photo's work would run a second model on the same scratch (a panic, seen with
    /// two photos on the global pool). A pipeline runs one photo at a time, and no model runs
    /// inside a split, so nothing a waiting thread can steal here runs a model.
    pub fn on_pool<R: Send>(&mut self, work: impl FnOnce(&mut Pipeline) -> R + Send) -> R {
        let pool = match &self.pool {
            Some(pool) => Arc::clone(pool),
            None => {
                let built = rayon::ThreadPoolBuilder::new()
                    .num_threads(self.threads)
                    .thread_name(|i| format!("tucai-photo-{i}"))
                    .build();
                match built {
                    Ok(pool) => Arc::clone(self.pool.insert(Arc::new(pool))),
                    // No threads to be had: the photo runs on the calling thread.
                    Err(_) => return work(self),
                }
            }
        };
        pool.install(|| work(self))
    }

    /// Whether a face the detector found with confidence `score` is upside down: a doubtful
    /// face (below `UPRIGHT_SCORE_MIN`) that the detector is much surer of in the picture
    /// turned over. A face upside down is fitted as if upright, so its eye line does not tell;
    /// this is asked only once the eye line has shown the face is not on its side (a sideways
    /// face turned over is as doubtful the other way).
    fn upside_down(&mut self, source: &SourcePhoto, score: f32) -> Option<TurnReason> {
        if score >= UPRIGHT_SCORE_MIN {
            return None;
        }
        let score_turned = self.find_face(&source.turned(2).image).map_or(0.0, |(f, _)| f.score);
        (score_turned >= score + UPSIDE_DOWN_MARGIN)
            .then_some(TurnReason::UpsideDown { score_as_is: score, score_turned })
    }

    /// Standardizes a picture turned upright (no further turn), the turn in its trail.
    fn turned_then_standardized(
        &mut self,
        turned: &SourcePhoto,
        quarter_turns_cw: u8,
        why: TurnReason,
        clock: &mut Stopwatch,
        spec: &PhotoSpec,
        background: Background,
    ) -> Result<Standardized, StandardizeError> {
        let turn = TrailStep { step: Step::Turn { quarter_turns_cw, why }, ms: clock.lap() };
        let mut done = self.standardize_here(turned, spec, background, false)?;
        done.trail.insert(1, turn);
        Ok(done)
    }

    /// `may_turn`: whether a picture on its side or upside down may be turned upright first (once).
    fn standardize_here(
        &mut self,
        source: &SourcePhoto,
        spec: &PhotoSpec,
        background: Background,
        may_turn: bool,
    ) -> Result<Standardized, StandardizeError> {
        let frame = &source.image;
        let mut clock = Stopwatch::start();
        let decoded = Step::Decode(DecodeStep {
            stored_size_px: source.stored_size_px,
            exif_orientation: source.exif_orientation.clone(),
        });
        let mut trail = vec![TrailStep { step: decoded, ms: source.decode_ms }];
        let (face, other_faces) = self.find_face(frame)?;
        // Refuse a face too small to reach the profile before the mesh tries to read it: the
        // detector box is about as wide as the cheeks, and even the narrowest allowed face
        // width would need more enlargement than the profile accepts.
        let least_scale = spec.geometry.face_width_px.min / face.box_in_frame.width.max(1.0);
        if least_scale > spec.checks.source_upscale_max {
            return Err(StandardizeError::FaceTooSmall { scale: least_scale, max: spec.checks.source_upscale_max });
        }
        let detected = Step::Detect {
            detector: face.detector,
            faces_found: 1 + other_faces.len(),
            score: face.score,
            box_in_frame: face.box_in_frame,
        };
        record(&mut trail, &mut clock, detected);
        let landmarks = match self.fit_landmarks(frame, &face) {
            Ok(landmarks) => landmarks,
            // The mesh can fail to read a face upside down at all (a hand over it).
            Err(no_face) => {
                let over = if may_turn { self.upside_down(source, face.score) } else { None };
                let Some(why) = over else { return Err(no_face) };
                return self.turned_then_standardized(&source.turned(2), 2, why, &mut clock, spec, background);
            }
        };
        let analysis = FaceAnalysis { measures: landmarks.measures(), face, other_faces, landmarks };
        let roll_deg = analysis.measures.roll_deg;
        if let Some(quarter_turns_cw) = quarter_turns_to_upright(roll_deg).filter(|_| may_turn) {
            // A tilt is levelled by the crop; a picture on its side is turned whole first.
            let turned = source.turned(quarter_turns_cw);
            let why = TurnReason::Sideways { face_roll_deg: roll_deg };
            return self.turned_then_standardized(&turned, quarter_turns_cw, why, &mut clock, spec, background);
        }
        // A face upside down is fitted as if upright (its eye line level): see `upside_down`.
        let over = if may_turn { self.upside_down(source, analysis.face.score) } else { None };
        if let Some(why) = over {
            return self.turned_then_standardized(&source.turned(2), 2, why, &mut clock, spec, background);
        }
        let fitted = Step::Landmarks { presence: analysis.landmarks.presence, measures: analysis.measures.clone() };
        record(&mut trail, &mut clock, fitted);

        let size = (spec.output.width_px, spec.output.height_px);
        let mut head = HeadGeometry::from_landmarks(&analysis.measures);
        let target_rgb = match background {
            Background::Profile => Some(spec.output.background_rgb),
            Background::Colour(c) => Some(c),
            Background::Keep => None,
        };
        let matted = match target_rgb {
            Some(_) => {
                // Only a canvas for the matte: what it can't meet is judged on the final plan.
                let first = plan_crop(&head, &spec.geometry, size, frame.dimensions());
                let (matte, canvas_to_frame, canvas_size_px) = self.matte_around(frame, &first, &mut head, size)?;
                let step = Step::Matte {
                    method: matte.method,
                    params: matte::MATTE_PARAMS,
                    backdrop: matte.backdrop,
                    canvas_size_px,
                };
                record(&mut trail, &mut clock, step);
                Some((matte, canvas_to_frame))
            }
            None => None,
        };
        let head_top = Step::HeadTop { source: head.head_top_source, crown_above_eye_px: head.crown_above_eye_px };
        record(&mut trail, &mut clock, head_top);
        let plan = plan_crop(&head, &spec.geometry, size, frame.dimensions());
        if plan.scale > spec.checks.source_upscale_max {
            return Err(StandardizeError::FaceTooSmall { scale: plan.scale, max: spec.checks.source_upscale_max });
        }
        if let Some(conflict) = plan.conflict {
            return Err(StandardizeError::Crop(conflict));
        }
        // Where the crop runs past the frame only background may be filled: the person's alpha
        // in the photo, confined to the frame (the crop moved sideways if a shoulder is in the way).
        let (plan, confined) = match &matted {
            Some((matte, canvas_to_frame)) => {
                let alpha_of = |p: &CropPlan| {
                    matte::resample_alpha(
                        &matte.alpha,
                        &matte::PhotoToCanvas::new(&p.photo_to_frame, canvas_to_frame),
                        size,
                    )
                };
                let tolerance = spec.geometry.center_tolerance_px;
                let (plan, alpha) = confine_within_centring(plan, frame.dimensions(), tolerance, alpha_of)
                    .map_err(StandardizeError::Crop)?;
                (plan, Some(alpha))
            }
            None => (plan, None),
        };
        let plan_ms = clock.lap();
        let warped = self.warper.warp(frame, &plan.photo_to_frame, size, Filter::Lanczos3, Outside::Edge)?;
        let cropped = Step::Crop {
            rotation_deg: plan.rotation_deg,
            rotation_centre_in_frame: head.eye_mid_in_frame,
            scale: plan.scale,
            crop_corners_in_frame: plan.crop_corners_in_frame,
            outside_frame_fraction: warped.outside_fraction,
            placed: plan.placed.clone(),
        };
        trail.push(TrailStep { step: cropped, ms: plan_ms });
        let resampled = Step::Resample {
            filter: Filter::Lanczos3,
            rotation_interpolation: "catmull_rom",
            size_px: [size.0, size.1],
        };
        record(&mut trail, &mut clock, resampled);

        let (photo, alpha, recomposite) = match (matted, confined, target_rgb) {
            (Some((matte, canvas_to_frame)), Some(alpha), Some(target)) => {
                let to_canvas = matte::PhotoToCanvas::new(&plan.photo_to_frame, &canvas_to_frame);
                let photo = matte::composite(&warped.image, &alpha, &matte.backdrop, &to_canvas, target);
                let composited = Step::Composite { background_rgb: target, spill_removed: matte.backdrop.plain };
                record(&mut trail, &mut clock, composited);
                let recomposite = Recomposite { crop: warped.image, backdrop: matte.backdrop, to_canvas };
                (photo, Some(alpha), Some(recomposite))
            }
            _ => (warped.image, None, None),
        };
        let jpeg = encode_to_profile(&photo, &spec.output)?;
        let encoded = Step::Encode {
            quality: jpeg.quality,
            bytes: jpeg.bytes.len() as u64,
            dpi: spec.output.dpi,
            attempts: jpeg.attempts.clone(),
        };
        record(&mut trail, &mut clock, encoded);
        Ok(Standardized {
            photo,
            jpeg,
            face: analysis.face,
            other_faces: analysis.other_faces,
            landmarks: analysis.landmarks,
            measures: analysis.measures,
            head,
            plan,
            alpha,
            recomposite,
            trail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilt_is_left_to_the_crop_and_a_side_or_upside_down_is_turned_whole() {
        for roll in [0.0, 30.0, -44.0, 44.9] {
            assert_eq!(quarter_turns_to_upright(roll), None, "{roll}");
        }
        // The eye line pointing down the picture (its face lying to the left): turn clockwise.
        assert_eq!(quarter_turns_to_upright(-90.7), Some(1));
        assert_eq!(quarter_turns_to_upright(87.2), Some(3));
        assert_eq!(quarter_turns_to_upright(179.0), Some(2));
        assert_eq!(quarter_turns_to_upright(-178.0), Some(2));
    }
}
