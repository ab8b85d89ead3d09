//! The one error type every server function returns. It carries only what is safe to show a
//! user (a dictionary key, field names, a correlation id); the real cause of an unexpected
//! failure is logged on the server under that id and never leaves it.

use crate::i18n::{Lang, Msg};
use crate::rounds::positions::ImportProblems;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A message about one form field, shown beside it and in the error summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

impl FieldError {
    pub fn new(field: &str, msg: Msg) -> Self {
        FieldError {
            field: field.to_string(),
            msg,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input was refused; nothing was changed.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// An imported file was refused: its first problems, each with its row, and how many
    /// there were. Nothing was imported.
    #[error("import refused: {} problem(s)", .0.total)]
    Import(ImportProblems),
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("too many failed sign-ins")]
    TooManyAttempts,
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// An unexpected failure; the cause is in the server log under this id.
    #[error("internal error, reference {correlation_id}")]
    Internal { correlation_id: String },
    /// The database cannot be reached just now (restarting, failing over, every connection
    /// busy past the wait limit): the user should try again shortly.
    #[error("database unavailable")]
    Unavailable,
    /// The request itself failed (network, malformed arguments); the text is for logs only.
    #[error("request failed: {0}")]
    Request(String),
}

impl AppError {
    pub fn field(field: &str, msg: Msg) -> Self {
        AppError::Invalid(vec![FieldError::new(field, msg)])
    }

    /// The headline message for this error.
    pub fn msg(&self) -> Msg {
        match self {
            AppError::Invalid(errors) => errors
                .first()
                .map(|e| e.msg)
                .unwrap_or(Msg::ErrorSummaryTitle),
            AppError::Import(_) => Msg::ImportFailed,
            AppError::InvalidCredentials => Msg::ErrInvalidCredentials,
            AppError::TooManyAttempts => Msg::ErrTooManyAttempts,
            AppError::Unauthenticated => Msg::ErrUnauthenticated,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::Internal { .. } => Msg::ErrInternal,
            AppError::Unavailable => Msg::ErrUnavailable,
            AppError::Request(_) => Msg::ErrRequest,
        }
    }

    /// The user-facing text, with the reference appended for internal failures.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            AppError::Internal { correlation_id } => format!(
                "{} {}: {}",
                lang.t(Msg::ErrInternal),
                lang.t(Msg::ErrorReference),
                correlation_id
            ),
            other => lang.t(other.msg()).to_string(),
        }
    }

    /// The field errors, or a single form-level one for errors about the whole request.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            AppError::Invalid(errors) => errors.clone(),
            _ => Vec::new(),
        }
    }

    /// The message for one field, if the error names it.
    pub fn for_field(&self, field: &str) -> Option<Msg> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.msg),
            _ => None,
        }
    }

    #[cfg(feature = "ssr")]
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Invalid(_) | AppError::Import(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::InvalidCredentials | AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Request(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// Logs an unexpected failure with a fresh correlation id and returns the safe error.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let correlation_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        tracing::error!(%correlation_id, %cause, "internal error");
        AppError::Internal { correlation_id }
    }

    /// A failure reading or writing the session. The store's errors arrive as text, and
    /// nearly all of them mean the database is out of reach, so they are reported as such.
    #[cfg(feature = "ssr")]
    pub fn session(err: tower_sessions::session::Error) -> Self {
        match err {
            tower_sessions::session::Error::Store(cause) => {
                tracing::warn!(%cause, "session store unavailable");
                AppError::Unavailable
            }
            other => AppError::internal(other),
        }
    }
}

/// Whether a database error means "not reachable right now" rather than a fault in a query:
/// no connection within the wait limit, a broken or refused connection, or a server shutting
/// down, starting up or in recovery (SQLSTATE classes 08 and 57P).
#[cfg(feature = "ssr")]
pub fn database_unreachable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if database_unreachable(&err) {
            tracing::warn!(cause = %err, "database unavailable");
            AppError::Unavailable
        } else {
            AppError::internal(err)
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server this is a request it could not read (arguments that do not
        // deserialize): logged, and the caller is not sent the deserializer's words. In the
        // browser it is a network failure, kept for the console.
        #[cfg(feature = "ssr")]
        {
            tracing::info!(error = %value, "a request the server could not read");
            AppError::Request(String::new())
        }
        #[cfg(not(feature = "ssr"))]
        {
            AppError::Request(value.to_string())
        }
    }
}
