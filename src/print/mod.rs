//! Paper: print sheets of each student's copies at the profile's true print size (33×48 mm
//! for the CHSI photo), capture cards with QR codes, and sending a PDF to a CUPS printer.
//!
//! - `layout.rs`: where copies go on 6-inch, 5-inch or A4 paper (pure geometry, mm).
//! - `pdf.rs`: the drawing surface over printpdf (photos embedded as stored, subset CJK font).
//! - `sheets.rs`: print sheets; `cards.rs`: capture cards.
//! - `cups.rs`: printers (`lpstat`) and jobs (`lp`).
//! - `job.rs`: a print run as the CLI and the window ask for it (select, draw, write, queue,
//!   record in the store).

use serde::Serialize;

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

/// What went wrong making or sending a print (said in `i18n/errors.rs`).
#[derive(Debug)]
pub enum PrintError {
    /// Nothing was selected.
    Nothing,
    /// Every student asked for was refused.
    NoneToPrint(Vec<PrintRefusal>),
    /// The store failed.
    Store(crate::store::StoreError),
    /// The PDF cannot be written.
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The paper is too small.
    Paper(PaperTooSmall),
    /// The CJK font cannot be read.
    FontUnreadable {
        /// The font file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The CJK font file is not a font we can use.
    FontUnusable {
        /// The font file.
        path: std::path::PathBuf,
        /// The face in a collection.
        index: u32,
    },
    /// A stored photo (or a card's QR code) cannot be placed.
    Photo {
        /// Whose (number and name).
        who: String,
        /// The decoder's or encoder's words (technical detail).
        problem: String,
    },
    /// A photo has too few pixels for the print size.
    LowResolution {
        /// Whose.
        who: String,
        /// The effective resolution.
        dpi: f32,
    },
    /// The printer or CUPS refused, or is not there.
    Printer(PrinterProblem),
    /// The operator stopped it.
    Cancelled,
}

impl From<crate::store::StoreError> for PrintError {
    fn from(e: crate::store::StoreError) -> PrintError {
        PrintError::Store(e)
    }
}

impl From<PaperTooSmall> for PrintError {
    fn from(e: PaperTooSmall) -> PrintError {
        PrintError::Paper(e)
    }
}

/// Why one student asked for is not printed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum PrintRefusal {
    /// No accepted or approved photo, or not on the roster.
    NoPhoto {
        /// The number asked for.
        student_no: String,
    },
    /// The photo that counts is held by the booth that took it.
    HeldElsewhere {
        /// Number and name.
        who: String,
        /// The booth.
        station: String,
    },
    /// Already printed and no reprint asked for.
    AlreadyPrinted {
        /// Number and name.
        who: String,
        /// Copies printed before.
        copies: i64,
    },
}

/// What CUPS or the printer said no with.
#[derive(Clone, Debug, PartialEq)]
pub enum PrinterProblem {
    /// The CUPS client programs are not installed.
    NoCups {
        /// The program looked for.
        program: String,
    },
    /// A CUPS program could not be started.
    CannotRun {
        /// The program.
        program: String,
        /// The system's words.
        error: String,
    },
    /// The CUPS service is not running.
    NotRunning,
    /// A CUPS program failed with its own words.
    Failed {
        /// The command run.
        command: String,
        /// What it printed.
        output: String,
    },
    /// No printer by that name.
    NoSuchPrinter {
        /// The name asked for.
        name: String,
        /// The printers CUPS has.
        known: Vec<String>,
    },
    /// The queue is paused.
    Paused {
        /// The printer.
        name: String,
    },
    /// The queue refuses jobs.
    NotAccepting {
        /// The printer.
        name: String,
    },
}
