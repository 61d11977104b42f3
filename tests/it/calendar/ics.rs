//! A small RFC 5545 reader: enough of iCalendar to check what the feeds say.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};

/// Content lines, unfolded: CRLF line ends, continuation lines start with a space or a tab.
fn unfold(body: &str) -> Vec<String> {
    assert!(body.ends_with("\r\n"), "the feed ends with CRLF");
    assert!(
        !body.replace("\r\n", "").contains(['\r', '\n']),
        "every line ends with CRLF, and no other line break appears"
    );
    let mut lines: Vec<String> = Vec::new();
    for physical in body.trim_end_matches("\r\n").split("\r\n") {
        match physical.strip_prefix([' ', '\t']) {
            Some(rest) => lines
                .last_mut()
                .expect("a continuation follows a line")
                .push_str(rest),
            None => lines.push(physical.to_string()),
        }
    }
    lines
}

/// A TEXT value with its escapes undone.
pub(super) fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("a lone backslash ends {value:?}"),
            }
        } else {
            assert!(!matches!(c, ';' | ','), "unescaped {c:?} in {value:?}");
            out.push(c);
        }
    }
    out
}

/// The calendar's own properties and its events, each a map of property name to raw value.
pub(super) struct Calendar {
    pub(super) properties: BTreeMap<String, String>,
    pub(super) events: Vec<BTreeMap<String, String>>,
}

impl Calendar {
    pub(super) fn parse(body: &str) -> Calendar {
        let lines = unfold(body);
        assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
        let mut calendar = Calendar {
            properties: BTreeMap::new(),
            events: Vec::new(),
        };
        let mut event: Option<BTreeMap<String, String>> = None;
        for line in &lines[1..lines.len() - 1] {
            let (name_and_params, value) = line.split_once(':').expect("NAME:value");
            let name = name_and_params.split(';').next().unwrap().to_string();
            match (name.as_str(), value) {
                ("BEGIN", "VEVENT") => event = Some(BTreeMap::new()),
                ("END", "VEVENT") => calendar.events.push(event.take().expect("an open event")),
                _ => {
                    let target = event.as_mut().unwrap_or(&mut calendar.properties);
                    assert!(
                        target.insert(name.clone(), value.to_string()).is_none(),
                        "{name} twice"
                    );
                }
            }
        }
        calendar
    }

    pub(super) fn event(&self, uid: &str) -> &BTreeMap<String, String> {
        self.events
            .iter()
            .find(|e| e["UID"] == uid)
            .unwrap_or_else(|| panic!("no event {uid}"))
    }
}

pub(super) fn instant(value: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
        .unwrap_or_else(|e| panic!("{value:?} is not a UTC date-time: {e}"))
        .and_utc()
}
