//! The buttons of `/me`: "Arrived", "Left" and logging an activity. Each takes the token its page
//! was drawn with; a token seen before changes nothing (`?done=already`). A visit and an activity
//! are written through the shift log's one write path (`service::log`), so they are checked,
//! audited and counted like those a supervisor logs.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{GRACE, loggable};
use crate::db::activity_log::Activity;
use crate::db::audit::{self, AuditEntry};
use crate::db::me::{self, Arrival, MyShift};
use crate::db::visit_log::Visit;
use crate::domain::activity_draft::ActivityForm;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{HotspotId, OfficerId, ShiftId, UserId, VisitId};
use crate::domain::visit_draft::VisitForm;
use crate::error::{AppError, AppResult};
use crate::service::log::{self, LogError};
use crate::state::AppState;
use crate::web::auth::AsOfficer;
use crate::web::page::Page;
use crate::web::path::Path;

/// "Arrived" or "Left" at a hotspot.
#[derive(Debug, Deserialize)]
pub struct HotspotButton {
    token: String,
    shift_id: ShiftId,
    hotspot_id: HotspotId,
}

/// The quick activity form.
#[derive(Debug, Deserialize)]
pub struct QuickActivity {
    token: String,
    shift_id: ShiftId,
    kind: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    hotspot_id: String,
    #[serde(default)]
    note: String,
}

/// Back to the page, saying what happened.
fn back(done: &str) -> Response {
    Redirect::to(&format!("/me?done={done}")).into_response()
}

/// The officer's shift the button names, if it is theirs and open for logging now.
async fn own_shift(state: &AppState, officer: OfficerId, id: ShiftId) -> AppResult<MyShift> {
    let now = Utc::now();
    match me::shift(&state.db, officer, now, GRACE).await? {
        Some(shift) if shift.id == id && loggable(&shift, now) => Ok(shift),
        _ if me::is_member(&state.db, officer, id).await? => Err(AppError::BadRequest(
            "That shift is not open for logging now: visits are logged from half an hour before a shift to two hours after it."
                .to_string(),
        )),
        _ => Err(AppError::Forbidden),
    }
}

/// Runs `action` once per token: `Ok(true)` when it ran, `Ok(false)` when the token was used
/// before. A failed action gives its token back, so pressing again retries.
async fn once<F, Fut>(state: &AppState, user: UserId, token: &str, action: F) -> AppResult<bool>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::BadRequest(
            "The page was out of date: open it again.".to_string(),
        ));
    }
    if !me::claim_token(&state.db, token, user).await? {
        return Ok(false);
    }
    match action().await {
        Ok(()) => Ok(true),
        Err(error) => {
            me::release_token(&state.db, token).await?;
            Err(error)
        }
    }
}

/// A local time to the minute as the forms write it.
fn local(zone: Tz, at: DateTime<Utc>) -> String {
    super::input_time(zone, at)
}

/// New times for one of the shift's visits.
#[derive(Debug, Deserialize)]
pub struct VisitTimes {
    #[serde(default)]
    arrived_at: String,
    #[serde(default)]
    departed_at: String,
}

/// `POST /me/visits/{id}`: the officer corrects the times of a visit of their own shift, until
/// [`GRACE`] after it ends (supervisors may always, on the shift log). A refused change shows the
/// page again with why, and changes nothing.
pub async fn change_visit(
    AsOfficer(user, officer): AsOfficer,
    State(state): State<AppState>,
    Path(id): Path<VisitId>,
    Form(times): Form<VisitTimes>,
) -> AppResult<Response> {
    let visit = me::visit(&state.db, id).await?.ok_or(AppError::NotFound)?;
    own_shift(&state, officer, visit.shift_id).await?;
    let form = VisitForm {
        hotspot_id: visit.hotspot_id.to_string(),
        arrived_at: times.arrived_at,
        departed_at: times.departed_at,
        source: visit.source.as_str().to_string(),
    };
    match log::change::<Visit>(&state.db, user.id, id, &form).await {
        Ok(_) => Ok(back("changed")),
        Err(LogError::Invalid { errors, .. }) => {
            let problem = format!(
                "Nothing was changed: {}",
                errors.into_messages().collect::<Vec<_>>().join(" ")
            );
            let page = super::page(&state, &user, officer, None, Some(problem)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Records in the audit log that `user` made an arrival (`Create`, as it is after) or turned it
/// into a visit (`Delete`, as it was before), in the transaction that wrote it.
async fn audit_arrival(
    conn: &mut sqlx::PgConnection,
    user: UserId,
    action: AuditAction,
    arrival: &Arrival,
    shift: &MyShift,
) -> AppResult<()> {
    let entry = AuditEntry::new(Some(user), action, AuditEntity::Arrival, Some(arrival.id));
    let entry = match action {
        AuditAction::Delete => entry.before(arrival),
        _ => entry.after(arrival),
    }
    .map_err(|e| AppError::Internal(e.into()))?
    .of_pilot(shift.pilot_id);
    audit::record(conn, &entry).await?;
    Ok(())
}

/// `POST /me/arrived`: the officer is at a hotspot of their shift now.
pub async fn arrived(
    AsOfficer(user, officer): AsOfficer,
    State(state): State<AppState>,
    Form(button): Form<HotspotButton>,
) -> AppResult<Response> {
    let shift = own_shift(&state, officer, button.shift_id).await?;
    if !shift.hotspot_ids.contains(&button.hotspot_id) {
        return Err(AppError::BadRequest(
            "The shift is not directed to that hotspot.".to_string(),
        ));
    }
    let ran = once(&state, user.id, &button.token, || async {
        let mut tx = state.db.begin().await?;
        let arrival =
            me::arrive(&mut *tx, user.id, shift.id, button.hotspot_id, Utc::now()).await?;
        if let Some(arrival) = arrival {
            audit_arrival(&mut tx, user.id, AuditAction::Create, &arrival, &shift).await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(back(if ran { "arrived" } else { "already" }))
}

/// `POST /me/left`: the officer leaves the hotspot they arrived at; the stay becomes a visit of
/// the shift, to the minute (a stay under a minute is recorded as one).
pub async fn left(
    AsOfficer(user, officer): AsOfficer,
    State(state): State<AppState>,
    Form(button): Form<HotspotButton>,
) -> AppResult<Response> {
    let shift = own_shift(&state, officer, button.shift_id).await?;
    let zone = shift.zone();
    let ran = once(&state, user.id, &button.token, || async {
        let Some(arrival) = me::arrival(&state.db, shift.id, button.hotspot_id).await? else {
            return Err(AppError::BadRequest(
                "There is no arrival at that hotspot to leave: press Arrived first.".to_string(),
            ));
        };
        let arrived = local(zone, arrival.arrived_at);
        let mut departed = local(zone, Utc::now());
        if departed <= arrived {
            departed = local(zone, arrival.arrived_at + TimeDelta::minutes(1));
        }
        let form = VisitForm {
            hotspot_id: button.hotspot_id.to_string(),
            arrived_at: arrived,
            departed_at: departed,
            source: "report".to_string(),
        };
        log::add::<Visit>(&state.db, user.id, shift.id, &form).await?;
        // The arrival became the visit just audited; its going is recorded too.
        let mut tx = state.db.begin().await?;
        me::forget_arrival(&mut *tx, arrival.id).await?;
        audit_arrival(&mut tx, user.id, AuditAction::Delete, &arrival, &shift).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(back(if ran { "left" } else { "already" }))
}

/// `POST /me/activities`: an activity of the shift, now.
pub async fn activity(
    AsOfficer(user, officer): AsOfficer,
    State(state): State<AppState>,
    Form(quick): Form<QuickActivity>,
) -> AppResult<Response> {
    let shift = own_shift(&state, officer, quick.shift_id).await?;
    let zone = shift.zone();
    let ran = once(&state, user.id, &quick.token, || async {
        let count = match quick.count.trim() {
            "" => "1".to_string(),
            count => count.to_string(),
        };
        let form = ActivityForm {
            kind: quick.kind.clone(),
            count,
            hotspot_id: quick.hotspot_id.clone(),
            occurred_at: local(zone, Utc::now()),
            note: quick.note.clone(),
        };
        log::add::<Activity>(&state.db, user.id, shift.id, &form).await?;
        Ok(())
    })
    .await?;
    Ok(back(if ran { "activity" } else { "already" }))
}
