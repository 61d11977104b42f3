//! Demo data: the 2023 Calgary downtown sheriffs pilot, built from the City's open data and a
//! fixed random seed, so every run loads exactly the same content.

pub mod demo;
mod districts;
mod outcomes;
mod people;
mod places;
mod rng;
mod roster;
mod stats;
mod store;

pub use demo::{DemoSummary, load_demo};
