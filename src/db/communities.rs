//! Communities: a city's boundaries as the City publishes them, reference data of the city from
//! which a pilot's districts are chosen.

use serde_json::Value;
use sqlx::PgExecutor;

use crate::domain::City;
use crate::domain::ids::{CommunityId, PilotId};

/// A community of a city with its boundary (GeoJSON MultiPolygon).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Community {
    pub id: CommunityId,
    /// The City's `COMM_CODE`, e.g. `BLN`.
    pub code: String,
    /// As people write it, e.g. `Beltline`.
    pub name: String,
    /// The City's `SECTOR`, e.g. `CENTRE`.
    pub sector: Option<String>,
    pub boundary: Value,
}

/// A community as it is written.
#[derive(Debug, Clone, Copy)]
pub struct NewCommunity<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub sector: Option<&'a str>,
    /// A GeoJSON MultiPolygon geometry object.
    pub boundary: &'a Value,
}

/// The communities of `city`, by sector and name.
pub async fn list(db: impl PgExecutor<'_>, city: &City) -> Result<Vec<Community>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, code, name, sector, boundary from communities
            where city = $1
            order by sector nulls last, name"#,
    )
    .bind(city)
    .fetch_all(db)
    .await
}

/// The communities of `city` that are not yet districts of pilot `pilot_id` (no district with
/// their code), by sector and name.
pub async fn not_districts(
    db: impl PgExecutor<'_>,
    city: &City,
    pilot_id: PilotId,
) -> Result<Vec<Community>, sqlx::Error> {
    sqlx::query_as(
        r#"select c.id, c.code, c.name, c.sector, c.boundary from communities c
            where c.city = $1
              and not exists (select 1 from districts d where d.pilot_id = $2 and d.code = c.code)
            order by c.sector nulls last, c.name"#,
    )
    .bind(city)
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// Writes community `code` of `city`: adds it, or renames and redraws the city's community with
/// that code. Its id.
pub async fn save(
    db: impl PgExecutor<'_>,
    city: &City,
    community: &NewCommunity<'_>,
) -> Result<CommunityId, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into communities (city, code, name, sector, boundary) values ($1, $2, $3, $4, $5)
           on conflict on constraint communities_city_code_key do update
              set name = excluded.name, sector = excluded.sector, boundary = excluded.boundary,
                  updated_at = now()
           returning id"#,
    )
    .bind(city)
    .bind(community.code)
    .bind(community.name)
    .bind(community.sector)
    .bind(community.boundary)
    .fetch_one(db)
    .await
}

/// What changes whenever a community of `city` is added or written: how many there are and the
/// latest write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Stamp {
    pub count: i64,
    pub latest: Option<chrono::DateTime<chrono::Utc>>,
}

/// The [`Stamp`] of `city`'s communities.
pub async fn stamp(db: impl PgExecutor<'_>, city: &City) -> Result<Stamp, sqlx::Error> {
    sqlx::query_as(
        "select count(*) as count, max(updated_at) as latest from communities where city = $1",
    )
    .bind(city)
    .fetch_one(db)
    .await
}

/// How many communities `city` has.
pub async fn count(db: impl PgExecutor<'_>, city: &City) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from communities where city = $1")
        .bind(city)
        .fetch_one(db)
        .await
}

/// Adds the communities of `city` whose code is not on file yet, in one statement; those on file
/// stay as they are. The number added.
pub async fn add_missing(
    db: impl PgExecutor<'_>,
    city: &City,
    communities: &[NewCommunity<'_>],
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        r#"insert into communities (city, code, name, sector, boundary)
           select $1, u.* from unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) as u
           on conflict on constraint communities_city_code_key do nothing"#,
    )
    .bind(city)
    .bind(communities.iter().map(|c| c.code).collect::<Vec<_>>())
    .bind(communities.iter().map(|c| c.name).collect::<Vec<_>>())
    .bind(communities.iter().map(|c| c.sector).collect::<Vec<_>>())
    .bind(communities.iter().map(|c| c.boundary).collect::<Vec<_>>())
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// The spelling already on file (a pilot's, a community's or a statistic's city) of the city
/// `city` written in any case, so `calgary` finds `Calgary`.
pub async fn known_city(db: impl PgExecutor<'_>, city: &City) -> Result<Option<City>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select city from (
                select city from pilots
                union select city from communities
                union select city from (select distinct city from community_stats) s
           ) known
           where lower(city) = lower($1)
           order by city = $1 desc, city
           limit 1"#,
    )
    .bind(city)
    .fetch_optional(db)
    .await
}
