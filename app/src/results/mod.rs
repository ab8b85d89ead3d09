//! Results: ranking candidates per position and explaining each outcome (pure), the
//! published snapshot and its canonical form, computing, approving and publishing, the
//! public pages and lookup.

pub mod after_selection;
pub mod after_selection_pages;
pub mod api;
#[cfg(any(feature = "ssr", test))]
pub mod canonical;
#[cfg(feature = "ssr")]
pub mod dossiers;
pub mod exam_scores;
pub mod exam_scores_pages;
#[cfg(feature = "ssr")]
pub mod exam_scores_service;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod inputs;
pub mod pages;
pub mod public_pages;
pub mod ranking;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod round_ranking;
pub mod round_ranking_json;
pub mod sequence;
#[cfg(feature = "ssr")]
pub mod service;
pub mod snapshot;
pub mod types;
