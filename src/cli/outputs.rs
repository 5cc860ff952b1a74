//! What leaves the station, on the command line: print sheets, printers, capture cards,
//! export batches and their verification. Each long run shows a progress bar on the terminal.

use std::time::Duration;

use super::args::{CardsArgs, Cli, ExportArgs, ExportCommand, ExportStatus, PrintArgs};
use super::store_cmds::open;
use super::{CliError, Outcome, Result};
use crate::export::{ExportRequest, ZipLimits, export, verify_batch};
use crate::i18n::cli::Notice;
use crate::i18n::errors::FileError;
use crate::i18n::{Lang, Say};
use crate::print::{PrintRequest, PrintSelection, capture_cards, print_job, printers};
use crate::profile::ProfileLibrary;
use crate::progress::Progress;
use crate::store::{Actor, CaptureStatus};

/// Shows `progress` as a bar on stderr (when it is a terminal) until dropped.
pub(super) struct Bar {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Bar {
    pub(super) fn show(progress: &Progress, lang: Lang) -> Bar {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (watch, stopped) = (progress.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("progress-bar".into())
            .spawn(move || {
                let bar = indicatif::ProgressBar::new(0);
                if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len} {eta}") {
                    bar.set_style(style.progress_chars("=> "));
                }
                while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                    let v = watch.view();
                    bar.set_message(v.stage.say(lang));
                    bar.set_length(v.total);
                    bar.set_position(v.done);
                    std::thread::sleep(Duration::from_millis(100));
                }
                bar.finish_and_clear();
            })
            .ok();
        Bar { stop, thread }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn font() -> Result<(std::path::PathBuf, u32)> {
    crate::fonts::cjk_font().ok_or(CliError::NoCjkFont)
}

pub(super) fn print(cli: &Cli, args: &PrintArgs, library: &ProfileLibrary, actor: &Actor) -> Result<Outcome> {
    let mut store = open(cli)?;
    let spec = library.resolve(&args.profile)?;
    let (font_path, index) = font()?;
    let selection = if args.approved {
        PrintSelection::Approved { since: args.since.clone() }
    } else {
        PrintSelection::Students(args.student.clone())
    };
    let output = match &args.output {
        Some(o) => o.clone(),
        None => super::store_cmds::data_dir(cli)?.join("last-print.pdf"),
    };
    let req = PrintRequest {
        selection,
        paper: args.paper,
        copies: args.copies,
        reprint: args.reprint,
        output,
        printer: args.printer.clone(),
    };
    let progress = Progress::default();
    let summary = {
        let _bar = Bar::show(&progress, cli.lang());
        print_job(&mut store, actor, &spec, &req, (&font_path, index), &progress)?
    };
    for r in &summary.refused {
        errln!("✗ {}", r.say(cli.lang()));
    }
    outln!("{}", Notice::Printed(&summary, args.paper).say(cli.lang()));
    Ok(if summary.refused.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}

/// The shortest export password accepted: the archives may travel on a USB stick.
const MIN_PASSWORD_CHARS: usize = 10;

/// A password from the first line of an owner-only file.
fn password_from(file: &std::path::Path) -> Result<String> {
    let secret_error = |problem| CliError::SecretFile { path: file.to_owned(), problem };
    let text = crate::export::read_secret_file(file)
        .map_err(secret_error)?
        .ok_or_else(|| secret_error(crate::export::SecretFileProblem::Missing))?;
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CliError::PasswordTooShort(MIN_PASSWORD_CHARS));
    }
    Ok(password)
}

/// A new export password: `TUCAI_EXPORT_PASSWORD`, else typed twice (not echoed).
fn new_password(cli: &Cli) -> Result<String> {
    let password = super::access::secret("TUCAI_EXPORT_PASSWORD", &Notice::PasswordPrompt, cli)?;
    if std::env::var_os("TUCAI_EXPORT_PASSWORD").is_none() {
        let again = super::access::secret("TUCAI_EXPORT_PASSWORD", &Notice::PasswordAgain, cli)?;
        if again != password {
            return Err(CliError::PinsDiffer);
        }
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CliError::PasswordTooShort(MIN_PASSWORD_CHARS));
    }
    Ok(password)
}

pub(super) fn list_printers(lang: Lang) -> Result<Outcome> {
    let list = printers()?;
    if list.is_empty() {
        outln!("{}", Notice::NoPrinters.say(lang));
    }
    for p in &list {
        outln!("{}", Notice::PrinterLine(p).say(lang));
    }
    Ok(Outcome::AllOk)
}

pub(super) fn cards(cli: &Cli, args: &CardsArgs) -> Result<Outcome> {
    let store = open(cli)?;
    let students = store.card_students(args.class.as_deref(), args.all)?;
    let (font_path, index) = font()?;
    let progress = Progress::default();
    let (pdf, sheets) = {
        let _bar = Bar::show(&progress, cli.lang());
        capture_cards(&students, (&font_path, index), &progress)?
    };
    crate::export::write_atomic(&args.output, &pdf)
        .map_err(|source| CliError::File(FileError::Write { path: args.output.clone(), source }))?;
    outln!("{}", Notice::CardsMade { cards: students.len(), sheets, pdf: &args.output }.say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn export_cmd(
    cli: &Cli,
    args: &ExportArgs,
    library: &ProfileLibrary,
    actor: Option<&Actor>,
) -> Result<Outcome> {
    if let Some(ExportCommand::Verify { dir, json, password_file }) = &args.command {
        let encrypted = std::fs::read(dir.join(crate::export::MANIFEST_JSON))
            .ok()
            .and_then(|b| crate::export::Manifest::parse(&b).ok())
            .is_some_and(|m| m.encrypted);
        let password = match (encrypted, password_file) {
            (_, Some(file)) => Some(password_from(file)?),
            (true, None) => Some(super::access::secret("TUCAI_EXPORT_PASSWORD", &Notice::PasswordPrompt, cli)?),
            (false, None) => None,
        };
        let progress = Progress::default();
        let report = {
            let _bar = Bar::show(&progress, cli.lang());
            verify_batch(dir, password.as_deref(), &progress)
        };
        if *json {
            outln!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            for p in &report.problems {
                outln!("✗ {}", p.say(cli.lang()));
            }
            outln!("{}", Notice::Verified(dir, report.verified, report.listed).say(cli.lang()));
        }
        return Ok(if report.problems.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed });
    }
    let target = args.to.clone().ok_or(CliError::NoExportTarget)?;
    let actor = super::access::acting(actor)?;
    let mut store = open(cli)?;
    let spec = library.resolve(&args.profile)?;
    let zip = (args.zip || args.zip_max_files.is_some() || args.zip_max_mb.is_some()).then(|| ZipLimits {
        max_files: args.zip_max_files.map(|n| n as usize),
        max_bytes: args.zip_max_mb.map(|m| m * 1_000_000),
    });
    let statuses = match args.status {
        ExportStatus::Approved => vec![CaptureStatus::Approved],
        ExportStatus::Accepted => vec![CaptureStatus::Accepted, CaptureStatus::Approved],
    };
    let password = match (&args.password_file, args.encrypt) {
        (Some(file), _) => Some(password_from(file)?),
        (None, true) => Some(new_password(cli)?),
        (None, false) => None,
    };
    let req = ExportRequest { target, statuses, zip, password };
    let progress = Progress::default();
    let summary = {
        let _bar = Bar::show(&progress, cli.lang());
        export(&mut store, actor, &spec, &req, &progress)
    };
    let summary = match summary {
        // Running a finished export again is not a failure: there is nothing left to do.
        Err(e @ crate::export::ExportError::Nothing(_)) => {
            outln!("{}", e.say(cli.lang()));
            return Ok(Outcome::AllOk);
        }
        // Offer the drives that are there by name.
        Err(e @ crate::export::ExportError::NoTarget(_)) => {
            let drives: Vec<String> = crate::export::removable_drives()
                .iter()
                .map(|d| format!("{} ({})", d.label, d.path.display()))
                .collect();
            if drives.is_empty() {
                return Err(e.into());
            }
            return Err(CliError::NoTargetDrives { error: e, drives });
        }
        other => other?,
    };
    for l in &summary.left_out {
        errln!("{}", Notice::LeftOut(l).say(cli.lang()));
    }
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        outln!("{}", Notice::Exported(&summary).say(cli.lang()));
        if summary.gbk_lossy {
            outln!("{}", Notice::GbkLossy.say(cli.lang()));
        }
    }
    Ok(if summary.left_out.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}
