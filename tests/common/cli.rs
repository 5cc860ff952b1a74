//! Running the built `tucai` binary on a data folder, with the test PIN, for the CLI tests.

use std::path::Path;
use std::process::{Command, Output};

/// `tucai --data-dir DATA ARGS…` with `TUCAI_PIN` and `TUCAI_NEW_PIN` set to 246810.
pub fn tucai(data: &Path, args: &[&str]) -> Output {
    // These tests read the English words; `tests/cli.rs` checks the Chinese default.
    Command::new(env!("CARGO_BIN_EXE_tucai"))
        .args(["--lang", "en"])
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("TUCAI_PIN", "246810")
        .env("TUCAI_NEW_PIN", "246810")
        .output()
        .expect("binary runs")
}

/// What the command printed, stdout then stderr.
pub fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}
