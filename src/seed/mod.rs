//! Demo data: the 2023 Calgary downtown sheriffs pilot, built from the City's open data and a
//! fixed random seed, so every run loads exactly the same content.

pub mod demo;
mod districts;
mod geo;
mod outcomes;
mod people;
mod places;
mod rng;
mod roster;
pub mod scale;
mod scale_plan;
mod scale_roster;
mod stations;
mod stats;
mod store;
mod store_roster;

pub use demo::{DemoSummary, load_demo};
pub use scale::{InsertWith, ScaleSummary, load_scale};
