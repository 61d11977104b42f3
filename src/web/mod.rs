//! The web layer: one routing table, one file per page or feature.

pub mod accounts;
pub mod agencies;
pub mod api;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod charts;
pub mod community;
pub mod dashboard;
pub mod district;
pub mod district_choice;
pub mod district_edit;
pub mod exports;
pub mod format;
pub mod health;
pub mod home;
pub mod hotspot;
pub mod hotspot_edit;
pub mod imports;
pub mod login;
pub mod officers;
pub mod page;
pub mod people;
pub mod pilots_admin;
pub mod plain_input;
pub mod roster;
pub mod roster_copy;
pub mod routes;
pub mod scope;
pub mod security;
pub mod shift_form;
pub mod shift_log;
pub mod views;

pub use routes::router;
