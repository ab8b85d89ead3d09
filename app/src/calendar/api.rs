//! The calendar's server functions, for administrators; each change is audited.

use crate::calendar::CalendarDay;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{repo::audit, service::require_role, types::Role},
    calendar::{days::parse_day_form, repo},
    server_support::{pool, respond},
};

/// Every recorded holiday and working weekend day, in date order.
#[server(endpoint = "calendar/days")]
pub async fn calendar_days() -> Result<Vec<CalendarDay>, AppError> {
    respond(
        async {
            require_role(&[Role::Administrator]).await?;
            Ok(repo::list(&pool()?).await?)
        }
        .await,
    )
}

/// Records a date (`date` dd/mm/yyyy, `kind` holiday or working, `name`), replacing what
/// that date held.
#[server(endpoint = "calendar/save_day")]
pub async fn save_calendar_day(date: String, kind: String, name: String) -> Result<(), AppError> {
    respond(
        async {
            let admin = require_role(&[Role::Administrator]).await?;
            let day = parse_day_form(&date, &kind, &name)?;
            let mut tx = pool()?.begin().await?;
            let before = repo::current(&mut tx, day.date).await?;
            repo::save(&mut tx, &day, admin.id).await?;
            audit(
                &mut *tx,
                Some(admin.id),
                "calendar_day_saved",
                None,
                serde_json::json!({"day": day.date.to_string(), "kind": day.kind.as_str(),
                    "name": day.name, "before": before.map(|b| serde_json::json!({
                        "kind": b.kind.as_str(), "name": b.name}))}),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(admin = %admin.id, day = %day.date, "calendar day saved");
            Ok(())
        }
        .await,
    )
}

/// Removes a recorded date (`date` as yyyy-mm-dd, the list's value).
#[server(endpoint = "calendar/remove_day")]
pub async fn remove_calendar_day(date: String) -> Result<(), AppError> {
    respond(
        async {
            let admin = require_role(&[Role::Administrator]).await?;
            let day = time::Date::parse(
                &date,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| AppError::field("date", crate::i18n::Msg::ErrCalendarDate))?;
            let mut tx = pool()?.begin().await?;
            let before = repo::current(&mut tx, day)
                .await?
                .ok_or(AppError::NotFound)?;
            repo::remove(&mut tx, day).await?;
            audit(
                &mut *tx,
                Some(admin.id),
                "calendar_day_removed",
                None,
                serde_json::json!({"day": day.to_string(), "kind": before.kind.as_str(),
                    "name": before.name}),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(admin = %admin.id, %day, "calendar day removed");
            Ok(())
        }
        .await,
    )
}
