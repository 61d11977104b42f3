//! Domain types and their validation; no I/O.

pub mod account_form;
pub mod activity_draft;
pub mod agency;
pub mod audit;
pub mod community_stats;
pub mod district_form;
pub mod field_errors;
pub mod hotspot;
pub mod hotspot_form;
pub mod ids;
pub mod local_time;
pub mod lockout;
pub mod numbers;
pub mod password;
pub mod pilot_dates;
pub mod pilot_form;
pub mod plain_text;
pub mod progress;
pub mod range;
pub mod role;
pub mod roster_checks;
pub mod roster_rules;
pub mod shift_draft;
pub mod shift_log;
pub mod shift_status;
pub mod text_enum;
pub mod time_zones;
pub mod username;
pub mod visit_draft;
pub mod week;

pub use progress::Progress;
pub use range::{DateRange, RangeError};
pub use role::Role;
pub use shift_status::{Mode, ShiftStatus};
pub use username::Username;
