//! Scoring's database code: the board, assignments, stage-1 results, papers and their
//! markers, marks with version checks, clerks' double entry, the chair's decisions, locking,
//! decoding and the audit trail. No rule lives here: where a paper stands is decided by
//! `papers::paper_state` over what these functions read.

use crate::scoring::marks::Mark;
use crate::scoring::papers::Part;
use crate::scoring::types::*;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

fn mark(hundredths: i32) -> Mark {
    Mark::from_hundredths(hundredths.max(0) as u32)
}

fn hundredths(mark: Mark) -> i32 {
    mark.hundredths() as i32
}

/// One line of the audit trail.
pub struct AuditEntry<'a> {
    pub round_id: Uuid,
    pub paper_id: Option<Uuid>,
    pub marker_id: Option<Uuid>,
    pub action: &'a str,
    pub old: Option<Mark>,
    pub new: Option<Mark>,
    pub reason: Option<&'a str>,
}

pub async fn audit(
    conn: &mut PgConnection,
    actor: Uuid,
    at: OffsetDateTime,
    entry: AuditEntry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into mark_audit (round_id, paper_id, marker_id, action, old_mark, new_mark,
                                 reason, actor_id, at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        entry.round_id,
        entry.paper_id,
        entry.marker_id,
        entry.action,
        entry.old.map(hundredths),
        entry.new.map(hundredths),
        entry.reason,
        actor,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The duties `user_id` has on the round's board.
pub async fn duties(
    pool: &PgPool,
    round_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Duty>, sqlx::Error> {
    let rows = sqlx::query_scalar!(
        "select duty from board_members where round_id = $1 and user_id = $2",
        round_id,
        user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().filter_map(|d| Duty::parse(d)).collect())
}

pub struct RoundInfo {
    pub name: String,
    pub params: serde_json::Value,
    pub prefix: String,
}

pub async fn round_info(pool: &PgPool, round_id: Uuid) -> Result<Option<RoundInfo>, sqlx::Error> {
    sqlx::query_as!(
        RoundInfo,
        "select r.name, rs.params, r.candidate_prefix as prefix
         from rounds r join rule_sets rs on rs.id = r.rule_set_id where r.id = $1",
        round_id
    )
    .fetch_optional(pool)
    .await
}

pub async fn members(pool: &PgPool, round_id: Uuid) -> Result<Vec<BoardMember>, sqlx::Error> {
    let rows = sqlx::query!(
        "select b.user_id, u.full_name, u.email, b.duty
         from board_members b join users u on u.id = b.user_id
         where b.round_id = $1 order by b.duty, u.full_name",
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(BoardMember {
                user_id: r.user_id,
                full_name: r.full_name,
                email: r.email,
                duty: Duty::parse(&r.duty)?,
            })
        })
        .collect())
}

/// An active account by e-mail, with its roles.
pub async fn account_by_email(
    pool: &PgPool,
    email: &str,
) -> Result<Option<(Uuid, Vec<String>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select u.id, array(select role from user_roles r where r.user_id = u.id) as "roles!"
           from users u where u.email = $1 and u.disabled_at is null"#,
        email
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.id, r.roles)))
}

/// Adds a member; false when they already have that duty.
pub async fn add_member(
    pool: &PgPool,
    round_id: Uuid,
    user_id: Uuid,
    duty: Duty,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into board_members (round_id, user_id, duty, added_by) values ($1, $2, $3, $4)
         on conflict do nothing",
        round_id,
        user_id,
        duty.as_str(),
        by
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_member(
    pool: &PgPool,
    round_id: Uuid,
    user_id: Uuid,
    duty: Duty,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "delete from board_members where round_id = $1 and user_id = $2 and duty = $3",
        round_id,
        user_id,
        duty.as_str()
    )
    .execute(&mut *tx)
    .await?;
    if duty == Duty::Marker {
        sqlx::query!(
            "delete from marker_assignments where round_id = $1 and user_id = $2",
            round_id,
            user_id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

pub async fn assignments(pool: &PgPool, round_id: Uuid) -> Result<Vec<Assignment>, sqlx::Error> {
    let rows = sqlx::query!(
        "select a.user_id, u.full_name, a.position_id, p.code, a.part
         from marker_assignments a join users u on u.id = a.user_id
              join positions p on p.id = a.position_id
         where a.round_id = $1 order by p.code, a.part, u.full_name",
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Assignment {
                user_id: r.user_id,
                full_name: r.full_name,
                position_id: r.position_id,
                position_code: r.code,
                part: Part::parse(&r.part)?,
            })
        })
        .collect())
}

pub async fn add_assignment(
    pool: &PgPool,
    round_id: Uuid,
    user_id: Uuid,
    position_id: Uuid,
    part: Part,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into marker_assignments (round_id, user_id, position_id, part, added_by)
         select $1, $2, p.id, $4, $5 from positions p where p.id = $3 and p.round_id = $1
         on conflict do nothing",
        round_id,
        user_id,
        position_id,
        part.as_str(),
        by
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_assignment(
    pool: &PgPool,
    round_id: Uuid,
    user_id: Uuid,
    position_id: Uuid,
    part: Part,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from marker_assignments
         where round_id = $1 and user_id = $2 and position_id = $3 and part = $4",
        round_id,
        user_id,
        position_id,
        part.as_str()
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A position as marking needs it.
pub struct PositionRow {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub stage2_format: String,
    pub written_percent: Option<i16>,
    pub max_score: i16,
}

pub async fn positions(pool: &PgPool, round_id: Uuid) -> Result<Vec<PositionRow>, sqlx::Error> {
    sqlx::query_as!(
        PositionRow,
        "select id, code, title, stage2_format, written_percent, max_score
         from positions where round_id = $1 order by code",
        round_id
    )
    .fetch_all(pool)
    .await
}

pub struct StageRow {
    pub started_at: Option<OffsetDateTime>,
    pub locked_at: Option<OffsetDateTime>,
    pub decoded_at: Option<OffsetDateTime>,
}

pub async fn stage(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage: i16,
) -> Result<StageRow, sqlx::Error> {
    let row = sqlx::query_as!(
        StageRow,
        "select started_at, locked_at, decoded_at from marking_stages
         where round_id = $1 and stage = $2",
        round_id,
        stage
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.unwrap_or(StageRow {
        started_at: None,
        locked_at: None,
        decoded_at: None,
    }))
}

/// Locks the stage row for the rest of the transaction (so lock, start and entries queue up)
/// and returns it.
pub async fn stage_for_update(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage_no: i16,
) -> Result<StageRow, sqlx::Error> {
    sqlx::query!(
        "insert into marking_stages (round_id, stage) values ($1, $2) on conflict do nothing",
        round_id,
        stage_no
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_as!(
        StageRow,
        "select started_at, locked_at, decoded_at from marking_stages
         where round_id = $1 and stage = $2 for update",
        round_id,
        stage_no
    )
    .fetch_one(conn)
    .await
}

pub async fn set_stage_time(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage_no: i16,
    what: &str,
    at: OffsetDateTime,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    // `what` is one of three fixed column pairs, never user input.
    let sql = match what {
        "started" => "update marking_stages set started_at = coalesce(started_at, $3), started_by = coalesce(started_by, $4) where round_id = $1 and stage = $2",
        "locked" => "update marking_stages set locked_at = $3, locked_by = $4 where round_id = $1 and stage = $2",
        _ => "update marking_stages set decoded_at = $3, decoded_by = $4 where round_id = $1 and stage = $2",
    };
    sqlx::query(sql)
        .bind(round_id)
        .bind(stage_no)
        .bind(at)
        .bind(by)
        .execute(conn)
        .await?;
    Ok(())
}

/// A candidate of a stage as its attendance was recorded.
pub struct StageCandidate {
    pub application_id: Uuid,
    pub position_id: Uuid,
    pub number: Option<i32>,
    pub attendance: Option<String>,
}

/// Every candidate seated for the stage, with their candidate number and attendance mark.
pub async fn seated_candidates(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage_no: i16,
) -> Result<Vec<StageCandidate>, sqlx::Error> {
    sqlx::query_as!(
        StageCandidate,
        r#"select a.id as application_id, a.position_id, n.number as "number?",
                  t.status as "attendance?"
           from seats s join applications a on a.id = s.application_id
                left join candidate_numbers n on n.application_id = a.id
                left join attendance t on t.application_id = a.id and t.stage = s.stage
           where a.round_id = $1 and s.stage = $2"#,
        round_id,
        stage_no
    )
    .fetch_all(conn)
    .await
}

pub struct Stage1Row<'a> {
    pub application_id: Uuid,
    pub line: &'a crate::scoring::files::Stage1Line,
    pub passed: bool,
}

/// Writes the stage-1 results of a file (a candidate already in replaces their earlier row).
pub async fn save_stage1(
    conn: &mut PgConnection,
    round_id: Uuid,
    rows: &[Stage1Row<'_>],
    source: &str,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.application_id).collect();
    let questions: Vec<i16> = rows.iter().map(|r| r.line.questions as i16).collect();
    let correct: Vec<i16> = rows.iter().map(|r| r.line.correct as i16).collect();
    let lq: Vec<Option<i16>> = rows
        .iter()
        .map(|r| r.line.language.map(|l| l.0 as i16))
        .collect();
    let lc: Vec<Option<i16>> = rows
        .iter()
        .map(|r| r.line.language.map(|l| l.1 as i16))
        .collect();
    let exempt: Vec<bool> = rows.iter().map(|r| r.line.language_exempt).collect();
    let passed: Vec<bool> = rows.iter().map(|r| r.passed).collect();
    let sources: Vec<String> = rows
        .iter()
        .map(|r| format!("{source} #{}", r.line.row))
        .collect();
    sqlx::query!(
        "insert into stage1_results (application_id, round_id, questions, correct,
             language_questions, language_correct, language_exempt, passed, source,
             imported_by, imported_at)
         select t.id, $1, t.q, t.c, t.lq, t.lc, t.ex, t.p, t.src, $10, $11
         from unnest($2::uuid[], $3::int2[], $4::int2[], $5::int2[], $6::int2[], $7::bool[],
                     $8::bool[], $9::text[]) as t(id, q, c, lq, lc, ex, p, src)
         on conflict (application_id) do update set
             questions = excluded.questions, correct = excluded.correct,
             language_questions = excluded.language_questions,
             language_correct = excluded.language_correct,
             language_exempt = excluded.language_exempt, passed = excluded.passed,
             source = excluded.source, imported_by = excluded.imported_by,
             imported_at = excluded.imported_at",
        round_id,
        &ids,
        &questions,
        &correct,
        &lq as &[Option<i16>],
        &lc as &[Option<i16>],
        &exempt,
        &passed,
        &sources,
        by,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn stage1_counts(pool: &PgPool, round_id: Uuid) -> Result<(i64, i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select (select count(*) from stage1_results where round_id = $1) as "results!",
                  (select count(*) from stage1_results where round_id = $1 and passed) as "passed!",
                  (select count(*) from attendance t join applications a on a.id = t.application_id
                    where a.round_id = $1 and t.stage = 1 and t.status = 'present'
                      and not exists (select 1 from stage1_results r
                                      where r.application_id = a.id)) as "missing!""#,
        round_id
    )
    .fetch_one(pool)
    .await?;
    Ok((row.results, row.passed, row.missing))
}

/// Staff who declared a relationship with each candidate of the round.
pub async fn conflicts(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<HashMap<Uuid, Vec<Uuid>>, sqlx::Error> {
    let rows = sqlx::query!(
        "select application_id, staff_id from conflict_declarations where round_id = $1",
        round_id
    )
    .fetch_all(conn)
    .await?;
    let mut map: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for r in rows {
        map.entry(r.application_id).or_default().push(r.staff_id);
    }
    Ok(map)
}

/// Applications that already have a paper for `part`.
pub async fn papered(
    conn: &mut PgConnection,
    round_id: Uuid,
    part: Part,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select i.application_id from paper_identities i join papers p on p.id = i.paper_id
         where p.round_id = $1 and p.part = $2",
        round_id,
        part.as_str()
    )
    .fetch_all(conn)
    .await
}

pub async fn existing_codes(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select code from papers where round_id = $1", round_id)
        .fetch_all(conn)
        .await
}

/// A paper to create, with its markers in slot order.
pub struct NewPaper {
    pub application_id: Uuid,
    pub position_id: Uuid,
    pub part: Part,
    pub code: String,
    pub markers: Vec<Uuid>,
}

pub async fn create_papers(
    conn: &mut PgConnection,
    round_id: Uuid,
    papers: &[NewPaper],
) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = papers.iter().map(|_| Uuid::new_v4()).collect();
    let positions: Vec<Uuid> = papers.iter().map(|p| p.position_id).collect();
    let parts: Vec<String> = papers.iter().map(|p| p.part.as_str().to_string()).collect();
    let codes: Vec<String> = papers.iter().map(|p| p.code.clone()).collect();
    let applications: Vec<Uuid> = papers.iter().map(|p| p.application_id).collect();
    sqlx::query!(
        "insert into papers (id, round_id, position_id, part, code)
         select * from unnest($1::uuid[], array_fill($2::uuid, array[cardinality($1::uuid[])]),
                              $3::uuid[], $4::text[], $5::text[])",
        &ids,
        round_id,
        &positions,
        &parts,
        &codes
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into paper_identities (paper_id, part, application_id)
         select * from unnest($1::uuid[], $2::text[], $3::uuid[])",
        &ids,
        &parts,
        &applications
    )
    .execute(&mut *conn)
    .await?;
    let (mut paper_ids, mut markers, mut slots) = (Vec::new(), Vec::new(), Vec::new());
    for (id, paper) in ids.iter().zip(papers) {
        for (slot, marker) in paper.markers.iter().enumerate() {
            paper_ids.push(*id);
            markers.push(*marker);
            slots.push(slot as i16 + 1);
        }
    }
    sqlx::query!(
        "insert into paper_markers (paper_id, marker_id, slot)
         select * from unnest($1::uuid[], $2::uuid[], $3::int2[])",
        &paper_ids,
        &markers,
        &slots
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A paper with every assigned marker's mark (slot order) and the chair's decision.
pub struct PaperMarks {
    pub paper_id: Uuid,
    pub position_id: Uuid,
    pub position_code: String,
    pub part: Part,
    pub code: String,
    pub marks: Vec<(Uuid, Option<Mark>)>,
    pub chair: Option<(Mark, String, i32)>,
}

/// Every paper of the round (or one), with its marks: what progress, the chair's queue,
/// locking and decoding are computed from.
pub async fn paper_marks(
    conn: &mut PgConnection,
    round_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<PaperMarks>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select p.id, p.position_id, pos.code as position_code, p.part, p.code,
                  pm.marker_id, m.mark as "mark?", d.mark as "decision?",
                  d.reason as "reason?", d.version as "decision_version?"
           from papers p join positions pos on pos.id = p.position_id
                join paper_markers pm on pm.paper_id = p.id
                left join marks m on m.paper_id = p.id and m.marker_id = pm.marker_id
                left join chair_decisions d on d.paper_id = p.id
           where p.round_id = $1 and ($2::uuid is null or p.id = $2)
           order by pos.code, p.part, p.code, pm.slot"#,
        round_id,
        only
    )
    .fetch_all(conn)
    .await?;
    let mut papers: Vec<PaperMarks> = Vec::new();
    for r in rows {
        if papers.last().is_none_or(|p| p.paper_id != r.id) {
            papers.push(PaperMarks {
                paper_id: r.id,
                position_id: r.position_id,
                position_code: r.position_code,
                part: Part::parse(&r.part).unwrap_or(Part::Written),
                code: r.code,
                marks: Vec::new(),
                chair: r.decision.map(|d| {
                    (
                        mark(d),
                        r.reason.unwrap_or_default(),
                        r.decision_version.unwrap_or(1),
                    )
                }),
            });
        }
        if let Some(paper) = papers.last_mut() {
            paper.marks.push((r.marker_id, r.mark.map(mark)));
        }
    }
    Ok(papers)
}

/// Sheet marks the chair must settle: the two entries differ, or they agree and the mark
/// holds another value.
pub async fn mismatches(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Vec<Mismatch>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select p.id, p.code, pos.code as position_code, e1.marker_id, u.full_name,
                e1.mark as first, e2.mark as second, m.mark as "entered?"
         from sheet_entries e1
              join sheet_entries e2 on e2.paper_id = e1.paper_id
                   and e2.marker_id = e1.marker_id and e2.entry = 2
              join papers p on p.id = e1.paper_id
              join positions pos on pos.id = p.position_id
              join users u on u.id = e1.marker_id
              left join marks m on m.paper_id = e1.paper_id and m.marker_id = e1.marker_id
         where p.round_id = $1 and e1.entry = 1
           and (e1.mark <> e2.mark or m.mark <> e1.mark)
         order by pos.code, p.code, u.full_name"#,
        round_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Mismatch {
            paper_id: r.id,
            code: r.code,
            position_code: r.position_code,
            marker_id: r.marker_id,
            marker_name: r.full_name,
            first: mark(r.first),
            second: mark(r.second),
            entered: r.entered.map(mark),
        })
        .collect())
}

/// The sheets (position, part, marker) a user marks; or, for a clerk, every marker's sheet
/// in the rounds where they are a clerk.
pub async fn sheets(
    pool: &PgPool,
    user_id: Uuid,
    as_clerk: bool,
) -> Result<Vec<SheetRef>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.id as round_id, r.name as round_name, pos.id as position_id,
                  pos.code as position_code, pos.title as position_title, p.part,
                  pm.marker_id, u.full_name as marker_name,
                  count(*) as "papers!", count(m.mark) as "entered!"
           from paper_markers pm join papers p on p.id = pm.paper_id
                join rounds r on r.id = p.round_id
                join positions pos on pos.id = p.position_id
                join users u on u.id = pm.marker_id
                left join marks m on m.paper_id = pm.paper_id and m.marker_id = pm.marker_id
           where case when $2 then exists (select 1 from board_members b
                                           where b.round_id = r.id and b.user_id = $1
                                             and b.duty = 'clerk')
                      else pm.marker_id = $1 end
           group by r.id, r.name, pos.id, pos.code, pos.title, p.part, pm.marker_id, u.full_name
           order by r.name, pos.code, p.part, u.full_name"#,
        user_id,
        as_clerk
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SheetRef {
            round_id: r.round_id,
            round_name: r.round_name,
            position_id: r.position_id,
            position_code: r.position_code,
            position_title: r.position_title,
            part: Part::parse(&r.part).unwrap_or(Part::Written),
            marker_id: r.marker_id,
            marker_name: r.marker_name,
            papers: r.papers,
            entered: r.entered,
        })
        .collect())
}

pub async fn chaired_rounds(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select r.id, r.name from board_members b join rounds r on r.id = b.round_id
         where b.user_id = $1 and b.duty = 'chair' order by r.created_at desc",
        user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// The rows of one sheet: for the marker their marks, for a clerk their own entries (never
/// the other clerk's).
pub async fn sheet_rows(
    pool: &PgPool,
    position_id: Uuid,
    part: Part,
    marker_id: Uuid,
    clerk: Option<Uuid>,
) -> Result<Vec<SheetRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select p.code,
                  case when $4::uuid is null then m.mark else e.mark end as "mark?",
                  case when $4::uuid is null then m.version else e.version end as "version?"
           from paper_markers pm join papers p on p.id = pm.paper_id
                left join marks m on m.paper_id = pm.paper_id and m.marker_id = pm.marker_id
                left join sheet_entries e on e.paper_id = pm.paper_id
                     and e.marker_id = pm.marker_id and e.clerk_id = $4
           where p.position_id = $1 and p.part = $2 and pm.marker_id = $3
           order by p.code"#,
        position_id,
        part.as_str(),
        marker_id,
        clerk
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SheetRow {
            code: r.code,
            mark: r.mark.map(mark),
            version: r.version.unwrap_or(0),
        })
        .collect())
}

/// The paper behind a code on one marker's sheet.
pub struct SheetPaper {
    pub paper_id: Uuid,
    pub round_id: Uuid,
}

pub async fn paper_on_sheet(
    conn: &mut PgConnection,
    position_id: Uuid,
    part: Part,
    marker_id: Uuid,
    code: &str,
) -> Result<Option<SheetPaper>, sqlx::Error> {
    sqlx::query_as!(
        SheetPaper,
        "select p.id as paper_id, p.round_id from papers p
              join paper_markers pm on pm.paper_id = p.id and pm.marker_id = $3
         where p.position_id = $1 and p.part = $2 and p.code = $4",
        position_id,
        part.as_str(),
        marker_id,
        code
    )
    .fetch_optional(conn)
    .await
}

/// The current mark and version (0 when none), locking the row if there is one.
pub async fn current_mark(
    conn: &mut PgConnection,
    paper_id: Uuid,
    marker_id: Uuid,
) -> Result<(Option<Mark>, i32), sqlx::Error> {
    let row = sqlx::query!(
        "select mark, version from marks where paper_id = $1 and marker_id = $2 for update",
        paper_id,
        marker_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or((None, 0), |r| (Some(mark(r.mark)), r.version)))
}

/// Who last wrote the mark of (paper, marker) and its version, if there is one; the row is
/// locked until the transaction ends.
pub async fn mark_author(
    conn: &mut PgConnection,
    paper_id: Uuid,
    marker_id: Uuid,
) -> Result<Option<(Uuid, i32)>, sqlx::Error> {
    let row = sqlx::query!(
        "select entered_by, version from marks where paper_id = $1 and marker_id = $2
         for update",
        paper_id,
        marker_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.entered_by, r.version)))
}

/// The papers on one marker's sheet among `codes`: code → paper.
pub async fn papers_on_sheet(
    conn: &mut PgConnection,
    position_id: Uuid,
    part: Part,
    marker_id: Uuid,
    codes: &[String],
) -> Result<HashMap<String, Uuid>, sqlx::Error> {
    let rows: Vec<(String, Uuid)> = sqlx::query_as(
        "select p.code, p.id from papers p
              join paper_markers pm on pm.paper_id = p.id and pm.marker_id = $3
         where p.position_id = $1 and p.part = $2 and p.code = any($4)",
    )
    .bind(position_id)
    .bind(part.as_str())
    .bind(marker_id)
    .bind(codes)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// One marker's current marks of `papers`, rows locked: paper → mark.
pub async fn current_marks(
    conn: &mut PgConnection,
    marker_id: Uuid,
    papers: &[Uuid],
) -> Result<HashMap<Uuid, Mark>, sqlx::Error> {
    let rows: Vec<(Uuid, i32)> = sqlx::query_as(
        "select paper_id, mark from marks where marker_id = $1 and paper_id = any($2)
         for update",
    )
    .bind(marker_id)
    .bind(papers)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(p, m)| (p, mark(m))).collect())
}

/// Many first marks of one marker in one statement; how many were new (a mark someone saved
/// meanwhile is left alone and not counted).
pub async fn insert_marks(
    conn: &mut PgConnection,
    marker_id: Uuid,
    marks: &[(Uuid, Mark)],
    at: OffsetDateTime,
) -> Result<u64, sqlx::Error> {
    let (papers, values): (Vec<Uuid>, Vec<i32>) =
        marks.iter().map(|&(p, m)| (p, hundredths(m))).unzip();
    Ok(sqlx::query(
        "insert into marks (paper_id, marker_id, mark, entered_by, entered_at)
         select paper_id, $1, mark, $1, $2 from unnest($3::uuid[], $4::int[]) as u(paper_id, mark)
         on conflict do nothing",
    )
    .bind(marker_id)
    .bind(at)
    .bind(&papers)
    .bind(&values)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Changes many marks of one marker in one statement (their rows locked by `current_marks`),
/// each to the next version.
pub async fn update_marks(
    conn: &mut PgConnection,
    marker_id: Uuid,
    marks: &[(Uuid, Mark)],
    at: OffsetDateTime,
) -> Result<u64, sqlx::Error> {
    let (papers, values): (Vec<Uuid>, Vec<i32>) =
        marks.iter().map(|&(p, m)| (p, hundredths(m))).unzip();
    Ok(sqlx::query(
        "update marks m set mark = u.mark, version = m.version + 1, entered_by = $1,
                entered_at = $2
         from unnest($3::uuid[], $4::int[]) as u(paper_id, mark)
         where m.paper_id = u.paper_id and m.marker_id = $1",
    )
    .bind(marker_id)
    .bind(at)
    .bind(&papers)
    .bind(&values)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Many lines of the audit trail of one marker's marks in one statement: (paper, action, old,
/// new), all with the same reason, actor and time.
pub async fn audit_many(
    conn: &mut PgConnection,
    round_id: Uuid,
    marker_id: Uuid,
    lines: &[(Uuid, &str, Option<Mark>, Option<Mark>)],
    reason: Option<&str>,
    actor: Uuid,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let papers: Vec<Uuid> = lines.iter().map(|l| l.0).collect();
    let actions: Vec<&str> = lines.iter().map(|l| l.1).collect();
    let old: Vec<Option<i32>> = lines.iter().map(|l| l.2.map(hundredths)).collect();
    let new: Vec<Option<i32>> = lines.iter().map(|l| l.3.map(hundredths)).collect();
    sqlx::query(
        "insert into mark_audit (round_id, paper_id, marker_id, action, old_mark, new_mark,
                                 reason, actor_id, at)
         select $1, paper_id, $2, action, old_mark, new_mark, $3, $4, $5
         from unnest($6::uuid[], $7::text[], $8::int[], $9::int[])
              as u(paper_id, action, old_mark, new_mark)",
    )
    .bind(round_id)
    .bind(marker_id)
    .bind(reason)
    .bind(actor)
    .bind(at)
    .bind(&papers)
    .bind(&actions)
    .bind(&old)
    .bind(&new)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws the chair's decisions on `papers` (their marks changed): (paper, old mark).
pub async fn withdraw_decisions(
    conn: &mut PgConnection,
    papers: &[Uuid],
) -> Result<Vec<(Uuid, Mark)>, sqlx::Error> {
    let rows: Vec<(Uuid, i32)> = sqlx::query_as(
        "delete from chair_decisions where paper_id = any($1) returning paper_id, mark",
    )
    .bind(papers)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(p, m)| (p, mark(m))).collect())
}

/// Writes a mark if it is still at `expected` version (0: not entered yet). Returns the new
/// version, or None when someone else got there first.
pub async fn write_mark(
    conn: &mut PgConnection,
    paper_id: Uuid,
    marker_id: Uuid,
    value: Mark,
    expected: i32,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<Option<i32>, sqlx::Error> {
    if expected == 0 {
        sqlx::query_scalar!(
            "insert into marks (paper_id, marker_id, mark, entered_by, entered_at)
             values ($1, $2, $3, $4, $5) on conflict do nothing returning version",
            paper_id,
            marker_id,
            hundredths(value),
            by,
            at
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_scalar!(
            "update marks set mark = $3, version = version + 1, entered_by = $4, entered_at = $5
             where paper_id = $1 and marker_id = $2 and version = $6 returning version",
            paper_id,
            marker_id,
            hundredths(value),
            by,
            at,
            expected
        )
        .fetch_optional(conn)
        .await
    }
}

/// Withdraws the chair's decision on a paper (its marks changed); the old mark, if any.
pub async fn withdraw_decision(
    conn: &mut PgConnection,
    paper_id: Uuid,
) -> Result<Option<Mark>, sqlx::Error> {
    let old = sqlx::query_scalar!(
        "delete from chair_decisions where paper_id = $1 returning mark",
        paper_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(old.map(mark))
}

/// A clerk's entries of one mark: (entry number, clerk, mark, version).
pub async fn entries(
    conn: &mut PgConnection,
    paper_id: Uuid,
    marker_id: Uuid,
) -> Result<Vec<(i16, Uuid, Mark, i32)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select entry, clerk_id, mark, version from sheet_entries
         where paper_id = $1 and marker_id = $2 order by entry for update",
        paper_id,
        marker_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.entry, r.clerk_id, mark(r.mark), r.version))
        .collect())
}

/// Writes a clerk's entry at `expected` version (0: new). None when the version moved on.
#[allow(clippy::too_many_arguments)]
pub async fn write_entry(
    conn: &mut PgConnection,
    paper_id: Uuid,
    marker_id: Uuid,
    entry: i16,
    value: Mark,
    expected: i32,
    clerk: Uuid,
    at: OffsetDateTime,
) -> Result<Option<i32>, sqlx::Error> {
    if expected == 0 {
        sqlx::query_scalar!(
            "insert into sheet_entries (paper_id, marker_id, entry, mark, clerk_id, entered_at)
             values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning version",
            paper_id,
            marker_id,
            entry,
            hundredths(value),
            clerk,
            at
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_scalar!(
            "update sheet_entries set mark = $4, version = version + 1, entered_at = $6
             where paper_id = $1 and marker_id = $2 and entry = $3 and clerk_id = $5
               and version = $7 returning version",
            paper_id,
            marker_id,
            entry,
            hundredths(value),
            clerk,
            at,
            expected
        )
        .fetch_optional(conn)
        .await
    }
}

/// Sets both entries of a mismatched sheet mark to the resolved value.
pub async fn resolve_entries(
    conn: &mut PgConnection,
    paper_id: Uuid,
    marker_id: Uuid,
    value: Mark,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update sheet_entries set mark = $3, version = version + 1, entered_at = $4
         where paper_id = $1 and marker_id = $2",
        paper_id,
        marker_id,
        hundredths(value),
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The chair's decision on a paper at `expected` version (0: new). None when it moved on.
#[allow(clippy::too_many_arguments)]
pub async fn write_decision(
    conn: &mut PgConnection,
    paper_id: Uuid,
    value: Mark,
    reason: &str,
    expected: i32,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<Option<i32>, sqlx::Error> {
    if expected == 0 {
        sqlx::query_scalar!(
            "insert into chair_decisions (paper_id, mark, reason, decided_by, decided_at)
             values ($1, $2, $3, $4, $5) on conflict do nothing returning version",
            paper_id,
            hundredths(value),
            reason,
            by,
            at
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_scalar!(
            "update chair_decisions set mark = $2, reason = $3, decided_by = $4, decided_at = $5,
                    version = version + 1
             where paper_id = $1 and version = $6 returning version",
            paper_id,
            hundredths(value),
            reason,
            by,
            at,
            expected
        )
        .fetch_optional(conn)
        .await
    }
}

/// Who each paper belongs to, with the candidate number (decoding).
pub struct Identity {
    pub paper_id: Uuid,
    pub application_id: Uuid,
    pub number: Option<i32>,
    pub full_name: String,
}

pub async fn identities(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Vec<Identity>, sqlx::Error> {
    sqlx::query_as!(
        Identity,
        r#"select i.paper_id, i.application_id, n.number as "number?", a.full_name
           from paper_identities i join papers p on p.id = i.paper_id
                join applications a on a.id = i.application_id
                left join candidate_numbers n on n.application_id = a.id
           where p.round_id = $1"#,
        round_id
    )
    .fetch_all(conn)
    .await
}

pub struct ScoreRow {
    pub application_id: Uuid,
    pub written: Option<Mark>,
    pub panel: Option<Mark>,
    pub score: Mark,
}

pub async fn save_scores(
    conn: &mut PgConnection,
    round_id: Uuid,
    rows: &[ScoreRow],
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.application_id).collect();
    let written: Vec<Option<i32>> = rows.iter().map(|r| r.written.map(hundredths)).collect();
    let panel: Vec<Option<i32>> = rows.iter().map(|r| r.panel.map(hundredths)).collect();
    let score: Vec<i32> = rows.iter().map(|r| hundredths(r.score)).collect();
    sqlx::query!(
        "insert into stage2_scores (application_id, round_id, written, panel, score, decoded_at)
         select t.id, $1, t.w, t.p, t.s, $6
         from unnest($2::uuid[], $3::int4[], $4::int4[], $5::int4[]) as t(id, w, p, s)",
        round_id,
        &ids,
        &written as &[Option<i32>],
        &panel as &[Option<i32>],
        &score,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Decoded scores with names and codes, by position and candidate number.
pub async fn decoded(
    pool: &PgPool,
    round_id: Uuid,
) -> Result<Vec<(Option<i32>, DecodedRow)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select n.number as "number?", a.full_name, pos.code as position_code,
                  (select p.code from paper_identities i join papers p on p.id = i.paper_id
                   where i.application_id = a.id and i.part = 'written') as "written_code?",
                  s.written, s.panel, s.score
           from stage2_scores s join applications a on a.id = s.application_id
                join positions pos on pos.id = a.position_id
                left join candidate_numbers n on n.application_id = a.id
           where s.round_id = $1 order by pos.code, n.number"#,
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.number,
                DecodedRow {
                    candidate_number: String::new(),
                    full_name: r.full_name,
                    position_code: r.position_code,
                    written_code: r.written_code,
                    written: r.written.map(mark),
                    panel: r.panel.map(mark),
                    score: mark(r.score),
                },
            )
        })
        .collect())
}

/// The audit trail of one paper, oldest first.
pub async fn paper_audit(pool: &PgPool, paper_id: Uuid) -> Result<Vec<AuditRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.at, actor.full_name as actor, a.action, marker.full_name as "marker?",
                  a.old_mark, a.new_mark, a.reason
           from mark_audit a join users actor on actor.id = a.actor_id
                left join users marker on marker.id = a.marker_id
           where a.paper_id = $1 order by a.id"#,
        paper_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditRow {
            at: crate::rounds::types::format_datetime_vn(r.at),
            actor: r.actor,
            action: r.action,
            marker: r.marker,
            old_mark: r.old_mark.map(mark),
            new_mark: r.new_mark.map(mark),
            reason: r.reason,
        })
        .collect())
}

pub struct PaperHead {
    pub round_id: Uuid,
    pub code: String,
    pub position_code: String,
    pub part: String,
}

pub async fn paper_head(pool: &PgPool, paper_id: Uuid) -> Result<Option<PaperHead>, sqlx::Error> {
    sqlx::query_as!(
        PaperHead,
        "select p.round_id, p.code, pos.code as position_code, p.part
         from papers p join positions pos on pos.id = p.position_id where p.id = $1",
        paper_id
    )
    .fetch_optional(pool)
    .await
}

/// The paper of a round with this code (anonymous code or candidate number).
pub async fn paper_by_code(
    pool: &PgPool,
    round_id: Uuid,
    code: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from papers where round_id = $1 and code = $2 order by part limit 1",
        round_id,
        code
    )
    .fetch_optional(pool)
    .await
}

/// The candidate a paper belongs to, as "number · name" (after decoding only).
pub async fn paper_owner(
    pool: &PgPool,
    paper_id: Uuid,
) -> Result<Option<(Option<i32>, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select n.number as "number?", a.full_name
           from paper_identities i join applications a on a.id = i.application_id
                left join candidate_numbers n on n.application_id = a.id
           where i.paper_id = $1"#,
        paper_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.number, r.full_name)))
}

pub async fn marker_names(
    pool: &PgPool,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, sqlx::Error> {
    let rows = sqlx::query!("select id, full_name from users where id = any($1)", ids)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.full_name)).collect())
}

/// Who may mark `paper_id` third (Circular 22 Art 16): the written markers assigned to its
/// position, not already on the paper and not related to its candidate, with how many papers
/// each already marks in the round, least loaded first.
pub async fn third_marker_candidates(
    conn: &mut PgConnection,
    round_id: Uuid,
    paper_id: Uuid,
) -> Result<Vec<(Uuid, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.user_id,
                  (select count(*) from paper_markers pm join papers q on q.id = pm.paper_id
                    where pm.marker_id = a.user_id and q.round_id = $1) as "load!"
           from papers p
                join marker_assignments a on a.position_id = p.position_id and a.part = 'written'
                join paper_identities i on i.paper_id = p.id
           where p.id = $2 and p.round_id = $1
             and not exists (select 1 from paper_markers pm
                             where pm.paper_id = p.id and pm.marker_id = a.user_id)
             and not exists (select 1 from conflict_declarations c
                             where c.application_id = i.application_id
                               and c.staff_id = a.user_id)
           order by 2, a.user_id"#,
        round_id,
        paper_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.load)).collect())
}

/// Puts a third marker on a written paper (slot 3).
pub async fn add_third_marker(
    conn: &mut PgConnection,
    paper_id: Uuid,
    marker_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into paper_markers (paper_id, marker_id, slot) values ($1, $2, 3)",
        paper_id,
        marker_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
