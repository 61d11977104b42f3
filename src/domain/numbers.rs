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
}
