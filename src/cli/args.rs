//! The command line as typed: clap structs, nothing else. `mod.rs` turns them into actions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::i18n::Lang;
use crate::imaging::Background;

/// Tucai (图采): graduate-photo station. Without a command, opens the station window.
#[derive(Debug, Parser)]
#[command(name = "tucai", version, about, long_about = None)]
pub struct Cli {
    /// Extra folder of profile TOML files (besides the built-in ones and ~/.config/tucai/profiles).
    #[arg(long, global = true, value_name = "DIR")]
    pub profiles_dir: Vec<PathBuf>,

    /// Camera for the station: `demo` (bundled portraits), `dir:PATH` (a folder of images).
    #[arg(long, value_name = "SOURCE", default_value = "demo")]
    pub camera: String,

    /// Language of the station window and of the checks' messages.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,

    /// What to do; none opens the station window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Standardize photos to a profile: level, crop, resample, encode.
    Standardize(StandardizeArgs),
    /// List the photo profiles with their key numbers.
    Profiles(ProfilesArgs),
    /// Write the person's alpha (white = person) of a photo as a PNG, for inspection.
    Matte(MatteArgs),
    /// Check photos against a profile: what the reviewers would reject and how to fix it.
    Check(CheckArgs),
    /// Score the checks on a labelled set of degraded photos (precision, recall, false rejects).
    Eval(EvalArgs),
}

/// `tucai check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Photos to check (JPEG; anything else fails the format check).
    #[arg(required = true, value_name = "PHOTO")]
    pub photos: Vec<PathBuf>,

    /// Profile id (see `tucai profiles`) or a path to a profile TOML file.
    #[arg(long, short, default_value = "chsi-graduate")]
    pub profile: String,

    /// Print one JSON report per photo (JSON Lines) instead of the checklist.
    #[arg(long)]
    pub json: bool,
}

/// `tucai eval`
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Folder of the labelled set (`labels.json` and the photos).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// First generate the set into DIR from the bundled portraits (or the --from photos).
    #[arg(long)]
    pub generate: bool,

    /// Portraits to generate from (default: the bundled demo portraits).
    #[arg(long, value_name = "PHOTO")]
    pub from: Vec<PathBuf>,

    /// Print the table as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `tucai matte`
#[derive(Debug, Args)]
pub struct MatteArgs {
    /// The photo.
    #[arg(value_name = "PHOTO")]
    pub photo: PathBuf,

    /// The PNG to write.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,

    /// Print the backdrop estimate as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `tucai standardize`
#[derive(Debug, Args)]
pub struct StandardizeArgs {
    /// Photos to standardize (JPEG or PNG).
    #[arg(required = true, value_name = "PHOTO")]
    pub photos: Vec<PathBuf>,

    /// Profile id (see `tucai profiles`) or a path to a profile TOML file.
    #[arg(long, short, default_value = "chsi-graduate")]
    pub profile: String,

    /// Output folder; each photo is written as DIR/STEM.jpg (STEM = the input file name without its extension).
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,

    /// Print one JSON object per input (JSON Lines) instead of the human summary.
    #[arg(long)]
    pub json: bool,

    /// Also write DIR/STEM.overlay.png with the landmarks, crop box and profile windows.
    #[arg(long)]
    pub overlay: bool,

    /// Background: the profile's colour (default), `white`, `R,G,B`, or `keep` (no matte).
    #[arg(long, value_name = "RGB|white|keep", default_value = "profile", value_parser = parse_background)]
    pub background: Background,
}

/// Parses `--background`.
fn parse_background(text: &str) -> Result<Background, String> {
    match text {
        "profile" => Ok(Background::Profile),
        "keep" => Ok(Background::Keep),
        "white" => Ok(Background::Colour([255, 255, 255])),
        _ => {
            let parts: Vec<Result<u8, _>> = text.split(',').map(|p| p.trim().parse::<u8>()).collect();
            match parts.as_slice() {
                [Ok(r), Ok(g), Ok(b)] => Ok(Background::Colour([*r, *g, *b])),
                _ => Err(format!("'{text}' is not profile, white, keep or R,G,B with each 0–255 (e.g. 100,197,255)")),
            }
        }
    }
}

/// `tucai profiles`
#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}
