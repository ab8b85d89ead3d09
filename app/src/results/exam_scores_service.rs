//! Publishing each position's exam scores (Decree 170/2025 Art 17) and what compiling results
//! waits for, behind the server functions: the list is fixed at publication with its SHA-256
//! digest, and every candidate on it is told their marks and the last day to appeal.

use crate::applications::types::EventKind;
use crate::calendar::Calendar;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::results::canonical::canonical;
use crate::results::exam_scores::*;
use crate::results::sequence::{self, Facts, PositionFacts, Sequence};
use crate::results::service::{caller, digest, round};
use crate::rounds::rules::RuleParams;
use crate::rounds::types::format_datetime_vn;
use crate::scheduling::allocation::format_candidate_number;
use crate::scoring::marks::Mark;
use crate::scoring::repo::{audit, AuditEntry};
use crate::server_support::{now, pool};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// A position with what the sequence needs about it.
struct PositionRow {
    id: Uuid,
    code: String,
    title: String,
    stage2_format: String,
    written_percent: Option<i16>,
    max_score: i16,
    scored: i64,
    published_at: Option<OffsetDateTime>,
    digest: Option<String>,
}

async fn positions(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Vec<PositionRow>, sqlx::Error> {
    sqlx::query_as!(
        PositionRow,
        r#"select p.id, p.code, p.title, p.stage2_format, p.written_percent, p.max_score,
                  (select count(*) from stage2_scores s join applications a on a.id = s.application_id
                   where a.position_id = p.id) as "scored!",
                  sp.published_at as "published_at?", sp.digest as "digest?"
           from positions p left join score_publications sp on sp.position_id = p.id
           where p.round_id = $1 order by p.code"#,
        round_id
    )
    .fetch_all(conn)
    .await
}

fn appealable(p: &PositionRow) -> bool {
    format_allows_appeal(&p.stage2_format, p.written_percent)
}

fn format_allows_appeal(format: &str, written_percent: Option<i16>) -> bool {
    crate::rounds::positions::Stage2Format::parse(
        format,
        written_percent.and_then(|w| u8::try_from(w).ok()),
    )
    .is_ok_and(|f| f.allows_appeal())
}

fn sequence_of(params: &RuleParams) -> Sequence {
    Sequence {
        scores_first: params.exam_scores_published_first,
        appeal_working_days: params.appeal_filing_working_days,
    }
}

/// Everything compiling depends on, read inside the caller's transaction.
pub async fn facts(conn: &mut PgConnection, round_id: Uuid) -> Result<Facts, AppError> {
    let decoded = sqlx::query_scalar!(
        r#"select exists (select 1 from marking_stages
                          where round_id = $1 and stage = 2 and decoded_at is not null) as "d!""#,
        round_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let positions = positions(&mut *conn, round_id).await?;
    Ok(Facts {
        decoded,
        positions: positions
            .iter()
            .map(|p| PositionFacts {
                code: p.code.clone(),
                scored: p.scored > 0,
                appealable: appealable(p),
                scores_published_at: p.published_at,
            })
            .collect(),
        appeals_open: crate::appeals::repo::pending(&mut *conn, round_id)
            .await?
            .max(0) as u32,
        penalties_pending: crate::scheduling::penalties_repo::pending(&mut *conn, round_id)
            .await?
            .max(0) as u32,
    })
}

/// Refused with the first step still open before compiling (Decree 170/2025 Art 17–18).
pub async fn may_compile(
    conn: &mut PgConnection,
    round_id: Uuid,
    params: &RuleParams,
    at: OffsetDateTime,
) -> Result<(), AppError> {
    let facts = facts(&mut *conn, round_id).await?;
    let calendar = crate::calendar::repo::load(&mut *conn).await?;
    match sequence::compile_waits_for(&facts, sequence_of(params), &calendar, at) {
        Some(wait) => Err(AppError::field("compute", wait.msg())),
        None => Ok(()),
    }
}

/// The last moment to appeal a position's scores published `at`; None when its test cannot be
/// appealed.
fn appeals_until(
    calendar: &Calendar,
    params: &RuleParams,
    appealable: bool,
    at: OffsetDateTime,
) -> Option<OffsetDateTime> {
    appealable.then(|| calendar.end_of_working_days(at, params.appeal_filing_working_days))
}

/// The panel on the results page: each position's scores and their appeal window.
pub async fn view(round_id: Uuid) -> Result<ExamScoresView, AppError> {
    let c = caller(round_id).await?;
    let pool = pool()?;
    let round = round(&pool, round_id).await?;
    let mut conn = pool.acquire().await?;
    let facts = facts(&mut conn, round_id).await?;
    let calendar = crate::calendar::repo::load(&mut *conn).await?;
    let at = now();
    let rows = positions(&mut conn, round_id).await?;
    Ok(ExamScoresView {
        round_id,
        scores_first: round.params.exam_scores_published_first,
        decoded: facts.decoded,
        positions: rows
            .iter()
            .map(|p| {
                let until = p
                    .published_at
                    .and_then(|at| appeals_until(&calendar, &round.params, appealable(p), at));
                PositionScores {
                    code: p.code.clone(),
                    title: p.title.clone(),
                    candidates: p.scored.max(0) as u32,
                    appealable: appealable(p),
                    published_at: p.published_at.map(format_datetime_vn),
                    digest: p.digest.clone(),
                    appeals_until: until.map(format_datetime_vn),
                    window_open: until.is_some_and(|u| at <= u),
                }
            })
            .collect(),
        is_hr: c.hr,
        waits_for: sequence::compile_waits_for(&facts, sequence_of(&round.params), &calendar, at)
            .map(|w| w.msg()),
    })
}

fn show(hundredths: u32) -> String {
    Mark::from_hundredths(hundredths).display(',')
}

/// HR publishes one position's exam scores: fixed from now on, every candidate told their
/// marks and, for a paper written test, the last moment to appeal. Returns how many were told.
pub async fn publish(round_id: Uuid, code: &str) -> Result<u32, AppError> {
    let c = caller(round_id).await?;
    if !c.hr {
        return Err(AppError::Forbidden);
    }
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    let told = publish_position(&mut tx, round_id, code, c.id, now()).await?;
    tx.commit().await?;
    Ok(told)
}

/// Publishes a position's exam scores at `at` as `actor` (the demo seed uses it too).
pub async fn publish_position(
    tx: &mut PgConnection,
    round_id: Uuid,
    code: &str,
    actor: Uuid,
    at: OffsetDateTime,
) -> Result<u32, AppError> {
    let round = round(&mut *tx, round_id).await?;
    if !round.params.exam_scores_published_first {
        return Err(AppError::field("position", Msg::ErrScoresNotInRules));
    }
    // The lock results are computed under: one publication or computation at a time.
    sqlx::query!("select id from rounds where id = $1 for update", round_id)
        .fetch_one(&mut *tx)
        .await?;
    let facts = facts(&mut *tx, round_id).await?;
    if !facts.decoded {
        return Err(AppError::field("position", Msg::ErrResultsNotDecoded));
    }
    let rows = positions(&mut *tx, round_id).await?;
    let position = rows
        .iter()
        .find(|p| p.code == code)
        .ok_or(AppError::NotFound)?;
    if position.published_at.is_some() {
        return Err(AppError::field("position", Msg::ErrScoresAlreadyPublished));
    }
    if position.scored == 0 {
        return Err(AppError::field("position", Msg::ErrNoScoresToPublish));
    }
    let scored = sqlx::query!(
        r#"select a.id, n.number, s.written, s.panel, s.score
           from stage2_scores s join applications a on a.id = s.application_id
                join candidate_numbers n on n.application_id = a.id
           where a.position_id = $1 order by n.number"#,
        position.id
    )
    .fetch_all(&mut *tx)
    .await?;
    let hundredths = |v: i32| v.max(0) as u32;
    let list = ScoreList {
        format: FORMAT.to_string(),
        round_id,
        round_name: round.name.clone(),
        authority: round.authority.clone(),
        position_code: position.code.clone(),
        position_title: position.title.clone(),
        published_at: at
            .to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        max_score: position.max_score.max(0) as u16,
        lines: scored
            .iter()
            .map(|s| ScoreLine {
                number: format_candidate_number(&round.prefix, s.number.max(0) as u32),
                written: s.written.map(hundredths),
                panel: s.panel.map(hundredths),
                score: hundredths(s.score),
            })
            .collect(),
    };
    let text = canonical(&list).map_err(AppError::internal)?;
    let sum = digest(&text);
    sqlx::query!(
        "insert into score_publications (position_id, round_id, published_by, published_at,
                                         canonical, digest)
         values ($1, $2, $3, $4, $5, $6)",
        position.id,
        round_id,
        actor,
        at,
        text,
        sum
    )
    .execute(&mut *tx)
    .await?;
    audit(
        &mut *tx,
        actor,
        at,
        AuditEntry {
            round_id,
            paper_id: None,
            marker_id: None,
            action: "scores_published",
            old: None,
            new: None,
            reason: Some(&format!("{} {sum}", position.code)),
        },
    )
    .await?;
    let calendar = crate::calendar::repo::load(&mut *tx).await?;
    let until = appeals_until(&calendar, &round.params, appealable(position), at);
    for s in &scored {
        let text = told(s.score, s.written, s.panel, position.max_score, until);
        crate::applications::repo::add_event(
            &mut *tx,
            s.id,
            EventKind::ScoresPublished,
            Some(&text),
            None,
            Some(actor),
        )
        .await?;
        crate::applications::repo::notify(
            &mut *tx,
            s.id,
            EventKind::ScoresPublished,
            Some(&text),
            None,
        )
        .await?;
    }
    Ok(scored.len() as u32)
}

/// What a candidate is told, in both languages: the score, the parts, the appeal deadline.
fn told(
    score: i32,
    written: Option<i32>,
    panel: Option<i32>,
    max: i16,
    until: Option<OffsetDateTime>,
) -> String {
    let line = |lang: Lang| {
        let mut text = format!(
            "{}: {}/100",
            lang.t(Msg::ExamScoresLine),
            show(score.max(0) as u32)
        );
        for (msg, part) in [(Msg::ColWrittenMark, written), (Msg::ColPanelMark, panel)] {
            if let Some(mark) = part {
                text.push_str(&format!(
                    "; {}: {}/{max}",
                    lang.t(msg),
                    show(mark.max(0) as u32)
                ));
            }
        }
        if let Some(until) = until {
            text.push_str(&format!(
                "; {}: {}",
                lang.t(Msg::ExamScoresAppealsUntil),
                format_datetime_vn(until)
            ));
        }
        text
    };
    format!("{} ({})", line(Lang::Vi), line(Lang::En))
}

/// A position's published list, for everyone (None before publication).
pub async fn published(round_id: Uuid, code: &str) -> Result<Option<PublicScores>, AppError> {
    let pool = pool()?;
    let row = sqlx::query!(
        r#"select sp.canonical, sp.digest, sp.published_at, rs.params, p.stage2_format,
                  p.written_percent
           from score_publications sp join positions p on p.id = sp.position_id
                join rounds r on r.id = sp.round_id join rule_sets rs on rs.id = r.rule_set_id
           where sp.round_id = $1 and p.code = $2"#,
        round_id,
        code
    )
    .fetch_optional(&pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let list: ScoreList = serde_json::from_str(&row.canonical).map_err(AppError::internal)?;
    let params: RuleParams = serde_json::from_value(row.params).map_err(AppError::internal)?;
    let calendar = crate::calendar::repo::load(&pool).await?;
    let appealable = format_allows_appeal(&row.stage2_format, row.written_percent);
    Ok(Some(PublicScores {
        appeals_until: appeals_until(&calendar, &params, appealable, row.published_at)
            .map(format_datetime_vn),
        list,
        digest: row.digest,
        published_at: format_datetime_vn(row.published_at),
    }))
}
