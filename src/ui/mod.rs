//! The station window (egui/eframe). The only module that names egui.
//!
//! `app.rs` holds the state and the frame loop, and runs the [`Command`]s that clicks, keys
//! and tests send; each screen draws itself and handles its commands in its own file
//! (`login`, `station`, `review`, `roster`, `settings`), with shared pieces in `widgets.rs`;
//! `i18n.rs` holds every string. The
//! pipeline, the store and the camera run on their own threads, never here.

mod app;
mod i18n;
mod login;
mod outputs;
mod review;
mod roster;
mod settings;
mod station;
mod sync;
mod timing;
mod widgets;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use eframe::egui;

use crate::camera::{Camera, CameraSpec};
use crate::cli::Cli;
use crate::profile::ProfileLibrary;
use crate::store::Store;

pub use app::{CAMERA_FPS, Clock, Command, Screen, StationApp, StationSetup};
pub use outputs::{ExportOrder, PrintOrder};
pub use settings::StationSettings;
pub use station::{AUTO_SHOOT_AFTER, StationView};

/// Adds the first CJK font found as a fallback to egui's fonts; returns its path, or `None`
/// when the system has none (the window then says so).
pub fn install_cjk_font(ctx: &egui::Context) -> Option<PathBuf> {
    let (path, index) = crate::fonts::cjk_font()?;
    let bytes = std::fs::read(&path).ok()?;
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert("cjk".into(), Arc::new(egui::FontData::from_blob(Arc::new(bytes), index)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("cjk".into());
    }
    ctx.set_fonts(fonts);
    Some(path)
}

/// Opens the station window and runs until it is closed. Flags given on the command line win
/// over the saved settings.
pub fn run_station(cli: &Cli) -> Result<()> {
    let settings_path = StationSettings::default_path();
    // What went wrong at start is shown in the window, not only on a terminal nobody reads.
    let mut warnings = Vec::new();
    let mut settings = match settings_path.as_deref().map(StationSettings::load) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            warnings.push(i18n::fill(i18n::strings(cli.lang.unwrap_or_default()).settings_broken, &[&e]));
            StationSettings::default()
        }
        None => StationSettings::default(),
    };
    if let Some(lang) = cli.lang {
        settings.set_lang(lang);
    }
    // A camera named on the command line must open; a saved one that no longer does (a
    // folder removed) falls back to the demo with a warning, so the station still starts.
    let camera = match (&cli.camera, &settings.camera) {
        (Some(text), _) => Camera::open(&CameraSpec::parse(text)?, CAMERA_FPS)?,
        (None, saved) => {
            let spec = CameraSpec::parse(saved.as_deref().unwrap_or("auto"));
            match spec.and_then(|spec| Camera::open(&spec, CAMERA_FPS)) {
                Ok(camera) => camera,
                Err(e) => {
                    let s = i18n::strings(settings.lang());
                    warnings.push(i18n::fill(s.saved_camera_failed, &[&crate::error_chain(&e)]));
                    Camera::open(&CameraSpec::Demo, CAMERA_FPS)?
                }
            }
        }
    };
    for w in &warnings {
        eprintln!("tucai: {w}");
    }
    let data_dir = match cli.data_dir.clone().or_else(|| settings.data_dir.clone()) {
        Some(d) => d,
        None => crate::store::default_dir().context("no user data folder; pass --data-dir")?,
    };
    let store =
        Store::open(&data_dir).with_context(|| format!("opening the station store in {}", data_dir.display()))?;
    let library = ProfileLibrary::load_default(&cli.profiles_dir);
    for e in library.broken() {
        eprintln!("tucai: skipped {}", crate::error_chain(e));
    }
    let profiles = library.profiles().iter().map(|(p, _)| p.clone()).collect();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1360.0, 820.0]).with_title("图采 Tucai"),
        ..Default::default()
    };
    eframe::run_native(
        "tucai",
        options,
        Box::new(move |cc| {
            let has_cjk_font = install_cjk_font(&cc.egui_ctx).is_some();
            let clock: Clock = Arc::new(std::time::Instant::now);
            let setup = StationSetup {
                camera,
                store,
                profiles,
                settings,
                settings_path,
                data_dir,
                has_cjk_font,
                clock,
                warnings,
                central: cli.central.clone(),
            };
            Ok(Box::new(StationApp::new(&cc.egui_ctx, setup)?))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context("the station window could not start (is a display available? under SSH use xvfb-run)")
}
