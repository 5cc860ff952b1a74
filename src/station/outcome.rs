//! What a shot leaves in the store: the photo (when one was made), its trail and check report,
//! the verdict and, for a failure, its kind for the retake policy.

use super::CheckedPhoto;
use crate::imaging::StandardizeError;
use crate::quality::{Report, Verdict};
use crate::store::{FailureKind, NewAttempt, Student};

/// A shot's outcome, ready to be stored as an attempt.
pub struct ShotOutcome {
    /// The standardized JPEG.
    pub photo: Option<Vec<u8>>,
    /// The step trail (JSON).
    pub trail_json: String,
    /// The check report, when a photo was made.
    pub report: Option<Report>,
    /// Why no photo was made.
    pub error: Option<StandardizeError>,
}

impl ShotOutcome {
    /// The outcome of standardizing and checking a shot.
    pub fn of(result: &Result<CheckedPhoto, StandardizeError>) -> ShotOutcome {
        match result {
            Ok(checked) => ShotOutcome {
                photo: Some(checked.photo.jpeg.bytes.clone()),
                trail_json: serde_json::to_string(&checked.photo.trail).unwrap_or_else(|_| "[]".into()),
                report: Some(checked.report.clone()),
                error: None,
            },
            Err(e) => ShotOutcome { photo: None, trail_json: "[]".into(), report: None, error: Some(e.clone()) },
        }
    }

    /// Fail when no photo was made.
    pub fn verdict(&self) -> Verdict {
        self.report.as_ref().map_or(Verdict::Fail, |r| r.verdict)
    }

    /// `pass`, `warn`, `fail`, or `error` when no photo was made.
    pub fn verdict_text(&self) -> &'static str {
        match (self.verdict(), &self.error) {
            (_, Some(_)) => "error",
            (Verdict::Fail, _) => "fail",
            (Verdict::Warn, _) => "warn",
            _ => "pass",
        }
    }

    /// For the retake policy: a made photo that failed its checks, or no photo at all.
    pub fn failure(&self) -> Option<FailureKind> {
        match (&self.error, self.verdict()) {
            (Some(_), _) => Some(FailureKind::NoPhoto),
            (None, Verdict::Fail) => Some(FailureKind::Checks),
            _ => None,
        }
    }

    /// The attempt to store for `student`, with the `original` bytes as received.
    pub fn attempt<'a>(&'a self, student: &'a Student, profile: &'a str, original: &'a [u8]) -> NewAttempt<'a> {
        NewAttempt {
            student,
            profile,
            original,
            photo: self.photo.as_deref(),
            trail_json: self.trail_json.clone(),
            report_json: serde_json::to_string(&self.report).unwrap_or_else(|_| "null".into()),
            verdict: self.verdict_text(),
            failure: self.failure(),
            // The store keeps why as a record, in English like its log (the screen says it
            // in the operator's language from the typed error).
            error: self.error.as_ref().map(|e| e.to_string()),
        }
    }
}
