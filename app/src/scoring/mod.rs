//! Scoring: the marking rules (marks, double-marking reconciliation, averages, weights, the
//! stage-1 pass rule), papers under anonymous codes, the board and its server functions,
//! entry by keyboard and file, the chair's decisions, locking, decoding and the audit trail.

pub mod api;
pub mod chair_pages;
#[cfg(feature = "ssr")]
mod entry;
pub mod files;
pub mod marks;
pub mod pages;
pub mod papers;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod sheet_page;
pub mod types;
