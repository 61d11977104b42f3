//! What a change wrote, for `rollups::refresh` to rewrite only the roll-ups built on it.

/// Which raw rows a change wrote, so that a refresh rewrites only the roll-ups built on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Hotspots or the pilot itself: every roll-up.
    Everything,
    /// Shifts, their members or their hotspots: the figures of `hotspot_days` and their sums,
    /// and the officer and shift counts (activities belong to shifts but count whatever their
    /// shift's status).
    Shifts,
    /// An officer's agency: the officer-hours only.
    Officers,
    /// Visits: the figures of `hotspot_days` and their sums.
    Visits,
    /// Activities: the activity counts only.
    Activities,
}

impl Changed {
    pub(crate) fn sums(self) -> bool {
        matches!(
            self,
            Changed::Everything | Changed::Shifts | Changed::Visits
        )
    }

    pub(crate) fn officers(self) -> bool {
        matches!(
            self,
            Changed::Everything | Changed::Shifts | Changed::Officers
        )
    }

    pub(crate) fn shifts(self) -> bool {
        matches!(self, Changed::Everything | Changed::Shifts)
    }

    pub(crate) fn activities(self) -> bool {
        matches!(self, Changed::Everything | Changed::Activities)
    }
}
