//! Results' database code: what ranking reads (candidates with their stage scores, units and
//! quotas, the authority's tie decisions), and result versions from draft to published.

use sqlx::{PgConnection, PgPool};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A candidate as ranking reads them.
pub struct CandidateRow {
    pub id: Uuid,
    pub position_id: Uuid,
    pub number: i32,
    pub full_name: String,
    pub priority_code: String,
    /// Every category declared on Mẫu 01 (the highest counts).
    pub priority_codes: Vec<String>,
    pub preferences: Vec<Uuid>,
    pub stage1_passed: Option<bool>,
    /// The position has a stage-1 test (Decree 170/2025 Art 9: not every rank does).
    pub has_stage1_test: bool,
    pub stage2: Option<i32>,
    /// The final marks of the parts, on the position's scale.
    pub written: Option<i32>,
    pub panel: Option<i32>,
    pub excluded: bool,
}

/// Every candidate of the round who was given a candidate number (sat the exams).
pub async fn candidates(pool: &PgPool, round_id: Uuid) -> Result<Vec<CandidateRow>, sqlx::Error> {
    sqlx::query_as!(
        CandidateRow,
        r#"select a.id, a.position_id, n.number, a.full_name, a.priority_code, a.priority_codes,
                  a.preferences, r.passed as "stage1_passed?", s.score as "stage2?",
                  s.written as "written?", s.panel as "panel?",
                  p.stage1 = 'computer_test' as "has_stage1_test!",
                  exists (select 1 from attendance t
                          where t.application_id = a.id and t.status = 'violation') as "excluded!"
           from applications a join candidate_numbers n on n.application_id = a.id
                join positions p on p.id = a.position_id
                left join stage1_results r on r.application_id = a.id
                left join stage2_scores s on s.application_id = a.id
           where a.round_id = $1"#,
        round_id
    )
    .fetch_all(pool)
    .await
}

pub struct UnitRow {
    pub position_id: Uuid,
    pub unit_id: Uuid,
    pub code: String,
    pub name: String,
    pub quota: i32,
}

pub async fn units(pool: &PgPool, round_id: Uuid) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as!(
        UnitRow,
        "select pu.position_id, u.id as unit_id, u.code, u.name, pu.quota
         from position_units pu join units u on u.id = pu.unit_id
              join positions p on p.id = pu.position_id
         where p.round_id = $1 order by u.code",
        round_id
    )
    .fetch_all(pool)
    .await
}

pub struct DecisionRow {
    pub id: Uuid,
    pub position_id: Uuid,
    pub ordered: Vec<Uuid>,
    pub decided_by: String,
    pub decided_on: Date,
    pub document_ref: String,
}

/// The authority's decisions, oldest first (a later one for the same group replaces it).
pub async fn decisions(pool: &PgPool, round_id: Uuid) -> Result<Vec<DecisionRow>, sqlx::Error> {
    sqlx::query_as!(
        DecisionRow,
        "select id, position_id, ordered, decided_by, decided_on, document_ref
         from tie_decisions where round_id = $1 order by recorded_at, id",
        round_id
    )
    .fetch_all(pool)
    .await
}

pub struct NewDecision<'a> {
    pub round_id: Uuid,
    pub position_id: Uuid,
    pub ordered: &'a [Uuid],
    pub decided_by: &'a str,
    pub decided_on: Date,
    pub document_ref: &'a str,
}

pub async fn add_decision(
    pool: &PgPool,
    decision: &NewDecision<'_>,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into tie_decisions (round_id, position_id, ordered, decided_by, decided_on,
                                    document_ref, recorded_by, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        decision.round_id,
        decision.position_id,
        decision.ordered,
        decision.decided_by,
        decision.decided_on,
        decision.document_ref,
        by,
        at
    )
    .fetch_one(pool)
    .await
}

#[derive(Clone)]
pub struct VersionRow {
    pub id: Uuid,
    pub version: i32,
    pub status: String,
    pub digest: String,
    pub computed_at: OffsetDateTime,
    pub approved_at: Option<OffsetDateTime>,
    pub published_at: Option<OffsetDateTime>,
}

pub async fn versions(pool: &PgPool, round_id: Uuid) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as!(
        VersionRow,
        "select id, version, status, digest, computed_at, approved_at, published_at
         from result_versions where round_id = $1 order by version",
        round_id
    )
    .fetch_all(pool)
    .await
}

pub async fn canonical(pool: &PgPool, version_id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select canonical from result_versions where id = $1",
        version_id
    )
    .fetch_optional(pool)
    .await
}

/// The next version number: one after the last published.
pub async fn next_version(conn: &mut PgConnection, round_id: Uuid) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select coalesce(max(version), 0) + 1 as "next!" from result_versions
           where round_id = $1 and status in ('published', 'superseded')"#,
        round_id
    )
    .fetch_one(conn)
    .await
}

/// Replaces the round's draft (or approved, not yet published) version with a new draft.
#[allow(clippy::too_many_arguments)]
pub async fn save_draft(
    conn: &mut PgConnection,
    round_id: Uuid,
    version: i32,
    canonical: &str,
    digest: &str,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query!(
        "delete from result_versions where round_id = $1 and status in ('draft', 'approved')",
        round_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        "insert into result_versions (round_id, version, status, canonical, digest, computed_by,
                                      computed_at)
         values ($1, $2, 'draft', $3, $4, $5, $6) returning id",
        round_id,
        version,
        canonical,
        digest,
        by,
        at
    )
    .fetch_one(conn)
    .await
}

/// Approves exactly the draft the chair reviewed; false when it is no longer the draft.
pub async fn approve(
    pool: &PgPool,
    version_id: Uuid,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update result_versions set status = 'approved', approved_by = $2, approved_at = $3
         where id = $1 and status = 'draft'",
        version_id,
        by,
        at
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes the approved version (the earlier published one becomes superseded) and moves
/// the round to "published". False when that version is not the approved one.
pub async fn publish(
    conn: &mut PgConnection,
    round_id: Uuid,
    version_id: Uuid,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let approved = sqlx::query_scalar!(
        "select id from result_versions where id = $1 and round_id = $2 and status = 'approved'
         for update",
        version_id,
        round_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if approved.is_none() {
        return Ok(false);
    }
    sqlx::query!(
        "update result_versions set status = 'superseded'
         where round_id = $1 and status = 'published'",
        round_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update result_versions set status = 'published', published_by = $2, published_at = $3
         where id = $1",
        version_id,
        by,
        at
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update rounds set status = 'published' where id = $1",
        round_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// The published version of a round: (id, version, digest, published at).
pub async fn published(
    pool: &PgPool,
    round_id: Uuid,
) -> Result<Option<(Uuid, i32, String, OffsetDateTime)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, version, digest, published_at as "published_at!" from result_versions
           where round_id = $1 and status = 'published'"#,
        round_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.id, r.version, r.digest, r.published_at)))
}

/// The canonical text of a published (or superseded) version by number.
pub async fn published_canonical(
    pool: &PgPool,
    round_id: Uuid,
    version: i32,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select canonical from result_versions
         where round_id = $1 and version = $2 and status in ('published', 'superseded')",
        round_id,
        version
    )
    .fetch_optional(pool)
    .await
}

/// Applications of the round that get told the result: everyone given a candidate number.
pub async fn notified(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Vec<(Uuid, i32)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select a.id, n.number from applications a
              join candidate_numbers n on n.application_id = a.id
         where a.round_id = $1",
        round_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.number)).collect())
}

/// Every numbered candidate's personal lookup code, by candidate number as printed.
pub async fn lookup_codes(
    pool: &PgPool,
    round_id: Uuid,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    let rows = sqlx::query!(
        "select r.candidate_prefix, n.number, a.lookup_code
         from applications a join candidate_numbers n on n.application_id = a.id
              join rounds r on r.id = a.round_id
         where a.round_id = $1",
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let number = crate::scheduling::allocation::format_candidate_number(
                &r.candidate_prefix,
                r.number.max(0) as u32,
            );
            (number, r.lookup_code)
        })
        .collect())
}
