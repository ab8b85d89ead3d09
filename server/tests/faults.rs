//! Faults under load, against the real server binary and its own PostgreSQL over loopback:
//! the portal killed (SIGKILL) while applicants are submitting, and PostgreSQL restarted while
//! they are. Each test prints what it tried and what held.
//!
//! They start processes and take about a minute, so they are marked `ignore` and run on their
//! own by `scripts/faults` (which the test command calls):
//! `cargo test -p server --test faults -- --ignored --nocapture --test-threads 1`.

mod common;

use app::accounts::{password, repo, types::*};
use common::profile_fields;
use server::embedded_db::EmbeddedPostgres;
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};
use uuid::Uuid;

const SERVER: &str = env!("CARGO_BIN_EXE_server");
const PASSWORD: &str = "mật khẩu thí sinh 2026";
/// How long the portal waits for a database connection (`PORTAL_DB_WAIT_SECONDS`, default).
const DB_WAIT: Duration = Duration::from_secs(5);

/// A scratch directory PostgreSQL (running as another user) can enter; removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
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
struct Database {
    cluster: EmbeddedPostgres,
    url: String,
}

impl Database {
    async fn start(dir: &Path, port: u16) -> Database {
        let cluster = EmbeddedPostgres::start_on_loopback(&dir.join("db"), port)
            .await
            .unwrap();
        let url = cluster.loopback_url(server::embedded_db::DATABASE);
        Database { cluster, url }
    }

    /// Stops PostgreSQL the way an operator's restart does (fast shutdown: open sessions end,
    /// transactions in progress are rolled back).
    async fn stop(self) {
        self.cluster.stop().await;
    }
}

/// The portal's server process.
struct Portal {
    child: Child,
}

impl Portal {
    async fn start(dir: &Path, database_url: &str, port: u16) -> Portal {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("portal.log"))
            .unwrap();
        let mut child = Command::new(SERVER)
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .env("LEPTOS_OUTPUT_NAME", "portal")
            .env("PORTAL_ENV", "production")
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
                panic!(
                    "the portal stopped ({status}): {}",
                    tail(&dir.join("portal.log"))
                );
            }
            assert!(Instant::now() < deadline, "the portal did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown of any kind, as when the machine loses power or the OOM killer
    /// strikes.
    async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What one request got back.
struct Answer {
    status: u16,
    body: String,
    cookie: Option<String>,
}

/// A browser-like client: posts forms from the portal's own origin.
#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    origin: String,
}

impl Client {
    fn new(port: u16) -> Client {
        Client {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            origin: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn post(
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

    async fn get(&self, path: &str) -> Result<Answer, String> {
        self.send(self.http.get(format!("{}{path}", self.origin)))
            .await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, String> {
        let response = request.send().await.map_err(cause)?;
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portal_session="))
            .map(|v| v.split(';').next().unwrap().to_string());
        let body = response.text().await.map_err(cause)?;
        Ok(Answer {
            status,
            body,
            cookie,
        })
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

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An open round (opened yesterday, closing in a month by the real clock) with one position.
async fn open_round(pool: &PgPool) -> (Uuid, Uuid) {
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

/// `n` applicants, each signed in through the portal with a complete profile and the position
/// chosen: ready to press "Nộp hồ sơ". Returns their session cookies.
async fn ready_applicants(
    pool: &PgPool,
    client: &Client,
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
        let (client, slots) = (client.clone(), slots.clone());
        tasks.spawn(async move {
            let _slot = slots.acquire().await.unwrap();
            let email = format!("ts{i}@example.vn");
            let login = client
                .post(
                    "/api/login",
                    &fields(&[("email", &email), ("password", PASSWORD)]),
                    None,
                )
                .await
                .unwrap();
            let cookie = login
                .cookie
                .unwrap_or_else(|| panic!("sign-in refused: {} {}", login.status, login.body));
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
enum Outcome {
    /// A success page: the applicant was told the application is in.
    Acknowledged { application: Uuid, first_time: bool },
    /// The server answered with an error.
    Refused { status: u16, body: String },
    /// No answer (connection refused or cut).
    NoAnswer(String),
}

async fn submit(client: &Client, cookie: &str, round: Uuid) -> (Outcome, Duration) {
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

async fn scalar(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Applications, "submitted" timeline events and confirmation e-mails, and how many applicants
/// have more than one application.
async fn stored(pool: &PgPool) -> (i64, i64, i64, i64) {
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

async fn present(pool: &PgPool, acknowledged: &[(Uuid, Uuid)]) -> usize {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts its own server processes; run by scripts/faults"]
async fn the_portal_killed_mid_load_loses_no_acknowledged_submission() {
    const APPLICANTS: usize = 400;
    const AT_ONCE: usize = 16;
    const KILL_AFTER: usize = 100;
    let scratch = Scratch::new("fault-kill");
    let database = Database::start(&scratch.0, free_port()).await;
    let pool = PgPool::connect(&database.url).await.unwrap();
    let port = free_port();
    let portal = Portal::start(&scratch.0, &database.url, port).await;
    let client = Client::new(port);
    let (round, position) = open_round(&pool).await;
    let applicants = ready_applicants(&pool, &client, round, position, APPLICANTS).await;

    // Everyone presses "Nộp hồ sơ", AT_ONCE at a time; after KILL_AFTER acknowledgements the
    // portal is killed with requests in flight.
    let acknowledged_so_far = Arc::new(AtomicUsize::new(0));
    let slots = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for (applicant, cookie) in applicants.clone() {
        let (client, slots, counter) = (client.clone(), slots.clone(), acknowledged_so_far.clone());
        tasks.spawn(async move {
            let _slot = slots.acquire().await.unwrap();
            let (outcome, _) = submit(&client, &cookie, round).await;
            if matches!(outcome, Outcome::Acknowledged { .. }) {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            (applicant, outcome)
        });
    }
    while acknowledged_so_far.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let in_flight = AT_ONCE - slots.available_permits();
    portal.kill().await;
    let outcomes = tasks.join_all().await;

    let mut acknowledged = Vec::new();
    let mut unanswered = Vec::new();
    let mut how = String::new();
    for (applicant, outcome) in &outcomes {
        match outcome {
            Outcome::Acknowledged { application, .. } => {
                acknowledged.push((*application, *applicant))
            }
            Outcome::NoAnswer(error) => {
                how.clone_from(error);
                unanswered.push(*applicant)
            }
            Outcome::Refused { status, body } => {
                panic!("a submission was refused before the kill: {status} {body}")
            }
        }
    }

    // The portal comes back on the same database; what it acknowledged is there, once.
    let restarted = Instant::now();
    let _portal = Portal::start(&scratch.0, &database.url, port).await;
    let restart_took = restarted.elapsed();
    let found = present(&pool, &acknowledged).await;
    let (applications, events, emails, twice) = stored(&pool).await;
    let committed_unanswered = applications as usize - acknowledged.len();

    // Those who saw no answer press the button again, as the page tells them to.
    let cookies: std::collections::HashMap<Uuid, String> = applicants.into_iter().collect();
    let mut already_in = 0;
    for applicant in &unanswered {
        match submit(&client, &cookies[applicant], round).await.0 {
            Outcome::Acknowledged { first_time, .. } => already_in += usize::from(!first_time),
            other => panic!("a retry after the restart failed: {other:?}"),
        }
    }
    let (final_applications, final_events, final_emails, final_twice) = stored(&pool).await;

    println!(
        "\nFAULT: the portal killed with SIGKILL while {APPLICANTS} signed-in applicants submit, \
         {AT_ONCE} at a time"
    );
    println!(
        "  tried: killed after {} acknowledgements with {in_flight} requests in flight; \
         {} applicants got no answer (\"{how}\")",
        acknowledged.len(),
        unanswered.len()
    );
    println!(
        "  held:  after the restart ({:.1} s) {found} of {} acknowledged applications are stored \
         and submitted; {twice} applicants have two; {committed_unanswered} unanswered \
         submissions had been committed",
        restart_took.as_secs_f64(),
        acknowledged.len()
    );
    println!(
        "  held:  the {} unanswered applicants pressed again: all acknowledged ({already_in} \
         told it was already in); finally {final_applications} applications, {final_events} \
         'submitted' events, {final_emails} confirmation e-mails, {final_twice} duplicates",
        unanswered.len()
    );

    assert_eq!(
        found,
        acknowledged.len(),
        "an acknowledged submission was lost"
    );
    assert_eq!(twice, 0);
    assert_eq!(
        (applications, events, emails),
        (applications, applications, applications)
    );
    assert_eq!(already_in, committed_unanswered);
    assert_eq!(
        (final_applications, final_events, final_emails, final_twice),
        (APPLICANTS as i64, APPLICANTS as i64, APPLICANTS as i64, 0)
    );
    assert!(
        !unanswered.is_empty(),
        "the kill came after the load had ended"
    );
    pool.close().await;
    drop(database);
}

/// One request made while the database was away or coming back.
struct Sample {
    at: Instant,
    took: Duration,
    status: Option<u16>,
    unavailable: bool,
    /// The start of the answer, or the connection error.
    said: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts its own server processes; run by scripts/faults"]
async fn postgres_restarted_mid_load_fails_fast_recovers_and_loses_nothing() {
    const APPLICANTS: usize = 300;
    const AT_ONCE: usize = 8;
    const DOWN_FOR: Duration = Duration::from_secs(5);
    let scratch = Scratch::new("fault-pg");
    let pg_port = free_port();
    let database = Database::start(&scratch.0, pg_port).await;
    let url = database.url.clone();
    let pool = PgPool::connect(&url).await.unwrap();
    let port = free_port();
    let mut portal = Portal::start(&scratch.0, &url, port).await;
    let client = Client::new(port);
    let (round, position) = open_round(&pool).await;
    let applicants = ready_applicants(&pool, &client, round, position, APPLICANTS).await;
    pool.close().await;

    // Applicants submit AT_ONCE at a time; one who is told to try again waits a moment and
    // presses again. A visitor reads the list of open rounds throughout.
    let samples = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let acknowledged_so_far = Arc::new(AtomicUsize::new(0));
    let slots = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for (applicant, cookie) in applicants {
        let (client, slots, counter, samples) = (
            client.clone(),
            slots.clone(),
            acknowledged_so_far.clone(),
            samples.clone(),
        );
        tasks.spawn(async move {
            let _slot = slots.acquire().await.unwrap();
            let deadline = Instant::now() + Duration::from_secs(180);
            loop {
                let at = Instant::now();
                let (outcome, took) = submit(&client, &cookie, round).await;
                let said = match &outcome {
                    Outcome::Refused { body, .. } => body.chars().take(200).collect(),
                    Outcome::NoAnswer(error) => error.clone(),
                    Outcome::Acknowledged { .. } => String::new(),
                };
                let (status, unavailable) = match &outcome {
                    Outcome::Acknowledged { application, .. } => {
                        counter.fetch_add(1, Ordering::SeqCst);
                        samples.lock().unwrap().push(Sample {
                            at,
                            took,
                            status: Some(200),
                            unavailable: false,
                            said: String::new(),
                        });
                        return Ok((*application, applicant));
                    }
                    Outcome::Refused { status, body } => {
                        (Some(*status), body.contains("Unavailable"))
                    }
                    Outcome::NoAnswer(_) => (None, false),
                };
                samples.lock().unwrap().push(Sample {
                    at,
                    took,
                    status,
                    unavailable,
                    said,
                });
                if Instant::now() > deadline {
                    return Err(format!("{outcome:?}"));
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        });
    }
    let reading = Arc::new(std::sync::atomic::AtomicBool::new(true));
    // Visitors open the page every 200 ms, each without waiting for the one before.
    let reader = {
        let (client, reading) = (client.clone(), reading.clone());
        tokio::spawn(async move {
            let mut visits = tokio::task::JoinSet::new();
            while reading.load(Ordering::SeqCst) {
                let client = client.clone();
                visits.spawn(async move {
                    let at = Instant::now();
                    let answer = client.get("/rounds").await;
                    Sample {
                        at,
                        took: at.elapsed(),
                        status: answer.as_ref().ok().map(|a| a.status),
                        unavailable: answer
                            .as_ref()
                            .is_ok_and(|a| a.body.contains("không kết nối được")),
                        said: match answer {
                            Ok(a) if a.status != 200 => a.body.chars().take(200).collect(),
                            Ok(_) => String::new(),
                            Err(error) => error,
                        },
                    }
                });
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            visits.join_all().await
        })
    };

    while acknowledged_so_far.load(Ordering::SeqCst) < APPLICANTS / 3 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let down_at = Instant::now();
    database.stop().await;
    let stopped_in = down_at.elapsed();
    tokio::time::sleep(DOWN_FOR / 2).await;
    let health_down = client.get("/healthz").await.map(|a| a.status);
    tokio::time::sleep(DOWN_FOR / 2).await;
    let acknowledged_while_down = acknowledged_so_far.load(Ordering::SeqCst);
    let up_at = Instant::now();
    let database = Database::start(&scratch.0, pg_port).await;
    let ready_at = Instant::now();
    let results = tasks.join_all().await;
    reading.store(false, Ordering::SeqCst);
    let pages = reader.await.unwrap();
    let health_up = client.get("/healthz").await.map(|a| a.status);
    let portal_survived = portal.is_running();

    let acknowledged: Vec<(Uuid, Uuid)> = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|last| panic!("an applicant never got in: {last}")))
        .collect();
    let pool = PgPool::connect(&database.url).await.unwrap();
    let found = present(&pool, &acknowledged).await;
    let (applications, events, emails, twice) = stored(&pool).await;

    let samples = std::mem::take(&mut *samples.lock().unwrap());
    let failed: Vec<&Sample> = samples.iter().filter(|s| s.status != Some(200)).collect();
    let unclear: Vec<&Sample> = failed.iter().copied().filter(|s| !s.unavailable).collect();
    let slowest_failure = failed.iter().map(|s| s.took).max().unwrap_or_default();
    let first_after = samples
        .iter()
        .filter(|s| s.status == Some(200) && s.at >= ready_at)
        .map(|s| s.at + s.took)
        .min()
        .map(|t| t.duration_since(ready_at));
    // Pages read entirely while PostgreSQL was stopped.
    let stopped_at = down_at + stopped_in;
    let pages_during = pages
        .iter()
        .filter(|p| p.at >= stopped_at && p.at + p.took <= up_at)
        .collect::<Vec<_>>();
    let slowest_page = pages_during
        .iter()
        .map(|p| p.took)
        .max()
        .unwrap_or_default();
    let pages_told = pages_during
        .iter()
        .filter(|p| p.unavailable && p.status == Some(503))
        .count();

    println!(
        "\nFAULT: PostgreSQL (over TCP) stopped (fast shutdown) and started again while \
         {APPLICANTS} applicants submit, {AT_ONCE} at a time, and visitors read the open rounds"
    );
    println!(
        "  tried: stopped after {} acknowledgements (stop took {:.1} s), started again {:.1} s later \
         (ready after {:.1} s more); the portal was not touched",
        APPLICANTS / 3,
        stopped_in.as_secs_f64(),
        up_at.duration_since(down_at).as_secs_f64(),
        ready_at.duration_since(up_at).as_secs_f64()
    );
    println!(
        "  held:  {} submissions failed while it was away, {} of them with the 503 \"try again\" \
         message, the slowest in {:.2} s (wait limit {} s); {} acknowledged after the stop began",
        failed.len(),
        failed.len() - unclear.len(),
        slowest_failure.as_secs_f64(),
        DB_WAIT.as_secs(),
        acknowledged_while_down - APPLICANTS / 3,
    );
    println!(
        "  held:  the rounds page was read {} times while it was away, {pages_told} saying so \
         (503), the slowest in {:.2} s; /healthz said {:?} while down and {:?} after",
        pages_during.len(),
        slowest_page.as_secs_f64(),
        health_down,
        health_up
    );
    println!(
        "  held:  first acknowledgement {:.2} s after the database was back, no restart of the \
         portal; {found} of {} acknowledged applications stored; {applications} applications, \
         {events} 'submitted' events, {emails} e-mails, {twice} duplicates",
        first_after.unwrap_or_default().as_secs_f64(),
        acknowledged.len()
    );

    assert!(portal_survived, "the portal process died");
    assert!(
        !failed.is_empty(),
        "the outage came after the load had ended"
    );
    assert!(
        unclear.is_empty(),
        "{} failures were not the \"try again\" message: {:?}",
        unclear.len(),
        unclear
            .iter()
            .map(|s| (s.status, &s.said))
            .collect::<Vec<_>>()
    );
    assert!(
        slowest_failure <= DB_WAIT + Duration::from_secs(2),
        "a request hung for {slowest_failure:?}"
    );
    assert!(slowest_page <= DB_WAIT + Duration::from_secs(2));
    assert!(!pages_during.is_empty());
    assert_eq!(
        pages_told,
        pages_during.len(),
        "a page read during the outage did not say so: {:?}",
        pages_during
            .iter()
            .map(|p| (p.status, &p.said))
            .collect::<Vec<_>>()
    );
    assert_eq!(health_down.ok(), Some(503));
    assert_eq!(health_up.ok(), Some(200));
    assert!(first_after.is_some_and(|t| t <= Duration::from_secs(10)));
    assert_eq!(found, APPLICANTS);
    assert_eq!(
        (applications, events, emails, twice),
        (APPLICANTS as i64, APPLICANTS as i64, APPLICANTS as i64, 0)
    );
    pool.close().await;
    drop(database);
}
