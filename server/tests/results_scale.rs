//! How long a whole round takes, end to end through the endpoints: 1,000 positions and
//! 100,000 applications computed, approved, published (everyone told) and served. Not part of
//! the test command (it takes a while to seed); run it when ranking, publication or the
//! public pages change:
//!
//!     cargo test --release -p server --test results_scale -- --ignored --nocapture
//!
//! It prints its figures; what it asserts is only that the result is whole.

mod common;

use app::accounts::types::Role;
use common::TestApp;
use serde_json::Value;
use sqlx::PgPool;
use std::time::Instant;

const POSITIONS: i32 = 1_000;
const APPLICATIONS: i32 = 100_000;
const QUOTA: i32 = 5;
const PASSWORD: &str = "mật khẩu cán bộ 2026";

/// 1,000 written positions with 5 places each and 100 candidates each, stage 1 passed and
/// stage-2 scores from 40 to 90, different within a position (a tie at the last place would
/// wait for the authority's decision and block approval).
async fn seed(pool: &PgPool, hr: uuid::Uuid) -> uuid::Uuid {
    let (round, unit) = common::round_with_unit(pool, "marking").await;
    let statements = [
        "insert into positions (round_id, code, title, min_degree, stage2_format)
         select $1, 'VT-' || lpad(i::text, 4, '0'), 'Vị trí ' || i, 'bachelor', 'written'
         from generate_series(1, $3::int) i",
        "insert into position_units (position_id, unit_id, quota)
         select id, $2, $5 from positions where round_id = $1",
        "insert into users (email, full_name, password_hash)
         select 'ts' || i || '@example.vn', 'Thí sinh ' || i, 'không dùng'
         from generate_series(1, $4::int) i",
        "insert into applications (round_id, position_id, applicant_id, receipt_code, national_id,
                                   full_name, date_of_birth, form, status, fee_amount, fee_paid_at)
         select $1, p.id, u.id, 'RC' || i, lpad(i::text, 12, '0'), 'Thí sinh ' || i,
                date '1990-01-01' + (i % 3650), '{}', 'eligible', 300000, now()
         from generate_series(1, $4::int) i
              join users u on u.email = 'ts' || i || '@example.vn'
              join positions p on p.round_id = $1
                              and p.code = 'VT-' || lpad((i % $3 + 1)::text, 4, '0')",
        "insert into candidate_numbers (application_id, round_id, number)
         select id, $1, substr(receipt_code, 3)::int from applications where round_id = $1",
        "insert into stage1_results (application_id, round_id, questions, correct, passed, source,
                                     imported_by)
         select id, $1, 60, 40, true, 'vong1.csv', $6 from applications where round_id = $1",
        "insert into stage2_scores (application_id, round_id, written, score)
         select a.id, $1, s, s from applications a,
                lateral (select substr(a.receipt_code, 3)::int as i) n,
                lateral (select 4000 + n.i / $3 * 50 + n.i % 50 as s) m
         where a.round_id = $1",
        "insert into marking_stages (round_id, stage, started_at, locked_at, decoded_at)
         values ($1, 2, now(), now(), now())",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(round)
            .bind(unit)
            .bind(POSITIONS)
            .bind(APPLICATIONS)
            .bind(QUOTA)
            .bind(hr)
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {statement}"));
    }
    round
}

fn seconds(since: Instant) -> String {
    format!("{:.2} s", since.elapsed().as_secs_f64())
}

#[ignore = "a measurement: seeds 100,000 applications"]
#[sqlx::test(migrations = "../migrations")]
async fn computing_and_publishing_a_round_of_100000_applications(pool: PgPool) {
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    let app = TestApp::new(pool.clone());
    app.create_user("ns@example.vn", PASSWORD, &[Role::HrOfficer])
        .await;
    app.create_user("ct@example.vn", PASSWORD, &[Role::BoardChair])
        .await;
    let id = |email: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>("select id from users where email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (hr_id, chair_id) = (id("ns@example.vn").await, id("ct@example.vn").await);
    let started = Instant::now();
    let round = seed(&pool, hr_id).await;
    println!(
        "seeded {APPLICATIONS} applications in {POSITIONS} positions: {}",
        seconds(started)
    );
    sqlx::query("insert into board_members (round_id, user_id, duty) values ($1, $2, 'chair')")
        .bind(round)
        .bind(chair_id)
        .execute(&pool)
        .await
        .unwrap();
    let hr = app.session_for("ns@example.vn", PASSWORD).await;
    let chair = app.session_for("ct@example.vn", PASSWORD).await;
    let round_s = round.to_string();
    let on_round = [("round_id", round_s.as_str())];

    let t = Instant::now();
    let reply = app.post("/api/results/compute", &on_round, Some(&hr)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    println!(
        "compute the draft (rank 1,000 positions, canonical form, digest, store): {}",
        seconds(t)
    );

    let t = Instant::now();
    let view = app
        .post("/api/results/round", &on_round, Some(&chair))
        .await
        .json();
    println!(
        "read the draft for review (every position in brief, one in full): {}",
        seconds(t)
    );
    let version = view["open"]["id"].as_str().unwrap().to_string();
    let overview = view["overview"].as_array().unwrap();
    assert_eq!(overview.len(), POSITIONS as usize);
    let selected: u64 = overview
        .iter()
        .map(|p| p["selected"].as_u64().unwrap())
        .sum();
    assert_eq!(
        selected,
        (POSITIONS * QUOTA) as u64,
        "every place is filled"
    );
    let on_version = [
        ("round_id", round_s.as_str()),
        ("version_id", version.as_str()),
    ];

    let t = Instant::now();
    let reply = app
        .post("/api/results/approve", &on_version, Some(&chair))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    println!("approve: {}", seconds(t));

    let t = Instant::now();
    let reply = app
        .post("/api/results/publish", &on_version, Some(&hr))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    println!(
        "publish and tell {APPLICATIONS} candidates (timeline, notification, e-mail): {}",
        seconds(t)
    );
    let told: i64 =
        sqlx::query_scalar("select count(*) from notifications where kind = 'result_published'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(told, i64::from(APPLICATIONS));

    let t = Instant::now();
    let first: Value = app
        .post("/api/results/published", &on_round, None)
        .await
        .json();
    println!("first public read (snapshot into memory): {}", seconds(t));
    assert_eq!(first["version"], 1);
    let t = Instant::now();
    for _ in 0..20 {
        let again: Value = app
            .post("/api/results/published", &on_round, None)
            .await
            .json();
        assert_eq!(again["digest"], first["digest"]);
    }
    println!(
        "20 more reads of the round's public page data (1,000 positions, 5,000 winners; from memory): {}",
        seconds(t)
    );
}
