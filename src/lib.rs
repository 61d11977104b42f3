//! patrolboard: plan and measure hotspot patrols for a patrol deployment pilot.
//!
//! `commands` runs what the command line asks; `web` serves the dashboard over `db`; `domain` holds
//! the types and rules; `seed` loads the demo pilot.

pub mod cli;
pub mod commands;
pub mod config;
pub mod coverage;
pub mod db;
pub mod domain;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod import;
pub mod seed;
pub mod service;
pub mod state;
pub mod telemetry;
pub mod web;
