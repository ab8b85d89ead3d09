//! Account storage: users, their roles, failed sign-ins and the audit trail.

use crate::accounts::types::{CurrentUser, Email, FullName, Role, UserSummary};
use sqlx::{PgExecutor, PgPool};
use time::{macros::format_description, macros::offset, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("email already registered")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<InsertUserError> for crate::error::AppError {
    fn from(err: InsertUserError) -> Self {
        match err {
            InsertUserError::EmailTaken => {
                crate::error::AppError::field("email", crate::i18n::Msg::ErrEmailTaken)
            }
            InsertUserError::Db(e) => e.into(),
        }
    }
}

fn roles_from_names(names: Vec<String>) -> Vec<Role> {
    let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::from_name(n)).collect();
    roles.sort();
    roles
}

/// Creates a user with their roles in one transaction.
pub async fn insert_user(
    pool: &PgPool,
    email: &Email,
    full_name: &FullName,
    password_hash: &str,
    roles: &[Role],
    created_by: Option<Uuid>,
) -> Result<Uuid, InsertUserError> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query_scalar!(
        r#"insert into users (email, full_name, password_hash, created_by)
           values ($1, $2, $3, $4)
           returning id"#,
        email.as_str(),
        full_name.as_str(),
        password_hash,
        created_by,
    )
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_email_key") => {
            return Err(InsertUserError::EmailTaken)
        }
        Err(e) => return Err(e.into()),
    };
    let role_names: Vec<String> = roles.iter().map(|r| r.as_str().to_string()).collect();
    sqlx::query!(
        r#"insert into user_roles (user_id, role, granted_by)
           select $1, unnest($2::text[]), $3"#,
        id,
        &role_names,
        created_by,
    )
    .execute(&mut *tx)
    .await?;
    audit(
        &mut *tx,
        created_by.or(Some(id)),
        "account.created",
        Some(id),
        serde_json::json!({ "email": email.as_str(), "roles": role_names }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub struct Credentials {
    pub user_id: Uuid,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn password_hash(pool: &PgPool, user_id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("select password_hash from users where id = $1", user_id)
        .fetch_optional(pool)
        .await
}

/// Sets a new password and ends every other session of the account, in one transaction.
pub async fn set_password(
    pool: &PgPool,
    user_id: Uuid,
    password_hash: &str,
    keep_session: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "update users set password_hash = $2 where id = $1",
        user_id,
        password_hash
    )
    .execute(&mut *tx)
    .await?;
    // Sessions store the user id in their (MessagePack) data; the id's text identifies them.
    sqlx::query!(
        r#"delete from tower_sessions.session
           where id <> $2 and position(convert_to($1, 'UTF8') in data) > 0"#,
        user_id.to_string(),
        keep_session
    )
    .execute(&mut *tx)
    .await?;
    audit(
        &mut *tx,
        Some(user_id),
        "account.password_changed",
        Some(user_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await
}

pub async fn find_credentials(
    pool: &PgPool,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as!(
        Credentials,
        r#"select id as user_id, password_hash, disabled_at is not null as "disabled!"
           from users where email = $1"#,
        email,
    )
    .fetch_optional(pool)
    .await
}

/// The signed-in user with their roles; `None` when the account no longer exists or is disabled.
pub async fn load_current_user(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select u.id, u.email, u.full_name,
                  coalesce(array_agg(r.role) filter (where r.role is not null), '{}') as "roles!"
           from users u left join user_roles r on r.user_id = u.id
           where u.id = $1 and u.disabled_at is null
           group by u.id"#,
        id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| CurrentUser {
        id: r.id,
        email: r.email,
        full_name: r.full_name,
        roles: roles_from_names(r.roles),
        unread_notifications: 0,
    }))
}

pub fn format_date_vn(at: OffsetDateTime) -> String {
    at.to_offset(offset!(+7))
        .format(format_description!("[day]/[month]/[year]"))
        .unwrap_or_default()
}

pub async fn list_users(pool: &PgPool) -> Result<Vec<UserSummary>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select u.id, u.email, u.full_name, u.created_at,
                  coalesce(array_agg(r.role) filter (where r.role is not null), '{}') as "roles!"
           from users u left join user_roles r on r.user_id = u.id
           group by u.id
           order by u.created_at desc, u.email
           limit 500"#,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UserSummary {
            id: r.id,
            email: r.email,
            full_name: r.full_name,
            roles: roles_from_names(r.roles),
            created_on: format_date_vn(r.created_at),
        })
        .collect())
}

pub async fn count_users(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from users"#)
        .fetch_one(pool)
        .await
}

/// Takes one password check for this email from this client address, or refuses it.
///
/// Counting, checking and recording are one step: under two transaction-scoped advisory locks
/// (the account's, then the address's — always in that order, so two attempts never wait on
/// each other in a cycle) the recent failures are counted and, when under both limits, the
/// attempt is recorded as a failure before the password is even hashed. However many attempts
/// arrive at once, in one process or several, at most `per_account` of them are checked. A
/// correct password then forgives the record (`clear_failures` or `forget_attempt`).
/// Returns the recorded attempt's id, or `None` when a limit is reached.
pub async fn claim_attempt(
    pool: &PgPool,
    email: &str,
    client_addr: &str,
    per_account: i64,
    per_client: i64,
    window_minutes: i32,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('sign-in account ' || $1::text, 0)) as \"locked!: ()\"",
        email
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('sign-in address ' || $1::text, 0)) as \"locked!: ()\"",
        client_addr
    )
    .fetch_one(&mut *tx)
    .await?;
    let row = sqlx::query!(
        r#"select
             count(*) filter (where email = $1) as "by_email!",
             count(*) filter (where client_addr = $2) as "by_client!"
           from login_failures
           where failed_at > now() - make_interval(mins => $3)
             and (email = $1 or client_addr = $2)"#,
        email,
        client_addr,
        window_minutes,
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.by_email >= per_account || row.by_client >= per_client {
        tracing::warn!(%email, %client_addr, by_account = row.by_email, by_client = row.by_client, "sign-in throttled");
        return Ok(None);
    }
    let id = sqlx::query_scalar!(
        "insert into login_failures (email, client_addr) values ($1, $2) returning id",
        email,
        client_addr,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// A correct password: the attempt recorded for it was not a failure after all.
pub async fn forget_attempt(pool: &PgPool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from login_failures where id = $1", id)
        .execute(pool)
        .await?;
    Ok(())
}

/// A successful sign-in forgives the account's earlier failures, from every address.
pub async fn clear_failures(pool: &PgPool, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from login_failures where email = $1", email)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn audit(
    executor: impl PgExecutor<'_>,
    actor_id: Option<Uuid>,
    action: &str,
    subject_id: Option<Uuid>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into audit_events (actor_id, action, subject_id, details) values ($1, $2, $3, $4)",
        actor_id,
        action,
        subject_id,
        details,
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// A registration waiting for its address to be confirmed.
pub struct PendingRegistration {
    pub full_name: String,
    pub password_hash: String,
    pub code_hash: Vec<u8>,
    pub attempts: i32,
    pub expires_at: time::OffsetDateTime,
}

/// Whether an account uses this (normalised) address.
pub async fn email_registered(pool: &PgPool, email: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from users where email = $1) as "e!""#,
        email
    )
    .fetch_one(pool)
    .await
}

/// Records (or replaces) the pending registration of `email` and queues the e-mail that
/// carries its code, in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn save_pending(
    pool: &PgPool,
    email: &str,
    full_name: &str,
    password_hash: &str,
    code_hash: &[u8],
    expires_at: time::OffsetDateTime,
    subject: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into pending_registrations (email, full_name, password_hash, code_hash, expires_at)
         values ($1, $2, $3, $4, $5)
         on conflict (email) do update
           set full_name = excluded.full_name, password_hash = excluded.password_hash,
               code_hash = excluded.code_hash, attempts = 0, expires_at = excluded.expires_at,
               created_at = now()",
        email,
        full_name,
        password_hash,
        code_hash,
        expires_at
    )
    .execute(&mut *tx)
    .await?;
    queue_email(&mut tx, email, subject, body).await?;
    tx.commit().await
}

/// Queues an e-mail (the mailer sends it).
pub async fn queue_email(
    conn: &mut sqlx::PgConnection,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into email_outbox (to_address, subject, body) values ($1, $2, $3)",
        to,
        subject,
        body
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The pending registration of `email`, locked for the rest of the transaction.
pub async fn pending(
    conn: &mut sqlx::PgConnection,
    email: &str,
) -> Result<Option<PendingRegistration>, sqlx::Error> {
    sqlx::query_as!(
        PendingRegistration,
        "select full_name, password_hash, code_hash, attempts, expires_at
         from pending_registrations where email = $1 for update",
        email
    )
    .fetch_optional(conn)
    .await
}

/// One wrong code more (the fifth ends the registration).
pub async fn count_wrong_code(
    conn: &mut sqlx::PgConnection,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update pending_registrations set attempts = attempts + 1 where email = $1",
        email
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from pending_registrations where email = $1 and attempts >= 5",
        email
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_pending(conn: &mut sqlx::PgConnection, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from pending_registrations where email = $1", email)
        .execute(conn)
        .await?;
    Ok(())
}
