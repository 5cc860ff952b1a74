//! `tucai check PHOTO... --profile P`: judges photos from anywhere (brought by students, made
//! by another studio) against a profile. A short checklist per file in the chosen language,
//! or one JSON report per line. Exit 0 all pass, 1 some fail, 2 a file could not be read.

use serde_json::json;

use super::args::CheckArgs;
use super::{CliError, Outcome, Result};
use crate::i18n::cli::checklist;
use crate::i18n::errors::FileError;
use crate::i18n::{Lang, Say};
use crate::imaging::Pipeline;
use crate::profile::ProfileLibrary;
use crate::quality::{self, Evidence, Verdict};

pub(super) fn run(args: &CheckArgs, library: &ProfileLibrary, lang: Lang) -> Result<Outcome> {
    let spec = library.resolve(&args.profile)?;
    let mut pipeline = Pipeline::new();
    let (mut failed, mut unreadable) = (0usize, 0usize);
    for path in &args.photos {
        let bytes = match crate::imaging::read_photo_file(path) {
            Ok(b) => b,
            Err(e) => {
                unreadable += 1;
                let e = CliError::Load(e);
                if args.json {
                    outln!("{}", json!({ "input": path, "ok": false, "error": e.json(lang) }));
                }
                errln!("✗ {}", e.say(lang));
                continue;
            }
        };
        let evidence = Evidence::from_file(&mut pipeline, &bytes)?;
        let report = quality::check(&evidence, &spec);
        if let Some(dir) = &args.regions {
            if let Some(image) = quality::draw_regions(&evidence) {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let out = dir.join(format!("{stem}.regions.png"));
                std::fs::create_dir_all(dir)
                    .map_err(|source| CliError::File(FileError::CreateDir { path: dir.clone(), source }))?;
                image.save(&out).map_err(|e| CliError::Png(format!("{}: {e}", out.display())))?;
            }
        }
        if report.verdict == Verdict::Fail {
            failed += 1;
        }
        if args.json {
            outln!("{}", json!({ "input": path, "ok": true, "report": report }));
        } else {
            out!("{}", checklist(path, &report, lang));
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
