//! Controlled degradations of a standardized photo, each imitating one reason the reviewers
//! reject (uneven light, exposure, blur, a shrunk or tilted head, a blue top, glare on
//! glasses, red-eye, a screen photographed again, a beauty filter, a second face, a halo, a
//! bad background) at a given strength. Pixel changes respect the person's alpha so that the
//! background stays exact where a real booth photo's would.

use image::{GrayImage, Rgb, RgbImage};

use crate::imaging::filter::{box_mean, guided_filter};
use crate::imaging::{FaceMeasures, Filter, Outside, Point, Similarity, Warper};

/// What a degradation works on: the photo before encoding, the person's alpha, the face.
pub struct Base {
    /// Output pixels.
    pub photo: RgbImage,
    /// Person alpha at output size.
    pub alpha: GrayImage,
    /// Face measures in photo pixels.
    pub measures: FaceMeasures,
    /// Chin (menton) in photo pixels.
    pub chin: Point,
    /// The 468 landmarks in photo pixels.
    pub landmarks: crate::imaging::Landmarks,
    /// Background colour.
    pub background_rgb: [u8; 3],
}

impl Base {
    fn fw(&self) -> f32 {
        self.measures.face_width_px
    }

    fn alpha_at(&self, x: u32, y: u32) -> f32 {
        f32::from(self.alpha.get_pixel(x, y).0[0]) / 255.0
    }

    /// Multiplies the person's pixels by `gain(x, y)`, weighted by alpha.
    fn person_gain(&self, gain: impl Fn(f32, f32) -> f32) -> RgbImage {
        let mut out = self.photo.clone();
        for (x, y, px) in out.enumerate_pixels_mut() {
            let a = self.alpha_at(x, y);
            let g = 1.0 + a * (gain(x as f32, y as f32) - 1.0);
            px.0 = px.0.map(|c| (f32::from(c) * g).round().clamp(0.0, 255.0) as u8);
        }
        out
    }
}

fn mix(a: [u8; 3], b: [f32; 3], t: f32) -> [u8; 3] {
    std::array::from_fn(|i| (f32::from(a[i]) * (1.0 - t) + b[i] * t).round().clamp(0.0, 255.0) as u8)
}

/// Light falling off across the face: full on one cheek, `1 − s` on the other.
pub fn side_light(b: &Base, s: f32) -> RgbImage {
    let (x0, x1) = (b.measures.eye_mid_in_frame.x - b.fw() / 2.0, b.measures.eye_mid_in_frame.x + b.fw() / 2.0);
    b.person_gain(|x, _| 1.0 - s * ((x - x0) / (x1 - x0)).clamp(0.0, 1.0))
}

/// Exposure of the person times `gain`.
pub fn exposure(b: &Base, gain: f32) -> RgbImage {
    b.person_gain(|_, _| gain)
}

/// Light from above: the crown band brightened towards white by `s`, fading out at the brows.
pub fn top_light(b: &Base, s: f32) -> RgbImage {
    let top = b.measures.eye_mid_in_frame.y - 0.9 * b.fw();
    let brows = b.measures.eye_mid_in_frame.y - 0.2 * b.fw();
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let t = ((brows - y as f32) / (brows - top)).clamp(0.0, 1.0);
        let w = s * t * b.alpha_at(x, y);
        px.0 = mix(px.0, [250.0, 248.0, 240.0], w);
    }
    out
}

/// Gaussian blur of standard deviation `sigma` px (separable kernel out to 3σ, edges clamped).
pub fn blur(photo: &RgbImage, sigma: f32) -> RgbImage {
    let radius = (3.0 * sigma).ceil() as isize;
    let weights: Vec<f32> = (-radius..=radius).map(|k| (-(k * k) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let total: f32 = weights.iter().sum();
    let weights: Vec<f32> = weights.iter().map(|w| w / total).collect();
    map_channels(photo, |ch, w, h| {
        let pass = |src: &[f32], along_rows: bool| -> Vec<f32> {
            let mut out = vec![0.0; w * h];
            for y in 0..h {
                for x in 0..w {
                    out[y * w + x] = (-radius..=radius)
                        .zip(&weights)
                        .map(|(k, wt)| {
                            let (sx, sy) = if along_rows {
                                ((x as isize + k).clamp(0, w as isize - 1) as usize, y)
                            } else {
                                (x, (y as isize + k).clamp(0, h as isize - 1) as usize)
                            };
                            wt * src[sy * w + sx]
                        })
                        .sum();
                }
            }
            out
        };
        pass(&pass(ch, true), false)
    })
}

fn map_channels(photo: &RgbImage, f: impl Fn(&[f32], usize, usize) -> Vec<f32>) -> RgbImage {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let channels: Vec<Vec<f32>> =
        (0..3).map(|c| f(&photo.pixels().map(|p| f32::from(p.0[c])).collect::<Vec<_>>(), w, h)).collect();
    RgbImage::from_fn(photo.width(), photo.height(), |x, y| {
        let k = y as usize * w + x as usize;
        Rgb(std::array::from_fn(|c| channels[c][k].round().clamp(0.0, 255.0) as u8))
    })
}

/// The photo scaled by `factor` about a point (a shrunk head: `factor < 1`; a tilt: `angle`),
/// with the background colour where the scaled photo does not reach.
pub fn transform(b: &Base, factor: f32, angle_deg: f32, about: Point) -> RgbImage {
    let map =
        Similarity { scale: factor, angle_rad: angle_deg.to_radians(), anchor_in_dst: about, origin_in_src: about };
    let size = (b.photo.width(), b.photo.height());
    Warper::default()
        .warp(&b.photo, &map, size, Filter::Bilinear, Outside::Colour(b.background_rgb))
        .map(|w| w.image)
        .unwrap_or_else(|_| b.photo.clone())
}

/// The top recoloured towards the background colour (a blue top on a blue background),
/// keeping its shading.
pub fn top_colour(b: &Base, s: f32) -> RgbImage {
    let from_y = b.chin.y + 0.2 * b.fw();
    let mut out = b.photo.clone();
    let bg = b.background_rgb.map(f32::from);
    let top: Vec<f32> = out
        .enumerate_pixels()
        .filter(|&(x, y, _)| y as f32 >= from_y && b.alpha_at(x, y) > 0.5)
        .map(|(_, _, p)| super::super::measure::luma(p.0))
        .collect();
    let mean_luma = (top.iter().sum::<f32>() / top.len().max(1) as f32).max(1.0);
    for (x, y, px) in out.enumerate_pixels_mut() {
        if (y as f32) < from_y {
            continue;
        }
        // The top's folds kept as mild shading around the background colour.
        let shade = (super::super::measure::luma(px.0) / mean_luma).clamp(0.85, 1.1);
        let w = s * b.alpha_at(x, y);
        px.0 = mix(px.0, bg.map(|c| c * shade), w);
    }
    out
}

/// Soft white ellipses on both lenses, radius `r_fw` face widths.
pub fn glare(b: &Base, r_fw: f32) -> RgbImage {
    let mut out = b.photo.clone();
    let r = r_fw * b.fw();
    for (eye, dir) in [(b.measures.eye_right_in_frame, -1.0), (b.measures.eye_left_in_frame, 1.0)] {
        let c = Point::new(eye.x + dir * 0.04 * b.fw(), eye.y - 0.03 * b.fw());
        paint_disc(&mut out, c, 1.6 * r, r, [255.0, 255.0, 252.0], 1.0);
    }
    out
}

/// Red pupils of radius `r_eyes` eye widths.
pub fn red_eye(b: &Base, r_eyes: f32) -> RgbImage {
    let mut out = b.photo.clone();
    let eye_w = 0.22 * b.fw();
    for eye in [b.measures.eye_right_in_frame, b.measures.eye_left_in_frame] {
        paint_disc(&mut out, eye, r_eyes * eye_w, r_eyes * eye_w, [205.0, 30.0, 35.0], 0.9);
    }
    out
}

/// An ellipse of `colour` blended with `opacity`, edges softened over one pixel.
fn paint_disc(img: &mut RgbImage, c: Point, rx: f32, ry: f32, colour: [f32; 3], opacity: f32) {
    let (x0, x1) = ((c.x - rx - 2.0).max(0.0) as u32, ((c.x + rx + 2.0) as u32).min(img.width()));
    let (y0, y1) = ((c.y - ry - 2.0).max(0.0) as u32, ((c.y + ry + 2.0) as u32).min(img.height()));
    for y in y0..y1 {
        for x in x0..x1 {
            let d = (((x as f32 - c.x) / rx).powi(2) + ((y as f32 - c.y) / ry).powi(2)).sqrt();
            let w = opacity * (1.0 - (d - 1.0) * rx.min(ry)).clamp(0.0, 1.0);
            if w > 0.0 {
                let px = img.get_pixel_mut(x, y);
                px.0 = mix(px.0, colour, w);
            }
        }
    }
}

/// A screen or print photographed again: a fine periodic pattern of relative amplitude
/// `amp` (period 4.3 px at 12°, as a phone screen's pixel grid beats with the camera's),
/// then the slight softness of a second lens.
pub fn moire(photo: &RgbImage, amp: f32) -> RgbImage {
    const PERIOD_PX: f32 = 4.3;
    let (s, c) = 12f32.to_radians().sin_cos();
    let mut out = photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let phase = 2.0 * std::f32::consts::PI * (x as f32 * c + y as f32 * s) / PERIOD_PX;
        let g = 1.0 + amp * phase.sin();
        px.0 = px.0.map(|v| (f32::from(v) * g).round().clamp(0.0, 255.0) as u8);
    }
    blur(&out, 0.6)
}

/// A beauty filter: the skin inside the face ellipse edge-preservingly smoothed (guided
/// filter, radius 6, ε = `eps` on 0–1 values).
pub fn smooth_skin(b: &Base, eps: f32) -> RgbImage {
    let smoothed = map_channels(&b.photo, |ch, w, h| {
        let unit: Vec<f32> = ch.iter().map(|v| v / 255.0).collect();
        guided_filter(&unit, &unit, w, h, 6, eps).into_iter().map(|v| v * 255.0).collect()
    });
    let c = Point::new(b.measures.eye_mid_in_frame.x, b.measures.eye_mid_in_frame.y + 0.15 * b.fw());
    let (rx, ry) = (0.5 * b.fw(), 0.75 * b.fw());
    // Beauty filters keep the eyes and brows crisp: leave a box around each eye alone.
    let eyes = [b.measures.eye_right_in_frame, b.measures.eye_left_in_frame];
    let near_eye =
        |x: f32, y: f32| eyes.iter().any(|e| (x - e.x).abs() < 0.16 * b.fw() && (y - e.y).abs() < 0.11 * b.fw());
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let d = (((x as f32 - c.x) / rx).powi(2) + ((y as f32 - c.y) / ry).powi(2)).sqrt();
        let w = if near_eye(x as f32, y as f32) { 0.0 } else { (1.0 - (d - 0.9) * 10.0).clamp(0.0, 1.0) };
        if w > 0.0 {
            px.0 = mix(px.0, smoothed.get_pixel(x, y).0.map(f32::from), w);
        }
    }
    out
}

/// A second face `relative` times the size of the main one, pasted into the top-left corner
/// (someone looking over the student's shoulder).
pub fn second_face(b: &Base, relative: f32) -> RgbImage {
    let fw = b.fw();
    let centre = Point::new(b.measures.eye_mid_in_frame.x, b.measures.eye_mid_in_frame.y + 0.2 * fw);
    let (rx, ry) = (0.75 * fw * relative, 1.0 * fw * relative);
    let to = Point::new(rx + 4.0, ry + 30.0);
    let mut out = b.photo.clone();
    for y in 0..out.height() {
        for x in 0..out.width() {
            let d = (((x as f32 - to.x) / rx).powi(2) + ((y as f32 - to.y) / ry).powi(2)).sqrt();
            let w = (1.0 - (d - 0.85) * 8.0).clamp(0.0, 1.0);
            if w <= 0.0 {
                continue;
            }
            let sx = centre.x + (x as f32 - to.x) / relative;
            let sy = centre.y + (y as f32 - to.y) / relative;
            if sx < 0.0 || sy < 0.0 || sx >= b.photo.width() as f32 || sy >= b.photo.height() as f32 {
                continue;
            }
            let src = b.photo.get_pixel(sx as u32, sy as u32).0.map(f32::from);
            let px = out.get_pixel_mut(x, y);
            px.0 = mix(px.0, src, w);
        }
    }
    out
}

/// A light rim `width_px` wide just outside the person (a cut-out that kept the old wall).
pub fn halo(b: &Base, width_px: usize) -> RgbImage {
    let (w, h) = (b.alpha.width() as usize, b.alpha.height() as usize);
    let person: Vec<f32> = b.alpha.pixels().map(|p| if p.0[0] >= 128 { 1.0 } else { 0.0 }).collect();
    let near = box_mean(&person, w, h, width_px);
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let k = y as usize * w + x as usize;
        if person[k] == 0.0 && near[k] > 0.0 {
            px.0 = mix(px.0, [236.0, 236.0, 232.0], 0.85);
        }
    }
    out
}

/// A shadow across the background: darker by up to `s` towards the right edge.
pub fn background_shadow(b: &Base, s: f32) -> RgbImage {
    let width = b.photo.width() as f32;
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let g = 1.0 - s * (x as f32 / width) * (1.0 - b.alpha_at(x, y));
        px.0 = px.0.map(|v| (f32::from(v) * g).round() as u8);
    }
    out
}

/// The background changed towards another colour by `s` (1 = white), the person kept.
pub fn recolour_background(b: &Base, s: f32) -> RgbImage {
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let w = s * (1.0 - b.alpha_at(x, y));
        px.0 = mix(px.0, [255.0, 255.0, 255.0], w);
    }
    out
}

/// The photo as a one-channel (greyscale) JPEG.
pub fn greyscale_jpeg(photo: &RgbImage, dpi: u16) -> Result<Vec<u8>, crate::imaging::EncodeError> {
    let grey: Vec<u8> = photo.pixels().map(|p| super::super::measure::luma(p.0).round() as u8).collect();
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 85);
    encoder.set_density(jpeg_encoder::PixelDensity::dpi(dpi));
    let (w, h) = (photo.width() as u16, photo.height() as u16);
    encoder
        .encode(&grey, w, h, jpeg_encoder::ColorType::Luma)
        .map_err(|e| crate::imaging::EncodeError::Encoder(e.to_string()))?;
    Ok(bytes)
}

// What is worn or covers the face, painted onto a clean portrait with its true label. Places
// come from the landmarks (MediaPipe canonical indices), sizes from the face width.

/// A deterministic pseudo-random value in [0, 1) for a pixel: strands and weave without a
/// period (a sinusoid would read as a screen's moiré).
fn grain(x: u32, y: u32, salt: u32) -> f32 {
    let mut h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77) ^ salt.wrapping_mul(0xC2B2_AE3D);
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^= h >> 12;
    (h & 0xFFFF) as f32 / 65536.0
}

use crate::imaging::mesh as at;

impl Base {
    fn point(&self, i: usize) -> Point {
        let [x, y, _] = self.landmarks.points_in_frame[i];
        Point::new(x, y)
    }

    /// The student's own hair colour: the median of the person's pixels at the crown.
    fn hair_rgb(&self) -> [f32; 3] {
        let top = self.head_top_y();
        let c = self.measures.eye_mid_in_frame;
        let (x0, x1) = ((c.x - 0.3 * self.fw()).max(0.0) as u32, (c.x + 0.3 * self.fw()) as u32);
        let (y0, y1) = (top.max(0.0) as u32, (top + 0.15 * self.fw()) as u32);
        let mut px: Vec<[u8; 3]> = (y0..y1.min(self.photo.height()))
            .flat_map(|y| (x0..x1.min(self.photo.width())).map(move |x| (x, y)))
            .filter(|&(x, y)| self.alpha_at(x, y) > 0.9)
            .map(|(x, y)| self.photo.get_pixel(x, y).0)
            .collect();
        if px.is_empty() {
            return [40.0, 32.0, 28.0];
        }
        std::array::from_fn(|i| {
            px.sort_by_key(|p| p[i]);
            f32::from(px[px.len() / 2][i])
        })
    }

    /// The row of the top of the hair (the alpha's first solid row over the face).
    fn head_top_y(&self) -> f32 {
        let c = self.measures.eye_mid_in_frame;
        let half = self.fw() / 2.0;
        let columns = ((c.x - half).max(0.0) as u32, (c.x + half).max(0.0) as u32);
        crate::imaging::matte::head_top_row(&self.alpha, columns, c.y.max(0.0) as u32)
            .map_or(c.y - 1.1 * (self.chin.y - c.y), |r| r as f32)
    }
}

/// A knit cap over the crown: from the head top down `s` of the way to the brows, a little
/// wider than the head, dark red with ribbing.
pub fn hat(b: &Base, s: f32) -> RgbImage {
    let top = b.head_top_y();
    let brows = b.point(at::BROW_MIDDLE[0]).y.min(b.point(at::BROW_MIDDLE[1]).y);
    let rim = top + s * (brows - top);
    let centre_x = b.measures.eye_mid_in_frame.x;
    let half_w = 0.62 * b.fw();
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let (xf, yf) = (x as f32, y as f32);
        // A dome: the cap's outline, a half-ellipse from the rim up to just above the hair.
        let dy = (rim - yf) / (rim - top + 0.04 * b.fw()).max(1.0);
        let dx = (xf - centre_x) / half_w;
        if yf > rim || dy > 1.0 || dx * dx + dy * dy > 1.0 {
            continue;
        }
        let rib = 0.85 + 0.15 * grain(x / 3, y, 1);
        px.0 = [150.0 * rib, 28.0 * rib, 40.0 * rib].map(|c: f32| c.round() as u8);
    }
    out
}

/// A headband over the hair: a band `s` face widths tall just above the hairline, pink.
pub fn headband(b: &Base, s: f32) -> RgbImage {
    let top = b.head_top_y();
    let brows = b.point(at::BROW_MIDDLE[0]).y.min(b.point(at::BROW_MIDDLE[1]).y);
    let y0 = top + 0.25 * (brows - top);
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let yf = y as f32;
        if yf >= y0 && yf < y0 + s * b.fw() && b.alpha_at(x, y) > 0.5 {
            px.0 = mix(px.0, [235.0, 120.0, 170.0], 0.95);
        }
    }
    out
}

/// Sunglasses: two dark lenses with a bridge, opacity `s` (a light tint to black glass).
pub fn sunglasses(b: &Base, s: f32) -> RgbImage {
    let mut out = b.photo.clone();
    let (rx, ry) = (0.2 * b.fw(), 0.13 * b.fw());
    for eye in [b.measures.eye_right_in_frame, b.measures.eye_left_in_frame] {
        paint_disc(&mut out, Point::new(eye.x, eye.y + 0.02 * b.fw()), rx, ry, [25.0, 30.0, 35.0], s);
    }
    let bridge = b.point(at::NOSE_BRIDGE);
    paint_disc(&mut out, bridge, 0.06 * b.fw(), 0.015 * b.fw(), [20.0, 20.0, 20.0], 1.0);
    out
}

/// A surgical mask's light blue.
pub const SURGICAL_MASK_RGB: [f32; 3] = [160.0, 200.0, 225.0];
/// A black cloth mask (common, and as dark as a beard or the jaw's shadow).
pub const BLACK_MASK_RGB: [f32; 3] = [40.0, 40.0, 44.0];

/// A mask of colour `rgb` (pleated), from `s` of the way between the mouth and the nose bridge
/// (0 = just over the mouth, 1 = up to the bridge) down past the chin, cheek to cheek.
pub fn mask(b: &Base, s: f32, rgb: [f32; 3]) -> RgbImage {
    let mouth_top = b.point(at::LIP_UPPER).y - 0.08 * b.fw();
    let top = mouth_top + s * (b.point(at::NOSE_BRIDGE).y + 0.1 * b.fw() - mouth_top);
    let (left, right) = (b.point(at::OVAL_SIDE[0]).x + 0.03 * b.fw(), b.point(at::OVAL_SIDE[1]).x - 0.03 * b.fw());
    let bottom = b.chin.y + 0.03 * b.fw();
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let (xf, yf) = (x as f32, y as f32);
        // Rounded towards the chin: narrower below the mouth.
        let narrowing = ((yf - b.point(at::LIP_LOWER).y) / (bottom - top)).max(0.0) * 0.35 * (right - left);
        if yf >= top && yf <= bottom && xf >= left + narrowing && xf <= right - narrowing {
            let pleat = 0.93 + 0.07 * grain(x / 4, y / 4, 4);
            px.0 = rgb.map(|c| (c * pleat).round() as u8);
        }
    }
    out
}

/// Bangs: the student's hair from the head top down over the forehead, its lower edge `s` of the way
/// from the head top to the brows' top (1 = touching the brows, more = over them).
pub fn bangs(b: &Base, s: f32) -> RgbImage {
    let top = b.head_top_y();
    let brows = b.point(at::BROW_MIDDLE[0]).y.min(b.point(at::BROW_MIDDLE[1]).y);
    let edge = top + s * (brows - top);
    let (left, right) = (b.point(at::OVAL_SIDE[0]).x, b.point(at::OVAL_SIDE[1]).x);
    let hair = b.hair_rgb();
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let (xf, yf) = (x as f32, y as f32);
        // Strands: the edge wavers from column to column, each strand a shade of its own.
        let strand = 0.04 * b.fw() * (grain(x / 2, 0, 2) - 0.5);
        if xf >= left && xf <= right && yf <= edge + strand && b.alpha_at(x, y) > 0.5 {
            let shade = 0.8 + 0.4 * grain(x / 2, y / 6, 3);
            px.0 = hair.map(|c| (c * shade).round().clamp(0.0, 255.0) as u8);
        }
    }
    out
}

/// Hair over both ears: the ear boxes beside the cheeks painted with the student's hair, `s`
/// face widths out.
pub fn ears_covered(b: &Base, s: f32) -> RgbImage {
    let hair = b.hair_rgb();
    let mut out = b.photo.clone();
    let (y0, y1) = (b.measures.eye_mid_in_frame.y - 0.15 * b.fw(), b.point(at::NOSE_BASE).y + 0.2 * b.fw());
    for (side, dir) in [(b.point(at::OVAL_SIDE[0]), -1.0f32), (b.point(at::OVAL_SIDE[1]), 1.0)] {
        let (a, c) = (side.x - dir * 0.02 * b.fw(), side.x + dir * s * b.fw());
        let (x0, x1) = (a.min(c).max(0.0) as u32, (a.max(c) as u32).min(out.width()));
        for y in (y0.max(0.0) as u32)..(y1 as u32).min(out.height()) {
            for x in x0..x1 {
                // Hair falls over the ear, not over the backdrop beside it.
                if b.alpha_at(x, y) <= 0.5 {
                    continue;
                }
                let shade = 0.8 + 0.4 * grain(x / 2, y / 6, 5);
                out.get_pixel_mut(x, y).0 = hair.map(|v| (v * shade).round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

/// The face washed out: the person's pixels mixed towards white by `s` (no clipping needed).
pub fn washed_out(b: &Base, s: f32) -> RgbImage {
    let mut out = b.photo.clone();
    for (x, y, px) in out.enumerate_pixels_mut() {
        px.0 = mix(px.0, [250.0, 250.0, 250.0], s * b.alpha_at(x, y));
    }
    out
}

/// The eyes hidden under a blur patch of σ `s` px (an "anonymised" photo, or a smudge).
pub fn eye_patch(b: &Base, s: f32) -> RgbImage {
    let blurred = blur(&b.photo, s);
    let mut out = b.photo.clone();
    let (rx, ry) = (0.17 * b.fw(), 0.1 * b.fw());
    for (x, y, px) in out.enumerate_pixels_mut() {
        for eye in [b.measures.eye_right_in_frame, b.measures.eye_left_in_frame] {
            let d = ((x as f32 - eye.x) / rx).powi(2) + ((y as f32 - eye.y) / ry).powi(2);
            if d <= 1.0 {
                px.0 = blurred.get_pixel(x, y).0;
            }
        }
    }
    out
}

/// A dark open mouth between the lips, `s` face widths tall (the mesh keeps the lips closed).
pub fn dark_mouth(b: &Base, s: f32) -> RgbImage {
    let mut out = b.photo.clone();
    let (upper, lower) = (b.point(at::LIP_UPPER), b.point(at::LIP_LOWER));
    let half_w = 0.35 * b.point(at::LIPS_OUTER[2]).distance(b.point(at::LIPS_OUTER[3]));
    let c = upper.midpoint(lower);
    paint_disc(&mut out, c, half_w, (s * b.fw()) / 2.0, [45.0, 12.0, 15.0], 1.0);
    out
}

/// Earrings: gold drops of radius `s` face widths (1.3 times as tall) under both ear lobes.
pub fn earrings(b: &Base, s: f32) -> RgbImage {
    let mut out = b.photo.clone();
    let r = s * b.fw();
    let lobe_y = b.point(at::NOSE_BASE).y + 0.12 * b.fw();
    for (side, dir) in [(b.point(at::OVAL_SIDE[0]), -1.0f32), (b.point(at::OVAL_SIDE[1]), 1.0)] {
        paint_disc(&mut out, Point::new(side.x + dir * 0.03 * b.fw(), lobe_y), r, 1.3 * r, [235.0, 190.0, 60.0], 1.0);
    }
    out
}

/// A necklace: a strand of pearls of radius `s` face widths across the base of the neck, each
/// lit as a sphere (its rim a third darker than its centre, which a white collar under it
/// does not hide).
pub fn necklace(b: &Base, s: f32) -> RgbImage {
    let mut out = b.photo.clone();
    let r = s * b.fw();
    let (cx, cy) = (b.measures.eye_mid_in_frame.x, b.chin.y + 0.25 * b.fw());
    for k in -6..=6 {
        let t = k as f32 / 6.0;
        let p = Point::new(cx + t * 0.3 * b.fw(), cy + (1.0 - t * t) * 0.1 * b.fw());
        paint_disc(&mut out, p, r, r, [170.0, 168.0, 160.0], 1.0);
        paint_disc(&mut out, p, 0.75 * r, 0.75 * r, [225.0, 223.0, 215.0], 1.0);
        paint_disc(&mut out, Point::new(p.x - 0.2 * r, p.y - 0.2 * r), 0.35 * r, 0.35 * r, [252.0, 251.0, 248.0], 1.0);
    }
    out
}
