//! The station app, split by phase as rerun's viewer is: its state and setup (this file), the
//! per-frame logic that does not draw (`logic.rs`: camera, workers, live requests, keys), the
//! drawing of the frame's shared parts (`ui.rs`: tabs, notice, status bar; each screen draws
//! itself in its own file), the [`Command`]s every button, key and test sends and the one
//! function that runs them (`commands.rs`), and the typed [`Reply`] the store thread and the job
//! thread answer with, applied in one place (`replies.rs`).
//!
//! Nothing here waits: the camera thread keeps the newest frame, the pipeline worker
//! standardizes and checks, the store thread owns SQLite.

mod commands;
mod logic;
mod replies;
mod ui;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use eframe::egui;

pub use commands::Command;
pub use commands::FileChoice;
pub(in crate::ui) use replies::{Reply, Scanned};

use super::kiosk::KioskState;
use super::outputs::OutputsState;
use super::review::ReviewState;
use super::roster::RosterState;
use super::settings::{SettingsState, StationSettings};
use super::station::{Shot, StationState};
use super::sync::SyncState;
use super::timing::FrameStats;
use crate::camera::{Camera, CameraSpec};
use crate::i18n::window::{Notice, Strings, strings};
use crate::i18n::{Lang, Said, Say};
use crate::profile::PhotoSpec;
use crate::station::{LiveWorker, StationWorker, StoreThread};
use crate::store::{Actor, Store};

/// How many students the roster holds (the station offers the demo roster when none); asked
/// at login and after an import.
pub(in crate::ui) fn roster_size(store: &Store) -> Result<usize, crate::store::StoreError> {
    Ok(store.report(None)?.first().map_or(0, |row| row.total as usize))
}

/// Monotonic time, injectable: tests drive the auto-shoot countdown and the rates with it.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// Answers a file chooser in place of the desktop's dialog (tests: the file a person would
/// pick). It runs on the dialog's thread, as the real dialog does.
pub type FileChooser = Arc<dyn Fn(FileChoice) -> Option<PathBuf> + Send + Sync>;
use std::sync::Arc;

/// The screens, in the order of the tab bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Scan, frame, shoot, check, accept.
    Station,
    /// Approve or reject accepted photos.
    Review,
    /// Import and search the roster.
    Roster,
    /// Camera, profile, language, station name, data folder.
    Settings,
    /// Print sheets and capture cards.
    Print,
    /// Export batches to a USB drive or folder.
    Export,
    /// Sync with the central server: pending changes, conflicts.
    Sync,
}

/// What the app is built from: tests pass a replay camera, a store in a temporary folder and a
/// manual clock; the window passes the real ones.
pub struct StationSetup {
    /// The camera, already running.
    pub camera: Camera,
    /// The store (moved onto its thread).
    pub store: Store,
    /// Profiles to choose from.
    pub profiles: Vec<PhotoSpec>,
    /// Saved settings (camera, profile, language, station name, data folder, auto-shoot).
    pub settings: StationSettings,
    /// Where the settings are saved; `None` keeps them in memory (tests).
    pub settings_path: Option<PathBuf>,
    /// The data folder in use.
    pub data_dir: PathBuf,
    /// Whether a CJK font was found (the window says so when not).
    pub has_cjk_font: bool,
    /// Time.
    pub clock: Clock,
    /// What went wrong at start (shown to the operator).
    pub warnings: Vec<Said>,
    /// The central server to sync with (`--central` or `TUCAI_CENTRAL`), if any.
    pub central: Option<String>,
    /// How it may be reached (`--insecure-tls`, `--central-password-file`).
    pub central_access: crate::sync::CentralAccess,
    /// Answers file choosers instead of the desktop's dialog; `None`: the dialog (rfd).
    pub file_chooser: Option<FileChooser>,
    /// `--kiosk`: kiosk mode for this run whatever the saved setting says.
    pub kiosk: bool,
}

/// Events per second over the last second of the app's clock.
#[derive(Default)]
pub(in crate::ui) struct RateMeter {
    times: VecDeque<Instant>,
}

impl RateMeter {
    pub(in crate::ui) fn tick(&mut self, now: Instant) {
        self.times.push_back(now);
        while self.times.front().is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1)) {
            self.times.pop_front();
        }
    }

    pub(in crate::ui) fn per_second(&self) -> usize {
        self.times.len()
    }
}

/// The station window's state: what every screen shares (who is logged in, the camera, the
/// profile, the workers, the notice line), and each screen's own state in a field of its own.
pub struct StationApp {
    pub(in crate::ui) lang: Lang,
    pub(in crate::ui) clock: Clock,
    /// The camera, shared by the station screen (preview) and Settings (switching).
    pub(in crate::ui) camera: Camera,
    /// A camera being opened on its own thread.
    pub(in crate::ui) camera_opening: Option<Receiver<Result<(Camera, CameraSpec), crate::camera::CameraError>>>,
    pub(in crate::ui) profiles: Vec<PhotoSpec>,
    pub(in crate::ui) profile_index: usize,
    /// Standardizes and checks shots.
    pub(in crate::ui) pipeline: StationWorker,
    /// Judges the newest preview frame for the live hints, on its own thread.
    pub(in crate::ui) live_worker: LiveWorker,
    pub(in crate::ui) models: Option<Result<(), crate::imaging::ModelError>>,
    pub(in crate::ui) store: StoreThread<Reply>,
    /// Store jobs asked and not yet answered.
    pub(in crate::ui) store_pending: usize,
    /// The store's folder: jobs (print, export) open their own connection to it.
    pub(in crate::ui) store_dir: PathBuf,
    pub(in crate::ui) actor: Option<Actor>,
    /// The last key, click or pointer move (the window logs out after the idle time).
    pub(in crate::ui) last_activity: Instant,
    /// Whether the store has no operator yet (`None` until it answers).
    pub(in crate::ui) first_run: Option<bool>,
    pub(in crate::ui) screen: Screen,
    pub(in crate::ui) login_message: Option<Said>,
    /// The login form: name, PIN, PIN again (first admin).
    pub(in crate::ui) login_form: [String; 3],
    /// How many students the roster holds (the station offers the demo roster when none).
    pub(in crate::ui) roster_count: Option<usize>,
    /// The screens' own state.
    pub(in crate::ui) station: StationState,
    pub(in crate::ui) review: ReviewState,
    pub(in crate::ui) roster: RosterState,
    pub(in crate::ui) settings: SettingsState,
    pub(in crate::ui) outputs: OutputsState,
    pub(in crate::ui) sync: SyncState,
    pub(in crate::ui) settings_path: Option<PathBuf>,
    pub(in crate::ui) data_dir: PathBuf,
    /// A line for the operator: what just happened, or what went wrong (`true`).
    pub(in crate::ui) notice: Option<(Said, bool)>,
    pub(in crate::ui) has_cjk_font: bool,
    /// Commands sent during this frame, run at its end.
    pub(in crate::ui) commands: Vec<Command>,
    /// A file dialog running on its own thread, and what to do with its answer.
    pub(in crate::ui) file_dialog: Option<(Receiver<Option<PathBuf>>, fn(PathBuf) -> Command)>,
    /// Answers file choosers in place of the dialog (tests).
    pub(in crate::ui) file_chooser: Option<FileChooser>,
    pub(in crate::ui) frame_stats: FrameStats,
    /// Kiosk mode: whether it was forced, the close form.
    pub(in crate::ui) kiosk: KioskState,
    /// For waking the window from other threads (the file dialog, jobs).
    pub(in crate::ui) ctx: egui::Context,
}

/// A live result is drawn within this time (with the next camera frame, usually).
const LIVE_REPAINT_WITHIN: Duration = Duration::from_millis(34);

/// Replay cameras deliver this many frames a second, as booth webcams do.
pub const CAMERA_FPS: u32 = 30;

impl StationApp {
    /// Starts the workers and asks the store whether this is a first run.
    pub fn new(ctx: &egui::Context, setup: StationSetup) -> std::io::Result<StationApp> {
        let StationSetup {
            camera,
            store,
            profiles,
            settings,
            settings_path,
            data_dir,
            has_cjk_font,
            clock,
            warnings,
            central,
            central_access,
            file_chooser,
            kiosk,
        } = setup;
        let repaint = ctx.clone();
        let pipeline = StationWorker::spawn(move || repaint.request_repaint())?;
        let repaint = ctx.clone();
        // A hint waits for the next camera frame's repaint (≤ 33 ms) rather than drawing the
        // whole window once more: under software rendering that doubles the drawing.
        let live_worker = LiveWorker::spawn(move || repaint.request_repaint_after(LIVE_REPAINT_WITHIN))?;
        let repaint = ctx.clone();
        camera.on_frame(Box::new(move || repaint.request_repaint()));
        let store_dir = store.path().parent().map(PathBuf::from).unwrap_or_else(|| data_dir.clone());
        let repaint = ctx.clone();
        let store = StoreThread::spawn(store, move || repaint.request_repaint())?;
        let profile_index = settings
            .profile
            .as_deref()
            .and_then(|id| profiles.iter().position(|p| p.id == id))
            .or_else(|| profiles.iter().position(|p| p.id == crate::profile::DEFAULT_PROFILE))
            .unwrap_or(0);
        let now = clock();
        let mut app = StationApp {
            lang: settings.lang(),
            clock,
            camera,
            camera_opening: None,
            profiles,
            profile_index,
            pipeline,
            live_worker,
            models: None,
            store,
            store_pending: 0,
            store_dir,
            actor: None,
            last_activity: now,
            first_run: None,
            screen: Screen::Station,
            login_message: None,
            login_form: Default::default(),
            roster_count: None,
            station: StationState::default(),
            review: ReviewState::default(),
            roster: RosterState::default(),
            settings: SettingsState::new(settings),
            outputs: OutputsState::default(),
            sync: SyncState::new(central.as_deref(), &central_access),
            settings_path,
            data_dir,
            notice: (!warnings.is_empty()).then(|| (Box::new(warnings) as Said, true)),
            has_cjk_font,
            commands: Vec::new(),
            file_dialog: None,
            file_chooser,
            frame_stats: FrameStats::new(),
            kiosk: KioskState::new(kiosk),
            ctx: ctx.clone(),
        };
        app.ask(|store| Reply::FirstRun(store.operator_count().map(|n| n == 0)));
        Ok(app)
    }

    /// Queues a command to run at the end of this frame.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The screen showing.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The camera in use, by name (`demo`, `dir:PATH`, `webcam:N`).
    pub fn camera_name(&self) -> &str {
        self.camera.name()
    }

    /// Who is logged in.
    pub fn operator(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    /// Whether the pipeline and the store have nothing outstanding (tests wait for this).
    pub fn is_idle(&self) -> bool {
        self.models.is_some()
            && !matches!(self.station.shot, Some(Shot::Pending { .. }))
            && !self.station.shot.as_ref().is_some_and(Shot::is_saving)
            && !self.station.desk.is_looking()
            && self.store_pending == 0
            && self.camera_opening.is_none()
            && self.file_dialog.is_none()
            && !self.job_running()
    }

    pub(in crate::ui) fn s(&self) -> &'static Strings {
        strings(self.lang)
    }

    pub(in crate::ui) fn spec(&self) -> Option<&PhotoSpec> {
        self.profiles.get(self.profile_index)
    }

    pub(in crate::ui) fn now(&self) -> Instant {
        (self.clock)()
    }

    /// Runs `job` on the store thread; its reply is applied in a later frame.
    pub(in crate::ui) fn ask(&mut self, job: impl FnOnce(&mut Store) -> Reply + Send + 'static) {
        if self.store.ask(job) {
            self.store_pending += 1;
        } else {
            self.warn(Notice::StoreStopped);
        }
    }

    /// Shows what just happened (said in the window's language whenever it is drawn).
    pub(in crate::ui) fn tell(&mut self, message: impl Say + Send + 'static) {
        self.notice = Some((Box::new(message), false));
    }

    /// Shows what went wrong.
    pub(in crate::ui) fn warn(&mut self, message: impl Say + Send + 'static) {
        self.notice = Some((Box::new(message), true));
    }
}

impl eframe::App for StationApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        StationApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show_ui(ui);
    }
}
