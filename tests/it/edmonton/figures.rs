//! Edmonton's week counted by hand from `files.rs`, by the rules of docs/coverage.md, and the
//! coverage API held to it; Calgary's figures unchanged by it all.

use serde_json::Value;

use super::{CALGARY, enter_edmonton};

/// What the API should say of an area for the week.
#[derive(Debug)]
struct Expected {
    blocks: u32,
    planned_blocks: u32,
    delivered_blocks: u32,
    patrol_minutes: f64,
    officer_minutes: f64,
    visits: u32,
    koper_visits: u32,
}

/// Each hotspot is watched 10:00–14:00: four 60-minute blocks a day, seven days.
const BLOCKS_PER_HOTSPOT: u32 = 4 * 7;

/// Every shift of the week has two members.
const MEMBERS: f64 = 2.0;

// Planned blocks (a non-cancelled shift directed to the hotspot on duty for at least half of
// the block):
// - Churchill Square: Monday's pair, 10:00–14:00, all 4 blocks. Wednesday's pair is on duty
//   only 10:00–10:20 of the window, 20 minutes of the first block: none. Friday's pair is
//   cancelled: none. 4 blocks.
// - Central LRT: Monday's pair, 4 blocks; Thursday's bikes, 11:00–15:00: 11–12, 12–13, 13–14,
//   3 blocks. 7 blocks.
// - Chinatown Gate: Tuesday's bikes, 10:30–13:00: 10–11 (30 minutes, exactly half), 11–12,
//   12–13, 3 blocks; Thursday's bikes 11–12, 12–13, 13–14 and the pair 13–14 (already
//   covered), 3 blocks. 6 blocks.
//
// Delivered blocks (the start of a visit of 10 minutes or more): Churchill Monday 10–11 (12
// minutes) and 11–12 (30 minutes); Chinatown Tuesday 12–13 (16 minutes) and Thursday 13–14 (30
// minutes). The 8-, 8- and 1-minute visits deliver nothing.
//
// Patrol-minutes (the union of a hotspot's visits inside its window, per day): Churchill Monday
// 12 + 30 = 42; Central LRT Monday 8 and Thursday 1; Chinatown Tuesday 16; Chinatown Thursday
// 13:50–13:58 and 13:55–14:25 joined and cut at 14:00: 13:50–14:00, 10.
//
// Koper visits (10 to 16 minutes, both ends included): Churchill's 12 and Chinatown's 16.
// Officer-minutes: every dwell, in full, times the shift's 2 members.
fn downtown() -> Expected {
    Expected {
        blocks: 2 * BLOCKS_PER_HOTSPOT,
        planned_blocks: 4 + 7,
        delivered_blocks: 2,
        patrol_minutes: 42.0 + 8.0 + 1.0,
        officer_minutes: (12.0 + 8.0 + 30.0 + 1.0) * MEMBERS,
        visits: 4,
        koper_visits: 1,
    }
}

fn boyle_street() -> Expected {
    Expected {
        blocks: BLOCKS_PER_HOTSPOT,
        planned_blocks: 6,
        delivered_blocks: 2,
        patrol_minutes: 16.0 + 10.0,
        officer_minutes: (16.0 + 30.0 + 8.0) * MEMBERS,
        visits: 3,
        koper_visits: 1,
    }
}

fn pilot() -> Expected {
    let (a, b) = (downtown(), boyle_street());
    Expected {
        blocks: a.blocks + b.blocks,
        planned_blocks: a.planned_blocks + b.planned_blocks,
        delivered_blocks: a.delivered_blocks + b.delivered_blocks,
        patrol_minutes: a.patrol_minutes + b.patrol_minutes,
        officer_minutes: a.officer_minutes + b.officer_minutes,
        visits: a.visits + b.visits,
        koper_visits: a.koper_visits + b.koper_visits,
    }
}

/// A share of blocks as the API gives it: a percentage to two decimals.
fn pct(part: u32, whole: u32) -> f64 {
    (10_000.0 * f64::from(part) / f64::from(whole)).round() / 100.0
}

fn assert_figures(area: &str, json: &Value, expected: &Expected) {
    let number = |name: &str| {
        json[name]
            .as_f64()
            .unwrap_or_else(|| panic!("{area}: no {name} in {json}"))
    };
    let got = [
        number("planned_coverage_pct"),
        number("delivered_coverage_pct"),
        number("patrol_minutes"),
        number("officer_minutes"),
        number("visits"),
        number("koper_visits"),
    ];
    let want = [
        pct(expected.planned_blocks, expected.blocks),
        pct(expected.delivered_blocks, expected.blocks),
        expected.patrol_minutes,
        expected.officer_minutes,
        f64::from(expected.visits),
        f64::from(expected.koper_visits),
    ];
    assert_eq!(
        got, want,
        "{area}: planned, delivered, patrol, officer, visits, Koper"
    );
}

#[tokio::test]
async fn the_edmonton_week_entered_like_a_user_would_gives_the_figures_counted_by_hand() {
    let pilots = enter_edmonton().await;
    let week = pilots.week().await;

    assert_figures("the pilot", &week, &pilot());
    let districts = week["districts"].as_array().unwrap();
    let district = |code: &str| {
        districts
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("district {code} in {week}"))
    };
    assert_eq!(districts.len(), 2, "{week}");
    assert_figures("Downtown", district("DTE"), &downtown());
    assert_figures("Boyle Street", district("BOY"), &boyle_street());
    assert_eq!(week["hotspots"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn entering_edmonton_leaves_the_calgary_figures_as_they_were() {
    let pilots = enter_edmonton().await;

    let after = pilots.json(CALGARY).await;

    assert_eq!(after, pilots.calgary_before);
    assert!(
        after["visits"].as_f64().unwrap() > 0.0,
        "the demo has figures to compare"
    );
}
