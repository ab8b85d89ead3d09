//! What every server function needs on the server: the database pool and an error response
//! whose HTTP status matches the error.

use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::PgPool;

/// The database pool: from the request's context, or else the process's own. A resource of a
/// page whose visitor has already left can still be running after the page's context is
/// gone; it then uses the process pool rather than failing (tests give each request their
/// own pool in the context and never set the process pool).
pub fn pool() -> Result<PgPool, AppError> {
    use_context::<PgPool>()
        .or_else(|| PROCESS_POOL.get().cloned())
        .ok_or_else(|| AppError::internal("no database pool in context"))
}

static PROCESS_POOL: std::sync::OnceLock<PgPool> = std::sync::OnceLock::new();

/// The pool of the running server (set once at start-up).
pub fn set_process_pool(pool: PgPool) {
    let _ = PROCESS_POOL.set(pool);
}

/// A limit per client address kept in this process (each server process keeps its own, so
/// behind a load balancer the limit is per process): false once `address` used its quota.
pub fn within_limit(
    limiter: &'static std::sync::OnceLock<governor::DefaultKeyedRateLimiter<String>>,
    quota: governor::Quota,
    address: &str,
) -> bool {
    let limiter = limiter.get_or_init(|| governor::RateLimiter::keyed(quota));
    // Every address seen is remembered until pruned: on results day that is millions.
    if limiter.len() > 100_000 {
        limiter.retain_recent();
    }
    limiter.check_key(&address.to_string()).is_ok()
}

/// Sets the response status from the error (401, 403, 422 …) so that API callers see it.
/// A plain HTML form post (no JavaScript) is left alone: it must stay a redirect back to the
/// form, which then shows the error.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        let html_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        if !html_form_post {
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.set_status(err.status());
            }
        }
    }
    result
}

/// The time deadlines are checked against. The server uses the system clock; tests set it,
/// so that "one second after the deadline" is a fact rather than a wait.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<std::sync::Arc<std::sync::Mutex<time::OffsetDateTime>>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that shows `at` until it is set again.
    pub fn fixed(at: time::OffsetDateTime) -> Clock {
        Clock {
            fixed: Some(std::sync::Arc::new(std::sync::Mutex::new(at))),
        }
    }

    /// Moves a fixed clock; a system clock cannot be moved.
    pub fn set(&self, at: time::OffsetDateTime) {
        if let Some(fixed) = &self.fixed {
            *fixed.lock().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }

    pub fn now(&self) -> time::OffsetDateTime {
        match &self.fixed {
            Some(fixed) => *fixed.lock().unwrap_or_else(|e| e.into_inner()),
            None => time::OffsetDateTime::now_utc(),
        }
    }
}

/// Now, by the clock the server was given.
pub fn now() -> time::OffsetDateTime {
    use_context::<Clock>().unwrap_or_default().now()
}
