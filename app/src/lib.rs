//! The recruitment portal: shared types, pure rules, server functions and pages. Compiled for
//! the server (`ssr`) and for the browser (`hydrate`); server-only code sits behind `ssr`.

// A release build keeps every view's full type (debug builds erase them), and the larger
// pages nest deeper than the compiler's default limit of 128.
#![recursion_limit = "256"]

pub mod accounts;
pub mod admin;
pub mod appeals;
pub mod applications;
pub mod calendar;
pub mod components;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod results;
pub mod rounds;
pub mod scheduling;
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod server_support;
pub mod shell;
pub mod spreadsheet;

pub use shell::{shell, App};

/// The browser entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    components::focus_follows_same_page_links();
    leptos::mount::hydrate_body(App);
}
#[cfg(test)]
mod input_properties;
