//! Round storage: rule sets, rounds, units, positions and each round's change log.

use crate::i18n::Msg;
use crate::rounds::plan::{Method, Plan, Rank, Stage1};
use crate::rounds::positions::{DegreeLevel, NewPosition, Stage2Format};
use crate::rounds::rules::RuleParams;
use crate::rounds::status::{RoundFacts, RoundStatus};
use crate::rounds::types::*;
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// The rule sets the portal ships with, by (code, version). Written once; never changed.
pub fn builtin_rule_sets() -> Vec<(&'static str, &'static str, &'static str, RuleParams)> {
    vec![
        (
            "ND170-2025-ND300-2026",
            "Nghị định 170/2025/NĐ-CP, sửa đổi bởi Nghị định 300/2026/NĐ-CP",
            "Nghị định số 170/2025/NĐ-CP của Chính phủ quy định về tuyển dụng, sử dụng và quản lý công chức, được sửa đổi, bổ sung bởi Nghị định số 300/2026/NĐ-CP (hiệu lực từ 01/8/2026)",
            RuleParams::decree_170_2025_as_amended(),
        ),
        (
            "ND170-2025",
            "Nghị định 170/2025/NĐ-CP",
            "Nghị định số 170/2025/NĐ-CP của Chính phủ quy định về tuyển dụng, sử dụng và quản lý công chức (hiệu lực từ 01/7/2025)",
            RuleParams::decree_170_2025(),
        ),
        (
            "ND138-2020",
            "Nghị định 138/2020/NĐ-CP",
            "Nghị định số 138/2020/NĐ-CP của Chính phủ quy định về tuyển dụng, sử dụng và quản lý công chức (hết hiệu lực từ 01/7/2025)",
            RuleParams::decree_138_2020(),
        ),
    ]
}

pub async fn ensure_builtin_rule_sets(pool: &PgPool) -> Result<(), sqlx::Error> {
    for (code, name, legal_basis, params) in builtin_rule_sets() {
        sqlx::query!(
            r#"insert into rule_sets (code, version, name, legal_basis, params)
               values ($1, 1, $2, $3, $4)
               on conflict (code, version) do nothing"#,
            code,
            name,
            legal_basis,
            Json(params) as _,
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}

pub async fn list_rule_sets(pool: &PgPool) -> Result<Vec<RuleSetSummary>, sqlx::Error> {
    sqlx::query_as!(
        RuleSetSummary,
        r#"select id, code, version, name, legal_basis from rule_sets
           order by code desc, version desc"#
    )
    .fetch_all(pool)
    .await
}

/// A rule-set version about to be saved, and where it came from.
pub struct RuleSetDraft<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub legal_basis: &'a str,
    pub params: &'a RuleParams,
    pub based_on: Uuid,
    pub reason: Option<&'a str>,
}

/// Saves the draft as the next version of its rule set; returns the new version's id and
/// number. Two people saving at once cannot both get the same number (unique key).
pub async fn insert_rule_set_version(
    pool: &PgPool,
    draft: RuleSetDraft<'_>,
    actor: Uuid,
) -> Result<(Uuid, i32), sqlx::Error> {
    let RuleSetDraft {
        code,
        name,
        legal_basis,
        params,
        based_on,
        reason,
    } = draft;
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"insert into rule_sets (code, version, name, legal_basis, params, created_by)
           select $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5
           from rule_sets where code = $1
           returning id, version"#,
        code,
        name,
        legal_basis,
        Json(params) as _,
        actor,
    )
    .fetch_one(&mut *tx)
    .await?;
    crate::accounts::repo::audit(
        &mut *tx,
        Some(actor),
        "rule_set.version_created",
        Some(row.id),
        serde_json::json!({ "code": code, "version": row.version, "based_on": based_on, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok((row.id, row.version))
}

pub async fn rule_set(pool: &PgPool, id: Uuid) -> Result<Option<RuleSetView>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, code, version, name, legal_basis, params as "params: Json<RuleParams>"
           from rule_sets where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| RuleSetView {
        summary: RuleSetSummary {
            id: r.id,
            code: r.code,
            version: r.version,
            name: r.name,
            legal_basis: r.legal_basis,
        },
        params: r.params.0,
    }))
}

pub async fn insert_round(
    conn: &mut PgConnection,
    round: &NewRound,
    rule_set_id: Uuid,
    actor: Uuid,
) -> Result<Uuid, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id,
                               stage1_foreign_language, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id"#,
        round.name,
        round.authority,
        round.notice,
        round.opens_at,
        round.closes_at,
        rule_set_id,
        round.stage1_foreign_language,
        actor,
    )
    .fetch_one(&mut *conn)
    .await?;
    audit(
        conn,
        actor,
        id,
        RoundChange::new("round.created", round.name.clone()),
    )
    .await?;
    Ok(id)
}

/// The editable details of a round and the rules it runs under.
pub async fn round_details(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Option<(NewRound, RuleParams)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select r.name, r.authority, r.notice, r.opens_at, r.closes_at,
                  r.stage1_foreign_language, s.params as "params: Json<RuleParams>"
           from rounds r join rule_sets s on s.id = r.rule_set_id
           where r.id = $1"#,
        round_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| {
        (
            NewRound {
                name: r.name,
                authority: r.authority,
                notice: r.notice,
                opens_at: r.opens_at,
                closes_at: r.closes_at,
                stage1_foreign_language: r.stage1_foreign_language,
            },
            r.params.0,
        )
    }))
}

pub async fn update_round(
    conn: &mut PgConnection,
    round_id: Uuid,
    round: &NewRound,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"update rounds set name = $2, authority = $3, notice = $4, opens_at = $5,
                  closes_at = $6, stage1_foreign_language = $7
           where id = $1"#,
        round_id,
        round.name,
        round.authority,
        round.notice,
        round.opens_at,
        round.closes_at,
        round.stage1_foreign_language,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Rounds with their counts (all, or only `only`); drafts only when `include_drafts`.
/// Rounds accepting applications now come first, then the newest.
pub async fn round_summaries(
    pool: &PgPool,
    include_drafts: bool,
    only: Option<Uuid>,
) -> Result<Vec<RoundSummary>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.id, r.name, r.authority, r.status, r.opens_at, r.closes_at,
             (select count(*) from positions p where p.round_id = r.id) as "position_count!",
             (select coalesce(sum(pu.quota), 0) from positions p
                join position_units pu on pu.position_id = p.id
               where p.round_id = r.id) as "total_quota!",
             (select count(*) from applications a
               where a.round_id = r.id) as "applications!"
           from rounds r
           where ($1 or r.status <> 'draft') and ($2::uuid is null or r.id = $2)
           order by (r.status = 'open' and now() >= r.opens_at and now() < r.closes_at) desc,
                    r.opens_at desc
           limit 200"#,
        include_drafts,
        only
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoundSummary {
            id: r.id,
            name: r.name,
            authority: r.authority,
            status: RoundStatus::from_name(&r.status).unwrap_or(RoundStatus::Draft),
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            position_count: r.position_count,
            total_quota: r.total_quota,
            applications: r.applications,
        })
        .collect())
}

/// Whether the round's rule set derives each position's tests from its rank and method.
pub async fn tests_by_rank(conn: &mut PgConnection, round_id: Uuid) -> Result<bool, sqlx::Error> {
    let stored = sqlx::query_scalar!(
        r#"select rs.params as "params: Json<RuleParams>"
           from rounds r join rule_sets rs on rs.id = r.rule_set_id where r.id = $1"#,
        round_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(stored.is_some_and(|p| p.0.tests_by_rank))
}

/// A position's stored rank and method (none under the earlier rule sets).
pub fn stored_plan(rank: Option<&str>, method: Option<&str>, group: Option<&str>) -> Option<Plan> {
    Some(Plan {
        rank: Rank::parse(rank?)?,
        method: Method::from_stored(method?, group)?,
    })
}

pub fn stored_stage1(stored: &str) -> Stage1 {
    match stored {
        "none" => Stage1::None,
        "conditions_check" => Stage1::ConditionsCheck,
        _ => Stage1::ComputerTest,
    }
}

pub async fn positions(pool: &PgPool, round_id: Uuid) -> Result<Vec<PositionView>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select p.id, p.code, p.title, p.min_degree, p.majors, p.other_conditions,
                  p.stage2_format, p.written_percent, p.max_score,
                  p.rank, p.method, p.review_group, p.stage1, p.ethnic_minority_only,
                  (select count(*) from applications a
                    where a.position_id = p.id) as "applications!"
           from positions p where p.round_id = $1 order by p.code"#,
        round_id
    )
    .fetch_all(pool)
    .await?;
    let units = sqlx::query!(
        r#"select pu.position_id, u.id as unit_id, u.code, u.name, pu.quota
           from position_units pu
           join positions p on p.id = pu.position_id
           join units u on u.id = pu.unit_id
           where p.round_id = $1 order by u.code"#,
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PositionView {
            units: units
                .iter()
                .filter(|u| u.position_id == r.id)
                .map(|u| UnitQuotaView {
                    unit_id: u.unit_id,
                    unit_code: u.code.clone(),
                    unit_name: u.name.clone(),
                    quota: u.quota,
                })
                .collect(),
            id: r.id,
            code: r.code,
            title: r.title,
            min_degree: DegreeLevel::parse(&r.min_degree).unwrap_or(DegreeLevel::Bachelor),
            majors: r.majors,
            other_conditions: r.other_conditions,
            stage2: Stage2Format::parse(&r.stage2_format, r.written_percent.map(|w| w as u8))
                .unwrap_or(Stage2Format::Interview),
            max_score: r.max_score,
            applications: r.applications,
            plan: stored_plan(
                r.rank.as_deref(),
                r.method.as_deref(),
                r.review_group.as_deref(),
            ),
            stage1: stored_stage1(&r.stage1),
            ethnic_minority_only: r.ethnic_minority_only,
        })
        .collect())
}

/// The notice of one round; a draft only when `include_drafts`.
pub async fn round_notice(
    pool: &PgPool,
    id: Uuid,
    include_drafts: bool,
) -> Result<Option<RoundNotice>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"select notice, stage1_foreign_language, rule_set_id, now() as "now!"
           from rounds where id = $1 and ($2 or status <> 'draft')"#,
        id,
        include_drafts
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let round = round_summaries(pool, true, Some(id)).await?.pop();
    let (Some(round), Some(rule_set)) = (round, rule_set(pool, row.rule_set_id).await?) else {
        return Ok(None);
    };
    let change = sqlx::query!(
        "select changed_at, decided_by, document_ref, decided_on from notice_changes
         where round_id = $1",
        id
    )
    .fetch_optional(pool)
    .await?
    .map(|c| crate::rounds::notice_change::NoticeChange {
        changed_at: c.changed_at,
        decided_by: c.decided_by,
        document_ref: c.document_ref,
        decided_on: crate::rounds::types::format_date_vn(c.decided_on),
    });
    Ok(Some(RoundNotice {
        round,
        notice: row.notice,
        stage1_foreign_language: row.stage1_foreign_language,
        rule_set,
        positions: positions(pool, id).await?,
        now: row.now,
        change,
    }))
}

/// Whether the round's notice was changed already, and its opening session (the first exam
/// session), for the one change Decree 170/2025 Art 15 allows.
pub async fn notice_change_facts(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<(bool, Option<OffsetDateTime>), sqlx::Error> {
    let row = sqlx::query!(
        r#"select exists (select 1 from notice_changes where round_id = $1) as "changed!",
                  (select min(starts_at) from exam_sessions where round_id = $1) as opening"#,
        round_id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.changed, row.opening))
}

pub struct NoticeChangeRecord<'a> {
    pub decided_by: &'a str,
    pub document_ref: &'a str,
    pub decided_on: time::Date,
    pub notice_before: &'a str,
    pub notice_after: &'a str,
    pub closes_before: OffsetDateTime,
    pub closes_after: OffsetDateTime,
}

pub async fn record_notice_change(
    conn: &mut PgConnection,
    round_id: Uuid,
    c: &NoticeChangeRecord<'_>,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into notice_changes (round_id, decided_by, document_ref, decided_on, notice_before,
                                     notice_after, closes_before, closes_after, recorded_by,
                                     changed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        round_id,
        c.decided_by,
        c.document_ref,
        c.decided_on,
        c.notice_before,
        c.notice_after,
        c.closes_before,
        c.closes_after,
        by,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn round_audit(pool: &PgPool, round_id: Uuid) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.at, u.full_name as "actor?", a.action, a.details
           from audit_events a left join users u on u.id = a.actor_id
           where a.subject_id = $1 order by a.at desc, a.id desc limit 500"#,
        round_id
    )
    .fetch_all(pool)
    .await?;
    let text =
        |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_string);
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            at: r.at,
            actor: r.actor,
            subject: text(&r.details, "subject").unwrap_or_default(),
            from: text(&r.details, "from"),
            to: text(&r.details, "to"),
            reason: text(&r.details, "reason"),
            action: r.action,
        })
        .collect())
}

/// Locks the round for a change and reads what a change depends on.
pub async fn lock_round(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Option<RoundFacts>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"select status, opens_at, closes_at, now() as "now!"
           from rounds where id = $1 for update"#,
        round_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let position_count = sqlx::query_scalar!(
        r#"select count(*) as "n!" from positions where round_id = $1"#,
        round_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(RoundFacts {
        status: RoundStatus::from_name(&row.status).unwrap_or(RoundStatus::Draft),
        position_count,
        opens_at: row.opens_at,
        closes_at: row.closes_at,
        now: row.now,
    }))
}

pub async fn set_status(
    conn: &mut PgConnection,
    round_id: Uuid,
    status: RoundStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update rounds set status = $2 where id = $1",
        round_id,
        status.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Why positions could not be added; names the position (and unit) at fault.
#[derive(Debug, thiserror::Error)]
pub enum AddPositionsError {
    #[error("conflict on position {code}")]
    Conflict {
        code: String,
        unit_code: Option<String>,
        msg: Msg,
    },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Adds positions to a round. A code the round already has gains the new units, provided its
/// details are the same; a unit code already known must keep its name. All or nothing: the
/// caller's transaction is rolled back on the first conflict.
pub async fn add_positions(
    conn: &mut PgConnection,
    round_id: Uuid,
    positions: &[NewPosition],
) -> Result<(), AddPositionsError> {
    for p in positions {
        let majors: Vec<String> = p.majors.clone();
        let written = p.stage2.written_percent().map(i16::from);
        let (rank, method, group) = (
            p.plan.map(|pl| pl.rank.as_str()),
            p.plan.map(|pl| pl.method.as_str()),
            p.plan.and_then(|pl| pl.method.group()).map(|g| g.as_str()),
        );
        let existing = sqlx::query!(
            r#"select id, title, min_degree, majors, other_conditions, stage2_format,
                      written_percent, max_score, rank, method, review_group,
                      ethnic_minority_only
               from positions where round_id = $1 and code = $2"#,
            round_id,
            p.code
        )
        .fetch_optional(&mut *conn)
        .await?;
        let position_id = match existing {
            Some(e) => {
                let same = e.title == p.title
                    && e.min_degree == p.min_degree.as_str()
                    && e.majors == majors
                    && e.other_conditions == p.other_conditions
                    && e.stage2_format == p.stage2.kind()
                    && e.written_percent == written
                    && e.max_score == p.max_score as i16
                    && e.rank.as_deref() == rank
                    && e.method.as_deref() == method
                    && e.review_group.as_deref() == group
                    && e.ethnic_minority_only == p.ethnic_minority_only;
                if !same {
                    return Err(AddPositionsError::Conflict {
                        code: p.code.clone(),
                        unit_code: None,
                        msg: Msg::ErrImportPositionMismatch,
                    });
                }
                e.id
            }
            None => {
                sqlx::query_scalar!(
                    r#"insert into positions (round_id, code, title, min_degree, majors,
                           other_conditions, stage2_format, written_percent, max_score,
                           rank, method, review_group, stage1, ethnic_minority_only)
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                       returning id"#,
                    round_id,
                    p.code,
                    p.title,
                    p.min_degree.as_str(),
                    &majors,
                    p.other_conditions,
                    p.stage2.kind(),
                    written,
                    p.max_score as i16,
                    rank,
                    method,
                    group,
                    p.stage1().as_str(),
                    p.ethnic_minority_only,
                )
                .fetch_one(&mut *conn)
                .await?
            }
        };
        for unit in &p.units {
            let conflict = |msg| AddPositionsError::Conflict {
                code: p.code.clone(),
                unit_code: Some(unit.unit_code.clone()),
                msg,
            };
            let known = sqlx::query!("select id, name from units where code = $1", unit.unit_code)
                .fetch_optional(&mut *conn)
                .await?;
            let unit_id = match known {
                Some(k) if k.name != unit.unit_name => {
                    return Err(conflict(Msg::ErrUnitNameMismatch))
                }
                Some(k) => k.id,
                None => {
                    sqlx::query_scalar!(
                        "insert into units (code, name) values ($1, $2) returning id",
                        unit.unit_code,
                        unit.unit_name
                    )
                    .fetch_one(&mut *conn)
                    .await?
                }
            };
            let inserted = sqlx::query!(
                r#"insert into position_units (position_id, unit_id, quota) values ($1, $2, $3)
                   on conflict do nothing"#,
                position_id,
                unit_id,
                unit.quota as i32
            )
            .execute(&mut *conn)
            .await?;
            if inserted.rows_affected() == 0 {
                return Err(conflict(Msg::ErrImportDuplicateUnit));
            }
        }
    }
    Ok(())
}

/// Removes a position of the round that nobody has applied to; returns its code and title,
/// `None` if it is not in the round, or `Err(Msg)` when it has applications.
pub async fn remove_position(
    conn: &mut PgConnection,
    round_id: Uuid,
    position_id: Uuid,
) -> Result<Option<Result<(String, String), Msg>>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"select code, title,
                  exists (select 1 from applications a where a.position_id = p.id) as "has_applications!"
           from positions p where p.round_id = $1 and p.id = $2 for update"#,
        round_id,
        position_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    if row.has_applications {
        return Ok(Some(Err(Msg::RefuseRemoveWithApplications)));
    }
    sqlx::query!("delete from positions where id = $1", position_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(Ok((row.code, row.title))))
}

/// Sets a unit's quota for a position of the round; returns (position code, unit code, old
/// quota), or `None` if that position and unit are not in the round.
pub async fn change_quota(
    conn: &mut PgConnection,
    round_id: Uuid,
    position_id: Uuid,
    unit_id: Uuid,
    quota: u32,
) -> Result<Option<(String, String, i32)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select p.code, u.code as unit_code, pu.quota
           from position_units pu
           join positions p on p.id = pu.position_id
           join units u on u.id = pu.unit_id
           where p.round_id = $1 and pu.position_id = $2 and pu.unit_id = $3
           for update of pu"#,
        round_id,
        position_id,
        unit_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    sqlx::query!(
        "update position_units set quota = $3 where position_id = $1 and unit_id = $2",
        position_id,
        unit_id,
        quota as i32
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some((row.code, row.unit_code, row.quota)))
}

/// One line of a round's change log: what happened, to what, from which value to which, why.
pub struct RoundChange {
    action: &'static str,
    subject: String,
    from: Option<String>,
    to: Option<String>,
    reason: Option<String>,
}

impl RoundChange {
    pub fn new(action: &'static str, subject: impl Into<String>) -> Self {
        RoundChange {
            action,
            subject: subject.into(),
            from: None,
            to: None,
            reason: None,
        }
    }

    pub fn from_to(self, from: Option<String>, to: Option<String>) -> Self {
        RoundChange { from, to, ..self }
    }

    pub fn because(self, reason: Option<String>) -> Self {
        RoundChange { reason, ..self }
    }
}

/// Writes one line of a round's change log.
pub async fn audit(
    conn: &mut PgConnection,
    actor: Uuid,
    round_id: Uuid,
    change: RoundChange,
) -> Result<(), sqlx::Error> {
    crate::accounts::repo::audit(
        conn,
        Some(actor),
        change.action,
        Some(round_id),
        serde_json::json!({
            "subject": change.subject,
            "from": change.from,
            "to": change.to,
            "reason": change.reason,
        }),
    )
    .await
}
