//! The machinery every benchmark shares: PostgreSQL on 127.0.0.1, the portal's release
//! binary, a browser-like HTTP client and a load generator that records latencies.

use anyhow::{bail, Context, Result};
use server::embedded_db::EmbeddedPostgres;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// PostgreSQL reached over TCP, the way a deployed portal reaches it.
pub struct Database {
    pub cluster: EmbeddedPostgres,
    pub url: String,
    pub port: u16,
}

impl Database {
    pub async fn start(dir: &Path) -> Result<Database> {
        let port = free_port()?;
        let cluster = EmbeddedPostgres::start_on_loopback(&dir.join("db"), port).await?;
        let url = cluster.loopback_url(server::embedded_db::DATABASE);
        Ok(Database { cluster, url, port })
    }
}

/// The portal's server process.
pub struct Portal {
    child: Child,
    pub port: u16,
}

impl Portal {
    pub async fn start(
        binary: &Path,
        site: &Path,
        database_url: &str,
        log: &Path,
    ) -> Result<Portal> {
        let port = free_port()?;
        let log_file = std::fs::File::create(log)?;
        let mut child = Command::new(binary)
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", site)
            .env("LEPTOS_OUTPUT_NAME", "portal")
            .env("PORTAL_ENV", "production")
            // Lookups and sign-ins come from many citizens: the load generator says which with
            // X-Forwarded-For, as the load balancer would.
            .env("PORTAL_TRUST_PROXY", "true")
            // PORTAL_BENCH_LOG=sqlx::query=debug logs every statement with its time.
            .env(
                "RUST_LOG",
                std::env::var("PORTAL_BENCH_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let health = client
                .get(format!("http://127.0.0.1:{port}/healthz"))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return Ok(Portal { child, port });
            }
            if let Some(status) = child.try_wait()? {
                bail!("the portal stopped ({status}); see {}", log.display());
            }
            if Instant::now() > deadline {
                bail!(
                    "the portal did not start in 2 minutes; see {}",
                    log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A scratch directory PostgreSQL (running as another user under root) can enter.
pub fn scratch_dir(root: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root)?;
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755))?;
    Ok(root.to_path_buf())
}

/// A browser-like client of one portal: posts forms from the portal's own origin.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub origin: String,
}

/// What one request got.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub cookie: Option<String>,
}

impl Client {
    pub fn new(port: u16) -> Client {
        Client {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(600))
                .pool_max_idle_per_host(256)
                .build()
                .expect("an HTTP client"),
            origin: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.origin))
            .header("origin", &self.origin)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(format!("{}{path}", self.origin))
    }

    pub async fn send(request: reqwest::RequestBuilder) -> Result<Answer> {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portal_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_string());
        let body = response.text().await?;
        Ok(Answer {
            status,
            body,
            cookie,
        })
    }

    /// Posts a form and insists on 200.
    pub async fn call(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Result<String> {
        let mut request = self.post(path).form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let answer = Client::send(request).await?;
        if answer.status != 200 {
            bail!("{path}: {} {}", answer.status, answer.body);
        }
        Ok(answer.body)
    }

    /// Signs in and returns the session cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<String> {
        let answer = Client::send(
            self.post("/api/login")
                .form(&[("email", email), ("password", password)]),
        )
        .await?;
        answer
            .cookie
            .with_context(|| format!("sign-in refused: {} {}", answer.status, answer.body))
    }
}

/// Latencies of the requests of one run, and how long the run took.
pub struct Run {
    pub latencies: Vec<Duration>,
    pub failures: usize,
    pub first_failure: Option<String>,
    pub elapsed: Duration,
}

impl Run {
    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        percentile(&self.latencies, p)
    }
}

pub fn percentile(latencies: &[Duration], p: f64) -> Duration {
    if latencies.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let index = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Closed-loop load: `workers` tasks each send requests back to back — request `i` built by
/// `request(i)` — until `count` requests have been sent or `duration` has passed. A request
/// counts as done when its answer is fully read; it fails unless `ok` accepts its status.
pub async fn closed_loop<F, Fut>(
    workers: usize,
    count: Option<usize>,
    duration: Option<Duration>,
    request: F,
) -> Run
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send,
{
    let request = Arc::new(request);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = duration.map(|d| started + d);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let (request, next) = (request.clone(), next.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0;
            let mut first_failure = None;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if count.is_some_and(|c| i >= c) || deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                let sent = Instant::now();
                match request(i).await {
                    Ok(()) => latencies.push(sent.elapsed()),
                    Err(err) => {
                        failures += 1;
                        first_failure.get_or_insert_with(|| format!("{err:#}"));
                    }
                }
            }
            (latencies, failures, first_failure)
        });
    }
    let mut run = Run {
        latencies: Vec::new(),
        failures: 0,
        first_failure: None,
        elapsed: Duration::ZERO,
    };
    while let Some(Ok((latencies, failures, first_failure))) = tasks.join_next().await {
        run.latencies.extend(latencies);
        run.failures += failures;
        if run.first_failure.is_none() {
            run.first_failure = first_failure;
        }
    }
    run.elapsed = started.elapsed();
    run
}

/// Open-loop load: requests started at a fixed rate for `duration`, whatever the answers do,
/// so slow answers show as latency instead of lowering the load. Latency is time to the
/// response headers (time to first byte).
pub async fn open_loop<F, Fut>(rate_per_second: f64, duration: Duration, request: F) -> Run
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Duration>> + Send + 'static,
{
    let interval = Duration::from_secs_f64(1.0 / rate_per_second.max(1.0));
    let started = Instant::now();
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = tokio::task::JoinSet::new();
    let mut i = 0;
    while started.elapsed() < duration {
        ticker.tick().await;
        tasks.spawn(request(i));
        i += 1;
    }
    let mut run = Run {
        latencies: Vec::new(),
        failures: 0,
        first_failure: None,
        elapsed: Duration::ZERO,
    };
    while let Some(result) = tasks.join_next().await {
        match result {
            Ok(Ok(latency)) => run.latencies.push(latency),
            Ok(Err(err)) => {
                run.failures += 1;
                run.first_failure.get_or_insert_with(|| format!("{err:#}"));
            }
            Err(err) => {
                run.failures += 1;
                run.first_failure.get_or_insert_with(|| err.to_string());
            }
        }
    }
    run.elapsed = started.elapsed();
    run
}

/// A client address for request `i`: many citizens, as the load balancer reports them.
pub fn citizen(i: usize) -> String {
    let n = (i as u32).wrapping_mul(2_654_435_761);
    format!(
        "10.{}.{}.{}",
        (n >> 16) & 0xff,
        (n >> 8) & 0xff,
        (n & 0xff).max(1)
    )
}
