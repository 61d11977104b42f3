//! After the shift: its log page, with the visits and activities it logged and, for supervisors
//! and up, forms to add, edit and delete them.

mod entries;
mod forms;

use crate::web::path::Path;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use serde::Deserialize;
use sqlx::PgPool;

use super::auth::SignedIn;
use super::format;
use super::page::{Layout, Page};
use crate::coverage::Dwell;
use crate::db::activity_log::{self, Activity, ActivityEntry};
use crate::db::users::User;
use crate::db::visit_log::{self, Visit, VisitEntry};
use crate::domain::activity_draft::ActivityForm;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{ActivityId, HotspotId, ShiftId, VisitId};
use crate::domain::local_time::input_value;
use crate::domain::visit_draft::VisitForm;
use crate::error::AppResult;
use crate::service::log::ShiftLog;
use crate::state::AppState;
use forms::{ActivityFormView, VisitFormView};

/// The shift log's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shifts/{id}/log", get(show))
        .route("/shifts/{id}/visits", post(entries::create::<Visit>))
        .route("/visits/{id}", post(entries::update::<Visit>))
        .route("/visits/{id}/delete", post(entries::delete::<Visit>))
        .route("/shifts/{id}/activities", post(entries::create::<Activity>))
        .route("/activities/{id}", post(entries::update::<Activity>))
        .route("/activities/{id}/delete", post(entries::delete::<Activity>))
}

/// A local time as the page shows it, with the zone's abbreviation (MST, MDT).
fn local(log: &ShiftLog, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&log.zone);
    format!(
        "{} {}",
        format::local(local.naive_local()),
        local.format("%Z")
    )
}

/// A form that could not be saved, shown again with what was typed and why: of the visit or
/// activity with the id, or of a new one.
pub enum Retry {
    Visit(Option<VisitId>, VisitForm, FieldErrors),
    Activity(Option<ActivityId>, ActivityForm, FieldErrors),
}

impl Retry {
    /// The sentence at the top of the page, linking to the form.
    fn summary(&self) -> (String, String) {
        let (what, id) = match self {
            Retry::Visit(id, ..) => ("visit", id.map(i64::from)),
            Retry::Activity(id, ..) => ("activity", id.map(i64::from)),
        };
        (
            format!("The {what} was not saved: please correct the fields marked below."),
            id.map_or_else(|| format!("new-{what}"), |id| format!("{what}-{id}")),
        )
    }
}

/// Where a change is confirmed: the log page with a notice.
fn saved(shift_id: ShiftId, notice: &str) -> Response {
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

/// "Koper", "Pass-through" or a dash, by the visit's dwell.
fn dwell_kind(dwell: TimeDelta) -> &'static str {
    match Dwell::of(dwell) {
        Dwell::PassThrough => "Pass-through",
        Dwell::Koper => "Koper",
        Dwell::Other => "—",
    }
}

/// A visit as listed.
pub struct VisitLine {
    pub id: VisitId,
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
    pub id: ActivityId,
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
#[tracing::instrument(skip_all, fields(shift = id.0, user = %user.username))]
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<ShiftId>,
    Query(query): Query<LogQuery>,
) -> AppResult<Response> {
    render(&state.db, &user, id, query.notice.as_deref(), None).await
}

/// The log page of shift `id`; with a `retry`, answered 422 with that form filled in again.
async fn render(
    db: &PgPool,
    user: &User,
    id: ShiftId,
    notice: Option<&str>,
    retry: Option<Retry>,
) -> AppResult<Response> {
    let mut conn = db.acquire().await?;
    let loaded = ShiftLog::load(&mut conn, id).await?;
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
        Some(Retry::Visit(None, form, errors)) => {
            new_visit = Some(forms::visit(&loaded, None, &form, errors));
        }
        Some(Retry::Activity(None, form, errors)) => {
            new_activity = Some(forms::activity(&loaded, None, &form, errors));
        }
        Some(Retry::Visit(Some(visit), form, errors)) => visit_retry = Some((visit, form, errors)),
        Some(Retry::Activity(Some(activity), form, errors)) => {
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
        layout: Layout::new(format!("Shift log · {title}"), Some(user))
            .for_pilot(&shift.pilot_slug, &shift.pilot_name),
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
fn facts(loaded: &ShiftLog) -> Vec<(&'static str, String)> {
    let shift = &loaded.shift;
    let names = |ids: &[HotspotId]| {
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
        ("Starts", local(loaded, shift.starts_at)),
        ("Ends", local(loaded, shift.ends_at)),
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

fn visit_line(loaded: &ShiftLog, visit: &VisitEntry, edit: Option<VisitFormView>) -> VisitLine {
    let dwell = visit.departed_at - visit.arrived_at;
    let arrived = visit.arrived_at.with_timezone(&loaded.zone);
    let departed = visit.departed_at.with_timezone(&loaded.zone);
    VisitLine {
        id: visit.id,
        hotspot: visit.hotspot.clone(),
        arrived: local(loaded, visit.arrived_at),
        departed: if departed.date_naive() == arrived.date_naive() {
            departed.format("%H:%M %Z").to_string()
        } else {
            local(loaded, visit.departed_at)
        },
        dwell: format::minutes((dwell.num_seconds() as f64 / 6.0).round() / 10.0),
        kind: dwell_kind(dwell),
        source: visit.source.to_string(),
        described: format!(
            "the visit to {} at {}",
            visit.hotspot,
            arrived.format("%H:%M")
        ),
        edit,
    }
}

fn activity_line(
    loaded: &ShiftLog,
    activity: &ActivityEntry,
    edit: Option<ActivityFormView>,
) -> ActivityLine {
    let kind = activity.kind.label().to_string();
    let at = activity.occurred_at.with_timezone(&loaded.zone);
    ActivityLine {
        id: activity.id,
        described: format!("the {} at {}", kind.to_lowercase(), at.format("%H:%M")),
        kind,
        count: activity.count,
        hotspot: activity.hotspot.clone().unwrap_or_else(|| "—".into()),
        when: local(loaded, activity.occurred_at),
        note: activity.note.clone(),
        edit,
    }
}

/// The shift's start as a `datetime-local` input shows it, for prefilling a form.
fn start_input(loaded: &ShiftLog) -> String {
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
