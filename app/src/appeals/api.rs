//! Server functions of appeals (phúc khảo). Each checks its caller itself: the applicant who
//! owns the application; HR or the round's chair; the re-marker the paper is assigned to.

use crate::appeals::types::*;
use crate::error::AppError;
use crate::scoring::types::SaveOutcome;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::{appeals::service, server_support::respond};

/// The applicant's appeal page for one of their applications.
#[server(endpoint = "appeals/page")]
pub async fn appeal_for_application(application_id: Uuid) -> Result<AppealPage, AppError> {
    respond(service::page(application_id).await)
}

/// The applicant files an appeal against their written paper (within the window).
#[server(endpoint = "appeals/file")]
pub async fn file_appeal(
    application_id: Uuid,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    respond(service::file(application_id, &reason).await)
}

/// The round's appeals (HR and the round's chair).
#[server(endpoint = "appeals/round")]
pub async fn round_appeals(round_id: Uuid) -> Result<AppealsView, AppError> {
    respond(service::round_view(round_id).await)
}

/// HR records that the appeal fee was paid (receipt or transfer reference).
#[server(endpoint = "appeals/fee")]
pub async fn record_appeal_fee(
    round_id: Uuid,
    appeal_id: Uuid,
    reference: String,
) -> Result<(), AppError> {
    respond(service::record_fee(round_id, appeal_id, &reference).await)
}

/// HR or the chair gives paid appeals their code and two re-markers.
#[server(endpoint = "appeals/assign")]
pub async fn assign_appeals(round_id: Uuid) -> Result<usize, AppError> {
    respond(service::assign(round_id).await)
}

/// The papers the caller re-marks.
#[server(endpoint = "appeals/mine")]
pub async fn my_appeal_papers() -> Result<Vec<AppealPaper>, AppError> {
    respond(service::my_papers().await)
}

/// A re-mark; `version` is the one the re-marker saw (0 for a new mark).
#[server(endpoint = "appeals/remark")]
pub async fn save_remark(
    round_id: Uuid,
    code: String,
    mark: String,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    respond(service::save_remark(round_id, &code, &mark, version).await)
}

/// The chair's mark for far-apart re-marks.
#[server(endpoint = "appeals/decide")]
pub async fn decide_appeal(
    round_id: Uuid,
    appeal_id: Uuid,
    mark: String,
    #[server(default)] reason: String,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    respond(service::decide(round_id, appeal_id, &mark, &reason, version).await)
}

/// The chair answers every appeal whose result is known.
#[server(endpoint = "appeals/answer")]
pub async fn answer_appeals(round_id: Uuid) -> Result<usize, AppError> {
    respond(service::answer(round_id).await)
}

/// The chair gives a third re-marker to an appeal whose re-marks are 10 points or more apart.
#[server(endpoint = "appeals/third")]
pub async fn give_third_remarker(round_id: Uuid, appeal_id: Uuid) -> Result<String, AppError> {
    respond(service::third_remarker(round_id, appeal_id).await)
}

/// The council chair's minuted decision on a re-mark far from the published mark.
#[server(endpoint = "appeals/council")]
pub async fn council_decision(
    round_id: Uuid,
    appeal_id: Uuid,
    mark: String,
    #[server(default)] minutes: String,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    respond(service::minute(round_id, appeal_id, &mark, &minutes, version).await)
}
