//! The City's monthly community statistics, for before/during/after comparisons.

use sqlx::PgExecutor;

/// Counts of one category over consecutive months.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryCount {
    pub dataset: String,
    pub category: String,
    pub count: i64,
}

/// Which data a dataset holds around a community: whether it has any row for the community,
/// and the months (as `year * 12 + month`) in a span for which it has rows for any community.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DatasetCoverage {
    pub dataset: String,
    pub has_community: bool,
    pub months: Vec<i32>,
}

/// What each stored dataset covers, for `community_names` (as in [`counts`]) and the months
/// `first..=last`; a dataset without a single row is not listed.
pub async fn coverage(
    db: impl PgExecutor<'_>,
    community_names: &[String],
    first: (i32, u32),
    last: (i32, u32),
) -> Result<Vec<DatasetCoverage>, sqlx::Error> {
    let upper: Vec<String> = community_names
        .iter()
        .map(|n| n.trim().to_uppercase())
        .collect();
    sqlx::query_as(
        r#"select dataset,
                  bool_or(upper(community) = any($1)) as has_community,
                  coalesce(array_agg(distinct year * 12 + month)
                             filter (where (year * 12 + month) between $2 and $3),
                           '{}') as months
             from community_stats
            group by dataset"#,
    )
    .bind(&upper)
    .bind(first.0 * 12 + first.1 as i32)
    .bind(last.0 * 12 + last.1 as i32)
    .fetch_all(db)
    .await
}

/// Counts per dataset and category for `community` (the City's name, or matched case-insensitively
/// to a district's name or code) over the months `first..=last`, each `(year, month)`.
pub async fn counts(
    db: impl PgExecutor<'_>,
    community_names: &[String],
    first: (i32, u32),
    last: (i32, u32),
) -> Result<Vec<CategoryCount>, sqlx::Error> {
    let upper: Vec<String> = community_names
        .iter()
        .map(|n| n.trim().to_uppercase())
        .collect();
    sqlx::query_as(
        r#"select dataset, category, sum(count)::int8 as count
             from community_stats
            where upper(community) = any($1)
              and (year * 12 + month) between $2 and $3
            group by dataset, category
            order by dataset, category"#,
    )
    .bind(&upper)
    .bind(first.0 * 12 + first.1 as i32)
    .bind(last.0 * 12 + last.1 as i32)
    .fetch_all(db)
    .await
}
