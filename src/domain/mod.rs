//! Domain types and their validation; no I/O.

pub mod lockout;
pub mod password;
pub mod progress;
pub mod range;
pub mod role;
pub mod username;

pub use progress::Progress;
pub use range::{DateRange, RangeError};
pub use role::Role;
pub use username::Username;
