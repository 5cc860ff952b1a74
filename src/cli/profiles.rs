//! `tucai profiles`: the profiles that are loaded, their key numbers, and the broken files.

use super::args::ProfilesArgs;
use super::{Outcome, Result};
use crate::i18n::cli::Notice;
use crate::i18n::{Lang, Say};
use crate::profile::{ProfileLibrary, ProfileSource, user_profile_dir};

pub(super) fn run(args: &ProfilesArgs, library: &ProfileLibrary, lang: Lang) -> Result<Outcome> {
    if args.json {
        let items: Vec<serde_json::Value> = library
            .profiles()
            .iter()
            .map(|(spec, source)| {
                let mut v = serde_json::to_value(spec).unwrap_or_default();
                v["source"] = match source {
                    ProfileSource::BuiltIn => "built-in".into(),
                    ProfileSource::File(p) => p.display().to_string().into(),
                };
                v
            })
            .collect();
        let broken: Vec<String> = library.broken().iter().map(|e| e.say(lang)).collect();
        outln!("{}", serde_json::json!({ "profiles": items, "broken": broken }));
    } else {
        outln!(
            "{:<22} {:>9} {:>5} {:>5} {:>11} {:>10} {:>9} {:>9} {:>9}  name",
            "id",
            "pixels",
            "dpi",
            "q≥",
            "KiB",
            "bg",
            "head top",
            "eye line",
            "face w"
        );
        for (spec, source) in library.profiles() {
            let o = &spec.output;
            let g = &spec.geometry;
            let [b0, b1] = o.file_size_bytes;
            let win = |w: &crate::profile::Window| format!("{}–{}", w.min, w.max);
            let from = match source {
                ProfileSource::BuiltIn => String::new(),
                ProfileSource::File(p) => format!("  [{}]", p.display()),
            };
            outln!(
                "{:<22} {:>9} {:>5} {:>5} {:>11} {:>10} {:>9} {:>9} {:>9}  {}{from}",
                spec.id,
                format!("{}×{}", o.width_px, o.height_px),
                o.dpi,
                o.jpeg_quality_min,
                format!("{}–{}", b0 / 1024, b1 / 1024),
                format!("{},{},{}", o.background_rgb[0], o.background_rgb[1], o.background_rgb[2]),
                win(&g.head_top_margin_px),
                win(&g.eye_line_from_top_px),
                win(&g.face_width_px),
                spec.name_zh,
            );
        }
        if let Some(dir) = user_profile_dir() {
            outln!("\n{}", Notice::AddProfile(&dir).say(lang));
        }
        for e in library.broken() {
            errln!("tucai: {}", Notice::ProfileSkipped(e).say(lang));
        }
    }
    Ok(if library.broken().is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}
