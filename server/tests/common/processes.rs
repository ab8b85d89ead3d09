//! The real server binary and its own PostgreSQL over loopback, driven by a browser-like HTTP
//! client: what the fault tests and the several-processes tests share.

use super::profile_fields;
use app::accounts::{password, repo, types::*};
use server::embedded_db::EmbeddedPostgres;
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};
use uuid::Uuid;

const SERVER: &str = env!("CARGO_BIN_EXE_server");
pub const PASSWORD: &str = "mật khẩu thí sinh 2026";
/// How long the portal waits for a database connection (`PORTAL_DB_WAIT_SECONDS`, default).
pub const DB_WAIT: Duration = Duration::from_secs(5);

/// A scratch directory PostgreSQL (running as another user) can enter; removed at the end.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("portal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("site")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// PostgreSQL on 127.0.0.1, as a deployed portal reaches it, so a test can stop and start it.
pub struct Database {
    cluster: EmbeddedPostgres,
    pub url: String,
}

impl Database {
    pub async fn start(dir: &Path, port: u16) -> Database {
        let cluster = EmbeddedPostgres::start_on_loopback(&dir.join("db"), port)
            .await
            .unwrap();
        let url = cluster.loopback_url(server::embedded_db::DATABASE);
        Database { cluster, url }
    }

    /// Stops PostgreSQL the way an operator's restart does (fast shutdown: open sessions end,
    /// transactions in progress are rolled back).
    pub async fn stop(self) {
        self.cluster.stop().await;
    }
}

/// The portal's server process.
pub struct Portal {
    child: Child,
}

impl Portal {
    /// The portal on `port`, logging to `portal.log` in `dir`.
    pub async fn start(dir: &Path, database_url: &str, port: u16) -> Portal {
        Portal::start_with(dir, "portal", database_url, port, &[]).await
    }

    /// The same, logging to `{name}.log`, with more settings in its environment.
    pub async fn start_with(
        dir: &Path,
        name: &str,
        database_url: &str,
        port: u16,
        settings: &[(&str, &str)],
    ) -> Portal {
        let log_path = dir.join(format!("{name}.log"));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .unwrap();
        let mut child = Command::new(SERVER)
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .env("LEPTOS_OUTPUT_NAME", "portal")
            .env("PORTAL_ENV", "production")
            .envs(settings.iter().copied())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let health = client
                .get(format!("http://127.0.0.1:{port}/healthz"))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return Portal { child };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the portal stopped ({status}): {}", tail(&log_path));
            }
            assert!(Instant::now() < deadline, "the portal did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown of any kind, as when the machine loses power or the OOM killer
    /// strikes.
    pub async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The process's memory: (now, peak) resident, in MB (`VmRSS` and `VmHWM`).
    pub fn memory_mb(&self) -> (u64, u64) {
        let pid = self.child.id().expect("the portal is running");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
                .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
                / 1024
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What one request got back.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    pub cookie: Option<String>,
}

/// A browser-like client of one portal process: posts forms from that process's own origin.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    origin: String,
}

impl Client {
    pub fn new(port: u16) -> Client {
        Client {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            origin: format!("http://127.0.0.1:{port}"),
        }
    }

    pub async fn post(
        &self,
        path: &str,
        fields: &[(String, String)],
        cookie: Option<&str>,
    ) -> Result<Answer, String> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.origin))
            .header("origin", &self.origin)
            .form(fields);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        self.send(request).await
    }

    /// Posts a multipart form (fields, then one file), as a browser's file upload does; asks
    /// for JSON, as the portal's own script does.
    pub async fn post_multipart(
        &self,
        path: &str,
        form: &[(&str, &str)],
        file: (&str, &[u8]),
        cookie: &str,
    ) -> Result<Answer, String> {
        let (content_type, body) = super::multipart(form, file);
        let request = self
            .http
            .post(format!("{}{path}", self.origin))
            .header("origin", &self.origin)
            .header("accept", "application/json")
            .header("content-type", content_type)
            .header("cookie", cookie)
            .body(body);
        self.send(request).await
    }

    pub async fn get(&self, path: &str) -> Result<Answer, String> {
        self.send(self.http.get(format!("{}{path}", self.origin)))
            .await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, String> {
        let response = request.send().await.map_err(cause)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let cookie = headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portal_session="))
            .map(|v| v.split(';').next().unwrap().to_string());
        let body = response.text().await.map_err(cause)?;
        Ok(Answer {
            status,
            headers,
            body,
            cookie,
        })
    }

    /// Signs in; the session cookie, or what the portal answered instead.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<String, Answer> {
        let login = self
            .post(
                "/api/login",
                &fields(&[("email", email), ("password", password)]),
                None,
            )
            .await
            .unwrap();
        login.cookie.clone().ok_or(login)
    }

    /// Signs in from `address`, as a proxy the portal trusts (`PORTAL_TRUST_PROXY`) says in
    /// `X-Forwarded-For`.
    pub async fn sign_in_from(
        &self,
        address: &str,
        email: &str,
        password: &str,
    ) -> Result<String, Answer> {
        let request = self
            .http
            .post(format!("{}/api/login", self.origin))
            .header("origin", &self.origin)
            .header("x-forwarded-for", address)
            .form(&fields(&[("email", email), ("password", password)]));
        let login = self.send(request).await.unwrap();
        login.cookie.clone().ok_or(login)
    }
}

/// An error with its causes ("error sending request" says little; "connection refused" does).
fn cause(error: reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        text = format!("{text}: {inner}");
        source = inner.source();
    }
    text
}

pub fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An open round (opened yesterday, closing in a month by the real clock) with one position.
pub async fn open_round(pool: &PgPool) -> (Uuid, Uuid) {
    let round: Uuid = sqlx::query_scalar(
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status)
         select 'Kỳ tuyển dụng thử tải', 'UBND tỉnh', 'Thông báo', now() - interval '1 day',
                now() + interval '30 days', id, 'open'
         from rule_sets where code = 'ND170-2025' and version = 1 returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let position: Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, majors, stage2_format)
         values ($1, 'KT-01', 'Chuyên viên kế toán', 'bachelor', '{\"Kế toán\"}', 'written')
         returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "with unit as (insert into units (code, name) values ('STC', 'Sở Tài chính') returning id)
         insert into position_units (position_id, unit_id, quota) select $1, id, 10 from unit",
    )
    .bind(position)
    .execute(pool)
    .await
    .unwrap();
    (round, position)
}

/// `n` applicants (`ts{i}@example.vn`), each signed in through the portal with a complete
/// profile and the position chosen: ready to press "Nộp hồ sơ". Returns their session cookies.
pub async fn ready_applicants(
    pool: &PgPool,
    client: &Client,
    round: Uuid,
    position: Uuid,
    n: usize,
) -> Vec<(Uuid, String)> {
    ready_applicants_through(pool, std::slice::from_ref(client), round, position, n).await
}

/// The same, applicant `i` going through `clients[i % clients.len()]` (a process of its own).
pub async fn ready_applicants_through(
    pool: &PgPool,
    clients: &[Client],
    round: Uuid,
    position: Uuid,
    n: usize,
) -> Vec<(Uuid, String)> {
    let hash = password::hash(&NewPassword::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    let name = FullName::parse("Nguyễn Thị Hoa").unwrap();
    let mut users = Vec::new();
    for i in 0..n {
        let email = Email::parse(&format!("ts{i}@example.vn")).unwrap();
        let id = repo::insert_user(pool, &email, &name, &hash, &[Role::Applicant], None)
            .await
            .unwrap();
        users.push((i, id));
    }
    let mut tasks = tokio::task::JoinSet::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(8));
    for (i, id) in users {
        let (client, slots) = (clients[i % clients.len()].clone(), slots.clone());
        tasks.spawn(async move {
            let _slot = slots.acquire().await.unwrap();
            let cookie = client
                .sign_in(&format!("ts{i}@example.vn"), PASSWORD)
                .await
                .unwrap_or_else(|a| panic!("sign-in refused: {} {}", a.status, a.body));
            let profile = client
                .post(
                    "/api/applications/save_profile",
                    &profile_fields(&format!("04019800{i:04}")),
                    Some(&cookie),
                )
                .await
                .unwrap();
            assert_eq!(profile.status, 200, "{}", profile.body);
            let choice = client
                .post(
                    "/api/applications/save_choice",
                    &fields(&[
                        ("round_id", &round.to_string()),
                        ("position_id", &position.to_string()),
                        ("priority_code", ""),
                    ]),
                    Some(&cookie),
                )
                .await
                .unwrap();
            assert_eq!(choice.status, 200, "{}", choice.body);
            (id, cookie)
        });
    }
    tasks.join_all().await
}

/// What pressing "Nộp hồ sơ" got.
#[derive(Debug)]
pub enum Outcome {
    /// A success page: the applicant was told the application is in.
    Acknowledged { application: Uuid, first_time: bool },
    /// The server answered with an error.
    Refused { status: u16, body: String },
    /// No answer (connection refused or cut).
    NoAnswer(String),
}

pub async fn submit(client: &Client, cookie: &str, round: Uuid) -> (Outcome, Duration) {
    let started = Instant::now();
    let answer = client
        .post(
            "/api/applications/submit",
            &fields(&[("round_id", &round.to_string()), ("declaration", "on")]),
            Some(cookie),
        )
        .await;
    let outcome = match answer {
        Err(err) => Outcome::NoAnswer(err),
        Ok(a) if a.status == 200 => {
            let body: serde_json::Value = serde_json::from_str(&a.body).unwrap();
            Outcome::Acknowledged {
                application: body["application_id"].as_str().unwrap().parse().unwrap(),
                first_time: body["first_time"].as_bool().unwrap(),
            }
        }
        Ok(a) => Outcome::Refused {
            status: a.status,
            body: a.body,
        },
    };
    (outcome, started.elapsed())
}

pub async fn scalar(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Applications, "submitted" timeline events and confirmation e-mails, and how many applicants
/// have more than one application.
pub async fn stored(pool: &PgPool) -> (i64, i64, i64, i64) {
    (
        scalar(pool, "select count(*) from applications").await,
        scalar(
            pool,
            "select count(*) from application_events where kind = 'submitted'",
        )
        .await,
        scalar(pool, "select count(*) from email_outbox").await,
        scalar(
            pool,
            "select count(*) from (select applicant_id from applications
                                   group by round_id, applicant_id having count(*) > 1) twice",
        )
        .await,
    )
}

/// How many of the acknowledged (application, applicant) pairs are stored and submitted.
pub async fn present(pool: &PgPool, acknowledged: &[(Uuid, Uuid)]) -> usize {
    let (applications, applicants): (Vec<Uuid>, Vec<Uuid>) = acknowledged.iter().copied().unzip();
    let found: i64 = sqlx::query_scalar(
        "select count(*) from applications a
         join unnest($1::uuid[], $2::uuid[]) as t(id, applicant) on t.id = a.id
         where a.applicant_id = t.applicant and a.status = 'submitted'",
    )
    .bind(&applications)
    .bind(&applicants)
    .fetch_one(pool)
    .await
    .unwrap();
    found as usize
}
