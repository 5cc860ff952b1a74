//! What the command line says: its own errors ([`CliError`], which wraps every core error
//! it meets) and its reports ([`Notice`]). `--json` output keeps stable codes
//! ([`CliError::code`]) beside the rendered text.

use std::path::{Path, PathBuf};

use super::errors::{FileError, said_in_english};
use super::{Lang, Say, io_error, local_time_of, pick};
use crate::camera::CameraError;
use crate::code::CodeError;
use crate::export::{ExportError, ExportSummary, LeftOut};
use crate::imaging::{DecodeProblem, LoadError, ModelError, StandardizeError, Standardized};
use crate::print::{Paper, PrintError, PrintSummary, Printer, PrinterState};
use crate::profile::ProfileError;
use crate::quality::eval::EvalError;
use crate::quality::{Report, Verdict};
use crate::roster::RosterError;
use crate::station::IdentifyError;
use crate::store::{Candidate, Pending, ReviewDecision, Role, StoreError, Student};
use crate::sync::central::StationCounts;
use crate::sync::{ClockSkew, SyncError, SyncReport};

/// Why a command could not run, or could not finish an input.
#[derive(Debug)]
pub enum CliError {
    /// No `--data-dir` and no user data folder.
    NoDataDir,
    /// A date on the command line that is not a day of the calendar (`2026-02-30`, `6/1`).
    NotADate(String),
    /// The command line as typed does not parse (clap's finding, said in our words).
    Usage(Usage),
    /// The PIN could not be read from stdin.
    ReadPin(std::io::Error),
    /// The new PIN (or password) typed twice differently.
    PinsDiffer,
    /// A file holding a password cannot be used.
    SecretFile {
        /// The file.
        path: PathBuf,
        /// Why.
        problem: crate::export::SecretFileProblem,
    },
    /// An export password shorter than this many characters.
    PasswordTooShort(usize),
    /// The store has no accounts yet.
    NoOperators,
    /// `--operator` missing where someone must act.
    NoOperatorGiven,
    /// A file or folder could not be read, written or made.
    File(FileError),
    /// A PNG (an overlay, a matte, regions) could not be encoded.
    Png(String),
    /// `export` without `--to`.
    NoExportTarget,
    /// A command that needs the central server without `--central`.
    NoCentral,
    /// No CJK font for sheets and cards.
    NoCjkFont,
    /// An input path with no file name.
    NoFileName(PathBuf),
    /// Two inputs would write one output.
    SameOutput {
        /// The first input.
        first: PathBuf,
        /// The second.
        second: PathBuf,
        /// Their shared stem.
        stem: String,
    },
    /// An output would replace its input.
    OverwritesInput(PathBuf),
    /// A burst's output would replace one of its frames.
    OverwritesFrame(PathBuf),
    /// The export target is missing; these USB drives are mounted.
    NoTargetDrives {
        /// The export's refusal.
        error: ExportError,
        /// The drives mounted now (label and path).
        drives: Vec<String>,
    },
    /// Office mode with no sync yet and the server unreachable.
    OfficeNeedsSync(SyncError),
    /// JSON output failed.
    Json(String),
    /// CSV output failed.
    Csv(String),
    /// The station window could not start (the windowing system's words).
    NoWindow(String),
    /// A photo could not be standardized.
    Photo {
        /// The file.
        path: PathBuf,
        /// Why.
        error: StandardizeError,
    },
    /// A photo does not decode.
    Decode {
        /// The file.
        path: PathBuf,
        /// Why.
        problem: DecodeProblem,
    },
    /// No code read from an image.
    CodeIn {
        /// The image.
        path: PathBuf,
        /// Why.
        error: CodeError,
    },
    /// The store.
    Store(StoreError),
    /// Reading a photo.
    Load(LoadError),
    /// The profiles.
    Profile(ProfileError),
    /// A roster file.
    Roster(RosterError),
    /// A scanned code.
    Identify(IdentifyError),
    /// The camera.
    Camera(CameraError),
    /// Printing.
    Print(PrintError),
    /// Exporting.
    Export(ExportError),
    /// Syncing.
    Sync(SyncError),
    /// The models.
    Model(ModelError),
    /// Standardizing.
    Standardize(StandardizeError),
    /// The evaluation set (a developer's tool: its own words are English).
    Eval(EvalError),
}

said_in_english!(CliError);

/// What is wrong with the command line as typed, from clap's error kind and context.
#[derive(Debug)]
pub enum Usage {
    /// A flag or argument no command takes.
    UnknownArgument(String),
    /// A command that does not exist.
    UnknownCommand(String),
    /// Required arguments not given.
    Missing(Vec<String>),
    /// A value a flag does not take; `why` is our own parser's words, already said.
    InvalidValue {
        /// The flag.
        arg: String,
        /// The value typed.
        value: String,
        /// Why, when our parser said it.
        why: Option<String>,
        /// The values the flag takes, when it has a fixed list.
        valid: Vec<String>,
    },
    /// Two flags that do not go together.
    Conflict {
        /// The flag typed.
        arg: String,
        /// The one it conflicts with.
        with: String,
    },
    /// Anything else clap refuses (its own words, English).
    Other(String),
}

macro_rules! wraps {
    ($($variant:ident($t:ty)),* $(,)?) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> CliError {
                CliError::$variant(e)
            }
        }
    )*};
}

wraps!(
    File(FileError),
    Store(StoreError),
    Load(LoadError),
    Profile(ProfileError),
    Roster(RosterError),
    Identify(IdentifyError),
    Camera(CameraError),
    Print(PrintError),
    Export(ExportError),
    Sync(SyncError),
    Model(ModelError),
    Standardize(StandardizeError),
    Eval(EvalError),
);

impl From<csv::Error> for CliError {
    fn from(e: csv::Error) -> CliError {
        CliError::Csv(e.to_string())
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> CliError {
        CliError::Json(e.to_string())
    }
}

impl CliError {
    /// A stable code for `--json` output (the kind of failure, not its words).
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Photo { error, .. } | CliError::Standardize(error) => match error {
                StandardizeError::NoFace => "no_face",
                StandardizeError::SeveralFaces { .. } => "several_faces",
                StandardizeError::FaceTooSmall { .. } => "face_too_small",
                StandardizeError::Crop(_) => "crop_conflict",
                StandardizeError::Model(_) => "model",
                StandardizeError::Warp(_) => "resample",
                StandardizeError::Encode(_) => "size_window",
            },
            CliError::Decode { .. } | CliError::Load(LoadError::Decode { .. }) => "undecodable",
            CliError::File(FileError::Read { .. }) | CliError::Load(LoadError::Io { .. }) => "unreadable",
            CliError::File(_) | CliError::Png(_) => "unwritable",
            CliError::Store(StoreError::Refused(_))
            | CliError::Identify(IdentifyError::Store(StoreError::Refused(_))) => "refused",
            CliError::Store(StoreError::NoStudent(_)) => "no_student",
            CliError::Store(_) => "store",
            CliError::Identify(_) | CliError::CodeIn { .. } => "code",
            CliError::Print(_) => "print",
            CliError::Export(_) | CliError::NoTargetDrives { .. } | CliError::NoExportTarget => "export",
            CliError::Sync(_) | CliError::OfficeNeedsSync(_) | CliError::NoCentral => "sync",
            CliError::Profile(_) => "profile",
            CliError::Roster(_) => "roster",
            CliError::Camera(_) => "camera",
            CliError::Model(_) => "model",
            _ => "usage",
        }
    }

    /// `{"code": …, "text": …}` for `--json` output.
    pub fn json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({ "code": self.code(), "text": self.say(lang) })
    }
}

/// `path: text`, the way every per-file line names its file.
fn at(path: &Path, lang: Lang, text: String) -> String {
    format!("{}{}{text}", path.display(), lang.colon())
}

impl Say for CliError {
    fn say(&self, lang: Lang) -> String {
        match self {
            CliError::NoDataDir => lang
                .pick("找不到用户数据文件夹：请用 --data-dir 指定", "no user data folder; pass --data-dir")
                .to_owned(),
            CliError::NotADate(text) => pick(
                lang,
                format!("“{text}”不是日历上的日期：请写成 年-月-日，例如 2026-06-01"),
                format!("'{text}' is not a day of the calendar: write it as year-month-day, e.g. 2026-06-01"),
            ),
            CliError::Usage(u) => {
                let help = lang
                    .pick("（`tucai --help` 列出全部命令和参数）", " (`tucai --help` lists every command and flag)");
                // Flags and commands are shown as typed, in backticks: they are not translated.
                let what = match u {
                    Usage::UnknownArgument(a) => {
                        pick(lang, format!("没有参数 `{a}`"), format!("there is no argument `{a}`"))
                    }
                    Usage::UnknownCommand(c) => {
                        pick(lang, format!("没有命令 `{c}`"), format!("there is no command `{c}`"))
                    }
                    Usage::Missing(args) => {
                        let args = args.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(lang.comma());
                        pick(lang, format!("缺少必需的参数：{args}"), format!("required arguments missing: {args}"))
                    }
                    Usage::InvalidValue { arg, value, why: Some(why), .. } => {
                        pick(lang, format!("`{arg}` 的值“{value}”无效：{why}"), format!("`{arg}` '{value}': {why}"))
                    }
                    Usage::InvalidValue { arg, value, why: None, valid } if !valid.is_empty() => {
                        let valid = valid.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(lang.comma());
                        pick(
                            lang,
                            format!("`{arg}` 不接受“{value}”：可选 {valid}"),
                            format!("`{arg}` does not take '{value}': it takes {valid}"),
                        )
                    }
                    Usage::InvalidValue { arg, value, why: None, .. } => {
                        pick(lang, format!("`{arg}` 不接受“{value}”"), format!("`{arg}` does not take '{value}'"))
                    }
                    Usage::Conflict { arg, with } => pick(
                        lang,
                        format!("`{arg}` 不能和 `{with}` 一起用"),
                        format!("`{arg}` cannot be used with `{with}`"),
                    ),
                    Usage::Other(text) => pick(lang, format!("命令行有误：{text}"), text.clone()),
                };
                format!("{what}{help}")
            }
            CliError::PinsDiffer => lang
                .pick("两次输入的新密码不一致，未做更改", "the two new PINs or passwords differ; nothing changed")
                .to_owned(),
            CliError::SecretFile { path, problem } => super::outputs::SecretFile(path, problem).say(lang),
            CliError::PasswordTooShort(n) => pick(
                lang,
                format!("导出密码至少 {n} 个字符"),
                format!("an export password has at least {n} characters"),
            ),
            CliError::ReadPin(e) => pick(
                lang,
                format!("无法从标准输入读取密码（PIN）：{}", io_error(e, lang)),
                format!("reading the PIN from stdin: {e}"),
            ),
            CliError::NoOperators => lang
                .pick(
                    "还没有操作员账号：请先用 `tucai operator add 姓名 --role admin` 创建第一个管理员",
                    "no operator accounts yet: create the first admin with `tucai operator add NAME --role admin`",
                )
                .to_owned(),
            CliError::NoOperatorGiven => lang
                .pick(
                    "此命令需要登录：--operator 姓名（密码取自 TUCAI_PIN 或终端输入）",
                    "this command needs a login: --operator NAME (PIN from TUCAI_PIN or typed)",
                )
                .to_owned(),
            CliError::File(e) => e.say(lang),
            CliError::Png(m) => pick(lang, format!("PNG 编码失败（{m}）"), format!("PNG encoding failed: {m}")),
            CliError::NoExportTarget => lang.pick("请说明导出到哪里：--to 文件夹", "say where: --to DIR").to_owned(),
            CliError::NoCentral => lang
                .pick(
                    "请指定中心服务器：--central postgres://用户:密码@主机/库（或设置 TUCAI_CENTRAL）",
                    "say which central server: --central postgres://user:password@host/database (or TUCAI_CENTRAL)",
                )
                .to_owned(),
            CliError::NoCjkFont => lang
                .pick(
                    "未找到中文字体：请运行 packaging/deps-debian.sh（安装 fonts-noto-cjk）",
                    "no Chinese font found: run packaging/deps-debian.sh (installs fonts-noto-cjk)",
                )
                .to_owned(),
            CliError::NoFileName(p) => {
                pick(lang, format!("{} 没有文件名", p.display()), format!("{} has no file name", p.display()))
            }
            CliError::SameOutput { first, second, stem } => pick(
                lang,
                format!("{} 和 {} 都会写成 {stem}.jpg：请把其中一个改名", first.display(), second.display()),
                format!("{} and {} would both be written as {stem}.jpg; rename one", first.display(), second.display()),
            ),
            CliError::OverwritesInput(p) => pick(
                lang,
                format!("{} 会被自己的输出覆盖：请换一个 -o 文件夹（原图从不替换）", p.display()),
                format!(
                    "{} would be overwritten by its own output; choose another -o folder (originals are never \
                     replaced)",
                    p.display()
                ),
            ),
            CliError::OverwritesFrame(p) => pick(
                lang,
                format!("{} 会被连拍的输出覆盖：请换一个 -o 文件夹", p.display()),
                format!("{} would be overwritten by the burst's output; choose another -o folder", p.display()),
            ),
            CliError::NoTargetDrives { error, drives } => pick(
                lang,
                format!("{}；当前插入的 U 盘：{}", error.say(lang), drives.join("、")),
                format!("{}; USB drives mounted now: {}", error.say(lang), drives.join(", ")),
            ),
            CliError::OfficeNeedsSync(e) => pick(
                lang,
                format!("{}；办公室模式需要先与中心服务器同步一次", e.say(lang)),
                format!("{}; office mode needs one sync with the central server first", e.say(lang)),
            ),
            CliError::Json(m) => pick(lang, format!("JSON 输出失败（{m}）"), format!("JSON output failed: {m}")),
            CliError::Csv(m) => pick(lang, format!("CSV 输出失败（{m}）"), format!("CSV output failed: {m}")),
            CliError::NoWindow(m) => pick(
                lang,
                format!("采集站窗口无法打开（{m}）：有显示器吗？通过 SSH 时请用 xvfb-run"),
                format!("the station window could not start ({m}): is a display available? under SSH use xvfb-run"),
            ),
            CliError::Photo { path, error } => at(path, lang, error.say(lang)),
            CliError::Decode { path, problem } => at(path, lang, problem.say(lang)),
            CliError::CodeIn { path, error } => at(path, lang, error.say(lang)),
            CliError::Store(e) => e.say(lang),
            CliError::Load(e) => e.say(lang),
            CliError::Profile(e) => e.say(lang),
            CliError::Roster(e) => e.say(lang),
            CliError::Identify(e) => e.say(lang),
            CliError::Camera(e) => e.say(lang),
            CliError::Print(e) => e.say(lang),
            CliError::Export(e) => e.say(lang),
            CliError::Sync(e) => e.say(lang),
            CliError::Model(e) => e.say(lang),
            CliError::Standardize(e) => e.say(lang),
            CliError::Eval(e) => pick(lang, format!("评测集出错：{e}"), e.to_string()),
        }
    }
}

/// One line (or a few) the command line reports.
pub enum Notice<'a> {
    /// Asking for the PIN of `name`.
    PinPrompt(&'a str),
    /// Asking for a new account's PIN.
    NewPinPrompt(&'a str),
    /// Asking for the new PIN a second time.
    NewPinAgain(&'a str),
    /// Asking for an export's password.
    PasswordPrompt,
    /// Asking for it a second time.
    PasswordAgain,
    /// An account was added.
    OperatorAdded(&'a str, Role),
    /// An account's PIN was changed.
    PinChanged(&'a str),
    /// An account was disabled.
    OperatorDisabled(&'a str),
    /// What a purge removed (or, dry, would remove).
    Purged(&'a crate::store::Purged, &'a str),
    /// A roster row refused.
    RosterRow(&'a Path, &'a crate::roster::RowProblem),
    /// A roster file imported.
    RosterImported {
        /// The file.
        file: &'a Path,
        /// The counts.
        counts: &'a crate::store::ImportCounts,
        /// Rows refused.
        refused: usize,
        /// Lines that were GBK.
        gbk_lines: usize,
    },
    /// A code read from an image.
    CodeRead(&'a str, &'a str),
    /// A code names this student (ID number masked).
    StudentFound(&'a Student),
    /// A CHSI code not bound yet.
    CodeUnbound,
    /// A CHSI code bound.
    CodeBound(&'a Student),
    /// An attempt stored with its verdict (`None`: no photo made).
    CaptureStored {
        /// The capture id.
        id: &'a str,
        /// Attempt number.
        attempt_no: i64,
        /// The verdict.
        verdict: Option<Verdict>,
        /// The student.
        student: &'a Student,
    },
    /// A capture accepted.
    Accepted(&'a str, &'a Student),
    /// A review recorded.
    Reviewed(ReviewDecision, &'a Student),
    /// A retake limit lifted.
    Unlocked(&'a Student),
    /// A backup written.
    BackedUp(&'a Path, &'a Path),
    /// A backup put back.
    Restored(&'a crate::store::Restored),
    /// The whole store was read and found sound.
    StoreChecked(&'a Path, &'a crate::store::WholeCheck),
    /// The store was opened from another file than it was made in and took a new station id.
    RenamedAtOpen(&'a crate::store::Restored),
    /// A print run done.
    Printed(&'a PrintSummary, Paper),
    /// CUPS has no printers.
    NoPrinters,
    /// One printer.
    PrinterLine(&'a Printer),
    /// Capture cards written.
    CardsMade {
        /// Cards.
        cards: usize,
        /// A4 sheets.
        sheets: usize,
        /// The PDF.
        pdf: &'a Path,
    },
    /// A batch read back.
    Verified(&'a Path, usize, usize),
    /// A student left out of an export.
    LeftOut(&'a LeftOut),
    /// An export done.
    Exported(&'a ExportSummary),
    /// Some names don't fit GBK.
    GbkLossy,
    /// A sync done.
    Synced(&'a SyncReport),
    /// This station's id.
    Station(&'a str),
    /// The last sync (stored time) and the clock then.
    LastSync(Option<(&'a str, i64)>),
    /// What waits to be sent.
    Pending(&'a Pending),
    /// How many students have photos from several booths.
    Conflicts(usize),
    /// A student with photos from several booths.
    ConflictOf(&'a Student),
    /// One of them (and whether it counts).
    ConflictCandidate(&'a Candidate, bool),
    /// A booth as the server knows it.
    ServerStation(&'a StationCounts),
    /// `central init` found the schema current.
    SchemaCurrent(&'a str, usize),
    /// `central init` created or upgraded it.
    SchemaUpgraded(&'a str, usize, usize),
    /// Office mode synced before the command.
    OfficeSynced(&'a SyncReport),
    /// Office mode could not sync and works on the copy from a stored time.
    OfficeOffline(&'a SyncError, &'a str),
    /// Office mode could not send the decisions back.
    OfficeDecisionsWait(&'a SyncError),
    /// A photo standardized.
    Standardized {
        /// The input.
        input: &'a Path,
        /// The output.
        output: &'a Path,
        /// The result.
        result: &'a Standardized,
    },
    /// How many of a batch of inputs were standardized.
    StandardizedCount {
        /// Done.
        done: usize,
        /// Inputs.
        total: usize,
        /// The profile.
        profile: &'a str,
        /// The output folder.
        dir: &'a Path,
    },
    /// A matte written.
    Matted {
        /// The input.
        input: &'a Path,
        /// The alpha.
        output: &'a Path,
        /// The backdrop found.
        backdrop: &'a crate::imaging::matte::Backdrop,
    },
    /// Where users add profiles.
    AddProfile(&'a Path),
    /// A broken profile file skipped.
    ProfileSkipped(&'a ProfileError),
    /// Evaluation samples written.
    Generated(usize, &'a Path),
    /// Man pages and shell completions written (`tucai docs`).
    DocsWritten(usize, &'a Path),
}

impl Say for Notice<'_> {
    fn say(&self, lang: Lang) -> String {
        let l = lang;
        match self {
            Notice::PinPrompt(name) => pick(l, format!("{name} 的密码（PIN）"), format!("PIN for {name}")),
            Notice::NewPinPrompt(name) => {
                pick(l, format!("{name} 的新密码（PIN，至少 6 位数字）"), format!("new PIN for {name} (6 digits or more)"))
            }
            Notice::NewPinAgain(name) => pick(l, format!("再输入一次 {name} 的新密码"), format!("the new PIN for {name} again")),
            Notice::PasswordPrompt => l.pick("导出密码（至少 10 个字符）", "export password (10 characters or more)").to_owned(),
            Notice::PasswordAgain => l.pick("再输入一次导出密码", "the export password again").to_owned(),
            Notice::PinChanged(name) => pick(l, format!("已修改 {name} 的密码"), format!("changed the PIN of {name}")),
            Notice::OperatorDisabled(name) => {
                pick(l, format!("已停用账号 {name}（记录保留）"), format!("disabled the account {name} (its history stays)"))
            }
            Notice::Purged(p, day) => {
                let mb = p.bytes as f64 / 1e6;
                let held = if p.not_synced == 0 {
                    String::new()
                } else if l == Lang::Zh {
                    format!("；{} 名学生的更改尚未同步到中心服务器，暂不清除", p.not_synced)
                } else {
                    format!("; {} students kept: their changes are not on the central server yet", p.not_synced)
                };
                match (p.done, l) {
                    (true, Lang::Zh) => format!(
                        "已清除 {day} 前导出的 {} 名学生的照片（{} 个文件，{mb:.1} MB）和身份证号{held}；人数统计和操作记录保留",
                        p.students.len(),
                        p.photos
                    ),
                    (true, Lang::En) => format!(
                        "purged {} students exported before {day}: {} photo files ({mb:.1} MB) and their ID numbers{held}; counts and the audit trail stay",
                        p.students.len(),
                        p.photos
                    ),
                    (false, Lang::Zh) => format!(
                        "（试运行，未做更改）将清除 {day} 前导出的 {} 名学生的照片（{} 个文件，{mb:.1} MB）和身份证号{held}",
                        p.students.len(),
                        p.photos
                    ),
                    (false, Lang::En) => format!(
                        "(dry run, nothing changed) would purge {} students exported before {day}: {} photo files ({mb:.1} MB) and their ID numbers{held}",
                        p.students.len(),
                        p.photos
                    ),
                }
            }
            Notice::OperatorAdded(name, role) => {
                pick(l, format!("已添加操作员 {name}（{}）", role.say(l)), format!("added operator {name} ({})", role.say(l)))
            }
            Notice::RosterRow(file, p) => format!("✗ {}{}{}", file.display(), l.colon(), p.say(l)),
            Notice::RosterImported { file, counts, refused, gbk_lines } => {
                let gbk = match (*gbk_lines, l) {
                    (0, _) => String::new(),
                    (n, Lang::Zh) => format!("（{n} 行为 GBK 编码）"),
                    (n, Lang::En) => format!(" ({n} lines were GBK)"),
                };
                pick(
                    l,
                    format!(
                        "{}：新增 {}，更新 {}，未变 {}，未导入 {refused} 行{gbk}",
                        file.display(),
                        counts.added,
                        counts.updated,
                        counts.unchanged
                    ),
                    format!(
                        "{}: {} added, {} updated, {} unchanged, {refused} rows refused{gbk}",
                        file.display(),
                        counts.added,
                        counts.updated,
                        counts.unchanged
                    ),
                )
            }
            Notice::CodeRead(format, text) => pick(l, format!("读到 {format}：{text}"), format!("read {format}: {text}")),
            Notice::StudentFound(s) => {
                let r = &s.record;
                pick(
                    l,
                    format!(
                        "→ {} {}（{} {}），身份证 {}，{}",
                        r.student_no,
                        r.name,
                        r.college,
                        r.class,
                        s.id_number_for(false),
                        s.status.say(l)
                    ),
                    format!(
                        "→ {} {} ({} {}), ID {}, {}",
                        r.student_no,
                        r.name,
                        r.college,
                        r.class,
                        s.id_number_for(false),
                        s.status.say(l)
                    ),
                )
            }
            Notice::CodeUnbound => l
                .pick(
                    "→ 学信网二维码尚未绑定：请按学号或姓名找到学生，并核对身份证后四位（tucai code bind 码 --student … --id-last4 …）",
                    "→ a CHSI code not bound yet: find the student by number or name and confirm the last 4 ID digits \
                     (tucai code bind CODE --student … --id-last4 …)",
                )
                .to_owned(),
            Notice::CodeBound(s) => {
                pick(l, format!("学信网二维码已绑定到 {}", s.who()), format!("bound the CHSI code to {}", s.who()))
            }
            Notice::CaptureStored { id, attempt_no, verdict, student } => {
                let verdict = match verdict {
                    None => l.pick("未能生成照片", "no photo made"),
                    Some(Verdict::Fail) => l.pick("不合格", "fail"),
                    Some(Verdict::Warn) => l.pick("合格，有提醒", "pass with warnings"),
                    Some(_) => l.pick("合格", "pass"),
                };
                pick(
                    l,
                    format!("已保存 {id}（第 {attempt_no} 次，{verdict}）：{}", student.who()),
                    format!("stored {id} (attempt {attempt_no}, {verdict}) for {}", student.who()),
                )
            }
            Notice::Accepted(id, s) => pick(l, format!("已确认 {id}：{}", s.who()), format!("accepted {id} for {}", s.who())),
            Notice::Reviewed(decision, s) => match decision {
                ReviewDecision::Approve => pick(l, format!("审核通过：{}", s.who()), format!("Approve: {}", s.who())),
                ReviewDecision::Reject => pick(l, format!("已退回：{}", s.who()), format!("Reject: {}", s.who())),
            },
            Notice::Unlocked(s) => pick(l, format!("{} 可以重新拍照", s.who()), format!("{} may be photographed again", s.who())),
            Notice::BackedUp(from, to) => pick(
                l,
                format!("已备份 {} → {}", from.display(), to.display()),
                format!("backed up {} → {}", from.display(), to.display()),
            ),
            Notice::StoreChecked(path, c) => pick(
                l,
                format!("{} 完整无损：已读取全部 {}，用时 {:.1} 秒", path.display(), l.bytes(c.bytes), c.seconds),
                format!("{} is sound: all {} read in {:.1} s", path.display(), l.bytes(c.bytes), c.seconds),
            ),
            Notice::Restored(r) => {
                let aside = |zh: bool| match (&r.kept_aside, zh) {
                    (Some(p), true) => format!("原来的数据已移到 {}；", p.display()),
                    (Some(p), false) => format!("the store that was here is kept in {}; ", p.display()),
                    (None, _) => String::new(),
                };
                pick(
                    l,
                    format!(
                        "已从 {} 恢复。{}本机现在是工作站 {}（原为 {}，服务器会记录二者的关系），以后的照片、审核和记录不会与原工作站混淆；原工作站未发送的 {} 条更改将在下次同步时发送",
                        r.from_file.display(),
                        aside(true),
                        r.new_station,
                        r.old_station,
                        r.unsent
                    ),
                    format!(
                        "restored from {}. {}This store is now station {} (it was {}; the server links the two), so \
                         what it makes from now on never mixes with the original's; the {} changes the original had \
                         not sent go with the next sync",
                        r.from_file.display(),
                        aside(false),
                        r.new_station,
                        r.old_station,
                        r.unsent
                    ),
                )
            }
            Notice::RenamedAtOpen(r) => pick(
                l,
                format!(
                    "此数据文件夹是从别处复制（或搬移、或由备份手工放回）来的：为免与原工作站 {} 的数据混在一起，本机已改为新工作站 {}（服务器会记录二者的关系）；原工作站未发送的 {} 条更改将以原工作站的名义发送",
                    r.old_station, r.new_station, r.unsent
                ),
                format!(
                    "this data folder was copied (or moved, or a backup was put back by hand): so that its data \
                     never mixes with the original station {}'s, it is now station {} (the server links the two); \
                     the {} changes the original had not sent go under the original's name",
                    r.old_station, r.new_station, r.unsent
                ),
            ),
            Notice::Printed(s, paper) => {
                let job = match (&s.job, l) {
                    (None, _) => String::new(),
                    (Some(j), Lang::Zh) => format!("，打印任务 {j}"),
                    (Some(j), Lang::En) => format!(", printer job {j}"),
                };
                pick(
                    l,
                    format!(
                        "已打印 {} 人、{} 份，共 {} 张{}纸（不低于 {:.0} dpi）→ {}{job}",
                        s.students,
                        s.copies,
                        s.pages,
                        paper.say(l),
                        s.min_dpi,
                        s.pdf.display()
                    ),
                    format!(
                        "{} students, {} copies on {} {} sheet(s) ({:.0} dpi or better) → {}{job}",
                        s.students,
                        s.copies,
                        s.pages,
                        paper.say(l),
                        s.min_dpi,
                        s.pdf.display()
                    ),
                )
            }
            Notice::NoPrinters => l.pick("CUPS 中还没有设置打印机", "CUPS has no printers set up").to_owned(),
            Notice::PrinterLine(p) => {
                let state = match p.state {
                    PrinterState::Idle => l.pick("就绪", "ready"),
                    PrinterState::Printing => l.pick("打印中", "printing"),
                    PrinterState::Paused => l.pick("已暂停（cupsenable 可恢复）", "PAUSED (cupsenable to resume)"),
                };
                let default = if p.default { l.pick("（默认）", " (default)") } else { "" };
                let accepting = if p.accepting { "" } else { l.pick("，不接受任务", ", not accepting jobs") };
                format!("{}{default}{}{state}{accepting}", p.name, l.colon())
            }
            Notice::CardsMade { cards, sheets, pdf } => pick(
                l,
                format!("{cards} 张采集卡，{sheets} 页 A4 → {}", pdf.display()),
                format!("{cards} capture cards on {sheets} A4 sheet(s) → {}", pdf.display()),
            ),
            Notice::Verified(dir, verified, listed) => pick(
                l,
                format!("{}：校验通过 {verified} / {listed} 张", dir.display()),
                format!("{}: {verified} of {listed} photos verified", dir.display()),
            ),
            Notice::LeftOut(left) => pick(l, format!("✗ 未导出 {}", left.say(l)), format!("✗ left out {}", left.say(l))),
            Notice::Exported(s) => exported(s, l),
            Notice::GbkLossy => l
                .pick(
                    "注意：有些姓名含有 GBK 无法表示的字，GBK 清单中以代码显示",
                    "note: some names have characters GBK cannot hold; the GBK manifest shows codes for them",
                )
                .to_owned(),
            Notice::Synced(r) => synced(r, l),
            Notice::Station(id) => pick(l, format!("采集站 {id}"), format!("station {id}")),
            Notice::LastSync(None) => l.pick("尚未同步过", "never synced").to_owned(),
            Notice::LastSync(Some((at, skew))) => pick(
                l,
                format!("上次同步 {}（本机时钟比服务器{}）", local_time_of(at), ClockSkew(*skew).say(l)),
                format!("last sync {} (clock {} the server's)", local_time_of(at), ClockSkew(*skew).say(l)),
            ),
            Notice::Pending(p) => pick(
                l,
                format!(
                    "待同步：{} 条改动（照片 {} 张，审核 {} 条，日志 {} 条，其他 {} 条）",
                    p.entries, p.captures, p.reviews, p.audit, p.other
                ),
                format!(
                    "pending: {} changes ({} captures, {} reviews, {} audit rows, {} other)",
                    p.entries, p.captures, p.reviews, p.audit, p.other
                ),
            ),
            Notice::Conflicts(n) => pick(l, format!("多站冲突：{n}"), format!("conflicts: {n}")),
            Notice::ConflictOf(s) => format!("  {}{}", s.who(), l.colon().trim_end()),
            Notice::ConflictCandidate(k, counts) => {
                let mark = if *counts { l.pick("生效", "counts") } else { l.pick("    ", "      ") };
                let approved = match (&k.approved_at, l) {
                    (None, _) => String::new(),
                    (Some(a), Lang::Zh) => format!("，审核通过于 {}", local_time_of(a)),
                    (Some(a), Lang::En) => format!(", approved {}", local_time_of(a)),
                };
                pick(
                    l,
                    format!(
                        "    {mark} {}（采集站 {}）：{}，拍摄于 {}{approved}",
                        k.capture_id,
                        k.station_id,
                        k.status.say(l),
                        local_time_of(&k.taken_at)
                    ),
                    format!(
                        "    {mark} {} at {}: {}, taken {}{approved}",
                        k.capture_id,
                        k.station_id,
                        k.status.say(l),
                        local_time_of(&k.taken_at)
                    ),
                )
            }
            Notice::ServerStation(s) => {
                let last = if s.last_sync.is_empty() { l.pick("从未", "never").to_owned() } else { local_time_of(&s.last_sync) };
                pick(
                    l,
                    format!(
                        "服务器：采集站 {} —— 照片 {} 张，审核 {} 条，日志 {} 条，最近一批 {last}，时钟{}",
                        s.station_id,
                        s.captures,
                        s.reviews,
                        s.audit,
                        ClockSkew(s.clock_skew_s).say(l)
                    ),
                    format!(
                        "server: booth {} — {} captures, {} reviews, {} audit rows, last batch {last}, clock {}",
                        s.station_id,
                        s.captures,
                        s.reviews,
                        s.audit,
                        ClockSkew(s.clock_skew_s).say(l)
                    ),
                )
            }
            Notice::SchemaCurrent(at, v) => pick(
                l,
                format!("中心数据库 {at} 已是最新（版本 {v}）"),
                format!("central schema at {at} is up to date (version {v})"),
            ),
            Notice::SchemaUpgraded(at, before, after) => pick(
                l,
                format!("中心数据库 {at} 已创建或升级：版本 {before} → {after}"),
                format!("central schema at {at} created or upgraded: version {before} → {after}"),
            ),
            Notice::OfficeSynced(r) => pick(
                l,
                format!(
                    "办公室副本已与 {} 同步：收到其他采集站的照片记录 {} 条、照片 {} 张",
                    r.central, r.pulled.captures, r.pulled.photos
                ),
                format!(
                    "office copy synced with {}: {} captures from other booths, {} photos received",
                    r.central, r.pulled.captures, r.pulled.photos
                ),
            ),
            Notice::OfficeOffline(e, at) => pick(
                l,
                format!("警告：{}\n使用 {} 同步的办公室副本", e.say(l), local_time_of(at)),
                format!("warning: {}\nworking on the office copy from {}", e.say(l), local_time_of(at)),
            ),
            Notice::OfficeDecisionsWait(e) => pick(
                l,
                format!("警告：{}\n这些决定保存在本机，随下次同步发送", e.say(l)),
                format!("warning: {}\nthe decisions are kept here and go with the next sync", e.say(l)),
            ),
            Notice::Standardized { input, output, result } => standardized(input, output, result, l),
            Notice::StandardizedCount { done, total, profile, dir } => pick(
                l,
                format!("{done} / {total} 张照片已按 {profile} 标准化 → {}", dir.display()),
                format!("{done} of {total} photos standardized to {profile} → {}", dir.display()),
            ),
            Notice::Matted { input, output, backdrop: b } => {
                let kind = if b.plain { l.pick("纯色", "plain") } else { l.pick("非纯色", "not plain") };
                let [r, g, bl] = b.colour_rgb;
                pick(
                    l,
                    format!(
                        "✓ {} → {}  背景{kind}：中心 RGB({r},{g},{bl})，离散度 {:.1}",
                        input.display(),
                        output.display(),
                        b.spread
                    ),
                    format!(
                        "✓ {} → {}  backdrop {kind}: RGB({r},{g},{bl}) at the centre, spread {:.1}",
                        input.display(),
                        output.display(),
                        b.spread
                    ),
                )
            }
            Notice::AddProfile(dir) => pick(
                l,
                format!("添加照片规格：把 .toml 文件放入 {}（或使用 --profiles-dir 文件夹）。", dir.display()),
                format!("Add a profile: put a .toml file in {} (or pass --profiles-dir DIR).", dir.display()),
            ),
            Notice::ProfileSkipped(e) => pick(l, format!("已跳过 {}", e.say(l)), format!("skipped {}", e.say(l))),
            Notice::Generated(n, dir) => {
                pick(l, format!("已在 {} 生成 {n} 个样本", dir.display()), format!("generated {n} samples in {}", dir.display()))
            }
            Notice::DocsWritten(n, dir) => pick(
                l,
                format!("已在 {} 写出 {n} 个手册页和命令补全文件", dir.display()),
                format!("wrote {n} man pages and shell completions in {}", dir.display()),
            ),
        }
    }
}

fn exported(s: &ExportSummary, l: Lang) -> String {
    let mut extra = String::new();
    if s.kept > 0 {
        extra.push_str(&pick(
            l,
            format!("，其中 {} 张是上次中断时已写入的", s.kept),
            format!(", {} already there from an interrupted run", s.kept),
        ));
    }
    if !s.archives.is_empty() {
        extra.push_str(&pick(
            l,
            format!("，{} 个 zip 包", s.archives.len()),
            format!(", {} zip archives", s.archives.len()),
        ));
    }
    let size = l.bytes(s.bytes);
    pick(
        l,
        format!(
            "已导出 {} 张照片（{size}{extra}）到 {}，已回读校验；批次 {} 已记录",
            s.photos,
            s.batch_dir.display(),
            s.batch_id
        ),
        format!(
            "exported {} photos ({size}{extra}) to {}, read back and verified; batch {} recorded",
            s.photos,
            s.batch_dir.display(),
            s.batch_id
        ),
    )
}

/// The warning every sync over unverified TLS carries (`--insecure-tls`).
pub struct InsecureLink;

impl Say for InsecureLink {
    fn say(&self, lang: Lang) -> String {
        lang.pick(
            "⚠ 未验证服务器证书（`--insecure-tls`）：连接可能被窃听或冒充，请尽快为中心服务器配置证书",
            "⚠ the server's certificate was not verified (--insecure-tls): the link could be read or faked; give the central server a certificate",
        )
        .to_owned()
    }
}

fn synced(r: &SyncReport, l: Lang) -> String {
    let p = &r.pulled;
    let size = l.bytes(r.bytes_sent);
    let mut lines = vec![
        pick(
            l,
            format!(
                "已向 {} 发送 {} 批：照片记录 {} 条、照片 {} 张、审核 {} 条、日志 {} 条（共 {} 条改动，{size}）",
                r.central, r.batches, r.captures, r.photos_sent, r.reviews, r.audit, r.entries
            ),
            format!(
                "sent {} batches to {}: {} captures, {} photos, {} reviews, {} audit rows ({} entries, {size})",
                r.batches, r.central, r.captures, r.photos_sent, r.reviews, r.audit, r.entries
            ),
        ),
        pick(
            l,
            format!(
                "收到名单 {} 行、其他采集站照片记录 {} 条、审核 {} 条、打印 {} 条、照片 {} 张；{} 名学生状态更新",
                p.students, p.captures, p.reviews, p.prints, p.photos, p.statuses
            ),
            format!(
                "received {} roster lines, {} captures from other booths, {} reviews, {} prints, {} photos; {} \
                 students' status changed",
                p.students, p.captures, p.reviews, p.prints, p.photos, p.statuses
            ),
        ),
    ];
    if r.insecure_tls {
        lines.push(InsecureLink.say(l));
    }
    if !r.roster_kept.is_empty() {
        let numbers = r.roster_kept.join(", ");
        lines.push(pick(
            l,
            format!(
                "本机对 {} 名学生（学号 {numbers}）的名单改动没有生效：这些行此后已在别处更正，服务器保留了更正，并已同步到本机",
                r.roster_kept.len()
            ),
            format!(
                "the roster changes made here for {} students ({numbers}) were not applied: those lines were \
                 corrected elsewhere since; the server kept the correction, which this sync brought here",
                r.roster_kept.len()
            ),
        ));
    }
    if r.clock_skew_s.abs() > crate::sync::CLOCK_WARNING_S {
        let skew = ClockSkew(r.clock_skew_s).say(l);
        lines.push(pick(
            l,
            format!("警告：本机时钟比服务器{skew}：中心按服务器时间记录拍摄时间；请校准时间"),
            format!(
                "warning: this computer's clock is {skew} the server's: its captures are dated by the server's \
                 clock centrally; set the clock right"
            ),
        ));
    }
    if r.conflicts > 0 {
        lines.push(pick(
            l,
            format!("{} 名学生在不止一个采集站拍摄（`tucai sync status` 列出他们及生效的一张）", r.conflicts),
            format!(
                "{} students have photos from more than one booth (`tucai sync status` lists them and which one \
                 counts)",
                r.conflicts
            ),
        ));
    }
    if r.pending.entries > 0 {
        lines.push(pick(
            l,
            format!("同步期间产生的 {} 条改动等下次同步", r.pending.entries),
            format!("{} changes made during the sync wait for the next one", r.pending.entries),
        ));
    }
    lines.push(pick(l, format!("用时 {:.1} 秒", r.seconds), format!("done in {:.1} s", r.seconds)));
    lines.join("\n")
}

fn standardized(input: &Path, output: &Path, r: &Standardized, l: Lang) -> String {
    let p = &r.plan.placed;
    let (w, h, q, kib) = (r.photo.width(), r.photo.height(), r.jpeg.quality, r.jpeg.bytes.len() as f64 / 1024.0);
    let turned = match r.quarter_turns_cw() {
        1 => l.pick("（照片原为侧放，已先顺时针转 90°）", " (the picture lay on its side: first turned 90° clockwise)"),
        2 => l.pick("（照片原为倒置，已先转 180°）", " (the picture was upside down: first turned 180°)"),
        3 => l.pick(
            "（照片原为侧放，已先逆时针转 90°）",
            " (the picture lay on its side: first turned 90° anticlockwise)",
        ),
        _ => "",
    };
    let line = pick(
        l,
        format!(
            "✓ {} → {}  {w}×{h} q{q} {kib:.1} KiB  头顶 {:.0} px，眼线 {:.0} px，脸宽 {:.0} px，旋转 {:+.1}°，缩放 {:.3}",
            input.display(),
            output.display(),
            p.head_top_margin_px,
            p.eye_line_from_top_px,
            p.face_width_px,
            r.plan.rotation_deg,
            r.plan.scale,
        ),
        format!(
            "✓ {} → {}  {w}×{h} q{q} {kib:.1} KiB  head top {:.0} px, eye line {:.0} px, face width {:.0} px, \
             rotated {:+.1}°, scale {:.3}",
            input.display(),
            output.display(),
            p.head_top_margin_px,
            p.eye_line_from_top_px,
            p.face_width_px,
            r.plan.rotation_deg,
            r.plan.scale,
        ),
    );
    line + turned
}

/// The column heads of `tucai report` on a terminal (CSV and JSON keep the stable names).
pub fn report_columns(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => ["学院", "班级", "总数", "未拍", "未确认", "已确认", "已通过", "需召回"],
        Lang::En => ["college", "class", "total", "waiting", "draft", "accepted", "approved", "to recall"],
    }
}

/// The human checklist of a check report: the verdict, every failure and warning with its
/// fix, then a count of what passed.
pub fn checklist(path: &Path, report: &Report, lang: Lang) -> String {
    let count = |v: Verdict| report.findings.iter().filter(|f| f.verdict == v).count();
    let (fails, passes, skipped) = (count(Verdict::Fail), count(Verdict::Pass), count(Verdict::Skipped));
    let verdict = match report.verdict {
        Verdict::Fail => pick(lang, format!("不合格（{fails} 项问题）"), format!("REJECT ({fails} problems)")),
        Verdict::Warn => lang.pick("合格，有提醒", "pass, with warnings").to_owned(),
        _ => lang.pick("合格", "pass").to_owned(),
    };
    let mark = |v: Verdict| match v {
        Verdict::Fail => "✗",
        Verdict::Warn => "!",
        Verdict::Pass => "✓",
        Verdict::Skipped => "-",
    };
    let mut out = format!("{} {} — {verdict}\n", mark(report.verdict), path.display());
    for f in report.findings.iter().filter(|f| matches!(f.verdict, Verdict::Fail | Verdict::Warn)) {
        out.push_str(&format!("  {} {}\n", mark(f.verdict), f.message.get(lang)));
        if !f.fix.get(lang).is_empty() {
            out.push_str(&format!("      → {}\n", f.fix.get(lang)));
        }
    }
    if passes > 0 {
        out.push_str(&pick(lang, format!("  ✓ 其余 {passes} 项合格\n"), format!("  ✓ {passes} other checks pass\n")));
    }
    if skipped > 0 {
        out.push_str(&pick(
            lang,
            format!("  - {skipped} 项未检测（--json 列出原因）\n"),
            format!("  - {skipped} not checked (--json lists why)\n"),
        ));
    }
    out
}
