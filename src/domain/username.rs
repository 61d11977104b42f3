use std::fmt;

/// A valid username: 1–64 characters of lower-case letters, digits, `.`, `_` and `-`, starting with a
/// letter or digit (the same rule as the `users_username_format` constraint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

/// Why a username was refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "a username is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
)]
pub struct InvalidUsername;

impl Username {
    /// Accepts the username as typed, trimmed and lower-cased.
    pub fn parse(raw: &str) -> Result<Username, InvalidUsername> {
        let name = raw.trim().to_lowercase();
        let valid_char =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        let first_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if first_ok && name.len() <= 64 && name.chars().all(valid_char) {
            Ok(Username(name))
        } else {
            Err(InvalidUsername)
        }
    }

    /// The username as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_and_lower_cased() {
        assert_eq!(
            Username::parse("  Sup.Ervisor_1 ").unwrap().as_str(),
            "sup.ervisor_1"
        );
    }

    #[test]
    fn usernames_with_spaces_symbols_or_nothing_are_refused() {
        for bad in ["", " ", "a b", "-lead", "x@y", "é", &"a".repeat(65)] {
            assert!(Username::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
