//! Configuration: command-line flags, each with an environment variable behind it.
//! `server --help` lists them all.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "server", version, about = "Civil-service recruitment portal")]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the portal (what runs when no command is given).
    Serve,
    /// Create an administrator account. The password is asked for on the terminal, or read
    /// from standard input with --password-stdin.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        full_name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Start only the database (the embedded cluster when DATABASE_URL is unset), apply the
    /// migrations, print its URL and keep it running until interrupted. Used by the tests.
    Database,
    /// Write a consistent backup of the whole database (pg_dump, custom format) to a file.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into the configured database, which must be empty (a new
    /// DATABASE_URL, or a new PORTAL_DATA_DIR for the embedded cluster); all or nothing.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Recompute a ranking: --input FILE.json prints it as JSON; --verify SNAPSHOT recomputes
    /// a published result file and says whether it matches. Needs no database. Exit status 2
    /// for an unreadable file (every problem listed), 1 for a snapshot that does not match.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["input", "verify"])))]
    Rank {
        #[arg(long)]
        input: Option<std::path::PathBuf>,
        #[arg(long)]
        verify: Option<std::path::PathBuf>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// URL of an external PostgreSQL server. Without it the server runs its own private
    /// PostgreSQL cluster in --data-dir.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// Data directory of the embedded PostgreSQL cluster (created on first start).
    #[arg(
        long,
        env = "PORTAL_DATA_DIR",
        default_value = ".data/postgres",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Port number of the embedded cluster's Unix socket (it opens no TCP port).
    #[arg(long, env = "PORTAL_PG_PORT", default_value_t = 5432, global = true)]
    pub pg_port: u16,

    /// In production no demo accounts are ever created.
    #[arg(
        long,
        env = "PORTAL_ENV",
        value_enum,
        default_value = "development",
        global = true
    )]
    pub environment: Environment,

    /// Public address of the site, e.g. https://tuyendung.example.gov.vn. An https address
    /// marks cookies Secure; its origin is accepted for form posts behind a proxy.
    #[arg(long, env = "PORTAL_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Minutes of inactivity after which a session ends.
    #[arg(
        long,
        env = "PORTAL_SESSION_IDLE_MINUTES",
        default_value_t = 60,
        global = true
    )]
    pub session_idle_minutes: i64,

    /// Take the client address from X-Forwarded-For (only behind a proxy you control).
    #[arg(long, env = "PORTAL_TRUST_PROXY", global = true)]
    pub trust_proxy: bool,

    /// Largest number of database connections this process opens.
    #[arg(
        long,
        env = "PORTAL_DB_MAX_CONNECTIONS",
        default_value_t = 20,
        global = true
    )]
    pub db_max_connections: u32,

    /// Longest a request waits for a database connection before it is answered "try again"
    /// (503), in seconds.
    #[arg(
        long,
        env = "PORTAL_DB_WAIT_SECONDS",
        default_value_t = 5,
        value_parser = clap::value_parser!(u64).range(1..=60),
        global = true
    )]
    pub db_wait_seconds: u64,

    /// Prepared statements each database connection keeps cached (sqlx's statement cache;
    /// without this, `statement-cache-capacity` in DATABASE_URL or sqlx's 100). Not 0: sqlx 0.8
    /// then still names every statement and never closes one, so they pile up on the
    /// connection. Behind PgBouncer in transaction mode, PgBouncer must track prepared
    /// statements (1.21 or later, `max_prepared_statements` above 0) whatever this is.
    #[arg(
        long,
        env = "PORTAL_DB_STATEMENT_CACHE",
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub db_statement_cache: Option<u64>,

    /// A direct connection to PostgreSQL for applying migrations at start-up, when
    /// DATABASE_URL goes through PgBouncer in transaction mode (the migrations' lock is held
    /// by a database session, which such a pooler does not keep). Default: DATABASE_URL.
    #[arg(
        long,
        env = "PORTAL_MIGRATE_URL",
        hide_env_values = true,
        global = true
    )]
    pub migrate_url: Option<String>,

    /// SMTP server for e-mail, e.g. smtps://user:password@smtp.example.vn:465 or
    /// smtp://smtp.example.vn:587?tls=required. Without it e-mails stay in the outbox (staff
    /// read them at /admin/outbox) and are printed to the log.
    #[arg(long, env = "PORTAL_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// Sender of the portal's e-mails.
    #[arg(
        long,
        env = "PORTAL_MAIL_FROM",
        default_value = "Cổng tuyển dụng <no-reply@tuyendung.localhost>",
        global = true
    )]
    pub mail_from: String,

    #[arg(
        long,
        env = "PORTAL_LOG_FORMAT",
        value_enum,
        default_value = "pretty",
        global = true
    )]
    pub log_format: LogFormat,
}

impl Config {
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    /// The public origin (scheme://host[:port]) without a trailing path.
    pub fn public_origin(&self) -> Option<String> {
        let url = self.public_url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split('/').next()?;
        Some(format!("{scheme}://{host}"))
    }
}
