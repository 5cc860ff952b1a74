//! Limits on what comes in from outside — photo files, rosters, drives from elsewhere, scanner
//! text — checked at the edge before anything is allocated or stored, and terminal output of
//! text that came from outside made inert. One place for the numbers, so that every edge
//! applies the same ones and the README can list them (its "Limits" section).
//!
//! What is refused is said in words by the caller's error (`i18n/`), naming the file or line.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

/// Largest photo we decode, in pixels, read from the file's header before decoding: a 50 MP
/// studio camera's full frame. A booth webcam gives at most 8 MP (4K); a decoded 50 MP photo is
/// 150 MB of RGB, which the pipeline copies a few times, so a "photo" of 30,000 × 30,000 pixels
/// (a few kilobytes of PNG) is refused before it costs gigabytes.
pub const MAX_PHOTO_PIXELS: u64 = 50_000_000;

/// Largest photo file we read: a 50 MP JPEG at the highest quality is about 25 MB; a PNG of a
/// full-frame photo about 60 MB. Originals are stored as they came, so this also bounds the store.
pub const MAX_PHOTO_BYTES: u64 = 64_000_000;

/// Largest roster file: a CSV of 20,000 students with every column is about 3 MB; an XLSX less.
pub const MAX_ROSTER_BYTES: u64 = 32_000_000;

/// Largest a roster workbook may unpack to (its zip entries' sizes added up): a spreadsheet of
/// 20,000 rows is under 20 MB of XML; a small "zip bomb" claiming gigabytes is refused.
pub const MAX_WORKBOOK_UNPACKED_BYTES: u64 = 256_000_000;

/// Largest `manifest.json` or CSV manifest read back from a drive (a manifest row is under 1 KB).
pub const MAX_MANIFEST_BYTES: u64 = 64_000_000;

/// Longest roster cell, in characters: names (including transcribed minority names with `·`),
/// colleges and majors are well under 50; ID and student numbers under 20.
pub const MAX_CELL_CHARS: usize = 100;

/// Longest scanned code, in characters: our cards and campus cards carry a number and a name;
/// CHSI's capture codes are short too. A longer payload is not a code meant for the booth.
pub const MAX_CODE_CHARS: usize = 512;

/// What is wrong with a piece of text from outside.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "text", rename_all = "snake_case")]
pub enum TextProblem {
    /// Longer than the limit.
    TooLong {
        /// Its length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// An invisible control or direction-changing character (a terminal escape, a line break
    /// inside a cell, a right-to-left override that makes a name read differently).
    Control {
        /// Its position, counted from 1 in characters.
        at: usize,
        /// Its code point.
        code: u32,
    },
}

/// Whether `c` can change what a terminal, a spreadsheet or a screen shows rather than being
/// shown itself: control characters (C0, DEL, C1) and the bidirectional overrides and marks.
pub fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks text from outside: at most `max_chars` characters, none of them invisible controls.
pub fn check_text(text: &str, max_chars: usize) -> Result<(), TextProblem> {
    if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| is_invisible_control(*c)) {
        return Err(TextProblem::Control { at: i + 1, code: u32::from(c) });
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(TextProblem::TooLong { chars, max: max_chars });
    }
    Ok(())
}

/// `text` made safe to print on a terminal: every invisible control except line breaks and
/// tabs is written as a `\u001b`-style escape (valid inside JSON strings too), so a name or a
/// file name from outside cannot move the cursor, recolour, retitle or rewrite the screen.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| is_invisible_control(c) && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Why a file with a size limit was not read.
#[derive(Debug)]
pub enum CappedRead {
    /// The system could not read it.
    Io(std::io::Error),
    /// It is larger than the limit (nothing beyond the limit was read).
    TooLarge {
        /// Its size, or at least how much was there before reading stopped.
        bytes: u64,
        /// The limit.
        max: u64,
    },
}

/// Reads all of `path` if it holds at most `max` bytes. The size is checked before reading and
/// the read stops at the limit (a device or pipe may say nothing, or grow while read).
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, CappedRead> {
    let file = std::fs::File::open(path).map_err(CappedRead::Io)?;
    let claimed = file.metadata().map(|m| m.len()).unwrap_or(0);
    if claimed > max {
        return Err(CappedRead::TooLarge { bytes: claimed, max });
    }
    read_up_to(file, max)
}

/// Reads `from` to its end if it holds at most `max` bytes, allocating only what arrives.
pub fn read_up_to(from: impl Read, max: u64) -> Result<Vec<u8>, CappedRead> {
    let mut bytes = Vec::new();
    from.take(max + 1).read_to_end(&mut bytes).map_err(CappedRead::Io)?;
    if bytes.len() as u64 > max {
        return Err(CappedRead::TooLarge { bytes: bytes.len() as u64, max });
    }
    Ok(bytes)
}

/// Whether `name` is a plain file name inside its folder — what a manifest row may name on a
/// drive: not empty, no folder separators, not `.` or `..`, no invisible controls.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(is_invisible_control)
        && !(name.len() >= 2 && name.as_bytes()[1] == b':') // C:foo on a drive read under Windows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_outside_is_checked_and_printed_inert() {
        assert_eq!(check_text("欧阳·娜娜", MAX_CELL_CHARS), Ok(()));
        assert_eq!(check_text("a\u{1b}[2J", 10), Err(TextProblem::Control { at: 2, code: 0x1b }));
        assert_eq!(check_text("abc\u{202e}gpj.exe", 50), Err(TextProblem::Control { at: 4, code: 0x202e }));
        assert_eq!(check_text(&"长".repeat(101), 100), Err(TextProblem::TooLong { chars: 101, max: 100 }));
        assert_eq!(for_terminal("王芳\u{1b}]0;pwned\u{7}\n"), "王芳\\u001b]0;pwned\\u0007\n");
        assert_eq!(for_terminal("\u{9b}31m"), "\\u009b31m", "C1 CSI too");
        assert!(matches!(for_terminal("plain\ttext"), Cow::Borrowed(_)));
    }

    #[test]
    fn only_plain_names_pass_and_reads_stop_at_the_limit() {
        for bad in ["", ".", "..", "../x.jpg", "a/b.jpg", "a\\b.jpg", "/etc/passwd", "C:x.jpg", "x\u{1b}.jpg"] {
            assert!(!is_plain_file_name(bad), "{bad:?}");
        }
        assert!(is_plain_file_name("2026000001_王芳.jpg"));
        assert_eq!(read_up_to(&b"12345"[..], 5).expect("fits"), b"12345");
        assert!(matches!(read_up_to(std::io::repeat(0), 1000), Err(CappedRead::TooLarge { bytes: 1001, max: 1000 })));
    }
}
