//! The upload page: a dry run then an apply, bad rows listed, a big file, and who may upload.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{BOUNDARIES_CSV, CRIME_CSV, PILOT, data, fresh_pilot, replace_line, text_of, upload};
use crate::common::app::TestApp;
use crate::common::scalar;

#[tokio::test]
async fn an_analyst_dry_runs_then_applies_an_upload() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let form = app.get("/imports", Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.texts("select#pilot option[value=test-2023]").len(), 1);
    let file = data(BOUNDARIES_CSV);

    let dry = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "dry-run")],
        BOUNDARIES_CSV,
        &file,
    )
    .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(text_of(&dry, "#import-new"), "13");
    assert!(text_of(&dry, "#import-headline").contains("Dry run"));
    assert_eq!(scalar(&app.db, "select count(*) from districts").await, 0);

    let applied = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
        BOUNDARIES_CSV,
        &file,
    )
    .await;
    assert_eq!(applied.status, StatusCode::OK);
    assert_eq!(text_of(&applied, "#import-new"), "13");
    assert_eq!(scalar(&app.db, "select count(*) from districts").await, 13);
    let user_ids: Vec<Option<i64>> =
        sqlx::query_scalar("select distinct user_id from audit_log where action = 'import'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(user_ids.len(), 1);
    assert!(user_ids[0].is_some(), "the analyst is recorded");

    let again = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
        BOUNDARIES_CSV,
        &file,
    )
    .await;
    assert_eq!(text_of(&again, "#import-unchanged"), "13");
    assert_eq!(text_of(&again, "#import-new"), "0");
}

#[tokio::test]
async fn an_upload_with_bad_rows_lists_each_with_its_line_and_writes_nothing() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let text = String::from_utf8(data(CRIME_CSV)).unwrap();
    let broken = replace_line(
        &replace_line(&text, 10, |l| l.replace(",2018,", ",2018x,")),
        20,
        |l| {
            let (rest, _) = l.rsplit_once(',').unwrap();
            format!("{rest},0")
        },
    );
    let audit_before = scalar(&app.db, "select count(*) from audit_log").await;

    let response = upload(
        &app,
        &cookie,
        &[
            ("kind", "community-stats"),
            ("pilot", ""),
            ("city", "Calgary"),
            ("mode", "apply"),
        ],
        CRIME_CSV,
        broken.as_bytes(),
    )
    .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.texts("#import-errors tbody th"), ["10", "20"]);
    let reasons = response.texts("#import-errors tbody td");
    assert!(
        reasons.iter().any(|r| r.contains("Month 0 is not in 1–12")),
        "{reasons:?}"
    );
    assert!(text_of(&response, "#import-headline").contains("nothing was written"));
    assert_eq!(
        scalar(&app.db, "select count(*) from community_stats").await,
        0
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn an_upload_bigger_than_the_usual_body_limit_with_a_huge_cell_is_accepted() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    // A circle of 150,000 points around downtown: one WKT cell of more than 3 MB.
    let n = 150_000;
    let points: Vec<String> = (0..=n)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i % n) / f64::from(n);
            format!(
                "{:.7} {:.7}",
                -114.06 + 0.01 * a.cos(),
                51.045 + 0.006 * a.sin()
            )
        })
        .collect();
    let file = format!(
        "\u{feff}COMM_CODE,NAME,MULTIPOLYGON\r\nBIG,BIG CIRCLE,\"MULTIPOLYGON ((({})))\"\r\n",
        points.join(", ")
    );
    assert!(file.len() > 3 * 1024 * 1024);

    let response = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
        "big.csv",
        file.as_bytes(),
    )
    .await;

    assert_eq!(
        response.status,
        StatusCode::OK,
        "{}",
        text_of(&response, "main")
    );
    assert_eq!(text_of(&response, "#import-new"), "1");
    assert_eq!(
        scalar(
            &app.db,
            "select jsonb_array_length(boundary -> 'coordinates' -> 0 -> 0)::int8 from districts"
        )
        .await,
        i64::from(n) + 1
    );
}

#[tokio::test]
async fn an_upload_without_a_pilot_or_a_file_is_refused() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Admin).await;

    let no_pilot = upload(
        &app,
        &cookie,
        &[("kind", "hotspots"), ("pilot", ""), ("mode", "apply")],
        "h.geojson",
        b"{}",
    )
    .await;
    let no_file = upload(
        &app,
        &cookie,
        &[("kind", "community-stats"), ("mode", "apply")],
        "",
        b"",
    )
    .await;

    assert_eq!(no_pilot.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&no_pilot, "#import-problem").contains("pilot"));
    assert_eq!(no_file.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&no_file, "#import-problem").contains("file"));
}

#[tokio::test]
async fn viewers_and_supervisors_cannot_import() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    for role in [Role::Viewer, Role::Supervisor] {
        let cookie = app.sign_in_as(role).await;

        let page = app.get("/imports", Some(&cookie)).await;
        let post = upload(
            &app,
            &cookie,
            &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
            BOUNDARIES_CSV,
            &data(BOUNDARIES_CSV),
        )
        .await;

        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{role}");
    }
    assert_eq!(scalar(&app.db, "select count(*) from districts").await, 0);
    let anonymous = app.get("/imports", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn communities_and_statistics_are_uploaded_into_the_city_given() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Analyst).await;

    let communities = upload(
        &app,
        &cookie,
        &[
            ("kind", "communities"),
            ("city", " Calgary "),
            ("mode", "apply"),
        ],
        BOUNDARIES_CSV,
        &data(BOUNDARIES_CSV),
    )
    .await;
    let no_city = upload(
        &app,
        &cookie,
        &[("kind", "community-stats"), ("city", ""), ("mode", "apply")],
        CRIME_CSV,
        &data(CRIME_CSV),
    )
    .await;

    assert_eq!(communities.status, StatusCode::OK);
    assert_eq!(text_of(&communities, "#import-city"), "Calgary");
    assert_eq!(text_of(&communities, "#import-new"), "13");
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from communities where city = 'Calgary'"
        )
        .await,
        13
    );
    assert_eq!(no_city.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&no_city, "#import-problem").contains("Give the city"));
    assert_eq!(
        scalar(&app.db, "select count(*) from community_stats").await,
        0
    );
}
