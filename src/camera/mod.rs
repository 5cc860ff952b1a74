//! Where frames come from. A [`Camera`] is a handle to a thread that owns the source and keeps
//! only the newest frame: a webcam (nokhwa, `webcam.rs`) or a replay of still images (the
//! bundled demo or a folder, `replay.rs`) that stands in for one on machines without a webcam
//! and in tests. The station reads [`Camera::latest`] once per screen frame and never waits.
//!
//! A webcam that is unplugged reports [`CameraStatus::Lost`] with the reason and is reopened
//! every second until it answers again.

mod demo;
mod replay;
#[cfg(all(feature = "webcam", target_os = "linux"))]
mod webcam;

pub use demo::{card_frame, demo_frames};

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use image::RgbImage;

/// Why a camera can't be opened.
#[derive(Debug)]
pub enum CameraError {
    /// A replay folder with no readable image.
    EmptyFolder(String),
    /// The folder could not be listed.
    Folder {
        /// The folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A `--camera` value we don't understand.
    UnknownSpec(String),
    /// A webcam was asked for in a build without webcam support.
    NoWebcamSupport,
    /// The capture thread could not start.
    Thread(std::io::Error),
}

/// Which source: what `--camera` and the settings screen name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CameraSpec {
    /// The first webcam, else the demo.
    Auto,
    /// The bundled demo: two capture cards and two portraits.
    Demo,
    /// Every JPEG or PNG in a folder, in name order.
    Dir(PathBuf),
    /// A webcam by index (0 = /dev/video0) or device path, at a requested resolution.
    Webcam {
        /// Index or device path.
        device: String,
        /// Requested width × height (the closest the camera offers is used).
        size: [u32; 2],
    },
}

/// Resolution asked of a webcam unless the spec says otherwise: enough for a 480×640 photo
/// from the middle third of the frame, and what booth webcams deliver at 30 fps as MJPEG.
pub const DEFAULT_WEBCAM_SIZE: [u32; 2] = [1280, 720];

impl CameraSpec {
    /// Parses `auto`, `demo`, `dir:PATH`, `webcam:0`, `webcam:/dev/video2@1920x1080`.
    pub fn parse(text: &str) -> Result<CameraSpec, CameraError> {
        let unknown = || CameraError::UnknownSpec(text.to_owned());
        match text {
            "auto" => return Ok(CameraSpec::Auto),
            "demo" => return Ok(CameraSpec::Demo),
            _ => {}
        }
        if let Some(path) = text.strip_prefix("dir:") {
            return Ok(CameraSpec::Dir(PathBuf::from(path)));
        }
        let rest = text.strip_prefix("webcam:").ok_or_else(unknown)?;
        let (device, size) = match rest.split_once('@') {
            None => (rest, DEFAULT_WEBCAM_SIZE),
            Some((device, size)) => {
                let (w, h) = size.split_once('x').ok_or_else(unknown)?;
                (device, [w.parse().map_err(|_| unknown())?, h.parse().map_err(|_| unknown())?])
            }
        };
        if device.is_empty() {
            return Err(unknown());
        }
        Ok(CameraSpec::Webcam { device: device.to_owned(), size })
    }

    /// The text [`CameraSpec::parse`] reads back.
    pub fn to_text(&self) -> String {
        match self {
            CameraSpec::Auto => "auto".into(),
            CameraSpec::Demo => "demo".into(),
            CameraSpec::Dir(p) => format!("dir:{}", p.display()),
            CameraSpec::Webcam { device, size } => format!("webcam:{device}@{}x{}", size[0], size[1]),
        }
    }
}

/// A webcam the system lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebcamInfo {
    /// Index, as `webcam:N` takes it.
    pub index: String,
    /// The device's own name.
    pub name: String,
}

/// The webcams the system lists (empty without webcam support or without a camera).
pub fn list_webcams() -> Vec<WebcamInfo> {
    #[cfg(all(feature = "webcam", target_os = "linux"))]
    return webcam::list();
    #[cfg(not(all(feature = "webcam", target_os = "linux")))]
    Vec::new()
}

/// A frame and where it came from.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Upright RGB pixels, shared: handing a frame to a worker copies a pointer, not pixels.
    pub image: Arc<RgbImage>,
    /// Human-readable origin (file name, device).
    pub label: String,
    /// Counts frames delivered by this camera, from 1: a new number is a new frame.
    pub seq: u64,
}

/// What the operator is told about the camera.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CameraStatus {
    /// Opening the device.
    Starting,
    /// Frames are arriving.
    Live,
    /// No frames: why (unplugged, busy, no such device); the thread keeps trying.
    Lost(String),
}

/// What the station reads each screen frame.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The newest frame, if any ever arrived (kept while the camera is lost).
    pub frame: Option<Frame>,
    /// The camera's state.
    pub status: CameraStatus,
}

/// Called after each new frame or change of state (the station wakes its window with it).
pub type Notify = Box<dyn Fn() + Send + Sync>;

/// State shared between the capture thread and the handle.
struct Shared {
    latest: Mutex<Snapshot>,
    stop: AtomicBool,
    notify: Mutex<Option<Notify>>,
}

impl Shared {
    fn new() -> Arc<Shared> {
        Arc::new(Shared {
            latest: Mutex::new(Snapshot { frame: None, status: CameraStatus::Starting }),
            stop: AtomicBool::new(false),
            notify: Mutex::new(None),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // A capture thread that panicked leaves plain data behind: keep using it.
        self.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces the newest frame; the previous one is dropped unless someone still holds it.
    fn publish(&self, image: Arc<RgbImage>, label: &str) {
        let mut latest = self.lock();
        let seq = latest.frame.as_ref().map_or(1, |f| f.seq + 1);
        latest.frame = Some(Frame { image, label: label.to_owned(), seq });
        latest.status = CameraStatus::Live;
        drop(latest);
        self.wake();
    }

    fn wake(&self) {
        if let Some(notify) = self.notify.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            notify();
        }
    }

    #[cfg_attr(not(all(feature = "webcam", target_os = "linux")), allow(dead_code))]
    fn set_status(&self, status: CameraStatus) {
        self.lock().status = status;
        self.wake();
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// A reader of a camera's newest frame, for other threads (the live-hint thread).
#[derive(Clone)]
pub struct FrameFeed(Arc<Shared>);

impl FrameFeed {
    /// The newest frame and the camera's state.
    pub fn latest(&self) -> Snapshot {
        self.0.lock().clone()
    }
}

/// A running camera: the handle to its capture thread. Dropping it stops the thread.
pub struct Camera {
    name: String,
    shared: Arc<Shared>,
    replay: Option<Arc<replay::Replay>>,
    thread: Option<JoinHandle<()>>,
}

impl Camera {
    /// Opens `spec`, delivering at most `fps` frames a second (webcams deliver their own rate).
    pub fn open(spec: &CameraSpec, fps: u32) -> Result<Camera, CameraError> {
        match spec {
            CameraSpec::Auto => match list_webcams().first() {
                Some(w) => {
                    Camera::open(&CameraSpec::Webcam { device: w.index.clone(), size: DEFAULT_WEBCAM_SIZE }, fps)
                }
                None => Camera::open(&CameraSpec::Demo, fps),
            },
            CameraSpec::Demo => Camera::replay("demo".into(), demo_frames(), fps),
            CameraSpec::Dir(dir) => Camera::replay(format!("dir:{}", dir.display()), replay::read_dir(dir)?, fps),
            CameraSpec::Webcam { device, size } => Camera::webcam(device, *size),
        }
    }

    /// Replays `frames` (label, pixels) at `fps`; [`Camera::advance`] moves to the next one.
    pub fn replay(name: String, frames: Vec<(String, RgbImage)>, fps: u32) -> Result<Camera, CameraError> {
        let shared = Shared::new();
        let replay = Arc::new(replay::Replay::new(frames, Arc::clone(&shared)));
        let thread = replay::spawn(Arc::clone(&replay), Arc::clone(&shared), fps)?;
        Ok(Camera { name, shared, replay: Some(replay), thread: Some(thread) })
    }

    #[cfg(all(feature = "webcam", target_os = "linux"))]
    fn webcam(device: &str, size: [u32; 2]) -> Result<Camera, CameraError> {
        let shared = Shared::new();
        let thread = webcam::spawn(device.to_owned(), size, Arc::clone(&shared))?;
        Ok(Camera { name: format!("webcam:{device}"), shared, replay: None, thread: Some(thread) })
    }

    #[cfg(not(all(feature = "webcam", target_os = "linux")))]
    fn webcam(_device: &str, _size: [u32; 2]) -> Result<Camera, CameraError> {
        Err(CameraError::NoWebcamSupport)
    }

    /// Name shown to the operator.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The newest frame and the camera's state (a pointer copy; never waits on the device).
    pub fn latest(&self) -> Snapshot {
        self.shared.lock().clone()
    }

    /// A reader of the newest frame for another thread.
    pub fn feed(&self) -> FrameFeed {
        FrameFeed(Arc::clone(&self.shared))
    }

    /// Calls `notify` after every new frame and change of state, from the capture thread.
    pub fn on_frame(&self, notify: Notify) {
        *self.shared.notify.lock().unwrap_or_else(|p| p.into_inner()) = Some(notify);
    }

    /// Whether this is a replay, where [`Camera::advance`] shows the next image.
    pub fn is_replay(&self) -> bool {
        self.replay.is_some()
    }

    /// Shows the next image of a replay at once (the next student, for the demo); a webcam
    /// ignores it.
    pub fn advance(&self) {
        if let Some(replay) = &self.replay {
            replay.advance();
        }
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            // The capture loops look at `stop` at least every second.
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_print_back() {
        for text in ["auto", "demo", "dir:/tmp/frames", "webcam:0@1280x720", "webcam:/dev/video2@1920x1080"] {
            assert_eq!(CameraSpec::parse(text).expect(text).to_text(), text);
        }
        assert_eq!(
            CameraSpec::parse("webcam:1").expect("index alone"),
            CameraSpec::Webcam { device: "1".into(), size: DEFAULT_WEBCAM_SIZE }
        );
        for bad in ["", "usb", "webcam:", "webcam:0@1280", "webcam:0@wxh"] {
            assert!(matches!(CameraSpec::parse(bad), Err(CameraError::UnknownSpec(_))), "{bad}");
        }
    }

    #[test]
    fn replay_delivers_new_frames_and_advances_at_once() {
        let frames = vec![("a".to_owned(), RgbImage::new(4, 4)), ("b".to_owned(), RgbImage::new(4, 4))];
        let camera = Camera::replay("test".into(), frames, 200).expect("thread");
        let first = camera.latest().frame.expect("the first frame is there at once");
        assert_eq!(first.label, "a");
        camera.advance();
        let next = camera.latest().frame.expect("frame");
        assert_eq!(next.label, "b", "advance shows the next image without waiting for the thread");
        assert!(next.seq > first.seq);
        // The thread keeps delivering: a newer sequence number appears without any call.
        let seen = next.seq;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while camera.latest().frame.is_some_and(|f| f.seq == seen) {
            assert!(std::time::Instant::now() < deadline, "the replay thread stopped delivering");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert_eq!(camera.latest().status, CameraStatus::Live);
    }
}
