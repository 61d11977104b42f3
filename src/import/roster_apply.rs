//! Writing a roster file into a pilot, through the roster's own write path
//! (`service::roster::import_in`), in the import's one transaction.
//!
//! Which shift a row is:
//! - a row with an `id` is that shift of the pilot (an id of no shift of the pilot is a bad row);
//! - a row without one is the pilot's shift of the same team with the same start and end, if
//!   there is one (so importing a file twice creates its new shifts once), else a new shift.
//!
//! What happens to it:
//! - nothing, when every column read equals the stored shift (whatever its version says);
//! - otherwise, when the file's `version` is not the stored one, the row is bad: the shift was
//!   changed since the file was exported (leave `version` empty to overwrite regardless);
//! - a row that differs only by `status=cancelled` cancels the shift, as the cancel button does;
//! - any other change, and every new shift, goes through the roster form's rules
//!   (`ShiftDraft`), the clash check and the rest check (`rest_reason` accepts short rest).
//!
//! Shifts that are not in the file are left alone. Clashes are checked against the state the
//! whole file leads to (see `service::roster::import_in`), so a clash between two rows is
//! reported on the later one, naming the other line. A dry run goes through the same writes and
//! checks and is then rolled back.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;

use super::apply::{Pilot, Request};
use super::changes::{Change, Tally};
use super::roster::{RosterRow, TeamRef, parse};
use super::{RowError, text};
use crate::db;
use crate::db::shifts::{ShiftKey, ShiftRecord};
use crate::domain::ShiftStatus;
use crate::domain::ids::{HotspotId, OfficerId, PilotId, ShiftId, TeamId};
use crate::domain::roster_rules::RosterRules;
use crate::domain::shift_draft::{ShiftDraft, ShiftForm};
use crate::service::roster::{ImportRow, Refusal, RosterPilot, RowChange, RowOutcome, import_in};

/// Reads, checks and (in the caller's transaction) writes a roster file: the number of rows
/// and the counts, or every bad row.
pub(super) async fn apply_roster(
    conn: &mut PgConnection,
    pilot: &Pilot,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<(usize, Result<Tally, Vec<RowError>>)> {
    let zone: Tz = pilot
        .time_zone
        .parse()
        .map_err(|e| anyhow::anyhow!("the time zone of pilot {}: {e}", pilot.slug))?;
    let roster_pilot = RosterPilot {
        id: pilot.id,
        zone,
        starts_on: pilot.starts_on,
        ends_on: pilot.ends_on,
    };
    let (rows, mut errors) = parse(text);
    let rules = db::roster::rules(conn, pilot.id, zone, pilot.starts_on, pilot.ends_on).await?;
    let mut teams = Vec::new();
    for row in &rows {
        match team_of(&row.team, &rules) {
            Ok(team_id) => teams.push((row, team_id)),
            Err(reason) => errors.push(row.origin.error(reason)),
        }
    }
    let stored = stored_shifts(conn, pilot.id, &teams).await?;
    let mut by_key: HashMap<ShiftKey, Vec<&ShiftRecord>> = HashMap::new();
    for shift in stored.values() {
        by_key.entry(shift.key()).or_default().push(shift);
    }
    let mut claimed: HashMap<ShiftId, usize> = HashMap::new();
    let mut new_keys: HashMap<ShiftKey, usize> = HashMap::new();
    let (mut planned, mut plans) = (Vec::new(), Vec::new());
    for &(row, team_id) in &teams {
        let key = key_of(row, team_id);
        let before = match row.id {
            Some(id) => match stored.get(&id) {
                Some(shift) => Some(shift),
                None => {
                    errors.push(row.origin.error(format!(
                        "there is no shift #{id} in pilot {}; clear the id to add the row as a new shift",
                        pilot.slug
                    )));
                    continue;
                }
            },
            None => match by_key.get(&key).map(Vec::as_slice).unwrap_or_default() {
                [] => None,
                [shift] => Some(*shift),
                several => {
                    let ids: Vec<String> = several.iter().map(|s| format!("#{}", s.id)).collect();
                    errors.push(row.origin.error(format!(
                        "the team has several shifts with this start and end ({}): give the id of the one you mean",
                        ids.join(", ")
                    )));
                    continue;
                }
            },
        };
        let line = row.origin.line;
        let taken = match before {
            Some(shift) => claimed.insert(shift.id, line),
            None => new_keys.insert(key, line),
        };
        if let Some(other) = taken {
            errors.push(row.origin.error(match before {
                Some(shift) => {
                    format!(
                        "line {other} is already shift #{}; a shift may appear once",
                        shift.id
                    )
                }
                None => {
                    format!("line {other} already adds this team's shift at this start and end")
                }
            }));
            continue;
        }
        match plan(row, team_id, before, &rules) {
            Ok(change) => {
                planned.push(row);
                plans.push(ImportRow {
                    line,
                    change,
                    status: row.status,
                    rest_reason: &row.rest_reason,
                });
            }
            Err(reason) => errors.push(row.origin.error(reason)),
        }
    }
    let will_commit = errors.is_empty() && !request.dry_run;
    let outcomes = import_in(conn, &roster_pilot, &plans, request.user_id, will_commit)
        .await
        .map_err(|e| e.into_anyhow("importing the roster"))?;
    let counts = tally(outcomes, &planned, claimed, zone, &mut errors);
    errors.sort_by_key(|e| (e.line, e.feature));
    let result = if errors.is_empty() {
        Ok(counts)
    } else {
        Err(errors)
    };
    Ok((rows.len(), result))
}

/// Counts what the rows did, and adds a bad row for each row refused. `lines` holds the line of
/// each stored shift the file names, to name it in a clash.
fn tally(
    outcomes: Vec<RowOutcome>,
    rows: &[&RosterRow],
    mut lines: HashMap<ShiftId, usize>,
    zone: Tz,
    errors: &mut Vec<RowError>,
) -> Tally {
    for (outcome, row) in outcomes.iter().zip(rows) {
        if let RowOutcome::Created(after) | RowOutcome::Updated(after) = outcome {
            lines.insert(after.id, row.origin.line);
        }
    }
    let mut counts = Tally::default();
    for (outcome, row) in outcomes.into_iter().zip(rows) {
        let what = || {
            let starts = row
                .starts_at
                .with_timezone(&zone)
                .format("%a %-d %b %Y %H:%M");
            match row.id {
                Some(id) => format!("shift #{id} from {starts}"),
                None => format!("shift from {starts}"),
            }
        };
        let change = match outcome {
            RowOutcome::Unchanged => None,
            RowOutcome::Created(_) => Some(Change::New),
            RowOutcome::Updated(_) => Some(Change::Changed),
            RowOutcome::Cancelled(_) => Some(Change::Cancelled),
            RowOutcome::Refused(refusal) => {
                errors.push(row.origin.error(refused(refusal, zone, &lines)));
                continue;
            }
            RowOutcome::NotReached => continue,
        };
        counts.note(row.origin, change, what);
    }
    counts
}

/// The team a row names, which must be the pilot's; a `team_id` and a `team_name` that name
/// different teams are a mistake, not a choice.
fn team_of(team: &TeamRef, rules: &RosterRules) -> Result<TeamId, String> {
    let same = |a: &str, b: &str| text::normalise(a).to_lowercase() == b.to_lowercase();
    match (team.id, &team.name) {
        (Some(id), name) => {
            let Some(stored) = rules.team(id).map(|team| &team.name) else {
                return Err(format!("team_id {id} is not one of this pilot's teams"));
            };
            match name {
                Some(name) if !same(stored, name) => Err(format!(
                    "team_id {id} is {stored} but team_name says {name}; change or clear one of them"
                )),
                _ => Ok(id),
            }
        }
        (None, Some(name)) => rules
            .teams
            .iter()
            .find(|team| same(&team.name, name))
            .map(|team| team.id)
            .ok_or_else(|| format!("there is no team {name:?} in this pilot")),
        (None, None) => Err("give the team's team_id or team_name".into()),
    }
}

/// The pilot's shifts the rows name by id, or by team, start and end; locked until the import
/// ends.
async fn stored_shifts(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    rows: &[(&RosterRow, TeamId)],
) -> anyhow::Result<HashMap<ShiftId, ShiftRecord>> {
    let mut ids: Vec<ShiftId> = rows.iter().filter_map(|(row, _)| row.id).collect();
    let new: Vec<ShiftKey> = rows
        .iter()
        .filter(|(row, _)| row.id.is_none())
        .map(|&(row, team_id)| key_of(row, team_id))
        .collect();
    ids.extend(db::shifts::ids_with_keys(&mut *conn, pilot_id, &new).await?);
    ids.sort_unstable();
    ids.dedup();
    let shifts = db::shifts::lock_many(conn, pilot_id, &ids).await?;
    Ok(shifts.into_iter().map(|s| (s.id, s)).collect())
}

/// The team and times of a row.
fn key_of(row: &RosterRow, team_id: TeamId) -> ShiftKey {
    ShiftKey {
        team_id,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
    }
}

/// What a row changes, or why it cannot.
fn plan<'a>(
    row: &RosterRow,
    team_id: TeamId,
    before: Option<&'a ShiftRecord>,
    rules: &RosterRules,
) -> Result<RowChange<'a>, String> {
    let notes = match (&row.notes, before) {
        (Some(notes), _) => notes.trim(),
        (None, Some(before)) => before.notes.trim(),
        (None, None) => "",
    };
    let Some(before) = before else {
        if row.status == ShiftStatus::Cancelled {
            return Err("a new shift cannot start out cancelled; leave the row out".into());
        }
        return draft(row, team_id, notes, rules).map(RowChange::Create);
    };
    let same_but_status = before.team_id == team_id
        && before.starts_at == row.starts_at
        && before.ends_at == row.ends_at
        && before.mode.as_str() == row.mode
        && before.notes.trim() == notes
        && before.officer_ids == row.officer_ids
        && before.hotspot_ids == row.hotspot_ids;
    if same_but_status && before.status == row.status {
        return Ok(RowChange::Unchanged);
    }
    if let Some(version) = row.version
        && version != before.version
    {
        return Err(format!(
            "shift #{} changed since this file was exported (version {version} in the file, {} now): export the roster again and redo the change, or clear version to overwrite it",
            before.id, before.version
        ));
    }
    if same_but_status && row.status == ShiftStatus::Cancelled {
        return Ok(RowChange::Cancel(before));
    }
    draft(row, team_id, notes, rules).map(|draft| RowChange::Update(before, draft))
}

/// The row checked by the roster form's rules, each problem named by its column.
fn draft(
    row: &RosterRow,
    team_id: TeamId,
    notes: &str,
    rules: &RosterRules,
) -> Result<ShiftDraft, String> {
    let instant = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    let form = ShiftForm {
        team_id: team_id.to_string(),
        starts_at: instant(row.starts_at),
        ends_at: instant(row.ends_at),
        mode: row.mode.clone(),
        officer_ids: row.officer_ids.iter().map(OfficerId::to_string).collect(),
        hotspot_ids: row.hotspot_ids.iter().map(HotspotId::to_string).collect(),
        notes: notes.to_string(),
        ..ShiftForm::default()
    };
    ShiftDraft::parse_instants(&form, rules).map_err(|errors| {
        errors
            .iter()
            .map(|(field, problem)| format!("{field}: {problem}"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Why a row was refused, in a sentence naming a clashing shift by its line in the file when
/// it has one (`lines`: shift id → line).
fn refused(refusal: Refusal, zone: Tz, lines: &HashMap<ShiftId, usize>) -> String {
    match refusal {
        Refusal::Clash(clash) => {
            let other = match lines.get(&clash.shift_id) {
                Some(line) => format!("the shift of line {line}"),
                None => format!("shift #{}", clash.shift_id),
            };
            clash.describe(zone, &other)
        }
        Refusal::ShortRest(short) => {
            let warnings: Vec<String> = short.iter().map(ToString::to_string).collect();
            format!(
                "{} Say why in the rest_reason column to accept it.",
                warnings.join(" ")
            )
        }
        // The transaction is over, so the rows after this one could not be checked.
        Refusal::Overtaken => "an officer of this row was just put on an overlapping shift by someone else; import the file again to see the clash".into(),
    }
}
