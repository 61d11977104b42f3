//! Accounts in the browser, through the real router over a real PostgreSQL: adding accounts,
//! changing their role and status, setting passwords, changing one's own, and who may do it.

mod admin;
mod last_admin;
mod passwords;
mod support;
