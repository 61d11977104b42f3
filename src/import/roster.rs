//! Rosters as CSV, in the columns of the `shifts` export, so an export can be edited and
//! imported back.
//!
//! Read: `id` and `version` (optional: a row without an id is a new shift), `team_id` or
//! `team_name`, `starts_at` and `ends_at` (RFC 3339 instants with their UTC offset), `mode`,
//! `status`, `officer_ids` and `hotspot_ids` (ids separated by `;`), `notes` (optional: without
//! the column, stored notes are kept) and `rest_reason` (optional, not exported: why an officer
//! may have less than the usual rest). Every other column of the export is read-only and
//! ignored; a column the export does not have is refused, so a misspelt `note` cannot quietly
//! leave the notes out.
//!
//! This step only reads the cells. Whether a row's team, officers and hotspots belong to the
//! pilot, and whether it clashes, is decided against the database in `roster_apply`.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::text;
use super::{Origin, RowError};
use crate::domain::ShiftStatus;
use crate::domain::ids::{HotspotId, OfficerId, ShiftId, TeamId};
use crate::domain::shift_draft::read_instant;
use crate::export::cell::restore;

/// Columns a file must have.
const REQUIRED: [&str; 6] = [
    "starts_at",
    "ends_at",
    "mode",
    "status",
    "officer_ids",
    "hotspot_ids",
];

/// Columns read when the file has them: a team needs one of `team_id` and `team_name`;
/// `rest_reason` is not exported.
const OPTIONAL: [&str; 6] = [
    "id",
    "version",
    "team_id",
    "team_name",
    "notes",
    "rest_reason",
];

/// How a row names its team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRef {
    pub id: Option<TeamId>,
    pub name: Option<String>,
}

/// One row of a roster file, read but not yet checked against the pilot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub origin: Origin,
    /// The shift it changes; `None` for a new shift.
    pub id: Option<ShiftId>,
    /// The shift's version when it was exported; `None`: overwrite whatever is stored.
    pub version: Option<i32>,
    pub team: TeamRef,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: String,
    pub status: ShiftStatus,
    /// Ascending, without repeats.
    pub officer_ids: Vec<OfficerId>,
    /// Ascending, without repeats.
    pub hotspot_ids: Vec<HotspotId>,
    /// `None` when the file has no `notes` column.
    pub notes: Option<String>,
    pub rest_reason: String,
}

/// A text cell as written: without the `'` the export puts before a formula trigger that starts
/// the text or follows a separator (`'-5 people` was `-5 people`, `x;'=1` was `x;=1`).
pub fn cell_text(raw: &str) -> String {
    restore(raw).into_owned()
}

/// Ids separated by `;` (commas and spaces are accepted too), ascending and without repeats.
fn id_list<Id: Ord + Copy + FromStr + Into<i64>>(cell: &str) -> Result<Vec<Id>, String> {
    let mut ids = Vec::new();
    for part in cell
        .split([';', ',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match part.parse::<Id>() {
            Ok(id) if id.into() > 0 => ids.push(id),
            _ => return Err(format!("{} is not an id", text::quoted(part))),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The columns of the `shifts` export, which a roster file may carry.
fn known_columns() -> Vec<&'static str> {
    let mut known: Vec<&'static str> = REQUIRED.into_iter().chain(OPTIONAL).collect();
    if let Some(shifts) = crate::export::find("shifts") {
        known.extend(shifts.header());
    }
    known
}

/// Every row that could be read, and every bad row. A bad header gives no rows.
pub fn parse(text: &str) -> (Vec<RosterRow>, Vec<RowError>) {
    let text = text::strip_bom(text);
    let header_error = |reason: String| (Vec::new(), vec![Origin::line(1).error(reason)]);
    let (reader, headers) = match text::csv_with_header(text) {
        Ok(read) => read,
        Err(error) => return (Vec::new(), vec![error]),
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| text::normalise(h).to_lowercase())
        .collect();
    let known = known_columns();
    let unknown: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_empty() && !known.contains(n))
        .collect();
    if !unknown.is_empty() {
        return header_error(format!(
            "unknown column{} {}: a roster file has the columns of the shifts export (and may add rest_reason)",
            if unknown.len() == 1 { "" } else { "s" },
            text::excerpt(&unknown.join(", "))
        ));
    }
    let column: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| !column.contains_key(c))
        .collect();
    if !column.contains_key("team_id") && !column.contains_key("team_name") {
        missing.insert(0, "team_id or team_name");
    }
    if !missing.is_empty() {
        return header_error(format!(
            "the header row lacks {}: export the roster (shifts.csv) to see the columns",
            missing.join(", ")
        ));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen_ids: HashMap<ShiftId, usize> = HashMap::new();
    for row in text::rows(reader, text, headers.len()) {
        let (origin, record) = match row {
            Ok(row) => row,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let cell = |name: &str| column.get(name).and_then(|&i| record.get(i)).map(str::trim);
        match read_row(origin, &cell) {
            Ok(row) => {
                if let Some(id) = row.id
                    && let Some(first) = seen_ids.insert(id, origin.line)
                {
                    errors.push(origin.error(format!(
                        "shift #{id} is already on line {first}; a shift may appear once"
                    )));
                    continue;
                }
                rows.push(row);
            }
            Err(problems) => errors.push(origin.error(problems.join("; "))),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(Origin::line(1).error("the file has no rows to import"));
    }
    (rows, errors)
}

/// One row's cells, or every problem with them.
fn read_row<'a>(
    origin: Origin,
    cell: &impl Fn(&str) -> Option<&'a str>,
) -> Result<RosterRow, Vec<String>> {
    let mut problems = Vec::new();
    let mut number = |name: &str| -> Option<i64> {
        let value = cell(name).unwrap_or("");
        if value.is_empty() {
            return None;
        }
        match value.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                problems.push(format!(
                    "{name} {} is not a positive whole number",
                    text::quoted(value)
                ));
                None
            }
        }
    };
    let id = number("id").map(ShiftId);
    // A version past what is stored can only mismatch it, which is reported later.
    let version = number("version").map(|v| i32::try_from(v).unwrap_or(i32::MAX));
    let team_id = number("team_id").map(TeamId);
    let team_name = cell("team_name")
        .filter(|n| !n.is_empty())
        .map(|n| text::normalise(&cell_text(n)));
    if team_id.is_none() && team_name.is_none() {
        problems.push("give the team's team_id or team_name".into());
    }
    let value = |name: &str| cell(name).unwrap_or("");
    let starts_at = noted(&mut problems, "starts_at", read_instant(value("starts_at")));
    let ends_at = noted(&mut problems, "ends_at", read_instant(value("ends_at")));
    let status = value("status").to_lowercase();
    let status = match status.parse::<ShiftStatus>() {
        Ok(status) => Some(status),
        Err(_) => {
            let known: Vec<&str> = ShiftStatus::ALL.iter().map(|s| s.as_str()).collect();
            problems.push(format!(
                "status {} is not one of {}",
                text::quoted(&status),
                known.join(", ")
            ));
            None
        }
    };
    let officer_ids = noted(&mut problems, "officer_ids", id_list(value("officer_ids")));
    let hotspot_ids = noted(&mut problems, "hotspot_ids", id_list(value("hotspot_ids")));
    match (starts_at, ends_at, status, officer_ids, hotspot_ids) {
        (Some(starts_at), Some(ends_at), Some(status), Some(officer_ids), Some(hotspot_ids))
            if problems.is_empty() =>
        {
            Ok(RosterRow {
                origin,
                id,
                version,
                team: TeamRef {
                    id: team_id,
                    name: team_name,
                },
                starts_at,
                ends_at,
                mode: cell("mode").unwrap_or("").to_string(),
                status,
                officer_ids,
                hotspot_ids,
                notes: cell("notes").map(|n| cell_text(n).trim().to_string()),
                rest_reason: cell_text(cell("rest_reason").unwrap_or(""))
                    .trim()
                    .to_string(),
            })
        }
        _ => Err(problems),
    }
}

/// `result`'s value, or `None` with its problem noted against the column `name`.
fn noted<T>(problems: &mut Vec<String>, name: &str, result: Result<T, String>) -> Option<T> {
    result
        .map_err(|e| problems.push(format!("{name}: {e}")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,team_id,team_name,starts_at,starts_local,ends_at,ends_local,duration_minutes,mode,status,members,officer_ids,hotspot_ids,notes,version,created_by,updated_by,updated_at,updated_local";

    #[test]
    fn an_exported_row_reads_back_with_its_read_only_columns_ignored() {
        let text = format!(
            "\u{feff}{HEADER}\r\n\
             12,3,Pair 1,2023-03-12T05:00:00+00:00,2023-03-11T22:00:00-07:00,2023-03-12T12:00:00+00:00,2023-03-12T06:00:00-06:00,420,foot,planned,2,7;5,101;100,'-5 people,4,sup,,2023-03-01T00:00:00+00:00,2023-02-28T17:00:00-07:00\r\n"
        );
        let (rows, errors) = parse(&text);
        assert_eq!(errors, []);
        let row = &rows[0];
        assert_eq!(
            (row.id, row.version, row.team.id),
            (Some(ShiftId(12)), Some(4), Some(TeamId(3)))
        );
        assert_eq!(row.officer_ids, [OfficerId(5), OfficerId(7)]);
        assert_eq!(row.hotspot_ids, [HotspotId(100), HotspotId(101)]);
        assert_eq!(row.notes.as_deref(), Some("-5 people"));
        assert_eq!((row.ends_at - row.starts_at).num_hours(), 7);
        assert_eq!(row.origin.line, 2);
    }

    #[test]
    fn every_bad_row_is_listed_with_its_physical_line() {
        let text = "team_name,starts_at,ends_at,mode,status,officer_ids,hotspot_ids,notes\n\
                    Pair 1,2023-03-11T22:00:00-07:00,2023-03-12T06:00:00-06:00,foot,planned,1,,\"two\nlines\"\n\
                    Pair 1,2023-03-11 22:00,2023-03-12T06:00:00-06:00,foot,done,1;x,,\n\
                    ,2023-03-11T22:00:00-07:00,2023-03-12T06:00:00-06:00,foot,planned,1,,\n\
                    Pair 1,2023-03-11T22:00:00-07:00\n";
        let (rows, errors) = parse(text);
        assert_eq!(rows.len(), 1);
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5, 6]);
        for part in ["starts_at", "status \"done\"", "\"x\" is not an id"] {
            assert!(errors[0].reason.contains(part), "{}", errors[0]);
        }
        assert!(errors[1].reason.contains("team"), "{}", errors[1]);
        assert!(errors[2].reason.contains("fields"), "{}", errors[2]);
    }

    #[test]
    fn a_header_without_needed_columns_or_with_unknown_ones_is_refused() {
        let (_, errors) = parse("id,starts_at,ends_at,mode,status\n1,,,,\n");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .reason
                .contains("team_id or team_name, officer_ids, hotspot_ids")
        );
        let (_, errors) =
            parse("team_id,starts_at,ends_at,mode,status,officer_ids,hotspot_ids,note\n1,,,,,,,\n");
        assert!(
            errors[0].reason.contains("unknown column note"),
            "{}",
            errors[0]
        );
        let (_, errors) = parse("team_id,starts_at,ends_at,mode,status,officer_ids,hotspot_ids\n");
        assert!(errors[0].reason.contains("no rows"));
    }

    #[test]
    fn a_shift_may_appear_once() {
        let row = "7,1,2023-03-11T22:00:00-07:00,2023-03-12T06:00:00-06:00,foot,planned,1,";
        let text = format!(
            "id,team_id,starts_at,ends_at,mode,status,officer_ids,hotspot_ids\n{row}\n{row}\n"
        );
        let (rows, errors) = parse(&text);
        assert_eq!(rows.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].reason.contains("already on line 2"));
    }
}
