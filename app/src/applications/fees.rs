//! Reading a bank statement to find fee payments: which column holds the amount and which the
//! transfer's description, and the receipt code written in that description.

use crate::applications::rules::{same_major as same_words, ReceiptCode};
use crate::i18n::Msg;

/// One credit line of the statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankLine {
    /// Line in the file, header = 1.
    pub line: usize,
    pub amount_dong: Option<u64>,
    pub receipt_code: Option<ReceiptCode>,
    pub text: String,
}

/// Header names banks use for the amount credited and the description, compared without
/// case or diacritics.
const AMOUNT_HEADERS: [&str; 6] = [
    "số tiền",
    "số tiền ghi có",
    "ghi có",
    "amount",
    "credit",
    "credit amount",
];
const DESCRIPTION_HEADERS: [&str; 7] = [
    "nội dung",
    "nội dung chuyển khoản",
    "diễn giải",
    "mô tả",
    "description",
    "reference",
    "details",
];

/// An amount in đồng as banks print it: `500.000`, `500,000`, `500000`, `500 000 VND`.
pub fn parse_amount(input: &str) -> Option<u64> {
    let digits: String = input
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The first valid receipt code in a description ("NOP LE PHI K7QM-3XR9-T NGUYEN VAN A");
/// written with or without dashes, in any case. The check symbol rules out chance matches.
pub fn find_receipt_code(text: &str) -> Option<ReceiptCode> {
    let upper = text.to_uppercase();
    let tokens: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|t| !t.is_empty())
        .collect();
    tokens
        .iter()
        .find_map(|t| ReceiptCode::parse(t).ok())
        .or_else(|| {
            // Some banks strip dashes and run words together: try every 9-symbol window.
            let compact: Vec<char> = upper
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            compact.windows(9).find_map(|w| {
                let candidate: String = w.iter().collect();
                ReceiptCode::parse(&candidate).ok()
            })
        })
}

/// Reads the statement's rows (the first is the header). Refused as a whole when the amount
/// or description column cannot be found.
pub fn parse_bank_statement(rows: &[Vec<String>]) -> Result<Vec<BankLine>, Msg> {
    let header = rows.first().ok_or(Msg::ErrImportEmpty)?;
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| same_words(h.trim(), n)))
    };
    let amount = column(&AMOUNT_HEADERS).ok_or(Msg::ErrStatementColumns)?;
    let description = column(&DESCRIPTION_HEADERS).ok_or(Msg::ErrStatementColumns)?;
    Ok(rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, row)| {
            let cell = |c: usize| row.get(c).map(String::as_str).unwrap_or_default();
            BankLine {
                line: i + 1,
                amount_dong: parse_amount(cell(amount)),
                receipt_code: find_receipt_code(cell(description)),
                text: row.join(" | ").chars().take(300).collect(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code() -> ReceiptCode {
        ReceiptCode::from_random([1, 2, 3, 4, 5, 6, 7, 8])
    }

    #[test]
    fn amounts_as_banks_print_them() {
        assert_eq!(parse_amount("500.000"), Some(500_000));
        assert_eq!(parse_amount("500,000"), Some(500_000));
        assert_eq!(parse_amount("500 000 VND"), Some(500_000));
        assert_eq!(parse_amount("-"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn the_code_is_found_however_the_payer_wrote_it() {
        let c = code();
        let plain = c.as_str().replace('-', "");
        for text in [
            format!("NOP LE PHI {} NGUYEN VAN A", c.as_str()),
            format!("le phi {}", c.as_str().to_lowercase()),
            format!("LEPHI{plain}NGUYENVANA"),
        ] {
            assert_eq!(find_receipt_code(&text), Some(c.clone()), "{text}");
        }
        assert_eq!(find_receipt_code("NOP LE PHI THI TUYEN"), None);
    }

    #[test]
    fn a_statement_is_read_by_its_headers() {
        let c = code();
        let rows = vec![
            vec!["Ngày".into(), "Số tiền".into(), "Nội dung".into()],
            vec![
                "01/12/2026".into(),
                "500.000".into(),
                format!("LE PHI {}", c.as_str()),
            ],
            vec!["".into(), "".into(), "".into()],
            vec!["02/12/2026".into(), "300000".into(), "CHUYEN TIEN".into()],
        ];
        let lines = parse_bank_statement(&rows).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 2);
        assert_eq!(lines[0].receipt_code, Some(c));
        assert_eq!(lines[0].amount_dong, Some(500_000));
        assert_eq!(lines[1].line, 4);
        assert_eq!(lines[1].receipt_code, None);
        let no_columns = vec![vec!["a".to_string(), "b".to_string()]];
        assert_eq!(
            parse_bank_statement(&no_columns),
            Err(Msg::ErrStatementColumns)
        );
    }

    proptest! {
        #[test]
        fn any_statement_text_is_read_without_panicking(cells in proptest::collection::vec(".{0,40}", 0..12)) {
            let mut rows = vec![vec!["Amount".to_string(), "Description".to_string()]];
            rows.extend(cells.chunks(2).map(|c| c.to_vec()));
            let lines = parse_bank_statement(&rows).unwrap();
            prop_assert!(lines.iter().all(|l| l.line >= 2));
        }
    }
}
