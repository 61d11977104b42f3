//! Imports of open data and analysts' files: district boundaries, hotspots, a city's community
//! boundaries and statistics, rosters, and officers with their teams and assignments.
//!
//! Every import runs in two steps. Parsing and validation are pure functions of the file's text
//! (and, for hotspots, of the pilot's districts and dates): they give either every row, checked,
//! or every bad row with its line number and reason. Only a file without a single bad row is
//! compared with the database (`crate::service::imports::run`) and, unless it is a dry run, has
//! the difference written in one transaction with an audit entry per changed row. A roster is
//! the exception to the first step: whether a row's officers, hotspots and times fit the pilot,
//! and whether they clash, is known only against the database, so those checks happen while
//! applying (`roster_apply`), still before anything is committed. The same code serves the
//! `patrolboard import` command and the upload page. A hotspot's edit page reads a new outline
//! with [`outline`] and checks it with the import's own rules.

pub mod apply;
pub mod changes;
pub mod districts;
pub mod geojson;
pub mod geometry;
pub mod hotspots;
pub mod officers;
pub mod outline;
pub mod roster;
mod roster_apply;
pub mod stats;
pub mod stats_report;
pub mod text;

use std::fmt;
use std::str::FromStr;

pub use apply::{ImportError, Request};

/// The largest file an import takes, from the upload page or the shell. The import holds the
/// file in memory, several times over while parsing; the City's largest file (its community
/// boundaries) is a few megabytes. Stated in `patrolboard import --help`.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// The longest reason a bad row is given: values from the file are quoted cut short
/// ([`text::quoted`]), and this holds any message to a screenful whatever it quotes.
const MAX_REASON_CHARS: usize = 1000;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// District boundaries: GeoJSON, or the City's community CSV with a WKT column.
    Districts,
    /// Hotspots: GeoJSON Features with Polygon geometry.
    Hotspots,
    /// A city's community boundaries, as for districts: reference data of the city.
    Communities,
    /// The City's monthly crime or disorder counts by community (CSV), a city's.
    CommunityStats,
    /// Shifts with their members and hotspots, in the columns of the `shifts` export (CSV).
    Roster,
    /// Officers with their teams and assignments to a pilot (CSV).
    Officers,
}

impl Kind {
    /// Every kind, in the order the upload form lists them.
    pub const ALL: [Kind; 6] = [
        Kind::Districts,
        Kind::Hotspots,
        Kind::Communities,
        Kind::CommunityStats,
        Kind::Roster,
        Kind::Officers,
    ];

    /// The name on the command line and in the upload form.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Districts => "districts",
            Kind::Hotspots => "hotspots",
            Kind::Communities => "communities",
            Kind::CommunityStats => "community-stats",
            Kind::Roster => "roster",
            Kind::Officers => "officers",
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Districts => "District boundaries",
            Kind::Hotspots => "Hotspots",
            Kind::Communities => "Community boundaries of a city",
            Kind::CommunityStats => "Community crime or disorder statistics",
            Kind::Roster => "Roster: shifts with members and hotspots",
            Kind::Officers => "Officers: their teams and assignments to the pilot",
        }
    }

    /// Whether rows of this kind belong to a pilot.
    pub fn needs_pilot(self) -> bool {
        !self.needs_city()
    }

    /// Whether rows of this kind belong to a city rather than a pilot.
    pub fn needs_city(self) -> bool {
        matches!(self, Kind::Communities | Kind::CommunityStats)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Kind, String> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown import {s:?}: use districts, hotspots, communities, community-stats, roster or officers"
                )
            })
    }
}

crate::text_enum! {
    /// How an import runs, as the upload form names it.
    pub enum Mode("import mode") {
        /// Report what would change, and write nothing.
        DryRun = "dry-run",
        /// Write the changes.
        Apply = "apply",
    }
}

/// Where a row came from: its physical line in the file (1-based) and, in GeoJSON, the feature's
/// position in the `features` array (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    pub line: usize,
    pub feature: Option<usize>,
}

impl Origin {
    /// A CSV row, or anything else known only by its line.
    pub fn line(line: usize) -> Origin {
        Origin {
            line,
            feature: None,
        }
    }

    /// A bad row here, for `reason`.
    pub fn error(self, reason: impl Into<String>) -> RowError {
        let reason = reason.into();
        RowError {
            line: self.line,
            feature: self.feature,
            feature_name: None,
            reason: match reason.char_indices().nth(MAX_REASON_CHARS) {
                Some((cut, _)) => format!("{}…", &reason[..cut]),
                None => reason,
            },
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.feature {
            Some(n) => write!(f, "line {}, feature {n}", self.line),
            None => write!(f, "line {}", self.line),
        }
    }
}

/// A bad row: where it is and what is wrong with it, in words an analyst can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Physical line of the file, 1-based.
    pub line: usize,
    /// For GeoJSON, the feature's position in `features`, 1-based.
    pub feature: Option<usize>,
    /// For GeoJSON, the feature's `name` property: a file written on one line puts every
    /// feature on line 1, so its position and name are what tell an analyst which one it is.
    pub feature_name: Option<String>,
    pub reason: String,
}

impl RowError {
    /// The same bad row, naming its feature by `name` (its `name` property) when it has one
    /// that can be shown (a name holding a refused character is itself the row's problem).
    pub fn named(self, name: Option<&str>) -> RowError {
        RowError {
            feature_name: name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .filter(|n| crate::domain::plain_text::first_refused(n).is_none())
                .map(text::excerpt),
            ..self
        }
    }

    /// The feature, as `2` or `2 (Central Memorial Park)`; empty for a row of a CSV.
    pub fn feature_label(&self) -> String {
        match (self.feature, &self.feature_name) {
            (Some(n), Some(name)) => format!("{n} ({name})"),
            (Some(n), None) => n.to_string(),
            (None, _) => String::new(),
        }
    }

    /// Where the bad row is, as `line 12`, `line 3, feature 2` or
    /// `line 1, feature 2 (Central Memorial Park)`.
    pub fn place(&self) -> String {
        match self.feature {
            Some(_) => format!("line {}, feature {}", self.line, self.feature_label()),
            None => format!("line {}", self.line),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.reason)
    }
}

/// Every row of a file, checked, or every bad row.
pub type Parsed<T> = Result<Vec<T>, Vec<RowError>>;

/// The rows when there is no bad one; else the bad rows in file order. A file without rows is
/// itself a mistake (the wrong file, or an export that came out empty).
pub fn finish<T>(rows: Vec<T>, mut errors: Vec<RowError>) -> Parsed<T> {
    if errors.is_empty() && rows.is_empty() {
        errors.push(Origin::line(1).error("the file has no rows to import"));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| (e.line, e.feature));
        Err(errors)
    }
}

/// How many rows an import adds, changes, cancels (rosters only) and leaves as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Shifts a roster import cancels (not counted in `updated`).
    pub cancelled: usize,
}

impl Counts {
    /// Counts a row of the file whose key has `stored` (`None`: nothing stored yet) as new,
    /// unchanged (`same` says whether the stored one equals the row) or updated; whether the row
    /// is to be written: it changes something, and the import is not a dry run.
    pub fn add<T>(
        &mut self,
        stored: Option<&T>,
        same: impl FnOnce(&T) -> bool,
        dry_run: bool,
    ) -> bool {
        match stored {
            None => self.new += 1,
            Some(old) if same(old) => {
                self.unchanged += 1;
                return false;
            }
            Some(_) => self.updated += 1,
        }
        !dry_run
    }
}

impl Counts {
    /// Rows the import writes: new, updated and cancelled.
    pub fn written(&self) -> usize {
        self.new + self.updated + self.cancelled
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} new, {} updated, ", self.new, self.updated)?;
        if self.cancelled > 0 {
            write!(f, "{} cancelled, ", self.cancelled)?;
        }
        write!(f, "{} unchanged", self.unchanged)
    }
}

/// What an import found, and whether it wrote anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub kind: Kind,
    /// What the file turned out to be, e.g. "the City's community CSV (WKT)".
    pub format: String,
    /// Rows of the file (statistics rows with the same key are summed into one).
    pub rows: usize,
    pub counts: Counts,
    /// Every bad row; when there is one, nothing was written.
    pub errors: Vec<RowError>,
    pub dry_run: bool,
    /// Whether the changes were committed.
    pub applied: bool,
    /// For statistics: repeated keys and how the stored totals change.
    pub stats: Option<stats_report::StatsSummary>,
    /// For communities and statistics: the city they went into.
    pub city: Option<crate::domain::City>,
    /// The first rows that the import adds, changes or cancels (none when it has bad rows).
    pub changed: Vec<changes::ChangedRow>,
}

impl Report {
    /// A report of a file with bad rows: nothing is written.
    pub fn rejected(kind: Kind, format: String, errors: Vec<RowError>, dry_run: bool) -> Report {
        Report {
            kind,
            format,
            rows: 0,
            counts: Counts::default(),
            errors,
            dry_run,
            applied: false,
            stats: None,
            city: None,
            changed: Vec::new(),
        }
    }

    /// One sentence: what happened.
    pub fn headline(&self) -> String {
        if !self.errors.is_empty() {
            let n = self.errors.len();
            format!(
                "{n} bad row{} in the file, so nothing was written. Fix {} and import the file again.",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" },
            )
        } else if self.dry_run {
            format!(
                "Dry run, nothing written: importing would give {}.",
                self.counts
            )
        } else {
            format!("Imported: {}.", self.counts)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_their_names() {
        assert_eq!("community-stats".parse::<Kind>(), Ok(Kind::CommunityStats));
        assert_eq!(" districts".parse::<Kind>(), Ok(Kind::Districts));
        assert_eq!("roster".parse::<Kind>(), Ok(Kind::Roster));
        assert_eq!("communities".parse::<Kind>(), Ok(Kind::Communities));
        assert!("rosters".parse::<Kind>().is_err());
        assert!(Kind::Roster.needs_pilot());
        assert!(Kind::Communities.needs_city() && !Kind::Communities.needs_pilot());
    }

    #[test]
    fn rows_are_counted_against_the_stored_ones_and_written_only_when_changed() {
        let mut counts = Counts::default();
        assert!(counts.add(None::<&i32>, |_| true, false));
        assert!(!counts.add(Some(&1), |&n| n == 1, false));
        assert!(counts.add(Some(&1), |&n| n == 2, false));
        assert!(!counts.add(Some(&1), |&n| n == 2, true));
        assert_eq!(counts.to_string(), "1 new, 2 updated, 1 unchanged");
    }

    #[test]
    fn a_bad_row_names_its_line_and_feature() {
        let e = Origin {
            line: 7,
            feature: Some(2),
        }
        .error("ring 1 is not closed");
        assert_eq!(e.to_string(), "line 7, feature 2: ring 1 is not closed");
        assert_eq!(Origin::line(3).error("x").to_string(), "line 3: x");
        let named = e.named(Some(" Olympic Plaza "));
        assert_eq!(
            named.to_string(),
            "line 7, feature 2 (Olympic Plaza): ring 1 is not closed"
        );
    }
}
