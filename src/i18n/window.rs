//! The station window's words: the fixed labels, Chinese beside English, one line each (no
//! literals in the screens), and the notices that carry values ([`Notice`]). A notice is kept
//! typed and rendered when drawn, so switching the language re-says what is on screen.

use super::{Lang, Say, local_time, pick};
use crate::print::Paper;

macro_rules! strings {
    ($($name:ident: $zh:expr, $en:expr;)*) => {
        /// The station window's strings in one language.
        #[allow(missing_docs)]
        pub struct Strings { $(pub $name: &'static str,)* }
        const ZH: Strings = Strings { $($name: $zh,)* };
        const EN: Strings = Strings { $($name: $en,)* };
    };
}

strings! {
    title: "图采 · 毕业生图像采集站", "Tucai · graduate photo station";
    language: "English", "中文";
    no_cjk_font: "未找到中文字体：请运行 packaging/deps-debian.sh（安装 fonts-noto-cjk）。",
        "No Chinese font found: run packaging/deps-debian.sh (installs fonts-noto-cjk).";
    // Screens
    tab_station: "采集", "Station";
    tab_review: "审核", "Review";
    tab_roster: "名单", "Roster";
    tab_settings: "设置", "Settings";
    tab_print: "打印", "Print";
    tab_export: "导出", "Export";
    tab_sync: "同步", "Sync";
    // Sync
    sync_title: "多站同步（中心数据库）", "Sync with the central database";
    sync_no_central: "未设置中心服务器：启动时加 --central postgres://用户:密码@主机/库，或设置 TUCAI_CENTRAL。本机照常采集，改动保存在本机待同步。",
        "No central server set: start with --central postgres://user:password@host/db or set TUCAI_CENTRAL. This station works as usual; its changes wait here.";
    sync_never: "尚未同步过", "Never synced";
    sync_now: "立即同步", "Sync now";
    sync_with_photos: "同时下载其他采集站的照片（办公室用）", "Also fetch the other booths' photos (office)";
    sync_counts: "生效", "counts";
    sync_col_student: "学生", "Student";
    sync_col_capture: "照片编号", "Capture";
    sync_col_station: "采集站", "Booth";
    sync_col_status: "状态", "Status";
    sync_col_taken: "拍摄时间", "Taken";
    // Print and export
    print_title: "打印照片", "Print photos";
    print_students_hint: "学号，用空格或逗号分隔", "Student numbers, separated by spaces or commas";
    reprint: "允许重印（已打印过的学生）", "Allow reprints (students already printed)";
    paper: "相纸：", "Paper:";
    printer: "打印机：", "Printer:";
    pdf_only: "不打印，只保存 PDF", "None: save the PDF only";
    printer_paused: "（已暂停）", "(paused)";
    printer_busy: "（打印中）", "(printing)";
    save_pdf: "保存 PDF…", "Save PDF…";
    print_now: "打印", "Print";
    make_cards: "生成采集卡 PDF…", "Capture cards PDF…";
    cancel_job: "取消", "Cancel";
    export_title: "导出上传批次", "Export a batch for the upload";
    export_to: "导出到：", "Export to:";
    choose_folder: "选择文件夹…", "Choose folder…";
    no_target: "请插入 U 盘或选择文件夹", "Insert a USB drive or choose a folder";
    accepted_too: "包括已采集、尚未审核的照片", "Include accepted photos not reviewed yet";
    zip_max_files: "打包为 zip，每包最多张数（0 = 不打包）：", "Zip archives of at most N photos (0 = no zip):";
    export_now: "导出并校验", "Export and verify";
    verify_batch: "校验已有批次…", "Verify a batch…";
    // Login
    login_title: "操作员登录", "Operator login";
    first_admin_title: "首次使用：创建管理员账号", "First use: create the admin account";
    first_admin_hint: "此账号可管理名单、审核照片和添加其他操作员。密码至少 6 位数字。", "This account manages the roster, reviews photos and adds operators. The PIN has 6 digits or more.";
    name: "姓名", "Name";
    pin: "密码（PIN）", "PIN";
    pin_again: "再次输入密码", "PIN again";
    log_in: "登录（Enter）", "Log in (Enter)";
    create_admin: "创建并登录", "Create and log in";
    pins_differ: "两次输入的密码不一致", "The two PINs differ";
    log_out: "退出登录", "Log out";
    wrong_pin: "姓名或密码不正确", "Wrong name or PIN";
    change_pin_title: "请设置新密码", "Set a new PIN";
    change_pin_hint: "当前密码少于 6 位数字，继续使用前请设置新密码。", "Your PIN is shorter than 6 digits: set a new one before going on.";
    new_pin: "新密码（至少 6 位数字）", "New PIN (6 digits or more)";
    change_pin: "保存新密码", "Save the new PIN";
    pin_changed: "新密码已保存", "The new PIN is saved";
    idle_logout: "无操作多少分钟后自动退出登录（0 = 不退出）", "Log out after this many idle minutes (0 = never)";
    logged_out_idle: "长时间无操作，已自动退出登录", "Logged out after a while without use";
    operator: "操作员", "Operator";
    // Station: who is in front of the camera
    scan_prompt: "请学生出示二维码，或扫码枪扫码 / 输入学号后按 Enter", "Show the student's QR code, or scan / type the student number and press Enter";
    scan_field: "扫码或学号", "Code or number";
    looking_up: "正在查找学生……", "Looking up the student…";
    unbound_code: "学信网二维码尚未绑定：请输入学号或姓名，并核对身份证后四位", "A CHSI code not bound yet: enter the number or name and check the last 4 ID digits";
    who: "学号或姓名", "Number or name";
    id_last4: "身份证后四位", "Last 4 ID digits";
    bind: "绑定", "Bind";
    confirm_identity: "核对本人后按 Enter 确认", "Check it is the student, then press Enter";
    identity_confirmed: "✓ 已核对身份", "✓ Identity checked";
    unlock: "解锁重拍", "Unlock retakes";
    confirm_first: "请先核对学生身份（Enter），再拍照。", "Check the student's identity first (Enter), then shoot.";
    roster_empty: "名单为空：请在“名单”页导入名单，或载入演示名单。", "The roster is empty: import one on the Roster screen, or load the demo roster.";
    load_demo_roster: "载入演示名单（2 名学生）", "Load the demo roster (2 students)";
    roster_empty_ask_admin: "名单为空：请管理员先导入名单。", "The roster is empty: ask an admin to import it.";
    // Station: camera and shooting
    camera: "摄像头", "Camera";
    camera_starting: "正在打开摄像头……", "Opening the camera…";
    profile: "照片规格", "Profile";
    shoot: "拍照（空格）", "Shoot (Space)";
    accept: "确认使用（Enter）", "Accept (Enter)";
    retake: "重拍（R）", "Retake (R)";
    cancel: "返回扫码（Esc）", "Back to scanning (Esc)";
    next_frame: "下一张（N）", "Next image (N)";
    auto_shoot: "全部合格时自动拍照", "Shoot by itself when all is green";
    keys: "空格 拍照 · Enter 确认 · R 重拍 · Esc 返回", "Space shoot · Enter accept · R retake · Esc back";
    demo_keys: "演示摄像头：N 换下一张（先二维码，后人像）", "Demo camera: N shows the next image (a QR card, then the portrait)";
    loading_models: "正在加载人脸模型……", "Loading face models…";
    models_failed: "人脸模型加载失败，无法标准化：", "Face models failed to load; cannot standardize: ";
    live_ready: "✓ 位置、光线合适，可以拍照", "✓ Position and light are good: shoot";
    not_stored: "未识别学生：此照片不保存", "No student identified: this photo is not stored";
    // Station: result
    result: "标准化结果", "Standardized photo";
    no_result: "按空格拍照，结果显示在这里。", "Press Space to shoot; the result appears here.";
    processing: "正在标准化……", "Standardizing…";
    failed: "无法生成标准照：", "Could not make the photo: ";
    saving: "正在保存……", "Saving…";
    save_failed: "保存失败：", "Not stored: ";
    rotation: "旋转校正", "Levelled by";
    file: "文件", "File";
    verdict_pass: "✓ 合格，可以上传", "✓ Pass: ready to upload";
    verdict_warn: "! 合格，但有提醒", "! Pass, with warnings";
    verdict_fail: "× 不合格：请按提示重拍", "× Reject: retake as advised";
    // Queue
    queue: "本班进度", "Class progress";
    queue_empty: "扫码后显示该生所在班级。", "Scan a student to see their class.";
    // Review
    review_title: "待审核照片", "Photos to review";
    review_none: "没有待审核的照片。", "No photos waiting for review.";
    refresh: "刷新", "Refresh";
    approve: "通过", "Approve";
    reject: "退回", "Reject";
    reject_reason: "退回原因（学生可据此改正）", "Reason (what the student should change)";
    needs_reviewer: "审核需要审核员或管理员账号。", "Reviewing needs a reviewer or admin account.";
    loading: "正在读取……", "Loading…";
    // Roster
    roster_title: "学生名单", "Students";
    import_roster: "导入名单（CSV / XLSX）……", "Import roster (CSV / XLSX)…";
    search: "搜索学号、姓名、班级", "Search number, name, class";
    no_file_dialog: "无法打开文件选择框：请安装 zenity（packaging/deps-debian.sh）或使用 tucai roster import。", "No file chooser: install zenity (packaging/deps-debian.sh) or use `tucai roster import`.";
    col_no: "学号", "Number";
    col_name: "姓名", "Name";
    col_id: "身份证号", "ID number";
    col_college: "学院", "College";
    col_class: "班级", "Class";
    col_status: "状态", "Status";
    // Settings
    settings_title: "设置", "Settings";
    language_setting: "界面语言", "Language";
    station_name: "采集站名称", "Station name";
    data_folder: "数据文件夹", "Data folder";
    choose: "选择……", "Choose…";
    restart_needed: "重启后生效", "Takes effect after a restart";
    restore_title: "从备份恢复", "Restore a backup";
    restore_hint: "放回 `tucai backup` 写出的文件：现有数据移到数据文件夹中的 replaced-… 保存，本机成为新的工作站编号", "Puts back a file written by `tucai backup`: the current store is kept in replaced-… in the data folder, and this PC becomes a new station id";
    restore_button: "选择备份文件……", "Choose the backup file…";
    webcams_found: "找到的摄像头", "Webcams found";
    no_webcams: "未找到摄像头（可用演示摄像头）", "No webcam found (the demo camera works)";
    use_demo: "演示摄像头", "Demo camera";
    save: "保存", "Save";
    saved_settings: "设置已保存", "Settings saved";
    show_rates: "在状态栏显示帧率与提示频率", "Show frame and hint rates in the status bar";
    kiosk_setting: "锁定模式（全屏，关闭需管理员密码）", "Kiosk mode (fullscreen; closing needs an admin PIN)";
    kiosk_forced: "本次以 --kiosk 启动", "Started with --kiosk this time";
    // Kiosk mode: closing the window
    kiosk_quit: "关闭图采……", "Close Tucai…";
    kiosk_confirm: "核对并关闭", "Check and close";
    kiosk_leave_title: "关闭图采需要管理员", "Closing Tucai needs an admin";
    kiosk_leave_hint: "本机处于锁定模式。请管理员输入姓名和密码后关闭；其他人请点“取消”继续使用。", "This booth is in kiosk mode. An admin enters their name and PIN to close it; anyone else presses Cancel to go on.";
    kiosk_admin: "管理员姓名", "Admin's name";
    kiosk_pin: "管理员密码", "Admin's PIN";
    kiosk_cancel: "取消", "Cancel";
    kiosk_checking: "正在核对……", "Checking…";
    // Status bar
}

/// The table for `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// A fixed label said as a notice (it follows the language like the rest of the window).
#[derive(Clone, Copy)]
pub struct Label(pub fn(&Strings) -> &'static str);

impl Say for Label {
    fn say(&self, lang: Lang) -> String {
        (self.0)(strings(lang)).to_owned()
    }
}

/// The window's lines that carry values.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// Students exported longer ago than the profile keeps photos, not purged yet (admins).
    PurgeDue {
        /// How many.
        students: usize,
        /// The profile's retention, in days.
        days: u32,
    },
    /// The central server in use.
    SyncCentral(String),
    /// What waits to be sent.
    SyncPending(crate::store::Pending),
    /// The last sync (stored time) and this clock minus the server's.
    SyncLast(String, i64),
    /// The clock is off the server's.
    SyncClockWarning(i64),
    /// A sync done.
    SyncDone {
        /// Changes sent.
        entries: usize,
        /// Photos sent.
        photos: usize,
        /// Bytes sent.
        bytes: u64,
        /// Captures received.
        captures: usize,
        /// Reviews received.
        reviews: usize,
        /// Students whose status changed.
        statuses: usize,
        /// Seconds.
        seconds: f64,
        /// The server's certificate was not verified (`--insecure-tls`).
        insecure: bool,
    },
    /// Students with photos from several booths.
    SyncConflicts(usize),
    /// Print size and copies.
    PrintSize(f32, f32, u32),
    /// Who an empty field prints (`None` while counting).
    PrintWho(Option<usize>),
    /// Copies on one sheet.
    PerSheet(usize),
    /// A print run done.
    Printed {
        /// Students.
        students: usize,
        /// Copies.
        copies: usize,
        /// Sheets.
        pages: usize,
        /// The paper.
        paper: Paper,
        /// The PDF.
        pdf: String,
        /// The CUPS job.
        job: Option<String>,
    },
    /// Capture cards written.
    CardsMade(usize, usize, String),
    /// Photos waiting for export (`None` while counting).
    ToExport(Option<usize>),
    /// A USB drive by its label.
    UsbDrive(String),
    /// An export done.
    Exported(usize, String),
    /// A batch read back.
    Verified(usize, usize, String),
    /// Attempts so far.
    Attempts(i64),
    /// The retake cool-down (until, Unix seconds).
    CoolDown(i64),
    /// Locked for today (until, Unix seconds).
    Locked(i64),
    /// A student's photo accepted.
    StudentDone(String),
    /// The camera gives no picture (why).
    CameraLost(String),
    /// Seconds before the automatic shot.
    Countdown(u64),
    /// The attempt stored.
    Saved(i64),
    /// Done of the class.
    DoneOf(usize, usize),
    /// A roster imported.
    Imported(crate::store::ImportCounts),
    /// Rows refused.
    ImportProblems(usize),
    /// Only the first rows shown.
    ShownOf(usize),
    /// The settings file is broken (the parser's words).
    SettingsBroken(String),
    /// The saved camera does not open (why).
    SavedCameraFailed(String),
    /// A review recorded.
    Reviewed(String, bool),
    /// Frames per second of the preview.
    PreviewRate(usize),
    /// Hints per second.
    HintRate(usize),
    /// Milliseconds per UI frame.
    FrameTime(f32),
    /// The store thread stopped.
    StoreStopped,
    /// The pipeline worker stopped.
    PipelineStopped,
    /// A print, export or sync job stopped with no answer.
    JobStopped,
    /// A background thread could not be started (the system's words).
    NoThread(String),
}

impl Say for Notice {
    fn say(&self, lang: Lang) -> String {
        let l = lang;
        match self {
            Notice::SyncCentral(at) => pick(l, format!("中心服务器：{at}"), format!("Central server: {at}")),
            Notice::SyncPending(p) => pick(
                l,
                format!(
                    "待同步：{} 条改动（照片 {} 张，审核 {} 条，日志 {} 条，其他 {} 条）",
                    p.entries, p.captures, p.reviews, p.audit, p.other
                ),
                format!(
                    "Waiting to send: {} changes ({} captures, {} reviews, {} audit rows, {} other)",
                    p.entries, p.captures, p.reviews, p.audit, p.other
                ),
            ),
            Notice::SyncLast(at, skew) => {
                let skew = crate::sync::ClockSkew(*skew).say(l);
                let at = super::local_time_of(at);
                pick(
                    l,
                    format!("上次同步：{at}（本机时钟比服务器{skew}）"),
                    format!("Last sync: {at} (this clock is {skew} the server's)"),
                )
            }
            Notice::SyncClockWarning(skew) => {
                let skew = crate::sync::ClockSkew(*skew).say(l);
                pick(
                    l,
                    format!("本机时钟比服务器{skew}：请校准时间（中心按服务器时间记录拍摄时间）"),
                    format!(
                        "This clock is {skew} the server's: set it right (the centre dates captures by the server's clock)"
                    ),
                )
            }
            Notice::SyncDone { entries, photos, bytes, captures, reviews, statuses, seconds, insecure } => {
                let size = l.bytes(*bytes);
                let warning = if *insecure { format!("\n{}", super::cli::InsecureLink.say(l)) } else { String::new() };
                let done = pick(
                    l,
                    format!(
                        "已发送 {entries} 条改动（{photos} 张照片，{size}），收到其他采集站 {captures} 张照片记录、{reviews} 条审核；{statuses} 名学生状态更新；用时 {seconds:.1} 秒"
                    ),
                    format!(
                        "Sent {entries} changes ({photos} photos, {size}); received {captures} captures and {reviews} \
                         reviews from elsewhere; {statuses} students' status changed; {seconds:.1} s"
                    ),
                );
                format!("{done}{warning}")
            }
            Notice::SyncConflicts(n) => pick(
                l,
                format!(
                    "多站冲突：{n} 名学生在不止一个采集站拍摄（以“生效”一张为准：审核通过者优先，否则以最新一张为准）"
                ),
                format!(
                    "Conflicts: {n} students photographed at more than one booth (the one marked counts: a reviewer's \
                     pick, else the latest)"
                ),
            ),
            Notice::PrintSize(w, h, copies) => pick(
                l,
                format!("每份 {w}×{h} mm，每位学生 {copies} 份（按原尺寸打印，勿缩放）"),
                format!("Each copy {w}×{h} mm, {copies} per student (print at true size, no scaling)"),
            ),
            Notice::PrintWho(n) => {
                let n = n.map_or_else(|| "…".to_owned(), |n| n.to_string());
                pick(
                    l,
                    format!("留空：打印所有已审核通过、尚未打印的学生（{n} 人）；或输入学号："),
                    format!("Leave empty for every approved student not printed yet ({n}); or type student numbers:"),
                )
            }
            Notice::PerSheet(n) => pick(l, format!("每张 {n} 份"), format!("{n} per sheet")),
            Notice::Printed { students, copies, pages, paper, pdf, job } => {
                let job = match (job, l) {
                    (None, _) => String::new(),
                    (Some(j), Lang::Zh) => format!("，打印任务 {j}"),
                    (Some(j), Lang::En) => format!(", printer job {j}"),
                };
                let paper = paper.say(l);
                pick(
                    l,
                    format!("已打印 {students} 人、{copies} 份，共 {pages} 张{paper}纸 → {pdf}{job}"),
                    format!("Printed {students} students, {copies} copies on {pages} {paper} sheet(s) → {pdf}{job}"),
                )
            }
            Notice::CardsMade(cards, sheets, pdf) => pick(
                l,
                format!("{cards} 张采集卡，{sheets} 页 A4 → {pdf}"),
                format!("{cards} capture cards on {sheets} A4 sheet(s) → {pdf}"),
            ),
            Notice::ToExport(n) => {
                let n = n.map_or_else(|| "…".to_owned(), |n| n.to_string());
                pick(l, format!("待导出：{n} 张已审核通过的照片"), format!("To export: {n} approved photos"))
            }
            Notice::UsbDrive(label) => pick(l, format!("U 盘 {label}"), format!("USB drive {label}")),
            Notice::Exported(n, dir) => pick(
                l,
                format!("已导出 {n} 张照片，已回读校验并记录：{dir}"),
                format!("Exported {n} photos, read back, verified and recorded: {dir}"),
            ),
            Notice::Verified(ok, listed, dir) => pick(
                l,
                format!("校验通过 {ok} / {listed} 张：{dir}"),
                format!("{ok} of {listed} photos verified: {dir}"),
            ),
            Notice::Attempts(n) => pick(l, format!("已拍 {n} 次"), format!("{n} attempts")),
            Notice::CoolDown(until) => {
                let until = local_time(*until);
                pick(
                    l,
                    format!("重拍过于频繁，请于 {until} 后再拍"),
                    format!("Too many failed retakes: wait until {until}"),
                )
            }
            Notice::Locked(until) => {
                let until = local_time(*until);
                pick(
                    l,
                    format!("今日失败次数已满，{until} 后解锁（审核员可解锁）"),
                    format!("Too many failures today: locked until {until} (a reviewer can unlock)"),
                )
            }
            Notice::StudentDone(name) => pick(
                l,
                format!("{name} 的照片已确认。请下一位。"),
                format!("{name}'s photo is accepted. Next, please."),
            ),
            Notice::CameraLost(why) => pick(
                l,
                format!("摄像头无画面：{why}。请检查连线，恢复后自动继续。"),
                format!("No picture from the camera: {why}. Check the cable; it resumes by itself."),
            ),
            Notice::Countdown(s) => pick(l, format!("{s} 秒后自动拍照"), format!("Shooting in {s} s")),
            Notice::Saved(n) => pick(l, format!("已保存（第 {n} 次）"), format!("Stored (attempt {n})")),
            Notice::DoneOf(done, of) => pick(l, format!("已完成 {done}/{of}"), format!("{done}/{of} done")),
            Notice::PurgeDue { students, days } => pick(
                l,
                format!(
                    "提醒：{students} 名学生的照片已导出超过 {days} 天，仍存于本机：上传确认后请清除（`tucai purge --exported-before 日期`）"
                ),
                format!(
                    "Reminder: {students} students were exported more than {days} days ago and their photos are still here: once the upload is confirmed, purge them (`tucai purge --exported-before DATE`)"
                ),
            ),
            Notice::Imported(c) => pick(
                l,
                format!("已导入：新增 {}，更新 {}，未变 {}", c.added, c.updated, c.unchanged),
                format!("Imported: {} new, {} updated, {} unchanged", c.added, c.updated, c.unchanged),
            ),
            Notice::ImportProblems(n) => pick(l, format!("{n} 行未导入："), format!("{n} rows refused:")),
            Notice::ShownOf(n) => pick(l, format!("显示前 {n} 条"), format!("First {n} shown")),
            Notice::SettingsBroken(why) => pick(
                l,
                format!("设置文件有误，已按默认设置启动：{why}"),
                format!("The settings file is broken; started with the defaults: {why}"),
            ),
            Notice::SavedCameraFailed(why) => pick(
                l,
                format!("保存的摄像头无法打开（{why}），已改用演示摄像头"),
                format!("The saved camera does not open ({why}); using the demo camera"),
            ),
            Notice::Reviewed(who, approved) => {
                use crate::store::StudentStatus;
                let now = if *approved { StudentStatus::Approved } else { StudentStatus::ToRecall };
                format!("{who}{}{}", l.colon(), now.say(l))
            }
            Notice::PreviewRate(n) => pick(l, format!("预览 {n} 帧/秒"), format!("Preview {n} fps")),
            Notice::HintRate(n) => pick(l, format!("提示 {n} 次/秒"), format!("Hints {n} /s")),
            Notice::FrameTime(ms) => pick(l, format!("界面 {ms:.1} 毫秒/帧"), format!("UI {ms:.1} ms/frame")),
            Notice::StoreStopped => l
                .pick("数据存储线程已停止：请重启采集站", "the store thread has stopped; restart the station")
                .to_owned(),
            Notice::PipelineStopped => l
                .pick("照片处理线程已停止：请重启采集站", "the pipeline worker has stopped; restart the station")
                .to_owned(),
            Notice::JobStopped => l
                .pick("任务意外停止，没有记录任何内容", "the job stopped unexpectedly; nothing was recorded")
                .to_owned(),
            Notice::NoThread(e) => {
                pick(l, format!("无法启动后台线程（{e}）"), format!("cannot start a background thread: {e}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_follows_the_language() {
        let n = Notice::Imported(crate::store::ImportCounts { added: 3, updated: 1, unchanged: 0, kept: vec![] });
        assert_eq!(n.say(Lang::Zh), "已导入：新增 3，更新 1，未变 0");
        assert_eq!(n.say(Lang::En), "Imported: 3 new, 1 updated, 0 unchanged");
        assert_eq!(Label(|s| s.saved_settings).say(Lang::En), "Settings saved");
    }
}
