//! The portal's server: start-up, configuration, the embedded database, HTTP middleware and
//! command-line tools. Business rules live in the `app` crate.

pub mod backup;
pub mod config;
pub mod demo_applications;
pub mod demo_rounds;
pub mod demo_stage2;
pub mod embedded_db;
pub mod http;
pub mod mailer;
pub mod rank;
pub mod seed;
pub mod session_store;

use anyhow::{Context, Result};
use config::Config;
use embedded_db::EmbeddedPostgres;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{migrate::Migrator, Connection, PgConnection, PgPool};
use std::str::FromStr;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// An open database: the pool, and the embedded cluster behind it if we run one.
pub struct Database {
    pub pool: PgPool,
    pub embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// Connects to DATABASE_URL, or starts the embedded cluster; then applies migrations.
    pub async fn open(config: &Config) -> Result<Database> {
        let db = Database::connect(config).await?;
        match &config.migrate_url {
            // Migrations hold an advisory lock for the whole run, which belongs to one
            // database session: through PgBouncer in transaction mode the lock and its unlock
            // may reach different sessions, leaving the lock held for the next start.
            Some(url) => {
                let mut direct = PgConnection::connect(url)
                    .await
                    .context("cannot connect to PORTAL_MIGRATE_URL")?;
                let applied = MIGRATOR.run(&mut direct).await;
                direct.close().await?;
                applied
            }
            None => MIGRATOR.run(&db.pool).await,
        }
        .context("applying database migrations failed")?;
        app::rounds::repo::ensure_builtin_rule_sets(&db.pool)
            .await
            .context("installing the built-in rule sets failed")?;
        Ok(db)
    }

    /// Connects (or starts the embedded cluster) without touching the schema: for a restore.
    pub async fn connect(config: &Config) -> Result<Database> {
        // A request waits at most this long for a connection; past it (the database restarting,
        // or every connection busy) it is answered "try again" instead of hanging.
        let options = PgPoolOptions::new()
            .max_connections(config.db_max_connections)
            .acquire_timeout(std::time::Duration::from_secs(config.db_wait_seconds));
        let (pool, embedded) = match &config.database_url {
            Some(url) => {
                let mut connect = PgConnectOptions::from_str(url)
                    .context("DATABASE_URL is not a PostgreSQL URL")?;
                if let Some(capacity) = config.db_statement_cache {
                    connect = connect.statement_cache_capacity(capacity as usize);
                }
                let pool = options
                    .connect_with(connect)
                    .await
                    .context("cannot connect to DATABASE_URL")?;
                (pool, None)
            }
            None => {
                let db = EmbeddedPostgres::start(&config.data_dir, config.pg_port).await?;
                let pool = embedded_db::pool(&db, options, config.db_statement_cache).await?;
                (pool, Some(db))
            }
        };
        Ok(Database { pool, embedded })
    }

    /// The URL other PostgreSQL tools use for this database.
    pub fn url(&self, config: &Config) -> String {
        match (&config.database_url, &self.embedded) {
            (Some(url), _) => url.clone(),
            (None, Some(db)) => db.url(embedded_db::DATABASE),
            (None, None) => String::new(),
        }
    }

    pub async fn close(self) {
        self.pool.close().await;
        if let Some(db) = self.embedded {
            db.stop().await;
        }
    }
}

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
