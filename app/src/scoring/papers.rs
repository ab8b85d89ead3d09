//! Papers, pure: which parts a position's stage 2 has, where a paper stands given the marks
//! in (waiting, agreed, to the chair, decided, panel average), the stage-2 score out of 100,
//! and how papers are shared among markers (two different, unrelated markers per written
//! paper, load balanced; every unrelated panel member for a panel).

use crate::rounds::positions::Stage2Format;
use crate::scoring::marks::{average, combined, reconcile, Mark, PartMark, Reconciled, Scale};
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
}

impl PaperState {
    /// The paper's mark, once it has one.
    pub fn final_mark(self) -> Option<Mark> {
        match self {
            PaperState::Agreed(m) | PaperState::Decided(m) | PaperState::PanelAverage(m) => Some(m),
            PaperState::Waiting { .. } | PaperState::ToChair { .. } => None,
        }
    }
}

/// Where a paper stands: `marks` has one entry per assigned marker (None until they mark);
/// `chair` is the chair's decision, which counts only while the two marks disagree.
pub fn paper_state(
    part: Part,
    marks: &[Option<Mark>],
    chair: Option<Mark>,
    scale: Scale,
    tolerance_percent: u8,
) -> PaperState {
    let entered: Vec<Mark> = marks.iter().flatten().copied().collect();
    if entered.len() < marks.len() || entered.is_empty() {
        return PaperState::Waiting {
            entered: entered.len() as u8,
            needed: marks.len().max(1) as u8,
        };
    }
    match part {
        Part::Panel => PaperState::PanelAverage(average(&entered).unwrap_or(entered[0])),
        Part::Written => {
            let (first, second) = (entered[0], entered[entered.len() - 1]);
            match reconcile(first, second, scale, tolerance_percent) {
                Reconciled::Agreed(mark) => PaperState::Agreed(mark),
                Reconciled::ToChair { difference } => match chair {
                    Some(mark) => PaperState::Decided(mark),
                    None => PaperState::ToChair { difference },
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

    fn m(points: u32) -> Option<Mark> {
        Some(Mark::from_hundredths(points * 100))
    }

    #[test]
    fn a_paper_waits_for_every_marker() {
        assert_eq!(
            paper_state(Part::Written, &[m(60), None], None, PAPER, 10),
            PaperState::Waiting {
                entered: 1,
                needed: 2
            }
        );
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(65)], None, PAPER, 10),
            PaperState::Agreed(Mark::from_hundredths(6250))
        );
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(70)], None, PAPER, 10),
            PaperState::ToChair {
                difference: Mark::from_hundredths(1000)
            }
        );
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(70)], m(66), PAPER, 10),
            PaperState::Decided(Mark::from_hundredths(6600))
        );
        // A decision left over from an earlier disagreement does not override agreement.
        assert_eq!(
            paper_state(Part::Written, &[m(60), m(61)], m(90), PAPER, 10),
            PaperState::Agreed(Mark::from_hundredths(6050))
        );
        assert_eq!(
            paper_state(Part::Panel, &[m(70), m(80), m(81)], None, PAPER, 10),
            PaperState::PanelAverage(Mark::from_hundredths(7700))
        );
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
