//! A small drawing surface over printpdf in millimetres: JPEG photos placed at an exact size
//! (their stored bytes embedded unchanged, no re-encoding), text in the CJK font (subset on
//! save), hairlines, filled squares. Sheets and cards draw through it; nothing else names
//! printpdf.

use std::collections::BTreeMap;

use printpdf::{
    Color, CurTransMat, DictItem, ExternalStream, ExternalXObject, FontId, Greyscale, Line, LinePoint, Mm, Op,
    PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, XObjectId,
    XObjectTransform,
};

use super::PrintError;
use super::layout::RectMm;

/// Points per millimetre (1 pt = 1/72 inch).
const PT_PER_MM: f32 = 72.0 / 25.4;

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

/// A JPEG's size and colour layout, read from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JpegInfo {
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Colour components: 1 (grey) or 3 (YCbCr → RGB).
    pub components: u8,
}

/// Reads the frame header (SOFn) of a JPEG: its size and number of components.
pub fn jpeg_info(bytes: &[u8]) -> Result<JpegInfo, String> {
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err("not a JPEG file (no start-of-image marker)".into());
    }
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return Err(format!("damaged JPEG: no marker at byte {at}"));
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let sof = bytes.get(at + 4..at + 2 + len).ok_or("damaged JPEG: frame header cut short")?;
            if sof.len() < 6 {
                return Err("damaged JPEG: frame header cut short".into());
            }
            let height_px = u32::from(u16::from_be_bytes([sof[1], sof[2]]));
            let width_px = u32::from(u16::from_be_bytes([sof[3], sof[4]]));
            return Ok(JpegInfo { width_px, height_px, components: sof[5] });
        }
        at += 2 + len;
    }
    Err("damaged JPEG: no frame header".into())
}

/// A document being drawn: pages of operations, the images and the caption font.
pub struct Canvas {
    doc: PdfDocument,
    font_id: FontId,
    font: ParsedFont,
    pages: Vec<PdfPage>,
    ops: Vec<Op>,
    page_mm: (f32, f32),
}

impl Canvas {
    /// A new document titled `title`, with the CJK font at `font_path` (face `index`).
    pub fn new(title: &str, font_path: &std::path::Path, index: u32) -> Result<Canvas, PrintError> {
        let bytes = std::fs::read(font_path)
            .map_err(|source| PrintError::FontUnreadable { path: font_path.to_owned(), source })?;
        let font = ParsedFont::from_bytes(&bytes, index as usize, &mut Vec::new())
            .ok_or_else(|| PrintError::FontUnusable { path: font_path.to_owned(), index })?;
        let mut doc = PdfDocument::new(title);
        let font_id = doc.add_font(&font);
        Ok(Canvas { doc, font_id, font, pages: Vec::new(), ops: Vec::new(), page_mm: (0.0, 0.0) })
    }

    /// Starts a page of `w`×`h` mm (the previous one, if any, is finished).
    pub fn page(&mut self, w: f32, h: f32) {
        self.finish_page();
        self.page_mm = (w, h);
    }

    fn finish_page(&mut self) {
        if self.page_mm.0 > 0.0 {
            let ops = std::mem::take(&mut self.ops);
            self.pages.push(PdfPage::new(Mm(self.page_mm.0), Mm(self.page_mm.1), ops));
        }
    }

    /// Adds a JPEG once; draw it as often as needed with [`Canvas::photo`].
    pub fn add_jpeg(&mut self, jpeg: &[u8], info: JpegInfo) -> XObjectId {
        let colour_space = if info.components == 1 { "DeviceGray" } else { "DeviceRGB" };
        let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
        let dict = BTreeMap::from([
            ("Type".to_owned(), name("XObject")),
            ("Subtype".to_owned(), name("Image")),
            ("Width".to_owned(), DictItem::Int(i64::from(info.width_px))),
            ("Height".to_owned(), DictItem::Int(i64::from(info.height_px))),
            ("ColorSpace".to_owned(), name(colour_space)),
            ("BitsPerComponent".to_owned(), DictItem::Int(8)),
            ("Filter".to_owned(), name("DCTDecode")),
        ]);
        let stream = ExternalStream { dict, content: jpeg.to_vec(), compress: false };
        self.doc.add_xobject(&ExternalXObject { stream, width: None, height: None, dpi: None })
    }

    /// Draws an image scaled to `drawn` (mm, photo orientation) centred on `clip`, showing only
    /// what falls inside `clip`. `turned`: a quarter turn, the photo's top to the left.
    pub fn photo(&mut self, image: &XObjectId, clip: RectMm, drawn: (f32, f32), turned: bool) {
        let (cx, cy) = (clip.x + clip.w / 2.0, clip.y + clip.h / 2.0);
        let (dw, dh) = (pt(drawn.0).0, pt(drawn.1).0);
        let (cx, cy) = (pt(cx).0, pt(cy).0);
        // The image is the unit square; the matrix [a b c d e f] maps (u, v) to
        // (a·u + c·v + e, b·u + d·v + f).
        let matrix = if turned {
            [0.0, dw, -dh, 0.0, cx + dh / 2.0, cy - dw / 2.0]
        } else {
            [dw, 0.0, 0.0, dh, cx - dw / 2.0, cy - dh / 2.0]
        };
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::DrawRectangle { rectangle: rect(clip, PaintMode::Clip) });
        self.ops.push(Op::SetTransformationMatrix { matrix: CurTransMat::Raw(matrix) });
        let transform = XObjectTransform { no_auto_scale: true, ..Default::default() };
        self.ops.push(Op::UseXobject { id: image.clone(), transform });
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// Width of `text` at `size_pt`, in mm, from the font's advances.
    pub fn text_width(&self, text: &str, size_pt: f32) -> f32 {
        let per_em = f32::from(self.font.font_metrics.units_per_em.max(1));
        let ems: f32 = text
            .chars()
            .map(|c| {
                self.font
                    .lookup_glyph_index(c as u32)
                    .map_or(0.5, |g| f32::from(self.font.get_horizontal_advance(g)) / per_em)
            })
            .sum();
        ems * size_pt / PT_PER_MM
    }

    /// Writes `text` with its baseline's left end at (`x`, `y`) mm.
    pub fn text(&mut self, x: f32, y: f32, size_pt: f32, text: &str) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: grey(0.0) },
            Op::SetFont { font: PdfFontHandle::External(self.font_id.clone()), size: Pt(size_pt) },
            Op::SetTextCursor { pos: Point { x: pt(x), y: pt(y) } },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            Op::EndTextSection,
        ]);
    }

    /// Writes `text` centred on `cx`, shrunk (down to 60 %) to fit `max_w` mm.
    pub fn text_centred(&mut self, cx: f32, y: f32, size_pt: f32, max_w: f32, text: &str) {
        let w = self.text_width(text, size_pt);
        let size = if w > max_w { (size_pt * max_w / w).max(size_pt * 0.6) } else { size_pt };
        let w = self.text_width(text, size);
        self.text(cx - w / 2.0, y, size, text);
    }

    /// A straight hairline (0.1 mm) from one point to another.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32)) {
        let point = |(x, y): (f32, f32)| LinePoint { p: Point { x: pt(x), y: pt(y) }, bezier: false };
        self.ops.extend([
            Op::SetOutlineColor { col: grey(0.0) },
            Op::SetOutlineThickness { pt: pt(0.1) },
            Op::DrawLine { line: Line { points: vec![point(from), point(to)], is_closed: false } },
        ]);
    }

    /// A filled rectangle, `level` 0 black … 1 white.
    pub fn fill(&mut self, r: RectMm, level: f32) {
        self.ops.push(Op::SetFillColor { col: grey(level) });
        self.ops.push(Op::DrawRectangle { rectangle: rect(r, PaintMode::Fill) });
    }

    /// The finished PDF. Images are kept as given (printpdf's default would downscale them)
    /// and the font is subset to the characters used.
    pub fn finish(mut self) -> Vec<u8> {
        self.finish_page();
        let options = PdfSaveOptions { image_optimization: None, ..Default::default() };
        self.doc.with_pages(self.pages).save(&options, &mut Vec::new())
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale { percent: level, icc_profile: None })
}

fn rect(r: RectMm, mode: PaintMode) -> Rect {
    Rect { x: pt(r.x), y: pt(r.y), width: pt(r.w), height: pt(r.h), mode: Some(mode), winding_order: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_headers_give_size_and_components() {
        let image = image::RgbImage::from_pixel(48, 64, image::Rgb([100, 197, 255]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg).encode_image(&image).expect("encodes");
        assert_eq!(jpeg_info(&jpeg), Ok(JpegInfo { width_px: 48, height_px: 64, components: 3 }));
        assert!(jpeg_info(b"GIF89a").is_err());
        assert!(jpeg_info(&jpeg[..20]).is_err());
    }
}
