//! Hostile files on the upload page.
