//! `tucai standardize PHOTO... -o DIR`: one standard JPEG per input, a line (or a JSON object)
//! per input, and the failures with their file and reason.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::args::StandardizeArgs;
use super::{CliError, Outcome, Result, write_atomic};
use crate::i18n::cli::Notice;
use crate::i18n::errors::FileError;
use crate::i18n::{Lang, Say};
use crate::imaging::{Background, Pipeline, SourcePhoto, Standardized, load_photo, overlay};
use crate::profile::{PhotoSpec, ProfileLibrary};

/// One input (or one burst of frames, the first naming it) and where its outputs go,
/// checked before any work starts.
struct Job {
    input: PathBuf,
    burst: Vec<PathBuf>,
    output: PathBuf,
    overlay: Option<PathBuf>,
}

pub(super) fn run(args: &StandardizeArgs, library: &ProfileLibrary, lang: Lang) -> Result<Outcome> {
    let spec = library.resolve(&args.profile)?;
    std::fs::create_dir_all(&args.output)
        .map_err(|source| CliError::File(FileError::CreateDir { path: args.output.clone(), source }))?;
    let jobs = plan_jobs(args)?;
    let mut pipeline = Pipeline::new();

    let mut failed = 0usize;
    for job in &jobs {
        match process(&mut pipeline, job, &spec, args.background) {
            Ok(result) => {
                if args.json {
                    outln!("{}", success_json(job, &result, &spec));
                } else {
                    let notice = Notice::Standardized { input: &job.input, output: &job.output, result: &result };
                    outln!("{}", notice.say(lang));
                }
            }
            Err(e) => {
                failed += 1;
                if args.json {
                    outln!("{}", json!({ "input": job.input, "ok": false, "error": e.json(lang) }));
                }
                errln!("✗ {}", e.say(lang));
            }
        }
    }
    if !args.json {
        let count = Notice::StandardizedCount {
            done: jobs.len() - failed,
            total: jobs.len(),
            profile: &spec.id,
            dir: &args.output,
        };
        errln!("{}", count.say(lang));
    }
    Ok(if failed == 0 { Outcome::AllOk } else { Outcome::SomeFailed })
}

/// Output names, refusing two inputs with one stem and any output that would replace an input.
fn plan_jobs(args: &StandardizeArgs) -> Result<Vec<Job>> {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    let mut jobs = Vec::new();
    for input in &args.photos {
        let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if stem.is_empty() {
            return Err(CliError::NoFileName(input.clone()));
        }
        if let Some(first) = seen.insert(stem.clone(), input) {
            return Err(CliError::SameOutput { first: first.to_owned(), second: input.clone(), stem });
        }
        let output = args.output.join(format!("{stem}.jpg"));
        if same_file(input, &output) {
            return Err(CliError::OverwritesInput(input.clone()));
        }
        let overlay = args.overlay.then(|| args.output.join(format!("{stem}.overlay.png")));
        if args.burst {
            // One shot: every input is a frame of it; the first names the output.
            if let Some(other) = args.photos.iter().find(|p| same_file(p, &output)) {
                return Err(CliError::OverwritesFrame(other.clone()));
            }
            return Ok(vec![Job { input: input.clone(), burst: args.photos.clone(), output, overlay }]);
        }
        jobs.push(Job { input: input.clone(), burst: vec![input.clone()], output, overlay });
    }
    Ok(jobs)
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

fn process(pipeline: &mut Pipeline, job: &Job, spec: &PhotoSpec, background: Background) -> Result<Standardized> {
    // Load errors name their file already; the pipeline's (no face, size window…) get it here,
    // so every failure names its file exactly once.
    let burst: Vec<SourcePhoto> = job.burst.iter().map(|p| load_photo(p)).collect::<std::result::Result<_, _>>()?;
    let result = pipeline
        .standardize_burst(&burst, spec, background)
        .map_err(|error| CliError::Photo { path: job.input.clone(), error })?;
    let source = &burst[result.chosen_frame()];
    write_atomic(&job.output, &result.jpeg.bytes)
        .map_err(|source| CliError::File(FileError::Write { path: job.output.clone(), source }))?;
    if let Some(path) = &job.overlay {
        let mut png = Vec::new();
        overlay::draw_overlay(&source.image, &result, spec)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| CliError::Png(e.to_string()))?;
        write_atomic(path, &png).map_err(|source| CliError::File(FileError::Write { path: path.clone(), source }))?;
    }
    Ok(result)
}

fn success_json(job: &Job, r: &Standardized, spec: &PhotoSpec) -> serde_json::Value {
    json!({
        "input": job.input,
        "ok": true,
        "output": job.output,
        "overlay": job.overlay,
        "profile": spec.id,
        "size_px": [r.photo.width(), r.photo.height()],
        "dpi": spec.output.dpi,
        "quality": r.jpeg.quality,
        "bytes": r.jpeg.bytes.len(),
        "rotation_deg": r.plan.rotation_deg,
        "scale": r.plan.scale,
        "crop_corners_in_frame": r.plan.crop_corners_in_frame,
        "placed": r.plan.placed,
        "landmarks_used": {
            "eye_right_in_frame": r.measures.eye_right_in_frame,
            "eye_left_in_frame": r.measures.eye_left_in_frame,
            "face_width_px_in_frame": r.measures.face_width_px,
            "head_top_in_frame": r.measures.head_top_in_frame,
            "head_top_source": r.head.head_top_source,
        },
        "trail": r.trail,
    })
}
