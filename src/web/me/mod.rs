//! `/me`: an officer's own shift on a phone. Their shift on duty (or the next, or the one just
//! ended), its hotspots with the most overdue first, "Arrived" and "Left" for each, and quick
//! activity logging. Every button carries a token made when the page was drawn: pressed twice, it
//! counts once (`db::me::claim_token`).

mod actions;

pub use actions::{activity, arrived, change_visit, left};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::db::me::{self, MyShift};
use crate::db::users::User;
use crate::db::{districts, hotspots, now};
use crate::domain::activity_draft::ActivityKind;
use crate::domain::ids::{HotspotId, OfficerId};
use crate::domain::numbers::duration;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::auth::{AsOfficer, new_token};
use crate::web::charts::{self, Map, MapArea};
use crate::web::format;
use crate::web::page::{Layout, Page};

/// How long after a shift ends its officer may still log its visits and activities here.
pub const GRACE: TimeDelta = TimeDelta::hours(2);

/// What the page says after a button: `?done=`.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// A hotspot of the shift, with its button.
pub struct HotspotLine {
    pub id: HotspotId,
    pub name: String,
    /// "1 h 10 min since the last visit; aim at most 2 h", or when its window opens.
    pub status: String,
    pub overdue: bool,
    /// "14:02" when the officer arrived and has not left yet.
    pub arrived: Option<String>,
    /// A fresh token for its button.
    pub token: String,
}

#[derive(Template)]
#[template(path = "me.html")]
pub struct MePage {
    layout: Layout,
    officer: String,
    shift: Option<ShiftView>,
    /// Why the last change was refused, when it was.
    problem: Option<String>,
}

/// The shift shown, with what can be done on it.
pub struct ShiftView {
    pub id: i64,
    pub team: String,
    pub pilot_name: String,
    pub board_href: String,
    /// "On duty 07:00–17:00", "Next: Thu 16 Mar 07:00–17:00" …
    pub when: String,
    /// Whether visits and activities can be logged now.
    pub open: bool,
    pub hotspots: Vec<HotspotLine>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub activity_token: String,
    pub visits: Vec<VisitLine>,
    /// The shift's hotspots in their districts; tapping one leads to its buttons.
    pub map: Map,
    /// The first and last local times a visit of the shift may have, for the change forms.
    pub earliest: String,
    pub latest: String,
}

/// A visit of the shift, with its times as the change form shows them.
pub struct VisitLine {
    pub id: i64,
    /// "14:02–14:17 at Plaza".
    pub text: String,
    pub arrived_at: String,
    pub departed_at: String,
}

/// `GET /me`.
pub async fn show(
    AsOfficer(user, officer): AsOfficer,
    State(state): State<AppState>,
    Query(done): Query<Done>,
) -> AppResult<impl IntoResponse> {
    let notice = done
        .done
        .as_deref()
        .and_then(done_sentence)
        .map(str::to_string);
    Ok(Page(page(&state, &user, officer, notice, None).await?))
}

/// The page for `user`, officer `officer`, with `notice` or `problem` above it.
pub async fn page(
    state: &AppState,
    user: &User,
    officer: OfficerId,
    notice: Option<String>,
    problem: Option<String>,
) -> AppResult<MePage> {
    let name = me::officer_name(&state.db, officer)
        .await?
        .unwrap_or_else(|| user.display_name.clone());
    let now = Utc::now();
    let shift = match me::shift(&state.db, officer, now, GRACE).await? {
        Some(shift) => Some(shift_view(state, &shift, now).await?),
        None => None,
    };
    Ok(MePage {
        layout: Layout::new("My shift", Some(user)).with_notice(notice),
        officer: name,
        shift,
        problem,
    })
}

/// The sentence for `?done=`; unknown words say nothing.
fn done_sentence(done: &str) -> Option<&'static str> {
    Some(match done {
        "arrived" => "Your arrival is recorded. Press Left when you leave.",
        "left" => "Your visit is recorded.",
        "activity" => "The activity is recorded.",
        "changed" => "The visit is changed.",
        "already" => "That was already recorded: nothing was added.",
        _ => return None,
    })
}

async fn shift_view(state: &AppState, shift: &MyShift, now: DateTime<Utc>) -> AppResult<ShiftView> {
    let zone = shift.zone();
    let mut conn = state.db.acquire().await?;
    let moment = now::moment(&mut conn, shift.pilot_id, now)
        .await
        .map_err(AppError::Internal)?;
    let arrivals = me::arrivals(&mut *conn, shift.id).await?;
    let clock = |at: DateTime<Utc>| at.with_timezone(&zone).format("%H:%M").to_string();
    // Open hotspots of the shift as the board orders them (overdue first), then the others.
    let mut order: Vec<HotspotId> = moment
        .open
        .iter()
        .map(|h| h.hotspot_id)
        .filter(|id| shift.hotspot_ids.contains(id))
        .collect();
    order.extend(
        shift
            .hotspot_ids
            .iter()
            .filter(|id| !order.contains(id))
            .copied()
            .collect::<Vec<_>>(),
    );
    let hotspots = order
        .into_iter()
        .map(|id| {
            let open = moment.open.iter().find(|h| h.hotspot_id == id);
            HotspotLine {
                id,
                name: moment.hotspot_name(id),
                status: match open {
                    Some(h) => format!(
                        "{} since the last visit; aim at most {}",
                        duration(h.since.num_seconds() as f64 / 60.0),
                        duration(h.max_gap.num_minutes() as f64)
                    ),
                    None => "Its watch window is closed now.".to_string(),
                },
                overdue: open.is_some_and(|h| h.is_overdue()),
                arrived: arrivals
                    .iter()
                    .find(|a| a.hotspot_id == id)
                    .map(|a| clock(a.arrived_at)),
                token: new_token(),
            }
        })
        .collect();
    let on_duty = shift.starts_at <= now && now < shift.ends_at;
    let hours = format!("{}–{}", clock(shift.starts_at), clock(shift.ends_at));
    let day = format::day(shift.starts_at.with_timezone(&zone).date_naive());
    let when = if on_duty {
        format!("On duty, {hours}")
    } else if shift.starts_at > now {
        format!("Next: {day}, {hours}")
    } else {
        format!(
            "Ended at {}; you can log its visits until {}.",
            clock(shift.ends_at),
            clock(shift.ends_at + GRACE)
        )
    };
    let visits = me::visits(&mut *conn, shift.id)
        .await?
        .into_iter()
        .map(|v| VisitLine {
            id: v.id.0,
            text: format!(
                "{}–{} at {}",
                clock(v.arrived_at),
                clock(v.departed_at),
                moment.hotspot_name(v.hotspot_id)
            ),
            arrived_at: input_time(zone, v.arrived_at),
            departed_at: input_time(zone, v.departed_at),
        })
        .collect();
    let map = small_map(&mut conn, shift).await?;
    let tolerance = crate::domain::shift_log::SHIFT_TOLERANCE;
    Ok(ShiftView {
        map,
        earliest: input_time(zone, shift.starts_at - tolerance),
        latest: input_time(zone, shift.ends_at + tolerance),
        id: shift.id.0,
        team: shift.team.clone(),
        pilot_name: shift.pilot_name.clone(),
        board_href: format!("/pilots/{}/now", shift.pilot_slug),
        when,
        open: loggable(shift, now),
        hotspots,
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        activity_token: new_token(),
        visits,
    })
}

/// The shift's hotspots over the districts they lie in, unshaded: for finding one's way, each
/// hotspot a link to its buttons on the page.
async fn small_map(conn: &mut sqlx::PgConnection, shift: &MyShift) -> AppResult<Map> {
    let hotspots: Vec<_> = hotspots::list(&mut *conn, shift.pilot_id)
        .await?
        .into_iter()
        .filter(|h| shift.hotspot_ids.contains(&h.id))
        .collect();
    let districts: Vec<_> = districts::list(&mut *conn, shift.pilot_id)
        .await?
        .into_iter()
        .filter(|d| hotspots.iter().any(|h| h.district_id == d.id))
        .collect();
    let area = |name: &str, href: String, geometry| MapArea {
        name: name.to_string(),
        href,
        geometry,
        coverage_pct: None,
        current: false,
    };
    let district_areas: Vec<MapArea> = districts
        .iter()
        .map(|d| area(&d.name, "#hotspots-heading".to_string(), &d.boundary))
        .collect();
    let hotspot_areas: Vec<MapArea> = hotspots
        .iter()
        .map(|h| area(&h.name, format!("#hotspot-{}", h.id), &h.boundary))
        .collect();
    Ok(charts::map("The shift's hotspots", "", &district_areas, &hotspot_areas).with_id("my-map"))
}

/// `at` as a `datetime-local` input writes it, in `zone`.
pub fn input_time(zone: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// Whether the officer may log on `shift` at `now`: from half an hour before it starts (the shift
/// log's tolerance) to [`GRACE`] after it ends.
pub fn loggable(shift: &MyShift, now: DateTime<Utc>) -> bool {
    let tolerance = crate::domain::shift_log::SHIFT_TOLERANCE;
    shift.starts_at - tolerance <= now && now <= shift.ends_at + GRACE
}
