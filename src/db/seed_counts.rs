//! What a seeded pilot holds, counted after loading it, and fresh planner statistics for the
//! tables the city-scale seed fills.

use anyhow::Context;
use sqlx::PgConnection;

/// What the demo seed did: whether it created the pilot, and the rows the pilot holds now.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DemoSummary {
    /// Whether this call created the pilot (false when `calgary-2023` already existed); not
    /// counted, the seed sets it.
    #[sqlx(skip)]
    pub pilot_created: bool,
    /// Districts of the demo pilot now in the database.
    pub districts: i64,
    /// Hotspots of the demo pilot.
    pub hotspots: i64,
    /// Officers assigned to the demo pilot.
    pub officers: i64,
    /// Shifts of the demo pilot.
    pub shifts: i64,
    /// Visits logged by the demo pilot's shifts.
    pub visits: i64,
    /// Activities logged by the demo pilot's shifts.
    pub activities: i64,
    /// Communities of the demo pilot's city, whether the seed or an import wrote them.
    pub communities: i64,
    /// Rows of `community_stats` of the demo pilot's city, whether the seed or an import wrote
    /// them.
    pub community_stats: i64,
}

/// "created: 6 districts, 13 hotspots, …": the summary as the start-up log prints it.
impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} districts, {} hotspots, {} officers, {} shifts, {} visits, {} activities; \
             {} communities and {} community statistics rows of its city",
            if self.pilot_created {
                "created"
            } else {
                "already there"
            },
            self.districts,
            self.hotspots,
            self.officers,
            self.shifts,
            self.visits,
            self.activities,
            self.communities,
            self.community_stats,
        )
    }
}

/// The rows the city-scale pilot holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ScaleCounts {
    pub districts: i64,
    pub hotspots: i64,
    /// Officers assigned to the pilot.
    pub officers: i64,
    pub teams: i64,
    pub shifts: i64,
    pub shift_members: i64,
    pub shift_hotspots: i64,
    pub visits: i64,
    pub activities: i64,
    pub hotspot_days: i64,
}

/// What the database holds for the demo pilot `pilot_id` now (`pilot_created` false).
pub async fn demo(conn: &mut PgConnection, pilot_id: i64) -> anyhow::Result<DemoSummary> {
    sqlx::query_as(
        r"select (select count(*) from districts where pilot_id = $1) as districts,
                 (select count(*) from hotspots where pilot_id = $1) as hotspots,
                 (select count(distinct officer_id) from assignments where pilot_id = $1)
                   as officers,
                 (select count(*) from shifts where pilot_id = $1) as shifts,
                 (select count(*) from visits v join shifts s on s.id = v.shift_id
                   where s.pilot_id = $1) as visits,
                 (select count(*) from activities a join shifts s on s.id = a.shift_id
                   where s.pilot_id = $1) as activities,
                 (select count(*) from communities
                   where city = (select city from pilots where id = $1)) as communities,
                 (select count(*) from community_stats
                   where city = (select city from pilots where id = $1)) as community_stats",
    )
    .bind(pilot_id)
    .fetch_one(&mut *conn)
    .await
    .context("counting the demo pilot's rows")
}

/// What the database holds for the city-scale pilot `pilot_id` now.
pub async fn scale(conn: &mut PgConnection, pilot_id: i64) -> anyhow::Result<ScaleCounts> {
    sqlx::query_as(
        r"select (select count(*) from districts where pilot_id = $1) as districts,
                 (select count(*) from hotspots where pilot_id = $1) as hotspots,
                 (select count(distinct officer_id) from assignments where pilot_id = $1)
                   as officers,
                 (select count(*) from teams where pilot_id = $1) as teams,
                 (select count(*) from shifts where pilot_id = $1) as shifts,
                 (select count(*) from shift_members m join shifts s on s.id = m.shift_id
                   where s.pilot_id = $1) as shift_members,
                 (select count(*) from shift_hotspots sh join shifts s on s.id = sh.shift_id
                   where s.pilot_id = $1) as shift_hotspots,
                 (select count(*) from visits v join shifts s on s.id = v.shift_id
                   where s.pilot_id = $1) as visits,
                 (select count(*) from activities a join shifts s on s.id = a.shift_id
                   where s.pilot_id = $1) as activities,
                 (select count(*) from hotspot_days hd join hotspots h on h.id = hd.hotspot_id
                   where h.pilot_id = $1) as hotspot_days",
    )
    .bind(pilot_id)
    .fetch_one(&mut *conn)
    .await
    .context("counting the city-scale pilot's rows")
}

/// Fresh planner statistics for the tables the city-scale seed fills, so the queries after a
/// load (the coverage refresh, the first requests) are planned for their real sizes.
pub async fn analyze_scale_tables(conn: &mut PgConnection) -> anyhow::Result<()> {
    sqlx::query("analyze shifts, shift_members, shift_hotspots, visits, activities")
        .execute(&mut *conn)
        .await
        .context("analysing the loaded tables")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_summary_reads_as_a_sentence_of_counts() {
        let summary = DemoSummary {
            pilot_created: true,
            districts: 6,
            hotspots: 13,
            officers: 42,
            shifts: 423,
            visits: 4307,
            activities: 1110,
            communities: 308,
            community_stats: 78064,
        };
        assert_eq!(
            summary.to_string(),
            "created: 6 districts, 13 hotspots, 42 officers, 423 shifts, 4307 visits, \
             1110 activities; 308 communities and 78064 community statistics rows of its city"
        );
    }
}
