//! Running an import against the database: parse, compare with what is stored, and (unless it
//! is a dry run) write the difference in one transaction with an audit entry per changed row.
//!
//! Imports of one kind take a transaction-scoped advisory lock, so two analysts importing at once
//! are serialised instead of both planning to insert the same row.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};

use super::places::{apply_districts, apply_hotspots, pilot_area};
use super::roster_apply::apply_roster;
use super::stats::{self, StatRow};
use super::stats_report::StatsSummary;
use super::{Counts, Kind, Report, districts, hotspots, text};
use crate::domain::audit::{AuditAction, AuditEntity};

/// An import to run.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub kind: Kind,
    /// The pilot's slug; needed for districts, hotspots and rosters.
    pub pilot: Option<&'a str>,
    /// The file as uploaded or read from disk.
    pub bytes: &'a [u8],
    /// Report what would change without writing.
    pub dry_run: bool,
    /// Who imports (`None`: the shell).
    pub user_id: Option<i64>,
}

/// Why an import could not even be looked at. Bad rows are not errors: they are in the
/// [`Report`].
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("there is no pilot {0:?}")]
    UnknownPilot(String),
    #[error("importing {0} needs a pilot: give its slug")]
    PilotRequired(Kind),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ImportError {
    fn from(error: sqlx::Error) -> Self {
        ImportError::Failed(error.into())
    }
}

/// The pilot an import goes into.
pub(super) struct Pilot {
    pub id: i64,
    pub slug: String,
    /// IANA name, e.g. `America/Edmonton`.
    pub time_zone: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Runs an import: every bad row, or the counts of new, updated and unchanged rows (written
/// unless it is a dry run). Nothing is written when there is a bad row.
#[tracing::instrument(skip_all, fields(kind = %request.kind, pilot = request.pilot, dry_run = request.dry_run))]
pub async fn run(pool: &PgPool, request: Request<'_>) -> Result<Report, ImportError> {
    crate::db::retry::retrying(move || run_once(pool, request)).await
}

impl crate::db::retry::Transient for ImportError {
    fn is_transient(&self) -> bool {
        matches!(self, ImportError::Failed(e) if e.is_transient())
    }
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
    sqlx::query("select pg_advisory_xact_lock(hashtext('patrolboard.import.' || $1))")
        .bind(kind.as_str())
        .execute(&mut *tx)
        .await?;
    let pilot = match (kind.needs_pilot(), request.pilot) {
        (false, _) => None,
        (true, None) => return Err(ImportError::PilotRequired(kind)),
        (true, Some(slug)) => Some(find_pilot(&mut tx, slug).await?),
    };
    let mut stats_summary = None;
    let outcome = match (kind, &pilot) {
        (Kind::Districts, Some(pilot)) => {
            let (format, rows) = districts::parse(text);
            let format = format.describe().to_string();
            match rows {
                Ok(rows) => (
                    format,
                    rows.len(),
                    apply_districts(&mut tx, pilot, &rows, &request).await?,
                ),
                Err(errors) => (format, 0, Err(errors)),
            }
        }
        (Kind::Hotspots, Some(pilot)) => {
            let area = pilot_area(&mut tx, pilot).await?;
            let format = "GeoJSON FeatureCollection".to_string();
            match hotspots::parse(text, &area) {
                Ok(rows) => (
                    format,
                    rows.len(),
                    apply_hotspots(&mut tx, pilot, &rows, &request).await?,
                ),
                Err(errors) => (format, 0, Err(errors)),
            }
        }
        (Kind::Roster, Some(pilot)) => {
            let (rows, result) = apply_roster(&mut tx, pilot, text, &request).await?;
            ("roster CSV (the shifts export)".to_string(), rows, result)
        }
        (Kind::CommunityStats, _) => {
            let (format, rows) = stats::parse(text);
            match rows {
                Ok(rows) => {
                    let (counts, summary) = apply_stats(&mut tx, &rows, &request).await?;
                    stats_summary = Some(summary);
                    (format, rows.len(), Ok(counts))
                }
                Err(errors) => (format, 0, Err(errors)),
            }
        }
        (_, None) => return Err(ImportError::PilotRequired(kind)),
    };
    let (format, rows, result) = outcome;
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
                stats: stats_summary,
            })
        }
    }
}

async fn find_pilot(conn: &mut PgConnection, slug: &str) -> Result<Pilot, ImportError> {
    let row: Option<(i64, String, String, NaiveDate, NaiveDate)> = sqlx::query_as(
        "select id, slug, time_zone, starts_on, ends_on from pilots where slug = $1",
    )
    .bind(slug.trim())
    .fetch_optional(&mut *conn)
    .await?;
    let (id, slug, time_zone, starts_on, ends_on) =
        row.ok_or_else(|| ImportError::UnknownPilot(slug.to_string()))?;
    Ok(Pilot {
        id,
        slug,
        time_zone,
        starts_on,
        ends_on,
    })
}

type StatKey = (String, String, i32, i32);

fn stat_json(dataset: &str, key: &StatKey, count: i32) -> Value {
    json!({
        "dataset": dataset,
        "community": key.0,
        "category": key.1,
        "year": key.2,
        "month": key.3,
        "count": count,
    })
}

/// Writes the rows whose count differs from the stored one; the counts of new, changed and
/// unchanged rows, and the summary of repeated keys and totals.
async fn apply_stats(
    conn: &mut PgConnection,
    rows: &[StatRow],
    request: &Request<'_>,
) -> anyhow::Result<(Counts, StatsSummary)> {
    let Some(dataset) = rows.first().map(|r| r.dataset) else {
        return Ok((Counts::default(), StatsSummary::of(rows, 0)));
    };
    let stored: Vec<(String, String, i32, i32, i32)> = sqlx::query_as(
        "select community, category, year, month, count from community_stats where dataset = $1",
    )
    .bind(dataset)
    .fetch_all(&mut *conn)
    .await?;
    let stored: HashMap<StatKey, i32> = stored
        .into_iter()
        .map(|(c, k, y, m, n)| ((c, k, y, m), n))
        .collect();
    let mut counts = Counts::default();
    let mut changed: Vec<&StatRow> = Vec::new();
    let (mut befores, mut afters) = (Vec::new(), Vec::new());
    for row in rows {
        let key = row.key();
        match stored.get(&key) {
            Some(&count) if count == row.count => counts.unchanged += 1,
            Some(&count) => {
                counts.updated += 1;
                befores.push(Some(stat_json(dataset, &key, count)));
                afters.push(stat_json(dataset, &key, row.count));
                changed.push(row);
            }
            None => {
                counts.new += 1;
                befores.push(None);
                afters.push(stat_json(dataset, &key, row.count));
                changed.push(row);
            }
        }
    }
    let stored_before = rows
        .iter()
        .filter_map(|r| stored.get(&r.key()))
        .map(|&n| i64::from(n))
        .sum();
    let summary = StatsSummary::of(rows, stored_before);
    if request.dry_run || changed.is_empty() {
        return Ok((counts, summary));
    }
    // Thousands of rows: one statement each for the rows and for their audit entries.
    sqlx::query(
        r#"insert into community_stats (community, category, year, month, count, dataset)
           select u.*, $6 from unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::integer[]) as u
           on conflict on constraint community_stats_pkey do update set count = excluded.count"#,
    )
    .bind(changed.iter().map(|r| r.community.as_str()).collect::<Vec<_>>())
    .bind(changed.iter().map(|r| r.category.as_str()).collect::<Vec<_>>())
    .bind(changed.iter().map(|r| r.year).collect::<Vec<_>>())
    .bind(changed.iter().map(|r| r.month).collect::<Vec<_>>())
    .bind(changed.iter().map(|r| r.count).collect::<Vec<_>>())
    .bind(dataset)
    .execute(&mut *conn)
    .await
    .context("writing community statistics")?;
    sqlx::query(
        r#"insert into audit_log (user_id, action, entity, entity_id, before, after)
           select $1, $4, $5, null, u.before, u.after
             from unnest($2::jsonb[], $3::jsonb[]) as u (before, after)"#,
    )
    .bind(request.user_id)
    .bind(befores)
    .bind(afters)
    .bind(AuditAction::Import)
    .bind(AuditEntity::CommunityStats)
    .execute(&mut *conn)
    .await
    .context("writing the audit entries of the statistics import")?;
    Ok((counts, summary))
}
