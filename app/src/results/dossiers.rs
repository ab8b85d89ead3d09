//! After publication (Decree 170/2025 Art 18–19 as amended by Decree 300/2026): HR records what
//! became of each winner's dossier; a struck-off winner goes on a published cancelled list
//! with the reason; then the next-ranked candidates are recognised in order, the head deciding
//! among any still equal. Every step is a timeline event of the people concerned (who, when,
//! why) and tells them. Rounds under older rule sets recognise the next reserve at once.

use crate::accounts::{service::require_role, types::Role};
use crate::applications::types::EventKind;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::results::after_selection::{
    next_ranked, AfterSelectionView, AppointmentState, CancelledEntry, CancelledList,
    DossierOutcome, DossierState, Next, NextRankedOutcome, Reporting, ReserveCandidate,
};
use crate::results::repo;
use crate::results::service::Published;
use crate::results::types::WinnerRow;
use crate::rounds::types::{format_date_vn, format_datetime_vn};
use crate::scheduling::allocation::format_candidate_number;
use crate::server_support::{now, pool};
use sqlx::{PgConnection, PgPool};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

/// A candidate of the round by number: what placing them needs.
struct Known {
    id: Uuid,
    position_id: Uuid,
    preferences: Vec<Uuid>,
}

/// The published result and everything recorded after it.
struct Standing {
    round: crate::results::service::Round,
    published: Arc<Published>,
    winners: Vec<WinnerRow>,
    known: HashMap<String, Known>,
    numbers: HashMap<Uuid, String>,
    units: Vec<repo::UnitRow>,
}

impl Standing {
    fn number(&self, id: Uuid) -> Option<&str> {
        self.numbers.get(&id).map(String::as_str)
    }

    /// The position's published reserve list, in order, for a place in `unit` of the position
    /// `winner` held.
    fn reserve_for(&self, winner: &WinnerRow) -> Vec<ReserveCandidate> {
        let Some(me) = self.known.get(&winner.number) else {
            return Vec::new();
        };
        let units: Vec<&repo::UnitRow> = self
            .units
            .iter()
            .filter(|u| u.position_id == me.position_id)
            .collect();
        let unit_id = units
            .iter()
            .find(|u| u.code == winner.unit)
            .map(|u| u.unit_id);
        let mut reserve: Vec<&crate::results::snapshot::CandidateResult> = self
            .published
            .snapshot
            .positions
            .iter()
            .filter(|p| p.code == winner.position_code)
            .flat_map(|p| p.candidates.iter())
            .filter(|c| c.outcome == "reserve")
            .collect();
        reserve.sort_by_key(|c| c.reserve_place);
        reserve
            .into_iter()
            .filter_map(|c| {
                let k = self.known.get(&c.number)?;
                Some(ReserveCandidate {
                    number: c.number.clone(),
                    rank: c.rank.unwrap_or(u32::MAX),
                    wants_unit: units.len() == 1
                        || unit_id.is_some_and(|u| k.preferences.contains(&u)),
                })
            })
            .collect()
    }

    fn placed(&self) -> HashSet<String> {
        self.winners.iter().map(|w| w.number.clone()).collect()
    }
}

async fn standing(pool: &PgPool, round_id: Uuid) -> Result<Option<Standing>, AppError> {
    let Some(published) = crate::results::service::published(round_id).await? else {
        return Ok(None);
    };
    let round = crate::results::service::round(pool, round_id).await?;
    let known: HashMap<String, Known> = repo::candidates(pool, round_id)
        .await?
        .into_iter()
        .map(|c| {
            (
                format_candidate_number(&round.prefix, c.number.max(0) as u32),
                Known {
                    id: c.id,
                    position_id: c.position_id,
                    preferences: c.preferences,
                },
            )
        })
        .collect();
    let units = repo::units(pool, round_id).await?;
    let numbers = known.iter().map(|(n, k)| (k.id, n.clone())).collect();
    let mut standing = Standing {
        round,
        published,
        winners: Vec::new(),
        known,
        numbers,
        units,
    };
    standing.winners = load_winners(pool, round_id, &standing).await?;
    Ok(Some(standing))
}

/// The published winners, then those recognised later in order, with their dossier state.
async fn load_winners(
    pool: &PgPool,
    round_id: Uuid,
    standing: &Standing,
) -> Result<Vec<WinnerRow>, AppError> {
    let prefix = &standing.round.prefix;
    let outcomes: HashMap<Uuid, DossierState> = sqlx::query!(
        r#"select o.application_id, o.outcome, o.reason,
                  exists (select 1 from cancelled_list_entries e
                          where e.application_id = o.application_id) as "listed!"
           from dossier_outcomes o where o.round_id = $1"#,
        round_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|r| {
        let outcome = DossierOutcome::parse(&r.outcome)?;
        Some((
            r.application_id,
            DossierState {
                outcome,
                reason: r.reason,
                listed: r.listed,
            },
        ))
    })
    .collect();
    let report_days = standing
        .round
        .params
        .after_selection
        .map_or(15, |a| i64::from(a.report_days));
    let appointments: HashMap<Uuid, AppointmentState> = sqlx::query!(
        "select application_id, decision, decided_on, reported_on, not_reported_reason
         from appointments where round_id = $1",
        round_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        let reporting = match (r.reported_on, r.not_reported_reason) {
            (Some(on), _) => Some(Reporting::Reported {
                on: format_date_vn(on),
            }),
            (None, Some(reason)) => Some(Reporting::NotReported { reason }),
            (None, None) => None,
        };
        let report_by = r
            .decided_on
            .saturating_add(time::Duration::days(report_days));
        (
            r.application_id,
            AppointmentState {
                decision: r.decision,
                decided_on: format_date_vn(r.decided_on),
                report_by: format_date_vn(report_by),
                reporting,
            },
        )
    })
    .collect();
    // Not reporting for work strikes the winner off like a failed dossier.
    let dossier = |id: Uuid| {
        let recorded = outcomes.get(&id)?;
        Some(
            match appointments.get(&id).and_then(|a| a.reporting.as_ref()) {
                Some(Reporting::NotReported { reason }) => DossierState {
                    outcome: DossierOutcome::NotReported,
                    reason: Some(reason.clone()),
                    listed: recorded.listed,
                },
                _ => recorded.clone(),
            },
        )
    };
    let recognised = sqlx::query!(
        r#"select r.application_id, r.unit_code, n.number, a.full_name, p.code as position_code,
                  rn.number as replaced_number
           from recognitions r join applications a on a.id = r.application_id
                join positions p on p.id = a.position_id
                join candidate_numbers n on n.application_id = a.id
                join candidate_numbers rn on rn.application_id = r.replaces
           where r.round_id = $1 order by r.recorded_at, n.number"#,
        round_id
    )
    .fetch_all(pool)
    .await?;
    let mut rows: Vec<WinnerRow> = standing
        .published
        .snapshot
        .positions
        .iter()
        .flat_map(|p| {
            p.candidates
                .iter()
                .filter(|c| c.outcome == "selected")
                .map(move |c| (p, c))
        })
        .map(|(p, c)| WinnerRow {
            number: c.number.clone(),
            full_name: c.full_name.clone().unwrap_or_default(),
            position_code: p.code.clone(),
            unit: c.unit.clone().unwrap_or_default(),
            in_place_of: None,
            dossier: standing.known.get(&c.number).and_then(|k| dossier(k.id)),
            appointment: standing
                .known
                .get(&c.number)
                .and_then(|k| appointments.get(&k.id).cloned()),
        })
        .collect();
    rows.extend(recognised.into_iter().map(|r| WinnerRow {
        number: format_candidate_number(prefix, r.number.max(0) as u32),
        full_name: r.full_name,
        position_code: r.position_code,
        unit: r.unit_code,
        in_place_of: Some(format_candidate_number(
            prefix,
            r.replaced_number.max(0) as u32,
        )),
        dossier: dossier(r.application_id),
        appointment: appointments.get(&r.application_id).cloned(),
    }));
    Ok(rows)
}

/// Winners of the published result and those recognised later, with their dossier state.
pub async fn winners(round_id: Uuid) -> Result<Vec<WinnerRow>, AppError> {
    Ok(standing(&pool()?, round_id)
        .await?
        .map(|s| s.winners)
        .unwrap_or_default())
}

/// Records what became of `number`'s dossier. Under older rule sets a struck-off winner's
/// place passes at once to the next reserve candidate (returns their number); under Decree 300
/// it waits for the published cancelled list.
pub async fn record(
    round_id: Uuid,
    number: &str,
    outcome: &str,
    reason: &str,
) -> Result<Option<String>, AppError> {
    let hr = require_role(&[Role::HrOfficer]).await?;
    let outcome = DossierOutcome::parse(outcome)
        .filter(|o| *o != DossierOutcome::NotReported)
        .ok_or_else(|| AppError::field("outcome", Msg::ErrDossierOutcome))?;
    let reason = reason.trim();
    if outcome.struck_off() && (reason.is_empty() || reason.chars().count() > 500) {
        return Err(AppError::field("reason", Msg::ErrReasonRequired));
    }
    let pool = pool()?;
    let standing = standing(&pool, round_id)
        .await?
        .ok_or_else(|| AppError::field("number", Msg::ErrNotAWinner))?;
    let number = number.trim().to_uppercase();
    let winner = standing
        .winners
        .iter()
        .find(|w| w.number == number)
        .ok_or_else(|| AppError::field("number", Msg::ErrNotAWinner))?;
    let me = standing.known.get(&number).ok_or(AppError::NotFound)?;
    let mut tx = pool.begin().await?;
    let at = now();
    let stored = sqlx::query!(
        "insert into dossier_outcomes (application_id, round_id, completed, outcome, reason,
                                       recorded_by, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
        me.id,
        round_id,
        !outcome.struck_off(),
        outcome.as_str(),
        outcome.struck_off().then_some(reason),
        hr.id,
        at
    )
    .execute(&mut *tx)
    .await?;
    if stored.rows_affected() == 0 {
        return Err(AppError::field("number", Msg::ErrDossierRecorded));
    }
    let why = outcome.struck_off().then_some(reason);
    let kind = outcome.event();
    crate::applications::repo::add_event(&mut tx, me.id, kind, why, None, Some(hr.id)).await?;
    crate::applications::repo::notify(&mut tx, me.id, kind, why, None).await?;
    let mut recognised = None;
    if outcome.struck_off() && standing.round.params.after_selection.is_none() {
        let reserve = standing.reserve_for(winner);
        // Before Decree 300 the next on the list took the place; equal candidates were taken
        // by their order on the published list.
        if let Some(next) = reserve
            .iter()
            .find(|c| c.wants_unit && !standing.placed().contains(&c.number))
        {
            recognise(
                &mut tx,
                &standing,
                round_id,
                winner,
                &next.number,
                None,
                None,
                hr.id,
                at,
            )
            .await?;
            recognised = Some(next.number.clone());
        }
    }
    tx.commit().await?;
    Ok(recognised)
}

/// Stores `next` as recognised in `winner`'s place and tells them.
#[allow(clippy::too_many_arguments)]
async fn recognise(
    tx: &mut PgConnection,
    standing: &Standing,
    round_id: Uuid,
    winner: &WinnerRow,
    next: &str,
    list_id: Option<Uuid>,
    head_decision: Option<&str>,
    actor: Uuid,
    at: OffsetDateTime,
) -> Result<(), AppError> {
    let next_id = standing.known.get(next).ok_or(AppError::NotFound)?.id;
    let replaced = standing
        .known
        .get(&winner.number)
        .ok_or(AppError::NotFound)?
        .id;
    sqlx::query!(
        "insert into recognitions (application_id, round_id, unit_code, replaces, recorded_by,
                                   recorded_at, list_id, head_decision)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        next_id,
        round_id,
        winner.unit,
        replaced,
        actor,
        at,
        list_id,
        head_decision
    )
    .execute(&mut *tx)
    .await?;
    let unit = Some(winner.unit.as_str());
    crate::applications::repo::add_event(
        tx,
        next_id,
        EventKind::Recognised,
        unit,
        None,
        Some(actor),
    )
    .await?;
    crate::applications::repo::notify(tx, next_id, EventKind::Recognised, unit, None).await?;
    Ok(())
}

/// Serialises the steps after selection of one round: the row lock is held to the commit.
async fn lock_round(tx: &mut PgConnection, round_id: Uuid) -> Result<(), AppError> {
    sqlx::query_scalar!("select id from rounds where id = $1 for update", round_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

fn decree_300(standing: &Standing) -> Result<(), AppError> {
    match standing.round.params.after_selection {
        Some(_) => Ok(()),
        None => Err(AppError::field("round", Msg::ErrNotUnderDecree300)),
    }
}

/// Publishes every strike-off not yet on a list as the round's next cancelled list (Decree
/// 170/2025 Art 18.3 as amended); returns its version.
pub async fn publish_cancelled(round_id: Uuid) -> Result<u32, AppError> {
    let hr = require_role(&[Role::HrOfficer]).await?;
    let pool = pool()?;
    let standing = standing(&pool, round_id)
        .await?
        .ok_or_else(|| AppError::field("round", Msg::ErrNothingToList))?;
    decree_300(&standing)?;
    let mut tx = pool.begin().await?;
    lock_round(&mut tx, round_id).await?;
    let pending = sqlx::query_scalar!(
        "select o.application_id from dossier_outcomes o
              left join appointments ap on ap.application_id = o.application_id
         where o.round_id = $1
           and (o.outcome <> 'complete' or ap.not_reported_reason is not null)
           and not exists (select 1 from cancelled_list_entries e
                           where e.application_id = o.application_id)",
        round_id
    )
    .fetch_all(&mut *tx)
    .await?;
    if pending.is_empty() {
        return Err(AppError::field("round", Msg::ErrNothingToList));
    }
    let version: i32 = sqlx::query_scalar!(
        r#"select coalesce(max(version), 0) + 1 as "v!" from cancelled_lists where round_id = $1"#,
        round_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let list_id = sqlx::query_scalar!(
        "insert into cancelled_lists (round_id, version, published_by, published_at)
         values ($1, $2, $3, $4) returning id",
        round_id,
        version,
        hr.id,
        now()
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into cancelled_list_entries (application_id, list_id)
         select unnest($1::uuid[]), $2",
        &pending,
        list_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(u32::try_from(version).unwrap_or(0))
}

/// Recognises the next-ranked candidate for each listed place not yet passed on, in the order
/// the winners were struck off (Art 18.4 as amended). Stops at a place where candidates are
/// still equal unless `chosen` names one of them with the head's decision; what came before is
/// kept.
pub async fn recognise_next(
    round_id: Uuid,
    chosen: Option<&str>,
    head_decision: &str,
) -> Result<NextRankedOutcome, AppError> {
    let hr = require_role(&[Role::HrOfficer]).await?;
    let chosen = chosen.map(str::trim).filter(|c| !c.is_empty());
    let head_decision = head_decision.trim();
    if chosen.is_some() && (head_decision.is_empty() || head_decision.chars().count() > 500) {
        return Err(AppError::field(
            "head_decision",
            Msg::ErrHeadDecisionRequired,
        ));
    }
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    lock_round(&mut tx, round_id).await?;
    let standing = standing(&pool, round_id)
        .await?
        .ok_or_else(|| AppError::field("round", Msg::ErrNothingToList))?;
    decree_300(&standing)?;
    let waiting = sqlx::query!(
        "select e.application_id, e.list_id from cancelled_list_entries e
              join dossier_outcomes o on o.application_id = e.application_id
              left join appointments ap on ap.application_id = e.application_id
         where o.round_id = $1
           and not exists (select 1 from recognitions r where r.replaces = e.application_id)
           and not exists (select 1 from unfilled_places u
                           where u.application_id = e.application_id)
         order by coalesce(ap.reporting_recorded_at, o.recorded_at)",
        round_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let waiting: Vec<(String, Uuid)> = waiting
        .into_iter()
        .filter_map(|e| Some((standing.number(e.application_id)?.to_string(), e.list_id)))
        .collect();
    let numbers: Vec<String> = waiting.iter().map(|(n, _)| n.clone()).collect();
    let lists: HashMap<String, Uuid> = waiting.into_iter().collect();
    let mut out = NextRankedOutcome::default();
    let mut decided = false;
    let at = now();
    for Step {
        winner,
        next,
        by_head,
    } in walk(&standing, &numbers, chosen)
    {
        match next {
            Next::Candidate(next) => {
                recognise(
                    &mut tx,
                    &standing,
                    round_id,
                    winner,
                    &next,
                    lists.get(&winner.number).copied(),
                    by_head.then_some(head_decision),
                    hr.id,
                    at,
                )
                .await?;
                decided |= by_head;
                out.recognised.push(next);
            }
            Next::HeadDecides(equal) => out.tie = equal,
            Next::NoneLeft => {
                // The reserve list never grows: nobody will take this place.
                let id = standing
                    .known
                    .get(&winner.number)
                    .ok_or(AppError::NotFound)?
                    .id;
                sqlx::query!(
                    "insert into unfilled_places (application_id, round_id, recorded_by,
                                                  recorded_at)
                     values ($1, $2, $3, $4) on conflict do nothing",
                    id,
                    round_id,
                    hr.id,
                    at
                )
                .execute(&mut *tx)
                .await?;
                out.unfilled.push(winner.number.clone());
            }
        }
    }
    if chosen.is_some() && !decided {
        // The decision named nobody who was still equal for a place: nothing is kept.
        return Err(AppError::field("chosen", Msg::ErrNotAmongEqual));
    }
    tx.commit().await?;
    Ok(out)
}

/// A winner of a Decree 300 round by number, for the steps after their dossier: the round's
/// standing, their row and their application.
async fn appointee(
    pool: &PgPool,
    round_id: Uuid,
    number: &str,
) -> Result<(Standing, WinnerRow, Uuid), AppError> {
    let not_a_winner = || AppError::field("number", Msg::ErrNotAWinner);
    let standing = standing(pool, round_id).await?.ok_or_else(not_a_winner)?;
    decree_300(&standing)?;
    let number = number.trim().to_uppercase();
    let winner = standing
        .winners
        .iter()
        .find(|w| w.number == number)
        .cloned()
        .ok_or_else(not_a_winner)?;
    let id = standing.known.get(&number).ok_or(AppError::NotFound)?.id;
    Ok((standing, winner, id))
}

/// Records the appointment decision of a winner whose dossier is complete (Decree 170/2025
/// Art 19 as amended); they are told it and the last day to report for work.
pub async fn record_appointment(
    round_id: Uuid,
    number: &str,
    decision: &str,
    decided_on: &str,
) -> Result<(), AppError> {
    let hr = require_role(&[Role::HrOfficer]).await?;
    let decision = decision.trim();
    let mut errors = Vec::new();
    if decision.is_empty() || decision.chars().count() > 300 {
        errors.push(crate::error::FieldError::new(
            "decision",
            Msg::ErrAppointmentDecision,
        ));
    }
    let day = crate::results::types::parse_day(decided_on);
    if day.is_none() {
        errors.push(crate::error::FieldError::new(
            "decided_on",
            Msg::ErrDateFormat,
        ));
    }
    let (Some(day), true) = (day, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let pool = pool()?;
    let (standing, winner, id) = appointee(&pool, round_id, number).await?;
    if !winner
        .dossier
        .as_ref()
        .is_some_and(|d| d.outcome == DossierOutcome::Complete)
    {
        return Err(AppError::field("number", Msg::ErrDossierNotComplete));
    }
    let report_days = standing
        .round
        .params
        .after_selection
        .map_or(15, |a| i64::from(a.report_days));
    let mut tx = pool.begin().await?;
    let stored = sqlx::query!(
        "insert into appointments (application_id, round_id, decision, decided_on, recorded_by,
                                   recorded_at)
         values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
        id,
        round_id,
        decision,
        day,
        hr.id,
        now()
    )
    .execute(&mut *tx)
    .await?;
    if stored.rows_affected() == 0 {
        return Err(AppError::field("number", Msg::ErrAppointmentRecorded));
    }
    let told = format!(
        "{decision}, {}; nhận việc trước {}",
        format_date_vn(day),
        format_date_vn(day.saturating_add(time::Duration::days(report_days)))
    );
    let kind = EventKind::Appointed;
    crate::applications::repo::add_event(&mut tx, id, kind, Some(&told), None, Some(hr.id)).await?;
    crate::applications::repo::notify(&mut tx, id, kind, Some(&told), None).await?;
    tx.commit().await?;
    Ok(())
}

/// Records whether an appointee reported for work (on which day) or not (why). One who did not
/// is struck off: they go on the next cancelled list and their place to the next-ranked
/// (Decree 170/2025 Art 19 as amended by Decree 300/2026).
pub async fn record_reporting(
    round_id: Uuid,
    number: &str,
    reported: bool,
    reported_on: &str,
    reason: &str,
) -> Result<(), AppError> {
    let hr = require_role(&[Role::HrOfficer]).await?;
    let reason = reason.trim();
    let day = if reported {
        Some(
            crate::results::types::parse_day(reported_on)
                .ok_or_else(|| AppError::field("reported_on", Msg::ErrDateFormat))?,
        )
    } else {
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(AppError::field("reason", Msg::ErrReasonRequired));
        }
        None
    };
    let pool = pool()?;
    let (_, winner, id) = appointee(&pool, round_id, number).await?;
    if winner.appointment.is_none() {
        return Err(AppError::field("number", Msg::ErrNoAppointment));
    }
    let mut tx = pool.begin().await?;
    let stored = sqlx::query!(
        "update appointments set reported_on = $2, not_reported_reason = $3,
                                 reporting_recorded_by = $4, reporting_recorded_at = $5
         where application_id = $1 and reporting_recorded_at is null",
        id,
        day,
        (!reported).then_some(reason),
        hr.id,
        now()
    )
    .execute(&mut *tx)
    .await?;
    if stored.rows_affected() == 0 {
        return Err(AppError::field("number", Msg::ErrReportingRecorded));
    }
    let (kind, told) = match day {
        Some(day) => (EventKind::ReportedForWork, format_date_vn(day)),
        None => (EventKind::NotReported, reason.to_string()),
    };
    crate::applications::repo::add_event(&mut tx, id, kind, Some(&told), None, Some(hr.id)).await?;
    crate::applications::repo::notify(&mut tx, id, kind, Some(&told), None).await?;
    tx.commit().await?;
    Ok(())
}

/// Who takes each freed place of `waiting` (winners' numbers, in the order they were struck
/// off), up to and including the first place where the head must decide; `decided` settles
/// the first such place only.
fn walk<'s>(standing: &'s Standing, waiting: &[String], decided: Option<&str>) -> Vec<Step<'s>> {
    let mut placed = standing.placed();
    let mut decided = decided;
    let mut out = Vec::new();
    for number in waiting {
        let Some(winner) = standing.winners.iter().find(|w| &w.number == number) else {
            continue;
        };
        let reserve = standing.reserve_for(winner);
        let mut step = Step {
            winner,
            next: next_ranked(&reserve, &placed, None),
            by_head: false,
        };
        if let (Next::HeadDecides(_), Some(choice)) = (&step.next, decided) {
            step.next = next_ranked(&reserve, &placed, Some(choice));
            step.by_head = matches!(step.next, Next::Candidate(_));
            if step.by_head {
                decided = None;
            }
        }
        let stop = matches!(step.next, Next::HeadDecides(_));
        if let Next::Candidate(n) = &step.next {
            placed.insert(n.clone());
        }
        out.push(step);
        if stop {
            break;
        }
    }
    out
}

/// Who takes one freed place, and whether the head's decision chose them.
struct Step<'s> {
    winner: &'s WinnerRow,
    next: Next,
    by_head: bool,
}

/// Every published cancelled list of the round, for anyone once the results are published.
pub async fn cancelled_lists(round_id: Uuid) -> Result<Vec<CancelledList>, AppError> {
    let pool = pool()?;
    let Some(standing) = standing(&pool, round_id).await? else {
        return Err(AppError::NotFound);
    };
    lists_of(&pool, &standing, round_id).await
}

async fn lists_of(
    pool: &PgPool,
    standing: &Standing,
    round_id: Uuid,
) -> Result<Vec<CancelledList>, AppError> {
    let rows = sqlx::query!(
        r#"select l.version, l.published_at, e.application_id,
                  case when ap.not_reported_reason is not null then 'not_reported'
                       else o.outcome end as "outcome!",
                  coalesce(ap.not_reported_reason, o.reason) as "reason!",
                  (select r.application_id from recognitions r where r.replaces = e.application_id)
                      as replaced_by,
                  exists (select 1 from unfilled_places u where u.application_id = e.application_id)
                      as "unfilled!"
           from cancelled_lists l join cancelled_list_entries e on e.list_id = l.id
                join dossier_outcomes o on o.application_id = e.application_id
                left join appointments ap on ap.application_id = e.application_id
           where l.round_id = $1
           order by l.version, coalesce(ap.reporting_recorded_at, o.recorded_at)"#,
        round_id
    )
    .fetch_all(pool)
    .await?;
    let mut lists: Vec<CancelledList> = Vec::new();
    for r in rows {
        let version = u32::try_from(r.version).unwrap_or(0);
        if lists.last().is_none_or(|l| l.version != version) {
            lists.push(CancelledList {
                version,
                published_at: format_datetime_vn(r.published_at),
                entries: Vec::new(),
            });
        }
        let Some(number) = standing.number(r.application_id) else {
            continue;
        };
        let Some(winner) = standing.winners.iter().find(|w| w.number == number) else {
            continue;
        };
        let Some(list) = lists.last_mut() else {
            continue;
        };
        list.entries.push(CancelledEntry {
            number: winner.number.clone(),
            full_name: winner.full_name.clone(),
            position_code: winner.position_code.clone(),
            unit: winner.unit.clone(),
            outcome: DossierOutcome::parse(&r.outcome).unwrap_or(DossierOutcome::Incomplete),
            reason: r.reason,
            replaced_by: r
                .replaced_by
                .and_then(|id| standing.number(id))
                .map(str::to_string),
            unfilled: r.unfilled,
        });
    }
    Ok(lists)
}

/// HR's and the chair's panel after the winners are published.
pub async fn view(round_id: Uuid) -> Result<AfterSelectionView, AppError> {
    let caller = crate::results::service::caller(round_id).await?;
    let pool = pool()?;
    let Some(standing) = standing(&pool, round_id).await? else {
        return Err(AppError::NotFound);
    };
    let lists = lists_of(&pool, &standing, round_id).await?;
    let unlisted = standing
        .winners
        .iter()
        .filter(|w| {
            w.dossier
                .as_ref()
                .is_some_and(|d| d.outcome.struck_off() && !d.listed)
        })
        .map(|w| w.number.clone())
        .collect();
    let waiting: Vec<String> = lists
        .iter()
        .flat_map(|l| l.entries.iter())
        .filter(|e| e.replaced_by.is_none() && !e.unfilled)
        .map(|e| e.number.clone())
        .collect();
    let tie = walk(&standing, &waiting, None)
        .into_iter()
        .find_map(|step| match step.next {
            Next::HeadDecides(equal) => Some(equal),
            _ => None,
        })
        .unwrap_or_default();
    let mut conn = pool.acquire().await?;
    let facts = crate::rounds::clocks_repo::facts(&mut conn, round_id).await?;
    let calendar = crate::calendar::repo::load(&mut *conn).await?;
    let next_ranked_due = crate::rounds::clocks::clocks(&facts, &calendar, now())
        .into_iter()
        .find(|c| c.step == crate::rounds::clocks::Step::NextRanked)
        .and_then(|c| c.due)
        .filter(|_| !waiting.is_empty())
        .map(format_datetime_vn);
    Ok(AfterSelectionView {
        decree_300: standing.round.params.after_selection.is_some(),
        can_act: caller.hr,
        unlisted,
        waiting,
        tie,
        next_ranked_due,
        lists,
    })
}

/// Why `national_id` may not apply to `round_id`: struck off for fraud in a round of the same
/// authority, and this is that authority's next round, the first to open after the strike-off
/// (Decree 170/2025 Art 18.3 as amended by Decree 300/2026). Returns the earlier round's name.
/// Authorities are compared by name, ignoring case and spacing, in Rust: the database's
/// `lower()` follows its locale and leaves Vietnamese capitals alone under "C".
pub async fn barred_for_fraud(
    conn: &mut PgConnection,
    national_id: &str,
    round_id: Uuid,
) -> Result<Option<String>, AppError> {
    let struck = sqlx::query!(
        "select fr.name, fr.authority, o.recorded_at from dossier_outcomes o
              join applications a on a.id = o.application_id
              join rounds fr on fr.id = o.round_id
         where o.outcome = 'fraud' and a.national_id = $1 and fr.id <> $2",
        national_id,
        round_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let Some(earliest) = struck.iter().map(|s| s.recorded_at).min() else {
        return Ok(None);
    };
    let current = sqlx::query!(
        "select authority, opens_at from rounds where id = $1",
        round_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    // Rounds that opened after a strike-off and before this one: any of the same authority
    // was that authority's next round.
    let between = sqlx::query!(
        "select authority, opens_at from rounds
         where id <> $1 and opens_at > $2 and opens_at < $3",
        round_id,
        earliest,
        current.opens_at
    )
    .fetch_all(&mut *conn)
    .await?;
    let authority = same_authority(&current.authority);
    Ok(struck
        .into_iter()
        .filter(|s| same_authority(&s.authority) == authority)
        .filter(|s| current.opens_at > s.recorded_at)
        .find(|s| {
            !between
                .iter()
                .any(|r| r.opens_at > s.recorded_at && same_authority(&r.authority) == authority)
        })
        .map(|s| s.name))
}

/// An authority's name as compared: lower case, single spaces.
fn same_authority(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
