//! Kiosk mode, for a booth left with students: the window fullscreen without decorations.
//! Whatever would leave it — the window manager's close (Alt+F4), leaving fullscreen,
//! minimizing, switching to another window — is undone every frame; only an admin's name and
//! PIN, checked on the store thread (audited, counted towards the lockout like a login), let
//! the window close. On with `--kiosk` for one run, or by the saved setting (admins).

use std::time::{Duration, Instant};

use eframe::egui;

use super::app::{Command, Reply, StationApp};
use super::palette;
use crate::i18n::{Said, Say};

/// How often focus is asked back while another window has it.
const REFOCUS_EVERY: Duration = Duration::from_secs(1);

/// Kiosk mode's state.
#[derive(Default)]
pub(super) struct KioskState {
    /// `--kiosk` given: on for this run whatever the setting says.
    pub(super) forced: bool,
    /// Whether the window was last told to be in kiosk mode (told again only on a change).
    applied: Option<bool>,
    /// The close form while it shows: the admin's name and PIN.
    pub(in crate::ui) form: Option<[String; 2]>,
    /// Why the last try was refused.
    message: Option<Said>,
    /// A PIN being checked on the store thread.
    checking: bool,
    /// An admin let the window close.
    released: bool,
    /// When focus was last asked back.
    refocused_at: Option<Instant>,
    /// The form just opened: its first field takes the keyboard.
    focus_first_field: bool,
}

impl KioskState {
    pub(super) fn new(forced: bool) -> KioskState {
        KioskState { forced, ..Default::default() }
    }
}

impl StationApp {
    /// Whether kiosk mode is on (`--kiosk` or the setting).
    pub fn kiosk_on(&self) -> bool {
        self.kiosk.forced || self.settings.saved.kiosk
    }

    /// Every frame: tells the window the mode when it changes and, while it is on, undoes
    /// whatever would leave the window.
    pub(super) fn guard_kiosk(&mut self, ctx: &egui::Context) {
        let on = self.kiosk_on();
        if self.kiosk.applied != Some(on) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on));
            ctx.send_viewport_cmd(egui::ViewportCommand::Decorations(!on));
            self.kiosk.applied = Some(on);
        }
        if !on || self.kiosk.released {
            return;
        }
        let (close, fullscreen, minimized, focused) = ctx.input(|i| {
            let v = i.viewport();
            (v.close_requested(), v.fullscreen, v.minimized, v.focused)
        });
        if close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.open_kiosk_form();
        }
        if fullscreen == Some(false) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
        if minimized == Some(true) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
        }
        // Switched away (Alt+Tab, the desktop's key): back to the front, unless our own file
        // chooser is what has the focus.
        let away = focused == Some(false) || minimized == Some(true);
        let now = self.now();
        let due = self.kiosk.refocused_at.is_none_or(|t| now.saturating_duration_since(t) >= REFOCUS_EVERY);
        if away && due && self.file_dialog.is_none() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
            self.kiosk.refocused_at = Some(now);
        }
    }

    /// Shows the close form (the logged-in admin's name already in it).
    pub(super) fn open_kiosk_form(&mut self) {
        if self.kiosk.form.is_none() {
            let admin = self.actor.as_ref().filter(|a| a.may(crate::store::Action::LeaveKiosk));
            self.kiosk.form = Some([admin.map(|a| a.name.clone()).unwrap_or_default(), String::new()]);
            self.kiosk.message = None;
            self.kiosk.focus_first_field = true;
        }
    }

    /// Checks the admin's name and PIN on the store thread; the reply closes the window.
    pub(super) fn leave_kiosk(&mut self, name: String, pin: String) {
        self.kiosk.checking = true;
        self.ask(move |store| Reply::KioskLeft(store.leave_kiosk(name.trim(), &pin).map(|_| ())));
    }

    /// The store's answer: an admin closes the window; anything else is said in the form.
    pub(super) fn kiosk_left(&mut self, ctx: &egui::Context, result: Result<(), crate::store::StoreError>) {
        self.kiosk.checking = false;
        match result {
            Ok(()) => {
                self.kiosk.released = true;
                self.kiosk.form = None;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Err(e) => self.kiosk.message = Some(Box::new(e)),
        }
    }

    /// Turns the saved setting on or off (admins); the window follows at once.
    pub(super) fn set_kiosk(&mut self, on: bool) {
        self.settings.saved.kiosk = on;
        self.save_settings();
    }

    /// The button that asks to close, in the tab bar while kiosk mode is on (the window has no
    /// title bar then).
    pub(super) fn kiosk_button(&mut self, ui: &mut egui::Ui) {
        if self.kiosk_on() && ui.button(self.s().kiosk_quit).clicked() {
            self.open_kiosk_form();
        }
    }

    /// The close form, over everything else while it shows.
    pub(super) fn kiosk_form(&mut self, ctx: &egui::Context) {
        let Some([mut name, mut pin]) = self.kiosk.form.take() else { return };
        let s = self.s();
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("kiosk-leave")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading(s.kiosk_leave_title);
            ui.label(s.kiosk_leave_hint);
            ui.add_space(8.0);
            egui::Grid::new("kiosk-leave-grid").num_columns(2).spacing([12.0, 10.0]).show(ui, |ui| {
                let caption = ui.label(s.kiosk_admin);
                let name_field =
                    ui.add(egui::TextEdit::singleline(&mut name).desired_width(220.0)).labelled_by(caption.id);
                ui.end_row();
                let caption = ui.label(s.kiosk_pin);
                let pin_field = ui
                    .add(egui::TextEdit::singleline(&mut pin).password(true).desired_width(220.0))
                    .labelled_by(caption.id);
                if std::mem::take(&mut self.kiosk.focus_first_field) {
                    // The admin's name when it is not filled in already, else the PIN.
                    if name.is_empty() { name_field.request_focus() } else { pin_field.request_focus() }
                }
                ui.end_row();
            });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                let close = ui.add_enabled(!self.kiosk.checking, egui::Button::new(s.kiosk_confirm));
                if (close.clicked() || enter) && !self.kiosk.checking {
                    self.send(Command::LeaveKiosk { name: name.clone(), pin: std::mem::take(&mut pin) });
                }
                if ui.button(s.kiosk_cancel).clicked() {
                    keep = false;
                }
            });
            if self.kiosk.checking {
                ui.label(s.kiosk_checking);
            } else if let Some(message) = &self.kiosk.message {
                ui.colored_label(palette::BAD, message.say(self.lang));
            }
        });
        if modal.should_close() {
            keep = false; // Escape or a click beside the form
        }
        if keep && !self.kiosk.released {
            self.kiosk.form = Some([name, pin]);
        }
    }
}
