//! The store's commands: operators, roster import, capture codes, captures, accept, review,
//! unlock, report, backup. Each opens the store in the data folder, says who is acting, and
//! prints what changed.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use super::Outcome;
use super::args::{
    BackupArgs, CaptureArgs, Cli, CodeCommand, OperatorCommand, ReportArgs, ReviewArgs, RosterCommand, StudentArgs,
};
use crate::code::{self, CodeMeaning};
use crate::imaging::{Pipeline, decode_photo};
use crate::profile::ProfileLibrary;
use crate::quality::{self, Evidence, Verdict};
use crate::store::{Actor, FailureKind, NewAttempt, Role, Store, Student, StudentStatus};

/// The data folder: `--data-dir`, else the user's data folder.
pub(super) fn data_dir(cli: &Cli) -> Result<PathBuf> {
    match &cli.data_dir {
        Some(d) => Ok(d.clone()),
        None => {
            dirs::data_dir().map(|d| d.join("tucai")).ok_or_else(|| anyhow!("no user data folder; pass --data-dir"))
        }
    }
}

fn open(cli: &Cli) -> Result<Store> {
    let dir = data_dir(cli)?;
    Ok(Store::open(&dir)?)
}

/// A PIN from `var`, else the first line of stdin.
fn pin(var: &str, what: &str) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    eprint!("{what}: ");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the PIN from stdin")?;
    Ok(line.trim().to_owned())
}

/// The operator acting, logged in with their PIN.
fn actor(cli: &Cli, store: &Store) -> Result<Actor> {
    if store.operator_count()? == 0 {
        bail!("no operator accounts yet: create the first admin with `tucai operator add NAME --role admin`");
    }
    let name = cli
        .operator
        .as_deref()
        .ok_or_else(|| anyhow!("say who is acting: --operator NAME (PIN from TUCAI_PIN or stdin)"))?;
    Ok(store.login(name, &pin("TUCAI_PIN", &format!("PIN for {name}"))?)?)
}

pub(super) fn operator(cli: &Cli, command: &OperatorCommand) -> Result<Outcome> {
    let mut store = open(cli)?;
    match command {
        OperatorCommand::Add { name, role } => {
            let by = if store.operator_count()? == 0 { None } else { Some(actor(cli, &store)?) };
            let new_pin = pin("TUCAI_NEW_PIN", &format!("new PIN for {name}"))?;
            let added = store.add_operator(by.as_ref(), name, *role, &new_pin)?;
            println!("added operator {} ({:?})", added.name, added.role);
        }
    }
    Ok(Outcome::AllOk)
}

pub(super) fn roster(cli: &Cli, command: &RosterCommand) -> Result<Outcome> {
    let RosterCommand::Import { file } = command;
    let mut store = open(cli)?;
    let actor = actor(cli, &store)?;
    let roster = crate::roster::read_roster(file)?;
    for p in &roster.problems {
        eprintln!("✗ {}:{}: {}", file.display(), p.line, p.problem);
    }
    let counts = store.import_students(&actor, &roster.records)?;
    println!(
        "{}: {} added, {} updated, {} unchanged, {} rows refused{}",
        file.display(),
        counts.added,
        counts.updated,
        counts.unchanged,
        roster.problems.len(),
        if roster.gbk_lines > 0 { format!(" ({} lines were GBK)", roster.gbk_lines) } else { String::new() }
    );
    Ok(if roster.problems.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}

pub(super) fn code(cli: &Cli, command: &CodeCommand, library: &ProfileLibrary) -> Result<Outcome> {
    let store = open(cli)?;
    let (payload, profile) = match command {
        CodeCommand::Decode { image, profile } => {
            let source = crate::imaging::load_photo(image)?;
            let found = code::single_code(&source.image).with_context(|| image.display().to_string())?;
            println!("read {}: {}", found.format, found.text);
            (found.text, profile)
        }
        CodeCommand::Scan { text, profile } => (text.clone(), profile),
        CodeCommand::Bind { code, student, id_last4 } => return bind(cli, store, code, student, id_last4),
    };
    let spec = library.resolve(profile)?;
    let meaning = code::interpret(&payload, &spec.codes)?;
    let show = |s: &Student| {
        let status = crate::store::status_name(s.status);
        let r = &s.record;
        println!("→ {} {} ({} {}), ID {}, {status}", r.student_no, r.name, r.college, r.class, s.id_number_for(false));
    };
    match meaning {
        CodeMeaning::Card { student_no, .. } => show(&store.student(&student_no)?),
        CodeMeaning::Chsi { code } => match store.student_for_code(&code)? {
            Some(s) => show(&s),
            None => println!(
                "→ a CHSI code not bound yet: find the student by number or name and confirm the last 4 ID digits \
                 (tucai code bind CODE --student … --id-last4 …)"
            ),
        },
    }
    Ok(Outcome::AllOk)
}

fn bind(cli: &Cli, mut store: Store, code: &str, who: &str, last4: &str) -> Result<Outcome> {
    let actor = actor(cli, &store)?;
    let student = find_student(&store, who)?;
    let id = student.record.id_number.clone().unwrap_or_default();
    if id.len() < 4 || !id.to_uppercase().ends_with(&last4.trim().to_uppercase()) {
        bail!(
            "the last 4 ID digits do not match {} ({}); ask the student again",
            student.record.name,
            student.record.student_no
        );
    }
    store.bind_code(&actor, code.trim(), "chsi", &student)?;
    println!("bound the CHSI code to {} {}", student.record.student_no, student.record.name);
    Ok(Outcome::AllOk)
}

/// A student by number, or by a name that only one student has.
fn find_student(store: &Store, who: &str) -> Result<Student> {
    if let Ok(s) = store.student(who) {
        return Ok(s);
    }
    let named = store.students_named(who)?;
    match named.len() {
        1 => Ok(named.into_iter().next().expect("this arm has exactly one")),
        0 => bail!("no student with number or name {who}"),
        n => bail!("{n} students are named {who}; use the student number"),
    }
}

pub(super) fn capture(cli: &Cli, args: &CaptureArgs, library: &ProfileLibrary) -> Result<Outcome> {
    let mut store = open(cli)?;
    let actor = actor(cli, &store)?;
    let spec = library.resolve(&args.profile)?;
    let student = store.student(&args.student)?;
    let original = std::fs::read(&args.photo).with_context(|| format!("cannot read {}", args.photo.display()))?;
    let mut pipeline = Pipeline::new().context("loading the face models")?;
    let made = decode_photo(&original)
        .map_err(|e| format!("{}: {e}", args.photo.display()))
        .and_then(|source| pipeline.standardize(&source, &spec).map_err(|e| e.to_string()));
    let (photo, trail, report, verdict, failure, error) = match &made {
        Ok(result) => {
            let report = quality::check(&Evidence::from_standardized(&mut pipeline, result)?, &spec);
            let verdict = report.verdict;
            let failure = (verdict == Verdict::Fail).then_some(FailureKind::Checks);
            (
                Some(result.jpeg.bytes.as_slice()),
                serde_json::to_string(&result.trail)?,
                Some(report),
                verdict,
                failure,
                None,
            )
        }
        Err(e) => (None, "[]".to_owned(), None, Verdict::Fail, Some(FailureKind::NoPhoto), Some(e.clone())),
    };
    let verdict_text = match (verdict, &error) {
        (_, Some(_)) => "error",
        (Verdict::Fail, _) => "fail",
        (Verdict::Warn, _) => "warn",
        _ => "pass",
    };
    let attempt = NewAttempt {
        student: &student,
        profile: &spec.id,
        original: &original,
        photo,
        trail_json: trail,
        report_json: serde_json::to_string(&report)?,
        verdict: verdict_text,
        failure,
        error: error.clone(),
    };
    let stored = store.record_attempt(&actor, &attempt, &spec.retake)?;
    if args.json {
        println!("{}", json!({ "capture": stored, "report": report, "error": error }));
    } else {
        println!(
            "stored {} (attempt {}, {verdict_text}) for {} {}",
            stored.id, stored.attempt_no, student.record.student_no, student.record.name
        );
        if let Some(r) = &report {
            print!("{}", super::check::checklist(&args.photo, r, cli.lang));
        }
        if let Some(e) = &error {
            println!("✗ {e}");
        }
    }
    Ok(if failure.is_some() { Outcome::SomeFailed } else { Outcome::AllOk })
}

/// The store, who is acting, and the student they act on.
fn acting_on(cli: &Cli, student_no: &str) -> Result<(Store, Actor, Student)> {
    let store = open(cli)?;
    let actor = actor(cli, &store)?;
    let student = store.student(student_no)?;
    Ok((store, actor, student))
}

pub(super) fn accept(cli: &Cli, args: &StudentArgs) -> Result<Outcome> {
    let (mut store, actor, student) = acting_on(cli, &args.student)?;
    let c = store.accept(&actor, &student, args.capture.as_deref())?;
    println!("accepted {} for {} {}", c.id, student.record.student_no, student.record.name);
    Ok(Outcome::AllOk)
}

pub(super) fn review(cli: &Cli, args: &ReviewArgs) -> Result<Outcome> {
    let (mut store, actor, student) = acting_on(cli, &args.student)?;
    store.review(&actor, &student, args.decision, &args.reason)?;
    println!("{:?}: {} {}", args.decision, student.record.student_no, student.record.name);
    Ok(Outcome::AllOk)
}

pub(super) fn unlock(cli: &Cli, args: &StudentArgs) -> Result<Outcome> {
    let (mut store, actor, student) = acting_on(cli, &args.student)?;
    store.override_retake(&actor, &student)?;
    println!("{} {} may be photographed again", student.record.student_no, student.record.name);
    Ok(Outcome::AllOk)
}

pub(super) fn report(cli: &Cli, args: &ReportArgs) -> Result<Outcome> {
    let store = open(cli)?;
    let show_full = if args.show_id {
        actor(cli, &store)?.require(Role::Admin, "showing whole ID numbers")?;
        true
    } else {
        false
    };
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
            println!("{}", serde_json::to_string_pretty(&rows)?);
        } else if args.csv {
            let mut out = String::from("\u{feff}college,class,total,waiting,draft,accepted,approved,to_recall\n");
            for r in &rows {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{}\n",
                    r.college, r.class, r.total, r.waiting, r.draft, r.accepted, r.approved, r.to_recall
                ));
            }
            print!("{out}");
        } else {
            println!(
                "{:<16} {:<12} {:>6} {:>7} {:>6} {:>8} {:>8} {:>9}",
                "college", "class", "total", "waiting", "draft", "accepted", "approved", "to recall"
            );
            for r in &rows {
                println!(
                    "{:<16} {:<12} {:>6} {:>7} {:>6} {:>8} {:>8} {:>9}",
                    r.college, r.class, r.total, r.waiting, r.draft, r.accepted, r.approved, r.to_recall
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
            println!("{}", serde_json::to_string_pretty(&items)?);
        } else {
            if args.csv {
                print!("\u{feff}");
            }
            println!("list,student_no,name,id_number,college,class,status,reason");
            for l in &lines {
                let s = &l.student;
                println!(
                    "{title},{},{},{},{},{},{},{}",
                    s.record.student_no,
                    s.record.name,
                    s.id_number_for(show_full),
                    s.record.college,
                    s.record.class,
                    crate::store::status_name(s.status),
                    l.reason
                );
            }
        }
    }
    Ok(Outcome::AllOk)
}

pub(super) fn backup(cli: &Cli, args: &BackupArgs) -> Result<Outcome> {
    let store = open(cli)?;
    store.backup(&args.output)?;
    println!("backed up {} → {}", store.path().display(), args.output.display());
    Ok(Outcome::AllOk)
}
