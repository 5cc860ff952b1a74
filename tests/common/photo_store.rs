//! A store holding `n` students with approved photos, for the print and export tests and the
//! export benchmark. The photos are small synthetic JPEGs at the profile's 480×640, each a
//! different shade (so each has its own hash), about 10 KB.
#![allow(dead_code)]

use std::path::Path;

use tucai::profile::RetakePolicy;
use tucai::store::{Actor, NewAttempt, ReviewDecision, Role, Store, Student, StudentRecord};

/// A 480×640 JPEG, shade `i` (a different one for every `i` below 20,000), with a darker "head" so it looks like something when rendered.
pub fn photo_jpeg(i: usize) -> Vec<u8> {
    let (r, g) = ((i * 37 % 200) as u8, (i * 91 % 200) as u8);
    let head_x = 240 + (i / 200 % 100) as i32;
    let image = image::RgbImage::from_fn(480, 640, |x, y| {
        // The head moves right by a pixel each time the shade repeats (every 200), so that
        // every photo has bytes of its own.
        let head = (x as i32 - head_x).pow(2) * 4 + (y as i32 - 300).pow(2) * 3 < 150 * 150 * 4;
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
    booth(dir, &Booth { roster: 0..n, shot: 0..n, approve: 0..n, ..Booth::default() })
}

/// A booth for the sync tests: who is on its roster, who was photographed there, and how.
#[derive(Clone, Debug, Default)]
pub struct Booth {
    /// Student indices on the roster.
    pub roster: std::ops::Range<usize>,
    /// Student indices photographed (and accepted).
    pub shot: std::ops::Range<usize>,
    /// Added to the index for the photo's shade, so two booths' photos of one student differ.
    pub shade_offset: usize,
    /// Student indices whose accepted photo is approved here too.
    pub approve: std::ops::Range<usize>,
    /// This booth's clock minus the true time (seconds).
    pub clock_offset_s: i64,
}

/// Opens a store in `dir` with an admin (PIN 246810), the booth's roster, and one accepted
/// (optionally approved) capture per student photographed.
pub fn booth(dir: &Path, booth: &Booth) -> (Store, Actor) {
    let offset = booth.clock_offset_s;
    let clock = Box::new(move || {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
        now.as_secs() as i64 + offset
    });
    let mut store = Store::open_with_clock(dir, clock).expect("store opens");
    let admin = match store.operator_count().expect("counts") {
        0 => store.add_operator(None, "admin", Role::Admin, "246810").expect("first admin"),
        _ => store.login("admin", "246810", tucai::store::LoginVia::Cli).expect("admin logs in"),
    };
    let records: Vec<StudentRecord> = booth
        .roster
        .clone()
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
    for i in booth.shot.clone() {
        let student = store.student(&student_no(i)).expect("on the roster");
        let jpeg = photo_jpeg(i + booth.shade_offset);
        store.record_attempt(&admin, &passing_attempt(&student, &jpeg), &policy).expect("stored");
        let student = store.student(&student_no(i)).expect("on the roster");
        store.accept(&admin, &student, None).expect("accepted");
        if booth.approve.contains(&i) {
            let student = store.student(&student_no(i)).expect("on the roster");
            store.review(&admin, &student, ReviewDecision::Approve, "").expect("approved");
        }
    }
    (store, admin)
}

/// A shot of `student` that passed the checks, `jpeg` as both original and photo.
pub fn passing_attempt<'a>(student: &'a Student, jpeg: &'a [u8]) -> NewAttempt<'a> {
    NewAttempt {
        student,
        profile: "chsi-graduate",
        original: jpeg,
        photo: Some(jpeg),
        trail_json: "[]".into(),
        report_json: "{}".into(),
        verdict: "pass",
        failure: None,
        error: None,
    }
}
