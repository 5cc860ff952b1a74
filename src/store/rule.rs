//! Which photo counts, when a student has more than one: the one rule, used by everything that
//! picks a student's photo (print sheets, exports, reviews, the student's status, the conflicts
//! that `tucai sync status` shows). Several candidates arise when a student is photographed
//! at two booths (both captures are kept), or re-shot after an approval.
//!
//! The rule: a reviewer's pick counts — an approved capture, the most recently approved one
//! when there are several; else the latest accepted. "Latest" is by the central server's clock
//! where the capture has been synced (a booth whose clock is wrong by hours can't win by it),
//! else by the booth's own.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::status::{CaptureStatus, StudentStatus};
use super::students::STUDENT_COLUMNS;
use super::{Actor, Store, Student};

/// A capture that might count for its student.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// The capture.
    pub capture_id: String,
    /// Which booth took it.
    pub station_id: String,
    /// Its state (approved, accepted…).
    pub status: CaptureStatus,
    /// When it was taken (`YYYY-MM-DDTHH:MM:SSZ`): the central clock's time when known.
    pub taken_at: String,
    /// When it was last approved (same clock rule), if it was.
    pub approved_at: Option<String>,
}

/// The two times [`Candidate`] needs, as SQL columns over a capture `c`: when it was taken and
/// when it was last approved, each by the central clock where known.
pub(super) const CANDIDATE_TIMES: &str = "COALESCE(c.central_taken_at, c.taken_at),
    (SELECT MAX(COALESCE(r.central_at, r.at)) FROM reviews r WHERE r.capture_id = c.id AND r.decision = 'approve')";

/// The index of the candidate that counts, if any does: approved before anything else (the
/// latest approval first), then the latest taken; ties go to the larger capture id, so every
/// store picks the same one.
pub fn counting(candidates: &[Candidate]) -> Option<usize> {
    let key = |c: &Candidate| {
        let approved = c.status == CaptureStatus::Approved;
        let approved_at = if approved { c.approved_at.clone().unwrap_or_default() } else { String::new() };
        (approved, approved_at, c.taken_at.clone(), c.capture_id.clone())
    };
    candidates.iter().enumerate().max_by_key(|(_, c)| key(c)).map(|(i, _)| i)
}

// The rule's inputs as stored, and the student status it settles.

/// The student's captures that could count (approved or accepted), for the rule.
pub(super) fn candidates(conn: &Connection, student_id: i64) -> rusqlite::Result<Vec<Candidate>> {
    let mut q = conn.prepare(&format!(
        "SELECT c.id, c.station_id, c.status, {CANDIDATE_TIMES} FROM captures c
         WHERE c.student_id = ?1 AND c.status IN ('approved', 'accepted') AND c.photo_sha256 IS NOT NULL
         ORDER BY c.id"
    ))?;
    let rows = q.query_map(params![student_id], |r| {
        Ok(Candidate {
            capture_id: r.get(0)?,
            station_id: r.get(1)?,
            status: r.get(2)?,
            taken_at: r.get(3)?,
            approved_at: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// The student's status as their captures say, by the rule: the photo that counts decides
/// (approved or accepted); without one, a rejected photo means "to recall", a draft "draft".
fn derived_status(conn: &Connection, student_id: i64) -> rusqlite::Result<StudentStatus> {
    let list = candidates(conn, student_id)?;
    if let Some(i) = counting(&list) {
        return Ok(if list[i].status == CaptureStatus::Approved {
            StudentStatus::Approved
        } else {
            StudentStatus::Accepted
        });
    }
    let (rejected, drafts): (i64, i64) = conn.query_row(
        "SELECT COALESCE(SUM(status = 'rejected'), 0), COALESCE(SUM(status = 'draft'), 0) FROM captures
         WHERE student_id = ?1",
        params![student_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(if rejected > 0 {
        StudentStatus::ToRecall
    } else if drafts > 0 {
        StudentStatus::Draft
    } else {
        StudentStatus::Waiting
    })
}

/// Moves the student to the status their captures say (audited when it changes); true if it
/// changed.
pub(super) fn settle_status(
    tx: &rusqlite::Transaction<'_>,
    now: i64,
    actor: &Actor,
    student_id: i64,
) -> rusqlite::Result<bool> {
    let student = tx.query_row(
        &format!("SELECT {STUDENT_COLUMNS} FROM students WHERE id = ?1"),
        params![student_id],
        Student::from_row,
    )?;
    let status = derived_status(tx, student_id)?;
    Store::set_status(tx, now, actor, &student, status)?;
    Ok(status != student.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: &str, status: CaptureStatus, taken_at: &str, approved_at: Option<&str>) -> Candidate {
        Candidate {
            capture_id: id.into(),
            station_id: id.split('-').next().unwrap_or_default().into(),
            status,
            taken_at: taken_at.into(),
            approved_at: approved_at.map(Into::into),
        }
    }

    #[test]
    fn a_reviewers_pick_beats_a_newer_accepted_photo() {
        let list = [
            candidate("a-1", CaptureStatus::Approved, "2026-11-20T08:00:00Z", Some("2026-11-20T09:00:00Z")),
            candidate("b-1", CaptureStatus::Accepted, "2026-11-21T08:00:00Z", None),
        ];
        assert_eq!(counting(&list), Some(0));
    }

    #[test]
    fn the_latest_approval_wins_then_the_latest_accepted() {
        let list = [
            candidate("a-1", CaptureStatus::Approved, "2026-11-21T08:00:00Z", Some("2026-11-21T09:00:00Z")),
            candidate("b-1", CaptureStatus::Approved, "2026-11-20T08:00:00Z", Some("2026-11-22T09:00:00Z")),
        ];
        assert_eq!(counting(&list), Some(1));
        let list = [
            candidate("a-1", CaptureStatus::Accepted, "2026-11-21T08:00:00Z", None),
            candidate("b-1", CaptureStatus::Accepted, "2026-11-21T07:59:59Z", None),
        ];
        assert_eq!(counting(&list), Some(0));
        assert_eq!(counting(&[]), None);
    }
}
