//! Appeals (phúc khảo) of written papers after publication: filing within the rule set's
//! window, the fee, anonymous re-marking by the appeal board, the chair's answer and the new
//! stage-2 score that the next published version of the results is computed from.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
