//! Profile files: the shipped ones load with the numbers of their standards; bad files are
//! refused with the file, the key and what is wrong.

use std::path::PathBuf;

use tucai::profile::{CheckThresholds, FileNameRule, ProfileError, ProfileLibrary, parse_profile};

fn chsi_text() -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles/chsi-graduate.toml"))
        .expect("profile")
}

fn error_for(text: &str) -> String {
    parse_profile(text, PathBuf::from("bad.toml")).map(|_| ()).expect_err("must be refused").to_string()
}

#[test]
fn shipped_profiles_carry_the_standard_numbers() {
    let lib = ProfileLibrary::load(&[]);
    assert!(lib.broken().is_empty(), "{:?}", lib.broken());
    let chsi = lib.resolve("chsi-graduate").expect("chsi");
    assert_eq!((chsi.output.width_px, chsi.output.height_px, chsi.output.dpi), (480, 640, 300));
    assert_eq!(chsi.output.jpeg_quality_min, 60);
    assert_eq!(chsi.output.file_size_bytes, [20 * 1024, 40 * 1024]);
    assert_eq!(chsi.output.background_rgb, [100, 197, 255]);
    assert_eq!((chsi.geometry.head_top_margin_px.min, chsi.geometry.head_top_margin_px.max), (50.0, 110.0));
    assert_eq!((chsi.geometry.eye_line_from_top_px.min, chsi.geometry.eye_line_from_top_px.max), (200.0, 300.0));
    assert_eq!((chsi.geometry.face_width_px.min, chsi.geometry.face_width_px.max), (180.0, 300.0));
    assert_eq!((chsi.print.width_mm, chsi.print.height_mm, chsi.print.copies), (33.0, 48.0, 5));
    let white = lib.resolve("chsi-graduate-white").expect("white");
    assert_eq!(white.output.background_rgb, [255, 255, 255]);
    let id = lib.resolve("prc-id-card").expect("id card");
    assert_eq!((id.output.width_px, id.output.height_px, id.output.dpi), (358, 441, 350));
    assert_eq!((id.geometry.face_width_px.min, id.geometry.face_width_px.max), (193.0, 221.0));
    assert_eq!(id.output.file_size_bytes, [14 * 1024, 20 * 1024]);
    assert_eq!(id.output.file_name, FileNameRule::IdNumber);
    let icao = lib.resolve("icao-passport").expect("icao");
    assert!(icao.geometry.head_height_px.is_some());
    assert_eq!((icao.pose.max_yaw_deg, icao.pose.max_pitch_deg, icao.pose.max_roll_deg), (5.0, 5.0, 8.0));
}

#[test]
fn unknown_keys_are_refused_by_name() {
    let e = error_for(&chsi_text().replace("dpi = 300", "dpi = 300\ncolour_depth = 24"));
    assert!(e.contains("bad.toml") && e.contains("colour_depth"), "{e}");
}

#[test]
fn inverted_windows_are_refused() {
    let e = error_for(&chsi_text().replace("face_width_px = [180, 300]", "face_width_px = [300, 180]"));
    assert!(e.contains("geometry.face_width_px") && e.contains("inverted"), "{e}");
}

#[test]
fn impossible_combinations_are_refused() {
    // Eye line above the head top.
    let e = error_for(&chsi_text().replace("eye_line_from_top_px = [200, 300]", "eye_line_from_top_px = [90, 300]"));
    assert!(e.contains("eye_line_from_top_px") && e.contains("below the head top"), "{e}");
    // A window outside the photo, and a face wider than the photo.
    let e = error_for(&chsi_text().replace("eye_line_from_top_px = [200, 300]", "eye_line_from_top_px = [200, 700]"));
    assert!(e.contains("outside the 640 px photo"), "{e}");
    let e = error_for(&chsi_text().replace("face_width_px = [180, 300]", "face_width_px = [180, 500]"));
    assert!(e.contains("face_width_px"), "{e}");
    // A print larger than the photo's pixels allow, and a bad naming rule: both reported at once.
    let e =
        error_for(&chsi_text().replace("width_mm = 33.0", "width_mm = 90.0").replace("\"student_no\"", "\"nickname\""));
    assert!(e.contains("print.width_mm") && e.contains("output.file_name"), "{e}");
}

#[test]
fn wrong_types_and_missing_keys_say_where() {
    let e = error_for(&chsi_text().replace("dpi = 300", "dpi = \"300\""));
    assert!(e.contains("dpi"), "{e}");
    let e = error_for(&chsi_text().replace("copies = 5\n", ""));
    assert!(e.contains("copies"), "{e}");
}

#[test]
fn a_user_file_replaces_a_built_in_with_the_same_id() {
    let dir = std::env::temp_dir().join(format!("tucai-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("mine.toml"), chsi_text().replace("copies = 5", "copies = 6")).expect("write");
    let lib = ProfileLibrary::load(std::slice::from_ref(&dir));
    assert_eq!(lib.resolve("chsi-graduate").expect("chsi").print.copies, 6);
    assert!(matches!(lib.resolve("nope"), Err(ProfileError::Unknown { .. })));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_thresholds_default_and_can_be_set_and_are_validated() {
    let dir = std::env::temp_dir().join(format!("tucai-profiles-checks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = chsi_text().replace("id = \"chsi-graduate\"", "id = \"strict\"")
        + "\n[checks]\nlighting_balance_min = 0.9\nedge_width_max_px = 5.0\n";
    std::fs::write(dir.join("strict.toml"), text).expect("write");
    let library = ProfileLibrary::load(std::slice::from_ref(&dir));
    let strict = library.resolve("strict").expect("loads");
    assert_eq!((strict.checks.lighting_balance_min, strict.checks.edge_width_max_px), (0.9, 5.0));
    // Keys left out keep their defaults.
    assert_eq!(strict.checks.top_light_max_rise_luma, CheckThresholds::DEFAULT.top_light_max_rise_luma);
    let _ = std::fs::remove_dir_all(&dir);

    let e = error_for(&(chsi_text() + "\n[checks]\nlighting_balance_min = 1.5\nhalo_max_de = -2\n"));
    assert!(e.contains("checks.lighting_balance_min") && e.contains("checks.halo_max_de"), "{e}");
    let e = error_for(&(chsi_text() + "\n[checks]\nsharpness = 3\n"));
    assert!(e.contains("sharpness"), "{e}");
}

#[test]
fn the_format_example_in_the_readme_is_a_valid_profile() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles/README.md")).expect("readme");
    let block = readme.split("```toml\n").nth(1).and_then(|b| b.split("```").next()).expect("a toml block");
    let spec = parse_profile(block, PathBuf::from("README.md")).expect("the documented example loads");
    assert_eq!(spec.checks, CheckThresholds::DEFAULT, "the example shows the defaults");
    assert_eq!(spec.retake, tucai::profile::RetakePolicy::default());
    assert_eq!(spec.codes, tucai::profile::CodeRule::default());
}
