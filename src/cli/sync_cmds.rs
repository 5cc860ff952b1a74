//! `tucai sync`, `tucai sync status`, `tucai central init`, and office mode: `report`,
//! `review`, `print` and `export` with `--central URL` sync the whole collection (photos
//! included) into this computer's store first, run the very same command on it, and send
//! what it decided (reviews, prints, exports' audit) back after.

use super::args::{CentralCommand, Cli, Command, SyncArgs, SyncCommand};
use super::outputs::Bar;
use super::store_cmds::open;
use super::{CliError, Outcome, Result};
use crate::i18n::cli::Notice;
use crate::i18n::{Lang, Say};
use crate::progress::Progress;
use crate::store::Store;
use crate::sync::{self, CentralUrl, SyncOptions, SyncReport};

fn central_url(cli: &Cli) -> Result<CentralUrl> {
    let text = cli.central.as_deref().ok_or(CliError::NoCentral)?;
    Ok(CentralUrl::parse(text, &cli.central_access())?)
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
        let _bar = Bar::show(&progress, cli.lang());
        sync::sync(&mut store, &url, &SyncOptions { batch_entries: args.batch, photos: args.photos }, &progress)?
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!("{}", Notice::Synced(&report).say(cli.lang()));
    }
    Ok(Outcome::AllOk)
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
        outln!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(Outcome::AllOk);
    }
    let lang = cli.lang();
    let say = |n: Notice<'_>| outln!("{}", n.say(lang));
    say(Notice::Station(store.station_id()));
    say(Notice::LastSync(last.as_ref().map(|(at, skew)| (at.as_str(), *skew))));
    say(Notice::Pending(&pending));
    say(Notice::Conflicts(conflicts.len()));
    for c in &conflicts {
        say(Notice::ConflictOf(&c.student));
        for (i, k) in c.candidates.iter().enumerate() {
            say(Notice::ConflictCandidate(k, i == c.counting));
        }
    }
    for s in stations.iter().flatten() {
        say(Notice::ServerStation(s));
    }
    Ok(Outcome::AllOk)
}

/// `tucai central init`
pub(super) fn central(cli: &Cli, command: &CentralCommand) -> Result<Outcome> {
    match command {
        CentralCommand::Init => {
            let url = central_url(cli)?;
            let (before, after) = sync::init_central(&url)?;
            let notice = if before == after {
                Notice::SchemaCurrent(url.shown(), after)
            } else {
                Notice::SchemaUpgraded(url.shown(), before, after)
            };
            outln!("{}", notice.say(cli.lang()));
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
    let lang = cli.lang();
    let result = (|| -> Result<Outcome> {
        let url = central_url(cli)?;
        let options = SyncOptions { photos: true, ..SyncOptions::default() };
        let mut store = open(cli)?;
        match office_sync(&mut store, &url, &options, lang) {
            Ok(report) => errln!("{}", Notice::OfficeSynced(&report).say(lang)),
            Err(e) => match store.last_sync()? {
                Some((at, _)) => errln!("{}", Notice::OfficeOffline(&e, &at).say(lang)),
                None => return Err(CliError::OfficeNeedsSync(e)),
            },
        }
        drop(store);
        let outcome = command();
        let mut store = open(cli)?;
        if store.pending()?.entries > 0
            && let Err(e) = office_sync(&mut store, &url, &options, lang)
        {
            errln!("{}", Notice::OfficeDecisionsWait(&e).say(lang));
        }
        Ok(outcome)
    })();
    result.unwrap_or_else(|e| {
        errln!("tucai: {}", e.say(lang));
        Outcome::SetupError
    })
}

fn office_sync(
    store: &mut Store,
    url: &CentralUrl,
    options: &SyncOptions,
    lang: Lang,
) -> std::result::Result<SyncReport, sync::SyncError> {
    let progress = Progress::default();
    let _bar = Bar::show(&progress, lang);
    sync::sync(store, url, options, &progress)
}
