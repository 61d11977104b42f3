//! Every exported dataset, after a hostile value went into every free-text column: opened with
//! `,` or with `;` as the separator (Excel in many European locales), no cell starts a formula.

use patrolboard::domain::Role;
use patrolboard::export::DATASETS;
use sqlx::PgPool;

use crate::faults::server::RealServer;

/// Formula triggers at the start and after each separator a spreadsheet may split on.
const HOSTILE: &str = "=7+7;=HYPERLINK(\"http://x\");-1,+2\t@SUM(A1)\r\n=3; \"=4\"";

/// Writes [`HOSTILE`] around the value of every text column of every table that takes it (a
/// column with a check or a key refuses it), and returns how many took it. Accounts, sessions,
/// and the pilot's slug and time zone are what the requests themselves need, so they are left.
async fn poison_every_text_column(db: &PgPool) -> usize {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "select table_name::text, column_name::text from information_schema.columns
          where table_schema = 'public' and data_type in ('text', 'character varying')
            and table_name not in ('users', 'sessions', 'login_failures', '_sqlx_migrations')
            and column_name not in ('slug', 'time_zone')
          order by 1, 2",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut poisoned = 0;
    for (table, column) in columns {
        let sql = format!(
            "update {table} set {column} = $1 || {column} || $1 where {column} is not null"
        );
        let mut tx = db.begin().await.unwrap();
        if sqlx::query(&sql)
            .bind(HOSTILE)
            .execute(&mut *tx)
            .await
            .is_ok()
        {
            tx.commit().await.unwrap();
            poisoned += 1;
        }
    }
    poisoned
}

/// Whether a spreadsheet would run the field as a formula: it starts with a trigger once
/// leading spaces and quotes are dropped, and it is not a plain number.
fn live_formula(field: &str) -> bool {
    let start = field.trim_start_matches([' ', '"']);
    let trigger = start.starts_with(['=', '+', '-', '@', '\t', '\r']);
    trigger && start.trim().parse::<f64>().is_err()
}

#[tokio::test]
async fn no_exported_cell_starts_a_formula_whichever_separator_it_is_opened_with() {
    let server = RealServer::seeded().await;
    let supervisor = server.signed_in(Role::Supervisor).await;
    let admin = server.signed_in(Role::Admin).await;

    // A shift edited through the form, so that the audit log's before and after hold the notes.
    let (id, team, starts, ends, version): (i64, i64, String, String, i32) = sqlx::query_as(
        "select s.id, s.team_id,
                to_char(s.starts_at at time zone 'America/Edmonton', 'YYYY-MM-DD\"T\"HH24:MI'),
                to_char(s.ends_at at time zone 'America/Edmonton', 'YYYY-MM-DD\"T\"HH24:MI'),
                s.version
           from shifts s join pilots p on p.id = s.pilot_id
          where p.slug = 'calgary-2023' and s.status <> 'cancelled' order by s.starts_at desc limit 1",
    )
    .fetch_one(&server.db)
    .await
    .unwrap();
    let mut form: Vec<(String, String)> = vec![
        ("team_id".into(), team.to_string()),
        ("starts_at".into(), starts),
        ("ends_at".into(), ends),
        ("mode".into(), "foot".into()),
        ("notes".into(), HOSTILE.into()),
        ("version".into(), version.to_string()),
    ];
    for (list, sql) in [
        (
            "officer_ids",
            "select officer_id from shift_members where shift_id = $1",
        ),
        (
            "hotspot_ids",
            "select hotspot_id from shift_hotspots where shift_id = $1",
        ),
    ] {
        let ids: Vec<i64> = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_all(&server.db)
            .await
            .unwrap();
        form.extend(ids.into_iter().map(|i| (list.to_string(), i.to_string())));
    }
    let edited = supervisor
        .post(server.url(&format!("/shifts/{id}")))
        .header("origin", &server.base)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 303, "{}", edited.text().await.unwrap());

    let poisoned = poison_every_text_column(&server.db).await;
    assert!(
        poisoned >= 10,
        "only {poisoned} text columns took the value"
    );

    let mut live = Vec::new();
    for dataset in DATASETS {
        let url = server.url(&format!("/exports/{}.csv?pilot=calgary-2023", dataset.name));
        let response = admin.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{}", dataset.name);
        let body = response.bytes().await.unwrap();
        let hostile_rows = String::from_utf8_lossy(&body).matches("HYPERLINK").count();
        assert!(
            hostile_rows > 0 || dataset.name == "coverage_daily",
            "{} holds the value",
            dataset.name
        );
        for separator in [b',', b';'] {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(separator)
                .has_headers(false)
                .flexible(true)
                .from_reader(&body[..]);
            for record in reader.byte_records() {
                let record = record.unwrap();
                for field in record.iter() {
                    let field = String::from_utf8_lossy(field);
                    if live_formula(&field) {
                        live.push(format!(
                            "{} with {:?}: {field:?}",
                            dataset.name, separator as char
                        ));
                    }
                }
            }
        }
    }
    assert!(
        live.is_empty(),
        "{} live formulas, the first: {:#?}",
        live.len(),
        &live[..live.len().min(10)]
    );
}
