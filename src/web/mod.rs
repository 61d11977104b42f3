//! The web layer: one routing table, one file per page or feature.

pub mod accounts;
pub mod assets;
pub mod auth;
pub mod health;
pub mod home;
pub mod login;
pub mod page;
pub mod routes;
pub mod security;

pub use routes::router;
