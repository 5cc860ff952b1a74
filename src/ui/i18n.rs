//! Every string the station window shows, Chinese beside English, one line each. No literals
//! in the screens. `{}` marks where [`fill`] puts a value.

use crate::i18n::Lang;

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
    sync_central: "中心服务器：{}", "Central server: {}";
    sync_no_central: "未设置中心服务器：启动时加 --central postgres://用户:密码@主机/库，或设置 TUCAI_CENTRAL。本机照常采集，改动保存在本机待同步。",
        "No central server set: start with --central postgres://user:password@host/db or set TUCAI_CENTRAL. This station works as usual; its changes wait here.";
    sync_pending: "待同步：{} 条改动（照片 {} 张，审核 {} 条，日志 {} 条，其他 {} 条）", "Waiting to send: {} changes ({} captures, {} reviews, {} audit rows, {} other)";
    sync_last: "上次同步：{}（本机时钟比服务器 {}）", "Last sync: {} (this clock minus the server's: {})";
    sync_never: "尚未同步过", "Never synced";
    sync_clock_warning: "本机时钟与服务器相差 {}：请校准时间（中心按服务器时间记录拍摄时间）", "This clock is off the server's by {}: set it right (the centre dates captures by the server's clock)";
    sync_now: "立即同步", "Sync now";
    sync_with_photos: "同时下载其他采集站的照片（办公室用）", "Also fetch the other booths' photos (office)";
    sync_done: "已发送 {} 条改动（{} 张照片，{} MB），收到其他采集站 {} 张照片记录、{} 条审核；{} 名学生状态更新；用时 {} 秒",
        "Sent {} changes ({} photos, {} MB); received {} captures and {} reviews from elsewhere; {} students' status changed; {} s";
    sync_conflicts: "多站冲突：{} 名学生在不止一个采集站拍摄（以“生效”一张为准：审核通过者优先，否则以最新一张为准）", "Conflicts: {} students photographed at more than one booth (the one marked counts: a reviewer's pick, else the latest)";
    sync_counts: "生效", "counts";
    sync_col_student: "学生", "Student";
    sync_col_capture: "照片编号", "Capture";
    sync_col_station: "采集站", "Booth";
    sync_col_status: "状态", "Status";
    sync_col_taken: "拍摄时间 (UTC)", "Taken (UTC)";
    // Print and export
    print_title: "打印照片", "Print photos";
    print_size: "每份 {}×{} mm，每位学生 {} 份（按原尺寸打印，勿缩放）", "Each copy {}×{} mm, {} per student (print at true size, no scaling)";
    print_who: "留空：打印所有已审核通过、尚未打印的学生（{} 人）；或输入学号：", "Leave empty for every approved student not printed yet ({}); or type student numbers:";
    print_students_hint: "学号，用空格或逗号分隔", "Student numbers, separated by spaces or commas";
    reprint: "允许重印（已打印过的学生）", "Allow reprints (students already printed)";
    paper: "相纸：", "Paper:";
    paper_6in: "6 寸", "6-inch";
    paper_5in: "5 寸", "5-inch";
    paper_a4: "A4", "A4";
    per_sheet: "每张 {} 份", "{} per sheet";
    printer: "打印机：", "Printer:";
    pdf_only: "不打印，只保存 PDF", "None: save the PDF only";
    printer_paused: "（已暂停）", "(paused)";
    printer_busy: "（打印中）", "(printing)";
    save_pdf: "保存 PDF…", "Save PDF…";
    print_now: "打印", "Print";
    make_cards: "生成采集卡 PDF…", "Capture cards PDF…";
    printed: "已打印 {} 人、{} 份，共 {} 张 {} 纸 → {}", "Printed {} students, {} copies on {} {} sheet(s) → {}";
    printer_job: "，打印任务 {}", ", printer job {}";
    cards_made: "{} 张采集卡，{} 页 A4 → {}", "{} capture cards on {} A4 sheet(s) → {}";
    cancel_job: "取消", "Cancel";
    export_title: "导出上传批次", "Export a batch for the upload";
    to_export: "待导出：{} 张已审核通过的照片", "To export: {} approved photos";
    export_to: "导出到：", "Export to:";
    usb_drive: "U 盘 {}", "USB drive {}";
    choose_folder: "选择文件夹…", "Choose folder…";
    no_target: "请插入 U 盘或选择文件夹", "Insert a USB drive or choose a folder";
    accepted_too: "包括已采集、尚未审核的照片", "Include accepted photos not reviewed yet";
    zip_max_files: "打包为 zip，每包最多张数（0 = 不打包）：", "Zip archives of at most N photos (0 = no zip):";
    export_now: "导出并校验", "Export and verify";
    verify_batch: "校验已有批次…", "Verify a batch…";
    exported: "已导出 {} 张照片，已回读校验并记录：{}", "Exported {} photos, read back, verified and recorded: {}";
    verified: "校验通过 {} / {} 张：{}", "{} of {} photos verified: {}";
    // Login
    login_title: "操作员登录", "Operator login";
    first_admin_title: "首次使用：创建管理员账号", "First use: create the admin account";
    first_admin_hint: "此账号可管理名单、审核照片和添加其他操作员。", "This account manages the roster, reviews photos and adds operators.";
    name: "姓名", "Name";
    pin: "密码（PIN）", "PIN";
    pin_again: "再次输入密码", "PIN again";
    log_in: "登录（Enter）", "Log in (Enter)";
    create_admin: "创建并登录", "Create and log in";
    pins_differ: "两次输入的密码不一致", "The two PINs differ";
    log_out: "退出登录", "Log out";
    wrong_pin: "姓名或密码不正确", "Wrong name or PIN";
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
    attempts: "已拍 {} 次", "{} attempts";
    cool_down: "重拍过于频繁，请于 {} 后再拍", "Too many failed retakes: wait until {}";
    locked: "今日失败次数已满，{} 后解锁（审核员可解锁）", "Too many failures today: locked until {} (a reviewer can unlock)";
    unlock: "解锁重拍", "Unlock retakes";
    confirm_first: "请先核对学生身份（Enter），再拍照。", "Check the student's identity first (Enter), then shoot.";
    no_student: "名单中没有学号或姓名为 {} 的学生", "No student with number or name {} on the roster";
    st_waiting: "未拍", "Waiting";
    st_draft: "已拍未确认", "Shot, not accepted";
    st_accepted: "已确认", "Accepted";
    st_approved: "审核通过", "Approved";
    st_to_recall: "需召回重拍", "To recall";
    student_done: "{} 的照片已确认。请下一位。", "{}'s photo is accepted. Next, please.";
    roster_empty: "名单为空：请在“名单”页导入名单，或载入演示名单。", "The roster is empty: import one on the Roster screen, or load the demo roster.";
    load_demo_roster: "载入演示名单（2 名学生）", "Load the demo roster (2 students)";
    // Station: camera and shooting
    camera: "摄像头", "Camera";
    camera_starting: "正在打开摄像头……", "Opening the camera…";
    camera_lost: "摄像头无画面：{}。请检查连线，恢复后自动继续。", "No picture from the camera: {}. Check the cable; it resumes by itself.";
    profile: "照片规格", "Profile";
    shoot: "拍照（空格）", "Shoot (Space)";
    accept: "确认使用（Enter）", "Accept (Enter)";
    retake: "重拍（R）", "Retake (R)";
    cancel: "返回扫码（Esc）", "Back to scanning (Esc)";
    next_frame: "下一张（N）", "Next image (N)";
    auto_shoot: "全部合格时自动拍照", "Shoot by itself when all is green";
    countdown: "{} 秒后自动拍照", "Shooting in {} s";
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
    saved: "已保存（第 {} 次）", "Stored (attempt {})";
    save_failed: "保存失败：", "Not stored: ";
    rotation: "旋转校正", "Levelled by";
    file: "文件", "File";
    verdict_pass: "✓ 合格，可以上传", "✓ Pass: ready to upload";
    verdict_warn: "! 合格，但有提醒", "! Pass, with warnings";
    verdict_fail: "× 不合格：请按提示重拍", "× Reject: retake as advised";
    cannot_accept: "不合格的照片不能确认，请重拍。", "A rejected photo cannot be accepted: retake.";
    // Queue
    queue: "本班进度", "Class progress";
    queue_empty: "扫码后显示该生所在班级。", "Scan a student to see their class.";
    done_of: "已完成 {}", "{} done";
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
    imported: "已导入：新增 {}，更新 {}，未变 {}", "Imported: {} new, {} updated, {} unchanged";
    import_problems: "{} 行未导入：", "{} rows refused:";
    no_file_dialog: "无法打开文件选择框：请安装 zenity（packaging/deps-debian.sh）或使用 tucai roster import。", "No file chooser: install zenity (packaging/deps-debian.sh) or use `tucai roster import`.";
    col_no: "学号", "Number";
    col_name: "姓名", "Name";
    col_id: "身份证号", "ID number";
    col_college: "学院", "College";
    col_class: "班级", "Class";
    col_status: "状态", "Status";
    shown_of: "显示前 {} 条", "First {} shown";
    // Settings
    settings_title: "设置", "Settings";
    language_setting: "界面语言", "Language";
    station_name: "采集站名称", "Station name";
    data_folder: "数据文件夹", "Data folder";
    choose: "选择……", "Choose…";
    restart_needed: "重启后生效", "Takes effect after a restart";
    webcams_found: "找到的摄像头", "Webcams found";
    no_webcams: "未找到摄像头（可用演示摄像头）", "No webcam found (the demo camera works)";
    use_demo: "演示摄像头", "Demo camera";
    save: "保存", "Save";
    saved_settings: "设置已保存", "Settings saved";
    settings_broken: "设置文件有误，已按默认设置启动：{}", "The settings file is broken; started with the defaults: {}";
    saved_camera_failed: "保存的摄像头无法打开（{}），已改用演示摄像头", "The saved camera does not open ({}); using the demo camera";
    show_rates: "在状态栏显示帧率与提示频率", "Show frame and hint rates in the status bar";
    // Status bar
    preview_rate: "预览 {} 帧/秒", "Preview {} fps";
    hint_rate: "提示 {} 次/秒", "Hints {} /s";
    frame_time: "界面 {} 毫秒/帧", "UI {} ms/frame";
}

/// The table for `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// `template` with each `{}` replaced by the next value.
pub fn fill(template: &str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut parts = template.split("{}").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some() {
            match values.next() {
                Some(v) => out.push_str(&v.to_string()),
                None => out.push_str("{}"),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_values_in_order() {
        assert_eq!(fill(strings(Lang::Zh).imported, &[&3, &1, &0]), "已导入：新增 3，更新 1，未变 0");
        assert_eq!(fill("{} and {}", &[&"a"]), "a and {}");
    }
}
