//! iCalendar (RFC 5545) output: the calendar of a feed with one VEVENT per shift.
//!
//! Times are written in UTC (`...Z`), so a calendar app shows each shift at its real instants in
//! whatever zone it is set to, and a shift across a daylight-saving change keeps its real length
//! (22:00 to 06:00 on 11–12 March 2023 in Calgary is 7 hours) without a VTIMEZONE.

use chrono::{DateTime, Utc};

/// Longest line in octets, not counting the CRLF (RFC 5545 section 3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// One event of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across fetches, so calendar apps update the event instead of adding another.
    pub uid: String,
    /// When the event's information was last revised (the shift's last change).
    pub stamp: DateTime<Utc>,
    pub created: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub cancelled: bool,
    /// Grows with every change (the shift's version).
    pub sequence: i32,
}

/// A whole calendar: header, the events, footer; CRLF line ends, lines folded at 75 octets.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    let mut line = |content: String| out.push_str(&fold(&content));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//patrolboard//Shift roster//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("NAME:{}", escape_text(name)));
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    line("REFRESH-INTERVAL;VALUE=DURATION:PT1H".into());
    line("X-PUBLISHED-TTL:PT1H".into());
    for event in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&event.uid)));
        line(format!("DTSTAMP:{}", utc(event.stamp)));
        line(format!("CREATED:{}", utc(event.created)));
        line(format!("LAST-MODIFIED:{}", utc(event.stamp)));
        line(format!("DTSTART:{}", utc(event.starts_at)));
        line(format!("DTEND:{}", utc(event.ends_at)));
        line(format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        if !event.location.is_empty() {
            line(format!("LOCATION:{}", escape_text(&event.location)));
        }
        line(format!(
            "STATUS:{}",
            if event.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        line(format!("SEQUENCE:{}", event.sequence.max(0)));
        line("TRANSP:OPAQUE".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// A UTC date-time as iCalendar writes it: `20230312T050000Z`.
pub fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT escaping (RFC 5545 section 3.3.11): backslash, semicolon, comma and newline are escaped;
/// other control characters, which TEXT may not hold, are dropped.
pub fn escape_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so that no physical line exceeds 75 octets (a continuation starts
/// with a space, which counts), never inside a UTF-8 character; ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a\\b; c, d\r\ne\u{7}"), "a\\\\b\\; c\\, d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 1);
        for p in &physical {
            assert!(p.len() <= MAX_LINE_OCTETS, "{} octets", p.len());
        }
        assert!(physical[1..].iter().all(|p| p.starts_with(' ')));
        let unfolded: String = physical
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
            .collect();
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
        assert_eq!(fold(&"x".repeat(75)).len(), 77);
    }

    #[test]
    fn a_calendar_has_its_events_in_utc() {
        let at = |h| Utc.with_ymd_and_hms(2023, 3, 12, h, 0, 0).unwrap();
        let event = Event {
            uid: "shift-1@patrolboard".into(),
            stamp: at(1),
            created: at(0),
            starts_at: at(5),
            ends_at: at(12),
            summary: "Bike Unit A, bike".into(),
            description: String::new(),
            location: String::new(),
            cancelled: true,
            sequence: 2,
        };
        let text = calendar("Shifts", &[event]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(text.contains("\r\nDTSTART:20230312T050000Z\r\nDTEND:20230312T120000Z\r\n"));
        assert!(text.contains("\r\nSUMMARY:Bike Unit A\\, bike\r\n"));
        assert!(text.contains("\r\nSTATUS:CANCELLED\r\nSEQUENCE:2\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}
