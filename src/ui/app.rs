//! The station app: state, the per-frame logic (events from the worker), drawing, and the
//! [`Command`]s that every button and shortcut sends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui;

use super::i18n::{Strings, strings};
use crate::camera::FrameSource;
use crate::i18n::Lang;
use crate::imaging::SourcePhoto;
use crate::profile::PhotoSpec;
use crate::quality::live::LiveCheck;
use crate::quality::{Report, Verdict};
use crate::station::{CheckedPhoto, Event, Job, StationWorker};

/// Live hints are asked for at most this often (15 Hz), one frame at a time.
const LIVE_INTERVAL: Duration = Duration::from_millis(66);

/// Everything the operator can do; buttons, keys and tests all push one of these.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Take the current frame and standardize it.
    Shoot,
    /// Show the next frame (the next student, for the demo camera).
    NextStudent,
    /// Choose a profile by index.
    SelectProfile(usize),
    /// Switch the language.
    SetLang(Lang),
}

/// The outcome of the latest shot.
enum Shot {
    Pending(u64),
    Done { checked: Box<CheckedPhoto>, texture: egui::TextureHandle, elapsed: Duration, spec: Box<PhotoSpec> },
    Failed(String),
}

/// The station window's state.
pub struct StationApp {
    lang: Lang,
    camera: Box<dyn FrameSource>,
    frame_texture: egui::TextureHandle,
    profiles: Vec<PhotoSpec>,
    profile_index: usize,
    worker: StationWorker,
    models: Option<Result<(), String>>,
    next_shot_id: u64,
    shot: Option<Shot>,
    has_cjk_font: bool,
    commands: Vec<Command>,
    /// The latest live check, with its frame id and when it was asked for.
    live: Option<LiveCheck>,
    live_pending: bool,
    live_asked: Option<Instant>,
    next_frame_id: u64,
}

fn texture(ctx: &egui::Context, name: &str, image: &image::RgbImage) -> egui::TextureHandle {
    let size = [image.width() as usize, image.height() as usize];
    ctx.load_texture(name, egui::ColorImage::from_rgb(size, image.as_raw()), egui::TextureOptions::LINEAR)
}

impl StationApp {
    /// Creates the app and starts the station worker.
    pub fn new(
        ctx: &egui::Context,
        camera: Box<dyn FrameSource>,
        profiles: Vec<PhotoSpec>,
        lang: Lang,
        has_cjk_font: bool,
    ) -> std::io::Result<StationApp> {
        let repaint = ctx.clone();
        let worker = StationWorker::spawn(move || repaint.request_repaint())?;
        let frame_texture = texture(ctx, "frame", &camera.current().image);
        let profile_index = profiles.iter().position(|p| p.id == "chsi-graduate").unwrap_or(0);
        Ok(StationApp {
            lang,
            camera,
            frame_texture,
            profiles,
            profile_index,
            worker,
            models: None,
            next_shot_id: 1,
            shot: None,
            has_cjk_font,
            commands: Vec::new(),
            live: None,
            live_pending: false,
            live_asked: None,
            next_frame_id: 1,
        })
    }

    /// Queues a command to run at the end of this frame.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Whether the last shot produced a photo.
    pub fn has_photo(&self) -> bool {
        matches!(self.shot, Some(Shot::Done { .. }))
    }

    fn s(&self) -> &'static Strings {
        strings(self.lang)
    }

    fn poll_worker(&mut self, ctx: &egui::Context) {
        while let Some(event) = self.worker.poll() {
            match event {
                Event::Ready(r) => self.models = Some(r),
                Event::Standardized { shot_id, result, elapsed } => {
                    if !matches!(self.shot, Some(Shot::Pending(id)) if id == shot_id) {
                        continue; // an older shot finished after a newer one was taken
                    }
                    self.shot = Some(match *result {
                        Ok(checked) => Shot::Done {
                            texture: texture(ctx, "photo", &checked.photo.photo),
                            checked: Box::new(checked),
                            elapsed,
                            spec: Box::new(self.profiles[self.profile_index].clone()),
                        },
                        Err(message) => Shot::Failed(message),
                    });
                }
                Event::Live(event) => {
                    self.live_pending = false;
                    self.live = event.result.ok();
                }
            }
        }
    }

    /// Asks the worker to judge the current frame, at most every [`LIVE_INTERVAL`] and with
    /// one request outstanding, so a slow worker never builds a queue of stale frames.
    fn request_live(&mut self, ctx: &egui::Context) {
        let due = self.live_asked.is_none_or(|t| t.elapsed() >= LIVE_INTERVAL);
        if !matches!(self.models, Some(Ok(()))) || self.live_pending || !due {
            ctx.request_repaint_after(LIVE_INTERVAL);
            return;
        }
        let Some(spec) = self.profiles.get(self.profile_index) else { return };
        let frame = Arc::clone(&self.camera.current().image);
        let job = Job::Live { frame_id: self.next_frame_id, frame, spec: Box::new(spec.clone()) };
        self.next_frame_id += 1;
        self.live_pending = self.worker.submit(job);
        self.live_asked = Some(Instant::now());
        ctx.request_repaint_after(LIVE_INTERVAL);
    }

    fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::Shoot => {
                    let Some(spec) = self.profiles.get(self.profile_index) else { continue };
                    let shot_id = self.next_shot_id;
                    self.next_shot_id += 1;
                    let frame = self.camera.current();
                    let source = SourcePhoto {
                        image: (*frame.image).clone(),
                        exif_orientation: "NoTransforms".into(),
                        stored_size_px: [frame.image.width(), frame.image.height()],
                    };
                    let job = Job::Standardize { shot_id, source, spec: Box::new(spec.clone()) };
                    self.shot = Some(if self.worker.submit(job) {
                        Shot::Pending(shot_id)
                    } else {
                        Shot::Failed("worker stopped".into())
                    });
                }
                Command::NextStudent => {
                    self.camera.advance();
                    self.frame_texture = texture(ctx, "frame", &self.camera.current().image);
                    self.shot = None;
                }
                Command::SelectProfile(i) if i < self.profiles.len() => {
                    self.profile_index = i;
                    self.shot = None;
                }
                Command::SelectProfile(_) => {}
                Command::SetLang(lang) => self.lang = lang,
            }
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        let (space, n) = ctx.input(|i| (i.key_pressed(egui::Key::Space), i.key_pressed(egui::Key::N)));
        if space {
            self.send(Command::Shoot);
        }
        if n {
            self.send(Command::NextStudent);
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal(|ui| {
            ui.heading(s.title);
            ui.separator();
            ui.label(format!("{}: {}", s.camera, self.camera.name()));
            ui.separator();
            ui.label(s.profile);
            let current = self.profiles.get(self.profile_index).map(|p| self.profile_name(p)).unwrap_or_default();
            let mut chosen = None;
            egui::ComboBox::from_id_salt("profile").selected_text(current).show_ui(ui, |ui| {
                for (i, p) in self.profiles.iter().enumerate() {
                    if ui.selectable_label(i == self.profile_index, self.profile_name(p)).clicked() {
                        chosen = Some(i);
                    }
                }
            });
            if let Some(i) = chosen {
                self.send(Command::SelectProfile(i));
            }
            ui.separator();
            if ui.button(s.language).clicked() {
                self.send(Command::SetLang(if self.lang == Lang::Zh { Lang::En } else { Lang::Zh }));
            }
        });
        if !self.has_cjk_font {
            ui.colored_label(egui::Color32::from_rgb(200, 60, 0), s.no_cjk_font);
        }
    }

    fn profile_name(&self, p: &PhotoSpec) -> String {
        let name = if self.lang == Lang::Zh { &p.name_zh } else { &p.name_en };
        format!("{name} {}×{}", p.output.width_px, p.output.height_px)
    }

    fn preview(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal(|ui| {
            let ready = matches!(self.models, Some(Ok(())));
            if ui.add_enabled(ready, egui::Button::new(egui::RichText::new(s.shoot).size(22.0))).clicked() {
                self.send(Command::Shoot);
            }
            if ui.button(egui::RichText::new(s.next_student).size(22.0)).clicked() {
                self.send(Command::NextStudent);
            }
            ui.label(s.keys);
        });
        match &self.models {
            None => {
                ui.label(s.loading_models);
            }
            Some(Err(e)) => {
                ui.colored_label(egui::Color32::RED, format!("{}{e}", s.models_failed));
            }
            Some(Ok(())) => {}
        }
        ui.label(&self.camera.current().label);
        let colour = self.live_hints(ui);
        let avail = ui.available_size();
        let size = self.frame_texture.size_vec2();
        let k = (avail.x / size.x).min(avail.y / size.y).min(2.0);
        let response = ui.image((self.frame_texture.id(), size * k));
        if let (Some(live), Some(spec)) = (&self.live, self.profiles.get(self.profile_index)) {
            draw_guide(ui.painter(), response.rect, k, live, spec, colour);
        }
    }

    /// The live findings that need action, as words (the fix first); returns the guide colour.
    fn live_hints(&self, ui: &mut egui::Ui) -> egui::Color32 {
        let Some(live) = &self.live else { return egui::Color32::GRAY };
        let (colour, text) = match live.report.verdict {
            Verdict::Fail => (egui::Color32::RED, None),
            Verdict::Warn => (egui::Color32::from_rgb(220, 150, 0), None),
            _ => (egui::Color32::from_rgb(40, 170, 70), Some(self.s().live_ready)),
        };
        ui.horizontal_wrapped(|ui| match text {
            Some(t) => {
                ui.colored_label(colour, egui::RichText::new(t).size(20.0));
            }
            None => {
                let needs_action =
                    live.report.findings.iter().filter(|f| matches!(f.verdict, Verdict::Fail | Verdict::Warn));
                let words: Vec<&str> =
                    needs_action
                        .take(2)
                        .map(|f| {
                            if f.fix.get(self.lang).is_empty() {
                                f.message.get(self.lang)
                            } else {
                                f.fix.get(self.lang)
                            }
                        })
                        .collect();
                ui.colored_label(colour, egui::RichText::new(words.join(" · ")).size(20.0));
            }
        });
        colour
    }

    fn result_panel(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.heading(s.result);
        match &self.shot {
            None => {
                ui.label(s.no_result);
            }
            Some(Shot::Pending(_)) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(s.processing);
                });
            }
            Some(Shot::Failed(message)) => {
                ui.colored_label(egui::Color32::RED, format!("{}{message}", s.failed));
            }
            Some(Shot::Done { checked, texture, elapsed, spec }) => {
                let photo = &checked.photo;
                let size = texture.size_vec2();
                let k = ((ui.available_width()) / size.x).min(1.0).min(300.0 / size.y);
                ui.image((texture.id(), size * k));
                ui.label(format!(
                    "{}: {}×{} px, {} dpi, q{}, {:.1} KiB · {}: {:+.1}° · {}: {} ms",
                    s.file,
                    photo.photo.width(),
                    photo.photo.height(),
                    spec.output.dpi,
                    photo.jpeg.quality,
                    photo.jpeg.bytes.len() as f64 / 1024.0,
                    s.rotation,
                    photo.plan.rotation_deg,
                    s.took,
                    elapsed.as_millis()
                ));
                ui.separator();
                checklist(ui, s, self.lang, &checked.report);
            }
        }
    }
}

/// The check report: the verdict, every failure and warning with its fix, then what passed.
fn checklist(ui: &mut egui::Ui, s: &Strings, lang: Lang, report: &Report) {
    let green = egui::Color32::from_rgb(30, 150, 60);
    let amber = egui::Color32::from_rgb(200, 130, 0);
    let (verdict, colour) = match report.verdict {
        Verdict::Fail => (s.verdict_fail, egui::Color32::RED),
        Verdict::Warn => (s.verdict_warn, amber),
        _ => (s.verdict_pass, green),
    };
    ui.colored_label(colour, egui::RichText::new(verdict).size(20.0).strong());
    egui::ScrollArea::vertical().show(ui, |ui| {
        for f in &report.findings {
            let (mark, colour) = match f.verdict {
                Verdict::Fail => ("×", egui::Color32::RED),
                Verdict::Warn => ("!", amber),
                Verdict::Pass => ("✓", green),
                Verdict::Skipped => ("–", egui::Color32::GRAY),
            };
            ui.colored_label(colour, format!("{mark} {}", f.message.get(lang)));
            let fix = f.fix.get(lang);
            if !fix.is_empty() {
                ui.label(format!("    → {fix}"));
            }
        }
    });
}

/// The head-and-shoulders guide where the profile wants the head, inside the part of the
/// frame the photo would be cut from, in the live verdict's colour.
fn draw_guide(
    painter: &egui::Painter,
    image: egui::Rect,
    k: f32,
    live: &LiveCheck,
    spec: &PhotoSpec,
    colour: egui::Color32,
) {
    let (Some([tl, br]), Some(scale)) = (live.crop_in_frame, live.predicted_scale) else { return };
    let to_screen = |x: f32, y: f32| image.min + egui::vec2(x * k, y * k);
    let stroke = egui::Stroke::new(2.0, colour);
    painter.rect_stroke(
        egui::Rect::from_min_max(to_screen(tl.x, tl.y), to_screen(br.x, br.y)),
        0.0,
        stroke,
        egui::StrokeKind::Middle,
    );
    // The head: face width and head top at their windows' centres, chin about a face width
    // below the eyes (the crop rule's proportions), drawn in frame pixels.
    let g = &spec.geometry;
    let (w_px, top_px, eye_px) =
        (g.face_width_px.centre(), g.head_top_margin_px.centre(), g.eye_line_from_top_px.centre());
    let chin_px = eye_px + 0.95 * w_px;
    let cx = tl.x + spec.output.width_px as f32 / 2.0 / scale;
    let (top, chin) = (tl.y + top_px / scale, tl.y + chin_px / scale);
    let centre = to_screen(cx, 0.5 * (top + chin));
    let radius = egui::vec2(0.55 * w_px / scale * k, 0.5 * (chin - top) * k);
    let points: Vec<egui::Pos2> = (0..48)
        .map(|i| {
            let a = i as f32 / 48.0 * std::f32::consts::TAU;
            centre + egui::vec2(radius.x * a.cos(), radius.y * a.sin())
        })
        .collect();
    painter.add(egui::Shape::closed_line(points, stroke));
    // Shoulders: a line either side below the chin.
    let shoulder_y = chin + 0.35 * w_px / scale;
    let half = 1.3 * w_px / scale;
    painter.line_segment(
        [to_screen(cx - half, shoulder_y + 0.4 * w_px / scale), to_screen(cx - 0.45 * w_px / scale, shoulder_y)],
        stroke,
    );
    painter.line_segment(
        [to_screen(cx + 0.45 * w_px / scale, shoulder_y), to_screen(cx + half, shoulder_y + 0.4 * w_px / scale)],
        stroke,
    );
}

impl eframe::App for StationApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_worker(ctx);
        self.request_live(ctx);
        self.keyboard(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::right("result").exact_size(420.0).show(ui, |ui| self.result_panel(ui));
        egui::CentralPanel::default().show(ui, |ui| self.preview(ui));
        let ctx = ui.ctx().clone();
        self.run_commands(&ctx);
    }
}
