//! What every pilot page starts from: the pilot in the path and the range in the query.

use chrono::Utc;
use chrono_tz::Tz;
use serde::Deserialize;
use sqlx::PgPool;

use super::format;
use crate::db::pilots::{self, DataVersion, Pilot};
use crate::domain::{DateRange, Progress};
use crate::error::{AppError, AppResult};

/// The filter of the pilot pages, as typed in the URL.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub district: Option<String>,
}

/// A pilot, its zone and the range being looked at.
pub struct Scope {
    pub pilot: Pilot,
    /// The pilot's data version, read before anything the page shows.
    pub version: DataVersion,
    pub zone: Tz,
    pub range: DateRange,
    /// When the range asked for went outside the pilot and was moved into it: what the page
    /// says about it.
    pub notice: Option<String>,
}

impl Scope {
    /// The pilot `slug` (404 when there is none) and the range in `query` (400 when it cannot be
    /// read or is backwards); a range reaching outside the pilot is moved into it, with a
    /// [`Scope::notice`] for the page.
    pub async fn load(db: &PgPool, slug: &str, query: &FilterQuery) -> AppResult<Scope> {
        let mut scope = Scope::load_exact(db, slug, &FilterQuery::default()).await?;
        let pilot = &scope.pilot;
        let (range, asked) = DateRange::clamped(
            query.from.as_deref(),
            query.to.as_deref(),
            pilot.starts_on,
            pilot.ends_on,
        )
        .map_err(refused)?;
        scope.notice = asked.map(|asked| {
            format!(
                "The pilot runs from {} to {}, so the dates asked for ({} to {}) were moved \
                 into it: this page shows {} to {}.",
                format::day(pilot.starts_on),
                format::day(pilot.ends_on),
                format::day(asked.from),
                format::day(asked.to),
                format::day(range.from),
                format::day(range.to),
            )
        });
        scope.range = range;
        Ok(scope)
    }

    /// As [`Scope::load`], but a range outside the pilot is refused (400): for exports, whose
    /// file has no page to say that its dates were moved.
    pub async fn load_exact(db: &PgPool, slug: &str, query: &FilterQuery) -> AppResult<Scope> {
        let versioned = pilots::find_versioned(db, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let (pilot, version) = (versioned.pilot, versioned.data_version);
        let zone: Tz = pilot
            .time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("pilot {} has an unknown time zone", pilot.slug))?;
        let range = DateRange::parse(
            query.from.as_deref(),
            query.to.as_deref(),
            pilot.starts_on,
            pilot.ends_on,
        )
        .map_err(refused)?;
        Ok(Scope {
            pilot,
            version,
            zone,
            range,
            notice: None,
        })
    }

    /// The coverage engine's view of the pilot, from the row already loaded.
    pub fn engine_pilot(&self) -> crate::coverage::Pilot {
        crate::coverage::Pilot {
            time_zone: self.zone,
            starts_on: self.pilot.starts_on,
            ends_on: self.pilot.ends_on,
            block_minutes: u32::try_from(self.pilot.block_minutes).unwrap_or(60),
        }
    }

    /// Today in the pilot's zone.
    pub fn local_date(&self) -> chrono::NaiveDate {
        Utc::now().with_timezone(&self.zone).date_naive()
    }

    /// Today in the pilot's zone, clamped into the pilot.
    pub fn today(&self) -> chrono::NaiveDate {
        self.local_date()
            .clamp(self.pilot.starts_on, self.pilot.ends_on)
    }

    /// "Day N of M, week N of W", and whether the pilot has finished.
    pub fn progress(&self) -> String {
        let today = self.local_date();
        let clamped = Progress::clamped(today, self.pilot.starts_on, self.pilot.ends_on).describe();
        match Progress::on(today, self.pilot.starts_on, self.pilot.ends_on) {
            Progress::Finished { .. } => format!("{clamped} (finished)"),
            Progress::Upcoming { .. } => format!("{clamped} (not started)"),
            Progress::Running { .. } => clamped,
        }
    }

    /// The query string that keeps the range (and a district) in links.
    pub fn query(&self, district: Option<&str>) -> String {
        let mut query = format!("?from={}&to={}", self.range.from, self.range.to);
        if let Some(code) = district {
            query.push_str("&district=");
            query.push_str(&super::login::encode_next(code));
        }
        query
    }
}

/// The 400 page of a range that cannot be used.
fn refused(error: crate::domain::RangeError) -> AppError {
    AppError::BadRequest(format!(
        "{}. Change the dates and try again.",
        capitalise(&error.to_string())
    ))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
