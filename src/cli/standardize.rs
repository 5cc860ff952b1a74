//! `tucai standardize PHOTO... -o DIR`: one standard JPEG per input, a line (or a JSON object)
//! per input, and the failures with their file and reason.
//!
//! A batch keeps one photo in flight per core, each worker with its own pipeline (the models
//! themselves are loaded once per process and shared); the lines come out in input order.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

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

    let mut failed = 0usize;
    Pipeline::while_loading_matting(|| {
        for_each_in_order(&jobs, &spec, args.background, |job, outcome| match outcome {
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
        })
    });
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

/// Standardizes every job on one worker per core (at most one per job) and hands each outcome
/// to `report` on the calling thread, in the jobs' order, as soon as it and those before it are done.
fn for_each_in_order(
    jobs: &[Job],
    spec: &PhotoSpec,
    background: Background,
    mut report: impl FnMut(&Job, Result<Standardized>),
) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(jobs.len());
    let next = AtomicUsize::new(0);
    let (done, results) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (done, next) = (done.clone(), &next);
            scope.spawn(move || {
                let mut pipeline = Pipeline::with_threads(cores / workers.max(1));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    // Read and decoded on the pipeline's pool too: one thread's heap holds the photo.
                    let outcome = pipeline.on_pool(|pipeline| process(pipeline, job, spec, background));
                    if done.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        let mut waiting = BTreeMap::new();
        let mut reported = 0;
        for (i, outcome) in results {
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&reported) {
                report(&jobs[reported], outcome);
                reported += 1;
            }
        }
    });
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
    write_atomic(&job.output, &result.jpeg.bytes)
        .map_err(|source| CliError::File(FileError::Write { path: job.output.clone(), source }))?;
    if let Some(path) = &job.overlay {
        // The landmarks and the crop are in the picture as the pipeline used it (turned upright).
        let source = burst[result.chosen_frame()].turned(result.quarter_turns_cw());
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
