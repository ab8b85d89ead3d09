//! A round's ranking inputs as the database holds them, in the shape `round_ranking` ranks
//! (the same one `server rank` reads), and the copy of them a published result carries.

use crate::scheduling::penalties::{combined_effect, Effect, PenaltyKind};
use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use crate::results::repo::{CandidateRow, DecisionRow, UnitRow};
use crate::results::round_ranking::{
    CandidateInput, Part, PositionInput, RoundInput, Test, TieDecisionInput, UnitInput,
};
use crate::rounds::positions::Stage2Format;
use crate::rounds::rules::RuleParams;
use crate::scheduling::allocation::format_candidate_number;
use crate::scoring::marks::Mark;
use crate::scoring::repo::PositionRow;
use crate::scoring::service::format_of;

/// The law's share of the written part in a written + interview score (Decree 170/2025 Art 9).
const WRITTEN_WEIGHT_PERCENT: u8 = 70;

/// The test of a position, and which part its panel marks (none for a written paper alone).
fn test_of(format: Stage2Format) -> (Test, Option<Part>) {
    match format {
        Stage2Format::Written => (Test::Written, None),
        Stage2Format::Combined { .. } => (Test::WrittenInterview, Some(Part::Interview)),
        Stage2Format::Interview => (Test::Oral, Some(Part::Oral)),
        Stage2Format::Practical => (Test::Practical, Some(Part::Practical)),
        Stage2Format::ProjectDefence => (Test::Project, Some(Part::Project)),
        Stage2Format::Oral => (Test::Oral, Some(Part::Oral)),
        // The exam server's score arrives as the position's one mark.
        Stage2Format::ComputerWritten => (Test::ComputerWritten, Some(Part::Written)),
    }
}

fn mark(hundredths: i32) -> Mark {
    Mark::from_hundredths(hundredths.max(0) as u32)
}

/// What the database holds about a round's ranking.
pub struct Rows<'a> {
    pub prefix: &'a str,
    pub params: &'a RuleParams,
    pub positions: &'a [PositionRow],
    pub candidates: &'a [CandidateRow],
    pub units: &'a [UnitRow],
    pub decisions: &'a [DecisionRow],
    /// Confirmed penalties (Circular 22/2025): candidate and kind.
    pub penalties: &'a [(Uuid, PenaltyKind)],
}

/// The round's ranking inputs, with the portal's ids kept for naming the results.
pub fn round_input(rows: &Rows<'_>) -> RoundInput {
    let code_of: HashMap<Uuid, &str> = (rows.positions.iter())
        .map(|p| (p.id, p.code.as_str()))
        .collect();
    let mut unit_codes: HashMap<(Uuid, Uuid), &str> = HashMap::new();
    let mut units_of: HashMap<Uuid, Vec<UnitInput>> = HashMap::new();
    for u in rows.units {
        unit_codes.insert((u.position_id, u.unit_id), u.code.as_str());
        units_of.entry(u.position_id).or_default().push(UnitInput {
            id: u.unit_id,
            code: u.code.clone(),
            places: u.quota.max(0) as u32,
        });
    }
    let mut panel_part: HashMap<Uuid, Option<Part>> = HashMap::new();
    let mut test_of_position: HashMap<Uuid, Test> = HashMap::new();
    let positions = (rows.positions.iter())
        .map(|p| {
            let format = format_of(p);
            let (test, panel) = test_of(format);
            panel_part.insert(p.id, panel);
            test_of_position.insert(p.id, test);
            let written_weight_percent = match format {
                Stage2Format::Combined { written_percent }
                    if written_percent != WRITTEN_WEIGHT_PERCENT =>
                {
                    Some(written_percent)
                }
                _ => None,
            };
            PositionInput {
                code: p.code.clone(),
                test,
                maximum: u16::try_from(p.max_score).unwrap_or(100),
                written_weight_percent,
                units: units_of.remove(&p.id).unwrap_or_default(),
            }
        })
        .collect();
    let number_of: HashMap<Uuid, String> = (rows.candidates.iter())
        .map(|c| {
            (
                c.id,
                format_candidate_number(rows.prefix, c.number.max(0) as u32),
            )
        })
        .collect();
    let candidates = (rows.candidates.iter())
        .filter_map(|c| {
            let position = code_of.get(&c.position_id)?;
            let mut scores = BTreeMap::new();
            if let Some(written) = c.written {
                scores.insert(Part::Written, mark(written));
            }
            if let (Some(panel), Some(Some(part))) = (c.panel, panel_part.get(&c.position_id)) {
                scores.insert(*part, mark(panel));
            }
            let known = |code: &&String| !code.is_empty();
            // A confirmed penalty: a deduction from the test the room sat (its first part,
            // the written paper where there is one), or no result at all.
            let kinds: Vec<PenaltyKind> = (rows.penalties.iter())
                .filter(|(application, _)| *application == c.id)
                .map(|(_, kind)| *kind)
                .collect();
            let mut penalty_percent = BTreeMap::new();
            let mut excluded = c.excluded;
            match combined_effect(&kinds) {
                Some(Effect::Voids) => excluded = true,
                Some(Effect::Deduct(percent)) => {
                    if let Some(part) =
                        (test_of_position.get(&c.position_id)).and_then(|t| t.parts().first())
                    {
                        penalty_percent.insert(*part, percent);
                    }
                }
                None => {}
            }
            Some(CandidateInput {
                id: c.id,
                number: number_of.get(&c.id)?.clone(),
                position: position.to_string(),
                // Positions without a stage-1 test rank everyone who sat stage 2 (Art 9).
                stage1_passed: c.has_stage1_test.then(|| c.stage1_passed.unwrap_or(false)),
                excluded,
                scores,
                penalty_percent,
                // Every declared category goes into the published inputs; the ranking counts
                // the highest (Art 6). Applications from before the list existed have one.
                priority: c
                    .priority_codes
                    .iter()
                    .chain(std::iter::once(&c.priority_code))
                    .filter(known)
                    .cloned()
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                preferences: (c.preferences.iter())
                    .filter_map(|unit| unit_codes.get(&(c.position_id, *unit)))
                    .map(|code| code.to_string())
                    .collect(),
            })
        })
        .collect();
    let tie_decisions = (rows.decisions.iter())
        .filter_map(|d| {
            Some(TieDecisionInput {
                reference: d.id,
                position: code_of.get(&d.position_id)?.to_string(),
                order: d
                    .ordered
                    .iter()
                    .filter_map(|id| number_of.get(id).cloned())
                    .collect(),
            })
        })
        .collect();
    RoundInput {
        pass_mark: Mark::from_hundredths(u32::from(rows.params.stage2_pass_mark) * 100),
        written_weight_percent: WRITTEN_WEIGHT_PERCENT,
        priority_points: (rows.params.priority_categories.iter())
            .map(|c| {
                (
                    c.code.clone(),
                    Mark::from_hundredths(u32::from(c.points_tenths) * 10),
                )
            })
            .collect(),
        positions,
        candidates,
        tie_decisions,
    }
}

/// The inputs as a published result carries them: a candidate's priority is named by its
/// points alone ("5"), never by the category (which can say a person is a war invalid or of
/// an ethnic minority); only the highest counts, so the ranking is the same.
pub fn for_publication(input: &RoundInput) -> RoundInput {
    let points = |codes: &[String]| {
        (codes.iter())
            .filter_map(|code| input.priority_points.get(code))
            .max()
            .copied()
    };
    let mut published = input.clone();
    published.priority_points = BTreeMap::new();
    for candidate in &mut published.candidates {
        candidate.priority = match points(&candidate.priority) {
            Some(points) => {
                let name = points.display('.');
                published.priority_points.insert(name.clone(), points);
                vec![name]
            }
            None => Vec::new(),
        };
    }
    published
}
