//! Drawing the parts of the window every screen shares: the tab bar with the notice line, the
//! status bar; then the screen showing (each screen draws itself in its own file).

use eframe::egui;

use super::commands::screen_action;
use super::{Screen, StationApp};
use crate::i18n::Lang;
use crate::i18n::Say;
use crate::i18n::window::Notice;
use crate::profile::PhotoSpec;
use crate::ui::app::Command;
use crate::ui::palette;

impl StationApp {
    /// Draws the window and runs the commands sent while drawing.
    pub fn show_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        // The station screen lays out its own side panels; every other screen is one panel.
        let must_change_pin = self.actor.as_ref().is_some_and(|a| a.must_change_pin);
        let draw: fn(&mut StationApp, &mut egui::Ui) = match (self.actor.is_some(), self.screen) {
            (false, _) => StationApp::login_screen,
            (true, _) if must_change_pin => StationApp::change_pin_screen,
            (true, Screen::Station) => return self.end_frame(|app| app.station_screen(ui)),
            (true, Screen::Review) => StationApp::review_screen,
            (true, Screen::Roster) => StationApp::roster_screen,
            (true, Screen::Settings) => StationApp::settings_screen,
            (true, Screen::Print) => StationApp::print_screen,
            (true, Screen::Export) => StationApp::export_screen,
            (true, Screen::Sync) => StationApp::sync_screen,
        };
        self.end_frame(|app| {
            egui::CentralPanel::default().show(ui, |ui| draw(app, ui));
        });
    }

    /// Draws the screen with `draw` (and kiosk mode's close form over it when asked), then runs
    /// the commands sent while drawing.
    fn end_frame(&mut self, draw: impl FnOnce(&mut StationApp)) {
        draw(self);
        let ctx = self.ctx.clone();
        self.kiosk_form(&ctx);
        self.run_commands();
        self.frame_stats.end(self.station.live.total);
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal(|ui| {
            ui.heading(s.title);
            ui.separator();
            if let Some(actor) = self.actor.clone().filter(|a| !a.must_change_pin) {
                let tabs = [
                    (Screen::Station, s.tab_station),
                    (Screen::Review, s.tab_review),
                    (Screen::Roster, s.tab_roster),
                    (Screen::Settings, s.tab_settings),
                    (Screen::Print, s.tab_print),
                    (Screen::Export, s.tab_export),
                    (Screen::Sync, s.tab_sync),
                ];
                // Only the tabs the account's role opens (the role table).
                let tabs = tabs.into_iter().filter(|(screen, _)| screen_action(*screen).is_none_or(|a| actor.may(a)));
                for (screen, label) in tabs {
                    let text = egui::RichText::new(label).size(17.0);
                    if ui.selectable_label(self.screen == screen, text).clicked() {
                        self.send(Command::Show(screen));
                    }
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                self.kiosk_button(ui);
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
            ui.colored_label(palette::WARN, s.no_cjk_font);
        }
        if let Some((message, is_error)) = &self.notice {
            let colour = if *is_error { palette::BAD } else { palette::OK };
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
                ui.label(Notice::PreviewRate(self.station.preview_rate.per_second()).say(self.lang));
                ui.label(Notice::HintRate(self.station.live.rate.per_second()).say(self.lang));
                ui.label(Notice::FrameTime(self.frame_stats.last_ms() as f32).say(self.lang));
            }
        });
    }

    pub(in crate::ui) fn profile_label(&self, p: &PhotoSpec) -> String {
        let name = if self.lang == Lang::Zh { &p.name_zh } else { &p.name_en };
        format!("{name} {}×{}", p.output.width_px, p.output.height_px)
    }
}
