//! Roster files as offices keep them: CSV in UTF-8 (with or without BOM) or GBK/GB18030 —
//! decided per line, so a file pasted together from two tools still reads — and XLSX. The
//! columns are found by their Chinese or English headers, wherever the header row is (title
//! rows and merged cells above it are skipped). Each row is checked; bad rows are reported
//! with the file and line and the rest are imported.

pub mod id_number;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::store::StudentRecord;
use id_number::IdNumberError;

/// A rejected row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Line (CSV) or row (XLSX), counted from 1 as the office's tools show them.
    pub line: usize,
    /// What is wrong.
    pub problem: RowIssue,
}

/// What is wrong with a roster row (said in `i18n/errors.rs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum RowIssue {
    /// No student number.
    NoStudentNo,
    /// No name.
    NoName {
        /// The student number.
        student_no: String,
    },
    /// The number appeared on an earlier line; this row is skipped.
    Repeated {
        /// The student number.
        student_no: String,
        /// The line it was first on.
        first_line: usize,
    },
    /// The line would undo a correction made elsewhere since (at the office or another booth);
    /// the correction is kept.
    CorrectedElsewhere {
        /// The student's number.
        student_no: String,
        /// What the file would change.
        changes: Vec<crate::store::FieldChange>,
    },
    /// A cell is too long or holds an invisible control character ([`crate::limits`]); the
    /// row is not imported.
    Cell {
        /// The column: `student_no`, `name`, `id_number`, `college`, `major`, `class`, `exam_no`.
        field: &'static str,
        /// What is wrong.
        problem: crate::limits::TextProblem,
    },
    /// The ID number is not valid.
    IdNumber {
        /// Number and name.
        who: String,
        /// The ID number, masked.
        masked: String,
        /// Why.
        #[serde(skip)]
        why: IdNumberError,
    },
}

/// A roster file, read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Roster {
    /// The good rows.
    pub records: Vec<StudentRecord>,
    /// The line (CSV) or row (XLSX) of each good row.
    pub lines: Vec<usize>,
    /// The refused rows.
    pub problems: Vec<RowProblem>,
    /// Lines that were GBK/GB18030 rather than UTF-8.
    pub gbk_lines: usize,
}

impl Roster {
    /// The lines the store did not import (`ImportCounts::kept`), as problems with their line.
    pub fn kept_lines(&self, counts: &crate::store::ImportCounts) -> Vec<RowProblem> {
        counts
            .kept
            .iter()
            .map(|k| {
                let at = self.records.iter().position(|r| r.student_no == k.student_no);
                RowProblem {
                    line: at.and_then(|i| self.lines.get(i).copied()).unwrap_or(0),
                    problem: RowIssue::CorrectedElsewhere {
                        student_no: k.student_no.clone(),
                        changes: k.changes.clone(),
                    },
                }
            })
            .collect()
    }
}

/// Why a roster file can't be read at all.
#[derive(Debug)]
pub enum RosterError {
    /// Reading the file.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The workbook can't be opened.
    Workbook {
        /// The file.
        path: PathBuf,
        /// calamine's message.
        message: String,
    },
    /// No header row with a student number and a name column.
    NoHeader {
        /// The file.
        path: PathBuf,
    },
    /// A workbook's first sheet has more than [`MAX_XLSX_CELLS`] cells (not read further).
    TooManyCells {
        /// The file.
        path: PathBuf,
    },
    /// The file, or what a workbook unpacks to, is larger than [`crate::limits`] allows (not read).
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, or what it unpacks to.
        bytes: u64,
        /// The limit.
        max: u64,
    },
}

/// How far down the header row may be (title rows above it).
pub const HEADER_SEARCH_ROWS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    StudentNo,
    Name,
    IdNumber,
    College,
    Major,
    Class,
    ExamNo,
}

/// Header spellings, compared after trimming, dropping spaces and lower-casing.
const HEADERS: &[(Field, &[&str])] = &[
    (Field::StudentNo, &["学号", "学生学号", "学籍号", "studentno", "student_no", "studentnumber", "studentid"]),
    (Field::Name, &["姓名", "学生姓名", "name"]),
    (Field::IdNumber, &["身份证号", "身份证号码", "身份证", "证件号码", "证件号", "idnumber", "id_number", "idcard"]),
    (Field::College, &["学院", "院系", "院部", "所在学院", "college", "school", "department"]),
    (Field::Major, &["专业", "专业名称", "major"]),
    (Field::Class, &["班级", "班级名称", "行政班", "class"]),
    (Field::ExamNo, &["考生号", "高考考生号", "examno", "exam_no", "candidatenumber"]),
];

impl Field {
    /// The column's key, as `FieldChange::field` names it.
    fn key(self) -> &'static str {
        match self {
            Field::StudentNo => "student_no",
            Field::Name => "name",
            Field::IdNumber => "id_number",
            Field::College => "college",
            Field::Major => "major",
            Field::Class => "class",
            Field::ExamNo => "exam_no",
        }
    }
}

fn field_of(header: &str) -> Option<Field> {
    let h: String = header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    HEADERS.iter().find(|(_, names)| names.contains(&h.as_str())).map(|(f, _)| *f)
}

/// Reads a roster file (XLSX by its content, CSV otherwise) of at most
/// [`crate::limits::MAX_ROSTER_BYTES`].
pub fn read_roster(path: &Path) -> Result<Roster, RosterError> {
    use crate::limits::{CappedRead, MAX_ROSTER_BYTES, read_capped};
    let bytes = read_capped(path, MAX_ROSTER_BYTES).map_err(|e| match e {
        CappedRead::Io(source) => RosterError::Io { path: path.to_owned(), source },
        CappedRead::TooLarge { bytes, max } => RosterError::TooLarge { path: path.to_owned(), bytes, max },
    })?;
    parse_roster(path, bytes)
}

/// The demo roster (the two students of the demo camera), as if read from a file.
pub fn demo_roster() -> Roster {
    let bytes = include_bytes!("../../assets/demo/roster.csv").to_vec();
    parse_roster(Path::new("assets/demo/roster.csv"), bytes).expect("the bundled demo roster parses (tested)")
}

/// Reads roster bytes; `path` names them in messages.
pub fn parse_roster(path: &Path, bytes: Vec<u8>) -> Result<Roster, RosterError> {
    let (rows, gbk_lines) =
        if bytes.starts_with(b"PK\x03\x04") { (xlsx_rows(path, bytes)?, 0) } else { csv_rows(&bytes) };
    let mut roster = records_from_rows(&rows).ok_or_else(|| RosterError::NoHeader { path: path.to_owned() })?;
    roster.gbk_lines = gbk_lines;
    Ok(roster)
}

/// CSV rows with their line numbers; each line decoded as UTF-8 if it is, else GB18030.
fn csv_rows(bytes: &[u8]) -> (Vec<(usize, Vec<String>)>, usize) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut text = String::with_capacity(bytes.len());
    let mut gbk_lines = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                gbk_lines += 1;
                text.push_str(&encoding_rs::GB18030.decode_without_bom_handling(line).0);
            }
        }
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let rows = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| (r.position().map_or(0, |p| p.line() as usize), r.iter().map(str::to_owned).collect()))
        .collect();
    (rows, gbk_lines)
}

/// Columns of a roster sheet that are read: rosters have a few dozen; cells further right are
/// ignored (a hostile sheet cannot make every row that wide).
pub const MAX_XLSX_COLUMNS: u32 = 256;

/// Cells of a roster sheet that are read: 20,000 students × 100 columns. More is not a roster.
pub const MAX_XLSX_CELLS: usize = 2_000_000;

/// The first sheet's rows, numbered as Excel shows them. Cells are streamed and kept sparse —
/// a sheet whose cells claim positions a million rows apart costs only the cells it has — and
/// the workbook reader runs behind a panic boundary: a damaged or hostile file is an error
/// naming it, not a crash of the booth.
fn xlsx_rows(path: &Path, bytes: Vec<u8>) -> Result<Vec<(usize, Vec<String>)>, RosterError> {
    let err = |message: String| RosterError::Workbook { path: path.to_owned(), message };
    let unpacked = unpacked_size(&bytes).map_err(|e| err(e.to_string()))?;
    let max = crate::limits::MAX_WORKBOOK_UNPACKED_BYTES;
    if unpacked > max {
        return Err(RosterError::TooLarge { path: path.to_owned(), bytes: unpacked, max });
    }
    match std::panic::catch_unwind(|| read_sheet_cells(bytes)) {
        Ok(Ok(Some(rows))) => Ok(rows),
        Ok(Ok(None)) => Err(RosterError::TooManyCells { path: path.to_owned() }),
        Ok(Err(message)) => Err(err(message)),
        Err(_) => Err(err("the workbook reader failed on damaged contents".into())),
    }
}

/// The first sheet's cells as rows (`None`: more than [`MAX_XLSX_CELLS`]).
fn read_sheet_cells(bytes: Vec<u8>) -> Result<Option<Vec<(usize, Vec<String>)>>, String> {
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e: calamine::XlsxError| e.to_string())?;
    let first = book.sheet_names().into_iter().next().ok_or("the workbook has no sheet")?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| e.to_string())?;
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = std::collections::BTreeMap::new();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
        let (row, col) = cell.get_position();
        if col >= MAX_XLSX_COLUMNS {
            continue;
        }
        count += 1;
        if count > MAX_XLSX_CELLS {
            return Ok(None);
        }
        let text = match Data::from(cell.get_value().clone()) {
            // Numbers typed into Excel (student numbers) come back as floats.
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            other => other.to_string(),
        };
        let line = rows.entry(row).or_default();
        if line.len() <= col as usize {
            line.resize(col as usize + 1, String::new());
        }
        line[col as usize] = text;
    }
    Ok(Some(rows.into_iter().map(|(r, cells)| (r as usize + 1, cells)).collect()))
}

/// What a workbook's zip entries say they unpack to, added up (read from its central directory,
/// nothing unpacked). The zip reader stops an entry at its stated size, so the sum bounds what
/// reading the workbook can allocate.
fn unpacked_size(bytes: &[u8]) -> zip::result::ZipResult<u64> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(i)?.size());
    }
    Ok(total)
}

/// Finds the header row, then checks every row below it.
fn records_from_rows(rows: &[(usize, Vec<String>)]) -> Option<Roster> {
    let (header_at, columns) = rows.iter().take(HEADER_SEARCH_ROWS).enumerate().find_map(|(i, (_, cells))| {
        let columns: Vec<Option<Field>> = cells.iter().map(|c| field_of(c)).collect();
        let has = |f| columns.contains(&Some(f));
        (has(Field::StudentNo) && has(Field::Name)).then_some((i, columns))
    })?;
    let mut roster = Roster::default();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (line, cells) in &rows[header_at + 1..] {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |f: Field| {
            columns
                .iter()
                .position(|c| *c == Some(f))
                .and_then(|i| cells.get(i))
                .map_or(String::new(), |v| v.trim().to_owned())
        };
        let mut problem = |p: RowIssue| roster.problems.push(RowProblem { line: *line, problem: p });
        let bad_cell = columns.iter().zip(cells).find_map(|(column, cell)| {
            let field = (*column)?;
            crate::limits::check_text(cell.trim(), crate::limits::MAX_CELL_CHARS)
                .err()
                .map(|problem| RowIssue::Cell { field: field.key(), problem })
        });
        if let Some(issue) = bad_cell {
            problem(issue);
            continue;
        }
        let student_no = get(Field::StudentNo);
        let name = get(Field::Name);
        if student_no.is_empty() {
            problem(RowIssue::NoStudentNo);
            continue;
        }
        if name.is_empty() {
            problem(RowIssue::NoName { student_no });
            continue;
        }
        if let Some(first) = seen.get(&student_no) {
            problem(RowIssue::Repeated { student_no, first_line: *first });
            continue;
        }
        let raw_id = get(Field::IdNumber);
        let id_number = if raw_id.is_empty() {
            None
        } else {
            match id_number::validate(&raw_id) {
                Ok(n) => Some(n),
                Err(e) => {
                    let who = format!("{student_no} {name}");
                    problem(RowIssue::IdNumber { who, masked: id_number::mask(&raw_id), why: e });
                    continue;
                }
            }
        };
        seen.insert(student_no.clone(), *line);
        roster.lines.push(*line);
        roster.records.push(StudentRecord {
            student_no,
            name,
            id_number,
            college: get(Field::College),
            major: get(Field::Major),
            class: get(Field::Class),
            exam_no: get(Field::ExamNo),
        });
    }
    Some(roster)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_roster_is_clean() {
        let roster = demo_roster();
        assert_eq!(roster.records.len(), 2);
        assert!(roster.problems.is_empty(), "{:?}", roster.problems);
    }

    #[test]
    fn utf8_and_gbk_lines_and_bad_rows() {
        let mut file = "\u{feff}学号,姓名,身份证号,学院,班级\n".as_bytes().to_vec();
        file.extend("2021001,张三,11010519491231002X,信息学院,软件1班\n".as_bytes());
        file.extend(encoding_rs::GBK.encode("2021002,李四,,经管学院,会计2班\n").0.iter());
        file.extend("2021003,王五,110105194912310021,信息学院,软件1班\n".as_bytes());
        file.extend("2021001,张三重复,,信息学院,软件1班\n".as_bytes());
        file.extend(",无学号,,,\n2021004,,,,\n".as_bytes());
        let (rows, gbk) = csv_rows(&file);
        let roster = records_from_rows(&rows).expect("header found");
        assert_eq!(gbk, 1);
        let names: Vec<&str> = roster.records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["张三", "李四"]);
        assert_eq!(roster.records[1].class, "会计2班");
        let lines: Vec<usize> = roster.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6, 7], "{:?}", roster.problems);
        assert!(
            matches!(&roster.problems[0].problem, RowIssue::IdNumber { why: IdNumberError::Check { .. }, .. }),
            "{:?}",
            roster.problems[0]
        );
        assert_eq!(roster.problems[1].problem, RowIssue::Repeated { student_no: "2021001".into(), first_line: 2 });
        assert!(matches!(roster.problems[2].problem, RowIssue::NoStudentNo));
        assert!(matches!(roster.problems[3].problem, RowIssue::NoName { .. }));
    }

    #[test]
    fn a_cell_too_long_or_with_a_control_character_refuses_its_row() {
        let file =
            format!("学号,姓名,备注\nS1,\"王\u{1b}[2J芳\",\nS2,{},\nS3,李静,\u{7}备注不导入\n", "长".repeat(101));
        let roster = records_from_rows(&csv_rows(file.as_bytes()).0).expect("header found");
        assert_eq!(roster.records.len(), 1, "only S3: a column we do not import is not checked");
        let issues: Vec<&RowIssue> = roster.problems.iter().map(|p| &p.problem).collect();
        assert_eq!(
            issues,
            [
                &RowIssue::Cell { field: "name", problem: crate::limits::TextProblem::Control { at: 2, code: 0x1b } },
                &RowIssue::Cell {
                    field: "name",
                    problem: crate::limits::TextProblem::TooLong { chars: 101, max: crate::limits::MAX_CELL_CHARS }
                },
            ]
        );
    }

    #[test]
    fn header_below_a_title_row_is_found() {
        let file = "2026届毕业生名单,,\n序号,Student No,Name\n1,S1,Ann\n".as_bytes();
        let roster = records_from_rows(&csv_rows(file).0).expect("header found");
        assert_eq!(roster.records[0].student_no, "S1");
        assert!(records_from_rows(&csv_rows(b"a,b\n1,2\n").0).is_none());
    }
}
