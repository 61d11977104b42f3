//! View models shared by the pilot, district and hotspot pages: computed in Rust, printed by
//! templates.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::charts::{HeatmapRow, TrendPoint};
use super::format;
use crate::coverage::DayFigures;
use crate::db::figures::{HotspotFigures, SlotRow};
use crate::db::hours::AgencyHours;
use crate::domain::ids::HotspotId;

/// One headline figure.
pub struct Stat {
    pub label: &'static str,
    pub value: String,
    pub detail: String,
}

/// The headline figures of an area for the range.
pub fn headline(
    figures: &DayFigures,
    hours: &[AgencyHours],
    activities: &[(String, i64)],
) -> Vec<Stat> {
    let by_agency: Vec<String> = hours
        .iter()
        .map(|h| format!("{} {}", h.agency.label, format::duration(h.seconds / 60.0)))
        .collect();
    let total_activities: i64 = activities.iter().map(|(_, n)| n).sum();
    let referrals: i64 = activities
        .iter()
        .filter(|(kind, _)| crate::db::activities::REFERRALS.contains(&kind.as_str()))
        .map(|(_, n)| n)
        .sum();
    vec![
        Stat {
            label: "Planned coverage",
            value: format::pct(figures.planned_pct()),
            detail: format!(
                "{} of {} hotspot-blocks had a shift on duty",
                format::count(figures.planned_blocks),
                format::count(figures.blocks)
            ),
        },
        Stat {
            label: "Delivered coverage",
            value: format::pct(figures.delivered_pct()),
            detail: format!(
                "{} of {} hotspot-blocks had a visit of 10 minutes or more",
                format::count(figures.delivered_blocks),
                format::count(figures.blocks)
            ),
        },
        Stat {
            label: "Patrol hours",
            // In hours as people say them ("11,106 h"), not "11,106.0".
            value: format::duration(hours.iter().map(|h| h.seconds).sum::<f64>() / 60.0),
            detail: format!("officer-hours on shift: {}", by_agency.join(", ")),
        },
        Stat {
            label: "Koper share of visits",
            value: format::pct(figures.koper_pct()),
            detail: format!(
                "{} of {} visits lasted 10–16 minutes; {} were pass-throughs under 2 minutes",
                format::count(figures.koper_visits),
                format::count(figures.visits),
                format::count(figures.pass_throughs)
            ),
        },
        Stat {
            label: "Activities",
            value: format::count(total_activities),
            detail: format!(
                "including {} referrals to community, mental-health or addiction services",
                format::count(referrals)
            ),
        },
    ]
}

/// A row of an area table (districts of a pilot, or hotspots of a district).
pub struct AreaRow {
    pub name: String,
    pub href: String,
    pub note: String,
    pub blocks: String,
    pub planned: String,
    pub delivered: String,
    pub patrol_minutes: String,
    pub visits: String,
    pub koper: String,
    pub dosage: String,
    pub longest_gap: String,
}

impl AreaRow {
    /// The row of an area with `figures`.
    pub fn new(name: &str, href: String, note: String, figures: &DayFigures) -> AreaRow {
        AreaRow {
            name: name.to_string(),
            href,
            note,
            blocks: format::count(figures.blocks),
            planned: format::pct(figures.planned_pct()),
            delivered: format::pct(figures.delivered_pct()),
            patrol_minutes: format::minutes(figures.patrol_minutes()),
            visits: format::count(figures.visits),
            koper: format::count(figures.koper_visits),
            dosage: format::pct(figures.dosage_pct()),
            longest_gap: format::duration(figures.longest_gap_minutes()),
        }
    }
}

/// The rows of a district's hotspots, each linked by `href`: on the dashboard of one district and
/// on the district's page.
pub fn hotspot_rows(
    hotspots: &[&HotspotFigures],
    href: impl Fn(HotspotId) -> String,
) -> Vec<AreaRow> {
    hotspots
        .iter()
        .map(|h| {
            AreaRow::new(
                &h.name,
                href(h.id),
                format!("priority {}", h.priority),
                &h.figures,
            )
        })
        .collect()
}

/// Planned and delivered coverage per ISO week of the days.
pub fn weekly(days: &[(NaiveDate, DayFigures)]) -> Vec<TrendPoint> {
    let mut weeks: BTreeMap<(i32, u32), (NaiveDate, DayFigures)> = BTreeMap::new();
    for (day, figures) in days {
        let week = day.iso_week();
        let monday = NaiveDate::from_isoywd_opt(week.year(), week.week(), chrono::Weekday::Mon)
            .unwrap_or(*day);
        let entry = weeks
            .entry((week.year(), week.week()))
            .or_insert((monday, DayFigures::default()));
        entry.1 += *figures;
    }
    weeks
        .into_iter()
        .map(|((_, week), (monday, figures))| TrendPoint {
            label: format!("W{week:02}"),
            week_start: monday,
            planned_pct: figures.planned_pct(),
            delivered_pct: figures.delivered_pct(),
        })
        .collect()
}

/// Hour-of-week cells of each row, summed from stored slots; `row_of` maps a slot row's key (a
/// district's or a hotspot's id) to the heatmap row it counts in; keys not in it are left out.
pub fn heatmap_cells(
    slots: &[SlotRow],
    row_of: &HashMap<i64, i64>,
) -> BTreeMap<i64, Vec<(i64, i64)>> {
    let mut cells: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for slot in slots {
        let Some(row) = row_of.get(&slot.key) else {
            continue;
        };
        let row = cells.entry(*row).or_insert_with(|| vec![(0, 0); 168]);
        for ((hour, blocks), planned) in slot
            .slot_hours
            .iter()
            .zip(&slot.slot_blocks)
            .zip(&slot.slot_planned)
        {
            if let Some(cell) = row.get_mut(*hour as usize) {
                cell.0 += i64::from(*blocks);
                cell.1 += i64::from(*planned);
            }
        }
    }
    cells
}

/// Heatmap rows in the order of `rows` (label, href, key).
pub fn heatmap_rows(
    rows: &[(String, String, i64)],
    cells: &BTreeMap<i64, Vec<(i64, i64)>>,
) -> Vec<HeatmapRow> {
    rows.iter()
        .map(|(label, href, key)| HeatmapRow {
            label: label.clone(),
            href: href.clone(),
            cells: cells.get(key).cloned().unwrap_or_else(|| vec![(0, 0); 168]),
        })
        .collect()
}

/// One day of an area's dosage table.
pub struct DailyRow {
    pub day: String,
    pub blocks: String,
    pub planned: String,
    pub delivered: String,
    pub patrol_minutes: String,
    pub target_minutes: String,
    pub dosage: String,
    pub visits: String,
    pub longest_gap: String,
}

/// The dosage table, a row per day.
pub fn daily(days: &[(NaiveDate, DayFigures)]) -> Vec<DailyRow> {
    days.iter()
        .map(|(day, f)| DailyRow {
            day: format::day(*day),
            blocks: format::count(f.blocks),
            planned: format::pct(f.planned_pct()),
            delivered: format::pct(f.delivered_pct()),
            patrol_minutes: format::minutes(f.patrol_minutes()),
            target_minutes: format::minutes(f.target_seconds as f64 / 60.0),
            dosage: format::pct(f.dosage_pct()),
            visits: format::count(f.visits),
            longest_gap: format::duration(f.longest_gap_minutes()),
        })
        .collect()
}
