//! Demo applications in the open demo round, so that HR's screening queue shows something on
//! a fresh installation, and a complete profile for the demo applicant, who can then apply in
//! a minute. Written through the same repository functions the portal uses.

use anyhow::{anyhow, Result};
use app::accounts::{repo as accounts, types::*};
use app::applications::profile::{DegreeForm, ProfileForm};
use app::applications::rules::ReceiptCode;
use app::applications::types::{Decision, EventKind};
use app::applications::{repo, screening};
use rand::RngCore;
use sqlx::PgPool;
use uuid::Uuid;

pub(crate) struct Person {
    pub email: &'static str,
    pub name: &'static str,
    pub sex: &'static str,
    pub dob: (&'static str, &'static str, &'static str),
    pub national_id: &'static str,
    pub major: &'static str,
}

const PEOPLE: [Person; 8] = [
    Person {
        email: "ungvien01@demo.example",
        name: "Trần Thị Lan",
        sex: "female",
        dob: ("12", "4", "1997"),
        national_id: "040197004211",
        major: "Kế toán",
    },
    Person {
        email: "ungvien02@demo.example",
        name: "Nguyễn Văn Minh",
        sex: "male",
        dob: ("3", "11", "1995"),
        national_id: "040095018342",
        major: "Tài chính - Ngân hàng",
    },
    Person {
        email: "ungvien03@demo.example",
        name: "Lê Thị Hương",
        sex: "female",
        dob: ("25", "7", "1999"),
        national_id: "040199027113",
        major: "Luật",
    },
    Person {
        email: "ungvien04@demo.example",
        name: "Phạm Văn Đức",
        sex: "male",
        dob: ("8", "1", "1996"),
        national_id: "040096031874",
        major: "Quản lý đất đai",
    },
    Person {
        email: "ungvien05@demo.example",
        name: "Hồ Thị Mai",
        sex: "female",
        dob: ("19", "9", "2000"),
        national_id: "040300040925",
        major: "Kế toán",
    },
    Person {
        email: "ungvien06@demo.example",
        name: "Đặng Văn Hùng",
        sex: "male",
        dob: ("30", "5", "1993"),
        national_id: "040093052316",
        major: "Xây dựng dân dụng và công nghiệp",
    },
    Person {
        email: "ungvien07@demo.example",
        name: "Võ Thị Ngọc",
        sex: "female",
        dob: ("14", "2", "1998"),
        national_id: "040198063457",
        major: "Hành chính học",
    },
    Person {
        email: "ungvien08@demo.example",
        name: "Bùi Văn Tâm",
        sex: "male",
        dob: ("2", "12", "2009"),
        national_id: "040209074548",
        major: "Công nghệ thông tin",
    },
];

pub(crate) fn profile(p: &Person) -> ProfileForm {
    ProfileForm {
        full_name: p.name.into(),
        dob_day: p.dob.0.into(),
        dob_month: p.dob.1.into(),
        dob_year: p.dob.2.into(),
        sex: p.sex.into(),
        national_id: p.national_id.into(),
        id_issue_day: "15".into(),
        id_issue_month: "6".into(),
        id_issue_year: "2022".into(),
        id_issue_place: "Cục Cảnh sát quản lý hành chính về trật tự xã hội".into(),
        ethnicity: "Kinh".into(),
        religion: "Không".into(),
        phone: "0912 345 678".into(),
        contact_email: p.email.into(),
        hometown: "Nghi Lộc, Nghệ An".into(),
        permanent_address: "Số 5 Lê Hồng Phong, phường Trường Vinh, Nghệ An".into(),
        current_address: "Số 5 Lê Hồng Phong, phường Trường Vinh, Nghệ An".into(),
        health: "Tốt".into(),
        height_cm: "165".into(),
        weight_kg: "55".into(),
        general_education: "12/12".into(),
        degrees: vec![DegreeForm {
            level: "bachelor".into(),
            major: p.major.into(),
            institution: "Trường Đại học Vinh".into(),
            graduated: "06/2021".into(),
            serial: format!("DHV-2021-{}", &p.national_id[6..]),
            mode: "full_time".into(),
            classification: "good".into(),
        }],
        jobs: vec![],
        foreign_language: "Tiếng Anh B1".into(),
        it_skills: "Ứng dụng CNTT cơ bản".into(),
    }
}

/// Seeds the demo applicant's profile and eight applications in the open round, a few of
/// them already screened. `password_hash` is the demo password's.
pub async fn seed(pool: &PgPool, password_hash: &str, hr: Uuid) -> Result<()> {
    let Some(round_id) = sqlx::query_scalar!(
        "select id from rounds where status = 'open' order by opens_at desc limit 1"
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(());
    };
    if let Some(applicant) =
        sqlx::query_scalar!("select id from users where email = 'thisinh@demo.example'")
            .fetch_optional(pool)
            .await?
    {
        let me = Person {
            email: "thisinh@demo.example",
            name: "Nguyễn Văn An",
            sex: "male",
            dob: ("20", "10", "1996"),
            national_id: "040096012345",
            major: "Kế toán",
        };
        repo::save_profile(pool, applicant, &profile(&me)).await?;
    }

    let positions = sqlx::query!(
        "select p.id, array_agg(pu.unit_id order by pu.unit_id) as \"units!\"
         from positions p join position_units pu on pu.position_id = p.id
         where p.round_id = $1 group by p.id, p.code order by p.code",
        round_id
    )
    .fetch_all(pool)
    .await?;
    let mut ids = Vec::new();
    for (n, person) in PEOPLE.iter().enumerate() {
        let email = Email::parse(person.email).map_err(|m| anyhow!("{m:?}"))?;
        let name = FullName::parse(person.name).map_err(|m| anyhow!("{m:?}"))?;
        let user =
            accounts::insert_user(pool, &email, &name, password_hash, &[Role::Applicant], None)
                .await?;
        let form = profile(person);
        repo::save_profile(pool, user, &form).await?;
        let checked = form
            .check(time::OffsetDateTime::now_utc().date())
            .map_err(|e| anyhow!("demo profile {} is invalid: {e:?}", person.email))?;
        let position = &positions[(n * 3) % positions.len()];
        let submission = repo::Submission {
            round_id,
            applicant_id: user,
            position_id: position.id,
            preferences: &position.units,
            priority_code: "",
            priority_codes: &[],
            profile: &checked,
            form: serde_json::json!({
                "profile": form,
                "position_id": position.id,
                "preferences": position.units,
                "priority_code": "",
            }),
        };
        let mut random = [0u8; 8];
        rand::thread_rng().fill_bytes(&mut random);
        let code = ReceiptCode::from_random(random);
        let mut tx = pool.begin().await?;
        if let repo::Inserted::New(id) =
            repo::insert_application(&mut tx, &submission, code.as_str()).await?
        {
            repo::add_event(&mut tx, id, EventKind::Submitted, None, None, Some(user)).await?;
            ids.push(id);
        }
        tx.commit().await?;
    }

    // A few already screened, so every status shows in the queue.
    let mut tx = pool.begin().await?;
    if let [first, second, third, .., last] = ids.as_slice() {
        screening::decide(
            &mut tx,
            round_id,
            &[*first, *second],
            Decision::Eligible,
            None,
            None,
            hr,
        )
        .await?;
        let fix_by = time::OffsetDateTime::now_utc() + time::Duration::days(7);
        screening::decide(
            &mut tx,
            round_id,
            &[*third],
            Decision::NeedsCorrection,
            Some("Bổ sung bản sao bằng tốt nghiệp có chứng thực"),
            Some(fix_by),
            hr,
        )
        .await?;
        screening::decide(
            &mut tx,
            round_id,
            &[*last],
            Decision::Rejected,
            Some("Chưa đủ 18 tuổi tại thời điểm hết hạn nộp hồ sơ"),
            None,
            hr,
        )
        .await?;
        screening::record_fee(
            &mut tx,
            *first,
            500_000,
            "Biên lai 0001",
            time::OffsetDateTime::now_utc(),
            hr,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
