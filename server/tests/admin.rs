//! Staff accounts: only administrators may list or create them.

mod common;

use app::accounts::types::Role;
use common::TestApp;
use http::StatusCode;
use sqlx::PgPool;

const PASSWORD: &str = "quản trị viên 2026!";

#[sqlx::test(migrations = "../migrations")]
async fn staff_functions_refuse_anonymous_callers_and_other_roles(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let reply = app.post("/api/admin/list_users", &[], None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body, "\"Unauthenticated\"");

    for (email, role) in [
        ("ts@example.vn", Role::Applicant),
        ("ct@example.vn", Role::Marker),
        ("tb@example.vn", Role::BoardChair),
        ("ns@example.vn", Role::HrOfficer),
    ] {
        app.create_user(email, PASSWORD, &[role]).await;
        let cookie = app.session_for(email, PASSWORD).await;
        let list = app.post("/api/admin/list_users", &[], Some(&cookie)).await;
        assert_eq!(list.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(list.body, "\"Forbidden\"");
        let create = app
            .post(
                "/api/admin/create_staff_account",
                &[
                    ("email", "moi@example.vn"),
                    ("full_name", "Người Mới"),
                    ("administrator", "on"),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(create.status, StatusCode::FORBIDDEN, "{role:?}");
    }
    let created: i64 =
        sqlx::query_scalar("select count(*) from users where email = 'moi@example.vn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(created, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_administrator_creates_a_staff_account_that_signs_in(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    app.create_user("qt@example.vn", PASSWORD, &[Role::Administrator])
        .await;
    let cookie = app.session_for("qt@example.vn", PASSWORD).await;

    let reply = app
        .post(
            "/api/admin/create_staff_account",
            &[
                ("email", "Chu.Tich@Example.VN"),
                ("full_name", "Vũ Thị Lan"),
                ("board_chair", "on"),
                ("marker", "on"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let created = reply.json();
    assert_eq!(created["email"], "chu.tich@example.vn");
    let initial = created["initial_password"].as_str().unwrap().to_string();

    let staff = app.session_for("chu.tich@example.vn", &initial).await;
    let me = app
        .post("/api/current_user", &[], Some(&staff))
        .await
        .json();
    assert_eq!(me["roles"], serde_json::json!(["Marker", "BoardChair"]));

    let list = app.post("/api/admin/list_users", &[], Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    let emails: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect();
    assert!(emails.contains(&"chu.tich@example.vn".to_string()));

    let (actor, action): (Option<uuid::Uuid>, String) = sqlx::query_as(
        "select actor_id, action from audit_events a join users u on u.id = a.subject_id
         where u.email = 'chu.tich@example.vn'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(action, "account.created");
    let admin_id: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'qt@example.vn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(actor, Some(admin_id));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_staff_account_needs_a_role_and_a_valid_email(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    app.create_user("qt@example.vn", PASSWORD, &[Role::Administrator])
        .await;
    let cookie = app.session_for("qt@example.vn", PASSWORD).await;
    let reply = app
        .post(
            "/api/admin/create_staff_account",
            &[("email", "sai"), ("full_name", "Ai Đó")],
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = reply.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["email", "roles"]);
    let users = common::count(&pool, "users").await;
    assert_eq!(users, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_database_failure_reaches_the_client_only_as_a_reference(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    app.create_user("qt@example.vn", PASSWORD, &[Role::Administrator])
        .await;
    let cookie = app.session_for("qt@example.vn", PASSWORD).await;
    // Break the query behind the list after signing in.
    sqlx::query("alter table users rename column full_name to ho_ten")
        .execute(&pool)
        .await
        .unwrap();
    let reply = app.post("/api/admin/list_users", &[], Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    let reference = reply.json()["Internal"]["correlation_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(reference.len(), 12);
    for leak in ["full_name", "column", "sqlx", "users", "postgres"] {
        assert!(!reply.body.contains(leak), "{leak} leaked: {}", reply.body);
    }
}
