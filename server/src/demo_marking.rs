//! A demo round whose stage-2 marking is ready to do: six candidates of the provincial
//! Department of Education and Training sat both stages (one missed stage 2), the marking
//! board is set up and the papers are made and shared, with no mark entered yet. Written
//! through the repository functions the portal uses, in the order the portal does things.

use crate::demo_applications::{profile, Person};
use crate::demo_rounds::morning;
use anyhow::{anyhow, Context, Result};
use app::accounts::{repo as accounts, types::*};
use app::applications::rules::ReceiptCode;
use app::applications::types::{Decision, EventKind};
use app::applications::{repo as applications, screening};
use app::rounds::positions::{DegreeLevel, NewPosition, Stage2Format, UnitQuota};
use app::rounds::repo::{self as rounds, RoundChange};
use app::rounds::status::RoundStatus;
use app::rounds::types::NewRound;
use app::scheduling::allocation::{self, format_candidate_number, Seat};
use app::scheduling::types::AttendanceStatus;
use app::scheduling::{invigilation_repo, repo as scheduling};
use app::scoring::files::Stage1Line;
use app::scoring::papers::Part;
use app::scoring::repo::{self as scoring, AuditEntry};
use app::scoring::types::Duty;
use rand::RngCore;
use sqlx::{PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

pub const ROUND_NAME: &str = "Kỳ thi tuyển công chức Sở Giáo dục và Đào tạo tỉnh Nghệ An năm 2026";
const PREFIX: &str = "GD26";
const WRITTEN_ONLY: &str = "GD-VT";
const COMBINED: &str = "GD-KH";
const STAGE1_FILE: &str = "ket-qua-vong-1-GD26.csv";

const NOTICE: &str = "Ủy ban nhân dân tỉnh Nghệ An thông báo tuyển dụng công chức làm việc tại Sở Giáo dục và Đào tạo năm 2026.\n\n\
Thí sinh đã thi vòng 1 trên máy tính và vòng 2 (thi viết; vị trí kế hoạch - tài chính thi viết và phỏng vấn). Hội đồng đang chấm thi vòng 2.";

struct Candidate {
    person: Person,
    position: &'static str,
    /// Right answers of 60 in the stage-1 computer test.
    correct: u16,
    sat_stage2: bool,
}

const CANDIDATES: [Candidate; 6] = [
    Candidate {
        person: Person {
            email: "thisinh.gd01@demo.example",
            name: "Nguyễn Thị Hà",
            sex: "female",
            dob: ("14", "3", "1995"),
            national_id: "040195112233",
            major: "Lưu trữ học",
        },
        position: WRITTEN_ONLY,
        correct: 41,
        sat_stage2: true,
    },
    Candidate {
        person: Person {
            email: "thisinh.gd02@demo.example",
            name: "Trần Văn Khoa",
            sex: "male",
            dob: ("2", "8", "1994"),
            national_id: "040094223344",
            major: "Văn thư - Lưu trữ",
        },
        position: WRITTEN_ONLY,
        correct: 38,
        sat_stage2: true,
    },
    Candidate {
        person: Person {
            email: "thisinh.gd03@demo.example",
            name: "Lê Thị Thu Trang",
            sex: "female",
            dob: ("21", "11", "1998"),
            national_id: "040198334455",
            major: "Lưu trữ học",
        },
        position: WRITTEN_ONLY,
        correct: 47,
        sat_stage2: true,
    },
    Candidate {
        person: Person {
            email: "thisinh.gd04@demo.example",
            name: "Phan Văn Lộc",
            sex: "male",
            dob: ("9", "6", "1993"),
            national_id: "040093445566",
            major: "Kế toán",
        },
        position: COMBINED,
        correct: 35,
        sat_stage2: true,
    },
    Candidate {
        person: Person {
            email: "thisinh.gd05@demo.example",
            name: "Cao Thị Yến",
            sex: "female",
            dob: ("30", "1", "1997"),
            national_id: "040197556677",
            major: "Tài chính - Ngân hàng",
        },
        position: COMBINED,
        correct: 52,
        sat_stage2: true,
    },
    Candidate {
        person: Person {
            email: "thisinh.gd06@demo.example",
            name: "Hoàng Văn Sơn",
            sex: "male",
            dob: ("17", "9", "1996"),
            national_id: "040096667788",
            major: "Kinh tế",
        },
        position: COMBINED,
        correct: 33,
        sat_stage2: false,
    },
];

fn positions() -> Vec<NewPosition> {
    let position = |code: &str, title: &str, majors: &[&str], stage2| NewPosition {
        code: code.to_string(),
        title: title.to_string(),
        units: vec![UnitQuota {
            // The unit the open demo round already created, under the same name.
            unit_code: "SGDDT".to_string(),
            unit_name: "Sở Giáo dục và Đào tạo".to_string(),
            quota: 1,
        }],
        min_degree: DegreeLevel::Bachelor,
        majors: majors.iter().map(|m| m.to_string()).collect(),
        other_conditions: String::new(),
        stage2,
        max_score: 100,
    };
    vec![
        position(
            WRITTEN_ONLY,
            "Chuyên viên văn thư, lưu trữ",
            &["Lưu trữ học", "Văn thư - Lưu trữ"],
            Stage2Format::Written,
        ),
        position(
            COMBINED,
            "Chuyên viên kế hoạch - tài chính",
            &["Kế toán", "Tài chính - Ngân hàng", "Kinh tế"],
            Stage2Format::Combined {
                written_percent: 60,
            },
        ),
    ]
}

async fn user_id(pool: &PgPool, email: &str) -> Result<Uuid> {
    sqlx::query_scalar!("select id from users where email = $1", email)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| anyhow!("demo account {email} missing"))
}

/// The staff of the demo board.
struct Staff {
    hr: Uuid,
    chair: Uuid,
    markers: [Uuid; 3],
}

/// Seeds the round in marking. `password_hash` is the demo password's; `hr` the demo HR officer.
pub async fn seed(pool: &PgPool, password_hash: &str, hr: Uuid) -> Result<()> {
    let staff = Staff {
        hr,
        chair: user_id(pool, "truongban@demo.example").await?,
        markers: [
            user_id(pool, "chamthi@demo.example").await?,
            user_id(pool, "chamthi2@demo.example").await?,
            user_id(pool, "chamthi3@demo.example").await?,
        ],
    };
    let (round_id, stage1_pass_percent) = create_round(pool, hr).await?;
    let applied = apply(pool, round_id, password_hash, hr).await?;
    let (stage1, stage2) = schedule(pool, round_id).await?;

    // Stage 1: everyone sat the computer test and passed; the chair locked the results.
    let mut tx = pool.begin().await?;
    let seats = seat(&mut tx, round_id, 1, hr).await?;
    scheduling::publish(&mut tx, round_id, 1, morning(-55), hr).await?;
    attend(&mut tx, stage1, &seats, &[], hr).await?;
    stage1_results(&mut tx, round_id, &applied, stage1_pass_percent, &staff).await?;
    tx.commit().await?;

    // Stage 2: one candidate of the combined position stayed away.
    let mut tx = pool.begin().await?;
    let seats = seat(&mut tx, round_id, 2, hr).await?;
    scheduling::publish(&mut tx, round_id, 2, morning(-28), hr).await?;
    let absent: Vec<Uuid> = applied
        .iter()
        .filter(|(_, c)| !c.sat_stage2)
        .map(|(id, _)| *id)
        .collect();
    attend(&mut tx, stage2, &seats, &absent, hr).await?;
    // These steps happened weeks ago: their e-mails stay readable in the outbox, but the first
    // start does not print them (they would bury the demo accounts).
    sqlx::query!(
        "update email_outbox set status = 'logged'
         where status = 'pending' and to_address like 'thisinh.gd%@demo.example'"
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    board(pool, round_id, &staff).await?;
    start_marking(pool, round_id, staff.chair).await?;
    Ok(())
}

/// The round under Decree 170/2025 with its two positions; returns it and its stage-1 pass
/// mark.
async fn create_round(pool: &PgPool, hr: Uuid) -> Result<(Uuid, u8)> {
    let rule_set = rounds::list_rule_sets(pool)
        .await?
        .into_iter()
        .find(|r| r.code == "ND170-2025")
        .ok_or_else(|| anyhow!("rule set ND170-2025 missing"))?;
    let params = rounds::rule_set(pool, rule_set.id)
        .await?
        .ok_or_else(|| anyhow!("rule set ND170-2025 missing"))?
        .params;
    let opens = morning(-120);
    let round = NewRound {
        name: ROUND_NAME.into(),
        authority: "Ủy ban nhân dân tỉnh Nghệ An".into(),
        notice: NOTICE.into(),
        opens_at: opens,
        closes_at: opens + Duration::days(30) + Duration::hours(9),
        stage1_foreign_language: false,
    };
    let mut tx = pool.begin().await?;
    let id = rounds::insert_round(&mut tx, &round, rule_set.id, hr).await?;
    rounds::add_positions(&mut tx, id, &positions()).await?;
    sqlx::query!(
        "update rounds set candidate_prefix = $2 where id = $1",
        id,
        PREFIX
    )
    .execute(&mut *tx)
    .await?;
    let status = RoundStatus::Marking;
    rounds::set_status(&mut tx, id, status).await?;
    rounds::audit(
        &mut tx,
        hr,
        id,
        RoundChange::new("round.status_changed", "")
            .from_to(
                Some(RoundStatus::Draft.as_str().to_string()),
                Some(status.as_str().to_string()),
            )
            .because(Some("Dữ liệu mẫu / demo data".to_string())),
    )
    .await?;
    tx.commit().await?;
    Ok((id, params.stage1_pass_percent))
}

/// The candidates' accounts, profiles and applications: eligible, fee paid.
async fn apply(
    pool: &PgPool,
    round_id: Uuid,
    password_hash: &str,
    hr: Uuid,
) -> Result<Vec<(Uuid, &'static Candidate)>> {
    let positions = rounds::positions(pool, round_id).await?;
    let mut applied = Vec::new();
    for candidate in &CANDIDATES {
        let position = positions
            .iter()
            .find(|p| p.code == candidate.position)
            .ok_or_else(|| anyhow!("position {} missing", candidate.position))?;
        let units: Vec<Uuid> = position.units.iter().map(|u| u.unit_id).collect();
        let email = Email::parse(candidate.person.email).map_err(|m| anyhow!("{m:?}"))?;
        let name = FullName::parse(candidate.person.name).map_err(|m| anyhow!("{m:?}"))?;
        let user =
            accounts::insert_user(pool, &email, &name, password_hash, &[Role::Applicant], None)
                .await?;
        let form = profile(&candidate.person);
        applications::save_profile(pool, user, &form).await?;
        let checked = form
            .check(OffsetDateTime::now_utc().date())
            .map_err(|e| anyhow!("demo profile {} is invalid: {e:?}", candidate.person.email))?;
        let submission = applications::Submission {
            round_id,
            applicant_id: user,
            position_id: position.id,
            preferences: &units,
            priority_code: "",
            profile: &checked,
            form: serde_json::json!({
                "profile": form,
                "position_id": position.id,
                "preferences": units,
                "priority_code": "",
            }),
        };
        let mut random = [0u8; 8];
        rand::thread_rng().fill_bytes(&mut random);
        let code = ReceiptCode::from_random(random);
        let mut tx = pool.begin().await?;
        let applications::Inserted::New(id) =
            applications::insert_application(&mut tx, &submission, code.as_str()).await?
        else {
            return Err(anyhow!(
                "demo application of {} not inserted",
                candidate.person.email
            ));
        };
        applications::add_event(&mut tx, id, EventKind::Submitted, None, None, Some(user)).await?;
        screening::decide(&mut tx, round_id, &[id], Decision::Eligible, None, None, hr).await?;
        let reference = format!("Biên lai GD26-{:04}", applied.len() + 1);
        screening::record_fee(&mut tx, id, 500_000, &reference, morning(-80), hr).await?;
        tx.commit().await?;
        applied.push((id, candidate));
    }
    Ok(applied)
}

/// A venue with a computer room (stage 1) and an exam hall (stage 2), one session per stage
/// for both positions. Returns the two sessions.
async fn schedule(pool: &PgPool, round_id: Uuid) -> Result<(Uuid, Uuid)> {
    let venue = scheduling::add_venue(
        pool,
        round_id,
        "Trường THPT chuyên Phan Bội Châu",
        "48 Lê Hồng Phong, phường Trường Vinh, Nghệ An",
        "Cổng chính đường Lê Hồng Phong",
    )
    .await?;
    for (name, computer) in [("Phòng máy P.201", true), ("Phòng thi P.105", false)] {
        scheduling::add_room(pool, round_id, venue, name, 30, computer)
            .await?
            .context("room of the demo venue")?;
    }
    let positions: Vec<Uuid> = rounds::positions(pool, round_id)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    let mut tx = pool.begin().await?;
    let session = |stage, name, days, minutes, needs_computer| scheduling::NewSession {
        stage,
        name,
        venue_id: venue,
        starts_at: morning(days),
        duration_minutes: minutes,
        needs_computer,
        positions: &positions,
    };
    let stage1 = session(1, "Ca 1 - thi trắc nghiệm trên máy tính", -45, 60, true);
    let stage1 = scheduling::add_session(&mut tx, round_id, &stage1).await?;
    let stage2 = session(2, "Ca 1 - thi viết", -20, 180, false);
    let stage2 = scheduling::add_session(&mut tx, round_id, &stage2).await?;
    tx.commit().await?;
    Ok((stage1, stage2))
}

/// Seats the stage's candidates and numbers them, as HR's allocation does.
async fn seat(conn: &mut PgConnection, round_id: Uuid, stage: i16, hr: Uuid) -> Result<Vec<Seat>> {
    let candidates = scheduling::stage_candidates(conn, round_id, stage).await?;
    let sessions = scheduling::allocation_sessions(conn, round_id, stage).await?;
    let previous = scheduling::seats(conn, round_id, stage).await?;
    let seats = allocation::allocate(&candidates, &sessions, &previous)
        .map_err(|problems| anyhow!("demo seating failed: {problems:?}"))?
        .seats;
    scheduling::replace_seats(conn, round_id, stage, &seats).await?;
    let order: Vec<Uuid> = seats.iter().map(|s| s.application_id).collect();
    let existing = scheduling::candidate_numbers(conn, round_id).await?;
    let numbers = allocation::candidate_numbers(&order, &existing);
    scheduling::add_candidate_numbers(conn, round_id, &numbers).await?;
    accounts::audit(
        &mut *conn,
        Some(hr),
        "schedule.allocated",
        Some(round_id),
        serde_json::json!({ "stage": stage, "added": seats.len() }),
    )
    .await?;
    Ok(seats)
}

/// Everyone seated present, except `absent`.
async fn attend(
    conn: &mut PgConnection,
    session_id: Uuid,
    seats: &[Seat],
    absent: &[Uuid],
    by: Uuid,
) -> Result<()> {
    for seat in seats {
        let status = if absent.contains(&seat.application_id) {
            AttendanceStatus::Absent
        } else {
            AttendanceStatus::Present
        };
        invigilation_repo::mark(
            conn,
            session_id,
            seat.room_id,
            seat.application_id,
            status,
            None,
            by,
        )
        .await?;
    }
    Ok(())
}

fn lifecycle<'a>(round_id: Uuid, action: &'a str, reason: Option<&'a str>) -> AuditEntry<'a> {
    AuditEntry {
        round_id,
        paper_id: None,
        marker_id: None,
        action,
        old: None,
        new: None,
        reason,
    }
}

/// The testing system's results as HR imported them, and the chair's lock.
async fn stage1_results(
    conn: &mut PgConnection,
    round_id: Uuid,
    applied: &[(Uuid, &Candidate)],
    pass_percent: u8,
    staff: &Staff,
) -> Result<()> {
    let numbers = scheduling::candidate_numbers(conn, round_id).await?;
    let lines: Vec<(Uuid, Stage1Line)> = applied
        .iter()
        .enumerate()
        .map(|(row, (id, candidate))| {
            let number = numbers.iter().find(|(a, _)| a == id).map_or(0, |n| n.1);
            let line = Stage1Line {
                row: row + 2,
                candidate_number: format_candidate_number(PREFIX, number),
                questions: 60,
                correct: candidate.correct,
                language: None,
                language_exempt: false,
            };
            (*id, line)
        })
        .collect();
    let rows: Vec<scoring::Stage1Row> = lines
        .iter()
        .map(|(id, line)| scoring::Stage1Row {
            application_id: *id,
            line,
            passed: line.passes(pass_percent),
        })
        .collect();
    let at = morning(-40);
    scoring::stage_for_update(conn, round_id, 1).await?;
    scoring::save_stage1(conn, round_id, &rows, STAGE1_FILE, staff.hr, at).await?;
    let passed = rows.iter().filter(|r| r.passed).count();
    let reason = format!("{STAGE1_FILE} ({} / {passed})", rows.len());
    let imported = lifecycle(round_id, "stage1_imported", Some(&reason));
    scoring::audit(conn, staff.hr, at, imported).await?;
    let at = morning(-35);
    scoring::set_stage_time(conn, round_id, 1, "locked", at, staff.chair).await?;
    let locked = lifecycle(round_id, "stage1_locked", None);
    scoring::audit(conn, staff.chair, at, locked).await?;
    Ok(())
}

/// Chair Lê Văn Cường; markers Trần Thị Bình, Đỗ Thị Giang and Vũ Văn Hải; clerks the HR
/// officer and Vũ Văn Hải. Bình and Giang double-mark both written papers; Giang and Hải
/// form the combined position's interview panel.
async fn board(pool: &PgPool, round_id: Uuid, staff: &Staff) -> Result<()> {
    let [binh, giang, hai] = staff.markers;
    let members = [
        (staff.chair, Duty::Chair),
        (binh, Duty::Marker),
        (giang, Duty::Marker),
        (hai, Duty::Marker),
        (staff.hr, Duty::Clerk),
        (hai, Duty::Clerk),
    ];
    for (user, duty) in members {
        scoring::add_member(pool, round_id, user, duty, staff.hr).await?;
    }
    let positions = scoring::positions(pool, round_id).await?;
    let id_of = |code: &str| {
        positions
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.id)
            .ok_or_else(|| anyhow!("position {code} missing"))
    };
    let (written_only, combined) = (id_of(WRITTEN_ONLY)?, id_of(COMBINED)?);
    let assignments = [
        (binh, written_only, Part::Written),
        (giang, written_only, Part::Written),
        (binh, combined, Part::Written),
        (giang, combined, Part::Written),
        (giang, combined, Part::Panel),
        (hai, combined, Part::Panel),
    ];
    for (user, position, part) in assignments {
        scoring::add_assignment(pool, round_id, user, position, part, staff.hr).await?;
    }
    Ok(())
}

/// What the chair's "start marking" does, through the same function: a paper per present
/// candidate and part, shared among the assigned markers. Returns how many were made.
async fn start_marking(pool: &PgPool, round_id: Uuid, chair: Uuid) -> Result<usize> {
    let at = OffsetDateTime::now_utc() - Duration::days(7);
    let mut tx = pool.begin().await?;
    let made = app::scoring::service::make_papers(&mut tx, pool, round_id, PREFIX, chair, at)
        .await
        .map_err(|e| anyhow!("making the demo papers: {e:?}"))?;
    tx.commit().await?;
    Ok(made)
}
