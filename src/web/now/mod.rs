//! The "now" board of a pilot (`/pilots/{slug}/now`) and its JSON (`/api/v1/pilots/{slug}/now`):
//! who is on duty, which open hotspots have gone too long without a visit, what nobody is rostered
//! for in the next hours. The figures are docs/coverage.md's "At a moment", from `db::now`.

pub mod json;
pub mod page;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::coverage::resolve_local;

/// The query both answers take.
#[derive(Debug, Default, Deserialize)]
pub struct NowQuery {
    /// A local wall time `YYYY-MM-DDTHH:MM` in the pilot's zone; the present when absent or empty.
    pub at: Option<String>,
    /// `1`: the wall-board layout, in large type.
    pub board: Option<String>,
}

/// The moment asked for: the present, or a local time replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Present,
    Replay(NaiveDateTime),
}

impl Asked {
    /// `at` as typed: empty or absent is the present; otherwise a local `YYYY-MM-DDTHH:MM`, or a
    /// sentence saying what is wrong.
    pub fn parse(at: Option<&str>) -> Result<Asked, String> {
        let text = at.map(str::trim).unwrap_or_default();
        if text.is_empty() {
            return Ok(Asked::Present);
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .map(Asked::Replay)
            .map_err(|_| {
                format!(
                    "{text:?} is not a local date and time: write it YYYY-MM-DDTHH:MM, such as 2023-03-15T14:00"
                )
            })
    }

    /// The instant: `now` for the present; a replayed local time read in `zone` like every local
    /// time here (a time the clocks skip is the first instant after the gap, a repeated time its
    /// first occurrence).
    pub fn instant(self, zone: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Asked::Present => now,
            Asked::Replay(local) => resolve_local(zone, local.date(), local.time()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_or_empty_moment_is_the_present() {
        assert_eq!(Asked::parse(None), Ok(Asked::Present));
        assert_eq!(Asked::parse(Some(" ")), Ok(Asked::Present));
    }

    #[test]
    fn a_local_time_is_read_in_the_pilot_zone_and_a_skipped_one_moves_past_the_gap() {
        let zone: Tz = "America/Edmonton".parse().unwrap();
        let now = Utc::now();
        let asked = Asked::parse(Some("2023-03-15T14:00")).unwrap();
        assert_eq!(
            asked.instant(zone, now).to_rfc3339(),
            "2023-03-15T20:00:00+00:00"
        );
        let skipped = Asked::parse(Some("2023-03-12T02:30")).unwrap();
        assert_eq!(
            skipped.instant(zone, now).to_rfc3339(),
            "2023-03-12T09:00:00+00:00"
        );
    }

    #[test]
    fn anything_else_is_refused_with_an_example() {
        let refused = Asked::parse(Some("15/03/2023 14:00")).unwrap_err();
        assert!(refused.contains("2023-03-15T14:00"), "{refused}");
    }
}
