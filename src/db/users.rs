//! Accounts.

use sqlx::{PgExecutor, PgPool};

use crate::db::audit::AuditEntry;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::{Role, Username};

/// A user as the rest of the application sees it (no password hash).
#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    active: bool,
}

impl TryFrom<UserRow> for User {
    type Error = sqlx::Error;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            role: row
                .role
                .parse()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            active: row.active,
        })
    }
}

/// Creates an account and its audit entry in one transaction; fails with `users_username_key` when
/// the username is taken.
pub async fn create(
    pool: &PgPool,
    username: &Username,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> Result<User, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let row: UserRow = sqlx::query_as(
        r#"insert into users (username, display_name, role, password_hash)
           values ($1, $2, $3, $4)
           returning id, username, display_name, role, active"#,
    )
    .bind(username.as_str())
    .bind(display_name)
    .bind(role.as_str())
    .bind(password_hash)
    .fetch_one(&mut *tx)
    .await?;
    let user = User::try_from(row)?;
    super::audit::record(
        &mut *tx,
        &AuditEntry {
            user_id: None,
            action: AuditAction::Create,
            entity: AuditEntity::User,
            entity_id: Some(user.id),
            before: None,
            after: Some(serde_json::to_value(&user).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// An active user and their password hash, for signing in.
pub async fn find_for_login(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<(User, String)>, sqlx::Error> {
    let row: Option<(i64, String, String, String, bool, String)> = sqlx::query_as(
        r#"select id, username, display_name, role, active, password_hash
             from users
            where username = $1 and active"#,
    )
    .bind(username)
    .fetch_optional(db)
    .await?;
    row.map(|(id, username, display_name, role, active, hash)| {
        let user = User::try_from(UserRow {
            id,
            username,
            display_name,
            role,
            active,
        })?;
        Ok((user, hash))
    })
    .transpose()
}

/// Every account, by username.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<User>, sqlx::Error> {
    let rows: Vec<UserRow> = sqlx::query_as(
        r#"select id, username, display_name, role, active from users order by username"#,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(User::try_from).collect()
}

/// How many accounts exist.
pub async fn count(db: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from users")
        .fetch_one(db)
        .await
}
