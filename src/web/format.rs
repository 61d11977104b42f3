//! Numbers and dates as the pages show them, in one place.

use chrono::{NaiveDate, NaiveDateTime};

pub use crate::domain::numbers::{count, counted, duration, hours, minutes};

/// A percentage with two decimals, as the JSON API and the exports round it: `46.67%`.
pub fn pct(value: f64) -> String {
    format!("{value:.2}%")
}

/// A date as `Sat 11 Mar 2023`.
pub fn day(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// A date as `input type=date` and URLs write it (`2023-03-11`), as [`day`] writes it for a
/// reader; any other text as it is. For templates whose fields hold the form's value.
pub fn written_day(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_string(), day)
}

/// A local date and time as `Sat 11 Mar 2023 22:00`.
pub fn local(at: NaiveDateTime) -> String {
    at.format("%a %-d %b %Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_date_is_written_for_a_reader() {
        assert_eq!(written_day("2023-02-27"), "Mon 27 Feb 2023");
        assert_eq!(written_day("not a date"), "not a date");
    }
}
