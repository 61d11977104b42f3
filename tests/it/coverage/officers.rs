//! The officers list's shifts, hours and usual team, against the raw shifts.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::Edmonton;
use patrolboard::db::officers;
use patrolboard::domain::ids::PilotId;

use crate::common::{date, scalar};

#[tokio::test]
async fn the_officers_list_counts_each_officers_shifts_hours_and_usual_team() {
    let db = crate::common::seeded_db().await;
    let pilot = PilotId(scalar(&db, "select id from pilots where slug = 'calgary-2023'").await);
    let worked: Vec<(i64, String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        r#"select m.officer_id, t.name, s.starts_at, s.ends_at
             from shifts s join shift_members m on m.shift_id = s.id join teams t on t.id = s.team_id
            where s.pilot_id = $1 and s.status <> 'cancelled'"#,
    )
    .bind(pilot)
    .fetch_all(&db)
    .await
    .unwrap();
    let assigned = scalar(
        &db,
        "select count(distinct officer_id) from assignments a join pilots p on p.id = a.pilot_id where p.slug = 'calgary-2023'",
    )
    .await;

    for (from, to) in [
        (date(2023, 2, 27), date(2023, 5, 31)),
        (date(2023, 3, 13), date(2023, 3, 19)),
        (date(2023, 3, 12), date(2023, 3, 12)),
    ] {
        // officer → (shifts, seconds, shifts per team)
        let mut expected: BTreeMap<i64, (i64, f64, BTreeMap<String, i64>)> = BTreeMap::new();
        for (officer, team, starts, ends) in &worked {
            let day: NaiveDate = starts.with_timezone(&Edmonton).date_naive();
            if (from..=to).contains(&day) {
                let entry = expected.entry(*officer).or_default();
                entry.0 += 1;
                entry.1 += (*ends - *starts).num_seconds() as f64;
                *entry.2.entry(team.clone()).or_default() += 1;
            }
        }
        let listed = officers::list(&db, pilot, "America/Edmonton", from, to)
            .await
            .unwrap();
        assert_eq!(
            listed.len() as i64,
            assigned,
            "every assigned officer is listed"
        );
        for officer in &listed {
            let (shifts, seconds, teams) = expected.remove(&officer.id.0).unwrap_or_default();
            let usual = teams
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(name, _)| name.clone());
            let label = format!("{} {from}..{to}", officer.name);
            assert_eq!(officer.shifts, shifts, "{label}");
            assert!((officer.seconds - seconds).abs() < 1e-6, "{label}");
            assert_eq!(officer.team, usual, "{label}");
        }
        assert!(expected.is_empty(), "no one worked without being listed");
    }
}
