//! The mailer: sends what the application put in the `email_outbox` table. Writing an e-mail
//! is part of the same transaction as the step it reports, so none is lost when SMTP is down;
//! the mailer retries. Several server processes may run it: rows are claimed with
//! `for update skip locked`. Without SMTP settings, each e-mail is printed to the log once
//! and stays readable in the outbox.

use crate::config::Config;
use anyhow::{Context, Result};
use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sqlx::PgPool;
use std::time::Duration;

/// Attempts before an e-mail is marked failed (it stays in the outbox for staff to see).
const MAX_ATTEMPTS: i32 = 5;
const BATCH: i64 = 20;
const POLL: Duration = Duration::from_secs(3);

pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .context("PORTAL_MAIL_FROM is not an e-mail address")?;
        let transport = match &config.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("PORTAL_SMTP_URL is not a valid SMTP URL")?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => None,
        };
        if transport.is_none() {
            tracing::info!("no PORTAL_SMTP_URL: e-mails are kept in the outbox and printed here");
        }
        Ok(Mailer { transport, from })
    }

    async fn deliver(&self, to: &str, subject: &str, body: &str) -> Result<&'static str> {
        let Some(transport) = &self.transport else {
            tracing::info!(to, subject, "e-mail (not sent: no SMTP configured)\n{body}");
            return Ok("logged");
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("bad recipient address")?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?;
        transport.send(message).await?;
        Ok("sent")
    }
}

/// Records queued notices (a publication's, one per candidate) — each in the application's
/// timeline and the applicant's notifications, with its e-mail in the outbox — until none are
/// left; how many.
pub async fn deliver_notices(pool: &PgPool) -> Result<usize> {
    Ok(app::applications::repo::deliver_all_queued_notices(pool).await?)
}

/// Delivers queued notices and sends pending e-mails every few seconds, until the task is
/// stopped.
pub async fn run(pool: PgPool, mailer: Mailer) {
    loop {
        if let Err(err) = deliver_notices(&pool).await {
            tracing::warn!(error = %err, "could not deliver queued notices");
        }
        match send_batch(&pool, &mailer).await {
            Ok(n) if n as i64 == BATCH => continue,
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "mailer: could not read the outbox"),
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Claims and sends one batch; returns how many e-mails it handled.
pub async fn send_batch(pool: &PgPool, mailer: &Mailer) -> Result<usize> {
    let mut tx = pool.begin().await?;
    let batch = sqlx::query!(
        "select id, to_address, subject, body, attempts from email_outbox
         where status = 'pending' order by id limit $1 for update skip locked",
        BATCH
    )
    .fetch_all(&mut *tx)
    .await?;
    for email in &batch {
        match mailer
            .deliver(&email.to_address, &email.subject, &email.body)
            .await
        {
            Ok(status) => {
                sqlx::query!(
                    "update email_outbox set status = $2, attempts = attempts + 1,
                            sent_at = case when $2 = 'sent' then now() end
                     where id = $1",
                    email.id,
                    status
                )
                .execute(&mut *tx)
                .await?;
            }
            Err(err) => {
                tracing::warn!(email_id = email.id, error = %err, "e-mail not sent; will retry");
                let status = if email.attempts + 1 >= MAX_ATTEMPTS {
                    "failed"
                } else {
                    "pending"
                };
                sqlx::query!(
                    "update email_outbox set status = $2, attempts = attempts + 1, last_error = $3
                     where id = $1",
                    email.id,
                    status,
                    err.to_string()
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(batch.len())
}
