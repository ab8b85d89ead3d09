//! Demo rounds modelled on a Nghệ An provincial recruitment: departments and commune/ward
//! people's committees, 23 positions (some shared by several units), quotas from 1 to 20.
//! One round is open now; an older one is finished, so the public list shows both kinds.

use anyhow::Result;
use app::rounds::positions::{DegreeLevel, NewPosition, Stage2Format, UnitQuota};
use app::rounds::repo::{self, RoundChange};
use app::rounds::status::RoundStatus;
use app::rounds::types::NewRound;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime, Time};
use uuid::Uuid;

const UNITS: &[(&str, &str)] = &[
    ("STC", "Sở Tài chính"),
    ("SNV", "Sở Nội vụ"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SYT", "Sở Y tế"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("STP", "Sở Tư pháp"),
    ("SXD", "Sở Xây dựng"),
    ("TTT", "Thanh tra tỉnh"),
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("P-TRUONGVINH", "Ủy ban nhân dân phường Trường Vinh"),
    ("P-VINHHUNG", "Ủy ban nhân dân phường Vinh Hưng"),
    ("P-CUALO", "Ủy ban nhân dân phường Cửa Lò"),
    ("X-DIENCHAU", "Ủy ban nhân dân xã Diễn Châu"),
    ("X-QUYNHLUU", "Ủy ban nhân dân xã Quỳnh Lưu"),
    ("X-NGHILOC", "Ủy ban nhân dân xã Nghi Lộc"),
    ("X-CONCUONG", "Ủy ban nhân dân xã Con Cuông"),
    ("X-KYSON", "Ủy ban nhân dân xã Kỳ Sơn"),
    ("X-TUONGDUONG", "Ủy ban nhân dân xã Tương Dương"),
];

fn position(
    code: &str,
    title: &str,
    units: &[(&str, u32)],
    min_degree: DegreeLevel,
    majors: &[&str],
    stage2: Stage2Format,
    other_conditions: &str,
) -> NewPosition {
    NewPosition {
        code: code.to_string(),
        title: title.to_string(),
        units: units
            .iter()
            .map(|(unit, quota)| UnitQuota {
                unit_code: unit.to_string(),
                unit_name: UNITS
                    .iter()
                    .find(|(c, _)| c == unit)
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_default(),
                quota: *quota,
            })
            .collect(),
        min_degree,
        majors: majors.iter().map(|m| m.to_string()).collect(),
        other_conditions: other_conditions.to_string(),
        stage2,
        max_score: 100,
        plan: None,
        ethnic_minority_only: false,
    }
}

/// A round under Decree 170/2025 as amended by Decree 300/2026: each position states its
/// rank and method, and the notice shows the tests the law derives (a nhân viên position with
/// an oral test, chuyên viên with stage 1 and written + interview, chuyên viên chính without
/// stage 1, a xét tuyển position for cử tuyển graduates, and a position reserved for
/// ethnic-minority candidates).
fn positions_decree_300() -> Vec<NewPosition> {
    use app::rounds::plan::{Method, Plan, Rank, ReviewGroup};
    use DegreeLevel::*;
    use Stage2Format::*;
    let with = |mut p: NewPosition, rank, method| {
        p.plan = Some(Plan { rank, method });
        p
    };
    vec![
        with(
            position(
                "VP-01",
                "Nhân viên văn thư",
                &[("VPUBND", 1)],
                College,
                &["Văn thư - Lưu trữ"],
                Oral,
                "",
            ),
            Rank::Employee,
            Method::Exam,
        ),
        with(
            position(
                "TP-01",
                "Chuyên viên pháp chế",
                &[("STP", 2), ("SXD", 1)],
                Bachelor,
                &["Luật"],
                Combined {
                    written_percent: 70,
                },
                "",
            ),
            Rank::Specialist,
            Method::Exam,
        ),
        with(
            position(
                "TT-01",
                "Thanh tra viên chính",
                &[("TTT", 1)],
                Bachelor,
                &["Luật", "Kinh tế"],
                Written,
                "Đang giữ ngạch thanh tra viên hoặc tương đương từ đủ 9 năm",
            ),
            Rank::PrincipalSpecialist,
            Method::Exam,
        ),
        with(
            position(
                "KS-01",
                "Công chức Văn hóa - Xã hội xã Kỳ Sơn",
                &[("X-KYSON", 1)],
                Bachelor,
                &["Văn hóa học", "Công tác xã hội"],
                Oral,
                "Người học theo chế độ cử tuyển, trở về xã Kỳ Sơn công tác",
            ),
            Rank::Specialist,
            Method::Review(ReviewGroup::NominatedScheme),
        ),
        NewPosition {
            // Decree 170/2025 Art 3.2.c: places ranked among ethnic-minority candidates only.
            ethnic_minority_only: true,
            ..with(
                position(
                    "DT-01",
                    "Công chức Văn phòng - Thống kê xã Tương Dương",
                    &[("X-TUONGDUONG", 1)],
                    Bachelor,
                    &["Quản trị văn phòng", "Thống kê"],
                    Combined {
                        written_percent: 70,
                    },
                    "Người dân tộc thiểu số",
                ),
                Rank::Specialist,
                Method::Exam,
            )
        },
    ]
}

const NOTICE_DECREE_300: &str = "Ủy ban nhân dân tỉnh Nghệ An thông báo tuyển dụng công chức đợt 2 năm 2026 theo Nghị định số 170/2025/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số 300/2026/NĐ-CP.\n\n\
Hình thức tuyển dụng và nội dung thi của từng vị trí ghi trong bảng dưới đây: ngạch nhân viên thi một bài vấn đáp; ngạch chuyên viên thi hai vòng; ngạch chuyên viên chính không thi vòng 1; vị trí xét tuyển dành cho người học theo chế độ cử tuyển; vị trí DT-01 chỉ tuyển người dân tộc thiểu số.";

fn positions_2026() -> Vec<NewPosition> {
    use DegreeLevel::*;
    use Stage2Format::*;
    let combined = |w| Combined { written_percent: w };
    vec![
        position(
            "TC-01",
            "Chuyên viên quản lý ngân sách",
            &[("STC", 3)],
            Bachelor,
            &["Tài chính - Ngân hàng", "Kế toán"],
            Written,
            "",
        ),
        position(
            "TC-02",
            "Chuyên viên quản lý giá và công sản",
            &[("STC", 2)],
            Bachelor,
            &["Kinh tế", "Tài chính"],
            combined(70),
            "",
        ),
        position(
            "NV-01",
            "Chuyên viên tổ chức, biên chế",
            &[("SNV", 2)],
            Bachelor,
            &["Luật", "Quản lý nhà nước", "Hành chính học"],
            Interview,
            "",
        ),
        position(
            "NV-02",
            "Chuyên viên văn thư, lưu trữ",
            &[("SNV", 1)],
            Bachelor,
            &["Lưu trữ học", "Văn thư"],
            Written,
            "",
        ),
        position(
            "GD-01",
            "Chuyên viên quản lý giáo dục trung học",
            &[("SGDDT", 2)],
            Master,
            &["Quản lý giáo dục"],
            ProjectDefence,
            "Có ít nhất 3 năm làm công tác giảng dạy",
        ),
        position(
            "GD-02",
            "Chuyên viên khảo thí và kiểm định chất lượng",
            &[("SGDDT", 1)],
            Bachelor,
            &["Sư phạm", "Quản lý giáo dục"],
            Written,
            "",
        ),
        position(
            "YT-01",
            "Chuyên viên quản lý dược",
            &[("SYT", 2)],
            Bachelor,
            &["Dược học"],
            Written,
            "",
        ),
        position(
            "YT-02",
            "Chuyên viên kế hoạch - tài chính y tế",
            &[("SYT", 1)],
            Bachelor,
            &["Kế toán", "Kinh tế y tế"],
            Interview,
            "",
        ),
        position(
            "NN-01",
            "Chuyên viên quản lý đất đai",
            &[("SNNMT", 4)],
            Bachelor,
            &["Quản lý đất đai", "Địa chính"],
            Written,
            "",
        ),
        position(
            "NN-02",
            "Chuyên viên quản lý môi trường",
            &[("SNNMT", 3)],
            Bachelor,
            &["Khoa học môi trường", "Kỹ thuật môi trường"],
            combined(60),
            "",
        ),
        position(
            "NN-03",
            "Kiểm lâm viên",
            &[("SNNMT", 20)],
            College,
            &["Lâm nghiệp", "Quản lý tài nguyên rừng"],
            Practical,
            "Đủ sức khỏe làm việc ở vùng rừng núi",
        ),
        position(
            "NN-04",
            "Chuyên viên quản lý thủy lợi",
            &[("SNNMT", 1)],
            Bachelor,
            &["Kỹ thuật tài nguyên nước", "Thủy lợi"],
            Interview,
            "",
        ),
        position(
            "TP-01",
            "Chuyên viên kiểm tra văn bản quy phạm pháp luật",
            &[("STP", 2)],
            Bachelor,
            &["Luật"],
            Written,
            "",
        ),
        position(
            "XD-01",
            "Chuyên viên quản lý quy hoạch xây dựng",
            &[("SXD", 2)],
            Bachelor,
            &["Kiến trúc", "Quy hoạch vùng và đô thị"],
            Interview,
            "",
        ),
        position(
            "TT-01",
            "Thanh tra viên",
            &[("TTT", 3)],
            Bachelor,
            &["Luật", "Kinh tế", "Tài chính"],
            Written,
            "",
        ),
        position(
            "VP-01",
            "Chuyên viên tổng hợp",
            &[("VPUBND", 2)],
            Master,
            &["Kinh tế", "Luật", "Quản lý công"],
            ProjectDefence,
            "",
        ),
        position(
            "VP-02",
            "Chuyên viên công nghệ thông tin",
            &[("VPUBND", 1)],
            Bachelor,
            &["Công nghệ thông tin", "Khoa học máy tính"],
            Practical,
            "",
        ),
        position(
            "KT-01",
            "Kế toán viên khối sở",
            &[("SNV", 1), ("STP", 1), ("SXD", 1)],
            Bachelor,
            &["Kế toán", "Kiểm toán"],
            Written,
            "",
        ),
        position(
            "XA-VPTK",
            "Công chức Văn phòng - Thống kê",
            &[
                ("P-TRUONGVINH", 2),
                ("X-DIENCHAU", 3),
                ("X-QUYNHLUU", 2),
                ("X-KYSON", 1),
            ],
            Bachelor,
            &["Văn thư - Lưu trữ", "Hành chính học", "Thống kê", "Luật"],
            Interview,
            "",
        ),
        position(
            "XA-TCKT",
            "Công chức Tài chính - Kế toán",
            &[
                ("P-CUALO", 1),
                ("X-CONCUONG", 1),
                ("X-DIENCHAU", 2),
                ("X-NGHILOC", 2),
            ],
            Bachelor,
            &["Kế toán", "Tài chính"],
            Written,
            "",
        ),
        position(
            "XA-TPHT",
            "Công chức Tư pháp - Hộ tịch",
            &[("P-VINHHUNG", 1), ("X-NGHILOC", 1), ("X-QUYNHLUU", 2)],
            Bachelor,
            &["Luật"],
            combined(70),
            "",
        ),
        position(
            "XA-DCXD",
            "Công chức Địa chính - Xây dựng - Môi trường",
            &[
                ("P-CUALO", 1),
                ("X-CONCUONG", 2),
                ("X-DIENCHAU", 2),
                ("X-KYSON", 3),
            ],
            Bachelor,
            &[
                "Quản lý đất đai",
                "Kỹ thuật xây dựng",
                "Khoa học môi trường",
            ],
            Written,
            "",
        ),
        position(
            "XA-VHXH",
            "Công chức Văn hóa - Xã hội",
            &[("P-TRUONGVINH", 1), ("X-CONCUONG", 2), ("X-KYSON", 2)],
            Bachelor,
            &["Văn hóa học", "Công tác xã hội", "Xã hội học"],
            Interview,
            "Ưu tiên người biết tiếng dân tộc thiểu số tại địa phương",
        ),
    ]
}

const NOTICE_2026: &str = "Ủy ban nhân dân tỉnh Nghệ An thông báo tuyển dụng công chức năm 2026 vào làm việc tại các sở, ban, ngành cấp tỉnh và Ủy ban nhân dân các xã, phường.\n\n\
Người đăng ký dự tuyển nộp Phiếu đăng ký dự tuyển (Mẫu số 01) trực tuyến trên Cổng tuyển dụng trong thời gian nhận hồ sơ. Mỗi người chỉ được đăng ký dự tuyển vào một vị trí việc làm; với vị trí tuyển chung cho nhiều đơn vị, thí sinh xếp thứ tự nguyện vọng các đơn vị.\n\n\
Thời gian, địa điểm thi vòng 1 và vòng 2 sẽ được thông báo trên Cổng tuyển dụng và gửi tới địa chỉ email của thí sinh ít nhất 15 ngày trước ngày thi.";

const NOTICE_2025: &str = "Ủy ban nhân dân tỉnh Nghệ An thông báo tuyển dụng công chức đợt 1 năm 2025. Kỳ tuyển dụng đã kết thúc; kết quả đã được công bố.";

/// 08:00 Vietnam time, `days` from today.
pub(crate) fn morning(days: i64) -> OffsetDateTime {
    let vn = OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7)) + Duration::days(days);
    vn.replace_time(Time::from_hms(8, 0, 0).expect("08:00 is a time"))
}

async fn seed_round(
    pool: &PgPool,
    hr: Uuid,
    rule_code: &str,
    round: NewRound,
    positions: &[NewPosition],
    status: RoundStatus,
) -> Result<()> {
    let rule_set = repo::list_rule_sets(pool)
        .await?
        .into_iter()
        .find(|r| r.code == rule_code)
        .ok_or_else(|| anyhow::anyhow!("rule set {rule_code} missing"))?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_round(&mut tx, &round, rule_set.id, hr).await?;
    repo::add_positions(&mut tx, id, positions).await?;
    repo::set_status(&mut tx, id, status).await?;
    repo::audit(
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
    Ok(())
}

pub async fn seed(pool: &PgPool, hr: Uuid) -> Result<()> {
    // Opened before the main open round, which the demo applications go to (the latest).
    let opens = morning(-5);
    seed_round(
        pool,
        hr,
        "ND170-2025-ND300-2026",
        NewRound {
            name: "Kỳ tuyển dụng công chức tỉnh Nghệ An đợt 2 năm 2026 (Nghị định 300/2026)".into(),
            authority: "Ủy ban nhân dân tỉnh Nghệ An".into(),
            notice: NOTICE_DECREE_300.into(),
            opens_at: opens,
            closes_at: opens + Duration::days(30) + Duration::hours(9),
            stage1_foreign_language: false,
        },
        &positions_decree_300(),
        RoundStatus::Open,
    )
    .await?;
    let opens = morning(-3);
    seed_round(
        pool,
        hr,
        "ND170-2025",
        NewRound {
            name: "Kỳ thi tuyển công chức tỉnh Nghệ An năm 2026".into(),
            authority: "Ủy ban nhân dân tỉnh Nghệ An".into(),
            notice: NOTICE_2026.into(),
            opens_at: opens,
            closes_at: opens + Duration::days(30) + Duration::hours(9),
            stage1_foreign_language: false,
        },
        &positions_2026(),
        RoundStatus::Open,
    )
    .await?;
    let opens = morning(-300);
    seed_round(
        pool,
        hr,
        "ND138-2020",
        NewRound {
            name: "Kỳ thi tuyển công chức tỉnh Nghệ An đợt 1 năm 2025".into(),
            authority: "Ủy ban nhân dân tỉnh Nghệ An".into(),
            notice: NOTICE_2025.into(),
            opens_at: opens,
            closes_at: opens + Duration::days(30) + Duration::hours(9),
            stage1_foreign_language: true,
        },
        &positions_2026()[..3],
        RoundStatus::Finalised,
    )
    .await
}
