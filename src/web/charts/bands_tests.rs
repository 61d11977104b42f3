//! Unit tests of the map's bands (`bands.rs`), on hand-picked figures.

use super::*;

fn labels(bands: &Bands) -> Vec<&str> {
    bands.iter().map(|b| b.label.as_str()).collect()
}

fn classes(bands: &Bands, values: &[f64]) -> Vec<&'static str> {
    values.iter().map(|v| bands.shade(Some(*v)).class).collect()
}

#[test]
fn five_close_districts_and_one_far_below_each_get_a_band_of_their_own() {
    // Like the demo: five districts between 63% and 72%, one at 12.5%, one without data.
    let values = [
        Some(63.2),
        Some(66.1),
        Some(71.4),
        Some(68.0),
        Some(12.5),
        None,
    ];

    let bands = Bands::over(values);

    assert_eq!(
        labels(&bands),
        ["under 40%", "40–65%", "65–67%", "67–70%", "70% or more"]
    );
    assert_eq!(
        classes(&bands, &[12.5, 63.2, 66.1, 68.0, 71.4]),
        ["shade-0", "shade-1", "shade-2", "shade-3", "shade-4"]
    );
    assert_eq!(bands.shade(None), NO_DATA);
}

#[test]
fn more_than_five_values_are_grouped_where_they_lie_apart() {
    let values = [1.0, 2.0, 3.0, 30.0, 31.0, 50.0, 51.0, 90.0, 91.0, 99.0].map(Some);

    let bands = Bands::over(values);

    assert_eq!(
        labels(&bands),
        ["under 20%", "20–40%", "40–70%", "70–95%", "95% or more"]
    );
    assert_eq!(
        classes(&bands, &[1.0, 3.0, 30.0, 31.0, 51.0, 90.0, 99.0]),
        [
            "shade-0", "shade-0", "shade-1", "shade-1", "shade-2", "shade-3", "shade-4"
        ]
    );
}

#[test]
fn two_values_take_the_ends_of_the_scale_parted_at_a_round_number() {
    let bands = Bands::over([Some(20.0), None, Some(80.0)]);

    assert_eq!(labels(&bands), ["under 50%", "50% or more"]);
    assert_eq!(classes(&bands, &[20.0, 80.0]), ["shade-0", "shade-4"]);
    // A figure outside those the bands were drawn from (a hotspot's) falls in an end band.
    assert_eq!(classes(&bands, &[0.0, 100.0]), ["shade-0", "shade-4"]);
}

#[test]
fn close_values_are_parted_at_a_tenth_when_nothing_rounder_lies_between() {
    let bands = Bands::over([Some(40.1), Some(40.2), Some(40.25)]);

    // 40.25 prints as 40.3 (the figure shown), so three values, three bands.
    assert_eq!(
        labels(&bands),
        ["under 40.2%", "40.2–40.3%", "40.3% or more"]
    );
    assert_eq!(
        classes(&bands, &[40.1, 40.2, 40.25]),
        ["shade-0", "shade-2", "shade-4"]
    );
}

#[test]
fn all_equal_values_make_one_band_named_by_the_value() {
    let bands = Bands::over([Some(50.0), Some(50.0), Some(49.98)]);

    assert_eq!(labels(&bands), ["50.0%"]);
    assert_eq!(bands.shade(Some(50.0)), SCALE[2]);
}

#[test]
fn one_district_makes_one_band() {
    let bands = Bands::over([Some(42.0)]);

    assert_eq!(bands.len(), 1);
    assert_eq!(labels(&bands), ["42.0%"]);
}

#[test]
fn no_figures_make_no_bands_and_missing_ones_stay_no_data() {
    let bands = Bands::over([None, Some(f64::NAN), None]);

    assert_eq!(bands.len(), 0);
    assert_eq!(bands.shade(None), NO_DATA);
    assert_eq!(bands.shade(Some(f64::INFINITY)), NO_DATA);
    assert_eq!(bands.shade(Some(30.0)), SCALE[2]);
}

#[test]
fn up_to_five_distinct_values_never_share_a_band() {
    let sets: [&[f64]; 4] = [
        &[0.0, 0.1],
        &[99.9, 100.0, 0.0],
        &[55.0, 55.5, 56.0, 56.5, 57.0],
        &[10.0, 10.0, 90.0, 90.0, 50.0],
    ];
    for set in sets {
        let bands = Bands::over(set.iter().copied().map(Some));
        let mut seen: Vec<(String, &str)> = set
            .iter()
            .map(|v| (format!("{v:.1}"), bands.shade(Some(*v)).class))
            .collect();
        seen.sort();
        seen.dedup();
        let mut shades: Vec<&str> = seen.iter().map(|(_, class)| *class).collect();
        shades.dedup();
        assert_eq!(shades.len(), seen.len(), "{set:?}: {seen:?}");
    }
}

#[test]
fn bands_get_darker_as_values_rise() {
    let bands = Bands::over([5.0, 25.0, 45.0, 65.0, 85.0, 95.0, 15.0].map(Some));
    let steps: Vec<usize> = bands
        .iter()
        .map(|b| SCALE.iter().position(|s| *s == b.shade).unwrap())
        .collect();
    assert!(steps.windows(2).all(|pair| pair[0] < pair[1]), "{steps:?}");
}
