//! Running an import: every row of the file written in one transaction, or none of them.
//!
//! Imports of one kind take a transaction-scoped advisory lock, so two analysts importing at once
//! are serialised instead of both planning to insert the same row.

use anyhow::Context;
use sqlx::PgPool;

use super::{community_stats, places};
use crate::db;
use crate::import::apply::{self, Applied};
use crate::import::{ImportError, Kind, Report, Request, text};

/// Runs an import: every bad row, or the counts of new, updated and unchanged rows (written
/// unless it is a dry run). Nothing is written when there is a bad row. Called by the upload page
/// and `patrolboard import`.
#[tracing::instrument(skip_all, fields(kind = %request.kind, pilot = request.pilot, dry_run = request.dry_run))]
pub async fn run(pool: &PgPool, request: Request<'_>) -> Result<Report, ImportError> {
    db::retry::retrying(move || run_once(pool, request)).await
}

/// One attempt at [`run`], in a transaction of its own.
async fn run_once(pool: &PgPool, request: Request<'_>) -> Result<Report, ImportError> {
    let kind = request.kind;
    let text = match text::decode(request.bytes) {
        Ok(text) => text,
        Err(error) => {
            return Ok(Report::rejected(
                kind,
                "text that cannot be imported".into(),
                vec![error],
                request.dry_run,
            ));
        }
    };
    let mut tx = pool.begin().await?;
    db::imports::lock(&mut *tx, kind.as_str()).await?;
    let pilot = match (kind.needs_pilot(), request.pilot) {
        (false, _) => None,
        (true, None) => return Err(ImportError::PilotRequired(kind)),
        (true, Some(slug)) => Some(
            db::pilots::find(&mut *tx, slug.trim())
                .await?
                .ok_or_else(|| ImportError::UnknownPilot(slug.to_string()))?,
        ),
    };
    let applied = match (kind, &pilot) {
        (Kind::Districts, Some(pilot)) => {
            places::import_districts_in(&mut tx, pilot, text, &request).await?
        }
        (Kind::Hotspots, Some(pilot)) => {
            places::import_hotspots_in(&mut tx, pilot, text, &request).await?
        }
        (Kind::Roster, Some(pilot)) => apply::roster(&mut tx, pilot, text, &request).await?,
        (Kind::CommunityStats, _) => community_stats::import_in(&mut tx, text, &request).await?,
        (_, None) => return Err(ImportError::PilotRequired(kind)),
    };
    let Applied {
        format,
        rows,
        result,
        stats,
    } = applied;
    match result {
        Err(errors) => {
            tx.rollback().await?;
            Ok(Report::rejected(kind, format, errors, request.dry_run))
        }
        Ok(counts) => {
            let applied = !request.dry_run;
            if applied {
                tx.commit().await.context("committing the import")?;
            } else {
                tx.rollback().await?;
            }
            tracing::info!(%counts, applied, "import finished");
            Ok(Report {
                kind,
                format,
                rows,
                counts,
                errors: Vec::new(),
                dry_run: request.dry_run,
                applied,
                stats,
            })
        }
    }
}
