//! The City's monthly community statistics: what an import compares with and writes, and the
//! counts for before/during/after comparisons.

use sqlx::{PgConnection, PgExecutor};

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

/// Every stored count of `dataset`.
pub async fn stored(
    db: impl PgExecutor<'_>,
    dataset: Dataset,
) -> Result<Vec<StatCount>, sqlx::Error> {
    sqlx::query_as(
        "select community, category, year, month, count from community_stats where dataset = $1",
    )
    .bind(dataset)
    .fetch_all(db)
    .await
}

/// Writes `counts` of `dataset`, adding a key not stored yet and replacing the count of one that
/// is; thousands of rows in one statement.
pub async fn save(
    db: impl PgExecutor<'_>,
    dataset: Dataset,
    counts: &[StatCount],
) -> Result<(), sqlx::Error> {
    let column = |pick: fn(&StatKey) -> &str| counts.iter().map(|c| pick(&c.key)).collect();
    let (communities, categories): (Vec<&str>, Vec<&str>) =
        (column(|k| &k.community), column(|k| &k.category));
    sqlx::query(
        r#"insert into community_stats (community, category, year, month, count, dataset)
           select u.*, $6 from unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::integer[]) as u
           on conflict on constraint community_stats_pkey do update set count = excluded.count"#,
    )
    .bind(communities)
    .bind(categories)
    .bind(counts.iter().map(|c| c.key.year).collect::<Vec<_>>())
    .bind(counts.iter().map(|c| c.key.month).collect::<Vec<_>>())
    .bind(counts.iter().map(|c| c.count).collect::<Vec<_>>())
    .bind(dataset)
    .execute(db)
    .await?;
    Ok(())
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

/// The counts of the community named `community_names` (the City's name, or matched
/// case-insensitively to a district's name or code) in each of `spans` (first and last month),
/// and what the datasets cover over all of them.
pub async fn around(
    conn: &mut PgConnection,
    community_names: &[String],
    spans: &[(Month, Month)],
) -> Result<Around, sqlx::Error> {
    let upper: Vec<String> = community_names
        .iter()
        .map(|n| n.trim().to_uppercase())
        .collect();
    let mut counts = Vec::with_capacity(spans.len());
    for &(first, last) in spans {
        counts.push(counts_in(&mut *conn, &upper, first, last).await?);
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
        coverage(&mut *conn, &upper, first, last).await?
    };
    Ok(Around { counts, coverage })
}

/// A month as the count of months since year 0, as the queries compare them.
pub fn index(month: Month) -> i32 {
    month.0 * 12 + month.1 as i32
}

/// What each stored dataset covers, for the communities `upper` (in capitals) and the months
/// `first..=last`; a dataset without a single row is not listed.
async fn coverage(
    db: impl PgExecutor<'_>,
    upper: &[String],
    first: Month,
    last: Month,
) -> Result<Vec<DatasetCoverage>, sqlx::Error> {
    sqlx::query_as(
        r#"select dataset,
                  bool_or(upper(community) = any($1)) as has_community,
                  coalesce(array_agg(distinct year * 12 + month)
                             filter (where (year * 12 + month) between $2 and $3),
                           '{}') as months
             from community_stats
            group by dataset"#,
    )
    .bind(upper)
    .bind(index(first))
    .bind(index(last))
    .fetch_all(db)
    .await
}

/// Counts per dataset and category for the communities `upper` (in capitals) over the months
/// `first..=last`.
async fn counts_in(
    db: impl PgExecutor<'_>,
    upper: &[String],
    first: Month,
    last: Month,
) -> Result<Vec<CategoryCount>, sqlx::Error> {
    sqlx::query_as(
        r#"select dataset, category, sum(count)::int8 as count
             from community_stats
            where upper(community) = any($1)
              and (year * 12 + month) between $2 and $3
            group by dataset, category
            order by dataset, category"#,
    )
    .bind(upper)
    .bind(index(first))
    .bind(index(last))
    .fetch_all(db)
    .await
}
