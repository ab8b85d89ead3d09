//! Recruitment rounds: rule sets, the life of a round, units and positions with quotas, the
//! public notice, and HR's pages to set it all up (by hand or from a file).

pub mod api;
pub mod clocks;
pub mod clocks_pages;
pub mod hr_pages;
pub mod notice_change;
pub mod plan;
pub mod positions;
pub mod public_pages;
pub mod rule_set_pages;
pub mod rules;
pub mod status;
pub mod types;

#[cfg(feature = "ssr")]
pub mod clocks_repo;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod tables;
