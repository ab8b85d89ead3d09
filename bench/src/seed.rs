//! Synthetic data, written straight into the database with set-based SQL: staff accounts, a
//! round ready for results, a round open for applications with applicants ready to submit, and
//! a round whose written papers wait for one marker's sheet.

use anyhow::Result;
use app::accounts::{password, repo, types::*};
use sqlx::PgPool;
use std::collections::HashMap;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;
use uuid::Uuid;

pub const PASSWORD: &str = "mật khẩu thử tải 2026";

pub struct Staff {
    pub hr: Uuid,
    pub chair: Uuid,
    pub marker: Uuid,
    /// The password hash every synthetic account shares (hashed once).
    pub hash: String,
}

pub const HR_EMAIL: &str = "nhansu@bench.example";
pub const CHAIR_EMAIL: &str = "truongban@bench.example";
pub const MARKER_EMAIL: &str = "chamthi@bench.example";

pub async fn staff(pool: &PgPool) -> Result<Staff> {
    let hash = password::hash(&NewPassword::parse(PASSWORD).map_err(|m| anyhow::anyhow!("{m:?}"))?)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut ids = Vec::new();
    for (email, role) in [
        (HR_EMAIL, Role::HrOfficer),
        (CHAIR_EMAIL, Role::BoardChair),
        (MARKER_EMAIL, Role::Marker),
    ] {
        let email = Email::parse(email).map_err(|m| anyhow::anyhow!("{m:?}"))?;
        let name = FullName::parse("Cán Bộ Thử Tải").map_err(|m| anyhow::anyhow!("{m:?}"))?;
        ids.push(repo::insert_user(pool, &email, &name, &hash, &[role], None).await?);
    }
    Ok(Staff {
        hr: ids[0],
        chair: ids[1],
        marker: ids[2],
        hash,
    })
}

/// A round under Decree 170/2025 in `status`, with the unit its positions are in.
async fn round(pool: &PgPool, name: &str, status: &str, prefix: &str) -> Result<(Uuid, Uuid)> {
    app::rounds::repo::ensure_builtin_rule_sets(pool).await?;
    let round: Uuid = sqlx::query_scalar(
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status,
                             candidate_prefix)
         select $1, 'UBND tỉnh', 'Thông báo', now() - interval '1 day',
                now() + interval '30 days', id, $2, $3
         from rule_sets where code = 'ND170-2025' and version = 1 returning id",
    )
    .bind(name)
    .bind(status)
    .bind(prefix)
    .fetch_one(pool)
    .await?;
    let unit: Uuid = sqlx::query_scalar(
        "insert into units (code, name) values ($1, 'Sở thử tải ' || $1)
         on conflict (code) do update set name = excluded.name returning id",
    )
    .bind(format!("U{prefix}"))
    .fetch_one(pool)
    .await?;
    Ok((round, unit))
}

/// `positions` written positions with 5 places each and `applications` candidates spread over
/// them, stage 1 passed and stage-2 scores spread from 40 to 100, all different within a position
/// (no tie waits for the authority; up to 1,200 candidates a position), marking decoded; the
/// chair on the board. Ready for "compute".
pub async fn results_round(
    pool: &PgPool,
    staff: &Staff,
    positions: i32,
    applications: i32,
) -> Result<Uuid> {
    let (round, unit) = round(pool, "Kỳ thử tải: kết quả", "marking", "KQ26").await?;
    let statements = [
        "insert into positions (round_id, code, title, min_degree, stage2_format)
         select $1, 'VT-' || lpad(i::text, 5, '0'), 'Vị trí ' || i, 'bachelor', 'written'
         from generate_series(1, $3::int) i",
        "insert into position_units (position_id, unit_id, quota)
         select id, $2, 5 from positions where round_id = $1",
        "insert into users (email, full_name, password_hash)
         select 'kq' || i || '@bench.example', 'Thí sinh ' || i, $5
         from generate_series(1, $4::int) i",
        "insert into applications (round_id, position_id, applicant_id, receipt_code, national_id,
                                   full_name, date_of_birth, form, status, fee_amount, fee_paid_at)
         select $1, p.id, u.id, 'KQ' || i, lpad(i::text, 12, '0'), 'Thí sinh ' || i,
                date '1990-01-01' + (i % 3650), '{}', 'eligible', 300000, now()
         from generate_series(1, $4::int) i
              join users u on u.email = 'kq' || i || '@bench.example'
              join positions p on p.round_id = $1
                              and p.code = 'VT-' || lpad((i % $3 + 1)::text, 5, '0')",
        "insert into candidate_numbers (application_id, round_id, number)
         select id, $1, substr(receipt_code, 3)::int from applications where round_id = $1",
        "insert into stage1_results (application_id, round_id, questions, correct, passed, source,
                                     imported_by)
         select id, $1, 60, 40, true, 'vong1.csv', $6 from applications where round_id = $1",
        "insert into stage2_scores (application_id, round_id, written, score)
         select a.id, $1, s, s from applications a,
                lateral (select substr(a.receipt_code, 3)::int as i) n,
                lateral (select 4000 + (n.i / $3) * greatest(5, 6000 / greatest(1, $4 / $3))
                                + n.i % 5 as s) m
         where a.round_id = $1",
        "insert into marking_stages (round_id, stage, started_at, locked_at, decoded_at)
         values ($1, 2, now(), now(), now())",
        "insert into board_members (round_id, user_id, duty) values ($1, $7, 'chair')",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(round)
            .bind(unit)
            .bind(positions)
            .bind(applications)
            .bind(&staff.hash)
            .bind(staff.hr)
            .bind(staff.chair)
            .execute(pool)
            .await
            .map_err(|e| anyhow::anyhow!("{e}: {statement}"))?;
    }
    Ok(round)
}

/// Applicants of an open round: accounts (sharing one password hash), the profile of
/// `template` copied with their own national ID, the position chosen, and a signed-in session
/// each, made in the session store as signing in would. Returns (applicant, cookie) pairs.
pub async fn ready_applicants(
    pool: &PgPool,
    hash: &str,
    round: Uuid,
    position: Uuid,
    template: &serde_json::Value,
    prefix: &str,
    count: i32,
) -> Result<Vec<(Uuid, String)>> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "with u as (insert into users (email, full_name, password_hash)
                    select $1 || i || '@bench.example', 'Nguyễn Thị Thử ' || i, $2
                    from generate_series(1, $3::int) i returning id, email),
              r as (insert into user_roles (user_id, role) select id, 'applicant' from u)
         select id from u order by email",
    )
    .bind(prefix)
    .bind(hash)
    .bind(count)
    .fetch_all(pool)
    .await?;
    // Distinct national IDs: the profile's first six digits (province, sex/century, year)
    // and a serial.
    let national_id = template["national_id"].as_str().unwrap_or("040198000000");
    let head = &national_id[..6];
    sqlx::query(
        "insert into applicant_profiles (user_id, data)
         select id, jsonb_set($2::jsonb, '{national_id}',
                              to_jsonb($3 || lpad(n::text, 6, '0')))
         from unnest($1::uuid[]) with ordinality as t(id, n)",
    )
    .bind(&ids)
    .bind(template)
    .bind(head)
    .execute(pool)
    .await?;
    sqlx::query(
        "insert into application_drafts (applicant_id, round_id, position_id)
         select id, $2, $3 from unnest($1::uuid[]) id",
    )
    .bind(&ids)
    .bind(round)
    .bind(position)
    .execute(pool)
    .await?;
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    let expiry = time::OffsetDateTime::now_utc() + time::Duration::hours(4);
    let mut applicants = Vec::with_capacity(ids.len());
    for id in ids {
        let mut record = Record {
            id: Id::default(),
            data: HashMap::from([(
                app::accounts::service::USER_ID_KEY.to_string(),
                serde_json::to_value(id)?,
            )]),
            expiry_date: expiry,
        };
        store
            .create(&mut record)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        applicants.push((id, format!("portal_session={}", record.id)));
    }
    Ok(applicants)
}

/// An open round with one position (room for everyone) and its unit.
pub async fn open_round(pool: &PgPool, name: &str, prefix: &str) -> Result<(Uuid, Uuid)> {
    let (round, unit) = round(pool, name, "open", prefix).await?;
    let position: Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, majors, stage2_format)
         values ($1, 'KT-01', 'Chuyên viên kế toán', 'bachelor', '{\"Kế toán\"}', 'written')
         returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await?;
    sqlx::query("insert into position_units (position_id, unit_id, quota) values ($1, $2, 100)")
        .bind(position)
        .bind(unit)
        .execute(pool)
        .await?;
    Ok((round, position))
}

/// A round in marking with one written position of `papers` papers, every one on the
/// marker's sheet (slot 1). Returns (round, position, codes).
pub async fn marking_round(
    pool: &PgPool,
    staff: &Staff,
    papers: i32,
) -> Result<(Uuid, Uuid, Vec<String>)> {
    let (round, _) = round(pool, "Kỳ thử tải: chấm thi", "marking", "CT26").await?;
    let position: Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, stage2_format)
         values ($1, 'CT-01', 'Chuyên viên', 'bachelor', 'written') returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await?;
    let statements = [
        "insert into board_members (round_id, user_id, duty) values ($1, $3, 'marker')",
        "insert into marker_assignments (round_id, user_id, position_id, part)
         values ($1, $3, $2, 'written')",
        "insert into marking_stages (round_id, stage, started_at) values ($1, 2, now())",
        "insert into papers (round_id, position_id, part, code)
         select $1, $2, 'written', 'P' || lpad(i::text, 7, '0') from generate_series(1, $4::int) i",
        "insert into paper_markers (paper_id, marker_id, slot)
         select id, $3, 1 from papers where position_id = $2",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(round)
            .bind(position)
            .bind(staff.marker)
            .bind(papers)
            .execute(pool)
            .await
            .map_err(|e| anyhow::anyhow!("{e}: {statement}"))?;
    }
    let codes = sqlx::query_scalar("select code from papers where position_id = $1 order by code")
        .bind(position)
        .fetch_all(pool)
        .await?;
    Ok((round, position, codes))
}
