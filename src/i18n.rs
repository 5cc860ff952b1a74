//! The message language shared by the command line, the checks and the station window.
//! The strings themselves live beside what they describe: the checks' in `quality/text.rs`,
//! the window's in `ui/i18n.rs`.

use serde::Serialize;

/// Message language; Chinese is the default everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
