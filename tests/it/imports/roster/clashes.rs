//! Roster rows that clash with shifts in the database or with each other, or that were changed
//! since the export: refused with the line, nothing written; and a swap of officers that only
//! looks like a clash halfway through.

use chrono::NaiveDate;
use patrolboard::domain::Role;

use super::{DEMO, Sheet, WEEK, counts, export, import, new_row_like, other_team, roster_state};
use crate::common::app::TestApp;
use crate::common::scalar;

#[tokio::test]
async fn a_clash_with_a_shift_in_the_database_or_between_rows_names_the_other_shift() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let sheet = Sheet::parse(&export(&app, &cookie, Some(WEEK)).await);
    let c = sheet.active(None, 1);
    let team = other_team(&app.db, &[sheet.team(c)]).await;
    let before = roster_state(&app.db).await;

    // A new shift with C's officers at C's times clashes with C, which is in the database.
    let mut with_db = Sheet {
        header: sheet.header.clone(),
        rows: vec![new_row_like(&sheet, c, team)],
    };
    let report = import(&app.db, &with_db.to_csv(), false).await;
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 2);
    assert!(
        report.errors[0]
            .reason
            .contains(&format!("is already on shift #{}", sheet.id(c))),
        "{}",
        report.errors[0]
    );

    // With C cancelled in the file, the first of two such shifts fits and the second clashes
    // with the first.
    with_db.rows.insert(0, sheet.rows[c].clone());
    with_db.set(0, "status", "cancelled");
    with_db.rows.push(new_row_like(&sheet, c, team));
    let third = other_team(&app.db, &[sheet.team(c), team]).await;
    with_db.set(2, "team_id", &third.to_string());
    let dry = import(&app.db, &with_db.to_csv(), true).await;
    let report = import(&app.db, &with_db.to_csv(), false).await;
    for report in [&dry, &report] {
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
        assert_eq!(report.errors[0].line, 4);
        assert!(
            report.errors[0]
                .reason
                .contains("is already on the shift of line 3"),
            "{}",
            report.errors[0]
        );
    }
    assert_eq!(roster_state(&app.db).await, before);
}

#[tokio::test]
async fn officers_swapped_between_two_shifts_at_the_same_time_do_not_clash_in_between() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let mut sheet = Sheet::parse(&export(&app, &cookie, Some(WEEK)).await);
    let same_times = |r: usize, o: usize| {
        sheet.get(r, "starts_at") == sheet.get(o, "starts_at")
            && sheet.get(r, "ends_at") == sheet.get(o, "ends_at")
    };
    let (a, b) = (0..sheet.rows.len())
        .flat_map(|r| (r + 1..sheet.rows.len()).map(move |o| (r, o)))
        .find(|&(r, o)| {
            sheet.get(r, "status") != "cancelled"
                && sheet.get(o, "status") != "cancelled"
                && same_times(r, o)
        })
        .expect("two shifts at the same time");
    let members = |row: usize| -> Vec<String> {
        sheet
            .get(row, "officer_ids")
            .split(';')
            .map(String::from)
            .collect()
    };
    let (mut a_members, mut b_members) = (members(a), members(b));
    std::mem::swap(&mut a_members[0], &mut b_members[0]);
    sheet.set(a, "officer_ids", &a_members.join(";"));
    sheet.set(b, "officer_ids", &b_members.join(";"));

    let report = import(&app.db, &sheet.to_csv(), false).await;

    assert_eq!(report.errors, []);
    assert_eq!(counts(&report), (0, 2, 0, sheet.rows.len() - 2));
    let stored: String = sqlx::query_scalar(
        "select string_agg(officer_id::text, ';' order by officer_id) from shift_members where shift_id = $1",
    )
    .bind(sheet.id(a))
    .fetch_one(&app.db)
    .await
    .unwrap();
    let mut expected: Vec<i64> = a_members.iter().map(|m| m.parse().unwrap()).collect();
    expected.sort_unstable();
    let expected: Vec<String> = expected.iter().map(i64::to_string).collect();
    assert_eq!(stored, expected.join(";"));
}

#[tokio::test]
async fn a_row_changed_since_the_export_is_refused_and_a_new_cancelled_one_too() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let mut sheet = Sheet::parse(&export(&app, &cookie, Some(WEEK)).await);
    let a = sheet.active(None, 1);
    // A supervisor edits the shift after the export.
    sqlx::query(
        "update shifts set notes = 'Changed by a supervisor', version = version + 1 where id = $1",
    )
    .bind(sheet.id(a))
    .execute(&app.db)
    .await
    .unwrap();
    // The file still has the notes of the export, so its row differs from the stored shift.
    let team = other_team(&app.db, &[sheet.team(a)]).await;
    let mut new = new_row_like(&sheet, a, team);
    // Cancelled from the start.
    new[sheet.col("status")] = "cancelled".into();
    sheet.rows.push(new);
    let before = roster_state(&app.db).await;

    let report = import(&app.db, &sheet.to_csv(), false).await;

    let reasons: Vec<(usize, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, sheet.line_of(a));
    assert!(
        reasons[0]
            .1
            .contains("changed since this file was exported (version 1 in the file, 2 now)")
    );
    assert_eq!(reasons[1].0, sheet.line_of(sheet.rows.len() - 1));
    assert!(reasons[1].1.contains("cannot start out cancelled"));
    assert_eq!(roster_state(&app.db).await, before);
}

#[tokio::test]
async fn a_clash_caught_by_the_constraint_during_the_import_is_a_bad_row_not_a_failure() {
    let app = TestApp::seeded().await;
    // An officer with no shift from the day before to the day after, and a team.
    let (officer, day, team): (i64, NaiveDate, i64) = sqlx::query_as(
        r#"select a.officer_id, d::date, (select min(t.id) from teams t where t.pilot_id = p.id)
             from pilots p join assignments a on a.pilot_id = p.id
             cross join generate_series(a.starts_on + 1, a.ends_on - 1, interval '1 day') d
            where p.slug = $1 and not exists (
                    select 1 from shift_members m where m.officer_id = a.officer_id
                       and m.shift_period && tstzrange(((d - interval '1 day')::date)::timestamp at time zone p.time_zone,
                                                       ((d + interval '2 day')::date)::timestamp at time zone p.time_zone))
            order by d, a.officer_id limit 1"#,
    )
    .bind(DEMO)
    .fetch_one(&app.db)
    .await
    .expect("an officer with a free day");
    let file = format!(
        "team_id,starts_at,ends_at,mode,status,officer_ids,hotspot_ids\n\
         {team},{day}T10:00:00-06:00,{day}T18:00:00-06:00,foot,planned,{officer},\n"
    );
    // A supervisor's transaction puts the officer on a shift and has not committed yet.
    let mut racer = app.db.begin().await.unwrap();
    let shift: i64 = sqlx::query_scalar(
        r#"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode)
           select pilot_id, id, ($2::date + time '12:00') at time zone 'America/Edmonton',
                  ($2::date + time '14:00') at time zone 'America/Edmonton', 'foot'
             from teams where id = $1 returning id"#,
    )
    .bind(team)
    .bind(day)
    .fetch_one(&mut *racer)
    .await
    .unwrap();
    sqlx::query("insert into shift_members (shift_id, officer_id) values ($1, $2)")
        .bind(shift)
        .bind(officer)
        .execute(&mut *racer)
        .await
        .unwrap();
    let memberships = format!("select count(*) from shift_members where officer_id = {officer}");
    let before = scalar(&app.db, &memberships).await;
    let db = app.db.clone();
    let importing = tokio::spawn(async move { import(&db, &file, false).await });
    // Wait until the import waits on the constraint for the racer's row.
    let waiting = "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'";
    let mut waited = 0;
    while scalar(&app.db, waiting).await == 0 {
        assert!(
            !importing.is_finished(),
            "{:?}",
            importing.await.unwrap().errors
        );
        waited += 1;
        assert!(
            waited < 1000,
            "the import never waited for the other writer"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    racer.commit().await.unwrap();

    let report = importing.await.unwrap();

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 2);
    assert!(report.errors[0].reason.contains("overlapping shift"));
    assert_eq!(
        scalar(&app.db, &memberships).await,
        before + 1,
        "only the racer's shift was stored"
    );
}
