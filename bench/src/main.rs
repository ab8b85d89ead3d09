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
    /// Only these benchmarks, comma-separated (submission, lookup, ranking, import, storm,
    /// weight), with what they need first (lookup needs ranking; storm needs submission;
    /// weight needs submission and ranking). For working on one figure; the README quotes
    /// full runs.
    #[arg(long, value_delimiter = ',', value_parser = ["submission", "lookup", "ranking", "import", "storm", "weight"])]
    only: Vec<String>,
    /// Where the JSON goes (default: target/bench/latest.json, or target/bench/partial.json
    /// with --only).
    #[arg(long)]
    out: Option<PathBuf>,
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
    let wanted = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    let run_ranking = wanted("ranking") || wanted("lookup") || wanted("weight");
    let run_submission = wanted("submission") || wanted("storm") || wanted("weight");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| match args.only.is_empty() {
            true => PathBuf::from("target/bench/latest.json"),
            false => PathBuf::from("target/bench/partial.json"),
        });
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

    let results_round = if run_ranking {
        step(
            started,
            &format!(
                "seeding a round of {} positions and {} applications",
                args.positions, args.applications
            ),
        );
        let round =
            seed::results_round(&bench.pool, &bench.staff, args.positions, args.applications)
                .await?;
        sqlx::query("vacuum analyze")
            .execute(&bench.pool)
            .await
            .context("vacuum")?;
        Some(round)
    } else {
        None
    };
    let mut lines = Vec::new();

    if let Some(round) = results_round {
        step(started, "3. ranking and publication");
        lines.push(benches::ranking(&bench, round, args.applications).await?);
        if wanted("lookup") {
            step(started, "2. public result lookup");
            lines.push(benches::lookups(&bench, round).await?);
        }
    }
    let mut submitted = None;
    if run_submission {
        step(
            started,
            &format!(
                "1. application submission ({} applicants)",
                args.submissions
            ),
        );
        let (line, emails, applicant, open_round) =
            benches::submissions(&bench, args.submissions).await?;
        lines.push(line);
        if wanted("storm") {
            step(started, "5. login storm");
            lines.push(benches::login_storm(&bench, Arc::new(emails)).await?);
        }
        submitted = Some((applicant, open_round));
    }
    if wanted("import") {
        step(
            started,
            &format!("4. bulk mark import ({} marks)", args.marks),
        );
        lines.push(benches::mark_import(&bench, args.marks).await?);
    }
    if let (true, Some((applicant, open_round)), Some(round)) =
        (wanted("weight"), &submitted, results_round)
    {
        step(started, "6. page weight and time to first byte");
        lines.extend(benches::page_weight(&bench, applicant, *open_round, round).await?);
    }
    // The table's order: the numbering.
    let order = |benchmark: &str| {
        [
            "submission",
            "lookup",
            "ranking",
            "import",
            "login",
            "JS",
            "WASM",
            "time",
        ]
        .iter()
        .position(|key| benchmark.contains(key))
        .unwrap_or(usize::MAX)
    };
    lines.sort_by_key(|line| order(&line.benchmark));

    let machine = benches::machine();
    let table = report::table(&lines);
    println!(
        "\nBenchmarks on {machine}; results round {} positions / {} applications; \
         {} submissions; {} marks; {} s loads\n",
        args.positions, args.applications, args.submissions, args.marks, args.seconds
    );
    println!("{table}");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(
        &out,
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
    println!("Written to {}", out.display());
    step(started, "done");

    portal.stop().await;
    bench.pool.close().await;
    database.cluster.stop().await;
    Ok(())
}
