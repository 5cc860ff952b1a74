//! Pixel measures the checks read: luma statistics over patches, edge width (sharpness),
//! fine texture, spectral concentration (moiré), colour statistics of the background, the
//! edge-colour test for halos. Plain functions over a [`Plane`] of luma or the RGB photo;
//! each says which ISO/IEC 29794-5 component it follows where there is one.

use image::{GrayImage, RgbImage};

use crate::imaging::colour::{Lab, delta_e2000, srgb_to_lab};
use crate::imaging::filter::box_mean;

/// Luma (BT.709 weights on the gamma-encoded values, 0–255), row-major.
pub(super) struct Plane {
    pub w: usize,
    pub h: usize,
    pub data: Vec<f32>,
}

/// An axis-aligned pixel box, clipped to the image when used.
#[derive(Clone, Copy, Debug)]
pub(super) struct PixelBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl PixelBox {
    /// A square of half-size `half` around `(cx, cy)`.
    pub fn around(cx: f32, cy: f32, half_w: f32, half_h: f32) -> PixelBox {
        PixelBox { x0: cx - half_w, y0: cy - half_h, x1: cx + half_w, y1: cy + half_h }
    }

    /// Integer bounds clipped to `w × h`; empty boxes give empty ranges.
    pub fn clip(&self, w: usize, h: usize) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        let c = |v: f32, max: usize| (v.round().max(0.0) as usize).min(max);
        (c(self.x0, w)..c(self.x1, w), c(self.y0, h)..c(self.y1, h))
    }
}

pub(super) use crate::imaging::colour::luma;

impl Plane {
    pub fn luma_of(photo: &RgbImage) -> Plane {
        Plane {
            w: photo.width() as usize,
            h: photo.height() as usize,
            data: photo.pixels().map(|p| luma(p.0)).collect(),
        }
    }

    fn at(&self, x: usize, y: usize) -> f32 {
        self.data[y * self.w + x]
    }

    /// Every value inside `boxes`.
    pub fn values_in(&self, boxes: &[PixelBox]) -> Vec<f32> {
        let mut out = Vec::new();
        for b in boxes {
            let (xs, ys) = b.clip(self.w, self.h);
            for y in ys {
                out.extend_from_slice(&self.data[y * self.w + xs.start..y * self.w + xs.end]);
            }
        }
        out
    }
}

pub(super) fn mean(values: &[f32]) -> Option<f32> {
    (!values.is_empty()).then(|| values.iter().sum::<f32>() / values.len() as f32)
}

/// The median of `values`.
pub(super) fn median(values: &[f32]) -> Option<f32> {
    let mut v = values.to_vec();
    let mid = v.len() / 2;
    (!v.is_empty()).then(|| *v.select_nth_unstable_by(mid, f32::total_cmp).1)
}

/// The distance between the `lo` and `hi` quantiles of `values` (a robust dynamic range).
pub(super) fn spread(values: &[f32], lo: f32, hi: f32) -> Option<f32> {
    if values.len() < 20 {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f32::total_cmp);
    let at = |q: f32| v[((v.len() - 1) as f32 * q).round() as usize];
    Some(at(hi) - at(lo))
}

/// Edges narrower than this can't be resolved; wider are cut (a smooth shading gradient).
const EDGE_WIDTH_CAP_PX: usize = 16;

/// Mean width of the strong edges in `region`: from the extremum on one side to the other
/// along the gradient's axis (as Marziliano et al. 2002), measured between the 10 % and 90 %
/// levels of the rise so that slow shading tails don't count. A Gaussian blur of σ px makes
/// a 2.56σ-wide rise; defocus and upscaling widen it. ISO/IEC 29794-5 scores sharpness with a learned model;
/// this measure keeps the limit readable in pixels.
pub(super) fn edge_width_px(y: &Plane, region: PixelBox) -> Option<f32> {
    let (xs, ys) = region.clip(y.w, y.h);
    if xs.len() < 8 || ys.len() < 8 {
        return None;
    }
    // Strong = at least half the 98th percentile gradient of the region, and 10 grey levels.
    let mut grads = Vec::new();
    for yy in ys.start + 1..ys.end - 1 {
        for xx in xs.start + 1..xs.end - 1 {
            grads.push((y.at(xx + 1, yy) - y.at(xx - 1, yy)).abs());
            grads.push((y.at(xx, yy + 1) - y.at(xx, yy - 1)).abs());
        }
    }
    let k = grads.len() * 98 / 100;
    let p98 = *grads.select_nth_unstable_by(k, f32::total_cmp).1;
    let strong = (0.5 * p98).max(10.0);

    let (mut sum, mut count) = (0.0f32, 0usize);
    // One pass along rows (vertical edges), one along columns (horizontal edges).
    for along_rows in [true, false] {
        let (outer, inner) = if along_rows { (ys.clone(), xs.clone()) } else { (xs.clone(), ys.clone()) };
        let line: Vec<Vec<f32>> =
            outer.map(|o| inner.clone().map(|i| if along_rows { y.at(i, o) } else { y.at(o, i) }).collect()).collect();
        for l in &line {
            for i in 2..l.len() - 2 {
                let g = l[i + 1] - l[i - 1];
                let (gp, gn) = (l[i] - l[i - 2], l[i + 2] - l[i]);
                if g.abs() < strong || g.abs() < gp.abs() || g.abs() < gn.abs() {
                    continue; // not a local maximum of the gradient
                }
                let rising = g > 0.0;
                // Walk to the extrema on either side: where the profile stops rising (falling).
                let extremum = |dir: isize| {
                    let mut at = i as isize;
                    for _ in 0..EDGE_WIDTH_CAP_PX {
                        let next = at + dir;
                        if next < 0 || next as usize >= l.len() {
                            break;
                        }
                        let d = (l[next as usize] - l[at as usize]) * dir as f32;
                        if d == 0.0 || (d > 0.0) != rising {
                            break;
                        }
                        at = next;
                    }
                    at as usize
                };
                let (a, b) = (extremum(-1), extremum(1));
                sum += rise_width(&l[a..=b]);
                count += 1;
            }
        }
    }
    (count >= 20).then(|| sum / count as f32)
}

/// Distance between the 10 % and 90 % crossings of a monotonic edge profile, interpolated.
fn rise_width(profile: &[f32]) -> f32 {
    let (first, last) = (profile[0], profile[profile.len() - 1]);
    let crossing = |level: f32| {
        let t = first + level * (last - first);
        (1..profile.len())
            .find_map(|k| {
                let (p, q) = (profile[k - 1], profile[k]);
                let between = (p - t) * (q - t) <= 0.0 && p != q;
                between.then(|| (k - 1) as f32 + (t - p) / (q - p))
            })
            .unwrap_or(0.0)
    };
    (crossing(0.9) - crossing(0.1)).abs()
}

/// Fine texture: RMS of luma minus its 5×5 mean, over the boxes (grey levels). Skin keeps
/// pores and fine shading at this scale; a beauty filter flattens them while keeping edges.
pub(super) fn texture_rms(y: &Plane, boxes: &[PixelBox]) -> Option<f32> {
    const R: usize = 2;
    let (mut sum, mut n) = (0.0f64, 0usize);
    for b in boxes {
        let (xs, ys) = b.clip(y.w, y.h);
        for yy in ys.start.max(R)..ys.end.min(y.h - R) {
            for xx in xs.start.max(R)..xs.end.min(y.w - R) {
                let local: f32 = (yy - R..=yy + R)
                    .flat_map(|v| (xx - R..=xx + R).map(move |u| (u, v)))
                    .map(|(u, v)| y.at(u, v))
                    .sum();
                let d = y.at(xx, yy) - local / ((2 * R + 1) * (2 * R + 1)) as f32;
                sum += f64::from(d * d);
                n += 1;
            }
        }
    }
    (n > 0).then(|| (sum / n as f64).sqrt() as f32)
}

const FFT_N: usize = 64;

/// `(sin, cos)` of −2πk/64 for k < 32: the FFT's twiddle factors.
fn twiddles() -> [(f32, f32); FFT_N / 2] {
    std::array::from_fn(|k| (-2.0 * std::f32::consts::PI * k as f32 / FFT_N as f32).sin_cos())
}

/// In-place radix-2 FFT of 64 complex values.
fn fft64(re: &mut [f32; FFT_N], im: &mut [f32; FFT_N], twiddle: &[(f32, f32); FFT_N / 2]) {
    let bits = FFT_N.trailing_zeros();
    for i in 0..FFT_N {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if j > i {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= FFT_N {
        for start in (0..FFT_N).step_by(len) {
            for k in 0..len / 2 {
                let (s, c) = twiddle[k * (FFT_N / len)];
                let (a, b) = (start + k, start + k + len / 2);
                let (tr, ti) = (re[b] * c - im[b] * s, re[b] * s + im[b] * c);
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
        len *= 2;
    }
}

/// Below this RMS of fine detail (grey levels) a patch is flat and says nothing about moiré.
const MOIRE_MIN_DETAIL: f32 = 1.5;
/// Frequencies below this radius (periods above 6.4 px in a 64 px patch) are the face's own
/// shapes, which a blurred photo keeps while it loses the rest.
const MOIRE_MIN_RADIUS: f32 = 10.0;

/// The largest share of a 64×64 patch's mid/high-frequency energy that sits in one frequency
/// (with its mirror), over the patches centred at `centres`. Natural skin and fabric spread
/// their energy over hundreds of frequencies (shares of 1–3 %); a screen's pixel grid or a
/// print raster photographed again puts a large share into one. Frequencies on the 8-pixel
/// JPEG block grid are left out: compression puts energy there in every JPEG.
pub(super) fn moire_concentration(y: &Plane, centres: &[(f32, f32)]) -> Option<f32> {
    let window: Vec<f32> =
        (0..FFT_N).map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / (FFT_N - 1) as f32).cos()).collect();
    let twiddle = twiddles();
    let mut best: Option<f32> = None;
    for &(cx, cy) in centres {
        let (x0, y0) = (cx.round() as isize - 32, cy.round() as isize - 32);
        if x0 < 0 || y0 < 0 || x0 as usize + FFT_N > y.w || y0 as usize + FFT_N > y.h {
            continue;
        }
        let (x0, y0) = (x0 as usize, y0 as usize);
        let mean =
            (0..FFT_N * FFT_N).map(|k| y.at(x0 + k % FFT_N, y0 + k / FFT_N)).sum::<f32>() / (FFT_N * FFT_N) as f32;
        let mut re = vec![[0.0f32; FFT_N]; FFT_N];
        let mut im = vec![[0.0f32; FFT_N]; FFT_N];
        for v in 0..FFT_N {
            for u in 0..FFT_N {
                re[v][u] = (y.at(x0 + u, y0 + v) - mean) * window[u] * window[v];
            }
            fft64(&mut re[v], &mut im[v], &twiddle);
        }
        for u in 0..FFT_N {
            let mut cr: [f32; FFT_N] = std::array::from_fn(|v| re[v][u]);
            let mut ci: [f32; FFT_N] = std::array::from_fn(|v| im[v][u]);
            fft64(&mut cr, &mut ci, &twiddle);
            for v in 0..FFT_N {
                re[v][u] = cr[v];
                im[v][u] = ci[v];
            }
        }
        let (mut total, mut peak) = (0.0f32, 0.0f32);
        for v in 0..FFT_N {
            for u in 0..FFT_N {
                let (fu, fv) = (signed(u), signed(v));
                let radius = ((fu * fu + fv * fv) as f32).sqrt();
                if radius < MOIRE_MIN_RADIUS || fu % 8 == 0 || fv % 8 == 0 {
                    continue; // low frequencies are the face's shapes; the block grid is JPEG's
                }
                let power = re[v][u] * re[v][u] + im[v][u] * im[v][u];
                total += power;
                peak = peak.max(power);
            }
        }
        // Parseval: Σ|X|² = N²·Σx²; the 2-D Hann window keeps (3/8)² of the power.
        let detail_rms = total.sqrt() / (FFT_N * FFT_N) as f32 / 0.375;
        if total <= 0.0 || detail_rms < MOIRE_MIN_DETAIL {
            continue;
        }
        // A real pattern is a pair of mirrored peaks.
        let share = 2.0 * peak / total;
        best = Some(best.map_or(share, |b: f32| b.max(share)));
    }
    best
}

fn signed(k: usize) -> isize {
    if k > FFT_N / 2 { k as isize - FFT_N as isize } else { k as isize }
}

/// The person mask (alpha ≥ ½) and the pixels near it.
pub(super) struct Masks {
    pub w: usize,
    pub h: usize,
    /// Alpha in 0–1.
    pub alpha: Vec<f32>,
    /// Share of person pixels within 6 px (0 = far from the person).
    pub near_person: Vec<f32>,
}

/// Distance from the person within which background pixels are not used for its statistics.
const BACKGROUND_CLEARANCE_PX: usize = 6;

impl Masks {
    pub fn new(alpha: &GrayImage) -> Masks {
        let (w, h) = (alpha.width() as usize, alpha.height() as usize);
        let a: Vec<f32> = alpha.pixels().map(|p| f32::from(p.0[0]) / 255.0).collect();
        let person: Vec<f32> = a.iter().map(|&v| if v >= 0.5 { 1.0 } else { 0.0 }).collect();
        Masks { w, h, near_person: box_mean(&person, w, h, BACKGROUND_CLEARANCE_PX), alpha: a }
    }
}

/// The background's colour statistics.
pub(super) struct BackgroundStats {
    /// Per-channel median, CIELAB.
    pub median_lab: Lab,
    /// 95th percentile ΔE2000 from the median.
    pub spread_p95: f32,
}

/// Every this-many pixels along each axis are sampled for colour statistics.
const COLOUR_STRIDE: usize = 6;

/// Background statistics from the pixels far from the person (ISO/IEC 29794-5 has no
/// background component; ICAO asks for a "plain, uniformly lit" one, which this measures).
pub(super) fn background_stats(photo: &RgbImage, masks: &Masks) -> Option<BackgroundStats> {
    let mut labs = Vec::new();
    for y in (0..masks.h).step_by(COLOUR_STRIDE) {
        for x in (0..masks.w).step_by(COLOUR_STRIDE) {
            let k = y * masks.w + x;
            if masks.alpha[k] <= 0.02 && masks.near_person[k] == 0.0 {
                labs.push(srgb_to_lab(photo.get_pixel(x as u32, y as u32).0));
            }
        }
    }
    if labs.len() < 50 {
        return None;
    }
    let median_lab: Lab = std::array::from_fn(|c| {
        let mut ch: Vec<f32> = labs.iter().map(|l| l[c]).collect();
        let mid = ch.len() / 2;
        *ch.select_nth_unstable_by(mid, f32::total_cmp).1
    });
    let mut de: Vec<f32> = labs.iter().map(|&l| delta_e2000(l, median_lab)).collect();
    let k = de.len() * 95 / 100;
    let spread_p95 = *de.select_nth_unstable_by(k, f32::total_cmp).1;
    Some(BackgroundStats { median_lab, spread_p95 })
}

/// How far the colours at the person's outline are from any blend of the person and the
/// background (mean Euclidean Lab distance to the segment between the colour 5 px inside and
/// the background colour). An edge pixel of a clean cut-out is such a blend; a fringe of the
/// old backdrop or a white rim is not.
pub(super) fn halo_de(photo: &RgbImage, masks: &Masks, background: Lab) -> Option<f32> {
    const INSIDE_PX: f32 = 5.0;
    let (w, h) = (masks.w, masks.h);
    let a = |x: usize, y: usize| masks.alpha[y * w + x];
    let (mut sum, mut n) = (0.0f32, 0usize);
    for y in (3..h.saturating_sub(3)).step_by(2) {
        for x in 3..w.saturating_sub(3) {
            // Outline pixels: on the person, background within 2 px.
            if a(x, y) < 0.5 || [(x - 2, y), (x + 2, y), (x, y - 2), (x, y + 2)].iter().all(|&(u, v)| a(u, v) >= 0.5) {
                continue;
            }
            let (gx, gy) = (a(x + 3, y) - a(x - 3, y), a(x, y + 3) - a(x, y - 3));
            let norm = gx.hypot(gy);
            if norm < 0.1 {
                continue;
            }
            let (ix, iy) = (x as f32 + INSIDE_PX * gx / norm, y as f32 + INSIDE_PX * gy / norm);
            if ix < 0.0 || iy < 0.0 || ix >= w as f32 || iy >= h as f32 {
                continue;
            }
            let inside = srgb_to_lab(photo.get_pixel(ix as u32, iy as u32).0);
            let here = srgb_to_lab(photo.get_pixel(x as u32, y as u32).0);
            sum += distance_to_segment(here, inside, background);
            n += 1;
        }
    }
    (n >= 30).then(|| sum / n as f32)
}

fn distance_to_segment(p: Lab, a: Lab, b: Lab) -> f32 {
    let ab: [f32; 3] = std::array::from_fn(|i| b[i] - a[i]);
    let ap: [f32; 3] = std::array::from_fn(|i| p[i] - a[i]);
    let len2: f32 = ab.iter().map(|v| v * v).sum();
    let t = if len2 > 0.0 { (ap.iter().zip(&ab).map(|(u, v)| u * v).sum::<f32>() / len2).clamp(0.0, 1.0) } else { 0.0 };
    (0..3).map(|i| (ap[i] - t * ab[i]).powi(2)).sum::<f32>().sqrt()
}

/// Share of the sampled pixels of `region` whose colour is within `max_de` of `colour`.
pub(super) fn share_close_to(photo: &RgbImage, region: PixelBox, colour: Lab, max_de: f32) -> Option<f32> {
    let (xs, ys) = region.clip(photo.width() as usize, photo.height() as usize);
    let (mut close, mut n) = (0usize, 0usize);
    for y in ys.step_by(3) {
        for x in xs.clone().step_by(3) {
            n += 1;
            if delta_e2000(srgb_to_lab(photo.get_pixel(x as u32, y as u32).0), colour) <= max_de {
                close += 1;
            }
        }
    }
    (n >= 30).then(|| close as f32 / n as f32)
}

/// Share of the pixels of `region` for which `test` holds.
/// `test` sees the pixel's position and colour; `None` leaves the pixel out of the count.
pub(super) fn share_where(
    photo: &RgbImage,
    region: PixelBox,
    test: impl Fn(f32, f32, [u8; 3]) -> Option<bool>,
) -> Option<f32> {
    let (xs, ys) = region.clip(photo.width() as usize, photo.height() as usize);
    let (mut hits, mut n) = (0usize, 0usize);
    for y in ys {
        for x in xs.clone() {
            if let Some(hit) = test(x as f32 + 0.5, y as f32 + 0.5, photo.get_pixel(x as u32, y as u32).0) {
                n += 1;
                hits += usize::from(hit);
            }
        }
    }
    (n > 0).then(|| hits as f32 / n as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plane(w: usize, h: usize, mut f: impl FnMut(usize, usize) -> f32) -> Plane {
        Plane { w, h, data: (0..w * h).map(|k| f(k % w, k / w)).collect() }
    }

    #[test]
    fn a_step_is_narrower_than_a_ramp() {
        let step = plane(64, 64, |x, _| if x < 32 { 40.0 } else { 200.0 });
        let ramp = plane(64, 64, |x, _| 40.0 + (x as f32 - 26.0).clamp(0.0, 12.0) * 160.0 / 12.0);
        let all = PixelBox { x0: 0.0, y0: 0.0, x1: 64.0, y1: 64.0 };
        let (s, r) = (edge_width_px(&step, all).expect("edges"), edge_width_px(&ramp, all).expect("edges"));
        assert!(s <= 1.0 && (9.0..=10.5).contains(&r), "step {s}, ramp {r}");
    }

    #[test]
    fn a_grating_concentrates_its_energy_and_noise_does_not() {
        let mut seed = 12345u32;
        let mut noise = || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as f32 / 16.0
        };
        let noisy = plane(96, 96, |_, _| 120.0 + noise());
        let grating = plane(96, 96, |x, y| 120.0 + 20.0 * ((x as f32 * 0.9 + y as f32 * 0.5) * 1.3).sin());
        let c = [(48.0, 48.0)];
        let (n, g) =
            (moire_concentration(&noisy, &c).expect("detail"), moire_concentration(&grating, &c).expect("detail"));
        assert!(n < 0.05 && g > 0.3, "noise {n}, grating {g}");
    }

    #[test]
    fn texture_of_a_flat_patch_is_zero() {
        let flat = plane(40, 40, |_, _| 100.0);
        let b = PixelBox::around(20.0, 20.0, 10.0, 10.0);
        assert_eq!(texture_rms(&flat, &[b]), Some(0.0));
    }
}
