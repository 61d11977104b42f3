//! Numbers and dates as the pages show them, in one place.

use chrono::{NaiveDate, NaiveDateTime};

pub use crate::domain::numbers::{count, hours, minutes};

/// A percentage with two decimals, as the JSON API and the exports round it: `46.67%`.
pub fn pct(value: f64) -> String {
    format!("{value:.2}%")
}

/// A date as `Sat 11 Mar 2023`.
pub fn day(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// A local date and time as `Sat 11 Mar 2023 22:00`.
pub fn local(at: NaiveDateTime) -> String {
    at.format("%a %-d %b %Y %H:%M").to_string()
}
