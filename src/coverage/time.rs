//! Local wall-clock times to instants and back, with the rule of docs/coverage.md for daylight-saving
//! transitions.

use chrono::{
    DateTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// The longest run of local times that can be skipped: Samoa skipped a whole day in 2011.
const LONGEST_GAP_MINUTES: i64 = 48 * 60;

/// The instant of local `date` + `time` in `tz`. A time skipped by a spring-forward transition is
/// the first instant after the gap (the transition itself); a time that occurs twice is its first
/// occurrence.
pub fn resolve_local(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    resolve_naive(tz, date.and_time(time))
}

/// [`resolve_local`] for a date and time already joined.
pub(crate) fn resolve_naive(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    if let Some(instant) = tz.from_local_datetime(&local).earliest() {
        return instant.with_timezone(&Utc);
    }
    // In a gap: the first existing local time after it lies at most a minute past the gap's
    // end, so find it, then step back to the transition instant itself.
    for minutes in 1..=LONGEST_GAP_MINUTES {
        if let Some(after) = tz
            .from_local_datetime(&(local + TimeDelta::minutes(minutes)))
            .earliest()
        {
            return transition_before(tz, after.with_timezone(&Utc));
        }
    }
    // No zone skips two days; read the time as UTC rather than fail.
    Utc.from_utc_datetime(&local)
}

/// The instant at which the offset in force at `after` began, looking back at most a minute.
fn transition_before(tz: Tz, after: DateTime<Utc>) -> DateTime<Utc> {
    let offset_at = |instant: DateTime<Utc>| instant.with_timezone(&tz).offset().fix();
    // Transitions fall on whole seconds; dropping the fraction keeps the answer exact.
    let after = after.with_nanosecond(0).unwrap_or(after);
    let offset = offset_at(after);
    let mut instant = after;
    for _ in 0..60 {
        let earlier = instant - TimeDelta::seconds(1);
        if offset_at(earlier) != offset {
            break;
        }
        instant = earlier;
    }
    instant
}

/// The local date of an instant in `tz`.
pub fn local_date(tz: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::fixtures::{EDMONTON, date, time, utc};

    #[test]
    fn an_ordinary_local_time_resolves_with_its_offset() {
        let instant = resolve_local(EDMONTON, date(2023, 3, 11), time(22, 0));
        assert_eq!(instant, utc("2023-03-12T05:00:00Z"));
    }

    #[test]
    fn a_time_in_the_spring_forward_gap_is_the_first_instant_after_it() {
        let instant = resolve_local(EDMONTON, date(2023, 3, 12), time(2, 30));
        assert_eq!(instant, utc("2023-03-12T09:00:00Z"));
        let gap_start = resolve_local(EDMONTON, date(2023, 3, 12), time(2, 0));
        let gap_end = resolve_local(EDMONTON, date(2023, 3, 12), time(3, 0));
        assert_eq!(gap_start, utc("2023-03-12T09:00:00Z"));
        assert_eq!(gap_end, gap_start);
    }

    #[test]
    fn a_time_in_the_gap_with_seconds_still_resolves_to_the_transition() {
        let local = date(2023, 3, 12).and_hms_opt(2, 59, 30).unwrap();
        assert_eq!(resolve_naive(EDMONTON, local), utc("2023-03-12T09:00:00Z"));
    }

    #[test]
    fn a_time_that_occurs_twice_is_its_first_occurrence() {
        let instant = resolve_local(EDMONTON, date(2023, 11, 5), time(1, 30));
        assert_eq!(instant, utc("2023-11-05T07:30:00Z"));
        let after = resolve_local(EDMONTON, date(2023, 11, 5), time(2, 0));
        assert_eq!(after, utc("2023-11-05T09:00:00Z"));
    }

    #[test]
    fn a_whole_skipped_day_resolves_to_the_day_after() {
        // Samoa moved across the date line: 30 December 2011 never happened in Apia.
        let apia: Tz = "Pacific/Apia".parse().unwrap();
        let instant = resolve_local(apia, date(2011, 12, 30), time(12, 0));
        assert_eq!(local_date(apia, instant), date(2011, 12, 31));
        assert_eq!(instant, utc("2011-12-30T10:00:00Z"));
    }

    #[test]
    fn the_local_date_of_an_instant_is_read_in_the_pilot_zone() {
        assert_eq!(
            local_date(EDMONTON, utc("2023-03-12T06:30:00Z")),
            date(2023, 3, 11)
        );
    }
}
