//! Which store this is: a station id (in every capture, review and print id), an install id
//! made when the store is created or restored, the file the database lives in, and how far the
//! central server has applied its outbox. A copied data folder or an older backup put back by
//! hand looks exactly like the original from the inside; these say it is not, before it can
//! mix its rows with the original's on the server.
//!
//! - **Copied folder**: the database file's device and inode are recorded; a store opened from
//!   another file (a copied folder, a backup copied in by hand, a folder moved to another disk)
//!   takes a new station id at once, before anything is written, and says so — nothing it makes
//!   can carry the original's name.
//! - **Older backup or a copy that stayed on the same file**: the server records, per station,
//!   the install id and the last outbox entry it applied; a store whose own record of that
//!   (`acked_seq`) is behind the server's is refused. The one honest way to be behind — the
//!   server committed a batch whose acknowledgement was lost — is known by the batch this store
//!   noted as in flight before sending it.
//! - **Restore** (`Store::restore`): the backup is checked and copied in beside the current
//!   store (which is kept aside, never overwritten), then re-identified: new station and install
//!   ids, `restored_from` the old station; rows made before keep their origin (reviews and prints
//!   their uid, audit rows their station), so nothing it makes from now on can collide with the
//!   original's, and what the original never sent still reaches the server under its own name.
//!   Restoring the data folder's own store in place (the server said it is behind: a copy on the
//!   same file) cannot tell the rows made before the copy from those made after: what the server
//!   never confirmed takes the new name (a capture the original did send then exists twice, with
//!   the same photo, which the rule handles; two different photos under one id never happen).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;

use super::{Actor, BackupProblem, DB_FILE, Store, StoreError, audit, sha256_hex, timestamp, wal_of};

const META_INSTALL: &str = "install_id";
const META_FILE: &str = "store_file";
const META_ACKED: &str = "acked_seq";
const META_INFLIGHT: &str = "inflight_seq";
const META_RESTORED_FROM: &str = "restored_from";

/// What the server is told about this store with every batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// The station id.
    pub station_id: String,
    /// Made when the store was created or restored.
    pub install_id: String,
    /// The last outbox entry the server confirmed applying.
    pub acked_seq: i64,
    /// The last entry of a batch sent but not confirmed (its acknowledgement may be lost).
    pub inflight_seq: Option<i64>,
    /// The station this store was restored from.
    pub restored_from: Option<String>,
}

/// Which rows of a store being re-identified were surely made before it parted from the
/// original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fork {
    /// All of them: a backup, or a copy noticed before anything was written.
    Known,
    /// Only those the server confirmed: a store restored in place.
    Unknown,
}

/// What `tucai restore` did (or opening a copied store).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Restored {
    /// The backup that was put back.
    pub from_file: PathBuf,
    /// The station id the backup had.
    pub old_station: String,
    /// The station id it has now.
    pub new_station: String,
    /// Where the store that was in the data folder was kept (none if there was none).
    pub kept_aside: Option<PathBuf>,
    /// Outbox entries the original had not sent, which this store will send.
    pub unsent: i64,
}

/// The device and inode of the database file, as text (`dev:ino`).
fn file_identity(db: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(db).ok().map(|m| format!("{}:{}", m.dev(), m.ino()))
}

/// 128 random bits as hex, from the system's generator (a hash of time and process where there
/// is none).
fn random_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let from_system = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok();
    if from_system {
        return bytes.iter().map(|b| format!("{b:02x}")).collect();
    }
    let seed = format!("{:?}-{}-{:?}", std::time::SystemTime::now(), std::process::id(), std::time::Instant::now());
    sha256_hex(seed.as_bytes())[..32].to_owned()
}

/// A new station id (`st-` and 12 hex digits).
pub(super) fn new_station_id() -> String {
    format!("st-{}", &random_id()[..12])
}

fn get_meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| r.get(0)).optional()
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![key, value]).map(|_| ())
}

impl Store {
    /// At open: makes the install id if there is none, records the database file the first
    /// time, and notes whether the store now lives in another file (a copied folder). A store
    /// from before install ids knows what the server applied from its outbox (entries are
    /// deleted once confirmed, in order).
    pub(super) fn check_identity(&mut self) -> Result<(), StoreError> {
        let here = file_identity(&self.path);
        let path = self.path.clone();
        let sql = |source| StoreError::Sql { path: path.clone(), source };
        let recorded = get_meta(&self.conn, META_FILE).map_err(&sql)?;
        let install = get_meta(&self.conn, META_INSTALL).map_err(&sql)?;
        let acked = get_meta(&self.conn, META_ACKED).map_err(&sql)?;
        let moved = matches!((&recorded, &here), (Some(r), Some(h)) if r != h);
        if install.is_none() || acked.is_none() || (recorded.is_none() && here.is_some()) {
            let tx = self.conn.unchecked_transaction().map_err(&sql)?;
            if install.is_none() {
                set_meta(&tx, META_INSTALL, &random_id()).map_err(&sql)?;
            }
            if acked.is_none() {
                let confirmed: i64 = tx
                    .query_row(
                        "SELECT COALESCE((SELECT MIN(seq) - 1 FROM outbox),
                                         (SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)",
                        [],
                        |r| r.get(0),
                    )
                    .map_err(&sql)?;
                set_meta(&tx, META_ACKED, &confirmed.to_string()).map_err(&sql)?;
            }
            if let (None, Some(h)) = (&recorded, &here) {
                set_meta(&tx, META_FILE, h).map_err(&sql)?;
            }
            tx.commit().map_err(&sql)?;
        }
        if moved {
            let mut restored = self.reidentify(None, Fork::Known)?;
            restored.from_file = self.path.clone();
            self.renamed_at_open = Some(restored);
        }
        Ok(())
    }

    /// Set when this store was opened from another file than the one it was made in (a copied
    /// or moved data folder, a backup copied in by hand): it took a new station id at once.
    pub fn renamed_at_open(&self) -> Option<&Restored> {
        self.renamed_at_open.as_ref()
    }

    /// What the server is told about this store.
    pub fn identity(&self) -> Result<Identity, StoreError> {
        let meta = |key| get_meta(&self.conn, key).map_err(self.sql());
        Ok(Identity {
            station_id: self.station_id.clone(),
            install_id: meta(META_INSTALL)?.unwrap_or_default(),
            acked_seq: meta(META_ACKED)?.and_then(|v| v.parse().ok()).unwrap_or(0),
            inflight_seq: meta(META_INFLIGHT)?.and_then(|v| v.parse().ok()),
            restored_from: meta(META_RESTORED_FROM)?,
        })
    }

    /// Notes that a batch ending at `last_seq` is about to be sent (kept until it is confirmed).
    pub fn note_in_flight(&mut self, last_seq: i64) -> Result<(), StoreError> {
        self.write(|tx, _| set_meta(tx, META_INFLIGHT, &last_seq.to_string()))
    }

    /// Marks the outbox up to `last_seq` as applied by the server.
    pub fn mark_sent(&mut self, last_seq: i64) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.execute("DELETE FROM outbox WHERE seq <= ?1", params![last_seq])?;
            set_meta(tx, META_ACKED, &last_seq.to_string())?;
            tx.execute("DELETE FROM meta WHERE key = ?1", params![META_INFLIGHT]).map(|_| ())
        })
    }

    /// Puts a backup (or, with `from` = `None`, the data folder's own store, e.g. a copied
    /// folder) back as a store of its own in `dir`: the file is checked
    /// (`PRAGMA integrity_check`, a Tucai store, not newer than this program), copied in beside
    /// the current store with SQLite's backup, the current store moved aside into
    /// `dir/replaced-<time>/` (never overwritten), and the copy re-identified. `actor` is who
    /// did it (none for a data folder without a store), written in the restored store's audit.
    pub fn restore(dir: &Path, from: Option<&Path>, actor: Option<&Actor>) -> Result<Restored, StoreError> {
        let db = dir.join(DB_FILE);
        let from_file = from.map_or_else(|| db.clone(), Path::to_owned);
        let source = open_backup(&from_file)?;
        let staging = dir.join(format!("{DB_FILE}.restoring"));
        let folder = |path: &Path| {
            let path = path.to_owned();
            move |source| StoreError::Folder { path: path.clone(), source }
        };
        crate::export::create_private_dir(dir).map_err(folder(dir))?;
        let _ = std::fs::remove_file(&staging);
        {
            crate::export::create_private_file(&staging).map_err(folder(&staging))?;
            let mut target =
                Connection::open(&staging).map_err(|source| StoreError::Sql { path: staging.clone(), source })?;
            let sql = |source| StoreError::Sql { path: from_file.clone(), source };
            let copy = rusqlite::backup::Backup::new(&source, &mut target).map_err(sql)?;
            copy.run_to_completion(256, std::time::Duration::from_millis(0), None).map_err(sql)?;
            drop(copy);
            // The copy is this folder's store from now on (a rename keeps its file): opening it
            // must not take it for a copy, so the re-identification below knows the fork.
            let here = file_identity(&staging).unwrap_or_default();
            set_meta(&target, META_FILE, &here).map_err(|source| StoreError::Sql { path: staging.clone(), source })?;
        }
        drop(source);
        let mut kept_aside = None;
        if db.exists() {
            let stamp = timestamp(super::system_now()).replace([':', '-'], "");
            let aside = dir.join(format!("replaced-{stamp}"));
            crate::export::create_private_dir(&aside).map_err(folder(&aside))?;
            for file in [db.clone(), wal_of(&db, "-wal"), wal_of(&db, "-shm")] {
                if file.exists() {
                    let name = file.file_name().unwrap_or_default();
                    std::fs::rename(&file, aside.join(name)).map_err(folder(&file))?;
                }
            }
            kept_aside = Some(aside);
        }
        std::fs::rename(&staging, &db).map_err(folder(&db))?;
        let mut store = Store::open(dir)?;
        let restored = match store.renamed_at_open.take() {
            // A copy in another file was re-identified as it opened (a backup always is).
            Some(restored) => restored,
            None => store.reidentify(actor, if from.is_some() { Fork::Known } else { Fork::Unknown })?,
        };
        Ok(Restored { from_file, kept_aside, ..restored })
    }

    /// [`Store::restore`] into this store's own folder, from the window: this store's connection
    /// is closed first (so closing it later cannot touch the new files), and this store is the
    /// restored one afterwards — or, if the restore failed, whatever the folder holds then.
    pub fn restore_here(&mut self, from: Option<&Path>, actor: Option<&Actor>) -> Result<Restored, StoreError> {
        if let Some(file) = from {
            drop(open_backup(file)?);
        }
        let dir = self.path.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
        let placeholder = Connection::open_in_memory().map_err(self.sql())?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        let restored = Store::restore(&dir, from, actor);
        let clock = std::mem::replace(&mut self.clock, Box::new(|| 0));
        *self = Store::open_with_clock(&dir, clock)?;
        restored
    }

    /// Gives this store a new station and install id, recording the old station. Rows made
    /// before the fork keep their origin, so they still travel under the old station's name;
    /// with the fork unknown, what the server never confirmed takes the new name.
    fn reidentify(&mut self, actor: Option<&Actor>, fork: Fork) -> Result<Restored, StoreError> {
        let old = self.station_id.clone();
        let new = new_station_id();
        let file = file_identity(&self.path).unwrap_or_default();
        let unsent = self.pending()?.entries;
        let actor = actor.cloned().unwrap_or_else(|| Actor {
            operator_id: None,
            name: "restore".into(),
            role: super::Role::Admin,
            must_change_pin: false,
        });
        self.write(|tx, now| {
            if fork == Fork::Unknown {
                rename_unconfirmed(tx, &old, &new)?;
            }
            let unsent = |entity: &str| {
                if fork == Fork::Known {
                    String::new()
                } else {
                    format!(" AND id NOT IN (SELECT CAST(entity_id AS INTEGER) FROM outbox WHERE entity = '{entity}')")
                }
            };
            let freeze = [
                format!("UPDATE reviews SET uid = ?1 || '-r' || id WHERE uid IS NULL{}", unsent("review")),
                format!("UPDATE prints SET uid = ?1 || '-p' || id WHERE uid IS NULL{}", unsent("print")),
                format!("UPDATE audit SET station_id = ?1 WHERE station_id IS NULL{}", unsent("audit")),
            ];
            for sql in &freeze {
                tx.execute(sql, params![old])?;
            }
            set_meta(tx, "station_id", &new)?;
            set_meta(tx, META_INSTALL, &random_id())?;
            set_meta(tx, META_FILE, &file)?;
            set_meta(tx, META_ACKED, "0")?;
            set_meta(tx, META_RESTORED_FROM, &old)?;
            tx.execute("DELETE FROM meta WHERE key IN (?1, 'export_pending')", params![META_INFLIGHT])?;
            let after = serde_json::json!({ "station_id": new, "restored_from": old });
            audit(tx, now, &actor, "restore", "store", &new, None, Some(&after))
        })?;
        self.station_id = new.clone();
        Ok(Restored { from_file: PathBuf::new(), old_station: old, new_station: new, kept_aside: None, unsent })
    }
}

/// Captures of station `old` the server never confirmed (no central time came back) take the
/// name of station `new`, with every reference to them.
fn rename_unconfirmed(tx: &Connection, old: &str, new: &str) -> rusqlite::Result<()> {
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    tx.execute(
        "CREATE TEMP TABLE renamed AS SELECT id AS old_id, ?2 || substr(id, length(?1) + 1) AS new_id
         FROM captures WHERE station_id = ?1 AND central_taken_at IS NULL",
        params![old, new],
    )?;
    for table in ["reviews", "prints", "export_files"] {
        tx.execute(
            &format!(
                "UPDATE {table} SET capture_id = (SELECT new_id FROM renamed WHERE old_id = capture_id)
                 WHERE capture_id IN (SELECT old_id FROM renamed)"
            ),
            [],
        )?;
    }
    tx.execute(
        "UPDATE outbox SET entity_id = (SELECT new_id FROM renamed WHERE old_id = entity_id)
         WHERE entity = 'capture' AND entity_id IN (SELECT old_id FROM renamed)",
        [],
    )?;
    tx.execute(
        "UPDATE captures SET station_id = ?1, id = (SELECT new_id FROM renamed WHERE old_id = id)
         WHERE id IN (SELECT old_id FROM renamed)",
        params![new],
    )?;
    tx.execute_batch("DROP TABLE temp.renamed")
}

/// Opens a backup read-only and checks it is a whole Tucai store this program can open.
fn open_backup(file: &Path) -> Result<Connection, StoreError> {
    let damaged = |report: &str| StoreError::Damaged { path: file.to_owned(), report: report.to_owned() };
    let refused = |problem| StoreError::NotABackup { path: file.to_owned(), problem };
    if !file.is_file() {
        return Err(refused(BackupProblem::Missing));
    }
    let sql = |source| match source {
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::NotADatabase => {
            damaged("not a database file")
        }
        source => StoreError::Sql { path: file.to_owned(), source },
    };
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(sql)?;
    let report: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(sql)?;
    if report != "ok" {
        return Err(damaged(&report));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
    if version as usize > super::schema::MIGRATIONS.len() {
        return Err(refused(BackupProblem::Newer { version }));
    }
    let has_meta: bool = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')", [], |r| {
            r.get(0)
        })
        .map_err(sql)?;
    let station = if has_meta { get_meta(&conn, "station_id").map_err(sql)? } else { None };
    if station.is_none() {
        return Err(refused(BackupProblem::NotAStore));
    }
    Ok(conn)
}
