//! The embedded PostgreSQL: created on first start, reused after, stopped cleanly.

use server::embedded_db::EmbeddedPostgres;
use sqlx::Connection;

#[tokio::test]
async fn the_cluster_is_created_once_and_keeps_its_data() {
    let root = std::env::temp_dir().join(format!("portal-embedded-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let data_dir = root.join("pg");
    let port = 6500 + (std::process::id() % 400) as u16;

    let db = EmbeddedPostgres::start(&data_dir, port).await.unwrap();
    let mut conn = sqlx::PgConnection::connect_with(&db.connect_options())
        .await
        .unwrap();
    sqlx::query("create table kept (note text)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("insert into kept values ('còn đây')")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    db.stop().await;
    assert!(!data_dir.join("postmaster.pid").exists(), "stopped cleanly");

    let db = EmbeddedPostgres::start(&data_dir, port).await.unwrap();
    let mut conn = sqlx::PgConnection::connect_with(&db.connect_options())
        .await
        .unwrap();
    let note: String = sqlx::query_scalar("select note from kept")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(note, "còn đây");
    conn.close().await.unwrap();
    db.stop().await;
    let _ = std::fs::remove_dir_all(&root);
}

/// Issue 16, item 9: a portal killed outright leaves its PostgreSQL running; the next portal
/// on that data directory adopts it and stops it when it stops itself. While the first
/// portal lives, a second one uses its PostgreSQL and leaves it running.
#[tokio::test]
async fn a_postgres_left_by_a_killed_portal_is_stopped_by_the_next_one() {
    let root = std::env::temp_dir().join(format!("portal-adopt-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let data_dir = root.join("pg");
    let port = 6100 + (std::process::id() % 300) as u16;
    let pid_file = data_dir.join("postmaster.pid");

    // A portal process (`server database`) starts the cluster.
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["database", "--data-dir"])
        .arg(&data_dir)
        .args(["--pg-port", &port.to_string()])
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(first.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("DATABASE_URL=") {
        line.clear();
        let read = std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        assert!(read > 0, "server database ended before its URL");
    }
    let postmaster = std::fs::read_to_string(&pid_file).unwrap();

    // While it lives, another portal uses the cluster and leaves it running.
    let second = EmbeddedPostgres::start(&data_dir, port).await.unwrap();
    second.stop().await;
    assert_eq!(
        std::fs::read_to_string(&pid_file).ok().as_deref(),
        Some(postmaster.as_str()),
        "a cluster owned by a live portal is left running"
    );

    // The portal is killed: nothing stops its PostgreSQL.
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(
        pid_file.exists(),
        "the postmaster outlives the killed portal"
    );

    // The next portal adopts it, works, and stops it at shutdown.
    let next = EmbeddedPostgres::start(&data_dir, port).await.unwrap();
    let mut conn = sqlx::PgConnection::connect_with(&next.connect_options())
        .await
        .unwrap();
    let one: i32 = sqlx::query_scalar("select 1")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(one, 1);
    conn.close().await.unwrap();
    next.stop().await;
    assert!(
        !pid_file.exists(),
        "the adopted cluster was stopped cleanly"
    );
    let _ = std::fs::remove_dir_all(&root);
}
