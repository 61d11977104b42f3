//! Changes to agencies: [`add`] stores a new agency or gives one on file a new name and label,
//! from the shell (`patrolboard agency add`), the administrators' page and the seed. Codes never
//! change and agencies are never removed, since officers' and teams' rows hold the code.

use sqlx::{PgConnection, PgPool};

use crate::db::agencies;
use crate::db::audit::{self, AuditEntry};
use crate::db::retry::{Transient, retrying};
use crate::domain::agency::Agency;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::UserId;

/// Why an agency was not stored.
#[derive(Debug, thiserror::Error)]
pub enum AgencyError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<serde_json::Error> for AgencyError {
    fn from(error: serde_json::Error) -> AgencyError {
        AgencyError::Internal(error.into())
    }
}

impl Transient for AgencyError {
    fn is_transient(&self) -> bool {
        match self {
            AgencyError::Db(e) => e.is_transient(),
            AgencyError::Internal(e) => e.is_transient(),
        }
    }
}

/// What [`add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The code was new: the agency is stored.
    Created,
    /// The code was on file: its name and label are now the ones given.
    Updated,
    /// The code was on file with this name and label already: nothing was written.
    Unchanged,
}

/// Stores `agency`, or gives the agency on file with its code its name and label, on behalf of
/// `author` (`None`: the system, e.g. the shell or the seed); with its audit entry.
pub async fn add(
    pool: &PgPool,
    author: Option<UserId>,
    agency: &Agency,
) -> Result<Outcome, AgencyError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let outcome = add_in(&mut tx, author, agency).await?;
        tx.commit().await?;
        Ok(outcome)
    })
    .await
}

/// [`add`] inside the caller's transaction.
pub async fn add_in(
    conn: &mut PgConnection,
    author: Option<UserId>,
    agency: &Agency,
) -> Result<Outcome, AgencyError> {
    let entry = |action| AuditEntry::new(author, action, AuditEntity::Agency, None);
    if let Some(created) = agencies::insert_new(&mut *conn, agency).await? {
        let entry = entry(AuditAction::Create).after(&created)?;
        audit::record(&mut *conn, &entry).await?;
        return Ok(Outcome::Created);
    }
    let before = agencies::lock(&mut *conn, &agency.code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("agency {} is neither new nor on file", agency.code))?;
    if before == *agency {
        return Ok(Outcome::Unchanged);
    }
    let after = agencies::update(&mut *conn, agency).await?;
    let entry = entry(AuditAction::Update).before(&before)?.after(&after)?;
    audit::record(&mut *conn, &entry).await?;
    Ok(Outcome::Updated)
}
