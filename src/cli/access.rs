//! Who may run a command: each command's actions in the role table ([`Action::role`]), checked
//! once — one login, before anything else runs — so no command can forget it. Commands that
//! touch no personal data (`profiles`, `standardize`, `check`, `eval`, `matte`, `printers`,
//! `export verify`) need no one.
//!
//! PINs are read from `TUCAI_PIN` (`TUCAI_NEW_PIN` for a new one), else from the terminal with
//! echo off, else from the first line of stdin.

use std::io::{BufRead, IsTerminal, Write};

use super::args::{Cli, CodeCommand, Command, ExportArgs, OperatorCommand, ReportArgs};
use super::store_cmds::open;
use super::{CliError, Result};
use crate::i18n::Say;
use crate::i18n::cli::Notice;
use crate::store::{Action, Actor, LoginVia, Refusal};

/// The actions `command` performs, in the role table's terms; empty: no login needed.
pub(super) fn actions(cli: &Cli, command: &Command) -> Vec<Action> {
    let mut actions = match command {
        Command::Standardize(_)
        | Command::Profiles(_)
        | Command::Matte(_)
        | Command::Check(_)
        | Command::Eval(_)
        | Command::Printers
        | Command::Docs(_) => vec![],
        Command::Export(ExportArgs { command: Some(_), .. }) => vec![],
        Command::Operator(OperatorCommand::Passwd { name: Some(name) }) if cli.operator.as_ref() != Some(name) => {
            vec![Action::ManageAccounts]
        }
        Command::Operator(OperatorCommand::Passwd { .. }) => vec![Action::ChangeOwnPin],
        Command::Operator(_) => vec![Action::ManageAccounts],
        Command::Roster(_) => vec![Action::ImportRoster],
        Command::Code(CodeCommand::Decode { .. } | CodeCommand::Scan { .. } | CodeCommand::Bind { .. }) => {
            vec![Action::Identify]
        }
        Command::Capture(_) => vec![Action::Capture],
        Command::Accept(_) => vec![Action::Accept],
        Command::Review(_) => vec![Action::Review],
        Command::Unlock(_) => vec![Action::Unlock],
        Command::Report(ReportArgs { missing, recall, show_id, .. }) => {
            let mut a = vec![if *missing || *recall { Action::ListStudents } else { Action::Count }];
            if *show_id {
                a.push(Action::ShowIdNumbers);
            }
            a
        }
        Command::Backup(_) => vec![Action::Backup],
        Command::Restore(_) => vec![Action::Restore],
        Command::CheckStore => vec![Action::CheckStore],
        Command::Print(_) | Command::Cards(_) => vec![Action::Print],
        Command::Export(_) => vec![Action::Export],
        Command::Sync(_) => vec![Action::Sync],
        Command::Central(_) => vec![Action::CentralInit],
        Command::Purge(_) => vec![Action::Purge],
    };
    if cli.central.is_some() && super::sync_cmds::is_office_command(command) {
        actions.push(Action::Office);
    }
    actions
}

/// Logs in whoever `command` needs and checks the role table: `None` when it needs no one
/// (or it adds the first account of a fresh store, which needs no login).
pub(super) fn who_may_run(cli: &Cli, command: &Command) -> Result<Option<Actor>> {
    let actions = actions(cli, command);
    if actions.is_empty() {
        return Ok(None);
    }
    // Restoring into a data folder that has no store yet (a new PC) protects nothing here.
    if matches!(command, Command::Restore(_)) && !super::store_cmds::data_dir(cli)?.join(crate::store::DB_FILE).exists()
    {
        return Ok(None);
    }
    let mut store = open(cli)?;
    if store.operator_count()? == 0 {
        return match command {
            Command::Operator(OperatorCommand::Add { .. }) => Ok(None),
            _ => Err(CliError::NoOperators),
        };
    }
    let name = cli.operator.as_deref().ok_or(CliError::NoOperatorGiven)?;
    let pin = secret("TUCAI_PIN", &Notice::PinPrompt(name), cli)?;
    let actor = store.login(name, &pin, LoginVia::Cli)?;
    if actor.must_change_pin && actions != [Action::ChangeOwnPin] {
        return Err(crate::store::StoreError::from(Refusal::MustChangePin { name: actor.name }).into());
    }
    for action in actions {
        actor.require(action)?;
    }
    Ok(Some(actor))
}

/// The one who logged in for a command that needs someone (the gate made sure there is).
pub(super) fn acting(actor: Option<&Actor>) -> Result<&Actor> {
    actor.ok_or(CliError::NoOperatorGiven)
}

/// A PIN from `var`, else typed at the terminal (not echoed), else the first line of stdin.
pub(super) fn secret(var: &str, prompt: &Notice<'_>, cli: &Cli) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    eprint!("{}{}", prompt.say(cli.lang()), cli.lang().colon());
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let echo_off = std::io::stdin().is_terminal().then(Echo::off).flatten();
    let read = std::io::stdin().lock().read_line(&mut line);
    drop(echo_off);
    errln!(); // what was typed is not echoed, nor is its Enter
    read.map_err(CliError::ReadPin)?;
    Ok(line.trim().to_owned())
}

/// The terminal's echo, off while a PIN is typed and back on when dropped (`stty` on the
/// controlling terminal: no unsafe code, and coreutils is on every Debian).
struct Echo;

impl Echo {
    fn off() -> Option<Echo> {
        stty("-echo").then_some(Echo)
    }
}

impl Drop for Echo {
    fn drop(&mut self) {
        stty("echo");
    }
}

fn stty(setting: &str) -> bool {
    let Ok(tty) = std::fs::File::open("/dev/tty") else { return false };
    std::process::Command::new("stty")
        .arg(setting)
        .stdin(tty)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
