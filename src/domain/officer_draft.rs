//! An officer as typed on the officer forms or read from a row of the officers import, checked
//! field by field: the agency's code, a badge number, a name, and optionally a rank and home
//! unit. Whether the agency is on file, and whether its badge number is free, is known only
//! against the database (`service::people`).

use serde::{Deserialize, Serialize};

use super::agency::AgencyCode;
use super::field_errors::{FieldErrors, sentence};
use super::plain_text;

/// The longest badge number, in characters.
pub const MAX_BADGE_CHARS: usize = 40;

/// The longest name, rank, home unit, team name or role, in characters.
pub const MAX_TEXT_CHARS: usize = 100;

/// The officer fields of a form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct OfficerForm {
    pub agency: String,
    pub badge_number: String,
    pub name: String,
    pub rank: String,
    pub home_unit: String,
}

/// An officer that may be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OfficerDraft {
    pub agency: AgencyCode,
    /// Unique within the agency.
    pub badge_number: String,
    pub name: String,
    /// Empty when not given.
    pub rank: String,
    /// Empty when not given.
    pub home_unit: String,
}

impl OfficerDraft {
    /// Checks every field of `form`; each problem is reported beside its field.
    pub fn parse(form: &OfficerForm) -> Result<OfficerDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let agency = AgencyCode::parse(&form.agency)
            .map_err(|e| errors.add("agency", sentence(e)))
            .ok();
        let badge_number = text_field(
            &mut errors,
            "badge_number",
            &form.badge_number,
            Some("Enter the officer's badge number."),
            MAX_BADGE_CHARS,
        );
        let name = text_field(
            &mut errors,
            "name",
            &form.name,
            Some("Enter the officer's name."),
            MAX_TEXT_CHARS,
        );
        let rank = text_field(&mut errors, "rank", &form.rank, None, MAX_TEXT_CHARS);
        let home_unit = text_field(
            &mut errors,
            "home_unit",
            &form.home_unit,
            None,
            MAX_TEXT_CHARS,
        );
        errors.into_result(|| {
            Some(OfficerDraft {
                agency: agency?,
                badge_number,
                name,
                rank,
                home_unit,
            })
        })
    }

    /// The form that gives this officer, to fill an edit form with what is stored.
    pub fn form(&self) -> OfficerForm {
        OfficerForm {
            agency: self.agency.to_string(),
            badge_number: self.badge_number.clone(),
            name: self.name.clone(),
            rank: self.rank.clone(),
            home_unit: self.home_unit.clone(),
        }
    }
}

/// A one-line text field, trimmed with its runs of whitespace made one space: refused when it
/// is blank and `required` says what to enter, longer than `max` characters, or holding a
/// control character. The text as it would be stored (checked or not).
pub fn text_field(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    required: Option<&str>,
    max: usize,
) -> String {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = plain_text::first_refused(raw) {
        errors.add(
            field,
            format!(
                "This may not hold the control character {}.",
                plain_text::describe(c)
            ),
        );
    }
    match required {
        Some(what) if text.is_empty() => errors.add(field, what),
        _ => {}
    }
    if text.chars().count() > max {
        errors.add(field, format!("This may be at most {max} characters long."));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(agency: &str, badge: &str, name: &str) -> OfficerForm {
        OfficerForm {
            agency: agency.into(),
            badge_number: badge.into(),
            name: name.into(),
            ..OfficerForm::default()
        }
    }

    #[test]
    fn an_officer_is_trimmed_and_the_agency_lower_cased() {
        let draft = OfficerDraft::parse(&OfficerForm {
            rank: " Staff   Sergeant ".into(),
            ..form(" CPS ", " 4127 ", "  Kevin   Ashdown ")
        })
        .unwrap();
        assert_eq!(draft.agency.as_str(), "cps");
        assert_eq!(draft.badge_number, "4127");
        assert_eq!(draft.name, "Kevin Ashdown");
        assert_eq!(draft.rank, "Staff Sergeant");
        assert_eq!(draft.home_unit, "");
        assert_eq!(OfficerDraft::parse(&draft.form()), Ok(draft));
    }

    #[test]
    fn every_bad_field_of_an_officer_is_reported_beside_it() {
        let errors = OfficerDraft::parse(&OfficerForm {
            home_unit: "x".repeat(101),
            rank: "Sgt\u{7}".into(),
            ..form("not an agency", "  ", "")
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            ["agency", "badge_number", "home_unit", "name", "rank"]
        );
        assert_eq!(
            errors.get("badge_number"),
            Some("Enter the officer's badge number.")
        );
        assert!(errors.get("rank").unwrap().contains("U+0007"));
        assert!(errors.get("home_unit").unwrap().contains("at most 100"));
    }

    #[test]
    fn joint_is_no_officers_agency() {
        let errors = OfficerDraft::parse(&form("joint", "1", "A")).unwrap_err();
        assert!(errors.get("agency").unwrap().starts_with("The code joint"));
    }
}
