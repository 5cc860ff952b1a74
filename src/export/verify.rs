//! Reading a batch back: every photo the manifest lists is read from the device (its cached
//! pages dropped first; from `photos/` or from its zip archive) and its size and SHA-256 compared; the CSV manifests must list the same
//! files; files the manifest does not know are reported. Works on any copy of a batch
//! (`tucai export verify DIR`), with no store. An encrypted batch needs its password: its
//! archives are decrypted, and the personal manifest inside `manifest.zip` must list the same
//! files and hashes as the one beside it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::PHOTOS_DIR;
use super::files::{EntryBytes, ZipProblem, open_uncached, read_zip};
use super::manifest::{MANIFEST_CSV, MANIFEST_GBK, MANIFEST_JSON, Manifest, PERSONAL_ZIP};
use crate::progress::Progress;
use crate::store::sha256_hex;

/// What a verification found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct VerifyReport {
    /// Photos whose bytes matched.
    pub verified: usize,
    /// Photos the manifest lists.
    pub listed: usize,
    /// Each difference, naming the file.
    pub problems: Vec<VerifyProblem>,
}

/// One difference between a batch and its manifest (said in `i18n/errors.rs`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum VerifyProblem {
    /// `manifest.json` cannot be read.
    ManifestUnreadable {
        /// Its path.
        path: String,
        /// The system's words.
        error: String,
    },
    /// `manifest.json` is not ours.
    ManifestInvalid {
        /// The parser's words.
        error: String,
    },
    /// A photo cannot be read (missing, or its archive damaged).
    Unreadable {
        /// The photo (and its archive).
        place: String,
        /// The system's or the archive's words.
        error: String,
    },
    /// A photo is missing from its archive.
    NotInArchive {
        /// The photo and its archive.
        place: String,
    },
    /// A photo's size differs from the manifest's.
    SizeDiffers {
        /// The photo.
        place: String,
        /// Its size.
        bytes: u64,
        /// The manifest's.
        expected: u64,
    },
    /// A photo's SHA-256 differs from the manifest's.
    HashDiffers {
        /// The photo.
        place: String,
    },
    /// A CSV manifest is missing.
    CsvMissing {
        /// Its path.
        path: String,
    },
    /// A CSV manifest lists other files than `manifest.json`.
    CsvDiffers {
        /// Its path.
        path: String,
    },
    /// A manifest row names a file outside the batch folder (`../`, a folder, an absolute
    /// path) or a link pointing elsewhere: not read.
    OutsideBatch {
        /// The name as the manifest has it.
        path: String,
    },
    /// A manifest file is larger than [`crate::limits::MAX_MANIFEST_BYTES`]: not read.
    ManifestTooLarge {
        /// Its path.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// A photo or archive the manifest does not list.
    NotInManifest {
        /// Its path.
        path: String,
    },
    /// The batch is encrypted and no password was given.
    NeedsPassword,
    /// The password does not open an archive.
    WrongPassword {
        /// The archive.
        path: String,
    },
    /// The encrypted personal manifest is missing, unreadable, or lists other photos.
    PersonalManifest {
        /// Its path.
        path: String,
        /// What is wrong (the archive's or the parser's words; empty: it lists other photos).
        error: String,
    },
}

/// Verifies the batch in `dir` against its manifest (`password`: for an encrypted batch).
pub fn verify_batch(dir: &Path, password: Option<&str>, progress: &Progress) -> VerifyReport {
    let mut report = VerifyReport::default();
    let manifest = match read_manifest_file(&dir.join(MANIFEST_JSON)) {
        Ok(bytes) => match Manifest::parse(&bytes) {
            Ok(m) => m,
            Err(error) => {
                report.problems.push(VerifyProblem::ManifestInvalid { error });
                return report;
            }
        },
        Err(problem) => {
            report.problems.push(problem);
            return report;
        }
    };
    report.listed = manifest.photos.len();
    check_csv(dir, &manifest, &mut report);
    if manifest.encrypted {
        let Some(password) = password else {
            report.problems.push(VerifyProblem::NeedsPassword);
            return report;
        };
        if !check_personal(dir, &manifest, password, &mut report) {
            return report; // a wrong password opens none of the archives either
        }
    }
    progress.stage(crate::progress::Stage::Verifying, manifest.photos.len() as u64);
    // Archives are read once each.
    let mut archives: HashMap<String, Result<BTreeMap<String, EntryBytes>, String>> = HashMap::new();
    for row in &manifest.photos {
        progress.advance();
        if let Some(path) = outside_batch(dir, &row.file, &row.archive) {
            report.problems.push(VerifyProblem::OutsideBatch { path });
            continue;
        }
        let (place, bytes) = if row.archive.is_empty() {
            let path = dir.join(PHOTOS_DIR).join(&row.file);
            (path.display().to_string(), read_photo_uncached(&path).map_err(Some))
        } else {
            let entries = archives.entry(row.archive.clone()).or_insert_with(|| {
                read_zip(&dir.join(&row.archive), password)
                    .map(|list| list.into_iter().collect::<BTreeMap<_, _>>())
                    .map_err(|e| match e {
                        ZipProblem::Other(e) => e,
                        ZipProblem::NeedsPassword | ZipProblem::WrongPassword => {
                            format!("{}: encrypted with another password", row.archive)
                        }
                    })
            });
            let place = format!("{} ({})", row.file, dir.join(&row.archive).display());
            let bytes = match entries {
                Ok(map) => match map.get(&row.file) {
                    Some(Ok(b)) => Ok(b.clone()),
                    Some(Err(e)) => Err(Some(e.clone())),
                    None => Err(None),
                },
                Err(e) => Err(Some(e.clone())),
            };
            (place, bytes)
        };
        match bytes {
            Err(Some(error)) => report.problems.push(VerifyProblem::Unreadable { place, error }),
            Err(None) => report.problems.push(VerifyProblem::NotInArchive { place }),
            Ok(b) if b.len() as u64 != row.bytes => {
                report.problems.push(VerifyProblem::SizeDiffers { place, bytes: b.len() as u64, expected: row.bytes });
            }
            Ok(b) if sha256_hex(&b) != row.sha256 => report.problems.push(VerifyProblem::HashDiffers { place }),
            Ok(_) => report.verified += 1,
        }
    }
    unknown_files(dir, &manifest, &mut report);
    report
}

/// A loose photo's bytes as the device holds them (its cached pages dropped first), read only
/// up to [`crate::limits::MAX_PHOTO_BYTES`].
fn read_photo_uncached(path: &Path) -> Result<Vec<u8>, String> {
    let file = open_uncached(path).map_err(|e| e.to_string())?;
    crate::limits::read_up_to(file, crate::limits::MAX_PHOTO_BYTES).map_err(|e| match e {
        crate::limits::CappedRead::Io(e) => e.to_string(),
        crate::limits::CappedRead::TooLarge { max, .. } => format!("larger than {max} bytes"),
    })
}

/// A manifest file read from the drive, if it is no larger than
/// [`crate::limits::MAX_MANIFEST_BYTES`] (and is a file here, not a link to elsewhere).
fn read_manifest_file(path: &Path) -> Result<Vec<u8>, VerifyProblem> {
    use crate::limits::{CappedRead, MAX_MANIFEST_BYTES, read_capped};
    let shown = path.display().to_string();
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(VerifyProblem::OutsideBatch { path: shown });
    }
    read_capped(path, MAX_MANIFEST_BYTES).map_err(|e| match e {
        CappedRead::Io(e) => VerifyProblem::ManifestUnreadable { path: shown, error: e.to_string() },
        CappedRead::TooLarge { bytes, .. } => VerifyProblem::ManifestTooLarge { path: shown, bytes },
    })
}

/// The name a manifest row's `file` or `archive` gives that would lead outside the batch
/// folder — not a plain file name, or a link on the drive — or `None` when both stay inside.
fn outside_batch(dir: &Path, file: &str, archive: &str) -> Option<String> {
    let is_link = |path: &Path| std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !crate::limits::is_plain_file_name(file) {
        return Some(file.to_owned());
    }
    if archive.is_empty() {
        return is_link(&dir.join(PHOTOS_DIR).join(file)).then(|| file.to_owned());
    }
    let archive_ok = crate::limits::is_plain_file_name(archive) && !is_link(&dir.join(archive));
    (!archive_ok).then(|| archive.to_owned())
}

/// The personal manifest inside `manifest.zip` must open with `password` and list the same
/// photos (files, archives, hashes) as the copy beside it. False when the password is wrong.
fn check_personal(dir: &Path, beside: &Manifest, password: &str, report: &mut VerifyReport) -> bool {
    let path = dir.join(PERSONAL_ZIP);
    let shown = path.display().to_string();
    let problem = |error: String| VerifyProblem::PersonalManifest { path: shown.clone(), error };
    let entries = match read_zip(&path, Some(password)) {
        Ok(entries) => entries,
        Err(ZipProblem::WrongPassword) => {
            report.problems.push(VerifyProblem::WrongPassword { path: shown });
            return false;
        }
        Err(ZipProblem::NeedsPassword) => return true, // not encrypted: cannot happen with a password
        Err(ZipProblem::Other(e)) => {
            report.problems.push(problem(e));
            return true;
        }
    };
    let inner = entries.into_iter().find(|(name, _)| name == MANIFEST_JSON).map(|(_, bytes)| bytes);
    let parsed = match inner {
        Some(Ok(bytes)) => Manifest::parse(&bytes),
        Some(Err(e)) => Err(e),
        None => Err(format!("{MANIFEST_JSON} missing")),
    };
    match parsed {
        Ok(personal) => {
            let key = |m: &Manifest| -> Vec<(String, String, String)> {
                m.photos.iter().map(|r| (r.file.clone(), r.archive.clone(), r.sha256.clone())).collect()
            };
            if key(&personal) != key(beside) {
                report.problems.push(problem(String::new()));
            }
        }
        Err(e) => report.problems.push(problem(e)),
    }
    true
}

/// The two CSV copies must list the manifest's files, in order.
fn check_csv(dir: &Path, manifest: &Manifest, report: &mut VerifyReport) {
    let files: Vec<&str> = manifest.photos.iter().map(|r| r.file.as_str()).collect();
    for (name, gbk) in [(MANIFEST_CSV, false), (MANIFEST_GBK, true)] {
        let path = dir.join(name);
        let bytes = match read_manifest_file(&path) {
            Ok(bytes) => bytes,
            Err(VerifyProblem::ManifestUnreadable { .. }) => {
                report.problems.push(VerifyProblem::CsvMissing { path: path.display().to_string() });
                continue;
            }
            Err(problem) => {
                report.problems.push(problem);
                continue;
            }
        };
        let text = if gbk {
            encoding_rs::GBK.decode(&bytes).0.into_owned()
        } else {
            String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned()
        };
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let listed: Vec<String> =
            reader.records().filter_map(|r| r.ok()).filter_map(|r| r.get(7).map(str::to_owned)).collect();
        if listed != files {
            report.problems.push(VerifyProblem::CsvDiffers { path: path.display().to_string() });
        }
    }
}

/// Photos or archives in the batch that the manifest does not list.
fn unknown_files(dir: &Path, manifest: &Manifest, report: &mut VerifyReport) {
    let loose: std::collections::HashSet<&str> =
        manifest.photos.iter().filter(|r| r.archive.is_empty()).map(|r| r.file.as_str()).collect();
    let archives: std::collections::HashSet<&str> = manifest.photos.iter().map(|r| r.archive.as_str()).collect();
    if let Ok(entries) = std::fs::read_dir(dir.join(PHOTOS_DIR)) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !loose.contains(name.as_str()) {
                report.problems.push(VerifyProblem::NotInManifest { path: e.path().display().to_string() });
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let personal = manifest.encrypted && name == PERSONAL_ZIP;
            if name.ends_with(".zip") && !archives.contains(name.as_str()) && !personal {
                report.problems.push(VerifyProblem::NotInManifest { path: e.path().display().to_string() });
            }
        }
    }
}
