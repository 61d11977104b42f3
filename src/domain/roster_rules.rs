//! What a pilot's roster may hold: its dates and zone, its teams, the officers assigned to it and
//! when, and its hotspots and when they are active. [`crate::domain::shift_draft::ShiftDraft`]
//! checks a shift against these.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::agency::TeamAgency;
use super::ids::{HotspotId, OfficerId, TeamId};
use super::shift_status::Mode;

/// A team of a pilot.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    /// One agency, or joint.
    pub agency: TeamAgency,
    /// How the team usually patrols: a new shift of the team starts with it.
    pub mode: Mode,
}

/// One assignment of an officer to a pilot, from its first to its last day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Assignment {
    pub officer_id: OfficerId,
    /// The officer's name.
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Assignment {
    /// Whether the officer is assigned on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }
}

/// A hotspot of a pilot and when it is active (`active_to`: `None` while it still is).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterHotspot {
    pub id: HotspotId,
    pub name: String,
    pub active_from: NaiveDate,
    pub active_to: Option<NaiveDate>,
}

impl RosterHotspot {
    /// Whether the hotspot is active on `day`.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.active_from <= day && self.active_to.is_none_or(|to| day <= to)
    }
}

/// What the pilot allows: its dates and zone, and who and what may be rostered.
#[derive(Debug, Clone)]
pub struct RosterRules {
    pub zone: Tz,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The pilot's teams, by name.
    pub teams: Vec<Team>,
    /// The officers' assignments to the pilot, by officer name (an officer may have several).
    pub assignments: Vec<Assignment>,
    /// The pilot's hotspots, by priority and name.
    pub hotspots: Vec<RosterHotspot>,
}

impl RosterRules {
    /// The pilot's team `id`.
    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.iter().find(|team| team.id == id)
    }

    /// The name of officer `id`, when they are assigned to the pilot.
    pub fn officer_name(&self, id: OfficerId) -> Option<&str> {
        self.assignments
            .iter()
            .find(|a| a.officer_id == id)
            .map(|a| a.name.as_str())
    }

    /// The pilot's hotspot `id`.
    pub fn hotspot(&self, id: HotspotId) -> Option<&RosterHotspot> {
        self.hotspots.iter().find(|hotspot| hotspot.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 3, d).unwrap()
    }

    #[test]
    fn assignments_and_hotspots_count_their_first_and_last_days() {
        let assignment = Assignment {
            officer_id: OfficerId(1),
            name: "A".into(),
            starts_on: date(2),
            ends_on: date(4),
        };
        assert!(!assignment.covers(date(1)));
        assert!(assignment.covers(date(2)) && assignment.covers(date(4)));
        assert!(!assignment.covers(date(5)));
        let mut hotspot = RosterHotspot {
            id: HotspotId(1),
            name: "H".into(),
            active_from: date(2),
            active_to: None,
        };
        assert!(!hotspot.active_on(date(1)));
        assert!(hotspot.active_on(date(31)), "open-ended");
        hotspot.active_to = Some(date(4));
        assert!(hotspot.active_on(date(4)) && !hotspot.active_on(date(5)));
    }
}
