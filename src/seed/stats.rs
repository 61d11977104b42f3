//! The City's monthly crime and disorder counts by community, from the embedded open-data CSVs,
//! read by the statistics import's own parser (`import::stats`): the same rows, summed the same.

use anyhow::{anyhow, bail};

use crate::db::stats::StatCount;
use crate::domain::community_stats::Dataset;
use crate::import;

/// CPS Community Crime Statistics for every community of Calgary, Jan 2018 – Nov 2024.
const CRIME_CSV: &str = include_str!("../../data/calgary/Community_Crime_Statistics.csv");
/// CPS Community Disorder Statistics (partial extract) for 13 downtown and inner-city communities.
const DISORDER_CSV: &str =
    include_str!("../../data/calgary/Community_Disorder_Statistics_20240907_downtown_extract.csv");

/// One of the City's files the demo loads.
#[derive(Debug, Clone, Copy)]
pub struct StatsFile {
    pub name: &'static str,
    pub dataset: Dataset,
    text: &'static str,
}

/// The City's statistics files the demo loads, one per dataset.
pub const FILES: [StatsFile; 2] = [
    StatsFile {
        name: "Community_Crime_Statistics.csv",
        dataset: Dataset::Crime,
        text: CRIME_CSV,
    },
    StatsFile {
        name: "Community_Disorder_Statistics_20240907_downtown_extract.csv",
        dataset: Dataset::Disorder,
        text: DISORDER_CSV,
    },
];

impl StatsFile {
    /// Every count of the file, rows with the same key summed, in key order.
    pub fn counts(&self) -> anyhow::Result<Vec<StatCount>> {
        let rows = import::stats::parse(self.text).1.map_err(|errors| {
            anyhow!(
                "{} has {} bad rows, the first: {}",
                self.name,
                errors.len(),
                errors[0]
            )
        })?;
        if let Some(other) = rows.iter().find(|r| r.dataset != self.dataset) {
            bail!("{} holds {} statistics", self.name, other.dataset);
        }
        Ok(rows
            .into_iter()
            .map(|r| StatCount {
                key: r.key,
                count: r.count,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_both_files_is_loaded_and_repeated_keys_summed() {
        let crime = FILES[0].counts().expect("crime");
        // 77,135 rows, 72 of which repeat a key of another row.
        assert_eq!(crime.len(), 77_135 - 72);
        assert_eq!(FILES[1].counts().expect("disorder").len(), 1001);
        let communities: std::collections::BTreeSet<_> =
            crime.iter().map(|c| c.key.community.as_str()).collect();
        assert_eq!(communities.len(), 300);
        assert!(communities.contains("DOWNTOWN COMMERCIAL CORE"));
    }

    #[test]
    fn the_non_breaking_space_category_is_normalised() {
        let all: Vec<_> = FILES.iter().map(|f| f.counts().expect("stats")).collect();
        let categories = || all.iter().flatten().map(|c| &c.key.category);
        assert!(categories().any(|c| c == "Violence 'Other' (Non-domestic)"));
        assert!(categories().all(|c| !c.contains('\u{a0}') && !c.contains("  ")));
    }
}
