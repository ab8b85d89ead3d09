//! The legal sequence after marking (Decree 170/2025 Art 17–18): each position's exam scores
//! are published, appeals against paper written tests may be filed for 5 working days from that
//! publication, re-marking answers them, and only then are results compiled, approved and
//! published. Pure: what compiling still waits for, from the facts passed in.

use crate::calendar::Calendar;
use crate::i18n::Msg;
use time::OffsetDateTime;

/// One position as the sequence sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionFacts {
    pub code: String,
    /// Some candidate of the position has a specialised-test score.
    pub scored: bool,
    /// Its test can be appealed (a paper written test).
    pub appealable: bool,
    pub scores_published_at: Option<OffsetDateTime>,
}

/// What the round has done so far.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// The specialised-test marks are decoded.
    pub decoded: bool,
    pub positions: Vec<PositionFacts>,
    /// Appeals whose fee is recorded and which are not answered yet.
    pub appeals_open: u32,
    /// Penalties recorded in the rooms that the council chair has not decided yet.
    pub penalties_pending: u32,
}

/// The first step before compiling that is still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wait {
    NotDecoded,
    /// The position's exam scores are not published (Art 17: published before appeals).
    ScoresNotPublished {
        position: String,
    },
    /// Appeals may still be filed against the position's scores until `until`.
    AppealWindow {
        position: String,
        until: OffsetDateTime,
    },
    Appeals(u32),
    Penalties(u32),
}

impl Wait {
    pub fn msg(&self) -> Msg {
        match self {
            Wait::NotDecoded => Msg::ErrResultsNotDecoded,
            Wait::ScoresNotPublished { .. } => Msg::ErrScoresNotPublished,
            Wait::AppealWindow { .. } => Msg::ErrAppealWindowOpen,
            Wait::Appeals(_) => Msg::ErrAppealsPending,
            Wait::Penalties(_) => Msg::ErrPenaltiesPending,
        }
    }
}

/// The rule set's part of the sequence.
#[derive(Clone, Copy, Debug)]
pub struct Sequence {
    /// Exam scores are published before results (the rule sets from Decree 170/2025 as
    /// amended); without it, the older model: results first, appeals after them.
    pub scores_first: bool,
    pub appeal_working_days: u8,
}

/// What compiling results waits for, if anything (Decree 170/2025 Art 17–18: results are
/// compiled only once the scores are published, the appeal window has closed and every appeal
/// is answered; Circular 22/2025: the chair decides every penalty when results are compiled).
pub fn compile_waits_for(
    facts: &Facts,
    sequence: Sequence,
    calendar: &Calendar,
    now: OffsetDateTime,
) -> Option<Wait> {
    if !facts.decoded {
        return Some(Wait::NotDecoded);
    }
    if sequence.scores_first {
        let scored = facts.positions.iter().filter(|p| p.scored);
        for p in scored.clone() {
            if p.scores_published_at.is_none() {
                return Some(Wait::ScoresNotPublished {
                    position: p.code.clone(),
                });
            }
        }
        let windows = scored.filter(|p| p.appealable).filter_map(|p| {
            let until =
                calendar.end_of_working_days(p.scores_published_at?, sequence.appeal_working_days);
            (now <= until).then(|| Wait::AppealWindow {
                position: p.code.clone(),
                until,
            })
        });
        if let Some(open) = windows.max_by_key(|w| match w {
            Wait::AppealWindow { until, .. } => *until,
            _ => now,
        }) {
            return Some(open);
        }
    }
    if facts.appeals_open > 0 {
        return Some(Wait::Appeals(facts.appeals_open));
    }
    if facts.penalties_pending > 0 {
        return Some(Wait::Penalties(facts.penalties_pending));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const LEGAL: Sequence = Sequence {
        scores_first: true,
        appeal_working_days: 5,
    };

    fn position(code: &str, appealable: bool, published: Option<OffsetDateTime>) -> PositionFacts {
        PositionFacts {
            code: code.into(),
            scored: true,
            appealable,
            scores_published_at: published,
        }
    }

    /// Decree 170/2025 Art 17–18: scores published → 5 working days of appeals → answers →
    /// compile. Scores published on Thursday 11 March 2027: the window ends with Thursday 18.
    #[test]
    fn compiling_waits_for_every_step_before_it_in_order() {
        let calendar = Calendar::default();
        let published = datetime!(2027-03-11 09:00 +7);
        let mut facts = Facts {
            decoded: false,
            positions: vec![
                position("P-VT", true, Some(published)),
                position("P-NV", false, None),
            ],
            appeals_open: 1,
            penalties_pending: 1,
        };
        let at = |now| compile_waits_for(&facts, LEGAL, &calendar, now);
        let later = datetime!(2027-03-19 08:00 +7);
        assert_eq!(at(later), Some(Wait::NotDecoded));
        facts.decoded = true;
        let at = |facts: &Facts, now| compile_waits_for(facts, LEGAL, &calendar, now);
        assert_eq!(
            at(&facts, later),
            Some(Wait::ScoresNotPublished {
                position: "P-NV".into()
            }),
            "an oral position's scores are published too, though they cannot be appealed"
        );
        facts.positions[1].scores_published_at = Some(datetime!(2027-03-18 09:00 +7));
        let until = datetime!(2027-03-18 23:59:59 +7);
        assert_eq!(
            at(&facts, until),
            Some(Wait::AppealWindow {
                position: "P-VT".into(),
                until
            }),
            "the last second of the fifth working day is still in the window"
        );
        assert_eq!(at(&facts, later), Some(Wait::Appeals(1)));
        facts.appeals_open = 0;
        assert_eq!(at(&facts, later), Some(Wait::Penalties(1)));
        facts.penalties_pending = 0;
        assert_eq!(at(&facts, later), None);
    }

    #[test]
    fn a_position_nobody_sat_and_the_older_rule_sets_wait_for_no_publication() {
        let calendar = Calendar::default();
        let mut empty = position("P-X", true, None);
        empty.scored = false;
        let facts = Facts {
            decoded: true,
            positions: vec![empty, position("P-VT", true, None)],
            ..Facts::default()
        };
        let now = datetime!(2027-03-19 08:00 +7);
        let older = Sequence {
            scores_first: false,
            ..LEGAL
        };
        assert_eq!(compile_waits_for(&facts, older, &calendar, now), None);
        assert_eq!(
            compile_waits_for(&facts, LEGAL, &calendar, now),
            Some(Wait::ScoresNotPublished {
                position: "P-VT".into()
            })
        );
    }
}
