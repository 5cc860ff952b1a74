//! `tucai matte PHOTO -o alpha.png`: the person's alpha over the whole photo, and what the
//! matte made of the backdrop.

use super::args::MatteArgs;
use super::{CliError, Outcome, Result, write_atomic};
use crate::i18n::cli::Notice;
use crate::i18n::errors::FileError;
use crate::i18n::{Lang, Say};
use crate::imaging::{Pipeline, load_photo};

pub(super) fn run(args: &MatteArgs, lang: Lang) -> Result<Outcome> {
    let mut pipeline = Pipeline::new();
    let source = match load_photo(&args.photo) {
        Ok(s) => s,
        Err(e) => {
            errln!("✗ {}", e.say(lang));
            return Ok(Outcome::SomeFailed);
        }
    };
    let matte = pipeline.matte_frame(&source.image)?;
    let mut png = Vec::new();
    matte
        .alpha
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| CliError::Png(e.to_string()))?;
    write_atomic(&args.output, &png)
        .map_err(|source| CliError::File(FileError::Write { path: args.output.clone(), source }))?;
    let b = &matte.backdrop;
    if args.json {
        outln!("{}", serde_json::json!({ "input": args.photo, "output": args.output, "backdrop": b }));
    } else {
        outln!("{}", Notice::Matted { input: &args.photo, output: &args.output, backdrop: b }.say(lang));
    }
    Ok(Outcome::AllOk)
}
