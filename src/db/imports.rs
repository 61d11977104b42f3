//! Imports of one kind of file, one at a time.

use sqlx::PgExecutor;

/// Waits until no other transaction imports a file of kind `kind` (e.g. `hotspots`), and holds
/// that until this transaction ends: two analysts importing at once run one after the other
/// instead of both planning to insert the same row.
pub async fn lock(db: impl PgExecutor<'_>, kind: &str) -> Result<(), sqlx::Error> {
    sqlx::query("select pg_advisory_xact_lock(hashtext('patrolboard.import.' || $1))")
        .bind(kind)
        .execute(db)
        .await?;
    Ok(())
}
