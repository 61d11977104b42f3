//! What an evaluation (docs/evaluation.md) reads: the pilot's patrolled communities, the city's
//! community boundaries and the City's monthly counts of the months compared.

use std::collections::{BTreeSet, HashSet};

use serde::Deserialize;
use sqlx::PgConnection;

use super::communities;
use super::pilots::Pilot;
use crate::domain::City;
use crate::domain::community_stats::Dataset;
use crate::evaluation::{self, Area, Count, Month, Place, Study};

/// One stored count as read.
#[derive(sqlx::FromRow)]
struct CountRow {
    community: String,
    category: String,
    year: i32,
    month: i32,
    count: i32,
}

/// Everything the evaluation of `pilot` on `dataset` needs, with its areas worked out.
pub async fn study(
    conn: &mut PgConnection,
    pilot: &Pilot,
    dataset: Dataset,
) -> Result<Study, sqlx::Error> {
    let city = City::stored(&pilot.city);
    let periods = evaluation::periods(pilot.starts_on, pilot.ends_on);
    let treated: BTreeSet<String> = treated_codes(&mut *conn, pilot)
        .await?
        .into_iter()
        .collect();
    let places: Vec<Place> = communities::list(&mut *conn, &city)
        .await?
        .into_iter()
        .filter_map(|c| {
            Some(Place {
                boundary: multipolygon(&c.boundary)?,
                code: c.code,
                name: c.name,
            })
        })
        .collect();
    let areas = evaluation::areas(&places, &treated);
    let months: Vec<i32> = periods.all_months().iter().map(|m| m.index()).collect();
    let rows: Vec<CountRow> = sqlx::query_as(
        r#"select community, category, year, month, count from community_stats
            where city = $1 and dataset = $2 and (year * 12 + month - 1) = any($3)"#,
    )
    .bind(&city)
    .bind(dataset)
    .bind(&months)
    .fetch_all(&mut *conn)
    .await?;
    let counts: Vec<Count> = rows
        .into_iter()
        .map(|r| Count {
            community: r.community,
            category: r.category,
            month: Month::new(r.year, r.month.clamp(1, 12) as u32),
            count: i64::from(r.count),
        })
        .collect();
    let covered = counts.iter().map(|c| c.month).collect();
    let categories: Vec<String> = sqlx::query_scalar(
        r#"select distinct category from community_stats
            where city = $1 and dataset = $2 order by category"#,
    )
    .bind(&city)
    .bind(dataset)
    .fetch_all(&mut *conn)
    .await?;
    let named: Vec<String> = sqlx::query_scalar(
        r#"select distinct upper(community) from community_stats where city = $1 and dataset = $2"#,
    )
    .bind(&city)
    .bind(dataset)
    .fetch_all(&mut *conn)
    .await?;
    // Names that differ only in case or a code and its name are one community.
    let comparison: HashSet<&String> = named
        .iter()
        .filter(|n| areas.of(n) == Area::Comparison)
        .collect();
    Ok(Study {
        periods,
        areas,
        counts,
        covered,
        categories,
        comparison_count: comparison.len(),
    })
}

/// The codes of `pilot`'s city's communities that are districts of the pilot (by code, or by
/// name in any case) holding at least one hotspot active on a day of the pilot.
async fn treated_codes(conn: &mut PgConnection, pilot: &Pilot) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select c.code from communities c
            where c.city = $1
              and exists (
                  select 1 from districts d join hotspots h on h.district_id = d.id
                   where d.pilot_id = $2
                     and (upper(d.code) = upper(c.code) or upper(d.name) = upper(c.name))
                     and h.active_from <= $4
                     and coalesce(h.active_to, $4) >= $3)
            order by c.code"#,
    )
    .bind(&pilot.city)
    .bind(pilot.id)
    .bind(pilot.starts_on)
    .bind(pilot.ends_on)
    .fetch_all(conn)
    .await
}

/// A stored boundary (GeoJSON MultiPolygon, checked when it was imported) as geo-types.
fn multipolygon(boundary: &serde_json::Value) -> Option<geo::MultiPolygon> {
    let geometry = geojson::Geometry::deserialize(boundary).ok()?;
    geo::MultiPolygon::try_from(geometry.value).ok()
}
