//! `tucai docs DIR`: the man pages and shell completions, made from the clap definitions so
//! they never drift from the program (packaging/build-deb.sh puts them in the package).

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::args::{Cli, DocsArgs};
use super::{Outcome, Result};
use crate::i18n::Say;
use crate::i18n::cli::Notice;
use crate::i18n::errors::FileError;

/// The shells whose completions the package installs, with the file name each looks for.
const SHELLS: [(clap_complete::Shell, &str); 3] = [
    (clap_complete::Shell::Bash, "tucai.bash"),
    (clap_complete::Shell::Zsh, "_tucai"),
    (clap_complete::Shell::Fish, "tucai.fish"),
];

pub(super) fn run(args: &DocsArgs, lang: crate::i18n::Lang) -> Result<Outcome> {
    let written = write_docs(&args.out)?;
    outln!("{}", Notice::DocsWritten(written.len(), &args.out).say(lang));
    Ok(Outcome::AllOk)
}

/// Writes `man/tucai.1`, one page per command (`man/tucai-roster-import.1`, …) and
/// `completions/` for bash, zsh and fish under `out`; returns the files written.
pub fn write_docs(out: &Path) -> std::result::Result<Vec<PathBuf>, FileError> {
    let mut written = Vec::new();
    let man_dir = out.join("man");
    let completions_dir = out.join("completions");
    for dir in [&man_dir, &completions_dir] {
        std::fs::create_dir_all(dir).map_err(|source| FileError::CreateDir { path: dir.clone(), source })?;
    }
    let mut command = Cli::command();
    command.build(); // propagates global options and versions into the subcommands
    man_pages(&command, &man_dir, &mut written)?;
    for (shell, name) in SHELLS {
        let mut bytes = Vec::new();
        clap_complete::generate(shell, &mut command.clone(), "tucai", &mut bytes);
        written.push(write(&completions_dir.join(name), &bytes)?);
    }
    Ok(written)
}

/// The page of `command`, then its subcommands' pages: after `build()` each knows its display
/// name (`tucai-roster-import`) and how it is typed (`tucai roster import`).
fn man_pages(command: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> std::result::Result<(), FileError> {
    let man =
        clap_mangen::Man::new(command.clone()).manual("Tucai").source(format!("tucai {}", env!("CARGO_PKG_VERSION")));
    let path = dir.join(man.get_filename());
    let mut bytes = Vec::new();
    man.render(&mut bytes).map_err(|source| FileError::Write { path: path.clone(), source })?;
    written.push(write(&path, &bytes)?);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        man_pages(sub, dir, written)?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> std::result::Result<PathBuf, FileError> {
    std::fs::write(path, bytes).map_err(|source| FileError::Write { path: path.to_owned(), source })?;
    Ok(path.to_owned())
}
