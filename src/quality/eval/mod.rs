//! An evaluation the numbers can be trusted from: a labelled set generated from real
//! portraits by controlled degradations ([`generate`]), and the per-code precision and
//! recall of the checks on it, with the false-reject rate on clean photos ([`evaluate`]).
//!
//! Labels: each sample says which codes it **must** raise (the degradation at a strength a
//! reviewer would reject) and which it **may** raise (a milder strength, or a finding the
//! degradation also causes for real: a shrunk head also moves the eye line). Recall counts the
//! musts; a failure counts against precision only when it is neither a must nor a may. Clean
//! samples are the portraits standardized from varied framings, exposures and sharpness; a
//! clean sample that fails anything not in its labels is a false reject.

mod degrade;

use std::collections::BTreeMap;
use std::path::Path;

use image::{GrayImage, RgbImage};
use serde::{Deserialize, Serialize};

use super::{Code, Evidence, Report};
use crate::imaging::{
    EncodeError, Filter, ModelError, Outside, Pipeline, Point, Similarity, SourcePhoto, StandardizeError, Warper,
    encode_jpeg, encode_to_profile,
};
use crate::profile::PhotoSpec;
use degrade::Base;

/// The labels file in a set's folder.
pub const LABELS_FILE: &str = "labels.json";

/// One photo of the set and what the checks must say about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// File name inside the set's folder.
    pub file: String,
    /// The portrait it was made from.
    pub portrait: String,
    /// `clean` or the degradation's name.
    pub degradation: String,
    /// The degradation's strength (its own unit), 0 for clean.
    pub strength: f32,
    /// The degradation's code when its strength is one a reviewer rejects: the code the
    /// check must name first (after what the portrait shows itself).
    pub code: Option<Code>,
    /// Codes that must fail.
    pub must: Vec<Code>,
    /// Codes that may fail without counting as false alarms.
    pub may: Vec<Code>,
    /// What the portrait shows itself (a cap, a smile): must fail on its clean samples, may
    /// on the degraded ones (a degradation can hide it), and is never the problem to name.
    #[serde(default)]
    pub shows: Vec<Code>,
}

/// The labels of a set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    /// Profile the set was made for and is checked against.
    pub profile: String,
    /// The samples.
    pub samples: Vec<Sample>,
}

/// What can go wrong making or reading a set.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// Reading or writing a file.
    #[error("{path}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The labels file is not what `generate` writes.
    #[error("{path} is not a labels file: {message}")]
    Labels {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A portrait could not be standardized (so it can't seed the set).
    #[error("portrait {name}")]
    Portrait {
        /// Its name.
        name: String,
        /// Why.
        #[source]
        source: StandardizeError,
    },
    /// The models failed.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Encoding a sample failed.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// Things the bundled portraits show themselves, which every sample made from them carries:
/// the astronaut smiles with her teeth showing, which the reviewers reject as an open mouth,
/// and her hair covers her ears; Grace Hopper wears her naval cap (headwear).
const INHERENT: &[(&str, &[Code])] =
    &[("astronaut", &[Code::MouthOpen, Code::EarsHidden]), ("grace_hopper", &[Code::Headwear])];

/// How a clean variant differs from the portrait: shift of the framing in source pixels,
/// scale, rotation in degrees, exposure gain, blur σ (a slightly soft lens).
#[derive(Clone, Copy, Debug)]
struct Variant {
    name: &'static str,
    shift_px: (f32, f32),
    scale: f32,
    rotate_deg: f32,
    gain: f32,
    blur_sigma: f32,
}

const fn v(
    name: &'static str,
    shift_px: (f32, f32),
    scale: f32,
    rotate_deg: f32,
    gain: f32,
    blur_sigma: f32,
) -> Variant {
    Variant { name, shift_px, scale, rotate_deg, gain, blur_sigma }
}

/// Framings, exposures and sharpness a booth produces on a good day. The first two seed the
/// degradations.
const VARIANTS: &[Variant] = &[
    v("as-shot", (0.0, 0.0), 1.0, 0.0, 1.0, 0.0),
    v("closer", (0.0, 0.0), 1.15, 0.0, 1.0, 0.0),
    v("left", (-30.0, 0.0), 1.0, 0.0, 1.0, 0.0),
    v("right", (30.0, 0.0), 1.0, 0.0, 1.0, 0.0),
    v("low", (0.0, 25.0), 1.0, 0.0, 1.0, 0.0),
    v("high", (0.0, -25.0), 1.0, 0.0, 1.0, 0.0),
    v("farther", (0.0, 0.0), 0.9, 0.0, 1.0, 0.0),
    v("tilt-2", (0.0, 0.0), 1.0, -2.0, 1.0, 0.0),
    v("tilt+2", (0.0, 0.0), 1.0, 2.0, 1.0, 0.0),
    v("tilt+4", (0.0, 0.0), 1.0, 4.0, 1.0, 0.0),
    v("darker", (0.0, 0.0), 1.0, 0.0, 0.85, 0.0),
    v("brighter", (0.0, 0.0), 1.0, 0.0, 1.12, 0.0),
    v("soft", (0.0, 0.0), 1.0, 0.0, 1.0, 0.6),
    v("soft-far", (10.0, 0.0), 0.95, 1.0, 1.0, 0.5),
    v("mixed-a", (-15.0, 10.0), 1.05, -1.5, 0.93, 0.0),
    v("mixed-b", (15.0, -10.0), 1.1, 1.5, 1.06, 0.3),
];

/// How many of [`VARIANTS`] seed the degradations.
const DEGRADED_BASES: usize = 2;

/// A degraded sample's pixels, or a whole file for the file-level faults.
enum Made {
    Pixels(RgbImage),
    File { bytes: Vec<u8>, extension: &'static str },
}

/// One degradation: its name, the code it must raise, the codes it may raise too, its
/// strengths with whether a reviewer rejects at that strength.
struct Degradation {
    name: &'static str,
    code: Code,
    also: &'static [Code],
    strengths: &'static [(f32, bool)],
    make: fn(&Base, &PhotoSpec, f32) -> Result<Made, EncodeError>,
}

fn pixels(image: RgbImage) -> Result<Made, EncodeError> {
    Ok(Made::Pixels(image))
}

/// Geometry codes a rescaled or rotated photo also misses for real.
const GEOMETRY: &[Code] = &[
    Code::FaceWidth,
    Code::HeadTopMargin,
    Code::EyeLine,
    Code::FaceOffCenter,
    Code::HeadHeight,
    Code::ClothingContrast,
];

/// A tilted head also brings the hair nearer one brow and the ear boxes onto the hair.
const TILTED: &[Code] = &[
    Code::FaceWidth,
    Code::HeadTopMargin,
    Code::EyeLine,
    Code::FaceOffCenter,
    Code::HeadHeight,
    Code::ClothingContrast,
    Code::HairOverEyes,
    Code::EarsHidden,
];

/// A mask also hides the mouth and shades the face; its loops go over the ears.
const MASK_ALSO: &[Code] = &[
    Code::MouthOpen,
    Code::Retouched,
    Code::LightingUneven,
    Code::TopLight,
    Code::Blur,
    Code::Rephotographed,
    Code::EarsHidden,
];

fn degradations() -> Vec<Degradation> {
    use Code::*;
    let d = |name, code, also, strengths, make| Degradation { name, code, also, strengths, make };
    vec![
        d(
            "side-light",
            LightingUneven,
            &[FaceUnderexposed, EarsHidden][..],
            &[(0.25, false), (0.5, true), (0.65, true)][..],
            |b, _, s| pixels(degrade::side_light(b, s)),
        ),
        d(
            "under-exposed",
            FaceUnderexposed,
            &[TopLight, Blur, Retouched],
            &[(0.6, false), (0.42, true), (0.3, true)],
            |b, _, s| pixels(degrade::exposure(b, s)),
        ),
        d(
            "over-exposed",
            FaceOverexposed,
            // Clipped skin is no skin colour at all: what is judged against it follows.
            &[
                TopLight,
                Retouched,
                Blur,
                MatteHalo,
                Headwear,
                HairOverEyes,
                Accessories,
                FaceOccluded,
                GlassesTinted,
                EarsHidden,
            ],
            &[(1.2, false), (1.45, true), (1.7, true)],
            |b, _, s| pixels(degrade::exposure(b, s)),
        ),
        // A crown washed towards white looks like a white cap: either is rejected.
        d(
            "top-light",
            TopLight,
            &[FaceOverexposed, Headwear],
            &[(0.4, false), (0.75, true), (0.9, true)],
            |b, _, s| pixels(degrade::top_light(b, s)),
        ),
        d(
            "blur",
            Blur,
            &[Retouched, Rephotographed, EyesClosed],
            &[(1.2, false), (2.5, true), (3.5, true)],
            |b, _, s| pixels(degrade::blur(&b.photo, s)),
        ),
        d("shrunk-head", FaceWidth, GEOMETRY, &[(0.88, false), (0.75, true), (0.62, true)], |b, _, s| {
            let about = Point::new(b.photo.width() as f32 / 2.0, b.photo.height() as f32);
            pixels(degrade::transform(b, s, 0.0, about))
        }),
        d("tilted", Roll, TILTED, &[(3.0, false), (7.0, true), (10.0, true)], |b, _, s| {
            pixels(degrade::transform(b, 1.0, s, b.measures.eye_mid_in_frame))
        }),
        d("blue-top", ClothingContrast, &[], &[(0.4, false), (0.85, true), (1.0, true)], |b, _, s| {
            pixels(degrade::top_colour(b, s))
        }),
        d(
            "glasses-glare",
            GlassesGlare,
            &[EyesClosed, EarsHidden, HairOverEyes],
            &[(0.015, false), (0.035, true), (0.05, true)],
            |b, _, s| pixels(degrade::glare(b, s)),
        ),
        d("red-eye", RedEye, &[], &[(0.08, false), (0.14, true), (0.2, true)], |b, _, s| {
            pixels(degrade::red_eye(b, s))
        }),
        d(
            "screen-photo",
            Rephotographed,
            &[Blur, Retouched, BackgroundUneven],
            &[(0.02, false), (0.06, true), (0.1, true)],
            |b, _, s| pixels(degrade::moire(&b.photo, s)),
        ),
        d("smoothed-skin", Retouched, &[], &[(0.002, false), (0.01, true), (0.03, true)], |b, _, s| {
            pixels(degrade::smooth_skin(b, s))
        }),
        d("second-face", FaceMultiple, &[MatteHalo], &[(0.25, false), (0.42, true), (0.5, true)], |b, _, s| {
            pixels(degrade::second_face(b, s))
        }),
        d("halo", MatteHalo, &[BackgroundUneven], &[(1.0, false), (2.0, true), (3.0, true)], |b, _, s| {
            pixels(degrade::halo(b, s as usize))
        }),
        d(
            "background-shadow",
            BackgroundUneven,
            &[BackgroundColor],
            &[(0.06, false), (0.2, true), (0.3, true)],
            |b, _, s| pixels(degrade::background_shadow(b, s)),
        ),
        d(
            "wrong-background",
            BackgroundColor,
            &[ClothingContrast, MatteHalo],
            &[(0.15, false), (0.5, true), (1.0, true)],
            |b, _, s| pixels(degrade::recolour_background(b, s)),
        ),
        d(
            "wrong-size",
            FileDimensions,
            &[FaceWidth, HeadTopMargin, EyeLine, FaceOffCenter, HeadHeight, FileSize, Blur],
            &[(0.86, true), (1.25, true)],
            |b, spec, s| {
                let (w, h) = ((spec.output.width_px as f32 * s) as u32, (spec.output.height_px as f32 * s) as u32);
                let resized = image::imageops::resize(&b.photo, w, h, image::imageops::FilterType::Lanczos3);
                let output = crate::profile::OutputSpec { width_px: w, height_px: h, ..spec.output.clone() };
                let jpeg = encode_to_profile(&resized, &output).or_else(|_| {
                    encode_jpeg(&resized, 75, spec.output.dpi).map(|bytes| crate::imaging::EncodedJpeg {
                        bytes,
                        quality: 75,
                        attempts: Vec::new(),
                    })
                })?;
                Ok(Made::File { bytes: jpeg.bytes, extension: "jpg" })
            },
        ),
        d("wrong-dpi", FileDpi, &[], &[(72.0, true), (96.0, true), (350.0, true)], |b, spec, s| {
            let output = crate::profile::OutputSpec { dpi: s as u16, ..spec.output.clone() };
            Ok(Made::File { bytes: encode_to_profile(&b.photo, &output)?.bytes, extension: "jpg" })
        }),
        d("png", FileFormat, &[FileSize, FileDpi, JpegQuality], &[(1.0, true)], |b, _, _| {
            let mut bytes = Vec::new();
            b.photo
                .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
                .map_err(|e| EncodeError::Encoder(e.to_string()))?;
            Ok(Made::File { bytes, extension: "png" })
        }),
        d("greyscale", FileFormat, &[BackgroundColor, ClothingContrast, FileSize], &[(1.0, true)], |b, spec, _| {
            Ok(Made::File { bytes: degrade::greyscale_jpeg(&b.photo, spec.output.dpi)?, extension: "jpg" })
        }),
        d("big-file", FileSize, &[], &[(95.0, true)], |b, spec, s| {
            Ok(Made::File { bytes: encode_jpeg(&b.photo, s as u8, spec.output.dpi)?, extension: "jpg" })
        }),
        d(
            "hat",
            Headwear,
            &[HeadTopMargin, TopLight, HairOverEyes, MatteHalo],
            &[(0.45, true), (0.75, true)],
            |b, _, s| pixels(degrade::hat(b, s)),
        ),
        d("headband", Headwear, &[TopLight], &[(0.06, true), (0.1, true)], |b, _, s| pixels(degrade::headband(b, s))),
        d(
            "sunglasses",
            GlassesTinted,
            &[EyesClosed, GlassesGlare, LightingUneven, Retouched],
            &[(0.3, false), (0.7, true), (0.95, true)],
            |b, _, s| pixels(degrade::sunglasses(b, s)),
        ),
        d("mask", FaceOccluded, MASK_ALSO, &[(0.3, true), (0.9, true)], |b, _, s| {
            pixels(degrade::mask(b, s, degrade::SURGICAL_MASK_RGB))
        }),
        d("black-mask", FaceOccluded, MASK_ALSO, &[(0.3, true), (0.9, true)], |b, _, s| {
            pixels(degrade::mask(b, s, degrade::BLACK_MASK_RGB))
        }),
        d(
            "bangs",
            HairOverEyes,
            &[Headwear, TopLight, EyesClosed],
            &[(0.5, false), (1.05, true), (1.2, true)],
            |b, _, s| pixels(degrade::bangs(b, s)),
        ),
        d("ears-covered", EarsHidden, &[], &[(0.08, false), (0.2, true), (0.3, true)], |b, _, s| {
            pixels(degrade::ears_covered(b, s))
        }),
        d(
            "washed-out",
            FaceOverexposed,
            &[
                TopLight,
                Retouched,
                Blur,
                MatteHalo,
                GlassesGlare,
                ClothingContrast,
                EyesClosed,
                BackgroundColor,
                EarsHidden,
            ],
            &[(0.25, false), (0.55, true), (0.7, true)],
            |b, _, s| pixels(degrade::washed_out(b, s)),
        ),
        d("eye-patch", EyesClosed, &[Retouched, Blur], &[(1.0, false), (4.0, true), (6.0, true)], |b, _, s| {
            pixels(degrade::eye_patch(b, s))
        }),
        d("dark-mouth", MouthOpen, &[], &[(0.02, false), (0.07, true), (0.1, true)], |b, _, s| {
            pixels(degrade::dark_mouth(b, s))
        }),
        d("earrings", Accessories, &[], &[(0.012, false), (0.025, true), (0.035, true)], |b, _, s| {
            pixels(degrade::earrings(b, s))
        }),
        // A strand of pearls is a necklace at any size the camera resolves (beads of 5 px and up).
        d("necklace", Accessories, &[], &[(0.012, true), (0.025, true)], |b, _, s| pixels(degrade::necklace(b, s))),
        d("low-quality", JpegQuality, &[FileSize, Retouched, Blur], &[(40.0, true), (25.0, true)], |b, spec, s| {
            Ok(Made::File { bytes: encode_jpeg(&b.photo, s as u8, spec.output.dpi)?, extension: "jpg" })
        }),
    ]
}

/// A portrait's clean variant as a source frame.
fn variant_source(source: &SourcePhoto, v: &Variant, warper: &mut Warper) -> SourcePhoto {
    let (w, h) = (source.image.width(), source.image.height());
    let centre = Point::new(w as f32 / 2.0, h as f32 / 2.0);
    let map = Similarity {
        scale: v.scale,
        angle_rad: v.rotate_deg.to_radians(),
        anchor_in_dst: Point::new(centre.x - v.shift_px.0, centre.y - v.shift_px.1),
        origin_in_src: centre,
    };
    let mut image = warper
        .warp(&source.image, &map, (w, h), Filter::Lanczos3, Outside::Edge)
        .map(|w| w.image)
        .unwrap_or_else(|_| source.image.clone());
    if v.gain != 1.0 {
        image.pixels_mut().for_each(|p| p.0 = p.0.map(|c| (f32::from(c) * v.gain).round().clamp(0.0, 255.0) as u8));
    }
    if v.blur_sigma > 0.0 {
        image = degrade::blur(&image, v.blur_sigma);
    }
    SourcePhoto { image, ..source.clone() }
}

/// Makes the labelled set in `dir` from `portraits` (name, photo) for `spec`.
pub fn generate(
    pipeline: &mut Pipeline,
    portraits: &[(String, SourcePhoto)],
    spec: &PhotoSpec,
    dir: &Path,
) -> Result<Labels, EvalError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| EvalError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut samples = Vec::new();
    let mut warper = Warper::default();
    let all = degradations();
    for (name, source) in portraits {
        let inherent: Vec<Code> =
            INHERENT.iter().filter(|(n, _)| n == name).flat_map(|(_, c)| c.iter().copied()).collect();
        for (k, variant) in VARIANTS.iter().enumerate() {
            let frame = variant_source(source, variant, &mut warper);
            let result = match pipeline.standardize(&frame, spec) {
                Ok(result) => result,
                // A framing that cuts the person (the zoomed-in astronaut's hair) is refused by
                // the pipeline, as a booth shot would be: no clean sample to make from it.
                Err(StandardizeError::Crop(_)) => continue,
                Err(source) => return Err(EvalError::Portrait { name: format!("{name} ({})", variant.name), source }),
            };
            let file = format!("{name}-{}-clean.jpg", variant.name);
            std::fs::write(dir.join(&file), &result.jpeg.bytes).map_err(io(&dir.join(&file)))?;
            samples.push(Sample {
                file,
                portrait: name.clone(),
                degradation: "clean".into(),
                strength: 0.0,
                code: None,
                must: inherent.clone(),
                may: Vec::new(),
                shows: inherent.clone(),
            });
            if k >= DEGRADED_BASES {
                continue;
            }
            let Some(alpha) = result.alpha.clone() else { continue };
            let base = base_of(&result, alpha, spec);
            for d in &all {
                for (i, &(strength, rejected)) in d.strengths.iter().enumerate() {
                    let made = (d.make)(&base, spec, strength)?;
                    let (bytes, extension) = match made {
                        Made::Pixels(image) => (encode_to_profile(&image, &spec.output)?.bytes, "jpg"),
                        Made::File { bytes, extension } => (bytes, extension),
                    };
                    let file = format!("{name}-{}-{}-{}.{extension}", variant.name, d.name, i + 1);
                    std::fs::write(dir.join(&file), &bytes).map_err(io(&dir.join(&file)))?;
                    let (mut must, mut may) = (Vec::new(), [&inherent[..], d.also].concat());
                    if rejected {
                        must.push(d.code)
                    } else {
                        may.push(d.code)
                    }
                    may.retain(|c| !must.contains(c));
                    let code = rejected.then_some(d.code);
                    samples.push(Sample {
                        file,
                        portrait: name.clone(),
                        degradation: d.name.into(),
                        strength,
                        code,
                        must,
                        may,
                        shows: inherent.clone(),
                    });
                }
            }
        }
    }
    let labels = Labels { profile: spec.id.clone(), samples };
    let path = dir.join(LABELS_FILE);
    let text = serde_json::to_string_pretty(&labels)
        .map_err(|e| EvalError::Labels { path: path.display().to_string(), message: e.to_string() })?;
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(labels)
}

fn base_of(result: &crate::imaging::Standardized, alpha: GrayImage, spec: &PhotoSpec) -> Base {
    let landmarks = result.landmarks_in_photo();
    let [x, y, _] = landmarks.points_in_frame[crate::imaging::mesh::MENTON];
    Base {
        photo: result.photo.clone(),
        alpha,
        measures: landmarks.measures(),
        chin: Point::new(x, y),
        background_rgb: spec.output.background_rgb,
        landmarks,
    }
}

/// Reads the labels of the set in `dir`.
pub fn read_labels(dir: &Path) -> Result<Labels, EvalError> {
    let path = dir.join(LABELS_FILE);
    let text =
        std::fs::read_to_string(&path).map_err(|source| EvalError::Io { path: path.display().to_string(), source })?;
    serde_json::from_str(&text)
        .map_err(|e| EvalError::Labels { path: path.display().to_string(), message: e.to_string() })
}

/// One code's counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CodeScore {
    /// Must and failed.
    pub true_positives: usize,
    /// Must and did not fail.
    pub misses: usize,
    /// Failed where neither must nor may.
    pub false_alarms: usize,
}

impl CodeScore {
    /// TP / (TP + FP), when the code failed anywhere.
    pub fn precision(&self) -> Option<f32> {
        let n = self.true_positives + self.false_alarms;
        (n > 0).then(|| self.true_positives as f32 / n as f32)
    }

    /// TP / (TP + FN), when the code was required anywhere.
    pub fn recall(&self) -> Option<f32> {
        let n = self.true_positives + self.misses;
        (n > 0).then(|| self.true_positives as f32 / n as f32)
    }
}

/// The scores of a set.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scores {
    /// Per code.
    pub codes: BTreeMap<Code, CodeScore>,
    /// Clean samples.
    pub clean: usize,
    /// Clean samples that failed something not in their labels.
    pub clean_rejected: Vec<String>,
    /// Degraded samples with a must.
    pub degraded: usize,
    /// Of those, the ones whose first failure (after the portrait's own) is not theirs.
    pub named_wrong_first: Vec<String>,
    /// Every miss and false alarm: file, code, verdict.
    pub errors: Vec<(String, Code, String)>,
}

impl Scores {
    /// Share of clean samples rejected for something they don't have.
    pub fn false_reject_rate(&self) -> f32 {
        self.clean_rejected.len() as f32 / self.clean.max(1) as f32
    }
}

/// Checks every sample of the set in `dir` against `spec` and scores the results.
pub fn evaluate(pipeline: &mut Pipeline, dir: &Path, labels: &Labels, spec: &PhotoSpec) -> Result<Scores, EvalError> {
    let mut scores = Scores::default();
    for sample in &labels.samples {
        let path = dir.join(&sample.file);
        let bytes =
            std::fs::read(&path).map_err(|source| EvalError::Io { path: path.display().to_string(), source })?;
        let report = super::check(&Evidence::from_file(pipeline, &bytes)?, spec);
        score(&mut scores, sample, &report);
    }
    Ok(scores)
}

fn score(scores: &mut Scores, sample: &Sample, report: &Report) {
    let failed: Vec<Code> = report.failed().collect();
    for &code in &sample.must {
        let s = scores.codes.entry(code).or_default();
        if failed.contains(&code) {
            s.true_positives += 1;
        } else {
            s.misses += 1;
            let verdict = report.finding(code).map(|f| format!("{:?} {}", f.verdict, f.message.en)).unwrap_or_default();
            scores.errors.push((sample.file.clone(), code, format!("missed: {verdict}")));
        }
    }
    let mut unexpected = false;
    for &code in &failed {
        if !sample.must.contains(&code) && !sample.may.contains(&code) {
            scores.codes.entry(code).or_default().false_alarms += 1;
            let message = report.finding(code).map(|f| f.message.en.clone()).unwrap_or_default();
            scores.errors.push((sample.file.clone(), code, format!("false alarm: {message}")));
            unexpected = true;
        }
    }
    if sample.degradation == "clean" {
        scores.clean += 1;
        if unexpected {
            scores.clean_rejected.push(sample.file.clone());
        }
    } else if let Some(own) = sample.code {
        scores.degraded += 1;
        // What the portrait shows itself (the astronaut's smile) is not the degradation.
        let inherent = |c: &Code| *c != own && (sample.must.contains(c) || sample.shows.contains(c));
        let first = failed.iter().copied().find(|c| !inherent(c));
        if first != Some(own) {
            scores.named_wrong_first.push(format!("{} (first: {first:?})", sample.file));
        }
    }
}
