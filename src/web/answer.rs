//! The dashboard's first sentence: are the hotspots getting the patrol that was planned? It sets
//! delivered coverage against planned coverage and against the hotspots' daily target minutes,
//! and says which way the last week went. The figures are those of docs/coverage.md.

use crate::coverage::DayFigures;
use crate::web::charts::TrendPoint;
use crate::web::format;

/// The answer in plain words: a sentence and what it rests on.
pub struct Answer {
    pub sentence: String,
    pub target: String,
    pub trend: Option<String>,
}

/// The answer for an area's figures over a range and its weeks; `None` when the range has no
/// hotspot-blocks, so there is nothing to answer.
pub fn answer(total: &DayFigures, weeks: &[TrendPoint]) -> Option<Answer> {
    if total.blocks <= 0 {
        return None;
    }
    let (planned, delivered) = (total.planned_pct(), total.delivered_pct());
    let against = if total.planned_blocks == 0 {
        "no patrol was planned".to_string()
    } else {
        let share = total.delivered_blocks as f64 / total.planned_blocks as f64 * 100.0;
        format!("{share:.0}% of what was planned ({} planned)", pct(planned))
    };
    let sentence = format!(
        "Hotspots had a patrol visit of 10 minutes or more in {} of their watch blocks: {against}.",
        pct(delivered)
    );
    let target = if total.target_seconds > 0 {
        format!(
            "Patrol time reached {} of the hotspots' daily target minutes.",
            pct(total.dosage_pct())
        )
    } else {
        "The hotspots have no daily target minutes set.".to_string()
    };
    Some(Answer {
        sentence,
        target,
        trend: trend(weeks),
    })
}

/// How delivered coverage moved from the week before the last to the last week of the range.
fn trend(weeks: &[TrendPoint]) -> Option<String> {
    let [.., before, last] = weeks else {
        return None;
    };
    let (from, to) = (before.delivered_pct, last.delivered_pct);
    let moved = if (to - from).abs() < 0.05 {
        format!("held at {}", pct(to))
    } else if to > from {
        format!("rose from {} to {}", pct(from), pct(to))
    } else {
        format!("fell from {} to {}", pct(from), pct(to))
    };
    Some(format!(
        "In the last week ({}, from {}), delivered coverage {moved}.",
        last.label,
        format::day(last.week_start)
    ))
}

/// A share as the sentence says it: one decimal.
fn pct(value: f64) -> String {
    format!("{value:.1}%")
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn figures(blocks: i64, planned: i64, delivered: i64) -> DayFigures {
        DayFigures {
            blocks,
            planned_blocks: planned,
            delivered_blocks: delivered,
            target_seconds: 100 * 60,
            capped_patrol_seconds: 62 * 60,
            ..DayFigures::default()
        }
    }

    fn week(label: &str, day: u32, delivered: f64) -> TrendPoint {
        TrendPoint {
            label: label.into(),
            week_start: NaiveDate::from_ymd_opt(2023, 3, day).unwrap(),
            planned_pct: 40.0,
            delivered_pct: delivered,
        }
    }

    #[test]
    fn delivered_is_set_against_planned_and_target_with_the_last_weeks_move() {
        // 200 blocks, 70 planned (35%), 36 delivered (18%): 36 of 70 is 51% of the plan.
        let weeks = [week("W10", 6, 12.5), week("W11", 13, 18.25)];
        let answer = answer(&figures(200, 70, 36), &weeks).unwrap();

        assert_eq!(
            answer.sentence,
            "Hotspots had a patrol visit of 10 minutes or more in 18.0% of their watch blocks: \
             51% of what was planned (35.0% planned)."
        );
        assert_eq!(
            answer.target,
            "Patrol time reached 62.0% of the hotspots' daily target minutes."
        );
        assert_eq!(
            answer.trend.as_deref(),
            Some(
                "In the last week (W11, from Mon 13 Mar 2023), delivered coverage rose from 12.5% to 18.2%."
            )
        );
    }

    #[test]
    fn a_fall_a_standstill_and_a_single_week_are_each_said_as_they_are() {
        let fell = trend(&[week("W10", 6, 30.0), week("W11", 13, 20.0)]).unwrap();
        assert!(fell.ends_with("fell from 30.0% to 20.0%."), "{fell}");
        let held = trend(&[week("W10", 6, 20.0), week("W11", 13, 20.01)]).unwrap();
        assert!(held.ends_with("held at 20.0%."), "{held}");
        assert_eq!(trend(&[week("W11", 13, 20.0)]), None);
    }

    #[test]
    fn nothing_planned_and_no_blocks_are_said_plainly() {
        let none_planned = answer(&figures(10, 0, 0), &[]).unwrap();
        assert!(
            none_planned
                .sentence
                .ends_with("0.0% of their watch blocks: no patrol was planned.")
        );
        assert!(answer(&figures(0, 0, 0), &[]).is_none());
    }
}
