//! Changes to accounts: creating one. Signing in, sessions and the login throttle's bookkeeping
//! are not changes a user makes; they stay in `db/`.

use sqlx::PgPool;

use crate::db::audit::{self, AuditEntry};
use crate::db::retry::{Transient, retrying};
use crate::db::users::{self, User};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::{Role, Username};

/// Why an account was not created.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the username {0} is already taken")]
    UsernameTaken(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Transient for AccountError {
    fn is_transient(&self) -> bool {
        match self {
            AccountError::Db(e) => e.is_transient(),
            AccountError::Internal(e) => e.is_transient(),
            AccountError::UsernameTaken(_) => false,
        }
    }
}

/// Creates an account with its audit entry, made by the system (the command line, the demo
/// accounts): there is no signed-in author.
pub async fn create(
    pool: &PgPool,
    username: &Username,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> Result<User, AccountError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let user = users::insert(&mut *tx, username, display_name, role, password_hash)
            .await
            .map_err(|e| {
                if users::is_username_taken(&e) {
                    AccountError::UsernameTaken(username.to_string())
                } else {
                    AccountError::Db(e)
                }
            })?;
        let entry = AuditEntry::new(None, AuditAction::Create, AuditEntity::User, Some(user.id))
            .after(&user)
            .map_err(anyhow::Error::from)?;
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(user)
    })
    .await
}
