//! Students: the roster as imported, found by number, name or capture code, each with a
//! status that the capture and review actions move (and the audit log records).

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::status::StudentStatus;
use super::{Actor, Refusal, Store, StoreError, audit, timestamp};
use crate::roster::id_number;

/// One roster line, checked by `roster/`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StudentRecord {
    /// 学号.
    pub student_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号, validated (GB 11643).
    pub id_number: Option<String>,
    /// 学院.
    pub college: String,
    /// 专业.
    pub major: String,
    /// 班级.
    pub class: String,
    /// 考生号.
    pub exam_no: String,
}

impl StudentRecord {
    /// The record as an audit row holds it: the ID number masked.
    pub fn for_audit(&self) -> serde_json::Value {
        let masked = StudentRecord { id_number: self.id_number.as_deref().map(id_number::mask), ..self.clone() };
        serde_json::to_value(masked).unwrap_or_default()
    }
}

/// A student as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Student {
    /// Row id.
    pub id: i64,
    /// The roster fields.
    #[serde(flatten)]
    pub record: StudentRecord,
    /// Status.
    pub status: StudentStatus,
}

impl Student {
    /// Number and name, as a person reads who is meant: `2022001 张三`.
    pub fn who(&self) -> String {
        format!("{} {}", self.record.student_no, self.record.name)
    }

    /// The ID number as this actor may see it: whole for an admin who asks, masked otherwise.
    pub fn id_number_for(&self, show_full: bool) -> String {
        match &self.record.id_number {
            Some(n) if show_full => n.clone(),
            Some(n) => id_number::mask(n),
            None => String::new(),
        }
    }

    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Student> {
        Ok(Student {
            id: r.get(0)?,
            record: StudentRecord {
                student_no: r.get(1)?,
                name: r.get(2)?,
                id_number: r.get(3)?,
                college: r.get(4)?,
                major: r.get(5)?,
                class: r.get(6)?,
                exam_no: r.get(7)?,
            },
            status: r.get(8)?,
        })
    }
}

pub(super) const STUDENT_COLUMNS: &str = "id, student_no, name, id_number, college, major, class, exam_no, status";

/// What an import changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    /// New students.
    pub added: usize,
    /// Students whose fields changed (their captures are kept).
    pub updated: usize,
    /// Students already as in the file.
    pub unchanged: usize,
    /// Lines not imported: they would undo a correction made elsewhere since (at the office or
    /// another booth, received by sync). The file is older than the correction; the office
    /// changes it again if the file is right.
    pub kept: Vec<KeptLine>,
}

/// A roster line kept as corrected elsewhere, with what the file would have changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeptLine {
    /// The student's number.
    pub student_no: String,
    /// Each field that differs.
    pub changes: Vec<FieldChange>,
}

/// One field of a roster line: as it is now and as a file has it (an ID number masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field: `name`, `id_number`, `college`, `major`, `class`, `exam_no`.
    pub field: &'static str,
    /// As stored now.
    pub now: String,
    /// As in the file.
    pub file: String,
}

impl StudentRecord {
    /// The fields in which `other` differs from this line (ID numbers masked).
    pub fn differences(&self, other: &StudentRecord) -> Vec<FieldChange> {
        let id = |r: &StudentRecord| r.id_number.as_deref().map(id_number::mask).unwrap_or_default();
        let fields: [(&'static str, String, String); 6] = [
            ("name", self.name.clone(), other.name.clone()),
            ("id_number", id(self), id(other)),
            ("college", self.college.clone(), other.college.clone()),
            ("major", self.major.clone(), other.major.clone()),
            ("class", self.class.clone(), other.class.clone()),
            ("exam_no", self.exam_no.clone(), other.exam_no.clone()),
        ];
        let mut changes: Vec<FieldChange> = fields
            .into_iter()
            .filter(|(_, now, file)| now != file)
            .map(|(field, now, file)| FieldChange { field, now, file })
            .collect();
        // Two ID numbers that mask alike still differ.
        if self.id_number != other.id_number && !changes.iter().any(|c| c.field == "id_number") {
            changes.push(FieldChange { field: "id_number", now: id(self), file: id(other) });
        }
        changes
    }
}

impl Store {
    /// Adds or updates students by number in one transaction. Existing students keep their
    /// status and captures; each change is audited with before and after. A line whose values
    /// came from a correction made elsewhere is not changed back by a file that differs from it
    /// (`ImportCounts::kept`); the rest are imported.
    pub fn import_students(&mut self, actor: &Actor, records: &[StudentRecord]) -> Result<ImportCounts, StoreError> {
        let now = self.now();
        let path = self.path.clone();
        let sql = |source| StoreError::Sql { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut counts = ImportCounts::default();
        {
            let mut find =
                tx.prepare(&format!("SELECT {STUDENT_COLUMNS} FROM students WHERE student_no = ?1")).map_err(sql)?;
            let mut corrected =
                tx.prepare("SELECT corrected_elsewhere FROM students WHERE student_no = ?1").map_err(sql)?;
            let mut insert = tx
                .prepare(
                    "INSERT INTO students (student_no, name, id_number, college, major, class, exam_no, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            let mut update = tx
                .prepare(
                    "UPDATE students SET name = ?2, id_number = CASE WHEN purged_at IS NULL THEN ?3 END, college = ?4,
                     major = ?5, class = ?6, exam_no = ?7,
                     updated_at = ?8 WHERE student_no = ?1",
                )
                .map_err(sql)?;
            for r in records {
                let values =
                    params![r.student_no, r.name, r.id_number, r.college, r.major, r.class, r.exam_no, timestamp(now)];
                match find.query_row(params![r.student_no], Student::from_row).optional().map_err(sql)? {
                    None => {
                        insert.execute(values).map_err(sql)?;
                        counts.added += 1;
                    }
                    Some(old) if old.record == *r => counts.unchanged += 1,
                    Some(old) if corrected.query_row(params![r.student_no], |row| row.get(0)).map_err(sql)? => {
                        let changes = old.record.differences(r);
                        counts.kept.push(KeptLine { student_no: r.student_no.clone(), changes });
                    }
                    Some(old) => {
                        update.execute(values).map_err(sql)?;
                        // Audit rows never hold a whole ID number.
                        let (before, after) = (old.record.for_audit(), r.for_audit());
                        audit(&tx, now, actor, "roster_update", "student", &r.student_no, Some(&before), Some(&after))
                            .map_err(sql)?;
                        counts.updated += 1;
                    }
                }
            }
        }
        let summary = serde_json::to_value(&counts).ok();
        audit(&tx, now, actor, "roster_import", "roster", "", None, summary.as_ref()).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(counts)
    }

    /// The student with this number.
    pub fn student(&self, student_no: &str) -> Result<Student, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {STUDENT_COLUMNS} FROM students WHERE student_no = ?1"),
                params![student_no],
                Student::from_row,
            )
            .optional()
            .map_err(self.sql())?
            .ok_or_else(|| StoreError::NoStudent(student_no.to_owned()))
    }

    /// Students whose name is exactly `name`.
    pub fn students_named(&self, name: &str) -> Result<Vec<Student>, StoreError> {
        let mut q = self
            .conn
            .prepare(&format!("SELECT {STUDENT_COLUMNS} FROM students WHERE name = ?1 ORDER BY student_no"))
            .map_err(self.sql())?;
        let rows = q.query_map(params![name], Student::from_row).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// A student by number, or by a name only one student has.
    pub fn find_student(&self, who: &str) -> Result<Student, StoreError> {
        let who = who.trim();
        if let Ok(s) = self.student(who) {
            return Ok(s);
        }
        let mut named = self.students_named(who)?;
        match named.len() {
            1 => Ok(named.remove(0)),
            0 => Err(StoreError::NoStudent(who.to_owned())),
            n => Err(Refusal::SeveralNamed { count: n, name: who.to_owned() }.into()),
        }
    }

    /// Binds a CHSI code to the student found by number or name, once the last 4 digits of
    /// their ID number match what the student says.
    pub fn bind_chsi_code(&mut self, actor: &Actor, code: &str, who: &str, last4: &str) -> Result<Student, StoreError> {
        let student = self.find_student(who)?;
        let id = student.record.id_number.as_deref().unwrap_or_default().to_uppercase();
        let last4 = last4.trim().to_uppercase();
        if last4.len() != 4 || !id.ends_with(&last4) {
            return Err(Refusal::Last4Mismatch {
                name: student.record.name.clone(),
                student_no: student.record.student_no.clone(),
            }
            .into());
        }
        self.bind_code(actor, code.trim(), "chsi", &student)?;
        Ok(student)
    }

    /// Up to `limit` students whose number starts with `text` or whose name, class or college
    /// contains it (all students when `text` is empty), by college, class and number.
    pub fn search_students(&self, text: &str, limit: usize) -> Result<Vec<Student>, StoreError> {
        let mut q = self
            .conn
            .prepare(&format!(
                "SELECT {STUDENT_COLUMNS} FROM students
                 WHERE ?1 = '' OR student_no LIKE ?1 || '%' OR instr(name, ?1) > 0 OR instr(class, ?1) > 0
                    OR instr(college, ?1) > 0
                 ORDER BY college, class, student_no LIMIT ?2"
            ))
            .map_err(self.sql())?;
        let rows = q.query_map(params![text.trim(), limit as i64], Student::from_row).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// The students of one class, by number.
    pub fn class_list(&self, college: &str, class: &str) -> Result<Vec<Student>, StoreError> {
        let mut q = self
            .conn
            .prepare(&format!(
                "SELECT {STUDENT_COLUMNS} FROM students WHERE college = ?1 AND class = ?2 ORDER BY student_no"
            ))
            .map_err(self.sql())?;
        let rows = q.query_map(params![college, class], Student::from_row).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// Students for capture cards: those without a CHSI code bound (or all with `all`), of
    /// one class or every class, by college, class and number.
    pub fn card_students(&self, class: Option<&str>, all: bool) -> Result<Vec<Student>, StoreError> {
        let mut q = self
            .conn
            .prepare(&format!(
                "SELECT {STUDENT_COLUMNS} FROM students
                 WHERE (?1 IS NULL OR class = ?1)
                   AND (?2 OR NOT EXISTS (SELECT 1 FROM capture_codes k WHERE k.student_id = students.id AND k.kind = 'chsi'))
                 ORDER BY college, class, student_no"
            ))
            .map_err(self.sql())?;
        let rows = q.query_map(params![class, all], Student::from_row).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// Moves a student's status, audited.
    pub(super) fn set_status(
        tx: &rusqlite::Transaction<'_>,
        now: i64,
        actor: &Actor,
        student: &Student,
        status: StudentStatus,
    ) -> rusqlite::Result<()> {
        if student.status == status {
            return Ok(());
        }
        tx.execute(
            "UPDATE students SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![student.id, status, timestamp(now)],
        )?;
        let (before, after) = (serde_json::json!(student.status), serde_json::json!(status));
        audit(tx, now, actor, "status", "student", &student.record.student_no, Some(&before), Some(&after))
    }

    /// Binds a capture code to a student; a code bound to someone else is refused with both
    /// names. Binding the same code to the same student again is a no-op.
    pub fn bind_code(&mut self, actor: &Actor, code: &str, kind: &str, student: &Student) -> Result<(), StoreError> {
        let owner: Option<i64> = self
            .conn
            .query_row("SELECT student_id FROM capture_codes WHERE code = ?1", params![code], |r| r.get(0))
            .optional()
            .map_err(self.sql())?;
        match owner {
            Some(id) if id == student.id => return Ok(()),
            Some(id) => {
                let other = self
                    .conn
                    .query_row(
                        &format!("SELECT {STUDENT_COLUMNS} FROM students WHERE id = ?1"),
                        params![id],
                        Student::from_row,
                    )
                    .map_err(self.sql())?;
                return Err(StoreError::CodeTaken {
                    owner_no: other.record.student_no,
                    owner_name: other.record.name,
                    other_no: student.record.student_no.clone(),
                    other_name: student.record.name.clone(),
                });
            }
            None => {}
        }
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO capture_codes (code, student_id, kind, bound_at) VALUES (?1, ?2, ?3, ?4)",
                params![code, student.id, kind, timestamp(now)],
            )?;
            let after = serde_json::json!({ "kind": kind, "code_sha256": super::sha256_hex(code.as_bytes()) });
            audit(tx, now, actor, "bind_code", "student", &student.record.student_no, None, Some(&after))
        })
    }

    /// The student a code is bound to, if any.
    pub fn student_for_code(&self, code: &str) -> Result<Option<Student>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {STUDENT_COLUMNS} FROM students WHERE id = (SELECT student_id FROM capture_codes WHERE code = ?1)"),
                params![code],
                Student::from_row,
            )
            .optional()
            .map_err(self.sql())
    }
}
