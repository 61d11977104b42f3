//! A team of a pilot as typed on the teams page or gathered from the officers import: a name,
//! the agency it belongs to (or `joint`), and how it patrols. Whether the name is free in the
//! pilot and the agency on file is known only against the database (`service::people`).

use serde::{Deserialize, Serialize};

use super::agency::TeamAgency;
use super::field_errors::{FieldErrors, sentence};
use super::officer_draft::{MAX_TEXT_CHARS, text_field};
use super::shift_status::Mode;

/// The team form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TeamForm {
    pub name: String,
    /// An agency's code, or `joint`.
    pub agency: String,
    pub mode: String,
}

/// A team that may be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TeamDraft {
    /// Unique within the pilot.
    pub name: String,
    #[serde(serialize_with = "team_agency_as_text")]
    pub agency: TeamAgency,
    /// How the team usually patrols: a new shift of the team starts with it. Changing it leaves
    /// the team's shifts as they are.
    pub mode: Mode,
}

/// Writes a team's agency as stored (`joint` or the agency's code), for the audit log.
pub fn team_agency_as_text<S: serde::Serializer>(
    agency: &TeamAgency,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(agency.as_str())
}

impl TeamDraft {
    /// Checks every field of `form`; each problem is reported beside its field.
    pub fn parse(form: &TeamForm) -> Result<TeamDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text_field(
            &mut errors,
            "name",
            &form.name,
            Some("Enter the team's name, e.g. Bike Unit A."),
            MAX_TEXT_CHARS,
        );
        let agency = form
            .agency
            .to_lowercase()
            .parse::<TeamAgency>()
            .map_err(|e| errors.add("agency", sentence(e)))
            .ok();
        let mode = form
            .mode
            .trim()
            .parse::<Mode>()
            .map_err(|_| errors.add("mode", "Choose foot, bike or vehicle."))
            .ok();
        errors.into_result(|| {
            Some(TeamDraft {
                name,
                agency: agency?,
                mode: mode?,
            })
        })
    }

    /// The form that gives this team, to fill an edit form with what is stored.
    pub fn form(&self) -> TeamForm {
        TeamForm {
            name: self.name.clone(),
            agency: self.agency.to_string(),
            mode: self.mode.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::agency::AgencyCode;

    fn form(name: &str, agency: &str, mode: &str) -> TeamForm {
        TeamForm {
            name: name.into(),
            agency: agency.into(),
            mode: mode.into(),
        }
    }

    #[test]
    fn a_team_is_an_agencys_or_joint() {
        let team = TeamDraft::parse(&form(" Bike  Unit A ", "CPS", "bike")).unwrap();
        assert_eq!(team.name, "Bike Unit A");
        assert_eq!(
            team.agency,
            TeamAgency::Agency(AgencyCode::parse("cps").unwrap())
        );
        assert_eq!(team.mode, Mode::Bike);
        let pair = TeamDraft::parse(&form("Pair 1", "joint", "foot")).unwrap();
        assert_eq!(pair.agency, TeamAgency::Joint);
        assert_eq!(TeamDraft::parse(&pair.form()), Ok(pair.clone()));
        assert_eq!(
            serde_json::to_value(&pair).unwrap(),
            serde_json::json!({"name": "Pair 1", "agency": "joint", "mode": "foot"})
        );
    }

    #[test]
    fn every_bad_field_of_a_team_is_reported_beside_it() {
        let errors = TeamDraft::parse(&form(" ", "the police", "boat")).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["agency", "mode", "name"]);
        assert_eq!(errors.get("mode"), Some("Choose foot, bike or vehicle."));
    }
}
