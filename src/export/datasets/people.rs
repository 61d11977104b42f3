//! Officers, their assignments to the pilot, and teams.

use crate::export::dictionary::{Column, Dataset, Kind::*, col};

const AGENCY: &str = "Agency: the code of an agency of the agencies table (agencies.code).";

const OFFICER_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Officer id (officers.id).", "o.id"),
    col("agency", Code, "", AGENCY, "o.agency"),
    col(
        "badge_number",
        Text,
        "",
        "Badge number, unique within the agency.",
        "o.badge_number",
    ),
    col("name", Text, "", "Name.", "o.name"),
    col("rank", Text, "", "Rank; empty when not recorded.", "o.rank"),
    col(
        "home_unit",
        Text,
        "",
        "Home unit outside the pilot; empty when not recorded.",
        "o.home_unit",
    ),
];

/// Officers with at least one assignment to the pilot.
pub static OFFICERS: Dataset = Dataset {
    name: "officers",
    row: "an officer assigned to the pilot (at any time)",
    by_range: None,
    by_district: None,
    columns: OFFICER_COLUMNS,
    from: r#"from officers o
             where exists (select 1 from assignments a where a.officer_id = o.id and a.pilot_id = $1)"#,
    order_by: "o.id",
    counted_by: None,
};

const ASSIGNMENT_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Assignment id (assignments.id).", "a.id"),
    col(
        "officer_id",
        Integer,
        "",
        "The officer (officers.id).",
        "a.officer_id",
    ),
    col("agency", Code, "", AGENCY, "o.agency"),
    col(
        "badge_number",
        Text,
        "",
        "The officer's badge number.",
        "o.badge_number",
    ),
    col("officer_name", Text, "", "The officer's name.", "o.name"),
    col(
        "role",
        Text,
        "",
        "The officer's role in the pilot, e.g. sheriff_pilot.",
        "a.role",
    ),
    col(
        "starts_on",
        Date,
        "",
        "First day of the assignment, inclusive.",
        "a.starts_on",
    ),
    col(
        "ends_on",
        Date,
        "",
        "Last day of the assignment, inclusive.",
        "a.ends_on",
    ),
];

/// Assignments of officers to the pilot that overlap the range.
pub static ASSIGNMENTS: Dataset = Dataset {
    name: "assignments",
    row: "an officer's assignment to the pilot for a range of dates",
    by_range: Some("assignments overlapping the dates"),
    by_district: None,
    columns: ASSIGNMENT_COLUMNS,
    from: r#"from assignments a join officers o on o.id = a.officer_id
             where a.pilot_id = $1 and a.starts_on <= $4 and a.ends_on >= $3"#,
    order_by: "a.id",
    counted_by: None,
};

const TEAM_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Team id (teams.id).", "t.id"),
    col("name", Text, "", "Team name, e.g. Bike Unit A.", "t.name"),
    col(
        "agency",
        Code,
        "",
        "The code of the team's agency (agencies.code), or joint for a team of several agencies.",
        "t.agency",
    ),
    col(
        "mode",
        Code,
        "",
        "How the team usually patrols: foot, bike or vehicle.",
        "t.mode",
    ),
];

/// The teams of the pilot.
pub static TEAMS: Dataset = Dataset {
    name: "teams",
    row: "a team of the pilot",
    by_range: None,
    by_district: None,
    columns: TEAM_COLUMNS,
    from: "from teams t where t.pilot_id = $1",
    order_by: "t.id",
    counted_by: None,
};
