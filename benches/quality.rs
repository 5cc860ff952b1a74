//! `cargo bench --bench quality`: the checks' two speeds.
//! - `quality_480x640`: the full check of a finished photo: from the file alone (decode,
//!   detect, mesh, matte, measures), for a photo standardized here (decode, detect, reuse
//!   landmarks and alpha), and the measures alone;
//! - `live_1280x720`: the live subset on a booth preview frame, detection included.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use common::booth_frames;
use criterion::{Criterion, criterion_group, criterion_main};
use tucai::imaging::Pipeline;
use tucai::profile::ProfileLibrary;
use tucai::quality::{self, Evidence, live};

fn speeds(c: &mut Criterion) {
    let spec = ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile");
    let mut pipeline = Pipeline::new();
    let (plain, _) = booth_frames(&mut pipeline, (1920, 1080));
    let result = pipeline.standardize(&plain, &spec).expect("standardizes");
    let bytes = result.jpeg.bytes.clone();
    let evidence = Evidence::from_file(&mut pipeline, &bytes).expect("evidence");

    let mut g = c.benchmark_group("quality_480x640");
    g.sample_size(30);
    g.bench_function("full_from_file", |b| {
        b.iter(|| quality::check(&Evidence::from_file(&mut pipeline, black_box(&bytes)).expect("evidence"), &spec))
    });
    g.bench_function("full_standardized", |b| {
        b.iter(|| {
            quality::check(&Evidence::from_standardized(&mut pipeline, black_box(&result)).expect("evidence"), &spec)
        })
    });
    g.bench_function("measures_only", |b| b.iter(|| quality::check(black_box(&evidence), &spec)));
    g.finish();

    let (preview, _) = booth_frames(&mut pipeline, (1280, 720));
    let mut g = c.benchmark_group("live_1280x720");
    g.sample_size(30);
    g.bench_function("check_frame", |b| {
        b.iter(|| live::check_frame(&mut pipeline, black_box(&preview.image), &spec).expect("live"))
    });
    g.finish();
}

criterion_group!(benches, speeds);
criterion_main!(benches);
