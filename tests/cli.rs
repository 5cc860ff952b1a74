//! The `tucai` binary as a batch user runs it: outputs, JSON lines, exit codes, messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tucai(args: &[&str]) -> Output {
    // A Chinese locale, and no saved settings (HOME is empty): the default the booth has.
    Command::new(env!("CARGO_BIN_EXE_tucai"))
        .args(args)
        .env("HOME", temp("home"))
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("tucai runs")
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tucai-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn standardize_writes_photos_json_and_overlays_and_exits_1_on_a_bad_input() {
    let out = temp("std");
    let o = out.display().to_string();
    let run = tucai(&["standardize", &data("astronaut.png"), &data("chelsea.png"), "-o", &o, "--json", "--overlay"]);
    assert_eq!(run.status.code(), Some(1), "one of two failed: {}", text(&run.stderr));
    let lines: Vec<serde_json::Value> =
        text(&run.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[0]["size_px"], serde_json::json!([480, 640]));
    let trail = lines[0]["trail"].as_array().expect("the step trail is recorded");
    assert!(trail.len() >= 6, "every step is recorded: {trail:?}");
    let ms = |name: &str| trail.iter().find(|s| s["step"] == name).and_then(|s| s["ms"].as_f64());
    assert!(trail.iter().all(|s| s["ms"].as_f64().is_some_and(|ms| ms >= 0.0)), "each step has its ms: {trail:?}");
    assert!(ms("decode").is_some_and(|d| d > 0.0) && ms("landmarks").is_some_and(|m| m > 0.0), "{trail:?}");
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(lines[1]["error"]["code"], "no_face", "{}", lines[1]);
    assert!(lines[1]["error"]["text"].as_str().is_some_and(|e| e.contains("人脸")), "Chinese by default: {}", lines[1]);
    assert!(text(&run.stderr).contains("chelsea.png"), "the failure names the file");
    let jpeg = std::fs::read(out.join("astronaut.jpg")).expect("output written");
    assert_eq!(jpeg.len() as u64, lines[0]["bytes"].as_u64().expect("bytes"));
    let overlay = image::open(out.join("astronaut.overlay.png")).expect("overlay PNG");
    assert_eq!(overlay.height(), 640);
    assert!(!out.join("chelsea.jpg").exists(), "nothing written for a failed input");
}

#[test]
fn all_good_inputs_exit_0_with_a_human_summary() {
    let o = temp("ok").display().to_string();
    let run = tucai(&["standardize", &data("grace_hopper.jpg"), "-o", &o]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("480×640"), "{}", text(&run.stdout));
}

#[test]
fn usage_and_setup_errors_exit_2() {
    let o = temp("usage").display().to_string();
    let unknown = tucai(&["standardize", &data("astronaut.png"), "-o", &o, "--profile", "no-such-profile"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no-such-profile"), "{}", text(&unknown.stderr));
    assert_eq!(tucai(&["standardize"]).status.code(), Some(2), "missing arguments");
    // Two inputs that would be written to the same name.
    let clash = tucai(&["standardize", &data("astronaut.png"), &data("astronaut.png"), "-o", &o]);
    assert_eq!(clash.status.code(), Some(2));
    // A command line that does not parse is said in the operator's language, with the fix.
    for (args, zh) in [
        (&["prnt"][..], "没有命令 `prnt`"),
        (&["print", "--paper", "7in", "--approved", "-o", "x.pdf"][..], "不接受“7in”：可选 `6in`、`5in`、`a4`"),
        (&["print", "--approved", "--since", "2026-02-30", "-o", "x.pdf"][..], "不是日历上的日期"),
        (&["export"][..], "缺少必需的参数：`--to"),
    ] {
        let run = tucai(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(text(&run.stderr).contains(zh), "{args:?}: {}", text(&run.stderr));
    }
    let en = tucai(&["--lang", "en", "print", "--paper", "7in", "--approved", "-o", "x.pdf"]);
    assert!(text(&en.stderr).contains("does not take '7in': it takes `6in`, `5in`, `a4`"), "{}", text(&en.stderr));
    assert_eq!(tucai(&["--version"]).status.code(), Some(0), "version is printed by clap");
}

#[test]
fn an_input_is_never_overwritten_by_its_output() {
    let dir = temp("inplace");
    let photo = dir.join("grace.jpg");
    std::fs::copy(data("grace_hopper.jpg"), &photo).expect("copy");
    let before = std::fs::read(&photo).expect("read");
    let run = tucai(&["standardize", &photo.display().to_string(), "-o", &dir.display().to_string()]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert_eq!(std::fs::read(&photo).expect("read"), before);
}

#[test]
fn profiles_lists_built_ins_and_user_files_and_reports_broken_ones() {
    let dir = temp("profiles");
    let good = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/chsi-graduate.toml"))
        .expect("profile");
    std::fs::write(dir.join("school.toml"), good.replace("id = \"chsi-graduate\"", "id = \"our-school\""))
        .expect("write");
    std::fs::write(dir.join("typo.toml"), good.replace("dpi = 300", "dpii = 300")).expect("write");
    let d = dir.display().to_string();
    let run = tucai(&["profiles", "--profiles-dir", &d]);
    let stdout = text(&run.stdout);
    for id in ["chsi-graduate", "chsi-graduate-white", "prc-id-card", "icao-passport", "our-school"] {
        assert!(stdout.contains(id), "{id} listed:\n{stdout}");
    }
    assert!(stdout.contains("480×640") && stdout.contains("358×441"));
    assert_eq!(run.status.code(), Some(1), "a broken file is reported");
    let stderr = text(&run.stderr);
    assert!(stderr.contains("typo.toml") && stderr.contains("dpii"), "{stderr}");
    // A user profile is usable by id, and a file by path.
    let o = temp("user-profile").display().to_string();
    let by_id =
        tucai(&["standardize", &data("grace_hopper.jpg"), "-o", &o, "--profiles-dir", &d, "--profile", "our-school"]);
    assert_eq!(by_id.status.code(), Some(0), "{}", text(&by_id.stderr));
}

#[test]
fn matte_writes_an_alpha_png_and_background_flags_parse() {
    let dir = temp("matte");
    let out = dir.join("alpha.png");
    let run = tucai(&["matte", &data("astronaut.png"), "-o", &out.display().to_string(), "--json"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let alpha = image::open(&out).expect("PNG").to_luma8();
    assert_eq!((alpha.width(), alpha.height()), (512, 512));
    // Her face (centre top) is person, the top-left corner (flag) is not.
    assert!(alpha.get_pixel(256, 150).0[0] > 200 && alpha.get_pixel(5, 5).0[0] < 50);
    let json: serde_json::Value = serde_json::from_str(text(&run.stdout).trim()).expect("JSON");
    assert!(json["backdrop"]["spread"].is_number());

    let o = dir.display().to_string();
    let keep = tucai(&["standardize", &data("grace_hopper.jpg"), "-o", &o, "--background", "keep", "--json"]);
    assert_eq!(keep.status.code(), Some(0), "{}", text(&keep.stderr));
    assert!(!text(&keep.stdout).contains("\"composite\""), "keep: no matte, no composite");
    let white = tucai(&["standardize", &data("grace_hopper.jpg"), "-o", &o, "--background", "255,255,255", "--json"]);
    assert!(text(&white.stdout).contains("\"background_rgb\":[255,255,255]"), "{}", text(&white.stdout));
    let bad = tucai(&["standardize", &data("grace_hopper.jpg"), "-o", &o, "--background", "blue-ish"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("R,G,B"), "{}", text(&bad.stderr));
}

/// The six ordinary failures a new user meets, with a Chinese locale and with `--lang en`:
/// each says what happened in the operator's language.
#[test]
fn ordinary_failures_speak_the_operators_language() {
    let dir = temp("lang");
    let store = dir.join("data").display().to_string();
    let roster = dir.join("roster.csv");
    std::fs::write(&roster, "学号,姓名,学院,班级\n2026001,李静,信息学院,软件1班\n").expect("roster");
    let run = |extra: &[&str], args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_tucai"))
            .args(extra)
            .args(["--data-dir", &store])
            .args(args)
            .env("HOME", temp("home"))
            .env("LANG", "zh_CN.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("TUCAI_PIN", "246802")
            .env("TUCAI_NEW_PIN", "246802")
            .env_remove("TUCAI_CENTRAL")
            .output()
            .expect("tucai runs");
        format!("{}{}", text(&o.stdout), text(&o.stderr))
    };
    assert!(run(&[], &["operator", "add", "admin", "--role", "admin"]).contains("已添加操作员 admin（管理员）"));
    run(&[], &["--operator", "admin", "roster", "import", &roster.display().to_string()]);
    let (no_face, out) = (data("chelsea.png"), dir.join("out").display().to_string());
    let pdf = dir.join("sheet.pdf").display().to_string();
    let failures: [(&[&str], &str, &str); 6] = [
        (
            &["--operator", "admin", "capture", "--student", "9999", "--photo", &no_face],
            "名单中没有学号或姓名为 9999 的学生",
            "no student with number or name 9999",
        ),
        (&["check", &no_face], "没有检测到人脸", "no face found"),
        (
            &["--operator", "admin", "print", "--student", "2026001", "-o", &pdf],
            "2026001：没有已确认的照片",
            "2026001: no accepted photo",
        ),
        (&["--operator", "admin", "export", "--to", "/no/such/drive"], "请插入 U 盘", "plug the drive in"),
        (
            &["--central", "postgres://u:p@127.0.0.1:1/db", "--operator", "admin", "sync"],
            "无法连接中心服务器",
            "cannot reach the central server",
        ),
        (&["standardize", &no_face, "-o", &out], "照片中没有检测到人脸", "no face found in the photo"),
    ];
    for (args, zh, en) in failures {
        let said = run(&[], args);
        assert!(said.contains(zh), "{args:?} in Chinese:\n{said}");
        for english in ["cannot", "found", "student", "photo", "error"] {
            assert!(!said.contains(english), "{args:?}: English '{english}' in the Chinese:\n{said}");
        }
        let said = run(&["--lang", "en"], args);
        assert!(said.contains(en), "{args:?} in English:\n{said}");
        assert!(!said.contains('：') && !said.contains('；'), "{args:?}: Chinese punctuation in English:\n{said}");
    }
}
