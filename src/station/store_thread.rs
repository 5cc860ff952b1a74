//! The thread that owns the station store. The UI hands it closures (`ask`) and reads their
//! results (`poll`); SQLite, the disk and fsync never run on the UI thread. Jobs run in the
//! order they were asked, one at a time, so a later job sees what an earlier one wrote.

use std::sync::mpsc::{self, Receiver, Sender};

use crate::store::Store;

type Job<R> = Box<dyn FnOnce(&mut Store) -> R + Send>;

/// Handle to the store thread; `R` is what jobs return to the caller. Dropping the handle
/// lets the thread finish the jobs already asked, then close the store.
pub struct StoreThread<R> {
    jobs: Sender<Job<R>>,
    results: Receiver<R>,
}

impl<R: Send + 'static> StoreThread<R> {
    /// Moves `store` onto a new thread; `notify` is called after every result.
    pub fn spawn(store: Store, notify: impl Fn() + Send + 'static) -> std::io::Result<StoreThread<R>> {
        let (job_tx, job_rx) = mpsc::channel::<Job<R>>();
        let (result_tx, result_rx) = mpsc::channel::<R>();
        std::thread::Builder::new().name("tucai-store".into()).spawn(move || {
            let mut store = store;
            for job in job_rx {
                if result_tx.send(job(&mut store)).is_err() {
                    break;
                }
                notify();
            }
        })?;
        Ok(StoreThread { jobs: job_tx, results: result_rx })
    }

    /// Queues `job`; false when the thread has stopped.
    pub fn ask(&self, job: impl FnOnce(&mut Store) -> R + Send + 'static) -> bool {
        self.jobs.send(Box::new(job)).is_ok()
    }

    /// The next result, if one is waiting (never blocks).
    pub fn poll(&self) -> Option<R> {
        self.results.try_recv().ok()
    }
}
