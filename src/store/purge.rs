//! Purge after upload (教学服〔2022〕10号: personal data removed once no longer needed): the
//! photo bytes (originals and standardized photos) and the ID numbers of students whose photo
//! went out in an export batch that was read back and verified before a given day — and, once
//! this store syncs with a central server, whose changes have all been sent. Their rows, the
//! captures' records, the counts and the audit trail stay. `secure_delete` overwrites what is
//! deleted, and `VACUUM` with a WAL checkpoint leaves no copy of the bytes in the file.

use rusqlite::params;
use serde::Serialize;

use super::{Action, Actor, Store, StoreError, audit};

/// What a purge removed (or, dry, would remove).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Student numbers purged, in order.
    pub students: Vec<String>,
    /// Photo files removed (originals and standardized photos).
    pub photos: usize,
    /// Their bytes.
    pub bytes: i64,
    /// Students exported before the day but held back: changes not yet sent to the server.
    pub not_synced: usize,
    /// Whether anything was changed (false for a dry run).
    pub done: bool,
}

/// The students a purge takes: exported in a verified batch created before `?1`, not purged
/// yet, and (`?2` = 1) with nothing of theirs waiting in the outbox.
const PURGEABLE: &str = "
    SELECT s.id, s.student_no,
           EXISTS (SELECT 1 FROM outbox o WHERE (o.entity = 'student' AND o.entity_id = s.student_no)
                      OR (o.entity = 'capture' AND o.entity_id IN (SELECT id FROM captures WHERE student_id = s.id)))
    FROM students s
    WHERE s.purged_at IS NULL
      AND EXISTS (SELECT 1 FROM export_files f JOIN batches b ON b.id = f.batch_id
                  JOIN captures c ON c.id = f.capture_id
                  WHERE c.student_id = s.id AND b.kind = 'export' AND b.state = 'done' AND b.created_at < ?1)
    ORDER BY s.student_no";

/// Blobs of the students in `purging` that no other student's capture refers to.
const THEIR_BLOBS: &str = "
    SELECT b.sha256, length(b.bytes) FROM blobs b
    WHERE b.sha256 IN (SELECT original_sha256 FROM captures WHERE student_id IN (SELECT id FROM purging)
                       UNION SELECT photo_sha256 FROM captures WHERE student_id IN (SELECT id FROM purging))
      AND b.sha256 NOT IN (SELECT original_sha256 FROM captures WHERE student_id NOT IN (SELECT id FROM purging)
                           UNION SELECT photo_sha256 FROM captures
                           WHERE photo_sha256 IS NOT NULL AND student_id NOT IN (SELECT id FROM purging))";

impl Store {
    /// Purges the students exported before `day` (`YYYY-MM-DD`, UTC); `dry` only counts.
    pub fn purge(&mut self, actor: &Actor, day: &str, dry: bool) -> Result<Purged, StoreError> {
        actor.require(Action::Purge)?;
        let synced_ever = self.last_sync()?.is_some();
        let path = self.path.clone();
        let sql = |source| StoreError::Sql { path: path.clone(), source };
        let now = self.now();
        let tx = self.conn.transaction().map_err(sql)?;
        let mut purged = Purged::default();
        {
            tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS purging (id INTEGER PRIMARY KEY); DELETE FROM purging;")
                .map_err(sql)?;
            let mut q = tx.prepare(PURGEABLE).map_err(sql)?;
            let rows = q
                .query_map(params![day], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))
                .map_err(sql)?;
            for row in rows {
                let (id, student_no, waiting) = row.map_err(sql)?;
                if synced_ever && waiting {
                    purged.not_synced += 1;
                    continue;
                }
                tx.execute("INSERT INTO purging (id) VALUES (?1)", params![id]).map_err(sql)?;
                purged.students.push(student_no);
            }
            let mut q = tx.prepare(THEIR_BLOBS).map_err(sql)?;
            let blobs = q.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(sql)?;
            let blobs: Vec<(String, i64)> = blobs.collect::<Result<_, _>>().map_err(sql)?;
            purged.photos = blobs.len();
            purged.bytes = blobs.iter().map(|(_, n)| n).sum();
            if !dry && !purged.students.is_empty() {
                for (sha, _) in &blobs {
                    tx.execute("DELETE FROM blobs WHERE sha256 = ?1", params![sha]).map_err(sql)?;
                }
                tx.execute(
                    "UPDATE students SET id_number = NULL, purged_at = ?1 WHERE id IN (SELECT id FROM purging)",
                    params![super::timestamp(now)],
                )
                .map_err(sql)?;
                let after = serde_json::json!({
                    "exported_before": day, "students": purged.students, "photos": purged.photos, "bytes": purged.bytes
                });
                audit(&tx, now, actor, "purge", "students", day, None, Some(&after)).map_err(sql)?;
                purged.done = true;
            }
            tx.execute_batch("DROP TABLE purging").map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        if purged.done {
            // The deleted pages were overwritten (`secure_delete`); VACUUM rebuilds the file
            // without them and the checkpoint empties the WAL, which held them too.
            self.conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);").map_err(self.sql())?;
        }
        Ok(purged)
    }

    /// Students exported before `day` whose photos and ID numbers are still here (what a purge
    /// up to that day would take, sync aside): the window reminds an admin of them.
    pub fn awaiting_purge(&self, day: &str) -> Result<usize, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM ({PURGEABLE})");
        let n: i64 = self.conn.query_row(&sql, params![day], |r| r.get(0)).map_err(self.sql())?;
        Ok(n as usize)
    }

    /// Whether the student's personal data was purged after upload.
    pub fn purged_at(&self, student_no: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT purged_at FROM students WHERE student_no = ?1", params![student_no], |r| r.get(0))
            .map_err(self.sql())
    }
}
