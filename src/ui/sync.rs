//! The Sync screen: the central server (shown without its password), what waits to be sent,
//! the last sync and how far this clock was from the server's, and the students photographed
//! at more than one booth with the photo that counts. "Sync now" runs `sync::sync` on the job
//! thread, with progress and cancel, like print and export.

use eframe::egui;

use super::palette;

use super::app::{Command, Reply, StationApp};
use crate::i18n::window::Notice;
use crate::i18n::{Said, Say};
use crate::store::{Conflict, Pending};
use crate::sync::{self, CLOCK_WARNING_S, CentralUrl, SyncOptions};

/// The screen's state.
#[derive(Default)]
pub(super) struct SyncState {
    /// The central server, parsed once at start (an error in words when the address is bad).
    pub(super) central: Option<Result<CentralUrl, std::sync::Arc<sync::SyncError>>>,
    pub(super) pending: Option<Pending>,
    pub(super) last: Option<(String, i64)>,
    pub(super) conflicts: Vec<Conflict>,
    pub(super) with_photos: bool,
}

impl SyncState {
    /// The state for a station started with `central` (the `--central` address, if any).
    pub(super) fn new(central: Option<&str>, access: &sync::CentralAccess) -> SyncState {
        let central = central.map(|text| CentralUrl::parse(text, access).map_err(std::sync::Arc::new));
        SyncState { central, ..SyncState::default() }
    }
}

impl StationApp {
    /// Pending changes, last sync and conflicts, from the store thread.
    pub(super) fn refresh_sync(&mut self) {
        self.ask(|store| Reply::SyncStatus {
            pending: store.pending().ok(),
            last: store.last_sync().ok().flatten(),
            conflicts: store.conflicts().unwrap_or_default(),
        });
    }

    /// Sends the outbox and fetches what changed elsewhere, on the job thread.
    pub(super) fn sync_now(&mut self) {
        let Some(Ok(url)) = self.sync.central.clone() else { return };
        let options = SyncOptions { photos: self.sync.with_photos, ..SyncOptions::default() };
        self.store_job(move |store, progress| {
            let r = sync::sync(store, &url, &options, progress).map_err(|e| Box::new(e) as Said)?;
            Ok(Box::new(Notice::SyncDone {
                entries: r.entries,
                photos: r.photos_sent,
                bytes: r.bytes_sent,
                captures: r.pulled.captures,
                reviews: r.pulled.reviews,
                statuses: r.pulled.statuses,
                seconds: r.seconds,
                insecure: r.insecure_tls,
            }))
        });
    }

    pub(super) fn sync_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        let busy = self.job_running();
        ui.heading(s.sync_title);
        match &self.sync.central {
            Some(Ok(url)) => {
                let shown = ui.label(Notice::SyncCentral(url.shown().to_owned()).say(self.lang));
                if url.is_insecure() {
                    ui.colored_label(palette::WARN, crate::i18n::cli::InsecureLink.say(self.lang));
                }
                shown
            }
            Some(Err(e)) => ui.colored_label(palette::BAD, e.say(self.lang)),
            None => ui.label(s.sync_no_central),
        };
        if let Some(p) = &self.sync.pending {
            ui.label(Notice::SyncPending(*p).say(self.lang));
        }
        match &self.sync.last {
            Some((at, skew)) => {
                ui.label(Notice::SyncLast(at.clone(), *skew).say(self.lang));
                if skew.abs() > CLOCK_WARNING_S {
                    let text = Notice::SyncClockWarning(*skew).say(self.lang);
                    ui.colored_label(palette::WARN, text);
                }
            }
            None => {
                ui.label(s.sync_never);
            }
        }
        ui.add_space(6.0);
        ui.checkbox(&mut self.sync.with_photos, s.sync_with_photos);
        let ready = matches!(self.sync.central, Some(Ok(_)));
        if ui.add_enabled(ready && !busy, egui::Button::new(s.sync_now)).clicked() {
            self.send(Command::SyncNow);
        }
        ui.add_space(6.0);
        self.job_line(ui);
        ui.add_space(6.0);
        ui.label(Notice::SyncConflicts(self.sync.conflicts.len()).say(self.lang));
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("conflicts").striped(true).num_columns(6).show(ui, |ui| {
                for title in [
                    s.sync_col_student,
                    s.sync_col_capture,
                    s.sync_col_station,
                    s.sync_col_status,
                    s.sync_col_taken,
                    "",
                ] {
                    ui.strong(title);
                }
                ui.end_row();
                for c in &self.sync.conflicts {
                    for (i, k) in c.candidates.iter().enumerate() {
                        let who = if i == 0 {
                            format!("{} {}", c.student.record.student_no, c.student.record.name)
                        } else {
                            String::new()
                        };
                        ui.label(who);
                        ui.monospace(&k.capture_id);
                        ui.monospace(&k.station_id);
                        ui.label(k.status.say(self.lang));
                        ui.label(crate::i18n::local_time_of(&k.taken_at));
                        if i == c.counting {
                            ui.colored_label(palette::OK, s.sync_counts);
                        } else {
                            ui.label("");
                        }
                        ui.end_row();
                    }
                }
            });
        });
    }
}
