//! The appeal rules, pure: until when a candidate may file, and where an appeal stands from
//! what has been recorded (fee, re-markers, the two re-marks, the chair's decision, the answer).

use crate::appeals::types::AppealState;
use crate::calendar::Calendar;
use crate::scoring::marks::{settle, two_of_three, Mark, MarkingRule, Scale, Settled};
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

/// How an appeal is re-marked: the two re-marks are settled as papers are, and under Circular
/// 22 a re-mark `council_from_percent` of the maximum or more from the published mark waits
/// for the council chair (Decree 170/2025 Art 18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RemarkRule {
    pub marking: MarkingRule,
    pub council_from_percent: Option<u8>,
}

/// What has been recorded about one appeal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Recorded {
    pub fee_recorded: bool,
    pub assigned: bool,
    /// The re-marks, in slot order (the third only when a third re-marker was given).
    pub remarks: [Option<Mark>; 3],
    pub third_assigned: bool,
    /// The chief's decision when the re-marks do not settle it.
    pub decision: Option<Mark>,
    /// The council chair's minuted decision when the re-mark is far from the published mark.
    pub council: Option<Mark>,
    pub answer: Option<Mark>,
}

/// Where an appeal stands (Decree 170/2025 Art 17–18; Circular 22/2025 Art 16). The two
/// re-marks are settled as first markings are: under the older rule sets less than the
/// tolerance apart → their average, otherwise the chief; under Circular 22 up to 5 points →
/// the mean, above 5 and under 10 → the chief, from 10 → a third re-marker and two equal marks
/// of three, otherwise the chief. Then, under Circular 22, a result 5 points or more from the
/// published mark `original` waits for the council chair's minuted decision; closer, it stands.
pub fn appeal_state(r: Recorded, scale: Scale, rule: RemarkRule, original: Mark) -> AppealState {
    if let Some(mark) = r.answer {
        return AppealState::Answered(mark);
    }
    if !r.fee_recorded {
        return AppealState::AwaitingFee;
    }
    if !r.assigned {
        return AppealState::AwaitingAssignment;
    }
    let [Some(first), Some(second), third] = r.remarks else {
        return AppealState::Remarking {
            entered: r.remarks.iter().flatten().count() as u8,
        };
    };
    let chief = |difference| match r.decision {
        Some(mark) => Ok(AppealState::Decided(mark)),
        None => Err(AppealState::ToChair { difference }),
    };
    let settled = match settle(first, second, scale, rule.marking) {
        Settled::Mean(mark) => Ok(AppealState::Agreed(mark)),
        Settled::ToChair { difference } => chief(difference),
        Settled::ThirdMarker { difference } => match (r.third_assigned, third) {
            (false, _) => Err(AppealState::NeedsThirdRemarker { difference }),
            (true, None) => Err(AppealState::Remarking { entered: 2 }),
            (true, Some(third)) => match two_of_three([first, second, third]) {
                Some(mark) => Ok(AppealState::Agreed(mark)),
                None => chief(spread(&[first, second, third])),
            },
        },
    };
    let settled = match settled {
        Ok(state) => state,
        Err(waiting) => return waiting,
    };
    let (Some(percent), Some(remarked)) = (rule.council_from_percent, settled.result()) else {
        return settled;
    };
    let difference = remarked.hundredths().abs_diff(original.hundredths());
    if difference < u32::from(scale.max) * u32::from(percent) {
        return settled;
    }
    match r.council {
        Some(mark) => AppealState::Minuted(mark),
        None => AppealState::ToCouncil {
            remarked,
            difference: Mark::from_hundredths(difference),
        },
    }
}

fn spread(marks: &[Mark]) -> Mark {
    let high = marks.iter().map(|m| m.hundredths()).max().unwrap_or(0);
    let low = marks.iter().map(|m| m.hundredths()).min().unwrap_or(0);
    Mark::from_hundredths(high - low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn m(points: u32) -> Mark {
        Mark::from_hundredths(points * 100)
    }

    /// The older rule sets: a 10 % tolerance, no third re-marker, no council step.
    const OLD: RemarkRule = RemarkRule {
        marking: MarkingRule::Tolerance(10),
        council_from_percent: None,
    };

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
        assert_eq!(appeal_state(r, scale, OLD, m(60)), AppealState::AwaitingFee);
        r.fee_recorded = true;
        assert_eq!(
            appeal_state(r, scale, OLD, m(60)),
            AppealState::AwaitingAssignment
        );
        r.assigned = true;
        r.remarks[1] = Some(m(70));
        assert_eq!(
            appeal_state(r, scale, OLD, m(60)),
            AppealState::Remarking { entered: 1 }
        );
        r.remarks[0] = Some(m(64));
        assert_eq!(
            appeal_state(r, scale, OLD, m(60)),
            AppealState::Agreed(m(67)),
            "6 apart on 100 is within 10%"
        );
        r.remarks[0] = Some(m(60));
        assert_eq!(
            appeal_state(r, scale, OLD, m(60)),
            AppealState::ToChair { difference: m(10) },
            "exactly the tolerance goes to the chair"
        );
        r.decision = Some(m(66));
        assert_eq!(
            appeal_state(r, scale, OLD, m(60)),
            AppealState::Decided(m(66))
        );
        r.answer = Some(m(66));
        assert_eq!(
            appeal_state(r, scale, OLD, m(60)),
            AppealState::Answered(m(66))
        );
        assert_eq!(appeal_state(r, scale, OLD, m(60)).result(), Some(m(66)));
    }

    #[test]
    fn a_decision_counts_only_while_the_remarks_disagree() {
        let r = Recorded {
            fee_recorded: true,
            assigned: true,
            remarks: [Some(m(50)), Some(m(52)), None],
            decision: Some(m(80)),
            ..Recorded::default()
        };
        assert_eq!(
            appeal_state(r, Scale::new(100), OLD, m(50)),
            AppealState::Agreed(m(51))
        );
    }

    /// Circular 22/2025 with Decree 170/2025 Art 18's council step, on a 100-point paper.
    const C22: RemarkRule = RemarkRule {
        marking: MarkingRule::Bands {
            mean_up_to_percent: 5,
            third_from_percent: 10,
            panel_spread_percent: 10,
        },
        council_from_percent: Some(5),
    };

    fn remarked(marks: [Option<u32>; 3], third_assigned: bool) -> Recorded {
        Recorded {
            fee_recorded: true,
            assigned: true,
            remarks: marks.map(|p| p.map(m)),
            third_assigned,
            ..Recorded::default()
        }
    }

    /// Re-marking under Circular 22 Art 16 (its bands apply to re-marks as to marks) and
    /// Decree 170/2025 Art 18 (a re-mark 5 points or more from the published mark goes to the
    /// council chair; closer, it adjusts the mark). Published mark 60 on 100.
    #[test]
    fn re_marking_follows_circular_22_and_art_18() {
        let scale = Scale::new(100);
        let published = m(60);
        let state = |r| appeal_state(r, scale, C22, published);
        let cases: [(Recorded, AppealState); 8] = [
            // 62 and 63: 1 apart → mean 62.5, 2.5 from 60: adjusted.
            (
                remarked([Some(62), Some(63), None], false),
                AppealState::Agreed(Mark::from_hundredths(6250)),
            ),
            // 5 apart exactly is still the mean (≤ 5): 61 and 66 → 63.5.
            (
                remarked([Some(61), Some(66), None], false),
                AppealState::Agreed(Mark::from_hundredths(6350)),
            ),
            // 6 apart: the chief decides.
            (
                remarked([Some(60), Some(66), None], false),
                AppealState::ToChair { difference: m(6) },
            ),
            // 10 apart: a third re-marker, not yet given.
            (
                remarked([Some(60), Some(70), None], false),
                AppealState::NeedsThirdRemarker { difference: m(10) },
            ),
            // Given, not yet marked.
            (
                remarked([Some(60), Some(70), None], true),
                AppealState::Remarking { entered: 2 },
            ),
            // Two of three equal: 60; 0 from the published mark.
            (
                remarked([Some(60), Some(70), Some(60)], true),
                AppealState::Agreed(m(60)),
            ),
            // Three different marks: the chief, with the three marks' spread.
            (
                remarked([Some(60), Some(70), Some(64)], true),
                AppealState::ToChair { difference: m(10) },
            ),
            // Two of three equal at 70: 10 from the published 60 → the council chair.
            (
                remarked([Some(60), Some(70), Some(70)], true),
                AppealState::ToCouncil {
                    remarked: m(70),
                    difference: m(10),
                },
            ),
        ];
        for (r, expected) in cases {
            assert_eq!(state(r), expected, "{:?}", r.remarks);
        }
        // Exactly 5 from the published mark is the council's; 4.75 is not.
        assert_eq!(
            state(remarked([Some(65), Some(65), None], false)),
            AppealState::ToCouncil {
                remarked: m(65),
                difference: m(5)
            }
        );
        let mut r = remarked([Some(64), None, None], false);
        r.remarks[1] = Some(Mark::from_hundredths(6550));
        assert_eq!(state(r), AppealState::Agreed(Mark::from_hundredths(6475)));
        // The chief decides 66 (6 from 60): that too goes to the council chair, who minutes 65.
        let mut r = remarked([Some(60), Some(66), None], false);
        r.decision = Some(m(66));
        assert_eq!(
            state(r),
            AppealState::ToCouncil {
                remarked: m(66),
                difference: m(6)
            }
        );
        r.council = Some(m(65));
        assert_eq!(state(r), AppealState::Minuted(m(65)));
        assert_eq!(state(r).result(), Some(m(65)));
    }
}
