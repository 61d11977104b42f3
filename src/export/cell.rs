//! Writing one value into the bytes of a CSV cell: fast, allocation-free, and safe to open in a
//! spreadsheet.

use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};
use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;

/// Whether a spreadsheet would read text starting like this as a formula (or strip the start):
/// `=`, `+`, `-`, `@`, tab or carriage return (OWASP's list for CSV injection).
pub fn looks_like_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Free text, with a leading `'` when it would otherwise be read as a formula.
pub fn text(out: &mut Vec<u8>, text: &str) {
    if looks_like_formula(text) {
        out.push(b'\'');
    }
    out.extend_from_slice(text.as_bytes());
}

/// An integer.
pub fn integer(out: &mut Vec<u8>, value: i64) {
    let mut digits = [0u8; 20];
    let mut n = value.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if value < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// A number with at most four decimals and no trailing zeros: `12.5`, `0.0167`, `3`.
pub fn decimal(out: &mut Vec<u8>, value: f64) {
    if !value.is_finite() {
        return;
    }
    // Whole values in the range f64 holds exactly are written as integers, the common case.
    let scaled = (value * 10_000.0).round();
    if scaled.abs() < 9.0e15 {
        let scaled = scaled as i64;
        let (whole, fraction) = (scaled / 10_000, (scaled % 10_000).unsigned_abs());
        if scaled < 0 && whole == 0 {
            out.push(b'-');
        }
        integer(out, whole);
        if fraction != 0 {
            let mut places = [b'0'; 4];
            let mut f = fraction;
            for place in places.iter_mut().rev() {
                *place = b'0' + (f % 10) as u8;
                f /= 10;
            }
            let used = 4 - places.iter().rev().take_while(|&&d| d == b'0').count();
            out.push(b'.');
            out.extend_from_slice(&places[..used]);
        }
    } else {
        let _ = write!(out, "{value}");
    }
}

/// Minutes, from seconds.
pub fn minutes(out: &mut Vec<u8>, seconds: f64) {
    decimal(out, seconds / 60.0);
}

fn two(out: &mut Vec<u8>, value: u32) {
    out.push(b'0' + (value / 10 % 10) as u8);
    out.push(b'0' + (value % 10) as u8);
}

/// A date, `YYYY-MM-DD`.
pub fn date(out: &mut Vec<u8>, date: NaiveDate) {
    let year = date.year();
    if (0..=9999).contains(&year) {
        let year = year as u32;
        two(out, year / 100);
        two(out, year % 100);
        out.push(b'-');
        two(out, date.month());
        out.push(b'-');
        two(out, date.day());
    } else {
        let _ = write!(out, "{}", date.format("%Y-%m-%d"));
    }
}

/// A wall-clock time, `HH:MM`, or `HH:MM:SS` when it has seconds.
pub fn time(out: &mut Vec<u8>, time: NaiveTime) {
    two(out, time.hour());
    out.push(b':');
    two(out, time.minute());
    if time.second() != 0 {
        out.push(b':');
        two(out, time.second());
    }
}

/// `local` with `offset_seconds` east of UTC, RFC 3339: `2023-03-12T01:50:00-07:00`, with
/// microseconds when there are any (PostgreSQL keeps no finer).
fn rfc3339(out: &mut Vec<u8>, local: NaiveDateTime, offset_seconds: i32) {
    date(out, local.date());
    out.push(b'T');
    let clock = local.time();
    two(out, clock.hour());
    out.push(b':');
    two(out, clock.minute());
    out.push(b':');
    two(out, clock.second());
    let micros = clock.nanosecond() / 1_000 % 1_000_000;
    if micros != 0 {
        out.push(b'.');
        two(out, micros / 10_000);
        two(out, micros / 100 % 100);
        two(out, micros % 100);
    }
    out.push(if offset_seconds < 0 { b'-' } else { b'+' });
    let offset_minutes = offset_seconds.unsigned_abs() / 60;
    two(out, offset_minutes / 60);
    out.push(b':');
    two(out, offset_minutes % 60);
}

/// An instant in UTC, RFC 3339 with `+00:00`.
pub fn instant(out: &mut Vec<u8>, instant: DateTime<Utc>) {
    rfc3339(out, instant.naive_utc(), 0);
}

/// An instant on the clock of `zone`, RFC 3339 with the offset in force then; unambiguous on
/// the night clocks fall back, when the same wall-clock time happens twice.
pub fn local_instant(out: &mut Vec<u8>, instant: DateTime<Utc>, zone: Tz) {
    let utc = instant.naive_utc();
    let offset = zone.offset_from_utc_datetime(&utc).fix().local_minus_utc();
    rfc3339(out, utc + TimeDelta::seconds(i64::from(offset)), offset);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Edmonton;

    fn cell(write: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe() {
        for (given, written) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-5 people", "'-5 people"),
            ("@x", "'@x"),
            ("\tTab", "'\tTab"),
            ("\rCR", "'\rCR"),
            ("Bike Unit A", "Bike Unit A"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(cell(|o| text(o, given)), written, "{given:?}");
        }
    }

    #[test]
    fn numbers_are_never_neutralised_and_keep_their_sign() {
        assert_eq!(cell(|o| integer(o, -42)), "-42");
        assert_eq!(cell(|o| integer(o, i64::MIN)), "-9223372036854775808");
        assert_eq!(cell(|o| decimal(o, -2.5)), "-2.5");
        assert_eq!(cell(|o| decimal(o, -0.25)), "-0.25");
    }

    #[test]
    fn decimals_have_at_most_four_places_and_no_trailing_zeros() {
        assert_eq!(cell(|o| decimal(o, 46.666_666_7)), "46.6667");
        assert_eq!(cell(|o| decimal(o, 100.0)), "100");
        assert_eq!(cell(|o| decimal(o, 0.0)), "0");
        assert_eq!(cell(|o| decimal(o, 12.5)), "12.5");
        assert_eq!(cell(|o| decimal(o, 0.000_01)), "0");
        assert_eq!(cell(|o| minutes(o, 1.0)), "0.0167");
        assert_eq!(cell(|o| minutes(o, 900.0)), "15");
        assert_eq!(cell(|o| minutes(o, 25_230.0)), "420.5");
        assert_eq!(cell(|o| decimal(o, f64::NAN)), "");
    }

    #[test]
    fn dates_and_times_are_written_the_iso_way() {
        let day = NaiveDate::from_ymd_opt(2023, 3, 5).unwrap();
        assert_eq!(cell(|o| date(o, day)), "2023-03-05");
        let t = NaiveTime::from_hms_opt(7, 5, 0).unwrap();
        assert_eq!(cell(|o| time(o, t)), "07:05");
        let t = NaiveTime::from_hms_opt(23, 59, 30).unwrap();
        assert_eq!(cell(|o| time(o, t)), "23:59:30");
    }

    #[test]
    fn instants_are_rfc_3339_in_utc_and_round_trip() {
        for text in [
            "2023-03-12T08:50:00+00:00",
            "2023-03-12T08:50:00.123456+00:00",
            "1999-12-31T23:59:59+00:00",
        ] {
            let written = cell(|o| instant(o, utc(text)));
            assert_eq!(written, text);
            assert_eq!(utc(&written), utc(text));
        }
    }

    #[test]
    fn local_times_carry_the_offset_in_force_across_both_transitions() {
        let local = |text| cell(|o| local_instant(o, utc(text), Edmonton));
        // Spring forward, 12 March 2023: 01:50 MST, then 03:05 MDT.
        assert_eq!(local("2023-03-12T08:50:00Z"), "2023-03-12T01:50:00-07:00");
        assert_eq!(local("2023-03-12T09:05:00Z"), "2023-03-12T03:05:00-06:00");
        // Fall back, 5 November 2023: 01:30 happens twice and the offset tells them apart.
        assert_eq!(local("2023-11-05T07:30:00Z"), "2023-11-05T01:30:00-06:00");
        assert_eq!(local("2023-11-05T08:30:00Z"), "2023-11-05T01:30:00-07:00");
    }

    #[test]
    fn local_times_agree_with_chrono_over_a_whole_year() {
        let mut at = utc("2023-01-01T00:00:00Z");
        while at < utc("2024-01-01T00:00:00Z") {
            let expected = at
                .with_timezone(&Edmonton)
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
            assert_eq!(cell(|o| local_instant(o, at, Edmonton)), expected);
            at += TimeDelta::minutes(97);
        }
    }
}
