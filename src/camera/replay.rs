//! A camera that replays still images: the bundled demo portraits, or a folder.

use std::path::Path;
use std::sync::Arc;

use super::{CameraError, Frame, FrameSource};
use crate::imaging::{decode_photo, load_photo};

/// Public-domain portraits compiled into the binary (see assets/demo/README.md).
const DEMO: [(&str, &[u8]); 2] = [
    ("astronaut.png", include_bytes!("../../assets/demo/astronaut.png")),
    ("grace_hopper.jpg", include_bytes!("../../assets/demo/grace_hopper.jpg")),
];

/// Replays a fixed list of frames, one per "student".
pub struct ReplaySource {
    name: String,
    frames: Vec<Frame>,
    index: usize,
}

impl ReplaySource {
    /// The bundled demo portraits.
    pub fn demo() -> ReplaySource {
        let frames = DEMO
            .iter()
            .filter_map(|(label, bytes)| {
                decode_photo(bytes).ok().map(|p| Frame { image: Arc::new(p.image), label: (*label).to_owned() })
            })
            .collect();
        ReplaySource { name: "demo".into(), frames, index: 0 }
    }

    /// Every JPEG or PNG in `dir`, in name order; unreadable files are skipped with a warning.
    pub fn from_dir(dir: &Path) -> Result<ReplaySource, CameraError> {
        let entries =
            std::fs::read_dir(dir).map_err(|source| CameraError::Folder { path: dir.display().to_string(), source })?;
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| is_image(p)).collect();
        paths.sort();
        let mut frames = Vec::new();
        for path in paths {
            match load_photo(&path) {
                Ok(p) => frames.push(Frame {
                    image: Arc::new(p.image),
                    label: path.file_name().unwrap_or_default().to_string_lossy().into_owned(),
                }),
                Err(e) => eprintln!("tucai: camera folder: skipping {}", crate::error_chain(&e)),
            }
        }
        if frames.is_empty() {
            return Err(CameraError::EmptyFolder(dir.display().to_string()));
        }
        Ok(ReplaySource { name: format!("dir:{}", dir.display()), frames, index: 0 })
    }
}

fn is_image(p: &Path) -> bool {
    p.extension().is_some_and(|x| ["jpg", "jpeg", "png"].iter().any(|e| x.eq_ignore_ascii_case(e)))
}

impl FrameSource for ReplaySource {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn current(&self) -> &Frame {
        &self.frames[self.index]
    }

    fn advance(&mut self) {
        self.index = (self.index + 1) % self.frames.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_has_frames_and_cycles() {
        let mut src = ReplaySource::demo();
        assert_eq!(src.frames.len(), DEMO.len(), "every bundled portrait decodes");
        let first = src.current().label.clone();
        src.advance();
        assert_ne!(src.current().label, first);
    }

    #[test]
    fn empty_folder_is_an_error() {
        let dir = std::env::temp_dir().join(format!("tucai-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        assert!(matches!(ReplaySource::from_dir(&dir), Err(CameraError::EmptyFolder(_))));
        let _ = std::fs::remove_dir(&dir);
    }
}
