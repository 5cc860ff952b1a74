//! Where frames come from. [`FrameSource`] is what the station reads; the replay source
//! (bundled demo portraits or a folder of images) stands in for a webcam on machines without
//! one and in tests. The webcam source (nokhwa, on its own thread) comes with the booth.

mod replay;

pub use replay::ReplaySource;

use std::sync::Arc;

use image::RgbImage;

/// Why a camera gave no frame.
#[derive(Debug, thiserror::Error)]
pub enum CameraError {
    /// A replay folder with no readable image.
    #[error("no readable JPEG or PNG images in {0}")]
    EmptyFolder(String),
    /// The folder could not be listed.
    #[error("cannot read camera folder {path}")]
    Folder {
        /// The folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A `--camera` value we don't understand.
    #[error("unknown camera '{0}': use `demo` or `dir:PATH`")]
    UnknownSpec(String),
}

/// A frame and where it came from.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Upright RGB pixels, shared: handing a frame to the worker copies a pointer, not pixels.
    pub image: Arc<RgbImage>,
    /// Human-readable origin (file name, device).
    pub label: String,
}

/// A source of frames: a webcam, or a replay of still images.
pub trait FrameSource: Send {
    /// Name shown to the operator.
    fn name(&self) -> String;
    /// The newest frame.
    fn current(&self) -> &Frame;
    /// Moves to the next frame (the next student, for a replay).
    fn advance(&mut self);
}

/// Opens the source a `--camera` value names: `demo` or `dir:PATH`.
pub fn open_source(spec: &str) -> Result<Box<dyn FrameSource>, CameraError> {
    if spec == "demo" {
        return Ok(Box::new(ReplaySource::demo()));
    }
    if let Some(path) = spec.strip_prefix("dir:") {
        return Ok(Box::new(ReplaySource::from_dir(std::path::Path::new(path))?));
    }
    Err(CameraError::UnknownSpec(spec.to_owned()))
}
