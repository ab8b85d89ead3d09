//! Account server functions: public endpoints under `/api/`. Each one checks its caller itself.

use crate::accounts::types::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{password, repo, service, types::*},
    server_support::{pool, respond},
};

/// Starts a registration: e-mails a confirmation code to the address and sends the caller to
/// the page that takes it (`/register/confirm`). An address that already has an account gets a
/// note telling its owner instead, and the caller sees exactly the same answer, so the form
/// does not reveal which addresses have accounts (issue 16, item 9).
#[server(endpoint = "register")]
pub async fn register(
    email: String,
    full_name: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    respond(
        async {
            let pool = pool()?;
            let new = Registration::parse(&email, &full_name, &password, &password_confirm)?;
            // Each attempt costs a password hash and an e-mail: at most 20 an hour from one
            // address, enough for a family or an internet café; shared by every process.
            let address = service::client_addr().await;
            let hour = std::time::Duration::from_secs(3600);
            if !crate::server_support::within_shared_limit(&pool, "register", &address, 20, hour)
                .await?
            {
                tracing::warn!(%address, "registration throttled");
                return Err(AppError::field(
                    "email",
                    crate::i18n::Msg::ErrTooManyRegistrations,
                ));
            }
            // Hashed either way, so both answers take as long.
            let hash = password::hash(&new.password).await?;
            let email = new.email.as_str();
            if repo::email_registered(&pool, email).await? {
                let (subject, body) = service::registration_taken_email();
                let mut conn = pool.acquire().await?;
                repo::queue_email(&mut conn, email, &subject, &body).await?;
                tracing::info!(
                    "registration for an address that has an account: its owner is told"
                );
            } else {
                let code = service::new_confirmation_code();
                let (subject, body) = service::registration_code_email(&code);
                repo::save_pending(
                    &pool,
                    email,
                    new.full_name.as_str(),
                    &hash,
                    &service::code_hash(&code),
                    crate::server_support::now() + service::CONFIRMATION_VALID_FOR,
                    &subject,
                    &body,
                )
                .await?;
            }
            let to = form_urlencoded::byte_serialize(email.as_bytes()).collect::<String>();
            leptos_axum::redirect(&format!("/register/confirm?email={to}"));
            Ok(())
        }
        .await,
    )
}

/// Finishes a registration with the code e-mailed to the address: creates the account and
/// signs it in. A wrong, expired or unknown code gets the same answer; five wrong codes end the
/// registration.
#[server(endpoint = "register/confirm")]
pub async fn confirm_registration(email: String, code: String) -> Result<(), AppError> {
    respond(
        async {
            use crate::i18n::Msg;
            let pool = pool()?;
            let email = Email::parse(&email).map_err(|m| AppError::field("email", m))?;
            let code = crate::results::types::normalise_lookup_code(&code);
            if code.is_empty() {
                return Err(AppError::field("code", Msg::ErrRequired));
            }
            let mut tx = pool.begin().await?;
            let Some(pending) = repo::pending(&mut tx, email.as_str()).await? else {
                return Err(AppError::field("code", Msg::ErrConfirmationCode));
            };
            let right = service::code_matches(&pending.code_hash, &code);
            if !right || pending.expires_at <= crate::server_support::now() {
                repo::count_wrong_code(&mut tx, email.as_str()).await?;
                tx.commit().await?;
                return Err(AppError::field("code", Msg::ErrConfirmationCode));
            }
            let full_name =
                FullName::parse(&pending.full_name).map_err(|m| AppError::field("full_name", m))?;
            let user_id = repo::insert_user(
                &pool,
                &email,
                &full_name,
                &pending.password_hash,
                &[Role::Applicant],
                None,
            )
            .await?;
            repo::delete_pending(&mut tx, email.as_str()).await?;
            tx.commit().await?;
            service::start_session(user_id).await?;
            tracing::info!(%user_id, "applicant registered");
            leptos_axum::redirect("/account");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    respond(
        async {
            let pool = pool()?;
            let client = service::client_addr().await;
            let user_id = service::authenticate(&pool, &email, &password, &client).await?;
            service::start_session(user_id).await?;
            leptos_axum::redirect(&safe_next(next.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    respond(
        async {
            service::end_session().await?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Changes the signed-in user's own password.
#[server(endpoint = "account/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    respond(
        async {
            let user = service::require_signed_in().await?;
            let client = service::client_addr().await;
            service::change_password(
                &user,
                &current_password,
                &new_password,
                &new_password_confirm,
                &client,
            )
            .await?;
            tracing::info!(user_id = %user.id, "password changed");
            Ok(())
        }
        .await,
    )
}

/// Who is signed in; anyone may ask, and anonymous callers get `None`.
#[server(endpoint = "current_user")]
pub async fn current_account() -> Result<Option<CurrentUser>, AppError> {
    respond(
        async {
            let pool = pool()?;
            let Some(mut user) = service::signed_in_user(&pool).await? else {
                return Ok(None);
            };
            // The header shows the count beside "my applications".
            if user.has_role(crate::accounts::types::Role::Applicant) {
                user.unread_notifications =
                    crate::applications::repo::unread_count(&pool, user.id).await?;
            }
            Ok(Some(user))
        }
        .await,
    )
}
