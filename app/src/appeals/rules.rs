//! The appeal rules, pure: until when a candidate may file, and where an appeal stands from
//! what has been recorded (fee, re-markers, the two re-marks, the chair's decision, the answer).

use crate::appeals::types::AppealState;
use crate::calendar::Calendar;
use crate::scoring::marks::{reconcile, Mark, Reconciled, Scale};
use time::OffsetDateTime;

/// The last moment to file: the end of the `working_days`-th working day after the result
/// notice (Vietnam time; weekends and the calendar's holidays do not count; Decree 170/2025
/// Art 17).
pub fn filing_deadline(
    calendar: &Calendar,
    published_at: OffsetDateTime,
    working_days: u8,
) -> OffsetDateTime {
    calendar.end_of_working_days(published_at, working_days)
}

/// What has been recorded about one appeal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Recorded {
    pub fee_recorded: bool,
    pub assigned: bool,
    /// The two re-marks, in slot order.
    pub remarks: [Option<Mark>; 2],
    pub decision: Option<Mark>,
    pub answer: Option<Mark>,
}

/// Where an appeal stands. The re-marks are reconciled as in first marking: less than the
/// tolerance apart → their average; otherwise the chair's decision.
pub fn appeal_state(r: Recorded, scale: Scale, tolerance_percent: u8) -> AppealState {
    if let Some(mark) = r.answer {
        return AppealState::Answered(mark);
    }
    if !r.fee_recorded {
        return AppealState::AwaitingFee;
    }
    if !r.assigned {
        return AppealState::AwaitingAssignment;
    }
    let [Some(first), Some(second)] = r.remarks else {
        return AppealState::Remarking {
            entered: r.remarks.iter().flatten().count() as u8,
        };
    };
    match reconcile(first, second, scale, tolerance_percent) {
        Reconciled::Agreed(mark) => AppealState::Agreed(mark),
        Reconciled::ToChair { difference } => match r.decision {
            Some(mark) => AppealState::Decided(mark),
            None => AppealState::ToChair { difference },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn m(points: u32) -> Mark {
        Mark::from_hundredths(points * 100)
    }

    #[test]
    fn five_working_days_skip_the_weekend_and_end_at_midnight_in_vietnam() {
        // Published on a Thursday afternoon: Fri, Mon, Tue, Wed, Thu → next Thursday 23:59:59.
        let published = datetime!(2027-03-11 15:00 +7);
        assert_eq!(
            filing_deadline(&Calendar::default(), published, 5),
            datetime!(2027-03-18 23:59:59 +7)
        );
        // Published late on a Friday in UTC that is already Saturday in Vietnam.
        let published = datetime!(2027-03-12 18:30 UTC);
        assert_eq!(
            filing_deadline(&Calendar::default(), published, 1),
            datetime!(2027-03-15 23:59:59 +7)
        );
    }

    #[test]
    fn an_appeal_moves_from_fee_to_answer() {
        let scale = Scale::new(100);
        let mut r = Recorded::default();
        assert_eq!(appeal_state(r, scale, 10), AppealState::AwaitingFee);
        r.fee_recorded = true;
        assert_eq!(appeal_state(r, scale, 10), AppealState::AwaitingAssignment);
        r.assigned = true;
        r.remarks[1] = Some(m(70));
        assert_eq!(
            appeal_state(r, scale, 10),
            AppealState::Remarking { entered: 1 }
        );
        r.remarks[0] = Some(m(64));
        assert_eq!(
            appeal_state(r, scale, 10),
            AppealState::Agreed(m(67)),
            "6 apart on 100 is within 10%"
        );
        r.remarks[0] = Some(m(60));
        assert_eq!(
            appeal_state(r, scale, 10),
            AppealState::ToChair { difference: m(10) },
            "exactly the tolerance goes to the chair"
        );
        r.decision = Some(m(66));
        assert_eq!(appeal_state(r, scale, 10), AppealState::Decided(m(66)));
        r.answer = Some(m(66));
        assert_eq!(appeal_state(r, scale, 10), AppealState::Answered(m(66)));
        assert_eq!(appeal_state(r, scale, 10).result(), Some(m(66)));
    }

    #[test]
    fn a_decision_counts_only_while_the_remarks_disagree() {
        let r = Recorded {
            fee_recorded: true,
            assigned: true,
            remarks: [Some(m(50)), Some(m(52))],
            decision: Some(m(80)),
            answer: None,
        };
        assert_eq!(
            appeal_state(r, Scale::new(100), 10),
            AppealState::Agreed(m(51))
        );
    }
}
