//! Agencies: the forces officers belong to, kept as rows of the `agencies` table. An agency is
//! known by its code (what `officers.agency` holds), and has a full name and a short label for
//! crowded places (roster cards, the dashboard's detail lines). A team belongs to one agency or is
//! joint ([`TeamAgency`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::field_errors::{FieldErrors, sentence};
use super::plain_text;

/// The longest agency code, in characters (the `agencies_code_format` constraint).
pub const MAX_CODE_CHARS: usize = 40;

/// The longest name or label, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// What `teams.agency` holds for a team of several agencies; no agency may have it as its code.
pub const JOINT: &str = "joint";

/// An agency's code: 1 to 40 lower-case letters, digits or `_`, starting with a letter, and not
/// `joint` (the rules of the `agencies_code_format` and `agencies_code_not_joint` constraints).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AgencyCode(String);

/// Why an agency code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAgencyCode {
    #[error(
        "an agency code is 1 to 40 lower-case letters, digits or '_', starting with a letter, \
         e.g. eps"
    )]
    Format,
    #[error("the code joint is kept for teams of several agencies, so no agency may have it")]
    Reserved,
}

impl AgencyCode {
    /// Accepts the code as typed, trimmed and lower-cased.
    pub fn parse(raw: &str) -> Result<AgencyCode, InvalidAgencyCode> {
        let code = raw.trim().to_lowercase();
        let mut chars = code.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !(first_ok && rest_ok && code.len() <= MAX_CODE_CHARS) {
            return Err(InvalidAgencyCode::Format);
        }
        if code == JOINT {
            return Err(InvalidAgencyCode::Reserved);
        }
        Ok(AgencyCode(code))
    }

    /// The code as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl FromStr for AgencyCode {
    type Err = InvalidAgencyCode;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        AgencyCode::parse(raw)
    }
}

/// Who a team belongs to: one agency, or several together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TeamAgency {
    /// A team of several agencies, stored as `joint`.
    Joint,
    /// A team of one agency, stored as its code.
    Agency(AgencyCode),
}

impl TeamAgency {
    /// The name stored in `teams.agency`.
    pub fn as_str(&self) -> &str {
        match self {
            TeamAgency::Joint => JOINT,
            TeamAgency::Agency(code) => code.as_str(),
        }
    }
}

impl fmt::Display for TeamAgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for TeamAgency {
    type Err = InvalidAgencyCode;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.trim() {
            JOINT => Ok(TeamAgency::Joint),
            code => AgencyCode::parse(code).map(TeamAgency::Agency),
        }
    }
}

crate::stored_as_text!(AgencyCode);
crate::stored_as_text!(TeamAgency);

/// An agency as stored: its code, full name and short label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Agency {
    pub code: AgencyCode,
    /// The full name, e.g. "Calgary Police Service".
    pub name: String,
    /// The short form, e.g. "CPS".
    pub label: String,
}

/// The form adding an agency or changing its name and label, as typed (from the shell, the code
/// comes from the command line; when a row is edited, from the address).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AgencyForm {
    pub code: String,
    pub name: String,
    pub label: String,
}

impl Agency {
    /// Checks every field of `form`; the label is the name when none was typed.
    pub fn parse(form: &AgencyForm) -> Result<Agency, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = AgencyCode::parse(&form.code)
            .map_err(|e| errors.add("code", sentence(e)))
            .ok();
        let name = form.name.trim();
        if name.is_empty() {
            errors.add(
                "name",
                "Enter the agency's name, e.g. Edmonton Police Service.",
            );
        }
        check_text(&mut errors, "name", name);
        let label = match form.label.trim() {
            "" => name,
            label => label,
        };
        check_text(&mut errors, "label", label);
        errors.into_result(|| {
            Some(Agency {
                code: code?,
                name: name.to_string(),
                label: label.to_string(),
            })
        })
    }
}

/// Refuses text longer than [`MAX_NAME_CHARS`] or holding a control character.
fn check_text(errors: &mut FieldErrors, field: &'static str, text: &str) {
    if text.chars().count() > MAX_NAME_CHARS {
        errors.add(
            field,
            format!("This may be at most {MAX_NAME_CHARS} characters long."),
        );
    }
    if let Some(c) = plain_text::first_refused(text) {
        errors.add(
            field,
            format!(
                "This may not hold the control character {}.",
                plain_text::describe(c)
            ),
        );
    }
}

/// The agencies on file, to name the codes that rows carry.
#[derive(Debug, Clone, Default)]
pub struct Agencies(Vec<Agency>);

impl Agencies {
    /// The agencies in the order given (the order they are listed in).
    pub fn new(agencies: Vec<Agency>) -> Agencies {
        Agencies(agencies)
    }

    /// Every agency, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Agency> {
        self.0.iter()
    }

    /// The place of `code` in the list, if on file: it tells agencies apart by colour.
    pub fn position(&self, code: &AgencyCode) -> Option<usize> {
        self.0.iter().position(|agency| &agency.code == code)
    }

    /// The agency's full name; its code when it is not on file.
    pub fn name<'a>(&'a self, code: &'a AgencyCode) -> &'a str {
        self.find(code).map_or(code.as_str(), |a| a.name.as_str())
    }

    /// The agency's short label; its code when it is not on file.
    pub fn label<'a>(&'a self, code: &'a AgencyCode) -> &'a str {
        self.find(code).map_or(code.as_str(), |a| a.label.as_str())
    }

    /// How a team's agency is shown: the agency's label, or "Joint".
    pub fn team_label<'a>(&'a self, agency: &'a TeamAgency) -> &'a str {
        match agency {
            TeamAgency::Joint => "Joint",
            TeamAgency::Agency(code) => self.label(code),
        }
    }

    fn find(&self, code: &AgencyCode) -> Option<&Agency> {
        self.0.iter().find(|agency| &agency.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(code: &str, name: &str, label: &str) -> AgencyForm {
        AgencyForm {
            code: code.into(),
            name: name.into(),
            label: label.into(),
        }
    }

    #[test]
    fn codes_are_trimmed_and_lower_cased() {
        assert_eq!(AgencyCode::parse(" EPS ").unwrap().as_str(), "eps");
        assert_eq!(AgencyCode::parse("rcmp_k2").unwrap().as_str(), "rcmp_k2");
        assert_eq!(
            AgencyCode::parse(&"a".repeat(40)).unwrap().as_str().len(),
            40
        );
    }

    #[test]
    fn codes_with_spaces_symbols_a_leading_digit_or_nothing_are_refused() {
        for bad in [
            "",
            " ",
            "e ps",
            "9eps",
            "_eps",
            "eps-2",
            "é",
            &"a".repeat(41),
        ] {
            assert_eq!(
                AgencyCode::parse(bad),
                Err(InvalidAgencyCode::Format),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn joint_is_a_teams_agency_but_never_an_agencys_code() {
        assert_eq!(AgencyCode::parse("Joint"), Err(InvalidAgencyCode::Reserved));
        assert_eq!("joint".parse::<TeamAgency>(), Ok(TeamAgency::Joint));
        let eps = TeamAgency::Agency(AgencyCode::parse("eps").unwrap());
        assert_eq!("eps".parse::<TeamAgency>(), Ok(eps.clone()));
        assert_eq!(eps.as_str(), "eps");
        assert_eq!(TeamAgency::Joint.to_string(), "joint");
    }

    #[test]
    fn an_agency_takes_its_name_as_label_when_none_is_typed() {
        let agency = Agency::parse(&form("eps", " Edmonton Police Service ", " ")).unwrap();
        assert_eq!(agency.name, "Edmonton Police Service");
        assert_eq!(agency.label, "Edmonton Police Service");
        let agency = Agency::parse(&form("eps", "Edmonton Police Service", "EPS")).unwrap();
        assert_eq!(agency.label, "EPS");
    }

    #[test]
    fn every_bad_field_of_an_agency_is_reported_beside_it() {
        let errors = Agency::parse(&form("joint", "  ", &"x".repeat(101))).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["code", "label", "name"]);
        assert!(
            errors
                .get("code")
                .unwrap()
                .starts_with("The code joint is kept")
        );
        let errors = Agency::parse(&form("eps", "Edmonton\u{1b}", "")).unwrap_err();
        assert!(errors.get("name").unwrap().contains("U+001B"));
    }

    #[test]
    fn agencies_name_their_codes_and_codes_not_on_file_name_themselves() {
        let eps = AgencyCode::parse("eps").unwrap();
        let rcmp = AgencyCode::parse("rcmp").unwrap();
        let agencies = Agencies::new(vec![
            Agency::parse(&form("eps", "Edmonton Police Service", "EPS")).unwrap(),
        ]);
        assert_eq!(agencies.name(&eps), "Edmonton Police Service");
        assert_eq!(agencies.label(&eps), "EPS");
        assert_eq!(agencies.label(&rcmp), "rcmp");
        assert_eq!(agencies.position(&eps), Some(0));
        assert_eq!(agencies.position(&rcmp), None);
        assert_eq!(agencies.team_label(&TeamAgency::Joint), "Joint");
        assert_eq!(agencies.team_label(&TeamAgency::Agency(eps)), "EPS");
    }
}
