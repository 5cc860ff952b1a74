//! Personal data under control (教学服〔2022〕10号): every command as nobody, a wrong PIN, an
//! operator, a reviewer and an admin — the role table decides, and a refused command writes
//! nothing; lockouts survive a restart and are audited; manifests are masked by default; an
//! encrypted export round-trips; purge removes the bytes from the file and nothing else; the
//! store's files are the owner's alone.

#[path = "common/cli.rs"]
#[allow(dead_code)] // `tucai` runs as the admin; these tests run as each account
mod cli;
#[path = "common/photo_store.rs"]
mod photo_store;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use photo_store::{Booth, booth, photo_jpeg, student_no};
use tucai::store::{LoginVia, Refusal, Role, Store, StoreError, StudentRecord};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tucai-access-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `tucai --lang en --data-dir DATA [--operator NAME] ARGS…` with `pin` as `TUCAI_PIN`.
fn run_as(data: &Path, who: Option<(&str, &str)>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tucai"));
    c.args(["--lang", "en", "--data-dir"]).arg(data);
    if let Some((name, pin)) = who {
        c.args(["--operator", name]).env("TUCAI_PIN", pin);
    } else {
        c.env_remove("TUCAI_PIN");
    }
    c.args(args).env_remove("TUCAI_CENTRAL").env("TUCAI_NEW_PIN", "135790").output().expect("tucai runs")
}

/// Everything the store holds but the audit trail, the outbox and the failed-login counts
/// (which a refused login is meant to write): equal before and after means nothing was written.
fn data_digest(data: &Path) -> String {
    let db = rusqlite::Connection::open(data.join("tucai.db")).expect("opens");
    let tables = [
        "SELECT student_no, name, id_number, status, purged_at FROM students ORDER BY id",
        "SELECT id, status FROM captures ORDER BY id",
        "SELECT sha256 FROM blobs ORDER BY sha256",
        "SELECT capture_id, decision FROM reviews ORDER BY id",
        "SELECT capture_id FROM prints ORDER BY id",
        "SELECT id, state FROM batches ORDER BY id",
        "SELECT name, role, pin_hash, disabled FROM operators ORDER BY id",
        "SELECT student_id FROM overrides ORDER BY id",
    ];
    let mut out = String::new();
    for sql in tables {
        let mut q = db.prepare(sql).expect("sql");
        let n = q.column_count();
        let rows = q
            .query_map([], |r| {
                Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).map(|v| v.as_bytes().ok()))).collect::<Vec<_>>())
            })
            .expect("rows");
        for row in rows {
            out.push_str(&row.expect("row").join("|"));
            out.push('\n');
        }
    }
    out
}

/// Phrases of a refusal by the gate: no login given, a wrong PIN or lockout, a role too low.
const REFUSED: [&str; 4] = ["needs a login", "wrong operator name or PIN", "locked until", "role"];

#[test]
fn every_command_as_nobody_a_wrong_pin_and_each_role() {
    let root = temp("matrix");
    let data = root.join("data");
    let (mut store, admin) = booth(&data, &Booth { roster: 0..6, shot: 0..4, approve: 0..2, ..Booth::default() });
    store.add_operator(Some(&admin), "op", Role::Operator, "246810").expect("operator");
    store.add_operator(Some(&admin), "rev", Role::Reviewer, "246810").expect("reviewer");
    store.add_operator(Some(&admin), "guessed", Role::Admin, "246810").expect("the account guessed at");
    store.add_operator(Some(&admin), "leaver", Role::Operator, "246810").expect("an account to disable");
    let earlier = root.join("earlier.db");
    store.backup(&earlier).expect("a backup to restore");
    let earlier_s = earlier.display().to_string();
    drop(store);
    let roster = root.join("roster.csv");
    std::fs::write(&roster, "学号,姓名,学院,班级\n2026000009,新同学,计算机学院,软件2201\n").expect("csv");
    let photo = root.join("shot.jpg");
    std::fs::write(&photo, photo_jpeg(99)).expect("photo");
    let (usb, pdf, cards, backup) =
        (root.join("usb"), root.join("sheet.pdf"), root.join("cards.pdf"), root.join("copy.db"));
    std::fs::create_dir_all(&usb).expect("usb");
    let [roster_s, photo_s, usb_s, pdf_s, cards_s, backup_s] =
        [&roster, &photo, &usb, &pdf, &cards, &backup].map(|p| p.display().to_string());
    let (s0, s2, s4, s5) = (student_no(0), student_no(2), student_no(4), student_no(5));
    let card = format!("TUCAI1|{s5}|学生5");
    // (command, the lowest role that may run it; None: no login at all).
    let commands: Vec<(Vec<&str>, Option<Role>)> = vec![
        (vec!["profiles"], None),
        (vec!["printers"], None),
        (vec!["export", "verify", &usb_s], None),
        (vec!["code", "scan", &card], Some(Role::Operator)),
        (vec!["capture", "--student", &s4, "--photo", &photo_s], Some(Role::Operator)),
        (vec!["accept", "--student", &s4], Some(Role::Operator)),
        (vec!["report"], Some(Role::Operator)),
        (vec!["review", "approve", "--student", &s2], Some(Role::Reviewer)),
        (vec!["unlock", "--student", &s5], Some(Role::Reviewer)),
        (vec!["report", "--missing"], Some(Role::Reviewer)),
        (vec!["print", "--student", &s0, "-o", &pdf_s], Some(Role::Reviewer)),
        (vec!["cards", "-o", &cards_s], Some(Role::Reviewer)),
        (vec!["export", "--to", &usb_s], Some(Role::Reviewer)),
        (vec!["report", "--missing", "--show-id"], Some(Role::Admin)),
        (vec!["roster", "import", &roster_s], Some(Role::Admin)),
        (vec!["operator", "add", "newcomer", "--role", "operator"], Some(Role::Admin)),
        (vec!["operator", "disable", "leaver"], Some(Role::Admin)),
        (vec!["operator", "passwd", "leaver"], Some(Role::Admin)),
        (vec!["backup", "-o", &backup_s], Some(Role::Admin)),
        (vec!["check-store"], Some(Role::Admin)),
        (vec!["sync", "status"], Some(Role::Admin)),
        (vec!["central", "init"], Some(Role::Admin)),
        (vec!["purge", "--exported-before", "2000-01-01", "--dry-run"], Some(Role::Admin)),
        // Last: the admin's run puts the earlier store back.
        (vec!["restore", &earlier_s], Some(Role::Admin)),
    ];
    let outputs = [&pdf, &cards, &backup];
    let identities: [(&str, Option<(&str, &str)>, Option<Role>); 5] = [
        ("nobody", None, None),
        ("a wrong PIN", Some(("guessed", "999999")), None),
        ("operator", Some(("op", "246810")), Some(Role::Operator)),
        ("reviewer", Some(("rev", "246810")), Some(Role::Reviewer)),
        ("admin", Some(("admin", "246810")), Some(Role::Admin)),
    ];
    for (command, needs) in &commands {
        for (label, who, role) in &identities {
            let before = data_digest(&data);
            let o = run_as(&data, *who, command);
            let text = cli::out(&o);
            let allowed = match (needs, role) {
                (None, _) => true,
                (Some(needed), Some(has)) => has >= needed,
                (Some(_), None) => false,
            };
            let refused_by_gate = REFUSED.iter().any(|p| text.contains(p));
            if allowed {
                assert!(!refused_by_gate, "{label} may run {command:?}:\n{text}");
            } else {
                assert_eq!(o.status.code(), Some(2), "{label} runs {command:?}:\n{text}");
                assert!(refused_by_gate, "{label} is refused {command:?} in words:\n{text}");
                assert_eq!(data_digest(&data), before, "{label} running {command:?} changed the store");
                for file in outputs {
                    assert!(!file.exists(), "{label} running {command:?} wrote {}", file.display());
                }
                let batches = std::fs::read_dir(&usb).expect("usb").count();
                assert_eq!(batches, 0, "{label} running {command:?} exported");
            }
        }
        // What the admin's run wrote must not mask a later refusal.
        for file in outputs {
            let _ = std::fs::remove_file(file);
        }
        for batch in std::fs::read_dir(&usb).expect("usb").flatten() {
            let _ = std::fs::remove_dir_all(batch.path());
        }
        // The disabled account (its PIN set by the admin) can no longer log in, in words.
        if command.starts_with(&["operator", "passwd"]) {
            let o = run_as(&data, Some(("leaver", "135790")), &["report"]);
            assert!(cli::out(&o).contains("disabled"), "{}", cli::out(&o));
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A store clock the test moves (seconds since the epoch).
fn moving_clock() -> (std::sync::Arc<std::sync::atomic::AtomicI64>, tucai::store::Clock) {
    let now = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(1_800_000_000));
    let read = now.clone();
    (now, Box::new(move || read.load(std::sync::atomic::Ordering::SeqCst)))
}

#[test]
fn five_wrong_pins_lock_the_name_across_restarts_and_every_failure_is_audited() {
    let dir = temp("lockout");
    let (now, clock) = moving_clock();
    let mut store = Store::open_with_clock(&dir, clock).expect("opens");
    let short = store.add_operator(None, "admin", Role::Admin, "1234").err().expect("4 digits refused");
    assert!(matches!(short, StoreError::Refused(Refusal::PinTooShort { min_digits: 6 })));
    store.add_operator(None, "admin", Role::Admin, "246810").expect("6 digits");
    for name in ["admin", "nobody-here"] {
        for _ in 0..4 {
            let e = store.login(name, "000000", LoginVia::Cli).err().expect("refused");
            assert!(matches!(e, StoreError::Refused(Refusal::WrongPin { .. })), "an unknown name answers alike: {e:?}");
        }
        let e = store.login(name, "000000", LoginVia::Window).err().expect("refused");
        assert!(matches!(e, StoreError::Refused(Refusal::LockedOut { until, .. }) if until == 1_800_000_000 + 300));
    }
    drop(store);
    let clock: tucai::store::Clock = {
        let read = now.clone();
        Box::new(move || read.load(std::sync::atomic::Ordering::SeqCst))
    };
    let mut store = Store::open_with_clock(&dir, clock).expect("reopens");
    let e = store.login("admin", "246810", LoginVia::Cli).err().expect("still locked after a restart");
    assert!(matches!(e, StoreError::Refused(Refusal::LockedOut { .. })));
    now.fetch_add(301, std::sync::atomic::Ordering::SeqCst);
    store.login("admin", "246810", LoginVia::Cli).expect("the right PIN after the lockout");
    drop(store);
    let db = rusqlite::Connection::open(dir.join("tucai.db")).expect("opens");
    let audited: Vec<(String, String, String)> = db
        .prepare("SELECT action, entity_id, after FROM audit WHERE action LIKE 'login%' ORDER BY id")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    let failed = audited.iter().filter(|(a, _, _)| a == "login_failed").count();
    assert_eq!(failed, 10, "every wrong PIN, known name or not: {audited:?}");
    assert!(audited.iter().any(|(a, n, _)| a == "login_refused_locked" && n == "admin"));
    assert!(audited.iter().any(|(_, _, after)| after.contains("\"via\":\"window\"")));
    // The second lockout lasts twice as long.
    let (now, clock) = moving_clock();
    let dir2 = temp("lockout-twice");
    let mut store = Store::open_with_clock(&dir2, clock).expect("opens");
    store.add_operator(None, "admin", Role::Admin, "246810").expect("admin");
    let mut lock = || (0..5).filter_map(|_| store.login("admin", "1", LoginVia::Cli).err()).last();
    assert!(matches!(lock(), Some(StoreError::Refused(Refusal::LockedOut { until, .. })) if until == 1_800_000_300));
    now.fetch_add(301, std::sync::atomic::Ordering::SeqCst);
    let second = lock();
    assert!(
        matches!(second, Some(StoreError::Refused(Refusal::LockedOut { until, .. })) if until == 1_800_000_301 + 600)
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

#[test]
fn a_short_pin_logs_in_once_and_must_be_changed_first() {
    let root = temp("short-pin");
    let data = root.join("data");
    drop(booth(&data, &Booth { roster: 0..2, ..Booth::default() }));
    // An account from before the 6-digit rule: its hash is of a 4-digit PIN.
    let db = rusqlite::Connection::open(data.join("tucai.db")).expect("opens");
    let old_hash: String = {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default().hash_password(b"2468").expect("hash").to_string()
    };
    db.execute("UPDATE operators SET pin_hash = ?1 WHERE name = 'admin'", [old_hash]).expect("old account");
    drop(db);
    let o = run_as(&data, Some(("admin", "2468")), &["report"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(cli::out(&o).contains("operator passwd"), "{}", cli::out(&o));
    let o = run_as(&data, Some(("admin", "2468")), &["operator", "passwd"]);
    assert_eq!(o.status.code(), Some(0), "{}", cli::out(&o));
    let o = run_as(&data, Some(("admin", "135790")), &["report"]);
    assert_eq!(o.status.code(), Some(0), "{}", cli::out(&o));
    let _ = std::fs::remove_dir_all(&root);
}

/// A store with students who have ID numbers, approved photos, exported before today.
fn store_with_ids(data: &Path, n: usize) {
    let (mut store, admin) = booth(data, &Booth { roster: 0..n, shot: 0..n, approve: 0..n, ..Booth::default() });
    let records: Vec<StudentRecord> = (0..n)
        .map(|i| {
            let mut r = store.student(&student_no(i)).expect("student").record;
            r.id_number = Some("11010519491231002X".into());
            r
        })
        .collect();
    store.import_students(&admin, &records).expect("ID numbers");
}

#[test]
fn manifests_are_masked_by_default_and_an_encrypted_export_round_trips() {
    let root = temp("export");
    let data = root.join("data");
    store_with_ids(&data, 3);
    let admin = Some(("admin", "246810"));
    let usb = root.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    let o = run_as(&data, admin, &["export", "--to", &usb.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", cli::out(&o));
    let batch = std::fs::read_dir(&usb).expect("usb").flatten().next().expect("a batch").path();
    let manifest = std::fs::read_to_string(batch.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("110***********002X") && !manifest.contains("11010519491231002X"), "{manifest}");
    let mode = std::fs::metadata(batch.join("manifest.json")).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "exported files are the owner's");
    let db = rusqlite::Connection::open(data.join("tucai.db")).expect("opens");
    let leaks: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE after LIKE '%11010519491231002X%' OR before LIKE '%11010519491231002X%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(leaks, 0, "audit rows never hold a whole ID number");
    drop(db);

    // Encrypted: a new photo, exported with a password from an owner-only file.
    let more = root.join("more");
    store_with_ids(&more, 2);
    let (pw, wrong, open_file) = (root.join("pw"), root.join("wrong"), root.join("open"));
    for (file, text, mode) in [
        (&pw, "correct horse battery", 0o600),
        (&wrong, "incorrect donkey staple", 0o600),
        (&open_file, "correct horse battery", 0o644),
    ] {
        std::fs::write(file, format!("{text}\n")).expect("password file");
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let sealed = root.join("sealed");
    std::fs::create_dir_all(&sealed).expect("dir");
    let sealed_s = sealed.display().to_string();
    let o = run_as(
        &more,
        admin,
        &["export", "--to", &sealed_s, "--encrypt", "--password-file", &open_file.display().to_string()],
    );
    assert_eq!(o.status.code(), Some(2), "a password file others can read is refused");
    assert!(cli::out(&o).contains("chmod 600"), "{}", cli::out(&o));
    let o =
        run_as(&more, admin, &["export", "--to", &sealed_s, "--encrypt", "--password-file", &pw.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", cli::out(&o));
    let batch = std::fs::read_dir(&sealed).expect("dir").flatten().next().expect("a batch").path();
    let beside = std::fs::read_to_string(batch.join("manifest.json")).expect("manifest");
    assert!(!beside.contains("学生") && !beside.contains("002X") && beside.contains("\"encrypted\": true"), "{beside}");
    assert!(
        batch.join("manifest.zip").exists() && !batch.join("photos").read_dir().is_ok_and(|mut d| d.next().is_some())
    );
    let verify = |extra: &[&str]| {
        let mut args = vec!["export", "verify", batch.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        run_as(&more, None, &args)
    };
    let o = verify(&["--password-file", &pw.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", cli::out(&o));
    assert!(cli::out(&o).contains("2 of 2"), "{}", cli::out(&o));
    let o = verify(&["--password-file", &wrong.display().to_string()]);
    assert_eq!(o.status.code(), Some(1), "{}", cli::out(&o));
    assert!(cli::out(&o).contains("wrong password"), "{}", cli::out(&o));
    let _ = std::fs::remove_dir_all(&root);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn purge_removes_exported_students_bytes_and_id_numbers_and_nothing_else() {
    let root = temp("purge");
    let data = root.join("data");
    store_with_ids(&data, 3);
    let admin = Some(("admin", "246810"));
    let usb = root.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    // Students 0–2 exported; then student 3 is photographed and approved, not exported.
    assert_eq!(run_as(&data, admin, &["export", "--to", &usb.display().to_string()]).status.code(), Some(0));
    drop(booth(&data, &Booth { roster: 3..4, shot: 3..4, approve: 3..4, ..Booth::default() }));
    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let dry = run_as(&data, admin, &["purge", "--exported-before", &tomorrow, "--dry-run", "--json"]);
    let dry: serde_json::Value = serde_json::from_slice(&dry.stdout).expect("json");
    assert_eq!((dry["students"].as_array().map(Vec::len), dry["done"].as_bool()), (Some(3), Some(false)));
    let db_bytes = || {
        let mut b = std::fs::read(data.join("tucai.db")).expect("db");
        b.extend(std::fs::read(data.join("tucai.db-wal")).unwrap_or_default());
        b
    };
    // A stretch from the middle of each photo: JPEG headers are alike, the entropy-coded data is not.
    let piece = |i: usize| {
        let j = photo_jpeg(i);
        j[j.len() / 2..j.len() / 2 + 64].to_vec()
    };
    assert!(contains(&db_bytes(), &piece(0)), "the photo is in the file before");
    let waiting = Store::open(&data).expect("opens").awaiting_purge(&tomorrow).expect("count");
    assert_eq!(waiting, 3, "what the window reminds an admin of");
    let o = run_as(&data, admin, &["purge", "--exported-before", &tomorrow]);
    assert_eq!(o.status.code(), Some(0), "{}", cli::out(&o));
    assert!(cli::out(&o).contains("purged 3 students"), "{}", cli::out(&o));
    let bytes = db_bytes();
    for i in 0..3 {
        assert!(!contains(&bytes, &piece(i)), "student {i}'s photo bytes are gone from the file");
    }
    assert!(contains(&bytes, &piece(3)), "the student not exported keeps their photo");
    let store = Store::open(&data).expect("opens (integrity_check ok)");
    let counts = store.report(None).expect("report");
    assert_eq!(counts[0].total, 4, "counts stay");
    assert_eq!(store.student(&student_no(0)).expect("row stays").record.id_number, None);
    assert!(store.blob(&tucai::store::sha256_hex(&photo_jpeg(3))).is_ok(), "…and it still reads back whole");
    drop(store);
    let db = rusqlite::Connection::open(data.join("tucai.db")).expect("opens");
    let check: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check");
    assert_eq!(check, "ok");
    let purged: i64 =
        db.query_row("SELECT COUNT(*) FROM audit WHERE action = 'purge'", [], |r| r.get(0)).expect("audit");
    assert_eq!(purged, 1);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_store_is_the_owners_alone() {
    let root = temp("perms");
    let data = root.join("data");
    let (store, _) = booth(&data, &Booth { roster: 0..1, ..Booth::default() });
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("tucai.db")), 0o600);
    // SQLite gives its WAL the database's permissions (the WAL exists while the store is open).
    assert_eq!(mode(&data.join("tucai.db-wal")), 0o600);
    drop(store);
    let backup = root.join("copy.db");
    let o = run_as(&data, Some(("admin", "246810")), &["backup", "-o", &backup.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", cli::out(&o));
    assert_eq!(mode(&backup), 0o600);
    let _ = std::fs::remove_dir_all(&root);
}
