//! Faults under load, against the real server binary and its own PostgreSQL over loopback:
//! the portal killed (SIGKILL) while applicants are submitting, and PostgreSQL restarted while
//! they are. Each test prints what it tried and what held.
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
