//! Where the copies go on a sheet: pure geometry in millimetres, origin at the paper's
//! bottom-left corner (PDF's convention), nothing drawn here.
//!
//! A sheet is filled row by row. A row holds either upright copies or copies turned a quarter
//! turn (a 33×48 mm photo then takes 48×33 mm); every copy keeps its caption strip under it as
//! the page reads. Both paper orientations and every mix of upright and turned rows are tried.
//! The layout that holds the most students' whole sets of copies wins, then the one with fewer
//! turned copies; when not even one set fits, the most copies win. On 6-inch paper this gives
//! one row of four upright copies and a row of two turned ones: room for a student's five,
//! which a plain grid (four) does not have. On A4 it gives five upright rows of five (five
//! students), not the 29 a mixed layout squeezes in with no sixth student's set among them.

use serde::Serialize;

/// Margin kept blank at every paper edge: the unprintable border of common photo and office
/// printers is 3–5 mm.
pub const MARGIN_MM: f32 = 4.0;
/// Space between neighbouring cells, where the cut marks go.
pub const GAP_MM: f32 = 3.0;
/// Height of the caption strip under each photo (7-pt text).
pub const CAPTION_MM: f32 = 4.0;

/// A paper size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// 6-inch photo paper (4R), 152×102 mm.
    #[value(name = "6in")]
    SixInch,
    /// 5-inch photo paper (3R), 127×89 mm.
    #[value(name = "5in")]
    FiveInch,
    /// A4, 210×297 mm: many students per sheet.
    #[value(name = "a4")]
    A4,
}

impl Paper {
    /// All papers, for choosers.
    pub const ALL: [Paper; 3] = [Paper::SixInch, Paper::FiveInch, Paper::A4];

    /// Width and height in millimetres, portrait (short side first).
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::SixInch => (102.0, 152.0),
            Paper::FiveInch => (89.0, 127.0),
            Paper::A4 => (210.0, 297.0),
        }
    }

    /// The name used on the command line and in the GUI (`6in`, `5in`, `a4`).
    pub fn name(self) -> &'static str {
        match self {
            Paper::SixInch => "6in",
            Paper::FiveInch => "5in",
            Paper::A4 => "a4",
        }
    }
}

/// A rectangle on the page, millimetres from the bottom-left corner.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RectMm {
    /// Left edge.
    pub x: f32,
    /// Bottom edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// One copy's place: the photo's rectangle on the page (turned copies are wider than tall)
/// and its caption strip below it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Slot {
    /// Where the photo goes, exactly its print size.
    pub photo: RectMm,
    /// The photo is turned a quarter turn (its top points left).
    pub turned: bool,
    /// The caption strip under the photo.
    pub caption: RectMm,
}

/// A sheet layout: the page size as printed and the slots, top row first, left to right.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetLayout {
    /// Page width, mm.
    pub page_w_mm: f32,
    /// Page height, mm.
    pub page_h_mm: f32,
    /// The copies' places.
    pub slots: Vec<Slot>,
}

/// The paper cannot hold a single copy (with its caption inside the margins).
#[derive(Clone, Debug, PartialEq)]
pub struct PaperTooSmall {
    /// The paper.
    pub paper: Paper,
    /// The margin kept free, mm.
    pub margin_mm: f32,
    /// Its width, mm.
    pub w: f32,
    /// Its height, mm.
    pub h: f32,
    /// The photo's width, mm.
    pub photo_w: f32,
    /// The photo's height, mm.
    pub photo_h: f32,
}

/// How many cells of `cell` mm fit in `room` mm with gaps between them.
fn fit(room: f32, cell: f32) -> usize {
    if cell > room { 0 } else { ((room + GAP_MM) / (cell + GAP_MM) + 1e-4).floor() as usize }
}

/// The best layout of `photo_w`×`photo_h` mm copies on `paper` for students who get `copies`
/// each (see the module notes).
pub fn layout(paper: Paper, photo_w: f32, photo_h: f32, copies: u32) -> Result<SheetLayout, PaperTooSmall> {
    let (short, long) = paper.size_mm();
    let copies = copies.max(1) as usize;
    // Larger is better: whole sets first, then fewer turned copies (or, with no whole set,
    // more copies first).
    let score = |count: usize, turned: usize| {
        let sets = count / copies;
        if sets > 0 { (sets, usize::MAX - turned, count) } else { (0, count, usize::MAX - turned) }
    };
    let mut best: Option<((usize, usize, usize), SheetLayout)> = None;
    for (page_w, page_h) in [(short, long), (long, short)] {
        let (room_w, room_h) = (page_w - 2.0 * MARGIN_MM, page_h - 2.0 * MARGIN_MM);
        // Row heights and copies per row, upright and turned.
        let upright = (photo_h + CAPTION_MM, fit(room_w, photo_w));
        let turned = (photo_w + CAPTION_MM, fit(room_w, photo_h));
        let max_upright_rows = fit(room_h, upright.0);
        for upright_rows in 0..=max_upright_rows {
            let used = if upright_rows == 0 { 0.0 } else { upright_rows as f32 * (upright.0 + GAP_MM) };
            let turned_rows = fit(room_h - used, turned.0);
            let count = upright_rows * upright.1 + turned_rows * turned.1;
            let this = score(count, turned_rows * turned.1);
            if count > 0 && best.as_ref().is_none_or(|(b, _)| this > *b) {
                let rows = std::iter::repeat_n((false, upright.0, upright.1), upright_rows)
                    .chain(std::iter::repeat_n((true, turned.0, turned.1), turned_rows));
                let slots = place_rows(page_w, page_h, photo_w, photo_h, rows);
                best = Some((this, SheetLayout { page_w_mm: page_w, page_h_mm: page_h, slots }));
            }
        }
    }
    best.map(|(_, l)| l).ok_or(PaperTooSmall { paper, margin_mm: MARGIN_MM, w: short, h: long, photo_w, photo_h })
}

/// Places rows top-down, each row's cells centred across the page.
fn place_rows(
    page_w: f32,
    page_h: f32,
    photo_w: f32,
    photo_h: f32,
    rows: impl Iterator<Item = (bool, f32, usize)>,
) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut top = page_h - MARGIN_MM;
    for (turned, row_h, count) in rows {
        let (w, h) = if turned { (photo_h, photo_w) } else { (photo_w, photo_h) };
        let row_w = count as f32 * w + count.saturating_sub(1) as f32 * GAP_MM;
        let left = (page_w - row_w) / 2.0;
        for i in 0..count {
            let x = left + i as f32 * (w + GAP_MM);
            let photo = RectMm { x, y: top - h, w, h };
            let caption = RectMm { x, y: top - row_h, w, h: CAPTION_MM };
            slots.push(Slot { photo, turned, caption });
        }
        top -= row_h + GAP_MM;
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(r: &RectMm, l: &SheetLayout) -> bool {
        r.x >= MARGIN_MM - 1e-3
            && r.y >= MARGIN_MM - 1e-3
            && r.x + r.w <= l.page_w_mm - MARGIN_MM + 1e-3
            && r.y + r.h <= l.page_h_mm - MARGIN_MM + 1e-3
    }

    fn overlap(a: &RectMm, b: &RectMm) -> bool {
        a.x < b.x + b.w - 1e-3 && b.x < a.x + a.w - 1e-3 && a.y < b.y + b.h - 1e-3 && b.y < a.y + a.h - 1e-3
    }

    #[test]
    fn six_inch_holds_a_students_five_and_a4_five_students() {
        let six = layout(Paper::SixInch, 33.0, 48.0, 5).expect("fits");
        assert_eq!((six.page_w_mm, six.page_h_mm), (152.0, 102.0), "landscape");
        assert_eq!(six.slots.len(), 6);
        assert_eq!(six.slots.iter().filter(|s| s.turned).count(), 2);
        let a4 = layout(Paper::A4, 33.0, 48.0, 5).expect("fits");
        assert_eq!(a4.slots.len(), 25);
        assert!(a4.slots.iter().all(|s| !s.turned));
        assert_eq!(layout(Paper::FiveInch, 33.0, 48.0, 5).expect("fits").slots.len(), 4);
        // One copy each: the most copies, turned or not.
        assert_eq!(layout(Paper::A4, 33.0, 48.0, 1).expect("fits").slots.len(), 29);
    }

    #[test]
    fn slots_stay_inside_the_margins_and_apart() {
        for paper in Paper::ALL {
            for (w, h) in [(33.0, 48.0), (26.0, 32.0), (35.0, 45.0)] {
                let l = layout(paper, w, h, 5).expect("fits");
                for (i, s) in l.slots.iter().enumerate() {
                    assert!(inside(&s.photo, &l) && inside(&s.caption, &l), "{paper:?} {w}×{h} slot {i}");
                    let (pw, ph) = if s.turned { (h, w) } else { (w, h) };
                    assert_eq!((s.photo.w, s.photo.h), (pw, ph));
                    for t in &l.slots[i + 1..] {
                        for (a, b) in [(&s.photo, &t.photo), (&s.photo, &t.caption), (&s.caption, &t.photo)] {
                            assert!(!overlap(a, b), "{paper:?} {w}×{h}: {a:?} overlaps {b:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_paper_too_small_for_one_copy_is_an_error() {
        let e = layout(Paper::FiveInch, 90.0, 130.0, 5).expect_err("too big");
        assert_eq!(e.paper, Paper::FiveInch);
        assert!(e.to_string().contains("5-inch paper"), "{e}");
    }
}
