//! Applications in PostgreSQL: profiles and drafts, documents, the submitted application and
//! its timeline, notifications and the e-mail outbox. Authorisation is the caller's job.

use crate::applications::profile::{Profile, ProfileForm};
use crate::applications::types::*;
use crate::rounds::rules::RuleParams;
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

pub async fn load_profile(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Option<(ProfileForm, OffsetDateTime)>, sqlx::Error> {
    let row = sqlx::query!(
        "select data, updated_at from applicant_profiles where user_id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            serde_json::from_value(r.data).unwrap_or_default(),
            r.updated_at,
        )
    }))
}

pub async fn save_profile(
    pool: &PgPool,
    user_id: Uuid,
    form: &ProfileForm,
) -> Result<OffsetDateTime, sqlx::Error> {
    let data = serde_json::to_value(form).unwrap_or_default();
    sqlx::query_scalar!(
        "insert into applicant_profiles (user_id, data) values ($1, $2)
         on conflict (user_id) do update set data = excluded.data
         returning updated_at",
        user_id,
        data
    )
    .fetch_one(pool)
    .await
}

pub async fn load_choice(
    pool: &PgPool,
    user_id: Uuid,
    round_id: Uuid,
) -> Result<DraftChoice, sqlx::Error> {
    let row = sqlx::query!(
        "select position_id, preferences, priority_codes, updated_at
         from application_drafts where applicant_id = $1 and round_id = $2",
        user_id,
        round_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row
        .map(|r| DraftChoice {
            position_id: r.position_id,
            preferences: r.preferences,
            priority_codes: r.priority_codes,
            updated_at: Some(r.updated_at),
        })
        .unwrap_or_default())
}

pub async fn save_choice(
    pool: &PgPool,
    user_id: Uuid,
    round_id: Uuid,
    choice: &DraftChoice,
) -> Result<OffsetDateTime, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into application_drafts (applicant_id, round_id, position_id, preferences, priority_codes)
         values ($1, $2, $3, $4, $5)
         on conflict (applicant_id, round_id) do update
            set position_id = excluded.position_id, preferences = excluded.preferences,
                priority_codes = excluded.priority_codes
         returning updated_at",
        user_id,
        round_id,
        choice.position_id,
        &choice.preferences,
        &choice.priority_codes
    )
    .fetch_one(pool)
    .await
}

/// The rounds where the applicant has a draft but no application yet.
pub async fn drafts_of(pool: &PgPool, user_id: Uuid) -> Result<Vec<DraftSummary>, sqlx::Error> {
    let rows = sqlx::query!(
        "select d.round_id, r.name, r.closes_at, d.updated_at
         from application_drafts d join rounds r on r.id = d.round_id
         where d.applicant_id = $1
           and not exists (select 1 from applications a
                           where a.round_id = d.round_id and a.applicant_id = d.applicant_id)
         order by r.closes_at",
        user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DraftSummary {
            round_id: r.round_id,
            round_name: r.name,
            closes_at: r.closes_at,
            updated_at: r.updated_at,
        })
        .collect())
}

pub async fn documents(
    pool: &PgPool,
    user_id: Uuid,
    round_id: Uuid,
) -> Result<Vec<DocumentInfo>, sqlx::Error> {
    let rows = sqlx::query!(
        "select id, kind, file_name, content_type, byte_size, sha256, uploaded_at
         from application_documents
         where applicant_id = $1 and round_id = $2 and superseded_at is null
         order by kind, uploaded_at",
        user_id,
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DocumentInfo {
            id: r.id,
            kind: DocumentKind::parse(&r.kind).unwrap_or(DocumentKind::Other),
            file_name: r.file_name,
            content_type: r.content_type,
            byte_size: r.byte_size,
            sha256: r.sha256,
            uploaded_at: r.uploaded_at,
        })
        .collect())
}

/// A checked upload, ready to store.
pub struct NewDocument<'a> {
    pub kind: DocumentKind,
    pub file_name: &'a str,
    pub content_type: &'static str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

/// Holds the applicant's documents of a round until the transaction ends, so that two uploads
/// at once cannot both pass the limits.
pub async fn lock_documents(
    conn: &mut PgConnection,
    user_id: Uuid,
    round_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "select pg_advisory_xact_lock(
             hashtextextended('documents ' || $1::uuid::text || ' ' || $2::uuid::text, 0))",
        user_id,
        round_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The applicant's current documents in a round, and the bytes they hold with those kept.
pub async fn document_usage(
    conn: &mut PgConnection,
    user_id: Uuid,
    round_id: Uuid,
) -> Result<(usize, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where superseded_at is null) as "current!",
                  coalesce(sum(byte_size), 0)::bigint as "bytes!"
           from application_documents where applicant_id = $1 and round_id = $2"#,
        user_id,
        round_id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.current as usize, row.bytes))
}

/// Stores a document; with `replaces`, the applicant's current document of that id leaves the
/// application (see `retire_document`). Returns `None` if `replaces` is not theirs.
pub async fn add_document(
    conn: &mut PgConnection,
    user_id: Uuid,
    round_id: Uuid,
    document: NewDocument<'_>,
    replaces: Option<Uuid>,
    keep_replaced: bool,
) -> Result<Option<Uuid>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into application_documents
            (applicant_id, round_id, kind, file_name, content_type, byte_size, sha256, content)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        user_id,
        round_id,
        document.kind.as_str(),
        document.file_name,
        document.content_type,
        document.content.len() as i32,
        document.sha256,
        document.content
    )
    .fetch_one(&mut *conn)
    .await?;
    if let Some(old) = replaces {
        if !retire_document(conn, user_id, round_id, old, Some(id), keep_replaced).await? {
            return Ok(None);
        }
    }
    Ok(Some(id))
}

/// Takes a current document out of the application: kept, marked superseded (by `by`, for a
/// replacement), when the application was submitted — HR may have seen it; deleted when it
/// never was. False when there is no such document (another applicant's, another round's —
/// whose deadline the caller did not check — or already removed).
pub async fn retire_document(
    conn: &mut PgConnection,
    user_id: Uuid,
    round_id: Uuid,
    document_id: Uuid,
    by: Option<Uuid>,
    keep: bool,
) -> Result<bool, sqlx::Error> {
    let done = if keep {
        sqlx::query!(
            "update application_documents set superseded_at = now(), superseded_by = $4
             where id = $1 and applicant_id = $2 and round_id = $3 and superseded_at is null",
            document_id,
            user_id,
            round_id,
            by
        )
        .execute(conn)
        .await?
    } else {
        sqlx::query!(
            "delete from application_documents
             where id = $1 and applicant_id = $2 and round_id = $3 and superseded_at is null",
            document_id,
            user_id,
            round_id
        )
        .execute(conn)
        .await?
    };
    Ok(done.rows_affected() == 1)
}

pub struct StoredDocument {
    pub applicant_id: Uuid,
    pub round_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

pub async fn document(pool: &PgPool, id: Uuid) -> Result<Option<StoredDocument>, sqlx::Error> {
    sqlx::query_as!(
        StoredDocument,
        "select applicant_id, round_id, file_name, content_type, sha256, content
         from application_documents where id = $1",
        id
    )
    .fetch_optional(pool)
    .await
}

pub struct DocumentCount {
    pub degree: i64,
    pub priority: i64,
}

pub async fn document_counts(
    pool: &PgPool,
    user_id: Uuid,
    round_id: Uuid,
) -> Result<DocumentCount, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where kind = 'degree') as "degree!",
                  count(*) filter (where kind = 'priority') as "priority!"
           from application_documents
           where applicant_id = $1 and round_id = $2 and superseded_at is null"#,
        user_id,
        round_id
    )
    .fetch_one(pool)
    .await?;
    Ok(DocumentCount {
        degree: row.degree,
        priority: row.priority,
    })
}

/// The round facts an application is checked against, read under a share lock so that the
/// round cannot change state while a submission is being recorded.
pub struct RoundForApplying {
    pub name: String,
    pub status: String,
    pub opens_at: OffsetDateTime,
    pub closes_at: OffsetDateTime,
    pub params: RuleParams,
}

pub async fn round_for_applying(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Option<RoundForApplying>, sqlx::Error> {
    let row = sqlx::query!(
        "select r.name, r.status, r.opens_at, r.closes_at, rs.params
         from rounds r join rule_sets rs on rs.id = r.rule_set_id
         where r.id = $1 for share of r",
        round_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| {
        Some(RoundForApplying {
            name: r.name,
            status: r.status,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            params: serde_json::from_value(r.params).ok()?,
        })
    }))
}

/// The units of a position in the round (empty when the position is not in it).
pub async fn position_units(
    conn: &mut PgConnection,
    round_id: Uuid,
    position_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select pu.unit_id from position_units pu join positions p on p.id = pu.position_id
         where p.id = $1 and p.round_id = $2 order by pu.unit_id",
        position_id,
        round_id
    )
    .fetch_all(conn)
    .await
}

/// What is recorded when an application is submitted or updated.
pub struct Submission<'a> {
    pub round_id: Uuid,
    pub applicant_id: Uuid,
    pub position_id: Uuid,
    pub preferences: &'a [Uuid],
    /// The category that counts (the highest declared), or empty.
    pub priority_code: &'a str,
    /// Every category declared.
    pub priority_codes: &'a [String],
    pub profile: &'a Profile,
    pub form: serde_json::Value,
}

pub enum Inserted {
    New(Uuid),
    /// The applicant already has an application in the round.
    Existing,
    /// Another application in the round carries the same national ID number.
    NationalIdTaken,
    ReceiptCodeTaken,
}

/// Inserts the application unless the applicant already has one in the round; the database's
/// unique constraints decide, so concurrent identical submissions yield exactly one row.
pub async fn insert_application(
    conn: &mut PgConnection,
    submission: &Submission<'_>,
    receipt_code: &str,
) -> Result<Inserted, sqlx::Error> {
    let result = sqlx::query_scalar!(
        "insert into applications (round_id, position_id, applicant_id, receipt_code, national_id,
                                   full_name, date_of_birth, preferences, priority_code, form,
                                   priority_codes)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (round_id, applicant_id) do nothing
         returning id",
        submission.round_id,
        submission.position_id,
        submission.applicant_id,
        receipt_code,
        submission.profile.national_id.as_str(),
        submission.profile.full_name,
        submission.profile.date_of_birth,
        submission.preferences,
        submission.priority_code,
        submission.form,
        submission.priority_codes
    )
    .fetch_optional(&mut *conn)
    .await;
    match result {
        Ok(Some(id)) => Ok(Inserted::New(id)),
        Ok(None) => Ok(Inserted::Existing),
        Err(sqlx::Error::Database(e))
            if e.constraint() == Some("applications_round_national_id_key") =>
        {
            Ok(Inserted::NationalIdTaken)
        }
        Err(sqlx::Error::Database(e))
            if e.constraint() == Some("applications_receipt_code_key") =>
        {
            Ok(Inserted::ReceiptCodeTaken)
        }
        Err(e) => Err(e),
    }
}

pub struct ExistingApplication {
    pub id: Uuid,
    pub receipt_code: String,
    pub status: String,
    pub fix_by: Option<OffsetDateTime>,
    pub position_id: Uuid,
    pub preferences: Vec<Uuid>,
    pub priority_code: String,
    pub form: serde_json::Value,
}

/// The applicant's application in a round, locked for update when `lock`.
pub async fn application_of(
    conn: &mut PgConnection,
    applicant_id: Uuid,
    round_id: Uuid,
    lock: bool,
) -> Result<Option<ExistingApplication>, sqlx::Error> {
    let query = if lock {
        sqlx::query_as!(
            ExistingApplication,
            "select id, receipt_code, status, fix_by, position_id, preferences, priority_code, form
             from applications where applicant_id = $1 and round_id = $2 for update",
            applicant_id,
            round_id
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            ExistingApplication,
            "select id, receipt_code, status, fix_by, position_id, preferences, priority_code, form
             from applications where applicant_id = $1 and round_id = $2",
            applicant_id,
            round_id
        )
        .fetch_optional(conn)
        .await
    };
    query
}

/// Replaces the submitted copy; a corrected application goes back to HR as submitted.
pub async fn update_application(
    conn: &mut PgConnection,
    id: Uuid,
    submission: &Submission<'_>,
    back_to_submitted: bool,
) -> Result<(), sqlx::Error> {
    let result = sqlx::query!(
        "update applications
            set position_id = $2, national_id = $3, full_name = $4, date_of_birth = $5,
                preferences = $6, priority_code = $7, form = $8, priority_codes = $10,
                status = case when $9 then 'submitted' else status end,
                status_reason = case when $9 then null else status_reason end,
                fix_by = case when $9 then null else fix_by end
          where id = $1",
        id,
        submission.position_id,
        submission.profile.national_id.as_str(),
        submission.profile.full_name,
        submission.profile.date_of_birth,
        submission.preferences,
        submission.priority_code,
        submission.form,
        back_to_submitted,
        submission.priority_codes
    )
    .execute(conn)
    .await;
    result.map(|_| ())
}

pub async fn add_event(
    conn: &mut PgConnection,
    application_id: Uuid,
    kind: EventKind,
    reason: Option<&str>,
    fix_by: Option<OffsetDateTime>,
    actor: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into application_events (application_id, kind, reason, fix_by, actor_id)
         values ($1, $2, $3, $4, $5)",
        application_id,
        kind.as_str(),
        reason,
        fix_by,
        actor
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Tells the applicant about a step: a notification in the portal and an e-mail in the
/// outbox, in the same transaction as the step itself.
pub async fn notify(
    conn: &mut PgConnection,
    application_id: Uuid,
    kind: EventKind,
    reason: Option<&str>,
    fix_by: Option<OffsetDateTime>,
) -> Result<(), sqlx::Error> {
    let row = sqlx::query!(
        "select a.applicant_id, u.email, u.full_name, r.name as round_name, a.receipt_code
         from applications a join users u on u.id = a.applicant_id
         join rounds r on r.id = a.round_id where a.id = $1",
        application_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into notifications (user_id, application_id, kind, reason) values ($1, $2, $3, $4)",
        row.applicant_id,
        application_id,
        kind.as_str(),
        reason
    )
    .execute(&mut *conn)
    .await?;
    let email = crate::applications::notify::email_text(&crate::applications::notify::EmailFacts {
        full_name: &row.full_name,
        round_name: &row.round_name,
        receipt_code: &row.receipt_code,
        kind,
        reason,
        fix_by,
    });
    sqlx::query!(
        "insert into email_outbox (to_address, subject, body) values ($1, $2, $3)",
        row.email,
        email.subject,
        email.body
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The same step for many applications at once (a publication tells a whole round): the
/// timeline event, the notification and the e-mail of each, written with one statement per
/// table instead of three per application.
pub async fn record_and_notify_all(
    conn: &mut PgConnection,
    kind: EventKind,
    told: &[(Uuid, String)],
    actor: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let (ids, reasons): (Vec<Uuid>, Vec<String>) = told.iter().cloned().unzip();
    sqlx::query!(
        "insert into application_events (application_id, kind, reason, actor_id)
         select t.id, $3, t.reason, $4 from unnest($1::uuid[], $2::text[]) as t(id, reason)",
        &ids,
        &reasons,
        kind.as_str(),
        actor
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into notifications (user_id, application_id, kind, reason)
         select a.applicant_id, t.id, $3, t.reason
         from unnest($1::uuid[], $2::text[]) as t(id, reason) join applications a on a.id = t.id",
        &ids,
        &reasons,
        kind.as_str()
    )
    .execute(&mut *conn)
    .await?;
    let people = sqlx::query!(
        "select a.id, u.email, u.full_name, r.name as round_name, a.receipt_code
         from unnest($1::uuid[]) as t(id) join applications a on a.id = t.id
              join users u on u.id = a.applicant_id
              join rounds r on r.id = a.round_id",
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let reason_of: std::collections::HashMap<Uuid, &str> =
        told.iter().map(|t| (t.0, t.1.as_str())).collect();
    let (mut to, mut subjects, mut bodies) = (Vec::new(), Vec::new(), Vec::new());
    for p in &people {
        let email =
            crate::applications::notify::email_text(&crate::applications::notify::EmailFacts {
                full_name: &p.full_name,
                round_name: &p.round_name,
                receipt_code: &p.receipt_code,
                kind,
                reason: reason_of.get(&p.id).copied(),
                fix_by: None,
            });
        to.push(p.email.clone());
        subjects.push(email.subject);
        bodies.push(email.body);
    }
    sqlx::query!(
        "insert into email_outbox (to_address, subject, body)
         select * from unnest($1::text[], $2::text[], $3::text[])",
        &to,
        &subjects,
        &bodies
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Queues the same notices as [`record_and_notify_all`] in one cheap statement, for
/// [`deliver_queued_notices`] to record and send in batches after the commit.
pub async fn queue_notices(
    conn: &mut PgConnection,
    kind: EventKind,
    told: &[(Uuid, String)],
    actor: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let (ids, reasons): (Vec<Uuid>, Vec<String>) = told.iter().cloned().unzip();
    sqlx::query!(
        "insert into notice_queue (application_id, kind, reason, actor_id)
         select t.id, $3, t.reason, $4 from unnest($1::uuid[], $2::text[]) as t(id, reason)",
        &ids,
        &reasons,
        kind.as_str(),
        actor
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Queued notices recorded per transaction.
pub const NOTICES_BATCH: i64 = 5_000;

/// Records queued notices in batches until none are left; how many it delivered.
pub async fn deliver_all_queued_notices(pool: &PgPool) -> Result<usize, sqlx::Error> {
    let mut delivered = 0;
    loop {
        let n = deliver_queued_notices(pool, NOTICES_BATCH).await?;
        delivered += n;
        if (n as i64) < NOTICES_BATCH {
            return Ok(delivered);
        }
    }
}

/// Records and sends up to `batch` queued notices, oldest first, in one transaction; several
/// processes may do this at once (each takes rows the others have not). Returns how many it
/// delivered.
pub async fn deliver_queued_notices(pool: &PgPool, batch: i64) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let rows = sqlx::query!(
        // The batch's ids are taken once (an InitPlan) and deleted through the primary key,
        // whatever the planner believes of a table just filled with a million rows.
        r#"delete from notice_queue where id = any(array(
               select id from notice_queue order by id limit $1 for update skip locked))
           returning application_id, kind, reason, actor_id"#,
        batch
    )
    .fetch_all(&mut *tx)
    .await?;
    // An application deleted since (with its account) has no one left to tell.
    let ids: Vec<Uuid> = rows.iter().map(|r| r.application_id).collect();
    let existing: std::collections::HashSet<Uuid> = sqlx::query_scalar!(
        r#"select a.id as "id!" from unnest($1::uuid[]) as t(id) join applications a on a.id = t.id"#,
        &ids
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    // The rows by (kind, actor): each group is recorded in a handful of statements.
    type Told = Vec<(Uuid, String)>;
    let mut groups: std::collections::BTreeMap<(&str, Option<Uuid>), Told> = Default::default();
    for row in rows.iter().filter(|r| existing.contains(&r.application_id)) {
        groups
            .entry((row.kind.as_str(), row.actor_id))
            .or_default()
            .push((row.application_id, row.reason.clone()));
    }
    for ((kind, actor), told) in groups {
        match EventKind::ALL.into_iter().find(|k| k.as_str() == kind) {
            Some(kind) => record_and_notify_all(&mut tx, kind, &told, actor).await?,
            None => tracing::error!(kind, "queued notices of an unknown kind dropped"),
        }
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// Applications in full, for their owner or HR: by id, or all of one applicant's.
pub async fn application_views(
    pool: &PgPool,
    id: Option<Uuid>,
    applicant_id: Option<Uuid>,
) -> Result<Vec<ApplicationView>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.id, a.round_id, r.name as round_name, r.authority, r.closes_at,
                  p.code as position_code, p.title as position_title,
                  array(select u.name from unnest(a.preferences) with ordinality as pref(unit_id, n)
                        join units u on u.id = pref.unit_id order by pref.n) as "units!",
                  a.priority_code, a.priority_codes, a.receipt_code, a.lookup_code, a.full_name,
                  a.national_id, a.date_of_birth, a.status, a.status_reason, a.fix_by,
                  a.submitted_at, a.updated_at,
                  a.fee_amount, a.fee_paid_at, a.fee_reference, rs.params,
                  (select count(*) from applications c
                    where c.round_id = a.round_id and c.status <> 'rejected') as "candidates!"
           from applications a
           join rounds r on r.id = a.round_id
           join rule_sets rs on rs.id = r.rule_set_id
           join positions p on p.id = a.position_id
           where ($1::uuid is null or a.id = $1) and ($2::uuid is null or a.applicant_id = $2)
             and ($1::uuid is not null or $2::uuid is not null)
           order by a.submitted_at desc"#,
        id,
        applicant_id
    )
    .fetch_all(pool)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let events = sqlx::query!(
        "select application_id, at, kind, reason, fix_by from application_events
         where application_id = any($1) order by id",
        &ids
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let params: Option<RuleParams> = serde_json::from_value(r.params).ok();
            let fee_due = params.as_ref().map_or(0, |p| {
                p.fee_for(u32::try_from(r.candidates.max(1)).unwrap_or(u32::MAX))
            });
            // Every category declared, with its points; the highest is what counts.
            let priority = params.as_ref().and_then(|p| {
                let names: Vec<String> = p
                    .priority_categories
                    .iter()
                    .filter(|c| c.code == r.priority_code || r.priority_codes.contains(&c.code))
                    .map(|c| {
                        format!(
                            "{} (+{})",
                            c.name,
                            crate::rounds::rules::format_points(c.points_tenths)
                        )
                    })
                    .collect();
                (!names.is_empty()).then(|| names.join("; "))
            });
            ApplicationView {
                timeline: events
                    .iter()
                    .filter(|e| e.application_id == r.id)
                    .filter_map(|e| {
                        Some(TimelineEvent {
                            at: e.at,
                            kind: EventKind::parse(&e.kind)?,
                            reason: e.reason.clone(),
                            fix_by: e.fix_by,
                        })
                    })
                    .collect(),
                id: r.id,
                round_id: r.round_id,
                round_name: r.round_name,
                authority: r.authority,
                closes_at: r.closes_at,
                position_code: r.position_code,
                position_title: r.position_title,
                units: r.units,
                priority,
                receipt_code: r.receipt_code,
                lookup_code: r.lookup_code,
                full_name: r.full_name,
                national_id: r.national_id,
                date_of_birth: r.date_of_birth,
                status: ApplicationStatus::parse(&r.status).unwrap_or(ApplicationStatus::Submitted),
                status_reason: r.status_reason,
                fix_by: r.fix_by,
                submitted_at: r.submitted_at,
                updated_at: r.updated_at,
                fee: FeeView {
                    amount_dong: r
                        .fee_amount
                        .map_or(fee_due, |paid| u64::try_from(paid).unwrap_or(0)),
                    paid_at: r.fee_paid_at,
                    reference: r.fee_reference,
                },
            }
        })
        .collect())
}

pub async fn application_view(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<ApplicationView>, sqlx::Error> {
    Ok(application_views(pool, Some(id), None).await?.pop())
}

/// Who owns an application and which round it is in.
pub async fn application_owner(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<(Uuid, Uuid)>, sqlx::Error> {
    let row = sqlx::query!(
        "select applicant_id, round_id from applications where id = $1",
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.applicant_id, r.round_id)))
}

pub async fn notifications(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Vec<NotificationView>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select n.id, n.created_at, n.kind, n.application_id, n.reason, n.read_at,
                  r.name as "round_name?"
           from notifications n
           left join applications a on a.id = n.application_id
           left join rounds r on r.id = a.round_id
           where n.user_id = $1 order by n.id desc limit 50"#,
        user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(NotificationView {
                id: r.id,
                at: r.created_at,
                kind: EventKind::parse(&r.kind)?,
                application_id: r.application_id,
                round_name: r.round_name,
                reason: r.reason,
                read: r.read_at.is_some(),
            })
        })
        .collect())
}

pub async fn unread_count(pool: &PgPool, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from notifications where user_id = $1 and read_at is null"#,
        user_id
    )
    .fetch_one(pool)
    .await
}

pub async fn mark_notifications_read(pool: &PgPool, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update notifications set read_at = now() where user_id = $1 and read_at is null",
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn outbox(pool: &PgPool) -> Result<Vec<OutboxEmail>, sqlx::Error> {
    sqlx::query_as!(
        OutboxEmail,
        "select id, to_address, subject, body, created_at, status
         from email_outbox order by id desc limit 200"
    )
    .fetch_all(pool)
    .await
}
