//! After selection (Decree 170/2025 Art 18 as amended by Decree 300/2026): what HR records of
//! each winner's dossier, and who is next when a winner is struck off. Pure: the service
//! (`dossiers.rs`) loads the published ranking and stores the outcome.

use crate::applications::types::EventKind;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// What HR recorded of a winner's dossier (Art 18.1–18.3 as amended).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DossierOutcome {
    /// Complete within the 15 days and matching what Mẫu 01 declared.
    Complete,
    /// Not complete, or not matching Mẫu 01, by the deadline.
    Incomplete,
    /// Fraud in what was declared: struck off and refused in the authority's next round.
    Fraud,
    /// Did not come to complete the dossier.
    NoShow,
    /// Did not report for work after the appointment decision (Art 19 as amended): recorded on
    /// the appointment, never as a dossier outcome, and struck off the same way.
    NotReported,
}

impl DossierOutcome {
    pub const ALL: [DossierOutcome; 5] = [
        DossierOutcome::Complete,
        DossierOutcome::Incomplete,
        DossierOutcome::Fraud,
        DossierOutcome::NoShow,
        DossierOutcome::NotReported,
    ];
    /// The grounds for striking a winner off, in the order HR's form offers them.
    pub const STRIKE_OFF: [DossierOutcome; 3] = [
        DossierOutcome::Incomplete,
        DossierOutcome::Fraud,
        DossierOutcome::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DossierOutcome::Complete => "complete",
            DossierOutcome::Incomplete => "incomplete",
            DossierOutcome::Fraud => "fraud",
            DossierOutcome::NoShow => "no_show",
            DossierOutcome::NotReported => "not_reported",
        }
    }

    pub fn parse(value: &str) -> Option<DossierOutcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }

    pub fn struck_off(self) -> bool {
        self != DossierOutcome::Complete
    }

    /// What HR's form and the cancelled list call it.
    pub fn msg(self) -> Msg {
        match self {
            DossierOutcome::Complete => Msg::EventDossierCompleted,
            DossierOutcome::Incomplete => Msg::OutcomeIncomplete,
            DossierOutcome::Fraud => Msg::OutcomeFraud,
            DossierOutcome::NoShow => Msg::OutcomeNoShow,
            DossierOutcome::NotReported => Msg::OutcomeNotReported,
        }
    }

    /// The step on the winner's timeline (and what they are told).
    pub fn event(self) -> EventKind {
        match self {
            DossierOutcome::Complete => EventKind::DossierCompleted,
            DossierOutcome::Incomplete => EventKind::DossierFailed,
            DossierOutcome::Fraud => EventKind::DossierFraud,
            DossierOutcome::NoShow => EventKind::DossierNoShow,
            DossierOutcome::NotReported => EventKind::NotReported,
        }
    }
}

/// One candidate of a position's published reserve list, in the list's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReserveCandidate {
    pub number: String,
    /// The published rank: candidates still equal after every tie rule share it.
    pub rank: u32,
    /// Named the freed place's unit among their preferences (always, for one unit).
    pub wants_unit: bool,
}

/// Who takes a place a struck-off winner freed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    Candidate(String),
    /// Several are still equal at the top of what is left: the head of the authority decides
    /// among them (Art 10.2 and 18.4 as amended), and nobody is recognised until then.
    HeadDecides(Vec<String>),
    /// Nobody left on the reserve list who wants the unit.
    NoneLeft,
}

/// The next-ranked candidate for a freed place: the first on the reserve list, by rank, who
/// wants the unit and is not already placed. When several share that rank, `decided` (the
/// head's choice) must name one of them (Decree 170/2025 Art 18.4 as amended by Decree
/// 300/2026: the next-ranked in order, ties by the rules of Art 10).
pub fn next_ranked(
    reserve: &[ReserveCandidate],
    placed: &HashSet<String>,
    decided: Option<&str>,
) -> Next {
    let mut open = reserve
        .iter()
        .filter(|c| c.wants_unit && !placed.contains(&c.number));
    let Some(first) = open.next() else {
        return Next::NoneLeft;
    };
    let equal: Vec<String> = std::iter::once(first)
        .chain(open.filter(|c| c.rank == first.rank))
        .map(|c| c.number.clone())
        .collect();
    match equal.as_slice() {
        [only] => Next::Candidate(only.clone()),
        _ => match decided.filter(|d| equal.iter().any(|n| n == d)) {
            Some(chosen) => Next::Candidate(chosen.to_string()),
            None => Next::HeadDecides(equal),
        },
    }
}

/// What became of a winner's dossier, as HR's page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierState {
    pub outcome: DossierOutcome,
    pub reason: Option<String>,
    /// On a published cancelled list.
    pub listed: bool,
}

/// The appointment decision of a winner whose dossier is complete, and their reporting for
/// work (Decree 170/2025 Art 19 as amended).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentState {
    pub decision: String,
    pub decided_on: String,
    /// The last day to report for work.
    pub report_by: String,
    pub reporting: Option<Reporting>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reporting {
    Reported { on: String },
    NotReported { reason: String },
}

/// One struck-off winner on a published cancelled list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelledEntry {
    pub number: String,
    pub full_name: String,
    pub position_code: String,
    pub unit: String,
    pub outcome: DossierOutcome,
    pub reason: String,
    /// The next-ranked candidate recognised in this place, once they are.
    pub replaced_by: Option<String>,
    /// Nobody left on the reserve list wants the place.
    pub unfilled: bool,
}

/// A publication of the cancelled list (Art 18.3 as amended), never changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelledList {
    pub version: u32,
    pub published_at: String,
    pub entries: Vec<CancelledEntry>,
}

/// HR's and the chair's panel after the winners are published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterSelectionView {
    /// The round follows Decree 300's steps (otherwise the next reserve is recognised at once).
    pub decree_300: bool,
    pub can_act: bool,
    /// Struck off and not yet on a published list.
    pub unlisted: Vec<String>,
    /// On a published list and their place not yet passed on.
    pub waiting: Vec<String>,
    /// Still equal for the next place to pass on: the head decides among them.
    pub tie: Vec<String>,
    /// The last day to publish and notify the next-ranked (5 working days from the list).
    pub next_ranked_due: Option<String>,
    pub lists: Vec<CancelledList>,
}

/// What recognising the next-ranked did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextRankedOutcome {
    /// Recognised now, in order.
    pub recognised: Vec<String>,
    /// Still equal for the next place: the head must decide among them (nothing after this
    /// place was done).
    pub tie: Vec<String>,
    /// Places nobody left on the reserve list wants.
    pub unfilled: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(number: &str, rank: u32, wants_unit: bool) -> ReserveCandidate {
        ReserveCandidate {
            number: number.into(),
            rank,
            wants_unit,
        }
    }

    fn placed(numbers: &[&str]) -> HashSet<String> {
        numbers.iter().map(|n| n.to_string()).collect()
    }

    /// Decree 170/2025 Art 18.4 as amended: the next-ranked, in order, who wants the unit and
    /// holds no place yet.
    #[test]
    fn the_next_in_order_who_wants_the_unit() {
        let reserve = [c("A", 4, false), c("B", 5, true), c("C", 6, true)];
        assert_eq!(
            next_ranked(&reserve, &placed(&[]), None),
            Next::Candidate("B".into())
        );
        assert_eq!(
            next_ranked(&reserve, &placed(&["B"]), None),
            Next::Candidate("C".into())
        );
        assert_eq!(
            next_ranked(&reserve, &placed(&["B", "C"]), None),
            Next::NoneLeft
        );
        assert_eq!(next_ranked(&[], &placed(&[]), None), Next::NoneLeft);
    }

    /// Art 18.4 with Art 10.2: candidates still equal are not ordered by candidate number;
    /// the head decides, and only a decision naming one of them counts.
    #[test]
    fn equal_candidates_wait_for_the_head() {
        let reserve = [
            c("B", 5, true),
            c("A", 5, true),
            c("C", 5, false),
            c("D", 7, true),
        ];
        assert_eq!(
            next_ranked(&reserve, &placed(&[]), None),
            Next::HeadDecides(vec!["B".into(), "A".into()])
        );
        assert_eq!(
            next_ranked(&reserve, &placed(&[]), Some("D")),
            Next::HeadDecides(vec!["B".into(), "A".into()])
        );
        assert_eq!(
            next_ranked(&reserve, &placed(&[]), Some("A")),
            Next::Candidate("A".into())
        );
        // Once one of them is placed the other is next on their own.
        assert_eq!(
            next_ranked(&reserve, &placed(&["A"]), None),
            Next::Candidate("B".into())
        );
    }

    #[test]
    fn outcomes_round_trip_and_only_complete_keeps_the_place() {
        for o in DossierOutcome::ALL {
            assert_eq!(DossierOutcome::parse(o.as_str()), Some(o));
            assert_eq!(
                o.struck_off(),
                DossierOutcome::STRIKE_OFF.contains(&o) || o == DossierOutcome::NotReported
            );
        }
        assert_eq!(DossierOutcome::parse("lost"), None);
    }
}
