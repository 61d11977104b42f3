//! An officer's assignment to a pilot as typed or imported: its first and last day, inside the
//! pilot's; the officer's role in the pilot; and optionally the pilot's team they are in. Whether
//! it overlaps another assignment of the officer is known only against the database
//! (`service::people`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::field_errors::FieldErrors;
use super::ids::TeamId;
use super::officer_draft::{MAX_TEXT_CHARS, text_field};
use super::people_rules::ends_already;

/// What an assignment must fit: the pilot's days and its teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PilotFrame {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The pilot's teams.
    pub teams: Vec<TeamId>,
}

impl PilotFrame {
    /// Whether `day` is one of the pilot's.
    pub fn holds(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }
}

/// The assignment fields of a form, as typed; `team_id` empty for no team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AssignmentForm {
    pub starts_on: String,
    pub ends_on: String,
    pub role: String,
    pub team_id: String,
}

/// An assignment that may be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AssignmentDraft {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The officer's role in the pilot, e.g. `sheriff_pilot`.
    pub role: String,
    pub team_id: Option<TeamId>,
}

impl AssignmentDraft {
    /// Checks every field of `form` against the pilot; each problem is reported beside its field.
    pub fn parse(
        form: &AssignmentForm,
        pilot: &PilotFrame,
    ) -> Result<AssignmentDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let starts_on = day_field(&mut errors, "starts_on", &form.starts_on, "first", pilot);
        let ends_on = day_field(&mut errors, "ends_on", &form.ends_on, "last", pilot);
        if let (Some(first), Some(last)) = (starts_on, ends_on)
            && last < first
        {
            errors.add("ends_on", "The last day may not come before the first.");
        }
        let role = text_field(
            &mut errors,
            "role",
            &form.role,
            Some("Enter the officer's role in the pilot, e.g. sheriff_pilot."),
            MAX_TEXT_CHARS,
        );
        let team_id = match form.team_id.trim() {
            "" => Some(None),
            typed => match typed.parse::<TeamId>() {
                Ok(id) if pilot.teams.contains(&id) => Some(Some(id)),
                _ => {
                    errors.add("team_id", "Choose one of this pilot's teams, or none.");
                    None
                }
            },
        };
        errors.into_result(|| {
            Some(AssignmentDraft {
                starts_on: starts_on?,
                ends_on: ends_on?,
                role,
                team_id: team_id?,
            })
        })
    }

    /// The form that gives this assignment, to fill an edit form with what is stored.
    pub fn form(&self) -> AssignmentForm {
        AssignmentForm {
            starts_on: self.starts_on.to_string(),
            ends_on: self.ends_on.to_string(),
            role: self.role.clone(),
            team_id: self.team_id.map_or_else(String::new, |id| id.to_string()),
        }
    }
}

/// The "end the assignment" form: its new last day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct EndForm {
    pub ends_on: String,
}

impl EndForm {
    /// The new last day of `assignment`: inside the pilot, not before its first day, and not
    /// after its last (ending an assignment only shortens it).
    pub fn parse(
        &self,
        assignment: &AssignmentDraft,
        pilot: &PilotFrame,
    ) -> Result<NaiveDate, FieldErrors> {
        let mut errors = FieldErrors::new();
        let day = day_field(&mut errors, "ends_on", &self.ends_on, "last", pilot);
        match day {
            Some(day) if day < assignment.starts_on => errors.add(
                "ends_on",
                format!(
                    "The assignment starts on {}; end it on that day or later.",
                    assignment.starts_on
                ),
            ),
            Some(day) if day > assignment.ends_on => {
                errors.add("ends_on", ends_already(assignment.ends_on))
            }
            _ => {}
        }
        errors.into_result(|| day)
    }
}

/// A day written `YYYY-MM-DD` that is one of the pilot's; `which` says which day it is in
/// messages ("first", "last").
fn day_field(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    which: &str,
    pilot: &PilotFrame,
) -> Option<NaiveDate> {
    let Ok(day) = raw.trim().parse::<NaiveDate>() else {
        errors.add(
            field,
            format!(
                "Enter the {which} day as YYYY-MM-DD, e.g. {}.",
                pilot.starts_on
            ),
        );
        return None;
    };
    if !pilot.holds(day) {
        errors.add(
            field,
            format!(
                "The pilot runs from {} to {}; the {which} day must be one of those.",
                pilot.starts_on, pilot.ends_on
            ),
        );
        return None;
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn pilot() -> PilotFrame {
        PilotFrame {
            starts_on: day("2023-02-27"),
            ends_on: day("2023-05-31"),
            teams: vec![TeamId(7)],
        }
    }

    fn form(starts: &str, ends: &str, role: &str, team: &str) -> AssignmentForm {
        AssignmentForm {
            starts_on: starts.into(),
            ends_on: ends.into(),
            role: role.into(),
            team_id: team.into(),
        }
    }

    #[test]
    fn an_assignment_inside_the_pilot_with_or_without_a_team_is_taken() {
        let draft = AssignmentDraft::parse(
            &form("2023-02-27", "2023-05-31", " cps_partner ", "7"),
            &pilot(),
        )
        .unwrap();
        assert_eq!(draft.role, "cps_partner");
        assert_eq!(draft.team_id, Some(TeamId(7)));
        assert_eq!(AssignmentDraft::parse(&draft.form(), &pilot()), Ok(draft));
        let one_day =
            AssignmentDraft::parse(&form("2023-03-01", "2023-03-01", "r", ""), &pilot()).unwrap();
        assert_eq!(one_day.team_id, None);
    }

    #[test]
    fn every_bad_field_of_an_assignment_is_reported_beside_it() {
        let errors = AssignmentDraft::parse(&form("2023-02-26", "31/05/2023", "", "8"), &pilot())
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["ends_on", "role", "starts_on", "team_id"]);
        assert_eq!(
            errors.get("starts_on"),
            Some(
                "The pilot runs from 2023-02-27 to 2023-05-31; the first day must be one of those."
            )
        );
        assert!(
            errors
                .get("ends_on")
                .unwrap()
                .starts_with("Enter the last day")
        );
        let backwards =
            AssignmentDraft::parse(&form("2023-03-02", "2023-03-01", "r", ""), &pilot())
                .unwrap_err();
        assert_eq!(
            backwards.get("ends_on"),
            Some("The last day may not come before the first.")
        );
    }

    #[test]
    fn ending_an_assignment_only_shortens_it() {
        let assignment =
            AssignmentDraft::parse(&form("2023-03-01", "2023-04-30", "r", ""), &pilot()).unwrap();
        let end = |text: &str| {
            EndForm {
                ends_on: text.into(),
            }
            .parse(&assignment, &pilot())
        };
        assert_eq!(end("2023-03-01"), Ok(day("2023-03-01")));
        assert_eq!(end("2023-04-30"), Ok(day("2023-04-30")));
        assert!(
            end("2023-02-28")
                .unwrap_err()
                .get("ends_on")
                .unwrap()
                .contains("starts on")
        );
        assert!(
            end("2023-05-01")
                .unwrap_err()
                .get("ends_on")
                .unwrap()
                .contains("edit it")
        );
        assert!(end("").is_err());
    }
}
