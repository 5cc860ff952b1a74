//! Export batches for the upload: the photos not exported yet, named by the profile's rule,
//! with manifests (JSON, CSV in UTF-8 with BOM and in GBK) and optionally zip archives split
//! by count or size, written durably to a folder or USB drive, read back and checked against
//! the manifest — and only then recorded in the store.
//!
//! A batch goes to `TARGET/tucai-<station>-<NNNN>/`, numbered by the batches the store has
//! recorded — or the next free number: a folder already on the drive is never written into
//! unless it is this store's own unfinished batch (the store keeps the folder's name and a token
//! its manifest carries), so a restored or copied store cannot touch a delivered batch. A run
//! that fails (a full or pulled drive) records nothing, so the next run picks the same folder
//! and the same photos, keeps the files already there whole, and completes the batch: no
//! duplicates, nothing half-recorded. Once recorded, those photos are not exported again.
//!
//! - `files.rs`: durable writes, zips. `manifest.rs`: the manifest. `verify.rs`: reading a
//!   batch back. `drives.rs`: removable drives offered as targets.

mod drives;
mod files;
mod manifest;
mod verify;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use drives::{Drive, removable_drives};
pub use files::{
    PRIVATE_DIR, PRIVATE_FILE, SecretFileProblem, ZipProblem, create_private_dir, create_private_file,
    read_secret_file, write_atomic,
};
pub use manifest::{MANIFEST_CSV, MANIFEST_GBK, MANIFEST_JSON, Manifest, ManifestRow, csv_text, spreadsheet_cell};
pub use verify::{VerifyProblem, VerifyReport, verify_batch};

use crate::profile::{FileNameRule, IdInManifest, PhotoSpec};
use crate::progress::Progress;
use crate::store::{Actor, CaptureStatus, CurrentPhoto, PhotoFilter, Store, StoreError, sha256_hex};

/// Loose photos go here inside the batch folder.
pub const PHOTOS_DIR: &str = "photos";

/// How to split photos into zip archives (none: loose files under `photos/`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ZipLimits {
    /// At most this many photos per archive.
    pub max_files: Option<usize>,
    /// At most this many bytes per archive.
    pub max_bytes: Option<u64>,
}

/// What to export and where.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    /// The folder (or drive) the batch folder is made in.
    pub target: PathBuf,
    /// Capture states exported (approved only, by default).
    pub statuses: Vec<CaptureStatus>,
    /// Zip archives, when asked for.
    pub zip: Option<ZipLimits>,
    /// Encrypt with this password: the photos in AES-256 archives (one, unless `zip` splits
    /// them), the personal manifest in `manifest.zip`, a manifest without students beside.
    pub password: Option<String>,
}

/// What an export did.
#[derive(Clone, Debug, Serialize)]
pub struct ExportSummary {
    /// The batch folder.
    pub batch_dir: PathBuf,
    /// The store's id of the recorded batch.
    pub batch_id: i64,
    /// Photos in the batch.
    pub photos: usize,
    /// Of them, files already there from an interrupted run (kept, not rewritten).
    pub kept: usize,
    /// Bytes of photos.
    pub bytes: u64,
    /// Zip archives written.
    pub archives: Vec<String>,
    /// Students left out, and why (no ID number for an ID-named profile, a damaged photo…).
    pub left_out: Vec<LeftOut>,
    /// The GBK manifest lacks some characters (rare names).
    pub gbk_lossy: bool,
}

/// What went wrong, said so that the office knows what to do.
/// What went wrong with an export (said in `i18n/errors.rs`).
#[derive(Debug)]
pub enum ExportError {
    /// Nothing new to export in these states.
    Nothing(Vec<CaptureStatus>),
    /// Every photo selected had to be left out.
    AllLeftOut(Vec<LeftOut>),
    /// The target folder does not exist (the drive is not plugged in, or a typo).
    NoTarget(PathBuf),
    /// The store failed.
    Store(StoreError),
    /// Writing to the target failed part-way.
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        why: WriteFailure,
        /// Photos written before it.
        done: usize,
        /// Photos in the batch.
        total: usize,
    },
    /// The batch's own manifest could not be listed.
    Manifest {
        /// The batch folder.
        dir: PathBuf,
        /// The manifest's problem.
        problem: String,
    },
    /// Reading the batch back found a difference.
    Verify {
        /// The batch folder.
        dir: PathBuf,
        /// What differs.
        problems: Vec<VerifyProblem>,
    },
    /// The operator stopped it.
    Cancelled,
    /// Every batch folder name this store could use is taken on the drive by other batches.
    NoFreeFolder(PathBuf),
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> ExportError {
        ExportError::Store(e)
    }
}

/// A failed write, by what the operator does about it.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteFailure {
    /// The drive is full.
    Full,
    /// The folder went away (the drive was pulled out).
    Gone,
    /// Not allowed to write there (the system's words).
    NotAllowed(String),
    /// Anything else (the system's words).
    Other(String),
}

/// A student left out of a batch, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeftOut {
    /// Number and name.
    pub who: String,
    /// Why.
    pub why: LeftOutWhy,
}

/// Why a student is left out of a batch.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum LeftOutWhy {
    /// The profile names files by ID number and the roster has none.
    NoIdNumber,
    /// The profile names files by the CHSI code and none is bound.
    NoChsiCode,
    /// The student number cannot be a file name.
    BadStudentNo,
    /// Another student already has this file name.
    NameTaken {
        /// The file name.
        file: String,
    },
    /// The photo that counts was taken at another booth.
    HeldElsewhere {
        /// The booth.
        station: String,
    },
    /// The stored photo no longer matches its hash.
    Damaged,
}

/// One photo planned into the batch.
struct Planned {
    photo: CurrentPhoto,
    file: String,
    bytes: Vec<u8>,
}

/// Exports the photos not exported yet to a new batch folder in `req.target` (see the module
/// notes on completing an interrupted batch).
pub fn export(
    store: &mut Store,
    actor: &Actor,
    spec: &PhotoSpec,
    req: &ExportRequest,
    progress: &Progress,
) -> Result<ExportSummary, ExportError> {
    let filter = PhotoFilter {
        statuses: req.statuses.clone(),
        profile: Some(spec.id.clone()),
        not_exported: true,
        ..PhotoFilter::default()
    };
    if !req.target.is_dir() {
        return Err(ExportError::NoTarget(req.target.clone()));
    }
    let photos = store.current_photos(&filter)?;
    if photos.is_empty() {
        return Err(ExportError::Nothing(req.statuses.clone()));
    }
    let (batch, export_id) = batch_folder(store, &req.target)?;
    let batch_dir = req.target.join(&batch);
    progress.stage(crate::progress::Stage::ReadingPhotos, photos.len() as u64);
    let (planned, left_out) = plan(store, spec.output.file_name, photos, progress)?;
    if planned.is_empty() {
        return Err(ExportError::AllLeftOut(left_out));
    }
    let total = planned.len();
    store.begin_export(&batch, &export_id)?;
    let write_error = |path: &Path, e: std::io::Error, done: usize| write_failed(path, &e, done, total);
    files::create_private_dir(&batch_dir.join(PHOTOS_DIR)).map_err(|e| write_error(&batch_dir, e, 0))?;
    let password = req.password.as_deref();
    // An encrypted batch keeps its photos in archives: a loose file cannot be encrypted.
    let zip = req.zip.or(password.map(|_| ZipLimits::default()));
    let sealed = Sealed { zip, password, id_number: spec.id_in_manifest() };
    let (rows, kept, archives) = write_photos(&batch_dir, &planned, &sealed, progress)?;
    let manifest = Manifest {
        batch: batch.clone(),
        profile: spec.id.clone(),
        written_at: now_text(store),
        photos: rows,
        export_id,
        encrypted: false,
    };
    let manifest_error = |problem| ExportError::Manifest { dir: batch_dir.clone(), problem };
    let (files, gbk_lossy) = manifest.files().map_err(manifest_error)?;
    let beside = match password {
        None => files,
        Some(password) => {
            let path = batch_dir.join(manifest::PERSONAL_ZIP);
            let entries: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
            files::write_zip(&path, &entries, Some(password)).map_err(|e| write_error(&path, e, total))?;
            manifest.without_personal().files().map_err(manifest_error)?.0
        }
    };
    for (name, bytes) in &beside {
        let path = batch_dir.join(name);
        files::write_atomic(&path, bytes).map_err(|e| write_error(&path, e, total))?;
    }
    files::sync_dir(&batch_dir).map_err(|e| write_error(&batch_dir, e, total))?;
    let report = verify_batch(&batch_dir, password, progress);
    if !report.problems.is_empty() {
        return Err(ExportError::Verify { dir: batch_dir, problems: report.problems });
    }
    if progress.is_cancelled() {
        return Err(ExportError::Cancelled);
    }
    let recorded: Vec<(&str, &str, &str)> =
        manifest.photos.iter().map(|r| (r.capture_id.as_str(), r.file.as_str(), r.sha256.as_str())).collect();
    let batch_id = store.record_export(actor, &batch_dir.to_string_lossy(), &recorded)?;
    let bytes = manifest.photos.iter().map(|r| r.bytes).sum();
    Ok(ExportSummary { batch_dir, batch_id, photos: total, kept, bytes, archives, left_out, gbk_lossy })
}

/// How many numbers past the store's count an export looks for a free folder name.
const FOLDER_TRIES: i64 = 1000;

/// The batch folder to write (its name) and the token its manifest carries: this store's own
/// unfinished batch when there is one on the drive, else the first `tucai-<station>-<NNNN>`
/// from the store's count on that is not on the drive at all.
fn batch_folder(store: &Store, target: &Path) -> Result<(String, String), ExportError> {
    let pending = store.pending_export()?;
    let first = store.exports_done()? + 1;
    for n in first..first + FOLDER_TRIES {
        let name = format!("tucai-{}-{n:04}", store.station_id());
        let dir = target.join(&name);
        if !dir.exists() {
            let token = sha256_hex(format!("{name}-{}-{:?}", store.now(), std::time::Instant::now()).as_bytes());
            return Ok((name, token[..16].to_owned()));
        }
        if let Some((pending_name, token)) = &pending
            && *pending_name == name
        {
            let manifest = std::fs::read(dir.join(MANIFEST_JSON)).ok().and_then(|b| Manifest::parse(&b).ok());
            if manifest.is_none_or(|m| m.export_id == *token) {
                return Ok((name, token.clone()));
            }
        }
    }
    Err(ExportError::NoFreeFolder(target.to_owned()))
}

/// Names each photo by the rule and reads its bytes (checked against their hash); students
/// who cannot be named, or whose photo is damaged, are left out with the reason.
fn plan(
    store: &Store,
    rule: FileNameRule,
    photos: Vec<CurrentPhoto>,
    progress: &Progress,
) -> Result<(Vec<Planned>, Vec<LeftOut>), ExportError> {
    let mut planned: Vec<Planned> = Vec::with_capacity(photos.len());
    let mut left_out = Vec::new();
    let mut names = std::collections::HashSet::new();
    for photo in photos {
        if progress.is_cancelled() {
            return Err(ExportError::Cancelled);
        }
        progress.advance();
        let who = photo.student.who();
        let mut leave_out = |why| left_out.push(LeftOut { who: who.clone(), why });
        let stem = match rule {
            FileNameRule::StudentNo => Some(photo.student.record.student_no.clone()),
            FileNameRule::IdNumber => photo.student.record.id_number.clone(),
            FileNameRule::CodeDigest => photo.chsi_code.as_deref().map(|c| sha256_hex(c.as_bytes())),
        };
        let Some(stem) = stem.filter(|s| safe_file_stem(s)) else {
            leave_out(match rule {
                FileNameRule::IdNumber => LeftOutWhy::NoIdNumber,
                FileNameRule::CodeDigest => LeftOutWhy::NoChsiCode,
                FileNameRule::StudentNo => LeftOutWhy::BadStudentNo,
            });
            continue;
        };
        let file = format!("{stem}.jpg");
        if !names.insert(file.clone()) {
            leave_out(LeftOutWhy::NameTaken { file });
            continue;
        }
        if !photo.held_here {
            leave_out(LeftOutWhy::HeldElsewhere { station: photo.station_id.clone() });
            continue;
        }
        match store.blob(&photo.photo_sha256) {
            Ok(bytes) => planned.push(Planned { photo, file, bytes }),
            Err(StoreError::Corrupt { .. }) => {
                leave_out(LeftOutWhy::Damaged);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((planned, left_out))
}

/// File stems we write: letters, digits, `-` and `_` (student numbers, ID numbers, hex).
fn safe_file_stem(stem: &str) -> bool {
    !stem.is_empty() && stem.len() <= 120 && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Writes the photos (loose or in archives) and returns the manifest rows, how many loose
/// files were already there, and the archives' names.
/// How the photos are packed and what the manifest rows hold.
struct Sealed<'a> {
    zip: Option<ZipLimits>,
    password: Option<&'a str>,
    id_number: IdInManifest,
}

fn write_photos(
    batch_dir: &Path,
    planned: &[Planned],
    sealed: &Sealed<'_>,
    progress: &Progress,
) -> Result<(Vec<ManifestRow>, usize, Vec<String>), ExportError> {
    let zip = sealed.zip;
    let total = planned.len();
    let photos_dir = batch_dir.join(PHOTOS_DIR);
    let groups = match zip {
        None => Vec::new(),
        Some(limits) => split_archives(planned, limits),
    };
    let archive_of = |i: usize| groups.iter().position(|g| g.contains(&i)).map(archive_name).unwrap_or_default();
    let mut rows = Vec::with_capacity(total);
    let mut kept = 0;
    progress.stage(crate::progress::Stage::WritingPhotos, total as u64);
    // Loose photos the batch holds (none when they go into archives).
    let wanted: std::collections::HashSet<&str> =
        planned.iter().filter(|_| zip.is_none()).map(|p| p.file.as_str()).collect();
    tidy(&photos_dir, &wanted);
    for (i, p) in planned.iter().enumerate() {
        if progress.is_cancelled() {
            return Err(ExportError::Cancelled);
        }
        if zip.is_none() {
            let path = photos_dir.join(&p.file);
            if files::holds(&path, &p.bytes) {
                kept += 1;
            } else {
                files::write_atomic(&path, &p.bytes).map_err(|e| write_failed(&path, &e, i, total))?;
            }
        }
        rows.push(row(p, archive_of(i), sealed.id_number));
        progress.advance();
    }
    files::sync_dir(&photos_dir).map_err(|e| write_failed(&photos_dir, &e, total, total))?;
    let mut archives = Vec::new();
    for (n, group) in groups.iter().enumerate() {
        let name = archive_name(n);
        let path = batch_dir.join(&name);
        let entries: Vec<(&str, &[u8])> =
            group.iter().map(|&i| (planned[i].file.as_str(), planned[i].bytes.as_slice())).collect();
        files::write_zip(&path, &entries, sealed.password).map_err(|e| write_failed(&path, &e, group[0], total))?;
        archives.push(name);
    }
    Ok((rows, kept, archives))
}

/// Removes what an interrupted run of this very batch left in `photos/` that the batch does not
/// hold: our temporary files (`.NAME.PID.tmp`), and photos no longer selected. Only ever called
/// on this store's own unfinished batch ([`batch_folder`]); nothing in it is recorded yet.
fn tidy(photos_dir: &Path, wanted: &std::collections::HashSet<&str>) {
    let Ok(entries) = std::fs::read_dir(photos_dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours_tmp = name.starts_with('.') && name.ends_with(".tmp");
        if ours_tmp || (name.ends_with(".jpg") && !wanted.contains(name.as_str())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn archive_name(n: usize) -> String {
    format!("photos-{:03}.zip", n + 1)
}

/// Consecutive groups of photo indices within the limits (a photo larger than the size limit
/// goes alone into its archive).
fn split_archives(planned: &[Planned], limits: ZipLimits) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut size = 0u64;
    for (i, p) in planned.iter().enumerate() {
        let bytes = p.bytes.len() as u64 + ZIP_ENTRY_OVERHEAD + p.file.len() as u64 * 2;
        let full = groups.last().is_none_or(|g| {
            limits.max_files.is_some_and(|n| g.len() >= n) || limits.max_bytes.is_some_and(|m| size + bytes > m)
        });
        if full {
            groups.push(Vec::new());
            size = ZIP_END_OVERHEAD;
        }
        if let Some(g) = groups.last_mut() {
            g.push(i);
        }
        size += bytes;
    }
    groups
}

/// Bytes a stored zip entry adds besides its data and name (local header 30 + central
/// directory entry 46, per the zip format).
const ZIP_ENTRY_OVERHEAD: u64 = 76;
/// The end-of-central-directory record.
const ZIP_END_OVERHEAD: u64 = 22;

/// The manifest row of a planned photo, with as much of the ID number as the profile says.
fn row(p: &Planned, archive: String, id_number: IdInManifest) -> ManifestRow {
    let s = &p.photo.student.record;
    let id = s.id_number.as_deref().unwrap_or_default();
    ManifestRow {
        student_no: s.student_no.clone(),
        name: s.name.clone(),
        id_number: match id_number {
            IdInManifest::Full => id.to_owned(),
            IdInManifest::Masked if !id.is_empty() => crate::roster::id_number::mask(id),
            IdInManifest::Masked | IdInManifest::None => String::new(),
        },
        college: s.college.clone(),
        major: s.major.clone(),
        class: s.class.clone(),
        exam_no: s.exam_no.clone(),
        file: p.file.clone(),
        archive,
        sha256: p.photo.photo_sha256.clone(),
        bytes: p.bytes.len() as u64,
        verdict: p.photo.verdict.clone(),
        status: crate::store::status_text(&p.photo.status),
        taken_at: p.photo.taken_at.clone(),
        station: p.photo.station_id.clone(),
        capture_id: p.photo.capture_id.clone(),
    }
}

fn now_text(store: &Store) -> String {
    crate::store::timestamp(store.now())
}

/// A failed write by what the operator does about it: a full drive, a drive that went away,
/// or the system's reason.
fn write_failed(path: &Path, e: &std::io::Error, done: usize, total: usize) -> ExportError {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => WriteFailure::Full,
        ErrorKind::NotFound => WriteFailure::Gone,
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => WriteFailure::NotAllowed(e.to_string()),
        _ => WriteFailure::Other(e.to_string()),
    };
    ExportError::Write { path: path.to_owned(), why, done, total }
}
