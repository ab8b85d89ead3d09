//! The HTTP edge: health check, cross-origin refusal, language switch and server-rendered pages.

mod common;

use common::TestApp;
use http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn healthz_reports_the_database(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let reply = app.get("/healthz", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["database"], "ok");

    pool.close().await;
    let reply = app.get("/healthz", None).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.json()["database"], "unreachable");
}

/// With the database out of reach, a signed-in caller and a visitor are told to try again
/// (503, Retry-After on pages) — never a bare 500 or database text.
#[sqlx::test(migrations = "../migrations")]
async fn without_the_database_every_caller_is_told_to_try_again(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let cookie = app
        .session_with_role("ns@example.vn", app::accounts::types::Role::HrOfficer)
        .await;
    pool.close().await;

    let call = app.post("/api/hr/rounds", &[], Some(&cookie)).await;
    assert_eq!(
        call.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        call.body
    );
    assert_eq!(call.json(), "Unavailable");
    let anonymous = app.post("/api/rounds/public", &[], None).await;
    assert_eq!(anonymous.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(anonymous.json(), "Unavailable");

    let page = app.get("/rounds", None).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.headers["retry-after"], "30");
    assert!(
        page.body.contains("không kết nối được cơ sở dữ liệu"),
        "{}",
        page.body
    );
    let page = app.get("/applications", Some(&cookie)).await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(!page.body.to_lowercase().contains("pool"), "{}", page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_origin_writes_are_refused_before_anything_runs(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let form = [
        ("email", "x@example.vn"),
        ("full_name", "Giả Mạo"),
        ("password", "long enough password"),
        ("password_confirm", "long enough password"),
    ];
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("origin", "https://evil.example")],
        vec![
            ("sec-fetch-site", "same-site"),
            ("origin", "https://sub.127.0.0.1:3000"),
        ],
    ] {
        let reply = app.post_with("/api/register", &form, None, &headers).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(reply.session_cookie().is_none());
    }
    // Neither header: not from a page of this site either.
    let reply = app.post_without_origin("/api/register", &form, None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let users = common::count(&pool, "users").await;
    assert_eq!(users, 0);

    // The same request from the site itself goes through.
    let reply = app
        .post_with(
            "/api/register",
            &form,
            None,
            &[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:3000"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/register/confirm?email="));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_language_switch_sets_a_cookie_and_returns_to_the_page(pool: PgPool) {
    let app = TestApp::new(pool);
    let reply = app
        .get("/lang/en?next=%2Flogin%3Fnext%3D%252Faccount", None)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers["location"], "/login?next=%2Faccount");
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");

    let away = app.get("/lang/vi?next=https://evil.example", None).await;
    assert_eq!(away.headers["location"], "/");
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_render_on_the_server_in_the_chosen_language(pool: PgPool) {
    let app = TestApp::new(pool);
    let vi = app.get("/login", None).await;
    assert_eq!(vi.status, StatusCode::OK);
    assert!(
        vi.body.contains(r#"<html lang="vi""#),
        "{}",
        &vi.body[..200.min(vi.body.len())]
    );
    assert!(vi.body.contains("Đăng nhập"));
    assert!(
        vi.body.contains(r#"action="/api/login""#),
        "the form posts without JavaScript"
    );

    let en = app.get("/login", Some("lang=en")).await;
    assert!(en.body.contains(r#"<html lang="en""#));
    assert!(en.body.contains("Sign in"));

    let missing = app.get("/khong-co-trang-nay", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Không tìm thấy trang"));
}

#[sqlx::test(migrations = "../migrations")]
async fn staff_pages_send_anonymous_visitors_to_sign_in(pool: PgPool) {
    let app = TestApp::new(pool);
    let reply = app.get("/admin/users", None).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.headers["location"], "/login?next=%2Fadmin%2Fusers");
}

#[sqlx::test(migrations = "../migrations")]
async fn oversized_requests_are_refused_before_they_are_read(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let huge = "x".repeat(server::http::MAX_REQUEST_BYTES + 1);
    let form = [
        ("email", "to@example.vn"),
        ("full_name", huge.as_str()),
        ("password", "long enough password"),
        ("password_confirm", "long enough password"),
    ];
    // Without a declared length (chunked): refused once it grows past the limit.
    let reply = app.post("/api/register", &form, None).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // With one, as browsers send: refused before anything is read.
    let length = (server::http::MAX_REQUEST_BYTES + 1).to_string();
    let declared = app
        .post_with(
            "/api/register",
            &[("full_name", "x")],
            None,
            &[("content-length", length.as_str())],
        )
        .await;
    assert_eq!(declared.status, StatusCode::PAYLOAD_TOO_LARGE);
    let upload = app
        .post_multipart(
            "/api/applications/upload_document",
            &[("kind", "degree")],
            ("lon.pdf", huge.as_bytes()),
            None,
        )
        .await;
    assert_eq!(upload.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(common::count(&pool, "users").await, 0);
}

/// Issue 16, item 9: a rendered page's Content-Security-Policy lets only the portal's own
/// scripts run — its inline scripts carry the nonce drawn for that response, a new one each
/// time — and the pages hold no inline event handler the policy would block.
#[sqlx::test(migrations = "../migrations")]
async fn rendered_pages_allow_only_their_own_scripts(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let mut nonces = Vec::new();
    for path in ["/", "/login", "/register", "/rounds"] {
        let reply = app.get(path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let policy = reply
            .headers
            .get(http::header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let script_src = policy
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src "))
            .unwrap_or_else(|| panic!("{path}: no script-src in {policy:?}"));
        let nonce = script_src
            .split_whitespace()
            .find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''))
            .unwrap_or_else(|| panic!("{path}: no nonce in {script_src:?}"))
            .to_string();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let scripts: Vec<&str> = reply.body.split("<script").skip(1).collect();
        assert!(!scripts.is_empty(), "{path}: the page loads its scripts");
        for script in scripts {
            let tag = &script[..script.find('>').unwrap_or(script.len())];
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: a script without the nonce: <script{tag}>"
            );
        }
        for handler in [
            " onclick=",
            " onload=",
            " onchange=",
            " onsubmit=",
            " onerror=",
        ] {
            assert!(
                !reply.body.contains(handler),
                "{path}: inline handler {handler}"
            );
        }
        nonces.push(nonce);
    }
    let distinct: std::collections::HashSet<&String> = nonces.iter().collect();
    assert_eq!(
        distinct.len(),
        nonces.len(),
        "a nonce is never reused: {nonces:?}"
    );
}

/// Issue 16, item 9: an upload endpoint sent an ordinary form (no multipart body) refuses it
/// with 400 and a message, instead of panicking inside the multipart reader.
#[sqlx::test(migrations = "../migrations")]
async fn a_plain_form_posted_to_an_upload_endpoint_is_refused_with_400(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let cookie = app
        .session_with_role("ns@example.vn", app::accounts::types::Role::HrOfficer)
        .await;
    for path in [
        "/api/hr/import_positions",
        "/api/marking/import_stage1",
        "/api/marking/import",
        "/api/hr/reconcile_fees",
        "/api/applications/upload_document",
    ] {
        let reply = app
            .post(path, &[("round_id", "x"), ("file", "=1+1")], Some(&cookie))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            reply.body
        );
        assert_eq!(reply.json(), serde_json::json!({"Request": ""}), "{path}");
    }
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
}

/// Issue 16, item 9: arguments that cannot be read (not a UUID, a field missing, a number too
/// large) get 400 and the portal's own message, never the deserializer's words.
#[sqlx::test(migrations = "../migrations")]
async fn malformed_arguments_get_400_without_the_deserializers_words(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    for (path, form) in [
        (
            "/api/results/lookup",
            vec![("round_id", "not-a-uuid"), ("number", "x"), ("code", "x")],
        ),
        ("/api/results/lookup", vec![("number", "x")]),
        (
            "/api/appeals/remark",
            vec![
                ("round_id", "00000000-0000-0000-0000-000000000000"),
                ("code", "x"),
                ("mark", "5"),
                ("version", "99999999999999999999"),
            ],
        ),
    ] {
        let reply = app.post(path, &form, None).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{path} {form:?}: {}",
            reply.body
        );
        assert_eq!(
            reply.json(),
            serde_json::json!({"Request": ""}),
            "{path} {form:?}"
        );
    }
}
