//! The Sync screen: the central server (shown without its password), what waits to be sent,
//! the last sync and how far this clock was from the server's, and the students photographed
//! at more than one booth with the photo that counts. "Sync now" runs `sync::sync` on the job
//! thread, with progress and cancel, like print and export.

use eframe::egui;

use super::app::{Command, StationApp};
use super::i18n::fill;
use crate::store::{CaptureStatus, Conflict, Pending};
use crate::sync::{self, CLOCK_WARNING_S, CentralUrl, SyncOptions};

/// The screen's state.
#[derive(Default)]
pub(super) struct SyncState {
    /// The central server, parsed once at start (an error in words when the address is bad).
    pub(super) central: Option<Result<CentralUrl, String>>,
    pub(super) pending: Option<Pending>,
    pub(super) last: Option<(String, i64)>,
    pub(super) conflicts: Vec<Conflict>,
    pub(super) with_photos: bool,
}

impl SyncState {
    /// The state for a station started with `central` (the `--central` address, if any).
    pub(super) fn new(central: Option<&str>) -> SyncState {
        let central = central.map(|text| CentralUrl::parse(text).map_err(|e| e.to_string()));
        SyncState { central, ..SyncState::default() }
    }
}

impl StationApp {
    /// Pending changes, last sync and conflicts, from the store thread.
    pub(super) fn refresh_sync(&mut self) {
        self.ask(|store| {
            let pending = store.pending().ok();
            let last = store.last_sync().ok().flatten();
            let conflicts = store.conflicts().unwrap_or_default();
            Box::new(move |app: &mut StationApp, _: &egui::Context| {
                app.sync.pending = pending;
                app.sync.last = last;
                app.sync.conflicts = conflicts;
            })
        });
    }

    /// Sends the outbox and fetches what changed elsewhere, on the job thread.
    pub(super) fn sync_now(&mut self) {
        let Some(Ok(url)) = self.sync.central.clone() else { return };
        let options = SyncOptions { photos: self.sync.with_photos, ..SyncOptions::default() };
        let s = self.s();
        self.store_job(move |store, progress| {
            let r = sync::sync(store, &url, &options, progress).map_err(|e| crate::error_chain(&e))?;
            Ok(fill(
                s.sync_done,
                &[
                    &r.entries,
                    &r.photos_sent,
                    &format!("{:.1}", r.bytes_sent as f64 / 1e6),
                    &r.pulled.captures,
                    &r.pulled.reviews,
                    &r.pulled.statuses,
                    &format!("{:.1}", r.seconds),
                ],
            ))
        });
    }

    pub(super) fn sync_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        let busy = self.job_running();
        ui.heading(s.sync_title);
        match &self.sync.central {
            Some(Ok(url)) => ui.label(fill(s.sync_central, &[&url.shown()])),
            Some(Err(e)) => ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e),
            None => ui.label(s.sync_no_central),
        };
        if let Some(p) = &self.sync.pending {
            ui.label(fill(s.sync_pending, &[&p.entries, &p.captures, &p.reviews, &p.audit, &p.other]));
        }
        match &self.sync.last {
            Some((at, skew)) => {
                ui.label(fill(s.sync_last, &[at, &signed_hms(*skew)]));
                if skew.abs() > CLOCK_WARNING_S {
                    let text = fill(s.sync_clock_warning, &[&signed_hms(*skew)]);
                    ui.colored_label(egui::Color32::from_rgb(200, 120, 0), text);
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
        ui.label(fill(s.sync_conflicts, &[&self.sync.conflicts.len()]));
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
                        ui.label(match k.status {
                            CaptureStatus::Approved => s.st_approved,
                            CaptureStatus::Accepted => s.st_accepted,
                            _ => "",
                        });
                        ui.label(&k.taken_at);
                        if i == c.counting {
                            ui.colored_label(egui::Color32::from_rgb(30, 120, 60), s.sync_counts);
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

/// A clock offset as `+3:05:00` (this clock ahead) or `-0:00:40`, the same in both languages.
fn signed_hms(seconds: i64) -> String {
    let (sign, abs) = (if seconds < 0 { '-' } else { '+' }, seconds.unsigned_abs());
    format!("{sign}{}:{:02}:{:02}", abs / 3600, abs % 3600 / 60, abs % 60)
}
