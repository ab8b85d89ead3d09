//! A round's result as published: every position, its units and quotas, every candidate by
//! number with their scores, rank, outcome and why, and the allocation steps of shared
//! positions. The same value is the draft HR reviews, what the chair approves and, in canonical
//! form (`canonical.rs`), what the digest covers. Field values are plain strings and integers
//! (marks in hundredths) so the published format stays stable and readable.
//!
//! What it holds is what the law makes public (Decree 170/2025 Art 15–19: the exam scores, and
//! the winners by name) and no more: the winners' names, no one's date of birth. Format 1
//! also named every candidate with their date of birth; its published versions stay readable
//! and verifiable, but the portal shows and exports only the winners' names from them too.

use crate::results::ranking::{self, NotSelectedReason, Outcome, PositionRanking, TieBreak};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Names the format, so a verifier knows how to read it.
pub const FORMAT: &str = "ket-qua-tuyen-dung/3";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub round_id: Uuid,
    pub round_name: String,
    pub authority: String,
    pub version: u32,
    /// When the result was computed, RFC 3339 in UTC.
    pub computed_at: String,
    pub stage2_pass_mark: u8,
    pub positions: Vec<PositionResult>,
    /// Every input of the ranking in the `server rank` file format (format 3 on): part scores
    /// after penalties, priority points named by their value, preferences, tie decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking_input: Option<serde_json::Value>,
    /// The ranking in the `server rank` output format, which `server rank --verify`
    /// recomputes from `ranking_input`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionResult {
    pub code: String,
    pub title: String,
    pub units: Vec<UnitResult>,
    /// Eligible candidates in rank order, then everyone else by candidate number.
    pub candidates: Vec<CandidateResult>,
    /// Ties at a boundary still waiting for the authority's decision.
    pub ties: Vec<TieResult>,
    /// How places were given, step by step (positions shared by several units).
    pub steps: Vec<StepResult>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResult {
    pub code: String,
    pub name: String,
    pub quota: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateResult {
    pub number: String,
    /// Winners only (`outcome` = `selected`); absent for everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    pub stage1_passed: bool,
    /// Out of 100, in hundredths; none when absent.
    pub stage2: Option<u32>,
    /// Priority points in hundredths.
    pub priority: u32,
    pub total: Option<u32>,
    pub rank: Option<u32>,
    /// `not_tied`, `higher_stage2`, `higher_written`, `authority_decision`, `shared_rank` or
    /// `undecided`.
    pub tie_break: String,
    /// The authority's decision that placed them, when one did: who, when, document.
    pub decision: Option<String>,
    /// `selected`, `reserve` or `not_selected`.
    pub outcome: String,
    pub unit: Option<String>,
    pub reserve_place: Option<u32>,
    /// Why not selected: `excluded`, `stage1_not_passed`, `absent`, `part_below_half`,
    /// `below_pass_mark`, `undecided_tie`, `no_offered_unit`.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieResult {
    pub unit: String,
    pub places: u32,
    /// Candidate numbers of the tied group.
    pub candidates: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepResult {
    pub number: String,
    pub rank: u32,
    /// Units tried in the candidate's order, each `full`, `taken` or `tied`.
    pub tried: Vec<(String, String)>,
    pub outcome: String,
}

/// What a candidate is called in a result, and the unit codes of a position.
pub struct Names<'a> {
    /// Application id → (candidate number, full name).
    pub candidates: &'a HashMap<Uuid, (String, String)>,
    /// Unit id → code.
    pub units: &'a HashMap<Uuid, String>,
    /// Decision reference → how it is cited.
    pub decisions: &'a HashMap<Uuid, String>,
}

fn reason_code(reason: NotSelectedReason) -> &'static str {
    match reason {
        NotSelectedReason::Excluded => "excluded",
        NotSelectedReason::Stage1NotPassed => "stage1_not_passed",
        NotSelectedReason::Absent => "absent",
        NotSelectedReason::PartBelowHalf => "part_below_half",
        NotSelectedReason::BelowPassMark => "below_pass_mark",
        NotSelectedReason::UndecidedTie => "undecided_tie",
        NotSelectedReason::NoOfferedUnit => "no_offered_unit",
    }
}

/// The published candidates of one ranked position, in the order the list shows them.
pub fn candidates(ranking: &PositionRanking, names: &Names<'_>) -> Vec<CandidateResult> {
    let name = |id: &Uuid| names.candidates.get(id).cloned().unwrap_or_default();
    let unit = |id: &Uuid| names.units.get(id).cloned().unwrap_or_default();
    let mut out: Vec<(u32, u32, CandidateResult)> = ranking
        .explanations
        .iter()
        .map(|e| {
            let (number, full_name) = name(&e.candidate);
            let (tie_break, decision) = match &e.tie_break {
                TieBreak::NotTied => ("not_tied", None),
                TieBreak::HigherStage2Score => ("higher_stage2", None),
                TieBreak::HigherWrittenScore => ("higher_written", None),
                TieBreak::AuthorityDecision { reference } => (
                    "authority_decision",
                    names.decisions.get(reference).cloned(),
                ),
                TieBreak::SharedRank => ("shared_rank", None),
                TieBreak::Undecided => ("undecided", None),
            };
            let (outcome, unit_code, place, reason) = match &e.outcome {
                Outcome::Selected { unit: u } => ("selected", Some(unit(u)), None, None),
                Outcome::Reserve { place } => ("reserve", None, Some(*place), None),
                Outcome::NotSelected(r) => ("not_selected", None, None, Some(reason_code(*r))),
            };
            let result = CandidateResult {
                number,
                full_name: (outcome == "selected").then_some(full_name),
                stage1_passed: e.stage1_passed,
                stage2: e.stage2.map(|m| m.hundredths()),
                priority: e.priority.hundredths(),
                total: e.total.map(|m| m.hundredths()),
                rank: e.rank,
                tie_break: tie_break.to_string(),
                decision,
                outcome: outcome.to_string(),
                unit: unit_code,
                reserve_place: place,
                reason: reason.map(str::to_string),
            };
            (e.rank.unwrap_or(u32::MAX), e.number, result)
        })
        .collect();
    out.sort_by_key(|a| (a.0, a.1));
    out.into_iter().map(|(_, _, r)| r).collect()
}

pub fn ties(ranking: &PositionRanking, names: &Names<'_>) -> Vec<TieResult> {
    ranking
        .ties_needing_decision
        .iter()
        .map(|t| TieResult {
            unit: names.units.get(&t.unit).cloned().unwrap_or_default(),
            places: t.places,
            candidates: t
                .candidates
                .iter()
                .map(|c| {
                    names
                        .candidates
                        .get(c)
                        .map(|n| n.0.clone())
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect()
}

pub fn steps(ranking: &PositionRanking, names: &Names<'_>) -> Vec<StepResult> {
    ranking
        .steps
        .iter()
        .map(|s| StepResult {
            number: names
                .candidates
                .get(&s.candidate)
                .map(|n| n.0.clone())
                .unwrap_or_default(),
            rank: s.rank,
            tried: s
                .tried
                .iter()
                .map(|t| {
                    let result = match t.result {
                        ranking::TryResult::Full => "full",
                        ranking::TryResult::Taken => "taken",
                        ranking::TryResult::Tied => "tied",
                    };
                    (
                        names.units.get(&t.unit).cloned().unwrap_or_default(),
                        result.to_string(),
                    )
                })
                .collect(),
            outcome: match &s.outcome {
                Outcome::Selected { .. } => "selected",
                Outcome::Reserve { .. } => "reserve",
                Outcome::NotSelected(_) => "not_selected",
            }
            .to_string(),
        })
        .collect()
}

impl Snapshot {
    /// The snapshot as the public may see it: a version published in format 1 named every
    /// candidate; only the winners' names are shown from it.
    pub fn public(mut self) -> Snapshot {
        for c in self
            .positions
            .iter_mut()
            .flat_map(|p| p.candidates.iter_mut())
        {
            if c.outcome != "selected" {
                c.full_name = None;
            }
        }
        self
    }

    /// Whether the result may be published: no tie at a boundary waits for a decision.
    pub fn publishable(&self) -> bool {
        self.positions.iter().all(|p| p.ties.is_empty())
    }
}

/// What changed for one candidate between two published versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub position: String,
    pub number: String,
    /// Named when a winner in either version.
    pub full_name: Option<String>,
    pub old_stage2: Option<u32>,
    pub new_stage2: Option<u32>,
    pub old_total: Option<u32>,
    pub new_total: Option<u32>,
    /// Outcome codes with the unit or reserve place, e.g. `selected SGDDT`, `reserve 2`.
    pub old_outcome: String,
    pub new_outcome: String,
}

fn outcome_line(c: &CandidateResult) -> String {
    match (c.outcome.as_str(), &c.unit, c.reserve_place) {
        ("selected", Some(unit), _) => format!("selected {unit}"),
        ("reserve", _, Some(place)) => format!("reserve {place}"),
        (outcome, _, _) => outcome.to_string(),
    }
}

/// Every candidate whose score, total or outcome differs between `old` and `new` (a
/// republication after appeals), by position and candidate number.
pub fn changes(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let before: HashMap<(&str, &str), &CandidateResult> = old
        .positions
        .iter()
        .flat_map(|p| {
            p.candidates
                .iter()
                .map(move |c| ((p.code.as_str(), c.number.as_str()), c))
        })
        .collect();
    let mut out: Vec<Change> = new
        .positions
        .iter()
        .flat_map(|p| p.candidates.iter().map(move |c| (p, c)))
        .filter_map(|(p, c)| {
            let was = before.get(&(p.code.as_str(), c.number.as_str()))?;
            let changed = was.stage2 != c.stage2
                || was.total != c.total
                || outcome_line(was) != outcome_line(c);
            changed.then(|| Change {
                position: p.code.clone(),
                number: c.number.clone(),
                full_name: c.full_name.clone().or_else(|| was.full_name.clone()),
                old_stage2: was.stage2,
                new_stage2: c.stage2,
                old_total: was.total,
                new_total: c.total,
                old_outcome: outcome_line(was),
                new_outcome: outcome_line(c),
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.position, &a.number).cmp(&(&b.position, &b.number)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(
        number: &str,
        stage2: u32,
        outcome: &str,
        unit: Option<&str>,
        place: Option<u32>,
    ) -> CandidateResult {
        CandidateResult {
            number: number.into(),
            full_name: (outcome == "selected").then(|| format!("Thí sinh {number}")),
            stage1_passed: true,
            stage2: Some(stage2),
            priority: 0,
            total: Some(stage2),
            rank: Some(1),
            tie_break: "not_tied".into(),
            decision: None,
            outcome: outcome.into(),
            unit: unit.map(str::to_string),
            reserve_place: place,
            reason: None,
        }
    }

    fn snapshot(candidates: Vec<CandidateResult>) -> Snapshot {
        Snapshot {
            format: FORMAT.into(),
            round_id: Uuid::nil(),
            round_name: "Kỳ thi".into(),
            authority: "UBND".into(),
            version: 1,
            computed_at: "2027-01-01T00:00:00Z".into(),
            stage2_pass_mark: 50,
            positions: vec![PositionResult {
                code: "KT-01".into(),
                title: "Kế toán".into(),
                units: vec![],
                candidates,
                ties: vec![],
                steps: vec![],
            }],
            ranking_input: None,
            ranking: None,
        }
    }

    #[test]
    fn an_appeal_that_swaps_the_winner_lists_both_candidates() {
        let before = snapshot(vec![
            candidate("A-1", 7600, "selected", Some("STC"), None),
            candidate("A-2", 7100, "reserve", None, Some(1)),
            candidate("A-3", 6000, "reserve", None, Some(2)),
        ]);
        let after = snapshot(vec![
            candidate("A-2", 7800, "selected", Some("STC"), None),
            candidate("A-1", 7600, "reserve", None, Some(1)),
            candidate("A-3", 6000, "reserve", None, Some(2)),
        ]);
        let list = changes(&before, &after);
        assert_eq!(list.len(), 2, "{list:?}");
        assert_eq!(list[0].number, "A-1");
        assert_eq!(
            (list[0].old_outcome.as_str(), list[0].new_outcome.as_str()),
            ("selected STC", "reserve 1")
        );
        assert_eq!(
            (list[1].old_stage2, list[1].new_stage2),
            (Some(7100), Some(7800))
        );
        assert!(changes(&before, &before).is_empty());
    }
}
