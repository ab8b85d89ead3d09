//! The applicant's server functions: the profile, the choices and documents for a round,
//! submission, the receipt and notifications. Each one checks that the caller is a signed-in
//! applicant and touches only the caller's own records; deadlines are checked against the
//! server's clock.

use crate::applications::profile::ProfileForm;
use crate::applications::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use time::OffsetDateTime;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{service::require_role, types::Role},
    applications::{documents, repo, rules::ReceiptCode},
    error::FieldError,
    i18n::Msg,
    rounds::types::vietnam_date,
    server_support::{now, pool, respond},
};

#[cfg(feature = "ssr")]
const APPLICANT: &[Role] = &[Role::Applicant];

/// The applicant's home: applications with timelines, drafts, open rounds, notifications.
#[server(endpoint = "applications/mine")]
pub async fn my_applications() -> Result<ApplicantHome, AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            let pool = pool()?;
            let now = now();
            let open_rounds = crate::rounds::repo::round_summaries(&pool, false, None)
                .await?
                .into_iter()
                .filter(|r| r.accepting_at(now))
                .collect();
            Ok(ApplicantHome {
                applications: repo::application_views(&pool, None, Some(user.id)).await?,
                drafts: repo::drafts_of(&pool, user.id).await?,
                open_rounds,
                notifications: repo::notifications(&pool, user.id).await?,
                now,
            })
        }
        .await,
    )
}

#[server(endpoint = "applications/profile")]
pub async fn get_profile() -> Result<ProfileView, AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            let today = vietnam_date(now());
            let (form, saved_at) = match repo::load_profile(&pool()?, user.id).await? {
                Some((form, at)) => (form, Some(at)),
                // A new profile starts with what the account already knows.
                None => (
                    ProfileForm {
                        full_name: user.full_name.clone(),
                        contact_email: user.email.clone(),
                        ..ProfileForm::default()
                    },
                    None,
                ),
            };
            Ok(ProfileView {
                incomplete: form.incomplete_sections(today),
                form,
                saved_at,
                today,
            })
        }
        .await,
    )
}

/// Saves the profile as it is (a draft may be incomplete); returns when it was saved.
/// Submitted applications keep the copy they were submitted with.
#[server(endpoint = "applications/save_profile")]
pub async fn save_profile(form: ProfileForm) -> Result<OffsetDateTime, AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            let form = form.for_storage().map_err(|e| AppError::Invalid(vec![e]))?;
            Ok(repo::save_profile(&pool()?, user.id, &form).await?)
        }
        .await,
    )
}

/// Until when changes are accepted, given the round and the application's state: the round's
/// deadline while it takes applications, HR's deadline for a requested correction, otherwise
/// never.
#[cfg(feature = "ssr")]
fn change_deadline(
    round: &repo::RoundForApplying,
    existing: Option<&repo::ExistingApplication>,
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let status = existing.and_then(|e| ApplicationStatus::parse(&e.status));
    match status {
        Some(ApplicationStatus::NeedsCorrection) => existing.and_then(|e| e.fix_by),
        None | Some(ApplicationStatus::Submitted) | Some(ApplicationStatus::UnderReview)
            if round.status == "open" && now >= round.opens_at =>
        {
            Some(round.closes_at)
        }
        _ => None,
    }
}

/// The round and the caller's application in it, refusing once changes are no longer taken.
#[cfg(feature = "ssr")]
async fn open_for_changes(
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
    round_id: Uuid,
    lock: bool,
) -> Result<(repo::RoundForApplying, Option<repo::ExistingApplication>), AppError> {
    let round = repo::round_for_applying(conn, round_id)
        .await?
        .filter(|r| r.status != "draft")
        .ok_or(AppError::NotFound)?;
    let existing = repo::application_of(conn, user_id, round_id, lock).await?;
    match change_deadline(&round, existing.as_ref(), now()) {
        Some(deadline) if now() < deadline => Ok((round, existing)),
        _ => Err(AppError::field("deadline", Msg::ErrDeadlinePassed)),
    }
}

#[server(endpoint = "applications/apply_page")]
pub async fn apply_page(round_id: Uuid) -> Result<ApplyPageData, AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            let pool = pool()?;
            let now = now();
            let notice = crate::rounds::repo::round_notice(&pool, round_id, false)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut conn = pool.acquire().await?;
            let round = repo::round_for_applying(&mut conn, round_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let existing = repo::application_of(&mut conn, user.id, round_id, false).await?;
            drop(conn);
            let deadline = change_deadline(&round, existing.as_ref(), now);
            let application = match &existing {
                Some(e) => repo::application_view(&pool, e.id).await?,
                None => None,
            };
            let (profile, profile_saved_at) = match repo::load_profile(&pool, user.id).await? {
                Some((form, at)) => (form, Some(at)),
                None => (ProfileForm::default(), None),
            };
            Ok(ApplyPageData {
                notice,
                profile,
                profile_saved_at,
                choice: repo::load_choice(&pool, user.id, round_id).await?,
                documents: repo::documents(&pool, user.id, round_id).await?,
                application,
                editable_until: deadline.unwrap_or(round.closes_at),
                editable: deadline.is_some_and(|d| now < d),
                now,
            })
        }
        .await,
    )
}

/// Saves the position, ranked units and priority category chosen for a round (a draft:
/// checked fully only on submission).
#[server(endpoint = "applications/save_choice")]
pub async fn save_choice(
    round_id: Uuid,
    #[server(default)] position_id: String,
    #[server(default)] preferences: Vec<String>,
    #[server(default)] priority_codes: Vec<String>,
) -> Result<OffsetDateTime, AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            let pool = pool()?;
            let mut conn = pool.acquire().await?;
            open_for_changes(&mut conn, user.id, round_id, false).await?;
            let position_id = Uuid::parse_str(position_id.trim()).ok();
            let mut ranked: Vec<Uuid> = Vec::new();
            for unit in preferences
                .iter()
                .filter_map(|p| Uuid::parse_str(p.trim()).ok())
            {
                if !ranked.contains(&unit) {
                    ranked.push(unit);
                }
            }
            ranked.truncate(50);
            let choice = DraftChoice {
                position_id,
                preferences: ranked,
                priority_codes: priority_codes
                    .iter()
                    .take(20)
                    .map(|c| c.trim().chars().take(64).collect())
                    .collect(),
                updated_at: None,
            };
            // A position from another round is refused rather than stored.
            if let Some(position) = position_id {
                if repo::position_units(&mut conn, round_id, position)
                    .await?
                    .is_empty()
                {
                    return Err(AppError::field("position_id", Msg::ErrChooseOne));
                }
            }
            Ok(repo::save_choice(&pool, user.id, round_id, &choice).await?)
        }
        .await,
    )
}

/// Uploads (or replaces) a supporting document for a round's application. Fields:
/// `round_id`, `kind`, optional `replaces`, then `file`. The type is judged by content.
#[server(endpoint = "applications/upload_document", input = MultipartFormData)]
pub async fn upload_document(data: MultipartData) -> Result<DocumentInfo, AppError> {
    respond(
        async {
            use sha2::{Digest, Sha256};
            let user = require_role(APPLICANT).await?;
            let upload = read_document_upload(data).await?;
            let round_id = upload.round_id.ok_or(AppError::NotFound)?;
            let kind = upload
                .kind
                .ok_or_else(|| AppError::field("kind", Msg::ErrChooseOne))?;
            let content_type = documents::sniff(&upload.bytes)
                .ok_or_else(|| AppError::field("file", Msg::ErrDocumentType))?;
            let file_name = documents::clean_file_name(&upload.file_name);
            let sha256 = format!("{:x}", Sha256::digest(&upload.bytes));
            let pool = pool()?;
            let mut tx = pool.begin().await?;
            let (_, submitted) = open_for_changes(&mut tx, user.id, round_id, true).await?;
            repo::lock_documents(&mut tx, user.id, round_id).await?;
            let (current, stored) = repo::document_usage(&mut tx, user.id, round_id).await?;
            if upload.replaces.is_none() && current >= documents::MAX_DOCUMENTS {
                return Err(AppError::field("file", Msg::ErrTooManyDocuments));
            }
            if stored + upload.bytes.len() as i64 > documents::MAX_STORED_BYTES {
                return Err(AppError::field("file", Msg::ErrDocumentStorageFull));
            }
            let id = repo::add_document(
                &mut tx,
                user.id,
                round_id,
                repo::NewDocument {
                    kind,
                    file_name: &file_name,
                    content_type,
                    sha256: &sha256,
                    content: &upload.bytes,
                },
                upload.replaces,
                submitted.is_some(),
            )
            .await?
            .ok_or(AppError::NotFound)?;
            tx.commit().await?;
            leptos_axum::redirect(&format!(
                "/applications/rounds/{round_id}?uploaded=1#documents"
            ));
            Ok(DocumentInfo {
                id,
                kind,
                file_name,
                content_type: content_type.to_string(),
                byte_size: upload.bytes.len() as i32,
                sha256,
                uploaded_at: now(),
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
struct DocumentUpload {
    round_id: Option<Uuid>,
    kind: Option<DocumentKind>,
    replaces: Option<Uuid>,
    file_name: String,
    bytes: Vec<u8>,
}

#[cfg(feature = "ssr")]
async fn read_document_upload(data: MultipartData) -> Result<DocumentUpload, AppError> {
    let unreadable = || AppError::field("file", Msg::ErrDocumentMissing);
    let mut multipart = data.into_inner().ok_or_else(unreadable)?;
    let mut upload = DocumentUpload {
        round_id: None,
        kind: None,
        replaces: None,
        file_name: String::new(),
        bytes: Vec::new(),
    };
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > documents::MAX_DOCUMENT_BYTES {
                return Err(AppError::field("file", Msg::ErrDocumentTooLarge));
            }
        }
        let text = || String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "round_id" => upload.round_id = Uuid::parse_str(&text()).ok(),
            "kind" => upload.kind = DocumentKind::parse(&text()),
            "replaces" => upload.replaces = Uuid::parse_str(&text()).ok(),
            "file" => {
                upload.file_name = field.file_name().unwrap_or_default().to_string();
                upload.bytes = bytes;
            }
            _ => {}
        }
    }
    if upload.bytes.is_empty() {
        return Err(unreadable());
    }
    Ok(upload)
}

/// Removes a document from the application (kept, marked superseded, once it was submitted).
#[server(endpoint = "applications/remove_document")]
pub async fn remove_document(round_id: Uuid, document_id: Uuid) -> Result<(), AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            let mut tx = pool()?.begin().await?;
            let (_, submitted) = open_for_changes(&mut tx, user.id, round_id, true).await?;
            repo::lock_documents(&mut tx, user.id, round_id).await?;
            let keep = submitted.is_some();
            if repo::retire_document(&mut tx, user.id, round_id, document_id, None, keep).await? {
                tx.commit().await?;
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }
        .await,
    )
}

/// Checks the draft choice against the round: a position of the round; for a position shared
/// by several units, every unit ranked (an unshared position has its one unit).
#[cfg(feature = "ssr")]
async fn checked_choice(
    conn: &mut sqlx::PgConnection,
    round_id: Uuid,
    choice: &DraftChoice,
    errors: &mut Vec<FieldError>,
) -> Result<Option<(Uuid, Vec<Uuid>)>, AppError> {
    let Some(position_id) = choice.position_id else {
        errors.push(FieldError::new("position_id", Msg::ErrPositionNeeded));
        return Ok(None);
    };
    let units = repo::position_units(conn, round_id, position_id).await?;
    if units.is_empty() {
        errors.push(FieldError::new("position_id", Msg::ErrPositionNeeded));
        return Ok(None);
    }
    if units.len() == 1 {
        return Ok(Some((position_id, units)));
    }
    let mut ranked: Vec<Uuid> = choice
        .preferences
        .iter()
        .copied()
        .filter(|u| units.contains(u))
        .collect();
    ranked.dedup();
    if ranked.len() != units.len() {
        errors.push(FieldError::new("preferences_0", Msg::ErrRankAllUnits));
        return Ok(None);
    }
    Ok(Some((position_id, ranked)))
}

/// Submits the application, or brings a submitted one up to date with the profile and
/// choices. Idempotent: a repeat (double click, retry, second tab) returns the same receipt
/// and records nothing new. Success is returned only after the commit.
#[server(endpoint = "applications/submit")]
pub async fn submit_application(
    round_id: Uuid,
    #[server(default)] declaration: Option<String>,
) -> Result<Submitted, AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            let pool = pool()?;
            let today = vietnam_date(now());
            let profile_form = repo::load_profile(&pool, user.id)
                .await?
                .map(|(form, _)| form)
                .unwrap_or_default();
            let choice = repo::load_choice(&pool, user.id, round_id).await?;
            let mut tx = pool.begin().await?;
            let (round, existing) = open_for_changes(&mut tx, user.id, round_id, true).await?;

            let mut errors = Vec::new();
            let profile = match profile_form.check(today) {
                Ok(profile) => Some(profile),
                Err(problems) => {
                    errors.push(FieldError::new("profile", Msg::ErrProfileIncomplete));
                    errors.extend(problems);
                    None
                }
            };
            let checked = checked_choice(&mut tx, round_id, &choice, &mut errors).await?;
            // A position reserved for ethnic minorities takes only them (Decree 170/2025 Art
            // 3.2.c).
            if let Some((position_id, _)) = &checked {
                let reserved = sqlx::query_scalar!(
                    "select ethnic_minority_only from positions where id = $1",
                    position_id
                )
                .fetch_one(&mut *tx)
                .await?;
                if reserved
                    && !crate::applications::rules::is_ethnic_minority(&profile_form.ethnicity)
                {
                    errors.push(FieldError::new("position_id", Msg::ErrEthnicMinorityOnly));
                }
            }
            // Struck off for fraud: not in the authority's next round (Decree 170/2025 Art 18
            // as amended by Decree 300/2026).
            if let Some(profile) = &profile {
                let national_id = profile.national_id.as_str();
                if crate::results::dossiers::barred_for_fraud(&mut tx, national_id, round_id)
                    .await?
                    .is_some()
                {
                    errors.push(FieldError::new("profile", Msg::ErrBarredForFraud));
                }
            }
            // Every category that applies is declared; the highest counts (Art 6). Under the
            // amended decree the application is Mẫu 01 alone (Art 15) and the certificate
            // belongs to the winner's dossier (Art 18.1.b); earlier rule sets want its scan now.
            let (declared, counting) =
                match round.params.declared_priorities(&choice.priority_codes) {
                    Ok(checked) => checked,
                    Err(msg) => {
                        errors.push(FieldError::new("priority_code", msg));
                        (Vec::new(), None)
                    }
                };
            if counting.is_some() && !round.params.application_is_form_alone {
                let evidence = repo::document_counts(&pool, user.id, round_id).await?;
                if evidence.priority == 0 {
                    errors.push(FieldError::new("documents", Msg::ErrPriorityEvidence));
                }
            }
            let counting = counting.unwrap_or_default();
            if declaration.is_none() {
                errors.push(FieldError::new("declaration", Msg::ErrDeclaration));
            }
            let (Some(profile), Some((position_id, preferences)), true) =
                (profile, checked, errors.is_empty())
            else {
                return Err(AppError::Invalid(errors));
            };
            let form = serde_json::json!({
                "profile": profile_form,
                "position_id": position_id,
                "preferences": preferences,
                "priority_code": counting,
                "priority_codes": declared,
            });
            let submission = repo::Submission {
                round_id,
                applicant_id: user.id,
                position_id,
                preferences: &preferences,
                priority_code: &counting,
                priority_codes: &declared,
                profile: &profile,
                form,
            };

            let outcome = match existing {
                Some(existing) => {
                    // Resubmitting after a correction request always goes back to HR (the
                    // correction may be a document); otherwise only a change is recorded.
                    let correcting = existing.status == ApplicationStatus::NeedsCorrection.as_str();
                    if correcting || existing.form != submission.form {
                        repo::update_application(&mut tx, existing.id, &submission, correcting)
                            .await
                            .map_err(national_id_taken)?;
                        let kind = if correcting {
                            EventKind::Corrected
                        } else {
                            EventKind::Updated
                        };
                        repo::add_event(&mut tx, existing.id, kind, None, None, Some(user.id))
                            .await?;
                        repo::notify(&mut tx, existing.id, kind, None, None).await?;
                    }
                    Submitted {
                        application_id: existing.id,
                        receipt_code: existing.receipt_code,
                        first_time: false,
                    }
                }
                None => insert_new(&mut tx, &submission, user.id).await?,
            };
            tx.commit().await?;
            if outcome.first_time {
                tracing::info!(application_id = %outcome.application_id, "application submitted");
            }
            leptos_axum::redirect(&format!("/applications/{}/receipt", outcome.application_id));
            Ok(outcome)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn national_id_taken(err: sqlx::Error) -> AppError {
    match &err {
        sqlx::Error::Database(e)
            if e.constraint() == Some("applications_round_national_id_key") =>
        {
            AppError::field("national_id", Msg::ErrNationalIdTaken)
        }
        _ => AppError::from(err),
    }
}

/// Inserts a first submission. Each attempt runs in a savepoint, so that the rare clash of
/// receipt codes can be retried with a new code inside the same transaction.
#[cfg(feature = "ssr")]
async fn insert_new(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    submission: &repo::Submission<'_>,
    actor: Uuid,
) -> Result<Submitted, AppError> {
    use rand::RngCore;
    use sqlx::Acquire;
    for _ in 0..5 {
        let mut random = [0u8; 8];
        rand::thread_rng().fill_bytes(&mut random);
        let code = ReceiptCode::from_random(random);
        let mut attempt = tx.begin().await?;
        match repo::insert_application(&mut attempt, submission, code.as_str()).await? {
            repo::Inserted::New(id) => {
                repo::add_event(
                    &mut attempt,
                    id,
                    EventKind::Submitted,
                    None,
                    None,
                    Some(actor),
                )
                .await?;
                repo::notify(&mut attempt, id, EventKind::Submitted, None, None).await?;
                attempt.commit().await?;
                return Ok(Submitted {
                    application_id: id,
                    receipt_code: code.as_str().to_string(),
                    first_time: true,
                });
            }
            clash @ (repo::Inserted::Existing | repo::Inserted::NationalIdTaken) => {
                // A concurrent request (another tab, a retry, a second portal process)
                // committed first: theirs stands. Two inserts of the same applicant can meet
                // on either unique key, so a national-ID clash is only someone else's when
                // this applicant has no application in the round.
                attempt.rollback().await?;
                let existing =
                    repo::application_of(tx, submission.applicant_id, submission.round_id, false)
                        .await?;
                return match (existing, clash) {
                    (Some(existing), _) => Ok(Submitted {
                        application_id: existing.id,
                        receipt_code: existing.receipt_code,
                        first_time: false,
                    }),
                    (None, repo::Inserted::NationalIdTaken) => {
                        Err(AppError::field("national_id", Msg::ErrNationalIdTaken))
                    }
                    (None, _) => Err(AppError::internal("application vanished after conflict")),
                };
            }
            repo::Inserted::ReceiptCodeTaken => attempt.rollback().await?,
        }
    }
    Err(AppError::internal("no free receipt code after 5 attempts"))
}

/// One application with its timeline, for its owner or HR (the receipt page).
#[server(endpoint = "applications/get")]
pub async fn get_application(id: Uuid) -> Result<ApplicationView, AppError> {
    respond(
        async {
            let user = require_role(&[Role::Applicant, Role::HrOfficer]).await?;
            let pool = pool()?;
            let (owner, _) = repo::application_owner(&pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            // Someone else's application is "not found" to an applicant: its existence is
            // not theirs to learn.
            if owner != user.id && !user.has_role(Role::HrOfficer) {
                return Err(AppError::NotFound);
            }
            repo::application_view(&pool, id)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

#[server(endpoint = "applications/mark_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    respond(
        async {
            let user = require_role(APPLICANT).await?;
            Ok(repo::mark_notifications_read(&pool()?, user.id).await?)
        }
        .await,
    )
}
