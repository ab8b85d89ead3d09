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
    pub appeal_filing_working_days: u8,
    pub appeal_answer_days: u8,
    pub fee_tiers: Vec<FeeTier>,
}

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

    /// The fee each candidate pays when the round has `candidates` candidates.
    pub fn fee_for(&self, candidates: u32) -> u64 {
        self.fee_tiers
            .iter()
            .rev()
            .find(|t| candidates >= t.from_candidates)
            .map_or(0, |t| t.fee_dong)
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
            appeal_filing_working_days: 5,
            appeal_answer_days: 15,
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
        assert_eq!(
            rules.validate(),
            Err(vec![
                Msg::RuleStage2Pass,
                Msg::RulePriorityCategories,
                Msg::RuleTieBreak,
                Msg::RuleFeeTiers
            ])
        );
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
