//! Exam scheduling through the real endpoints: venues, rooms and sessions, the allocation
//! (preview, capacity, stability), candidate numbers, publication with notifications, the
//! admission ticket and attendance answers — and who may do each.

mod common;

use app::accounts::types::Role;
use app::server_support::Clock;
use common::{count, Reply, TestApp};
use http::StatusCode;
use sqlx::PgPool;
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2027-01-10 10:00 +7);
const PASSWORD: &str = "mật khẩu thí sinh 2026";

struct Fixture {
    app: TestApp,
    clock: Clock,
    hr: String,
    round: String,
    positions: [Uuid; 2],
}

/// A round in screening with two positions, and the app whose clock reads NOW.
async fn setup(pool: &PgPool) -> Fixture {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    let clock = Clock::fixed(NOW);
    let app = TestApp::with_clock(pool.clone(), clock.clone());
    let hr = app
        .session_with_role("ns@example.vn", Role::HrOfficer)
        .await;
    let (round, unit) = common::round_with_unit(pool, "screening").await;
    let mut positions = Vec::new();
    for code in ["KT-01", "NV-01"] {
        let id: Uuid = sqlx::query_scalar(
            "insert into positions (round_id, code, title, min_degree, stage2_format)
             values ($1, $2, 'Chuyên viên', 'bachelor', 'written') returning id",
        )
        .bind(round)
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query("insert into position_units (position_id, unit_id, quota) values ($1, $2, 1)")
            .bind(id)
            .bind(unit)
            .execute(pool)
            .await
            .unwrap();
        positions.push(id);
    }
    Fixture {
        app,
        clock,
        hr,
        round: round.to_string(),
        positions: [positions[0], positions[1]],
    }
}

/// An eligible, fee-paid application for a new applicant; returns (application, cookie).
async fn candidate(f: &Fixture, n: u32, name: &str, position: Uuid) -> (Uuid, String) {
    let email = format!("ts{n}@example.vn");
    let cookie = f.app.register(&email, PASSWORD).await;
    let id: Uuid = sqlx::query_scalar(
        "insert into applications (round_id, position_id, applicant_id, receipt_code, national_id,
                                   full_name, date_of_birth, form, status, fee_amount, fee_paid_at)
         select $1::uuid, $2, u.id, 'RC' || $3, lpad($3, 12, '0'), $4, '1998-01-01', '{}',
                'eligible', 500000, now()
         from users u where u.email = $5 returning id",
    )
    .bind(Uuid::parse_str(&f.round).unwrap())
    .bind(position)
    .bind(n.to_string())
    .bind(name)
    .bind(&email)
    .fetch_one(&f.app.pool)
    .await
    .unwrap();
    (id, cookie)
}

async fn hr_post(f: &Fixture, path: &str, form: &[(&str, &str)]) -> Reply {
    let reply = f.app.post(path, form, Some(&f.hr)).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    reply
}

async fn venue_with_rooms(f: &Fixture, rooms: &[(&str, &str, bool)]) -> String {
    hr_post(
        f,
        "/api/hr/add_venue",
        &[
            ("round_id", &f.round),
            ("name", "Trường Đại học Vinh"),
            ("address", "182 Lê Duẩn, Vinh"),
            ("map_note", "Cổng số 2"),
        ],
    )
    .await;
    let view = schedule(f, "1").await;
    let venue = view["venues"][0]["id"].as_str().unwrap().to_string();
    for (name, capacity, computer) in rooms {
        let mut form = vec![
            ("round_id", f.round.as_str()),
            ("venue_id", venue.as_str()),
            ("name", name),
            ("capacity", capacity),
        ];
        if *computer {
            form.push(("computer", "on"));
        }
        hr_post(f, "/api/hr/add_room", &form).await;
    }
    venue
}

/// Adds a stage-1 session on 20 January 2027 at 07:30, 60 minutes.
async fn add_session(f: &Fixture, name: &str, venue: &str, positions: &[&str], computer: bool) {
    let mut form = vec![
        ("round_id".to_string(), f.round.clone()),
        ("stage".to_string(), "1".to_string()),
        ("name".to_string(), name.to_string()),
        ("venue_id".to_string(), venue.to_string()),
        ("starts_at".to_string(), "2027-01-20T07:30".to_string()),
        ("duration_minutes".to_string(), "60".to_string()),
    ];
    if computer {
        form.push(("needs_computer".to_string(), "on".to_string()));
    }
    for (i, position) in positions.iter().enumerate() {
        form.push((format!("positions[{i}]"), position.to_string()));
    }
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    hr_post(f, "/api/hr/add_session", &borrowed).await;
}

async fn schedule(f: &Fixture, stage: &str) -> serde_json::Value {
    hr_post(
        f,
        "/api/hr/schedule",
        &[("round_id", &f.round), ("stage", stage)],
    )
    .await
    .json()
}

async fn allocate(f: &Fixture, apply: bool) -> serde_json::Value {
    let mut form = vec![("round_id", f.round.as_str()), ("stage", "1")];
    if apply {
        form.push(("apply", "on"));
    }
    hr_post(f, "/api/hr/allocate", &form).await.json()
}

#[sqlx::test(migrations = "../migrations")]
async fn hr_seats_a_stage_within_capacity_and_re_running_moves_nobody(pool: PgPool) {
    let f = setup(&pool).await;
    let names = [
        "Trần Thị Bình",
        "Nguyễn Văn An",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ];
    for (n, name) in names.iter().enumerate() {
        candidate(&f, n as u32 + 1, name, f.positions[n % 2]).await;
    }
    let venue = venue_with_rooms(&f, &[("P.101", "3", true), ("P.102", "30", false)]).await;
    let positions = [f.positions[0].to_string(), f.positions[1].to_string()];
    add_session(&f, "Ca 1", &venue, &[&positions[0], &positions[1]], true).await;

    // Four candidates, three computer seats (the ordinary room does not count): refused with
    // the numbers, and nothing saved.
    let refused = allocate(&f, true).await;
    assert_eq!(refused["applied"], false);
    assert_eq!(
        refused["problems"][0]["OverCapacity"],
        serde_json::json!({ "session_name": "Ca 1", "candidates": 4, "seats": 3 })
    );
    assert_eq!(count(&pool, "seats").await, 0);

    let room: &str = "P.103";
    hr_post(
        &f,
        "/api/hr/add_room",
        &[
            ("round_id", &f.round),
            ("venue_id", &venue),
            ("name", room),
            ("capacity", "3"),
            ("computer", "on"),
        ],
    )
    .await;
    // A preview saves nothing.
    let preview = allocate(&f, false).await;
    assert_eq!(
        (preview["applied"].as_bool(), preview["added"].as_u64()),
        (Some(false), Some(4))
    );
    assert_eq!(count(&pool, "seats").await, 0);

    let applied = allocate(&f, true).await;
    assert_eq!(applied["added"], 4);
    assert_eq!(count(&pool, "seats").await, 4);
    let numbers: Vec<i32> =
        sqlx::query_scalar("select number from candidate_numbers order by number")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(numbers, [1, 2, 3, 4]);
    // Within a room, seats follow position then given name (An before Bình before Cường …).
    let seated: Vec<(String, i32)> = sqlx::query_as(
        "select a.full_name, s.seat from seats s join applications a on a.id = s.application_id
         join rooms r on r.id = s.room_id where r.name = 'P.101' order by s.seat",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!seated.is_empty());
    assert!(seated.iter().all(|(_, seat)| *seat <= 3));

    // Running it again moves nobody and keeps every number.
    let again = allocate(&f, true).await;
    assert_eq!(
        (again["kept"].as_u64(), again["moved"].as_u64()),
        (Some(4), Some(0))
    );
    let view = schedule(&f, "1").await;
    assert_eq!(
        (view["candidates"].as_i64(), view["seated"].as_i64()),
        (Some(4), Some(4))
    );

    // A late eligible candidate is added without moving anyone, and gets the next number.
    candidate(&f, 5, "Hoàng Văn Em", f.positions[0]).await;
    let late = allocate(&f, true).await;
    assert_eq!(
        (
            late["kept"].as_u64(),
            late["moved"].as_u64(),
            late["added"].as_u64()
        ),
        (Some(4), Some(0), Some(1))
    );
    let max: i32 = sqlx::query_scalar("select max(number) from candidate_numbers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(max, 5);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_published_ticket_is_the_candidates_own_and_answers_close_at_the_deadline(
    pool: PgPool,
) {
    let f = setup(&pool).await;
    let (mine, me) = candidate(&f, 1, "Nguyễn Thị Hoa", f.positions[0]).await;
    let (_, other) = candidate(&f, 2, "Lê Văn Nam", f.positions[0]).await;
    let venue = venue_with_rooms(&f, &[("P.201", "40", false)]).await;
    let position = f.positions[0].to_string();
    add_session(&f, "Ca sáng", &venue, &[&position], false).await;
    // Nothing to publish before anyone is seated.
    let early = f
        .app
        .post(
            "/api/hr/publish_schedule",
            &[
                ("round_id", &f.round),
                ("stage", "1"),
                ("confirmation_deadline", "2027-01-15T17:00"),
            ],
            Some(&f.hr),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    allocate(&f, true).await;
    let ticket_args = [
        ("application_id", mine.to_string()),
        ("stage", "1".to_string()),
    ];
    let ticket_form: Vec<(&str, &str)> =
        ticket_args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // Not before publication.
    let hidden = f
        .app
        .post("/api/applications/ticket", &ticket_form, Some(&me))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    let told = hr_post(
        &f,
        "/api/hr/publish_schedule",
        &[
            ("round_id", &f.round),
            ("stage", "1"),
            ("confirmation_deadline", "2027-01-15T17:00"),
        ],
    )
    .await;
    assert_eq!(told.json(), 2);
    let scheduled: i64 =
        sqlx::query_scalar("select count(*) from application_events where kind = 'scheduled'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(scheduled, 2);
    let told_by_email: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where body not like '%Mã xác nhận: %'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        told_by_email, 2,
        "one e-mail each (besides their registration codes)"
    );

    let ticket = f
        .app
        .post("/api/applications/ticket", &ticket_form, Some(&me))
        .await;
    assert_eq!(ticket.status, StatusCode::OK, "{}", ticket.body);
    let ticket = ticket.json();
    assert!(ticket["candidate_number"]
        .as_str()
        .unwrap()
        .starts_with("NA27-"));
    assert_eq!(ticket["room_name"], "P.201");
    assert!(ticket["qr_svg"].as_str().unwrap().contains("<svg"));
    // Someone else's ticket does not exist for them; nobody anonymous sees any.
    let theirs = f
        .app
        .post("/api/applications/ticket", &ticket_form, Some(&other))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let anonymous = f
        .app
        .post("/api/applications/ticket", &ticket_form, None)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let answer = |who: &str, answer: &str| {
        let form = [
            ("application_id".to_string(), mine.to_string()),
            ("stage".to_string(), "1".to_string()),
            ("answer".to_string(), answer.to_string()),
        ];
        let app = &f.app;
        let who = who.to_string();
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.post("/api/applications/attendance", &form, Some(&who))
                .await
        }
    };
    assert_eq!(
        answer(&other, "withdraw").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(answer(&me, "confirm").await.status, StatusCode::OK);
    let view = schedule(&f, "1").await;
    assert_eq!(view["publication"]["confirmed"], 1);

    // After the deadline the answer stands.
    f.clock.set(datetime!(2027-01-15 17:00 +7));
    let late = answer(&me, "withdraw").await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stored: String = sqlx::query_scalar("select answer from attendance_confirmations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, "confirmed");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_withdrawn_candidate_frees_the_seat_and_nobody_else_moves(pool: PgPool) {
    let f = setup(&pool).await;
    let (first, first_cookie) = candidate(&f, 1, "Nguyễn Văn An", f.positions[0]).await;
    candidate(&f, 2, "Trần Thị Bình", f.positions[0]).await;
    candidate(&f, 3, "Lê Văn Cường", f.positions[0]).await;
    let venue = venue_with_rooms(&f, &[("P.1", "10", false)]).await;
    let position = f.positions[0].to_string();
    add_session(&f, "Ca 1", &venue, &[&position], false).await;
    allocate(&f, true).await;
    hr_post(
        &f,
        "/api/hr/publish_schedule",
        &[
            ("round_id", &f.round),
            ("stage", "1"),
            ("confirmation_deadline", "2027-01-15T17:00"),
        ],
    )
    .await;
    let withdrawn = f
        .app
        .post(
            "/api/applications/attendance",
            &[
                ("application_id", &first.to_string()),
                ("stage", "1"),
                ("answer", "withdraw"),
            ],
            Some(&first_cookie),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let again = allocate(&f, true).await;
    assert_eq!(
        (
            again["kept"].as_u64(),
            again["moved"].as_u64(),
            again["removed"].as_u64()
        ),
        (Some(2), Some(0), Some(1))
    );
    assert_eq!(count(&pool, "seats").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_hr_officers_schedule(pool: PgPool) {
    let f = setup(&pool).await;
    let (_, applicant) = candidate(&f, 1, "Nguyễn Văn An", f.positions[0]).await;
    let marker = f.app.session_with_role("ct@example.vn", Role::Marker).await;
    let calls: [(&str, Vec<(&str, &str)>); 11] = [
        (
            "/api/hr/add_room",
            vec![
                ("round_id", &f.round),
                ("venue_id", &f.round),
                ("name", "P"),
                ("capacity", "5"),
            ],
        ),
        (
            "/api/hr/add_session",
            vec![
                ("round_id", &f.round),
                ("stage", "1"),
                ("name", "C"),
                ("venue_id", &f.round),
                ("starts_at", "2027-01-20T07:30"),
                ("duration_minutes", "60"),
            ],
        ),
        (
            "/api/hr/move_candidate",
            vec![
                ("round_id", &f.round),
                ("candidate_number", "1"),
                ("target", "x"),
                ("reason", "x"),
            ],
        ),
        (
            "/api/hr/exam_day",
            vec![("round_id", &f.round), ("stage", "1")],
        ),
        (
            "/api/hr/assign_invigilator",
            vec![
                ("session_id", &f.round),
                ("room_id", &f.round),
                ("staff_id", &f.round),
            ],
        ),
        (
            "/api/hr/declare_conflict",
            vec![
                ("round_id", &f.round),
                ("staff_id", &f.round),
                ("receipt_code", "x"),
                ("relationship", "x"),
            ],
        ),
        (
            "/api/hr/schedule",
            vec![("round_id", &f.round), ("stage", "1")],
        ),
        (
            "/api/hr/add_venue",
            vec![("round_id", &f.round), ("name", "X"), ("address", "Y")],
        ),
        (
            "/api/hr/allocate",
            vec![("round_id", &f.round), ("stage", "1"), ("apply", "on")],
        ),
        (
            "/api/hr/publish_schedule",
            vec![
                ("round_id", &f.round),
                ("stage", "1"),
                ("confirmation_deadline", "2027-01-15T17:00"),
            ],
        ),
        (
            "/api/hr/roster",
            vec![("session_id", &f.round), ("room_id", &f.round)],
        ),
    ];
    for (path, form) in &calls {
        assert_eq!(
            f.app.post(path, form, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        for cookie in [&applicant, &marker] {
            assert_eq!(
                f.app.post(path, form, Some(cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    assert_eq!(count(&pool, "venues").await, 0);
    // The invigilator's pages are for staff.
    assert_eq!(
        f.app
            .post("/api/invigilation/mine", &[], Some(&applicant))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        f.app.post("/api/invigilation/mine", &[], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let xlsx = format!("/hr/sessions/{}/rooms/{}/roster.xlsx", f.round, f.round);
    assert_eq!(
        f.app.get(&xlsx, Some(&applicant)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn invigilators_are_unrelated_staff_and_record_attendance_only_in_their_room(pool: PgPool) {
    let f = setup(&pool).await;
    let (first, _) = candidate(&f, 1, "Nguyễn Văn An", f.positions[0]).await;
    candidate(&f, 2, "Trần Thị Bình", f.positions[0]).await;
    let venue = venue_with_rooms(&f, &[("P.1", "1", false), ("P.2", "1", false)]).await;
    let position = f.positions[0].to_string();
    add_session(&f, "Ca 1", &venue, &[&position], false).await;
    allocate(&f, true).await;
    let rooms: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
        "select s.session_id, s.room_id, s.application_id from seats s
         join rooms r on r.id = s.room_id order by r.name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let (session, room_of_first) = rooms
        .iter()
        .find(|(_, _, a)| *a == first)
        .map(|(s, r, _)| (*s, *r))
        .unwrap();
    let other_room = rooms
        .iter()
        .find(|(_, r, _)| *r != room_of_first)
        .unwrap()
        .1;
    let (session, room1, room2) = (
        session.to_string(),
        room_of_first.to_string(),
        other_room.to_string(),
    );

    let related = f.app.session_with_role("a@example.vn", Role::Marker).await;
    let watcher = f.app.session_with_role("b@example.vn", Role::Marker).await;
    let bystander = f.app.session_with_role("c@example.vn", Role::Marker).await;
    let id_of = |email: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>("select id from users where email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (a, b) = (id_of("a@example.vn").await, id_of("b@example.vn").await);
    let applicant = id_of("ts1@example.vn").await;
    let receipt: String = sqlx::query_scalar("select receipt_code from applications where id = $1")
        .bind(first)
        .fetch_one(&pool)
        .await
        .unwrap();
    // The fixture's receipt codes are not real ones; give the first a valid code.
    let code = app::applications::rules::ReceiptCode::from_random([9, 8, 7, 6, 5, 4, 3, 2]);
    sqlx::query("update applications set receipt_code = $1 where receipt_code = $2")
        .bind(code.as_str())
        .bind(&receipt)
        .execute(&pool)
        .await
        .unwrap();
    hr_post(
        &f,
        "/api/hr/declare_conflict",
        &[
            ("round_id", &f.round),
            ("staff_id", &a),
            ("receipt_code", code.as_str()),
            ("relationship", "Anh ruột"),
        ],
    )
    .await;

    let assign = |staff: String, room: String| {
        let (app, hr, session) = (&f.app, f.hr.clone(), session.clone());
        async move {
            app.post(
                "/api/hr/assign_invigilator",
                &[
                    ("session_id", &session),
                    ("room_id", &room),
                    ("staff_id", &staff),
                ],
                Some(&hr),
            )
            .await
        }
    };
    let msg = |reply: &Reply| {
        reply.json()["Invalid"][0]["msg"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        msg(&assign(a.clone(), room1.clone()).await),
        "ErrConflictOfInterest"
    );
    assert_eq!(
        msg(&assign(applicant.clone(), room1.clone()).await),
        "ErrStaffOnly"
    );
    assert_eq!(
        assign(a.clone(), room2.clone()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        assign(b.clone(), room1.clone()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        msg(&assign(b.clone(), room2.clone()).await),
        "ErrAlreadyAssigned"
    );
    assert_eq!(count(&pool, "invigilator_assignments").await, 2);

    let mark =
        |who: String, room: String, application: Uuid, status: &'static str, note: &'static str| {
            let (app, session) = (&f.app, session.clone());
            async move {
                app.post(
                    "/api/invigilation/mark",
                    &[
                        ("session_id", &session),
                        ("room_id", &room),
                        ("application_id", &application.to_string()),
                        ("status", status),
                        ("note", note),
                    ],
                    Some(&who),
                )
                .await
            }
        };
    // Only the room's own invigilator records, only for candidates seated there.
    assert_eq!(
        mark(bystander.clone(), room1.clone(), first, "present", "")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let sheet = f
        .app
        .post(
            "/api/invigilation/room",
            &[("session_id", &session), ("room_id", &room1)],
            Some(&bystander),
        )
        .await;
    assert_eq!(sheet.status, StatusCode::FORBIDDEN);
    assert_eq!(
        msg(&mark(watcher.clone(), room1.clone(), first, "violation", " ").await),
        "ErrNoteRequired"
    );
    assert_eq!(
        mark(watcher.clone(), room1.clone(), first, "absent", "")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        mark(watcher.clone(), room1.clone(), first, "present", "")
            .await
            .status,
        StatusCode::OK
    );
    let (second, _, _) = rooms
        .iter()
        .map(|(_, r, a)| (*a, *r, ()))
        .find(|(a, _, _)| *a != first)
        .unwrap();
    assert_eq!(
        msg(&mark(watcher.clone(), room1.clone(), second, "present", "").await),
        "ErrNotSeatedHere"
    );
    let sheet = f
        .app
        .post(
            "/api/invigilation/room",
            &[("session_id", &session), ("room_id", &room1)],
            Some(&watcher),
        )
        .await
        .json();
    assert_eq!(sheet["rows"][0]["status"], "Present");
    assert_eq!(count(&pool, "attendance").await, 1);
    assert_eq!(
        count(&pool, "attendance_log").await,
        2,
        "every mark is kept"
    );
    let mine = f
        .app
        .post("/api/invigilation/mine", &[], Some(&watcher))
        .await
        .json();
    assert_eq!(mine[0]["marked"], 1);
    let _ = related;

    // Manual moves: never under a related invigilator, never over capacity; logged.
    let number: i32 =
        sqlx::query_scalar("select number from candidate_numbers where application_id = $1")
            .bind(first)
            .fetch_one(&pool)
            .await
            .unwrap();
    let relocate = |target: String| {
        let (app, hr, round) = (&f.app, f.hr.clone(), f.round.clone());
        async move {
            app.post(
                "/api/hr/move_candidate",
                &[
                    ("round_id", &round),
                    ("candidate_number", &format!("NA27-{number:05}")),
                    ("target", &target),
                    ("reason", "Sự cố máy tính, thi lại"),
                ],
                Some(&hr),
            )
            .await
        }
    };
    assert_eq!(
        msg(&relocate(format!("{session}:{room2}")).await),
        "ErrConflictOfInterest"
    );
    hr_post(
        &f,
        "/api/hr/add_room",
        &[
            ("round_id", &f.round),
            ("venue_id", &venue),
            ("name", "P.3"),
            ("capacity", "5"),
        ],
    )
    .await;
    let spare: Uuid = sqlx::query_scalar("select id from rooms where name = 'P.3'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let moved = relocate(format!("{session}:{spare}")).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.json(), 1);
    let logged: i64 =
        sqlx::query_scalar("select count(*) from audit_events where action = 'schedule.moved'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(logged, 1);
}

/// Decree 170/2025 Art 9.3: chuyên viên chính positions have no stage 1, so stage-1 sessions
/// seat only the candidates of positions that have one.
#[sqlx::test(migrations = "../migrations")]
async fn stage_1_seats_only_positions_that_have_a_stage_1_test(pool: PgPool) {
    let f = setup(&pool).await;
    sqlx::query(
        "update positions set rank = 'chuyen_vien_chinh', method = 'exam', stage1 = 'none'
         where id = $1",
    )
    .bind(f.positions[1])
    .execute(&pool)
    .await
    .unwrap();
    let (with_stage1, _) = candidate(&f, 1, "Nguyễn Văn An", f.positions[0]).await;
    candidate(&f, 2, "Trần Thị Bình", f.positions[1]).await;
    candidate(&f, 3, "Lê Văn Cường", f.positions[1]).await;
    let venue = venue_with_rooms(&f, &[("P.101", "30", true)]).await;
    let positions = [f.positions[0].to_string(), f.positions[1].to_string()];
    add_session(&f, "Ca 1", &venue, &[&positions[0], &positions[1]], true).await;
    let applied = allocate(&f, true).await;
    assert_eq!(applied["applied"], true, "{applied}");
    let seated: Vec<Uuid> = sqlx::query_scalar("select application_id from seats")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(seated, [with_stage1]);
}
