//! Appeals' database code: filing, the fee, re-markers and their marks, the chair's
//! decision, the answer and what it changes in the stage-2 scores. No rule lives here: where an
//! appeal stands is decided by `rules::appeal_state` over what these functions read.

use crate::scoring::marks::Mark;
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

fn mark(hundredths: i32) -> Mark {
    Mark::from_hundredths(hundredths.max(0) as u32)
}

fn hundredths(mark: Mark) -> i32 {
    mark.hundredths() as i32
}

/// What filing needs to know about an application.
pub struct Filing {
    pub applicant_id: Uuid,
    pub round_id: Uuid,
    pub round_name: String,
    pub round_status: String,
    pub position_code: String,
    pub position_title: String,
    pub stage2_format: String,
    pub written_percent: Option<i16>,
    pub max_score: i16,
    pub params: serde_json::Value,
    /// When the round's results were first published (the result notice).
    pub first_published: Option<OffsetDateTime>,
    /// When the position's exam scores were published (the legal sequence's notice).
    pub scores_published: Option<OffsetDateTime>,
    pub written: Option<Mark>,
    pub written_paper: Option<Uuid>,
}

pub async fn filing(pool: &PgPool, application_id: Uuid) -> Result<Option<Filing>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select a.applicant_id, a.round_id, r.name as round_name, r.status as round_status,
                  pos.code, pos.title,
                  pos.stage2_format, pos.written_percent, pos.max_score, rs.params,
                  (select min(v.published_at) from result_versions v
                   where v.round_id = a.round_id and v.status in ('published', 'superseded'))
                      as first_published,
                  (select sp.published_at from score_publications sp
                   where sp.position_id = a.position_id) as "scores_published?",
                  s.written as "written?",
                  (select i.paper_id from paper_identities i
                   where i.application_id = a.id and i.part = 'written') as written_paper
           from applications a join rounds r on r.id = a.round_id
                join rule_sets rs on rs.id = r.rule_set_id
                join positions pos on pos.id = a.position_id
                left join stage2_scores s on s.application_id = a.id
           where a.id = $1"#,
        application_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Filing {
        applicant_id: r.applicant_id,
        round_id: r.round_id,
        round_name: r.round_name,
        round_status: r.round_status,
        position_code: r.code,
        position_title: r.title,
        stage2_format: r.stage2_format,
        written_percent: r.written_percent,
        max_score: r.max_score,
        params: r.params,
        first_published: r.first_published,
        scores_published: r.scores_published,
        written: r.written.map(mark),
        written_paper: r.written_paper,
    }))
}

/// One appeal with everything the pages show about it.
pub struct AppealRecord {
    pub id: Uuid,
    pub round_id: Uuid,
    pub application_id: Uuid,
    pub paper_id: Uuid,
    pub number: Option<i32>,
    pub full_name: String,
    pub position_id: Uuid,
    pub position_code: String,
    pub reason: Option<String>,
    pub original: Mark,
    pub fee_dong: i32,
    pub filed_at: OffsetDateTime,
    pub fee_reference: Option<String>,
    pub code: Option<String>,
    pub decision: Option<(Mark, String)>,
    pub decision_version: i32,
    pub council: Option<(Mark, String)>,
    pub council_version: i32,
    pub new_mark: Option<Mark>,
    pub answered_at: Option<OffsetDateTime>,
    /// (slot, re-marker's name, their mark), slot order.
    pub remarks: Vec<(i16, String, Option<Mark>)>,
}

/// Takes the round's appeals (or one of them) for update: one writer at a time.
pub async fn lock(
    conn: &mut PgConnection,
    round_id: Uuid,
    only: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "select id from appeals where round_id = $1 and ($2::uuid is null or id = $2)
         order by id for update",
        round_id,
        only
    )
    .fetch_all(conn)
    .await?;
    Ok(())
}

/// The appeals of a round (or one of them), oldest first.
pub async fn appeals(
    conn: &mut PgConnection,
    round_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<AppealRecord>, sqlx::Error> {
    let heads = sqlx::query!(
        r#"select ap.id, ap.round_id, ap.application_id, ap.paper_id, n.number as "number?",
                  a.full_name, pos.id as position_id, pos.code as position_code, ap.reason,
                  ap.original_mark, ap.fee_dong, ap.filed_at, ap.fee_reference, ap.code,
                  ap.decision_mark, ap.decision_reason, ap.decision_version, ap.new_mark,
                  ap.answered_at, ap.council_mark, ap.council_minutes, ap.council_version
           from appeals ap join applications a on a.id = ap.application_id
                join positions pos on pos.id = a.position_id
                left join candidate_numbers n on n.application_id = a.id
           where ap.round_id = $1 and ($2::uuid is null or ap.id = $2)
           order by ap.filed_at, ap.id"#,
        round_id,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let marks = sqlx::query!(
        r#"select am.appeal_id, am.slot, u.full_name, m.mark as "mark?"
           from appeal_markers am join appeals ap on ap.id = am.appeal_id
                join users u on u.id = am.marker_id
                left join appeal_marks m on m.appeal_id = am.appeal_id
                                         and m.marker_id = am.marker_id
           where ap.round_id = $1 and ($2::uuid is null or ap.id = $2)
           order by am.appeal_id, am.slot"#,
        round_id,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(heads
        .into_iter()
        .map(|h| AppealRecord {
            remarks: marks
                .iter()
                .filter(|m| m.appeal_id == h.id)
                .map(|m| (m.slot, m.full_name.clone(), m.mark.map(mark)))
                .collect(),
            id: h.id,
            round_id: h.round_id,
            application_id: h.application_id,
            paper_id: h.paper_id,
            number: h.number,
            full_name: h.full_name,
            position_id: h.position_id,
            position_code: h.position_code,
            reason: h.reason,
            original: mark(h.original_mark),
            fee_dong: h.fee_dong,
            filed_at: h.filed_at,
            fee_reference: h.fee_reference,
            code: h.code,
            decision: h
                .decision_mark
                .zip(h.decision_reason)
                .map(|(m, r)| (mark(m), r)),
            decision_version: h.decision_version,
            council: h
                .council_mark
                .zip(h.council_minutes)
                .map(|(m, r)| (mark(m), r)),
            council_version: h.council_version,
            new_mark: h.new_mark.map(mark),
            answered_at: h.answered_at,
        })
        .collect())
}

/// The appeal filed for an application, if any.
pub async fn appeal_of(
    pool: &PgPool,
    application_id: Uuid,
) -> Result<Option<(Uuid, Uuid)>, sqlx::Error> {
    let row = sqlx::query!(
        "select id, round_id from appeals where application_id = $1",
        application_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.id, r.round_id)))
}

pub struct NewAppeal<'a> {
    pub round_id: Uuid,
    pub application_id: Uuid,
    pub paper_id: Uuid,
    pub reason: Option<&'a str>,
    pub original: Mark,
    pub fee_dong: u32,
}

/// Files an appeal; false when one was already filed for the application. A free appeal
/// (fee 0) has its fee recorded at once.
pub async fn file(
    conn: &mut PgConnection,
    a: &NewAppeal<'_>,
    at: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let free = a.fee_dong == 0;
    let id = sqlx::query_scalar!(
        "insert into appeals (round_id, application_id, paper_id, reason, original_mark, fee_dong,
                              filed_at, fee_reference, fee_recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7::timestamptz, case when $8 then '0' end,
                 case when $8 then $7::timestamptz end)
         on conflict do nothing returning id",
        a.round_id,
        a.application_id,
        a.paper_id,
        a.reason,
        hundredths(a.original),
        a.fee_dong as i32,
        at,
        free
    )
    .fetch_optional(conn)
    .await?;
    Ok(id.is_some())
}

/// Records the fee; the application, or None when it was recorded already.
pub async fn record_fee(
    conn: &mut PgConnection,
    round_id: Uuid,
    appeal_id: Uuid,
    reference: &str,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "update appeals set fee_reference = $3, fee_recorded_by = $4, fee_recorded_at = $5
         where id = $1 and round_id = $2 and fee_recorded_at is null returning application_id",
        appeal_id,
        round_id,
        reference,
        by,
        at
    )
    .fetch_optional(conn)
    .await
}

/// Members of the round's appeal board who may re-mark (marker or board-chair role).
pub async fn appeal_board(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select u.id, u.full_name from board_members b join users u on u.id = b.user_id
         where b.round_id = $1 and b.duty = 'appeal'
           and exists (select 1 from user_roles r where r.user_id = u.id
                       and r.role in ('marker', 'board_chair'))
         order by u.full_name, u.id",
        round_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.full_name)).collect())
}

/// Who may not re-mark each paper: its first markers, the chair who decided its mark, and
/// staff related to its candidate.
pub async fn excluded(
    conn: &mut PgConnection,
    paper_id: Uuid,
    application_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select marker_id as "id!" from paper_markers where paper_id = $1
           union select decided_by from chair_decisions where paper_id = $1
           union select staff_id from conflict_declarations where application_id = $2"#,
        paper_id,
        application_id
    )
    .fetch_all(conn)
    .await
}

/// Every code in use in the round (marking papers and appeals), so a new one is unique.
pub async fn codes(conn: &mut PgConnection, round_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select code as "code!" from papers where round_id = $1
           union all select code from appeals where round_id = $1 and code is not null"#,
        round_id
    )
    .fetch_all(conn)
    .await
}

pub async fn assign(
    conn: &mut PgConnection,
    appeal_id: Uuid,
    code: &str,
    markers: &[Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update appeals set code = $2 where id = $1",
        appeal_id,
        code
    )
    .execute(&mut *conn)
    .await?;
    let slots: Vec<i16> = (1..=markers.len() as i16).collect();
    sqlx::query!(
        "insert into appeal_markers (appeal_id, marker_id, slot)
         select $1, m, s from unnest($2::uuid[], $3::int2[]) as t(m, s)",
        appeal_id,
        markers,
        &slots
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The re-markers already given an appeal.
pub async fn remarkers(conn: &mut PgConnection, appeal_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select marker_id from appeal_markers where appeal_id = $1",
        appeal_id
    )
    .fetch_all(conn)
    .await
}

/// How many appealed papers each re-marker of the round has.
pub async fn remark_loads(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<std::collections::HashMap<Uuid, i64>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select am.marker_id, count(*) as "n!" from appeal_markers am
           join appeals ap on ap.id = am.appeal_id where ap.round_id = $1 group by am.marker_id"#,
        round_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.marker_id, r.n)).collect())
}

/// Gives an appeal its third re-marker (slot 3).
pub async fn add_third_remarker(
    conn: &mut PgConnection,
    appeal_id: Uuid,
    marker_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "insert into appeal_markers (appeal_id, marker_id, slot) values ($1, $2, 3)
         on conflict do nothing",
        appeal_id,
        marker_id
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The re-marker's papers across rounds: code, position, maximum, step, their mark.
pub struct RemarkRow {
    pub appeal_id: Uuid,
    pub round_id: Uuid,
    pub round_name: String,
    pub code: String,
    pub position_code: String,
    pub max_score: i16,
    pub params: serde_json::Value,
    pub mark: Option<Mark>,
    pub version: i32,
    pub answered: bool,
}

pub async fn remark_rows(
    conn: &mut PgConnection,
    marker_id: Uuid,
    code: Option<(Uuid, &str)>,
) -> Result<Vec<RemarkRow>, sqlx::Error> {
    let (round, code) = code.map_or((None, None), |(r, c)| (Some(r), Some(c)));
    let rows = sqlx::query!(
        r#"select ap.id, ap.round_id, r.name as round_name, ap.code as "code!", pos.code as position_code,
                  pos.max_score, rs.params, m.mark as "mark?", m.version as "version?",
                  ap.answered_at is not null as "answered!"
           from appeal_markers am join appeals ap on ap.id = am.appeal_id
                join rounds r on r.id = ap.round_id join rule_sets rs on rs.id = r.rule_set_id
                join papers p on p.id = ap.paper_id join positions pos on pos.id = p.position_id
                left join appeal_marks m on m.appeal_id = am.appeal_id and m.marker_id = am.marker_id
           where am.marker_id = $1 and ($2::uuid is null or ap.round_id = $2)
             and ($3::text is null or ap.code = $3)
           order by r.name, ap.code"#,
        marker_id,
        round,
        code
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RemarkRow {
            appeal_id: r.id,
            round_id: r.round_id,
            round_name: r.round_name,
            code: r.code,
            position_code: r.position_code,
            max_score: r.max_score,
            params: r.params,
            mark: r.mark.map(mark),
            version: r.version.unwrap_or(0),
            answered: r.answered,
        })
        .collect())
}

/// Writes a re-mark if it is still at `expected` version (0: none yet); the new version, or
/// None when someone got there first.
pub async fn write_remark(
    conn: &mut PgConnection,
    appeal_id: Uuid,
    marker_id: Uuid,
    value: Mark,
    expected: i32,
    at: OffsetDateTime,
) -> Result<Option<i32>, sqlx::Error> {
    if expected == 0 {
        sqlx::query_scalar!(
            "insert into appeal_marks (appeal_id, marker_id, mark, entered_at)
             values ($1, $2, $3, $4) on conflict do nothing returning version",
            appeal_id,
            marker_id,
            hundredths(value),
            at
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_scalar!(
            "update appeal_marks set mark = $3, version = version + 1, entered_at = $4
             where appeal_id = $1 and marker_id = $2 and version = $5 returning version",
            appeal_id,
            marker_id,
            hundredths(value),
            at,
            expected
        )
        .fetch_optional(conn)
        .await
    }
}

/// Withdraws the chair's decision (a re-mark changed); the old mark, if there was one.
pub async fn withdraw_decision(
    conn: &mut PgConnection,
    appeal_id: Uuid,
) -> Result<Option<Mark>, sqlx::Error> {
    let old = sqlx::query_scalar!(
        r#"update appeals a set decision_mark = null, decision_reason = null,
                  decision_version = a.decision_version + 1
           from appeals before where a.id = $1 and before.id = a.id
                and before.decision_mark is not null
           returning before.decision_mark as "mark!""#,
        appeal_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(old.map(mark))
}

/// Withdraws the council chair's decision (a re-mark or the chief's decision changed); the
/// old mark, if there was one.
pub async fn withdraw_council(
    conn: &mut PgConnection,
    appeal_id: Uuid,
) -> Result<Option<Mark>, sqlx::Error> {
    let old = sqlx::query_scalar!(
        r#"update appeals a set council_mark = null, council_minutes = null,
                  council_version = a.council_version + 1
           from appeals before where a.id = $1 and before.id = a.id
                and before.council_mark is not null
           returning before.council_mark as "mark!""#,
        appeal_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(old.map(mark))
}

/// The council chair's minuted decision if it is still at `expected` version.
pub async fn write_council(
    conn: &mut PgConnection,
    appeal_id: Uuid,
    value: Mark,
    minutes: &str,
    expected: i32,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        "update appeals set council_mark = $2, council_minutes = $3,
                council_version = council_version + 1, council_by = $4, council_at = $5
         where id = $1 and council_version = $6 and answered_at is null
         returning council_version",
        appeal_id,
        hundredths(value),
        minutes,
        by,
        at,
        expected
    )
    .fetch_optional(conn)
    .await
}

/// The chair's decision if the decision is still at `expected` version.
pub async fn write_decision(
    conn: &mut PgConnection,
    appeal_id: Uuid,
    value: Mark,
    reason: &str,
    expected: i32,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        "update appeals set decision_mark = $2, decision_reason = $3,
                decision_version = decision_version + 1, decided_by = $4, decided_at = $5
         where id = $1 and decision_version = $6 and answered_at is null
         returning decision_version",
        appeal_id,
        hundredths(value),
        reason,
        by,
        at,
        expected
    )
    .fetch_optional(conn)
    .await
}

/// The candidate's stage-2 parts and the position's format, to score them again.
pub struct Scores {
    pub written: Option<Mark>,
    pub panel: Option<Mark>,
    pub score: Mark,
}

pub async fn scores(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<Option<Scores>, sqlx::Error> {
    let row = sqlx::query!(
        "select written, panel, score from stage2_scores where application_id = $1 for update",
        application_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Scores {
        written: r.written.map(mark),
        panel: r.panel.map(mark),
        score: mark(r.score),
    }))
}

/// Answers an appeal and applies its mark to the candidate's stage-2 score.
pub async fn answer(
    conn: &mut PgConnection,
    appeal_id: Uuid,
    application_id: Uuid,
    new_mark: Mark,
    new_score: Mark,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update appeals set new_mark = $2, answered_by = $3, answered_at = $4 where id = $1",
        appeal_id,
        hundredths(new_mark),
        by,
        at
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update stage2_scores set written = $2, score = $3 where application_id = $1",
        application_id,
        hundredths(new_mark),
        hundredths(new_score)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Appeals whose fee is recorded but which are not answered yet: results wait for them.
pub async fn pending(conn: &mut PgConnection, round_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from appeals
           where round_id = $1 and fee_recorded_at is not null and answered_at is null"#,
        round_id
    )
    .fetch_one(conn)
    .await
}

/// Drops a draft or approved result computed before an answer changed a score.
pub async fn drop_open_results(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "delete from result_versions where round_id = $1 and status in ('draft', 'approved')",
        round_id
    )
    .execute(conn)
    .await?
    .rows_affected())
}
