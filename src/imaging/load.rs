//! Reading photo files: JPEG, PNG or WebP (phones and chat apps send WebP under a `.jpg`
//! name), EXIF orientation applied, converted to 8-bit RGB. Other formats (HEIC from an
//! iPhone, AVIF, GIF, BMP, TIFF) are named and refused with how to convert them.
//!
//! The original file is never modified; this only decodes it.

use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use serde::Serialize;

/// A decoded photo, upright.
#[derive(Clone, Debug)]
pub struct SourcePhoto {
    /// Pixels after the EXIF rotation.
    pub image: RgbImage,
    /// What the EXIF orientation tag asked for, e.g. `Rotate90` (`NoTransforms` when absent).
    pub exif_orientation: String,
    /// Size of the stored pixels before rotation, `[width, height]`.
    pub stored_size_px: [u32; 2],
    /// Milliseconds the decoding took (0 for a camera frame, already pixels).
    pub decode_ms: f32,
}

impl SourcePhoto {
    /// The same photo turned clockwise by `quarter_turns` (lossless).
    pub fn turned(&self, quarter_turns: u8) -> SourcePhoto {
        let image = match quarter_turns % 4 {
            1 => image::imageops::rotate90(&self.image),
            2 => image::imageops::rotate180(&self.image),
            3 => image::imageops::rotate270(&self.image),
            _ => self.image.clone(),
        };
        SourcePhoto { image, ..self.clone() }
    }
}

/// Why a photo could not be read.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is larger than [`crate::limits::MAX_PHOTO_BYTES`] (not read).
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// Not an image we can decode, or a damaged one.
    Decode {
        /// The file.
        path: PathBuf,
        /// Why.
        problem: DecodeProblem,
    },
}

/// Why image bytes don't decode (said in `i18n/errors.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeProblem {
    /// A format we recognise and deliberately don't read (HEIC, GIF…): its name.
    Unsupported(&'static str),
    /// No format we know.
    Unknown,
    /// A JPEG with no end-of-image marker after its last scan.
    CutOff,
    /// The decoder refused it (its words).
    Damaged(String),
    /// Its header claims more than [`crate::limits::MAX_PHOTO_PIXELS`] pixels (not decoded).
    TooManyPixels {
        /// Width in pixels, as the header says.
        width: u32,
        /// Height in pixels, as the header says.
        height: u32,
    },
}

/// Decodes `path`, applying its EXIF orientation.
pub fn load_photo(path: &Path) -> Result<SourcePhoto, LoadError> {
    let bytes = read_photo_file(path)?;
    decode_photo(&bytes).map_err(|problem| LoadError::Decode { path: path.to_owned(), problem })
}

/// The bytes of a photo file, if it is no larger than [`crate::limits::MAX_PHOTO_BYTES`]
/// (originals are stored as they came).
pub fn read_photo_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    use crate::limits::{CappedRead, MAX_PHOTO_BYTES, read_capped};
    read_capped(path, MAX_PHOTO_BYTES).map_err(|e| match e {
        CappedRead::Io(source) => LoadError::Io { path: path.to_owned(), source },
        CappedRead::TooLarge { bytes, .. } => LoadError::TooLarge { path: path.to_owned(), bytes },
    })
}

/// Decodes image bytes (format guessed from the content), applying the EXIF orientation.
pub fn decode_photo(bytes: &[u8]) -> Result<SourcePhoto, DecodeProblem> {
    let started = std::time::Instant::now();
    if let Some(other) = unsupported_format(bytes) {
        return Err(DecodeProblem::Unsupported(other));
    }
    let damaged = |e: image::ImageError| DecodeProblem::Damaged(e.to_string());
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeProblem::Damaged(e.to_string()))?;
    match reader.format() {
        None => return Err(DecodeProblem::Unknown),
        Some(image::ImageFormat::Jpeg) if !jpeg_is_complete(bytes) => return Err(DecodeProblem::CutOff),
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP) => {}
        Some(other) => {
            return Err(DecodeProblem::Unsupported(other.extensions_str().first().map_or("?", |e| match *e {
                "tga" => "TGA",
                "ico" => "ICO",
                "exr" => "OpenEXR",
                "hdr" => "HDR",
                "dds" => "DDS",
                "qoi" => "QOI",
                "pnm" | "pbm" | "pgm" | "ppm" => "PNM",
                "ff" => "Farbfeld",
                _ => "?",
            })));
        }
    }
    // The header alone is read here: its claimed size is refused before any pixel is allocated.
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > crate::limits::MAX_PHOTO_PIXELS {
        return Err(DecodeProblem::TooManyPixels { width: w, height: h });
    }
    let orientation = decoder.orientation().map_err(damaged)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    image.apply_orientation(orientation);
    Ok(SourcePhoto {
        image: image.into_rgb8(),
        exif_orientation: format!("{orientation:?}"),
        stored_size_px: [w, h],
        decode_ms: started.elapsed().as_secs_f32() * 1000.0,
    })
}

/// The name of a photo format recognised from its first bytes that we deliberately don't
/// decode: HEIF/HEIC and AVIF (ISO base media `ftyp` boxes; patent-encumbered or needing a C
/// decoder), and formats a camera never makes for a portrait.
fn unsupported_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some(match &bytes[8..12] {
            b"avif" | b"avis" => "AVIF",
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => "HEIC/HEIF (iPhone)",
            _ => "MP4/QuickTime",
        });
    }
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("GIF")
    } else if starts(b"BM") && bytes.len() > 14 {
        Some("BMP")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("TIFF/RAW")
    } else if starts(b"%PDF") {
        Some("PDF")
    } else {
        None
    }
}

/// Whether a JPEG has its end-of-image marker (FF D9) after its last start-of-scan (FF DA).
///
/// Needed because the decoder is lenient: a truncated file decodes "successfully" with the
/// missing part grey. Entropy-coded data never contains FF D9 (an FF byte is stuffed as
/// FF 00), and an EXIF thumbnail's own markers come before the main image's last scan.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    last_scan.is_some_and(|at| bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]))
}

/// What decoding did, for the step trail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecodeStep {
    /// Stored size before rotation.
    pub stored_size_px: [u32; 2],
    /// EXIF orientation applied.
    pub exif_orientation: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_photo(b"not an image at all").is_err());
        let mut png = Vec::new();
        RgbImage::new(4, 4).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("png");
        assert!(decode_photo(&png[..png.len() / 2]).is_err(), "truncated PNG");
    }

    #[test]
    fn webp_reads_and_heic_is_named_with_how_to_convert() {
        let img = RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 16, y as u8 * 30, 200]));
        let mut webp = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut webp), image::ImageFormat::WebP).expect("lossless webp");
        let read = decode_photo(&webp).expect("webp decodes");
        assert_eq!(read.image, img, "lossless WebP round-trips");
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        let err = decode_photo(&heic).map(|_| ()).expect_err("HEIC refused");
        assert_eq!(err, DecodeProblem::Unsupported("HEIC/HEIF (iPhone)"));
        let err = decode_photo(b"GIF89a\x01\0\x01\0\0\0\0").map(|_| ()).expect_err("GIF refused");
        assert_eq!(err, DecodeProblem::Unsupported("GIF"));
    }

    #[test]
    fn a_png_claiming_too_many_pixels_is_refused_from_its_header() {
        // A valid 1x1 PNG whose header then says 30,000 x 30,000: refused without decoding.
        let mut png = Vec::new();
        RgbImage::new(1, 1).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("png");
        png[16..24].copy_from_slice(&[0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30]);
        let crc = png[12..29].iter().fold(!0u32, |mut c, &b| {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
            c
        });
        png[29..33].copy_from_slice(&(!crc).to_be_bytes());
        let err = decode_photo(&png).map(|_| ()).expect_err("refused");
        assert_eq!(err, DecodeProblem::TooManyPixels { width: 30_000, height: 30_000 });
    }

    #[test]
    fn a_cut_off_jpeg_is_refused() {
        let mut jpeg = Vec::new();
        let img = RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 4, y as u8 * 4, 90]));
        img.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).expect("jpeg");
        assert!(decode_photo(&jpeg).is_ok());
        let err = decode_photo(&jpeg[..jpeg.len() * 2 / 3]).map(|_| ()).expect_err("cut off");
        assert_eq!(err, DecodeProblem::CutOff);
    }
}
