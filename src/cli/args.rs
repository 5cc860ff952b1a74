//! The command line as typed: clap structs, nothing else. `mod.rs` turns them into actions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::i18n::Lang;
use crate::imaging::Background;

/// What `tucai --help` and the man page say after the options: where things live, what the
/// environment sets, how the exit status reads.
const AFTER_HELP: &str = "\
Files:
  ~/.local/share/tucai/tucai.db: the station store (elsewhere with --data-dir).
  ~/.config/tucai/station.toml: the window's settings (camera, profile, language, kiosk).
  ~/.config/tucai/profiles/: extra photo profiles (TOML) beside the built-in ones.
  /usr/share/tucai/autostart/tucai-kiosk.desktop: opens the station in kiosk mode at login
  once copied to ~/.config/autostart/.

Removing the package leaves the data folder alone; `tucai purge` removes what the upload no
longer needs.

Environment:
  TUCAI_PIN, TUCAI_NEW_PIN: the operator's PIN (else asked on the terminal).
  TUCAI_CENTRAL: the central server's URL (as --central).
  TUCAI_EXPORT_PASSWORD: the password of `export --encrypt`.
  PGPASSWORD, PGPASSFILE: the central server's password.
  LC_ALL, LC_MESSAGES, LANG: the language when neither --lang nor a saved setting gives it.

Exit status: 0 everything succeeded, 1 some inputs failed (each said with its file and
reason), 2 usage or setup error.";

/// Tucai (图采): graduate-photo station. Without a command, opens the station window.
#[derive(Debug, Parser)]
#[command(name = "tucai", version, about, long_about = None, after_long_help = AFTER_HELP)]
pub struct Cli {
    /// Extra folder of profile TOML files (besides the built-in ones and ~/.config/tucai/profiles).
    #[arg(long, global = true, value_name = "DIR")]
    pub profiles_dir: Vec<PathBuf>,

    /// Camera for the station: `auto` (the first webcam, else the demo), `demo` (bundled cards
    /// and portraits), `dir:PATH` (a folder of images), `webcam:N[@WIDTHxHEIGHT]`. Default:
    /// the saved setting, else `auto`.
    #[arg(long, value_name = "SOURCE", value_parser = parse_camera)]
    pub camera: Option<crate::camera::CameraSpec>,

    /// Open the station fullscreen without window decorations for a booth left with students:
    /// closing it, leaving fullscreen or switching away needs an admin's name and PIN. Also a
    /// saved setting (Settings, admins).
    #[arg(long)]
    pub kiosk: bool,

    /// Language of the window and of everything the commands say. Default: the station's saved
    /// setting, else the locale (LC_ALL / LC_MESSAGES / LANG starting with zh or en), else Chinese.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,

    /// Folder of the station store (default: the user's data folder, e.g. ~/.local/share/tucai).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Operator acting (commands that change the store); the PIN is read from TUCAI_PIN or stdin.
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,

    /// Central server (PostgreSQL) of several booths: `postgres://user@host/db`, TLS with the
    /// server's certificate verified (`sslmode=verify-full`, `&sslrootcert=FILE` for a college's
    /// own authority). The password: --central-password-file, PGPASSWORD or PGPASSFILE (or in the
    /// URL, visible to other users' `ps`). With `report`, `review`, `print` or `export` this is
    /// office mode: the whole collection is synced in first and decisions are sent back after.
    #[arg(long, global = true, value_name = "URL", env = "TUCAI_CENTRAL", hide_env_values = true)]
    pub central: Option<String>,

    /// Allow `sslmode=disable`, `prefer` or `require` without `sslrootcert` for the central
    /// server: the link can then be read or the server faked (every sync result says so).
    #[arg(long, global = true)]
    pub insecure_tls: bool,

    /// A file holding the central server's password on its first line; refused unless only its
    /// owner may read it (chmod 600).
    #[arg(long, global = true, value_name = "FILE")]
    pub central_password_file: Option<PathBuf>,

    /// What to do; none opens the station window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// How the central server may be reached, as the flags say.
    pub fn central_access(&self) -> crate::sync::CentralAccess {
        crate::sync::CentralAccess {
            insecure_tls: self.insecure_tls,
            password_file: self.central_password_file.clone(),
        }
    }

    /// The operator's language: `--lang`, else the saved setting, else the locale, else Chinese.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(|| Lang::resolve(None, crate::station::StationSettings::saved_lang()))
    }
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
    /// Operator accounts.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// The roster of students.
    #[command(subcommand)]
    Roster(RosterCommand),
    /// Capture codes: read them from an image or scanner text, bind CHSI codes to students.
    #[command(subcommand)]
    Code(CodeCommand),
    /// Standardize and check a photo of a student and store it as one attempt.
    Capture(CaptureArgs),
    /// Accept a student's newest passing draft (or a given capture) as their photo.
    Accept(StudentArgs),
    /// Approve or reject a student's accepted photo (reviewers).
    Review(ReviewArgs),
    /// Lift a student's retake cool-down or lock (reviewers and admins; audited).
    Unlock(StudentArgs),
    /// Counts per status, who is missing, who must come back.
    Report(ReportArgs),
    /// Copy the whole store to a file (SQLite online backup).
    Backup(BackupArgs),
    /// Put a backup back as this data folder's store — checked, the current store kept aside,
    /// a new station id of its own (without FILE: give a copied data folder its own identity).
    Restore(RestoreArgs),
    /// Read every page of the store for damage now (opening runs the quick check, and the
    /// whole one at most daily).
    CheckStore,
    /// Print sheets of students' photos at true size: a PDF, and to a CUPS printer if asked.
    Print(PrintArgs),
    /// The printers CUPS knows, and whether each is ready.
    Printers,
    /// Capture cards (QR code, name, number, class) for students without a CHSI code, as a PDF.
    Cards(CardsArgs),
    /// Export a verified batch of photos for the upload (`export verify DIR` re-checks one).
    Export(ExportArgs),
    /// Send this station's changes to the central server and fetch the others' (`sync status`:
    /// what is pending, conflicts).
    Sync(SyncArgs),
    /// The central server's schema.
    #[command(subcommand)]
    Central(CentralCommand),
    /// Write the man pages and shell completions (bash, zsh, fish) into a folder (packaging).
    #[command(hide = true)]
    Docs(DocsArgs),
    /// Remove the photos and ID numbers of students whose batch was exported and verified
    /// (and synced, once this store syncs) before a day; their counts and the audit stay (admins).
    Purge(PurgeArgs),
}

/// `tucai docs`
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// The folder: `man/` and `completions/` are made in it.
    #[arg(value_name = "DIR")]
    pub out: PathBuf,
}

/// `tucai purge`
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Students whose photo went out in a batch exported before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub exported_before: String,
    /// Only say what would be removed.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `tucai sync`
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Outbox entries per batch (each batch is one transaction on the server).
    #[arg(long, default_value_t = crate::sync::DEFAULT_BATCH_ENTRIES)]
    pub batch: usize,
    /// Also fetch the other booths' photos and check reports (the office's copy, as office mode
    /// does; a booth needs only to know they exist). Use it from a data folder's first sync.
    #[arg(long)]
    pub photos: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// `status`: pending changes, last sync, conflicts (and the booths the server knows,
    /// with --central).
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
}

/// `tucai sync status`
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// What waits to be sent, when this station last synced, and students with photos from
    /// more than one booth (with the one that counts).
    Status {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `tucai central …`
#[derive(Debug, Subcommand)]
pub enum CentralCommand {
    /// Create or upgrade the Tucai schema on the central server (needs --central).
    Init,
}

/// `tucai print`
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Students to print (their accepted or approved photo).
    #[arg(long, num_args = 1.., value_name = "NO", required_unless_present = "approved")]
    pub student: Vec<String>,
    /// Every student with an approved photo not printed yet.
    #[arg(long, conflicts_with = "student")]
    pub approved: bool,
    /// With --approved: only photos approved on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", requires = "approved", value_parser = parse_date)]
    pub since: Option<String>,
    /// Paper: 6-inch photo paper (one student per sheet), 5-inch, or A4 (five students per sheet).
    #[arg(long, value_enum, default_value = "6in")]
    pub paper: crate::print::Paper,
    /// The PDF to write (a temporary file when only --printer is given).
    #[arg(long, short, value_name = "FILE", required_unless_present = "printer")]
    pub output: Option<PathBuf>,
    /// Send the sheets to this CUPS printer (see `tucai printers`).
    #[arg(long, value_name = "NAME")]
    pub printer: Option<String>,
    /// Copies per student, 1–50 (default: the profile's, 5 for the CHSI photo).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::profile::MAX_COPIES)))]
    pub copies: Option<u32>,
    /// Print students who already had prints (otherwise they are refused, so reprints are deliberate).
    #[arg(long)]
    pub reprint: bool,
    /// Profile whose print size applies.
    #[arg(long, short, default_value = crate::profile::DEFAULT_PROFILE)]
    pub profile: String,
}

/// `tucai cards`
#[derive(Debug, Args)]
pub struct CardsArgs {
    /// Only this class.
    #[arg(long)]
    pub class: Option<String>,
    /// Also students who already have a CHSI code bound.
    #[arg(long)]
    pub all: bool,
    /// The PDF to write.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

/// `tucai export`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportArgs {
    /// Re-check a batch.
    #[command(subcommand)]
    pub command: Option<ExportCommand>,
    /// Folder or drive to make the batch folder in.
    #[arg(long, value_name = "DIR", required = true)]
    pub to: Option<PathBuf>,
    /// Which photos: approved ones (default), or accepted ones too (before review).
    #[arg(long, value_enum, default_value = "approved")]
    pub status: ExportStatus,
    /// Put the photos into zip archives of at most N photos each.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub zip_max_files: Option<u64>,
    /// Put the photos into zip archives of at most M megabytes (10^6 bytes) each.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u64).range(1..))]
    pub zip_max_mb: Option<u64>,
    /// One zip archive of all photos (no limits).
    #[arg(long)]
    pub zip: bool,
    /// Encrypt the batch (AES-256 zip archives; the students' manifest encrypted inside
    /// `manifest.zip`, a manifest without them beside): for FAT USB drives, which have no
    /// permissions. The password is typed twice, or read from --password-file.
    #[arg(long)]
    pub encrypt: bool,
    /// With --encrypt: the password on the first line of this file (chmod 600; never on the command line).
    #[arg(long, value_name = "FILE", requires = "encrypt")]
    pub password_file: Option<PathBuf>,
    /// Profile whose photos (and file naming rule) to export.
    #[arg(long, short, default_value = crate::profile::DEFAULT_PROFILE)]
    pub profile: String,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `tucai export verify`
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Read a batch back and compare every photo with its manifest.
    Verify {
        /// The batch folder (with manifest.json).
        dir: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// An encrypted batch's password, on the first line of this file (chmod 600); typed when not given.
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
}

/// Which photos an export takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportStatus {
    /// Approved by a reviewer.
    Approved,
    /// Accepted at the booth or approved.
    Accepted,
}

/// The language a value parser speaks: clap reads `--lang` in the same pass, so the saved
/// setting or the locale decides here.
fn edge_lang() -> Lang {
    Lang::resolve(None, crate::station::StationSettings::saved_lang())
}

/// Parses `YYYY-MM-DD` into a day that exists on the calendar (no 2026-02-30).
fn parse_date(text: &str) -> Result<String, String> {
    let shaped = text.len() == 10
        && text.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(_) if shaped => Ok(text.to_owned()),
        _ => Err(crate::i18n::Say::say(&crate::cli::CliError::NotADate(text.to_owned()), edge_lang())),
    }
}

/// Parses `--camera` once, at the edge.
fn parse_camera(text: &str) -> Result<crate::camera::CameraSpec, String> {
    crate::camera::CameraSpec::parse(text).map_err(|e| crate::i18n::Say::say(&e, edge_lang()))
}

/// `tucai operator`
#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Add an account; its PIN (at least 6 digits) is read from TUCAI_NEW_PIN, else typed twice.
    /// The first account must be an admin.
    Add {
        /// Account name.
        name: String,
        /// Role.
        #[arg(long, value_enum)]
        role: crate::store::Role,
    },
    /// Change your own PIN, or (admins) another account's; the new PIN as for `add`.
    Passwd {
        /// The account (default: the one logged in with --operator).
        name: Option<String>,
    },
    /// Disable an account: it can no longer log in (admins; its history stays).
    Disable {
        /// The account.
        name: String,
    },
}

/// `tucai roster`
#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Import (or update) students from a CSV (UTF-8 or GBK) or XLSX file.
    Import {
        /// The roster file.
        file: PathBuf,
    },
}

/// `tucai code`
#[derive(Debug, Subcommand)]
pub enum CodeCommand {
    /// Read the code in an image and say whom it resolves to.
    Decode {
        /// A photo or camera frame with a QR code or barcode.
        image: PathBuf,
        /// Profile whose code rule applies.
        #[arg(long, short, default_value = crate::profile::DEFAULT_PROFILE)]
        profile: String,
    },
    /// Interpret scanner text (a keyboard-wedge scanner types the payload).
    Scan {
        /// The scanned text.
        text: String,
        /// Profile whose code rule applies.
        #[arg(long, short, default_value = crate::profile::DEFAULT_PROFILE)]
        profile: String,
    },
    /// Bind a CHSI code to a student, confirmed with the last 4 digits of their ID number.
    Bind {
        /// The code as scanned.
        code: String,
        /// Student number or name.
        #[arg(long)]
        student: String,
        /// Last four characters of the ID number.
        #[arg(long, value_name = "XXXX")]
        id_last4: String,
    },
}

/// Which student.
#[derive(Debug, Args)]
pub struct StudentArgs {
    /// Student number (学号).
    #[arg(long)]
    pub student: String,
    /// A specific capture id (accept only).
    #[arg(long)]
    pub capture: Option<String>,
}

/// `tucai capture`
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Student number (学号).
    #[arg(long)]
    pub student: String,
    /// The photo (camera frame or file); several `--photo`s are one shot's burst, of which
    /// the best frame is kept (eyes open, mouth closed, sharp, level).
    #[arg(long, required = true)]
    pub photo: Vec<PathBuf>,
    /// Profile id or path.
    #[arg(long, short, default_value = crate::profile::DEFAULT_PROFILE)]
    pub profile: String,
    /// Print the stored capture as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `tucai review`
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Approve or reject.
    #[arg(value_enum)]
    pub decision: crate::store::ReviewDecision,
    /// Student number.
    #[arg(long)]
    pub student: String,
    /// Why (required to reject; the student reads it).
    #[arg(long, default_value = "")]
    pub reason: String,
    /// Which of the student's photos (a capture id, see `tucai sync status`); default: the one
    /// that counts.
    #[arg(long, value_name = "ID")]
    pub capture: Option<String>,
}

/// `tucai report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Group the counts.
    #[arg(long, value_enum)]
    pub by: Option<crate::store::GroupBy>,
    /// List the students not photographed yet.
    #[arg(long)]
    pub missing: bool,
    /// List the students who must come back.
    #[arg(long)]
    pub recall: bool,
    /// CSV (UTF-8 with BOM) instead of a table.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Show whole ID numbers (admins only; masked otherwise).
    #[arg(long)]
    pub show_id: bool,
}

/// `tucai backup`
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write.
    #[arg(long, short)]
    pub output: PathBuf,
}

/// `tucai restore`
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file (written by `tucai backup`); without it, the data folder's own store.
    pub file: Option<PathBuf>,
}

/// `tucai check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Photos to check (JPEG; anything else fails the format check).
    #[arg(required = true, value_name = "PHOTO")]
    pub photos: Vec<PathBuf>,

    /// Profile id (see `tucai profiles`) or a path to a profile TOML file.
    #[arg(long, short, default_value = crate::profile::DEFAULT_PROFILE)]
    pub profile: String,

    /// Print one JSON report per photo (JSON Lines) instead of the checklist.
    #[arg(long)]
    pub json: bool,

    /// Also write DIR/STEM.regions.png: the photo with the regions the checks looked at.
    #[arg(long, value_name = "DIR")]
    pub regions: Option<PathBuf>,
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
    #[arg(long, short, default_value = crate::profile::DEFAULT_PROFILE)]
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

    /// The photos are one shot's burst: write one photo (named after the first) from the best
    /// frame (eyes open, mouth closed, sharp, level); the trail says which and why.
    #[arg(long)]
    pub burst: bool,

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

/// Clap's refusal of the command line as a typed [`CliError::Usage`], said in the operator's
/// language by the caller; `None` for help and version, which clap prints itself.
pub fn usage_error(e: &clap::Error) -> Option<crate::cli::CliError> {
    use crate::i18n::cli::Usage;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(" "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let usage = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return None;
        }
        ErrorKind::UnknownArgument => Usage::UnknownArgument(text(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => Usage::UnknownCommand(text(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingRequiredArgument => match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(v)) => Usage::Missing(v.clone()),
            _ => Usage::Missing(vec![text(ContextKind::InvalidArg)]),
        },
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => Usage::InvalidValue {
            arg: text(ContextKind::InvalidArg),
            value: text(ContextKind::InvalidValue),
            // Our own value parsers already speak the operator's language.
            why: std::error::Error::source(e).map(|why| why.to_string()),
            valid: match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) => v.clone(),
                _ => Vec::new(),
            },
        },
        ErrorKind::ArgumentConflict => {
            Usage::Conflict { arg: text(ContextKind::InvalidArg), with: text(ContextKind::PriorArg) }
        }
        _ => Usage::Other(e.kind().to_string()),
    };
    Some(crate::cli::CliError::Usage(usage))
}

/// The language asked for on a command line that did not parse (`--lang en` or `--lang=en`),
/// else the saved setting or the locale.
pub fn lang_of_args(args: &[String]) -> Lang {
    let flag = args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(i + 1).map(String::as_str),
        Some(v) => v.strip_prefix('='),
        None => None,
    });
    let flag = flag.and_then(|v| <Lang as clap::ValueEnum>::from_str(v, true).ok());
    flag.unwrap_or_else(edge_lang)
}
