//! A whole round's ranking from its inputs alone: every position's test, units and places,
//! every candidate's part scores after penalties, priority points and preferences, and the
//! head's tie decisions. The portal computes its results with `rank_round`, the published
//! snapshot carries the same inputs (`round_ranking_json.rs` reads and writes them), and
//! `server rank` runs the same function on a file, so anyone can recompute a result.
//!
//! The scoring, in one place (Decree 170/2025 Art 9–10 as amended by Decree 300/2026):
//! - A penalty (25 % or 50 %) comes off a part before anything else (Circular 22/2025).
//! - Written + interview: `written_weight_percent` of the written part and the rest of the
//!   interview, both taken exactly on their scale and the sum rounded once, halves up
//!   (`scoring::marks::combined`); each part must be sat and reach half its maximum.
//! - One-part tests: the part's score out of 100.
//! - Ranking, ties and places: `ranking.rs`.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::results::ranking::{self, rank_position, PositionRanking, TieDecision};
use crate::scoring::marks::{combined, Mark, PartMark, Scale};

/// A position's specialised test, as the input names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Test {
    Written,
    WrittenInterview,
    Oral,
    Practical,
    Project,
    ComputerWritten,
}

/// One scored part of a test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Written,
    Interview,
    Oral,
    Practical,
    Project,
}

impl Test {
    pub const ALL: [Test; 6] = [
        Test::Written,
        Test::WrittenInterview,
        Test::Oral,
        Test::Practical,
        Test::Project,
        Test::ComputerWritten,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Test::Written => "written",
            Test::WrittenInterview => "written_interview",
            Test::Oral => "oral",
            Test::Practical => "practical",
            Test::Project => "project",
            Test::ComputerWritten => "computer_written",
        }
    }

    pub fn parse(code: &str) -> Option<Test> {
        Test::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The parts the test is scored on; every one must be sat.
    pub fn parts(self) -> &'static [Part] {
        match self {
            Test::Written | Test::ComputerWritten => &[Part::Written],
            Test::WrittenInterview => &[Part::Written, Part::Interview],
            Test::Oral => &[Part::Oral],
            Test::Practical => &[Part::Practical],
            Test::Project => &[Part::Project],
        }
    }
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Written,
        Part::Interview,
        Part::Oral,
        Part::Practical,
        Part::Project,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Part::Written => "written",
            Part::Interview => "interview",
            Part::Oral => "oral",
            Part::Practical => "practical",
            Part::Project => "project",
        }
    }

    pub fn parse(code: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Everything a round's ranking depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundInput {
    /// The stage-2 score out of 100 a candidate needs, without priority points.
    pub pass_mark: Mark,
    /// The written part's share of a written + interview score (the law: 70).
    pub written_weight_percent: u8,
    /// Priority category code → points (hundredths, whole tenths: 7.5 is 750).
    pub priority_points: BTreeMap<String, Mark>,
    pub positions: Vec<PositionInput>,
    pub candidates: Vec<CandidateInput>,
    pub tie_decisions: Vec<TieDecisionInput>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionInput {
    pub code: String,
    pub test: Test,
    /// The maximum of every part's score (100 unless a round's rule set said otherwise).
    pub maximum: u16,
    /// This position's written share when it differs from the round's (older rule sets).
    pub written_weight_percent: Option<u8>,
    pub units: Vec<UnitInput>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitInput {
    /// The portal's unit id; a file's units get one made up from their place in it.
    pub id: Uuid,
    pub code: String,
    pub places: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateInput {
    /// The portal's application id; a file's candidates get one made up.
    pub id: Uuid,
    pub number: String,
    pub position: String,
    /// `None`: the position has no stage 1.
    pub stage1_passed: Option<bool>,
    pub excluded: bool,
    /// The parts sat, each on the position's scale; a part not sat is absent.
    pub scores: BTreeMap<Part, Mark>,
    /// Penalties per part, 25 or 50 per cent.
    pub penalty_percent: BTreeMap<Part, u8>,
    pub priority: Vec<String>,
    /// Unit codes of the position, most wanted first.
    pub preferences: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TieDecisionInput {
    /// The portal's decision id, cited in explanations; made up for a file.
    pub reference: Uuid,
    pub position: String,
    /// Candidate numbers, best first.
    pub order: Vec<String>,
}

/// One ranked position, with the ids the ranking used resolved back to the input's names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedPosition {
    pub code: String,
    pub ranking: PositionRanking,
    /// Candidate id → number, for this position's candidates.
    pub numbers: BTreeMap<Uuid, String>,
    /// Unit id → code.
    pub units: BTreeMap<Uuid, String>,
    /// Candidate id → the part scores out of 100 after penalties, for the explanations.
    pub parts: BTreeMap<Uuid, BTreeMap<Part, Mark>>,
}

/// How candidates still equal after every rule are listed: by number, shorter first, then
/// alphabetically (so TS-99999 comes before TS-100000). Their rank is shared, and their
/// order is the head's to decide, never this.
fn number_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

/// A candidate's stage-2 inputs on the position's test, as the ranking needs them.
pub struct Scored {
    pub stage2: Option<Mark>,
    pub written: Option<Mark>,
    pub part_below_half: bool,
    /// Each part sat, out of 100 after penalties.
    pub parts: BTreeMap<Part, Mark>,
}

/// The stage-2 score of a candidate from their parts: the one scoring rule of the portal.
pub fn score(
    test: Test,
    maximum: u16,
    written_weight_percent: u8,
    scores: &BTreeMap<Part, Mark>,
    penalties: &BTreeMap<Part, u8>,
) -> Scored {
    let scale = Scale {
        max: maximum,
        step_hundredths: 1,
    };
    let part = |p: Part| {
        scores.get(&p).map(|&mark| PartMark {
            mark,
            scale,
            penalty_percent: penalties.get(&p).copied().unwrap_or(0),
        })
    };
    let parts: BTreeMap<Part, Mark> = (test.parts().iter())
        .filter_map(|&p| part(p).map(|m| (p, m.score())))
        .collect();
    match test {
        Test::WrittenInterview => {
            let (written, interview) = (part(Part::Written), part(Part::Interview));
            let part_below_half = [written, interview]
                .iter()
                .flatten()
                .any(|p| !p.at_least_half());
            let stage2 = written
                .zip(interview)
                .map(|(w, i)| combined(w, i, written_weight_percent));
            Scored {
                stage2,
                written: written.map(PartMark::score),
                part_below_half,
                parts,
            }
        }
        _ => Scored {
            stage2: test
                .parts()
                .first()
                .and_then(|&p| part(p))
                .map(PartMark::score),
            written: None,
            part_below_half: false,
            parts,
        },
    }
}

/// Ranks every position of the round, in the order of their codes.
pub fn rank_round(input: &RoundInput) -> Vec<RankedPosition> {
    let mut order: Vec<&CandidateInput> = input.candidates.iter().collect();
    order.sort_by(|a, b| number_order(&a.number, &b.number));
    let number_of: BTreeMap<&str, (u32, Uuid)> = (order.iter().enumerate())
        .map(|(i, c)| (c.number.as_str(), (i as u32 + 1, c.id)))
        .collect();
    let mut positions: Vec<&PositionInput> = input.positions.iter().collect();
    positions.sort_by(|a, b| a.code.cmp(&b.code));
    positions
        .into_iter()
        .map(|position| rank_one(input, position, &order, &number_of))
        .collect()
}

fn rank_one(
    input: &RoundInput,
    position: &PositionInput,
    order: &[&CandidateInput],
    number_of: &BTreeMap<&str, (u32, Uuid)>,
) -> RankedPosition {
    let unit_of: BTreeMap<&str, Uuid> = (position.units.iter())
        .map(|u| (u.code.as_str(), u.id))
        .collect();
    let quotas: Vec<(Uuid, u32)> = position.units.iter().map(|u| (u.id, u.places)).collect();
    let weight = (position.written_weight_percent).unwrap_or(input.written_weight_percent);
    let mut numbers = BTreeMap::new();
    let mut parts = BTreeMap::new();
    let mut candidates = Vec::new();
    for c in order.iter().filter(|c| c.position == position.code) {
        let scored = score(
            position.test,
            position.maximum,
            weight,
            &c.scores,
            &c.penalty_percent,
        );
        let priority = (c.priority.iter())
            .filter_map(|code| input.priority_points.get(code))
            .max()
            .map_or(0, |points| points.hundredths() / 10);
        candidates.push(ranking::Candidate {
            id: c.id,
            number: number_of.get(c.number.as_str()).map_or(u32::MAX, |n| n.0),
            stage1_passed: c.stage1_passed.unwrap_or(true),
            stage2: scored.stage2,
            written: scored.written,
            part_below_half: scored.part_below_half,
            priority_tenths: u16::try_from(priority).unwrap_or(u16::MAX),
            excluded: c.excluded,
            preferences: (c.preferences.iter())
                .filter_map(|code| unit_of.get(code.as_str()).copied())
                .collect(),
        });
        numbers.insert(c.id, c.number.clone());
        parts.insert(c.id, scored.parts);
    }
    let decisions: Vec<TieDecision> = (input.tie_decisions.iter())
        .filter(|d| d.position == position.code)
        .map(|d| TieDecision {
            reference: d.reference,
            order: (d.order.iter())
                .filter_map(|n| number_of.get(n.as_str()).map(|n| n.1))
                .collect(),
        })
        .collect();
    let pass_mark = u8::try_from(input.pass_mark.hundredths() / 100).unwrap_or(u8::MAX);
    let ranking = rank_position(&quotas, &candidates, pass_mark, &decisions);
    RankedPosition {
        code: position.code.clone(),
        ranking,
        numbers,
        units: position
            .units
            .iter()
            .map(|u| (u.id, u.code.clone()))
            .collect(),
        parts,
    }
}
