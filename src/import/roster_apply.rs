//! Writing a roster file into a pilot, through the roster's own write path (`db::shifts`), in
//! the import's one transaction.
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
//! whole file leads to: cancellations are written first, the members of every changed shift are
//! taken off before any row is written, and each row is checked against everything written
//! before it, so a clash between two rows is reported on the later one, naming the other line.
//! A dry run goes through the same writes and checks and is then rolled back.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;

use super::apply::{Pilot, Request};
use super::roster::{RosterRow, TeamRef, parse};
use super::{Counts, RowError, text};
use crate::db::shifts::{self, Editor, ShiftRecord, WriteError};
use crate::domain::ShiftStatus;
use crate::domain::shift_draft::{RosterRules, ShiftDraft, ShiftForm};

/// What a row does to its shift.
enum Change {
    Create(ShiftDraft),
    Update(ShiftDraft),
    Cancel,
    Unchanged,
}

/// A row with its team, its stored shift (if any) and what it changes.
struct Plan<'a> {
    row: &'a RosterRow,
    before: Option<&'a ShiftRecord>,
    change: Change,
}

type Key = (i64, DateTime<Utc>, DateTime<Utc>);

/// Reads, checks and (in the caller's transaction) writes a roster file: the number of rows
/// and the counts, or every bad row.
pub(super) async fn apply_roster(
    conn: &mut PgConnection,
    pilot: &Pilot,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<(usize, Result<Counts, Vec<RowError>>)> {
    let zone: Tz = pilot
        .time_zone
        .parse()
        .map_err(|e| anyhow::anyhow!("the time zone of pilot {}: {e}", pilot.slug))?;
    let (rows, mut errors) = parse(text);
    let rules = shifts::rules(conn, pilot.id, zone, pilot.starts_on, pilot.ends_on).await?;
    let mut teams = Vec::new();
    for row in &rows {
        match team_of(&row.team, &rules) {
            Ok(team_id) => teams.push((row, team_id)),
            Err(reason) => errors.push(row.origin.error(reason)),
        }
    }
    let stored = stored_shifts(conn, pilot.id, &teams).await?;
    let mut by_key: HashMap<Key, Vec<&ShiftRecord>> = HashMap::new();
    for shift in stored.values() {
        let key = (shift.team_id, shift.starts_at, shift.ends_at);
        by_key.entry(key).or_default().push(shift);
    }
    let mut claimed: HashMap<i64, usize> = HashMap::new();
    let mut new_keys: HashMap<Key, usize> = HashMap::new();
    let mut plans = Vec::new();
    for &(row, team_id) in &teams {
        let key = (team_id, row.starts_at, row.ends_at);
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
            Ok(change) => plans.push(Plan {
                row,
                before,
                change,
            }),
            Err(reason) => errors.push(row.origin.error(reason)),
        }
    }
    // The line of each stored shift in the file, to name it in a clash.
    let lines = claimed;
    let (counts, touched) =
        write(conn, pilot.id, zone, &plans, lines, request, &mut errors).await?;
    if errors.is_empty() && !request.dry_run && !touched.is_empty() {
        shifts::refresh(conn, pilot.id, zone, &touched)
            .await
            .context("refreshing coverage after the roster import")?;
    }
    errors.sort_by_key(|e| (e.line, e.feature));
    let result = if errors.is_empty() {
        Ok(counts)
    } else {
        Err(errors)
    };
    Ok((rows.len(), result))
}

/// The team a row names, which must be the pilot's; a `team_id` and a `team_name` that name
/// different teams are a mistake, not a choice.
fn team_of(team: &TeamRef, rules: &RosterRules) -> Result<i64, String> {
    let same = |a: &str, b: &str| text::normalise(a).to_lowercase() == b.to_lowercase();
    match (team.id, &team.name) {
        (Some(id), name) => {
            let Some((_, stored)) = rules.teams.iter().find(|(team, _)| *team == id) else {
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
            .find(|(_, stored)| same(stored, name))
            .map(|(id, _)| *id)
            .ok_or_else(|| format!("there is no team {name:?} in this pilot")),
        (None, None) => Err("give the team's team_id or team_name".into()),
    }
}

/// The pilot's shifts the rows name by id, or by team, start and end; locked until the import
/// ends.
async fn stored_shifts(
    conn: &mut PgConnection,
    pilot_id: i64,
    rows: &[(&RosterRow, i64)],
) -> anyhow::Result<HashMap<i64, ShiftRecord>> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|(row, _)| row.id).collect();
    let new: Vec<_> = rows.iter().filter(|(row, _)| row.id.is_none()).collect();
    let matching: Vec<i64> = sqlx::query_scalar(
        r#"select s.id from shifts s
             join unnest($2::int8[], $3::timestamptz[], $4::timestamptz[]) as k (team_id, starts_at, ends_at)
               on k.team_id = s.team_id and k.starts_at = s.starts_at and k.ends_at = s.ends_at
            where s.pilot_id = $1"#,
    )
    .bind(pilot_id)
    .bind(new.iter().map(|(_, team)| *team).collect::<Vec<_>>())
    .bind(new.iter().map(|(row, _)| row.starts_at).collect::<Vec<_>>())
    .bind(new.iter().map(|(row, _)| row.ends_at).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await?;
    ids.extend(matching);
    ids.sort_unstable();
    ids.dedup();
    let shifts = shifts::lock_many(conn, pilot_id, &ids).await?;
    Ok(shifts.into_iter().map(|s| (s.id, s)).collect())
}

/// What a row changes, or why it cannot.
fn plan(
    row: &RosterRow,
    team_id: i64,
    before: Option<&ShiftRecord>,
    rules: &RosterRules,
) -> Result<Change, String> {
    let notes = match (&row.notes, before) {
        (Some(notes), _) => notes.trim(),
        (None, Some(before)) => before.notes.trim(),
        (None, None) => "",
    };
    let Some(before) = before else {
        if row.status == ShiftStatus::Cancelled {
            return Err("a new shift cannot start out cancelled; leave the row out".into());
        }
        return draft(row, team_id, notes, rules).map(Change::Create);
    };
    let same_but_status = before.team_id == team_id
        && before.starts_at == row.starts_at
        && before.ends_at == row.ends_at
        && before.mode.as_str() == row.mode
        && before.notes.trim() == notes
        && before.officer_ids == row.officer_ids
        && before.hotspot_ids == row.hotspot_ids;
    if same_but_status && before.status == row.status {
        return Ok(Change::Unchanged);
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
        return Ok(Change::Cancel);
    }
    draft(row, team_id, notes, rules).map(Change::Update)
}

/// The row checked by the roster form's rules, each problem named by its column.
fn draft(
    row: &RosterRow,
    team_id: i64,
    notes: &str,
    rules: &RosterRules,
) -> Result<ShiftDraft, String> {
    let instant = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    let form = ShiftForm {
        team_id: team_id.to_string(),
        starts_at: instant(row.starts_at),
        ends_at: instant(row.ends_at),
        mode: row.mode.clone(),
        officer_ids: row.officer_ids.iter().map(i64::to_string).collect(),
        hotspot_ids: row.hotspot_ids.iter().map(i64::to_string).collect(),
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

/// Writes the plans: cancellations, then the memberships of changed shifts taken off, then
/// each new or changed shift in file order, checked against all written before it. Returns the
/// counts and every shift touched (before and after), for the coverage refresh.
async fn write(
    conn: &mut PgConnection,
    pilot_id: i64,
    zone: Tz,
    plans: &[Plan<'_>],
    mut lines: HashMap<i64, usize>,
    request: &Request<'_>,
    errors: &mut Vec<RowError>,
) -> anyhow::Result<(Counts, Vec<ShiftRecord>)> {
    let mut counts = Counts::default();
    let mut touched = Vec::new();
    fn by<'r>(request: &Request<'_>, row: &'r RosterRow) -> Editor<'r> {
        Editor {
            user_id: request.user_id,
            rest_reason: row.rest_reason.trim(),
        }
    }
    // Every officer the file adds or takes off, locked at once before any write, in the order
    // every other roster writer uses.
    let mut officers = Vec::new();
    for plan in plans {
        match (&plan.change, plan.before) {
            (Change::Create(draft), _) => officers.extend(&draft.officer_ids),
            (Change::Update(draft), Some(before)) => {
                officers.extend(&draft.officer_ids);
                officers.extend(&before.officer_ids);
            }
            (Change::Cancel, Some(before)) => officers.extend(&before.officer_ids),
            _ => {}
        }
    }
    shifts::lock_officers(conn, &officers).await?;
    for plan in plans {
        match (&plan.change, plan.before) {
            (Change::Unchanged, _) => counts.unchanged += 1,
            (Change::Cancel, Some(before)) => {
                shifts::cancel_in(conn, before, by(request, plan.row))
                    .await
                    .context("cancelling a shift of the roster file")?;
                counts.cancelled += 1;
                touched.push(before.clone());
            }
            _ => {}
        }
    }
    let changed: Vec<i64> = plans
        .iter()
        .filter(|p| matches!(p.change, Change::Update(_)))
        .filter_map(|p| p.before.map(|b| b.id))
        .collect();
    sqlx::query("delete from shift_members where shift_id = any($1)")
        .bind(&changed)
        .execute(&mut *conn)
        .await?;
    for plan in plans {
        let (row, status) = (plan.row, plan.row.status);
        let written = match (&plan.change, plan.before) {
            (Change::Create(draft), _) => {
                shifts::create_in(conn, pilot_id, zone, draft, status, by(request, row)).await
            }
            (Change::Update(draft), Some(before)) => {
                touched.push(before.clone());
                shifts::update_in(conn, before, zone, draft, status, by(request, row)).await
            }
            _ => continue,
        };
        match written {
            Ok(after) => {
                match plan.before {
                    None => counts.new += 1,
                    Some(before) if before.status.counts() && !after.status.counts() => {
                        counts.cancelled += 1
                    }
                    Some(_) => counts.updated += 1,
                }
                lines.insert(after.id, row.origin.line);
                touched.push(after);
            }
            Err(WriteError::Clash(clash)) => {
                let other = match lines.get(&clash.shift_id) {
                    Some(line) => format!("the shift of line {line}"),
                    None => format!("shift #{}", clash.shift_id),
                };
                errors.push(row.origin.error(clash.describe(zone, &other)));
            }
            Err(WriteError::NeedsRestReason(warnings)) => {
                errors.push(row.origin.error(format!(
                    "{} Say why in the rest_reason column to accept it.",
                    warnings.join(" ")
                )));
            }
            Err(WriteError::Db(sqlx::Error::Database(e)))
                if e.constraint() == Some("shift_members_no_overlap") =>
            {
                // Someone saved a clashing shift while the file was being checked; the
                // transaction is over, so the rows after this one cannot be checked.
                errors.push(row.origin.error(
                    "an officer of this row was just put on an overlapping shift by someone else; import the file again to see the clash",
                ));
                break;
            }
            Err(other) => {
                return Err(anyhow::Error::new(other)
                    .context(format!("writing the shift of line {}", row.origin.line)));
            }
        }
    }
    Ok((counts, touched))
}
