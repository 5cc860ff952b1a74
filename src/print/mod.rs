//! Paper: print sheets of each student's copies at the profile's true print size (33×48 mm
//! for the CHSI photo), capture cards with QR codes, and sending a PDF to a CUPS printer.
//!
//! - `layout.rs`: where copies go on 6-inch, 5-inch or A4 paper (pure geometry, mm).
//! - `pdf.rs`: the drawing surface over printpdf (photos embedded as stored, subset CJK font).
//! - `sheets.rs`: print sheets; `cards.rs`: capture cards.
//! - `cups.rs`: printers (`lpstat`) and jobs (`lp`).
//! - `job.rs`: a print run as the CLI and the window ask for it (select, draw, write, queue,
//!   record in the store).

mod cards;
mod cups;
mod job;
pub mod layout;
mod pdf;
mod sheets;

pub use cards::capture_cards;
pub use cups::{Printer, PrinterState, printers, send_to_printer};
pub use job::{PrintRequest, PrintSelection, PrintSummary, print_job};
pub use layout::{Paper, PaperTooSmall, RectMm, SheetLayout, Slot};
pub use pdf::{JpegInfo, jpeg_info};
pub use sheets::{PrintPhoto, Sheets, print_sheets};

/// The lowest effective resolution a print may have: below it a 33×48 mm print looks soft.
pub const MIN_PRINT_DPI: f32 = 300.0;

/// What went wrong making or sending a print.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// Nothing was selected.
    #[error("no photos to print")]
    Nothing,
    /// Every student asked for was refused.
    #[error("nothing printed: {0}")]
    NoneToPrint(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The PDF cannot be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The paper is too small.
    #[error(transparent)]
    Paper(#[from] PaperTooSmall),
    /// The CJK font is missing or unusable.
    #[error("caption font: {0}")]
    Font(String),
    /// A stored photo cannot be placed.
    #[error("photo of {who}: {problem}")]
    Photo {
        /// Whose.
        who: String,
        /// What is wrong.
        problem: String,
    },
    /// A photo has too few pixels for the print size.
    #[error("photo of {who} would print at {dpi:.0} dpi (at least 300 needed): retake it at the profile's size")]
    LowResolution {
        /// Whose.
        who: String,
        /// Effective resolution.
        dpi: f32,
    },
    /// The printer or CUPS refused, or is not there.
    #[error("{0}")]
    Printer(String),
    /// The operator stopped it.
    #[error("stopped before the end; nothing was recorded")]
    Cancelled,
}
