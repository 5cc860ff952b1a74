//! The store's commands: operators, roster import, capture codes, captures, accept, review,
//! unlock, report, backup. Each opens the store in the data folder, says who is acting, and
//! prints what changed.

use std::path::PathBuf;

use serde_json::json;

use super::access::{acting, secret};
use super::args::{
    BackupArgs, CaptureArgs, Cli, CodeCommand, OperatorCommand, PurgeArgs, ReportArgs, RestoreArgs, ReviewArgs,
    RosterCommand, StudentArgs,
};
use super::{CliError, Outcome, Result};
use crate::code;
use crate::i18n::Say;
use crate::i18n::cli::{Notice, report_columns};
use crate::imaging::{Pipeline, decode_photo};
use crate::profile::ProfileLibrary;
use crate::station::{self, Identity, ShotOutcome};
use crate::store::{Actor, Store, Student, StudentStatus};

/// The data folder: `--data-dir`, else the user's data folder.
pub(super) fn data_dir(cli: &Cli) -> Result<PathBuf> {
    match &cli.data_dir {
        Some(d) => Ok(d.clone()),
        None => crate::store::default_dir().ok_or(CliError::NoDataDir),
    }
}

pub(super) fn open(cli: &Cli) -> Result<Store> {
    let dir = data_dir(cli)?;
    let store = Store::open(&dir)?;
    if let Some(renamed) = store.renamed_at_open() {
        errln!("tucai: {}", Notice::RenamedAtOpen(renamed).say(cli.lang()));
    }
    Ok(store)
}

pub(super) fn operator(cli: &Cli, command: &OperatorCommand, by: Option<&Actor>) -> Result<Outcome> {
    let mut store = open(cli)?;
    let lang = cli.lang();
    match command {
        OperatorCommand::Add { name, role } => {
            let new_pin = new_pin(name, cli)?;
            let added = store.add_operator(by, name, *role, &new_pin)?;
            outln!("{}", Notice::OperatorAdded(&added.name, added.role).say(lang));
        }
        OperatorCommand::Passwd { name } => {
            let by = acting(by)?;
            let name = name.as_deref().unwrap_or(&by.name);
            let new_pin = new_pin(name, cli)?;
            store.change_pin(by, name, &new_pin)?;
            outln!("{}", Notice::PinChanged(name).say(lang));
        }
        OperatorCommand::Disable { name } => {
            store.disable_operator(acting(by)?, name)?;
            outln!("{}", Notice::OperatorDisabled(name).say(lang));
        }
    }
    Ok(Outcome::AllOk)
}

/// A new PIN for `name`: from `TUCAI_NEW_PIN`, else typed twice at the terminal, else a line
/// of stdin.
fn new_pin(name: &str, cli: &Cli) -> Result<String> {
    let pin = secret("TUCAI_NEW_PIN", &Notice::NewPinPrompt(name), cli)?;
    if std::env::var_os("TUCAI_NEW_PIN").is_none() && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let again = secret("TUCAI_NEW_PIN", &Notice::NewPinAgain(name), cli)?;
        if again != pin {
            return Err(CliError::PinsDiffer);
        }
    }
    Ok(pin)
}

pub(super) fn roster(cli: &Cli, command: &RosterCommand, actor: &Actor) -> Result<Outcome> {
    let RosterCommand::Import { file } = command;
    let mut store = open(cli)?;
    let roster = crate::roster::read_roster(file)?;
    for p in &roster.problems {
        errln!("{}", Notice::RosterRow(file, p).say(cli.lang()));
    }
    let counts = store.import_students(actor, &roster.records)?;
    let kept = roster.kept_lines(&counts);
    for p in &kept {
        errln!("{}", Notice::RosterRow(file, p).say(cli.lang()));
    }
    let refused = roster.problems.len() + kept.len();
    let imported = Notice::RosterImported { file, counts: &counts, refused, gbk_lines: roster.gbk_lines };
    outln!("{}", imported.say(cli.lang()));
    Ok(if roster.problems.is_empty() && kept.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}

pub(super) fn code(cli: &Cli, command: &CodeCommand, library: &ProfileLibrary, actor: &Actor) -> Result<Outcome> {
    let store = open(cli)?;
    let (payload, profile) = match command {
        CodeCommand::Decode { image, profile } => {
            let source = crate::imaging::load_photo(image)?;
            let found =
                code::single_code(&source.image).map_err(|error| CliError::CodeIn { path: image.clone(), error })?;
            outln!("{}", Notice::CodeRead(&found.format, &found.text).say(cli.lang()));
            (found.text, profile)
        }
        CodeCommand::Scan { text, profile } => (text.clone(), profile),
        CodeCommand::Bind { code, student, id_last4 } => return bind(cli, store, actor, code, student, id_last4),
    };
    let spec = library.resolve(profile)?;
    match station::identify(&store, &payload, &spec.codes)? {
        Identity::Student(s) => outln!("{}", Notice::StudentFound(&s).say(cli.lang())),
        Identity::Unbound { .. } => outln!("{}", Notice::CodeUnbound.say(cli.lang())),
    }
    Ok(Outcome::AllOk)
}

fn bind(cli: &Cli, mut store: Store, actor: &Actor, code: &str, who: &str, last4: &str) -> Result<Outcome> {
    let student = store.bind_chsi_code(actor, code, who, last4)?;
    outln!("{}", Notice::CodeBound(&student).say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn capture(cli: &Cli, args: &CaptureArgs, library: &ProfileLibrary, actor: &Actor) -> Result<Outcome> {
    let mut store = open(cli)?;
    let spec = library.resolve(&args.profile)?;
    let student = store.student(&args.student)?;
    let originals: Vec<Vec<u8>> =
        args.photo.iter().map(|p| crate::imaging::read_photo_file(p).map_err(CliError::Load)).collect::<Result<_>>()?;
    let burst = args
        .photo
        .iter()
        .zip(&originals)
        .map(|(path, bytes)| decode_photo(bytes).map_err(|problem| CliError::Decode { path: path.clone(), problem }))
        .collect::<Result<Vec<_>>>()?;
    let result =
        Pipeline::while_loading_matting(|| station::standardize_and_check(&mut Pipeline::new(), &burst, &spec));
    // The original stored is the frame the photo was made from.
    let chosen = result.as_ref().map_or(0, |c| c.chosen_frame);
    let photo_path = &args.photo[chosen];
    let outcome = ShotOutcome::of(&result);
    let attempt = outcome.attempt(&student, &spec.id, &originals[chosen]);
    let stored = store.record_attempt(actor, &attempt, &spec.retake)?;
    let (report, error, lang) = (&outcome.report, &outcome.error, cli.lang());
    if args.json {
        let error = error.clone().map(|e| CliError::Photo { path: photo_path.clone(), error: e }.json(lang));
        outln!("{}", json!({ "capture": stored, "report": report, "error": error }));
    } else {
        let verdict = report.as_ref().map(|r| r.verdict);
        let notice =
            Notice::CaptureStored { id: &stored.id, attempt_no: stored.attempt_no, verdict, student: &student };
        outln!("{}", notice.say(lang));
        if let Some(r) = &report {
            out!("{}", crate::i18n::cli::checklist(photo_path, r, lang));
        }
        if let Some(e) = &error {
            outln!("✗ {}", e.say(lang));
        }
    }
    Ok(if outcome.failure().is_some() { Outcome::SomeFailed } else { Outcome::AllOk })
}

/// The store and the student acted on.
fn acting_on(cli: &Cli, student_no: &str) -> Result<(Store, Student)> {
    let store = open(cli)?;
    let student = store.student(student_no)?;
    Ok((store, student))
}

pub(super) fn accept(cli: &Cli, args: &StudentArgs, actor: &Actor) -> Result<Outcome> {
    let (mut store, student) = acting_on(cli, &args.student)?;
    let c = store.accept(actor, &student, args.capture.as_deref())?;
    outln!("{}", Notice::Accepted(&c.id, &student).say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn review(cli: &Cli, args: &ReviewArgs, actor: &Actor) -> Result<Outcome> {
    let (mut store, student) = acting_on(cli, &args.student)?;
    store.review_capture(actor, &student, args.capture.as_deref(), args.decision, &args.reason)?;
    outln!("{}", Notice::Reviewed(args.decision, &student).say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn unlock(cli: &Cli, args: &StudentArgs, actor: &Actor) -> Result<Outcome> {
    let (mut store, student) = acting_on(cli, &args.student)?;
    store.override_retake(actor, &student)?;
    outln!("{}", Notice::Unlocked(&student).say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn report(cli: &Cli, args: &ReportArgs) -> Result<Outcome> {
    let store = open(cli)?;
    // The gate let `--show-id` through only for a role that may see whole ID numbers.
    let show_full = args.show_id;
    let lists: Vec<(&str, Vec<StudentStatus>)> = [
        (args.missing, ("missing", vec![StudentStatus::Waiting, StudentStatus::Draft])),
        (args.recall, ("to_recall", vec![StudentStatus::ToRecall])),
    ]
    .into_iter()
    .filter_map(|(on, l)| on.then_some(l))
    .collect();
    if lists.is_empty() {
        let rows = store.report(args.by)?;
        if args.json {
            outln!("{}", serde_json::to_string_pretty(&rows)?);
        } else if args.csv {
            let header = ["college", "class", "total", "waiting", "draft", "accepted", "approved", "to_recall"];
            let lines = rows.iter().map(|r| {
                let counts = [r.total, r.waiting, r.draft, r.accepted, r.approved, r.to_recall].map(|n| n.to_string());
                [vec![r.college.clone(), r.class.clone()], counts.to_vec()].concat()
            });
            out!("\u{feff}{}", crate::export::csv_text(&header, lines)?);
        } else {
            let [c0, c1, c2, c3, c4, c5, c6, c7] = report_columns(cli.lang());
            outln!("{c0:<16} {c1:<12} {c2:>6} {c3:>7} {c4:>6} {c5:>8} {c6:>8} {c7:>9}");
            for r in &rows {
                outln!(
                    "{:<16} {:<12} {:>6} {:>7} {:>6} {:>8} {:>8} {:>9}",
                    r.college,
                    r.class,
                    r.total,
                    r.waiting,
                    r.draft,
                    r.accepted,
                    r.approved,
                    r.to_recall
                );
            }
        }
        return Ok(Outcome::AllOk);
    }
    for (title, statuses) in lists {
        let lines = store.students_in(&statuses)?;
        if args.json {
            let items: Vec<_> = lines
                .iter()
                .map(|l| {
                    json!({ "list": title, "student_no": l.student.record.student_no, "name": l.student.record.name,
                    "id_number": l.student.id_number_for(show_full), "college": l.student.record.college,
                    "class": l.student.record.class, "status": l.student.status, "reason": l.reason })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items)?);
        } else {
            if args.csv {
                out!("\u{feff}");
            }
            let header = ["list", "student_no", "name", "id_number", "college", "class", "status", "reason"];
            let rows = lines.iter().map(|l| {
                let s = &l.student;
                vec![
                    title.to_owned(),
                    s.record.student_no.clone(),
                    s.record.name.clone(),
                    s.id_number_for(show_full),
                    s.record.college.clone(),
                    s.record.class.clone(),
                    crate::store::status_name(s.status),
                    l.reason.clone(),
                ]
            });
            out!("{}", crate::export::csv_text(&header, rows)?);
        }
    }
    Ok(Outcome::AllOk)
}

pub(super) fn backup(cli: &Cli, args: &BackupArgs) -> Result<Outcome> {
    let store = open(cli)?;
    store.backup(&args.output)?;
    outln!("{}", Notice::BackedUp(store.path(), &args.output).say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn restore(cli: &Cli, args: &RestoreArgs, actor: Option<&Actor>) -> Result<Outcome> {
    let dir = data_dir(cli)?;
    let restored = Store::restore(&dir, args.file.as_deref(), actor)?;
    outln!("{}", Notice::Restored(&restored).say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn check_store(cli: &Cli) -> Result<Outcome> {
    let store = open(cli)?;
    let checked = store.check_whole()?;
    outln!("{}", Notice::StoreChecked(store.path(), &checked).say(cli.lang()));
    Ok(Outcome::AllOk)
}

pub(super) fn purge(cli: &Cli, args: &PurgeArgs, actor: &Actor) -> Result<Outcome> {
    let mut store = open(cli)?;
    let purged = store.purge(actor, &args.exported_before, args.dry_run)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&purged)?);
    } else {
        outln!("{}", Notice::Purged(&purged, &args.exported_before).say(cli.lang()));
    }
    Ok(Outcome::AllOk)
}
