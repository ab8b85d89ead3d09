//! Penalties for breaking the exam rules (Circular 22/2025), pure: the four kinds and what a
//! confirmed one does to the candidate's result.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PenaltyKind {
    /// Khiển trách: 25 % off that test's score.
    Reprimand,
    /// Cảnh cáo: 50 % off that test's score.
    Warning,
    /// Đình chỉ thi: that test annulled, no further tests.
    Suspension,
    /// Hủy kết quả thi.
    Annulment,
}

/// What a confirmed penalty does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// This share of the test's score is deducted, before anything else.
    Deduct(u8),
    /// The candidate has no result in the round.
    Voids,
}

impl PenaltyKind {
    pub const ALL: [PenaltyKind; 4] = [
        PenaltyKind::Reprimand,
        PenaltyKind::Warning,
        PenaltyKind::Suspension,
        PenaltyKind::Annulment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyKind::Reprimand => "reprimand",
            PenaltyKind::Warning => "warning",
            PenaltyKind::Suspension => "suspension",
            PenaltyKind::Annulment => "annulment",
        }
    }

    pub fn parse(value: &str) -> Option<PenaltyKind> {
        PenaltyKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn msg(self) -> Msg {
        match self {
            PenaltyKind::Reprimand => Msg::PenaltyReprimand,
            PenaltyKind::Warning => Msg::PenaltyWarning,
            PenaltyKind::Suspension => Msg::PenaltySuspension,
            PenaltyKind::Annulment => Msg::PenaltyAnnulment,
        }
    }

    /// Circular 22/2025: a reprimand deducts 25 %, a warning 50 % of that test's score (or
    /// correct answers); a suspension annuls the test and bars the later ones, so the
    /// candidate cannot have a result; an annulment voids it.
    pub fn effect(self) -> Effect {
        match self {
            PenaltyKind::Reprimand => Effect::Deduct(25),
            PenaltyKind::Warning => Effect::Deduct(50),
            PenaltyKind::Suspension | PenaltyKind::Annulment => Effect::Voids,
        }
    }
}

/// The chair's decision on a recorded penalty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PenaltyDecision {
    Confirmed,
    Dismissed,
}

impl PenaltyDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyDecision::Confirmed => "confirmed",
            PenaltyDecision::Dismissed => "dismissed",
        }
    }

    pub fn parse(value: &str) -> Option<PenaltyDecision> {
        [PenaltyDecision::Confirmed, PenaltyDecision::Dismissed]
            .into_iter()
            .find(|d| d.as_str() == value)
    }
}

/// A recorded penalty as HR and the chair see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyView {
    pub id: uuid::Uuid,
    pub candidate_number: String,
    pub full_name: String,
    pub position_code: String,
    pub stage: i16,
    pub kind: PenaltyKind,
    pub report: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub decision: Option<PenaltyDecision>,
    pub decision_note: Option<String>,
}

/// A round's penalties, and whether the caller (the round's chair) decides them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundPenalties {
    pub can_decide: bool,
    pub penalties: Vec<PenaltyView>,
}

/// The most severe confirmed penalty's effect on a candidate (several may be recorded):
/// voiding beats any deduction, and the larger deduction counts.
pub fn combined_effect(confirmed: &[PenaltyKind]) -> Option<Effect> {
    confirmed
        .iter()
        .map(|k| k.effect())
        .max_by_key(|e| match e {
            Effect::Voids => u16::MAX,
            Effect::Deduct(p) => u16::from(*p),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Circular 22/2025 (penalties on candidates): reprimand −25 %, warning −50 %, suspension
    /// and annulment leave no result; the most severe confirmed one counts.
    #[test]
    fn each_penalty_has_its_effect_and_the_most_severe_counts() {
        let table = [
            (PenaltyKind::Reprimand, Effect::Deduct(25)),
            (PenaltyKind::Warning, Effect::Deduct(50)),
            (PenaltyKind::Suspension, Effect::Voids),
            (PenaltyKind::Annulment, Effect::Voids),
        ];
        for (kind, effect) in table {
            assert_eq!(kind.effect(), effect);
            assert_eq!(PenaltyKind::parse(kind.as_str()), Some(kind));
        }
        use PenaltyKind::*;
        assert_eq!(combined_effect(&[]), None);
        assert_eq!(
            combined_effect(&[Reprimand, Warning]),
            Some(Effect::Deduct(50))
        );
        assert_eq!(combined_effect(&[Warning, Suspension]), Some(Effect::Voids));
    }
}
