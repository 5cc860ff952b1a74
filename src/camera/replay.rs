//! A camera that replays still images, re-delivering the current one at a fixed rate as a
//! webcam would (so the station sees the same load), until it is told to move on.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use image::RgbImage;

use super::{CameraError, Shared};
use crate::imaging::load_photo;

/// The images and which one is showing.
pub(super) struct Replay {
    frames: Vec<(String, Arc<RgbImage>)>,
    index: Mutex<usize>,
    shared: Arc<Shared>,
}

impl Replay {
    pub(super) fn new(frames: Vec<(String, RgbImage)>, shared: Arc<Shared>) -> Replay {
        let frames: Vec<_> = frames.into_iter().map(|(label, image)| (label, Arc::new(image))).collect();
        let replay = Replay { frames, index: Mutex::new(0), shared };
        replay.show_current();
        replay
    }

    fn current(&self) -> usize {
        *self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Publishes the current image as a new frame.
    fn show_current(&self) {
        if let Some((label, image)) = self.frames.get(self.current()) {
            self.shared.publish(Arc::clone(image), label);
        }
    }

    pub(super) fn advance(&self) {
        {
            let mut index = self.index.lock().unwrap_or_else(|p| p.into_inner());
            *index = (*index + 1) % self.frames.len().max(1);
        }
        self.show_current();
    }
}

/// Re-delivers the current image `fps` times a second until the camera is dropped.
pub(super) fn spawn(replay: Arc<Replay>, shared: Arc<Shared>, fps: u32) -> Result<JoinHandle<()>, CameraError> {
    let interval = Duration::from_secs_f64(1.0 / f64::from(fps.max(1)));
    std::thread::Builder::new()
        .name("tucai-camera-replay".into())
        .spawn(move || {
            while !shared.stopping() {
                std::thread::sleep(interval);
                replay.show_current();
            }
        })
        .map_err(CameraError::Thread)
}

/// Every JPEG or PNG in `dir`, in name order; unreadable files are skipped with a warning.
pub(super) fn read_dir(dir: &Path) -> Result<Vec<(String, RgbImage)>, CameraError> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| CameraError::Folder { path: dir.display().to_string(), source })?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| is_image(p)).collect();
    paths.sort();
    let mut frames = Vec::new();
    for path in paths {
        match load_photo(&path) {
            Ok(p) => frames.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), p.image)),
            Err(e) => eprintln!("tucai: camera folder: skipping {e}"),
        }
    }
    if frames.is_empty() {
        return Err(CameraError::EmptyFolder(dir.display().to_string()));
    }
    Ok(frames)
}

fn is_image(p: &Path) -> bool {
    p.extension().is_some_and(|x| ["jpg", "jpeg", "png", "webp"].iter().any(|e| x.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_folder_is_an_error() {
        let dir = std::env::temp_dir().join(format!("tucai-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        assert!(matches!(read_dir(&dir), Err(CameraError::EmptyFolder(_))));
        let _ = std::fs::remove_dir(&dir);
    }
}
