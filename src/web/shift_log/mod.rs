//! After the shift: its log page, with the visits and activities it logged and, for supervisors
//! and up, forms to add, edit and delete them.

mod activities;
mod forms;
mod visits;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Datelike, Days, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};

use super::auth::SignedIn;
use super::format;
use super::page::{Layout, Page};
use crate::coverage::{KOPER_MAX, KOPER_MIN, PASS_THROUGH_UNDER, local_date};
use crate::db::activity_log::{self, ActivityEntry};
use crate::db::users::User;
use crate::db::visit_log::{self, HotspotChoice, LoggedShift, VisitEntry};
use crate::domain::activity_draft::{ActivityForm, ActivityKind};
use crate::domain::field_errors::FieldErrors;
use crate::domain::local_time::input_value;
use crate::domain::shift_log::{HotspotDates, ShiftToLog};
use crate::domain::visit_draft::VisitForm;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use forms::{ActivityFormView, VisitFormView};

/// The shift log's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shifts/{id}/log", get(show))
        .route("/shifts/{id}/visits", post(visits::create))
        .route("/visits/{id}", post(visits::update))
        .route("/visits/{id}/delete", post(visits::delete))
        .route("/shifts/{id}/activities", post(activities::create))
        .route("/activities/{id}", post(activities::update))
        .route("/activities/{id}/delete", post(activities::delete))
}

/// A shift with its pilot's zone and hotspots: what entries are checked against.
struct Loaded {
    shift: LoggedShift,
    zone: Tz,
    hotspots: Vec<HotspotChoice>,
}

impl Loaded {
    /// The shift `id` (404 when there is none).
    async fn load(conn: &mut PgConnection, id: i64) -> AppResult<Loaded> {
        let shift = visit_log::shift(&mut *conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let zone: Tz = shift
            .time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("pilot {} has an unknown time zone", shift.pilot_slug))?;
        let hotspots = visit_log::hotspots(&mut *conn, shift.pilot_id).await?;
        Ok(Loaded {
            shift,
            zone,
            hotspots,
        })
    }

    /// The shift as the drafts check entries against it.
    fn rules(&self) -> ShiftToLog {
        ShiftToLog {
            starts_at: self.shift.starts_at,
            ends_at: self.shift.ends_at,
            cancelled: self.cancelled(),
            hotspots: self
                .hotspots
                .iter()
                .map(|h| HotspotDates {
                    id: h.id,
                    name: h.name.clone(),
                    active_from: h.active_from,
                    active_to: h.active_to,
                })
                .collect(),
        }
    }

    fn cancelled(&self) -> bool {
        !self.shift.status.counts()
    }

    /// A local time as the page shows it, with the zone's abbreviation (MST, MDT).
    fn local(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.zone);
        format!(
            "{} {}",
            format::local(local.naive_local()),
            local.format("%Z")
        )
    }

    /// Recomputes the stored coverage of `hotspots` around `spans` (arrival, departure), and the
    /// officer and activity counts of those days: from the day before the earliest arrival, whose
    /// watch window may reach past midnight, to the latest departure.
    async fn refresh_coverage(
        &self,
        conn: &mut PgConnection,
        spans: &[(DateTime<Utc>, DateTime<Utc>)],
        hotspots: &[i64],
    ) -> AppResult<()> {
        let (Some(first), Some(last)) = (
            spans.iter().map(|(a, _)| local_date(self.zone, *a)).min(),
            spans.iter().map(|(_, d)| local_date(self.zone, *d)).max(),
        ) else {
            return Ok(());
        };
        let from = first.checked_sub_days(Days::new(1)).unwrap_or(first);
        crate::db::coverage::refresh_hotspots(
            conn,
            self.shift.pilot_id,
            from,
            last,
            Some(hotspots),
        )
        .await?;
        Ok(())
    }
}

/// A form that could not be saved, shown again with what was typed and why.
enum Retry {
    NewVisit(VisitForm, FieldErrors),
    EditVisit(i64, VisitForm, FieldErrors),
    NewActivity(ActivityForm, FieldErrors),
    EditActivity(i64, ActivityForm, FieldErrors),
}

impl Retry {
    /// The sentence at the top of the page, linking to the form.
    fn summary(&self) -> (String, String) {
        let (what, anchor) = match self {
            Retry::NewVisit(..) => ("The visit", "new-visit".to_string()),
            Retry::EditVisit(id, ..) => ("The visit", format!("visit-{id}")),
            Retry::NewActivity(..) => ("The activity", "new-activity".to_string()),
            Retry::EditActivity(id, ..) => ("The activity", format!("activity-{id}")),
        };
        (
            format!("{what} was not saved: please correct the fields marked below."),
            anchor,
        )
    }
}

/// Where a change is confirmed: the log page with a notice.
fn saved(shift_id: i64, notice: &str) -> Response {
    Redirect::to(&format!("/shifts/{shift_id}/log?notice={notice}")).into_response()
}

/// The confirmation for a `notice` in the query, when it is one of ours.
fn notice_text(notice: Option<&str>) -> Option<&'static str> {
    match notice? {
        "visit-saved" => Some("The visit was saved."),
        "visit-deleted" => Some("The visit was deleted."),
        "activity-saved" => Some("The activity was saved."),
        "activity-deleted" => Some("The activity was deleted."),
        _ => None,
    }
}

/// "Koper", "pass-through" or nothing, by the visit's dwell.
fn dwell_kind(dwell: chrono::TimeDelta) -> &'static str {
    if dwell < PASS_THROUGH_UNDER {
        "Pass-through"
    } else if (KOPER_MIN..=KOPER_MAX).contains(&dwell) {
        "Koper"
    } else {
        "—"
    }
}

/// A visit as listed.
pub struct VisitLine {
    pub id: i64,
    pub hotspot: String,
    pub arrived: String,
    pub departed: String,
    pub dwell: String,
    pub kind: &'static str,
    pub source: String,
    /// "the visit to X at 22:15", for the names of its buttons.
    pub described: String,
    pub edit: Option<VisitFormView>,
}

/// An activity as listed.
pub struct ActivityLine {
    pub id: i64,
    pub kind: String,
    pub count: i32,
    pub hotspot: String,
    pub when: String,
    pub note: String,
    pub described: String,
    pub edit: Option<ActivityFormView>,
}

#[derive(Template)]
#[template(path = "shifts/log.html")]
pub struct LogPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    roster_href: String,
    week: String,
    title: String,
    facts: Vec<(&'static str, String)>,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
    can_edit: bool,
    cancelled: bool,
    zone: String,
    visits: Vec<VisitLine>,
    activities: Vec<ActivityLine>,
    new_visit: Option<VisitFormView>,
    new_activity: Option<ActivityFormView>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    notice: Option<String>,
}

/// `GET /shifts/{id}/log`: everyone signed in reads it; supervisors and up also get the forms.
#[tracing::instrument(skip_all, fields(shift = id, user = %user.username))]
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<LogQuery>,
) -> AppResult<Response> {
    render(&state.db, &user, id, query.notice.as_deref(), None).await
}

/// The log page of shift `id`; with a `retry`, answered 422 with that form filled in again.
async fn render(
    db: &PgPool,
    user: &User,
    id: i64,
    notice: Option<&str>,
    retry: Option<Retry>,
) -> AppResult<Response> {
    let mut conn = db.acquire().await?;
    let loaded = Loaded::load(&mut conn, id).await?;
    let visit_rows = visit_log::for_shift(&mut *conn, id).await?;
    let activity_rows = activity_log::for_shift(&mut *conn, id).await?;
    drop(conn);
    let can_edit = user.role.edits_rosters();
    let can_add = can_edit && !loaded.cancelled();
    let problem = retry.as_ref().map(Retry::summary);

    let (mut new_visit, mut new_activity) = (
        can_add.then(|| forms::new_visit(&loaded)),
        can_add.then(|| forms::new_activity(&loaded)),
    );
    let (mut visit_retry, mut activity_retry) = (None, None);
    match retry {
        Some(Retry::NewVisit(form, errors)) => {
            new_visit = Some(forms::visit(&loaded, None, &form, errors));
        }
        Some(Retry::NewActivity(form, errors)) => {
            new_activity = Some(forms::activity(&loaded, None, &form, errors));
        }
        Some(Retry::EditVisit(visit, form, errors)) => visit_retry = Some((visit, form, errors)),
        Some(Retry::EditActivity(activity, form, errors)) => {
            activity_retry = Some((activity, form, errors));
        }
        None => {}
    }

    let visits = visit_rows
        .iter()
        .map(|v| {
            let edit = if !can_add {
                None
            } else if let Some((_, form, errors)) = visit_retry.take_if(|(i, ..)| *i == v.id) {
                Some(forms::visit(&loaded, Some(v.id), &form, errors))
            } else {
                Some(forms::visit(
                    &loaded,
                    Some(v.id),
                    &forms::visit_form_of(v, loaded.zone),
                    FieldErrors::default(),
                ))
            };
            visit_line(&loaded, v, edit)
        })
        .collect();
    let activities = activity_rows
        .iter()
        .map(|a| {
            let edit = if !can_add {
                None
            } else if let Some((_, form, errors)) = activity_retry.take_if(|(i, ..)| *i == a.id) {
                Some(forms::activity(&loaded, Some(a.id), &form, errors))
            } else {
                Some(forms::activity(
                    &loaded,
                    Some(a.id),
                    &forms::activity_form_of(a, loaded.zone),
                    FieldErrors::default(),
                ))
            };
            activity_line(&loaded, a, edit)
        })
        .collect();

    let shift = &loaded.shift;
    let start_date = shift.starts_at.with_timezone(&loaded.zone).date_naive();
    let week = start_date.iso_week();
    let week = format!("{}-W{:02}", week.year(), week.week());
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let title = format!("{} · {}", shift.team, format::day(start_date));
    let page = LogPage {
        layout: Layout::new(format!("Shift log · {title}"), Some(user)),
        pilot_name: shift.pilot_name.clone(),
        pilot_href: format!("/pilots/{}", shift.pilot_slug),
        roster_href: format!("/pilots/{}/roster?week={week}", shift.pilot_slug),
        week,
        title,
        facts: facts(&loaded),
        notice: if problem.is_some() {
            None
        } else {
            notice_text(notice)
        },
        problem,
        can_edit,
        cancelled: loaded.cancelled(),
        zone: loaded.zone.name().to_string(),
        visits,
        activities,
        new_visit,
        new_activity,
    };
    Ok((status, Page(page)).into_response())
}

/// What the page says about the shift itself.
fn facts(loaded: &Loaded) -> Vec<(&'static str, String)> {
    let shift = &loaded.shift;
    let names = |ids: &[i64]| {
        let names: Vec<&str> = loaded
            .hotspots
            .iter()
            .filter(|h| ids.contains(&h.id))
            .map(|h| h.name.as_str())
            .collect();
        if names.is_empty() {
            "None".to_string()
        } else {
            names.join(", ")
        }
    };
    let mut facts = vec![
        ("Team", shift.team.clone()),
        ("Starts", loaded.local(shift.starts_at)),
        ("Ends", loaded.local(shift.ends_at)),
        (
            "Length",
            format!(
                "{} hours",
                format::hours((shift.ends_at - shift.starts_at).num_seconds() as f64)
            ),
        ),
        ("Mode", shift.mode.to_string()),
        ("Status", shift.status.to_string()),
        (
            "Members",
            if shift.members.is_empty() {
                "None".to_string()
            } else {
                shift.members.join(", ")
            },
        ),
        ("Directed to", names(&shift.hotspot_ids)),
    ];
    if !shift.notes.trim().is_empty() {
        facts.push(("Notes", shift.notes.clone()));
    }
    facts
}

fn visit_line(loaded: &Loaded, visit: &VisitEntry, edit: Option<VisitFormView>) -> VisitLine {
    let dwell = visit.departed_at - visit.arrived_at;
    let arrived = visit.arrived_at.with_timezone(&loaded.zone);
    let departed = visit.departed_at.with_timezone(&loaded.zone);
    VisitLine {
        id: visit.id,
        hotspot: visit.hotspot.clone(),
        arrived: loaded.local(visit.arrived_at),
        departed: if departed.date_naive() == arrived.date_naive() {
            departed.format("%H:%M %Z").to_string()
        } else {
            loaded.local(visit.departed_at)
        },
        dwell: format::minutes((dwell.num_seconds() as f64 / 6.0).round() / 10.0),
        kind: dwell_kind(dwell),
        source: visit.source.clone(),
        described: format!(
            "the visit to {} at {}",
            visit.hotspot,
            arrived.format("%H:%M")
        ),
        edit,
    }
}

fn activity_line(
    loaded: &Loaded,
    activity: &ActivityEntry,
    edit: Option<ActivityFormView>,
) -> ActivityLine {
    let kind = ActivityKind::label_of(&activity.kind).to_string();
    let at = activity.occurred_at.with_timezone(&loaded.zone);
    ActivityLine {
        id: activity.id,
        described: format!("the {} at {}", kind.to_lowercase(), at.format("%H:%M")),
        kind,
        count: activity.count,
        hotspot: activity.hotspot.clone().unwrap_or_else(|| "—".into()),
        when: loaded.local(activity.occurred_at),
        note: activity.note.clone(),
        edit,
    }
}

/// The shift's start as a `datetime-local` input shows it, for prefilling a form.
fn start_input(loaded: &Loaded) -> String {
    input_value(loaded.shift.starts_at, loaded.zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dwell_names_koper_visits_and_pass_throughs() {
        let minutes = chrono::TimeDelta::minutes;
        assert_eq!(dwell_kind(minutes(1)), "Pass-through");
        assert_eq!(dwell_kind(minutes(2)), "—");
        assert_eq!(dwell_kind(minutes(10)), "Koper");
        assert_eq!(dwell_kind(minutes(16)), "Koper");
        assert_eq!(dwell_kind(minutes(17)), "—");
    }

    #[test]
    fn only_known_notices_are_shown() {
        assert_eq!(
            notice_text(Some("visit-saved")),
            Some("The visit was saved.")
        );
        assert_eq!(notice_text(Some("<script>")), None);
        assert_eq!(notice_text(None), None);
    }
}
