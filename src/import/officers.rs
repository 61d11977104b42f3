//! Officers and their assignments to a pilot as CSV, one assignment a row, with the header
//! `agency, badge_number, name, rank, team, team_mode, role, starts_on, ends_on` (any order;
//! `rank`, `team` and `team_mode` may be empty).
//!
//! This step checks what the file alone can tell: each row's fields (the officer form's rules,
//! the assignment's days inside the pilot's), and the rows against each other: a badge number is
//! one officer (the same name and rank on every row), a team has one mode, and an officer's
//! assignments do not share a day. Whether the agencies are on file, and how the rows meet the
//! stored assignments, is decided against the database (`service::people::import_in`).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::roster::cell_text;
use super::text::{self, normalise};
use super::{Origin, Parsed, finish};
use crate::domain::Mode;
use crate::domain::agency::{AgencyCode, TeamAgency};
use crate::domain::assignment_draft::{AssignmentDraft, AssignmentForm, PilotFrame};
use crate::domain::field_errors::FieldErrors;
use crate::domain::officer_draft::{MAX_TEXT_CHARS, OfficerDraft, OfficerForm, text_field};
use crate::domain::team_draft::TeamDraft;

/// The columns of the file, in the order the sample and the docs give them.
pub const COLUMNS: [&str; 9] = [
    "agency",
    "badge_number",
    "name",
    "rank",
    "team",
    "team_mode",
    "role",
    "starts_on",
    "ends_on",
];

/// A row of the file, checked on its own and against the other rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerRow {
    pub origin: Origin,
    /// The officer, with no home unit (the file has none: a stored one is kept).
    pub officer: OfficerDraft,
    /// The team's name and mode, when the row names one.
    pub team: Option<(String, Mode)>,
    /// The assignment, with no team yet (the team's id is known once it is stored).
    pub assignment: AssignmentDraft,
}

impl OfficerRow {
    /// The officer's key: agency and badge number.
    pub fn key(&self) -> (AgencyCode, String) {
        (
            self.officer.agency.clone(),
            self.officer.badge_number.clone(),
        )
    }
}

/// Every row of the file, checked, or every bad row. `pilot` gives the days an assignment must
/// fall in (its teams are not needed: rows name teams by name).
pub fn parse(text: &str, pilot: &PilotFrame) -> Parsed<OfficerRow> {
    let text = text::strip_bom(text);
    let (reader, headers) = text::csv_with_header(text).map_err(|error| vec![error])?;
    let names: Vec<String> = headers
        .iter()
        .map(|h| normalise(h).to_lowercase())
        .collect();
    let header_error = |reason: String| vec![Origin::line(1).error(reason)];
    let unknown: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !COLUMNS.contains(n))
        .collect();
    let missing: Vec<&str> = COLUMNS
        .into_iter()
        .filter(|c| !names.iter().any(|n| n == c))
        .collect();
    if !unknown.is_empty() || !missing.is_empty() {
        let mut problems = Vec::new();
        if !missing.is_empty() {
            problems.push(format!("the header row lacks {}", missing.join(", ")));
        }
        if !unknown.is_empty() {
            problems.push(format!(
                "unknown column{} {}",
                if unknown.len() == 1 { "" } else { "s" },
                text::excerpt(&unknown.join(", "))
            ));
        }
        return Err(header_error(format!(
            "{}: an officers file has the columns {}",
            problems.join("; "),
            COLUMNS.join(", ")
        )));
    }
    let column: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let (records, mut errors) = text::records(reader, text, headers.len());
    let mut rows: Vec<OfficerRow> = Vec::new();
    for (origin, record) in records {
        let cell = |name: &str| cell_text(record.get(column[name]).unwrap_or(""));
        match read_row(origin, &cell, pilot) {
            Ok(row) => match clash_with_earlier(&row, &rows) {
                Some(reason) => errors.push(origin.error(reason)),
                None => rows.push(row),
            },
            Err(problems) => errors.push(origin.error(problems)),
        }
    }
    finish(rows, errors)
}

/// One row's cells, checked, or every problem with them in one sentence.
fn read_row(
    origin: Origin,
    cell: &impl Fn(&str) -> String,
    pilot: &PilotFrame,
) -> Result<OfficerRow, String> {
    let officer = OfficerDraft::parse(&OfficerForm {
        agency: cell("agency"),
        badge_number: cell("badge_number"),
        name: cell("name"),
        rank: cell("rank"),
        home_unit: String::new(),
    });
    let assignment = AssignmentDraft::parse(
        &AssignmentForm {
            starts_on: cell("starts_on"),
            ends_on: cell("ends_on"),
            role: cell("role"),
            team_id: String::new(),
        },
        pilot,
    );
    let mut team_errors = FieldErrors::new();
    let team = text_field(
        &mut team_errors,
        "team",
        &cell("team"),
        None,
        MAX_TEXT_CHARS,
    );
    let mode = cell("team_mode");
    let team = match (team.is_empty(), mode.trim()) {
        (true, "") => Some(None),
        (true, _) => {
            team_errors.add(
                "team_mode",
                "A mode is given without a team; name the team.",
            );
            None
        }
        (false, mode) => match mode.parse::<Mode>() {
            Ok(mode) => Some(Some((team, mode))),
            Err(_) => {
                let shown = text::quoted(mode);
                team_errors.add(
                    "team_mode",
                    format!("{shown} is not foot, bike or vehicle."),
                );
                None
            }
        },
    };
    match (officer, assignment, team) {
        (Ok(officer), Ok(assignment), Some(team)) if team_errors.is_empty() => Ok(OfficerRow {
            origin,
            officer,
            team,
            assignment,
        }),
        (officer, assignment, _) => {
            let mut problems: Vec<(&str, String)> = [officer.err(), assignment.err()]
                .into_iter()
                .flatten()
                .chain([team_errors])
                .flat_map(|errors| {
                    errors
                        .iter()
                        .map(|(field, message)| (field, message.to_string()))
                        .collect::<Vec<_>>()
                })
                .collect();
            problems.sort_by_key(|(field, _)| COLUMNS.iter().position(|c| c == field));
            let sentences: Vec<String> = problems
                .into_iter()
                .map(|(field, message)| format!("{field}: {message}"))
                .collect();
            Err(sentences.join(" "))
        }
    }
}

/// Why `row` cannot stand beside the rows before it, if it cannot: its badge number on another
/// name or rank, its team with another mode, or its days shared with another assignment of the
/// officer.
fn clash_with_earlier(row: &OfficerRow, earlier: &[OfficerRow]) -> Option<String> {
    let (agency, badge) = row.key();
    for other in earlier {
        let line = other.origin.line;
        if other.key() == row.key()
            && (&other.officer.name, &other.officer.rank) != (&row.officer.name, &row.officer.rank)
        {
            return Some(format!(
                "badge {badge} of {agency} is {} ({}) on line {line}: a badge number is one \
                 officer, so give the same name and rank",
                text::quoted(&other.officer.name),
                match other.officer.rank.as_str() {
                    "" => "no rank",
                    rank => rank,
                },
            ));
        }
        if let (Some((name, mode)), Some((other_name, other_mode))) = (&row.team, &other.team)
            && name == other_name
            && mode != other_mode
        {
            return Some(format!(
                "team {} is {other_mode} on line {line}: a team has one mode",
                text::quoted(name)
            ));
        }
        if other.key() == row.key() && shares_a_day(&row.assignment, &other.assignment) {
            return Some(format!(
                "this assignment shares days with the one on line {line} ({} to {}): an \
                 officer is assigned to a pilot once at a time",
                other.assignment.starts_on, other.assignment.ends_on
            ));
        }
    }
    None
}

/// Whether two assignments share a day.
pub fn shares_a_day(a: &AssignmentDraft, b: &AssignmentDraft) -> bool {
    days_meet((a.starts_on, a.ends_on), (b.starts_on, b.ends_on))
}

/// Whether two spans of days, each first and last day, share a day.
pub fn days_meet(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// The teams the rows name, in the order first named: each with the mode its rows give, and the
/// agency of its officers, or `joint` when they come from several agencies.
pub fn teams(rows: &[OfficerRow]) -> Vec<TeamDraft> {
    let mut teams: Vec<TeamDraft> = Vec::new();
    for row in rows {
        let Some((name, mode)) = &row.team else {
            continue;
        };
        let agency = TeamAgency::Agency(row.officer.agency.clone());
        match teams.iter_mut().find(|team| &team.name == name) {
            Some(team) if team.agency != agency => team.agency = TeamAgency::Joint,
            Some(_) => {}
            None => teams.push(TeamDraft {
                name: name.clone(),
                agency,
                mode: *mode,
            }),
        }
    }
    teams
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::RowError;

    const HEADER: &str = "agency,badge_number,name,rank,team,team_mode,role,starts_on,ends_on\n";

    fn pilot() -> PilotFrame {
        PilotFrame {
            starts_on: "2023-02-27".parse().unwrap(),
            ends_on: "2023-05-31".parse().unwrap(),
            teams: Vec::new(),
        }
    }

    fn parse_rows(rows: &str) -> Parsed<OfficerRow> {
        parse(&format!("\u{feff}{HEADER}{rows}"), &pilot())
    }

    fn reasons(parsed: Parsed<OfficerRow>) -> Vec<String> {
        parsed
            .unwrap_err()
            .iter()
            .map(RowError::to_string)
            .collect()
    }

    #[test]
    fn a_good_file_gives_its_rows_and_a_team_of_two_agencies_is_joint() {
        let rows = parse_rows(
            "alberta_sheriffs,S-1,Dana W,Sergeant,Pair 1,foot,sheriff_pilot,2023-02-27,2023-05-31\n\
             cps,4127,Kevin A,Constable,Pair 1,foot,cps_partner,2023-02-27,2023-03-31\n\
             cps,4127,Kevin A,Constable,,,cps_partner,2023-04-01,2023-05-31\n\
             cps,4133,Rachel N,,Bikes,bike,cps_partner,2023-03-01,2023-03-31\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[1].origin.line, 3);
        assert_eq!(rows[2].team, None);
        let teams = teams(&rows);
        assert_eq!(teams.len(), 2);
        assert_eq!(
            (teams[0].name.as_str(), &teams[0].agency),
            ("Pair 1", &TeamAgency::Joint)
        );
        assert_eq!(teams[1].agency.as_str(), "cps");
        assert_eq!(teams[1].mode, Mode::Bike);
    }

    #[test]
    fn every_bad_row_is_listed_with_its_line_and_what_is_wrong() {
        let found = reasons(parse_rows(
            "cps, ,Kevin A,,,,r,2023-03-01,2023-03-31\n\
             cps,1,A,,T,boat,r,2023-03-01,2023-03-31\n\
             cps,2,B,,,,r,2023-02-01,2023-06-30\n\
             cps,3,C,,,,r,2023-03-01,2023-03-31\n\
             cps,3,Another C,,,,r,2023-04-01,2023-04-30\n\
             cps,4,D,,T2,foot,r,2023-03-01,2023-03-31\n\
             cps,5,E,,T2,bike,r,2023-03-01,2023-03-31\n\
             cps,3,C,,,,r,2023-03-31,2023-04-30\n\
             EPS 2,6,F,,,,r,2023-03-01,2023-03-31\n",
        ));
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(
            found[0].starts_with("line 2: badge_number: Enter"),
            "{}",
            found[0]
        );
        assert!(
            found[1].contains("team_mode: \"boat\" is not foot"),
            "{}",
            found[1]
        );
        assert!(
            found[2].contains("starts_on: The pilot runs from 2023-02-27"),
            "{}",
            found[2]
        );
        assert!(found[2].contains("ends_on:"), "{}", found[2]);
        assert!(found[3].starts_with("line 6: badge 3 of cps is \"C\" (no rank) on line 5"));
        assert!(found[4].starts_with("line 8: team \"T2\" is foot on line 7"));
        assert!(found[5].starts_with("line 9: this assignment shares days with the one on line 5"));
        assert!(
            found[6].starts_with("line 10: agency: An agency code"),
            "{}",
            found[6]
        );
    }

    #[test]
    fn a_header_missing_or_adding_columns_is_refused_whole() {
        let found = reasons(parse(
            "agency,badge,name,rank,team,team_mode,role,starts_on,ends_on\ncps,1,A,,,,r,2023-03-01,2023-03-01\n",
            &pilot(),
        ));
        assert_eq!(
            found,
            [
                "line 1: the header row lacks badge_number; unknown column badge: an officers file \
              has the columns agency, badge_number, name, rank, team, team_mode, role, \
              starts_on, ends_on"
            ]
        );
        assert_eq!(
            reasons(parse(HEADER, &pilot())),
            ["line 1: the file has no rows to import"]
        );
    }
}
