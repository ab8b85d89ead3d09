//! HR's server functions for applications: the screening queue, one file in full, decisions
//! (one or many), fees paid one by one or from a bank statement, and the outbox. HR only.

use crate::applications::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{service::require_role, types::Role},
    applications::{fees, repo, screening},
    error::FieldError,
    i18n::Msg,
    rounds::{status::RoundStatus, types::parse_datetime_vn},
    server_support::{now, pool, respond},
};

#[cfg(feature = "ssr")]
const HR: &[Role] = &[Role::HrOfficer];

#[cfg(feature = "ssr")]
async fn round_summary(
    pool: &sqlx::PgPool,
    round_id: Uuid,
) -> Result<crate::rounds::types::RoundSummary, AppError> {
    crate::rounds::repo::round_summaries(pool, true, Some(round_id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "hr/screening")]
pub async fn screening_queue(
    round_id: Uuid,
    #[server(default)] position: String,
    #[server(default)] status: String,
    #[server(default)] q: String,
) -> Result<ScreeningView, AppError> {
    respond(
        async {
            require_role(HR).await?;
            let pool = pool()?;
            let round = round_summary(&pool, round_id).await?;
            let params = screening::round_params(&pool, round_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let filter = screening::Filter {
                position_id: Uuid::parse_str(position.trim()).ok(),
                status: ApplicationStatus::parse(status.trim()),
                query: &q,
            };
            let (rows, matching) = screening::queue(&pool, round_id, &filter, &params).await?;
            let (counts, fees_paid) = screening::status_counts(&pool, round_id).await?;
            let mut conn = pool.acquire().await?;
            let candidates = screening::candidate_count(&mut conn, round_id).await?;
            Ok(ScreeningView {
                positions: screening::positions(&pool, round_id).await?,
                rows,
                matching,
                counts,
                fees_paid,
                fee_per_candidate: screening::fee_due(&params, candidates),
                round,
            })
        }
        .await,
    )
}

#[server(endpoint = "hr/application")]
pub async fn hr_application(id: Uuid) -> Result<ApplicationFile, AppError> {
    respond(
        async {
            require_role(HR).await?;
            let pool = pool()?;
            let application = repo::application_view(&pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let detail = sqlx::query!(
                r#"select a.form, a.applicant_id, u.email, p.min_degree, p.majors, r.closes_at,
                          (select count(*) from application_documents d
                            where d.applicant_id = a.applicant_id and d.round_id = a.round_id
                              and d.kind = 'degree' and d.superseded_at is null) as "degree_scans!"
                   from applications a join users u on u.id = a.applicant_id
                   join positions p on p.id = a.position_id join rounds r on r.id = a.round_id
                   where a.id = $1"#,
                id
            )
            .fetch_one(&pool)
            .await?;
            let params = screening::round_params(&pool, application.round_id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(ApplicationFile {
                checks: screening::checks_for(
                    &detail.form,
                    &detail.min_degree,
                    &detail.majors,
                    detail.degree_scans,
                    &params,
                    detail.closes_at,
                ),
                form: detail
                    .form
                    .get("profile")
                    .cloned()
                    .and_then(|p| serde_json::from_value(p).ok())
                    .unwrap_or_default(),
                documents: repo::documents(&pool, detail.applicant_id, application.round_id)
                    .await?,
                account_email: detail.email,
                application,
            })
        }
        .await,
    )
}

/// Records a decision for the selected applications (`ids[]`) of a round. A correction
/// request needs a reason and a future deadline; a rejection needs a reason.
#[server(endpoint = "hr/decide")]
pub async fn decide_applications(
    round_id: Uuid,
    #[server(default)] ids: Vec<String>,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
    #[server(default)] fix_by: String,
) -> Result<usize, AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let mut errors = Vec::new();
            let ids: Vec<Uuid> = ids.iter().filter_map(|i| Uuid::parse_str(i).ok()).collect();
            if ids.is_empty() {
                errors.push(FieldError::new("ids", Msg::ErrSelectApplications));
            }
            let decision = Decision::parse(decision.trim());
            if decision.is_none() {
                errors.push(FieldError::new("decision", Msg::ErrChooseOne));
            }
            let reason = reason.trim();
            if decision.is_some_and(Decision::needs_reason) && reason.is_empty() {
                errors.push(FieldError::new("reason", Msg::ErrReasonRequired));
            }
            if reason.chars().count() > 1000 {
                errors.push(FieldError::new("reason", Msg::ErrTooLong));
            }
            let fix_by = if decision == Some(Decision::NeedsCorrection) {
                match parse_datetime_vn(&fix_by) {
                    Ok(at) if at > now() => Some(at),
                    Ok(_) => {
                        errors.push(FieldError::new("fix_by", Msg::ErrFixByPast));
                        None
                    }
                    Err(m) => {
                        errors.push(FieldError::new("fix_by", m));
                        None
                    }
                }
            } else {
                None
            };
            let Some(decision) = decision.filter(|_| errors.is_empty()) else {
                return Err(AppError::Invalid(errors));
            };
            let pool = pool()?;
            let mut tx = pool.begin().await?;
            let facts = crate::rounds::repo::lock_round(&mut tx, round_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !matches!(
                facts.status,
                RoundStatus::Open | RoundStatus::Closed | RoundStatus::Screening
            ) {
                return Err(AppError::field("decision", Msg::ErrScreeningOver));
            }
            let reason = (!reason.is_empty()).then_some(reason);
            let changed =
                screening::decide(&mut tx, round_id, &ids, decision, reason, fix_by, hr.id).await?;
            tx.commit().await?;
            Ok(changed.len())
        }
        .await,
    )
}

/// Records one eligible applicant's fee as paid, at the round's current tier.
#[server(endpoint = "hr/record_fee")]
pub async fn record_fee(
    round_id: Uuid,
    application_id: Uuid,
    #[server(default)] reference: String,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let reference = reference.trim();
            if reference.is_empty() || reference.chars().count() > 200 {
                return Err(AppError::field("reference", Msg::ErrRequired));
            }
            let pool = pool()?;
            let params = screening::round_params(&pool, round_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut tx = pool.begin().await?;
            let target = screening::fee_target(&mut tx, round_id, Some(application_id), None)
                .await?
                .ok_or(AppError::NotFound)?;
            if target.paid {
                return Err(AppError::field("reference", Msg::ErrFeeAlreadyPaid));
            }
            if target.status != ApplicationStatus::Eligible.as_str() {
                return Err(AppError::field("reference", Msg::ErrFeeNotEligible));
            }
            let candidates = screening::candidate_count(&mut tx, round_id).await?;
            let amount = screening::fee_due(&params, candidates);
            screening::record_fee(&mut tx, target.id, amount, reference, now(), hr.id).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Reads a bank statement (CSV or XLSX) and records the fees it shows: each credit line is
/// matched by the receipt code in its description; lines that do not match an eligible,
/// unpaid application for the right amount are reported and change nothing.
#[server(endpoint = "hr/reconcile_fees", input = MultipartFormData)]
pub async fn reconcile_fees(data: MultipartData) -> Result<ReconcileReport, AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let upload = crate::rounds::files::read_upload(data).await?;
            let round_id = upload.round_id.ok_or(AppError::NotFound)?;
            let lines =
                fees::parse_bank_statement(&upload.rows).map_err(|m| AppError::field("file", m))?;
            let pool = pool()?;
            let params = screening::round_params(&pool, round_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut tx = pool.begin().await?;
            let candidates = screening::candidate_count(&mut tx, round_id).await?;
            let expected = screening::fee_due(&params, candidates);
            let mut report = ReconcileReport::default();
            let mut totals = ReconcileTotals::default();
            let at = now();
            let codes: Vec<String> = lines
                .iter()
                .filter_map(|l| l.receipt_code.as_ref().map(|c| c.as_str().to_string()))
                .collect();
            let mut targets = screening::fee_targets(&mut tx, round_id, &codes).await?;
            for line in lines {
                let unmatched = |msg| UnmatchedLine {
                    line: line.line,
                    text: line.text.clone(),
                    msg,
                };
                let Some(code) = &line.receipt_code else {
                    report_line(
                        &mut report.unmatched,
                        &mut totals.unmatched,
                        unmatched(Msg::ErrStatementNoCode),
                    );
                    continue;
                };
                let Some(target) = targets.get_mut(code.as_str()) else {
                    report_line(
                        &mut report.unmatched,
                        &mut totals.unmatched,
                        unmatched(Msg::ErrStatementUnknownCode),
                    );
                    continue;
                };
                let reconciled = ReconciledLine {
                    line: line.line,
                    receipt_code: target.receipt_code.clone(),
                    full_name: target.full_name.clone(),
                    amount_dong: line.amount_dong.unwrap_or(0),
                    expected_dong: expected,
                };
                if target.paid {
                    report_line(
                        &mut report.already_paid,
                        &mut totals.already_paid,
                        reconciled,
                    );
                } else if target.status != ApplicationStatus::Eligible.as_str() {
                    report_line(
                        &mut report.unmatched,
                        &mut totals.unmatched,
                        unmatched(Msg::ErrFeeNotEligible),
                    );
                } else if line.amount_dong != Some(expected) {
                    report_line(
                        &mut report.wrong_amount,
                        &mut totals.wrong_amount,
                        reconciled,
                    );
                } else {
                    let reference = format!("{} #{}", upload.file_name, line.line);
                    screening::record_fee(&mut tx, target.id, expected, &reference, at, hr.id)
                        .await?;
                    // A second line for the same code is then "already paid".
                    target.paid = true;
                    report_line(&mut report.recorded, &mut totals.recorded, reconciled);
                }
            }
            report.totals = totals;
            tx.commit().await?;
            Ok(report)
        }
        .await,
    )
}

/// E-mails the portal has queued, newest first (what the mailer sent or, without SMTP,
/// only logged). For HR and administrators.
#[server(endpoint = "admin/outbox")]
pub async fn email_outbox() -> Result<Vec<OutboxEmail>, AppError> {
    respond(
        async {
            require_role(&[Role::Administrator, Role::HrOfficer]).await?;
            Ok(repo::outbox(&pool()?).await?)
        }
        .await,
    )
}
