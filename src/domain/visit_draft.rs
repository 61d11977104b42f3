//! A visit as typed into the shift log's form, checked against its shift: the only way a visit
//! reaches the database. Also the pieces the activity form shares: field errors, local times read
//! strictly in the pilot's zone, and the hotspot rule.

use chrono::{
    DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use serde::Deserialize;

/// How far before its shift's start or after its end a visit or activity may be logged: crews
/// report a few minutes either side of the rostered times.
pub const SHIFT_TOLERANCE: TimeDelta = TimeDelta::minutes(30);

/// The key of a problem that concerns the whole form rather than one field.
pub const FORM: &str = "form";

/// Problems with a form, each keyed by the name of the field it belongs beside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    /// Notes a problem with `field`; only the first problem of a field is kept.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// The problem with `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    /// Whether the form had no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields have a problem.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `value` when there was no problem, else the problems.
    pub fn into_result<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if !self.is_empty() {
            return Err(self);
        }
        // Every missing piece adds an error, so this cannot fail; refuse rather than panic.
        value().ok_or_else(|| FieldErrors(vec![(FORM, "The form is incomplete.".into())]))
    }
}

/// What a shift log entry is checked against: the shift and the hotspots of its pilot.
#[derive(Debug, Clone)]
pub struct ShiftToLog {
    /// Start instant of the shift.
    pub starts_at: DateTime<Utc>,
    /// End instant of the shift.
    pub ends_at: DateTime<Utc>,
    /// A cancelled shift did not happen: nothing can be logged against it.
    pub cancelled: bool,
    /// Every hotspot of the shift's pilot.
    pub hotspots: Vec<HotspotDates>,
}

/// A hotspot of the pilot and the local dates it is watched.
#[derive(Debug, Clone)]
pub struct HotspotDates {
    /// Database id.
    pub id: i64,
    /// Its name, for messages.
    pub name: String,
    /// First local date watched.
    pub active_from: NaiveDate,
    /// Last local date watched; `None` while open-ended.
    pub active_to: Option<NaiveDate>,
}

impl HotspotDates {
    /// Whether the hotspot is watched on local date `date`.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.active_from <= date && self.active_to.is_none_or(|to| date <= to)
    }
}

/// Where a visit's times came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitSource {
    /// Reported by the crew after the shift.
    Report,
    /// From the vehicle or radio location system.
    Avl,
    /// From an imported file.
    Import,
}

impl VisitSource {
    /// Every source, in the order the form offers them.
    pub const ALL: [VisitSource; 3] = [VisitSource::Report, VisitSource::Avl, VisitSource::Import];

    /// The name stored in `visits.source`.
    pub fn as_str(self) -> &'static str {
        match self {
            VisitSource::Report => "report",
            VisitSource::Avl => "avl",
            VisitSource::Import => "import",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            VisitSource::Report => "Crew report",
            VisitSource::Avl => "AVL (location system)",
            VisitSource::Import => "Import",
        }
    }

    /// The source stored as `name`.
    pub fn parse(name: &str) -> Option<VisitSource> {
        VisitSource::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The visit form's fields as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VisitForm {
    pub hotspot_id: String,
    pub arrived_at: String,
    pub departed_at: String,
    pub source: String,
}

/// A visit that may be stored: a hotspot of the shift's pilot active that day, departure after
/// arrival, both within the shift give or take [`SHIFT_TOLERANCE`], on a shift not cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDraft {
    pub hotspot_id: i64,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: VisitSource,
}

impl VisitDraft {
    /// Reads `form` in the pilot's zone `zone` and checks it against `shift`; every problem is
    /// reported beside its field.
    pub fn parse(
        form: &VisitForm,
        shift: &ShiftToLog,
        zone: Tz,
    ) -> Result<VisitDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        if shift.cancelled {
            errors.add(
                FORM,
                "This shift was cancelled, so no visit can be logged against it.",
            );
        }
        let arrived = required_time(&mut errors, "arrived_at", "arrival", &form.arrived_at, zone);
        let departed = required_time(
            &mut errors,
            "departed_at",
            "departure",
            &form.departed_at,
            zone,
        );
        if let Some(at) = arrived {
            check_within_shift(&mut errors, "arrived_at", "Arrival", at, shift, zone);
        }
        if let Some(at) = departed {
            check_within_shift(&mut errors, "departed_at", "Departure", at, shift, zone);
        }
        if let (Some(arrived), Some(departed)) = (arrived, departed)
            && departed <= arrived
        {
            errors.add(
                "departed_at",
                "Departure must be after arrival: a visit lasts at least a minute.",
            );
        }
        let hotspot = match arrived {
            Some(at) => checked_hotspot(&mut errors, &form.hotspot_id, shift, at, zone, true),
            None => checked_hotspot_id(&mut errors, &form.hotspot_id, shift, true),
        }
        .flatten();
        let source = match form.source.trim() {
            "" => Some(VisitSource::Report),
            name => {
                let source = VisitSource::parse(name);
                if source.is_none() {
                    errors.add(
                        "source",
                        "Choose where the times came from: crew report, AVL or import.",
                    );
                }
                source
            }
        };
        errors.into_result(|| {
            Some(VisitDraft {
                hotspot_id: hotspot?,
                arrived_at: arrived?,
                departed_at: departed?,
                source: source?,
            })
        })
    }

    /// How long the visit lasted, measured on instants.
    pub fn dwell(&self) -> TimeDelta {
        self.departed_at - self.arrived_at
    }
}

/// Why a local time typed into a form was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalTimeError {
    /// Not written `YYYY-MM-DDTHH:MM`.
    Unparsable(String),
    /// Skipped when clocks went forward, from `gap_start` to `gap_end` (local).
    Skipped {
        local: NaiveDateTime,
        gap_start: NaiveDateTime,
        gap_end: NaiveDateTime,
    },
    /// Happened twice when clocks went back; the times `repeat_start..repeat_end` repeat.
    Ambiguous {
        local: NaiveDateTime,
        repeat_start: NaiveDateTime,
        repeat_end: NaiveDateTime,
    },
}

impl LocalTimeError {
    /// A sentence for the person who typed it.
    pub fn message(&self, zone: Tz) -> String {
        let hm = |t: &NaiveDateTime| t.format("%H:%M").to_string();
        match self {
            LocalTimeError::Unparsable(text) => format!(
                "Enter a date and time written YYYY-MM-DDTHH:MM, such as 2023-03-11T22:15, not {text:?}."
            ),
            LocalTimeError::Skipped {
                local,
                gap_start,
                gap_end,
            } => format!(
                "{} did not exist in {zone}: that night clocks went forward from {} straight to {}. Enter a time before {} or from {} on.",
                local.format("%Y-%m-%d %H:%M"),
                hm(gap_start),
                hm(gap_end),
                hm(gap_start),
                hm(gap_end),
            ),
            LocalTimeError::Ambiguous {
                local,
                repeat_start,
                repeat_end,
            } => format!(
                "{} happened twice in {zone}: that night clocks went back from {} to {}, so times from {} to just before {} are ambiguous. Enter a time outside them.",
                local.format("%Y-%m-%d %H:%M"),
                hm(repeat_end),
                hm(repeat_start),
                hm(repeat_start),
                hm(repeat_end),
            ),
        }
    }
}

/// The longest run of local minutes a transition can skip or repeat: Samoa skipped a whole day.
const LONGEST_TRANSITION_MINUTES: i64 = 48 * 60;

/// Reads a local date and time as `<input type=datetime-local>` sends it (`YYYY-MM-DDTHH:MM`,
/// optionally with seconds) in `zone`. Unlike the coverage rules, which must give every local time
/// an instant, a form refuses a time that did not exist or happened twice: a person can fix it.
pub fn parse_local_time(text: &str, zone: Tz) -> Result<DateTime<Utc>, LocalTimeError> {
    let text = text.trim();
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or_else(|| LocalTimeError::Unparsable(text.to_string()))?;
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::None => {
            let is_gap =
                |t: NaiveDateTime| matches!(zone.from_local_datetime(&t), LocalResult::None);
            let (gap_start, gap_end) = run_around(local, is_gap);
            Err(LocalTimeError::Skipped {
                local,
                gap_start,
                gap_end,
            })
        }
        LocalResult::Ambiguous(..) => {
            let twice = |t: NaiveDateTime| {
                matches!(zone.from_local_datetime(&t), LocalResult::Ambiguous(..))
            };
            let (repeat_start, repeat_end) = run_around(local, twice);
            Err(LocalTimeError::Ambiguous {
                local,
                repeat_start,
                repeat_end,
            })
        }
    }
}

/// The run of whole minutes around `local` for which `inside` holds, as `[start, end)`.
fn run_around(
    local: NaiveDateTime,
    inside: impl Fn(NaiveDateTime) -> bool,
) -> (NaiveDateTime, NaiveDateTime) {
    let minute = local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(local);
    let mut start = minute;
    for _ in 0..LONGEST_TRANSITION_MINUTES {
        let earlier = start - TimeDelta::minutes(1);
        if !inside(earlier) {
            break;
        }
        start = earlier;
    }
    let mut end = minute + TimeDelta::minutes(1);
    for _ in 0..LONGEST_TRANSITION_MINUTES {
        if !inside(end) {
            break;
        }
        end += TimeDelta::minutes(1);
    }
    (start, end)
}

/// The instant local `instant` shows in `zone`, as a `datetime-local` input wants it.
pub fn local_input(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Reads a required time field, noting why it could not be read.
pub(crate) fn required_time(
    errors: &mut FieldErrors,
    field: &'static str,
    what: &str,
    text: &str,
    zone: Tz,
) -> Option<DateTime<Utc>> {
    if text.trim().is_empty() {
        errors.add(field, format!("Enter the date and time of {what}."));
        return None;
    }
    parse_local_time(text, zone)
        .map_err(|e| errors.add(field, e.message(zone)))
        .ok()
}

/// Notes when `at` lies outside the shift, give or take [`SHIFT_TOLERANCE`].
pub(crate) fn check_within_shift(
    errors: &mut FieldErrors,
    field: &'static str,
    what: &str,
    at: DateTime<Utc>,
    shift: &ShiftToLog,
    zone: Tz,
) {
    let local = |t: DateTime<Utc>| {
        t.with_timezone(&zone)
            .format("%a %-d %b %Y %H:%M")
            .to_string()
    };
    let minutes = SHIFT_TOLERANCE.num_minutes();
    if at < shift.starts_at - SHIFT_TOLERANCE {
        errors.add(
            field,
            format!(
                "{what} is before the shift, which starts {}; up to {minutes} minutes early is accepted.",
                local(shift.starts_at)
            ),
        );
    } else if at > shift.ends_at + SHIFT_TOLERANCE {
        errors.add(
            field,
            format!(
                "{what} is after the shift, which ends {}; up to {minutes} minutes late is accepted.",
                local(shift.ends_at)
            ),
        );
    }
}

/// The hotspot id typed, when it names a hotspot of the shift's pilot. `Some(None)` is an empty
/// optional field; `None` a problem (noted).
pub(crate) fn checked_hotspot_id(
    errors: &mut FieldErrors,
    text: &str,
    shift: &ShiftToLog,
    required: bool,
) -> Option<Option<i64>> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            errors.add("hotspot_id", "Choose the hotspot.");
            return None;
        }
        return Some(None);
    }
    match text.parse::<i64>() {
        Ok(id) if shift.hotspots.iter().any(|h| h.id == id) => Some(Some(id)),
        _ => {
            errors.add("hotspot_id", "Choose one of this pilot's hotspots.");
            None
        }
    }
}

/// Like [`checked_hotspot_id`], and the hotspot must be watched on the local date of `at` or the
/// day before (a watch window that crosses midnight belongs to the day it opens).
pub(crate) fn checked_hotspot(
    errors: &mut FieldErrors,
    text: &str,
    shift: &ShiftToLog,
    at: DateTime<Utc>,
    zone: Tz,
    required: bool,
) -> Option<Option<i64>> {
    let id = checked_hotspot_id(errors, text, shift, required)?;
    let Some(hotspot) = id.and_then(|id| shift.hotspots.iter().find(|h| h.id == id)) else {
        return Some(id);
    };
    let date = at.with_timezone(&zone).date_naive();
    let day_before = date.checked_sub_days(Days::new(1)).unwrap_or(date);
    if hotspot.is_active_on(date) || hotspot.is_active_on(day_before) {
        return Some(id);
    }
    let dates = match hotspot.active_to {
        Some(to) => format!("from {} to {}", hotspot.active_from, to),
        None => format!("from {} on", hotspot.active_from),
    };
    errors.add(
        "hotspot_id",
        format!(
            "{} was not a hotspot on {} (it is watched {dates}).",
            hotspot.name, date
        ),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDMONTON: Tz = chrono_tz::America::Edmonton;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The DESIGN worked example's shift A: 22:00 on 11 March to 06:00 on 12 March 2023 local.
    fn shift() -> ShiftToLog {
        ShiftToLog {
            starts_at: utc("2023-03-12T05:00:00Z"),
            ends_at: utc("2023-03-12T12:00:00Z"),
            cancelled: false,
            hotspots: vec![
                HotspotDates {
                    id: 7,
                    name: "Central Library".into(),
                    active_from: date(2023, 2, 27),
                    active_to: None,
                },
                HotspotDates {
                    id: 8,
                    name: "Old Plaza".into(),
                    active_from: date(2023, 2, 27),
                    active_to: Some(date(2023, 3, 1)),
                },
            ],
        }
    }

    fn form(hotspot: &str, arrived: &str, departed: &str) -> VisitForm {
        VisitForm {
            hotspot_id: hotspot.into(),
            arrived_at: arrived.into(),
            departed_at: departed.into(),
            source: String::new(),
        }
    }

    #[test]
    fn a_visit_across_the_spring_forward_jump_lasts_its_real_minutes() {
        let draft = VisitDraft::parse(
            &form("7", "2023-03-12T01:50", "2023-03-12T03:05"),
            &shift(),
            EDMONTON,
        )
        .unwrap();
        assert_eq!(draft.arrived_at, utc("2023-03-12T08:50:00Z"));
        assert_eq!(draft.dwell(), TimeDelta::minutes(15));
        assert_eq!(draft.source, VisitSource::Report);
    }

    #[test]
    fn a_time_skipped_by_spring_forward_is_refused_and_the_gap_named() {
        let errors = VisitDraft::parse(
            &form("7", "2023-03-12T02:30", "2023-03-12T03:10"),
            &shift(),
            EDMONTON,
        )
        .unwrap_err();
        let message = errors.get("arrived_at").unwrap();
        assert!(message.contains("did not exist"), "{message}");
        assert!(
            message.contains("from 02:00 straight to 03:00"),
            "{message}"
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_time_repeated_by_fall_back_is_refused_as_ambiguous() {
        let error = parse_local_time("2023-11-05T01:30", EDMONTON).unwrap_err();
        assert_eq!(
            error,
            LocalTimeError::Ambiguous {
                local: date(2023, 11, 5).and_hms_opt(1, 30, 0).unwrap(),
                repeat_start: date(2023, 11, 5).and_hms_opt(1, 0, 0).unwrap(),
                repeat_end: date(2023, 11, 5).and_hms_opt(2, 0, 0).unwrap(),
            }
        );
        assert!(error.message(EDMONTON).contains("happened twice"));
        assert_eq!(
            parse_local_time("2023-11-05T02:00", EDMONTON).unwrap(),
            utc("2023-11-05T09:00:00Z")
        );
    }

    #[test]
    fn times_with_seconds_are_read_and_nonsense_is_refused() {
        assert_eq!(
            parse_local_time(" 2023-03-11T22:15:30 ", EDMONTON).unwrap(),
            utc("2023-03-12T05:15:30Z")
        );
        assert!(matches!(
            parse_local_time("yesterday", EDMONTON),
            Err(LocalTimeError::Unparsable(_))
        ));
        assert!(matches!(
            parse_local_time("2023-02-30T10:00", EDMONTON),
            Err(LocalTimeError::Unparsable(_))
        ));
    }

    #[test]
    fn departure_at_or_before_arrival_is_refused_beside_the_departure() {
        let errors = VisitDraft::parse(
            &form("7", "2023-03-11T23:00", "2023-03-11T23:00"),
            &shift(),
            EDMONTON,
        )
        .unwrap_err();
        assert!(errors.get("departed_at").unwrap().contains("after arrival"));
        assert!(errors.get("arrived_at").is_none());
    }

    #[test]
    fn half_an_hour_either_side_of_the_shift_is_accepted_and_no_more() {
        let shift = shift();
        assert!(
            VisitDraft::parse(
                &form("7", "2023-03-11T21:30", "2023-03-11T21:45"),
                &shift,
                EDMONTON
            )
            .is_ok()
        );
        let errors = VisitDraft::parse(
            &form("7", "2023-03-11T21:29", "2023-03-11T21:45"),
            &shift,
            EDMONTON,
        )
        .unwrap_err();
        assert!(
            errors
                .get("arrived_at")
                .unwrap()
                .contains("before the shift")
        );
        let errors = VisitDraft::parse(
            &form("7", "2023-03-12T06:20", "2023-03-12T06:31"),
            &shift,
            EDMONTON,
        )
        .unwrap_err();
        assert!(
            errors
                .get("departed_at")
                .unwrap()
                .contains("after the shift")
        );
    }

    #[test]
    fn the_hotspot_must_be_the_pilots_and_watched_that_day() {
        let shift = shift();
        for (typed, expected) in [
            ("", "Choose the hotspot."),
            ("99", "Choose one of this pilot's hotspots."),
            ("seven", "Choose one of this pilot's hotspots."),
        ] {
            let errors = VisitDraft::parse(
                &form(typed, "2023-03-11T23:00", "2023-03-11T23:10"),
                &shift,
                EDMONTON,
            )
            .unwrap_err();
            assert_eq!(errors.get("hotspot_id"), Some(expected));
        }
        let errors = VisitDraft::parse(
            &form("8", "2023-03-11T23:00", "2023-03-11T23:10"),
            &shift,
            EDMONTON,
        )
        .unwrap_err();
        assert!(
            errors
                .get("hotspot_id")
                .unwrap()
                .contains("Old Plaza was not a hotspot")
        );
    }

    #[test]
    fn a_cancelled_shift_takes_no_visits() {
        let mut shift = shift();
        shift.cancelled = true;
        let errors = VisitDraft::parse(
            &form("7", "2023-03-11T23:00", "2023-03-11T23:10"),
            &shift,
            EDMONTON,
        )
        .unwrap_err();
        assert!(errors.get(FORM).unwrap().contains("cancelled"));
    }

    #[test]
    fn every_problem_is_reported_at_once_and_unknown_sources_refused() {
        let mut typed = form("", "", "nonsense");
        typed.source = "radio".into();
        let errors = VisitDraft::parse(&typed, &shift(), EDMONTON).unwrap_err();
        assert_eq!(errors.len(), 4);
        assert!(
            errors
                .get("arrived_at")
                .unwrap()
                .contains("Enter the date and time")
        );
        assert!(
            errors
                .get("departed_at")
                .unwrap()
                .contains("YYYY-MM-DDTHH:MM")
        );
        assert!(errors.get("source").is_some());
    }

    #[test]
    fn a_stored_instant_fills_the_form_in_local_time() {
        assert_eq!(
            local_input(utc("2023-03-12T09:05:00Z"), EDMONTON),
            "2023-03-12T03:05"
        );
    }
}
