//! Scheduling server functions. HR sets up venues, rooms and sessions, previews and applies
//! the seat allocation and publishes a stage's schedule; an applicant reads their own
//! admission ticket and confirms attendance (or withdraws) before the deadline.

use crate::error::AppError;
use crate::scheduling::types::*;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{service::require_role, types::Role},
    error::FieldError,
    i18n::Msg,
    rounds::{positions::parse_text, status::RoundStatus, types::parse_datetime_vn},
    scheduling::{allocation, repo},
    server_support::{now, pool, respond},
};

#[cfg(feature = "ssr")]
const HR: &[Role] = &[Role::HrOfficer];

#[cfg(feature = "ssr")]
fn stage_of(stage: &str) -> Result<i16, AppError> {
    parse_stage(stage).ok_or_else(|| AppError::field("stage", Msg::ErrChooseOne))
}

/// The round must exist and be past its draft; scheduling a finished round changes nothing.
#[cfg(feature = "ssr")]
async fn schedulable(pool: &sqlx::PgPool, round_id: Uuid) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let facts = crate::rounds::repo::lock_round(&mut conn, round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match facts.status {
        RoundStatus::Draft | RoundStatus::Finalised => {
            Err(AppError::field("round", Msg::ErrNotSchedulable))
        }
        _ => Ok(()),
    }
}

#[server(endpoint = "hr/schedule")]
pub async fn schedule_view(round_id: Uuid, stage: String) -> Result<StageSchedule, AppError> {
    respond(
        async {
            require_role(HR).await?;
            let stage = stage_of(&stage)?;
            let pool = pool()?;
            let round = crate::rounds::repo::round_summaries(&pool, true, Some(round_id))
                .await?
                .pop()
                .ok_or(AppError::NotFound)?;
            let mut conn = pool.acquire().await?;
            let candidates = repo::stage_candidates(&mut conn, round_id, stage).await?;
            let seats = repo::seats(&mut conn, round_id, stage).await?;
            drop(conn);
            let present: std::collections::HashSet<Uuid> =
                candidates.iter().map(|c| c.application_id).collect();
            let seated = seats
                .iter()
                .filter(|s| present.contains(&s.application_id))
                .count();
            Ok(StageSchedule {
                stage,
                candidate_prefix: repo::candidate_prefix(&pool, round_id).await?,
                venues: repo::venues(&pool, round_id).await?,
                sessions: repo::sessions(&pool, round_id, stage).await?,
                positions: crate::applications::screening::positions(&pool, round_id).await?,
                candidates: candidates.len() as i64,
                seated: seated as i64,
                publication: repo::publication(&pool, round_id, stage).await?,
                round,
            })
        }
        .await,
    )
}

#[server(endpoint = "hr/add_venue")]
pub async fn add_venue(
    round_id: Uuid,
    name: String,
    address: String,
    #[server(default)] map_note: String,
) -> Result<(), AppError> {
    respond(
        async {
            require_role(HR).await?;
            let mut errors = Vec::new();
            let name = parse_text(&name, 200)
                .map_err(|m| errors.push(FieldError::new("venue-name", m)))
                .ok();
            let address = parse_text(&address, 300)
                .map_err(|m| errors.push(FieldError::new("venue-address", m)))
                .ok();
            if map_note.chars().count() > 1000 {
                errors.push(FieldError::new("venue-map_note", Msg::ErrTooLong));
            }
            let (Some(name), Some(address), true) = (name, address, errors.is_empty()) else {
                return Err(AppError::Invalid(errors));
            };
            let pool = pool()?;
            schedulable(&pool, round_id).await?;
            match repo::add_venue(&pool, round_id, &name, &address, map_note.trim()).await {
                Ok(_) => Ok(()),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    Err(AppError::field("venue-name", Msg::ErrNameTaken))
                }
                Err(e) => Err(e.into()),
            }
        }
        .await,
    )
}

#[server(endpoint = "hr/add_room")]
pub async fn add_room(
    round_id: Uuid,
    venue_id: String,
    name: String,
    capacity: String,
    #[server(default)] computer: Option<String>,
) -> Result<(), AppError> {
    respond(
        async {
            require_role(HR).await?;
            let mut errors = Vec::new();
            let venue_id = Uuid::parse_str(venue_id.trim())
                .map_err(|_| errors.push(FieldError::new("room-venue_id", Msg::ErrChooseOne)))
                .ok();
            let name = parse_text(&name, 100)
                .map_err(|m| errors.push(FieldError::new("room-name", m)))
                .ok();
            let capacity = match capacity.trim().parse::<i32>() {
                Ok(n) if (1..=1000).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("room-capacity", Msg::ErrCapacity));
                    None
                }
            };
            let (Some(venue_id), Some(name), Some(capacity), true) =
                (venue_id, name, capacity, errors.is_empty())
            else {
                return Err(AppError::Invalid(errors));
            };
            let pool = pool()?;
            schedulable(&pool, round_id).await?;
            match repo::add_room(
                &pool,
                round_id,
                venue_id,
                &name,
                capacity,
                computer.is_some(),
            )
            .await
            {
                Ok(Some(_)) => Ok(()),
                Ok(None) => Err(AppError::field("room-venue_id", Msg::ErrChooseOne)),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    Err(AppError::field("room-name", Msg::ErrNameTaken))
                }
                Err(e) => Err(e.into()),
            }
        }
        .await,
    )
}

#[server(endpoint = "hr/add_session")]
#[allow(clippy::too_many_arguments)]
pub async fn add_session(
    round_id: Uuid,
    stage: String,
    name: String,
    venue_id: String,
    starts_at: String,
    duration_minutes: String,
    #[server(default)] needs_computer: Option<String>,
    #[server(default)] positions: Vec<String>,
) -> Result<(), AppError> {
    respond(
        async {
            require_role(HR).await?;
            let stage = stage_of(&stage)?;
            let mut errors = Vec::new();
            let name = parse_text(&name, 200)
                .map_err(|m| errors.push(FieldError::new("session-name", m)))
                .ok();
            let venue_id = Uuid::parse_str(venue_id.trim())
                .map_err(|_| errors.push(FieldError::new("session-venue_id", Msg::ErrChooseOne)))
                .ok();
            let starts_at = parse_datetime_vn(&starts_at)
                .map_err(|m| errors.push(FieldError::new("session-starts_at", m)))
                .ok();
            let duration = match duration_minutes.trim().parse::<i32>() {
                Ok(n) if (5..=600).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "session-duration_minutes",
                        Msg::ErrDuration,
                    ));
                    None
                }
            };
            let positions: Vec<Uuid> = positions
                .iter()
                .filter_map(|p| Uuid::parse_str(p.trim()).ok())
                .collect();
            if positions.is_empty() {
                errors.push(FieldError::new(
                    "session-positions",
                    Msg::ErrSessionPositions,
                ));
            }
            let (Some(name), Some(venue_id), Some(starts_at), Some(duration_minutes), true) =
                (name, venue_id, starts_at, duration, errors.is_empty())
            else {
                return Err(AppError::Invalid(errors));
            };
            let pool = pool()?;
            schedulable(&pool, round_id).await?;
            let mut tx = pool.begin().await?;
            let session = repo::NewSession {
                stage,
                name: &name,
                venue_id,
                starts_at,
                duration_minutes,
                needs_computer: needs_computer.is_some(),
                positions: &positions,
            };
            match repo::add_session(&mut tx, round_id, &session).await {
                Ok(_) => {}
                Err(sqlx::Error::RowNotFound) => {
                    return Err(AppError::field("session-venue_id", Msg::ErrChooseOne))
                }
                Err(sqlx::Error::Database(e))
                    if e.constraint() == Some("exam_sessions_round_id_stage_name_key") =>
                {
                    return Err(AppError::field("session-name", Msg::ErrNameTaken))
                }
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(AppError::field(
                        "session-positions",
                        Msg::ErrPositionScheduled,
                    ))
                }
                Err(e) => return Err(e.into()),
            }
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Seats the stage's candidates. Without `apply` it only shows what would happen; with it,
/// the seats are saved (moving as few people as before allows) and new candidates get their
/// numbers. Over-capacity and unscheduled positions are refused with the numbers.
#[server(endpoint = "hr/allocate")]
pub async fn allocate_seats(
    round_id: Uuid,
    stage: String,
    #[server(default)] apply: Option<String>,
) -> Result<AllocationReport, AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let stage = stage_of(&stage)?;
            let pool = pool()?;
            schedulable(&pool, round_id).await?;
            let mut tx = pool.begin().await?;
            // One allocation at a time per round: the round's row is the lock.
            crate::rounds::repo::lock_round(&mut tx, round_id).await?;
            let candidates = repo::stage_candidates(&mut tx, round_id, stage).await?;
            let sessions = repo::allocation_sessions(&mut tx, round_id, stage).await?;
            let previous = repo::seats(&mut tx, round_id, stage).await?;
            let allocated = match allocation::allocate(&candidates, &sessions, &previous) {
                Ok(allocated) => allocated,
                Err(problems) => {
                    return Ok(AllocationReport {
                        applied: false,
                        kept: 0,
                        moved: 0,
                        added: 0,
                        removed: 0,
                        rooms: Vec::new(),
                        problems,
                        conflicts: Vec::new(),
                    })
                }
            };
            let seated: std::collections::HashSet<Uuid> =
                allocated.seats.iter().map(|s| s.application_id).collect();
            let removed = previous
                .iter()
                .filter(|p| !seated.contains(&p.application_id))
                .count() as u32;
            let rooms = room_fill(&sessions, &allocated.seats);
            let watched =
                crate::scheduling::invigilation_repo::watched_conflicts(&mut tx, round_id, stage)
                    .await?;
            let conflicts: Vec<String> = allocated
                .seats
                .iter()
                .flat_map(|s| {
                    watched.iter().filter(move |c| {
                        c.application_id == s.application_id
                            && c.session_id == s.session_id
                            && c.room_id == s.room_id
                    })
                })
                .map(|c| format!("{} – {}", c.candidate, c.staff))
                .collect();
            let applied = apply.is_some() && conflicts.is_empty();
            if applied {
                repo::replace_seats(&mut tx, round_id, stage, &allocated.seats).await?;
                let order: Vec<Uuid> = allocated.seats.iter().map(|s| s.application_id).collect();
                let existing = repo::candidate_numbers(&mut tx, round_id).await?;
                let numbers = allocation::candidate_numbers(&order, &existing);
                repo::add_candidate_numbers(&mut tx, round_id, &numbers).await?;
                crate::accounts::repo::audit(
                    &mut *tx,
                    Some(hr.id),
                    "schedule.allocated",
                    Some(round_id),
                    serde_json::json!({
                        "stage": stage,
                        "kept": allocated.kept,
                        "moved": allocated.moved,
                        "added": allocated.added,
                        "removed": removed,
                    }),
                )
                .await?;
                tx.commit().await?;
            }
            Ok(AllocationReport {
                applied,
                kept: allocated.kept,
                moved: allocated.moved,
                added: allocated.added,
                removed,
                rooms,
                problems: Vec::new(),
                conflicts,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn room_fill(sessions: &[allocation::Session], seats: &[allocation::Seat]) -> Vec<RoomFill> {
    let mut fills = Vec::new();
    for session in sessions {
        for room in &session.rooms {
            let seated = seats
                .iter()
                .filter(|s| s.session_id == session.id && s.room_id == room.id)
                .count() as u32;
            if seated > 0 {
                fills.push(RoomFill {
                    session_id: session.id,
                    session_name: session.name.clone(),
                    room_id: room.id,
                    room_name: room.name.clone(),
                    seated,
                    capacity: room.capacity,
                });
            }
        }
    }
    fills.sort_by(|a, b| (&a.session_name, &a.room_name).cmp(&(&b.session_name, &b.room_name)));
    fills
}

/// Tells the stage's seated candidates where and when to go; they may confirm or withdraw
/// until `confirmation_deadline`.
#[server(endpoint = "hr/publish_schedule")]
pub async fn publish_schedule(
    round_id: Uuid,
    stage: String,
    confirmation_deadline: String,
) -> Result<usize, AppError> {
    respond(
        async {
            let hr = require_role(HR).await?;
            let stage = stage_of(&stage)?;
            let deadline = match parse_datetime_vn(&confirmation_deadline) {
                Ok(at) if at > now() => at,
                Ok(_) => return Err(AppError::field("publish-deadline", Msg::ErrFixByPast)),
                Err(m) => return Err(AppError::field("publish-deadline", m)),
            };
            let pool = pool()?;
            schedulable(&pool, round_id).await?;
            let mut tx = pool.begin().await?;
            crate::rounds::repo::lock_round(&mut tx, round_id).await?;
            if repo::seats(&mut tx, round_id, stage).await?.is_empty() {
                return Err(AppError::field(
                    "publish-deadline",
                    Msg::ErrNothingToPublish,
                ));
            }
            let told = repo::publish(&mut tx, round_id, stage, deadline, hr.id).await?;
            tx.commit().await?;
            Ok(told)
        }
        .await,
    )
}

/// The admission ticket of one stage, for the applicant it belongs to (or HR).
#[server(endpoint = "applications/ticket")]
pub async fn get_ticket(application_id: Uuid, stage: String) -> Result<Ticket, AppError> {
    respond(
        async {
            let user = require_role(&[Role::Applicant, Role::HrOfficer]).await?;
            let stage = stage_of(&stage)?;
            let row = repo::ticket(&pool()?, application_id, stage)
                .await?
                .ok_or(AppError::NotFound)?;
            if row.applicant_id != user.id && !user.has_role(Role::HrOfficer) {
                return Err(AppError::NotFound);
            }
            let mut ticket = row.ticket;
            ticket.qr_svg = qr_svg(&ticket.candidate_number)?;
            ticket.now = now();
            Ok(ticket)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(AppError::internal)?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build())
}

/// The applicant confirms they will sit the stage, or withdraws, before the deadline.
#[server(endpoint = "applications/attendance")]
pub async fn answer_attendance(
    application_id: Uuid,
    stage: String,
    answer: String,
) -> Result<(), AppError> {
    respond(
        async {
            let user = require_role(&[Role::Applicant]).await?;
            let stage = stage_of(&stage)?;
            let withdraw = match answer.as_str() {
                "confirm" => false,
                "withdraw" => true,
                _ => return Err(AppError::field("answer", Msg::ErrChooseOne)),
            };
            let pool = pool()?;
            let row = repo::ticket(&pool, application_id, stage)
                .await?
                .filter(|row| row.applicant_id == user.id)
                .ok_or(AppError::NotFound)?;
            if now() >= row.ticket.confirmation_deadline {
                return Err(AppError::field("answer", Msg::ErrDeadlinePassed));
            }
            let mut tx = pool.begin().await?;
            repo::answer_attendance(&mut tx, application_id, stage, withdraw, user.id).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// A room's roster for one session, for HR.
#[server(endpoint = "hr/roster")]
pub async fn get_roster(session_id: Uuid, room_id: Uuid) -> Result<Roster, AppError> {
    respond(
        async {
            require_role(HR).await?;
            repo::roster(&pool()?, session_id, room_id)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}
