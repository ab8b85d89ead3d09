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

/// A limit shared by every server process, kept in PostgreSQL: true, and the action counted,
/// while `key` (a client address) has done fewer than `max` actions of `kind` in the last
/// `window`; false once it used them. Counting and recording happen under an advisory lock on
/// the kind and key, so concurrent requests through any number of processes cannot overshoot.
pub async fn within_shared_limit(
    pool: &PgPool,
    kind: &str,
    key: &str,
    max: i64,
    window: std::time::Duration,
) -> Result<bool, AppError> {
    let seconds = window.as_secs_f64();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"select pg_advisory_xact_lock(hashtextextended('limit ' || $1::text || ' ' || $2::text, 0))
             as "locked!: ()""#,
        kind,
        key
    )
    .fetch_one(&mut *tx)
    .await?;
    let used = sqlx::query_scalar!(
        r#"select count(*) as "n!" from rate_events
           where kind = $1 and key = $2 and at > now() - make_interval(secs => $3)"#,
        kind,
        key,
        seconds
    )
    .fetch_one(&mut *tx)
    .await?;
    if used >= max {
        return Ok(false);
    }
    sqlx::query!(
        "insert into rate_events (kind, key) values ($1, $2)",
        kind,
        key
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Forgets counted actions older than a day (no limit looks further back).
pub async fn purge_rate_events(pool: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query!("delete from rate_events where at < now() - interval '1 day'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
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
