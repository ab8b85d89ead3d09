//! Sessions, sign-in and the role guard every server function calls before doing anything.

use crate::accounts::{password, repo, types::*};
use crate::error::AppError;
use crate::server_support::pool;
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

/// The session key holding the signed-in user's id (the benchmark creates sessions with it).
pub const USER_ID_KEY: &str = "user_id";

/// The client's address as the server middleware determined it (direct peer, or the
/// forwarded address when the server is configured to trust its proxy).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

/// Failed sign-ins allowed within the window before further attempts are refused.
pub struct LoginLimits {
    pub per_account: i64,
    pub per_client: i64,
    pub window_minutes: i32,
}

pub const LOGIN_LIMITS: LoginLimits = LoginLimits {
    per_account: 5,
    per_client: 50,
    window_minutes: 15,
};

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(AppError::internal)
}

pub async fn client_addr() -> String {
    leptos_axum::extract::<axum::Extension<ClientAddr>>()
        .await
        .map(|axum::Extension(addr)| addr.0)
        .unwrap_or_else(|_| "unknown".to_string())
}

/// The signed-in user, or `None`. A session whose account was removed or disabled is ended.
pub async fn signed_in_user(pool: &PgPool) -> Result<Option<CurrentUser>, AppError> {
    session_user(&session().await?, pool).await
}

/// The same, for plain axum handlers (file downloads) that have the session as an extractor.
pub async fn session_user(
    session: &Session,
    pool: &PgPool,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(id) = session
        .get::<Uuid>(USER_ID_KEY)
        .await
        .map_err(AppError::session)?
    else {
        return Ok(None);
    };
    let user = repo::load_current_user(pool, id).await?;
    if user.is_none() {
        session.flush().await.map_err(AppError::session)?;
    }
    Ok(user)
}

/// The same guard for plain axum handlers (file downloads): signed in, holding one of `roles`.
pub async fn session_with_role(
    session: &Session,
    pool: &PgPool,
    roles: &[Role],
) -> Result<CurrentUser, AppError> {
    match session_user(session, pool).await? {
        None => Err(AppError::Unauthenticated),
        Some(user) if user.has_any_role(roles) => Ok(user),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// The guard: the caller must be signed in and hold one of `roles`.
pub async fn require_role(roles: &[Role]) -> Result<CurrentUser, AppError> {
    match signed_in_user(&pool()?).await? {
        None => Err(AppError::Unauthenticated),
        Some(user) if user.has_any_role(roles) => Ok(user),
        Some(user) => {
            tracing::warn!(user_id = %user.id, ?roles, "refused: missing role");
            Err(AppError::Forbidden)
        }
    }
}

/// The guard for pages and functions any signed-in person may use.
pub async fn require_signed_in() -> Result<CurrentUser, AppError> {
    signed_in_user(&pool()?)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// Changes the signed-in user's password after checking the current one (wrong guesses count
/// towards the same limit as sign-in); every other session of the account is ended and this
/// one gets a new id.
pub async fn change_password(
    user: &CurrentUser,
    current: &str,
    new: &str,
    confirm: &str,
    client_addr: &str,
) -> Result<(), AppError> {
    use crate::error::FieldError;
    use crate::i18n::Msg;
    let pool = pool()?;
    let new = NewPassword::parse(new).map_err(|m| AppError::field("new_password", m))?;
    if confirm != new.expose() {
        return Err(AppError::field(
            "new_password_confirm",
            Msg::ErrPasswordMismatch,
        ));
    }
    let attempt = claim_attempt(&pool, &user.email, client_addr).await?;
    let stored = repo::password_hash(&pool, user.id).await?;
    if !password::verify(current, stored).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "current_password",
            Msg::ErrCurrentPassword,
        )]));
    }
    repo::forget_attempt(&pool, attempt).await?;
    if current == new.expose() {
        return Err(AppError::field("new_password", Msg::ErrSamePassword));
    }
    let hash = password::hash(&new).await?;
    let session = session().await?;
    let this_session = session.id().map(|id| id.to_string()).unwrap_or_default();
    repo::set_password(&pool, user.id, &hash, &this_session).await?;
    start_session(user.id).await
}

/// Starts a fresh session for the user (a new id, so a planted session id is useless).
pub async fn start_session(user_id: Uuid) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(AppError::session)?;
    session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(AppError::session)
}

pub async fn end_session() -> Result<(), AppError> {
    session().await?.flush().await.map_err(AppError::session)
}

/// Checks an email and password, counting failures per account and per client address.
pub async fn authenticate(
    pool: &PgPool,
    email: &str,
    password_input: &str,
    client_addr: &str,
) -> Result<Uuid, AppError> {
    let email = email.trim().to_lowercase();
    let mut missing = Vec::new();
    if email.is_empty() {
        missing.push(crate::error::FieldError::new(
            "email",
            crate::i18n::Msg::ErrEmailRequired,
        ));
    }
    if password_input.is_empty() {
        missing.push(crate::error::FieldError::new(
            "password",
            crate::i18n::Msg::ErrPasswordRequired,
        ));
    }
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }

    claim_attempt(pool, &email, client_addr).await?;
    let credentials = repo::find_credentials(pool, &email).await?;
    let (user_id, disabled, hash) = match credentials {
        Some(c) => (Some(c.user_id), c.disabled, Some(c.password_hash)),
        None => (None, false, None),
    };
    let matches = password::verify(password_input, hash).await?;
    match user_id {
        Some(id) if matches && !disabled => {
            repo::clear_failures(pool, &email).await?;
            Ok(id)
        }
        // The attempt stays recorded as a failure.
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Records a password check against the limits before it is made (`repo::claim_attempt`).
async fn claim_attempt(pool: &PgPool, email: &str, client_addr: &str) -> Result<i64, AppError> {
    repo::claim_attempt(
        pool,
        email,
        client_addr,
        LOGIN_LIMITS.per_account,
        LOGIN_LIMITS.per_client,
        LOGIN_LIMITS.window_minutes,
    )
    .await?
    .ok_or(AppError::TooManyAttempts)
}

/// How long a registration's confirmation code stays valid.
pub const CONFIRMATION_VALID_FOR: time::Duration = time::Duration::minutes(30);

/// A confirmation code: eight characters of Crockford's base 32 (40 bits) from the operating
/// system's random source (`OsRng`). Five tries per code make guessing it hopeless.
pub fn new_confirmation_code() -> String {
    use rand::RngCore;
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect()
}

/// What is stored of a code: its SHA-256.
pub fn code_hash(code: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(code.as_bytes()).to_vec()
}

/// Whether a typed (normalised) code is the one stored, compared in constant time.
pub fn code_matches(stored: &[u8], typed: &str) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(code_hash(typed).ct_eq(stored))
}

/// The e-mail carrying a registration's code, in both languages.
pub fn registration_code_email(code: &str) -> (String, String) {
    use crate::i18n::{Lang, Msg};
    let shown = crate::results::types::format_lookup_code(code);
    let subject = format!(
        "{} / {}",
        Lang::Vi.t(Msg::RegistrationCodeSubject),
        Lang::En.t(Msg::RegistrationCodeSubject)
    );
    let body = format!(
        "{}\n\n    {}: {shown}\n\n{}\n\n---\n\n{}\n\n    {}: {shown}\n\n{}\n",
        Lang::Vi.t(Msg::RegistrationCodeBody),
        Lang::Vi.t(Msg::ConfirmationCode),
        Lang::Vi.t(Msg::RegistrationNotYou),
        Lang::En.t(Msg::RegistrationCodeBody),
        Lang::En.t(Msg::ConfirmationCode),
        Lang::En.t(Msg::RegistrationNotYou),
    );
    (subject, body)
}

/// The note to the owner of an address someone tried to register again.
pub fn registration_taken_email() -> (String, String) {
    use crate::i18n::{Lang, Msg};
    let subject = format!(
        "{} / {}",
        Lang::Vi.t(Msg::RegistrationTakenSubject),
        Lang::En.t(Msg::RegistrationTakenSubject)
    );
    let body = format!(
        "{}\n\n---\n\n{}\n",
        Lang::Vi.t(Msg::RegistrationTakenBody),
        Lang::En.t(Msg::RegistrationTakenBody),
    );
    (subject, body)
}
