//! Applications (hồ sơ dự tuyển): the applicant's Mẫu 01 profile and the choices for a round,
//! supporting documents, submission with a receipt, the status timeline and notifications,
//! and HR's screening, fees and exports.

pub mod api;
pub mod autosave;
pub mod documents;
pub mod fees;
#[cfg(feature = "ssr")]
pub mod files;
pub mod hr_api;
pub mod hr_pages;
pub mod notify;
pub mod pages;
pub mod profile;
pub mod profile_page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod screening;
pub mod types;
