//! The life of a recruitment round and the moves HR may make between its states.
//! Pure: the facts a move depends on are passed in, so every rule is tested without I/O.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoundStatus {
    Draft,
    Open,
    Closed,
    Screening,
    Exams,
    Marking,
    Results,
    Published,
    Finalised,
}

impl RoundStatus {
    pub const ALL: [RoundStatus; 9] = [
        RoundStatus::Draft,
        RoundStatus::Open,
        RoundStatus::Closed,
        RoundStatus::Screening,
        RoundStatus::Exams,
        RoundStatus::Marking,
        RoundStatus::Results,
        RoundStatus::Published,
        RoundStatus::Finalised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Draft => "draft",
            RoundStatus::Open => "open",
            RoundStatus::Closed => "closed",
            RoundStatus::Screening => "screening",
            RoundStatus::Exams => "exams",
            RoundStatus::Marking => "marking",
            RoundStatus::Results => "results",
            RoundStatus::Published => "published",
            RoundStatus::Finalised => "finalised",
        }
    }

    pub fn from_name(name: &str) -> Option<RoundStatus> {
        RoundStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn msg(self) -> Msg {
        match self {
            RoundStatus::Draft => Msg::StatusDraft,
            RoundStatus::Open => Msg::StatusOpen,
            RoundStatus::Closed => Msg::StatusClosed,
            RoundStatus::Screening => Msg::StatusScreening,
            RoundStatus::Exams => Msg::StatusExams,
            RoundStatus::Marking => Msg::StatusMarking,
            RoundStatus::Results => Msg::StatusResults,
            RoundStatus::Published => Msg::StatusPublished,
            RoundStatus::Finalised => Msg::StatusFinalised,
        }
    }

    /// The one state a round moves on to; rounds never move backwards.
    pub fn next(self) -> Option<RoundStatus> {
        let all = RoundStatus::ALL;
        let here = all.iter().position(|s| *s == self)?;
        all.get(here + 1).copied()
    }

    /// Whether the public may see the round (its notice has been published by opening it).
    pub fn is_public(self) -> bool {
        self != RoundStatus::Draft
    }

    /// Whether quotas and positions may change without a recorded reason.
    pub fn allows_free_edits(self) -> bool {
        self == RoundStatus::Draft
    }
}

/// What a move depends on, read from the database by the caller.
#[derive(Clone, Debug)]
pub struct RoundFacts {
    pub status: RoundStatus,
    pub position_count: i64,
    pub opens_at: OffsetDateTime,
    pub closes_at: OffsetDateTime,
    pub now: OffsetDateTime,
}

/// Decides whether the round may move to `to`; the refusal says why, in the user's words.
pub fn check_transition(facts: &RoundFacts, to: RoundStatus) -> Result<(), Msg> {
    if facts.status.next() != Some(to) {
        return Err(Msg::RefuseNotNextState);
    }
    match to {
        RoundStatus::Open => {
            if facts.position_count == 0 {
                Err(Msg::RefuseOpenWithoutPositions)
            } else if facts.closes_at <= facts.now {
                Err(Msg::RefuseOpenAfterClose)
            } else {
                Ok(())
            }
        }
        // Applications are accepted until the advertised close: a round cannot be closed early.
        RoundStatus::Closed if facts.now < facts.closes_at => Err(Msg::RefuseCloseBeforeDeadline),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn facts(status: RoundStatus) -> RoundFacts {
        RoundFacts {
            status,
            position_count: 3,
            opens_at: datetime!(2026-12-01 08:00 +7),
            closes_at: datetime!(2026-12-31 17:00 +7),
            now: datetime!(2026-11-27 10:00 +7),
        }
    }

    #[test]
    fn states_follow_the_life_of_a_round() {
        let mut status = RoundStatus::Draft;
        let mut seen = vec![status];
        while let Some(next) = status.next() {
            status = next;
            seen.push(status);
        }
        assert_eq!(seen, RoundStatus::ALL);
        for s in RoundStatus::ALL {
            assert_eq!(RoundStatus::from_name(s.as_str()), Some(s));
        }
    }

    #[test]
    fn only_the_next_state_is_allowed() {
        let f = facts(RoundStatus::Draft);
        assert_eq!(check_transition(&f, RoundStatus::Open), Ok(()));
        assert_eq!(
            check_transition(&f, RoundStatus::Closed),
            Err(Msg::RefuseNotNextState)
        );
        let f = facts(RoundStatus::Screening);
        assert_eq!(
            check_transition(&f, RoundStatus::Open),
            Err(Msg::RefuseNotNextState),
            "never backwards"
        );
        assert_eq!(
            check_transition(&facts(RoundStatus::Finalised), RoundStatus::Draft),
            Err(Msg::RefuseNotNextState)
        );
    }

    #[test]
    fn a_round_opens_only_with_positions_and_a_future_deadline() {
        let mut f = facts(RoundStatus::Draft);
        f.position_count = 0;
        assert_eq!(
            check_transition(&f, RoundStatus::Open),
            Err(Msg::RefuseOpenWithoutPositions)
        );
        let mut f = facts(RoundStatus::Draft);
        f.now = datetime!(2027-01-01 00:00 +7);
        assert_eq!(
            check_transition(&f, RoundStatus::Open),
            Err(Msg::RefuseOpenAfterClose)
        );
    }

    #[test]
    fn applications_stay_open_until_the_deadline() {
        let f = facts(RoundStatus::Open);
        assert_eq!(
            check_transition(&f, RoundStatus::Closed),
            Err(Msg::RefuseCloseBeforeDeadline)
        );
        let mut f = facts(RoundStatus::Open);
        f.now = datetime!(2026-12-31 17:00 +7);
        assert_eq!(check_transition(&f, RoundStatus::Closed), Ok(()));
    }
}
