//! Administrator server functions: staff accounts. Only administrators may call them.

use crate::accounts::types::UserSummary;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    accounts::{password, repo, service::require_role, types::*},
    server_support::{pool, respond},
};

/// A staff account just created, with the initial password to hand over (shown once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedStaff {
    pub email: String,
    pub full_name: String,
    pub initial_password: String,
}

#[server(endpoint = "admin/list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    respond(
        async {
            require_role(&[Role::Administrator]).await?;
            Ok(repo::list_users(&pool()?).await?)
        }
        .await,
    )
}

/// Creates a staff account. Each role is a checkbox, present only when ticked.
#[server(endpoint = "admin/create_staff_account")]
pub async fn create_staff_account(
    email: String,
    full_name: String,
    marker: Option<String>,
    board_chair: Option<String>,
    hr_officer: Option<String>,
    administrator: Option<String>,
) -> Result<CreatedStaff, AppError> {
    respond(
        async {
            let admin = require_role(&[Role::Administrator]).await?;
            let ticked = [
                (marker, Role::Marker),
                (board_chair, Role::BoardChair),
                (hr_officer, Role::HrOfficer),
                (administrator, Role::Administrator),
            ];
            let roles = ticked
                .into_iter()
                .filter_map(|(value, role)| value.is_some().then_some(role))
                .collect();
            let account = StaffAccount::parse(&email, &full_name, roles)?;
            let initial_password = password::generate_initial_password();
            let hash = password::hash(
                &NewPassword::parse(&initial_password)
                    .map_err(|m| AppError::internal(format!("{m:?}")))?,
            )
            .await?;
            let pool = pool()?;
            let user_id = repo::insert_user(
                &pool,
                &account.email,
                &account.full_name,
                &hash,
                &account.roles,
                Some(admin.id),
            )
            .await?;
            tracing::info!(%user_id, admin = %admin.id, "staff account created");
            Ok(CreatedStaff {
                email: account.email.as_str().to_string(),
                full_name: account.full_name.as_str().to_string(),
                initial_password,
            })
        }
        .await,
    )
}
