//! The package's parts that can rot unseen, checked cheaply on every test run (the release
//! build and the install on a clean Debian root are `packaging/build-deb.sh` and
//! `packaging/test-deb.sh`, run before a release): every file `[package.metadata.deb]` names
//! exists or is made by `tucai docs`; the desktop entries and the AppStream file validate
//! (desktop-file-validate, appstreamcli; skipped with a message where missing, failed under
//! CI=true); the names the desktop matches (app id, icon, window class) agree; the man pages
//! and completions generate; the icons are the sizes their folders say.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `[package.metadata.deb]` of Cargo.toml.
fn deb_metadata() -> toml::Table {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).expect("Cargo.toml");
    let manifest: toml::Table = toml::from_str(&text).expect("Cargo.toml parses");
    manifest["package"]["metadata"]["deb"].as_table().expect("[package.metadata.deb]").clone()
}

/// The assets as (source, destination).
fn assets() -> Vec<(String, String)> {
    deb_metadata()["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .map(|a| {
            let a = a.as_array().expect("[source, destination, mode]");
            assert_eq!(a.len(), 3, "{a:?}");
            (a[0].as_str().expect("source").to_owned(), a[1].as_str().expect("destination").to_owned())
        })
        .collect()
}

/// Runs a validator on `file`; `None` (said) when the tool is not installed, outside CI.
fn validate(tool: &str, args: &[&str], file: &Path) -> Option<(bool, String)> {
    match Command::new(tool).args(args).arg(file).output() {
        Ok(out) => {
            let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            Some((out.status.success(), text))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("SKIPPED {tool} on {}: not installed (packaging/deps-debian.sh)", file.display());
            None
        }
        Err(e) => panic!("{tool}: {e} (packaging/deps-debian.sh installs it)"),
    }
}

fn desktop_key(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| l.strip_prefix(&format!("{key}=")).map(str::to_owned))
}

#[test]
fn every_packaged_file_exists_or_is_generated() {
    let docs = std::env::temp_dir().join(format!("tucai-package-docs-{}", std::process::id()));
    let generated = tucai::cli::docs::write_docs(&docs).expect("docs");
    let made: Vec<PathBuf> = generated.iter().map(|p| p.strip_prefix(&docs).expect("inside").to_owned()).collect();
    for (source, destination) in assets() {
        if source == "target/release/tucai" {
            assert_eq!(destination, "usr/bin/");
        } else if let Some(inside) = source.strip_prefix("target/release/package/") {
            match inside.strip_suffix('*') {
                Some(folder) => assert!(made.iter().any(|p| p.starts_with(folder)), "tucai docs makes {folder}"),
                None if inside == "crates-licences.txt" => {
                    let script = std::fs::read_to_string(repo().join("packaging/build-deb.sh")).expect("script");
                    assert!(script.contains("crates-licences.txt"), "build-deb.sh makes {inside}");
                }
                None => assert!(made.iter().any(|p| p == Path::new(inside)), "tucai docs makes {inside}: {made:?}"),
            }
        } else {
            assert!(repo().join(&source).is_file(), "{source} (an asset of the package) exists");
        }
    }
    let license =
        deb_metadata()["license-file"].as_array().expect("license-file")[0].as_str().expect("path").to_owned();
    let copyright = std::fs::read_to_string(repo().join(&license)).expect("copyright");
    assert!(copyright.starts_with("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
    for model in std::fs::read_dir(repo().join("assets/models")).expect("models").filter_map(Result::ok) {
        let name = model.file_name().to_string_lossy().into_owned();
        if name.ends_with(".onnx") {
            assert!(copyright.contains(&format!("assets/models/{name}")), "the copyright file names {name}'s licence");
        }
    }
    let _ = std::fs::remove_dir_all(&docs);
}

#[test]
fn the_man_pages_and_completions_generate() {
    let dir = std::env::temp_dir().join(format!("tucai-docs-cli-{}", std::process::id()));
    let out =
        Command::new(env!("CARGO_BIN_EXE_tucai")).args(["--lang", "en", "docs"]).arg(&dir).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(dir.join("man/tucai.1")).expect("tucai.1");
    for part in [".TH tucai 1", "\\-\\-kiosk", "tucai\\-standardize(1)", "TUCAI_PIN", "Exit status"] {
        assert!(page.contains(part), "tucai.1 has {part}");
    }
    let import = std::fs::read_to_string(dir.join("man/tucai-roster-import.1")).expect("a page per command");
    assert!(import.contains("tucai roster import"), "the page says how the command is typed");
    let bash = dir.join("completions/tucai.bash");
    let text = std::fs::read_to_string(&bash).expect("bash completion");
    assert!(text.contains("standardize") && text.contains("--kiosk"));
    if let Some((ok, why)) = validate("bash", &["-n"], &bash) {
        assert!(ok, "the bash completion parses: {why}");
    }
    for name in ["completions/_tucai", "completions/tucai.fish"] {
        assert!(std::fs::read_to_string(dir.join(name)).expect(name).contains("standardize"), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_desktop_entries_and_appstream_file_validate_and_agree_on_the_app_id() {
    let app_id = tucai::ui::APP_ID;
    let entry = repo().join(format!("packaging/{app_id}.desktop"));
    let metainfo = repo().join(format!("packaging/{app_id}.metainfo.xml"));
    let kiosk = repo().join("packaging/tucai-kiosk.desktop");
    for file in [&entry, &kiosk] {
        if let Some((ok, why)) = validate("desktop-file-validate", &[], file) {
            assert!(ok, "{}: {why}", file.display());
        }
    }
    if let Some((ok, why)) = validate("appstreamcli", &["validate", "--no-net"], &metainfo) {
        assert!(ok, "{}: {why}", metainfo.display());
    }
    let text = std::fs::read_to_string(&entry).expect("desktop entry");
    assert_eq!(desktop_key(&text, "Icon").as_deref(), Some(app_id), "the icon is named after the app id");
    assert_eq!(desktop_key(&text, "StartupWMClass").as_deref(), Some(app_id), "the window's class is the app id");
    assert_eq!(desktop_key(&text, "Exec").as_deref(), Some("tucai"));
    assert!(desktop_key(&text, "Name[zh_CN]").is_some_and(|n| n.contains("图采")));
    let kiosk_text = std::fs::read_to_string(&kiosk).expect("kiosk entry");
    assert_eq!(desktop_key(&kiosk_text, "Exec").as_deref(), Some("tucai --kiosk"));
    let xml = std::fs::read_to_string(&metainfo).expect("metainfo");
    assert!(xml.contains(&format!("<id>{app_id}</id>")));
    assert!(xml.contains(&format!("<launchable type=\"desktop-id\">{app_id}.desktop</launchable>")));
    let version = env!("CARGO_PKG_VERSION");
    assert!(xml.contains(&format!("<release version=\"{version}\"")), "the AppStream file lists this version");
    // The package installs them under the same names.
    let destinations: Vec<String> = assets().into_iter().map(|(_, d)| d).collect();
    assert!(destinations.iter().any(|d| d == "usr/share/applications/"));
    for size in [16, 32, 48, 64, 128, 256] {
        let dest = format!("usr/share/icons/hicolor/{size}x{size}/apps/{app_id}.png");
        let (source, _) = assets().into_iter().find(|(_, d)| *d == dest).unwrap_or_else(|| panic!("{dest}"));
        let icon = image::open(repo().join(&source)).expect("a PNG");
        assert_eq!((icon.width(), icon.height()), (size, size), "{source}");
    }
}

#[test]
fn the_kiosk_flag_parses() {
    use clap::Parser;
    let cli = tucai::cli::Cli::try_parse_from(["tucai", "--kiosk", "--camera", "demo"]).expect("parses");
    assert!(cli.kiosk && cli.command.is_none(), "--kiosk opens the window");
}
