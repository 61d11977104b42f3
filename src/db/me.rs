//! What an officer's own page reads and keeps: their current or next shift, its hotspots and
//! visits, their arrivals waiting for a departure, and the tokens that make a button pressed twice
//! count once.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::domain::ids::{HotspotId, OfficerId, PilotId, ShiftId, UserId, VisitId};
use crate::domain::visit_draft::VisitSource;

/// One of the officer's shifts, as their page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyShift {
    pub id: ShiftId,
    pub pilot_id: PilotId,
    pub pilot_slug: String,
    pub pilot_name: String,
    pub time_zone: String,
    pub team: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The hotspots the shift is directed to.
    pub hotspot_ids: Vec<HotspotId>,
}

impl MyShift {
    /// The pilot's time zone (only known zones are written; UTC stands in otherwise).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// The officer's shift on duty at `now`, else their next one, else the last one that ended less
/// than `grace` ago (visits of it can still be logged); cancelled shifts never.
pub async fn shift(
    db: impl PgExecutor<'_>,
    officer: OfficerId,
    now: DateTime<Utc>,
    grace: chrono::TimeDelta,
) -> Result<Option<MyShift>, sqlx::Error> {
    sqlx::query_as(
        r#"select s.id, s.pilot_id, p.slug as pilot_slug, p.name as pilot_name, p.time_zone,
                  t.name as team, s.starts_at, s.ends_at,
                  array(select hotspot_id from shift_hotspots where shift_id = s.id order by 1)
                    as hotspot_ids
             from shift_members m
             join shifts s on s.id = m.shift_id
             join pilots p on p.id = s.pilot_id
             join teams t on t.id = s.team_id
            where m.officer_id = $1 and s.status <> 'cancelled' and s.ends_at > $2 - $3
            -- On duty first, then the next to start, then the one just ended.
            order by (s.starts_at <= $2 and $2 < s.ends_at) desc, (s.starts_at > $2) desc,
                     case when s.starts_at > $2 then s.starts_at end,
                     s.ends_at desc
            limit 1"#,
    )
    .bind(officer)
    .bind(now)
    .bind(grace)
    .fetch_optional(db)
    .await
}

/// Whether `officer` is a member of shift `shift_id`.
pub async fn is_member(
    db: impl PgExecutor<'_>,
    officer: OfficerId,
    shift_id: ShiftId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (select 1 from shift_members where shift_id = $1 and officer_id = $2)",
    )
    .bind(shift_id)
    .bind(officer)
    .fetch_one(db)
    .await
}

/// An arrival waiting for its departure.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Arrival {
    pub id: i64,
    pub shift_id: ShiftId,
    pub hotspot_id: HotspotId,
    pub arrived_at: DateTime<Utc>,
}

/// The arrivals of shift `shift_id` still waiting.
pub async fn arrivals(
    db: impl PgExecutor<'_>,
    shift_id: ShiftId,
) -> Result<Vec<Arrival>, sqlx::Error> {
    sqlx::query_as(
        "select id, shift_id, hotspot_id, arrived_at from arrivals where shift_id = $1 order by arrived_at",
    )
    .bind(shift_id)
    .fetch_all(db)
    .await
}

/// Records `user`'s arrival at a hotspot for a shift; `None` when one is already waiting there.
pub async fn arrive(
    db: impl PgExecutor<'_>,
    user: UserId,
    shift_id: ShiftId,
    hotspot_id: HotspotId,
    at: DateTime<Utc>,
) -> Result<Option<Arrival>, sqlx::Error> {
    sqlx::query_as(
        r#"insert into arrivals (user_id, shift_id, hotspot_id, arrived_at) values ($1, $2, $3, $4)
           on conflict on constraint arrivals_once do nothing
           returning id, shift_id, hotspot_id, arrived_at"#,
    )
    .bind(user)
    .bind(shift_id)
    .bind(hotspot_id)
    .bind(at)
    .fetch_optional(db)
    .await
}

/// The waiting arrival of shift `shift_id` at `hotspot_id`.
pub async fn arrival(
    db: impl PgExecutor<'_>,
    shift_id: ShiftId,
    hotspot_id: HotspotId,
) -> Result<Option<Arrival>, sqlx::Error> {
    sqlx::query_as(
        "select id, shift_id, hotspot_id, arrived_at from arrivals where shift_id = $1 and hotspot_id = $2",
    )
    .bind(shift_id)
    .bind(hotspot_id)
    .fetch_optional(db)
    .await
}

/// Forgets arrival `id` (it became a visit).
pub async fn forget_arrival(db: impl PgExecutor<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("delete from arrivals where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A visit of the shift, as the officer's page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyVisit {
    pub id: VisitId,
    pub shift_id: ShiftId,
    pub hotspot_id: HotspotId,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: VisitSource,
}

/// The visits of shift `shift_id`, latest first.
pub async fn visits(
    db: impl PgExecutor<'_>,
    shift_id: ShiftId,
) -> Result<Vec<MyVisit>, sqlx::Error> {
    sqlx::query_as(
        "select id, shift_id, hotspot_id, arrived_at, departed_at, source from visits where shift_id = $1 order by arrived_at desc, id desc",
    )
    .bind(shift_id)
    .fetch_all(db)
    .await
}

/// Visit `id`.
pub async fn visit(db: impl PgExecutor<'_>, id: VisitId) -> Result<Option<MyVisit>, sqlx::Error> {
    sqlx::query_as(
        "select id, shift_id, hotspot_id, arrived_at, departed_at, source from visits where id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Takes `token` for `user`: `true` the first time, `false` when it was taken before (the same
/// button pressed again).
pub async fn claim_token(
    db: impl PgExecutor<'_>,
    token: &str,
    user: UserId,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "insert into action_tokens (token, user_id) values ($1, $2) on conflict do nothing",
    )
    .bind(token)
    .bind(user)
    .execute(db)
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Gives `token` back, when what it was taken for failed, so that pressing again retries.
pub async fn release_token(db: impl PgExecutor<'_>, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from action_tokens where token = $1")
        .bind(token)
        .execute(db)
        .await?;
    Ok(())
}

/// The name of officer `officer`.
pub async fn officer_name(
    db: impl PgExecutor<'_>,
    officer: OfficerId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select name from officers where id = $1")
        .bind(officer)
        .fetch_optional(db)
        .await
}

/// The officer with the most shifts who has no account yet (the lowest id among equals): whom a
/// demo's or a test's officer account belongs to.
pub async fn busiest_officer_without_account(
    db: impl PgExecutor<'_>,
) -> Result<Option<OfficerId>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select o.id from officers o
             left join shift_members m on m.officer_id = o.id
            where not exists (select 1 from users u where u.officer_id = o.id)
            group by o.id
            order by count(m.shift_id) desc, o.id
            limit 1"#,
    )
    .fetch_optional(db)
    .await
}
