//! The gap list, read with the help of the stored coverage: `hotspot_days` says which
//! hotspot-days have unplanned blocks, so only the shifts of the few that can make the list are
//! loaded and handed to the engine, however long the range.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use sqlx::{PgConnection, PgExecutor};

use crate::coverage::{self, Gap, OpenDay, gap_span, resolve_local};
use crate::domain::ids::{HotspotId, PilotId, ShiftId, TeamId};

/// The first `limit` gaps of `hotspots` (of pilot `pilot_id`) on hotspot-days `from..=to`, in the
/// order of `coverage::gaps`.
pub async fn list(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    pilot: &coverage::Pilot,
    hotspots: &[coverage::Hotspot],
    from: NaiveDate,
    to: NaiveDate,
    limit: usize,
) -> Result<Vec<Gap>, sqlx::Error> {
    let ids: Vec<HotspotId> = hotspots.iter().map(|h| h.id).collect();
    let rows: Vec<(HotspotId, NaiveDate, i64)> = sqlx::query_as(
        r#"select hotspot_id, day, (blocks - planned_blocks)::int8
             from hotspot_days
            where hotspot_id = any($1) and day between $2 and $3 and planned_blocks < blocks"#,
    )
    .bind(&ids)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let open: Vec<OpenDay> = rows
        .into_iter()
        .filter_map(|(hotspot_id, date, unplanned)| {
            let hotspot = hotspots.iter().find(|h| h.id == hotspot_id)?;
            Some(OpenDay {
                hotspot_id,
                priority: hotspot.watch.priority,
                date,
                unplanned,
            })
        })
        .collect();
    let Some(span) = gap_span(&open, limit) else {
        return Ok(Vec::new());
    };
    let chosen: Vec<coverage::Hotspot> = hotspots
        .iter()
        .filter(|h| span.hotspot_ids.contains(&h.id))
        .cloned()
        .collect();
    let chosen_ids: Vec<HotspotId> = span.hotspot_ids.iter().copied().collect();
    // A window that opens on `span.to` may close the next day; a shift may start the day before.
    let since = resolve_local(
        pilot.time_zone,
        span.from
            .checked_sub_days(Days::new(1))
            .unwrap_or(span.from),
        NaiveTime::MIN,
    );
    let until = resolve_local(
        pilot.time_zone,
        span.to.checked_add_days(Days::new(2)).unwrap_or(span.to),
        NaiveTime::MIN,
    );
    let shifts = rostered(&mut *conn, pilot_id, since, until, &chosen_ids).await?;
    Ok(coverage::gaps(
        pilot, &chosen, &shifts, span.from, span.to, limit,
    ))
}

type RosteredRow = (
    ShiftId,
    TeamId,
    DateTime<Utc>,
    DateTime<Utc>,
    Vec<HotspotId>,
);

/// The non-cancelled shifts of a pilot that overlap `[from, to)` directed to any of `hotspot_ids`,
/// with their hotspots, without their members: all the gap list needs.
async fn rostered(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    hotspot_ids: &[HotspotId],
) -> Result<Vec<coverage::Shift>, sqlx::Error> {
    let rows: Vec<RosteredRow> = sqlx::query_as(
        r#"select s.id, s.team_id, s.starts_at, s.ends_at,
                  array(select sh.hotspot_id from shift_hotspots sh where sh.shift_id = s.id
                         order by sh.hotspot_id)
             from shifts s
            where s.pilot_id = $1 and s.status <> 'cancelled'
              and s.ends_at > $2 and s.starts_at < $3
              and s.starts_at >= $2 - interval '16 hours'
              and exists (select 1 from shift_hotspots sh
                           where sh.shift_id = s.id and sh.hotspot_id = any($4))
            order by s.starts_at, s.id"#,
    )
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .bind(hotspot_ids)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, team_id, starts_at, ends_at, hotspot_ids)| coverage::Shift {
                id,
                team_id,
                starts_at,
                ends_at,
                cancelled: false,
                hotspot_ids,
                members: Vec::new(),
            },
        )
        .collect())
}
