//! What was wrong with a form, field by field: the one type every draft (shift, visit, activity)
//! returns and every form page reads.

use std::collections::BTreeMap;

/// The key of a problem that concerns the whole form rather than one field.
pub const FORM: &str = "form";

/// Problems with a form, each a sentence keyed by the name of the field it belongs beside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    /// No problems yet.
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Notes a problem with `field`; only the first problem of a field is kept, since a person
    /// fixes the first thing said.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    /// The problem with `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// Whether `field` has a problem (for `aria-invalid`).
    pub fn contains(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// Whether the form had no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields have a problem.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Each field with its problem, in the order of the fields' names.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0
            .iter()
            .map(|(field, message)| (*field, message.as_str()))
    }

    /// The problems without their fields, in the order of the fields' names.
    pub fn into_messages(self) -> impl Iterator<Item = String> {
        self.0.into_values()
    }

    /// `value` when there was no problem, else the problems.
    pub fn into_result<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if !self.is_empty() {
            return Err(self);
        }
        // Every missing piece adds an error, so this cannot fail; refuse rather than panic.
        value().ok_or_else(|| {
            let mut errors = FieldErrors::new();
            errors.add(FORM, "The form is incomplete.");
            errors
        })
    }
}

/// A rule's refusal as a sentence for beside a field: capitalised, with a full stop.
pub fn sentence(error: impl std::fmt::Display) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_problem_of_a_field_is_the_one_kept() {
        let mut errors = FieldErrors::new();
        errors.add("ends_at", "The shift must end after it starts.");
        errors.add("ends_at", "A shift may last at most 16 hours.");
        assert_eq!(
            errors.get("ends_at"),
            Some("The shift must end after it starts.")
        );
        assert_eq!(errors.len(), 1);
        assert!(errors.contains("ends_at"));
        assert!(!errors.contains("starts_at"));
    }

    #[test]
    fn problems_are_listed_in_the_order_of_their_fields_names() {
        let mut errors = FieldErrors::new();
        errors.add("team_id", "Choose a team.");
        errors.add("mode", "Choose a mode.");
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["mode", "team_id"]);
        let messages: Vec<_> = errors.into_messages().collect();
        assert_eq!(messages, ["Choose a mode.", "Choose a team."]);
    }

    #[test]
    fn a_form_with_problems_gives_no_value_and_one_without_gives_it() {
        let mut errors = FieldErrors::new();
        errors.add("count", "Enter how many.");
        assert_eq!(errors.clone().into_result(|| Some(1)), Err(errors));
        assert_eq!(FieldErrors::new().into_result(|| Some(1)), Ok(1));
        let incomplete = FieldErrors::new().into_result(|| None::<i32>).unwrap_err();
        assert_eq!(incomplete.get(FORM), Some("The form is incomplete."));
    }
}
