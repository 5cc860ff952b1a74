//! The station worker: models load on its thread, a shot comes back standardized, a bad shot
//! comes back as words, and the caller is woken for each event.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tucai::camera::{FrameSource, ReplaySource};
use tucai::imaging::SourcePhoto;
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
    let camera = ReplaySource::demo();
    let frame = &camera.current().image;
    let shot = SourcePhoto {
        image: (**frame).clone(),
        exif_orientation: String::new(),
        stored_size_px: [frame.width(), frame.height()],
    };
    assert!(worker.submit(Job::Standardize { shot_id: 7, source: shot, spec: spec.clone() }));
    match wait_for(&worker) {
        Event::Standardized { shot_id, result, .. } => {
            assert_eq!(shot_id, 7);
            let checked = result.expect("the demo portrait standardizes");
            assert_eq!((checked.photo.photo.width(), checked.photo.photo.height()), (480, 640));
            assert!(checked.report.findings.len() >= 25, "the full check ran: {:?}", checked.report.findings);
        }
        _ => panic!("expected the shot's result"),
    }

    let blank = SourcePhoto {
        image: image::RgbImage::new(320, 240),
        exif_orientation: String::new(),
        stored_size_px: [320, 240],
    };
    assert!(worker.submit(Job::Standardize { shot_id: 8, source: blank, spec }));
    match wait_for(&worker) {
        Event::Standardized { shot_id: 8, result, .. } => {
            let message = result.map(|_| ()).expect_err("a black frame has no face");
            assert!(message.contains("no face"), "{message}");
        }
        _ => panic!("expected the second shot's result"),
    }
    // A preview frame comes back with live hints about the same face.
    let preview = std::sync::Arc::clone(&camera.current().image);
    assert!(worker.submit(Job::Live {
        frame_id: 9,
        frame: preview,
        spec: Box::new(ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile"))
    }));
    match wait_for(&worker) {
        Event::Live(e) => {
            assert_eq!(e.frame_id, 9);
            let live = e.result.expect("judged");
            assert!(live.face.is_some() && live.crop_in_frame.is_some(), "{:?}", live.report.findings);
        }
        _ => panic!("expected the live result"),
    }
    // The wake-up follows each send, so give the last one a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while wakes.load(Ordering::SeqCst) < 4 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(wakes.load(Ordering::SeqCst), 4, "woken once per event");
}
