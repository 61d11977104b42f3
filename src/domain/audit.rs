//! What the audit log says was done, and to what.

crate::text_enum! {
    /// What was done; stored in `audit_log.action`.
    pub enum AuditAction("audit action") {
        Create = "create",
        /// A shift changed through the roster form or import.
        Edit = "edit",
        /// A visit or activity changed through the shift log.
        Update = "update",
        Delete = "delete",
        Cancel = "cancel",
        /// A shift made by copying a week.
        Copy = "copy",
        Import = "import",
        Revoke = "revoke",
        /// The demo or a generated pilot loaded by the system.
        Seed = "seed",
    }
}

crate::text_enum! {
    /// What it was done to; stored in `audit_log.entity`.
    pub enum AuditEntity("audit entity") {
        Pilot = "pilot",
        District = "district",
        Hotspot = "hotspot",
        Shift = "shift",
        Visit = "visit",
        Activity = "activity",
        User = "user",
        CalendarToken = "calendar_token",
        CommunityStats = "community_stats",
    }
}
