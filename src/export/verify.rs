//! Reading a batch back: every photo the manifest lists is read (from `photos/` or from its
//! zip archive) and its size and SHA-256 compared; the CSV manifests must list the same
//! files; files the manifest does not know are reported. Works on any copy of a batch
//! (`tucai export verify DIR`), with no store.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::PHOTOS_DIR;
use super::files::{EntryBytes, read_zip};
use super::manifest::{MANIFEST_CSV, MANIFEST_GBK, MANIFEST_JSON, Manifest};
use crate::progress::Progress;
use crate::store::sha256_hex;

/// What a verification found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct VerifyReport {
    /// Photos whose bytes matched.
    pub verified: usize,
    /// Photos the manifest lists.
    pub listed: usize,
    /// Each difference, in words, naming the file.
    pub problems: Vec<String>,
}

/// Verifies the batch in `dir` against its manifest.
pub fn verify_batch(dir: &Path, progress: &Progress) -> VerifyReport {
    let mut report = VerifyReport::default();
    let manifest = match std::fs::read(dir.join(MANIFEST_JSON)) {
        Ok(bytes) => match Manifest::parse(&bytes) {
            Ok(m) => m,
            Err(e) => {
                report.problems.push(e);
                return report;
            }
        },
        Err(e) => {
            report.problems.push(format!("cannot read {}: {e}", dir.join(MANIFEST_JSON).display()));
            return report;
        }
    };
    report.listed = manifest.photos.len();
    check_csv(dir, &manifest, &mut report);
    progress.stage("verifying", manifest.photos.len() as u64);
    // Archives are read once each.
    let mut archives: HashMap<String, Result<BTreeMap<String, EntryBytes>, String>> = HashMap::new();
    for row in &manifest.photos {
        progress.advance();
        let (place, bytes) = if row.archive.is_empty() {
            let path = dir.join(PHOTOS_DIR).join(&row.file);
            (path.display().to_string(), std::fs::read(&path).map_err(|e| e.to_string()))
        } else {
            let entries = archives.entry(row.archive.clone()).or_insert_with(|| {
                read_zip(&dir.join(&row.archive)).map(|list| list.into_iter().collect::<BTreeMap<_, _>>())
            });
            let place = format!("{} in {}", row.file, dir.join(&row.archive).display());
            let bytes = match entries {
                Ok(map) => match map.get(&row.file) {
                    Some(Ok(b)) => Ok(b.clone()),
                    Some(Err(e)) => Err(format!("damaged: {e}")),
                    None => Err("missing from the archive".to_owned()),
                },
                Err(e) => Err(e.clone()),
            };
            (place, bytes)
        };
        match bytes {
            Err(e) => report.problems.push(format!("{place}: cannot read ({e})")),
            Ok(b) if b.len() as u64 != row.bytes => {
                report.problems.push(format!("{place}: {} bytes, the manifest says {}", b.len(), row.bytes));
            }
            Ok(b) if sha256_hex(&b) != row.sha256 => {
                report.problems.push(format!("{place}: damaged (SHA-256 differs from the manifest)"));
            }
            Ok(_) => report.verified += 1,
        }
    }
    unknown_files(dir, &manifest, &mut report);
    report
}

/// The two CSV copies must list the manifest's files, in order.
fn check_csv(dir: &Path, manifest: &Manifest, report: &mut VerifyReport) {
    let files: Vec<&str> = manifest.photos.iter().map(|r| r.file.as_str()).collect();
    for (name, gbk) in [(MANIFEST_CSV, false), (MANIFEST_GBK, true)] {
        let path = dir.join(name);
        let Ok(bytes) = std::fs::read(&path) else {
            report.problems.push(format!("{} is missing", path.display()));
            continue;
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
            report.problems.push(format!("{} lists other files than {MANIFEST_JSON}", path.display()));
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
                report.problems.push(format!("{}: not in the manifest", e.path().display()));
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".zip") && !archives.contains(name.as_str()) {
                report.problems.push(format!("{}: not in the manifest", e.path().display()));
            }
        }
    }
}
