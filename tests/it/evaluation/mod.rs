//! The evaluation of a pilot (docs/evaluation.md): its JSON API against sums taken straight from
//! the tables, who may read it, and what it refuses.

mod api;
mod monthly_csv;
mod page;

use serde_json::Value;
use sqlx::PgPool;

use crate::common::app::TestApp;

/// The demo pilot's evaluation API, as `query` asks, read by `cookie`.
pub async fn evaluation_json(app: &TestApp, cookie: &str, query: &str) -> Value {
    let response = app
        .get(
            &format!("/api/v1/pilots/calgary-2023/evaluation?{query}"),
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

/// The sum of the `dataset` counts of Calgary in `months` (`YYYY-MM`) of the communities whose
/// name or code (in capitals) is one of `codes` (`None`: every community), of `category` (`None`:
/// all), read with plain SQL.
pub async fn sum(
    db: &PgPool,
    dataset: &str,
    category: Option<&str>,
    codes: Option<&[String]>,
    months: &[String],
) -> i64 {
    sqlx::query_scalar(
        r#"select coalesce(sum(s.count), 0)::int8 from community_stats s
            where s.city = 'Calgary' and s.dataset = $1
              and ($2::text is null or s.category = $2)
              and to_char(make_date(s.year, s.month, 1), 'YYYY-MM') = any($4)
              and ($3::text[] is null or upper(s.community) in (
                    select upper(c.name) from communities c
                     where c.city = 'Calgary' and c.code = any($3)
                    union select upper(x) from unnest($3::text[]) x))"#,
    )
    .bind(dataset)
    .bind(category)
    .bind(codes)
    .bind(months)
    .fetch_one(db)
    .await
    .unwrap()
}

/// The strings of a JSON array.
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}
