//! `cargo bench --bench store`: importing a generated roster of 20,000 students into a fresh
//! store (parse + one transaction), and looking a student up by number.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tucai::store::{Role, Store};

const STUDENTS: usize = 20_000;

fn roster_csv() -> Vec<u8> {
    let mut csv = String::from("学号,姓名,身份证号,学院,专业,班级\n");
    for i in 0..STUDENTS {
        csv.push_str(&format!("2022{i:06},学生{i},,学院{},专业{},班{}\n", i % 12, i % 40, i % 400));
    }
    csv.into_bytes()
}

fn store(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("tucai-bench-store-{}", std::process::id()));
    let file = dir.join("roster.csv");
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(&file, roster_csv()).expect("roster");

    let mut g = c.benchmark_group("store");
    g.sample_size(10);
    let mut run = 0;
    g.bench_function("import_20000_students", |b| {
        b.iter(|| {
            run += 1;
            let data = dir.join(format!("data-{run}"));
            let mut store = Store::open(&data).expect("store");
            let admin = store.add_operator(None, "admin", Role::Admin, "246810").expect("admin");
            let roster = tucai::roster::read_roster(&file).expect("reads");
            let counts = store.import_students(&admin, &roster.records).expect("imports");
            assert_eq!(counts.added, STUDENTS);
            drop(store);
            let _ = std::fs::remove_dir_all(&data);
        })
    });
    let data = dir.join("lookup");
    let mut store = Store::open(&data).expect("store");
    let admin = store.add_operator(None, "admin", Role::Admin, "246810").expect("admin");
    store.import_students(&admin, &tucai::roster::read_roster(&file).expect("reads").records).expect("imports");
    g.sample_size(100);
    g.bench_function("lookup_by_student_no", |b| b.iter(|| store.student(black_box("2022012345")).expect("found")));
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, store);
criterion_main!(benches);
