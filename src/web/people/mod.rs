//! Officers, teams and assignments in the browser, for analysts and admins: adding an officer
//! to a pilot and editing one (`officer_form.rs`), editing and ending an officer's assignments
//! on the officer's page (`assignments.rs`), and the pilot's teams (`teams.rs`). Each change is
//! one function of [`crate::service::people`]; bad input answers 422 with the form again, the
//! input kept and each problem beside its field, and nothing stored.

pub mod assignments;
pub mod officer_form;
pub mod teams;

use crate::db::teams::TeamListed;
use crate::domain::Mode;
use crate::domain::agency::{Agencies, JOINT};
use crate::domain::assignment_draft::PilotFrame;
use crate::error::AppError;
use crate::service::people::PeopleError;
use crate::web::imports::Choice;
use crate::web::scope::Scope;

/// Every agency on file, by name, with `chosen` selected; `joint` too when `joint` says so.
fn agency_choices(on_file: &Agencies, chosen: &str, joint: bool) -> Vec<Choice> {
    let mut choices: Vec<Choice> = on_file
        .iter()
        .map(|agency| Choice {
            value: agency.code.to_string(),
            label: agency.name.clone(),
            selected: agency.code.as_str() == chosen.trim(),
        })
        .collect();
    if joint {
        choices.push(Choice {
            value: JOINT.into(),
            label: "Joint (several agencies)".into(),
            selected: chosen.trim() == JOINT,
        });
    }
    choices
}

/// The three modes, with `chosen` selected.
fn mode_choices(chosen: &str) -> Vec<Choice> {
    Mode::ALL
        .iter()
        .map(|mode| Choice {
            value: mode.as_str().into(),
            label: mode.as_str().into(),
            selected: mode.as_str() == chosen.trim(),
        })
        .collect()
}

/// "No team", then the pilot's teams, with `chosen` (a team's id) selected.
fn team_choices(teams: &[TeamListed], chosen: &str) -> Vec<Choice> {
    let none = Choice {
        value: String::new(),
        label: "No team".into(),
        selected: chosen.trim().is_empty(),
    };
    std::iter::once(none)
        .chain(teams.iter().map(|listed| Choice {
            value: listed.team.id.to_string(),
            label: listed.team.details.name.clone(),
            selected: listed.team.id.to_string() == chosen.trim(),
        }))
        .collect()
}

/// The pilot's days and teams, which an assignment must fit.
fn frame(scope: &Scope, teams: &[TeamListed]) -> PilotFrame {
    PilotFrame {
        starts_on: scope.pilot.starts_on,
        ends_on: scope.pilot.ends_on,
        teams: teams.iter().map(|listed| listed.team.id).collect(),
    }
}

impl From<PeopleError> for AppError {
    /// Problems a form shows beside its fields are handled by the handlers; what is left is a
    /// row missing or a failure.
    fn from(error: PeopleError) -> AppError {
        match error {
            PeopleError::NotFound => AppError::NotFound,
            PeopleError::Db(e) => AppError::Db(e),
            PeopleError::Internal(e) => AppError::Internal(e),
            PeopleError::Invalid(errors) => {
                AppError::Conflict(errors.into_messages().collect::<Vec<_>>().join(" "))
            }
        }
    }
}
