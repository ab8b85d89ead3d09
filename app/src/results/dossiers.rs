//! After publication: each winner completes the dossier or not; when one does not, the next
//! reserve candidate of the position who wants that unit is recognised in their place. Every
//! step is a timeline event of the people concerned (who, when, why) and tells them.

use crate::accounts::{service::require_role, types::Role};
use crate::applications::types::EventKind;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::results::repo;
use crate::results::types::WinnerRow;
use crate::scheduling::allocation::format_candidate_number;
use crate::server_support::{now, pool};
use std::collections::HashMap;
use uuid::Uuid;

struct Known {
    id: Uuid,
    position_id: Uuid,
    preferences: Vec<Uuid>,
}

async fn prefix(round_id: Uuid) -> Result<String, AppError> {
    sqlx::query_scalar!(
        "select candidate_prefix from rounds where id = $1",
        round_id
    )
    .fetch_optional(&pool()?)
    .await?
    .ok_or(AppError::NotFound)
}

/// Winners of the published result and those recognised later, with their dossier state.
pub async fn winners(round_id: Uuid) -> Result<Vec<WinnerRow>, AppError> {
    let Some(published) = crate::results::service::published(round_id).await? else {
        return Ok(Vec::new());
    };
    let pool = pool()?;
    let prefix = prefix(round_id).await?;
    let outcomes: HashMap<Uuid, (bool, Option<String>)> = sqlx::query!(
        "select application_id, completed, reason from dossier_outcomes where round_id = $1",
        round_id
    )
    .fetch_all(&pool)
    .await?
    .into_iter()
    .map(|r| (r.application_id, (r.completed, r.reason)))
    .collect();
    let recognised = sqlx::query!(
        r#"select r.application_id, r.unit_code, n.number, a.full_name, p.code as position_code,
                  rn.number as replaced_number
           from recognitions r join applications a on a.id = r.application_id
                join positions p on p.id = a.position_id
                join candidate_numbers n on n.application_id = a.id
                join candidate_numbers rn on rn.application_id = r.replaces
           where r.round_id = $1 order by r.recorded_at"#,
        round_id
    )
    .fetch_all(&pool)
    .await?;
    let ids: HashMap<String, Uuid> = repo::candidates(&pool, round_id)
        .await?
        .into_iter()
        .map(|c| {
            (
                format_candidate_number(&prefix, c.number.max(0) as u32),
                c.id,
            )
        })
        .collect();
    let mut rows: Vec<WinnerRow> = published
        .snapshot
        .positions
        .iter()
        .flat_map(|p| {
            p.candidates
                .iter()
                .filter(|c| c.outcome == "selected")
                .map(move |c| (p, c))
        })
        .map(|(p, c)| {
            let id = ids.get(&c.number).copied();
            WinnerRow {
                number: c.number.clone(),
                full_name: c.full_name.clone().unwrap_or_default(),
                position_code: p.code.clone(),
                unit: c.unit.clone().unwrap_or_default(),
                in_place_of: None,
                dossier: id.and_then(|id| outcomes.get(&id).cloned()),
            }
        })
        .collect();
    rows.extend(recognised.into_iter().map(|r| WinnerRow {
        number: format_candidate_number(&prefix, r.number.max(0) as u32),
        full_name: r.full_name,
        position_code: r.position_code,
        unit: r.unit_code,
        in_place_of: Some(format_candidate_number(
            &prefix,
            r.replaced_number.max(0) as u32,
        )),
        dossier: outcomes.get(&r.application_id).cloned(),
    }));
    Ok(rows)
}

/// Records whether `number` completed the dossier; on failure recognises the next reserve
/// candidate. Returns the number of the one recognised, if any.
pub async fn record(
    round_id: Uuid,
    number: &str,
    completed: bool,
    reason: &str,
) -> Result<Option<String>, AppError> {
    let hr = require_role(&[Role::HrOfficer]).await?;
    let reason = reason.trim();
    if !completed && (reason.is_empty() || reason.chars().count() > 500) {
        return Err(AppError::field("reason", Msg::ErrReasonRequired));
    }
    let winners = winners(round_id).await?;
    let number = number.trim().to_uppercase();
    let winner = winners
        .iter()
        .find(|w| w.number == number)
        .ok_or_else(|| AppError::field("number", Msg::ErrNotAWinner))?;
    let published = crate::results::service::published(round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pool = pool()?;
    let prefix = prefix(round_id).await?;
    let known: HashMap<String, Known> = repo::candidates(&pool, round_id)
        .await?
        .into_iter()
        .map(|c| {
            (
                format_candidate_number(&prefix, c.number.max(0) as u32),
                Known {
                    id: c.id,
                    position_id: c.position_id,
                    preferences: c.preferences,
                },
            )
        })
        .collect();
    let me = known.get(&number).ok_or(AppError::NotFound)?;
    let mut tx = pool.begin().await?;
    let at = now();
    let stored = sqlx::query!(
        "insert into dossier_outcomes (application_id, round_id, completed, reason, recorded_by,
                                       recorded_at)
         values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
        me.id,
        round_id,
        completed,
        (!completed).then_some(reason),
        hr.id,
        at
    )
    .execute(&mut *tx)
    .await?;
    if stored.rows_affected() == 0 {
        return Err(AppError::field("number", Msg::ErrDossierRecorded));
    }
    let kind = if completed {
        EventKind::DossierCompleted
    } else {
        EventKind::DossierFailed
    };
    let why = (!completed).then_some(reason);
    crate::applications::repo::add_event(&mut tx, me.id, kind, why, None, Some(hr.id)).await?;
    crate::applications::repo::notify(&mut tx, me.id, kind, why, None).await?;
    let mut recognised = None;
    if !completed {
        // The next on the position's reserve list who wants this unit and is not yet placed.
        let units = repo::units(&pool, round_id).await?;
        let unit_id = units
            .iter()
            .find(|u| u.position_id == me.position_id && u.code == winner.unit)
            .map(|u| u.unit_id);
        let single_unit = units
            .iter()
            .filter(|u| u.position_id == me.position_id)
            .count()
            == 1;
        let taken: Vec<&str> = winners.iter().map(|w| w.number.as_str()).collect();
        let mut reserve: Vec<&crate::results::snapshot::CandidateResult> = published
            .snapshot
            .positions
            .iter()
            .filter(|p| p.code == winner.position_code)
            .flat_map(|p| p.candidates.iter())
            .filter(|c| c.outcome == "reserve" && !taken.contains(&c.number.as_str()))
            .collect();
        reserve.sort_by_key(|c| c.reserve_place);
        let next = reserve.into_iter().find_map(|c| {
            let k = known.get(&c.number)?;
            let wants = single_unit || unit_id.is_some_and(|u| k.preferences.contains(&u));
            wants.then_some((c.number.clone(), k.id))
        });
        if let Some((next_number, next_id)) = next {
            sqlx::query!(
                "insert into recognitions (application_id, round_id, unit_code, replaces,
                                           recorded_by, recorded_at)
                 values ($1, $2, $3, $4, $5, $6)",
                next_id,
                round_id,
                winner.unit,
                me.id,
                hr.id,
                at
            )
            .execute(&mut *tx)
            .await?;
            let unit = winner.unit.as_str();
            crate::applications::repo::add_event(
                &mut tx,
                next_id,
                EventKind::Recognised,
                Some(unit),
                None,
                Some(hr.id),
            )
            .await?;
            crate::applications::repo::notify(
                &mut tx,
                next_id,
                EventKind::Recognised,
                Some(unit),
                None,
            )
            .await?;
            recognised = Some(next_number);
        }
    }
    tx.commit().await?;
    Ok(recognised)
}
