//! The evaluation in plain words: a ratio as "rose/fell N%", never more certain than its interval.

use super::months::Month;
use super::ratio::{RateRatio, Unavailable};

/// A ratio as a signed whole percent change: 0.8 → "−20%", 1.05 → "+5%".
pub fn change(ratio: f64) -> String {
    let pct = ((ratio - 1.0) * 100.0).round();
    if pct > 0.0 {
        format!("+{pct:.0}%")
    } else if pct < 0.0 {
        format!("−{:.0}%", -pct)
    } else {
        "0%".to_string()
    }
}

/// A ratio with its interval, or why there is none: "−20% (95% interval −41% to +9%)".
pub fn change_with_interval(ratio: &Result<RateRatio, Unavailable>) -> String {
    match ratio {
        Ok(r) => format!(
            "{} (95% interval {} to {})",
            change(r.value),
            change(r.ci95[0]),
            change(r.ci95[1])
        ),
        Err(why) => format!("not given: {why}"),
    }
}

/// "the same months of 2022" (or "of 2021–22" across a year end).
pub fn same_months_of(year_before: &[Month]) -> String {
    match (year_before.first(), year_before.last()) {
        (Some(first), Some(last)) if first.year == last.year => {
            format!("the same months of {}", first.year)
        }
        (Some(first), Some(last)) => {
            format!("the same months of {}–{:02}", first.year, last.year % 100)
        }
        _ => "the same months a year earlier".to_string(),
    }
}

/// The headline: "Crime in the 6 patrolled communities fell 12% relative to the rest of Calgary,
/// against the same months of 2022 (95% interval from −20% to −3%)", saying "is not
/// distinguishable from no change" when the interval includes 0%.
pub fn headline(
    what: &str,
    treated: usize,
    city: &str,
    year_before: &[Month],
    ratio: &Result<RateRatio, Unavailable>,
) -> String {
    let communities = if treated == 1 {
        "the patrolled community".to_string()
    } else {
        format!("the {treated} patrolled communities")
    };
    let against = same_months_of(year_before);
    let r = match ratio {
        Ok(r) => r,
        Err(why) => {
            return format!(
                "{what} in {communities} cannot be compared with the rest of {city} against {against}: {why}."
            );
        }
    };
    let interval = format!(
        "95% interval from {} to {}",
        change(r.ci95[0]),
        change(r.ci95[1])
    );
    let pct = ((r.value - 1.0) * 100.0).abs().round();
    let direction = if r.value < 1.0 { "fell" } else { "rose" };
    let sentence = if pct == 0.0 {
        format!(
            "{what} in {communities} did not change relative to the rest of {city}, against {against} ({interval})"
        )
    } else {
        format!(
            "{what} in {communities} {direction} {pct:.0}% relative to the rest of {city}, against {against} ({interval})"
        )
    };
    if r.ci95[0] <= 1.0 && r.ci95[1] >= 1.0 {
        format!("{sentence}: a change not distinguishable from no change.")
    } else {
        format!("{sentence}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months_2022() -> Vec<Month> {
        vec![Month::new(2022, 3), Month::new(2022, 5)]
    }

    #[test]
    fn a_clear_fall_is_said_as_a_fall_with_its_interval() {
        let rr = Ok(RateRatio {
            value: 0.88,
            ci95: [0.80, 0.97],
        });
        assert_eq!(
            headline("Crime", 6, "Calgary", &months_2022(), &rr),
            "Crime in the 6 patrolled communities fell 12% relative to the rest of Calgary, \
             against the same months of 2022 (95% interval from −20% to −3%)."
        );
    }

    #[test]
    fn an_interval_across_no_change_is_said_to_be_indistinguishable_from_it() {
        let rr = Ok(RateRatio {
            value: 1.05,
            ci95: [0.95, 1.16],
        });
        let text = headline("Crime", 6, "Calgary", &months_2022(), &rr);
        assert!(text.contains("rose 5% relative"), "{text}");
        assert!(
            text.ends_with("not distinguishable from no change."),
            "{text}"
        );
    }

    #[test]
    fn no_ratio_is_said_with_its_reason() {
        let text = headline(
            "Disorder",
            1,
            "Calgary",
            &[],
            &Err(Unavailable::NoComparison),
        );
        assert!(text.starts_with("Disorder in the patrolled community cannot be compared"));
        assert!(text.contains("nothing to compare with"), "{text}");
    }

    #[test]
    fn year_before_months_across_a_year_end_name_both_years() {
        let months = [Month::new(2021, 12), Month::new(2022, 1)];
        assert_eq!(same_months_of(&months), "the same months of 2021–22");
        assert_eq!(change(0.8), "−20%");
        assert_eq!(change(1.0), "0%");
    }
}
