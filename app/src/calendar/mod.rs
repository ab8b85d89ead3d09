//! Working days: weekends and the public-holiday calendar an administrator keeps as data
//! (Decree 170/2025 counts its clocks in working days; Labour Code 2019 Art 111–112 says which
//! days are not). Every legal clock of the portal counts through [`Calendar`].

pub mod api;
pub mod days;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;

pub use days::{Calendar, CalendarDay, DayKind};
