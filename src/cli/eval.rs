//! `tucai eval DIR [--generate]`: scores the checks on a labelled set (see `quality::eval`).
//! Prints precision and recall per code, the false-reject rate on clean photos, and every
//! miss and false alarm so a threshold can be argued from the photos themselves.

use super::args::EvalArgs;
use super::{CliError, Outcome, Result};
use crate::i18n::cli::Notice;
use crate::i18n::{Lang, Say};
use crate::imaging::{Pipeline, SourcePhoto, decode_photo, load_photo};
use crate::profile::ProfileLibrary;
use crate::quality::eval::{self, Scores};

/// The bundled demo portraits, the default seeds of a set.
const DEMO_PORTRAITS: &[(&str, &[u8])] = &[
    ("astronaut", include_bytes!("../../assets/demo/astronaut.png")),
    ("grace_hopper", include_bytes!("../../assets/demo/grace_hopper.jpg")),
];

/// Recall below this (at the strengths a reviewer rejects) or false rejects above the other
/// make the run exit 1: the floors the issue sets.
const RECALL_FLOOR: f32 = 0.95;
const FALSE_REJECT_CEILING: f32 = 0.03;

pub(super) fn run(args: &EvalArgs, library: &ProfileLibrary, lang: Lang) -> Result<Outcome> {
    let mut pipeline = Pipeline::new();
    if args.generate {
        let spec = library.resolve(crate::profile::DEFAULT_PROFILE)?;
        let portraits = portraits(args)?;
        let labels = eval::generate(&mut pipeline, &portraits, &spec, &args.dir)?;
        errln!("{}", Notice::Generated(labels.samples.len(), &args.dir).say(lang));
    }
    let labels = eval::read_labels(&args.dir)?;
    let spec = library.resolve(&labels.profile)?;
    let scores = eval::evaluate(&mut pipeline, &args.dir, &labels, &spec)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        out!("{}", table(&scores));
    }
    let recall_ok = scores.codes.values().all(|s| s.recall().is_none_or(|r| r >= RECALL_FLOOR));
    Ok(if recall_ok && scores.false_reject_rate() <= FALSE_REJECT_CEILING {
        Outcome::AllOk
    } else {
        Outcome::SomeFailed
    })
}

fn portraits(args: &EvalArgs) -> Result<Vec<(String, SourcePhoto)>> {
    if args.from.is_empty() {
        return DEMO_PORTRAITS
            .iter()
            .map(|(name, bytes)| {
                let photo =
                    decode_photo(bytes).map_err(|problem| CliError::Decode { path: (*name).into(), problem })?;
                Ok(((*name).to_owned(), photo))
            })
            .collect();
    }
    args.from
        .iter()
        .map(|p| {
            let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Ok((name, load_photo(p)?))
        })
        .collect()
}

/// The scores as a Markdown table, then the errors.
pub(crate) fn table(s: &Scores) -> String {
    let pct = |v: Option<f32>| v.map_or("–".to_owned(), |v| format!("{:.1} %", 100.0 * v));
    let mut out = String::from(
        "| code | must | hit | missed | false alarms | precision | recall |\n|---|---|---|---|---|---|---|\n",
    );
    for (code, c) in &s.codes {
        let name = serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {} |\n",
            c.true_positives + c.misses,
            c.true_positives,
            c.misses,
            c.false_alarms,
            pct(c.precision()),
            pct(c.recall())
        ));
    }
    out.push_str(&format!(
        "\nclean photos: {}, rejected: {} (false-reject rate {:.1} %)\n",
        s.clean,
        s.clean_rejected.len(),
        100.0 * s.false_reject_rate()
    ));
    out.push_str(&format!(
        "degraded photos named right first: {} of {}\n",
        s.degraded - s.named_wrong_first.len(),
        s.degraded
    ));
    for (file, code, what) in &s.errors {
        out.push_str(&format!("  {file}: {code:?} {what}\n"));
    }
    for w in &s.named_wrong_first {
        out.push_str(&format!("  named wrong first: {w}\n"));
    }
    out
}
