//! Files kept between an import's dry run and its apply (`import_uploads`), found by the SHA-256
//! of the token the page's form carries.

use sqlx::PgExecutor;

use crate::domain::ids::UserId;

/// An upload to keep.
pub struct NewUpload<'a> {
    pub token_hash: &'a [u8],
    pub user_id: UserId,
    /// `import::Kind::as_str`.
    pub kind: &'a str,
    /// The pilot's slug, for imports into a pilot.
    pub pilot: Option<&'a str>,
    pub city: Option<&'a str>,
    pub file_name: &'a str,
    pub body: &'a [u8],
}

/// A kept upload, with its age against the time it may be kept.
#[derive(Debug, sqlx::FromRow)]
pub struct KeptUpload {
    pub user_id: UserId,
    pub kind: String,
    /// The pilot's slug as it is now (`None` for imports into a city).
    pub pilot: Option<String>,
    pub city: Option<String>,
    pub file_name: String,
    pub body: Vec<u8>,
    /// Whether it was kept less than the given number of minutes ago.
    pub fresh: bool,
}

/// Deletes the uploads kept `minutes` or more ago: no one can apply them any more.
pub async fn delete_expired(db: impl PgExecutor<'_>, minutes: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "delete from import_uploads where created_at <= now() - make_interval(mins => $1)",
    )
    .bind(minutes)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Keeps an upload.
pub async fn insert(db: impl PgExecutor<'_>, upload: &NewUpload<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into import_uploads (token_hash, user_id, kind, pilot_id, city, file_name, body)
         values ($1, $2, $3, (select id from pilots where slug = $4), $5, $6, $7)",
    )
    .bind(upload.token_hash)
    .bind(upload.user_id)
    .bind(upload.kind)
    .bind(upload.pilot)
    .bind(upload.city)
    .bind(upload.file_name)
    .bind(upload.body)
    .execute(db)
    .await?;
    Ok(())
}

/// The upload kept under this token hash, saying whether it is younger than `minutes`.
pub async fn find(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    minutes: i32,
) -> Result<Option<KeptUpload>, sqlx::Error> {
    sqlx::query_as(
        "select u.user_id, u.kind, p.slug as pilot, u.city, u.file_name, u.body,
                u.created_at > now() - make_interval(mins => $2) as fresh
           from import_uploads u left join pilots p on p.id = u.pilot_id
          where u.token_hash = $1",
    )
    .bind(token_hash)
    .bind(minutes)
    .fetch_optional(db)
    .await
}

/// Forgets an upload once it is applied.
pub async fn delete(db: impl PgExecutor<'_>, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("delete from import_uploads where token_hash = $1")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}
