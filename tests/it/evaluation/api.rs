//! `GET /api/v1/pilots/{slug}/evaluation` over the demo: every count equals a plain SQL sum, every
//! ratio the formula of docs/evaluation.md worked again here.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use serde_json::Value;

use super::{evaluation_json, strings, sum};
use crate::common::app::TestApp;

/// `(t1/t0) / (c1/c0)` and its 95% interval, computed here from the formula.
fn rate_ratio(t1: i64, t0: i64, c1: i64, c0: i64) -> (f64, f64, f64) {
    let [t1, t0, c1, c0] = [t1, t0, c1, c0].map(|n| n as f64);
    let rr = (t1 / t0) / (c1 / c0);
    let se = (1.0 / t1 + 1.0 / t0 + 1.0 / c1 + 1.0 / c0).sqrt();
    (rr, (rr.ln() - 1.96 * se).exp(), (rr.ln() + 1.96 * se).exp())
}

/// The answer's ratio `name` is `expected` (value, low, high) to the API's four decimals.
fn assert_ratio(json: &Value, name: &str, expected: (f64, f64, f64)) {
    let ratio = &json["rate_ratio"][name];
    let number = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("{name} in {json}"));
    let got = (
        number(&ratio["value"]),
        number(&ratio["ci95"][0]),
        number(&ratio["ci95"][1]),
    );
    for (g, e) in [
        (got.0, expected.0),
        (got.1, expected.1),
        (got.2, expected.2),
    ] {
        assert!(
            (g - e).abs() < 1e-4,
            "{name}: got {got:?}, expected {expected:?}"
        );
    }
    assert!(ratio["reason"].is_null());
}

/// The answer's counts and ratios equal plain SQL sums over its own months and areas, and the
/// formulas worked here; returns the treated and buffer codes.
async fn assert_matches_tables(app: &TestApp, json: &Value, dataset: &str, category: Option<&str>) {
    let treated = strings(&json["areas"]["treated"]);
    let buffer = strings(&json["areas"]["buffer"]);
    let mut counts = std::collections::HashMap::new();
    for period in ["pilot", "before", "after", "year_before"] {
        let months = strings(&json["months"][period]);
        let t = sum(&app.db, dataset, category, Some(&treated), &months).await;
        let b = sum(&app.db, dataset, category, Some(&buffer), &months).await;
        let all = sum(&app.db, dataset, category, None, &months).await;
        let c = all - t - b;
        for (area, expected) in [("treated", t), ("buffer", b), ("comparison", c)] {
            assert_eq!(
                json["counts"][area][period].as_i64(),
                Some(expected),
                "{dataset} {category:?} {area} {period}"
            );
        }
        counts.insert(period, (t, b, c));
    }
    let (t1, b1, c1) = counts["pilot"];
    let (t0, b0, c0) = counts["year_before"];
    let (tb, _, cb) = counts["before"];
    assert_ratio(json, "treated_vs_year_before", rate_ratio(t1, t0, c1, c0));
    assert_ratio(json, "treated_vs_before", rate_ratio(t1, tb, c1, cb));
    assert_ratio(json, "buffer_vs_year_before", rate_ratio(b1, b0, c1, c0));
    let [t1, t0, b1, b0, c1, c0] = [t1, t0, b1, b0, c1, c0].map(|n| n as f64);
    let denominator = t1 / c1 - t0 / c0;
    if denominator < 0.0 {
        let wdq = (b1 / c1 - b0 / c0) / denominator;
        assert!((json["wdq"].as_f64().unwrap() - wdq).abs() < 1e-4, "{json}");
        assert!(json["wdq_reason"].is_null());
    } else {
        assert!(json["wdq"].is_null());
        assert!(
            json["wdq_reason"]
                .as_str()
                .unwrap()
                .contains("did not fall")
        );
    }
}

#[tokio::test]
async fn the_demo_crime_evaluation_equals_sums_taken_straight_from_the_tables() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let json = evaluation_json(&app, &viewer, "dataset=crime").await;

    assert_eq!(json["pilot"], "calgary-2023");
    assert_eq!(json["dataset"], "crime");
    assert!(json["category"].is_null());
    // The pilot ran 27 February – 31 May 2023: March to May have all their days in it.
    assert_eq!(
        strings(&json["months"]["pilot"]),
        ["2023-03", "2023-04", "2023-05"]
    );
    assert_eq!(
        strings(&json["months"]["before"]),
        ["2022-12", "2023-01", "2023-02"]
    );
    assert_eq!(
        strings(&json["months"]["after"]),
        ["2023-06", "2023-07", "2023-08"]
    );
    assert_eq!(
        strings(&json["months"]["year_before"]),
        ["2022-03", "2022-04", "2022-05"]
    );

    // Treated: the demo's districts holding a hotspot active in the pilot, read here directly.
    let treated: Vec<String> = sqlx::query_scalar(
        r#"select distinct d.code from districts d
             join pilots p on p.id = d.pilot_id
             join hotspots h on h.district_id = d.id
            where p.slug = 'calgary-2023' and h.active_from <= p.ends_on
              and coalesce(h.active_to, p.ends_on) >= p.starts_on
            order by d.code"#,
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!treated.is_empty());
    assert_eq!(strings(&json["areas"]["treated"]), treated);

    // Mission lies across 17 Avenue from Beltline: it is in the buffer. Bowness, on the city's
    // western edge, is not.
    let buffer = strings(&json["areas"]["buffer"]);
    let code_of = |name: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "select code from communities where city = 'Calgary' and upper(name) = $1",
            )
            .bind(name)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    assert!(buffer.contains(&code_of("MISSION").await), "{buffer:?}");
    assert!(!buffer.contains(&code_of("BOWNESS").await), "{buffer:?}");

    // The comparison is every other community named in the crime statistics.
    let named: i64 = sqlx::query_scalar(
        r#"select count(distinct upper(community)) from community_stats
            where city = 'Calgary' and dataset = 'crime'
              and upper(community) not in (
                  select upper(name) from communities
                   where city = 'Calgary' and code = any($1))"#,
    )
    .bind([treated.clone(), buffer.clone()].concat())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(json["areas"]["comparison_count"].as_i64(), Some(named));

    assert_matches_tables(&app, &json, "crime", None).await;
}

#[tokio::test]
async fn one_category_and_the_disorder_counts_equal_their_sums_too() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let category: String = sqlx::query_scalar(
        r#"select category from community_stats where dataset = 'crime'
            group by category order by sum(count) desc limit 1"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    // Asked in capitals: the API answers with the category as stored.
    let query = format!(
        "dataset=crime&category={}",
        urlencode(&category.to_uppercase())
    );
    let json = evaluation_json(&app, &viewer, &query).await;
    assert_eq!(json["category"].as_str(), Some(category.as_str()));
    assert_matches_tables(&app, &json, "crime", Some(&category)).await;

    // The disorder extract counts only the 13 inner-city communities, all of them patrolled or
    // within 250 m of a patrolled one: the counts are given, the ratios are not, and say why.
    let json = evaluation_json(&app, &viewer, "dataset=disorder").await;
    assert_eq!(json["dataset"], "disorder");
    assert_eq!(json["areas"]["comparison_count"], 0);
    let treated = strings(&json["areas"]["treated"]);
    let pilot = strings(&json["months"]["pilot"]);
    assert_eq!(
        json["counts"]["treated"]["pilot"].as_i64(),
        Some(sum(&app.db, "disorder", None, Some(&treated), &pilot).await)
    );
    for ratio in [
        "treated_vs_year_before",
        "treated_vs_before",
        "buffer_vs_year_before",
    ] {
        let reason = json["rate_ratio"][ratio]["reason"].as_str().unwrap();
        assert!(reason.contains("nothing to compare with"), "{reason}");
        assert!(json["rate_ratio"][ratio]["value"].is_null());
    }
    assert!(json["wdq"].is_null());
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_bad_dataset_or_an_unknown_category_is_refused_with_a_sentence_in_json() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    for (query, words) in [
        (
            "dataset=traffic",
            "unknown dataset \"traffic\": use crime or disorder",
        ),
        (
            "dataset=crime&category=Jaywalking",
            "unknown category \"Jaywalking\"",
        ),
    ] {
        let response = app
            .get(
                &format!("/api/v1/pilots/calgary-2023/evaluation?{query}"),
                Some(&viewer),
            )
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{query}");
        let json: Value = serde_json::from_str(&response.body).unwrap();
        let error = json["error"].as_str().unwrap();
        assert!(error.contains(words), "{query}: {error}");
    }
    let response = app
        .get(
            "/api/v1/pilots/nowhere/evaluation?dataset=crime",
            Some(&viewer),
        )
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_role_but_officer_may_read_the_evaluation_and_anonymous_callers_must_sign_in() {
    let app = TestApp::seeded().await;
    let officer = app.sign_in_as(Role::Officer).await;
    let refused = app
        .get("/api/v1/pilots/calgary-2023/evaluation", Some(&officer))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for role in Role::ALL.into_iter().filter(|r| r.includes(Role::Viewer)) {
        let cookie = app.sign_in_as(role).await;
        let response = app
            .get("/api/v1/pilots/calgary-2023/evaluation", Some(&cookie))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{role}");
    }
    let anonymous = app
        .get("/api/v1/pilots/calgary-2023/evaluation", None)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let json: Value = serde_json::from_str(&anonymous.body).unwrap();
    assert!(json["error"].as_str().unwrap().contains("sign in"));
}
