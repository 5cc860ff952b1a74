//! The station app: its state, the [`Command`]s every button, key and test sends, and the
//! frame loop (read the camera, collect what the workers finished, draw, run the commands).
//!
//! Nothing here waits: the camera thread keeps the newest frame, the pipeline worker
//! standardizes and checks, the store thread owns SQLite. Store jobs return a [`Reply`], a
//! closure that applies their result to the app on the UI thread.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use eframe::egui;
use image::RgbImage;

use crate::i18n::window::{Label, Notice, Strings, strings};
use crate::i18n::{Said, Say};
use super::outputs::{ExportOrder, OutputsState, PrintOrder};
use super::review::ReviewState;
use super::roster::RosterState;
use super::settings::{SettingsState, StationSettings};
use super::station::{Desk, LiveState, Shot};
use super::timing::FrameStats;
use crate::camera::{Camera, CameraSpec, CameraStatus};
use crate::i18n::Lang;
use crate::profile::PhotoSpec;
use crate::station::{Event, LiveWorker, StationWorker, StoreThread};
use crate::store::{Actor, Store, Student};

/// A store job's result, applied to the app on the UI thread.
pub(super) type Reply = Box<dyn FnOnce(&mut StationApp, &egui::Context) + Send>;

/// Monotonic time, injectable: tests drive the auto-shoot countdown and the rates with it.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

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

/// Everything the operator can do; buttons, keys and tests all send one of these.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Log in, or create the first admin account on a fresh store.
    LogIn {
        /// Account name.
        name: String,
        /// PIN.
        pin: String,
    },
    /// Log out (back to the login screen).
    LogOut,
    /// Switch screens.
    Show(Screen),
    /// A code from the camera, the scanner or typed: identify the student.
    Scan(String),
    /// Bind the pending CHSI code to the student with this number or name, after checking the
    /// last 4 ID digits.
    Bind {
        /// Number or name.
        who: String,
        /// Last 4 ID digits as the student says them.
        last4: String,
    },
    /// The operator has checked the person is the student on the card.
    ConfirmIdentity,
    /// Take the current frame, standardize and check it.
    Shoot,
    /// Accept the stored draft as the student's photo.
    Accept,
    /// Drop the result and shoot again.
    Retake,
    /// Back to scanning for the next student.
    Cancel,
    /// Show the next image of a replay camera (the demo's next card or portrait).
    NextFrame,
    /// Shoot by itself after a countdown when every live check passes.
    SetAutoShoot(bool),
    /// Lift the student's retake cool-down or lock (reviewer, audited).
    Unlock,
    /// Choose a profile by index.
    SelectProfile(usize),
    /// Switch the language.
    SetLang(Lang),
    /// Switch cameras.
    SetCamera(CameraSpec),
    /// Save the settings form.
    SaveSettings,
    /// Choose the data folder with a file dialog.
    PickDataDir,
    /// Use this data folder from the next start.
    SetDataDir(PathBuf),
    /// Import a roster file.
    ImportRoster(PathBuf),
    /// Choose a roster file with a file dialog, then import it.
    PickRosterFile,
    /// Import the demo roster (the demo camera's two students).
    LoadDemoRoster,
    /// Search the roster.
    SearchRoster(String),
    /// Reload the photos waiting for review.
    RefreshReview,
    /// Approve a student's accepted photo.
    Approve(String),
    /// Reject a student's accepted photo with a reason.
    Reject {
        /// Student number.
        student_no: String,
        /// What the student should change.
        reason: String,
    },
    /// Print sheets as ordered.
    Print(PrintOrder),
    /// Choose where to save the print sheets (rfd), then print the form's order there.
    PickPrintFile,
    /// Print the form's order to this PDF.
    PrintTo(PathBuf),
    /// Choose where to save capture cards, then make them.
    PickCardsFile,
    /// Capture cards for the students without a CHSI code, to this PDF.
    MakeCards(PathBuf),
    /// Export a batch as ordered.
    Export(ExportOrder),
    /// Export to this drive or folder.
    SetExportTarget(PathBuf),
    /// Choose the export folder with a file dialog.
    PickExportFolder,
    /// Choose a batch folder, then verify it.
    PickVerifyFolder,
    /// Verify the batch in this folder.
    Verify(PathBuf),
    /// Stop the running print, export or sync.
    CancelJob,
    /// Sync with the central server now.
    SyncNow,
}

/// What a file chooser asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FileChoice {
    /// An existing file.
    Open,
    /// A folder.
    Folder,
    /// A new file, with this name offered.
    Save(&'static str),
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
}

/// Events per second over the last second of the app's clock.
#[derive(Default)]
pub(super) struct RateMeter {
    times: VecDeque<Instant>,
}

impl RateMeter {
    pub(super) fn tick(&mut self, now: Instant) {
        self.times.push_back(now);
        while self.times.front().is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1)) {
            self.times.pop_front();
        }
    }

    pub(super) fn per_second(&self) -> usize {
        self.times.len()
    }
}

/// The station window's state.
pub struct StationApp {
    pub(super) lang: Lang,
    pub(super) clock: Clock,
    pub(super) camera: Camera,
    /// The frame on screen: its sequence number, pixels and texture.
    pub(super) preview: Option<(u64, Arc<RgbImage>, egui::TextureHandle)>,
    pub(super) camera_status: CameraStatus,
    pub(super) profiles: Vec<PhotoSpec>,
    pub(super) profile_index: usize,
    /// Standardizes and checks shots.
    pub(super) pipeline: StationWorker,
    /// Judges the newest preview frame for the live hints, on its own thread.
    pub(super) live_worker: LiveWorker,
    /// What the live worker was last told: (judging, reading codes, profile, camera number).
    live_steer: (bool, bool, usize, u64),
    /// Counts camera switches.
    camera_generation: u64,
    pub(super) models: Option<Result<(), crate::imaging::ModelError>>,
    pub(super) store: StoreThread<Reply>,
    pub(super) actor: Option<Actor>,
    /// Whether the store has no operator yet (`None` until it answers).
    pub(super) first_run: Option<bool>,
    pub(super) screen: Screen,
    pub(super) login_message: Option<Said>,
    /// The login form: name, PIN, PIN again (first admin).
    pub(super) login_form: [String; 3],
    /// The scan field's text (scanner or typed).
    pub(super) scan_text: String,
    pub(super) desk: Desk,
    pub(super) shot: Option<Shot>,
    pub(super) next_shot_id: u64,
    pub(super) live: LiveState,
    /// The class of the student in front of the camera, for the queue.
    pub(super) queue: Vec<Student>,
    pub(super) roster_count: Option<usize>,
    pub(super) review: ReviewState,
    pub(super) roster: RosterState,
    pub(super) settings: SettingsState,
    pub(super) outputs: OutputsState,
    /// The Sync screen.
    pub(super) sync: super::sync::SyncState,
    pub(super) settings_path: Option<PathBuf>,
    pub(super) data_dir: PathBuf,
    /// The store's folder: jobs (print, export) open their own connection to it.
    pub(super) store_dir: PathBuf,
    /// A line for the operator: what just happened, or what went wrong (`true`).
    pub(super) notice: Option<(Said, bool)>,
    pub(super) has_cjk_font: bool,
    pub(super) commands: Vec<Command>,
    /// A file dialog running on its own thread, and what to do with its answer.
    pub(super) file_dialog: Option<(Receiver<Option<PathBuf>>, fn(PathBuf) -> Command)>,
    pub(super) preview_rate: RateMeter,
    pub(super) frame_stats: FrameStats,
    /// Store jobs asked and not yet answered.
    pub(super) store_pending: usize,
    /// A camera being opened on its own thread.
    camera_opening: Option<Receiver<Result<(Camera, CameraSpec), crate::camera::CameraError>>>,
    /// For waking the window from other threads (the file dialog, jobs).
    pub(super) ctx: egui::Context,
}

/// The filter of PDF save dialogs.
const PDF: &[(&str, &[&str])] = &[("PDF", &["pdf"])];

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
            .or_else(|| profiles.iter().position(|p| p.id == "chsi-graduate"))
            .unwrap_or(0);
        let mut app = StationApp {
            lang: settings.lang(),
            clock,
            camera,
            preview: None,
            camera_status: CameraStatus::Starting,
            profiles,
            profile_index,
            pipeline,
            live_worker,
            live_steer: (false, false, usize::MAX, 0),
            camera_generation: 0,
            models: None,
            store,
            actor: None,
            first_run: None,
            screen: Screen::Station,
            login_message: None,
            login_form: Default::default(),
            scan_text: String::new(),
            desk: Desk::default(),
            shot: None,
            next_shot_id: 1,
            live: LiveState::default(),
            queue: Vec::new(),
            roster_count: None,
            review: ReviewState::default(),
            roster: RosterState::default(),
            settings: SettingsState::new(settings),
            outputs: OutputsState::default(),
            sync: super::sync::SyncState::new(central.as_deref()),
            settings_path,
            data_dir,
            store_dir,
            notice: (!warnings.is_empty()).then(|| (Box::new(warnings) as Said, true)),
            has_cjk_font,
            commands: Vec::new(),
            file_dialog: None,
            preview_rate: RateMeter::default(),
            frame_stats: FrameStats::new(),
            store_pending: 0,
            camera_opening: None,
            ctx: ctx.clone(),
        };
        app.ask(|store| {
            let first = store.operator_count().map(|n| n == 0);
            Box::new(move |app: &mut StationApp, _: &egui::Context| match first {
                Ok(first) => app.first_run = Some(first),
                Err(e) => app.login_message = Some(Box::new(e)),
            })
        });
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
            && !matches!(self.shot, Some(Shot::Pending { .. }))
            && !self.shot.as_ref().is_some_and(Shot::is_saving)
            && !self.desk.is_looking()
            && self.store_pending == 0
            && self.camera_opening.is_none()
            && !self.job_running()
    }

    pub(super) fn s(&self) -> &'static Strings {
        strings(self.lang)
    }

    pub(super) fn spec(&self) -> Option<&PhotoSpec> {
        self.profiles.get(self.profile_index)
    }

    pub(super) fn now(&self) -> Instant {
        (self.clock)()
    }

    /// Runs `job` on the store thread; its reply is applied in a later frame.
    pub(super) fn ask(&mut self, job: impl FnOnce(&mut Store) -> Reply + Send + 'static) {
        if self.store.ask(job) {
            self.store_pending += 1;
        } else {
            self.warn(Notice::StoreStopped);
        }
    }

    /// Shows what just happened (said in the window's language whenever it is drawn).
    pub(super) fn tell(&mut self, message: impl Say + Send + 'static) {
        self.notice = Some((Box::new(message), false));
    }

    /// Shows what went wrong.
    pub(super) fn warn(&mut self, message: impl Say + Send + 'static) {
        self.notice = Some((Box::new(message), true));
    }

    /// The newest camera frame onto the screen (a texture upload only when it is new).
    fn read_camera(&mut self, ctx: &egui::Context) {
        let snapshot = self.camera.latest();
        self.camera_status = snapshot.status;
        let Some(frame) = snapshot.frame else { return };
        if self.preview.as_ref().is_some_and(|(seq, _, _)| *seq == frame.seq) {
            return;
        }
        self.preview_rate.tick(self.now());
        let size = [frame.image.width() as usize, frame.image.height() as usize];
        let pixels = egui::ColorImage::from_rgb(size, frame.image.as_raw());
        match &mut self.preview {
            Some((seq, image, texture)) => {
                texture.set(pixels, egui::TextureOptions::LINEAR);
                *seq = frame.seq;
                *image = frame.image;
            }
            None => {
                let texture = ctx.load_texture("camera", pixels, egui::TextureOptions::LINEAR);
                self.preview = Some((frame.seq, frame.image, texture));
            }
        }
    }

    fn poll_workers(&mut self, ctx: &egui::Context) {
        while let Some(event) = self.pipeline.poll() {
            match event {
                Event::Ready(r) => self.models = Some(r),
                Event::Standardized { shot_id, result, elapsed } => {
                    self.on_standardized(ctx, shot_id, *result, elapsed)
                }
            }
        }
        if let Some(event) = self.live_worker.take() {
            self.on_live(event);
        }
        while let Some(reply) = self.store.poll() {
            self.store_pending = self.store_pending.saturating_sub(1);
            reply(self, ctx);
        }
        self.camera_opened();
        self.poll_job(ctx);
        if let Some((rx, then)) = &self.file_dialog {
            match rx.try_recv() {
                Ok(Some(path)) => {
                    let command = then(path);
                    self.file_dialog = None;
                    self.send(command);
                }
                Ok(None) => self.file_dialog = None,
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.file_dialog = None;
                    self.warn(Label(|s| s.no_file_dialog));
                }
            }
        }
    }

    /// Opens a file chooser on its own thread (it blocks); its answer becomes `then(path)`.
    pub(super) fn choose_file(&mut self, kind: FileChoice, filters: &[(&str, &[&str])], then: fn(PathBuf) -> Command) {
        let (tx, rx) = std::sync::mpsc::channel();
        let repaint = self.ctx.clone();
        let mut dialog = rfd::FileDialog::new();
        for (name, extensions) in filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        let spawned = std::thread::Builder::new().name("tucai-file-dialog".into()).spawn(move || {
            let picked = match kind {
                FileChoice::Open => dialog.pick_file(),
                FileChoice::Folder => dialog.pick_folder(),
                FileChoice::Save(name) => dialog.set_file_name(name).save_file(),
            };
            let _ = tx.send(picked);
            repaint.request_repaint();
        });
        match spawned {
            Ok(_) => self.file_dialog = Some((rx, then)),
            Err(_) => self.warn(Label(|s| s.no_file_dialog)),
        }
    }

    fn run_commands(&mut self) {
        for command in std::mem::take(&mut self.commands) {
            if self.actor.is_none() && !matches!(command, Command::LogIn { .. } | Command::SetLang(_)) {
                continue; // nothing but logging in before someone has
            }
            match command {
                Command::LogIn { name, pin } => self.log_in(name, pin),
                Command::LogOut => {
                    self.actor = None;
                    self.cancel();
                }
                Command::Show(screen) => self.show(screen),
                Command::Scan(text) => self.scan(text),
                Command::Bind { who, last4 } => self.bind(who, last4),
                Command::ConfirmIdentity => self.confirm_identity(),
                Command::Shoot => self.shoot(),
                Command::Accept => self.accept(),
                Command::Retake => self.retake(),
                Command::Cancel => self.cancel(),
                Command::NextFrame => self.camera.advance(),
                Command::SetAutoShoot(on) => {
                    self.settings.saved.auto_shoot = on;
                    self.live.countdown_from = None;
                    self.save_settings();
                }
                Command::Unlock => self.unlock(),
                Command::SelectProfile(i) if i < self.profiles.len() => {
                    self.profile_index = i;
                    self.shot = None;
                    self.settings.saved.profile = Some(self.profiles[i].id.clone());
                    self.save_settings();
                }
                Command::SelectProfile(_) => {}
                Command::SetLang(lang) => {
                    self.lang = lang;
                    self.settings.saved.set_lang(lang);
                    self.save_settings();
                }
                Command::SetCamera(spec) => self.set_camera(spec),
                Command::SaveSettings => self.save_settings_form(),
                Command::PickDataDir => self.choose_file(FileChoice::Folder, &[], Command::SetDataDir),
                Command::SetDataDir(dir) => self.set_data_dir(dir),
                Command::ImportRoster(path) => self.import_roster(path),
                Command::PickRosterFile => self.choose_file(
                    FileChoice::Open,
                    &[("CSV / XLSX", &["csv", "xlsx", "txt"])],
                    Command::ImportRoster,
                ),
                Command::LoadDemoRoster => self.load_demo_roster(),
                Command::SearchRoster(text) => self.search_roster(text),
                Command::RefreshReview => self.refresh_review(),
                Command::Approve(no) => self.review_decision(no, None),
                Command::Reject { student_no, reason } => self.review_decision(student_no, Some(reason)),
                Command::Print(order) => self.print(order),
                Command::PickPrintFile => self.choose_file(FileChoice::Save("sheets.pdf"), PDF, Command::PrintTo),
                Command::PrintTo(path) => self.print(self.print_order_to(path)),
                Command::PickCardsFile => self.choose_file(FileChoice::Save("cards.pdf"), PDF, Command::MakeCards),
                Command::MakeCards(path) => self.make_cards(path),
                Command::Export(order) => self.export(order),
                Command::SetExportTarget(dir) => self.outputs.target = Some(dir),
                Command::PickExportFolder => self.choose_file(FileChoice::Folder, &[], Command::SetExportTarget),
                Command::PickVerifyFolder => self.choose_file(FileChoice::Folder, &[], Command::Verify),
                Command::Verify(dir) => self.verify(dir),
                Command::CancelJob => self.cancel_job(),
                Command::SyncNow => self.sync_now(),
            }
        }
    }

    fn show(&mut self, screen: Screen) {
        self.screen = screen;
        self.notice = None;
        match screen {
            Screen::Review => self.refresh_review(),
            Screen::Roster => {
                let text = self.roster.query.clone();
                self.search_roster(text);
            }
            Screen::Settings => self.settings.webcams = crate::camera::list_webcams(),
            Screen::Print | Screen::Export => {
                self.outputs.result = None;
                self.refresh_outputs();
            }
            Screen::Sync => {
                self.outputs.result = None;
                self.refresh_sync();
            }
            Screen::Station => {}
        }
    }

    /// Opens `spec` on a thread of its own (a folder replay decodes every image first; a
    /// webcam may take a second to answer); [`StationApp::camera_opened`] takes it over.
    fn set_camera(&mut self, spec: CameraSpec) {
        let (tx, rx) = std::sync::mpsc::channel();
        let repaint = self.ctx.clone();
        let opening = std::thread::Builder::new().name("tucai-camera-open".into()).spawn(move || {
            let _ = tx.send(Camera::open(&spec, CAMERA_FPS).map(|camera| (camera, spec)));
            repaint.request_repaint();
        });
        match opening {
            Ok(_) => self.camera_opening = Some(rx),
            Err(e) => self.warn(Notice::NoThread(e.to_string())),
        }
    }

    fn camera_opened(&mut self) {
        let Some(rx) = &self.camera_opening else { return };
        let Ok(opened) = rx.try_recv() else { return };
        self.camera_opening = None;
        match opened {
            Ok((camera, spec)) => {
                let repaint = self.ctx.clone();
                camera.on_frame(Box::new(move || repaint.request_repaint()));
                self.camera_generation += 1;
                self.camera = camera;
                self.preview = None;
                self.live = LiveState::default();
                self.settings.saved.camera = Some(spec.to_text());
                self.save_settings();
            }
            Err(e) => self.warn(e),
        }
    }

    pub(super) fn save_settings(&mut self) {
        let Some(path) = &self.settings_path else { return };
        if let Err(source) = self.settings.saved.save(path) {
            self.warn(crate::i18n::errors::FileError::Write { path: path.clone(), source });
        }
    }

    /// Tells the live worker what to judge: the camera while the station screen shows, with
    /// codes while it waits for a student; nothing elsewhere.
    fn steer_live(&mut self) {
        let active = self.actor.is_some() && self.screen == Screen::Station;
        let scanning = matches!(self.desk, Desk::Scanning);
        let steer = (active, scanning, self.profile_index, self.camera_generation);
        if steer != self.live_steer {
            self.live_steer = steer;
            let feed = active.then(|| self.camera.feed());
            self.live_worker.watch(feed, self.spec().cloned(), scanning);
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        if self.actor.is_none() || self.screen != Screen::Station || ctx.egui_wants_keyboard_input() {
            return; // typing in a field (the scan field, a reason) is not a shortcut
        }
        let keys = [
            (egui::Key::Space, Command::Shoot),
            (
                egui::Key::Enter,
                if self.desk.awaits_confirmation() { Command::ConfirmIdentity } else { Command::Accept },
            ),
            (egui::Key::R, Command::Retake),
            (egui::Key::Escape, Command::Cancel),
            (egui::Key::N, Command::NextFrame),
        ];
        for (key, command) in keys {
            if ctx.input(|i| i.key_pressed(key)) {
                self.send(command);
            }
        }
    }

    /// The per-frame logic that does not draw: camera, workers, live requests, keys.
    pub fn logic(&mut self, ctx: &egui::Context) {
        self.frame_stats.begin();
        if self.actor.is_some() && self.screen == Screen::Station {
            self.read_camera(ctx); // the preview is drawn only there
            self.collect_burst();
        }
        self.poll_workers(ctx);
        self.steer_live();
        if self.actor.is_some() && self.screen == Screen::Station {
            self.auto_shoot();
        }
        self.keyboard(ctx);
    }

    /// Draws the window and runs the commands sent while drawing.
    pub fn show_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.actor.is_none() {
            egui::CentralPanel::default().show(ui, |ui| self.login_screen(ui));
        } else {
            match self.screen {
                Screen::Station => self.station_screen(ui),
                Screen::Review => {
                    egui::CentralPanel::default().show(ui, |ui| self.review_screen(ui));
                }
                Screen::Roster => {
                    egui::CentralPanel::default().show(ui, |ui| self.roster_screen(ui));
                }
                Screen::Settings => {
                    egui::CentralPanel::default().show(ui, |ui| self.settings_screen(ui));
                }
                Screen::Print => {
                    egui::CentralPanel::default().show(ui, |ui| self.print_screen(ui));
                }
                Screen::Export => {
                    egui::CentralPanel::default().show(ui, |ui| self.export_screen(ui));
                }
                Screen::Sync => {
                    egui::CentralPanel::default().show(ui, |ui| self.sync_screen(ui));
                }
            }
        }
        self.run_commands();
        self.frame_stats.end(self.live.total);
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal(|ui| {
            ui.heading(s.title);
            ui.separator();
            if self.actor.is_some() {
                let tabs = [
                    (Screen::Station, s.tab_station),
                    (Screen::Review, s.tab_review),
                    (Screen::Roster, s.tab_roster),
                    (Screen::Settings, s.tab_settings),
                    (Screen::Print, s.tab_print),
                    (Screen::Export, s.tab_export),
                    (Screen::Sync, s.tab_sync),
                ];
                for (screen, label) in tabs {
                    let text = egui::RichText::new(label).size(17.0);
                    if ui.selectable_label(self.screen == screen, text).clicked() {
                        self.send(Command::Show(screen));
                    }
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(s.language).clicked() {
                    self.send(Command::SetLang(if self.lang == Lang::Zh { Lang::En } else { Lang::Zh }));
                }
                if let Some(actor) = &self.actor {
                    let name = format!("{}: {}", s.operator, actor.name);
                    if ui.button(s.log_out).clicked() {
                        self.send(Command::LogOut);
                    }
                    ui.label(name);
                }
            });
        });
        if !self.has_cjk_font {
            ui.colored_label(egui::Color32::from_rgb(200, 60, 0), s.no_cjk_font);
        }
        if let Some((message, is_error)) = &self.notice {
            let colour =
                if *is_error { egui::Color32::from_rgb(200, 40, 40) } else { egui::Color32::from_rgb(30, 120, 60) };
            ui.colored_label(colour, egui::RichText::new(message.say(self.lang)).size(16.0));
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal(|ui| {
            ui.label(format!("{}: {}", s.camera, self.camera.name()));
            ui.separator();
            let profile = self.spec().map(|p| self.profile_label(p)).unwrap_or_default();
            ui.label(format!("{}: {profile}", s.profile));
            ui.separator();
            ui.label(format!("{}: {}", s.station_name, self.settings.saved.station_name));
            ui.separator();
            ui.label(format!("{}: {}", s.data_folder, self.data_dir.display()));
            if self.settings.saved.show_rates {
                ui.separator();
                ui.label(Notice::PreviewRate(self.preview_rate.per_second()).say(self.lang));
                ui.label(Notice::HintRate(self.live.rate.per_second()).say(self.lang));
                ui.label(Notice::FrameTime(self.frame_stats.last_ms() as f32).say(self.lang));
            }
        });
    }

    pub(super) fn profile_label(&self, p: &PhotoSpec) -> String {
        let name = if self.lang == Lang::Zh { &p.name_zh } else { &p.name_en };
        format!("{name} {}×{}", p.output.width_px, p.output.height_px)
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
