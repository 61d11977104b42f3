//! Every dataset that can be exported, with its columns (the data dictionary) and its SQL.

mod coverage;
mod people;
mod places;
mod roster;

use super::dictionary::Dataset;

/// The shifts of the pilot `$1` starting on a local date `$3..=$4` (alias `s`), directed to a
/// hotspot of district `$5` when one is chosen. Shared by `shifts` and `shift_members`.
macro_rules! shifts_in_range {
    () => {
        r#"s.pilot_id = $1
           and s.starts_at >= $6 and s.starts_at < $7
           and (s.starts_at at time zone $2)::date between $3 and $4
           and ($5::int8 is null or exists (
                   select 1 from shift_hotspots sh join hotspots dh on dh.id = sh.hotspot_id
                    where sh.shift_id = s.id and dh.district_id = $5))"#
    };
}
use shifts_in_range;

/// Every dataset, in the order the exports page lists them.
pub static DATASETS: &[&Dataset] = &[
    &people::OFFICERS,
    &people::ASSIGNMENTS,
    &people::TEAMS,
    &places::DISTRICTS,
    &places::HOTSPOTS,
    &roster::SHIFTS,
    &roster::SHIFT_MEMBERS,
    &roster::VISITS,
    &roster::ACTIVITIES,
    &coverage::COVERAGE_DAILY,
    &coverage::AUDIT,
];

/// The dataset called `name`.
pub fn find(name: &str) -> Option<&'static Dataset> {
    DATASETS.iter().copied().find(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::dictionary::Kind;
    use std::collections::HashSet;

    #[test]
    fn every_dataset_has_a_unique_name_and_unique_documented_columns() {
        let names: HashSet<_> = DATASETS.iter().map(|d| d.name).collect();
        assert_eq!(names.len(), DATASETS.len());
        for dataset in DATASETS {
            let columns: HashSet<_> = dataset.header().collect();
            assert_eq!(columns.len(), dataset.columns.len(), "{}", dataset.name);
            for column in dataset.columns {
                assert!(
                    !column.meaning.is_empty(),
                    "{}.{}",
                    dataset.name,
                    column.name
                );
                assert!(
                    column
                        .name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}.{} is snake_case",
                    dataset.name,
                    column.name
                );
            }
        }
    }

    #[test]
    fn every_instant_is_followed_by_its_local_time() {
        for dataset in DATASETS {
            for (i, column) in dataset.columns.iter().enumerate() {
                if column.kind == Kind::Instant {
                    let next = dataset.columns.get(i + 1);
                    assert_eq!(
                        next.map(|c| (c.kind, c.sql)),
                        Some((Kind::LocalInstant, column.sql)),
                        "{}.{} has a local twin",
                        dataset.name,
                        column.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_eleven_datasets_of_the_contract_are_all_there() {
        for name in [
            "officers",
            "assignments",
            "teams",
            "districts",
            "hotspots",
            "shifts",
            "shift_members",
            "visits",
            "activities",
            "coverage_daily",
            "audit",
        ] {
            assert!(find(name).is_some(), "{name}");
        }
        assert!(find("users").is_none());
    }
}
