//! The roster week's grid: the days' headings, a team's row of days, each day's shift cards and
//! "+" link, and the legend of the agency labels on the cards.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::roster_day::day_href;
use crate::db::roster::ShiftView;
use crate::domain::agency::{Agencies, AgencyCode};
use crate::domain::ids::{ShiftId, TeamId};
use crate::web::scope::Scope;

/// A shift in a grid cell.
pub struct ShiftCard {
    pub id: ShiftId,
    pub times: String,
    pub status: String,
    /// A cancelled shift shows as one line, its reason a click away.
    pub cancelled: bool,
    pub mode: String,
    pub members: Vec<Member>,
    pub hotspots: String,
    pub notes: String,
    /// Why it was cancelled, when it was and someone said.
    pub cancel_reason: String,
    pub highlighted: bool,
}

/// A member of a shift, with their agency told apart by its label as well as a colour.
pub struct Member {
    pub name: String,
    /// The agency's short label (the caption names each agency in full).
    pub label: String,
    /// Which of the agency colours marks the label.
    pub colour: usize,
}

/// How many colours tell agencies apart on roster cards (`.agency-N` in the stylesheet).
const AGENCY_COLOURS: usize = 4;

/// A day's heading of the grid, linked to the roster of that day when it is in the pilot.
pub struct DayHead {
    pub weekday: String,
    pub date: String,
    pub href: Option<String>,
    /// "9 shifts": the day's shifts not cancelled, for the list of days above the grid.
    pub shifts: String,
}

impl DayHead {
    /// The heading of `day`, which has `shifts` shifts not cancelled.
    pub fn new(
        day: NaiveDate,
        slug: &str,
        pilot: RangeInclusive<NaiveDate>,
        shifts: i64,
    ) -> DayHead {
        DayHead {
            weekday: day.format("%a").to_string(),
            date: day.format("%-d %b").to_string(),
            href: pilot.contains(&day).then(|| day_href(slug, day)),
            shifts: crate::domain::numbers::counted(shifts, "shift", "shifts"),
        }
    }
}

/// A team's row of the grid: its shifts on each day.
pub struct TeamRow {
    pub name: String,
    pub kind: String,
    pub id: TeamId,
    pub days: Vec<DayCell>,
}

/// A team's day: its shifts, and a link to add one when the viewer may and the day is in the
/// pilot.
pub struct DayCell {
    pub shifts: Vec<ShiftCard>,
    pub add: Option<AddLink>,
}

/// "New shift for Bike Unit A on Mon 13 Mar", opening the form on that team and day.
pub struct AddLink {
    pub href: String,
    pub label: String,
}

/// What the labels on the week's cards stand for: "CPS = Calgary Police Service, …", in the order
/// of the agencies.
pub fn legend(agencies: &Agencies, shifts: &[&ShiftView]) -> String {
    agencies
        .iter()
        .filter(|agency| {
            shifts
                .iter()
                .any(|s| s.member_agencies.contains(&agency.code))
        })
        .map(|agency| format!("{} = {}", agency.label, agency.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The card of `shift` in the week grid, highlighted when it is the one just saved.
pub fn card(
    shift: &ShiftView,
    scope: &Scope,
    agencies: &Agencies,
    highlight: Option<ShiftId>,
) -> ShiftCard {
    let start = shift.starts_at.with_timezone(&scope.zone);
    let end = shift.ends_at.with_timezone(&scope.zone);
    let next_day = if end.date_naive() > start.date_naive() {
        " (+1 day)"
    } else {
        ""
    };
    // By agency, and by name within an agency (the order the shift lists them in).
    let mut members: Vec<(&String, &AgencyCode)> =
        shift.members.iter().zip(&shift.member_agencies).collect();
    members.sort_by_key(|&(_, agency)| agencies.position(agency));
    ShiftCard {
        id: shift.id,
        times: format!(
            "{}–{}{next_day}",
            start.format("%H:%M"),
            end.format("%H:%M")
        ),
        status: shift.status.to_string(),
        cancelled: !shift.status.counts(),
        mode: shift.mode.to_string(),
        members: members
            .into_iter()
            .map(|(name, agency)| Member {
                name: name.clone(),
                label: agencies.label(agency).to_string(),
                colour: agencies.position(agency).unwrap_or(0) % AGENCY_COLOURS,
            })
            .collect(),
        hotspots: shift.hotspots.join(", "),
        notes: shift.notes.clone(),
        cancel_reason: shift.cancel_reason.clone(),
        highlighted: highlight == Some(shift.id),
    }
}
