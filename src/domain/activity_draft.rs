//! An activity (an outcome of a shift) as typed into the shift log's form, checked against its
//! shift.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::field_errors::{FORM, FieldErrors};
use super::ids::HotspotId;
use super::shift_log::{
    ShiftToLog, check_within_shift, checked_hotspot, checked_hotspot_id, required_time,
};

/// Most of one kind a single entry may count; more is almost certainly a typing slip.
pub const MAX_COUNT: i32 = 1000;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

crate::text_enum! {
    /// What a shift did: the kinds of outcome a pilot records; stored in `activities.kind`.
    pub enum ActivityKind("activity kind") {
        ProactiveEngagement = "proactive_engagement",
        CommunityReferral = "community_referral",
        MentalHealthReferral = "mental_health_referral",
        AddictionReferral = "addiction_referral",
        CallForService = "call_for_service",
        WarrantExecuted = "warrant_executed",
        ChargeLaid = "charge_laid",
        Ticket = "ticket",
        NaloxoneAdministered = "naloxone_administered",
        Other = "other",
    }
}

impl ActivityKind {
    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::ProactiveEngagement => "Proactive engagement",
            ActivityKind::CommunityReferral => "Referral to a community agency",
            ActivityKind::MentalHealthReferral => "Mental-health referral",
            ActivityKind::AddictionReferral => "Addiction referral",
            ActivityKind::CallForService => "Call for service attended",
            ActivityKind::WarrantExecuted => "Warrant executed",
            ActivityKind::ChargeLaid => "Charge laid",
            ActivityKind::Ticket => "Ticket",
            ActivityKind::NaloxoneAdministered => "Naloxone administered",
            ActivityKind::Other => "Other",
        }
    }
}

/// The activity form's fields as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub count: String,
    pub hotspot_id: String,
    pub occurred_at: String,
    pub note: String,
}

/// An activity that may be stored: a known kind, a count of 1 to [`MAX_COUNT`], an optional
/// hotspot of the shift's pilot active that day, a time within the shift give or take half an hour,
/// a note of at most [`MAX_NOTE_CHARS`] characters, on a shift not cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDraft {
    pub kind: ActivityKind,
    pub count: i32,
    pub hotspot_id: Option<HotspotId>,
    pub occurred_at: DateTime<Utc>,
    pub note: String,
}

impl ActivityDraft {
    /// Reads `form` in the pilot's zone `zone` and checks it against `shift`; every problem is
    /// reported beside its field.
    pub fn parse(
        form: &ActivityForm,
        shift: &ShiftToLog,
        zone: Tz,
    ) -> Result<ActivityDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        if shift.cancelled {
            errors.add(
                FORM,
                "This shift was cancelled, so no activity can be logged against it.",
            );
        }
        let kind = match form.kind.trim() {
            "" => {
                errors.add("kind", "Choose what happened.");
                None
            }
            name => {
                let kind = name.parse::<ActivityKind>().ok();
                if kind.is_none() {
                    errors.add("kind", "Choose one of the kinds listed.");
                }
                kind
            }
        };
        let count = parse_count(&mut errors, &form.count);
        let occurred = required_time(
            &mut errors,
            "occurred_at",
            "the activity",
            &form.occurred_at,
            zone,
        );
        if let Some(at) = occurred {
            check_within_shift(&mut errors, "occurred_at", "The time", at, shift, zone);
        }
        let hotspot = match occurred {
            Some(at) => checked_hotspot(&mut errors, &form.hotspot_id, shift, at, zone, false),
            None => checked_hotspot_id(&mut errors, &form.hotspot_id, shift, false),
        };
        let note = form.note.trim().to_string();
        let length = note.chars().count();
        if length > MAX_NOTE_CHARS {
            errors.add(
                "note",
                format!("The note is {length} characters long; keep it to {MAX_NOTE_CHARS}."),
            );
        }
        errors.into_result(|| {
            Some(ActivityDraft {
                kind: kind?,
                count: count?,
                hotspot_id: hotspot?,
                occurred_at: occurred?,
                note,
            })
        })
    }
}

fn parse_count(errors: &mut FieldErrors, text: &str) -> Option<i32> {
    let text = text.trim();
    if text.is_empty() {
        errors.add("count", format!("Enter how many, from 1 to {MAX_COUNT}."));
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if (1..=i64::from(MAX_COUNT)).contains(&n) => i32::try_from(n).ok(),
        Ok(_) => {
            errors.add("count", format!("The count must be from 1 to {MAX_COUNT}."));
            None
        }
        Err(_) => {
            errors.add(
                "count",
                format!("Enter a whole number from 1 to {MAX_COUNT}, not {text:?}."),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::shift_log::HotspotDates;

    const EDMONTON: Tz = chrono_tz::America::Edmonton;

    fn shift(cancelled: bool) -> ShiftToLog {
        ShiftToLog {
            starts_at: "2023-03-12T05:00:00Z".parse().unwrap(),
            ends_at: "2023-03-12T12:00:00Z".parse().unwrap(),
            cancelled,
            hotspots: vec![HotspotDates {
                id: HotspotId(7),
                name: "Central Library".into(),
                active_from: NaiveDate::from_ymd_opt(2023, 2, 27).unwrap(),
                active_to: None,
            }],
        }
    }

    fn form(kind: &str, count: &str, hotspot: &str, at: &str, note: &str) -> ActivityForm {
        ActivityForm {
            kind: kind.into(),
            count: count.into(),
            hotspot_id: hotspot.into(),
            occurred_at: at.into(),
            note: note.into(),
        }
    }

    #[test]
    fn a_referral_without_a_hotspot_is_accepted_with_its_note_trimmed() {
        let draft = ActivityDraft::parse(
            &form(
                "mental_health_referral",
                "2",
                "",
                "2023-03-11T23:40",
                "  to the PACT team ",
            ),
            &shift(false),
            EDMONTON,
        )
        .unwrap();
        assert_eq!(draft.kind, ActivityKind::MentalHealthReferral);
        assert_eq!(draft.count, 2);
        assert_eq!(draft.hotspot_id, None);
        assert_eq!(draft.note, "to the PACT team");
    }

    #[test]
    fn counts_outside_one_to_a_thousand_are_refused() {
        for (typed, expected) in [
            ("0", "must be from 1 to 1000"),
            ("1001", "must be from 1 to 1000"),
            ("-3", "must be from 1 to 1000"),
            ("2.5", "whole number"),
            ("", "Enter how many"),
        ] {
            let errors = ActivityDraft::parse(
                &form("ticket", typed, "7", "2023-03-11T23:40", ""),
                &shift(false),
                EDMONTON,
            )
            .unwrap_err();
            assert!(errors.get("count").unwrap().contains(expected), "{typed}");
        }
    }

    #[test]
    fn unknown_kinds_long_notes_and_cancelled_shifts_are_refused() {
        let errors = ActivityDraft::parse(
            &form("arrest", "1", "7", "2023-03-11T23:40", &"x".repeat(501)),
            &shift(true),
            EDMONTON,
        )
        .unwrap_err();
        assert_eq!(errors.get("kind"), Some("Choose one of the kinds listed."));
        assert!(errors.get("note").unwrap().contains("501 characters"));
        assert!(errors.get(FORM).unwrap().contains("cancelled"));
        let note = "é".repeat(500);
        assert!(
            ActivityDraft::parse(
                &form("other", "1", "", "2023-03-11T23:40", &note),
                &shift(false),
                EDMONTON
            )
            .is_ok(),
            "500 characters are fine, whatever their bytes"
        );
    }

    #[test]
    fn the_time_must_exist_and_fall_within_the_shift() {
        let errors = ActivityDraft::parse(
            &form("ticket", "1", "", "2023-03-12T02:15", ""),
            &shift(false),
            EDMONTON,
        )
        .unwrap_err();
        assert!(
            errors
                .get("occurred_at")
                .unwrap()
                .contains("does not exist")
        );
        let errors = ActivityDraft::parse(
            &form("ticket", "1", "", "2023-03-12T07:00", ""),
            &shift(false),
            EDMONTON,
        )
        .unwrap_err();
        assert!(
            errors
                .get("occurred_at")
                .unwrap()
                .contains("after the shift")
        );
    }
}
