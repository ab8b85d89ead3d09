//! Where sessions live: PostgreSQL (tower-sessions' store), shared by every server process —
//! with one saving. tower-sessions writes a session back after every request to move its idle
//! expiry on, so each page and each server-function call cost a database write (and a WAL
//! flush) on top of its own work. This store skips that write when the request changed nothing
//! in the session and the expiry would move by less than a thirtieth of the idle timeout (a
//! minute at 30 minutes): a session then ends between 29 and 30 minutes after its last use
//! instead of at exactly 30.
//!
//! The comparison is with the record as it was read from the database in the same request, so
//! it holds across processes: a sign-out or a sign-in elsewhere is never overwritten or missed.
//!
//! A write-back only ever updates a record that still exists. tower-sessions calls `save` for a
//! session it loaded (new sessions go through `create`), and the underlying store's `save` is
//! an upsert: a request still running when the session was deleted (sign-out, a password
//! change ending the other sessions) would otherwise write it back when it finished and the
//! old cookie would work again. Here that write finds no row and changes nothing.

use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions_sqlx_store::PostgresStore;

/// Sessions read but not yet written back: their data and expiry as stored.
type Loaded = HashMap<Id, (OffsetDateTime, HashMap<String, serde_json::Value>)>;

/// More open requests than this means the map is leaking (requests that failed before their
/// session was written back); it is emptied, which only costs a few unneeded writes.
const MAX_LOADED: usize = 100_000;

#[derive(Clone, Debug)]
pub struct ThriftyStore {
    inner: PostgresStore,
    pool: PgPool,
    slack: Duration,
    loaded: Arc<Mutex<Loaded>>,
}

impl ThriftyStore {
    pub fn new(pool: PgPool, idle: Duration) -> Self {
        ThriftyStore {
            inner: PostgresStore::new(pool.clone()),
            pool,
            slack: idle / 30,
            loaded: Arc::default(),
        }
    }

    fn remember(&self, record: &Record) {
        if let Ok(mut loaded) = self.loaded.lock() {
            if loaded.len() >= MAX_LOADED {
                loaded.clear();
            }
            loaded.insert(record.id, (record.expiry_date, record.data.clone()));
        }
    }

    fn take(&self, id: &Id) -> Option<(OffsetDateTime, HashMap<String, serde_json::Value>)> {
        self.loaded.lock().ok()?.remove(id)
    }

    /// Whether writing `record` would change nothing but move the expiry by less than the slack.
    fn unchanged(&self, record: &Record) -> bool {
        self.take(&record.id).is_some_and(|(stored, data)| {
            let moved = record.expiry_date - stored;
            data == record.data && moved >= Duration::ZERO && moved < self.slack
        })
    }
}

#[async_trait::async_trait]
impl SessionStore for ThriftyStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.inner.create(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        if self.unchanged(record) {
            return Ok(());
        }
        // The same encoding and table as `PostgresStore`, which reads it back; an update only.
        let data = rmp_serde::to_vec(record)
            .map_err(|err| session_store::Error::Encode(err.to_string()))?;
        sqlx::query(
            r#"update "tower_sessions"."session" set data = $2, expiry_date = $3 where id = $1"#,
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date)
        .execute(&self.pool)
        .await
        .map_err(|err| session_store::Error::Backend(err.to_string()))?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let record = self.inner.load(id).await?;
        if let Some(record) = &record {
            self.remember(record);
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.take(id);
        self.inner.delete(id).await
    }
}
