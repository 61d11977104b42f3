//! The City's monthly community statistics: CPS Community Crime Statistics
//! (`Community,Category,Crime Count,Year,Month`) and Community Disorder Statistics
//! (`Community,Category,Event Count,Year,Month`), told apart by their header.

use std::collections::BTreeMap;

use super::text::{self, normalise};
use super::{Origin, Parsed, RowError};
use crate::domain::community_stats::{Dataset, StatKey};

/// One row of `community_stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatRow {
    /// The first line of the file the row came from (rows with the same key are summed).
    pub origin: Origin,
    /// Community, category and month.
    pub key: StatKey,
    /// The sum of the counts of every row with this key.
    pub count: i32,
    pub dataset: Dataset,
    /// The later rows of the file with the same key, as (line, count): their counts are in
    /// `count`, and the report lists them.
    pub repeats: Vec<(usize, i32)>,
}

/// The two datasets: (dataset, its count column, what people call the file).
const DATASETS: [(Dataset, &str, &str); 2] = [
    (
        Dataset::Crime,
        "Crime Count",
        "the City's community crime statistics CSV",
    ),
    (
        Dataset::Disorder,
        "Event Count",
        "the City's community disorder statistics CSV",
    ),
];

/// Which dataset the header row says this is, and what people call it.
pub fn detect(text: &str) -> Option<(Dataset, &'static str, &'static str)> {
    let header = text::strip_bom(text).lines().next()?;
    let columns: Vec<String> = header
        .split(',')
        .map(|c| normalise(c.trim_matches('"')).to_lowercase())
        .collect();
    DATASETS
        .into_iter()
        .find(|(_, column, _)| columns.iter().any(|c| c == &column.to_lowercase()))
}

/// Every row of one of the City's statistics files (rows with the same key summed, in key
/// order), or every bad row; with what the file turned out to be.
pub fn parse(text: &str) -> (String, Parsed<StatRow>) {
    let text = text::strip_bom(text);
    let Some((dataset, count_column, describe)) = detect(text) else {
        let error = Origin::line(1).error(
            "the header row has neither a \"Crime Count\" nor an \"Event Count\" column: expected Community,Category,Crime Count,Year,Month (crime) or Community,Category,Event Count,Year,Month (disorder)",
        );
        return ("an unknown CSV".into(), Err(vec![error]));
    };
    (
        describe.to_string(),
        parse_dataset(text, dataset, count_column),
    )
}

fn parse_dataset(text: &str, dataset: Dataset, count_column: &str) -> Parsed<StatRow> {
    let (reader, headers) = text::csv_with_header(text).map_err(|error| vec![error])?;
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| normalise(h).eq_ignore_ascii_case(name))
    };
    let (Some(community), Some(category), Some(count), Some(year), Some(month)) = (
        column("Community"),
        column("Category"),
        column(count_column),
        column("Year"),
        column("Month"),
    ) else {
        return Err(vec![Origin::line(1).error(format!(
            "the header row needs the columns Community, Category, {count_column}, Year and Month"
        ))]);
    };
    let (records, mut errors) = text::records(reader, text, headers.len());
    let mut rows = Vec::new();
    for (origin, record) in records {
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let mut problems = Vec::new();
        let mut number = |i: usize, what: &str, range: std::ops::RangeInclusive<i32>| match field(i)
            .parse::<i32>()
        {
            Ok(n) if range.contains(&n) => Some(n),
            Ok(n) => {
                problems.push(format!(
                    "{what} {n} is not in {}–{}",
                    range.start(),
                    range.end()
                ));
                None
            }
            Err(_) => {
                problems.push(format!(
                    "{what} {} is not a whole number",
                    text::quoted(field(i))
                ));
                None
            }
        };
        let count = number(count, count_column, 0..=i32::MAX);
        let year = number(year, "Year", 1900..=2100);
        let month = number(month, "Month", 1..=12);
        let community = normalise(field(community)).to_uppercase();
        let category = normalise(field(category));
        if community.is_empty() {
            problems.push("Community is empty".into());
        }
        if category.is_empty() {
            problems.push("Category is empty".into());
        }
        match (count, year, month) {
            (Some(count), Some(year), Some(month)) if problems.is_empty() => rows.push(StatRow {
                origin,
                key: StatKey {
                    community,
                    category,
                    year,
                    month,
                },
                count,
                dataset,
                repeats: Vec::new(),
            }),
            _ => errors.push(origin.error(problems.join("; "))),
        }
    }
    let rows = merge(rows, &mut errors);
    super::finish(rows, errors)
}

/// Sums rows with the same key (after normalising, `Violence\u{a0} 'Other'` and
/// `Violence 'Other'` are one category), in key order. The City's own crime file gives some keys
/// twice, in two blocks of rows whose counts add up to the month's total, so repeated keys are
/// summed rather than refused; each repeat is kept in `repeats` for the report to list.
fn merge(rows: Vec<StatRow>, errors: &mut Vec<RowError>) -> Vec<StatRow> {
    let mut merged: BTreeMap<StatKey, StatRow> = BTreeMap::new();
    for row in rows {
        match merged.get_mut(&row.key) {
            Some(existing) => match existing.count.checked_add(row.count) {
                Some(sum) => {
                    existing.count = sum;
                    existing.repeats.push((row.origin.line, row.count));
                }
                None => errors.push(row.origin.error("the sum of the counts is too large")),
            },
            None => {
                merged.insert(row.key.clone(), row);
            }
        }
    }
    merged.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crime_and_disorder_files_are_told_apart_by_their_header() {
        let (what, rows) = parse(
            "\u{feff}Community,Category,Crime Count,Year,Month\r\nBELTLINE,Assault,3,2023,3\r\n",
        );
        assert!(what.contains("crime"));
        assert_eq!(rows.unwrap()[0].dataset, Dataset::Crime);
        let (what, rows) =
            parse("Community,Category,Event Count,Year,Month\nBELTLINE,Disorder,473,2018,1\n");
        assert!(what.contains("disorder"));
        let rows = rows.unwrap();
        assert_eq!((rows[0].dataset, rows[0].count), (Dataset::Disorder, 473));
        let (_, rows) = parse("Community,Category,Count,Year,Month\n");
        assert_eq!(rows.unwrap_err()[0].line, 1);
    }

    #[test]
    fn names_are_normalised_and_duplicates_summed() {
        let text = "Community,Category,Crime Count,Year,Month\n\
                    BELTLINE,Violence\u{a0} 'Other' (Non-domestic),2,2023,3\n\
                    beltline ,Violence 'Other'  (Non-domestic),3,2023,3\n";
        let rows = parse(text).1.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].key.community, "BELTLINE");
        assert_eq!(rows[0].key.category, "Violence 'Other' (Non-domestic)");
        assert_eq!(rows[0].count, 5);
        assert_eq!(rows[0].origin.line, 2);
        assert_eq!(rows[0].repeats, [(3, 3)]);
    }

    #[test]
    fn every_bad_row_is_listed_with_its_physical_line() {
        let text = "Community,Category,Crime Count,Year,Month\n\
                    BELTLINE,Assault,1,2023,1\n\
                    BELTLINE,\"Theft\nFROM Vehicle\",many,2023,2\n\
                    BELTLINE,Assault,1,2023,13\n\
                    ,Assault,-1,2023,4\n\
                    BELTLINE,Assault,1\n";
        let errors = parse(text).1.unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 5, 6, 7]);
        assert!(errors[0].reason.contains("\"many\" is not a whole number"));
        assert!(errors[1].reason.contains("Month 13 is not in 1–12"));
        assert!(errors[2].reason.contains("Community is empty"));
        assert!(errors[2].reason.contains("-1"));
        assert!(errors[3].reason.contains("fields"));
    }
}
