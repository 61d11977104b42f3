//! CSV exports and the exports page, through the real router over a real PostgreSQL: every
//! dataset against the database, `coverage_daily` against the JSON API, and the safety rules.

mod audit;
mod cells;
mod coverage_daily;
mod datasets;
mod page;

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::common::app::{TestApp, TestResponse};
use crate::common::scalar;

const PILOT: &str = "calgary-2023";

const ZONE: &str = "America/Edmonton";

/// A downloaded CSV: the header and the records, as text.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn parse(body: &str) -> Csv {
        let body = body.strip_prefix('\u{feff}').unwrap_or(body);
        let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        let header = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.expect("a well-formed record")
                    .iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        Csv { header, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// The values of one column.
    fn values(&self, name: &str) -> Vec<&str> {
        let i = self.column(name);
        self.rows.iter().map(|r| r[i].as_str()).collect()
    }

    /// The row whose `column` is `value`.
    fn row_where(&self, column: &str, value: &str) -> HashMap<&str, &str> {
        let i = self.column(column);
        let row = self
            .rows
            .iter()
            .find(|r| r[i] == value)
            .unwrap_or_else(|| panic!("no row with {column} = {value}"));
        self.header
            .iter()
            .map(String::as_str)
            .zip(row.iter().map(String::as_str))
            .collect()
    }

    fn sum(&self, name: &str) -> i64 {
        self.values(name)
            .iter()
            .map(|v| v.parse::<i64>().expect("an integer"))
            .sum()
    }

    /// Σ of a minutes column, as whole seconds: the cells hold 4 decimals of minutes, which is
    /// finer than a second, so each cell gives back its exact whole seconds.
    fn sum_seconds(&self, name: &str) -> i64 {
        self.values(name)
            .iter()
            .map(|v| (v.parse::<f64>().expect("a number") * 60.0).round() as i64)
            .sum()
    }
}

/// A visit as stored: id, arrived, departed, hotspot, source.
type StoredVisit = (i64, DateTime<Utc>, DateTime<Utc>, i64, String);

async fn download(app: &TestApp, cookie: &str, path: &str) -> (TestResponse, Csv) {
    let response = app.get(path, Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
    let csv = Csv::parse(&response.body);
    (response, csv)
}

fn url(dataset: &str, query: &str) -> String {
    format!("/exports/{dataset}.csv?pilot={PILOT}{query}")
}

/// Rows each dataset must have for local dates `from..=to` (and a district), counted by SQL
/// written independently of the exports'.
async fn expected_rows(
    db: &PgPool,
    dataset: &str,
    from: &str,
    to: &str,
    district: Option<&str>,
) -> i64 {
    let local = |column: &str| {
        format!("({column} at time zone '{ZONE}')::date between '{from}' and '{to}'")
    };
    let in_district = |hotspot: &str| match district {
        None => "true".to_string(),
        Some(code) => format!(
            "{hotspot} in (select h.id from hotspots h join districts d on d.id = h.district_id where d.code = '{code}')"
        ),
    };
    let shift_in_district = match district {
        None => "true".to_string(),
        Some(_) => format!(
            "exists (select 1 from shift_hotspots sh where sh.shift_id = s.id and {})",
            in_district("sh.hotspot_id")
        ),
    };
    let sql = match dataset {
        "officers" => "select count(distinct officer_id) from assignments".to_string(),
        "assignments" => {
            format!(
                "select count(*) from assignments where starts_on <= '{to}' and ends_on >= '{from}'"
            )
        }
        "teams" => "select count(*) from teams".to_string(),
        "districts" => "select count(*) from districts".to_string(),
        "hotspots" => format!(
            "select count(*) from hotspots h where {}",
            in_district("h.id")
        ),
        "shifts" => format!(
            "select count(*) from shifts s where {} and {shift_in_district}",
            local("s.starts_at")
        ),
        "shift_members" => format!(
            "select count(*) from shift_members m join shifts s on s.id = m.shift_id where {} and {shift_in_district}",
            local("s.starts_at")
        ),
        "visits" => format!(
            "select count(*) from visits v where {} and {}",
            local("v.arrived_at"),
            in_district("v.hotspot_id")
        ),
        "activities" => format!(
            "select count(*) from activities a where {} and {}",
            local("a.occurred_at"),
            match district {
                None => "true".to_string(),
                Some(_) => in_district("a.hotspot_id"),
            }
        ),
        "coverage_daily" => format!(
            "select count(*) from hotspot_days hd where hd.day between '{from}' and '{to}' and {}",
            in_district("hd.hotspot_id")
        ),
        // The demo's only entry is the loading of the pilot, made today: after the pilot, so
        // only a range to the pilot's last day holds it.
        "audit" => format!(
            "select count(*) from audit_log l where entity = 'pilot'
               and ((l.at at time zone 'America/Edmonton')::date >= '{from}' or '{from}' = '2023-02-27')
               and ((l.at at time zone 'America/Edmonton')::date <= '{to}' or '{to}' = '2023-05-31')"
        ),
        other => panic!("no expectation for {other}"),
    };
    scalar(db, &sql).await
}
