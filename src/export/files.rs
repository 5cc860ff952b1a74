//! Durable files on a drive that may fill up or be pulled out: every file is written under a
//! temporary name, flushed to the device, then renamed, so a file with the final name is
//! always whole; the folder is flushed after the renames. Zip archives are written the same
//! way, their photos stored as they are (JPEG does not compress further).

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// Files holding personal data (photos, manifests, sheets, the store) are readable by their
/// owner only; on a FAT-formatted USB drive, which has no permissions, `--encrypt` protects them.
pub const PRIVATE_FILE: u32 = 0o600;
/// Folders holding them: the owner only.
pub const PRIVATE_DIR: u32 = 0o700;

/// Makes `dir` and any missing parents, private to the owner (folders that exist keep theirs).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new().recursive(true).mode(PRIVATE_DIR).create(dir)
}

/// Why a file holding a secret (a password) cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretFileProblem {
    /// It does not exist.
    Missing,
    /// Others may read it (its permission bits).
    OpenToOthers {
        /// The bits, e.g. 0o644.
        mode: u32,
    },
    /// It cannot be read (the system's words).
    Unreadable(String),
}

/// The text of a file holding a secret, if it exists (`None`: no such file) and only its
/// owner may read it (otherwise refused, as libpq refuses such a `.pgpass`).
pub fn read_secret_file(path: &Path) -> Result<Option<String>, SecretFileProblem> {
    use std::os::unix::fs::PermissionsExt;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(SecretFileProblem::Unreadable(e.to_string())),
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(SecretFileProblem::OpenToOthers { mode });
    }
    std::fs::read_to_string(path).map(Some).map_err(|e| SecretFileProblem::Unreadable(e.to_string()))
}

/// Creates (or truncates) `path` readable and writable by the owner only.
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(PRIVATE_FILE).open(path)
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one:
/// a temporary file in the same folder (owner-only), flushed to disk, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = create_private_file(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Flushes a folder's entries (the renames in it) to the device.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Opens `path` for reading what the device holds: its cached pages are dropped first
/// (`posix_fadvise(DONTNEED)` after the writes were synced), so a failing or fake-capacity
/// stick cannot pass verification from the page cache.
pub fn open_uncached(path: &Path) -> std::io::Result<std::fs::File> {
    let file = std::fs::File::open(path)?;
    // Advice only: a file system that ignores it still reads correctly.
    let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
    Ok(file)
}

/// Whether `path` already holds exactly `bytes` (a batch being completed keeps them).
pub fn holds(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|b| b == bytes)
}

/// Writes a zip archive of `(name, bytes)` entries, stored uncompressed, durably; with a
/// password, every entry is AES-256 encrypted (WinZip AE-2, which 7-Zip and WinRAR open).
pub fn write_zip(path: &Path, entries: &[(&str, &[u8])], password: Option<&str>) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    if let Some(password) = password {
        options = options.with_aes_encryption(zip::AesMode::Aes256, password);
    }
    for (name, bytes) in entries {
        zip.start_file(*name, options).map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    let bytes = zip.finish().map_err(std::io::Error::other)?.into_inner();
    write_atomic(path, &bytes)
}

/// An archive entry's bytes, or why they cannot be read.
pub type EntryBytes = Result<Vec<u8>, String>;

/// Why a zip archive cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZipProblem {
    /// It is encrypted and no password was given.
    NeedsPassword,
    /// The password does not open it.
    WrongPassword,
    /// Anything else (the archive's or the system's words).
    Other(String),
}

/// Reads every entry of a zip archive (decrypting with `password` where entries are
/// encrypted): (name, its bytes or why they cannot be read). One damaged entry does not hide
/// the others.
pub fn read_zip(path: &Path, password: Option<&str>) -> Result<Vec<(String, EntryBytes)>, ZipProblem> {
    let other = |e: String| ZipProblem::Other(e);
    let file = open_uncached(path).map_err(|e| other(format!("cannot open {}: {e}", path.display())))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| other(format!("{} is not a readable zip: {e}", path.display())))?;
    let mut out = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let encrypted = zip.by_index_raw(i).is_ok_and(|e| e.encrypted());
        let entry = match (encrypted, password) {
            (true, None) => return Err(ZipProblem::NeedsPassword),
            (true, Some(p)) => zip.by_index_decrypt(i, p.as_bytes()),
            (false, _) => zip.by_index(i),
        };
        let mut entry = entry.map_err(|e| match e {
            zip::result::ZipError::InvalidPassword => ZipProblem::WrongPassword,
            e => other(format!("{}: entry {i}: {e}", path.display())),
        })?;
        let name = entry.name().map_err(|e| other(format!("{}: entry {i}: {e}", path.display())))?.into_owned();
        // The size an entry claims is not trusted for allocation: only what arrives is kept,
        // and no entry of a batch (a photo, a manifest) may be larger than a photo file.
        let read = crate::limits::read_up_to(&mut entry, crate::limits::MAX_PHOTO_BYTES).map_err(|e| match e {
            crate::limits::CappedRead::Io(e) => e.to_string(),
            crate::limits::CappedRead::TooLarge { max, .. } => format!("larger than {max} bytes"),
        });
        out.push((name, read));
    }
    Ok(out)
}
