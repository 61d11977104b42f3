//! The integration tests: one binary, one module per area, over one private PostgreSQL cluster
//! started once for all of them (`common`). Every test gets a fresh database of its own.

mod common;

mod accounts;
mod agencies;
mod audit;
mod browser;
mod budget;
mod caching;
mod calendar;
mod communities;
mod coverage;
mod data;
mod edmonton;
mod evaluation;
mod exports;
mod faults;
mod hotspots;
mod imports;
mod logging;
mod navigation;
mod now;
mod people;
mod pilots;
mod roster;
mod server;
mod web;
