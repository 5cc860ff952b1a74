//! The station's work off the UI thread. The pipeline worker (here): jobs in, events out; a
//! shot is standardized and then checked on it, the event carries both. The live-hint thread
//! (`live.rs`) judges the newest camera frame on its own. The store thread
//! (`store_thread.rs`) owns the SQLite store. Between them: what a shot's outcome stores
//! (`outcome.rs`) and who a scanned code names (`identify.rs`), shared with the CLI.
//!
//! The models and their scratch buffers live on one named thread, so the UI thread never
//! waits on them. Each finished job wakes the caller through the `notify` callback (the GUI
//! passes egui's `request_repaint`).

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, Instant};

mod identify;
mod live;
mod outcome;
mod settings;
mod store_thread;

pub use identify::{IdentifyError, Identity, identify};
pub use live::{LiveEvent, LiveWorker};
pub use outcome::ShotOutcome;
pub use settings::{DEFAULT_IDLE_LOGOUT_MINUTES, StationSettings};
pub use store_thread::StoreThread;

use crate::imaging::{Background, Pipeline, SourcePhoto, StandardizeError, Standardized};
use crate::profile::PhotoSpec;
use crate::quality::{self, Evidence, Report};

/// Work for the station thread.
pub enum Job {
    /// Standardize a shot to a profile.
    Standardize {
        /// Which shot this is, echoed in the event.
        shot_id: u64,
        /// The shot's frames: one, or the shutter's burst (shared with the preview; copied on
        /// the worker). The best one is standardized.
        frames: Vec<Arc<image::RgbImage>>,
        /// The profile.
        spec: Box<PhotoSpec>,
    },
}

/// What the station thread reports.
pub enum Event {
    /// The models are loaded (or failed to load: the station can't standardize).
    Ready(Result<(), crate::imaging::ModelError>),
    /// A shot was standardized and checked, or why not.
    Standardized {
        /// The job's shot id.
        shot_id: u64,
        /// The photo with its check report, or why not.
        result: Box<Result<CheckedPhoto, StandardizeError>>,
        /// Time spent on the worker.
        elapsed: Duration,
    },
}

/// A standardized photo and the full check of it.
pub struct CheckedPhoto {
    /// Which of the shot's frames it was made from (its original is that frame).
    pub chosen_frame: usize,
    /// The photo and everything that led to it.
    pub photo: Standardized,
    /// What the checks found.
    pub report: Report,
}

/// Handle to the station thread. Dropping it ends the thread once the queue is empty.
pub struct StationWorker {
    jobs: Sender<Job>,
    events: Receiver<Event>,
}

impl StationWorker {
    /// Starts the thread; `notify` is called after every event is sent.
    pub fn spawn(notify: impl Fn() + Send + 'static) -> std::io::Result<StationWorker> {
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (event_tx, event_rx) = mpsc::channel::<Event>();
        thread::Builder::new().name("tucai-pipeline".into()).spawn(move || {
            let send = |e: Event| {
                let _ = event_tx.send(e);
                notify();
            };
            let mut pipeline = Pipeline::new();
            match pipeline.warm_up() {
                Ok(()) => send(Event::Ready(Ok(()))),
                Err(e) => {
                    send(Event::Ready(Err(e)));
                    return;
                }
            }
            for job in job_rx {
                match job {
                    Job::Standardize { shot_id, frames, spec } => {
                        let started = Instant::now();
                        let burst: Vec<SourcePhoto> = frames
                            .iter()
                            .map(|frame| SourcePhoto {
                                image: (**frame).clone(),
                                exif_orientation: "NoTransforms".into(),
                                stored_size_px: [frame.width(), frame.height()],
                                decode_ms: 0.0,
                            })
                            .collect();
                        let result = standardize_and_check(&mut pipeline, &burst, &spec);
                        send(Event::Standardized { shot_id, result: Box::new(result), elapsed: started.elapsed() });
                    }
                }
            }
        })?;
        Ok(StationWorker { jobs: job_tx, events: event_rx })
    }

    /// Queues a job; false when the thread has stopped.
    pub fn submit(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }

    /// The next event, if one is waiting (never blocks).
    pub fn poll(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }
}

/// Standardizes a shot (one frame, or the best of a burst) and checks the result: what the
/// booth and `tucai capture` both do.
pub fn standardize_and_check(
    pipeline: &mut Pipeline,
    burst: &[SourcePhoto],
    spec: &PhotoSpec,
) -> Result<CheckedPhoto, StandardizeError> {
    pipeline.on_pool(|pipeline| {
        let photo = pipeline.standardize_burst(burst, spec, Background::Profile)?;
        let chosen_frame = photo.chosen_frame();
        let evidence = Evidence::from_standardized(pipeline, &photo)?;
        let report = quality::check(&evidence, spec);
        Ok(CheckedPhoto { chosen_frame, photo, report })
    })
}
