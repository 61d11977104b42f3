//! The exports page and its downloads: who may use them, what a bad parameter gets, the rows and
//! dictionary each dataset lists, and a large download streamed.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use futures_util::StreamExt;
use patrolboard::domain::Role;
use patrolboard::export::DATASETS;
use tower::ServiceExt;

use super::{Csv, PILOT, download, expected_rows, url};
use crate::common::app::TestApp;
use crate::common::fixture::Fixture;
use crate::common::scalar;

#[tokio::test]
async fn picking_another_pilot_on_the_exports_page_shows_its_own_dates() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    Fixture::pilot("winter-2024")
        .name("Winter 2024")
        .days("2024-01-08", "2024-03-31")
        .block_minutes(30)
        .build(&app.db)
        .await;
    let page = app.get("/exports", Some(&cookie)).await;
    assert_eq!(
        page.texts("#datasets caption")[0],
        "Winter 2024, Mon 8 Jan 2024 to Sun 31 Mar 2024: what each download holds",
        "the most recent pilot comes first"
    );

    // The form as sent after choosing the demo pilot: the dates and district of Winter 2024.
    let switched = app
        .get(
            "/exports?shown=winter-2024&pilot=calgary-2023&from=2024-01-08&to=2024-03-31&district=",
            Some(&cookie),
        )
        .await;
    let typed = app
        .get(
            "/exports?pilot=calgary-2023&from=2024-01-08&to=2024-03-31",
            Some(&cookie),
        )
        .await;

    assert_eq!(switched.status, StatusCode::OK, "{}", switched.body);
    assert_eq!(
        switched.texts("#datasets caption")[0],
        "Calgary Downtown Sheriffs Pilot 2023, Mon 27 Feb 2023 to Wed 31 May 2023: what each download holds"
    );
    assert_eq!(
        typed.status,
        StatusCode::BAD_REQUEST,
        "dates typed into the address for a pilot are still checked"
    );
}

#[tokio::test]
async fn viewers_are_refused_and_anonymous_requests_are_sent_to_sign_in() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    for path in ["/exports", "/exports/visits.csv?pilot=calgary-2023"] {
        let anonymous = app.get(path, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            anonymous
                .location()
                .unwrap()
                .starts_with("/login?next=/exports")
        );
        assert_eq!(
            app.get(path, Some(&viewer)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for role in [Role::Supervisor, Role::Analyst, Role::Admin] {
        let cookie = app.sign_in_as(role).await;
        for path in ["/exports", "/exports/visits.csv?pilot=calgary-2023"] {
            assert_eq!(
                app.get(path, Some(&cookie)).await.status,
                StatusCode::OK,
                "{role} {path}"
            );
        }
    }
}

#[tokio::test]
async fn bad_parameters_get_a_clear_400_or_404_and_never_a_500() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let cases = [
        (
            "/exports/nope.csv?pilot=calgary-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/exports/visits?pilot=calgary-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/exports/visits.json?pilot=calgary-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/exports/visits.csv?pilot=nowhere-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        ("/exports?pilot=nowhere-2023", StatusCode::NOT_FOUND, ""),
        ("/exports/visits.csv", StatusCode::BAD_REQUEST, "pilot"),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=2023-13-01",
            StatusCode::BAD_REQUEST,
            "YYYY-MM-DD",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=yesterday",
            StatusCode::BAD_REQUEST,
            "YYYY-MM-DD",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=2023-03-10&to=2023-03-09",
            StatusCode::BAD_REQUEST,
            "before it starts",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=2023-01-01",
            StatusCode::BAD_REQUEST,
            "not inside the pilot",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&to=2023-06-01",
            StatusCode::BAD_REQUEST,
            "not inside the pilot",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&district=XYZ",
            StatusCode::BAD_REQUEST,
            "no district",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&bom=yes",
            StatusCode::BAD_REQUEST,
            "bom",
        ),
        (
            "/exports?pilot=calgary-2023&to=2023-02-01",
            StatusCode::BAD_REQUEST,
            "before it starts",
        ),
        (
            "/exports?pilot=calgary-2023&district=%27%3B--",
            StatusCode::BAD_REQUEST,
            "no district",
        ),
        (
            "/exports/visits.csv?pilot=%27%3B%20drop%20table%20visits",
            StatusCode::NOT_FOUND,
            "",
        ),
    ];
    for (path, status, sentence) in cases {
        let response = app.get(path, Some(&cookie)).await;
        assert_eq!(response.status, status, "{path}: {}", response.body);
        let message = response.texts(".message").join(" ");
        assert!(message.contains(sentence), "{path}: {message}");
    }
    assert_eq!(scalar(&app.db, "select count(*) from visits").await, 4307);
}

#[tokio::test]
async fn the_exports_page_lists_every_dataset_with_the_rows_its_download_will_have() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    // Counts come from the roll-ups (the whole pilot, one district) or from the rows themselves.
    for query in [
        "from=2023-03-06&to=2023-03-19&district=DNC",
        "from=2023-02-27&to=2023-05-31",
        "from=2023-03-12&to=2023-03-12&district=BLN",
    ] {
        assert_counts_match_downloads(&app, &cookie, query).await;
    }
}

/// Each dataset's count on the exports page under `query` is the rows of its download.
async fn assert_counts_match_downloads(app: &TestApp, cookie: &str, query: &str) {
    let page = app
        .get(&format!("/exports?pilot={PILOT}&{query}"), Some(cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = page.html();
    let select = |css: &str| scraper::Selector::parse(css).unwrap();

    let listed: Vec<_> = html.select(&select("#datasets tbody tr")).collect();
    assert_eq!(listed.len(), DATASETS.len());
    for (row, dataset) in listed.into_iter().zip(DATASETS) {
        assert_eq!(row.value().attr("data-dataset"), Some(dataset.name));
        let rows: i64 = row
            .select(&select("[data-rows]"))
            .next()
            .unwrap()
            .value()
            .attr("data-rows")
            .unwrap()
            .parse()
            .unwrap();
        let href = row
            .select(&select("a.download"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        assert_eq!(
            href,
            format!("/exports/{}.csv?pilot={PILOT}&{query}", dataset.name)
        );
        let excel = row
            .select(&select("a.download-excel"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        assert_eq!(excel, format!("{href}&bom=1"));
        let (_, csv) = download(app, cookie, href).await;
        assert_eq!(csv.rows.len() as i64, rows, "{} with {query}", dataset.name);
    }
}

#[tokio::test]
async fn the_data_dictionary_documents_every_column_of_every_download() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let page = app.get("/exports", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let select = |css: &str| scraper::Selector::parse(css).unwrap();

    for dataset in DATASETS {
        let table = html
            .select(&select(&format!(
                "table.dictionary[data-dataset={}]",
                dataset.name
            )))
            .next()
            .unwrap_or_else(|| panic!("a dictionary for {}", dataset.name));
        let documented: Vec<String> = table
            .select(&select("tbody tr"))
            .map(|tr| {
                let cells: Vec<String> = tr
                    .select(&select("th, td"))
                    .map(|c| c.text().collect::<String>().trim().to_string())
                    .collect();
                assert!(
                    !cells[1].is_empty() && !cells[3].is_empty(),
                    "{cells:?} has a type and a meaning"
                );
                cells[0].clone()
            })
            .collect();
        let (_, csv) = download(&app, &cookie, &url(dataset.name, "")).await;
        assert_eq!(documented, csv.header, "{}", dataset.name);
    }
}

#[tokio::test]
async fn the_exports_page_has_a_labelled_filter_that_keeps_the_choice() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let page = app
        .get(
            "/exports?pilot=calgary-2023&from=2023-03-06&to=2023-03-12&district=BLN",
            Some(&cookie),
        )
        .await;
    let html = page.html();
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    for field in html.select(&select(
        "form.filter input:not([type=hidden]), form.filter select",
    )) {
        let id = field.value().attr("id").expect("every field has an id");
        assert!(
            html.select(&select(&format!("label[for={id}]")))
                .next()
                .is_some(),
            "{id} has a label"
        );
    }
    let value = |css: &str| {
        html.select(&select(css))
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_string))
    };
    assert_eq!(value("#from").as_deref(), Some("2023-03-06"));
    assert_eq!(value("#to").as_deref(), Some("2023-03-12"));
    assert_eq!(value("#pilot option[selected]").as_deref(), Some(PILOT));
    assert_eq!(value("#district option[selected]").as_deref(), Some("BLN"));
}

#[tokio::test]
async fn a_large_export_is_streamed_in_chunks_not_built_in_memory() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let router = patrolboard::web::router(patrolboard::state::AppState::new(
        app.db.clone(),
        patrolboard::config::Config::default(),
    ));
    let request = Request::get(url("visits", ""))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::CONTENT_LENGTH).is_none());

    let mut chunks = response.into_body().into_data_stream();
    let (mut count, mut biggest, mut bytes) = (0, 0, Vec::new());
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.unwrap();
        count += 1;
        biggest = biggest.max(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    let csv = Csv::parse(std::str::from_utf8(&bytes).unwrap());
    let expected = expected_rows(&app.db, "visits", "2023-02-27", "2023-05-31", None).await;
    assert_eq!(csv.rows.len() as i64, expected);
    assert!(count > 5, "{count} chunks");
    assert!(
        biggest < 2 * patrolboard::export::stream::CHUNK_BYTES,
        "the biggest chunk is {biggest} bytes"
    );
}
