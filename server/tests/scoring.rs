//! Scoring through the real endpoints: the marking board and who may do what, anonymous
//! sheets, double marking and the chair's queue, concurrent edits, imports of marks and of
//! stage-1 results, clerks' double entry, the append-only audit, conflicts of interest, and
//! locking and decoding.

mod common;

use common::{refusal, staff, Staff};

use app::accounts::types::Role;
use app::server_support::Clock;
use common::{count, Reply, TestApp};
use http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2027-03-10 09:00 +7);

struct Fixture {
    app: Arc<TestApp>,
    pool: PgPool,
    hr: Staff,
    round: Uuid,
    /// KT-01: a written paper out of 100.
    written: Uuid,
    /// TH-01: a written paper (60%) and an interview panel (40%), each out of 100.
    combined: Uuid,
    /// The stage-1 and stage-2 sessions, both in one room.
    sessions: [Uuid; 2],
    room: Uuid,
}

/// A round in marking with two positions, a room and a session per stage, and the app whose
/// clock reads NOW.
async fn setup(pool: &PgPool) -> Fixture {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    let app = Arc::new(TestApp::with_clock(pool.clone(), Clock::fixed(NOW)));
    let hr = staff(&app, "ns@example.vn", &[Role::HrOfficer]).await;
    let (round, unit) = common::round_with_unit(pool, "marking").await;
    let mut positions = Vec::new();
    for (code, format, written_percent) in [
        ("KT-01", "written", None),
        ("TH-01", "combined", Some(60i16)),
    ] {
        let id: Uuid = sqlx::query_scalar(
            "insert into positions (round_id, code, title, min_degree, stage2_format,
                                    written_percent)
             values ($1, $2, 'Chuyên viên', 'bachelor', $3, $4) returning id",
        )
        .bind(round)
        .bind(code)
        .bind(format)
        .bind(written_percent)
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
    let venue: Uuid = sqlx::query_scalar(
        "insert into venues (round_id, name, address) values ($1, 'Trường Chính trị', 'Vinh')
         returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    let room: Uuid = sqlx::query_scalar(
        "insert into rooms (venue_id, name, capacity, computer) values ($1, 'P.101', 100, true)
         returning id",
    )
    .bind(venue)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut sessions = Vec::new();
    for (stage, starts_at) in [
        (1i16, datetime!(2027-01-20 07:30 +7)),
        (2, datetime!(2027-02-20 07:30 +7)),
    ] {
        let id: Uuid = sqlx::query_scalar(
            "insert into exam_sessions (round_id, stage, name, venue_id, starts_at,
                                        duration_minutes)
             values ($1, $2, 'Ca 1', $3, $4, 120) returning id",
        )
        .bind(round)
        .bind(stage)
        .bind(venue)
        .bind(starts_at)
        .fetch_one(pool)
        .await
        .unwrap();
        sessions.push(id);
    }
    Fixture {
        app,
        pool: pool.clone(),
        hr,
        round,
        written: positions[0],
        combined: positions[1],
        sessions: [sessions[0], sessions[1]],
        room,
    }
}

/// An eligible, fee-paid application with candidate number `n`, seated for both stages
/// (attendance is recorded separately).
async fn candidate(f: &Fixture, n: i32, name: &str, position: Uuid) -> Uuid {
    let id = common::numbered_candidate(
        &f.pool,
        f.round,
        position,
        n,
        name,
        time::macros::date!(1998 - 01 - 01),
    )
    .await;
    for (stage, session) in [(1i16, f.sessions[0]), (2, f.sessions[1])] {
        sqlx::query(
            "insert into seats (application_id, stage, session_id, room_id, seat)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(stage)
        .bind(session)
        .bind(f.room)
        .bind(n)
        .execute(&f.pool)
        .await
        .unwrap();
    }
    id
}

/// Records what the invigilator marked for a candidate at a stage.
async fn attend(f: &Fixture, application: Uuid, stage: i16, status: &str) {
    sqlx::query(
        "insert into attendance (application_id, stage, session_id, status, marked_by)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(application)
    .bind(stage)
    .bind(f.sessions[usize::from(stage == 2)])
    .bind(status)
    .bind(f.hr.id)
    .execute(&f.pool)
    .await
    .unwrap();
}

/// Candidates 1.. on `position`, each present at stage 2.
async fn present(f: &Fixture, names: &[&str], position: Uuid) -> Vec<Uuid> {
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let id = candidate(f, i as i32 + 1, name, position).await;
        attend(f, id, 2, "present").await;
        out.push(id);
    }
    out
}

async fn call(f: &Fixture, cookie: Option<&str>, endpoint: &str, form: &[(&str, &str)]) -> Reply {
    f.app
        .post(&format!("/api/marking/{endpoint}"), form, cookie)
        .await
}

/// A call whose only argument is the round.
async fn on_round(f: &Fixture, who: Option<&Staff>, endpoint: &str) -> Reply {
    let round = f.round.to_string();
    call(
        f,
        who.map(|w| w.cookie.as_str()),
        endpoint,
        &[("round_id", &round)],
    )
    .await
}

async fn upload(
    f: &Fixture,
    who: &Staff,
    endpoint: &str,
    fields: &[(&str, &str)],
    file: &str,
) -> Reply {
    f.app
        .post_multipart(
            &format!("/api/marking/{endpoint}"),
            fields,
            ("diem.csv", file.as_bytes()),
            Some(&who.cookie),
        )
        .await
}

fn refused_with(reply: &Reply) -> String {
    refusal(reply).1
}

/// The rows and messages of a refused import.
fn row_errors(reply: &Reply) -> Vec<(u64, String)> {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    reply.json()["Import"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("not an import refusal: {}", reply.body))
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["msg"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The mark and version of a save that went through.
fn saved(reply: &Reply) -> (u64, i64) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let outcome = reply.json();
    let saved = &outcome["Saved"];
    assert!(saved.is_object(), "not saved: {}", reply.body);
    (
        saved["mark"].as_u64().unwrap(),
        saved["version"].as_i64().unwrap(),
    )
}

/// Whose sheet: a position's part, and for a clerk the marker whose paper sheet it is.
#[derive(Clone, Copy)]
struct SheetOf {
    position: Uuid,
    part: &'static str,
    marker: Option<Uuid>,
}

fn own(position: Uuid, part: &'static str) -> SheetOf {
    SheetOf {
        position,
        part,
        marker: None,
    }
}

fn transcribing(marker: &Staff, position: Uuid, part: &'static str) -> SheetOf {
    SheetOf {
        position,
        part,
        marker: Some(marker.id),
    }
}

fn sheet_form(f: &Fixture, on: SheetOf) -> Vec<(&'static str, String)> {
    vec![
        ("round_id", f.round.to_string()),
        ("position", on.position.to_string()),
        ("part", on.part.to_string()),
        (
            "marker",
            on.marker.map(|m| m.to_string()).unwrap_or_default(),
        ),
    ]
}

fn borrowed<'a>(form: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn sheet(f: &Fixture, who: &Staff, on: SheetOf) -> Reply {
    let form = sheet_form(f, on);
    call(f, Some(&who.cookie), "sheet", &borrowed(&form)).await
}

async fn enter(
    f: &Fixture,
    who: &Staff,
    on: SheetOf,
    code: &str,
    mark: &str,
    version: i32,
) -> Reply {
    let mut form = sheet_form(f, on);
    form.push(("code", code.to_string()));
    form.push(("mark", mark.to_string()));
    form.push(("version", version.to_string()));
    call(f, Some(&who.cookie), "enter", &borrowed(&form)).await
}

/// The rows of a sheet as (code, mark, version).
fn rows(sheet: &Value) -> Vec<(String, Option<u64>, i64)> {
    sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["mark"].as_u64(),
                r["version"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn row_mark(sheet: &Value, code: &str) -> Option<u64> {
    rows(sheet)
        .into_iter()
        .find(|r| r.0 == code)
        .unwrap_or_else(|| panic!("{code} is not on the sheet"))
        .1
}

async fn decide(
    f: &Fixture,
    who: &Staff,
    paper: Uuid,
    mark: &str,
    reason: &str,
    version: i32,
) -> Reply {
    let (round, paper, version) = (f.round.to_string(), paper.to_string(), version.to_string());
    call(
        f,
        Some(&who.cookie),
        "decide",
        &[
            ("round_id", &round),
            ("paper_id", &paper),
            ("mark", mark),
            ("reason", reason),
            ("version", &version),
        ],
    )
    .await
}

async fn paper_history(f: &Fixture, cookie: Option<&str>, paper: Uuid) -> Reply {
    call(f, cookie, "paper", &[("paper_id", &paper.to_string())]).await
}

/// Puts an account on the board with a duty (as HR).
async fn add_member(f: &Fixture, who: &Staff, duty: &str) -> Reply {
    let round = f.round.to_string();
    call(
        f,
        Some(&f.hr.cookie),
        "add_member",
        &[("round_id", &round), ("email", &who.email), ("duty", duty)],
    )
    .await
}

async fn assign(f: &Fixture, who: &Staff, position: Uuid, part: &str) -> Reply {
    let (round, user, position) = (
        f.round.to_string(),
        who.id.to_string(),
        position.to_string(),
    );
    call(
        f,
        Some(&f.hr.cookie),
        "assign",
        &[
            ("round_id", &round),
            ("user_id", &user),
            ("position_id", &position),
            ("part", part),
        ],
    )
    .await
}

/// The board's chair.
async fn chair(f: &Fixture) -> Staff {
    let chair = staff(&f.app, "ct@example.vn", &[Role::BoardChair]).await;
    assert_eq!(add_member(f, &chair, "chair").await.status, StatusCode::OK);
    chair
}

/// Marker `n` on the board, marking the given (position, part)s.
async fn marker(f: &Fixture, n: usize, parts: &[(Uuid, &str)]) -> Staff {
    let marker = staff(&f.app, &format!("gk{n}@example.vn"), &[Role::Marker]).await;
    let added = add_member(f, &marker, "marker").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    for (position, part) in parts {
        let assigned = assign(f, &marker, *position, part).await;
        assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    }
    marker
}

async fn start(f: &Fixture) -> u64 {
    let started = on_round(f, Some(&f.hr), "start").await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    started.json().as_u64().unwrap()
}

/// A candidate's paper for a part: (paper, code).
async fn paper_of(pool: &PgPool, application: Uuid, part: &str) -> (Uuid, String) {
    sqlx::query_as(
        "select p.id, p.code from papers p join paper_identities i on i.paper_id = p.id
         where i.application_id = $1 and i.part = $2",
    )
    .bind(application)
    .bind(part)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The papers one marker marks in a position's part, by code.
async fn papers_of(pool: &PgPool, marker: Uuid, position: Uuid, part: &str) -> Vec<(Uuid, String)> {
    sqlx::query_as(
        "select p.id, p.code from papers p join paper_markers pm on pm.paper_id = p.id
         where pm.marker_id = $1 and p.position_id = $2 and p.part = $3 order by p.code",
    )
    .bind(marker)
    .bind(position)
    .bind(part)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn markers_of(pool: &PgPool, paper: Uuid) -> Vec<Uuid> {
    sqlx::query_scalar("select marker_id from paper_markers where paper_id = $1 order by slot")
        .bind(paper)
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn mark_of(pool: &PgPool, paper: Uuid, marker: Uuid) -> Option<i32> {
    sqlx::query_scalar("select mark from marks where paper_id = $1 and marker_id = $2")
        .bind(paper)
        .bind(marker)
        .fetch_optional(pool)
        .await
        .unwrap()
}

/// The audit actions of one paper (and marker), oldest first.
async fn audit_actions(pool: &PgPool, paper: Uuid, marker: Option<Uuid>) -> Vec<String> {
    sqlx::query_scalar(
        "select action from mark_audit
         where paper_id = $1 and ($2::uuid is null or marker_id = $2) order by id",
    )
    .bind(paper)
    .bind(marker)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_board_takes_only_accounts_with_the_matching_role(pool: PgPool) {
    let f = setup(&pool).await;
    let chair = chair(&f).await;
    let marker_only = staff(&f.app, "gk@example.vn", &[Role::Marker]).await;
    let chair_only = staff(&f.app, "ct2@example.vn", &[Role::BoardChair]).await;
    let hr_clerk = staff(&f.app, "ns2@example.vn", &[Role::HrOfficer]).await;
    assert_eq!(
        refusal(&add_member(&f, &marker_only, "chair").await),
        ("email".to_string(), "ErrDutyNeedsRole".to_string())
    );
    assert_eq!(
        refused_with(&add_member(&f, &chair_only, "clerk").await),
        "ErrDutyNeedsRole"
    );
    assert_eq!(
        refused_with(&add_member(&f, &hr_clerk, "marker").await),
        "ErrDutyNeedsRole"
    );
    let nobody = Staff {
        id: Uuid::nil(),
        email: "khongco@example.vn".to_string(),
        cookie: String::new(),
    };
    assert_eq!(
        refused_with(&add_member(&f, &nobody, "marker").await),
        "ErrNotABoardMember"
    );
    for (who, duty) in [
        (&chair_only, "marker"),
        (&marker_only, "marker"),
        (&marker_only, "clerk"),
        (&hr_clerk, "clerk"),
    ] {
        let added = add_member(&f, who, duty).await;
        assert_eq!(added.status, StatusCode::OK, "{duty}: {}", added.body);
    }
    assert_eq!(
        refused_with(&add_member(&f, &marker_only, "marker").await),
        "ErrAssignmentTaken"
    );
    // Only markers get papers, and only parts the position has.
    assert_eq!(
        refusal(&assign(&f, &hr_clerk, f.written, "written").await),
        ("user_id".to_string(), "ErrNotABoardMember".to_string())
    );
    assert_eq!(
        refusal(&assign(&f, &marker_only, f.written, "panel").await).0,
        "part"
    );
    assert_eq!(
        assign(&f, &marker_only, f.written, "written").await.status,
        StatusCode::OK
    );
    assert_eq!(
        assign(&f, &marker_only, f.combined, "panel").await.status,
        StatusCode::OK
    );
    assert_eq!(
        refused_with(&assign(&f, &marker_only, f.written, "written").await),
        "ErrAssignmentTaken"
    );
    assert_eq!(count(&pool, "board_members").await, 5);
    assert_eq!(count(&pool, "marker_assignments").await, 2);

    // HR sets the board up; the chair sees it and may not change it.
    let view = on_round(&f, Some(&f.hr), "board").await.json();
    assert_eq!(view["members"].as_array().unwrap().len(), 5);
    assert_eq!(view["assignments"].as_array().unwrap().len(), 2);
    assert_eq!(
        (view["can_edit"].as_bool(), view["is_chair"].as_bool()),
        (Some(true), Some(false))
    );
    let view = on_round(&f, Some(&chair), "board").await.json();
    assert_eq!(
        (view["can_edit"].as_bool(), view["is_chair"].as_bool()),
        (Some(false), Some(true))
    );
    let round = f.round.to_string();
    let by_chair = call(
        &f,
        Some(&chair.cookie),
        "add_member",
        &[
            ("round_id", &round),
            ("email", "ct2@example.vn"),
            ("duty", "chair"),
        ],
    )
    .await;
    assert_eq!(by_chair.status, StatusCode::FORBIDDEN);
    assert_eq!(
        on_round(&f, Some(&marker_only), "board").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count(&pool, "board_members").await, 5);
}

#[sqlx::test(migrations = "../migrations")]
async fn markers_see_anonymous_codes_and_only_their_own_marks(pool: PgPool) {
    let f = setup(&pool).await;
    let names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"];
    let candidates = present(&f, &names, f.written).await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    let b = marker(&f, 2, &written).await;
    let c = marker(&f, 3, &written).await;
    assert_eq!(start(&f).await, 3);
    // Every paper gets two different markers; the three share six markings evenly.
    for candidate in &candidates {
        let (paper, code) = paper_of(&pool, *candidate, "written").await;
        let markers = markers_of(&pool, paper).await;
        assert_eq!(markers.len(), 2);
        assert_ne!(markers[0], markers[1]);
        assert_eq!(code.len(), 6);
    }
    for m in [&a, &b, &c] {
        assert_eq!(papers_of(&pool, m.id, f.written, "written").await.len(), 2);
    }

    let on = own(f.written, "written");
    let reply = sheet(&f, &a, on).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    for name in names {
        assert!(!reply.body.contains(name), "{name} on a marker's sheet");
    }
    for candidate in &candidates {
        assert!(!reply.body.contains(&candidate.to_string()));
    }
    assert!(!reply.body.contains("NA27-"), "no candidate numbers");
    let mine: Vec<String> = papers_of(&pool, a.id, f.written, "written")
        .await
        .into_iter()
        .map(|p| p.1)
        .collect();
    let shown = reply.json();
    assert_eq!(
        rows(&shown).into_iter().map(|r| r.0).collect::<Vec<_>>(),
        mine
    );
    for row in shown["rows"].as_array().unwrap() {
        let mut keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["code", "mark", "version"]);
    }

    // A and B mark the same paper; each sees only their own mark.
    let theirs: Vec<String> = papers_of(&pool, b.id, f.written, "written")
        .await
        .into_iter()
        .map(|p| p.1)
        .collect();
    let shared = mine.iter().find(|code| theirs.contains(code)).unwrap();
    assert_eq!(saved(&enter(&f, &a, on, shared, "60", 0).await), (6000, 1));
    let b_sheet = sheet(&f, &b, on).await.json();
    assert_eq!(row_mark(&b_sheet, shared), None);
    assert_eq!(
        rows(&b_sheet)
            .into_iter()
            .find(|r| &r.0 == shared)
            .unwrap()
            .2,
        0
    );
    assert_eq!(
        saved(&enter(&f, &b, on, shared, "65,5", 0).await),
        (6550, 1)
    );
    let (a_rows, b_rows) = (
        rows(&sheet(&f, &a, on).await.json()),
        rows(&sheet(&f, &b, on).await.json()),
    );
    let marks_of = |rows: &[(String, Option<u64>, i64)]| {
        rows.iter().map(|r| (r.0.clone(), r.1)).collect::<Vec<_>>()
    };
    let expect = |codes: &[String], mark: u64| {
        codes
            .iter()
            .map(|c| (c.clone(), (c == shared).then_some(mark)))
            .collect::<Vec<_>>()
    };
    assert_eq!(marks_of(&a_rows), expect(&mine, 6000));
    assert_eq!(marks_of(&b_rows), expect(&theirs, 6550));

    // Their home lists their own sheet, with no one else's.
    let home = call(&f, Some(&a.cookie), "mine", &[]).await.json();
    assert_eq!(home["own"].as_array().unwrap().len(), 1);
    assert_eq!(
        (
            home["own"][0]["papers"].as_i64(),
            home["own"][0]["entered"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(home["transcribe"], json!([]));
    for name in names {
        assert!(!serde_json::to_string(&home).unwrap().contains(name));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn marking_is_refused_outside_ones_own_papers(pool: PgPool) {
    let f = setup(&pool).await;
    present(
        &f,
        &["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
        f.written,
    )
    .await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    let b = marker(&f, 2, &written).await;
    marker(&f, 3, &written).await;
    let chair = chair(&f).await;
    start(&f).await;
    let on = own(f.written, "written");
    let mine: Vec<Uuid> = papers_of(&pool, a.id, f.written, "written")
        .await
        .into_iter()
        .map(|p| p.0)
        .collect();
    let (_, not_mine): (Uuid, String) =
        sqlx::query_as("select id, code from papers where not (id = any($1))")
            .bind(&mine)
            .fetch_one(&pool)
            .await
            .unwrap();
    let audit_before = count(&pool, "mark_audit").await;

    // Someone else's code, typed in A's sheet: refused on the code, nothing written.
    assert_eq!(
        refusal(&enter(&f, &a, on, &not_mine, "60", 0).await),
        ("code".to_string(), "ErrCodeNotOnSheet".to_string())
    );
    assert_eq!(
        refused_with(&enter(&f, &a, on, "ZZZZZZ", "60", 0).await),
        "ErrCodeNotOnSheet"
    );
    // Another position's sheet, and another marker's sheet, are not A's.
    assert_eq!(
        sheet(&f, &a, own(f.combined, "written")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        refused_with(&enter(&f, &a, own(f.combined, "written"), &not_mine, "60", 0).await),
        "ErrCodeNotOnSheet"
    );
    let bs = transcribing(&b, f.written, "written");
    assert_eq!(sheet(&f, &a, bs).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        enter(&f, &a, bs, &not_mine, "60", 0).await.status,
        StatusCode::FORBIDDEN
    );

    // Staff off the board, applicants and strangers get nothing.
    let outsider = staff(&f.app, "khac@example.vn", &[Role::Marker]).await;
    let applicant_cookie = f
        .app
        .register("ungvien@example.vn", "mật khẩu thí sinh 2026")
        .await;
    let applicant = Staff {
        id: Uuid::nil(),
        email: "ungvien@example.vn".to_string(),
        cookie: applicant_cookie,
    };
    for who in [&outsider, &applicant] {
        assert_eq!(sheet(&f, who, on).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            enter(&f, who, on, &not_mine, "60", 0).await.status,
            StatusCode::FORBIDDEN
        );
        for endpoint in ["chair", "board", "start", "lock", "decode", "lock_stage1"] {
            assert_eq!(
                on_round(&f, Some(who), endpoint).await.status,
                StatusCode::FORBIDDEN,
                "{endpoint}"
            );
        }
    }
    assert_eq!(
        call(&f, Some(&applicant.cookie), "mine", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let round = f.round.to_string();
    let position = f.written.to_string();
    let anonymous = [
        call(
            &f,
            None,
            "sheet",
            &[
                ("round_id", &round),
                ("position", &position),
                ("part", "written"),
            ],
        )
        .await,
        call(
            &f,
            None,
            "enter",
            &[
                ("round_id", &round),
                ("position", &position),
                ("part", "written"),
                ("code", &not_mine),
                ("mark", "60"),
            ],
        )
        .await,
        on_round(&f, None, "chair").await,
        on_round(&f, None, "board").await,
        call(&f, None, "mine", &[]).await,
        paper_history(&f, None, mine[0]).await,
    ];
    for reply in &anonymous {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    }
    // A marker does not run the board, and HR does not do the chair's work.
    for endpoint in ["chair", "board", "start", "lock", "decode", "lock_stage1"] {
        assert_eq!(
            on_round(&f, Some(&a), endpoint).await.status,
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }
    let by_marker = call(
        &f,
        Some(&a.cookie),
        "add_member",
        &[
            ("round_id", &round),
            ("email", &outsider.email),
            ("duty", "marker"),
        ],
    )
    .await;
    assert_eq!(by_marker.status, StatusCode::FORBIDDEN);
    for endpoint in ["lock", "decode", "lock_stage1"] {
        assert_eq!(
            on_round(&f, Some(&f.hr), endpoint).await.status,
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }
    assert_eq!(
        decide(&f, &f.hr, mine[0], "60", "lý do", 0).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        on_round(&f, Some(&chair), "chair").await.status,
        StatusCode::OK
    );
    assert_eq!(count(&pool, "marks").await, 0);
    assert_eq!(count(&pool, "mark_audit").await, audit_before);
}

#[sqlx::test(migrations = "../migrations")]
async fn double_marks_agree_within_tolerance_and_the_edge_goes_to_the_chair(pool: PgPool) {
    let f = setup(&pool).await;
    let candidates = present(
        &f,
        &["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
        f.written,
    )
    .await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    let b = marker(&f, 2, &written).await;
    let chair = chair(&f).await;
    start(&f).await;
    let on = own(f.written, "written");
    let mut papers = Vec::new();
    for candidate in &candidates {
        papers.push(paper_of(&pool, *candidate, "written").await);
    }
    let [(p1, c1), (p2, c2), (_, c3)] = [papers[0].clone(), papers[1].clone(), papers[2].clone()];
    // 60 and 65,25 are 5,25 apart: agreed. 60 and 70 are exactly 10% of 100 apart: the chair.
    saved(&enter(&f, &a, on, &c1, "60", 0).await);
    saved(&enter(&f, &b, on, &c1, "65,25", 0).await);
    saved(&enter(&f, &a, on, &c2, "60", 0).await);
    saved(&enter(&f, &b, on, &c2, "70", 0).await);
    saved(&enter(&f, &a, on, &c3, "80", 0).await);

    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(view["rule"]["Tolerance"], 10);
    let queue = view["papers"].as_array().unwrap();
    assert_eq!(queue.len(), 1, "{view}");
    assert_eq!(queue[0]["paper_id"], p2.to_string());
    assert_eq!(
        (
            queue[0]["first"].as_u64(),
            queue[0]["second"].as_u64(),
            queue[0]["difference"].as_u64()
        ),
        (Some(6000), Some(7000), Some(1000))
    );
    assert_eq!(queue[0]["decision"], Value::Null);
    assert_eq!(view["can_lock"], false);
    assert_eq!(
        (
            view["progress"][0]["papers"].as_i64(),
            view["progress"][0]["complete"].as_i64(),
            view["progress"][0]["to_chair"].as_i64()
        ),
        (Some(3), Some(1), Some(1))
    );
    // Nothing locks while a paper awaits the chair or a mark.
    assert_eq!(
        refused_with(&on_round(&f, Some(&chair), "lock").await),
        "ErrLockBlocked"
    );

    // The chair decides disputed papers only, always with a reason.
    assert_eq!(
        refused_with(&decide(&f, &chair, p1, "62", "Không cần", 0).await),
        "ErrNotToChair"
    );
    assert_eq!(
        refusal(&decide(&f, &chair, p2, "66", "  ", 0).await),
        ("reason".to_string(), "ErrReasonRequired".to_string())
    );
    assert_eq!(count(&pool, "chair_decisions").await, 0);
    let reason = "Hai lần chấm lệch 10 điểm; đã chấm lại";
    assert_eq!(
        saved(&decide(&f, &chair, p2, "66", reason, 0).await),
        (6600, 1)
    );
    let stale = decide(&f, &chair, p2, "67", reason, 0).await;
    assert_eq!(
        stale.json(),
        json!({ "Conflict": { "current": 6600, "version": 1 } })
    );
    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(view["papers"][0]["decision"], 6600);
    assert_eq!(view["papers"][0]["reason"], reason);
    assert_eq!(view["progress"][0]["to_chair"], 0);
    assert_eq!(view["can_lock"], false, "one paper still lacks a mark");
    assert_eq!(
        refused_with(&on_round(&f, Some(&chair), "lock").await),
        "ErrLockBlocked"
    );
    assert!(sqlx::query_scalar::<_, Option<OffsetDateTime>>(
        "select locked_at from marking_stages where stage = 2"
    )
    .fetch_one(&pool)
    .await
    .unwrap()
    .is_none());

    saved(&enter(&f, &b, on, &c3, "80", 0).await);
    assert_eq!(
        on_round(&f, Some(&chair), "chair").await.json()["can_lock"],
        true
    );
    let locked = on_round(&f, Some(&chair), "lock").await;
    assert_eq!(locked.status, StatusCode::OK, "{}", locked.body);

    // Locked: no mark changes through the app, nor straight in the database.
    assert_eq!(
        refused_with(&enter(&f, &a, on, &c1, "61", 1).await),
        "ErrMarkingLocked"
    );
    assert_eq!(
        refused_with(&decide(&f, &chair, p2, "67", reason, 1).await),
        "ErrMarkingLocked"
    );
    assert_eq!(mark_of(&pool, p1, a.id).await, Some(6000));
    let direct = sqlx::query("update marks set mark = 0 where paper_id = $1")
        .bind(p1)
        .execute(&pool)
        .await;
    assert!(
        direct.unwrap_err().to_string().contains("locked"),
        "the database refuses"
    );
    assert!(sqlx::query("delete from marks")
        .execute(&pool)
        .await
        .is_err());
    assert!(sqlx::query("update chair_decisions set mark = 0")
        .execute(&pool)
        .await
        .is_err());
    assert_eq!(mark_of(&pool, p1, a.id).await, Some(6000));
    assert_eq!(count(&pool, "marks").await, 6);
    let sheet_now = sheet(&f, &a, on).await.json();
    assert_eq!(sheet_now["locked"], true);
    assert_eq!(row_mark(&sheet_now, &c1), Some(6000));

    // Decoded, the agreed paper has the average rounded half up (62,625 → 62,63).
    let decoded = on_round(&f, Some(&chair), "decode").await;
    assert_eq!(decoded.json(), 3);
    let scores: Vec<(Uuid, Option<i32>, i32)> =
        sqlx::query_as("select application_id, written, score from stage2_scores")
            .fetch_all(&pool)
            .await
            .unwrap();
    let score_of = |id: Uuid| scores.iter().find(|s| s.0 == id).map(|s| (s.1, s.2));
    assert_eq!(score_of(candidates[0]), Some((Some(6263), 6263)));
    assert_eq!(score_of(candidates[1]), Some((Some(6600), 6600)));
    assert_eq!(score_of(candidates[2]), Some((Some(8000), 8000)));
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_edits_of_one_mark_save_once_and_the_rest_see_the_winner(pool: PgPool) {
    let f = setup(&pool).await;
    let candidates = present(&f, &["Nguyễn Văn An"], f.written).await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    marker(&f, 2, &written).await;
    start(&f).await;
    let (paper, code) = paper_of(&pool, candidates[0], "written").await;
    const TYPISTS: usize = 20;

    // Twenty saves of the same mark at once, all based on the same version (0, then 1), each
    // with a different value.
    for (round_no, version, base) in [(1, 0, 5000u32), (2, 1, 7000)] {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..TYPISTS {
            let app = Arc::clone(&f.app);
            let mut form = sheet_form(&f, own(f.written, "written"));
            let hundredths = base + 25 * i as u32;
            form.push(("code", code.clone()));
            form.push((
                "mark",
                format!("{},{:02}", hundredths / 100, hundredths % 100),
            ));
            form.push(("version", version.to_string()));
            let cookie = a.cookie.clone();
            tasks.spawn(async move {
                app.post("/api/marking/enter", &borrowed(&form), Some(&cookie))
                    .await
            });
        }
        let replies = tasks.join_all().await;
        let stored: (i32, i32) = sqlx::query_as(
            "select mark, version from marks where paper_id = $1 and marker_id = $2",
        )
        .bind(paper)
        .bind(a.id)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(stored.1, round_no);
        let mut winners = 0;
        for reply in &replies {
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let outcome = reply.json();
            if let Some(won) = outcome.get("Saved") {
                winners += 1;
                assert_eq!(won, &json!({ "mark": stored.0, "version": stored.1 }));
            } else {
                assert_eq!(
                    outcome,
                    json!({ "Conflict": { "current": stored.0, "version": stored.1 } }),
                    "a loser is told the value that won"
                );
            }
        }
        assert_eq!(winners, 1, "exactly one save of {TYPISTS}");
        let audited = audit_actions(&pool, paper, Some(a.id)).await;
        assert_eq!(audited.len(), round_no as usize, "{audited:?}");
    }
    assert_eq!(
        audit_actions(&pool, paper, Some(a.id)).await,
        ["entered", "changed"]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_mark_file_with_any_bad_row_changes_nothing(pool: PgPool) {
    let f = setup(&pool).await;
    present(
        &f,
        &["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
        f.written,
    )
    .await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    marker(&f, 2, &written).await;
    marker(&f, 3, &written).await;
    start(&f).await;
    let mine: Vec<String> = papers_of(&pool, a.id, f.written, "written")
        .await
        .into_iter()
        .map(|p| p.1)
        .collect();
    let others: String = sqlx::query_scalar("select code from papers where not (code = any($1))")
        .bind(&mine)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (round, position) = (f.round.to_string(), f.written.to_string());
    let fields = [
        ("round_id", round.as_str()),
        ("position", &position),
        ("part", "written"),
    ];
    let before = (
        count(&pool, "marks").await,
        count(&pool, "mark_audit").await,
    );

    // A step of 0,3, a mark over 100, a code twice: every row named, nothing saved.
    let bad = format!(
        "Mã phách;Điểm\n{m0};60\n{m1};7,3\nABCDEF;101\n{m0};50\n",
        m0 = mine[0],
        m1 = mine[1],
    );
    assert_eq!(
        row_errors(&upload(&f, &a, "import", &fields, &bad).await),
        [
            (3, "ErrMarkStep".to_string()),
            (4, "ErrMarkRange".to_string()),
            (5, "ErrDuplicateInFile".to_string()),
        ]
    );
    // Well-formed marks but codes not on A's sheet: someone else's paper, a made-up code.
    let foreign = format!("Mã phách,Điểm\n{},60\n{others},70\nZZZZZZ,50\n", mine[0]);
    assert_eq!(
        row_errors(&upload(&f, &a, "import", &fields, &foreign).await),
        [
            (3, "ErrCodeNotOnSheet".to_string()),
            (4, "ErrCodeNotOnSheet".to_string()),
        ]
    );
    assert_eq!(
        (
            count(&pool, "marks").await,
            count(&pool, "mark_audit").await
        ),
        before
    );
    // Someone who is not on the board imports nothing either.
    let outsider = staff(&f.app, "khac@example.vn", &[Role::Marker]).await;
    let good = format!(
        "Mã phách;Điểm\n{};60\n{};72,5\n",
        mine[0].to_lowercase(),
        mine[1]
    );
    assert_eq!(
        upload(&f, &outsider, "import", &fields, &good).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count(&pool, "marks").await, 0);

    let imported = upload(&f, &a, "import", &fields, &good).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert_eq!(imported.json(), 2);
    let sheet_now = sheet(&f, &a, own(f.written, "written")).await.json();
    assert_eq!(row_mark(&sheet_now, &mine[0]), Some(6000));
    assert_eq!(row_mark(&sheet_now, &mine[1]), Some(7250));
    let audited: Vec<(String, Option<String>)> = sqlx::query_as(
        "select action, reason from mark_audit where paper_id is not null order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        vec![("imported".to_string(), Some("diem.csv".to_string())); 2]
    );

    // The same sheet again with one mark changed: only the change is written and audited.
    let again = format!("Mã phách,Điểm\n{},60\n{},80\n", mine[0], mine[1]);
    let reimported = upload(&f, &a, "import", &fields, &again).await;
    assert_eq!(reimported.status, StatusCode::OK, "{}", reimported.body);
    let sheet_now = sheet(&f, &a, own(f.written, "written")).await.json();
    assert_eq!(row_mark(&sheet_now, &mine[0]), Some(6000));
    assert_eq!(row_mark(&sheet_now, &mine[1]), Some(8000));
    let audited: Vec<(String, Option<i32>, Option<i32>)> = sqlx::query_as(
        "select action, old_mark, new_mark from mark_audit where paper_id is not null order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audited.len(), 3);
    assert_eq!(audited[2], ("imported".to_string(), Some(7250), Some(8000)));
    let versions: Vec<i32> = sqlx::query_scalar("select version from marks order by version")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(versions, [1, 2]);
}

#[sqlx::test(migrations = "../migrations")]
async fn stage_one_results_are_imported_whole_until_the_chair_locks_them(pool: PgPool) {
    let f = setup(&pool).await;
    let mut candidates = Vec::new();
    for (n, name, status) in [
        (1, "Nguyễn Văn An", "present"),
        (2, "Trần Thị Bình", "present"),
        (3, "Lê Văn Cường", "present"),
        (4, "Phạm Thị Dung", "absent"),
    ] {
        let id = candidate(&f, n, name, f.written).await;
        attend(&f, id, 1, status).await;
        candidates.push(id);
    }
    let chair = chair(&f).await;
    let round = f.round.to_string();
    let fields = [("round_id", round.as_str())];
    let header = "Số báo danh,Số câu,Số câu đúng\n";

    let refused = [
        (
            format!("{header}NA27-00001,60,30\nNA27-00002,60,61\n"),
            (3, "ErrCorrectOverQuestions"),
        ),
        (
            format!("{header}NA27-00001,60,30\nNA27-00004,60,40\n"),
            (3, "ErrAbsentNoResult"),
        ),
        (
            format!("{header}NA27-00099,60,30\nNA27-00001,60,30\n"),
            (2, "ErrCandidateNumberUnknown"),
        ),
    ];
    for (file, (row, msg)) in &refused {
        assert_eq!(
            row_errors(&upload(&f, &f.hr, "import_stage1", &fields, file).await),
            [(*row, msg.to_string())],
            "{file}"
        );
    }
    assert_eq!(count(&pool, "stage1_results").await, 0);
    assert_eq!(count(&pool, "mark_audit").await, 0);

    // Only HR imports.
    let good = format!("{header}NA27-00001,60,30\nna27-00002,60,29\nNA27-00003,60,45\n");
    assert_eq!(
        upload(&f, &chair, "import_stage1", &fields, &good)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let imported = upload(&f, &f.hr, "import_stage1", &fields, &good).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert_eq!(imported.json(), json!({ "imported": 3, "passed": 2 }));
    // Half of the questions right passes (30 of 60); one fewer does not.
    let passed: Vec<(Uuid, bool)> =
        sqlx::query_as("select application_id, passed from stage1_results")
            .fetch_all(&pool)
            .await
            .unwrap();
    let passed_of = |id: Uuid| passed.iter().find(|p| p.0 == id).map(|p| p.1);
    assert_eq!(
        candidates.iter().map(|c| passed_of(*c)).collect::<Vec<_>>(),
        [Some(true), Some(false), Some(true), None]
    );
    let board = on_round(&f, Some(&f.hr), "board").await.json();
    assert_eq!(
        board["stage1"],
        json!({ "results": 3, "passed": 2, "present_without_result": 0, "locked_at": null })
    );

    // The chair locks; the results stand.
    assert_eq!(
        on_round(&f, Some(&f.hr), "lock_stage1").await.status,
        StatusCode::FORBIDDEN
    );
    let locked = on_round(&f, Some(&chair), "lock_stage1").await;
    assert_eq!(locked.status, StatusCode::OK, "{}", locked.body);
    assert_eq!(
        refused_with(&on_round(&f, Some(&chair), "lock_stage1").await),
        "ErrStage1Locked"
    );
    let again = format!("{header}NA27-00002,60,31\n");
    assert_eq!(
        refusal(&upload(&f, &f.hr, "import_stage1", &fields, &again).await),
        ("file".to_string(), "ErrStage1Locked".to_string())
    );
    let still: bool =
        sqlx::query_scalar("select passed from stage1_results where application_id = $1")
            .bind(candidates[1])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!still);
    assert_eq!(count(&pool, "stage1_results").await, 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_clerks_type_a_paper_sheet_blind_and_the_chair_settles_differences(pool: PgPool) {
    let f = setup(&pool).await;
    let candidates = present(&f, &["Nguyễn Văn An", "Trần Thị Bình"], f.written).await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    let b = marker(&f, 2, &written).await;
    let chair = chair(&f).await;
    let k1 = staff(&f.app, "tk1@example.vn", &[Role::Marker]).await;
    let k2 = staff(&f.app, "tk2@example.vn", &[Role::HrOfficer]).await;
    let k3 = staff(&f.app, "tk3@example.vn", &[Role::Marker]).await;
    for k in [&k1, &k2, &k3] {
        assert_eq!(add_member(&f, k, "clerk").await.status, StatusCode::OK);
    }
    start(&f).await;
    let (p1, c1) = paper_of(&pool, candidates[0], "written").await;
    let (p2, c2) = paper_of(&pool, candidates[1], "written").await;
    let on = transcribing(&a, f.written, "written");

    let first = sheet(&f, &k1, on).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let first = first.json();
    assert_eq!(first["transcribing"], true);
    assert_eq!(rows(&first).len(), 2);
    assert!(rows(&first).iter().all(|r| r.1.is_none()));
    let home = call(&f, Some(&k1.cookie), "mine", &[]).await.json();
    assert_eq!(
        home["transcribe"].as_array().unwrap().len(),
        2,
        "A's and B's sheets"
    );
    assert_eq!(home["own"], json!([]));

    // Equal entries: the mark is recorded.
    saved(&enter(&f, &k1, on, &c1, "60", 0).await);
    assert_eq!(
        mark_of(&pool, p1, a.id).await,
        None,
        "one entry is not enough"
    );
    assert_eq!(
        row_mark(&sheet(&f, &k2, on).await.json(), &c1),
        None,
        "blind"
    );
    saved(&enter(&f, &k2, on, &c1, "60", 0).await);
    assert_eq!(mark_of(&pool, p1, a.id).await, Some(6000));
    assert_eq!(
        audit_actions(&pool, p1, Some(a.id)).await,
        ["sheet_entry_1", "sheet_entry_2", "transcribed"]
    );
    // Different entries: no mark; each clerk sees only their own.
    saved(&enter(&f, &k1, on, &c2, "70", 0).await);
    saved(&enter(&f, &k2, on, &c2, "72", 0).await);
    assert_eq!(mark_of(&pool, p2, a.id).await, None);
    assert_eq!(row_mark(&sheet(&f, &k1, on).await.json(), &c2), Some(7000));
    assert_eq!(row_mark(&sheet(&f, &k2, on).await.json(), &c2), Some(7200));
    // A third clerk has no place on this sheet.
    assert_eq!(
        refused_with(&enter(&f, &k3, on, &c1, "60", 0).await),
        "ErrSheetEnteredTwice"
    );
    assert_eq!(count(&pool, "sheet_entries").await, 4);
    // The marker's own sheet shows the recorded mark only.
    let a_sheet = sheet(&f, &a, own(f.written, "written")).await.json();
    assert_eq!(
        (row_mark(&a_sheet, &c1), row_mark(&a_sheet, &c2)),
        (Some(6000), None)
    );
    // Another marker is no clerk.
    assert_eq!(sheet(&f, &b, on).await.status, StatusCode::FORBIDDEN);

    // B marks directly, close to A's marks.
    let b_on = own(f.written, "written");
    saved(&enter(&f, &b, b_on, &c1, "62", 0).await);
    saved(&enter(&f, &b, b_on, &c2, "71", 0).await);

    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(
        view["mismatches"],
        json!([{
            "paper_id": p2, "code": c2, "position_code": "KT-01", "marker_id": a.id,
            "marker_name": "Cán Bộ Thử", "first": 7000, "second": 7200, "entered": null
        }])
    );
    assert_eq!(view["progress"][0]["mismatches"], 1);
    assert_eq!(view["can_lock"], false);
    assert_eq!(
        refused_with(&on_round(&f, Some(&chair), "lock").await),
        "ErrLockBlocked"
    );

    let resolve = |paper: Uuid, mark: &'static str| {
        let form = [
            ("round_id", f.round.to_string()),
            ("paper_id", paper.to_string()),
            ("marker_id", a.id.to_string()),
            ("mark", mark.to_string()),
            ("reason", "Đối chiếu phiếu chấm giấy".to_string()),
        ];
        let (f, cookie) = (&f, chair.cookie.clone());
        async move { call(f, Some(&cookie), "resolve", &borrowed(&form)).await }
    };
    assert_eq!(refused_with(&resolve(p1, "60").await), "ErrNoMismatch");
    let resolved = resolve(p2, "72").await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    assert_eq!(mark_of(&pool, p2, a.id).await, Some(7200));
    let entries: Vec<i32> = sqlx::query_scalar(
        "select mark from sheet_entries where paper_id = $1 and marker_id = $2 order by entry",
    )
    .bind(p2)
    .bind(a.id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(entries, [7200, 7200]);
    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(view["mismatches"], json!([]));
    assert_eq!(view["can_lock"], true);
    assert_eq!(
        on_round(&f, Some(&chair), "lock").await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_mark_is_audited_and_the_audit_cannot_be_changed(pool: PgPool) {
    let f = setup(&pool).await;
    let candidates = present(&f, &["Nguyễn Văn An"], f.written).await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    let b = marker(&f, 2, &written).await;
    let chair = chair(&f).await;
    start(&f).await;
    let on = own(f.written, "written");
    let (paper, code) = paper_of(&pool, candidates[0], "written").await;
    saved(&enter(&f, &a, on, &code, "60", 0).await);
    saved(&enter(&f, &a, on, &code, "59,5", 1).await);
    saved(&enter(&f, &b, on, &code, "70", 0).await);
    saved(&decide(&f, &chair, paper, "65", "Chấm thẩm định", 0).await);
    // A changes their mark after the decision: it no longer applies and is withdrawn.
    saved(&enter(&f, &a, on, &code, "61", 2).await);
    assert_eq!(count(&pool, "chair_decisions").await, 0);

    let history = paper_history(&f, Some(&chair.cookie), paper).await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.body);
    let history = history.json();
    let trail: Vec<(String, Value, Value, Value)> = history["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["old_mark"].clone(),
                r["new_mark"].clone(),
                r["reason"].clone(),
            )
        })
        .collect();
    let row = |action: &str, old: Value, new: Value, reason: Value| {
        (action.to_string(), old, new, reason)
    };
    assert_eq!(
        trail,
        [
            row("entered", Value::Null, json!(6000), Value::Null),
            row("changed", json!(6000), json!(5950), Value::Null),
            row("entered", Value::Null, json!(7000), Value::Null),
            row(
                "chair_decided",
                Value::Null,
                json!(6500),
                json!("Chấm thẩm định")
            ),
            row("changed", json!(5950), json!(6100), Value::Null),
            row("decision_withdrawn", json!(6500), Value::Null, Value::Null),
        ]
    );
    assert_eq!(history["code"], code);
    assert_eq!(history["candidate"], Value::Null, "no name before decoding");
    let mut marks: Vec<u64> = history["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[1].as_u64().unwrap())
        .collect();
    marks.sort();
    assert_eq!(marks, [6100, 7000]);
    assert!(!history.to_string().contains("Nguyễn Văn An"));
    // HR sees it too; markers and applicants do not.
    let by_hr = paper_history(&f, Some(&f.hr.cookie), paper).await;
    assert_eq!(by_hr.status, StatusCode::OK);
    assert_eq!(by_hr.json()["rows"], history["rows"]);
    assert_eq!(
        paper_history(&f, Some(&a.cookie), paper).await.status,
        StatusCode::FORBIDDEN
    );
    let applicant = f
        .app
        .register("ungvien@example.vn", "mật khẩu thí sinh 2026")
        .await;
    assert_eq!(
        paper_history(&f, Some(&applicant), paper).await.status,
        StatusCode::FORBIDDEN
    );
    // The same history by its code within the round, typed in any case; markers refused.
    let round = f.round.to_string();
    let lower = code.to_lowercase();
    let by_code = call(
        &f,
        Some(&f.hr.cookie),
        "paper_by_code",
        &[("round_id", &round), ("code", &lower)],
    )
    .await;
    assert_eq!(by_code.status, StatusCode::OK, "{}", by_code.body);
    assert_eq!(by_code.json()["rows"], history["rows"]);
    let unknown = call(
        &f,
        Some(&chair.cookie),
        "paper_by_code",
        &[("round_id", &round), ("code", "ZZZZZZ")],
    )
    .await;
    assert_eq!(
        refusal(&unknown),
        ("code".to_string(), "ErrPaperCodeUnknown".to_string())
    );
    let by_marker = call(
        &f,
        Some(&a.cookie),
        "paper_by_code",
        &[("round_id", &round), ("code", &lower)],
    )
    .await;
    assert_eq!(by_marker.status, StatusCode::FORBIDDEN);

    // Append-only, even for the application's own connection.
    let before = count(&pool, "mark_audit").await;
    for statement in [
        "update mark_audit set reason = 'sửa lại', new_mark = 10000",
        "delete from mark_audit",
        "truncate mark_audit",
    ] {
        assert!(
            sqlx::query(statement).execute(&pool).await.is_err(),
            "{statement}"
        );
    }
    assert_eq!(count(&pool, "mark_audit").await, before);
    let reasons: Vec<Option<String>> =
        sqlx::query_scalar("select reason from mark_audit where paper_id = $1 order by id")
            .bind(paper)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(!reasons.contains(&Some("sửa lại".to_string())));
}

#[sqlx::test(migrations = "../migrations")]
async fn related_markers_never_get_the_paper_and_too_few_markers_start_nothing(pool: PgPool) {
    let f = setup(&pool).await;
    let candidates = present(
        &f,
        &["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
        f.written,
    )
    .await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    marker(&f, 2, &written).await;
    sqlx::query(
        "insert into conflict_declarations (round_id, staff_id, application_id, relationship,
                                            declared_by)
         values ($1, $2, $3, 'Anh ruột', $4)",
    )
    .bind(f.round)
    .bind(a.id)
    .bind(candidates[0])
    .bind(f.hr.id)
    .execute(&pool)
    .await
    .unwrap();

    // Two markers, one of them related: the first paper cannot get two unrelated markers.
    let refused = on_round(&f, Some(&f.hr), "start").await;
    let (field, msg) = refusal(&refused);
    assert_eq!(msg, "ErrMarkersShort");
    assert!(field.starts_with("KT-01"), "{field}");
    for table in ["papers", "paper_identities", "paper_markers", "mark_audit"] {
        assert_eq!(count(&pool, table).await, 0, "{table}");
    }
    let started: i64 =
        sqlx::query_scalar("select count(*) from marking_stages where started_at is not null")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(started, 0);

    let c = marker(&f, 3, &written).await;
    assert_eq!(start(&f).await, 3);
    let (paper, code) = paper_of(&pool, candidates[0], "written").await;
    let markers = markers_of(&pool, paper).await;
    assert!(!markers.contains(&a.id));
    assert!(markers.contains(&c.id));
    assert_eq!(markers.len(), 2);
    let a_sheet = sheet(&f, &a, own(f.written, "written")).await.json();
    assert!(rows(&a_sheet).iter().all(|r| r.0 != code));
    assert_eq!(
        refused_with(&enter(&f, &a, own(f.written, "written"), &code, "50", 0).await),
        "ErrCodeNotOnSheet"
    );
    // Unrelated papers still reach A.
    assert_eq!(rows(&a_sheet).len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn decoding_after_the_lock_gives_weighted_scores_with_names(pool: PgPool) {
    let f = setup(&pool).await;
    let an = candidate(&f, 1, "Nguyễn Văn An", f.written).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", f.written).await;
    let cuc = candidate(&f, 3, "Lê Thị Cúc", f.combined).await;
    let dung = candidate(&f, 4, "Phạm Văn Dũng", f.written).await;
    for id in [an, binh, cuc] {
        attend(&f, id, 2, "present").await;
    }
    let parts = [
        (f.written, "written"),
        (f.combined, "written"),
        (f.combined, "panel"),
    ];
    let a = marker(&f, 1, &parts).await;
    let b = marker(&f, 2, &parts).await;
    let chair = chair(&f).await;

    // A seated candidate without attendance holds marking back.
    assert_eq!(
        refused_with(&on_round(&f, Some(&f.hr), "start").await),
        "ErrAttendanceMissing"
    );
    assert_eq!(count(&pool, "papers").await, 0);
    attend(&f, dung, 2, "absent").await;
    assert_eq!(start(&f).await, 4, "three written papers and one interview");
    let no_paper: i64 =
        sqlx::query_scalar("select count(*) from paper_identities where application_id = $1")
            .bind(dung)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(no_paper, 0, "the absent candidate has no paper");
    let (_, panel_code) = paper_of(&pool, cuc, "panel").await;
    assert_eq!(panel_code, "NA27-00003");

    let (_, an_code) = paper_of(&pool, an, "written").await;
    let (binh_paper, binh_code) = paper_of(&pool, binh, "written").await;
    let (_, cuc_code) = paper_of(&pool, cuc, "written").await;
    let kt = own(f.written, "written");
    let th = own(f.combined, "written");
    let panel = own(f.combined, "panel");
    for (who, on, code, mark) in [
        (&a, kt, &an_code, "60"),
        (&b, kt, &an_code, "65,25"),
        (&a, kt, &binh_code, "70"),
        (&b, kt, &binh_code, "80"),
        (&a, th, &cuc_code, "80"),
        (&b, th, &cuc_code, "84"),
        (&a, panel, &panel_code, "70"),
        (&b, panel, &panel_code, "75,25"),
    ] {
        saved(&enter(&f, who, on, code, mark, 0).await);
    }
    saved(&decide(&f, &chair, binh_paper, "75,5", "Chấm lần ba", 0).await);

    // Not before the lock.
    assert_eq!(
        refused_with(&on_round(&f, Some(&chair), "decode").await),
        "ErrNotLocked"
    );
    assert_eq!(count(&pool, "stage2_scores").await, 0);
    assert_eq!(
        on_round(&f, Some(&chair), "lock").await.status,
        StatusCode::OK
    );
    assert_eq!(
        on_round(&f, Some(&chair), "chair").await.json()["decoded"],
        json!([])
    );
    assert_eq!(
        on_round(&f, Some(&f.hr), "decode").await.status,
        StatusCode::FORBIDDEN
    );
    let decoded = on_round(&f, Some(&chair), "decode").await;
    assert_eq!(decoded.status, StatusCode::OK, "{}", decoded.body);
    assert_eq!(decoded.json(), 3);

    // KT-01 is the written paper on 100; TH-01 is 60% written (82) + 40% interview (72,63).
    let scores: Vec<(Uuid, Option<i32>, Option<i32>, i32)> =
        sqlx::query_as("select application_id, written, panel, score from stage2_scores")
            .fetch_all(&pool)
            .await
            .unwrap();
    let score_of = |id: Uuid| scores.iter().find(|s| s.0 == id).map(|s| (s.1, s.2, s.3));
    assert_eq!(score_of(an), Some((Some(6263), None, 6263)));
    assert_eq!(score_of(binh), Some((Some(7550), None, 7550)));
    assert_eq!(score_of(cuc), Some((Some(8200), Some(7263), 7825)));
    assert_eq!(score_of(dung), None);

    // The chair (and HR) now see names beside codes.
    for who in [&chair, &f.hr] {
        let view = on_round(&f, Some(who), "chair").await.json();
        let decoded: Vec<(String, String, String, Value, u64)> = view["decoded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["candidate_number"].as_str().unwrap().to_string(),
                    r["full_name"].as_str().unwrap().to_string(),
                    r["position_code"].as_str().unwrap().to_string(),
                    r["written_code"].clone(),
                    r["score"].as_u64().unwrap(),
                )
            })
            .collect();
        let expected = [
            ("NA27-00001", "Nguyễn Văn An", "KT-01", &an_code, 6263),
            ("NA27-00002", "Trần Thị Bình", "KT-01", &binh_code, 7550),
            ("NA27-00003", "Lê Thị Cúc", "TH-01", &cuc_code, 7825),
        ]
        .map(|(number, name, position, code, score)| {
            (
                number.to_string(),
                name.to_string(),
                position.to_string(),
                json!(code),
                score,
            )
        });
        assert_eq!(decoded, expected);
    }
    let history = paper_history(&f, Some(&chair.cookie), binh_paper)
        .await
        .json();
    assert_eq!(history["candidate"], "NA27-00002 · Trần Thị Bình");
    // Decoding twice changes nothing.
    assert_eq!(on_round(&f, Some(&chair), "decode").await.json(), 0);
    assert_eq!(count(&pool, "stage2_scores").await, 3);
    // Markers still see codes only.
    let sheet_after = sheet(&f, &a, kt).await;
    assert!(!sheet_after.body.contains("Nguyễn Văn An"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn only_hr_takes_people_off_the_board_or_their_assignments(pool: PgPool) {
    let f = setup(&pool).await;
    let chair = chair(&f).await;
    let a = marker(&f, 1, &[(f.written, "written"), (f.combined, "written")]).await;
    let (round, user, position) = (f.round.to_string(), a.id.to_string(), f.written.to_string());
    let unassign = [
        ("round_id", round.as_str()),
        ("user_id", user.as_str()),
        ("position_id", position.as_str()),
        ("part", "written"),
    ];
    let remove = [
        ("round_id", round.as_str()),
        ("user_id", user.as_str()),
        ("duty", "marker"),
    ];
    for cookie in [Some(chair.cookie.as_str()), Some(a.cookie.as_str())] {
        assert_eq!(
            call(&f, cookie, "unassign", &unassign).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&f, cookie, "remove_member", &remove).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        call(&f, None, "remove_member", &remove).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(count(&pool, "marker_assignments").await, 2);
    assert_eq!(count(&pool, "board_members").await, 2);

    // HR removes one assignment, then the marker (and with them their other assignment).
    let unassigned = call(&f, Some(&f.hr.cookie), "unassign", &unassign).await;
    assert_eq!(unassigned.status, StatusCode::OK, "{}", unassigned.body);
    assert_eq!(count(&pool, "marker_assignments").await, 1);
    let removed = call(&f, Some(&f.hr.cookie), "remove_member", &remove).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(count(&pool, "marker_assignments").await, 0);
    assert_eq!(count(&pool, "board_members").await, 1, "the chair stays");
}

/// Issue 16, item 6: two clerks shown a blank sheet both type 10 for a paper whose marker had
/// already entered 60 themself. The transcription must not replace the marker's mark: it is a
/// difference the chair settles from the paper sheet.
#[sqlx::test(migrations = "../migrations")]
async fn a_transcription_never_replaces_a_mark_entered_another_way(pool: PgPool) {
    let f = setup(&pool).await;
    let candidates = present(&f, &["Nguyễn Văn An", "Trần Thị Bình"], f.written).await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    let _b = marker(&f, 2, &written).await;
    let chair = chair(&f).await;
    let k1 = staff(&f.app, "tk1@example.vn", &[Role::Marker]).await;
    let k2 = staff(&f.app, "tk2@example.vn", &[Role::HrOfficer]).await;
    for k in [&k1, &k2] {
        assert_eq!(add_member(&f, k, "clerk").await.status, StatusCode::OK);
    }
    start(&f).await;
    let (p1, c1) = paper_of(&pool, candidates[0], "written").await;
    let (p2, c2) = paper_of(&pool, candidates[1], "written").await;
    let on = transcribing(&a, f.written, "written");

    // The marker enters 60 on their own sheet.
    saved(&enter(&f, &a, own(f.written, "written"), &c1, "60", 0).await);
    assert_eq!(mark_of(&pool, p1, a.id).await, Some(6000));
    // Both clerks are shown a blank sheet (blind entry) and both type 10.
    assert_eq!(row_mark(&sheet(&f, &k1, on).await.json(), &c1), None);
    saved(&enter(&f, &k1, on, &c1, "10", 0).await);
    saved(&enter(&f, &k2, on, &c1, "10", 0).await);
    assert_eq!(
        mark_of(&pool, p1, a.id).await,
        Some(6000),
        "the marker's mark stays"
    );
    assert_eq!(
        audit_actions(&pool, p1, Some(a.id)).await,
        ["entered", "sheet_entry_1", "sheet_entry_2"],
        "nothing was transcribed over the mark"
    );
    // The chair sees the difference and cannot lock until it is settled.
    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(
        view["mismatches"],
        json!([{
            "paper_id": p1, "code": c1, "position_code": "KT-01", "marker_id": a.id,
            "marker_name": "Cán Bộ Thử", "first": 1000, "second": 1000, "entered": 6000
        }])
    );
    assert_eq!(view["can_lock"], false);

    // Agreeing entries on a paper with no mark still record it; when the clerks later both
    // correct their transcription, the transcribed mark follows them.
    saved(&enter(&f, &k1, on, &c2, "70", 0).await);
    saved(&enter(&f, &k2, on, &c2, "70", 0).await);
    assert_eq!(mark_of(&pool, p2, a.id).await, Some(7000));
    saved(&enter(&f, &k1, on, &c2, "75", 1).await);
    saved(&enter(&f, &k2, on, &c2, "75", 1).await);
    assert_eq!(mark_of(&pool, p2, a.id).await, Some(7500));

    // The chair reads the paper sheet and settles: the sheet said 60.
    let form = [
        ("round_id", f.round.to_string()),
        ("paper_id", p1.to_string()),
        ("marker_id", a.id.to_string()),
        ("mark", "60".to_string()),
        ("reason", "Phiếu chấm giấy ghi 60".to_string()),
    ];
    let resolved = call(&f, Some(&chair.cookie), "resolve", &borrowed(&form)).await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    assert_eq!(mark_of(&pool, p1, a.id).await, Some(6000));
    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(view["mismatches"], json!([]));
}

/// Circular 22/2025 Art 16 and 22, under the amended decree's rule set: a gap up to 5 is
/// averaged, between 5 and 10 goes to the chief, from 10 a third marker the chief hands it to
/// marks it and two equal marks of three settle it; every step is audited.
#[sqlx::test(migrations = "../migrations")]
async fn circular_22_bands_send_a_wide_gap_to_a_third_marker(pool: PgPool) {
    let f = setup(&pool).await;
    sqlx::query(
        "update rounds set rule_set_id =
            (select id from rule_sets where code = 'ND170-2025-ND300-2026' and version = 1)
         where id = $1",
    )
    .bind(f.round)
    .execute(&pool)
    .await
    .unwrap();
    let candidates = present(
        &f,
        &["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
        f.written,
    )
    .await;
    let written = [(f.written, "written")];
    let a = marker(&f, 1, &written).await;
    let b = marker(&f, 2, &written).await;
    let chair = chair(&f).await;
    start(&f).await;
    // The third marker joins the position's written markers after the papers were shared.
    let c = marker(&f, 3, &written).await;
    let on = own(f.written, "written");
    let mut papers = Vec::new();
    for candidate in &candidates {
        papers.push(paper_of(&pool, *candidate, "written").await);
    }
    let [(_, c1), (p2, c2), (p3, c3)] = [papers[0].clone(), papers[1].clone(), papers[2].clone()];
    let mark = |who: Staff, code: String, value: &'static str| {
        let f = &f;
        async move { saved(&enter(f, &who, on, &code, value, 0).await) }
    };
    // Whoever holds slot 1 and 2 of each paper marks it.
    let slots = |paper: Uuid| markers_of(&pool, paper);
    let by_id = |id: Uuid| -> Staff {
        [&a, &b, &c]
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
            .clone()
    };
    let p1 = papers[0].0;
    let s1 = slots(p1).await;
    mark(by_id(s1[0]), c1.clone(), "60").await;
    mark(by_id(s1[1]), c1.clone(), "65").await; // 5 apart: the mean.
    let s2 = slots(p2).await;
    mark(by_id(s2[0]), c2.clone(), "60").await;
    mark(by_id(s2[1]), c2.clone(), "69").await; // 9 apart: the chief.
    let s3 = slots(p3).await;
    mark(by_id(s3[0]), c3.clone(), "60").await;
    mark(by_id(s3[1]), c3.clone(), "70").await; // 10 apart: a third marker.

    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(view["rule"]["Bands"]["third_from_percent"], 10);
    let kinds: Vec<(String, String)> = view["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut expected = vec![
        (c2.clone(), "Gap".to_string()),
        (c3.clone(), "ThirdMarker".to_string()),
    ];
    expected.sort();
    let mut kinds_sorted = kinds.clone();
    kinds_sorted.sort();
    assert_eq!(kinds_sorted, expected);
    // The chief decides the 9-point gap, but a 10-point gap is not theirs to decide yet.
    assert_eq!(
        refused_with(&decide(&f, &chair, p3, "65", "Trao đổi", 0).await),
        "ErrNotToChair"
    );
    saved(&decide(&f, &chair, p2, "64", "Đã trao đổi với hai giám khảo", 0).await);

    // Only the chair hands a paper to a third marker, and only one that needs it.
    let form = |paper: Uuid| {
        vec![
            ("round_id".to_string(), f.round.to_string()),
            ("paper_id".to_string(), paper.to_string()),
        ]
    };
    let pairs = |v: &Vec<(String, String)>| {
        v.iter()
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect::<Vec<_>>()
    };
    let post = |who: &Staff, paper: Uuid| {
        let (f, cookie, fields) = (&f, who.cookie.clone(), pairs(&form(paper)));
        async move {
            let borrowed: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            f.app
                .post("/api/marking/third_marker", &borrowed, Some(&cookie))
                .await
        }
    };
    assert_eq!(post(&a, p3).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        refused_with(&post(&chair, p2).await),
        "ErrNoThirdMarkerNeeded"
    );
    let assigned = post(&chair, p3).await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    // The one written marker of the position not already on the paper.
    assert_eq!(markers_of(&pool, p3).await, [s3[0], s3[1], c.id]);
    assert_eq!(
        refused_with(&post(&chair, p3).await),
        "ErrNoThirdMarkerNeeded"
    );
    assert_eq!(view_kind(&f, &chair, &c3).await, "ThirdMarker");

    // The third marker sees the code on their sheet and marks 70: two of three are equal.
    let sheet_c = sheet(&f, &c, on).await.json();
    assert_eq!(row_mark(&sheet_c, &c3), None);
    saved(&enter(&f, &c, on, &c3, "70", 0).await);
    assert_eq!(view_kind(&f, &chair, &c3).await, "Majority");
    let view = on_round(&f, Some(&chair), "chair").await.json();
    assert_eq!(view["can_lock"], true, "{view}");
    assert_eq!(
        audit_actions(&pool, p3, None)
            .await
            .iter()
            .filter(|a| *a == "third_marker_assigned")
            .count(),
        1
    );
}

async fn view_kind(f: &Fixture, chair: &Staff, code: &str) -> String {
    let view = on_round(f, Some(chair), "chair").await.json();
    view["papers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .map(|p| p["kind"].as_str().unwrap().to_string())
        .unwrap_or_default()
}
