//! The report an import's page shows: its counts, the rows that change, every bad row.

use crate::domain::City;
use crate::import::stats_report::RepeatedKey;
use crate::import::{Kind, Report};

/// A bad row as the page lists it.
pub struct ErrorLine {
    pub line: usize,
    pub feature: String,
    pub reason: String,
}

/// A row the import adds, changes or cancels, as the page lists it.
pub struct ChangedLine {
    /// `line 12`, or `line 1, feature 3` in GeoJSON.
    pub place: String,
    pub change: String,
    pub what: String,
}

/// The report shown after an upload.
pub struct ReportView {
    pub ok: bool,
    pub headline: String,
    pub file: String,
    pub format: String,
    pub rows: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Shifts cancelled, for a roster.
    pub cancelled: Option<usize>,
    pub dry_run: bool,
    pub errors: Vec<ErrorLine>,
    /// Statistics: how the stored totals change.
    pub totals: Option<String>,
    /// Statistics: what the repeated keys are, and the first of them.
    pub repeated_headline: Option<String>,
    pub repeated: Vec<RepeatedKey>,
    /// Communities and statistics: the city they went into.
    pub city: Option<String>,
    /// The first rows that change, and how many there are in all when that is more.
    pub changed: Vec<ChangedLine>,
    pub changed_caption: String,
    /// The token of the kept file, after a dry run that would change something.
    pub apply_token: Option<String>,
}

impl ReportView {
    /// The view of `report` of the file named `file`.
    pub fn of(report: &Report, file: &str) -> ReportView {
        let written = report.counts.written();
        let changed_caption = match (written, report.changed.len()) {
            (1, _) => "The row that changes".to_string(),
            (all, listed) if all > listed => {
                format!("The first {listed} of {all} rows that change")
            }
            (all, _) => format!("The {all} rows that change"),
        };
        ReportView {
            changed: report
                .changed
                .iter()
                .map(|row| ChangedLine {
                    place: row.origin.to_string(),
                    change: row.change.to_string(),
                    what: row.what.clone(),
                })
                .collect(),
            changed_caption,
            apply_token: None,
            ok: report.errors.is_empty(),
            headline: report.headline(),
            file: file.to_string(),
            format: report.format.clone(),
            rows: report.rows,
            new: report.counts.new,
            updated: report.counts.updated,
            unchanged: report.counts.unchanged,
            cancelled: (report.kind == Kind::Roster).then_some(report.counts.cancelled),
            dry_run: report.dry_run,
            errors: report
                .errors
                .iter()
                .map(|e| ErrorLine {
                    line: e.line,
                    feature: e.feature_label(),
                    reason: e.reason.clone(),
                })
                .collect(),
            totals: report.stats.as_ref().map(|s| s.totals(report.dry_run)),
            repeated_headline: report.stats.as_ref().and_then(|s| s.repeated_headline()),
            repeated: report
                .stats
                .as_ref()
                .map_or_else(Vec::new, |s| s.repeated.clone()),
            city: report.city.as_ref().map(City::to_string),
        }
    }
}
