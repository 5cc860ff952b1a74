//! Drawing pieces the screens share: the checklist of a report, the head-and-shoulders guide
//! over the preview.

use eframe::egui;

use super::palette;
use crate::i18n::Lang;
use crate::i18n::window::Strings;
use crate::profile::PhotoSpec;
use crate::quality::live::LiveCheck;
use crate::quality::{Report, Verdict};

/// The check report: the verdict, every failure and warning with its fix, then what passed.
pub(super) fn checklist(ui: &mut egui::Ui, s: &Strings, lang: Lang, report: &Report) {
    let green = palette::OK;
    let amber = palette::WARN;
    let (verdict, colour) = match report.verdict {
        Verdict::Fail => (s.verdict_fail, palette::BAD),
        Verdict::Warn => (s.verdict_warn, amber),
        _ => (s.verdict_pass, green),
    };
    ui.colored_label(colour, egui::RichText::new(verdict).size(20.0).strong());
    egui::ScrollArea::vertical().id_salt("checklist").show(ui, |ui| {
        for f in &report.findings {
            let (mark, colour) = match f.verdict {
                Verdict::Fail => ("×", palette::BAD),
                Verdict::Warn => ("!", amber),
                Verdict::Pass => ("✓", green),
                Verdict::Skipped => ("–", egui::Color32::GRAY),
            };
            ui.colored_label(colour, format!("{mark} {}", f.message.get(lang)));
            let fix = f.fix.get(lang);
            if !fix.is_empty() && matches!(f.verdict, Verdict::Fail | Verdict::Warn) {
                ui.label(format!("    → {fix}"));
            }
        }
    });
}

/// The head-and-shoulders guide where the profile wants the head, inside the part of the
/// frame the photo would be cut from, in the live verdict's colour.
pub(super) fn draw_guide(
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
