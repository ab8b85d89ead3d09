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
         where u.email not like 'ungvien%' order by r.role",
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
    assert_eq!(rounds.len(), 2);
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
}

#[sqlx::test(migrations = "../migrations")]
async fn seeds_applications_in_every_status_and_a_ready_profile(pool: PgPool) {
    app::rounds::repo::ensure_builtin_rule_sets(&pool)
        .await
        .unwrap();
    seed_demo(&pool, &config(&[])).await.unwrap();
    let statuses: Vec<String> =
        sqlx::query_scalar("select distinct status from applications order by status")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        statuses,
        ["eligible", "needs_correction", "rejected", "submitted"]
    );
    assert_eq!(common::count(&pool, "applications").await, 8);
    let paid: i64 =
        sqlx::query_scalar("select count(*) from applications where fee_paid_at is not null")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(paid, 1);
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
