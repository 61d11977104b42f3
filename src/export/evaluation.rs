//! The evaluation's monthly series as CSV (`/exports/evaluation_monthly.csv`): each area's count
//! by month, dataset and category, the numbers behind the evaluation's chart and figures
//! (docs/evaluation.md). Small (a few hundred rows), so written whole rather than streamed.

use super::cell;
use crate::domain::community_stats::Dataset;
use crate::evaluation::{Study, monthly};

/// The header row.
pub const HEADER: [&str; 5] = ["month", "area", "dataset", "category", "count"];

/// What the category column says for all categories together.
pub const ALL_CATEGORIES: &str = "all";

/// Appends the rows of `study` (of `dataset`) to `out`: for all categories together, then each
/// category, every month of every period (`YYYY-MM`) and every area, a month with no row being 0.
pub fn write_rows(out: &mut Vec<u8>, dataset: Dataset, study: &Study) {
    let months = study.periods.all_months();
    let categories = std::iter::once(None).chain(study.categories.iter().map(|c| Some(c.as_str())));
    for category in categories {
        let series = monthly(&study.counts, &study.areas, &months, category);
        for ((month, area), count) in series {
            let mut number = Vec::new();
            cell::integer(&mut number, count);
            let texts = [
                month.to_string(),
                area.as_str().to_string(),
                dataset.as_str().to_string(),
                category.unwrap_or(ALL_CATEGORIES).to_string(),
            ];
            for text in &texts {
                let mut bytes = Vec::new();
                cell::text(&mut bytes, text);
                cell::field(out, &bytes);
                out.push(b',');
            }
            out.extend_from_slice(&number);
            out.extend_from_slice(b"\r\n");
        }
    }
}

/// The header line.
pub fn write_header(out: &mut Vec<u8>) {
    out.extend_from_slice(HEADER.join(",").as_bytes());
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_a_spreadsheet_would_read_as_a_formula_is_neutralised_and_quoted() {
        let mut out = Vec::new();
        let mut bytes = Vec::new();
        cell::text(&mut bytes, "=1+1, or not");
        cell::field(&mut out, &bytes);
        assert_eq!(String::from_utf8(out).unwrap(), "\"'=1+1, or not\"");
    }
}
