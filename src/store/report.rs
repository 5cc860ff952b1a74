//! Reports for the office: counts per status (overall, per college or class), who has not
//! been photographed yet (应拍未拍), who must come back.

use rusqlite::params;
use serde::Serialize;

use super::status::StudentStatus;
use super::students::STUDENT_COLUMNS;
use super::{Store, StoreError, Student};

/// How to group the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    /// One row per college.
    College,
    /// One row per college and class.
    Class,
}

/// Counts for one group.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReportRow {
    /// College, or empty for the whole roster.
    pub college: String,
    /// Class, when grouped by class.
    pub class: String,
    /// Students in the group.
    pub total: i64,
    /// Not photographed yet.
    pub waiting: i64,
    /// Drafts only.
    pub draft: i64,
    /// Accepted at the booth.
    pub accepted: i64,
    /// Approved by a reviewer.
    pub approved: i64,
    /// Rejected: must come back.
    pub to_recall: i64,
}

/// A student on a list (missing, to recall).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StudentLine {
    /// The student.
    #[serde(flatten)]
    pub student: Student,
    /// The last review's reason, for those to recall.
    pub reason: String,
}

impl Store {
    /// Counts per status, grouped.
    pub fn report(&self, by: Option<GroupBy>) -> Result<Vec<ReportRow>, StoreError> {
        let (select, group) = match by {
            None => ("'', ''", ""),
            Some(GroupBy::College) => ("college, ''", "GROUP BY college ORDER BY college"),
            Some(GroupBy::Class) => ("college, class", "GROUP BY college, class ORDER BY college, class"),
        };
        let sql = format!(
            "SELECT {select}, COUNT(*),
                SUM(status = 'waiting'), SUM(status = 'draft'), SUM(status = 'accepted'),
                SUM(status = 'approved'), SUM(status = 'to_recall')
             FROM students {group}"
        );
        let mut q = self.conn.prepare(&sql).map_err(self.sql())?;
        let rows = q
            .query_map([], |r| {
                Ok(ReportRow {
                    college: r.get(0)?,
                    class: r.get(1)?,
                    total: r.get(2)?,
                    waiting: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                    draft: r.get::<_, Option<i64>>(4)?.unwrap_or(0),
                    accepted: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
                    approved: r.get::<_, Option<i64>>(6)?.unwrap_or(0),
                    to_recall: r.get::<_, Option<i64>>(7)?.unwrap_or(0),
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// Students in `statuses`, by college, class and number, with the last review's reason.
    pub fn students_in(&self, statuses: &[StudentStatus]) -> Result<Vec<StudentLine>, StoreError> {
        let wanted: Vec<String> = statuses.iter().map(super::status_text).collect();
        let sql = format!(
            "SELECT {STUDENT_COLUMNS},
                COALESCE((SELECT r.reason FROM reviews r JOIN captures c ON c.id = r.capture_id
                          WHERE c.student_id = students.id ORDER BY r.id DESC LIMIT 1), '')
             FROM students WHERE status IN (SELECT value FROM json_each(?1)) ORDER BY college, class, student_no"
        );
        let mut q = self.conn.prepare(&sql).map_err(self.sql())?;
        let list = serde_json::to_string(&wanted).unwrap_or_default();
        let rows = q
            .query_map(params![list], |r| {
                let student = Student::from_row(r)?;
                Ok(StudentLine { student, reason: r.get(9)? })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }
}
