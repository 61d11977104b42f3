//! A city, as pilots, communities and community statistics name it: the key that keeps one city's
//! communities and statistics apart from another's (see docs/interface.md).

use std::fmt;

use serde::Serialize;

use super::plain_text;

/// The longest city name taken.
pub const MAX_CHARS: usize = 100;

/// A city's name: trimmed, runs of spaces as one, not empty, printable, at most [`MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, sqlx::Type)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct City(String);

impl City {
    /// The city named `text`, or why it cannot be one.
    pub fn parse(text: &str) -> Result<City, String> {
        if let Some(c) = plain_text::first_refused(text) {
            return Err(format!(
                "the city holds the character {}",
                plain_text::describe(c)
            ));
        }
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match name.chars().count() {
            0 => Err("the city is empty".into()),
            n if n > MAX_CHARS => Err(format!(
                "the city is {n} characters long; at most {MAX_CHARS}"
            )),
            _ => Ok(City(name)),
        }
    }

    /// A city as a stored row holds it (`pilots.city`), which was checked when it was written;
    /// like reading the column as a `City`.
    pub fn stored(name: &str) -> City {
        City(name.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for City {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_city_is_trimmed_and_its_spaces_joined() {
        assert_eq!(City::parse("  Red   Deer ").unwrap().as_str(), "Red Deer");
        assert!(City::parse(" \t").is_err());
        assert!(City::parse("Calgary\u{1b}").is_err());
        assert!(City::parse(&"x".repeat(MAX_CHARS + 1)).is_err());
    }
}
