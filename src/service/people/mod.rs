//! Changes to officers, teams and assignments, one function each: adding an officer to a pilot
//! ([`add_to_pilot`], which finds the officer by agency and badge number or creates them, and
//! assigns them), editing an officer ([`update_officer`]), adding and editing a team
//! ([`create_team`], [`update_team`]), editing and ending an assignment ([`update_assignment`],
//! [`end_assignment`]), and the officers import ([`import_in`]).
//!
//! Locks follow the order of docs/architecture.md: officers (whose shifts the rules read) before
//! the rows of their assignments, then the pilot's coverage lock inside the refresh. A violated
//! named constraint comes back as the field it belongs beside ([`PeopleError::Invalid`]).

mod assignments;
mod import;
mod officers;
mod teams;

use crate::db::audit::{self, AuditEntry};
use crate::db::retry::Transient;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{PilotId, UserId};
use crate::domain::people_rules::constraint_errors;

pub use assignments::{assign_in, end_assignment, update_assignment};
pub use import::import_in;
pub use officers::{Added, add_to_pilot, update_officer};
pub use teams::{create_team, update_team};

/// Why a change to officers, teams or assignments did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    /// Fields that break a rule, each with its sentence; nothing was stored.
    #[error("the fields do not pass the rules")]
    Invalid(FieldErrors),
    #[error("no such officer, team or assignment in this pilot")]
    NotFound,
    #[error(transparent)]
    Db(sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for PeopleError {
    /// A violated named constraint is a problem with a field (two people saving at once, or a
    /// rule only the database checks); anything else is a failure.
    fn from(error: sqlx::Error) -> PeopleError {
        let refused = match &error {
            sqlx::Error::Database(e) => e.constraint().and_then(constraint_errors),
            _ => None,
        };
        refused.map_or(PeopleError::Db(error), PeopleError::Invalid)
    }
}

impl From<serde_json::Error> for PeopleError {
    fn from(error: serde_json::Error) -> PeopleError {
        PeopleError::Internal(error.into())
    }
}

impl Transient for PeopleError {
    fn is_transient(&self) -> bool {
        match self {
            PeopleError::Db(e) => e.is_transient(),
            PeopleError::Internal(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// Where a change comes from, which names its audit action: a form (create, update, end) or
/// the officers import (import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Form,
    Import,
}

impl Via {
    /// The audit action of a change that a form records as `form`.
    fn action(self, form: AuditAction) -> AuditAction {
        match self {
            Via::Form => form,
            Via::Import => AuditAction::Import,
        }
    }
}

/// One problem with `field`.
fn invalid(field: &'static str, sentence: impl Into<String>) -> PeopleError {
    let mut errors = FieldErrors::new();
    errors.add(field, sentence);
    PeopleError::Invalid(errors)
}

/// Records `action` on `entity` `id` of `pilot` by `author`, from `before` (none for a new row) to
/// `after`. An officer is no one pilot's (`None`): they may be assigned to several.
async fn record<T: serde::Serialize>(
    conn: &mut sqlx::PgConnection,
    author: Option<UserId>,
    action: AuditAction,
    (entity, id, pilot): (AuditEntity, i64, Option<PilotId>),
    before: Option<&T>,
    after: &T,
) -> Result<(), PeopleError> {
    let mut entry = AuditEntry::new(author, action, entity, Some(id));
    entry.pilot_id = pilot;
    let entry = match before {
        Some(before) => entry.before(before)?,
        None => entry,
    };
    audit::record(&mut *conn, &entry.after(after)?).await?;
    Ok(())
}
