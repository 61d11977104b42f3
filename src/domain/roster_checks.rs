//! What the roster's checks find when a shift would put an officer on two shifts at once or leave
//! them too little rest, and the sentences that say so.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::ids::ShiftId;
use super::local_time::input_value;

/// Rest shorter than this between two shifts of one officer needs a reason.
pub const MIN_REST: TimeDelta = TimeDelta::hours(8);

/// Another shift an officer is already on at that time.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Clash {
    /// The officer's name.
    pub officer: String,
    pub shift_id: ShiftId,
    /// The other shift's team.
    pub team: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Clash {
    /// A sentence for people, naming the other shift as `other` (e.g. `shift #12`), with its
    /// start in `zone`.
    pub fn describe(&self, zone: Tz, other: &str) -> String {
        let when = input_value(self.starts_at, zone).replace('T', " ");
        format!(
            "{} is already on {other} ({}, from {when}).",
            self.officer, self.team
        )
    }
}

/// Less than [`MIN_REST`] between a shift and another shift of one of its officers. Its
/// `Display` is the warning a supervisor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortRest {
    /// The officer's name.
    pub officer: String,
    /// The time between the two shifts.
    pub rest: TimeDelta,
    /// When the other shift starts, on the pilot's clock.
    pub other_starts: NaiveDateTime,
}

impl ShortRest {
    /// The rest `officer` gets between the shift `starts_at..ends_at` and their other shift
    /// `other_starts..other_ends`, which does not overlap it, telling times in `zone`.
    pub fn between(
        officer: String,
        (starts_at, ends_at): (DateTime<Utc>, DateTime<Utc>),
        (other_starts, other_ends): (DateTime<Utc>, DateTime<Utc>),
        zone: Tz,
    ) -> ShortRest {
        let rest = if other_ends <= starts_at {
            starts_at - other_ends
        } else {
            other_starts - ends_at
        };
        ShortRest {
            officer,
            rest,
            other_starts: other_starts.with_timezone(&zone).naive_local(),
        }
    }
}

impl fmt::Display for ShortRest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} would have {:.1} hours of rest next to the shift of {}.",
            self.officer,
            self.rest.num_minutes() as f64 / 60.0,
            self.other_starts.format("%a %-d %b %H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::America::Edmonton;

    use super::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Edmonton
            .with_ymd_and_hms(2023, 3, d, h, 0, 0)
            .unwrap()
            .to_utc()
    }

    #[test]
    fn a_clash_names_the_officer_the_other_shift_its_team_and_its_local_start() {
        let clash = Clash {
            officer: "Constable Brook".into(),
            shift_id: ShiftId(12),
            team: "Pair 1".into(),
            starts_at: at(11, 22),
            ends_at: at(12, 6),
        };
        assert_eq!(
            clash.describe(Edmonton, "shift #12"),
            "Constable Brook is already on shift #12 (Pair 1, from 2023-03-11 22:00)."
        );
        assert_eq!(
            clash.describe(Edmonton, "the shift of line 3"),
            "Constable Brook is already on the shift of line 3 (Pair 1, from 2023-03-11 22:00)."
        );
    }

    #[test]
    fn short_rest_is_told_in_hours_before_or_after_the_other_shift() {
        let shift = (at(10, 7), at(10, 17));
        let before = ShortRest::between("A".into(), shift, (at(9, 22), at(10, 2)), Edmonton);
        assert_eq!(before.rest, TimeDelta::hours(5));
        assert_eq!(
            before.to_string(),
            "A would have 5.0 hours of rest next to the shift of Thu 9 Mar 22:00."
        );
        let after = ShortRest::between("B".into(), shift, (at(11, 0), at(11, 6)), Edmonton);
        assert_eq!(
            after.to_string(),
            "B would have 7.0 hours of rest next to the shift of Sat 11 Mar 00:00."
        );
    }
}
