//! `cargo bench --bench standardize`: the standardize path on 1920×1080 frames, per stage and
//! whole. The person is a real portrait (tests/data/grace_hopper.jpg) enlarged to booth scale:
//! - `plain`: matted once and set on a plain wall (the booth case: colour-key matte);
//! - `cluttered`: with her original flag behind her (MODNet matte);
//! - `keep`: the plain frame without background replacement.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use common::booth_frames;
use criterion::{Criterion, criterion_group, criterion_main};
use tucai::imaging::{Background, Filter, HeadGeometry, Outside, Pipeline, Warper, encode_to_profile, plan_crop};
use tucai::profile::ProfileLibrary;

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
    g.bench_function("total_plain", |b| {
        b.iter(|| pipeline.standardize(black_box(&plain), &spec).expect("standardize"))
    });
    g.sample_size(10);
    g.bench_function("total_cluttered", |b| {
        b.iter(|| pipeline.standardize(black_box(&cluttered), &spec).expect("standardize"))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
