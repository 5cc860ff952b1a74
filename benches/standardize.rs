//! `cargo bench --bench standardize`: a booth shot, whole and by stage, in the build a booth
//! runs (`cargo bench` builds the release profile, as `packaging/build-deb.sh` does).
//!
//! The person is a real portrait (tests/data/grace_hopper.jpg) enlarged to booth scale:
//! - `plain`: matted once and set on a plain wall (the booth case: colour-key matte);
//! - `busy`: with her original flag behind her (MODNet matte);
//! - `keep`: the plain frame without background replacement.
//!
//! `shot_WxH/*` is what the station does per shot (one frame): standardize, then the full
//! check of the result. Before the timings, the stage split of each shot (median over 15 runs
//! of the trail's per-step milliseconds, plus the check) is printed.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

use common::booth_frames;
use criterion::{Criterion, criterion_group, criterion_main};
use tucai::imaging::{
    Background, Filter, HeadGeometry, Outside, Pipeline, SourcePhoto, Warper, encode_to_profile, plan_crop,
};
use tucai::profile::{PhotoSpec, ProfileLibrary};
use tucai::station::standardize_and_check;

const SIZES: [(u32, u32); 2] = [(1280, 720), (1920, 1080)];

fn shots(c: &mut Criterion) {
    let spec = ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile");
    let mut pipeline = Pipeline::new();
    for (w, h) in SIZES {
        let (plain, busy) = booth_frames(&mut pipeline, (w, h));
        print_stage_split(&mut pipeline, &format!("{w}x{h} plain"), &plain, &spec);
        print_stage_split(&mut pipeline, &format!("{w}x{h} busy"), &busy, &spec);
        let mut g = c.benchmark_group(format!("shot_{w}x{h}"));
        g.sample_size(20);
        g.bench_function("plain", |b| {
            b.iter(|| {
                standardize_and_check(&mut pipeline, std::slice::from_ref(black_box(&plain)), &spec).expect("shot")
            })
        });
        g.sample_size(10);
        g.bench_function("busy", |b| {
            b.iter(|| {
                standardize_and_check(&mut pipeline, std::slice::from_ref(black_box(&busy)), &spec).expect("shot")
            })
        });
        g.finish();
    }
}

/// Median milliseconds per trail step (and for the check) over 15 shots, on stderr.
fn print_stage_split(pipeline: &mut Pipeline, name: &str, frame: &SourcePhoto, spec: &PhotoSpec) {
    let mut steps: Vec<(String, Vec<f32>)> = Vec::new();
    let mut totals = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        let shot = standardize_and_check(pipeline, std::slice::from_ref(frame), spec).expect("shot");
        totals.push(started.elapsed().as_secs_f32() * 1000.0);
        let trail_ms: f32 = shot.photo.trail.iter().map(|t| t.ms).sum();
        let named = shot.photo.trail.iter().map(|t| {
            let json = serde_json::to_value(&t.step).expect("step");
            (json["step"].as_str().unwrap_or("?").to_owned(), t.ms)
        });
        let check = ("check (and the rest)".to_owned(), totals[totals.len() - 1] - trail_ms);
        for (step, ms) in named.chain([check]) {
            match steps.iter_mut().find(|(s, _)| *s == step) {
                Some((_, all)) => all.push(ms),
                None => steps.push((step, vec![ms])),
            }
        }
    }
    let split: Vec<String> = steps.iter_mut().map(|(s, all)| format!("{s} {:.1}", median(all))).collect();
    eprintln!("stage split, {name}: total {:.1} ms = {}", median(&mut totals), split.join(", "));
}

fn median(v: &mut [f32]) -> f32 {
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

fn stages(c: &mut Criterion) {
    let spec = ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile");
    let mut pipeline = Pipeline::new();
    let (plain, cluttered) = booth_frames(&mut pipeline, (1920, 1080));
    let frame = &plain.image;
    let faces = pipeline.detect(frame).expect("detect");
    let face = faces.first().expect("a face in the bench frame").clone();
    let analysis = pipeline.analyse(frame).expect("analyse");
    let plan =
        plan_crop(&HeadGeometry::from_landmarks(&analysis.measures), &spec.geometry, (480, 640), frame.dimensions());
    let mut warper = Warper::default();
    let photo =
        warper.warp(frame, &plan.photo_to_frame, (480, 640), Filter::Lanczos3, Outside::Edge).expect("warp").image;
    // Load MODNet before timing (it loads on first use).
    pipeline.standardize(&cluttered, &spec).expect("cluttered frame standardizes");

    let mut g = c.benchmark_group("standardize_1920x1080");
    g.sample_size(20);
    g.bench_function("detect", |b| b.iter(|| pipeline.detect(black_box(frame)).expect("detect")));
    g.bench_function("mesh", |b| b.iter(|| pipeline.fit_landmarks(black_box(frame), &face).expect("mesh")));
    g.bench_function("crop_resample", |b| {
        b.iter(|| {
            warper
                .warp(black_box(frame), &plan.photo_to_frame, (480, 640), Filter::Lanczos3, Outside::Edge)
                .expect("warp")
        })
    });
    g.bench_function("encode", |b| b.iter(|| encode_to_profile(black_box(&photo), &spec.output).expect("encode")));
    g.bench_function("total_keep", |b| {
        b.iter(|| pipeline.standardize_with(black_box(&plain), &spec, Background::Keep).expect("standardize"))
    });
    g.finish();
}

criterion_group!(benches, shots, stages);
criterion_main!(benches);
