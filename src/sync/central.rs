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
    AuditRow, CaptureRow, Changes, PrintRow, Pulled, ReviewRow, StoreError, StudentRecord, parse_timestamp, timestamp,
};

/// The schema, as numbered migrations run by `tucai central init`.
const MIGRATIONS: &[&str] = &[r#"
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
    "#];

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    /// Photos whose bytes went (the server lacked them).
    pub photos: usize,
    /// Bytes of row data and photos sent (what the batch carried, not the protocol's framing).
    pub bytes: u64,
}

/// Applies one batch from `station` in one transaction: roster lines, the photos the server
/// lacks (read through `photo`, which checks them against their hash), captures, reviews,
/// prints, audit rows, and the station's progress. Idempotent: every row is keyed by its
/// global id, so a batch applied twice changes nothing. `clock_skew_s` (booth clock minus
/// server clock) dates the booth's rows on the server's clock.
pub fn push(
    client: &mut Client,
    station: &str,
    clock_skew_s: i64,
    changes: &Changes,
    photo: &mut dyn FnMut(&str) -> Result<Vec<u8>, StoreError>,
) -> Result<Sent, Failed> {
    let mut sent = Sent::default();
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    tx.execute("INSERT INTO stations (station_id) VALUES ($1) ON CONFLICT DO NOTHING", &[&station])?;
    let upsert_student = tx.prepare(
        "INSERT INTO students (student_no, name, id_number, college, major, class, exam_no, updated_by, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('rev'))
         ON CONFLICT (student_no) DO UPDATE SET name = excluded.name, id_number = excluded.id_number,
            college = excluded.college, major = excluded.major, class = excluded.class, exam_no = excluded.exam_no,
            updated_by = excluded.updated_by, updated_at = now(), rev = nextval('rev')
         WHERE (students.name, students.id_number, students.college, students.major, students.class, students.exam_no)
            IS DISTINCT FROM (excluded.name, excluded.id_number, excluded.college, excluded.major, excluded.class,
                              excluded.exam_no)",
    )?;
    for s in &changes.students {
        sent.bytes += student_bytes(s);
        tx.execute(
            &upsert_student,
            &[&s.student_no, &s.name, &s.id_number, &s.college, &s.major, &s.class, &s.exam_no, &station],
        )?;
    }
    send_photos(&mut tx, changes, photo, &mut sent)?;
    let upsert_capture = tx.prepare(
        "INSERT INTO captures (id, station_id, student_no, attempt_no, taken_at, central_taken_at, profile, status,
            verdict, failure_kind, original_sha256, photo_sha256, trail_json, report_json, error, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, nextval('rev'))
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, rev = nextval('rev')
         WHERE captures.status IS DISTINCT FROM excluded.status AND captures.station_id = excluded.station_id",
    )?;
    for c in &changes.captures {
        sent.bytes += capture_bytes(c);
        let attempt_no = c.attempt_no as i32;
        tx.execute(
            &upsert_capture,
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
            ],
        )?;
    }
    let insert_review = tx.prepare(
        "INSERT INTO reviews (uid, station_id, capture_id, reviewer, decision, reason, at, central_at, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('rev')) ON CONFLICT (uid) DO NOTHING",
    )?;
    for r in &changes.reviews {
        sent.bytes += (r.uid.len() + r.capture_id.len() + r.reviewer.len() + r.reason.len() + 40) as u64;
        let central_at = on_server_clock(&r.at, clock_skew_s);
        tx.execute(
            &insert_review,
            &[&r.uid, &station, &r.capture_id, &r.reviewer, &r.decision, &r.reason, &r.at, &central_at],
        )?;
    }
    let insert_print = tx.prepare(
        "INSERT INTO prints (uid, station_id, capture_id, student_no, copies, paper, target, at, actor, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nextval('rev')) ON CONFLICT (uid) DO NOTHING",
    )?;
    for p in &changes.prints {
        sent.bytes += (p.uid.len() + p.capture_id.len() + p.target.len() + p.actor.len() + 50) as u64;
        let copies = p.copies as i32;
        tx.execute(
            &insert_print,
            &[&p.uid, &station, &p.capture_id, &p.student_no, &copies, &p.paper, &p.target, &p.at, &p.actor],
        )?;
    }
    send_audit(&mut tx, station, &changes.audit, &mut sent)?;
    tx.execute(
        "UPDATE stations SET applied_seq = GREATEST(applied_seq, $2), batches = batches + 1, last_sync = now(),
            clock_skew_s = $3 WHERE station_id = $1",
        &[&station, &changes.last_seq, &clock_skew_s],
    )?;
    tx.commit()?;
    Ok(sent)
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

/// The batch's audit rows, in one statement (there are several per capture).
fn send_audit(tx: &mut Transaction<'_>, station: &str, audit: &[AuditRow], sent: &mut Sent) -> Result<(), Failed> {
    if audit.is_empty() {
        return Ok(());
    }
    let mut columns: [Vec<Option<String>>; 7] = Default::default();
    let mut ids = Vec::with_capacity(audit.len());
    for a in audit {
        ids.push(a.local_id);
        let fields = [&a.at, &a.actor, &a.action, &a.entity, &a.entity_id];
        for (column, value) in columns.iter_mut().zip(fields) {
            sent.bytes += value.len() as u64;
            column.push(Some(value.clone()));
        }
        sent.bytes += (a.before.as_ref().map_or(0, String::len) + a.after.as_ref().map_or(0, String::len) + 8) as u64;
        columns[5].push(a.before.clone());
        columns[6].push(a.after.clone());
    }
    tx.execute(
        "INSERT INTO audit (station_id, local_id, at, actor, action, entity, entity_id, before, after)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                  $8::text[], $9::text[])
         ON CONFLICT DO NOTHING",
        &[&station, &ids, &columns[0], &columns[1], &columns[2], &columns[3], &columns[4], &columns[5], &columns[6]],
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
        pulled.students.push(StudentRecord {
            student_no: r.get(0),
            name: r.get(1),
            id_number: r.get(2),
            college: r.get(3),
            major: r.get(4),
            class: r.get(5),
            exam_no: r.get(6),
        });
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
