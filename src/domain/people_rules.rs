//! The rules about officers, teams and assignments that are checked against what is stored, and
//! their sentences: an assignment overlapping another of the officer's, one that would leave
//! shifts outside it, and the schema's named constraints (migrations 0002, 0013 and 0018) as the
//! field they belong beside.

use chrono::NaiveDate;

use super::field_errors::FieldErrors;

/// The field and the sentence for a violation of the named constraint, when it is one a person
/// can fix by changing a field: the form shows it there, the import on the row.
pub fn constraint_refusal(constraint: &str) -> Option<(&'static str, &'static str)> {
    Some(match constraint {
        "officers_agency_badge_key" => (
            "badge_number",
            "Another officer of this agency has this badge number.",
        ),
        "officers_agency_fkey" | "teams_agency_fkey" => (
            "agency",
            "There is no agency with this code on file; an administrator adds agencies.",
        ),
        "officers_badge_not_blank" => ("badge_number", "Enter the officer's badge number."),
        "teams_pilot_name_key" => (
            "name",
            "The pilot already has a team of this name; choose another.",
        ),
        "assignments_no_overlap" => (
            "starts_on",
            "The officer is already assigned to this pilot on some of these days.",
        ),
        "assignments_team_same_pilot" => ("team_id", "Choose one of this pilot's teams, or none."),
        "assignments_dates_in_order" => ("ends_on", "The last day may not come before the first."),
        _ => return None,
    })
}

/// The problems a violation of `constraint` is, beside its field; `None` for any other failure.
pub fn constraint_errors(constraint: &str) -> Option<FieldErrors> {
    let (field, sentence) = constraint_refusal(constraint)?;
    let mut errors = FieldErrors::new();
    errors.add(field, sentence);
    Some(errors)
}

/// Why an assignment may not share days with the officer's assignment from `first` to `last`.
pub fn overlap(first: NaiveDate, last: NaiveDate) -> String {
    format!(
        "The officer is already assigned to this pilot from {first} to {last}; an officer is \
         assigned to a pilot once at a time, so change that assignment instead."
    )
}

/// Why an assignment ending on `ends_on` cannot be ended later than that.
pub fn ends_already(ends_on: NaiveDate) -> String {
    format!("The assignment already ends on {ends_on}; to make it longer, edit it.")
}

/// Why an assignment may not give up `days`, on which the officer has shifts.
pub fn shifts_outside(days: &[NaiveDate]) -> String {
    let listed: Vec<String> = days.iter().take(3).map(NaiveDate::to_string).collect();
    let more = match days.len() {
        0..=3 => String::new(),
        n => format!(" and {} more days", n - 3),
    };
    format!(
        "The officer has shifts on {}{more}, outside these days; take them off those shifts first.",
        listed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_constraints_become_the_field_a_person_fixes() {
        let errors = constraint_errors("teams_pilot_name_key").unwrap();
        assert!(errors.get("name").unwrap().contains("already has a team"));
        assert_eq!(
            constraint_refusal("assignments_no_overlap").map(|(f, _)| f),
            Some("starts_on")
        );
        assert_eq!(constraint_refusal("shifts_ends_after_start"), None);
    }

    #[test]
    fn shifts_outside_name_at_most_three_days() {
        let days: Vec<NaiveDate> = (1..=5)
            .map(|d| NaiveDate::from_ymd_opt(2023, 3, d).unwrap())
            .collect();
        assert_eq!(
            shifts_outside(&days[..1]),
            "The officer has shifts on 2023-03-01, outside these days; take them off those shifts first."
        );
        assert!(shifts_outside(&days).contains("2023-03-03 and 2 more days"));
    }
}
