//! The live-hint thread: it takes the newest camera frame itself, judges it (the quality live
//! subset, and the codes in it while the station waits for a student), keeps the newest result
//! and wakes the window. The hint rate is the camera's or the check's, whichever is lower; it
//! does not depend on how often the window is drawn, and a shot on the pipeline worker does
//! not stop it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use image::RgbImage;

use crate::camera::FrameFeed;
use crate::imaging::Pipeline;
use crate::profile::PhotoSpec;
use crate::quality::live::{self, LiveCheck};

/// How long the thread sleeps when there is nothing new to judge.
const IDLE: Duration = Duration::from_millis(4);

/// The live check of one preview frame.
pub struct LiveEvent {
    /// The frame's sequence number.
    pub frame_id: u64,
    /// The frame judged (the window compares it with the frame it shows).
    pub frame: Arc<RgbImage>,
    /// The hints, or why the frame could not be judged.
    pub result: Result<LiveCheck, String>,
    /// Whether codes were looked for in this frame.
    pub scanned: bool,
    /// The codes read in the frame.
    pub codes: Vec<String>,
    /// Time the check took.
    pub elapsed: Duration,
}

/// What to judge.
#[derive(Default)]
struct Wanted {
    feed: Option<FrameFeed>,
    spec: Option<Box<PhotoSpec>>,
    scan_codes: bool,
}

#[derive(Default)]
struct Shared {
    wanted: Mutex<Wanted>,
    newest: Mutex<Option<LiveEvent>>,
    ready: Mutex<Option<Result<(), String>>>,
    stop: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Handle to the live-hint thread. Dropping it stops the thread.
pub struct LiveWorker {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl LiveWorker {
    /// Starts the thread (it loads its own models); `notify` is called after each result.
    pub fn spawn(notify: impl Fn() + Send + 'static) -> std::io::Result<LiveWorker> {
        let shared = Arc::new(Shared::default());
        let inner = Arc::clone(&shared);
        let thread = std::thread::Builder::new().name("tucai-live".into()).spawn(move || {
            let mut pipeline = Pipeline::new();
            if let Err(e) = pipeline.warm_up_live() {
                *lock(&inner.ready) = Some(Err(e.to_string()));
                notify();
                return;
            }
            *lock(&inner.ready) = Some(Ok(()));
            notify();
            judge_newest_frames(&mut pipeline, &inner, &notify);
        })?;
        Ok(LiveWorker { shared, thread: Some(thread) })
    }

    /// Judges frames from `feed` against `spec` (none: stop judging); `scan_codes` also reads
    /// codes.
    pub fn watch(&self, feed: Option<FrameFeed>, spec: Option<PhotoSpec>, scan_codes: bool) {
        let mut wanted = lock(&self.shared.wanted);
        wanted.feed = feed;
        wanted.spec = spec.map(Box::new);
        wanted.scan_codes = scan_codes;
    }

    /// Whether the models loaded (`None` while loading).
    pub fn ready(&self) -> Option<Result<(), String>> {
        lock(&self.shared.ready).clone()
    }

    /// The newest result not taken yet (never blocks on a check).
    pub fn take(&self) -> Option<LiveEvent> {
        lock(&self.shared.newest).take()
    }
}

impl Drop for LiveWorker {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn judge_newest_frames(pipeline: &mut Pipeline, shared: &Shared, notify: &dyn Fn()) {
    let mut judged_seq = 0;
    while !shared.stop.load(Ordering::Relaxed) {
        let (frame, spec, scan_codes) = {
            let wanted = lock(&shared.wanted);
            let frame = wanted.feed.as_ref().and_then(|f| f.latest().frame);
            (frame, wanted.spec.clone(), wanted.scan_codes)
        };
        let (Some(frame), Some(spec)) = (frame, spec) else {
            std::thread::sleep(IDLE);
            continue;
        };
        if frame.seq == judged_seq {
            std::thread::sleep(IDLE);
            continue;
        }
        judged_seq = frame.seq;
        let started = Instant::now();
        let result = live::check_frame(pipeline, &frame.image, &spec).map_err(|e| e.to_string());
        let codes = if scan_codes {
            crate::code::decode_image(&frame.image).into_iter().map(|c| c.text).collect()
        } else {
            Vec::new()
        };
        let elapsed = started.elapsed();
        let event = LiveEvent { frame_id: frame.seq, frame: frame.image, result, scanned: scan_codes, codes, elapsed };
        *lock(&shared.newest) = Some(event);
        notify();
    }
}
