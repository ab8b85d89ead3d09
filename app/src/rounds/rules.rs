//! Rule sets: the parameters of the law a round is run under, kept as data because the law
//! changes (Decree 138/2020 gave way to Decree 170/2025 on 1 July 2025). A round keeps the
//! exact version it was created with; a change to a rule set is a new version.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// One priority category (đối tượng ưu tiên) and the points it adds to the stage-2 score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityCategory {
    pub code: String,
    pub name: String,
    /// Points in tenths, so 7.5 points is 75: exact arithmetic, no floating point.
    pub points_tenths: u16,
}

/// Fee per candidate once the round has at least `from_candidates` candidates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTier {
    pub from_candidates: u32,
    pub fee_dong: u64,
}

/// How a tie at the last place within the quota is broken, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TieBreak {
    /// The higher stage-2 score (before priority points) wins.
    HigherStage2Score,
    /// For written + interview, the higher written score wins (Decree 170/2025 Art 10.2).
    HigherWrittenScore,
    /// The head of the recruiting authority decides; the decision and who made it are recorded.
    AuthorityDecision,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleParams {
    pub minimum_age: u8,
    /// Days applications are accepted from the notice.
    pub application_window_days: u16,
    pub stage1_questions: u16,
    pub stage1_minutes: u16,
    /// Share of correct answers needed to go on to stage 2.
    pub stage1_pass_percent: u8,
    /// Whether a foreign-language part is part of stage 1 by default.
    pub stage1_foreign_language: bool,
    /// Stage-2 score (out of 100) needed to be selected.
    pub stage2_pass_mark: u8,
    /// Only the highest single category counts.
    pub priority_categories: Vec<PriorityCategory>,
    pub tie_break: Vec<TieBreak>,
    /// Two markers' marks within this share of the maximum are averaged; otherwise the
    /// marking-board head decides.
    pub double_marking_tolerance_percent: u8,
    /// The smallest step of a mark, in hundredths of a point (25: quarter points). Rule sets
    /// stored before this existed mean quarter points.
    #[serde(default = "quarter_point")]
    pub mark_step_hundredths: u16,
    pub appeal_filing_working_days: u8,
    pub appeal_answer_days: u8,
    /// Fee for re-marking one paper. Rule sets stored before this existed mean 150,000 đ.
    #[serde(default = "appeal_fee")]
    pub appeal_fee_dong: u32,
    pub fee_tiers: Vec<FeeTier>,
    /// Each position states its rank and method and the law derives its tests (Decree
    /// 170/2025 Art 9 and 11 as amended by Decree 300/2026); stage 1 only where the law has
    /// one, written + interview at 70/30. Rule sets stored before this existed do not.
    #[serde(default)]
    pub tests_by_rank: bool,
    /// Marking by Circular 22/2025 (three bands and a third marker for papers, the panel
    /// chief for a wide spread); without it, `double_marking_tolerance_percent` alone.
    #[serde(default)]
    pub circular_22_marking: Option<MarkingBands>,
    /// An application is Mẫu 01 alone (Decree 170/2025 Art 15 as amended): copies of degrees
    /// and priority certificates belong to the winner's dossier (Art 18.1), so screening does
    /// not ask for scans. Rule sets stored before this existed ask for them.
    #[serde(default)]
    pub application_is_form_alone: bool,
    /// The legal sequence (Decree 170/2025 Art 17–18): each position's exam scores are
    /// published first, appeals run from that publication, and results are compiled only
    /// after them. Rule sets stored before this existed published results first.
    #[serde(default)]
    pub exam_scores_published_first: bool,
    /// A published notice changes once, by the head's decision, at least 10 days before the
    /// opening session, and the application window restarts (Decree 170/2025 Art 15). Rule
    /// sets stored before this existed let HR amend an open round with a reason.
    #[serde(default)]
    pub notice_change_by_head: bool,
    /// After selection by Decree 300/2026 (Decree 170/2025 Art 18 as amended): a struck-off
    /// winner goes on a published cancelled list with the reason, the next-ranked are
    /// recognised only after it, and a fraudster is refused in the authority's next round.
    /// Rule sets stored before this existed recognise the next reserve at once.
    #[serde(default)]
    pub after_selection: Option<AfterSelection>,
    /// The deadlines of the sequence (Decree 170/2025 Art 15–18). Rule sets stored before
    /// this existed mean the decree's.
    #[serde(default)]
    pub sequence: SequenceClocks,
}

/// How long each step of the sequence may take (Decree 170/2025 Art 15–18): calendar days,
/// except where a name says working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceClocks {
    /// The eligible list and the summons after applications close (Art 15.3)…
    pub eligible_list_days: u16,
    /// …or this many with `many_applicants` or more.
    pub eligible_list_days_many: u16,
    pub many_applicants: u32,
    /// Stage 1 after applications close (Art 16).
    pub stage1_days: u16,
    /// Stage 2 after stage 1 (Art 16).
    pub stage2_days: u16,
    /// Exam scores published after stage 2 (Art 17)…
    pub scores_days: u16,
    /// …or this many with `many_candidates` or more.
    pub scores_days_many: u16,
    pub many_candidates: u32,
    /// Re-marking after the appeal window (Art 18).
    pub remark_days: u16,
    pub compile_working_days: u8,
    pub approve_working_days: u8,
    /// Winners published and told after approval.
    pub publish_working_days: u8,
}

impl Default for SequenceClocks {
    /// Decree 170/2025 Art 15–18.
    fn default() -> Self {
        SequenceClocks {
            eligible_list_days: 15,
            eligible_list_days_many: 30,
            many_applicants: 500,
            stage1_days: 30,
            stage2_days: 10,
            scores_days: 15,
            scores_days_many: 30,
            many_candidates: 1000,
            remark_days: 10,
            compile_working_days: 5,
            approve_working_days: 5,
            publish_working_days: 2,
        }
    }
}

/// The clocks after selection (Decree 170/2025 Art 18 as amended by Decree 300/2026).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterSelection {
    /// Days from the winners' listing to complete the dossier (Art 18.1; 20 before Decree 300).
    pub dossier_days: u8,
    /// Working days from the cancelled list to publish and notify the next-ranked (Art 18.4).
    pub next_ranked_working_days: u8,
    /// Working days after the dossier deadline for the appointment decision (Art 19.1).
    pub appointment_working_days: u8,
    /// Days from the appointment decision to report for work (Art 19.2).
    pub report_days: u8,
}

impl AfterSelection {
    pub const DECREE_300: AfterSelection = AfterSelection {
        dossier_days: 15,
        next_ranked_working_days: 5,
        appointment_working_days: 3,
        report_days: 15,
    };
}

/// The thresholds of Circular 22/2025 Art 16 and 22, each a share of the paper's maximum
/// (5 and 10 points on 100).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkingBands {
    pub mean_up_to_percent: u8,
    pub third_from_percent: u8,
    pub panel_spread_percent: u8,
    /// Re-marking (Decree 170/2025 Art 18): a re-mark this far or further from the published
    /// mark needs the council chair's minuted decision; closer, it adjusts the mark.
    #[serde(default = "five")]
    pub remark_council_from_percent: u8,
}

fn five() -> u8 {
    5
}

impl MarkingBands {
    pub const CIRCULAR_22: MarkingBands = MarkingBands {
        mean_up_to_percent: 5,
        third_from_percent: 10,
        panel_spread_percent: 10,
        remark_council_from_percent: 5,
    };
}

fn quarter_point() -> u16 {
    25
}

fn appeal_fee() -> u32 {
    150_000
}

/// Steps a mark may have: each divides a whole point.
pub const MARK_STEPS: [u16; 7] = [1, 5, 10, 20, 25, 50, 100];

impl RuleParams {
    /// Every way the parameters can be inconsistent, so a rule set is never stored broken.
    pub fn validate(&self) -> Result<(), Vec<Msg>> {
        let mut problems = Vec::new();
        if !(16..=70).contains(&self.minimum_age) {
            problems.push(Msg::RuleMinimumAge);
        }
        if self.stage1_pass_percent == 0 || self.stage1_pass_percent > 100 {
            problems.push(Msg::RuleStage1Pass);
        }
        if self.stage2_pass_mark == 0 || self.stage2_pass_mark > 100 {
            problems.push(Msg::RuleStage2Pass);
        }
        if self.double_marking_tolerance_percent > 100 {
            problems.push(Msg::RuleTolerance);
        }
        if self.circular_22_marking.is_some_and(|b| {
            b.mean_up_to_percent == 0
                || b.mean_up_to_percent >= b.third_from_percent
                || b.third_from_percent > 100
                || b.panel_spread_percent > 100
        }) {
            problems.push(Msg::RuleTolerance);
        }
        if !MARK_STEPS.contains(&self.mark_step_hundredths) {
            problems.push(Msg::RuleMarkStep);
        }
        if !(1..=30).contains(&self.appeal_filing_working_days) {
            problems.push(Msg::RuleAppealWindow);
        }
        let mut codes: Vec<&str> = self
            .priority_categories
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.len() != self.priority_categories.len()
            || self
                .priority_categories
                .iter()
                .any(|c| c.code.trim().is_empty() || c.points_tenths == 0 || c.points_tenths > 200)
        {
            problems.push(Msg::RulePriorityCategories);
        }
        if self.tie_break.last() != Some(&TieBreak::AuthorityDecision) {
            problems.push(Msg::RuleTieBreak);
        }
        let tiers_ok = self
            .fee_tiers
            .first()
            .is_some_and(|t| t.from_candidates == 0)
            && self
                .fee_tiers
                .windows(2)
                .all(|w| w[0].from_candidates < w[1].from_candidates);
        if !tiers_ok {
            problems.push(Msg::RuleFeeTiers);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// How markings of one paper are settled under these rules.
    pub fn marking_rule(&self) -> crate::scoring::marks::MarkingRule {
        use crate::scoring::marks::MarkingRule;
        match self.circular_22_marking {
            Some(b) => MarkingRule::Bands {
                mean_up_to_percent: b.mean_up_to_percent,
                third_from_percent: b.third_from_percent,
                panel_spread_percent: b.panel_spread_percent,
            },
            None => MarkingRule::Tolerance(self.double_marking_tolerance_percent),
        }
    }

    /// How appeals are re-marked: as papers are marked, and under Circular 22 with the
    /// council chair's decision for a re-mark far from the published mark.
    pub fn remark_rule(&self) -> crate::appeals::rules::RemarkRule {
        crate::appeals::rules::RemarkRule {
            marking: self.marking_rule(),
            council_from_percent: self
                .circular_22_marking
                .map(|b| b.remark_council_from_percent),
        }
    }

    /// The fee each candidate pays when the round has `candidates` candidates.
    pub fn fee_for(&self, candidates: u32) -> u64 {
        self.fee_tiers
            .iter()
            .rev()
            .find(|t| candidates >= t.from_candidates)
            .map_or(0, |t| t.fee_dong)
    }

    /// The categories an applicant declares, checked: each must be one of these rules' (else
    /// `Err`), repeats dropped, in the rule set's order; and the one that counts — the
    /// highest, the first listed when two are worth the same (Decree 170/2025 Art 6.2: only
    /// the highest category counts).
    pub fn declared_priorities(
        &self,
        codes: &[String],
    ) -> Result<(Vec<String>, Option<String>), Msg> {
        let codes: Vec<&str> = codes
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if codes
            .iter()
            .any(|c| !self.priority_categories.iter().any(|k| k.code == *c))
        {
            return Err(Msg::ErrChooseOne);
        }
        let declared: Vec<&PriorityCategory> = self
            .priority_categories
            .iter()
            .filter(|k| codes.contains(&k.code.as_str()))
            .collect();
        let counting = declared
            .iter()
            .fold(None::<&&PriorityCategory>, |best, k| match best {
                Some(b) if b.points_tenths >= k.points_tenths => Some(b),
                _ => Some(k),
            })
            .map(|k| k.code.clone());
        Ok((declared.iter().map(|k| k.code.clone()).collect(), counting))
    }

    /// Priority points for a candidate in these categories: the highest single one only.
    pub fn priority_points_tenths(&self, candidate_codes: &[&str]) -> u16 {
        self.priority_categories
            .iter()
            .filter(|c| candidate_codes.contains(&c.code.as_str()))
            .map(|c| c.points_tenths)
            .max()
            .unwrap_or(0)
    }

    /// Decree 170/2025/NĐ-CP as amended by Decree 300/2026/NĐ-CP (in force 1 August 2026):
    /// tests by rank and method, the priority categories of Art 6 as amended (the 2.5-point
    /// group widened, the 1.5-point category added), ties by the written score before the
    /// head decides (Art 10.2).
    pub fn decree_170_2025_as_amended() -> RuleParams {
        RuleParams {
            tests_by_rank: true,
            circular_22_marking: Some(MarkingBands::CIRCULAR_22),
            application_is_form_alone: true,
            exam_scores_published_first: true,
            notice_change_by_head: true,
            after_selection: Some(AfterSelection::DECREE_300),
            priority_categories: vec![
                PriorityCategory {
                    code: "anh_hung_thuong_binh".into(),
                    name: "Anh hùng Lực lượng vũ trang nhân dân, Anh hùng Lao động, thương binh, người hưởng chính sách như thương binh".into(),
                    points_tenths: 75,
                },
                PriorityCategory {
                    code: "dan_toc_thieu_so_quan_nhan".into(),
                    name: "Người dân tộc thiểu số, sĩ quan quân đội, sĩ quan công an, quân nhân chuyên nghiệp phục viên, người làm công tác cơ yếu chuyển ngành, học viên tốt nghiệp đào tạo sĩ quan dự bị, con liệt sĩ, con thương binh, con Anh hùng, con đẻ của người hoạt động kháng chiến bị nhiễm chất độc hóa học".into(),
                    points_tenths: 50,
                },
                PriorityCategory {
                    code: "xuat_ngu_thanh_nien_xung_phong".into(),
                    name: "Người hoàn thành nghĩa vụ quân sự, nghĩa vụ tham gia công an nhân dân, công nhân quốc phòng phục viên còn trong độ tuổi lao động, đội viên thanh niên xung phong, đội viên trí thức trẻ tình nguyện tham gia khu kinh tế quốc phòng".into(),
                    points_tenths: 25,
                },
                PriorityCategory {
                    code: "can_bo_cong_doan".into(),
                    name: "Người có thời gian làm cán bộ công đoàn trưởng thành từ cơ sở, trong phong trào công nhân".into(),
                    points_tenths: 15,
                },
            ],
            tie_break: vec![
                TieBreak::HigherStage2Score,
                TieBreak::HigherWrittenScore,
                TieBreak::AuthorityDecision,
            ],
            ..RuleParams::decree_170_2025()
        }
    }

    /// Decree 170/2025/NĐ-CP, in force from 1 July 2025.
    pub fn decree_170_2025() -> RuleParams {
        RuleParams {
            stage1_foreign_language: false,
            ..RuleParams::decree_138_2020()
        }
    }

    /// Decree 138/2020/NĐ-CP, the basis before 1 July 2025.
    pub fn decree_138_2020() -> RuleParams {
        RuleParams {
            minimum_age: 18,
            application_window_days: 30,
            stage1_questions: 60,
            stage1_minutes: 60,
            stage1_pass_percent: 50,
            stage1_foreign_language: true,
            stage2_pass_mark: 50,
            priority_categories: vec![
                PriorityCategory {
                    code: "anh_hung_thuong_binh".into(),
                    name: "Anh hùng Lực lượng vũ trang, Anh hùng Lao động, thương binh, người hưởng chính sách như thương binh".into(),
                    points_tenths: 75,
                },
                PriorityCategory {
                    code: "dan_toc_thieu_so_quan_nhan".into(),
                    name: "Người dân tộc thiểu số, sĩ quan quân đội, sĩ quan công an, quân nhân chuyên nghiệp, con liệt sĩ, con thương binh, con Anh hùng".into(),
                    points_tenths: 50,
                },
                PriorityCategory {
                    code: "xuat_ngu_thanh_nien_xung_phong".into(),
                    name: "Người hoàn thành nghĩa vụ quân sự, nghĩa vụ công an nhân dân, đội viên thanh niên xung phong".into(),
                    points_tenths: 25,
                },
            ],
            tie_break: vec![TieBreak::HigherStage2Score, TieBreak::AuthorityDecision],
            double_marking_tolerance_percent: 10,
            mark_step_hundredths: 25,
            appeal_filing_working_days: 5,
            appeal_answer_days: 15,
            appeal_fee_dong: 150_000,
            tests_by_rank: false,
            circular_22_marking: None,
            application_is_form_alone: false,
            exam_scores_published_first: false,
            notice_change_by_head: false,
            after_selection: None,
            sequence: SequenceClocks::default(),
            fee_tiers: vec![
                FeeTier {
                    from_candidates: 0,
                    fee_dong: 500_000,
                },
                FeeTier {
                    from_candidates: 100,
                    fee_dong: 400_000,
                },
                FeeTier {
                    from_candidates: 500,
                    fee_dong: 300_000,
                },
            ],
        }
    }
}

/// The text a person edits for the priority categories: one per line, `code | points | name`,
/// points written 7,5 or 7.5.
pub fn priority_lines(categories: &[PriorityCategory]) -> String {
    categories
        .iter()
        .map(|c| {
            format!(
                "{} | {} | {}",
                c.code,
                format_points(c.points_tenths),
                c.name
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text a person edits for the fee tiers: one per line, `from candidates | fee in đồng`.
pub fn fee_lines(tiers: &[FeeTier]) -> String {
    tiers
        .iter()
        .map(|t| format!("{} | {}", t.from_candidates, t.fee_dong))
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_points(text: &str) -> Option<u16> {
    let text = text.trim().replace(',', ".");
    let (whole, tenth) = text.split_once('.').unwrap_or((&text, "0"));
    let whole: u16 = whole.parse().ok()?;
    let tenth: u16 = match tenth {
        "" => 0,
        t if t.len() == 1 => t.parse().ok()?,
        _ => return None,
    };
    whole.checked_mul(10)?.checked_add(tenth)
}

pub fn parse_priority_lines(text: &str) -> Result<Vec<PriorityCategory>, Msg> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
            match parts.as_slice() {
                [code, points, name] if !code.is_empty() && !name.is_empty() => {
                    Ok(PriorityCategory {
                        code: code.to_string(),
                        name: name.to_string(),
                        points_tenths: parse_points(points).ok_or(Msg::RulePriorityCategories)?,
                    })
                }
                _ => Err(Msg::RulePriorityCategories),
            }
        })
        .collect()
}

pub fn parse_fee_lines(text: &str) -> Result<Vec<FeeTier>, Msg> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let parts: Vec<String> = line
                .split('|')
                .map(|p| p.trim().replace(['.', ' '], ""))
                .collect();
            match parts.as_slice() {
                [from, fee] => Ok(FeeTier {
                    from_candidates: from.parse().map_err(|_| Msg::RuleFeeTiers)?,
                    fee_dong: fee.parse().map_err(|_| Msg::RuleFeeTiers)?,
                }),
                _ => Err(Msg::RuleFeeTiers),
            }
        })
        .collect()
}

/// The rule-set form as typed: every number a string, so each problem is reported per field.
#[derive(Clone, Debug, Default)]
pub struct RuleSetForm {
    pub minimum_age: String,
    pub application_window_days: String,
    pub stage1_questions: String,
    pub stage1_minutes: String,
    pub stage1_pass_percent: String,
    pub stage1_foreign_language: bool,
    pub stage2_pass_mark: String,
    pub double_marking_tolerance_percent: String,
    /// As typed, `0,25`; empty means quarter points.
    pub mark_step: String,
    pub appeal_filing_working_days: String,
    pub appeal_answer_days: String,
    /// Đồng, digits only (dots and spaces between thousands allowed); empty keeps the base's.
    pub appeal_fee: String,
    pub priority_categories: String,
    pub fee_tiers: String,
}

impl RuleSetForm {
    /// Parses and validates the whole form; the tie-break order is kept from `base`.
    pub fn parse(&self, base: &RuleParams) -> Result<RuleParams, crate::error::AppError> {
        use crate::error::{AppError, FieldError};
        let mut errors: Vec<FieldError> = Vec::new();
        fn number<T: std::str::FromStr>(
            errors: &mut Vec<FieldError>,
            field: &str,
            text: &str,
        ) -> Option<T> {
            let parsed = text.trim().parse::<T>().ok();
            if parsed.is_none() {
                errors.push(FieldError::new(field, Msg::ErrNumber));
            }
            parsed
        }
        let minimum_age = number(&mut errors, "minimum_age", &self.minimum_age);
        let window = number(
            &mut errors,
            "application_window_days",
            &self.application_window_days,
        );
        let questions = number(&mut errors, "stage1_questions", &self.stage1_questions);
        let minutes = number(&mut errors, "stage1_minutes", &self.stage1_minutes);
        let pass1 = number(
            &mut errors,
            "stage1_pass_percent",
            &self.stage1_pass_percent,
        );
        let pass2 = number(&mut errors, "stage2_pass_mark", &self.stage2_pass_mark);
        let tolerance = number(
            &mut errors,
            "double_marking_tolerance_percent",
            &self.double_marking_tolerance_percent,
        );
        let step = match self.mark_step.trim() {
            "" => Some(quarter_point()),
            typed => crate::scoring::marks::Mark::parse(
                typed,
                crate::scoring::marks::Scale {
                    max: 1,
                    step_hundredths: 1,
                },
            )
            .ok()
            .map(|m| m.hundredths() as u16)
            .filter(|s| MARK_STEPS.contains(s)),
        };
        if step.is_none() {
            errors.push(FieldError::new("mark_step", Msg::RuleMarkStep));
        }
        let filing = number(
            &mut errors,
            "appeal_filing_working_days",
            &self.appeal_filing_working_days,
        );
        let answer = number(&mut errors, "appeal_answer_days", &self.appeal_answer_days);
        // Left out (an older form): the base version's fee stays.
        let appeal_fee = match self.appeal_fee.trim() {
            "" => Some(base.appeal_fee_dong),
            typed => number::<u32>(&mut errors, "appeal_fee", &typed.replace(['.', ' '], "")),
        };
        let categories = parse_priority_lines(&self.priority_categories)
            .map_err(|m| errors.push(FieldError::new("priority_categories", m)))
            .ok();
        let tiers = parse_fee_lines(&self.fee_tiers)
            .map_err(|m| errors.push(FieldError::new("fee_tiers", m)))
            .ok();
        let (
            Some(minimum_age),
            Some(application_window_days),
            Some(stage1_questions),
            Some(stage1_minutes),
            Some(stage1_pass_percent),
            Some(stage2_pass_mark),
            Some(double_marking_tolerance_percent),
            Some(mark_step_hundredths),
            Some(appeal_filing_working_days),
            Some(appeal_answer_days),
            Some(appeal_fee_dong),
            Some(priority_categories),
            Some(fee_tiers),
        ) = (
            minimum_age,
            window,
            questions,
            minutes,
            pass1,
            pass2,
            tolerance,
            step,
            filing,
            answer,
            appeal_fee,
            categories,
            tiers,
        )
        else {
            return Err(AppError::Invalid(errors));
        };
        let params = RuleParams {
            minimum_age,
            application_window_days,
            stage1_questions,
            stage1_minutes,
            stage1_pass_percent,
            stage1_foreign_language: self.stage1_foreign_language,
            stage2_pass_mark,
            priority_categories,
            tie_break: base.tie_break.clone(),
            double_marking_tolerance_percent,
            mark_step_hundredths,
            appeal_filing_working_days,
            appeal_answer_days,
            appeal_fee_dong,
            fee_tiers,
            tests_by_rank: base.tests_by_rank,
            circular_22_marking: base.circular_22_marking,
            application_is_form_alone: base.application_is_form_alone,
            exam_scores_published_first: base.exam_scores_published_first,
            notice_change_by_head: base.notice_change_by_head,
            after_selection: base.after_selection,
            sequence: base.sequence,
        };
        params.validate().map_err(|problems| {
            AppError::Invalid(
                problems
                    .into_iter()
                    .map(|msg| {
                        let field = match msg {
                            Msg::RuleMinimumAge => "minimum_age",
                            Msg::RuleStage1Pass => "stage1_pass_percent",
                            Msg::RuleStage2Pass => "stage2_pass_mark",
                            Msg::RuleTolerance => "double_marking_tolerance_percent",
                            Msg::RuleMarkStep => "mark_step",
                            Msg::RuleAppealWindow => "appeal_filing_working_days",
                            Msg::RulePriorityCategories => "priority_categories",
                            Msg::RuleFeeTiers => "fee_tiers",
                            _ => "rule_set",
                        };
                        FieldError::new(field, msg)
                    })
                    .collect(),
            )
        })?;
        Ok(params)
    }

    /// The form filled with an existing version's values.
    pub fn from_params(params: &RuleParams) -> RuleSetForm {
        RuleSetForm {
            minimum_age: params.minimum_age.to_string(),
            application_window_days: params.application_window_days.to_string(),
            stage1_questions: params.stage1_questions.to_string(),
            stage1_minutes: params.stage1_minutes.to_string(),
            stage1_pass_percent: params.stage1_pass_percent.to_string(),
            stage1_foreign_language: params.stage1_foreign_language,
            stage2_pass_mark: params.stage2_pass_mark.to_string(),
            double_marking_tolerance_percent: params.double_marking_tolerance_percent.to_string(),
            mark_step: crate::scoring::marks::Mark::from_hundredths(u32::from(
                params.mark_step_hundredths,
            ))
            .display(','),
            appeal_filing_working_days: params.appeal_filing_working_days.to_string(),
            appeal_answer_days: params.appeal_answer_days.to_string(),
            appeal_fee: params.appeal_fee_dong.to_string(),
            priority_categories: priority_lines(&params.priority_categories),
            fee_tiers: fee_lines(&params.fee_tiers),
        }
    }
}

/// Points in tenths shown the Vietnamese way: 75 → "7,5"; 50 → "5".
pub fn format_points(tenths: u16) -> String {
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

/// Money in đồng with dot thousands separators: 500000 → "500.000 đ".
pub fn format_dong(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{out} đ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decree 170/2025 Art 6 as amended by Decree 300/2026: every category that applies is
    /// declared, and only the highest counts (the 1.5-point category included).
    #[test]
    fn only_the_highest_declared_category_counts() {
        let rules = RuleParams::decree_170_2025_as_amended();
        let codes = |cs: &[&str]| cs.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let (declared, counting) = rules
            .declared_priorities(&codes(&[
                "can_bo_cong_doan",
                "xuat_ngu_thanh_nien_xung_phong",
                "can_bo_cong_doan",
                " ",
            ]))
            .unwrap();
        assert_eq!(
            declared,
            codes(&["xuat_ngu_thanh_nien_xung_phong", "can_bo_cong_doan"])
        );
        assert_eq!(counting.as_deref(), Some("xuat_ngu_thanh_nien_xung_phong"));
        assert_eq!(rules.priority_points_tenths(&["can_bo_cong_doan"]), 15);
        assert_eq!(
            rules.priority_points_tenths(&["can_bo_cong_doan", "anh_hung_thuong_binh"]),
            75
        );
        assert_eq!(rules.declared_priorities(&[]).unwrap(), (vec![], None));
        assert_eq!(
            rules.declared_priorities(&codes(&["khong_co"])),
            Err(Msg::ErrChooseOne)
        );
    }

    #[test]
    fn shipped_rule_sets_are_valid() {
        assert_eq!(RuleParams::decree_170_2025().validate(), Ok(()));
        assert_eq!(RuleParams::decree_138_2020().validate(), Ok(()));
    }

    #[test]
    fn fee_follows_the_number_of_candidates() {
        let rules = RuleParams::decree_170_2025();
        for (candidates, fee) in [
            (0, 500_000),
            (99, 500_000),
            (100, 400_000),
            (499, 400_000),
            (500, 300_000),
            (3_700, 300_000),
        ] {
            assert_eq!(rules.fee_for(candidates), fee, "{candidates} candidates");
        }
    }

    #[test]
    fn only_the_highest_priority_category_counts() {
        let rules = RuleParams::decree_170_2025();
        assert_eq!(rules.priority_points_tenths(&[]), 0);
        assert_eq!(
            rules.priority_points_tenths(&["xuat_ngu_thanh_nien_xung_phong"]),
            25
        );
        assert_eq!(
            rules.priority_points_tenths(&[
                "xuat_ngu_thanh_nien_xung_phong",
                "dan_toc_thieu_so_quan_nhan"
            ]),
            50
        );
        assert_eq!(rules.priority_points_tenths(&["unknown"]), 0);
    }

    #[test]
    fn broken_parameters_are_refused_with_every_reason() {
        let mut rules = RuleParams::decree_170_2025();
        rules.stage2_pass_mark = 0;
        rules.tie_break = vec![TieBreak::HigherStage2Score];
        rules.fee_tiers.swap(0, 2);
        rules.priority_categories[1].code = rules.priority_categories[0].code.clone();
        rules.appeal_filing_working_days = 0;
        assert_eq!(
            rules.validate(),
            Err(vec![
                Msg::RuleStage2Pass,
                Msg::RuleAppealWindow,
                Msg::RulePriorityCategories,
                Msg::RuleTieBreak,
                Msg::RuleFeeTiers
            ])
        );
    }

    #[test]
    fn category_and_fee_lines_round_trip() {
        let rules = RuleParams::decree_170_2025();
        assert_eq!(
            parse_priority_lines(&priority_lines(&rules.priority_categories)),
            Ok(rules.priority_categories.clone())
        );
        assert_eq!(
            parse_fee_lines(&fee_lines(&rules.fee_tiers)),
            Ok(rules.fee_tiers.clone())
        );
        assert_eq!(
            parse_fee_lines("0 | 500.000\n100 | 400 000"),
            Ok(vec![
                FeeTier {
                    from_candidates: 0,
                    fee_dong: 500_000
                },
                FeeTier {
                    from_candidates: 100,
                    fee_dong: 400_000
                }
            ])
        );
        assert_eq!(
            parse_priority_lines("a | 7.5 | Anh hùng").unwrap()[0].points_tenths,
            75
        );
        assert_eq!(
            parse_priority_lines("a | 7,25 | x"),
            Err(Msg::RulePriorityCategories)
        );
        assert_eq!(
            parse_priority_lines("only two | parts"),
            Err(Msg::RulePriorityCategories)
        );
        assert_eq!(parse_fee_lines("x | 1"), Err(Msg::RuleFeeTiers));
    }

    #[test]
    fn the_form_reads_back_a_version_and_reports_each_field() {
        let base = RuleParams::decree_170_2025();
        let form = RuleSetForm::from_params(&base);
        assert_eq!(form.parse(&base), Ok(base.clone()));
        let broken = RuleSetForm {
            minimum_age: "mười tám".into(),
            stage2_pass_mark: "0".into(),
            fee_tiers: "100 | 400000".into(),
            ..form
        };
        let err = broken.parse(&base).unwrap_err();
        assert_eq!(err.for_field("minimum_age"), Some(Msg::ErrNumber));
        let err = RuleSetForm {
            minimum_age: "18".into(),
            ..broken
        }
        .parse(&base)
        .unwrap_err();
        assert_eq!(err.for_field("stage2_pass_mark"), Some(Msg::RuleStage2Pass));
        assert_eq!(err.for_field("fee_tiers"), Some(Msg::RuleFeeTiers));
    }

    #[test]
    fn the_mark_step_divides_a_point() {
        let base = RuleParams::decree_170_2025();
        assert_eq!(base.mark_step_hundredths, 25);
        let with = |step: &str| {
            RuleSetForm {
                mark_step: step.into(),
                ..RuleSetForm::from_params(&base)
            }
            .parse(&base)
        };
        assert_eq!(with("0,5").map(|p| p.mark_step_hundredths), Ok(50));
        assert_eq!(with("").map(|p| p.mark_step_hundredths), Ok(25));
        for bad in ["0,3", "2", "một"] {
            assert_eq!(
                with(bad).unwrap_err().for_field("mark_step"),
                Some(Msg::RuleMarkStep),
                "{bad}"
            );
        }
        // Rule sets stored before the step existed read as quarter points.
        let mut stored = serde_json::to_value(&base).unwrap();
        stored
            .as_object_mut()
            .unwrap()
            .remove("mark_step_hundredths");
        let read: RuleParams = serde_json::from_value(stored).unwrap();
        assert_eq!(read.mark_step_hundredths, 25);
    }

    #[test]
    fn the_appeal_fee_is_read_with_thousand_dots_and_defaults_for_old_rule_sets() {
        let base = RuleParams::decree_170_2025();
        let with = |fee: &str| {
            RuleSetForm {
                appeal_fee: fee.into(),
                ..RuleSetForm::from_params(&base)
            }
            .parse(&base)
        };
        assert_eq!(with("200.000").map(|p| p.appeal_fee_dong), Ok(200_000));
        assert_eq!(with("0").map(|p| p.appeal_fee_dong), Ok(0));
        assert_eq!(with(" ").map(|p| p.appeal_fee_dong), Ok(150_000));
        for bad in ["một trăm", "-5", "150,5"] {
            assert_eq!(
                with(bad).unwrap_err().for_field("appeal_fee"),
                Some(Msg::ErrNumber),
                "{bad}"
            );
        }
        let mut stored = serde_json::to_value(&base).unwrap();
        stored.as_object_mut().unwrap().remove("appeal_fee_dong");
        let read: RuleParams = serde_json::from_value(stored).unwrap();
        assert_eq!(read.appeal_fee_dong, 150_000);
    }

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(format_points(75), "7,5");
        assert_eq!(format_points(50), "5");
        assert_eq!(format_dong(500_000), "500.000 đ");
        assert_eq!(format_dong(1_234_567), "1.234.567 đ");
        assert_eq!(format_dong(0), "0 đ");
    }
}
