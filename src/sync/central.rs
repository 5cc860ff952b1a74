//! The central PostgreSQL database: its schema (in the `tucai` schema, numbered migrations),
//! applying one batch from a booth in one transaction, and reading back what changed since a
//! booth's last pull. The only place with PostgreSQL's SQL.
//!
//! The central side keeps facts, not opinions: every booth's captures as their booth reported
//! them, every review, print and audit row, roster lines, and photo bytes under their SHA-256
//! (a CHECK recomputes the hash on the server, so bytes that don't match are refused there
//! too). Which photo counts is decided by the one rule in `store::rule`, wherever the facts are
//! pulled to.
//!
//! Every row written gets the next value of one sequence (`rev`); a pull asks for rows after
//! the last `rev` it saw. Writers hold one advisory lock for their whole transaction, so revs
//! become visible in order and a pull can't skip a row committed late.

use postgres::{Client, IsolationLevel, Transaction};

use super::SyncError;
use crate::store::{
    AuditRow, CaptureRow, Changes, Identity, PrintRow, Pulled, ReviewRow, RosterLine, StoreError, StudentRecord,
    parse_timestamp, timestamp,
};

/// The schema, as numbered migrations run by `tucai central init`.
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE SEQUENCE rev;
    CREATE TABLE stations (
        station_id   text PRIMARY KEY,
        applied_seq  bigint NOT NULL DEFAULT 0,
        batches      bigint NOT NULL DEFAULT 0,
        first_seen   timestamptz NOT NULL DEFAULT now(),
        last_sync    timestamptz,
        clock_skew_s bigint NOT NULL DEFAULT 0
    );
    CREATE TABLE blobs (
        sha256 text PRIMARY KEY,
        bytes  bytea NOT NULL,
        CHECK (encode(sha256(bytes), 'hex') = sha256)
    );
    CREATE TABLE students (
        student_no text PRIMARY KEY,
        name       text NOT NULL,
        id_number  text,
        college    text NOT NULL,
        major      text NOT NULL,
        class      text NOT NULL,
        exam_no    text NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        rev        bigint NOT NULL
    );
    CREATE INDEX students_rev ON students (rev);
    CREATE TABLE captures (
        id               text PRIMARY KEY,
        station_id       text NOT NULL REFERENCES stations,
        student_no       text NOT NULL REFERENCES students,
        attempt_no       integer NOT NULL,
        taken_at         text NOT NULL,
        central_taken_at text NOT NULL,
        profile          text NOT NULL,
        status           text NOT NULL,
        verdict          text NOT NULL,
        failure_kind     text,
        original_sha256  text NOT NULL,
        photo_sha256     text REFERENCES blobs,
        trail_json       text NOT NULL,
        report_json      text NOT NULL,
        error            text,
        received_at      timestamptz NOT NULL DEFAULT now(),
        rev              bigint NOT NULL
    );
    CREATE INDEX captures_rev ON captures (rev);
    CREATE INDEX captures_student ON captures (student_no);
    CREATE TABLE reviews (
        uid        text PRIMARY KEY,
        station_id text NOT NULL REFERENCES stations,
        capture_id text NOT NULL REFERENCES captures,
        reviewer   text NOT NULL,
        decision   text NOT NULL CHECK (decision IN ('approve', 'reject')),
        reason     text NOT NULL,
        at         text NOT NULL,
        central_at text NOT NULL,
        rev        bigint NOT NULL
    );
    CREATE INDEX reviews_rev ON reviews (rev);
    CREATE TABLE prints (
        uid        text PRIMARY KEY,
        station_id text NOT NULL REFERENCES stations,
        capture_id text NOT NULL REFERENCES captures,
        student_no text NOT NULL,
        copies     integer NOT NULL,
        paper      text NOT NULL,
        target     text NOT NULL,
        at         text NOT NULL,
        actor      text NOT NULL,
        rev        bigint NOT NULL
    );
    CREATE INDEX prints_rev ON prints (rev);
    CREATE TABLE audit (
        station_id text NOT NULL REFERENCES stations,
        local_id   bigint NOT NULL,
        at         text NOT NULL,
        actor      text NOT NULL,
        action     text NOT NULL,
        entity     text NOT NULL,
        entity_id  text NOT NULL,
        before     text,
        after      text,
        PRIMARY KEY (station_id, local_id)
    );
    "#,
    // 2: which install of a station sends (a copied or restored store is another install) and
    // which station a restored one came from.
    r#"
    ALTER TABLE stations ADD COLUMN install_id text;
    ALTER TABLE stations ADD COLUMN restored_from text REFERENCES stations;
    "#,
];

/// The advisory lock every writing transaction holds (an arbitrary constant: "图采").
const WRITE_LOCK: i64 = 0x5475_6361_69;

/// Photos asked for in one query when pulling bytes.
pub const PHOTOS_PER_QUERY: usize = 100;

/// Creates or upgrades the central schema; returns (version before, version after).
pub fn init(client: &mut Client) -> Result<(usize, usize), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS tucai; SET LOCAL search_path = tucai;
         CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);",
    )?;
    let before = version(&mut tx)?;
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(before) {
        tx.batch_execute(migration)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&(i + 1).to_string()],
        )?;
    }
    tx.commit()?;
    Ok((before, MIGRATIONS.len()))
}

fn version(tx: &mut Transaction<'_>) -> Result<usize, postgres::Error> {
    let row = tx.query_opt("SELECT value FROM meta WHERE key = 'schema_version'", &[])?;
    Ok(row.and_then(|r| r.get::<_, String>(0).parse().ok()).unwrap_or(0))
}

/// Points the connection at our schema and checks its version; returns the server's clock
/// (seconds since the epoch).
pub fn open(client: &mut Client, shown: &str) -> Result<i64, SyncError> {
    let lost = |source| SyncError::classify(shown, source);
    let found = client
        .query_opt(
            "SELECT value FROM tucai.meta WHERE key = 'schema_version'
             AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'tucai')",
            &[],
        )
        .map_err(|e| {
            if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) {
                SyncError::NoSchema { at: shown.to_owned() }
            } else {
                lost(e)
            }
        })?;
    let version: usize = found.and_then(|r| r.get::<_, String>(0).parse().ok()).unwrap_or(0);
    if version < MIGRATIONS.len() {
        return Err(SyncError::NoSchema { at: shown.to_owned() });
    }
    if version > MIGRATIONS.len() {
        return Err(SyncError::SchemaNewer { at: shown.to_owned(), version });
    }
    client.batch_execute("SET search_path = tucai").map_err(lost)?;
    let now: f64 = client.query_one("SELECT extract(epoch FROM now())::float8", &[]).map_err(lost)?.get(0);
    Ok(now.round() as i64)
}

/// Why a batch was not applied.
#[derive(Debug)]
pub enum Failed {
    /// The server or the connection.
    Db(postgres::Error),
    /// A photo could not be read here.
    Store(StoreError),
    /// The station is another install's on the server (this store is a copy).
    OtherInstall,
    /// The server has applied more of this station's outbox than this store knows of: it is an
    /// older backup or a copy of a store that synced since.
    Behind {
        /// What the server applied.
        server_seq: i64,
        /// What this store knows it applied.
        here_seq: i64,
    },
    /// Rows with the same id as rows on the server but other fixed fields.
    Clashes(Vec<Clash>),
}

/// A row sent whose id the server already holds with other fixed fields (a photo, a student,
/// an attempt): never overwritten, never skipped in silence.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Clash {
    /// `capture`, `review`, `print` or `audit`.
    pub kind: &'static str,
    /// Its id (`station/local id` for audit rows).
    pub id: String,
    /// The first field that differs.
    pub field: &'static str,
}

/// What the server holds about one station: its install and the last outbox entry applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StationState {
    /// The install that sends for it (none before install ids, or for a station never seen).
    pub install_id: Option<String>,
    /// The last outbox entry applied.
    pub applied_seq: i64,
    /// Batches applied.
    pub batches: i64,
}

/// The server's record of `station` (default if it never sent anything).
pub fn station_state(client: &mut Client, station: &str) -> Result<StationState, postgres::Error> {
    Ok(client
        .query_opt("SELECT install_id, applied_seq, batches FROM stations WHERE station_id = $1", &[&station])?
        .map(|r| StationState { install_id: r.get(0), applied_seq: r.get(1), batches: r.get(2) })
        .unwrap_or_default())
}

/// Whether a batch from `identity` ending at `last_seq` may be applied over `state` (`None`:
/// asked before any batch): `Ok(true)` to apply it, `Ok(false)` when this very batch was applied
/// already (its acknowledgement was lost).
pub(super) fn may_apply(state: &StationState, identity: &Identity, last_seq: Option<i64>) -> Result<bool, Failed> {
    if state.install_id.as_ref().is_some_and(|i| *i != identity.install_id) {
        return Err(Failed::OtherInstall);
    }
    if state.batches == 0 || state.applied_seq == identity.acked_seq {
        return Ok(true);
    }
    if Some(state.applied_seq) == last_seq {
        return Ok(false);
    }
    Err(Failed::Behind { server_seq: state.applied_seq, here_seq: identity.acked_seq })
}

impl From<postgres::Error> for Failed {
    fn from(e: postgres::Error) -> Self {
        Failed::Db(e)
    }
}

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Self {
        Failed::Store(e)
    }
}

/// What one batch sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    /// Photos whose bytes went (the server lacked them).
    pub photos: usize,
    /// Bytes of row data and photos sent (what the batch carried, not the protocol's framing).
    pub bytes: u64,
    /// The batch had been applied already (its acknowledgement was lost): nothing changed.
    pub already: bool,
    /// Roster lines changed here that were not applied: corrected elsewhere since this booth
    /// last saw them (the correction is kept, and comes back with the pull).
    pub roster_kept: Vec<String>,
}

/// Applies one batch from the store `identity` names in one transaction: roster lines, the
/// photos the server lacks (read through `photo`, which checks them against their hash),
/// captures, reviews, prints, audit rows, and the station's progress. Refused whole, before
/// anything is written, when the station is another install's or the server has applied more of
/// its outbox than the store knows of; refused whole, naming the rows, when a row's id is held
/// with other fixed fields. A batch applied twice changes nothing. `clock_skew_s` (booth clock
/// minus server clock) dates the booth's rows on the server's clock.
pub fn push(
    client: &mut Client,
    identity: &Identity,
    clock_skew_s: i64,
    changes: &Changes,
    photo: &mut dyn FnMut(&str) -> Result<Vec<u8>, StoreError>,
) -> Result<Sent, Failed> {
    let station = identity.station_id.as_str();
    let mut sent = Sent::default();
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    if let Some(from) = &identity.restored_from {
        tx.execute("INSERT INTO stations (station_id) VALUES ($1) ON CONFLICT DO NOTHING", &[from])?;
    }
    tx.execute(
        "INSERT INTO stations (station_id, install_id, restored_from) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&station, &identity.install_id, &identity.restored_from],
    )?;
    let state = tx
        .query_one("SELECT install_id, applied_seq, batches FROM stations WHERE station_id = $1", &[&station])
        .map(|r| StationState { install_id: r.get(0), applied_seq: r.get(1), batches: r.get(2) })?;
    if !may_apply(&state, identity, Some(changes.last_seq))? {
        return Ok(Sent { already: true, ..Sent::default() });
    }
    // Rows made under the station a restored store came from travel under that station's name.
    let mut origins: Vec<&str> = changes.captures.iter().map(|c| c.station_id.as_str()).collect();
    origins.extend(changes.reviews.iter().map(|r| r.station_id.as_str()));
    origins.extend(changes.prints.iter().map(|p| p.station_id.as_str()));
    origins.extend(changes.audit.iter().map(|a| a.station_id.as_str()));
    origins.sort_unstable();
    origins.dedup();
    tx.execute("INSERT INTO stations (station_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", &[&origins])?;
    sent.roster_kept = send_students(&mut tx, station, &changes.students, &mut sent.bytes)?;
    send_photos(&mut tx, changes, photo, &mut sent)?;
    let mut clashes = Vec::new();
    send_captures(&mut tx, station, clock_skew_s, &changes.captures, &mut clashes, &mut sent.bytes)?;
    send_reviews(&mut tx, clock_skew_s, &changes.reviews, &mut clashes, &mut sent.bytes)?;
    send_prints(&mut tx, &changes.prints, &mut clashes, &mut sent.bytes)?;
    send_audit(&mut tx, &changes.audit, &mut clashes, &mut sent)?;
    if !clashes.is_empty() {
        // Dropping the transaction rolls all of the batch back.
        return Err(Failed::Clashes(clashes));
    }
    tx.execute(
        "UPDATE stations SET applied_seq = $2, batches = batches + 1, last_sync = now(), clock_skew_s = $3,
            install_id = $4, restored_from = COALESCE(restored_from, $5) WHERE station_id = $1",
        &[&station, &changes.last_seq, &clock_skew_s, &identity.install_id, &identity.restored_from],
    )?;
    tx.commit()?;
    Ok(sent)
}

/// The batch's roster lines. A line the server holds at a newer revision than the booth last
/// saw, written there by someone else (the office's correction), is not overwritten: its number
/// is returned, and the correction reaches the booth with the pull.
fn send_students(
    tx: &mut Transaction<'_>,
    station: &str,
    lines: &[RosterLine],
    bytes: &mut u64,
) -> Result<Vec<String>, Failed> {
    let numbers: Vec<&str> = lines.iter().map(|l| l.record.student_no.as_str()).collect();
    let newer: std::collections::HashMap<String, (i64, String)> = tx
        .query("SELECT student_no, rev, updated_by FROM students WHERE student_no = ANY($1)", &[&numbers])?
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let upsert = tx.prepare(
        "INSERT INTO students (student_no, name, id_number, college, major, class, exam_no, updated_by, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('rev'))
         ON CONFLICT (student_no) DO UPDATE SET name = excluded.name, id_number = excluded.id_number,
            college = excluded.college, major = excluded.major, class = excluded.class, exam_no = excluded.exam_no,
            updated_by = excluded.updated_by, updated_at = now(), rev = nextval('rev')
         WHERE (students.name, students.id_number, students.college, students.major, students.class, students.exam_no)
            IS DISTINCT FROM (excluded.name, excluded.id_number, excluded.college, excluded.major, excluded.class,
                              excluded.exam_no)
         RETURNING student_no",
    )?;
    let mut kept = Vec::new();
    for line in lines {
        let s = &line.record;
        *bytes += student_bytes(s);
        if let Some((rev, by)) = newer.get(&s.student_no)
            && *rev > line.rev
            && by != station
        {
            let same: bool = tx
                .query_one(
                    "SELECT (name, id_number, college, major, class, exam_no) IS NOT DISTINCT FROM
                        ($2, $3, $4, $5, $6, $7) FROM students WHERE student_no = $1",
                    &[&s.student_no, &s.name, &s.id_number, &s.college, &s.major, &s.class, &s.exam_no],
                )?
                .get(0);
            if !same {
                kept.push(s.student_no.clone());
            }
            continue;
        }
        tx.query(
            &upsert,
            &[&s.student_no, &s.name, &s.id_number, &s.college, &s.major, &s.class, &s.exam_no, &station],
        )?;
    }
    Ok(kept)
}

/// The batch's captures. A capture the server lacks is added; one it holds must have the same
/// fixed fields (else a clash), and only its own booth changes its status.
fn send_captures(
    tx: &mut Transaction<'_>,
    station: &str,
    clock_skew_s: i64,
    captures: &[CaptureRow],
    clashes: &mut Vec<Clash>,
    bytes: &mut u64,
) -> Result<(), Failed> {
    let ids: Vec<&str> = captures.iter().map(|c| c.id.as_str()).collect();
    let held: std::collections::HashMap<String, [Option<String>; 6]> = tx
        .query(
            "SELECT id, station_id, student_no, attempt_no::text, taken_at, original_sha256, photo_sha256
             FROM captures WHERE id = ANY($1)",
            &[&ids],
        )?
        .iter()
        .map(|r| (r.get(0), [Some(r.get(1)), Some(r.get(2)), Some(r.get(3)), Some(r.get(4)), Some(r.get(5)), r.get(6)]))
        .collect();
    let upsert = tx.prepare(
        "INSERT INTO captures (id, station_id, student_no, attempt_no, taken_at, central_taken_at, profile, status,
            verdict, failure_kind, original_sha256, photo_sha256, trail_json, report_json, error, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, nextval('rev'))
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, rev = nextval('rev')
         WHERE captures.status IS DISTINCT FROM excluded.status AND captures.station_id = $16",
    )?;
    const FIXED: [&str; 6] = ["station_id", "student_no", "attempt_no", "taken_at", "original_sha256", "photo_sha256"];
    for c in captures {
        *bytes += capture_bytes(c);
        let fixed = [
            Some(c.station_id.clone()),
            Some(c.student_no.clone()),
            Some(c.attempt_no.to_string()),
            Some(c.taken_at.clone()),
            Some(c.original_sha256.clone()),
            c.photo_sha256.clone(),
        ];
        if let Some(there) = held.get(&c.id)
            && let Some(i) = (0..FIXED.len()).find(|&i| there[i] != fixed[i])
        {
            clashes.push(Clash { kind: "capture", id: c.id.clone(), field: FIXED[i] });
            continue;
        }
        let attempt_no = c.attempt_no as i32;
        tx.execute(
            &upsert,
            &[
                &c.id,
                &c.station_id,
                &c.student_no,
                &attempt_no,
                &c.taken_at,
                &on_server_clock(&c.taken_at, clock_skew_s),
                &c.profile,
                &c.status,
                &c.verdict,
                &c.failure_kind,
                &c.original_sha256,
                &c.photo_sha256,
                &c.trail_json,
                &c.report_json,
                &c.error,
                &station,
            ],
        )?;
    }
    Ok(())
}

/// The batch's reviews, each under the station it was made at; one already held must be the
/// same review.
fn send_reviews(
    tx: &mut Transaction<'_>,
    clock_skew_s: i64,
    reviews: &[ReviewRow],
    clashes: &mut Vec<Clash>,
    bytes: &mut u64,
) -> Result<(), Failed> {
    let uids: Vec<&str> = reviews.iter().map(|r| r.uid.as_str()).collect();
    let held: std::collections::HashMap<String, [String; 4]> = tx
        .query("SELECT uid, capture_id, reviewer, decision, at FROM reviews WHERE uid = ANY($1)", &[&uids])?
        .iter()
        .map(|r| (r.get(0), [r.get(1), r.get(2), r.get(3), r.get(4)]))
        .collect();
    let insert = tx.prepare(
        "INSERT INTO reviews (uid, station_id, capture_id, reviewer, decision, reason, at, central_at, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('rev')) ON CONFLICT (uid) DO NOTHING",
    )?;
    const FIXED: [&str; 4] = ["capture_id", "reviewer", "decision", "at"];
    for r in reviews {
        *bytes += (r.uid.len() + r.capture_id.len() + r.reviewer.len() + r.reason.len() + 40) as u64;
        let fixed = [r.capture_id.clone(), r.reviewer.clone(), r.decision.clone(), r.at.clone()];
        if let Some(there) = held.get(&r.uid) {
            if let Some(i) = (0..FIXED.len()).find(|&i| there[i] != fixed[i]) {
                clashes.push(Clash { kind: "review", id: r.uid.clone(), field: FIXED[i] });
            }
            continue;
        }
        let central_at = on_server_clock(&r.at, clock_skew_s);
        tx.execute(
            &insert,
            &[&r.uid, &r.station_id, &r.capture_id, &r.reviewer, &r.decision, &r.reason, &r.at, &central_at],
        )?;
    }
    Ok(())
}

/// The batch's print records, each under the station it was printed at; one already held must
/// be the same print.
fn send_prints(
    tx: &mut Transaction<'_>,
    prints: &[PrintRow],
    clashes: &mut Vec<Clash>,
    bytes: &mut u64,
) -> Result<(), Failed> {
    let uids: Vec<&str> = prints.iter().map(|p| p.uid.as_str()).collect();
    let held: std::collections::HashMap<String, [String; 3]> = tx
        .query("SELECT uid, capture_id, copies::text, at FROM prints WHERE uid = ANY($1)", &[&uids])?
        .iter()
        .map(|r| (r.get(0), [r.get(1), r.get(2), r.get(3)]))
        .collect();
    let insert = tx.prepare(
        "INSERT INTO prints (uid, station_id, capture_id, student_no, copies, paper, target, at, actor, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nextval('rev')) ON CONFLICT (uid) DO NOTHING",
    )?;
    const FIXED: [&str; 3] = ["capture_id", "copies", "at"];
    for p in prints {
        *bytes += (p.uid.len() + p.capture_id.len() + p.target.len() + p.actor.len() + 50) as u64;
        let fixed = [p.capture_id.clone(), p.copies.to_string(), p.at.clone()];
        if let Some(there) = held.get(&p.uid) {
            if let Some(i) = (0..FIXED.len()).find(|&i| there[i] != fixed[i]) {
                clashes.push(Clash { kind: "print", id: p.uid.clone(), field: FIXED[i] });
            }
            continue;
        }
        let copies = p.copies as i32;
        tx.execute(
            &insert,
            &[&p.uid, &p.station_id, &p.capture_id, &p.student_no, &copies, &p.paper, &p.target, &p.at, &p.actor],
        )?;
    }
    Ok(())
}

/// The photos of `changes`' captures that the server lacks, read through `photo`.
fn send_photos(
    tx: &mut Transaction<'_>,
    changes: &Changes,
    photo: &mut dyn FnMut(&str) -> Result<Vec<u8>, StoreError>,
    sent: &mut Sent,
) -> Result<(), Failed> {
    let mut wanted: Vec<String> = changes.captures.iter().filter_map(|c| c.photo_sha256.clone()).collect();
    wanted.sort();
    wanted.dedup();
    let held: std::collections::HashSet<String> =
        tx.query("SELECT sha256 FROM blobs WHERE sha256 = ANY($1)", &[&wanted])?.iter().map(|r| r.get(0)).collect();
    let insert_blob = tx.prepare("INSERT INTO blobs (sha256, bytes) VALUES ($1, $2) ON CONFLICT DO NOTHING")?;
    for sha in wanted.iter().filter(|s| !held.contains(*s)) {
        let bytes = photo(sha)?;
        sent.bytes += bytes.len() as u64 + 64;
        sent.photos += 1;
        tx.execute(&insert_blob, &[sha, &bytes])?;
    }
    Ok(())
}

/// The batch's audit rows, in one statement (there are several per capture), each under the
/// station that wrote it; one already held must be the same row.
fn send_audit(
    tx: &mut Transaction<'_>,
    audit: &[AuditRow],
    clashes: &mut Vec<Clash>,
    sent: &mut Sent,
) -> Result<(), Failed> {
    if audit.is_empty() {
        return Ok(());
    }
    let stations: Vec<&str> = audit.iter().map(|a| a.station_id.as_str()).collect();
    let ids: Vec<i64> = audit.iter().map(|a| a.local_id).collect();
    let held: std::collections::HashMap<(String, i64), [String; 3]> = tx
        .query(
            "SELECT a.station_id, a.local_id, a.at, a.action, a.entity_id FROM audit a
             JOIN unnest($1::text[], $2::bigint[]) AS k (station_id, local_id)
               ON a.station_id = k.station_id AND a.local_id = k.local_id",
            &[&stations, &ids],
        )?
        .iter()
        .map(|r| ((r.get(0), r.get(1)), [r.get(2), r.get(3), r.get(4)]))
        .collect();
    const FIXED: [&str; 3] = ["at", "action", "entity_id"];
    let mut columns: [Vec<Option<String>>; 8] = Default::default();
    let mut new_ids = Vec::with_capacity(audit.len());
    for a in audit {
        if let Some(there) = held.get(&(a.station_id.clone(), a.local_id)) {
            let fixed = [&a.at, &a.action, &a.entity_id];
            if let Some(i) = (0..FIXED.len()).find(|&i| there[i] != *fixed[i]) {
                clashes.push(Clash { kind: "audit", id: format!("{}/{}", a.station_id, a.local_id), field: FIXED[i] });
            }
            continue;
        }
        new_ids.push(a.local_id);
        let fields = [&a.station_id, &a.at, &a.actor, &a.action, &a.entity, &a.entity_id];
        for (column, value) in columns.iter_mut().zip(fields) {
            sent.bytes += value.len() as u64;
            column.push(Some(value.clone()));
        }
        sent.bytes += (a.before.as_ref().map_or(0, String::len) + a.after.as_ref().map_or(0, String::len) + 8) as u64;
        columns[6].push(a.before.clone());
        columns[7].push(a.after.clone());
    }
    tx.execute(
        "INSERT INTO audit (station_id, local_id, at, actor, action, entity, entity_id, before, after)
         SELECT k.station_id, k.local_id, k.at, k.actor, k.action, k.entity, k.entity_id, k.before, k.after
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[])
              AS k (station_id, local_id, at, actor, action, entity, entity_id, before, after)
         ON CONFLICT DO NOTHING",
        &[
            &columns[0],
            &new_ids,
            &columns[1],
            &columns[2],
            &columns[3],
            &columns[4],
            &columns[5],
            &columns[6],
            &columns[7],
        ],
    )?;
    Ok(())
}

/// A time on the booth's clock moved onto the server's.
fn on_server_clock(booth_time: &str, clock_skew_s: i64) -> String {
    timestamp(parse_timestamp(booth_time) - clock_skew_s)
}

fn student_bytes(s: &StudentRecord) -> u64 {
    let id = s.id_number.as_ref().map_or(0, String::len);
    (s.student_no.len() + s.name.len() + id + s.college.len() + s.major.len() + s.class.len() + s.exam_no.len()) as u64
}

fn capture_bytes(c: &CaptureRow) -> u64 {
    let text = [&c.id, &c.station_id, &c.student_no, &c.taken_at, &c.profile, &c.status, &c.verdict];
    let fixed: usize = text.iter().map(|t| t.len()).sum();
    (fixed + c.original_sha256.len() + 64 + c.trail_json.len() + c.report_json.len() + 40) as u64
}

/// Everything changed on the server after `cursor`, read in one consistent snapshot. Without
/// `with_reports`, other booths' captures come without their step trail and check report
/// (`[]`, `{}`): a booth needs to know they exist, not their analysis (~9 KB each).
pub fn pull(client: &mut Client, cursor: i64, with_reports: bool) -> Result<Pulled, postgres::Error> {
    let mut tx = client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start()?;
    let mut pulled = Pulled { cursor, ..Pulled::default() };
    let mut top = cursor;
    for r in tx.query(
        "SELECT student_no, name, id_number, college, major, class, exam_no, rev FROM students WHERE rev > $1
         ORDER BY rev",
        &[&cursor],
    )? {
        top = top.max(r.get(7));
        let record = StudentRecord {
            student_no: r.get(0),
            name: r.get(1),
            id_number: r.get(2),
            college: r.get(3),
            major: r.get(4),
            class: r.get(5),
            exam_no: r.get(6),
        };
        pulled.students.push(RosterLine { record, rev: r.get(7) });
    }
    for r in tx.query(
        "SELECT id, station_id, student_no, attempt_no, taken_at, central_taken_at, profile, status, verdict,
            failure_kind, original_sha256, photo_sha256, CASE WHEN $2 THEN trail_json ELSE '[]' END,
            CASE WHEN $2 THEN report_json ELSE '{}' END, error, rev
         FROM captures WHERE rev > $1 ORDER BY rev",
        &[&cursor, &with_reports],
    )? {
        top = top.max(r.get(15));
        pulled.captures.push(CaptureRow {
            id: r.get(0),
            station_id: r.get(1),
            student_no: r.get(2),
            attempt_no: i64::from(r.get::<_, i32>(3)),
            taken_at: r.get(4),
            central_taken_at: r.get(5),
            profile: r.get(6),
            status: r.get(7),
            verdict: r.get(8),
            failure_kind: r.get(9),
            original_sha256: r.get(10),
            photo_sha256: r.get(11),
            trail_json: r.get(12),
            report_json: r.get(13),
            error: r.get(14),
        });
    }
    for r in tx.query(
        "SELECT uid, station_id, capture_id, reviewer, decision, reason, at, central_at, rev FROM reviews
         WHERE rev > $1 ORDER BY rev",
        &[&cursor],
    )? {
        top = top.max(r.get(8));
        pulled.reviews.push(ReviewRow {
            uid: r.get(0),
            station_id: r.get(1),
            capture_id: r.get(2),
            reviewer: r.get(3),
            decision: r.get(4),
            reason: r.get(5),
            at: r.get(6),
            central_at: r.get(7),
        });
    }
    for r in tx.query(
        "SELECT uid, station_id, capture_id, student_no, copies, paper, target, at, actor, rev FROM prints
         WHERE rev > $1 ORDER BY rev",
        &[&cursor],
    )? {
        top = top.max(r.get(9));
        pulled.prints.push(PrintRow {
            uid: r.get(0),
            station_id: r.get(1),
            capture_id: r.get(2),
            student_no: r.get(3),
            copies: i64::from(r.get::<_, i32>(4)),
            paper: r.get(5),
            target: r.get(6),
            at: r.get(7),
            actor: r.get(8),
        });
    }
    tx.commit()?;
    pulled.cursor = top;
    Ok(pulled)
}

/// The bytes of these photos, as the server holds them (the caller checks each hash).
pub fn photos(client: &mut Client, sha256s: &[String]) -> Result<Vec<(String, Vec<u8>)>, postgres::Error> {
    let mut out = Vec::with_capacity(sha256s.len());
    for chunk in sha256s.chunks(PHOTOS_PER_QUERY) {
        for r in client.query("SELECT sha256, bytes FROM blobs WHERE sha256 = ANY($1)", &[&chunk])? {
            out.push((r.get(0), r.get(1)));
        }
    }
    Ok(out)
}

/// Counts on the server, for `tucai sync status` and the tests: (station, captures, photos
/// held for its captures, reviews, audit rows, last sync, clock skew).
pub fn stations(client: &mut Client) -> Result<Vec<StationCounts>, postgres::Error> {
    let rows = client.query(
        "SELECT s.station_id,
            (SELECT COUNT(*) FROM captures c WHERE c.station_id = s.station_id),
            (SELECT COUNT(*) FROM reviews r WHERE r.station_id = s.station_id),
            (SELECT COUNT(*) FROM audit a WHERE a.station_id = s.station_id),
            COALESCE(to_char(s.last_sync AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''),
            s.clock_skew_s
         FROM stations s ORDER BY s.station_id",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| StationCounts {
            station_id: r.get(0),
            captures: r.get(1),
            reviews: r.get(2),
            audit: r.get(3),
            last_sync: r.get(4),
            clock_skew_s: r.get(5),
        })
        .collect())
}

/// One booth as the server sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StationCounts {
    /// The booth.
    pub station_id: String,
    /// Its captures held centrally.
    pub captures: i64,
    /// Reviews made there.
    pub reviews: i64,
    /// Its audit rows.
    pub audit: i64,
    /// Its last batch (UTC), empty if none.
    pub last_sync: String,
    /// Its clock minus the server's at its last batch (seconds).
    pub clock_skew_s: i64,
}
