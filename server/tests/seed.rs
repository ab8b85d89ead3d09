//! The demo seed: one account per role on an empty database, never in production.

mod common;

use clap::Parser;
use server::config::Cli;
use server::seed::{seed_demo, DEMO_ACCOUNTS};
use sqlx::PgPool;

fn config(args: &[&str]) -> server::config::Config {
    let mut argv = vec!["server"];
    argv.extend_from_slice(args);
    Cli::parse_from(argv).config
}

#[sqlx::test(migrations = "../migrations")]
async fn seeds_one_account_per_role_once(pool: PgPool) {
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    let config = config(&["--environment", "development"]);
    assert!(seed_demo(&pool, &config).await.unwrap());
    assert!(
        !seed_demo(&pool, &config).await.unwrap(),
        "only on an empty database"
    );
    // The demo accounts (the applicants behind the demo applications aside).
    let roles: Vec<String> = sqlx::query_scalar(
        "select r.role from user_roles r join users u on u.id = r.user_id
         where u.email not like 'ungvien%' and u.email not like 'thisinh.%'
         order by r.role",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(roles.len(), DEMO_ACCOUNTS.len());
    assert_eq!(
        roles,
        [
            "administrator",
            "applicant",
            "board_chair",
            "hr_officer",
            "marker",
            "marker",
            "marker",
            "marker"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn never_seeds_in_production(pool: PgPool) {
    let config = config(&["--environment", "production"]);
    assert!(!seed_demo(&pool, &config).await.unwrap());
    let users = common::count(&pool, "users").await;
    assert_eq!(users, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn seeds_a_realistic_open_round(pool: PgPool) {
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    seed_demo(&pool, &config(&[])).await.unwrap();
    let rounds = app::rounds::repo::round_summaries(&pool, false, None)
        .await
        .unwrap();
    assert_eq!(
        rounds.len(),
        7,
        "open, open under Decree 300, in marking, decoded, scores published with an appeal, published, finished"
    );
    let open = &rounds[0];
    assert_eq!(open.status, app::rounds::status::RoundStatus::Open);
    assert!(
        open.position_count >= 20,
        "{} positions",
        open.position_count
    );
    let positions = app::rounds::repo::positions(&pool, open.id).await.unwrap();
    assert!(
        positions.iter().filter(|p| p.units.len() > 1).count() >= 3,
        "some shared"
    );
    let quotas: Vec<i32> = positions
        .iter()
        .flat_map(|p| p.units.iter().map(|u| u.quota))
        .collect();
    assert_eq!(quotas.iter().min(), Some(&1));
    assert_eq!(quotas.iter().max(), Some(&20));
    let units = common::count(&pool, "units").await;
    assert!(units >= 10);

    // The round under Decree 170/2025 as amended shows each kind of plan (Art 9, 11).
    let amended = rounds
        .iter()
        .find(|r| r.name.contains("Nghị định 300/2026"))
        .expect("a round under the amended decree");
    let positions = app::rounds::repo::positions(&pool, amended.id)
        .await
        .unwrap();
    // And a position reserved for ethnic-minority candidates (Art 3.2.c).
    let reserved: Vec<&str> = positions
        .iter()
        .filter(|p| p.ethnic_minority_only)
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(reserved, ["DT-01"]);
    let plans: Vec<(String, String, &str)> = positions
        .into_iter()
        .map(|p| {
            let plan = p.plan.expect("every position has rank and method");
            (p.code, plan.rank.as_str().to_string(), p.stage1.as_str())
        })
        .collect();
    assert_eq!(
        plans,
        [
            (
                "DT-01".to_string(),
                "chuyen_vien".to_string(),
                "computer_test"
            ),
            (
                "KS-01".to_string(),
                "chuyen_vien".to_string(),
                "conditions_check"
            ),
            ("TP-01".into(), "chuyen_vien".into(), "computer_test"),
            ("TT-01".into(), "chuyen_vien_chinh".into(), "none"),
            ("VP-01".into(), "nhan_vien".into(), "none"),
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn seeds_applications_in_every_status_and_a_ready_profile(pool: PgPool) {
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    seed_demo(&pool, &config(&[])).await.unwrap();
    // In the open round; the round in marking has its own candidates.
    let statuses: Vec<String> = sqlx::query_scalar(
        "select distinct a.status from applications a join rounds r on r.id = a.round_id
         where r.status = 'open' order by a.status",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        statuses,
        ["eligible", "needs_correction", "rejected", "submitted"]
    );
    let (applications, paid): (i64, i64) = sqlx::query_as(
        "select count(*), count(a.fee_paid_at) from applications a
         join rounds r on r.id = a.round_id where r.status = 'open'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((applications, paid), (8, 1));
    // The demo applicant's profile is complete, so applying takes a minute.
    let form: serde_json::Value = sqlx::query_scalar(
        "select data from applicant_profiles p join users u on u.id = p.user_id
         where u.email = 'thisinh@demo.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let form: app::applications::profile::ProfileForm = serde_json::from_value(form).unwrap();
    assert!(form.check(time::macros::date!(2026 - 11 - 27)).is_ok());
}

#[sqlx::test(migrations = "../migrations")]
async fn seeds_a_round_ready_for_marking(pool: PgPool) {
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    seed_demo(&pool, &config(&[])).await.unwrap();
    let round_id: uuid::Uuid =
        sqlx::query_scalar("select id from rounds where status = 'marking' and name = $1")
            .bind(server::demo_stage2::ROUNDS[0].name)
            .fetch_one(&pool)
            .await
            .unwrap();
    // Six eligible, paid candidates; all passed stage 1, one missed stage 2.
    let (candidates, stage1_passed, absent): (i64, i64, i64) = sqlx::query_as(
        "select count(*) filter (where a.status = 'eligible' and a.fee_paid_at is not null),
                (select count(*) from stage1_results where round_id = $1 and passed),
                (select count(*) from attendance t join applications b on b.id = t.application_id
                  where b.round_id = $1 and t.stage = 2 and t.status = 'absent')
         from applications a where a.round_id = $1",
    )
    .bind(round_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((candidates, stage1_passed, absent), (6, 6, 1));

    // Papers per position and part, with the markers' e-mails in slot order.
    let papers: Vec<(String, String, String, Vec<String>)> = sqlx::query_as(
        "select p.code, q.part, q.code, array_agg(u.email order by m.slot)
         from papers q join positions p on p.id = q.position_id
              join paper_markers m on m.paper_id = q.id join users u on u.id = m.marker_id
         where q.round_id = $1 group by p.code, q.part, q.code order by p.code, q.part, q.code",
    )
    .bind(round_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let count = |position: &str, part: &str| {
        papers
            .iter()
            .filter(|p| p.0 == position && p.1 == part)
            .count()
    };
    assert_eq!(count("GD-VT", "written"), 3);
    assert_eq!(count("GD-KH", "written"), 2);
    assert_eq!(count("GD-KH", "panel"), 2);
    assert_eq!(papers.len(), 7);
    for (_, part, code, markers) in &papers {
        let mut markers = markers.clone();
        markers.sort();
        if part == "written" {
            assert_eq!(code.len(), app::scoring::papers::CODE_LENGTH);
            assert!(code
                .bytes()
                .all(|b| app::scoring::papers::CODE_ALPHABET.contains(&b)));
            assert_eq!(markers, ["chamthi2@demo.example", "chamthi@demo.example"]);
        } else {
            assert!(code.starts_with("GD26-"), "{code}");
            assert_eq!(markers, ["chamthi2@demo.example", "chamthi3@demo.example"]);
        }
    }

    // Started by the chair, nothing marked yet.
    let marks: i64 = sqlx::query_scalar(
        "select count(*) from marks m join papers p on p.id = m.paper_id where p.round_id = $1",
    )
    .bind(round_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(marks, 0);
    let started: Vec<String> = sqlx::query_scalar(
        "select u.email from marking_stages s join users u on u.id = s.started_by
         where s.round_id = $1 and s.stage = 2 and s.locked_at is null",
    )
    .bind(round_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(started, ["truongban@demo.example"]);
    let actions: Vec<String> =
        sqlx::query_scalar("select action from mark_audit where round_id = $1 order by id")
            .bind(round_id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        ["stage1_imported", "stage1_locked", "marking_started"]
    );
    let duties: Vec<(String, String)> = sqlx::query_as(
        "select b.duty, u.email from board_members b join users u on u.id = b.user_id
         where b.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut duties: Vec<(&str, &str)> = duties
        .iter()
        .map(|(d, e)| (d.as_str(), e.as_str()))
        .collect();
    duties.sort();
    assert_eq!(
        duties,
        [
            ("chair", "truongban@demo.example"),
            ("clerk", "chamthi3@demo.example"),
            ("clerk", "nhansu@demo.example"),
            ("marker", "chamthi2@demo.example"),
            ("marker", "chamthi3@demo.example"),
            ("marker", "chamthi@demo.example"),
        ]
    );
}

/// The round whose marks are decoded and the round whose results are published, each through
/// the functions the chair's and HR's buttons call.
#[sqlx::test(migrations = "../migrations")]
async fn seeds_a_decoded_round_and_a_published_one_with_appeals_open(pool: PgPool) {
    use server::demo_stage2::{Reached, ROUNDS};
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    seed_demo(&pool, &config(&[])).await.unwrap();
    let round = |reached: Reached| {
        let demo = ROUNDS.iter().find(|r| r.reached == reached).unwrap();
        let pool = pool.clone();
        async move {
            let id: uuid::Uuid = sqlx::query_scalar("select id from rounds where name = $1")
                .bind(demo.name)
                .fetch_one(&pool)
                .await
                .unwrap();
            (id, demo)
        }
    };

    // Decoded: ten marks entered, locked and decoded; five scores; no result yet.
    let (decoded, demo) = round(Reached::Decoded).await;
    let (marks, locked, scores, versions, status): (i64, bool, Vec<(String, i32)>, i64, String) =
        sqlx::query_as(
            "select (select count(*) from marks m join papers p on p.id = m.paper_id
                     where p.round_id = r.id),
                    (select locked_at is not null and decoded_at is not null
                     from marking_stages where round_id = r.id and stage = 2),
                    (select array_agg(a.full_name || ':' || s.score order by s.score)
                     from stage2_scores s join applications a on a.id = s.application_id
                     where s.round_id = r.id),
                    (select count(*) from result_versions where round_id = r.id),
                    r.status
             from rounds r where r.id = $1",
        )
        .bind(decoded)
        .fetch_one(&pool)
        .await
        .map(|(m, l, s, v, st): (i64, bool, Vec<String>, i64, String)| {
            let s = s
                .iter()
                .map(|x| {
                    let (n, v) = x.split_once(':').unwrap();
                    (n.to_string(), v.parse().unwrap())
                })
                .collect();
            (m, l, s, v, st)
        })
        .unwrap();
    assert_eq!(marks, 14, "5 written papers and 2 interviews, twice each");
    assert!(locked);
    assert_eq!(versions, 0);
    assert_eq!(status, "results");
    // Agreed marks count as their average; the combined position weighs written 60 %.
    assert_eq!(
        scores,
        [
            ("Bùi Văn Nam".to_string(), 5550),
            ("Đặng Thị Mai".to_string(), 7100),
            ("Trịnh Văn Phúc".to_string(), 7130),
            ("Lý Thị Quỳnh".to_string(), 7190),
            ("Ngô Thị Lan Anh".to_string(), 7600),
        ]
    );
    assert!(demo.emails.starts_with("thisinh."));

    // Published: version 1, published yesterday, its digest the canonical text's; the
    // candidates can still appeal (the window runs five working days).
    let (published, _) = round(Reached::Published).await;
    let (status, digest, canonical, published_at): (String, String, String, time::OffsetDateTime) =
        sqlx::query_as(
            "select r.status, v.digest, v.canonical, v.published_at
             from rounds r join result_versions v on v.round_id = r.id
             where r.id = $1 and v.status = 'published' and v.version = 1",
        )
        .bind(published)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "published");
    assert_eq!(app::results::service::digest(&canonical), digest);
    let snapshot: app::results::snapshot::Snapshot = serde_json::from_str(&canonical).unwrap();
    let winners: Vec<&str> = snapshot
        .positions
        .iter()
        .flat_map(|p| p.candidates.iter())
        .filter(|c| c.outcome == "selected")
        .filter_map(|c| c.full_name.as_deref())
        .collect();
    assert_eq!(winners, ["Lưu Thị Sen", "Kiều Thị Nga"]);
    let now = time::OffsetDateTime::now_utc();
    assert!(published_at < now);
    let calendar = app::calendar::repo::load(&pool).await.unwrap();
    assert!(app::appeals::rules::filing_deadline(&calendar, published_at, 5) > now);
    // Every candidate was told; the e-mails are in the outbox, not printed at start.
    let (told, pending): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where e.kind = 'result_published'),
                (select count(*) from email_outbox
                 where status = 'pending' and to_address like 'thisinh.tc%')
         from application_events e join applications a on a.id = e.application_id
         where a.round_id = $1",
    )
    .bind(published)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((told, pending), (6, 0));
}

/// The round under the amended decree's sequence (Decree 170/2025 Art 17): both positions'
/// exam scores published three weeks ago (the window long closed), one appeal filed in it and
/// paid, an appeal board of three who did not mark the paper, and no result yet: compiling
/// waits for the re-marking.
#[sqlx::test(migrations = "../migrations")]
async fn seeds_a_round_whose_scores_are_published_and_an_appeal_waits(pool: PgPool) {
    use server::demo_stage2::{Reached, ROUNDS};
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    seed_demo(&pool, &config(&[])).await.unwrap();
    let demo = ROUNDS
        .iter()
        .find(|r| r.reached == Reached::Appealed)
        .unwrap();
    let round: uuid::Uuid = sqlx::query_scalar("select id from rounds where name = $1")
        .bind(demo.name)
        .fetch_one(&pool)
        .await
        .unwrap();
    let published: Vec<(String, time::OffsetDateTime)> = sqlx::query_as(
        "select p.code, sp.published_at from score_publications sp
         join positions p on p.id = sp.position_id where sp.round_id = $1 order by p.code",
    )
    .bind(round)
    .fetch_all(&pool)
    .await
    .unwrap();
    let codes: Vec<&str> = published.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        demo.positions.iter().rev().copied().collect::<Vec<_>>()
    );
    let calendar = app::calendar::repo::load(&pool).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    for (_, at) in &published {
        assert!(app::appeals::rules::filing_deadline(&calendar, *at, 5) < now);
    }
    let (appellant, original, fee, versions): (String, i32, Option<String>, i64) = sqlx::query_as(
        "select a.full_name, ap.original_mark, ap.fee_reference,
                (select count(*) from result_versions where round_id = ap.round_id)
         from appeals ap join applications a on a.id = ap.application_id where ap.round_id = $1",
    )
    .bind(round)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (appellant.as_str(), original, fee.as_deref(), versions),
        ("Hồ Thị Ngọc", 7100, Some("BL-2026-0117"), 0)
    );
    let board: Vec<String> = sqlx::query_scalar(
        "select u.email from board_members b join users u on u.id = b.user_id
         where b.round_id = $1 and b.duty = 'appeal' order by u.email",
    )
    .bind(round)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        board,
        [
            "chamthi3@demo.example",
            "chamthi4@demo.example",
            "truongban@demo.example"
        ]
    );
    // Every candidate with a score was told theirs.
    let told: i64 = sqlx::query_scalar(
        "select count(*) from application_events e join applications a on a.id = e.application_id
         where a.round_id = $1 and e.kind = 'scores_published'",
    )
    .bind(round)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 5);
}
