//! What the store thread and the job thread answer: one typed [`Reply`] per question the window
//! asks, applied to the app in one place ([`StationApp::on_reply`]). A reply carries data, never
//! code: what a store job may change in the window is what this match says, and nothing else.

use std::sync::Arc;

use eframe::egui;

use super::{Screen, StationApp};
use crate::i18n::Said;
use crate::i18n::window::{Label, Notice};
use crate::print::{PrintError, Printer};
use crate::roster::RowProblem;
use crate::store::{Actor, Conflict, ImportCounts, Pending, Refusal, ReviewDecision, StoreError, Student};
use crate::ui::review::ReviewPhoto;
use crate::ui::station::{Attempted, Desk, Found};

/// A store job's or an output job's answer.
pub(in crate::ui) enum Reply {
    /// Whether the store has no operator yet.
    FirstRun(Result<bool, StoreError>),
    /// A login (or the first admin account) and the roster's size.
    LoggedIn { first_run: bool, actor: Result<Actor, StoreError>, roster_size: Option<usize> },
    /// Students past the profile's retention, not purged yet (asked at an admin's login).
    PurgeDue { students: usize, days: u32 },
    /// The logged-in account's PIN was changed (or why not).
    PinChanged(Result<(), StoreError>),
    /// Who a scanned code names: a student, or a CHSI code not bound yet.
    Scanned(Result<Scanned, crate::station::IdentifyError>),
    /// A CHSI code bound to a student (then the student, as found).
    Bound(Result<Found, StoreError>),
    /// A shot stored as an attempt, and the student as the store sees them now.
    Attempted(Box<Attempted>),
    /// A photo accepted: the class list after it.
    Accepted { student: Student, class: Result<Vec<Student>, StoreError> },
    /// A retake cool-down or lock lifted.
    Unlocked(Result<Found, StoreError>),
    /// The photos waiting for review, decoded.
    ReviewLoaded(Result<Vec<ReviewPhoto>, StoreError>),
    /// A review decision recorded.
    Reviewed { decision: ReviewDecision, result: Result<Student, StoreError> },
    /// A roster read and imported (its refused rows beside), and the roster's size after.
    Imported { result: Result<(ImportCounts, Vec<RowProblem>), Said>, roster_size: Option<usize> },
    /// Students found by a roster search.
    RosterFound(Result<Vec<Student>, StoreError>),
    /// Approved photos not printed yet, and not exported yet.
    OutputCounts { to_print: Option<usize>, to_export: Option<usize> },
    /// The system's printers.
    Printers(Result<Vec<Printer>, Arc<PrintError>>),
    /// A print, cards, export, verify or sync job ended: its words, and whether it failed.
    JobDone(Result<Said, Said>),
    /// A backup put back (the store is the restored one now).
    Restored(Result<crate::store::Restored, StoreError>),
    /// An admin's name and PIN checked before a kiosk-mode window closes.
    KioskLeft(Result<(), StoreError>),
    /// The Sync screen's figures.
    SyncStatus { pending: Option<Pending>, last: Option<(String, i64)>, conflicts: Vec<Conflict> },
}

/// Who a scanned code names.
pub(in crate::ui) enum Scanned {
    /// A student of the roster, with what the store says about them.
    Student(Found),
    /// A CHSI code not bound to anyone yet.
    Unbound { code: String },
}

impl StationApp {
    /// An admin who logs in is reminded of exported students kept past the profile's retention.
    fn remind_purge(&mut self) {
        let admin = self.actor.as_ref().is_some_and(|a| a.may(crate::store::Action::Purge));
        let Some(days) = self.spec().and_then(|s| s.export.retention_days).filter(|_| admin) else { return };
        self.ask(move |store| {
            let cutoff = crate::store::timestamp(store.now() - i64::from(days) * 86_400);
            let students = store.awaiting_purge(&cutoff).unwrap_or(0);
            Reply::PurgeDue { students, days }
        });
    }

    /// Applies a reply from the store thread or the job thread.
    pub(in crate::ui) fn on_reply(&mut self, ctx: &egui::Context, reply: Reply) {
        match reply {
            Reply::FirstRun(Ok(first)) => self.first_run = Some(first),
            Reply::FirstRun(Err(e)) => self.login_message = Some(Box::new(e)),
            Reply::LoggedIn { first_run, actor, roster_size } => match actor {
                Ok(actor) => {
                    self.actor = Some(actor);
                    self.first_run = Some(false);
                    self.login_message = None;
                    self.roster_count = roster_size;
                    self.last_activity = self.now();
                    // Tabs the role does not open are not shown; nor is the screen left from before.
                    self.remind_purge();
                    if super::commands::screen_action(self.screen)
                        .is_some_and(|a| !self.actor.as_ref().is_some_and(|x| x.may(a)))
                    {
                        self.screen = Screen::Station;
                    }
                }
                Err(StoreError::Refused(Refusal::WrongPin { .. })) if !first_run => {
                    self.login_message = Some(Box::new(Label(|s| s.wrong_pin)));
                }
                Err(e) => self.login_message = Some(Box::new(e)),
            },
            Reply::Scanned(Ok(Scanned::Student(found))) => self.on_found(found),
            Reply::Scanned(Ok(Scanned::Unbound { code })) => {
                self.station.desk = Desk::Binding { code, who: String::new(), last4: String::new() };
            }
            Reply::Scanned(Err(e)) => {
                self.station.desk = Desk::Scanning;
                self.warn(e);
            }
            Reply::Bound(Ok(found)) => self.on_found(found),
            Reply::Unlocked(Ok(found)) => {
                self.on_found(found);
                self.confirm_identity();
            }
            Reply::Bound(Err(e)) | Reply::Unlocked(Err(e)) => self.warn(e),
            Reply::Attempted(attempted) => self.on_attempted(*attempted),
            Reply::Accepted { student, class: Ok(class) } => self.on_accepted(&student, class),
            Reply::Accepted { class: Err(e), .. } => self.warn(e),
            Reply::ReviewLoaded(loaded) => self.on_review_loaded(ctx, loaded),
            Reply::Reviewed { decision, result: Ok(student) } => {
                self.tell(Notice::Reviewed(student.who(), decision == ReviewDecision::Approve));
                self.review.reason.clear();
                self.refresh_review();
            }
            Reply::Reviewed { result: Err(e), .. } => self.warn(e),
            Reply::Imported { result, roster_size } => {
                self.roster_count = roster_size.or(self.roster_count);
                match result {
                    Ok((counts, problems)) => {
                        self.tell(Notice::Imported(counts));
                        self.roster.problems = problems;
                        self.station.live.forget_code(); // a card refused before the import is read again
                        let query = self.roster.query.clone();
                        self.search_roster(query);
                    }
                    Err(e) => self.warn(e),
                }
            }
            Reply::RosterFound(Ok(list)) => self.roster.results = Some(list),
            Reply::RosterFound(Err(e)) => {
                self.roster.results = Some(Vec::new());
                self.warn(e);
            }
            Reply::OutputCounts { to_print, to_export } => {
                self.outputs.to_print = to_print;
                self.outputs.to_export = to_export;
            }
            Reply::Printers(found) => self.outputs.printers = Some(found),
            Reply::JobDone(result) => self.finish_job(result),
            Reply::PurgeDue { students, days } if students > 0 => self.warn(Notice::PurgeDue { students, days }),
            Reply::PurgeDue { .. } => {}
            Reply::PinChanged(Ok(())) => {
                if let Some(actor) = &mut self.actor {
                    actor.must_change_pin = false;
                }
                self.login_message = None;
                self.tell(Label(|s| s.pin_changed));
            }
            Reply::PinChanged(Err(e)) => self.login_message = Some(Box::new(e)),
            // The restored store has its own accounts: log in again, told what happened.
            Reply::Restored(Ok(restored)) => {
                self.log_out();
                self.login_message = Some(Box::new(crate::i18n::both(&crate::i18n::cli::Notice::Restored(&restored))));
            }
            Reply::Restored(Err(e)) => self.warn(e),
            Reply::KioskLeft(result) => self.kiosk_left(ctx, result),
            Reply::SyncStatus { pending, last, conflicts } => {
                self.sync.pending = pending;
                self.sync.last = last;
                self.sync.conflicts = conflicts;
            }
        }
    }
}
