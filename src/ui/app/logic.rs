//! The per-frame logic that does not draw: the newest camera frame, what the workers
//! finished (pipeline, live hints, store and job replies, a camera opened, a file chosen),
//! what the live worker should judge, and the station's keys.

use eframe::egui;

use super::{Screen, StationApp};
use crate::i18n::window::Label;
use crate::station::Event;
use crate::ui::app::Command;
use crate::ui::station::{Desk, LiveState, LiveSteer, Preview};

impl StationApp {
    /// The newest camera frame onto the screen (a texture upload only when it is new).
    fn read_camera(&mut self, ctx: &egui::Context) {
        let snapshot = self.camera.latest();
        self.station.camera_status = snapshot.status;
        let Some(frame) = snapshot.frame else { return };
        if self.station.preview.as_ref().is_some_and(|p| p.seq == frame.seq) {
            return;
        }
        self.station.preview_rate.tick(self.now());
        let size = [frame.image.width() as usize, frame.image.height() as usize];
        let pixels = egui::ColorImage::from_rgb(size, frame.image.as_raw());
        match &mut self.station.preview {
            Some(preview) => {
                preview.texture.set(pixels, egui::TextureOptions::LINEAR);
                preview.seq = frame.seq;
                preview.image = frame.image;
            }
            None => {
                let texture = ctx.load_texture("camera", pixels, egui::TextureOptions::LINEAR);
                self.station.preview = Some(Preview { seq: frame.seq, image: frame.image, texture });
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
            self.on_reply(ctx, reply);
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

    /// Tells the live worker what to judge: the camera while the station screen shows, with
    /// codes while it waits for a student; nothing elsewhere.
    fn steer_live(&mut self) {
        let active = self.actor.is_some() && self.screen == Screen::Station;
        let scanning = matches!(self.station.desk, Desk::Scanning);
        let steer = LiveSteer {
            judging: active,
            reading_codes: scanning,
            profile_index: self.profile_index,
            camera_generation: self.station.camera_generation,
        };
        if self.station.live_steer != Some(steer) {
            self.station.live_steer = Some(steer);
            let feed = active.then(|| self.camera.feed());
            self.live_worker.watch(feed, self.spec().cloned(), scanning);
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        if self.actor.is_none()
            || self.screen != Screen::Station
            || ctx.egui_wants_keyboard_input()
            || self.kiosk.form.is_some()
        {
            return; // typing in a field (the scan field, a reason) is not a shortcut
        }
        let keys = [
            (egui::Key::Space, Command::Shoot),
            (
                egui::Key::Enter,
                if self.station.desk.awaits_confirmation() { Command::ConfirmIdentity } else { Command::Accept },
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

    /// Logs out when no one has touched the window for the configured idle time: a booth PC
    /// left open must not show the next person the roster.
    fn idle_logout(&mut self, ctx: &egui::Context) {
        let now = self.now();
        if ctx.input(|i| !i.events.is_empty()) {
            self.last_activity = now;
        }
        let Some(limit) = self.settings.saved.idle_logout() else { return };
        if self.actor.is_some() && now.saturating_duration_since(self.last_activity) >= limit {
            self.log_out();
            self.warn(Label(|s| s.logged_out_idle));
        }
    }

    /// The per-frame logic that does not draw: camera, workers, live requests, keys.
    pub fn logic(&mut self, ctx: &egui::Context) {
        self.frame_stats.begin();
        self.guard_kiosk(ctx);
        self.idle_logout(ctx);
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

    /// Takes over a camera opened on its own thread ([`StationApp::set_camera`]).
    fn camera_opened(&mut self) {
        let Some(rx) = &self.camera_opening else { return };
        let Ok(opened) = rx.try_recv() else { return };
        self.camera_opening = None;
        match opened {
            Ok((camera, spec)) => {
                let repaint = self.ctx.clone();
                camera.on_frame(Box::new(move || repaint.request_repaint()));
                self.station.camera_generation += 1;
                self.camera = camera;
                self.station.preview = None;
                self.station.live = LiveState::default();
                self.settings.saved.camera = Some(spec.to_text());
                self.save_settings();
            }
            Err(e) => self.warn(e),
        }
    }
}
