//! CSV exports of every dataset of a pilot, for analysts and the evaluation.
//!
//! `datasets` describes each dataset (columns, meaning, SQL), `filter` limits it to a pilot, a
//! range and a district, `stream` turns the rows into a streamed CSV body, `cell` writes each
//! value. The web layer (`web::exports`) only parses the request and picks these.

pub mod cell;
pub mod datasets;
pub mod dictionary;
pub mod evaluation;
pub mod filter;
pub mod stream;

pub use datasets::{DATASETS, find};
pub use dictionary::{Column, Dataset, Kind};
pub use filter::{Filter, count};
