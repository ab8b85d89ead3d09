//! The benchmark command: the portal's release build on its own PostgreSQL, synthetic data at
//! a chosen scale, and six measurements each against a baseline taken in the same run on the
//! same machine. Prints one table (Markdown, as the README quotes it) and writes the figures
//! as JSON. Run through `scripts/bench`, which builds everything in release mode first.

mod benches;
mod harness;
mod report;
mod seed;

use anyhow::{Context, Result};
use benches::Bench;
use clap::Parser;
use harness::{Client, Database, Portal};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Benchmarks the portal against same-machine baselines")]
struct Args {
    /// The portal's server binary (release build).
    #[arg(long)]
    server: PathBuf,
    /// The compiled front end (cargo leptos build --release).
    #[arg(long)]
    site: PathBuf,
    /// Positions in the results round.
    #[arg(long, default_value_t = 1_000)]
    positions: i32,
    /// Applications in the results round.
    #[arg(long, default_value_t = 100_000)]
    applications: i32,
    /// The national scale: 1,000,000 applications in the results round.
    #[arg(long)]
    million: bool,
    /// Applicants who submit in the submission benchmark (and sign in in the login storm).
    #[arg(long, default_value_t = 10_000)]
    submissions: i32,
    /// Marks on the imported sheet.
    #[arg(long, default_value_t = 100_000)]
    marks: i32,
    /// How long each timed load runs, in seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Where the JSON goes.
    #[arg(long, default_value = "target/bench/latest.json")]
    out: PathBuf,
    /// Scratch directory for the database and logs (emptied first).
    #[arg(long, default_value = "/tmp/portal-bench")]
    work: PathBuf,
}

fn step(started: Instant, what: &str) {
    eprintln!("[{:>6.1} s] {what}", started.elapsed().as_secs_f64());
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = Args::parse();
    if args.million {
        args.applications = 1_000_000;
    }
    benches::exists(&args.server)?;
    benches::exists(&args.site)?;
    let started = Instant::now();
    let work = harness::scratch_dir(&args.work)?;
    step(started, "starting PostgreSQL on 127.0.0.1");
    let database = Database::start(&work).await?;
    step(started, "starting the portal (release build)");
    let portal = Portal::start(
        &args.server,
        &args.site,
        &database.url,
        &work.join("portal.log"),
    )
    .await?;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&database.url)
        .await?;
    let client = Client::new(portal.port);
    let staff = seed::staff(&pool).await?;
    let bench = Bench {
        hr: client.sign_in(seed::HR_EMAIL, seed::PASSWORD).await?,
        chair: client.sign_in(seed::CHAIR_EMAIL, seed::PASSWORD).await?,
        marker: client.sign_in(seed::MARKER_EMAIL, seed::PASSWORD).await?,
        pool,
        database_url: database.url.clone(),
        database_port: database.port,
        client,
        staff,
        seconds: args.seconds,
        work: work.clone(),
    };

    step(
        started,
        &format!(
            "seeding a round of {} positions and {} applications",
            args.positions, args.applications
        ),
    );
    let results_round =
        seed::results_round(&bench.pool, &bench.staff, args.positions, args.applications).await?;
    sqlx::query("vacuum analyze")
        .execute(&bench.pool)
        .await
        .context("vacuum")?;
    let mut lines = Vec::new();

    step(started, "3. ranking and publication");
    let ranking = benches::ranking(&bench, results_round, args.applications).await?;
    step(started, "2. public result lookup");
    let lookups = benches::lookups(&bench, results_round).await?;
    step(
        started,
        &format!(
            "1. application submission ({} applicants)",
            args.submissions
        ),
    );
    let (submissions, emails, applicant, open_round) =
        benches::submissions(&bench, args.submissions).await?;
    step(started, "5. login storm");
    let storm = benches::login_storm(&bench, Arc::new(emails)).await?;
    step(
        started,
        &format!("4. bulk mark import ({} marks)", args.marks),
    );
    let marks = benches::mark_import(&bench, args.marks).await?;
    step(started, "6. page weight and time to first byte");
    let [weight, public_weight, ttfb] =
        benches::page_weight(&bench, &applicant, open_round, results_round).await?;
    lines.extend([
        submissions,
        lookups,
        ranking,
        marks,
        storm,
        weight,
        public_weight,
        ttfb,
    ]);

    let machine = benches::machine();
    let table = report::table(&lines);
    println!(
        "\nBenchmarks on {machine}; results round {} positions / {} applications; \
         {} submissions; {} marks; {} s loads\n",
        args.positions, args.applications, args.submissions, args.marks, args.seconds
    );
    println!("{table}");
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(
        &args.out,
        serde_json::to_string_pretty(&serde_json::json!({
            "machine": machine,
            "scale": {
                "positions": args.positions,
                "applications": args.applications,
                "submissions": args.submissions,
                "marks": args.marks,
                "seconds": args.seconds,
            },
            "lines": lines,
        }))?,
    )?;
    println!("Written to {}", args.out.display());
    step(started, "done");

    portal.stop().await;
    bench.pool.close().await;
    database.cluster.stop().await;
    Ok(())
}
