//! What an import is asked to do and what it found. The transaction that runs it, with its lock,
//! is `service::imports::run`; districts, hotspots and statistics are written by
//! `service::places` and `service::community_stats`, rosters by [`roster`].

use sqlx::PgConnection;

use super::changes::{ChangedRow, Tally};
use super::roster_apply::apply_roster;
use super::stats_report::StatsSummary;
use super::{Counts, Kind, RowError};
use crate::domain::ids::UserId;

/// The pilot an import goes into.
pub use crate::db::pilots::Pilot;

/// An import to run.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub kind: Kind,
    /// The pilot's slug; needed for districts, hotspots and rosters.
    pub pilot: Option<&'a str>,
    /// The city of communities and statistics; without it, the city of the pilots when they
    /// all share one.
    pub city: Option<&'a str>,
    /// The file as uploaded or read from disk.
    pub bytes: &'a [u8],
    /// Report what would change without writing.
    pub dry_run: bool,
    /// Who imports (`None`: the shell).
    pub user_id: Option<UserId>,
}

/// Why an import could not even be looked at. Bad rows are not errors: they are in the
/// [`super::Report`].
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("there is no pilot {0:?}")]
    UnknownPilot(String),
    #[error("importing {0} needs a pilot: give its slug")]
    PilotRequired(Kind),
    /// No city was given, and the pilots do not share one (the cities they are in).
    #[error("importing {kind} needs a city: give it with --city (the pilots' cities: {})", cities_or_none(.cities))]
    CityRequired { kind: Kind, cities: Vec<String> },
    /// The city given cannot be a city's name.
    #[error("{0}")]
    BadCity(String),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// The cities listed, or "none" when there is no pilot.
fn cities_or_none(cities: &[String]) -> String {
    if cities.is_empty() {
        "none, there is no pilot".into()
    } else {
        cities.join(", ")
    }
}

impl From<sqlx::Error> for ImportError {
    fn from(error: sqlx::Error) -> Self {
        ImportError::Failed(error.into())
    }
}

impl crate::db::retry::Transient for ImportError {
    fn is_transient(&self) -> bool {
        matches!(self, ImportError::Failed(e) if e.is_transient())
    }
}

/// What an import found in its file, written in the import's transaction (unless it is a dry
/// run) and not yet committed.
#[derive(Debug)]
pub struct Applied {
    /// What the file turned out to be, e.g. "the City's community CSV (WKT)".
    pub format: String,
    /// Rows of the file.
    pub rows: usize,
    /// The counts, or every bad row: then the transaction must be rolled back.
    pub result: Result<Counts, Vec<RowError>>,
    /// For statistics: repeated keys and how the stored totals change.
    pub stats: Option<StatsSummary>,
    /// The first rows the import adds, changes or cancels.
    pub changed: Vec<ChangedRow>,
}

impl Applied {
    /// A file of `format` with `rows` rows that gives `tally`.
    pub fn tallied(format: String, rows: usize, tally: Tally) -> Applied {
        Applied {
            format,
            rows,
            result: Ok(tally.counts),
            stats: None,
            changed: tally.changed,
        }
    }

    /// A file of `format` with bad rows.
    pub fn rejected(format: String, errors: Vec<RowError>) -> Applied {
        Applied {
            format,
            rows: 0,
            result: Err(errors),
            stats: None,
            changed: Vec::new(),
        }
    }
}

/// Reads, checks and (in the caller's transaction) writes a roster file (`roster_apply`).
pub async fn roster(
    tx: &mut PgConnection,
    pilot: &Pilot,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<Applied> {
    let (rows, result) = apply_roster(tx, pilot, text, request).await?;
    let (result, changed) = match result {
        Ok(tally) => (Ok(tally.counts), tally.changed),
        Err(errors) => (Err(errors), Vec::new()),
    };
    Ok(Applied {
        format: "roster CSV (the shifts export)".to_string(),
        rows,
        result,
        stats: None,
        changed,
    })
}
