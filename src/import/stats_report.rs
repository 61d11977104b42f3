//! What a statistics import says beyond its counts: the keys the file gives more than once
//! (summed, so the analyst must be able to see which) and how the stored totals change, which
//! is what tells a file repeated by mistake from a good one.

use super::stats::StatRow;
use crate::domain::numbers::count;

/// How many repeated keys the report lists; the rest are only counted.
pub const LISTED: usize = 20;

/// A (community, category, year, month) that several rows of the file give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedKey {
    pub community: String,
    pub category: String,
    pub year: i32,
    pub month: i32,
    /// (line, count) of every row with the key, in file order.
    pub rows: Vec<(usize, i32)>,
}

impl RepeatedKey {
    /// `2023-05`.
    pub fn month(&self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// The lines of its rows: `5, 309`.
    pub fn lines(&self) -> String {
        let lines: Vec<String> = self.rows.iter().map(|(l, _)| l.to_string()).collect();
        lines.join(", ")
    }

    /// Their counts and what they add up to: `1 + 2 = 3`.
    pub fn sum(&self) -> String {
        let counts: Vec<String> = self.rows.iter().map(|(_, c)| c.to_string()).collect();
        let total: i64 = self.rows.iter().map(|&(_, c)| i64::from(c)).sum();
        format!("{} = {total}", counts.join(" + "))
    }
}

/// The statistics part of an import's report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatsSummary {
    /// Data rows of the file.
    pub file_rows: usize,
    /// Distinct keys among them.
    pub keys: usize,
    /// Keys given by more than one row.
    pub repeated_keys: usize,
    /// The first [`LISTED`] of them, by the line of their first row.
    pub repeated: Vec<RepeatedKey>,
    /// The sum of the file's counts, which is what the file's keys hold after the import.
    pub file_total: i64,
    /// The sum of the stored counts of the file's keys before the import.
    pub stored_before: i64,
}

impl StatsSummary {
    /// The summary of `rows` (merged, as `stats::parse` gives them) against the stored counts
    /// of their keys, which sum to `stored_before`.
    pub fn of(rows: &[StatRow], stored_before: i64) -> StatsSummary {
        let mut repeated: Vec<&StatRow> = rows.iter().filter(|r| !r.repeats.is_empty()).collect();
        repeated.sort_by_key(|r| r.origin.line);
        StatsSummary {
            file_rows: rows.iter().map(|r| 1 + r.repeats.len()).sum(),
            keys: rows.len(),
            repeated_keys: repeated.len(),
            repeated: repeated
                .into_iter()
                .take(LISTED)
                .map(|r| RepeatedKey {
                    community: r.key.community.clone(),
                    category: r.key.category.clone(),
                    year: r.key.year,
                    month: r.key.month,
                    rows: std::iter::once((r.origin.line, first_count(r)))
                        .chain(r.repeats.iter().copied())
                        .collect(),
                })
                .collect(),
            file_total: rows.iter().map(|r| i64::from(r.count)).sum(),
            stored_before,
        }
    }

    /// How the totals change, in one sentence.
    pub fn totals(&self, dry_run: bool) -> String {
        format!(
            "The file's counts sum to {} over {} keys; the stored total for these keys {} from {} to {}.",
            count(self.file_total),
            count(self.keys as i64),
            if dry_run { "would go" } else { "went" },
            count(self.stored_before),
            count(self.file_total),
        )
    }

    /// What the repeated keys are, in one sentence; `None` when there are none.
    pub fn repeated_headline(&self) -> Option<String> {
        let extra = self.file_rows - self.keys;
        let listed = if self.repeated_keys > LISTED {
            format!("The first {LISTED} are listed.")
        } else {
            "They are listed below.".to_string()
        };
        match self.repeated_keys {
            0 => None,
            n if n == self.keys => Some(format!(
                "Every key (community, category, year, month) of the file is given by more than one row ({} rows for {} keys): is the file repeated? Their counts are added up. {listed}",
                count(self.file_rows as i64),
                count(self.keys as i64),
            )),
            n => Some(format!(
                "{} {} (community, category, year, month) {} given by more than one row ({} rows more than keys); their counts are added up. {listed}",
                count(n as i64),
                if n == 1 { "key" } else { "keys" },
                if n == 1 { "is" } else { "are" },
                count(extra as i64),
            )),
        }
    }
}

/// The count of the key's first row: the sum less its repeats.
fn first_count(row: &StatRow) -> i32 {
    row.count - row.repeats.iter().map(|&(_, c)| c).sum::<i32>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_listed_by_first_line_with_their_counts() {
        let text = "Community,Category,Crime Count,Year,Month\n\
                    B,Assault,1,2023,5\n\
                    A,Assault,4,2023,5\n\
                    A,Theft,2,2023,5\n\
                    B,Assault,2,2023,5\n\
                    A,Assault,1,2023,5\n";
        let rows = super::super::stats::parse(text).1.unwrap();
        let summary = StatsSummary::of(&rows, 3);
        assert_eq!(
            (summary.file_rows, summary.keys, summary.repeated_keys),
            (5, 3, 2)
        );
        assert_eq!(summary.repeated[0].community, "B");
        assert_eq!(summary.repeated[0].lines(), "2, 5");
        assert_eq!(summary.repeated[0].sum(), "1 + 2 = 3");
        assert_eq!(summary.repeated[1].month(), "2023-05");
        assert_eq!(summary.repeated[1].sum(), "4 + 1 = 5");
        assert_eq!(
            summary.totals(true),
            "The file's counts sum to 10 over 3 keys; the stored total for these keys would go from 3 to 10."
        );
        let headline = summary.repeated_headline().unwrap();
        assert!(
            headline.starts_with("2 keys (community, category, year, month) are given"),
            "{headline}"
        );
        assert!(headline.contains("(2 rows more than keys)"), "{headline}");
    }

    #[test]
    fn a_file_whose_every_key_repeats_is_called_out() {
        let text = "Community,Category,Crime Count,Year,Month\nA,X,1,2023,5\nA,X,1,2023,5\n";
        let rows = super::super::stats::parse(text).1.unwrap();
        let summary = StatsSummary::of(&rows, 0);
        assert!(
            summary
                .repeated_headline()
                .unwrap()
                .starts_with("Every key")
        );
        let text = "Community,Category,Crime Count,Year,Month\nA,X,1,2023,5\n";
        let rows = super::super::stats::parse(text).1.unwrap();
        assert_eq!(StatsSummary::of(&rows, 0).repeated_headline(), None);
    }
}
