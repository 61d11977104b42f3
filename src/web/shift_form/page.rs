//! The shift form as a page: its choices, the problems found with what was sent, and the
//! sentences that tell a supervisor why a save was refused.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;

use crate::db::agencies;
use crate::db::roster::{self, PilotOfficer};
use crate::db::shifts::ShiftRecord;
use crate::db::users::User;
use crate::domain::agency::Agencies;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{HotspotId, OfficerId, ShiftId};
use crate::domain::local_time::{self, input_value};
use crate::domain::roster_checks::Clash;
use crate::domain::roster_rules::RosterRules;
use crate::domain::shift_draft::ShiftForm;
use crate::domain::shift_warnings::shift_warnings;
use crate::domain::week::Week;
use crate::domain::{Mode, ShiftStatus};
use crate::error::AppResult;
use crate::service::roster::WriteError;
use crate::state::AppState;
use crate::web::format;
use crate::web::page::{Layout, Page};
use crate::web::roster::write_error;
use crate::web::scope::Scope;

/// The checkboxes of one agency's officers.
pub struct OfficerGroup {
    /// The agency's full name.
    pub agency: String,
    pub officers: Vec<Choice>,
}

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
    /// One group per agency with officers assigned to the pilot.
    officer_groups: Vec<OfficerGroup>,
    hotspots: Vec<Choice>,
    errors: FieldErrors,
    problem: Option<String>,
    rest_warnings: Vec<String>,
    /// What the stored shift may lack (no hotspots, a joint team of one agency).
    shift_warnings: Vec<String>,
    current: Option<String>,
    cancel_href: Option<String>,
    /// Why the shift was cancelled, when it was: the form is then shown read-only.
    cancelled: Option<String>,
    /// The first and last local times a shift of the pilot may take: its first day's midnight
    /// and the end of the day after its last (a night shift may end then).
    earliest: String,
    latest: String,
}

/// Which form it is: its heading, where it is sent, where the shift is cancelled, and whether it
/// already was.
pub struct Target {
    heading: String,
    action: String,
    cancel_href: Option<String>,
    cancelled: Option<String>,
}

impl Target {
    /// The form for a new shift of pilot `slug`.
    pub fn new_shift(slug: &str) -> Target {
        Target {
            heading: "New shift".into(),
            action: format!("/pilots/{slug}/shifts"),
            cancel_href: None,
            cancelled: None,
        }
    }

    /// The form editing shift `id`, with a way to cancel it while it counts; read-only once it
    /// was cancelled (for `cancel_reason`).
    pub fn edit(id: ShiftId, status: ShiftStatus, cancel_reason: &str) -> Target {
        let cancelled = status == ShiftStatus::Cancelled;
        Target {
            heading: format!("Edit shift #{id}"),
            action: format!("/shifts/{id}"),
            cancel_href: status.counts().then(|| format!("/shifts/{id}/cancel")),
            cancelled: cancelled.then(|| cancel_reason.to_string()),
        }
    }
}

/// What is wrong with what was sent, shown with the form.
#[derive(Default)]
pub struct Problems {
    errors: FieldErrors,
    problem: Option<String>,
    rest_warnings: Vec<String>,
    shift_warnings: Vec<String>,
    /// The shift as it is now, after someone else changed it.
    current: Option<String>,
}

impl Problems {
    /// No problem, but what the stored shift may lack, said above its form.
    pub fn warned(shift_warnings: Vec<String>) -> Problems {
        Problems {
            shift_warnings,
            ..Problems::default()
        }
    }
}

/// What was wrong when someone else saved the shift first.
const STALE: &str = "Someone else changed this shift while you were editing it. Nothing was saved. \
                     Its current state is shown below; your changes are still in the form — submit again to apply them.";

/// Everything needed to draw the form for one pilot.
pub struct FormContext {
    pub scope: Scope,
    pub rules: RosterRules,
    officers: Vec<PilotOfficer>,
    agencies: Agencies,
}

impl FormContext {
    /// The choices of the scope's pilot.
    pub async fn load(state: &AppState, scope: Scope) -> AppResult<FormContext> {
        let mut conn = state.db.acquire().await?;
        let pilot = &scope.pilot;
        let rules = roster::rules(
            &mut conn,
            pilot.id,
            scope.zone,
            pilot.starts_on,
            pilot.ends_on,
        )
        .await?;
        let officers = roster::officers(&mut *conn, pilot.id).await?;
        let agencies = agencies::list(&mut *conn).await?;
        Ok(FormContext {
            scope,
            rules,
            officers,
            agencies,
        })
    }

    /// The form page for `form`, with any problems found.
    pub fn page(
        &self,
        user: &User,
        target: Target,
        form: ShiftForm,
        problems: Problems,
    ) -> Page<ShiftFormPage> {
        let pilot = &self.scope.pilot;
        let zone = self.scope.zone;
        let checked = |list: &[String], id: i64| list.iter().any(|v| v.trim() == id.to_string());
        let officer_groups = self
            .agencies
            .iter()
            .map(|agency| OfficerGroup {
                agency: agency.name.clone(),
                officers: self
                    .officers
                    .iter()
                    .filter(|officer| officer.agency == agency.code)
                    .map(|officer| Choice {
                        value: officer.id.to_string(),
                        label: officer.name.clone(),
                        checked: checked(&form.officer_ids, officer.id.0),
                    })
                    .collect(),
            })
            .filter(|group| !group.officers.is_empty())
            .collect();
        let week = local_time::parse(&form.starts_at, zone)
            .map(|at| Week::containing(at.with_timezone(&zone).date_naive()))
            .unwrap_or_else(|_| Week::containing(self.scope.today()));
        Page(ShiftFormPage {
            layout: Layout::new(target.heading.clone(), Some(user))
                .for_pilot(&pilot.slug, &pilot.name),
            slug: pilot.slug.clone(),
            pilot_name: pilot.name.clone(),
            heading: target.heading,
            action: target.action,
            week: week.to_string(),
            earliest: format!("{}T00:00", pilot.starts_on),
            latest: format!(
                "{}T23:59",
                pilot.ends_on.succ_opt().unwrap_or(pilot.ends_on)
            ),
            teams: self
                .rules
                .teams
                .iter()
                .map(|team| Choice {
                    value: team.id.to_string(),
                    label: team.name.clone(),
                    checked: form.team_id.trim() == team.id.to_string(),
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
            officer_groups,
            hotspots: self
                .rules
                .hotspots
                .iter()
                .map(|hotspot| {
                    let name = &hotspot.name;
                    let from = crate::web::format::day(hotspot.active_from);
                    Choice {
                        value: hotspot.id.to_string(),
                        label: match hotspot.active_to {
                            Some(to) => {
                                format!("{name} (active {from} to {})", crate::web::format::day(to))
                            }
                            None if hotspot.active_from > pilot.starts_on => {
                                format!("{name} (active from {from})")
                            }
                            None => name.clone(),
                        },
                        checked: checked(&form.hotspot_ids, hotspot.id.0),
                    }
                })
                .collect(),
            form,
            errors: problems.errors,
            problem: problems.problem,
            rest_warnings: problems.rest_warnings,
            shift_warnings: problems.shift_warnings,
            current: problems.current,
            cancel_href: target.cancel_href,
            cancelled: target.cancelled,
        })
    }

    /// The form again, with the reason a save was refused beside the fields it concerns.
    pub fn refused(
        &self,
        user: &User,
        target: Target,
        mut form: ShiftForm,
        error: WriteError,
    ) -> AppResult<Response> {
        let mut problems = Problems::default();
        let status = match error {
            WriteError::Invalid(errors) => {
                problems.errors = errors;
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WriteError::Clash(clash) => {
                let message = clash_message(&clash, self.scope.zone);
                problems.errors.add("officer_ids", message.clone());
                problems.problem = Some(message);
                StatusCode::CONFLICT
            }
            WriteError::NeedsRestReason(short) => {
                problems.errors.add(
                    "rest_reason",
                    "Give a reason to accept the short rest, or change the shift.",
                );
                problems.rest_warnings = short.iter().map(ToString::to_string).collect();
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WriteError::Stale(record) => {
                form.version = record.version.to_string();
                problems.problem = Some(STALE.into());
                problems.current = Some(self.describe(&record));
                StatusCode::CONFLICT
            }
            other => return Err(write_error(other)),
        };
        Ok((status, self.page(user, target, form, problems)).into_response())
    }

    /// What the stored shift `record` may lack, as the roster week says after a save; nothing
    /// for a cancelled shift.
    pub fn warnings_of(&self, record: &ShiftRecord) -> Vec<String> {
        let Some(team) = self.rules.team(record.team_id) else {
            return Vec::new();
        };
        if !record.status.counts() {
            return Vec::new();
        }
        let member_agencies: Vec<_> = record
            .officer_ids
            .iter()
            .filter_map(|id| self.officers.iter().find(|o| o.id == *id))
            .map(|o| o.agency.clone())
            .collect();
        shift_warnings(
            &team.name,
            &team.agency,
            record.hotspot_ids.len(),
            &member_agencies,
            &self.agencies,
        )
        .iter()
        .map(ToString::to_string)
        .collect()
    }

    /// The current state of a shift, in a sentence, for a supervisor whose edit went stale.
    pub fn describe(&self, record: &ShiftRecord) -> String {
        let zone = self.scope.zone;
        let rules = &self.rules;
        let team = rules.team(record.team_id).map_or("?", |t| t.name.as_str());
        let officers: Vec<&str> = record
            .officer_ids
            .iter()
            .filter_map(|id| rules.officer_name(*id))
            .collect();
        let hotspots: Vec<&str> = record
            .hotspot_ids
            .iter()
            .filter_map(|id| rules.hotspot(*id).map(|h| h.name.as_str()))
            .collect();
        format!(
            "Now (version {}): {team}, {} to {}, {}, {}; officers: {}; hotspots: {}; notes: {}",
            record.version,
            format::local(record.starts_at.with_timezone(&zone).naive_local()),
            format::local(record.ends_at.with_timezone(&zone).naive_local()),
            record.mode,
            record.status,
            officers.join(", "),
            hotspots.join(", "),
            if record.notes.is_empty() {
                "none"
            } else {
                &record.notes
            },
        )
    }
}

/// The form filled with a stored shift.
pub fn form_of(record: &ShiftRecord, zone: Tz) -> ShiftForm {
    ShiftForm {
        team_id: record.team_id.to_string(),
        starts_at: input_value(record.starts_at, zone),
        ends_at: input_value(record.ends_at, zone),
        mode: record.mode.to_string(),
        officer_ids: record
            .officer_ids
            .iter()
            .map(OfficerId::to_string)
            .collect(),
        hotspot_ids: record
            .hotspot_ids
            .iter()
            .map(HotspotId::to_string)
            .collect(),
        notes: record.notes.clone(),
        version: record.version.to_string(),
        rest_reason: String::new(),
    }
}

/// A sentence naming the clash.
fn clash_message(clash: &Clash, zone: Tz) -> String {
    format!(
        "{} is already on shift #{} ({}, {} to {}). Choose other officers or other times.",
        clash.officer,
        clash.shift_id,
        clash.team,
        format::local(clash.starts_at.with_timezone(&zone).naive_local()),
        format::local(clash.ends_at.with_timezone(&zone).naive_local()),
    )
}
