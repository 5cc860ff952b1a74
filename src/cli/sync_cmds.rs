//! `tucai sync`, `tucai sync status`, `tucai central init`, and office mode: `report`,
//! `review`, `print` and `export` with `--central URL` sync the whole collection (photos
//! included) into this computer's store first, run the very same command on it, and send
//! what it decided (reviews, prints, exports' audit) back after.

use anyhow::{Result, anyhow};

use super::Outcome;
use super::args::{CentralCommand, Cli, Command, SyncArgs, SyncCommand};
use super::outputs::Bar;
use super::store_cmds::open;
use crate::progress::Progress;
use crate::store::{Conflict, Store};
use crate::sync::{self, CLOCK_WARNING_S, CentralUrl, SyncOptions, SyncReport};

fn central_url(cli: &Cli) -> Result<CentralUrl> {
    let text = cli.central.as_deref().ok_or_else(|| {
        anyhow!("say which central server: --central postgres://user:password@host/database (or TUCAI_CENTRAL)")
    })?;
    Ok(CentralUrl::parse(text)?)
}

/// `tucai sync [status]`
pub(super) fn sync(cli: &Cli, args: &SyncArgs) -> Result<Outcome> {
    if let Some(SyncCommand::Status { json }) = &args.command {
        return status(cli, *json || args.json);
    }
    let url = central_url(cli)?;
    let mut store = open(cli)?;
    let progress = Progress::default();
    let report = {
        let _bar = Bar::show(&progress);
        sync::sync(&mut store, &url, &SyncOptions { batch_entries: args.batch, photos: args.photos }, &progress)?
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(Outcome::AllOk)
}

fn print_report(r: &SyncReport) {
    println!(
        "sent {} batches to {}: {} captures, {} photos, {} reviews, {} audit rows ({} entries, {:.1} MB)",
        r.batches,
        r.central,
        r.captures,
        r.photos_sent,
        r.reviews,
        r.audit,
        r.entries,
        r.bytes_sent as f64 / 1e6
    );
    let p = &r.pulled;
    println!(
        "received {} roster lines, {} captures from other booths, {} reviews, {} prints, {} photos; {} students' status changed",
        p.students, p.captures, p.reviews, p.prints, p.photos, p.statuses
    );
    if r.clock_skew_s.abs() > CLOCK_WARNING_S {
        println!(
            "warning: this computer's clock is {} the server's: its captures are dated by the server's clock centrally; \
             set the clock right",
            sync::describe_skew(r.clock_skew_s)
        );
    }
    if r.conflicts > 0 {
        println!(
            "{} students have photos from more than one booth (`tucai sync status` lists them and which one counts)",
            r.conflicts
        );
    }
    if r.pending.entries > 0 {
        println!("{} changes made during the sync wait for the next one", r.pending.entries);
    }
    println!("done in {:.1} s", r.seconds);
}

/// `tucai sync status`
fn status(cli: &Cli, json: bool) -> Result<Outcome> {
    let store = open(cli)?;
    let pending = store.pending()?;
    let last = store.last_sync()?;
    let conflicts = store.conflicts()?;
    let stations = match &cli.central {
        Some(_) => Some(sync::central_stations(&central_url(cli)?)?),
        None => None,
    };
    if json {
        let value = serde_json::json!({
            "station_id": store.station_id(),
            "pending": pending,
            "last_sync": last.as_ref().map(|(at, _)| at),
            "clock_skew_s": last.as_ref().map(|(_, s)| s),
            "conflicts": conflicts,
            "stations": stations,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(Outcome::AllOk);
    }
    println!("station {}", store.station_id());
    match &last {
        Some((at, skew)) => println!("last sync {at} (clock {} the server's)", sync::describe_skew(*skew)),
        None => println!("never synced"),
    }
    println!(
        "pending: {} changes ({} captures, {} reviews, {} audit rows, {} other)",
        pending.entries, pending.captures, pending.reviews, pending.audit, pending.other
    );
    println!("conflicts: {}", conflicts.len());
    for c in &conflicts {
        print_conflict(c);
    }
    for s in stations.iter().flatten() {
        println!(
            "server: booth {} — {} captures, {} reviews, {} audit rows, last batch {}, clock {}",
            s.station_id,
            s.captures,
            s.reviews,
            s.audit,
            if s.last_sync.is_empty() { "never" } else { &s.last_sync },
            sync::describe_skew(s.clock_skew_s)
        );
    }
    Ok(Outcome::AllOk)
}

fn print_conflict(c: &Conflict) {
    println!("  {} {}:", c.student.record.student_no, c.student.record.name);
    for (i, k) in c.candidates.iter().enumerate() {
        let mark = if i == c.counting { "counts" } else { "      " };
        let status = crate::store::status_text(&k.status);
        let approved = k.approved_at.as_deref().map(|a| format!(", approved {a}")).unwrap_or_default();
        println!("    {mark} {} at {}: {status}, taken {}{approved}", k.capture_id, k.station_id, k.taken_at);
    }
}

/// `tucai central init`
pub(super) fn central(cli: &Cli, command: &CentralCommand) -> Result<Outcome> {
    match command {
        CentralCommand::Init => {
            let url = central_url(cli)?;
            let (before, after) = sync::init_central(&url)?;
            if before == after {
                println!("central schema at {} is up to date (version {after})", url.shown());
            } else {
                println!("central schema at {} created or upgraded: version {before} → {after}", url.shown());
            }
            Ok(Outcome::AllOk)
        }
    }
}

/// The commands that work on the whole collection in office mode.
pub(super) fn is_office_command(command: &Command) -> bool {
    matches!(command, Command::Report(_) | Command::Review(_) | Command::Print(_) | Command::Export(_))
}

/// Office mode: sync the whole collection in (photos included), run the command here, send
/// back what it changed. If the server can't be reached the command runs on the copy from
/// the last sync, saying so, and its changes wait for the next sync.
pub(super) fn office(cli: &Cli, command: impl FnOnce() -> Outcome) -> Outcome {
    let result = (|| -> Result<Outcome> {
        let url = central_url(cli)?;
        let options = SyncOptions { photos: true, ..SyncOptions::default() };
        let mut store = open(cli)?;
        match office_sync(&mut store, &url, &options) {
            Ok(report) => eprintln!(
                "office copy synced with {}: {} captures from other booths, {} photos received",
                report.central, report.pulled.captures, report.pulled.photos
            ),
            Err(e) => match store.last_sync()? {
                Some((at, _)) => eprintln!("warning: {e:#}\nworking on the office copy from {at}"),
                None => return Err(e.context("office mode needs one sync with the central server first")),
            },
        }
        drop(store);
        let outcome = command();
        let mut store = open(cli)?;
        if store.pending()?.entries > 0
            && let Err(e) = office_sync(&mut store, &url, &options)
        {
            eprintln!("warning: {e:#}\nthe decisions are kept here and go with the next sync");
        }
        Ok(outcome)
    })();
    result.unwrap_or_else(|e| {
        eprintln!("tucai: {e:#}");
        Outcome::SetupError
    })
}

fn office_sync(store: &mut Store, url: &CentralUrl, options: &SyncOptions) -> Result<SyncReport> {
    let progress = Progress::default();
    let _bar = Bar::show(&progress);
    Ok(sync::sync(store, url, options, &progress)?)
}
