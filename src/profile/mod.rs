//! Photo profiles: the TOML files in `profiles/` turned into checked [`PhotoSpec`]s.
//!
//! Owns the file format (`raw.rs`), its validation (`spec.rs`) and where profiles are found
//! (`library.rs`). Knows nothing of images; the pipeline and the checks read a `PhotoSpec`.

mod library;
mod raw;
mod spec;

use std::path::PathBuf;

pub use library::{ProfileLibrary, ProfileSource, user_profile_dir};
pub use spec::{
    BurstPolicy, CheckThresholds, CodeRule, ExportPolicy, FileNameRule, GeometrySpec, IdInManifest, MAX_COPIES,
    OutputSpec, PhotoSpec, PoseLimits, PrintSpec, RetakePolicy, Window,
};

/// The profile a booth and every command use unless told otherwise: the CHSI graduate photo.
pub const DEFAULT_PROFILE: &str = "chsi-graduate";

/// One thing wrong with one key of a profile file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileProblem {
    /// Dotted key, e.g. `geometry.face_width_px`.
    pub key: String,
    /// What is wrong, in words.
    pub problem: String,
}

/// Why a profile could not be loaded.
#[derive(Debug)]
pub enum ProfileError {
    /// The file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not valid TOML, a missing or unknown key, or a value of the wrong type.
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, which names the line and the key.
        message: String,
    },
    /// The values parse but make no sense together.
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every bad key found.
        problems: Vec<ProfileProblem>,
    },
    /// No profile with that id in any profile folder.
    Unknown {
        /// The requested id.
        id: String,
        /// The ids that exist, comma separated.
        known: String,
        /// Where users put their own profiles.
        user_dir: String,
    },
}

/// Parses and validates one profile file's text; `path` is only used in messages.
pub fn parse_profile(text: &str, path: PathBuf) -> Result<PhotoSpec, ProfileError> {
    let raw: raw::RawProfile = toml::from_str(text)
        .map_err(|e| ProfileError::Syntax { path: path.clone(), message: e.to_string().trim().replace('\n', " ") })?;
    PhotoSpec::from_raw(raw).map_err(|problems| ProfileError::Invalid { path, problems })
}
