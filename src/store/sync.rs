//! The store's side of sync: the outbox (what changed here, filled by triggers — see migration
//! 3), the rows it stands for, applying what was pulled from the central server, and what is
//! pending or in conflict. The network side is `crate::sync`.
//!
//! Rows travel by their global ids (capture ids carry the station; reviews and prints get
//! `<station>-r<n>` / `<station>-p<n>`), so applying one twice changes nothing. A capture's
//! status is its own booth's to change; a review may come from anywhere, and the effective
//! status of a capture is its booth's, overruled by its latest review.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::rule::{self, Candidate, candidates, settle_status};
use super::students::STUDENT_COLUMNS;
use super::{Actor, Role, Store, StoreError, Student, StudentRecord, sha256_hex};

/// A capture as it travels (no bytes; the photo goes by its hash).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaptureRow {
    /// Global id.
    pub id: String,
    /// The booth that took it.
    pub station_id: String,
    /// The student's number.
    pub student_no: String,
    /// Attempt number at that booth.
    pub attempt_no: i64,
    /// Taken, by the booth's clock.
    pub taken_at: String,
    /// Taken, by the central server's clock (set by the server).
    pub central_taken_at: Option<String>,
    /// Profile id.
    pub profile: String,
    /// Status at its booth.
    pub status: String,
    /// Check verdict.
    pub verdict: String,
    /// Why it failed.
    pub failure_kind: Option<String>,
    /// SHA-256 of the original (which stays at the booth).
    pub original_sha256: String,
    /// SHA-256 of the standardized photo.
    pub photo_sha256: Option<String>,
    /// Step trail (JSON).
    pub trail_json: String,
    /// Check report (JSON).
    pub report_json: String,
    /// Error text.
    pub error: Option<String>,
}

/// A review as it travels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewRow {
    /// Global id.
    pub uid: String,
    /// Where it was made.
    pub station_id: String,
    /// The capture reviewed.
    pub capture_id: String,
    /// Reviewer's account name.
    pub reviewer: String,
    /// `approve` or `reject`.
    pub decision: String,
    /// Reason (for a rejection).
    pub reason: String,
    /// When, by the clock where it was made.
    pub at: String,
    /// When, by the central clock (set by the server).
    pub central_at: Option<String>,
}

/// A print record as it travels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrintRow {
    /// Global id.
    pub uid: String,
    /// Where it was printed.
    pub station_id: String,
    /// The capture printed.
    pub capture_id: String,
    /// The student's number.
    pub student_no: String,
    /// Copies.
    pub copies: i64,
    /// Paper.
    pub paper: String,
    /// Printer or file.
    pub target: String,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
}

/// An audit row as it travels (by its booth's row id).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditRow {
    /// The station that wrote it (this one, or the one a restored store was restored from).
    pub station_id: String,
    /// Row id at the booth.
    pub local_id: i64,
    /// When (booth clock).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Kind of thing.
    pub entity: String,
    /// Which.
    pub entity_id: String,
    /// Before (JSON).
    pub before: Option<String>,
    /// After (JSON).
    pub after: Option<String>,
}

/// One batch of the outbox: the current state of what its entries name.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// The last outbox entry covered (mark it sent after the server committed).
    pub last_seq: i64,
    /// Outbox entries covered.
    pub entries: usize,
    /// Roster lines added or changed here, each with the server's revision it was based on.
    pub students: Vec<RosterLine>,
    /// Captures taken here, new or with a new status.
    pub captures: Vec<CaptureRow>,
    /// Reviews made here.
    pub reviews: Vec<ReviewRow>,
    /// Prints made here.
    pub prints: Vec<PrintRow>,
    /// Audit rows written here.
    pub audit: Vec<AuditRow>,
}

/// A roster line as it travels, with a revision: the server's counter when it was last
/// written there. Sent from a booth, the revision the booth last saw (0: never); a change based
/// on an older revision than a correction made elsewhere does not overwrite it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterLine {
    /// The line.
    pub record: StudentRecord,
    /// The server's revision.
    pub rev: i64,
}

/// What the server sent back.
#[derive(Clone, Debug, Default)]
pub struct Pulled {
    /// The server's change counter this pull reaches (the next pull starts after it).
    pub cursor: i64,
    /// Roster lines, each with the server's revision of it.
    pub students: Vec<RosterLine>,
    /// Captures from every booth (this booth's own only update their central time).
    pub captures: Vec<CaptureRow>,
    /// Reviews.
    pub reviews: Vec<ReviewRow>,
    /// Print records.
    pub prints: Vec<PrintRow>,
}

/// What a pull changed here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Roster lines added or changed.
    pub students: usize,
    /// Captures from other booths added or changed.
    pub captures: usize,
    /// Reviews from elsewhere.
    pub reviews: usize,
    /// Print records from elsewhere.
    pub prints: usize,
    /// Photos received.
    pub photos: usize,
    /// Students whose status changed.
    pub statuses: usize,
}

/// What waits in the outbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pending {
    /// Outbox entries.
    pub entries: i64,
    /// Distinct captures among them.
    pub captures: i64,
    /// Reviews.
    pub reviews: i64,
    /// Audit rows.
    pub audit: i64,
    /// Everything else (roster lines, prints).
    pub other: i64,
}

/// A student with more than one photo that could count, and which one does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// The student.
    pub student: Student,
    /// The captures (approved or accepted), from one or more booths.
    pub candidates: Vec<Candidate>,
    /// The one that counts, by [`rule::counting`].
    pub counting: usize,
}

/// Keys in `meta` that sync keeps.
const META_PULLING: &str = "pulling";
const META_CURSOR: &str = "central_cursor";
const META_LAST_SYNC: &str = "last_sync";
const META_CLOCK_SKEW: &str = "clock_skew_s";

/// The actor written in the audit log for what a pull changed.
fn sync_actor() -> Actor {
    Actor { operator_id: None, name: "sync".into(), role: Role::Admin, must_change_pin: false }
}

impl Store {
    /// The first `max_entries` outbox entries as one batch of rows (each entity once, as it
    /// is now). Empty when nothing is pending.
    pub fn outgoing(&self, max_entries: usize) -> Result<Changes, StoreError> {
        let mut q =
            self.conn.prepare("SELECT seq, entity, entity_id FROM outbox ORDER BY seq LIMIT ?1").map_err(self.sql())?;
        let entries: Vec<(i64, String, String)> = q
            .query_map(params![max_entries as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.sql())?
            .collect::<Result<_, _>>()
            .map_err(self.sql())?;
        let mut changes = Changes { entries: entries.len(), ..Changes::default() };
        let mut seen = std::collections::HashSet::new();
        for (seq, entity, id) in entries {
            changes.last_seq = seq;
            if !seen.insert((entity.clone(), id.clone())) {
                continue;
            }
            // A row that is gone (none are ever deleted today) has nothing to send.
            match entity.as_str() {
                "student" => changes.students.extend(self.roster_row(&id)?),
                "capture" => changes.captures.extend(self.capture_row(&id)?),
                "review" => changes.reviews.extend(self.review_row(&id)?),
                "print" => changes.prints.extend(self.print_row(&id)?),
                "audit" => changes.audit.extend(self.audit_row(&id)?),
                _ => {}
            }
        }
        Ok(changes)
    }

    fn roster_row(&self, student_no: &str) -> Result<Option<RosterLine>, StoreError> {
        let student = match self.student(student_no) {
            Ok(s) => s,
            Err(StoreError::NoStudent(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let rev = self
            .conn
            .query_row("SELECT central_rev FROM students WHERE id = ?1", params![student.id], |r| r.get(0))
            .map_err(self.sql())?;
        Ok(Some(RosterLine { record: student.record, rev }))
    }

    fn capture_row(&self, id: &str) -> Result<Option<CaptureRow>, StoreError> {
        self.conn
            .query_row(
                "SELECT c.id, c.station_id, s.student_no, c.attempt_no, c.taken_at, c.central_taken_at, c.profile,
                    c.status, c.verdict, c.failure_kind, c.original_sha256, c.photo_sha256, c.trail_json,
                    c.report_json, c.error
                 FROM captures c JOIN students s ON s.id = c.student_id WHERE c.id = ?1",
                params![id],
                |r| {
                    Ok(CaptureRow {
                        id: r.get(0)?,
                        station_id: r.get(1)?,
                        student_no: r.get(2)?,
                        attempt_no: r.get(3)?,
                        taken_at: r.get(4)?,
                        central_taken_at: r.get(5)?,
                        profile: r.get(6)?,
                        status: r.get(7)?,
                        verdict: r.get(8)?,
                        failure_kind: r.get(9)?,
                        original_sha256: r.get(10)?,
                        photo_sha256: r.get(11)?,
                        trail_json: r.get(12)?,
                        report_json: r.get(13)?,
                        error: r.get(14)?,
                    })
                },
            )
            .optional()
            .map_err(self.sql())
    }

    fn review_row(&self, id: &str) -> Result<Option<ReviewRow>, StoreError> {
        self.conn
            .query_row(
                "SELECT COALESCE(r.uid, ?2 || '-r' || r.id), r.capture_id, COALESCE(r.reviewer, o.name, ''),
                    r.decision, r.reason, r.at, r.central_at
                 FROM reviews r LEFT JOIN operators o ON o.id = r.reviewer_id WHERE r.id = ?1",
                params![id, self.station_id],
                |r| {
                    let uid: String = r.get(0)?;
                    Ok(ReviewRow {
                        station_id: origin(&uid, "-r"),
                        uid,
                        capture_id: r.get(1)?,
                        reviewer: r.get(2)?,
                        decision: r.get(3)?,
                        reason: r.get(4)?,
                        at: r.get(5)?,
                        central_at: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(self.sql())
    }

    fn print_row(&self, id: &str) -> Result<Option<PrintRow>, StoreError> {
        self.conn
            .query_row(
                "SELECT COALESCE(p.uid, ?2 || '-p' || p.id), p.capture_id, s.student_no, p.copies, p.paper, p.target,
                    p.at, p.actor
                 FROM prints p JOIN students s ON s.id = p.student_id WHERE p.id = ?1",
                params![id, self.station_id],
                |r| {
                    let uid: String = r.get(0)?;
                    Ok(PrintRow {
                        station_id: origin(&uid, "-p"),
                        uid,
                        capture_id: r.get(1)?,
                        student_no: r.get(2)?,
                        copies: r.get(3)?,
                        paper: r.get(4)?,
                        target: r.get(5)?,
                        at: r.get(6)?,
                        actor: r.get(7)?,
                    })
                },
            )
            .optional()
            .map_err(self.sql())
    }

    fn audit_row(&self, id: &str) -> Result<Option<AuditRow>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, at, actor, action, entity, entity_id, before, after, COALESCE(station_id, ?2) FROM audit
                 WHERE id = ?1",
                params![id, self.station_id],
                |r| {
                    Ok(AuditRow {
                        station_id: r.get(8)?,
                        local_id: r.get(0)?,
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        entity: r.get(4)?,
                        entity_id: r.get(5)?,
                        before: r.get(6)?,
                        after: r.get(7)?,
                    })
                },
            )
            .optional()
            .map_err(self.sql())
    }

    /// What waits in the outbox.
    pub fn pending(&self) -> Result<Pending, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*),
                    COUNT(DISTINCT CASE WHEN entity = 'capture' THEN entity_id END),
                    COUNT(DISTINCT CASE WHEN entity = 'review' THEN entity_id END),
                    COUNT(DISTINCT CASE WHEN entity = 'audit' THEN entity_id END),
                    COUNT(DISTINCT CASE WHEN entity IN ('student', 'print') THEN entity || entity_id END)
                 FROM outbox",
                [],
                |r| {
                    Ok(Pending {
                        entries: r.get(0)?,
                        captures: r.get(1)?,
                        reviews: r.get(2)?,
                        audit: r.get(3)?,
                        other: r.get(4)?,
                    })
                },
            )
            .map_err(self.sql())
    }

    /// Where the last pull reached in the server's change counter (0 before the first).
    pub fn sync_cursor(&self) -> Result<i64, StoreError> {
        Ok(self.meta(META_CURSOR)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// When this store last completed a sync, and how far its clock was from the server's
    /// then (seconds, positive = this clock ahead).
    pub fn last_sync(&self) -> Result<Option<(String, i64)>, StoreError> {
        let at = self.meta(META_LAST_SYNC)?;
        let skew = self.meta(META_CLOCK_SKEW)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(at.map(|at| (at, skew)))
    }

    /// Records a completed sync.
    pub fn record_sync(&mut self, clock_skew_s: i64) -> Result<(), StoreError> {
        self.write(|tx, now| {
            for (key, value) in [(META_LAST_SYNC, super::timestamp(now)), (META_CLOCK_SKEW, clock_skew_s.to_string())] {
                tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![key, value])?;
            }
            Ok(())
        })
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| r.get(0))
            .optional()
            .map_err(self.sql())
    }

    /// Photos that captures here refer to but whose bytes are elsewhere (a purged student's
    /// are gone on purpose and are not fetched again).
    pub fn photos_not_held(&self) -> Result<Vec<String>, StoreError> {
        let mut q = self
            .conn
            .prepare(
                "SELECT DISTINCT photo_sha256 FROM captures WHERE photo_sha256 IS NOT NULL
                 AND photo_sha256 NOT IN (SELECT sha256 FROM blobs)
                 AND student_id NOT IN (SELECT id FROM students WHERE purged_at IS NOT NULL) ORDER BY photo_sha256",
            )
            .map_err(self.sql())?;
        let rows = q.query_map([], |r| r.get(0)).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// Stores photo bytes received from the server, each checked against its hash first (all
    /// or none); returns how many were new.
    pub fn add_photos(&mut self, photos: &[(String, Vec<u8>)]) -> Result<usize, StoreError> {
        for (sha, bytes) in photos {
            if &sha256_hex(bytes) != sha {
                return Err(StoreError::Corrupt { sha256: sha.clone() });
            }
        }
        self.write(|tx, _| {
            let mut added = 0;
            for (sha, bytes) in photos {
                added +=
                    tx.execute("INSERT OR IGNORE INTO blobs (sha256, bytes) VALUES (?1, ?2)", params![sha, bytes])?;
            }
            Ok(added)
        })
    }

    /// Applies a pull in one transaction: roster lines, other booths' captures (this booth's
    /// own only take their central time), reviews and prints made elsewhere, then the
    /// captures' effective status and the students' status by the rule. Nothing of it goes
    /// into the outbox.
    pub fn apply_pulled(&mut self, pulled: &Pulled) -> Result<Applied, StoreError> {
        let station = self.station_id.clone();
        self.write(|tx, now| {
            tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')", params![META_PULLING])?;
            let mut applied = Applied::default();
            let mut touched_students = std::collections::BTreeSet::new();
            let mut touched_captures = std::collections::BTreeSet::new();
            for s in &pulled.students {
                applied.students += apply_student(tx, s, now)?;
            }
            for c in &pulled.captures {
                if c.station_id == station {
                    tx.execute(
                        "UPDATE captures SET central_taken_at = ?2 WHERE id = ?1",
                        params![c.id, c.central_taken_at],
                    )?;
                    continue;
                }
                let changed = tx.execute(
                    "INSERT INTO captures (id, station_id, student_id, attempt_no, taken_at, profile, status, verdict,
                        failure_kind, original_sha256, photo_sha256, trail_json, report_json, error, central_taken_at)
                     VALUES (?1, ?2, (SELECT id FROM students WHERE student_no = ?3), ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                        ?11, ?12, ?13, ?14, ?15)
                     ON CONFLICT (id) DO UPDATE SET status = excluded.status, central_taken_at = excluded.central_taken_at
                     WHERE captures.status IS NOT excluded.status
                        OR captures.central_taken_at IS NOT excluded.central_taken_at",
                    params![
                        c.id,
                        c.station_id,
                        c.student_no,
                        c.attempt_no,
                        c.taken_at,
                        c.profile,
                        c.status,
                        c.verdict,
                        c.failure_kind,
                        c.original_sha256,
                        c.photo_sha256,
                        c.trail_json,
                        c.report_json,
                        c.error,
                        c.central_taken_at
                    ],
                )?;
                applied.captures += changed;
                touched_captures.insert(c.id.clone());
            }
            for r in &pulled.reviews {
                if r.station_id == station {
                    let local_id = r.uid.rsplit("-r").next().and_then(|n| n.parse::<i64>().ok()).unwrap_or(-1);
                    tx.execute("UPDATE reviews SET central_at = ?2 WHERE id = ?1", params![local_id, r.central_at])?;
                    continue;
                }
                applied.reviews += tx.execute(
                    "INSERT INTO reviews (capture_id, reviewer_id, decision, reason, at, uid, reviewer, central_at)
                     SELECT ?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM captures WHERE id = ?1)
                     ON CONFLICT (uid) DO NOTHING",
                    params![r.capture_id, r.decision, r.reason, r.at, r.uid, r.reviewer, r.central_at],
                )?;
                touched_captures.insert(r.capture_id.clone());
            }
            for p in &pulled.prints {
                if p.station_id == station {
                    continue;
                }
                applied.prints += tx.execute(
                    "INSERT INTO prints (capture_id, student_id, copies, paper, target, at, actor, uid)
                     SELECT ?1, id, ?2, ?3, ?4, ?5, ?6, ?7 FROM students
                     WHERE student_no = ?8 AND EXISTS (SELECT 1 FROM captures WHERE id = ?1)
                     ON CONFLICT (uid) DO NOTHING",
                    params![p.capture_id, p.copies, p.paper, p.target, p.at, p.actor, p.uid, p.student_no],
                )?;
            }
            for id in &touched_captures {
                if let Some(student_id) = settle_capture(tx, id)? {
                    touched_students.insert(student_id);
                }
            }
            let actor = sync_actor();
            for student_id in touched_students {
                applied.statuses += usize::from(settle_status(tx, now, &actor, student_id)?);
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![META_CURSOR, pulled.cursor.to_string()],
            )?;
            tx.execute("DELETE FROM meta WHERE key = ?1", params![META_PULLING])?;
            Ok(applied)
        })
    }

    /// Students with more than one capture that could count (approved or accepted), with the
    /// one that does; by college, class and number.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, StoreError> {
        let mut q = self
            .conn
            .prepare(&format!(
                "SELECT {STUDENT_COLUMNS} FROM students WHERE id IN
                   (SELECT student_id FROM captures WHERE status IN ('approved', 'accepted')
                    GROUP BY student_id HAVING COUNT(*) > 1)
                 ORDER BY college, class, student_no"
            ))
            .map_err(self.sql())?;
        let students: Vec<Student> =
            q.query_map([], Student::from_row).map_err(self.sql())?.collect::<Result<_, _>>().map_err(self.sql())?;
        let mut conflicts = Vec::new();
        for student in students {
            let candidates = candidates(&self.conn, student.id).map_err(self.sql())?;
            if let Some(counting) = rule::counting(&candidates) {
                conflicts.push(Conflict { student, candidates, counting });
            }
        }
        Ok(conflicts)
    }
}

/// The station a review or print uid names (`<station>-r<n>`, `<station>-p<n>`). Only this
/// store's own rows travel from here: its current ones and, after a restore, those made under
/// the station it was restored from (`identity.rs`).
fn origin(uid: &str, marker: &str) -> String {
    uid.rsplit_once(marker).map_or(uid, |(station, _)| station).to_owned()
}

/// Adds or updates a roster line from the server; 1 if anything changed. A line whose values
/// change here came from a correction made elsewhere: a roster file re-imported here may not
/// undo it (`import_students`). Its revision is kept either way.
fn apply_student(tx: &Connection, line: &RosterLine, now: i64) -> rusqlite::Result<usize> {
    let s = &line.record;
    let changed = tx.execute(
        "INSERT INTO students (student_no, name, id_number, college, major, class, exam_no, updated_at, central_rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (student_no) DO UPDATE SET name = excluded.name,
            id_number = CASE WHEN students.purged_at IS NULL THEN excluded.id_number END,
            college = excluded.college, major = excluded.major, class = excluded.class, exam_no = excluded.exam_no,
            updated_at = excluded.updated_at, corrected_elsewhere = 1
         WHERE (students.name, students.id_number, students.college, students.major, students.class, students.exam_no)
            IS NOT (excluded.name, CASE WHEN students.purged_at IS NULL THEN excluded.id_number END, excluded.college,
                    excluded.major, excluded.class, excluded.exam_no)",
        params![
            s.student_no,
            s.name,
            s.id_number,
            s.college,
            s.major,
            s.class,
            s.exam_no,
            super::timestamp(now),
            line.rev
        ],
    )?;
    tx.execute("UPDATE students SET central_rev = ?2 WHERE student_no = ?1", params![s.student_no, line.rev])?;
    Ok(changed)
}

/// A capture's effective status: its booth's, overruled by its latest review (by the central
/// clock where known) unless the booth has since superseded it. Returns its student.
fn settle_capture(tx: &Connection, capture_id: &str) -> rusqlite::Result<Option<i64>> {
    tx.execute(
        "UPDATE captures SET status = CASE (SELECT r.decision FROM reviews r WHERE r.capture_id = captures.id
                                            ORDER BY COALESCE(r.central_at, r.at) DESC, r.id DESC LIMIT 1)
                                       WHEN 'approve' THEN 'approved' WHEN 'reject' THEN 'rejected' ELSE status END
         WHERE id = ?1 AND status IN ('accepted', 'approved', 'rejected')",
        params![capture_id],
    )?;
    tx.query_row("SELECT student_id FROM captures WHERE id = ?1", params![capture_id], |r| r.get(0)).optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CaptureStatus;

    /// A store made by the version before sync (schema 2) with a capture, a review, a print
    /// and an export opens under schema 3 with all of it intact, its history in the outbox.
    #[test]
    fn a_store_from_before_sync_migrates_with_its_history_to_send() {
        let dir = std::env::temp_dir().join(format!("tucai-migrate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        {
            let conn = Connection::open(dir.join(super::super::DB_FILE)).expect("opens");
            for migration in &super::super::schema::MIGRATIONS[..2] {
                conn.execute_batch(migration).expect("old schema");
            }
            conn.execute_batch(
                "PRAGMA user_version = 2;
                 INSERT INTO meta VALUES ('station_id', 'st-000000000001');
                 INSERT INTO students (student_no, name, status, updated_at) VALUES ('2026000001', '王芳', 'approved', 't');
                 INSERT INTO blobs VALUES ('ab', X'01');
                 INSERT INTO captures (id, station_id, student_id, attempt_no, taken_at, profile, status, verdict,
                    original_sha256, photo_sha256, trail_json, report_json)
                 VALUES ('st-000000000001-2026000001-1', 'st-000000000001', 1, 1, '2026-06-01T08:00:00Z',
                    'chsi-graduate', 'approved', 'pass', 'ab', 'ab', '[]', '{}');
                 INSERT INTO reviews (capture_id, decision, at) VALUES ('st-000000000001-2026000001-1', 'approve', 't');
                 INSERT INTO prints (capture_id, student_id, copies, paper, target, at, actor)
                    VALUES ('st-000000000001-2026000001-1', 1, 5, '6in', 'x.pdf', 't', 'admin');
                 INSERT INTO batches (kind, created_at, target, state) VALUES ('export', 't', '/media/U', 'done');
                 INSERT INTO export_files VALUES (1, 'st-000000000001-2026000001-1', '2026000001.jpg', 'ab');
                 INSERT INTO audit (at, actor, action, entity, entity_id) VALUES ('t', 'admin', 'capture', 'capture', 'x');",
            )
            .expect("old rows");
        }
        let store = Store::open(&dir).expect("migrates");
        assert_eq!(store.station_id(), "st-000000000001");
        let photos = store
            .current_photos(&super::super::PhotoFilter {
                statuses: vec![CaptureStatus::Approved],
                ..Default::default()
            })
            .expect("photos");
        assert_eq!(photos.len(), 1);
        assert_eq!(photos[0].printed_copies, 5);
        let pending = store.pending().expect("pending");
        assert_eq!((pending.captures, pending.reviews, pending.audit, pending.other), (1, 1, 1, 2));
        let changes = store.outgoing(100).expect("changes");
        assert_eq!(changes.reviews[0].uid, "st-000000000001-r1");
        assert_eq!(changes.prints[0].uid, "st-000000000001-p1");
        let dangling: i64 =
            store.conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).expect("check");
        assert_eq!(dangling, 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
