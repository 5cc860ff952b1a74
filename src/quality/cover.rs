//! What covers the face or is worn with it, measured against the face's own skin: hats and
//! headbands (不得使用头部覆盖物), hair over the brows and the ears (头发不得遮挡眉毛、眼睛和
//! 耳朵), sunglasses and tinted lenses (不得戴有色眼镜), a mask or anything over the lower face,
//! eyes that cannot be seen, a dark open mouth, earrings and necklaces (不得佩戴耳环、项链),
//! shoulders not level (左右肩膀平衡).
//!
//! No registry package ships a face-parsing model whose training data allows commercial use
//! (see `README.md`), so each measure compares the colours in a named region with the skin
//! model taken from the same face (the median CIELAB of five patches that a mask, bangs or
//! sunglasses cover at most two of), and with the hair seen at the temples; jewellery is what
//! stands out from a ring round it. Every region is placed from the 468 landmarks and sized in
//! face widths.

use image::RgbImage;

use super::face::FaceRegions;
use super::measure::{Masks, PixelBox};
use crate::imaging::Point;
use crate::imaging::colour::{Lab, delta_e2000, srgb_to_lab};

/// The first reference patches are above the eyes (forehead centre and sides).
const UPPER_REFERENCE_PATCHES: usize = 3;
/// Reference groups further apart than this (ΔE2000) do not show the same skin.
const GROUPS_DISAGREE_DE: f32 = 15.0;

/// Whether a colour can be human skin at all, under studio light: warm hue (red to yellow),
/// some chroma, neither black nor white (after Kovac et al. and the CIELAB skin loci in the
/// colour-science literature, widened for dark and pale skin).
fn in_skin_locus(lab: Lab) -> bool {
    (20.0..=95.0).contains(&lab[0]) && (5.0..=50.0).contains(&chroma(lab)) && (10.0..=100.0).contains(&hue_deg(lab))
}

/// Large regions (the crown, the lower face, the neck) are sampled
/// every this-many pixels each way: shares are the same to a percent, at a quarter the cost.
const LARGE_REGION_STRIDE: usize = 2;
/// Pixels whose alpha is at least this are surely the person: the segmentation's soft edge
/// around the head (up to a few pixels of the backdrop at ½) stays out of hair and hat measures.
pub(super) const SOLID_PERSON_ALPHA: f32 = 0.9;
/// Skin in shadow keeps its hue and most of its chroma but loses lightness: a pixel is the
/// face's skin when its L* lies between this share of the skin's and `SKIN_LIGHTER_L` above
/// it, its hue within `SKIN_HUE_DEG` and its chroma within `SKIN_CHROMA_RATIO` of the skin's.
/// Measured on the real portraits: the nasolabial folds, a shadowed chin and eye bags stay
/// inside; dark hair, a mask, dark lenses and blue or white cloth fall outside.
const SKIN_SHADE_MIN: f32 = 0.55;
const SKIN_LIGHTER_L: f32 = 35.0;
/// The shade allowed where the lower face turns from the light (under the chin, along the
/// jaw), for skin that keeps its hue and chroma: a side-lit face's far jaw reaches 0.22–0.55
/// of the forehead's L* on the real portraits.
const SKIN_DEEP_SHADE_MIN: f32 = 0.2;
/// The shade allowed where the light falls as on the reference (the forehead above the brows).
const SKIN_LIT_SHADE_MIN: f32 = 0.75;
const SKIN_HUE_DEG: f32 = 20.0;
const SKIN_CHROMA_RATIO: (f32, f32) = (0.3, 1.8);
/// A shine brighter than that keeps at least this share of the skin's chroma.
const SHINE_MIN_CHROMA_RATIO: f32 = 0.3;
/// Below this chroma the photo is (nearly) grey and skin is told by lightness alone.
const GREY_PHOTO_CHROMA: f32 = 6.0;
/// A crown pixel counts as the student's hair when its colour (a*, b*) is within `HAIR_AB` of
/// one of the hair references (which span its shadows and highlights) and its lightness from
/// `HAIR_DARKER_L` below to `HAIR_LIGHTER_L` above it.
const HAIR_AB: f32 = 10.0;
const HAIR_DARKER_L: f32 = 12.0;
const HAIR_LIGHTER_L: f32 = 28.0;
/// Fewer hair pixels than this beside the face: no hair reference (short hair, bald).
const MIN_REFERENCE_PX: usize = 30;
/// A hair reference is the colour (a*, b*, within `HAIR_AB`) of at least this share of the
/// hair pixels beside the face.
const MIN_REFERENCE_SHARE: f32 = 0.2;
/// Without a hair reference, hair is dark (L* below this) or nearly grey (chroma below
/// `GREY_CHROMA`): black, brown, grey and white hair; a red, blue or gold hat is neither.
const DARK_HAIR_L: f32 = 35.0;
const GREY_CHROMA: f32 = 14.0;
/// The lips' box is widened by this share of the mouth's width when the lower face is judged.
const LIPS_MARGIN_OF_WIDTH: f32 = 0.12;
/// A jewel is compared with a ring this far round it (face widths; wider than a stud or a
/// pearl, ≈ 17 px on a 210 px face), sampled at this many points.
const JEWEL_RING_FW: f32 = 0.08;
const JEWEL_RING_POINTS: usize = 16;
/// Colours this far apart (ΔE76) are different things.
const JEWEL_APART_DE: f32 = 15.0;
/// An earring differs from at least this share of its ring; a necklace, which crosses its
/// ring twice, from this share (a large light region such as a shirt takes more of it).
const EARRING_APART_SHARE: f32 = 0.8;
const NECKLACE_APART_SHARE: f32 = 0.75;
/// What a necklace lies on is one field: this share of the rest of its ring is one colour.
const NECKLACE_FIELD_SHARE: f32 = 0.8;
/// A jewel stands this far (ΔE76) from what it lies on, and from any blend of two things round
/// an earring.
const JEWEL_MIN_DE: f32 = 25.0;
/// A spot darker than what it lies on by more than this (L*) is a mole, a shadow or a
/// buttonhole.
const JEWEL_DARKER_L: f32 = 5.0;

/// The face's skin: median CIELAB and median luma of the reference patches.
pub(super) struct Skin {
    pub lab: Lab,
    pub luma: f32,
    /// The reference's chroma and hue, computed once (every pixel test compares with them).
    chroma: f32,
    hue_deg: f32,
    /// The cheeks' skin alone (cheekbones, mid-cheeks), when it is the forehead's skin in
    /// another light (the two groups within `GROUPS_DISAGREE_DE`; a mask over the cheeks is
    /// not). The lower face shares the cheeks' light: a sunlit jaw is warmer than the forehead
    /// under the hair.
    cheeks: Option<Box<Skin>>,
}

fn lab_at(photo: &RgbImage, x: usize, y: usize) -> Lab {
    srgb_to_lab(photo.get_pixel(x as u32, y as u32).0)
}

fn chroma(lab: Lab) -> f32 {
    lab[1].hypot(lab[2])
}

/// The hue angle, degrees.
fn hue_deg(lab: Lab) -> f32 {
    lab[2].atan2(lab[1]).to_degrees()
}

/// The signed difference of two hue angles, −180° to 180°.
fn hue_difference_deg(a_deg: f32, b_deg: f32) -> f32 {
    (a_deg - b_deg + 540.0) % 360.0 - 180.0
}

/// Every `stride`-th pixel of `boxes` that is surely on the person (all of them without a mask).
fn samples(
    photo: &RgbImage,
    masks: Option<&Masks>,
    boxes: &[PixelBox],
    stride: usize,
) -> impl Iterator<Item = (usize, usize, Lab)> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    boxes
        .iter()
        .flat_map(move |b| {
            let (xs, ys) = b.clip(w, h);
            ys.step_by(stride).flat_map(move |y| xs.clone().step_by(stride).map(move |x| (x, y)))
        })
        .filter(move |&(x, y)| masks.is_none_or(|m| m.alpha[y * m.w + x] >= SOLID_PERSON_ALPHA))
        .map(move |(x, y)| (x, y, lab_at(photo, x, y)))
}

/// Luma of every pixel of `b` (no colour conversion: the eyes are judged by lightness).
fn lumas_in(photo: &RgbImage, b: &PixelBox) -> Vec<f32> {
    let (xs, ys) = b.clip(photo.width() as usize, photo.height() as usize);
    ys.flat_map(|y| xs.clone().map(move |x| (x, y))).map(|(x, y)| luma_at(photo, x, y)).collect()
}

fn median_lab(labs: &[Lab]) -> Option<Lab> {
    if labs.is_empty() {
        return None;
    }
    Some(std::array::from_fn(|c| {
        let mut ch: Vec<f32> = labs.iter().map(|l| l[c]).collect();
        let mid = ch.len() / 2;
        *ch.select_nth_unstable_by(mid, f32::total_cmp).1
    }))
}

impl Skin {
    /// The face's skin from the reference patches, or `None` when they are outside the photo.
    /// When the patches above the eyes and those below disagree, one group is covered (bangs
    /// over the forehead, a mask over the cheeks): the group whose colour lies in the skin
    /// locus is the skin.
    pub fn of(photo: &RgbImage, r: &FaceRegions) -> Option<Skin> {
        let (upper, lower) = r.skin_reference.split_at(UPPER_REFERENCE_PATCHES);
        let group = |boxes: &[PixelBox]| -> Vec<(usize, usize, Lab)> { samples(photo, None, boxes, 1).collect() };
        let (up, low) = (group(upper), group(lower));
        let median_of = |v: &[(usize, usize, Lab)]| median_lab(&v.iter().map(|p| p.2).collect::<Vec<_>>());
        let (up_median, low_median) = (median_of(&up), median_of(&low));
        let cheeks = match (up_median, low_median) {
            (Some(u), Some(l)) if delta_e2000(u, l) <= GROUPS_DISAGREE_DE && in_skin_locus(l) => {
                Skin::from_samples(photo, &low).map(Box::new)
            }
            _ => None,
        };
        let chosen: Vec<(usize, usize, Lab)> = match (up_median, low_median) {
            (Some(u), Some(l)) if delta_e2000(u, l) > GROUPS_DISAGREE_DE => {
                match (in_skin_locus(u), in_skin_locus(l)) {
                    (true, false) => up,
                    (false, true) => low,
                    _ => [up, low].concat(),
                }
            }
            _ => [up, low].concat(),
        };
        Skin::from_samples(photo, &chosen).map(|skin| Skin { cheeks, ..skin })
    }

    fn from_samples(photo: &RgbImage, chosen: &[(usize, usize, Lab)]) -> Option<Skin> {
        if chosen.len() < 50 {
            return None;
        }
        let mut lumas: Vec<f32> = chosen.iter().map(|&(x, y, _)| luma_at(photo, x, y)).collect();
        let mid = lumas.len() / 2;
        let luma = *lumas.select_nth_unstable_by(mid, f32::total_cmp).1;
        median_lab(&chosen.iter().map(|p| p.2).collect::<Vec<_>>()).map(|lab| Skin {
            lab,
            luma,
            chroma: chroma(lab),
            hue_deg: hue_deg(lab),
            cheeks: None,
        })
    }

    fn is_skin(&self, lab: Lab) -> bool {
        self.is_skin_lit(lab, SKIN_SHADE_MIN)
    }

    /// [`Skin::is_skin`] for a region the light reaches as it reaches the reference (the
    /// forehead just above the brows): darker than `shade_min` of
    /// the skin's L* is not skin there. Light-brown and blond hair have the skin's hue and
    /// chroma; only their lightness tells them apart.
    fn is_skin_lit(&self, lab: Lab, shade_min: f32) -> bool {
        let (l, c) = (self.lab[0], self.chroma);
        if lab[0] < shade_min * l {
            return false;
        }
        if lab[0] > l + SKIN_LIGHTER_L {
            // A shine (a bald crown, a lit forehead) keeps the skin's hue with less chroma.
            return c >= GREY_PHOTO_CHROMA
                && hue_difference_deg(hue_deg(lab), self.hue_deg).abs() <= SKIN_HUE_DEG
                && chroma(lab) >= SHINE_MIN_CHROMA_RATIO * c;
        }
        if c < GREY_PHOTO_CHROMA {
            return chroma(lab) < 2.0 * GREY_PHOTO_CHROMA;
        }
        let ratio = chroma(lab) / c;
        hue_difference_deg(hue_deg(lab), self.hue_deg).abs() <= SKIN_HUE_DEG
            && (SKIN_CHROMA_RATIO.0..=SKIN_CHROMA_RATIO.1).contains(&ratio)
    }

    /// [`Skin::is_skin`] for the lower face, which turns away from the light under the chin
    /// and along the jaw: skin in deep shadow (down to `SKIN_DEEP_SHADE_MIN` of the skin's L*)
    /// keeps its hue and chroma, which a black, grey, white or blue cover does not have. In a
    /// grey photo nothing but lightness tells skin, so the shadow gets no more room there.
    fn is_skin_or_shaded(&self, lab: Lab) -> bool {
        self.is_skin(lab) || (self.chroma >= GREY_PHOTO_CHROMA && self.is_skin_lit(lab, SKIN_DEEP_SHADE_MIN))
    }

    /// Whether an sRGB pixel has the skin's hue and chroma at any lightness from its shadow
    /// up (a bald crown under the lights is skin, not washed-out hair).
    pub fn is_skin_hued_rgb(&self, rgb: [u8; 3]) -> bool {
        let lab = srgb_to_lab(rgb);
        let c = self.chroma;
        if lab[0] < SKIN_SHADE_MIN * self.lab[0] || c < GREY_PHOTO_CHROMA {
            return self.is_skin(lab);
        }
        hue_difference_deg(hue_deg(lab), self.hue_deg).abs() <= SKIN_HUE_DEG
            && chroma(lab) >= SHINE_MIN_CHROMA_RATIO * c
    }

    /// Whether an sRGB pixel is this face's skin.
    pub fn is_skin_rgb(&self, rgb: [u8; 3]) -> bool {
        self.is_skin(srgb_to_lab(rgb))
    }

    /// Share of the person's pixels in `boxes` that are not skin.
    pub fn not_skin_share(&self, photo: &RgbImage, masks: Option<&Masks>, boxes: &[PixelBox]) -> Option<f32> {
        share(samples(photo, masks, boxes, 1), |lab| !self.is_skin(lab))
    }
}

fn share(it: impl Iterator<Item = (usize, usize, Lab)>, test: impl Fn(Lab) -> bool) -> Option<f32> {
    let (mut hits, mut n) = (0usize, 0usize);
    for (_, _, lab) in it {
        n += 1;
        hits += usize::from(test(lab));
    }
    (n >= 20).then(|| hits as f32 / n as f32)
}

/// Headwear: the share of the crown (on the person, not skin) that is not the student's hair.
/// Hair is what the temples show, or, where they show none, dark or grey; a hat, a cap or a
/// headband is another colour than the hair around it.
pub(super) fn headwear_share(photo: &RgbImage, masks: Option<&Masks>, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    // Beside the cheeks, below where a brim reaches: the student's own hair, if any shows.
    let mut beside: Vec<Lab> =
        samples(photo, masks, &r.side_hair, 1).map(|(_, _, l)| l).filter(|&l| !skin.is_skin(l)).collect();
    // The hair's shadows, mid-tones and highlights: colours at nine lightness quantiles.
    beside.sort_by(|a, b| a[0].total_cmp(&b[0]));
    // A reference must be the colour of a good part of what shows there: the deep red of an
    // ear's crease or a collar's edge is a few pixels of another colour, not the hair.
    let shared_by = |h: &Lab| beside.iter().filter(|l| (l[1] - h[1]).hypot(l[2] - h[2]) <= HAIR_AB).count();
    let references: Vec<Lab> = if beside.len() >= MIN_REFERENCE_PX {
        (1..10)
            .map(|k| beside[k * (beside.len() - 1) / 10])
            .filter(|h| shared_by(h) as f32 >= MIN_REFERENCE_SHARE * beside.len() as f32)
            .collect()
    } else {
        Vec::new()
    };
    let is_hair = |lab: Lab| {
        if references.is_empty() {
            lab[0] < DARK_HAIR_L || chroma(lab) < GREY_CHROMA
        } else {
            // The same hair in more or less light: its colour (a*, b*) close to one of the
            // references, its lightness from a little darker to much lighter (the crown
            // catches the light). A hat is another colour, or far lighter or darker.
            references.iter().any(|&h| {
                let dl = lab[0] - h[0];
                (-HAIR_DARKER_L..=HAIR_LIGHTER_L).contains(&dl) && (lab[1] - h[1]).hypot(lab[2] - h[2]) <= HAIR_AB
            })
        }
    };
    share(samples(photo, masks, &[r.crown], LARGE_REGION_STRIDE), |lab| !skin.is_skin(lab) && !is_hair(lab))
}

/// Hair over the brows: the share of the thin strips just above both brows that is not skin
/// (bangs reaching the brows leave no skin between the hair and the brow).
pub(super) fn brows_covered_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    r.above_brows
        .iter()
        .filter_map(|b| share(samples(photo, None, &[*b], 1), |lab| !skin.is_skin_lit(lab, SKIN_LIT_SHADE_MIN)))
        .reduce(f32::max)
}

/// Strands over the brows: the fine texture of the strips just above the brows over that of
/// the cheeks; the larger side. Light-brown bangs have the skin's colour but not its
/// smoothness: strands are many thin light and dark lines. Forehead skin is as smooth as the
/// cheeks or smoother (measured on the real portraits: 0.4–3.3 times, wrinkles included).
pub(super) fn brows_texture_ratio(photo: &RgbImage, r: &FaceRegions) -> Option<f32> {
    // Pores and a sensor's noise give skin at least this much (grey levels; a soft lens 0.5–0.7);
    // flatter cheeks are clipped by over-exposure, and the ratio would blow up on them.
    const SMOOTHEST_CHEEK: f32 = 0.5;
    let cheeks = fine_texture(photo, &r.skin_reference[UPPER_REFERENCE_PATCHES..])?;
    r.above_brows
        .iter()
        .filter_map(|b| fine_texture(photo, &[*b]))
        .map(|t| t / cheeks.max(SMOOTHEST_CHEEK))
        .reduce(f32::max)
}

/// Fine texture of the boxes: the mean absolute difference between a pixel's luma and the
/// mean of its four neighbours (grey levels), or `None` for fewer than 20 pixels. The scale of
/// one strand of hair, finer than `measure::texture_rms`'s 5×5 (which the retouch check uses
/// for pores and shading): measured with that one instead, light-brown bangs (6.0–6.4) no longer
/// stood clear of clean real foreheads (up to 4.0) and over-exposed faces (up to 7.4).
fn fine_texture(photo: &RgbImage, boxes: &[PixelBox]) -> Option<f32> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let (mut sum, mut n) = (0.0f32, 0usize);
    for b in boxes {
        let (xs, ys) = b.clip(w, h);
        for y in ys.start.max(1)..ys.end.min(h.saturating_sub(1)) {
            for x in xs.start.max(1)..xs.end.min(w.saturating_sub(1)) {
                let around = luma_at(photo, x - 1, y)
                    + luma_at(photo, x + 1, y)
                    + luma_at(photo, x, y - 1)
                    + luma_at(photo, x, y + 1);
                sum += (luma_at(photo, x, y) - around / 4.0).abs();
                n += 1;
            }
        }
    }
    (n >= 20).then(|| sum / n as f32)
}

/// Ears: the share of the boxes beside each cheek, from the eye line to the nose, that is
/// skin; the smaller side (both ears must show, 耳朵对称). Hair over an ear leaves almost none;
/// an ear fills a third to two thirds of its box.
pub(super) fn ears_visible_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    r.ears
        .iter()
        .map(|b| share(samples(photo, None, &[*b], 1), |lab| skin.is_skin(lab)))
        .collect::<Option<Vec<f32>>>()
        .and_then(|v| v.into_iter().reduce(f32::min))
}

/// Eyes that can be seen: the luma spread (90th − 10th percentile) inside each eye opening,
/// relative to the skin's luma; the smaller eye. An open eye shows white sclera beside a
/// dark iris; a closed lid, a blurred or painted patch and a dark lens show neither.
pub(super) fn eye_contrast(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    r.eye_openings
        .iter()
        .map(|b| {
            let mut v = lumas_in(photo, b);
            if v.len() < 12 {
                return None;
            }
            v.sort_by(f32::total_cmp);
            let (lo, hi) = (v[v.len() / 10], v[v.len() * 9 / 10]);
            Some((hi - lo) / skin.luma.max(1.0))
        })
        .collect::<Option<Vec<f32>>>()
        .and_then(|v| v.into_iter().reduce(f32::min))
}

/// Eyes that are sharp: the fine texture inside each eye opening over that of the brow above
/// it; the smaller eye. Lashes, the iris' rim and the catchlight make an open eye at least as
/// detailed as its brow; a blurred or painted patch over the eyes leaves the brows sharp and
/// the eyes smooth. A photo blurred all over keeps the ratio (`blur` judges that).
pub(super) fn eye_sharpness_ratio(photo: &RgbImage, r: &FaceRegions) -> Option<f32> {
    // Sparse, light brows have little texture: the ratio then leans on this floor (grey levels).
    const FAINTEST_BROW: f32 = 0.5;
    r.eye_openings
        .iter()
        .zip(&r.brows)
        .map(|(eye, brow)| Some(fine_texture(photo, &[*eye])? / fine_texture(photo, &[*brow])?.max(FAINTEST_BROW)))
        .collect::<Option<Vec<f32>>>()
        .and_then(|v| v.into_iter().reduce(f32::min))
}

/// Eyes that are open: the share of each eye opening darker than 55 % of the skin (iris,
/// pupil, lashes); the smaller eye. An open eye's iris fills a third or more of its opening;
/// a closed lid leaves the thin lash line only.
pub(super) fn eye_dark_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    const IRIS_OF_SKIN: f32 = 0.55;
    r.eye_openings
        .iter()
        .map(|b| {
            let v = lumas_in(photo, b);
            (v.len() >= 12).then(|| v.iter().filter(|&&l| l < IRIS_OF_SKIN * skin.luma).count() as f32 / v.len() as f32)
        })
        .collect::<Option<Vec<f32>>>()
        .and_then(|v| v.into_iter().reduce(f32::min))
}

/// A dark open mouth the mesh may not follow: the share of the lips' box darker than 30 %
/// of the skin (a closed mouth shows only the thin line between the lips).
pub(super) fn mouth_dark_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    const DARK_OF_SKIN: f32 = 0.3;
    let dark = DARK_OF_SKIN * skin.luma;
    let (xs, ys) = r.lips.clip(photo.width() as usize, photo.height() as usize);
    let n = xs.len() * ys.len();
    let hits = ys.flat_map(|y| xs.clone().map(move |x| (x, y))).filter(|&(x, y)| luma_at(photo, x, y) < dark).count();
    (n >= 20).then(|| hits as f32 / n as f32)
}

fn luma_at(photo: &RgbImage, x: usize, y: usize) -> f32 {
    super::measure::luma(photo.get_pixel(x as u32, y as u32).0)
}

/// Tinted glasses: the share of the skin just under the eyes (inside a lens, outside the
/// eye) that is not the face's skin; the larger side. Dark lenses cover all of it.
pub(super) fn under_eye_tinted_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    r.under_eyes.iter().filter_map(|b| skin.not_skin_share(photo, None, &[*b])).reduce(f32::max)
}

/// Something over the lower face (a mask, a hand, a scarf): the share of the cheeks and chin
/// below the nose, inside the face's outline, lips left out, that is not skin. Where the jaw
/// curves in, the box's corners hold the collar, the neck's shadow or the backdrop: they are
/// not the face and cover nothing. Skin here is the face's or the cheeks' own (the jaw is lit
/// as the cheeks are), down into the jaw's deep shadow.
pub(super) fn lower_face_covered_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    // The lips and what a smile shows around them (teeth, the corners' shadow).
    let margin = LIPS_MARGIN_OF_WIDTH * (r.lips.x1 - r.lips.x0);
    let lips =
        PixelBox { x0: r.lips.x0 - margin, x1: r.lips.x1 + margin, y0: r.lips.y0 - margin, y1: r.lips.y1 + margin };
    let outside_lips = samples(photo, None, &r.lower_face, LARGE_REGION_STRIDE).filter(|&(x, y, _)| {
        let (x, y) = (x as f32, y as f32);
        !(x >= lips.x0 && x <= lips.x1 && y >= lips.y0 && y <= lips.y1) && Point::new(x, y).is_inside(&r.face_oval)
    });
    let is_skin =
        |lab: Lab| skin.is_skin_or_shaded(lab) || skin.cheeks.as_ref().is_some_and(|c| c.is_skin_or_shaded(lab));
    share(outside_lips, |lab| !is_skin(lab))
}

/// Earrings: the larger share of an earlobe box taken by pixels that stand out as an earring
/// (a stud, a drop, a hoop; on skin, hair or the backdrop beside the neck).
///
/// Each pixel is compared with a ring round it, wider than a jewel (see [`earring_at`]).
/// Skin-coloured pixels are never jewels.
pub(super) fn earring_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    let rings = Rings::new(photo, r, skin)?;
    r.earlobes
        .iter()
        .filter_map(|b| {
            let hits = rings.hits(b, earring_at);
            let n = hits.iter().map(Vec::len).sum::<usize>();
            (n >= 20).then(|| hits.iter().flatten().filter(|&&h| h).count() as f32 / n as f32)
        })
        .reduce(f32::max)
}

/// A necklace: the share of the neck box's width across which a necklace shows (a strand of
/// pearls, a chain, a pendant; on skin or on a top). A necklace is long and thin, so it is
/// judged by how far it reaches across the neck, not by its area: a button or a collar's
/// corner takes a few columns, a strand most of them (see [`necklace_at`]).
pub(super) fn necklace_width_share(photo: &RgbImage, r: &FaceRegions, skin: &Skin) -> Option<f32> {
    let rings = Rings::new(photo, r, skin)?;
    let rows = rings.hits(&r.neck, necklace_at);
    let columns = rows.first().map_or(0, Vec::len);
    if rows.len() < 10 || columns < 10 {
        return None;
    }
    let across = (0..columns).filter(|&c| rows.iter().any(|row| row[c])).count();
    Some(across as f32 / columns as f32)
}

/// Each sampled pixel of a box compared with the ring round it.
struct Rings<'a> {
    photo: &'a RgbImage,
    radius_px: f32,
    /// The ring's points, in grid cells from its centre.
    offsets: Vec<(isize, isize)>,
    skin: &'a Skin,
}

impl<'a> Rings<'a> {
    /// None in a grey photo, where a pearl, a collar and a lit cheek are one grey.
    fn new(photo: &'a RgbImage, r: &FaceRegions, skin: &'a Skin) -> Option<Rings<'a>> {
        if skin.chroma < GREY_PHOTO_CHROMA {
            return None;
        }
        let radius_px = JEWEL_RING_FW * r.face_width_px;
        let cells = radius_px / LARGE_REGION_STRIDE as f32;
        let offsets = (0..JEWEL_RING_POINTS)
            .map(|k| {
                let t = k as f32 * std::f32::consts::TAU / JEWEL_RING_POINTS as f32;
                ((cells * t.cos()).round() as isize, (cells * t.sin()).round() as isize)
            })
            .collect();
        Some(Rings { photo, radius_px, offsets, skin })
    }

    /// Row by row, whether each sampled pixel of `b` is a jewel by `stands_out`.
    fn hits(&self, b: &PixelBox, stands_out: fn(Lab, &[Lab]) -> bool) -> Vec<Vec<bool>> {
        let mut grid = LabGrid::round(self.photo, b, self.radius_px + LARGE_REGION_STRIDE as f32);
        let (xs, ys) = b.clip(self.photo.width() as usize, self.photo.height() as usize);
        let cell = |v: usize, origin: usize| (v.saturating_sub(origin) / LARGE_REGION_STRIDE) as isize;
        let (c0, c1) = (cell(xs.start.max(grid.x0), grid.x0), cell(xs.end, grid.x0));
        let (r0, r1) = (cell(ys.start.max(grid.y0), grid.y0), cell(ys.end, grid.y0));
        (r0..r1)
            .map(|row| {
                (c0..c1)
                    .map(|col| {
                        let Some(lab) = grid.at(col, row) else { return false };
                        if self.skin.is_skin(lab) {
                            return false;
                        }
                        let around: Vec<Lab> =
                            self.offsets.iter().filter_map(|&(dc, dr)| grid.at(col + dc, row + dr)).collect();
                        around.len() >= JEWEL_RING_POINTS / 2 && stands_out(lab, &around)
                    })
                    .collect()
            })
            .collect()
    }
}

/// Whether `lab`, with `around` on its ring, is an earring. An earring hangs where the ear, the
/// neck, hair and the backdrop meet, so its ring shows several things: it differs from nearly
/// all of them, is no blend of any two (an outline's edge pixel and the tip of a white collar
/// between dark lapels are), and is not darker than what is round it (a mole, a shadow).
fn earring_at(lab: Lab, around: &[Lab]) -> bool {
    let apart = around.iter().filter(|&&c| delta_e76(c, lab) >= JEWEL_APART_DE).count();
    let Some(field) = median_lab(around) else { return false };
    apart as f32 >= EARRING_APART_SHARE * around.len() as f32
        && lab[0] >= field[0] - JEWEL_DARKER_L
        && around
            .iter()
            .enumerate()
            .all(|(i, &a)| around[i..].iter().all(|&b| distance_to_segment(lab, a, b) >= JEWEL_MIN_DE))
}

/// Whether `lab`, with `around` on its ring, is a necklace. A necklace crosses its own ring twice
/// and lies on one field (the neck's skin, a top): what of the ring differs from it is that one
/// field (a collar's edge lies between two), and it stands out from that field without being
/// darker (a buttonhole, a fold's shadow).
fn necklace_at(lab: Lab, around: &[Lab]) -> bool {
    let others: Vec<Lab> = around.iter().copied().filter(|&c| delta_e76(c, lab) >= JEWEL_APART_DE).collect();
    if (others.len() as f32) < NECKLACE_APART_SHARE * around.len() as f32 {
        return false;
    }
    let Some(field) = median_lab(&others) else { return false };
    let in_field = others.iter().filter(|&&c| delta_e76(c, field) < JEWEL_APART_DE).count();
    in_field as f32 >= NECKLACE_FIELD_SHARE * others.len() as f32
        && delta_e76(lab, field) >= JEWEL_MIN_DE
        && lab[0] >= field[0] - JEWEL_DARKER_L
}

/// The CIELAB of every `LARGE_REGION_STRIDE`-th pixel each way (the grid the samples and their
/// rings lie on) round one box, each converted once however many rings it is on.
struct LabGrid<'a> {
    photo: &'a RgbImage,
    /// The grid's first pixel and its size in cells.
    x0: usize,
    y0: usize,
    cols: usize,
    rows: usize,
    known: Vec<Option<Lab>>,
}

impl<'a> LabGrid<'a> {
    /// The grid over `b` grown by `margin` pixels, clipped to the photo.
    fn round(photo: &'a RgbImage, b: &PixelBox, margin: f32) -> LabGrid<'a> {
        let grown = PixelBox { x0: b.x0 - margin, y0: b.y0 - margin, x1: b.x1 + margin, y1: b.y1 + margin };
        let (xs, ys) = grown.clip(photo.width() as usize, photo.height() as usize);
        let on_grid = |v: usize| v - v % LARGE_REGION_STRIDE;
        let (x0, y0) = (on_grid(xs.start), on_grid(ys.start));
        let cols = (xs.end.saturating_sub(x0)).div_ceil(LARGE_REGION_STRIDE);
        let rows = (ys.end.saturating_sub(y0)).div_ceil(LARGE_REGION_STRIDE);
        LabGrid { photo, x0, y0, cols, rows, known: vec![None; cols * rows] }
    }

    /// The colour at grid cell `(c, r)`, if the grid has it.
    fn at(&mut self, c: isize, r: isize) -> Option<Lab> {
        if c < 0 || r < 0 || c as usize >= self.cols || r as usize >= self.rows {
            return None;
        }
        let (c, r) = (c as usize, r as usize);
        let (x, y) = (self.x0 + c * LARGE_REGION_STRIDE, self.y0 + r * LARGE_REGION_STRIDE);
        if x >= self.photo.width() as usize || y >= self.photo.height() as usize {
            return None;
        }
        Some(*self.known[r * self.cols + c].get_or_insert_with(|| lab_at(self.photo, x, y)))
    }
}

fn delta_e76(a: Lab, b: Lab) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The distance (ΔE76) from `p` to the segment between `a` and `b` in CIELAB.
fn distance_to_segment(p: Lab, a: Lab, b: Lab) -> f32 {
    let ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    let ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
    let len2 = ab.iter().map(|v| v * v).sum::<f32>();
    let t = if len2 > 0.0 { (ab.iter().zip(&ap).map(|(u, v)| u * v).sum::<f32>() / len2).clamp(0.0, 1.0) } else { 0.0 };
    (0..3).map(|k| (ap[k] - t * ab[k]).powi(2)).sum::<f32>().sqrt()
}

/// Shoulder tilt, degrees: the top of the person's outline at mirrored columns on both sides
/// of the face's midline (from the neck's base outwards, as far as the photo shows), the
/// median height difference over their distance. Mirrored columns cancel the shoulders' own
/// slope, so a turned or narrow-shouldered student reads level when the shoulders are.
pub(super) fn shoulder_tilt_deg(masks: &Masks, r: &FaceRegions) -> Option<f32> {
    let y0 = r.below_chin_y.max(0.0) as usize;
    let top = |x: f32| -> Option<f32> {
        if x < 0.0 || x >= masks.w as f32 {
            return None;
        }
        let x = x as usize;
        let row = (y0..masks.h).find(|&y| masks.alpha[y * masks.w + x] >= 0.5)?;
        // A shoulder at the photo's bottom edge is cut, not low.
        (row + 2 < masks.h).then_some(row as f32)
    };
    let (near, far) = r.shoulder_offsets_px;
    let steps = 16;
    let mut slopes: Vec<f32> = (0..=steps)
        .filter_map(|k| {
            let d = near + (far - near) * k as f32 / steps as f32;
            let (right, left) = (top(r.midline_x - d)?, top(r.midline_x + d)?);
            Some((left - right) / (2.0 * d))
        })
        .collect();
    if slopes.len() < 4 {
        return None;
    }
    let mid = slopes.len() / 2;
    let slope = *slopes.select_nth_unstable_by(mid, f32::total_cmp).1;
    Some(slope.atan().to_degrees().abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skin(rgb: [u8; 3]) -> Skin {
        let lab = srgb_to_lab(rgb);
        Skin { lab, luma: super::super::measure::luma(rgb), chroma: chroma(lab), hue_deg: hue_deg(lab), cheeks: None }
    }

    #[test]
    fn fine_texture_is_zero_on_smooth_skin_and_large_on_strands() {
        let skin_tone = image::Rgb([200u8, 160, 140]);
        let smooth = RgbImage::from_pixel(40, 40, skin_tone);
        // One-pixel strands, light and dark in turn: each pixel differs from the mean of its
        // four neighbours by half the step between them.
        let strands = RgbImage::from_fn(40, 40, |x, _| if x % 2 == 0 { image::Rgb([120, 90, 60]) } else { skin_tone });
        let whole = PixelBox { x0: 0.0, y0: 0.0, x1: 40.0, y1: 40.0 };
        let (luma_step, tiny) = (
            super::super::measure::luma([200, 160, 140]) - super::super::measure::luma([120, 90, 60]),
            PixelBox { x0: 10.0, y0: 10.0, x1: 13.0, y1: 13.0 },
        );
        assert_eq!(fine_texture(&smooth, &[whole]), Some(0.0));
        let t = fine_texture(&strands, &[whole]).expect("large enough");
        assert!((t - luma_step / 2.0).abs() < 0.01, "{t} vs {}", luma_step / 2.0);
        assert_eq!(fine_texture(&smooth, &[tiny]), None, "9 pixels are too few to judge");
    }

    #[test]
    fn skin_in_shadow_and_shine_is_skin_and_hair_masks_and_lenses_are_not() {
        let face = skin([224, 172, 140]);
        assert!(face.is_skin_rgb([224, 172, 140]));
        assert!(face.is_skin_rgb([150, 112, 90]), "the same skin in shadow");
        assert!(face.is_skin_rgb([246, 214, 196]), "a lit forehead");
        assert!(!face.is_skin_rgb([35, 28, 25]), "dark hair");
        assert!(!face.is_skin_rgb([160, 200, 225]), "a light blue mask");
        assert!(!face.is_skin_rgb([25, 30, 35]), "a dark lens");
        assert!(!face.is_skin_rgb([240, 240, 240]), "a white collar");
    }

    #[test]
    fn the_jaw_in_deep_shadow_is_skin_and_a_black_or_navy_mask_is_not() {
        let face = skin([224, 172, 140]);
        // The same skin at a third of the light: too dark for the forehead's rule, not a cover.
        let deep = [75, 57, 46];
        assert!(!face.is_skin(srgb_to_lab(deep)));
        assert!(face.is_skin_or_shaded(srgb_to_lab(deep)));
        for (rgb, what) in [([40, 40, 44], "a black mask"), ([35, 40, 70], "a navy mask"), ([160, 200, 225], "blue")] {
            assert!(!face.is_skin_or_shaded(srgb_to_lab(rgb)), "{what}");
        }
        // In a grey photo a dark grey is as likely cloth as shadow: no more room there.
        let grey = skin([180, 180, 180]);
        assert!(!grey.is_skin_or_shaded(srgb_to_lab([60, 60, 60])));
    }

    #[test]
    fn a_jewel_stands_out_and_an_edge_or_a_collar_does_not() {
        let (gold, backdrop, skin, dark, white) =
            ([79.0, 5.0, 70.0], [70.0, -10.0, -35.0], [70.0, 15.0, 20.0], [20.0, 0.0, -5.0], [95.0, 0.0, 2.0]);
        // An earring between the ear's skin and the backdrop; the edge pixel between them.
        let ear_ring: Vec<Lab> = (0..16).map(|k| if k < 7 { skin } else { backdrop }).collect();
        assert!(earring_at(gold, &ear_ring));
        let edge = [0.5 * (skin[0] + backdrop[0]), 0.5 * (skin[1] + backdrop[1]), 0.5 * (skin[2] + backdrop[2])];
        assert!(!earring_at(edge, &ear_ring));
        // A mole is darker than the skin round it.
        assert!(!earring_at([35.0, 15.0, 18.0], &[skin; 16]));
        // A pearl on a dark top, its strand crossing the ring twice; a white collar's edge
        // between the dark jacket and the neck's skin.
        let strand: Vec<Lab> = (0..16).map(|k| if k % 8 == 0 { white } else { dark }).collect();
        assert!(necklace_at(white, &strand));
        let collar: Vec<Lab> = (0..16).map(|k| if k < 8 { dark } else { skin }).collect();
        assert!(!necklace_at(white, &collar));
        // Inside a large white region (a shirt): the ring is mostly white too.
        let shirt: Vec<Lab> = (0..16).map(|k| if k < 6 { dark } else { white }).collect();
        assert!(!necklace_at(white, &shirt));
    }

    #[test]
    fn hue_differences_wrap_round_the_circle() {
        assert!((hue_difference_deg(350.0, 10.0) + 20.0).abs() < 1e-3);
        assert!((hue_difference_deg(10.0, 350.0) - 20.0).abs() < 1e-3);
        assert!((hue_difference_deg(-170.0, 170.0) - 20.0).abs() < 1e-3);
    }

    #[test]
    fn a_skin_locus_holds_skin_and_not_cloth() {
        assert!(in_skin_locus(srgb_to_lab([224, 172, 140])));
        assert!(in_skin_locus(srgb_to_lab([110, 70, 50])), "dark skin");
        assert!(!in_skin_locus(srgb_to_lab([160, 200, 225])), "a blue mask");
        assert!(!in_skin_locus(srgb_to_lab([40, 32, 28])), "black hair");
    }
}
