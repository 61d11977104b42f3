//! The rename form of a district's edit page as typed, checked by the rule a hotspot's name
//! follows: trimmed, its runs of spaces made one, not empty.

use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::hotspot;

/// The rename form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DistrictForm {
    pub name: String,
}

impl DistrictForm {
    /// The new name, or its problem beside the field.
    pub fn parse(&self) -> Result<String, FieldErrors> {
        hotspot::name(&self.name).map_err(|refusal| {
            let mut errors = FieldErrors::new();
            errors.add("name", refusal.sentence());
            errors
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_tidied_and_may_not_be_empty() {
        let form = |name: &str| DistrictForm { name: name.into() };
        assert_eq!(
            form("  Beltline   East ").parse(),
            Ok("Beltline East".into())
        );
        assert_eq!(
            form(" ").parse().unwrap_err().get("name"),
            Some("Fill this in.")
        );
    }
}
