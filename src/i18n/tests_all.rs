//! Every message variant said in both languages, checked so the two cannot drift apart: no
//! empty text, no English prose in the Chinese (names, codes, file formats and commands
//! excepted), no Chinese in the English apart from the values put in, and the same numbers
//! in both. A new variant that is not sampled here fails to compile: each enum's sampler
//! matches every variant by name.

use std::path::PathBuf;

use super::{Lang, Say};
use crate::camera::CameraError;
use crate::code::CodeError;
use crate::export::{ExportError, LeftOut, LeftOutWhy, VerifyProblem, WriteFailure};
use crate::i18n::cli::{CliError, Notice as CliNotice, Usage};
use crate::i18n::errors::FileError;
use crate::i18n::window::{Label, Notice};
use crate::imaging::align::{CropConflict, FrameSide};
use crate::imaging::landmarks::NoMeshFace;
use crate::imaging::{DecodeProblem, EncodeError, LoadError, ModelError, StandardizeError, WarpError};
use crate::limits::TextProblem;
use crate::print::{
    Paper, PaperTooSmall, PrintError, PrintRefusal, PrintSummary, Printer, PrinterProblem, PrinterState,
};
use crate::profile::{ProfileError, ProfileProblem};
use crate::progress::Stage;
use crate::quality::{NotChecked, Room};
use crate::roster::id_number::IdNumberError;
use crate::roster::{RosterError, RowIssue, RowProblem};
use crate::station::IdentifyError;
use crate::store::{
    Action, Applied, Candidate, CaptureStatus, ImportCounts, Pending, Refusal, ReviewDecision, Role, StoreError,
    Student, StudentRecord, StudentStatus,
};
use crate::sync::central::StationCounts;
use crate::sync::{ClockSkew, SyncError, SyncReport};

/// The values the samples carry: stripped before the language checks (a name is not prose).
const NAME: &str = "李静";
const NO: &str = "2026001";
const PATH: &str = "/数据/照片.jpg";
const DIR: &str = "/数据/批次";
const STATION: &str = "st-a1b2";
const CAPTURE: &str = "st-a1b2-7";
const DETAIL: &str = "细节";
const AT: &str = "postgres://用户:***@主机/库";

fn path() -> PathBuf {
    PATH.into()
}

fn io() -> std::io::Error {
    std::io::Error::from(std::io::ErrorKind::NotFound)
}

fn student() -> Student {
    let record = StudentRecord {
        student_no: NO.into(),
        name: NAME.into(),
        id_number: Some("11010519491231002X".into()),
        college: "信息学院".into(),
        major: "软件工程".into(),
        class: "软件1班".into(),
        exam_no: String::new(),
    };
    Student { id: 1, record, status: StudentStatus::Approved }
}

/// A real error from the database client: a connection refused on a closed local port.
fn postgres_error() -> postgres::Error {
    match postgres::Client::connect("host=127.0.0.1 port=1 user=u dbname=d connect_timeout=2", postgres::NoTls) {
        Err(e) => e,
        Ok(_) => panic!("nothing listens on port 1"),
    }
}

type Sample = (String, Box<dyn Say>);

fn s(label: &str, message: impl Say + 'static) -> Sample {
    (label.to_owned(), Box::new(message))
}

fn store_errors() -> Vec<Sample> {
    let all = vec![
        StoreError::Sql { path: path(), source: rusqlite::Error::InvalidQuery },
        StoreError::Folder { path: path(), source: io() },
        StoreError::Damaged { path: path(), report: DETAIL.into() },
        StoreError::Newer { path: path(), version: 9 },
        StoreError::NotABackup { path: path(), problem: crate::store::BackupProblem::Missing },
        StoreError::NotABackup { path: path(), problem: crate::store::BackupProblem::NotAStore },
        StoreError::NotABackup { path: path(), problem: crate::store::BackupProblem::Newer { version: 9 } },
        StoreError::Corrupt { sha256: "0123456789ab0123".into() },
        StoreError::NotHere { sha256: "0123456789ab0123".into() },
        StoreError::NoStudent(NO.into()),
        StoreError::Refused(Refusal::PinHash),
        StoreError::CodeTaken {
            owner_no: NO.into(),
            owner_name: NAME.into(),
            other_no: "2026002".into(),
            other_name: "王五".into(),
        },
        StoreError::Original(EncodeError::Encoder(DETAIL.into())),
    ];
    for e in &all {
        match e {
            StoreError::Sql { .. }
            | StoreError::Folder { .. }
            | StoreError::Damaged { .. }
            | StoreError::NotABackup { .. }
            | StoreError::Newer { .. }
            | StoreError::Corrupt { .. }
            | StoreError::NotHere { .. }
            | StoreError::NoStudent(_)
            | StoreError::Refused(_)
            | StoreError::CodeTaken { .. }
            | StoreError::Original(_) => {}
        }
    }
    all.into_iter().map(|e| s("StoreError", e)).collect()
}

fn refusals() -> Vec<Sample> {
    let name = NAME.to_owned();
    let all = vec![
        Refusal::CoolDown { name: name.clone(), failures: 3, until: 1_764_547_200 },
        Refusal::Locked { name: name.clone(), until: 1_764_547_200 },
        Refusal::NoDraftToAccept { name: name.clone() },
        Refusal::RejectNeedsReason,
        Refusal::NoPhotoToReview { name: name.clone(), capture_id: Some(CAPTURE.into()) },
        Refusal::NoPhotoToReview { name: name.clone(), capture_id: None },
        Refusal::SeveralNamed { count: 2, name: name.clone() },
        Refusal::Last4Mismatch { name: name.clone(), student_no: NO.into() },
        Refusal::RoleNeeded { name: name.clone(), has: Role::Operator, action: Action::Review },
        Refusal::FirstAccountAdmin,
        Refusal::AddAccountNeedsLogin,
        Refusal::AccountNameEmpty,
        Refusal::PinTooShort { min_digits: 4 },
        Refusal::PinHash,
        Refusal::AccountExists { name: name.clone() },
        Refusal::WrongPin { name: name.clone() },
        Refusal::LockedOut { name: name.clone(), until: 1_764_547_200 },
        Refusal::AccountDisabled { name: name.clone() },
        Refusal::MustChangePin { name: name.clone() },
        Refusal::NoSuchAccount { name },
        Refusal::DisableSelf,
    ];
    for r in &all {
        match r {
            Refusal::CoolDown { .. }
            | Refusal::Locked { .. }
            | Refusal::NoDraftToAccept { .. }
            | Refusal::RejectNeedsReason
            | Refusal::NoPhotoToReview { .. }
            | Refusal::SeveralNamed { .. }
            | Refusal::Last4Mismatch { .. }
            | Refusal::RoleNeeded { .. }
            | Refusal::FirstAccountAdmin
            | Refusal::AddAccountNeedsLogin
            | Refusal::AccountNameEmpty
            | Refusal::PinTooShort { .. }
            | Refusal::PinHash
            | Refusal::AccountExists { .. }
            | Refusal::WrongPin { .. }
            | Refusal::LockedOut { .. }
            | Refusal::AccountDisabled { .. }
            | Refusal::MustChangePin { .. }
            | Refusal::NoSuchAccount { .. }
            | Refusal::DisableSelf => {}
        }
    }
    all.into_iter().map(|r| s("Refusal", r)).collect()
}

fn words() -> Vec<Sample> {
    let mut out = Vec::new();
    for r in [Role::Operator, Role::Reviewer, Role::Admin] {
        out.push(s("Role", r));
    }
    // `Action::ALL` is the role table's own list (its test checks that it names every action).
    for a in Action::ALL {
        out.push(s("Action", a));
    }
    for st in [
        StudentStatus::Waiting,
        StudentStatus::Draft,
        StudentStatus::Accepted,
        StudentStatus::Approved,
        StudentStatus::ToRecall,
    ] {
        out.push(s("StudentStatus", st));
    }
    for c in [
        CaptureStatus::Failed,
        CaptureStatus::Draft,
        CaptureStatus::Accepted,
        CaptureStatus::Approved,
        CaptureStatus::Rejected,
        CaptureStatus::Superseded,
    ] {
        out.push(s("CaptureStatus", c));
    }
    for p in Paper::ALL {
        out.push(s("Paper", p));
    }
    for st in [
        Stage::Starting,
        Stage::ReadingPhotos,
        Stage::WritingPhotos,
        Stage::Verifying,
        Stage::SendingChanges,
        Stage::ReceivingChanges,
        Stage::ReceivingPhotos,
        Stage::PrintSheets,
        Stage::CaptureCards,
    ] {
        match st {
            Stage::Starting
            | Stage::ReadingPhotos
            | Stage::WritingPhotos
            | Stage::Verifying
            | Stage::SendingChanges
            | Stage::ReceivingChanges
            | Stage::ReceivingPhotos
            | Stage::PrintSheets
            | Stage::CaptureCards => {}
        }
        out.push(s("Stage", st));
    }
    for skew in [0, 40, -40, 600, -3 * 3600 - 300] {
        out.push(s("ClockSkew", ClockSkew(skew)));
    }
    out
}

fn imaging_errors() -> Vec<Sample> {
    let model = || ModelError::Run { name: "face_mesh", message: DETAIL.into() };
    let all = vec![
        StandardizeError::NoFace,
        StandardizeError::SeveralFaces { count: 2 },
        StandardizeError::FaceTooSmall { scale: 3.5, max: 2.5 },
        StandardizeError::Crop(CropConflict::HeadTop { margin_px: 12.0, min_px: 20.0 }),
        StandardizeError::Model(model()),
        StandardizeError::Warp(WarpError::Resize(DETAIL.into())),
        StandardizeError::Encode(EncodeError::Encoder(DETAIL.into())),
    ];
    for e in &all {
        match e {
            StandardizeError::NoFace
            | StandardizeError::SeveralFaces { .. }
            | StandardizeError::FaceTooSmall { .. }
            | StandardizeError::Crop(_)
            | StandardizeError::Model(_)
            | StandardizeError::Warp(_)
            | StandardizeError::Encode(_) => {}
        }
    }
    let mut out: Vec<Sample> = all.into_iter().map(|e| s("StandardizeError", e)).collect();
    for side in [FrameSide::Bottom, FrameSide::Top, FrameSide::Left, FrameSide::Right] {
        out.push(s("CropConflict", CropConflict::BeyondFrame { side, shortfall_px: 42.0 }));
    }
    out.push(s("CropConflict", CropConflict::HeadTop { margin_px: 12.0, min_px: 20.0 }));
    for e in [
        LoadError::Io { path: path(), source: io() },
        LoadError::Decode { path: path(), problem: DecodeProblem::CutOff },
        LoadError::TooLarge { path: path(), bytes: 70_000_000 },
    ] {
        out.push(s("LoadError", e));
    }
    for p in [
        DecodeProblem::Unsupported("HEIC/HEIF (iPhone)"),
        DecodeProblem::Unknown,
        DecodeProblem::CutOff,
        DecodeProblem::Damaged(DETAIL.into()),
        DecodeProblem::TooManyPixels { width: 30_000, height: 30_000 },
    ] {
        match p {
            DecodeProblem::Unsupported(_)
            | DecodeProblem::Unknown
            | DecodeProblem::CutOff
            | DecodeProblem::Damaged(_)
            | DecodeProblem::TooManyPixels { .. } => {}
        }
        out.push(s("DecodeProblem", p));
    }
    for e in [
        EncodeError::TooLargeAtFloor { bytes: 70_000, quality: 60, max_bytes: 61_440 },
        EncodeError::TooSmallAtMax { bytes: 9_000, quality: 100, min_bytes: 10_240 },
        EncodeError::WindowBetweenSteps {
            min_bytes: 20_000,
            max_bytes: 20_100,
            below_q: 80,
            below_bytes: 19_000,
            above_q: 81,
            above_bytes: 21_000,
        },
        EncodeError::Encoder(DETAIL.into()),
    ] {
        out.push(s("EncodeError", e));
    }
    out.push(s("ModelError", ModelError::Load { name: "face_mesh", message: DETAIL.into() }));
    out.push(s("ModelError", model()));
    out.push(s("WarpError", WarpError::OutsideSource { width: 640, height: 480 }));
    out.push(s("WarpError", WarpError::Resize(DETAIL.into())));
    out.push(s("NoMeshFace", NoMeshFace { presence: 0.12 }));
    out
}

fn input_errors() -> Vec<Sample> {
    let mut out = Vec::new();
    for e in [
        CodeError::NoCode,
        CodeError::Several(2),
        CodeError::Pattern(DETAIL.into()),
        CodeError::Empty,
        CodeError::Text(TextProblem::Control { at: 3, code: 0x1b }),
        CodeError::Text(TextProblem::TooLong { chars: 600, max: 512 }),
    ] {
        out.push(s("CodeError", e));
    }
    out.push(s("IdentifyError", IdentifyError::Code(CodeError::NoCode)));
    out.push(s("IdentifyError", IdentifyError::Store(StoreError::NoStudent(NO.into()))));
    for e in [
        CameraError::EmptyFolder(DIR.into()),
        CameraError::Folder { path: DIR.into(), source: io() },
        CameraError::UnknownSpec("网络".into()),
        CameraError::NoWebcamSupport,
        CameraError::Thread(io()),
    ] {
        out.push(s("CameraError", e));
    }
    for e in [
        RosterError::Io { path: path(), source: io() },
        RosterError::Workbook { path: path(), message: DETAIL.into() },
        RosterError::NoHeader { path: path() },
        RosterError::TooLarge { path: path(), bytes: 40_000_000, max: 32_000_000 },
        RosterError::TooManyCells { path: path() },
    ] {
        out.push(s("RosterError", e));
    }
    let who = format!("{NO} {NAME}");
    for issue in [
        RowIssue::NoStudentNo,
        RowIssue::Cell { field: "name", problem: TextProblem::TooLong { chars: 101, max: 100 } },
        RowIssue::Cell { field: "student_no", problem: TextProblem::Control { at: 2, code: 0x202e } },
        RowIssue::NoName { student_no: NO.into() },
        RowIssue::Repeated { student_no: NO.into(), first_line: 2 },
        RowIssue::IdNumber { who, masked: "110***********002X".into(), why: IdNumberError::Length(17) },
        RowIssue::CorrectedElsewhere {
            student_no: NO.into(),
            changes: vec![crate::store::FieldChange { field: "name", now: NAME.into(), file: "王五".into() }],
        },
    ] {
        out.push(s("RowProblem", RowProblem { line: 4, problem: issue }));
    }
    for e in [
        IdNumberError::Length(17),
        IdNumberError::Character('Y'),
        IdNumberError::BirthDate("19491331".into()),
        IdNumberError::Check { found: '1', expected: 'X' },
    ] {
        out.push(s("IdNumberError", e));
    }
    let problems = vec![ProfileProblem { key: "output.dpi".into(), problem: "1300".into() }];
    for e in [
        ProfileError::Read { path: path(), source: io() },
        ProfileError::Syntax { path: path(), message: DETAIL.into() },
        ProfileError::Invalid { path: path(), problems },
        ProfileError::Unknown { id: "学位".into(), known: "chsi-graduate".into(), user_dir: DIR.into() },
    ] {
        out.push(s("ProfileError", e));
    }
    for e in [
        FileError::Read { path: path(), source: io() },
        FileError::Write { path: path(), source: io() },
        FileError::CreateDir { path: path(), source: io() },
    ] {
        out.push(s("FileError", e));
    }
    out
}

fn output_errors() -> Vec<Sample> {
    let who = format!("{NO} {NAME}");
    let mut out = Vec::new();
    let refusals = vec![
        PrintRefusal::NoPhoto { student_no: NO.into() },
        PrintRefusal::HeldElsewhere { who: who.clone(), station: STATION.into() },
        PrintRefusal::AlreadyPrinted { who: who.clone(), copies: 5 },
    ];
    let paper =
        PaperTooSmall { paper: Paper::FiveInch, margin_mm: 4.0, w: 89.0, h: 127.0, photo_w: 90.0, photo_h: 130.0 };
    let all = vec![
        PrintError::Nothing,
        PrintError::NoneToPrint(refusals.clone()),
        PrintError::Store(StoreError::NoStudent(NO.into())),
        PrintError::Write { path: path(), source: io() },
        PrintError::Paper(paper.clone()),
        PrintError::FontUnreadable { path: path(), source: io() },
        PrintError::FontUnusable { path: path(), index: 2 },
        PrintError::Photo { who: who.clone(), problem: DETAIL.into() },
        PrintError::LowResolution { who: who.clone(), dpi: 250.0 },
        PrintError::Printer(PrinterProblem::NotRunning),
        PrintError::Cancelled,
    ];
    for e in &all {
        match e {
            PrintError::Nothing
            | PrintError::NoneToPrint(_)
            | PrintError::Store(_)
            | PrintError::Write { .. }
            | PrintError::Paper(_)
            | PrintError::FontUnreadable { .. }
            | PrintError::FontUnusable { .. }
            | PrintError::Photo { .. }
            | PrintError::LowResolution { .. }
            | PrintError::Printer(_)
            | PrintError::Cancelled => {}
        }
    }
    out.extend(all.into_iter().map(|e| s("PrintError", e)));
    out.extend(refusals.into_iter().map(|r| s("PrintRefusal", r)));
    out.push(s("PaperTooSmall", paper));
    for p in [
        PrinterProblem::NoCups { program: "lpstat".into() },
        PrinterProblem::CannotRun { program: "lp".into(), error: DETAIL.into() },
        PrinterProblem::NotRunning,
        PrinterProblem::Failed { command: "lp -d 打印机".into(), output: DETAIL.into() },
        PrinterProblem::NoSuchPrinter { name: "打印机".into(), known: vec![] },
        PrinterProblem::NoSuchPrinter { name: "打印机".into(), known: vec!["照片机".into()] },
        PrinterProblem::Paused { name: "打印机".into() },
        PrinterProblem::NotAccepting { name: "打印机".into() },
    ] {
        out.push(s("PrinterProblem", p));
    }
    let left = |why| LeftOut { who: who.clone(), why };
    let left_outs = vec![
        left(LeftOutWhy::NoIdNumber),
        left(LeftOutWhy::NoChsiCode),
        left(LeftOutWhy::BadStudentNo),
        left(LeftOutWhy::NameTaken { file: format!("{NO}.jpg") }),
        left(LeftOutWhy::HeldElsewhere { station: STATION.into() }),
        left(LeftOutWhy::Damaged),
    ];
    for l in &left_outs {
        match l.why {
            LeftOutWhy::NoIdNumber
            | LeftOutWhy::NoChsiCode
            | LeftOutWhy::BadStudentNo
            | LeftOutWhy::NameTaken { .. }
            | LeftOutWhy::HeldElsewhere { .. }
            | LeftOutWhy::Damaged => {}
        }
    }
    let place = format!("{NO}.jpg");
    let problems = vec![
        VerifyProblem::ManifestUnreadable { path: PATH.into(), error: DETAIL.into() },
        VerifyProblem::ManifestInvalid { error: DETAIL.into() },
        VerifyProblem::Unreadable { place: place.clone(), error: DETAIL.into() },
        VerifyProblem::NotInArchive { place: place.clone() },
        VerifyProblem::SizeDiffers { place: place.clone(), bytes: 100, expected: 200 },
        VerifyProblem::HashDiffers { place },
        VerifyProblem::CsvMissing { path: PATH.into() },
        VerifyProblem::CsvDiffers { path: PATH.into() },
        VerifyProblem::NotInManifest { path: PATH.into() },
        VerifyProblem::OutsideBatch { path: PATH.into() },
        VerifyProblem::ManifestTooLarge { path: PATH.into(), bytes: 70_000_000 },
        VerifyProblem::NeedsPassword,
        VerifyProblem::WrongPassword { path: PATH.into() },
        VerifyProblem::PersonalManifest { path: PATH.into(), error: String::new() },
        VerifyProblem::PersonalManifest { path: PATH.into(), error: DETAIL.into() },
    ];
    let failures = [
        WriteFailure::Full,
        WriteFailure::Gone,
        WriteFailure::NotAllowed(DETAIL.into()),
        WriteFailure::Other(DETAIL.into()),
    ];
    let all = vec![
        ExportError::Nothing(vec![CaptureStatus::Approved]),
        ExportError::AllLeftOut(left_outs.clone()),
        ExportError::NoTarget(DIR.into()),
        ExportError::Store(StoreError::NoStudent(NO.into())),
        ExportError::Manifest { dir: DIR.into(), problem: DETAIL.into() },
        ExportError::Verify { dir: DIR.into(), problems: problems.clone() },
        ExportError::Cancelled,
        ExportError::NoFreeFolder(path()),
    ];
    for e in &all {
        match e {
            ExportError::Nothing(_)
            | ExportError::AllLeftOut(_)
            | ExportError::NoTarget(_)
            | ExportError::Store(_)
            | ExportError::Write { .. }
            | ExportError::Manifest { .. }
            | ExportError::Verify { .. }
            | ExportError::Cancelled
            | ExportError::NoFreeFolder(_) => {}
        }
    }
    out.extend(all.into_iter().map(|e| s("ExportError", e)));
    for why in failures {
        out.push(s("ExportError", ExportError::Write { path: path(), why, done: 10, total: 40 }));
    }
    out.extend(left_outs.into_iter().map(|l| s("LeftOut", l)));
    out.extend(problems.into_iter().map(|p| s("VerifyProblem", p)));
    let all = vec![
        SyncError::Url(DETAIL.into()),
        SyncError::Connect { at: AT.into(), source: postgres_error() },
        SyncError::Lost { at: AT.into(), source: postgres_error() },
        SyncError::Server { at: AT.into(), source: postgres_error() },
        SyncError::NoSchema { at: AT.into() },
        SyncError::SchemaNewer { at: AT.into(), version: 9 },
        SyncError::Tls(DETAIL.into()),
        SyncError::InsecureTls { mode: "prefer" },
        SyncError::PasswordFile { path: path(), problem: crate::export::SecretFileProblem::Missing },
        SyncError::PasswordFile {
            path: path(),
            problem: crate::export::SecretFileProblem::OpenToOthers { mode: 0o644 },
        },
        SyncError::PasswordFile { path: path(), problem: crate::export::SecretFileProblem::Unreadable(DETAIL.into()) },
        SyncError::Store(StoreError::NoStudent(NO.into())),
        SyncError::Cancelled { batches: 3 },
        SyncError::OtherInstall { at: AT.into(), station: "st-0123456789ab".into() },
        SyncError::Behind { at: AT.into(), station: "st-0123456789ab".into(), server_seq: 120, here_seq: 80 },
        SyncError::Clashes {
            at: AT.into(),
            clashes: vec![crate::sync::central::Clash {
                kind: "capture",
                id: "st-0123456789ab-2026001-1".into(),
                field: "photo_sha256",
            }],
        },
    ];
    for e in &all {
        match e {
            SyncError::Url(_)
            | SyncError::Connect { .. }
            | SyncError::Lost { .. }
            | SyncError::Server { .. }
            | SyncError::NoSchema { .. }
            | SyncError::SchemaNewer { .. }
            | SyncError::Tls(_)
            | SyncError::InsecureTls { .. }
            | SyncError::PasswordFile { .. }
            | SyncError::Store(_)
            | SyncError::Cancelled { .. }
            | SyncError::OtherInstall { .. }
            | SyncError::Behind { .. }
            | SyncError::Clashes { .. } => {}
        }
    }
    out.extend(all.into_iter().map(|e| s("SyncError", e)));
    out
}

fn checks() -> Vec<Sample> {
    let all = vec![
        NotChecked::Undecodable(DecodeProblem::Unknown),
        NotChecked::NoFace,
        NotChecked::FaceOutside,
        NotChecked::RegionOutside,
        NotChecked::NoShoulders,
        NotChecked::NoSize,
        NotChecked::CannotEstimate,
        NotChecked::NoHair,
        NotChecked::NoEdges,
        NotChecked::Blurred,
        NotChecked::TooLittleDetail,
        NotChecked::SourceUnknown,
        NotChecked::Overexposed,
        NotChecked::NoBackground,
        NotChecked::NoTop,
        NotChecked::HeadTurned,
    ];
    for n in &all {
        match n {
            NotChecked::Undecodable(_)
            | NotChecked::NoFace
            | NotChecked::FaceOutside
            | NotChecked::RegionOutside
            | NotChecked::NoShoulders
            | NotChecked::NoSize
            | NotChecked::CannotEstimate
            | NotChecked::NoHair
            | NotChecked::NoEdges
            | NotChecked::Blurred
            | NotChecked::TooLittleDetail
            | NotChecked::SourceUnknown
            | NotChecked::Overexposed
            | NotChecked::NoBackground
            | NotChecked::NoTop
            | NotChecked::HeadTurned => {}
        }
    }
    let mut out: Vec<Sample> = all.into_iter().map(|n| s("NotChecked", n)).collect();
    out.push(s("Room", Room::Below { px: 42.0 }));
    out.push(s("Room", Room::Above { px: 42.0 }));
    out
}

fn window_notices() -> Vec<Sample> {
    let pending = Pending { entries: 9, captures: 3, reviews: 2, audit: 3, other: 1 };
    let counts = ImportCounts { added: 3, updated: 1, unchanged: 7, kept: vec![] };
    let all = vec![
        Notice::SyncCentral(AT.into()),
        Notice::SyncPending(pending),
        Notice::SyncLast("2026-12-01T06:05:00Z".into(), 40),
        Notice::SyncClockWarning(600),
        Notice::SyncDone {
            entries: 9,
            photos: 3,
            bytes: 1_400_000,
            captures: 2,
            reviews: 1,
            statuses: 2,
            seconds: 1.5,
            insecure: true,
        },
        Notice::SyncConflicts(2),
        Notice::PrintSize(33.0, 48.0, 5),
        Notice::PrintWho(Some(12)),
        Notice::PrintWho(None),
        Notice::PerSheet(5),
        Notice::Printed {
            students: 3,
            copies: 15,
            pages: 1,
            paper: Paper::A4,
            pdf: PATH.into(),
            job: Some("打印机-12".into()),
        },
        Notice::CardsMade(11, 2, PATH.into()),
        Notice::ToExport(Some(3)),
        Notice::ToExport(None),
        Notice::UsbDrive("优盘".into()),
        Notice::Exported(3, DIR.into()),
        Notice::Verified(19, 20, DIR.into()),
        Notice::Attempts(2),
        Notice::CoolDown(1_764_547_200),
        Notice::Locked(1_764_547_200),
        Notice::StudentDone(NAME.into()),
        Notice::CameraLost(DETAIL.into()),
        Notice::Countdown(3),
        Notice::Saved(2),
        Notice::DoneOf(3, 30),
        Notice::Imported(counts),
        Notice::PurgeDue { students: 12, days: 30 },
        Notice::ImportProblems(2),
        Notice::ShownOf(200),
        Notice::SettingsBroken(DETAIL.into()),
        Notice::SavedCameraFailed(DETAIL.into()),
        Notice::Reviewed(NAME.into(), true),
        Notice::Reviewed(NAME.into(), false),
        Notice::PreviewRate(25),
        Notice::HintRate(12),
        Notice::FrameTime(4.5),
        Notice::StoreStopped,
        Notice::PipelineStopped,
        Notice::JobStopped,
        Notice::NoThread(DETAIL.into()),
    ];
    for n in &all {
        match n {
            Notice::SyncCentral(_)
            | Notice::SyncPending(_)
            | Notice::SyncLast(..)
            | Notice::SyncClockWarning(_)
            | Notice::SyncDone { .. }
            | Notice::SyncConflicts(_)
            | Notice::PrintSize(..)
            | Notice::PrintWho(_)
            | Notice::PerSheet(_)
            | Notice::Printed { .. }
            | Notice::CardsMade(..)
            | Notice::ToExport(_)
            | Notice::UsbDrive(_)
            | Notice::Exported(..)
            | Notice::Verified(..)
            | Notice::Attempts(_)
            | Notice::CoolDown(_)
            | Notice::Locked(_)
            | Notice::StudentDone(_)
            | Notice::CameraLost(_)
            | Notice::Countdown(_)
            | Notice::Saved(_)
            | Notice::DoneOf(..)
            | Notice::Imported(_)
            | Notice::PurgeDue { .. }
            | Notice::ImportProblems(_)
            | Notice::ShownOf(_)
            | Notice::SettingsBroken(_)
            | Notice::SavedCameraFailed(_)
            | Notice::Reviewed(..)
            | Notice::PreviewRate(_)
            | Notice::HintRate(_)
            | Notice::FrameTime(_)
            | Notice::StoreStopped
            | Notice::PipelineStopped
            | Notice::JobStopped
            | Notice::NoThread(_) => {}
        }
    }
    let mut out: Vec<Sample> = all.into_iter().map(|n| s("window::Notice", n)).collect();
    out.push(s("Label", Label(|s| s.saved_settings)));
    out
}

fn cli_errors() -> Vec<Sample> {
    let all = vec![
        CliError::NoDataDir,
        CliError::NotADate("2026-02-30".into()),
        CliError::Usage(Usage::UnknownArgument("--fast".into())),
        CliError::Usage(Usage::UnknownCommand("prnt".into())),
        CliError::Usage(Usage::Missing(vec!["--to <DIR>".into()])),
        CliError::Usage(Usage::InvalidValue {
            arg: "--paper".into(),
            value: "7in".into(),
            why: None,
            valid: vec!["6in".into(), "a4".into()],
        }),
        CliError::Usage(Usage::InvalidValue {
            arg: "--since".into(),
            value: "x".into(),
            why: Some(DETAIL.into()),
            valid: Vec::new(),
        }),
        CliError::Usage(Usage::Conflict { arg: "--approved".into(), with: "--student".into() }),
        CliError::ReadPin(io()),
        CliError::PinsDiffer,
        CliError::SecretFile { path: path(), problem: crate::export::SecretFileProblem::OpenToOthers { mode: 0o644 } },
        CliError::PasswordTooShort(10),
        CliError::NoOperators,
        CliError::NoOperatorGiven,
        CliError::File(FileError::Write { path: path(), source: io() }),
        CliError::Png(DETAIL.into()),
        CliError::NoExportTarget,
        CliError::NoCentral,
        CliError::NoCjkFont,
        CliError::NoFileName(path()),
        CliError::SameOutput { first: path(), second: path(), stem: NO.into() },
        CliError::OverwritesInput(path()),
        CliError::OverwritesFrame(path()),
        CliError::NoTargetDrives { error: ExportError::NoTarget(DIR.into()), drives: vec![format!("优盘 ({DIR})")] },
        CliError::OfficeNeedsSync(SyncError::NoSchema { at: AT.into() }),
        CliError::Json(DETAIL.into()),
        CliError::Csv(DETAIL.into()),
        CliError::NoWindow(DETAIL.into()),
        CliError::Photo { path: path(), error: StandardizeError::NoFace },
        CliError::Decode { path: path(), problem: DecodeProblem::CutOff },
        CliError::CodeIn { path: path(), error: CodeError::NoCode },
        CliError::Store(StoreError::NoStudent(NO.into())),
        CliError::Load(LoadError::Io { path: path(), source: io() }),
        CliError::Profile(ProfileError::Syntax { path: path(), message: DETAIL.into() }),
        CliError::Roster(RosterError::NoHeader { path: path() }),
        CliError::Identify(IdentifyError::Code(CodeError::Empty)),
        CliError::Camera(CameraError::NoWebcamSupport),
        CliError::Print(PrintError::Nothing),
        CliError::Export(ExportError::Cancelled),
        CliError::Sync(SyncError::Cancelled { batches: 1 }),
        CliError::Model(ModelError::Load { name: "face_mesh", message: DETAIL.into() }),
        CliError::Standardize(StandardizeError::NoFace),
    ];
    for e in &all {
        match e {
            CliError::NoDataDir
            | CliError::NotADate(_)
            // Clap's own words for the rest are English (`Usage::Other`), kept as a last resort.
            | CliError::Usage(_)
            | CliError::ReadPin(_)
            | CliError::PinsDiffer
            | CliError::SecretFile { .. }
            | CliError::PasswordTooShort(_)
            | CliError::NoOperators
            | CliError::NoOperatorGiven
            | CliError::File(_)
            | CliError::Png(_)
            | CliError::NoExportTarget
            | CliError::NoCentral
            | CliError::NoCjkFont
            | CliError::NoFileName(_)
            | CliError::SameOutput { .. }
            | CliError::OverwritesInput(_)
            | CliError::OverwritesFrame(_)
            | CliError::NoTargetDrives { .. }
            | CliError::OfficeNeedsSync(_)
            | CliError::Json(_)
            | CliError::Csv(_)
            | CliError::NoWindow(_)
            | CliError::Photo { .. }
            | CliError::Decode { .. }
            | CliError::CodeIn { .. }
            | CliError::Store(_)
            | CliError::Load(_)
            | CliError::Profile(_)
            | CliError::Roster(_)
            | CliError::Identify(_)
            | CliError::Camera(_)
            | CliError::Print(_)
            | CliError::Export(_)
            | CliError::Sync(_)
            | CliError::Model(_)
            | CliError::Standardize(_)
            // A developer's tool whose own words are English (its wrapper is checked by hand).
            | CliError::Eval(_) => {}
        }
    }
    all.into_iter().map(|e| s("CliError", e)).collect()
}

/// The command line's reports, said at once (they borrow what they report).
fn cli_notices() -> Vec<(String, String, String)> {
    let st = student();
    let counts = ImportCounts { added: 3, updated: 1, unchanged: 7, kept: vec![] };
    let row = RowProblem { line: 4, problem: RowIssue::NoStudentNo };
    let summary = PrintSummary {
        students: 3,
        pages: 1,
        copies: 15,
        min_dpi: 339.0,
        pdf: path(),
        job: Some("打印机-12".into()),
        refused: vec![],
    };
    let printer = |state, accepting, default| Printer { name: "打印机".into(), state, accepting, default };
    let printers = [
        printer(PrinterState::Idle, true, true),
        printer(PrinterState::Printing, false, false),
        printer(PrinterState::Paused, true, false),
    ];
    let restored = crate::store::Restored {
        from_file: path(),
        old_station: "st-0123456789ab".into(),
        new_station: "st-ba9876543210".into(),
        kept_aside: Some(path()),
        unsent: 12,
    };
    let export = crate::export::ExportSummary {
        batch_dir: DIR.into(),
        batch_id: 1,
        photos: 40,
        kept: 10,
        bytes: 702_000,
        archives: vec!["photos-001.zip".into()],
        left_out: vec![],
        gbk_lossy: false,
    };
    let left = LeftOut { who: format!("{NO} {NAME}"), why: LeftOutWhy::Damaged };
    let pulled = Applied { students: 1, captures: 2, reviews: 3, prints: 4, photos: 5, statuses: 6 };
    let report = SyncReport {
        central: AT.into(),
        batches: 2,
        entries: 9,
        captures: 3,
        reviews: 2,
        audit: 3,
        photos_sent: 3,
        bytes_sent: 1_400_000,
        pulled,
        clock_skew_s: 600,
        pending: Pending { entries: 1, captures: 0, reviews: 0, audit: 1, other: 0 },
        conflicts: 2,
        seconds: 1.5,
        insecure_tls: true,
        roster_kept: vec![NO.into()],
    };
    let pending = Pending { entries: 9, captures: 3, reviews: 2, audit: 3, other: 1 };
    let candidate = Candidate {
        capture_id: CAPTURE.into(),
        station_id: STATION.into(),
        status: CaptureStatus::Approved,
        taken_at: "2026-12-01T06:05:00Z".into(),
        approved_at: Some("2026-12-01T07:00:00Z".into()),
    };
    let station = StationCounts {
        station_id: STATION.into(),
        captures: 3,
        reviews: 2,
        audit: 9,
        last_sync: "2026-12-01T06:05:00Z".into(),
        clock_skew_s: -40,
    };
    let backdrop = crate::imaging::matte::Backdrop {
        colour_rgb: [250, 250, 250],
        surface: Default::default(),
        spread: 3.5,
        plain: true,
        canvas_size_px: [640, 480],
    };
    let sync_error = SyncError::NoSchema { at: AT.into() };
    let purged =
        crate::store::Purged { students: vec![NO.into()], photos: 4, bytes: 1_200_000, not_synced: 2, done: true };
    let purged_dry = crate::store::Purged { done: false, not_synced: 0, ..purged.clone() };
    let profile_error = ProfileError::Syntax { path: path(), message: DETAIL.into() };
    let (p, d) = (std::path::Path::new(PATH), std::path::Path::new(DIR));
    let mut all = vec![
        CliNotice::PinPrompt(NAME),
        CliNotice::NewPinPrompt(NAME),
        CliNotice::OperatorAdded(NAME, Role::Reviewer),
        CliNotice::NewPinAgain(NAME),
        CliNotice::PasswordPrompt,
        CliNotice::PasswordAgain,
        CliNotice::PinChanged(NAME),
        CliNotice::OperatorDisabled(NAME),
        CliNotice::Purged(&purged, "2026-07-01"),
        CliNotice::Purged(&purged_dry, "2026-07-01"),
        CliNotice::RosterRow(p, &row),
        CliNotice::RosterImported { file: p, counts: &counts, refused: 2, gbk_lines: 1 },
        CliNotice::RosterImported { file: p, counts: &counts, refused: 0, gbk_lines: 0 },
        CliNotice::CodeRead("QrCode", NO),
        CliNotice::StudentFound(&st),
        CliNotice::CodeUnbound,
        CliNotice::CodeBound(&st),
        CliNotice::CaptureStored { id: CAPTURE, attempt_no: 2, verdict: None, student: &st },
        CliNotice::CaptureStored {
            id: CAPTURE,
            attempt_no: 2,
            verdict: Some(crate::quality::Verdict::Fail),
            student: &st,
        },
        CliNotice::CaptureStored {
            id: CAPTURE,
            attempt_no: 2,
            verdict: Some(crate::quality::Verdict::Warn),
            student: &st,
        },
        CliNotice::CaptureStored {
            id: CAPTURE,
            attempt_no: 2,
            verdict: Some(crate::quality::Verdict::Pass),
            student: &st,
        },
        CliNotice::Accepted(CAPTURE, &st),
        CliNotice::Reviewed(ReviewDecision::Approve, &st),
        CliNotice::Reviewed(ReviewDecision::Reject, &st),
        CliNotice::Unlocked(&st),
        CliNotice::BackedUp(p, d),
        CliNotice::Restored(&restored),
        CliNotice::StoreChecked(p, &crate::store::WholeCheck { bytes: 2_400_000_000, seconds: 41.5 }),
        CliNotice::RenamedAtOpen(&restored),
        CliNotice::Printed(&summary, Paper::SixInch),
        CliNotice::NoPrinters,
        CliNotice::CardsMade { cards: 11, sheets: 2, pdf: p },
        CliNotice::Verified(d, 19, 20),
        CliNotice::LeftOut(&left),
        CliNotice::Exported(&export),
        CliNotice::GbkLossy,
        CliNotice::Synced(&report),
        CliNotice::Station(STATION),
        CliNotice::LastSync(None),
        CliNotice::LastSync(Some(("2026-12-01T06:05:00Z", 40))),
        CliNotice::Pending(&pending),
        CliNotice::Conflicts(2),
        CliNotice::ConflictOf(&st),
        CliNotice::ConflictCandidate(&candidate, true),
        CliNotice::ConflictCandidate(&candidate, false),
        CliNotice::ServerStation(&station),
        CliNotice::SchemaCurrent(AT, 3),
        CliNotice::SchemaUpgraded(AT, 2, 3),
        CliNotice::OfficeSynced(&report),
        CliNotice::OfficeOffline(&sync_error, "2026-12-01T06:05:00Z"),
        CliNotice::OfficeDecisionsWait(&sync_error),
        CliNotice::StandardizedCount { done: 1, total: 2, profile: "chsi-graduate", dir: d },
        CliNotice::Matted { input: p, output: p, backdrop: &backdrop },
        CliNotice::AddProfile(d),
        CliNotice::ProfileSkipped(&profile_error),
        CliNotice::Generated(286, d),
        CliNotice::DocsWritten(31, d),
    ];
    all.extend(printers.iter().map(CliNotice::PrinterLine));
    for n in &all {
        match n {
            CliNotice::PinPrompt(_)
            | CliNotice::NewPinPrompt(_)
            | CliNotice::OperatorAdded(..)
            | CliNotice::NewPinAgain(_)
            | CliNotice::PasswordPrompt
            | CliNotice::PasswordAgain
            | CliNotice::PinChanged(_)
            | CliNotice::OperatorDisabled(_)
            | CliNotice::Purged(..)
            | CliNotice::RosterRow(..)
            | CliNotice::RosterImported { .. }
            | CliNotice::CodeRead(..)
            | CliNotice::StudentFound(_)
            | CliNotice::CodeUnbound
            | CliNotice::CodeBound(_)
            | CliNotice::CaptureStored { .. }
            | CliNotice::Accepted(..)
            | CliNotice::Reviewed(..)
            | CliNotice::Unlocked(_)
            | CliNotice::BackedUp(..)
            | CliNotice::Restored(..)
            | CliNotice::StoreChecked(..)
            | CliNotice::RenamedAtOpen(..)
            | CliNotice::Printed(..)
            | CliNotice::NoPrinters
            | CliNotice::PrinterLine(_)
            | CliNotice::CardsMade { .. }
            | CliNotice::Verified(..)
            | CliNotice::LeftOut(_)
            | CliNotice::Exported(_)
            | CliNotice::GbkLossy
            | CliNotice::Synced(_)
            | CliNotice::Station(_)
            | CliNotice::LastSync(_)
            | CliNotice::Pending(_)
            | CliNotice::Conflicts(_)
            | CliNotice::ConflictOf(_)
            | CliNotice::ConflictCandidate(..)
            | CliNotice::ServerStation(_)
            | CliNotice::SchemaCurrent(..)
            | CliNotice::SchemaUpgraded(..)
            | CliNotice::OfficeSynced(_)
            | CliNotice::OfficeOffline(..)
            | CliNotice::OfficeDecisionsWait(_)
            | CliNotice::StandardizedCount { .. }
            | CliNotice::Matted { .. }
            | CliNotice::AddProfile(_)
            | CliNotice::ProfileSkipped(_)
            | CliNotice::Generated(..)
            | CliNotice::DocsWritten(..) => {}
            // Needs a whole standardized photo; `tests/cli.rs` reads it from the binary.
            CliNotice::Standardized { .. } => {}
        }
    }
    all.iter().map(|n| ("cli::Notice".to_owned(), n.say(Lang::Zh), n.say(Lang::En))).collect()
}

/// Words that are the same in both languages: file formats, units, protocols, product and
/// command names, and what the operator types.
const NEUTRAL: &[&str] = &[
    "JPEG",
    "JPG",
    "PNG",
    "WebP",
    "HEIC",
    "HEIF",
    "iPhone",
    "AVIF",
    "GIF",
    "BMP",
    "TIFF",
    "RAW",
    "PDF",
    "XLSX",
    "CSV",
    "GBK",
    "TOML",
    "toml",
    "CUPS",
    "cups",
    "client",
    "PIN",
    "USB",
    "TLS",
    "SHA",
    "RGB",
    "URL",
    "SSH",
    "MP4",
    "QuickTime",
    "dpi",
    "KiB",
    "zip",
    "json",
    "manifest",
    "tucai",
    "TUCAI_CENTRAL",
    "TUCAI_PIN",
    "postgres",
    "sudo",
    "systemctl",
    "start",
    "cupsenable",
    "cupsaccept",
    "xvfb",
    "run",
    "packaging",
    "deps",
    "debian",
    "fonts",
    "noto",
    "cjk",
    "admin",
    "operator",
    "central",
    "unlock",
    "code",
    "bind",
    "student",
    "last4",
    "role",
    "reason",
    "init",
    "export",
    "print",
    "sync",
    "status",
    "dir",
    "webcam",
    "demo",
    "auto",
    "profiles",
    "lang",
    "data",
    "face_mesh",
    "lpstat",
    "chsi",
    "graduate",
    "QrCode",
    "photos",
    "Tucai",
    "UTF",
    "JSON",
];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// `text` without the sample values, the libraries' own words (technical detail), and
/// anything in backticks (a command to type).
fn without_values(text: &str) -> String {
    let mut out = text.to_owned();
    for library in [super::detail(&rusqlite::Error::InvalidQuery), super::detail(&postgres_error())] {
        out = out.replace(&library, " ");
    }
    for v in [
        NAME,
        NO,
        PATH,
        DIR,
        STATION,
        CAPTURE,
        DETAIL,
        AT,
        "李静",
        "王五",
        "信息学院",
        "软件1班",
        "打印机",
        "照片机",
        "优盘",
        "学位",
        "网络",
    ] {
        out = out.replace(v, " ");
    }
    let mut plain = String::new();
    let mut quoted = false;
    for c in out.chars() {
        if c == '`' {
            quoted = !quoted;
        } else if !quoted {
            plain.push(c);
        }
    }
    plain
}

fn digits(text: &str) -> Vec<String> {
    let mut runs: Vec<String> =
        text.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).map(str::to_owned).collect();
    runs.sort();
    runs
}

fn check(kind: &str, zh: &str, en: &str, problems: &mut Vec<String>) {
    if zh.trim().is_empty() || en.trim().is_empty() {
        problems.push(format!("{kind}: empty text (zh {zh:?}, en {en:?})"));
        return;
    }
    let (zh_plain, en_plain) = (without_values(zh), without_values(en));
    if zh != en && !zh_plain.chars().any(is_cjk) {
        problems.push(format!("{kind}: the Chinese has no Chinese: {zh}"));
    }
    // A token with a dot or a slash is a file, a path or a key (`2026001.jpg`, `output.dpi`).
    let tokens = zh_plain.split(|c: char| !(c.is_ascii_alphanumeric() || "_./-".contains(c)));
    for word in tokens.filter(|w| !w.contains(['.', '/'])).flat_map(|w| w.split('-')).filter(|w| w.len() >= 3) {
        let letters = word.chars().filter(char::is_ascii_alphabetic).count();
        if letters >= 3 && !NEUTRAL.contains(&word) {
            problems.push(format!("{kind}: English word {word:?} in the Chinese: {zh}"));
        }
    }
    if let Some(c) = en_plain.chars().find(|&c| is_cjk(c) && !"学号姓名".contains(c)) {
        problems.push(format!("{kind}: Chinese {c:?} in the English: {en}"));
    }
    // Placeholders agree: the same values (every number) in both. Chinese writes the ID
    // number's "last four" in characters (后四位), as the notices do.
    if digits(&zh_plain.replace("后四位", "后 4 位")) != digits(&en_plain) {
        problems.push(format!("{kind}: the numbers differ: {zh} | {en}"));
    }
}

#[test]
fn every_message_says_the_same_in_both_languages() {
    let mut problems = Vec::new();
    let mut count = 0;
    let typed = [
        store_errors(),
        refusals(),
        words(),
        imaging_errors(),
        input_errors(),
        output_errors(),
        checks(),
        window_notices(),
        cli_errors(),
    ];
    for (kind, message) in typed.into_iter().flatten() {
        check(&kind, &message.say(Lang::Zh), &message.say(Lang::En), &mut problems);
        count += 1;
    }
    for (kind, zh, en) in cli_notices() {
        check(&kind, &zh, &en, &mut problems);
        count += 1;
    }
    assert!(count > 300, "{count} messages sampled");
    assert!(problems.is_empty(), "{} of {count} messages:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_checks_words_agree_too() {
    let mut problems = Vec::new();
    for code in crate::quality::Code::ALL {
        check(
            &format!("{code:?} label"),
            super::checks::label(code, Lang::Zh),
            super::checks::label(code, Lang::En),
            &mut problems,
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
