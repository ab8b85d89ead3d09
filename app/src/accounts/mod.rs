//! Who people are: registration, sign-in and out, sessions, roles and the role guard.

pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
