//! The station worker: models load on its thread, a shot comes back standardized, a bad shot
//! comes back as words, and the caller is woken for each event.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tucai::camera::{Camera, CameraSpec};
use tucai::profile::ProfileLibrary;
use tucai::station::{Event, Job, StationWorker};

fn wait_for(worker: &StationWorker) -> Event {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(e) = worker.poll() {
            return e;
        }
        assert!(Instant::now() < deadline, "the station worker did not answer within two minutes");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_demo_shot_comes_back_standardized_and_a_blank_one_as_an_error() {
    let wakes = Arc::new(AtomicUsize::new(0));
    let counter = wakes.clone();
    let worker = StationWorker::spawn(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    })
    .expect("thread starts");
    assert!(matches!(wait_for(&worker), Event::Ready(Ok(()))), "models load on the worker");

    let spec = Box::new(ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile"));
    let camera = Camera::open(&CameraSpec::Demo, 30).expect("demo camera");
    camera.advance(); // from the first student's card to her portrait
    let frame = camera.latest().frame.expect("a frame").image;
    assert!(worker.submit(Job::Standardize { shot_id: 7, frame: Arc::clone(&frame), spec: spec.clone() }));
    match wait_for(&worker) {
        Event::Standardized { shot_id, result, .. } => {
            assert_eq!(shot_id, 7);
            let checked = result.expect("the demo portrait standardizes");
            assert_eq!((checked.photo.photo.width(), checked.photo.photo.height()), (480, 640));
            assert!(checked.report.findings.len() >= 25, "the full check ran: {:?}", checked.report.findings);
        }
        _ => panic!("expected the shot's result"),
    }

    let blank = Arc::new(image::RgbImage::new(320, 240));
    assert!(worker.submit(Job::Standardize { shot_id: 8, frame: blank, spec }));
    match wait_for(&worker) {
        Event::Standardized { shot_id: 8, result, .. } => {
            let message = result.map(|_| ()).expect_err("a black frame has no face");
            assert!(message.contains("no face"), "{message}");
        }
        _ => panic!("expected the second shot's result"),
    }
    // A preview frame comes back with live hints about the same face.
    assert!(worker.submit(Job::Live {
        frame_id: 9,
        frame,
        spec: Box::new(ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile")),
        scan_codes: true,
    }));
    match wait_for(&worker) {
        Event::Live(e) => {
            assert_eq!(e.frame_id, 9);
            let live = e.result.expect("judged");
            assert!(live.face.is_some() && live.crop_in_frame.is_some(), "{:?}", live.report.findings);
            assert!(e.codes.is_empty(), "no code in a portrait");
        }
        _ => panic!("expected the live result"),
    }
    // The card held up before the portrait: its code is read from the preview frame.
    let card = Arc::new(tucai::camera::card_frame("TUCAI1|2026000001|王芳"));
    let spec = Box::new(ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile"));
    assert!(worker.submit(Job::Live { frame_id: 10, frame: card, spec, scan_codes: true }));
    match wait_for(&worker) {
        Event::Live(e) => assert_eq!(e.codes, ["TUCAI1|2026000001|王芳"]),
        _ => panic!("expected the live result"),
    }
    // The wake-up follows each send, so give the last one a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while wakes.load(Ordering::SeqCst) < 5 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(wakes.load(Ordering::SeqCst), 5, "woken once per event");
}
