//! JPEG encoding to a profile: baseline JPEG, the DPI in the JFIF header, and a quality search
//! that lands the file inside the profile's size window without going under its quality floor.
//!
//! Encoded with `jpeg-encoder` as the most ordinary JPEG there is: baseline (SOF0), 4:2:0
//! chroma subsampling, the standard Huffman tables of ISO 10918-1 Annex K. 4:2:0 makes the
//! file about 15 % smaller than the `image` crate's 4:2:2, which buys quality inside the size
//! window. Optimized Huffman tables would save a few % more, but zune-jpeg ≤ 0.5.16 (the
//! decoder inside the `image` crate) decodes 4:2:0 files with per-photo tables as green
//! stripes (zune-image issue #430); an upload check built on an old decoder could do the same,
//! so we don't use them. `round_trip_through_our_own_decoder` guards this.
//!
//! A file is never padded to reach a size: when the window can't be met, that is an error that
//! says which end failed and what the nearest attempt gave.

use image::RgbImage;
use jpeg_encoder::{ColorType, Encoder, PixelDensity, SamplingFactor};
use serde::Serialize;

use crate::profile::OutputSpec;

/// Where the search starts. Booth photos at 480×640 land in 20–40 KiB around here, so the
/// first or second attempt usually succeeds.
const START_QUALITY: u8 = 90;
/// d ln(bytes) / d quality before two attempts give a measured slope: photos at 480×640 grow
/// about 1.7× from quality 75 to 90 (ln 1.7 / 15 ≈ 0.035).
const DEFAULT_LOG_SLOPE: f64 = 0.035;
/// Above this, JPEG files grow fast with no visible gain; the search never goes higher.
const MAX_QUALITY: u8 = 97;

/// One try of the quality search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EncodeAttempt {
    /// Quality factor tried.
    pub quality: u8,
    /// Resulting file size.
    pub bytes: u64,
}

/// A JPEG that meets the profile.
#[derive(Clone, Debug)]
pub struct EncodedJpeg {
    /// The file.
    pub bytes: Vec<u8>,
    /// The quality factor used.
    pub quality: u8,
    /// Every try, in order (for the step trail).
    pub attempts: Vec<EncodeAttempt>,
}

/// Why no JPEG meets the profile.
#[derive(Clone, Debug)]
pub enum EncodeError {
    /// Even at the quality floor the file is too large.
    TooLargeAtFloor {
        /// Size at the floor.
        bytes: u64,
        /// The floor.
        quality: u8,
        /// The profile's maximum.
        max_bytes: u64,
    },
    /// Even at the highest quality the file is too small (we never pad).
    TooSmallAtMax {
        /// Size at the highest quality.
        bytes: u64,
        /// The highest quality tried.
        quality: u8,
        /// The profile's minimum.
        min_bytes: u64,
    },
    /// The window is narrower than one quality step.
    WindowBetweenSteps {
        /// Lower bound of the window.
        min_bytes: u64,
        /// Upper bound of the window.
        max_bytes: u64,
        /// Highest quality that was too small.
        below_q: u8,
        /// Its size.
        below_bytes: u64,
        /// Lowest quality that was too large.
        above_q: u8,
        /// Its size.
        above_bytes: u64,
    },
    /// The encoder itself failed.
    Encoder(String),
}

/// Encodes one baseline JPEG with the DPI tag.
pub fn encode_jpeg(photo: &RgbImage, quality: u8, dpi: u16) -> Result<Vec<u8>, EncodeError> {
    let too_large = || EncodeError::Encoder(format!("{}×{} is larger than JPEG allows", photo.width(), photo.height()));
    let width = u16::try_from(photo.width()).map_err(|_| too_large())?;
    let height = u16::try_from(photo.height()).map_err(|_| too_large())?;
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut encoder = Encoder::new(&mut bytes, quality);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder.set_density(PixelDensity::dpi(dpi));
    encoder.encode(photo.as_raw(), width, height, ColorType::Rgb).map_err(|e| EncodeError::Encoder(e.to_string()))?;
    Ok(bytes)
}

/// Finds a quality in `[floor, MAX_QUALITY]` whose file size lies in the profile's window.
///
/// Size grows monotonically with quality and roughly exponentially, so each step is a secant
/// step on ln(size) towards the window's geometric middle, kept inside the bracket of qualities
/// already known too small and too large (so it ends like a bisection would). The first size
/// inside the window wins, which keeps the result deterministic for a given photo.
pub fn encode_to_profile(photo: &RgbImage, spec: &OutputSpec) -> Result<EncodedJpeg, EncodeError> {
    let [min_bytes, max_bytes] = spec.file_size_bytes;
    let floor = spec.jpeg_quality_min.min(MAX_QUALITY);
    // Highest quality known too small, lowest known too large, with their sizes.
    let mut too_small: Option<(u8, u64)> = None;
    let mut too_large: Option<(u8, u64)> = None;
    let mut attempts = Vec::new();
    let mut quality = START_QUALITY.clamp(floor, MAX_QUALITY);
    loop {
        let bytes = encode_jpeg(photo, quality, spec.dpi)?;
        let size = bytes.len() as u64;
        attempts.push(EncodeAttempt { quality, bytes: size });
        if size > max_bytes {
            too_large = Some((quality, size));
        } else if size < min_bytes {
            too_small = Some((quality, size));
        } else {
            return Ok(EncodedJpeg { bytes, quality, attempts });
        }
        let low = too_small.map_or(floor, |(q, _)| q + 1);
        let high = too_large.map_or(MAX_QUALITY, |(q, _)| q - 1);
        if low > high {
            return Err(match (too_small, too_large) {
                (None, Some((q, b))) => EncodeError::TooLargeAtFloor { bytes: b, quality: q, max_bytes },
                (Some((q, b)), None) => EncodeError::TooSmallAtMax { bytes: b, quality: q, min_bytes },
                (Some((bq, bb)), Some((aq, ab))) => EncodeError::WindowBetweenSteps {
                    min_bytes,
                    max_bytes,
                    below_q: bq,
                    below_bytes: bb,
                    above_q: aq,
                    above_bytes: ab,
                },
                (None, None) => unreachable!("a failed attempt always sets one bound"),
            });
        }
        quality = next_quality(&attempts, (min_bytes, max_bytes)).clamp(low, high);
    }
}

/// The secant step from the last attempt towards the middle of the size window.
fn next_quality(attempts: &[EncodeAttempt], (min_bytes, max_bytes): (u64, u64)) -> u8 {
    let target = 0.5 * ((min_bytes.max(1) as f64).ln() + (max_bytes.max(1) as f64).ln());
    let ln = |a: &EncodeAttempt| (a.bytes.max(1) as f64).ln();
    let [.., prev, last] = attempts else {
        let last = attempts.last().expect("called after at least one attempt");
        return step(last.quality, (target - ln(last)) / DEFAULT_LOG_SLOPE);
    };
    let dq = f64::from(last.quality) - f64::from(prev.quality);
    let slope = if dq == 0.0 { DEFAULT_LOG_SLOPE } else { ((ln(last) - ln(prev)) / dq).max(DEFAULT_LOG_SLOPE / 10.0) };
    step(last.quality, (target - ln(last)) / slope)
}

/// `quality + delta`, rounded away from zero so that every step moves at least one quality.
fn step(quality: u8, delta: f64) -> u8 {
    let delta = if delta >= 0.0 { delta.ceil().max(1.0) } else { delta.floor().min(-1.0) };
    (f64::from(quality) + delta).clamp(1.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn textured(w: u32, h: u32) -> RgbImage {
        // Deterministic noise-like texture so quality changes the size a lot.
        RgbImage::from_fn(w, h, |x, y| {
            let v = (x.wrapping_mul(2654435761) ^ y.wrapping_mul(40503)).rotate_left(x % 13) as u8;
            image::Rgb([v, v.wrapping_mul(3), (x + y) as u8])
        })
    }

    fn spec(min: u64, max: u64, floor: u8) -> OutputSpec {
        OutputSpec {
            width_px: 64,
            height_px: 64,
            dpi: 300,
            jpeg_quality_min: floor,
            file_size_bytes: [min, max],
            background_rgb: [255, 255, 255],
            file_name: crate::profile::FileNameRule::StudentNo,
        }
    }

    #[test]
    fn dpi_lands_in_the_jfif_header() {
        let bytes = encode_jpeg(&textured(16, 16), 80, 300).expect("encode");
        // JFIF APP0: "JFIF\0", version (2), units (1 = dpi), x density (2), y density (2).
        let at = bytes.windows(5).position(|w| w == b"JFIF\0").expect("JFIF header");
        assert_eq!(bytes[at + 7], 1, "density unit is dots per inch");
        assert_eq!(u16::from_be_bytes([bytes[at + 8], bytes[at + 9]]), 300);
        assert_eq!(u16::from_be_bytes([bytes[at + 10], bytes[at + 11]]), 300);
    }

    #[test]
    fn round_trip_through_our_own_decoder() {
        // A smooth photo-like image: JPEG at quality 75 must come back within a few levels.
        let photo =
            RgbImage::from_fn(96, 128, |x, y| image::Rgb([(x * 2) as u8, (y * 2) as u8, ((x + y) % 256) as u8]));
        let bytes = encode_jpeg(&photo, 75, 300).expect("encode");
        let back = image::load_from_memory(&bytes).expect("decode").to_rgb8();
        let mse =
            photo.as_raw().iter().zip(back.as_raw()).map(|(a, b)| (f64::from(*a) - f64::from(*b)).powi(2)).sum::<f64>()
                / photo.as_raw().len() as f64;
        let psnr_db = 10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10();
        assert!(psnr_db > 30.0, "decoded image differs: PSNR {psnr_db:.1} dB");
        assert!(bytes.windows(2).any(|w| w == [0xFF, 0xC0]), "baseline SOF0");
    }

    #[test]
    fn search_lands_inside_a_window() {
        let photo = textured(128, 128);
        let at_70 = encode_jpeg(&photo, 70, 300).expect("encode").len() as u64;
        let spec = spec(at_70 - 300, at_70 + 300, 50);
        let out = encode_to_profile(&photo, &spec).expect("window reachable");
        let size = out.bytes.len() as u64;
        assert!(size >= spec.file_size_bytes[0] && size <= spec.file_size_bytes[1], "{size} {:?}", out.attempts);
        assert!(out.quality >= 50);
    }

    #[test]
    fn unreachable_windows_say_which_end() {
        let photo = textured(128, 128);
        assert!(matches!(
            encode_to_profile(&photo, &spec(1, 10, 60)),
            Err(EncodeError::TooLargeAtFloor { quality: 60, .. })
        ));
        assert!(matches!(
            encode_to_profile(&photo, &spec(10_000_000, 20_000_000, 60)),
            Err(EncodeError::TooSmallAtMax { .. })
        ));
    }
}
