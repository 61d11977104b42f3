//! Running an import: every row of the file written in one transaction, or none of them.
//!
//! Imports of one kind take a transaction-scoped advisory lock, so two analysts importing at once
//! are serialised instead of both planning to insert the same row.
//!
//! An import that writes [`ANALYZE_FROM_ROWS`] rows or more has the tables it filled analysed
//! after its commit, so the next queries are planned for their new sizes rather than waiting for
//! autovacuum to notice.
//!
//! Districts, hotspots, rosters and officers go into a pilot; communities and community statistics into a
//! city: the one given, written as a city already on file spells it (`calgary` is `Calgary`), or,
//! when none is given, the city of the pilots if they all share one.

use anyhow::Context;
use sqlx::{PgConnection, PgPool};

use super::{communities, community_stats, people, places};
use crate::db;
use crate::domain::City;
use crate::import::apply::{self, Applied};
use crate::import::{ImportError, Kind, Report, Request, text};

/// Runs an import: every bad row, or the counts of new, updated and unchanged rows (written
/// unless it is a dry run). Nothing is written when there is a bad row. Called by the upload page
/// and `patrolboard import`.
#[tracing::instrument(skip_all, fields(kind = %request.kind, pilot = request.pilot, city = request.city, dry_run = request.dry_run))]
pub async fn run(pool: &PgPool, request: Request<'_>) -> Result<Report, ImportError> {
    let report = db::retry::retrying(move || run_once(pool, request)).await?;
    if report.applied && report.counts.written() >= ANALYZE_FROM_ROWS {
        let tables = tables_filled(report.kind);
        // The rows are committed: stale statistics only slow queries down, so a failure here
        // is logged and the import still reported as done.
        match db::analyze::tables(pool, tables).await {
            Ok(()) => tracing::info!(?tables, "analysed the tables the import filled"),
            Err(error) => tracing::warn!(%error, ?tables, "could not analyse after the import"),
        }
    }
    Ok(report)
}

/// Rows written by one import from which its tables are analysed after the commit. Below it,
/// autovacuum's own analyse (after a tenth of a table changes) keeps up.
pub const ANALYZE_FROM_ROWS: usize = 10_000;

/// The tables an import of `kind` writes its rows into, with those a roster refreshes.
fn tables_filled(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Districts => &["districts"],
        Kind::Hotspots => &["hotspots"],
        Kind::Communities => &["communities"],
        Kind::CommunityStats => &["community_stats"],
        Kind::Roster => &["shifts", "shift_members", "shift_hotspots", "hotspot_days"],
        Kind::Officers => &["officers", "assignments", "teams"],
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
    let city = match kind.needs_city() {
        true => Some(city(&mut tx, kind, request.city).await?),
        false => None,
    };
    let applied = match (kind, &pilot, &city) {
        (Kind::Districts, Some(pilot), _) => {
            places::import_districts_in(&mut tx, pilot, text, &request).await?
        }
        (Kind::Hotspots, Some(pilot), _) => {
            places::import_hotspots_in(&mut tx, pilot, text, &request).await?
        }
        (Kind::Roster, Some(pilot), _) => apply::roster(&mut tx, pilot, text, &request).await?,
        (Kind::Officers, Some(pilot), _) => {
            people::import_in(&mut tx, pilot, text, &request).await?
        }
        (Kind::Communities, _, Some(city)) => {
            communities::import_in(&mut tx, city, text, &request).await?
        }
        (Kind::CommunityStats, _, Some(city)) => {
            community_stats::import_in(&mut tx, city, text, &request).await?
        }
        _ => return Err(ImportError::PilotRequired(kind)),
    };
    let Applied {
        format,
        rows,
        result,
        stats,
        changed,
    } = applied;
    match result {
        Err(errors) => {
            tx.rollback().await?;
            Ok(Report {
                city,
                ..Report::rejected(kind, format, errors, request.dry_run)
            })
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
                city,
                changed,
            })
        }
    }
}

/// The city an import of `kind` goes into: `given`, spelt as a city on file spells it; or, when
/// none is given, the pilots' city if they all share one.
async fn city(
    conn: &mut PgConnection,
    kind: Kind,
    given: Option<&str>,
) -> Result<City, ImportError> {
    match given.map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => {
            let city = City::parse(text).map_err(ImportError::BadCity)?;
            Ok(db::communities::known_city(&mut *conn, &city)
                .await?
                .unwrap_or(city))
        }
        None => match <[City; 1]>::try_from(db::pilots::cities(&mut *conn).await?) {
            Ok([city]) => Ok(city),
            Err(cities) => Err(ImportError::CityRequired {
                kind,
                cities: cities.iter().map(City::to_string).collect(),
            }),
        },
    }
}
