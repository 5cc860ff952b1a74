//! The station window (egui/eframe). The only module that names egui.
//!
//! `app.rs` holds the state, turns clicks and keys into [`app::Command`]s and runs them at the
//! end of the frame; the pipeline runs on the station worker thread, never here.

mod app;
mod i18n;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use eframe::egui;

use crate::camera::open_source;
use crate::cli::Cli;
use crate::profile::ProfileLibrary;

pub use app::{Command, StationApp};

/// CJK fonts looked for, in order, with the face index inside the collection. Noto Sans CJK's
/// index 2 is Simplified Chinese; Debian's fonts-noto-cjk installs it at the first path.
const CJK_FONTS: [(&str, u32); 4] = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
];

/// Adds the first CJK font found as a fallback to egui's fonts; returns its path, or `None`
/// when the system has none (the window then says so).
pub fn install_cjk_font(ctx: &egui::Context) -> Option<PathBuf> {
    let (path, index) = CJK_FONTS.iter().find(|(p, _)| std::path::Path::new(p).exists())?;
    let bytes = std::fs::read(path).ok()?;
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert("cjk".into(), Arc::new(egui::FontData::from_blob(Arc::new(bytes), *index)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("cjk".into());
    }
    ctx.set_fonts(fonts);
    Some(PathBuf::from(path))
}

/// Opens the station window and runs until it is closed.
pub fn run_station(cli: &Cli) -> Result<()> {
    let camera = open_source(&cli.camera)?;
    let library = ProfileLibrary::load_default(&cli.profiles_dir);
    for e in library.broken() {
        eprintln!("tucai: skipped {}", crate::error_chain(e));
    }
    let profiles = library.profiles().iter().map(|(p, _)| p.clone()).collect();
    let lang = cli.lang;
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_title("图采 Tucai"),
        ..Default::default()
    };
    eframe::run_native(
        "tucai",
        options,
        Box::new(move |cc| {
            let has_cjk = install_cjk_font(&cc.egui_ctx).is_some();
            Ok(Box::new(StationApp::new(&cc.egui_ctx, camera, profiles, lang, has_cjk)?))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context("the station window could not start (is a display available? under SSH use xvfb-run)")
}
