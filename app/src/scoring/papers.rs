//! Papers, pure: which parts a position's stage 2 has, where a paper stands given the marks
//! in (waiting, agreed, to the chair, decided, panel average), the stage-2 score out of 100,
//! and how papers are shared among markers (two different, unrelated markers per written
//! paper, load balanced; every unrelated panel member for a panel).

use crate::rounds::positions::Stage2Format;
use crate::scoring::marks::{
    average, combined, panel_spread, settle, two_of_three, Mark, MarkingRule, PartMark, Scale,
    Settled,
};
use serde::{Deserialize, Serialize};

/// A part of stage 2 that gets marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Part {
    /// A written paper: anonymised, double-marked.
    Written,
    /// An interview, practical or project defence: each panel member marks, averaged.
    Panel,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Written => "written",
            Part::Panel => "panel",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        match s.trim() {
            "written" => Some(Part::Written),
            "panel" => Some(Part::Panel),
            _ => None,
        }
    }

    /// The parts a position's stage 2 is marked in.
    pub fn of(format: Stage2Format) -> &'static [Part] {
        match format {
            Stage2Format::Written => &[Part::Written],
            Stage2Format::Combined { .. } => &[Part::Written, Part::Panel],
            Stage2Format::Interview
            | Stage2Format::Practical
            | Stage2Format::ProjectDefence
            | Stage2Format::Oral
            | Stage2Format::ComputerWritten => &[Part::Panel],
        }
    }
}

/// Where one paper stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperState {
    /// Not every assigned marker has marked it yet.
    Waiting { entered: u8, needed: u8 },
    /// Written: the two marks were close enough; their average.
    Agreed(Mark),
    /// Written: too far apart; the chair has not decided yet.
    ToChair { difference: Mark },
    /// Written: the chair's mark after a disagreement.
    Decided(Mark),
    /// Panel: the average of every member's mark.
    PanelAverage(Mark),
    /// Written, Circular 22: the two marks are so far apart that a third marker marks it; the
    /// chair has not assigned one yet.
    NeedsThirdMarker { difference: Mark },
    /// Written, Circular 22: two of the three marks are equal; that is the mark.
    Majority(Mark),
}

impl PaperState {
    /// The paper's mark, once it has one.
    pub fn final_mark(self) -> Option<Mark> {
        match self {
            PaperState::Agreed(m)
            | PaperState::Decided(m)
            | PaperState::PanelAverage(m)
            | PaperState::Majority(m) => Some(m),
            PaperState::Waiting { .. }
            | PaperState::ToChair { .. }
            | PaperState::NeedsThirdMarker { .. } => None,
        }
    }
}

/// Where a paper stands: `marks` has one entry per assigned marker in slot order (None until
/// they mark; a written paper's third slot only once a third marker is assigned); `chair` is
/// the chair's decision, which counts only while the marks leave the paper to the chair.
pub fn paper_state(
    part: Part,
    marks: &[Option<Mark>],
    chair: Option<Mark>,
    scale: Scale,
    rule: MarkingRule,
) -> PaperState {
    let entered: Vec<Mark> = marks.iter().flatten().copied().collect();
    if entered.len() < marks.len() || entered.is_empty() {
        return PaperState::Waiting {
            entered: entered.len() as u8,
            needed: marks.len().max(1) as u8,
        };
    }
    let to_chair = |difference| match chair {
        Some(mark) => PaperState::Decided(mark),
        None => PaperState::ToChair { difference },
    };
    match part {
        Part::Panel => match panel_spread(&entered, scale, rule) {
            Some(spread) => to_chair(spread),
            None => PaperState::PanelAverage(average(&entered).unwrap_or(entered[0])),
        },
        Part::Written => {
            let (first, second) = (entered[0], entered[1.min(entered.len() - 1)]);
            match settle(first, second, scale, rule) {
                Settled::Mean(mark) => PaperState::Agreed(mark),
                Settled::ToChair { difference } => to_chair(difference),
                Settled::ThirdMarker { difference } => match entered.get(2) {
                    None => PaperState::NeedsThirdMarker { difference },
                    Some(&third) => match two_of_three([first, second, third]) {
                        Some(mark) => PaperState::Majority(mark),
                        None => to_chair(difference),
                    },
                },
            }
        }
    }
}

/// A candidate's stage-2 score out of 100 (in hundredths) from the final marks of their
/// parts, each out of the position's maximum; None while a part is missing.
pub fn stage2_score(
    format: Stage2Format,
    written: Option<Mark>,
    panel: Option<Mark>,
    scale: Scale,
) -> Option<Mark> {
    let part = |mark: Mark| PartMark::new(mark, scale);
    match format {
        Stage2Format::Written => written.map(|w| part(w).score()),
        Stage2Format::Combined { written_percent } => {
            Some(combined(part(written?), part(panel?), written_percent))
        }
        Stage2Format::Interview
        | Stage2Format::Practical
        | Stage2Format::ProjectDefence
        | Stage2Format::Oral
        | Stage2Format::ComputerWritten => panel.map(|p| part(p).score()),
    }
}

/// Shares papers among markers. `related[i]` lists the markers (indices into `markers`) who
/// declared a relationship with paper i's candidate and so may not mark it. A written paper
/// gets the least-loaded pair of different, unrelated markers (ties to the earlier pair, so the
/// result is deterministic); a panel paper every unrelated member. Err(count of papers that
/// cannot get enough markers).
pub fn share_papers(
    part: Part,
    markers: usize,
    related: &[Vec<usize>],
) -> Result<Vec<Vec<usize>>, usize> {
    let mut load = vec![0usize; markers];
    let mut out = Vec::with_capacity(related.len());
    let mut short = 0;
    for conflicts in related {
        let free = |m: &usize| !conflicts.contains(m);
        match part {
            Part::Panel => {
                let members: Vec<usize> = (0..markers).filter(free).collect();
                if members.is_empty() {
                    short += 1;
                }
                out.push(members);
            }
            Part::Written => {
                let mut best: Option<(usize, usize, (usize, usize))> = None;
                for a in (0..markers).filter(free) {
                    for b in (a + 1..markers).filter(free) {
                        let key = (load[a].max(load[b]), load[a] + load[b]);
                        if best.is_none_or(|(_, _, k)| key < k) {
                            best = Some((a, b, key));
                        }
                    }
                }
                match best {
                    Some((a, b, _)) => {
                        load[a] += 1;
                        load[b] += 1;
                        out.push(vec![a, b]);
                    }
                    None => {
                        short += 1;
                        out.push(Vec::new());
                    }
                }
            }
        }
    }
    if short > 0 {
        Err(short)
    } else {
        Ok(out)
    }
}

/// Symbols of anonymous codes: no 0/O, 1/I/L, so a code read aloud or from handwriting is
/// not mistaken.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 6;

/// A code as typed: trimmed, upper case.
pub fn normalise_code(input: &str) -> String {
    input.trim().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PAPER: Scale = Scale::new(100);
    const OLD: MarkingRule = MarkingRule::Tolerance(10);
    /// Circular 22/2025: mean up to 5, the chief below 10, a third marker from 10; a panel
    /// more than 10 apart goes to its chief.
    const C22: MarkingRule = MarkingRule::Bands {
        mean_up_to_percent: 5,
        third_from_percent: 10,
        panel_spread_percent: 10,
    };

    fn m(points: u32) -> Option<Mark> {
        Some(Mark::from_hundredths(points * 100))
    }

    #[test]
    fn a_paper_waits_for_every_marker() {
        assert_eq!(
            paper_state(Part::Written, &[m(60), None], None, PAPER, OLD),
            PaperState::Waiting {
                entered: 1,
                needed: 2
            }
        );
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(65)], None, PAPER, OLD),
            PaperState::Agreed(Mark::from_hundredths(6250))
        );
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(70)], None, PAPER, OLD),
            PaperState::ToChair {
                difference: Mark::from_hundredths(1000)
            }
        );
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(70)], m(66), PAPER, OLD),
            PaperState::Decided(Mark::from_hundredths(6600))
        );
        // A decision left over from an earlier disagreement does not override agreement.
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(61)], m(90), PAPER, OLD),
            PaperState::Agreed(Mark::from_hundredths(6050))
        );
        assert_eq!(
            paper_state(Part::Panel, &[m(70), m(80), m(81)], None, PAPER, OLD),
            PaperState::PanelAverage(Mark::from_hundredths(7700))
        );
    }

    /// A part, its marks in slot order, the chair's decision, and where the paper stands.
    type Case<'a> = (Part, &'a [Option<Mark>], Option<Mark>, PaperState);

    /// Circular 22/2025 Art 16 (paper written tests) and Art 22 (oral, interview, practical,
    /// Đề án panels): every band, at its edges, on a 100-point paper.
    #[test]
    fn circular_22_bands_settle_a_paper() {
        let h = Mark::from_hundredths;
        let table: &[Case] = &[
            // Gap ≤ 5: the mean, rounded to hundredths half up.
            (
                Part::Written,
                &[m(60), m(65)],
                None,
                PaperState::Agreed(h(6250)),
            ),
            (
                Part::Written,
                &[Some(h(6000)), Some(h(6525))],
                None,
                PaperState::ToChair { difference: h(525) },
            ),
            // 5 < gap < 10: the chief decides after discussion.
            (
                Part::Written,
                &[m(60), m(69)],
                None,
                PaperState::ToChair { difference: h(900) },
            ),
            (
                Part::Written,
                &[m(60), m(69)],
                m(64),
                PaperState::Decided(h(6400)),
            ),
            // Gap ≥ 10: a third marker; until assigned, and while they mark.
            (
                Part::Written,
                &[m(60), m(70)],
                None,
                PaperState::NeedsThirdMarker {
                    difference: h(1000),
                },
            ),
            (
                Part::Written,
                &[m(60), m(70), None],
                None,
                PaperState::Waiting {
                    entered: 2,
                    needed: 3,
                },
            ),
            // Two of three equal: that mark.
            (
                Part::Written,
                &[m(60), m(70), m(70)],
                None,
                PaperState::Majority(h(7000)),
            ),
            (
                Part::Written,
                &[m(60), m(75), m(60)],
                None,
                PaperState::Majority(h(6000)),
            ),
            // All three differ: collective marking, the chief decides.
            (
                Part::Written,
                &[m(60), m(72), m(66)],
                None,
                PaperState::ToChair {
                    difference: h(1200),
                },
            ),
            (
                Part::Written,
                &[m(60), m(72), m(66)],
                m(65),
                PaperState::Decided(h(6500)),
            ),
            // Panels: the mean unless more than 10 apart, then the panel's chief.
            (
                Part::Panel,
                &[m(70), m(80), m(75)],
                None,
                PaperState::PanelAverage(h(7500)),
            ),
            (
                Part::Panel,
                &[m(70), Some(h(8001))],
                None,
                PaperState::ToChair {
                    difference: h(1001),
                },
            ),
            (
                Part::Panel,
                &[m(70), Some(h(8001))],
                m(78),
                PaperState::Decided(h(7800)),
            ),
        ];
        for (part, marks, chair, expected) in table {
            assert_eq!(
                paper_state(*part, marks, *chair, PAPER, C22),
                *expected,
                "{part:?} {marks:?} {chair:?}"
            );
        }
    }

    #[test]
    fn stage_two_scores_use_the_position_weights() {
        let w = Mark::from_hundredths(8000);
        let p = Mark::from_hundredths(6000);
        assert_eq!(
            stage2_score(Stage2Format::Written, Some(w), None, PAPER),
            Some(w)
        );
        assert_eq!(
            stage2_score(Stage2Format::Interview, None, Some(p), PAPER),
            Some(p)
        );
        assert_eq!(
            stage2_score(
                Stage2Format::Combined {
                    written_percent: 70
                },
                Some(w),
                Some(p),
                PAPER
            ),
            Some(Mark::from_hundredths(7400))
        );
        assert_eq!(
            stage2_score(
                Stage2Format::Combined {
                    written_percent: 70
                },
                Some(w),
                None,
                PAPER
            ),
            None
        );
        // A paper out of 50 is brought to 100.
        assert_eq!(
            stage2_score(
                Stage2Format::Written,
                Some(Mark::from_hundredths(4000)),
                None,
                Scale::new(50)
            ),
            Some(Mark::from_hundredths(8000))
        );
    }

    #[test]
    fn related_markers_never_get_the_paper() {
        let shared = share_papers(Part::Written, 3, &[vec![0], vec![], vec![2]]).unwrap();
        assert_eq!(shared[0], vec![1, 2]);
        assert!(!shared[2].contains(&2));
        assert_eq!(share_papers(Part::Written, 2, &[vec![], vec![1]]), Err(1));
        assert_eq!(share_papers(Part::Written, 1, &[vec![]]), Err(1));
        assert_eq!(
            share_papers(Part::Panel, 3, &[vec![1]]).unwrap(),
            vec![vec![0, 2]]
        );
        assert_eq!(share_papers(Part::Panel, 1, &[vec![0]]), Err(1));
    }

    proptest! {
        #[test]
        fn written_papers_get_two_different_markers_evenly(
            markers in 2usize..9,
            papers in 1usize..300,
        ) {
            let shared = share_papers(Part::Written, markers, &vec![Vec::new(); papers]).unwrap();
            let mut load = vec![0usize; markers];
            for pair in &shared {
                prop_assert_eq!(pair.len(), 2);
                prop_assert_ne!(pair[0], pair[1]);
                for &m in pair { load[m] += 1; }
            }
            let (lo, hi) = (load.iter().min().unwrap(), load.iter().max().unwrap());
            prop_assert!(hi - lo <= 1, "load {:?}", load);
        }
    }
}
