//! The house layout, checked from the source: only `src/ui/` names the GUI crates (egui,
//! eframe, rfd), and the window module is compiled only with the `gui` feature. This is what
//! `cargo check --no-default-features` proves by building; CI runs this instead because that
//! build checks every dependency a second time (minutes on a cold cache).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_ui_module_names_the_gui_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 40, "found the sources ({} files)", files.len());
    let gui_paths = ["egui::", "eframe::", "rfd::", "egui_kittest", "use eframe", "use egui"];
    let mut offenders = Vec::new();
    for file in &files {
        if file.starts_with(src.join("ui")) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if gui_paths.iter().any(|p| code.contains(p)) {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "GUI crates named outside src/ui/:\n{}", offenders.join("\n"));

    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    assert!(lib.contains("#[cfg(feature = \"gui\")]\npub mod ui;"), "the ui module is behind the gui feature");
    let main = std::fs::read_to_string(src.join("main.rs")).expect("main.rs");
    assert!(main.contains("#[cfg(not(feature = \"gui\"))]"), "the binary builds without the window");
}
