//! The effect and displacement figures (docs/evaluation.md, "Effect" and "Displacement"), and
//! why one cannot be given.

use std::fmt;

use serde::Serialize;

/// A rate ratio with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RateRatio {
    /// Below 1: the area fell relative to the comparison.
    pub value: f64,
    /// The 95% interval, low then high.
    pub ci95: [f64; 2],
}

/// Why a figure is not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The pilot covers no calendar month by half, so monthly counts cannot measure it.
    NoPilotMonths,
    /// The City's data has no row at all in these months: it does not cover them.
    NotCovered(Vec<String>),
    /// A count the figure divides by or takes the logarithm of is zero.
    ZeroCount(&'static str),
    /// No district of the pilot with a hotspot active in it matches a community of the city.
    NoTreated,
    /// The evaluation has no buffer community.
    NoBuffer,
    /// The dataset counts no community outside the treated and buffer ones (the disorder extract
    /// covers only the inner city), so there is nothing to compare with.
    NoComparison,
    /// The treated area did not fall relative to the comparison, so there is nothing to displace.
    TreatedDidNotImprove,
}

/// The reason as a sentence for users and the API.
impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::NoPilotMonths => f.write_str(
                "the pilot covers no calendar month by at least half its days, so monthly counts cannot measure it",
            ),
            Unavailable::NotCovered(months) => write!(
                f,
                "the City's data has no counts for {}",
                months.join(", ")
            ),
            Unavailable::ZeroCount(what) => write!(
                f,
                "the {what} count is zero, so the figure cannot be formed"
            ),
            Unavailable::NoTreated => f.write_str(
                "no district of the pilot with an active hotspot matches a community of the city",
            ),
            Unavailable::NoBuffer => f.write_str("no community lies within 250 m of a patrolled one"),
            Unavailable::NoComparison => f.write_str(
                "the statistics count no community beyond the patrolled ones and their neighbours, so there is nothing to compare with",
            ),
            Unavailable::TreatedDidNotImprove => f.write_str(
                "the patrolled communities did not fall relative to the rest of the city, so there is no effect to displace",
            ),
        }
    }
}

/// `(t1 / t0) / (c1 / c0)` with the interval `exp(ln RR ± 1.96·sqrt(1/t1 + 1/t0 + 1/c1 + 1/c0))`;
/// `names` say which count each is, for the reason when one is zero.
pub fn rate_ratio(
    [t1, t0, c1, c0]: [i64; 4],
    names: [&'static str; 4],
) -> Result<RateRatio, Unavailable> {
    if let Some(i) = [t1, t0, c1, c0].iter().position(|&n| n <= 0) {
        return Err(Unavailable::ZeroCount(names[i]));
    }
    let [t1, t0, c1, c0] = [t1, t0, c1, c0].map(|n| n as f64);
    let value = (t1 / t0) / (c1 / c0);
    let se = (1.0 / t1 + 1.0 / t0 + 1.0 / c1 + 1.0 / c0).sqrt();
    let ln = value.ln();
    Ok(RateRatio {
        value,
        ci95: [(ln - 1.96 * se).exp(), (ln + 1.96 * se).exp()],
    })
}

/// Bowers and Johnson's weighted displacement quotient with the year before as baseline:
/// `(b1/c1 − b0/c0) / (t1/c1 − t0/c0)`. None when the treated area did not improve (the
/// denominator is not negative) or a count it needs is zero.
pub fn wdq([t1, t0]: [i64; 2], [b1, b0]: [i64; 2], [c1, c0]: [i64; 2]) -> Result<f64, Unavailable> {
    if c1 <= 0 {
        return Err(Unavailable::ZeroCount("comparison pilot-months"));
    }
    if c0 <= 0 {
        return Err(Unavailable::ZeroCount("comparison year-before"));
    }
    if b1 == 0 && b0 == 0 {
        return Err(Unavailable::NoBuffer);
    }
    let [t1, t0, b1, b0, c1, c0] = [t1, t0, b1, b0, c1, c0].map(|n| n as f64);
    let treated = t1 / c1 - t0 / c0;
    if treated >= 0.0 {
        return Err(Unavailable::TreatedDidNotImprove);
    }
    Ok((b1 / c1 - b0 / c0) / treated)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 4] = ["t1", "t0", "c1", "c0"];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn the_rate_ratio_and_its_interval_follow_the_formula() {
        // T fell from 100 to 80, C from 1000 to 1000: RR = 0.8.
        // se = sqrt(1/80 + 1/100 + 1/1000 + 1/1000) = sqrt(0.0245) = 0.156525
        // ln 0.8 = -0.223144; ± 1.96 × 0.156525 = ± 0.306789
        // exp(-0.529932) = 0.588645, exp(0.083645) = 1.087243
        let rr = rate_ratio([80, 100, 1000, 1000], NAMES).unwrap();
        assert!(close(rr.value, 0.8));
        assert!(close(rr.ci95[0], 0.588645), "{rr:?}");
        assert!(close(rr.ci95[1], 1.087243), "{rr:?}");
    }

    #[test]
    fn the_rate_ratio_is_relative_to_the_comparison() {
        // T 50 → 60 (×1.2), C 200 → 300 (×1.5): RR = 1.2 / 1.5 = 0.8.
        let rr = rate_ratio([60, 50, 300, 200], NAMES).unwrap();
        assert!(close(rr.value, 0.8));
    }

    #[test]
    fn a_zero_count_gives_no_ratio_and_names_the_count() {
        assert_eq!(
            rate_ratio([10, 0, 5, 5], NAMES),
            Err(Unavailable::ZeroCount("t0"))
        );
        assert_eq!(
            rate_ratio([0, 0, 5, 5], NAMES),
            Err(Unavailable::ZeroCount("t1"))
        );
        let reason = Unavailable::ZeroCount("treated year-before").to_string();
        assert!(
            reason.contains("treated year-before count is zero"),
            "{reason}"
        );
    }

    #[test]
    fn the_wdq_follows_the_formula() {
        // C 1000 → 1000; T 100 → 80: t1/c1 − t0/c0 = 0.08 − 0.10 = −0.02.
        // B 50 → 45: 0.045 − 0.050 = −0.005. WDQ = −0.005 / −0.02 = 0.25: a diffusion of benefits.
        let q = wdq([80, 100], [45, 50], [1000, 1000]).unwrap();
        assert!(close(q, 0.25), "{q}");
        // B 50 → 60: 0.06 − 0.05 = 0.01. WDQ = 0.01 / −0.02 = −0.5: displacement.
        let q = wdq([80, 100], [60, 50], [1000, 1000]).unwrap();
        assert!(close(q, -0.5), "{q}");
    }

    #[test]
    fn a_treated_area_that_did_not_improve_has_no_wdq() {
        // T 100 → 100 against C 1000 → 1000: the denominator is 0.
        assert_eq!(
            wdq([100, 100], [50, 40], [1000, 1000]),
            Err(Unavailable::TreatedDidNotImprove)
        );
        // T 100 → 120: it rose.
        assert_eq!(
            wdq([120, 100], [50, 40], [1000, 1000]),
            Err(Unavailable::TreatedDidNotImprove)
        );
    }

    #[test]
    fn a_wdq_needs_comparison_counts_and_a_buffer() {
        assert_eq!(
            wdq([1, 2], [1, 1], [0, 10]),
            Err(Unavailable::ZeroCount("comparison pilot-months"))
        );
        assert_eq!(wdq([1, 2], [0, 0], [10, 10]), Err(Unavailable::NoBuffer));
    }
}
