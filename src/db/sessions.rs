//! Sign-in sessions.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use super::users::User;
use crate::domain::ids::UserId;

/// Stores a session for `user_id`, identified by the hash of its cookie token.
pub async fn create(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    user_id: UserId,
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
    sqlx::query_as(
        r#"select u.id, u.username, u.display_name, u.role, u.active, u.must_change_password,
                  u.officer_id
             from sessions s
             join users u on u.id = s.user_id
            where s.token_hash = $1 and s.expires_at > now() and u.active"#,
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Ends a session (sign-out), and sweeps sessions that have expired.
pub async fn delete(db: impl PgExecutor<'_>, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("delete from sessions where token_hash = $1 or expires_at < now()")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of `user_id`, but the one whose token hashes to `keep` if given: the next
/// request of each is signed out. Returns how many were ended.
pub async fn delete_for_user(
    db: impl PgExecutor<'_>,
    user_id: UserId,
    keep: Option<&[u8]>,
) -> Result<u64, sqlx::Error> {
    let ended = sqlx::query(
        "delete from sessions where user_id = $1 and ($2::bytea is null or token_hash <> $2)",
    )
    .bind(user_id)
    .bind(keep)
    .execute(db)
    .await?;
    Ok(ended.rows_affected())
}
