//! Officer-hours (docs/coverage.md): members' shift hours of non-cancelled shifts that start on a
//! local date in the range, by agency, and by district (split evenly among the districts of the
//! hotspots a shift was directed to). Read from `officer_days` (`db::rollups`).

use chrono::NaiveDate;
use sqlx::PgExecutor;

use crate::domain::agency::Agency;
use crate::domain::ids::{DistrictId, PilotId};

/// An agency's officer time.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AgencyHours {
    #[sqlx(flatten)]
    pub agency: Agency,
    pub seconds: f64,
}

/// Seconds of officer time per agency of the `agencies` table, of the whole pilot or of one
/// district's share: every agency with time in the range or officers assigned to the pilot (with
/// none then), by name.
pub async fn by_agency(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
    district_id: Option<DistrictId>,
) -> Result<Vec<AgencyHours>, sqlx::Error> {
    sqlx::query_as(
        r#"select a.code, a.name, a.label, coalesce(h.seconds, 0) as seconds
             from agencies a
             left join (select agency, sum(seconds) as seconds
                          from officer_days
                         where pilot_id = $1 and day between $2 and $3
                           and ($4::int8 is null or district_id = $4)
                         group by agency) h on h.agency = a.code
            where h.seconds is not null
               or exists (select 1 from officers o join assignments s on s.officer_id = o.id
                           where o.agency = a.code and s.pilot_id = $1)
            order by a.name, a.code"#,
    )
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .bind(district_id)
    .fetch_all(db)
    .await
}

/// Seconds of officer time per district id, split evenly among each shift's districts.
pub async fn by_district(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(DistrictId, f64)>, sqlx::Error> {
    sqlx::query_as(
        r#"select district_id, sum(seconds)
             from officer_days
            where pilot_id = $1 and day between $2 and $3 and district_id is not null
            group by district_id"#,
    )
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
