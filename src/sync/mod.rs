//! Several booths, one collection: each store pushes its outbox to a central PostgreSQL in
//! batches (each one transaction on the server, idempotent), then pulls back what changed
//! elsewhere — roster lines, other booths' captures, reviews and prints — and, for the office's
//! copy, the photo bytes. Which photo counts is the store's one rule (`store::rule`), applied
//! wherever the facts land.
//!
//! Owns the conversation with the server (`central`) and its address (`url`); not the SQL of
//! the station store (`store::sync`), not the command line.
//!
//! Faults: a booth never needs the server to work — its changes wait in the outbox. A
//! connection lost mid-batch leaves the server without any of that batch (one transaction) and
//! the outbox untouched, so the next run sends it again; a batch that did commit but whose
//! acknowledgement was lost is sent again harmlessly (every row is keyed by its global id). A
//! booth's clock may be wrong: its offset from the server's clock is measured at each sync and
//! its rows are dated on the server's clock centrally.

pub mod central;
mod url;

use std::time::Instant;

use serde::Serialize;

use crate::progress::Progress;
use crate::store::{Applied, Pending, Store, StoreError};
pub use url::{CentralAccess, CentralUrl, TlsMode};

/// What went wrong, in words; never with the password (addresses are shown redacted).
#[derive(Debug)]
pub enum SyncError {
    /// The address can't be used.
    Url(String),
    /// No connection.
    Connect {
        /// The server, redacted.
        at: String,
        /// The cause.
        source: postgres::Error,
    },
    /// The connection broke during the sync.
    Lost {
        /// The server, redacted.
        at: String,
        /// The cause.
        source: postgres::Error,
    },
    /// The server said no.
    Server {
        /// The server, redacted.
        at: String,
        /// The cause.
        source: postgres::Error,
    },
    /// `tucai central init` has not been run.
    NoSchema {
        /// The server, redacted.
        at: String,
    },
    /// A newer tucai set the schema up.
    SchemaNewer {
        /// The server, redacted.
        at: String,
        /// Its version.
        version: usize,
    },
    /// TLS could not be set up.
    Tls(String),
    /// A TLS mode that can be read or faked on the way, without `--insecure-tls`.
    InsecureTls {
        /// The `sslmode` asked for (or implied).
        mode: &'static str,
    },
    /// The password file cannot be used.
    PasswordFile {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong with it.
        problem: crate::export::SecretFileProblem,
    },
    /// The station store failed.
    Store(StoreError),
    /// Stopped by the user between batches.
    Cancelled {
        /// Batches sent before stopping.
        batches: usize,
    },
    /// The server knows this station as another install's: this store is a copy.
    OtherInstall {
        /// The server, redacted.
        at: String,
        /// The station.
        station: String,
    },
    /// The server has applied more of this station's changes than this store knows of.
    Behind {
        /// The server, redacted.
        at: String,
        /// The station.
        station: String,
        /// Changes the server applied.
        server_seq: i64,
        /// Changes this store knows were applied.
        here_seq: i64,
    },
    /// Rows whose ids the server holds with other contents; the batch was not applied.
    Clashes {
        /// The server, redacted.
        at: String,
        /// The rows.
        clashes: Vec<central::Clash>,
    },
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> SyncError {
        SyncError::Store(e)
    }
}

impl SyncError {
    /// A database error as "lost" (the connection broke: try again) or "refused".
    pub(crate) fn classify(at: &str, source: postgres::Error) -> SyncError {
        use postgres::error::SqlState;
        let io = std::error::Error::source(&source).is_some_and(|s| s.is::<std::io::Error>());
        let code_lost = source.code().is_some_and(|c| {
            [SqlState::ADMIN_SHUTDOWN, SqlState::CRASH_SHUTDOWN, SqlState::CANNOT_CONNECT_NOW].contains(c)
                || c.code().starts_with("08")
        });
        if source.is_closed() || io || code_lost {
            SyncError::Lost { at: at.to_owned(), source }
        } else {
            SyncError::Server { at: at.to_owned(), source }
        }
    }
}

/// How to sync.
#[derive(Clone, Copy, Debug)]
pub struct SyncOptions {
    /// Outbox entries per batch (one server transaction each).
    pub batch_entries: usize,
    /// Also fetch the photo bytes this store lacks, and other booths' step trails and check
    /// reports (the office's copy of the collection, where reviewers read them).
    pub photos: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions { batch_entries: DEFAULT_BATCH_ENTRIES, photos: false }
    }
}

/// Outbox entries per batch by default: a few hundred captures with their photos and audit
/// rows, a few MB — short transactions, few round trips.
pub const DEFAULT_BATCH_ENTRIES: usize = 1000;

/// What a sync did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    /// The server, redacted.
    pub central: String,
    /// Batches sent.
    pub batches: usize,
    /// Outbox entries sent.
    pub entries: usize,
    /// Captures sent.
    pub captures: usize,
    /// Reviews sent.
    pub reviews: usize,
    /// Audit rows sent.
    pub audit: usize,
    /// Photos sent (those the server lacked).
    pub photos_sent: usize,
    /// Bytes of rows and photos sent.
    pub bytes_sent: u64,
    /// What the pull changed here.
    pub pulled: Applied,
    /// This clock minus the server's (seconds).
    pub clock_skew_s: i64,
    /// What still waits (changes made during the sync).
    pub pending: Pending,
    /// Students with more than one photo that could count.
    pub conflicts: usize,
    /// Wall time, seconds.
    pub seconds: f64,
    /// The connection was allowed without verified TLS (`--insecure-tls`).
    pub insecure_tls: bool,
    /// Roster lines changed here that the server kept as corrected elsewhere (their numbers).
    pub roster_kept: Vec<String>,
}

/// A clock further than this from the server's is worth a warning (seconds).
pub const CLOCK_WARNING_S: i64 = 120;

/// Pushes the outbox in batches, then pulls what changed elsewhere (and, with
/// `options.photos`, the photo bytes not held here). Stops between batches when `progress` is
/// cancelled. On an error, what was committed stays committed on both sides; the rest waits.
pub fn sync(
    store: &mut Store,
    url: &CentralUrl,
    options: &SyncOptions,
    progress: &Progress,
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let at = url.shown().to_owned();
    let lost = |e| SyncError::classify(&at, e);
    let mut client = url.connect(&format!("tucai-sync {}", store.station_id()))?;
    let server_now = central::open(&mut client, &at)?;
    let mut report = SyncReport {
        central: at.clone(),
        clock_skew_s: store.now() - server_now,
        insecure_tls: url.is_insecure(),
        ..SyncReport::default()
    };
    check_identity(store, &mut client, &at)?;
    progress.stage(crate::progress::Stage::SendingChanges, store.pending()?.entries.max(0) as u64);
    loop {
        if progress.is_cancelled() {
            return Err(SyncError::Cancelled { batches: report.batches });
        }
        let changes = store.outgoing(options.batch_entries.max(1))?;
        if changes.entries == 0 {
            break;
        }
        let identity = store.identity()?;
        store.note_in_flight(changes.last_seq)?;
        let mut photo = |sha: &str| store.blob(sha);
        let sent = central::push(&mut client, &identity, report.clock_skew_s, &changes, &mut photo)
            .map_err(|e| refused(e, &at, &identity))?;
        store.mark_sent(changes.last_seq)?;
        report.roster_kept.extend(sent.roster_kept);
        report.batches += 1;
        report.entries += changes.entries;
        report.captures += changes.captures.len();
        report.reviews += changes.reviews.len();
        report.audit += changes.audit.len();
        report.photos_sent += sent.photos;
        report.bytes_sent += sent.bytes;
        for _ in 0..changes.entries {
            progress.advance();
        }
    }
    progress.stage(crate::progress::Stage::ReceivingChanges, 0);
    let pulled = central::pull(&mut client, store.sync_cursor()?, options.photos).map_err(lost)?;
    report.pulled = store.apply_pulled(&pulled)?;
    if options.photos {
        let missing = store.photos_not_held()?;
        progress.stage(crate::progress::Stage::ReceivingPhotos, missing.len() as u64);
        for chunk in missing.chunks(central::PHOTOS_PER_QUERY) {
            if progress.is_cancelled() {
                return Err(SyncError::Cancelled { batches: report.batches });
            }
            let photos = central::photos(&mut client, chunk).map_err(lost)?;
            report.pulled.photos += store.add_photos(&photos)?;
            for _ in chunk {
                progress.advance();
            }
        }
    }
    store.record_sync(report.clock_skew_s)?;
    report.pending = store.pending()?;
    report.conflicts = store.conflicts()?.len();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Before anything is sent: another install's station or a store behind what
/// the server applied is refused in words. A batch the server applied whose acknowledgement was
/// lost (the one noted in flight) is taken as sent.
fn check_identity(store: &mut Store, client: &mut postgres::Client, at: &str) -> Result<(), SyncError> {
    let identity = store.identity()?;
    let state = central::station_state(client, &identity.station_id).map_err(|e| SyncError::classify(at, e))?;
    if state.batches > 0 && state.applied_seq != identity.acked_seq && identity.inflight_seq == Some(state.applied_seq)
    {
        store.mark_sent(state.applied_seq)?;
        return Ok(());
    }
    central::may_apply(&state, &identity, None).map(|_| ()).map_err(|e| refused(e, at, &identity))
}

/// A batch the server did not apply, in words.
fn refused(failed: central::Failed, at: &str, identity: &crate::store::Identity) -> SyncError {
    let (at, station) = (at.to_owned(), identity.station_id.clone());
    match failed {
        central::Failed::Db(e) => SyncError::classify(&at, e),
        central::Failed::Store(e) => SyncError::Store(e),
        central::Failed::OtherInstall => SyncError::OtherInstall { at, station },
        central::Failed::Behind { server_seq, here_seq } => SyncError::Behind { at, station, server_seq, here_seq },
        central::Failed::Clashes(clashes) => SyncError::Clashes { at, clashes },
    }
}

/// Creates or upgrades the central schema; returns (version before, version now).
pub fn init_central(url: &CentralUrl) -> Result<(usize, usize), SyncError> {
    let mut client = url.connect("tucai-init")?;
    central::init(&mut client).map_err(|e| SyncError::classify(url.shown(), e))
}

/// The booths as the server sees them.
pub fn central_stations(url: &CentralUrl) -> Result<Vec<central::StationCounts>, SyncError> {
    let mut client = url.connect("tucai-status")?;
    central::open(&mut client, url.shown())?;
    central::stations(&mut client).map_err(|e| SyncError::classify(url.shown(), e))
}

/// This clock minus the server's, in seconds (said in `i18n/outputs.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockSkew(pub i64);
