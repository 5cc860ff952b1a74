//! Where profiles come from: the ones built into the binary, then the user's profile folder.
//!
//! A school adds a profile by dropping a `.toml` file into [`user_profile_dir`] (or a folder
//! given with `--profiles-dir`); a file whose `id` matches a built-in profile replaces it.
//! A broken file never hides the others: it is kept as an error and shown when asked for.

use std::path::{Path, PathBuf};

use super::{PhotoSpec, ProfileError, parse_profile};

/// The profiles shipped with Tucai, compiled in so the binary works from any folder.
const BUILT_IN: [(&str, &str); 4] = [
    ("chsi-graduate.toml", include_str!("../../profiles/chsi-graduate.toml")),
    ("chsi-graduate-white.toml", include_str!("../../profiles/chsi-graduate-white.toml")),
    ("prc-id-card.toml", include_str!("../../profiles/prc-id-card.toml")),
    ("icao-passport.toml", include_str!("../../profiles/icao-passport.toml")),
];

/// Where a profile was loaded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileSource {
    /// Compiled into the binary.
    BuiltIn,
    /// A file on disk.
    File(PathBuf),
}

/// All profiles that could be loaded, and the files that could not.
#[derive(Debug)]
pub struct ProfileLibrary {
    profiles: Vec<(PhotoSpec, ProfileSource)>,
    broken: Vec<ProfileError>,
}

/// The per-user folder for extra profiles: `~/.config/tucai/profiles` on Linux.
pub fn user_profile_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("tucai").join("profiles"))
}

impl ProfileLibrary {
    /// Built-in profiles, then every `*.toml` in `dirs` in order (later ones win by id).
    pub fn load(dirs: &[PathBuf]) -> ProfileLibrary {
        let mut lib = ProfileLibrary { profiles: Vec::new(), broken: Vec::new() };
        for (name, text) in BUILT_IN {
            match parse_profile(text, PathBuf::from(format!("<built-in>/{name}"))) {
                Ok(spec) => lib.insert(spec, ProfileSource::BuiltIn),
                Err(e) => lib.broken.push(e),
            }
        }
        for dir in dirs {
            lib.load_dir(dir);
        }
        lib
    }

    /// Built-in profiles plus the user's profile folder, if it exists.
    pub fn load_default(extra_dirs: &[PathBuf]) -> ProfileLibrary {
        let mut dirs: Vec<PathBuf> = user_profile_dir().into_iter().collect();
        dirs.extend_from_slice(extra_dirs);
        ProfileLibrary::load(&dirs)
    }

    fn load_dir(&mut self, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            match load_file(&path) {
                Ok(spec) => self.insert(spec, ProfileSource::File(path)),
                Err(e) => self.broken.push(e),
            }
        }
    }

    fn insert(&mut self, spec: PhotoSpec, source: ProfileSource) {
        self.profiles.retain(|(p, _)| p.id != spec.id);
        self.profiles.push((spec, source));
    }

    /// Every loaded profile with where it came from, in load order.
    pub fn profiles(&self) -> &[(PhotoSpec, ProfileSource)] {
        &self.profiles
    }

    /// Files that failed to load.
    pub fn broken(&self) -> &[ProfileError] {
        &self.broken
    }

    /// Finds a profile by id, or loads `name` as a path when it names a `.toml` file.
    pub fn resolve(&self, name: &str) -> Result<PhotoSpec, ProfileError> {
        if name.ends_with(".toml") {
            return load_file(Path::new(name));
        }
        if let Some((spec, _)) = self.profiles.iter().find(|(p, _)| p.id == name) {
            return Ok(spec.clone());
        }
        Err(ProfileError::Unknown {
            id: name.to_owned(),
            known: self.profiles.iter().map(|(p, _)| p.id.as_str()).collect::<Vec<_>>().join(", "),
            user_dir: user_profile_dir().map_or_else(|| "the profiles folder".into(), |d| d.display().to_string()),
        })
    }
}

/// Reads and validates one profile file.
pub fn load_file(path: &Path) -> Result<PhotoSpec, ProfileError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read { path: path.to_owned(), source })?;
    parse_profile(&text, path.to_owned())
}
