//! The changes a user can make, one function each: adding a shift, logging a visit, importing
//! hotspots, creating an account. Each function is the whole unit of work, in one transaction and
//! in this order: lock what it changes, check the rules against what is now stored, write, record
//! an audit entry ([`crate::db::audit::AuditEntry`]), refresh the stored coverage it touched
//! (docs/architecture.md, "The write path").
//!
//! Handlers, commands, imports and the seed call these functions and hold no SQL; `db/` holds the
//! queries and no sentence for users; `domain/` holds the rules and the sentences. A function that
//! must also run inside a larger transaction (the roster import writes many shifts) has an `_in`
//! variant taking the caller's connection; the plain one begins, retries and commits.

pub mod accounts;
pub mod agencies;
pub mod communities;
pub mod community_stats;
pub mod district_choice;
pub mod districts;
pub mod hotspots;
pub mod import_uploads;
pub mod imports;
pub mod log;
pub mod people;
pub mod pilots;
pub mod places;
pub mod roster;
