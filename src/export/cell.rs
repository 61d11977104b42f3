//! Writing one value into the bytes of a CSV cell: fast, allocation-free, and safe to open in a
//! spreadsheet.

use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};
use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;

/// Whether a spreadsheet would read a cell starting with `b` as a formula (or strip the start):
/// `=`, `+`, `-`, `@`, tab or carriage return (OWASP's list for CSV injection).
fn is_trigger(b: u8) -> bool {
    matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
}

/// Where a spreadsheet may start a new cell when it splits the file on another separator than
/// ours: `,`, `;` (Excel in many European locales), tab, or a line end (a new row).
fn is_separator(b: u8) -> bool {
    matches!(b, b',' | b';' | b'\t' | b'\r' | b'\n')
}

/// What may stand between a separator and a trigger without disarming it: spaces (trimmed by
/// some importers) and quotes (read as the quoting of a cell).
fn is_transparent(b: u8) -> bool {
    matches!(b, b' ' | b'"')
}

/// Whether a spreadsheet would read text starting like this as a formula.
pub fn looks_like_formula(text: &str) -> bool {
    text.bytes().next().is_some_and(is_trigger)
}

/// Free text, with a `'` before every formula trigger that starts the text or follows a
/// separator (spaces and quotes between them aside): a cell `x;=7+7` opened with `;` as the
/// separator would otherwise hold the live formula `=7+7`. [`restore`] undoes it.
pub fn text(out: &mut Vec<u8>, text: &str) {
    let mut at_start = true;
    for &b in text.as_bytes() {
        if at_start && is_trigger(b) {
            out.push(b'\'');
        }
        out.push(b);
        at_start = is_separator(b) || (at_start && is_transparent(b));
    }
}

/// JSON (an audit entry's before and after), neutralised like [`text`] inside its strings only,
/// where the `'` keeps the JSON valid; outside them a `-` is a number's sign.
pub fn json(out: &mut Vec<u8>, json: &str) {
    let (mut at_start, mut in_string, mut escaped) = (true, false, false);
    for &b in json.as_bytes() {
        if in_string && !escaped && at_start && is_trigger(b) {
            out.push(b'\'');
        }
        out.push(b);
        if escaped {
            escaped = false;
            at_start = false;
            continue;
        }
        match b {
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            _ => {}
        }
        at_start = is_separator(b) || (at_start && is_transparent(b));
    }
}

/// Text as it was before [`text`] neutralised it: without each `'` it put before a trigger.
pub fn restore(cell: &str) -> std::borrow::Cow<'_, str> {
    let bytes = cell.as_bytes();
    let inserted = |i: usize, at_start: bool| {
        at_start && bytes[i] == b'\'' && bytes.get(i + 1).copied().is_some_and(is_trigger)
    };
    let mut at_start = true;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if inserted(i, at_start) {
            any = true;
            break;
        }
        at_start = is_separator(b) || (at_start && is_transparent(b));
    }
    if !any {
        return cell.into();
    }
    let mut out = Vec::with_capacity(bytes.len());
    at_start = true;
    for (i, &b) in bytes.iter().enumerate() {
        if inserted(i, at_start) {
            // The trigger that follows is read with the state before the `'`.
            continue;
        }
        out.push(b);
        at_start = is_separator(b) || (at_start && is_transparent(b));
    }
    // Only ASCII `'` bytes were removed, so the bytes are still UTF-8.
    String::from_utf8(out).map_or_else(|_| cell.into(), Into::into)
}

/// `value` (a formatted cell) as an RFC 4180 field: quoted when it holds a comma, quote or line
/// end, and also a `;` or tab, so that a spreadsheet splitting on those (Excel in many European
/// locales) keeps it whole when it starts a row.
pub fn field(out: &mut Vec<u8>, value: &[u8]) {
    let needs_quotes = value
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n' | b';' | b'\t'));
    if !needs_quotes {
        out.extend_from_slice(value);
        return;
    }
    out.push(b'"');
    for part in value.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.ends_with(b"\"") {
            out.push(b'"');
        }
    }
    out.push(b'"');
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
            ("9:00-10:00", "9:00-10:00"),
            ("", ""),
            // A trigger after any separator a spreadsheet may split on.
            ("x;=7+7", "x;'=7+7"),
            ("x,=7+7", "x,'=7+7"),
            ("x\t@SUM(A1)", "x\t'@SUM(A1)"),
            ("x\r\n-1", "x\r\n'-1"),
            ("x; \"=1\"", "x; \"'=1\""),
            ("  +1", "  '+1"),
            ("a;\tb", "a;'\tb"),
            ("a; b-c", "a; b-c"),
        ] {
            let written_cell = cell(|o| text(o, given));
            assert_eq!(written_cell, written, "{given:?}");
            assert_eq!(restore(&written_cell), given, "{given:?} round-trips");
        }
    }

    #[test]
    fn json_is_neutralised_inside_its_strings_only() {
        for (given, written) in [
            (r#"{"notes": "x;=7+7"}"#, r#"{"notes": "x;'=7+7"}"#),
            (r#"{"a": ["=1", "+2"]}"#, r#"{"a": ["=1", "'+2"]}"#),
            (
                r#"{"at": [151.2, -33.8], "n": -1}"#,
                r#"{"at": [151.2, -33.8], "n": -1}"#,
            ),
            (r#"{"q": "say \"=1\", -2"}"#, r#"{"q": "say \"=1\", '-2"}"#),
        ] {
            let written_cell = cell(|o| json(o, given));
            assert_eq!(written_cell, written, "{given}");
            let parsed: serde_json::Value = serde_json::from_str(&written_cell).unwrap();
            assert!(parsed.is_object());
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
