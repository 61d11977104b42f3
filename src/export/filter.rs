//! What an export is limited to, bound the same way into the row count and the export.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgExecutor, Postgres};

use super::dictionary::Dataset;
use crate::coverage::resolve_local;
use crate::domain::DateRange;
use crate::domain::ids::{DistrictId, PilotId};

/// One pilot, a range of its local dates, and perhaps one of its districts.
#[derive(Debug, Clone)]
pub struct Filter {
    pub pilot_id: PilotId,
    pub zone: Tz,
    pub range: DateRange,
    pub district_id: Option<DistrictId>,
}

impl Filter {
    /// Instants surely before the first local date and after the last one, whatever the zone:
    /// they let an index narrow the rows; the exact local-date test then decides.
    fn instant_bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = resolve_local(self.zone, self.range.from, NaiveTime::MIN);
        let end = resolve_local(
            self.zone,
            self.range.to + TimeDelta::days(1),
            NaiveTime::MIN,
        );
        (start - TimeDelta::days(1), end + TimeDelta::days(1))
    }
}

/// Binds the parameters `$1`..`$7` that every dataset's `from` clause may use (see [`Dataset`]).
pub fn bind<'q>(
    query: Query<'q, Postgres, PgArguments>,
    filter: &Filter,
) -> Query<'q, Postgres, PgArguments> {
    let (after, before) = filter.instant_bounds();
    query
        .bind(filter.pilot_id)
        .bind(filter.zone.name().to_string())
        .bind(filter.range.from)
        .bind(filter.range.to)
        .bind(filter.district_id)
        .bind(after)
        .bind(before)
}

/// The number of rows the export of `dataset` under `filter` will have.
pub async fn count(
    db: impl PgExecutor<'_>,
    dataset: &Dataset,
    filter: &Filter,
) -> Result<i64, sqlx::Error> {
    use sqlx::Row;
    let sql = dataset.count_sql();
    let row = bind(sqlx::query(&sql), filter).fetch_one(db).await?;
    row.try_get(0)
}
