//! Round server functions. The public ones show only rounds whose notice is out (not drafts);
//! every change is for HR officers, checked here, and written to the round's change log.

use crate::error::AppError;
use crate::rounds::types::*;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{service::require_role, types::Role},
    i18n::Msg,
    rounds::repo::RoundChange,
    rounds::{positions::*, repo, status::*},
    server_support::{pool, respond},
};

#[cfg(feature = "ssr")]
const HR: &[Role] = &[Role::HrOfficer];

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    AppError::NotFound
}

/// Rounds the public may see: open now first, then the others whose notice is out.
#[server(endpoint = "rounds/public")]
pub async fn public_rounds() -> Result<RoundList, AppError> {
    respond(
        async {
            let pool = pool()?;
            let rounds = repo::round_summaries(&pool, false, None).await?;
            let now: time::OffsetDateTime =
                sqlx::query_scalar("select now()").fetch_one(&pool).await?;
            Ok(RoundList { rounds, now })
        }
        .await,
    )
}

/// A round's public notice.
#[server(endpoint = "rounds/notice")]
pub async fn get_round_notice(id: Uuid) -> Result<RoundNotice, AppError> {
    respond(
        async {
            repo::round_notice(&pool()?, id, false)
                .await?
                .ok_or_else(not_found)
        }
        .await,
    )
}

#[server(endpoint = "hr/rounds")]
pub async fn hr_rounds() -> Result<Vec<RoundSummary>, AppError> {
    respond(
        async {
            require_role(HR).await?;
            Ok(repo::round_summaries(&pool()?, true, None).await?)
        }
        .await,
    )
}

#[server(endpoint = "hr/rule_sets")]
pub async fn rule_sets() -> Result<Vec<RuleSetSummary>, AppError> {
    respond(
        async {
            require_role(HR).await?;
            Ok(repo::list_rule_sets(&pool()?).await?)
        }
        .await,
    )
}

#[server(endpoint = "hr/rule_set")]
pub async fn rule_set_detail(id: Uuid) -> Result<RuleSetView, AppError> {
    respond(
        async {
            require_role(HR).await?;
            repo::rule_set(&pool()?, id).await?.ok_or_else(not_found)
        }
        .await,
    )
}

/// Saves a changed copy of a rule-set version as the next version of the same rule set.
#[server(endpoint = "hr/new_rule_set_version")]
#[allow(clippy::too_many_arguments)]
pub async fn new_rule_set_version(
    base_id: Uuid,
    name: String,
    legal_basis: String,
    minimum_age: String,
    application_window_days: String,
    stage1_questions: String,
    stage1_minutes: String,
    stage1_pass_percent: String,
    stage1_foreign_language: Option<String>,
    stage2_pass_mark: String,
    double_marking_tolerance_percent: String,
    #[server(default)] mark_step: String,
    appeal_filing_working_days: String,
    appeal_answer_days: String,
    #[server(default)] appeal_fee: String,
    priority_categories: String,
    fee_tiers: String,
    reason: String,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let pool = pool()?;
            let base = repo::rule_set(&pool, base_id)
                .await?
                .ok_or_else(not_found)?;
            let form = crate::rounds::rules::RuleSetForm {
                minimum_age,
                application_window_days,
                stage1_questions,
                stage1_minutes,
                stage1_pass_percent,
                stage1_foreign_language: stage1_foreign_language.is_some(),
                stage2_pass_mark,
                double_marking_tolerance_percent,
                mark_step,
                appeal_filing_working_days,
                appeal_answer_days,
                appeal_fee,
                priority_categories,
                fee_tiers,
            };
            let mut errors = Vec::new();
            let name = parse_text(&name, 300)
                .map_err(|m| errors.push(crate::error::FieldError::new("name", m)))
                .ok();
            let legal_basis = parse_text(&legal_basis, 1000)
                .map_err(|m| errors.push(crate::error::FieldError::new("legal_basis", m)))
                .ok();
            let params = match form.parse(&base.params) {
                Ok(params) => Some(params),
                Err(AppError::Invalid(more)) => {
                    errors.extend(more);
                    None
                }
                Err(other) => return Err(other),
            };
            let (Some(name), Some(legal_basis), Some(params)) = (name, legal_basis, params) else {
                return Err(AppError::Invalid(errors));
            };
            let reason = reason.trim();
            let draft = repo::RuleSetDraft {
                code: &base.summary.code,
                name: &name,
                legal_basis: &legal_basis,
                params: &params,
                based_on: base_id,
                reason: (!reason.is_empty()).then_some(reason),
            };
            let (id, version) = repo::insert_rule_set_version(&pool, draft, hr.id).await?;
            tracing::info!(rule_set = %id, version, hr = %hr.id, "rule-set version created");
            leptos_axum::redirect(&format!("/hr/rule-sets/{id}"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "hr/round")]
pub async fn hr_round(id: Uuid) -> Result<RoundForHr, AppError> {
    respond(
        async {
            require_role(HR).await?;
            let pool = pool()?;
            let notice = repo::round_notice(&pool, id, true)
                .await?
                .ok_or_else(not_found)?;
            let audit = repo::round_audit(&pool, id).await?;
            Ok(RoundForHr { notice, audit })
        }
        .await,
    )
}

/// The round's legal clocks for HR: each step's deadline, whether it was met, the days left.
#[server(endpoint = "hr/clocks")]
pub async fn round_clocks(round_id: Uuid) -> Result<Vec<crate::rounds::clocks::Clock>, AppError> {
    respond(
        async {
            require_role(HR).await?;
            let pool = pool()?;
            let mut conn = pool.acquire().await?;
            let facts = crate::rounds::clocks_repo::facts(&mut conn, round_id).await?;
            let calendar = crate::calendar::repo::load(&mut *conn).await?;
            Ok(crate::rounds::clocks::clocks(
                &facts,
                &calendar,
                crate::server_support::now(),
            ))
        }
        .await,
    )
}

/// Creates a round as a draft under the chosen rule-set version.
#[server(endpoint = "hr/create_round")]
pub async fn create_round(
    name: String,
    authority: String,
    notice: String,
    opens_at: String,
    closes_at: String,
    rule_set_id: String,
    stage1_foreign_language: Option<String>,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let pool = pool()?;
            let rule_set = match Uuid::parse_str(rule_set_id.trim()) {
                Ok(id) => repo::rule_set(&pool, id).await?,
                Err(_) => None,
            };
            let round = NewRound::parse(
                &name,
                &authority,
                &notice,
                &opens_at,
                &closes_at,
                stage1_foreign_language.is_some(),
                rule_set.as_ref().map(|r| &r.params),
            )?;
            let rule_set =
                rule_set.ok_or_else(|| AppError::field("rule_set_id", Msg::ErrRuleSet))?;
            let mut tx = pool.begin().await?;
            let id = repo::insert_round(&mut tx, &round, rule_set.summary.id, hr.id).await?;
            tx.commit().await?;
            tracing::info!(round = %id, hr = %hr.id, "round created");
            leptos_axum::redirect(&format!("/hr/rounds/{id}"));
            Ok(())
        }
        .await,
    )
}

/// Changes a round's details. Free in a draft; once open only with a reason, never moving the
/// opening time and never bringing the closing time forward; frozen after that.
#[server(endpoint = "hr/update_round")]
#[allow(clippy::too_many_arguments)]
pub async fn update_round(
    round_id: Uuid,
    name: String,
    authority: String,
    notice: String,
    opens_at: String,
    closes_at: String,
    stage1_foreign_language: Option<String>,
    reason: String,
    #[server(default)] head_decided_by: String,
    #[server(default)] head_document: String,
    #[server(default)] head_decided_on: String,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let mut tx = pool()?.begin().await?;
            let (reason, facts) = editable(&mut tx, round_id, &reason).await?;
            let (before, rules) = repo::round_details(&mut tx, round_id)
                .await?
                .ok_or_else(not_found)?;
            let mut after = NewRound::parse(
                &name,
                &authority,
                &notice,
                &opens_at,
                &closes_at,
                stage1_foreign_language.is_some(),
                Some(&rules),
            )?;
            // The notice's one change (Decree 170/2025 Art 15), checked before anything else.
            let head_change = facts.status == RoundStatus::Open && rules.notice_change_by_head;
            let decision = if head_change {
                let decision =
                    HeadDecision::parse(&head_decided_by, &head_document, &head_decided_on)?;
                let (changed_before, opening) =
                    repo::notice_change_facts(&mut tx, round_id).await?;
                crate::rounds::notice_change::may_change(
                    changed_before,
                    opening,
                    crate::server_support::now(),
                )
                .map_err(|m| AppError::field("notice", m))?;
                Some(decision)
            } else {
                None
            };
            if facts.status == RoundStatus::Open {
                if after.opens_at != before.opens_at {
                    return Err(AppError::field("opens_at", Msg::ErrCannotMoveOpening));
                }
                if after.closes_at < before.closes_at {
                    return Err(AppError::field("closes_at", Msg::ErrCannotShortenWindow));
                }
            }
            if after.changes_from(&before).is_empty() {
                return Ok(());
            }
            if let Some(decision) = decision {
                let now = crate::server_support::now();
                // The application window restarts from the change.
                after.closes_at = crate::rounds::notice_change::restarted_close(
                    after.closes_at,
                    now,
                    rules.application_window_days,
                );
                repo::record_notice_change(
                    &mut tx,
                    round_id,
                    &repo::NoticeChangeRecord {
                        decided_by: &decision.decided_by,
                        document_ref: &decision.document_ref,
                        decided_on: decision.decided_on,
                        notice_before: &before.notice,
                        notice_after: &after.notice,
                        closes_before: before.closes_at,
                        closes_after: after.closes_at,
                    },
                    hr.id,
                    now,
                )
                .await?;
                // Everyone who applied is told, with the decision and the new closing time.
                let told = format!(
                    "{} ngày {} ({}); hạn nộp hồ sơ: {}",
                    decision.document_ref,
                    crate::rounds::types::format_date_vn(decision.decided_on),
                    decision.decided_by,
                    format_datetime_vn(after.closes_at)
                );
                let applied: Vec<(Uuid, String)> = sqlx::query_scalar!(
                    "select id from applications where round_id = $1",
                    round_id
                )
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|id| (id, told.clone()))
                .collect();
                crate::applications::repo::queue_notices(
                    &mut tx,
                    crate::applications::types::EventKind::NoticeChanged,
                    &applied,
                    Some(hr.id),
                )
                .await?;
            }
            let changed = after.changes_from(&before);
            repo::update_round(&mut tx, round_id, &after).await?;
            let (from, to) = if changed.contains(&"closes_at") {
                (
                    Some(format_datetime_vn(before.closes_at)),
                    Some(format_datetime_vn(after.closes_at)),
                )
            } else {
                (None, None)
            };
            repo::audit(
                &mut tx,
                hr.id,
                round_id,
                RoundChange::new("round.updated", changed.join(", "))
                    .from_to(from, to)
                    .because(reason),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// The head of the authority's decision, as HR records it from the document.
#[cfg(feature = "ssr")]
struct HeadDecision {
    decided_by: String,
    document_ref: String,
    decided_on: time::Date,
}

#[cfg(feature = "ssr")]
impl HeadDecision {
    fn parse(decided_by: &str, document_ref: &str, decided_on: &str) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let text = |field: &str, value: &str, errors: &mut Vec<crate::error::FieldError>| {
            let value = value.trim();
            if value.is_empty() {
                errors.push(crate::error::FieldError::new(field, Msg::ErrRequired));
            } else if value.chars().count() > 200 {
                errors.push(crate::error::FieldError::new(field, Msg::ErrTooLong));
            }
            value.to_string()
        };
        let decided_by = text("head_decided_by", decided_by, &mut errors);
        let document_ref = text("head_document", document_ref, &mut errors);
        let date = crate::results::types::parse_day(decided_on);
        if date.is_none() {
            errors.push(crate::error::FieldError::new(
                "head_decided_on",
                Msg::ErrDateFormat,
            ));
        }
        match date {
            Some(decided_on) if errors.is_empty() => Ok(HeadDecision {
                decided_by,
                document_ref,
                decided_on,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// Moves a round to its next state, if the rules allow it now.
#[server(endpoint = "hr/advance_round")]
pub async fn advance_round(round_id: Uuid, to: String, reason: String) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let to = RoundStatus::from_name(&to)
                .ok_or_else(|| AppError::field("to", Msg::RefuseNotNextState))?;
            let mut tx = pool()?.begin().await?;
            let facts = repo::lock_round(&mut tx, round_id)
                .await?
                .ok_or_else(not_found)?;
            check_transition(&facts, to).map_err(|msg| AppError::field("to", msg))?;
            if to == RoundStatus::Finalised {
                crate::appeals::service::may_finalise(&mut tx, round_id).await?;
            }
            repo::set_status(&mut tx, round_id, to).await?;
            if to == RoundStatus::Screening {
                crate::applications::screening::start_review(&mut tx, round_id).await?;
            }
            let reason = reason.trim();
            repo::audit(
                &mut tx,
                hr.id,
                round_id,
                RoundChange::new("round.status_changed", "")
                    .from_to(
                        Some(facts.status.as_str().to_string()),
                        Some(to.as_str().to_string()),
                    )
                    .because((!reason.is_empty()).then(|| reason.to_string())),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Locks the round and checks that it still takes changes, with a reason once it is open.
/// Returns the reason to record and the round's facts.
#[cfg(feature = "ssr")]
async fn editable(
    conn: &mut sqlx::PgConnection,
    round_id: Uuid,
    reason: &str,
) -> Result<(Option<String>, RoundFacts), AppError> {
    let facts = repo::lock_round(conn, round_id)
        .await?
        .ok_or_else(not_found)?;
    let reason = reason.trim();
    let reason = match facts.status {
        s if s.allows_free_edits() => (!reason.is_empty()).then(|| reason.to_string()),
        RoundStatus::Open if reason.is_empty() => {
            return Err(AppError::field("reason", Msg::RefuseReasonRequired))
        }
        RoundStatus::Open => Some(reason.to_string()),
        _ => return Err(AppError::field("round", Msg::RefuseRoundNotEditable)),
    };
    Ok((reason, facts))
}

#[cfg(feature = "ssr")]
fn conflict_error(err: repo::AddPositionsError) -> AppError {
    match err {
        repo::AddPositionsError::Conflict { msg, unit_code, .. } => AppError::field(
            if unit_code.is_some() {
                "unit_code"
            } else {
                "code"
            },
            msg,
        ),
        repo::AddPositionsError::Db(e) => e.into(),
    }
}

/// Adds a position, or another unit to a shared position (same code, same details).
#[server(endpoint = "hr/add_position")]
#[allow(clippy::too_many_arguments)]
pub async fn add_position(
    round_id: Uuid,
    code: String,
    title: String,
    unit_code: String,
    unit_name: String,
    quota: String,
    min_degree: String,
    majors: String,
    other_conditions: String,
    stage2_format: String,
    written_weight: String,
    max_score: String,
    reason: String,
    rank: Option<String>,
    method: Option<String>,
    review_group: Option<String>,
    ethnic_minority: Option<String>,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let row = vec![
                code,
                title,
                unit_code,
                unit_name,
                quota,
                min_degree,
                majors,
                other_conditions,
                stage2_format,
                written_weight,
                max_score,
                rank.unwrap_or_default(),
                method.unwrap_or_default(),
                review_group.unwrap_or_default(),
                ethnic_minority.unwrap_or_default(),
            ];
            let header = IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
            let mut tx = pool()?.begin().await?;
            let (reason, _) = editable(&mut tx, round_id, &reason).await?;
            let by_rank = repo::tests_by_rank(&mut tx, round_id).await?;
            let position = parse_position_table(&[header, row], by_rank)
                .map_err(|errors| {
                    AppError::Invalid(
                        errors
                            .problems
                            .into_iter()
                            .map(|e| crate::error::FieldError::new(&e.column, e.msg))
                            .collect(),
                    )
                })?
                .remove(0);
            repo::add_positions(&mut tx, round_id, std::slice::from_ref(&position))
                .await
                .map_err(conflict_error)?;
            let unit = &position.units[0];
            repo::audit(
                &mut tx,
                hr.id,
                round_id,
                RoundChange::new(
                    "position.added",
                    format!(
                        "{} · {} · {}",
                        position.code, position.title, unit.unit_code
                    ),
                )
                .from_to(None, Some(unit.quota.to_string()))
                .because(reason),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Removes a position (with all its units) that has no applications yet.
#[server(endpoint = "hr/remove_position")]
pub async fn remove_position(
    round_id: Uuid,
    position_id: Uuid,
    reason: String,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let mut tx = pool()?.begin().await?;
            let (reason, _) = editable(&mut tx, round_id, &reason).await?;
            let (code, title) = repo::remove_position(&mut tx, round_id, position_id)
                .await?
                .ok_or_else(not_found)?
                .map_err(|msg| AppError::field("position", msg))?;
            repo::audit(
                &mut tx,
                hr.id,
                round_id,
                RoundChange::new("position.removed", format!("{code} · {title}")).because(reason),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "hr/change_quota")]
pub async fn change_quota(
    round_id: Uuid,
    position_id: Uuid,
    unit_id: Uuid,
    quota: String,
    reason: String,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let quota = parse_quota(&quota).map_err(|m| AppError::field("quota", m))?;
            let mut tx = pool()?.begin().await?;
            let (reason, _) = editable(&mut tx, round_id, &reason).await?;
            let (code, unit_code, old) =
                repo::change_quota(&mut tx, round_id, position_id, unit_id, quota)
                    .await?
                    .ok_or_else(not_found)?;
            repo::audit(
                &mut tx,
                hr.id,
                round_id,
                RoundChange::new("position.quota_changed", format!("{code} · {unit_code}"))
                    .from_to(Some(old.to_string()), Some(quota.to_string()))
                    .because(reason),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Imports positions from an uploaded CSV or XLSX file: the whole file is checked first and
/// nothing is written unless every row is right. A plain multipart form posts here, so it
/// works without JavaScript; success returns to the round page with the count.
#[server(endpoint = "hr/import_positions", input = MultipartFormData)]
pub async fn import_positions(data: MultipartData) -> Result<usize, AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let upload = crate::rounds::files::read_upload(data).await?;
            let round_id = upload.round_id.ok_or_else(not_found)?;
            let mut tx = pool()?.begin().await?;
            let (reason, _) = editable(&mut tx, round_id, &upload.reason).await?;
            let by_rank = repo::tests_by_rank(&mut tx, round_id).await?;
            let positions =
                parse_position_table(&upload.rows, by_rank).map_err(AppError::Import)?;
            if let Err(err) = repo::add_positions(&mut tx, round_id, &positions).await {
                return Err(match err {
                    repo::AddPositionsError::Conflict {
                        code,
                        unit_code,
                        msg,
                    } => AppError::Import(ImportProblems::one(
                        crate::rounds::files::first_row_of(
                            &upload.rows,
                            &code,
                            unit_code.as_deref(),
                        ),
                        if unit_code.is_some() {
                            "unit_code"
                        } else {
                            "code"
                        },
                        msg,
                    )),
                    repo::AddPositionsError::Db(e) => e.into(),
                });
            }
            repo::audit(
                &mut tx,
                hr.id,
                round_id,
                RoundChange::new("positions.imported", upload.file_name)
                    .from_to(None, Some(positions.len().to_string()))
                    .because(reason),
            )
            .await?;
            tx.commit().await?;
            leptos_axum::redirect(&format!(
                "/hr/rounds/{round_id}?imported={}",
                positions.len()
            ));
            Ok(positions.len())
        }
        .await,
    )
}
