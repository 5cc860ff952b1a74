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
    for _ in 0..2 {
        tucai::sync::central::push(&mut client, &station, 0, &changes, &mut |sha| store.blob(sha)).expect("applied");
    }
    let mut central = connect(&url);
    let count = |c: &mut postgres::Client, table: &str| -> i64 {
        c.query_one(&format!("SELECT COUNT(*) FROM {table}"), &[]).expect("count").get(0)
    };
    let counts = |c: &mut postgres::Client| ["captures", "reviews", "audit", "students", "blobs"].map(|t| count(c, t));
    let once = counts(&mut central);
    assert_eq!(once[0..2], [21, 10]);
    let report = tucai::sync::sync(&mut store, &parsed, &SyncOptions::default(), &Progress::default()).expect("syncs");
    assert_eq!(report.captures, 21, "the batch is sent again (not yet marked sent here)");
    assert_eq!(counts(&mut central), once, "…and changes nothing");
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
