//! The calendar's table: `calendar_days`.

use crate::calendar::{Calendar, CalendarDay, DayKind};
use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

fn kind(stored: &str) -> Result<DayKind, sqlx::Error> {
    DayKind::parse(stored)
        .ok_or_else(|| sqlx::Error::Decode(format!("calendar kind {stored}").into()))
}

/// The calendar every working-day clock counts with.
pub async fn load(executor: impl PgExecutor<'_>) -> Result<Calendar, sqlx::Error> {
    let rows = sqlx::query!("select day, kind from calendar_days")
        .fetch_all(executor)
        .await?;
    let days = rows
        .into_iter()
        .map(|r| Ok((r.day, kind(&r.kind)?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Calendar::new(days))
}

/// Every recorded date, in order.
pub async fn list(executor: impl PgExecutor<'_>) -> Result<Vec<CalendarDay>, sqlx::Error> {
    sqlx::query!("select day, kind, name from calendar_days order by day")
        .fetch_all(executor)
        .await?
        .into_iter()
        .map(|r| {
            Ok(CalendarDay {
                date: r.day,
                kind: kind(&r.kind)?,
                name: r.name,
            })
        })
        .collect()
}

/// What was recorded for `day` before, locking the row.
pub async fn current(
    conn: &mut PgConnection,
    day: Date,
) -> Result<Option<CalendarDay>, sqlx::Error> {
    let row = sqlx::query!(
        "select day, kind, name from calendar_days where day = $1 for update",
        day
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(CalendarDay {
            date: r.day,
            kind: kind(&r.kind)?,
            name: r.name,
        })
    })
    .transpose()
}

/// Records `day`, replacing what the date held.
pub async fn save(
    conn: &mut PgConnection,
    day: &CalendarDay,
    actor: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into calendar_days (day, kind, name, changed_by) values ($1, $2, $3, $4)
         on conflict (day) do update
         set kind = excluded.kind, name = excluded.name,
             changed_by = excluded.changed_by, changed_at = now()",
        day.date,
        day.kind.as_str(),
        day.name,
        actor
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut PgConnection, day: Date) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from calendar_days where day = $1", day)
        .execute(conn)
        .await?;
    Ok(())
}
