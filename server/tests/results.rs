//! Results through the real endpoints: who may compute, decide ties, approve and publish;
//! the draft, its canonical form and digest; ranking with priority points and the reasons of
//! those not selected; ties waiting for the authority's decision; published versions that
//! never change and later versions that supersede them; the public lookup and its limit.

mod common;

use common::{refusal, refused, staff, Staff};

use app::accounts::types::Role;
use app::server_support::Clock;
use common::{count, everyone_told, Reply, TestApp};
use http::StatusCode;
use leptos::prelude::LeptosOptions;
use serde_json::{json, Value};
use server::http::{router, HttpSettings};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2027-03-10 09:00 +7);

struct Fixture {
    app: TestApp,
    pool: PgPool,
    hr: Staff,
    /// The chair of the round's marking board.
    chair: Staff,
    round: Uuid,
    /// The stage-2 session (attendance is recorded against it).
    session: Uuid,
    /// The client address this test's lookups come from. The lookup limit is kept per address
    /// for the whole process, so each test that looks up uses an address of its own.
    address: &'static str,
}

/// A round in marking with one position, KT-01, offering one place in one unit (STC); its
/// board's chair; and the app (behind a trusted proxy, so that a test may say which address
/// it calls from) whose clock reads NOW.
async fn setup(pool: &PgPool, address: &'static str) -> Fixture {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    let app = process(pool);
    let hr = staff(&app, "ns@example.vn", &[Role::HrOfficer]).await;
    let (round, unit) = common::round_with_unit(pool, "marking").await;
    let position: Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, stage2_format)
         values ($1, 'KT-01', 'Chuyên viên kế toán', 'bachelor', 'written') returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("insert into position_units (position_id, unit_id, quota) values ($1, $2, 1)")
        .bind(position)
        .bind(unit)
        .execute(pool)
        .await
        .unwrap();
    let venue: Uuid = sqlx::query_scalar(
        "insert into venues (round_id, name, address) values ($1, 'Trường Chính trị', 'Vinh')
         returning id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    let session: Uuid = sqlx::query_scalar(
        "insert into exam_sessions (round_id, stage, name, venue_id, starts_at, duration_minutes)
         values ($1, 2, 'Ca 1', $2, $3, 120) returning id",
    )
    .bind(round)
    .bind(venue)
    .bind(datetime!(2027-02-20 07:30 +7))
    .fetch_one(pool)
    .await
    .unwrap();
    let chair = staff(&app, "ct@example.vn", &[Role::BoardChair]).await;
    let f = Fixture {
        app,
        pool: pool.clone(),
        hr,
        chair,
        round,
        session,
        address,
    };
    member(&f, &f.chair, "chair").await;
    f
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

/// An eligible application on KT-01 with candidate number `n` (NA27-0000n), born on
/// 14/03/(1990 + n), with its stage-1 result and stage-2 score in hundredths (none: absent).
async fn candidate(
    f: &Fixture,
    n: i32,
    name: &str,
    stage1_passed: bool,
    stage2: Option<i32>,
) -> Uuid {
    let position: Uuid =
        sqlx::query_scalar("select id from positions where round_id = $1 and code = 'KT-01'")
            .bind(f.round)
            .fetch_one(&f.pool)
            .await
            .unwrap();
    let id = candidate_on(f, position, n, name, stage1_passed).await;
    if let Some(score) = stage2 {
        set_score(f, id, score).await;
    }
    id
}

/// An application on `position` with candidate number `n` and its stage-1 result.
async fn candidate_on(
    f: &Fixture,
    position: Uuid,
    n: i32,
    name: &str,
    stage1_passed: bool,
) -> Uuid {
    let born = time::Date::from_calendar_date(1990 + n, time::Month::March, 14).unwrap();
    let id = common::numbered_candidate(&f.pool, f.round, position, n, name, born).await;
    sqlx::query(
        "insert into stage1_results (application_id, round_id, questions, correct, passed,
                                     source, imported_by)
         values ($1, $2, 60, case when $3 then 40 else 20 end, $3, 'vong1.csv', $4)",
    )
    .bind(id)
    .bind(f.round)
    .bind(stage1_passed)
    .bind(f.hr.id)
    .execute(&f.pool)
    .await
    .unwrap();
    id
}

/// The decoded stage-2 score of a candidate (also a regrade after an appeal).
async fn set_score(f: &Fixture, application: Uuid, score: i32) {
    sqlx::query(
        "insert into stage2_scores (application_id, round_id, written, score)
         values ($1, $2, $3, $3)
         on conflict (application_id) do update set written = $3, score = $3",
    )
    .bind(application)
    .bind(f.round)
    .bind(score)
    .execute(&f.pool)
    .await
    .unwrap();
}

async fn set_priority(f: &Fixture, application: Uuid, code: &str) {
    sqlx::query("update applications set priority_code = $2 where id = $1")
        .bind(application)
        .bind(code)
        .execute(&f.pool)
        .await
        .unwrap();
}

/// The invigilator recorded a breach of the exam rules at stage 2.
async fn violation(f: &Fixture, application: Uuid) {
    sqlx::query(
        "insert into attendance (application_id, stage, session_id, status, note, marked_by)
         values ($1, 2, $2, 'violation', 'Mang tài liệu vào phòng thi', $3)",
    )
    .bind(application)
    .bind(f.session)
    .bind(f.hr.id)
    .execute(&f.pool)
    .await
    .unwrap();
}

/// Stage-2 marking locked and decoded, as the chair leaves it.
async fn decode(f: &Fixture) {
    common::decoded(&f.pool, f.round, f.hr.id, f.chair.id).await;
}

async fn call(f: &Fixture, cookie: Option<&str>, endpoint: &str, form: &[(&str, &str)]) -> Reply {
    f.app
        .post(&format!("/api/results/{endpoint}"), form, cookie)
        .await
}

/// A call whose only argument is the round.
async fn on_round(f: &Fixture, cookie: Option<&str>, endpoint: &str) -> Reply {
    let round = f.round.to_string();
    call(f, cookie, endpoint, &[("round_id", &round)]).await
}

/// A call about one version of the round (approve, publish).
async fn on_version(f: &Fixture, cookie: Option<&str>, endpoint: &str, version: Uuid) -> Reply {
    let (round, version) = (f.round.to_string(), version.to_string());
    call(
        f,
        cookie,
        endpoint,
        &[("round_id", &round), ("version_id", &version)],
    )
    .await
}

/// Records the authority's order for the tied group of KT-01.
async fn tie(f: &Fixture, cookie: Option<&str>, order: &str, decided_on: &str) -> Reply {
    let round = f.round.to_string();
    call(
        f,
        cookie,
        "tie",
        &[
            ("round_id", &round),
            ("position", "KT-01"),
            ("order", order),
            ("decided_by", "Giám đốc Sở Nội vụ"),
            ("decided_on", decided_on),
            ("document_ref", "Quyết định số 12/QĐ-SNV"),
        ],
    )
    .await
}

/// A public lookup from this test's address.
async fn lookup(f: &Fixture, number: &str, code: &str) -> Reply {
    lookup_from(&f.app, f.round, f.address, number, code).await
}

async fn lookup_from(app: &TestApp, round: Uuid, address: &str, number: &str, code: &str) -> Reply {
    let round = round.to_string();
    app.post_with(
        "/api/results/lookup",
        &[("round_id", &round), ("number", number), ("code", code)],
        None,
        &[("x-forwarded-for", address)],
    )
    .await
}

/// The personal lookup code of candidate number `n`, as stored.
async fn lookup_code(f: &Fixture, n: i32) -> String {
    sqlx::query_scalar(
        "select a.lookup_code from applications a
         join candidate_numbers c on c.application_id = a.id
         where c.round_id = $1 and c.number = $2",
    )
    .bind(f.round)
    .bind(n)
    .fetch_one(&f.pool)
    .await
    .unwrap()
}

/// A server process on `pool` behind a trusted proxy (so a test may say which address it calls
/// from), whose clock reads NOW; a test may start a second one on the same database.
fn process(pool: &PgPool) -> TestApp {
    let settings = HttpSettings {
        public_origin: None,
        secure_cookies: false,
        trust_proxy: true,
        session_idle_minutes: 60,
        clock: Clock::fixed(NOW),
    };
    TestApp {
        router: router(
            pool.clone(),
            LeptosOptions::builder().output_name("portal").build(),
            settings,
        ),
        pool: pool.clone(),
    }
}

/// The results page as HR sees it.
async fn view(f: &Fixture) -> Value {
    let reply = on_round(f, Some(&f.hr.cookie), "round").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// HR computes a draft; its version number.
async fn compute(f: &Fixture) -> u64 {
    let reply = on_round(f, Some(&f.hr.cookie), "compute").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_u64().unwrap()
}

/// The draft or approved version waiting for publication.
async fn open_version(f: &Fixture) -> Uuid {
    let view = view(f).await;
    view["open"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no open version: {view}"))
        .parse()
        .unwrap()
}

async fn approve(f: &Fixture, version: Uuid) {
    let reply = on_version(f, Some(&f.chair.cookie), "approve", version).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// Publishes, then tells everyone as every server process's background task does.
async fn publish(f: &Fixture, version: Uuid) {
    publish_only(f, version).await;
    everyone_told(&f.pool).await;
}

async fn publish_only(f: &Fixture, version: Uuid) {
    let reply = on_version(f, Some(&f.hr.cookie), "publish", version).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// Computes, approves and publishes; the published version's id.
async fn compute_and_publish(f: &Fixture) -> Uuid {
    compute(f).await;
    let version = open_version(f).await;
    approve(f, version).await;
    publish(f, version).await;
    version
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A stored version: (version, status, canonical text, digest).
async fn stored(pool: &PgPool, id: Uuid) -> (i32, String, String, String) {
    sqlx::query_as("select version, status, canonical, digest from result_versions where id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn round_status(f: &Fixture) -> String {
    sqlx::query_scalar("select status from rounds where id = $1")
        .bind(f.round)
        .fetch_one(&f.pool)
        .await
        .unwrap()
}

/// The lines of KT-01 that say where each candidate stands and why.
fn lines(positions: &Value) -> Vec<Value> {
    let position = &positions[0];
    assert_eq!(position["code"], "KT-01");
    position["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            json!({
                "number": c["number"], "rank": c["rank"], "outcome": c["outcome"],
                "unit": c["unit"], "reserve_place": c["reserve_place"], "reason": c["reason"],
                "tie_break": c["tie_break"],
            })
        })
        .collect()
}

fn line(
    number: &str,
    rank: Value,
    outcome: &str,
    unit: Value,
    place: Value,
    reason: Value,
) -> Value {
    json!({
        "number": number, "rank": rank, "outcome": outcome, "unit": unit,
        "reserve_place": place, "reason": reason, "tie_break": "not_tied",
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn only_hr_and_the_rounds_chair_handle_results_each_their_own_part(pool: PgPool) {
    let f = setup(&pool, "203.0.113.1").await;
    candidate(&f, 1, "Nguyễn Văn An", true, Some(8000)).await;
    candidate(&f, 2, "Trần Thị Bình", true, Some(7000)).await;
    decode(&f).await;
    assert_eq!(compute(&f).await, 1);
    let draft = open_version(&f).await;

    let applicant = f
        .app
        .register("ungvien@example.vn", "mật khẩu thí sinh 2026")
        .await;
    let marker = staff(&f.app, "gk@example.vn", &[Role::Marker]).await;
    member(&f, &marker, "marker").await;
    // A chair, but not of this round's board.
    let other_chair = staff(&f.app, "ct2@example.vn", &[Role::BoardChair]).await;
    let outsiders = [
        ("anonymous", None, StatusCode::UNAUTHORIZED),
        ("applicant", Some(applicant.as_str()), StatusCode::FORBIDDEN),
        (
            "marker",
            Some(marker.cookie.as_str()),
            StatusCode::FORBIDDEN,
        ),
        (
            "unrelated chair",
            Some(other_chair.cookie.as_str()),
            StatusCode::FORBIDDEN,
        ),
    ];
    for (who, cookie, status) in outsiders {
        let replies = [
            ("round", on_round(&f, cookie, "round").await),
            ("compute", on_round(&f, cookie, "compute").await),
            (
                "tie",
                tie(&f, cookie, "NA27-00001,NA27-00002", "15/03/2027").await,
            ),
            ("approve", on_version(&f, cookie, "approve", draft).await),
            ("publish", on_version(&f, cookie, "publish", draft).await),
        ];
        for (endpoint, reply) in replies {
            assert_eq!(reply.status, status, "{who} {endpoint}: {}", reply.body);
            assert!(!reply.body.contains("Nguyễn Văn An"), "{who} {endpoint}");
        }
    }

    // HR computes, records ties and publishes, but does not approve.
    let by_hr = on_version(&f, Some(&f.hr.cookie), "approve", draft).await;
    assert_eq!(by_hr.status, StatusCode::FORBIDDEN, "{}", by_hr.body);
    // The chair approves, but neither computes, records ties nor publishes.
    let chair = Some(f.chair.cookie.as_str());
    for (endpoint, reply) in [
        ("compute", on_round(&f, chair, "compute").await),
        (
            "tie",
            tie(&f, chair, "NA27-00001,NA27-00002", "15/03/2027").await,
        ),
    ] {
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{endpoint}: {}",
            reply.body
        );
    }
    assert_eq!(stored(&pool, draft).await.1, "draft");
    approve(&f, draft).await;
    let by_chair = on_version(&f, chair, "publish", draft).await;
    assert_eq!(by_chair.status, StatusCode::FORBIDDEN, "{}", by_chair.body);

    // Both see the page, each with their own part.
    let for_chair = on_round(&f, chair, "round").await;
    assert_eq!(for_chair.status, StatusCode::OK, "{}", for_chair.body);
    let for_chair = for_chair.json();
    assert_eq!(
        (&for_chair["is_hr"], &for_chair["is_chair"]),
        (&json!(false), &json!(true))
    );
    let for_hr = view(&f).await;
    assert_eq!(
        (&for_hr["is_hr"], &for_hr["is_chair"]),
        (&json!(true), &json!(false))
    );
    assert_eq!(for_hr["open"]["status"], "approved");

    // Nothing the refused calls asked for happened.
    assert_eq!(count(&pool, "result_versions").await, 1);
    assert_eq!(stored(&pool, draft).await.1, "approved");
    assert_eq!(count(&pool, "tie_decisions").await, 0);
    assert_eq!(round_status(&f).await, "marking");
    assert_eq!(
        on_round(&f, None, "published").await.json(),
        Value::Null,
        "not published"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_is_approved_published_told_to_everyone_and_verifiable(pool: PgPool) {
    let f = setup(&pool, "203.0.113.2").await;
    let names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"];
    let mut ids = Vec::new();
    for (i, (name, score)) in names.iter().zip([8000, 7000, 4000]).enumerate() {
        ids.push(candidate(&f, i as i32 + 1, name, true, Some(score)).await);
    }

    // Not before stage-2 marks are decoded.
    let early = on_round(&f, Some(&f.hr.cookie), "compute").await;
    assert_eq!(refusal(&early), refused("compute", "ErrResultsNotDecoded"));
    assert_eq!(count(&pool, "result_versions").await, 0);
    assert_eq!(view(&f).await["decoded"], false);
    decode(&f).await;
    assert_eq!(view(&f).await["decoded"], true);

    assert_eq!(compute(&f).await, 1);
    let draft_view = view(&f).await;
    let open = &draft_view["open"];
    assert_eq!(
        (&open["version"], &open["status"]),
        (&json!(1), &json!("draft"))
    );
    let digest = open["digest"].as_str().unwrap().to_string();
    assert_eq!(digest.len(), 64);
    assert!(digest
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    let version: Uuid = open["id"].as_str().unwrap().parse().unwrap();
    let (number, status, canonical, stored_digest) = stored(&pool, version).await;
    assert_eq!((number, status.as_str()), (1, "draft"));
    assert_eq!(stored_digest, digest);
    assert_eq!(sha256_hex(canonical.as_bytes()), digest);
    // The canonical text is the snapshot the page shows, with nothing between its tokens,
    // and the ranking in the file format (which the page does not download).
    let snapshot: Value = serde_json::from_str(&canonical).unwrap();
    let mut shown = snapshot.clone();
    let file_format =
        ["ranking_input", "ranking"].map(|key| shown.as_object_mut().unwrap().remove(key));
    assert!(file_format.iter().all(Option::is_some));
    assert_eq!(shown, draft_view["snapshot"]);
    assert_eq!(snapshot["format"], "ket-qua-tuyen-dung/3");
    assert_eq!(snapshot["computed_at"], "2027-03-10T02:00:00Z");
    assert_eq!(snapshot["round_id"], json!(f.round));
    assert!(!canonical.contains(": ") && !canonical.contains('\n'));
    // A draft is not for download.
    let path = format!("/results/{}/versions/1", f.round);
    assert_eq!(f.app.get(&path, None).await.status, StatusCode::NOT_FOUND);

    // Only an approved version is published.
    let early = on_version(&f, Some(&f.hr.cookie), "publish", version).await;
    assert_eq!(refusal(&early), refused("publish", "ErrNotApproved"));
    assert_eq!(stored(&pool, version).await.1, "draft");
    approve(&f, version).await;
    let approved = view(&f).await;
    assert_eq!(approved["open"]["status"], "approved");
    assert_eq!(approved["open"]["approved_at"], "10/03/2027 09:00");
    assert_eq!(
        approved["open"]["publish_by"], "12/03/2027",
        "two working days"
    );
    // Approving twice is refused: it is no longer a draft.
    let again = on_version(&f, Some(&f.chair.cookie), "approve", version).await;
    assert_eq!(refusal(&again), refused("approve", "ErrNoDraft"));
    publish_only(&f, version).await;
    // Publishing queued one notice per candidate in its transaction; they are recorded and
    // sent after the commit.
    everyone_told(&pool).await;

    assert_eq!(round_status(&f).await, "published");
    let (_, status, after, after_digest) = stored(&pool, version).await;
    assert_eq!(
        (status.as_str(), after_digest.as_str()),
        ("published", digest.as_str())
    );
    assert_eq!(after, canonical);
    let published_view = view(&f).await;
    assert_eq!(published_view["open"], Value::Null);
    assert_eq!(published_view["published"][0]["status"], "published");
    assert_eq!(
        published_view["published"][0]["published_at"],
        "10/03/2027 09:00"
    );

    // Every candidate is told their own outcome, in the timeline, the portal and by e-mail.
    // The winner also learns the last day of the dossier: 20 days under Decree 170/2025 as
    // first made (Art 18.1), from the publication on 10 March.
    let expected = [
        "Trúng tuyển (Selected): STC; hạn hoàn thiện hồ sơ (dossier due): 30/03/2027",
        "Dự phòng (Reserve list) #1",
        "Không trúng tuyển (Not selected)",
    ];
    for (i, (id, outcome)) in ids.iter().zip(expected).enumerate() {
        let events: Vec<(Option<String>, Option<Uuid>)> = sqlx::query_as(
            "select reason, actor_id from application_events
             where application_id = $1 and kind = 'result_published'",
        )
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(events, [(Some(outcome.to_string()), Some(f.hr.id))]);
        let notices: Vec<(Option<String>, bool)> = sqlx::query_as(
            "select n.reason, n.user_id = a.applicant_id from notifications n
             join applications a on a.id = n.application_id
             where n.application_id = $1 and n.kind = 'result_published'",
        )
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(notices, [(Some(outcome.to_string()), true)]);
        let mails: Vec<String> =
            sqlx::query_scalar("select body from email_outbox where to_address = $1")
                .bind(format!("ts{}@example.vn", i + 1))
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].contains(outcome), "{}", mails[0]);
    }

    // Anyone reads the published result.
    let public = on_round(&f, None, "published").await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    let public = public.json();
    assert_eq!(public["version"], 1);
    assert_eq!(public["digest"], digest.as_str());
    assert_eq!(public["round_name"], "Kỳ tuyển dụng thử");
    assert_eq!(public["authority"], "UBND tỉnh");
    assert_eq!(public["published_at"], "10/03/2027 09:00");
    // The round's page lists each position with its winners; the full list is the position's.
    assert_eq!(public["positions"][0]["code"], "KT-01");
    assert_eq!(public["positions"][0]["reserve"], 1);
    assert_eq!(
        public["positions"][0]["selected"][0]["number"],
        "NA27-00001"
    );
    assert_eq!(
        public["positions"][0]["selected"].as_array().unwrap().len(),
        1
    );
    let round = f.round.to_string();
    let position = call(
        &f,
        None,
        "published_position",
        &[("round_id", &round), ("code", "KT-01")],
    )
    .await
    .json();
    assert_eq!(position["digest"], digest.as_str());
    assert_eq!(position["position"], snapshot["positions"][0]);
    let unknown = call(
        &f,
        None,
        "published_position",
        &[("round_id", &round), ("code", "KT-99")],
    )
    .await;
    assert_eq!(unknown.body, "null");
    assert_eq!(
        lines(&json!([position["position"]])),
        [
            line(
                "NA27-00001",
                json!(1),
                "selected",
                json!("STC"),
                Value::Null,
                Value::Null
            ),
            line(
                "NA27-00002",
                json!(2),
                "reserve",
                Value::Null,
                json!(1),
                Value::Null
            ),
            line(
                "NA27-00003",
                Value::Null,
                "not_selected",
                Value::Null,
                Value::Null,
                json!("below_pass_mark")
            ),
        ]
    );

    // The export's digest can be checked by anyone: the downloaded bytes hash to it.
    let download = f.app.get(&path, None).await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.body);
    assert!(download.headers[http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(sha256_hex(download.body.as_bytes()), digest);
    assert_eq!(download.body, canonical);
    let missing = format!("/results/{}/versions/2", f.round);
    assert_eq!(
        f.app.get(&missing, None).await.status,
        StatusCode::NOT_FOUND
    );

    // The public page loads no WebAssembly, and a visitor's copy may be cached (by a CDN on
    // results day); a signed-in reader's never is (the header names them; `no-store`).
    let page = f.app.get(&format!("/results/{}", f.round), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&digest));
    assert!(!page.body.contains(".wasm") && !page.body.contains("/pkg/portal.js"));
    assert_eq!(
        page.headers[http::header::CACHE_CONTROL],
        "public, max-age=60, stale-while-revalidate=300"
    );
    assert_eq!(page.headers[http::header::VARY], "Cookie");
    let signed_in = f
        .app
        .get(&format!("/results/{}", f.round), Some(&f.hr.cookie))
        .await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert_eq!(signed_in.headers[http::header::CACHE_CONTROL], "no-store");
    // Every other page still hydrates.
    let rounds = f.app.get("/rounds", None).await;
    assert!(rounds.body.contains("/pkg/portal"), "{}", rounds.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn priority_points_decide_the_place_and_everyone_else_is_told_why(pool: PgPool) {
    let f = setup(&pool, "203.0.113.3").await;
    candidate(&f, 1, "Nguyễn Văn An", true, Some(8000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", true, Some(7600)).await;
    // Ethnic minority: 5 points under Decree 170/2025.
    set_priority(&f, binh, "dan_toc_thieu_so_quan_nhan").await;
    candidate(&f, 3, "Lê Văn Cường", true, Some(4500)).await;
    candidate(&f, 4, "Phạm Thị Dung", true, None).await;
    candidate(&f, 5, "Hoàng Văn Em", false, None).await;
    let giang = candidate(&f, 6, "Vũ Thị Giang", true, Some(9500)).await;
    violation(&f, giang).await;
    decode(&f).await;
    compute(&f).await;

    let view = view(&f).await;
    let positions = &view["snapshot"]["positions"];
    let none = Value::Null;
    let not_selected = |number: &str, reason: &str| {
        line(
            number,
            Value::Null,
            "not_selected",
            Value::Null,
            Value::Null,
            json!(reason),
        )
    };
    assert_eq!(
        lines(positions),
        [
            line(
                "NA27-00002",
                json!(1),
                "selected",
                json!("STC"),
                none.clone(),
                none.clone()
            ),
            line(
                "NA27-00001",
                json!(2),
                "reserve",
                none.clone(),
                json!(1),
                none.clone()
            ),
            not_selected("NA27-00003", "below_pass_mark"),
            not_selected("NA27-00004", "absent"),
            not_selected("NA27-00005", "stage1_not_passed"),
            not_selected("NA27-00006", "excluded"),
        ]
    );
    let scores: Vec<(Value, Value, Value)> = positions[0]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["stage2"].clone(),
                c["priority"].clone(),
                c["total"].clone(),
            )
        })
        .collect();
    assert_eq!(
        scores,
        [
            (json!(7600), json!(500), json!(8100)),
            (json!(8000), json!(0), json!(8000)),
            (json!(4500), json!(0), json!(4500)),
            (none.clone(), json!(0), none.clone()),
            (none.clone(), json!(0), none.clone()),
            (json!(9500), json!(0), json!(9500)),
        ]
    );
    // The snapshot names the winner only and holds no date of birth; HR sees every name
    // beside it.
    let first = &positions[0]["candidates"][0];
    assert_eq!(
        (&first["full_name"], &first["date_of_birth"]),
        (&json!("Trần Thị Bình"), &Value::Null)
    );
    let second = &positions[0]["candidates"][1];
    assert_eq!(second["full_name"], Value::Null);
    assert_eq!(
        view["names"][second["number"].as_str().unwrap()],
        json!("Nguyễn Văn An")
    );
    assert_eq!(positions[0]["ties"], json!([]));
    assert_eq!(
        positions[0]["units"],
        json!([{"code": "STC", "name": "Sở Tài chính", "quota": 1}])
    );
    assert_eq!(view["snapshot"]["stage2_pass_mark"], 50);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_tie_at_the_last_place_waits_for_the_authoritys_decision(pool: PgPool) {
    let f = setup(&pool, "203.0.113.4").await;
    let an = candidate(&f, 1, "Nguyễn Văn An", true, Some(7000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", true, Some(7000)).await;
    candidate(&f, 3, "Lê Văn Cường", true, Some(6000)).await;
    decode(&f).await;
    compute(&f).await;

    let draft = view(&f).await;
    let first_draft: Uuid = draft["open"]["id"].as_str().unwrap().parse().unwrap();
    let position = &draft["snapshot"]["positions"][0];
    assert_eq!(
        position["ties"],
        json!([{"unit": "STC", "places": 1, "candidates": ["NA27-00001", "NA27-00002"]}])
    );
    let undecided = |number: &str| {
        json!({
            "number": number, "rank": 1, "outcome": "not_selected", "unit": null,
            "reserve_place": null, "reason": "undecided_tie", "tie_break": "undecided",
        })
    };
    assert_eq!(
        lines(&draft["snapshot"]["positions"]),
        [
            undecided("NA27-00001"),
            undecided("NA27-00002"),
            line(
                "NA27-00003",
                json!(3),
                "reserve",
                Value::Null,
                json!(1),
                Value::Null
            ),
        ]
    );
    // Neither approved nor published while the tie waits.
    let approve_tied = on_version(&f, Some(&f.chair.cookie), "approve", first_draft).await;
    assert_eq!(
        refusal(&approve_tied),
        refused("approve", "ErrTiesUndecided")
    );
    let publish_tied = on_version(&f, Some(&f.hr.cookie), "publish", first_draft).await;
    assert_eq!(
        refusal(&publish_tied),
        refused("publish", "ErrTiesUndecided")
    );
    assert_eq!(stored(&pool, first_draft).await.1, "draft");

    // The decision names exactly the tied group, with a real date.
    let hr = Some(f.hr.cookie.as_str());
    for order in [
        "NA27-00001,NA27-00003",
        "NA27-00001",
        "NA27-00001,NA27-00002,NA27-00003",
    ] {
        let wrong = tie(&f, hr, order, "15/03/2027").await;
        assert_eq!(refusal(&wrong), refused("order", "ErrTieOrder"), "{order}");
    }
    for day in ["31/02/2027", "15-2027", ""] {
        let bad_date = tie(&f, hr, "NA27-00002,NA27-00001", day).await;
        assert_eq!(
            refusal(&bad_date),
            refused("decided_on", "ErrDateFormat"),
            "{day}"
        );
    }
    assert_eq!(count(&pool, "tie_decisions").await, 0);
    // Bình first, typed as people type.
    let decided = tie(&f, hr, " na27-00002 ; NA27-00001 ", "15/03/2027").await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    let recorded: (Vec<Uuid>, String, String, time::Date, Uuid) = sqlx::query_as(
        "select ordered, decided_by, document_ref, decided_on, recorded_by from tie_decisions",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        recorded,
        (
            vec![binh, an],
            "Giám đốc Sở Nội vụ".to_string(),
            "Quyết định số 12/QĐ-SNV".to_string(),
            time::macros::date!(2027 - 03 - 15),
            f.hr.id
        )
    );

    // Recomputed, the decided order places them; the old draft is gone.
    assert_eq!(compute(&f).await, 1);
    let decided_view = view(&f).await;
    let position = &decided_view["snapshot"]["positions"][0];
    assert_eq!(position["ties"], json!([]));
    let by_decision = |number: &str, rank: u32, outcome: &str, unit: Value, place: Value| {
        json!({
            "number": number, "rank": rank, "outcome": outcome, "unit": unit,
            "reserve_place": place, "reason": null, "tie_break": "authority_decision",
        })
    };
    assert_eq!(
        lines(&decided_view["snapshot"]["positions"]),
        [
            by_decision("NA27-00002", 1, "selected", json!("STC"), Value::Null),
            by_decision("NA27-00001", 2, "reserve", Value::Null, json!(1)),
            line(
                "NA27-00003",
                json!(3),
                "reserve",
                Value::Null,
                json!(2),
                Value::Null
            ),
        ]
    );
    let cited = "Quyết định số 12/QĐ-SNV – Giám đốc Sở Nội vụ – 15/03/2027";
    for c in &position["candidates"].as_array().unwrap()[..2] {
        assert_eq!(c["decision"], cited, "{c}");
    }
    assert_eq!(position["candidates"][2]["decision"], Value::Null);
    let stale = on_version(&f, Some(&f.chair.cookie), "approve", first_draft).await;
    assert_eq!(refusal(&stale), refused("approve", "ErrNoDraft"));
    let new_draft: Uuid = decided_view["open"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(new_draft, first_draft);
    assert_eq!(count(&pool, "result_versions").await, 1);
    approve(&f, new_draft).await;
    assert_eq!(stored(&pool, new_draft).await.1, "approved");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_published_version_never_changes_and_a_later_one_supersedes_it(pool: PgPool) {
    let f = setup(&pool, "203.0.113.5").await;
    let an = candidate(&f, 1, "Nguyễn Văn An", true, Some(8000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", true, Some(7000)).await;
    decode(&f).await;
    let first = compute_and_publish(&f).await;
    let (_, _, canonical, digest) = stored(&pool, first).await;

    // Not even the application's own connection changes or removes it.
    let first_id = first.to_string();
    for statement in [
        "update result_versions set canonical = 'x' where id = $1::uuid",
        "update result_versions set digest = repeat('0', 64) where id = $1::uuid",
        "update result_versions set status = 'draft' where id = $1::uuid",
        "update result_versions set version = 7 where id = $1::uuid",
        "delete from result_versions where id = $1::uuid",
        "delete from result_versions where version >= 1 or id = $1::uuid",
    ] {
        let outcome = sqlx::query(statement).bind(&first_id).execute(&pool).await;
        assert!(outcome.is_err(), "{statement}");
        assert!(
            outcome
                .unwrap_err()
                .to_string()
                .contains("published results are immutable"),
            "{statement}"
        );
    }
    assert_eq!(
        stored(&pool, first).await,
        (
            1,
            "published".to_string(),
            canonical.clone(),
            digest.clone()
        )
    );

    // After an appeal Bình's paper is regraded: a new draft, version 2; version 1 stays.
    set_score(&f, binh, 8500).await;
    assert_eq!(compute(&f).await, 2);
    let draft_view = view(&f).await;
    assert_eq!(
        (
            &draft_view["open"]["version"],
            &draft_view["open"]["status"]
        ),
        (&json!(2), &json!("draft"))
    );
    let second: Uuid = draft_view["open"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        stored(&pool, first).await,
        (
            1,
            "published".to_string(),
            canonical.clone(),
            digest.clone()
        )
    );
    // Until version 2 is published, the public still sees version 1.
    let public = on_round(&f, None, "published").await.json();
    assert_eq!(
        (&public["version"], &public["digest"]),
        (&json!(1), &json!(digest))
    );
    assert_eq!(
        public["positions"][0]["selected"][0]["number"],
        "NA27-00001"
    );
    // Recomputing the draft keeps its number.
    assert_eq!(compute(&f).await, 2);
    let second = {
        let again = open_version(&f).await;
        assert_ne!(again, second);
        again
    };
    approve(&f, second).await;
    publish(&f, second).await;

    let (_, status, _, second_digest) = stored(&pool, second).await;
    assert_eq!(status, "published");
    assert_ne!(second_digest, digest);
    assert_eq!(
        stored(&pool, first).await,
        (
            1,
            "superseded".to_string(),
            canonical.clone(),
            digest.clone()
        )
    );
    let page = view(&f).await;
    let versions: Vec<(Value, Value)> = page["published"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].clone(), v["status"].clone()))
        .collect();
    assert_eq!(
        versions,
        [
            (json!(1), json!("superseded")),
            (json!(2), json!("published"))
        ]
    );
    // A superseded version is as fixed as a published one.
    for statement in [
        "update result_versions set canonical = 'x' where id = $1::uuid",
        "update result_versions set status = 'published' where id = $1::uuid",
        "delete from result_versions where id = $1::uuid",
    ] {
        let outcome = sqlx::query(statement).bind(&first_id).execute(&pool).await;
        assert!(outcome.is_err(), "{statement}");
    }

    let public = on_round(&f, None, "published").await.json();
    assert_eq!(
        (&public["version"], &public["digest"]),
        (&json!(2), &json!(second_digest))
    );
    assert_eq!(
        public["positions"][0]["selected"][0]["number"],
        "NA27-00002"
    );
    assert_eq!(public["positions"][0]["selected"][0]["outcome"], "selected");
    // The public list of what changed: Bình's new mark and place, and whom it displaced.
    let changes = public["changes"].as_array().unwrap();
    let binh_change = changes
        .iter()
        .find(|c| c["number"] == "NA27-00002")
        .expect("the regraded candidate is listed");
    assert_eq!(binh_change["new_stage2"], json!(8500));
    assert_eq!(binh_change["new_outcome"], json!("selected STC"));
    assert!(
        changes
            .iter()
            .any(|c| c["number"] != "NA27-00002" && c["old_outcome"] == "selected STC"),
        "{changes:?}"
    );
    // Both versions stay downloadable, each matching its own digest.
    for (number, expected) in [(1, &digest), (2, &second_digest)] {
        let download = f
            .app
            .get(&format!("/results/{}/versions/{number}", f.round), None)
            .await;
        assert_eq!(download.status, StatusCode::OK, "{}", download.body);
        assert_eq!(&sha256_hex(download.body.as_bytes()), expected);
    }
    // Everyone is told again, with the new outcome.
    let told: Vec<Option<String>> = sqlx::query_scalar(
        "select reason from application_events
         where application_id = $1 and kind = 'result_published' order by id",
    )
    .bind(an)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        told,
        [
            Some(
                "Trúng tuyển (Selected): STC; hạn hoàn thiện hồ sơ (dossier due): 30/03/2027"
                    .to_string()
            ),
            Some("Dự phòng (Reserve list) #1".to_string())
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_candidate_finds_their_own_line_by_number_and_personal_code(pool: PgPool) {
    let f = setup(&pool, "203.0.113.6").await;
    candidate(&f, 1, "Nguyễn Văn An", true, Some(8000)).await;
    candidate(&f, 2, "Trần Thị Bình", true, Some(7050)).await;
    decode(&f).await;
    compute(&f).await;
    let code = lookup_code(&f, 2).await;
    assert_eq!(code.len(), 8);
    assert!(code
        .chars()
        .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)));
    assert_ne!(
        code,
        lookup_code(&f, 1).await,
        "each candidate has their own"
    );

    // Nothing to find before publication.
    let early = lookup(&f, "NA27-00002", &code).await;
    assert_eq!(early.status, StatusCode::NOT_FOUND, "{}", early.body);
    compute_and_publish(&f).await;
    let digest: String =
        sqlx::query_scalar("select digest from result_versions where status = 'published'")
            .fetch_one(&pool)
            .await
            .unwrap();

    // Typed as people type it: lower case, the dash of the ticket, spaces.
    let typed = format!(" {}-{} ", code[..4].to_lowercase(), &code[4..]);
    let found = lookup(&f, " na27-00002 ", &typed).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(!found.body.contains("Nguyễn Văn An"), "only their own line");
    let found = found.json();
    let candidate = &found["candidate"];
    assert_eq!(
        (
            &candidate["number"],
            &candidate["outcome"],
            &candidate["reserve_place"],
            &candidate["rank"],
            &candidate["stage2"],
            &candidate["total"],
        ),
        (
            &json!("NA27-00002"),
            &json!("reserve"),
            &json!(1),
            &json!(2),
            &json!(7050),
            &json!(7050)
        )
    );
    assert_eq!(found["position_code"], "KT-01");
    assert_eq!(found["position_title"], "Chuyên viên kế toán");
    assert_eq!(
        (&found["version"], &found["digest"]),
        (&json!(1), &json!(digest))
    );
    assert_eq!(
        (&found["pass_mark"], &found["quota"]),
        (&json!(50), &json!(1))
    );

    // Someone else's code, the old secret (the date of birth), or no code finds nothing.
    let other = lookup_code(&f, 1).await;
    assert_eq!(
        refusal(&lookup(&f, "NA27-00002", &other).await),
        refused("number", "ErrLookupNotFound")
    );
    assert_eq!(
        refusal(&lookup(&f, "NA27-00002", "14/03/1992").await),
        refused("number", "ErrLookupNotFound")
    );
    assert_eq!(
        refusal(&lookup(&f, "NA27-00009", &code).await),
        refused("number", "ErrLookupNotFound")
    );
    assert_eq!(
        refusal(&lookup(&f, "NA27-00002", "  ").await),
        refused("code", "ErrRequired")
    );
    assert_eq!(
        refusal(&lookup(&f, "", &code).await),
        refused("number", "ErrRequired")
    );
}

/// Issue 16, item 7: everything published about a round (its pages, the canonical file whose
/// digest is public, the CSV and XLSX lists) names only the winners, holds no one's date of
/// birth nor any lookup code, and nothing found in them looks up anyone's result. Decree
/// 170/2025 Art 15–19 make public the exam scores and the winners; no more is published.
#[sqlx::test(migrations = "../migrations")]
async fn the_lookup_answers_nothing_from_data_found_in_public_files(pool: PgPool) {
    let f = setup(&pool, "203.0.113.16").await;
    candidate(&f, 1, "Nguyễn Văn An", true, Some(8000)).await;
    candidate(&f, 2, "Trần Thị Bình", true, Some(7050)).await;
    candidate(&f, 3, "Lê Văn Cường", true, None).await;
    candidate(&f, 4, "Phạm Thị Dung", false, None).await;
    decode(&f).await;
    compute_and_publish(&f).await;

    let round = f.round;
    let mut public = String::new();
    for path in [
        format!("/results/{round}"),
        format!("/results/{round}/positions/KT-01"),
        format!("/results/{round}/versions/1"),
        format!("/results/{round}/export/ket-qua.csv"),
    ] {
        let reply = f.app.get(&path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        public.push_str(&reply.body);
    }
    // (The XLSX list is written from the same rows as the CSV.)
    // The winner by name; their scores and everyone's by number.
    assert!(public.contains("Nguyễn Văn An"));
    assert!(public.contains("NA27-00002") && public.contains("70,5"));
    for hidden in ["Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"] {
        assert!(!public.contains(hidden), "{hidden} is published");
    }
    for n in 1..=4 {
        let born = format!("14/03/{}", 1990 + n);
        let iso = format!("{}-03-14", 1990 + n);
        assert!(
            !public.contains(&born) && !public.contains(&iso),
            "a date of birth is published"
        );
        let code = lookup_code(&f, n).await;
        assert!(!public.contains(&code), "a lookup code is published");
        // Whatever the files say about a candidate is no key to their line.
        for guess in [born.as_str(), iso.as_str(), "Nguyễn Văn An", "NA27-00001"] {
            let number = format!("NA27-{n:05}");
            assert_eq!(
                refusal(&lookup(&f, &number, guess).await),
                refused("number", "ErrLookupNotFound"),
                "{number} with {guess}"
            );
        }
    }
}

/// Issue 16, item 10: the lookup limit is kept in the database, so two server processes hold
/// twenty a minute from one address together, not twenty each.
#[sqlx::test(migrations = "../migrations")]
async fn lookups_from_one_address_are_limited_to_twenty_a_minute_across_processes(pool: PgPool) {
    let f = setup(&pool, "198.51.100.7").await;
    candidate(&f, 1, "Nguyễn Văn An", true, Some(8000)).await;
    decode(&f).await;
    compute_and_publish(&f).await;
    let code = lookup_code(&f, 1).await;
    let other = process(&f.pool);

    // Twenty at once, half through each process: all answered.
    let mut at_once = tokio::task::JoinSet::new();
    for n in 0..20u32 {
        let app = TestApp {
            router: if n.is_multiple_of(2) {
                f.app.router.clone()
            } else {
                other.router.clone()
            },
            pool: pool.clone(),
        };
        let (round, code) = (f.round, code.clone());
        at_once.spawn(async move {
            lookup_from(&app, round, "198.51.100.7", "NA27-00001", &code)
                .await
                .status
        });
    }
    while let Some(status) = at_once.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::OK);
    }
    // The twenty-first is refused by either process.
    for app in [&f.app, &other] {
        let refused_reply = lookup_from(app, f.round, "198.51.100.7", "NA27-00001", &code).await;
        assert_eq!(
            refusal(&refused_reply),
            refused("number", "ErrTooManyLookups")
        );
    }
    // Other addresses keep their own allowance.
    let elsewhere = lookup_from(&other, f.round, "198.51.100.8", "NA27-00001", &code).await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.body);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_winner_without_a_dossier_hands_the_place_to_the_next_reserve(pool: PgPool) {
    let f = setup(&pool, "203.0.113.9").await;
    let mut ids = Vec::new();
    for (i, (name, score)) in [
        ("Nguyễn Văn An", 8000),
        ("Trần Thị Bình", 7000),
        ("Lê Văn Cường", 6000),
    ]
    .iter()
    .enumerate()
    {
        ids.push(candidate(&f, i as i32 + 1, name, true, Some(*score)).await);
    }
    decode(&f).await;
    compute_and_publish(&f).await;
    let round = f.round.to_string();
    let dossier =
        |cookie: String, number: &'static str, outcome: &'static str, reason: &'static str| {
            let round = round.clone();
            let f = &f;
            async move {
                call(
                    f,
                    Some(&cookie),
                    "dossier",
                    &[
                        ("round_id", &round),
                        ("number", number),
                        ("outcome", outcome),
                        ("reason", reason),
                    ],
                )
                .await
            }
        };
    let winners = view(&f).await["winners"].clone();
    assert_eq!(winners.as_array().unwrap().len(), 1);
    assert_eq!(winners[0]["number"], "NA27-00001");
    assert_eq!(winners[0]["dossier"], Value::Null);

    // Only HR records; a reason is needed for a failure; only winners have dossiers.
    let chair = dossier(
        f.chair.cookie.clone(),
        "NA27-00001",
        "incomplete",
        "Không nộp",
    )
    .await;
    assert_eq!(chair.status, StatusCode::FORBIDDEN);
    let no_reason = dossier(f.hr.cookie.clone(), "NA27-00001", "incomplete", " ").await;
    assert_eq!(refusal(&no_reason), refused("reason", "ErrReasonRequired"));
    let no_ground = dossier(f.hr.cookie.clone(), "NA27-00001", "lost", "Không nộp").await;
    assert_eq!(refusal(&no_ground), refused("outcome", "ErrDossierOutcome"));
    let not_winner = dossier(f.hr.cookie.clone(), "NA27-00002", "complete", "").await;
    assert_eq!(refusal(&not_winner), refused("number", "ErrNotAWinner"));
    assert_eq!(count(&pool, "dossier_outcomes").await, 0);

    // The winner did not complete it: the first on the reserve list takes the place.
    let failed = dossier(
        f.hr.cookie.clone(),
        "na27-00001",
        "incomplete",
        "Không nộp hồ sơ trong 15 ngày",
    )
    .await;
    assert_eq!(failed.status, StatusCode::OK, "{}", failed.body);
    assert_eq!(failed.json(), json!("NA27-00002"));
    let again = dossier(f.hr.cookie.clone(), "NA27-00001", "complete", "").await;
    assert_eq!(refusal(&again), refused("number", "ErrDossierRecorded"));
    let winners = view(&f).await["winners"].clone();
    let rows: Vec<(Value, Value, Value)> = winners
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["number"].clone(),
                w["in_place_of"].clone(),
                w["dossier"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                json!("NA27-00001"),
                Value::Null,
                json!({"outcome": "Incomplete", "reason": "Không nộp hồ sơ trong 15 ngày",
                       "listed": false})
            ),
            (json!("NA27-00002"), json!("NA27-00001"), Value::Null),
        ]
    );
    // Both are told, each on their own timeline.
    for (id, kind) in [(ids[0], "dossier_failed"), (ids[1], "recognised")] {
        let events: i64 = sqlx::query_scalar(
            "select count(*) from application_events where application_id = $1 and kind = $2",
        )
        .bind(id)
        .bind(kind)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(events, 1, "{kind}");
    }
    // The recognised candidate completes theirs; the place is not passed on again.
    let done = dossier(f.hr.cookie.clone(), "NA27-00002", "complete", "").await;
    assert_eq!(done.json(), Value::Null);
    assert_eq!(count(&pool, "recognitions").await, 1);
}

/// The events of `kind` on an application's timeline.
async fn events(pool: &PgPool, application: Uuid, kind: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from application_events where application_id = $1 and kind = $2",
    )
    .bind(application)
    .bind(kind)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// KT-01's candidates NA27-00001… with these names and stage-2 scores, the result published,
/// then the round put under the amended decree: the steps after selection read the round's
/// rule set when they happen. Their application ids, in order.
async fn published_under_amended_decree(f: &Fixture, people: &[(&str, i32)]) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for (i, (name, score)) in people.iter().enumerate() {
        ids.push(candidate(f, i as i32 + 1, name, true, Some(*score)).await);
    }
    decode(f).await;
    compute_and_publish(f).await;
    sqlx::query(
        "update rounds set rule_set_id = (select id from rule_sets
                                          where code = 'ND170-2025-ND300-2026' and version = 1)
         where id = $1",
    )
    .bind(f.round)
    .execute(&f.pool)
    .await
    .unwrap();
    ids
}

/// Decree 170/2025 Art 18 as amended by Decree 300/2026: a struck-off winner (here for fraud)
/// goes on a published cancelled list with the reason; only then are the next-ranked
/// recognised, in order; candidates still equal wait for the head's recorded decision, never
/// for their candidate numbers.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn after_decree_300_the_cancelled_list_comes_first_and_the_head_decides_between_equals(
    pool: PgPool,
) {
    let f = setup(&pool, "203.0.113.10").await;
    let ids = published_under_amended_decree(
        &f,
        &[
            ("Nguyễn Văn An", 8000),
            ("Trần Thị Bình", 7000),
            ("Lê Văn Cường", 7000),
            ("Phạm Thị Dung", 6000),
        ],
    )
    .await;
    let round = f.round.to_string();
    let hr = Some(f.hr.cookie.as_str());
    let chair = Some(f.chair.cookie.as_str());

    // Struck off for fraud: nobody is recognised yet.
    let fraud = call(
        &f,
        hr,
        "dossier",
        &[
            ("round_id", &round),
            ("number", "NA27-00001"),
            ("outcome", "fraud"),
            ("reason", "Bằng tốt nghiệp đại học giả"),
        ],
    )
    .await;
    assert_eq!(fraud.status, StatusCode::OK, "{}", fraud.body);
    assert_eq!(fraud.json(), Value::Null);
    assert_eq!(count(&pool, "recognitions").await, 0);
    assert_eq!(events(&pool, ids[0], "dossier_fraud").await, 1);
    let panel = on_round(&f, hr, "after_selection").await.json();
    assert_eq!(panel["unlisted"], json!(["NA27-00001"]));
    assert_eq!(panel["waiting"], json!([]));
    // Nothing is public before the list is published.
    let public = on_round(&f, None, "cancelled").await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    assert_eq!(public.json(), json!([]));
    let early = on_round(&f, hr, "next_ranked").await;
    assert_eq!(early.json()["recognised"], json!([]));
    assert_eq!(count(&pool, "recognitions").await, 0);

    // Only HR publishes the list; once.
    assert_eq!(
        on_round(&f, chair, "publish_cancelled").await.status,
        StatusCode::FORBIDDEN
    );
    let listed = on_round(&f, hr, "publish_cancelled").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.json(), json!(1));
    let again = on_round(&f, hr, "publish_cancelled").await;
    assert_eq!(refusal(&again), refused("round", "ErrNothingToList"));
    let lists = on_round(&f, None, "cancelled").await.json();
    assert_eq!(lists[0]["version"], 1);
    let entry = &lists[0]["entries"][0];
    assert_eq!(
        (
            &entry["number"],
            &entry["outcome"],
            &entry["reason"],
            &entry["replaced_by"]
        ),
        (
            &json!("NA27-00001"),
            &json!("Fraud"),
            &json!("Bằng tốt nghiệp đại học giả"),
            &Value::Null
        )
    );

    // The next two are still equal after every rule: the head decides.
    let panel = on_round(&f, hr, "after_selection").await.json();
    assert_eq!(panel["waiting"], json!(["NA27-00001"]));
    assert_eq!(panel["tie"], json!(["NA27-00002", "NA27-00003"]));
    assert!(panel["next_ranked_due"].is_string(), "{panel}");
    let tied = on_round(&f, hr, "next_ranked").await;
    assert_eq!(tied.status, StatusCode::OK, "{}", tied.body);
    assert_eq!(tied.json()["tie"], json!(["NA27-00002", "NA27-00003"]));
    assert_eq!(count(&pool, "recognitions").await, 0);
    let next = |chosen: &'static str, decision: &'static str| {
        let round = round.clone();
        let f = &f;
        async move {
            call(
                f,
                Some(&f.hr.cookie),
                "next_ranked",
                &[
                    ("round_id", &round),
                    ("chosen", chosen),
                    ("head_decision", decision),
                ],
            )
            .await
        }
    };
    // Hostile input: a 100,000-character decision is refused like a missing one.
    let flood: &'static str = Box::leak("Quyết định ".repeat(10_000).into_boxed_str());
    let long = next("NA27-00003", flood).await;
    assert_eq!(
        refusal(&long),
        refused("head_decision", "ErrHeadDecisionRequired")
    );
    let outsider = next("NA27-00004", "Quyết định số 5/QĐ-UBND").await;
    assert_eq!(refusal(&outsider), refused("chosen", "ErrNotAmongEqual"));
    let unsigned = next("NA27-00003", " ").await;
    assert_eq!(
        refusal(&unsigned),
        refused("head_decision", "ErrHeadDecisionRequired")
    );
    assert_eq!(count(&pool, "recognitions").await, 0);
    let decided = next(
        "NA27-00003",
        "Quyết định số 5/QĐ-UBND ngày 10/3/2027 của Chủ tịch UBND tỉnh",
    )
    .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.json()["recognised"], json!(["NA27-00003"]));
    let (decision, list): (Option<String>, Option<Uuid>) =
        sqlx::query_as("select head_decision, list_id from recognitions where application_id = $1")
            .bind(ids[2])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        decision.as_deref(),
        Some("Quyết định số 5/QĐ-UBND ngày 10/3/2027 của Chủ tịch UBND tỉnh")
    );
    assert!(list.is_some());
    assert_eq!(events(&pool, ids[2], "recognised").await, 1);
    assert_eq!(events(&pool, ids[1], "recognised").await, 0);
    let lists = on_round(&f, None, "cancelled").await.json();
    assert_eq!(lists[0]["entries"][0]["replaced_by"], "NA27-00003");
    let panel = on_round(&f, hr, "after_selection").await.json();
    assert_eq!(panel["waiting"], json!([]));
    // Nothing left to pass on: a repeat recognises nobody.
    assert_eq!(
        on_round(&f, hr, "next_ranked").await.json()["recognised"],
        json!([])
    );
    assert_eq!(count(&pool, "recognitions").await, 1);
}

/// Decree 170/2025 Art 19 as amended by Decree 300/2026: the appointment decision follows a
/// complete dossier; an appointee who does not report for work is struck off like a failed
/// dossier — on the next cancelled list, their place to the next-ranked.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn after_decree_300_an_appointee_who_does_not_report_is_struck_off(pool: PgPool) {
    let f = setup(&pool, "203.0.113.11").await;
    let ids =
        published_under_amended_decree(&f, &[("Nguyễn Văn An", 8000), ("Trần Thị Bình", 7000)])
            .await;
    let round = f.round.to_string();
    let post =
        |cookie: String, endpoint: &'static str, fields: Vec<(&'static str, &'static str)>| {
            let round = round.clone();
            let f = &f;
            async move {
                let mut form = vec![("round_id", round.as_str())];
                form.extend(fields);
                call(f, Some(&cookie), endpoint, &form).await
            }
        };
    let hr = || f.hr.cookie.clone();
    let appoint = |number: &'static str, decision: &'static str, on: &'static str| {
        post(
            hr(),
            "appointment",
            vec![
                ("number", number),
                ("decision", decision),
                ("decided_on", on),
            ],
        )
    };

    // No appointment before the dossier is complete.
    let early = appoint("NA27-00001", "Quyết định số 45/QĐ-SNV", "12/03/2027").await;
    assert_eq!(refusal(&early), refused("number", "ErrDossierNotComplete"));
    let done = post(
        hr(),
        "dossier",
        vec![("number", "NA27-00001"), ("outcome", "complete")],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let chair = post(
        f.chair.cookie.clone(),
        "appointment",
        vec![
            ("number", "NA27-00001"),
            ("decision", "Quyết định số 45/QĐ-SNV"),
            ("decided_on", "12/03/2027"),
        ],
    )
    .await;
    assert_eq!(chair.status, StatusCode::FORBIDDEN);
    let bad = appoint("NA27-00001", " ", "31/02/2027").await;
    assert_eq!(
        bad.json()["Invalid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["msg"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["ErrAppointmentDecision", "ErrDateFormat"]
    );
    let appointed = appoint("NA27-00001", "Quyết định số 45/QĐ-SNV", "12/03/2027").await;
    assert_eq!(appointed.status, StatusCode::OK, "{}", appointed.body);
    let told: String = sqlx::query_scalar(
        "select reason from application_events where application_id = $1 and kind = 'appointed'",
    )
    .bind(ids[0])
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        told,
        "Quyết định số 45/QĐ-SNV, 12/03/2027; nhận việc trước 27/03/2027"
    );
    let again = appoint("NA27-00001", "Quyết định số 46/QĐ-SNV", "13/03/2027").await;
    assert_eq!(refusal(&again), refused("number", "ErrAppointmentRecorded"));

    // Did not report for work: a reason is needed, and it is recorded once.
    let report =
        |number: &'static str, reported: &'static str, on: &'static str, why: &'static str| {
            post(
                hr(),
                "reporting",
                vec![
                    ("number", number),
                    ("reported", reported),
                    ("reported_on", on),
                    ("reason", why),
                ],
            )
        };
    let no_reason = report("NA27-00001", "false", "", " ").await;
    assert_eq!(refusal(&no_reason), refused("reason", "ErrReasonRequired"));
    let flood: &'static str = Box::leak("Không đến ".repeat(20_000).into_boxed_str());
    let hostile = report("NA27-00001", "false", "", flood).await;
    assert_eq!(refusal(&hostile), refused("reason", "ErrReasonRequired"));
    let long_decision: &'static str = Box::leak("QĐ ".repeat(50_000).into_boxed_str());
    let hostile = appoint("NA27-00001", long_decision, "12/03/2027").await;
    assert_eq!(
        refusal(&hostile),
        refused("decision", "ErrAppointmentDecision")
    );
    let absent = report(
        "NA27-00001",
        "false",
        "",
        "Không đến nhận việc, không có lý do",
    )
    .await;
    assert_eq!(absent.status, StatusCode::OK, "{}", absent.body);
    let twice = report("NA27-00001", "true", "20/03/2027", "").await;
    assert_eq!(refusal(&twice), refused("number", "ErrReportingRecorded"));
    assert_eq!(events(&pool, ids[0], "not_reported").await, 1);

    // Struck off the same way: listed, then the next-ranked recognised.
    let panel = on_round(&f, Some(&f.hr.cookie), "after_selection")
        .await
        .json();
    assert_eq!(panel["unlisted"], json!(["NA27-00001"]));
    let listed = on_round(&f, Some(&f.hr.cookie), "publish_cancelled").await;
    assert_eq!(listed.json(), json!(1));
    let lists = on_round(&f, None, "cancelled").await.json();
    let entry = &lists[0]["entries"][0];
    assert_eq!(
        (&entry["outcome"], &entry["reason"]),
        (
            &json!("NotReported"),
            &json!("Không đến nhận việc, không có lý do")
        )
    );
    let next = on_round(&f, Some(&f.hr.cookie), "next_ranked").await;
    assert_eq!(next.json()["recognised"], json!(["NA27-00002"]));

    // The next-ranked's own steps: no reporting before a decision, then reported.
    let unappointed = report("NA27-00002", "true", "20/03/2027", "").await;
    assert_eq!(refusal(&unappointed), refused("number", "ErrNoAppointment"));
    post(
        hr(),
        "dossier",
        vec![("number", "NA27-00002"), ("outcome", "complete")],
    )
    .await;
    let second = appoint("NA27-00002", "Quyết định số 52/QĐ-SNV", "18/03/2027").await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let came = report("NA27-00002", "true", "20/03/2027", "").await;
    assert_eq!(came.status, StatusCode::OK, "{}", came.body);
    let winners = view(&f).await["winners"].clone();
    let recognised = winners
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["number"] == "NA27-00002")
        .unwrap();
    assert_eq!(
        recognised["appointment"]["reporting"],
        json!({"Reported": {"on": "20/03/2027"}})
    );
    assert_eq!(events(&pool, ids[1], "reported_for_work").await, 1);
    // A recorded appointment never changes.
    let changed =
        sqlx::query("update appointments set decision = 'khác' where application_id = $1")
            .bind(ids[1])
            .execute(&pool)
            .await;
    assert!(changed.is_err());
}

/// Decree 170/2025 Art 18 as amended: a freed place nobody left on the reserve list wants is
/// recorded as unfilled once, the public list says so, and the next-ranked clock is done.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn after_decree_300_a_place_with_nobody_left_is_recorded_unfilled(pool: PgPool) {
    let f = setup(&pool, "203.0.113.12").await;
    published_under_amended_decree(&f, &[("Nguyễn Văn An", 8000)]).await;
    let round = f.round.to_string();
    let hr = Some(f.hr.cookie.as_str());
    let struck = call(
        &f,
        hr,
        "dossier",
        &[
            ("round_id", &round),
            ("number", "NA27-00001"),
            ("outcome", "no_show"),
            ("reason", "Không đến hoàn thiện hồ sơ"),
        ],
    )
    .await;
    assert_eq!(struck.status, StatusCode::OK, "{}", struck.body);
    on_round(&f, hr, "publish_cancelled").await;
    let next = on_round(&f, hr, "next_ranked").await.json();
    assert_eq!(next["unfilled"], json!(["NA27-00001"]));
    assert_eq!(count(&pool, "unfilled_places").await, 1);
    let panel = on_round(&f, hr, "after_selection").await.json();
    assert_eq!(panel["waiting"], json!([]));
    let lists = on_round(&f, None, "cancelled").await.json();
    assert_eq!(lists[0]["entries"][0]["unfilled"], true);
    // Asked again, nothing more is recorded.
    let again = on_round(&f, hr, "next_ranked").await.json();
    assert_eq!(again["unfilled"], json!([]));
    assert_eq!(count(&pool, "unfilled_places").await, 1);
    let clocks = f
        .app
        .post("/api/hr/clocks", &[("round_id", round.as_str())], hr)
        .await;
    assert_eq!(clocks.status, StatusCode::OK, "{}", clocks.body);
    let next_ranked = clocks
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["step"] == "NextRanked")
        .cloned()
        .unwrap();
    assert_eq!(next_ranked["state"], "Met", "{next_ranked}");
}

/// A written + interview position KT-02 (70/30, parts out of 80) with one place in the
/// round's unit; candidates with (written, interview) marks in hundredths of the 80 scale.
async fn written_and_interview(f: &Fixture, marks: &[(i32, &str, i32, i32)]) {
    let position: Uuid = sqlx::query_scalar(
        "insert into positions (round_id, code, title, min_degree, stage2_format,
                                written_percent, max_score)
         values ($1, 'KT-02', 'Chuyên viên thanh tra', 'bachelor', 'combined', 70, 80)
         returning id",
    )
    .bind(f.round)
    .fetch_one(&f.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into position_units (position_id, unit_id, quota)
         select $1, unit_id, 1 from position_units pu join positions p on p.id = pu.position_id
         where p.round_id = $2 and p.code = 'KT-01'",
    )
    .bind(position)
    .bind(f.round)
    .execute(&f.pool)
    .await
    .unwrap();
    for &(n, name, written, interview) in marks {
        let id = candidate_on(f, position, n, name, true).await;
        // The stored score is what decoding wrote before the law's rounding was fixed; the
        // ranking recomputes it from the parts.
        sqlx::query(
            "insert into stage2_scores (application_id, round_id, written, panel, score)
             values ($1, $2, $3, $4, 0)",
        )
        .bind(id)
        .bind(f.round)
        .bind(written)
        .bind(interview)
        .execute(&f.pool)
        .await
        .unwrap();
    }
}

fn rank_command(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("rank")
        .args(args)
        .output()
        .unwrap()
}

/// Decree 170/2025 Art 9–10 as the portal computes them and as `server rank` recomputes them
/// from the published file: 70/30 from the parts rounded once (25.75/80 and 73.25/80 make
/// 50.00), each part at least half, ties by the higher stage-2 score; the command finds the
/// portal's ranking, prints the same from the inputs alone, and catches a changed input.
#[sqlx::test(migrations = "../migrations")]
async fn the_rank_command_and_the_portal_agree_on_a_round(pool: PgPool) {
    let f = setup(&pool, "192.0.2.80").await;
    let an = candidate(&f, 1, "Nguyễn Văn An", true, Some(7000)).await;
    candidate(&f, 2, "Trần Thị Bình", true, Some(7500)).await;
    candidate(&f, 3, "Lê Văn Cường", false, Some(9000)).await;
    candidate(&f, 4, "Phạm Thị Dung", true, None).await;
    // 70 + 5 = 75, equal to Bình's 75: the higher stage-2 score wins.
    set_priority(&f, an, "dan_toc_thieu_so_quan_nhan").await;
    written_and_interview(
        &f,
        &[
            // Exactly 50.00 (truncating the parts first made 49.99), but 25.75 is under
            // half of 80.
            (5, "Hoàng Văn Em", 2575, 7325),
            (6, "Vũ Thị Giang", 6000, 3900),
            (7, "Đỗ Văn Hùng", 4000, 4000),
            // 0.7 × 50.3125 + 0.3 × 89.6875 = 62.125 → 62.13.
            (8, "Bùi Thị Khánh", 4025, 7175),
        ],
    )
    .await;
    decode(&f).await;
    compute(&f).await;
    let (_, _, canonical, _) = stored(&pool, open_version(&f).await).await;
    let snapshot: Value = serde_json::from_str(&canonical).unwrap();
    assert_eq!(snapshot["format"], "ket-qua-tuyen-dung/3");
    let published = &snapshot["ranking"];
    assert_eq!(
        published["positions"],
        json!([
            {"code": "KT-01",
             "selected": [{"number": "NA27-00002", "unit": "STC", "rank": 1, "total": "75"}],
             "reserve": [{"number": "NA27-00001", "rank": 2, "total": "75"}],
             "undecided": [],
             "not_eligible": [{"number": "NA27-00003", "reason": "stage1_failed"},
                              {"number": "NA27-00004", "reason": "absent"}]},
            {"code": "KT-02",
             "selected": [{"number": "NA27-00008", "unit": "STC", "rank": 1, "total": "62.13"}],
             "reserve": [{"number": "NA27-00007", "rank": 2, "total": "50"}],
             "undecided": [],
             "not_eligible": [{"number": "NA27-00005", "reason": "part_below_half"},
                              {"number": "NA27-00006", "reason": "part_below_half"}]},
        ])
    );
    // The category is not published, only its points.
    let input = &snapshot["ranking_input"];
    assert_eq!(input["priority_points"], json!({"5": "5"}));
    assert!(!canonical.contains("dan_toc_thieu_so"));
    // The page's lines say the same.
    let kt02 = &snapshot["positions"][1]["candidates"];
    assert_eq!(kt02[1]["stage2"], json!(5000));
    assert_eq!(kt02[2]["reason"], json!("part_below_half"));

    let dir = std::env::temp_dir().join(format!("rank-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ket-qua.json");
    std::fs::write(&file, &canonical).unwrap();
    let verified = rank_command(&["--verify", file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&verified.stdout).to_string();
    assert_eq!(verified.status.code(), Some(0), "{said}");
    assert!(said.starts_with("matches"), "{said}");

    let inputs = dir.join("input.json");
    std::fs::write(&inputs, input.to_string()).unwrap();
    let ranked = rank_command(&["--input", inputs.to_str().unwrap()]);
    assert_eq!(ranked.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&ranked.stdout).unwrap();
    assert_eq!(&printed, published);

    // Khánh's interview lowered to 39.75 of 80 (under half): the file no longer matches.
    let mut changed = snapshot.clone();
    let khanh = (changed["ranking_input"]["candidates"]
        .as_array_mut()
        .unwrap()
        .iter_mut())
    .find(|c| c["number"] == "NA27-00008")
    .unwrap();
    khanh["scores"]["interview"] = json!("39.75");
    std::fs::write(&file, changed.to_string()).unwrap();
    let caught = rank_command(&["--verify", file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&caught.stdout).to_string();
    assert_eq!(caught.status.code(), Some(1), "{said}");
    assert!(said.contains("position KT-02, selected"), "{said}");
    assert!(!said.contains("KT-01"), "{said}");

    // A broken input: every problem on standard error, nothing on standard output.
    std::fs::write(&inputs, json!({"pass_mark": "50"}).to_string()).unwrap();
    let broken = rank_command(&["--input", inputs.to_str().unwrap()]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(broken.stdout.is_empty());
    let errors = String::from_utf8_lossy(&broken.stderr).to_string();
    for missing in [
        "written_weight_percent: is missing",
        "positions: is missing",
        "candidates: is missing",
    ] {
        assert!(errors.contains(missing), "{errors}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Decree 170/2025 Art 9.3: a chuyên viên chính position has no stage 1, so its candidates
/// are ranked on stage 2 alone — none is refused for a stage-1 result they never had.
#[sqlx::test(migrations = "../migrations")]
async fn a_position_without_stage_1_ranks_on_stage_2_alone(pool: PgPool) {
    let f = setup(&pool, "203.0.113.9").await;
    sqlx::query(
        "update positions set rank = 'chuyen_vien_chinh', method = 'exam', stage1 = 'none'
         where round_id = $1 and code = 'KT-01'",
    )
    .bind(f.round)
    .execute(&pool)
    .await
    .unwrap();
    let position: Uuid =
        sqlx::query_scalar("select id from positions where round_id = $1 and code = 'KT-01'")
            .bind(f.round)
            .fetch_one(&pool)
            .await
            .unwrap();
    let born = time::Date::from_calendar_date(1985, time::Month::May, 2).unwrap();
    let an = common::numbered_candidate(&pool, f.round, position, 1, "Nguyễn Văn An", born).await;
    set_score(&f, an, 7200).await;
    let binh = common::numbered_candidate(&pool, f.round, position, 2, "Trần Thị Bình", born).await;
    set_score(&f, binh, 6100).await;
    decode(&f).await;
    compute(&f).await;
    let view = view(&f).await;
    let lines = lines(&view["snapshot"]["positions"]);
    assert_eq!(
        (lines[0]["number"].clone(), lines[0]["outcome"].clone()),
        (json!("NA27-00001"), json!("selected"))
    );
    assert_eq!(
        (
            lines[1]["number"].clone(),
            lines[1]["outcome"].clone(),
            lines[1]["reason"].clone()
        ),
        (json!("NA27-00002"), json!("reserve"), Value::Null)
    );
}

/// Circular 22/2025, penalties on candidates: recorded in the room with a report, decided by
/// the council chair when results are compiled — a reprimand takes 25 % off the test's score
/// before anything else, an annulment leaves no result, a dismissed one changes nothing —
/// and results wait until every penalty is decided. The candidate sees the decision.
#[sqlx::test(migrations = "../migrations")]
async fn penalties_are_decided_by_the_chair_before_results_are_computed(pool: PgPool) {
    let f = setup(&pool, "203.0.113.10").await;
    let an = candidate(&f, 1, "Nguyễn Văn An", true, Some(8000)).await;
    let binh = candidate(&f, 2, "Trần Thị Bình", true, Some(9000)).await;
    let cuong = candidate(&f, 3, "Lê Văn Cường", true, Some(5500)).await;
    let venue: Uuid = sqlx::query_scalar("select venue_id from exam_sessions where id = $1")
        .bind(f.session)
        .fetch_one(&pool)
        .await
        .unwrap();
    let room: Uuid = sqlx::query_scalar(
        "insert into rooms (venue_id, name, capacity) values ($1, 'P.201', 30) returning id",
    )
    .bind(venue)
    .fetch_one(&pool)
    .await
    .unwrap();
    for (seat, application) in [an, binh, cuong].into_iter().enumerate() {
        sqlx::query(
            "insert into seats (application_id, stage, session_id, room_id, seat)
             values ($1, 2, $2, $3, $4)",
        )
        .bind(application)
        .bind(f.session)
        .bind(room)
        .bind(seat as i32 + 1)
        .execute(&pool)
        .await
        .unwrap();
    }
    let (session, room) = (f.session.to_string(), room.to_string());
    let record = |application: Uuid, kind: &'static str, report: &'static str| {
        let (f, session, room) = (&f, session.clone(), room.clone());
        async move {
            f.app
                .post(
                    "/api/invigilation/penalty",
                    &[
                        ("session_id", session.as_str()),
                        ("room_id", room.as_str()),
                        ("application_id", &application.to_string()),
                        ("kind", kind),
                        ("report", report),
                    ],
                    Some(&f.hr.cookie),
                )
                .await
        }
    };
    // Bad input is refused with the reason and records nothing.
    let field = |id: Uuid| format!("penalty-{id}");
    assert_eq!(
        refusal(&record(an, "scolding", "x").await),
        refused(&field(an), "ErrChooseOne")
    );
    assert_eq!(
        refusal(&record(an, "reprimand", "   ").await),
        refused(&field(an), "ErrPenaltyReport")
    );
    let stranger = Uuid::new_v4();
    assert_eq!(
        refusal(&record(stranger, "warning", "Quay cóp").await),
        refused(&field(stranger), "ErrNotSeatedHere")
    );
    assert_eq!(count(&pool, "penalties").await, 0);
    for (who, kind, report) in [
        (an, "reprimand", "Trao đổi bài với thí sinh bên cạnh"),
        (
            binh,
            "annulment",
            "Mang điện thoại vào phòng thi và dùng khi làm bài",
        ),
        (
            cuong,
            "warning",
            "Nhìn bài thí sinh khác sau khi đã bị nhắc",
        ),
    ] {
        let reply = record(who, kind, report).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    decode(&f).await;

    // Nothing is computed while a penalty waits for the chair.
    let refused_compute = call(
        &f,
        Some(&f.hr.cookie),
        "compute",
        &[("round_id", &f.round.to_string())],
    )
    .await;
    assert_eq!(
        refusal(&refused_compute),
        refused("compute", "ErrPenaltiesPending")
    );

    let listed = call(
        &f,
        Some(&f.chair.cookie),
        "penalties",
        &[("round_id", &f.round.to_string())],
    )
    .await
    .json();
    assert_eq!(listed["can_decide"], true);
    let id_of = |number: &str| {
        listed["penalties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["candidate_number"] == number)
            .map(|p| p["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let decide = |cookie: String, id: String, decision: &'static str| {
        let f = &f;
        async move {
            call(
                f,
                Some(&cookie),
                "decide_penalty",
                &[
                    ("round_id", &f.round.to_string()),
                    ("penalty_id", &id),
                    ("decision", decision),
                    ("note", "Đã xem biên bản"),
                ],
            )
            .await
        }
    };
    // HR records and reads; only the chair decides.
    let by_hr = decide(f.hr.cookie.clone(), id_of("NA27-00001"), "confirmed").await;
    assert_eq!(by_hr.status, StatusCode::FORBIDDEN, "{}", by_hr.body);
    for (number, decision) in [
        ("NA27-00001", "confirmed"),
        ("NA27-00002", "confirmed"),
        ("NA27-00003", "dismissed"),
    ] {
        let reply = decide(f.chair.cookie.clone(), id_of(number), decision).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let again = decide(f.chair.cookie.clone(), id_of("NA27-00001"), "dismissed").await;
    assert_eq!(
        refusal(&again),
        refused(
            &format!("penalty-{}", id_of("NA27-00001")),
            "ErrPenaltyDecided"
        )
    );

    // An's 80 less 25 % is 60 and still first; Bình's 90 counts for nothing; Cường's warning
    // was dismissed, so his 55 stands.
    compute(&f).await;
    let view = view(&f).await;
    let lines = lines(&view["snapshot"]["positions"]);
    let line_of = |number: &str| {
        lines
            .iter()
            .find(|l| l["number"] == number)
            .unwrap()
            .clone()
    };
    assert_eq!(line_of("NA27-00001")["outcome"], "selected");
    assert_eq!(line_of("NA27-00003")["outcome"], "reserve");
    assert_eq!(
        (
            line_of("NA27-00002")["outcome"].clone(),
            line_of("NA27-00002")["reason"].clone()
        ),
        (json!("not_selected"), json!("excluded"))
    );
    let totals: Vec<(String, Value)> = view["snapshot"]["positions"][0]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["number"].as_str().unwrap().to_string(),
                c["stage2"].clone(),
            )
        })
        .collect();
    assert!(
        totals.contains(&("NA27-00001".to_string(), json!(6000))),
        "{totals:?}"
    );
    // Each candidate sees the decision on their timeline.
    let told: Vec<Option<String>> = sqlx::query_scalar(
        "select reason from application_events where application_id = $1 and kind = 'penalty_decided'",
    )
    .bind(an)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].as_deref().unwrap_or_default().contains("Trừ 25%"),
        "{told:?}"
    );
}
