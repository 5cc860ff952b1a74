//! The station store from the command line on a fresh data folder, the crash test (a child
//! killed with SIGKILL while storing captures, hundreds of times), and the bad inputs:
//! rosters with mixed encodings, broken ID numbers, duplicates, an XLSX with merged header
//! cells; QR images with no code, two codes, a damaged code.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use image::RgbImage;
use tucai::code::{self, CodeError};
use tucai::profile::RetakePolicy;
use tucai::store::{Actor, NewAttempt, Refusal, Role, Store, StoreError, StudentRecord, sha256_hex, timestamp};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tucai-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[path = "common/cli.rs"]
mod cli;

#[path = "common/xlsx.rs"]
mod xlsx;
use cli::{out, tucai};

#[test]
fn a_student_goes_from_roster_to_recall_on_the_command_line() {
    let dir = temp("cli");
    let data = dir.join("data");
    let roster = dir.join("roster.csv");
    let mut bytes = "\u{feff}学号,姓名,身份证号,学院,班级\n".as_bytes().to_vec();
    bytes.extend("S001,张三,11010519491231002X,信息学院,软件1班\n".as_bytes());
    bytes.extend(encoding_rs_gbk("S002,李四,,经管学院,会计2班\n"));
    bytes.extend("S003,王五,110105194912310021,信息学院,软件1班\nS001,重复,,,\n".as_bytes());
    std::fs::write(&roster, bytes).expect("write roster");

    let o = tucai(&data, &["--operator", "admin", "roster", "import", roster.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "no accounts yet: {}", out(&o));
    assert!(out(&o).contains("operator add"), "{}", out(&o));
    assert!(tucai(&data, &["operator", "add", "admin", "--role", "admin"]).status.success());
    let o = tucai(&data, &["--operator", "admin", "roster", "import", roster.to_str().expect("utf-8")]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("2 added") && text.contains("2 rows refused") && text.contains("1 lines were GBK"), "{text}");
    assert!(text.contains("roster.csv: line 4") && text.contains("roster.csv: line 5"), "{text}");

    let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/grace_hopper.jpg");
    // The portrait wears a naval cap, which the built-in profile rightly rejects; this test is
    // about the store's path from capture to recall, so its profile leaves headwear unjudged.
    let capless = dir.join("chsi-no-headwear.toml");
    let builtin = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/chsi-graduate.toml"))
        .expect("built-in profile");
    std::fs::write(&capless, format!("{builtin}\n[checks]\nheadwear_max_fraction = 1.0\n")).expect("profile");
    let o = tucai(
        &data,
        &[
            "--operator",
            "admin",
            "capture",
            "--student",
            "S001",
            "--photo",
            photo.to_str().expect("utf-8"),
            "--profile",
            capless.to_str().expect("utf-8"),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let cat = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chelsea.png");
    let o =
        tucai(&data, &["--operator", "admin", "capture", "--student", "S002", "--photo", cat.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("no face"), "{}", out(&o));
    assert!(tucai(&data, &["--operator", "admin", "accept", "--student", "S001"]).status.success());
    let o = tucai(&data, &["--operator", "admin", "review", "reject", "--student", "S001"]);
    assert_eq!(o.status.code(), Some(2), "a rejection needs a reason: {}", out(&o));
    let o = tucai(&data, &["--operator", "admin", "review", "reject", "--student", "S001", "--reason", "刘海遮挡眉毛"]);
    assert!(o.status.success(), "{}", out(&o));

    let o = tucai(&data, &["--operator", "admin", "report", "--missing", "--recall"]);
    let text = out(&o);
    assert!(text.contains("missing,S002,李四") && text.contains("to_recall,S001,张三,110***********002X"), "{text}");
    assert!(text.contains("刘海遮挡眉毛"), "{text}");
    let o = tucai(&data, &["--operator", "admin", "report", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        (rows[0]["total"].as_i64(), rows[0]["to_recall"].as_i64(), rows[0]["waiting"].as_i64()),
        (Some(2), Some(1), Some(1))
    );
    // Whole ID numbers only for an admin who asks.
    let o = tucai(&data, &["--operator", "admin", "report", "--recall", "--show-id"]);
    assert!(out(&o).contains("11010519491231002X"), "{}", out(&o));

    let backup = dir.join("backup.db");
    assert!(tucai(&data, &["--operator", "admin", "backup", "-o", backup.to_str().expect("utf-8")]).status.success());
    let copy = Store::open(&dir.join("restored")).map(|_| ());
    assert!(copy.is_ok());
    std::fs::copy(&backup, dir.join("restored").join(tucai::store::DB_FILE)).expect("copy");
    let restored = Store::open(&dir.join("restored")).expect("backup opens");
    assert_eq!(restored.student("S001").expect("in backup").record.name, "张三");
    let _ = std::fs::remove_dir_all(&dir);
}

fn encoding_rs_gbk(text: &str) -> Vec<u8> {
    // GBK bytes for the few characters used, via a table (the tests don't depend on encoding_rs).
    let mut out = Vec::new();
    for c in text.chars() {
        match c {
            '李' => out.extend([0xC0, 0xEE]),
            '四' => out.extend([0xCB, 0xC4]),
            '经' => out.extend([0xBE, 0xAD]),
            '管' => out.extend([0xB9, 0xDC]),
            '学' => out.extend([0xD1, 0xA7]),
            '院' => out.extend([0xD4, 0xBA]),
            '会' => out.extend([0xBB, 0xE1]),
            '计' => out.extend([0xBC, 0xC6]),
            '班' => out.extend([0xB0, 0xE0]),
            c if c.is_ascii() => out.push(c as u8),
            c => panic!("no GBK bytes for {c}"),
        }
    }
    out
}

/// The child side of the crash test: stores captures as fast as it can and prints each id
/// and photo hash once its transaction has committed.
fn crash_child(data: &Path) {
    let mut store = Store::open(data).expect("store opens in the child");
    let actor = Actor { operator_id: Some(1), name: "admin".into(), role: Role::Admin, must_change_pin: false };
    let student = store.student("C1").expect("student");
    let policy = RetakePolicy {
        failed_checks_before_cooldown: 1000,
        failures_before_lock: 1000,
        max_drafts: 1000,
        ..RetakePolicy::default()
    };
    let stdout = std::io::stdout();
    for k in 0u32.. {
        // 40–200 KB of bytes that differ per attempt, like photos.
        let len = 40_000 + (k as usize * 7919) % 160_000;
        let photo: Vec<u8> = (0..len)
            .map(|i| ((i as u32).wrapping_mul(2_654_435_761) ^ k.wrapping_mul(40_503) ^ std::process::id()) as u8)
            .collect();
        let a = NewAttempt {
            student: &student,
            profile: "chsi-graduate",
            original: &photo[..len / 2],
            photo: Some(&photo),
            trail_json: "[]".into(),
            report_json: "null".into(),
            verdict: "pass",
            failure: None,
            error: None,
        };
        let c = store.record_attempt(&actor, &a, &policy).expect("stored");
        let mut lock = stdout.lock();
        writeln!(lock, "{} {}", c.id, c.photo_sha256.unwrap_or_default()).expect("stdout");
        lock.flush().expect("flush");
    }
}

/// SIGKILL at random moments while storing: the store always opens, passes the integrity
/// check, keeps every capture it reported, and shows no half-written one.
#[test]
fn killed_while_storing_loses_nothing_reported() {
    if let Ok(dir) = std::env::var("TUCAI_CRASH_CHILD") {
        crash_child(Path::new(&dir));
        return;
    }
    let dir = temp("crash");
    {
        let mut store = Store::open(&dir).expect("store");
        let admin = store.add_operator(None, "admin", Role::Admin, "246810").expect("admin");
        let record = StudentRecord { student_no: "C1".into(), name: "崩溃测试".into(), ..StudentRecord::default() };
        store.import_students(&admin, &[record]).expect("student");
    }
    let kills: usize = std::env::var("TUCAI_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let mut reported: Vec<(String, String)> = Vec::new();
    let mut seed = 0x2545_F491_u64;
    for _ in 0..kills {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "killed_while_storing_loses_nothing_reported", "--nocapture", "--test-threads=1"])
            .env("TUCAI_CRASH_CHILD", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        // Kill while it is storing: after its first capture, at a random moment (0–40 ms, a
        // few to a few dozen captures later, anywhere inside a transaction).
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        // (The child's test harness prints its own lines first.)
        let first =
            lines.by_ref().map_while(Result::ok).find(|l| l.split_once(' ').is_some_and(|(_, sha)| sha.len() == 64));
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 40_000));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        for line in first.into_iter().chain(lines.map_while(Result::ok)) {
            if let Some((id, sha)) = line.split_once(' ')
                && sha.len() == 64
            {
                reported.push((id.to_owned(), sha.to_owned()));
            }
        }
    }
    let store = Store::open(&dir).expect("the store opens and passes integrity_check after every kill");
    let student = store.student("C1").expect("student");
    let stored = store.captures_of(&student).expect("captures");
    for (id, sha) in &reported {
        let c = stored.iter().find(|c| &c.id == id).unwrap_or_else(|| panic!("reported capture {id} is lost"));
        assert_eq!(c.photo_sha256.as_deref(), Some(sha.as_str()));
        assert_eq!(sha256_hex(&store.blob(sha).expect("bytes intact")), *sha);
    }
    // Nothing half-written: every stored row has both its blobs, intact.
    for c in &stored {
        store.blob(&c.original_sha256).expect("original intact");
        store.blob(c.photo_sha256.as_deref().expect("photo")).expect("photo intact");
    }
    assert!(reported.len() >= kills, "only {} captures reported over {kills} runs", reported.len());
    eprintln!("crash test: {kills} kills, {} captures reported, {} stored, all intact", reported.len(), stored.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn qr_codes_read_once_and_bad_pictures_say_why() {
    let payload = code::card_payload("2021001", "张三");
    let one = code::qr_image(&payload, 6).expect("encodes");
    assert_eq!(code::single_code(&one).expect("reads").text, payload);

    let blank = RgbImage::from_pixel(400, 300, image::Rgb([200, 200, 200]));
    assert_eq!(code::single_code(&blank), Err(CodeError::NoCode));

    let other = code::qr_image("TUCAI1|2021002|李四", 6).expect("encodes");
    let mut two = RgbImage::from_pixel(
        one.width() + other.width() + 40,
        one.height().max(other.height()),
        image::Rgb([235, 235, 235]),
    );
    image::imageops::overlay(&mut two, &one, 0, 0);
    image::imageops::overlay(&mut two, &other, i64::from(one.width()) + 40, 0);
    assert_eq!(code::single_code(&two), Err(CodeError::Several(2)));

    // A code with a third of it torn away (beyond the error correction) is not misread.
    let mut damaged = one.clone();
    let (w, h) = (damaged.width(), damaged.height());
    for y in h / 4..h * 3 / 4 {
        for x in w / 3..w * 2 / 3 {
            damaged.put_pixel(x, y, image::Rgb([235, 235, 235]));
        }
    }
    assert_eq!(code::single_code(&damaged), Err(CodeError::NoCode));
}

#[test]
fn codes_bind_once_and_a_taken_code_names_both_students() {
    let dir = temp("codes");
    let mut store = Store::open(&dir).expect("store");
    let admin: Actor = store.add_operator(None, "admin", Role::Admin, "246810").expect("admin");
    let a = StudentRecord { student_no: "A1".into(), name: "甲".into(), ..StudentRecord::default() };
    let b = StudentRecord { student_no: "B2".into(), name: "乙".into(), ..StudentRecord::default() };
    store.import_students(&admin, &[a, b]).expect("students");
    let (sa, sb) = (store.student("A1").expect("A1"), store.student("B2").expect("B2"));
    store.bind_code(&admin, "CHSI-ENCRYPTED-XYZ", "chsi", &sa).expect("binds");
    store.bind_code(&admin, "CHSI-ENCRYPTED-XYZ", "chsi", &sa).expect("same student again is fine");
    let e = store.bind_code(&admin, "CHSI-ENCRYPTED-XYZ", "chsi", &sb).expect_err("taken").to_string();
    assert!(e.contains("甲") && e.contains("乙") && e.contains("A1") && e.contains("B2"), "{e}");
    assert_eq!(
        store.student_for_code("CHSI-ENCRYPTED-XYZ").expect("query").map(|s| s.record.student_no),
        Some("A1".into())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn retake_policy_cools_down_locks_and_an_override_lifts_it() {
    let dir = temp("retake");
    let now = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(1_795_305_600)); // 2026-11-22 00:00 UTC
    let clock = now.clone();
    let mut store =
        Store::open_with_clock(&dir, Box::new(move || clock.load(std::sync::atomic::Ordering::SeqCst))).expect("store");
    let admin = store.add_operator(None, "admin", Role::Admin, "246810").expect("admin");
    let op = store.add_operator(Some(&admin), "booth1", Role::Operator, "135790").expect("operator");
    store
        .import_students(
            &admin,
            &[StudentRecord { student_no: "R1".into(), name: "丙".into(), ..StudentRecord::default() }],
        )
        .expect("student");
    let student = store.student("R1").expect("R1");
    let policy =
        RetakePolicy { failed_checks_before_cooldown: 2, cooldown_minutes: 10, failures_before_lock: 3, max_drafts: 2 };
    let attempt = |failure| NewAttempt {
        student: &student,
        profile: "chsi-graduate",
        original: b"frame",
        photo: None,
        trail_json: "[]".into(),
        report_json: "null".into(),
        verdict: "fail",
        failure: Some(failure),
        error: None,
    };
    use tucai::store::FailureKind::{Checks, NoPhoto};
    store.record_attempt(&op, &attempt(Checks), &policy).expect("first");
    store.record_attempt(&op, &attempt(Checks), &policy).expect("second");
    let e = store.record_attempt(&op, &attempt(Checks), &policy).expect_err("cool-down");
    assert!(
        matches!(&e, StoreError::Refused(Refusal::CoolDown { until, .. }) if timestamp(*until) == "2026-11-22T00:10:00Z"),
        "{e}"
    );
    now.fetch_add(11 * 60, std::sync::atomic::Ordering::SeqCst);
    for _ in 0..3 {
        store.record_attempt(&op, &attempt(NoPhoto), &policy).expect("after the cool-down");
    }
    let e = store.record_attempt(&op, &attempt(NoPhoto), &policy).expect_err("locked");
    assert!(
        matches!(&e, StoreError::Refused(Refusal::Locked { until, .. }) if timestamp(*until) == "2026-11-22T16:00:00Z"),
        "{e}"
    );
    assert!(store.override_retake(&op, &student).is_err(), "an operator can't lift it");
    store.override_retake(&admin, &student).expect("an admin can");
    store.record_attempt(&op, &attempt(NoPhoto), &policy).expect("allowed after the override");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes [`xlsx::workbook`] of `rows` to `path`.
fn xlsx(path: &Path, rows: &[&[&str]]) {
    std::fs::write(path, xlsx::workbook(rows)).expect("write the workbook");
}

#[test]
fn xlsx_with_a_merged_title_row_imports() {
    let dir = temp("xlsx");
    let path = dir.join("roster.xlsx");
    xlsx(
        &path,
        &[
            &["2026届毕业生图像采集名单", "", "", "", ""],
            &["学号", "姓名", "身份证号", "学院", "班级"],
            &["2021001", "张三", "11010519491231002X", "信息学院", "软件1班"],
            &["2021002", "李四", "", "经管学院", "会计2班"],
            &["2021003", "", "", "经管学院", "会计2班"],
        ],
    );
    let roster = tucai::roster::read_roster(&path).expect("reads");
    let nos: Vec<&str> = roster.records.iter().map(|r| r.student_no.as_str()).collect();
    assert_eq!(nos, ["2021001", "2021002"], "{roster:?}");
    assert_eq!(roster.problems.len(), 1);
    assert_eq!(roster.problems[0].line, 5, "Excel row number: {:?}", roster.problems);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reimporting_updates_students_and_keeps_their_captures_and_damage_is_caught_on_read() {
    let dir = temp("reimport");
    let mut store = Store::open(&dir).expect("store");
    let admin = store.add_operator(None, "admin", Role::Admin, "246810").expect("admin");
    let mut record =
        StudentRecord {
            student_no: "U1".into(), name: "丁".into(), class: "一班".into(), ..StudentRecord::default()
        };
    store.import_students(&admin, std::slice::from_ref(&record)).expect("import");
    let student = store.student("U1").expect("U1");
    let policy = RetakePolicy::default();
    let a = NewAttempt {
        student: &student,
        profile: "chsi-graduate",
        original: b"original bytes",
        photo: Some(b"photo bytes"),
        trail_json: "[]".into(),
        report_json: "null".into(),
        verdict: "pass",
        failure: None,
        error: None,
    };
    let c = store.record_attempt(&admin, &a, &policy).expect("stored");
    record.class = "二班".into();
    let counts = store.import_students(&admin, &[record]).expect("re-import");
    assert_eq!((counts.added, counts.updated), (0, 1));
    let student = store.student("U1").expect("U1");
    assert_eq!(student.record.class, "二班");
    assert_eq!(store.captures_of(&student).expect("captures").len(), 1, "captures survive a re-import");
    drop(store);

    // Damage the photo's bytes behind the store's back: reading it says so.
    let db = dir.join(tucai::store::DB_FILE);
    assert_eq!(tucai::store::tamper_for_tests(&db, c.photo_sha256.as_deref().expect("photo")).ok(), Some(1));
    let store = Store::open(&dir).expect("still opens (the file is sound, one photo is not)");
    let e = store.blob(c.photo_sha256.as_deref().expect("photo")).expect_err("damage caught").to_string();
    assert!(e.contains("damaged"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_is_not_a_store_is_refused_in_words() {
    let dir = temp("notadb");
    std::fs::write(dir.join(tucai::store::DB_FILE), b"this is a text file, not a database at all").expect("write");
    let e = Store::open(&dir).map(|_| ()).expect_err("refused").to_string();
    assert!(e.contains("damaged") && e.contains("tucai backup"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
