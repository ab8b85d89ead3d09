//! Appeals (phúc khảo) through the real endpoints: only the candidate who owns an application
//! files, only after the results are published and within the rule set's working days, and
//! only against a marked written paper; HR records the fee; the paper is re-marked under a new
//! code by two members of the appeal board who did not mark it and never see whose it is;
//! far-apart re-marks go to the chair, who answers; the answer changes the stage-2 score,
//! holds results back until it is given, and a later publication lists what changed and tells
//! only those whose line changed.

mod common;

use common::{refusal, refused, staff, Staff};

use app::accounts::types::{NewPassword, Role};
use app::scoring::papers::{CODE_ALPHABET, CODE_LENGTH};
use app::server_support::Clock;
use common::{count, everyone_told, Reply, TestApp};
use http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

/// A Wednesday: results published now may be appealed until Wednesday 17 March, 23:59:59.
const NOW: OffsetDateTime = datetime!(2027-03-10 09:00 +7);
use common::STAFF_PASSWORD as PASSWORD;

struct Fixture {
    app: TestApp,
    pool: PgPool,
    hr: Staff,
    /// The chair of the round's board.
    chair: Staff,
    /// The two markers who marked every written paper first (slots 1 and 2).
    markers: [Staff; 2],
    round: Uuid,
    unit: Uuid,
    /// KT-01: a written paper, one place.
    position: Uuid,
}

/// A round in marking with one written position, KT-01 (one place in STC); HR; the board's
/// chair; two first markers; and the app, whose clock reads NOW.
async fn setup(pool: &PgPool) -> Fixture {
    let app = TestApp::with_clock(pool.clone(), Clock::fixed(NOW));
    let hr = staff(&app, "ns@example.vn", &[Role::HrOfficer]).await;
    let chair = staff(&app, "ct@example.vn", &[Role::BoardChair]).await;
    let markers = [
        staff(&app, "gk1@example.vn", &[Role::Marker]).await,
        staff(&app, "gk2@example.vn", &[Role::Marker]).await,
    ];
    let (round, unit) = common::round_with_unit(pool, "marking").await;
    let mut f = Fixture {
        app,
        pool: pool.clone(),
        hr,
        chair,
        markers,
        round,
        unit,
        position: Uuid::nil(),
    };
    f.position = position(&f, "KT-01", "written").await;
    member(&f, &f.chair, "chair").await;
    for marker in &f.markers {
        member(&f, marker, "marker").await;
    }
    f
}

/// The app as it runs at another moment, on the same database (and so the same sessions).
fn app_at(pool: &PgPool, at: OffsetDateTime) -> TestApp {
    TestApp::with_clock(pool.clone(), Clock::fixed(at))
}

/// Puts an account on the round's board with a duty.
async fn member(f: &Fixture, who: &Staff, duty: &str) {
    sqlx::query("insert into board_members (round_id, user_id, duty) values ($1, $2, $3)")
        .bind(f.round)
        .bind(who.id)
        .bind(duty)
        .execute(&f.pool)
        .await
        .unwrap();
}

/// `n` new markers on the appeal board (pk1@…, pk2@…, from `first`).
async fn appeal_board(f: &Fixture, first: usize, n: usize) -> Vec<Staff> {
    let mut board = Vec::new();
    for i in first..first + n {
        let who = staff(&f.app, &format!("pk{i}@example.vn"), &[Role::Marker]).await;
        member(f, &who, "appeal").await;
        board.push(who);
    }
    board
}

/// Puts a member first in the board's order (by name), where assignment looks first: a
/// member who must be left out would be picked if they were not.
async fn sorts_first(f: &Fixture, who: &Staff) {
    sqlx::query("update users set full_name = 'An Đầu Tiên' where id = $1")
        .bind(who.id)
        .execute(&f.pool)
        .await
        .unwrap();
}

/// A position of the round with one place in STC.
async fn position(f: &Fixture, code: &str, stage2_format: &str) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, stage2_format)
         values ($1, $2, 'Chuyên viên', 'bachelor', $3) returning id",
    )
    .bind(f.round)
    .bind(code)
    .bind(stage2_format)
    .fetch_one(&f.pool)
    .await
    .unwrap();
    sqlx::query("insert into position_units (position_id, unit_id, quota) values ($1, $2, 1)")
        .bind(id)
        .bind(f.unit)
        .execute(&f.pool)
        .await
        .unwrap();
    id
}

/// A candidate on KT-01 (NA27-0000n, stage 1 passed) whose written paper, marked first by
/// the two markers, scored `written` hundredths (None: absent, no paper).
async fn candidate(f: &Fixture, n: i32, name: &str, written: Option<i32>) -> Uuid {
    let id = candidate_on(f, f.position, n, name).await;
    if let Some(score) = written {
        let paper: Uuid = sqlx::query_scalar(
            "insert into papers (round_id, position_id, part, code)
             values ($1, $2, 'written', $3) returning id",
        )
        .bind(f.round)
        .bind(f.position)
        .bind(format!("GOC{n:03}"))
        .fetch_one(&f.pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into paper_identities (paper_id, part, application_id)
             values ($1, 'written', $2)",
        )
        .bind(paper)
        .bind(id)
        .execute(&f.pool)
        .await
        .unwrap();
        for (slot, marker) in f.markers.iter().enumerate() {
            sqlx::query(
                "insert into paper_markers (paper_id, marker_id, slot) values ($1, $2, $3)",
            )
            .bind(paper)
            .bind(marker.id)
            .bind(slot as i16 + 1)
            .execute(&f.pool)
            .await
            .unwrap();
        }
        sqlx::query(
            "insert into stage2_scores (application_id, round_id, written, score)
             values ($1, $2, $3, $3)",
        )
        .bind(id)
        .bind(f.round)
        .bind(score)
        .execute(&f.pool)
        .await
        .unwrap();
    }
    id
}

/// An eligible application with candidate number `n` who passed stage 1, without stage 2.
async fn candidate_on(f: &Fixture, position: Uuid, n: i32, name: &str) -> Uuid {
    let born = time::Date::from_calendar_date(1990 + n, time::Month::March, 14).unwrap();
    let id = common::numbered_candidate(&f.pool, f.round, position, n, name, born).await;
    sqlx::query(
        "insert into stage1_results (application_id, round_id, questions, correct, passed,
                                     source, imported_by)
         values ($1, $2, 60, 40, true, 'vong1.csv', $3)",
    )
    .bind(id)
    .bind(f.round)
    .bind(f.hr.id)
    .execute(&f.pool)
    .await
    .unwrap();
    id
}

/// The anonymous code a candidate's written paper was first marked under.
async fn marking_code(f: &Fixture, application: Uuid) -> String {
    sqlx::query_scalar(
        "select p.code from papers p join paper_identities i on i.paper_id = p.id
         where i.application_id = $1",
    )
    .bind(application)
    .fetch_one(&f.pool)
    .await
    .unwrap()
}

/// Signs in as the applicant who owns the application (they get a password and the role).
async fn owner(f: &Fixture, application: Uuid) -> String {
    let email: String = sqlx::query_scalar(
        "select u.email from users u join applications a on a.applicant_id = u.id
         where a.id = $1",
    )
    .bind(application)
    .fetch_one(&f.pool)
    .await
    .unwrap();
    let hash = app::accounts::password::hash(&NewPassword::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    sqlx::query("update users set password_hash = $2 where email = $1")
        .bind(&email)
        .bind(hash)
        .execute(&f.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into user_roles (user_id, role) select id, 'applicant' from users
         where email = $1 on conflict do nothing",
    )
    .bind(&email)
    .execute(&f.pool)
    .await
    .unwrap();
    f.app.session_for(&email, PASSWORD).await
}

/// Stage-2 marking locked and decoded, as the chair leaves it.
async fn decode(f: &Fixture) {
    common::decoded(&f.pool, f.round, f.hr.id, f.chair.id).await;
}

// Results.

async fn results(
    f: &Fixture,
    cookie: Option<&str>,
    endpoint: &str,
    version: Option<Uuid>,
) -> Reply {
    let round = f.round.to_string();
    let version = version.map(|v| v.to_string()).unwrap_or_default();
    let mut form = vec![("round_id", round.as_str())];
    if !version.is_empty() {
        form.push(("version_id", version.as_str()));
    }
    f.app
        .post(&format!("/api/results/{endpoint}"), &form, cookie)
        .await
}

/// HR computes a draft; the draft's id.
async fn compute(f: &Fixture) -> Uuid {
    let reply = results(f, Some(&f.hr.cookie), "compute", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let view = results(f, Some(&f.hr.cookie), "round", None).await.json();
    view["open"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no open version: {view}"))
        .parse()
        .unwrap()
}

/// HR computes, the chair approves, HR publishes; the published version.
async fn compute_and_publish(f: &Fixture) -> Uuid {
    let version = compute(f).await;
    let approved = results(f, Some(&f.chair.cookie), "approve", Some(version)).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let published = results(f, Some(&f.hr.cookie), "publish", Some(version)).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    // Everyone is told, as every server process's background task does.
    everyone_told(&f.pool).await;
    version
}

async fn version_status(f: &Fixture, id: Uuid) -> String {
    sqlx::query_scalar("select status from result_versions where id = $1")
        .bind(id)
        .fetch_one(&f.pool)
        .await
        .unwrap()
}

// Appeals.

async fn appeals(
    f: &Fixture,
    cookie: Option<&str>,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Reply {
    appeals_on(&f.app, cookie, endpoint, form).await
}

async fn appeals_on(
    app: &TestApp,
    cookie: Option<&str>,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Reply {
    app.post(&format!("/api/appeals/{endpoint}"), form, cookie)
        .await
}

async fn page_on(app: &TestApp, cookie: Option<&str>, application: Uuid) -> Reply {
    let id = application.to_string();
    appeals_on(app, cookie, "page", &[("application_id", &id)]).await
}

async fn file_on(app: &TestApp, cookie: Option<&str>, application: Uuid, reason: &str) -> Reply {
    let id = application.to_string();
    appeals_on(
        app,
        cookie,
        "file",
        &[("application_id", &id), ("reason", reason)],
    )
    .await
}

/// A call whose only argument is the round (round, assign, answer).
async fn on_round(f: &Fixture, cookie: Option<&str>, endpoint: &str) -> Reply {
    let round = f.round.to_string();
    appeals(f, cookie, endpoint, &[("round_id", &round)]).await
}

async fn record_fee(f: &Fixture, cookie: Option<&str>, appeal: Uuid, reference: &str) -> Reply {
    let (round, appeal) = (f.round.to_string(), appeal.to_string());
    appeals(
        f,
        cookie,
        "fee",
        &[
            ("round_id", &round),
            ("appeal_id", &appeal),
            ("reference", reference),
        ],
    )
    .await
}

async fn remark(f: &Fixture, who: &Staff, code: &str, mark: &str, version: i32) -> Reply {
    let (round, version) = (f.round.to_string(), version.to_string());
    appeals(
        f,
        Some(&who.cookie),
        "remark",
        &[
            ("round_id", &round),
            ("code", code),
            ("mark", mark),
            ("version", &version),
        ],
    )
    .await
}

async fn decide(
    f: &Fixture,
    cookie: Option<&str>,
    appeal: Uuid,
    mark: &str,
    reason: &str,
    version: i32,
) -> Reply {
    let (round, appeal, version) = (f.round.to_string(), appeal.to_string(), version.to_string());
    appeals(
        f,
        cookie,
        "decide",
        &[
            ("round_id", &round),
            ("appeal_id", &appeal),
            ("mark", mark),
            ("reason", reason),
            ("version", &version),
        ],
    )
    .await
}

/// The round's appeals as HR sees them.
async fn round_view(f: &Fixture) -> Value {
    let reply = on_round(f, Some(&f.hr.cookie), "round").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The only appeal of the round, as HR sees it.
async fn the_appeal(f: &Fixture) -> Value {
    let view = round_view(f).await;
    let appeals = view["appeals"].as_array().unwrap();
    assert_eq!(appeals.len(), 1, "{view}");
    appeals[0].clone()
}

/// The candidate (signed in with `cookie`) files; HR records the fee; the appeal's id.
async fn filed_and_paid(f: &Fixture, cookie: &str, application: Uuid) -> Uuid {
    let filed = file_on(&f.app, Some(cookie), application, "Xin chấm lại câu 3").await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let id: Uuid = sqlx::query_scalar("select id from appeals where application_id = $1")
        .bind(application)
        .fetch_one(&f.pool)
        .await
        .unwrap();
    let paid = record_fee(f, Some(&f.hr.cookie), id, "BL-0001").await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    id
}

/// HR gives the paid appeals their code and re-markers; the code of `appeal`.
async fn assign(f: &Fixture, appeal: Uuid) -> String {
    let reply = on_round(f, Some(&f.hr.cookie), "assign").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    sqlx::query_scalar("select code from appeals where id = $1")
        .bind(appeal)
        .fetch_one(&f.pool)
        .await
        .unwrap()
}

/// The re-markers of an appeal, slot order.
async fn remarkers(f: &Fixture, appeal: Uuid) -> Vec<Uuid> {
    sqlx::query_scalar("select marker_id from appeal_markers where appeal_id = $1 order by slot")
        .bind(appeal)
        .fetch_all(&f.pool)
        .await
        .unwrap()
}

/// Both re-markers enter their marks; each is saved.
async fn both_remark(f: &Fixture, board: &[Staff], code: &str, marks: [&str; 2]) {
    for (who, mark) in board.iter().zip(marks) {
        let saved = remark(f, who, code, mark, 0).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert!(saved.json()["Saved"].is_object(), "{}", saved.body);
    }
}

// Checks.

/// Reasons of an application's events of one kind, oldest first.
async fn events(f: &Fixture, application: Uuid, kind: &str) -> Vec<Option<String>> {
    sqlx::query_scalar(
        "select reason from application_events where application_id = $1 and kind = $2
         order by id",
    )
    .bind(application)
    .bind(kind)
    .fetch_all(&f.pool)
    .await
    .unwrap()
}

/// Notifications of one kind sent to the applicant who owns the application.
async fn notices(f: &Fixture, application: Uuid, kind: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from notifications n join applications a on a.id = n.application_id
         where n.application_id = $1 and n.kind = $2 and n.user_id = a.applicant_id",
    )
    .bind(application)
    .bind(kind)
    .fetch_one(&f.pool)
    .await
    .unwrap()
}

/// (old, new) of the audit rows with this action, oldest first.
async fn audited(f: &Fixture, action: &str) -> Vec<(Option<i32>, Option<i32>)> {
    sqlx::query_as("select old_mark, new_mark from mark_audit where action = $1 order by id")
        .bind(action)
        .fetch_all(&f.pool)
        .await
        .unwrap()
}

/// (written, score) of a candidate's stage 2.
async fn stage2(f: &Fixture, application: Uuid) -> (Option<i32>, i32) {
    sqlx::query_as("select written, score from stage2_scores where application_id = $1")
        .bind(application)
        .fetch_one(&f.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_owner_files_and_only_inside_the_window(pool: PgPool) {
    let f = setup(&pool).await;
    let an = candidate(&f, 1, "Nguyễn Văn An", Some(7000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", Some(6800)).await;
    let cuong = candidate(&f, 3, "Lê Văn Cường", Some(6000)).await;
    // Absent from the written paper: nothing to re-mark.
    let dung = candidate(&f, 4, "Phạm Thị Dung", None).await;
    // An interview-only position: nothing written to re-mark.
    let interview = position(&f, "PV-01", "interview").await;
    let em = candidate_on(&f, interview, 5, "Hoàng Văn Em").await;
    sqlx::query(
        "insert into stage2_scores (application_id, round_id, panel, score)
         values ($1, $2, 7000, 7000)",
    )
    .bind(em)
    .bind(f.round)
    .execute(&pool)
    .await
    .unwrap();
    decode(&f).await;
    let an_cookie = owner(&f, an).await;
    let binh_cookie = owner(&f, binh).await;
    let binh_owner = Some(binh_cookie.as_str());

    // Not before the results are published.
    let early = file_on(&f.app, binh_owner, binh, "").await;
    assert_eq!(refusal(&early), refused("appeal", "ErrAppealNotPublished"));
    let early_page = page_on(&f.app, binh_owner, binh).await.json();
    assert_eq!(early_page["refusal"], "ErrAppealNotPublished");
    assert_eq!(early_page["deadline"], Value::Null);
    compute_and_publish(&f).await;
    assert_eq!(round_view(&f).await["filing_deadline"], "17/03/2027 23:59");

    // Nobody else sees or files for Bình: another applicant, HR, someone not signed in.
    let by_an = page_on(&f.app, Some(&an_cookie), binh).await;
    assert_eq!(by_an.status, StatusCode::NOT_FOUND, "{}", by_an.body);
    assert!(!by_an.body.contains("6800"), "{}", by_an.body);
    for (who, cookie, status) in [
        (
            "another applicant",
            Some(an_cookie.as_str()),
            StatusCode::NOT_FOUND,
        ),
        ("HR", Some(f.hr.cookie.as_str()), StatusCode::FORBIDDEN),
        ("anonymous", None, StatusCode::UNAUTHORIZED),
    ] {
        let reply = file_on(&f.app, cookie, binh, "Thay mặt").await;
        assert_eq!(reply.status, status, "{who}: {}", reply.body);
    }
    assert_eq!(count(&pool, "appeals").await, 0);

    // Bình sees their paper's mark, the fee, and that they may file.
    let page = page_on(&f.app, binh_owner, binh).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page = page.json();
    assert_eq!(
        (
            &page["position_code"],
            &page["written"],
            &page["fee_dong"],
            &page["refusal"],
            &page["appeal"],
        ),
        (
            &json!("KT-01"),
            &json!(6800),
            &json!(150000),
            &Value::Null,
            &Value::Null
        )
    );
    assert_ne!(page["deadline"], Value::Null);

    let filed = file_on(&f.app, binh_owner, binh, "  Xin chấm lại câu 3  ").await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let row: (
        Uuid,
        i32,
        i32,
        Option<String>,
        Option<String>,
        OffsetDateTime,
    ) = sqlx::query_as(
        "select paper_id, original_mark, fee_dong, reason, fee_reference, filed_at
         from appeals where application_id = $1",
    )
    .bind(binh)
    .fetch_one(&pool)
    .await
    .unwrap();
    let paper: Uuid =
        sqlx::query_scalar("select paper_id from paper_identities where application_id = $1")
            .bind(binh)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        row,
        (
            paper,
            6800,
            150_000,
            Some("Xin chấm lại câu 3".to_string()),
            None,
            NOW
        )
    );
    let fee_line = "Lệ phí phúc khảo: 150.000 đ (Appeal fee: 150.000 đ)".to_string();
    assert_eq!(events(&f, binh, "appeal_filed").await, [Some(fee_line)]);
    assert_eq!(notices(&f, binh, "appeal_filed").await, 1);
    // Their page now shows the appeal, waiting for the fee.
    let page = page_on(&f.app, binh_owner, binh).await.json();
    assert_eq!(page["refusal"], "ErrAppealAlreadyFiled");
    assert_eq!(
        (
            &page["appeal"]["fee_paid"],
            &page["appeal"]["original"],
            &page["appeal"]["new_mark"]
        ),
        (&json!(false), &json!(6800), &Value::Null)
    );

    // Once only.
    let twice = file_on(&f.app, binh_owner, binh, "Lần nữa").await;
    assert_eq!(refusal(&twice), refused("appeal", "ErrAppealAlreadyFiled"));
    assert_eq!(count(&pool, "appeals").await, 1);
    assert_eq!(events(&f, binh, "appeal_filed").await.len(), 1);

    // Only a marked written paper is re-marked.
    for (who, application) in [("absent", dung), ("interview only", em)] {
        let cookie = owner(&f, application).await;
        let reply = file_on(&f.app, Some(&cookie), application, "").await;
        assert_eq!(
            refusal(&reply),
            refused("appeal", "ErrAppealNoWrittenPaper"),
            "{who}"
        );
    }
    assert_eq!(count(&pool, "appeals").await, 1);

    // The sixth working day is too late (the session from the other app still works).
    let cuong_cookie = owner(&f, cuong).await;
    let thursday = app_at(&pool, datetime!(2027-03-18 08:00 +7));
    let late_page = page_on(&thursday, Some(&cuong_cookie), cuong).await;
    assert_eq!(late_page.status, StatusCode::OK, "{}", late_page.body);
    assert_eq!(late_page.json()["refusal"], "ErrAppealClosed");
    let late = file_on(&thursday, Some(&cuong_cookie), cuong, "").await;
    assert_eq!(refusal(&late), refused("appeal", "ErrAppealClosed"));
    assert_eq!(count(&pool, "appeals").await, 1);
    assert!(events(&f, cuong, "appeal_filed").await.is_empty());

    // The evening of the fifth is not.
    let last_evening = app_at(&pool, datetime!(2027-03-17 23:00 +7));
    let in_time = file_on(&last_evening, Some(&cuong_cookie), cuong, "").await;
    assert_eq!(in_time.status, StatusCode::OK, "{}", in_time.body);
    let (reason, filed_at): (Option<String>, OffsetDateTime) =
        sqlx::query_as("select reason, filed_at from appeals where application_id = $1")
            .bind(cuong)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((reason, filed_at), (None, datetime!(2027-03-17 23:00 +7)));
    assert_eq!(count(&pool, "appeals").await, 2);
}

/// Appeals are filed within 5 working days of the notice (Decree 170/2025, DOMAIN "The
/// sequence and its clocks"); a holiday the administrator records inside the window moves its
/// end by a day, for the page HR reads and for the filing itself.
#[sqlx::test(migrations = "../migrations")]
async fn a_holiday_in_the_window_moves_the_filing_deadline(pool: PgPool) {
    let f = setup(&pool).await;
    let admin = staff(&f.app, "qtv@example.vn", &[Role::Administrator]).await;
    let an = candidate(&f, 1, "Nguyễn Văn An", Some(7000)).await;
    decode(&f).await;
    compute_and_publish(&f).await;
    assert_eq!(round_view(&f).await["filing_deadline"], "17/03/2027 23:59");

    let holiday = f
        .app
        .post(
            "/api/calendar/save_day",
            &[
                ("date", "15/03/2027"),
                ("kind", "holiday"),
                ("name", "Nghỉ bù"),
            ],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(holiday.status, StatusCode::OK, "{}", holiday.body);
    assert_eq!(round_view(&f).await["filing_deadline"], "18/03/2027 23:59");
    // Thursday 18 March, the day the weekday count alone would have closed, is in time.
    let cookie = owner(&f, an).await;
    let thursday = app_at(&pool, datetime!(2027-03-18 08:00 +7));
    let filed = file_on(&thursday, Some(&cookie), an, "").await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn re_marking_is_anonymous_and_done_by_two_who_did_not_mark_the_paper(pool: PgPool) {
    let f = setup(&pool).await;
    candidate(&f, 1, "Nguyễn Văn An", Some(7000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", Some(6800)).await;
    decode(&f).await;
    compute_and_publish(&f).await;
    let binh_cookie = owner(&f, binh).await;
    let filed = file_on(&f.app, Some(&binh_cookie), binh, "").await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let appeal: Uuid = the_appeal(&f).await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(the_appeal(&f).await["state"], "AwaitingFee");

    // Only HR records the fee, once.
    let by_chair = record_fee(&f, Some(&f.chair.cookie), appeal, "BL-0001").await;
    assert_eq!(by_chair.status, StatusCode::FORBIDDEN, "{}", by_chair.body);
    let paid = record_fee(&f, Some(&f.hr.cookie), appeal, " BL-0001 ").await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    let again = record_fee(&f, Some(&f.hr.cookie), appeal, "BL-0002").await;
    assert_eq!(
        refusal(&again),
        refused("reference", "ErrAppealFeeRecorded")
    );
    let row = the_appeal(&f).await;
    assert_eq!(
        (&row["fee_reference"], &row["state"]),
        (&json!("BL-0001"), &json!("AwaitingAssignment"))
    );
    assert_eq!(
        events(&f, binh, "appeal_fee_paid").await,
        [Some("BL-0001".to_string())]
    );

    // Two on the appeal board, but one of them marked the paper: refused, nothing assigned.
    let [first_marker, _] = &f.markers;
    member(&f, first_marker, "appeal").await;
    sorts_first(&f, first_marker).await;
    let mut board = appeal_board(&f, 1, 1).await;
    let short = on_round(&f, Some(&f.hr.cookie), "assign").await;
    assert_eq!(refusal(&short), refused("assign", "ErrAppealBoardTooSmall"));
    assert_eq!(count(&pool, "appeal_markers").await, 0);
    assert_eq!(the_appeal(&f).await["code"], Value::Null);
    assert!(audited(&f, "appeal_assigned").await.is_empty());

    // A third member: the two who did not mark it re-mark it, under a new code.
    board.extend(appeal_board(&f, 2, 1).await);
    let code = assign(&f, appeal).await;
    let assigned = remarkers(&f, appeal).await;
    let mut sorted = assigned.clone();
    sorted.sort_unstable();
    let mut expected: Vec<Uuid> = board.iter().map(|s| s.id).collect();
    expected.sort_unstable();
    assert_eq!(sorted, expected);
    for marker in &f.markers {
        assert!(!assigned.contains(&marker.id));
    }
    assert_ne!(code, marking_code(&f, binh).await);
    assert_eq!(code.len(), CODE_LENGTH);
    assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
    assert_eq!(audited(&f, "appeal_assigned").await, [(Some(6800), None)]);
    assert_eq!(
        the_appeal(&f).await["state"],
        json!({"Remarking": {"entered": 0}})
    );
    // Nothing left to assign.
    let nothing = on_round(&f, Some(&f.hr.cookie), "assign").await;
    assert_eq!(nothing.json(), json!(0));
    assert_eq!(remarkers(&f, appeal).await, assigned);

    // The re-marker's sheet: the code and the position, not whose paper it is or its mark.
    let sheet = appeals(&f, Some(&board[0].cookie), "mine", &[]).await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.body);
    for hidden in ["Trần Thị Bình", "NA27-00002", "GOC002"] {
        assert!(!sheet.body.contains(hidden), "{hidden}: {}", sheet.body);
    }
    let papers = sheet.json();
    assert_eq!(papers.as_array().unwrap().len(), 1, "{papers}");
    let paper = papers[0].as_object().unwrap();
    let mut fields: Vec<&str> = paper.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "answered",
            "code",
            "mark",
            "position_code",
            "round_id",
            "round_name",
            "scale",
            "version"
        ]
    );
    assert_eq!(
        (
            &paper["code"],
            &paper["position_code"],
            &paper["mark"],
            &paper["version"]
        ),
        (&json!(code), &json!("KT-01"), &Value::Null, &json!(0))
    );
    assert!(!paper.values().any(|v| *v == json!(6800)), "{papers}");
    // The first markers have nothing to re-mark.
    let none = appeals(&f, Some(&first_marker.cookie), "mine", &[]).await;
    assert_eq!(none.json(), json!([]));

    // Someone not assigned cannot re-mark it, not even knowing the code.
    let not_assigned = remark(&f, first_marker, &code, "80", 0).await;
    assert_eq!(refusal(&not_assigned), refused("code", "ErrCodeNotOnSheet"));
    let chair_try = remark(&f, &f.chair, &code, "80", 0).await;
    assert_eq!(refusal(&chair_try), refused("code", "ErrCodeNotOnSheet"));
    assert_eq!(count(&pool, "appeal_marks").await, 0);

    // The round's appeals are for HR and the chair only.
    for (who, cookie, status) in [
        (
            "marker",
            Some(board[0].cookie.as_str()),
            StatusCode::FORBIDDEN,
        ),
        (
            "first marker",
            Some(first_marker.cookie.as_str()),
            StatusCode::FORBIDDEN,
        ),
        (
            "applicant",
            Some(binh_cookie.as_str()),
            StatusCode::FORBIDDEN,
        ),
        ("anonymous", None, StatusCode::UNAUTHORIZED),
    ] {
        let reply = on_round(&f, cookie, "round").await;
        assert_eq!(reply.status, status, "{who}: {}", reply.body);
        assert!(!reply.body.contains("Trần Thị Bình"), "{who}");
    }
    let for_chair = on_round(&f, Some(&f.chair.cookie), "round").await;
    assert_eq!(for_chair.status, StatusCode::OK, "{}", for_chair.body);
    assert_eq!(for_chair.json()["appeals"][0]["code"], json!(code));

    // Marks are typed as people type them, in quarter points; lower case codes are fine.
    let off_step = remark(&f, &board[0], &code, "67,3", 0).await;
    assert_eq!(refusal(&off_step), refused("mark", "ErrMarkStep"));
    let saved = remark(&f, &board[0], &code.to_lowercase(), "67,5", 0).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json(), json!({"Saved": {"mark": 6750, "version": 1}}));
    // A save from a stale screen does not overwrite: it shows what is there now.
    let stale = remark(&f, &board[0], &code, "70", 0).await;
    assert_eq!(stale.status, StatusCode::OK, "{}", stale.body);
    assert_eq!(
        stale.json(),
        json!({"Conflict": {"current": 6750, "version": 1}})
    );
    let stored: (i32, i32) = sqlx::query_as(
        "select mark, version from appeal_marks where appeal_id = $1 and marker_id = $2",
    )
    .bind(appeal)
    .bind(board[0].id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, (6750, 1));
    assert_eq!(audited(&f, "appeal_marked").await, [(None, Some(6750))]);
    let updated = remark(&f, &board[0], &code, "70", 1).await;
    assert_eq!(
        updated.json(),
        json!({"Saved": {"mark": 7000, "version": 2}})
    );
    assert_eq!(
        the_appeal(&f).await["state"],
        json!({"Remarking": {"entered": 1}})
    );
    // The other re-marker sees only their own (empty) mark.
    let other = appeals(&f, Some(&board[1].cookie), "mine", &[])
        .await
        .json();
    assert_eq!(
        (&other[0]["mark"], &other[0]["version"]),
        (&Value::Null, &json!(0))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_answer_changes_the_score_and_republication_lists_the_change(pool: PgPool) {
    let f = setup(&pool).await;
    let an = candidate(&f, 1, "Nguyễn Văn An", Some(7000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", Some(6800)).await;
    let cuong = candidate(&f, 3, "Lê Văn Cường", Some(6000)).await;
    decode(&f).await;
    let first = compute_and_publish(&f).await;
    let board = appeal_board(&f, 1, 2).await;

    // Bình appeals; a draft computed while the fee is unpaid is not held back …
    let binh_cookie = owner(&f, binh).await;
    let filed = file_on(&f.app, Some(&binh_cookie), binh, "").await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let draft = compute(&f).await;
    let appeal: Uuid = the_appeal(&f).await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let paid = record_fee(&f, Some(&f.hr.cookie), appeal, "UNC-2027-031").await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);

    // … but once it is paid, results wait for the answer.
    let approve = results(&f, Some(&f.chair.cookie), "approve", Some(draft)).await;
    assert_eq!(refusal(&approve), refused("approve", "ErrAppealsPending"));
    let publish = results(&f, Some(&f.hr.cookie), "publish", Some(draft)).await;
    assert_eq!(refusal(&publish), refused("publish", "ErrAppealsPending"));
    assert_eq!(version_status(&f, draft).await, "draft");
    let code = assign(&f, appeal).await;
    both_remark(&f, &board, &code, ["75", "77"]).await;
    assert_eq!(the_appeal(&f).await["state"], json!({"Agreed": 7600}));
    let compute_early = results(&f, Some(&f.hr.cookie), "compute", None).await;
    assert_eq!(
        refusal(&compute_early),
        refused("compute", "ErrAppealsPending")
    );
    assert_eq!(stage2(&f, binh).await, (Some(6800), 6800));

    // The chair answers: the average of the re-marks is the paper's mark now.
    let answered = on_round(&f, Some(&f.chair.cookie), "answer").await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(answered.json(), json!(1));
    assert_eq!(stage2(&f, binh).await, (Some(7600), 7600));
    assert_eq!(
        audited(&f, "appeal_answered").await,
        [(Some(6800), Some(7600))]
    );
    assert_eq!(
        audited(&f, "appeal_marked").await,
        [(None, Some(7500)), (None, Some(7700))]
    );
    assert_eq!(
        events(&f, binh, "appeal_answered").await,
        [Some(
            "Điểm bài thi viết sau phúc khảo: 68 → 76 \
             (Written paper mark after re-marking: 68 → 76)"
                .to_string()
        )]
    );
    assert_eq!(notices(&f, binh, "appeal_answered").await, 1);
    let row = the_appeal(&f).await;
    assert_eq!(row["state"], json!({"Answered": 7600}));
    assert_ne!(row["answered_at"], Value::Null);
    let page = page_on(&f.app, Some(&binh_cookie), binh).await.json();
    assert_eq!(page["appeal"]["new_mark"], json!(7600));
    assert_eq!(page["appeal"]["fee_paid"], json!(true));
    // The draft computed with the old mark is gone; the published version stays.
    let versions: Vec<(Uuid, String)> =
        sqlx::query_as("select id, status from result_versions order by version")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(versions, [(first, "published".to_string())]);

    // An answer is final.
    let twice = on_round(&f, Some(&f.chair.cookie), "answer").await;
    assert_eq!(
        refusal(&twice),
        refused("answer", "ErrAppealNothingToAnswer")
    );
    let late_remark = remark(&f, &board[0], &code, "90", 1).await;
    assert_eq!(refusal(&late_remark), refused("mark", "ErrAppealAnswered"));
    let direct = sqlx::query("update appeal_marks set mark = 9000 where appeal_id = $1")
        .bind(appeal)
        .execute(&pool)
        .await;
    assert!(direct
        .unwrap_err()
        .to_string()
        .contains("this appeal has been answered"));
    let kept: Vec<i32> =
        sqlx::query_scalar("select mark from appeal_marks where appeal_id = $1 order by mark")
            .bind(appeal)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(kept, [7500, 7700]);
    assert_eq!(stage2(&f, binh).await, (Some(7600), 7600));

    // Published again: version 1 is superseded, version 2 lists the two whose line changed.
    let second = compute_and_publish(&f).await;
    assert_eq!(version_status(&f, first).await, "superseded");
    assert_eq!(version_status(&f, second).await, "published");
    let public = results(&f, None, "published", None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    let public = public.json();
    assert_eq!(public["version"], 2);
    assert_eq!(
        public["positions"][0]["selected"][0]["number"],
        "NA27-00002"
    );
    let changes: Vec<Value> = public["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            json!([
                c["number"],
                c["old_stage2"],
                c["new_stage2"],
                c["old_outcome"],
                c["new_outcome"]
            ])
        })
        .collect();
    assert_eq!(
        changes,
        [
            json!(["NA27-00001", 7000, 7000, "selected STC", "reserve 1"]),
            json!(["NA27-00002", 6800, 7600, "reserve 1", "selected STC"]),
        ]
    );
    // Only they are told again; Cường's line (reserve 2) did not change.
    for (who, application, times) in [("An", an, 2), ("Bình", binh, 2), ("Cường", cuong, 1)] {
        assert_eq!(
            notices(&f, application, "result_published").await,
            times,
            "{who}"
        );
        assert_eq!(
            events(&f, application, "result_published").await.len() as i64,
            times,
            "{who}"
        );
    }
    assert_eq!(
        events(&f, binh, "result_published").await[1],
        Some(
            "Trúng tuyển (Selected): STC; hạn hoàn thiện hồ sơ (dossier due): 30/03/2027"
                .to_string()
        )
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_chair_decides_and_answers(pool: PgPool) {
    let f = setup(&pool).await;
    candidate(&f, 1, "Nguyễn Văn An", Some(7000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", Some(6800)).await;
    decode(&f).await;
    compute_and_publish(&f).await;
    let mut board = appeal_board(&f, 1, 3).await;
    // The third declared a relationship with Bình: they may not re-mark Bình's paper.
    sqlx::query(
        "insert into conflict_declarations (round_id, staff_id, application_id, relationship)
         values ($1, $2, $3, 'Anh họ')",
    )
    .bind(f.round)
    .bind(board[2].id)
    .bind(binh)
    .execute(&pool)
    .await
    .unwrap();
    sorts_first(&f, &board[2]).await;
    let binh_cookie = owner(&f, binh).await;
    let appeal = filed_and_paid(&f, &binh_cookie, binh).await;
    let code = assign(&f, appeal).await;
    let related = board.pop().unwrap();
    let mut assigned = remarkers(&f, appeal).await;
    assigned.sort_unstable();
    let mut expected = vec![board[0].id, board[1].id];
    expected.sort_unstable();
    assert_eq!(assigned, expected);
    let related_sheet = appeals(&f, Some(&related.cookie), "mine", &[]).await;
    assert_eq!(related_sheet.json(), json!([]));

    // Nothing to answer until the re-marking has a result.
    let early = on_round(&f, Some(&f.chair.cookie), "answer").await;
    assert_eq!(
        refusal(&early),
        refused("answer", "ErrAppealNothingToAnswer")
    );
    // Re-marks 20 points apart (the tolerance is 10 on 100): the chair decides.
    both_remark(&f, &board, &code, ["60", "80"]).await;
    assert_eq!(
        the_appeal(&f).await["state"],
        json!({"ToChair": {"difference": 2000}})
    );

    // Not HR, not a re-marker, not the candidate, not someone signed out.
    let outsiders = [
        ("HR", Some(f.hr.cookie.as_str()), StatusCode::FORBIDDEN),
        (
            "re-marker",
            Some(board[0].cookie.as_str()),
            StatusCode::FORBIDDEN,
        ),
        (
            "applicant",
            Some(binh_cookie.as_str()),
            StatusCode::FORBIDDEN,
        ),
        ("anonymous", None, StatusCode::UNAUTHORIZED),
    ];
    for (who, cookie, status) in outsiders {
        let decided = decide(&f, cookie, appeal, "72", "Chấm lại câu 3", 0).await;
        assert_eq!(decided.status, status, "{who} decide: {}", decided.body);
        let answered = on_round(&f, cookie, "answer").await;
        assert_eq!(answered.status, status, "{who} answer: {}", answered.body);
    }
    assert_eq!(
        the_appeal(&f).await["decision"],
        Value::Null,
        "no decision recorded"
    );
    assert_eq!(stage2(&f, binh).await, (Some(6800), 6800));
    assert!(events(&f, binh, "appeal_answered").await.is_empty());

    // The chair gives a reason, then decides.
    let chair = Some(f.chair.cookie.as_str());
    let no_reason = decide(&f, chair, appeal, "72", "  ", 0).await;
    assert_eq!(refusal(&no_reason), refused("reason", "ErrReasonRequired"));
    let decided = decide(&f, chair, appeal, "72", "Chấm lại câu 3", 0).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(
        decided.json(),
        json!({"Saved": {"mark": 7200, "version": 1}})
    );
    let row = the_appeal(&f).await;
    assert_eq!(row["state"], json!({"Decided": 7200}));
    assert_eq!(row["decision"], json!([7200, "Chấm lại câu 3"]));
    // A decision from a stale screen changes nothing.
    let stale = decide(&f, chair, appeal, "65", "Khác", 0).await;
    assert_eq!(
        stale.json(),
        json!({"Conflict": {"current": 7200, "version": 1}})
    );
    assert_eq!(audited(&f, "appeal_decided").await, [(None, Some(7200))]);

    let answered = on_round(&f, chair, "answer").await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(stage2(&f, binh).await, (Some(7200), 7200));
    assert_eq!(
        audited(&f, "appeal_answered").await,
        [(Some(6800), Some(7200))]
    );
    assert_eq!(events(&f, binh, "appeal_answered").await.len(), 1);
    // After the answer the decision is kept as it is.
    let after = decide(&f, chair, appeal, "65", "Khác", 1).await;
    assert_eq!(refusal(&after), refused("mark", "ErrNotToChair"));
    assert_eq!(the_appeal(&f).await["state"], json!({"Answered": 7200}));
}

/// An (70) and Bình (68) on KT-01, version 1 published, a two-member appeal board: Bình and
/// the board.
async fn published_with_a_board(f: &Fixture) -> (Uuid, Vec<Staff>) {
    candidate(f, 1, "Nguyễn Văn An", Some(7000)).await;
    let binh = candidate(f, 2, "Trần Thị Bình", Some(6800)).await;
    decode(f).await;
    compute_and_publish(f).await;
    (binh, appeal_board(f, 1, 2).await)
}

/// HR moves the round to *finalised*.
async fn finalise(app: &TestApp, f: &Fixture) -> Reply {
    let round = f.round.to_string();
    app.post(
        "/api/hr/advance_round",
        &[("round_id", &round), ("to", "finalised"), ("reason", "")],
        Some(&f.hr.cookie),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_round_is_finalised_only_once_appeals_are_over(pool: PgPool) {
    let f = setup(&pool).await;
    let (binh, board) = published_with_a_board(&f).await;
    let status = || async {
        sqlx::query_scalar::<_, String>("select status from rounds where id = $1")
            .bind(f.round)
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    // Inside the window (published Wednesday 10/03, five working days) it cannot be finalised.
    assert_eq!(
        refusal(&finalise(&f.app, &f).await),
        refused("to", "ErrFinaliseAppealWindow")
    );
    let cookie = owner(&f, binh).await;
    let appeal = filed_and_paid(&f, &cookie, binh).await;

    // After the window, a paid appeal without its answer still holds it open …
    let later = app_at(&pool, datetime!(2027-03-18 09:00 +7));
    assert_eq!(
        refusal(&finalise(&later, &f).await),
        refused("to", "ErrAppealsPending")
    );
    let code = assign(&f, appeal).await;
    both_remark(&f, &board, &code, ["75", "77"]).await;
    let answered = on_round(&f, Some(&f.chair.cookie), "answer").await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);

    // … and so does an answer the published version does not carry yet.
    assert_eq!(
        refusal(&finalise(&later, &f).await),
        refused("to", "ErrFinaliseRepublish")
    );
    assert_eq!(status().await, "published");
    compute_and_publish(&f).await;
    let done = finalise(&later, &f).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(status().await, "finalised");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_computed_while_an_answer_lands_holds_the_new_mark_or_does_not_exist(pool: PgPool) {
    let f = setup(&pool).await;
    let (binh, board) = published_with_a_board(&f).await;
    let cookie = owner(&f, binh).await;
    let appeal = filed_and_paid(&f, &cookie, binh).await;
    let code = assign(&f, appeal).await;
    both_remark(&f, &board, &code, ["75", "77"]).await;

    // HR computes at the very moment the chair answers: they take turns on the round.
    let (computed, answered) = tokio::join!(
        results(&f, Some(&f.hr.cookie), "compute", None),
        on_round(&f, Some(&f.chair.cookie), "answer"),
    );
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let drafts: Vec<String> = sqlx::query_scalar(
        "select canonical from result_versions where status in ('draft', 'approved')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    match computed.status {
        // Computed after the answer: the draft has Bình's new score.
        StatusCode::OK => {
            assert_eq!(drafts.len(), 1);
            assert!(drafts[0].contains("\"stage2\":7600"), "{}", drafts[0]);
        }
        // Computed before it: refused (the appeal was open), nothing half-way.
        _ => {
            assert_eq!(refusal(&computed), refused("compute", "ErrAppealsPending"));
            assert!(drafts.is_empty());
        }
    }
    println!(
        "compute answered {} while the answer landed",
        computed.status
    );
}

// The legal sequence (rule set "Decree 170/2025 as amended by Decree 300/2026").

/// Puts the fixture's round under the amended decree: exam scores published first, Circular
/// 22's bands for re-marking, the council chair for a re-mark far from the published mark.
async fn under_amended_decree(f: &Fixture) {
    sqlx::query(
        "update rounds set rule_set_id = (select id from rule_sets
                                          where code = 'ND170-2025-ND300-2026' and version = 1)
         where id = $1",
    )
    .bind(f.round)
    .execute(&f.pool)
    .await
    .unwrap();
}

async fn publish_scores(f: &Fixture, cookie: Option<&str>, position: &str) -> Reply {
    let round = f.round.to_string();
    f.app
        .post(
            "/api/results/publish_scores",
            &[("round_id", round.as_str()), ("position", position)],
            cookie,
        )
        .await
}

async fn third(f: &Fixture, cookie: Option<&str>, appeal: Uuid) -> Reply {
    let (round, appeal) = (f.round.to_string(), appeal.to_string());
    appeals(
        f,
        cookie,
        "third",
        &[("round_id", &round), ("appeal_id", &appeal)],
    )
    .await
}

async fn council(
    f: &Fixture,
    cookie: Option<&str>,
    appeal: Uuid,
    mark: &str,
    minutes: &str,
    version: i32,
) -> Reply {
    let (round, appeal, version) = (f.round.to_string(), appeal.to_string(), version.to_string());
    appeals(
        f,
        cookie,
        "council",
        &[
            ("round_id", &round),
            ("appeal_id", &appeal),
            ("mark", mark),
            ("minutes", minutes),
            ("version", &version),
        ],
    )
    .await
}

/// Decree 170/2025 Art 17–18 with Circular 22/2025 Art 16: a position's exam scores are
/// published (no winners yet) and every candidate told; appeals run 5 working days from that
/// publication; compiling waits for the scores, the window and every answer; re-marks 16
/// apart bring a third re-marker; two of three equal settle the re-mark; a re-mark 6 from the
/// published mark needs the council chair's minuted decision; then results are compiled,
/// approved and published with the re-marked score.
#[sqlx::test(migrations = "../migrations")]
async fn scores_are_published_first_and_appeals_are_re_marked_by_article_18(pool: PgPool) {
    let f = setup(&pool).await;
    under_amended_decree(&f).await;
    let an = candidate(&f, 1, "Nguyễn Văn An", Some(6200)).await;
    candidate(&f, 2, "Trần Thị Bình", Some(6800)).await;
    decode(&f).await;
    let an_cookie = owner(&f, an).await;

    // Nothing to appeal and nothing to compile before the scores are published.
    let page = page_on(&f.app, Some(&an_cookie), an).await.json();
    assert_eq!(page["refusal"], "ErrAppealNotPublished", "{page}");
    let early = results(&f, Some(&f.hr.cookie), "compute", None).await;
    assert_eq!(refusal(&early), refused("compute", "ErrScoresNotPublished"));

    // Only HR publishes, once, a position of the round.
    for cookie in [
        Some(f.chair.cookie.as_str()),
        Some(an_cookie.as_str()),
        None,
    ] {
        let reply = publish_scores(&f, cookie, "KT-01").await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::UNAUTHORIZED].contains(&reply.status),
            "{}",
            reply.body
        );
    }
    assert_eq!(count(&pool, "score_publications").await, 0);
    let unknown = publish_scores(&f, Some(&f.hr.cookie), "KT-99").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    let published = publish_scores(&f, Some(&f.hr.cookie), "KT-01").await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.json(), json!(2));
    let again = publish_scores(&f, Some(&f.hr.cookie), "KT-01").await;
    assert_eq!(
        refusal(&again),
        refused("position", "ErrScoresAlreadyPublished")
    );
    // Published Wednesday 10 March: the window ends with Wednesday 17 March.
    let told = events(&f, an, "scores_published").await;
    assert_eq!(told.len(), 1);
    let text = told[0].clone().unwrap_or_default();
    assert!(text.contains("Bài viết: 62/100"), "{text}");
    assert!(text.contains("17/03/2027 23:59"), "{text}");
    assert_eq!(notices(&f, an, "scores_published").await, 1);

    // Everyone reads the list; its digest covers exactly the stored text; it never changes.
    let public = f
        .app
        .post(
            "/api/results/published_scores",
            &[
                ("round_id", f.round.to_string().as_str()),
                ("code", "KT-01"),
            ],
            None,
        )
        .await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    let public = public.json();
    assert_eq!(public["list"]["lines"].as_array().unwrap().len(), 2);
    assert!(!public.to_string().contains("Nguyễn Văn An"), "{public}");
    let stored: String = sqlx::query_scalar("select canonical from score_publications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(public["digest"], app::results::service::digest(&stored));
    let changed = sqlx::query("update score_publications set digest = repeat('0', 64)")
        .execute(&pool)
        .await;
    assert!(changed.is_err(), "a published list was changed");

    // The window is open: compiling waits; An appeals and pays.
    let open = results(&f, Some(&f.hr.cookie), "compute", None).await;
    assert_eq!(refusal(&open), refused("compute", "ErrAppealWindowOpen"));
    let appeal = filed_and_paid(&f, &an_cookie, an).await;
    let after = app_at(&pool, datetime!(2027-03-18 00:00 +7));
    let binh = sqlx::query_scalar::<_, Uuid>(
        "select a.id from applications a join candidate_numbers n on n.application_id = a.id
         where n.number = 2",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let binh_cookie = owner(&f, binh).await;
    let late = file_on(&after, Some(&binh_cookie), binh, "").await;
    assert_eq!(refusal(&late), refused("appeal", "ErrAppealClosed"));
    let f = Fixture { app: after, ..f };
    let pending = results(&f, Some(&f.hr.cookie), "compute", None).await;
    assert_eq!(refusal(&pending), refused("compute", "ErrAppealsPending"));

    // Two re-markers 16 apart: a third is needed; only the chair gives one.
    let board = appeal_board(&f, 1, 3).await;
    let code = assign(&f, appeal).await;
    let given = remarkers(&f, appeal).await;
    let by_id = |id: &Uuid| board.iter().find(|s| s.id == *id).unwrap();
    for (id, mark) in given.iter().zip(["60", "76"]) {
        let saved = remark(&f, by_id(id), &code, mark, 0).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    }
    assert_eq!(
        the_appeal(&f).await["state"],
        json!({"NeedsThirdRemarker": {"difference": 1600}})
    );
    let nothing = on_round(&f, Some(&f.chair.cookie), "answer").await;
    assert_eq!(
        refusal(&nothing),
        refused("answer", "ErrAppealNothingToAnswer")
    );
    let by_hr = third(&f, Some(&f.hr.cookie), appeal).await;
    assert_eq!(by_hr.status, StatusCode::FORBIDDEN, "{}", by_hr.body);
    let given_third = third(&f, Some(&f.chair.cookie), appeal).await;
    assert_eq!(given_third.status, StatusCode::OK, "{}", given_third.body);
    let all = remarkers(&f, appeal).await;
    assert_eq!(all.len(), 3);
    let third_id = all[2];
    assert!(!given.contains(&third_id));
    assert!(f.markers.iter().all(|m| m.id != third_id));
    let twice = third(&f, Some(&f.chair.cookie), appeal).await;
    assert_eq!(refusal(&twice), refused("appeal", "ErrNoThirdNeeded"));
    assert_eq!(audited(&f, "appeal_third_assigned").await.len(), 1);

    // The third agrees with 76: two of three. 76 is 14 from the published 62: the council chair.
    let saved = remark(&f, by_id(&third_id), &code, "76", 0).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        the_appeal(&f).await["state"],
        json!({"ToCouncil": {"remarked": 7600, "difference": 1400}})
    );
    let by_hr = council(&f, Some(&f.hr.cookie), appeal, "75", "Biên bản số 3", 0).await;
    assert_eq!(by_hr.status, StatusCode::FORBIDDEN, "{}", by_hr.body);
    let unminuted = council(&f, Some(&f.chair.cookie), appeal, "75", " ", 0).await;
    assert_eq!(refusal(&unminuted), refused("minutes", "ErrReasonRequired"));
    let flood = "x".repeat(100_000);
    let too_long = council(&f, Some(&f.chair.cookie), appeal, "75", &flood, 0).await;
    assert_eq!(refusal(&too_long), refused("minutes", "ErrTooLong"));
    let off_scale = council(&f, Some(&f.chair.cookie), appeal, "1e9", "Biên bản", 0).await;
    assert_eq!(refusal(&off_scale).0, "mark");
    let not_to_chief = decide(&f, Some(&f.chair.cookie), appeal, "70", "x", 0).await;
    assert_eq!(refusal(&not_to_chief), refused("mark", "ErrNotToChair"));
    let minutes = "Biên bản số 3 ngày 19/3/2027: Chủ tịch Hội đồng trao đổi với Trưởng ban chấm thi và Trưởng ban phúc khảo";
    let minuted = council(&f, Some(&f.chair.cookie), appeal, "75", minutes, 0).await;
    assert_eq!(minuted.status, StatusCode::OK, "{}", minuted.body);
    let row = the_appeal(&f).await;
    assert_eq!(row["state"], json!({"Minuted": 7500}));
    assert_eq!(row["council"], json!([7500, minutes]));
    assert_eq!(
        audited(&f, "appeal_council_decided").await,
        [(None, Some(7500))]
    );

    // Answered: the published 62 becomes 75; results compile, and An wins.
    let answered = on_round(&f, Some(&f.chair.cookie), "answer").await;
    assert_eq!(answered.json(), json!(1), "{}", answered.body);
    assert_eq!(stage2(&f, an).await, (Some(7500), 7500));
    compute_and_publish(&f).await;
    let winner: String =
        sqlx::query_scalar("select canonical from result_versions where status = 'published'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let snapshot: Value = serde_json::from_str(&winner).unwrap();
    let first = &snapshot["positions"][0]["candidates"][0];
    assert_eq!(
        (&first["number"], &first["outcome"]),
        (&json!("NA27-00001"), &json!("selected")),
        "{snapshot}"
    );
}
