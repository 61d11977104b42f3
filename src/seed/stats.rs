//! The City's monthly crime and disorder counts by community, from the embedded open-data CSVs.

use std::collections::BTreeMap;

use anyhow::{Context, bail};

use crate::db::seed::StatRow;

/// CPS Community Crime Statistics for the 13 downtown and inner-city communities.
const CRIME_CSV: &str = include_str!("../../data/calgary/Community_Crime_Statistics_downtown.csv");
/// CPS Community Disorder Statistics (partial extract) for the same communities.
const DISORDER_CSV: &str =
    include_str!("../../data/calgary/Community_Disorder_Statistics_20240907_downtown_extract.csv");

/// Every row of both embedded files, rows with the same key summed, in key order.
pub fn community_stats() -> anyhow::Result<Vec<StatRow>> {
    let mut rows = parse(CRIME_CSV, "crime", "Crime Count")
        .context("reading Community_Crime_Statistics_downtown.csv")?;
    rows.extend(
        parse(DISORDER_CSV, "disorder", "Event Count")
            .context("reading Community_Disorder_Statistics_20240907_downtown_extract.csv")?,
    );
    merge(rows)
}

/// Sums rows with the same (community, category, year, month), the key of `community_stats`;
/// the same key in two datasets is an error, since the table could keep only one of them.
pub fn merge(rows: Vec<StatRow>) -> anyhow::Result<Vec<StatRow>> {
    let mut merged: BTreeMap<(String, String, i32, i32), StatRow> = BTreeMap::new();
    for row in rows {
        let key = (
            row.community.clone(),
            row.category.clone(),
            row.year,
            row.month,
        );
        match merged.get_mut(&key) {
            Some(existing) if existing.dataset == row.dataset => {
                existing.count = existing
                    .count
                    .checked_add(row.count)
                    .context("count overflow")?;
            }
            Some(existing) => {
                bail!(
                    "{key:?} appears in both the {} and the {} data",
                    existing.dataset,
                    row.dataset
                )
            }
            None => {
                merged.insert(key, row);
            }
        }
    }
    Ok(merged.into_values().collect())
}

/// Parses one of the City's statistics CSVs (Community, Category, <count_column>, Year, Month).
pub fn parse(
    text: &str,
    dataset: &'static str,
    count_column: &str,
) -> anyhow::Result<Vec<StatRow>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().context("reading the header row")?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .with_context(|| format!("no {name:?} column in the header row"))
    };
    let (community, category, count, year, month) = (
        column("Community")?,
        column("Category")?,
        column(count_column)?,
        column("Year")?,
        column("Month")?,
    );
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.context("malformed CSV")?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize, what: &str| -> anyhow::Result<i32> {
            field(i).parse().with_context(|| {
                format!("line {line}: {what} {:?} is not a whole number", field(i))
            })
        };
        let row = StatRow {
            community: field(community).to_uppercase(),
            category: normalise_category(field(category)),
            year: number(year, "year")?,
            month: number(month, "month")?,
            count: number(count, count_column)?,
            dataset,
        };
        if row.community.is_empty() || row.category.is_empty() {
            bail!("line {line}: community and category must not be empty");
        }
        if !(1..=12).contains(&row.month) || row.count < 0 {
            bail!(
                "line {line}: month {} or count {} out of range",
                row.month,
                row.count
            );
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Non-breaking spaces become spaces and runs of whitespace one space, so the same category
/// always has the same name: `Violence\u{a0} 'Other'` becomes `Violence 'Other'`.
pub fn normalise_category(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_both_files_is_loaded() {
        let rows = community_stats().expect("stats");
        assert_eq!(rows.iter().filter(|r| r.dataset == "crime").count(), 6038);
        assert_eq!(
            rows.iter().filter(|r| r.dataset == "disorder").count(),
            1001
        );
        let communities: std::collections::BTreeSet<_> =
            rows.iter().map(|r| r.community.as_str()).collect();
        assert_eq!(communities.len(), 13);
        assert!(communities.contains("DOWNTOWN COMMERCIAL CORE"));
    }

    #[test]
    fn the_non_breaking_space_category_is_normalised() {
        let rows = community_stats().expect("stats");
        assert!(
            rows.iter()
                .any(|r| r.category == "Violence 'Other' (Non-domestic)")
        );
        assert!(
            rows.iter()
                .all(|r| !r.category.contains('\u{a0}') && !r.category.contains("  "))
        );
        assert_eq!(
            normalise_category(" Theft \u{a0}  FROM\tVehicle "),
            "Theft FROM Vehicle"
        );
    }

    #[test]
    fn a_byte_order_mark_is_ignored_and_duplicates_are_summed() {
        let text = "\u{feff}Community,Category,Crime Count,Year,Month\n\
                    BELTLINE,Street Robbery,2,2023,3\n\
                    beltline ,Street\u{a0} Robbery,3,2023,3\n";
        let rows = parse(text, "crime", "Crime Count").expect("parse");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].community, "BELTLINE");
        assert_eq!(rows[1].category, "Street Robbery");
        let merged = merge(rows).expect("merge");
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].count, 5);
    }

    #[test]
    fn the_same_key_in_both_datasets_is_refused() {
        let row = |dataset| StatRow {
            community: "BELTLINE".into(),
            category: "Disorder".into(),
            year: 2023,
            month: 3,
            count: 1,
            dataset,
        };
        assert!(merge(vec![row("crime"), row("disorder")]).is_err());
    }

    #[test]
    fn a_bad_number_names_its_line() {
        let text = "Community,Category,Event Count,Year,Month\nBELTLINE,Disorder,many,2023,3\n";
        let error = format!(
            "{:#}",
            parse(text, "disorder", "Event Count").expect_err("bad count")
        );
        assert!(error.contains("line 2"), "{error}");
    }
}
