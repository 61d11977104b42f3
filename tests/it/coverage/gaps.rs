//! The gap list read through the stored coverage (`db::gaps::list`) equals the engine run over
//! every shift of the range.

use chrono::NaiveTime;
use patrolboard::coverage::{self, resolve_local};
use patrolboard::db::{coverage as inputs, gaps};
use patrolboard::domain::ids::PilotId;

use crate::common::{date, scalar};

#[tokio::test]
async fn the_gap_list_from_stored_coverage_equals_the_engine_over_every_shift() {
    let db = crate::common::seeded_db().await;
    let pilot_id = PilotId(scalar(&db, "select id from pilots where slug = 'calgary-2023'").await);
    let mut conn = db.acquire().await.unwrap();
    let pilot = inputs::pilot(&mut *conn, pilot_id).await.unwrap();
    let all = inputs::hotspots(&mut *conn, pilot_id).await.unwrap();
    let since = resolve_local(pilot.time_zone, date(2023, 2, 26), NaiveTime::MIN);
    let until = resolve_local(pilot.time_zone, date(2023, 6, 2), NaiveTime::MIN);
    let shifts = inputs::shifts(&mut *conn, pilot_id, since, until, None)
        .await
        .unwrap();
    let district = all[0].district_id;
    let of_district: Vec<coverage::Hotspot> = all
        .iter()
        .filter(|h| h.district_id == district)
        .cloned()
        .collect();

    let ranges = [
        (date(2023, 2, 27), date(2023, 5, 31)),
        (date(2023, 3, 13), date(2023, 3, 19)),
        (date(2023, 3, 12), date(2023, 3, 12)),
        (date(2023, 5, 31), date(2023, 5, 31)),
    ];
    let mut seen = 0;
    for (from, to) in ranges {
        for hotspots in [&all, &of_district] {
            for limit in [1, 5, 15, 10_000] {
                let stored = gaps::list(&mut conn, pilot_id, &pilot, hotspots, from, to, limit)
                    .await
                    .unwrap();
                let expected = coverage::gaps(&pilot, hotspots, &shifts, from, to, limit);
                assert_eq!(
                    stored,
                    expected,
                    "{from}..{to}, {} hotspots, limit {limit}",
                    hotspots.len()
                );
                seen += stored.len();
            }
        }
    }
    assert!(seen > 100, "the demo has gaps to list ({seen})");
}
