//! Resampling: render a destination image whose pixels come from the source through a
//! [`Similarity`] (scale, rotation, translation).
//!
//! Two steps keep quality and speed: the source region under the destination is first resized
//! to the destination's scale with a separable convolution filter (fast_image_resize, SIMD),
//! then rotated at 1:1 with Catmull-Rom bicubic sampling. Resizing first means the bicubic step
//! never has to shrink (which would alias) and the convolution never has to rotate.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;
use rayon::prelude::*;
use serde::Serialize;

use super::geom::Similarity;

/// The quality of both steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// For photos: Lanczos3 resize, Catmull-Rom bicubic rotation; sharp, little ringing.
    Lanczos3,
    /// For model inputs and the matting canvas: bilinear resize and rotation, 4× fewer taps.
    Bilinear,
}

/// What destination pixels that fall outside the source get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outside {
    /// The nearest edge pixel of the source.
    Edge,
    /// A fixed colour (model inputs are padded with black, as they were trained).
    Colour([u8; 3]),
}

/// Why a warp could not be rendered.
#[derive(Clone, Debug)]
pub enum WarpError {
    /// The destination does not overlap the source at all.
    OutsideSource {
        /// Source width.
        width: u32,
        /// Source height.
        height: u32,
    },
    /// fast_image_resize refused the sizes.
    Resize(String),
}

/// The result of a warp: the image and how much of it had no source pixels.
pub struct Warped {
    /// The rendered destination.
    pub image: RgbImage,
    /// Fraction of destination pixels whose source point lies outside the source image.
    pub outside_fraction: f32,
}

/// Owns the resizer's scratch buffers so repeated warps don't allocate them again.
#[derive(Default)]
pub struct Warper {
    resizer: Resizer,
}

impl Warper {
    /// Renders a `width × height` image whose pixel centres come from `src` through `dst_to_src`.
    pub fn warp(
        &mut self,
        src: &RgbImage,
        dst_to_src: &Similarity,
        (width, height): (u32, u32),
        filter: Filter,
        outside: Outside,
    ) -> Result<Warped, WarpError> {
        let (src_w, src_h) = (src.width() as f32, src.height() as f32);
        let corners = dst_to_src.dst_corners_in_src(width as f32, height as f32);
        // Margin so the bicubic taps (±2 intermediate pixels) still find resized pixels.
        let margin_src = 3.0 / dst_to_src.scale.min(1.0) + 1.0;
        let min_x = corners.iter().map(|p| p.x).fold(f32::INFINITY, f32::min) - margin_src;
        let min_y = corners.iter().map(|p| p.y).fold(f32::INFINITY, f32::min) - margin_src;
        let max_x = corners.iter().map(|p| p.x).fold(f32::NEG_INFINITY, f32::max) + margin_src;
        let max_y = corners.iter().map(|p| p.y).fold(f32::NEG_INFINITY, f32::max) + margin_src;
        let (x0, y0) = (min_x.clamp(0.0, src_w).floor(), min_y.clamp(0.0, src_h).floor());
        let (x1, y1) = (max_x.clamp(0.0, src_w).ceil(), max_y.clamp(0.0, src_h).ceil());
        if x1 - x0 < 1.0 || y1 - y0 < 1.0 {
            return Err(WarpError::OutsideSource { width: src.width(), height: src.height() });
        }
        let (region_w, region_h) = (x1 - x0, y1 - y0);
        let inter_w = ((region_w * dst_to_src.scale).ceil() as u32).max(1);
        let inter_h = ((region_h * dst_to_src.scale).ceil() as u32).max(1);

        let src_ref = ImageRef::new(src.width(), src.height(), src.as_raw(), PixelType::U8x3)
            .map_err(|e| WarpError::Resize(e.to_string()))?;
        let mut inter = Image::new(inter_w, inter_h, PixelType::U8x3);
        let alg = match filter {
            Filter::Lanczos3 => ResizeAlg::Convolution(FilterType::Lanczos3),
            Filter::Bilinear => ResizeAlg::Convolution(FilterType::Bilinear),
        };
        let options = ResizeOptions::new().resize_alg(alg).crop(x0.into(), y0.into(), region_w.into(), region_h.into());
        self.resizer.resize(&src_ref, &mut inter, &options).map_err(|e| WarpError::Resize(e.to_string()))?;

        let inter_scale_x = inter_w as f32 / region_w;
        let inter_scale_y = inter_h as f32 / region_h;
        let sampler = Bicubic { pixels: inter.buffer(), width: inter_w as usize, height: inter_h as usize };
        let mut out = RgbImage::new(width, height);
        let [a, b, c, d, e, f] = dst_to_src.dst_to_src_affine();
        // Rows in parallel (rayon's pool), in bands large enough that a model's small input
        // stays on one thread.
        let row_bytes = width as usize * 3;
        let outside_count: usize = out
            .par_chunks_exact_mut(row_bytes)
            .with_min_len(64)
            .enumerate()
            .map(|(v, row)| {
                let y = v as f32 + 0.5;
                let mut outside_row = 0;
                for (u, px) in row.chunks_exact_mut(3).enumerate() {
                    let x = u as f32 + 0.5;
                    let (src_x, src_y) = (a * x + b * y + c, d * x + e * y + f);
                    let inside = src_x >= 0.0 && src_y >= 0.0 && src_x <= src_w && src_y <= src_h;
                    if !inside {
                        outside_row += 1;
                        if let Outside::Colour(colour) = outside {
                            px.copy_from_slice(&colour);
                            continue;
                        }
                    }
                    let ix = (src_x - x0) * inter_scale_x - 0.5;
                    let iy = (src_y - y0) * inter_scale_y - 0.5;
                    let value = match filter {
                        Filter::Lanczos3 => sampler.sample(ix, iy),
                        Filter::Bilinear => sampler.sample_bilinear(ix, iy),
                    };
                    px.copy_from_slice(&value);
                }
                outside_row
            })
            .sum();
        let outside_fraction = outside_count as f32 / (width as f32 * height as f32);
        Ok(Warped { image: out, outside_fraction })
    }
}

/// A sample rounded to the nearest byte: `+ 0.5` then truncation rounds as `round()` does for
/// every value the clamp keeps, without a libm call per channel.
fn to_byte(v: f32) -> u8 {
    (v + 0.5).clamp(0.0, 255.0) as u8
}

/// Catmull-Rom bicubic sampling with edge clamping over packed RGB bytes.
struct Bicubic<'a> {
    pixels: &'a [u8],
    width: usize,
    height: usize,
}

impl Bicubic<'_> {
    fn sample(&self, x: f32, y: f32) -> [u8; 3] {
        let (fx, fy) = (x.floor(), y.floor());
        let wx = catmull_rom_weights(x - fx);
        let wy = catmull_rom_weights(y - fy);
        let (bx, by) = (fx as isize - 1, fy as isize - 1);
        let interior = bx >= 0 && by >= 0 && bx + 3 < self.width as isize && by + 3 < self.height as isize;
        if interior {
            return self.sample_interior(bx as usize, by as usize, &wx, &wy);
        }
        let mut acc = [0.0f32; 3];
        for (j, wyj) in wy.iter().enumerate() {
            let row = (by + j as isize).clamp(0, self.height as isize - 1) as usize * self.width;
            for (i, wxi) in wx.iter().enumerate() {
                let col = (bx + i as isize).clamp(0, self.width as isize - 1) as usize;
                let k = (row + col) * 3;
                let w = wxi * wyj;
                acc[0] += w * f32::from(self.pixels[k]);
                acc[1] += w * f32::from(self.pixels[k + 1]);
                acc[2] += w * f32::from(self.pixels[k + 2]);
            }
        }
        acc.map(to_byte)
    }
}

impl Bicubic<'_> {
    /// Bilinear sampling with edge clamping (the cheap path for model inputs).
    fn sample_bilinear(&self, x: f32, y: f32) -> [u8; 3] {
        let x = x.clamp(0.0, (self.width - 1) as f32);
        let y = y.clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let at = |x: usize, y: usize, c: usize| f32::from(self.pixels[(y * self.width + x) * 3 + c]);
        std::array::from_fn(|c| {
            let top = at(x0, y0, c) * (1.0 - fx) + at(x1, y0, c) * fx;
            let bottom = at(x0, y1, c) * (1.0 - fx) + at(x1, y1, c) * fx;
            to_byte(top * (1.0 - fy) + bottom * fy)
        })
    }

    /// The common case: all 16 taps inside, no clamping.
    fn sample_interior(&self, bx: usize, by: usize, wx: &[f32; 4], wy: &[f32; 4]) -> [u8; 3] {
        let mut acc = [0.0f32; 3];
        for (j, wyj) in wy.iter().enumerate() {
            let start = ((by + j) * self.width + bx) * 3;
            let taps = &self.pixels[start..start + 12];
            for (i, wxi) in wx.iter().enumerate() {
                let w = wxi * wyj;
                acc[0] += w * f32::from(taps[3 * i]);
                acc[1] += w * f32::from(taps[3 * i + 1]);
                acc[2] += w * f32::from(taps[3 * i + 2]);
            }
        }
        acc.map(to_byte)
    }
}

/// Weights of the four taps at offsets −1, 0, 1, 2 for a fractional position `t` in [0, 1).
fn catmull_rom_weights(t: f32) -> [f32; 4] {
    let (t2, t3) = (t * t, t * t * t);
    [0.5 * (-t3 + 2.0 * t2 - t), 0.5 * (3.0 * t3 - 5.0 * t2 + 2.0), 0.5 * (-3.0 * t3 + 4.0 * t2 + t), 0.5 * (t3 - t2)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::geom::Point;

    fn identity(scale: f32) -> Similarity {
        Similarity { scale, angle_rad: 0.0, anchor_in_dst: Point::default(), origin_in_src: Point::default() }
    }

    #[test]
    fn weights_sum_to_one() {
        for t in [0.0, 0.25, 0.5, 0.9] {
            let s: f32 = catmull_rom_weights(t).iter().sum();
            assert!((s - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn identity_warp_keeps_pixels() {
        let src = RgbImage::from_fn(8, 6, |x, y| image::Rgb([(x * 30) as u8, (y * 40) as u8, 7]));
        let out = Warper::default().warp(&src, &identity(1.0), (8, 6), Filter::Lanczos3, Outside::Edge).expect("warp");
        assert_eq!(out.outside_fraction, 0.0);
        assert_eq!(out.image, src);
    }

    #[test]
    fn halving_averages_and_outside_gets_colour() {
        let src = RgbImage::from_fn(4, 4, |x, _| image::Rgb(if x < 2 { [200, 200, 200] } else { [100, 100, 100] }));
        let out = Warper::default()
            .warp(&src, &identity(0.5), (4, 2), Filter::Bilinear, Outside::Colour([1, 2, 3]))
            .expect("warp");
        assert_eq!(out.image.get_pixel(3, 0).0, [1, 2, 3], "right half lies outside the source");
        assert_eq!(out.outside_fraction, 0.5);
        assert!(out.image.get_pixel(0, 0).0[0] > out.image.get_pixel(1, 0).0[0]);
    }

    #[test]
    fn quarter_turn_moves_corners() {
        // Destination x axis runs down the source: angle +90° (clockwise on screen).
        let src = RgbImage::from_fn(3, 3, |x, y| image::Rgb([(x * 100) as u8, (y * 100) as u8, 0]));
        let t = Similarity {
            scale: 1.0,
            angle_rad: std::f32::consts::FRAC_PI_2,
            anchor_in_dst: Point::new(1.5, 1.5),
            origin_in_src: Point::new(1.5, 1.5),
        };
        let out = Warper::default().warp(&src, &t, (3, 3), Filter::Lanczos3, Outside::Edge).expect("warp");
        // dst (2, 1) → src (1, 2): one step along dst x is one step down the source.
        assert_eq!(out.image.get_pixel(2, 1).0, src.get_pixel(1, 2).0);
    }
}
