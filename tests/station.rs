//! The station worker: models load on its thread, a shot comes back standardized, a bad shot
//! comes back as words, and the caller is woken for each event.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tucai::camera::{Camera, CameraSpec};
use tucai::profile::ProfileLibrary;
use tucai::station::{Event, Job, LiveEvent, LiveWorker, StationWorker};

/// Polls `poll` until it gives something (the workers answer on their own threads).
fn wait_until<T>(what: &str, mut poll: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(answer) = poll() {
            return answer;
        }
        assert!(Instant::now() < deadline, "{what} did not answer within two minutes");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn wait_for(worker: &StationWorker) -> Event {
    wait_until("the station worker", || worker.poll())
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
    assert!(worker.submit(Job::Standardize { shot_id: 7, frames: vec![Arc::clone(&frame)], spec: spec.clone() }));
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
    assert!(worker.submit(Job::Standardize { shot_id: 8, frames: vec![blank], spec }));
    match wait_for(&worker) {
        Event::Standardized { shot_id: 8, result, .. } => {
            let error = result.map(|_| ()).expect_err("a black frame has no face");
            assert!(matches!(error, tucai::imaging::StandardizeError::NoFace), "{error}");
        }
        _ => panic!("expected the second shot's result"),
    }
    // The wake-up follows each send, so give the last one a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while wakes.load(Ordering::SeqCst) < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(wakes.load(Ordering::SeqCst), 3, "woken once per event");
}

fn next_live(worker: &LiveWorker) -> LiveEvent {
    wait_until("the live worker", || worker.take())
}

#[test]
fn the_live_worker_judges_the_newest_frame_and_reads_codes_when_asked() {
    let worker = LiveWorker::spawn(|| {}).expect("thread starts");
    let camera = Camera::open(&CameraSpec::Demo, 30).expect("demo camera");
    let spec = ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile");
    // The first student's card: its code is read while the station scans.
    worker.watch(Some(camera.feed()), Some(spec.clone()), true);
    let card = next_live(&worker);
    assert!(card.scanned);
    assert_eq!(card.codes, ["TUCAI1|2026000001|王芳"]);
    // Her portrait, without code reading: live hints about her face.
    worker.watch(Some(camera.feed()), Some(spec), false);
    camera.advance();
    let portrait = loop {
        let e = next_live(&worker);
        if Arc::ptr_eq(&e.frame, &camera.latest().frame.expect("frame").image) {
            break e;
        }
    };
    assert!(!portrait.scanned && portrait.codes.is_empty());
    let live = portrait.result.expect("judged");
    assert!(live.face.is_some() && live.crop_in_frame.is_some(), "{:?}", live.report.findings);
    // Frames keep coming from the camera thread: so do results, without being asked.
    let later = next_live(&worker);
    assert!(later.frame_id > portrait.frame_id);
    // Told to stop judging, it stops.
    worker.watch(None, None, false);
    let _ = worker.take();
    std::thread::sleep(Duration::from_millis(300));
    let _ = worker.take(); // one may have been under way
    std::thread::sleep(Duration::from_millis(300));
    assert!(worker.take().is_none(), "no results without a feed");
}
