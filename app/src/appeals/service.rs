//! Appeals behind the server functions: the candidate files within the window; HR records the
//! fee; HR or the chair gives each paid appeal a new code and two re-markers who did not mark
//! it; re-markers mark by code; the chair decides far-apart re-marks and answers, which applies
//! the new mark to the stage-2 score. Every mark event is audited in `mark_audit`.

use crate::accounts::{service::require_role, types::Role};
use crate::appeals::repo::{self, AppealRecord};
use crate::appeals::rules::{appeal_state, filing_deadline, Recorded};
use crate::appeals::types::*;
use crate::applications::types::EventKind;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::rounds::positions::Stage2Format;
use crate::rounds::rules::{format_dong, RuleParams};
use crate::rounds::types::format_datetime_vn;
use crate::scheduling::allocation::format_candidate_number;
use crate::scoring::api::{caller, chair, hr, hr_or_chair, scale};
use crate::scoring::marks::{Mark, Scale};
use crate::scoring::papers::{normalise_code, share_papers, stage2_score, Part};
use crate::scoring::repo::{audit, AuditEntry};
use crate::scoring::types::SaveOutcome;
use crate::server_support::{now, pool};
use sqlx::PgConnection;
use std::collections::HashSet;
use uuid::Uuid;

fn params(value: serde_json::Value) -> Result<RuleParams, AppError> {
    serde_json::from_value(value).map_err(|e| AppError::internal(&e))
}

/// The applicant's page: their written mark, the window, the fee, their appeal.
pub async fn page(application_id: Uuid) -> Result<AppealPage, AppError> {
    let user = require_role(&[Role::Applicant]).await?;
    let pool = pool()?;
    let f = repo::filing(&pool, application_id)
        .await?
        .filter(|f| f.applicant_id == user.id)
        .ok_or(AppError::NotFound)?;
    let params = params(f.params.clone())?;
    let calendar = crate::calendar::repo::load(&pool).await?;
    // The window opens with the position's exam scores under the legal sequence (Decree
    // 170/2025 Art 17), with the round's first result notice under the older rule sets.
    let opened = if params.exam_scores_published_first {
        f.scores_published
    } else {
        f.first_published
    };
    let deadline =
        opened.map(|at| filing_deadline(&calendar, at, params.appeal_filing_working_days));
    let format = Stage2Format::parse(
        &f.stage2_format,
        f.written_percent.and_then(|w| u8::try_from(w).ok()),
    )
    .unwrap_or(Stage2Format::Written);
    let mut conn = pool.acquire().await?;
    let appeal = match repo::appeal_of(&pool, application_id).await? {
        Some((id, round_id)) => repo::appeals(&mut conn, round_id, Some(id))
            .await?
            .into_iter()
            .next()
            .map(|a| MyAppeal {
                filed_at: a.filed_at,
                reason: a.reason,
                fee_dong: a.fee_dong.max(0) as u32,
                fee_paid: a.fee_reference.is_some(),
                original: a.original,
                new_mark: a.new_mark,
                answered_at: a.answered_at,
            }),
        None => None,
    };
    let refusal = if appeal.is_some() {
        Some(Msg::ErrAppealAlreadyFiled)
    } else if deadline.is_none() {
        Some(Msg::ErrAppealNotPublished)
    } else if !format.allows_appeal() || f.written.is_none() || f.written_paper.is_none() {
        Some(Msg::ErrAppealNoWrittenPaper)
    } else if deadline.is_some_and(|d| now() > d) || f.round_status == "finalised" {
        Some(Msg::ErrAppealClosed)
    } else {
        None
    };
    Ok(AppealPage {
        application_id,
        round_id: f.round_id,
        round_name: f.round_name,
        position_code: f.position_code,
        position_title: f.position_title,
        written: f.written,
        max: scale(f.max_score, params.mark_step_hundredths).max,
        deadline,
        fee_dong: params.appeal_fee_dong,
        refusal,
        appeal,
    })
}

/// Both languages, for the timeline and the e-mail.
fn both(m: Msg, detail: &str) -> String {
    format!("{} {detail} ({} {detail})", Lang::Vi.t(m), Lang::En.t(m))
}

fn show(mark: Mark) -> String {
    mark.display(',')
}

pub async fn file(application_id: Uuid, reason: &str) -> Result<(), AppError> {
    let page = page(application_id).await?;
    if let Some(refusal) = page.refusal {
        return Err(AppError::field("appeal", refusal));
    }
    let reason = reason.trim();
    if reason.chars().count() > 1000 {
        return Err(AppError::field("reason", Msg::ErrTooLong));
    }
    let pool = pool()?;
    let f = repo::filing(&pool, application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (Some(paper_id), Some(original)) = (f.written_paper, f.written) else {
        return Err(AppError::field("appeal", Msg::ErrAppealNoWrittenPaper));
    };
    let mut tx = pool.begin().await?;
    let filed = repo::file(
        &mut tx,
        &repo::NewAppeal {
            round_id: f.round_id,
            application_id,
            paper_id,
            reason: (!reason.is_empty()).then_some(reason),
            original,
            fee_dong: page.fee_dong,
        },
        now(),
    )
    .await?;
    if !filed {
        return Err(AppError::field("appeal", Msg::ErrAppealAlreadyFiled));
    }
    let text = both(Msg::AppealFeeLine, &format_dong(u64::from(page.fee_dong)));
    tell(&mut tx, application_id, EventKind::AppealFiled, &text, None).await?;
    if page.fee_dong == 0 {
        // Nothing to pay: the fee counts as recorded at filing (no one recorded it).
        tell(&mut tx, application_id, EventKind::AppealFeePaid, "0", None).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn tell(
    conn: &mut PgConnection,
    application_id: Uuid,
    kind: EventKind,
    text: &str,
    actor: Option<Uuid>,
) -> Result<(), AppError> {
    crate::applications::repo::add_event(conn, application_id, kind, Some(text), None, actor)
        .await?;
    crate::applications::repo::notify(conn, application_id, kind, Some(text), None).await?;
    Ok(())
}

fn record(a: &AppealRecord) -> Recorded {
    let mark_in = |slot: i16| a.remarks.iter().find(|r| r.0 == slot).and_then(|r| r.2);
    Recorded {
        fee_recorded: a.fee_reference.is_some(),
        assigned: !a.remarks.is_empty(),
        remarks: [mark_in(1), mark_in(2), mark_in(3)],
        third_assigned: a.remarks.iter().any(|r| r.0 == 3),
        decision: a.decision.as_ref().map(|d| d.0),
        council: a.council.as_ref().map(|d| d.0),
        answer: a.new_mark,
    }
}

/// When the round's appeal windows opened: under the legal sequence each position's exam-score
/// publication (Decree 170/2025 Art 17), under the older rule sets the first result notice.
async fn windows_opened(
    conn: &mut PgConnection,
    round_id: Uuid,
    params: &RuleParams,
) -> Result<Vec<time::OffsetDateTime>, AppError> {
    let opened = if params.exam_scores_published_first {
        sqlx::query_scalar!(
            "select published_at from score_publications where round_id = $1",
            round_id
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        sqlx::query_scalar!(
            r#"select min(published_at) as "at!" from result_versions
               where round_id = $1 and status in ('published', 'superseded')
               having min(published_at) is not null"#,
            round_id
        )
        .fetch_all(&mut *conn)
        .await?
    };
    Ok(opened)
}

/// The last moment any appeal of the round may be filed (None: no window has opened).
pub async fn last_filing_deadline(
    conn: &mut PgConnection,
    round_id: Uuid,
    params: &RuleParams,
) -> Result<Option<time::OffsetDateTime>, AppError> {
    let opened = windows_opened(conn, round_id, params).await?;
    let calendar = crate::calendar::repo::load(&mut *conn).await?;
    Ok(opened
        .into_iter()
        .map(|at| filing_deadline(&calendar, at, params.appeal_filing_working_days))
        .max())
}

/// The round's appeals for HR and the round's chair.
pub async fn round_view(round_id: Uuid) -> Result<AppealsView, AppError> {
    let c = caller(round_id, hr_or_chair).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let appeals = repo::appeals(&mut conn, round_id, None).await?;
    let scales = crate::scoring::service::scales(
        &crate::scoring::repo::positions(&pool, round_id).await?,
        c.params.mark_step_hundredths,
    );
    let deadline = last_filing_deadline(&mut conn, round_id, &c.params).await?;
    let board = repo::appeal_board(&mut conn, round_id).await?;
    let rule = c.params.remark_rule();
    Ok(AppealsView {
        round_id,
        round_name: c.round.name.clone(),
        filing_deadline: deadline.map(format_datetime_vn),
        answer_by: deadline.map(|d| {
            crate::rounds::types::format_date_vn(
                crate::rounds::types::vietnam_date(d)
                    + time::Duration::days(i64::from(c.params.appeal_answer_days)),
            )
        }),
        board: board.into_iter().map(|b| b.1).collect(),
        appeals: appeals
            .iter()
            .map(|a| {
                let scale = scales
                    .get(&a.position_id)
                    .copied()
                    .unwrap_or(Scale::new(100));
                AppealRow {
                    id: a.id,
                    number: a
                        .number
                        .map(|n| format_candidate_number(&c.round.prefix, n.max(0) as u32))
                        .unwrap_or_default(),
                    full_name: a.full_name.clone(),
                    position_code: a.position_code.clone(),
                    code: a.code.clone(),
                    filed_at: format_datetime_vn(a.filed_at),
                    reason: a.reason.clone(),
                    fee_dong: a.fee_dong.max(0) as u32,
                    fee_reference: a.fee_reference.clone(),
                    original: a.original,
                    remarks: a.remarks.iter().map(|r| (r.1.clone(), r.2)).collect(),
                    decision: a.decision.clone(),
                    decision_version: a.decision_version,
                    council: a.council.clone(),
                    council_version: a.council_version,
                    state: appeal_state(record(a), scale, rule, a.original),
                    scale,
                    answered_at: a.answered_at.map(format_datetime_vn),
                }
            })
            .collect(),
        is_hr: c.is_hr(),
        is_chair: chair(&c),
    })
}

pub async fn record_fee(round_id: Uuid, appeal_id: Uuid, reference: &str) -> Result<(), AppError> {
    let c = caller(round_id, hr).await?;
    let reference = reference.trim();
    if reference.is_empty() {
        return Err(AppError::field("reference", Msg::ErrRequired));
    }
    if reference.chars().count() > 100 {
        return Err(AppError::field("reference", Msg::ErrTooLong));
    }
    let mut tx = pool()?.begin().await?;
    let Some(application_id) =
        repo::record_fee(&mut tx, round_id, appeal_id, reference, c.id(), now()).await?
    else {
        repo::appeals(&mut tx, round_id, Some(appeal_id))
            .await?
            .first()
            .ok_or(AppError::NotFound)?;
        return Err(AppError::field("reference", Msg::ErrAppealFeeRecorded));
    };
    tell(
        &mut tx,
        application_id,
        EventKind::AppealFeePaid,
        reference,
        Some(c.id()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives every paid appeal without re-markers a new code and two members of the appeal board
/// who neither marked the paper nor declared a relationship with its candidate (least loaded
/// first). All or nothing: refused when any appeal cannot get two.
pub async fn assign(round_id: Uuid) -> Result<usize, AppError> {
    let c = caller(round_id, hr_or_chair).await?;
    let mut tx = pool()?.begin().await?;
    repo::lock(&mut tx, round_id, None).await?;
    let waiting: Vec<AppealRecord> = repo::appeals(&mut tx, round_id, None)
        .await?
        .into_iter()
        .filter(|a| a.fee_reference.is_some() && a.code.is_none() && a.new_mark.is_none())
        .collect();
    if waiting.is_empty() {
        return Ok(0);
    }
    let board = repo::appeal_board(&mut tx, round_id).await?;
    let mut related = Vec::with_capacity(waiting.len());
    for a in &waiting {
        let excluded = repo::excluded(&mut tx, a.paper_id, a.application_id).await?;
        related.push(
            board
                .iter()
                .enumerate()
                .filter(|(_, m)| excluded.contains(&m.0))
                .map(|(i, _)| i)
                .collect::<Vec<_>>(),
        );
    }
    let shared = share_papers(Part::Written, board.len(), &related)
        .map_err(|_| AppError::field("assign", Msg::ErrAppealBoardTooSmall))?;
    let mut taken: HashSet<String> = repo::codes(&mut tx, round_id).await?.into_iter().collect();
    let at = now();
    for (a, markers) in waiting.iter().zip(shared) {
        let code = crate::scoring::service::random_code(&mut taken);
        let ids: Vec<Uuid> = markers.iter().map(|&i| board[i].0).collect();
        repo::assign(&mut tx, a.id, &code, &ids).await?;
        audit(
            &mut tx,
            c.id(),
            at,
            AuditEntry {
                round_id,
                paper_id: Some(a.paper_id),
                marker_id: None,
                action: "appeal_assigned",
                old: Some(a.original),
                new: None,
                reason: Some(&code),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(waiting.len())
}

fn paper(r: repo::RemarkRow) -> Result<AppealPaper, AppError> {
    let step = params(r.params)?.mark_step_hundredths;
    Ok(AppealPaper {
        round_id: r.round_id,
        round_name: r.round_name,
        code: r.code,
        position_code: r.position_code,
        scale: scale(r.max_score, step),
        mark: r.mark,
        version: r.version,
        answered: r.answered,
    })
}

/// A re-marker's papers: codes only, never the candidate, the first marks or the other re-mark.
/// (Any staff member of the marking page may ask; only assigned re-markers get papers.)
pub async fn my_papers() -> Result<Vec<AppealPaper>, AppError> {
    let user = require_role(&[Role::Marker, Role::BoardChair, Role::HrOfficer]).await?;
    let mut conn = pool()?.acquire().await?;
    repo::remark_rows(&mut conn, user.id, None)
        .await?
        .into_iter()
        .map(paper)
        .collect()
}

pub async fn save_remark(
    round_id: Uuid,
    code: &str,
    mark: &str,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    let user = require_role(&[Role::Marker, Role::BoardChair]).await?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    let code = normalise_code(code);
    let Some(row) = repo::remark_rows(&mut tx, user.id, Some((round_id, &code)))
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::field("code", Msg::ErrCodeNotOnSheet));
    };
    let appeal_id = row.appeal_id;
    repo::lock(&mut tx, round_id, Some(appeal_id)).await?;
    let row = paper(
        repo::remark_rows(&mut tx, user.id, Some((round_id, &code)))
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?,
    )?;
    if row.answered {
        return Err(AppError::field("mark", Msg::ErrAppealAnswered));
    }
    let value = Mark::parse(mark, row.scale).map_err(|m| AppError::field("mark", m))?;
    if version != row.version {
        return Ok(SaveOutcome::Conflict {
            current: row.mark,
            version: row.version,
        });
    }
    if row.mark == Some(value) {
        return Ok(SaveOutcome::Saved {
            mark: value,
            version,
        });
    }
    let at = now();
    let Some(new_version) =
        repo::write_remark(&mut tx, appeal_id, user.id, value, version, at).await?
    else {
        return Ok(SaveOutcome::Conflict {
            current: row.mark,
            version: row.version,
        });
    };
    let paper_id = sqlx::query_scalar!("select paper_id from appeals where id = $1", appeal_id)
        .fetch_one(&mut *tx)
        .await?;
    let entry = |action, old, new| AuditEntry {
        round_id,
        paper_id: Some(paper_id),
        marker_id: Some(user.id),
        action,
        old,
        new,
        reason: None,
    };
    audit(
        &mut tx,
        user.id,
        at,
        entry("appeal_marked", row.mark, Some(value)),
    )
    .await?;
    if let Some(old) = repo::withdraw_decision(&mut tx, appeal_id).await? {
        audit(
            &mut tx,
            user.id,
            at,
            entry("appeal_decision_withdrawn", Some(old), None),
        )
        .await?;
    }
    if let Some(old) = repo::withdraw_council(&mut tx, appeal_id).await? {
        audit(
            &mut tx,
            user.id,
            at,
            entry("appeal_council_withdrawn", Some(old), None),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(SaveOutcome::Saved {
        mark: value,
        version: new_version,
    })
}

/// Who decides an appeal's mark when the re-marking does not settle it.
#[derive(Clone, Copy)]
enum Decider {
    /// The chief (the round's chair): the re-marks are too far apart (Circular 22 Art 16).
    Chief,
    /// The council chair, after conferring with both chiefs, minuted: the re-mark is far
    /// from the published mark (Decree 170/2025 Art 18).
    Council,
}

/// The chair's mark for an appeal whose re-marks do not settle it, with the reason.
pub async fn decide(
    round_id: Uuid,
    appeal_id: Uuid,
    mark: &str,
    reason: &str,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    record_decision(round_id, appeal_id, Decider::Chief, mark, reason, version).await
}

/// The council chair's decision on a re-mark 5 points or more from the published mark, after
/// conferring with the marking and re-marking chiefs; `minutes` is the record of it (Decree
/// 170/2025 Art 18).
pub async fn minute(
    round_id: Uuid,
    appeal_id: Uuid,
    mark: &str,
    minutes: &str,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    record_decision(
        round_id,
        appeal_id,
        Decider::Council,
        mark,
        minutes,
        version,
    )
    .await
}

/// Writes a decision if it is still at `version` (otherwise the current one comes back as a
/// conflict), audited; the chief's decision withdraws a council decision built on the old one.
async fn record_decision(
    round_id: Uuid,
    appeal_id: Uuid,
    decider: Decider,
    mark: &str,
    text: &str,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    let c = caller(round_id, chair).await?;
    let text = text.trim();
    match decider {
        Decider::Chief if text.is_empty() || text.chars().count() > 500 => {
            return Err(AppError::field("reason", Msg::ErrReasonRequired));
        }
        Decider::Council if text.is_empty() => {
            return Err(AppError::field("minutes", Msg::ErrReasonRequired));
        }
        Decider::Council if text.chars().count() > 1000 => {
            return Err(AppError::field("minutes", Msg::ErrTooLong));
        }
        _ => {}
    }
    let view = round_view(round_id).await?;
    let row = view
        .appeals
        .iter()
        .find(|a| a.id == appeal_id)
        .ok_or(AppError::NotFound)?;
    let (allowed, refusal, given, given_version) = match decider {
        Decider::Chief => (
            row.chief_decides(),
            Msg::ErrNotToChair,
            &row.decision,
            row.decision_version,
        ),
        Decider::Council => (
            matches!(
                row.state,
                AppealState::ToCouncil { .. } | AppealState::Minuted(_)
            ),
            Msg::ErrNotToCouncil,
            &row.council,
            row.council_version,
        ),
    };
    if !allowed {
        return Err(AppError::field("mark", refusal));
    }
    let value = Mark::parse(mark, row.scale).map_err(|m| AppError::field("mark", m))?;
    let current = given.as_ref().map(|d| d.0);
    let conflict = SaveOutcome::Conflict {
        current,
        version: given_version,
    };
    if version != given_version {
        return Ok(conflict);
    }
    let mut tx = pool()?.begin().await?;
    let at = now();
    let written = match decider {
        Decider::Chief => {
            repo::write_decision(&mut tx, appeal_id, value, text, version, c.id(), at).await?
        }
        Decider::Council => {
            repo::write_council(&mut tx, appeal_id, value, text, version, c.id(), at).await?
        }
    };
    let Some(new_version) = written else {
        return Ok(conflict);
    };
    let paper_id = sqlx::query_scalar!("select paper_id from appeals where id = $1", appeal_id)
        .fetch_one(&mut *tx)
        .await?;
    let entry = |action, old, new, reason| AuditEntry {
        round_id,
        paper_id: Some(paper_id),
        marker_id: None,
        action,
        old,
        new,
        reason,
    };
    if let Decider::Chief = decider {
        if let Some(old) = repo::withdraw_council(&mut tx, appeal_id).await? {
            let withdrawn = entry("appeal_council_withdrawn", Some(old), None, None);
            audit(&mut tx, c.id(), at, withdrawn).await?;
        }
    }
    let action = match decider {
        Decider::Chief => "appeal_decided",
        Decider::Council => "appeal_council_decided",
    };
    audit(
        &mut tx,
        c.id(),
        at,
        entry(action, current, Some(value), Some(text)),
    )
    .await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved {
        mark: value,
        version: new_version,
    })
}

/// Gives an appeal whose two re-marks are 10 points or more apart a third re-marker (Circular
/// 22/2025 Art 16, applied to re-marking by Decree 170/2025 Art 18): the least-loaded member of
/// the appeal board who neither marked nor re-marked the paper nor is related to its candidate.
pub async fn third_remarker(round_id: Uuid, appeal_id: Uuid) -> Result<String, AppError> {
    let c = caller(round_id, chair).await?;
    let view = round_view(round_id).await?;
    let row = view
        .appeals
        .iter()
        .find(|a| a.id == appeal_id)
        .ok_or(AppError::NotFound)?;
    if !matches!(row.state, AppealState::NeedsThirdRemarker { .. }) {
        return Err(AppError::field("appeal", Msg::ErrNoThirdNeeded));
    }
    let mut tx = pool()?.begin().await?;
    repo::lock(&mut tx, round_id, Some(appeal_id)).await?;
    let a = repo::appeals(&mut tx, round_id, Some(appeal_id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let mut excluded = repo::excluded(&mut tx, a.paper_id, a.application_id).await?;
    excluded.extend(repo::remarkers(&mut tx, appeal_id).await?);
    let loads = repo::remark_loads(&mut tx, round_id).await?;
    let Some((marker, name)) = repo::appeal_board(&mut tx, round_id)
        .await?
        .into_iter()
        .filter(|m| !excluded.contains(&m.0))
        .min_by_key(|m| loads.get(&m.0).copied().unwrap_or(0))
    else {
        return Err(AppError::field("appeal", Msg::ErrAppealBoardTooSmall));
    };
    if !repo::add_third_remarker(&mut tx, appeal_id, marker).await? {
        return Err(AppError::field("appeal", Msg::ErrNoThirdNeeded));
    }
    let entry = AuditEntry {
        round_id,
        paper_id: Some(a.paper_id),
        marker_id: Some(marker),
        action: "appeal_third_assigned",
        old: None,
        new: None,
        reason: a.code.as_deref(),
    };
    audit(&mut tx, c.id(), now(), entry).await?;
    tx.commit().await?;
    Ok(name)
}

/// The chair answers every appeal whose result is known: the paper's mark becomes the
/// re-marking's (higher or lower), the stage-2 score is computed again with the position's
/// weights, the candidate is told, and any draft result computed before is dropped (it no
/// longer matches the scores). Returns how many were answered.
pub async fn answer(round_id: Uuid) -> Result<usize, AppError> {
    let c = caller(round_id, chair).await?;
    let pool = pool()?;
    let positions = crate::scoring::repo::positions(&pool, round_id).await?;
    let scales = crate::scoring::service::scales(&positions, c.params.mark_step_hundredths);
    let rule = c.params.remark_rule();
    let mut tx = pool.begin().await?;
    // The lock results are computed under: an answer waits for a computation running now and
    // then drops its draft, or the computation waits and reads the new scores.
    sqlx::query!("select id from rounds where id = $1 for update", round_id)
        .fetch_one(&mut *tx)
        .await?;
    repo::lock(&mut tx, round_id, None).await?;
    let at = now();
    let mut answered = 0;
    for a in repo::appeals(&mut tx, round_id, None).await? {
        let scale = scales
            .get(&a.position_id)
            .copied()
            .unwrap_or(Scale::new(100));
        let state = appeal_state(record(&a), scale, rule, a.original);
        let (true, Some(new_mark)) = (state.ready(), state.result()) else {
            continue;
        };
        let position = positions
            .iter()
            .find(|p| p.id == a.position_id)
            .ok_or(AppError::NotFound)?;
        let scores = repo::scores(&mut tx, a.application_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let format = crate::scoring::service::format_of(position);
        let new_score =
            stage2_score(format, Some(new_mark), scores.panel, scale).ok_or(AppError::NotFound)?;
        repo::answer(
            &mut tx,
            a.id,
            a.application_id,
            new_mark,
            new_score,
            c.id(),
            at,
        )
        .await?;
        let old = scores.written.unwrap_or(a.original);
        audit(
            &mut tx,
            c.id(),
            at,
            AuditEntry {
                round_id,
                paper_id: Some(a.paper_id),
                marker_id: None,
                action: "appeal_answered",
                old: Some(old),
                new: Some(new_mark),
                reason: Some(&format!("{} → {}", show(scores.score), show(new_score))),
            },
        )
        .await?;
        let text = both(
            Msg::AppealAnswerLine,
            &format!("{} → {}", show(old), show(new_mark)),
        );
        tell(
            &mut tx,
            a.application_id,
            EventKind::AppealAnswered,
            &text,
            Some(c.id()),
        )
        .await?;
        answered += 1;
    }
    if answered == 0 {
        return Err(AppError::field("answer", Msg::ErrAppealNothingToAnswer));
    }
    repo::drop_open_results(&mut tx, round_id).await?;
    tx.commit().await?;
    Ok(answered)
}

/// A round is finalised only once appeals are over: the filing window has closed, no paid
/// appeal waits for its answer, and every answer is in the published version (each answered
/// candidate's score there is their score now).
pub async fn may_finalise(conn: &mut PgConnection, round_id: Uuid) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"select rs.params, r.candidate_prefix
           from rounds r join rule_sets rs on rs.id = r.rule_set_id where r.id = $1"#,
        round_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let params = params(row.params)?;
    let open = last_filing_deadline(conn, round_id, &params)
        .await?
        .is_none_or(|deadline| now() <= deadline);
    if open {
        return Err(AppError::field("to", Msg::ErrFinaliseAppealWindow));
    }
    pending(conn, round_id, "to").await?;
    let answered = sqlx::query!(
        r#"select n.number, s.score
           from appeals a join candidate_numbers n on n.application_id = a.application_id
                join stage2_scores s on s.application_id = a.application_id
           where a.round_id = $1 and a.answered_at is not null"#,
        round_id
    )
    .fetch_all(&mut *conn)
    .await?;
    if answered.is_empty() {
        return Ok(());
    }
    let published = crate::results::service::published(round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_published = |number: &str| {
        published
            .snapshot
            .positions
            .iter()
            .flat_map(|p| p.candidates.iter())
            .find(|c| c.number == number)
            .and_then(|c| c.stage2)
    };
    let stale = answered.iter().any(|a| {
        let number = format_candidate_number(&row.candidate_prefix, a.number.max(0) as u32);
        in_published(&number) != Some(a.score.max(0) as u32)
    });
    if stale {
        return Err(AppError::field("to", Msg::ErrFinaliseRepublish));
    }
    Ok(())
}

/// Paid appeals not yet answered: computing, approving and publishing results wait for them.
pub async fn pending(conn: &mut PgConnection, round_id: Uuid, step: &str) -> Result<(), AppError> {
    if repo::pending(conn, round_id).await? > 0 {
        return Err(AppError::field(step, Msg::ErrAppealsPending));
    }
    Ok(())
}
