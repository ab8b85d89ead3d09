//! The six benchmarks, each against a baseline measured in the same run on the same machine.

use crate::harness::{citizen, closed_loop, open_loop, percentile, Client, Run};
use crate::report::{Budget, Line};
use crate::seed::{self, Staff};
use anyhow::{bail, ensure, Context, Result};
use sqlx::postgres::PgPoolCopyExt;
use sqlx::PgPool;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What every benchmark reaches: the database, the portal and the staff's sessions.
pub struct Bench {
    pub pool: PgPool,
    pub database_url: String,
    pub database_port: u16,
    pub client: Client,
    pub staff: Staff,
    pub hr: String,
    pub chair: String,
    pub marker: String,
    /// How long each timed load runs.
    pub seconds: u64,
    pub work: std::path::PathBuf,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn failures(run: &Run) -> String {
    match &run.first_failure {
        None => String::new(),
        Some(first) => format!(" — {} failed, first: {first}", run.failures),
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Ranking and publication

/// The round's published ranking as a checksum over (position, candidate number, rank), read
/// from the canonical snapshot the portal published — in Rust, since at a million candidates
/// the snapshot is larger than PostgreSQL's jsonb allows. The same text and order (byte order:
/// the cluster has no locale) as `BARE_RANKING`'s.
async fn published_checksum(pool: &PgPool, round: Uuid) -> Result<(String, i64)> {
    use md5::{Digest, Md5};
    let text: String = sqlx::query_scalar(
        "select canonical from result_versions where round_id = $1 and status = 'published'",
    )
    .bind(round)
    .fetch_one(pool)
    .await?;
    let snapshot: serde_json::Value = serde_json::from_str(&text)?;
    let mut lines: Vec<(String, u64, String)> = Vec::new();
    for position in snapshot["positions"].as_array().into_iter().flatten() {
        let code = position["code"].as_str().unwrap_or_default();
        for candidate in position["candidates"].as_array().into_iter().flatten() {
            if let Some(rank) = candidate["rank"].as_u64() {
                let number = candidate["number"].as_str().unwrap_or_default();
                lines.push((code.to_string(), rank, number.to_string()));
            }
        }
    }
    lines.sort();
    let joined = lines
        .iter()
        .map(|(code, rank, number)| format!("{code}:{number}:{rank}"))
        .collect::<Vec<_>>()
        .join(",");
    let digest = Md5::digest(joined.as_bytes());
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, lines.len() as i64))
}

/// The same ranking as one bare SQL query with a window function: eligible candidates who
/// passed stage 1 and reached the stage-2 pass mark (50), by score.
const BARE_RANKING: &str = "
    select md5(string_agg(code || ':' || number || ':' || rank, ',' order by code, rank, number)),
           count(*)
    from (select p.code,
                 'KQ26-' || case when c.number < 100000 then lpad(c.number::text, 5, '0')
                                 else c.number::text end as number,
                 rank() over (partition by a.position_id order by s.score desc) as rank
          from applications a
               join positions p on p.id = a.position_id
               join candidate_numbers c on c.application_id = a.id
               join stage1_results r on r.application_id = a.id and r.passed
               join stage2_scores s on s.application_id = a.id and s.score >= 5000
          where a.round_id = $1 and a.status = 'eligible') ranked";

pub async fn ranking(b: &Bench, round: Uuid, applications: i32) -> Result<Line> {
    let on_round = [("round_id", round.to_string())];
    let on_round: Vec<(&str, &str)> = on_round.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let t = Instant::now();
    b.client
        .call("/api/results/compute", &on_round, Some(&b.hr))
        .await?;
    let compute = t.elapsed();
    let view: serde_json::Value = serde_json::from_str(
        &b.client
            .call("/api/results/round", &on_round, Some(&b.chair))
            .await?,
    )?;
    let version = view["open"]["id"]
        .as_str()
        .context("no draft to approve")?
        .to_string();
    let on_version = [
        ("round_id", on_round[0].1),
        ("version_id", version.as_str()),
    ];
    let t = Instant::now();
    b.client
        .call("/api/results/approve", &on_version, Some(&b.chair))
        .await?;
    let approve = t.elapsed();
    let t = Instant::now();
    b.client
        .call("/api/results/publish", &on_version, Some(&b.hr))
        .await?;
    let publish = t.elapsed();
    let portal = compute + approve + publish;
    // The notices (timeline, notification, e-mail for each candidate) are written after the
    // publication's commit, in batches; timed until the last is, before the baseline runs.
    let deadline = Instant::now() + Duration::from_secs(3_600);
    while sqlx::query_scalar::<_, i64>("select count(*) from notice_queue")
        .fetch_one(&b.pool)
        .await?
        > 0
    {
        ensure!(Instant::now() < deadline, "the notices were not delivered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let told = t.elapsed();
    let (events, numbered): (i64, i64) = sqlx::query_as(
        "select (select count(*) from application_events e join applications a
                 on a.id = e.application_id
                 where a.round_id = $1 and e.kind = 'result_published'),
                (select count(*) from candidate_numbers n join applications a
                 on a.id = n.application_id where a.round_id = $1)",
    )
    .bind(round)
    .fetch_one(&b.pool)
    .await?;
    ensure!(events == numbered, "{events} of {numbered} candidates told");

    let mut bare = Vec::new();
    let mut bare_checksum = (String::new(), 0);
    for _ in 0..3 {
        let t = Instant::now();
        bare_checksum = sqlx::query_as(BARE_RANKING)
            .bind(round)
            .fetch_one(&b.pool)
            .await
            .context("the bare ranking query")?;
        bare.push(t.elapsed());
    }
    bare.sort();
    let bare = bare[1];
    let ours = published_checksum(&b.pool, round)
        .await
        .context("the published ranking's checksum")?;

    ensure!(
        ours == bare_checksum,
        "the published ranking differs from the bare query's: {ours:?} vs {bare_checksum:?}"
    );
    Ok(Line::new(
        &format!("ranking and publication of {applications} applications"),
        portal.as_secs_f64(),
        bare.as_secs_f64(),
        "s",
        "one SQL window-function query, median of 3",
        Budget::AtMost(2.0),
        format!(
            "compute {:.2} s + approve {:.2} s + publish {:.2} s; all {events} candidates \
             told (timeline, notification, e-mail queued) {:.1} s after publishing began; \
             the same ranking: {} ranked candidates, checksum {} on both sides",
            compute.as_secs_f64(),
            approve.as_secs_f64(),
            publish.as_secs_f64(),
            told.as_secs_f64(),
            ours.1,
            &ours.0[..12]
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// 2. Public result lookup

/// (candidate number, personal lookup code) of the round's candidates, in a
/// scattered order (read from the tables: at a million candidates the published snapshot is
/// larger than PostgreSQL's jsonb allows).
async fn lookup_keys(pool: &PgPool, round: Uuid) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "select 'KQ26-' || case when c.number < 100000 then lpad(c.number::text, 5, '0')
                                else c.number::text end,
                a.lookup_code
         from candidate_numbers c join applications a on a.id = c.application_id
         where c.round_id = $1
         order by md5(c.number::text) limit 50000",
    )
    .bind(round)
    .fetch_all(pool)
    .await?)
}

/// The baseline: a bare axum handler that selects one candidate by key with sqlx.
async fn bare_lookup_server(pool: PgPool, round: Uuid) -> Result<u16> {
    use axum::{extract::State, routing::post, Form, Json, Router};
    #[derive(serde::Deserialize)]
    struct Query {
        number: String,
        code: String,
    }
    async fn lookup(
        State((pool, round)): State<(PgPool, Uuid)>,
        Form(q): Form<Query>,
    ) -> Result<Json<serde_json::Value>, axum::http::StatusCode> {
        let number: i32 = q
            .number
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or(axum::http::StatusCode::UNPROCESSABLE_ENTITY)?;
        let row: Option<(String, String, Option<i32>)> = sqlx::query_as(
            "select a.full_name, p.code, s.score
             from candidate_numbers c
                  join applications a on a.id = c.application_id
                  join positions p on p.id = a.position_id
                  left join stage2_scores s on s.application_id = a.id
             where c.round_id = $1 and c.number = $2
               and a.lookup_code = $3",
        )
        .bind(round)
        .bind(number)
        .bind(&q.code)
        .fetch_optional(&pool)
        .await
        .map_err(|_| axum::http::StatusCode::SERVICE_UNAVAILABLE)?;
        let (name, position, score) = row.ok_or(axum::http::StatusCode::NOT_FOUND)?;
        Ok(Json(serde_json::json!({
            "full_name": name, "position": position, "stage2": score
        })))
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let app = Router::new()
        .route("/lookup", post(lookup))
        .with_state((pool, round));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(port)
}

async fn lookup_load(
    client: Client,
    path: String,
    round: Uuid,
    keys: Arc<Vec<(String, String)>>,
    seconds: u64,
) -> Run {
    closed_loop(32, None, Some(Duration::from_secs(seconds)), move |i| {
        let (client, keys, path) = (client.clone(), keys.clone(), path.clone());
        async move {
            let (number, code) = &keys[i % keys.len()];
            let answer = Client::send(
                client
                    .post(&path)
                    .header("x-forwarded-for", citizen(i))
                    .form(&[
                        ("round_id", round.to_string().as_str()),
                        ("number", number),
                        ("code", code),
                    ]),
            )
            .await?;
            if answer.status != 200 {
                bail!("{} {}", answer.status, answer.body);
            }
            Ok(())
        }
    })
    .await
}

pub async fn lookups(b: &Bench, round: Uuid) -> Result<Line> {
    let keys = Arc::new(lookup_keys(&b.pool, round).await?);
    ensure!(!keys.is_empty(), "nothing published to look up");
    // Warm-up: the first lookup loads the snapshot into memory.
    let _ = lookup_load(
        b.client.clone(),
        "/api/results/lookup".into(),
        round,
        keys.clone(),
        2,
    )
    .await;
    let portal = lookup_load(
        b.client.clone(),
        "/api/results/lookup".into(),
        round,
        keys.clone(),
        b.seconds,
    )
    .await;

    let bare_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(20)
        .connect(&b.database_url)
        .await?;
    let port = bare_lookup_server(bare_pool, round).await?;
    let bare_client = Client::new(port);
    let _ = lookup_load(
        bare_client.clone(),
        "/lookup".into(),
        round,
        keys.clone(),
        2,
    )
    .await;
    let bare = lookup_load(bare_client, "/lookup".into(), round, keys, b.seconds).await;
    ensure!(
        portal.failures == 0 && bare.failures == 0,
        "lookups failed: portal {}{}, bare {}{}",
        portal.failures,
        failures(&portal),
        bare.failures,
        failures(&bare)
    );
    Ok(Line::new(
        "public result lookup",
        portal.per_second(),
        bare.per_second(),
        "lookups/s",
        "bare axum + sqlx select by key",
        Budget::AtLeast(1.0),
        format!(
            "32 clients, {} s each, every request from a different address; portal p50 {} p99 \
             {}, bare p50 {} p99 {}",
            b.seconds,
            ms(portal.percentile(50.0)),
            ms(portal.percentile(99.0)),
            ms(bare.percentile(50.0)),
            ms(bare.percentile(99.0))
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// 1. Application submission

/// The Mẫu 01 fields of a complete profile, as the form posts them.
fn profile_form() -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("full_name", "Nguyễn Thị Hoa"),
        ("dob_day", "05"),
        ("dob_month", "09"),
        ("dob_year", "1998"),
        ("sex", "female"),
        ("national_id", "040198000000"),
        ("id_issue_day", "10"),
        ("id_issue_month", "3"),
        ("id_issue_year", "2021"),
        ("id_issue_place", "Cục Cảnh sát QLHC về TTXH"),
        ("ethnicity", "Kinh"),
        ("religion", "Không"),
        ("phone", "0912 345 678"),
        ("contact_email", "hoa@example.vn"),
        ("hometown", "Nghi Lộc, Nghệ An"),
        (
            "permanent_address",
            "Số 1 Lê Lợi, phường Hưng Bình, thành phố Vinh, Nghệ An",
        ),
        (
            "current_address",
            "Số 1 Lê Lợi, phường Hưng Bình, thành phố Vinh, Nghệ An",
        ),
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

/// A complete profile as the portal stores it: one applicant fills the form through it.
async fn profile_template(b: &Bench) -> Result<serde_json::Value> {
    let user: Uuid = sqlx::query_scalar(
        "with u as (insert into users (email, full_name, password_hash)
                    values ('mau@bench.example', 'Nguyễn Thị Hoa', $1) returning id),
              r as (insert into user_roles (user_id, role) select id, 'applicant' from u)
         select id from u",
    )
    .bind(&b.staff.hash)
    .fetch_one(&b.pool)
    .await?;
    let cookie = b
        .client
        .sign_in("mau@bench.example", seed::PASSWORD)
        .await?;
    let fields = profile_form();
    let answer = Client::send(
        b.client
            .post("/api/applications/save_profile")
            .header("cookie", &cookie)
            .form(&fields),
    )
    .await?;
    ensure!(answer.status == 200, "profile refused: {}", answer.body);
    Ok(
        sqlx::query_scalar("select data from applicant_profiles where user_id = $1")
            .bind(user)
            .fetch_one(&b.pool)
            .await?,
    )
}

/// `insert into <table> (cols) select <cols, some replaced> from <table> t where <which>`:
/// a copy of one row the portal wrote, for the baseline to write again.
async fn copy_row(
    pool: &PgPool,
    table: &str,
    which: &str,
    replace: &[(&str, String)],
) -> Result<String> {
    let columns: Vec<String> = sqlx::query_scalar(
        "select column_name::text from information_schema.columns
         where table_schema = 'public' and table_name = $1 and is_identity = 'NO'
           and coalesce(column_default, '') not like 'gen_random_uuid%'
         order by ordinal_position",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    let values: Vec<String> = columns
        .iter()
        .map(|c| {
            replace
                .iter()
                .find(|(name, _)| name == c)
                .map_or_else(|| format!("t.{c}"), |(_, expr)| expr.clone())
        })
        .collect();
    Ok(format!(
        "insert into {table} ({}) select {} from {table} t where {which}",
        columns.join(", "),
        values.join(", ")
    ))
}

fn pgbench_tps(output: &str) -> Option<f64> {
    output
        .lines()
        .find(|l| l.starts_with("tps = ") && l.contains("without initial connection time"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|n| n.parse().ok())
}

/// Returns the line, the applicants' e-mail addresses (for the login storm) and one of their
/// cookies with the round (for the page weight of the application form).
pub async fn submissions(b: &Bench, count: i32) -> Result<(Line, Vec<String>, String, Uuid)> {
    let template = profile_template(b).await?;
    let (round, position) = seed::open_round(&b.pool, "Kỳ thử tải: nộp hồ sơ", "NH26").await?;
    let applicants = seed::ready_applicants(
        &b.pool,
        &b.staff.hash,
        round,
        position,
        &template,
        "nh",
        count,
    )
    .await?;
    let cookies: Arc<Vec<String>> = Arc::new(applicants.iter().map(|a| a.1.clone()).collect());
    let client = b.client.clone();
    let run = closed_loop(32, Some(cookies.len()), None, move |i| {
        let (client, cookies) = (client.clone(), cookies.clone());
        async move {
            let answer = Client::send(
                client
                    .post("/api/applications/submit")
                    .header("cookie", &cookies[i])
                    .form(&[
                        ("round_id", round.to_string().as_str()),
                        ("declaration", "on"),
                    ]),
            )
            .await?;
            if answer.status != 200 || !answer.body.contains("\"first_time\":true") {
                bail!("{} {}", answer.status, answer.body);
            }
            Ok(())
        }
    })
    .await;
    ensure!(run.failures == 0, "submissions failed{}", failures(&run));
    let stored: i64 = sqlx::query_scalar("select count(*) from applications where round_id = $1")
        .bind(round)
        .fetch_one(&b.pool)
        .await?;
    ensure!(
        stored == i64::from(count),
        "{stored} of {count} applications stored"
    );

    // The baseline writes the same rows — application, timeline step, notification, e-mail —
    // into the same tables and indexes, for other applicants of another open round.
    let (round_b, position_b) =
        seed::open_round(&b.pool, "Kỳ thử tải: nộp hồ sơ (pgbench)", "PB26").await?;
    sqlx::raw_sql(
        "create table bench_applicants (n bigint primary key, id uuid not null);
         create sequence bench_n;",
    )
    .execute(&b.pool)
    .await?;
    sqlx::query(
        "with u as (insert into users (email, full_name, password_hash)
                    select 'pb' || i || '@bench.example', 'Nguyễn Thị Thử ' || i, $1
                    from generate_series(1, $2::int) i returning id, email)
         insert into bench_applicants (n, id)
         select substr(split_part(email, '@', 1), 3)::bigint, id from u",
    )
    .bind(&b.staff.hash)
    .bind(count)
    .execute(&b.pool)
    .await?;
    let (template_app, event, notification, email): (Uuid, i64, i64, i64) = sqlx::query_as(
        "select a.id, e.id, n.id, m.id
         from applications a
              join application_events e on e.application_id = a.id
              join notifications n on n.application_id = a.id
              join users u on u.id = a.applicant_id
              join email_outbox m on m.to_address = u.email
         where a.round_id = $1 limit 1",
    )
    .bind(round)
    .fetch_one(&b.pool)
    .await
    .context("a submitted application with its step, notification and e-mail")?;
    let applicant = "(select id from bench_applicants where n = :n)".to_string();
    let new_app = "(select id from a)".to_string();
    let statement = format!(
        "with a as ({} returning id), e as ({}), n as ({}), m as ({}) select 1;",
        copy_row(
            &b.pool,
            "applications",
            &format!("t.id = '{template_app}'"),
            &[
                ("round_id", format!("'{round_b}'::uuid")),
                ("position_id", format!("'{position_b}'::uuid")),
                ("applicant_id", applicant.clone()),
                ("receipt_code", "'PB' || :n".into()),
                ("national_id", "lpad(:n::text, 12, '0')".into()),
                ("submitted_at", "now()".into()),
            ],
        )
        .await?,
        copy_row(
            &b.pool,
            "application_events",
            &format!("t.id = {event}"),
            &[
                ("application_id", new_app.clone()),
                ("actor_id", applicant.clone()),
                ("at", "now()".into()),
            ],
        )
        .await?,
        copy_row(
            &b.pool,
            "notifications",
            &format!("t.id = {notification}"),
            &[
                ("application_id", new_app.clone()),
                ("user_id", applicant.clone()),
                ("created_at", "now()".into()),
            ],
        )
        .await?,
        copy_row(
            &b.pool,
            "email_outbox",
            &format!("t.id = {email}"),
            &[
                ("to_address", "'pb' || :n || '@bench.example'".into()),
                ("created_at", "now()".into()),
            ],
        )
        .await?,
    );
    let script = b.work.join("submit.sql");
    std::fs::write(
        &script,
        format!("select nextval('bench_n') as n \\gset\n{statement}\n"),
    )?;
    let clients = 32;
    let pgbench = server::embedded_db::bin_dir()?.join("pgbench");
    let output = tokio::process::Command::new(&pgbench)
        .args(["-n", "-h", "127.0.0.1", "-p", &b.database_port.to_string()])
        .args(["-U", "portal", "-c", &clients.to_string(), "-j", "2"])
        .args(["-t", &(count / clients).to_string(), "-f"])
        .arg(&script)
        .arg("portal")
        .output()
        .await
        .with_context(|| format!("cannot run {}", pgbench.display()))?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let tps = pgbench_tps(&text).with_context(|| {
        format!(
            "pgbench said: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let written: i64 = sqlx::query_scalar("select count(*) from applications where round_id = $1")
        .bind(round_b)
        .fetch_one(&b.pool)
        .await?;
    ensure!(
        written == i64::from(count / clients * clients),
        "pgbench wrote {written} applications"
    );
    Ok((
        Line::new(
            "application submission",
            run.per_second(),
            tps,
            "submissions/s",
            "pgbench inserting the same rows",
            Budget::AtLeast(0.5),
            format!(
                "{count} signed-in applicants, 32 at a time, full server-function path (session, \
                 checks, profile copy, receipt, timeline, notification, e-mail); p50 {} p99 {}; \
                 pgbench: 32 clients, one statement per submission",
                ms(run.percentile(50.0)),
                ms(run.percentile(99.0))
            ),
        ),
        (1..=count)
            .map(|i| format!("nh{i}@bench.example"))
            .collect(),
        applicants[0].1.clone(),
        round,
    ))
}

// ---------------------------------------------------------------------------------------------
// 4. Bulk mark import

pub async fn mark_import(b: &Bench, papers: i32) -> Result<Line> {
    let (round, position, codes) = seed::marking_round(&b.pool, &b.staff, papers).await?;
    let mut csv = String::from("mã phách,điểm\n");
    for (i, code) in codes.iter().enumerate() {
        csv.push_str(&format!("{code},{}\n", 10 + i % 90));
    }
    let form = reqwest::multipart::Form::new()
        .text("round_id", round.to_string())
        .text("position", position.to_string())
        .text("part", "written")
        .text("marker", "")
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.clone().into_bytes())
                .file_name("bang-diem.csv")
                .mime_str("text/csv")?,
        );
    let t = Instant::now();
    let answer = Client::send(
        b.client
            .post("/api/marking/import")
            .header("cookie", &b.marker)
            .multipart(form),
    )
    .await?;
    let portal = t.elapsed();
    ensure!(
        answer.status == 200,
        "import refused: {} {}",
        answer.status,
        answer.body
    );
    let (marks, audited): (i64, i64) = sqlx::query_as(
        "select (select count(*) from marks m join papers p on p.id = m.paper_id
                 where p.position_id = $1),
                (select count(*) from mark_audit where round_id = $2)",
    )
    .bind(position)
    .bind(round)
    .fetch_one(&b.pool)
    .await?;
    ensure!(
        marks == i64::from(papers),
        "{marks} of {papers} marks stored"
    );

    // The baseline: COPY of the same rows — the marks and their audit lines — into tables
    // made like `marks` and `mark_audit`: the same columns, defaults, checks and indexes, and
    // the same foreign keys (each stored mark must name a paper given to that marker, each
    // audit line its round, paper and people; checking them is most of the cost of storing a
    // row). Also timed, for comparison with earlier runs: the marks alone into a table
    // without foreign keys.
    let csv_of = |query: String| async move {
        use futures::TryStreamExt;
        let mut out = Vec::new();
        let mut stream = b
            .pool
            .copy_out_raw(&format!("copy ({query}) to stdout (format csv)"))
            .await?;
        while let Some(chunk) = stream.try_next().await? {
            out.extend_from_slice(&chunk);
        }
        anyhow::Ok(String::from_utf8(out)?)
    };
    let marks_csv = csv_of(format!(
        "select m.paper_id, m.marker_id, m.mark, m.entered_by from marks m
              join papers p on p.id = m.paper_id
         where p.position_id = '{position}'"
    ))
    .await?;
    let audit_csv = csv_of(format!(
        "select round_id, paper_id, marker_id, action, old_mark, new_mark, reason, actor_id
         from mark_audit where round_id = '{round}'"
    ))
    .await?;
    for (copy, of) in [("bench_marks", "marks"), ("bench_audit", "mark_audit")] {
        sqlx::query(&format!("create table {copy} (like {of} including all)"))
            .execute(&b.pool)
            .await?;
        let keys: Vec<String> = sqlx::query_scalar(
            "select pg_get_constraintdef(oid) from pg_constraint
             where conrelid = $1::regclass and contype = 'f'",
        )
        .bind(of)
        .fetch_all(&b.pool)
        .await?;
        for key in keys {
            sqlx::query(&format!("alter table {copy} add {key}"))
                .execute(&b.pool)
                .await?;
        }
    }
    sqlx::query("create table bench_marks_bare (like marks including defaults including indexes)")
        .execute(&b.pool)
        .await?;
    let copy_in = |statement: String, data: String| async move {
        let t = Instant::now();
        let mut copy = b.pool.copy_in_raw(&statement).await?;
        copy.send(data.into_bytes()).await?;
        copy.finish().await?;
        anyhow::Ok(t.elapsed())
    };
    let marks_columns = "(paper_id, marker_id, mark, entered_by) from stdin (format csv)";
    let bare = copy_in(
        format!("copy bench_marks {marks_columns}"),
        marks_csv.clone(),
    )
    .await?
        + copy_in(
            "copy bench_audit (round_id, paper_id, marker_id, action, old_mark, new_mark, \
             reason, actor_id) from stdin (format csv)"
                .to_string(),
            audit_csv,
        )
        .await?;
    let marks_alone = copy_in(format!("copy bench_marks_bare {marks_columns}"), marks_csv).await?;
    Ok(Line::new(
        &format!("bulk mark import of {papers} marks (CSV)"),
        portal.as_secs_f64(),
        bare.as_secs_f64(),
        "s",
        "COPY of the same marks and audit rows into tables with the same indexes and keys",
        Budget::AtMost(3.0),
        format!(
            "one sheet through the import server function (upload, parse, every code checked, \
             version-checked writes, audit): {marks} marks and {audited} audit rows stored; \
             COPY of the marks alone into a table without foreign keys {:.2} s ({:.1}×)",
            marks_alone.as_secs_f64(),
            portal.as_secs_f64() / marks_alone.as_secs_f64()
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// 5. Login storm

async fn page_load(client: Client, path: &'static str, seconds: u64) -> Run {
    closed_loop(4, None, Some(Duration::from_secs(seconds)), move |_| {
        let client = client.clone();
        async move {
            let answer = Client::send(client.get(path)).await?;
            if answer.status != 200 {
                bail!("{} {}", answer.status, answer.body.len());
            }
            Ok(())
        }
    })
    .await
}

pub async fn login_storm(b: &Bench, emails: Arc<Vec<String>>) -> Result<Line> {
    let idle = page_load(b.client.clone(), "/rounds", b.seconds.min(5)).await;
    let storm = {
        let client = b.client.clone();
        let emails = emails.clone();
        tokio::spawn(closed_loop(
            32,
            None,
            Some(Duration::from_secs(b.seconds.min(5) + 2)),
            move |i| {
                let (client, emails) = (client.clone(), emails.clone());
                async move {
                    let answer = Client::send(
                        client
                            .post("/api/login")
                            .header("x-forwarded-for", citizen(i))
                            .form(&[
                                ("email", emails[i % emails.len()].as_str()),
                                ("password", seed::PASSWORD),
                            ]),
                    )
                    .await?;
                    if answer.cookie.is_none() {
                        bail!("{} {}", answer.status, answer.body);
                    }
                    Ok(())
                }
            },
        ))
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let during = page_load(b.client.clone(), "/rounds", b.seconds.min(5)).await;
    let storm = storm.await?;
    ensure!(
        idle.failures == 0 && during.failures == 0,
        "pages failed{}{}",
        failures(&idle),
        failures(&during)
    );
    let (idle_p99, during_p99) = (idle.percentile(99.0), during.percentile(99.0));
    Ok(Line::new(
        "other pages during a login storm (p99)",
        during_p99.as_secs_f64() * 1000.0,
        idle_p99.as_secs_f64() * 1000.0,
        "ms",
        "the same page idle",
        Budget::AtMost(2.0),
        format!(
            "32 clients signing in ({:.0} sign-ins/s, {} refused{}) while 4 read /rounds: p50 {} \
             vs {} idle",
            storm.per_second(),
            storm.failures,
            failures(&storm),
            ms(during.percentile(50.0)),
            ms(idle.percentile(50.0))
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// 6. Page weight and time to first byte

/// The scripts and WebAssembly a page loads: (url, bytes, brotli bytes).
async fn assets(client: &Client, html: &str) -> Result<Vec<(String, usize, usize)>> {
    let mut urls = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for piece in html.split(attribute).skip(1) {
            let url = piece.split('"').next().unwrap_or_default();
            let path = url.split('?').next().unwrap_or_default();
            if (path.ends_with(".js") || path.ends_with(".wasm")) && !urls.contains(&url) {
                urls.push(url);
            }
        }
    }
    // The hydration script imports the bundle by name rather than by attribute.
    for piece in html
        .split("import(")
        .skip(1)
        .chain(html.split("from '").skip(1))
    {
        let url = piece
            .trim_start_matches(['\'', '"'])
            .split(['\'', '"'])
            .next()
            .unwrap_or_default();
        if (url.ends_with(".js") || url.ends_with(".wasm")) && !urls.contains(&url) {
            urls.push(url);
        }
    }
    let mut found = Vec::new();
    for url in urls {
        let bytes = client
            .get(url)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let mut compressed = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params)?;
        found.push((url.to_string(), bytes.len(), compressed.len()));
    }
    Ok(found)
}

pub async fn page_weight(
    b: &Bench,
    applicant_cookie: &str,
    open_round: Uuid,
    results_round: Uuid,
) -> Result<[Line; 3]> {
    let form_page = Client::send(
        b.client
            .get(&format!("/applications/rounds/{open_round}"))
            .header("cookie", applicant_cookie),
    )
    .await?;
    ensure!(
        form_page.status == 200,
        "the application form: {}",
        form_page.status
    );
    let form_assets = assets(&b.client, &form_page.body).await?;
    let form_br: usize = form_assets.iter().map(|a| a.2).sum();
    let form_wasm: usize = form_assets
        .iter()
        .filter(|a| a.0.ends_with(".wasm"))
        .map(|a| a.1)
        .sum();
    ensure!(
        form_wasm > 0,
        "no WebAssembly found on the application form"
    );
    let public = Client::send(b.client.get(&format!("/results/{results_round}"))).await?;
    ensure!(
        public.status == 200,
        "the public results page: {}",
        public.status
    );
    let public_assets = assets(&b.client, &public.body).await?;
    let public_wasm: usize = public_assets
        .iter()
        .filter(|a| a.0.ends_with(".wasm"))
        .map(|a| a.1)
        .sum();
    let public_js: usize = public_assets.iter().map(|a| a.2).sum();
    let weight = Line::new(
        "JS + WASM of the applicant form (brotli)",
        form_br as f64 / 1024.0,
        250.0,
        "KB",
        "the budget",
        Budget::AtMost(1.0),
        form_assets
            .iter()
            .map(|(url, raw, br)| format!("{url} {} KB → {} KB", raw / 1024, br / 1024))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let public_weight = Line::new(
        "WASM transferred by the public results page",
        public_wasm as f64 / 1024.0,
        form_wasm as f64 / 1024.0,
        "KB",
        "the WASM a hydrated page loads",
        Budget::AtMost(0.0),
        format!(
            "/results/{{round}}: {} script/WASM files, {} KB of scripts (brotli)",
            public_assets.len(),
            public_js / 1024
        ),
    );

    // Time to first byte of server-rendered pages at half the most they can serve.
    let pages: Arc<Vec<String>> = Arc::new(vec![
        "/rounds".into(),
        "/login".into(),
        format!("/results/{results_round}/positions/VT-00001"),
    ]);
    let client = b.client.clone();
    let most = {
        let pages = pages.clone();
        closed_loop(
            32,
            None,
            Some(Duration::from_secs(b.seconds.min(5))),
            move |i| {
                let (client, pages) = (client.clone(), pages.clone());
                async move {
                    let answer = Client::send(client.get(&pages[i % pages.len()])).await?;
                    ensure!(answer.status == 200, "{}", answer.status);
                    Ok(())
                }
            },
        )
        .await
    };
    let rate = most.per_second() / 2.0;
    let client = b.client.clone();
    let half = open_loop(rate, Duration::from_secs(b.seconds), move |i| {
        let (client, pages) = (client.clone(), pages.clone());
        async move {
            let sent = Instant::now();
            let response = client.get(&pages[i % pages.len()]).send().await?;
            let first_byte = sent.elapsed();
            ensure!(response.status().is_success(), "{}", response.status());
            response.bytes().await?;
            Ok(first_byte)
        }
    })
    .await;
    let p95 = percentile(&half.latencies, 95.0);
    let ttfb = Line::new(
        "server-rendered pages: time to first byte, p95 at half the maximum load",
        p95.as_secs_f64() * 1000.0,
        100.0,
        "ms",
        "the budget",
        Budget::AtMost(1.0),
        format!(
            "maximum {:.0} pages/s (32 clients: /rounds, /login, a public position result); \
             {:.0} pages/s offered for {} s, {} answered, p50 {}{}",
            most.per_second(),
            rate,
            b.seconds,
            half.latencies.len(),
            ms(percentile(&half.latencies, 50.0)),
            failures(&half),
        ),
    );
    Ok([weight, public_weight, ttfb])
}

pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(String::new, |kb| format!(", {} GiB", kb / 1024 / 1024));
    format!("{cpus} cores ({model}){memory}")
}

pub fn exists(path: &Path) -> Result<()> {
    ensure!(path.exists(), "{} is missing", path.display());
    Ok(())
}
