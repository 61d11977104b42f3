//! The City's monthly community statistics, each a city's: what an import compares with and
//! writes, and the counts for before/during/after comparisons, read within one city only.

use sqlx::{PgConnection, PgExecutor};

use super::bulk::{self, Column, InsertWith, Table};
use crate::domain::City;
use crate::domain::community_stats::{Dataset, StatKey};

/// A month as (year, month).
pub type Month = (i32, u32);

/// One count of a dataset: what it is of, and how many.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatCount {
    #[sqlx(flatten)]
    pub key: StatKey,
    pub count: i32,
}

/// Every stored count of `dataset` in `city`.
pub async fn stored(
    db: impl PgExecutor<'_>,
    city: &City,
    dataset: Dataset,
) -> Result<Vec<StatCount>, sqlx::Error> {
    sqlx::query_as(
        r#"select community, category, year, month, count from community_stats
            where city = $1 and dataset = $2"#,
    )
    .bind(city)
    .bind(dataset)
    .fetch_all(db)
    .await
}

/// Writes `counts` of `dataset` in `city`, adding a key not stored yet and replacing the count of
/// one that is; thousands of rows in one statement.
pub async fn save(
    db: impl PgExecutor<'_>,
    city: &City,
    dataset: Dataset,
    counts: &[StatCount],
) -> Result<(), sqlx::Error> {
    let column = |pick: fn(&StatKey) -> &str| counts.iter().map(|c| pick(&c.key)).collect();
    let (communities, categories): (Vec<&str>, Vec<&str>) =
        (column(|k| &k.community), column(|k| &k.category));
    sqlx::query(
        r#"insert into community_stats (community, category, year, month, count, dataset, city)
           select u.*, $6, $7 from unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::integer[]) as u
           on conflict on constraint community_stats_pkey do update set count = excluded.count"#,
    )
    .bind(communities)
    .bind(categories)
    .bind(counts.iter().map(|c| c.key.year).collect::<Vec<_>>())
    .bind(counts.iter().map(|c| c.key.month).collect::<Vec<_>>())
    .bind(counts.iter().map(|c| c.count).collect::<Vec<_>>())
    .bind(dataset)
    .bind(city)
    .execute(db)
    .await?;
    Ok(())
}

/// How many counts of `dataset` `city` holds.
pub async fn count(
    db: impl PgExecutor<'_>,
    city: &City,
    dataset: Dataset,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from community_stats where city = $1 and dataset = $2")
        .bind(city)
        .bind(dataset)
        .fetch_one(db)
        .await
}

/// Loads `counts` of `dataset` into `city`, which holds none of them yet (the demo seed, after
/// [`count`] under the statistics import's lock), with `COPY`: tens of thousands of rows in a
/// fraction of a second.
pub async fn load_new(
    conn: &mut PgConnection,
    city: &City,
    dataset: Dataset,
    counts: &[StatCount],
) -> anyhow::Result<u64> {
    let column =
        |pick: fn(&StatKey) -> &str| Column::Text(counts.iter().map(|c| pick(&c.key)).collect());
    let number = |pick: fn(&StatCount) -> i32| Column::Int4(counts.iter().map(pick).collect());
    let table = Table {
        name: "community_stats",
        columns: vec![
            ("city", Column::Text(vec![city.as_str(); counts.len()])),
            (
                "dataset",
                Column::Text(vec![dataset.as_str(); counts.len()]),
            ),
            ("community", column(|k| &k.community)),
            ("category", column(|k| &k.category)),
            ("year", number(|c| c.key.year)),
            ("month", number(|c| c.key.month)),
            ("count", number(|c| c.count)),
        ],
    };
    bulk::load(conn, &table, InsertWith::Copy).await
}

/// Counts of one category over consecutive months.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryCount {
    pub dataset: Dataset,
    pub category: String,
    pub count: i64,
}

/// Which data a dataset holds around a community: whether it has any row for the community,
/// and the months (as `year * 12 + month`) in a span for which it has rows for any community.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DatasetCoverage {
    pub dataset: Dataset,
    pub has_community: bool,
    pub months: Vec<i32>,
}

/// A community's counts in several spans of months, and what the datasets hold around them.
#[derive(Debug, Clone, Default)]
pub struct Around {
    /// The counts per dataset and category in each span, in the order the spans were given.
    pub counts: Vec<Vec<CategoryCount>>,
    /// What each stored dataset covers from the first month of the spans to the last; empty when
    /// there is no count at all.
    pub coverage: Vec<DatasetCoverage>,
}

/// The counts in `city` of the community named by `community_names` (the City's name, or, each
/// matched case-insensitively, a district's name, or its code as the code of one of the city's
/// communities) in each of `spans` (first and last month), and what the city's datasets cover
/// over all of them. Another city's community of the same name is never counted.
pub async fn around(
    conn: &mut PgConnection,
    city: &City,
    community_names: &[String],
    spans: &[(Month, Month)],
) -> Result<Around, sqlx::Error> {
    let given: Vec<String> = community_names
        .iter()
        .map(|n| n.trim().to_uppercase())
        .collect();
    let upper = community_names_in(&mut *conn, city, &given).await?;
    let mut counts = Vec::with_capacity(spans.len());
    for &(first, last) in spans {
        counts.push(counts_in(&mut *conn, city, &upper, first, last).await?);
    }
    let (Some(first), Some(last)) = (
        spans.iter().map(|s| s.0).min(),
        spans.iter().map(|s| s.1).max(),
    ) else {
        return Ok(Around::default());
    };
    let coverage = if counts.iter().all(Vec::is_empty) {
        Vec::new()
    } else {
        coverage(&mut *conn, city, &upper, first, last).await?
    };
    Ok(Around { counts, coverage })
}

/// `given` (names in capitals) and the names, in capitals, of `city`'s communities whose code is
/// one of them.
async fn community_names_in(
    db: impl PgExecutor<'_>,
    city: &City,
    given: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select name from unnest($2::text[]) as name
           union
           select upper(name) from communities where city = $1 and upper(code) = any($2)"#,
    )
    .bind(city)
    .bind(given)
    .fetch_all(db)
    .await
}

/// A month as the count of months since year 0, as the queries compare them.
pub fn index(month: Month) -> i32 {
    month.0 * 12 + month.1 as i32
}

/// What each of `city`'s stored datasets covers, for the communities `upper` (in capitals) and the
/// months `first..=last`; a dataset without a single row in the city is not listed.
async fn coverage(
    db: impl PgExecutor<'_>,
    city: &City,
    upper: &[String],
    first: Month,
    last: Month,
) -> Result<Vec<DatasetCoverage>, sqlx::Error> {
    sqlx::query_as(
        r#"select dataset,
                  bool_or(upper(community) = any($2)) as has_community,
                  coalesce(array_agg(distinct year * 12 + month)
                             filter (where (year * 12 + month) between $3 and $4),
                           '{}') as months
             from community_stats
            where city = $1
            group by dataset"#,
    )
    .bind(city)
    .bind(upper)
    .bind(index(first))
    .bind(index(last))
    .fetch_all(db)
    .await
}

/// Counts per dataset and category in `city` for the communities `upper` (in capitals) over the
/// months `first..=last`.
async fn counts_in(
    db: impl PgExecutor<'_>,
    city: &City,
    upper: &[String],
    first: Month,
    last: Month,
) -> Result<Vec<CategoryCount>, sqlx::Error> {
    sqlx::query_as(
        r#"select dataset, category, sum(count)::int8 as count
             from community_stats
            where city = $1 and upper(community) = any($2)
              and (year * 12 + month) between $3 and $4
            group by dataset, category
            order by dataset, category"#,
    )
    .bind(city)
    .bind(upper)
    .bind(index(first))
    .bind(index(last))
    .fetch_all(db)
    .await
}
