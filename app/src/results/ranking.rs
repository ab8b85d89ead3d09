//! The ranking rules of the results stage, pure: who is eligible, the order within a position,
//! the tie-break, the allocation of places honouring preferences, the reserve list, and why
//! each candidate stands where they stand. Each position is ranked on its own.
//!
//! The decisions, in one place:
//! - **Eligible** (Decree 170/2025 Art 10): stage 1 passed, not excluded, every part of the
//!   test sat, for written + interview each part at least half its maximum, and the stage-2
//!   (specialised) score alone, without priority points, at least the pass mark. A candidate
//!   failing several checks is reported with the first of: excluded, stage 1 not passed,
//!   absent, a part below half, below the pass mark.
//! - **Total** = stage-2 score + priority points, in hundredths (7.5 points = 75 tenths = 750).
//! - **Order** (Art 10.2): total, then the higher stage-2 score, then for written + interview
//!   the higher written score, then, for candidates still equal, a recorded decision of the
//!   head naming exactly that group (a later decision for the same group replaces an earlier
//!   one). Ranks are competition ranks: candidates still equal share a rank and the next rank
//!   skips (1, 2, 2, 4); a decision gives them distinct ranks.
//! - **Allocation**: down the order, each candidate takes the first unit in their preferences
//!   that still has a place; with no such unit they are not selected.
//! - **Boundary tie**: a group still equal matters only when some unit has fewer places left than
//!   group members for whom it is the first preferred unit with a place left. Exactly then the
//!   outcome depends on their order; in every other case each member gets the same unit in any
//!   order, so nothing is flagged. At a boundary tie the whole group is undecided: one
//!   `TieNeedsDecision` per contested unit, nobody in the group selected, every place they could
//!   take held back from lower-ranked candidates, and publication blocked until a decision is
//!   recorded (with one unit the rest of the ranking is then already final; with several units
//!   lower-ranked outcomes are provisional).
//! - **Reserve list**: every eligible candidate not selected, in order, numbered from 1 with no
//!   length limit, except an undecided group and candidates naming no unit of the position.
//! - Output never depends on input order: candidates still equal are listed by candidate number,
//!   then id.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::scoring::marks::Mark;

/// One candidate of a position, as the ranking needs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: Uuid,
    /// The candidate number: lists candidates who stay equal in a stable order.
    pub number: u32,
    pub stage1_passed: bool,
    /// The stage-2 (specialised) score out of 100 after penalties; `None` when a part of the
    /// test was not sat.
    pub stage2: Option<Mark>,
    /// For a written + interview test, the written part out of 100: the second tie-break.
    pub written: Option<Mark>,
    /// For a written + interview test, a part under half its maximum (Art 10.1).
    pub part_below_half: bool,
    /// Points of the highest priority category in tenths (7.5 points is 75); 0 for none.
    pub priority_tenths: u16,
    /// Disqualified, for example for breaking the exam rules.
    pub excluded: bool,
    /// Units in order of preference. Empty means the only unit when the position has one;
    /// units not offered by the position are ignored.
    pub preferences: Vec<Uuid>,
}

/// The recruiting authority's recorded order for a group of candidates still equal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieDecision {
    /// The recorded decision, carried into the explanations.
    pub reference: Uuid,
    /// The tied candidates, best first. It applies only to a group of exactly these candidates.
    pub order: Vec<Uuid>,
}

/// Everything the ranking of one position produces.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionRanking {
    /// Selected candidates in allocation order.
    pub selected: Vec<Selection>,
    /// Eligible candidates not selected, the fallback list, best first.
    pub reserve: Vec<ReserveEntry>,
    /// Boundary ties waiting for a decision; nothing may be published while any remain.
    pub ties_needing_decision: Vec<TieNeedsDecision>,
    /// One step per eligible candidate, in allocation order.
    pub steps: Vec<Step>,
    /// One per candidate: the eligible in allocation order, then the others by number.
    pub explanations: Vec<Explanation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub candidate: Uuid,
    pub unit: Uuid,
    pub rank: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveEntry {
    /// 1 for the first candidate to fall back on.
    pub place: u32,
    pub candidate: Uuid,
    pub rank: u32,
}

/// A group still equal that competes for fewer places than its members in `unit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieNeedsDecision {
    /// The whole tied group by candidate number: a decision must order exactly these.
    pub candidates: Vec<Uuid>,
    pub unit: Uuid,
    /// Places the unit had left when the group's turn came.
    pub places: u32,
}

/// One candidate's turn in the allocation, for the transparent allocation table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub candidate: Uuid,
    pub rank: u32,
    /// The units looked at, in the candidate's order of preference.
    pub tried: Vec<Tried>,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tried {
    pub unit: Uuid,
    pub result: TryResult,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TryResult {
    /// No place left when the candidate's turn came.
    Full,
    /// The candidate took a place here.
    Taken,
    /// A place here depends on a decision about the candidate's tie.
    Tied,
}

/// Why a candidate ranks and ends where they do: structured, worded later by the dictionary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub candidate: Uuid,
    pub number: u32,
    pub stage1_passed: bool,
    pub stage2: Option<Mark>,
    pub priority: Mark,
    /// Stage-2 score + priority points; `None` without a stage-2 score.
    pub total: Option<Mark>,
    /// Only for eligible candidates.
    pub rank: Option<u32>,
    pub tie_break: TieBreak,
    pub outcome: Outcome,
}

/// The last rule needed to place a candidate among those with an equal total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TieBreak {
    /// No other eligible candidate has the same total (or the candidate is not ranked).
    NotTied,
    /// Equal totals, separated by the higher stage-2 score.
    HigherStage2Score,
    /// Equal totals and stage-2 scores, separated by the higher written score.
    HigherWrittenScore,
    /// Still equal; the recorded decision ordered them.
    AuthorityDecision { reference: Uuid },
    /// Still equal, sharing a rank; their order changes no one's outcome.
    SharedRank,
    /// Still equal at a boundary; waiting for a decision.
    Undecided,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Selected { unit: Uuid },
    Reserve { place: u32 },
    NotSelected(NotSelectedReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotSelectedReason {
    Excluded,
    Stage1NotPassed,
    /// No stage-2 score: a part of the test not sat.
    Absent,
    /// Written + interview with a part under half its maximum.
    PartBelowHalf,
    BelowPassMark,
    /// In a boundary tie waiting for a decision.
    UndecidedTie,
    /// Eligible, but none of their preferences is a unit of this position.
    NoOfferedUnit,
}

impl PositionRanking {
    /// Results may be published only when no boundary tie waits for a decision.
    pub fn can_publish(&self) -> bool {
        self.ties_needing_decision.is_empty()
    }

    pub fn explanation(&self, candidate: Uuid) -> Option<&Explanation> {
        self.explanations.iter().find(|e| e.candidate == candidate)
    }
}

/// Ranks one position: `units` are its units with their quotas, `stage2_pass_mark` is out of
/// 100, `decisions` are the recorded tie decisions, oldest first (they may cover other positions).
pub fn rank_position(
    units: &[(Uuid, u32)],
    candidates: &[Candidate],
    stage2_pass_mark: u8,
    decisions: &[TieDecision],
) -> PositionRanking {
    let pass_mark = Mark::from_hundredths(u32::from(stage2_pass_mark) * 100);
    let mut allocation = Allocation {
        places: Places::new(units),
        out: PositionRanking::default(),
    };
    let mut eligible = Vec::new();
    let mut ineligible = Vec::new();
    for candidate in candidates {
        match eligibility(candidate, pass_mark) {
            Ok(stage2) => eligible.push(Eligible {
                candidate,
                stage2,
                total: total(candidate).unwrap_or(stage2),
                wants: allocation.places.wanted_by(candidate),
            }),
            Err(reason) => ineligible.push((candidate, reason)),
        }
    }
    eligible.sort_unstable_by(|a, b| {
        (b.key().cmp(&a.key())).then_with(|| stable_key(a.candidate).cmp(&stable_key(b.candidate)))
    });
    let mut decided: HashMap<Vec<Uuid>, &TieDecision> = HashMap::new();
    for decision in decisions {
        decided.insert(sorted(decision.order.clone()), decision);
    }

    let mut start = 0;
    while start < eligible.len() {
        let first = &eligible[start];
        let same_key = |e: &&Eligible| e.key() == first.key();
        let end = start + eligible[start..].iter().take_while(same_key).count();
        let group = &eligible[start..end];
        let rank = rank_at(start);
        if let [only] = group {
            let neighbours = [
                start.checked_sub(1).map(|i| &eligible[i]),
                eligible.get(end),
            ];
            let equal = |e: &&Eligible| e.total == only.total;
            let equal_total: Vec<&Eligible> =
                neighbours.into_iter().flatten().filter(equal).collect();
            // The last rule needed to separate the candidate from those with an equal total.
            let tie_break = if equal_total.iter().any(|e| e.stage2 == only.stage2) {
                TieBreak::HigherWrittenScore
            } else if equal_total.is_empty() {
                TieBreak::NotTied
            } else {
                TieBreak::HigherStage2Score
            };
            allocation.allocate(only, rank, tie_break);
        } else if let Some(decision) = decision_for(group, &decided) {
            let place_in: HashMap<Uuid, usize> = (decision.order.iter().enumerate())
                .map(|(i, id)| (*id, i))
                .collect();
            let mut ordered: Vec<&Eligible> = group.iter().collect();
            ordered.sort_by_key(|e| place_in.get(&e.candidate.id));
            let reference = decision.reference;
            for (i, e) in ordered.into_iter().enumerate() {
                let tie_break = TieBreak::AuthorityDecision { reference };
                allocation.allocate(e, rank_at(start + i), tie_break);
            }
        } else {
            let contested = allocation.contested(group);
            if contested.is_empty() {
                for e in group {
                    allocation.allocate(e, rank, TieBreak::SharedRank);
                }
            } else {
                allocation.leave_undecided(group, rank, contested);
            }
        }
        start = end;
    }

    ineligible.sort_unstable_by_key(|(c, _)| stable_key(c));
    let mut out = allocation.out;
    for (candidate, reason) in ineligible {
        let outcome = Outcome::NotSelected(reason);
        out.explanations
            .push(explain(candidate, None, TieBreak::NotTied, outcome));
    }
    out
}

/// The stage-2 score of an eligible candidate, or why they are not eligible.
fn eligibility(candidate: &Candidate, pass_mark: Mark) -> Result<Mark, NotSelectedReason> {
    if candidate.excluded {
        return Err(NotSelectedReason::Excluded);
    }
    if !candidate.stage1_passed {
        return Err(NotSelectedReason::Stage1NotPassed);
    }
    match candidate.stage2 {
        None => Err(NotSelectedReason::Absent),
        Some(_) if candidate.part_below_half => Err(NotSelectedReason::PartBelowHalf),
        Some(stage2) if stage2 < pass_mark => Err(NotSelectedReason::BelowPassMark),
        Some(stage2) => Ok(stage2),
    }
}

fn priority(candidate: &Candidate) -> Mark {
    Mark::from_hundredths(u32::from(candidate.priority_tenths) * 10)
}

fn total(candidate: &Candidate) -> Option<Mark> {
    let priority = priority(candidate).hundredths();
    (candidate.stage2).map(|s| Mark::from_hundredths(s.hundredths().saturating_add(priority)))
}

fn stable_key(candidate: &Candidate) -> (u32, Uuid) {
    (candidate.number, candidate.id)
}

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort_unstable();
    ids
}

/// The recorded decision about exactly this group of candidates still equal, if any.
fn decision_for<'d>(
    group: &[Eligible],
    decided: &HashMap<Vec<Uuid>, &'d TieDecision>,
) -> Option<&'d TieDecision> {
    if decided.is_empty() {
        return None;
    }
    let members = sorted(group.iter().map(|e| e.candidate.id).collect());
    decided.get(&members).copied()
}

/// The rank of the candidate at 0-based index `index` of the order.
fn rank_at(index: usize) -> u32 {
    u32::try_from(index).map_or(u32::MAX, |i| i.saturating_add(1))
}

fn explain(
    candidate: &Candidate,
    rank: Option<u32>,
    tie_break: TieBreak,
    outcome: Outcome,
) -> Explanation {
    Explanation {
        candidate: candidate.id,
        number: candidate.number,
        stage1_passed: candidate.stage1_passed,
        stage2: candidate.stage2,
        priority: priority(candidate),
        total: total(candidate),
        rank,
        tie_break,
        outcome,
    }
}

struct Eligible<'a> {
    candidate: &'a Candidate,
    stage2: Mark,
    total: Mark,
    /// The candidate's preferences that are units of this position, without repeats.
    wants: Vec<Uuid>,
}

impl Eligible<'_> {
    /// What the order compares, best first: candidates with equal keys are still equal.
    fn key(&self) -> (Mark, Mark, Option<Mark>) {
        (self.total, self.stage2, self.candidate.written)
    }
}

/// Places left per unit, sorted by unit id; quotas listed twice for one unit are added up.
struct Places(Vec<(Uuid, u32)>);

impl Places {
    fn new(units: &[(Uuid, u32)]) -> Places {
        let mut left = units.to_vec();
        left.sort_unstable_by_key(|&(unit, _)| unit);
        left.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 = kept.1.saturating_add(later.1);
            }
            same
        });
        Places(left)
    }

    fn index(&self, unit: Uuid) -> Option<usize> {
        self.0.binary_search_by_key(&unit, |&(u, _)| u).ok()
    }

    fn left(&self, unit: Uuid) -> u32 {
        self.index(unit).map_or(0, |i| self.0[i].1)
    }

    fn take(&mut self, unit: Uuid, places: u32) {
        if let Some(i) = self.index(unit) {
            self.0[i].1 = self.0[i].1.saturating_sub(places);
        }
    }

    fn wanted_by(&self, candidate: &Candidate) -> Vec<Uuid> {
        if let ([], [(only, _)]) = (candidate.preferences.as_slice(), self.0.as_slice()) {
            return vec![*only];
        }
        let mut wants = Vec::with_capacity(candidate.preferences.len());
        for &unit in &candidate.preferences {
            if self.index(unit).is_some() && !wants.contains(&unit) {
                wants.push(unit);
            }
        }
        wants
    }

    /// The first unit the candidate wants that still has a place.
    fn first_open(&self, e: &Eligible) -> Option<Uuid> {
        e.wants.iter().copied().find(|&unit| self.left(unit) > 0)
    }
}

/// Adds one to `unit`'s count in a small list of counts.
fn count(counts: &mut Vec<(Uuid, u32)>, unit: Uuid) {
    match counts.iter_mut().find(|(u, _)| *u == unit) {
        Some((_, n)) => *n += 1,
        None => counts.push((unit, 1)),
    }
}

struct Allocation {
    places: Places,
    out: PositionRanking,
}

impl Allocation {
    /// Gives the candidate the first unit in their preferences with a place left.
    fn allocate(&mut self, e: &Eligible, rank: u32, tie_break: TieBreak) {
        let candidate = e.candidate.id;
        let taken = self.places.first_open(e);
        let tried = tried_until(e, taken, TryResult::Taken);
        let outcome = match taken {
            Some(unit) => {
                self.places.take(unit, 1);
                let selection = Selection {
                    candidate,
                    unit,
                    rank,
                };
                self.out.selected.push(selection);
                Outcome::Selected { unit }
            }
            None if e.wants.is_empty() => Outcome::NotSelected(NotSelectedReason::NoOfferedUnit),
            None => {
                let place = rank_at(self.out.reserve.len());
                let entry = ReserveEntry {
                    place,
                    candidate,
                    rank,
                };
                self.out.reserve.push(entry);
                Outcome::Reserve { place }
            }
        };
        self.record(e, rank, tried, tie_break, outcome);
    }

    /// The units, with the places they have left, that more members of a group still equal
    /// want first than there are places: exactly where the members' order would matter.
    fn contested(&self, group: &[Eligible]) -> Vec<(Uuid, u32)> {
        let mut first_choices = Vec::new();
        for e in group {
            if let Some(unit) = self.places.first_open(e) {
                count(&mut first_choices, unit);
            }
        }
        let mut contested: Vec<(Uuid, u32)> = (first_choices.into_iter())
            .filter(|&(unit, wanting)| wanting > self.places.left(unit))
            .map(|(unit, _)| (unit, self.places.left(unit)))
            .collect();
        contested.sort_unstable();
        contested
    }

    /// A boundary tie without a decision: nobody in the group is selected, and every place
    /// they could take is held so that no lower-ranked candidate gets it meanwhile.
    fn leave_undecided(&mut self, group: &[Eligible], rank: u32, contested: Vec<(Uuid, u32)>) {
        let candidates: Vec<Uuid> = group.iter().map(|e| e.candidate.id).collect();
        for (unit, places) in contested {
            let candidates = candidates.clone();
            let tie = TieNeedsDecision {
                candidates,
                unit,
                places,
            };
            self.out.ties_needing_decision.push(tie);
        }
        let mut could_take = Vec::new();
        for e in group {
            let tried = tried_until(e, self.places.first_open(e), TryResult::Tied);
            let outcome = Outcome::NotSelected(NotSelectedReason::UndecidedTie);
            self.record(e, rank, tried, TieBreak::Undecided, outcome);
            for &unit in &e.wants {
                count(&mut could_take, unit);
            }
        }
        for (unit, members) in could_take {
            self.places.take(unit, members);
        }
    }

    fn record(
        &mut self,
        e: &Eligible,
        rank: u32,
        tried: Vec<Tried>,
        tie_break: TieBreak,
        outcome: Outcome,
    ) {
        let candidate = e.candidate.id;
        let explanation = explain(e.candidate, Some(rank), tie_break, outcome.clone());
        self.out.explanations.push(explanation);
        self.out.steps.push(Step {
            candidate,
            rank,
            tried,
            outcome,
        });
    }
}

/// The units looked at before `stop` (all of them full), then `stop` itself with `result`;
/// every unit wanted, all full, when there is no `stop`.
fn tried_until(e: &Eligible, stop: Option<Uuid>, result: TryResult) -> Vec<Tried> {
    let mut tried = Vec::new();
    for &unit in &e.wants {
        if Some(unit) == stop {
            tried.push(Tried { unit, result });
            break;
        }
        let result = TryResult::Full;
        tried.push(Tried { unit, result });
    }
    tried
}

#[cfg(test)]
#[path = "ranking_tests.rs"]
mod tests;
