//! The coverage figures per hotspot per day, and the audit log.

use crate::export::dictionary::{Column, Dataset, Kind::*, col};

const COVERAGE_COLUMNS: &[Column] = &[
    col("pilot", Text, "", "The pilot's slug.", "p.slug"),
    col(
        "day",
        Date,
        "",
        "The local date: the day the hotspot's watch window opens.",
        "hd.day",
    ),
    col("district_code", Text, "", "The district's code.", "d.code"),
    col("district_name", Text, "", "The district's name.", "d.name"),
    col(
        "hotspot_id",
        Integer,
        "",
        "The hotspot (hotspots.id).",
        "h.id",
    ),
    col("hotspot_name", Text, "", "The hotspot's name.", "h.name"),
    col(
        "priority",
        Integer,
        "",
        "The hotspot's priority, 1 (highest) to 3.",
        "h.priority::int8",
    ),
    col(
        "hotspot_blocks",
        Integer,
        "blocks",
        "Blocks of the pilot's block length in the day's watch window, measured in real time (a \
         block in the skipped spring-forward hour is not counted); 0 when the hotspot is not \
         active that day.",
        "hd.blocks::int8",
    ),
    col(
        "planned_blocks",
        Integer,
        "blocks",
        "Of those, blocks with a non-cancelled shift directed to the hotspot on duty for at least \
         half of the block.",
        "hd.planned_blocks::int8",
    ),
    col(
        "delivered_blocks",
        Integer,
        "blocks",
        "Of those, blocks containing the start of a visit of 10 minutes or more.",
        "hd.delivered_blocks::int8",
    ),
    col(
        "planned_coverage_pct",
        Decimal,
        "%",
        "planned_blocks ÷ hotspot_blocks × 100; empty when there are no blocks. Over several rows \
         use Σ planned_blocks ÷ Σ hotspot_blocks × 100, not the mean of this column.",
        "case when hd.blocks > 0 then hd.planned_blocks * 100.0::float8 / hd.blocks end",
    ),
    col(
        "delivered_coverage_pct",
        Decimal,
        "%",
        "delivered_blocks ÷ hotspot_blocks × 100; empty when there are no blocks. Over several \
         rows use Σ delivered_blocks ÷ Σ hotspot_blocks × 100.",
        "case when hd.blocks > 0 then hd.delivered_blocks * 100.0::float8 / hd.blocks end",
    ),
    col(
        "patrol_minutes",
        Minutes,
        "minutes",
        "Length of the union of the visits inside the watch window (two teams there at once count \
         once).",
        "hd.patrol_seconds::float8",
    ),
    col(
        "officer_minutes",
        Minutes,
        "minutes",
        "Σ dwell × members of the visiting shift, over the visits arriving on the day.",
        "hd.officer_seconds::float8",
    ),
    col(
        "visits",
        Integer,
        "visits",
        "Visits arriving on the day, inside the window or not.",
        "hd.visits::int8",
    ),
    col(
        "koper_visits",
        Integer,
        "visits",
        "Of those, visits of 10 to 16 minutes inclusive.",
        "hd.koper_visits::int8",
    ),
    col(
        "pass_throughs",
        Integer,
        "visits",
        "Of those, visits under 2 minutes.",
        "hd.pass_throughs::int8",
    ),
    col(
        "longest_gap_minutes",
        Minutes,
        "minutes",
        "Longest stretch of the watch window with no visit. Over several rows take the maximum, \
         not the sum.",
        "hd.longest_gap_seconds::float8",
    ),
    col(
        "target_minutes",
        Minutes,
        "minutes",
        "The patrol target of the day; 0 when the hotspot is not active.",
        "hd.target_seconds::float8",
    ),
    col(
        "capped_patrol_minutes",
        Minutes,
        "minutes",
        "patrol_minutes, at most target_minutes.",
        "hd.capped_patrol_seconds::float8",
    ),
    col(
        "dosage_pct",
        Decimal,
        "%",
        "capped_patrol_minutes ÷ target_minutes × 100; empty when there is no target. Over several \
         rows use Σ capped_patrol_minutes ÷ Σ target_minutes × 100.",
        "case when hd.target_seconds > 0
              then hd.capped_patrol_seconds * 100.0::float8 / hd.target_seconds end",
    ),
];

/// The figures of every hotspot on every local day of the range.
pub static COVERAGE_DAILY: Dataset = Dataset {
    name: "coverage_daily",
    row: "a hotspot on a local day, with its coverage figures",
    by_range: Some("days in the range"),
    by_district: Some("hotspots of the district"),
    columns: COVERAGE_COLUMNS,
    from: r#"from hotspot_days hd
                  join hotspots h on h.id = hd.hotspot_id
                  join districts d on d.id = h.district_id
                  join pilots p on p.id = h.pilot_id
            where h.pilot_id = $1 and hd.day between $3 and $4
              and ($5::int8 is null or h.district_id = $5)"#,
    order_by: "hd.day, d.code, h.id",
    counted_by: None,
};

const AUDIT_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Entry id (audit_log.id).", "l.id"),
    col("at", Instant, "", "When the change was made.", "l.at"),
    col(
        "at_local",
        LocalInstant,
        "",
        "at on the pilot's clock.",
        "l.at",
    ),
    col(
        "username",
        Text,
        "",
        "Who made it; empty when the system did (loading, imports).",
        "u.username",
    ),
    col(
        "action",
        Code,
        "",
        "What was done, e.g. create, update, cancel, delete, seed.",
        "l.action",
    ),
    col(
        "entity",
        Code,
        "",
        "What kind of record changed, e.g. shift, visit, hotspot, pilot.",
        "l.entity",
    ),
    col(
        "entity_id",
        Integer,
        "",
        "The id of the record that changed; empty when none.",
        "l.entity_id",
    ),
    col(
        "before",
        Json,
        "",
        "The record before the change, as JSON; empty for a creation.",
        "l.before::text",
    ),
    col(
        "after",
        Json,
        "",
        "The record after the change, as JSON; empty for a deletion.",
        "l.after::text",
    ),
];

/// Audit entries about the pilot or its records, made on a local date in the range (a range from
/// the pilot's first day reaching back to the first entry, one to its last day on to today, so
/// that the preparation before a pilot and corrections after it can be exported): the pilot
/// itself; a district, hotspot, team, assignment, shift, visit or activity of it that still exists;
/// or any entry whose recorded JSON names the pilot (`pilot_id`, or `pilot` as its slug), which
/// keeps entries about deleted records and calendar links.
pub static AUDIT: Dataset = Dataset {
    name: "audit",
    row: "a change to the pilot or one of its records (accounts are not part of a pilot)",
    by_range: Some(
        "changes made on a local date in the range; from the pilot's first day, also those made \
         before it, and to its last day, also those made after it",
    ),
    by_district: None,
    columns: AUDIT_COLUMNS,
    from: r#"from audit_log l left join users u on u.id = l.user_id
            where ($3 <= (select x.starts_on from pilots x where x.id = $1)
                   or (l.at >= $6 and (l.at at time zone $2)::date >= $3))
              and ($4 >= (select x.ends_on from pilots x where x.id = $1)
                   or (l.at < $7 and (l.at at time zone $2)::date <= $4))
              and ((l.entity = 'pilot' and l.entity_id = $1)
                   or coalesce(l.after ->> 'pilot_id', l.before ->> 'pilot_id') = $1::text
                   or coalesce(l.after ->> 'pilot', l.before ->> 'pilot')
                        = (select x.slug from pilots x where x.id = $1)
                   or (l.entity = 'district' and exists (
                          select 1 from districts x where x.id = l.entity_id and x.pilot_id = $1))
                   or (l.entity = 'hotspot' and exists (
                          select 1 from hotspots x where x.id = l.entity_id and x.pilot_id = $1))
                   or (l.entity = 'team' and exists (
                          select 1 from teams x where x.id = l.entity_id and x.pilot_id = $1))
                   or (l.entity = 'assignment' and exists (
                          select 1 from assignments x where x.id = l.entity_id and x.pilot_id = $1))
                   or (l.entity = 'shift' and exists (
                          select 1 from shifts x where x.id = l.entity_id and x.pilot_id = $1))
                   or (l.entity = 'visit' and exists (
                          select 1 from visits x join shifts xs on xs.id = x.shift_id
                           where x.id = l.entity_id and xs.pilot_id = $1))
                   or (l.entity = 'activity' and exists (
                          select 1 from activities x join shifts xs on xs.id = x.shift_id
                           where x.id = l.entity_id and xs.pilot_id = $1)))"#,
    order_by: "l.at, l.id",
    counted_by: None,
};
