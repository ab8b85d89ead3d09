//! Scheduling in PostgreSQL: venues, rooms, sessions, seats, candidate numbers, publication
//! and confirmations. Authorisation is the caller's job.

use crate::applications::types::{EventKind, PositionOption};
use crate::scheduling::allocation::{Candidate, Room, Seat, Session};
use crate::scheduling::types::*;
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

pub async fn venues(pool: &PgPool, round_id: Uuid) -> Result<Vec<VenueView>, sqlx::Error> {
    let venues = sqlx::query!(
        "select id, name, address, map_note from venues where round_id = $1 order by name",
        round_id
    )
    .fetch_all(pool)
    .await?;
    let rooms = sqlx::query!(
        "select r.id, r.venue_id, r.name, r.capacity, r.computer
         from rooms r join venues v on v.id = r.venue_id
         where v.round_id = $1 order by r.name",
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(venues
        .into_iter()
        .map(|v| VenueView {
            rooms: rooms
                .iter()
                .filter(|r| r.venue_id == v.id)
                .map(|r| RoomView {
                    id: r.id,
                    name: r.name.clone(),
                    capacity: r.capacity,
                    computer: r.computer,
                })
                .collect(),
            id: v.id,
            name: v.name,
            address: v.address,
            map_note: v.map_note,
        })
        .collect())
}

pub async fn add_venue(
    pool: &PgPool,
    round_id: Uuid,
    name: &str,
    address: &str,
    map_note: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into venues (round_id, name, address, map_note) values ($1, $2, $3, $4)
         returning id",
        round_id,
        name,
        address,
        map_note
    )
    .fetch_one(pool)
    .await
}

/// Adds a room to a venue of the round; `None` when the venue is not the round's.
pub async fn add_room(
    pool: &PgPool,
    round_id: Uuid,
    venue_id: Uuid,
    name: &str,
    capacity: i32,
    computer: bool,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into rooms (venue_id, name, capacity, computer)
         select id, $3, $4, $5 from venues where id = $2 and round_id = $1
         returning id",
        round_id,
        venue_id,
        name,
        capacity,
        computer
    )
    .fetch_optional(pool)
    .await
}

pub struct NewSession<'a> {
    pub stage: i16,
    pub name: &'a str,
    pub venue_id: Uuid,
    pub starts_at: OffsetDateTime,
    pub duration_minutes: i32,
    pub needs_computer: bool,
    pub positions: &'a [Uuid],
}

pub async fn add_session(
    conn: &mut PgConnection,
    round_id: Uuid,
    session: &NewSession<'_>,
) -> Result<Uuid, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into exam_sessions
            (round_id, stage, name, venue_id, starts_at, duration_minutes, needs_computer)
         select $1, $2, $3, v.id, $5, $6, $7 from venues v where v.id = $4 and v.round_id = $1
         returning id",
        round_id,
        session.stage,
        session.name,
        session.venue_id,
        session.starts_at,
        session.duration_minutes,
        session.needs_computer
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into session_positions (session_id, position_id, stage)
         select $1, p.id, $2 from positions p where p.id = any($3) and p.round_id = $4",
        id,
        session.stage,
        session.positions,
        round_id
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn sessions(
    pool: &PgPool,
    round_id: Uuid,
    stage: i16,
) -> Result<Vec<SessionView>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select e.id, e.name, v.name as venue_name, e.starts_at, e.duration_minutes,
                  e.needs_computer,
                  (select coalesce(sum(r.capacity), 0) from rooms r
                    where r.venue_id = e.venue_id and (r.computer or not e.needs_computer))
                    as "capacity!",
                  (select count(*) from seats s where s.session_id = e.id) as "seated!",
                  (select count(*) from applications a
                    join session_positions sp on sp.position_id = a.position_id
                   where sp.session_id = e.id and a.status = 'eligible'
                     and a.fee_paid_at is not null) as "candidates!"
           from exam_sessions e join venues v on v.id = e.venue_id
           where e.round_id = $1 and e.stage = $2 order by e.starts_at, e.name"#,
        round_id,
        stage
    )
    .fetch_all(pool)
    .await?;
    let positions = sqlx::query!(
        "select sp.session_id, p.id, p.code, p.title from session_positions sp
         join positions p on p.id = sp.position_id
         join exam_sessions e on e.id = sp.session_id
         where e.round_id = $1 and e.stage = $2 order by p.code",
        round_id,
        stage
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionView {
            positions: positions
                .iter()
                .filter(|p| p.session_id == r.id)
                .map(|p| PositionOption {
                    id: p.id,
                    code: p.code.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            id: r.id,
            name: r.name,
            venue_name: r.venue_name,
            starts_at: r.starts_at,
            duration_minutes: r.duration_minutes,
            needs_computer: r.needs_computer,
            candidates: r.candidates,
            capacity: r.capacity,
            seated: r.seated,
        })
        .collect())
}

/// Candidates of a stage: eligible, fee paid, and not withdrawn from it; for stage 2, once
/// the chair has locked the stage-1 results, only those who passed stage 1.
pub async fn stage_candidates(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage: i16,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let rows = sqlx::query!(
        "select a.id, a.position_id, p.code, a.full_name
         from applications a join positions p on p.id = a.position_id
         where a.round_id = $1 and a.status = 'eligible' and a.fee_paid_at is not null
           and not exists (select 1 from attendance_confirmations c
                           where c.application_id = a.id and c.stage = $2
                             and c.answer = 'withdrawn')
           -- Stage 1 only for positions that have a stage-1 test (Decree 170/2025 Art 9);
           -- stage 2 for those who passed it once it is locked, and for every candidate of
           -- a position without one.
           and (case when $2 = 1 then p.stage1 = 'computer_test'
                else p.stage1 <> 'computer_test'
                     or not exists (select 1 from marking_stages m
                                    where m.round_id = $1 and m.stage = 1
                                      and m.locked_at is not null)
                     or exists (select 1 from stage1_results r
                                where r.application_id = a.id and r.passed) end)",
        round_id,
        stage
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Candidate {
            application_id: r.id,
            position_id: r.position_id,
            position_code: r.code,
            full_name: r.full_name,
        })
        .collect())
}

/// The sessions of a stage as the allocation needs them: positions and the venue's rooms.
pub async fn allocation_sessions(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage: i16,
) -> Result<Vec<Session>, sqlx::Error> {
    let sessions = sqlx::query!(
        r#"select e.id, e.name, e.needs_computer, e.venue_id,
                  array(select sp.position_id from session_positions sp
                        where sp.session_id = e.id) as "positions!"
           from exam_sessions e where e.round_id = $1 and e.stage = $2"#,
        round_id,
        stage
    )
    .fetch_all(&mut *conn)
    .await?;
    let rooms = sqlx::query!(
        "select r.id, r.venue_id, r.name, r.capacity, r.computer
         from rooms r join venues v on v.id = r.venue_id where v.round_id = $1",
        round_id
    )
    .fetch_all(conn)
    .await?;
    Ok(sessions
        .into_iter()
        .map(|s| Session {
            id: s.id,
            name: s.name,
            needs_computer: s.needs_computer,
            positions: s.positions,
            rooms: rooms
                .iter()
                .filter(|r| r.venue_id == s.venue_id)
                .map(|r| Room {
                    id: r.id,
                    name: r.name.clone(),
                    capacity: u32::try_from(r.capacity).unwrap_or(0),
                    computer: r.computer,
                })
                .collect(),
        })
        .collect())
}

pub async fn seats(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage: i16,
) -> Result<Vec<Seat>, sqlx::Error> {
    let rows = sqlx::query!(
        "select s.application_id, s.session_id, s.room_id, s.seat
         from seats s join exam_sessions e on e.id = s.session_id
         where e.round_id = $1 and s.stage = $2",
        round_id,
        stage
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Seat {
            application_id: r.application_id,
            session_id: r.session_id,
            room_id: r.room_id,
            seat: u32::try_from(r.seat).unwrap_or(0),
        })
        .collect())
}

/// Replaces the stage's seats with `seats` (in one statement each way, inside the caller's
/// transaction).
pub async fn replace_seats(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage: i16,
    seats: &[Seat],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from seats s using exam_sessions e
         where e.id = s.session_id and e.round_id = $1 and s.stage = $2",
        round_id,
        stage
    )
    .execute(&mut *conn)
    .await?;
    let applications: Vec<Uuid> = seats.iter().map(|s| s.application_id).collect();
    let sessions: Vec<Uuid> = seats.iter().map(|s| s.session_id).collect();
    let rooms: Vec<Uuid> = seats.iter().map(|s| s.room_id).collect();
    let numbers: Vec<i32> = seats
        .iter()
        .map(|s| i32::try_from(s.seat).unwrap_or(i32::MAX))
        .collect();
    sqlx::query!(
        "insert into seats (application_id, stage, session_id, room_id, seat)
         select a, $2, s, r, n from unnest($1::uuid[], $3::uuid[], $4::uuid[], $5::int[])
             as t(a, s, r, n)",
        &applications,
        stage,
        &sessions,
        &rooms,
        &numbers
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn candidate_numbers(
    conn: &mut PgConnection,
    round_id: Uuid,
) -> Result<Vec<(Uuid, u32)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select application_id, number from candidate_numbers where round_id = $1",
        round_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.application_id, u32::try_from(r.number).unwrap_or(0)))
        .collect())
}

pub async fn add_candidate_numbers(
    conn: &mut PgConnection,
    round_id: Uuid,
    numbers: &[(Uuid, u32)],
) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = numbers.iter().map(|(id, _)| *id).collect();
    let values: Vec<i32> = numbers
        .iter()
        .map(|(_, n)| i32::try_from(*n).unwrap_or(i32::MAX))
        .collect();
    sqlx::query!(
        "insert into candidate_numbers (application_id, round_id, number)
         select a, $2, n from unnest($1::uuid[], $3::int[]) as t(a, n)
         on conflict (application_id) do nothing",
        &ids,
        round_id,
        &values
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn candidate_prefix(pool: &PgPool, round_id: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!(
        "select candidate_prefix from rounds where id = $1",
        round_id
    )
    .fetch_one(pool)
    .await
}

pub async fn publication(
    pool: &PgPool,
    round_id: Uuid,
    stage: i16,
) -> Result<Option<Publication>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select p.published_at, p.confirmation_deadline,
                  (select count(*) from attendance_confirmations c
                    join applications a on a.id = c.application_id
                   where a.round_id = $1 and c.stage = $2 and c.answer = 'confirmed') as "confirmed!",
                  (select count(*) from attendance_confirmations c
                    join applications a on a.id = c.application_id
                   where a.round_id = $1 and c.stage = $2 and c.answer = 'withdrawn') as "withdrawn!"
           from schedule_publications p where p.round_id = $1 and p.stage = $2"#,
        round_id,
        stage
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Publication {
        published_at: r.published_at,
        confirmation_deadline: r.confirmation_deadline,
        confirmed: r.confirmed,
        withdrawn: r.withdrawn,
    }))
}

/// Publishes (or republishes) a stage's schedule and tells every seated candidate: a timeline
/// step, a notification and an e-mail each. Returns how many were told.
pub async fn publish(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage: i16,
    deadline: OffsetDateTime,
    actor: Uuid,
) -> Result<usize, sqlx::Error> {
    sqlx::query!(
        "insert into schedule_publications (round_id, stage, published_by, confirmation_deadline)
         values ($1, $2, $3, $4)
         on conflict (round_id, stage) do update
            set published_at = now(), published_by = excluded.published_by,
                confirmation_deadline = excluded.confirmation_deadline",
        round_id,
        stage,
        actor,
        deadline
    )
    .execute(&mut *conn)
    .await?;
    let seated = sqlx::query!(
        "select s.application_id, a.applicant_id, u.email, u.full_name, a.receipt_code,
                r.name as round_name
         from seats s join applications a on a.id = s.application_id
         join users u on u.id = a.applicant_id join rounds r on r.id = a.round_id
         join exam_sessions e on e.id = s.session_id
         where e.round_id = $1 and s.stage = $2",
        round_id,
        stage
    )
    .fetch_all(&mut *conn)
    .await?;
    let kind = EventKind::Scheduled;
    let applications: Vec<Uuid> = seated.iter().map(|s| s.application_id).collect();
    let users: Vec<Uuid> = seated.iter().map(|s| s.applicant_id).collect();
    let emails: Vec<String> = seated.iter().map(|s| s.email.clone()).collect();
    let texts: Vec<crate::applications::notify::EmailText> = seated
        .iter()
        .map(|s| {
            crate::applications::notify::email_text(&crate::applications::notify::EmailFacts {
                full_name: &s.full_name,
                round_name: &s.round_name,
                receipt_code: &s.receipt_code,
                kind,
                reason: None,
                fix_by: None,
            })
        })
        .collect();
    let subjects: Vec<String> = texts.iter().map(|t| t.subject.clone()).collect();
    let bodies: Vec<String> = texts.iter().map(|t| t.body.clone()).collect();
    sqlx::query!(
        "insert into application_events (application_id, kind, actor_id)
         select a, $2, $3 from unnest($1::uuid[]) as t(a)",
        &applications,
        kind.as_str(),
        actor
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into notifications (user_id, application_id, kind)
         select u, a, $3 from unnest($1::uuid[], $2::uuid[]) as t(u, a)",
        &users,
        &applications,
        kind.as_str()
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into email_outbox (to_address, subject, body)
         select * from unnest($1::text[], $2::text[], $3::text[])",
        &emails,
        &subjects,
        &bodies
    )
    .execute(conn)
    .await?;
    Ok(seated.len())
}

pub struct TicketRow {
    pub applicant_id: Uuid,
    pub round_id: Uuid,
    pub ticket: Ticket,
}

/// The ticket of a stage, once that stage's schedule is published.
pub async fn ticket(
    pool: &PgPool,
    application_id: Uuid,
    stage: i16,
) -> Result<Option<TicketRow>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select a.applicant_id, a.round_id, r.name as round_name, r.authority,
                  r.candidate_prefix, n.number, a.lookup_code, a.full_name, a.date_of_birth,
                  a.national_id, p.code || ' · ' || p.title as "position!", e.name as session_name,
                  e.starts_at, e.duration_minutes, v.name as venue_name,
                  v.address as venue_address, v.map_note, rm.name as room_name, s.seat,
                  c.answer as "answer?", pub.confirmation_deadline
           from seats s
           join applications a on a.id = s.application_id
           join rounds r on r.id = a.round_id
           join positions p on p.id = a.position_id
           join candidate_numbers n on n.application_id = a.id
           join exam_sessions e on e.id = s.session_id
           join venues v on v.id = e.venue_id
           join rooms rm on rm.id = s.room_id
           join schedule_publications pub on pub.round_id = a.round_id and pub.stage = s.stage
           left join attendance_confirmations c
                  on c.application_id = a.id and c.stage = s.stage
           where s.application_id = $1 and s.stage = $2"#,
        application_id,
        stage
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| TicketRow {
        applicant_id: r.applicant_id,
        round_id: r.round_id,
        ticket: Ticket {
            application_id,
            round_name: r.round_name,
            authority: r.authority,
            stage,
            candidate_number: crate::scheduling::allocation::format_candidate_number(
                &r.candidate_prefix,
                u32::try_from(r.number).unwrap_or(0),
            ),
            lookup_code: r.lookup_code,
            full_name: r.full_name,
            date_of_birth: r.date_of_birth,
            national_id: r.national_id,
            position: r.position,
            session_name: r.session_name,
            starts_at: r.starts_at,
            duration_minutes: r.duration_minutes,
            venue_name: r.venue_name,
            venue_address: r.venue_address,
            map_note: r.map_note,
            room_name: r.room_name,
            seat: r.seat,
            qr_svg: String::new(),
            confirmation: r.answer,
            confirmation_deadline: r.confirmation_deadline,
            now: OffsetDateTime::now_utc(),
        },
    }))
}

/// Records the candidate's answer (confirmed or withdrawn) and its timeline step.
pub async fn answer_attendance(
    conn: &mut PgConnection,
    application_id: Uuid,
    stage: i16,
    withdraw: bool,
    actor: Uuid,
) -> Result<(), sqlx::Error> {
    let answer = if withdraw { "withdrawn" } else { "confirmed" };
    sqlx::query!(
        "insert into attendance_confirmations (application_id, stage, answer) values ($1, $2, $3)
         on conflict (application_id, stage) do update
            set answer = excluded.answer, answered_at = now()",
        application_id,
        stage,
        answer
    )
    .execute(&mut *conn)
    .await?;
    let kind = if withdraw {
        EventKind::Withdrawn
    } else {
        EventKind::AttendanceConfirmed
    };
    crate::applications::repo::add_event(conn, application_id, kind, None, None, Some(actor)).await
}

pub async fn roster(
    pool: &PgPool,
    session_id: Uuid,
    room_id: Uuid,
) -> Result<Option<Roster>, sqlx::Error> {
    let Some(head) = sqlx::query!(
        "select r.name as round_name, e.name as session_name, e.starts_at, v.name as venue_name,
                rm.name as room_name, r.candidate_prefix
         from exam_sessions e join rounds r on r.id = e.round_id
         join venues v on v.id = e.venue_id
         join rooms rm on rm.venue_id = v.id
         where e.id = $1 and rm.id = $2",
        session_id,
        room_id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let rows = sqlx::query!(
        r#"select s.seat, n.number as "number?", a.full_name, a.date_of_birth, a.national_id,
                p.code as position_code
         from seats s join applications a on a.id = s.application_id
         join positions p on p.id = a.position_id
         left join candidate_numbers n on n.application_id = a.id
         where s.session_id = $1 and s.room_id = $2 order by s.seat"#,
        session_id,
        room_id
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(Roster {
        round_name: head.round_name,
        session_name: head.session_name,
        starts_at: head.starts_at,
        venue_name: head.venue_name,
        room_name: head.room_name,
        rows: rows
            .into_iter()
            .map(|r| RosterRow {
                seat: r.seat,
                candidate_number: crate::scheduling::allocation::format_candidate_number(
                    &head.candidate_prefix,
                    u32::try_from(r.number.unwrap_or(0)).unwrap_or(0),
                ),
                full_name: r.full_name,
                date_of_birth: r.date_of_birth,
                national_id: r.national_id,
                position_code: r.position_code,
            })
            .collect(),
    }))
}
