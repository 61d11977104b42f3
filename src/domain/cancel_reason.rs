//! Why a shift is cancelled: asked for on the cancel page, kept with the shift and in the audit
//! log, shown on the roster.

use super::field_errors::FieldErrors;

/// The most a reason may hold, in characters: a sentence or two.
pub const MAX_REASON: usize = 500;

/// A reason given for cancelling a shift: some words, at most [`MAX_REASON`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelReason(String);

impl CancelReason {
    /// Reads the `reason` field; the problem is beside it when it is blank or too long.
    pub fn parse(text: &str) -> Result<CancelReason, FieldErrors> {
        let reason = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut errors = FieldErrors::new();
        if reason.is_empty() {
            errors.add(
                "reason",
                "Say why the shift is cancelled, e.g. \"members redeployed to a priority call\".",
            );
        } else if reason.chars().count() > MAX_REASON {
            errors.add(
                "reason",
                format!(
                    "A reason may hold at most {MAX_REASON} characters; this one has {}.",
                    reason.chars().count()
                ),
            );
        }
        errors.into_result(|| Some(CancelReason(reason)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_some_words_with_their_spacing_tidied() {
        let reason = CancelReason::parse("  Court   attendance\n for two members ").unwrap();
        assert_eq!(reason.as_str(), "Court attendance for two members");
    }

    #[test]
    fn a_blank_or_overlong_reason_is_refused_beside_the_field() {
        for text in ["", "   \n ", &"x".repeat(MAX_REASON + 1)] {
            let errors = CancelReason::parse(text).unwrap_err();
            assert!(errors.contains("reason"), "{text:?}");
        }
        assert!(CancelReason::parse(&"x".repeat(MAX_REASON)).is_ok());
    }
}
