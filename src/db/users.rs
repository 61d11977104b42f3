//! Accounts.

use sqlx::PgExecutor;

use crate::domain::{Role, Username};

/// A user as the rest of the application sees it (no password hash).
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

/// An account and its password hash, as signing in reads it.
#[derive(sqlx::FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    user: User,
    password_hash: String,
}

/// Stores a new account; fails with `users_username_key` when the username is taken.
pub async fn insert(
    db: impl PgExecutor<'_>,
    username: &Username,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> Result<User, sqlx::Error> {
    sqlx::query_as(
        r#"insert into users (username, display_name, role, password_hash)
           values ($1, $2, $3, $4)
           returning id, username, display_name, role, active"#,
    )
    .bind(username.as_str())
    .bind(display_name)
    .bind(role)
    .bind(password_hash)
    .fetch_one(db)
    .await
}

/// An active user and their password hash, for signing in.
pub async fn find_for_login(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<(User, String)>, sqlx::Error> {
    let row: Option<LoginRow> = sqlx::query_as(
        r#"select id, username, display_name, role, active, password_hash
             from users
            where username = $1 and active"#,
    )
    .bind(username)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| (row.user, row.password_hash)))
}

/// Every account, by username.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, username, display_name, role, active from users order by username"#,
    )
    .fetch_all(db)
    .await
}

/// How many accounts exist.
pub async fn count(db: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from users")
        .fetch_one(db)
        .await
}

/// Whether `error` refused a new account because its username is taken.
pub fn is_username_taken(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.constraint() == Some("users_username_key"))
}
