//! `GET /pilots/{slug}/now[?at=YYYY-MM-DDTHH:MM][&board=1]`: the board for the duty supervisor,
//! and in large type for a screen in the briefing room. It refreshes itself every minute: htmx
//! fetches the page again and swaps the board in; without JavaScript the page reloads.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Asked, NowQuery};
use crate::coverage::Block;
use crate::db::now::{self, Moment};
use crate::db::pilots::{self, Pilot};
use crate::domain::ids::HotspotId;
use crate::domain::numbers::{counted, duration};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::auth::SignedIn;
use crate::web::format;
use crate::web::page::{Layout, Page};
use crate::web::path::Path;

/// Seconds between refreshes.
pub const REFRESH_SECONDS: u32 = 60;

/// A hotspot line: open, with its time since the last visit.
pub struct OpenLine {
    pub href: String,
    pub name: String,
    pub district: String,
    pub priority: i16,
    /// "2 h 30 min".
    pub since: String,
    /// "1 h 30 min".
    pub aim: String,
    /// The arrival of the last visit in this window, "14:05".
    pub last: Option<String>,
    /// When the window opened, "07:00".
    pub opened: String,
    pub overdue: bool,
}

/// A shift on duty.
pub struct DutyLine {
    pub team: String,
    pub mode: &'static str,
    /// "08:00–16:00".
    pub hours: String,
    pub officers: String,
    pub hotspots: Vec<(String, String)>,
    pub log_href: String,
}

/// A hotspot with blocks of the next hours that nobody is rostered for.
pub struct AheadLine {
    pub href: String,
    pub name: String,
    /// "15:00–16:00, 17:00–18:00".
    pub blocks: String,
}

/// A visit or activity of the last hour.
pub struct RecentLine {
    pub time: String,
    pub team: String,
    pub what: String,
    pub hotspot: String,
}

#[derive(Template)]
#[template(path = "pilots/now.html")]
pub struct NowPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    slug: String,
    /// "Wed 15 Mar 2023 14:00".
    moment: String,
    /// The replayed local time as the input writes it; empty for the present.
    at_value: String,
    first_moment: String,
    last_moment: String,
    board: bool,
    refresh_seconds: u32,
    /// The same view, for htmx to fetch again.
    self_href: String,
    /// The same moment in the other layout.
    other_layout_href: String,
    /// What the moment is, in a sentence, when nothing is open or on duty.
    quiet: Option<String>,
    overdue: Vec<OpenLine>,
    open: Vec<OpenLine>,
    on_duty: Vec<DutyLine>,
    ahead: Vec<AheadLine>,
    recent: Vec<RecentLine>,
    summary: String,
    /// The pilot's wall clock when the page was made, `HH:MM:SS`.
    refreshed: String,
}

/// The handler.
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<NowQuery>,
) -> AppResult<impl IntoResponse> {
    let pilot = pilots::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = pilot.zone();
    let (asked, notice) = match Asked::parse(query.at.as_deref()) {
        Ok(asked) => (asked, None),
        Err(problem) => (
            Asked::Present,
            Some(format!("{problem}. Showing the present.")),
        ),
    };
    let mut conn = state.db.acquire().await?;
    let moment = now::moment(&mut conn, pilot.id, asked.instant(zone, Utc::now()))
        .await
        .map_err(AppError::Internal)?;
    let board = query.board.as_deref() == Some("1");
    let layout = Layout::new(format!("Now · {}", pilot.name), Some(&user))
        .for_pilot(&pilot.slug, &pilot.name)
        .with_notice(notice);
    Ok(Page(view(layout, &pilot, asked, board, &moment)))
}

fn view(layout: Layout, pilot: &Pilot, asked: Asked, board: bool, moment: &Moment) -> NowPage {
    let zone = pilot.zone();
    let at_value = match asked {
        Asked::Present => String::new(),
        Asked::Replay(local) => local.format("%Y-%m-%dT%H:%M").to_string(),
    };
    let href = |board: bool| {
        let mut query = Vec::new();
        if !at_value.is_empty() {
            query.push(format!("at={at_value}"));
        }
        if board {
            query.push("board=1".to_string());
        }
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        format!("/pilots/{}/now{query}", pilot.slug)
    };
    let hotspot_href = |id: HotspotId| format!("/pilots/{}/hotspots/{id}", pilot.slug);
    let lines: Vec<OpenLine> = moment
        .open
        .iter()
        .map(|h| {
            let named = moment.hotspots.get(&h.hotspot_id);
            OpenLine {
                href: hotspot_href(h.hotspot_id),
                name: moment.hotspot_name(h.hotspot_id),
                district: named.map(|n| n.district_code.clone()).unwrap_or_default(),
                priority: h.priority,
                since: duration(h.since.num_seconds() as f64 / 60.0),
                aim: duration(h.max_gap.num_minutes() as f64),
                last: h
                    .last_visit_arrived_at
                    .filter(|arrived| *arrived >= h.opened_at)
                    .map(|arrived| clock(zone, moment.at, arrived)),
                opened: clock(zone, moment.at, h.opened_at),
                overdue: h.is_overdue(),
            }
        })
        .collect();
    let (overdue, open): (Vec<OpenLine>, Vec<OpenLine>) =
        lines.into_iter().partition(|l| l.overdue);
    let on_duty = moment
        .on_duty
        .iter()
        .map(|s| DutyLine {
            team: s.team.clone(),
            mode: s.mode.as_str(),
            hours: format!(
                "{}–{}",
                clock(zone, moment.at, s.starts_at),
                clock(zone, moment.at, s.ends_at)
            ),
            officers: s.officers.join(", "),
            hotspots: s
                .hotspot_ids
                .iter()
                .map(|id| (hotspot_href(*id), moment.hotspot_name(*id)))
                .collect(),
            log_href: format!("/shifts/{}/log", s.shift_id),
        })
        .collect::<Vec<_>>();
    let ahead = unplanned_runs(&moment.unplanned)
        .into_iter()
        .map(|(id, runs)| AheadLine {
            href: hotspot_href(id),
            name: moment.hotspot_name(id),
            blocks: runs
                .iter()
                .map(|(start, end)| {
                    format!(
                        "{}–{}",
                        clock(zone, moment.at, *start),
                        clock(zone, moment.at, *end)
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let recent = moment
        .recent
        .iter()
        .map(|r| RecentLine {
            time: clock(zone, moment.at, r.at),
            team: r.team.clone(),
            what: match r.kind {
                None => format!("Visit, {} so far", duration(r.amount as f64)),
                Some(kind) => format!("{} × {}", kind.label(), r.amount),
            },
            hotspot: r
                .hotspot_id
                .map(|id| moment.hotspot_name(id))
                .unwrap_or_default(),
        })
        .collect::<Vec<_>>();
    let overdue_count = overdue.len() as i64;
    let summary = format!(
        "{} on duty; {} open, {} overdue; {} of the next 4 hours not rostered.",
        counted(on_duty.len() as i64, "shift", "shifts"),
        counted((overdue.len() + open.len()) as i64, "hotspot", "hotspots"),
        overdue_count,
        counted(
            moment.unplanned.len() as i64,
            "hotspot-block",
            "hotspot-blocks"
        ),
    );
    let local = moment.at.with_timezone(&zone).naive_local();
    let quiet = (on_duty.is_empty() && overdue.is_empty() && open.is_empty()).then(|| {
        let date = local.date();
        if date < pilot.starts_on || date > pilot.ends_on {
            format!(
                "{} ran from {} to {}: at this moment it is not running. Choose a moment within it to replay it.",
                pilot.name,
                format::day(pilot.starts_on),
                format::day(pilot.ends_on)
            )
        } else {
            "No hotspot's watch window is open and no shift is on duty at this moment.".to_string()
        }
    });
    NowPage {
        layout,
        pilot_name: pilot.name.clone(),
        pilot_href: format!("/pilots/{}", pilot.slug),
        slug: pilot.slug.clone(),
        moment: format::local(local),
        first_moment: format!("{}T00:00", pilot.starts_on),
        last_moment: format!("{}T23:59", pilot.ends_on),
        board,
        refresh_seconds: REFRESH_SECONDS,
        self_href: href(board),
        other_layout_href: href(!board),
        at_value,
        quiet,
        overdue,
        open,
        on_duty,
        ahead,
        recent,
        summary,
        refreshed: Utc::now()
            .with_timezone(&zone)
            .format("%H:%M:%S")
            .to_string(),
    }
}

/// A stretch of time, `[start, end)`.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// Each hotspot's unplanned blocks joined into runs of back-to-back blocks, `[start, end)`, in
/// the order the hotspots first appear.
fn unplanned_runs(unplanned: &[(HotspotId, Block)]) -> Vec<(HotspotId, Vec<Span>)> {
    let mut runs: Vec<(HotspotId, Vec<Span>)> = Vec::new();
    for (id, block) in unplanned {
        let index = match runs.iter().position(|(h, _)| h == id) {
            Some(index) => index,
            None => {
                runs.push((*id, Vec::new()));
                runs.len() - 1
            }
        };
        let spans = &mut runs[index].1;
        match spans.last_mut() {
            Some((_, end)) if *end == block.starts_at => *end = block.ends_at,
            _ => spans.push((block.starts_at, block.ends_at)),
        }
    }
    runs
}

/// `instant` as the pilot's wall clock, `HH:MM`, with the day when it is not `at`'s day.
fn clock(zone: Tz, at: DateTime<Utc>, instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&zone);
    if local.date_naive() == at.with_timezone(&zone).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%a %-d %b %H:%M").to_string()
    }
}
