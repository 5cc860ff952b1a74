//! The login screen, and the first admin account on a fresh store.

use eframe::egui;

use super::palette;

use super::app::roster_size;
use super::app::{Command, Reply, StationApp};
use crate::i18n::Say;
use crate::i18n::window::Label;
use crate::store::Role;

impl StationApp {
    pub(super) fn log_in(&mut self, name: String, pin: String) {
        let first_run = self.first_run == Some(true);
        self.ask(move |store| {
            let actor = if first_run {
                store.add_operator(None, name.trim(), Role::Admin, &pin)
            } else {
                store.login(name.trim(), &pin, crate::store::LoginVia::Window)
            };
            Reply::LoggedIn { first_run, actor, roster_size: roster_size(store).ok() }
        });
    }

    /// Back to the login screen: the account, whatever the desk held and the forms are dropped.
    pub(super) fn log_out(&mut self) {
        self.actor = None;
        self.login_form = Default::default();
        self.review.reason.clear();
        self.cancel();
    }

    /// Puts a backup back as the store, on the store thread (which then holds the restored store).
    pub(super) fn restore_from(&mut self, path: std::path::PathBuf) {
        let Some(actor) = self.actor.clone() else { return };
        self.ask(move |store| Reply::Restored(store.restore_here(Some(&path), Some(&actor))));
    }

    pub(super) fn change_pin(&mut self, pin: String) {
        let Some(actor) = self.actor.clone() else { return };
        self.ask(move |store| {
            let name = actor.name.clone();
            Reply::PinChanged(store.change_pin(&actor, &name, &pin))
        });
    }

    /// The form an account that logged in with a too-short PIN fills in before anything else.
    pub(super) fn change_pin_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        let [name, mut pin, mut again] = std::mem::take(&mut self.login_form);
        ui.add_space(60.0);
        ui.vertical_centered(|ui| {
            ui.heading(egui::RichText::new(s.change_pin_title).size(26.0));
            ui.label(s.change_pin_hint);
            ui.add_space(12.0);
            egui::Grid::new("change-pin-grid").num_columns(2).spacing([12.0, 10.0]).show(ui, |ui| {
                let caption = ui.label(s.new_pin);
                ui.add(egui::TextEdit::singleline(&mut pin).password(true).desired_width(220.0))
                    .labelled_by(caption.id);
                ui.end_row();
                let caption = ui.label(s.pin_again);
                ui.add(egui::TextEdit::singleline(&mut again).password(true).desired_width(220.0))
                    .labelled_by(caption.id);
                ui.end_row();
            });
            ui.add_space(8.0);
            if ui.button(egui::RichText::new(s.change_pin).size(18.0)).clicked() {
                if pin != again {
                    self.login_message = Some(Box::new(Label(|s| s.pins_differ)));
                } else {
                    self.send(Command::ChangePin(std::mem::take(&mut pin)));
                    again.clear();
                }
            }
            if let Some(message) = &self.login_message {
                ui.colored_label(palette::BAD, message.say(self.lang));
            }
        });
        self.login_form = [name, pin, again];
    }

    pub(super) fn login_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        let Some(first_run) = self.first_run else {
            ui.spinner();
            return;
        };
        let [mut name, mut pin, mut again] = std::mem::take(&mut self.login_form);
        ui.add_space(60.0);
        ui.vertical_centered(|ui| {
            ui.heading(egui::RichText::new(if first_run { s.first_admin_title } else { s.login_title }).size(26.0));
            if first_run {
                ui.label(s.first_admin_hint);
            }
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                ui.add_space((ui.available_width() - 340.0).max(0.0) / 2.0);
                egui::Grid::new("login-grid").num_columns(2).spacing([12.0, 10.0]).show(ui, |ui| {
                    // Each field is labelled by its caption: screen readers and the GUI tests find it.
                    let caption = ui.label(s.name);
                    let name_field =
                        ui.add(egui::TextEdit::singleline(&mut name).desired_width(220.0)).labelled_by(caption.id);
                    if name.is_empty() && !ui.ctx().egui_wants_keyboard_input() {
                        name_field.request_focus();
                    }
                    ui.end_row();
                    let caption = ui.label(s.pin);
                    ui.add(egui::TextEdit::singleline(&mut pin).password(true).desired_width(220.0))
                        .labelled_by(caption.id);
                    ui.end_row();
                    if first_run {
                        let caption = ui.label(s.pin_again);
                        ui.add(egui::TextEdit::singleline(&mut again).password(true).desired_width(220.0))
                            .labelled_by(caption.id);
                        ui.end_row();
                    }
                });
            });
            ui.add_space(8.0);
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            let button = ui.button(egui::RichText::new(if first_run { s.create_admin } else { s.log_in }).size(18.0));
            if button.clicked() || enter {
                if first_run && pin != again {
                    self.login_message = Some(Box::new(Label(|s| s.pins_differ)));
                } else {
                    self.send(Command::LogIn { name: name.clone(), pin: std::mem::take(&mut pin) });
                    again.clear();
                }
            }
            if let Some(message) = &self.login_message {
                ui.colored_label(palette::BAD, message.say(self.lang));
            }
        });
        self.login_form = [name, pin, again];
    }
}
