//! `tucai check PHOTO... --profile P`: judges photos from anywhere (brought by students, made
//! by another studio) against a profile. A short checklist per file in the chosen language,
//! or one JSON report per line. Exit 0 all pass, 1 some fail, 2 a file could not be read.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::json;

use super::Outcome;
use super::args::CheckArgs;
use crate::i18n::Lang;
use crate::imaging::Pipeline;
use crate::profile::ProfileLibrary;
use crate::quality::{self, Evidence, Report, Verdict};

pub(super) fn run(args: &CheckArgs, library: &ProfileLibrary, lang: Lang) -> Result<Outcome> {
    let spec = library.resolve(&args.profile)?;
    let mut pipeline = Pipeline::new().context("loading the face models")?;
    let (mut failed, mut unreadable) = (0usize, 0usize);
    for path in &args.photos {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                unreadable += 1;
                if args.json {
                    println!("{}", json!({ "input": path, "ok": false, "error": e.to_string() }));
                }
                eprintln!("✗ {}: {e}", path.display());
                continue;
            }
        };
        let evidence = Evidence::from_file(&mut pipeline, &bytes).with_context(|| path.display().to_string())?;
        let report = quality::check(&evidence, &spec);
        if let Some(dir) = &args.regions {
            if let Some(image) = quality::draw_regions(&evidence) {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let out = dir.join(format!("{stem}.regions.png"));
                std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
                image.save(&out).with_context(|| format!("cannot write {}", out.display()))?;
            }
        }
        if report.verdict == Verdict::Fail {
            failed += 1;
        }
        if args.json {
            println!("{}", json!({ "input": path, "ok": true, "report": report }));
        } else {
            print!("{}", checklist(path, &report, lang));
        }
    }
    Ok(if unreadable > 0 {
        Outcome::SetupError
    } else if failed > 0 {
        Outcome::SomeFailed
    } else {
        Outcome::AllOk
    })
}

/// The human checklist: the verdict, every failure and warning with its fix, then a count
/// of what passed.
pub(crate) fn checklist(path: &Path, report: &Report, lang: Lang) -> String {
    let count = |v: Verdict| report.findings.iter().filter(|f| f.verdict == v).count();
    let (fails, passes, skipped) = (count(Verdict::Fail), count(Verdict::Pass), count(Verdict::Skipped));
    let verdict = match (report.verdict, lang) {
        (Verdict::Fail, Lang::Zh) => format!("不合格（{fails} 项问题）"),
        (Verdict::Fail, Lang::En) => format!("REJECT ({fails} problems)"),
        (Verdict::Warn, Lang::Zh) => "合格，有提醒".to_owned(),
        (Verdict::Warn, Lang::En) => "pass, with warnings".to_owned(),
        (_, Lang::Zh) => "合格".to_owned(),
        (_, Lang::En) => "pass".to_owned(),
    };
    let mark = |v: Verdict| match v {
        Verdict::Fail => "✗",
        Verdict::Warn => "!",
        Verdict::Pass => "✓",
        Verdict::Skipped => "-",
    };
    let mut out = format!("{} {} — {verdict}\n", mark(report.verdict), path.display());
    for f in report.findings.iter().filter(|f| matches!(f.verdict, Verdict::Fail | Verdict::Warn)) {
        out.push_str(&format!("  {} {}\n", mark(f.verdict), f.message.get(lang)));
        if !f.fix.get(lang).is_empty() {
            out.push_str(&format!("      → {}\n", f.fix.get(lang)));
        }
    }
    if passes > 0 {
        out.push_str(&match lang {
            Lang::Zh => format!("  ✓ 其余 {passes} 项合格\n"),
            Lang::En => format!("  ✓ {passes} other checks pass\n"),
        });
    }
    if skipped > 0 {
        out.push_str(&match lang {
            Lang::Zh => format!("  - {skipped} 项未检测（--json 列出原因）\n"),
            Lang::En => format!("  - {skipped} not checked (--json lists why)\n"),
        });
    }
    out
}
