//! Pilots.

use chrono::NaiveDate;
use sqlx::PgExecutor;

use crate::domain::ids::{PilotId, ShiftId};

/// A pilot as listed on the home page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pilot {
    pub id: PilotId,
    pub slug: String,
    pub name: String,
    pub city: String,
    pub time_zone: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub block_minutes: i32,
}

/// Every pilot, the most recent first.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<Pilot>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, slug, name, city, time_zone, starts_on, ends_on, block_minutes
             from pilots
            order by starts_on desc, slug"#,
    )
    .fetch_all(db)
    .await
}

/// The pilot with this slug.
pub async fn find(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<Pilot>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, slug, name, city, time_zone, starts_on, ends_on, block_minutes
             from pilots
            where slug = $1"#,
    )
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// The slug of the pilot a shift belongs to.
pub async fn slug_of_shift(
    db: impl PgExecutor<'_>,
    shift_id: ShiftId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select p.slug from shifts s join pilots p on p.id = s.pilot_id where s.id = $1",
    )
    .bind(shift_id)
    .fetch_optional(db)
    .await
}
