//! The sentences of the core's errors and refusals: the store, the pipeline, rosters, codes,
//! the camera and profiles (print, export and sync are in `outputs.rs`). Each says what
//! happened, where, and what to do; `Display` is the English text, for logs.

use super::{Lang, Say, detail, io_error, local_time, pick};
use crate::camera::CameraError;
use crate::code::CodeError;
use crate::imaging::align::{CropConflict, FrameSide};
use crate::imaging::landmarks::NoMeshFace;
use crate::imaging::{DecodeProblem, EncodeError, LoadError, ModelError, StandardizeError, WarpError};
use crate::profile::ProfileError;
use crate::roster::id_number::IdNumberError;
use crate::roster::{RosterError, RowIssue, RowProblem};
use crate::station::IdentifyError;
use crate::store::{Action, BackupProblem, CaptureStatus, Refusal, Role, StoreError, StudentStatus};

/// `Display` (English, for logs and `{:#}`) and `std::error::Error` from [`Say`]: the text
/// is written once, here; causes are part of it, so `source()` is not repeated.
macro_rules! said_in_english {
    ($($t:ty),* $(,)?) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.say(Lang::En))
            }
        }
        impl std::error::Error for $t {}
    )*};
}
pub(crate) use said_in_english;

/// A file or folder that could not be read, written or made, with the system's reason.
#[derive(Debug)]
pub enum FileError {
    /// Reading a file.
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing a file.
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Making a folder.
    CreateDir {
        /// The folder.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl Say for FileError {
    fn say(&self, lang: Lang) -> String {
        match self {
            FileError::Read { path, source } => pick(
                lang,
                format!("无法读取 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot read {}: {source}", path.display()),
            ),
            FileError::Write { path, source } => pick(
                lang,
                format!("无法写入 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot write {}: {source}", path.display()),
            ),
            FileError::CreateDir { path, source } => pick(
                lang,
                format!("无法创建文件夹 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot create the folder {}: {source}", path.display()),
            ),
        }
    }
}

said_in_english!(
    FileError,
    StoreError,
    StandardizeError,
    CropConflict,
    LoadError,
    DecodeProblem,
    EncodeError,
    ModelError,
    WarpError,
    NoMeshFace,
    CodeError,
    CameraError,
    RosterError,
    IdNumberError,
    ProfileError,
    IdentifyError,
);

impl Say for Role {
    fn say(&self, lang: Lang) -> String {
        match self {
            Role::Operator => lang.pick("操作员", "operator"),
            Role::Reviewer => lang.pick("审核员", "reviewer"),
            Role::Admin => lang.pick("管理员", "admin"),
        }
        .to_owned()
    }
}

impl Say for Action {
    fn say(&self, lang: Lang) -> String {
        match self {
            Action::Identify => lang.pick("识别学生", "identifying students"),
            Action::Capture => lang.pick("拍照", "taking photos"),
            Action::Accept => lang.pick("确认照片", "accepting photos"),
            Action::Count => lang.pick("查看人数统计", "counting students"),
            Action::ChangeOwnPin => lang.pick("修改自己的密码", "changing one's own PIN"),
            Action::Review => lang.pick("审核照片", "reviewing photos"),
            Action::Unlock => lang.pick("解除重拍限制", "lifting a retake lock"),
            Action::ListStudents => lang.pick("列出学生名单", "listing students"),
            Action::Print => lang.pick("打印照片和采集卡", "printing photos and capture cards"),
            Action::Export => lang.pick("导出上传批次", "exporting a batch for the upload"),
            Action::Office => lang.pick("在办公室处理全部照片", "working on the whole collection (office mode)"),
            Action::ImportRoster => lang.pick("导入名单", "importing the roster"),
            Action::ManageAccounts => lang.pick("管理账号", "managing accounts"),
            Action::Backup => lang.pick("备份数据", "backing up the store"),
            Action::CheckStore => lang.pick("检查整个数据库", "checking the whole store"),
            Action::Restore => lang.pick("从备份恢复数据", "restoring the store from a backup"),
            Action::Sync => lang.pick("与中心服务器同步", "syncing with the central server"),
            Action::CentralInit => lang.pick("建立中心服务器的表", "setting up the central server"),
            Action::Purge => lang.pick("清除已上传学生的个人数据", "purging uploaded students' personal data"),
            Action::ChangeDataFolder => lang.pick("更换数据文件夹", "changing the data folder"),
            Action::LeaveKiosk => lang.pick("退出或开关锁定模式", "leaving or switching kiosk mode"),
            Action::ShowIdNumbers => lang.pick("显示完整身份证号", "showing whole ID numbers"),
        }
        .to_owned()
    }
}

impl Say for StudentStatus {
    fn say(&self, lang: Lang) -> String {
        match self {
            StudentStatus::Waiting => lang.pick("未拍", "waiting"),
            StudentStatus::Draft => lang.pick("已拍未确认", "shot, not accepted"),
            StudentStatus::Accepted => lang.pick("已确认", "accepted"),
            StudentStatus::Approved => lang.pick("审核通过", "approved"),
            StudentStatus::ToRecall => lang.pick("需召回重拍", "to recall"),
        }
        .to_owned()
    }
}

impl Say for CaptureStatus {
    fn say(&self, lang: Lang) -> String {
        match self {
            CaptureStatus::Failed => lang.pick("未通过检测", "failed"),
            CaptureStatus::Draft => lang.pick("草稿", "draft"),
            CaptureStatus::Accepted => lang.pick("已确认", "accepted"),
            CaptureStatus::Approved => lang.pick("审核通过", "approved"),
            CaptureStatus::Rejected => lang.pick("已退回", "rejected"),
            CaptureStatus::Superseded => lang.pick("已被替换", "superseded"),
        }
        .to_owned()
    }
}

impl Say for StoreError {
    fn say(&self, lang: Lang) -> String {
        match self {
            StoreError::Sql { path, source } => pick(
                lang,
                format!("数据库 {} 出错：{}", path.display(), detail(source)),
                format!("database {}: {}", path.display(), detail(source)),
            ),
            StoreError::Folder { path, source } => pick(
                lang,
                format!("无法创建数据文件夹 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot create the data folder {}: {source}", path.display()),
            ),
            StoreError::Damaged { path, report } => pick(
                lang,
                format!(
                    "数据库 {} 已损坏（{report}）：请用 `tucai restore 备份文件` 放回最近一次 `tucai backup` 写出的文件",
                    path.display()
                ),
                format!(
                    "database {} is damaged ({report}); put back the latest file written by `tucai backup` with \
                     `tucai restore BACKUP-FILE`",
                    path.display()
                ),
            ),
            StoreError::Newer { path, version } => pick(
                lang,
                format!(
                    "数据库 {} 由较新的图采建立（数据库版本 {version}，本程序只认识到 {}）：请更新本机图采；数据未改动",
                    path.display(),
                    crate::store::STORE_VERSION
                ),
                format!(
                    "database {} was made by a newer Tucai (store version {version}; this one knows up to {}): \
                     update Tucai here; the store is unchanged",
                    path.display(),
                    crate::store::STORE_VERSION
                ),
            ),
            StoreError::NotABackup { path, problem } => {
                let (zh, en) = match problem {
                    BackupProblem::Missing => ("文件不存在".to_owned(), "there is no such file".to_owned()),
                    BackupProblem::NotAStore => ("它不是图采的数据库".to_owned(), "it is not a Tucai store".to_owned()),
                    BackupProblem::Newer { version } => (
                        format!("它由较新的图采建立（数据库版本 {version}）：请先更新本机图采"),
                        format!("a newer Tucai made it (store version {version}); update Tucai here first"),
                    ),
                };
                pick(
                    lang,
                    format!("无法从 {} 恢复：{zh}；现有数据未改动", path.display()),
                    format!("cannot restore from {}: {en}; the current store is unchanged", path.display()),
                )
            }
            StoreError::Corrupt { sha256 } => pick(
                lang,
                format!("数据库中的照片 {} 已损坏（内容与其校验值不符）", short(sha256)),
                format!("photo {} is damaged in the database (its bytes no longer match their hash)", short(sha256)),
            ),
            StoreError::NotHere { sha256 } => pick(
                lang,
                format!(
                    "照片 {} 不在本机（由另一采集站拍摄）：办公室副本（`tucai --central URL …`）保存所有照片",
                    short(sha256)
                ),
                format!(
                    "photo {} is not stored here (another booth took it): the office copy (`tucai --central URL …`) \
                     holds every photo",
                    short(sha256)
                ),
            ),
            StoreError::NoStudent(who) => pick(
                lang,
                format!("名单中没有学号或姓名为 {who} 的学生"),
                format!("no student with number or name {who} on the roster"),
            ),
            StoreError::Refused(r) => r.say(lang),
            StoreError::CodeTaken { owner_no, owner_name, other_no, other_name } => pick(
                lang,
                format!("此码已绑定 {owner_name}（{owner_no}），不能再绑定 {other_name}（{other_no}）"),
                format!(
                    "code already bound to {owner_name} ({owner_no}); it can't also be {other_name} ({other_no})'s"
                ),
            ),
            StoreError::Original(e) => pick(
                lang,
                format!("无法保存摄像头原图：{}", e.say(lang)),
                format!("cannot keep the camera frame: {}", e.say(lang)),
            ),
        }
    }
}

/// The first 12 hex digits of a hash: enough to find it, short enough to read.
fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

impl Say for Refusal {
    fn say(&self, lang: Lang) -> String {
        match self {
            Refusal::CoolDown { name, failures, until } => pick(
                lang,
                format!(
                    "{name} 已连续 {failures} 次未通过检测：请于 {} 后再拍（或由审核员解除：tucai unlock）",
                    local_time(*until)
                ),
                format!(
                    "{name} failed the checks {failures} times in a row: wait until {} (or a reviewer lifts it: \
                     tucai unlock)",
                    local_time(*until)
                ),
            ),
            Refusal::Locked { name, until } => pick(
                lang,
                format!("{name} 今日失败次数已满，{} 前不能再拍（审核员可解除：tucai unlock）", local_time(*until)),
                format!(
                    "{name} is locked until {} after repeated failed shots (a reviewer can lift it: tucai unlock)",
                    local_time(*until)
                ),
            ),
            Refusal::NoDraftToAccept { name } => pick(
                lang,
                format!("{name} 没有通过检测的照片可确认：请先拍照"),
                format!("{name} has no draft that passed the checks to accept"),
            ),
            Refusal::RejectNeedsReason => lang
                .pick(
                    "退回照片需要写明学生可以改正的原因（--reason）",
                    "a rejection needs a reason the student can act on (--reason)",
                )
                .to_owned(),
            Refusal::NoPhotoToReview { name, capture_id: Some(id) } => pick(
                lang,
                format!("{name} 没有编号为 {id} 的已确认或已通过照片可审核"),
                format!("{name} has no accepted or approved photo {id} to review"),
            ),
            Refusal::NoPhotoToReview { name, capture_id: None } => {
                pick(lang, format!("{name} 没有已确认的照片可审核"), format!("{name} has no accepted photo to review"))
            }
            Refusal::SeveralNamed { count, name } => pick(
                lang,
                format!("有 {count} 名学生叫 {name}：请用学号"),
                format!("{count} students are named {name}; use the student number"),
            ),
            Refusal::Last4Mismatch { name, student_no } => pick(
                lang,
                format!("身份证后四位与 {name}（{student_no}）不符：请再问一次学生"),
                format!("the last 4 ID digits do not match {name} ({student_no}); ask the student again"),
            ),
            Refusal::RoleNeeded { name, has, action } => pick(
                lang,
                format!("{name} 是{}，{}需要{}账号", has.say(lang), action.say(lang), action.role().say(lang)),
                format!("{name} is {}; {} needs the {} role", has.say(lang), action.say(lang), action.role().say(lang)),
            ),
            Refusal::FirstAccountAdmin => lang
                .pick("第一个账号必须是管理员（--role admin）", "the first account must be an admin (--role admin)")
                .to_owned(),
            Refusal::AddAccountNeedsLogin => lang
                .pick(
                    "只有管理员可以添加账号（请用 --operator 登录）",
                    "only an admin can add accounts (log in with --operator)",
                )
                .to_owned(),
            Refusal::AccountNameEmpty => lang.pick("账号需要一个名字", "an account needs a name").to_owned(),
            Refusal::PinTooShort { min_digits } => pick(
                lang,
                format!("密码（PIN）至少 {min_digits} 位数字"),
                format!("a PIN is at least {min_digits} digits"),
            ),
            Refusal::PinHash => lang.pick("无法保存密码（PIN）：请重试", "cannot hash the PIN: try again").to_owned(),
            Refusal::AccountExists { name } => {
                pick(lang, format!("已有名为 {name} 的账号"), format!("an account named {name} exists already"))
            }
            Refusal::WrongPin { name } => {
                pick(lang, format!("{name} 的姓名或密码不正确"), format!("wrong operator name or PIN for {name}"))
            }
            Refusal::LockedOut { name, until } => pick(
                lang,
                format!("{name} 密码错误次数过多，已锁定到 {}：请稍后再试或找管理员", local_time(*until)),
                format!(
                    "too many wrong PINs for {name}: locked until {}; try again then, or ask an admin",
                    local_time(*until)
                ),
            ),
            Refusal::AccountDisabled { name } => pick(
                lang,
                format!("账号 {name} 已停用：请找管理员"),
                format!("the account {name} is disabled; ask an admin"),
            ),
            Refusal::MustChangePin { name } => pick(
                lang,
                format!("{name} 的密码太短，请先修改：`tucai --operator {name} operator passwd`"),
                format!("{name}'s PIN is too short; change it first: tucai --operator {name} operator passwd"),
            ),
            Refusal::NoSuchAccount { name } => {
                pick(lang, format!("没有名为 {name} 的账号"), format!("there is no account named {name}"))
            }
            Refusal::DisableSelf => lang
                .pick(
                    "不能停用自己的账号：请让另一位管理员操作",
                    "you cannot disable your own account; ask another admin",
                )
                .to_owned(),
        }
    }
}

impl Say for IdentifyError {
    fn say(&self, lang: Lang) -> String {
        match self {
            IdentifyError::Code(e) => e.say(lang),
            IdentifyError::Store(e) => e.say(lang),
        }
    }
}

impl Say for StandardizeError {
    fn say(&self, lang: Lang) -> String {
        match self {
            StandardizeError::NoFace => lang
                .pick(
                    "照片中没有检测到人脸：请正对镜头，露出额头和双耳",
                    "no face found in the photo: face the camera, show forehead and ears",
                )
                .to_owned(),
            StandardizeError::SeveralFaces { count } => pick(
                lang,
                format!("照片中有 {count} 张人脸：照片只能有一个人"),
                format!("{count} faces found; the photo must show one person"),
            ),
            StandardizeError::FaceTooSmall { scale, max } => pick(
                lang,
                format!("人脸太小：需要放大 {scale:.2} 倍（最多 {max:.2} 倍）；请把镜头靠近"),
                format!(
                    "face too small to reach the size: it would need {scale:.2}× enlargement (at most {max:.2}×); \
                     move the camera closer"
                ),
            ),
            StandardizeError::Crop(c) => c.say(lang),
            StandardizeError::Model(e) => e.say(lang),
            StandardizeError::Warp(e) => e.say(lang),
            StandardizeError::Encode(e) => e.say(lang),
        }
    }
}

impl Say for CropConflict {
    fn say(&self, lang: Lang) -> String {
        match *self {
            CropConflict::BeyondFrame { side: FrameSide::Bottom, shortfall_px } => pick(
                lang,
                format!(
                    "照片下边会超出画面 {shortfall_px:.0} 像素，那里是脖子和肩膀，不能凭空补出：请后退或把镜头拉远，下方还需留出约 {shortfall_px:.0} 像素"
                ),
                format!(
                    "the photo would reach {shortfall_px:.0} camera pixels below the frame, where the neck and \
                     shoulders are: they would have to be invented. Step back or zoom out (about {shortfall_px:.0} \
                     more pixels are needed below)"
                ),
            ),
            CropConflict::BeyondFrame { side, shortfall_px } => {
                let (edge_zh, edge_en, fix_zh, fix_en) = match side {
                    FrameSide::Top => ("上方", "above", "请把镜头放低或后退", "lower the camera or step back"),
                    FrameSide::Left => ("左侧", "left of", "请站到中间或后退", "move to the centre or step back"),
                    _ => ("右侧", "right of", "请站到中间或后退", "move to the centre or step back"),
                };
                pick(
                    lang,
                    format!("照片会超出画面{edge_zh} {shortfall_px:.0} 像素（人在那里），不能凭空补出：{fix_zh}"),
                    format!(
                        "the photo would reach {shortfall_px:.0} camera pixels {edge_en} the frame where the person \
                         is: that part would have to be invented. {fix_en}"
                    ),
                )
            }
            CropConflict::HeadTop { margin_px, min_px } => pick(
                lang,
                format!(
                    "头发太高：即使人脸最小、眼线最低，头顶离上边也只有 {margin_px:.0} 像素（至少 {min_px:.0}）。请把头发放低（不要高发髻）后重拍"
                ),
                format!(
                    "the hair reaches too high for the profile: even with the smallest face and the lowest eye line \
                     allowed, the head top would be {margin_px:.0} px from the top edge (at least {min_px:.0}). Wear \
                     the hair lower (no high bun) and retake"
                ),
            ),
        }
    }
}

impl Say for LoadError {
    fn say(&self, lang: Lang) -> String {
        match self {
            LoadError::Io { path, source } => pick(
                lang,
                format!("无法读取 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot read {}: {source}", path.display()),
            ),
            LoadError::TooLarge { path, bytes } => pick(
                lang,
                format!(
                    "{} 有 {}，超过照片文件的上限 {}：不是本站要处理的照片，请用相机或手机的原图",
                    path.display(),
                    lang.bytes(*bytes),
                    lang.bytes(crate::limits::MAX_PHOTO_BYTES)
                ),
                format!(
                    "{} is {}, above the {} limit for a photo file: not a photo the station takes; use the camera's \
                     or phone's own picture",
                    path.display(),
                    lang.bytes(*bytes),
                    lang.bytes(crate::limits::MAX_PHOTO_BYTES)
                ),
            ),
            LoadError::Decode { path, problem } => {
                format!("{}{}{}", path.display(), lang.colon(), problem.say(lang))
            }
        }
    }
}

impl Say for DecodeProblem {
    fn say(&self, lang: Lang) -> String {
        match self {
            DecodeProblem::Unsupported(format) => pick(
                lang,
                format!(
                    "文件是 {format} 格式，本站不读取：请存为 JPEG（手机上“分享”时选“兼容性最佳”/JPEG，或打开后导出为 JPEG）再试"
                ),
                format!(
                    "the file is {format}, which the station does not read: save it as JPEG (on a phone: share as \
                     \"most compatible\" / JPEG; or open it and export as JPEG) and try again"
                ),
            ),
            DecodeProblem::Unknown => lang
                .pick(
                    "无法识别的文件格式（应为 JPEG、PNG 或 WebP）",
                    "unknown file format (expected JPEG, PNG or WebP)",
                )
                .to_owned(),
            DecodeProblem::CutOff => lang
                .pick(
                    "JPEG 文件不完整（最后一段数据后没有结束标记）：文件已损坏或没有复制完整",
                    "the JPEG is cut off (no end-of-image marker after the last scan): the file is damaged or was not \
                     copied completely",
                )
                .to_owned(),
            DecodeProblem::Damaged(m) => pick(
                lang,
                format!("不是可读的 JPEG、PNG 或 WebP 图片（{m}）"),
                format!("not a readable JPEG, PNG or WebP image: {m}"),
            ),
            DecodeProblem::TooManyPixels { width, height } => {
                let max_mp = crate::limits::MAX_PHOTO_PIXELS / 1_000_000;
                pick(
                    lang,
                    format!(
                        "图片文件头声明 {width}×{height} 像素，超过上限 {max_mp} 百万像素，未解码：请先缩小到 {max_mp} 百万像素以内"
                    ),
                    format!(
                        "the image's header claims {width}×{height} pixels, above the {max_mp}-megapixel limit; not \
                         decoded: scale it down to at most {max_mp} megapixels first"
                    ),
                )
            }
        }
    }
}

impl Say for EncodeError {
    fn say(&self, lang: Lang) -> String {
        match self {
            EncodeError::TooLargeAtFloor { bytes, quality, max_bytes } => pick(
                lang,
                format!("最低质量 {quality} 时 JPEG 仍有 {bytes} 字节，超过规格上限 {max_bytes} 字节"),
                format!(
                    "JPEG is {bytes} bytes at the quality floor {quality}, above the profile's {max_bytes}-byte maximum"
                ),
            ),
            EncodeError::TooSmallAtMax { bytes, quality, min_bytes } => pick(
                lang,
                format!("质量 {quality} 时 JPEG 只有 {bytes} 字节，低于规格下限 {min_bytes} 字节（文件从不填充）"),
                format!(
                    "JPEG is only {bytes} bytes at quality {quality}, below the profile's {min_bytes}-byte minimum \
                     (files are never padded)"
                ),
            ),
            EncodeError::WindowBetweenSteps { min_bytes, max_bytes, below_q, below_bytes, above_q, above_bytes } => {
                pick(
                    lang,
                    format!(
                        "没有质量能落在 {min_bytes}–{max_bytes} 字节之间：质量 {below_q} 为 {below_bytes} 字节，{above_q} 为 {above_bytes} 字节"
                    ),
                    format!(
                        "no quality lands in {min_bytes}–{max_bytes} bytes: quality {below_q} gives {below_bytes}, \
                         {above_q} gives {above_bytes}"
                    ),
                )
            }
            EncodeError::Encoder(m) => pick(lang, format!("JPEG 编码失败（{m}）"), format!("JPEG encoder failed: {m}")),
        }
    }
}

impl Say for ModelError {
    fn say(&self, lang: Lang) -> String {
        match self {
            ModelError::Load { name, message } => pick(
                lang,
                format!("模型 {name} 无法加载（{message}）：程序已损坏，请重新安装"),
                format!("model {name} failed to load: {message}"),
            ),
            ModelError::Run { name, message } => pick(
                lang,
                format!("模型 {name} 运行失败（{message}）"),
                format!("model {name} failed to run: {message}"),
            ),
        }
    }
}

impl Say for WarpError {
    fn say(&self, lang: Lang) -> String {
        match self {
            WarpError::OutsideSource { width, height } => pick(
                lang,
                format!("裁剪区域完全在 {width}×{height} 原图之外"),
                format!("the crop lies entirely outside the {width}×{height} source image"),
            ),
            WarpError::Resize(m) => pick(lang, format!("缩放失败（{m}）"), format!("resize failed: {m}")),
        }
    }
}

impl Say for NoMeshFace {
    fn say(&self, lang: Lang) -> String {
        let presence = self.presence;
        pick(
            lang,
            format!("特征点模型在检测框中没有找到人脸（置信度 {presence:.2}）"),
            format!("the landmark model found no face in the detected box (presence {presence:.2})"),
        )
    }
}

impl Say for CodeError {
    fn say(&self, lang: Lang) -> String {
        match self {
            CodeError::NoCode => lang
                .pick(
                    "没有找到二维码或条形码：请把码放平、对准焦点，占画面约四分之一",
                    "no QR code or barcode found (hold the code flat, in focus, filling a quarter of the picture)",
                )
                .to_owned(),
            CodeError::Several(n) => pick(
                lang,
                format!("画面中有 {n} 个不同的码：请一次只出示一个"),
                format!("{n} different codes in the picture; show one at a time"),
            ),
            CodeError::Pattern(m) => pick(
                lang,
                format!("照片规格中的二维码格式无效（{m}）"),
                format!("the profile's code pattern is invalid: {m}"),
            ),
            CodeError::Empty => lang.pick("扫描到的内容为空", "the scanned text is empty").to_owned(),
            CodeError::Text(problem) => pick(
                lang,
                format!("扫描到的内容{}，不是本站的采集码：请重新扫描，或输入学号", problem.say(lang)),
                format!(
                    "the scanned text {}: not a code for this station; scan again or type the student number",
                    problem.say(lang)
                ),
            ),
        }
    }
}

impl Say for CameraError {
    fn say(&self, lang: Lang) -> String {
        match self {
            CameraError::EmptyFolder(dir) => pick(
                lang,
                format!("{dir} 中没有可读的 JPEG、PNG 或 WebP 图片"),
                format!("no readable JPEG, PNG or WebP images in {dir}"),
            ),
            CameraError::Folder { path, source } => pick(
                lang,
                format!("无法读取摄像头文件夹 {path}：{}", io_error(source, lang)),
                format!("cannot read camera folder {path}: {source}"),
            ),
            CameraError::UnknownSpec(spec) => pick(
                lang,
                format!("无法识别的摄像头 '{spec}'：可用 `auto`、`demo`、`dir:路径` 或 `webcam:N[@宽x高]`"),
                format!("unknown camera '{spec}': use `auto`, `demo`, `dir:PATH` or `webcam:N[@WIDTHxHEIGHT]`"),
            ),
            CameraError::NoWebcamSupport => lang
                .pick(
                    "此版本不支持摄像头（编译时未启用 `webcam`）：请用 `--camera demo`",
                    "this build has no webcam support (built without the `webcam` feature); use `--camera demo`",
                )
                .to_owned(),
            CameraError::Thread(e) => pick(
                lang,
                format!("无法启动摄像头线程：{}", io_error(e, lang)),
                format!("cannot start the camera thread: {e}"),
            ),
        }
    }
}

impl Say for RosterError {
    fn say(&self, lang: Lang) -> String {
        match self {
            RosterError::Io { path, source } => pick(
                lang,
                format!("无法读取名单 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot read the roster {}: {source}", path.display()),
            ),
            RosterError::Workbook { path, message } => pick(
                lang,
                format!("{} 不是可读的 XLSX 工作簿（{message}）", path.display()),
                format!("{}: not a readable XLSX workbook: {message}", path.display()),
            ),
            RosterError::TooLarge { path, bytes, max } => pick(
                lang,
                format!(
                    "{} 有 {}（或解压后有这么大），超过名单文件的上限 {}：不是一份名单，请检查是否选错了文件",
                    path.display(),
                    lang.bytes(*bytes),
                    lang.bytes(*max)
                ),
                format!(
                    "{} is {} (or unpacks to that), above the {} limit for a roster: not a roster; check that \
                     this is the right file",
                    path.display(),
                    lang.bytes(*bytes),
                    lang.bytes(*max)
                ),
            ),
            RosterError::TooManyCells { path } => pick(
                lang,
                format!(
                    "{} 的第一个工作表超过 {} 个单元格：不是一份名单，请只保留名单那一页后另存再导入",
                    path.display(),
                    crate::roster::MAX_XLSX_CELLS
                ),
                format!(
                    "{}: the first sheet has more than {} cells: not a roster; keep only the roster's sheet, save \
                     and import again",
                    path.display(),
                    crate::roster::MAX_XLSX_CELLS
                ),
            ),
            RosterError::NoHeader { path } => pick(
                lang,
                format!("{}：前 {} 行中没有含“学号”和“姓名”的表头", path.display(), crate::roster::HEADER_SEARCH_ROWS),
                format!(
                    "{}: no header row with 学号 (student number) and 姓名 (name) in the first {} rows",
                    path.display(),
                    crate::roster::HEADER_SEARCH_ROWS
                ),
            ),
        }
    }
}

impl Say for crate::limits::TextProblem {
    fn say(&self, lang: Lang) -> String {
        use crate::limits::TextProblem;
        match self {
            TextProblem::TooLong { chars, max } => pick(
                lang,
                format!("过长（{chars} 个字符，最多 {max} 个）"),
                format!("is too long ({chars} characters, at most {max})"),
            ),
            TextProblem::Control { at, code } => pick(
                lang,
                format!("含有不可见的控制字符（第 {at} 个字符，U+{code:04X}）"),
                format!("holds an invisible control character (character {at}, U+{code:04X})"),
            ),
        }
    }
}

impl Say for RowProblem {
    fn say(&self, lang: Lang) -> String {
        pick(
            lang,
            format!("第 {} 行：{}", self.line, self.problem.say(lang)),
            format!("line {}: {}", self.line, self.problem.say(lang)),
        )
    }
}

impl Say for RowIssue {
    fn say(&self, lang: Lang) -> String {
        match self {
            RowIssue::NoStudentNo => lang.pick("学号为空", "empty student number (学号)").to_owned(),
            RowIssue::NoName { student_no } => {
                pick(lang, format!("学号 {student_no} 的姓名为空"), format!("student {student_no}: empty name (姓名)"))
            }
            RowIssue::Repeated { student_no, first_line } => pick(
                lang,
                format!("学号 {student_no} 重复（首次出现在第 {first_line} 行），此行跳过"),
                format!("student number {student_no} appears again (first on line {first_line}); this row is skipped"),
            ),
            RowIssue::Cell { field, problem } => {
                let field = roster_field(field, lang);
                pick(
                    lang,
                    format!("{field}{}，此行未导入：请在表格中改正后重新导入", problem.say(lang)),
                    format!(
                        "the {field} {}; the row was not imported: correct it in the spreadsheet and import again",
                        problem.say(lang)
                    ),
                )
            }
            RowIssue::IdNumber { who, masked, why } => pick(
                lang,
                format!("{who}：身份证号 {masked} {}", why.say(lang)),
                format!("student {who}: ID number {masked} {}", why.say(lang)),
            ),
            RowIssue::CorrectedElsewhere { student_no, changes } => {
                let list = |zh: bool| {
                    let items: Vec<String> = changes
                        .iter()
                        .map(|c| {
                            let field = roster_field(c.field, if zh { Lang::Zh } else { Lang::En });
                            if zh {
                                format!("{field}现为“{}”，文件中为“{}”", c.now, c.file)
                            } else {
                                format!("{field} is now '{}', the file has '{}'", c.now, c.file)
                            }
                        })
                        .collect();
                    items.join(if zh { "；" } else { "; " })
                };
                pick(
                    lang,
                    format!(
                        "学号 {student_no} 此后已在别处更正（{}）：此文件较旧，此行未导入；如文件才是对的，请在办公室修改",
                        list(true)
                    ),
                    format!(
                        "student {student_no} was corrected elsewhere since ({}): this file is older, so this row was \
                         not imported; if the file is right, change it at the office",
                        list(false)
                    ),
                )
            }
        }
    }
}

/// A roster field's name as the office's files head it.
fn roster_field(field: &str, lang: Lang) -> &'static str {
    match (field, lang) {
        ("student_no", Lang::Zh) => "学号",
        ("student_no", _) => "student number",
        ("name", Lang::Zh) => "姓名",
        ("id_number", Lang::Zh) => "身份证号",
        ("college", Lang::Zh) => "学院",
        ("major", Lang::Zh) => "专业",
        ("class", Lang::Zh) => "班级",
        ("exam_no", Lang::Zh) => "考生号",
        ("name", _) => "name",
        ("id_number", _) => "ID number",
        ("college", _) => "college",
        ("major", _) => "major",
        ("class", _) => "class",
        _ => "exam number",
    }
}

impl Say for IdNumberError {
    fn say(&self, lang: Lang) -> String {
        match self {
            IdNumberError::Length(n) => {
                pick(lang, format!("有 {n} 位，不是 18 位"), format!("has {n} characters, not 18"))
            }
            IdNumberError::Character(c) => pick(
                lang,
                format!("含有“{c}”（只能是数字，最后一位可以是 X）"),
                format!("contains '{c}' (only digits, and X as the last character)"),
            ),
            IdNumberError::BirthDate(d) => {
                pick(lang, format!("出生日期 {d} 不是有效日期"), format!("birth date {d} is not a valid date"))
            }
            IdNumberError::Check { found, expected } => pick(
                lang,
                format!("校验位是 {found}，按其余各位应为 {expected}（有一位写错或两位颠倒）"),
                format!(
                    "check character is {found} but the digits give {expected} (a digit is wrong or two are swapped)"
                ),
            ),
        }
    }
}

impl Say for ProfileError {
    fn say(&self, lang: Lang) -> String {
        match self {
            ProfileError::Read { path, source } => pick(
                lang,
                format!("无法读取照片规格 {}：{}", path.display(), io_error(source, lang)),
                format!("cannot read profile {}: {source}", path.display()),
            ),
            ProfileError::Syntax { path, message } => pick(
                lang,
                format!("照片规格 {} 格式有误（{message}）", path.display()),
                format!("profile {} is not a valid profile file: {message}", path.display()),
            ),
            ProfileError::Invalid { path, problems } => {
                // Each problem names its TOML key and the value; the key is the same in both languages.
                let list: Vec<String> =
                    problems.iter().map(|p| format!("{}{}{}", p.key, lang.colon(), p.problem)).collect();
                pick(
                    lang,
                    format!("照片规格 {} 的数值不成立：{}", path.display(), list.join("；")),
                    format!("profile {} has impossible values: {}", path.display(), list.join("; ")),
                )
            }
            ProfileError::Unknown { id, known, user_dir } => pick(
                lang,
                format!("没有名为“{id}”的照片规格（已有：{known}）：把 TOML 文件放入 {user_dir}，或给出文件路径"),
                format!("no profile named '{id}' (known: {known}); add a TOML file to {user_dir} or pass a path"),
            ),
        }
    }
}
