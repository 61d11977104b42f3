//! A file kept between its dry run and its apply, so an analyst who has read what importing it
//! would change applies it with one button instead of choosing the file again. The file waits in
//! the database (the server keeps no state of its own, and the apply may reach another instance)
//! for [`KEEP_MINUTES`], usable only by the user who sent it, and is forgotten once applied.

use sqlx::PgPool;

use crate::db::import_uploads::{self, NewUpload};
use crate::domain::ids::UserId;
use crate::import::{ImportError, Kind, Report, Request};

/// How long a dry-run file may be applied without sending it again.
pub const KEEP_MINUTES: i32 = 30;

/// A dry run's file and what it was dry-run as.
pub struct Upload<'a> {
    pub kind: Kind,
    pub pilot: Option<&'a str>,
    pub city: Option<&'a str>,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Why a kept file cannot be applied, in words the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unkept {
    #[error(
        "This file is no longer kept: it was applied already, or never dry-run here. Choose the file again and run a dry run."
    )]
    Unknown,
    #[error(
        "This file was dry-run by another user, so only they can apply it. Choose the file again and run a dry run."
    )]
    OtherUser,
    #[error(
        "This file was dry-run more than 30 minutes ago and is no longer kept. Choose the file again and run a dry run."
    )]
    Expired,
}

/// Keeps `upload` for `user_id` under the SHA-256 `token_hash` of the token the page's form
/// carries, and forgets the files no one may apply any more.
pub async fn keep(
    pool: &PgPool,
    user_id: UserId,
    token_hash: &[u8],
    upload: &Upload<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    import_uploads::delete_expired(&mut *tx, KEEP_MINUTES).await?;
    let new = NewUpload {
        token_hash,
        user_id,
        kind: upload.kind.as_str(),
        pilot: upload.pilot,
        city: upload.city,
        file_name: upload.file_name,
        body: upload.bytes,
    };
    import_uploads::insert(&mut *tx, &new).await?;
    tx.commit().await
}

/// What [`apply`] found: the file's name, and the import's report; or why it may not be applied.
pub type Applied = Result<(String, Kind, Report), Unkept>;

/// Applies the file kept under `token_hash` for `user_id`, as it was dry-run (same kind, pilot
/// and city), through [`super::imports::run`]; forgets it once its changes are written.
pub async fn apply(
    pool: &PgPool,
    user_id: UserId,
    token_hash: &[u8],
) -> Result<Applied, ImportError> {
    let Some(kept) = import_uploads::find(pool, token_hash, KEEP_MINUTES).await? else {
        return Ok(Err(Unkept::Unknown));
    };
    if kept.user_id != user_id {
        return Ok(Err(Unkept::OtherUser));
    }
    if !kept.fresh {
        return Ok(Err(Unkept::Expired));
    }
    let kind: Kind = kept
        .kind
        .parse()
        .map_err(|e: String| ImportError::Failed(anyhow::anyhow!(e)))?;
    let request = Request {
        kind,
        pilot: kept.pilot.as_deref(),
        city: kept.city.as_deref(),
        bytes: &kept.body,
        dry_run: false,
        user_id: Some(user_id),
    };
    let report = super::imports::run(pool, request).await?;
    if report.applied {
        import_uploads::delete(pool, token_hash).await?;
    }
    Ok(Ok((kept.file_name, kind, report)))
}
