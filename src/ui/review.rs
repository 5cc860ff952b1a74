//! The review screen: the accepted photos as a grid; one opens with its check report, to
//! approve or to reject with a reason the student can act on.

use eframe::egui;

use super::palette;
use image::RgbImage;

use super::app::{Command, Reply, StationApp};
use super::widgets::checklist;
use crate::i18n::Say;
use crate::i18n::window::Notice;
use crate::quality::Report;
use crate::store::{Capture, ReviewDecision, Role, Store, StoreError, Student, StudentStatus};

/// At most this many photos are loaded at once (the oldest first); the rest after a refresh.
const REVIEW_PAGE: usize = 120;

/// A photo waiting for review.
pub(super) struct ReviewItem {
    student: Student,
    capture: Capture,
    texture: egui::TextureHandle,
    report: Option<Report>,
}

/// The review screen's state.
#[derive(Default)]
pub(super) struct ReviewState {
    /// `None` while loading.
    items: Option<Vec<ReviewItem>>,
    selected: Option<usize>,
    /// The reason typed for a rejection.
    pub(super) reason: String,
}

/// A photo waiting for review as the store thread decodes it.
pub(super) struct ReviewPhoto {
    student: Student,
    capture: Capture,
    image: RgbImage,
    report: Option<Report>,
}

/// The accepted photos, decoded on the store thread.
fn load(store: &Store) -> Result<Vec<ReviewPhoto>, StoreError> {
    let mut out = Vec::new();
    for line in store.students_in(&[StudentStatus::Accepted])?.into_iter().take(REVIEW_PAGE) {
        // The photo that counts (a student shot at two booths has two accepted ones).
        let Some(capture) = store.counting_capture(&line.student)? else { continue };
        // Its bytes may be at the booth that took it (reviewed at the office copy then).
        let (photo, report_json) = match store.capture_photo(&capture) {
            Err(StoreError::NotHere { .. }) => continue,
            other => other?,
        };
        let Some(image) = photo.and_then(|bytes| image::load_from_memory(&bytes).ok()) else { continue };
        let report = serde_json::from_str::<Option<Report>>(&report_json).ok().flatten();
        out.push(ReviewPhoto { student: line.student, capture, image: image.to_rgb8(), report });
    }
    Ok(out)
}

impl StationApp {
    pub(super) fn refresh_review(&mut self) {
        self.review.items = None;
        self.ask(|store| Reply::ReviewLoaded(load(store)));
    }

    /// The photos to review onto the screen (textures made here, on the UI thread).
    pub(super) fn on_review_loaded(&mut self, ctx: &egui::Context, loaded: Result<Vec<ReviewPhoto>, StoreError>) {
        match loaded {
            Ok(list) => {
                let items: Vec<ReviewItem> = list
                    .into_iter()
                    .map(|ReviewPhoto { student, capture, image, report }| {
                        let size = [image.width() as usize, image.height() as usize];
                        let pixels = egui::ColorImage::from_rgb(size, image.as_raw());
                        let texture = ctx.load_texture(&capture.id, pixels, egui::TextureOptions::LINEAR);
                        ReviewItem { student, capture, texture, report }
                    })
                    .collect();
                self.review.selected = (!items.is_empty()).then_some(0);
                self.review.items = Some(items);
            }
            Err(e) => {
                self.review.items = Some(Vec::new());
                self.warn(e);
            }
        }
    }

    /// Approves (`reason` none) or rejects a student's accepted photo.
    pub(super) fn review_decision(&mut self, student_no: String, reason: Option<String>) {
        let Some(actor) = self.actor.clone() else { return };
        // The decision is about the photo on screen, whatever has counted since.
        let shown = self.review.items.as_ref().and_then(|items| {
            items.iter().find(|i| i.student.record.student_no == student_no).map(|i| i.capture.id.clone())
        });
        self.ask(move |store| {
            let decision = if reason.is_some() { ReviewDecision::Reject } else { ReviewDecision::Approve };
            let reason = reason.as_deref().unwrap_or("");
            let result = store.student(&student_no).and_then(|student| {
                store.review_capture(&actor, &student, shown.as_deref(), decision, reason).map(|()| student)
            });
            Reply::Reviewed { decision, result }
        });
    }

    pub(super) fn review_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal(|ui| {
            ui.heading(s.review_title);
            if ui.button(s.refresh).clicked() {
                self.send(Command::RefreshReview);
            }
        });
        if self.actor.as_ref().is_some_and(|a| a.role < Role::Reviewer) {
            ui.colored_label(palette::WARN, s.needs_reviewer);
        }
        let Some(items) = &self.review.items else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(s.loading);
            });
            return;
        };
        if items.is_empty() {
            ui.label(s.review_none);
            return;
        }
        let mut clicked = None;
        let mut command = None;
        egui::Panel::right("review-detail").exact_size(460.0).show(ui, |ui| {
            let Some(item) = self.review.selected.and_then(|i| items.get(i)) else { return };
            let r = &item.student.record;
            ui.heading(format!("{} {}", r.name, r.student_no));
            ui.label(format!("{} {} · {}", r.college, r.class, crate::i18n::local_time_of(&item.capture.taken_at)));
            let size = item.texture.size_vec2();
            ui.image((item.texture.id(), size * (240.0 / size.x).min(1.0)));
            ui.horizontal(|ui| {
                if ui.button(egui::RichText::new(s.approve).size(18.0)).clicked() {
                    command = Some(Command::Approve(r.student_no.clone()));
                }
                ui.add(
                    egui::TextEdit::singleline(&mut self.review.reason).hint_text(s.reject_reason).desired_width(200.0),
                );
                let can_reject = !self.review.reason.trim().is_empty();
                if ui.add_enabled(can_reject, egui::Button::new(egui::RichText::new(s.reject).size(18.0))).clicked() {
                    command =
                        Some(Command::Reject { student_no: r.student_no.clone(), reason: self.review.reason.clone() });
                }
            });
            ui.separator();
            if let Some(report) = &item.report {
                checklist(ui, s, self.lang, report);
            }
        });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label(Notice::ShownOf(items.len()).say(self.lang));
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for (i, item) in items.iter().enumerate() {
                        ui.vertical(|ui| {
                            let size = item.texture.size_vec2();
                            let image = egui::Image::new((item.texture.id(), size * (120.0 / size.x)))
                                .sense(egui::Sense::click());
                            let response = ui.add(image);
                            if self.review.selected == Some(i) {
                                ui.painter().rect_stroke(
                                    response.rect,
                                    2.0,
                                    egui::Stroke::new(3.0, palette::INFO),
                                    egui::StrokeKind::Outside,
                                );
                            }
                            if response.clicked() {
                                clicked = Some(i);
                            }
                            let verdict = item.report.as_ref().map_or("", |r| match r.verdict {
                                crate::quality::Verdict::Warn => " !",
                                _ => "",
                            });
                            ui.label(format!("{}{verdict}", item.student.record.name));
                        });
                    }
                });
            });
        });
        if let Some(i) = clicked {
            self.review.selected = Some(i);
        }
        if let Some(command) = command {
            self.send(command);
        }
    }
}
