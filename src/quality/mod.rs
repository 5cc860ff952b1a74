//! The checks: a photo (and, when it came through our pipeline, its analysis) → a [`Report`]
//! with one [`Finding`] per check: a stable [`Code`], pass / warn / fail, the measured value
//! and its limit, and a Chinese and an English message with a fix in plain words.
//!
//! Checks never abort: what can't be measured is `skipped` with the reason. Thresholds come
//! from the profile (`[checks]`, geometry windows, pose limits, output). Two speeds:
//! [`Evidence`] + [`check`] judge a finished photo file; [`live`] judges a preview frame for the booth's
//! hints. `eval` makes the labelled degraded set and scores the checks on it.
//!
//! Not here: making the photo (`imaging/`), storing reports (`store/`).

mod checks;
mod cover;
pub mod eval;
mod face;
pub mod file;
mod inspect;
pub mod live;
mod measure;

use serde::Serialize;

pub use checks::check;
pub use face::draw_regions;
pub use inspect::{Evidence, FaceEvidence};

use crate::i18n::Lang;

/// Luma (BT.709 weights) of one pixel, rounded to a byte: for decoders that want grey.
pub fn luma_u8(rgb: [u8; 3]) -> u8 {
    measure::luma(rgb).round().clamp(0.0, 255.0) as u8
}

/// What the reviewers reject, one code per reason. The declaration order is the order of
/// causes: a finding earlier in the list can explain later ones (a shrunk head moves the
/// eye line; a screen photo is also blurred), so failures are listed in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// Not a JPEG, or not a colour JPEG that decodes.
    FileFormat,
    /// Pixel size differs from the profile.
    FileDimensions,
    /// No face.
    FaceMissing,
    /// More than one face.
    FaceMultiple,
    /// A photo of a screen or a print (moiré, raster).
    Rephotographed,
    /// The face was enlarged from too few pixels (the full-body shot).
    SourceResolution,
    /// JPEG quality factor below the profile's floor.
    JpegQuality,
    /// Out of focus or shaken.
    Blur,
    /// Face too bright: highlights clipped or the face washed out. Before what covers the
    /// face: a face without skin colour left hides what is on it.
    FaceOverexposed,
    /// Head tilted in the image plane. Before what covers the face: the regions looked at are
    /// upright boxes, and a tilted brow or cheek line crosses into them (a tilted head read as
    /// hair over the brows).
    Roll,
    /// A hat, cap or headband (不得使用头部覆盖物).
    Headwear,
    /// Something over the face: a mask, a hand, a scarf.
    FaceOccluded,
    /// Sunglasses or tinted lenses (不得戴有色眼镜).
    GlassesTinted,
    /// Hair over the brows or eyes (头发不得遮挡眉毛、眼睛).
    HairOverEyes,
    /// Skin smoothed by a beauty filter.
    Retouched,
    /// Face width out of the window (head too small or too large).
    FaceWidth,
    /// Chin to crown out of the window (profiles that give it).
    HeadHeight,
    /// Hair top to the top edge out of the window.
    HeadTopMargin,
    /// Eye line out of the window.
    EyeLine,
    /// Face not centred.
    FaceOffCenter,
    /// Head turned left or right.
    Yaw,
    /// Head nodding up or down.
    Pitch,
    /// Face too dark.
    FaceUnderexposed,
    /// One side of the face darker (阴阳脸).
    LightingUneven,
    /// Light from above: bright forehead and hair, dark chin.
    TopLight,
    /// Bright reflections on glasses.
    GlassesGlare,
    /// Red pupils from a flash.
    RedEye,
    /// Eyes closed.
    EyesClosed,
    /// Mouth open.
    MouthOpen,
    /// An ear hidden by hair (耳朵对称，头发不得遮挡耳朵).
    EarsHidden,
    /// Earrings, a necklace (不得佩戴耳环、项链等饰品).
    Accessories,
    /// Shoulders not level (左右肩膀平衡).
    ShouldersUneven,
    /// Background shadows or gradients.
    BackgroundUneven,
    /// Background colour not the profile's.
    BackgroundColor,
    /// A fringe of the old background around the person.
    MatteHalo,
    /// The top is close to the background colour.
    ClothingContrast,
    /// No or wrong resolution tag.
    FileDpi,
    /// File size out of the window.
    FileSize,
    /// Live only: the head is so close that the photo's frame falls outside the camera's.
    TooClose,
}

impl Code {
    /// Every code, in cause order. A file compressed too hard comes with the source's own
    /// defects: its blocks and ringing are read as texture, jewellery or edges by the measures
    /// after it, so it is named before them.
    pub const ALL: [Code; 39] = {
        use Code::*;
        [
            FileFormat,
            FileDimensions,
            FaceMissing,
            FaceMultiple,
            Rephotographed,
            SourceResolution,
            JpegQuality,
            Blur,
            FaceOverexposed,
            Roll,
            Headwear,
            FaceOccluded,
            GlassesTinted,
            HairOverEyes,
            Retouched,
            FaceWidth,
            HeadHeight,
            HeadTopMargin,
            EyeLine,
            FaceOffCenter,
            Yaw,
            Pitch,
            FaceUnderexposed,
            LightingUneven,
            TopLight,
            GlassesGlare,
            RedEye,
            EyesClosed,
            MouthOpen,
            EarsHidden,
            Accessories,
            ShouldersUneven,
            BackgroundUneven,
            BackgroundColor,
            MatteHalo,
            ClothingContrast,
            FileDpi,
            FileSize,
            TooClose,
        ]
    };
}

/// The outcome of one check, or of the whole report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Could not be measured (the reason is in the message).
    Skipped,
    /// Within the limit.
    Pass,
    /// Within the limit but close to it.
    Warn,
    /// Outside the limit: the reviewers would reject the photo.
    Fail,
}

/// The limit a measured value is held to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// At least this.
    Min(f32),
    /// At most this.
    Max(f32),
    /// Between these, inclusive.
    Window(f32, f32),
    /// Exactly this.
    Equal(f32),
}

/// What a measured value is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Pixels of the photo.
    Px,
    /// Degrees.
    Deg,
    /// A fraction shown as a percentage.
    Fraction,
    /// A plain ratio or factor.
    Ratio,
    /// Luma, 0–255.
    Luma,
    /// CIEDE2000 colour difference.
    DeltaE,
    /// KiB (1024 bytes).
    Kib,
    /// Dots per inch.
    Dpi,
    /// A count.
    Count,
    /// JPEG quality factor.
    Quality,
}

/// Which way a value missed its limit; picks the wording and the fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Below the minimum (too small, too low, too dark…).
    Low,
    /// Above the maximum.
    High,
}

/// Text in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Bilingual {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// Why a check could not run (said in `i18n/checks.rs`).
#[derive(Clone, Debug, PartialEq)]
pub enum NotChecked {
    /// The file does not decode.
    Undecodable(crate::imaging::DecodeProblem),
    /// No face.
    NoFace,
    /// The face lies outside the photo.
    FaceOutside,
    /// The measured region lies outside the photo.
    RegionOutside,
    /// Both shoulders are not in the photo.
    NoShoulders,
    /// The file has no size.
    NoSize,
    /// The JPEG quality cannot be estimated.
    CannotEstimate,
    /// No hair to compare with.
    NoHair,
    /// No strong edges on the face.
    NoEdges,
    /// The photo is blurred.
    Blurred,
    /// Too little detail on the face.
    TooLittleDetail,
    /// The source's size is unknown (a photo from elsewhere).
    SourceUnknown,
    /// The face is over-exposed.
    Overexposed,
    /// No background visible.
    NoBackground,
    /// The top (clothing) is not in the photo.
    NoTop,
    /// The head is turned past the pose limit.
    HeadTurned,
}

/// How much more room the person needs in the camera frame (the live hint's fix).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Room {
    /// Below the chin (neck and shoulders), camera pixels.
    Below {
        /// Camera pixels.
        px: f32,
    },
    /// Above the head, camera pixels.
    Above {
        /// Camera pixels.
        px: f32,
    },
}

impl Room {
    /// Both languages, as a finding keeps them.
    pub fn record(self) -> Bilingual {
        crate::i18n::checks::record(&self)
    }
}

/// One check's result.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Pass, warn, fail or skipped.
    pub verdict: Verdict,
    /// The measured value, in `unit`.
    pub measured: Option<f32>,
    /// What it is held to.
    pub limit: Option<Limit>,
    /// Unit of `measured` and `limit`.
    pub unit: Unit,
    /// Which way it missed, when it did.
    pub side: Option<Side>,
    /// What was found, with the numbers.
    pub message: Bilingual,
    /// What to do about it (empty when it passed).
    pub fix: Bilingual,
}

/// All findings for one photo.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Report {
    /// The profile checked against.
    pub profile: String,
    /// Fail if any finding fails, else warn if any warns, else pass.
    pub verdict: Verdict,
    /// Failures first, then warnings, passes and skipped, each in [`Code`] order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Sorts the findings and sets the overall verdict.
    pub fn new(profile: &str, mut findings: Vec<Finding>) -> Report {
        findings.sort_by(|a, b| b.verdict.cmp(&a.verdict).then(a.code.cmp(&b.code)));
        let verdict = findings.iter().map(|f| f.verdict).max().unwrap_or(Verdict::Pass).max(Verdict::Pass);
        Report { profile: profile.to_owned(), verdict, findings }
    }

    /// The codes that failed, in order.
    pub fn failed(&self) -> impl Iterator<Item = Code> + '_ {
        self.findings.iter().filter(|f| f.verdict == Verdict::Fail).map(|f| f.code)
    }

    /// The finding of `code`, if it was checked.
    pub fn finding(&self, code: Code) -> Option<&Finding> {
        self.findings.iter().find(|f| f.code == code)
    }
}

/// Values within this share of a one-sided limit (on the passing side) warn: close enough
/// that a slightly different shot would fail.
const WARN_BAND: f32 = 0.1;

impl Finding {
    /// Judges `measured` against `limit`. One-sided limits warn within 10 % of the limit;
    /// counts, windows and exact values don't (the crop meets them or it doesn't).
    pub fn judge(code: Code, measured: f32, limit: Limit, unit: Unit) -> Finding {
        let (verdict, side) = match limit {
            Limit::Min(min) if measured < min => (Verdict::Fail, Some(Side::Low)),
            Limit::Max(max) if measured > max => (Verdict::Fail, Some(Side::High)),
            Limit::Min(min) if unit != Unit::Count && measured < min + WARN_BAND * min.abs() => {
                (Verdict::Warn, Some(Side::Low))
            }
            Limit::Max(max) if unit != Unit::Count && measured > max - WARN_BAND * max.abs() => {
                (Verdict::Warn, Some(Side::High))
            }
            Limit::Window(min, _) if measured < min => (Verdict::Fail, Some(Side::Low)),
            Limit::Window(_, max) if measured > max => (Verdict::Fail, Some(Side::High)),
            Limit::Equal(v) if (measured - v).abs() > 0.5 => {
                (Verdict::Fail, Some(if measured < v { Side::Low } else { Side::High }))
            }
            _ => (Verdict::Pass, None),
        };
        crate::i18n::checks::finding(code, verdict, Some(measured), Some(limit), unit, side)
    }

    /// A finding decided without a number (the face is missing, the file isn't a JPEG).
    pub fn plain(code: Code, verdict: Verdict, side: Option<Side>) -> Finding {
        crate::i18n::checks::finding(code, verdict, None, None, Unit::Count, side)
    }

    /// A check that could not run, with why.
    pub fn skipped(code: Code, why: NotChecked) -> Finding {
        crate::i18n::checks::skipped(code, &why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sided_limits_warn_near_the_limit_and_windows_do_not() {
        let f = |m, l| Finding::judge(Code::Blur, m, l, Unit::Px).verdict;
        assert_eq!(f(4.0, Limit::Max(5.0)), Verdict::Pass);
        assert_eq!(f(4.8, Limit::Max(5.0)), Verdict::Warn);
        assert_eq!(f(5.2, Limit::Max(5.0)), Verdict::Fail);
        assert_eq!(f(0.85, Limit::Min(0.8)), Verdict::Warn);
        assert_eq!(f(51.0, Limit::Window(50.0, 110.0)), Verdict::Pass);
        assert_eq!(f(49.0, Limit::Window(50.0, 110.0)), Verdict::Fail);
    }

    #[test]
    fn all_lists_every_code_once_in_declaration_order() {
        assert!(Code::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn failures_come_first_in_cause_order() {
        let pass = Finding::judge(Code::Roll, 1.0, Limit::Max(5.0), Unit::Deg);
        let late = Finding::judge(Code::FileSize, 50.0, Limit::Window(20.0, 40.0), Unit::Kib);
        let early = Finding::judge(Code::FaceWidth, 150.0, Limit::Window(180.0, 300.0), Unit::Px);
        let report = Report::new("p", vec![pass, late, early]);
        assert_eq!(report.verdict, Verdict::Fail);
        assert_eq!(report.failed().collect::<Vec<_>>(), [Code::FaceWidth, Code::FileSize]);
        assert!(report.findings[0].message.zh.contains("150"), "{:?}", report.findings[0].message);
    }
}
