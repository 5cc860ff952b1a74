//! Capture cards: one card per student, for those without a CHSI code. The QR code carries our
//! clear-text card payload (`code::card_payload`), which the default code rule reads back; it
//! is drawn as vector squares so it stays sharp on any printer. Cards are ID-1 size (bank-card,
//! 85.6×54 mm), ten to an A4 sheet, with a cutting frame.

use super::PrintError;
use super::layout::{MARGIN_MM, RectMm};
use super::pdf::Canvas;
use crate::progress::Progress;
use crate::store::Student;

/// ISO/IEC 7810 ID-1 card size, mm.
const CARD_W_MM: f32 = 85.6;
const CARD_H_MM: f32 = 54.0;
const A4_MM: (f32, f32) = (210.0, 297.0);
/// Space between cards on the sheet.
const CARD_GAP_MM: f32 = 4.0;
/// QR code side including its quiet zone (4 modules each side).
const QR_MM: f32 = 34.0;

/// The two lines of instruction printed on every card.
const INSTRUCTION: [&str; 2] = ["拍照时出示此卡，摄像头扫码确认身份；", "请带身份证，核对身份证号后四位。"];

/// Draws the cards of `students`, ten per A4 sheet. Returns the PDF and the number of sheets.
pub fn capture_cards(
    students: &[Student],
    font: (&std::path::Path, u32),
    progress: &Progress,
) -> Result<(Vec<u8>, usize), PrintError> {
    if students.is_empty() {
        return Err(PrintError::Nothing);
    }
    let cols = ((A4_MM.0 - 2.0 * MARGIN_MM + CARD_GAP_MM) / (CARD_W_MM + CARD_GAP_MM)).floor() as usize;
    let rows = ((A4_MM.1 - 2.0 * MARGIN_MM + CARD_GAP_MM) / (CARD_H_MM + CARD_GAP_MM)).floor() as usize;
    let per_sheet = cols * rows;
    let block_w = cols as f32 * CARD_W_MM + (cols - 1) as f32 * CARD_GAP_MM;
    let block_h = rows as f32 * CARD_H_MM + (rows - 1) as f32 * CARD_GAP_MM;
    let (left, top) = ((A4_MM.0 - block_w) / 2.0, A4_MM.1 - (A4_MM.1 - block_h) / 2.0);
    let mut canvas = Canvas::new("Tucai capture cards", font.0, font.1)?;
    progress.stage(crate::progress::Stage::CaptureCards, students.len() as u64);
    for (i, student) in students.iter().enumerate() {
        if progress.is_cancelled() {
            return Err(PrintError::Cancelled);
        }
        let at = i % per_sheet;
        if at == 0 {
            canvas.page(A4_MM.0, A4_MM.1);
        }
        let (col, row) = (at % cols, at / cols);
        let x = left + col as f32 * (CARD_W_MM + CARD_GAP_MM);
        let y = top - (row + 1) as f32 * CARD_H_MM - row as f32 * CARD_GAP_MM;
        card(&mut canvas, RectMm { x, y, w: CARD_W_MM, h: CARD_H_MM }, student)?;
        progress.advance();
    }
    Ok((canvas.finish(), students.len().div_ceil(per_sheet)))
}

fn card(canvas: &mut Canvas, r: RectMm, student: &Student) -> Result<(), PrintError> {
    let corners = [(r.x, r.y), (r.x + r.w, r.y), (r.x + r.w, r.y + r.h), (r.x, r.y + r.h)];
    for i in 0..4 {
        canvas.line(corners[i], corners[(i + 1) % 4]);
    }
    let s = &student.record;
    let payload = crate::code::card_payload(&s.student_no, &s.name);
    let (side, dark) = crate::code::qr_modules(&payload)
        .map_err(|e| PrintError::Photo { who: student.who(), problem: e.to_string() })?;
    let module = QR_MM / (side + 8) as f32;
    let (qx, qy) = (r.x + 2.0 + 4.0 * module, r.y + (r.h - QR_MM) / 2.0 + 4.0 * module);
    for row in 0..side {
        // One rectangle per run of dark modules.
        let mut col = 0;
        while col < side {
            if !dark[row * side + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < side && dark[row * side + col] {
                col += 1;
            }
            let y = qy + (side - 1 - row) as f32 * module;
            canvas.fill(RectMm { x: qx + start as f32 * module, y, w: (col - start) as f32 * module, h: module }, 0.0);
        }
    }
    let tx = r.x + QR_MM + 4.0;
    let text_w = r.x + r.w - tx - 2.0;
    let lines = [
        (r.y + r.h - 12.0, 16.0, s.name.clone()),
        (r.y + r.h - 20.0, 10.0, format!("学号 {}", s.student_no)),
        (r.y + r.h - 26.0, 8.0, [s.college.as_str(), s.class.as_str()].join(" ").trim().to_owned()),
        (r.y + 10.0, 6.5, INSTRUCTION[0].to_owned()),
        (r.y + 6.0, 6.5, INSTRUCTION[1].to_owned()),
    ];
    for (y, size, text) in lines {
        canvas.text_centred(tx + text_w / 2.0, y, size, text_w, &text);
    }
    Ok(())
}
