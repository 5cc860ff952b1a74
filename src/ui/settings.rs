//! The station's settings (camera, profile, language, station name, data folder, auto-shoot),
//! kept in `station.toml` in the user's config folder, and the screen that edits them.
//! Command-line flags given at start win over the file.

use std::path::PathBuf;

use eframe::egui;

use super::app::{Command, StationApp};
use crate::camera::{CameraSpec, WebcamInfo};
use crate::i18n::Lang;
pub use crate::station::StationSettings;

/// The settings screen's state: the saved settings and the form being edited.
pub(super) struct SettingsState {
    pub(super) saved: StationSettings,
    station_name: String,
    folder_text: String,
    pub(super) webcams: Vec<WebcamInfo>,
}

impl SettingsState {
    pub(super) fn new(saved: StationSettings) -> SettingsState {
        SettingsState {
            station_name: saved.station_name.clone(),
            folder_text: String::new(),
            saved,
            webcams: Vec::new(),
        }
    }
}

impl StationApp {
    pub(super) fn save_settings_form(&mut self) {
        self.settings.saved.station_name = self.settings.station_name.trim().to_owned();
        self.save_settings();
        let text = self.s().saved_settings;
        self.tell(text);
    }

    pub(super) fn set_data_dir(&mut self, dir: PathBuf) {
        self.settings.saved.data_dir = Some(dir);
        self.save_settings();
        let text = self.s().restart_needed;
        self.tell(text);
    }

    pub(super) fn settings_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.heading(s.settings_title);
        egui::Grid::new("settings-grid").num_columns(2).spacing([16.0, 12.0]).show(ui, |ui| {
            ui.label(s.camera);
            ui.vertical(|ui| {
                ui.label(self.camera.name());
                ui.horizontal(|ui| {
                    if ui.button(s.use_demo).clicked() {
                        self.send(Command::SetCamera(CameraSpec::Demo));
                    }
                    ui.add(
                        egui::TextEdit::singleline(&mut self.settings.folder_text)
                            .hint_text("dir:/path")
                            .desired_width(200.0),
                    );
                    if ui.button("✓").clicked()
                        && let Ok(spec) = CameraSpec::parse(self.settings.folder_text.trim())
                    {
                        self.send(Command::SetCamera(spec));
                    }
                });
                ui.label(s.webcams_found);
                if self.settings.webcams.is_empty() {
                    ui.label(s.no_webcams);
                }
                for w in self.settings.webcams.clone() {
                    if ui.button(format!("{} · {}", w.index, w.name)).clicked() {
                        let spec = CameraSpec::Webcam { device: w.index, size: crate::camera::DEFAULT_WEBCAM_SIZE };
                        self.send(Command::SetCamera(spec));
                    }
                }
            });
            ui.end_row();

            ui.label(s.profile);
            let current = self.spec().map(|p| self.profile_label(p)).unwrap_or_default();
            let mut chosen = None;
            egui::ComboBox::from_id_salt("profile").selected_text(current).show_ui(ui, |ui| {
                for (i, p) in self.profiles.iter().enumerate() {
                    if ui.selectable_label(i == self.profile_index, self.profile_label(p)).clicked() {
                        chosen = Some(i);
                    }
                }
            });
            if let Some(i) = chosen {
                self.send(Command::SelectProfile(i));
            }
            ui.end_row();

            ui.label(s.language_setting);
            ui.horizontal(|ui| {
                for (lang, name) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                    if ui.radio(self.lang == lang, name).clicked() {
                        self.send(Command::SetLang(lang));
                    }
                }
            });
            ui.end_row();

            ui.label(s.station_name);
            ui.add(egui::TextEdit::singleline(&mut self.settings.station_name).desired_width(240.0));
            ui.end_row();

            ui.label(s.data_folder);
            ui.vertical(|ui| {
                ui.label(self.data_dir.display().to_string());
                if let Some(next) = self.settings.saved.data_dir.as_ref().filter(|d| **d != self.data_dir) {
                    ui.label(format!("→ {} ({})", next.display(), s.restart_needed));
                }
                // Only a role that may change the data folder gets the button (the role table).
                let may = self.actor.as_ref().is_some_and(|a| a.may(crate::store::Action::ChangeDataFolder));
                if ui.add_enabled(may && self.file_dialog.is_none(), egui::Button::new(s.choose)).clicked() {
                    self.send(Command::PickDataDir);
                }
            });
            ui.end_row();

            // An admin puts a backup back here (the current store is kept aside, never overwritten).
            if self.actor.as_ref().is_some_and(|a| a.may(crate::store::Action::Restore)) {
                ui.label(s.restore_title);
                ui.vertical(|ui| {
                    ui.label(s.restore_hint);
                    // Not while a print, export or sync job has the store open beside the window.
                    let free = self.file_dialog.is_none() && !self.job_running();
                    if ui.add_enabled(free, egui::Button::new(s.restore_button)).clicked() {
                        self.send(Command::PickBackupFile);
                    }
                });
                ui.end_row();
            }

            ui.label(s.auto_shoot);
            let mut auto = self.settings.saved.auto_shoot;
            if ui.checkbox(&mut auto, "").changed() {
                self.send(Command::SetAutoShoot(auto));
            }
            ui.end_row();

            ui.label(s.show_rates);
            ui.checkbox(&mut self.settings.saved.show_rates, "");
            ui.end_row();

            // Kiosk mode: an admin turns it on or off (the window follows at once).
            if self.actor.as_ref().is_some_and(|a| a.may(crate::store::Action::LeaveKiosk)) {
                let caption = ui.label(s.kiosk_setting);
                ui.horizontal(|ui| {
                    let mut on = self.settings.saved.kiosk;
                    if ui.checkbox(&mut on, "").labelled_by(caption.id).changed() {
                        self.send(Command::SetKiosk(on));
                    }
                    if self.kiosk.forced {
                        ui.label(s.kiosk_forced);
                    }
                });
                ui.end_row();
            }

            let caption = ui.label(s.idle_logout);
            let mut minutes =
                self.settings.saved.idle_logout_minutes.unwrap_or(crate::station::DEFAULT_IDLE_LOGOUT_MINUTES);
            if ui.add(egui::DragValue::new(&mut minutes).range(0..=240)).labelled_by(caption.id).changed() {
                self.settings.saved.idle_logout_minutes = Some(minutes);
            }
            ui.end_row();
        });
        ui.add_space(8.0);
        if ui.button(egui::RichText::new(s.save).size(18.0)).clicked() {
            self.send(Command::SaveSettings);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_broken_files_say_where() {
        let dir = std::env::temp_dir().join(format!("tucai-settings-{}", std::process::id()));
        let path = dir.join("station.toml");
        assert_eq!(StationSettings::load(&path), Ok(StationSettings::default()), "no file: defaults");
        let mut settings =
            StationSettings { station_name: "图书馆一楼".into(), auto_shoot: true, ..Default::default() };
        settings.set_lang(Lang::En);
        settings.save(&path).expect("saves");
        assert_eq!(StationSettings::load(&path), Ok(settings));
        std::fs::write(&path, "station_name = 3").expect("write");
        let why = StationSettings::load(&path).expect_err("broken");
        assert!(why.contains("station.toml"), "{why}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
