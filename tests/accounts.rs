//! Accounts in the browser, through the real router over a real PostgreSQL: adding accounts,
//! changing their role and status, setting passwords, changing one's own, and who may do it.

#[path = "accounts/admin.rs"]
mod admin;
mod common;
#[path = "accounts/last_admin.rs"]
mod last_admin;
#[path = "accounts/passwords.rs"]
mod passwords;
#[path = "accounts/support.rs"]
mod support;
