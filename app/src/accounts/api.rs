//! Account server functions: public endpoints under `/api/`. Each one checks its caller itself.

use crate::accounts::types::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{password, repo, service, types::*},
    server_support::{pool, respond},
};

/// Creates an applicant account and signs it in.
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
            // Each attempt costs a password hash: at most 20 an hour from one address, enough
            // for a family or an internet café; shared by every server process.
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
            let hash = password::hash(&new.password).await?;
            let user_id = repo::insert_user(
                &pool,
                &new.email,
                &new.full_name,
                &hash,
                &[Role::Applicant],
                None,
            )
            .await?;
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
