//! Capture codes: QR codes and barcodes read from a camera frame or a file (rxing), or text
//! typed by a keyboard-wedge scanner, and what a payload means under the profile's rule:
//! our capture cards and campus cards name the student in clear text; anything else is an
//! encrypted CHSI image-capture code, kept verbatim as the student's key.

use image::RgbImage;
use serde::Serialize;

use crate::profile::CodeRule;

/// One code found in an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FoundCode {
    /// The payload.
    pub text: String,
    /// Symbology (QR_CODE, CODE_128…).
    pub format: String,
}

/// What a payload says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CodeMeaning {
    /// A clear-text card naming the student.
    Card {
        /// 学号 from the card.
        student_no: String,
        /// Name from the card, when it has one.
        name: Option<String>,
    },
    /// An encrypted CHSI code: the student must be identified another way, once.
    Chsi {
        /// The payload as scanned.
        code: String,
    },
}

/// Why a code can't be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// Nothing readable in the image.
    NoCode,
    /// Several different codes: which one is the student's?
    Several(usize),
    /// The profile's pattern is not a valid regular expression (validated at load; kept for safety).
    Pattern(String),
    /// Scanner input that is empty.
    Empty,
    /// A payload too long for a code meant for the booth, or holding invisible control
    /// characters ([`crate::limits`]).
    Text(crate::limits::TextProblem),
}

/// Every code in `image` (QR codes and 1-D barcodes), duplicates removed.
pub fn decode_image(image: &RgbImage) -> Vec<FoundCode> {
    let luma: Vec<u8> = image.pixels().map(|p| crate::quality::luma_u8(p.0)).collect();
    let mut found: Vec<FoundCode> = rxing::helpers::detect_multiple_in_luma(luma, image.width(), image.height())
        .unwrap_or_default()
        .into_iter()
        .map(|r| FoundCode { text: r.getText().to_owned(), format: format!("{:?}", r.getBarcodeFormat()) })
        .collect();
    found.sort_by(|a, b| a.text.cmp(&b.text));
    found.dedup_by(|a, b| a.text == b.text);
    found
}

/// The one code in `image`, or why there isn't exactly one.
pub fn single_code(image: &RgbImage) -> Result<FoundCode, CodeError> {
    let mut all = decode_image(image);
    match all.len() {
        0 => Err(CodeError::NoCode),
        1 => Ok(all.remove(0)),
        n => Err(CodeError::Several(n)),
    }
}

/// What `payload` means under `rule`. Scanner input loses its line ending here.
pub fn interpret(payload: &str, rule: &CodeRule) -> Result<CodeMeaning, CodeError> {
    let text = payload.trim_end_matches(['\r', '\n']).trim();
    if text.is_empty() {
        return Err(CodeError::Empty);
    }
    crate::limits::check_text(text, crate::limits::MAX_CODE_CHARS).map_err(CodeError::Text)?;
    let re = regex_lite::Regex::new(&rule.card_pattern).map_err(|e| CodeError::Pattern(e.to_string()))?;
    if let Some(caps) = re.captures(text)
        && let Some(no) = caps.name("student_no").map(|m| m.as_str().trim()).filter(|s| !s.is_empty())
    {
        let name = caps.name("name").map(|m| m.as_str().trim().to_owned()).filter(|s| !s.is_empty());
        return Ok(CodeMeaning::Card { student_no: no.to_owned(), name });
    }
    Ok(CodeMeaning::Chsi { code: text.to_owned() })
}

/// The payload our capture cards carry for a student (read back by the default rule).
pub fn card_payload(student_no: &str, name: &str) -> String {
    format!("TUCAI1|{student_no}|{name}")
}

/// The modules of a QR code of `text`: its side in modules and, row by row from the top,
/// whether each module is dark (no quiet zone).
pub fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), qrcode::types::QrError> {
    let code = qrcode::QrCode::new(text.as_bytes())?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok((code.width(), dark))
}

/// A QR code of `text` as a picture: `scale` pixels per module, 4 modules of quiet zone
/// (the demo camera shows capture cards with it).
pub fn qr_image(text: &str, scale: u32) -> Result<RgbImage, qrcode::types::QrError> {
    let (w, dark) = qr_modules(text)?;
    let w = w as u32;
    let side = (w + 8) * scale;
    Ok(RgbImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
        let is_dark = mx < w && my < w && dark[(my * w + mx) as usize];
        image::Rgb(if is_dark { [20, 20, 20] } else { [235, 235, 235] })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_name_the_student_and_anything_else_is_a_chsi_code() {
        let rule = CodeRule::default();
        assert_eq!(
            interpret(&card_payload("2021001", "张三"), &rule),
            Ok(CodeMeaning::Card { student_no: "2021001".into(), name: Some("张三".into()) })
        );
        assert_eq!(interpret("  Xy9+/ab==\r\n", &rule), Ok(CodeMeaning::Chsi { code: "Xy9+/ab==".into() }));
        assert_eq!(interpret("\n", &rule), Err(CodeError::Empty));
        assert!(matches!(interpret("TUCAI1|1\u{1b}[2J|x", &rule), Err(CodeError::Text(_))), "a terminal escape");
        assert!(matches!(interpret(&"A".repeat(600), &rule), Err(CodeError::Text(_))), "too long for a code");
        let campus = CodeRule { card_pattern: r"^CARD(?P<student_no>\d{7})$".into() };
        assert_eq!(
            interpret("CARD2021001", &campus),
            Ok(CodeMeaning::Card { student_no: "2021001".into(), name: None })
        );
    }
}
