//! The exam day in PostgreSQL: rooms with invigilators, conflicts of interest, attendance and
//! its log. Authorisation is the caller's job.

use crate::scheduling::types::*;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Staff who may invigilate: markers, board chairs and HR officers with an active account.
pub async fn staff(pool: &PgPool) -> Result<Vec<StaffMember>, sqlx::Error> {
    sqlx::query_as!(
        StaffMember,
        "select distinct u.id, u.full_name, u.email from users u
         join user_roles r on r.user_id = u.id
         where r.role in ('marker', 'board_chair', 'hr_officer') and u.disabled_at is null
         order by u.full_name, u.email"
    )
    .fetch_all(pool)
    .await
}

/// Rooms with seated candidates in a stage (or one room), with invigilators and attendance.
pub async fn session_rooms(
    pool: &PgPool,
    round_id: Uuid,
    stage: i16,
    only: Option<(Uuid, Uuid)>,
) -> Result<Vec<SessionRoom>, sqlx::Error> {
    let (only_session, only_room) = only.unzip();
    let rows = sqlx::query!(
        r#"select e.id as session_id, e.name as session_name, e.starts_at, e.duration_minutes,
                  v.name as venue_name, r.id as room_id, r.name as room_name,
                  count(s.application_id) as "seated!",
                  count(t.application_id) as "marked!",
                  count(t.application_id) filter (where t.status = 'absent') as "absent!"
           from exam_sessions e
           join venues v on v.id = e.venue_id
           join seats s on s.session_id = e.id
           join rooms r on r.id = s.room_id
           left join attendance t on t.application_id = s.application_id and t.stage = s.stage
           where e.round_id = $1 and e.stage = $2
             and ($3::uuid is null or e.id = $3) and ($4::uuid is null or r.id = $4)
           group by e.id, v.name, r.id
           order by e.starts_at, e.name, r.name"#,
        round_id,
        stage,
        only_session,
        only_room
    )
    .fetch_all(pool)
    .await?;
    let assigned = sqlx::query!(
        "select i.session_id, i.room_id, u.id, u.full_name, u.email
         from invigilator_assignments i join users u on u.id = i.user_id
         join exam_sessions e on e.id = i.session_id
         where e.round_id = $1 and e.stage = $2 order by u.full_name",
        round_id,
        stage
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionRoom {
            invigilators: assigned
                .iter()
                .filter(|a| a.session_id == r.session_id && a.room_id == r.room_id)
                .map(|a| StaffMember {
                    id: a.id,
                    full_name: a.full_name.clone(),
                    email: a.email.clone(),
                })
                .collect(),
            session_id: r.session_id,
            session_name: r.session_name,
            starts_at: r.starts_at,
            duration_minutes: r.duration_minutes,
            venue_name: r.venue_name,
            room_id: r.room_id,
            room_name: r.room_name,
            seated: r.seated,
            marked: r.marked,
            absent: r.absent,
        })
        .collect())
}

/// The round and stage of a session, if it exists.
pub async fn session_round(
    pool: &PgPool,
    session_id: Uuid,
) -> Result<Option<(Uuid, i16)>, sqlx::Error> {
    let row = sqlx::query!(
        "select round_id, stage from exam_sessions where id = $1",
        session_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.round_id, r.stage)))
}

pub async fn conflicts(pool: &PgPool, round_id: Uuid) -> Result<Vec<ConflictView>, sqlx::Error> {
    let rows = sqlx::query!(
        "select u.id, u.full_name, u.email, a.full_name as candidate_name, a.receipt_code,
                c.relationship
         from conflict_declarations c join users u on u.id = c.staff_id
         join applications a on a.id = c.application_id
         where c.round_id = $1 order by u.full_name, a.full_name",
        round_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ConflictView {
            staff: StaffMember {
                id: r.id,
                full_name: r.full_name,
                email: r.email,
            },
            candidate_name: r.candidate_name,
            receipt_code: r.receipt_code,
            relationship: r.relationship,
        })
        .collect())
}

/// Records a declaration; `false` when no application of the round has that receipt code.
pub async fn declare_conflict(
    pool: &PgPool,
    round_id: Uuid,
    staff_id: Uuid,
    receipt_code: &str,
    relationship: &str,
    actor: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into conflict_declarations (round_id, staff_id, application_id, relationship, declared_by)
         select $1, $2, a.id, $4, $5 from applications a
         where a.round_id = $1 and a.receipt_code = $3
         on conflict (round_id, staff_id, application_id) do update
            set relationship = excluded.relationship",
        round_id,
        staff_id,
        receipt_code,
        relationship,
        actor
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the staff member declared a relationship with anyone seated in the room.
pub async fn conflicted_in_room(
    conn: &mut PgConnection,
    session_id: Uuid,
    room_id: Uuid,
    staff_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (
             select 1 from seats s
             join conflict_declarations c on c.application_id = s.application_id
             where s.session_id = $1 and s.room_id = $2 and c.staff_id = $3) as "conflicted!""#,
        session_id,
        room_id,
        staff_id
    )
    .fetch_one(conn)
    .await
}

pub async fn assign(
    conn: &mut PgConnection,
    session_id: Uuid,
    room_id: Uuid,
    staff_id: Uuid,
    actor: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into invigilator_assignments (session_id, room_id, user_id, assigned_by)
         values ($1, $2, $3, $4)",
        session_id,
        room_id,
        staff_id,
        actor
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn is_assigned(
    pool: &PgPool,
    session_id: Uuid,
    room_id: Uuid,
    user_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from invigilator_assignments
                          where session_id = $1 and room_id = $2 and user_id = $3) as "yes!""#,
        session_id,
        room_id,
        user_id
    )
    .fetch_one(pool)
    .await
}

/// The rooms a person invigilates, soonest first.
pub async fn assignments_of(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Vec<(Uuid, i16, Uuid, Uuid)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select e.round_id, e.stage, i.session_id, i.room_id
         from invigilator_assignments i join exam_sessions e on e.id = i.session_id
         where i.user_id = $1 order by e.starts_at",
        user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.round_id, r.stage, r.session_id, r.room_id))
        .collect())
}

pub async fn attendance_rows(
    pool: &PgPool,
    session_id: Uuid,
    room_id: Uuid,
) -> Result<Vec<AttendanceRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.application_id, s.seat, n.number as "number?", r.candidate_prefix,
                  a.full_name, a.date_of_birth, a.national_id,
                  t.status as "status?", t.note as "note?"
           from seats s join applications a on a.id = s.application_id
           join rounds r on r.id = a.round_id
           left join candidate_numbers n on n.application_id = a.id
           left join attendance t on t.application_id = a.id and t.stage = s.stage
           where s.session_id = $1 and s.room_id = $2 order by s.seat"#,
        session_id,
        room_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttendanceRow {
            application_id: r.application_id,
            seat: r.seat,
            candidate_number: crate::scheduling::allocation::format_candidate_number(
                &r.candidate_prefix,
                u32::try_from(r.number.unwrap_or(0)).unwrap_or(0),
            ),
            full_name: r.full_name,
            date_of_birth: r.date_of_birth,
            national_id: r.national_id,
            status: r.status.as_deref().and_then(AttendanceStatus::parse),
            note: r.note,
        })
        .collect())
}

/// Records a mark for a candidate seated in the room; `false` if they are not seated there.
pub async fn mark(
    conn: &mut PgConnection,
    session_id: Uuid,
    room_id: Uuid,
    application_id: Uuid,
    status: AttendanceStatus,
    note: Option<&str>,
    actor: Uuid,
) -> Result<bool, sqlx::Error> {
    let stage = sqlx::query_scalar!(
        "select stage from seats where session_id = $1 and room_id = $2 and application_id = $3",
        session_id,
        room_id,
        application_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(stage) = stage else {
        return Ok(false);
    };
    sqlx::query!(
        "insert into attendance (application_id, stage, session_id, status, note, marked_by)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (application_id, stage) do update
            set session_id = excluded.session_id, status = excluded.status, note = excluded.note,
                marked_by = excluded.marked_by, marked_at = now()",
        application_id,
        stage,
        session_id,
        status.as_str(),
        note,
        actor
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into attendance_log (application_id, stage, session_id, status, note, marked_by)
         values ($1, $2, $3, $4, $5, $6)",
        application_id,
        stage,
        session_id,
        status.as_str(),
        note,
        actor
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// The application behind a candidate number of the round.
pub async fn application_by_number(
    pool: &PgPool,
    round_id: Uuid,
    number: i32,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select application_id from candidate_numbers where round_id = $1 and number = $2",
        round_id,
        number
    )
    .fetch_optional(pool)
    .await
}

pub enum Move {
    Moved {
        from: Option<(Uuid, Uuid, i32)>,
        seat: i32,
    },
    /// The room does not belong to the session's venue, or is not a computer room for a
    /// computer-based session.
    RoomNotUsable,
    RoomFull,
}

/// Moves a candidate to the lowest free seat of a room in a session of the same round and
/// stage (a manual move, e.g. to a re-sit session).
pub async fn move_seat(
    conn: &mut PgConnection,
    round_id: Uuid,
    application_id: Uuid,
    session_id: Uuid,
    room_id: Uuid,
) -> Result<Move, sqlx::Error> {
    let target = sqlx::query!(
        r#"select e.stage, rm.capacity from exam_sessions e
           join rooms rm on rm.venue_id = e.venue_id and rm.id = $3
           where e.id = $2 and e.round_id = $1 and (rm.computer or not e.needs_computer)"#,
        round_id,
        session_id,
        room_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(target) = target else {
        return Ok(Move::RoomNotUsable);
    };
    let from = sqlx::query!(
        "select session_id, room_id, seat from seats where application_id = $1 and stage = $2",
        application_id,
        target.stage
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.session_id, r.room_id, r.seat));
    let free = sqlx::query_scalar!(
        "select min(n) from generate_series(1, $3::int) as n
         where n not in (select seat from seats
                         where session_id = $1 and room_id = $2 and application_id <> $4)",
        session_id,
        room_id,
        target.capacity,
        application_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let Some(seat) = free else {
        return Ok(Move::RoomFull);
    };
    sqlx::query!(
        "insert into seats (application_id, stage, session_id, room_id, seat) values ($1, $2, $3, $4, $5)
         on conflict (application_id, stage) do update
            set session_id = excluded.session_id, room_id = excluded.room_id,
                seat = excluded.seat, assigned_at = now()",
        application_id,
        target.stage,
        session_id,
        room_id,
        seat
    )
    .execute(conn)
    .await?;
    Ok(Move::Moved { from, seat })
}

/// A candidate and an invigilator who declared a relationship with them, in a given room.
pub struct Conflict {
    pub session_id: Uuid,
    pub room_id: Uuid,
    pub application_id: Uuid,
    pub candidate: String,
    pub staff: String,
}

/// Every (room, candidate) pair of the stage that would put a candidate under the eyes of a
/// related invigilator, were the candidate seated in that room.
pub async fn watched_conflicts(
    conn: &mut PgConnection,
    round_id: Uuid,
    stage: i16,
) -> Result<Vec<Conflict>, sqlx::Error> {
    sqlx::query_as!(
        Conflict,
        "select i.session_id, i.room_id, c.application_id, a.full_name as candidate,
                u.full_name as staff
         from invigilator_assignments i
         join exam_sessions e on e.id = i.session_id
         join conflict_declarations c on c.staff_id = i.user_id and c.round_id = e.round_id
         join applications a on a.id = c.application_id
         join users u on u.id = i.user_id
         where e.round_id = $1 and e.stage = $2",
        round_id,
        stage
    )
    .fetch_all(conn)
    .await
}

/// Every usable (session, room) of a stage, as `session:room` values with a label.
pub async fn move_targets(
    pool: &PgPool,
    round_id: Uuid,
    stage: i16,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select e.id as session_id, e.name as session_name, r.id as room_id, r.name as room_name
         from exam_sessions e join rooms r on r.venue_id = e.venue_id
         where e.round_id = $1 and e.stage = $2 and (r.computer or not e.needs_computer)
         order by e.starts_at, e.name, r.name",
        round_id,
        stage
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                format!("{}:{}", r.session_id, r.room_id),
                format!("{} – {}", r.session_name, r.room_name),
            )
        })
        .collect())
}
