//! Hostile input: NUL bytes, invalid UTF-8 and control characters in requests and files,
//! formula triggers in exported cells, huge files on the command line, and statistics files
//! that repeat their keys. Each is refused or reported in words, and nothing is stored.

mod cli;
mod community;
mod exports;
mod files;
mod requests;
