//! Changes to accounts, one function each: creating one ([`create`] by the system,
//! [`create_by`] by an administrator), changing its role and whether it is active ([`change`]),
//! an administrator setting its password ([`set_password`]) and a user changing their own
//! ([`change_own_password`]). Each is one transaction, run again when the database breaks a lock
//! conflict: lock the account (and, for the last-admin rule, every active admin), check, write,
//! end the sessions the change ends, record the audit entry, commit.
//!
//! Passwords arrive hashed: hashing is costly and happens before, in the caller's turn
//! (`web::login::PasswordChecks`). The audit log keeps the account as [`User`], which holds no
//! password or hash. Signing in, sessions and the login throttle's bookkeeping are not changes a
//! user makes; they stay in `db/`.

use sqlx::{PgPool, Postgres, Transaction};

use crate::db;
use crate::db::audit::{self, AuditEntry};
use crate::db::retry::{Transient, retrying};
use crate::db::sessions;
use crate::db::users::{self, NewUser, User};
use crate::domain::account_form::{Access, NewAccount, leaves_an_admin};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{OfficerId, UserId};
use crate::domain::{Role, Username};

/// Why an account was not changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the username {0} is already taken")]
    UsernameTaken(String),
    #[error("there is no such account")]
    NotFound,
    /// An account of role `officer` must belong to an officer, and only such an account may.
    #[error(
        "an account of role officer belongs to an officer (give the officer's id), and no other account does"
    )]
    OfficerLink,
    /// No officer has this id.
    #[error("there is no officer {0}")]
    UnknownOfficer(OfficerId),
    /// The officer already has an account.
    #[error("officer {0} already has an account")]
    OfficerTaken(OfficerId),
    /// The change would leave no active administrator.
    #[error("the last active admin must stay an active admin")]
    LastAdmin,
    /// An administrator's own password is changed with the current one, not set.
    #[error("an administrator changes their own password with the current one")]
    OwnPassword,
    /// The password checked as the current one is no longer the stored one.
    #[error("the current password is not the stored one")]
    WrongPassword,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<serde_json::Error> for AccountError {
    fn from(error: serde_json::Error) -> AccountError {
        AccountError::Internal(error.into())
    }
}

impl Transient for AccountError {
    fn is_transient(&self) -> bool {
        match self {
            AccountError::Db(e) => e.is_transient(),
            AccountError::Internal(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// Creates an account with its audit entry, made by the system (the command line, the demo
/// accounts): there is no signed-in author, and the password is the owner's own.
pub async fn create(
    pool: &PgPool,
    username: &Username,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> Result<User, AccountError> {
    create_linked(pool, username, display_name, role, None, password_hash).await
}

/// [`create`], for an account that belongs to officer `officer_id` when it is given: required
/// for role `officer`, refused for the others.
pub async fn create_linked(
    pool: &PgPool,
    username: &Username,
    display_name: &str,
    role: Role,
    officer_id: Option<OfficerId>,
    password_hash: &str,
) -> Result<User, AccountError> {
    if (role == Role::Officer) != officer_id.is_some() {
        return Err(AccountError::OfficerLink);
    }
    let new = NewUser {
        username,
        display_name,
        role,
        password_hash,
        must_change_password: false,
        officer_id,
    };
    insert(pool, None, &new).await
}

/// Creates `account`, with `password_hash` the hash of its password, on behalf of the
/// administrator `author`. The administrator chose the password, so its owner must change it at
/// the first sign-in.
pub async fn create_by(
    pool: &PgPool,
    author: UserId,
    account: &NewAccount,
    password_hash: &str,
) -> Result<User, AccountError> {
    let new = NewUser {
        username: &account.username,
        display_name: &account.display_name,
        role: account.role,
        password_hash,
        must_change_password: true,
        officer_id: account.officer_id,
    };
    insert(pool, Some(author), &new).await
}

async fn insert(
    pool: &PgPool,
    author: Option<UserId>,
    new: &NewUser<'_>,
) -> Result<User, AccountError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let user = users::insert(&mut *tx, new).await.map_err(|e| {
            match (users::is_username_taken(&e), new.officer_id) {
                (true, _) => AccountError::UsernameTaken(new.username.to_string()),
                (false, Some(officer)) if db::is_violation(&e, "users_officer_id_fkey") => {
                    AccountError::UnknownOfficer(officer)
                }
                (false, Some(officer)) if db::is_violation(&e, "users_officer_once") => {
                    AccountError::OfficerTaken(officer)
                }
                _ => AccountError::Db(e),
            }
        })?;
        let entry = AuditEntry::new(
            author,
            AuditAction::Create,
            AuditEntity::User,
            Some(user.id.0),
        )
        .after(&user)?;
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(user)
    })
    .await
}

/// Gives account `id` the role and active state of `access`, on behalf of the administrator
/// `author`. Refused when it would leave no active administrator. Deactivating ends the account's
/// sessions at once; so does reactivating, for any session started while it was being
/// deactivated. Nothing to change is no change: no write, no audit entry.
pub async fn change(
    pool: &PgPool,
    author: UserId,
    id: UserId,
    access: Access,
) -> Result<User, AccountError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let locked = users::lock_with_active_admins(&mut *tx, id).await?;
        let before = locked
            .iter()
            .find(|user| user.id == id)
            .cloned()
            .ok_or(AccountError::NotFound)?;
        if before.role == access.role && before.active == access.active {
            return Ok(before);
        }
        if access.role == Role::Officer && before.officer_id.is_none() {
            return Err(AccountError::OfficerLink);
        }
        let admins: Vec<UserId> = locked
            .iter()
            .filter(|user| user.role == Role::Admin && user.active)
            .map(|user| user.id)
            .collect();
        if !leaves_an_admin(&admins, id, access) {
            return Err(AccountError::LastAdmin);
        }
        let after = users::set_access(&mut *tx, id, access.role, access.active).await?;
        let action = match (before.active, after.active) {
            (true, false) => AuditAction::Deactivate,
            (false, true) => AuditAction::Reactivate,
            _ => AuditAction::Update,
        };
        if before.active != after.active {
            sessions::delete_for_user(&mut *tx, id, None).await?;
        }
        finish(tx, author, action, &before, &after).await?;
        Ok(after)
    })
    .await
}

/// Gives account `id` the password hashed as `password_hash`, set by the administrator `author`:
/// its owner must change it at the next sign-in, and every session of the account ends.
pub async fn set_password(
    pool: &PgPool,
    author: UserId,
    id: UserId,
    password_hash: &str,
) -> Result<User, AccountError> {
    if author == id {
        return Err(AccountError::OwnPassword);
    }
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (before, _) = users::lock(&mut *tx, id)
            .await?
            .ok_or(AccountError::NotFound)?;
        let after = users::set_password(&mut *tx, id, password_hash, true).await?;
        sessions::delete_for_user(&mut *tx, id, None).await?;
        finish(tx, author, AuditAction::PasswordSet, &before, &after).await?;
        Ok(after)
    })
    .await
}

/// Gives account `id` the password hashed as `new_hash`, changed by its owner, who typed the
/// password hashed as `checked_hash`: refused when that is no longer the stored hash (the
/// password was changed meanwhile). Ends every other session of the account, keeping the one
/// whose token hashes to `session`; the owner need no longer change the password.
pub async fn change_own_password(
    pool: &PgPool,
    id: UserId,
    checked_hash: &str,
    new_hash: &str,
    session: &[u8],
) -> Result<User, AccountError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (before, stored) = users::lock(&mut *tx, id)
            .await?
            .ok_or(AccountError::NotFound)?;
        if stored != checked_hash {
            return Err(AccountError::WrongPassword);
        }
        let after = users::set_password(&mut *tx, id, new_hash, false).await?;
        sessions::delete_for_user(&mut *tx, id, Some(session)).await?;
        finish(tx, id, AuditAction::PasswordChange, &before, &after).await?;
        Ok(after)
    })
    .await
}

/// Records the change of an account from `before` to `after` by `author`, and commits.
async fn finish(
    mut tx: Transaction<'_, Postgres>,
    author: UserId,
    action: AuditAction,
    before: &User,
    after: &User,
) -> Result<(), AccountError> {
    let entry = AuditEntry::new(Some(author), action, AuditEntity::User, Some(after.id.0))
        .before(before)?
        .after(after)?;
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}
