//! Server functions of results: HR computes a draft and records the authority's tie
//! decisions, the council chair approves, HR publishes; anyone reads the published result
//! and looks up their own line (rate-limited per address).

use crate::error::AppError;
use crate::results::types::*;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::{results::service, server_support::respond};

/// The results page of a round for HR and the round's board chair, reviewing one position
/// (by code; empty: the first with a tie waiting, else the first).
#[server(endpoint = "results/round")]
pub async fn results_for_round(
    round_id: Uuid,
    #[server(default)] position: String,
) -> Result<ResultsView, AppError> {
    respond(
        async {
            let view = service::results_view(round_id).await?.reviewing(&position);
            service::name_candidates(view).await
        }
        .await,
    )
}

/// Computes a new draft (HR); returns its version number.
#[server(endpoint = "results/compute")]
pub async fn compute_results(round_id: Uuid) -> Result<u32, AppError> {
    respond(service::compute_results(round_id).await)
}

/// Records the head of the authority's order for a tied group (HR).
#[server(endpoint = "results/tie")]
pub async fn record_tie(
    round_id: Uuid,
    position: String,
    order: String,
    decided_by: String,
    decided_on: String,
    document_ref: String,
) -> Result<(), AppError> {
    respond(
        service::record_tie_decision(
            round_id,
            &position,
            &order,
            &decided_by,
            &decided_on,
            &document_ref,
        )
        .await,
    )
}

/// The council chair approves the draft they reviewed.
/// The penalties recorded in the round's exam rooms, for HR and the round's chair.
#[server(endpoint = "results/penalties")]
pub async fn round_penalties(
    round_id: Uuid,
) -> Result<crate::scheduling::penalties::RoundPenalties, AppError> {
    respond(service::penalties(round_id).await)
}

/// The chair confirms or dismisses a recorded penalty (`decision`: confirmed or dismissed).
#[server(endpoint = "results/decide_penalty")]
pub async fn decide_penalty(
    round_id: Uuid,
    penalty_id: Uuid,
    decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    respond(service::decide_penalty(round_id, penalty_id, &decision, &note).await)
}

#[server(endpoint = "results/approve")]
pub async fn approve_results(round_id: Uuid, version_id: Uuid) -> Result<(), AppError> {
    respond(service::approve(round_id, version_id).await)
}

/// HR publishes the approved version: immutable from now on; every candidate is told.
#[server(endpoint = "results/publish")]
pub async fn publish_results(round_id: Uuid, version_id: Uuid) -> Result<(), AppError> {
    respond(service::publish(round_id, version_id).await)
}

/// The published result of a round, for everyone (None before publication).
#[server(endpoint = "results/published")]
pub async fn published_results(round_id: Uuid) -> Result<Option<PublicResults>, AppError> {
    respond(
        async {
            Ok(service::published(round_id).await?.map(|p| PublicResults {
                round_id,
                round_name: p.snapshot.round_name.clone(),
                authority: p.snapshot.authority.clone(),
                version: p.version,
                published_at: p.published_at.clone(),
                digest: p.digest.clone(),
                positions: p
                    .snapshot
                    .positions
                    .iter()
                    .map(|position| PositionSummary {
                        code: position.code.clone(),
                        title: position.title.clone(),
                        units: position.units.clone(),
                        selected: position
                            .candidates
                            .iter()
                            .filter(|c| c.outcome == "selected")
                            .cloned()
                            .collect(),
                        reserve: position
                            .candidates
                            .iter()
                            .filter(|c| c.outcome == "reserve")
                            .count() as u32,
                    })
                    .collect(),
                changes: p.changes.clone(),
            }))
        }
        .await,
    )
}

/// One position of the published result, every candidate with their line (None before
/// publication or for a position the round does not have).
#[server(endpoint = "results/published_position")]
pub async fn published_position(
    round_id: Uuid,
    code: String,
) -> Result<Option<PublicPosition>, AppError> {
    respond(
        async {
            Ok(service::published(round_id).await?.and_then(|p| {
                let position = p.snapshot.positions.iter().find(|x| x.code == code)?;
                Some(PublicPosition {
                    round_id,
                    round_name: p.snapshot.round_name.clone(),
                    version: p.version,
                    published_at: p.published_at.clone(),
                    digest: p.digest.clone(),
                    position: position.clone(),
                })
            }))
        }
        .await,
    )
}

/// One candidate's own result by candidate number and personal lookup code (on their admission
/// ticket and application page; no published file holds it).
#[server(endpoint = "results/lookup")]
pub async fn lookup_result(
    round_id: Uuid,
    number: String,
    code: String,
) -> Result<LookupAnswer, AppError> {
    respond(
        async {
            use crate::error::FieldError;
            use crate::i18n::Msg;
            let address = crate::accounts::service::client_addr().await;
            if !service::lookup_allowed(&address).await? {
                return Err(AppError::field("number", Msg::ErrTooManyLookups));
            }
            let number: String = number
                .trim()
                .chars()
                .take(64)
                .collect::<String>()
                .to_uppercase();
            let code = normalise_lookup_code(&code);
            let mut errors = Vec::new();
            if number.is_empty() {
                errors.push(FieldError::new("number", Msg::ErrRequired));
            }
            if code.is_empty() {
                errors.push(FieldError::new("code", Msg::ErrRequired));
            }
            if !errors.is_empty() {
                return Err(AppError::Invalid(errors));
            }
            let published = service::published(round_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let (position, candidate) = published
                .find(&number, &code)
                .ok_or_else(|| AppError::field("number", Msg::ErrLookupNotFound))?;
            Ok(LookupAnswer {
                round_name: published.snapshot.round_name.clone(),
                version: published.version,
                digest: published.digest.clone(),
                position_code: position.code.clone(),
                position_title: position.title.clone(),
                candidate: candidate.clone(),
                pass_mark: published.snapshot.stage2_pass_mark,
                quota: position.units.iter().map(|u| u.quota).sum(),
            })
        }
        .await,
    )
}

/// HR records what became of a winner's dossier: `complete`, or struck off as `incomplete`,
/// `fraud` or `no_show` with the reason. Under rule sets before Decree 300 the next reserve
/// candidate who wants that unit is recognised at once (returns their number).
#[server(endpoint = "results/dossier")]
pub async fn record_dossier(
    round_id: Uuid,
    number: String,
    outcome: String,
    #[server(default)] reason: String,
) -> Result<Option<String>, AppError> {
    respond(crate::results::dossiers::record(round_id, &number, &outcome, &reason).await)
}

/// HR records the appointment decision of a winner whose dossier is complete (Decree 300
/// rounds).
#[server(endpoint = "results/appointment")]
pub async fn record_appointment(
    round_id: Uuid,
    number: String,
    #[server(default)] decision: String,
    #[server(default)] decided_on: String,
) -> Result<(), AppError> {
    respond(
        crate::results::dossiers::record_appointment(round_id, &number, &decision, &decided_on)
            .await,
    )
}

/// HR records whether an appointee reported for work (the day) or not (why: struck off).
#[server(endpoint = "results/reporting")]
pub async fn record_reporting(
    round_id: Uuid,
    number: String,
    reported: bool,
    #[server(default)] reported_on: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    respond(
        crate::results::dossiers::record_reporting(
            round_id,
            &number,
            reported,
            &reported_on,
            &reason,
        )
        .await,
    )
}

/// The steps after selection for HR and the round's chair: strike-offs waiting to be listed,
/// the published cancelled lists, places not yet passed on and the deadline.
#[server(endpoint = "results/after_selection")]
pub async fn after_selection(
    round_id: Uuid,
) -> Result<crate::results::after_selection::AfterSelectionView, AppError> {
    respond(crate::results::dossiers::view(round_id).await)
}

/// HR publishes every strike-off not yet listed as the round's next cancelled list (Decree
/// 170/2025 Art 18 as amended); returns its number.
#[server(endpoint = "results/publish_cancelled")]
pub async fn publish_cancelled(round_id: Uuid) -> Result<u32, AppError> {
    respond(crate::results::dossiers::publish_cancelled(round_id).await)
}

/// HR recognises the next-ranked candidates for the listed places, in order; where some are
/// still equal, `chosen` and the head's decision say who.
#[server(endpoint = "results/next_ranked")]
pub async fn recognise_next_ranked(
    round_id: Uuid,
    #[server(default)] chosen: String,
    #[server(default)] head_decision: String,
) -> Result<crate::results::after_selection::NextRankedOutcome, AppError> {
    respond(
        crate::results::dossiers::recognise_next(round_id, Some(chosen.as_str()), &head_decision)
            .await,
    )
}

/// The round's published cancelled lists, for anyone once the results are published.
#[server(endpoint = "results/cancelled")]
pub async fn cancelled_lists(
    round_id: Uuid,
) -> Result<Vec<crate::results::after_selection::CancelledList>, AppError> {
    respond(crate::results::dossiers::cancelled_lists(round_id).await)
}

/// Each position's exam scores and their appeal windows, for HR and the round's chair.
#[server(endpoint = "results/exam_scores")]
pub async fn exam_scores(
    round_id: Uuid,
) -> Result<crate::results::exam_scores::ExamScoresView, AppError> {
    respond(crate::results::exam_scores_service::view(round_id).await)
}

/// HR publishes one position's exam scores (before any result); returns how many were told.
#[server(endpoint = "results/publish_scores")]
pub async fn publish_exam_scores(round_id: Uuid, position: String) -> Result<u32, AppError> {
    respond(crate::results::exam_scores_service::publish(round_id, &position).await)
}

/// A position's published exam scores, for everyone (None before publication).
#[server(endpoint = "results/published_scores")]
pub async fn published_exam_scores(
    round_id: Uuid,
    code: String,
) -> Result<Option<crate::results::exam_scores::PublicScores>, AppError> {
    respond(crate::results::exam_scores_service::published(round_id, &code).await)
}
