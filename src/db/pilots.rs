//! Pilots: reading them, adding one, changing its settings, and what of it lies outside dates.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::ids::{PilotId, ShiftId};
use crate::domain::pilot_dates::Stranded;

/// The columns of [`Pilot`].
const COLUMNS: &str = "id, slug, name, city, time_zone, starts_on, ends_on, block_minutes";

/// A pilot as listed on the home page, and as the audit log records it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
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

impl Pilot {
    /// The pilot's time zone. Only known zones are written (`domain::time_zones`), so an unknown
    /// one cannot be read back; UTC stands in rather than failing a page.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// Every pilot, the most recent first.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<Pilot>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from pilots order by starts_on desc, slug"
    ))
    .fetch_all(db)
    .await
}

/// The pilot with this slug.
pub async fn find(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<Pilot>, sqlx::Error> {
    sqlx::query_as(&format!("select {COLUMNS} from pilots where slug = $1"))
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// A count bumped by every committed change of what a pilot's pages show (the audit log's
/// trigger, migrations/0019): pages computed at one version may be cached under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct DataVersion(pub i64);

/// A pilot read with its data version, in one statement: what a cached page is keyed by.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionedPilot {
    #[sqlx(flatten)]
    pub pilot: Pilot,
    pub data_version: DataVersion,
}

/// The pilot with this slug and its data version. Read it before the data a page shows, so a
/// page is never cached under a version newer than its data.
pub async fn find_versioned(
    db: impl PgExecutor<'_>,
    slug: &str,
) -> Result<Option<VersionedPilot>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {COLUMNS}, data_version from pilots where slug = $1"
    ))
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// The cities of the pilots, each once, in order.
pub async fn cities(db: impl PgExecutor<'_>) -> Result<Vec<crate::domain::City>, sqlx::Error> {
    sqlx::query_scalar("select distinct city from pilots order by city")
        .fetch_all(db)
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

/// Pilot `slug`, locked until the transaction ends. `for update` rather than `for no key update`:
/// a shift, team or assignment being added to the pilot takes a key-share lock on its row (the
/// foreign key), so a change of dates and a new shift run one after the other and the second
/// sees the first.
pub async fn lock(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<Pilot>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from pilots where slug = $1 for update"
    ))
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// A pilot as `pilots` takes it: its slug and settings.
#[derive(Debug, Clone, Copy)]
pub struct PilotRow<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub city: &'a str,
    /// An IANA time zone name.
    pub time_zone: &'a str,
    /// First local day, inclusive.
    pub starts_on: NaiveDate,
    /// Last local day, inclusive.
    pub ends_on: NaiveDate,
    pub block_minutes: i32,
}

/// Stores a new pilot.
pub async fn insert(db: impl PgExecutor<'_>, row: &PilotRow<'_>) -> Result<Pilot, sqlx::Error> {
    let sql = format!(
        "insert into pilots (slug, name, city, time_zone, starts_on, ends_on, block_minutes)
         values ($1, $2, $3, $4, $5, $6, $7)
         returning {COLUMNS}"
    );
    write(db, &sql, row).await
}

/// Gives the pilot of `row`'s slug the other settings of `row` (a slug never changes).
pub async fn update(db: impl PgExecutor<'_>, row: &PilotRow<'_>) -> Result<Pilot, sqlx::Error> {
    let sql = format!(
        "update pilots
            set name = $2, city = $3, time_zone = $4, starts_on = $5, ends_on = $6,
                block_minutes = $7
          where slug = $1
         returning {COLUMNS}"
    );
    write(db, &sql, row).await
}

/// Runs `sql` with `row`'s fields as `$1` to `$7`; the pilot it returns.
async fn write(
    db: impl PgExecutor<'_>,
    sql: &str,
    row: &PilotRow<'_>,
) -> Result<Pilot, sqlx::Error> {
    sqlx::query_as(sql)
        .bind(row.slug)
        .bind(row.name)
        .bind(row.city)
        .bind(row.time_zone)
        .bind(row.starts_on)
        .bind(row.ends_on)
        .bind(row.block_minutes)
        .fetch_one(db)
        .await
}

/// Whether `error` is the refusal of a slug another pilot has (`pilots_slug_key`).
pub fn is_slug_taken(error: &sqlx::Error) -> bool {
    super::is_violation(error, "pilots_slug_key")
}

/// The shifts of pilot `id` (cancelled ones too) that start, in `zone`, on a day outside
/// `from..=to`.
pub async fn shifts_outside(
    db: impl PgExecutor<'_>,
    id: PilotId,
    zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Stranded, sqlx::Error> {
    let days = "select (starts_at at time zone $2)::date as day from shifts where pilot_id = $1";
    outside(db, days, id, zone, (from, to)).await
}

/// The visits (by their arrival) and activities (by when they happened) logged on shifts of
/// pilot `id` on a day, in `zone`, outside `from..=to`.
pub async fn log_entries_outside(
    db: impl PgExecutor<'_>,
    id: PilotId,
    zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Stranded, sqlx::Error> {
    let days = r#"select (v.arrived_at at time zone $2)::date as day
                    from visits v join shifts s on s.id = v.shift_id
                   where s.pilot_id = $1
                  union all
                  select (a.occurred_at at time zone $2)::date
                    from activities a join shifts s on s.id = a.shift_id
                   where s.pilot_id = $1"#;
    outside(db, days, id, zone, (from, to)).await
}

/// How many of the `days` (a query of a column `day` taking the pilot `$1` and its zone `$2`)
/// are outside `from..=to`, and the first and last of them.
async fn outside(
    db: impl PgExecutor<'_>,
    days: &str,
    id: PilotId,
    zone: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Stranded, sqlx::Error> {
    sqlx::query_as(&format!(
        "select count(*) as count, min(day) as first, max(day) as last
           from ({days}) d
          where day < $3 or day > $4"
    ))
    .bind(id)
    .bind(zone)
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await
}
