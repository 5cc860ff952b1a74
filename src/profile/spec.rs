//! The checked photo specification ([`PhotoSpec`]) and the validation that produces it.
//!
//! Every window is in the output photo's pixel space, measured from its top-left corner.

use serde::Serialize;

use super::ProfileProblem;
use super::raw::RawProfile;

/// A closed interval `[min, max]`, e.g. the eye-line window of a profile.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Window {
    /// Lower bound, inclusive.
    pub min: f32,
    /// Upper bound, inclusive.
    pub max: f32,
}

impl Window {
    /// The midpoint, which the crop aims for.
    pub fn centre(&self) -> f32 {
        0.5 * (self.min + self.max)
    }

    /// Half the width of the window; the crop solver weighs targets by it.
    pub fn half_width(&self) -> f32 {
        0.5 * (self.max - self.min)
    }

    /// Whether `value` lies inside, bounds included.
    pub fn contains(&self, value: f32) -> bool {
        value >= self.min && value <= self.max
    }

    /// `value` moved into the window.
    pub fn clamp(&self, value: f32) -> f32 {
        value.clamp(self.min, self.max)
    }
}

/// How exported photo files are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileNameRule {
    /// `<学号>.jpg`
    StudentNo,
    /// `<身份证号>.jpg`
    IdNumber,
    /// The SHA-256 of the capture code, for encrypted CHSI codes.
    CodeDigest,
}

/// The encoded file: size, resolution tag, compression and background.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutputSpec {
    /// Photo width in pixels.
    pub width_px: u32,
    /// Photo height in pixels.
    pub height_px: u32,
    /// Resolution written into the JFIF header.
    pub dpi: u16,
    /// The lowest JPEG quality factor the encoder may use.
    pub jpeg_quality_min: u8,
    /// Accepted file size, in bytes (the TOML gives KiB: Windows shows 1 KB = 1024 bytes).
    pub file_size_bytes: [u64; 2],
    /// Background colour, sRGB.
    pub background_rgb: [u8; 3],
    /// How exported files are named.
    pub file_name: FileNameRule,
}

/// Where the head must sit in the output photo.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeometrySpec {
    /// Top of the hair to the top edge.
    pub head_top_margin_px: Window,
    /// Eye line (midpoint of the two eye centres) to the top edge.
    pub eye_line_from_top_px: Window,
    /// Face width, cheek to cheek, at eye height.
    pub face_width_px: Window,
    /// Chin to crown, where the standard gives it (ICAO).
    pub head_height_px: Option<Window>,
    /// Largest horizontal offset of the face midline from the photo's centre line.
    pub center_tolerance_px: f32,
}

/// Largest head rotations accepted, in degrees.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoseLimits {
    /// In-plane tilt of the eye line.
    pub max_roll_deg: f32,
    /// Head turned left or right.
    pub max_yaw_deg: f32,
    /// Head nodding up or down.
    pub max_pitch_deg: f32,
}

/// The paper print.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrintSpec {
    /// Printed photo width in millimetres.
    pub width_mm: f32,
    /// Printed photo height in millimetres.
    pub height_mm: f32,
    /// Copies per student.
    pub copies: u32,
}

/// The most copies per student a profile or a print command may ask for.
pub const MAX_COPIES: u32 = 50;

/// Thresholds of the quality checks that are not geometry windows. A profile's `[checks]`
/// table may set any of them; the rest keep [`CheckThresholds::DEFAULT`]. Where each default
/// comes from is said on the field; the measured spread on clean photos is in
/// `src/quality/README.md`.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckThresholds {
    /// Above this upscale factor from source to output the source is reported as too small.
    pub source_upscale_warn: f32,
    /// Above this upscale factor standardizing refuses: the face is too small to reach the size.
    pub source_upscale_max: f32,
    /// Eye opening (lid gap over eye width) below which the eyes count as closed.
    pub eyes_open_min_ratio: f32,
    /// Lip gap over mouth width above which the mouth counts as open.
    pub mouth_open_max_ratio: f32,
    /// A second face at least this wide (relative to the main face) fails the photo.
    pub second_face_min_relative_width: f32,
    /// Mean face luma (0–255) below which the face is under-exposed.
    pub face_luma_min: f32,
    /// Fraction of face pixels clipped white (luma ≥ 250) above which it is over-exposed.
    pub face_clipped_max_fraction: f32,
    /// Darker face half over brighter face half (mean luma) below which the light is uneven.
    pub lighting_balance_min: f32,
    /// Mean luma (0–255) of the hair at the crown above which an overhead light has washed
    /// the hair out (the notices' 顶光); dark hair reads 30–80.
    pub hair_max_luma: f32,
    /// …unless the same hair beside the face is at most this much darker (mean luma): light,
    /// grey or white hair is bright all over, an overhead light brightens only the top.
    pub top_light_max_rise_luma: f32,
    /// Mean width of the face's strong edges (px, 10–90 % rise) above which the photo is blurred.
    pub edge_width_max_px: f32,
    /// Fine detail on cheeks and forehead relative to the fine detail around the eyes, below
    /// which the skin has been smoothed (a beauty filter), provided the edges are sharp.
    pub skin_texture_min: f32,
    /// Share of a patch's fine-detail energy in one spatial frequency above which the photo
    /// shows a screen or print raster (moiré).
    pub moire_max_concentration: f32,
    /// 95th percentile ΔE2000 of the background from its median above which it is uneven.
    pub background_spread_max_de: f32,
    /// ΔE2000 between the background's median and the profile colour above which it is wrong.
    pub background_color_max_de: f32,
    /// Mean ΔE2000 of the background's ring next to the person above which there is a halo.
    pub halo_max_de: f32,
    /// Share of the chest area within ΔE2000 15 of the background colour above which the top
    /// blends into the background.
    pub clothing_close_max_fraction: f32,
    /// Share of an eye's lens area that is specular white above which glasses glare.
    pub glare_max_fraction: f32,
    /// Share of a pupil disc that is saturated red above which the eye shows red-eye.
    pub red_eye_max_fraction: f32,
    /// Luma spread (5th to 95th percentile) across the inner face below which a face is
    /// washed out (lifted towards white: no clipped pixels, but no contrast left either).
    pub face_contrast_min_luma: f32,
    /// Luma spread inside each eye opening, over the skin's luma, below which the eye cannot be
    /// seen (closed, covered, blurred or behind a dark lens).
    pub eye_contrast_min: f32,
    /// Share of each eye opening darker than 55 % of the skin (iris, pupil) below which the eye
    /// is closed or squeezed shut (the mesh's lids read open on some closed eyes).
    pub eye_iris_min_fraction: f32,
    /// Fine texture inside each eye opening over that of its brow, below which the eye is
    /// blurred or covered (lashes and the iris' rim make an open eye as detailed as its brow).
    pub eye_sharpness_min_ratio: f32,
    /// Share of the lips' box darker than 30 % of the skin above which the mouth is open.
    pub mouth_dark_max_fraction: f32,
    /// Share of the crown that is neither skin nor the student's hair above which something is
    /// worn on the head (hat, cap, headband).
    pub headwear_max_fraction: f32,
    /// Share of the strips just above the brows that is not skin above which hair covers them.
    pub brows_covered_max_fraction: f32,
    /// Fine texture of the strips just above the brows over that of the cheeks, above which
    /// strands of hair cover the brows (light-brown bangs have the skin's colour, not its
    /// smoothness).
    pub brows_texture_max_ratio: f32,
    /// Share of skin in the box beside each cheek below which that ear is hidden.
    pub ears_visible_min_fraction: f32,
    /// Share of the skin just under the eyes (inside a lens) that is not the face's skin, above
    /// which the lenses are tinted or dark.
    pub glasses_tinted_max_fraction: f32,
    /// Share of the lower face (lips left out) that is not skin above which it is covered.
    pub face_covered_max_fraction: f32,
    /// Share of an ear lobe's box that is an earring above which earrings are worn.
    pub jewellery_max_fraction: f32,
    /// Share of the neck's width across which a necklace shows above which one is worn.
    pub necklace_max_width_fraction: f32,
    /// Slope between the two shoulders' outline, degrees, above which they are not level.
    pub shoulders_max_tilt_deg: f32,
}

impl Default for CheckThresholds {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl CheckThresholds {
    /// Defaults for keys a profile leaves out.
    ///
    /// Eye and mouth ratios: FaceMesh measured 0.23–0.39 on open eyes and 0.01–0.06 on closed
    /// mouths, ≥ 0.18 on open ones (shared/models/README.md); the limits sit between.
    /// Upscale: up to 1.5× a Lanczos upscale still looks sharp at 480×640; past 3× the result
    /// is the blurred full-body shot the notices reject (问题七).
    /// Image measures: set between the clean photos' worst value and the first degradation
    /// strength a reviewer rejects, on the generated evaluation set (`tucai eval`).
    pub const DEFAULT: CheckThresholds = CheckThresholds {
        source_upscale_warn: 1.5,
        source_upscale_max: 3.0,
        eyes_open_min_ratio: 0.15,
        mouth_open_max_ratio: 0.12,
        second_face_min_relative_width: 0.3,
        face_luma_min: 80.0,
        face_clipped_max_fraction: 0.05,
        lighting_balance_min: 0.8,
        hair_max_luma: 165.0,
        top_light_max_rise_luma: 45.0,
        edge_width_max_px: 7.5,
        skin_texture_min: 0.16,
        moire_max_concentration: 0.15,
        background_spread_max_de: 4.0,
        background_color_max_de: 8.0,
        halo_max_de: 12.0,
        clothing_close_max_fraction: 0.15,
        glare_max_fraction: 0.05,
        red_eye_max_fraction: 0.3,
        face_contrast_min_luma: 85.0,
        eye_contrast_min: 0.2,
        eye_iris_min_fraction: 0.3,
        eye_sharpness_min_ratio: 0.55,
        mouth_dark_max_fraction: 0.25,
        headwear_max_fraction: 0.45,
        brows_covered_max_fraction: 0.75,
        brows_texture_max_ratio: 5.0,
        ears_visible_min_fraction: 0.12,
        glasses_tinted_max_fraction: 0.75,
        face_covered_max_fraction: 0.6,
        jewellery_max_fraction: 0.04,
        necklace_max_width_fraction: 0.35,
        shoulders_max_tilt_deg: 10.0,
    };
}

/// The retake policy (the provincial system's, seed 003): repeated failed checks start a
/// cool-down, repeated failures to make a photo at all lock the student until the next day.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetakePolicy {
    /// Failed checks in a row that start a cool-down.
    pub failed_checks_before_cooldown: u32,
    /// Length of the cool-down.
    pub cooldown_minutes: u32,
    /// Attempts in one day that made no photo (no face, several faces, too far) before the
    /// student is locked until the next day.
    pub failures_before_lock: u32,
    /// Drafts kept per student; older ones are superseded (their bytes stay in the store).
    pub max_drafts: u32,
}

impl Default for RetakePolicy {
    fn default() -> Self {
        RetakePolicy { failed_checks_before_cooldown: 3, cooldown_minutes: 10, failures_before_lock: 5, max_drafts: 5 }
    }
}

/// How the booth's shutter works: a short burst, of which the best frame is kept (eyes open,
/// mouth closed, sharp, level), so that a blink at the moment of the shot is never the photo.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BurstPolicy {
    /// Frames taken per shot (1 = a single frame).
    pub frames: u32,
    /// Time over which they are taken, milliseconds (a blink lasts 100–400 ms).
    pub span_ms: u32,
}

impl Default for BurstPolicy {
    fn default() -> Self {
        BurstPolicy { frames: 5, span_ms: 400 }
    }
}

/// How capture codes are read. A code matching `card_pattern` is clear text (our capture
/// cards, a campus card) and names the student through its named groups (`student_no`,
/// optionally `name`); any other code is taken as an encrypted CHSI image-capture code, kept
/// verbatim as the student's key, and bound after the student is found by number or name and
/// confirmed with the last four ID digits.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CodeRule {
    /// Regular expression with a `student_no` group (and optionally `name`).
    pub card_pattern: String,
}

impl Default for CodeRule {
    fn default() -> Self {
        CodeRule { card_pattern: r"^TUCAI1\|(?P<student_no>[^|]+)\|(?P<name>[^|]*)$".into() }
    }
}

/// What an export batch carries of the students (`[export]` in a profile).
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExportPolicy {
    /// The ID number in the manifest: `masked` (the default: 110***********002X), `full`, or
    /// `none`. A profile that names files by ID number always carries it whole.
    pub id_number: IdInManifest,
    /// Days after an export after which an admin is reminded to purge (`tucai purge`); none: no reminder.
    pub retention_days: Option<u32>,
}

/// How much of the ID number a manifest holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdInManifest {
    /// The whole number (the upload matches on it).
    Full,
    /// The first three and last four characters.
    #[default]
    Masked,
    /// Not at all.
    None,
}

impl PhotoSpec {
    /// How much of the ID number this profile's manifests hold: whole when files are named by it.
    pub fn id_in_manifest(&self) -> IdInManifest {
        match self.output.file_name {
            FileNameRule::IdNumber => IdInManifest::Full,
            _ => self.export.id_number,
        }
    }
}

/// A validated photo profile: everything the pipeline and the checks need to know.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhotoSpec {
    /// Stable identifier, e.g. `chsi-graduate`.
    pub id: String,
    /// Chinese display name.
    pub name_zh: String,
    /// English display name.
    pub name_en: String,
    /// The standard the numbers come from.
    pub standard: String,
    /// The encoded file.
    pub output: OutputSpec,
    /// Head placement.
    pub geometry: GeometrySpec,
    /// Pose limits.
    pub pose: PoseLimits,
    /// Paper print.
    pub print: PrintSpec,
    /// Check thresholds.
    pub checks: CheckThresholds,
    /// When a student may be photographed again.
    pub retake: RetakePolicy,
    /// The shutter's burst.
    pub burst: BurstPolicy,
    /// How capture codes are read.
    pub codes: CodeRule,
    /// What export batches carry of the students.
    pub export: ExportPolicy,
}

/// Collects problems so that one run reports every bad key of a file, not just the first.
struct Problems(Vec<ProfileProblem>);

impl Problems {
    fn check(&mut self, ok: bool, key: &str, problem: impl FnOnce() -> String) {
        if !ok {
            self.0.push(ProfileProblem { key: key.to_owned(), problem: problem() });
        }
    }

    fn window(&mut self, key: &str, raw: [f32; 2], limit: f32) -> Window {
        let [min, max] = raw;
        self.check(min.is_finite() && max.is_finite(), key, || "must be numbers".into());
        self.check(min <= max, key, || format!("window is inverted: [{min}, {max}] (write [low, high])"));
        self.check(min >= 0.0, key, || format!("lower bound {min} is negative"));
        self.check(max <= limit, key, || format!("upper bound {max} lies outside the {limit} px photo"));
        Window { min, max }
    }
}

const MM_PER_INCH: f32 = 25.4;
const ID_CHARS: &str = "lowercase letters, digits and '-'";

impl PhotoSpec {
    pub(super) fn from_raw(raw: RawProfile) -> Result<PhotoSpec, Vec<ProfileProblem>> {
        let mut p = Problems(Vec::new());
        let o = &raw.output;
        let id_ok = !raw.profile.id.is_empty()
            && raw.profile.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        p.check(id_ok, "profile.id", || format!("'{}' must be {ID_CHARS}", raw.profile.id));
        p.check((16..=10_000).contains(&o.width_px), "output.width_px", || {
            format!("{} is not a photo width (16–10000)", o.width_px)
        });
        p.check((16..=10_000).contains(&o.height_px), "output.height_px", || {
            format!("{} is not a photo height (16–10000)", o.height_px)
        });
        p.check((72..=1200).contains(&o.dpi), "output.dpi", || format!("{} dpi is outside 72–1200", o.dpi));
        p.check((1..=100).contains(&o.jpeg_quality_min), "output.jpeg_quality_min", || {
            format!("{} is not a JPEG quality (1–100)", o.jpeg_quality_min)
        });
        let [kib_min, kib_max] = o.file_size_kib;
        p.check(kib_min > 0.0 && kib_min <= kib_max, "output.file_size_kib", || {
            format!("[{kib_min}, {kib_max}] must be positive and low ≤ high")
        });
        let file_name = match o.file_name.as_str() {
            "student_no" => FileNameRule::StudentNo,
            "id_number" => FileNameRule::IdNumber,
            "code_digest" => FileNameRule::CodeDigest,
            other => {
                p.check(false, "output.file_name", || {
                    format!("'{other}' is not one of student_no, id_number, code_digest")
                });
                FileNameRule::StudentNo
            }
        };

        let (w, h) = (o.width_px as f32, o.height_px as f32);
        let g = &raw.geometry;
        let head_top = p.window("geometry.head_top_margin_px", g.head_top_margin_px, h);
        let eye_line = p.window("geometry.eye_line_from_top_px", g.eye_line_from_top_px, h);
        let face_width = p.window("geometry.face_width_px", g.face_width_px, w);
        let head_height = g.head_height_px.map(|hh| p.window("geometry.head_height_px", hh, h));
        p.check(head_top.max < eye_line.min, "geometry.eye_line_from_top_px", || {
            format!("the eye line ({}) must lie below the head top ({}): no head fits", eye_line.min, head_top.max)
        });
        p.check(
            g.center_tolerance_px >= 0.0 && g.center_tolerance_px < w / 2.0,
            "geometry.center_tolerance_px",
            || format!("{} must be between 0 and half the width", g.center_tolerance_px),
        );

        let pose = &raw.pose;
        for (key, deg) in [
            ("pose.max_roll_deg", pose.max_roll_deg),
            ("pose.max_yaw_deg", pose.max_yaw_deg),
            ("pose.max_pitch_deg", pose.max_pitch_deg),
        ] {
            p.check(deg > 0.0 && deg <= 45.0, key, || format!("{deg}° is outside 0–45°"));
        }
        let pr = &raw.print;
        p.check(pr.width_mm > 5.0 && pr.width_mm <= 200.0, "print.width_mm", || {
            format!("{} mm is not a print width (5–200)", pr.width_mm)
        });
        p.check(pr.height_mm > 5.0 && pr.height_mm <= 300.0, "print.height_mm", || {
            format!("{} mm is not a print height (5–300)", pr.height_mm)
        });
        p.check((1..=MAX_COPIES).contains(&pr.copies), "print.copies", || {
            format!("{} copies is outside 1–{MAX_COPIES}", pr.copies)
        });
        // A print must not need more pixels than the photo has at the profile's own resolution
        // (one pixel of slack for rounding: 26 mm at 350 dpi is 358.3 px on a 358 px photo).
        let print_px = pr.width_mm / MM_PER_INCH * f32::from(o.dpi);
        p.check(print_px <= w + 1.0, "print.width_mm", || {
            format!("{} mm at {} dpi needs {print_px:.0} px but the photo is {w} px wide", pr.width_mm, o.dpi)
        });

        let c = &raw.checks;
        p.check(
            c.source_upscale_warn >= 1.0 && c.source_upscale_warn <= c.source_upscale_max,
            "checks.source_upscale_warn",
            || format!("{} must be ≥ 1 and ≤ source_upscale_max ({})", c.source_upscale_warn, c.source_upscale_max),
        );
        let fractions = [
            ("eyes_open_min_ratio", c.eyes_open_min_ratio),
            ("mouth_open_max_ratio", c.mouth_open_max_ratio),
            ("second_face_min_relative_width", c.second_face_min_relative_width),
            ("face_clipped_max_fraction", c.face_clipped_max_fraction),
            ("lighting_balance_min", c.lighting_balance_min),
            ("moire_max_concentration", c.moire_max_concentration),
            ("clothing_close_max_fraction", c.clothing_close_max_fraction),
            ("glare_max_fraction", c.glare_max_fraction),
            ("red_eye_max_fraction", c.red_eye_max_fraction),
            ("skin_texture_min", c.skin_texture_min),
            ("eye_contrast_min", c.eye_contrast_min),
            ("eye_iris_min_fraction", c.eye_iris_min_fraction),
            ("mouth_dark_max_fraction", c.mouth_dark_max_fraction),
            ("headwear_max_fraction", c.headwear_max_fraction),
            ("brows_covered_max_fraction", c.brows_covered_max_fraction),
            ("ears_visible_min_fraction", c.ears_visible_min_fraction),
            ("face_covered_max_fraction", c.face_covered_max_fraction),
            ("jewellery_max_fraction", c.jewellery_max_fraction),
            ("necklace_max_width_fraction", c.necklace_max_width_fraction),
            ("glasses_tinted_max_fraction", c.glasses_tinted_max_fraction),
        ];
        for (key, value) in fractions {
            p.check(value > 0.0 && value <= 1.0, &format!("checks.{key}"), || format!("{value} is outside 0–1"));
        }
        let positive = [
            ("face_luma_min", c.face_luma_min),
            ("hair_max_luma", c.hair_max_luma),
            ("top_light_max_rise_luma", c.top_light_max_rise_luma),
            ("edge_width_max_px", c.edge_width_max_px),
            ("background_spread_max_de", c.background_spread_max_de),
            ("background_color_max_de", c.background_color_max_de),
            ("halo_max_de", c.halo_max_de),
            ("face_contrast_min_luma", c.face_contrast_min_luma),
            ("shoulders_max_tilt_deg", c.shoulders_max_tilt_deg),
            ("brows_texture_max_ratio", c.brows_texture_max_ratio),
            ("eye_sharpness_min_ratio", c.eye_sharpness_min_ratio),
        ];
        for (key, value) in positive {
            p.check(value.is_finite() && value > 0.0, &format!("checks.{key}"), || {
                format!("{value} must be a positive number")
            });
        }
        p.check(c.face_luma_min < 255.0, "checks.face_luma_min", || {
            format!("{} is not a luma (0–255)", c.face_luma_min)
        });

        let r = &raw.retake;
        p.check(r.failed_checks_before_cooldown >= 1, "retake.failed_checks_before_cooldown", || {
            "must be at least 1".into()
        });
        p.check(r.failures_before_lock >= 1, "retake.failures_before_lock", || "must be at least 1".into());
        p.check(r.max_drafts >= 1, "retake.max_drafts", || "must be at least 1".into());
        let b = &raw.burst;
        p.check((1..=30).contains(&b.frames), "burst.frames", || format!("{} is not 1–30 frames", b.frames));
        p.check(b.span_ms <= 3000, "burst.span_ms", || format!("{} ms is longer than 3 s", b.span_ms));
        match regex_lite::Regex::new(&raw.codes.card_pattern) {
            Ok(re) => p.check(re.capture_names().flatten().any(|n| n == "student_no"), "codes.card_pattern", || {
                "needs a named group (?P<student_no>...)".into()
            }),
            Err(e) => p.check(false, "codes.card_pattern", || format!("is not a regular expression: {e}")),
        }
        if !p.0.is_empty() {
            return Err(p.0);
        }
        const BYTES_PER_KIB: f64 = 1024.0;
        Ok(PhotoSpec {
            id: raw.profile.id,
            name_zh: raw.profile.name_zh,
            name_en: raw.profile.name_en,
            standard: raw.profile.standard,
            output: OutputSpec {
                width_px: o.width_px,
                height_px: o.height_px,
                dpi: o.dpi,
                jpeg_quality_min: o.jpeg_quality_min,
                file_size_bytes: [(kib_min * BYTES_PER_KIB).round() as u64, (kib_max * BYTES_PER_KIB).round() as u64],
                background_rgb: o.background_rgb,
                file_name,
            },
            geometry: GeometrySpec {
                head_top_margin_px: head_top,
                eye_line_from_top_px: eye_line,
                face_width_px: face_width,
                head_height_px: head_height,
                center_tolerance_px: g.center_tolerance_px,
            },
            pose: PoseLimits {
                max_roll_deg: pose.max_roll_deg,
                max_yaw_deg: pose.max_yaw_deg,
                max_pitch_deg: pose.max_pitch_deg,
            },
            print: PrintSpec { width_mm: pr.width_mm, height_mm: pr.height_mm, copies: pr.copies },
            checks: raw.checks,
            retake: raw.retake,
            burst: raw.burst,
            codes: raw.codes,
            export: raw.export,
        })
    }
}
