//! Demo rounds past the exams, one at each step the board and HR take after them, so that
//! each can be tried (and each browser journey starts from its own round): six candidates of a
//! provincial department sat both stages (one missed stage 2), the marking board is set up and
//! the papers are made and shared. In the first round no mark is entered yet; in the second
//! the marks are entered, locked and decoded, ready for HR to compute the results; in the
//! third the results are published and the appeal window is open. Written through the
//! repository and service functions the portal uses, in the order the portal does things.

use crate::demo_applications::{profile, Person};
use crate::demo_rounds::morning;
use anyhow::{anyhow, Context, Result};
use app::accounts::{repo as accounts, types::*};
use app::applications::rules::ReceiptCode;
use app::applications::types::{Decision, EventKind};
use app::applications::{repo as applications, screening};
use app::rounds::positions::{DegreeLevel, NewPosition, Stage2Format, UnitQuota};
use app::rounds::repo::{self as rounds, RoundChange};
use app::rounds::rules::RuleParams;
use app::rounds::status::RoundStatus;
use app::rounds::types::NewRound;
use app::scheduling::allocation::{self, format_candidate_number, Seat};
use app::scheduling::types::AttendanceStatus;
use app::scheduling::{invigilation_repo, repo as scheduling};
use app::scoring::files::Stage1Line;
use app::scoring::marks::Mark;
use app::scoring::papers::Part;
use app::scoring::repo::{self as scoring, AuditEntry};
use app::scoring::types::Duty;
use rand::RngCore;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How far a demo round has got after its exams.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    /// Papers made and shared; no mark entered.
    Marking,
    /// Every mark entered, locked and decoded; no result computed.
    Decoded,
    /// Decoded, both positions' exam scores published three weeks ago (the legal sequence of
    /// the amended decree) and one appeal filed in the window and paid; no result yet.
    Appealed,
    /// Version 1 of the results approved and published yesterday; appeals open.
    Published,
}

pub struct Candidate {
    person: Person,
    /// Index into the round's positions: `WRITTEN` (written only) or `COMBINED` (written and
    /// interview).
    position: usize,
    /// Right answers of 60 in the stage-1 computer test.
    correct: u16,
    sat_stage2: bool,
    /// The written paper's two marks, in hundredths: Bình's, then Giang's.
    written: [u32; 2],
    /// The interview's two marks, in hundredths: Giang's, then Hải's (combined position).
    panel: [u32; 2],
}

/// One demo round after its exams.
pub struct DemoRound {
    pub name: &'static str,
    /// Candidate numbers and interview papers start with it.
    pub prefix: &'static str,
    /// The two positions' codes: written only, then written and interview.
    pub positions: [&'static str; 2],
    /// The department recruiting (the unit of both positions): code and name.
    unit: (&'static str, &'static str),
    /// The candidates' demo e-mail addresses start with it.
    pub emails: &'static str,
    candidates: [Candidate; 6],
    pub reached: Reached,
    /// The rule set's code. The round in marking runs under the amended decree (Circular 22
    /// marking: its 80/60 paper goes to a third marker); the older two under Decree 170.
    rules: &'static str,
}

/// A candidate of the written-only position (index 0) or the combined one (1), who sat both
/// stages.
const fn sat(
    person: Person,
    position: usize,
    correct: u16,
    written: [u32; 2],
    panel: [u32; 2],
) -> Candidate {
    Candidate {
        person,
        position,
        correct,
        sat_stage2: true,
        written,
        panel,
    }
}

const fn person(
    email: &'static str,
    name: &'static str,
    sex: &'static str,
    dob: (&'static str, &'static str, &'static str),
    national_id: &'static str,
    major: &'static str,
) -> Person {
    Person {
        email,
        name,
        sex,
        dob,
        national_id,
        major,
    }
}

/// The three rounds: in marking, decoded, published. In each, the written-only position's
/// marks (71, 55.5 and 76 once the two markers agree) give it a winner and two reserves, and
/// the combined position's a winner and a reserve; one combined candidate was absent.
/// Columns: the person; their position; right answers in stage 1; written marks (Bình,
/// Giang); interview marks (Giang, Hải).
#[rustfmt::skip]
pub static ROUNDS: [DemoRound; 4] = [
    DemoRound {
        name: "Kỳ thi tuyển công chức Sở Giáo dục và Đào tạo tỉnh Nghệ An năm 2026",
        prefix: "GD26",
        positions: ["GD-VT", "GD-KH"],
        // The unit the open demo round already created, under the same name.
        unit: ("SGDDT", "Sở Giáo dục và Đào tạo"),
        emails: "thisinh.gd",
        candidates: [
            sat(person("thisinh.gd01@demo.example", "Nguyễn Thị Hà", "female", ("14", "3", "1995"), "040195112233", "Lưu trữ học"),
                WRITTEN, 41, [7000, 7200], NO_INTERVIEW),
            sat(person("thisinh.gd02@demo.example", "Trần Văn Khoa", "male", ("2", "8", "1994"), "040094223344", "Văn thư - Lưu trữ"),
                WRITTEN, 38, [5550, 5550], NO_INTERVIEW),
            sat(person("thisinh.gd03@demo.example", "Lê Thị Thu Trang", "female", ("21", "11", "1998"), "040198334455", "Lưu trữ học"),
                WRITTEN, 47, [7600, 7600], NO_INTERVIEW),
            sat(person("thisinh.gd04@demo.example", "Phan Văn Lộc", "male", ("9", "6", "1993"), "040093445566", "Kế toán"),
                COMBINED, 35, [6500, 6600], [8000, 8000]),
            sat(person("thisinh.gd05@demo.example", "Cao Thị Yến", "female", ("30", "1", "1997"), "040197556677", "Tài chính - Ngân hàng"),
                COMBINED, 52, [7500, 7400], [6800, 6800]),
            absent(person("thisinh.gd06@demo.example", "Hoàng Văn Sơn", "male", ("17", "9", "1996"), "040096667788", "Kinh tế")),
        ],
        reached: Reached::Marking,
        rules: "ND170-2025-ND300-2026",
    },
    DemoRound {
        name: "Kỳ thi tuyển công chức Sở Y tế tỉnh Nghệ An năm 2026",
        prefix: "YT26",
        positions: ["YT-VT", "YT-KH"],
        unit: ("SYT", "Sở Y tế"),
        emails: "thisinh.yt",
        candidates: [
            sat(person("thisinh.yt01@demo.example", "Đặng Thị Mai", "female", ("5", "5", "1996"), "040196210001", "Lưu trữ học"),
                WRITTEN, 44, [7000, 7200], NO_INTERVIEW),
            sat(person("thisinh.yt02@demo.example", "Bùi Văn Nam", "male", ("11", "10", "1995"), "040095210002", "Văn thư - Lưu trữ"),
                WRITTEN, 39, [5550, 5550], NO_INTERVIEW),
            sat(person("thisinh.yt03@demo.example", "Ngô Thị Lan Anh", "female", ("23", "2", "1997"), "040197210003", "Lưu trữ học"),
                WRITTEN, 50, [7600, 7600], NO_INTERVIEW),
            sat(person("thisinh.yt04@demo.example", "Trịnh Văn Phúc", "male", ("8", "12", "1992"), "040092210004", "Kế toán"),
                COMBINED, 36, [6500, 6600], [8000, 8000]),
            sat(person("thisinh.yt05@demo.example", "Lý Thị Quỳnh", "female", ("19", "7", "1998"), "040198210005", "Tài chính - Ngân hàng"),
                COMBINED, 48, [7500, 7400], [6800, 6800]),
            absent(person("thisinh.yt06@demo.example", "Mai Văn Tùng", "male", ("2", "4", "1994"), "040094210006", "Kinh tế")),
        ],
        reached: Reached::Decoded,
        rules: "ND170-2025",
    },
    DemoRound {
        name: "Kỳ thi tuyển công chức Sở Tài chính tỉnh Nghệ An năm 2026",
        prefix: "TC26",
        positions: ["TC-VT", "TC-KH"],
        unit: ("STC", "Sở Tài chính"),
        emails: "thisinh.tc",
        candidates: [
            sat(person("thisinh.tc01@demo.example", "Vương Thị Hạnh", "female", ("27", "6", "1996"), "040196310001", "Lưu trữ học"),
                WRITTEN, 45, [7000, 7200], NO_INTERVIEW),
            sat(person("thisinh.tc02@demo.example", "Tạ Văn Hùng", "male", ("14", "1", "1994"), "040094310002", "Văn thư - Lưu trữ"),
                WRITTEN, 37, [5550, 5550], NO_INTERVIEW),
            sat(person("thisinh.tc03@demo.example", "Kiều Thị Nga", "female", ("3", "9", "1997"), "040197310003", "Lưu trữ học"),
                WRITTEN, 49, [7600, 7600], NO_INTERVIEW),
            sat(person("thisinh.tc04@demo.example", "Đinh Văn Quang", "male", ("20", "3", "1993"), "040093310004", "Kế toán"),
                COMBINED, 40, [6500, 6600], [8000, 8000]),
            sat(person("thisinh.tc05@demo.example", "Lưu Thị Sen", "female", ("6", "11", "1998"), "040198310005", "Tài chính - Ngân hàng"),
                COMBINED, 51, [7500, 7400], [6800, 6800]),
            absent(person("thisinh.tc06@demo.example", "Quách Văn Thành", "male", ("29", "8", "1995"), "040095310006", "Kinh tế")),
        ],
        reached: Reached::Published,
        rules: "ND170-2025",
    },
    DemoRound {
        name: "Kỳ thi tuyển công chức Sở Nội vụ tỉnh Nghệ An năm 2026",
        prefix: "NV26",
        positions: ["NV-VT", "NV-KH"],
        unit: ("SNV", "Sở Nội vụ"),
        emails: "thisinh.nv",
        candidates: [
            sat(person("thisinh.nv01@demo.example", "Hồ Thị Ngọc", "female", ("12", "4", "1996"), "040196410001", "Lưu trữ học"),
                WRITTEN, 46, [7000, 7200], NO_INTERVIEW),
            sat(person("thisinh.nv02@demo.example", "Tôn Văn Bảo", "male", ("25", "9", "1994"), "040094410002", "Văn thư - Lưu trữ"),
                WRITTEN, 40, [5550, 5550], NO_INTERVIEW),
            sat(person("thisinh.nv03@demo.example", "Lạc Thị Minh Thư", "female", ("7", "1", "1998"), "040198410003", "Lưu trữ học"),
                WRITTEN, 48, [7600, 7600], NO_INTERVIEW),
            sat(person("thisinh.nv04@demo.example", "Chu Văn Đạt", "male", ("16", "6", "1993"), "040093410004", "Kế toán"),
                COMBINED, 39, [6500, 6600], [8000, 8000]),
            sat(person("thisinh.nv05@demo.example", "Âu Thị Hương", "female", ("28", "2", "1997"), "040197410005", "Tài chính - Ngân hàng"),
                COMBINED, 50, [7500, 7400], [6800, 6800]),
            absent(person("thisinh.nv06@demo.example", "Khúc Văn Tài", "male", ("10", "10", "1995"), "040095410006", "Kinh tế")),
        ],
        reached: Reached::Appealed,
        rules: "ND170-2025-ND300-2026",
    },
];

/// The positions of each demo round, by index in `DemoRound::positions`.
const WRITTEN: usize = 0;
const COMBINED: usize = 1;
/// The written-only position has no interview.
const NO_INTERVIEW: [u32; 2] = [0, 0];

/// A candidate of the combined position who passed stage 1 and stayed away from stage 2.
const fn absent(person: Person) -> Candidate {
    Candidate {
        person,
        position: COMBINED,
        correct: 33,
        sat_stage2: false,
        written: [0, 0],
        panel: [0, 0],
    }
}

impl DemoRound {
    fn notice(&self) -> String {
        let (_, department) = self.unit;
        let step = match self.reached {
            Reached::Marking => "Hội đồng đang chấm thi vòng 2.",
            Reached::Decoded => "Hội đồng đã chấm xong và ghép phách vòng 2.",
            Reached::Appealed => {
                "Hội đồng đã công bố điểm thi vòng 2 và đang chấm phúc khảo; kết quả tuyển dụng được tổng hợp sau khi trả lời phúc khảo."
            }
            Reached::Published => {
                "Hội đồng đã công bố kết quả; thí sinh có thể phúc khảo bài thi viết."
            }
        };
        format!(
            "Ủy ban nhân dân tỉnh Nghệ An thông báo tuyển dụng công chức làm việc tại {department} năm 2026.\n\n\
             Thí sinh đã thi vòng 1 trên máy tính và vòng 2 (thi viết; vị trí kế hoạch - tài chính thi viết và phỏng vấn). {step}"
        )
    }
}

fn positions(demo: &DemoRound, by_rank: bool) -> Vec<NewPosition> {
    use app::rounds::plan::{Method, Plan, Rank, LAW_WRITTEN_PERCENT};
    let (unit_code, unit_name) = demo.unit;
    let position = |code: &str, title: &str, majors: &[&str], stage2| NewPosition {
        code: code.to_string(),
        title: title.to_string(),
        units: vec![UnitQuota {
            unit_code: unit_code.to_string(),
            unit_name: unit_name.to_string(),
            quota: 1,
        }],
        min_degree: DegreeLevel::Bachelor,
        majors: majors.iter().map(|m| m.to_string()).collect(),
        other_conditions: String::new(),
        stage2,
        max_score: 100,
        // Under the amended decree both are chuyên viên positions by exam (Art 9.2).
        plan: by_rank.then_some(Plan {
            rank: Rank::Specialist,
            method: Method::Exam,
        }),
        ethnic_minority_only: false,
    };
    vec![
        position(
            demo.positions[0],
            "Chuyên viên văn thư, lưu trữ",
            &["Lưu trữ học", "Văn thư - Lưu trữ"],
            Stage2Format::Written,
        ),
        position(
            demo.positions[1],
            "Chuyên viên kế hoạch - tài chính",
            &["Kế toán", "Tài chính - Ngân hàng", "Kinh tế"],
            Stage2Format::Combined {
                written_percent: if by_rank { LAW_WRITTEN_PERCENT } else { 60 },
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

/// Seeds the three rounds. `password_hash` is the demo password's; `hr` the demo HR officer.
pub async fn seed(pool: &PgPool, password_hash: &str, hr: Uuid) -> Result<()> {
    for demo in &ROUNDS {
        seed_round(pool, demo, password_hash, hr)
            .await
            .with_context(|| format!("demo round {}", demo.prefix))?;
    }
    Ok(())
}

async fn seed_round(
    pool: &PgPool,
    demo: &'static DemoRound,
    password_hash: &str,
    hr: Uuid,
) -> Result<()> {
    let staff = Staff {
        hr,
        chair: user_id(pool, "truongban@demo.example").await?,
        markers: [
            user_id(pool, "chamthi@demo.example").await?,
            user_id(pool, "chamthi2@demo.example").await?,
            user_id(pool, "chamthi3@demo.example").await?,
        ],
    };
    let (round_id, params) = create_round(pool, demo, hr).await?;
    let applied = apply(pool, demo, round_id, password_hash, hr).await?;
    let (stage1, stage2) = schedule(pool, round_id).await?;

    // Stage 1: everyone sat the computer test and passed; the chair locked the results.
    let mut tx = pool.begin().await?;
    let seats = seat(&mut tx, round_id, 1, hr).await?;
    scheduling::publish(&mut tx, round_id, 1, morning(-55), hr).await?;
    attend(&mut tx, stage1, &seats, &[], hr).await?;
    stage1_results(
        &mut tx,
        demo,
        round_id,
        &applied,
        params.stage1_pass_percent,
        &staff,
    )
    .await?;
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
    if demo.reached == Reached::Marking {
        // The written exam's invigilator, who can still record a penalty on the room's
        // sheet for the chair to decide (Circular 22/2025).
        let room = sqlx::query_scalar!(
            "select room_id from seats where session_id = $1 order by seat limit 1",
            stage2
        )
        .fetch_one(&mut *tx)
        .await?;
        let [binh, ..] = staff.markers;
        invigilation_repo::assign(&mut tx, stage2, room, binh, hr).await?;
    }
    tx.commit().await?;

    board(pool, demo, round_id, &staff).await?;
    start_marking(pool, demo, round_id, staff.chair).await?;
    if params.circular_22_marking.is_some() {
        // A written marker held back for third markings (Circular 22 Art 16): assigned after
        // the papers were shared, so they get a paper only when the chief hands one over.
        let positions = scoring::positions(pool, round_id).await?;
        if let Some(p) = positions.iter().find(|p| p.code == demo.positions[0]) {
            let [_, _, hai] = staff.markers;
            scoring::add_assignment(pool, round_id, hai, p.id, Part::Written, staff.hr).await?;
        }
    }
    if demo.reached >= Reached::Decoded {
        mark(pool, demo, round_id, &applied, &staff).await?;
        let mut tx = pool.begin().await?;
        let at = morning(-4);
        app::scoring::service::lock_papers(&mut tx, pool, round_id, &params, staff.chair, at)
            .await
            .map_err(|e| anyhow!("locking the demo marks: {e:?}"))?;
        let at = at + Duration::hours(1);
        app::scoring::service::decode_papers(&mut tx, pool, round_id, &params, staff.chair, at)
            .await
            .map_err(|e| anyhow!("decoding the demo marks: {e:?}"))?;
        tx.commit().await?;
        set_status(
            pool,
            round_id,
            RoundStatus::Marking,
            RoundStatus::Results,
            hr,
        )
        .await?;
    }
    if demo.reached == Reached::Appealed {
        scores_and_appeal(pool, demo, round_id, &applied, &staff, &params).await?;
    }
    if demo.reached >= Reached::Published {
        publish(pool, round_id, &staff).await?;
    }
    // These steps happened days or weeks ago: their e-mails stay readable in the outbox, but
    // the first start does not print them (they would bury the demo accounts).
    applications::deliver_all_queued_notices(pool).await?;
    let addresses = format!("{}%@demo.example", demo.emails);
    sqlx::query!(
        "update email_outbox set status = 'logged' where status = 'pending' and to_address like $1",
        addresses
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Both markers of every paper enter its mark as `demo` says, by hand, as they would on their
/// sheets.
async fn mark(
    pool: &PgPool,
    demo: &DemoRound,
    round_id: Uuid,
    applied: &[(Uuid, &Candidate)],
    staff: &Staff,
) -> Result<()> {
    let [binh, giang, hai] = staff.markers;
    let mut tx = pool.begin().await?;
    let owners: HashMap<Uuid, Uuid> = scoring::identities(&mut tx, round_id)
        .await?
        .into_iter()
        .map(|i| (i.paper_id, i.application_id))
        .collect();
    let candidates: HashMap<Uuid, &Candidate> = applied.iter().map(|(id, c)| (*id, *c)).collect();
    let mut by_marker: HashMap<Uuid, Vec<(Uuid, Mark)>> = HashMap::new();
    for paper in scoring::paper_marks(&mut tx, round_id, None).await? {
        let candidate = owners
            .get(&paper.paper_id)
            .and_then(|owner| candidates.get(owner))
            .ok_or_else(|| anyhow!("paper {} of {} has no candidate", paper.code, demo.prefix))?;
        for (marker, _) in &paper.marks {
            let hundredths = match (paper.part, *marker) {
                (Part::Written, m) if m == binh => candidate.written[0],
                (Part::Written, m) if m == giang => candidate.written[1],
                (Part::Panel, m) if m == giang => candidate.panel[0],
                (Part::Panel, m) if m == hai => candidate.panel[1],
                _ => return Err(anyhow!("paper {} has an unexpected marker", paper.code)),
            };
            let marks = by_marker.entry(*marker).or_default();
            marks.push((paper.paper_id, Mark::from_hundredths(hundredths)));
        }
    }
    let at = morning(-6);
    for (marker, marks) in &by_marker {
        scoring::insert_marks(&mut tx, *marker, marks, at).await?;
        let lines: Vec<_> = marks
            .iter()
            .map(|&(paper, mark)| (paper, "entered", None, Some(mark)))
            .collect();
        scoring::audit_many(&mut tx, round_id, *marker, &lines, None, *marker, at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The legal sequence's first steps (Decree 170/2025 Art 17): HR published both positions'
/// exam scores three weeks ago; the written-only position's first reserve (71) appealed the
/// next day and paid; the appeal board is the clerk-marker Hải, the chair and Khánh, none of
/// whom marked the paper first. The window has long closed: the re-marking is what is left.
async fn scores_and_appeal(
    pool: &PgPool,
    demo: &DemoRound,
    round_id: Uuid,
    applied: &[(Uuid, &Candidate)],
    staff: &Staff,
    params: &RuleParams,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    for code in demo.positions {
        app::results::exam_scores_service::publish_position(
            &mut tx,
            round_id,
            code,
            staff.hr,
            morning(-21),
        )
        .await
        .map_err(|e| anyhow!("publishing the demo exam scores of {code}: {e:?}"))?;
    }
    let (application_id, _) = applied
        .iter()
        .find(|(_, c)| c.position == WRITTEN && c.written == [7000, 7200])
        .ok_or_else(|| anyhow!("the demo appellant is missing"))?;
    let paper = sqlx::query!(
        r#"select i.paper_id, s.written as "written!"
           from paper_identities i join stage2_scores s on s.application_id = i.application_id
           where i.application_id = $1 and i.part = 'written'"#,
        application_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let appeal = app::appeals::repo::NewAppeal {
        round_id,
        application_id: *application_id,
        paper_id: paper.paper_id,
        reason: Some("Em đề nghị chấm lại câu 2 và câu 4"),
        original: Mark::from_hundredths(paper.written.max(0) as u32),
        fee_dong: params.appeal_fee_dong,
    };
    app::appeals::repo::file(&mut tx, &appeal, morning(-20)).await?;
    let appeal_id = sqlx::query_scalar!(
        "select id from appeals where application_id = $1",
        application_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let fee = app::rounds::rules::format_dong(u64::from(params.appeal_fee_dong));
    applications::add_event(
        &mut tx,
        *application_id,
        EventKind::AppealFiled,
        Some(&fee),
        None,
        None,
    )
    .await?;
    let reference = "BL-2026-0117";
    app::appeals::repo::record_fee(
        &mut tx,
        round_id,
        appeal_id,
        reference,
        staff.hr,
        morning(-19),
    )
    .await?;
    applications::add_event(
        &mut tx,
        *application_id,
        EventKind::AppealFeePaid,
        Some(reference),
        None,
        Some(staff.hr),
    )
    .await?;
    tx.commit().await?;
    let khanh = user_id(pool, "chamthi4@demo.example").await?;
    let [_, _, hai] = staff.markers;
    for member in [hai, staff.chair, khanh] {
        scoring::add_member(pool, round_id, member, Duty::Appeal, staff.hr).await?;
    }
    Ok(())
}

/// HR computes version 1, the chair approves it, HR publishes it yesterday morning.
async fn publish(pool: &PgPool, round_id: Uuid, staff: &Staff) -> Result<()> {
    let version = app::results::service::draft(pool, round_id, staff.hr, morning(-3))
        .await
        .map_err(|e| anyhow!("computing the demo results: {e:?}"))?;
    let version_id = app::results::repo::versions(pool, round_id)
        .await?
        .into_iter()
        .find(|v| v.version == version as i32)
        .map(|v| v.id)
        .ok_or_else(|| anyhow!("demo results version {version} missing"))?;
    if !app::results::repo::approve(pool, version_id, staff.chair, morning(-2)).await? {
        return Err(anyhow!("the demo results were not approved"));
    }
    app::results::service::publish_version(pool, round_id, version_id, staff.hr, morning(-1))
        .await
        .map_err(|e| anyhow!("publishing the demo results: {e:?}"))?;
    Ok(())
}

/// Moves the round on, audited as HR's change.
async fn set_status(
    pool: &PgPool,
    round_id: Uuid,
    from: RoundStatus,
    to: RoundStatus,
    hr: Uuid,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    rounds::set_status(&mut tx, round_id, to).await?;
    rounds::audit(
        &mut tx,
        hr,
        round_id,
        RoundChange::new("round.status_changed", "")
            .from_to(
                Some(from.as_str().to_string()),
                Some(to.as_str().to_string()),
            )
            .because(Some("Dữ liệu mẫu / demo data".to_string())),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The round under its rule set with its two positions, in marking; returns it and its
/// rules.
async fn create_round(pool: &PgPool, demo: &DemoRound, hr: Uuid) -> Result<(Uuid, RuleParams)> {
    let rule_set = rounds::list_rule_sets(pool)
        .await?
        .into_iter()
        .find(|r| r.code == demo.rules)
        .ok_or_else(|| anyhow!("rule set {} missing", demo.rules))?;
    let params = rounds::rule_set(pool, rule_set.id)
        .await?
        .ok_or_else(|| anyhow!("rule set {} missing", demo.rules))?
        .params;
    let opens = morning(-120);
    let round = NewRound {
        name: demo.name.into(),
        authority: "Ủy ban nhân dân tỉnh Nghệ An".into(),
        notice: demo.notice(),
        opens_at: opens,
        closes_at: opens + Duration::days(30) + Duration::hours(9),
        stage1_foreign_language: false,
    };
    let mut tx = pool.begin().await?;
    let id = rounds::insert_round(&mut tx, &round, rule_set.id, hr).await?;
    rounds::add_positions(&mut tx, id, &positions(demo, params.tests_by_rank)).await?;
    sqlx::query!(
        "update rounds set candidate_prefix = $2 where id = $1",
        id,
        demo.prefix
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    set_status(pool, id, RoundStatus::Draft, RoundStatus::Marking, hr).await?;
    Ok((id, params))
}

/// The candidates' accounts, profiles and applications: eligible, fee paid.
async fn apply(
    pool: &PgPool,
    demo: &'static DemoRound,
    round_id: Uuid,
    password_hash: &str,
    hr: Uuid,
) -> Result<Vec<(Uuid, &'static Candidate)>> {
    let positions = rounds::positions(pool, round_id).await?;
    let mut applied = Vec::new();
    for candidate in &demo.candidates {
        let code = demo.positions[candidate.position];
        let position = positions
            .iter()
            .find(|p| p.code == code)
            .ok_or_else(|| anyhow!("position {code} missing"))?;
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
            priority_codes: &[],
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
        let reference = format!("Biên lai {}-{:04}", demo.prefix, applied.len() + 1);
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
    demo: &DemoRound,
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
                candidate_number: format_candidate_number(demo.prefix, number),
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
    let file = format!("ket-qua-vong-1-{}.csv", demo.prefix);
    scoring::save_stage1(conn, round_id, &rows, &file, staff.hr, at).await?;
    let passed = rows.iter().filter(|r| r.passed).count();
    let reason = format!("{file} ({} / {passed})", rows.len());
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
async fn board(pool: &PgPool, demo: &DemoRound, round_id: Uuid, staff: &Staff) -> Result<()> {
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
    let (written_only, combined) = (id_of(demo.positions[0])?, id_of(demo.positions[1])?);
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
async fn start_marking(
    pool: &PgPool,
    demo: &DemoRound,
    round_id: Uuid,
    chair: Uuid,
) -> Result<usize> {
    let at = OffsetDateTime::now_utc() - Duration::days(7);
    let mut tx = pool.begin().await?;
    let made = app::scoring::service::make_papers(&mut tx, pool, round_id, demo.prefix, chair, at)
        .await
        .map_err(|e| anyhow!("making the demo papers: {e:?}"))?;
    tx.commit().await?;
    Ok(made)
}
