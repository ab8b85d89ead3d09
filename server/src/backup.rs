//! Backups: a consistent copy of the whole database taken with `pg_dump` (one snapshot, so a
//! backup taken while the portal serves is consistent), restored with `pg_restore` into an
//! empty database; and the per-table checksums that show a restore is exact.

use anyhow::{anyhow, bail, Context, Result};
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `pg_dump` or `pg_restore` of the installed PostgreSQL.
fn tool(name: &str) -> Result<PathBuf> {
    let path = crate::embedded_db::bin_dir()?.join(name);
    if path.is_file() {
        Ok(path)
    } else {
        bail!("{name} was not found next to the PostgreSQL server binaries")
    }
}

fn run(mut command: Command, what: &str) -> Result<()> {
    let out = command
        .output()
        .with_context(|| format!("cannot run {what}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(anyhow!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Writes the whole database at `url` to `to` (pg_dump's custom format, compressed).
pub fn dump(url: &str, to: &Path) -> Result<()> {
    let mut command = Command::new(tool("pg_dump")?);
    command
        .arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--file")
        .arg(to)
        .arg("--dbname")
        .arg(url);
    run(command, "pg_dump")
}

/// Restores a backup into the empty database at `url`: all or nothing (one transaction).
pub async fn restore(pool: &PgPool, url: &str, from: &Path) -> Result<()> {
    let tables: i64 = sqlx::query_scalar(
        "select count(*) from information_schema.tables
         where table_schema not in ('pg_catalog', 'information_schema')",
    )
    .fetch_one(pool)
    .await?;
    if tables > 0 {
        bail!("the target database is not empty ({tables} tables); restore into a new one");
    }
    let mut command = Command::new(tool("pg_restore")?);
    command
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--exit-on-error")
        .arg("--single-transaction")
        .arg("--dbname")
        .arg(url)
        .arg(from);
    run(command, "pg_restore")
}

/// Every table of the portal (its schemas: `public` and the sessions') with its row count and
/// the MD5 of its rows in a fixed order: two databases with the same checksums hold the same
/// data.
pub async fn checksums(pool: &PgPool) -> Result<Vec<(String, i64, String)>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select format('%I.%I', table_schema, table_name) from information_schema.tables
         where table_type = 'BASE TABLE' and table_schema in ('public', 'tower_sessions')
         order by 1",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(tables.len());
    for table in tables {
        let (rows, sum): (i64, String) = sqlx::query_as(&format!(
            "select count(*), coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '')
             from {table} t"
        ))
        .fetch_one(pool)
        .await?;
        out.push((table, rows, sum));
    }
    Ok(out)
}
