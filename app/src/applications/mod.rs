//! Applications (hồ sơ dự tuyển). So far the pure rules the form and HR's screening rely on:
//! national ID numbers, dates and age, receipt codes and the automatic eligibility checks.

pub mod rules;
