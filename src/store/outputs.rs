//! What leaves the station: the photo each student has now (for print sheets and exports),
//! what was printed for whom (so a reprint is a decision, not an accident), and export batches
//! (which capture went out in which batch, under which file name and hash).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::rule::{self, CANDIDATE_TIMES, Candidate};
use super::status::CaptureStatus;
use super::students::STUDENT_COLUMNS;
use super::{Actor, Store, StoreError, Student, audit, status_text};

/// Which photos to take.
#[derive(Clone, Debug, Default)]
pub struct PhotoFilter {
    /// Only these student numbers (all when empty).
    pub students: Vec<String>,
    /// Capture states that count (a student's newest capture in one of them is theirs).
    pub statuses: Vec<CaptureStatus>,
    /// Only photos approved (or, unreviewed, taken) on or after this date (`YYYY-MM-DD`, UTC).
    pub since: Option<String>,
    /// Only photos made with this profile.
    pub profile: Option<String>,
    /// Leave out photos already in an export batch.
    pub not_exported: bool,
}

/// A student's current photo and what has been done with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CurrentPhoto {
    /// The student.
    pub student: Student,
    /// The capture.
    pub capture_id: String,
    /// SHA-256 of the standardized JPEG.
    pub photo_sha256: String,
    /// Check verdict.
    pub verdict: String,
    /// Capture state.
    pub status: CaptureStatus,
    /// When it was taken (UTC).
    pub taken_at: String,
    /// Which booth.
    pub station_id: String,
    /// Profile id.
    pub profile: String,
    /// The student's CHSI capture code, when one is bound.
    pub chsi_code: Option<String>,
    /// Copies printed for the student so far.
    pub printed_copies: i64,
    /// Whether the photo's bytes are in this store (a photo taken at another booth may be
    /// known here by its row only).
    pub held_here: bool,
}

impl Store {
    /// The students' current photos matching `filter`, by college, class and number. Each
    /// student's photo is the one that counts by [`rule::counting`] among their captures in
    /// `filter.statuses`; the other filters then apply to that photo.
    pub fn current_photos(&self, filter: &PhotoFilter) -> Result<Vec<CurrentPhoto>, StoreError> {
        let statuses: Vec<String> = filter.statuses.iter().map(status_text).collect();
        let sql = format!(
            "SELECT {cols}, c.id, c.photo_sha256, c.verdict, c.status, c.taken_at, c.station_id, c.profile,
                (SELECT code FROM capture_codes k WHERE k.student_id = s.id AND k.kind = 'chsi'
                 ORDER BY k.bound_at DESC LIMIT 1),
                (SELECT COALESCE(SUM(copies), 0) FROM prints p WHERE p.student_id = s.id),
                {CANDIDATE_TIMES},
                COALESCE((SELECT MAX(r.at) FROM reviews r WHERE r.capture_id = c.id), c.taken_at),
                EXISTS (SELECT 1 FROM export_files e WHERE e.capture_id = c.id),
                EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = c.photo_sha256)
             FROM captures c JOIN students s ON s.id = c.student_id
             WHERE c.photo_sha256 IS NOT NULL
               AND c.status IN (SELECT value FROM json_each(?1))
               AND (?2 = '[]' OR s.student_no IN (SELECT value FROM json_each(?2)))
             ORDER BY s.college, s.class, s.student_no, c.id",
            cols = STUDENT_COLUMNS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ")
        );
        let mut q = self.conn.prepare(&sql).map_err(self.sql())?;
        let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        let rows = q
            .query_map(params![json(&statuses), json(&filter.students)], |r| {
                let status: CaptureStatus = r.get(12)?;
                let photo = CurrentPhoto {
                    student: Student::from_row(r)?,
                    capture_id: r.get(9)?,
                    photo_sha256: r.get(10)?,
                    verdict: r.get(11)?,
                    status,
                    taken_at: r.get(13)?,
                    station_id: r.get(14)?,
                    profile: r.get(15)?,
                    chsi_code: r.get(16)?,
                    printed_copies: r.get(17)?,
                    held_here: r.get(22)?,
                };
                let candidate = Candidate {
                    capture_id: photo.capture_id.clone(),
                    station_id: photo.station_id.clone(),
                    status,
                    taken_at: r.get(18)?,
                    approved_at: r.get(19)?,
                };
                let decided_or_taken: String = r.get(20)?;
                let exported: bool = r.get(21)?;
                Ok((photo, candidate, decided_or_taken, exported))
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut chosen = Vec::new();
        for group in rows.chunk_by(|a, b| a.0.student.id == b.0.student.id) {
            let candidates: Vec<Candidate> = group.iter().map(|g| g.1.clone()).collect();
            let Some(i) = rule::counting(&candidates) else { continue };
            let (photo, _, decided_or_taken, exported) = &group[i];
            let keep = filter.since.as_ref().is_none_or(|since| decided_or_taken >= since)
                && filter.profile.as_ref().is_none_or(|p| &photo.profile == p)
                && !(filter.not_exported && *exported);
            if keep {
                chosen.push(photo.clone());
            }
        }
        Ok(chosen)
    }

    /// Records that `copies` of each photo were printed on `paper` to `target` (a printer or
    /// a PDF file), audited.
    pub fn record_prints(
        &mut self,
        actor: &Actor,
        printed: &[(&CurrentPhoto, u32)],
        paper: &str,
        target: &str,
    ) -> Result<(), StoreError> {
        self.write(|tx, now| {
            for (photo, copies) in printed {
                tx.execute(
                    "INSERT INTO prints (capture_id, student_id, copies, paper, target, at, actor)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        photo.capture_id,
                        photo.student.id,
                        copies,
                        paper,
                        target,
                        super::timestamp(now),
                        actor.name
                    ],
                )?;
                let after = serde_json::json!({ "copies": copies, "paper": paper, "target": target });
                audit(tx, now, actor, "print", "capture", &photo.capture_id, None, Some(&after))?;
            }
            Ok(())
        })
    }

    /// Export batches completed so far (the next batch's number is one more).
    pub fn exports_done(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM batches WHERE kind = 'export' AND state = 'done'", [], |r| r.get(0))
            .map_err(self.sql())
    }

    /// The export this store began and has not recorded yet: (batch folder name, its token).
    pub fn pending_export(&self) -> Result<Option<(String, String)>, StoreError> {
        let value: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'export_pending'", [], |r| r.get(0))
            .optional()
            .map_err(self.sql())?;
        Ok(value.and_then(|v| v.split_once(' ').map(|(name, token)| (name.to_owned(), token.to_owned()))))
    }

    /// Notes that this store is writing batch folder `name`, its manifest marked with `token`:
    /// only that folder may be completed by a later run.
    pub fn begin_export(&mut self, name: &str, token: &str) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('export_pending', ?1)",
                params![format!("{name} {token}")],
            )
            .map(|_| ())
        })
    }

    /// Marks a verified batch as exported: the batch, each photo's file name and hash, one
    /// audit row; all in one transaction (which also ends the pending export). Returns the batch id.
    pub fn record_export(
        &mut self,
        actor: &Actor,
        target: &str,
        files: &[(&str, &str, &str)],
    ) -> Result<i64, StoreError> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO batches (kind, created_at, target, state) VALUES ('export', ?1, ?2, 'done')",
                params![super::timestamp(now), target],
            )?;
            let batch = tx.last_insert_rowid();
            for (capture_id, file_name, sha256) in files {
                tx.execute(
                    "INSERT INTO export_files (batch_id, capture_id, file_name, sha256) VALUES (?1, ?2, ?3, ?4)",
                    params![batch, capture_id, file_name, sha256],
                )?;
            }
            let after = serde_json::json!({ "target": target, "files": files.len() });
            audit(tx, now, actor, "export", "batch", &batch.to_string(), None, Some(&after))?;
            tx.execute("DELETE FROM meta WHERE key = 'export_pending'", [])?;
            Ok(batch)
        })
    }
}
