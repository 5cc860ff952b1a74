//! `tucai`: with a subcommand, the command line; without one, the station window.

use std::process::ExitCode;

use clap::Parser;
use tucai::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => cli::run(&cli, command).into(),
        None => station(&cli),
    }
}

#[cfg(feature = "gui")]
fn station(cli: &Cli) -> ExitCode {
    match tucai::ui::run_station(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tucai: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn station(_cli: &Cli) -> ExitCode {
    eprintln!("tucai: this build has no station window (built without the `gui` feature); see `tucai --help`");
    ExitCode::from(2)
}
