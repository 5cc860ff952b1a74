//! `cargo bench --bench sync` (needs `TUCAI_TEST_CENTRAL`, see packaging/test-postgres.sh): a
//! booth's first sync of 1,000 accepted and approved captures (~10–30 KB photos, their reports,
//! reviews, roster lines and audit rows) to a PostgreSQL on loopback, then the pull. Each
//! sample starts from a copy of the same store and a new, empty central database.

#[path = "../tests/common/central.rs"]
mod central;
#[path = "../tests/common/photo_store.rs"]
mod photo_store;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tucai::progress::Progress;
use tucai::store::Store;
use tucai::sync::{CentralUrl, SyncOptions, init_central, sync};

const CAPTURES: usize = 1000;

fn sync_booth(c: &mut Criterion) {
    let Some(server) = central::server() else { return };
    let dir = std::env::temp_dir().join(format!("tucai-bench-sync-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (store, _) = photo_store::store_with_approved_photos(&dir.join("seed"), CAPTURES);
    let seed = dir.join("seed.db");
    store.backup(&seed).expect("seed copy");
    drop(store);

    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    let mut run = 0;
    let mut last_bytes = 0;
    g.bench_function("1000_captures_first_sync", |b| {
        b.iter_batched(
            || {
                run += 1;
                let data = dir.join(format!("run-{run}"));
                std::fs::create_dir_all(&data).expect("data dir");
                std::fs::copy(&seed, data.join(tucai::store::DB_FILE)).expect("copy store");
                let url = CentralUrl::parse(&central::fresh_database(&server, "tucai_bench_sync"), &central::INSECURE)
                    .expect("url");
                init_central(&url).expect("schema");
                (Store::open(&data).expect("store"), url)
            },
            |(mut store, url)| {
                let report = sync(&mut store, &url, &SyncOptions::default(), &Progress::default()).expect("syncs");
                assert_eq!(report.captures, CAPTURES);
                last_bytes = report.bytes_sent;
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
    eprintln!("bytes sent per sync: {last_bytes}");
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, sync_booth);
criterion_main!(benches);
