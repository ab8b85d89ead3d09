//! Property tests over every parser of user input that compiles without `ssr`: whatever a
//! person types or uploads (arbitrary Unicode, Vietnamese text, digits and separators, 10k
//! character inputs, numbers past `u64::MAX`, zero-width and right-to-left marks, emoji), each
//! parser returns without panicking, with either a value or a user-facing `Msg` (or, for
//! tables, `RowError`s carrying a `Msg`). On top of that:
//!
//! * accepted values keep their invariants (a mark is within the scale and on its step, a
//!   phone number is ten digits, a quota is within bounds, ...);
//! * tables: an accepted table has one line per non-blank data row, with its row number, and
//!   a refusal only names rows that exist in the file;
//! * round-trips: what the portal prints or exports (marks, amounts, dates, receipt codes,
//!   national IDs, rule-set lines, position tables) is read back as the same value.
//!
//! Every parser listed in the brief is reachable without `ssr`; none had to be skipped.

use crate::accounts::types::{Email, FullName, NewPassword};
use crate::appeals::rules::filing_deadline;
use crate::applications::fees::{parse_amount, parse_bank_statement};
use crate::applications::profile::{parse_month_year, parse_phone};
use crate::applications::rules::{parse_date, NationalId, ReceiptCode, Sex};
use crate::calendar::{Calendar, DayKind};
use crate::i18n::Msg;
use crate::results::types::parse_day;
use crate::rounds::positions::{
    parse_code, parse_max_score, parse_position_table, parse_quota, parse_text, position_table,
    DegreeLevel, ImportProblems, NewPosition, Stage2Format, UnitQuota, IMPORT_COLUMNS, MAX_QUOTA,
};
use crate::rounds::rules::{
    fee_lines, format_dong, parse_fee_lines, parse_priority_lines, priority_lines, FeeTier,
    PriorityCategory, MARK_STEPS,
};
use crate::rounds::types::{datetime_input_value, format_date_vn, parse_datetime_vn, vietnam_date};
use crate::scoring::files::{parse_marks, parse_stage1};
use crate::scoring::marks::{Mark, Scale};
use crate::scoring::papers::normalise_code;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use time::macros::offset;
use time::{Date, Month, OffsetDateTime, Weekday};

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Pieces people paste that trip naive parsers: whitespace of every kind, invisible and
/// direction marks, combining accents, case-changing letters, emoji, separators.
const SPECIALS: &[&str] = &[
    "",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{a0}",
    "\u{3000}",
    "\u{2028}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{feff}",
    "\u{200e}",
    "\u{200f}",
    "\u{202e}",
    "\u{2066}",
    "\u{0301}",
    "\u{0323}",
    "ß",
    "İ",
    "ﬁ",
    "ŉ",
    "\0",
    "\u{7f}",
    "😀",
    "👩‍👩‍👧",
    "🇻🇳",
    ",",
    ".",
    "/",
    "-",
    "_",
    "|",
    ";",
    ":",
    "+",
    "+84",
    "@",
    "T",
    "%",
    "đ",
    "VND",
    "x",
    "có",
];

const VIETNAMESE: &[&str] = &[
    "Nguyễn Văn Ấn",
    "Trần Thị Thuỷ",
    "Đặng Quốc Việt",
    "Hà Nội",
    "Đắk Lắk",
    "Khánh Hoà",
    "kế toán",
    "thi viết",
    "phỏng vấn",
    "bảo vệ đề án",
    "đại học",
    "thạc sĩ",
    "ỹ",
    "Ỹ",
    "Ơ",
    "ư",
    "Ư",
    "bảy phẩy năm",
];

const HUGE: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "4294967295",
    "4294967296",
    "65535",
    "65536",
    "256",
    "-1",
    "-0",
    "+0",
    "+1",
    "0000000000000000000000000000000001",
    "1e9",
    "NaN",
    "inf",
    "0x10",
    "١٢٣",
    "１２３",
];

/// Every header name the readers know (any language, case, with or without diacritics),
/// and some that are close but wrong.
const HEADERS: &[&str] = &[
    "Số báo danh",
    "SBD",
    "sbd",
    "So bao danh",
    "candidate_number",
    "Candidate Number",
    "Số câu",
    "số câu hỏi",
    "questions",
    "Số câu đúng",
    "câu đúng",
    "correct",
    "Số câu ngoại ngữ",
    "language_questions",
    "Số câu đúng ngoại ngữ",
    "language correct",
    "Miễn ngoại ngữ",
    "language_exempt",
    "Mã phách",
    "phách",
    "code",
    "  CODE  ",
    "Điểm",
    "Diem",
    "mark",
    "score",
    "Số tiền",
    "số tiền ghi có",
    "Ghi có",
    "amount",
    "credit",
    "Nội dung",
    "Diễn giải",
    "mô tả",
    "description",
    "reference",
    "details",
    "title",
    "unit_code",
    "unit_name",
    "quota",
    "min_degree",
    "majors",
    "other_conditions",
    "stage2_format",
    "written_weight",
    "max_score",
    "Ngày",
    "",
    "code ",
    "mark\u{200b}",
];

/// Cell values that are nearly right: numbers, marks, codes, yes/no words, degrees, formats.
const CELLS: &[&str] = &[
    "0",
    "1",
    "7",
    "7,5",
    "7.25",
    "8.",
    ",5",
    "100",
    "101",
    "60",
    "30",
    "500.000",
    "500,000 VND",
    "x",
    "có",
    "không",
    "yes",
    "maybe",
    "bachelor",
    "Đại học",
    "master",
    "written",
    "combined",
    "Phỏng vấn",
    "50",
    "NA27-00001",
    "na27-00001",
    "K7M2QX",
    "KT-01",
    "ĐV 1",
    "LE PHI K7QM-3XR9-T",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[0-9]{1,24}",
        2 => "[0-9 ,./\t-]{0,16}",
        2 => select(VIETNAMESE).prop_map(str::to_string),
        3 => select(SPECIALS).prop_map(str::to_string),
        1 => select(HUGE).prop_map(str::to_string),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
    ]
}

/// Arbitrary text as typed or pasted: a few fragments, sometimes blown up to 10k characters.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => vec(fragment(), 0..6).prop_map(|parts| parts.concat()),
        1 => vec(fragment(), 1..4).prop_map(|parts| {
            let piece = parts.concat();
            match 10_000usize.checked_div(piece.chars().count()) {
                Some(times) => piece.repeat(times + 1),
                None => "9".repeat(10_000),
            }
        }),
    ]
}

/// One table cell: short arbitrary text, a known header or a nearly right value.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => vec(fragment(), 0..3).prop_map(|parts| parts.concat()),
        2 => select(CELLS).prop_map(str::to_string),
        1 => select(HEADERS).prop_map(str::to_string),
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
    ]
}

/// A table of any shape (0..20 rows of 0..15 cells, ragged), half of the time under a header
/// made of names the readers look for.
fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    prop_oneof![
        vec(vec(cell(), 0..15), 0..20),
        (
            vec(select(HEADERS).prop_map(str::to_string), 0..15),
            vec(vec(cell(), 0..15), 0..20),
        )
            .prop_map(|(header, mut rows)| {
                rows.insert(0, header);
                rows
            }),
    ]
}

/// A position table's header (every import column, shuffled) over arbitrary rows.
fn position_like_table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (
        Just(
            IMPORT_COLUMNS
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
        )
        .prop_shuffle(),
        vec(vec(cell(), 0..13), 0..20),
    )
        .prop_map(|(header, mut rows)| {
            rows.insert(0, header);
            rows
        })
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// The spreadsheet row numbers (header = 1) of the rows that hold something.
fn data_lines(rows: &[Vec<String>]) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .skip(1)
        .filter(|(_, row)| !blank(row))
        .map(|(i, _)| i + 1)
        .collect()
}

/// A refusal names at least one problem, and only rows of the file: the header (row 1) or a
/// non-blank data row. "Nothing to import" may name row 1 or the first data row (row 2) even
/// when the file has fewer rows.
/// At most `ImportProblems::REPORTED` are kept, and the count covers them all.
fn check_refusal(rows: &[Vec<String>], errors: &ImportProblems) -> Result<(), TestCaseError> {
    prop_assert!(!errors.problems.is_empty());
    prop_assert_eq!(
        errors.problems.len(),
        errors.total.min(ImportProblems::REPORTED)
    );
    for e in &errors.problems {
        if e.msg == Msg::ErrImportEmpty {
            prop_assert!((1..=2).contains(&e.row), "{e:?}");
            continue;
        }
        prop_assert!(
            e.row >= 1 && e.row <= rows.len(),
            "{e:?} in {} rows",
            rows.len()
        );
        if e.row >= 2 {
            prop_assert!(!blank(&rows[e.row - 1]), "{e:?} names a blank row");
        }
    }
    Ok(())
}

/// Inserts blank rows (empty, or cells of spaces) between the data rows, after the header.
fn with_blank_rows(mut rows: Vec<Vec<String>>, blanks: &[(usize, usize)]) -> Vec<Vec<String>> {
    for &(at, width) in blanks {
        let at = 1 + at % rows.len();
        rows.insert(at, vec![" ".to_string(); width]);
    }
    rows
}

/// The province codes `NationalId` accepts, found through the parser itself.
fn provinces() -> Vec<u16> {
    (0..1000)
        .filter(|p| NationalId::parse(&format!("{p:03}000000000")).is_ok())
        .collect()
}

/// Realistic moments: 1900 to 2200, to the nanosecond.
fn moment() -> impl Strategy<Value = OffsetDateTime> {
    (-2_208_988_800i64..7_258_118_400, 0u32..1_000_000_000).prop_map(|(s, ns)| {
        OffsetDateTime::from_unix_timestamp(s).expect("in range")
            + time::Duration::nanoseconds(i64::from(ns))
    })
}

fn date() -> impl Strategy<Value = Date> {
    (1900i32..=2200, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| {
        let month = Month::try_from(m).expect("1..=12");
        let d = d.min(month.length(y));
        Date::from_calendar_date(y, month, d).expect("valid")
    })
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9]{1,10}",
        select(VIETNAMESE).prop_map(str::to_string),
    ]
}

/// Text with no leading, trailing or doubled whitespace, no line break and no ';' or '|'.
fn words(max: usize) -> impl Strategy<Value = String> {
    vec(word(), 1..max).prop_map(|w| w.join(" "))
}

fn stage2_format() -> impl Strategy<Value = Stage2Format> {
    prop_oneof![
        Just(Stage2Format::Interview),
        Just(Stage2Format::Written),
        Just(Stage2Format::Practical),
        (1u8..=99).prop_map(|written_percent| Stage2Format::Combined { written_percent }),
        Just(Stage2Format::ProjectDefence),
        Just(Stage2Format::Oral),
        Just(Stage2Format::ComputerWritten),
    ]
}

/// Positions as an export writes them: distinct codes, distinct unit codes within each.
fn positions() -> impl Strategy<Value = Vec<NewPosition>> {
    let position = (
        words(5),
        vec((words(4), 1u32..=MAX_QUOTA), 1..4),
        select(DegreeLevel::ALL.to_vec()),
        vec(words(4), 0..4),
        prop_oneof![Just(String::new()), words(8)],
        stage2_format(),
        10u16..=1000,
    );
    vec(position, 1..6).prop_map(|ps| {
        ps.into_iter()
            .enumerate()
            .map(
                |(i, (title, units, min_degree, majors, other_conditions, stage2, max_score))| {
                    NewPosition {
                        code: format!("VT-{i:02}.A_B"),
                        title,
                        units: units
                            .into_iter()
                            .enumerate()
                            .map(|(j, (unit_name, quota))| UnitQuota {
                                unit_code: format!("DV{j}"),
                                unit_name,
                                quota,
                            })
                            .collect(),
                        min_degree,
                        majors,
                        other_conditions,
                        stage2,
                        max_score,
                        plan: None,
                        ethnic_minority_only: i % 2 == 1,
                    }
                },
            )
            .collect()
    })
}

/// A valid receipt code turned into how someone might type it back.
fn retyped(code: &ReceiptCode, style: u8) -> String {
    match style % 4 {
        0 => code.as_str().to_string(),
        1 => code.as_str().to_lowercase(),
        2 => code.as_str().replace('-', ""),
        _ => format!("  {}  ", code.as_str().replace('-', " ")),
    }
}

fn group_digits(digits: &str, separator: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    chars
        .chunks(3)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(separator)
}

/// `cases` cases; failures are reported, not written to a regressions file in the tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

// ---------------------------------------------------------------------------------------------
// Plain tests
// ---------------------------------------------------------------------------------------------

#[test]
fn the_province_table_has_the_63_codes() {
    let found = provinces();
    assert_eq!(found.len(), 63);
    assert_eq!((found[0], found[62]), (1, 96));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    // --- applications::rules ------------------------------------------------------------------

    #[test]
    fn national_id_never_panics(input in nasty()) {
        if let Ok(id) = NationalId::parse(&input) {
            let digits: String =
                input.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
            prop_assert_eq!(id.as_str(), digits.as_str());
            prop_assert_eq!(id.as_str().len(), 12);
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_digit()));
            let _ = id.encoded_birth();
        }
    }

    #[test]
    fn national_id_from_parts_parses_back_to_its_parts(
        province in select(provinces()),
        code in 0u8..=7,
        yy in 0u16..=99,
        serial in 0u32..=999_999,
        sep in select(vec!["", " ", ".", "-", " - "]),
    ) {
        let digits = format!("{province:03}{code}{yy:02}{serial:06}");
        let typed = format!("{}{sep}{}{sep}{}", &digits[..3], &digits[3..6], &digits[6..]);
        let id = NationalId::parse(&typed).map_err(|m| TestCaseError::fail(format!("{m:?}")))?;
        prop_assert_eq!(id.as_str(), digits.as_str());
        let sex = if code % 2 == 0 { Sex::Male } else { Sex::Female };
        let year = 1900 + 100 * i32::from(code / 2) + i32::from(yy);
        prop_assert_eq!(id.encoded_birth(), (sex, year));
        let born = Date::from_calendar_date(year, Month::June, 15).expect("valid");
        prop_assert_eq!(id.check_against(born, sex), Ok(()));
    }

    #[test]
    fn parse_date_never_panics(day in nasty(), month in nasty(), year in nasty()) {
        if let Ok(d) = parse_date(&day, &month, &year) {
            prop_assert!((1900..=2200).contains(&d.year()));
            prop_assert_eq!(day.trim().parse::<i32>().ok(), Some(i32::from(d.day())));
            prop_assert_eq!(month.trim().parse::<i32>().ok(), Some(d.month() as i32));
        }
    }

    #[test]
    fn parse_date_reads_back_any_date(d in date(), pad in any::<bool>(), space in any::<bool>()) {
        let s = if space { " " } else { "" };
        let (day, month) = if pad {
            (format!("{s}{:02}{s}", d.day()), format!("{s}{:02}{s}", d.month() as u8))
        } else {
            (d.day().to_string(), (d.month() as u8).to_string())
        };
        prop_assert_eq!(parse_date(&day, &month, &format!("{s}{}", d.year())), Ok(d));
    }

    #[test]
    fn receipt_code_never_panics(input in nasty()) {
        if let Ok(code) = ReceiptCode::parse(&input) {
            let text = code.as_str();
            prop_assert_eq!(text.len(), 11);
            prop_assert_eq!((&text[4..5], &text[9..10]), ("-", "-"));
            prop_assert_eq!(ReceiptCode::parse(text), Ok(code.clone()));
        }
    }

    #[test]
    fn receipt_codes_read_back_however_typed(random in any::<[u8; 8]>(), style in any::<u8>()) {
        let code = ReceiptCode::from_random(random);
        prop_assert_eq!(ReceiptCode::parse(&retyped(&code, style)), Ok(code.clone()));
    }

    #[test]
    fn receipt_code_check_catches_one_typo_or_swap(
        random in any::<[u8; 8]>(),
        at in 0usize..9,
        replacement in select(b"23456789ABCDEFGHJKMNPQRSTUVWXYZ".to_vec()),
    ) {
        let code = ReceiptCode::from_random(random);
        let symbols: Vec<u8> = code.as_str().bytes().filter(|b| *b != b'-').collect();
        let mut typo = symbols.clone();
        typo[at] = replacement;
        if typo != symbols {
            prop_assert!(ReceiptCode::parse(std::str::from_utf8(&typo).expect("ascii")).is_err());
        }
        let mut swapped = symbols.clone();
        swapped.swap(at.min(7), at.min(7) + 1);
        if swapped != symbols {
            let text = std::str::from_utf8(&swapped).expect("ascii");
            prop_assert!(ReceiptCode::parse(text).is_err());
        }
    }

    // --- applications::profile ----------------------------------------------------------------

    #[test]
    fn month_year_never_panics(input in nasty()) {
        if let Ok(d) = parse_month_year(&input) {
            prop_assert_eq!(d.day(), 1);
            prop_assert!((1900..=2200).contains(&d.year()));
        }
    }

    #[test]
    fn month_year_reads_back(
        y in 1900i32..=2200,
        m in 1u8..=12,
        sep in select(vec!["/", "-", ".", " / "]),
        pad in any::<bool>(),
    ) {
        let typed = if pad { format!(" {m:02}{sep}{y} ") } else { format!("{m}{sep}{y}") };
        let expected = Date::from_calendar_date(y, Month::try_from(m).expect("1..=12"), 1)
            .expect("valid");
        prop_assert_eq!(parse_month_year(&typed), Ok(expected));
    }

    #[test]
    fn phone_never_panics(input in nasty()) {
        if let Ok(phone) = parse_phone(&input) {
            prop_assert_eq!(phone.len(), 10);
            prop_assert!(phone.starts_with('0'));
            prop_assert!(phone.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn phone_reads_back_as_typed(
        rest in "[0-9]{9}",
        form in 0u8..4,
        sep in select(vec!["", " ", ".", "-"]),
    ) {
        let national = format!("0{rest}");
        let typed = match form {
            0 => national.clone(),
            1 => format!("{}{sep}{}{sep}{}", &national[..4], &national[4..7], &national[7..]),
            2 => format!("+84{sep}{}{sep}{}", &rest[..3], &rest[3..]),
            _ => format!("(+84) {rest}"),
        };
        prop_assert_eq!(parse_phone(&typed), Ok(national));
    }

    // --- applications::fees -------------------------------------------------------------------

    #[test]
    fn amount_never_panics(input in nasty()) {
        if let Some(amount) = parse_amount(&input) {
            let digits: String = input.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(digits.parse::<u64>().ok(), Some(amount));
        }
    }

    #[test]
    fn formatted_amounts_read_back(amount in any::<u64>()) {
        prop_assert_eq!(parse_amount(&format_dong(amount)), Some(amount));
        prop_assert_eq!(parse_amount(&amount.to_string()), Some(amount));
        let digits = amount.to_string();
        let head = digits.len() % 3;
        let grouped = if head == 0 {
            group_digits(&digits, ",")
        } else {
            format!("{},{}", &digits[..head], group_digits(&digits[head..], ","))
        };
        prop_assert_eq!(parse_amount(&format!("{grouped} VND")), Some(amount));
    }

    #[test]
    fn bank_statement_finds_amounts_and_codes(
        // Payers' names from the Vietnamese list: a random 9-letter word can be a valid code.
        payments in vec(
            (any::<u64>(), any::<[u8; 8]>(), any::<u8>(), select(VIETNAMESE)),
            1..10,
        ),
        amount_first in any::<bool>(),
        headers in (select(vec!["Số tiền", "SO TIEN GHI CO", "Amount", "credit"]),
                    select(vec!["Nội dung", "DIEN GIAI", "Description", "details"])),
        blanks in vec((any::<usize>(), 0usize..4), 0..4),
    ) {
        let row = |a: String, d: String| if amount_first {
            vec!["01/12/2026".to_string(), a, d]
        } else {
            vec![d, a, "x".to_string()]
        };
        let mut rows = vec![row(headers.0.to_string(), headers.1.to_string())];
        for (amount, random, style, name) in &payments {
            let code = ReceiptCode::from_random(*random);
            rows.push(row(
                format_dong(*amount),
                format!("LE PHI {} {name}", retyped(&code, *style).trim()),
            ));
        }
        let rows = with_blank_rows(rows, &blanks);
        let lines = parse_bank_statement(&rows)
            .map_err(|m| TestCaseError::fail(format!("{m:?}")))?;
        prop_assert_eq!(lines.len(), payments.len());
        let numbers: Vec<usize> = lines.iter().map(|l| l.line).collect();
        prop_assert_eq!(numbers, data_lines(&rows));
        for (line, (amount, random, _, _)) in lines.iter().zip(&payments) {
            prop_assert_eq!(line.amount_dong, Some(*amount));
            prop_assert_eq!(line.receipt_code.clone(), Some(ReceiptCode::from_random(*random)));
        }
    }

    // --- accounts::types ----------------------------------------------------------------------

    #[test]
    fn email_never_panics(input in nasty()) {
        if let Ok(email) = Email::parse(&input) {
            prop_assert_eq!(email.as_str(), input.trim().to_lowercase());
            prop_assert!(email.as_str().len() <= 254);
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }
    }

    #[test]
    fn plain_emails_are_accepted_and_normalised(
        local in "[A-Za-z0-9._%+]{1,30}",
        domain in "[A-Za-z0-9]{1,12}(\\.[A-Za-z0-9]{1,12}){1,3}",
        pad in select(vec!["", " ", "\t", " \n"]),
    ) {
        let typed = format!("{pad}{local}@{domain}{pad}");
        let email = Email::parse(&typed).map_err(|m| TestCaseError::fail(format!("{m:?}")))?;
        prop_assert_eq!(email.as_str(), format!("{local}@{domain}").to_lowercase());
    }

    #[test]
    fn password_is_taken_exactly_as_typed(input in nasty()) {
        let chars = input.chars().count();
        match NewPassword::parse(&input) {
            Ok(p) => {
                prop_assert!((12..=128).contains(&chars));
                prop_assert_eq!(p.expose(), input.as_str());
            }
            Err(m) => prop_assert!(
                matches!(m, Msg::ErrPasswordTooShort | Msg::ErrPasswordTooLong)
                    && !(12..=128).contains(&chars)
            ),
        }
    }

    #[test]
    fn full_name_never_panics(input in nasty()) {
        if let Ok(name) = FullName::parse(&input) {
            prop_assert_eq!(name.as_str(), input.trim());
            prop_assert!(!name.as_str().is_empty());
            prop_assert!(name.as_str().chars().count() <= 200);
            prop_assert_eq!(FullName::parse(name.as_str()), Ok(name.clone()));
        }
    }

    // --- rounds::positions --------------------------------------------------------------------

    #[test]
    fn quota_code_text_and_max_score_never_panic(input in nasty(), max_chars in 0usize..400) {
        if let Ok(q) = parse_quota(&input) {
            prop_assert!((1..=MAX_QUOTA).contains(&q));
        }
        if let Ok(code) = parse_code(&input) {
            prop_assert!(!code.is_empty() && code.len() <= 32);
            prop_assert_eq!(code.to_uppercase(), code.clone());
            prop_assert_eq!(parse_code(&code), Ok(code.clone()));
        }
        if let Ok(text) = parse_text(&input, max_chars) {
            prop_assert_eq!(text.as_str(), input.trim());
            prop_assert!(!text.is_empty() && text.chars().count() <= max_chars);
        }
        if let Ok(score) = parse_max_score(&input) {
            prop_assert!((10..=1000).contains(&score));
        }
    }

    #[test]
    fn quota_and_max_score_read_back(q in 1u32..=MAX_QUOTA, s in 10u16..=1000) {
        prop_assert_eq!(parse_quota(&format!(" {q} ")), Ok(q));
        prop_assert_eq!(parse_max_score(&format!("{s}\t")), Ok(s));
        prop_assert_eq!(parse_max_score(" "), Ok(100));
    }

    #[test]
    fn stage2_format_never_panics(kind in nasty(), weight in any::<Option<u8>>()) {
        if let Ok(Stage2Format::Combined { written_percent }) = Stage2Format::parse(&kind, weight) {
            prop_assert!((1..=99).contains(&written_percent));
            prop_assert_eq!(weight, Some(written_percent));
        }
    }

    #[test]
    fn stage2_format_reads_back(format in stage2_format(), upper in any::<bool>()) {
        let kind = if upper { format.kind().to_uppercase() } else { format.kind().to_string() };
        prop_assert_eq!(Stage2Format::parse(&kind, format.written_percent()), Ok(format));
    }

    #[test]
    fn exported_positions_import_back(
        positions in positions(),
        blanks in vec((any::<usize>(), 0usize..12), 0..4),
    ) {
        let rows = with_blank_rows(position_table(&positions), &blanks);
        prop_assert_eq!(parse_position_table(&rows, false), Ok(positions));
    }

    // --- rounds::types ------------------------------------------------------------------------

    #[test]
    fn datetime_never_panics(input in nasty()) {
        let _ = parse_datetime_vn(&input);
    }

    #[test]
    fn datetime_fields_of_any_size_never_panic(
        year in prop_oneof![-99_999i32..=99_999, 1900i32..=2200],
        sign in select(vec!["", "+", "-"]),
        parts in (0u8..=13, 0u8..=32, 0u8..=25, 0u8..=61, 0u8..=61),
        seconds in any::<bool>(),
    ) {
        let (month, day, hour, minute, second) = parts;
        let mut typed = format!("{sign}{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}");
        if seconds {
            typed.push_str(&format!(":{second:02}"));
        }
        if let Ok(at) = parse_datetime_vn(&typed) {
            // Whatever is accepted is shown again in the form and read back the same.
            let shown = datetime_input_value(at);
            prop_assert_eq!(
                parse_datetime_vn(&shown),
                Ok(at.replace_second(0).expect("0"))
            );
        }
    }

    #[test]
    fn datetime_input_value_reads_back(at in moment(), second in 0u8..60) {
        let minute = at.replace_second(0).expect("0").replace_nanosecond(0).expect("0");
        let typed = datetime_input_value(at);
        prop_assert_eq!(parse_datetime_vn(&typed), Ok(minute));
        let with_seconds = format!("{typed}:{second:02}");
        prop_assert_eq!(
            parse_datetime_vn(&with_seconds),
            Ok(minute + time::Duration::seconds(i64::from(second)))
        );
    }

    // --- rounds::rules ------------------------------------------------------------------------

    #[test]
    fn rule_lines_never_panic(text in vec(nasty(), 0..6).prop_map(|l| l.join("\n"))) {
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        if let Ok(categories) = parse_priority_lines(&text) {
            prop_assert_eq!(categories.len(), lines);
        }
        if let Ok(tiers) = parse_fee_lines(&text) {
            prop_assert_eq!(tiers.len(), lines);
        }
    }

    #[test]
    fn rule_lines_read_back(
        categories in vec(
            ("[A-Za-z0-9_.-]{1,8}", any::<u16>(), words(4), prop_oneof![Just(""), Just(" | b")]),
            0..6,
        ),
        tiers in vec((any::<u32>(), any::<u64>()), 0..6),
    ) {
        let categories: Vec<PriorityCategory> = categories
            .into_iter()
            .map(|(code, points_tenths, name, tail)| PriorityCategory {
                code,
                name: format!("{name}{tail}"),
                points_tenths,
            })
            .collect();
        prop_assert_eq!(parse_priority_lines(&priority_lines(&categories)), Ok(categories));
        let tiers: Vec<FeeTier> = tiers
            .into_iter()
            .map(|(from_candidates, fee_dong)| FeeTier { from_candidates, fee_dong })
            .collect();
        prop_assert_eq!(parse_fee_lines(&fee_lines(&tiers)), Ok(tiers));
    }

    // --- results::types -----------------------------------------------------------------------

    #[test]
    fn day_never_panics(input in nasty()) {
        if let Some(d) = parse_day(&input) {
            prop_assert!((1900..=2200).contains(&d.year()));
        }
    }

    #[test]
    fn printed_days_read_back(d in date(), sep in select(vec!["/", ".", "-", " / "])) {
        prop_assert_eq!(parse_day(&format_date_vn(d)), Some(d));
        let short = format!("{}{sep}{}{sep}{}", d.day(), d.month() as u8, d.year());
        prop_assert_eq!(parse_day(&short), Some(d));
    }

    // --- scoring ------------------------------------------------------------------------------

    #[test]
    fn mark_never_panics_and_stays_on_the_scale(
        input in nasty(),
        max in prop_oneof![any::<u16>(), Just(0u16), Just(u16::MAX), 1u16..=1000],
        step in prop_oneof![any::<u16>(), Just(0u16), select(MARK_STEPS.to_vec())],
    ) {
        let scale = Scale { max, step_hundredths: step };
        if let Ok(mark) = Mark::parse(&input, scale) {
            prop_assert!(mark.hundredths() <= u32::from(max) * 100);
            if step > 0 {
                prop_assert_eq!(mark.hundredths() % u32::from(step), 0);
            }
            prop_assert_eq!(Mark::parse(&mark.display(','), scale), Ok(mark));
            prop_assert_eq!(Mark::parse(&mark.display('.'), scale), Ok(mark));
        }
    }

    #[test]
    fn displayed_marks_read_back(
        max in 1u16..=1000,
        step in select(MARK_STEPS.to_vec()),
        k in any::<u32>(),
    ) {
        let scale = Scale { max, step_hundredths: step };
        let steps = u32::from(max) * 100 / u32::from(step);
        let mark = Mark::from_hundredths(k % (steps + 1) * u32::from(step));
        prop_assert_eq!(Mark::parse(&mark.display(','), scale), Ok(mark));
        prop_assert_eq!(Mark::parse(&format!(" {} ", mark.display('.')), scale), Ok(mark));
    }

    #[test]
    fn stage1_files_read_back(
        results in vec((1u16..=200, any::<u16>(), any::<Option<(u16, u16)>>(),
                        select(vec!["", "x", "có", "KHÔNG", "yes", "0"])), 1..12),
        english in any::<bool>(),
        blanks in vec((any::<usize>(), 0usize..7), 0..4),
    ) {
        let header: Vec<String> = if english {
            ["Candidate Number", "Questions", "Correct", "language_questions",
             "Language Correct", "language exempt"]
                .map(str::to_string).to_vec()
        } else {
            ["Số báo danh", "Số câu", "Số câu đúng", "Số câu ngoại ngữ",
             "Số câu đúng ngoại ngữ", "Miễn ngoại ngữ"]
                .map(str::to_string).to_vec()
        };
        let mut rows = vec![header];
        let mut expected = Vec::new();
        for (i, (questions, correct, language, exempt)) in results.iter().enumerate() {
            let correct = correct % (questions + 1);
            let language = language.map(|(q, c)| { let q = q % 200 + 1; (q, c % (q + 1)) });
            let (lq, lc) = language.map_or((String::new(), String::new()),
                                           |(q, c)| (q.to_string(), c.to_string()));
            rows.push(vec![format!(" na27-{i:05} "), questions.to_string(),
                           correct.to_string(), lq, lc, exempt.to_string()]);
            expected.push((format!("NA27-{i:05}"), *questions, correct, language,
                           matches!(*exempt, "x" | "có" | "yes")));
        }
        let rows = with_blank_rows(rows, &blanks);
        let lines = parse_stage1(&rows).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let numbers: Vec<usize> = lines.iter().map(|l| l.row).collect();
        prop_assert_eq!(numbers, data_lines(&rows));
        let got: Vec<_> = lines
            .into_iter()
            .map(|l| (l.candidate_number, l.questions, l.correct, l.language, l.language_exempt))
            .collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn mark_sheets_read_back(
        marks in vec(any::<u32>(), 1..15),
        max in 1u16..=1000,
        step in select(MARK_STEPS.to_vec()),
        comma in any::<bool>(),
        blanks in vec((any::<usize>(), 0usize..3), 0..4),
    ) {
        let scale = Scale { max, step_hundredths: step };
        let steps = u32::from(max) * 100 / u32::from(step);
        let decimal = if comma { ',' } else { '.' };
        let mut rows = vec![vec!["Mã phách".to_string(), "Điểm".to_string()]];
        let mut expected = Vec::new();
        for (i, k) in marks.iter().enumerate() {
            let mark = Mark::from_hundredths(k % (steps + 1) * u32::from(step));
            rows.push(vec![format!("ab{i}x"), mark.display(decimal)]);
            expected.push((format!("AB{i}X"), mark));
        }
        let rows = with_blank_rows(rows, &blanks);
        let lines = parse_marks(&rows, scale).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let numbers: Vec<usize> = lines.iter().map(|l| l.row).collect();
        prop_assert_eq!(numbers, data_lines(&rows));
        let got: Vec<_> = lines.into_iter().map(|l| (l.code, l.mark)).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn normalise_code_never_panics_and_is_idempotent(input in nasty()) {
        let code = normalise_code(&input);
        prop_assert_eq!(normalise_code(&code), code);
    }

    // --- appeals::rules -----------------------------------------------------------------------

    #[test]
    fn filing_deadline_is_a_working_evening_after_publication(
        published_at in moment(),
        working_days in 1u8..=30,
        // Days off and worked weekend days within ten weeks of the publication.
        recorded in proptest::collection::vec((0i64..70, any::<bool>()), 0..20),
    ) {
        let start = vietnam_date(published_at);
        let calendar = Calendar::new(recorded.iter().filter_map(|&(offset, holiday)| {
            let day = start.checked_add(time::Duration::days(offset))?;
            let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
            match (holiday, weekend) {
                (true, false) => Some((day, DayKind::Holiday)),
                (false, true) => Some((day, DayKind::WorkingDay)),
                _ => None,
            }
        }));
        let deadline = filing_deadline(&calendar, published_at, working_days);
        prop_assert!(deadline > published_at);
        let local = deadline.to_offset(offset!(+7));
        prop_assert!(calendar.is_working_day(local.date()));
        prop_assert_eq!(
            (local.hour(), local.minute(), local.second(), local.nanosecond()),
            (23, 59, 59, 0)
        );
        // Exactly `working_days` working days after the publication day, up to the deadline's.
        let mut day = start;
        let mut counted = 0;
        while day < local.date() {
            day = day.next_day().expect("in range");
            if calendar.is_working_day(day) {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, working_days);
        // Holidays only ever push the deadline later.
        prop_assert!(
            filing_deadline(&Calendar::default(), published_at, working_days) <= deadline
                || recorded.iter().any(|&(_, holiday)| !holiday)
        );
    }
}

proptest! {
    // Whole tables are slower to generate: fewer cases, the same variety of shapes.
    #![proptest_config(config(256))]

    #[test]
    fn bank_statement_never_panics(rows in table()) {
        match parse_bank_statement(&rows) {
            Ok(lines) => {
                let numbers: Vec<usize> = lines.iter().map(|l| l.line).collect();
                prop_assert_eq!(numbers, data_lines(&rows));
                prop_assert!(lines.iter().all(|l| l.text.chars().count() <= 300));
            }
            Err(msg) => {
                prop_assert!(matches!(msg, Msg::ErrImportEmpty | Msg::ErrStatementColumns));
            }
        }
    }

    #[test]
    fn position_table_never_panics(rows in prop_oneof![table(), position_like_table()]) {
        match parse_position_table(&rows, false) {
            Ok(positions) => {
                let units: usize = positions.iter().map(|p| p.units.len()).sum();
                prop_assert_eq!(units, data_lines(&rows).len());
            }
            Err(errors) => check_refusal(&rows, &errors)?,
        }
    }

    #[test]
    fn score_files_never_panic(rows in table(), max in 0u16..=1000) {
        match parse_stage1(&rows) {
            Ok(lines) => {
                let numbers: Vec<usize> = lines.iter().map(|l| l.row).collect();
                prop_assert_eq!(numbers, data_lines(&rows));
                prop_assert!(lines.iter().all(|l| l.correct <= l.questions && l.questions > 0));
            }
            Err(errors) => check_refusal(&rows, &errors)?,
        }
        let scale = Scale::new(max);
        match parse_marks(&rows, scale) {
            Ok(lines) => {
                let numbers: Vec<usize> = lines.iter().map(|l| l.row).collect();
                prop_assert_eq!(numbers, data_lines(&rows));
                prop_assert!(lines.iter().all(|l| l.mark.hundredths() <= u32::from(max) * 100));
            }
            Err(errors) => check_refusal(&rows, &errors)?,
        }
    }
}
