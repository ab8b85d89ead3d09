//! Exam-day server functions. HR assigns invigilators to rooms (never to a room holding a
//! candidate they declared a relationship with) and records those declarations; an
//! invigilator sees only the rooms assigned to them and records attendance there.

use crate::error::AppError;
use crate::scheduling::types::*;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{service::require_role, types::Role},
    applications::rules::ReceiptCode,
    error::FieldError,
    i18n::Msg,
    rounds::positions::parse_text,
    scheduling::invigilation_repo as repo,
    server_support::{pool, respond},
};

#[cfg(feature = "ssr")]
const HR: &[Role] = &[Role::HrOfficer];
#[cfg(feature = "ssr")]
const STAFF: &[Role] = &[Role::Marker, Role::BoardChair, Role::HrOfficer];

#[server(endpoint = "hr/exam_day")]
pub async fn exam_day(round_id: Uuid, stage: String) -> Result<ExamDayView, AppError> {
    respond(
        async {
            require_role(HR).await?;
            let stage =
                parse_stage(&stage).ok_or_else(|| AppError::field("stage", Msg::ErrChooseOne))?;
            let pool = pool()?;
            Ok(ExamDayView {
                rooms: repo::session_rooms(&pool, round_id, stage, None).await?,
                move_targets: repo::move_targets(&pool, round_id, stage).await?,
                staff: repo::staff(&pool).await?,
                conflicts: repo::conflicts(&pool, round_id).await?,
            })
        }
        .await,
    )
}

#[server(endpoint = "hr/assign_invigilator")]
pub async fn assign_invigilator(
    session_id: Uuid,
    room_id: Uuid,
    staff_id: String,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let field = format!("assign-{room_id}");
            let pool = pool()?;
            let staff_id = Uuid::parse_str(staff_id.trim())
                .ok()
                .ok_or_else(|| AppError::field(&field, Msg::ErrChooseOne))?;
            let staff = repo::staff(&pool).await?;
            if !staff.iter().any(|s| s.id == staff_id) {
                return Err(AppError::field(&field, Msg::ErrStaffOnly));
            }
            repo::session_round(&pool, session_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut tx = pool.begin().await?;
            if repo::conflicted_in_room(&mut tx, session_id, room_id, staff_id).await? {
                return Err(AppError::field(&field, Msg::ErrConflictOfInterest));
            }
            match repo::assign(&mut tx, session_id, room_id, staff_id, hr.id).await {
                Ok(()) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(AppError::field(&field, Msg::ErrAlreadyAssigned))
                }
                Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
                    return Err(AppError::NotFound)
                }
                Err(e) => return Err(e.into()),
            }
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Records that a staff member is related to a candidate (by receipt code).
#[server(endpoint = "hr/declare_conflict")]
pub async fn declare_conflict(
    round_id: Uuid,
    staff_id: String,
    receipt_code: String,
    relationship: String,
) -> Result<(), AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let mut errors = Vec::new();
            let staff_id = Uuid::parse_str(staff_id.trim())
                .map_err(|_| errors.push(FieldError::new("conflict-staff_id", Msg::ErrChooseOne)))
                .ok();
            let code = ReceiptCode::parse(&receipt_code)
                .map_err(|m| errors.push(FieldError::new("conflict-receipt_code", m)))
                .ok();
            let relationship = parse_text(&relationship, 200)
                .map_err(|m| errors.push(FieldError::new("conflict-relationship", m)))
                .ok();
            let (Some(staff_id), Some(code), Some(relationship), true) =
                (staff_id, code, relationship, errors.is_empty())
            else {
                return Err(AppError::Invalid(errors));
            };
            let pool = pool()?;
            if !repo::staff(&pool).await?.iter().any(|s| s.id == staff_id) {
                return Err(AppError::field("conflict-staff_id", Msg::ErrStaffOnly));
            }
            let recorded = repo::declare_conflict(
                &pool,
                round_id,
                staff_id,
                code.as_str(),
                &relationship,
                hr.id,
            )
            .await?;
            if recorded {
                Ok(())
            } else {
                Err(AppError::field(
                    "conflict-receipt_code",
                    Msg::ErrUnknownReceipt,
                ))
            }
        }
        .await,
    )
}

/// The rooms the signed-in staff member invigilates.
#[server(endpoint = "invigilation/mine")]
pub async fn my_rooms() -> Result<Vec<SessionRoom>, AppError> {
    respond(
        async {
            let user = require_role(STAFF).await?;
            let pool = pool()?;
            let mut rooms = Vec::new();
            for (round_id, stage, session_id, room_id) in
                repo::assignments_of(&pool, user.id).await?
            {
                rooms.extend(
                    repo::session_rooms(&pool, round_id, stage, Some((session_id, room_id)))
                        .await?,
                );
            }
            Ok(rooms)
        }
        .await,
    )
}

/// A room's candidates with what has been recorded, for its invigilators (and HR).
#[cfg(feature = "ssr")]
async fn allowed_room(
    session_id: Uuid,
    room_id: Uuid,
) -> Result<(crate::accounts::types::CurrentUser, Uuid, i16), AppError> {
    let user = require_role(STAFF).await?;
    let pool = pool()?;
    let (round_id, stage) = repo::session_round(&pool, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.has_role(Role::HrOfficer)
        && !repo::is_assigned(&pool, session_id, room_id, user.id).await?
    {
        return Err(AppError::Forbidden);
    }
    Ok((user, round_id, stage))
}

#[server(endpoint = "invigilation/room")]
pub async fn room_attendance(
    session_id: Uuid,
    room_id: Uuid,
) -> Result<AttendanceSheetView, AppError> {
    respond(
        async {
            let (_, round_id, stage) = allowed_room(session_id, room_id).await?;
            let pool = pool()?;
            let room = repo::session_rooms(&pool, round_id, stage, Some((session_id, room_id)))
                .await?
                .pop()
                .ok_or(AppError::NotFound)?;
            Ok(AttendanceSheetView {
                room,
                stage,
                rows: repo::attendance_rows(&pool, session_id, room_id).await?,
            })
        }
        .await,
    )
}

#[server(endpoint = "invigilation/mark")]
pub async fn mark_attendance(
    session_id: Uuid,
    room_id: Uuid,
    application_id: Uuid,
    status: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    respond(
        async {
            let (user, ..) = allowed_room(session_id, room_id).await?;
            let field = format!("mark-{application_id}");
            let status = AttendanceStatus::parse(status.trim())
                .ok_or_else(|| AppError::field(&field, Msg::ErrChooseOne))?;
            let note = note.trim();
            if note.chars().count() > 500 {
                return Err(AppError::field(&field, Msg::ErrTooLong));
            }
            if status.needs_note() && note.is_empty() {
                return Err(AppError::field(&field, Msg::ErrNoteRequired));
            }
            let note = (!note.is_empty()).then_some(note);
            let mut tx = pool()?.begin().await?;
            if !repo::mark(
                &mut tx,
                session_id,
                room_id,
                application_id,
                status,
                note,
                user.id,
            )
            .await?
            {
                return Err(AppError::field(&field, Msg::ErrNotSeatedHere));
            }
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Records a penalty for breaking the exam rules (Circular 22/2025) against a candidate
/// seated in this room, with a short report; the council chair decides it when results are
/// compiled. Stage 1 is a computer test whose deductions are the exam server's (not yet).
#[server(endpoint = "invigilation/penalty")]
pub async fn record_penalty(
    session_id: Uuid,
    room_id: Uuid,
    application_id: Uuid,
    kind: String,
    report: String,
) -> Result<(), AppError> {
    respond(
        async {
            let (user, _, stage) = allowed_room(session_id, room_id).await?;
            let field = format!("penalty-{application_id}");
            let kind = crate::scheduling::penalties::PenaltyKind::parse(kind.trim())
                .ok_or_else(|| AppError::field(&field, Msg::ErrChooseOne))?;
            let report = report.trim();
            if report.is_empty() || report.chars().count() > 1000 {
                return Err(AppError::field(&field, Msg::ErrPenaltyReport));
            }
            if stage != 2 {
                return Err(AppError::field(&field, Msg::ErrPenaltyStage1));
            }
            let mut tx = pool()?.begin().await?;
            let recorded = crate::scheduling::penalties_repo::record(
                &mut tx,
                session_id,
                room_id,
                application_id,
                kind,
                report,
                user.id,
                crate::server_support::now(),
            )
            .await?;
            if !recorded {
                return Err(AppError::field(&field, Msg::ErrNotSeatedHere));
            }
            tx.commit().await?;
            tracing::info!(%application_id, kind = kind.as_str(), by = %user.id, "penalty recorded");
            Ok(())
        }
        .await,
    )
}

/// Moves one candidate (by candidate number) to a free seat of another room or session of
/// the same stage — for a computer incident's re-sit, say. Audited with where they were.
#[server(endpoint = "hr/move_candidate")]
pub async fn move_candidate(
    round_id: Uuid,
    candidate_number: String,
    target: String,
    reason: String,
) -> Result<i32, AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let mut errors = Vec::new();
            let digits: String = candidate_number
                .trim()
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let number = digits.parse::<i32>().ok().filter(|n| *n > 0);
            if number.is_none() {
                errors.push(FieldError::new("move-candidate_number", Msg::ErrCandidateNumber));
            }
            let target = target
                .split_once(':')
                .and_then(|(s, r)| Some((Uuid::parse_str(s).ok()?, Uuid::parse_str(r).ok()?)));
            if target.is_none() {
                errors.push(FieldError::new("move-target", Msg::ErrChooseOne));
            }
            let reason = parse_text(&reason, 300)
                .map_err(|m| errors.push(FieldError::new("move-reason", m)))
                .ok();
            let (Some(number), Some((session_id, room_id)), Some(reason), true) =
                (number, target, reason, errors.is_empty())
            else {
                return Err(AppError::Invalid(errors));
            };
            let pool = pool()?;
            let application_id = repo::application_by_number(&pool, round_id, number)
                .await?
                .ok_or_else(|| AppError::field("move-candidate_number", Msg::ErrCandidateNumber))?;
            let mut tx = pool.begin().await?;
            crate::rounds::repo::lock_round(&mut tx, round_id).await?;
            let moved =
                repo::move_seat(&mut tx, round_id, application_id, session_id, room_id).await?;
            let stage = repo::session_round(&pool, session_id)
                .await?
                .map_or(1, |(_, stage)| stage);
            if repo::watched_conflicts(&mut tx, round_id, stage)
                .await?
                .iter()
                .any(|c| c.application_id == application_id && c.session_id == session_id && c.room_id == room_id)
            {
                return Err(AppError::field("move-target", Msg::ErrConflictOfInterest));
            }
            let (from, seat) = match moved {
                repo::Move::Moved { from, seat } => (from, seat),
                repo::Move::RoomNotUsable => {
                    return Err(AppError::field("move-target", Msg::ErrRoomNotUsable))
                }
                repo::Move::RoomFull => return Err(AppError::field("move-target", Msg::ErrRoomFull)),
            };
            crate::accounts::repo::audit(
                &mut *tx,
                Some(hr.id),
                "schedule.moved",
                Some(application_id),
                serde_json::json!({
                    "from": from.map(|(s, r, n)| serde_json::json!({"session": s, "room": r, "seat": n})),
                    "to": {"session": session_id, "room": room_id, "seat": seat},
                    "reason": reason,
                }),
            )
            .await?;
            tx.commit().await?;
            Ok(seat)
        }
        .await,
    )
}
