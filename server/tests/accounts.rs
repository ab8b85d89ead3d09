//! Registration, sign-in, sessions and throttling, through the real HTTP endpoints.

mod common;

use app::accounts::service::LOGIN_LIMITS;
use common::TestApp;
use http::StatusCode;
use sqlx::PgPool;

const PASSWORD: &str = "mật khẩu đủ dài 2026";

#[sqlx::test(migrations = "../migrations")]
async fn registration_creates_a_signed_in_applicant(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let cookie = app.register("  Ung.Vien@Example.VN ", PASSWORD).await;

    let me = app.post("/api/current_user", &[], Some(&cookie)).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["email"], "ung.vien@example.vn");
    assert_eq!(me["full_name"], "Nguyễn Văn Thử");
    assert_eq!(me["roles"], serde_json::json!(["Applicant"]));

    let hash: String = sqlx::query_scalar("select password_hash from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!hash.contains(PASSWORD));
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_registration_changes_nothing(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let reply = app
        .post(
            "/api/register",
            &[
                ("email", "not-an-email"),
                ("full_name", " "),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = reply.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["full_name", "email", "password"]);
    assert!(reply.session_cookie().is_none());
    let users = common::count(&pool, "users").await;
    assert_eq!(users, 0);
}

/// Issue 16, item 9: the registration form does not tell anyone which addresses have
/// accounts. An address already registered gets the same answer as a new one — same status,
/// same body, no session, a page asking for the e-mailed code — and its owner an e-mail
/// saying so; no second account, no code that could confirm one.
#[sqlx::test(migrations = "../migrations")]
async fn registering_a_taken_address_answers_as_for_a_new_one_and_tells_its_owner(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    app.register("mot@example.vn", PASSWORD).await;
    let attempt = |email: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/register",
                &[
                    ("email", email),
                    ("full_name", "Người Khác"),
                    ("password", "another long password"),
                    ("password_confirm", "another long password"),
                ],
                None,
            )
            .await
        }
    };
    let taken = attempt("MOT@example.vn").await;
    let new = attempt("moi@example.vn").await;
    assert_eq!(taken.status, new.status);
    assert_eq!(taken.body, new.body);
    assert!(taken.session_cookie().is_none() && new.session_cookie().is_none());
    assert_eq!(
        taken.headers["location"],
        "/register/confirm?email=mot%40example.vn"
    );
    assert_eq!(
        new.headers["location"],
        "/register/confirm?email=moi%40example.vn"
    );
    // The owner is told; no code exists for their address.
    let (subject, body): (String, String) = sqlx::query_as(
        "select subject, body from email_outbox where to_address = 'mot@example.vn'
         order by id desc limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        subject.starts_with("Có người đăng ký bằng địa chỉ email của bạn"),
        "{subject}"
    );
    assert!(common::confirmation_code_in(&body).is_none());
    assert_eq!(common::count(&pool, "pending_registrations").await, 1);
    let guess = app
        .confirm_registration("mot@example.vn", "ABCD-EFGH")
        .await;
    let wrong = app
        .confirm_registration("moi@example.vn", "ABCD-EFGH")
        .await;
    assert_eq!((guess.status, &guess.body), (wrong.status, &wrong.body));
    assert!(guess.body.contains("ErrConfirmationCode"), "{}", guess.body);
    // One account, untouched, still signing in with its own password.
    assert_eq!(common::count(&pool, "users").await, 1);
    assert_eq!(
        app.login("mot@example.vn", PASSWORD).await.status,
        StatusCode::OK
    );
}

/// A registration becomes an account only with the code sent to its address, within 30
/// minutes, in at most five tries.
#[sqlx::test(migrations = "../migrations")]
async fn a_registration_is_confirmed_only_with_its_code(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let register = |email: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/register",
                &[
                    ("email", email),
                    ("full_name", "Nguyễn Văn Thử"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
                None,
            )
            .await
        }
    };
    register("bon@example.vn").await;
    assert_eq!(
        common::count(&pool, "users").await,
        0,
        "no account before the code"
    );
    let code = app.confirmation_code("bon@example.vn").await;
    // Five wrong codes end the registration: the right one then fails too.
    for _ in 0..5 {
        let wrong = app
            .confirm_registration("bon@example.vn", "0000-0000")
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
    }
    let late = app.confirm_registration("bon@example.vn", &code).await;
    assert!(late.body.contains("ErrConfirmationCode"), "{}", late.body);
    assert_eq!(common::count(&pool, "users").await, 0);

    // An expired code is refused; a fresh registration's code, typed in lower case, works.
    register("bon@example.vn").await;
    let code = app.confirmation_code("bon@example.vn").await;
    sqlx::query("update pending_registrations set expires_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let expired = app.confirm_registration("bon@example.vn", &code).await;
    assert!(
        expired.body.contains("ErrConfirmationCode"),
        "{}",
        expired.body
    );
    register("bon@example.vn").await;
    let code = app.confirmation_code("bon@example.vn").await;
    let confirmed = app
        .confirm_registration(" BON@example.vn ", &code.to_lowercase())
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(confirmed.headers["location"], "/account");
    assert!(confirmed.session_cookie().is_some());
    assert_eq!(common::count(&pool, "users").await, 1);
    assert_eq!(common::count(&pool, "pending_registrations").await, 0);
    // The code is used up.
    let again = app.confirm_registration("bon@example.vn", &code).await;
    assert!(again.body.contains("ErrConfirmationCode"), "{}", again.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn wrong_and_unknown_credentials_get_the_same_answer(pool: PgPool) {
    let app = TestApp::new(pool);
    app.register("hai@example.vn", PASSWORD).await;
    let wrong = app.login("hai@example.vn", "wrong password here").await;
    let unknown = app.login("nobody@example.vn", PASSWORD).await;
    for reply in [&wrong, &unknown] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.body, "\"InvalidCredentials\"");
        assert!(reply.session_cookie().is_none());
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_rotates_the_session_and_sign_out_ends_it(pool: PgPool) {
    let app = TestApp::new(pool);
    let first = app.register("ba@example.vn", PASSWORD).await;
    let second = app.session_for("ba@example.vn", PASSWORD).await;
    assert_ne!(first, second, "a new session id at every sign-in");

    let reply = app.post("/api/logout", &[], Some(&second)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["location"], "/");
    let me = app.post("/api/current_user", &[], Some(&second)).await;
    assert_eq!(me.body, "null", "the old cookie no longer signs anyone in");
}

/// A request still running when its session is ended must not bring the session back when it
/// finishes: the write-back after the response only updates a session that still exists.
/// The request is held inside its handler by a lock on `users`, after it has read its session.
#[sqlx::test(migrations = "../migrations")]
async fn a_request_in_flight_cannot_undo_a_sign_out(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let cookie = app.register("treo@example.vn", PASSWORD).await;
    let other = app.session_for("treo@example.vn", PASSWORD).await;

    for (ended_by, in_flight) in [("sign-out", &cookie), ("password change", &other)] {
        let mut hold = pool.begin().await.unwrap();
        sqlx::query("lock table users in access exclusive mode")
            .execute(&mut *hold)
            .await
            .unwrap();
        let slow = TestApp {
            router: app.router.clone(),
            pool: pool.clone(),
        };
        let slow_cookie = in_flight.clone();
        let request = tokio::spawn(async move {
            slow.post("/api/current_user", &[], Some(&slow_cookie))
                .await
        });
        // Wait until the request has read its session and waits for the lock.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let waiting = loop {
            let waiting: i64 = sqlx::query_scalar(
                "select count(*) from pg_locks where not granted and relation = 'users'::regclass",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            if waiting > 0 {
                break waiting;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the request did not reach the locked table within 30 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        };
        assert_eq!(waiting, 1, "the request waits inside its handler");

        if ended_by == "sign-out" {
            let out = app.post("/api/logout", &[], Some(&cookie)).await;
            assert_eq!(out.status, StatusCode::OK, "{}", out.body);
        } else {
            // The lock also holds the password change; end the other session the way the
            // change does, by deleting every session of the account but the caller's.
            sqlx::query("delete from tower_sessions.session")
                .execute(&pool)
                .await
                .unwrap();
        }
        hold.commit().await.unwrap();
        let finished = request.await.unwrap();
        assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);

        let me = app.post("/api/current_user", &[], Some(in_flight)).await;
        assert_eq!(
            me.body, "null",
            "after the {ended_by}, the cookie of the request in flight signs no one in"
        );
        let id = in_flight.trim_start_matches("portal_session=");
        let kept: i64 =
            sqlx::query_scalar("select count(*) from tower_sessions.session where id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(kept, 0, "nothing was written back after the {ended_by}");
    }
}

/// A request that changes nothing in the session writes it back only when its idle expiry
/// would move by more than a thirtieth of the timeout (2 seconds at 1 minute here, a minute
/// at the default 30): one database write saved per request, and the session still lives on
/// while it is used.
#[sqlx::test(migrations = "../migrations")]
async fn a_session_used_again_soon_is_not_written_again(pool: PgPool) {
    let app = TestApp::with_idle_minutes(pool.clone(), 1);
    let cookie = app.register("khoa@example.vn", PASSWORD).await;
    let stored = || async {
        sqlx::query_as::<_, (time::OffsetDateTime, Vec<u8>)>(
            "select expiry_date, data from tower_sessions.session",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let (expiry, data) = stored().await;
    for _ in 0..3 {
        let me = app.post("/api/current_user", &[], Some(&cookie)).await;
        assert!(me.body.contains("khoa@example.vn"), "{}", me.body);
    }
    assert_eq!(
        stored().await,
        (expiry, data),
        "used again within the slack: not written"
    );

    // As if it was last used 3 seconds ago, past the slack, without waiting for it: the store
    // compares with the record as stored (the encoded data and the expiry column alike).
    let (id, encoded): (String, Vec<u8>) =
        sqlx::query_as("select id, data from tower_sessions.session")
            .fetch_one(&pool)
            .await
            .unwrap();
    let mut record: tower_sessions::session::Record = rmp_serde::from_slice(&encoded).unwrap();
    record.expiry_date -= time::Duration::seconds(3);
    sqlx::query("update tower_sessions.session set data = $2, expiry_date = $3 where id = $1")
        .bind(&id)
        .bind(rmp_serde::to_vec(&record).unwrap())
        .bind(record.expiry_date)
        .execute(&pool)
        .await
        .unwrap();
    let me = app.post("/api/current_user", &[], Some(&cookie)).await;
    assert!(me.body.contains("khoa@example.vn"), "{}", me.body);
    let (moved, _) = stored().await;
    let ahead = moved - time::OffsetDateTime::now_utc();
    assert!(
        moved > expiry && ahead > time::Duration::seconds(58),
        "used after the slack: the expiry moved on to a minute from now ({ahead})"
    );

    // Signing out still ends it at once.
    let out = app.post("/api/logout", &[], Some(&cookie)).await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    let me = app.post("/api/current_user", &[], Some(&cookie)).await;
    assert_eq!(me.body, "null");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_session_cookie_is_http_only_and_same_site(pool: PgPool) {
    let app = TestApp::new(pool);
    app.register("bon@example.vn", PASSWORD).await;
    let reply = app.login("bon@example.vn", PASSWORD).await;
    let cookie = reply
        .headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("portal_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        cookie.contains("Max-Age=3600"),
        "idle timeout of 60 minutes: {cookie}"
    );
}

/// Every answer — a page, a server function, a refusal, a missing file — carries the headers
/// that keep it out of frames, sniffing, other sites' referrers and shared caches.
#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_the_security_headers(pool: PgPool) {
    let app = TestApp::new(pool);
    let cookie = app.register("muoi@example.vn", PASSWORD).await;
    let replies = [
        ("home page", app.get("/", None).await),
        (
            "signed-in page",
            app.get("/applications", Some(&cookie)).await,
        ),
        (
            "server function",
            app.post("/api/current_user", &[], Some(&cookie)).await,
        ),
        ("refusal", app.post("/api/current_user", &[], None).await),
        ("unknown page", app.get("/khong-co", None).await),
    ];
    for (what, reply) in &replies {
        let h = &reply.headers;
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["x-frame-options"], "DENY", "{what}");
        assert_eq!(h["referrer-policy"], "same-origin", "{what}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert_eq!(h["cache-control"], "no-store", "{what}");
        assert!(
            !h.contains_key("strict-transport-security"),
            "{what}: plain http"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn repeated_failures_lock_the_account_for_a_while(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    app.register("nam@example.vn", PASSWORD).await;
    for _ in 0..LOGIN_LIMITS.per_account {
        let reply = app.login("nam@example.vn", "guessing the password").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now, without revealing whether it was right.
    let reply = app.login("nam@example.vn", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.body, "\"TooManyAttempts\"");

    // Once the window has passed, the right password works and the count starts again.
    sqlx::query("update login_failures set failed_at = failed_at - interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app.login("nam@example.vn", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn failures_from_one_address_are_limited_across_accounts(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    app.register("sau@example.vn", PASSWORD).await;
    sqlx::query(
        "insert into login_failures (email, client_addr)
         select 'guess' || n || '@example.vn', '127.0.0.1' from generate_series(1, $1) n",
    )
    .bind(LOGIN_LIMITS.per_client as i32)
    .execute(&pool)
    .await
    .unwrap();
    let reply = app.login("sau@example.vn", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The limits hold however many guesses arrive at once, and across server processes (two
/// routers on one database here): each attempt is counted and recorded before its password is
/// checked, under a lock per account and per address.
#[sqlx::test(migrations = "../migrations")]
async fn sign_in_limits_hold_under_concurrency_across_processes(pool: PgPool) {
    let first = TestApp::new(pool.clone());
    let second = TestApp::new(pool.clone());
    first.register("dong@example.vn", PASSWORD).await;
    sqlx::query("delete from login_failures")
        .execute(&pool)
        .await
        .unwrap();

    // Sends every (email, password) at once, alternating between the two processes, and
    // counts the answers by status.
    let at_once = |tries: Vec<(String, &'static str)>| {
        let mut requests = tokio::task::JoinSet::new();
        for (n, (email, password)) in tries.into_iter().enumerate() {
            let app = if n % 2 == 0 { &first } else { &second };
            let app = TestApp {
                router: app.router.clone(),
                pool: app.pool.clone(),
            };
            requests.spawn(async move { app.login(&email, password).await.status.as_u16() });
        }
        async move {
            let mut by = std::collections::BTreeMap::<u16, usize>::new();
            while let Some(status) = requests.join_next().await {
                *by.entry(status.unwrap()).or_default() += 1;
            }
            by
        }
    };

    // 29 wrong passwords and the right one, all at once, half through each process.
    let tries = (0..30)
        .map(|n| {
            let password = if n == 29 {
                PASSWORD
            } else {
                "a wrong guess, again"
            };
            ("dong@example.vn".to_string(), password)
        })
        .collect();
    let by = at_once(tries).await;
    let checked = by.get(&200).copied().unwrap_or(0) + by.get(&401).copied().unwrap_or(0);
    assert_eq!(
        checked, LOGIN_LIMITS.per_account as usize,
        "only {} passwords are checked per account: {by:?}",
        LOGIN_LIMITS.per_account
    );
    assert_eq!(by.get(&429).copied(), Some(30 - checked), "{by:?}");

    // 80 wrong passwords for 80 accounts from one address: at most 50 are checked.
    sqlx::query("delete from login_failures")
        .execute(&pool)
        .await
        .unwrap();
    let tries = (0..80)
        .map(|n| (format!("khach{n}@example.vn"), "a wrong guess, again"))
        .collect();
    let by = at_once(tries).await;
    assert_eq!(
        by.get(&401).copied(),
        Some(LOGIN_LIMITS.per_client as usize),
        "{by:?}"
    );
    assert_eq!(
        by.get(&429).copied(),
        Some(80 - LOGIN_LIMITS.per_client as usize),
        "{by:?}"
    );
    let recorded = common::count(&pool, "login_failures").await;
    assert_eq!(recorded, LOGIN_LIMITS.per_client);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_disabled_account_cannot_sign_in_or_keep_its_session(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let cookie = app.register("bay@example.vn", PASSWORD).await;
    sqlx::query("update users set disabled_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app.post("/api/current_user", &[], Some(&cookie)).await.body,
        "null"
    );
    assert_eq!(
        app.login("bay@example.vn", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_only_redirects_within_the_site(pool: PgPool) {
    let app = TestApp::new(pool);
    app.register("tam@example.vn", PASSWORD).await;
    let reply = app
        .post(
            "/api/login",
            &[
                ("email", "tam@example.vn"),
                ("password", PASSWORD),
                ("next", "//evil.example/phish"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.headers["location"], "/");
    let reply = app
        .post(
            "/api/login",
            &[
                ("email", "tam@example.vn"),
                ("password", PASSWORD),
                ("next", "/admin/users"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.headers["location"], "/admin/users");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_password_change_checks_the_old_one_and_ends_other_sessions(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let here = app.register("chin@example.vn", PASSWORD).await;
    let elsewhere = app.session_for("chin@example.vn", PASSWORD).await;
    let change = |current: &'static str,
                  new: &'static str,
                  confirm: &'static str,
                  cookie: Option<String>| {
        let app = &app;
        async move {
            app.post(
                "/api/account/change_password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("new_password_confirm", confirm),
                ],
                cookie.as_deref(),
            )
            .await
        }
    };
    let anonymous = change(
        PASSWORD,
        "một mật khẩu mới dài",
        "một mật khẩu mới dài",
        None,
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let wrong = change(
        "not my password",
        "một mật khẩu mới dài",
        "một mật khẩu mới dài",
        Some(here.clone()),
    )
    .await;
    assert_eq!(wrong.json()["Invalid"][0]["field"], "current_password");
    let mismatch = change(
        PASSWORD,
        "một mật khẩu mới dài",
        "khác hẳn nhau rồi",
        Some(here.clone()),
    )
    .await;
    assert_eq!(
        mismatch.json()["Invalid"][0]["field"],
        "new_password_confirm"
    );
    let same = change(PASSWORD, PASSWORD, PASSWORD, Some(here.clone())).await;
    assert_eq!(same.json()["Invalid"][0]["msg"], "ErrSamePassword");

    let done = change(
        PASSWORD,
        "một mật khẩu mới dài",
        "một mật khẩu mới dài",
        Some(here.clone()),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let renewed = done.session_cookie().expect("a new session id");
    assert_ne!(renewed, here);
    assert_eq!(
        app.post("/api/current_user", &[], Some(&renewed))
            .await
            .json()["email"],
        "chin@example.vn"
    );
    assert_eq!(
        app.post("/api/current_user", &[], Some(&elsewhere))
            .await
            .body,
        "null",
        "the other session was ended"
    );
    assert_eq!(
        app.login("chin@example.vn", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("chin@example.vn", "một mật khẩu mới dài")
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn guesses_at_one_account_from_many_addresses_still_lock_it(pool: PgPool) {
    let app = TestApp::behind_proxy(pool.clone());
    app.register("bay@example.vn", PASSWORD).await;
    let from = |n: i64| format!("198.51.100.{n}");
    let login = |n: i64, password: &'static str| {
        let (app, address) = (&app, from(n));
        async move {
            app.post_with(
                "/api/login",
                &[("email", "bay@example.vn"), ("password", password)],
                None,
                &[("x-forwarded-for", &address)],
            )
            .await
        }
    };
    // A botnet tries one guess per address: the account's own count still stops it.
    for n in 1..=LOGIN_LIMITS.per_account {
        assert_eq!(
            login(n, "đoán mật khẩu").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    for n in 101..=110 {
        let reply = login(n, "đoán mật khẩu").await;
        assert_eq!(
            reply.status,
            StatusCode::TOO_MANY_REQUESTS,
            "guess from address {n}"
        );
    }
    let right = login(200, PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        common::count(&pool, "login_failures").await,
        LOGIN_LIMITS.per_account
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn registrations_from_one_address_are_limited_to_twenty_an_hour_across_processes(
    pool: PgPool,
) {
    // Two server processes on one database (issue 16, item 10): the limit is kept in the
    // database, so they hold twenty an hour from one address together, not twenty each.
    let first = TestApp::behind_proxy(pool.clone());
    let second = TestApp::behind_proxy(pool.clone());
    let register = |n: u32, address: &'static str| {
        let app = if n.is_multiple_of(2) { &first } else { &second };
        async move {
            let email = format!("dk{n}@example.vn");
            app.post_with(
                "/api/register",
                &[
                    ("email", email.as_str()),
                    ("full_name", "Nguyễn Văn Thử"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
                None,
                &[("x-forwarded-for", address)],
            )
            .await
        }
    };
    for n in 1..=20 {
        let reply = register(n, "203.0.113.77").await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "registration {n}: {}",
            reply.body
        );
    }
    let refused = register(21, "203.0.113.77").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("ErrTooManyRegistrations"),
        "{}",
        refused.body
    );
    assert!(refused.session_cookie().is_none());
    assert_eq!(common::count(&pool, "pending_registrations").await, 20);
    // Another address is not held back.
    let other = register(22, "203.0.113.78").await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_session_left_idle_past_its_timeout_signs_no_one_in(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let cookie = app.register("tam@example.vn", PASSWORD).await;
    let me = app.post("/api/current_user", &[], Some(&cookie)).await;
    assert!(me.body.contains("tam@example.vn"), "{}", me.body);
    // Each request moves the expiry 60 minutes on; one that is past has been idle too long.
    let expiry: time::OffsetDateTime =
        sqlx::query_scalar("select max(expiry_date) from tower_sessions.session")
            .fetch_one(&pool)
            .await
            .unwrap();
    let ahead = expiry - time::OffsetDateTime::now_utc();
    assert!(
        ahead > time::Duration::minutes(59) && ahead <= time::Duration::minutes(60),
        "{ahead}"
    );
    sqlx::query("update tower_sessions.session set expiry_date = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let me = app.post("/api/current_user", &[], Some(&cookie)).await;
    assert_eq!(
        me.body, "null",
        "the idle session no longer signs anyone in"
    );
}
