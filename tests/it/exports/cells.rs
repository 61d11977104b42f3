//! What is written into the file: formulas neutralised, CRLF line ends, a byte-order mark when
//! asked, and a file name that says what it holds.

use axum::http::{StatusCode, header};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use patrolboard::domain::Role;
use patrolboard::domain::activity_draft::{ActivityForm, ActivityKind};
use patrolboard::domain::ids::{PilotId, ShiftId};

use super::{Csv, download, url};
use crate::common::app::{TestApp, TestResponse};
use crate::common::fixture::write;

#[tokio::test]
async fn text_a_spreadsheet_would_run_as_a_formula_is_neutralised_and_numbers_are_not() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let formulas = write::Officer {
        rank: "@x".to_string(),
        home_unit: "-2".to_string(),
        ..write::Officer::new("cps", "+1", "=SUM(A1)")
    };
    let officer = write::officer(&app.db, &formulas).await;
    let march = write::Assignment {
        officer_id: officer,
        starts_on: NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
        ends_on: NaiveDate::from_ymd_opt(2023, 3, 31).unwrap(),
        role: "cps_partner".to_string(),
    };
    write::assignment(&app.db, PilotId(1), &march).await;
    let (shift, starts_at): (ShiftId, DateTime<Utc>) = sqlx::query_as(
        r#"update shifts set notes = E'\t=cmd|'' /C calc''!A0' where id = (
               select id from shifts
                where (starts_at at time zone 'America/Edmonton')::date = '2023-03-15'
                order by id limit 1)
           returning id, starts_at"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let moved_on = ActivityForm {
        kind: ActivityKind::Other.as_str().to_string(),
        count: "2".to_string(),
        hotspot_id: String::new(),
        occurred_at: write::form_time(
            chrono_tz::America::Edmonton,
            starts_at + TimeDelta::minutes(1),
        ),
        note: "-5 people moved on".to_string(),
    };
    let author = write::author(&app.db).await;
    let activity = write::activity(&app.db, author, shift, &moved_on).await;

    let (_, officers) = download(&app, &cookie, &url("officers", "")).await;
    let row = officers.row_where("id", &officer.to_string());
    assert_eq!(row["name"], "'=SUM(A1)");
    assert_eq!(row["badge_number"], "'+1");
    assert_eq!(row["rank"], "'@x");
    assert_eq!(row["home_unit"], "'-2");
    let someone = officers.row_where("id", "1");
    assert!(
        !someone["name"].starts_with('\''),
        "ordinary names are left alone"
    );

    let (_, shifts) = download(
        &app,
        &cookie,
        &url("shifts", "&from=2023-03-15&to=2023-03-15"),
    )
    .await;
    let row = shifts.row_where("id", &shift.to_string());
    // The tab is a separator too: split on it, the cell would start with `=cmd`.
    assert_eq!(row["notes"], "'\t'=cmd|' /C calc'!A0");

    let (_, activities) = download(
        &app,
        &cookie,
        &url("activities", "&from=2023-03-15&to=2023-03-15"),
    )
    .await;
    let row = activities.row_where("id", &activity.to_string());
    assert_eq!(row["note"], "'-5 people moved on");
    assert_eq!(row["count"], "2", "numbers are written as numbers");
    assert_eq!(row["hotspot_id"], "", "no hotspot is an empty cell");
}

#[tokio::test]
async fn the_file_uses_crlf_line_ends_and_a_byte_order_mark_only_when_asked() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;

    let plain = app.get(&url("teams", ""), Some(&cookie)).await;
    assert!(
        plain.body.starts_with("id,name,agency,mode\r\n"),
        "{:?}",
        &plain.body[..40]
    );
    assert!(
        !plain.body.replace("\r\n", "").contains('\n'),
        "no bare line feeds"
    );

    let excel = app.get(&url("teams", "&bom=1"), Some(&cookie)).await;
    assert_eq!(excel.status, StatusCode::OK);
    assert!(excel.body.starts_with("\u{feff}id,name,agency,mode\r\n"));
    assert_eq!(Csv::parse(&excel.body).rows, Csv::parse(&plain.body).rows);

    let zero = app.get(&url("teams", "&bom=0"), Some(&cookie)).await;
    assert_eq!(zero.body, plain.body);
}

#[tokio::test]
async fn the_file_is_named_for_what_it_holds_and_when() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let disposition = |response: &TestResponse| {
        response.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_string()
    };

    let visits = app
        .get(
            &url("visits", "&from=2023-03-01&to=2023-03-31"),
            Some(&cookie),
        )
        .await;
    assert_eq!(
        disposition(&visits),
        r#"attachment; filename="patrolboard-calgary-2023-visits-2023-03-01-to-2023-03-31.csv""#
    );
    let whole = app
        .get(&url("coverage_daily", "&district=BLN"), Some(&cookie))
        .await;
    assert_eq!(
        disposition(&whole),
        r#"attachment; filename="patrolboard-calgary-2023-coverage_daily-BLN-2023-02-27-to-2023-05-31.csv""#
    );
    let officers = app
        .get(
            &url("officers", "&from=2023-03-01&district=BLN"),
            Some(&cookie),
        )
        .await;
    assert_eq!(
        disposition(&officers),
        r#"attachment; filename="patrolboard-calgary-2023-officers.csv""#,
        "dates and district are named only when they limit the file"
    );
}
