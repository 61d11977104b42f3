//! A visit as typed into the shift log's form, checked against its shift: the only way a visit
//! reaches the database.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::field_errors::{FORM, FieldErrors};
use super::ids::HotspotId;
use super::shift_log::{
    ShiftToLog, check_within_shift, checked_hotspot, checked_hotspot_id, required_time,
};

crate::text_enum! {
    /// Where a visit's times came from; stored in `visits.source`.
    pub enum VisitSource("visit source") {
        /// Reported by the crew after the shift.
        Report = "report",
        /// From the vehicle or radio location system.
        Avl = "avl",
        /// From an imported file.
        Import = "import",
    }
}

impl VisitSource {
    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            VisitSource::Report => "Crew report",
            VisitSource::Avl => "AVL (location system)",
            VisitSource::Import => "Import",
        }
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
/// arrival, both within the shift give or take
/// [`SHIFT_TOLERANCE`](super::shift_log::SHIFT_TOLERANCE), on a shift not cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDraft {
    pub hotspot_id: HotspotId,
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
                let source = name.parse::<VisitSource>().ok();
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::shift_log::HotspotDates;

    const EDMONTON: Tz = chrono_tz::America::Edmonton;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Shift A of the worked example in docs/coverage.md: 22:00 on 11 March to 06:00 on 12 March 2023 local.
    fn shift() -> ShiftToLog {
        ShiftToLog {
            starts_at: utc("2023-03-12T05:00:00Z"),
            ends_at: utc("2023-03-12T12:00:00Z"),
            cancelled: false,
            hotspots: vec![
                HotspotDates {
                    id: HotspotId(7),
                    name: "Central Library".into(),
                    active_from: date(2023, 2, 27),
                    active_to: None,
                },
                HotspotDates {
                    id: HotspotId(8),
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
        assert!(message.contains("does not exist"), "{message}");
        assert!(
            message.contains("from 02:00 straight to 03:00"),
            "{message}"
        );
        assert_eq!(errors.len(), 1);
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
                .contains("is not a date and time")
        );
        assert!(errors.get("source").is_some());
    }
}
