//! The station screen: who is in front of the camera (scan → card → confirm), the live preview
//! with its guide and hints, the shot's result with the checklist, and the class queue.

use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui;

use super::palette;
use image::RgbImage;

use super::app::{Command, RateMeter, Reply, Scanned, StationApp};
use super::widgets::{checklist, draw_guide};
use crate::camera::CameraStatus;
use crate::i18n::window::Strings;
use crate::i18n::window::{Label, Notice};
use crate::i18n::{Lang, Said, Say};
use crate::imaging::StandardizeError;
use crate::imaging::encode_jpeg;
use crate::profile::{PhotoSpec, RetakePolicy};
use crate::quality::Verdict;
use crate::quality::live::LiveCheck;
use crate::station::{CheckedPhoto, Identity, Job, LiveEvent, ShotOutcome, identify};
use crate::store::{Capture, RetakeState, Store, StoreError, Student, StudentStatus};

/// Auto-shoot waits this long with every live check green.
pub const AUTO_SHOOT_AFTER: Duration = Duration::from_secs(3);
/// JPEG quality of the original frames kept with each attempt.
const ORIGINAL_QUALITY: u8 = 92;

/// The station screen's own state: the camera as it shows here, who is at the desk, the
/// shot, the live hints and the class queue.
pub(super) struct StationState {
    /// The frame on screen.
    pub(super) preview: Option<Preview>,
    pub(super) camera_status: CameraStatus,
    /// Preview frames drawn per second.
    pub(super) preview_rate: RateMeter,
    /// Counts camera switches (a new camera is a new feed for the live worker).
    pub(super) camera_generation: u64,
    /// What the live worker was last told (`None` before the first frame).
    pub(super) live_steer: Option<LiveSteer>,
    /// The scan field's text (scanner or typed).
    pub(super) scan_text: String,
    pub(super) desk: Desk,
    pub(super) shot: Option<Shot>,
    pub(super) next_shot_id: u64,
    pub(super) live: LiveState,
    /// The class of the student in front of the camera, for the queue.
    pub(super) queue: Vec<Student>,
}

impl Default for StationState {
    fn default() -> Self {
        StationState {
            preview: None,
            camera_status: CameraStatus::Starting,
            preview_rate: RateMeter::default(),
            camera_generation: 0,
            live_steer: None,
            scan_text: String::new(),
            desk: Desk::default(),
            shot: None,
            next_shot_id: 1,
            live: LiveState::default(),
            queue: Vec::new(),
        }
    }
}

/// The camera frame on screen.
pub(super) struct Preview {
    /// The camera's sequence number of the frame.
    pub(super) seq: u64,
    pub(super) image: Arc<RgbImage>,
    pub(super) texture: egui::TextureHandle,
}

/// What the live worker is told to do; a change is sent to it, nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct LiveSteer {
    /// Judge the camera (the station screen shows, someone is logged in).
    pub(super) judging: bool,
    /// Read codes too (waiting for a student).
    pub(super) reading_codes: bool,
    pub(super) profile_index: usize,
    pub(super) camera_generation: u64,
}

/// Who is in front of the camera.
#[derive(Default)]
pub(super) enum Desk {
    /// Waiting for a code; the scan field's text.
    #[default]
    Scanning,
    /// The store is looking the code up.
    Looking,
    /// A CHSI code not bound yet: the operator finds the student and checks the ID digits.
    Binding {
        /// The code as scanned.
        code: String,
        /// The form: number or name, last 4 ID digits.
        who: String,
        last4: String,
    },
    /// A student from the roster.
    Present(Box<Present>),
}

/// The student in front of the camera.
pub(super) struct Present {
    pub(super) student: Student,
    pub(super) attempts: usize,
    pub(super) retake: RetakeState,
    /// The operator has checked the person against the card (Enter).
    pub(super) confirmed: bool,
}

impl Desk {
    pub(super) fn awaits_confirmation(&self) -> bool {
        matches!(self, Desk::Present(p) if !p.confirmed)
    }

    pub(super) fn is_looking(&self) -> bool {
        matches!(self, Desk::Looking)
    }

    fn present(&self) -> Option<&Present> {
        match self {
            Desk::Present(p) => Some(p),
            _ => None,
        }
    }
}

/// Where a shot's result is in the store.
pub(super) enum Stored {
    /// No student was identified: the photo is shown, not kept.
    NotStored,
    /// The store thread is writing it.
    Saving,
    /// Stored as this capture.
    Saved(Capture),
    /// Not stored, and why (the retake policy, a full disk…).
    Error(Said),
}

/// The latest shot.
pub(super) enum Shot {
    /// The shutter's burst being collected (`collecting` until its deadline or its last
    /// frame), then on the pipeline worker.
    Pending { shot_id: u64, frames: Vec<Arc<RgbImage>>, student: Option<Student>, collecting: Option<Burst> },
    /// A photo with its check report.
    Done { checked: Box<CheckedPhoto>, texture: egui::TextureHandle, stored: Stored },
    /// No photo could be made.
    Failed { error: StandardizeError, stored: Stored },
}

/// A burst in progress: how many frames it takes and until when (the app's clock).
#[derive(Clone, Copy, Debug)]
pub(super) struct Burst {
    frames: usize,
    until: std::time::Instant,
    /// The camera sequence number of the newest frame taken.
    last_seq: u64,
}

impl Shot {
    pub(super) fn is_saving(&self) -> bool {
        matches!(self, Shot::Done { stored: Stored::Saving, .. } | Shot::Failed { stored: Stored::Saving, .. })
    }

    fn stored_mut(&mut self) -> Option<&mut Stored> {
        match self {
            Shot::Done { stored, .. } | Shot::Failed { stored, .. } => Some(stored),
            Shot::Pending { .. } => None,
        }
    }
}

/// The live hints and the codes seen in the preview.
#[derive(Default)]
pub(super) struct LiveState {
    pub(super) latest: Option<LiveCheck>,
    /// The frame the latest result is about.
    judged_frame: Option<Arc<RgbImage>>,
    pub(super) rate: RateMeter,
    /// Live results so far.
    pub(super) total: u64,
    /// The code in view: a code is read when it appears, not again while it stays.
    code_in_view: Option<String>,
    pub(super) countdown_from: Option<Instant>,
}

impl LiveState {
    /// Reads the code in view again as if it had just appeared.
    pub(super) fn forget_code(&mut self) {
        self.code_in_view = None;
    }
}

/// What the station screen shows, for tests and scripts.
#[derive(Clone, Debug, Default)]
pub struct StationView {
    /// The student on the card.
    pub student_no: Option<String>,
    /// Whether the operator confirmed the identity.
    pub confirmed: bool,
    /// Whether a CHSI code waits to be bound.
    pub binding: bool,
    /// The shot on the worker.
    pub shot_pending: bool,
    /// The shot's check verdict (none when no photo was made).
    pub verdict: Option<Verdict>,
    /// Why no photo was made.
    pub shot_error: Option<String>,
    /// The capture the shot was stored as.
    pub capture: Option<Capture>,
    /// Why the shot was not stored.
    pub store_error: Option<String>,
    /// The class list with statuses.
    pub queue: Vec<(String, StudentStatus)>,
    /// The live verdict, when the latest result is about the frame on screen.
    pub live_verdict: Option<Verdict>,
    /// Live checks received since the window opened (their rate is the live-hint rate).
    pub live_hints: u64,
    /// Whether the auto-shoot countdown runs.
    pub counting_down: bool,
    /// The line shown to the operator, and whether it is a warning.
    pub notice: Option<(String, bool)>,
}

impl StationApp {
    /// What the station screen shows now.
    pub fn view(&self) -> StationView {
        let present = self.station.desk.present();
        let mut view = StationView {
            student_no: present.map(|p| p.student.record.student_no.clone()),
            confirmed: present.is_some_and(|p| p.confirmed),
            binding: matches!(self.station.desk, Desk::Binding { .. }),
            queue: self.station.queue.iter().map(|s| (s.record.student_no.clone(), s.status)).collect(),
            counting_down: self.station.live.countdown_from.is_some(),
            live_hints: self.station.live.total,
            notice: self.notice.as_ref().map(|(m, warn)| (m.say(self.lang), *warn)),
            ..StationView::default()
        };
        let on_screen = self.station.preview.as_ref().map(|p| &p.image);
        if let (Some(shown), Some(judged)) = (on_screen, &self.station.live.judged_frame)
            && Arc::ptr_eq(shown, judged)
        {
            view.live_verdict = self.station.live.latest.as_ref().map(|l| l.report.verdict);
        }
        let stored = match &self.station.shot {
            None => None,
            Some(Shot::Pending { .. }) => {
                view.shot_pending = true;
                None
            }
            Some(Shot::Done { checked, stored, .. }) => {
                view.verdict = Some(checked.report.verdict);
                Some(stored)
            }
            Some(Shot::Failed { error, stored }) => {
                view.shot_error = Some(error.say(self.lang));
                Some(stored)
            }
        };
        match stored {
            Some(Stored::Saved(c)) => view.capture = Some(c.clone()),
            Some(Stored::Error(e)) => view.store_error = Some(e.say(self.lang)),
            _ => {}
        }
        view
    }
}

/// Where a shot is stored, in words.
fn stored_line(ui: &mut egui::Ui, s: &Strings, lang: Lang, stored: &Stored) {
    match stored {
        Stored::NotStored => ui.colored_label(palette::WARN, s.not_stored),
        Stored::Saving => ui.label(s.saving),
        Stored::Saved(c) => ui.colored_label(palette::OK, Notice::Saved(c.attempt_no).say(lang)),
        Stored::Error(e) => ui.colored_label(palette::BAD, format!("{}{}", s.save_failed, e.say(lang))),
    };
}

/// What the window says about a retake limit (nothing when shooting is allowed).
fn retake_words(state: &RetakeState) -> Option<Notice> {
    match state {
        RetakeState::Allowed => None,
        RetakeState::CoolDown { until } => Some(Notice::CoolDown(*until)),
        RetakeState::Locked { until } => Some(Notice::Locked(*until)),
    }
}

/// What the store says about a student the station is about to photograph.
pub(super) struct Found {
    present: Present,
    class: Vec<Student>,
}

/// A shot stored (or refused) on the store thread, and the student as the store sees them after.
pub(super) struct Attempted {
    shot_id: u64,
    stored: Result<Capture, StoreError>,
    refreshed: Result<Found, StoreError>,
}

fn found(store: &Store, student: Student, policy: &RetakePolicy) -> Result<Found, StoreError> {
    let attempts = store.captures_of(&student)?.len();
    let retake = store.retake_state(&student, policy)?;
    let class = store.class_list(&student.record.college, &student.record.class)?;
    Ok(Found { present: Present { student, attempts, retake, confirmed: false }, class })
}

impl StationApp {
    pub(super) fn scan(&mut self, text: String) {
        let text = text.trim().to_owned();
        let Some(spec) = self.spec() else { return };
        if text.is_empty() || self.station.desk.is_looking() {
            return;
        }
        let (rule, policy) = (spec.codes.clone(), spec.retake.clone());
        self.station.desk = Desk::Looking;
        self.station.shot = None;
        self.ask(move |store| {
            Reply::Scanned(identify(store, &text, &rule).and_then(|identity| match identity {
                Identity::Student(student) => Ok(Scanned::Student(found(store, student, &policy)?)),
                Identity::Unbound { code } => Ok(Scanned::Unbound { code }),
            }))
        });
    }

    pub(super) fn on_found(&mut self, found: Found) {
        self.notice = None;
        self.station.queue = found.class;
        self.station.desk = Desk::Present(Box::new(found.present));
    }

    pub(super) fn bind(&mut self, who: String, last4: String) {
        let (Desk::Binding { code, .. }, Some(actor), Some(spec)) = (&self.station.desk, &self.actor, self.spec())
        else {
            return;
        };
        let (code, actor, policy) = (code.clone(), actor.clone(), spec.retake.clone());
        self.ask(move |store| {
            Reply::Bound(store.bind_chsi_code(&actor, &code, &who, &last4).and_then(|s| found(store, s, &policy)))
        });
    }

    pub(super) fn confirm_identity(&mut self) {
        if let Desk::Present(p) = &mut self.station.desk {
            p.confirmed = true;
        }
    }

    pub(super) fn shoot(&mut self) {
        if !matches!(self.models, Some(Ok(()))) || matches!(self.station.shot, Some(Shot::Pending { .. })) {
            return;
        }
        let student = match self.station.desk.present() {
            Some(p) if !p.confirmed => return self.warn(Label(|s| s.confirm_first)),
            Some(p) if let Some(words) = retake_words(&p.retake) => return self.warn(words),
            Some(p) => Some(p.student.clone()),
            None => None,
        };
        let (Some(spec), Some(preview)) = (self.spec(), &self.station.preview) else { return };
        let last_seq = preview.seq;
        let shot_id = self.station.next_shot_id;
        let frames = vec![Arc::clone(&preview.image)];
        let burst = spec.burst.clone();
        self.station.next_shot_id += 1;
        self.station.live.countdown_from = None;
        let collecting = (burst.frames > 1).then(|| Burst {
            frames: burst.frames as usize,
            until: self.now() + Duration::from_millis(u64::from(burst.span_ms)),
            last_seq,
        });
        self.station.shot = Some(Shot::Pending { shot_id, frames, student, collecting });
        if collecting.is_none() {
            self.submit_shot();
        }
    }

    /// A new camera frame during a burst joins it; the burst goes to the pipeline with its
    /// last frame or at its deadline, whichever comes first.
    pub(super) fn collect_burst(&mut self) {
        let now = self.now();
        let newest = self.station.preview.as_ref().map(|p| (p.seq, Arc::clone(&p.image)));
        let Some(Shot::Pending { frames, collecting: Some(burst), .. }) = &mut self.station.shot else { return };
        if let Some((seq, frame)) = newest
            && seq != burst.last_seq
        {
            burst.last_seq = seq;
            frames.push(frame);
        }
        if frames.len() >= burst.frames || now >= burst.until {
            self.submit_shot();
        }
    }

    /// Sends the pending shot's frames to the pipeline.
    fn submit_shot(&mut self) {
        let Some(spec) = self.spec().cloned() else { return };
        let Some(Shot::Pending { shot_id, frames, collecting, .. }) = &mut self.station.shot else { return };
        *collecting = None;
        let job = Job::Standardize { shot_id: *shot_id, frames: frames.clone(), spec: Box::new(spec) };
        if !self.pipeline.submit(job) {
            self.station.shot = None;
            self.warn(Notice::PipelineStopped);
        }
    }

    pub(super) fn on_standardized(
        &mut self,
        ctx: &egui::Context,
        shot_id: u64,
        result: Result<CheckedPhoto, StandardizeError>,
        _elapsed: Duration,
    ) {
        let Some(Shot::Pending { shot_id: pending, .. }) = &self.station.shot else { return };
        if *pending != shot_id {
            return; // an older shot finished after a newer one was taken
        }
        let Some(Shot::Pending { frames, student, .. }) = self.station.shot.take() else { return };
        // The original stored is the frame the photo was made from.
        let chosen = result.as_ref().map_or(0, |c| c.chosen_frame).min(frames.len().saturating_sub(1));
        let Some(frame) = frames.get(chosen).cloned() else { return };
        let stored = match (student, self.actor.clone(), self.spec().cloned()) {
            (Some(student), Some(actor), Some(spec)) => {
                self.store_attempt(shot_id, ShotOutcome::of(&result), frame, student, actor, &spec);
                Stored::Saving
            }
            _ => Stored::NotStored,
        };
        self.station.shot = Some(match result {
            Ok(checked) => {
                let photo = &checked.photo.photo;
                let pixels =
                    egui::ColorImage::from_rgb([photo.width() as usize, photo.height() as usize], photo.as_raw());
                let texture = ctx.load_texture("photo", pixels, egui::TextureOptions::LINEAR);
                Shot::Done { checked: Box::new(checked), texture, stored }
            }
            Err(error) => Shot::Failed { error, stored },
        });
    }

    /// Stores the attempt (the original frame as JPEG, the photo, its report) on the store
    /// thread, then refreshes the student's attempts, retake state and class.
    fn store_attempt(
        &mut self,
        shot_id: u64,
        outcome: ShotOutcome,
        frame: Arc<RgbImage>,
        student: Student,
        actor: crate::store::Actor,
        spec: &PhotoSpec,
    ) {
        let (profile, policy) = (spec.id.clone(), spec.retake.clone());
        self.ask(move |store| {
            let stored = encode_jpeg(&frame, ORIGINAL_QUALITY, 96).map_err(StoreError::Original).and_then(|original| {
                store.record_attempt(&actor, &outcome.attempt(&student, &profile, &original), &policy)
            });
            let refreshed = store.student(&student.record.student_no).and_then(|s| found(store, s, &policy));
            Reply::Attempted(Box::new(Attempted { shot_id, stored, refreshed }))
        });
    }

    /// A stored attempt onto the screen: the student's refreshed card (keeping the operator's
    /// confirmation), and where the shot is stored, if it is still the one on screen.
    pub(super) fn on_attempted(&mut self, Attempted { shot_id, stored, refreshed }: Attempted) {
        if let Ok(found) = refreshed
            && let Desk::Present(p) = &mut self.station.desk
            && p.student.id == found.present.student.id
        {
            let confirmed = p.confirmed;
            self.on_found(found);
            if let Desk::Present(p) = &mut self.station.desk {
                p.confirmed = confirmed;
            }
        }
        let current = self.station.next_shot_id == shot_id + 1;
        if let (true, Some(slot)) = (current, self.station.shot.as_mut().and_then(Shot::stored_mut)) {
            *slot = match stored {
                Ok(capture) => Stored::Saved(capture),
                Err(e) => Stored::Error(Box::new(e)),
            };
        }
    }

    /// Accepts the shot on screen. Whether it may be (a draft that passed its checks) is the
    /// store's decision, made once there; its refusal is shown.
    pub(super) fn accept(&mut self) {
        let Some(Shot::Done { stored: Stored::Saved(capture), .. }) = &self.station.shot else { return };
        let (Some(present), Some(actor)) = (self.station.desk.present(), &self.actor) else { return };
        let (student, actor, capture_id) = (present.student.clone(), actor.clone(), capture.id.clone());
        self.ask(move |store| {
            let class = store
                .accept(&actor, &student, Some(&capture_id))
                .and_then(|_| store.class_list(&student.record.college, &student.record.class));
            Reply::Accepted { student, class }
        });
    }

    /// A photo accepted: back to scanning with the class list as it is now.
    pub(super) fn on_accepted(&mut self, student: &Student, class: Vec<Student>) {
        self.station.queue = class;
        self.station.desk = Desk::Scanning;
        self.station.shot = None;
        self.tell(Notice::StudentDone(student.record.name.clone()));
    }

    pub(super) fn retake(&mut self) {
        if matches!(self.station.shot, Some(Shot::Done { .. } | Shot::Failed { .. })) {
            self.station.shot = None;
        }
    }

    pub(super) fn cancel(&mut self) {
        self.station.desk = Desk::Scanning;
        self.station.shot = None;
        self.station.live.countdown_from = None;
        self.notice = None;
    }

    pub(super) fn unlock(&mut self) {
        let (Some(present), Some(actor), Some(spec)) = (self.station.desk.present(), &self.actor, self.spec()) else {
            return;
        };
        let (student, actor, policy) = (present.student.clone(), actor.clone(), spec.retake.clone());
        self.ask(move |store| {
            Reply::Unlocked(store.override_retake(&actor, &student).and_then(|()| found(store, student, &policy)))
        });
    }

    pub(super) fn on_live(&mut self, event: LiveEvent) {
        let now = self.now();
        self.station.live.rate.tick(now);
        self.station.live.total += 1;
        self.frame_stats.live_done(event.elapsed);
        self.station.live.latest = event.result.ok();
        self.station.live.judged_frame = Some(event.frame);
        if event.scanned {
            let code = event.codes.into_iter().next();
            if code.is_some() && code != self.station.live.code_in_view && matches!(self.station.desk, Desk::Scanning) {
                self.send(Command::Scan(code.clone().unwrap_or_default()));
            }
            self.station.live.code_in_view = code;
        }
    }

    /// With auto-shoot on: shoots once every live check has stayed green for
    /// [`AUTO_SHOOT_AFTER`]; anything else resets the countdown.
    pub(super) fn auto_shoot(&mut self) {
        let ready = self.settings.saved.auto_shoot
            && self.station.shot.is_none()
            && self.station.desk.present().is_some_and(|p| p.confirmed && p.retake == RetakeState::Allowed)
            && self.station.live.latest.as_ref().is_some_and(|l| l.report.verdict == Verdict::Pass);
        if !ready {
            self.station.live.countdown_from = None;
            return;
        }
        let now = self.now();
        let from = *self.station.live.countdown_from.get_or_insert(now);
        if now.duration_since(from) >= AUTO_SHOOT_AFTER {
            self.send(Command::Shoot);
        }
    }

    pub(super) fn station_screen(&mut self, ui: &mut egui::Ui) {
        egui::Panel::left("queue").exact_size(230.0).show(ui, |ui| self.queue_panel(ui));
        egui::Panel::right("result").exact_size(440.0).show(ui, |ui| self.result_panel(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            self.desk_strip(ui);
            ui.separator();
            self.controls(ui);
            self.preview_panel(ui);
        });
    }

    /// The scan field, the binding form, or the student's card.
    fn desk_strip(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        if self.roster_count == Some(0) {
            // Importing is an admin's (the role table): others are told whom to ask.
            let may_import = self.actor.as_ref().is_some_and(|a| a.may(crate::store::Action::ImportRoster));
            ui.horizontal(|ui| {
                ui.colored_label(palette::WARN, if may_import { s.roster_empty } else { s.roster_empty_ask_admin });
                if may_import && ui.button(s.load_demo_roster).clicked() {
                    self.send(Command::LoadDemoRoster);
                }
            });
        }
        match &self.station.desk {
            Desk::Scanning => {
                ui.label(egui::RichText::new(s.scan_prompt).size(18.0));
                ui.horizontal(|ui| {
                    let caption = ui.label(s.scan_field);
                    let mut text = std::mem::take(&mut self.station.scan_text);
                    let field =
                        ui.add(egui::TextEdit::singleline(&mut text).desired_width(320.0)).labelled_by(caption.id);
                    if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        self.send(Command::Scan(std::mem::take(&mut text)));
                    }
                    self.station.scan_text = text;
                });
            }
            Desk::Looking => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(s.looking_up);
                });
            }
            Desk::Binding { .. } => {
                ui.colored_label(palette::WARN, s.unbound_code);
                let mut command = None;
                if let Desk::Binding { who, last4, .. } = &mut self.station.desk {
                    ui.horizontal(|ui| {
                        let caption = ui.label(s.who);
                        ui.add(egui::TextEdit::singleline(who).desired_width(160.0)).labelled_by(caption.id);
                        let caption = ui.label(s.id_last4);
                        ui.add(egui::TextEdit::singleline(last4).desired_width(60.0)).labelled_by(caption.id);
                        if ui.button(s.bind).clicked() {
                            command = Some(Command::Bind { who: who.clone(), last4: last4.clone() });
                        }
                        if ui.button(s.cancel).clicked() {
                            command = Some(Command::Cancel);
                        }
                    });
                }
                if let Some(c) = command {
                    self.send(c);
                }
            }
            Desk::Present(p) => {
                let r = &p.student.record;
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new(&r.name).size(30.0).strong());
                    ui.vertical(|ui| {
                        ui.label(format!("{}  ·  {}", r.student_no, p.student.id_number_for(false)));
                        ui.label(format!("{}  {}  {}", r.college, r.major, r.class));
                    });
                    ui.separator();
                    ui.vertical(|ui| {
                        ui.label(Notice::Attempts(p.attempts as i64).say(self.lang));
                        ui.label(p.student.status.say(self.lang));
                    });
                    ui.separator();
                    if p.confirmed {
                        ui.colored_label(palette::OK, egui::RichText::new(s.identity_confirmed).size(18.0));
                    } else {
                        ui.colored_label(palette::WARN, egui::RichText::new(s.confirm_identity).size(18.0));
                    }
                });
                if let Some(words) = retake_words(&p.retake) {
                    ui.horizontal(|ui| {
                        ui.colored_label(palette::BAD, words.say(self.lang));
                        if ui.button(s.unlock).clicked() {
                            self.send(Command::Unlock);
                        }
                    });
                }
            }
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal_wrapped(|ui| {
            let ready = matches!(self.models, Some(Ok(())));
            let big = |t: &str| egui::RichText::new(t).size(18.0);
            if ui.add_enabled(ready, egui::Button::new(big(s.shoot))).clicked() {
                self.send(Command::Shoot);
            }
            let can_accept = matches!(&self.station.shot, Some(Shot::Done { stored: Stored::Saved(_), .. }));
            if ui.add_enabled(can_accept, egui::Button::new(big(s.accept))).clicked() {
                self.send(Command::Accept);
            }
            if ui.add_enabled(self.station.shot.is_some(), egui::Button::new(big(s.retake))).clicked() {
                self.send(Command::Retake);
            }
            if ui.button(big(s.cancel)).clicked() {
                self.send(Command::Cancel);
            }
            if self.camera.is_replay() && ui.button(big(s.next_frame)).clicked() {
                self.send(Command::NextFrame);
            }
            let mut auto = self.settings.saved.auto_shoot;
            if ui.checkbox(&mut auto, s.auto_shoot).changed() {
                self.send(Command::SetAutoShoot(auto));
            }
        });
        ui.label(egui::RichText::new(if self.camera.is_replay() { s.demo_keys } else { s.keys }).weak());
        match &self.models {
            None => {
                ui.label(s.loading_models);
            }
            Some(Err(e)) => {
                ui.colored_label(palette::BAD, format!("{}{}", s.models_failed, e.say(self.lang)));
            }
            Some(Ok(())) => {}
        }
    }

    fn preview_panel(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        match &self.station.camera_status {
            crate::camera::CameraStatus::Starting => {
                ui.label(s.camera_starting);
            }
            crate::camera::CameraStatus::Lost(why) => {
                ui.colored_label(
                    palette::BAD,
                    egui::RichText::new(Notice::CameraLost(why.clone()).say(self.lang)).size(18.0),
                );
            }
            crate::camera::CameraStatus::Live => {}
        }
        let colour = self.live_hints(ui);
        let Some(Preview { texture, .. }) = &self.station.preview else { return };
        let avail = ui.available_size();
        let size = texture.size_vec2();
        let k = (avail.x / size.x).min(avail.y / size.y).min(2.0);
        let response = ui.image((texture.id(), size * k));
        if let (Some(live), Some(spec)) = (&self.station.live.latest, self.spec())
            && !matches!(self.station.desk, Desk::Scanning | Desk::Looking | Desk::Binding { .. })
        {
            draw_guide(ui.painter(), response.rect, k, live, spec, colour);
        }
        if let Some(from) = self.station.live.countdown_from {
            let left = AUTO_SHOOT_AFTER.saturating_sub(self.now().duration_since(from)).as_secs_f32().ceil() as u64;
            ui.painter().text(
                response.rect.center_top() + egui::vec2(0.0, 40.0),
                egui::Align2::CENTER_CENTER,
                Notice::Countdown(left).say(self.lang),
                egui::FontId::proportional(36.0),
                palette::LIVE_OK,
            );
        }
    }

    /// The live findings that need action, as words (the fix first); returns the guide colour.
    fn live_hints(&self, ui: &mut egui::Ui) -> egui::Color32 {
        let Some(live) = &self.station.live.latest else { return egui::Color32::GRAY };
        if !matches!(self.station.desk, Desk::Present(_)) && self.station.shot.is_none() {
            return egui::Color32::GRAY; // no hints while waiting for a code
        }
        let (colour, words) = match live.report.verdict {
            Verdict::Fail => (palette::BAD, None),
            Verdict::Warn => (palette::WARN, None),
            _ => (palette::LIVE_OK, Some(self.s().live_ready.to_owned())),
        };
        let words = words.unwrap_or_else(|| {
            let needs_action =
                live.report.findings.iter().filter(|f| matches!(f.verdict, Verdict::Fail | Verdict::Warn));
            let fixes: Vec<&str> = needs_action
                .take(2)
                .map(|f| if f.fix.get(self.lang).is_empty() { f.message.get(self.lang) } else { f.fix.get(self.lang) })
                .collect();
            fixes.join(" · ")
        });
        ui.colored_label(colour, egui::RichText::new(words).size(22.0));
        colour
    }

    fn result_panel(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.heading(s.result);
        match &self.station.shot {
            None => {
                ui.label(s.no_result);
            }
            Some(Shot::Pending { .. }) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(s.processing);
                });
            }
            Some(Shot::Failed { error, stored }) => {
                ui.colored_label(palette::BAD, format!("{}{}", s.failed, error.say(self.lang)));
                stored_line(ui, s, self.lang, stored);
            }
            Some(Shot::Done { checked, texture, stored }) => {
                let photo = &checked.photo;
                let size = texture.size_vec2();
                let k = (ui.available_width() / size.x).min(1.0).min(300.0 / size.y);
                ui.image((texture.id(), size * k));
                let spec = self.spec();
                ui.label(format!(
                    "{}: {}×{} px, {} dpi, {:.1} KiB · {}: {:+.1}°",
                    s.file,
                    photo.photo.width(),
                    photo.photo.height(),
                    spec.map_or(0, |p| p.output.dpi),
                    photo.jpeg.bytes.len() as f64 / 1024.0,
                    s.rotation,
                    photo.plan.rotation_deg,
                ));
                stored_line(ui, s, self.lang, stored);
                ui.separator();
                checklist(ui, s, self.lang, &checked.report);
            }
        }
    }

    fn queue_panel(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.heading(s.queue);
        if self.station.queue.is_empty() {
            ui.label(s.queue_empty);
            return;
        }
        let done = self.station.queue.iter().filter(|st| is_done(st.status)).count();
        if let Some(first) = self.station.queue.first() {
            ui.label(format!("{} {}", first.record.college, first.record.class));
        }
        ui.label(Notice::DoneOf(done, self.station.queue.len()).say(self.lang));
        ui.separator();
        let current = self.station.desk.present().map(|p| p.student.id);
        egui::ScrollArea::vertical().show(ui, |ui| {
            for st in &self.station.queue {
                let (mark, colour) = match st.status {
                    StudentStatus::Accepted | StudentStatus::Approved => ("✓", palette::OK),
                    StudentStatus::ToRecall => ("↺", palette::BAD),
                    StudentStatus::Draft => ("…", palette::WARN),
                    StudentStatus::Waiting => ("·", egui::Color32::GRAY),
                };
                let text =
                    egui::RichText::new(format!("{mark} {} {}", st.record.name, st.record.student_no)).color(colour);
                let text = if Some(st.id) == current { text.strong().underline() } else { text };
                ui.label(text);
            }
        });
    }
}

fn is_done(status: StudentStatus) -> bool {
    matches!(status, StudentStatus::Accepted | StudentStatus::Approved)
}
