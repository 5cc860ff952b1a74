//! Operators: accounts with a PIN (argon2id hash, never the PIN itself) and a role. The first
//! account of a fresh store must be an admin and needs no login; after that only an admin adds
//! accounts.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::status::{StoredText, stored_as_text};
use super::{Refusal, Store, StoreError, audit};

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Photographs students.
    Operator,
    /// Also approves and rejects photos.
    Reviewer,
    /// Also manages accounts, unlocks students, sees ID numbers.
    Admin,
}

stored_as_text!(Role { Operator => "operator", Reviewer => "reviewer", Admin => "admin" });

/// Who is acting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Operator row id (none for the bootstrap of a fresh store).
    pub operator_id: Option<i64>,
    /// Account name, as written in the audit log.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Logged in with a PIN shorter than today's minimum: must change it before anything else.
    pub must_change_pin: bool,
}

/// Everything someone does with the store, each with the lowest role that may do it: **the
/// role table** (`Action::role`). The command line and the window both ask it before acting;
/// the store asks it again for the actions it guards itself. Documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Finding a student by code, number or name, binding a CHSI code.
    Identify,
    /// Shooting or importing a student's photo.
    Capture,
    /// Accepting a passing draft as the student's photo.
    Accept,
    /// Counting students per status (no names).
    Count,
    /// Changing one's own PIN.
    ChangeOwnPin,
    /// Approving or rejecting photos.
    Review,
    /// Lifting a retake cool-down or lock.
    Unlock,
    /// Listing students by name (who is missing, who must come back, the roster screen).
    ListStudents,
    /// Printing photo sheets and capture cards.
    Print,
    /// Exporting a batch for the upload.
    Export,
    /// Working on the whole collection from the central server (office mode).
    Office,
    /// Importing or updating the roster.
    ImportRoster,
    /// Adding, disabling accounts and setting others' PINs.
    ManageAccounts,
    /// Copying the whole store to a file.
    Backup,
    /// Putting a backup back (or giving a copied data folder its own identity).
    Restore,
    /// Reading the whole store for damage now (`tucai check-store`).
    CheckStore,
    /// Syncing with the central server, seeing what waits for it.
    Sync,
    /// Creating or upgrading the central server's schema.
    CentralInit,
    /// Removing uploaded students' photos and ID numbers.
    Purge,
    /// Choosing the data folder.
    ChangeDataFolder,
    /// Showing whole ID numbers.
    ShowIdNumbers,
    /// Closing the kiosk-mode window, or switching kiosk mode on or off.
    LeaveKiosk,
}

impl Action {
    /// Every action, in the order of the README's table.
    pub const ALL: [Action; 22] = [
        Action::Identify,
        Action::Capture,
        Action::Accept,
        Action::Count,
        Action::ChangeOwnPin,
        Action::Review,
        Action::Unlock,
        Action::ListStudents,
        Action::Print,
        Action::Export,
        Action::Office,
        Action::ImportRoster,
        Action::ManageAccounts,
        Action::Backup,
        Action::Restore,
        Action::CheckStore,
        Action::Sync,
        Action::CentralInit,
        Action::Purge,
        Action::ChangeDataFolder,
        Action::ShowIdNumbers,
        Action::LeaveKiosk,
    ];

    /// The lowest role that may do it.
    pub fn role(self) -> Role {
        match self {
            Action::Identify | Action::Capture | Action::Accept | Action::Count | Action::ChangeOwnPin => {
                Role::Operator
            }
            Action::Review
            | Action::Unlock
            | Action::ListStudents
            | Action::Print
            | Action::Export
            | Action::Office => Role::Reviewer,
            Action::ImportRoster
            | Action::ManageAccounts
            | Action::Backup
            | Action::Restore
            | Action::CheckStore
            | Action::Sync
            | Action::CentralInit
            | Action::Purge
            | Action::ChangeDataFolder
            | Action::ShowIdNumbers
            | Action::LeaveKiosk => Role::Admin,
        }
    }
}

impl Actor {
    /// Refuses unless the actor's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), StoreError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(Refusal::RoleNeeded { name: self.name.clone(), has: self.role, action }.into())
        }
    }

    /// Whether the actor's role allows `action`.
    pub fn may(&self, action: Action) -> bool {
        self.role >= action.role()
    }
}

/// The shortest PIN a new account or a PIN change accepts.
pub const MIN_PIN_DIGITS: usize = 6;
/// Wrong PINs in a row that lock a name.
pub const FAILURES_TO_LOCK: i64 = 5;
/// The first lockout; each further one doubles it.
pub const FIRST_LOCKOUT_SECONDS: i64 = 5 * 60;

/// Where a login was tried, as the audit row says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginVia {
    /// The command line.
    Cli,
    /// The station window.
    Window,
    /// The PIN asked before a kiosk-mode window closes.
    Kiosk,
}

impl LoginVia {
    fn as_text(self) -> &'static str {
        match self {
            LoginVia::Cli => "cli",
            LoginVia::Window => "window",
            LoginVia::Kiosk => "kiosk",
        }
    }
}

/// Refuses a PIN that is too short or not all digits.
fn check_new_pin(pin: &str) -> Result<(), StoreError> {
    if pin.len() < MIN_PIN_DIGITS || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(Refusal::PinTooShort { min_digits: MIN_PIN_DIGITS }.into());
    }
    Ok(())
}

fn hash_pin(pin: &str) -> Result<String, StoreError> {
    Ok(Argon2::default().hash_password(pin.as_bytes()).map_err(|_| StoreError::from(Refusal::PinHash))?.to_string())
}

/// Whether `pin` matches the stored `hash` (a hash that does not parse matches nothing).
fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok())
}

/// A hash no PIN matches in practice, checked against for unknown names so that they take
/// as long to refuse as a wrong PIN does.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_pin("tucai-decoy-pin-never-typed").unwrap_or_default())
}

impl Store {
    /// How many accounts exist.
    pub fn operator_count(&self) -> Result<i64, StoreError> {
        self.conn.query_row("SELECT COUNT(*) FROM operators", [], |r| r.get(0)).map_err(self.sql())
    }

    /// Adds an account. `by` must be an admin, except for the first account, which must be
    /// an admin itself.
    pub fn add_operator(&mut self, by: Option<&Actor>, name: &str, role: Role, pin: &str) -> Result<Actor, StoreError> {
        let first = self.operator_count()? == 0;
        match (first, by) {
            (true, _) if role != Role::Admin => {
                return Err(Refusal::FirstAccountAdmin.into());
            }
            (false, None) => {
                return Err(Refusal::AddAccountNeedsLogin.into());
            }
            (false, Some(a)) => a.require(Action::ManageAccounts)?,
            _ => {}
        }
        if name.trim().is_empty() {
            return Err(Refusal::AccountNameEmpty.into());
        }
        check_new_pin(pin)?;
        let hash = hash_pin(pin)?;
        let now = self.now();
        let actor_name = by.map_or_else(|| name.to_owned(), |a| a.name.clone());
        let tx = self.conn.transaction().map_err(|source| StoreError::Sql { path: self.path.clone(), source })?;
        let result = (|| {
            tx.execute(
                "INSERT INTO operators (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, role, hash, super::timestamp(now)],
            )?;
            let id = tx.last_insert_rowid();
            let by =
                by.cloned().unwrap_or(Actor { operator_id: Some(id), name: actor_name, role, must_change_pin: false });
            audit(&tx, now, &by, "add_operator", "operator", name, None, Some(&serde_json::json!({ "role": role })))?;
            tx.commit()?;
            Ok(id)
        })();
        let id = result.map_err(|source| match source {
            rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                Refusal::AccountExists { name: name.to_owned() }.into()
            }
            source => StoreError::Sql { path: self.path.clone(), source },
        })?;
        Ok(Actor { operator_id: Some(id), name: name.to_owned(), role, must_change_pin: false })
    }

    /// Checks a name and PIN. A wrong PIN and an unknown name are refused alike, in the same
    /// time, and audited with the name tried; the fifth in a row locks the name for
    /// [`FIRST_LOCKOUT_SECONDS`], doubled for each further lockout, and a locked name is refused
    /// without its PIN being looked at. A PIN shorter than today's minimum logs in, and the
    /// account must change it before doing anything else.
    pub fn login(&mut self, name: &str, pin: &str, via: LoginVia) -> Result<Actor, StoreError> {
        let now = self.now();
        let locked_until: Option<i64> = self
            .conn
            .query_row("SELECT locked_until FROM login_failures WHERE name = ?1", params![name], |r| r.get(0))
            .optional()
            .map_err(self.sql())?
            .flatten();
        if let Some(until) = locked_until.filter(|until| *until > now) {
            self.write(|tx, now| {
                let after = serde_json::json!({ "via": via.as_text(), "locked_until": until });
                audit(tx, now, &Actor::nobody(name), "login_refused_locked", "login", name, None, Some(&after))
            })?;
            return Err(Refusal::LockedOut { name: name.to_owned(), until }.into());
        }
        let row: Option<(i64, String, String, bool)> = self
            .conn
            .query_row("SELECT id, role, pin_hash, disabled FROM operators WHERE name = ?1", params![name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .map_err(self.sql())?;
        let hash = row.as_ref().map_or_else(|| decoy_hash().to_owned(), |(_, _, hash, _)| hash.clone());
        let matches = pin_matches(pin, &hash);
        let account =
            row.filter(|_| matches).and_then(|(id, role, _, disabled)| Some((id, Role::from_text(&role)?, disabled)));
        let Some((id, role, disabled)) = account else {
            let until = self.count_failure(name, via)?;
            return Err(match until {
                Some(until) => Refusal::LockedOut { name: name.to_owned(), until },
                None => Refusal::WrongPin { name: name.to_owned() },
            }
            .into());
        };
        if disabled {
            return Err(Refusal::AccountDisabled { name: name.to_owned() }.into());
        }
        let must_change_pin = check_new_pin(pin).is_err();
        self.write(|tx, _| tx.execute("DELETE FROM login_failures WHERE name = ?1", params![name]))?;
        Ok(Actor { operator_id: Some(id), name: name.to_owned(), role, must_change_pin })
    }

    /// Lets a kiosk-mode window close: `name` and `pin` must be an admin's (wrong PINs count
    /// towards the lockout as at login); audited.
    pub fn leave_kiosk(&mut self, name: &str, pin: &str) -> Result<Actor, StoreError> {
        let actor = self.login(name, pin, LoginVia::Kiosk)?;
        actor.require(Action::LeaveKiosk)?;
        self.write(|tx, now| audit(tx, now, &actor, "kiosk_left", "station", "kiosk", None, None))?;
        Ok(actor)
    }

    /// Counts a failed login of `name` and audits it; the time it is locked until, if this
    /// failure locked it.
    fn count_failure(&mut self, name: &str, via: LoginVia) -> Result<Option<i64>, StoreError> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO login_failures (name, failures) VALUES (?1, 1)
                 ON CONFLICT (name) DO UPDATE SET failures = failures + 1",
                params![name],
            )?;
            let (failures, lockouts): (i64, i64) = tx.query_row(
                "SELECT failures, lockouts FROM login_failures WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let until = (failures >= FAILURES_TO_LOCK).then(|| now + (FIRST_LOCKOUT_SECONDS << lockouts.min(16)));
            if let Some(until) = until {
                tx.execute(
                    "UPDATE login_failures SET failures = 0, lockouts = lockouts + 1, locked_until = ?2 WHERE name = ?1",
                    params![name, until],
                )?;
            }
            let after = serde_json::json!({ "via": via.as_text(), "failures": failures, "locked_until": until });
            audit(tx, now, &Actor::nobody(name), "login_failed", "login", name, None, Some(&after))?;
            Ok(until)
        })
    }

    /// Sets the PIN of account `name`: one's own (any role), or anyone's by an admin.
    pub fn change_pin(&mut self, by: &Actor, name: &str, new_pin: &str) -> Result<(), StoreError> {
        by.require(if by.name == name { Action::ChangeOwnPin } else { Action::ManageAccounts })?;
        check_new_pin(new_pin)?;
        let hash = hash_pin(new_pin)?;
        self.change_account(by, name, "change_pin", |tx| {
            tx.execute("UPDATE operators SET pin_hash = ?2 WHERE name = ?1", params![name, hash])
        })
    }

    /// Disables account `name` (admins; not one's own): it can no longer log in.
    pub fn disable_operator(&mut self, by: &Actor, name: &str) -> Result<(), StoreError> {
        by.require(Action::ManageAccounts)?;
        if by.name == name {
            return Err(Refusal::DisableSelf.into());
        }
        self.change_account(by, name, "disable_operator", |tx| {
            tx.execute("UPDATE operators SET disabled = 1 WHERE name = ?1 AND disabled = 0", params![name])
        })
    }

    /// Runs `update` on account `name` and audits it as `action`; no row changed: no such account.
    fn change_account(
        &mut self,
        by: &Actor,
        name: &str,
        action: &str,
        update: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> Result<(), StoreError> {
        let changed = self.write(|tx, now| {
            let n = update(tx)?;
            if n > 0 {
                audit(tx, now, by, action, "operator", name, None, None)?;
            }
            Ok(n)
        })?;
        if changed == 0 {
            return Err(Refusal::NoSuchAccount { name: name.to_owned() }.into());
        }
        Ok(())
    }
}

impl Actor {
    /// The name a failed login tried, as the audit row's actor.
    fn nobody(name: &str) -> Actor {
        Actor { operator_id: None, name: name.to_owned(), role: Role::Operator, must_change_pin: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_table_names_every_action_once_and_roles_only_add() {
        for a in Action::ALL {
            // An exhaustive match: a new action does not compile until it is listed in ALL too.
            match a {
                Action::Identify
                | Action::Capture
                | Action::Accept
                | Action::Count
                | Action::ChangeOwnPin
                | Action::Review
                | Action::Unlock
                | Action::ListStudents
                | Action::Print
                | Action::Export
                | Action::Office
                | Action::ImportRoster
                | Action::ManageAccounts
                | Action::Backup
                | Action::Restore
                | Action::CheckStore
                | Action::Sync
                | Action::CentralInit
                | Action::Purge
                | Action::ChangeDataFolder
                | Action::ShowIdNumbers
                | Action::LeaveKiosk => {}
            }
            assert_eq!(Action::ALL.iter().filter(|b| **b == a).count(), 1, "{a:?}");
            let actor = |role| Actor { operator_id: None, name: "x".into(), role, must_change_pin: false };
            let allowed: Vec<bool> = [Role::Operator, Role::Reviewer, Role::Admin].map(|r| actor(r).may(a)).to_vec();
            assert!(allowed.windows(2).all(|w| w[0] <= w[1]), "a higher role may do what a lower one may: {a:?}");
            assert!(allowed[2], "an admin may do everything: {a:?}");
        }
    }
}
