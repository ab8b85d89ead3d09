//! Faults under load, against the real server binary and its own PostgreSQL over loopback:
//! the portal killed (SIGKILL) while applicants are submitting, PostgreSQL restarted while
//! they are, and an abuse run (hostile spreadsheets, a burst of sign-ins) with `/healthz`
//! watched and the server's memory measured. Each test prints what it tried and what held.
//!
//! They start processes and take about a minute, so they are marked `ignore` and run on their
//! own by `scripts/faults` (which the test command calls):
//! `cargo test -p server --test faults -- --ignored --nocapture --test-threads 1`.

mod common;

use common::processes::*;
use sqlx::PgPool;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Waits until `count` acknowledgements have come back: the moment a fault is let loose.
/// Checked every millisecond so the fault lands close to it; if the load ends short of it
/// (every submission refused, say), a clear failure after two minutes instead of a hang.
async fn until(acknowledged: &AtomicUsize, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.load(Ordering::SeqCst) < count {
        assert!(
            Instant::now() < deadline,
            "only {} of the {count} acknowledgements awaited came within 2 minutes",
            acknowledged.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
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
    until(&acknowledged_so_far, KILL_AFTER).await;
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

    until(&acknowledged_so_far, APPLICANTS / 3).await;
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

/// One `/healthz` asked during the abuse run.
struct Probe {
    at: Instant,
    took: Duration,
    status: Option<u16>,
}

/// What one hostile upload got back.
struct Upload {
    what: &'static str,
    took: Duration,
    status: u16,
    /// The refusal: the message key, or the problem count of a refused table.
    said: String,
}

const POSITIONS_HEADER: &str = "code,title,unit_code,unit_name,quota,min_degree,majors,\
                                other_conditions,stage2_format,written_weight,max_score";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts its own server processes; run by scripts/faults"]
async fn abuse_hostile_uploads_and_a_burst_of_sign_ins_neither_stall_nor_kill_the_portal() {
    const SIGN_INS: usize = 200;
    const EACH_UPLOAD: usize = 2;
    /// Longest any `/healthz` may take during the run: the wait limit every request keeps
    /// (`PORTAL_DB_WAIT_SECONDS`). About 1.7 s was seen at worst, on 2 cores shared with a
    /// build.
    const HEALTH_BOUND: Duration = DB_WAIT;
    /// Largest peak resident memory of the server process (VmHWM), in MB. About 50 after start
    /// and 230 after the uploads were seen, and the sign-ins added nothing: the portal has glibc
    /// return the 19 MiB each password check allocates (`mallopt` in main.rs); before that they
    /// stayed in its arenas and the run peaked at 430–550 MB.
    const MEMORY_BOUND_MB: u64 = 384;
    /// Password checks an address may have unanswered or failed (`LOGIN_LIMITS.per_client`).
    const LOGIN_LIMIT_PER_ADDRESS: usize = 50;
    let scratch = Scratch::new("abuse");
    let database = Database::start(&scratch.0, free_port()).await;
    let pool = PgPool::connect(&database.url).await.unwrap();
    let port = free_port();
    // Behind a proxy it trusts, so that each sign-in may come from an address of its own.
    let mut portal = Portal::start_with(
        &scratch.0,
        "portal",
        &database.url,
        port,
        &[("PORTAL_TRUST_PROXY", "true")],
    )
    .await;
    let (_, peak_at_start) = portal.memory_mb();
    let client = Client::new(port);

    // An HR officer with a draft round to import into, and SIGN_INS applicants.
    {
        use app::accounts::{password, repo, types::*};
        let hash = password::hash(&NewPassword::parse(PASSWORD).unwrap())
            .await
            .unwrap();
        let name = FullName::parse("Nguyễn Thị Hoa").unwrap();
        let hr = Email::parse("hr@example.vn").unwrap();
        repo::insert_user(&pool, &hr, &name, &hash, &[Role::HrOfficer], None)
            .await
            .unwrap();
        for i in 0..SIGN_INS {
            let email = Email::parse(&format!("ts{i}@example.vn")).unwrap();
            repo::insert_user(&pool, &email, &name, &hash, &[Role::Applicant], None)
                .await
                .unwrap();
        }
    }
    let (round, _) = open_round(&pool).await;
    sqlx::query("update rounds set status = 'draft' where id = $1")
        .bind(round)
        .execute(&pool)
        .await
        .unwrap();
    let hr = client
        .sign_in("hr@example.vn", PASSWORD)
        .await
        .ok()
        .unwrap();
    let positions_before = scalar(&pool, "select count(*) from positions").await;

    // A watcher asks /healthz every 100 ms throughout, each without waiting for the last.
    let watching = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let (client, watching) = (client.clone(), watching.clone());
        tokio::spawn(async move {
            let mut probes = tokio::task::JoinSet::new();
            while watching.load(Ordering::SeqCst) {
                let client = client.clone();
                probes.spawn(async move {
                    let at = Instant::now();
                    let answer = client.get("/healthz").await;
                    Probe {
                        at,
                        took: at.elapsed(),
                        status: answer.ok().map(|a| a.status),
                    }
                });
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            probes.join_all().await
        })
    };

    // Hostile uploads, EACH_UPLOAD of each kind at once.
    let many_bad_rows = {
        let mut csv = format!("{POSITIONS_HEADER}\n");
        csv.push_str(&"?,T,?,U,x,bachelor,,,written,,100\n".repeat(100_000));
        csv.into_bytes()
    };
    let files: Vec<(&'static str, &'static str, Vec<u8>)> = vec![
        (
            "XLSX of two cells, A1 and XFD1048576",
            "vi-tri.xlsx",
            common::hostile::xlsx_with_the_last_cell(),
        ),
        (
            "XLSX inflating to 65 MB",
            "vi-tri.xlsx",
            common::hostile::xlsx_inflating_to(65),
        ),
        (
            "CSV of 2,400,000 bad rows",
            "vi-tri.csv",
            format!("{POSITIONS_HEADER}\n{}", "?\n".repeat(2_400_000)).into_bytes(),
        ),
        (
            "CSV of 100,000 rows of 3 bad cells",
            "vi-tri.csv",
            many_bad_rows,
        ),
    ];
    let sizes: Vec<String> = files
        .iter()
        .map(|(what, _, bytes)| format!("{what}: {:.2} MB", bytes.len() as f64 / 1e6))
        .collect();
    let uploads_started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let round_id = round.to_string();
    for (what, name, bytes) in files {
        let bytes = Arc::new(bytes);
        for _ in 0..EACH_UPLOAD {
            let (client, hr, round_id, bytes) =
                (client.clone(), hr.clone(), round_id.clone(), bytes.clone());
            tasks.spawn(async move {
                let at = Instant::now();
                let answer = client
                    .post_multipart(
                        "/api/hr/import_positions",
                        &[("round_id", &round_id), ("reason", "")],
                        (name, &bytes),
                        &hr,
                    )
                    .await
                    .unwrap_or_else(|e| panic!("{what}: no answer: {e}"));
                let body: serde_json::Value = serde_json::from_str(&answer.body)
                    .unwrap_or_else(|_| panic!("{what}: {} {}", answer.status, answer.body));
                let said = match (&body["Invalid"][0]["msg"], &body["Import"]["total"]) {
                    (serde_json::Value::String(msg), _) => msg.clone(),
                    (_, serde_json::Value::Number(total)) => format!("{total} problems"),
                    _ => answer.body.chars().take(200).collect(),
                };
                Upload {
                    what,
                    took: at.elapsed(),
                    status: answer.status,
                    said,
                }
            });
        }
    }
    let uploads = tasks.join_all().await;
    let uploads_took = uploads_started.elapsed();
    let (_, peak_after_uploads) = portal.memory_mb();

    // SIGN_INS applicants press "Đăng nhập" at the same moment, each with the right password:
    // half of them each from an address of their own, half from one address (a flood, which
    // the limit of 50 unchecked attempts an address in 15 minutes cuts short).
    let burst_started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..SIGN_INS {
        let client = client.clone();
        tasks.spawn(async move {
            let own = i % 2 == 0;
            let address = if own {
                format!("10.0.{}.{}", i / 250, i % 250 + 1)
            } else {
                "10.1.0.1".to_string()
            };
            let at = Instant::now();
            let signed_in = client
                .sign_in_from(&address, &format!("ts{i}@example.vn"), PASSWORD)
                .await;
            (own, signed_in.map_err(|a| (a.status, a.body)), at.elapsed())
        });
    }
    let sign_ins = tasks.join_all().await;
    let burst_took = burst_started.elapsed();
    let (_, peak_after_sign_ins) = portal.memory_mb();

    watching.store(false, Ordering::SeqCst);
    let probes = watcher.await.unwrap();
    let alive = portal.is_running();
    let health_after = client.get("/healthz").await.map(|a| a.status);
    let (rss_after, _) = portal.memory_mb();
    let positions = scalar(&pool, "select count(*) from positions").await;
    let sessions = scalar(&pool, "select count(*) from tower_sessions.session").await;

    // The slowest /healthz asked while the uploads, and while the sign-ins, were running.
    let slowest_probe = |from: Instant, to: Instant| {
        probes
            .iter()
            .filter(|p| p.at >= from && p.at < to)
            .map(|p| p.took)
            .max()
            .unwrap_or_default()
    };
    let slowest_probes = (
        slowest_probe(uploads_started, burst_started),
        slowest_probe(burst_started, burst_started + burst_took),
    );
    let unhealthy: Vec<(f64, Option<u16>, f64)> = probes
        .iter()
        .filter(|p| p.status != Some(200) || p.took > HEALTH_BOUND)
        .map(|p| {
            (
                p.at.duration_since(uploads_started).as_secs_f64(),
                p.status,
                p.took.as_secs_f64(),
            )
        })
        .collect();
    let signed_in = |own: bool| {
        sign_ins
            .iter()
            .filter(|(o, r, _)| *o == own && r.is_ok())
            .count()
    };
    let (signed_in_apart, signed_in_flood) = (signed_in(true), signed_in(false));
    let refused: Vec<(bool, u16, &str)> = sign_ins
        .iter()
        .filter_map(|(own, r, _)| r.as_ref().err().map(|(s, b)| (*own, *s, b.as_str())))
        .collect();
    let too_many = refused.iter().filter(|r| r.1 == 429).count();
    let slowest_sign_in = sign_ins.iter().map(|s| s.2).max().unwrap_or_default();

    println!(
        "\nABUSE: hostile uploads, then {SIGN_INS} sign-ins at once, against one portal process"
    );
    println!("  tried: {EACH_UPLOAD} of each upload at once, by a signed-in HR officer: {sizes:?}");
    for upload in &uploads {
        println!(
            "  held:  {} answered {} {} in {:.2} s",
            upload.what,
            upload.status,
            upload.said,
            upload.took.as_secs_f64()
        );
    }
    println!(
        "  tried: {SIGN_INS} sign-ins with the right password sent at once, after {:.1} s of \
         uploads: {} from addresses of their own, {} from one address",
        uploads_took.as_secs_f64(),
        SIGN_INS / 2,
        SIGN_INS / 2
    );
    println!(
        "  held:  {signed_in_apart} of {} signed in from their own address; from the one \
         address {signed_in_flood} signed in and {too_many} were told 429 (too many attempts); \
         all answered in {:.2} s, the slowest after {:.2} s",
        SIGN_INS / 2,
        burst_took.as_secs_f64(),
        slowest_sign_in.as_secs_f64()
    );
    println!(
        "  held:  /healthz asked {} times during the run (every 100 ms), {} not 200 within \
         {:.0} s; the slowest {:.3} s during the uploads, {:.3} s during the sign-ins; after \
         the run {:?}; the process alive: {alive}",
        probes.len(),
        unhealthy.len(),
        HEALTH_BOUND.as_secs_f64(),
        slowest_probes.0.as_secs_f64(),
        slowest_probes.1.as_secs_f64(),
        health_after
    );
    println!(
        "  held:  server memory peak (VmHWM) {peak_at_start} MB after start, {peak_after_uploads} \
         MB after the uploads, {peak_after_sign_ins} MB after the sign-ins (bound \
         {MEMORY_BOUND_MB} MB); resident at the end {rss_after} MB; {} positions imported, \
         {sessions} sessions",
        positions - positions_before
    );

    assert!(alive, "the portal process died");
    assert_eq!(health_after.ok(), Some(200));
    for upload in &uploads {
        assert_eq!(upload.status, 422, "{}: {}", upload.what, upload.said);
    }
    let said = |what: &str| -> Vec<&str> {
        uploads
            .iter()
            .filter(|u| u.what.starts_with(what))
            .map(|u| u.said.as_str())
            .collect()
    };
    assert_eq!(said("XLSX of two"), ["ErrImportTooManyRows"; EACH_UPLOAD]);
    assert_eq!(said("XLSX inflating"), ["ErrImportTooLarge"; EACH_UPLOAD]);
    assert_eq!(
        said("CSV of 2,400,000"),
        ["ErrImportTooManyRows"; EACH_UPLOAD]
    );
    assert_eq!(said("CSV of 100,000"), ["300000 problems"; EACH_UPLOAD]);
    assert_eq!(positions, positions_before, "nothing imported");
    assert_eq!(signed_in_apart, SIGN_INS / 2, "refused: {refused:?}");
    assert_eq!(
        too_many,
        refused.len(),
        "a refusal other than 'too many attempts': {refused:?}"
    );
    assert!(
        (LOGIN_LIMIT_PER_ADDRESS..SIGN_INS / 2).contains(&signed_in_flood),
        "{signed_in_flood} of one address's {} sign-ins went through",
        SIGN_INS / 2
    );
    assert_eq!(
        sessions,
        (signed_in_apart + signed_in_flood) as i64 + 1,
        "one session for each sign-in, and HR's"
    );
    assert!(probes.len() > 10, "the run was too short to watch");
    assert!(
        unhealthy.is_empty(),
        "/healthz (seconds into the run, status, took): {unhealthy:?}"
    );
    assert!(
        peak_after_sign_ins <= MEMORY_BOUND_MB,
        "the server's peak memory was {peak_after_sign_ins} MB"
    );
    pool.close().await;
    drop(database);
}
