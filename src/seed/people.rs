//! The demo's officers and teams. Every name is invented; badge numbers are made up too.

use super::roster::ShiftKind;
use crate::db::seed::{OfficerRow, TeamRow};
use crate::domain::Mode;

/// `officers.agency` of a provincial sheriff.
pub const SHERIFFS: &str = "alberta_sheriffs";
/// `officers.agency` of a Calgary Police Service officer.
pub const CPS: &str = "cps";

/// The agencies of the demo's (and the city-scale pilot's) officers: code, name and label.
pub const AGENCIES: [(&str, &str, &str); 2] = [
    (SHERIFFS, "Alberta Sheriffs", "Sheriffs"),
    (CPS, "Calgary Police Service", "CPS"),
];

/// An officer of the demo, ready to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerDef {
    /// `alberta_sheriffs` or `cps`.
    pub agency: &'static str,
    /// Unique within the agency.
    pub badge_number: &'static str,
    /// Full name (fictional).
    pub name: &'static str,
    /// Rank as the agency writes it.
    pub rank: &'static str,
    /// The unit the officer normally works in.
    pub home_unit: &'static str,
    /// The role of the officer's assignment to the pilot.
    pub role: &'static str,
}

impl OfficerDef {
    /// The officer as the store inserts them.
    pub fn row(&self) -> OfficerRow<'_> {
        OfficerRow {
            agency: self.agency,
            badge_number: self.badge_number,
            name: self.name,
            rank: self.rank,
            home_unit: self.home_unit,
            role: self.role,
        }
    }
}

const fn sheriff(badge_number: &'static str, name: &'static str, rank: &'static str) -> OfficerDef {
    OfficerDef {
        agency: SHERIFFS,
        badge_number,
        name,
        rank,
        home_unit: "Sheriffs Branch – Calgary",
        role: "sheriff_pilot",
    }
}

const fn cps(
    badge_number: &'static str,
    name: &'static str,
    rank: &'static str,
    home_unit: &'static str,
) -> OfficerDef {
    OfficerDef {
        agency: CPS,
        badge_number,
        name,
        rank,
        home_unit,
        role: "cps_partner",
    }
}

const D1: &str = "District 1";
const BIKES: &str = "District 1 – Bike Unit";

/// The 12 sheriffs of the pilot, then 30 CPS officers; teams refer to them by index.
pub const OFFICERS: [OfficerDef; 42] = [
    sheriff("S-1041", "Dana Whitcombe", "Sergeant"),
    sheriff("S-1043", "Marcus Oyelaran", "Sheriff"),
    sheriff("S-1047", "Priya Raghunathan", "Sheriff"),
    sheriff("S-1052", "Colin Ferreira", "Sheriff"),
    sheriff("S-1058", "Jenna Blackwood", "Sergeant"),
    sheriff("S-1060", "Tomasz Zielny", "Sheriff"),
    sheriff("S-1066", "Aaliyah Okonkwo-Reid", "Sheriff"),
    sheriff("S-1071", "Brett Lindqvist", "Sheriff"),
    sheriff("S-1075", "Mei-Lin Tsao", "Sheriff"),
    sheriff("S-1079", "Owen Kaminsky-Hart", "Sheriff"),
    sheriff("S-1084", "Sofia Marchetti-Lowe", "Sheriff"),
    sheriff("S-1090", "Harjit Bansal-Moore", "Sheriff"),
    // Partners in the joint pairs.
    cps("4127", "Kevin Ashdown", "Constable", D1),
    cps("4133", "Rachel Nakamura-Finch", "Constable", D1),
    cps("4150", "Andre Beaulieu-Grant", "Constable", D1),
    cps("4162", "Tara Whiteley", "Constable", D1),
    cps("4178", "Samuel Adeyemi-Stroud", "Constable", D1),
    cps("4185", "Leah Corcoran", "Constable", D1),
    cps("4191", "Nikhil Varadan", "Constable", D1),
    cps("4203", "Erin Holloway-Tate", "Constable", D1),
    // D1 Beat Team 1.
    cps("3912", "Graham Pettigrew", "Sergeant", D1),
    cps("4218", "Chloe Ambrose", "Constable", D1),
    cps("4224", "Daniel Oduya", "Constable", D1),
    cps("4236", "Monique Lavallee-Brandt", "Constable", D1),
    cps("4241", "Ryan Szabo", "Constable", D1),
    cps("4257", "Fatima Qureshi-Dale", "Constable", D1),
    // D1 Beat Team 2.
    cps("3968", "Heather McCrindle", "Sergeant", D1),
    cps("4262", "Jordan Pelletier", "Constable", D1),
    cps("4270", "Amira Haddad-Cole", "Constable", D1),
    cps("4283", "Lucas Brennan-Wu", "Constable", D1),
    cps("4299", "Natalie Forsythe", "Constable", D1),
    // D1 Beat Team 3.
    cps("3987", "Victor Delacroix-Hume", "Sergeant", D1),
    cps("4305", "Jasmine Toor-Bell", "Constable", D1),
    cps("4312", "Ethan Ravensworth", "Constable", D1),
    cps("4326", "Yuki Morrissey", "Constable", D1),
    cps("4331", "Caleb Onwuachi", "Constable", D1),
    // Bike Unit A.
    cps("4017", "Brianna Kowalczuk", "Constable", BIKES),
    cps("4344", "Isaac Thorvaldsen", "Constable", BIKES),
    cps("4358", "Maya Castellanos", "Constable", BIKES),
    // Bike Unit B.
    cps("4029", "Connor Abernathy-Sing", "Constable", BIKES),
    cps("4362", "Paige Rutherford-Li", "Constable", BIKES),
    cps("4377", "Omar Farouk-Ellis", "Constable", BIKES),
];

/// A team of the demo pilot and how it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamDef {
    /// Unique within the pilot.
    pub name: &'static str,
    /// `alberta_sheriffs`, `cps` or `joint`.
    pub agency: &'static str,
    /// `foot`, `bike` or `vehicle`; the team's shifts use it too.
    pub mode: Mode,
    /// Indices into [`OFFICERS`]; an officer is in exactly one team, so rosters cannot clash.
    pub members: &'static [usize],
    /// Day of the 8-day cycle (4 on, 4 off) on which the team starts its first block.
    pub offset: u32,
    /// The kinds of shift the team works, one per 4-day block, in turn.
    pub rotation: &'static [ShiftKind],
}

impl TeamDef {
    /// The team as the store inserts it.
    pub fn row(&self) -> TeamRow<'_> {
        TeamRow {
            name: self.name,
            agency: self.agency,
            mode: self.mode,
        }
    }
}

use ShiftKind::{Day, Evening, Night};

/// The nine teams of the demo pilot.
pub const TEAMS: [TeamDef; 9] = [
    TeamDef {
        name: "Sheriff/CPS Pair 1",
        agency: "joint",
        mode: Mode::Foot,
        members: &[0, 1, 2, 12, 13],
        offset: 4,
        rotation: &[Evening, Night, Day],
    },
    TeamDef {
        name: "Sheriff/CPS Pair 2",
        agency: "joint",
        mode: Mode::Foot,
        members: &[3, 4, 5, 14, 15],
        offset: 6,
        rotation: &[Day, Evening, Night],
    },
    TeamDef {
        name: "Sheriff/CPS Pair 3",
        agency: "joint",
        mode: Mode::Foot,
        members: &[6, 7, 8, 16, 17],
        offset: 2,
        rotation: &[Day, Evening, Night],
    },
    TeamDef {
        name: "Sheriff/CPS Pair 4",
        agency: "joint",
        mode: Mode::Foot,
        members: &[9, 10, 11, 18, 19],
        offset: 6,
        rotation: &[Night, Day, Evening],
    },
    TeamDef {
        name: "D1 Beat Team 1",
        agency: "cps",
        mode: Mode::Foot,
        members: &[20, 21, 22, 23, 24, 25],
        offset: 1,
        rotation: &[Evening, Night, Day],
    },
    TeamDef {
        name: "D1 Beat Team 2",
        agency: "cps",
        mode: Mode::Foot,
        members: &[26, 27, 28, 29, 30],
        offset: 3,
        rotation: &[Night, Day, Evening],
    },
    TeamDef {
        name: "D1 Beat Team 3",
        agency: "cps",
        mode: Mode::Foot,
        members: &[31, 32, 33, 34, 35],
        offset: 0,
        rotation: &[Night, Day, Evening],
    },
    TeamDef {
        name: "Bike Unit A",
        agency: "cps",
        mode: Mode::Bike,
        members: &[36, 37, 38],
        offset: 7,
        rotation: &[Evening, Day],
    },
    TeamDef {
        name: "Bike Unit B",
        agency: "cps",
        mode: Mode::Bike,
        members: &[39, 40, 41],
        offset: 4,
        rotation: &[Evening, Day],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_12_sheriffs_and_about_30_cps_officers_with_unique_badges() {
        let sheriffs = OFFICERS.iter().filter(|o| o.agency == SHERIFFS).count();
        let cps = OFFICERS.iter().filter(|o| o.agency == CPS).count();
        assert_eq!(sheriffs, 12);
        assert!((28..=32).contains(&cps));
        let mut keys: Vec<_> = OFFICERS
            .iter()
            .map(|o| (o.agency, o.badge_number))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), OFFICERS.len());
        assert!(
            OFFICERS
                .iter()
                .all(|o| !o.rank.is_empty() && !o.home_unit.is_empty())
        );
    }

    #[test]
    fn every_officer_is_in_exactly_one_team() {
        let mut seen = vec![0; OFFICERS.len()];
        for team in &TEAMS {
            for &m in team.members {
                seen[m] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
    }

    #[test]
    fn joint_pairs_hold_sheriffs_and_cps_and_other_teams_only_cps() {
        for team in &TEAMS {
            let agencies: Vec<_> = team.members.iter().map(|&m| OFFICERS[m].agency).collect();
            if team.agency == "joint" {
                assert!(
                    agencies.contains(&SHERIFFS) && agencies.contains(&CPS),
                    "{}",
                    team.name
                );
            } else {
                assert!(agencies.iter().all(|&a| a == team.agency), "{}", team.name);
            }
        }
    }
}
