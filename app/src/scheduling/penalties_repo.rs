//! The penalties table: recorded in the room, decided by the chair, read by the ranking.

use crate::rounds::types::format_datetime_vn;
use crate::scheduling::allocation::format_candidate_number;
use crate::scheduling::penalties::{PenaltyDecision, PenaltyKind, PenaltyView};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// Records a penalty for a candidate seated in this session and room; false when they are
/// not seated there.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    conn: &mut PgConnection,
    session_id: Uuid,
    room_id: Uuid,
    application_id: Uuid,
    kind: PenaltyKind,
    report: &str,
    by: Uuid,
    at: time::OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into penalties (round_id, application_id, session_id, stage, kind, report,
                                recorded_by, recorded_at)
         select e.round_id, s.application_id, s.session_id, s.stage, $4, $5, $6, $7
         from seats s join exam_sessions e on e.id = s.session_id
         where s.session_id = $1 and s.room_id = $2 and s.application_id = $3",
        session_id,
        room_id,
        application_id,
        kind.as_str(),
        report,
        by,
        at
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every penalty of the round, oldest first.
pub async fn list(
    executor: impl PgExecutor<'_>,
    round_id: Uuid,
) -> Result<Vec<PenaltyView>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select p.id, n.number as "number?", r.candidate_prefix, a.full_name,
                  pos.code as position_code, p.stage, p.kind, p.report, u.full_name as recorder,
                  p.recorded_at, p.decision, p.decision_note
           from penalties p join applications a on a.id = p.application_id
                join rounds r on r.id = p.round_id
                join positions pos on pos.id = a.position_id
                join users u on u.id = p.recorded_by
                left join candidate_numbers n on n.application_id = a.id
           where p.round_id = $1 order by p.recorded_at, p.id"#,
        round_id
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(PenaltyView {
                id: r.id,
                candidate_number: r
                    .number
                    .map(|n| format_candidate_number(&r.candidate_prefix, n as u32))
                    .unwrap_or_default(),
                full_name: r.full_name,
                position_code: r.position_code,
                stage: r.stage,
                kind: PenaltyKind::parse(&r.kind)?,
                report: r.report,
                recorded_by: r.recorder,
                recorded_at: format_datetime_vn(r.recorded_at),
                decision: r.decision.as_deref().and_then(PenaltyDecision::parse),
                decision_note: r.decision_note,
            })
        })
        .collect())
}

/// The chair's decision, once: returns the candidate and the penalty's kind, or None when
/// the penalty is not this round's or was decided already.
pub async fn decide(
    conn: &mut PgConnection,
    round_id: Uuid,
    penalty_id: Uuid,
    decision: PenaltyDecision,
    note: Option<&str>,
    by: Uuid,
    at: time::OffsetDateTime,
) -> Result<Option<(Uuid, PenaltyKind)>, sqlx::Error> {
    let row = sqlx::query!(
        "update penalties set decision = $3, decision_note = $4, decided_by = $5, decided_at = $6
         where id = $2 and round_id = $1 and decision is null
         returning application_id, kind",
        round_id,
        penalty_id,
        decision.as_str(),
        note,
        by,
        at
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| Some((r.application_id, PenaltyKind::parse(&r.kind)?))))
}

pub async fn pending(conn: &mut PgConnection, round_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from penalties where round_id = $1 and decision is null"#,
        round_id
    )
    .fetch_one(conn)
    .await
}

/// Confirmed penalties of the round: (application, kind).
pub async fn confirmed(
    executor: impl PgExecutor<'_>,
    round_id: Uuid,
) -> Result<Vec<(Uuid, PenaltyKind)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select application_id, kind from penalties
         where round_id = $1 and decision = 'confirmed'",
        round_id
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.application_id, PenaltyKind::parse(&r.kind)?)))
        .collect())
}
