//! Which rows of a file an import changes, so a dry run can show them before anything is
//! written, and the apply can show the same list after. Only the first [`LISTED`] are kept: a
//! statistics file changes thousands of rows, and the counts already say how many.

use super::{Counts, Origin};

/// How many changed rows a report lists.
pub const LISTED: usize = 50;

crate::text_enum! {
    /// What an import does to a row of its file that is not left as it is.
    pub enum Change("row change") {
        /// Nothing with the row's key was stored.
        New = "new",
        /// The stored row of its key differs.
        Changed = "changed",
        /// A roster's shift the file cancels.
        Cancelled = "cancelled",
    }
}

/// A row of the file that the import adds, changes or cancels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedRow {
    /// Where the row is in the file.
    pub origin: Origin,
    pub change: Change,
    /// What the row is, in words: "district BLN Beltline", "hotspot Central Memorial Park".
    pub what: String,
}

/// The counts of an import with the first [`LISTED`] rows it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub counts: Counts,
    pub changed: Vec<ChangedRow>,
}

impl Tally {
    /// Counts a row as [`Counts::add`] does, and lists it (as `what` names it) when it is new or
    /// changed; whether the row is to be written.
    pub fn add<T>(
        &mut self,
        origin: Origin,
        what: impl FnOnce() -> String,
        stored: Option<&T>,
        same: impl FnOnce(&T) -> bool,
        dry_run: bool,
    ) -> bool {
        let change = match stored {
            None => Some(Change::New),
            Some(old) if same(old) => None,
            Some(_) => Some(Change::Changed),
        };
        let write = self.counts.add(stored, |_| change.is_none(), dry_run);
        if let Some(change) = change {
            self.list(origin, change, what);
        }
        write
    }

    /// Counts a row whose fate is already known (`None`: left as it is), and lists it when it
    /// changes.
    pub fn note(&mut self, origin: Origin, change: Option<Change>, what: impl FnOnce() -> String) {
        match change {
            None => self.counts.unchanged += 1,
            Some(Change::New) => self.counts.new += 1,
            Some(Change::Changed) => self.counts.updated += 1,
            Some(Change::Cancelled) => self.counts.cancelled += 1,
        }
        if let Some(change) = change {
            self.list(origin, change, what);
        }
    }

    fn list(&mut self, origin: Origin, change: Change, what: impl FnOnce() -> String) {
        if self.changed.len() < LISTED {
            self.changed.push(ChangedRow {
                origin,
                change,
                what: what(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_and_changed_rows_are_listed_and_unchanged_ones_only_counted() {
        let mut tally = Tally::default();
        assert!(tally.add(
            Origin::line(2),
            || "a".into(),
            None::<&i32>,
            |_| true,
            false
        ));
        assert!(!tally.add(Origin::line(3), || "b".into(), Some(&1), |&n| n == 1, false));
        assert!(!tally.add(Origin::line(4), || "c".into(), Some(&1), |&n| n == 2, true));
        tally.note(Origin::line(5), Some(Change::Cancelled), || "d".into());
        assert_eq!(
            tally.counts.to_string(),
            "1 new, 1 updated, 1 cancelled, 1 unchanged"
        );
        let listed: Vec<(usize, Change, &str)> = tally
            .changed
            .iter()
            .map(|r| (r.origin.line, r.change, r.what.as_str()))
            .collect();
        assert_eq!(
            listed,
            [
                (2, Change::New, "a"),
                (4, Change::Changed, "c"),
                (5, Change::Cancelled, "d")
            ]
        );
    }

    #[test]
    fn only_the_first_fifty_changed_rows_are_listed() {
        let mut tally = Tally::default();
        for line in 1..=LISTED + 10 {
            tally.note(Origin::line(line), Some(Change::New), || line.to_string());
        }
        assert_eq!(tally.counts.new, LISTED + 10);
        assert_eq!(tally.changed.len(), LISTED);
        assert_eq!(tally.changed[LISTED - 1].what, LISTED.to_string());
    }
}
