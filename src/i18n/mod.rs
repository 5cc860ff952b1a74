//! Every sentence a person reads, in Chinese and English, and the one way to say it.
//!
//! The domain raises typed values (an error enum with its data, a refusal, a notice); the edge
//! (the command line, the window) renders them with [`Say::say`] in the operator's language.
//! Nothing outside this module writes a sentence for a person: the modules below own them.
//! - [`errors`]: the errors and refusals of the core modules (store, imaging, print, export,
//!   sync, roster, codes, camera, profiles).
//! - [`checks`]: the checks' labels, problems and fixes, one row per [`crate::quality::Code`].
//! - [`cli`]: the command line's own errors and reports.
//! - [`outputs`]: print runs, printers, export batches and their read-back, the sync.
//! - [`window`]: the station window's fixed labels and its notices with values.
//!
//! Punctuation, list separators, numbers and times belong to the language ([`Lang`]); stored
//! times are UTC, a person reads the booth's local time ([`local_time`]).

pub mod checks;
pub mod cli;
pub mod errors;
pub mod outputs;
pub mod window;

use serde::{Deserialize, Serialize};

/// Message language; Chinese is the default everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

/// A typed message rendered for a person: every error, warning and notice implements it.
pub trait Say {
    /// The message in `lang`, as one line (no trailing full stop: the caller places it).
    fn say(&self, lang: Lang) -> String;
}

/// A message kept for later (a notice on screen, a job's result): typed, said when shown.
pub type Said = Box<dyn Say + Send>;

/// A message that borrows what it says, said now in both languages (to be kept and shown later).
pub fn both(message: &dyn Say) -> crate::quality::Bilingual {
    crate::quality::Bilingual { zh: message.say(Lang::Zh), en: message.say(Lang::En) }
}

impl<T: Say + ?Sized> Say for Box<T> {
    fn say(&self, lang: Lang) -> String {
        (**self).say(lang)
    }
}

impl<T: Say> Say for Vec<T> {
    /// The items as one line of clauses.
    fn say(&self, lang: Lang) -> String {
        lang.clauses(self)
    }
}

impl<T: Say + ?Sized> Say for &T {
    fn say(&self, lang: Lang) -> String {
        (**self).say(lang)
    }
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Between a subject and what is said about it: `：` or `: `.
    pub fn colon(self) -> &'static str {
        self.pick("：", ": ")
    }

    /// Between two clauses of one message: `；` or `; `.
    pub fn semicolon(self) -> &'static str {
        self.pick("；", "; ")
    }

    /// Between the items of a list: `、` or `, `.
    pub fn comma(self) -> &'static str {
        self.pick("、", ", ")
    }

    /// `items` rendered and joined as a list of clauses (`；` / `; `).
    pub fn clauses<T: Say>(self, items: &[T]) -> String {
        items.iter().map(|i| i.say(self)).collect::<Vec<_>>().join(self.semicolon())
    }

    /// The language a locale name asks for (`zh_CN.UTF-8` → Chinese, `en_GB` → English);
    /// `None` for `C`, `POSIX`, empty or any other language.
    pub fn of_locale(name: &str) -> Option<Lang> {
        let name = name.to_ascii_lowercase();
        if name.starts_with("zh") {
            Some(Lang::Zh)
        } else if name.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The operator's language: the flag, else the station's saved setting, else the locale
    /// (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them), else Chinese.
    pub fn resolve(flag: Option<Lang>, saved: Option<Lang>) -> Lang {
        let locale = || {
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|v| std::env::var(v).ok())
                .find(|v| !v.is_empty())
                .and_then(|v| Lang::of_locale(&v))
        };
        flag.or(saved).or_else(locale).unwrap_or_default()
    }

    /// A count of bytes as a person reads it (`1.4 MB`, `820 KB`).
    pub fn bytes(self, bytes: u64) -> String {
        let b = bytes as f64;
        if b >= 1e6 {
            format!("{:.1} MB", b / 1e6)
        } else if b >= 1e3 {
            format!("{:.0} KB", b / 1e3)
        } else {
            format!("{bytes} {}", self.pick("字节", "bytes"))
        }
    }
}

/// The Chinese or the English sentence, values already in (for the `Say` impls).
pub(crate) fn pick(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

impl Say for str {
    /// Text that is the same in both languages (a name, a path, a code).
    fn say(&self, _: Lang) -> String {
        self.to_owned()
    }
}

impl Say for String {
    fn say(&self, _: Lang) -> String {
        self.clone()
    }
}

/// The booth's offset from UTC at `unix_seconds`, in seconds, from the system's time zone
/// (`TZ`, else `/etc/localtime`).
pub fn utc_offset_s(unix_seconds: i64) -> i64 {
    use chrono::{Offset, TimeZone};
    match chrono::Local.timestamp_opt(unix_seconds, 0) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            i64::from(t.offset().fix().local_minus_utc())
        }
        chrono::LocalResult::None => 0,
    }
}

/// A stored UTC time as the booth's local time, to the minute: `2026-12-01 14:05`.
pub fn local_time(unix_seconds: i64) -> String {
    let local = unix_seconds + utc_offset_s(unix_seconds);
    let utc_text = crate::store::timestamp(local);
    // `YYYY-MM-DDTHH:MM:SSZ` of the shifted time: date, space, hours and minutes.
    format!("{} {}", &utc_text[..10], &utc_text[11..16])
}

/// A stored time text (`YYYY-MM-DDTHH:MM:SSZ`) as the booth's local time; text that is not
/// one is kept as is.
pub fn local_time_of(stored: &str) -> String {
    let b = stored.as_bytes();
    let shaped = b.len() == 20 && b[4] == b'-' && b[10] == b'T' && b[19] == b'Z';
    if shaped { local_time(crate::store::parse_timestamp(stored)) } else { stored.to_owned() }
}

/// Local time as a person reads it, with the day when it is not today: `14:05` or
/// `12-02 08:00`.
pub fn local_clock(unix_seconds: i64, now: i64) -> String {
    let (at, today) = (local_time(unix_seconds), local_time(now));
    if at[..10] == today[..10] { at[11..].to_owned() } else { at[5..].to_owned() }
}

/// A library's error with its causes, as technical detail inside a sentence (a database's
/// "db error: password authentication failed for user …").
pub fn detail(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let next = c.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        cause = c.source();
    }
    text
}

/// The text of an I/O failure: in Chinese by its kind, in English the system's words.
pub fn io_error(error: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    if lang == Lang::En {
        return error.to_string();
    }
    match error.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已存在",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘只读",
        K::UnexpectedEof => "文件不完整",
        K::InvalidData => "数据已损坏",
        K::TimedOut => "超时",
        K::Interrupted => "被中断",
        K::NotADirectory => "不是文件夹",
        K::IsADirectory => "是文件夹而不是文件",
        K::DirectoryNotEmpty => "文件夹不为空",
        K::FileTooLarge => "文件过大",
        K::OutOfMemory => "内存不足",
        _ => return format!("系统错误（{error}）"),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locale_names_its_language() {
        assert_eq!(Lang::of_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::of_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::of_locale("C.UTF-8"), None);
        assert_eq!(Lang::of_locale(""), None);
        // The flag beats the saved setting, the saved setting beats the locale.
        assert_eq!(Lang::resolve(Some(Lang::En), Some(Lang::Zh)), Lang::En);
        assert_eq!(Lang::resolve(None, Some(Lang::En)), Lang::En);
    }

    #[test]
    fn local_time_shifts_by_the_zone_offset() {
        let t = 1_764_547_200; // 2025-12-01T00:00:00Z
        let shifted = crate::store::timestamp(t + utc_offset_s(t));
        assert_eq!(local_time(t), format!("{} {}", &shifted[..10], &shifted[11..16]));
        assert_eq!(local_time_of("not a time"), "not a time");
    }

    #[test]
    fn punctuation_belongs_to_the_language() {
        let items = ["a".to_owned(), "b".to_owned()];
        assert_eq!(Lang::Zh.clauses(&items), "a；b");
        assert_eq!(Lang::En.clauses(&items), "a; b");
        assert_eq!(Lang::En.bytes(1_400_000), "1.4 MB");
    }
}

#[cfg(test)]
mod tests_all;
