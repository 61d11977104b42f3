//! Unit tests of the roster's team filter and pages (`roster_filter.rs`).

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::agency::TeamAgency;
use crate::domain::{Mode, ShiftStatus};

fn team(id: i64) -> Team {
    Team {
        id: TeamId(id),
        name: format!("Team {id:03}"),
        agency: TeamAgency::Joint,
        mode: Mode::Foot,
    }
}

/// A shift of team `team` directed to hotspots in the districts `districts`.
fn shift(id: i64, team: i64, districts: &[&str]) -> ShiftView {
    let at = Utc.with_ymd_and_hms(2023, 3, 13, 17, 0, 0).unwrap();
    ShiftView {
        id: ShiftId(id),
        pilot: "Pilot".into(),
        team_id: TeamId(team),
        team: format!("Team {team:03}"),
        starts_at: at,
        ends_at: at,
        mode: Mode::Foot,
        status: ShiftStatus::Planned,
        notes: String::new(),
        cancel_reason: String::new(),
        version: 1,
        created_at: at,
        updated_at: at,
        hotspots: Vec::new(),
        districts: districts.iter().map(|d| d.to_string()).collect(),
        member_ids: Vec::new(),
        members: Vec::new(),
        member_agencies: Vec::new(),
    }
}

fn ids(teams: &[&Team]) -> Vec<i64> {
    teams.iter().map(|t| t.id.0).collect()
}

#[test]
fn blank_parameters_show_everything_and_bad_ones_say_what_is_wrong() {
    let blank = RosterFilter::parse(Some(""), Some(" "), None).unwrap();
    assert_eq!(blank, RosterFilter::default());
    assert_eq!(blank.query(), "");
    let given = RosterFilter::parse(Some("7"), Some("DNC"), Some("2")).unwrap();
    assert_eq!(given.query(), "&team=7&district=DNC");
    assert_eq!(given.page, Some(2));
    assert!(RosterFilter::parse(Some("seven"), None, None).is_err());
    assert!(RosterFilter::parse(None, None, Some("0")).is_err());
}

#[test]
fn many_teams_come_twenty_five_to_a_page_and_a_page_past_the_last_shows_the_last() {
    let teams: Vec<Team> = (1..=120).map(team).collect();
    let shifts: Vec<ShiftView> = (1..=120).map(|t| shift(t, t, &["DNC"])).collect();

    let first = RosterFilter::default().select(&teams, &shifts, None);
    assert_eq!((first.page, first.pages, first.matching), (1, 5, 120));
    assert_eq!(ids(&first.teams), (1..=25).collect::<Vec<_>>());
    assert_eq!(first.shifts.len(), 25);

    let beyond = RosterFilter {
        page: Some(9),
        ..RosterFilter::default()
    };
    let last = beyond.select(&teams, &shifts, None);
    assert_eq!(last.page, 5);
    assert_eq!(ids(&last.teams), (101..=120).collect::<Vec<_>>());
}

#[test]
fn a_district_keeps_the_teams_with_shifts_there_and_only_those_shifts() {
    let teams: Vec<Team> = (1..=3).map(team).collect();
    let shifts = vec![
        shift(1, 1, &["DNC"]),
        shift(2, 1, &["BLN"]),
        shift(3, 2, &["BLN", "DNC"]),
        shift(4, 3, &["EAU"]),
    ];
    let filter = RosterFilter::parse(None, Some("DNC"), None).unwrap();

    let shown = filter.select(&teams, &shifts, None);

    assert_eq!(ids(&shown.teams), [1, 2]);
    let shift_ids: Vec<i64> = shown.shifts.iter().map(|s| s.id.0).collect();
    assert_eq!(shift_ids, [1, 3]);
}

#[test]
fn one_team_is_shown_alone_and_a_saved_shift_opens_on_its_teams_page() {
    let teams: Vec<Team> = (1..=120).map(team).collect();
    let shifts: Vec<ShiftView> = (1..=120).map(|t| shift(1000 + t, t, &[])).collect();

    let alone = RosterFilter::parse(Some("77"), None, None)
        .unwrap()
        .select(&teams, &shifts, None);
    assert_eq!((ids(&alone.teams), alone.pages), (vec![77], 1));

    let saved = RosterFilter::default().select(&teams, &shifts, Some(ShiftId(1077)));
    // Team 77 is on the fourth page of 25 (teams 76 to 100).
    assert_eq!(saved.page, 4);
    assert!(saved.shifts.iter().any(|s| s.id == ShiftId(1077)));
}
