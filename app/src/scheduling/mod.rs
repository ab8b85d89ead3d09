//! Exam scheduling: venues and rooms, sessions of each stage, the seat allocation and candidate
//! numbers, publication of the schedule, admission tickets and attendance confirmations.

pub mod allocation;
pub mod api;
#[cfg(feature = "ssr")]
pub mod files;
pub mod invigilation_api;
pub mod invigilation_pages;
#[cfg(feature = "ssr")]
pub mod invigilation_repo;
pub mod names;
pub mod pages;
pub mod penalties;
#[cfg(feature = "ssr")]
pub mod penalties_repo;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
