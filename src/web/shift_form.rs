//! Creating, editing and cancelling a shift with plain forms (docs/interface.md, roster forms).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::AsRosterEditor;
use super::format;
use super::page::{Layout, Page};
use super::roster::week_of;
use super::scope::{FilterQuery, Scope};
use crate::db::shifts::{self, Author, ShiftRecord, WriteError};
use crate::db::{pilots, users::User};
use crate::domain::Mode;
use crate::domain::field_errors::FieldErrors;
use crate::domain::local_time::{self, input_value};
use crate::domain::shift_draft::{RosterRules, ShiftDraft, ShiftForm};
use crate::domain::week::Week;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// An option of a select or a checkbox.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "roster/shift_form.html")]
pub struct ShiftFormPage {
    layout: Layout,
    slug: String,
    pilot_name: String,
    heading: String,
    action: String,
    week: String,
    form: ShiftForm,
    teams: Vec<Choice>,
    modes: Vec<Choice>,
    sheriffs: Vec<Choice>,
    cps: Vec<Choice>,
    hotspots: Vec<Choice>,
    errors: FieldErrors,
    problem: Option<String>,
    rest_warnings: Vec<String>,
    current: Option<String>,
    cancel_action: Option<String>,
}

/// Everything needed to draw the form for one pilot.
struct FormContext {
    scope: Scope,
    rules: RosterRules,
    /// Officer id → agency.
    agencies: Vec<(i64, String)>,
}

impl FormContext {
    async fn load(state: &AppState, slug: &str) -> AppResult<FormContext> {
        let scope = Scope::load(&state.db, slug, &FilterQuery::default()).await?;
        let mut conn = state.db.acquire().await?;
        let pilot = &scope.pilot;
        let rules = shifts::rules(
            &mut conn,
            pilot.id,
            scope.zone,
            pilot.starts_on,
            pilot.ends_on,
        )
        .await?;
        let agencies = sqlx::query_as(
            "select o.id, o.agency from officers o join assignments a on a.officer_id = o.id where a.pilot_id = $1",
        )
        .bind(pilot.id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(FormContext {
            scope,
            rules,
            agencies,
        })
    }

    /// The form page for `form` with any problems found.
    #[allow(clippy::too_many_arguments)]
    fn page(
        &self,
        user: &User,
        heading: String,
        action: String,
        form: ShiftForm,
        errors: FieldErrors,
        problem: Option<String>,
        rest_warnings: Vec<String>,
        current: Option<String>,
        cancel_action: Option<String>,
    ) -> Page<ShiftFormPage> {
        let pilot = &self.scope.pilot;
        let checked = |list: &[String], id: i64| list.iter().any(|v| v.trim() == id.to_string());
        let officers = |agency: &str| {
            let mut seen = Vec::new();
            self.rules
                .assignments
                .iter()
                .filter(|(id, ..)| self.agencies.iter().any(|(o, a)| o == id && a == agency))
                .filter(|(id, ..)| {
                    let new = !seen.contains(id);
                    seen.push(*id);
                    new
                })
                .map(|(id, name, ..)| Choice {
                    value: id.to_string(),
                    label: name.clone(),
                    checked: checked(&form.officer_ids, *id),
                })
                .collect()
        };
        let week = local_time::parse(&form.starts_at, self.scope.zone)
            .map(|at| Week::containing(at.with_timezone(&self.scope.zone).date_naive()))
            .unwrap_or_else(|_| Week::containing(self.scope.today()));
        Page(ShiftFormPage {
            layout: Layout::new(heading.clone(), Some(user)),
            slug: pilot.slug.clone(),
            pilot_name: pilot.name.clone(),
            heading,
            action,
            week: week.to_string(),
            teams: self
                .rules
                .teams
                .iter()
                .map(|(id, name)| Choice {
                    value: id.to_string(),
                    label: name.clone(),
                    checked: form.team_id.trim() == id.to_string(),
                })
                .collect(),
            modes: Mode::ALL
                .iter()
                .map(|m| Choice {
                    value: m.to_string(),
                    label: m.to_string(),
                    checked: form.mode == m.as_str(),
                })
                .collect(),
            sheriffs: officers("alberta_sheriffs"),
            cps: officers("cps"),
            hotspots: self
                .rules
                .hotspots
                .iter()
                .map(|(id, name, from, to)| Choice {
                    value: id.to_string(),
                    label: match to {
                        Some(to) => format!("{name} (active {from} to {to})"),
                        None if *from > pilot.starts_on => format!("{name} (active from {from})"),
                        None => name.clone(),
                    },
                    checked: checked(&form.hotspot_ids, *id),
                })
                .collect(),
            form,
            errors,
            problem,
            rest_warnings,
            current,
            cancel_action,
        })
    }
}

/// The form filled with a stored shift.
fn form_of(record: &ShiftRecord, zone: chrono_tz::Tz) -> ShiftForm {
    ShiftForm {
        team_id: record.team_id.to_string(),
        starts_at: input_value(record.starts_at, zone),
        ends_at: input_value(record.ends_at, zone),
        mode: record.mode.to_string(),
        officer_ids: record.officer_ids.iter().map(i64::to_string).collect(),
        hotspot_ids: record.hotspot_ids.iter().map(i64::to_string).collect(),
        notes: record.notes.clone(),
        version: record.version.to_string(),
        rest_reason: String::new(),
    }
}

fn read_form(body: &Bytes) -> ShiftForm {
    ShiftForm::from_pairs(form_urlencoded::parse(body).into_owned())
}

/// Where a saved shift is shown: its week of the roster, with a confirmation.
fn saved(slug: &str, record: &ShiftRecord, zone: chrono_tz::Tz, notice: &str) -> Response {
    let week = Week::containing(record.starts_at.with_timezone(&zone).date_naive());
    Redirect::to(&format!(
        "/pilots/{slug}/roster?week={week}&notice={notice}&shift={}#shift-{}",
        record.id, record.id
    ))
    .into_response()
}

/// A sentence naming the clash.
fn clash_message(clash: &shifts::Clash, zone: chrono_tz::Tz) -> String {
    format!(
        "{} is already on shift #{} ({}, {} to {}). Choose other officers or other times.",
        clash.officer,
        clash.shift_id,
        clash.team,
        format::local(clash.starts_at.with_timezone(&zone).naive_local()),
        format::local(clash.ends_at.with_timezone(&zone).naive_local()),
    )
}

/// The current state of a shift, in a sentence, for a supervisor whose edit went stale.
fn describe(record: &ShiftRecord, ctx: &FormContext) -> String {
    let zone = ctx.scope.zone;
    let team = ctx
        .rules
        .teams
        .iter()
        .find(|(id, _)| *id == record.team_id)
        .map_or("?", |(_, n)| n.as_str());
    let names = |ids: &[i64], list: &[(i64, String)]| {
        ids.iter()
            .filter_map(|id| list.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let officers: Vec<(i64, String)> = ctx
        .rules
        .assignments
        .iter()
        .map(|(id, n, ..)| (*id, n.clone()))
        .collect();
    let hotspots: Vec<(i64, String)> = ctx
        .rules
        .hotspots
        .iter()
        .map(|(id, n, ..)| (*id, n.clone()))
        .collect();
    format!(
        "Now (version {}): {team}, {} to {}, {}, {}; officers: {}; hotspots: {}; notes: {}",
        record.version,
        format::local(record.starts_at.with_timezone(&zone).naive_local()),
        format::local(record.ends_at.with_timezone(&zone).naive_local()),
        record.mode,
        record.status,
        names(&record.officer_ids, &officers),
        names(&record.hotspot_ids, &hotspots),
        if record.notes.is_empty() {
            "none"
        } else {
            &record.notes
        },
    )
}

#[derive(Deserialize)]
pub struct NewQuery {
    team_id: Option<i64>,
    week: Option<String>,
}

/// `GET /pilots/{slug}/shifts/new`: an empty form, starting in the week shown.
pub async fn new(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<NewQuery>,
) -> AppResult<impl IntoResponse> {
    let ctx = FormContext::load(&state, &slug).await?;
    let pilot = &ctx.scope.pilot;
    let week = week_of(&ctx.scope, query.week.as_deref())?;
    let day = week.monday().clamp(pilot.starts_on, pilot.ends_on);
    let team = query
        .team_id
        .and_then(|id| ctx.rules.teams.iter().find(|(t, _)| *t == id));
    let mode = match team {
        Some((id, _)) => {
            let mode: Mode = sqlx::query_scalar("select mode from teams where id = $1")
                .bind(id)
                .fetch_one(&state.db)
                .await?;
            mode.to_string()
        }
        None => Mode::Foot.to_string(),
    };
    let form = ShiftForm {
        team_id: team.map(|(id, _)| id.to_string()).unwrap_or_default(),
        starts_at: format!("{day}T07:00"),
        ends_at: format!("{day}T17:00"),
        mode,
        ..ShiftForm::default()
    };
    let action = format!("/pilots/{}/shifts", pilot.slug);
    Ok(ctx.page(
        &user,
        "New shift".into(),
        action,
        form,
        FieldErrors::new(),
        None,
        Vec::new(),
        None,
        None,
    ))
}

/// `POST /pilots/{slug}/shifts`: stores a new shift, or shows the form again with what is wrong.
pub async fn create(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = FormContext::load(&state, &slug).await?;
    let form = read_form(&body);
    let action = format!("/pilots/{}/shifts", ctx.scope.pilot.slug);
    let heading = "New shift".to_string();
    let draft = match ShiftDraft::parse(&form, &ctx.rules) {
        Ok(draft) => draft,
        Err(errors) => {
            let page = ctx.page(
                &user,
                heading,
                action,
                form,
                errors,
                None,
                Vec::new(),
                None,
                None,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let author = Author {
        user_id: user.id,
        rest_reason: &form.rest_reason,
    };
    match shifts::create(
        &state.db,
        ctx.scope.pilot.id,
        ctx.scope.zone,
        &draft,
        &author,
    )
    .await
    {
        Ok(record) => Ok(saved(&slug, &record, ctx.scope.zone, "created")),
        Err(error) => refused(&ctx, &user, heading, action, form, error, None),
    }
}

/// The form again, with the reason a write was refused.
fn refused(
    ctx: &FormContext,
    user: &User,
    heading: String,
    action: String,
    mut form: ShiftForm,
    error: WriteError,
    cancel_action: Option<String>,
) -> AppResult<Response> {
    let zone = ctx.scope.zone;
    let mut errors = FieldErrors::new();
    let (status, problem, warnings, current) = match error {
        WriteError::Clash(clash) => {
            let message = clash_message(&clash, zone);
            errors.add("officer_ids", message.clone());
            (StatusCode::CONFLICT, Some(message), Vec::new(), None)
        }
        WriteError::NeedsRestReason(warnings) => {
            errors.add(
                "rest_reason",
                "Give a reason to accept the short rest, or change the shift.",
            );
            (StatusCode::UNPROCESSABLE_ENTITY, None, warnings, None)
        }
        WriteError::Stale(record) => {
            let message = "Someone else changed this shift while you were editing it. Nothing was saved. \
                           Its current state is shown below; your changes are still in the form — submit again to apply them."
                .to_string();
            form.version = record.version.to_string();
            (
                StatusCode::CONFLICT,
                Some(message),
                Vec::new(),
                Some(describe(&record, ctx)),
            )
        }
        WriteError::NotFound => return Err(AppError::NotFound),
        WriteError::Db(e) => return Err(e.into()),
        WriteError::Internal(e) => return Err(e.into()),
    };
    let page = ctx.page(
        user,
        heading,
        action,
        form,
        errors,
        problem,
        warnings,
        current,
        cancel_action,
    );
    Ok((status, page).into_response())
}

/// The shift `id` with its pilot's form context.
async fn load_shift(state: &AppState, id: i64) -> AppResult<(ShiftRecord, FormContext)> {
    let record = shifts::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = pilots::slug_of_shift(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((record, FormContext::load(state, &slug).await?))
}

/// `GET /shifts/{id}/edit`.
pub async fn edit(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<impl IntoResponse> {
    let (record, ctx) = load_shift(&state, id).await?;
    let zone = ctx.scope.zone;
    let form = form_of(&record, zone);
    let cancel = record
        .status
        .counts()
        .then(|| format!("/shifts/{id}/cancel"));
    Ok(ctx.page(
        &user,
        format!("Edit shift #{id}"),
        format!("/shifts/{id}"),
        form,
        FieldErrors::new(),
        None,
        Vec::new(),
        None,
        cancel,
    ))
}

/// `POST /shifts/{id}`: saves an edit made from `version`.
pub async fn update(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let (_, ctx) = load_shift(&state, id).await?;
    let form = read_form(&body);
    let heading = format!("Edit shift #{id}");
    let action = format!("/shifts/{id}");
    let cancel = Some(format!("/shifts/{id}/cancel"));
    let version = form.version.trim().parse::<i32>();
    let draft = ShiftDraft::parse(&form, &ctx.rules);
    let (draft, version) = match (draft, version) {
        (Ok(draft), Ok(version)) => (draft, version),
        (draft, version) => {
            let mut errors = draft.err().unwrap_or_default();
            if version.is_err() {
                errors.add(
                    "version",
                    "The form lost track of the shift's version; open the shift again.",
                );
            }
            let page = ctx.page(
                &user,
                heading,
                action,
                form,
                errors,
                None,
                Vec::new(),
                None,
                cancel,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let author = Author {
        user_id: user.id,
        rest_reason: &form.rest_reason,
    };
    match shifts::update(&state.db, id, version, ctx.scope.zone, &draft, &author).await {
        Ok(record) => Ok(saved(
            &ctx.scope.pilot.slug,
            &record,
            ctx.scope.zone,
            "updated",
        )),
        Err(error) => refused(&ctx, &user, heading, action, form, error, cancel),
    }
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    version: String,
}

/// `POST /shifts/{id}/cancel` with the `version` the supervisor saw.
pub async fn cancel(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CancelForm>,
) -> AppResult<Response> {
    let (record, ctx) = load_shift(&state, id).await?;
    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest(
            "The cancel form lost track of the shift's version; open the shift again.".into(),
        ));
    };
    match shifts::cancel(&state.db, id, version, ctx.scope.zone, user.id).await {
        Ok(record) => Ok(saved(
            &ctx.scope.pilot.slug,
            &record,
            ctx.scope.zone,
            "cancelled",
        )),
        Err(error) => {
            let zone = ctx.scope.zone;
            let form = form_of(&record, zone);
            refused(
                &ctx,
                &user,
                format!("Edit shift #{id}"),
                format!("/shifts/{id}"),
                form,
                error,
                Some(format!("/shifts/{id}/cancel")),
            )
        }
    }
}
