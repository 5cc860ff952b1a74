//! The sentences of what leaves the booth: print runs and printers, export batches and their
//! read-back, and the sync with the central server.

use super::errors::said_in_english;
use super::{Lang, Say, detail, io_error, pick};
use crate::export::SecretFileProblem;
use crate::export::{ExportError, LeftOut, LeftOutWhy, VerifyProblem, WriteFailure};
use crate::print::{PaperTooSmall, PrintError, PrintRefusal, PrinterProblem};
use crate::progress::Stage;
use crate::sync::{ClockSkew, SyncError};

said_in_english!(PrintError, PaperTooSmall, ExportError, SyncError);

/// A file holding a password (the central server's, an export's) that cannot be used.
pub struct SecretFile<'a>(pub &'a std::path::Path, pub &'a SecretFileProblem);

impl Say for SecretFile<'_> {
    fn say(&self, lang: Lang) -> String {
        let (path, problem) = (self.0, self.1);
        let p = path.display();
        match problem {
            SecretFileProblem::Missing => {
                pick(lang, format!("密码文件 {p} 不存在"), format!("the password file {p} does not exist"))
            }
            SecretFileProblem::OpenToOthers { mode } => pick(
                lang,
                format!("密码文件 {p} 其他用户也能读取（权限 {mode:o}）：请执行 `chmod 600 {p}`"),
                format!("the password file {p} can be read by others (mode {mode:o}): run `chmod 600 {p}`"),
            ),
            SecretFileProblem::Unreadable(e) => {
                pick(lang, format!("无法读取密码文件 {p}：{e}"), format!("cannot read the password file {p}: {e}"))
            }
        }
    }
}

impl Say for crate::print::Paper {
    fn say(&self, lang: Lang) -> String {
        use crate::print::Paper;
        match self {
            Paper::SixInch => lang.pick("6 寸", "6-inch"),
            Paper::FiveInch => lang.pick("5 寸", "5-inch"),
            Paper::A4 => "A4",
        }
        .to_owned()
    }
}

impl Say for PrintError {
    fn say(&self, lang: Lang) -> String {
        match self {
            PrintError::Nothing => lang.pick("没有要打印的照片", "no photos to print").to_owned(),
            PrintError::NoneToPrint(refused) => pick(
                lang,
                format!("没有打印：{}", lang.clauses(refused)),
                format!("nothing printed: {}", lang.clauses(refused)),
            ),
            PrintError::Store(e) => e.say(lang),
            PrintError::Write { path, source } => pick(
                lang,
                format!("无法写入 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot write {}: {source}", path.display()),
            ),
            PrintError::Paper(e) => e.say(lang),
            PrintError::FontUnreadable { path, source } => pick(
                lang,
                format!(
                    "无法读取中文字体 {}：{}（请运行 packaging/deps-debian.sh）",
                    path.display(),
                    io_error(source, lang)
                ),
                format!("caption font: cannot read {}: {source} (run packaging/deps-debian.sh)", path.display()),
            ),
            PrintError::FontUnusable { path, index } => pick(
                lang,
                format!("中文字体 {}（第 {index} 款）无法使用", path.display()),
                format!("caption font: {} (face {index}) is not a usable font", path.display()),
            ),
            PrintError::Photo { who, problem } => {
                pick(lang, format!("{who} 的照片无法排版（{problem}）"), format!("photo of {who}: {problem}"))
            }
            PrintError::LowResolution { who, dpi } => pick(
                lang,
                format!("{who} 的照片打印分辨率只有 {dpi:.0} dpi（至少 300）：请按规格尺寸重拍"),
                format!(
                    "photo of {who} would print at {dpi:.0} dpi (at least 300 needed): retake it at the profile's size"
                ),
            ),
            PrintError::Printer(p) => p.say(lang),
            PrintError::Cancelled => {
                lang.pick("已中途停止，没有记录任何打印", "stopped before the end; nothing was recorded").to_owned()
            }
        }
    }
}

impl Say for PrintRefusal {
    fn say(&self, lang: Lang) -> String {
        match self {
            PrintRefusal::NoPhoto { student_no } => pick(
                lang,
                format!("{student_no}：没有已确认的照片（或不在名单中）"),
                format!("{student_no}: no accepted photo (or not on the roster)"),
            ),
            PrintRefusal::HeldElsewhere { who, station } => pick(
                lang,
                format!(
                    "{who}：生效照片由采集站 {station} 拍摄，不在本机（请在办公室副本打印：tucai --central URL print）"
                ),
                format!(
                    "{who}: the photo that counts was taken at booth {station} and is not stored here (print it from \
                     the office copy: tucai --central URL print)"
                ),
            ),
            PrintRefusal::AlreadyPrinted { who, copies } => pick(
                lang,
                format!("{who}：已打印 {copies} 份（需要时请选择重印）"),
                format!("{who}: {copies} copies already printed (ask for a reprint to print again)"),
            ),
        }
    }
}

impl Say for PrinterProblem {
    fn say(&self, lang: Lang) -> String {
        match self {
            PrinterProblem::NoCups { program } => pick(
                lang,
                format!("未安装 CUPS 打印服务（找不到 {program}）：请安装 cups 和 cups-client，或保存 PDF 到别处打印"),
                format!(
                    "CUPS is not installed ({program} not found): install cups and cups-client, or save the PDF and \
                     print it elsewhere"
                ),
            ),
            PrinterProblem::CannotRun { program, error } => {
                pick(lang, format!("无法运行 {program}（{error}）"), format!("cannot run {program}: {error}"))
            }
            PrinterProblem::NotRunning => lang
                .pick(
                    "CUPS 打印服务未运行：请启动它（sudo systemctl start cups），或保存 PDF 到别处打印；没有发送任何内容",
                    "the CUPS print service is not running: start it (sudo systemctl start cups), or save the PDF and \
                     print it elsewhere; nothing was sent",
                )
                .to_owned(),
            PrinterProblem::Failed { command, output } => {
                pick(lang, format!("打印命令失败：{command}（{output}）"), format!("{command}: {output}"))
            }
            PrinterProblem::NoSuchPrinter { name, known } if known.is_empty() => pick(
                lang,
                format!("没有名为 {name} 的打印机：CUPS 中还没有设置打印机"),
                format!("no printer named {name}: CUPS has no printers set up"),
            ),
            PrinterProblem::NoSuchPrinter { name, known } => pick(
                lang,
                format!("没有名为 {name} 的打印机；现有打印机：{}", known.join("、")),
                format!("no printer named {name}; the printers are: {}", known.join(", ")),
            ),
            PrinterProblem::Paused { name } => pick(
                lang,
                format!("打印机 {name} 已暂停：请恢复（cupsenable {name}）后再打印；没有发送任何内容"),
                format!("printer {name} is paused: resume it (cupsenable {name}) and print again; nothing was sent"),
            ),
            PrinterProblem::NotAccepting { name } => pick(
                lang,
                format!("打印机 {name} 不接受任务（cupsaccept {name}）；没有发送任何内容"),
                format!("printer {name} is not accepting jobs (cupsaccept {name}); nothing was sent"),
            ),
        }
    }
}

impl Say for PaperTooSmall {
    fn say(&self, lang: Lang) -> String {
        let PaperTooSmall { paper, margin_mm, w, h, photo_w, photo_h } = self;
        pick(
            lang,
            format!(
                "{}纸（{w}×{h} mm）放不下一张 {photo_w}×{photo_h} mm 的照片及其文字（四周留 {margin_mm} mm）：请换更大的纸",
                paper.say(lang)
            ),
            format!(
                "{} paper ({w}×{h} mm) cannot hold one {photo_w}×{photo_h} mm photo with its caption inside \
                 {margin_mm} mm margins; choose a larger paper",
                paper.say(lang)
            ),
        )
    }
}

impl Say for ExportError {
    fn say(&self, lang: Lang) -> String {
        match self {
            ExportError::Nothing(states) => {
                let states: Vec<String> = states.iter().map(|s| s.say(lang)).collect();
                pick(
                    lang,
                    format!("没有新的照片可导出：所有“{}”的照片都已在导出批次中", states.join("/")),
                    format!("nothing new to export: every {} photo is already in an export batch", states.join("/")),
                )
            }
            ExportError::AllLeftOut(left) => pick(
                lang,
                format!("没有可导出的照片：{}", lang.clauses(left)),
                format!("nothing could be exported: {}", lang.clauses(left)),
            ),
            ExportError::NoTarget(dir) => pick(
                lang,
                format!("文件夹 {} 不存在：请插入 U 盘（或选择其他文件夹）后重新导出", dir.display()),
                format!(
                    "{} is not a folder that exists: plug the drive in (or choose another folder) and run the export \
                     again",
                    dir.display()
                ),
            ),
            ExportError::Store(e) => e.say(lang),
            ExportError::Write { path, why, done, total } => pick(
                lang,
                format!(
                    "无法写入 {}：{}。已写入 {done} / {total} 张，本机记录未改变：{}，然后重新导出以完成此批次",
                    path.display(),
                    why.say(lang),
                    why.fix(lang)
                ),
                format!(
                    "cannot write {}: {} — {done} of {total} photos were written; the store is unchanged: {}, then \
                     run the same export again to complete this batch",
                    path.display(),
                    why.say(lang),
                    why.fix(lang)
                ),
            ),
            ExportError::Manifest { dir, problem } => pick(
                lang,
                format!("批次 {} 的清单无法生成（{problem}）；本机记录未改变", dir.display()),
                format!(
                    "the manifest of the batch in {} cannot be made ({problem}); the store is unchanged",
                    dir.display()
                ),
            ),
            ExportError::Verify { dir, problems } => pick(
                lang,
                format!(
                    "批次 {} 回读校验未通过（{}）；本机记录未改变：请重新导出",
                    dir.display(),
                    lang.clauses(problems)
                ),
                format!(
                    "the batch in {} did not verify ({}); the store is unchanged: run the same export again",
                    dir.display(),
                    lang.clauses(problems)
                ),
            ),
            ExportError::NoFreeFolder(dir) => pick(
                lang,
                format!(
                    "{} 中已有本采集站编号的其他批次，找不到可用的批次文件夹名：请换一个 U 盘或文件夹",
                    dir.display()
                ),
                format!(
                    "{} already holds other batches under this station's numbers and no batch folder name is free: use another drive or folder",
                    dir.display()
                ),
            ),
            ExportError::Cancelled => lang
                .pick(
                    "已中途停止，本机记录未改变（重新导出即可完成此批次）",
                    "stopped before the end; the store is unchanged (run the same export again to complete the batch)",
                )
                .to_owned(),
        }
    }
}

impl Say for WriteFailure {
    fn say(&self, lang: Lang) -> String {
        match self {
            WriteFailure::Full => lang.pick("U 盘已满", "the drive is full").to_owned(),
            WriteFailure::Gone => lang
                .pick("文件夹不见了（U 盘被拔出了吗？）", "the folder is gone (was the drive pulled out?)")
                .to_owned(),
            WriteFailure::NotAllowed(e) => pick(lang, format!("没有写入权限（{e}）"), format!("not allowed ({e})")),
            WriteFailure::Other(e) => pick(lang, format!("系统错误（{e}）"), e.clone()),
        }
    }
}

impl WriteFailure {
    /// What the operator does about it.
    fn fix(&self, lang: Lang) -> &'static str {
        match self {
            WriteFailure::Full => {
                lang.pick("请清理 U 盘空间或换更大的 U 盘", "free space on the drive or use a larger one")
            }
            WriteFailure::Gone => lang.pick("请重新插入 U 盘", "put the drive back in"),
            WriteFailure::NotAllowed(_) => {
                lang.pick("请换一个可写入的 U 盘或文件夹", "use a drive or folder you may write to")
            }
            WriteFailure::Other(_) => lang.pick("请检查 U 盘", "check the drive"),
        }
    }
}

impl Say for LeftOut {
    fn say(&self, lang: Lang) -> String {
        let who = &self.who;
        let why = match &self.why {
            LeftOutWhy::NoIdNumber => lang
                .pick(
                    "名单中没有身份证号（此规格按身份证号命名文件）",
                    "no ID number on the roster (the profile names files by ID number)",
                )
                .to_owned(),
            LeftOutWhy::NoChsiCode => lang
                .pick(
                    "未绑定学信网采集码（此规格按采集码命名文件）",
                    "no CHSI capture code bound (the profile names files by the code)",
                )
                .to_owned(),
            LeftOutWhy::BadStudentNo => {
                lang.pick("学号不能用作文件名", "the student number cannot be a file name").to_owned()
            }
            LeftOutWhy::NameTaken { file } => pick(
                lang,
                format!("文件名 {file} 已属于另一名学生"),
                format!("{file} is already another student's file name"),
            ),
            LeftOutWhy::HeldElsewhere { station } => pick(
                lang,
                format!("生效照片由采集站 {station} 拍摄，不在本机（请在办公室副本导出：tucai --central URL export）"),
                format!(
                    "the photo that counts was taken at booth {station} and is not stored here: export from the \
                     office copy (tucai --central URL export)"
                ),
            ),
            LeftOutWhy::Damaged => lang
                .pick(
                    "保存的照片已损坏（校验值不符）：请重拍",
                    "the stored photo is damaged (hash mismatch): photograph again",
                )
                .to_owned(),
        };
        format!("{who}{}{why}", lang.colon())
    }
}

impl Say for VerifyProblem {
    fn say(&self, lang: Lang) -> String {
        match self {
            VerifyProblem::ManifestUnreadable { path, error } => {
                pick(lang, format!("无法读取 {path}（{error}）"), format!("cannot read {path}: {error}"))
            }
            VerifyProblem::ManifestInvalid { error } => pick(
                lang,
                format!("manifest.json 不是图采的清单（{error}）"),
                format!("manifest.json is not a Tucai manifest: {error}"),
            ),
            VerifyProblem::Unreadable { place, error } => {
                pick(lang, format!("{place}：无法读取（{error}）"), format!("{place}: cannot read ({error})"))
            }
            VerifyProblem::NotInArchive { place } => {
                pick(lang, format!("{place}：压缩包中没有此文件"), format!("{place}: missing from the archive"))
            }
            VerifyProblem::SizeDiffers { place, bytes, expected } => pick(
                lang,
                format!("{place}：{bytes} 字节，清单记录为 {expected} 字节"),
                format!("{place}: {bytes} bytes, the manifest says {expected}"),
            ),
            VerifyProblem::HashDiffers { place } => pick(
                lang,
                format!("{place}：已损坏（SHA-256 与清单不符）"),
                format!("{place}: damaged (SHA-256 differs from the manifest)"),
            ),
            VerifyProblem::CsvMissing { path } => pick(lang, format!("{path} 缺失"), format!("{path} is missing")),
            VerifyProblem::CsvDiffers { path } => pick(
                lang,
                format!("{path} 列出的文件与 manifest.json 不同"),
                format!("{path} lists other files than manifest.json"),
            ),
            VerifyProblem::OutsideBatch { path } => pick(
                lang,
                format!(
                    "清单中的“{path}”指向批次文件夹以外（上级目录、绝对路径或链接），未读取：此批次不是本站写的或已被改动"
                ),
                format!(
                    "the manifest's '{path}' points outside the batch folder (a parent folder, an absolute path or a \
                     link); not read: this batch was not written by a station or has been altered"
                ),
            ),
            VerifyProblem::ManifestTooLarge { path, bytes } => pick(
                lang,
                format!(
                    "{path} 有 {}，超过清单的上限 {}，未读取：此批次不是本站写的或已被改动",
                    lang.bytes(*bytes),
                    lang.bytes(crate::limits::MAX_MANIFEST_BYTES)
                ),
                format!(
                    "{path} is {}, above the {} limit for a manifest; not read: this batch was not written by a \
                     station or has been altered",
                    lang.bytes(*bytes),
                    lang.bytes(crate::limits::MAX_MANIFEST_BYTES)
                ),
            ),
            VerifyProblem::NotInManifest { path } => {
                pick(lang, format!("{path}：不在清单中"), format!("{path}: not in the manifest"))
            }
            VerifyProblem::NeedsPassword => lang
                .pick(
                    "此批次已加密：请用 `--password-file 文件` 提供密码",
                    "this batch is encrypted: give its password with `--password-file FILE`",
                )
                .to_owned(),
            VerifyProblem::WrongPassword { path } => pick(
                lang,
                format!("{path}：密码不正确，无法解密（未做任何更改）"),
                format!("{path}: wrong password, it does not decrypt (nothing was changed)"),
            ),
            VerifyProblem::PersonalManifest { path, error } if error.is_empty() => pick(
                lang,
                format!("{path}：加密的学生清单与旁边的清单所列照片不同"),
                format!("{path}: the encrypted student manifest lists other photos than the one beside it"),
            ),
            VerifyProblem::PersonalManifest { path, error } => pick(
                lang,
                format!("{path}：无法读取加密的学生清单：{error}"),
                format!("{path}: the encrypted student manifest cannot be read: {error}"),
            ),
        }
    }
}

impl Say for SyncError {
    fn say(&self, lang: Lang) -> String {
        // The database's own words, with their causes, as detail (the common ones in Chinese).
        let source = match self {
            SyncError::Connect { source, .. } | SyncError::Lost { source, .. } | SyncError::Server { source, .. } => {
                database_failure(source, lang)
            }
            _ => String::new(),
        };
        match self {
            SyncError::Url(m) => {
                pick(lang, format!("中心服务器地址无效：{m}"), format!("the central server address is not valid: {m}"))
            }
            SyncError::Connect { at, .. } => pick(
                lang,
                format!("无法连接中心服务器 {at}（{source}）：本站照常工作，改动保存在本机，等下次同步"),
                format!(
                    "cannot reach the central server {at} ({source}); this station keeps working, and its changes \
                     wait here until the next sync"
                ),
            ),
            SyncError::Lost { at, .. } => pick(
                lang,
                format!(
                    "同步中与中心服务器 {at} 的连接断开（{source}）：正在发送的一批没有生效（服务器整批接收或整批不收），本机没有丢失任何数据——请再同步一次"
                ),
                format!(
                    "the connection to the central server {at} was lost during the sync ({source}): the batch under \
                     way was not applied (the server keeps all of a batch or none of it) and nothing here is lost — \
                     run the sync again to complete it"
                ),
            ),
            SyncError::Server { at, .. } => pick(
                lang,
                format!("中心服务器 {at} 拒绝了同步（{source}）；被拒绝的一批没有生效"),
                format!(
                    "the central server {at} refused the sync ({source}); nothing of the refused batch was applied"
                ),
            ),
            SyncError::NoSchema { at } => pick(
                lang,
                format!(
                    "中心数据库 {at} 还没有图采的表（或版本较旧）：请先运行一次 `tucai central init --central URL`"
                ),
                format!(
                    "the central database {at} has no Tucai schema (or an older one): run `tucai central init \
                     --central URL` once"
                ),
            ),
            SyncError::SchemaNewer { at, version } => pick(
                lang,
                format!("中心数据库 {at} 的版本（{version}）比本机图采新：请更新本机图采"),
                format!(
                    "the central database {at} has schema version {version}, newer than this tucai knows: update \
                     tucai here"
                ),
            ),
            SyncError::Tls(m) => pick(lang, format!("加密连接（TLS）无法建立：{m}"), format!("TLS: {m}")),
            SyncError::InsecureTls { mode } => pick(
                lang,
                format!(
                    "拒绝连接：`sslmode={mode}` 不验证服务器证书，传输的个人数据可能被窃听或冒充。请在地址中加 `?sslmode=verify-full`（服务器证书由 `sslrootcert=文件` 或系统信任），确需如此时加 `--insecure-tls`"
                ),
                format!(
                    "refused: sslmode={mode} does not verify the server, so the personal data sent could be read or the server faked. Use `?sslmode=verify-full` (the server's certificate trusted by the system or `sslrootcert=FILE`), or say `--insecure-tls` if you must"
                ),
            ),
            SyncError::PasswordFile { path, problem } => SecretFile(path, problem).say(lang),
            SyncError::Store(e) => e.say(lang),
            SyncError::Cancelled { batches } => pick(
                lang,
                format!("同步已停止：已发送 {batches} 批，其余等下次同步"),
                format!("sync stopped: {batches} batches were sent; the rest waits for the next sync"),
            ),
            SyncError::OtherInstall { at, station } => pick(
                lang,
                format!(
                    "中心服务器 {at} 上的工作站 {station} 属于另一份安装：本数据文件夹是复制或备份来的，没有发送任何内容。请管理员运行 `tucai restore` 给它一个自己的工作站编号"
                ),
                format!(
                    "on the central server {at}, station {station} belongs to another install: this data folder is \
                     a copy or a backup, and nothing was sent. An admin runs `tucai restore` to give it a station \
                     id of its own"
                ),
            ),
            SyncError::Behind { at, station, server_seq, here_seq } => pick(
                lang,
                format!(
                    "中心服务器 {at} 已收到工作站 {station} 的前 {server_seq} 条更改，而本数据文件夹只知道前 {here_seq} 条：它是较旧的备份，或是一份此后仍在使用的数据的复制品。为免覆盖或丢失数据，没有发送任何内容。请管理员运行 `tucai restore` 给它一个自己的工作站编号，再同步"
                ),
                format!(
                    "the central server {at} has applied {server_seq} changes of station {station}, but this data \
                     folder knows of only {here_seq}: it is an older backup, or a copy of a store that has synced \
                     since. Nothing was sent, so nothing is overwritten or lost. An admin runs `tucai restore` to \
                     give it a station id of its own, then syncs"
                ),
            ),
            SyncError::Clashes { at, clashes } => {
                let shown = |zh: bool| {
                    let items: Vec<String> = clashes
                        .iter()
                        .take(10)
                        .map(|c| {
                            if zh {
                                format!("{} {}（{}不同）", clash_word(c.kind), c.id, clash_word(c.field))
                            } else {
                                format!("{} {} ({} differs)", c.kind, c.id, clash_word_en(c.field))
                            }
                        })
                        .collect();
                    items.join(if zh { "、" } else { ", " })
                };
                let more = clashes.len().saturating_sub(10);
                let (more_zh, more_en) = if more > 0 {
                    (format!(" 等另 {more} 条"), format!(" and {more} more"))
                } else {
                    Default::default()
                };
                pick(
                    lang,
                    format!(
                        "中心服务器 {at} 上已有编号相同但内容不同的记录：{}{more_zh}。这一批没有生效，服务器和本机的数据都未改动；请把这段话发给技术支持",
                        shown(true)
                    ),
                    format!(
                        "the central server {at} holds rows with the same ids but other contents: {}{more_en}. This \
                         batch was not applied; nothing changed on the server or here. Send this message to support",
                        shown(false)
                    ),
                )
            }
        }
    }
}

/// The Chinese word for a kind of row or a field named in a [`crate::sync::central::Clash`].
fn clash_word(word: &str) -> &'static str {
    match word {
        "capture" => "照片记录",
        "review" => "审核",
        "print" => "打印记录",
        "audit" => "日志",
        "station_id" => "工作站",
        "student_no" => "学号",
        "attempt_no" => "拍摄次序",
        "taken_at" | "at" => "时间",
        "original_sha256" => "原图",
        "photo_sha256" | "capture_id" => "照片",
        "reviewer" => "审核人",
        "decision" => "结论",
        "copies" => "份数",
        "action" => "操作",
        _ => "对象",
    }
}

/// A field named in a [`crate::sync::central::Clash`], in English words.
fn clash_word_en(field: &str) -> &str {
    match field {
        "photo_sha256" => "photo",
        "original_sha256" => "original",
        other => other,
    }
}

/// What a database error comes to, in Chinese for the failures a booth meets (the server is
/// not there, the password is wrong, the network is slow); else, and in English, its words.
fn database_failure(error: &postgres::Error, lang: Lang) -> String {
    use postgres::error::SqlState;
    let words = detail(error);
    if lang == Lang::En {
        return words;
    }
    let io = std::error::Error::source(error).and_then(|s| s.downcast_ref::<std::io::Error>());
    let known = match (error.code(), io.map(std::io::Error::kind)) {
        (Some(c), _) if *c == SqlState::INVALID_PASSWORD => "用户名或密码不正确",
        (Some(c), _) if *c == SqlState::INVALID_CATALOG_NAME => "数据库不存在",
        (Some(c), _) if *c == SqlState::INSUFFICIENT_PRIVILEGE => "该用户没有权限",
        (_, Some(std::io::ErrorKind::ConnectionRefused)) => "服务器拒绝连接：服务未启动或端口不对",
        (_, Some(std::io::ErrorKind::TimedOut)) => "连接超时",
        (_, Some(std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted)) => "连接被中断",
        _ if error.is_closed() => "连接已关闭",
        _ => return format!("数据库错误：{words}"),
    };
    known.to_owned()
}

impl Say for ClockSkew {
    /// "快 3 小时 05 分" / "3 h 05 min ahead of" / "in step with" the server.
    fn say(&self, lang: Lang) -> String {
        let (abs, ahead) = (self.0.unsigned_abs(), self.0 > 0);
        if abs < 2 {
            return lang.pick("一致", "in step with").to_owned();
        }
        let amount = match (abs >= 3600, abs >= 60, lang) {
            (true, _, Lang::Zh) => format!("{} 小时 {:02} 分", abs / 3600, abs % 3600 / 60),
            (true, _, Lang::En) => format!("{} h {:02} min", abs / 3600, abs % 3600 / 60),
            (false, true, Lang::Zh) => format!("{} 分钟", abs / 60),
            (false, true, Lang::En) => format!("{} min", abs / 60),
            (false, false, Lang::Zh) => format!("{abs} 秒"),
            (false, false, Lang::En) => format!("{abs} s"),
        };
        match (lang, ahead) {
            (Lang::Zh, true) => format!("快 {amount}"),
            (Lang::Zh, false) => format!("慢 {amount}"),
            (Lang::En, true) => format!("{amount} ahead of"),
            (Lang::En, false) => format!("{amount} behind"),
        }
    }
}

impl Say for Stage {
    fn say(&self, lang: Lang) -> String {
        match self {
            Stage::Starting => lang.pick("正在开始", "starting"),
            Stage::ReadingPhotos => lang.pick("读取照片", "reading photos"),
            Stage::WritingPhotos => lang.pick("写入照片", "writing photos"),
            Stage::Verifying => lang.pick("回读校验", "verifying"),
            Stage::SendingChanges => lang.pick("发送改动", "sending changes"),
            Stage::ReceivingChanges => lang.pick("接收改动", "receiving changes"),
            Stage::ReceivingPhotos => lang.pick("接收照片", "receiving photos"),
            Stage::PrintSheets => lang.pick("生成打印页", "print sheets"),
            Stage::CaptureCards => lang.pick("生成采集卡", "capture cards"),
        }
        .to_owned()
    }
}
