//! One moment of a pilot, for the "now" board and its API: the engine's figures
//! (`coverage::now`) from the raw tables, with the names the board shows and the last hour's log.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgConnection;

use crate::coverage::now::{self as engine, LOOK_AHEAD, OpenHotspot};
use crate::coverage::{self, Block};
use crate::domain::Mode;
use crate::domain::activity_draft::ActivityKind;
use crate::domain::ids::{HotspotId, OfficerId, PilotId, ShiftId};

/// How far back the board lists visits and activities.
pub const RECENT: TimeDelta = TimeDelta::hours(1);

/// A shift on duty, as the board shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OnDuty {
    pub shift_id: ShiftId,
    pub team: String,
    pub mode: Mode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub officer_ids: Vec<OfficerId>,
    /// Members as "Name (agency's label)", in the order of `officer_ids`.
    pub officers: Vec<String>,
    pub hotspot_ids: Vec<HotspotId>,
}

/// A hotspot's name and district, for the board's lines.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Named {
    pub id: HotspotId,
    pub name: String,
    pub district_code: String,
}

/// A visit or an activity of the last hour.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Logged {
    pub at: DateTime<Utc>,
    pub shift_id: ShiftId,
    pub team: String,
    pub hotspot_id: Option<HotspotId>,
    /// For a visit its minutes at the hotspot so far (to its departure or the moment); for an
    /// activity its count.
    pub amount: i64,
    /// The activity's kind; `None` for a visit.
    pub kind: Option<ActivityKind>,
}

/// A pilot at one instant.
pub struct Moment {
    pub at: DateTime<Utc>,
    pub pilot: coverage::Pilot,
    pub on_duty: Vec<OnDuty>,
    pub open: Vec<OpenHotspot>,
    pub unplanned: Vec<(HotspotId, Block)>,
    pub hotspots: HashMap<HotspotId, Named>,
    /// Visits that arrived and activities that occurred in the hour up to the moment, latest first.
    pub recent: Vec<Logged>,
}

impl Moment {
    /// The name of hotspot `id` (its id when unknown, which cannot happen for the pilot's own).
    pub fn hotspot_name(&self, id: HotspotId) -> String {
        self.hotspots
            .get(&id)
            .map_or_else(|| format!("hotspot {id}"), |h| h.name.clone())
    }

    /// Open hotspots past their longest gap.
    pub fn overdue(&self) -> impl Iterator<Item = &OpenHotspot> {
        self.open.iter().filter(|h| h.is_overdue())
    }
}

/// The pilot `pilot_id` at `at`.
pub async fn moment(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    at: DateTime<Utc>,
) -> anyhow::Result<Moment> {
    let pilot = super::coverage::pilot(&mut *conn, pilot_id).await?;
    let hotspots = super::coverage::hotspots(&mut *conn, pilot_id).await?;
    // Wide enough for every shift on duty at `at` and every shift that covers half of a block
    // overlapping the next hours (no shift lasts over 16 hours, no block over 4).
    let day = TimeDelta::days(1);
    let shifts =
        super::coverage::shifts(&mut *conn, pilot_id, at - day, at + LOOK_AHEAD + day, None)
            .await?;
    let last_arrivals = last_arrivals(&mut *conn, pilot_id, at).await?;
    let open = engine::open_hotspots(&pilot, &hotspots, &last_arrivals, at);
    let unplanned = engine::unplanned_ahead(&pilot, &hotspots, &shifts, at);
    let on_duty_ids: Vec<ShiftId> = shifts
        .iter()
        .filter(|s| engine::is_on_duty(s, at))
        .map(|s| s.id)
        .collect();
    let on_duty = on_duty(&mut *conn, &on_duty_ids).await?;
    let hotspots = names(&mut *conn, pilot_id).await?;
    let recent = recent(&mut *conn, pilot_id, at).await?;
    Ok(Moment {
        at,
        pilot,
        on_duty,
        open,
        unplanned,
        hotspots,
        recent,
    })
}

/// The latest arrival at or before `at` at each hotspot of the pilot, as one visit each (the
/// engine reads only arrivals).
async fn last_arrivals(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    at: DateTime<Utc>,
) -> Result<Vec<coverage::Visit>, sqlx::Error> {
    let rows: Vec<(HotspotId, ShiftId, DateTime<Utc>)> = sqlx::query_as(
        r#"select h.id, last.shift_id, last.arrived_at
             from hotspots h
             cross join lateral (select v.shift_id, v.arrived_at from visits v
                                  where v.hotspot_id = h.id and v.arrived_at <= $2
                                  order by v.arrived_at desc limit 1) last
            where h.pilot_id = $1"#,
    )
    .bind(pilot_id)
    .bind(at)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(hotspot_id, shift_id, arrived_at)| coverage::Visit {
            shift_id,
            hotspot_id,
            arrived_at,
            departed_at: arrived_at,
            members: 0,
        })
        .collect())
}

/// The shifts `ids` with their team, members and hotspots, by start then team.
async fn on_duty(conn: &mut PgConnection, ids: &[ShiftId]) -> Result<Vec<OnDuty>, sqlx::Error> {
    sqlx::query_as(
        r#"select s.id as shift_id, t.name as team, s.mode, s.starts_at, s.ends_at,
                  coalesce(m.ids, '{}') as officer_ids, coalesce(m.names, '{}') as officers,
                  coalesce(h.ids, '{}') as hotspot_ids
             from shifts s
             join teams t on t.id = s.team_id
             left join lateral (
                   select array_agg(o.id order by o.name, o.id) as ids,
                          array_agg(o.name || ' (' || a.label || ')' order by o.name, o.id) as names
                     from shift_members sm
                     join officers o on o.id = sm.officer_id
                     join agencies a on a.code = o.agency
                    where sm.shift_id = s.id) m on true
             left join lateral (select array_agg(sh.hotspot_id order by sh.hotspot_id) as ids
                                  from shift_hotspots sh where sh.shift_id = s.id) h on true
            where s.id = any($1)
            order by s.starts_at, t.name, s.id"#,
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// The pilot's hotspots' names and districts, by id.
async fn names(
    conn: &mut PgConnection,
    pilot_id: PilotId,
) -> Result<HashMap<HotspotId, Named>, sqlx::Error> {
    let rows: Vec<Named> = sqlx::query_as(
        r#"select h.id, h.name, d.code as district_code
             from hotspots h join districts d on d.id = h.district_id
            where h.pilot_id = $1"#,
    )
    .bind(pilot_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|h| (h.id, h)).collect())
}

/// Visits that arrived and activities that occurred in the hour up to `at`, latest first.
async fn recent(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    at: DateTime<Utc>,
) -> Result<Vec<Logged>, sqlx::Error> {
    sqlx::query_as(
        r#"select v.arrived_at as at, s.id as shift_id, t.name as team, v.hotspot_id,
                  (extract(epoch from least(v.departed_at, $2) - v.arrived_at) / 60)::int8 as amount,
                  null::text as kind
             from hotspots h
             join visits v on v.hotspot_id = h.id and v.arrived_at > $2 - $3 and v.arrived_at <= $2
             join shifts s on s.id = v.shift_id join teams t on t.id = s.team_id
            where h.pilot_id = $1
           union all
           select a.occurred_at, s.id, t.name, a.hotspot_id, a.count::int8, a.kind
             from activities a join shifts s on s.id = a.shift_id join teams t on t.id = s.team_id
            where s.pilot_id = $1 and a.occurred_at > $2 - $3 and a.occurred_at <= $2
            order by 1 desc, 2"#,
    )
    .bind(pilot_id)
    .bind(at)
    .bind(RECENT)
    .fetch_all(conn)
    .await
}
