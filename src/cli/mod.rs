//! The command line: raw arguments are parsed once (`args.rs`), each command runs over its
//! inputs and reports per item, and the process exits with a meaning:
//! 0 everything succeeded, 1 some inputs failed, 2 usage or setup error.
//!
//! Per-item failures never stop a batch; they are printed with the file and the reason.

pub mod args;
mod check;
mod eval;
mod matte;
mod outputs;
mod profiles;
mod standardize;
mod store_cmds;
mod sync_cmds;

use std::process::ExitCode;

pub use crate::export::write_atomic;
pub use crate::i18n::Lang;
pub use crate::i18n::cli::CliError;
pub use args::{Cli, Command, lang_of_args, usage_error};

use crate::i18n::Say;

/// What a command returns: its outcome, or why it could not run.
pub type Result<T> = std::result::Result<T, CliError>;

use crate::profile::ProfileLibrary;

/// What a command run ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every input succeeded.
    AllOk,
    /// At least one input failed; the others were processed.
    SomeFailed,
    /// Nothing could be done (bad arguments, missing models, unknown profile).
    SetupError,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::AllOk => 0,
            Outcome::SomeFailed => 1,
            Outcome::SetupError => 2,
        })
    }
}

/// Runs a parsed command line that names a subcommand.
pub fn run(cli: &Cli, command: &Command) -> Outcome {
    if cli.central.is_some() && sync_cmds::is_office_command(command) {
        return sync_cmds::office(cli, || run_here(cli, command));
    }
    run_here(cli, command)
}

/// Runs a command on this computer's store.
fn run_here(cli: &Cli, command: &Command) -> Outcome {
    let library = ProfileLibrary::load_default(&cli.profiles_dir);
    let result = match command {
        Command::Standardize(a) => standardize::run(a, &library, cli.lang()),
        Command::Profiles(a) => profiles::run(a, &library, cli.lang()),
        Command::Matte(a) => matte::run(a, cli.lang()),
        Command::Check(a) => check::run(a, &library, cli.lang()),
        Command::Eval(a) => eval::run(a, &library, cli.lang()),
        Command::Operator(c) => store_cmds::operator(cli, c),
        Command::Roster(c) => store_cmds::roster(cli, c),
        Command::Code(c) => store_cmds::code(cli, c, &library),
        Command::Capture(a) => store_cmds::capture(cli, a, &library),
        Command::Accept(a) => store_cmds::accept(cli, a),
        Command::Review(a) => store_cmds::review(cli, a),
        Command::Unlock(a) => store_cmds::unlock(cli, a),
        Command::Report(a) => store_cmds::report(cli, a),
        Command::Backup(a) => store_cmds::backup(cli, a),
        Command::Print(a) => outputs::print(cli, a, &library),
        Command::Printers => outputs::list_printers(cli.lang()),
        Command::Cards(a) => outputs::cards(cli, a),
        Command::Export(a) => outputs::export_cmd(cli, a, &library),
        Command::Sync(a) => sync_cmds::sync(cli, a),
        Command::Central(c) => sync_cmds::central(cli, c),
    };
    result.unwrap_or_else(|e| {
        eprintln!("tucai: {}", e.say(cli.lang()));
        Outcome::SetupError
    })
}
