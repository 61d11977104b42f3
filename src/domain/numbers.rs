//! Numbers as people read them, with thousands separators: for pages, reports and messages alike.

/// Hours with one decimal from seconds, with thousands separators: `1,234.5`.
pub fn hours(seconds: f64) -> String {
    grouped(seconds / 3600.0, 1)
}

/// Minutes, whole when whole, else with one decimal.
pub fn minutes(value: f64) -> String {
    if value.fract() == 0.0 {
        grouped(value, 0)
    } else {
        grouped(value, 1)
    }
}

/// A length of time given in minutes as people say it: `45 min`, `2 h`, `2 h 05 min`, rounded
/// to the minute.
pub fn duration(minutes: f64) -> String {
    let total = minutes.max(0.0).round() as i64;
    match (total / 60, total % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{} h", count(h)),
        (h, m) => format!("{} h {m:02} min", count(h)),
    }
}

/// `1 hotspot`, `2 hotspots`: a count with its noun in the right number.
pub fn counted(value: i64, one: &str, many: &str) -> String {
    format!("{} {}", count(value), if value == 1 { one } else { many })
}

/// An integer with thousands separators.
pub fn count(value: i64) -> String {
    grouped(value as f64, 0)
}

fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    if value < 0.0 && out.chars().any(|c| c != '0' && c != '.' && c != ',') {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(999), "999");
        assert_eq!(hours(3600.0 * 1234.56), "1,234.6");
        assert_eq!(minutes(20.0), "20");
        assert_eq!(minutes(20.5), "20.5");
    }

    #[test]
    fn durations_read_in_hours_and_minutes() {
        assert_eq!(duration(720.0), "12 h");
        assert_eq!(duration(125.0), "2 h 05 min");
        assert_eq!(duration(45.4), "45 min");
        assert_eq!(duration(0.0), "0 min");
        assert_eq!(duration(60.0 * 1500.0), "1,500 h");
    }

    #[test]
    fn counts_take_the_noun_in_the_right_number() {
        assert_eq!(counted(1, "hotspot", "hotspots"), "1 hotspot");
        assert_eq!(counted(0, "hotspot", "hotspots"), "0 hotspots");
        assert_eq!(counted(1200, "visit", "visits"), "1,200 visits");
    }
}
