//! Every roll-up, every reader and `hotspot_days` itself against what the rows beneath add up to.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use patrolboard::coverage::DayFigures;
use patrolboard::db::{activities, figures, hours};
use patrolboard::domain::ids::{DistrictId, PilotId};
use sqlx::{PgPool, Row};

use super::recount::{
    FIGURES, Stored, activity_counts, add, district_of, hotspot_days, officer_seconds,
    shift_counts, stored,
};
use crate::common::{date, scalar};

/// Fails naming the first few keys where two maps differ (they can hold thousands of rows).
fn assert_same<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
    stored: &BTreeMap<K, V>,
    expected: &BTreeMap<K, V>,
    what: &str,
) {
    let mut differences: Vec<String> = Vec::new();
    for (key, value) in stored {
        match expected.get(key) {
            Some(want) if want == value => {}
            want => differences.push(format!("{key:?}: stored {value:?}, expected {want:?}")),
        }
    }
    for key in expected.keys().filter(|k| !stored.contains_key(k)) {
        differences.push(format!("{key:?}: missing, expected {:?}", expected[key]));
    }
    assert!(
        differences.is_empty(),
        "{what}: {} differences, the first: {:#?}",
        differences.len(),
        &differences[..differences.len().min(5)]
    );
}

/// Every roll-up equals what the rows beneath it add up to.
pub(crate) async fn assert_rollups_match(db: &PgPool) {
    let days = hotspot_days(db).await;
    let district_of = district_of(db).await;
    let (mut months, mut weeks, mut districts, mut district_months, mut district_weeks) = (
        Stored::new(),
        Stored::new(),
        Stored::new(),
        Stored::new(),
        Stored::new(),
    );
    for ((hotspot, day), (figures, slots)) in &days {
        let month = day.with_day(1).unwrap();
        let district = district_of[hotspot];
        let week = day.week(chrono::Weekday::Mon).first_day();
        add(&mut months, (*hotspot, month), *figures, slots);
        add(&mut weeks, (*hotspot, week), *figures, slots);
        add(&mut district_weeks, (district, week), *figures, slots);
        add(&mut districts, (district, *day), *figures, slots);
        add(&mut district_months, (district, month), *figures, slots);
    }
    for (table, key, period, expected) in [
        ("hotspot_months", "hotspot_id", "month", &months),
        ("hotspot_weeks", "hotspot_id", "week", &weeks),
        ("district_weeks", "district_id", "week", &district_weeks),
        ("district_days", "district_id", "day", &districts),
        ("district_months", "district_id", "month", &district_months),
    ] {
        let sql = format!(
            "select {key}, {period}, {FIGURES}, slot_hours, slot_blocks, slot_planned from {table}"
        );
        assert_same(&stored(db, &sql).await, expected, table);
    }

    let officer_rows: Vec<(NaiveDate, String, Option<i64>, f64)> =
        sqlx::query_as("select day, agency, district_id, seconds from officer_days")
            .fetch_all(db)
            .await
            .unwrap();
    let expected = officer_seconds(db).await;
    assert_eq!(officer_rows.len(), expected.len(), "officer_days rows");
    for (day, agency, district, seconds) in officer_rows {
        let want = expected[&(day, agency.clone(), district)];
        assert!(
            (seconds - want).abs() < 1e-6,
            "officer_days {day} {agency} {district:?}: {seconds} against {want}"
        );
    }

    let activity_rows: Vec<(NaiveDate, String, Option<i64>, i64, i64)> =
        sqlx::query_as("select day, kind, district_id, count, rows from activity_days")
            .fetch_all(db)
            .await
            .unwrap();
    let stored_activities: BTreeMap<_, _> = activity_rows
        .into_iter()
        .map(|(day, kind, district, count, rows)| ((day, kind, district), (count, rows)))
        .collect();
    assert_same(
        &stored_activities,
        &activity_counts(db).await,
        "activity_days",
    );

    let shift_rows: Vec<(NaiveDate, Option<i64>, i64, i64)> =
        sqlx::query_as("select day, district_id, shifts, members from shift_days")
            .fetch_all(db)
            .await
            .unwrap();
    let stored_shifts: BTreeMap<_, _> = shift_rows
        .into_iter()
        .map(|(day, district, shifts, members)| ((day, district), (shifts, members)))
        .collect();
    assert_same(&stored_shifts, &shift_counts(db).await, "shift_days");
}

/// The readers give, for several ranges, what the raw rows and `hotspot_days` add up to.
pub(super) async fn assert_readers_match(db: &PgPool) {
    let pilot = PilotId(scalar(db, "select id from pilots where slug = 'calgary-2023'").await);
    let days = hotspot_days(db).await;
    let district_of = district_of(db).await;
    let hours_raw = officer_seconds(db).await;
    let activities_raw = activity_counts(db).await;
    let ranges = [
        (date(2023, 2, 27), date(2023, 5, 31)),
        (date(2023, 3, 1), date(2023, 3, 31)),
        (date(2023, 2, 28), date(2023, 4, 30)),
        (date(2023, 3, 13), date(2023, 3, 19)),
        (date(2023, 3, 31), date(2023, 5, 1)),
        (date(2023, 4, 2), date(2023, 5, 30)),
        (date(2023, 3, 6), date(2023, 4, 30)),
        (date(2023, 2, 27), date(2023, 3, 5)),
    ];
    let mut conn = db.acquire().await.unwrap();
    for (from, to) in ranges {
        let label = format!("{from}..{to}");
        let in_range = |day: &NaiveDate| (from..=to).contains(day);
        let mut by_hotspot: BTreeMap<i64, DayFigures> = BTreeMap::new();
        let mut by_day: BTreeMap<NaiveDate, DayFigures> = BTreeMap::new();
        let district = district_of.values().copied().min().unwrap();
        // Slots by district, and by hotspot of `district`.
        let mut slots: BTreeMap<(i64, i16), (i64, i64)> = BTreeMap::new();
        let mut hotspot_slots: BTreeMap<(i64, i16), (i64, i64)> = BTreeMap::new();
        for ((hotspot, day), (figures, day_slots)) in days.iter().filter(|((_, d), _)| in_range(d))
        {
            *by_hotspot.entry(*hotspot).or_default() += *figures;
            *by_day.entry(*day).or_default() += *figures;
            for (hour, (blocks, planned)) in day_slots {
                let slot = slots.entry((district_of[hotspot], *hour)).or_default();
                slot.0 += blocks;
                slot.1 += planned;
                if district_of[hotspot] == district {
                    let slot = hotspot_slots.entry((*hotspot, *hour)).or_default();
                    slot.0 += blocks;
                    slot.1 += planned;
                }
            }
        }

        let report = figures::by_hotspot(&mut *conn, pilot, from, to)
            .await
            .unwrap();
        let read: BTreeMap<i64, DayFigures> = report.iter().map(|h| (h.id.0, h.figures)).collect();
        assert_same(&read, &by_hotspot, &format!("by_hotspot {label}"));
        let read: BTreeMap<NaiveDate, DayFigures> =
            figures::by_day(&mut *conn, pilot, from, to, None, None)
                .await
                .unwrap()
                .into_iter()
                .collect();
        assert_same(&read, &by_day, &format!("by_day {label}"));
        for (filter, expected) in [(None, &slots), (Some(district), &hotspot_slots)] {
            let mut read: BTreeMap<(i64, i16), (i64, i64)> = BTreeMap::new();
            for row in figures::slots(&mut *conn, pilot, from, to, filter.map(DistrictId))
                .await
                .unwrap()
            {
                for i in 0..row.slot_hours.len() {
                    let slot = read.entry((row.key, row.slot_hours[i])).or_default();
                    slot.0 += i64::from(row.slot_blocks[i]);
                    slot.1 += i64::from(row.slot_planned[i]);
                }
            }
            assert_same(&read, expected, &format!("slots of {filter:?}, {label}"));
        }

        let mut want_district_day: BTreeMap<NaiveDate, DayFigures> = BTreeMap::new();
        for ((hotspot, day), (figures, _)) in days.iter().filter(|((_, d), _)| in_range(d)) {
            if district_of[hotspot] == district {
                *want_district_day.entry(*day).or_default() += *figures;
            }
        }
        let read: BTreeMap<NaiveDate, DayFigures> = figures::by_day(
            &mut *conn,
            pilot,
            from,
            to,
            Some(DistrictId(district)),
            None,
        )
        .await
        .unwrap()
        .into_iter()
        .collect();
        assert_same(
            &read,
            &want_district_day,
            &format!("by_day of {district}, {label}"),
        );

        for district in [None, Some(district)] {
            let mut want: BTreeMap<String, f64> = BTreeMap::new();
            for ((day, agency, d), seconds) in &hours_raw {
                if in_range(day) && (district.is_none() || *d == district) {
                    *want.entry(agency.clone()).or_default() += seconds;
                }
            }
            let read = hours::by_agency(&mut *conn, pilot, from, to, district.map(DistrictId))
                .await
                .unwrap();
            // Every agency with time, and those with officers in the pilot but none (0).
            for code in want.keys() {
                assert!(
                    read.iter().any(|h| h.agency.code.as_str() == code),
                    "by_agency {district:?} {label} misses {code}"
                );
            }
            for row in read {
                let code = row.agency.code.as_str();
                let wanted = want.get(code).copied().unwrap_or(0.0);
                assert!(
                    (row.seconds - wanted).abs() < 1e-6,
                    "by_agency {code} {label}"
                );
            }

            let mut want: BTreeMap<String, i64> = BTreeMap::new();
            for ((day, kind, d), (count, _)) in &activities_raw {
                if in_range(day) && (district.is_none() || *d == district) {
                    *want.entry(kind.clone()).or_default() += count;
                }
            }
            let read: BTreeMap<String, i64> = activities::by_kind(
                &mut *conn,
                pilot,
                "America/Edmonton",
                from,
                to,
                district.map(DistrictId),
                None,
            )
            .await
            .unwrap()
            .into_iter()
            .collect();
            assert_same(&read, &want, &format!("by_kind {district:?} {label}"));
        }
        let mut want: BTreeMap<i64, f64> = BTreeMap::new();
        for ((day, _, d), seconds) in &hours_raw {
            if let (true, Some(d)) = (in_range(day), d) {
                *want.entry(*d).or_default() += seconds;
            }
        }
        let read = hours::by_district(&mut *conn, pilot, from, to)
            .await
            .unwrap();
        assert_eq!(read.len(), want.len(), "by_district {label}");
        for (district, seconds) in read {
            assert!(
                (seconds - want[&district.0]).abs() < 1e-6,
                "by_district {label}"
            );
        }
    }
}

/// `hotspot_days` equals the engine run afresh over the raw rows (in a transaction undone after).
pub(crate) async fn assert_days_match_a_fresh_computation(db: &PgPool) {
    let sql = format!(
        "select hotspot_id, day, {FIGURES}, slot_hours, slot_blocks, slot_planned
           from hotspot_days order by hotspot_id, day"
    );
    let before = stored(db, &sql).await;
    let pilot = PilotId(scalar(db, "select id from pilots where slug = 'calgary-2023'").await);
    let mut tx = db.begin().await.unwrap();
    sqlx::query("delete from hotspot_days")
        .execute(&mut *tx)
        .await
        .unwrap();
    patrolboard::db::coverage::refresh(&mut tx, pilot, date(2023, 2, 27), date(2023, 5, 31))
        .await
        .unwrap();
    let rows = sqlx::query(&sql).fetch_all(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(rows.len(), before.len());
    let after: Vec<(i64, NaiveDate, i64, i64)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(3), r.get(4)))
        .collect();
    let before: Vec<(i64, NaiveDate, i64, i64)> = before
        .iter()
        .map(|((h, d), (f, _))| (*h, *d, f.planned_blocks, f.delivered_blocks))
        .collect();
    assert_eq!(before, after, "hotspot_days against a fresh computation");
}
