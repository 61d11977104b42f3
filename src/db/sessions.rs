//! Sign-in sessions and the record of failed sign-ins.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use super::users::User;

/// Stores a session for `user_id`, identified by the hash of its cookie token.
pub async fn create(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    user_id: i64,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into sessions (token_hash, user_id, expires_at) values ($1, $2, $3)")
        .bind(token_hash)
        .bind(user_id)
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

/// The active user of an unexpired session.
pub async fn find_user(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> Result<Option<User>, sqlx::Error> {
    let row: Option<(i64, String, String, String, bool)> = sqlx::query_as(
        r#"select u.id, u.username, u.display_name, u.role, u.active
             from sessions s
             join users u on u.id = s.user_id
            where s.token_hash = $1 and s.expires_at > now() and u.active"#,
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    row.map(|(id, username, display_name, role, active)| {
        Ok(User {
            id,
            username,
            display_name,
            role: role.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            active,
        })
    })
    .transpose()
}

/// Ends a session (sign-out), and sweeps sessions that have expired.
pub async fn delete(db: impl PgExecutor<'_>, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("delete from sessions where token_hash = $1 or expires_at < now()")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Consecutive failed sign-ins for a username and when the last one was.
pub async fn failures(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<(i32, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as("select failures, last_failed_at from login_failures where username = $1")
        .bind(username)
        .fetch_optional(db)
        .await
}

/// Counts one more failed sign-in for a username.
pub async fn record_failure(db: impl PgExecutor<'_>, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into login_failures (username, failures, last_failed_at) values ($1, 1, now())
           on conflict (username)
           do update set failures = login_failures.failures + 1, last_failed_at = now()"#,
    )
    .bind(username)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets the failures of a username after a successful sign-in.
pub async fn clear_failures(db: impl PgExecutor<'_>, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from login_failures where username = $1")
        .bind(username)
        .execute(db)
        .await?;
    Ok(())
}
