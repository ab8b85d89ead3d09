//! Backup and restore: `server backup` takes one consistent pg_dump of the whole database and
//! `server restore` puts it into an empty one; every table comes back identical (row counts
//! and checksums of the rows), and a restore into a database that holds data is refused.

mod common;

use app::accounts::types::Role;
use common::TestApp;
use sqlx::PgPool;
use std::time::Instant;

/// DATABASE_URL with another database name.
fn url_of(database: &str) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let (address, query) = base.split_once('?').unwrap_or((&base, ""));
    let (server, _) = address
        .rsplit_once('/')
        .expect("a database in DATABASE_URL");
    if query.is_empty() {
        format!("{server}/{database}")
    } else {
        format!("{server}/{database}?{query}")
    }
}

/// Some of everything the portal keeps: accounts and a session, a round with a position and a
/// numbered candidate, a stage-1 result, an audit row of marking and a published result.
async fn fill(pool: &PgPool) {
    let app = TestApp::new(pool.clone());
    app.register("saoluu@example.vn", "mật khẩu sao lưu 2026")
        .await;
    let hr = common::staff(&app, "ns@example.vn", &[Role::HrOfficer]).await;
    let (round, unit) = common::round_with_unit(pool, "published").await;
    let position: uuid::Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, stage2_format)
         values ($1, 'KT-01', 'Chuyên viên kế toán', 'bachelor', 'written') returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("insert into position_units (position_id, unit_id, quota) values ($1, $2, 2)")
        .bind(position)
        .bind(unit)
        .execute(pool)
        .await
        .unwrap();
    let born = time::macros::date!(1996 - 05 - 17);
    let id = common::numbered_candidate(pool, round, position, 1, "Lê Thị Ánh", born).await;
    for statement in [
        "insert into stage1_results (application_id, round_id, questions, correct, passed, source,
                                     imported_by)
         values ($1, $2, 60, 45, true, 'vong1.csv', $3)",
        "insert into mark_audit (round_id, action, new_mark, reason, actor_id)
         values ($2, 'lifecycle', 7550, 'sao lưu: ổn', $3)",
        "insert into result_versions (round_id, version, status, canonical, digest, computed_by,
                                      computed_at, published_by, published_at)
         values ($2, 1, 'published', '{\"format\":\"x\"}', repeat('a', 64), $3, now(), $3, now())",
    ] {
        sqlx::query(statement)
            .bind(id)
            .bind(round)
            .bind(hr.id)
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {statement}"));
    }
}

/// Drops a database made by the test. `with (force)` ends sessions still open on it: a closed
/// pool's connections may still be on their way out, and a plain drop would then fail with
/// "being accessed by other users".
async fn drop_database(pool: &PgPool, name: &str) {
    sqlx::query(&format!("drop database \"{name}\" with (force)"))
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_backup_restores_into_an_empty_database_with_every_table_identical(pool: PgPool) {
    fill(&pool).await;
    let source: String = sqlx::query_scalar("select current_database()")
        .fetch_one(&pool)
        .await
        .unwrap();
    let file = std::env::temp_dir().join(format!("portal-backup-{}.dump", uuid::Uuid::new_v4()));

    let started = Instant::now();
    server::backup::dump(&url_of(&source), &file).unwrap();
    let dumped = started.elapsed();

    // Restoring over data is refused, and changes nothing.
    let before = server::backup::checksums(&pool).await.unwrap();
    let refused = server::backup::restore(&pool, &url_of(&source), &file).await;
    assert!(refused.unwrap_err().to_string().contains("not empty"));
    assert_eq!(server::backup::checksums(&pool).await.unwrap(), before);

    let target = format!("restore_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("create database \"{target}\""))
        .execute(&pool)
        .await
        .unwrap();
    let restored = PgPool::connect(&url_of(&target)).await.unwrap();
    let started = Instant::now();
    server::backup::restore(&restored, &url_of(&target), &file)
        .await
        .unwrap();
    let took = started.elapsed();
    let after = server::backup::checksums(&restored).await.unwrap();
    restored.close().await;
    drop_database(&pool, &target).await;
    let _ = std::fs::remove_file(&file);

    assert_eq!(after, before, "every table, row for row");
    let rows: i64 = before.iter().map(|t| t.1).sum();
    assert!(before.len() > 30 && rows > 20, "{before:?}");
    for table in [
        "public.users",
        "tower_sessions.session",
        "public.mark_audit",
        "public.result_versions",
    ] {
        let line = before.iter().find(|t| t.0 == table).unwrap();
        assert!(line.1 > 0, "{table} is empty in the fixture");
    }
    println!(
        "backup of {} tables, {rows} rows: dump {:.2} s, restore {:.2} s; checksums equal",
        before.len(),
        dumped.as_secs_f64(),
        took.as_secs_f64()
    );
}

/// Runs the built `server` binary with `args` against the database at `url`.
fn server(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[sqlx::test(migrations = "../migrations")]
async fn the_backup_and_restore_commands_give_a_database_one_can_sign_in_to(pool: PgPool) {
    fill(&pool).await;
    let before = server::backup::checksums(&pool).await.unwrap();
    let rows: i64 = before.iter().map(|t| t.1).sum();
    let counts = format!("({} tables, {rows} rows)", before.len());
    let source: String = sqlx::query_scalar("select current_database()")
        .fetch_one(&pool)
        .await
        .unwrap();
    let file = std::env::temp_dir().join(format!("portal-backup-{}.dump", uuid::Uuid::new_v4()));
    let file_arg = file.to_str().unwrap();

    let backup = server(&url_of(&source), &["backup", "--to", file_arg]);
    assert!(backup.status.success(), "{}", said(&backup));
    assert!(
        said(&backup).contains(&format!("Backup written to {file_arg} {counts}")),
        "{}",
        said(&backup)
    );

    let target = format!("restore_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("create database \"{target}\""))
        .execute(&pool)
        .await
        .unwrap();
    let restore = server(&url_of(&target), &["restore", "--from", file_arg]);
    assert!(restore.status.success(), "{}", said(&restore));
    assert!(
        said(&restore).contains(&format!("Restored {file_arg} {counts}")),
        "{}",
        said(&restore)
    );
    // Once there is data, the command refuses and changes nothing.
    let again = server(&url_of(&target), &["restore", "--from", file_arg]);
    assert!(!again.status.success(), "{}", said(&again));
    assert!(said(&again).contains("not empty"), "{}", said(&again));
    let _ = std::fs::remove_file(&file);

    // The restored database serves: the account registered before the backup signs in with
    // its password, and only with it.
    let restored = PgPool::connect(&url_of(&target)).await.unwrap();
    let after = server::backup::checksums(&restored).await.unwrap();
    let app = TestApp::new(restored.clone());
    let wrong = app.login("saoluu@example.vn", "không phải mật khẩu").await;
    let cookie = app
        .session_for("saoluu@example.vn", "mật khẩu sao lưu 2026")
        .await;
    let me = app.post("/api/current_user", &[], Some(&cookie)).await;
    restored.close().await;
    drop_database(&pool, &target).await;

    assert_eq!(after, before, "every table, row for row");
    assert_eq!(
        wrong.status,
        http::StatusCode::UNAUTHORIZED,
        "{}",
        wrong.body
    );
    assert!(me.body.contains("saoluu@example.vn"), "{}", me.body);
    println!("server backup, then server restore into a new database {counts}: signed in there");
}
