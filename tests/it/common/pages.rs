//! The list of every page, for the tests that check them all.

use patrolboard::domain::Role;

/// Who may see a page: a role and those above it, or only those who edit rosters (supervisors
/// and admins, not analysts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    From(Role),
    RosterEditors,
    /// One role only: an officer's own page.
    Only(Role),
}

impl Audience {
    /// The least role that may see the page.
    pub fn least(self) -> Role {
        match self {
            Audience::From(role) => role,
            Audience::RosterEditors => Role::Supervisor,
            Audience::Only(role) => role,
        }
    }

    /// Whether `role` may see the page.
    pub fn admits(self, role: Role) -> bool {
        match self {
            Audience::From(least) => role >= least,
            Audience::RosterEditors => matches!(role, Role::Supervisor | Role::Admin),
            Audience::Only(only) => role == only,
        }
    }
}

const EVERYONE: Audience = Audience::From(Role::Officer);
const OFFICER: Audience = Audience::Only(Role::Officer);
const VIEWER: Audience = Audience::From(Role::Viewer);
const SUPERVISOR: Audience = Audience::From(Role::Supervisor);
const ANALYST: Audience = Audience::From(Role::Analyst);
const ADMIN: Audience = Audience::From(Role::Admin);
const ROSTER_EDITORS: Audience = Audience::RosterEditors;

/// Every page of the demo pilot, for the checks that go over them all (axe and the window's width
/// in `browser`, the size budget in `budget`): the path, who may see it, and a CSS selector for
/// something only the real page shows them (not an error page). A new page is one line here.
pub const EVERY_PAGE: &[(&str, Audience, &str)] = &[
    ("/", VIEWER, r#"th[data-slug="calgary-2023"]"#),
    ("/admin/users", ADMIN, "table.data tbody th"),
    ("/admin/agencies", ADMIN, "table.agencies tbody th"),
    ("/admin/pilots", ADMIN, "table.pilots tbody th"),
    ("/admin/pilots/calgary-2023", ADMIN, "#time_zone"),
    ("/pilots/calgary-2023", VIEWER, "#gaps-heading"),
    (
        "/pilots/calgary-2023?district=DNC&shade=planned",
        VIEWER,
        "#gaps-heading",
    ),
    (
        "/pilots/calgary-2023/now?at=2023-03-15T14:00",
        EVERYONE,
        "#overdue-heading",
    ),
    ("/me", OFFICER, "#my-shift"),
    (
        "/pilots/calgary-2023/districts/BLN",
        VIEWER,
        "#community-heading",
    ),
    ("/pilots/calgary-2023/evaluation", VIEWER, "#answer-heading"),
    ("/pilots/calgary-2023/hotspots/1", VIEWER, "#visits-heading"),
    (
        "/pilots/calgary-2023/officers",
        VIEWER,
        "table.figures tbody th",
    ),
    (
        "/pilots/calgary-2023/officers/1",
        VIEWER,
        "table.figures tbody th",
    ),
    (
        "/pilots/calgary-2023/roster?week=2023-W11",
        VIEWER,
        "table.roster",
    ),
    (
        "/pilots/calgary-2023/roster?week=2023-W11&district=DNC",
        VIEWER,
        "#roster-filter",
    ),
    (
        "/pilots/calgary-2023/roster/day?date=2023-03-15",
        VIEWER,
        "section.team-day article.shift",
    ),
    (
        "/pilots/calgary-2023/shifts/new?week=2023-W11",
        ROSTER_EDITORS,
        "#team_id",
    ),
    (
        "/pilots/calgary-2023/roster/copy?week=2023-W11",
        ROSTER_EDITORS,
        "#from_week",
    ),
    ("/shifts/1/log", VIEWER, "#activities-heading"),
    ("/shifts/1/log", ROSTER_EDITORS, "#new-visit-heading"),
    ("/shifts/1/edit", ROSTER_EDITORS, "#team_id"),
    ("/shifts/1/cancel", ROSTER_EDITORS, "#reason"),
    ("/shifts/3/edit", ROSTER_EDITORS, "#cancelled-banner"),
    ("/hotspots/1/edit", ANALYST, "#outline-heading"),
    ("/districts/1/edit", ANALYST, "#name-heading"),
    ("/audit", SUPERVISOR, "main table"),
    (
        "/exports?pilot=calgary-2023",
        SUPERVISOR,
        "#dictionary-heading",
    ),
    ("/calendar?pilot=calgary-2023", ROSTER_EDITORS, "main table"),
    ("/imports", ANALYST, "#formats-heading"),
    (
        "/pilots/calgary-2023/districts/from-communities",
        ANALYST,
        "input[name=codes]",
    ),
    (
        "/pilots/calgary-2023/officers/new",
        ANALYST,
        "#badge_number",
    ),
    (
        "/pilots/calgary-2023/officers/1/edit",
        ANALYST,
        "#badge_number",
    ),
    ("/pilots/calgary-2023/officers/1", ANALYST, "#assignments"),
    ("/pilots/calgary-2023/teams", VIEWER, "#teams"),
    ("/pilots/calgary-2023/teams", ANALYST, "#add-heading"),
    ("/account/password", VIEWER, "#current_password"),
];
