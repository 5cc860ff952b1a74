//! A print run as the office asks for it — whose photos, which paper, to a file and maybe a
//! printer — shared by `tucai print` and the window's Print screen: select the photos, refuse
//! reprints that were not asked for, draw the sheets, write the PDF, queue it, and record what
//! was printed for whom.

use std::path::PathBuf;

use serde::Serialize;

use super::{Paper, PrintError, PrintPhoto, PrintRefusal, print_sheets, send_to_printer};
use crate::profile::PhotoSpec;
use crate::progress::Progress;
use crate::store::{Actor, CaptureStatus, PhotoFilter, Store};

/// Whose photos.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintSelection {
    /// These students (by number): their accepted or approved photo.
    Students(Vec<String>),
    /// Every approved photo not printed yet, optionally approved since a day (`YYYY-MM-DD`).
    Approved {
        /// The first day.
        since: Option<String>,
    },
}

/// A print run.
#[derive(Clone, Debug)]
pub struct PrintRequest {
    /// Whose photos.
    pub selection: PrintSelection,
    /// The paper.
    pub paper: Paper,
    /// Copies per student (default: the profile's).
    pub copies: Option<u32>,
    /// Print students who already had prints.
    pub reprint: bool,
    /// The PDF to write.
    pub output: PathBuf,
    /// Queue it on this CUPS printer too.
    pub printer: Option<String>,
}

/// What a print run did.
#[derive(Clone, Debug, Serialize)]
pub struct PrintSummary {
    /// Students printed.
    pub students: usize,
    /// Sheets.
    pub pages: usize,
    /// Copies placed.
    pub copies: usize,
    /// The lowest effective resolution, dpi.
    pub min_dpi: f32,
    /// The PDF written.
    pub pdf: PathBuf,
    /// The CUPS job, when sent to a printer.
    pub job: Option<String>,
    /// Students asked for but not printed, with why.
    pub refused: Vec<PrintRefusal>,
}

/// Runs a print: see the module notes.
pub fn print_job(
    store: &mut Store,
    actor: &Actor,
    spec: &PhotoSpec,
    req: &PrintRequest,
    font: (&std::path::Path, u32),
    progress: &Progress,
) -> Result<PrintSummary, PrintError> {
    let (filter, asked) = match &req.selection {
        PrintSelection::Students(numbers) => (
            PhotoFilter {
                students: numbers.clone(),
                statuses: vec![CaptureStatus::Accepted, CaptureStatus::Approved],
                ..PhotoFilter::default()
            },
            numbers.clone(),
        ),
        PrintSelection::Approved { since } => (
            PhotoFilter { statuses: vec![CaptureStatus::Approved], since: since.clone(), ..PhotoFilter::default() },
            Vec::new(),
        ),
    };
    let found = store.current_photos(&filter)?;
    let mut refused: Vec<PrintRefusal> = asked
        .iter()
        .filter(|no| !found.iter().any(|p| &p.student.record.student_no == *no))
        .map(|no| PrintRefusal::NoPhoto { student_no: no.clone() })
        .collect();
    let mut chosen = Vec::new();
    for photo in found {
        if !photo.held_here {
            refused.push(PrintRefusal::HeldElsewhere { who: photo.student.who(), station: photo.station_id.clone() });
            continue;
        }
        if photo.printed_copies > 0 && !req.reprint {
            if !asked.is_empty() {
                refused.push(PrintRefusal::AlreadyPrinted { who: photo.student.who(), copies: photo.printed_copies });
            }
            continue;
        }
        chosen.push(photo);
    }
    if chosen.is_empty() {
        return Err(if refused.is_empty() { PrintError::Nothing } else { PrintError::NoneToPrint(refused) });
    }
    let copies = req.copies.unwrap_or(spec.print.copies);
    let mut photos = Vec::with_capacity(chosen.len());
    for p in &chosen {
        let jpeg = store.blob(&p.photo_sha256)?;
        let caption = format!("{} {}", p.student.record.name, p.student.record.student_no);
        photos.push(PrintPhoto { jpeg, caption, copies });
    }
    let sheets = print_sheets(&photos, req.paper, &spec.print, font, progress)?;
    crate::export::write_atomic(&req.output, &sheets.pdf)
        .map_err(|source| PrintError::Write { path: req.output.clone(), source })?;
    let job = req.printer.as_deref().map(|printer| send_to_printer(&req.output, printer, req.paper)).transpose()?;
    let target = req.printer.clone().unwrap_or_else(|| req.output.display().to_string());
    let printed: Vec<_> = chosen.iter().map(|p| (p, copies)).collect();
    store.record_prints(actor, &printed, req.paper.name(), &target)?;
    Ok(PrintSummary {
        students: chosen.len(),
        pages: sheets.pages,
        copies: sheets.copies,
        min_dpi: sheets.min_dpi,
        pdf: req.output.clone(),
        job,
        refused,
    })
}
