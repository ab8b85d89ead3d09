//! Positions (vị trí việc làm): what they require, how stage 2 is examined, and the units
//! that share them with their quotas. Also the parsing of an imported position table, shared
//! by the CSV and XLSX readers: every row is checked and every problem reported with its row.

use crate::i18n::Msg;
use crate::rounds::plan::{Method, Plan, Rank, Stage1};
use serde::{Deserialize, Serialize};

pub const MAX_QUOTA: u32 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DegreeLevel {
    College,
    Bachelor,
    Master,
    Doctorate,
}

impl DegreeLevel {
    pub const ALL: [DegreeLevel; 4] = [
        DegreeLevel::College,
        DegreeLevel::Bachelor,
        DegreeLevel::Master,
        DegreeLevel::Doctorate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DegreeLevel::College => "college",
            DegreeLevel::Bachelor => "bachelor",
            DegreeLevel::Master => "master",
            DegreeLevel::Doctorate => "doctorate",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            DegreeLevel::College => Msg::DegreeCollege,
            DegreeLevel::Bachelor => Msg::DegreeBachelor,
            DegreeLevel::Master => Msg::DegreeMaster,
            DegreeLevel::Doctorate => Msg::DegreeDoctorate,
        }
    }

    /// Accepts the code or the Vietnamese or English name, in any case.
    pub fn parse(input: &str) -> Option<DegreeLevel> {
        let input = input.trim().to_lowercase();
        DegreeLevel::ALL.into_iter().find(|d| {
            let (vi, en) = d.msg().texts();
            input == d.as_str() || input == vi.to_lowercase() || input == en.to_lowercase()
        })
    }
}

/// How stage 2 (professional knowledge) is examined; scored out of the position's maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage2Format {
    Interview,
    Written,
    Practical,
    /// A written paper and an interview, weighted; the interview takes the rest of 100%.
    Combined {
        written_percent: u8,
    },
    ProjectDefence,
    /// An oral examination (vấn đáp): nhân viên and xét tuyển (Decree 170/2025 Art 9.1, 11).
    Oral,
    /// The written test on computer, scored at once by the exam server (Art 9.2.b).
    ComputerWritten,
}

impl Stage2Format {
    pub fn kind(self) -> &'static str {
        match self {
            Stage2Format::Interview => "interview",
            Stage2Format::Written => "written",
            Stage2Format::Practical => "practical",
            Stage2Format::Combined { .. } => "combined",
            Stage2Format::ProjectDefence => "project_defence",
            Stage2Format::Oral => "oral",
            Stage2Format::ComputerWritten => "computer_written",
        }
    }

    pub fn written_percent(self) -> Option<u8> {
        match self {
            Stage2Format::Combined { written_percent } => Some(written_percent),
            _ => None,
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            Stage2Format::Interview => Msg::FormatInterview,
            Stage2Format::Written => Msg::FormatWritten,
            Stage2Format::Practical => Msg::FormatPractical,
            Stage2Format::Combined { .. } => Msg::FormatCombined,
            Stage2Format::ProjectDefence => Msg::FormatProjectDefence,
            Stage2Format::Oral => Msg::FormatOral,
            Stage2Format::ComputerWritten => Msg::FormatComputerWritten,
        }
    }

    /// From the stored kind and weight (or the kind typed in a form or file, any language).
    pub fn parse(kind: &str, written_percent: Option<u8>) -> Result<Stage2Format, Msg> {
        let kind = kind.trim().to_lowercase();
        let all = [
            Stage2Format::Interview,
            Stage2Format::Written,
            Stage2Format::Practical,
            Stage2Format::Combined { written_percent: 0 },
            Stage2Format::ProjectDefence,
            Stage2Format::Oral,
            Stage2Format::ComputerWritten,
        ];
        // Short names people write in spreadsheets, besides the code and the full names.
        let alias = |f: Stage2Format| -> &'static [&'static str] {
            match f {
                Stage2Format::Interview => &["pv"],
                Stage2Format::Written => &["viết", "thi viết"],
                Stage2Format::Practical => &["thi thực hành"],
                Stage2Format::Combined { .. } => &["kết hợp", "viết + phỏng vấn"],
                Stage2Format::ProjectDefence => &["đề án", "bảo vệ đề án", "project defence"],
                Stage2Format::Oral => &["vấn đáp", "thi vấn đáp"],
                Stage2Format::ComputerWritten => &["viết trên máy tính", "thi viết trên máy tính"],
            }
        };
        let found = all.into_iter().find(|f| {
            let (vi, en) = f.msg().texts();
            kind == f.kind()
                || kind == vi.to_lowercase()
                || kind == en.to_lowercase()
                || alias(*f).contains(&kind.as_str())
        });
        match found {
            None => Err(Msg::ErrStage2Format),
            Some(Stage2Format::Combined { .. }) => match written_percent {
                Some(p) if (1..=99).contains(&p) => {
                    Ok(Stage2Format::Combined { written_percent: p })
                }
                _ => Err(Msg::ErrWrittenWeight),
            },
            Some(format) => Ok(format),
        }
    }

    /// Only written papers can be appealed (re-marked).
    pub fn allows_appeal(self) -> bool {
        matches!(self, Stage2Format::Written | Stage2Format::Combined { .. })
    }
}

/// A unit's share of a position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitQuota {
    pub unit_code: String,
    pub unit_name: String,
    pub quota: u32,
}

/// A position as HR enters or imports it, before it has an id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPosition {
    pub code: String,
    pub title: String,
    pub units: Vec<UnitQuota>,
    pub min_degree: DegreeLevel,
    pub majors: Vec<String>,
    pub other_conditions: String,
    pub stage2: Stage2Format,
    pub max_score: u16,
    /// Rank and method; only rounds under a rule set that derives tests by rank have them.
    pub plan: Option<Plan>,
    /// Reserved for ethnic-minority candidates (Decree 170/2025 Art 3.2.c): only they may
    /// apply, so its places are ranked among them alone.
    pub ethnic_minority_only: bool,
}

impl NewPosition {
    pub fn total_quota(&self) -> u32 {
        self.units.iter().map(|u| u.quota).sum()
    }

    /// What stage 1 is: derived from the plan, or the computer test every position had under
    /// the earlier rule sets.
    pub fn stage1(&self) -> Stage1 {
        self.plan.map_or(Stage1::ComputerTest, Plan::stage1)
    }
}

/// Reads and checks a position's rank and method (Decree 170/2025 Art 5, 9, 11). Under a rule
/// set that derives tests by rank both are required and the stage-2 form must be one the law
/// allows; under earlier rule sets they are left out (and ignored if given).
fn parse_plan(
    tests_by_rank: bool,
    rank: &str,
    method: &str,
    group: &str,
    stage2: Option<Stage2Format>,
) -> Result<Option<Plan>, (&'static str, Msg)> {
    if !tests_by_rank {
        return Ok(None);
    }
    if rank.trim().is_empty() && method.trim().is_empty() {
        return Err(("rank", Msg::ErrPlanRequired));
    }
    let rank = Rank::parse(rank).ok_or(("rank", Msg::ErrRank))?;
    let method = Method::parse(method, group).map_err(|m| {
        let column = if m == Msg::ErrMethod {
            "method"
        } else {
            "review_group"
        };
        (column, m)
    })?;
    let plan = Plan { rank, method };
    if let Some(stage2) = stage2 {
        plan.check(stage2).map_err(|m| {
            let column = if m == Msg::ErrPlanWeight {
                "written_weight"
            } else {
                "stage2_format"
            };
            (column, m)
        })?;
    }
    Ok(Some(plan))
}

pub fn parse_quota(input: &str) -> Result<u32, Msg> {
    match input.trim().parse::<u32>() {
        Ok(q) if (1..=MAX_QUOTA).contains(&q) => Ok(q),
        _ => Err(Msg::ErrQuota),
    }
}

/// A position or unit code: letters, digits, '-', '_' and '.', up to 32 characters.
pub fn parse_code(input: &str) -> Result<String, Msg> {
    let code = input.trim();
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(code.to_uppercase())
    } else {
        Err(Msg::ErrCode)
    }
}

pub fn parse_text(input: &str, max_chars: usize) -> Result<String, Msg> {
    let text = input.trim();
    if text.is_empty() {
        Err(Msg::ErrRequired)
    } else if text.chars().count() > max_chars {
        Err(Msg::ErrTooLong)
    } else {
        Ok(text.to_string())
    }
}

pub fn parse_majors(input: &str) -> Vec<String> {
    input
        .split([';', '\n'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn parse_max_score(input: &str) -> Result<u16, Msg> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(100);
    }
    match input.parse::<u16>() {
        Ok(s) if (10..=1000).contains(&s) => Ok(s),
        _ => Err(Msg::ErrMaxScore),
    }
}

/// The columns of an imported position table, in the order the export writes them.
pub const IMPORT_COLUMNS: [&str; 15] = [
    "code",
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
    "rank",
    "method",
    "review_group",
    "ethnic_minority",
];

/// Reads a yes/no cell: empty, `không`, `no`, `false` or `0` is no; `x`, `có`, `yes`, `true` or
/// `1` is yes (any case, with or without diacritics).
pub fn parse_yes_no(input: &str) -> Result<bool, Msg> {
    match input.trim().to_lowercase().as_str() {
        "" | "0" | "không" | "khong" | "no" | "false" => Ok(false),
        "x" | "1" | "có" | "co" | "yes" | "true" => Ok(true),
        _ => Err(Msg::ErrYesNo),
    }
}

/// A problem with one cell (or a whole row, or the header) of an imported file.
/// `row` is the line number a person sees in their spreadsheet: the header is row 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub msg: Msg,
}

/// The problems of a refused import: the first [`ImportProblems::REPORTED`] of them, in the
/// order found, and how many there were in all. A file of a million bad rows costs a count,
/// not a million messages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblems {
    pub problems: Vec<RowError>,
    pub total: usize,
}

impl ImportProblems {
    pub const REPORTED: usize = 100;

    pub fn one(row: usize, column: &str, msg: Msg) -> Self {
        let mut problems = ImportProblems::default();
        problems.add(row, column, msg);
        problems
    }

    /// Counts a problem, and keeps it if fewer than `REPORTED` are kept.
    pub fn add(&mut self, row: usize, column: &str, msg: Msg) {
        if self.problems.len() < Self::REPORTED {
            self.problems.push(RowError {
                row,
                column: column.to_string(),
                msg,
            });
        }
        self.total += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Problems counted but not kept.
    pub fn more(&self) -> usize {
        self.total - self.problems.len()
    }
}

/// Parses a whole table (header first). One row per unit of a position: a position shared by
/// several units repeats its code with the same details and another unit. Either every row is
/// good and all positions come back, or every problem comes back. `tests_by_rank`: the
/// round's rule set derives the tests from rank and method, which each row must then give.
pub fn parse_position_table(
    rows: &[Vec<String>],
    tests_by_rank: bool,
) -> Result<Vec<NewPosition>, ImportProblems> {
    let Some(header) = rows.first() else {
        return Err(ImportProblems::one(1, "", Msg::ErrImportEmpty));
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut errors = ImportProblems::default();
    let mut index = std::collections::HashMap::new();
    for column in IMPORT_COLUMNS {
        match header.iter().position(|h| h == column) {
            Some(i) => {
                index.insert(column, i);
            }
            None if column == "written_weight"
                || column == "max_score"
                || column == "other_conditions"
                || column == "majors"
                || column == "rank"
                || column == "method"
                || column == "review_group"
                || column == "ethnic_minority" => {}
            None => errors.add(1, column, Msg::ErrImportMissingColumn),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut positions: Vec<NewPosition> = Vec::new();
    // Where each code is in `positions`: a long file must not be searched once per row.
    let mut by_code: std::collections::HashMap<String, usize> = Default::default();
    let data_rows = rows.iter().enumerate().skip(1);
    let mut any_data = false;
    for (i, row) in data_rows {
        let line = i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        any_data = true;
        let cell = |column: &str| -> &str {
            index
                .get(column)
                .and_then(|&i| row.get(i))
                .map_or("", String::as_str)
        };
        let mut err = |column: &str, msg: Msg| errors.add(line, column, msg);
        let code = parse_code(cell("code")).map_err(|m| err("code", m)).ok();
        let title = parse_text(cell("title"), 300)
            .map_err(|m| err("title", m))
            .ok();
        let unit_code = parse_code(cell("unit_code"))
            .map_err(|m| err("unit_code", m))
            .ok();
        let unit_name = parse_text(cell("unit_name"), 300)
            .map_err(|m| err("unit_name", m))
            .ok();
        let quota = parse_quota(cell("quota")).map_err(|m| err("quota", m)).ok();
        let min_degree = DegreeLevel::parse(cell("min_degree"))
            .ok_or(Msg::ErrDegree)
            .map_err(|m| err("min_degree", m))
            .ok();
        let weight = match cell("written_weight").trim() {
            "" => Ok(None),
            w => w.parse::<u8>().map(Some).map_err(|_| Msg::ErrWrittenWeight),
        };
        let stage2 = weight
            .and_then(|w| Stage2Format::parse(cell("stage2_format"), w))
            .map_err(|m| {
                let column = if m == Msg::ErrWrittenWeight {
                    "written_weight"
                } else {
                    "stage2_format"
                };
                err(column, m)
            })
            .ok();
        let max_score = parse_max_score(cell("max_score"))
            .map_err(|m| err("max_score", m))
            .ok();
        let plan = parse_plan(
            tests_by_rank,
            cell("rank"),
            cell("method"),
            cell("review_group"),
            stage2,
        )
        .map_err(|(column, m)| err(column, m))
        .ok();
        let ethnic_minority_only = parse_yes_no(cell("ethnic_minority"))
            .map_err(|m| err("ethnic_minority", m))
            .ok();
        let (
            Some(code),
            Some(title),
            Some(unit_code),
            Some(unit_name),
            Some(quota),
            Some(min_degree),
            Some(stage2),
            Some(max_score),
            Some(plan),
            Some(ethnic_minority_only),
        ) = (
            code,
            title,
            unit_code,
            unit_name,
            quota,
            min_degree,
            stage2,
            max_score,
            plan,
            ethnic_minority_only,
        )
        else {
            continue;
        };
        let unit = UnitQuota {
            unit_code,
            unit_name,
            quota,
        };
        let candidate = NewPosition {
            code,
            title,
            units: vec![unit.clone()],
            min_degree,
            majors: parse_majors(cell("majors")),
            other_conditions: cell("other_conditions").trim().to_string(),
            stage2,
            max_score,
            plan,
            ethnic_minority_only,
        };
        match by_code.get(&candidate.code) {
            None => {
                by_code.insert(candidate.code.clone(), positions.len());
                positions.push(candidate);
            }
            Some(&at) => {
                let existing = &mut positions[at];
                let same_details = NewPosition {
                    units: existing.units.clone(),
                    ..candidate
                } == *existing;
                if !same_details {
                    err("code", Msg::ErrImportPositionMismatch);
                } else if existing.units.iter().any(|u| u.unit_code == unit.unit_code) {
                    err("unit_code", Msg::ErrImportDuplicateUnit);
                } else {
                    existing.units.push(unit);
                }
            }
        }
    }
    if !any_data && errors.is_empty() {
        errors.add(1, "", Msg::ErrImportEmpty);
    }
    if errors.is_empty() {
        Ok(positions)
    } else {
        Err(errors)
    }
}

/// The table an export writes (and an import reads back): header, then one row per unit.
pub fn position_table(positions: &[NewPosition]) -> Vec<Vec<String>> {
    let mut rows = vec![IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect()];
    for p in positions {
        for u in &p.units {
            rows.push(vec![
                p.code.clone(),
                p.title.clone(),
                u.unit_code.clone(),
                u.unit_name.clone(),
                u.quota.to_string(),
                p.min_degree.as_str().to_string(),
                p.majors.join("; "),
                p.other_conditions.clone(),
                p.stage2.kind().to_string(),
                p.stage2
                    .written_percent()
                    .map_or(String::new(), |w| w.to_string()),
                p.max_score.to_string(),
                p.plan
                    .map_or(String::new(), |pl| pl.rank.as_str().to_string()),
                p.plan
                    .map_or(String::new(), |pl| pl.method.as_str().to_string()),
                p.plan
                    .and_then(|pl| pl.method.group())
                    .map_or(String::new(), |g| g.as_str().to_string()),
                if p.ethnic_minority_only { "x" } else { "" }.to_string(),
            ]);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    const HEADER: &[&str] = &IMPORT_COLUMNS;

    #[test]
    fn a_good_table_groups_shared_positions() {
        let rows = table(&[
            HEADER,
            &[
                "ktv-01",
                "Kế toán viên",
                "STC",
                "Sở Tài chính",
                "2",
                "Đại học",
                "Kế toán; Tài chính",
                "",
                "Viết",
                "",
                "",
            ],
            &[
                "vp-02",
                "Văn phòng - thống kê",
                "XA-DC",
                "UBND xã Diễn Châu",
                "1",
                "bachelor",
                "Luật",
                "",
                "combined",
                "70",
                "100",
            ],
            &[
                "VP-02",
                "Văn phòng - thống kê",
                "XA-QL",
                "UBND xã Quỳnh Lưu",
                "3",
                "bachelor",
                "Luật",
                "",
                "combined",
                "70",
                "100",
            ],
            &["", "", "", "", "", "", "", "", "", "", ""],
        ]);
        let positions = parse_position_table(&rows, false).unwrap();
        assert_eq!(positions.len(), 2);
        assert_eq!(positions[0].code, "KTV-01");
        assert_eq!(positions[0].majors, ["Kế toán", "Tài chính"]);
        assert_eq!(positions[0].stage2, Stage2Format::Written);
        assert_eq!(positions[0].max_score, 100);
        assert_eq!(positions[1].units.len(), 2);
        assert_eq!(positions[1].total_quota(), 4);
        assert_eq!(
            positions[1].stage2,
            Stage2Format::Combined {
                written_percent: 70
            }
        );
    }

    /// Decree 170/2025 Art 3.2.c: the plan may reserve a position for ethnic-minority
    /// candidates; its column is optional and yes/no.
    #[test]
    fn a_position_may_be_reserved_for_ethnic_minorities() {
        let header = [
            "code",
            "title",
            "unit_code",
            "unit_name",
            "quota",
            "min_degree",
            "stage2_format",
            "ethnic_minority",
        ];
        fn row(code: &'static str, flag: &'static str) -> Vec<&'static str> {
            vec![
                code,
                "Công chức xã",
                "X-TD",
                "UBND xã Tương Dương",
                "1",
                "bachelor",
                "written",
                flag,
            ]
        }
        let rows = table(&[
            &header,
            &row("DT-01", "x"),
            &row("DT-02", ""),
            &row("DT-03", "Có"),
        ]);
        let reserved: Vec<bool> = parse_position_table(&rows, false)
            .unwrap()
            .iter()
            .map(|p| p.ethnic_minority_only)
            .collect();
        assert_eq!(reserved, [true, false, true]);
        let bad =
            parse_position_table(&table(&[&header, &row("DT-04", "Thái")]), false).unwrap_err();
        assert_eq!(
            bad.problems,
            [RowError {
                row: 2,
                column: "ethnic_minority".into(),
                msg: Msg::ErrYesNo
            }]
        );
        // Without the column nothing is reserved.
        let plain = table(&[&header[..7], &row("DT-05", "")[..7]]);
        assert!(!parse_position_table(&plain, false).unwrap()[0].ethnic_minority_only);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row() {
        let rows = table(&[
            HEADER,
            &[
                "A1",
                "Chuyên viên",
                "U1",
                "Đơn vị 1",
                "0",
                "tiểu học",
                "",
                "",
                "written",
                "",
                "",
            ],
            &[
                "A2",
                "",
                "U1",
                "Đơn vị 1",
                "abc",
                "master",
                "",
                "",
                "combined",
                "",
                "",
            ],
            &[
                "A!",
                "Chuyên viên",
                "U1",
                "Đơn vị 1",
                "1",
                "master",
                "",
                "",
                "dance",
                "",
                "5",
            ],
        ]);
        let errors = parse_position_table(&rows, false).unwrap_err();
        let found: Vec<(usize, &str, Msg)> = errors
            .problems
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.msg))
            .collect();
        assert_eq!(
            found,
            [
                (2, "quota", Msg::ErrQuota),
                (2, "min_degree", Msg::ErrDegree),
                (3, "title", Msg::ErrRequired),
                (3, "quota", Msg::ErrQuota),
                (3, "written_weight", Msg::ErrWrittenWeight),
                (4, "code", Msg::ErrCode),
                (4, "stage2_format", Msg::ErrStage2Format),
                (4, "max_score", Msg::ErrMaxScore),
            ]
        );
    }

    #[test]
    fn shared_rows_must_agree_and_not_repeat_a_unit() {
        let rows = table(&[
            HEADER,
            &[
                "A1",
                "Chuyên viên",
                "U1",
                "Đơn vị 1",
                "1",
                "bachelor",
                "",
                "",
                "interview",
                "",
                "",
            ],
            &[
                "A1",
                "Chuyên viên khác",
                "U2",
                "Đơn vị 2",
                "1",
                "bachelor",
                "",
                "",
                "interview",
                "",
                "",
            ],
            &[
                "A1",
                "Chuyên viên",
                "U1",
                "Đơn vị 1",
                "2",
                "bachelor",
                "",
                "",
                "interview",
                "",
                "",
            ],
        ]);
        let errors = parse_position_table(&rows, false).unwrap_err().problems;
        assert_eq!(errors[0].row, 3);
        assert_eq!(errors[0].msg, Msg::ErrImportPositionMismatch);
        assert_eq!(errors[1].row, 4);
        assert_eq!(errors[1].msg, Msg::ErrImportDuplicateUnit);
    }

    #[test]
    fn a_missing_column_or_an_empty_file_is_refused() {
        let errors = parse_position_table(&table(&[&["code", "title"]]), false)
            .unwrap_err()
            .problems;
        assert!(errors
            .iter()
            .all(|e| e.row == 1 && e.msg == Msg::ErrImportMissingColumn));
        assert_eq!(errors.len(), 5);
        assert_eq!(
            parse_position_table(&[], false).unwrap_err().problems[0].msg,
            Msg::ErrImportEmpty
        );
        assert_eq!(
            parse_position_table(&table(&[HEADER]), false)
                .unwrap_err()
                .problems[0]
                .msg,
            Msg::ErrImportEmpty
        );
    }

    #[test]
    fn only_the_first_hundred_problems_are_kept_but_all_are_counted() {
        let mut rows = table(&[HEADER]);
        rows.extend((0..1000).map(|_| vec!["?".to_string()]));
        let errors = parse_position_table(&rows, false).unwrap_err();
        assert_eq!(errors.problems.len(), ImportProblems::REPORTED);
        assert!(errors.total > 1000, "every bad row has several problems");
        assert_eq!(errors.more(), errors.total - 100);
        assert_eq!(errors.problems[0].row, 2);
    }

    #[test]
    fn an_export_reads_back_as_the_same_positions() {
        let rows = table(&[
            HEADER,
            &[
                "A1",
                "Chuyên viên",
                "U1",
                "Đơn vị 1",
                "5",
                "master",
                "Luật; Hành chính",
                "Có chứng chỉ",
                "combined",
                "60",
                "100",
            ],
            &[
                "A1",
                "Chuyên viên",
                "U2",
                "Đơn vị 2",
                "2",
                "master",
                "Luật; Hành chính",
                "Có chứng chỉ",
                "combined",
                "60",
                "100",
            ],
            &[
                "B2",
                "Thanh tra viên",
                "U3",
                "Thanh tra tỉnh",
                "20",
                "bachelor",
                "",
                "",
                "project_defence",
                "",
                "100",
            ],
        ]);
        let positions = parse_position_table(&rows, false).unwrap();
        assert_eq!(
            parse_position_table(&position_table(&positions), false).unwrap(),
            positions
        );
    }
}
