//! Rank and method per position, and the tests the law derives from them (Decree 170/2025
//! Art 5, 9 and 11, as amended by Decree 300/2026 Art 2). HR chooses the rank (ngạch), the
//! method (thi tuyển or xét tuyển with its group) and, where the law leaves a choice, the form
//! of the specialised test; everything else follows, and a plan the law does not allow is
//! refused with the reason.
//!
//! | method, rank                         | stage 1                     | stage 2 (choice)                          |
//! |--------------------------------------|-----------------------------|-------------------------------------------|
//! | thi tuyển, nhân viên                 | none                        | oral or practical (Art 9.1)               |
//! | thi tuyển, cán sự / chuyên viên      | computer test (Art 9.2.a)   | written, on computer, written + interview |
//! | thi tuyển, chuyên viên chính         | none (Art 9.3)              | written, on computer, written + interview |
//! | thi tuyển, cao cấp                   | none                        | Đề án (Art 9.4, Decree 300 Art 2)         |
//! | xét tuyển, any rank (one of 3 groups)| checking the conditions     | oral (Art 11)                             |

use crate::i18n::Msg;
use crate::rounds::positions::Stage2Format;
use serde::{Deserialize, Serialize};

/// The rank (ngạch) a position recruits to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rank {
    /// Nhân viên.
    Employee,
    /// Cán sự and equivalents.
    Clerk,
    /// Chuyên viên and equivalents.
    Specialist,
    /// Chuyên viên chính and equivalents.
    PrincipalSpecialist,
    /// Chuyên viên cao cấp / chuyên gia cao cấp.
    SeniorSpecialist,
}

/// How a position recruits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Method {
    /// Thi tuyển: a competitive exam.
    Exam,
    /// Xét tuyển: selection by review, only for one of the groups of Art 5.
    Review(ReviewGroup),
}

/// The groups selection by review is for (Decree 170/2025 Art 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReviewGroup {
    /// Committed to work 5 years or more in an especially disadvantaged area.
    DisadvantagedArea,
    /// Graduates of the cử tuyển scheme returning to their locality.
    NominatedScheme,
    /// Excellent graduates and young scientists under the talent policy.
    Talent,
}

/// What stage 1 is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage1 {
    /// No stage 1: the specialised test is the whole exam.
    None,
    /// A multiple-choice test on computer: 60 questions, 60 minutes, pass ≥ 50% (Art 9.2.a).
    ComputerTest,
    /// Checking the conditions declared on Mẫu 01 (xét tuyển, Art 11.1).
    ConditionsCheck,
}

impl Stage1 {
    /// Whether candidates sit a stage-1 test the portal schedules and scores.
    pub fn is_test(self) -> bool {
        self == Stage1::ComputerTest
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage1::None => "none",
            Stage1::ComputerTest => "computer_test",
            Stage1::ConditionsCheck => "conditions_check",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            Stage1::None => Msg::Stage1None,
            Stage1::ComputerTest => Msg::Stage1ComputerTest,
            Stage1::ConditionsCheck => Msg::Stage1ConditionsCheck,
        }
    }
}

/// A position's rank and method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub rank: Rank,
    pub method: Method,
}

/// Accepts the stored code or the Vietnamese or English name, in any case.
fn find<T: Copy>(
    all: &[T],
    input: &str,
    code: impl Fn(T) -> &'static str,
    msg: impl Fn(T) -> Msg,
) -> Option<T> {
    let input = input.trim().to_lowercase();
    all.iter().copied().find(|&t| {
        let (vi, en) = msg(t).texts();
        input == code(t) || input == vi.to_lowercase() || input == en.to_lowercase()
    })
}

impl Rank {
    pub const ALL: [Rank; 5] = [
        Rank::Employee,
        Rank::Clerk,
        Rank::Specialist,
        Rank::PrincipalSpecialist,
        Rank::SeniorSpecialist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rank::Employee => "nhan_vien",
            Rank::Clerk => "can_su",
            Rank::Specialist => "chuyen_vien",
            Rank::PrincipalSpecialist => "chuyen_vien_chinh",
            Rank::SeniorSpecialist => "chuyen_vien_cao_cap",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            Rank::Employee => Msg::RankEmployee,
            Rank::Clerk => Msg::RankClerk,
            Rank::Specialist => Msg::RankSpecialist,
            Rank::PrincipalSpecialist => Msg::RankPrincipalSpecialist,
            Rank::SeniorSpecialist => Msg::RankSeniorSpecialist,
        }
    }

    pub fn parse(input: &str) -> Option<Rank> {
        find(&Rank::ALL, input, Rank::as_str, Rank::msg)
    }
}

impl ReviewGroup {
    pub const ALL: [ReviewGroup; 3] = [
        ReviewGroup::DisadvantagedArea,
        ReviewGroup::NominatedScheme,
        ReviewGroup::Talent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewGroup::DisadvantagedArea => "vung_kho_khan",
            ReviewGroup::NominatedScheme => "cu_tuyen",
            ReviewGroup::Talent => "tai_nang",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            ReviewGroup::DisadvantagedArea => Msg::GroupDisadvantagedArea,
            ReviewGroup::NominatedScheme => Msg::GroupNominatedScheme,
            ReviewGroup::Talent => Msg::GroupTalent,
        }
    }

    pub fn parse(input: &str) -> Option<ReviewGroup> {
        find(
            &ReviewGroup::ALL,
            input,
            ReviewGroup::as_str,
            ReviewGroup::msg,
        )
    }
}

impl Method {
    /// The stored method: `exam` or `review`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exam => "exam",
            Method::Review(_) => "review",
        }
    }

    pub fn group(self) -> Option<ReviewGroup> {
        match self {
            Method::Exam => None,
            Method::Review(group) => Some(group),
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            Method::Exam => Msg::MethodExam,
            Method::Review(_) => Msg::MethodReview,
        }
    }

    /// From the method as typed (code or name) and the group (code or name; only for review).
    pub fn parse(method: &str, group: &str) -> Result<Method, Msg> {
        let exam = find(
            &[true, false],
            method,
            |e| if e { "exam" } else { "review" },
            |e| {
                if e {
                    Msg::MethodExam
                } else {
                    Msg::MethodReview
                }
            },
        )
        .or_else(|| match method.trim().to_lowercase().as_str() {
            "thi tuyển" | "thi_tuyen" => Some(true),
            "xét tuyển" | "xet_tuyen" => Some(false),
            _ => None,
        })
        .ok_or(Msg::ErrMethod)?;
        match (exam, group.trim().is_empty()) {
            (true, true) => Ok(Method::Exam),
            (true, false) => Err(Msg::ErrPlanGroupOnlyForReview),
            (false, _) => ReviewGroup::parse(group)
                .map(Method::Review)
                .ok_or(Msg::ErrPlanReviewGroup),
        }
    }

    /// From the stored columns.
    pub fn from_stored(method: &str, group: Option<&str>) -> Option<Method> {
        match method {
            "exam" => Some(Method::Exam),
            "review" => group.and_then(ReviewGroup::parse).map(Method::Review),
            _ => None,
        }
    }
}

impl Plan {
    /// Stage 1 as the law derives it.
    pub fn stage1(self) -> Stage1 {
        match (self.method, self.rank) {
            (Method::Review(_), _) => Stage1::ConditionsCheck,
            (Method::Exam, Rank::Clerk | Rank::Specialist) => Stage1::ComputerTest,
            (Method::Exam, _) => Stage1::None,
        }
    }

    /// Checks the stage-2 form HR chose against the law; the written + interview weight is
    /// the law's 70/30 (Art 9.2.b). Returns stage 1, or why the plan is not allowed.
    pub fn check(self, stage2: Stage2Format) -> Result<Stage1, Msg> {
        use Stage2Format as F;
        let allowed = match (self.method, self.rank) {
            // Art 11: the oral examination, whatever the rank.
            (Method::Review(_), _) => matches!(stage2, F::Oral),
            // Art 9.1: one specialised test, oral or practical.
            (Method::Exam, Rank::Employee) => matches!(stage2, F::Oral | F::Practical),
            // Art 9.2.b and 9.3: written on paper or on computer, or written + interview.
            (Method::Exam, Rank::Clerk | Rank::Specialist | Rank::PrincipalSpecialist) => {
                matches!(stage2, F::Written | F::ComputerWritten | F::Combined { .. })
            }
            // Art 9.4 as amended by Decree 300/2026 Art 2: defending a project proposal.
            (Method::Exam, Rank::SeniorSpecialist) => matches!(stage2, F::ProjectDefence),
        };
        if !allowed {
            return Err(match (self.method, self.rank) {
                (Method::Review(_), _) => Msg::ErrPlanReviewOral,
                (Method::Exam, Rank::Employee) => Msg::ErrPlanEmployee,
                (Method::Exam, Rank::SeniorSpecialist) => Msg::ErrPlanSenior,
                (Method::Exam, _) => Msg::ErrPlanSpecialist,
            });
        }
        if let F::Combined { written_percent } = stage2 {
            if written_percent != LAW_WRITTEN_PERCENT {
                return Err(Msg::ErrPlanWeight);
            }
        }
        Ok(self.stage1())
    }
}

/// The written part's share of written + interview (Decree 170/2025 Art 9.2.b: 70% + 30%).
pub const LAW_WRITTEN_PERCENT: u8 = 70;

#[cfg(test)]
mod tests {
    use super::*;
    use Stage2Format as F;

    const REVIEW: Method = Method::Review(ReviewGroup::Talent);
    const W70: F = F::Combined {
        written_percent: 70,
    };

    /// Decree 170/2025 Art 9 and 11 (Art 9.4 as amended by Decree 300/2026 Art 2): every
    /// method, rank and stage-2 form, with what the law says.
    #[test]
    fn the_law_derives_stage_1_and_allows_these_tests() {
        use Rank::*;
        let ok = |s: Stage1| Ok::<Stage1, Msg>(s);
        let table: &[(Method, Rank, F, Result<Stage1, Msg>)] = &[
            (Method::Exam, Employee, F::Oral, ok(Stage1::None)),
            (Method::Exam, Employee, F::Practical, ok(Stage1::None)),
            (
                Method::Exam,
                Employee,
                F::Written,
                Err(Msg::ErrPlanEmployee),
            ),
            (Method::Exam, Employee, W70, Err(Msg::ErrPlanEmployee)),
            (Method::Exam, Clerk, F::Written, ok(Stage1::ComputerTest)),
            (
                Method::Exam,
                Specialist,
                F::Written,
                ok(Stage1::ComputerTest),
            ),
            (
                Method::Exam,
                Specialist,
                F::ComputerWritten,
                ok(Stage1::ComputerTest),
            ),
            (Method::Exam, Specialist, W70, ok(Stage1::ComputerTest)),
            (
                Method::Exam,
                Specialist,
                F::Oral,
                Err(Msg::ErrPlanSpecialist),
            ),
            (
                Method::Exam,
                Specialist,
                F::Interview,
                Err(Msg::ErrPlanSpecialist),
            ),
            (
                Method::Exam,
                Specialist,
                F::ProjectDefence,
                Err(Msg::ErrPlanSpecialist),
            ),
            (
                Method::Exam,
                PrincipalSpecialist,
                F::Written,
                ok(Stage1::None),
            ),
            (Method::Exam, PrincipalSpecialist, W70, ok(Stage1::None)),
            (
                Method::Exam,
                PrincipalSpecialist,
                F::Practical,
                Err(Msg::ErrPlanSpecialist),
            ),
            (
                Method::Exam,
                SeniorSpecialist,
                F::ProjectDefence,
                ok(Stage1::None),
            ),
            (
                Method::Exam,
                SeniorSpecialist,
                F::Written,
                Err(Msg::ErrPlanSenior),
            ),
            (REVIEW, Specialist, F::Oral, ok(Stage1::ConditionsCheck)),
            (REVIEW, Employee, F::Oral, ok(Stage1::ConditionsCheck)),
            (REVIEW, Specialist, F::Written, Err(Msg::ErrPlanReviewOral)),
            (
                REVIEW,
                Specialist,
                F::Interview,
                Err(Msg::ErrPlanReviewOral),
            ),
        ];
        for &(method, rank, stage2, expected) in table {
            assert_eq!(
                Plan { rank, method }.check(stage2),
                expected,
                "{method:?} {rank:?} {stage2:?}"
            );
        }
    }

    /// Art 9.2.b: written 70%, interview 30% — not a choice.
    #[test]
    fn written_and_interview_weigh_70_30() {
        let plan = Plan {
            rank: Rank::Specialist,
            method: Method::Exam,
        };
        assert_eq!(
            plan.check(F::Combined {
                written_percent: 60
            }),
            Err(Msg::ErrPlanWeight)
        );
        assert!(plan.check(W70).is_ok());
    }

    /// Art 5: xét tuyển only for its three groups, each named.
    #[test]
    fn a_review_names_its_group_and_an_exam_has_none() {
        assert_eq!(Method::parse("thi tuyển", ""), Ok(Method::Exam));
        assert_eq!(Method::parse("exam", ""), Ok(Method::Exam));
        assert_eq!(
            Method::parse("xét tuyển", "cu_tuyen"),
            Ok(Method::Review(ReviewGroup::NominatedScheme))
        );
        assert_eq!(Method::parse("review", ""), Err(Msg::ErrPlanReviewGroup));
        assert_eq!(
            Method::parse("exam", "tai_nang"),
            Err(Msg::ErrPlanGroupOnlyForReview)
        );
        assert_eq!(Method::parse("bốc thăm", ""), Err(Msg::ErrMethod));
        for group in ReviewGroup::ALL {
            let method = Method::Review(group);
            assert_eq!(
                Method::from_stored(method.as_str(), method.group().map(ReviewGroup::as_str)),
                Some(method)
            );
        }
        for rank in Rank::ALL {
            assert_eq!(Rank::parse(rank.as_str()), Some(rank));
            assert_eq!(Rank::parse(rank.msg().texts().0), Some(rank));
        }
    }
}
