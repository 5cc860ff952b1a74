//! The station store: one SQLite file in the data folder — the roster, capture codes, every
//! attempt with its photo bytes, analysis and check report, reviews, operators, and an audit
//! row for every state change. The only module that speaks SQL.
//!
//! Photo bytes live in the database (`blobs`, keyed by SHA-256), written in the same
//! transaction as the capture row that refers to them. A file-per-photo scheme needs a
//! temporary file, fsync, rename, fsync of the folder, and then the row — and a crash between
//! them leaves orphans or rows pointing at nothing. In one transaction the row and its bytes
//! commit together or not at all (WAL with `synchronous = FULL`), a backup is one file, and
//! every read recomputes the hash. A year of one college (5,000 students × ~0.5 MB) is a few
//! GB, well inside what SQLite handles.
//!
//! Not here: deciding what a photo is worth (`quality/`), reading roster files (`roster/`).

mod captures;
mod identity;
mod operators;
mod outputs;
mod purge;
mod report;
mod rule;
mod schema;
mod status;
mod students;
mod sync;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::export::{PRIVATE_DIR, PRIVATE_FILE};
use sha2::{Digest, Sha256};

pub use captures::{Capture, FailureKind, NewAttempt, RetakeState, ReviewDecision};
pub use identity::{Identity, Restored};

pub use operators::{Action, Actor, FAILURES_TO_LOCK, FIRST_LOCKOUT_SECONDS, LoginVia, MIN_PIN_DIGITS, Role};
pub use outputs::{CurrentPhoto, PhotoFilter};
pub use purge::Purged;
pub use report::{GroupBy, ReportRow, StudentLine};
pub use rule::{Candidate, counting};
pub use status::StoredText;
pub use status::{CaptureStatus, StudentStatus};
pub use students::{FieldChange, ImportCounts, KeptLine, Student, StudentRecord};
pub use sync::{Applied, AuditRow, CaptureRow, Changes, Conflict, Pending, PrintRow, Pulled, ReviewRow, RosterLine};

/// The database file inside the data folder.
pub const DB_FILE: &str = "tucai.db";

/// The store version this program makes and reads (`PRAGMA user_version`).
pub const STORE_VERSION: usize = schema::MIGRATIONS.len();

/// When the whole integrity check last ran (Unix seconds), in `meta`.
const META_FULL_CHECK: &str = "full_check_at";

/// The whole integrity check runs at an open at most this often (a day); else the quick one.
const FULL_CHECK_EVERY_S: i64 = 86_400;

/// What went wrong with the store; said in words an operator can act on by
/// [`crate::i18n::Say`] (`i18n/errors.rs`).
#[derive(Debug)]
pub enum StoreError {
    /// SQLite failed.
    Sql {
        /// The database file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The data folder can't be created.
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file given as a backup is not one this program can put back.
    NotABackup {
        /// The file.
        path: PathBuf,
        /// Why.
        problem: BackupProblem,
    },
    /// A newer Tucai made (or upgraded) this store.
    Newer {
        /// The database file.
        path: PathBuf,
        /// Its store version.
        version: i64,
    },
    /// `PRAGMA integrity_check` found damage.
    Damaged {
        /// The database file.
        path: PathBuf,
        /// SQLite's report.
        report: String,
    },
    /// Stored bytes no longer match their hash.
    Corrupt {
        /// The expected hash.
        sha256: String,
    },
    /// The photo's bytes are held by the booth that took it, not here.
    NotHere {
        /// The photo's hash.
        sha256: String,
    },
    /// No such student.
    NoStudent(String),
    /// The action is not allowed now, for a reason the operator can act on.
    Refused(Refusal),
    /// A capture code already belongs to another student.
    CodeTaken {
        /// Who has it.
        owner_no: String,
        /// Their name.
        owner_name: String,
        /// Who asked for it.
        other_no: String,
        /// Their name.
        other_name: String,
    },
    /// The camera frame could not be kept as the attempt's original.
    Original(crate::imaging::EncodeError),
}

/// Why a file cannot be restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupProblem {
    /// There is no such file.
    Missing,
    /// It is an SQLite file, but not a Tucai store.
    NotAStore,
    /// A newer Tucai made it.
    Newer {
        /// Its store version.
        version: i64,
    },
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> StoreError {
        StoreError::Refused(r)
    }
}

/// What `check_whole` read.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WholeCheck {
    /// Size of the database file.
    pub bytes: u64,
    /// How long reading it took.
    pub seconds: f64,
}

/// Why the store refuses an action, with what the sentence needs (rendered in `i18n`).
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Too many failed checks in a row: a pause before the next shot.
    CoolDown {
        /// The student's name.
        name: String,
        /// Failures in a row that start it.
        failures: u32,
        /// When it ends (Unix seconds).
        until: i64,
    },
    /// Too many failed shots today.
    Locked {
        /// The student's name.
        name: String,
        /// When it ends (Unix seconds).
        until: i64,
    },
    /// Accept with no draft that passed the checks.
    NoDraftToAccept {
        /// The student's name.
        name: String,
    },
    /// A rejection with no reason.
    RejectNeedsReason,
    /// Nothing (or not that capture) to review.
    NoPhotoToReview {
        /// The student's name.
        name: String,
        /// The capture asked for, if one was.
        capture_id: Option<String>,
    },
    /// A name that several students share.
    SeveralNamed {
        /// How many.
        count: usize,
        /// The name.
        name: String,
    },
    /// The last four ID digits the student said are not theirs.
    Last4Mismatch {
        /// The student's name.
        name: String,
        /// Their number.
        student_no: String,
    },
    /// The account's role is below what the action needs.
    RoleNeeded {
        /// The account.
        name: String,
        /// Its role.
        has: Role,
        /// What was asked.
        action: Action,
    },
    /// The first account must be an admin.
    FirstAccountAdmin,
    /// Adding an account needs an admin logged in.
    AddAccountNeedsLogin,
    /// An account with no name.
    AccountNameEmpty,
    /// A PIN too short or not all digits.
    PinTooShort {
        /// The minimum.
        min_digits: usize,
    },
    /// The PIN could not be hashed.
    PinHash,
    /// The account name is taken.
    AccountExists {
        /// The name.
        name: String,
    },
    /// Wrong name or PIN.
    WrongPin {
        /// The name typed.
        name: String,
    },
    /// Too many wrong PINs: the name is locked for a while.
    LockedOut {
        /// The name typed.
        name: String,
        /// When it ends (Unix seconds).
        until: i64,
    },
    /// The account was disabled by an admin.
    AccountDisabled {
        /// The account.
        name: String,
    },
    /// The PIN is shorter than today's minimum: change it first.
    MustChangePin {
        /// The account.
        name: String,
    },
    /// No account with that name.
    NoSuchAccount {
        /// The name.
        name: String,
    },
    /// An admin cannot disable their own account (someone must be left to manage them).
    DisableSelf,
}

/// Seconds since the Unix epoch; injected so tests can move time.
pub type Clock = Box<dyn Fn() -> i64 + Send>;

/// An open station store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    station_id: String,
    clock: Clock,
    /// Opened from another file than the one it was made in, and re-identified (`identity.rs`).
    renamed_at_open: Option<Restored>,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`: WAL, foreign keys, full sync, the
    /// migrations, and an integrity check (the whole one at most daily, the quick one else). A
    /// store made by a newer Tucai is refused, untouched.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Self::open_with_clock(dir, Box::new(system_now))
    }

    /// [`Store::open`] with a given clock.
    pub fn open_with_clock(dir: &Path, clock: Clock) -> Result<Store, StoreError> {
        // The folder and the database (with its WAL) are the owner's only: they hold every
        // graduate's name, ID number and photo.
        let folder = |source| StoreError::Folder { path: dir.to_owned(), source };
        crate::export::create_private_dir(dir).map_err(folder)?;
        let path = dir.join(DB_FILE);
        private(dir, PRIVATE_DIR).map_err(folder)?;
        for file in [path.clone(), wal_of(&path, "-wal"), wal_of(&path, "-shm")] {
            if !file.exists() && file == path {
                crate::export::create_private_file(&path).map_err(folder)?;
            }
            if file.exists() {
                private(&file, PRIVATE_FILE).map_err(folder)?;
            }
        }
        // A file that is not SQLite at all (or whose header is destroyed) says so in words.
        let sql = |source| match source {
            rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::NotADatabase => {
                StoreError::Damaged { path: path.clone(), report: "not a database file".into() }
            }
            source => StoreError::Sql { path: path.clone(), source },
        };
        let conn = Connection::open(&path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sql)?;
        // `secure_delete`: deleted rows (a purged student's photos) are overwritten, not left in free pages.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
        )
            .map_err(sql)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
        if version as usize > schema::MIGRATIONS.len() {
            return Err(StoreError::Newer { path, version });
        }
        // The whole check reads every page (gigabytes after a season): at most once a day; the
        // quick one (structure, no index cross-check) at every open.
        let now = clock();
        let last_full: Option<i64> = conn
            .query_row("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1", params![META_FULL_CHECK], |r| r.get(0))
            .ok();
        let full = last_full.is_none_or(|at| now - at >= FULL_CHECK_EVERY_S || now < at);
        let pragma = if full { "PRAGMA integrity_check" } else { "PRAGMA quick_check" };
        let report: String = conn.query_row(pragma, [], |r| r.get(0)).map_err(sql)?;
        if report != "ok" {
            return Err(StoreError::Damaged { path, report });
        }
        let mut store = Store { conn, path, station_id: String::new(), clock, renamed_at_open: None };
        store.migrate()?;
        if full {
            let sql = store.sql();
            store
                .conn
                .execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![META_FULL_CHECK, now])
                .map_err(sql)?;
        }
        store.station_id = store.station_id_or_new()?;
        store.check_identity()?;
        Ok(store)
    }

    /// Reads every page for damage now (`PRAGMA integrity_check`, what opening does at most
    /// daily) and records when; damage is [`StoreError::Damaged`].
    pub fn check_whole(&self) -> Result<WholeCheck, StoreError> {
        let started = std::time::Instant::now();
        let report: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(self.sql())?;
        if report != "ok" {
            return Err(StoreError::Damaged { path: self.path.clone(), report });
        }
        let now = (self.clock)();
        self.conn
            .execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![META_FULL_CHECK, now])
            .map_err(self.sql())?;
        let bytes = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        Ok(WholeCheck { bytes, seconds: started.elapsed().as_secs_f64() })
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sql { path: self.path.clone(), source }
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql { path: path.clone(), source };
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
        if version as usize >= schema::MIGRATIONS.len() {
            return Ok(());
        }
        // A migration may rebuild a table others refer to (SQLite's documented way to change
        // constraints): foreign keys are off meanwhile and checked before each commit.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF").map_err(sql)?;
        for (i, migration) in schema::MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let tx = self.conn.transaction().map_err(sql)?;
            tx.execute_batch(migration).map_err(sql)?;
            let dangling: i64 =
                tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).map_err(sql)?;
            if dangling > 0 {
                return Err(StoreError::Damaged {
                    path: path.clone(),
                    report: format!("{dangling} rows refer to nothing after migration {}", i + 1),
                });
            }
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1)).map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
        self.conn.execute_batch("PRAGMA foreign_keys = ON").map_err(sql)?;
        Ok(())
    }

    /// This station's id, made once at random (it prefixes capture ids, so captures from
    /// several booths never collide; a restored store gets a new one, `identity.rs`).
    fn station_id_or_new(&self) -> Result<String, StoreError> {
        let existing: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'station_id'", [], |r| r.get(0))
            .optional()
            .map_err(self.sql())?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let id = identity::new_station_id();
        self.conn
            .execute("INSERT INTO meta (key, value) VALUES ('station_id', ?1)", params![id])
            .map_err(self.sql())?;
        Ok(id)
    }

    /// Runs `change` in one transaction with the current time, and commits it; any error
    /// rolls everything back (the transaction is dropped uncommitted).
    fn write<T>(
        &mut self,
        change: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let now = self.now();
        let path = self.path.clone();
        let sql = |source| StoreError::Sql { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(sql)?;
        let out = change(&tx, now).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(out)
    }

    /// This station's id.
    pub fn station_id(&self) -> &str {
        &self.station_id
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Now, seconds since the epoch.
    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Copies the whole store to `target` with SQLite's online backup (the station may keep
    /// working meanwhile).
    pub fn backup(&self, target: &Path) -> Result<(), StoreError> {
        // Owner-only from its first byte, like the store itself.
        crate::export::create_private_file(target)
            .and_then(|_| private(target, PRIVATE_FILE))
            .map_err(|source| StoreError::Folder { path: target.to_owned(), source })?;
        let mut dst = Connection::open(target).map_err(|source| StoreError::Sql { path: target.to_owned(), source })?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut dst).map_err(self.sql())?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None).map_err(self.sql())?;
        Ok(())
    }

    /// The bytes stored under `sha256`, verified against it.
    pub fn blob(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let bytes: Vec<u8> = self
            .conn
            .query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", params![sha256], |r| r.get(0))
            .optional()
            .map_err(self.sql())?
            .ok_or_else(|| StoreError::NotHere { sha256: sha256.to_owned() })?;
        if sha256_hex(&bytes) != sha256 {
            return Err(StoreError::Corrupt { sha256: sha256.to_owned() });
        }
        Ok(bytes)
    }
}

/// The system clock, seconds since the Unix epoch (the store's clock outside tests).
pub(crate) fn system_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Overwrites the bytes stored under `sha256` (tests of the damage check only; the station
/// never changes stored bytes).
#[doc(hidden)]
pub fn tamper_for_tests(db: &Path, sha256: &str) -> rusqlite::Result<usize> {
    let conn = Connection::open(db)?;
    conn.execute("UPDATE blobs SET bytes = X'00' WHERE sha256 = ?1", params![sha256])
}

/// Writes an audit row inside the caller's transaction; one argument per column of the row.
#[allow(clippy::too_many_arguments)]
fn audit(
    tx: &rusqlite::Transaction<'_>,
    at: i64,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, entity, entity_id, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            timestamp(at),
            actor.name,
            action,
            entity,
            entity_id,
            before.map(|v| v.to_string()),
            after.map(|v| v.to_string())
        ],
    )?;
    Ok(())
}

/// `db` with `suffix` appended to its file name (SQLite's `-wal` and `-shm` files).
fn wal_of(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Sets `path`'s permission bits.
fn private(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// The store's folder when none is given: the user's data folder (`~/.local/share/tucai`).
pub fn default_dir() -> Option<std::path::PathBuf> {
    dirs::data_dir().map(|d| d.join("tucai"))
}

/// SHA-256 as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// UTC time as `YYYY-MM-DDTHH:MM:SSZ` (civil date from days since the epoch, Hinnant's method).
pub fn timestamp(unix_seconds: i64) -> String {
    let (days, secs) = (unix_seconds.div_euclid(86_400), unix_seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Parses what [`timestamp`] writes; 0 for anything else.
pub fn parse_timestamp(text: &str) -> i64 {
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let (hh, mm, ss) = (num(11..13), num(14..16), num(17..19));
    // Days from civil (Hinnant), the inverse of `civil_from_days`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A student status as stored and printed (`to_recall`).
pub fn status_name(status: StudentStatus) -> String {
    status.as_text().to_owned()
}

/// A status (of a student, a capture, a decision) as stored: `to_recall`, `approved`.
pub fn status_text<T: StoredText>(value: &T) -> String {
    value.as_text().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_from_a_newer_tucai_is_refused_untouched() {
        let dir = std::env::temp_dir().join(format!("tucai-newer-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        drop(Store::open(&dir).expect("a store"));
        let db = dir.join(DB_FILE);
        let newer = STORE_VERSION as i64 + 1;
        Connection::open(&db).expect("opens").execute_batch(&format!("PRAGMA user_version = {newer}")).expect("newer");
        let before = std::fs::read(&db).expect("bytes");
        let e = Store::open(&dir).err().expect("refused");
        assert!(matches!(e, StoreError::Newer { version, .. } if version == newer), "{e:?}");
        assert!(e.to_string().contains("newer Tucai"), "{e}");
        assert_eq!(std::fs::read(&db).expect("bytes"), before, "untouched");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_795_305_600 + 3723), "2026-11-22T01:02:03Z");
    }
}
