//! Paper and USB: print sheets measured from the PDF itself and from its rendering (pdftoppm,
//! skipped with a message where poppler is missing), reprints refused unless asked, capture
//! cards whose QR codes read back, export batches verified, resumed after a full drive, and a
//! corrupted file caught by `export verify`.

#[allow(dead_code)] // the portraits in common/mod.rs are for other tests
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::photo_store::{photo_jpeg, store_with_approved_photos, student_no};
use image::RgbImage;
use tucai::export::{ExportError, ExportRequest, ZipLimits, export, verify_batch};
use tucai::i18n::{Lang, Say};
use tucai::print::{Paper, PrintRequest, PrintSelection, print_job};
use tucai::profile::ProfileLibrary;
use tucai::progress::Progress;
use tucai::store::{CaptureStatus, PhotoFilter};

const PT_PER_MM: f32 = 72.0 / 25.4;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tucai-outputs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn spec() -> tucai::profile::PhotoSpec {
    ProfileLibrary::load_default(&[]).resolve("chsi-graduate").expect("built-in profile")
}

fn font() -> (PathBuf, u32) {
    tucai::fonts::cjk_font().expect("a CJK font (packaging/deps-debian.sh installs fonts-noto-cjk)")
}

#[path = "common/cli.rs"]
mod cli;
use cli::{out, tucai};

/// Renders page 1 of `pdf` at `dpi`, or `None` (saying so) where poppler is not installed.
fn render(pdf: &Path, dpi: u32) -> Option<RgbImage> {
    let stem = pdf.with_extension("");
    let ran = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&stem)
        .output();
    match ran {
        Ok(o) if o.status.success() => {
            Some(image::open(stem.with_extension("png")).expect("pdftoppm wrote a PNG").to_rgb8())
        }
        Ok(o) => panic!("pdftoppm failed on {}: {}", pdf.display(), out(&o)),
        Err(_) => {
            eprintln!("SKIPPED rendering {}: pdftoppm not found (install poppler-utils)", pdf.display());
            None
        }
    }
}

/// Bounding boxes (x0, y0, x1, y1, pixels) of the connected non-white regions at least
/// `min_px` wide and high: on a print sheet, the photos (captions and cut marks are apart
/// from them and smaller).
fn regions(image: &RgbImage, min_px: u32) -> Vec<(u32, u32, u32, u32)> {
    let (w, h) = image.dimensions();
    let ink = |x: u32, y: u32| image.get_pixel(x, y).0.iter().any(|&c| c < 200);
    let mut seen = vec![false; (w * h) as usize];
    let mut found = Vec::new();
    for start in 0..w * h {
        let (sx, sy) = (start % w, start / w);
        if seen[start as usize] || !ink(sx, sy) {
            continue;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (sx, sy, sx, sy);
        let mut stack = vec![(sx, sy)];
        seen[start as usize] = true;
        while let Some((x, y)) = stack.pop() {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            for (nx, ny) in [(x.wrapping_sub(1), y), (x + 1, y), (x, y.wrapping_sub(1)), (x, y + 1)] {
                if nx < w && ny < h && !seen[(ny * w + nx) as usize] && ink(nx, ny) {
                    seen[(ny * w + nx) as usize] = true;
                    stack.push((nx, ny));
                }
            }
        }
        if x1 - x0 + 1 >= min_px && y1 - y0 + 1 >= min_px {
            found.push((x0, y0, x1 + 1, y1 + 1));
        }
    }
    found
}

/// Photo sizes in mm measured on a rendering at `dpi`, sorted.
fn measured_photos_mm(image: &RgbImage, dpi: u32) -> Vec<(f32, f32)> {
    let mm = |px: u32| px as f32 * 25.4 / dpi as f32;
    let mut sizes: Vec<(f32, f32)> =
        regions(image, dpi * 20 / 25).iter().map(|&(x0, y0, x1, y1)| (mm(x1 - x0), mm(y1 - y0))).collect();
    sizes.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    sizes
}

fn assert_photo_sizes(sizes: &[(f32, f32)], upright: usize, turned: usize) {
    let near = |a: f32, b: f32| (a - b).abs() <= 0.2;
    let up = sizes.iter().filter(|(w, h)| near(*w, 33.0) && near(*h, 48.0)).count();
    let side = sizes.iter().filter(|(w, h)| near(*w, 48.0) && near(*h, 33.0)).count();
    assert_eq!((up, side, sizes.len()), (upright, turned, upright + turned), "measured {sizes:?}");
}

#[test]
fn a_six_inch_sheet_holds_five_true_size_copies_with_the_stored_bytes() {
    let dir = temp("sheet");
    let (mut store, admin) = store_with_approved_photos(&dir.join("data"), 1);
    let output = dir.join("sheet.pdf");
    let req = PrintRequest {
        selection: PrintSelection::Students(vec![student_no(0)]),
        paper: Paper::SixInch,
        copies: None,
        reprint: false,
        output: output.clone(),
        printer: None,
    };
    let (font_path, index) = font();
    let summary =
        print_job(&mut store, &admin, &spec(), &req, (&font_path, index), &Progress::default()).expect("prints");
    assert_eq!((summary.students, summary.pages, summary.copies), (1, 1, 5));
    assert!((summary.min_dpi - 338.7).abs() < 0.5, "640 px over 48 mm: {}", summary.min_dpi);

    // From the PDF itself: the page is 152×102 mm, the one image is the stored JPEG unchanged,
    // and five clip rectangles of exactly 33×48 mm (one turned) hold it.
    let doc = lopdf::Document::load(&output).expect("a readable PDF");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let page_id = pages[&1];
    let page = doc.get_dictionary(page_id).expect("page");
    let media: Vec<f32> = page
        .get(b"MediaBox")
        .and_then(|m| m.as_array())
        .expect("MediaBox")
        .iter()
        .map(|v| v.as_float().expect("number"))
        .collect();
    assert!((media[2] / PT_PER_MM - 152.0).abs() < 0.05 && (media[3] / PT_PER_MM - 102.0).abs() < 0.05, "{media:?}");
    let images: Vec<&lopdf::Stream> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image".as_slice()))
        .collect();
    assert_eq!(images.len(), 1, "one image, drawn five times");
    assert_eq!(images[0].dict.get(b"Filter").and_then(|v| v.as_name()).ok(), Some(b"DCTDecode".as_slice()));
    assert!(images[0].content == photo_jpeg(0), "the JPEG is embedded byte for byte");
    let content = doc.get_and_decode_page_content(page_id).expect("content");
    let ops = &content.operations;
    let mut clips = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        if op.operator == "re" && ops.get(i + 1).is_some_and(|n| n.operator == "W") {
            let v: Vec<f32> = op.operands.iter().map(|o| o.as_float().expect("number") / PT_PER_MM).collect();
            let cm = ops[i..].iter().find(|o| o.operator == "cm").expect("a matrix after the clip");
            let m: Vec<f32> = cm.operands.iter().map(|o| o.as_float().expect("number") / PT_PER_MM).collect();
            clips.push((v, m));
        }
    }
    assert_eq!(clips.len(), 5);
    let near = |a: f32, b: f32| (a - b).abs() < 0.01;
    for (rect, m) in &clips {
        let turned = rect[2] > rect[3];
        let (w, h) = if turned { (rect[3], rect[2]) } else { (rect[2], rect[3]) };
        assert!(near(w, 33.0) && near(h, 48.0), "clip {rect:?}");
        // The image (36×48 mm: 480×640 px covering 33×48) is centred on its clip.
        let (dw, dh) = if turned { (m[1], -m[2]) } else { (m[0], m[3]) };
        assert!(near(dw, 36.0) && near(dh, 48.0), "matrix {m:?}");
        let centre = if turned { (m[4] - dh / 2.0, m[5] + dw / 2.0) } else { (m[4] + dw / 2.0, m[5] + dh / 2.0) };
        assert!(
            near(centre.0, rect[0] + rect[2] / 2.0) && near(centre.1, rect[1] + rect[3] / 2.0),
            "{m:?} on {rect:?}"
        );
    }
    assert_eq!(clips.iter().filter(|(r, _)| r[2] > r[3]).count(), 1, "four upright and one turned");
    // The font is a subset, not the whole 19 MB collection.
    assert!(std::fs::metadata(&output).expect("written").len() < 400_000);

    // Rendered: five photos measuring 33×48 mm ± 0.2 mm.
    if let Some(page) = render(&output, 600) {
        let (w, h) = page.dimensions();
        assert!(w.abs_diff(3591) <= 1 && h.abs_diff(2409) <= 1, "152×102 mm at 600 dpi: {w}×{h}");
        let sizes = measured_photos_mm(&page, 600);
        eprintln!("6-inch sheet at 600 dpi, photos measured (mm): {sizes:.2?}");
        assert_photo_sizes(&sizes, 4, 1);
    }
    // The store knows she had 5 copies printed.
    let filter = PhotoFilter { statuses: vec![CaptureStatus::Approved], ..PhotoFilter::default() };
    assert_eq!(store.current_photos(&filter).expect("reads")[0].printed_copies, 5);
}

#[test]
fn printing_on_the_command_line_refuses_reprints_unless_asked() {
    let dir = temp("cli-print");
    let data = dir.join("data");
    let (store, _) = store_with_approved_photos(&data, 12);
    drop(store);
    let a4 = dir.join("a4.pdf");
    let a4_arg = a4.to_str().expect("utf-8");
    let o = tucai(&data, &["--operator", "admin", "print", "--approved", "--paper", "a4", "-o", a4_arg]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("12 students, 60 copies on 3 A4 sheet(s)"), "{}", out(&o));
    let doc = lopdf::Document::load(&a4).expect("PDF");
    assert_eq!(doc.get_pages().len(), 3, "five students per A4 sheet");
    if let Some(page) = render(&a4, 150) {
        assert_eq!(measured_photos_mm(&page, 150).len(), 25);
    }
    // Everyone approved has prints now: nothing new to print, and a named student is refused.
    let o = tucai(&data, &["--operator", "admin", "print", "--approved", "-o", a4_arg]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("no photos to print"), "{}", out(&o));
    let no = student_no(3);
    let sheet = dir.join("one.pdf");
    let sheet_arg = sheet.to_str().expect("utf-8");
    let o = tucai(&data, &["--operator", "admin", "print", "--student", &no, "-o", sheet_arg]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("5 copies already printed"), "{}", out(&o));
    let o = tucai(&data, &["--operator", "admin", "print", "--student", &no, "--reprint", "-o", sheet_arg]);
    assert!(o.status.success(), "{}", out(&o));
    // A student who is not there is named; the others still print.
    let o = tucai(
        &data,
        &["--operator", "admin", "print", "--student", &no, "9999", "--reprint", "--paper", "5in", "-o", sheet_arg],
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("9999: no accepted photo") && out(&o).contains("on 2 5-inch sheet(s)"), "{}", out(&o));
    // A printer that does not exist is said in words, and nothing is recorded.
    let o =
        tucai(&data, &["--operator", "admin", "print", "--student", &no, "--reprint", "--printer", "NoSuchPrinter"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("NoSuchPrinter") || text.contains("CUPS"), "{text}");
}

#[test]
fn capture_cards_carry_codes_that_read_back_as_the_students() {
    let dir = temp("cards");
    let data = dir.join("data");
    let (store, _) = store_with_approved_photos(&data, 11);
    drop(store);
    let cards = dir.join("cards.pdf");
    let o = tucai(&data, &["--operator", "admin", "cards", "-o", cards.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("11 capture cards on 2 A4 sheet(s)"), "{}", out(&o));
    let Some(page) = render(&cards, 200) else { return };
    let mut read: Vec<String> = tucai::code::decode_image(&page).into_iter().map(|c| c.text).collect();
    read.sort();
    let expected: Vec<String> =
        (0..10).map(|i| tucai::code::card_payload(&student_no(i), &format!("学生{i}"))).collect();
    assert_eq!(read, expected, "page 1 holds the first ten cards");
    let rule = spec().codes;
    assert!(matches!(
        tucai::code::interpret(&read[0], &rule),
        Ok(tucai::code::CodeMeaning::Card { student_no, .. }) if student_no == "2026000000"
    ));
}

#[test]
fn an_export_is_verified_recorded_once_and_split_into_zips() {
    let dir = temp("export");
    let (mut store, admin) = store_with_approved_photos(&dir.join("data"), 20);
    let usb = dir.join("usb");
    // A drive that is not plugged in: its folder is not made on the booth's own disk.
    let req = ExportRequest { target: usb.clone(), statuses: vec![CaptureStatus::Approved], zip: None, password: None };
    let absent = export(&mut store, &admin, &spec(), &req, &Progress::default());
    assert!(matches!(absent, Err(ExportError::NoTarget(_))) && !usb.exists(), "{absent:?}");
    std::fs::create_dir_all(&usb).expect("target");
    let summary = export(&mut store, &admin, &spec(), &req, &Progress::default()).expect("exports");
    assert_eq!((summary.photos, summary.kept, summary.left_out.len()), (20, 0, 0));
    let batch = summary.batch_dir.clone();
    assert!(batch.join("photos/2026000007.jpg").exists());
    let report = verify_batch(&batch, None, &Progress::default());
    assert_eq!((report.verified, report.problems.len()), (20, 0), "{:?}", report.problems);
    let csv = std::fs::read(batch.join("manifest.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}学号,姓名".as_bytes()));
    let gbk = std::fs::read(batch.join("manifest-gbk.csv")).expect("gbk");
    assert!(encoding_rs::GBK.decode(&gbk).0.contains("2026000007,学生7,"));
    // The same export again: nothing new, no second batch.
    let again = export(&mut store, &admin, &spec(), &req, &Progress::default());
    assert!(matches!(again, Err(ExportError::Nothing(_))), "{again:?}");

    // A second store, zipped by count (8, 8, 4) and then verified after damage.
    let (mut store, admin) = store_with_approved_photos(&dir.join("data2"), 20);
    let zip = Some(ZipLimits { max_files: Some(8), max_bytes: None });
    let req = ExportRequest { target: usb.clone(), statuses: vec![CaptureStatus::Approved], zip, password: None };
    let summary = export(&mut store, &admin, &spec(), &req, &Progress::default()).expect("exports");
    assert_eq!(summary.archives, ["photos-001.zip", "photos-002.zip", "photos-003.zip"]);
    assert!(verify_batch(&summary.batch_dir, None, &Progress::default()).problems.is_empty());
    let archive = summary.batch_dir.join("photos-002.zip");
    let mut bytes = std::fs::read(&archive).expect("zip");
    // Flip a byte inside the first stored photo's data (past its 30-byte header and name).
    bytes[200] ^= 0xFF;
    std::fs::write(&archive, bytes).expect("damage");
    let report = verify_batch(&summary.batch_dir, None, &Progress::default());
    assert_eq!(report.verified, 19);
    assert!(
        report.problems.iter().any(|p| {
            let text = p.say(Lang::En);
            text.contains("photos-002.zip") && (text.contains("damaged") || text.contains("cannot read"))
        }),
        "{:?}",
        report.problems
    );

    // Split by size: archives just large enough for two photos each.
    let (mut store, admin) = store_with_approved_photos(&dir.join("data3"), 5);
    let largest = (0..5).map(|i| photo_jpeg(i).len() as u64).max().expect("photos");
    let limit = 2 * largest + 500;
    let zip = Some(ZipLimits { max_files: None, max_bytes: Some(limit) });
    let req = ExportRequest { target: usb.clone(), statuses: vec![CaptureStatus::Approved], zip, password: None };
    let summary = export(&mut store, &admin, &spec(), &req, &Progress::default()).expect("exports");
    assert_eq!(summary.archives.len(), 3, "{:?}", summary.archives);
    for a in &summary.archives {
        assert!(std::fs::metadata(summary.batch_dir.join(a)).expect("archive").len() <= limit);
    }
    assert!(verify_batch(&summary.batch_dir, None, &Progress::default()).problems.is_empty());

    // Damage a loose photo of the first batch: `tucai export verify` names it, exit code 1.
    let photo = batch.join("photos/2026000011.jpg");
    let mut bytes = std::fs::read(&photo).expect("photo");
    bytes[1000] ^= 0x01;
    std::fs::write(&photo, bytes).expect("damage");
    let o = tucai(&dir.join("data"), &["export", "verify", batch.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("2026000011.jpg: damaged") && out(&o).contains("19 of 20 photos verified"), "{}", out(&o));
}

#[test]
fn a_full_drive_leaves_the_store_unchanged_and_the_same_export_completes_the_batch() {
    let dir = temp("full");
    let data = dir.join("data");
    let (store, _) = store_with_approved_photos(&data, 40);
    let station = store.station_id().to_owned();
    drop(store);
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).expect("mount point");
    // A 200 KiB tmpfs (about 15 of the 40 photos) in a private mount namespace, grown to 4 MiB
    // before the second run: the drive is full, then has room. Needs root or user namespaces.
    let bin = env!("CARGO_BIN_EXE_tucai");
    let script = format!(
        "set -u; mount -t tmpfs -o size=200k tmpfs '{usb}' || exit 99; \
         TUCAI_PIN=246810 '{bin}' --lang en --data-dir '{data}' --operator admin export --to '{usb}'; echo \"first=$?\"; \
         mount -o remount,size=4m '{usb}'; \
         TUCAI_PIN=246810 '{bin}' --lang en --data-dir '{data}' --operator admin export --to '{usb}'; echo \"second=$?\"; \
         '{bin}' --lang en export verify '{usb}/tucai-{station}-0001'; echo \"verify=$?\"",
        usb = usb.display(),
        data = data.display(),
    );
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let unshare: &[&str] = if root { &["--mount"] } else { &["--mount", "--map-root-user"] };
    let o = Command::new("unshare").args(unshare).args(["sh", "-c", &script]).output().expect("unshare runs");
    let text = out(&o);
    if o.status.code() == Some(99) || text.contains("unshare failed") || text.contains("Operation not permitted") {
        eprintln!("SKIPPED the full-drive test: cannot mount a small tmpfs here ({text})");
        return;
    }
    assert!(text.contains("first=2"), "{text}");
    assert!(text.contains("the drive is full") && text.contains("the store is unchanged"), "{text}");
    assert!(text.contains("second=0") && text.contains("already there from an interrupted run"), "{text}");
    assert!(text.contains("40 of 40 photos verified") && text.contains("verify=0"), "{text}");
    let store = tucai::store::Store::open(&data).expect("store");
    assert_eq!(store.exports_done().expect("reads"), 1, "one batch, recorded once");
}

/// Every file under `dir` with its bytes, for "byte for byte as it was".
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(tree(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).expect("file")));
        }
    }
    out.sort();
    out
}

/// A store put back from a backup (same station id, same count of batches) exports onto the
/// drive that holds the original's batch 0001: that batch stays byte for byte as it was, and
/// the restored store's batch takes the next free number.
#[test]
fn an_export_never_writes_into_a_batch_it_did_not_begin() {
    let dir = temp("restored-export");
    let (mut original, admin) = store_with_approved_photos(&dir.join("data"), 4);
    let restored_dir = dir.join("restored");
    std::fs::create_dir_all(&restored_dir).expect("dir");
    original.backup(&restored_dir.join(tucai::store::DB_FILE)).expect("backup");
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    let req = ExportRequest { target: usb.clone(), statuses: vec![CaptureStatus::Approved], zip: None, password: None };
    let delivered = export(&mut original, &admin, &spec(), &req, &Progress::default()).expect("the original exports");
    let before = tree(&delivered.batch_dir);
    drop(original);
    // Copied over a file it already knew, it cannot tell it is not the original (a restore into
    // a file of its own would take a new station id, and so a batch name of its own anyway).
    {
        use std::os::unix::fs::MetadataExt;
        let db = restored_dir.join(tucai::store::DB_FILE);
        let meta = std::fs::metadata(&db).expect("file");
        let conn = rusqlite::Connection::open(&db).expect("opens");
        conn.execute("UPDATE meta SET value = ?1 WHERE key = 'store_file'", [format!("{}:{}", meta.dev(), meta.ino())])
            .expect("same file");
    }

    let mut restored = tucai::store::Store::open(&restored_dir).expect("restored store");
    let admin = restored.login("admin", "246810", tucai::store::LoginVia::Cli).expect("admin");
    let again = export(&mut restored, &admin, &spec(), &req, &Progress::default()).expect("the restored store exports");
    assert_ne!(again.batch_dir, delivered.batch_dir, "a batch of its own");
    assert!(again.batch_dir.ends_with(format!("tucai-{}-0002", restored.station_id())), "{:?}", again.batch_dir);
    assert_eq!(tree(&delivered.batch_dir), before, "the delivered batch is untouched");
    assert!(verify_batch(&delivered.batch_dir, None, &Progress::default()).problems.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
