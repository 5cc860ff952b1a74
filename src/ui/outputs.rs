//! The Print and Export screens: print sheets (to a PDF chosen with rfd, or to a CUPS printer),
//! capture cards, export batches to a USB drive or folder, and verifying a batch. The work is
//! the CLI's (`print::print_job`, `print::capture_cards`, `export::export`,
//! `export::verify_batch`), run on a job thread with its own store connection; the screen shows
//! its progress with a cancel button, one job at a time.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use eframe::egui;

use super::palette;

use super::app::{Command, Reply, StationApp};
use crate::export::{Drive, ExportRequest, ZipLimits, removable_drives, verify_batch};
use crate::i18n::errors::FileError;
use crate::i18n::window::Notice;
use crate::i18n::{Said, Say};
use crate::print::{Paper, PrintRequest, PrintSelection, Printer, PrinterState};
use crate::progress::Progress;
use crate::store::{CaptureStatus, PhotoFilter, Store};

/// A print as the Print screen orders it.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintOrder {
    /// Student numbers; empty: every approved photo not printed yet.
    pub students: Vec<String>,
    /// Paper.
    pub paper: Paper,
    /// Print students who already had prints.
    pub reprint: bool,
    /// A CUPS printer, or none (PDF only).
    pub printer: Option<String>,
    /// The PDF to write (none: a file in the data folder's `prints/`).
    pub output: Option<PathBuf>,
}

/// An export as the Export screen orders it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOrder {
    /// The drive or folder.
    pub target: PathBuf,
    /// Accepted photos too, not only approved ones.
    pub accepted_too: bool,
    /// Zip archives of at most this many photos (0: loose files).
    pub zip_max_files: usize,
}

/// A job running on its own thread.
struct RunningJob {
    progress: Progress,
    done: Receiver<Reply>,
}

/// The two screens' state.
pub(super) struct OutputsState {
    /// Print form: student numbers typed (empty: all approved not printed).
    pub(super) students_text: String,
    pub(super) paper: Paper,
    pub(super) reprint: bool,
    pub(super) printer: Option<String>,
    pub(super) printers: Option<Result<Vec<Printer>, std::sync::Arc<crate::print::PrintError>>>,
    /// Approved photos not printed yet, and not exported yet (counts; `None` until known).
    pub(super) to_print: Option<usize>,
    pub(super) to_export: Option<usize>,
    /// Export form.
    pub(super) target: Option<PathBuf>,
    pub(super) drives: Vec<Drive>,
    pub(super) accepted_too: bool,
    pub(super) zip_max_files: usize,
    job: Option<RunningJob>,
    /// The last job's result, and whether it failed.
    pub(super) result: Option<(Said, bool)>,
}

impl Default for OutputsState {
    fn default() -> Self {
        OutputsState {
            students_text: String::new(),
            paper: Paper::SixInch,
            reprint: false,
            printer: None,
            printers: None,
            to_print: None,
            to_export: None,
            target: None,
            drives: Vec::new(),
            accepted_too: false,
            zip_max_files: 0,
            job: None,
            result: None,
        }
    }
}

impl OutputsState {
    /// The print order the form describes.
    fn print_order(&self, output: Option<PathBuf>) -> PrintOrder {
        let students =
            self.students_text.split(|c: char| c.is_whitespace() || c == ',' || c == '，').filter(|s| !s.is_empty());
        PrintOrder {
            students: students.map(str::to_owned).collect(),
            paper: self.paper,
            reprint: self.reprint,
            printer: self.printer.clone(),
            output,
        }
    }
}

impl StationApp {
    /// Whether a print or export job is running.
    pub fn job_running(&self) -> bool {
        self.outputs.job.is_some()
    }

    /// The last print or export result (its text in the window's language, failed).
    pub fn output_result(&self) -> Option<(String, bool)> {
        self.outputs.result.as_ref().map(|(m, failed)| (m.say(self.lang), *failed))
    }

    /// Counts for the two screens, and the printers and drives there are.
    pub(super) fn refresh_outputs(&mut self) {
        self.outputs.drives = removable_drives();
        if self.outputs.target.is_none() {
            self.outputs.target = self.outputs.drives.first().map(|d| d.path.clone());
        }
        self.ask(|store| {
            let count = |statuses: Vec<CaptureStatus>, not_exported| {
                let filter = PhotoFilter { statuses, not_exported, ..PhotoFilter::default() };
                store
                    .current_photos(&filter)
                    .map(|list| (list.iter().filter(|p| p.printed_copies == 0).count(), list.len()))
            };
            let to_print = count(vec![CaptureStatus::Approved], false).map(|(n, _)| n).ok();
            let to_export = count(vec![CaptureStatus::Approved], true).map(|(_, n)| n).ok();
            Reply::OutputCounts { to_print, to_export }
        });
        if self.outputs.job.is_none() {
            self.run_job(|_| Reply::Printers(crate::print::printers().map_err(std::sync::Arc::new)));
        }
    }

    /// Runs `work` on a job thread with a store connection of its own; its reply is applied
    /// on the UI thread when it ends.
    fn run_job(&mut self, work: impl FnOnce(&Progress) -> Reply + Send + 'static) {
        if self.outputs.job.is_some() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let progress = Progress::default();
        let watch = progress.clone();
        let repaint = self.ctx.clone();
        let spawned = std::thread::Builder::new().name("tucai-output-job".into()).spawn(move || {
            let _ = tx.send(work(&watch));
            repaint.request_repaint();
        });
        match spawned {
            Ok(_) => self.outputs.job = Some(RunningJob { progress, done: rx }),
            Err(e) => self.warn(Notice::NoThread(e.to_string())),
        }
    }

    /// Applies a finished job's reply; keeps the window repainting while one runs.
    pub(super) fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.outputs.job else { return };
        match job.done.try_recv() {
            Ok(reply) => {
                self.outputs.job = None;
                self.on_reply(ctx, reply);
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100))
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.outputs.job = None;
                self.outputs.result = Some((Box::new(Notice::JobStopped), true));
            }
        }
    }

    pub(super) fn cancel_job(&mut self) {
        if let Some(job) = &self.outputs.job {
            job.progress.cancel();
        }
    }

    /// A job's outcome as the screen's result line, then fresh counts.
    pub(super) fn finish_job(&mut self, result: Result<Said, Said>) {
        self.outputs.result = Some(match result {
            Ok(m) => (m, false),
            Err(m) => (m, true),
        });
        self.refresh_outputs();
        self.refresh_sync();
    }

    /// Runs `work` on the job thread with its own connection to the store; its text (or
    /// error) becomes the screen's result line.
    pub(super) fn store_job(
        &mut self,
        work: impl FnOnce(&mut Store, &Progress) -> Result<Said, Said> + Send + 'static,
    ) {
        let dir = self.store_dir.clone();
        self.outputs.result = None;
        self.run_job(move |progress| {
            let result =
                Store::open(&dir).map_err(|e| Box::new(e) as Said).and_then(|mut store| work(&mut store, progress));
            Reply::JobDone(result)
        });
    }

    pub(super) fn print(&mut self, order: PrintOrder) {
        let (Some(actor), Some(spec)) = (self.actor.clone(), self.spec().cloned()) else { return };
        let prints_dir = self.store_dir.join("prints");
        self.store_job(move |store, progress| {
            let (font, index) = crate::fonts::cjk_font().ok_or_else(no_font)?;
            let output = match order.output {
                Some(path) => path,
                None => {
                    crate::export::create_private_dir(&prints_dir).map_err(|source| {
                        Box::new(FileError::CreateDir { path: prints_dir.clone(), source }) as Said
                    })?;
                    prints_dir.join(format!("sheets-{}.pdf", crate::store::timestamp(store.now()).replace(':', "")))
                }
            };
            let selection = if order.students.is_empty() {
                PrintSelection::Approved { since: None }
            } else {
                PrintSelection::Students(order.students)
            };
            let req = PrintRequest {
                selection,
                paper: order.paper,
                copies: None,
                reprint: order.reprint,
                output,
                printer: order.printer,
            };
            let done = crate::print::print_job(store, &actor, &spec, &req, (&font, index), progress)
                .map_err(|e| Box::new(e) as Said)?;
            let printed = Notice::Printed {
                students: done.students,
                copies: done.copies,
                pages: done.pages,
                paper: req.paper,
                pdf: done.pdf.display().to_string(),
                job: done.job.clone(),
            };
            // What was printed, then who was not and why.
            let mut lines: Vec<Said> = vec![Box::new(printed)];
            lines.extend(done.refused.into_iter().map(|r| Box::new(r) as Said));
            Ok(Box::new(lines) as Said)
        });
    }

    pub(super) fn make_cards(&mut self, output: PathBuf) {
        self.store_job(move |store, progress| {
            let (font, index) = crate::fonts::cjk_font().ok_or_else(no_font)?;
            let students = store.card_students(None, false).map_err(|e| Box::new(e) as Said)?;
            let (pdf, sheets) =
                crate::print::capture_cards(&students, (&font, index), progress).map_err(|e| Box::new(e) as Said)?;
            crate::export::write_atomic(&output, &pdf)
                .map_err(|source| Box::new(FileError::Write { path: output.clone(), source }) as Said)?;
            Ok(Box::new(Notice::CardsMade(students.len(), sheets, output.display().to_string())) as Said)
        });
    }

    pub(super) fn export(&mut self, order: ExportOrder) {
        let (Some(actor), Some(spec)) = (self.actor.clone(), self.spec().cloned()) else { return };
        self.store_job(move |store, progress| {
            let mut statuses = vec![CaptureStatus::Approved];
            if order.accepted_too {
                statuses.push(CaptureStatus::Accepted);
            }
            let zip = (order.zip_max_files > 0)
                .then_some(ZipLimits { max_files: Some(order.zip_max_files), max_bytes: None });
            let req = ExportRequest { target: order.target, statuses, zip, password: None };
            let done = crate::export::export(store, &actor, &spec, &req, progress).map_err(|e| Box::new(e) as Said)?;
            let mut lines: Vec<Said> =
                vec![Box::new(Notice::Exported(done.photos, done.batch_dir.display().to_string()))];
            lines.extend(done.left_out.into_iter().map(|l| Box::new(l) as Said));
            Ok(Box::new(lines) as Said)
        });
    }

    pub(super) fn verify(&mut self, dir: PathBuf) {
        self.outputs.result = None;
        self.run_job(move |progress| {
            let report = verify_batch(&dir, None, progress);
            let verified = Notice::Verified(report.verified, report.listed, dir.display().to_string());
            let mut lines: Vec<Said> = vec![Box::new(verified)];
            let failed = !report.problems.is_empty();
            lines.extend(report.problems.into_iter().map(|p| Box::new(p) as Said));
            let lines = Box::new(lines) as Said;
            let result = if failed { Err(lines) } else { Ok(lines) };
            Reply::JobDone(result)
        });
    }

    /// The job's progress bar and cancel button, or the last result.
    pub(super) fn job_line(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        if let Some(job) = &self.outputs.job {
            let v = job.progress.view();
            let fraction = if v.total == 0 { 0.0 } else { v.done as f32 / v.total as f32 };
            ui.horizontal(|ui| {
                ui.add(egui::ProgressBar::new(fraction).desired_width(420.0).text(format!(
                    "{} {}/{}",
                    v.stage.say(self.lang),
                    v.done,
                    v.total
                )));
                if ui.button(s.cancel_job).clicked() {
                    self.send(Command::CancelJob);
                }
            });
        } else if let Some((message, failed)) = &self.outputs.result {
            let colour = if *failed { palette::BAD } else { palette::OK };
            ui.colored_label(colour, egui::RichText::new(message.say(self.lang)).size(15.0));
        }
    }

    pub(super) fn print_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        let busy = self.outputs.job.is_some();
        ui.heading(s.print_title);
        if let Some(spec) = self.spec() {
            ui.label(Notice::PrintSize(spec.print.width_mm, spec.print.height_mm, spec.print.copies).say(self.lang));
        }
        ui.add_space(6.0);
        ui.label(Notice::PrintWho(self.outputs.to_print).say(self.lang));
        ui.add(
            egui::TextEdit::singleline(&mut self.outputs.students_text)
                .hint_text(s.print_students_hint)
                .desired_width(420.0),
        );
        ui.checkbox(&mut self.outputs.reprint, s.reprint);
        ui.horizontal(|ui| {
            ui.label(s.paper);
            for paper in Paper::ALL {
                let slots = self.spec().and_then(|p| {
                    crate::print::layout::layout(paper, p.print.width_mm, p.print.height_mm, p.print.copies).ok()
                });
                let per_sheet = Notice::PerSheet(slots.map_or(0, |l| l.slots.len()));
                let label = match self.lang {
                    crate::i18n::Lang::Zh => format!("{}（{}）", paper.say(self.lang), per_sheet.say(self.lang)),
                    crate::i18n::Lang::En => format!("{} ({})", paper.say(self.lang), per_sheet.say(self.lang)),
                };
                ui.radio_value(&mut self.outputs.paper, paper, label);
            }
        });
        ui.horizontal(|ui| {
            ui.label(s.printer);
            let chosen = self.outputs.printer.clone().unwrap_or_else(|| s.pdf_only.to_owned());
            egui::ComboBox::from_id_salt("printer").selected_text(chosen).show_ui(ui, |ui| {
                ui.selectable_value(&mut self.outputs.printer, None, s.pdf_only);
                if let Some(Ok(list)) = &self.outputs.printers {
                    for p in list {
                        let state = match p.state {
                            PrinterState::Paused => s.printer_paused,
                            PrinterState::Printing => s.printer_busy,
                            PrinterState::Idle => "",
                        };
                        ui.selectable_value(
                            &mut self.outputs.printer,
                            Some(p.name.clone()),
                            format!("{} {state}", p.name),
                        );
                    }
                }
            });
            if let Some(Err(e)) = &self.outputs.printers {
                ui.colored_label(palette::WARN, e.say(self.lang));
            }
        });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.add_enabled(!busy, egui::Button::new(s.save_pdf)).clicked() {
                self.send(Command::PickPrintFile);
            }
            let can_print = !busy && self.outputs.printer.is_some();
            if ui.add_enabled(can_print, egui::Button::new(s.print_now)).clicked() {
                self.send(Command::Print(self.outputs.print_order(None)));
            }
            ui.separator();
            if ui.add_enabled(!busy, egui::Button::new(s.make_cards)).clicked() {
                self.send(Command::PickCardsFile);
            }
        });
        ui.add_space(6.0);
        self.job_line(ui);
    }

    /// The print order from the form, written to `output` (the Save PDF dialog's answer).
    pub(super) fn print_order_to(&self, output: PathBuf) -> PrintOrder {
        self.outputs.print_order(Some(output))
    }

    pub(super) fn export_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        let busy = self.outputs.job.is_some();
        ui.heading(s.export_title);
        ui.label(Notice::ToExport(self.outputs.to_export).say(self.lang));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(s.export_to);
            for d in self.outputs.drives.clone() {
                let label = Notice::UsbDrive(d.label.clone()).say(self.lang);
                if ui.selectable_label(self.outputs.target.as_ref() == Some(&d.path), label).clicked() {
                    self.send(Command::SetExportTarget(d.path.clone()));
                }
            }
            if ui.add_enabled(!busy, egui::Button::new(s.choose_folder)).clicked() {
                self.send(Command::PickExportFolder);
            }
        });
        match &self.outputs.target {
            Some(t) => ui.monospace(t.display().to_string()),
            None => ui.label(s.no_target),
        };
        ui.checkbox(&mut self.outputs.accepted_too, s.accepted_too);
        ui.horizontal(|ui| {
            ui.label(s.zip_max_files);
            ui.add(egui::DragValue::new(&mut self.outputs.zip_max_files).range(0..=100_000));
        });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let order = self.outputs.target.clone().map(|target| ExportOrder {
                target,
                accepted_too: self.outputs.accepted_too,
                zip_max_files: self.outputs.zip_max_files,
            });
            if ui.add_enabled(!busy && order.is_some(), egui::Button::new(s.export_now)).clicked()
                && let Some(order) = order
            {
                self.send(Command::Export(order));
            }
            if ui.add_enabled(!busy, egui::Button::new(s.verify_batch)).clicked() {
                self.send(Command::PickVerifyFolder);
            }
        });
        ui.add_space(6.0);
        self.job_line(ui);
    }
}

/// The missing CJK font, as a job's failure.
fn no_font() -> Said {
    Box::new(crate::i18n::window::Label(|s| s.no_cjk_font))
}
