//! The booth driven as an operator drives it (egui_kittest), finding widgets by their label and
//! clicking or typing into them: log in (the first admin's form), load the demo roster, the
//! demo card is read from the preview, Enter confirms, the shot is taken (by auto-shoot on an
//! injected clock, or the shoot button), the checklist shows, the accept button accepts, the
//! queue and the store show the student done; a failing shot is retaken with R; a reviewer
//! types a reason and rejects a photo; the Print and Export screens run their jobs from their
//! buttons (the file chooser answered by an injected chooser, as a person would pick), with
//! progress and a cancel. Snapshot images of the main screens are compared with
//! `tests/snapshots/`.

#![cfg(feature = "gui")]

#[path = "common/photo_store.rs"]
mod photo_store;

#[path = "common/central.rs"]
mod central;

#[path = "common/window.rs"]
mod window;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::SnapshotOptions;
use egui_kittest::kittest::Queryable;
use tucai::camera::{Camera, CameraSpec};
use tucai::quality::Verdict;
use tucai::store::{CaptureStatus, Store, StudentStatus};
use tucai::ui::{
    AUTO_SHOOT_AFTER, CAMERA_FPS, Clock, Command, ExportOrder, FileChoice, FileChooser, PrintOrder, Screen,
    StationSettings, StationSetup,
};
use window::{Booth, app, demo_profiles, send, step_until};

/// A fixed folder (the status bar shows it, and the snapshots must not change with it).
fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tucai-gui-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A clock the test moves by hand.
fn manual_clock() -> (Clock, Arc<Mutex<Instant>>) {
    let now = Arc::new(Mutex::new(Instant::now()));
    let read = Arc::clone(&now);
    (Arc::new(move || *read.lock().expect("clock")), now)
}

fn booth(dir: &Path, clock: Clock) -> Booth {
    booth_with(dir, clock, None, None)
}

/// [`booth`] started with `--central URL`.
fn booth_syncing_with(dir: &Path, clock: Clock, central: Option<String>) -> Booth {
    booth_with(dir, clock, central, None)
}

/// A chooser that picks `pdf` when asked where to save, and `folder` when asked for a folder.
fn choosing(pdf: PathBuf, folder: PathBuf) -> FileChooser {
    Arc::new(move |kind| match kind {
        FileChoice::Save(_) => Some(pdf.clone()),
        FileChoice::Folder => Some(folder.clone()),
        FileChoice::Open => None,
    })
}

/// The booth with a camera, a store in `dir`, a clock, maybe a central server and a file chooser.
fn booth_with(dir: &Path, clock: Clock, central: Option<String>, file_chooser: Option<FileChooser>) -> Booth {
    window::start(setup(dir, clock, central, file_chooser), true)
}

/// What [`booth_with`] starts.
fn setup(dir: &Path, clock: Clock, central: Option<String>, file_chooser: Option<FileChooser>) -> StationSetup {
    // Store times are fixed too, so what the screens show does not depend on the day.
    let store = Store::open_with_clock(dir, Box::new(|| 1_790_000_000)).expect("store");
    StationSetup {
        camera: Camera::open(&CameraSpec::Demo, CAMERA_FPS).expect("demo camera"),
        store,
        profiles: demo_profiles(),
        settings: StationSettings::default(),
        settings_path: None,
        data_dir: PathBuf::from("/data/tucai"),
        has_cjk_font: true,
        clock,
        warnings: Vec::new(),
        central,
        central_access: central::INSECURE,
        file_chooser,
        kiosk: false,
    }
}

/// Whether some text on screen contains `text` (read through the accessibility tree).
fn shows(h: &Booth, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

/// Clicks the one widget labelled `label`, as a person would, and draws the next frame.
fn click(h: &mut Booth, label: &str) {
    h.get_by_label(label).click();
    h.step();
}

/// Clicks the first widget labelled `label` (a tab comes before a button of the same name: the
/// tab bar is drawn first).
fn click_first(h: &mut Booth, label: &str) {
    h.query_all_by_label(label).next().unwrap_or_else(|| panic!("no widget labelled {label}")).click();
    h.step();
}

/// Clicks the first widget whose label contains `text` (a radio button with its count).
fn click_containing(h: &mut Booth, text: &str) {
    h.query_all_by_label_contains(text).next().unwrap_or_else(|| panic!("no widget labelled …{text}…")).click();
    h.step();
}

/// Clicks into the text field labelled `label` and types `text`.
fn type_into(h: &mut Booth, label: &str, text: &str) {
    type_in(h, Role::TextInput, label, text);
}

/// Clicks into the password field labelled `label` and types `text`.
fn type_pin(h: &mut Booth, label: &str, text: &str) {
    type_in(h, Role::PasswordInput, label, text);
}

fn type_in(h: &mut Booth, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).click();
    h.step();
    h.get_by_role_and_label(role, label).type_text(text);
    h.step();
}

fn key(h: &mut Booth, key: egui::Key) {
    h.key_press(key);
    h.step();
}

fn snapshot(h: &mut Booth, name: &str) {
    // Software rendering (lavapipe) is the same on machines of one kind; small text
    // antialiasing differences between Mesa builds stay under these limits.
    h.snapshot_options(name, &SnapshotOptions::new().threshold(1.5).max_failed_pixels(400));
}

/// A fresh store: the first admin's form filled in and sent, then the demo roster's button.
fn log_in_with_demo_roster(h: &mut Booth) {
    step_until(h, "the store to answer", |a| a.is_idle());
    h.step();
    type_into(h, "姓名", "admin");
    type_pin(h, "密码（PIN）", "246810");
    type_pin(h, "再次输入密码", "246810");
    click(h, "创建并登录");
    step_until(h, "login", |a| a.operator().is_some() && a.is_idle());
    h.step();
    click(h, "载入演示名单（2 名学生）");
    step_until(h, "the demo roster", |a| a.is_idle());
}

/// A store that has its admin already (`photo_store`'s): the login form, then the button.
fn log_in_as_admin(h: &mut Booth) {
    step_until(h, "the store to answer", |a| a.is_idle());
    h.step();
    type_into(h, "姓名", "admin");
    type_pin(h, "密码（PIN）", "246810");
    click(h, "登录（Enter）");
    step_until(h, "login", |a| a.operator().is_some() && a.is_idle());
}

#[test]
fn scan_confirm_shoot_accept_retake_and_review() {
    let dir = data_dir("flow");
    let (clock, now) = manual_clock();
    let mut h = booth(&dir, clock);
    log_in_with_demo_roster(&mut h);

    // The demo camera shows 王芳's card: the code is read from the preview.
    step_until(&mut h, "the card to be read", |a| a.view().student_no.as_deref() == Some("2026000001"));
    assert!(shows(&h, "王芳"), "the student card shows her name");
    assert!(!app(&h).view().confirmed);
    key(&mut h, egui::Key::Enter);
    assert!(app(&h).view().confirmed, "Enter confirms the identity");

    // Her portrait; auto-shoot counts down on the injected clock once everything is green.
    key(&mut h, egui::Key::N);
    send(&mut h, Command::SetAutoShoot(true));
    step_until(&mut h, "a green live check of the portrait", |a| a.view().live_verdict == Some(Verdict::Pass));
    step_until(&mut h, "the countdown", |a| a.view().counting_down);
    for _ in 0..5 {
        h.step();
    }
    assert!(!app(&h).view().shot_pending, "no shot before the countdown ends");
    *now.lock().expect("clock") += AUTO_SHOOT_AFTER;
    step_until(&mut h, "the auto shot", |a| a.view().shot_pending || a.view().verdict.is_some());
    send(&mut h, Command::SetAutoShoot(false));
    step_until(&mut h, "the stored result", |a| a.view().capture.is_some() || a.view().store_error.is_some());
    let view = app(&h).view();
    assert_eq!(view.verdict, Some(Verdict::Pass), "{view:?}");
    let capture = view.capture.expect("stored");
    assert_eq!((capture.attempt_no, capture.status), (1, CaptureStatus::Draft));
    assert!(shows(&h, "合格，可以上传"), "the checklist shows the verdict");
    snapshot(&mut h, "station_result");

    // The accept button: back to scanning, the queue shows her done, the store has it.
    click(&mut h, "确认使用（Enter）");
    step_until(&mut h, "the acceptance", |a| a.view().student_no.is_none() && a.is_idle());
    assert_eq!(app(&h).view().queue, vec![("2026000001".to_owned(), StudentStatus::Accepted)]);
    {
        let store = Store::open(&dir).expect("a second connection reads the store");
        let student = store.student("2026000001").expect("student");
        assert_eq!(student.status, StudentStatus::Accepted);
        let captures = store.captures_of(&student).expect("captures");
        assert_eq!(captures.len(), 1);
        assert_eq!(captures[0].status, CaptureStatus::Accepted);
        assert!(store.blob(captures[0].photo_sha256.as_deref().expect("photo")).is_ok(), "photo bytes intact");
    }

    // 李静: her number comes from the scanner (typed into the scan field); her open-mouthed
    // smile fails.
    type_into(&mut h, "扫码或学号", "2026000002");
    key(&mut h, egui::Key::Enter);
    step_until(&mut h, "李静's card", |a| a.view().student_no.as_deref() == Some("2026000002"));
    key(&mut h, egui::Key::Enter);
    key(&mut h, egui::Key::N); // her card
    key(&mut h, egui::Key::N); // her portrait
    step_until(&mut h, "the live check of her portrait", |a| a.view().live_verdict.is_some());
    click(&mut h, "拍照（空格）");
    step_until(&mut h, "her stored result", |a| a.view().capture.is_some());
    assert_eq!(app(&h).view().verdict, Some(Verdict::Fail));
    assert!(shows(&h, "嘴巴张开"), "the checklist names the open mouth");
    // Enter asks the store to accept it; the store refuses (its rule, said on screen).
    key(&mut h, egui::Key::Enter);
    step_until(&mut h, "the store's refusal", |a| a.is_idle() && a.view().notice.is_some());
    let view = app(&h).view();
    assert!(
        view.notice.as_ref().is_some_and(|(text, warn)| *warn && text.contains("没有通过检测的照片")),
        "a failed photo is not accepted: {view:?}"
    );
    assert_eq!(view.capture.as_ref().map(|c| c.status), Some(CaptureStatus::Failed));
    // R clears the result; Space shoots again: attempt 2.
    key(&mut h, egui::Key::R);
    assert!(app(&h).view().verdict.is_none(), "R drops the result");
    key(&mut h, egui::Key::Space);
    step_until(&mut h, "the retake", |a| a.view().capture.is_some_and(|c| c.attempt_no == 2));
    key(&mut h, egui::Key::Escape);
    assert!(app(&h).view().student_no.is_none(), "Esc returns to scanning");

    // Review: the roster and the review screens; the admin rejects 王芳's photo with a reason.
    click_first(&mut h, "名单");
    step_until(&mut h, "the roster", |a| a.is_idle());
    h.step();
    assert_eq!(app(&h).screen(), Screen::Roster);
    assert!(shows(&h, "李静"));
    snapshot(&mut h, "roster");
    click_first(&mut h, "审核");
    step_until(&mut h, "the photos to review", |a| a.is_idle());
    h.step();
    snapshot(&mut h, "review");
    // Her photo is the one on screen: the reason typed, then the reject button.
    assert!(shows(&h, "王芳 2026000001"));
    h.get_by_role(Role::TextInput).click();
    h.step();
    h.get_by_role(Role::TextInput).type_text("头发遮住眉毛");
    h.step();
    click(&mut h, "退回");
    step_until(&mut h, "the rejection", |a| a.is_idle());
    let store = Store::open(&dir).expect("store");
    assert_eq!(store.student("2026000001").expect("student").status, StudentStatus::ToRecall);
    let recall = store.students_in(&[StudentStatus::ToRecall]).expect("list");
    assert_eq!(recall[0].reason, "头发遮住眉毛");
    let li = store.student("2026000002").expect("student");
    assert_eq!(li.status, StudentStatus::Waiting, "two failed attempts leave her waiting");
    let attempts = store.captures_of(&li).expect("captures");
    assert!(attempts.len() == 2 && attempts.iter().all(|c| c.status == CaptureStatus::Failed), "{attempts:?}");
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_code_asks_for_the_student_and_the_id_digits() {
    let dir = data_dir("bind");
    let (clock, _) = manual_clock();
    let mut h = booth(&dir, clock);
    log_in_with_demo_roster(&mut h);
    step_until(&mut h, "the first card", |a| a.view().student_no.is_some());
    key(&mut h, egui::Key::Escape);

    send(&mut h, Command::Scan("CHSI-8f3a9c2e71d04b".into()));
    step_until(&mut h, "the binding form", |a| a.view().binding);
    send(&mut h, Command::Bind { who: "李静".into(), last4: "0048".into() });
    step_until(&mut h, "the refusal", |a| a.is_idle());
    let view = app(&h).view();
    assert!(
        view.binding && view.notice.as_ref().is_some_and(|(t, warn)| *warn && t.contains("身份证后四位")),
        "{view:?}"
    );
    send(&mut h, Command::Bind { who: "李静".into(), last4: "0049".into() });
    step_until(&mut h, "the binding", |a| a.view().student_no.as_deref() == Some("2026000002"));
    // The same code now names her at once.
    key(&mut h, egui::Key::Escape);
    send(&mut h, Command::Scan("CHSI-8f3a9c2e71d04b".into()));
    step_until(&mut h, "the bound code", |a| a.view().student_no.as_deref() == Some("2026000002"));
    // Switching cameras happens off the UI thread; one that does not open is reported.
    send(&mut h, Command::SetCamera(CameraSpec::Dir("/nonexistent/frames".into())));
    step_until(&mut h, "the camera attempt", |a| a.is_idle());
    assert!(app(&h).view().notice.is_some_and(|(t, warn)| warn && t.contains("/nonexistent/frames")));
    assert_eq!(app(&h).camera_name(), "demo", "the working camera stays");
    // Shooting before Enter is refused with words.
    send(&mut h, Command::Shoot);
    assert!(app(&h).view().notice.is_some_and(|(_, warn)| warn));
    assert!(!app(&h).view().shot_pending);
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn print_and_export_screens_run_their_jobs_and_a_cancelled_export_records_nothing() {
    let dir = data_dir("outputs");
    drop(photo_store::store_with_approved_photos(&dir, 3));
    let (clock, _) = manual_clock();
    let (pdf, usb) = (dir.join("sheets.pdf"), dir.join("usb"));
    let mut h = booth_with(&dir, clock, None, Some(choosing(pdf.clone(), usb.clone())));
    log_in_as_admin(&mut h);

    // Print: the tab, A4 paper, "save PDF…" (the chooser picks the file), and the job runs.
    click_first(&mut h, "打印");
    step_until(&mut h, "the print counts", |a| a.is_idle());
    h.step();
    assert_eq!(app(&h).screen(), Screen::Print);
    assert!(shows(&h, "尚未打印的学生（3 人）"));
    click_containing(&mut h, "A4");
    click(&mut h, "保存 PDF…");
    step_until(&mut h, "the print job", |a| a.is_idle() && a.output_result().is_some());
    let (text, failed) = app(&h).output_result().expect("a result");
    assert!(!failed && text.contains("已打印 3 人、15 份，共 1 张A4纸"), "{text}");
    assert!(std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 10_000));
    h.step();
    assert!(shows(&h, "尚未打印的学生（0 人）"), "printed students are not offered again");

    click_first(&mut h, "导出");
    step_until(&mut h, "the export counts", |a| a.is_idle());
    h.step();
    assert!(shows(&h, "待导出：3"));
    std::fs::create_dir_all(&usb).expect("target");
    // Cancel in the same frame the export starts (too fast for a click): it stops, and
    // nothing is recorded.
    let order = ExportOrder { target: usb.clone(), accepted_too: false, zip_max_files: 2 };
    h.state_mut().as_mut().expect("app").send(Command::Export(order));
    send(&mut h, Command::CancelJob);
    step_until(&mut h, "the cancelled export", |a| a.is_idle());
    let (text, failed) = app(&h).output_result().expect("a result");
    assert!(failed && text.contains("本机记录未改变"), "{text}");
    assert_eq!(Store::open(&dir).expect("store").exports_done().expect("reads"), 0);
    // "Choose folder…" (the chooser picks the drive), then "export and verify".
    click(&mut h, "选择文件夹…");
    step_until(&mut h, "the chosen folder", |a| a.is_idle());
    h.step();
    assert!(shows(&h, &usb.display().to_string()), "the chosen folder is shown");
    click(&mut h, "导出并校验");
    step_until(&mut h, "the export", |a| a.is_idle() && a.output_result().is_some_and(|(_, failed)| !failed));
    let (text, _) = app(&h).output_result().expect("a result");
    assert!(text.contains("已导出 3 张照片"), "{text}");
    let batch = std::fs::read_dir(&usb).expect("usb").flatten().find(|e| e.path().is_dir()).expect("a batch").path();
    let report = tucai::export::verify_batch(&batch, None, &tucai::progress::Progress::default());
    assert_eq!((report.verified, report.problems.len()), (3, 0), "{:?}", report.problems);
    h.step();
    assert!(shows(&h, "待导出：0"));
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_sync_screen_sends_the_outbox_and_shows_conflicts() {
    let Some(server) = central::server() else { return };
    let url = central::fresh_database(&server, "tucai_t_gui");
    tucai::sync::init_central(&tucai::sync::CentralUrl::parse(&url, &central::INSECURE).expect("parses"))
        .expect("schema");
    // Another booth photographed students 0 and 1 too, and synced first.
    let other = data_dir("sync-other");
    let shots = photo_store::Booth { roster: 0..3, shot: 0..2, shade_offset: 5000, ..photo_store::Booth::default() };
    let (mut other_store, _) = photo_store::booth(&other, &shots);
    let parsed = tucai::sync::CentralUrl::parse(&url, &central::INSECURE).expect("parses");
    let progress = tucai::progress::Progress::default();
    tucai::sync::sync(&mut other_store, &parsed, &tucai::sync::SyncOptions::default(), &progress).expect("syncs");

    let dir = data_dir("sync");
    drop(photo_store::booth(&dir, &photo_store::Booth { roster: 0..3, shot: 0..3, ..photo_store::Booth::default() }));
    let (clock, _) = manual_clock();
    let mut h = booth_syncing_with(&dir, clock, Some(url.clone()));
    log_in_as_admin(&mut h);
    click_first(&mut h, "同步");
    step_until(&mut h, "the sync state", |a| a.is_idle());
    h.step();
    assert!(shows(&h, "postgres://tucai_test:***@"), "the server is shown without its password");
    assert!(!shows(&h, central::TEST_SECRET));
    assert!(shows(&h, "尚未同步过"));
    assert!(shows(&h, "照片 3 张"), "three captures wait");
    click(&mut h, "立即同步");
    step_until(&mut h, "the sync", |a| a.is_idle());
    let (text, failed) = app(&h).output_result().expect("a result");
    assert!(!failed && text.contains("收到其他采集站 2 张照片记录"), "{text}");
    h.step();
    assert!(shows(&h, "待同步：0 条改动"));
    assert!(shows(&h, "多站冲突：2 名学生"), "students 0 and 1 were photographed at both booths");
    assert!(shows(&h, "生效"));
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&other);
}

/// One failure from each core module, as an operator meets it, reads in Chinese on screen:
/// the store (a number not on the roster), the pipeline (a shot with no face), printing (a
/// student with no photo), exporting (a drive not plugged in), syncing (the server is down).
#[test]
fn a_failure_from_each_core_module_reads_in_chinese_on_screen() {
    let dir = data_dir("failures");
    let (clock, _) = manual_clock();
    let mut h = booth_syncing_with(&dir, clock, Some("postgres://booth:secret@127.0.0.1:1/tucai".into()));
    log_in_with_demo_roster(&mut h);
    step_until(&mut h, "the first card", |a| a.view().student_no.is_some());
    key(&mut h, egui::Key::Escape);

    send(&mut h, Command::Scan("9999".into()));
    step_until(&mut h, "the store's answer", |a| a.is_idle() && a.view().notice.is_some());
    h.step();
    assert!(shows(&h, "名单中没有学号或姓名为 9999 的学生"), "{:?}", app(&h).view());

    // The demo camera still shows the card: a shot of it has no face.
    step_until(&mut h, "the face models", |a| a.is_idle());
    h.get_by_label("拍照（空格）").click();
    h.step();
    step_until(&mut h, "the shot", |a| a.view().shot_error.is_some());
    h.step();
    assert!(shows(&h, "照片中没有检测到人脸"), "{:?}", app(&h).view());

    click_first(&mut h, "打印");
    step_until(&mut h, "the print screen", |a| a.is_idle());
    let order = PrintOrder {
        students: vec!["2026000002".into()],
        paper: tucai::print::Paper::SixInch,
        reprint: false,
        printer: None,
        output: Some(dir.join("sheet.pdf")),
    };
    send(&mut h, Command::Print(order));
    step_until(&mut h, "the print refusal", |a| a.is_idle() && a.output_result().is_some());
    h.step();
    assert!(shows(&h, "没有打印：2026000002：没有已确认的照片"), "{:?}", app(&h).output_result());

    click_first(&mut h, "导出");
    step_until(&mut h, "the export screen", |a| a.is_idle());
    let order = ExportOrder { target: PathBuf::from("/no/such/drive"), accepted_too: true, zip_max_files: 0 };
    send(&mut h, Command::Export(order));
    step_until(&mut h, "the export refusal", |a| a.is_idle() && a.output_result().is_some());
    h.step();
    assert!(shows(&h, "请插入 U 盘"), "{:?}", app(&h).output_result());

    click_first(&mut h, "同步");
    step_until(&mut h, "the sync screen", |a| a.is_idle());
    h.step();
    h.get_by_label("立即同步").click();
    h.step();
    step_until(&mut h, "the sync failure", |a| a.is_idle() && a.output_result().is_some_and(|(_, failed)| failed));
    h.step();
    assert!(shows(&h, "无法连接中心服务器"), "{:?}", app(&h).output_result());
    assert!(!shows(&h, "secret"), "the password is never shown");

    // The same failure follows the language when it is switched.
    send(&mut h, Command::SetLang(tucai::i18n::Lang::En));
    h.step();
    assert!(shows(&h, "cannot reach the central server"), "{:?}", app(&h).output_result());
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An operator sees the tabs the role table opens to them and no others, and a window left
/// alone logs out after the idle time (10 minutes by default).
#[test]
fn an_operator_sees_only_their_tabs_and_an_idle_window_logs_out() {
    let dir = data_dir("roles");
    let (mut store, admin) = photo_store::booth(&dir, &photo_store::Booth { roster: 0..2, ..Default::default() });
    store.add_operator(Some(&admin), "op", tucai::store::Role::Operator, "135790").expect("operator");
    drop(store);
    let (clock, now) = manual_clock();
    let mut h = booth(&dir, clock);
    step_until(&mut h, "the store to answer", |a| a.is_idle());
    h.step();
    type_into(&mut h, "姓名", "op");
    type_pin(&mut h, "密码（PIN）", "135790");
    click(&mut h, "登录（Enter）");
    step_until(&mut h, "login", |a| a.operator().is_some() && a.is_idle());
    h.step();
    for tab in ["采集", "设置"] {
        assert!(h.query_all_by_label(tab).next().is_some(), "the operator has the {tab} tab");
    }
    for tab in ["审核", "名单", "打印", "导出", "同步"] {
        assert!(h.query_all_by_label(tab).next().is_none(), "the operator has no {tab} tab");
    }
    *now.lock().expect("clock") += Duration::from_secs(9 * 60);
    h.step();
    assert!(app(&h).operator().is_some(), "9 minutes idle: still logged in");
    *now.lock().expect("clock") += Duration::from_secs(61);
    h.step();
    h.step();
    assert!(app(&h).operator().is_none(), "10 minutes idle: logged out");
    assert!(shows(&h, "长时间无操作"), "and says why");
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An account whose PIN predates the 6-digit rule logs in once and sets a new PIN before
/// anything else; the tabs appear only then.
#[test]
fn a_short_pin_is_changed_before_anything_else() {
    let dir = data_dir("short-pin");
    drop(photo_store::booth(&dir, &photo_store::Booth { roster: 0..1, ..Default::default() }));
    let old_hash = {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default().hash_password(b"2468").expect("hash").to_string()
    };
    let db = rusqlite::Connection::open(dir.join("tucai.db")).expect("opens");
    db.execute("UPDATE operators SET pin_hash = ?1 WHERE name = 'admin'", [old_hash]).expect("an old account");
    drop(db);
    let (clock, _) = manual_clock();
    let mut h = booth(&dir, clock);
    step_until(&mut h, "the store to answer", |a| a.is_idle());
    h.step();
    type_into(&mut h, "姓名", "admin");
    type_pin(&mut h, "密码（PIN）", "2468");
    click(&mut h, "登录（Enter）");
    step_until(&mut h, "login", |a| a.operator().is_some() && a.is_idle());
    h.step();
    assert!(shows(&h, "请设置新密码") && h.query_all_by_label("审核").next().is_none(), "the PIN form, no tabs");
    type_pin(&mut h, "新密码（至少 6 位数字）", "1357");
    type_pin(&mut h, "再次输入密码", "1357");
    click(&mut h, "保存新密码");
    step_until(&mut h, "the store to answer", |a| a.is_idle());
    h.step();
    assert!(shows(&h, "至少 6 位数字"), "a short new PIN is refused in words");
    assert!(h.query_all_by_label("审核").next().is_none());
    type_pin(&mut h, "新密码（至少 6 位数字）", "135735");
    type_pin(&mut h, "再次输入密码", "135735");
    click(&mut h, "保存新密码");
    step_until(&mut h, "the store to answer", |a| a.is_idle());
    h.step();
    assert!(shows(&h, "新密码已保存") && h.query_all_by_label("审核").next().is_some(), "saved; the tabs are back");
    drop(h);
    let mut store = tucai::store::Store::open(&dir).expect("opens");
    store.login("admin", "135735", tucai::store::LoginVia::Cli).expect("the new PIN logs in");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An admin puts a backup back from Settings: the store in the window becomes the restored one
/// (its own accounts: log in again, told what happened), the one that was there is kept aside.
#[test]
fn an_admin_restores_a_backup_from_settings() {
    let dir = data_dir("restore");
    let (store, _) = photo_store::booth(&dir, &photo_store::Booth { roster: 0..3, ..Default::default() });
    let old_station = store.station_id().to_owned();
    let backup = std::env::temp_dir().join(format!("tucai-gui-restore-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&backup);
    store.backup(&backup).expect("backup");
    drop(store);
    let chosen = backup.clone();
    let chooser: FileChooser = Arc::new(move |kind| (kind == FileChoice::Open).then(|| chosen.clone()));
    let (clock, _) = manual_clock();
    let mut h = booth_with(&dir, clock, None, Some(chooser));
    log_in_as_admin(&mut h);
    h.step();
    click(&mut h, "设置");
    h.step();
    assert!(shows(&h, "从备份恢复"));
    click(&mut h, "选择备份文件……");
    step_until(&mut h, "the restore", |a| a.operator().is_none() && a.is_idle());
    h.step();
    assert!(shows(&h, "已从") && shows(&h, &format!("原为 {old_station}")), "the login screen says what happened");
    log_in_as_admin(&mut h);
    drop(h);
    let store = tucai::store::Store::open(&dir).expect("opens");
    assert_ne!(store.station_id(), old_station);
    assert_eq!(store.identity().expect("identity").restored_from.as_deref(), Some(old_station.as_str()));
    assert_eq!(store.search_students("", 10).expect("roster").len(), 3);
    let aside = std::fs::read_dir(&dir)
        .expect("folder")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("replaced-") && e.path().join("tucai.db").is_file());
    assert_eq!(aside.count(), 1, "the store that was there is kept aside");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&backup);
}

/// The viewport commands the window sent in the last frame.
fn window_commands(h: &Booth) -> Vec<egui::ViewportCommand> {
    h.output().viewport_output.get(&egui::ViewportId::ROOT).map(|v| v.commands.clone()).unwrap_or_default()
}

/// Steps frames until the window sends a command that `wanted` matches (or `frames` pass);
/// whether it did.
fn steps_until_sent(h: &mut Booth, frames: usize, wanted: impl Fn(&egui::ViewportCommand) -> bool) -> bool {
    for _ in 0..frames {
        h.step();
        if window_commands(h).iter().any(&wanted) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// The desktop asks the window to close (the title bar's button, Alt+F4).
fn request_close(h: &mut Booth) {
    h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
}

/// Kiosk mode (`--kiosk`): fullscreen without decorations from the first frame; a close request
/// from the desktop is cancelled and asks for an admin; an operator's PIN, or a wrong one, does
/// not close it; leaving fullscreen or switching away is undone; an admin's name and PIN close
/// it, and the store's audit says who.
#[test]
fn kiosk_mode_cannot_be_left_without_an_admin_pin() {
    use egui::ViewportCommand as V;
    let dir = data_dir("kiosk");
    let (mut store, admin) = photo_store::booth(&dir, &photo_store::Booth { roster: 0..1, ..Default::default() });
    store.add_operator(Some(&admin), "op", tucai::store::Role::Operator, "135790").expect("operator");
    drop(store);
    let (clock, now) = manual_clock();
    let mut setup = setup(&dir, clock, None, None);
    setup.kiosk = true;
    let mut h = window::start(setup, false);
    assert!(
        steps_until_sent(&mut h, 5, |c| matches!(c, V::Fullscreen(true)))
            && window_commands(&h).iter().any(|c| matches!(c, V::Decorations(false))),
        "fullscreen without decorations from the start"
    );
    step_until(&mut h, "the store to answer", |a| a.is_idle());

    // The desktop's close (nobody logged in): cancelled, the form asks for an admin.
    request_close(&mut h);
    h.step();
    assert!(window_commands(&h).iter().any(|c| matches!(c, V::CancelClose)), "the close is cancelled");
    h.step(); // a new window area is measured in its first frame, shown in the next
    assert!(shows(&h, "关闭图采需要管理员"), "and an admin is asked for");

    // An operator's right PIN is not enough.
    type_into(&mut h, "管理员姓名", "op");
    type_pin(&mut h, "管理员密码", "135790");
    click(&mut h, "核对并关闭");
    step_until(&mut h, "the PIN checked", |a| a.is_idle());
    assert!(!steps_until_sent(&mut h, 3, |c| matches!(c, V::Close)), "an operator does not close it");
    assert!(shows(&h, "需要管理员账号"), "and is told it needs an admin");

    // An admin's wrong PIN neither (the form opened afresh from the tab bar's button).
    click(&mut h, "取消");
    click(&mut h, "关闭图采……");
    type_into(&mut h, "管理员姓名", "admin");
    type_pin(&mut h, "管理员密码", "999999");
    click(&mut h, "核对并关闭");
    step_until(&mut h, "the PIN checked", |a| a.is_idle());
    assert!(!steps_until_sent(&mut h, 3, |c| matches!(c, V::Close)), "a wrong PIN does not close it");
    assert!(shows(&h, "admin 的姓名或密码不正确"), "and is said");

    // Cancel: back to the window, still in kiosk mode.
    click(&mut h, "取消");
    h.step();
    assert!(!shows(&h, "关闭图采需要管理员"), "the form is gone");

    // Leaving fullscreen (the window manager's key) and switching away are undone.
    h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().fullscreen = Some(false);
    assert!(steps_until_sent(&mut h, 2, |c| matches!(c, V::Fullscreen(true))), "back to fullscreen");
    h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().fullscreen = Some(true);
    h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().focused = Some(false);
    assert!(steps_until_sent(&mut h, 2, |c| matches!(c, V::Focus)), "focus asked back");
    *now.lock().expect("clock") += Duration::from_millis(100);
    assert!(!steps_until_sent(&mut h, 2, |c| matches!(c, V::Focus)), "at most once a second");
    h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().focused = Some(true);

    // The tab bar's button opens the form; an admin closes the window.
    click(&mut h, "关闭图采……");
    type_into(&mut h, "管理员姓名", "admin");
    type_pin(&mut h, "管理员密码", "246810");
    click(&mut h, "核对并关闭");
    // Wait on the store's answer (a PIN check on a busy machine), not a count of frames.
    step_until(&mut h, "the PIN checked", |a| a.is_idle());
    let closing = window_commands(&h).iter().any(|c| matches!(c, V::Close));
    assert!(closing || steps_until_sent(&mut h, 3, |c| matches!(c, V::Close)), "an admin's PIN closes the window");
    request_close(&mut h);
    h.step();
    assert!(!window_commands(&h).iter().any(|c| matches!(c, V::CancelClose)), "and the close is let through");
    drop(h);
    let db = rusqlite::Connection::open(dir.join("tucai.db")).expect("opens");
    let closed_by: String =
        db.query_row("SELECT actor FROM audit WHERE action = 'kiosk_left'", [], |r| r.get(0)).expect("audited");
    assert_eq!(closed_by, "admin", "the audit says which admin closed the kiosk");
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An admin turns kiosk mode on in Settings: the window goes fullscreen at once and the
/// desktop's close is refused from then on; an operator has no such switch.
#[test]
fn an_admin_turns_kiosk_mode_on_in_settings() {
    use egui::ViewportCommand as V;
    let dir = data_dir("kiosk-setting");
    drop(photo_store::booth(&dir, &photo_store::Booth { roster: 0..1, ..Default::default() }));
    let (clock, _) = manual_clock();
    let mut h = booth(&dir, clock);
    log_in_as_admin(&mut h);
    h.step();
    request_close(&mut h);
    h.step();
    assert!(!window_commands(&h).iter().any(|c| matches!(c, V::CancelClose)), "not in kiosk mode: closes");
    click(&mut h, "设置");
    h.step();
    click(&mut h, "锁定模式（全屏，关闭需管理员密码）");
    assert!(
        steps_until_sent(&mut h, 3, |c| matches!(c, V::Fullscreen(true))) && app(&h).kiosk_on(),
        "fullscreen at once"
    );
    request_close(&mut h);
    h.step();
    assert!(window_commands(&h).iter().any(|c| matches!(c, V::CancelClose)), "now the close is refused");
    h.step();
    assert!(shows(&h, "关闭图采需要管理员"));
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}
