//! The full check of a finished photo: every [`Code`] judged from the [`Evidence`] against the
//! profile. One function per group; each finding carries its number and its limit.

use image::RgbImage;

use super::cover::{self, Skin};
use super::face::FaceRegions;
use super::file::FileFormat;
use super::measure::{self, Masks, Plane, luma};
use super::{Code, Evidence, FaceEvidence, Finding, Limit, NotChecked, Report, Side, Unit, Verdict};
use crate::imaging::colour::srgb_to_lab;
use crate::imaging::mesh;
use crate::profile::PhotoSpec;

/// Luma at or above which a face pixel counts as clipped white (ISO/IEC 29794-5
/// over-exposure prevention counts the share of pixels in the top luminance range).
const CLIPPED_LUMA: f32 = 250.0;
/// A specular glare pixel: nearly white and nearly grey.
const GLARE_MIN_LUMA: f32 = 235.0;
const GLARE_MAX_CHROMA: u8 = 30;
/// A red-eye pixel: red well above green and blue.
const RED_EYE_MIN_RED: u8 = 100;
const RED_EYE_RED_OVER_OTHERS: f32 = 2.5;
/// …and green and blue stay dark, as in a pupil (warm, bright skin has them high).
const RED_EYE_MAX_OTHERS: u8 = 90;
/// Chest pixels within this ΔE2000 of the background count as "the same colour".
const CLOTHING_CLOSE_DE: f32 = 15.0;
/// DPI tags within this of the profile's count as equal (cm-based tags round).
const DPI_TOLERANCE: f32 = 1.0;
/// Below this share of hair (not skin-hued) among the crown's person pixels the head is bald
/// or shaven, and top light is not judged from the hair.
const CROWN_MIN_HAIR_SHARE: f32 = 0.3;
/// A face can only be washed out when it is bright: below this median skin luma the contrast
/// is the skin's own (dark skin on a dim light), and exposure is judged by the other measures.
const WASHED_OUT_MIN_SKIN_LUMA: f32 = 150.0;

/// Judges `evidence` against `spec`: one finding per check, never an error. Checks that could
/// not run (the file does not decode, there is no face) are reported as skipped with why.
pub fn check(evidence: &Evidence, spec: &PhotoSpec) -> Report {
    let mut findings = file_findings(evidence, spec);
    let not_run = match &evidence.photo {
        Err(why) => NotChecked::Undecodable(why.clone()),
        Ok(photo) => {
            findings.extend(image_findings(photo, evidence, spec));
            NotChecked::NoFace
        }
    };
    // Every code of the full check appears once: what did not run is skipped, with why.
    let in_scope =
        |c: &Code| *c != Code::TooClose && (*c != Code::HeadHeight || spec.geometry.head_height_px.is_some());
    let missing: Vec<Code> =
        Code::ALL.into_iter().filter(|c| in_scope(c) && !findings.iter().any(|f| f.code == *c)).collect();
    findings.extend(missing.into_iter().map(|c| Finding::skipped(c, not_run.clone())));
    Report::new(&spec.id, findings)
}

/// Everything judged from the pixels: background, the face and what is on it, other faces.
fn image_findings(photo: &RgbImage, evidence: &Evidence, spec: &PhotoSpec) -> Vec<Finding> {
    let mut findings = Vec::new();
    let luma_plane = Plane::luma_of(photo);
    let masks = evidence.alpha.as_ref().map(Masks::new);
    let background = masks.as_ref().and_then(|m| measure::background_stats(photo, m));
    findings.extend(background_findings(photo, masks.as_ref(), background.as_ref(), spec));
    match &evidence.face {
        None => findings.push(Finding::plain(Code::FaceMissing, Verdict::Fail, Some(Side::High))),
        Some(face) => {
            findings.push(Finding::plain(Code::FaceMissing, Verdict::Pass, None));
            let head_top = face.head_top_px.unwrap_or(face.measures.head_top_in_frame.y);
            let regions = FaceRegions::new(&face.landmarks, &face.measures, head_top);
            findings.extend(geometry_findings(face, photo, spec));
            let skin = Skin::of(photo, &regions);
            // What covers the face is measured beside the rest (rayon's pool: both cores).
            let (rest, cover) = rayon::join(
                || {
                    let turned = face.measures.yaw_deg.abs() > spec.pose.max_yaw_deg;
                    let light =
                        light_findings(photo, &luma_plane, &regions, masks.as_ref(), skin.as_ref(), turned, spec);
                    let blown = light.iter().any(|f| f.code == Code::FaceOverexposed && f.verdict == Verdict::Fail);
                    let mut rest = light;
                    rest.extend(detail_findings(&luma_plane, &regions, evidence, spec));
                    rest.extend(eye_findings(photo, &regions, blown, spec));
                    rest.push(clothing_finding(photo, &regions, background.as_ref(), spec));
                    rest
                },
                || cover_findings(photo, &regions, masks.as_ref(), skin.as_ref(), spec),
            );
            findings.extend(rest);
            findings.extend(cover);
        }
    }
    let seconds =
        evidence.other_face_widths.iter().filter(|&&w| w >= spec.checks.second_face_min_relative_width).count();
    findings.push(Finding::judge(Code::FaceMultiple, 1.0 + seconds as f32, Limit::Max(1.0), Unit::Count));
    worst_per_code(findings)
}

/// A code judged by several measures (eyes closed by the lids and by what the opening shows)
/// reports the one that decided: per code the worst verdict, the first of equals.
fn worst_per_code(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        match out.iter_mut().find(|o| o.code == f.code) {
            Some(o) if f.verdict > o.verdict => *o = f,
            Some(_) => {}
            None => out.push(f),
        }
    }
    out
}

/// What covers the face or is worn with it, against the face's own skin (`cover.rs`); and the
/// pixel side of eyes closed and mouth open, which the mesh alone does not see when a patch
/// hides the eyes or a dark mouth is painted between closed lips.
fn cover_findings(
    photo: &RgbImage,
    r: &FaceRegions,
    masks: Option<&Masks>,
    skin: Option<&Skin>,
    spec: &PhotoSpec,
) -> Vec<Finding> {
    let c = &spec.checks;
    let codes = [
        Code::Headwear,
        Code::FaceOccluded,
        Code::GlassesTinted,
        Code::HairOverEyes,
        Code::EarsHidden,
        Code::Accessories,
        Code::ShouldersUneven,
    ];
    let Some(skin) = skin else {
        let why = NotChecked::FaceOutside;
        return codes.map(|code| Finding::skipped(code, why.clone())).into();
    };
    let judged = |code, value: Option<f32>, limit, unit| match value {
        Some(v) => Finding::judge(code, v, limit, unit),
        None => Finding::skipped(code, NotChecked::RegionOutside),
    };
    let measured = [
        (Code::Headwear, cover::headwear_share(photo, masks, r, skin), Limit::Max(c.headwear_max_fraction)),
        (Code::FaceOccluded, cover::lower_face_covered_share(photo, r, skin), Limit::Max(c.face_covered_max_fraction)),
        (Code::GlassesTinted, cover::under_eye_tinted_share(photo, r, skin), Limit::Max(c.glasses_tinted_max_fraction)),
        (Code::HairOverEyes, cover::brows_covered_share(photo, r, skin), Limit::Max(c.brows_covered_max_fraction)),
        (Code::EarsHidden, cover::ears_visible_share(photo, r, skin), Limit::Min(c.ears_visible_min_fraction)),
        (Code::Accessories, cover::earring_share(photo, r, skin), Limit::Max(c.jewellery_max_fraction)),
        (Code::Accessories, cover::necklace_width_share(photo, r, skin), Limit::Max(c.necklace_max_width_fraction)),
    ];
    let mut out: Vec<Finding> =
        measured.into_iter().map(|(code, value, limit)| judged(code, value, limit, Unit::Fraction)).collect();
    out.push(match masks.and_then(|m| cover::shoulder_tilt_deg(m, r)) {
        Some(t) => Finding::judge(Code::ShouldersUneven, t, Limit::Max(c.shoulders_max_tilt_deg), Unit::Deg),
        None => Finding::skipped(Code::ShouldersUneven, NotChecked::NoShoulders),
    });
    if let Some(contrast) = cover::eye_contrast(photo, r, skin) {
        out.push(Finding::judge(Code::EyesClosed, contrast, Limit::Min(c.eye_contrast_min), Unit::Ratio));
    }
    if let Some(iris) = cover::eye_dark_share(photo, r, skin) {
        out.push(Finding::judge(Code::EyesClosed, iris, Limit::Min(c.eye_iris_min_fraction), Unit::Fraction));
    }
    if let Some(sharp) = cover::eye_sharpness_ratio(photo, r) {
        out.push(Finding::judge(Code::EyesClosed, sharp, Limit::Min(c.eye_sharpness_min_ratio), Unit::Ratio));
    }
    if let Some(strands) = cover::brows_texture_ratio(photo, r) {
        out.push(Finding::judge(Code::HairOverEyes, strands, Limit::Max(c.brows_texture_max_ratio), Unit::Ratio));
    }
    if let Some(dark) = cover::mouth_dark_share(photo, r, skin) {
        out.push(Finding::judge(Code::MouthOpen, dark, Limit::Max(c.mouth_dark_max_fraction), Unit::Fraction));
    }
    out
}

fn file_findings(e: &Evidence, spec: &PhotoSpec) -> Vec<Finding> {
    let f = &e.file;
    let o = &spec.output;
    let format_ok = f.format == FileFormat::Jpeg && f.components == Some(3) && e.photo.is_ok();
    let mut out = vec![Finding::plain(
        Code::FileFormat,
        if format_ok { Verdict::Pass } else { Verdict::Fail },
        (!format_ok).then_some(Side::High),
    )];
    const KIB: f32 = 1024.0;
    out.push(Finding::judge(
        Code::FileSize,
        f.bytes as f32 / KIB,
        Limit::Window(o.file_size_bytes[0] as f32 / KIB, o.file_size_bytes[1] as f32 / KIB),
        Unit::Kib,
    ));
    let size = f.size_px.or_else(|| e.photo.as_ref().ok().map(|p| [p.width(), p.height()]));
    out.push(match size {
        Some([w, h]) => {
            let ok = (w, h) == (o.width_px, o.height_px);
            let (verdict, side) = if ok { (Verdict::Pass, None) } else { (Verdict::Fail, Some(Side::High)) };
            let mut finding = crate::i18n::checks::finding(Code::FileDimensions, verdict, None, None, Unit::Px, side);
            finding.message.zh.push_str(&format!("：{w}×{h}（应为 {}×{}）", o.width_px, o.height_px));
            finding.message.en.push_str(&format!(": {w}×{h} (must be {}×{})", o.width_px, o.height_px));
            finding.measured = Some(w as f32);
            finding
        }
        None => Finding::skipped(Code::FileDimensions, NotChecked::NoSize),
    });
    out.push(match f.dpi {
        Some(dpi) => {
            let want = f32::from(o.dpi);
            let dpi = if (dpi - want).abs() <= DPI_TOLERANCE { want } else { dpi };
            Finding::judge(Code::FileDpi, dpi, Limit::Equal(want), Unit::Dpi)
        }
        None => {
            let mut f = Finding::plain(Code::FileDpi, Verdict::Fail, Some(Side::Low));
            f.message.zh.push_str(&format!("：文件没有 DPI 标记（应为 {} dpi）", o.dpi));
            f.message.en.push_str(&format!(": the file has no DPI tag (must be {} dpi)", o.dpi));
            f
        }
    });
    out.push(match f.jpeg_quality {
        Some(q) => {
            Finding::judge(Code::JpegQuality, f32::from(q), Limit::Min(f32::from(o.jpeg_quality_min)), Unit::Quality)
        }
        None => Finding::skipped(Code::JpegQuality, NotChecked::CannotEstimate),
    });
    out
}

/// Head size and position, pose, expression: ISO/IEC 29794-5 head size, crop of the face
/// image, head pose (yaw, pitch, roll), eyes open, mouth closed.
fn geometry_findings(face: &FaceEvidence, photo: &RgbImage, spec: &PhotoSpec) -> Vec<Finding> {
    let m = &face.measures;
    let g = &spec.geometry;
    let win = |w: &crate::profile::Window| Limit::Window(w.min, w.max);
    let centre_offset = (0.5
        * (face.landmarks.points_in_frame[mesh::OVAL_SIDE[0]][0]
            + face.landmarks.points_in_frame[mesh::OVAL_SIDE[1]][0])
        - photo.width() as f32 / 2.0)
        .abs();
    let head_top = face.head_top_px.unwrap_or(m.head_top_in_frame.y);
    let mut out = vec![
        Finding::judge(Code::FaceWidth, m.face_width_px, win(&g.face_width_px), Unit::Px),
        Finding::judge(Code::HeadTopMargin, head_top, win(&g.head_top_margin_px), Unit::Px),
        Finding::judge(Code::EyeLine, m.eye_mid_in_frame.y, win(&g.eye_line_from_top_px), Unit::Px),
        Finding::judge(Code::FaceOffCenter, centre_offset, Limit::Max(g.center_tolerance_px), Unit::Px),
        Finding::judge(Code::Roll, m.roll_deg.abs(), Limit::Max(spec.pose.max_roll_deg), Unit::Deg),
        Finding::judge(Code::Yaw, m.yaw_deg.abs(), Limit::Max(spec.pose.max_yaw_deg), Unit::Deg),
        Finding::judge(Code::Pitch, m.pitch_deg.abs(), Limit::Max(spec.pose.max_pitch_deg), Unit::Deg),
        Finding::judge(
            Code::EyesClosed,
            m.eye_opening_ratio[0].min(m.eye_opening_ratio[1]),
            Limit::Min(spec.checks.eyes_open_min_ratio),
            Unit::Ratio,
        ),
        Finding::judge(
            Code::MouthOpen,
            m.mouth_opening_ratio,
            Limit::Max(spec.checks.mouth_open_max_ratio),
            Unit::Ratio,
        ),
    ];
    if let Some(hh) = &g.head_height_px {
        let chin = face.landmarks.points_in_frame[mesh::MENTON][1];
        out.push(Finding::judge(Code::HeadHeight, chin - head_top, win(hh), Unit::Px));
    }
    out
}

/// Light on the face: ISO/IEC 29794-5 illumination uniformity (the face split at its
/// symmetry line, the halves compared), luminance mean, over-exposure prevention; plus the
/// washed-out hair of an overhead light that the notices ask about.
///
/// A head `turned` past the pose limit shows its far cheek at a slant, darker under any
/// frontal light (a cheek patch facing 20° aside gets cos 33° / cos 7° ≈ 0.85 of its twin's
/// light at 13° of turn, by Lambert's law): its balance is judged once the face is square to
/// the camera, as the yaw finding asks.
fn light_findings(
    photo: &RgbImage,
    y: &Plane,
    r: &FaceRegions,
    masks: Option<&Masks>,
    skin_model: Option<&Skin>,
    turned: bool,
    spec: &PhotoSpec,
) -> Vec<Finding> {
    let c = &spec.checks;
    let skin = y.values_in(&r.skin());
    let Some(face_mean) = measure::mean(&skin) else {
        let why = NotChecked::FaceOutside;
        return [Code::LightingUneven, Code::TopLight, Code::FaceOverexposed, Code::FaceUnderexposed]
            .map(|code| Finding::skipped(code, why.clone()))
            .into();
    };
    // Luma of the pixels in `boxes` (every other one each way) that are on the person and are
    // (or are not) skin; for the hair, "skin" is any skin-hued pixel however bright (a bald crown).
    let lumas = |boxes: &[measure::PixelBox], want_skin: Option<bool>| -> Vec<f32> {
        boxes
            .iter()
            .flat_map(|b| {
                let (xs, ys) = b.clip(y.w, y.h);
                ys.step_by(2).flat_map(move |yy| xs.clone().step_by(2).map(move |xx| (xx, yy)))
            })
            .filter(|&(xx, yy)| masks.is_none_or(|m| m.alpha[yy * m.w + xx] >= cover::SOLID_PERSON_ALPHA))
            .filter(|&(xx, yy)| match (want_skin, skin_model) {
                (Some(true), Some(model)) => model.is_skin_rgb(photo.get_pixel(xx as u32, yy as u32).0),
                (Some(false), Some(model)) => !model.is_skin_hued_rgb(photo.get_pixel(xx as u32, yy as u32).0),
                _ => true,
            })
            .map(|(xx, yy)| y.data[yy * y.w + xx])
            .collect()
    };
    // Each side's skin only (hair over a temple or a hand on a cheek is not the light), by its
    // median (the nose's own shadow on the near cheek is a minority of the side).
    let side = |b: &[measure::PixelBox]| measure::median(&lumas(b, Some(true))).unwrap_or(face_mean);
    let (right, left) = (side(&r.right_side), side(&r.left_side));
    let balance = right.min(left) / right.max(left).max(1.0);
    // The hair at the crown, and the same hair beside the face. A crown that is mostly skin
    // (bald, shaven) has no hair to wash out: its few non-skin pixels are the scalp's shine.
    let hair_at = |boxes: &[measure::PixelBox]| {
        let v = lumas(boxes, Some(false));
        let on_person = lumas(boxes, None).len();
        (v.len() >= 12 && v.len() as f32 >= CROWN_MIN_HAIR_SHARE * on_person as f32)
            .then(|| measure::mean(&v))
            .flatten()
    };
    let crown = hair_at(&[r.crown]);
    let beside = hair_at(&[r.temples[0], r.temples[1], r.side_hair[0], r.side_hair[1]]);
    let clipped = skin.iter().filter(|&&v| v >= CLIPPED_LUMA).count() as f32 / skin.len() as f32;
    let mut washed = None;
    if measure::median(&skin).is_some_and(|m| m >= WASHED_OUT_MIN_SKIN_LUMA) {
        washed = measure::spread(&y.values_in(&[r.inner]), 0.05, 0.95)
            .map(|s| Finding::judge(Code::FaceOverexposed, s, Limit::Min(c.face_contrast_min_luma), Unit::Luma));
    }
    let top_light = match (crown, beside) {
        // Light or white hair is as bright beside the face as at the crown: that is its colour.
        (Some(top), Some(side)) if top - side <= c.top_light_max_rise_luma => crate::i18n::checks::finding(
            Code::TopLight,
            Verdict::Pass,
            Some(top),
            Some(Limit::Max(c.hair_max_luma)),
            Unit::Luma,
            None,
        ),
        (Some(top), _) => Finding::judge(Code::TopLight, top, Limit::Max(c.hair_max_luma), Unit::Luma),
        (None, _) => Finding::skipped(Code::TopLight, NotChecked::NoHair),
    };
    let uneven = if turned {
        Finding::skipped(Code::LightingUneven, NotChecked::HeadTurned)
    } else {
        Finding::judge(Code::LightingUneven, balance, Limit::Min(c.lighting_balance_min), Unit::Ratio)
    };
    vec![
        uneven,
        top_light,
        Finding::judge(Code::FaceOverexposed, clipped, Limit::Max(c.face_clipped_max_fraction), Unit::Fraction),
        Finding::judge(Code::FaceUnderexposed, face_mean, Limit::Min(c.face_luma_min), Unit::Luma),
    ]
    .into_iter()
    .chain(washed)
    .collect()
}

/// Detail: sharpness (edge width), smoothed skin (texture where the edges are sharp), a
/// screen or print photographed again (moiré), and the enlargement from the source.
fn detail_findings(y: &Plane, r: &FaceRegions, e: &Evidence, spec: &PhotoSpec) -> Vec<Finding> {
    let c = &spec.checks;
    let mut out = Vec::new();
    let edge = measure::edge_width_px(y, r.inner);
    out.push(match edge {
        Some(w) => Finding::judge(Code::Blur, w, Limit::Max(c.edge_width_max_px), Unit::Px),
        None => Finding::skipped(Code::Blur, NotChecked::NoEdges),
    });
    let sharp = edge.is_some_and(|w| w <= c.edge_width_max_px);
    // Skin detail relative to the detail around the eyes (lashes, iris, brows): a soft lens
    // lowers both, a beauty filter only the skin.
    let skin = measure::texture_rms(y, &[r.lower[0], r.lower[1], r.forehead]);
    let eyes = measure::texture_rms(y, &r.lenses);
    let ratio = skin.zip(eyes).filter(|&(_, e)| e > 0.0).map(|(s, e)| s / e);
    out.push(match (ratio, sharp) {
        (Some(t), true) => Finding::judge(Code::Retouched, t, Limit::Min(c.skin_texture_min), Unit::Ratio),
        (Some(_), false) => Finding::skipped(Code::Retouched, NotChecked::Blurred),
        (None, _) => Finding::skipped(Code::Retouched, NotChecked::FaceOutside),
    });
    out.push(match measure::moire_concentration(y, &r.texture_centres) {
        Some(share) => {
            Finding::judge(Code::Rephotographed, share, Limit::Max(c.moire_max_concentration), Unit::Fraction)
        }
        None => Finding::skipped(Code::Rephotographed, NotChecked::TooLittleDetail),
    });
    out.push(match e.source_upscale {
        Some(s) => {
            let mut f = Finding::judge(Code::SourceResolution, s, Limit::Max(c.source_upscale_max), Unit::Ratio);
            if f.verdict == Verdict::Pass && s > c.source_upscale_warn {
                f = crate::i18n::checks::finding(
                    Code::SourceResolution,
                    Verdict::Warn,
                    Some(s),
                    f.limit,
                    Unit::Ratio,
                    Some(Side::High),
                );
            }
            f
        }
        None => Finding::skipped(Code::SourceResolution, NotChecked::SourceUnknown),
    });
    out
}

/// Glare on glasses and red-eye, from the lens boxes and pupil discs. On a face that is
/// blown out already, white around the eyes is the exposure, not the glasses: glare is then
/// not judged (the exposure finding says what to fix).
fn eye_findings(photo: &RgbImage, r: &FaceRegions, face_blown: bool, spec: &PhotoSpec) -> Vec<Finding> {
    let c = &spec.checks;
    let glare = r
        .lenses
        .iter()
        .filter_map(|&b| {
            measure::share_where(photo, b, |_, _, [red, g, bl]| {
                Some(
                    luma([red, g, bl]) >= GLARE_MIN_LUMA && red.max(g).max(bl) - red.min(g).min(bl) <= GLARE_MAX_CHROMA,
                )
            })
        })
        .fold(0.0f32, f32::max);
    let red = r
        .pupils
        .iter()
        .map(|&(centre, radius)| {
            let b = measure::PixelBox::around(centre.x, centre.y, radius, radius);
            measure::share_where(photo, b, |x, y, [red, g, bl]| {
                let inside = (x - centre.x).hypot(y - centre.y) <= radius;
                inside.then(|| {
                    red >= RED_EYE_MIN_RED
                        && g.max(bl) <= RED_EYE_MAX_OTHERS
                        && f32::from(red) > RED_EYE_RED_OVER_OTHERS * f32::from(g)
                        && f32::from(red) > RED_EYE_RED_OVER_OTHERS * f32::from(bl)
                })
            })
            .unwrap_or(0.0)
        })
        .fold(0.0f32, f32::max);
    let glare = if face_blown {
        Finding::skipped(Code::GlassesGlare, NotChecked::Overexposed)
    } else {
        Finding::judge(Code::GlassesGlare, glare, Limit::Max(c.glare_max_fraction), Unit::Fraction)
    };
    vec![glare, Finding::judge(Code::RedEye, red, Limit::Max(c.red_eye_max_fraction), Unit::Fraction)]
}

/// Background colour and evenness far from the person, and the halo at its outline.
fn background_findings(
    photo: &RgbImage,
    masks: Option<&Masks>,
    stats: Option<&measure::BackgroundStats>,
    spec: &PhotoSpec,
) -> Vec<Finding> {
    let c = &spec.checks;
    let no_bg = |code| Finding::skipped(code, NotChecked::NoBackground);
    let (Some(masks), Some(stats)) = (masks, stats) else {
        return vec![no_bg(Code::BackgroundColor), no_bg(Code::BackgroundUneven), no_bg(Code::MatteHalo)];
    };
    let want = srgb_to_lab(spec.output.background_rgb);
    let colour_de = crate::imaging::colour::delta_e2000(stats.median_lab, want);
    vec![
        Finding::judge(Code::BackgroundColor, colour_de, Limit::Max(c.background_color_max_de), Unit::DeltaE),
        Finding::judge(Code::BackgroundUneven, stats.spread_p95, Limit::Max(c.background_spread_max_de), Unit::DeltaE),
        match measure::halo_de(photo, masks, stats.median_lab) {
            Some(h) => Finding::judge(Code::MatteHalo, h, Limit::Max(c.halo_max_de), Unit::DeltaE),
            None => no_bg(Code::MatteHalo),
        },
    ]
}

/// The top against the background (the notices: "穿与背景颜色有反差的衣服").
fn clothing_finding(
    photo: &RgbImage,
    r: &FaceRegions,
    background: Option<&measure::BackgroundStats>,
    spec: &PhotoSpec,
) -> Finding {
    let background = background.map_or_else(|| srgb_to_lab(spec.output.background_rgb), |s| s.median_lab);
    match measure::share_close_to(photo, r.chest, background, CLOTHING_CLOSE_DE) {
        Some(share) => Finding::judge(
            Code::ClothingContrast,
            share,
            Limit::Max(spec.checks.clothing_close_max_fraction),
            Unit::Fraction,
        ),
        None => Finding::skipped(Code::ClothingContrast, NotChecked::NoTop),
    }
}
