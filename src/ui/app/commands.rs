//! The [`Command`]s every button, key and test sends, and the one function that runs them at
//! the end of the frame ([`StationApp::run_commands`]); the commands that belong to no one
//! screen (screens, cameras, settings, file choosers) are handled here, the others in their
//! screen's file.

use std::path::PathBuf;

use super::{CAMERA_FPS, Screen, StationApp};
use crate::camera::{Camera, CameraSpec};
use crate::i18n::Lang;
use crate::i18n::window::{Label, Notice};
use crate::store::{Action, Refusal, StoreError};
use crate::ui::outputs::{ExportOrder, PrintOrder};

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
    /// Choose a backup file, then restore it.
    PickBackupFile,
    /// Put this backup back as the store (the current one kept aside).
    RestoreFrom(PathBuf),
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
    /// Set the logged-in account's new PIN (required after logging in with a short one).
    ChangePin(String),
    /// Close the kiosk-mode window: an admin's name and PIN (no one need be logged in).
    LeaveKiosk {
        /// The admin's name.
        name: String,
        /// The admin's PIN.
        pin: String,
    },
    /// Turn the saved kiosk-mode setting on or off (admins).
    SetKiosk(bool),
}

impl Command {
    /// What the command does in the role table's terms (`None`: anyone logged in may).
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            Command::LogIn { .. }
            | Command::LogOut
            | Command::Show(Screen::Station | Screen::Settings)
            | Command::SelectProfile(_)
            | Command::SetLang(_)
            | Command::SetCamera(_)
            | Command::SaveSettings
            | Command::PickVerifyFolder
            | Command::Verify(_)
            | Command::CancelJob
            | Command::LeaveKiosk { .. } => return None, // the PIN and role are checked by the store
            Command::ChangePin(_) => Action::ChangeOwnPin,
            Command::Scan(_) | Command::Bind { .. } | Command::ConfirmIdentity => Action::Identify,
            Command::Shoot | Command::Retake | Command::Cancel | Command::NextFrame | Command::SetAutoShoot(_) => {
                Action::Capture
            }
            Command::Accept => Action::Accept,
            Command::Unlock => Action::Unlock,
            Command::Show(Screen::Review) | Command::RefreshReview | Command::Approve(_) | Command::Reject { .. } => {
                Action::Review
            }
            Command::Show(Screen::Roster) | Command::SearchRoster(_) => Action::ListStudents,
            Command::ImportRoster(_) | Command::PickRosterFile | Command::LoadDemoRoster => Action::ImportRoster,
            Command::Show(Screen::Print)
            | Command::Print(_)
            | Command::PickPrintFile
            | Command::PrintTo(_)
            | Command::PickCardsFile
            | Command::MakeCards(_) => Action::Print,
            Command::Show(Screen::Export)
            | Command::Export(_)
            | Command::SetExportTarget(_)
            | Command::PickExportFolder => Action::Export,
            Command::Show(Screen::Sync) | Command::SyncNow => Action::Sync,
            Command::PickDataDir | Command::SetDataDir(_) => Action::ChangeDataFolder,
            Command::PickBackupFile | Command::RestoreFrom(_) => Action::Restore,
            Command::SetKiosk(_) => Action::LeaveKiosk,
        })
    }
}

/// The screen a tab shows and the action it needs (the tabs an account sees follow its role).
pub fn screen_action(screen: Screen) -> Option<Action> {
    Command::Show(screen).action()
}

/// What a file chooser asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileChoice {
    /// An existing file.
    Open,
    /// A folder.
    Folder,
    /// A new file, with this name offered.
    Save(&'static str),
}

/// The filter of PDF save dialogs.
const PDF: &[(&str, &[&str])] = &[("PDF", &["pdf"])];

impl StationApp {
    /// Opens a file chooser on its own thread (it blocks); its answer becomes `then(path)`.
    pub(in crate::ui) fn choose_file(
        &mut self,
        kind: FileChoice,
        filters: &[(&str, &[&str])],
        then: fn(PathBuf) -> Command,
    ) {
        let (tx, rx) = std::sync::mpsc::channel();
        let repaint = self.ctx.clone();
        let chooser = self.file_chooser.clone();
        let mut dialog = rfd::FileDialog::new();
        for (name, extensions) in filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        let spawned = std::thread::Builder::new().name("tucai-file-dialog".into()).spawn(move || {
            let picked = match (chooser, kind) {
                (Some(chooser), kind) => chooser(kind),
                (None, FileChoice::Open) => dialog.pick_file(),
                (None, FileChoice::Folder) => dialog.pick_folder(),
                (None, FileChoice::Save(name)) => dialog.set_file_name(name).save_file(),
            };
            let _ = tx.send(picked);
            repaint.request_repaint();
        });
        match spawned {
            Ok(_) => self.file_dialog = Some((rx, then)),
            Err(_) => self.warn(Label(|s| s.no_file_dialog)),
        }
    }

    /// Runs the commands sent during this frame, in order.
    pub(in crate::ui) fn run_commands(&mut self) {
        for command in std::mem::take(&mut self.commands) {
            let Some(actor) = &self.actor else {
                if matches!(command, Command::LogIn { .. } | Command::SetLang(_) | Command::LeaveKiosk { .. }) {
                    self.run_command(command);
                }
                continue; // nothing but logging in before someone has
            };
            // A short PIN is changed before anything else; then the role table decides.
            let refused = if actor.must_change_pin
                && !matches!(
                    command,
                    Command::ChangePin(_) | Command::LogOut | Command::SetLang(_) | Command::LeaveKiosk { .. }
                ) {
                Some(StoreError::from(Refusal::MustChangePin { name: actor.name.clone() }))
            } else {
                command.action().and_then(|action| actor.require(action).err())
            };
            match refused {
                Some(refusal) => self.warn(refusal),
                None => self.run_command(command),
            }
        }
    }

    fn run_command(&mut self, command: Command) {
        {
            match command {
                Command::LogIn { name, pin } => self.log_in(name, pin),
                Command::LogOut => self.log_out(),
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
                    self.station.live.countdown_from = None;
                    self.save_settings();
                }
                Command::Unlock => self.unlock(),
                Command::SelectProfile(i) if i < self.profiles.len() => {
                    self.profile_index = i;
                    self.station.shot = None;
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
                Command::PickBackupFile => {
                    self.choose_file(FileChoice::Open, &[("Tucai", &["db", "sqlite", "bak"])], Command::RestoreFrom)
                }
                Command::RestoreFrom(path) => self.restore_from(path),
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
                Command::ChangePin(pin) => self.change_pin(pin),
                Command::LeaveKiosk { name, pin } => self.leave_kiosk(name, pin),
                Command::SetKiosk(on) => self.set_kiosk(on),
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

    pub(in crate::ui) fn save_settings(&mut self) {
        let Some(path) = &self.settings_path else { return };
        if let Err(source) = self.settings.saved.save(path) {
            self.warn(crate::i18n::errors::FileError::Write { path: path.clone(), source });
        }
    }
}
