//! A store holding `n` students with approved photos, for the print and export tests and the
//! export benchmark. The photos are small synthetic JPEGs at the profile's 480×640, each a
//! different shade (so each has its own hash), about 10 KB.
#![allow(dead_code)]

use std::path::Path;

use tucai::profile::RetakePolicy;
use tucai::store::{Actor, NewAttempt, ReviewDecision, Role, Store, StudentRecord};

/// A 480×640 JPEG, shade `i`, with a darker "head" so it looks like something when rendered.
pub fn photo_jpeg(i: usize) -> Vec<u8> {
    let (r, g) = ((i * 37 % 200) as u8, (i * 91 % 200) as u8);
    let image = image::RgbImage::from_fn(480, 640, |x, y| {
        let head = (x as i32 - 240).pow(2) * 4 + (y as i32 - 300).pow(2) * 3 < 150 * 150 * 4;
        image::Rgb(if head { [r / 2, g / 2, 60] } else { [100, 197, 255] })
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&image).expect("encodes");
    jpeg
}

/// Student number `i` (`2026` and six digits).
pub fn student_no(i: usize) -> String {
    format!("2026{i:06}")
}

/// Opens a store in `dir` with an admin and `n` students whose photos are approved.
pub fn store_with_approved_photos(dir: &Path, n: usize) -> (Store, Actor) {
    let mut store = Store::open(dir).expect("store opens");
    let admin = store.add_operator(None, "admin", Role::Admin, "2468").expect("first admin");
    let records: Vec<StudentRecord> = (0..n)
        .map(|i| StudentRecord {
            student_no: student_no(i),
            name: format!("学生{i}"),
            college: "计算机学院".into(),
            class: format!("软件22{:02}", i / 30 + 1),
            ..StudentRecord::default()
        })
        .collect();
    store.import_students(&admin, &records).expect("roster");
    let policy = RetakePolicy::default();
    for i in 0..n {
        let student = store.student(&student_no(i)).expect("on the roster");
        let jpeg = photo_jpeg(i);
        let attempt = NewAttempt {
            student: &student,
            profile: "chsi-graduate",
            original: &jpeg,
            photo: Some(&jpeg),
            trail_json: "[]".into(),
            report_json: "{}".into(),
            verdict: "pass",
            failure: None,
            error: None,
        };
        store.record_attempt(&admin, &attempt, &policy).expect("stored");
        let student = store.student(&student_no(i)).expect("on the roster");
        store.accept(&admin, &student, None).expect("accepted");
        let student = store.student(&student_no(i)).expect("on the roster");
        store.review(&admin, &student, ReviewDecision::Approve, "").expect("approved");
    }
    (store, admin)
}
