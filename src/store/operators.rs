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
}

/// An action that needs a role: the role table (one row per action, `Action::role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Approving or rejecting photos.
    Review,
    /// Lifting a retake cool-down or lock.
    Unlock,
    /// Adding accounts.
    AddAccounts,
    /// Showing whole ID numbers.
    ShowIdNumbers,
}

impl Action {
    /// The lowest role that may do it.
    pub fn role(self) -> Role {
        match self {
            Action::Review | Action::Unlock => Role::Reviewer,
            Action::AddAccounts | Action::ShowIdNumbers => Role::Admin,
        }
    }
}

impl Actor {
    /// Refuses unless the actor's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), StoreError> {
        if self.role >= action.role() {
            Ok(())
        } else {
            Err(Refusal::RoleNeeded { name: self.name.clone(), has: self.role, action }.into())
        }
    }
}

const MIN_PIN_DIGITS: usize = 4;

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
            (false, Some(a)) => a.require(Action::AddAccounts)?,
            _ => {}
        }
        if name.trim().is_empty() {
            return Err(Refusal::AccountNameEmpty.into());
        }
        if pin.len() < MIN_PIN_DIGITS || !pin.chars().all(|c| c.is_ascii_digit()) {
            return Err(Refusal::PinTooShort { min_digits: MIN_PIN_DIGITS }.into());
        }
        let hash = Argon2::default()
            .hash_password(pin.as_bytes())
            .map_err(|_| StoreError::from(Refusal::PinHash))?
            .to_string();
        let now = self.now();
        let actor_name = by.map_or_else(|| name.to_owned(), |a| a.name.clone());
        let tx = self.conn.transaction().map_err(|source| StoreError::Sql { path: self.path.clone(), source })?;
        let result = (|| {
            tx.execute(
                "INSERT INTO operators (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, role, hash, super::timestamp(now)],
            )?;
            let id = tx.last_insert_rowid();
            let by = by.cloned().unwrap_or(Actor { operator_id: Some(id), name: actor_name, role });
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
        Ok(Actor { operator_id: Some(id), name: name.to_owned(), role })
    }

    /// Checks a name and PIN.
    pub fn login(&self, name: &str, pin: &str) -> Result<Actor, StoreError> {
        let row: Option<(i64, String, String)> = self
            .conn
            .query_row("SELECT id, role, pin_hash FROM operators WHERE name = ?1", params![name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .map_err(self.sql())?;
        let wrong = || StoreError::from(Refusal::WrongPin { name: name.to_owned() });
        let (id, role, hash) = row.ok_or_else(wrong)?;
        let parsed = PasswordHash::new(&hash).map_err(|_| wrong())?;
        Argon2::default().verify_password(pin.as_bytes(), &parsed).map_err(|_| wrong())?;
        let role = Role::from_text(&role).ok_or_else(wrong)?;
        Ok(Actor { operator_id: Some(id), name: name.to_owned(), role })
    }
}
