//! The station window (egui/eframe). The only module that names egui.
//!
//! `app.rs` holds the state and the frame loop, and runs the [`Command`]s that clicks, keys
//! and tests send; each screen draws itself and handles its commands in its own file
//! (`login`, `station`, `review`, `roster`, `settings`), with shared pieces in `widgets.rs` and
//! kiosk mode (fullscreen kept, closing asked of an admin) in `kiosk.rs`;
//! every word comes from `crate::i18n` (labels from its window table, messages as typed values
//! said when drawn). The pipeline, the store and the camera run on their own threads, never here.

mod app;

mod kiosk;
mod login;
mod outputs;
mod palette;
mod review;
mod roster;
mod settings;
mod station;
mod sync;
mod timing;
mod widgets;

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use crate::camera::{Camera, CameraSpec};
use crate::cli::{Cli, CliError, Result};
use crate::i18n::window::Notice;
use crate::i18n::{Said, Say};
use crate::profile::ProfileLibrary;
use crate::store::Store;

pub use app::{CAMERA_FPS, Clock, Command, FileChoice, FileChooser, Screen, StationApp, StationSetup};
pub use outputs::{ExportOrder, PrintOrder};
pub use settings::StationSettings;
pub use station::{AUTO_SHOOT_AFTER, StationView};

/// The desktop's name for the window (Wayland app id, X11 class): the desktop entry, the icon
/// and the AppStream file in `packaging/` are named after it.
pub const APP_ID: &str = "io.github.tucai.Tucai";

/// The window's icon: the package's 256-pixel PNG (`packaging/icons/`), compiled in.
fn window_icon() -> Option<egui::IconData> {
    let png = include_bytes!("../../packaging/icons/tucai-256.png");
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png).ok()?.into_rgba8();
    Some(egui::IconData { width: image.width(), height: image.height(), rgba: image.into_raw() })
}

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
            warnings.push(Box::new(Notice::SettingsBroken(e)) as Said);
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
        (Some(spec), _) => Camera::open(spec, CAMERA_FPS)?,
        (None, saved) => {
            let spec = CameraSpec::parse(saved.as_deref().unwrap_or("auto"));
            match spec.and_then(|spec| Camera::open(&spec, CAMERA_FPS)) {
                Ok(camera) => camera,
                Err(e) => {
                    warnings.push(Box::new(Notice::SavedCameraFailed(e.say(settings.lang()))));
                    Camera::open(&CameraSpec::Demo, CAMERA_FPS)?
                }
            }
        }
    };
    let data_dir = match cli.data_dir.clone().or_else(|| settings.data_dir.clone()) {
        Some(d) => d,
        None => crate::store::default_dir().ok_or(CliError::NoDataDir)?,
    };
    let store = Store::open(&data_dir)?;
    if let Some(renamed) = store.renamed_at_open() {
        warnings.push(Box::new(crate::i18n::both(&crate::i18n::cli::Notice::RenamedAtOpen(renamed))));
    }
    let library = ProfileLibrary::load_default(&cli.profiles_dir);
    // A broken profile file is said on screen (its admin reads it there), in both languages.
    for e in library.broken() {
        warnings.push(Box::new(crate::i18n::both(&crate::i18n::cli::Notice::ProfileSkipped(e))));
    }
    for w in &warnings {
        eprintln!("tucai: {}", w.say(settings.lang()));
    }
    let profiles = library.profiles().iter().map(|(p, _)| p.clone()).collect();
    // Kiosk mode starts fullscreen without decorations (the app keeps it so: ui/kiosk.rs).
    let kiosk = cli.kiosk || settings.kiosk;
    let mut viewport = egui::ViewportBuilder::default()
        .with_inner_size([1360.0, 820.0])
        .with_title("图采 Tucai")
        .with_app_id(APP_ID)
        .with_fullscreen(kiosk)
        .with_decorations(!kiosk);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions { viewport, ..Default::default() };
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
                central_access: cli.central_access(),
                file_chooser: None,
                kiosk: cli.kiosk,
            };
            Ok(Box::new(StationApp::new(&cc.egui_ctx, setup)?))
        }),
    )
    .map_err(|e| CliError::NoWindow(e.to_string()))
}
