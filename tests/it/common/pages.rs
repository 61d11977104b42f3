//! The list of every page, for the tests that check them all.

use patrolboard::domain::Role;

/// Every page of the demo pilot, for the checks that go over them all (axe in `browser`, the size
/// budget in `budget`): the path, the least role that may see it, and a CSS selector for something
/// only the real page shows (not an error page). A new page is one line here.
pub const EVERY_PAGE: &[(&str, Role, &str)] = &[
    ("/", Role::Viewer, r#"th[data-slug="calgary-2023"]"#),
    ("/admin/users", Role::Admin, "table.data tbody th"),
    ("/admin/agencies", Role::Admin, "table.agencies tbody th"),
    ("/admin/pilots", Role::Admin, "table.pilots tbody th"),
    ("/admin/pilots/calgary-2023", Role::Admin, "#time_zone"),
    ("/pilots/calgary-2023", Role::Viewer, "#gaps-heading"),
    (
        "/pilots/calgary-2023?district=DNC&shade=planned",
        Role::Viewer,
        "#gaps-heading",
    ),
    (
        "/pilots/calgary-2023/districts/BLN",
        Role::Viewer,
        "#community-heading",
    ),
    (
        "/pilots/calgary-2023/now?at=2023-03-15T14:00",
        Role::Viewer,
        "#overdue-heading",
    ),
    (
        "/pilots/calgary-2023/evaluation",
        Role::Viewer,
        "#answer-heading",
    ),
    (
        "/pilots/calgary-2023/hotspots/1",
        Role::Viewer,
        "#visits-heading",
    ),
    (
        "/pilots/calgary-2023/officers",
        Role::Viewer,
        "table.figures tbody th",
    ),
    (
        "/pilots/calgary-2023/officers/1",
        Role::Viewer,
        "table.figures tbody th",
    ),
    (
        "/pilots/calgary-2023/roster?week=2023-W11",
        Role::Viewer,
        "table.roster",
    ),
    (
        "/pilots/calgary-2023/roster?week=2023-W11&district=DNC",
        Role::Viewer,
        "#roster-filter",
    ),
    (
        "/pilots/calgary-2023/shifts/new?week=2023-W11",
        Role::Supervisor,
        "#team_id",
    ),
    (
        "/pilots/calgary-2023/roster/copy?week=2023-W11",
        Role::Supervisor,
        "#from_week",
    ),
    ("/shifts/1/log", Role::Viewer, "#activities-heading"),
    ("/shifts/1/log", Role::Supervisor, "#new-visit-heading"),
    ("/shifts/1/edit", Role::Supervisor, "#team_id"),
    ("/shifts/1/cancel", Role::Supervisor, "#reason"),
    ("/shifts/3/edit", Role::Supervisor, "#cancelled-banner"),
    ("/hotspots/1/edit", Role::Analyst, "#outline-heading"),
    ("/districts/1/edit", Role::Analyst, "#name-heading"),
    ("/audit", Role::Supervisor, "main table"),
    (
        "/exports?pilot=calgary-2023",
        Role::Supervisor,
        "#dictionary-heading",
    ),
    (
        "/calendar?pilot=calgary-2023",
        Role::Supervisor,
        "main table",
    ),
    ("/imports", Role::Analyst, "#formats-heading"),
    (
        "/pilots/calgary-2023/districts/from-communities",
        Role::Analyst,
        "input[name=codes]",
    ),
    (
        "/pilots/calgary-2023/officers/new",
        Role::Analyst,
        "#badge_number",
    ),
    (
        "/pilots/calgary-2023/officers/1/edit",
        Role::Analyst,
        "#badge_number",
    ),
    (
        "/pilots/calgary-2023/officers/1",
        Role::Analyst,
        "#assignments",
    ),
    ("/pilots/calgary-2023/teams", Role::Viewer, "#teams"),
    ("/pilots/calgary-2023/teams", Role::Analyst, "#add-heading"),
    ("/account/password", Role::Viewer, "#current_password"),
];
