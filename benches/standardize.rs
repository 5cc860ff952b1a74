//! `cargo bench --bench standardize`: the standardize path on a 1920×1080 frame, per stage and
//! whole. The frame is a real portrait (tests/data/grace_hopper.jpg) enlarged to booth scale and
//! set on a plain wall, so the face is about as large as a webcam on a tripod sees it.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use image::RgbImage;
use tucai::imaging::{Filter, HeadGeometry, Outside, Pipeline, SourcePhoto, Warper, encode_to_profile, plan_crop};
use tucai::profile::ProfileLibrary;

fn booth_frame() -> SourcePhoto {
    let portrait =
        tucai::imaging::load_photo(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/grace_hopper.jpg"))
            .expect("test photo")
            .image;
    let tall = image::imageops::resize(&portrait, 900, 1055, image::imageops::FilterType::Lanczos3);
    let mut frame = RgbImage::from_pixel(1920, 1080, image::Rgb([205, 208, 212]));
    image::imageops::overlay(&mut frame, &tall, 510, 25);
    SourcePhoto { image: frame, exif_orientation: "NoTransforms".into(), stored_size_px: [1920, 1080] }
}

fn stages(c: &mut Criterion) {
    let spec = ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile");
    let source = booth_frame();
    let frame = &source.image;
    let mut pipeline = Pipeline::new().expect("models");
    let faces = pipeline.detect(frame).expect("detect");
    let face = faces.first().expect("a face in the bench frame").clone();
    let analysis = pipeline.analyse(frame).expect("analyse");
    let plan = plan_crop(&HeadGeometry::from_landmarks(&analysis.measures), &spec.geometry, (480, 640));
    let mut warper = Warper::default();
    let photo =
        warper.warp(frame, &plan.photo_to_frame, (480, 640), Filter::Lanczos3, Outside::Edge).expect("warp").image;

    let mut g = c.benchmark_group("standardize_1920x1080");
    g.sample_size(30);
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
    g.bench_function("total", |b| b.iter(|| pipeline.standardize(black_box(&source), &spec).expect("standardize")));
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
