//! Administration: staff accounts and their roles.

pub mod api;
pub mod pages;
