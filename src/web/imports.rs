//! The upload page for imports, for analysts: district boundaries, hotspots, a city's community
//! boundaries and statistics, and rosters, with a dry run first and an all-or-nothing apply
//! (`crate::service::imports`). A roster import is an analyst's bulk load under the same guard as
//! the other imports; supervisors edit rosters shift by shift on the roster pages.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::auth::{self, AsAnalyst};
use super::import_report::ReportView;
use super::page::{Layout, Page};
use super::plain_input;
use crate::db::{pilots, users::User};
use crate::domain::City;
use crate::domain::plain_text;
use crate::error::{AppError, AppResult};
use crate::import::{self, ImportError, Kind, Mode, Request};
use crate::service::import_uploads;
use crate::service::imports;
use crate::state::AppState;

/// Largest upload: the same as for `patrolboard import` (the City's boundary file is a few
/// megabytes, with cells over 100 KB).
pub const UPLOAD_LIMIT: usize = import::MAX_FILE_BYTES;

/// `/imports`, with the larger body limit for its uploads only.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/imports", get(form).post(submit))
        .route("/imports/apply", post(apply))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
}

/// A choice in a select or a group of radio buttons.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "imports/form.html")]
pub struct ImportsPage {
    layout: Layout,
    kinds: Vec<Choice>,
    pilots: Vec<Choice>,
    /// The city typed, and the pilots' cities to choose from.
    city: String,
    cities: Vec<String>,
    dry_run: bool,
    /// A problem with the form itself (no file, no pilot).
    problem: Option<String>,
    report: Option<ReportView>,
}

/// What the form was sent with, so the page shows it again.
#[derive(Default)]
struct Upload {
    kind: Option<String>,
    pilot: String,
    city: String,
    dry_run: bool,
    file_name: String,
    bytes: Vec<u8>,
}

async fn page(
    state: &AppState,
    user: &User,
    upload: &Upload,
    problem: Option<String>,
    report: Option<ReportView>,
) -> AppResult<Page<ImportsPage>> {
    let pilots = pilots::list(&state.db).await?;
    let mut cities: Vec<String> = pilots.iter().map(|p| p.city.clone()).collect();
    cities.sort();
    cities.dedup();
    Ok(Page(ImportsPage {
        layout: Layout::new("Imports", Some(user)),
        kinds: Kind::ALL
            .into_iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: k.label().into(),
                selected: upload.kind.as_deref() == Some(k.as_str()),
            })
            .collect(),
        // With one pilot there is nothing to choose: it is selected.
        pilots: pilots
            .iter()
            .map(|p| Choice {
                selected: p.slug == upload.pilot || (upload.pilot.is_empty() && pilots.len() == 1),
                label: format!("{} ({})", p.name, p.slug),
                value: p.slug.clone(),
            })
            .collect(),
        city: upload.city.clone(),
        cities,
        dry_run: upload.dry_run,
        problem,
        report,
    }))
}

/// `GET /imports`: the upload form.
pub async fn form(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
) -> AppResult<impl IntoResponse> {
    let upload = Upload {
        kind: Some(Kind::Districts.as_str().into()),
        dry_run: true,
        ..Upload::default()
    };
    page(&state, &user, &upload, None, None).await
}

/// Reads the multipart form: `kind`, `pilot`, `city`, `mode` (`dry-run` or `apply`) and `file`.
async fn read_upload(multipart: &mut Multipart) -> AppResult<Upload> {
    let mut upload = Upload {
        dry_run: true,
        ..Upload::default()
    };
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::BadRequest(format!(
                "The file is larger than {} MB; split it and import the parts.",
                UPLOAD_LIMIT / 1024 / 1024
            ))
        } else {
            AppError::BadRequest("The upload could not be read; please send the form again.".into())
        }
    };
    // The form's own fields go into queries (the pilot's slug), so they are held to the rule
    // that the guard in front of every urlencoded form applies; the file is the import's to check.
    let plain = |text: String| {
        if plain_text::first_refused(&text).is_some() {
            Err(AppError::BadRequest(plain_input::REFUSED.into()))
        } else {
            Ok(text)
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or("") {
            "kind" => upload.kind = Some(plain(field.text().await.map_err(unreadable)?)?),
            "pilot" => {
                upload.pilot = plain(field.text().await.map_err(unreadable)?)?
                    .trim()
                    .into()
            }
            "city" => {
                upload.city = plain(field.text().await.map_err(unreadable)?)?
                    .trim()
                    .into()
            }
            "mode" => {
                let mode = plain(field.text().await.map_err(unreadable)?)?;
                upload.dry_run = mode.trim().parse() != Ok(Mode::Apply)
            }
            "file" => {
                upload.file_name = field.file_name().unwrap_or("the file").to_string();
                upload.bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// `POST /imports`: runs the import (a dry run unless `mode=apply`) and shows its report; 422
/// with every bad row when the file has one, and then nothing is written.
pub async fn submit(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let upload = read_upload(&mut multipart).await?;
    let refuse = |problem: String| async {
        let page = page(&state, &user, &upload, Some(problem), None).await?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let kind = match upload.kind.as_deref().map(str::parse::<Kind>) {
        Some(Ok(kind)) => kind,
        _ => return refuse("Choose what the file holds.".into()).await,
    };
    if upload.bytes.is_empty() {
        return refuse("Choose a file to import.".into()).await;
    }
    if kind.needs_pilot() && upload.pilot.is_empty() {
        return refuse(format!("Choose the pilot to import the {kind} into.")).await;
    }
    let request = Request {
        kind,
        pilot: kind.needs_pilot().then_some(upload.pilot.as_str()),
        city: kind.needs_city().then_some(upload.city.as_str()),
        bytes: &upload.bytes,
        dry_run: upload.dry_run,
        user_id: Some(user.id),
    };
    let report = match imports::run(&state.db, request).await {
        Ok(report) => report,
        Err(ImportError::UnknownPilot(slug)) => {
            return refuse(format!("There is no pilot {slug:?}.")).await;
        }
        Err(ImportError::PilotRequired(kind)) => {
            return refuse(format!("Choose the pilot to import the {kind} into.")).await;
        }
        Err(ImportError::CityRequired { kind, cities }) => {
            let shared = if cities.is_empty() {
                "there is no pilot yet".to_string()
            } else {
                format!("the pilots are in {}", cities.join(", "))
            };
            return refuse(format!(
                "Give the city to import the {kind} into: {shared}."
            ))
            .await;
        }
        Err(ImportError::BadCity(reason)) => {
            return refuse(format!("The city cannot be used: {reason}.")).await;
        }
        Err(ImportError::Failed(error)) => return Err(AppError::Internal(error)),
    };
    let status = if report.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut view = ReportView::of(&report, &upload.file_name);
    if report.errors.is_empty() && report.dry_run && report.counts.written() > 0 {
        let token = auth::new_token();
        let kept = import_uploads::Upload {
            kind,
            pilot: request.pilot,
            city: request.city,
            file_name: &upload.file_name,
            bytes: &upload.bytes,
        };
        import_uploads::keep(&state.db, user.id, &auth::token_hash(&token), &kept).await?;
        view.apply_token = Some(token);
    }
    let page = page(&state, &user, &upload, None, Some(view)).await?;
    Ok((status, page).into_response())
}

/// The form under a dry run's report.
#[derive(Deserialize)]
pub struct ApplyForm {
    token: String,
}

/// `POST /imports/apply`: applies the file the user dry-ran, kept under `token` for
/// [`import_uploads::KEEP_MINUTES`]; a file kept for another user, expired or already applied is refused with a
/// sentence (403, 410 or 404) and nothing is written.
pub async fn apply(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    let outcome = import_uploads::apply(&state.db, user.id, &auth::token_hash(form.token.trim()))
        .await
        .map_err(|e| match e {
            ImportError::Failed(error) => AppError::Internal(error),
            other => AppError::Internal(other.into()),
        })?;
    let (file_name, kind, report) = match outcome {
        Ok(applied) => applied,
        Err(unkept) => {
            let status = match unkept {
                import_uploads::Unkept::Unknown => StatusCode::NOT_FOUND,
                import_uploads::Unkept::OtherUser => StatusCode::FORBIDDEN,
                import_uploads::Unkept::Expired => StatusCode::GONE,
            };
            let upload = Upload {
                dry_run: true,
                ..Upload::default()
            };
            let page = page(&state, &user, &upload, Some(unkept.to_string()), None).await?;
            return Ok((status, page).into_response());
        }
    };
    let status = if report.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let upload = Upload {
        kind: Some(kind.as_str().into()),
        dry_run: true,
        city: report
            .city
            .as_ref()
            .map(City::to_string)
            .unwrap_or_default(),
        ..Upload::default()
    };
    let view = ReportView::of(&report, &file_name);
    let page = page(&state, &user, &upload, None, Some(view)).await?;
    Ok((status, page).into_response())
}
