//! Sync against a real PostgreSQL (`TUCAI_TEST_CENTRAL`, see tests/common/central.rs): two
//! booths and an office make one collection; a connection cut mid-batch; a booth whose clock
//! is hours off; conflicts and the rule; the office's export is the union; faults say what
//! happened and never show the password.

#[path = "common/central.rs"]
mod central;
#[path = "common/cli.rs"]
mod cli;
#[path = "common/photo_store.rs"]
mod photo_store;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use central::{TEST_SECRET, connect, fresh_database, server};
use cli::{out, tucai};
use photo_store::{Booth, booth, passing_attempt, photo_jpeg, student_no};
use tucai::progress::Progress;
use tucai::store::{Store, StudentStatus, sha256_hex};
use tucai::sync::{CentralUrl, SyncOptions};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tucai-sync-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `tucai --data-dir DATA --central URL ARGS…`, checked never to print the password:
/// (exit code, all it printed).
fn tucai_central(data: &Path, url: &str, args: &[&str]) -> (Option<i32>, String) {
    let (code, _, text) = tucai_central_out(data, url, args);
    (code, text)
}

/// [`tucai_central`] with stdout on its own: (exit code, stdout, all it printed).
fn tucai_central_out(data: &Path, url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    // The test server's certificate cannot be verified (see `central::INSECURE`); syncing needs an admin.
    let mut all = vec!["--central", url, "--insecure-tls"];
    if !args.contains(&"--operator") {
        all.extend(["--operator", "admin"]);
    }
    all.extend_from_slice(args);
    let o = tucai(data, &all);
    let text = out(&o);
    assert!(!text.contains(TEST_SECRET), "the password was printed: {text}");
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), text)
}

/// (capture id, photo hash) of a station's captures, on the booth and on the server.
fn captures_here(data: &Path, station: &str) -> Vec<(String, Option<String>)> {
    let db = rusqlite::Connection::open(data.join("tucai.db")).expect("opens");
    let mut q = db.prepare("SELECT id, photo_sha256 FROM captures WHERE station_id = ?1 ORDER BY id").expect("sql");
    q.query_map([station], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows").map(|r| r.expect("row")).collect()
}

fn captures_central(client: &mut postgres::Client, station: &str) -> Vec<(String, Option<String>)> {
    client
        .query("SELECT id, photo_sha256 FROM captures WHERE station_id = $1 ORDER BY id COLLATE \"C\"", &[&station])
        .expect("rows")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// Runs `tucai sync` on `data` and cuts its connection from the server's side while a batch
/// is open (after `after_batches` batches committed). Returns what the booth printed.
fn sync_cut_mid_batch(data: &Path, url: &str, after_batches: i64) -> String {
    let mut watcher = connect(url);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tucai"))
        .args(["--lang", "en", "--data-dir"])
        .arg(data)
        .args(["sync", "--central", url, "--insecure-tls", "--operator", "admin", "--batch", "100"])
        .env("TUCAI_PIN", "246810")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut cut = false;
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline && child.try_wait().expect("waits").is_none() {
        let batches: i64 = watcher
            .query_one("SELECT COALESCE(MAX(batches), 0)::bigint FROM stations", &[])
            .map(|r| r.get(0))
            .unwrap_or(0);
        let open: Vec<i32> = watcher
            .query(
                "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'tucai-sync%'
                 AND xact_start IS NOT NULL AND datname = current_database()",
                &[],
            )
            .expect("activity")
            .iter()
            .map(|r| r.get(0))
            .collect();
        if batches >= after_batches
            && let Some(pid) = open.first()
        {
            let done: bool = watcher.query_one("SELECT pg_terminate_backend($1)", &[pid]).expect("terminates").get(0);
            cut = done;
            if cut {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let o = child.wait_with_output().expect("ends");
    let text = out(&o);
    assert!(cut, "the sync ended before its connection could be cut: {text}");
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(!text.contains(TEST_SECRET), "{text}");
    text
}

#[test]
fn two_booths_and_an_office_make_one_collection() {
    let Some(server) = server() else { return };
    let url = fresh_database(&server, "tucai_t_collection");
    let root = temp("collection");
    let (dir_a, dir_b, dir_office) = (root.join("booth-a"), root.join("booth-b"), root.join("office"));

    // Booth B first (earlier in truth) with a clock three hours fast; then booth A. Students
    // 490–509 are photographed at both, accepted but not reviewed.
    let (mut store_b, _) = booth(
        &dir_b,
        &Booth { roster: 490..1000, shot: 490..1000, shade_offset: 5000, approve: 510..1000, clock_offset_s: 3 * 3600 },
    );
    let (store_a, _) = booth(&dir_a, &Booth { roster: 0..510, shot: 0..510, approve: 0..490, ..Booth::default() });
    let (station_a, station_b) = (store_a.station_id().to_owned(), store_b.station_id().to_owned());
    drop(store_a);
    booth(&dir_office, &Booth::default());

    let (code, text) = tucai_central(&dir_a, &url, &["central", "init"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = tucai_central(&dir_a, &url, &["central", "init"]);
    assert!(code == Some(0) && text.contains("up to date"), "{text}");

    // Booth A: the connection is cut while its third batch is open; nothing of that batch is
    // on the server, nothing sent is lost, and the next run completes it.
    let text = sync_cut_mid_batch(&dir_a, &url, 2);
    assert!(text.contains("was lost") && text.contains("run the sync again"), "{text}");
    let mut central = connect(&url);
    let applied: i64 =
        central.query_one("SELECT applied_seq FROM stations WHERE station_id = $1", &[&station_a]).expect("row").get(0);
    let waiting_from: i64 = rusqlite::Connection::open(dir_a.join("tucai.db"))
        .expect("opens")
        .query_row("SELECT MIN(seq) FROM outbox", [], |r| r.get(0))
        .expect("the rest waits");
    // Whatever the server has not applied still waits here. (Were the cut to fall between the
    // server's commit and its acknowledgement, that batch would wait too, and go again harmlessly.)
    assert!(applied >= 200 && waiting_from <= applied + 1, "applied {applied}, waiting from {waiting_from}");

    let started = Instant::now();
    let (code, text) = tucai_central(&dir_a, &url, &["sync"]);
    let seconds_a = started.elapsed().as_secs_f64();
    assert_eq!(code, Some(0), "{text}");
    let url_parsed = CentralUrl::parse(&url, &central::INSECURE).expect("parses");
    let started = Instant::now();
    let report_b = tucai::sync::sync(&mut store_b, &url_parsed, &SyncOptions::default(), &Progress::default())
        .expect("booth B syncs");
    let seconds_b = started.elapsed().as_secs_f64();
    assert_eq!(report_b.captures, 510);
    assert!((report_b.clock_skew_s - 3 * 3600).abs() < 60, "skew {}", report_b.clock_skew_s);
    eprintln!(
        "MEASURED sync: booth A resumed {seconds_a:.2} s (CLI, 510 captures); booth B {seconds_b:.2} s, {} captures, \
         {} photos, {} batches, {} bytes sent",
        report_b.captures, report_b.photos_sent, report_b.batches, report_b.bytes_sent
    );

    // Counts and hashes agree on both sides, and every photo's bytes match their hash.
    for (dir, station) in [(&dir_a, &station_a), (&dir_b, &station_b)] {
        let here = captures_here(dir, station);
        assert_eq!(here.len(), 510);
        assert_eq!(here, captures_central(&mut central, station));
    }
    let bad: i64 = central
        .query_one("SELECT COUNT(*) FROM blobs WHERE encode(sha256(bytes), 'hex') <> sha256", &[])
        .expect("count")
        .get(0);
    let photos: i64 = central.query_one("SELECT COUNT(*) FROM blobs", &[]).expect("count").get(0);
    assert_eq!((bad, photos), (0, 1020));

    // The office: the whole collection, the rule for the 20 conflicts (A's photos are later
    // in truth although B's clock says otherwise), a reviewer's pick, a rejection.
    let (code, stdout, text) = tucai_central_out(&dir_office, &url, &["report", "--json"]);
    assert_eq!(code, Some(0), "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        (json[0]["total"].as_i64(), json[0]["approved"].as_i64(), json[0]["accepted"].as_i64()),
        (Some(1000), Some(980), Some(20))
    );
    let (code, stdout, text) = tucai_central_out(&dir_office, &url, &["sync", "status", "--json"]);
    assert_eq!(code, Some(0), "{text}");
    let status: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let conflicts = status["conflicts"].as_array().expect("list");
    assert_eq!(conflicts.len(), 20);
    for c in conflicts {
        let counting = &c["candidates"][c["counting"].as_u64().expect("index") as usize];
        assert_eq!(counting["station_id"], station_a.as_str(), "{c}");
    }
    let pick = format!("{station_b}-{}-1", student_no(495));
    let (code, text) = tucai_central(
        &dir_office,
        &url,
        &["--operator", "admin", "review", "approve", "--student", &student_no(495), "--capture", &pick],
    );
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = tucai_central(
        &dir_office,
        &url,
        &["--operator", "admin", "review", "reject", "--student", &student_no(100), "--reason", "背景不是纯色，请重拍"],
    );
    assert_eq!(code, Some(0), "{text}");

    // The office corrects a name on the roster; it goes out with the next sync.
    let fix = root.join("fix.csv");
    std::fs::write(&fix, format!("学号,姓名,学院,专业,班级\n{},欧阳学生五,计算机学院,,软件2201\n", student_no(5)))
        .expect("csv");
    let (code, text) =
        tucai_central(&dir_office, &url, &["--operator", "admin", "roster", "import", fix.to_str().expect("utf-8")]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = tucai_central(&dir_office, &url, &["sync"]);
    assert_eq!(code, Some(0), "{text}");

    // Office printing works on photos taken anywhere (their bytes came with the office copy),
    // and the print is on record centrally.
    let pdf = root.join("sheet.pdf");
    let (code, text) = tucai_central(
        &dir_office,
        &url,
        &[
            "--operator",
            "admin",
            "print",
            "--student",
            &student_no(700),
            "--paper",
            "6in",
            "-o",
            pdf.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, Some(0), "{text}");
    assert!(std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 10_000), "{text}");
    let printed: i64 =
        central.query_one("SELECT COALESCE(SUM(copies), 0)::bigint FROM prints", &[]).expect("sum").get(0);
    assert_eq!(printed, 5);

    // Booth A hears of it all: student 100 is to be recalled; 495's photo from B counts; the
    // corrected name.
    let (code, text) = tucai_central(&dir_a, &url, &["sync"]);
    assert_eq!(code, Some(0), "{text}");
    let store_a = Store::open(&dir_a).expect("opens");
    assert_eq!(store_a.student(&student_no(100)).expect("student").status, StudentStatus::ToRecall);
    assert_eq!(store_a.student(&student_no(5)).expect("student").record.name, "欧阳学生五");
    let conflict =
        store_a.conflicts().expect("conflicts").into_iter().find(|c| c.student.record.student_no == student_no(495));
    let conflict = conflict.expect("495 has two photos");
    assert_eq!(conflict.candidates[conflict.counting].capture_id, pick);
    drop(store_a);
    // Its bytes are at booth B: booth A can't print it, and says where it is.
    let pdf_a = root.join("booth-a.pdf");
    let o = tucai(
        &dir_a,
        &["--operator", "admin", "print", "--student", &student_no(495), "-o", pdf_a.to_str().expect("utf-8")],
    );
    let text = out(&o);
    let said = format!("taken at booth {station_b} and is not stored here");
    assert!(o.status.code() != Some(0) && text.contains(&said), "{text}");

    // The office's export is the union: one photo per student, by the rule.
    let usb = root.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    let (code, text) = tucai_central(
        &dir_office,
        &url,
        &[
            "--operator",
            "admin",
            "export",
            "--to",
            usb.to_str().expect("utf-8"),
            "--status",
            "accepted",
            "--zip-max-files",
            "200",
        ],
    );
    assert_eq!(code, Some(0), "{text}");
    let batch = std::fs::read_dir(&usb).expect("batch").next().expect("one batch").expect("entry").path();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(batch.join("manifest.json")).expect("manifest")).expect("json");
    let mut exported: Vec<String> = manifest["photos"]
        .as_array()
        .expect("photos")
        .iter()
        .map(|p| p["sha256"].as_str().expect("hash").to_owned())
        .collect();
    exported.sort();
    let mut expected: Vec<String> = (0..1000)
        .filter(|&i| i != 100)
        .map(|i| {
            let from_b = i >= 510 || i == 495;
            sha256_hex(&photo_jpeg(i + if from_b { 5000 } else { 0 }))
        })
        .collect();
    expected.sort();
    assert_eq!(exported.len(), 999);
    assert_eq!(exported, expected);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn faults_say_what_happened_and_lose_nothing() {
    let Some(server) = server() else { return };
    let url = fresh_database(&server, "tucai_t_faults");
    let root = temp("faults");
    let dir = root.join("booth");
    let (store, _) = booth(&dir, &Booth { roster: 0..30, shot: 0..20, approve: 0..10, ..Booth::default() });
    let station = store.station_id().to_owned();
    let pending_before = store.pending().expect("pending").entries;
    drop(store);

    // Not set up yet: says how to set it up.
    let (code, text) = tucai_central(&dir, &url, &["sync"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("tucai central init"), "{text}");
    tucai_central(&dir, &url, &["central", "init"]);

    // A server that is down, and a wrong password: clear words, no password, nothing lost.
    let (prefix, rest) = url.split_once("@").expect("url");
    let (_, database) = rest.split_once('/').expect("url");
    let down = format!("{prefix}@127.0.0.1:1/{database}");
    let (code, text) = tucai_central(&dir, &down, &["sync"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("cannot reach the central server postgres://tucai_test:***@127.0.0.1:1/"), "{text}");
    let wrong = url.replace(TEST_SECRET, "not-the-password");
    let o = tucai(&dir, &["--central", &wrong, "--insecure-tls", "--operator", "admin", "sync"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(!text.contains("not-the-password") && text.contains("password authentication failed"), "{text}");
    let mut store = Store::open(&dir).expect("opens");
    assert_eq!(store.pending().expect("pending").entries, pending_before);

    // The booth keeps working meanwhile: a new student is photographed and waits in the outbox.
    let admin = store.login("admin", "246810", tucai::store::LoginVia::Cli).expect("login");
    let student = store.student(&student_no(25)).expect("on the roster");
    let jpeg = photo_jpeg(25);
    let attempt = passing_attempt(&student, &jpeg);
    store.record_attempt(&admin, &attempt, &tucai::profile::RetakePolicy::default()).expect("stored offline");
    assert!(store.pending().expect("pending").entries > pending_before);

    // A batch applied twice (its acknowledgement lost) leaves no duplicate.
    let parsed = CentralUrl::parse(&url, &central::INSECURE).expect("parses");
    let mut client = parsed.connect("tucai-test").expect("connects");
    tucai::sync::central::open(&mut client, parsed.shown()).expect("schema");
    let changes = store.outgoing(10_000).expect("changes");
    let identity = store.identity().expect("identity");
    assert_eq!(identity.station_id, station);
    store.note_in_flight(changes.last_seq).expect("noted");
    for again in [false, true] {
        let sent = tucai::sync::central::push(&mut client, &identity, 0, &changes, &mut |sha| store.blob(sha))
            .expect("applied");
        assert_eq!(sent.already, again);
    }
    let mut central = connect(&url);
    let count = |c: &mut postgres::Client, table: &str| -> i64 {
        c.query_one(&format!("SELECT COUNT(*) FROM {table}"), &[]).expect("count").get(0)
    };
    let counts = |c: &mut postgres::Client| ["captures", "reviews", "audit", "students", "blobs"].map(|t| count(c, t));
    let once = counts(&mut central);
    assert_eq!(once[0..2], [21, 10]);
    let report = tucai::sync::sync(&mut store, &parsed, &SyncOptions::default(), &Progress::default()).expect("syncs");
    assert_eq!(report.captures, 0, "the batch noted in flight is known applied from the server's record");
    assert_eq!(counts(&mut central), once, "…and nothing changed");
    assert_eq!(store.pending().expect("pending").entries, 0);

    // With default settings the server's certificate must be verified: Debian's self-signed
    // one (or no TLS at all) is refused; a weak mode is refused unless --insecure-tls is said.
    let plain = url.split_once('?').map_or(url.as_str(), |(u, _)| u);
    let o = tucai(&dir, &["--central", plain, "--operator", "admin", "sync"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(text.contains("certificate") || text.contains("TLS"), "{text}");
    let o = tucai(&dir, &["--central", &url, "--operator", "admin", "sync"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(text.contains("sslmode=prefer") && text.contains("--insecure-tls"), "{text}");

    // TLS when the URL asks for it (Debian's cluster has it on, with its snakeoil certificate).
    let ssl_on: String = central.query_one("SHOW ssl", &[]).expect("ssl").get(0);
    if ssl_on == "on" {
        let tls =
            CentralUrl::parse(&url.replace("sslmode=prefer", "sslmode=require"), &central::INSECURE).expect("parses");
        let mut client = tls.connect("tucai-test-tls").expect("TLS connects");
        let encrypted: bool =
            client.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).expect("ssl row").get(0);
        assert!(encrypted);
        let (code, text) = tucai_central(&dir, &url.replace("sslmode=prefer", "sslmode=require"), &["sync"]);
        assert!(text.contains("certificate was not verified"), "every insecure sync says so: {text}");
        assert_eq!(code, Some(0), "{text}");
        // Its certificate is self-signed: verifying it against the system's authorities fails, saying so.
        let (code, text) = tucai_central(&dir, &url.replace("sslmode=prefer", "sslmode=verify-full"), &["sync"]);
        assert_eq!(code, Some(2), "{text}");
        assert!(text.contains("certificate"), "{text}");
    } else {
        eprintln!("SKIPPED (TLS part): the test server has ssl = {ssl_on}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// Copies a data folder's files (the database and its WAL) as an admin would copy the folder.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copies");
        }
    }
}

/// What the server holds, row by row, as one text (to show that a refused sync changed nothing).
fn server_rows(client: &mut postgres::Client) -> String {
    let mut all = String::new();
    for query in [
        "SELECT id || status || COALESCE(photo_sha256, '') FROM captures ORDER BY 1",
        "SELECT uid || decision FROM reviews ORDER BY 1",
        "SELECT station_id || '/' || local_id || action FROM audit ORDER BY 1",
        "SELECT student_no || name || class FROM students ORDER BY 1",
        "SELECT station_id || applied_seq || COALESCE(install_id, '') FROM stations ORDER BY 1",
    ] {
        for row in client.query(query, &[]).expect("rows") {
            all.push_str(&row.get::<_, String>(0));
            all.push('\n');
        }
    }
    all
}

/// Every file under `dir` with its bytes.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).expect("file")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_restored_backup_and_a_copied_folder_never_mix_with_the_original() {
    let Some(server) = server() else { return };
    let url = fresh_database(&server, "tucai_t_restore");
    let root = temp("restore");
    let (dir_a, dir_copy) = (root.join("booth-a"), root.join("copy"));
    let backup = root.join("backup.db");
    let s = |p: &Path| p.to_str().expect("utf-8").to_owned();

    // Booth A syncs 10 students; shoots 5 more (not yet sent) and is backed up; shoots 5 more
    // and syncs all. Then its folder is copied to a second PC.
    let (store, _) = booth(&dir_a, &Booth { roster: 0..40, shot: 0..10, approve: 0..5, ..Booth::default() });
    let station_a = store.station_id().to_owned();
    drop(store);
    tucai_central(&dir_a, &url, &["central", "init"]);
    let (code, text) = tucai_central(&dir_a, &url, &["sync"]);
    assert_eq!(code, Some(0), "{text}");
    drop(booth(&dir_a, &Booth { roster: 0..40, shot: 10..15, ..Booth::default() }));
    let o = tucai(&dir_a, &["--operator", "admin", "backup", "-o", &s(&backup)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    drop(booth(&dir_a, &Booth { roster: 0..40, shot: 15..20, approve: 15..20, ..Booth::default() }));
    let (code, text) = tucai_central(&dir_a, &url, &["sync"]);
    assert_eq!(code, Some(0), "{text}");
    copy_folder(&dir_a, &dir_copy);
    let usb = root.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    let o = tucai(&dir_a, &["--operator", "admin", "export", "--to", &s(&usb), "--status", "accepted"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let delivered = files_under(&usb);

    let mut central = connect(&url);
    let before = server_rows(&mut central);
    let a_on_server = captures_central(&mut central, &station_a);
    assert_eq!(a_on_server.len(), 20);

    // Shoots two students and approves one, at `dir`, with photos of its own (`shade`); also
    // student 17, whom A shot after the backup.
    let shoot = |dir: &Path, shade: usize| {
        let (store, _) = booth(
            dir,
            &Booth { roster: 0..40, shot: 30..32, approve: 30..31, shade_offset: shade, ..Booth::default() },
        );
        drop(store);
        drop(booth(dir, &Booth { roster: 0..40, shot: 17..18, shade_offset: shade, ..Booth::default() }));
    };

    // (a) The folder copied to a second PC and (b) the backup copied by hand onto a spare PC:
    // each notices at once that it lives in another file and takes a station id of its own.
    let dir_hand = root.join("by-hand");
    std::fs::create_dir_all(&dir_hand).expect("spare PC's data folder");
    std::fs::copy(&backup, dir_hand.join("tucai.db")).expect("put back by hand");
    for dir in [&dir_copy, &dir_hand] {
        let o = tucai(dir, &["--operator", "admin", "report"]);
        let text = out(&o);
        assert_eq!(o.status.code(), Some(0), "{text}");
        assert!(text.contains("this data folder was copied") && text.contains(&station_a), "{text}");
    }
    // (c) The backup copied over a file the store already knew (the same file): from the inside
    // it is station A. It works on (also shooting student 17 again: same id as A's, another
    // photo), and its sync is refused in words before anything is applied.
    let dir_same = root.join("same-file");
    std::fs::create_dir_all(&dir_same).expect("folder");
    std::fs::copy(&backup, dir_same.join("tucai.db")).expect("copied");
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(dir_same.join("tucai.db")).expect("file");
        let db = rusqlite::Connection::open(dir_same.join("tucai.db")).expect("opens");
        db.execute("UPDATE meta SET value = ?1 WHERE key = 'store_file'", [format!("{}:{}", meta.dev(), meta.ino())])
            .expect("same file");
    }
    shoot(&dir_same, 9000);
    assert_eq!(Store::open(&dir_same).expect("opens").station_id(), station_a);
    let (code, text) = tucai_central(&dir_same, &url, &["sync"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("older backup") && text.contains("Nothing was sent"), "{text}");
    let o = Command::new(env!("CARGO_BIN_EXE_tucai"))
        .args(["--lang", "zh", "--data-dir", &s(&dir_same), "--central", &url, "--insecure-tls", "--operator", "admin"])
        .arg("sync")
        .env("TUCAI_PIN", "246810")
        .output()
        .expect("runs");
    assert!(out(&o).contains("较旧的备份") && out(&o).contains("tucai restore"), "{}", out(&o));
    assert_eq!(server_rows(&mut central), before, "a refused sync changes nothing on the server");
    let o = tucai(&dir_same, &["--operator", "admin", "restore"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // (d) `tucai restore FILE` on a spare PC, then once more over it (the first is kept aside).
    let dir_new = root.join("restored");
    for round in 0..2 {
        let o = tucai(&dir_new, &["--operator", "admin", "restore", &s(&backup)]);
        let text = out(&o);
        assert_eq!(o.status.code(), Some(0), "{text}");
        assert!(text.contains("restored from") && text.contains(&format!("it was {station_a}")), "{text}");
        assert_eq!(text.contains("is kept in"), round == 1, "{text}");
    }
    let aside: Vec<_> = std::fs::read_dir(&dir_new)
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("replaced-")))
        .collect();
    assert_eq!(aside.len(), 1, "the store that was there is kept aside");
    assert!(aside[0].join("tucai.db").is_file());

    // Each of the four shoots and reviews, and syncs cleanly.
    let mut stations = vec![];
    for (dir, shade) in [(&dir_copy, 7000), (&dir_hand, 8000), (&dir_same, 0), (&dir_new, 10_000)] {
        if shade > 0 {
            shoot(dir, shade);
        }
        let identity = Store::open(dir).expect("opens").identity().expect("identity");
        assert_ne!(identity.station_id, station_a);
        assert_eq!(identity.restored_from.as_deref(), Some(station_a.as_str()));
        let (code, text) = tucai_central(dir, &url, &["sync"]);
        assert_eq!(code, Some(0), "{text}");
        stations.push((dir.to_path_buf(), identity.station_id));
    }
    // Every capture reached the server with its own photo; the original's are as they were;
    // every review and audit row of the new stations arrived; the server links them to A.
    assert_eq!(captures_central(&mut central, &station_a), a_on_server);
    for (dir, station) in &stations {
        let here = captures_here(dir, station);
        assert!(here.len() >= 3, "{}: {here:?}", dir.display());
        assert_eq!(here, captures_central(&mut central, station));
        let db = rusqlite::Connection::open(dir.join("tucai.db")).expect("opens");
        let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).expect("count") };
        let reviews_here = count("SELECT COUNT(*) FROM reviews WHERE uid IS NULL");
        // What a pull settles here (actor `sync`) is the server's news, not sent back.
        let audit_here = count("SELECT COUNT(*) FROM audit WHERE station_id IS NULL AND actor <> 'sync'");
        let mut on_server = |table: &str| -> i64 {
            central
                .query_one(&format!("SELECT COUNT(*) FROM {table} WHERE station_id = $1"), &[station])
                .expect("count")
                .get(0)
        };
        let (reviews_there, audit_there) = (on_server("reviews"), on_server("audit"));
        assert_eq!((reviews_there, audit_there), (reviews_here, audit_here));
        let from: Option<String> = central
            .query_one("SELECT restored_from FROM stations WHERE station_id = $1", &[station])
            .expect("row")
            .get(0);
        assert_eq!(from.as_deref(), Some(station_a.as_str()));
        assert_eq!(count("SELECT COUNT(*) FROM outbox"), 0);
    }
    let bad: i64 = central
        .query_one("SELECT COUNT(*) FROM blobs WHERE encode(sha256(bytes), 'hex') <> sha256", &[])
        .expect("count")
        .get(0);
    assert_eq!(bad, 0);

    // An export from the restored store onto the drive holding the original's batch leaves that
    // batch byte for byte as it was.
    let o = tucai(&dir_new, &["--operator", "admin", "export", "--to", &s(&usb), "--status", "accepted"]);
    // Those whose photo that counts is at A are left out, saying so (exit 1); the rest go.
    assert!(out(&o).contains("read back and verified") && o.status.code() == Some(1), "{}", out(&o));
    let after = files_under(&usb);
    for file in &delivered {
        assert!(after.contains(file), "{} changed", file.0.display());
    }
    assert!(after.len() > delivered.len());

    // The office (the restored copy here) corrects a name; the other booth gets it, and an old
    // roster file re-imported there does not undo it — that line is refused, naming it, the rest
    // imported. A stale change made before the correction reached it is not applied either.
    let (office, booth_dir) = (&dir_copy, &dir_new);
    let roster_csv = |name3: &str, class4: &str| {
        let mut csv = String::from("学号,姓名,学院,专业,班级\n");
        for i in 0..40 {
            let name = if i == 3 { name3.to_owned() } else { format!("学生{i}") };
            let class = if i == 4 { class4.to_owned() } else { format!("软件22{:02}", i / 30 + 1) };
            csv.push_str(&format!("{},{name},计算机学院,,{class}\n", student_no(i)));
        }
        csv
    };
    let fix = root.join("fix.csv");
    std::fs::write(
        &fix,
        format!(
            "学号,姓名,学院,专业,班级\n{},欧阳学生三,计算机学院,,软件2201\n{},学生四改,计算机学院,,软件2201\n",
            student_no(3),
            student_no(4)
        ),
    )
    .expect("csv");
    let o = tucai(office, &["--operator", "admin", "roster", "import", &s(&fix)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let (code, text) = tucai_central(office, &url, &["sync"]);
    assert_eq!(code, Some(0), "{text}");
    // The booth changes student 4's class before hearing of the correction: its change is kept out.
    let stale_edit = root.join("stale-edit.csv");
    std::fs::write(&stale_edit, roster_csv("学生3", "软件2299")).expect("csv");
    let o = tucai(booth_dir, &["--operator", "admin", "roster", "import", &s(&stale_edit)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let (code, text) = tucai_central(booth_dir, &url, &["sync"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains(&format!("({})", student_no(4))) && text.contains("were not applied"), "{text}");
    // Now the booth has the correction; the old roster file re-imported leaves it in place.
    let old = root.join("old-roster.csv");
    std::fs::write(&old, roster_csv("学生3", "软件2201")).expect("csv");
    let o = tucai(booth_dir, &["--operator", "admin", "roster", "import", &s(&old)]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("line 5") && text.contains("corrected elsewhere") && text.contains("欧阳学生三"), "{text}");
    let (code, text) = tucai_central(booth_dir, &url, &["sync"]);
    assert_eq!(code, Some(0), "{text}");
    let store = Store::open(booth_dir).expect("opens");
    assert_eq!(store.student(&student_no(3)).expect("student").record.name, "欧阳学生三");
    assert_eq!(store.student(&student_no(4)).expect("student").record.name, "学生四改");
    drop(store);
    for (no, name) in [(3, "欧阳学生三"), (4, "学生四改")] {
        let on_server: String = central
            .query_one("SELECT name FROM students WHERE student_no = $1", &[&student_no(no)])
            .expect("row")
            .get(0);
        assert_eq!(on_server, name);
    }
    let _ = std::fs::remove_dir_all(&root);
}
