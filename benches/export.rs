//! `cargo bench --bench export`: exporting 1,000 approved photos (~10 KB each) to a folder —
//! read from the store with their hashes checked, each written under a temporary name, synced
//! and renamed, the manifests written, everything read back and verified, the batch recorded —
//! loose and in zip archives of 200. Each sample starts from a copy of the same store.

#[path = "../tests/common/photo_store.rs"]
mod photo_store;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tucai::export::{ExportRequest, ZipLimits, export};
use tucai::profile::ProfileLibrary;
use tucai::progress::Progress;
use tucai::store::{CaptureStatus, Store};

const PHOTOS: usize = 1000;

fn export_batch(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("tucai-bench-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (store, _) = photo_store::store_with_approved_photos(&dir.join("seed"), PHOTOS);
    let seed = dir.join("seed.db");
    store.backup(&seed).expect("seed copy");
    drop(store);
    let spec = ProfileLibrary::load_default(&[]).resolve("chsi-graduate").expect("profile");

    let mut g = c.benchmark_group("export");
    g.sample_size(10);
    for (name, zip) in [("1000_photos_loose", None), ("1000_photos_zip200", Some(200))] {
        let mut run = 0;
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    run += 1;
                    let data = dir.join(format!("{name}-{run}"));
                    std::fs::create_dir_all(&data).expect("data dir");
                    std::fs::copy(&seed, data.join(tucai::store::DB_FILE)).expect("copy store");
                    let mut store = Store::open(&data).expect("store");
                    let admin = store.login("admin", "246810", tucai::store::LoginVia::Cli).expect("admin");
                    let target = data.join("usb");
                    std::fs::create_dir_all(&target).expect("target");
                    (store, admin, target)
                },
                |(mut store, admin, target)| {
                    let zip = zip.map(|n| ZipLimits { max_files: Some(n), max_bytes: None });
                    let req = ExportRequest { target, statuses: vec![CaptureStatus::Approved], zip, password: None };
                    let summary = export(&mut store, &admin, &spec, &req, &Progress::default()).expect("exports");
                    assert_eq!(summary.photos, PHOTOS);
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, export_batch);
criterion_main!(benches);
