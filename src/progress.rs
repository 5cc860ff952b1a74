//! Progress of a long run (an export, a batch of print sheets) shared between the thread doing
//! it and whoever shows it: the terminal's bar (indicatif) or the window's progress bar. The
//! watcher may also ask the run to stop; the run checks between items and leaves things as
//! they were (see each run's own notes on what "as they were" means).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A handle to one run's progress; clones share it.
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
    stage: Mutex<Stage>,
}

/// What a long run is doing now (said in `i18n/window.rs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stage {
    /// Not started.
    #[default]
    Starting,
    /// Reading the stored photos of an export.
    ReadingPhotos,
    /// Writing an export's photos.
    WritingPhotos,
    /// Reading a batch back.
    Verifying,
    /// Sending the outbox to the central server.
    SendingChanges,
    /// Receiving decisions and other booths' records.
    ReceivingChanges,
    /// Receiving other booths' photos.
    ReceivingPhotos,
    /// Drawing print sheets.
    PrintSheets,
    /// Drawing capture cards.
    CaptureCards,
}

/// What a watcher reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressView {
    /// What is being done now.
    pub stage: Stage,
    /// Items done in this stage.
    pub done: u64,
    /// Items in this stage (0 while unknown).
    pub total: u64,
}

impl Progress {
    /// Starts a stage of `total` items.
    pub fn stage(&self, name: Stage, total: u64) {
        if let Ok(mut stage) = self.0.stage.lock() {
            *stage = name;
        }
        self.0.done.store(0, Ordering::Relaxed);
        self.0.total.store(total, Ordering::Relaxed);
    }

    /// One more item done.
    pub fn advance(&self) {
        self.0.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Asks the run to stop at the next item.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }

    /// The current stage and counts.
    pub fn view(&self) -> ProgressView {
        let stage = self.0.stage.lock().map(|s| *s).unwrap_or_default();
        ProgressView { stage, done: self.0.done.load(Ordering::Relaxed), total: self.0.total.load(Ordering::Relaxed) }
    }
}
