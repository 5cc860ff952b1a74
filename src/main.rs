//! `tucai`: with a subcommand, the command line; without one, the station window.

use std::process::ExitCode;

use clap::Parser;
use tucai::cli::{self, Cli};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let mut cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match cli::usage_error(&e) {
            // A command line that does not parse is said in the operator's language.
            Some(refusal) => {
                use tucai::i18n::Say;
                eprintln!("tucai: {}", tucai::limits::for_terminal(&refusal.say(cli::lang_of_args(&args))));
                return ExitCode::from(2);
            }
            None => e.exit(), // help and version, printed by clap
        },
    };
    if cli.command.is_some() {
        // Resolved once: flag, saved setting, locale, Chinese.
        cli.lang = Some(cli.lang());
    }
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
            use tucai::i18n::Say;
            eprintln!("tucai: {}", tucai::limits::for_terminal(&e.say(cli.lang())));
            ExitCode::from(2)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn station(_cli: &Cli) -> ExitCode {
    eprintln!("tucai: this build has no station window (built without the `gui` feature); see `tucai --help`");
    ExitCode::from(2)
}
