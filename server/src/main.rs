//! `server`: serves the portal, or runs one of its command-line tools (`server --help`).

use anyhow::{bail, Context, Result};
use app::accounts::{password, repo, types::*};
use app::i18n::Lang;
use clap::Parser;
use server::config::{Cli, Command, Config, LogFormat};
use server::{http, seed, shutdown_signal, Database};
use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(err) => {
            eprintln!("cannot start the runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Each password check (argon2, 19 MiB) allocates one large block. glibc would keep those in
/// its per-thread arenas after they are freed, so a burst of sign-ins left the process at about
/// 500 MB for good; blocks of 128 KiB and more are instead mapped and unmapped each time (the
/// threshold glibc itself starts from, here fixed so it does not grow). Set before any thread
/// exists. Measured by the abuse run in `scripts/faults`.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called once, before the runtime
    // starts any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

async fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Rank { input, verify }) = &cli.command {
        return server::rank::run(input.as_deref(), verify.as_deref());
    }
    init_tracing(&cli.config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.config).await,
        Command::CreateAdmin {
            email,
            full_name,
            password_stdin,
        } => create_admin(&cli.config, &email, &full_name, password_stdin).await,
        Command::Database => database_only(&cli.config).await,
        Command::Backup { to } => backup(&cli.config, &to).await,
        Command::Restore { from } => restore(&cli.config, &from).await,
        Command::Rank { .. } => unreachable!("answered above"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

async fn serve(config: &Config) -> Result<()> {
    let leptos_config = leptos::prelude::get_configuration(None)?;
    let options = leptos_config.leptos_options;
    let addr = options.site_addr;
    // Bind first: a taken port is reported before anything else starts.
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr}; is another server running? Choose another address with LEPTOS_SITE_ADDR")
    })?;

    let db = Database::open(config).await?;
    if seed::seed_demo(&db.pool, config).await?
        || (config.environment == server::config::Environment::Development
            && seed::demo_accounts_present(&db.pool).await?)
    {
        seed::print_demo_accounts();
    }
    password::warm_up().await;

    let cleanup = tokio::spawn(delete_expired_sessions(db.pool.clone()));

    let mailer = tokio::spawn(server::mailer::run(
        db.pool.clone(),
        server::mailer::Mailer::from_config(config)?,
    ));

    app::server_support::set_process_pool(db.pool.clone());
    let app = http::router(db.pool.clone(), options, http::HttpSettings::from(config));
    tracing::info!("listening on http://{addr}");
    println!("The portal is ready at http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;

    cleanup.abort();
    mailer.abort();
    db.close().await;
    Ok(())
}

/// Deletes expired sessions and day-old counted actions of the shared limits every ten
/// minutes. The store's own loop ends at its first error, so one database restart would stop
/// the clean-up for good; this one logs and carries on.
async fn delete_expired_sessions(pool: sqlx::PgPool) {
    use tower_sessions::ExpiredDeletion;
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        if let Err(err) = store.delete_expired().await {
            tracing::warn!(error = %err, "could not delete expired sessions; will retry");
        }
        if let Err(err) = app::server_support::purge_rate_events(&pool).await {
            tracing::warn!(error = %err, "could not forget old counted actions; will retry");
        }
    }
}

async fn create_admin(
    config: &Config,
    email: &str,
    full_name: &str,
    from_stdin: bool,
) -> Result<()> {
    let both = |msg| format!("{} / {}", Lang::Vi.t(msg), Lang::En.t(msg));
    let email = Email::parse(email).map_err(|m| anyhow::anyhow!(both(m)))?;
    let full_name = FullName::parse(full_name).map_err(|m| anyhow::anyhow!(both(m)))?;
    let typed = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let first = rpassword::prompt_password("Mật khẩu / Password: ")?;
        let again = rpassword::prompt_password("Nhập lại / Again: ")?;
        if first != again {
            bail!(both(app::i18n::Msg::ErrPasswordMismatch));
        }
        first
    };
    let password = NewPassword::parse(&typed).map_err(|m| anyhow::anyhow!(both(m)))?;

    let db = Database::open(config).await?;
    let hash = password::hash(&password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let result = repo::insert_user(
        &db.pool,
        &email,
        &full_name,
        &hash,
        &[Role::Administrator],
        None,
    )
    .await;
    db.close().await;
    match result {
        Ok(id) => {
            println!("Administrator {} created ({id}).", email.as_str());
            Ok(())
        }
        Err(repo::InsertUserError::EmailTaken) => bail!(both(app::i18n::Msg::ErrEmailTaken)),
        Err(repo::InsertUserError::Db(e)) => Err(e.into()),
    }
}

async fn backup(config: &Config, to: &std::path::Path) -> Result<()> {
    // As it is: a backup never changes the schema.
    let db = Database::connect(config).await?;
    let result = server::backup::dump(&db.url(config), to);
    let tables = server::backup::checksums(&db.pool).await;
    db.close().await;
    result?;
    let tables = tables?;
    let rows: i64 = tables.iter().map(|t| t.1).sum();
    println!(
        "Backup written to {} ({} tables, {rows} rows).",
        to.display(),
        tables.len()
    );
    Ok(())
}

async fn restore(config: &Config, from: &std::path::Path) -> Result<()> {
    let db = Database::connect(config).await?;
    let result = server::backup::restore(&db.pool, &db.url(config), from).await;
    let tables = match &result {
        Ok(()) => Some(server::backup::checksums(&db.pool).await),
        Err(_) => None,
    };
    db.close().await;
    result?;
    if let Some(tables) = tables {
        let tables = tables?;
        let rows: i64 = tables.iter().map(|t| t.1).sum();
        println!(
            "Restored {} ({} tables, {rows} rows).",
            from.display(),
            tables.len()
        );
    }
    Ok(())
}

async fn database_only(config: &Config) -> Result<()> {
    let db = Database::open(config).await?;
    match &db.embedded {
        Some(embedded) => println!(
            "DATABASE_URL={}",
            embedded.url(server::embedded_db::DATABASE)
        ),
        None => println!("DATABASE_URL is set; migrations applied."),
    }
    shutdown_signal().await;
    db.close().await;
    Ok(())
}
