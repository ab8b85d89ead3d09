//! Recruitment rounds through the real endpoints: authorisation, creation, positions, quotas,
//! state changes, file import and export, the public pages and the change log.

mod common;

use app::accounts::types::Role;
use common::{count, Reply, TestApp};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const HEADER: &str = "code,title,unit_code,unit_name,quota,min_degree,majors,other_conditions,stage2_format,written_weight,max_score";

async fn app_with_rules(pool: &PgPool) -> TestApp {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    TestApp::new(pool.clone())
}

/// An app with the rule sets installed, a signed-in HR officer and a draft round.
async fn setup(pool: &PgPool) -> (TestApp, String, String) {
    let app = app_with_rules(pool).await;
    let hr = app
        .session_with_role("ns@example.vn", Role::HrOfficer)
        .await;
    let round = create_round(&app, &hr).await;
    (app, hr, round)
}

async fn rule_set_id(pool: &PgPool, code: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("select id from rule_sets where code = $1 and version = 1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

/// Creates a draft round under Decree 170/2025 (open since 2020, closing in 2099) and returns
/// its id.
async fn create_round(app: &TestApp, hr: &str) -> String {
    create_round_under(app, hr, "ND170-2025", "Kỳ thi tuyển công chức thử nghiệm").await
}

/// The same round under the rule set `code`, named `name`.
async fn create_round_under(app: &TestApp, hr: &str, code: &str, name: &str) -> String {
    let rule_set = rule_set_id(&app.pool, code).await;
    let reply = app
        .post(
            "/api/hr/create_round",
            &[
                ("name", name),
                ("authority", "UBND tỉnh Nghệ An"),
                ("notice", "Thông báo tuyển dụng."),
                ("opens_at", "2020-01-01T08:00"),
                ("closes_at", "2099-12-31T17:00"),
                ("rule_set_id", &rule_set),
            ],
            Some(hr),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let location = reply.headers["location"].to_str().unwrap();
    location.strip_prefix("/hr/rounds/").unwrap().to_string()
}

async fn add_position(
    app: &TestApp,
    hr: &str,
    round: &str,
    code: &str,
    unit: &str,
    quota: &str,
    reason: &str,
) -> Reply {
    app.post(
        "/api/hr/add_position",
        &[
            ("round_id", round),
            ("code", code),
            ("title", "Chuyên viên quản lý ngân sách"),
            ("unit_code", unit),
            ("unit_name", &format!("Đơn vị {unit}")),
            ("quota", quota),
            ("min_degree", "bachelor"),
            ("majors", "Tài chính\nKế toán"),
            ("other_conditions", ""),
            ("stage2_format", "combined"),
            ("written_weight", "70"),
            ("max_score", "100"),
            ("reason", reason),
        ],
        Some(hr),
    )
    .await
}

async fn import_file(app: &TestApp, hr: &str, round: &str, file: (&str, &[u8])) -> Reply {
    app.post_multipart(
        "/api/hr/import_positions",
        &[("round_id", round), ("reason", "")],
        file,
        Some(hr),
    )
    .await
}

async fn advance(app: &TestApp, hr: &str, round: &str, to: &str, reason: &str) -> Reply {
    app.post(
        "/api/hr/advance_round",
        &[("round_id", round), ("to", to), ("reason", reason)],
        Some(hr),
    )
    .await
}

async fn hr_round(app: &TestApp, hr: &str, round: &str) -> Value {
    let reply = app.post("/api/hr/round", &[("id", round)], Some(hr)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

fn field_msgs(reply: &Reply) -> Vec<(String, String)> {
    reply.json()["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("not a field error: {}", reply.body))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["msg"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn only_hr_officers_change_rounds(pool: PgPool) {
    let (app, _hr, round) = setup(&pool).await;
    let rule_set = rule_set_id(&pool, "ND170-2025").await;
    let applicant = app
        .session_with_role("ts@example.vn", Role::Applicant)
        .await;
    let marker = app.session_with_role("ct@example.vn", Role::Marker).await;
    let admin = app
        .session_with_role("qt@example.vn", Role::Administrator)
        .await;

    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/hr/rounds", vec![]),
        ("/api/hr/rule_sets", vec![]),
        ("/api/hr/round", vec![("id", &round)]),
        ("/api/hr/rule_set", vec![("id", &rule_set)]),
        (
            "/api/hr/create_round",
            vec![
                ("name", "X"),
                ("authority", "Y"),
                ("notice", "Z"),
                ("opens_at", "2030-01-01T08:00"),
                ("closes_at", "2030-03-01T08:00"),
                ("rule_set_id", &rule_set),
            ],
        ),
        (
            "/api/hr/advance_round",
            vec![("round_id", &round), ("to", "open"), ("reason", "")],
        ),
        (
            "/api/hr/change_quota",
            vec![
                ("round_id", &round),
                ("position_id", &round),
                ("unit_id", &round),
                ("quota", "5"),
                ("reason", "x"),
            ],
        ),
    ];
    for (path, form) in &calls {
        assert_eq!(
            app.post(path, form, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        for cookie in [&applicant, &marker, &admin] {
            let reply = app.post(path, form, Some(cookie)).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    let denied = add_position(&app, &applicant, &round, "A1", "U1", "2", "").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let csv = format!("{HEADER}\nA1,Chuyên viên,U1,Đơn vị 1,2,bachelor,,,written,,100\n");
    let import = import_file(&app, &applicant, &round, ("a.csv", csv.as_bytes())).await;
    assert_eq!(import.status, StatusCode::FORBIDDEN);
    let export = app
        .get(&format!("/hr/rounds/{round}/export/csv"), Some(&applicant))
        .await;
    assert_eq!(export.status, StatusCode::FORBIDDEN);

    assert_eq!(
        count(&pool, "rounds").await,
        1,
        "only the HR officer's round exists"
    );
    assert_eq!(count(&pool, "positions").await, 0);
    let status: String = sqlx::query_scalar("select status from rounds")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "draft");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_round_is_checked_against_its_rule_set(pool: PgPool) {
    let app = app_with_rules(&pool).await;
    let hr = app
        .session_with_role("ns@example.vn", Role::HrOfficer)
        .await;
    let rule_set = rule_set_id(&pool, "ND170-2025").await;
    let reply = app
        .post(
            "/api/hr/create_round",
            &[
                ("name", "Kỳ thi"),
                ("authority", ""),
                ("notice", "Thông báo"),
                ("opens_at", "2030-01-01T08:00"),
                ("closes_at", "2030-01-10T08:00"),
                ("rule_set_id", &rule_set),
            ],
            Some(&hr),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_msgs(&reply),
        [
            ("authority".to_string(), "ErrRequired".to_string()),
            ("closes_at".to_string(), "ErrWindowTooShort".to_string())
        ]
    );
    let reply = app
        .post(
            "/api/hr/create_round",
            &[
                ("name", "Kỳ thi"),
                ("authority", "UBND"),
                ("notice", "Thông báo"),
                ("opens_at", "2030-01-01T08:00"),
                ("closes_at", "2030-03-01T08:00"),
                ("rule_set_id", "not-a-rule-set"),
            ],
            Some(&hr),
        )
        .await;
    assert_eq!(
        field_msgs(&reply),
        [("rule_set_id".to_string(), "ErrRuleSet".to_string())]
    );
    assert_eq!(count(&pool, "rounds").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_round_opens_only_with_positions_and_then_the_public_sees_it(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;

    // A draft is not public.
    let public = app.post("/api/rounds/public", &[], None).await.json();
    assert_eq!(public["rounds"].as_array().unwrap().len(), 0);
    let notice = app
        .post("/api/rounds/notice", &[("id", &round)], None)
        .await;
    assert_eq!(notice.status, StatusCode::NOT_FOUND);

    let refused = advance(&app, &hr, &round, "open", "").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_msgs(&refused),
        [("to".to_string(), "RefuseOpenWithoutPositions".to_string())]
    );

    assert_eq!(
        add_position(&app, &hr, &round, "tc-01", "STC", "3", "")
            .await
            .status,
        StatusCode::OK
    );
    // The same code with another unit makes it a shared position.
    assert_eq!(
        add_position(&app, &hr, &round, "TC-01", "SNV", "2", "")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        add_position(&app, &hr, &round, "NV-01", "SNV", "1", "")
            .await
            .status,
        StatusCode::OK
    );

    let skipped = advance(&app, &hr, &round, "screening", "").await;
    assert_eq!(
        field_msgs(&skipped),
        [("to".to_string(), "RefuseNotNextState".to_string())]
    );
    let opened = advance(&app, &hr, &round, "open", "Quyết định số 12/QĐ-UBND").await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);

    let public = app.post("/api/rounds/public", &[], None).await.json();
    let listed = &public["rounds"][0];
    assert_eq!(listed["status"], "Open");
    assert_eq!(listed["position_count"], 2);
    assert_eq!(listed["total_quota"], 6);

    let notice = app
        .post("/api/rounds/notice", &[("id", &round)], None)
        .await
        .json();
    let positions = notice["positions"].as_array().unwrap();
    assert_eq!(positions[1]["code"], "TC-01");
    assert_eq!(positions[1]["units"].as_array().unwrap().len(), 2);
    assert_eq!(
        positions[1]["stage2"],
        serde_json::json!({"Combined": {"written_percent": 70}})
    );
    assert_eq!(
        positions[1]["majors"],
        serde_json::json!(["Tài chính", "Kế toán"])
    );
    assert_eq!(notice["rule_set"]["params"]["stage2_pass_mark"], 50);

    // The public page itself, rendered on the server for anyone.
    let page = app.get(&format!("/rounds/{round}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kỳ thi tuyển công chức thử nghiệm"));
    assert!(page.body.contains("TC-01"));
    let list = app.get("/rounds", None).await;
    assert!(list.body.contains(&format!("/rounds/{round}")));
}

#[sqlx::test(migrations = "../migrations")]
async fn after_opening_changes_need_a_reason_and_are_logged(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    add_position(&app, &hr, &round, "TC-01", "STC", "3", "").await;
    advance(&app, &hr, &round, "open", "").await;

    let data = hr_round(&app, &hr, &round).await;
    let position = &data["notice"]["positions"][0];
    let position_id = position["id"].as_str().unwrap();
    let unit_id = position["units"][0]["unit_id"].as_str().unwrap();
    let change = |quota: &'static str, reason: &'static str| {
        let (app, hr, round) = (&app, hr.clone(), round.clone());
        async move {
            app.post(
                "/api/hr/change_quota",
                &[
                    ("round_id", &round),
                    ("position_id", position_id),
                    ("unit_id", unit_id),
                    ("quota", quota),
                    ("reason", reason),
                ],
                Some(&hr),
            )
            .await
        }
    };
    let refused = change("5", "  ").await;
    assert_eq!(
        field_msgs(&refused),
        [("reason".to_string(), "RefuseReasonRequired".to_string())]
    );
    let bad = change("0", "Bổ sung chỉ tiêu").await;
    assert_eq!(
        field_msgs(&bad),
        [("quota".to_string(), "ErrQuota".to_string())]
    );
    let ok = change("5", "Bổ sung chỉ tiêu theo Quyết định 45").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

    let no_reason = add_position(&app, &hr, &round, "NV-01", "SNV", "1", "").await;
    assert_eq!(
        field_msgs(&no_reason),
        [("reason".to_string(), "RefuseReasonRequired".to_string())]
    );

    let data = hr_round(&app, &hr, &round).await;
    assert_eq!(data["notice"]["positions"][0]["units"][0]["quota"], 5);
    let audit = data["audit"].as_array().unwrap();
    let quota_change = audit
        .iter()
        .find(|e| e["action"] == "position.quota_changed")
        .unwrap();
    assert_eq!(quota_change["from"], "3");
    assert_eq!(quota_change["to"], "5");
    assert_eq!(
        quota_change["reason"],
        "Bổ sung chỉ tiêu theo Quyết định 45"
    );
    assert_eq!(quota_change["actor"], "Cán Bộ Thử");
    let actions: Vec<&str> = audit
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "position.quota_changed",
            "round.status_changed",
            "position.added",
            "round.created"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn closing_early_and_editing_after_applications_are_refused(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    add_position(&app, &hr, &round, "TC-01", "STC", "3", "").await;
    advance(&app, &hr, &round, "open", "").await;
    let early = advance(&app, &hr, &round, "closed", "").await;
    assert_eq!(
        field_msgs(&early),
        [("to".to_string(), "RefuseCloseBeforeDeadline".to_string())]
    );

    // Once the advertised window has passed, the round closes and positions are frozen.
    sqlx::query("update rounds set closes_at = now() - interval '1 minute', opens_at = now() - interval '40 days'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        advance(&app, &hr, &round, "closed", "").await.status,
        StatusCode::OK
    );
    let frozen = add_position(&app, &hr, &round, "NV-01", "SNV", "1", "lý do").await;
    assert_eq!(
        field_msgs(&frozen),
        [("round".to_string(), "RefuseRoundNotEditable".to_string())]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shared_position_must_keep_its_details(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    add_position(&app, &hr, &round, "TC-01", "STC", "3", "").await;
    let again = add_position(&app, &hr, &round, "TC-01", "STC", "1", "").await;
    assert_eq!(
        field_msgs(&again),
        [(
            "unit_code".to_string(),
            "ErrImportDuplicateUnit".to_string()
        )]
    );
    let different = app
        .post(
            "/api/hr/add_position",
            &[
                ("round_id", &round),
                ("code", "TC-01"),
                ("title", "Một tên khác"),
                ("unit_code", "SNV"),
                ("unit_name", "Sở Nội vụ"),
                ("quota", "1"),
                ("min_degree", "bachelor"),
                ("majors", ""),
                ("other_conditions", ""),
                ("stage2_format", "written"),
                ("written_weight", ""),
                ("max_score", "100"),
                ("reason", ""),
            ],
            Some(&hr),
        )
        .await;
    assert_eq!(
        field_msgs(&different),
        [("code".to_string(), "ErrImportPositionMismatch".to_string())]
    );
    assert_eq!(count(&pool, "position_units").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_good_file_imports_every_row_and_exports_back(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    let csv = format!(
        "\u{feff}{HEADER}\n\
         TC-01,Chuyên viên quản lý ngân sách,STC,Sở Tài chính,3,Đại học,Tài chính; Kế toán,,Thi viết,,100\n\
         XA-VPTK,Công chức Văn phòng - Thống kê,X-DC,UBND xã Diễn Châu,2,bachelor,Luật,,interview,,100\n\
         XA-VPTK,Công chức Văn phòng - Thống kê,X-QL,UBND xã Quỳnh Lưu,1,bachelor,Luật,,interview,,100\n"
    );
    let reply = import_file(&app, &hr, &round, ("vi-tri.csv", csv.as_bytes())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, "2");
    assert_eq!(count(&pool, "positions").await, 2);
    assert_eq!(count(&pool, "position_units").await, 3);

    let export = app
        .get(&format!("/hr/rounds/{round}/export/csv"), Some(&hr))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".csv"));
    assert!(export.body.contains("XA-VPTK,Công chức Văn phòng - Thống kê,X-QL,UBND xã Quỳnh Lưu,1,bachelor,Luật,,interview,,100"));

    // The export, imported into another round, gives the same positions.
    let other = create_round(&app, &hr).await;
    let reply = import_file(&app, &hr, &other, ("export.csv", export.body.as_bytes())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let first = hr_round(&app, &hr, &round).await["notice"]["positions"].clone();
    let second = hr_round(&app, &hr, &other).await["notice"]["positions"].clone();
    let strip = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["code"].clone(),
                    p["title"].clone(),
                    p["units"].as_array().unwrap().len(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&first), strip(&second));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_xlsx_file_imports_like_a_csv(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    let rows: Vec<Vec<String>> = [
        HEADER,
        "KT-01,Kế toán viên,STC,Sở Tài chính,20,college,Kế toán,,practical,,100",
    ]
    .iter()
    .map(|l| l.split(',').map(str::to_string).collect())
    .collect();
    let xlsx = app::rounds::files::xlsx_bytes(&rows).unwrap();
    let reply = import_file(&app, &hr, &round, ("vi-tri.xlsx", &xlsx)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let data = hr_round(&app, &hr, &round).await;
    assert_eq!(data["notice"]["positions"][0]["units"][0]["quota"], 20);
    let export = app
        .get(&format!("/hr/rounds/{round}/export/xlsx"), Some(&hr))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.headers["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_broken_file_imports_nothing_and_names_every_bad_row(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    let csv = format!(
        "{HEADER}\n\
         TC-01,Chuyên viên,STC,Sở Tài chính,3,bachelor,,,written,,100\n\
         TC-02,Chuyên viên,STC,Sở Tài chính,không,bachelor,,,written,,100\n\
         TC-03,,STC,Sở Tài chính,2,tiểu học,,,written,,100\n"
    );
    let reply = import_file(&app, &hr, &round, ("vi-tri.csv", csv.as_bytes())).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Vec<(u64, String, String)> = reply.json()["Import"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
                e["msg"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "quota".into(), "ErrQuota".into()),
            (4, "title".into(), "ErrRequired".into()),
            (4, "min_degree".into(), "ErrDegree".into()),
        ]
    );
    assert_eq!(reply.json()["Import"]["total"], 3);
    assert_eq!(count(&pool, "positions").await, 0, "nothing imported");

    // A conflict with what the round already holds is reported at its row, too.
    add_position(&app, &hr, &round, "TC-09", "STC", "1", "").await;
    let csv = format!("{HEADER}\nNV-01,Chuyên viên,SNV,Sở Nội vụ,1,bachelor,,,written,,100\nTC-09,Tên khác,SNV,Sở Nội vụ,1,bachelor,,,written,,100\n");
    let reply = import_file(&app, &hr, &round, ("vi-tri.csv", csv.as_bytes())).await;
    assert_eq!(reply.json()["Import"]["problems"][0]["row"], 3);
    assert_eq!(
        count(&pool, "positions").await,
        1,
        "the good row was not kept either"
    );

    let garbage = import_file(
        &app,
        &hr,
        &round,
        ("vi-tri.xlsx", b"PK\x03\x04 not really a workbook"),
    )
    .await;
    assert_eq!(
        field_msgs(&garbage),
        [("file".to_string(), "ErrImportFile".to_string())]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_round_keeps_the_rule_set_version_it_was_created_with(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;

    // Versions are history: they cannot be edited, only followed by a new version.
    let edit =
        sqlx::query("update rule_sets set params = jsonb_set(params, '{stage2_pass_mark}', '60')")
            .execute(&pool)
            .await;
    assert!(edit.is_err());
    let mut params = app::rounds::rules::RuleParams::decree_170_2025();
    params.stage2_pass_mark = 60;
    sqlx::query(
        "insert into rule_sets (code, version, name, legal_basis, params)
         values ('ND170-2025', 2, 'Nghị định 170/2025/NĐ-CP', 'sửa đổi', $1)",
    )
    .bind(sqlx::types::Json(params))
    .execute(&pool)
    .await
    .unwrap();

    let data = hr_round(&app, &hr, &round).await;
    assert_eq!(data["notice"]["rule_set"]["summary"]["version"], 1);
    assert_eq!(data["notice"]["rule_set"]["params"]["stage2_pass_mark"], 50);
    let listed = app.post("/api/hr/rule_sets", &[], Some(&hr)).await.json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        4,
        "three built-in rule sets and the new version"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn round_details_change_freely_in_a_draft_and_carefully_once_open(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    let update =
        |opens: &'static str, closes: &'static str, reason: &'static str, cookie: String| {
            let (app, round) = (&app, round.clone());
            async move {
                app.post(
                    "/api/hr/update_round",
                    &[
                        ("round_id", &round),
                        ("name", "Kỳ thi tuyển công chức năm 2026 (sửa)"),
                        ("authority", "UBND tỉnh Nghệ An"),
                        ("notice", "Thông báo đã sửa."),
                        ("opens_at", opens),
                        ("closes_at", closes),
                        ("reason", reason),
                    ],
                    Some(&cookie),
                )
                .await
            }
        };
    let applicant = app
        .session_with_role("ts@example.vn", Role::Applicant)
        .await;
    assert_eq!(
        update("2020-01-01T08:00", "2099-12-31T17:00", "", applicant)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let draft_edit = update("2020-01-01T08:00", "2099-06-30T17:00", "", hr.clone()).await;
    assert_eq!(draft_edit.status, StatusCode::OK, "{}", draft_edit.body);

    add_position(&app, &hr, &round, "TC-01", "STC", "3", "").await;
    advance(&app, &hr, &round, "open", "").await;
    let no_reason = update("2020-01-01T08:00", "2099-12-31T17:00", "", hr.clone()).await;
    assert_eq!(
        field_msgs(&no_reason),
        [("reason".to_string(), "RefuseReasonRequired".to_string())]
    );
    let moved = update(
        "2020-01-02T08:00",
        "2099-12-31T17:00",
        "đổi ngày",
        hr.clone(),
    )
    .await;
    assert_eq!(
        field_msgs(&moved),
        [("opens_at".to_string(), "ErrCannotMoveOpening".to_string())]
    );
    let shortened = update(
        "2020-01-01T08:00",
        "2099-01-31T17:00",
        "rút ngắn",
        hr.clone(),
    )
    .await;
    assert_eq!(
        field_msgs(&shortened),
        [(
            "closes_at".to_string(),
            "ErrCannotShortenWindow".to_string()
        )]
    );
    let extended = update(
        "2020-01-01T08:00",
        "2099-12-31T17:00",
        "Gia hạn theo Công văn 99",
        hr.clone(),
    )
    .await;
    assert_eq!(extended.status, StatusCode::OK, "{}", extended.body);

    let data = hr_round(&app, &hr, &round).await;
    assert_eq!(
        data["notice"]["round"]["name"],
        "Kỳ thi tuyển công chức năm 2026 (sửa)"
    );
    let entry = data["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["reason"] == "Gia hạn theo Công văn 99")
        .unwrap();
    assert_eq!(entry["action"], "round.updated");
    assert_eq!(entry["subject"], "closes_at");
    assert_eq!(entry["from"], "30/06/2099 17:00");
    assert_eq!(entry["to"], "31/12/2099 17:00");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_position_without_applications_can_be_removed(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    add_position(&app, &hr, &round, "TC-01", "STC", "3", "").await;
    add_position(&app, &hr, &round, "TC-01", "SNV", "1", "").await;
    add_position(&app, &hr, &round, "NV-01", "SNV", "1", "").await;
    let positions = hr_round(&app, &hr, &round).await["notice"]["positions"].clone();
    let id_of = |code: &str| {
        positions
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (tc, nv) = (id_of("TC-01"), id_of("NV-01"));

    let applicant = app
        .session_with_role("ts@example.vn", Role::Applicant)
        .await;
    let denied = app
        .post(
            "/api/hr/remove_position",
            &[("round_id", &round), ("position_id", &tc), ("reason", "")],
            Some(&applicant),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let removed = app
        .post(
            "/api/hr/remove_position",
            &[("round_id", &round), ("position_id", &tc), ("reason", "")],
            Some(&hr),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(count(&pool, "positions").await, 1);
    assert_eq!(count(&pool, "position_units").await, 1);

    // A position someone applied to stays.
    sqlx::query(
        "insert into applications (round_id, position_id, applicant_id, receipt_code,
                                   national_id, full_name, date_of_birth, form)
         select $1::uuid, $2::uuid, id, 'TEST', '040098012345', full_name, '1998-09-05', '{}'
         from users where email = 'ts@example.vn'",
    )
    .bind(uuid::Uuid::parse_str(&round).unwrap())
    .bind(uuid::Uuid::parse_str(&nv).unwrap())
    .execute(&pool)
    .await
    .unwrap();
    let kept = app
        .post(
            "/api/hr/remove_position",
            &[("round_id", &round), ("position_id", &nv), ("reason", "")],
            Some(&hr),
        )
        .await;
    assert_eq!(
        field_msgs(&kept),
        [(
            "position".to_string(),
            "RefuseRemoveWithApplications".to_string()
        )]
    );
    let data = hr_round(&app, &hr, &round).await;
    assert_eq!(data["notice"]["positions"][0]["applications"], 1);
    assert!(data["audit"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "position.removed"
            && e["subject"] == "TC-01 · Chuyên viên quản lý ngân sách"));
}

#[sqlx::test(migrations = "../migrations")]
async fn hr_makes_a_new_rule_set_version_and_old_rounds_keep_theirs(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    let base = rule_set_id(&pool, "ND170-2025").await;
    let form = |pass_mark: &'static str, fees: &'static str| {
        vec![
            ("base_id", base.clone()),
            ("name", "Nghị định 170/2025/NĐ-CP (sửa đổi)".to_string()),
            (
                "legal_basis",
                "Nghị định 170/2025/NĐ-CP, sửa đổi năm 2026".to_string(),
            ),
            ("minimum_age", "18".to_string()),
            ("application_window_days", "30".to_string()),
            ("stage1_questions", "60".to_string()),
            ("stage1_minutes", "60".to_string()),
            ("stage1_pass_percent", "50".to_string()),
            ("stage2_pass_mark", pass_mark.to_string()),
            ("double_marking_tolerance_percent", "10".to_string()),
            ("appeal_filing_working_days", "5".to_string()),
            ("appeal_answer_days", "15".to_string()),
            (
                "priority_categories",
                "a | 7,5 | Anh hùng\nb | 5 | Dân tộc thiểu số".to_string(),
            ),
            ("fee_tiers", fees.to_string()),
            ("reason", "Thông tư mới".to_string()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>, cookie: String| {
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post("/api/hr/new_rule_set_version", &pairs, Some(&cookie))
                .await
        }
    };
    let applicant = app
        .session_with_role("ts@example.vn", Role::Applicant)
        .await;
    assert_eq!(
        send(form("55", "0 | 500000"), applicant).await.status,
        StatusCode::FORBIDDEN
    );
    let broken = send(form("0", "100 | 400000"), hr.clone()).await;
    assert_eq!(
        field_msgs(&broken),
        [
            ("stage2_pass_mark".to_string(), "RuleStage2Pass".to_string()),
            ("fee_tiers".to_string(), "RuleFeeTiers".to_string())
        ]
    );
    assert_eq!(count(&pool, "rule_sets").await, 3);

    let saved = send(form("55", "0 | 500.000\n100 | 400.000"), hr.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let new_id = saved.headers["location"]
        .to_str()
        .unwrap()
        .strip_prefix("/hr/rule-sets/")
        .unwrap()
        .to_string();
    let detail = app
        .post("/api/hr/rule_set", &[("id", &new_id)], Some(&hr))
        .await
        .json();
    assert_eq!(detail["summary"]["code"], "ND170-2025");
    assert_eq!(detail["summary"]["version"], 2);
    assert_eq!(detail["params"]["stage2_pass_mark"], 55);
    assert_eq!(
        detail["params"]["priority_categories"][0]["points_tenths"],
        75
    );

    let existing = hr_round(&app, &hr, &round).await;
    assert_eq!(existing["notice"]["rule_set"]["summary"]["version"], 1);
    assert_eq!(
        existing["notice"]["rule_set"]["params"]["stage2_pass_mark"],
        50
    );
    let logged: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'rule_set.version_created'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(logged, 1);
}

/// A position's code, rank, method, review group and stage 1, as stored.
type StoredPlan = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// A draft round under Decree 170/2025 as amended by Decree 300/2026.
async fn amended_round(app: &TestApp, hr: &str) -> String {
    create_round_under(
        app,
        hr,
        "ND170-2025-ND300-2026",
        "Kỳ tuyển dụng theo Nghị định 300/2026",
    )
    .await
}

/// Decree 170/2025 Art 5, 9 and 11 (Art 9.4 as amended by Decree 300/2026): each position
/// states its rank and method; a plan the law does not allow is refused with the reason and
/// stores nothing; stage 1 is derived and stored; the notice shows method and tests.
#[sqlx::test(migrations = "../migrations")]
async fn under_the_amended_decree_the_rank_and_method_decide_the_tests(pool: PgPool) {
    let app = app_with_rules(&pool).await;
    let hr = app
        .session_with_role("ns@example.vn", Role::HrOfficer)
        .await;
    let round = amended_round(&app, &hr).await;
    let post = |code: &'static str, fields: &'static [(&'static str, &'static str)]| {
        let (app, hr, round) = (&app, hr.clone(), round.clone());
        async move {
            let mut form: Vec<(&str, &str)> = vec![
                ("round_id", &round),
                ("code", code),
                ("title", "Vị trí thử"),
                ("unit_code", "STC"),
                ("unit_name", "Sở Tài chính"),
                ("quota", "1"),
                ("min_degree", "bachelor"),
                ("majors", ""),
                ("other_conditions", ""),
                ("written_weight", ""),
                ("max_score", "100"),
                ("reason", ""),
            ];
            form.retain(|(k, _)| !fields.iter().any(|(f, _)| f == k));
            form.extend_from_slice(fields);
            app.post("/api/hr/add_position", &form, Some(&hr)).await
        }
    };
    for (fields, expected) in [
        (
            &[("stage2_format", "written")][..],
            ("rank", "ErrPlanRequired"),
        ),
        (
            &[
                ("stage2_format", "written"),
                ("rank", "nhan_vien"),
                ("method", "exam"),
            ][..],
            ("stage2_format", "ErrPlanEmployee"),
        ),
        (
            &[
                ("stage2_format", "combined"),
                ("written_weight", "60"),
                ("rank", "chuyen_vien"),
                ("method", "exam"),
            ][..],
            ("written_weight", "ErrPlanWeight"),
        ),
        (
            &[
                ("stage2_format", "oral"),
                ("rank", "chuyen_vien"),
                ("method", "review"),
            ][..],
            ("review_group", "ErrPlanReviewGroup"),
        ),
        (
            &[
                ("stage2_format", "written"),
                ("rank", "chuyen_vien"),
                ("method", "review"),
                ("review_group", "tai_nang"),
            ][..],
            ("stage2_format", "ErrPlanReviewOral"),
        ),
        (
            &[
                ("stage2_format", "written"),
                ("rank", "chuyen_vien_cao_cap"),
                ("method", "exam"),
            ][..],
            ("stage2_format", "ErrPlanSenior"),
        ),
    ] {
        let reply = post("BAD-01", fields).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?} {}",
            reply.body
        );
        assert_eq!(
            field_msgs(&reply),
            [(expected.0.to_string(), expected.1.to_string())],
            "{fields:?}"
        );
    }
    assert_eq!(count(&pool, "positions").await, 0);

    for (code, fields) in [
        (
            "VP-01",
            &[
                ("stage2_format", "oral"),
                ("rank", "nhan_vien"),
                ("method", "exam"),
            ][..],
        ),
        (
            "CV-01",
            &[
                ("stage2_format", "combined"),
                ("written_weight", "70"),
                ("rank", "chuyen_vien"),
                ("method", "exam"),
            ][..],
        ),
        (
            "CVC-01",
            &[
                ("stage2_format", "written"),
                ("rank", "chuyen_vien_chinh"),
                ("method", "exam"),
            ][..],
        ),
        (
            "XT-01",
            &[
                ("stage2_format", "oral"),
                ("rank", "chuyen_vien"),
                ("method", "review"),
                ("review_group", "cu_tuyen"),
            ][..],
        ),
    ] {
        let reply = post(code, fields).await;
        assert_eq!(reply.status, StatusCode::OK, "{code}: {}", reply.body);
    }
    let stored: Vec<StoredPlan> = sqlx::query_as(
        "select code, rank, method, review_group, stage1 from positions order by code",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        stored,
        [
            (
                "CV-01".into(),
                s("chuyen_vien"),
                s("exam"),
                None,
                "computer_test".into()
            ),
            (
                "CVC-01".into(),
                s("chuyen_vien_chinh"),
                s("exam"),
                None,
                "none".into()
            ),
            (
                "VP-01".into(),
                s("nhan_vien"),
                s("exam"),
                None,
                "none".into()
            ),
            (
                "XT-01".into(),
                s("chuyen_vien"),
                s("review"),
                s("cu_tuyen"),
                "conditions_check".into()
            ),
        ]
    );
    // HR's page carries the plan for the notice to show.
    let view = hr_round(&app, &hr, &round).await;
    let xt = view["notice"]["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "XT-01")
        .unwrap()
        .clone();
    assert_eq!(xt["plan"]["rank"], "Specialist");
    assert_eq!(xt["plan"]["method"]["Review"], "NominatedScheme");
    assert_eq!(xt["stage1"], "ConditionsCheck");

    // Rounds under the earlier rule sets keep their simpler model: no rank needed.
    let old = create_round(&app, &hr).await;
    let reply = add_position(&app, &hr, &old, "TC-01", "KH", "2", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// Decree 170/2025 Art 15: under the amended decree an open round's notice changes once, by
/// the head's recorded decision, no later than 10 days before the opening session; the change
/// is published with its date and the application window restarts from it.
#[sqlx::test(migrations = "../migrations")]
async fn an_open_notice_changes_once_by_the_heads_decision(pool: PgPool) {
    let app = app_with_rules(&pool).await;
    let hr = app
        .session_with_role("ns@example.vn", Role::HrOfficer)
        .await;
    let round = amended_round(&app, &hr).await;
    let added = app
        .post(
            "/api/hr/add_position",
            &[
                ("round_id", round.as_str()),
                ("code", "TC-01"),
                ("title", "Chuyên viên quản lý ngân sách"),
                ("unit_code", "STC"),
                ("unit_name", "Sở Tài chính"),
                ("quota", "3"),
                ("min_degree", "bachelor"),
                ("majors", "Tài chính"),
                ("other_conditions", ""),
                ("stage2_format", "written"),
                ("written_weight", ""),
                ("max_score", "100"),
                ("reason", ""),
                ("rank", "chuyen_vien"),
                ("method", "exam"),
            ],
            Some(&hr),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let opened = advance(&app, &hr, &round, "open", "").await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    // Closing soon: the change will restart the 30-day window.
    sqlx::query("update rounds set closes_at = date_trunc('minute', now() + interval '3 days') where id = $1::uuid")
        .bind(&round)
        .execute(&pool)
        .await
        .unwrap();
    let closes = hr_round(&app, &hr, &round).await["notice"]["round"]["closes_at"].clone();
    let closes: time::OffsetDateTime = serde_json::from_value(closes).unwrap();
    let closes_input = closes
        .to_offset(time::macros::offset!(+7))
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]"
        ))
        .unwrap();
    let change = |notice: &'static str, head: [&'static str; 3]| {
        let (app, hr, round, closes) = (&app, hr.clone(), round.clone(), closes_input.clone());
        async move {
            app.post(
                "/api/hr/update_round",
                &[
                    ("round_id", round.as_str()),
                    ("name", "Kỳ tuyển dụng theo Nghị định 300/2026"),
                    ("authority", "UBND tỉnh Nghệ An"),
                    ("notice", notice),
                    ("opens_at", "2020-01-01T08:00"),
                    ("closes_at", closes.as_str()),
                    ("reason", "Bổ sung địa điểm thi"),
                    ("head_decided_by", head[0]),
                    ("head_document", head[1]),
                    ("head_decided_on", head[2]),
                ],
                Some(&hr),
            )
            .await
        }
    };
    let head = ["Chủ tịch UBND tỉnh", "Quyết định 12/QĐ-UBND", "02/03/2027"];

    // Without the head's decision: refused, field by field, nothing changed.
    let bare = change("Thông báo đã sửa.", ["", "", "x"]).await;
    assert_eq!(
        field_msgs(&bare),
        [
            ("head_decided_by".to_string(), "ErrRequired".to_string()),
            ("head_document".to_string(), "ErrRequired".to_string()),
            ("head_decided_on".to_string(), "ErrDateFormat".to_string()),
        ]
    );
    let flood: &'static str = Box::leak("Ông ".repeat(50_000).into_boxed_str());
    let hostile = change("Thông báo đã sửa.", [flood, "QĐ", "31/02/2027"]).await;
    assert_eq!(
        field_msgs(&hostile),
        [
            ("head_decided_by".to_string(), "ErrTooLong".to_string()),
            ("head_decided_on".to_string(), "ErrDateFormat".to_string()),
        ]
    );
    assert_eq!(common::count(&pool, "notice_changes").await, 0);

    // An exam session 9 days away: too late.
    let session = common::exam_session_in(&pool, &round, 9).await;
    let late = change("Thông báo đã sửa.", head).await;
    assert_eq!(
        field_msgs(&late),
        [("notice".to_string(), "ErrNoticeChangeTooLate".to_string())]
    );
    sqlx::query("update exam_sessions set starts_at = now() + interval '11 days' where id = $1")
        .bind(session)
        .execute(&pool)
        .await
        .unwrap();

    // Someone has applied already.
    let position: uuid::Uuid =
        sqlx::query_scalar("select id from positions where round_id = $1::uuid")
            .bind(&round)
            .fetch_one(&pool)
            .await
            .unwrap();
    let born = time::macros::date!(1996 - 04 - 12);
    let round_id: uuid::Uuid = round.parse().unwrap();
    let applicant =
        common::numbered_candidate(&pool, round_id, position, 1, "Hồ Thị Ngọc", born).await;

    // In time: the change is recorded, published with its date, and the window restarts.
    let changed = change("Thông báo đã sửa: thêm địa điểm thi.", head).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    // The applicant is told, with the decision and the new closing time.
    common::everyone_told(&pool).await;
    let told: Vec<String> = sqlx::query_scalar(
        "select reason from application_events
         where application_id = $1 and kind = 'notice_changed'",
    )
    .bind(applicant)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].starts_with(
            "Quyết định 12/QĐ-UBND ngày 02/03/2027 (Chủ tịch UBND tỉnh); hạn nộp hồ sơ: "
        ),
        "{}",
        told[0]
    );
    let public = app
        .post("/api/rounds/notice", &[("id", round.as_str())], None)
        .await
        .json();
    assert_eq!(public["notice"], "Thông báo đã sửa: thêm địa điểm thi.");
    assert_eq!(public["change"]["document_ref"], "Quyết định 12/QĐ-UBND");
    assert_eq!(public["change"]["decided_on"], "02/03/2027");
    let new_close: time::OffsetDateTime =
        serde_json::from_value(public["round"]["closes_at"].clone()).unwrap();
    assert!(
        new_close >= time::OffsetDateTime::now_utc() + time::Duration::days(29),
        "{new_close}"
    );

    // Once only.
    let again = change("Sửa lần hai.", head).await;
    assert_eq!(
        field_msgs(&again),
        [("notice".to_string(), "ErrNoticeChangedOnce".to_string())]
    );
    let kept = sqlx::query("update notice_changes set decided_by = 'x'")
        .execute(&pool)
        .await;
    assert!(kept.is_err(), "a published change was edited");
}
