//! A private PostgreSQL cluster run from the system's PostgreSQL binaries, so that the portal
//! needs no database set up by hand. It listens only on a Unix socket inside its data
//! directory, is created on first start, reused after, and stopped when the server stops.
//! PostgreSQL refuses to run as root, so under root it runs as the `postgres` (or `nobody`)
//! user.

use anyhow::{anyhow, bail, Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SUPERUSER: &str = "portal";
pub const DATABASE: &str = "portal";
/// Unix socket paths are limited to 107 bytes.
const MAX_SOCKET_PATH: usize = 107;

pub struct EmbeddedPostgres {
    data_dir: PathBuf,
    port: u16,
    /// The postmaster we started; `None` when we found one already running and reuse it.
    child: Option<Child>,
    /// A postmaster found running whose owner is gone (a portal that crashed): we adopt it
    /// and stop it at shutdown as if we had started it. One still owned by a live portal
    /// process is used, never stopped.
    adopted: Option<i32>,
}

/// The account PostgreSQL runs as when we are root.
struct RunAs {
    name: String,
    uid: u32,
    gid: u32,
}

impl EmbeddedPostgres {
    /// Creates the cluster if needed and starts it (or attaches to one already running there).
    pub async fn start(data_dir: &Path, port: u16) -> Result<EmbeddedPostgres> {
        EmbeddedPostgres::start_with(data_dir, port, false).await
    }

    /// The same, also listening on 127.0.0.1:`port`, the way a deployed database is reached
    /// (the fault tests use it: a refused TCP connection behaves unlike a missing socket).
    /// Anyone on the machine can then connect without a password: never for real data.
    pub async fn start_on_loopback(data_dir: &Path, port: u16) -> Result<EmbeddedPostgres> {
        EmbeddedPostgres::start_with(data_dir, port, true).await
    }

    async fn start_with(data_dir: &Path, port: u16, tcp: bool) -> Result<EmbeddedPostgres> {
        let bin_dir = find_bin_dir()?;
        let run_as = run_as()?;
        let data_dir = reachable_data_dir(absolute(data_dir)?, run_as.as_ref())?;
        let socket = data_dir.join(format!(".s.PGSQL.{port}"));
        if socket.as_os_str().len() > MAX_SOCKET_PATH {
            bail!(
                "the data directory path {} is too long for a Unix socket; choose a shorter one with PORTAL_DATA_DIR",
                data_dir.display()
            );
        }
        if !data_dir.join("PG_VERSION").exists() {
            init_cluster(&bin_dir, &data_dir, run_as.as_ref())?;
        }

        let (child, adopted) = if let Some(pid) = running_postmaster(&data_dir) {
            if owner_alive(&data_dir) {
                tracing::info!(pid, data_dir = %data_dir.display(), "using the PostgreSQL server another portal process runs");
                (None, None)
            } else {
                tracing::info!(pid, data_dir = %data_dir.display(), "adopting the PostgreSQL server a stopped portal left running; it stops with this one");
                claim_ownership(&data_dir)?;
                (None, Some(pid))
            }
        } else {
            let child = spawn_postmaster(&bin_dir, &data_dir, port, tcp, run_as.as_ref())?;
            claim_ownership(&data_dir)?;
            (Some(child), None)
        };
        let mut db = EmbeddedPostgres {
            data_dir,
            port,
            child,
            adopted,
        };
        db.wait_until_ready().await?;
        db.ensure_database().await?;
        Ok(db)
    }

    fn options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.data_dir)
            .port(self.port)
            .username(SUPERUSER)
            .database(database)
    }

    pub fn connect_options(&self) -> PgConnectOptions {
        self.options(DATABASE)
    }

    /// A URL other tools (psql, the tests) can use to reach the cluster.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost/{database}?host={}&port={}",
            self.data_dir.display(),
            self.port
        )
    }

    /// The URL over TCP, for a cluster started with [`EmbeddedPostgres::start_on_loopback`].
    pub fn loopback_url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    async fn wait_until_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Some(status) = child.try_wait()? {
                    bail!(
                        "PostgreSQL stopped during start-up ({status}). Its log, {}, ends with:\n{}",
                        self.log_path().display(),
                        log_tail(&self.log_path())
                    );
                }
            }
            match self.options("postgres").connect().await {
                Ok(conn) => {
                    let _ = conn.close().await;
                    return Ok(());
                }
                Err(err) if Instant::now() > deadline => {
                    bail!("PostgreSQL did not accept connections within 60 s: {err}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    async fn ensure_database(&self) -> Result<()> {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(self.options("postgres"))
            .await?;
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(DATABASE)
                .fetch_one(&pool)
                .await?;
        if !exists {
            sqlx::query(&format!("create database {DATABASE}"))
                .execute(&pool)
                .await?;
        }
        pool.close().await;
        Ok(())
    }

    fn log_path(&self) -> PathBuf {
        self.data_dir.join("postmaster.log")
    }

    /// Stops the server we started or adopted (fast shutdown: sessions end, committed data is
    /// safe).
    pub async fn stop(mut self) {
        if let Some(pid) = self.adopted.take() {
            stop_adopted(&self.data_dir, pid).await;
            return;
        }
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = nix::unistd::Pid::from_raw(child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                tracing::info!("embedded PostgreSQL stopped");
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tracing::warn!("embedded PostgreSQL did not stop in 30 s; killing it");
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for EmbeddedPostgres {
    /// A cluster not stopped with [`EmbeddedPostgres::stop`] (start-up failed after it, or a
    /// panic) is still asked to shut down rather than left running without an owner.
    fn drop(&mut self) {
        if let Some(pid) = self.adopted.take() {
            let pid = nix::unistd::Pid::from_raw(pid);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline && !postmaster_gone(&self.data_dir, pid) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        if let Some(mut child) = self.child.take() {
            let pid = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Whether `user` can reach `path`: every existing directory above it must let them through
/// (directories still to be created will be made world-traversable).
fn reachable_by(path: &Path, user: &RunAs) -> bool {
    use std::os::unix::fs::MetadataExt;
    path.ancestors().skip(1).all(|dir| match fs::metadata(dir) {
        Err(_) => true,
        Ok(meta) => {
            let mode = meta.mode();
            if meta.uid() == user.uid {
                mode & 0o100 != 0
            } else if meta.gid() == user.gid {
                mode & 0o010 != 0
            } else {
                mode & 0o001 != 0
            }
        }
    })
}

/// The data directory to use. Under root, PostgreSQL runs as another user who cannot enter a
/// private home directory (such as /root, where a clone often lives); rather than fail, the
/// cluster then lives under /var/lib/portal-postgres, in a folder named after the requested
/// path, and the log says so.
fn reachable_data_dir(requested: PathBuf, run_as: Option<&RunAs>) -> Result<PathBuf> {
    let Some(user) = run_as else {
        return Ok(requested);
    };
    if reachable_by(&requested, user) {
        return Ok(requested);
    }
    // FNV-1a: a name that stays the same across toolchains, unlike std's hasher.
    let name = requested
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
    let base = PathBuf::from("/var/lib/portal-postgres");
    fs::create_dir_all(&base)?;
    fs::set_permissions(&base, fs::Permissions::from_mode(0o755))?;
    let relocated = base.join(format!("{name:016x}"));
    tracing::info!(
        requested = %requested.display(),
        using = %relocated.display(),
        user = %user.name,
        "the data directory is not reachable by the PostgreSQL user; using another place"
    );
    Ok(relocated)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

/// The directory of the PostgreSQL binaries (`pg_dump` and `pg_restore` too).
pub fn bin_dir() -> Result<PathBuf> {
    find_bin_dir()
}

/// The directory holding `initdb` and `postgres`: from `pg_config --bindir`, else the newest
/// Debian/Ubuntu install under /usr/lib/postgresql.
fn find_bin_dir() -> Result<PathBuf> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_server(dir))
        .collect();
    candidates.sort();
    candidates.pop().map(|(_, dir)| dir).ok_or_else(|| {
        anyhow!(
            "PostgreSQL server binaries (initdb, postgres) were not found.\n\
             Install them (Debian/Ubuntu: `apt-get install postgresql`), or set DATABASE_URL to use an existing server."
        )
    })
}

fn run_as() -> Result<Option<RunAs>> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    for name in ["postgres", "nobody"] {
        if let Some(user) = nix::unistd::User::from_name(name)? {
            return Ok(Some(RunAs {
                name: name.to_string(),
                uid: user.uid.as_raw(),
                gid: user.gid.as_raw(),
            }));
        }
    }
    bail!(
        "running as root, but neither a `postgres` nor a `nobody` user exists to run PostgreSQL as"
    )
}

fn command(program: PathBuf, run_as: Option<&RunAs>) -> Command {
    let mut cmd = Command::new(program);
    if let Some(user) = run_as {
        cmd.uid(user.uid).gid(user.gid);
    }
    // Its own process group: Ctrl-C in the terminal reaches the portal, which then stops
    // PostgreSQL after the last request, instead of both at once.
    cmd.process_group(0);
    cmd
}

fn init_cluster(bin_dir: &Path, data_dir: &Path, run_as: Option<&RunAs>) -> Result<()> {
    fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700))?;
    if let Some(user) = run_as {
        nix::unistd::chown(
            data_dir,
            Some(nix::unistd::Uid::from_raw(user.uid)),
            Some(nix::unistd::Gid::from_raw(user.gid)),
        )?;
    }
    tracing::info!(data_dir = %data_dir.display(), "creating the embedded PostgreSQL cluster");
    let hint = run_as.map_or(String::new(), |user| {
        format!(
            "\nPostgreSQL runs as the `{}` user here; every directory above {} must be reachable by it \
             (a private home directory such as /root is not). Choose another place with PORTAL_DATA_DIR, \
             for example PORTAL_DATA_DIR=/var/lib/portal/postgres.",
            user.name,
            data_dir.display()
        )
    });
    let out = command(bin_dir.join("initdb"), run_as)
        .arg("--pgdata")
        .arg(data_dir)
        .args([
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-locale",
        ])
        .current_dir(data_dir)
        .output()
        .map_err(|e| anyhow!("cannot run initdb: {e}{hint}"))?;
    if !out.status.success() {
        bail!(
            "initdb failed: {}{hint}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// The pid in `postmaster.pid` if that process is alive.
/// The file naming the portal process that owns the running postmaster.
const OWNER_FILE: &str = "portal.owner";

/// Records this process as the owner of the cluster's postmaster.
fn claim_ownership(data_dir: &Path) -> Result<()> {
    let path = data_dir.join(OWNER_FILE);
    fs::write(&path, format!("{}\n", std::process::id()))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Whether the portal process that started (or adopted) the running postmaster is still
/// alive. No owner file (a cluster started by hand, or by an older portal) counts as gone.
fn owner_alive(data_dir: &Path) -> bool {
    fs::read_to_string(data_dir.join(OWNER_FILE))
        .ok()
        .and_then(|text| text.trim().parse::<i32>().ok())
        .is_some_and(|pid| {
            pid != std::process::id() as i32
                && nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
        })
}

/// Whether an adopted postmaster has gone: PostgreSQL removes its pid file as the last step
/// of a shutdown (the process itself may linger as a zombie until whoever adopted it reaps
/// it).
fn postmaster_gone(data_dir: &Path, pid: nix::unistd::Pid) -> bool {
    nix::sys::signal::kill(pid, None).is_err() || !data_dir.join("postmaster.pid").exists()
}

/// Stops an adopted postmaster (not our child: we can only signal it and watch it go).
async fn stop_adopted(data_dir: &Path, pid: i32) {
    let pid = nix::unistd::Pid::from_raw(pid);
    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if postmaster_gone(data_dir, pid) {
            tracing::info!("embedded PostgreSQL stopped");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tracing::warn!("embedded PostgreSQL did not stop in 30 s; killing it");
    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
}

fn running_postmaster(data_dir: &Path) -> Option<i32> {
    let contents = fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    let pid: i32 = contents.lines().next()?.trim().parse().ok()?;
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None)
        .ok()
        .map(|_| pid)
}

fn spawn_postmaster(
    bin_dir: &Path,
    data_dir: &Path,
    port: u16,
    tcp: bool,
    run_as: Option<&RunAs>,
) -> Result<Child> {
    let log_path = data_dir.join("postmaster.log");
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .with_context(|| format!("cannot open {}", log_path.display()))?;
    if let Some(user) = run_as {
        nix::unistd::chown(
            &log_path,
            Some(nix::unistd::Uid::from_raw(user.uid)),
            Some(nix::unistd::Gid::from_raw(user.gid)),
        )?;
    }
    let socket_dir = data_dir
        .to_str()
        .context("the data directory path is not UTF-8")?;
    command(bin_dir.join("postgres"), run_as)
        .arg("-D")
        .arg(data_dir)
        .args([
            "-c",
            if tcp {
                "listen_addresses=127.0.0.1"
            } else {
                "listen_addresses="
            },
        ])
        .args(["-c", &format!("unix_socket_directories={socket_dir}")])
        .args(["-c", "unix_socket_permissions=0700"])
        .args(["-c", &format!("port={port}")])
        .args(["-c", "max_connections=200"])
        .current_dir(data_dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start postgres")
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// Connects to the embedded cluster's portal database, each connection keeping
/// `statement_cache` prepared statements (sqlx's default without it).
pub async fn pool(
    db: &EmbeddedPostgres,
    options: PgPoolOptions,
    statement_cache: Option<u64>,
) -> Result<PgPool> {
    let mut connect = db.connect_options();
    if let Some(capacity) = statement_cache {
        connect = connect.statement_cache_capacity(capacity as usize);
    }
    Ok(options.connect_with(connect).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_directory_is_not_reachable_by_another_user() {
        let root = std::env::temp_dir().join(format!("portal-reach-{}", std::process::id()));
        let private = root.join("private");
        fs::create_dir_all(&private).unwrap();
        fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&private, fs::Permissions::from_mode(0o700)).unwrap();
        let other = RunAs {
            name: "someone".into(),
            uid: 54_321,
            gid: 54_321,
        };
        assert!(!reachable_by(&private.join("db"), &other));
        assert!(reachable_by(&root.join("open").join("db"), &other));
        fs::set_permissions(&private, fs::Permissions::from_mode(0o711)).unwrap();
        assert!(reachable_by(&private.join("db"), &other));
        fs::remove_dir_all(&root).unwrap();
    }
}
