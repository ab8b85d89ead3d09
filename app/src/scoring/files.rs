//! Reading imported score files, pure: the testing system's stage-1 results and a sheet of
//! marks (code → mark). Columns are found by header (Vietnamese or English, any case, with or
//! without diacritics); the whole file is checked and every problem comes back with its row,
//! so that nothing is saved unless every row is right.

use crate::applications::rules::same_major as same_words;
use crate::i18n::Msg;
use crate::rounds::positions::ImportProblems;
use crate::scoring::marks::{Mark, Scale};
use crate::scoring::papers::normalise_code;
use std::collections::HashMap;

const CANDIDATE_HEADERS: &[&str] = &["số báo danh", "sbd", "candidate number"];
const QUESTIONS_HEADERS: &[&str] = &["số câu", "số câu hỏi", "questions"];
const CORRECT_HEADERS: &[&str] = &["số câu đúng", "câu đúng", "correct"];
const LANGUAGE_QUESTIONS_HEADERS: &[&str] = &["số câu ngoại ngữ", "language questions"];
const LANGUAGE_CORRECT_HEADERS: &[&str] = &[
    "số câu đúng ngoại ngữ",
    "câu đúng ngoại ngữ",
    "language correct",
];
const EXEMPT_HEADERS: &[&str] = &["miễn ngoại ngữ", "language exempt"];
const CODE_HEADERS: &[&str] = &["mã phách", "phách", "code", "số báo danh", "sbd"];
const MARK_HEADERS: &[&str] = &["điểm", "mark", "score"];

/// One candidate's stage-1 result as the testing system reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage1Line {
    /// Row in the file, header = 1.
    pub row: usize,
    pub candidate_number: String,
    pub questions: u16,
    pub correct: u16,
    /// (questions, correct) of the foreign-language part, when there is one.
    pub language: Option<(u16, u16)>,
    pub language_exempt: bool,
}

impl Stage1Line {
    /// At least `pass_percent` right in the knowledge part and, unless exempt, in the
    /// foreign-language part.
    pub fn passes(&self, pass_percent: u8) -> bool {
        let enough = |correct: u16, questions: u16| {
            crate::scoring::marks::stage1_passes(correct, questions, pass_percent)
        };
        enough(self.correct, self.questions)
            && (self.language_exempt || self.language.is_none_or(|(q, c)| enough(c, q)))
    }
}

/// One mark of a sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkLine {
    pub row: usize,
    pub code: String,
    pub mark: Mark,
}

/// Finds the columns named in `wanted` (required ones first, `required` of them) in the
/// header; a missing required column is a row-1 problem named by its first header.
fn columns(
    rows: &[Vec<String>],
    wanted: &[&[&str]],
    required: usize,
) -> Result<Vec<Option<usize>>, ImportProblems> {
    let header = rows
        .first()
        .ok_or_else(|| ImportProblems::one(1, "", Msg::ErrImportEmpty))?;
    let found: Vec<Option<usize>> = wanted
        .iter()
        .map(|names| {
            header.iter().position(|h| {
                let h = h.trim().replace('_', " ");
                names.iter().any(|n| same_words(&h, n))
            })
        })
        .collect();
    let mut missing = ImportProblems::default();
    for (_, names) in found
        .iter()
        .zip(wanted)
        .take(required)
        .filter(|(index, _)| index.is_none())
    {
        missing.add(1, names[0], Msg::ErrImportMissingColumn);
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(missing)
    }
}

/// The data rows with their spreadsheet row numbers, blank rows skipped.
fn data_rows(rows: &[Vec<String>]) -> impl Iterator<Item = (usize, &Vec<String>)> {
    rows.iter()
        .enumerate()
        .skip(1)
        .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, row)| (i + 1, row))
}

/// Cells beyond the header's width: a CSV with a comma between columns splits an unquoted
/// `68,5` in two, and reading only the first part would silently change the number.
fn overflows(rows: &[Vec<String>], row: &[String]) -> bool {
    let width = rows.first().map_or(0, Vec::len);
    row.iter().skip(width).any(|c| !c.trim().is_empty())
}

fn cell(row: &[String], column: Option<usize>) -> &str {
    column
        .and_then(|c| row.get(c))
        .map_or("", |s| s.as_str())
        .trim()
}

fn count(text: &str) -> Result<u16, Msg> {
    text.parse::<u16>().map_err(|_| Msg::ErrNumber)
}

/// A yes/no cell; "miễn" (exempt) also reads as yes.
fn yes_no(text: &str) -> Result<bool, Msg> {
    match text.to_lowercase().as_str() {
        "miễn" | "mien" => Ok(true),
        other => crate::rounds::positions::parse_yes_no(other),
    }
}

/// Reads the testing system's result file.
pub fn parse_stage1(rows: &[Vec<String>]) -> Result<Vec<Stage1Line>, ImportProblems> {
    let wanted = [
        CANDIDATE_HEADERS,
        QUESTIONS_HEADERS,
        CORRECT_HEADERS,
        LANGUAGE_QUESTIONS_HEADERS,
        LANGUAGE_CORRECT_HEADERS,
        EXEMPT_HEADERS,
    ];
    let found = columns(rows, &wanted, 3)?;
    let mut errors = ImportProblems::default();
    let mut lines = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in data_rows(rows) {
        if overflows(rows, cells) {
            errors.add(row, "", Msg::ErrExtraCells);
            continue;
        }
        let at = |i: usize| cell(cells, found[i]);
        let mut err = |i: usize, msg: Msg| errors.add(row, wanted[i][0], msg);
        let number = normalise_code(at(0));
        if number.is_empty() {
            err(0, Msg::ErrRequired);
        } else if seen.insert(number.clone(), row).is_some() {
            err(0, Msg::ErrDuplicateInFile);
        }
        let questions = count(at(1)).and_then(|q| if q == 0 { Err(Msg::ErrNumber) } else { Ok(q) });
        let correct = count(at(2));
        let language = match (at(3), at(4)) {
            ("", "") => Ok(None),
            (q, c) => match (count(q), count(c)) {
                (Ok(q), Ok(c)) if q > 0 && c <= q => Ok(Some((q, c))),
                (Ok(q), Ok(_)) if q > 0 => Err((4, Msg::ErrCorrectOverQuestions)),
                (Ok(_), Ok(_)) | (Err(_), _) => Err((3, Msg::ErrNumber)),
                (_, Err(m)) => Err((4, m)),
            },
        };
        let exempt = yes_no(at(5));
        match (&questions, &correct) {
            (Err(m), _) => err(1, *m),
            (_, Err(m)) => err(2, *m),
            (Ok(q), Ok(c)) if c > q => err(2, Msg::ErrCorrectOverQuestions),
            _ => {}
        }
        if let Err((i, m)) = language {
            err(i, m);
        }
        if let Err(m) = exempt {
            err(5, m);
        }
        if let (Ok(questions), Ok(correct), Ok(language), Ok(language_exempt)) =
            (questions, correct, language, exempt)
        {
            lines.push(Stage1Line {
                row,
                candidate_number: number,
                questions,
                correct,
                language,
                language_exempt,
            });
        }
    }
    if lines.is_empty() && errors.is_empty() {
        errors.add(2, "", Msg::ErrImportEmpty);
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// Reads a sheet of marks: a code column (anonymous code, or candidate number for a panel)
/// and a mark column, each mark checked against the paper's scale.
pub fn parse_marks(rows: &[Vec<String>], scale: Scale) -> Result<Vec<MarkLine>, ImportProblems> {
    let found = columns(rows, &[CODE_HEADERS, MARK_HEADERS], 2)?;
    let mut errors = ImportProblems::default();
    let mut lines = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in data_rows(rows) {
        if overflows(rows, cells) {
            errors.add(row, "", Msg::ErrExtraCells);
            continue;
        }
        let code = normalise_code(cell(cells, found[0]));
        if code.is_empty() {
            errors.add(row, CODE_HEADERS[0], Msg::ErrRequired);
        } else if seen.insert(code.clone(), row).is_some() {
            errors.add(row, CODE_HEADERS[0], Msg::ErrDuplicateInFile);
        }
        match Mark::parse(cell(cells, found[1]), scale) {
            Ok(mark) if !code.is_empty() => lines.push(MarkLine { row, code, mark }),
            Ok(_) => {}
            Err(msg) => errors.add(row, MARK_HEADERS[0], msg),
        }
    }
    if lines.is_empty() && errors.is_empty() {
        errors.add(2, "", Msg::ErrImportEmpty);
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn stage_one_results_are_read_by_header() {
        let rows = table(
            "Số báo danh,Số câu,Số câu đúng,Số câu ngoại ngữ,Câu đúng ngoại ngữ,Miễn ngoại ngữ\n\
             na27-00001,60,30,30,10,x\n\
             NA27-00002,60,29,,,\n\
             NA27-00003,60,45,30,14,",
        );
        let lines = parse_stage1(&rows).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].candidate_number, "NA27-00001");
        assert_eq!(lines[0].row, 2);
        assert!(lines[0].passes(50), "exempt from the language part");
        assert!(!lines[1].passes(50), "29 of 60 is under half");
        assert!(!lines[2].passes(50), "14 of 30 in the language part");
        assert_eq!(lines[2].language, Some((30, 14)));
    }

    #[test]
    fn every_bad_stage_one_row_is_reported() {
        let rows = table(
            "sbd,questions,correct\n\
             NA27-00001,60,61\n\
             NA27-00001,60,30\n\
             ,sáu mươi,3",
        );
        let errors = parse_stage1(&rows).unwrap_err();
        let found: Vec<(usize, Msg)> = errors.problems.iter().map(|e| (e.row, e.msg)).collect();
        assert_eq!(
            found,
            vec![
                (2, Msg::ErrCorrectOverQuestions),
                (3, Msg::ErrDuplicateInFile),
                (4, Msg::ErrRequired),
                (4, Msg::ErrNumber),
            ]
        );
        assert_eq!(
            parse_stage1(&table("sbd,correct\nA,1"))
                .unwrap_err()
                .problems[0]
                .msg,
            Msg::ErrImportMissingColumn
        );
        assert_eq!(
            parse_stage1(&table("sbd,questions,correct"))
                .unwrap_err()
                .problems[0]
                .msg,
            Msg::ErrImportEmpty
        );
    }

    #[test]
    fn mark_sheets_are_checked_row_by_row() {
        let scale = Scale::new(100);
        let lines = parse_marks(&table("Mã phách,Điểm\nk7m2qx,72.5\nAB3CDE, 60 "), scale).unwrap();
        assert_eq!(lines[0].code, "K7M2QX");
        assert_eq!(lines[0].mark, Mark::from_hundredths(7250));
        let errors = parse_marks(
            &table("code,mark\nK7M2QX,101\nK7M2QX,7\nAB3CDE,7.3\n,5"),
            scale,
        )
        .unwrap_err();
        let found: Vec<(usize, Msg)> = errors.problems.iter().map(|e| (e.row, e.msg)).collect();
        assert_eq!(
            found,
            vec![
                (2, Msg::ErrMarkRange),
                (3, Msg::ErrDuplicateInFile),
                (4, Msg::ErrMarkStep),
                (5, Msg::ErrRequired),
            ]
        );
        // "68,5" in a comma-separated file arrives as two cells: refused, never read as 68.
        let split = parse_marks(&table("code,mark\nK7M2QX,68,5"), scale).unwrap_err();
        assert_eq!(
            (split.problems[0].row, split.problems[0].msg),
            (2, Msg::ErrExtraCells)
        );
    }

    proptest! {
        #[test]
        fn no_table_makes_the_readers_panic(
            rows in proptest::collection::vec(
                proptest::collection::vec(".{0,12}", 0..8), 0..12)
        ) {
            let _ = parse_stage1(&rows);
            let _ = parse_marks(&rows, Scale::new(100));
        }
    }
}
