//! Where a shift stands, and how its team moves.

crate::text_enum! {
    /// Where a shift stands; stored in `shifts.status`. A cancelled shift plans nothing and counts
    /// no hours (docs/coverage.md).
    pub enum ShiftStatus("shift status") {
        /// On the roster, not yet worked.
        Planned = "planned",
        /// Worked.
        Completed = "completed",
        /// Called off; kept for the record.
        Cancelled = "cancelled",
    }
}

crate::text_enum! {
    /// How a team patrols; stored in `teams.mode` and `shifts.mode`.
    pub enum Mode("mode") {
        Foot = "foot",
        Bike = "bike",
        Vehicle = "vehicle",
    }
}

impl ShiftStatus {
    /// Whether the shift counts: plans coverage and hours.
    pub fn counts(self) -> bool {
        self != ShiftStatus::Cancelled
    }
}
