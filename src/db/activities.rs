//! What came of the shifts.

use chrono::NaiveDate;
use sqlx::PgExecutor;

use super::day_bounds;
use crate::domain::ids::{DistrictId, HotspotId, PilotId};

/// Kinds that count as referrals to a community agency or to health services.
pub const REFERRALS: [&str; 3] = [
    "community_referral",
    "mental_health_referral",
    "addiction_referral",
];

/// Activities per kind logged on a local date in the range, optionally at one district's or one
/// hotspot's hotspots (activities without a hotspot count only for the whole pilot). The pilot
/// and districts read `activity_days` (`db::rollups`); one hotspot reads its own activities.
pub async fn by_kind(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
    district_id: Option<DistrictId>,
    hotspot_id: Option<HotspotId>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let Some(hotspot_id) = hotspot_id else {
        return sqlx::query_as(
            r#"select kind, sum(count)::int8
                 from activity_days
                where pilot_id = $1 and day between $2 and $3
                  and ($4::int8 is null or district_id = $4)
                group by kind
                order by kind"#,
        )
        .bind(pilot_id)
        .bind(from)
        .bind(to)
        .bind(district_id)
        .fetch_all(db)
        .await;
    };
    let (start, end) = day_bounds(time_zone, from, to);
    sqlx::query_as(
        r#"select a.kind, sum(a.count)::int8
             from activities a
             join hotspots h on h.id = a.hotspot_id
            where h.pilot_id = $1 and h.id = $4
              and a.occurred_at >= $2 and a.occurred_at < $3
              and ($5::int8 is null or h.district_id = $5)
            group by a.kind
            order by a.kind"#,
    )
    .bind(pilot_id)
    .bind(start)
    .bind(end)
    .bind(hotspot_id)
    .bind(district_id)
    .fetch_all(db)
    .await
}
