//! A shift as a supervisor typed it, checked against the pilot before anything is stored.

use chrono::{DateTime, NaiveDate, SubsecRound, TimeDelta, Utc};

use std::str::FromStr;

use super::field_errors::FieldErrors;
use super::ids::{HotspotId, OfficerId, TeamId};
use super::local_time;
use super::roster_rules::RosterRules;
use super::shift_status::Mode;

/// The longest shift a roster may hold.
pub const MAX_SHIFT: TimeDelta = TimeDelta::hours(16);
/// The longest note.
pub const MAX_NOTES: usize = 1000;

/// The form fields exactly as received (the contract of docs/interface.md).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShiftForm {
    pub team_id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub mode: String,
    pub officer_ids: Vec<String>,
    pub hotspot_ids: Vec<String>,
    pub notes: String,
    pub version: String,
    /// Why the supervisor accepts less than the usual rest between shifts, if they do.
    pub rest_reason: String,
}

impl ShiftForm {
    /// Reads `application/x-www-form-urlencoded` pairs; repeated keys collect into the lists.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (String, String)> + 'a) -> ShiftForm {
        let mut form = ShiftForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "team_id" => form.team_id = value,
                "starts_at" => form.starts_at = value,
                "ends_at" => form.ends_at = value,
                "mode" => form.mode = value,
                "officer_ids" => form.officer_ids.push(value),
                "hotspot_ids" => form.hotspot_ids.push(value),
                "notes" => form.notes = value,
                "version" => form.version = value,
                "rest_reason" => form.rest_reason = value,
                _ => {}
            }
        }
        form
    }
}

/// A checked shift, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftDraft {
    pub team_id: TeamId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: Mode,
    pub officer_ids: Vec<OfficerId>,
    pub hotspot_ids: Vec<HotspotId>,
    pub notes: String,
}

impl ShiftDraft {
    /// Checks every field, collecting every problem rather than stopping at the first. Start and
    /// end are wall-clock times in the pilot's zone, as the roster form sends them.
    pub fn parse(form: &ShiftForm, rules: &RosterRules) -> Result<ShiftDraft, FieldErrors> {
        let zone = rules.zone;
        ShiftDraft::check(form, rules, |text| {
            local_time::parse(text, zone).map_err(|e| e.to_string())
        })
    }

    /// As [`ShiftDraft::parse`], with start and end written as instants with their UTC offset
    /// (RFC 3339, as the exports write them), so a time in the hour repeated at fall-back is
    /// not ambiguous. The roster import reads its rows this way.
    pub fn parse_instants(
        form: &ShiftForm,
        rules: &RosterRules,
    ) -> Result<ShiftDraft, FieldErrors> {
        ShiftDraft::check(form, rules, read_instant)
    }

    /// As [`ShiftDraft::parse`], for an edit: also the version of the shift the form was filled
    /// from, with every problem of the fields and of the version together.
    pub fn parse_edit(
        form: &ShiftForm,
        rules: &RosterRules,
    ) -> Result<(ShiftDraft, i32), FieldErrors> {
        match (
            ShiftDraft::parse(form, rules),
            form.version.trim().parse::<i32>(),
        ) {
            (Ok(draft), Ok(version)) => Ok((draft, version)),
            (draft, version) => {
                let mut errors = draft.err().unwrap_or_default();
                if version.is_err() {
                    errors.add(
                        "version",
                        "The form lost track of the shift's version; open the shift again.",
                    );
                }
                Err(errors)
            }
        }
    }

    fn check(
        form: &ShiftForm,
        rules: &RosterRules,
        read: impl Fn(&str) -> Result<DateTime<Utc>, String>,
    ) -> Result<ShiftDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let team_id = form.team_id.trim().parse::<TeamId>().ok();
        let team_id = match team_id.filter(|id| rules.team(*id).is_some()) {
            Some(id) => Some(id),
            None => {
                errors.add("team_id", "Choose one of this pilot's teams.");
                None
            }
        };
        let mut read_time = |field: &'static str, what: &str, text: &str| {
            if text.trim().is_empty() {
                errors.add(field, format!("Enter {what} date and time."));
                return None;
            }
            match read(text) {
                Ok(at) => Some(at),
                Err(e) => {
                    errors.add(field, e);
                    None
                }
            }
        };
        let starts_at = read_time("starts_at", "a start", &form.starts_at);
        let ends_at = read_time("ends_at", "an end", &form.ends_at);
        let start_day = starts_at.map(|at| at.with_timezone(&rules.zone).date_naive());
        if let (Some(start), Some(end)) = (starts_at, ends_at) {
            if end <= start {
                errors.add("ends_at", "The shift must end after it starts.");
            } else if end - start > MAX_SHIFT {
                errors.add(
                    "ends_at",
                    format!("A shift may last at most {} hours.", MAX_SHIFT.num_hours()),
                );
            }
        }
        if start_day.is_some_and(|day| day < rules.starts_on || day > rules.ends_on) {
            errors.add(
                "starts_at",
                format!(
                    "The pilot runs from {} to {}; start the shift on one of those days.",
                    rules.starts_on, rules.ends_on
                ),
            );
        }
        let mode = form.mode.trim().parse::<Mode>();
        if mode.is_err() {
            errors.add("mode", "Choose foot, bike or vehicle.");
        }
        let officer_ids = ids::<OfficerId>(&form.officer_ids);
        match &officer_ids {
            Err(()) => {
                errors.add("officer_ids", "Choose officers from the list.");
            }
            Ok(ids) if ids.is_empty() => {
                errors.add("officer_ids", "Choose at least one officer.");
            }
            Ok(ids) => {
                let problems: Vec<String> = ids
                    .iter()
                    .filter_map(|id| officer_problem(*id, start_day, rules))
                    .collect();
                if !problems.is_empty() {
                    errors.add("officer_ids", problems.join(" "));
                }
            }
        }
        let hotspot_ids = ids::<HotspotId>(&form.hotspot_ids);
        match &hotspot_ids {
            Err(()) => {
                errors.add("hotspot_ids", "Choose hotspots from the list.");
            }
            Ok(ids) => {
                let problems: Vec<String> = ids
                    .iter()
                    .filter_map(|id| hotspot_problem(*id, start_day, rules))
                    .collect();
                if !problems.is_empty() {
                    errors.add("hotspot_ids", problems.join(" "));
                }
            }
        }
        let notes = form.notes.trim();
        if notes.chars().count() > MAX_NOTES {
            errors.add(
                "notes",
                format!(
                    "Notes may hold at most {MAX_NOTES} characters; these have {}.",
                    notes.chars().count()
                ),
            );
        }
        match (team_id, starts_at, ends_at, mode, officer_ids, hotspot_ids) {
            (
                Some(team_id),
                Some(starts_at),
                Some(ends_at),
                Ok(mode),
                Ok(officer_ids),
                Ok(hotspot_ids),
            ) if errors.is_empty() => Ok(ShiftDraft {
                team_id,
                starts_at,
                ends_at,
                mode,
                officer_ids,
                hotspot_ids,
                notes: notes.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// An instant written with its UTC offset (RFC 3339), to the microsecond PostgreSQL keeps.
pub fn read_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|at| at.to_utc().trunc_subsecs(6))
        .map_err(|_| {
            format!(
                "{:?} is not an instant with its UTC offset, such as 2023-03-11T22:00:00-07:00.",
                text.trim()
            )
        })
}

/// Distinct ids in order, or `Err` when one is not a number.
fn ids<Id: FromStr + PartialEq>(values: &[String]) -> Result<Vec<Id>, ()> {
    let mut ids = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id = value.parse::<Id>().map_err(|_| ())?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn officer_problem(id: OfficerId, day: Option<NaiveDate>, rules: &RosterRules) -> Option<String> {
    let Some(name) = rules.officer_name(id) else {
        return Some(format!("Officer #{id} is not assigned to this pilot."));
    };
    let day = day?;
    let assigned = rules
        .assignments
        .iter()
        .any(|a| a.officer_id == id && a.covers(day));
    (!assigned).then(|| format!("{name} is not assigned to the pilot on {day}."))
}

fn hotspot_problem(id: HotspotId, day: Option<NaiveDate>, rules: &RosterRules) -> Option<String> {
    let Some(hotspot) = rules.hotspot(id) else {
        return Some(format!("Hotspot #{id} is not one of this pilot's."));
    };
    let day = day?;
    (!hotspot.active_on(day))
        .then(|| format!("{} is not an active hotspot on {day}.", hotspot.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roster_rules::{Assignment, RosterHotspot, Team};
    use chrono_tz::America::Edmonton;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rules() -> RosterRules {
        RosterRules {
            zone: Edmonton,
            starts_on: date(2023, 2, 27),
            ends_on: date(2023, 5, 31),
            teams: vec![Team {
                id: TeamId(1),
                name: "Pair 1".into(),
                agency: crate::domain::agency::TeamAgency::Joint,
                mode: Mode::Foot,
            }],
            assignments: vec![
                assignment(10, "Sheriff A", date(2023, 2, 27)),
                assignment(11, "Constable B", date(2023, 4, 1)),
            ],
            hotspots: vec![
                hotspot(100, "Olympic Plaza", None),
                hotspot(101, "Kerby", Some(date(2023, 3, 15))),
            ],
        }
    }

    fn assignment(officer: i64, name: &str, starts_on: NaiveDate) -> Assignment {
        Assignment {
            officer_id: OfficerId(officer),
            name: name.into(),
            starts_on,
            ends_on: date(2023, 5, 31),
        }
    }

    fn hotspot(id: i64, name: &str, active_to: Option<NaiveDate>) -> RosterHotspot {
        RosterHotspot {
            id: HotspotId(id),
            name: name.into(),
            active_from: date(2023, 2, 27),
            active_to,
        }
    }

    fn form() -> ShiftForm {
        ShiftForm {
            team_id: "1".into(),
            starts_at: "2023-03-11T22:00".into(),
            ends_at: "2023-03-12T06:00".into(),
            mode: "foot".into(),
            officer_ids: vec!["10".into()],
            hotspot_ids: vec!["100".into(), "100".into()],
            ..ShiftForm::default()
        }
    }

    /// The problem [`ShiftDraft::parse`] finds with `field` of `form`.
    fn problem(form: &ShiftForm, field: &str) -> String {
        let errors = ShiftDraft::parse(form, &rules()).unwrap_err();
        match errors.get(field) {
            Some(message) => message.to_string(),
            None => panic!("no problem with {field}: {errors:?}"),
        }
    }

    #[test]
    fn a_good_form_becomes_a_draft_across_the_spring_forward_night() {
        let draft = ShiftDraft::parse(&form(), &rules()).unwrap();
        assert_eq!(draft.ends_at - draft.starts_at, TimeDelta::hours(7));
        assert_eq!(
            draft.hotspot_ids,
            [HotspotId(100)],
            "duplicates are dropped"
        );
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let bad = ShiftForm {
            team_id: "9".into(),
            starts_at: "2023-03-12T02:30".into(),
            ends_at: "soon".into(),
            mode: "horse".into(),
            officer_ids: vec!["x".into()],
            hotspot_ids: vec!["999".into()],
            notes: "n".repeat(MAX_NOTES + 1),
            ..ShiftForm::default()
        };
        let errors = ShiftDraft::parse(&bad, &rules()).unwrap_err();
        for field in [
            "team_id",
            "starts_at",
            "ends_at",
            "mode",
            "officer_ids",
            "hotspot_ids",
            "notes",
        ] {
            assert!(errors.contains(field), "{field}: {errors:?}");
        }
        assert!(errors.get("starts_at").unwrap().contains("does not exist"));
    }

    #[test]
    fn an_empty_start_or_end_asks_for_that_date_and_time_in_words() {
        let empty = ShiftForm {
            starts_at: " ".into(),
            ends_at: String::new(),
            ..form()
        };
        let errors = ShiftDraft::parse(&empty, &rules()).unwrap_err();
        assert_eq!(
            errors.get("starts_at"),
            Some("Enter a start date and time.")
        );
        assert_eq!(errors.get("ends_at"), Some("Enter an end date and time."));
    }

    #[test]
    fn ends_before_starts_and_overlong_shifts_are_refused() {
        let mut backwards = form();
        backwards.ends_at = "2023-03-11T21:00".into();
        assert!(problem(&backwards, "ends_at").contains("end after"));
        let mut long = form();
        long.ends_at = "2023-03-12T16:00".into();
        assert!(problem(&long, "ends_at").contains("16 hours"));
    }

    #[test]
    fn officers_not_assigned_that_day_and_inactive_hotspots_are_refused() {
        let mut f = form();
        f.officer_ids = vec!["11".into()];
        f.hotspot_ids = vec!["101".into()];
        f.starts_at = "2023-03-20T07:00".into();
        f.ends_at = "2023-03-20T17:00".into();
        assert!(problem(&f, "officer_ids").contains("Constable B is not assigned"));
        assert!(problem(&f, "hotspot_ids").contains("Kerby is not an active hotspot"));
    }

    #[test]
    fn instants_with_an_offset_are_unambiguous_in_the_fall_back_hour() {
        let mut f = form();
        f.starts_at = "2023-05-07T01:30:00-06:00".into();
        f.ends_at = "2023-05-07T09:30:00.0000004-06:00".into();
        let draft = ShiftDraft::parse_instants(&f, &rules()).unwrap();
        assert_eq!(draft.ends_at - draft.starts_at, TimeDelta::hours(8));
        assert_eq!(
            read_instant("2023-11-05T01:30:00-07:00").unwrap()
                - read_instant("2023-11-05T01:30:00-06:00").unwrap(),
            TimeDelta::hours(1)
        );
        f.starts_at = "2023-05-07T01:30".into();
        let errors = ShiftDraft::parse_instants(&f, &rules()).unwrap_err();
        assert!(
            errors.get("starts_at").unwrap().contains("UTC offset"),
            "{errors:?}"
        );
    }

    #[test]
    fn an_edit_needs_the_version_it_was_made_from_besides_good_fields() {
        let mut edit = form();
        edit.version = " 3 ".into();
        let (draft, version) = ShiftDraft::parse_edit(&edit, &rules()).unwrap();
        assert_eq!((draft.team_id, version), (TeamId(1), 3));
        edit.version.clear();
        edit.mode = "horse".into();
        let errors = ShiftDraft::parse_edit(&edit, &rules()).unwrap_err();
        assert_eq!(
            errors.get("version"),
            Some("The form lost track of the shift's version; open the shift again.")
        );
        assert!(errors.contains("mode"), "{errors:?}");
    }

    #[test]
    fn shifts_outside_the_pilot_and_ambiguous_times_are_refused() {
        let mut early = form();
        early.starts_at = "2023-02-20T07:00".into();
        early.ends_at = "2023-02-20T17:00".into();
        assert!(problem(&early, "starts_at").contains("pilot runs"));
        let mut fall = form();
        fall.starts_at = "2023-11-05T01:30".into();
        assert!(problem(&fall, "starts_at").contains("happens twice"));
    }
}
