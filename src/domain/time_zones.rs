//! Time zones as a pilot names them: an IANA name read strictly, and the names a form offers.

use std::str::FromStr;

use chrono_tz::Tz;

/// An IANA time zone by its exact name, such as `America/Edmonton`.
pub fn parse_time_zone(raw: &str) -> Result<Tz, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Choose the pilot's time zone, such as America/Edmonton.".to_string());
    }
    Tz::from_str(name).map_err(|_| {
        format!(
            "{name:?} is not an IANA time zone. Choose one such as America/Edmonton or \
             Europe/London."
        )
    })
}

/// The time zones a pilot is offered: the IANA zones named by a region and a place
/// (`America/Edmonton`), and `UTC`, in alphabetical order. Any zone [`parse_time_zone`] accepts
/// may be typed, old aliases such as `Canada/Mountain` included.
pub fn offered_time_zones() -> Vec<&'static str> {
    const REGIONS: [&str; 10] = [
        "Africa/",
        "America/",
        "Antarctica/",
        "Arctic/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter(|name| *name == "UTC" || REGIONS.iter().any(|r| name.starts_with(r)))
        .collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offered_zones_are_sorted_region_names_every_one_of_which_parses() {
        let zones = offered_time_zones();
        assert!(zones.contains(&"America/Edmonton") && zones.contains(&"UTC"));
        assert!(!zones.contains(&"US/Pacific"));
        assert!(zones.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(zones.iter().all(|name| parse_time_zone(name).is_ok()));
        assert_eq!(
            parse_time_zone("Canada/Mountain"),
            Ok(chrono_tz::Canada::Mountain)
        );
    }
}
