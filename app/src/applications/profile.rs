//! The applicant's profile: the personal part of the Mẫu 01 form, kept between rounds.
//!
//! `ProfileForm` holds what was typed, as typed, so that an incomplete draft can be saved at
//! any moment; `ProfileForm::check` is the one validation, run in the browser for instant
//! feedback and again on the server before an application is submitted.

use crate::accounts::types::{Email, FullName};
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::rounds::positions::DegreeLevel;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::rules::{parse_date, NationalId, Sex};

/// Rows of the degree and work-history tables a profile may hold.
pub const MAX_DEGREES: usize = 8;
pub const MAX_JOBS: usize = 15;
/// Longest text a single field may hold when saved as a draft.
pub const MAX_FIELD_CHARS: usize = 500;

/// One row of the degree table, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DegreeForm {
    pub level: String,
    pub major: String,
    pub institution: String,
    /// Month and year of graduation, `mm/yyyy`.
    pub graduated: String,
    pub serial: String,
    pub mode: String,
    pub classification: String,
}

/// One row of the work history, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobForm {
    /// `mm/yyyy`
    pub from: String,
    /// `mm/yyyy`, empty while still working there.
    pub until: String,
    pub workplace: String,
    pub role: String,
}

/// The Mẫu 01 personal fields, as typed. Every field may be empty in a draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub full_name: String,
    pub dob_day: String,
    pub dob_month: String,
    pub dob_year: String,
    pub sex: String,
    pub national_id: String,
    pub id_issue_day: String,
    pub id_issue_month: String,
    pub id_issue_year: String,
    pub id_issue_place: String,
    pub ethnicity: String,
    pub religion: String,
    pub phone: String,
    pub contact_email: String,
    pub hometown: String,
    pub permanent_address: String,
    pub current_address: String,
    pub health: String,
    pub height_cm: String,
    pub weight_kg: String,
    pub general_education: String,
    pub degrees: Vec<DegreeForm>,
    pub jobs: Vec<JobForm>,
    pub foreign_language: String,
    pub it_skills: String,
}

/// Modes of study and classifications a degree row offers (stored as these codes).
pub const STUDY_MODES: [(&str, Msg); 4] = [
    ("full_time", Msg::ModeFullTime),
    ("part_time", Msg::ModePartTime),
    ("distance", Msg::ModeDistance),
    ("other", Msg::ModeOther),
];
pub const CLASSIFICATIONS: [(&str, Msg); 6] = [
    ("excellent", Msg::ClassExcellent),
    ("very_good", Msg::ClassVeryGood),
    ("good", Msg::ClassGood),
    ("fairly_good", Msg::ClassFairlyGood),
    ("average", Msg::ClassAverage),
    ("pass", Msg::ClassPass),
];

/// The sections of the profile page, in order; each field belongs to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    Personal,
    Contact,
    Education,
    Work,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Personal,
        Section::Contact,
        Section::Education,
        Section::Work,
    ];

    pub fn msg(self) -> Msg {
        match self {
            Section::Personal => Msg::SectionPersonal,
            Section::Contact => Msg::SectionContact,
            Section::Education => Msg::SectionEducation,
            Section::Work => Msg::SectionWork,
        }
    }

    pub fn anchor(self) -> &'static str {
        match self {
            Section::Personal => "section-personal",
            Section::Contact => "section-contact",
            Section::Education => "section-education",
            Section::Work => "section-work",
        }
    }

    /// The section a field (error key) belongs to.
    pub fn of_field(field: &str) -> Section {
        const PERSONAL: [&str; 9] = [
            "full_name",
            "dob_day",
            "sex",
            "national_id",
            "id_issue_day",
            "id_issue_place",
            "ethnicity",
            "religion",
            "it_skills",
        ];
        const CONTACT: [&str; 5] = [
            "phone",
            "contact_email",
            "hometown",
            "permanent_address",
            "current_address",
        ];
        if PERSONAL.contains(&field) {
            Section::Personal
        } else if CONTACT.contains(&field) {
            Section::Contact
        } else if field.starts_with("job_") || field == "foreign_language" {
            Section::Work
        } else {
            Section::Education
        }
    }
}

/// Element ids (and error keys) of table cells: `degree_0_major`, `job_2_from`.
pub fn degree_field(row: usize, column: &str) -> String {
    format!("degree_{row}_{column}")
}

pub fn job_field(row: usize, column: &str) -> String {
    format!("job_{row}_{column}")
}

/// The label of the field an error is about, for the error summary ("Số CCCD: …"); table
/// cells name their row ("Văn bằng 1 – Chuyên ngành").
pub fn field_label(lang: crate::i18n::Lang, field: &str) -> Option<String> {
    let plain = match field {
        "full_name" => Msg::FullName,
        "dob_day" => Msg::DateOfBirth,
        "sex" => Msg::Sex,
        "national_id" => Msg::NationalId,
        "id_issue_day" => Msg::IdIssueDate,
        "id_issue_place" => Msg::IdIssuePlace,
        "ethnicity" => Msg::Ethnicity,
        "religion" => Msg::Religion,
        "phone" => Msg::Phone,
        "contact_email" => Msg::ContactEmail,
        "hometown" => Msg::Hometown,
        "permanent_address" => Msg::PermanentAddress,
        "current_address" => Msg::CurrentAddress,
        "health" => Msg::Health,
        "height_cm" => Msg::HeightCm,
        "weight_kg" => Msg::WeightKg,
        "general_education" => Msg::GeneralEducation,
        "foreign_language" => Msg::ForeignLanguage,
        "it_skills" => Msg::ItSkills,
        "position_id" => Msg::Position,
        "preferences_0" => Msg::RankUnits,
        "priority_code" => Msg::PriorityCategory,
        "documents" => Msg::StepDocuments,
        _ => return table_cell_label(lang, field),
    };
    Some(lang.t(plain).to_string())
}

fn table_cell_label(lang: crate::i18n::Lang, field: &str) -> Option<String> {
    let mut parts = field.splitn(3, '_');
    let (table, row, column) = (parts.next()?, parts.next()?, parts.next()?);
    let row: usize = row.parse().ok()?;
    let (row_msg, column_msg) = match (table, column) {
        ("degree", "level") => (Msg::Degree, Msg::DegreeLevelLabel),
        ("degree", "major") => (Msg::Degree, Msg::Major),
        ("degree", "institution") => (Msg::Degree, Msg::Institution),
        ("degree", "graduated") => (Msg::Degree, Msg::Graduated),
        ("degree", "serial") => (Msg::Degree, Msg::DegreeSerial),
        ("degree", "mode") => (Msg::Degree, Msg::StudyMode),
        ("degree", "classification") => (Msg::Degree, Msg::Classification),
        ("job", "from") => (Msg::Job, Msg::JobFrom),
        ("job", "until") => (Msg::Job, Msg::JobUntil),
        ("job", "workplace") => (Msg::Job, Msg::Workplace),
        ("job", "role") => (Msg::Job, Msg::JobRole),
        _ => return None,
    };
    Some(format!(
        "{} {} – {}",
        lang.t(row_msg),
        row + 1,
        lang.t(column_msg)
    ))
}

/// A profile that passed every check, with the values HR and the rules need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub full_name: String,
    pub date_of_birth: Date,
    pub sex: Sex,
    pub national_id: NationalId,
    pub phone: String,
    pub contact_email: String,
    pub highest_degree: DegreeLevel,
    pub majors: Vec<String>,
}

/// A month and year written `mm/yyyy` (or `m/yyyy`, `mm-yyyy`), as the first day of that month.
pub fn parse_month_year(input: &str) -> Result<Date, Msg> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Msg::ErrDateRequired);
    }
    let (month, year) = input.split_once(['/', '-', '.']).ok_or(Msg::ErrMonthYear)?;
    let month: u8 = month.trim().parse().map_err(|_| Msg::ErrMonthYear)?;
    let year: i32 = year.trim().parse().map_err(|_| Msg::ErrMonthYear)?;
    if !(1900..=2200).contains(&year) {
        return Err(Msg::ErrMonthYear);
    }
    let month = Month::try_from(month).map_err(|_| Msg::ErrMonthYear)?;
    Date::from_calendar_date(year, month, 1).map_err(|_| Msg::ErrMonthYear)
}

/// A Vietnamese phone number: ten digits starting with 0, or +84 and nine digits. Spaces,
/// dots and dashes between groups are allowed; the result keeps only the digits (0…).
pub fn parse_phone(input: &str) -> Result<String, Msg> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    if compact.is_empty() {
        return Err(Msg::ErrRequired);
    }
    let national = match compact.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    if national.len() == 10
        && national.starts_with('0')
        && national.bytes().all(|b| b.is_ascii_digit())
    {
        Ok(national)
    } else {
        Err(Msg::ErrPhone)
    }
}

fn required(input: &str, max_chars: usize) -> Result<String, Msg> {
    crate::rounds::positions::parse_text(input, max_chars)
}

fn optional_number(input: &str, range: std::ops::RangeInclusive<u16>) -> Result<(), Msg> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(());
    }
    match input.parse::<u16>() {
        Ok(n) if range.contains(&n) => Ok(()),
        _ => Err(Msg::ErrNumber),
    }
}

fn is_code(input: &str, codes: &[(&str, Msg)]) -> bool {
    codes.iter().any(|(code, _)| *code == input)
}

impl DegreeForm {
    fn is_blank(&self) -> bool {
        [
            &self.level,
            &self.major,
            &self.institution,
            &self.graduated,
            &self.serial,
            &self.mode,
            &self.classification,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

impl JobForm {
    fn is_blank(&self) -> bool {
        [&self.from, &self.until, &self.workplace, &self.role]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

impl ProfileForm {
    /// What is stored for a draft: rows left wholly blank are dropped, the tables are capped
    /// and an over-long field is refused (nothing typed is changed otherwise).
    pub fn for_storage(mut self) -> Result<ProfileForm, FieldError> {
        self.degrees.retain(|d| !d.is_blank());
        self.jobs.retain(|j| !j.is_blank());
        if self.degrees.len() > MAX_DEGREES {
            return Err(FieldError::new("degree_0_level", Msg::ErrTooManyRows));
        }
        if self.jobs.len() > MAX_JOBS {
            return Err(FieldError::new("job_0_from", Msg::ErrTooManyRows));
        }
        let too_long = |s: &String| s.chars().count() > MAX_FIELD_CHARS;
        let plain = [
            &self.full_name,
            &self.dob_day,
            &self.dob_month,
            &self.dob_year,
            &self.sex,
            &self.national_id,
            &self.id_issue_day,
            &self.id_issue_month,
            &self.id_issue_year,
            &self.id_issue_place,
            &self.ethnicity,
            &self.religion,
            &self.phone,
            &self.contact_email,
            &self.hometown,
            &self.permanent_address,
            &self.current_address,
            &self.health,
            &self.height_cm,
            &self.weight_kg,
            &self.general_education,
            &self.foreign_language,
            &self.it_skills,
        ];
        let rows = self.degrees.iter().flat_map(|d| {
            [
                &d.level,
                &d.major,
                &d.institution,
                &d.graduated,
                &d.serial,
                &d.mode,
                &d.classification,
            ]
        });
        let jobs = self
            .jobs
            .iter()
            .flat_map(|j| [&j.from, &j.until, &j.workplace, &j.role]);
        if plain.into_iter().chain(rows).chain(jobs).any(too_long) {
            return Err(FieldError::new("full_name", Msg::ErrTooLong));
        }
        Ok(self)
    }

    /// Every problem, each against its field, or the checked profile. `today` bounds the
    /// dates (an ID card is not issued in the future).
    pub fn check(&self, today: Date) -> Result<Profile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut field = |name: &str, msg: Msg| errors.push(FieldError::new(name, msg));

        let full_name = FullName::parse(&self.full_name)
            .map_err(|m| field("full_name", m))
            .ok();
        let date_of_birth = parse_date(&self.dob_day, &self.dob_month, &self.dob_year)
            .and_then(|d| {
                if d > today {
                    Err(Msg::ErrDateFuture)
                } else {
                    Ok(d)
                }
            })
            .map_err(|m| field("dob_day", m))
            .ok();
        let sex = match self.sex.as_str() {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => {
                field("sex", Msg::ErrChooseOne);
                None
            }
        };
        let national_id = NationalId::parse(&self.national_id)
            .map_err(|m| field("national_id", m))
            .ok();
        if let (Some(id), Some(dob), Some(sex)) = (&national_id, date_of_birth, sex) {
            if let Err(m) = id.check_against(dob, sex) {
                field("national_id", m);
            }
        }
        match parse_date(
            &self.id_issue_day,
            &self.id_issue_month,
            &self.id_issue_year,
        ) {
            Ok(issued) if issued > today => field("id_issue_day", Msg::ErrDateFuture),
            Ok(issued) if date_of_birth.is_some_and(|dob| issued < dob) => {
                field("id_issue_day", Msg::ErrIssuedBeforeBirth)
            }
            Ok(_) => {}
            Err(m) => field("id_issue_day", m),
        }
        for (name, value, max) in [
            ("id_issue_place", &self.id_issue_place, 200),
            ("ethnicity", &self.ethnicity, 50),
            ("religion", &self.religion, 50),
            ("hometown", &self.hometown, 300),
            ("permanent_address", &self.permanent_address, 300),
            ("current_address", &self.current_address, 300),
            ("health", &self.health, 100),
            ("general_education", &self.general_education, 50),
        ] {
            if let Err(m) = required(value, max) {
                field(name, m);
            }
        }
        let phone = parse_phone(&self.phone).map_err(|m| field("phone", m)).ok();
        let contact_email = Email::parse(&self.contact_email)
            .map_err(|m| field("contact_email", m))
            .ok();
        if let Err(m) = optional_number(&self.height_cm, 100..=250) {
            field("height_cm", m);
        }
        if let Err(m) = optional_number(&self.weight_kg, 25..=250) {
            field("weight_kg", m);
        }

        let degrees: Vec<&DegreeForm> = self.degrees.iter().filter(|d| !d.is_blank()).collect();
        if degrees.is_empty() {
            field(&degree_field(0, "level"), Msg::ErrDegreeNeeded);
        }
        let mut highest = None;
        let mut majors = Vec::new();
        for (row, degree) in degrees.iter().enumerate() {
            match DegreeLevel::parse(&degree.level) {
                Some(level) => highest = highest.max(Some(level)),
                None => field(&degree_field(row, "level"), Msg::ErrChooseOne),
            }
            match required(&degree.major, 200) {
                Ok(major) => majors.push(major),
                Err(m) => field(&degree_field(row, "major"), m),
            }
            for (column, value) in [
                ("institution", &degree.institution),
                ("serial", &degree.serial),
            ] {
                if let Err(m) = required(value, 200) {
                    field(&degree_field(row, column), m);
                }
            }
            match parse_month_year(&degree.graduated) {
                Ok(when) if when > today => {
                    field(&degree_field(row, "graduated"), Msg::ErrDateFuture)
                }
                Ok(_) => {}
                Err(m) => field(&degree_field(row, "graduated"), m),
            }
            if !is_code(&degree.mode, &STUDY_MODES) {
                field(&degree_field(row, "mode"), Msg::ErrChooseOne);
            }
            if !is_code(&degree.classification, &CLASSIFICATIONS) {
                field(&degree_field(row, "classification"), Msg::ErrChooseOne);
            }
        }

        for (row, job) in self.jobs.iter().filter(|j| !j.is_blank()).enumerate() {
            let from = parse_month_year(&job.from)
                .map_err(|m| field(&job_field(row, "from"), m))
                .ok();
            if !job.until.trim().is_empty() {
                match parse_month_year(&job.until) {
                    Ok(until) if from.is_some_and(|from| until < from) => {
                        field(&job_field(row, "until"), Msg::ErrEndBeforeStart)
                    }
                    Ok(_) => {}
                    Err(m) => field(&job_field(row, "until"), m),
                }
            }
            for (column, value) in [("workplace", &job.workplace), ("role", &job.role)] {
                if let Err(m) = required(value, 300) {
                    field(&job_field(row, column), m);
                }
            }
        }

        match (
            full_name,
            date_of_birth,
            sex,
            national_id,
            phone,
            contact_email,
            highest,
        ) {
            (
                Some(full_name),
                Some(date_of_birth),
                Some(sex),
                Some(national_id),
                Some(phone),
                Some(contact_email),
                Some(highest_degree),
            ) if errors.is_empty() => Ok(Profile {
                full_name: full_name.as_str().to_string(),
                date_of_birth,
                sex,
                national_id,
                phone,
                contact_email: contact_email.as_str().to_string(),
                highest_degree,
                majors,
            }),
            _ => Err(errors),
        }
    }

    /// The sections that still have a problem, for the task list.
    pub fn incomplete_sections(&self, today: Date) -> Vec<Section> {
        match self.check(today) {
            Ok(_) => Vec::new(),
            Err(errors) => Section::ALL
                .into_iter()
                .filter(|s| errors.iter().any(|e| Section::of_field(&e.field) == *s))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn complete() -> ProfileForm {
        ProfileForm {
            full_name: "Nguyễn Thị Hoa".into(),
            dob_day: "5".into(),
            dob_month: "9".into(),
            dob_year: "1998".into(),
            sex: "female".into(),
            national_id: "040198012345".into(),
            id_issue_day: "10".into(),
            id_issue_month: "3".into(),
            id_issue_year: "2021".into(),
            id_issue_place: "Cục Cảnh sát QLHC về TTXH".into(),
            ethnicity: "Kinh".into(),
            religion: "Không".into(),
            phone: "0912 345 678".into(),
            contact_email: "hoa@example.vn".into(),
            hometown: "Nghi Lộc, Nghệ An".into(),
            permanent_address: "Số 1 Lê Lợi, Vinh, Nghệ An".into(),
            current_address: "Số 1 Lê Lợi, Vinh, Nghệ An".into(),
            health: "Tốt".into(),
            height_cm: "158".into(),
            weight_kg: "50".into(),
            general_education: "12/12".into(),
            degrees: vec![DegreeForm {
                level: "bachelor".into(),
                major: "Kế toán".into(),
                institution: "Trường Đại học Vinh".into(),
                graduated: "06/2020".into(),
                serial: "QH-2020-001234".into(),
                mode: "full_time".into(),
                classification: "good".into(),
            }],
            jobs: vec![],
            foreign_language: "Tiếng Anh B1".into(),
            it_skills: "".into(),
        }
    }

    const TODAY: Date = date!(2026 - 11 - 27);

    fn problems(form: &ProfileForm) -> Vec<(String, Msg)> {
        match form.check(TODAY) {
            Ok(_) => vec![],
            Err(errors) => errors.into_iter().map(|e| (e.field, e.msg)).collect(),
        }
    }

    #[test]
    fn a_complete_profile_passes() {
        let profile = complete().check(TODAY).unwrap();
        assert_eq!(profile.national_id.as_str(), "040198012345");
        assert_eq!(profile.phone, "0912345678");
        assert_eq!(profile.highest_degree, DegreeLevel::Bachelor);
        assert_eq!(profile.majors, ["Kế toán"]);
    }

    #[test]
    fn an_empty_draft_lists_every_required_field() {
        let fields: Vec<String> = problems(&ProfileForm::default())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        for wanted in [
            "full_name",
            "dob_day",
            "sex",
            "national_id",
            "id_issue_day",
            "phone",
            "contact_email",
            "degree_0_level",
        ] {
            assert!(fields.iter().any(|f| f == wanted), "{wanted} in {fields:?}");
        }
        assert_eq!(
            ProfileForm::default().incomplete_sections(TODAY),
            Section::ALL[..3].to_vec()
        );
    }

    #[test]
    fn the_id_number_must_match_birth_year_and_sex() {
        let mut form = complete();
        form.sex = "male".into();
        assert_eq!(
            problems(&form),
            [("national_id".to_string(), Msg::ErrNationalIdMismatch)]
        );
    }

    #[test]
    fn dates_must_be_possible() {
        let mut form = complete();
        form.id_issue_year = "1990".into();
        form.degrees[0].graduated = "13/2020".into();
        form.jobs.push(JobForm {
            from: "01/2022".into(),
            until: "12/2021".into(),
            workplace: "UBND xã".into(),
            role: "Kế toán".into(),
        });
        assert_eq!(
            problems(&form),
            [
                ("id_issue_day".to_string(), Msg::ErrIssuedBeforeBirth),
                ("degree_0_graduated".to_string(), Msg::ErrMonthYear),
                ("job_0_until".to_string(), Msg::ErrEndBeforeStart),
            ]
        );
        let mut future = complete();
        future.dob_year = "2027".into();
        assert!(problems(&future).contains(&("dob_day".to_string(), Msg::ErrDateFuture)));
    }

    #[test]
    fn errors_name_their_field_and_row() {
        use crate::i18n::Lang;
        assert_eq!(
            field_label(Lang::Vi, "national_id").as_deref(),
            Some("Số CCCD")
        );
        assert_eq!(
            field_label(Lang::Vi, "degree_1_major").as_deref(),
            Some("Văn bằng 2 – Chuyên ngành")
        );
        assert_eq!(
            field_label(Lang::En, "job_0_from").as_deref(),
            Some("Workplace 1 – From (mm/yyyy)")
        );
        assert_eq!(field_label(Lang::Vi, "declaration"), None);
        // Every field the check can name has a label.
        if let Err(errors) = ProfileForm::default().check(TODAY) {
            for e in errors {
                assert!(field_label(Lang::Vi, &e.field).is_some(), "{}", e.field);
            }
        }
    }

    #[test]
    fn phones_are_vietnamese_numbers() {
        assert_eq!(parse_phone("+84 912 345 678"), Ok("0912345678".into()));
        assert_eq!(parse_phone("091.234.5678"), Ok("0912345678".into()));
        assert_eq!(parse_phone("12345"), Err(Msg::ErrPhone));
        assert_eq!(parse_phone(""), Err(Msg::ErrRequired));
    }

    #[test]
    fn blank_rows_are_dropped_and_long_text_refused() {
        let mut form = complete();
        form.degrees.push(DegreeForm::default());
        form.jobs.push(JobForm {
            from: " ".into(),
            ..JobForm::default()
        });
        let stored = form.clone().for_storage().unwrap();
        assert_eq!(stored.degrees.len(), 1);
        assert!(stored.jobs.is_empty());
        form.hometown = "x".repeat(MAX_FIELD_CHARS + 1);
        assert!(form.for_storage().is_err());
    }

    #[test]
    fn month_year_accepts_common_writings() {
        assert_eq!(parse_month_year("6/2020"), Ok(date!(2020 - 06 - 01)));
        assert_eq!(parse_month_year("06-2020"), Ok(date!(2020 - 06 - 01)));
        assert_eq!(parse_month_year("2020"), Err(Msg::ErrMonthYear));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever is typed, checking never panics and a refusal always names a field.
        #[test]
        fn checking_any_input_is_total(
            texts in proptest::collection::vec(".{0,20}", 12),
            level in ".{0,12}",
        ) {
            let form = ProfileForm {
                full_name: texts[0].clone(),
                dob_day: texts[1].clone(),
                dob_month: texts[2].clone(),
                dob_year: texts[3].clone(),
                sex: texts[4].clone(),
                national_id: texts[5].clone(),
                id_issue_day: texts[6].clone(),
                phone: texts[7].clone(),
                contact_email: texts[8].clone(),
                degrees: vec![DegreeForm { level, graduated: texts[9].clone(), ..DegreeForm::default() }],
                jobs: vec![JobForm { from: texts[10].clone(), until: texts[11].clone(), ..JobForm::default() }],
                ..ProfileForm::default()
            };
            if let Err(errors) = form.check(time::macros::date!(2026 - 11 - 27)) {
                prop_assert!(!errors.is_empty());
                prop_assert!(errors.iter().all(|e| !e.field.is_empty()));
            }
        }
    }
}
