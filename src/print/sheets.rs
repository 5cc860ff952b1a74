//! Print sheets: each student's copies at the profile's exact print size, a caption (name and
//! student number) under each, cut marks at every photo corner. A student's copies start on a
//! fresh sheet unless they all fit on what is left of the current one, so the print operator
//! never cuts one student's photos from two sheets (unless one sheet holds fewer than the
//! copies asked, as 5-inch paper does).

use serde::Serialize;

use super::layout::{self, CAPTION_MM, GAP_MM, Paper, RectMm, SheetLayout};
use super::pdf::{Canvas, jpeg_info};
use super::{MIN_PRINT_DPI, PrintError};
use crate::profile::PrintSpec;
use crate::progress::Progress;

/// Caption size: 7 pt reads well under a 33 mm photo.
const CAPTION_PT: f32 = 7.0;
/// Cut marks: short lines continuing each photo edge, starting this far from the corner…
const CUT_MARK_OFFSET_MM: f32 = 0.3;
/// …and this long (under half the gap, so neighbours' marks never meet a photo).
const CUT_MARK_MM: f32 = GAP_MM / 2.0 - CUT_MARK_OFFSET_MM - 0.1;

/// One student's photo to print.
#[derive(Clone, Debug)]
pub struct PrintPhoto {
    /// The standardized JPEG, as stored.
    pub jpeg: Vec<u8>,
    /// Under each copy: name and student number.
    pub caption: String,
    /// Copies wanted.
    pub copies: u32,
}

/// What was made.
#[derive(Clone, Debug, Serialize)]
pub struct Sheets {
    /// The PDF.
    #[serde(skip)]
    pub pdf: Vec<u8>,
    /// Sheets (pages).
    pub pages: usize,
    /// Copies placed.
    pub copies: usize,
    /// The layout of every sheet.
    pub layout: SheetLayout,
    /// The lowest effective resolution of a placed photo, dots per inch.
    pub min_dpi: f32,
}

/// Lays out `photos` on `paper` at `print`'s size and draws the PDF.
pub fn print_sheets(
    photos: &[PrintPhoto],
    paper: Paper,
    print: &PrintSpec,
    font: (&std::path::Path, u32),
    progress: &Progress,
) -> Result<Sheets, PrintError> {
    if photos.is_empty() {
        return Err(PrintError::Nothing);
    }
    let most_copies = photos.iter().map(|p| p.copies).max().unwrap_or(print.copies);
    let sheet = layout::layout(paper, print.width_mm, print.height_mm, most_copies)?;
    let per_sheet = sheet.slots.len();
    let mut canvas = Canvas::new("Tucai print sheet", font.0, font.1)?;
    progress.stage(crate::progress::Stage::PrintSheets, photos.len() as u64);
    let (mut slot, mut pages, mut copies, mut min_dpi) = (per_sheet, 0, 0, f32::INFINITY);
    for photo in photos {
        if progress.is_cancelled() {
            return Err(PrintError::Cancelled);
        }
        let info =
            jpeg_info(&photo.jpeg).map_err(|problem| PrintError::Photo { who: photo.caption.clone(), problem })?;
        // Cover the print size (the photo's 3:4 is wider than 33:48: its sides are trimmed).
        let mm_per_px = (print.width_mm / info.width_px as f32).max(print.height_mm / info.height_px as f32);
        let dpi = 25.4 / mm_per_px;
        if dpi < MIN_PRINT_DPI {
            return Err(PrintError::LowResolution { who: photo.caption.clone(), dpi });
        }
        min_dpi = min_dpi.min(dpi);
        let drawn = (info.width_px as f32 * mm_per_px, info.height_px as f32 * mm_per_px);
        let image = canvas.add_jpeg(&photo.jpeg, info);
        let wanted = photo.copies as usize;
        if slot + wanted.min(per_sheet) > per_sheet {
            canvas.page(sheet.page_w_mm, sheet.page_h_mm);
            pages += 1;
            slot = 0;
        }
        for _ in 0..wanted {
            if slot == per_sheet {
                canvas.page(sheet.page_w_mm, sheet.page_h_mm);
                pages += 1;
                slot = 0;
            }
            let s = sheet.slots[slot];
            canvas.photo(&image, s.photo, drawn, s.turned);
            cut_marks(&mut canvas, s.photo);
            let baseline = s.caption.y + CAPTION_MM * 0.3;
            canvas.text_centred(
                s.caption.x + s.caption.w / 2.0,
                baseline,
                CAPTION_PT,
                s.caption.w - 2.0,
                &photo.caption,
            );
            slot += 1;
            copies += 1;
        }
        progress.advance();
    }
    Ok(Sheets { pdf: canvas.finish(), pages, copies, layout: sheet, min_dpi })
}

/// Two short lines at each corner, continuing the photo's edges outward.
fn cut_marks(canvas: &mut Canvas, r: RectMm) {
    let (o, l) = (CUT_MARK_OFFSET_MM, CUT_MARK_MM);
    for (x, y, dx, dy) in [
        (r.x, r.y, -1.0, -1.0),
        (r.x + r.w, r.y, 1.0, -1.0),
        (r.x, r.y + r.h, -1.0, 1.0),
        (r.x + r.w, r.y + r.h, 1.0, 1.0),
    ] {
        canvas.line((x + dx * o, y), (x + dx * (o + l), y));
        canvas.line((x, y + dy * o), (x, y + dy * (o + l)));
    }
}
