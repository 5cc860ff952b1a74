//! The command line: raw arguments are parsed once (`args.rs`), each command runs over its
//! inputs and reports per item, and the process exits with a meaning:
//! 0 everything succeeded, 1 some inputs failed, 2 usage or setup error.
//!
//! Per-item failures never stop a batch; they are printed with the file and the reason.

/// Prints to standard output like `println!`, with every invisible control character in the
/// text escaped ([`crate::limits::for_terminal`]): names, codes and file names come from outside
/// and must not drive the terminal. All command output goes through these three macros.
macro_rules! outln {
    () => { println!() };
    ($($arg:tt)*) => { println!("{}", $crate::limits::for_terminal(&format!($($arg)*))) };
}

/// Like `print!`, made inert as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => { print!("{}", $crate::limits::for_terminal(&format!($($arg)*))) };
}

/// Like `eprintln!`, made inert as [`outln!`].
macro_rules! errln {
    () => { eprintln!() };
    ($($arg:tt)*) => { eprintln!("{}", $crate::limits::for_terminal(&format!($($arg)*))) };
}

mod access;
pub mod args;
mod check;
pub mod docs;
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

/// Runs a parsed command line that names a subcommand: whoever it needs logs in first and the
/// role table is checked (`access.rs`), then it runs.
pub fn run(cli: &Cli, command: &Command) -> Outcome {
    let actor = match access::who_may_run(cli, command) {
        Ok(actor) => actor,
        Err(e) => {
            errln!("tucai: {}", e.say(cli.lang()));
            return Outcome::SetupError;
        }
    };
    if cli.central.is_some() && sync_cmds::is_office_command(command) {
        return sync_cmds::office(cli, || run_here(cli, command, actor.as_ref()));
    }
    run_here(cli, command, actor.as_ref())
}

/// Runs a command on this computer's store, as `actor` (who the gate let in).
fn run_here(cli: &Cli, command: &Command, actor: Option<&crate::store::Actor>) -> Outcome {
    use access::acting;
    let library = ProfileLibrary::load_default(&cli.profiles_dir);
    let result = match command {
        Command::Standardize(a) => standardize::run(a, &library, cli.lang()),
        Command::Profiles(a) => profiles::run(a, &library, cli.lang()),
        Command::Matte(a) => matte::run(a, cli.lang()),
        Command::Check(a) => check::run(a, &library, cli.lang()),
        Command::Eval(a) => eval::run(a, &library, cli.lang()),
        Command::Printers => outputs::list_printers(cli.lang()),
        Command::Docs(a) => docs::run(a, cli.lang()),
        Command::Operator(c) => store_cmds::operator(cli, c, actor),
        Command::Export(a) => outputs::export_cmd(cli, a, &library, actor),
        Command::Roster(c) => acting(actor).and_then(|actor| store_cmds::roster(cli, c, actor)),
        Command::Code(c) => acting(actor).and_then(|actor| store_cmds::code(cli, c, &library, actor)),
        Command::Capture(a) => acting(actor).and_then(|actor| store_cmds::capture(cli, a, &library, actor)),
        Command::Accept(a) => acting(actor).and_then(|actor| store_cmds::accept(cli, a, actor)),
        Command::Review(a) => acting(actor).and_then(|actor| store_cmds::review(cli, a, actor)),
        Command::Unlock(a) => acting(actor).and_then(|actor| store_cmds::unlock(cli, a, actor)),
        Command::Report(a) => store_cmds::report(cli, a),
        Command::Backup(a) => store_cmds::backup(cli, a),
        Command::Restore(a) => store_cmds::restore(cli, a, actor),
        Command::CheckStore => store_cmds::check_store(cli),
        Command::Print(a) => acting(actor).and_then(|actor| outputs::print(cli, a, &library, actor)),
        Command::Cards(a) => outputs::cards(cli, a),
        Command::Sync(a) => sync_cmds::sync(cli, a),
        Command::Central(c) => sync_cmds::central(cli, c),
        Command::Purge(a) => acting(actor).and_then(|actor| store_cmds::purge(cli, a, actor)),
    };
    result.unwrap_or_else(|e| {
        errln!("tucai: {}", e.say(cli.lang()));
        Outcome::SetupError
    })
}
