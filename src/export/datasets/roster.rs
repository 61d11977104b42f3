//! Shifts, their members, and what came of them: visits and activities.

use super::shifts_in_range;
use crate::export::dictionary::{Column, Dataset, Kind::*, col};

const SHIFT_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Shift id (shifts.id).", "s.id"),
    col("team_id", Integer, "", "The team (teams.id).", "s.team_id"),
    col("team_name", Text, "", "The team's name.", "t.name"),
    col(
        "starts_at",
        Instant,
        "",
        "When the shift starts.",
        "s.starts_at",
    ),
    col(
        "starts_local",
        LocalInstant,
        "",
        "starts_at on the pilot's clock.",
        "s.starts_at",
    ),
    col("ends_at", Instant, "", "When the shift ends.", "s.ends_at"),
    col(
        "ends_local",
        LocalInstant,
        "",
        "ends_at on the pilot's clock.",
        "s.ends_at",
    ),
    col(
        "duration_minutes",
        Minutes,
        "minutes",
        "Real length, ends_at − starts_at (a 22:00–06:00 shift on the spring-forward night is \
         420 minutes).",
        "extract(epoch from s.ends_at - s.starts_at)::float8",
    ),
    col("mode", Code, "", "foot, bike or vehicle.", "s.mode"),
    col(
        "status",
        Code,
        "",
        "planned, completed or cancelled. Cancelled shifts count for nothing in coverage.",
        "s.status",
    ),
    col(
        "members",
        Integer,
        "officers",
        "Officers on the shift (rows of shift_members).",
        "(select count(*) from shift_members m where m.shift_id = s.id)",
    ),
    col(
        "officer_ids",
        IdList,
        "",
        "The officers on the shift (officers.id), ascending. With hotspot_ids, what the roster \
         import reads back.",
        "(select string_agg(m.officer_id::text, ';' order by m.officer_id)
            from shift_members m where m.shift_id = s.id)",
    ),
    col(
        "hotspot_ids",
        IdList,
        "",
        "The hotspots the shift is directed to (hotspots.id), ascending; empty when none.",
        "(select string_agg(x.hotspot_id::text, ';' order by x.hotspot_id)
            from shift_hotspots x where x.shift_id = s.id)",
    ),
    col("notes", Text, "", "Notes of the supervisor.", "s.notes"),
    col(
        "version",
        Integer,
        "",
        "Edit counter, 1 when never edited.",
        "s.version::int8",
    ),
    col(
        "created_by",
        Text,
        "",
        "Username of who created it; empty for loaded or imported shifts.",
        "(select u.username from users u where u.id = s.created_by)",
    ),
    col(
        "updated_by",
        Text,
        "",
        "Username of who changed it last; empty when no one has.",
        "(select u.username from users u where u.id = s.updated_by)",
    ),
    col(
        "updated_at",
        Instant,
        "",
        "When it was last changed.",
        "s.updated_at",
    ),
    col(
        "updated_local",
        LocalInstant,
        "",
        "updated_at on the pilot's clock.",
        "s.updated_at",
    ),
];

/// The shifts of the pilot that start in the range.
pub static SHIFTS: Dataset = Dataset {
    name: "shifts",
    row: "a shift",
    by_range: Some("shifts starting on a local date in the range"),
    by_district: Some("shifts directed to at least one hotspot of the district"),
    columns: SHIFT_COLUMNS,
    from: concat!(
        "from shifts s join teams t on t.id = s.team_id where ",
        shifts_in_range!()
    ),
    order_by: "s.starts_at, s.id",
    counted_by: Some(
        r#"select coalesce(sum(shifts), 0)::int8 from shift_days
            where pilot_id = $1 and day between $3 and $4
              and district_id is not distinct from $5::int8"#,
    ),
};

const SHIFT_MEMBER_COLUMNS: &[Column] = &[
    col("shift_id", Integer, "", "The shift (shifts.id).", "s.id"),
    col(
        "officer_id",
        Integer,
        "",
        "The officer (officers.id).",
        "o.id",
    ),
    col(
        "agency",
        Code,
        "",
        "The code of the officer's agency (agencies.code).",
        "o.agency",
    ),
    col(
        "badge_number",
        Text,
        "",
        "The officer's badge number.",
        "o.badge_number",
    ),
    col("officer_name", Text, "", "The officer's name.", "o.name"),
    col("team_name", Text, "", "The shift's team.", "t.name"),
    col(
        "shift_starts_at",
        Instant,
        "",
        "When the shift starts.",
        "s.starts_at",
    ),
    col(
        "shift_starts_local",
        LocalInstant,
        "",
        "shift_starts_at on the pilot's clock.",
        "s.starts_at",
    ),
    col(
        "shift_ends_at",
        Instant,
        "",
        "When the shift ends.",
        "s.ends_at",
    ),
    col(
        "shift_ends_local",
        LocalInstant,
        "",
        "shift_ends_at on the pilot's clock.",
        "s.ends_at",
    ),
    col(
        "shift_status",
        Code,
        "",
        "planned, completed or cancelled.",
        "s.status",
    ),
];

/// The members of the shifts of `shifts`.
pub static SHIFT_MEMBERS: Dataset = Dataset {
    name: "shift_members",
    row: "an officer on a shift",
    by_range: Some("members of shifts starting on a local date in the range"),
    by_district: Some("members of shifts directed to a hotspot of the district"),
    columns: SHIFT_MEMBER_COLUMNS,
    from: concat!(
        "from shift_members sm
              join shifts s on s.id = sm.shift_id
              join teams t on t.id = s.team_id
              join officers o on o.id = sm.officer_id
        where ",
        shifts_in_range!()
    ),
    order_by: "s.starts_at, s.id, o.id",
    counted_by: Some(
        r#"select coalesce(sum(members), 0)::int8 from shift_days
            where pilot_id = $1 and day between $3 and $4
              and district_id is not distinct from $5::int8"#,
    ),
};

const VISIT_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Visit id (visits.id).", "v.id"),
    col(
        "shift_id",
        Integer,
        "",
        "The visiting shift (shifts.id).",
        "v.shift_id",
    ),
    col(
        "team_id",
        Integer,
        "",
        "The shift's team (teams.id).",
        "s.team_id",
    ),
    col(
        "hotspot_id",
        Integer,
        "",
        "The hotspot visited (hotspots.id).",
        "v.hotspot_id",
    ),
    col("hotspot_name", Text, "", "The hotspot's name.", "h.name"),
    col(
        "district_code",
        Text,
        "",
        "The code of the hotspot's district.",
        "d.code",
    ),
    col(
        "arrived_at",
        Instant,
        "",
        "When the shift arrived at the hotspot.",
        "v.arrived_at",
    ),
    col(
        "arrived_local",
        LocalInstant,
        "",
        "arrived_at on the pilot's clock. Its date is the day the visit counts on.",
        "v.arrived_at",
    ),
    col("departed_at", Instant, "", "When it left.", "v.departed_at"),
    col(
        "departed_local",
        LocalInstant,
        "",
        "departed_at on the pilot's clock.",
        "v.departed_at",
    ),
    col(
        "dwell_minutes",
        Minutes,
        "minutes",
        "departed_at − arrived_at. 10 to 16 inclusive is a Koper visit, under 2 a pass-through, \
         10 or more delivers coverage.",
        "extract(epoch from v.departed_at - v.arrived_at)::float8",
    ),
    col(
        "members",
        Integer,
        "officers",
        "Officers on the visiting shift; officer-minutes are dwell_minutes × members.",
        "(select count(*) from shift_members m where m.shift_id = v.shift_id)",
    ),
    col(
        "source",
        Code,
        "",
        "Where the record came from: report (logged after the shift), avl (vehicle or radio \
         location) or import.",
        "v.source",
    ),
];

/// Visits arriving in the range.
pub static VISITS: Dataset = Dataset {
    name: "visits",
    row: "a stretch of presence of a shift at a hotspot",
    by_range: Some("visits arriving on a local date in the range"),
    by_district: Some("visits to hotspots of the district"),
    columns: VISIT_COLUMNS,
    from: r#"from visits v
                  join shifts s on s.id = v.shift_id
                  join hotspots h on h.id = v.hotspot_id
                  join districts d on d.id = h.district_id
            where s.pilot_id = $1
              and v.arrived_at >= $6 and v.arrived_at < $7
              and (v.arrived_at at time zone $2)::date between $3 and $4
              and ($5::int8 is null or h.district_id = $5)"#,
    order_by: "v.arrived_at, v.id",
    counted_by: Some(
        r#"select coalesce(sum(dd.visits), 0)::int8
             from district_days dd join districts d on d.id = dd.district_id
            where d.pilot_id = $1 and dd.day between $3 and $4
              and ($5::int8 is null or dd.district_id = $5)"#,
    ),
};

const ACTIVITY_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Activity id (activities.id).", "a.id"),
    col(
        "shift_id",
        Integer,
        "",
        "The shift that logged it (shifts.id).",
        "a.shift_id",
    ),
    col(
        "occurred_at",
        Instant,
        "",
        "When it happened.",
        "a.occurred_at",
    ),
    col(
        "occurred_local",
        LocalInstant,
        "",
        "occurred_at on the pilot's clock.",
        "a.occurred_at",
    ),
    col(
        "kind",
        Code,
        "",
        "proactive_engagement, community_referral, mental_health_referral, addiction_referral, \
         call_for_service, warrant_executed, charge_laid, ticket, naloxone_administered or other.",
        "a.kind",
    ),
    col(
        "count",
        Integer,
        "",
        "How many (e.g. people engaged), at least 1.",
        "a.count::int8",
    ),
    col(
        "hotspot_id",
        Integer,
        "",
        "The hotspot where it happened (hotspots.id); empty when elsewhere.",
        "a.hotspot_id",
    ),
    col(
        "hotspot_name",
        Text,
        "",
        "The hotspot's name; empty when elsewhere.",
        "h.name",
    ),
    col(
        "district_code",
        Text,
        "",
        "The code of the hotspot's district; empty when elsewhere.",
        "d.code",
    ),
    col("note", Text, "", "Free-text note.", "a.note"),
];

/// Activities in the range.
pub static ACTIVITIES: Dataset = Dataset {
    name: "activities",
    row: "an outcome logged by a shift",
    by_range: Some("activities on a local date in the range"),
    by_district: Some("activities at hotspots of the district (those elsewhere are left out)"),
    columns: ACTIVITY_COLUMNS,
    from: r#"from activities a
                  join shifts s on s.id = a.shift_id
                  left join hotspots h on h.id = a.hotspot_id
                  left join districts d on d.id = h.district_id
            where s.pilot_id = $1
              and a.occurred_at >= $6 and a.occurred_at < $7
              and (a.occurred_at at time zone $2)::date between $3 and $4
              and ($5::int8 is null or h.district_id = $5)"#,
    order_by: "a.occurred_at, a.id",
    counted_by: Some(
        r#"select coalesce(sum(rows), 0)::int8 from activity_days
            where pilot_id = $1 and day between $3 and $4
              and ($5::int8 is null or district_id = $5)"#,
    ),
};
