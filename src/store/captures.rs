//! Captures: one row per attempt with its bytes, step trail and check report; the retake
//! policy of the provincial system (a cool-down after repeated failed checks, a lock until
//! the next day after repeated failures of another kind, an audited override); accepting a
//! draft and reviewing it.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::rule::{self, candidates, settle_status};
use super::status::{CaptureStatus, StoredText, StudentStatus, stored_as_text};
use super::{Action, Actor, Refusal, Store, StoreError, Student, audit, parse_timestamp, sha256_hex, timestamp};
use crate::profile::RetakePolicy;

/// Why an attempt failed, for the retake policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The photo was made but the checks failed.
    Checks,
    /// No photo could be made (no face, several faces, too far…): the provincial system's
    /// liveness and other failures.
    NoPhoto,
}

stored_as_text!(FailureKind { Checks => "checks", NoPhoto => "no_photo" });

/// One attempt to store.
pub struct NewAttempt<'a> {
    /// The student.
    pub student: &'a Student,
    /// Profile id.
    pub profile: &'a str,
    /// The original frame or file, as received.
    pub original: &'a [u8],
    /// The standardized JPEG, when one was made.
    pub photo: Option<&'a [u8]>,
    /// Step trail (JSON).
    pub trail_json: String,
    /// Check report (JSON).
    pub report_json: String,
    /// `pass`, `warn`, `fail` or `error`.
    pub verdict: &'a str,
    /// Why it failed, when it did.
    pub failure: Option<FailureKind>,
    /// The error in words, when no photo was made.
    pub error: Option<String>,
}

/// A stored capture.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Capture {
    /// Globally unique id (`<station>-<student>-<attempt>`).
    pub id: String,
    /// Attempt number for the student, from 1.
    pub attempt_no: i64,
    /// When.
    pub taken_at: String,
    /// State.
    pub status: CaptureStatus,
    /// Check verdict.
    pub verdict: String,
    /// SHA-256 of the standardized photo.
    pub photo_sha256: Option<String>,
    /// SHA-256 of the original.
    pub original_sha256: String,
}

/// Whether a student may be photographed now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum RetakeState {
    /// Go ahead.
    Allowed,
    /// Too many failed checks in a row: wait until then (unix seconds).
    CoolDown {
        /// End of the cool-down.
        until: i64,
    },
    /// Too many failures of another kind: locked until the next day.
    Locked {
        /// Local midnight that ends the lock.
        until: i64,
    },
}

/// A reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The photo is good.
    Approve,
    /// The student must come back.
    Reject,
}

stored_as_text!(ReviewDecision { Approve => "approve", Reject => "reject" });

/// Local time of the booths (China Standard Time, UTC+8), for "until the next day".
const LOCAL_UTC_OFFSET_S: i64 = 8 * 3600;

fn next_local_midnight(now: i64) -> i64 {
    let local = now + LOCAL_UTC_OFFSET_S;
    (local.div_euclid(86_400) + 1) * 86_400 - LOCAL_UTC_OFFSET_S
}

impl Store {
    /// Whether `student` may be photographed now under `policy`. An override (audited)
    /// clears what came before it.
    pub fn retake_state(&self, student: &Student, policy: &RetakePolicy) -> Result<RetakeState, StoreError> {
        let since: String = self
            .conn
            .query_row("SELECT COALESCE(MAX(at), '') FROM overrides WHERE student_id = ?1", params![student.id], |r| {
                r.get(0)
            })
            .map_err(self.sql())?;
        let mut q = self
            .conn
            .prepare(
                "SELECT taken_at, status, failure_kind FROM captures WHERE student_id = ?1 AND taken_at > ?2
                 ORDER BY attempt_no DESC",
            )
            .map_err(self.sql())?;
        let rows: Vec<(String, String, Option<String>)> = q
            .query_map(params![student.id, since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.sql())?
            .collect::<Result<_, _>>()
            .map_err(self.sql())?;
        let now = self.now();
        let today_start = next_local_midnight(now) - 86_400;
        // Failures of another kind today lock the student until tomorrow.
        let no_photo_today = rows
            .iter()
            .filter(|(at, _, kind)| kind.as_deref() == Some("no_photo") && parse_timestamp(at) >= today_start)
            .count();
        if no_photo_today >= policy.failures_before_lock as usize {
            return Ok(RetakeState::Locked { until: next_local_midnight(now) });
        }
        // Consecutive failed checks, newest first, start a cool-down after the last one.
        let consecutive = rows.iter().take_while(|(_, _, kind)| kind.as_deref() == Some("checks")).count();
        if consecutive >= policy.failed_checks_before_cooldown as usize {
            let until = parse_timestamp(&rows[0].0) + i64::from(policy.cooldown_minutes) * 60;
            if now < until {
                return Ok(RetakeState::CoolDown { until });
            }
        }
        Ok(RetakeState::Allowed)
    }

    /// Lifts a cool-down or a lock (admin or reviewer), audited.
    pub fn override_retake(&mut self, actor: &Actor, student: &Student) -> Result<(), StoreError> {
        actor.require(Action::Unlock)?;
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO overrides (student_id, operator_id, at) VALUES (?1, ?2, ?3)",
                params![student.id, actor.operator_id, timestamp(now)],
            )?;
            audit(tx, now, actor, "override_retake", "student", &student.record.student_no, None, None)
        })
    }

    /// Stores one attempt — the row, the original and photo bytes — in one transaction, and
    /// moves the student to `draft` when it passed. Refused while the retake policy says wait.
    /// Drafts beyond the profile's limit are superseded, oldest first (their bytes are kept).
    pub fn record_attempt(
        &mut self,
        actor: &Actor,
        a: &NewAttempt<'_>,
        policy: &RetakePolicy,
    ) -> Result<Capture, StoreError> {
        match self.retake_state(a.student, policy)? {
            RetakeState::Allowed => {}
            RetakeState::CoolDown { until } => {
                return Err(Refusal::CoolDown {
                    name: a.student.record.name.clone(),
                    failures: policy.failed_checks_before_cooldown,
                    until,
                }
                .into());
            }
            RetakeState::Locked { until } => {
                return Err(Refusal::Locked { name: a.student.record.name.clone(), until }.into());
            }
        }
        let now = self.now();
        let station = self.station_id.clone();
        let path = self.path.clone();
        let sql = |source| StoreError::Sql { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(sql)?;
        let attempt_no: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(attempt_no), 0) + 1 FROM captures WHERE student_id = ?1",
                params![a.student.id],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let id = format!("{station}-{}-{attempt_no}", a.student.record.student_no);
        let original_sha = sha256_hex(a.original);
        let photo_sha = a.photo.map(sha256_hex);
        for (sha, bytes) in [(Some(&original_sha), Some(a.original)), (photo_sha.as_ref(), a.photo)] {
            if let (Some(sha), Some(bytes)) = (sha, bytes) {
                tx.execute("INSERT OR IGNORE INTO blobs (sha256, bytes) VALUES (?1, ?2)", params![sha, bytes])
                    .map_err(sql)?;
            }
        }
        let status = if a.failure.is_some() { CaptureStatus::Failed } else { CaptureStatus::Draft };
        tx.execute(
            "INSERT INTO captures (id, station_id, student_id, attempt_no, taken_at, operator_id, profile, status, verdict,
             failure_kind, original_sha256, photo_sha256, trail_json, report_json, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                id,
                station,
                a.student.id,
                attempt_no,
                timestamp(now),
                actor.operator_id,
                a.profile,
                status,
                a.verdict,
                a.failure,
                original_sha,
                photo_sha,
                a.trail_json,
                a.report_json,
                a.error
            ],
        )
        .map_err(sql)?;
        let after = serde_json::json!({ "status": status, "verdict": a.verdict, "photo_sha256": photo_sha });
        audit(&tx, now, actor, "capture", "capture", &id, None, Some(&after)).map_err(sql)?;
        if status == CaptureStatus::Draft {
            tx.execute(
                "UPDATE captures SET status = 'superseded'
                 WHERE student_id = ?1 AND station_id = ?3 AND status = 'draft' AND id NOT IN
                 (SELECT id FROM captures WHERE student_id = ?1 AND station_id = ?3 AND status = 'draft'
                  ORDER BY attempt_no DESC LIMIT ?2)",
                params![a.student.id, policy.max_drafts, station],
            )
            .map_err(sql)?;
            if matches!(a.student.status, StudentStatus::Waiting) {
                Self::set_status(&tx, now, actor, a.student, StudentStatus::Draft).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(Capture {
            id,
            attempt_no,
            taken_at: timestamp(now),
            status,
            verdict: a.verdict.to_owned(),
            photo_sha256: photo_sha,
            original_sha256: original_sha,
        })
    }

    /// The student's captures, newest first.
    pub fn captures_of(&self, student: &Student) -> Result<Vec<Capture>, StoreError> {
        let mut q = self
            .conn
            .prepare(
                "SELECT id, attempt_no, taken_at, status, verdict, photo_sha256, original_sha256 FROM captures
                 WHERE student_id = ?1 ORDER BY COALESCE(central_taken_at, taken_at) DESC, attempt_no DESC",
            )
            .map_err(self.sql())?;
        let rows = q
            .query_map(params![student.id], |r| {
                Ok(Capture {
                    id: r.get(0)?,
                    attempt_no: r.get(1)?,
                    taken_at: r.get(2)?,
                    status: r.get(3)?,
                    verdict: r.get(4)?,
                    photo_sha256: r.get(5)?,
                    original_sha256: r.get(6)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// A capture's standardized photo (checked against its hash) and its check report (JSON).
    pub fn capture_photo(&self, capture: &Capture) -> Result<(Option<Vec<u8>>, String), StoreError> {
        let report: String = self
            .conn
            .query_row("SELECT report_json FROM captures WHERE id = ?1", params![capture.id], |r| r.get(0))
            .map_err(self.sql())?;
        let photo = capture.photo_sha256.as_deref().map(|sha| self.blob(sha)).transpose()?;
        Ok((photo, report))
    }

    /// Accepts the student's newest draft taken here (or `capture_id`): it becomes this booth's
    /// photo of the student; this booth's earlier accepted (or rejected) one is superseded.
    /// Captures from other booths are theirs to change: they stay, and the rule decides.
    pub fn accept(
        &mut self,
        actor: &Actor,
        student: &Student,
        capture_id: Option<&str>,
    ) -> Result<Capture, StoreError> {
        let captures = self.captures_of(student)?;
        let chosen = captures
            .iter()
            .find(|c| {
                c.status == CaptureStatus::Draft
                    && c.id.starts_with(&format!("{}-", self.station_id))
                    && capture_id.is_none_or(|id| id == c.id)
            })
            .cloned()
            .ok_or_else(|| Refusal::NoDraftToAccept { name: student.record.name.clone() })?;
        let station = self.station_id.clone();
        self.write(|tx, now| {
            tx.execute(
                "UPDATE captures SET status = 'superseded'
                 WHERE student_id = ?1 AND station_id = ?2 AND status IN ('accepted', 'rejected')",
                params![student.id, station],
            )?;
            tx.execute("UPDATE captures SET status = 'accepted' WHERE id = ?1", params![chosen.id])?;
            let (before, after) = (serde_json::json!(chosen.status), serde_json::json!(CaptureStatus::Accepted));
            audit(tx, now, actor, "accept", "capture", &chosen.id, Some(&before), Some(&after))?;
            settle_status(tx, now, actor, student.id).map(|_| ())
        })?;
        Ok(Capture { status: CaptureStatus::Accepted, ..chosen })
    }

    /// The student's photo that counts now (see `rule`): approved or accepted, from any booth.
    pub fn counting_capture(&self, student: &Student) -> Result<Option<Capture>, StoreError> {
        let candidates = candidates(&self.conn, student.id).map_err(self.sql())?;
        let Some(i) = rule::counting(&candidates) else { return Ok(None) };
        Ok(self.captures_of(student)?.into_iter().find(|c| c.id == candidates[i].capture_id))
    }

    /// A reviewer approves or rejects the student's photo that counts (see `rule`); a
    /// rejection puts the student on the "to recall" list unless another photo then counts.
    pub fn review(
        &mut self,
        actor: &Actor,
        student: &Student,
        decision: ReviewDecision,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.review_capture(actor, student, None, decision, reason)
    }

    /// [`Store::review`] of a given capture of the student (approved or accepted, from any
    /// booth): how a reviewer picks between two booths' photos.
    pub fn review_capture(
        &mut self,
        actor: &Actor,
        student: &Student,
        capture_id: Option<&str>,
        decision: ReviewDecision,
        reason: &str,
    ) -> Result<(), StoreError> {
        actor.require(Action::Review)?;
        if decision == ReviewDecision::Reject && reason.trim().is_empty() {
            return Err(Refusal::RejectNeedsReason.into());
        }
        let accepted = match capture_id {
            Some(id) => {
                let is_candidate =
                    candidates(&self.conn, student.id).map_err(self.sql())?.iter().any(|c| c.capture_id == id);
                let found = self.captures_of(student)?.into_iter().find(|c| is_candidate && c.id == id);
                found.ok_or_else(|| Refusal::NoPhotoToReview {
                    name: student.record.name.clone(),
                    capture_id: Some(id.to_owned()),
                })?
            }
            None => self
                .counting_capture(student)?
                .ok_or_else(|| Refusal::NoPhotoToReview { name: student.record.name.clone(), capture_id: None })?,
        };
        let capture_status = match decision {
            ReviewDecision::Approve => CaptureStatus::Approved,
            ReviewDecision::Reject => CaptureStatus::Rejected,
        };
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO reviews (capture_id, reviewer_id, decision, reason, at, reviewer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![accepted.id, actor.operator_id, decision, reason, timestamp(now), actor.name],
            )?;
            tx.execute("UPDATE captures SET status = ?2 WHERE id = ?1", params![accepted.id, capture_status])?;
            let before = serde_json::json!(accepted.status);
            let after = serde_json::json!({ "status": capture_status, "reason": reason });
            audit(tx, now, actor, "review", "capture", &accepted.id, Some(&before), Some(&after))?;
            settle_status(tx, now, actor, student.id).map(|_| ())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_and_midnight_is_local() {
        for t in [0, 951_782_400, 1_795_305_600 + 3723] {
            assert_eq!(parse_timestamp(&timestamp(t)), t);
        }
        // 2026-11-21 20:00 UTC is 04:00 on the 22nd in China: the lock ends at the 23rd, 00:00 CST.
        let t = parse_timestamp("2026-11-21T20:00:00Z");
        assert_eq!(timestamp(next_local_midnight(t)), "2026-11-22T16:00:00Z");
    }
}
