//! What the audit log says was done, and to what.

crate::text_enum! {
    /// What was done; stored in `audit_log.action`.
    pub enum AuditAction("audit action") {
        Create = "create",
        /// A shift changed through the roster form or import.
        Edit = "edit",
        /// A visit or activity changed through the shift log, an account's role, or a hotspot or
        /// district changed on its edit page.
        Update = "update",
        Delete = "delete",
        Cancel = "cancel",
        /// A shift made by copying a week.
        Copy = "copy",
        Import = "import",
        Revoke = "revoke",
        /// A hotspot's last day watched set: it is not watched after it.
        Retire = "retire",
        /// The demo or a generated pilot loaded by the system.
        Seed = "seed",
        /// An account stopped from signing in (its sessions ended).
        Deactivate = "deactivate",
        /// A deactivated account allowed to sign in again.
        Reactivate = "reactivate",
        /// An account's password set by an administrator, to be changed at the next sign-in.
        PasswordSet = "password_set",
        /// A user changed their own password.
        PasswordChange = "password_change",
        /// An officer's assignment to a pilot given an earlier last day.
        End = "end",
    }
}

crate::text_enum! {
    /// What it was done to; stored in `audit_log.entity`.
    pub enum AuditEntity("audit entity") {
        Pilot = "pilot",
        District = "district",
        /// A community of a city: the City's boundary, from which districts are chosen.
        Community = "community",
        Hotspot = "hotspot",
        Shift = "shift",
        Visit = "visit",
        /// An officer's "Arrived" at a hotspot, waiting for their "Left" (then it becomes a visit).
        Arrival = "arrival",
        Activity = "activity",
        User = "user",
        CalendarToken = "calendar_token",
        CommunityStats = "community_stats",
        /// An agency, known by its code (the entry has no id: `before` and `after` hold the code).
        Agency = "agency",
        Officer = "officer",
        Team = "team",
        /// An officer's assignment to a pilot.
        Assignment = "assignment",
    }
}
