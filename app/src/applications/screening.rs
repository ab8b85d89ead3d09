//! HR's side of applications in PostgreSQL: the screening queue with its automatic checks,
//! decisions, fees and the rows of the exports. Authorisation is the caller's job.

use crate::applications::profile::ProfileForm;
use crate::applications::rules::{check_eligibility, ApplicantFacts, CheckResult, Requirements};
use crate::applications::types::*;
use crate::rounds::positions::DegreeLevel;
use crate::rounds::rules::RuleParams;
use crate::rounds::types::vietnam_date;
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// The queue's filter, as HR typed it.
pub struct Filter<'a> {
    pub position_id: Option<Uuid>,
    pub status: Option<ApplicationStatus>,
    pub query: &'a str,
}

/// The automatic checks for one application, from the profile it was submitted with, the
/// position's requirements and the round's rules, with age counted on the closing date.
pub fn checks_for(
    form: &serde_json::Value,
    min_degree: &str,
    majors: &[String],
    degree_scans: i64,
    params: &RuleParams,
    closes_at: OffsetDateTime,
) -> Vec<CheckResult> {
    let profile: ProfileForm = form
        .get("profile")
        .cloned()
        .and_then(|p| serde_json::from_value(p).ok())
        .unwrap_or_default();
    let on = vietnam_date(closes_at);
    let checked = profile.check(on).ok();
    let facts = ApplicantFacts {
        date_of_birth: checked.as_ref().map_or(on, |p| p.date_of_birth),
        highest_degree: checked.as_ref().map(|p| p.highest_degree),
        majors: checked.map(|p| p.majors).unwrap_or_default(),
        has_degree_scans: degree_scans > 0,
    };
    let requirements = Requirements {
        min_degree: DegreeLevel::parse(min_degree).unwrap_or(DegreeLevel::Bachelor),
        majors: majors.to_vec(),
    };
    check_eligibility(&facts, &requirements, params, on)
}

pub async fn round_params(
    pool: &PgPool,
    round_id: Uuid,
) -> Result<Option<RuleParams>, sqlx::Error> {
    let params = sqlx::query_scalar!(
        "select rs.params from rounds r join rule_sets rs on rs.id = r.rule_set_id where r.id = $1",
        round_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(params.and_then(|p| serde_json::from_value(p).ok()))
}

/// Candidates the fee tier counts: every application in the round not rejected.
pub async fn candidate_count(conn: &mut PgConnection, round_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from applications where round_id = $1 and status <> 'rejected'"#,
        round_id
    )
    .fetch_one(conn)
    .await
}

pub fn fee_due(params: &RuleParams, candidates: i64) -> u64 {
    params.fee_for(u32::try_from(candidates.max(1)).unwrap_or(u32::MAX))
}

pub async fn queue(
    pool: &PgPool,
    round_id: Uuid,
    filter: &Filter<'_>,
    params: &RuleParams,
) -> Result<(Vec<ScreeningRow>, i64), sqlx::Error> {
    let query = filter.query.trim();
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let receipt: String = query
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let rows = sqlx::query!(
        r#"select a.id, a.receipt_code, a.full_name, a.national_id, a.date_of_birth, a.status,
                  a.status_reason, a.fee_paid_at, a.submitted_at, a.form, r.closes_at,
                  p.code as position_code, p.min_degree, p.majors,
                  (select count(*) from application_documents d
                    where d.applicant_id = a.applicant_id and d.round_id = a.round_id
                      and d.kind = 'degree' and d.superseded_at is null) as "degree_scans!",
                  count(*) over () as "matching!"
           from applications a
           join positions p on p.id = a.position_id
           join rounds r on r.id = a.round_id
           where a.round_id = $1
             and ($2::uuid is null or a.position_id = $2)
             and ($3::text is null or a.status = $3)
             and ($4 = '' or a.full_name ilike '%' || $4 || '%'
                  or ($5 <> '' and a.national_id like $5 || '%')
                  or ($6 <> '' and replace(a.receipt_code, '-', '') like $6 || '%'))
           order by p.code, a.submitted_at
           limit $7"#,
        round_id,
        filter.position_id,
        filter.status.map(ApplicationStatus::as_str),
        query,
        digits,
        receipt,
        SCREENING_PAGE_SIZE
    )
    .fetch_all(pool)
    .await?;
    let matching = rows.first().map_or(0, |r| r.matching);
    Ok((
        rows.into_iter()
            .map(|r| ScreeningRow {
                checks: checks_for(
                    &r.form,
                    &r.min_degree,
                    &r.majors,
                    r.degree_scans,
                    params,
                    r.closes_at,
                ),
                id: r.id,
                receipt_code: r.receipt_code,
                full_name: r.full_name,
                national_id: r.national_id,
                date_of_birth: r.date_of_birth,
                position_code: r.position_code,
                status: ApplicationStatus::parse(&r.status).unwrap_or(ApplicationStatus::Submitted),
                status_reason: r.status_reason,
                fee_paid: r.fee_paid_at.is_some(),
                submitted_at: r.submitted_at,
            })
            .collect(),
        matching,
    ))
}

pub async fn status_counts(
    pool: &PgPool,
    round_id: Uuid,
) -> Result<(Vec<(ApplicationStatus, i64)>, i64), sqlx::Error> {
    let rows = sqlx::query!(
        r#"select status, count(*) as "n!", count(fee_paid_at) as "paid!"
           from applications where round_id = $1 group by status"#,
        round_id
    )
    .fetch_all(pool)
    .await?;
    let paid = rows.iter().map(|r| r.paid).sum();
    let counts = ApplicationStatus::ALL
        .into_iter()
        .map(|s| {
            let n = rows
                .iter()
                .find(|r| r.status == s.as_str())
                .map_or(0, |r| r.n);
            (s, n)
        })
        .collect();
    Ok((counts, paid))
}

pub async fn positions(pool: &PgPool, round_id: Uuid) -> Result<Vec<PositionOption>, sqlx::Error> {
    sqlx::query_as!(
        PositionOption,
        "select id, code, title from positions where round_id = $1 order by code",
        round_id
    )
    .fetch_all(pool)
    .await
}

/// Records HR's decision on applications of the round (others are ignored); returns the ids
/// changed. Each gets a timeline step and a notification.
pub async fn decide(
    conn: &mut PgConnection,
    round_id: Uuid,
    ids: &[Uuid],
    decision: Decision,
    reason: Option<&str>,
    fix_by: Option<OffsetDateTime>,
    actor: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let changed = sqlx::query_scalar!(
        "update applications set status = $3, status_reason = $4, fix_by = $5
         where round_id = $1 and id = any($2) returning id",
        round_id,
        ids,
        decision.status().as_str(),
        reason,
        fix_by
    )
    .fetch_all(&mut *conn)
    .await?;
    let kind = match decision {
        Decision::Eligible => EventKind::Eligible,
        Decision::NeedsCorrection => EventKind::NeedsCorrection,
        Decision::Rejected => EventKind::Rejected,
    };
    for id in &changed {
        super::repo::add_event(conn, *id, kind, reason, fix_by, Some(actor)).await?;
        super::repo::notify(conn, *id, kind, reason, fix_by).await?;
    }
    Ok(changed)
}

/// When the round moves to screening, every submitted application is under review.
pub async fn start_review(conn: &mut PgConnection, round_id: Uuid) -> Result<(), sqlx::Error> {
    let ids = sqlx::query_scalar!(
        "update applications set status = 'under_review'
         where round_id = $1 and status = 'submitted' returning id",
        round_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in ids {
        super::repo::add_event(conn, id, EventKind::UnderReview, None, None, None).await?;
        super::repo::notify(conn, id, EventKind::UnderReview, None, None).await?;
    }
    Ok(())
}

pub struct FeeTarget {
    pub id: Uuid,
    pub round_id: Uuid,
    pub receipt_code: String,
    pub full_name: String,
    pub status: String,
    pub paid: bool,
}

pub async fn fee_target(
    conn: &mut PgConnection,
    round_id: Uuid,
    id: Option<Uuid>,
    receipt_code: Option<&str>,
) -> Result<Option<FeeTarget>, sqlx::Error> {
    sqlx::query_as!(
        FeeTarget,
        r#"select id, round_id, receipt_code, full_name, status, fee_paid_at is not null as "paid!"
           from applications
           where round_id = $1 and ($2::uuid is null or id = $2)
             and ($3::text is null or receipt_code = $3)
             and ($2::uuid is not null or $3::text is not null)
           for update"#,
        round_id,
        id,
        receipt_code
    )
    .fetch_optional(conn)
    .await
}

/// The applications a bank statement's receipt codes name, locked, by receipt code: one query
/// for the whole statement.
pub async fn fee_targets(
    conn: &mut PgConnection,
    round_id: Uuid,
    receipt_codes: &[String],
) -> Result<std::collections::HashMap<String, FeeTarget>, sqlx::Error> {
    let rows = sqlx::query_as!(
        FeeTarget,
        r#"select id, round_id, receipt_code, full_name, status, fee_paid_at is not null as "paid!"
           from applications
           where round_id = $1 and receipt_code = any($2)
           order by id
           for update"#,
        round_id,
        receipt_codes
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|t| (t.receipt_code.clone(), t))
        .collect())
}

pub async fn record_fee(
    conn: &mut PgConnection,
    id: Uuid,
    amount: u64,
    reference: &str,
    at: OffsetDateTime,
    actor: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update applications set fee_amount = $2, fee_paid_at = $3, fee_reference = $4
         where id = $1 and fee_paid_at is null",
        id,
        amount as i64,
        at,
        reference
    )
    .execute(&mut *conn)
    .await?;
    super::repo::add_event(
        conn,
        id,
        EventKind::FeePaid,
        Some(reference),
        None,
        Some(actor),
    )
    .await?;
    super::repo::notify(conn, id, EventKind::FeePaid, None, None).await?;
    Ok(())
}

/// The applications of a round for the exports, with what the council's lists need.
pub struct ExportRow {
    pub receipt_code: String,
    pub full_name: String,
    pub date_of_birth: time::Date,
    pub national_id: String,
    pub position_code: String,
    pub position_title: String,
    pub units: Vec<String>,
    pub priority_code: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub fee_amount: Option<i64>,
    pub fee_paid_at: Option<OffsetDateTime>,
    pub submitted_at: OffsetDateTime,
    pub form: serde_json::Value,
}

pub async fn export_rows(
    pool: &PgPool,
    round_id: Uuid,
    position_id: Option<Uuid>,
    only_eligible: bool,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as!(
        ExportRow,
        r#"select a.receipt_code, a.full_name, a.date_of_birth, a.national_id,
                  p.code as position_code, p.title as position_title,
                  array(select u.name from unnest(a.preferences) with ordinality as pref(unit_id, n)
                        join units u on u.id = pref.unit_id order by pref.n) as "units!",
                  a.priority_code, a.status, a.status_reason, a.fee_amount, a.fee_paid_at,
                  a.submitted_at, a.form
           from applications a join positions p on p.id = a.position_id
           where a.round_id = $1 and ($2::uuid is null or a.position_id = $2)
             and (not $3 or a.status = 'eligible')
           order by p.code, a.full_name, a.submitted_at"#,
        round_id,
        position_id,
        only_eligible
    )
    .fetch_all(pool)
    .await
}
