//! Drives the whole HTTP application in-process against a real PostgreSQL database.

#![allow(dead_code)]

pub mod hostile;
pub mod processes;

use app::server_support::Clock;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::http::{router, HttpSettings};
use sqlx::PgPool;
use std::net::SocketAddr;
use tower::ServiceExt;

/// Rows in a table, to prove that a refused request changed nothing.
pub async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The session cookie the server set, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portal_session="))
            .map(|v| v.split(';').next().unwrap().to_string())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl TestApp {
    pub fn new(pool: PgPool) -> TestApp {
        TestApp::with_clock(pool, Clock::system())
    }

    /// The app with a clock the test moves (deadlines are checked against it).
    pub fn with_clock(pool: PgPool, clock: Clock) -> TestApp {
        TestApp::with_settings(pool, clock, false)
    }

    /// The app behind a trusted proxy: a test says which client address it calls from with
    /// `X-Forwarded-For`.
    pub fn behind_proxy(pool: PgPool) -> TestApp {
        TestApp::with_settings(pool, Clock::system(), true)
    }

    /// The app with sessions ending after `minutes` without use.
    pub fn with_idle_minutes(pool: PgPool, minutes: i64) -> TestApp {
        TestApp::with_settings_idle(pool, Clock::system(), false, minutes)
    }

    fn with_settings(pool: PgPool, clock: Clock, trust_proxy: bool) -> TestApp {
        TestApp::with_settings_idle(pool, clock, trust_proxy, 60)
    }

    fn with_settings_idle(pool: PgPool, clock: Clock, trust_proxy: bool, idle: i64) -> TestApp {
        let settings = HttpSettings {
            public_origin: None,
            secure_cookies: false,
            trust_proxy,
            session_idle_minutes: idle,
            clock,
        };
        TestApp {
            router: router(
                pool.clone(),
                LeptosOptions::builder().output_name("portal").build(),
                settings,
            ),
            pool,
        }
    }

    /// POSTs a form to a server function, as a same-origin script would.
    pub async fn post(&self, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.post_with(path, form, cookie, &[]).await
    }

    /// A form POST with neither `Sec-Fetch-Site` nor `Origin`: what no browser page sends.
    pub async fn post_without_origin(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Reply {
        self.post_form(path, form, cookie, &[], false).await
    }

    pub async fn post_with(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        extra_headers: &[(&str, &str)],
    ) -> Reply {
        self.post_form(path, form, cookie, extra_headers, true)
            .await
    }

    async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        extra_headers: &[(&str, &str)],
        from_the_site: bool,
    ) -> Reply {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut request = Request::post(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        // As a browser on the site itself does, unless the test says where the request is from.
        let says_where = extra_headers.iter().any(|(n, _)| {
            n.eq_ignore_ascii_case("sec-fetch-site") || n.eq_ignore_ascii_case("origin")
        });
        if from_the_site && !says_where {
            request = request.header("sec-fetch-site", "same-origin");
        }
        for (name, value) in extra_headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// POSTs a multipart form (fields, then one file), as a browser's file upload does.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
        cookie: Option<&str>,
    ) -> Reply {
        let (content_type, body) = multipart(fields, file);
        let mut request = Request::post(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// A signed-in session for a new user holding `role`.
    pub async fn session_with_role(&self, email: &str, role: app::accounts::types::Role) -> String {
        let password = "mật khẩu cán bộ 2026";
        self.create_user(email, password, &[role]).await;
        self.session_for(email, password).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn send(&self, mut request: Request<Body>) -> Reply {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    /// Registers an applicant and returns the session cookie.
    pub async fn register(&self, email: &str, password: &str) -> String {
        let reply = self
            .post(
                "/api/register",
                &[
                    ("email", email),
                    ("full_name", "Nguyễn Văn Thử"),
                    ("password", password),
                    ("password_confirm", password),
                ],
                None,
            )
            .await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "register failed: {} {}",
            reply.status,
            reply.body
        );
        assert!(
            reply.session_cookie().is_none(),
            "signed in before confirming"
        );
        let code = self.confirmation_code(email).await;
        let reply = self.confirm_registration(email, &code).await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "confirming failed: {} {}",
            reply.status,
            reply.body
        );
        reply.session_cookie().expect("confirming signs in")
    }

    /// The code of the latest registration e-mail sent to `email` (read from the outbox, as the
    /// applicant reads their mail).
    pub async fn confirmation_code(&self, email: &str) -> String {
        let body: String = sqlx::query_scalar(
            "select body from email_outbox where to_address = lower(trim($1))
             order by id desc limit 1",
        )
        .bind(email)
        .fetch_one(&self.pool)
        .await
        .expect("a registration e-mail");
        confirmation_code_in(&body).unwrap_or_else(|| panic!("no code in {body}"))
    }

    pub async fn confirm_registration(&self, email: &str, code: &str) -> Reply {
        self.post(
            "/api/register/confirm",
            &[("email", email), ("code", code)],
            None,
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/api/login",
            &[("email", email), ("password", password)],
            None,
        )
        .await
    }

    /// Creates a user with the given roles directly, the way the demo seed does.
    pub async fn create_user(
        &self,
        email: &str,
        password: &str,
        roles: &[app::accounts::types::Role],
    ) {
        use app::accounts::{password as pw, repo, types::*};
        let hash = pw::hash(&NewPassword::parse(password).unwrap())
            .await
            .unwrap();
        repo::insert_user(
            &self.pool,
            &Email::parse(email).unwrap(),
            &FullName::parse("Cán Bộ Thử").unwrap(),
            &hash,
            roles,
            None,
        )
        .await
        .unwrap();
    }

    /// Signs in and returns the session cookie.
    pub async fn session_for(&self, email: &str, password: &str) -> String {
        let reply = self.login(email, password).await;
        reply
            .session_cookie()
            .unwrap_or_else(|| panic!("sign-in failed: {} {}", reply.status, reply.body))
    }
}

/// A multipart form of `fields` and then one `file` (name, content), as a browser uploads
/// it: its content type and its body.
pub fn multipart(fields: &[(&str, &str)], file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----portal-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A test round under Decree 170/2025 (candidate prefix NA27, closed on 1 December 2026) in
/// `status`, and the unit STC its positions are in: (round, unit).
pub async fn round_with_unit(pool: &PgPool, status: &str) -> (uuid::Uuid, uuid::Uuid) {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    let round: uuid::Uuid = sqlx::query_scalar(
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status,
                             candidate_prefix)
         select 'Kỳ tuyển dụng thử', 'UBND tỉnh', 'Thông báo', $1, $2, id, $3, 'NA27'
         from rule_sets where code = 'ND170-2025' and version = 1 returning id",
    )
    .bind(time::macros::datetime!(2026-11-01 08:00 +7))
    .bind(time::macros::datetime!(2026-12-01 17:00 +7))
    .bind(status)
    .fetch_one(pool)
    .await
    .unwrap();
    let unit: uuid::Uuid = sqlx::query_scalar(
        "insert into units (code, name) values ('STC', 'Sở Tài chính') returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (round, unit)
}

/// An eligible, fee-paid application by a new user (`ts{n}@example.vn`) for `position`, with
/// candidate number `n` in the round: the starting point of exam-stage fixtures.
pub async fn numbered_candidate(
    pool: &PgPool,
    round: uuid::Uuid,
    position: uuid::Uuid,
    n: i32,
    name: &str,
    date_of_birth: time::Date,
) -> uuid::Uuid {
    let id: uuid::Uuid = sqlx::query_scalar(
        "with u as (insert into users (email, full_name, password_hash)
                    values ('ts' || $1 || '@example.vn', $2, 'không dùng') returning id)
         insert into applications (round_id, position_id, applicant_id, receipt_code,
                                   national_id, full_name, date_of_birth, form, status,
                                   fee_amount, fee_paid_at)
         select $3, $4, u.id, 'RC' || $1, lpad($1, 12, '0'), $2, $5, '{}', 'eligible',
                500000, now()
         from u returning id",
    )
    .bind(n.to_string())
    .bind(name)
    .bind(round)
    .bind(position)
    .bind(date_of_birth)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into candidate_numbers (application_id, round_id, number) values ($1, $2, $3)",
    )
    .bind(id)
    .bind(round)
    .bind(n)
    .execute(pool)
    .await
    .unwrap();
    id
}

/// The password of every staff account the tests make.
pub const STAFF_PASSWORD: &str = "mật khẩu cán bộ 2026";

/// A staff member: their account and a signed-in session.
#[derive(Clone)]
pub struct Staff {
    pub id: uuid::Uuid,
    pub email: String,
    pub cookie: String,
}

/// A new staff account with `roles`, signed in.
pub async fn staff(app: &TestApp, email: &str, roles: &[app::accounts::types::Role]) -> Staff {
    app.create_user(email, STAFF_PASSWORD, roles).await;
    let id = sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    Staff {
        id,
        email: email.to_string(),
        cookie: app.session_for(email, STAFF_PASSWORD).await,
    }
}

/// The field and message of a refusal.
pub fn refusal(reply: &Reply) -> (String, String) {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let error = &reply.json()["Invalid"][0];
    (
        error["field"].as_str().unwrap_or_default().to_string(),
        error["msg"].as_str().unwrap_or_default().to_string(),
    )
}

/// What `refusal` returns for a refusal of `field` with `msg`.
pub fn refused(field: &str, msg: &str) -> (String, String) {
    (field.to_string(), msg.to_string())
}

/// Stage-2 marking of `round` started by `hr`, locked and decoded by `chair` on 1 March 2027,
/// as the chair leaves it.
pub async fn decoded(pool: &PgPool, round: uuid::Uuid, hr: uuid::Uuid, chair: uuid::Uuid) {
    sqlx::query(
        "insert into marking_stages (round_id, stage, started_at, started_by, locked_at,
                                     locked_by, decoded_at, decoded_by)
         values ($1, 2, $2, $3, $2, $4, $2, $4)",
    )
    .bind(round)
    .bind(time::macros::datetime!(2027-03-01 08:00 +7))
    .bind(hr)
    .bind(chair)
    .execute(pool)
    .await
    .unwrap();
}

/// The Mẫu 01 fields of a complete profile, as the form posts them.
pub fn profile_fields(national_id: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("full_name", "Nguyễn Thị Hoa"),
        ("dob_day", "05"),
        ("dob_month", "09"),
        ("dob_year", "1998"),
        ("sex", "female"),
        ("national_id", national_id),
        ("id_issue_day", "10"),
        ("id_issue_month", "3"),
        ("id_issue_year", "2021"),
        ("id_issue_place", "Cục Cảnh sát QLHC về TTXH"),
        ("ethnicity", "Kinh"),
        ("religion", "Không"),
        ("phone", "0912 345 678"),
        ("contact_email", "hoa@example.vn"),
        ("hometown", "Nghi Lộc, Nghệ An"),
        ("permanent_address", "Số 1 Lê Lợi, Vinh"),
        ("current_address", "Số 1 Lê Lợi, Vinh"),
        ("health", "Tốt"),
        ("height_cm", "158"),
        ("weight_kg", "50"),
        ("general_education", "12/12"),
        ("foreign_language", "Tiếng Anh B1"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("form[{k}]"), v.to_string()))
    .collect();
    for (k, v) in [
        ("level", "bachelor"),
        ("major", "Kế toán"),
        ("institution", "Trường Đại học Vinh"),
        ("graduated", "06/2020"),
        ("serial", "QH-2020-001234"),
        ("mode", "full_time"),
        ("classification", "good"),
    ] {
        fields.push((format!("form[degrees][0][{k}]"), v.to_string()));
    }
    fields
}

/// Waits until a publication's queued notices are all recorded (the publishing request starts
/// telling everyone in the background; this delivers too, as every process's mailer task
/// does): at most 10 seconds.
pub async fn everyone_told(pool: &PgPool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        server::mailer::deliver_notices(pool).await.unwrap();
        let left: i64 = sqlx::query_scalar("select count(*) from notice_queue")
            .fetch_one(pool)
            .await
            .unwrap();
        if left == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{left} notices still queued"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The confirmation code a registration e-mail carries (`Mã xác nhận: K7P4-X9QM`).
pub fn confirmation_code_in(body: &str) -> Option<String> {
    let (_, rest) = body.split_once("Mã xác nhận: ")?;
    Some(rest.chars().take(9).collect())
}

/// A stage-1 exam session of `round` at a new venue, starting `days` from now; its id.
pub async fn exam_session_in(pool: &PgPool, round: &str, days: i32) -> uuid::Uuid {
    let venue: uuid::Uuid = sqlx::query_scalar(
        "insert into venues (round_id, name, address) values ($1::uuid, 'Trường Chính trị', 'Vinh')
         returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query_scalar(
        "insert into exam_sessions (round_id, stage, name, venue_id, starts_at, duration_minutes)
         values ($1::uuid, 1, 'Ca 1', $2, now() + make_interval(days => $3), 60) returning id",
    )
    .bind(round)
    .bind(venue)
    .bind(days)
    .fetch_one(pool)
    .await
    .unwrap()
}
