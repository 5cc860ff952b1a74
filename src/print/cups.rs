//! CUPS printers through its command-line clients: `lpstat` lists printers and their state,
//! `lp` queues a PDF. The commands run with `LC_ALL=C` so their answers can be read; what they
//! say goes to the operator in words (a paused queue, a missing printer, a refused job).

use std::path::Path;
use std::process::Command;

use serde::Serialize;

use super::{Paper, PrintError, PrinterProblem};

/// A printer's queue state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrinterState {
    /// Ready.
    Idle,
    /// Printing now.
    Printing,
    /// Paused (disabled): jobs wait until someone resumes it.
    Paused,
}

/// A CUPS printer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Printer {
    /// Queue name.
    pub name: String,
    /// State.
    pub state: PrinterState,
    /// Takes new jobs (`cupsaccept`).
    pub accepting: bool,
    /// The system's default printer.
    pub default: bool,
}

fn run(program: &str, args: &[&str]) -> Result<String, PrintError> {
    let out = Command::new(program).args(args).env("LC_ALL", "C").output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            PrintError::Printer(PrinterProblem::NoCups { program: program.to_owned() })
        } else {
            PrintError::Printer(PrinterProblem::CannotRun { program: program.to_owned(), error: e.to_string() })
        }
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        return Ok(stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if stderr.contains("Scheduler is not running") {
        return Err(PrintError::Printer(PrinterProblem::NotRunning));
    }
    Err(PrintError::Printer(PrinterProblem::Failed {
        command: format!("{program} {}", args.join(" ")),
        output: if stderr.is_empty() { stdout } else { stderr },
    }))
}

/// The printers CUPS knows, with their state.
pub fn printers() -> Result<Vec<Printer>, PrintError> {
    // `lpstat -p` fails when there are no printers at all; that is an empty list.
    let states = run("lpstat", &["-p"]).or_else(|e| match &e {
        PrintError::Printer(PrinterProblem::Failed { output, .. }) if output.contains("No destinations") => {
            Ok(String::new())
        }
        _ => Err(e),
    })?;
    let accepting = run("lpstat", &["-a"]).unwrap_or_default();
    let default = run("lpstat", &["-d"]).unwrap_or_default();
    Ok(parse_printers(&states, &accepting, &default))
}

/// Reads `lpstat -p`, `lpstat -a` and `lpstat -d` (C locale).
fn parse_printers(states: &str, accepting: &str, default: &str) -> Vec<Printer> {
    let default_name = default.split(':').nth(1).map(str::trim).unwrap_or("");
    states
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("printer ")?;
            let (name, how) = rest.split_once(' ')?;
            let state = if how.contains("disabled") {
                PrinterState::Paused
            } else if how.contains("printing") {
                PrinterState::Printing
            } else {
                PrinterState::Idle
            };
            let accepts = accepting.lines().any(|l| l.starts_with(&format!("{name} accepting")));
            Some(Printer { name: name.to_owned(), state, accepting: accepts, default: name == default_name })
        })
        .collect()
}

/// The PWG media name of a paper, so the printer feeds the paper the sheet was laid out for.
fn media(paper: Paper) -> &'static str {
    match paper {
        Paper::SixInch => "na_index-4x6_4x6in",
        Paper::FiveInch => "oe_photo-l_3.5x5in",
        Paper::A4 => "iso_a4_210x297mm",
    }
}

/// Queues `pdf` (sheets laid out for `paper`) on `printer` at true size; returns the job id
/// CUPS gave it. A missing printer, a paused queue or one refusing jobs is said before
/// anything is sent.
pub fn send_to_printer(pdf: &Path, printer: &str, paper: Paper) -> Result<String, PrintError> {
    let all = printers()?;
    let Some(p) = all.iter().find(|p| p.name == printer) else {
        let known = all.iter().map(|p| p.name.clone()).collect();
        return Err(PrintError::Printer(PrinterProblem::NoSuchPrinter { name: printer.to_owned(), known }));
    };
    if p.state == PrinterState::Paused {
        return Err(PrintError::Printer(PrinterProblem::Paused { name: printer.to_owned() }));
    }
    if !p.accepting {
        return Err(PrintError::Printer(PrinterProblem::NotAccepting { name: printer.to_owned() }));
    }
    let path = pdf.to_string_lossy();
    let media = format!("media={}", media(paper));
    let out = run("lp", &["-d", printer, "-o", &media, "-o", "print-scaling=none", "--", &path])?;
    // "request id is NAME-12 (1 file(s))"
    Ok(out
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .map(str::to_owned)
        .unwrap_or_else(|| out.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lpstat_answers_become_printers() {
        let states = "printer Office is idle.  enabled since Sun 22 Nov 2026 10:00:00 AM UTC\n\
                      printer Booth disabled since Sun 22 Nov 2026 10:05:00 AM UTC -\n\
                      \treason unknown\n\
                      printer Photo now printing Photo-3.  enabled since Sun 22 Nov 2026\n";
        let accepting = "Office accepting requests since Sun 22 Nov 2026\nBooth accepting requests since x\n\
                         Photo not accepting requests since y -\n";
        let list = parse_printers(states, accepting, "system default destination: Office\n");
        let got: Vec<(&str, &PrinterState, bool, bool)> =
            list.iter().map(|p| (p.name.as_str(), &p.state, p.accepting, p.default)).collect();
        assert_eq!(
            got,
            vec![
                ("Office", &PrinterState::Idle, true, true),
                ("Booth", &PrinterState::Paused, true, false),
                ("Photo", &PrinterState::Printing, false, false)
            ]
        );
    }
}
