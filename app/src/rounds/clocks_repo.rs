//! When each step of a round happened, for its legal clocks (`clocks.rs`).

use crate::error::AppError;
use crate::rounds::clocks::Facts;
use crate::rounds::rules::RuleParams;
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn facts(conn: &mut PgConnection, round_id: Uuid) -> Result<Facts, AppError> {
    let r = sqlx::query!(
        r#"select r.closes_at, rs.params,
                  (select count(*) from applications a where a.round_id = r.id) as "applicants!",
                  (select count(*) from candidate_numbers n where n.round_id = r.id) as "candidates!",
                  (select min(s.published_at) from schedule_publications s where s.round_id = r.id)
                      as summoned,
                  exists (select 1 from positions p where p.round_id = r.id
                          and p.stage1 = 'computer_test') as "has_stage1!",
                  (select min(e.starts_at) from exam_sessions e where e.round_id = r.id and e.stage = 1)
                      as stage1_first,
                  (select min(e.starts_at) from exam_sessions e where e.round_id = r.id and e.stage = 2)
                      as stage2_first,
                  (select max(e.starts_at) from exam_sessions e where e.round_id = r.id and e.stage = 2)
                      as stage2_last,
                  (select max(sp.published_at) from score_publications sp where sp.round_id = r.id)
                      as scores_last,
                  not exists (select 1 from positions p
                              where p.round_id = r.id
                                and exists (select 1 from stage2_scores s
                                            join applications a on a.id = s.application_id
                                            where a.position_id = p.id)
                                and not exists (select 1 from score_publications sp
                                                where sp.position_id = p.id)) as "all_published!",
                  (select count(*) from appeals ap where ap.round_id = r.id
                   and ap.fee_recorded_at is not null and ap.answered_at is null) as "appeals_open!",
                  (select max(ap.answered_at) from appeals ap where ap.round_id = r.id) as last_answer,
                  (select min(v.computed_at) from result_versions v where v.round_id = r.id) as compiled,
                  (select min(v.approved_at) from result_versions v where v.round_id = r.id) as approved,
                  (select min(v.published_at) from result_versions v where v.round_id = r.id)
                      as winners,
                  (select max(l.published_at) from cancelled_lists l where l.round_id = r.id)
                      as cancelled_list,
                  greatest((select max(rc.recorded_at) from recognitions rc
                            where rc.round_id = r.id and rc.list_id is not null),
                           (select max(u.recorded_at) from unfilled_places u
                            where u.round_id = r.id)) as last_recognised,
                  exists (select 1 from cancelled_list_entries e join cancelled_lists l on l.id = e.list_id
                          where l.round_id = r.id
                            and not exists (select 1 from recognitions rc
                                            where rc.replaces = e.application_id)
                            and not exists (select 1 from unfilled_places u
                                            where u.application_id = e.application_id))
                      as "places_waiting!",
                  (select max(ap.recorded_at) from appointments ap where ap.round_id = r.id)
                      as last_appointment,
                  exists (select 1 from dossier_outcomes o
                          where o.round_id = r.id and o.outcome = 'complete'
                            and not exists (select 1 from appointments ap
                                            where ap.application_id = o.application_id))
                      as "appointments_waiting!",
                  (select max(ap.decided_on) from appointments ap where ap.round_id = r.id)
                      as last_decision,
                  (select max(ap.reporting_recorded_at) from appointments ap
                   where ap.round_id = r.id) as last_reporting,
                  exists (select 1 from appointments ap
                          where ap.round_id = r.id and ap.reporting_recorded_at is null)
                      as "reporting_waiting!"
           from rounds r join rule_sets rs on rs.id = r.rule_set_id where r.id = $1"#,
        round_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let params: RuleParams = serde_json::from_value(r.params).map_err(AppError::internal)?;
    let appealable = sqlx::query!(
        "select stage2_format, written_percent from positions where round_id = $1",
        round_id
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .any(|p| {
        crate::rounds::positions::Stage2Format::parse(
            &p.stage2_format,
            p.written_percent.and_then(|w| u8::try_from(w).ok()),
        )
        .is_ok_and(|f| f.allows_appeal())
    });
    let appeals_close =
        crate::appeals::service::last_filing_deadline(&mut *conn, round_id, &params).await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Facts {
        closes_at: Some(r.closes_at),
        applicants: count(r.applicants),
        candidates: count(r.candidates),
        summoned_at: r.summoned,
        has_stage1: r.has_stage1,
        stage1_first: r.stage1_first,
        stage2_first: r.stage2_first,
        stage2_last: r.stage2_last,
        scores_first: params.exam_scores_published_first,
        scores_published: r.scores_last.filter(|_| r.all_published),
        appealable,
        appeals_close,
        appeals_open: count(r.appeals_open),
        last_answer: r.last_answer,
        compiled: r.compiled,
        approved: r.approved,
        winners_published: r.winners,
        after_selection: params.after_selection,
        sequence: params.sequence,
        cancelled_list: r.cancelled_list,
        // Every freed place passed on: done at the last recognition after the last list.
        next_ranked: r
            .cancelled_list
            .filter(|_| !r.places_waiting)
            .map(|listed| r.last_recognised.map_or(listed, |at| at.max(listed))),
        appointed: r.last_appointment.filter(|_| !r.appointments_waiting),
        last_decision: r.last_decision,
        reported: r.last_reporting.filter(|_| !r.reporting_waiting),
    })
}
