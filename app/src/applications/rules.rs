//! The pure rules an application is checked against: the national ID number, dates of birth
//! and age, receipt codes, and the automatic eligibility checks HR sees beside each file.
//! No I/O: the same code checks the form in the browser and the submission on the server.

use crate::i18n::Msg;
use crate::rounds::positions::DegreeLevel;
use crate::rounds::rules::RuleParams;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

/// Province and city codes that open a 12-digit citizen ID (Circular 59/2021/TT-BCA, before
/// the 2025 merger of provinces: numbers already issued keep their code).
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// A national ID number (CCCD): 12 digits — province of birth registration (3), century and
/// sex (1), the last two digits of the year of birth (2), a serial number (6).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NationalId(String);

impl NationalId {
    /// Accepts the number with spaces, dots or dashes between groups, as people copy it.
    pub fn parse(input: &str) -> Result<NationalId, Msg> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if digits.is_empty() {
            return Err(Msg::ErrNationalIdRequired);
        }
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Msg::ErrNationalIdDigits);
        }
        let province: u16 = digits[..3].parse().map_err(|_| Msg::ErrNationalIdDigits)?;
        if !PROVINCE_CODES.contains(&province) {
            return Err(Msg::ErrNationalIdProvince);
        }
        Ok(NationalId(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The sex and year of birth the number encodes.
    pub fn encoded_birth(&self) -> (Sex, i32) {
        let code = self.0.as_bytes()[3] - b'0';
        let century = match code / 2 {
            0 => 1900,
            1 => 2000,
            2 => 2100,
            3 => 2200,
            _ => 1800,
        };
        let sex = if code.is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        };
        let year: i32 = self.0[4..6].parse().unwrap_or(0);
        (sex, century + year)
    }

    /// The number must agree with the date of birth and sex the applicant declared.
    pub fn check_against(&self, date_of_birth: Date, sex: Sex) -> Result<(), Msg> {
        if self.encoded_birth() == (sex, date_of_birth.year()) {
            Ok(())
        } else {
            Err(Msg::ErrNationalIdMismatch)
        }
    }
}

/// A date typed as three boxes (day, month, year), as people write it: 05 / 9 / 1998.
pub fn parse_date(day: &str, month: &str, year: &str) -> Result<Date, Msg> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Err(Msg::ErrDateRequired);
    }
    let number = |s: &str| s.parse::<i32>().map_err(|_| Msg::ErrDateInvalid);
    let (d, m, y) = (number(day)?, number(month)?, number(year)?);
    if !(1900..=2200).contains(&y) || year.len() != 4 {
        return Err(Msg::ErrDateYear);
    }
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(Msg::ErrDateInvalid)?;
    let day = u8::try_from(d).map_err(|_| Msg::ErrDateInvalid)?;
    Date::from_calendar_date(y, month, day).map_err(|_| Msg::ErrDateInvalid)
}

/// Full years of age on `on`: a birthday on 29 February counts on 1 March in other years.
pub fn age_on(date_of_birth: Date, on: Date) -> i32 {
    let mut age = on.year() - date_of_birth.year();
    if (on.month() as u8, on.day()) < (date_of_birth.month() as u8, date_of_birth.day()) {
        age -= 1;
    }
    age
}

/// Letters for receipt codes: no 0/O, 1/I/L, so a code read over the phone is not misheard.
const RECEIPT_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The code an applicant is given when an application is submitted, e.g. `K7QM-3XR9-T`:
/// eight random symbols and a check symbol that catches a mistyped or swapped character.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReceiptCode(String);

fn receipt_check(symbols: &[u8]) -> u8 {
    // Weighted sum modulo 31 (a prime, the alphabet's size): any one changed symbol, and any
    // swap of two neighbours, changes the check.
    let sum: usize = symbols
        .iter()
        .enumerate()
        .map(|(i, s)| (i + 1) * RECEIPT_ALPHABET.iter().position(|a| a == s).unwrap_or(0))
        .sum();
    RECEIPT_ALPHABET[sum % 31]
}

impl ReceiptCode {
    /// Builds a code from eight random values (only their low five bits are used).
    pub fn from_random(random: [u8; 8]) -> ReceiptCode {
        let symbols: Vec<u8> = random
            .iter()
            .map(|r| RECEIPT_ALPHABET[usize::from(r % 31)])
            .collect();
        let check = receipt_check(&symbols) as char;
        let text = String::from_utf8(symbols).unwrap_or_default();
        ReceiptCode(format!("{}-{}-{check}", &text[..4], &text[4..]))
    }

    /// Reads a code as typed: case and dashes do not matter; the check symbol must agree.
    pub fn parse(input: &str) -> Result<ReceiptCode, Msg> {
        let symbols: Vec<u8> = input
            .trim()
            .to_uppercase()
            .bytes()
            .filter(|b| *b != b'-' && *b != b' ')
            .collect();
        let valid = symbols.len() == 9
            && symbols[..8].iter().all(|s| RECEIPT_ALPHABET.contains(s))
            && receipt_check(&symbols[..8]) == symbols[8];
        if !valid {
            return Err(Msg::ErrReceiptCode);
        }
        let text = String::from_utf8(symbols).map_err(|_| Msg::ErrReceiptCode)?;
        Ok(ReceiptCode(format!(
            "{}-{}-{}",
            &text[..4],
            &text[4..8],
            &text[8..]
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the automatic checks need to know about an applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantFacts {
    pub date_of_birth: Date,
    pub highest_degree: Option<DegreeLevel>,
    /// Majors of every degree the applicant holds.
    pub majors: Vec<String>,
    pub has_degree_scans: bool,
}

/// What a position asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    pub min_degree: DegreeLevel,
    /// Empty: any major.
    pub majors: Vec<String>,
}

/// One automatic check shown beside an application in HR's screening queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    Age,
    DegreeLevel,
    Major,
    Documents,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: Check,
    pub passed: bool,
}

/// Majors compared without regard to case, extra spaces or Vietnamese diacritics, so that
/// "Kế toán", "kế  toán" and "Ke toan" are the same major.
pub fn same_major(a: &str, b: &str) -> bool {
    fn fold(s: &str) -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .chars()
            .map(strip_diacritic)
            .collect()
    }
    fold(a) == fold(b)
}

fn strip_diacritic(c: char) -> char {
    const GROUPS: [(&str, char); 12] = [
        ("àáạảãâầấậẩẫăằắặẳẵ", 'a'),
        ("èéẹẻẽêềếệểễ", 'e'),
        ("ìíịỉĩ", 'i'),
        ("òóọỏõôồốộổỗơờớợởỡ", 'o'),
        ("ùúụủũưừứựửữ", 'u'),
        ("ỳýỵỷỹ", 'y'),
        ("đ", 'd'),
        ("ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ", 'a'),
        ("ÈÉẸẺẼÊỀẾỆỂỄ", 'e'),
        ("ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ", 'o'),
        ("ÙÚỤỦŨƯỪỨỰỬỮ", 'u'),
        ("Đ", 'd'),
    ];
    GROUPS
        .iter()
        .find(|(group, _)| group.contains(c))
        .map_or(c, |(_, plain)| *plain)
}

/// The automatic checks for one application, on the date the rules say age is counted.
pub fn check_eligibility(
    facts: &ApplicantFacts,
    requirements: &Requirements,
    rules: &RuleParams,
    on: Date,
) -> Vec<CheckResult> {
    let age_ok = age_on(facts.date_of_birth, on) >= i32::from(rules.minimum_age);
    let degree_ok = facts
        .highest_degree
        .is_some_and(|held| held >= requirements.min_degree);
    let major_ok = requirements.majors.is_empty()
        || facts.majors.iter().any(|held| {
            requirements
                .majors
                .iter()
                .any(|wanted| same_major(held, wanted))
        });
    let mut checks = vec![
        CheckResult {
            check: Check::Age,
            passed: age_ok,
        },
        CheckResult {
            check: Check::DegreeLevel,
            passed: degree_ok,
        },
        CheckResult {
            check: Check::Major,
            passed: major_ok,
        },
    ];
    // Under the amended decree an application is Mẫu 01 alone (Decree 170/2025 Art 15): the
    // copies of degrees come with the winner's dossier, so no scan is counted against anyone.
    if !rules.application_is_form_alone {
        checks.push(CheckResult {
            check: Check::Documents,
            passed: facts.has_degree_scans,
        });
    }
    checks
}

/// Whether the ethnicity written on Mẫu 01 is an ethnic minority: any of Vietnam's ethnic
/// groups but the Kinh majority. A position reserved for ethnic-minority candidates takes only
/// them (Decree 170/2025 Art 3.2.c).
pub fn is_ethnic_minority(ethnicity: &str) -> bool {
    let written = ethnicity.trim().to_lowercase();
    let majority = [
        "kinh",
        "việt",
        "kinh (việt)",
        "việt (kinh)",
        "người kinh",
        "dân tộc kinh",
    ];
    !written.is_empty() && !majority.contains(&written.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Decree 170/2025 Art 15 (as amended): under the amended decree's rules an application
    /// is Mẫu 01 alone, so screening has no "documents" check to fail.
    #[test]
    fn under_the_amended_decree_no_scan_is_counted() {
        let facts = ApplicantFacts {
            date_of_birth: date!(1998 - 05 - 09),
            highest_degree: Some(DegreeLevel::Bachelor),
            majors: vec!["Luật".into()],
            has_degree_scans: false,
        };
        let wants = Requirements {
            min_degree: DegreeLevel::Bachelor,
            majors: vec![],
        };
        let on = date!(2026 - 12 - 01);
        let amended = check_eligibility(
            &facts,
            &wants,
            &RuleParams::decree_170_2025_as_amended(),
            on,
        );
        assert!(
            amended
                .iter()
                .all(|c| c.passed && c.check != Check::Documents),
            "{amended:?}"
        );
        let earlier = check_eligibility(&facts, &wants, &RuleParams::decree_170_2025(), on);
        assert!(earlier
            .iter()
            .any(|c| c.check == Check::Documents && !c.passed));
    }

    #[test]
    fn national_ids_are_twelve_digits_from_a_known_province() {
        assert_eq!(
            NationalId::parse("040 098 012345").unwrap().as_str(),
            "040098012345"
        );
        assert_eq!(
            NationalId::parse("040.098.012.345").unwrap().as_str(),
            "040098012345"
        );
        for (input, msg) in [
            ("", Msg::ErrNationalIdRequired),
            ("04009801234", Msg::ErrNationalIdDigits),
            ("0400980123456", Msg::ErrNationalIdDigits),
            ("04009801234a", Msg::ErrNationalIdDigits),
            ("003098012345", Msg::ErrNationalIdProvince),
            ("099098012345", Msg::ErrNationalIdProvince),
        ] {
            assert_eq!(NationalId::parse(input), Err(msg), "{input:?}");
        }
    }

    #[test]
    fn the_number_encodes_sex_and_year_of_birth() {
        let cases = [
            ("040098012345", Sex::Male, 1998),
            ("040198012345", Sex::Female, 1998),
            ("040203012345", Sex::Male, 2003),
            ("040305012345", Sex::Female, 2005),
        ];
        for (id, sex, year) in cases {
            let id = NationalId::parse(id).unwrap();
            assert_eq!(id.encoded_birth(), (sex, year));
        }
        let id = NationalId::parse("040198012345").unwrap();
        assert_eq!(id.check_against(date!(1998 - 09 - 05), Sex::Female), Ok(()));
        assert_eq!(
            id.check_against(date!(1998 - 09 - 05), Sex::Male),
            Err(Msg::ErrNationalIdMismatch)
        );
        assert_eq!(
            id.check_against(date!(1999 - 09 - 05), Sex::Female),
            Err(Msg::ErrNationalIdMismatch)
        );
    }

    #[test]
    fn dates_come_from_three_boxes() {
        assert_eq!(parse_date("5", "9", "1998"), Ok(date!(1998 - 09 - 05)));
        assert_eq!(parse_date(" 05 ", "09", "1998"), Ok(date!(1998 - 09 - 05)));
        assert_eq!(parse_date("29", "2", "2000"), Ok(date!(2000 - 02 - 29)));
        for (d, m, y, msg) in [
            ("", "", "", Msg::ErrDateRequired),
            ("29", "2", "2001", Msg::ErrDateInvalid),
            ("31", "4", "1998", Msg::ErrDateInvalid),
            ("1", "13", "1998", Msg::ErrDateInvalid),
            ("1", "1", "98", Msg::ErrDateYear),
            ("a", "1", "1998", Msg::ErrDateInvalid),
        ] {
            assert_eq!(parse_date(d, m, y), Err(msg), "{d}/{m}/{y}");
        }
    }

    #[test]
    fn age_counts_whole_years() {
        let dob = date!(2008 - 12 - 01);
        assert_eq!(age_on(dob, date!(2026 - 11 - 30)), 17);
        assert_eq!(age_on(dob, date!(2026 - 12 - 01)), 18);
        let leap = date!(2008 - 02 - 29);
        assert_eq!(age_on(leap, date!(2026 - 02 - 28)), 17);
        assert_eq!(age_on(leap, date!(2026 - 03 - 01)), 18);
    }

    #[test]
    fn receipt_codes_catch_typing_mistakes() {
        let code = ReceiptCode::from_random([1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(code.as_str().len(), 11);
        assert_eq!(ReceiptCode::parse(code.as_str()), Ok(code.clone()));
        assert_eq!(
            ReceiptCode::parse(&code.as_str().to_lowercase().replace('-', " ")),
            Ok(code.clone())
        );
        // Every single changed symbol and every swap of neighbours is caught.
        let plain: Vec<u8> = code.as_str().bytes().filter(|b| *b != b'-').collect();
        for i in 0..9 {
            for s in RECEIPT_ALPHABET {
                if *s != plain[i] {
                    let mut typo = plain.clone();
                    typo[i] = *s;
                    assert!(ReceiptCode::parse(std::str::from_utf8(&typo).unwrap()).is_err());
                }
            }
        }
        for i in 0..8 {
            if plain[i] != plain[i + 1] {
                let mut swapped = plain.clone();
                swapped.swap(i, i + 1);
                assert!(ReceiptCode::parse(std::str::from_utf8(&swapped).unwrap()).is_err());
            }
        }
    }

    #[test]
    fn eligibility_checks_follow_the_position_and_the_rules() {
        let rules = RuleParams::decree_170_2025();
        let wants = Requirements {
            min_degree: DegreeLevel::Bachelor,
            majors: vec!["Kế toán".into(), "Tài chính".into()],
        };
        let facts = ApplicantFacts {
            date_of_birth: date!(2000 - 01 - 01),
            highest_degree: Some(DegreeLevel::Master),
            majors: vec!["ke  toan".into()],
            has_degree_scans: true,
        };
        let all_pass = check_eligibility(&facts, &wants, &rules, date!(2026 - 12 - 01));
        assert!(all_pass.iter().all(|c| c.passed), "{all_pass:?}");

        let young = ApplicantFacts {
            date_of_birth: date!(2009 - 01 - 01),
            highest_degree: Some(DegreeLevel::College),
            majors: vec!["Luật".into()],
            has_degree_scans: false,
        };
        let failed: Vec<Check> = check_eligibility(&young, &wants, &rules, date!(2026 - 12 - 01))
            .into_iter()
            .filter(|c| !c.passed)
            .map(|c| c.check)
            .collect();
        assert_eq!(
            failed,
            [
                Check::Age,
                Check::DegreeLevel,
                Check::Major,
                Check::Documents
            ]
        );

        let any_major = Requirements {
            majors: vec![],
            ..wants
        };
        let checks = check_eligibility(&young, &any_major, &rules, date!(2026 - 12 - 01));
        assert!(checks.iter().any(|c| c.check == Check::Major && c.passed));
    }

    #[test]
    fn majors_match_without_case_spacing_or_diacritics() {
        assert!(same_major("Kế toán", "KẾ TOÁN"));
        assert!(same_major("Quản lý  đất đai", "quan ly dat dai"));
        assert!(!same_major("Kế toán", "Kiểm toán"));
    }

    /// Decree 170/2025 Art 3.2.c: a position reserved for ethnic minorities takes anyone but
    /// the Kinh majority, however the applicant wrote it.
    #[test]
    fn ethnic_minorities_are_every_group_but_the_kinh() {
        for minority in ["Thái", "Mông", " Khơ Mú ", "Ê Đê", "tày"] {
            assert!(is_ethnic_minority(minority), "{minority}");
        }
        for majority in [
            "Kinh",
            " kinh ",
            "KINH",
            "Việt",
            "Kinh (Việt)",
            "người Kinh",
            "",
        ] {
            assert!(!is_ethnic_minority(majority), "{majority}");
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_receipt_code_reads_back(random in any::<[u8; 8]>()) {
            let code = ReceiptCode::from_random(random);
            prop_assert_eq!(ReceiptCode::parse(code.as_str()), Ok(code.clone()));
            prop_assert_eq!(ReceiptCode::parse(&code.as_str().to_lowercase()), Ok(code));
        }

        #[test]
        fn a_valid_number_parses_however_it_is_grouped(
            province in proptest::sample::select(PROVINCE_CODES.to_vec()),
            rest in "[0-9]{9}",
        ) {
            let digits = format!("{province:03}{rest}");
            let grouped = format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..]);
            prop_assert_eq!(NationalId::parse(&grouped).map(|id| id.0), Ok(digits));
        }

        #[test]
        fn age_grows_by_one_each_birthday(year in 1940i32..2010, ordinal in 1u16..=365, later in 0i32..80) {
            let born = Date::from_ordinal_date(year, ordinal).unwrap();
            let on = Date::from_calendar_date(year + later, Month::December, 31).unwrap();
            prop_assert_eq!(age_on(born, on), later);
        }
    }
}
