//! The Koper rule: what a visit's dwell makes it (docs/coverage.md, "The figures"). Every page and
//! figure that names a visit Koper or a pass-through asks [`Dwell::of`].

use chrono::TimeDelta;

/// Shortest dwell that delivers a block and the lower bound of a Koper visit (inclusive).
pub const KOPER_MIN: TimeDelta = TimeDelta::minutes(10);
/// Upper bound of a Koper visit (inclusive).
pub const KOPER_MAX: TimeDelta = TimeDelta::minutes(16);
/// A visit shorter than this is a pass-through.
pub const PASS_THROUGH_UNDER: TimeDelta = TimeDelta::minutes(2);

/// A visit by how long it stayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dwell {
    /// Under two minutes at the hotspot: a drive past rather than a stop.
    PassThrough,
    /// A stop of 10 to 16 minutes inclusive, the dose Koper (1995) found deters longest.
    Koper,
    /// Any other stop: 2 to under 10 minutes, or over 16.
    Other,
}

impl Dwell {
    /// What a visit that stayed `dwell` (departure minus arrival) is.
    pub fn of(dwell: TimeDelta) -> Dwell {
        if dwell < PASS_THROUGH_UNDER {
            Dwell::PassThrough
        } else if (KOPER_MIN..=KOPER_MAX).contains(&dwell) {
            Dwell::Koper
        } else {
            Dwell::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(n: i64) -> TimeDelta {
        TimeDelta::seconds(n)
    }

    #[test]
    fn under_two_minutes_is_a_pass_through_and_two_minutes_is_not() {
        assert_eq!(Dwell::of(TimeDelta::zero()), Dwell::PassThrough);
        assert_eq!(Dwell::of(seconds(119)), Dwell::PassThrough);
        assert_eq!(Dwell::of(seconds(120)), Dwell::Other);
        assert_eq!(
            Dwell::of(seconds(-60)),
            Dwell::PassThrough,
            "a departure recorded first stayed no time"
        );
    }

    #[test]
    fn ten_to_sixteen_minutes_inclusive_is_a_koper_visit() {
        assert_eq!(Dwell::of(seconds(599)), Dwell::Other);
        assert_eq!(Dwell::of(seconds(600)), Dwell::Koper);
        assert_eq!(Dwell::of(seconds(13 * 60 + 30)), Dwell::Koper);
        assert_eq!(Dwell::of(seconds(960)), Dwell::Koper);
        assert_eq!(Dwell::of(seconds(961)), Dwell::Other);
        assert_eq!(Dwell::of(TimeDelta::hours(2)), Dwell::Other);
    }
}
