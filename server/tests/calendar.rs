//! The holiday calendar through the real endpoints: administrators record and remove dates,
//! each change audited; what would change nothing is refused, with its reason, and stores
//! nothing. (That every legal clock counts with it is checked where the clocks are: the
//! appeals tests move a filing deadline with a holiday.)

mod common;

use app::accounts::types::Role;
use common::{refusal, refused, staff, TestApp};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

async fn days(app: &TestApp, cookie: &str) -> Vec<Value> {
    let reply = app.post("/api/calendar/days", &[], Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_array().cloned().unwrap_or_default()
}

fn on(days: &[Value], date: &str) -> Option<(String, String)> {
    days.iter().find(|d| d["date"] == date).map(|d| {
        (
            d["kind"].as_str().unwrap_or_default().to_string(),
            d["name"].as_str().unwrap_or_default().to_string(),
        )
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn an_administrator_keeps_the_calendar_and_every_change_is_audited(pool: PgPool) {
    let app = TestApp::new(pool.clone());
    let admin = staff(&app, "qtv@example.vn", &[Role::Administrator]).await;
    let hr = staff(&app, "ns@example.vn", &[Role::HrOfficer]).await;

    // Seeded with the official days off, 2025 to 2027 (Labour Code 2019 Art 112): Tết
    // Bính Ngọ ran Monday 16 to Friday 20 February 2026; Saturday 26 April 2025 was worked
    // in exchange for Friday 2 May.
    let seeded = days(&app, &admin.cookie).await;
    for date in ["2026-02-16", "2026-02-20", "2025-05-02", "2027-01-01"] {
        assert_eq!(
            on(&seeded, date).map(|d| d.0),
            Some("Holiday".into()),
            "{date}"
        );
    }
    assert_eq!(
        on(&seeded, "2025-04-26").map(|d| d.0),
        Some("WorkingDay".into())
    );

    // HR officers and applicants may not change it.
    let save =
        |cookie: Option<String>, date: &'static str, kind: &'static str, name: &'static str| {
            let app = &app;
            async move {
                app.post(
                    "/api/calendar/save_day",
                    &[("date", date), ("kind", kind), ("name", name)],
                    cookie.as_deref(),
                )
                .await
            }
        };
    let by_hr = save(
        Some(hr.cookie.clone()),
        "24/11/2027",
        "holiday",
        "Ngày Văn hóa",
    )
    .await;
    assert_eq!(by_hr.status, StatusCode::FORBIDDEN, "{}", by_hr.body);
    let anonymous = save(None, "24/11/2027", "holiday", "Ngày Văn hóa").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // What would change nothing, or cannot be read, is refused and stores nothing.
    let admin_cookie = Some(admin.cookie.clone());
    for (date, kind, name, expected) in [
        // Sunday 5 September 2027 is not a working day already.
        (
            "05/09/2027",
            "holiday",
            "Nghỉ",
            refused("date", "ErrCalendarHolidayOnWeekend"),
        ),
        (
            "06/09/2027",
            "working",
            "Làm bù",
            refused("date", "ErrCalendarWorkingOnWeekday"),
        ),
        (
            "31/02/2027",
            "holiday",
            "Nghỉ",
            refused("date", "ErrCalendarDate"),
        ),
        (
            "24/11/2027",
            "holiday",
            "   ",
            refused("name", "ErrCalendarName"),
        ),
        (
            "24/11/2027",
            "weekend",
            "Nghỉ",
            refused("kind", "ErrCalendarKind"),
        ),
    ] {
        let reply = save(admin_cookie.clone(), date, kind, name).await;
        assert_eq!(refusal(&reply), expected, "{date} {kind}");
    }
    assert_eq!(days(&app, &admin.cookie).await, seeded);

    // A day the government adds, then corrected, then removed; each change audited.
    let added = save(
        admin_cookie.clone(),
        "24/11/2027",
        "holiday",
        " Ngày Văn hóa Việt Nam ",
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let renamed = save(
        admin_cookie.clone(),
        "24/11/2027",
        "holiday",
        "Ngày Văn hóa",
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(
        on(&days(&app, &admin.cookie).await, "2027-11-24"),
        Some(("Holiday".into(), "Ngày Văn hóa".into()))
    );
    let removed = app
        .post(
            "/api/calendar/remove_day",
            &[("date", "2027-11-24")],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(days(&app, &admin.cookie).await, seeded);
    let again = app
        .post(
            "/api/calendar/remove_day",
            &[("date", "2027-11-24")],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);

    let audit: Vec<(String, Value)> = sqlx::query_as(
        "select action, details from audit_events
         where action like 'calendar_%' and actor_id = $1 order by id",
    )
    .bind(admin.id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "calendar_day_saved",
            "calendar_day_saved",
            "calendar_day_removed"
        ]
    );
    assert_eq!(audit[0].1["before"], Value::Null);
    assert_eq!(audit[1].1["before"]["name"], "Ngày Văn hóa Việt Nam");
    assert_eq!(audit[2].1["name"], "Ngày Văn hóa");
}
