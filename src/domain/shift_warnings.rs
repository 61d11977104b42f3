//! What a saved shift may lack without being wrong: hotspots to be directed to, and, for a joint
//! team, officers of more than one agency. The shift is kept; the supervisor reads why it may
//! need another look, as with too little rest ([`super::roster_checks`]).

use std::fmt;

use super::agency::{Agencies, AgencyCode, TeamAgency};

/// Something about a shift a supervisor should look at again, though it may stand. Its
/// `Display` is the sentence they read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftWarning {
    /// Directed to no hotspot: the shift adds nothing to planned coverage.
    NoHotspots,
    /// A joint team (a Sheriff/CPS pair) whose officers on the shift are all of one agency.
    OneAgency { team: String, agency: String },
}

impl fmt::Display for ShiftWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShiftWarning::NoHotspots => f.write_str(
                "This shift is directed to no hotspot, so it adds nothing to planned coverage. \
                 Edit it to choose the hotspots it patrols.",
            ),
            ShiftWarning::OneAgency { team, agency } => write!(
                f,
                "{team} is a joint team, but every officer on this shift is from {agency}: \
                 add an officer of the partner agency, or edit the shift if that is intended."
            ),
        }
    }
}

/// The warnings of a shift of a team of `team_agency` named `team`, directed to `hotspots`
/// hotspots, with officers of `member_agencies` (one per officer); `agencies` name them.
pub fn shift_warnings(
    team: &str,
    team_agency: &TeamAgency,
    hotspots: usize,
    member_agencies: &[AgencyCode],
    agencies: &Agencies,
) -> Vec<ShiftWarning> {
    let mut warnings = Vec::new();
    if hotspots == 0 {
        warnings.push(ShiftWarning::NoHotspots);
    }
    if let (TeamAgency::Joint, [first, rest @ ..]) = (team_agency, member_agencies)
        && rest.iter().all(|a| a == first)
    {
        warnings.push(ShiftWarning::OneAgency {
            team: team.to_string(),
            agency: agencies.name(first).to_string(),
        });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> AgencyCode {
        AgencyCode::parse(text).unwrap()
    }

    #[test]
    fn a_shift_without_hotspots_is_warned_about() {
        let solo = TeamAgency::Agency(code("cps"));
        let none = Agencies::default();
        assert_eq!(
            shift_warnings("Bike Unit A", &solo, 0, &[code("cps")], &none),
            [ShiftWarning::NoHotspots]
        );
        assert!(shift_warnings("Bike Unit A", &solo, 2, &[code("cps")], &none).is_empty());
    }

    #[test]
    fn a_joint_team_with_officers_of_one_agency_only_is_warned_about() {
        let none = Agencies::default();
        let sheriffs = [code("alberta_sheriffs"), code("alberta_sheriffs")];
        let warnings = shift_warnings(
            "Sheriff/CPS Pair 3",
            &TeamAgency::Joint,
            1,
            &sheriffs,
            &none,
        );
        assert_eq!(
            warnings,
            [ShiftWarning::OneAgency {
                team: "Sheriff/CPS Pair 3".into(),
                agency: "alberta_sheriffs".into()
            }]
        );
        assert!(warnings[0].to_string().starts_with(
            "Sheriff/CPS Pair 3 is a joint team, but every officer on this shift is from alberta_sheriffs"
        ));
        let pair = [code("alberta_sheriffs"), code("cps")];
        assert!(shift_warnings("P", &TeamAgency::Joint, 1, &pair, &none).is_empty());
        // No officers yet: nothing to say about their agencies.
        assert!(shift_warnings("P", &TeamAgency::Joint, 1, &[], &none).is_empty());
    }
}
