//! The station's settings (camera, profile, language, station name, data folder, auto-shoot,
//! kiosk mode),
//! kept in `station.toml` in the user's config folder; the window edits them (`ui/settings.rs`)
//! and the command line reads the language from them. Flags given at start win over the file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// What the settings file holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StationSettings {
    /// `--camera` text: `auto`, `demo`, `dir:PATH`, `webcam:N@WxH`.
    pub camera: Option<String>,
    /// Profile id.
    pub profile: Option<String>,
    /// `zh` or `en`.
    pub lang: Option<String>,
    /// Shown in the status bar and, later, on exports.
    pub station_name: String,
    /// Data folder used from the next start.
    pub data_dir: Option<PathBuf>,
    /// Shoot by itself when every live check is green.
    pub auto_shoot: bool,
    /// Show preview, hint and frame rates in the status bar.
    pub show_rates: bool,
    /// Log out after this many minutes without a key or a click (default 10; 0 = never).
    pub idle_logout_minutes: Option<u32>,
    /// Kiosk mode: fullscreen without decorations; closing needs an admin PIN (`--kiosk` too).
    pub kiosk: bool,
}

/// Minutes without use after which the window logs out, unless the settings say otherwise.
pub const DEFAULT_IDLE_LOGOUT_MINUTES: u32 = 10;

impl StationSettings {
    /// How long the window may sit unused with someone logged in (`None`: forever).
    pub fn idle_logout(&self) -> Option<std::time::Duration> {
        let minutes = self.idle_logout_minutes.unwrap_or(DEFAULT_IDLE_LOGOUT_MINUTES);
        (minutes > 0).then(|| std::time::Duration::from_secs(u64::from(minutes) * 60))
    }

    /// The file in the user's config folder.
    pub fn default_path() -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join("tucai").join("station.toml"))
    }

    /// Reads `path`; a missing file is the defaults, a broken one is said (and the caller
    /// starts with the defaults).
    pub fn load(path: &Path) -> Result<StationSettings, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StationSettings::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// The language saved in the user's settings file, if one is saved there.
    pub fn saved_lang() -> Option<Lang> {
        let settings = StationSettings::load(&StationSettings::default_path()?).ok()?;
        settings.lang.is_some().then(|| settings.lang())
    }

    /// Writes the file (through a temporary file, so a crash never leaves half of it).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = toml::to_string(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, path)
    }

    /// The language, Chinese unless the file says English.
    pub fn lang(&self) -> Lang {
        if self.lang.as_deref() == Some("en") { Lang::En } else { Lang::Zh }
    }

    /// Sets the language.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = Some(if lang == Lang::En { "en" } else { "zh" }.into());
    }
}
