//! What leaves the station, on the command line: print sheets, printers, capture cards,
//! export batches and their verification. Each long run shows a progress bar on the terminal.

use std::time::Duration;

use anyhow::{Context, Result, anyhow};

use super::Outcome;
use super::args::{CardsArgs, Cli, ExportArgs, ExportCommand, ExportStatus, PrintArgs};
use super::store_cmds::{actor, open};
use crate::export::{ExportRequest, ZipLimits, export, verify_batch};
use crate::print::{PrintRequest, PrintSelection, capture_cards, print_job, printers};
use crate::profile::ProfileLibrary;
use crate::progress::Progress;
use crate::store::CaptureStatus;

/// Shows `progress` as a bar on stderr (when it is a terminal) until dropped.
pub(super) struct Bar {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Bar {
    pub(super) fn show(progress: &Progress) -> Bar {
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
                    bar.set_message(v.stage);
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
    crate::fonts::cjk_font().ok_or_else(|| anyhow!(crate::fonts::NO_CJK_FONT))
}

pub(super) fn print(cli: &Cli, args: &PrintArgs, library: &ProfileLibrary) -> Result<Outcome> {
    let mut store = open(cli)?;
    let actor = actor(cli, &store)?;
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
        let _bar = Bar::show(&progress);
        print_job(&mut store, &actor, &spec, &req, (&font_path, index), &progress)?
    };
    for r in &summary.refused {
        eprintln!("✗ {r}");
    }
    println!(
        "{} students, {} copies on {} {} sheet(s) ({:.0} dpi or better) → {}{}",
        summary.students,
        summary.copies,
        summary.pages,
        args.paper.name(),
        summary.min_dpi,
        summary.pdf.display(),
        summary.job.as_deref().map(|j| format!(", printer job {j}")).unwrap_or_default()
    );
    Ok(if summary.refused.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}

pub(super) fn list_printers() -> Result<Outcome> {
    let list = printers()?;
    if list.is_empty() {
        println!("CUPS has no printers set up");
    }
    for p in &list {
        let state = match p.state {
            crate::print::PrinterState::Idle => "ready",
            crate::print::PrinterState::Printing => "printing",
            crate::print::PrinterState::Paused => "PAUSED (cupsenable to resume)",
        };
        let accepting = if p.accepting { "" } else { ", not accepting jobs" };
        println!("{}{}: {state}{accepting}", p.name, if p.default { " (default)" } else { "" });
    }
    Ok(Outcome::AllOk)
}

pub(super) fn cards(cli: &Cli, args: &CardsArgs) -> Result<Outcome> {
    let store = open(cli)?;
    let students = store.card_students(args.class.as_deref(), args.all)?;
    let (font_path, index) = font()?;
    let progress = Progress::default();
    let (pdf, sheets) = {
        let _bar = Bar::show(&progress);
        capture_cards(&students, (&font_path, index), &progress)?
    };
    crate::export::write_atomic(&args.output, &pdf)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    println!("{} capture cards on {sheets} A4 sheet(s) → {}", students.len(), args.output.display());
    Ok(Outcome::AllOk)
}

pub(super) fn export_cmd(cli: &Cli, args: &ExportArgs, library: &ProfileLibrary) -> Result<Outcome> {
    if let Some(ExportCommand::Verify { dir, json }) = &args.command {
        let progress = Progress::default();
        let report = {
            let _bar = Bar::show(&progress);
            verify_batch(dir, &progress)
        };
        if *json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            for p in &report.problems {
                println!("✗ {p}");
            }
            println!("{}: {} of {} photos verified", dir.display(), report.verified, report.listed);
        }
        return Ok(if report.problems.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed });
    }
    let target = args.to.clone().ok_or_else(|| anyhow!("say where: --to DIR"))?;
    let mut store = open(cli)?;
    let actor = actor(cli, &store)?;
    let spec = library.resolve(&args.profile)?;
    let zip = (args.zip || args.zip_max_files.is_some() || args.zip_max_mb.is_some()).then(|| ZipLimits {
        max_files: args.zip_max_files.map(|n| n as usize),
        max_bytes: args.zip_max_mb.map(|m| m * 1_000_000),
    });
    let statuses = match args.status {
        ExportStatus::Approved => vec![CaptureStatus::Approved],
        ExportStatus::Accepted => vec![CaptureStatus::Accepted, CaptureStatus::Approved],
    };
    let req = ExportRequest { target, statuses, zip };
    let progress = Progress::default();
    let summary = {
        let _bar = Bar::show(&progress);
        export(&mut store, &actor, &spec, &req, &progress)
    };
    let summary = match summary {
        // Running a finished export again is not a failure: there is nothing left to do.
        Err(e @ crate::export::ExportError::Nothing(_)) => {
            println!("{e}");
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
            return Err(anyhow!("{e}; USB drives mounted now: {}", drives.join(", ")));
        }
        other => other?,
    };
    for l in &summary.left_out {
        eprintln!("✗ left out {l}");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "exported {} photos ({:.1} MB{}{}) to {}, read back and verified; batch {} recorded",
            summary.photos,
            summary.bytes as f64 / 1e6,
            if summary.kept > 0 {
                format!(", {} already there from an interrupted run", summary.kept)
            } else {
                String::new()
            },
            if summary.archives.is_empty() {
                String::new()
            } else {
                format!(", {} zip archives", summary.archives.len())
            },
            summary.batch_dir.display(),
            summary.batch_id
        );
        if summary.gbk_lossy {
            println!("note: some names have characters GBK cannot hold; the GBK manifest shows codes for them");
        }
    }
    Ok(if summary.left_out.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}
