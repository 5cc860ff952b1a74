//! What the file itself says, read from its bytes without decoding the pixels: the format,
//! the pixel size, the resolution tag (JFIF density or EXIF XResolution) and the JPEG quality
//! factor estimated from the luminance quantization table.

use serde::Serialize;

/// Container format, from the magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// JPEG (JFIF or EXIF).
    Jpeg,
    /// PNG.
    Png,
    /// Anything else (BMP, WebP, HEIC, damaged…).
    Other,
}

/// The facts of a photo file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileFacts {
    /// Container format.
    pub format: FileFormat,
    /// Size on disk.
    pub bytes: u64,
    /// Width and height from the JPEG frame header.
    pub size_px: Option<[u32; 2]>,
    /// Colour components (3 = YCbCr colour, 1 = greyscale, 4 = CMYK).
    pub components: Option<u8>,
    /// Progressive rather than baseline.
    pub progressive: bool,
    /// Resolution in dots per inch (horizontal), when the file says it.
    pub dpi: Option<f32>,
    /// IJG quality factor (1–100) that reproduces the luminance table, when it is IJG-shaped.
    pub jpeg_quality: Option<u8>,
}

/// The IJG base luminance table (ITU-T T.81 Annex K, table K.1) in the zig-zag order DQT
/// segments use.
const LUMA_BASE_ZIGZAG: [u16; 64] = [
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61,
    60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113,
    121, 112, 100, 120, 92, 101, 103, 99,
];

const CM_PER_INCH: f32 = 2.54;

impl FileFacts {
    /// Reads the header of `bytes`. Never fails: what can't be read stays `None`.
    pub fn read(bytes: &[u8]) -> FileFacts {
        let format = match bytes {
            [0xFF, 0xD8, 0xFF, ..] => FileFormat::Jpeg,
            [0x89, b'P', b'N', b'G', ..] => FileFormat::Png,
            _ => FileFormat::Other,
        };
        let mut facts = FileFacts {
            format,
            bytes: bytes.len() as u64,
            size_px: None,
            components: None,
            progressive: false,
            dpi: None,
            jpeg_quality: None,
        };
        if format == FileFormat::Jpeg {
            facts.read_jpeg_segments(bytes);
        }
        facts
    }

    /// Walks the marker segments up to the first scan.
    fn read_jpeg_segments(&mut self, bytes: &[u8]) {
        let mut at = 2;
        let mut exif_dpi = None;
        let mut jfif_dpi = None;
        while at + 4 <= bytes.len() && bytes[at] == 0xFF {
            let marker = bytes[at + 1];
            if marker == 0xFF {
                at += 1; // fill byte
                continue;
            }
            let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
            let Some(body) = bytes.get(at + 4..at + 2 + len) else { break };
            match marker {
                0xE0 if body.starts_with(b"JFIF\0") && body.len() >= 12 => {
                    let density = f32::from(u16::from_be_bytes([body[8], body[9]]));
                    jfif_dpi = match body[7] {
                        1 => Some(density),
                        2 => Some(density * CM_PER_INCH),
                        _ => None, // aspect ratio only
                    };
                }
                0xE1 if body.starts_with(b"Exif\0\0") => exif_dpi = exif_resolution(&body[6..]),
                0xDB => self.read_quantization(body),
                0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) && body.len() >= 6 => {
                    self.size_px = Some([
                        u32::from(u16::from_be_bytes([body[3], body[4]])),
                        u32::from(u16::from_be_bytes([body[1], body[2]])),
                    ]);
                    self.components = Some(body[5]);
                    self.progressive = marker == 0xC2;
                }
                0xDA => break,
                _ => {}
            }
            at += 2 + len;
        }
        self.dpi = jfif_dpi.or(exif_dpi);
    }

    /// Estimates the IJG quality from luminance table 0: the mean ratio to the base table is
    /// the IJG scale S (S = 5000/Q below 50, 200 − 2Q above).
    fn read_quantization(&mut self, mut body: &[u8]) {
        while let Some((&pq_tq, rest)) = body.split_first() {
            let wide = pq_tq >> 4 == 1;
            let n = if wide { 128 } else { 64 };
            let Some(table) = rest.get(..n) else { return };
            if pq_tq & 0x0F == 0 {
                let value = |i: usize| {
                    if wide { u16::from_be_bytes([table[2 * i], table[2 * i + 1]]) } else { u16::from(table[i]) }
                };
                let scale: f32 =
                    (0..64).map(|i| f32::from(value(i)) * 100.0 / f32::from(LUMA_BASE_ZIGZAG[i])).sum::<f32>() / 64.0;
                let quality = if scale <= 100.0 { (200.0 - scale) / 2.0 } else { 5000.0 / scale };
                self.jpeg_quality = Some(quality.round().clamp(1.0, 100.0) as u8);
            }
            body = &rest[n..];
        }
    }
}

/// XResolution (tag 0x011A) and ResolutionUnit (0x0128) from IFD0 of an EXIF TIFF block.
fn exif_resolution(tiff: &[u8]) -> Option<f32> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        tiff.get(at..at + 2)
            .map(|b| if big { u16::from_be_bytes([b[0], b[1]]) } else { u16::from_le_bytes([b[0], b[1]]) })
    };
    let u32_at = |at: usize| {
        tiff.get(at..at + 4).map(|b| {
            let b = [b[0], b[1], b[2], b[3]];
            if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) }
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = usize::from(u16_at(ifd)?);
    let (mut resolution, mut unit) = (None, 2u16);
    for k in 0..count {
        let entry = ifd + 2 + 12 * k;
        match u16_at(entry)? {
            0x011A => {
                let at = u32_at(entry + 8)? as usize;
                let (num, den) = (u32_at(at)?, u32_at(at + 4)?);
                resolution = (den > 0).then(|| num as f32 / den as f32);
            }
            0x0128 => unit = u16_at(entry + 8)?,
            _ => {}
        }
    }
    match unit {
        3 => resolution.map(|r| r * CM_PER_INCH),
        1 => None,
        _ => resolution,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::encode::encode_jpeg;

    #[test]
    fn our_own_jpeg_reads_back_size_dpi_and_quality() {
        let photo = image::RgbImage::from_fn(48, 64, |x, y| image::Rgb([(x * 5) as u8, (y * 4) as u8, 90]));
        for quality in [40, 60, 75, 92] {
            let bytes = encode_jpeg(&photo, quality, 300).expect("encodes");
            let facts = FileFacts::read(&bytes);
            assert_eq!(facts.format, FileFormat::Jpeg);
            assert_eq!(facts.size_px, Some([48, 64]));
            assert_eq!(facts.components, Some(3));
            assert_eq!(facts.dpi, Some(300.0));
            let q = facts.jpeg_quality.expect("an IJG table");
            assert!(q.abs_diff(quality) <= 1, "estimated {q} for {quality}");
        }
    }

    #[test]
    fn png_and_garbage_are_named_not_read() {
        assert_eq!(FileFacts::read(b"\x89PNG\r\n\x1a\n....").format, FileFormat::Png);
        let junk = FileFacts::read(b"hello");
        assert_eq!((junk.format, junk.size_px, junk.bytes), (FileFormat::Other, None, 5));
        // A JPEG cut off in its first segment must not panic.
        assert_eq!(FileFacts::read(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00]).size_px, None);
    }
}
