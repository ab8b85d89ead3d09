//! Several portal processes on one PostgreSQL, as behind a load balancer: two real server
//! processes on their own ports share sessions, sign-in limits, rounds and submissions through
//! the database alone. Each test prints what it tried and what held.
//!
//! They start processes, so they are marked `ignore` and run by `scripts/faults`:
//! `cargo test -p server --test processes -- --ignored --nocapture --test-threads 1`.

mod common;

use app::accounts::{password, repo, types::*};
use common::processes::*;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, PgPool};
use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

/// One PostgreSQL and two portal processes on it, A and B, each with its own client;
/// optionally with PgBouncer between them.
struct TwoPortals {
    a: Client,
    b: Client,
    _portals: [Portal; 2],
    pool: PgPool,
    _pgbouncer: Option<PgBouncer>,
    _database: Database,
    scratch: Scratch,
}

impl TwoPortals {
    async fn start(name: &str) -> TwoPortals {
        TwoPortals::start_with(name, None).await
    }

    /// With PgBouncer (`program`) in `mode` between the processes and PostgreSQL; in
    /// transaction mode migrations go to PostgreSQL directly.
    async fn start_with(name: &str, pgbouncer: Option<(&str, PoolMode)>) -> TwoPortals {
        let scratch = Scratch::new(name);
        let pg_port = free_port();
        let database = Database::start(&scratch.0, pg_port).await;
        let bouncer = match pgbouncer {
            Some((program, mode)) => {
                Some(PgBouncer::start(program, mode, &scratch.0, pg_port).await)
            }
            None => None,
        };
        let (url, settings) = match &bouncer {
            Some(bouncer) if bouncer.mode == PoolMode::Transaction => (
                bouncer.url.clone(),
                vec![("PORTAL_MIGRATE_URL", database.url.as_str())],
            ),
            Some(bouncer) => (bouncer.url.clone(), vec![]),
            None => (database.url.clone(), vec![]),
        };
        let (port_a, port_b) = (free_port(), free_port());
        // One after the other, as a rolling start does; each applies the (same) migrations.
        let a = Portal::start_with(&scratch.0, "portal-a", &url, port_a, &settings).await;
        let b = Portal::start_with(&scratch.0, "portal-b", &url, port_b, &settings).await;
        TwoPortals {
            a: Client::new(port_a),
            b: Client::new(port_b),
            _portals: [a, b],
            pool: PgPool::connect(&database.url).await.unwrap(),
            _pgbouncer: bouncer,
            _database: database,
            scratch,
        }
    }

    /// Where the processes write their logs.
    fn dir(&self) -> &Path {
        &self.scratch.0
    }

    async fn stop(self) {
        self.pool.close().await;
    }
}

/// How PgBouncer shares PostgreSQL connections among its clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PoolMode {
    /// A connection for each transaction: what a large deployment needs (docs/DEPLOY.md);
    /// sqlx's prepared statements need PgBouncer 1.21 or later to track them.
    Transaction,
    /// A connection for each client connection, for as long as it stays open: works with any
    /// PgBouncer, shares nothing between the portal's pooled connections.
    Session,
}

impl PoolMode {
    fn name(self) -> &'static str {
        match self {
            PoolMode::Transaction => "transaction",
            PoolMode::Session => "session",
        }
    }
}

/// PgBouncer in front of the test's PostgreSQL. In transaction mode configured as
/// docs/DEPLOY.md says: prepared statements tracked, sqlx's start-up parameter allowed, and a
/// pool much smaller than the portal processes' so that their sessions share connections. In
/// session mode each of the portals' pooled connections holds a server connection of its own,
/// so the pool is larger than both portals' pools together.
struct PgBouncer {
    _child: tokio::process::Child,
    url: String,
    mode: PoolMode,
}

impl PgBouncer {
    async fn start(program: &str, mode: PoolMode, dir: &Path, pg_port: u16) -> PgBouncer {
        let port = free_port();
        let config = dir.join("pgbouncer.ini");
        let pooling = match mode {
            PoolMode::Transaction => {
                "pool_mode = transaction\ndefault_pool_size = 4\nmax_prepared_statements = 200\n"
            }
            PoolMode::Session => "pool_mode = session\ndefault_pool_size = 60\n",
        };
        std::fs::write(
            &config,
            format!(
                "[databases]\n\
                 portal = host=127.0.0.1 port={pg_port} dbname=portal user=portal\n\
                 [pgbouncer]\n\
                 listen_addr = 127.0.0.1\n\
                 listen_port = {port}\n\
                 unix_socket_dir =\n\
                 auth_type = any\n\
                 {pooling}\
                 max_client_conn = 200\n\
                 ignore_startup_parameters = extra_float_digits\n"
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.join("pgbouncer.log")).unwrap();
        let mut command = tokio::process::Command::new(program);
        // It refuses to run as root; then it runs as PostgreSQL does.
        if nix::unistd::geteuid().is_root() {
            command.arg("-u").arg(
                ["postgres", "nobody"]
                    .into_iter()
                    .find(|name| nix::unistd::User::from_name(name).ok().flatten().is_some())
                    .unwrap(),
            );
        }
        let child = command
            .arg(&config)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        let url = format!("postgres://portal@127.0.0.1:{port}/portal");
        let deadline = Instant::now() + std::time::Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "PgBouncer did not start");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        PgBouncer {
            _child: child,
            url,
            mode,
        }
    }
}

/// The PgBouncer program to test through: PGBOUNCER if it is set, else the one Debian's
/// package installs (`scripts/setup --test` does).
fn pgbouncer_program() -> Option<String> {
    std::env::var("PGBOUNCER")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            let debian = "/usr/sbin/pgbouncer";
            Path::new(debian).is_file().then(|| debian.to_string())
        })
}

fn version_of(program: &str) -> String {
    std::process::Command::new(program)
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_default()
}

/// (major, minor) of "PgBouncer 1.18.0".
fn release_of(version: &str) -> Option<(u32, u32)> {
    let number = version.split_whitespace().nth(1)?;
    let mut parts = number.split('.').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??))
}

/// An account with `roles` and the applicants' password, made directly in the database.
async fn account(pool: &PgPool, email: &str, roles: &[Role]) -> Uuid {
    let hash = password::hash(&NewPassword::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    let name = FullName::parse("Trần Văn Minh").unwrap();
    repo::insert_user(
        pool,
        &Email::parse(email).unwrap(),
        &name,
        &hash,
        roles,
        None,
    )
    .await
    .unwrap()
}

/// Who the session `cookie` signs in, as the portal behind `client` says (`null`: no one).
async fn who(client: &Client, cookie: &str) -> String {
    let me = client
        .post("/api/current_user", &[], Some(cookie))
        .await
        .unwrap();
    assert_eq!(me.status, 200, "{}", me.body);
    if me.body == "null" {
        return "no one".to_string();
    }
    let user: serde_json::Value = serde_json::from_str(&me.body).unwrap();
    user["email"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts its own server processes; run by scripts/faults"]
async fn sessions_sign_in_limits_and_rounds_are_shared_by_two_processes() {
    let portals = TwoPortals::start("processes-shared").await;
    shared_state(&portals, "").await;
    portals.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts its own server processes; run by scripts/faults"]
async fn applicants_spread_over_two_processes_get_one_application_each() {
    let portals = TwoPortals::start("processes-load").await;
    let (round, position) = open_round(&portals.pool).await;
    submissions_through_both(&portals, "", round, position).await;
    portals.stop().await;
}

/// The same two tests with PgBouncer between the processes and PostgreSQL: in transaction
/// mode with PgBouncer 1.21 or later, else in session mode (Debian 12 ships 1.18), saying
/// loudly that transaction mode went untested. Without any PgBouncer it fails unless
/// PGBOUNCER_SKIP=1 says to skip it, so that a machine without one cannot pass in silence.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts its own server processes; run by scripts/faults"]
async fn two_processes_through_pgbouncer() {
    let Some(program) = pgbouncer_program() else {
        assert!(
            std::env::var("PGBOUNCER_SKIP").is_ok_and(|v| v == "1"),
            "no PgBouncer: install it (scripts/setup --test does), set PGBOUNCER to one, or set \
             PGBOUNCER_SKIP=1 to skip this test"
        );
        println!(
            "\n!!! PROCESSES through PgBouncer: SKIPPED (PGBOUNCER_SKIP=1 and no PgBouncer found) !!!"
        );
        return;
    };
    let version = version_of(&program);
    let mode = match release_of(&version) {
        Some(release) if release >= (1, 21) => PoolMode::Transaction,
        Some(_) => PoolMode::Session,
        None => panic!("{program} --version said {version:?}"),
    };
    if mode == PoolMode::Session {
        println!(
            "\n!!! PROCESSES through PgBouncer: {version} is older than 1.21, so TRANSACTION MODE \
             IS NOT TESTED (set PGBOUNCER to a PgBouncer 1.21 or later for it); session mode \
             instead !!!"
        );
    }
    let through = format!(" through {version} ({} mode)", mode.name());
    let portals = TwoPortals::start_with("processes-pgbouncer", Some((&program, mode))).await;
    let (round, position) = shared_state(&portals, &through).await;
    submissions_through_both(&portals, &through, round, position).await;
    portals.stop().await;
}

/// Sessions, the sign-in limit and a round's state, each changed through one process and
/// seen through the other. Returns the round opened and its position.
async fn shared_state(portals: &TwoPortals, through: &str) -> (Uuid, Uuid) {
    let (a, b, pool) = (&portals.a, &portals.b, &portals.pool);

    // A session made on A serves on B; signing out on B ends it on A.
    account(pool, "hoa@example.vn", &[Role::Applicant]).await;
    let cookie = a.sign_in("hoa@example.vn", PASSWORD).await.ok().unwrap();
    let on_b = who(b, &cookie).await;
    let sign_out = b.post("/api/logout", &[], Some(&cookie)).await.unwrap();
    let on_a_after = who(a, &cookie).await;
    let on_b_after = who(b, &cookie).await;

    // Wrong passwords spread over both processes count together: the limit is in PostgreSQL.
    account(pool, "minh@example.vn", &[Role::Applicant]).await;
    let mut wrong = Vec::new();
    for (i, client) in [a, b, a, b, a].into_iter().enumerate() {
        let guess = format!("mật khẩu sai số {i}");
        wrong.push(
            client
                .sign_in("minh@example.vn", &guess)
                .await
                .unwrap_err()
                .status,
        );
    }
    let status = |signed_in: Result<String, Answer>| signed_in.map_or_else(|a| a.status, |_| 200);
    let right_on_a = status(a.sign_in("minh@example.vn", PASSWORD).await);
    let right_on_b = status(b.sign_in("minh@example.vn", PASSWORD).await);

    // A draft round opened by HR through A is listed by B at its next request.
    let (round, position) = open_round(pool).await;
    let name = "Kỳ tuyển dụng mở qua tiến trình A";
    sqlx::query("update rounds set status = 'draft', name = $2 where id = $1")
        .bind(round)
        .bind(name)
        .execute(pool)
        .await
        .unwrap();
    account(pool, "hr@example.vn", &[Role::HrOfficer]).await;
    let hr = a.sign_in("hr@example.vn", PASSWORD).await.ok().unwrap();
    let listed_before = b.get("/rounds").await.unwrap().body.contains(name);
    let opened = a
        .post(
            "/api/hr/advance_round",
            &fields(&[
                ("round_id", &round.to_string()),
                ("to", "open"),
                ("reason", ""),
            ]),
            Some(&hr),
        )
        .await
        .unwrap();
    let page = b.get("/rounds").await.unwrap();
    let listed_after = page.body.contains(name);

    println!(
        "\nPROCESSES: two portal processes on one PostgreSQL{through} share what a visitor \
         relies on"
    );
    println!("  tried: signed in on A, asked B who that is, signed out on B, asked A and B again");
    println!(
        "  held:  B said {on_b}; sign-out on B answered {}; then A said {on_a_after} and B \
         said {on_b_after}",
        sign_out.status
    );
    println!(
        "  tried: 5 wrong passwords for one account, alternating A and B, then the right one \
         on each"
    );
    println!(
        "  held:  the wrong ones answered {wrong:?}; the right one then answered {right_on_a} \
         on A and {right_on_b} on B (the limit is kept in PostgreSQL, not per process)"
    );
    println!("  tried: HR opened a draft round through A; a visitor read /rounds on B");
    println!(
        "  held:  before: listed {listed_before}; opening answered {}; B's next /rounds \
         ({}, Cache-Control {:?}) listed it: {listed_after}",
        opened.status,
        page.status,
        page.headers.get("cache-control")
    );

    assert_eq!(on_b, "hoa@example.vn");
    assert_eq!(sign_out.status, 200);
    assert_eq!(
        (on_a_after.as_str(), on_b_after.as_str()),
        ("no one", "no one")
    );
    assert_eq!(wrong, [401, 401, 401, 401, 401]);
    assert_eq!((right_on_a, right_on_b), (429, 429));
    assert!(!listed_before);
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(page.status, 200);
    assert!(listed_after, "B did not see the round A opened");
    (round, position)
}

/// 200 applicants, each signed in through one process, submit to the open `round` through
/// the other; every fourth presses "Nộp hồ sơ" on both at the same moment.
async fn submissions_through_both(
    portals: &TwoPortals,
    through: &str,
    round: Uuid,
    position: Uuid,
) {
    const APPLICANTS: usize = 200;
    const AT_ONCE: usize = 16;
    const BOTH_EVERY: usize = 4;
    let pool = &portals.pool;
    let clients = [portals.a.clone(), portals.b.clone()];
    // Applicant i signs in and fills the form through process i % 2 ...
    let applicants = ready_applicants_through(pool, &clients, round, position, APPLICANTS).await;

    // ... and submits through the other one; every fourth through both at once.
    let slots = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for (i, (applicant, cookie)) in applicants.into_iter().enumerate() {
        let (slots, other, same) = (
            slots.clone(),
            clients[(i + 1) % 2].clone(),
            clients[i % 2].clone(),
        );
        tasks.spawn(async move {
            let _slot = slots.acquire().await.unwrap();
            let outcomes = if i % BOTH_EVERY == 0 {
                let (first, second) = tokio::join!(
                    submit(&other, &cookie, round),
                    submit(&same, &cookie, round)
                );
                vec![first.0, second.0]
            } else {
                vec![submit(&other, &cookie, round).await.0]
            };
            (applicant, outcomes)
        });
    }
    let results = tasks.join_all().await;
    let took = started.elapsed();

    let mut acknowledged = Vec::new();
    let mut told_already_in = 0;
    let mut same_answer = true;
    let mut first_times: HashMap<Uuid, usize> = HashMap::new();
    let requests: usize = results.iter().map(|(_, o)| o.len()).sum();
    for (applicant, outcomes) in &results {
        let mut named = Vec::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Acknowledged {
                    application,
                    first_time,
                } => {
                    named.push(*application);
                    *first_times.entry(*applicant).or_default() += usize::from(*first_time);
                    told_already_in += usize::from(!first_time);
                }
                other => panic!("a submission was not acknowledged: {other:?}"),
            }
        }
        same_answer &= named.windows(2).all(|w| w[0] == w[1]);
        acknowledged.push((named[0], *applicant));
    }
    let found = present(pool, &acknowledged).await;
    let (applications, events, emails, twice) = stored(pool).await;
    let once_first = first_times.values().filter(|n| **n == 1).count();

    // Both processes run the mailer; without SMTP each e-mail is written to the log of the
    // process that claimed it. Every one should be handled once, by one of them.
    let deadline = Instant::now() + std::time::Duration::from_secs(30);
    while scalar(
        pool,
        "select count(*) from email_outbox where status = 'pending'",
    )
    .await
        > 0
    {
        assert!(Instant::now() < deadline, "the outbox was not emptied");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let mailed = |log: &str| {
        std::fs::read_to_string(portals.dir().join(log))
            .unwrap_or_default()
            .matches("e-mail (not sent: no SMTP configured)")
            .count()
    };
    let (mailed_a, mailed_b) = (mailed("portal-a.log"), mailed("portal-b.log"));

    println!(
        "\nPROCESSES{through}: {APPLICANTS} applicants signed in through one process submit \
         through the other, {AT_ONCE} at a time; every {BOTH_EVERY}th presses \"Nộp hồ sơ\" on \
         both at once"
    );
    println!(
        "  tried: {requests} submissions in {:.2} s: {:.0} submissions/s through the two \
         processes together (2 CPU cores shared with PostgreSQL and this test)",
        took.as_secs_f64(),
        requests as f64 / took.as_secs_f64()
    );
    println!(
        "  held:  all {requests} acknowledged; {told_already_in} told it was already in, each \
         double press naming one application: {same_answer}; {once_first} applicants told \
         'first time' exactly once"
    );
    println!(
        "  held:  {found} of {APPLICANTS} acknowledged applications stored and submitted; \
         {applications} applications, {events} 'submitted' events, {emails} e-mails, \
         {twice} applicants with two"
    );

    println!(
        "  held:  the two mailers handled the {emails} e-mails once each: {mailed_a} by A, \
         {mailed_b} by B"
    );

    assert!(same_answer, "a double press was told of two applications");
    assert_eq!(told_already_in, APPLICANTS / BOTH_EVERY);
    assert_eq!(once_first, APPLICANTS);
    assert_eq!(found, APPLICANTS);
    assert_eq!(
        (applications, events, emails, twice),
        (APPLICANTS as i64, APPLICANTS as i64, APPLICANTS as i64, 0)
    );
    assert_eq!(mailed_a + mailed_b, APPLICANTS);
}

/// How many named prepared statements one connection holds after running one query three
/// times with sqlx's statement cache at `capacity`.
async fn statements_left(url: &str, capacity: usize) -> i64 {
    let mut conn = PgConnectOptions::from_str(url)
        .unwrap()
        .statement_cache_capacity(capacity)
        .connect()
        .await
        .unwrap();
    for n in 0..3 {
        let _: i32 = sqlx::query_scalar("select $1")
            .bind(n)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    }
    sqlx::query_scalar("select count(*) from pg_prepared_statements")
        .persistent(false)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts its own server processes; run by scripts/faults"]
async fn a_portal_with_a_small_statement_cache_and_a_separate_migration_url_serves() {
    let scratch = Scratch::new("processes-cache");
    let database = Database::start(&scratch.0, free_port()).await;
    let port = free_port();
    // Migrations over their own connection, as behind PgBouncer (here the same database).
    let _portal = Portal::start_with(
        &scratch.0,
        "portal",
        &database.url,
        port,
        &[
            ("PORTAL_DB_STATEMENT_CACHE", "1"),
            ("PORTAL_MIGRATE_URL", &database.url),
        ],
    )
    .await;
    let pool = PgPool::connect(&database.url).await.unwrap();
    let client = Client::new(port);
    let (round, position) = open_round(&pool).await;
    let applicants = ready_applicants(&pool, &client, round, position, 3).await;
    let mut acknowledged = Vec::new();
    for (applicant, cookie) in &applicants {
        match submit(&client, cookie, round).await.0 {
            Outcome::Acknowledged { application, .. } => {
                acknowledged.push((application, *applicant))
            }
            other => panic!("a submission failed: {other:?}"),
        }
    }
    let page = client.get("/rounds").await.unwrap();
    let found = present(&pool, &acknowledged).await;
    let migrations = scalar(&pool, "select count(*) from _sqlx_migrations where success").await;
    // Why 0 is no way around PgBouncer in sqlx 0.8: statements are still named, never closed.
    let (with_cache, without_cache) = (
        statements_left(&database.url, 100).await,
        statements_left(&database.url, 0).await,
    );

    println!(
        "\nPROCESSES: a portal whose connections keep one prepared statement each \
         (PORTAL_DB_STATEMENT_CACHE=1), migrated over PORTAL_MIGRATE_URL"
    );
    println!(
        "  held:  {} migrations applied; 3 applicants signed in, filled the form and submitted: \
         {found} stored; /rounds answered {}",
        migrations, page.status
    );
    println!(
        "  seen:  one query run 3 times on one connection leaves {with_cache} named prepared \
         statement(s) with sqlx's cache at 100 and {without_cache} with it at 0 (sqlx 0.8 \
         names every statement and closes none when the cache is off)"
    );

    assert!(migrations > 0);
    assert_eq!(found, 3);
    assert_eq!(page.status, 200);
    assert_eq!(with_cache, 1);
    // If this fails, sqlx no longer leaks statements with the cache off: 0 may become a way
    // to run behind PgBouncer without prepared-statement support (docs/DEPLOY.md).
    assert_eq!(without_cache, 3);
    pool.close().await;
    drop(database);
}
