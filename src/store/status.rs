//! The states a student and a capture move through, and their stored names: a leaf of the
//! store that every other part reads (the rule, captures, sync, outputs), importing none.

use serde::{Deserialize, Serialize};

/// An enum kept in a TEXT column under a stable name (the same as its serde name).
pub trait StoredText: Sized + Copy {
    /// The stored name.
    fn as_text(self) -> &'static str;
    /// The value a stored name means; `None` for a name this version does not know.
    fn from_text(text: &str) -> Option<Self>;
}

/// [`StoredText`], `ToSql` and `FromSql` for an enum, from one table of names: a name in the
/// database that no variant has is an error (a newer store's value), never a silent default.
macro_rules! stored_as_text {
    ($t:ty { $($variant:ident => $text:literal),* $(,)? }) => {
        impl StoredText for $t {
            fn as_text(self) -> &'static str {
                match self { $(<$t>::$variant => $text),* }
            }
            fn from_text(text: &str) -> Option<Self> {
                match text { $($text => Some(<$t>::$variant),)* _ => None }
            }
        }
        impl rusqlite::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_text().into())
            }
        }
        impl rusqlite::types::FromSql for $t {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                <$t as StoredText>::from_text(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("unknown {} '{text}'", stringify!($t)).into())
                })
            }
        }
    };
}

pub(super) use stored_as_text;

/// Where a student stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudentStatus {
    /// Not photographed yet (应拍未拍).
    Waiting,
    /// Has drafts, none accepted.
    Draft,
    /// A photo was accepted at the booth.
    Accepted,
    /// A reviewer approved it.
    Approved,
    /// A reviewer rejected it: the student must come back.
    ToRecall,
}

/// A capture's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureStatus {
    /// Standardizing failed or the checks failed: kept for the record.
    Failed,
    /// Passed the checks; in the student's draft box.
    Draft,
    /// Chosen at the booth.
    Accepted,
    /// Approved by a reviewer.
    Approved,
    /// Rejected by a reviewer.
    Rejected,
    /// A newer draft or acceptance replaced it.
    Superseded,
}

stored_as_text!(StudentStatus {
    Waiting => "waiting", Draft => "draft", Accepted => "accepted", Approved => "approved", ToRecall => "to_recall",
});
stored_as_text!(CaptureStatus {
    Failed => "failed", Draft => "draft", Accepted => "accepted", Approved => "approved", Rejected => "rejected",
    Superseded => "superseded",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips_under_its_serde_name_and_an_unknown_name_is_an_error() {
        let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
        let students = [
            StudentStatus::Waiting,
            StudentStatus::Draft,
            StudentStatus::Accepted,
            StudentStatus::Approved,
            StudentStatus::ToRecall,
        ];
        for s in students {
            let back: StudentStatus = conn.query_row("SELECT ?1", [s], |r| r.get(0)).expect("reads");
            assert_eq!(back, s);
            assert_eq!(serde_json::to_value(s).expect("json"), s.as_text(), "the JSON name is the stored one");
        }
        let captures = [
            CaptureStatus::Failed,
            CaptureStatus::Draft,
            CaptureStatus::Accepted,
            CaptureStatus::Approved,
            CaptureStatus::Rejected,
            CaptureStatus::Superseded,
        ];
        for c in captures {
            let back: CaptureStatus = conn.query_row("SELECT ?1", [c], |r| r.get(0)).expect("reads");
            assert_eq!(back, c);
            assert_eq!(serde_json::to_value(c).expect("json"), c.as_text());
        }
        let newer = conn.query_row("SELECT 'archived'", [], |r| r.get::<_, CaptureStatus>(0));
        assert!(newer.is_err(), "a state this version does not know is not read as another");
    }
}
