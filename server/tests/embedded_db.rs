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
