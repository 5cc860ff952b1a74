//! The batch manifest: one row per photo with the student's fields, the file (and archive) it
//! is in, its SHA-256 and size, the verdict, the capture time and the booth. Written three
//! ways — JSON (what `verify` reads), CSV in UTF-8 with a BOM (Excel opens it as UTF-8), and a
//! GBK copy for older office tools — and read back from JSON.

use serde::{Deserialize, Serialize};

/// `manifest.json`: the rows and what the batch is.
pub const MANIFEST_JSON: &str = "manifest.json";
/// `manifest.csv`, UTF-8 with BOM.
pub const MANIFEST_CSV: &str = "manifest.csv";
/// `manifest-gbk.csv`, the same in GBK.
pub const MANIFEST_GBK: &str = "manifest-gbk.csv";

/// `manifest.zip`: in an encrypted batch, the personal manifest's three files, encrypted.
pub const PERSONAL_ZIP: &str = "manifest.zip";

/// The manifest's three files: (name, bytes).
pub type ManifestFiles = [(&'static str, Vec<u8>); 3];

/// One photo in the batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestRow {
    /// 学号.
    pub student_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号: whole only where the profile asks (or names files by it), else masked or empty.
    pub id_number: String,
    /// 学院.
    pub college: String,
    /// 专业.
    pub major: String,
    /// 班级.
    pub class: String,
    /// 考生号.
    pub exam_no: String,
    /// The photo's file name.
    pub file: String,
    /// The zip archive holding it, or empty when the photo is a loose file under `photos/`.
    pub archive: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Check verdict at capture.
    pub verdict: String,
    /// Capture state (approved, accepted).
    pub status: String,
    /// When the photo was taken (UTC).
    pub taken_at: String,
    /// Which booth took it.
    pub station: String,
    /// The capture's id.
    pub capture_id: String,
}

/// The whole manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The batch folder's name.
    pub batch: String,
    /// Profile the photos follow.
    pub profile: String,
    /// When the batch was written (UTC).
    pub written_at: String,
    /// The photos.
    pub photos: Vec<ManifestRow>,
    /// A token the writing store keeps until the batch is recorded: a later run completes this
    /// folder only when the token is its own, so a batch written by another store (a copy, a
    /// restored backup) is never written into.
    #[serde(default)]
    pub export_id: String,
    /// An encrypted batch: the photos are in AES-256 archives, the students' fields only in
    /// the encrypted `manifest.zip`; this copy lists files, hashes and sizes.
    #[serde(default)]
    pub encrypted: bool,
}

const CSV_HEADER: [&str; 16] = [
    "学号",
    "姓名",
    "身份证号",
    "学院",
    "专业",
    "班级",
    "考生号",
    "文件名",
    "压缩包",
    "SHA256",
    "字节数",
    "检测结论",
    "状态",
    "拍摄时间",
    "采集点",
    "采集编号",
];

/// A cell a spreadsheet opens as text: one beginning with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (which Excel and WPS would run as a formula) gets a leading `'`.
pub fn spreadsheet_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// CSV text (no BOM) of a header and rows: quoted where needed by the `csv` writer, every cell
/// through [`spreadsheet_cell`]. Every CSV file Tucai writes is made here.
pub fn csv_text<R: AsRef<str>>(header: &[&str], rows: impl IntoIterator<Item = Vec<R>>) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header.iter().map(|h| spreadsheet_cell(h)).map(|c| c.into_owned()))?;
    for row in rows {
        w.write_record(row.iter().map(|c| spreadsheet_cell(c.as_ref()).into_owned()))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

impl Manifest {
    /// The CSV text (no BOM): a header in Chinese, one line per photo (the JSON manifest keeps
    /// every value as it is).
    pub fn csv(&self) -> Result<String, csv::Error> {
        let rows = self.photos.iter().map(|r| {
            let bytes = r.bytes.to_string();
            vec![
                r.student_no.clone(),
                r.name.clone(),
                r.id_number.clone(),
                r.college.clone(),
                r.major.clone(),
                r.class.clone(),
                r.exam_no.clone(),
                r.file.clone(),
                r.archive.clone(),
                r.sha256.clone(),
                bytes,
                r.verdict.clone(),
                r.status.clone(),
                r.taken_at.clone(),
                r.station.clone(),
                r.capture_id.clone(),
            ]
        });
        csv_text(&CSV_HEADER, rows)
    }

    /// The three files (name, bytes), and whether GBK lacked some characters (rare names:
    /// the GBK copy then shows `&#…;` codes for them; the UTF-8 files are whole).
    pub fn files(&self) -> Result<(ManifestFiles, bool), String> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        let csv = self.csv().map_err(|e| e.to_string())?;
        let utf8 = [b"\xEF\xBB\xBF".as_slice(), csv.as_bytes()].concat();
        let (gbk, _, lossy) = encoding_rs::GBK.encode(&csv);
        Ok(([(MANIFEST_JSON, json), (MANIFEST_CSV, utf8), (MANIFEST_GBK, gbk.into_owned())], lossy))
    }

    /// The copy that lies beside an encrypted batch: files, hashes, sizes, verdicts, no student.
    pub fn without_personal(&self) -> Manifest {
        let photos = self
            .photos
            .iter()
            .map(|r| ManifestRow {
                student_no: String::new(),
                name: String::new(),
                id_number: String::new(),
                college: String::new(),
                major: String::new(),
                class: String::new(),
                exam_no: String::new(),
                ..r.clone()
            })
            .collect();
        Manifest { photos, encrypted: true, ..self.clone() }
    }

    /// Reads `manifest.json`.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_reach_a_spreadsheet_as_text_and_commas_stay_in_their_cell() {
        let text =
            csv_text(&["a", "b"], [vec!["=HYPERLINK(\"x\")", "张,三\n李"], vec!["+1", "-2@"], vec!["@SUM(A1)", "ok"]])
                .expect("csv");
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("row").iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[0], ["'=HYPERLINK(\"x\")", "张,三\n李"]);
        assert_eq!(rows[1], ["'+1", "'-2@"]);
        assert_eq!(rows[2], ["'@SUM(A1)", "ok"]);
        assert_eq!(spreadsheet_cell("\tcmd"), "'\tcmd");
        assert_eq!(spreadsheet_cell("2026000001"), "2026000001");
    }

    #[test]
    fn csv_carries_a_bom_and_gbk_reads_back() {
        let row = ManifestRow {
            student_no: "2026000001".into(),
            name: "王芳".into(),
            id_number: "110105200403120023".into(),
            college: "计算机学院".into(),
            major: "软件工程".into(),
            class: "软件2201".into(),
            exam_no: String::new(),
            file: "2026000001.jpg".into(),
            archive: String::new(),
            sha256: "ab".into(),
            bytes: 30_000,
            verdict: "pass".into(),
            status: "approved".into(),
            taken_at: "2026-11-22T01:02:03Z".into(),
            station: "st-1".into(),
            capture_id: "st-1-2026000001-1".into(),
        };
        let m = Manifest {
            batch: "b".into(),
            profile: "chsi-graduate".into(),
            written_at: "t".into(),
            photos: vec![row],
            export_id: "t0".into(),
            encrypted: false,
        };
        let ([(_, json), (_, utf8), (_, gbk)], lossy) = m.files().expect("writes");
        assert!(!lossy);
        assert_eq!(Manifest::parse(&json).expect("reads"), m);
        assert!(utf8.starts_with(b"\xEF\xBB\xBF"));
        let (text, _, bad) = encoding_rs::GBK.decode(&gbk);
        assert!(!bad);
        assert_eq!(text, String::from_utf8_lossy(&utf8[3..]));
        assert!(text.lines().nth(1).expect("a row").starts_with("2026000001,王芳,110105200403120023,计算机学院"));
    }
}
