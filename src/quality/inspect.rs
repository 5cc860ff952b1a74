//! Gathering the [`Evidence`] the checks judge: from a file as the reviewers receive it (the
//! station finds the face, the landmarks and the person's outline itself) or from a photo
//! this station standardized (its landmarks, alpha and enlargement are reused, mapped into
//! the photo).

use image::{GrayImage, RgbImage};

use super::file::FileFacts;
use crate::imaging::{
    DecodeProblem, FaceMeasures, Landmarks, ModelError, Pipeline, StandardizeError, Standardized, decode_photo, matte,
};

/// The face the checks look at, in photo pixels.
#[derive(Clone, Debug)]
pub struct FaceEvidence {
    /// The 468 landmarks.
    pub landmarks: Landmarks,
    /// Measures derived from them.
    pub measures: FaceMeasures,
    /// Top row of the hair from the person's outline, when there is one.
    pub head_top_px: Option<f32>,
}

/// Everything the checks need to know about one photo.
#[derive(Clone, Debug)]
pub struct Evidence {
    /// What the file's header says.
    pub file: FileFacts,
    /// The decoded pixels, or why they could not be decoded.
    pub photo: Result<RgbImage, DecodeProblem>,
    /// The main (largest) face, when one was found and the mesh confirms it.
    pub face: Option<FaceEvidence>,
    /// Widths of the other faces found, relative to the main one.
    pub other_face_widths: Vec<f32>,
    /// The person's alpha at photo size.
    pub alpha: Option<GrayImage>,
    /// Output pixels per source pixel, when the photo was standardized here.
    pub source_upscale: Option<f32>,
}

impl Evidence {
    /// A file that does not decode: only its header can be judged.
    fn undecodable(file: FileFacts, message: DecodeProblem) -> Evidence {
        Evidence {
            file,
            photo: Err(message),
            face: None,
            other_face_widths: Vec::new(),
            alpha: None,
            source_upscale: None,
        }
    }

    /// Evidence from a file alone: decode, detect, fit the mesh, find the person (the
    /// segmentation's coarse alpha: the checks need to know where the background is, not
    /// each hair).
    pub fn from_file(pipeline: &mut Pipeline, bytes: &[u8]) -> Result<Evidence, ModelError> {
        let file = FileFacts::read(bytes);
        let photo = match decode_photo(bytes) {
            Ok(source) => source.image,
            Err(message) => return Ok(Evidence::undecodable(file, message)),
        };
        let (main, other_face_widths) = faces(pipeline, &photo)?;
        let alpha = pipeline.person_mask(&photo)?;
        let face = match main {
            Some(b) => match pipeline.fit_landmarks(&photo, &b) {
                Ok(landmarks) => Some(face_evidence(landmarks, Some(&alpha))),
                Err(StandardizeError::Model(e)) => return Err(e),
                Err(_) => None,
            },
            None => None,
        };
        Ok(Evidence { file, photo: Ok(photo), face, other_face_widths, alpha: Some(alpha), source_upscale: None })
    }

    /// Evidence for a photo standardized here: the encoded file is judged as the reviewers
    /// will see it, with the landmarks fitted on the full-resolution frame mapped into it.
    pub fn from_standardized(pipeline: &mut Pipeline, result: &Standardized) -> Result<Evidence, ModelError> {
        let file = FileFacts::read(&result.jpeg.bytes);
        let photo = match decode_photo(&result.jpeg.bytes) {
            Ok(source) => source.image,
            Err(message) => return Ok(Evidence::undecodable(file, message)),
        };
        let (_, other_face_widths) = faces(pipeline, &photo)?;
        let alpha = match &result.alpha {
            Some(a) => a.clone(),
            None => pipeline.person_mask(&photo)?,
        };
        let landmarks = result.landmarks_in_photo();
        let face = Some(face_evidence(landmarks, Some(&alpha)));
        Ok(Evidence {
            file,
            photo: Ok(photo),
            face,
            other_face_widths,
            alpha: Some(alpha),
            source_upscale: Some(result.plan.scale),
        })
    }
}

/// The largest face and the others' widths relative to it.
fn faces(pipeline: &mut Pipeline, photo: &RgbImage) -> Result<(Option<crate::imaging::FaceBox>, Vec<f32>), ModelError> {
    let mut found = pipeline.detect(photo)?;
    found.sort_by(|a, b| b.box_in_frame.width.total_cmp(&a.box_in_frame.width));
    let Some(main) = found.first().cloned() else { return Ok((None, Vec::new())) };
    let w = main.box_in_frame.width.max(1.0);
    // A box centred inside the main face's box is the same face found twice, not a second one.
    let same_face = |f: &crate::imaging::FaceBox| {
        let (c, b) = (f.box_in_frame.centre(), &main.box_in_frame);
        c.x >= b.x && c.x <= b.x + b.width && c.y >= b.y && c.y <= b.y + b.height
    };
    // The detector alone sometimes sees a face in a collar or a pattern; the mesh confirms.
    let mut others = Vec::new();
    for f in found[1..].iter().filter(|f| !same_face(f)) {
        match pipeline.fit_landmarks(photo, f) {
            Ok(_) => others.push(f.box_in_frame.width / w),
            Err(StandardizeError::Model(e)) => return Err(e),
            Err(_) => {}
        }
    }
    Ok((Some(main), others))
}

fn face_evidence(landmarks: Landmarks, alpha: Option<&GrayImage>) -> FaceEvidence {
    let measures = landmarks.measures();
    let head_top_px = alpha.and_then(|a| {
        let half = measures.face_width_px / 2.0;
        let x = measures.eye_mid_in_frame.x;
        let columns = ((x - half).max(0.0) as u32, (x + half).max(0.0) as u32);
        matte::head_top_row(a, columns, measures.eye_mid_in_frame.y.max(0.0) as u32).map(|row| row as f32)
    });
    FaceEvidence { landmarks, measures, head_top_px }
}
