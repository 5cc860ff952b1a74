//! The person matte: a soft alpha for the student, the backdrop behind them, and compositing
//! onto the profile colour without a fringe.
//!
//! Works on a canvas in output-photo pixels (the photo's area plus margins), so every step runs
//! at the resolution that will be delivered:
//!
//! 1. **Segmentation.** MediaPipe selfie segmentation gives a coarse person probability.
//! 2. **Backdrop.** A smooth colour surface (a lit wall is brighter on one side) is fitted to the
//!    canvas border where segmentation sees no person; a small residual spread means a plain
//!    backdrop (a booth wall or cloth).
//! 3. **Plain backdrop: colour key near the edge.** In a band around the coarse edge, alpha comes
//!    from the colour distance to the surface: at a booth this follows single hairs far better
//!    than a 256×256 mask can. Outside the band the mask decides, and 4 px or more inside the
//!    mask the person stays solid, so skin or a shirt close to the wall colour is not punched
//!    through.
//!    **Backdrop not plain: MODNet** portrait matting gives the alpha (loaded on first use).
//!    Chosen by measurement on the test bed in `tests/matte.rs`: segmentation alone left colour
//!    blocks of a cluttered room beside the hair; MODNet on every frame would cost ~0.5 s.
//! 4. **Guided filter** (He, Sun, Tang 2010) with the image as guide: the alpha's edges move onto
//!    the image's edges and become soft where the image is soft.
//! 5. **Compositing without spill.** With a plain backdrop `B`, an edge pixel is
//!    `I = αF + (1−α)B`; the person's colour `F` is recovered from it and composited as
//!    `αF + (1−α)T` on the target `T`, which removes the old backdrop's colour from hair edges
//!    instead of blending it into a fringe. Alpha near zero becomes exactly `T`, so cloth folds
//!    and sensor noise can't leak through. An alpha a pixel or two too wide (a blurred hair edge,
//!    the guided filter's spread) would still carry the old backdrop in `F`: a light rim round
//!    light hair on a light wall, a busy room's colours in the strands. So `F` leans, the less
//!    of the pixel is person, on the mean colour of the solid person within 4 px
//!    (`F' = αF + (1−α)F_near`): the edge stays soft and takes the hair's colour, not the wall's.

use image::{GrayImage, Luma, RgbImage};
use rayon::prelude::*;
use serde::Serialize;

use super::colour::luma;
use super::filter::{bilinear, box_mean, guided_filter};
use super::geom::{Point, Similarity};
use super::model::{LazyModel, ModelError};
use super::warp::{Filter, Outside, Warper};

const SEGMENTER_INPUT_PX: u32 = 256;
/// Border strip (fraction of the canvas width) sampled for the backdrop colour.
const BORDER_FRACTION: f32 = 0.06;
/// A backdrop whose colours spread less than this (RGB distance, 90th percentile from the
/// median) counts as plain. A lit wall with a soft gradient measures 10–25; a room, 60+.
const PLAIN_BACKDROP_MAX_SPREAD: f32 = 30.0;
/// Half-width of the band around the coarse edge where the colour key decides, in canvas px.
const EDGE_BAND_PX: usize = 12;
/// Pixels this far inside the mask's edge keep alpha 1 whatever their colour.
const KEY_INNER_PX: usize = 4;
/// Colour distance from the backdrop, above the backdrop's own spread, where alpha starts
/// rising and where it reaches 1.
const KEY_SOFT_START: f32 = 12.0;
const KEY_SOFT_END: f32 = 60.0;
/// Alpha at or below this is backdrop: the pixel becomes exactly the target colour, so the
/// backdrop's texture (cloth folds, sensor noise) can't leak through a near-zero alpha.
const ALPHA_SNAP: f32 = 0.02;
/// How far (output pixels) an edge pixel looks for the solid person's colour.
const NEARBY_PERSON_PX: usize = 4;
/// Guided filter radius (canvas px) and regularization (on 0–1 intensities).
const GUIDED_RADIUS_PX: usize = 4;
const GUIDED_EPS: f32 = 1e-3;
/// A head-top row needs this fraction of the face width solid (alpha ≥ 0.5), so a few stray
/// hairs do not count as the top of the head.
const HEAD_TOP_MIN_COVER: f32 = 0.08;

/// What the border of the canvas says about the backdrop: a smooth colour surface (a lit
/// wall is brighter on one side) and how far the border pixels stray from it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Backdrop {
    /// The surface's colour at the canvas centre.
    pub colour_rgb: [u8; 3],
    /// Per channel, coefficients of `1, u, v, u², u·v` with `u, v` the canvas position in 0–1.
    pub surface: [[f32; SURFACE_TERMS]; 3],
    /// 90th percentile of the border pixels' distance from the surface (RGB units).
    pub spread: f32,
    /// Whether the backdrop counts as plain (colour key and spill removal used).
    pub plain: bool,
    /// Canvas size the surface is defined over.
    pub canvas_size_px: [u32; 2],
}

/// Terms of the backdrop surface. No `v²`: the border has no bottom edge to hold it down.
const SURFACE_TERMS: usize = 5;

fn surface_terms(u: f32, v: f32) -> [f32; SURFACE_TERMS] {
    [1.0, u, v, u * u, u * v]
}

impl Backdrop {
    /// The backdrop colour at canvas pixel `(x, y)`.
    pub fn at(&self, x: f32, y: f32) -> [f32; 3] {
        let t = surface_terms(x / self.canvas_size_px[0] as f32, y / self.canvas_size_px[1] as f32);
        self.surface.map(|c| c.iter().zip(&t).map(|(k, t)| k * t).sum())
    }
}

/// A soft alpha over an image, 0 = backdrop, 255 = person.
#[derive(Clone, Debug)]
pub struct Matte {
    /// The alpha.
    pub alpha: GrayImage,
    /// The backdrop behind the person.
    pub backdrop: Backdrop,
    /// How the alpha was made.
    pub method: MatteMethod,
}

/// How the alpha was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatteMethod {
    /// Plain backdrop: segmentation mask, colour key in the edge band, guided filter.
    ColourKey,
    /// Backdrop not plain: MODNet portrait matting, guided filter.
    Modnet,
}

/// The person models: selfie segmentation always, MODNet when a backdrop is not plain (each
/// loaded on first use: a booth with a plain wall never pays MODNet's 26 MB and ~0.3 s).
pub struct PersonSegmenter {
    model: &'static LazyModel,
    modnet: &'static LazyModel,
}

/// MODNet input size: multiples of 32, portrait 4:5 like the canvas.
const MODNET_INPUT_PX: (u32, u32) = (256, 320);
const MODNET_SHAPE: [usize; 4] = [1, 3, MODNET_INPUT_PX.1 as usize, MODNET_INPUT_PX.0 as usize];

/// The person models, loaded once per process on first use and shared by every pipeline.
static SELFIE_SEGMENTATION: LazyModel =
    LazyModel::new("selfie_segmentation", include_bytes!("../../assets/models/selfie_segmentation.nhwc.onnx"));
static MODNET: LazyModel =
    LazyModel::large_with_input_shape("modnet", include_bytes!("../../assets/models/modnet.onnx"), &MODNET_SHAPE);

/// How a model wants its pixels.
#[derive(Clone, Copy)]
enum Layout {
    /// NHWC, values in [0, 1] (MediaPipe).
    NhwcUnit,
    /// NCHW, values in [−1, 1] (MODNet).
    NchwSigned,
}

impl PersonSegmenter {
    /// The embedded models, each loaded on first use (MODNet only for a busy backdrop).
    pub fn new() -> PersonSegmenter {
        PersonSegmenter { model: &SELFIE_SEGMENTATION, modnet: &MODNET }
    }

    /// Loads the model every shot runs (the person segmenter) now rather than on first use.
    pub fn warm_up(&self) -> Result<(), ModelError> {
        self.model.get().map(|_| ())
    }

    /// Loads MODNet now (see [`crate::imaging::Pipeline::while_loading_matting`]).
    pub fn load_modnet() -> Result<(), ModelError> {
        MODNET.get().map(|_| ())
    }

    /// Runs a person model on `image` letterboxed into `input_px` and reads its one-channel
    /// output back at every pixel of `image` (bilinear).
    fn run_letterboxed(
        model: &LazyModel,
        image: &RgbImage,
        input_px: (u32, u32),
        layout: Layout,
        warper: &mut Warper,
    ) -> Result<Vec<f32>, ModelError> {
        let to_image = Similarity::letterbox((image.width(), image.height()), input_px);
        let input = warper
            .warp(image, &to_image, input_px, Filter::Bilinear, Outside::Edge)
            .map_err(|e| ModelError::Run { name: "person model input", message: e.to_string() })?;
        let (nw, nh) = (input_px.0 as usize, input_px.1 as usize);
        let raw = input.image.as_raw();
        let (shape, tensor): ([usize; 4], Vec<f32>) = match layout {
            Layout::NhwcUnit => ([1, nh, nw, 3], raw.iter().map(|&b| f32::from(b) / 255.0).collect()),
            Layout::NchwSigned => (
                [1, 3, nh, nw],
                (0..3).flat_map(|c| raw.iter().skip(c).step_by(3).map(|&b| f32::from(b) / 127.5 - 1.0)).collect(),
            ),
        };
        let outputs = model.run(&shape, &tensor)?;
        let map = outputs.iter().find(|o| o.len() == nw * nh).map_or(&[][..], |o| o.as_slice());
        if map.len() != nw * nh {
            return Err(ModelError::Run { name: "person model", message: "unexpected output size".into() });
        }
        // No rotation here: input position = scale · (pixel centre − centre) + input centre.
        let width = image.width() as usize;
        let mut out = vec![0.0f32; width * image.height() as usize];
        let origin = to_image.src_to_dst(Point::new(0.0, 0.0));
        out.par_chunks_exact_mut(width).with_min_len(32).enumerate().for_each(|(y, row)| {
            let iy = origin.y + to_image.scale * (y as f32 + 0.5) - 0.5;
            for (x, value) in row.iter_mut().enumerate() {
                let ix = origin.x + to_image.scale * (x as f32 + 0.5) - 0.5;
                *value = bilinear(map, nw, nh, ix, iy);
            }
        });
        Ok(out)
    }

    /// The segmentation model's person probability at every pixel of `canvas`, as an alpha
    /// without the edge refinement: about 2 px soft at photo size, enough to tell the
    /// background from the person (the checks), at a fraction of [`Self::matte`]'s cost.
    pub fn coarse_alpha(&mut self, canvas: &RgbImage, warper: &mut Warper) -> Result<GrayImage, ModelError> {
        let side = SEGMENTER_INPUT_PX;
        let prob = Self::run_letterboxed(&self.model, canvas, (side, side), Layout::NhwcUnit, warper)?;
        Ok(GrayImage::from_fn(canvas.width(), canvas.height(), |x, y| {
            Luma([(prob[(y * canvas.width() + x) as usize].clamp(0.0, 1.0) * 255.0).round() as u8])
        }))
    }

    /// The matte of the person in `canvas`.
    pub fn matte(&mut self, canvas: &RgbImage, warper: &mut Warper) -> Result<Matte, ModelError> {
        let (w, h) = (canvas.width() as usize, canvas.height() as usize);
        let side = SEGMENTER_INPUT_PX;
        let prob = Self::run_letterboxed(&self.model, canvas, (side, side), Layout::NhwcUnit, warper)?;
        let backdrop = estimate_backdrop(canvas, &prob);
        let hard: Vec<f32> = prob.iter().map(|&p| if p >= 0.5 { 1.0 } else { 0.0 }).collect();
        let coarse = if backdrop.plain {
            // The band: pixels whose neighbourhood holds both person and backdrop.
            // Well inside the mask (`inner`) the person stays solid even where skin or a shirt
            // comes close to the wall colour: the key decides only at the outer edge (hair).
            let (near, inner) =
                rayon::join(|| box_mean(&hard, w, h, EDGE_BAND_PX), || box_mean(&hard, w, h, KEY_INNER_PX));
            (0..w * h)
                .map(|k| {
                    let in_band = near[k] > 0.0 && near[k] < 1.0;
                    let solid = inner[k] >= 0.999;
                    if !in_band {
                        hard[k]
                    } else if solid {
                        1.0
                    } else {
                        colour_key(canvas, &backdrop, (k % w) as u32, (k / w) as u32)
                    }
                })
                .collect()
        } else {
            Self::run_letterboxed(&self.modnet, canvas, MODNET_INPUT_PX, Layout::NchwSigned, warper)?
        };
        let method = if backdrop.plain { MatteMethod::ColourKey } else { MatteMethod::Modnet };
        let guide: Vec<f32> = canvas.pixels().map(|p| luma(p.0) / 255.0).collect();
        let refined = guided_filter(&guide, &coarse, w, h, GUIDED_RADIUS_PX, GUIDED_EPS);
        let alpha = GrayImage::from_fn(canvas.width(), canvas.height(), |x, y| {
            Luma([(refined[y as usize * w + x as usize].clamp(0.0, 1.0) * 255.0).round() as u8])
        });
        Ok(Matte { alpha, backdrop, method })
    }
}

/// The matte's fixed parameters, recorded in the step trail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatteParams {
    /// Model used for the coarse mask and the backdrop estimate.
    pub segmenter: &'static str,
    /// Model used when the backdrop is not plain, and its input size.
    pub matting_model: &'static str,
    /// Largest backdrop spread that still counts as plain.
    pub plain_backdrop_max_spread: f32,
    /// Half-width of the colour-keyed band around the coarse edge.
    pub edge_band_px: usize,
    /// Depth inside the mask from which the colour key can no longer lower alpha.
    pub key_inner_px: usize,
    /// Colour distance above the spread where alpha starts rising.
    pub colour_key_soft_start: f32,
    /// Colour distance above the spread where alpha reaches 1.
    pub colour_key_soft_end: f32,
    /// Guided filter radius.
    pub guided_radius_px: usize,
    /// Guided filter regularization.
    pub guided_eps: f32,
}

/// The parameters in use.
pub const MATTE_PARAMS: MatteParams = MatteParams {
    segmenter: "mediapipe_selfie_segmentation_256",
    matting_model: "modnet_256x320",
    plain_backdrop_max_spread: PLAIN_BACKDROP_MAX_SPREAD,
    edge_band_px: EDGE_BAND_PX,
    key_inner_px: KEY_INNER_PX,
    colour_key_soft_start: KEY_SOFT_START,
    colour_key_soft_end: KEY_SOFT_END,
    guided_radius_px: GUIDED_RADIUS_PX,
    guided_eps: GUIDED_EPS,
};

/// Fits the backdrop surface to the border pixels that segmentation calls backdrop.
fn estimate_backdrop(canvas: &RgbImage, prob: &[f32]) -> Backdrop {
    let (w, h) = (canvas.width(), canvas.height());
    let strip = ((w as f32 * BORDER_FRACTION).ceil() as u32).max(2);
    let mut samples: Vec<(f32, f32, [u8; 3])> = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let on_border = x < strip || x >= w - strip || y < strip;
            if on_border && prob[(y * w + x) as usize] < 0.2 {
                samples.push((x as f32 + 0.5, y as f32 + 0.5, canvas.get_pixel(x, y).0));
            }
        }
    }
    let mut backdrop = Backdrop {
        colour_rgb: [0; 3],
        surface: [[0.0; SURFACE_TERMS]; 3],
        spread: f32::INFINITY,
        plain: false,
        canvas_size_px: [w, h],
    };
    if samples.len() < 8 * SURFACE_TERMS {
        return backdrop; // the person fills the border: nothing to learn the backdrop from
    }
    // Least squares, one normal matrix for the three channels.
    let mut normal = [[0.0f64; SURFACE_TERMS]; SURFACE_TERMS];
    let mut rhs = [[0.0f64; SURFACE_TERMS]; 3];
    for &(x, y, rgb) in &samples {
        let t = surface_terms(x / w as f32, y / h as f32).map(f64::from);
        for i in 0..SURFACE_TERMS {
            for j in 0..SURFACE_TERMS {
                normal[i][j] += t[i] * t[j];
            }
            for c in 0..3 {
                rhs[c][i] += t[i] * f64::from(rgb[c]);
            }
        }
    }
    for (surface, rhs) in backdrop.surface.iter_mut().zip(rhs) {
        match solve(normal, rhs) {
            Some(coef) => *surface = coef.map(|k| k as f32),
            None => return backdrop,
        }
    }
    let centre = backdrop.at(w as f32 / 2.0, h as f32 / 2.0);
    backdrop.colour_rgb = centre.map(|v| v.round().clamp(0.0, 255.0) as u8);
    let mut residuals: Vec<f32> = samples.iter().map(|&(x, y, rgb)| distance_to(rgb, backdrop.at(x, y))).collect();
    residuals.sort_by(f32::total_cmp);
    backdrop.spread = residuals[residuals.len() * 9 / 10];
    backdrop.plain = backdrop.spread <= PLAIN_BACKDROP_MAX_SPREAD;
    backdrop
}

/// Gaussian elimination with partial pivoting; `None` when the system is singular.
fn solve<const N: usize>(mut m: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = m[col];
        for row in col + 1..N {
            let f = m[row][col] / pivot_row[col];
            for (v, p) in m[row].iter_mut().zip(&pivot_row).skip(col) {
                *v -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0f64; N];
    for row in (0..N).rev() {
        let tail: f64 = (row + 1..N).map(|k| m[row][k] * x[k]).sum();
        x[row] = (b[row] - tail) / m[row][row];
    }
    Some(x)
}

fn distance_to(rgb: [u8; 3], backdrop: [f32; 3]) -> f32 {
    let d = |i: usize| f32::from(rgb[i]) - backdrop[i];
    (d(0) * d(0) + d(1) * d(1) + d(2) * d(2)).sqrt()
}

/// Alpha from the colour distance to the backdrop at one pixel: 0 at the backdrop, 1 clearly
/// away from it.
fn colour_key(canvas: &RgbImage, backdrop: &Backdrop, x: u32, y: u32) -> f32 {
    let start = backdrop.spread + KEY_SOFT_START;
    let end = backdrop.spread + KEY_SOFT_END;
    let b = backdrop.at(x as f32 + 0.5, y as f32 + 0.5);
    ((distance_to(canvas.get_pixel(x, y).0, b) - start) / (end - start)).clamp(0.0, 1.0)
}

/// Photo pixel → canvas pixel. Both the photo and the matte canvas are similarity maps of
/// the same frame, so the composition is one affine map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhotoToCanvas {
    origin: Point,
    step_x: Point,
    step_y: Point,
}

impl PhotoToCanvas {
    /// The map through the frame.
    pub fn new(photo_to_frame: &Similarity, canvas_to_frame: &Similarity) -> PhotoToCanvas {
        let to_canvas = |x: f32, y: f32| canvas_to_frame.src_to_dst(photo_to_frame.dst_to_src(Point::new(x, y)));
        let (o, ex, ey) = (to_canvas(0.0, 0.0), to_canvas(1.0, 0.0), to_canvas(0.0, 1.0));
        PhotoToCanvas {
            origin: o,
            step_x: Point::new(ex.x - o.x, ex.y - o.y),
            step_y: Point::new(ey.x - o.x, ey.y - o.y),
        }
    }

    /// Canvas position of the centre of photo pixel `(x, y)`.
    pub fn centre_of(&self, x: u32, y: u32) -> Point {
        let (u, v) = (x as f32 + 0.5, y as f32 + 0.5);
        Point::new(
            self.origin.x + u * self.step_x.x + v * self.step_y.x,
            self.origin.y + u * self.step_x.y + v * self.step_y.y,
        )
    }
}

/// The canvas alpha read at every pixel of a `(width, height)` photo.
pub fn resample_alpha(alpha: &GrayImage, to_canvas: &PhotoToCanvas, (width, height): (u32, u32)) -> GrayImage {
    let (w, h) = (alpha.width() as usize, alpha.height() as usize);
    let values: Vec<f32> = alpha.as_raw().iter().map(|&a| f32::from(a)).collect();
    GrayImage::from_fn(width, height, |x, y| {
        let c = to_canvas.centre_of(x, y);
        Luma([bilinear(&values, w, h, c.x - 0.5, c.y - 0.5).round().clamp(0.0, 255.0) as u8])
    })
}

/// Puts the person on `target_rgb`. With a plain backdrop the old backdrop's colour (from its
/// fitted surface) is taken out of edge pixels (see the module doc); otherwise a plain alpha blend.
pub fn composite(
    photo: &RgbImage,
    alpha: &GrayImage,
    backdrop: &Backdrop,
    to_canvas: &PhotoToCanvas,
    target_rgb: [u8; 3],
) -> RgbImage {
    let mut out = photo.clone();
    let width = photo.width() as usize;
    let near = nearby_person_colour(photo, alpha);
    // Rows in parallel on rayon's pool.
    out.par_chunks_exact_mut(width * 3).zip(alpha.par_chunks_exact(width)).enumerate().for_each(
        |(y, (row, alphas))| {
            for (x, (px, &a)) in row.chunks_exact_mut(3).zip(alphas).enumerate() {
                let a = f32::from(a) / 255.0;
                if a <= ALPHA_SNAP {
                    px.copy_from_slice(&target_rgb);
                    continue;
                }
                // The person's own colour: all of the pixel when the backdrop is unknown or the
                // pixel solid, else what is left after taking out the backdrop's share.
                let backdrop_share = (backdrop.plain && a < 1.0 - ALPHA_SNAP).then(|| {
                    let c = to_canvas.centre_of(x as u32, y as u32);
                    backdrop.at(c.x, c.y)
                });
                // At an edge pixel, the less of it is person, the more its colour is taken from
                // the solid person nearby: an alpha a pixel or two too wide then softens the edge
                // instead of carrying the old backdrop's colour (a light rim round the hair).
                let nearby = (a < 1.0 - ALPHA_SNAP).then(|| near(x, y)).flatten();
                for ch in 0..3 {
                    let (i, t) = (f32::from(px[ch]), f32::from(target_rgb[ch]));
                    let own = match backdrop_share {
                        Some(b) => ((i - (1.0 - a) * b[ch]) / a).clamp(0.0, 255.0),
                        None => i,
                    };
                    let f = nearby.map_or(own, |n| a * own + (1.0 - a) * n[ch]);
                    px[ch] = (a * f + (1.0 - a) * t + 0.5).clamp(0.0, 255.0) as u8;
                }
            }
        },
    );
    out
}

/// The mean colour of the solid person (alpha ≥ 1 − [`ALPHA_SNAP`]) within
/// [`NEARBY_PERSON_PX`] of a pixel, or `None` where there is none.
fn nearby_person_colour(photo: &RgbImage, alpha: &GrayImage) -> impl Fn(usize, usize) -> Option<[f32; 3]> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let solid: Vec<f32> =
        alpha.as_raw().iter().map(|&a| if f32::from(a) / 255.0 >= 1.0 - ALPHA_SNAP { 1.0 } else { 0.0 }).collect();
    let channel = |c: usize| -> Vec<f32> {
        photo.as_raw().chunks_exact(3).zip(&solid).map(|(p, &s)| s * f32::from(p[c])).collect()
    };
    let ((weight, red), (green, blue)) = rayon::join(
        || rayon::join(|| box_mean(&solid, w, h, NEARBY_PERSON_PX), || box_mean(&channel(0), w, h, NEARBY_PERSON_PX)),
        || {
            rayon::join(
                || box_mean(&channel(1), w, h, NEARBY_PERSON_PX),
                || box_mean(&channel(2), w, h, NEARBY_PERSON_PX),
            )
        },
    );
    move |x, y| {
        let k = y * w + x;
        (weight[k] > 1e-3).then(|| [red[k] / weight[k], green[k] / weight[k], blue[k] / weight[k]])
    }
}

/// The topmost row of `alpha` where the person is solid across at least
/// 8 % of the columns `x_range` (so stray hairs do not count), searching rows `0..below_row`.
pub fn head_top_row(alpha: &GrayImage, x_range: (u32, u32), below_row: u32) -> Option<u32> {
    let (x0, x1) = (x_range.0.min(alpha.width()), x_range.1.min(alpha.width()));
    let need = ((x1.saturating_sub(x0)) as f32 * HEAD_TOP_MIN_COVER).ceil().max(1.0) as u32;
    (0..below_row.min(alpha.height()))
        .find(|&y| (x0..x1).filter(|&x| alpha.get_pixel(x, y).0[0] >= 128).count() as u32 >= need)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_backdrop_spill_is_removed() {
        // An edge pixel half person (red), half old blue backdrop, on a white target.
        let mut surface = [[0.0; SURFACE_TERMS]; 3];
        surface[2][0] = 200.0;
        let backdrop = Backdrop { colour_rgb: [0, 0, 200], surface, spread: 5.0, plain: true, canvas_size_px: [1, 1] };
        let photo = RgbImage::from_pixel(1, 1, image::Rgb([100, 0, 100]));
        let alpha = GrayImage::from_pixel(1, 1, Luma([128]));
        let same =
            Similarity { scale: 1.0, angle_rad: 0.0, anchor_in_dst: Point::default(), origin_in_src: Point::default() };
        let out = composite(&photo, &alpha, &backdrop, &PhotoToCanvas::new(&same, &same), [255, 255, 255]);
        // Half red (200,0,0)·0.5 + white·0.5 ≈ (227,127,127): no blue left in the edge.
        let [r, g, b] = out.get_pixel(0, 0).0;
        assert!((i32::from(g) - i32::from(b)).abs() <= 2 && r > g, "{:?}", [r, g, b]);
    }

    #[test]
    fn head_top_ignores_stray_hairs() {
        let mut alpha = GrayImage::new(100, 100);
        alpha.put_pixel(50, 10, Luma([255])); // one hair
        for y in 30..100 {
            for x in 30..70 {
                alpha.put_pixel(x, y, Luma([255]));
            }
        }
        assert_eq!(head_top_row(&alpha, (30, 70), 90), Some(30));
    }

    #[test]
    fn backdrop_of_a_plain_border_is_plain() {
        let canvas = RgbImage::from_fn(60, 80, |x, _| {
            image::Rgb(if (20..40).contains(&x) { [200, 120, 90] } else { [98, 196, 250] })
        });
        let prob: Vec<f32> = (0..60 * 80).map(|k| if (20..40).contains(&(k % 60)) { 1.0 } else { 0.0 }).collect();
        let b = estimate_backdrop(&canvas, &prob);
        assert!(b.plain && b.colour_rgb == [98, 196, 250], "{b:?}");
    }

    #[test]
    fn a_lit_wall_with_a_gradient_is_still_plain() {
        // Brighter on the left (235) than the right (165): one colour can't describe it.
        let canvas = RgbImage::from_fn(90, 120, |x, _| {
            let v = (235.0 - 70.0 * x as f32 / 89.0) as u8;
            image::Rgb(if (30..60).contains(&x) { [200, 120, 90] } else { [v, v, v.saturating_sub(4)] })
        });
        let prob: Vec<f32> = (0..90 * 120).map(|k| if (30..60).contains(&(k % 90)) { 1.0 } else { 0.0 }).collect();
        let b = estimate_backdrop(&canvas, &prob);
        assert!(b.plain && b.spread < 3.0, "{b:?}");
        assert!((b.at(5.0, 60.0)[0] - 231.0).abs() < 3.0 && (b.at(85.0, 60.0)[0] - 169.0).abs() < 3.0, "{b:?}");
    }
}
