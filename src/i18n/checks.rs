//! Every word the checks say, in Chinese and English: one row per [`Code`] with its label and,
//! for each way it can go wrong, the problem and the fix an operator can read out to the
//! student. The fixes follow the collection notices (shared/seeds/). A finding keeps both
//! languages as its record (a stored report is read later in either).

use super::{Lang, Say};
use crate::quality::{Bilingual, Code, Finding, Limit, NotChecked, Room, Side, Unit, Verdict};

/// The text of `pair` (`[zh, en]`) in `lang`.
fn of(pair: [&'static str; 2], lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => pair[0],
        Lang::En => pair[1],
    }
}

impl Say for Bilingual {
    /// A record kept in both languages says the one asked for.
    fn say(&self, lang: Lang) -> String {
        self.get(lang).to_owned()
    }
}

/// Both languages of a message, as a finding records it.
pub fn record(message: &dyn Say) -> Bilingual {
    Bilingual { zh: message.say(Lang::Zh), en: message.say(Lang::En) }
}

/// A problem and its fix, each `[zh, en]`.
struct Advice {
    problem: [&'static str; 2],
    fix: [&'static str; 2],
}

/// The label and the advice for values too low and too high (one-sided checks use one).
struct Row {
    label: [&'static str; 2],
    low: Advice,
    high: Advice,
}

const fn a(problem: [&'static str; 2], fix: [&'static str; 2]) -> Advice {
    Advice { problem, fix }
}

/// For one-sided checks: the side that never happens.
const NONE: Advice = Advice { problem: ["", ""], fix: ["", ""] };

fn row(code: Code) -> Row {
    use Code::*;
    let r = |label, low, high| Row { label, low, high };
    match code {
        FileFormat => r(
            ["文件格式", "File format"],
            NONE,
            a(
                ["不是可用的彩色 JPEG 文件", "not a usable colour JPEG"],
                ["用本站重新拍摄或导出为 JPG（RGB 彩色）", "retake here or save as a colour (RGB) JPG"],
            ),
        ),
        FileDimensions => r(
            ["像素尺寸", "Pixel size"],
            a(
                ["像素尺寸与规格不符", "pixel size differs from the profile"],
                ["用本站按规格重新标准化，不要自行缩放或裁剪", "standardize again here; do not resize or crop by hand"],
            ),
            a(
                ["像素尺寸与规格不符", "pixel size differs from the profile"],
                ["用本站按规格重新标准化，不要自行缩放或裁剪", "standardize again here; do not resize or crop by hand"],
            ),
        ),
        FaceMissing => r(
            ["人脸", "Face"],
            NONE,
            a(
                ["没有检测到人脸", "no face found"],
                [
                    "请正对镜头，露出额头和双耳，摘下帽子和口罩",
                    "face the camera, show forehead and ears, remove hat and mask",
                ],
            ),
        ),
        FaceMultiple => r(
            ["人数", "People"],
            NONE,
            a(
                ["照片中不止一张人脸", "more than one face in the photo"],
                ["只拍一人：请后面的同学离开镜头", "one person only: ask others to step out of view"],
            ),
        ),
        Rephotographed => r(
            ["翻拍", "Re-photographed"],
            NONE,
            a(
                ["疑似翻拍屏幕或照片（有摩尔纹/网纹）", "looks like a photo of a screen or print (moiré, raster)"],
                [
                    "请本人到场现场拍摄，不要翻拍手机或旧照片",
                    "photograph the student in person; no photos of screens or prints",
                ],
            ),
        ),
        SourceResolution => r(
            ["原图分辨率", "Source resolution"],
            NONE,
            a(
                [
                    "人脸像素不足，被放大过多（远景全身照）",
                    "face enlarged from too few pixels (a distant, full-body shot)",
                ],
                ["请学生靠近镜头，拍到胸部即可的半身照", "move closer: head and shoulders down to the chest"],
            ),
        ),
        Blur => r(
            ["清晰度", "Sharpness"],
            NONE,
            a(
                ["照片模糊", "photo is blurred"],
                ["请保持不动，对焦后再拍；镜头擦干净", "hold still, let the camera focus, clean the lens"],
            ),
        ),
        Retouched => r(
            ["皮肤纹理", "Skin texture"],
            a(
                ["皮肤过于平滑，疑似美颜或磨皮", "skin looks smoothed by a beauty filter"],
                ["关闭美颜/滤镜，素颜重拍", "turn off beauty filters and retake without make-up"],
            ),
            NONE,
        ),
        Headwear => r(
            ["头饰", "Headwear"],
            NONE,
            a(
                ["戴有帽子、发箍或其他头部覆盖物", "a hat, cap, headband or other head covering is worn"],
                ["请摘下帽子、发箍和头饰后重拍", "take off the hat, cap, headband or hair ornament and retake"],
            ),
        ),
        FaceOccluded => r(
            ["面部遮挡", "Face covered"],
            NONE,
            a(
                ["面部有遮挡（口罩、手、围巾等）", "something covers the face (a mask, a hand, a scarf)"],
                ["请摘下口罩，手放下，露出整个面部后重拍", "take off the mask, lower the hands, show the whole face"],
            ),
        ),
        GlassesTinted => r(
            ["有色眼镜", "Tinted glasses"],
            NONE,
            a(
                ["戴有色眼镜或墨镜", "sunglasses or tinted lenses"],
                [
                    "请摘下墨镜或有色眼镜（含美瞳）；近视请换无色镜片",
                    "take off sunglasses or tinted (or coloured contact) lenses; clear lenses are fine",
                ],
            ),
        ),
        HairOverEyes => r(
            ["眉眼露出", "Brows and eyes"],
            NONE,
            a(
                ["头发遮挡了眉毛或眼睛", "hair covers the brows or eyes"],
                ["请把刘海拨开或夹起，露出眉毛和眼睛", "push the fringe aside or clip it up so brows and eyes show"],
            ),
        ),
        EarsHidden => r(
            ["双耳露出", "Both ears"],
            a(
                ["耳朵被头发遮住，双耳未对称露出", "an ear is hidden by hair; both ears must show"],
                ["请把头发拢到耳后，露出双耳，正对镜头", "tuck the hair behind both ears and face the camera squarely"],
            ),
            NONE,
        ),
        Accessories => r(
            ["饰品", "Jewellery"],
            NONE,
            a(
                ["佩戴耳环、项链等饰品", "earrings, a necklace or other jewellery"],
                ["请摘下耳环、项链等饰品后重拍", "take off earrings, necklaces and other jewellery and retake"],
            ),
        ),
        ShouldersUneven => r(
            ["肩膀", "Shoulders"],
            NONE,
            a(
                ["左右肩膀不平", "the shoulders are not level"],
                [
                    "请坐正，两肩放松放平，身体正对镜头",
                    "sit up straight, relax both shoulders level, body facing the camera",
                ],
            ),
        ),
        FaceWidth => r(
            ["脸宽", "Face width"],
            a(
                ["头部过小", "head too small"],
                ["请学生靠近镜头，或按规格重新裁剪", "move the student closer, or crop again to the profile"],
            ),
            a(
                ["头部过大", "head too large"],
                ["请学生离镜头远一点，或按规格重新裁剪", "move the student back, or crop again to the profile"],
            ),
        ),
        HeadHeight => r(
            ["头部高度", "Head height"],
            a(
                ["头部（下巴到头顶）过小", "head (chin to crown) too small"],
                ["请学生靠近镜头后重拍", "move the student closer and retake"],
            ),
            a(
                ["头部（下巴到头顶）过大", "head (chin to crown) too large"],
                ["请学生离镜头远一点后重拍", "move the student back and retake"],
            ),
        ),
        HeadTopMargin => r(
            ["头顶距上边", "Head top to top edge"],
            a(
                ["头顶离上边太近", "head top too close to the top edge"],
                ["把头发压平或摘帽；头发蓬松时拍摄位置稍低", "flatten hair or remove the hat; frame a little lower"],
            ),
            a(
                ["头顶离上边太远", "head top too far from the top edge"],
                ["请坐直抬头，脸部置于框线内", "sit up straight, face inside the guide"],
            ),
        ),
        EyeLine => r(
            ["眼睛距上边", "Eye line from top"],
            a(
                ["眼睛位置偏高", "eyes too high in the photo"],
                ["按规格重新裁剪，或请学生坐低一点", "crop again to the profile, or lower the student"],
            ),
            a(
                ["眼睛位置偏低", "eyes too low in the photo"],
                ["按规格重新裁剪，或请学生坐直", "crop again to the profile, or have the student sit up"],
            ),
        ),
        FaceOffCenter => r(
            ["脸部居中", "Face centring"],
            NONE,
            a(
                ["脸部没有居中", "face not centred"],
                ["请学生站到镜头正前方，身体正对镜头", "stand square in front of the camera"],
            ),
        ),
        Roll => r(
            ["头部倾斜", "Head tilt"],
            NONE,
            a(
                ["头部歪斜（双眼不在同一水平线）", "head tilted (eyes not level)"],
                ["请保持头部端正，双肩齐平", "hold the head upright, shoulders level"],
            ),
        ),
        Yaw => r(
            ["头部左右转动", "Head turn"],
            NONE,
            a(
                ["头部向一侧转动", "head turned to one side"],
                ["请正视镜头，鼻尖对准镜头", "look straight into the lens, nose towards it"],
            ),
        ),
        Pitch => r(
            ["头部俯仰", "Head nod"],
            NONE,
            a(
                ["头部抬起或低下", "head tipped up or down"],
                ["请平视镜头，下巴自然内收", "look level into the lens, chin slightly in"],
            ),
        ),
        LightingUneven => r(
            ["面部光照均匀", "Even lighting"],
            a(
                ["脸部一侧偏暗（阴阳脸）", "one side of the face is darker (uneven light)"],
                ["面对光源较好的方向，或打开另一侧补光灯", "face the light, or switch on the light on the dark side"],
            ),
            NONE,
        ),
        TopLight => r(
            ["顶光", "Top light"],
            NONE,
            a(
                ["顶光过强：额头和头发过亮、下巴偏暗", "strong light from above: bright forehead and hair, dark chin"],
                ["关闭头顶灯光，使用正面补光", "switch off the overhead light, light from the front"],
            ),
        ),
        FaceOverexposed => r(
            ["面部曝光（过亮）", "Face exposure (bright)"],
            // Low contrast: the face lifted towards white (no clipped pixels, no detail either).
            a(
                [
                    "脸部发白，明暗层次不足（过曝或被提亮）",
                    "face washed out: too little contrast left (over-exposed or lifted)",
                ],
                [
                    "调暗灯光或降低曝光，关闭美白/提亮滤镜后重拍",
                    "dim the lights or lower the exposure, turn off brightening filters, and retake",
                ],
            ),
            a(
                ["脸部过亮，细节丢失", "face over-exposed, detail lost"],
                [
                    "调暗灯光或降低曝光，避免强光直射面部",
                    "dim the lights or lower the exposure; no direct glare on the face",
                ],
            ),
        ),
        FaceUnderexposed => r(
            ["面部曝光（过暗）", "Face exposure (dark)"],
            a(
                ["脸部过暗", "face under-exposed"],
                ["打开补光灯或移到光线较好的位置", "add light or move to a brighter spot"],
            ),
            NONE,
        ),
        GlassesGlare => r(
            ["眼镜反光", "Glasses glare"],
            NONE,
            a(
                ["眼镜有反光，遮挡眼睛", "reflections on the glasses cover the eyes"],
                [
                    "微调眼镜角度或灯光位置；可以的话摘下眼镜",
                    "tilt the glasses slightly or move the light; remove them if possible",
                ],
            ),
        ),
        RedEye => r(
            ["红眼", "Red eye"],
            NONE,
            a(
                ["眼睛出现红眼", "red-eye in the pupils"],
                ["关闭闪光灯，使用常亮补光", "turn off the flash and use continuous light"],
            ),
        ),
        EyesClosed => r(
            ["睁眼", "Eyes open"],
            a(
                ["眼睛闭合、半闭或看不清", "eyes closed, half closed or not visible"],
                ["请睁大眼睛，自然平视；眼前不要有遮挡", "open the eyes and look level, with nothing in front of them"],
            ),
            NONE,
        ),
        MouthOpen => r(
            ["闭嘴", "Mouth closed"],
            NONE,
            a(["嘴巴张开", "mouth open"], ["请嘴唇自然闭合，表情自然", "close the lips naturally, neutral expression"]),
        ),
        BackgroundColor => r(
            ["背景颜色", "Background colour"],
            NONE,
            a(
                ["背景颜色与规格不符", "background colour differs from the profile"],
                ["用本站按规格重新标准化（自动换底）", "standardize again here (the background is replaced)"],
            ),
        ),
        BackgroundUneven => r(
            ["背景均匀", "Even background"],
            NONE,
            a(
                ["背景有阴影或颜色不均", "background has shadows or uneven colour"],
                [
                    "离墙一米左右，背景打光均匀，或重新换底",
                    "stand about 1 m from the wall, light it evenly, or replace it again",
                ],
            ),
        ),
        MatteHalo => r(
            ["抠图边缘", "Cut-out edge"],
            NONE,
            a(
                ["人像边缘有残留背景（白边/毛边）", "a fringe of the old background around the person"],
                ["用纯色背景重拍，或重新换底", "retake against a plain wall, or replace the background again"],
            ),
        ),
        ClothingContrast => r(
            ["服装与背景反差", "Clothing contrast"],
            NONE,
            a(
                ["上衣颜色与背景太接近", "the top is too close to the background colour"],
                [
                    "换一件与背景有反差的单色有领上衣（背景为蓝色时不要穿蓝色）",
                    "change into a plain collared top that contrasts with the background (no blue on blue)",
                ],
            ),
        ),
        FileDpi => r(
            ["分辨率标记", "Resolution tag"],
            a(
                ["DPI 与规格不符", "DPI tag differs from the profile"],
                ["用本站重新导出（自动写入正确 DPI）", "export again here (the right DPI is written)"],
            ),
            a(
                ["DPI 与规格不符", "DPI tag differs from the profile"],
                ["用本站重新导出（自动写入正确 DPI）", "export again here (the right DPI is written)"],
            ),
        ),
        FileSize => r(
            ["文件大小", "File size"],
            a(
                ["文件太小（压缩过度）", "file too small (over-compressed)"],
                ["用本站重新导出，会自动调整压缩", "export again here; compression is adjusted"],
            ),
            a(
                ["文件太大", "file too large"],
                ["用本站重新导出，会自动调整压缩", "export again here; compression is adjusted"],
            ),
        ),
        JpegQuality => r(
            ["压缩质量", "JPEG quality"],
            a(
                ["JPEG 压缩质量过低", "JPEG quality too low"],
                ["用本站重新导出，不要再次压缩", "export again here; do not recompress"],
            ),
            NONE,
        ),
        TooClose => r(
            ["距离", "Distance"],
            NONE,
            a(
                [
                    "离镜头太近，照片会超出画面（超出部分不能凭空补出）",
                    "too close: the photo would reach past the camera picture (that part can't be invented)",
                ],
                ["请向后退一步", "step back a little"],
            ),
        ),
    }
}

/// The label of `code` in `lang`.
pub fn label(code: Code, lang: Lang) -> &'static str {
    of(row(code).label, lang)
}

/// Builds a finding with its messages.
pub fn finding(
    code: Code,
    verdict: Verdict,
    measured: Option<f32>,
    limit: Option<Limit>,
    unit: Unit,
    side: Option<Side>,
) -> Finding {
    let r = row(code);
    let advice = match side {
        Some(Side::Low) => &r.low,
        Some(Side::High) | None => &r.high,
    };
    let failing = matches!(verdict, Verdict::Fail | Verdict::Warn) && !advice.problem[0].is_empty();
    let say = |lang: Lang| {
        let head = if failing { of(advice.problem, lang) } else { of(r.label, lang) };
        let near = if verdict == Verdict::Warn { lang.pick("（接近限值）", " (close to the limit)") } else { "" };
        let numbers = numbers(measured, limit, unit, lang);
        if numbers.is_empty() { format!("{head}{near}") } else { format!("{head}{}{numbers}{near}", lang.colon()) }
    };
    let fix = if failing {
        Bilingual { zh: advice.fix[0].to_owned(), en: advice.fix[1].to_owned() }
    } else {
        Bilingual { zh: String::new(), en: String::new() }
    };
    let message = Bilingual { zh: say(Lang::Zh), en: say(Lang::En) };
    Finding { code, verdict, measured, limit, unit, side, message, fix }
}

/// A check that could not run, with why.
pub fn skipped(code: Code, why: &NotChecked) -> Finding {
    let mut f = finding(code, Verdict::Skipped, None, None, Unit::Count, None);
    f.message.zh = format!("{}：未检测（{}）", label(code, Lang::Zh), why.say(Lang::Zh));
    f.message.en = format!("{}: not checked ({})", label(code, Lang::En), why.say(Lang::En));
    f
}

impl Say for NotChecked {
    fn say(&self, lang: Lang) -> String {
        let text = match self {
            NotChecked::Undecodable(why) => {
                let why = why.say(lang);
                return super::pick(lang, format!("无法解码（{why}）"), format!("cannot decode: {why}"));
            }
            NotChecked::NoFace => ["没有人脸", "no face"],
            NotChecked::FaceOutside => ["脸部在画面外", "face outside the photo"],
            NotChecked::RegionOutside => ["区域不在照片内", "region outside the photo"],
            NotChecked::NoShoulders => ["照片中看不到双肩", "both shoulders are not in the photo"],
            NotChecked::NoSize => ["读不到尺寸", "no size in the file"],
            NotChecked::CannotEstimate => ["无法估计", "cannot be estimated"],
            NotChecked::NoHair => ["看不到头发", "no hair visible"],
            NotChecked::NoEdges => ["脸部没有清晰边缘", "no strong edges on the face"],
            NotChecked::Blurred => ["照片模糊时无法判断", "cannot tell on a blurred photo"],
            NotChecked::TooLittleDetail => ["脸部细节不足", "too little detail on the face"],
            NotChecked::SourceUnknown => {
                ["外来照片不知原图大小，见清晰度", "unknown for photos from elsewhere; see sharpness"]
            }
            NotChecked::Overexposed => ["脸部过亮时无法判断", "cannot tell on an over-exposed face"],
            NotChecked::NoBackground => ["看不到背景", "no background visible"],
            NotChecked::NoTop => ["画面中没有上衣", "the top is not in the photo"],
            NotChecked::HeadTurned => {
                ["头部转向一侧，正视镜头后再判断", "the head is turned; judged once it faces the camera"]
            }
        };
        of(text, lang).to_owned()
    }
}

impl Say for Room {
    fn say(&self, lang: Lang) -> String {
        match *self {
            Room::Below { px } => super::pick(
                lang,
                format!("请后退或把镜头拉远，下方还需留出约 {px:.0} 像素"),
                format!("step back or zoom out: about {px:.0} more pixels are needed below"),
            ),
            Room::Above { px } => super::pick(
                lang,
                format!("请降低镜头或后退，头顶上方还需留出约 {px:.0} 像素"),
                format!("lower the camera or step back: about {px:.0} more pixels are needed above the head"),
            ),
        }
    }
}

/// "42 px (limit 50–110 px)" in `lang`.
fn numbers(measured: Option<f32>, limit: Option<Limit>, unit: Unit, lang: Lang) -> String {
    let Some(m) = measured else { return String::new() };
    let value = |v: f32| match unit {
        Unit::Fraction => format!("{:.1}%", v * 100.0),
        Unit::Px if v.abs() < 20.0 => format!("{v:.1} px"),
        Unit::Px => format!("{v:.0} px"),
        Unit::Deg => format!("{v:.1}°"),
        Unit::Ratio => format!("{v:.2}"),
        Unit::Luma => format!("{v:.0}"),
        Unit::DeltaE => format!("ΔE {v:.1}"),
        Unit::Kib => format!("{v:.1} KB"),
        Unit::Dpi => format!("{v:.0} dpi"),
        Unit::Count => format!("{v:.0}"),
        Unit::Quality => format!("Q{v:.0}"),
    };
    let limit_text = match (limit, lang) {
        (None, _) => return value(m),
        (Some(Limit::Min(x)), Lang::Zh) => format!("不低于 {}", value(x)),
        (Some(Limit::Min(x)), Lang::En) => format!("at least {}", value(x)),
        (Some(Limit::Max(x)), Lang::Zh) => format!("不超过 {}", value(x)),
        (Some(Limit::Max(x)), Lang::En) => format!("at most {}", value(x)),
        (Some(Limit::Window(lo, hi)), Lang::Zh) => format!("应为 {}–{}", value(lo), value(hi)),
        (Some(Limit::Window(lo, hi)), Lang::En) => format!("limit {}–{}", value(lo), value(hi)),
        (Some(Limit::Equal(x)), Lang::Zh) => format!("应为 {}", value(x)),
        (Some(Limit::Equal(x)), Lang::En) => format!("must be {}", value(x)),
    };
    super::pick(lang, format!("{}（{limit_text}）", value(m)), format!("{} ({limit_text})", value(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_words_for_every_way_it_can_fail() {
        for code in Code::ALL {
            let r = row(code);
            assert!(r.label.iter().all(|l| !l.is_empty()), "{code:?}");
            let sides = [&r.low, &r.high];
            assert!(sides.iter().any(|a| !a.problem[0].is_empty()), "{code:?} has no problem text");
            for a in sides.iter().filter(|a| !a.problem[0].is_empty()) {
                assert!(a.problem.iter().chain(&a.fix).all(|t| !t.is_empty()), "{code:?}: a language is missing");
            }
        }
    }
}
