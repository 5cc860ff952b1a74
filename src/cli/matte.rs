//! `tucai matte PHOTO -o alpha.png`: the person's alpha over the whole photo, and what the
//! matte made of the backdrop.

use anyhow::{Context, Result};

use super::args::MatteArgs;
use super::{Outcome, write_atomic};
use crate::imaging::{Pipeline, load_photo};

pub(super) fn run(args: &MatteArgs) -> Result<Outcome> {
    let mut pipeline = Pipeline::new().context("loading the models")?;
    let source = match load_photo(&args.photo) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("✗ {}", crate::error_chain(&e));
            return Ok(Outcome::SomeFailed);
        }
    };
    let matte = pipeline.matte_frame(&source.image)?;
    let mut png = Vec::new();
    matte.alpha.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).context("encoding the alpha")?;
    write_atomic(&args.output, &png).with_context(|| format!("cannot write {}", args.output.display()))?;
    let b = &matte.backdrop;
    if args.json {
        println!("{}", serde_json::json!({ "input": args.photo, "output": args.output, "backdrop": b }));
    } else {
        let kind = if b.plain { "plain" } else { "not plain" };
        println!(
            "✓ {} → {}  backdrop {kind}: RGB({},{},{}) at the centre, spread {:.1}",
            args.photo.display(),
            args.output.display(),
            b.colour_rgb[0],
            b.colour_rgb[1],
            b.colour_rgb[2],
            b.spread
        );
    }
    Ok(Outcome::AllOk)
}
