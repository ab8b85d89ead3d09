//! The legal clocks of a round (Decree 170/2025 Art 15–19 as amended by Decree 300/2026): each
//! step's deadline, counted from when the step before it actually happened, whether it was met,
//! and how long is left. Pure: the dates are passed in; HR's round page shows the result.

use crate::calendar::Calendar;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

/// A step with a legal deadline, in the order of the round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// The list of eligible candidates published and everyone summoned: 15 days after the
    /// close (30 with 500 or more applicants).
    EligibleList,
    /// Stage 1: within 30 days of the close.
    Stage1,
    /// Stage 2: within 10 days after stage 1 (30 days of the close without a stage 1).
    Stage2,
    /// Exam scores published: 15 days after stage 2 (30 with 1,000 or more candidates).
    ExamScores,
    /// Appeals may be filed: 5 working days from the scores' publication.
    AppealWindow,
    /// Re-marking done: 10 days after the window.
    Remarking,
    /// Results compiled: 5 working days after the appeals are over.
    Compile,
    /// The head approves: 5 working days after compiling.
    Approve,
    /// Winners published and told: 2 working days after approval.
    PublishWinners,
    /// Winners complete their dossier: 15 days after the listing (Decree 300; 20 before).
    Dossiers,
    /// The next-ranked published and told: 5 working days after a cancelled list (Decree 300).
    NextRanked,
    /// The appointment decision: 3 working days after the dossier deadline.
    Appointment,
    /// Appointees report for work: 15 days after the (last) decision.
    Reporting,
}

impl Step {
    pub fn msg(self) -> Msg {
        match self {
            Step::EligibleList => Msg::ClockEligibleList,
            Step::Stage1 => Msg::ClockStage1,
            Step::Stage2 => Msg::ClockStage2,
            Step::ExamScores => Msg::ClockExamScores,
            Step::AppealWindow => Msg::ClockAppealWindow,
            Step::Remarking => Msg::ClockRemarking,
            Step::Compile => Msg::ClockCompile,
            Step::Approve => Msg::ClockApprove,
            Step::PublishWinners => Msg::ClockPublishWinners,
            Step::Dossiers => Msg::ClockDossiers,
            Step::NextRanked => Msg::ClockNextRanked,
            Step::Appointment => Msg::ClockAppointment,
            Step::Reporting => Msg::ClockReporting,
        }
    }
}

/// When each step of the round actually happened (None: not yet).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub closes_at: Option<OffsetDateTime>,
    pub applicants: u32,
    pub candidates: u32,
    /// The first schedule published (the summons with the eligible list).
    pub summoned_at: Option<OffsetDateTime>,
    /// Some position has a stage-1 test.
    pub has_stage1: bool,
    pub stage1_first: Option<OffsetDateTime>,
    pub stage2_first: Option<OffsetDateTime>,
    pub stage2_last: Option<OffsetDateTime>,
    /// Exam scores are published before results (the amended decree's sequence).
    pub scores_first: bool,
    /// Every scored position's scores published: the last publication.
    pub scores_published: Option<OffsetDateTime>,
    /// Some position's test can be appealed.
    pub appealable: bool,
    /// The end of the last appeal window, once one has opened.
    pub appeals_close: Option<OffsetDateTime>,
    /// Paid appeals still unanswered, and the last answer given.
    pub appeals_open: u32,
    pub last_answer: Option<OffsetDateTime>,
    pub compiled: Option<OffsetDateTime>,
    pub approved: Option<OffsetDateTime>,
    pub winners_published: Option<OffsetDateTime>,
    /// The round's rule set follows Decree 300 after selection (its clock lengths).
    pub after_selection: Option<crate::rounds::rules::AfterSelection>,
    /// The lengths of the sequence's clocks, from the round's rule set.
    pub sequence: crate::rounds::rules::SequenceClocks,
    /// The last cancelled list published, and when every place it freed was passed on (or
    /// found nobody left).
    pub cancelled_list: Option<OffsetDateTime>,
    pub next_ranked: Option<OffsetDateTime>,
    /// Every complete dossier has its appointment decision: the last one recorded.
    pub appointed: Option<OffsetDateTime>,
    /// The latest decision's date, and when every appointee's reporting was recorded.
    pub last_decision: Option<Date>,
    pub reported: Option<OffsetDateTime>,
}

/// Where a clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockState {
    /// The step before it has not happened: no deadline yet.
    NotYet,
    Met,
    Late {
        days: i64,
    },
    /// `days` calendar days left (0: today is the last day).
    Left {
        days: i64,
    },
    Overdue {
        days: i64,
    },
}

/// Days left at which HR is warned.
pub const WARN_DAYS: i64 = 2;

impl ClockState {
    /// The deadline is close (or passed) and the step is not done.
    pub fn warns(self) -> bool {
        matches!(self, ClockState::Left { days } if days <= WARN_DAYS)
            || matches!(self, ClockState::Overdue { .. })
    }
}

/// One clock on HR's round page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub step: Step,
    pub due: Option<OffsetDateTime>,
    pub done: Option<OffsetDateTime>,
    pub state: ClockState,
}

fn vn_date(at: OffsetDateTime) -> Date {
    crate::rounds::types::vietnam_date(at)
}

/// The last second of the `days`-th calendar day after `at` (Vietnam time).
fn end_of_days(at: OffsetDateTime, days: i64) -> OffsetDateTime {
    let date = vn_date(at).saturating_add(Duration::days(days));
    date.with_time(time::Time::MIDNIGHT)
        .assume_offset(time::macros::offset!(+7))
        .saturating_add(Duration::DAY)
        .saturating_sub(Duration::SECOND)
}

fn state(
    due: Option<OffsetDateTime>,
    done: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> ClockState {
    let Some(due) = due else {
        return ClockState::NotYet;
    };
    let days = |from: Date, to: Date| (to - from).whole_days();
    match done {
        Some(done) if done <= due => ClockState::Met,
        Some(done) => ClockState::Late {
            days: days(vn_date(due), vn_date(done)),
        },
        None if now <= due => ClockState::Left {
            days: days(vn_date(now), vn_date(due)),
        },
        None => ClockState::Overdue {
            days: days(vn_date(due), vn_date(now)),
        },
    }
}

/// Every clock of the round, in order (Decree 170/2025 Art 15–19; Decree 300/2026 Art 5–6).
/// A clock whose step does not apply (no stage 1; appeals under the older sequence) is left
/// out.
pub fn clocks(facts: &Facts, calendar: &Calendar, now: OffsetDateTime) -> Vec<Clock> {
    let mut out = Vec::new();
    let mut push = |step, due: Option<OffsetDateTime>, done| {
        out.push(Clock {
            step,
            due,
            done,
            state: state(due, done, now),
        })
    };
    let close = facts.closes_at;
    let law = facts.sequence;
    let days = i64::from;
    let list_days = days(if facts.applicants >= law.many_applicants {
        law.eligible_list_days_many
    } else {
        law.eligible_list_days
    });
    push(
        Step::EligibleList,
        close.map(|c| end_of_days(c, list_days)),
        facts.summoned_at,
    );
    if facts.has_stage1 {
        push(
            Step::Stage1,
            close.map(|c| end_of_days(c, days(law.stage1_days))),
            facts.stage1_first,
        );
    }
    let stage2_due = if facts.has_stage1 {
        facts
            .stage1_first
            .map(|s| end_of_days(s, days(law.stage2_days)))
    } else {
        close.map(|c| end_of_days(c, days(law.stage1_days)))
    };
    push(Step::Stage2, stage2_due, facts.stage2_first);
    let scores_days = days(if facts.candidates >= law.many_candidates {
        law.scores_days_many
    } else {
        law.scores_days
    });
    let scores_due = facts.stage2_last.map(|s| end_of_days(s, scores_days));
    if facts.scores_first {
        push(Step::ExamScores, scores_due, facts.scores_published);
        // Appeals are over at the last answer, or at the window's end when none was paid.
        let appeals_over = if facts.appealable {
            let window_over = facts.appeals_close.filter(|&end| now > end);
            push(Step::AppealWindow, facts.appeals_close, window_over);
            let remark_due = facts
                .appeals_close
                .map(|end| end_of_days(end, days(law.remark_days)));
            let remarked = match (window_over, facts.appeals_open) {
                (Some(end), 0) => Some(facts.last_answer.map_or(end, |a| a.max(end))),
                _ => None,
            };
            push(Step::Remarking, remark_due, remarked);
            remarked
        } else {
            facts.scores_published
        };
        push(
            Step::Compile,
            appeals_over.map(|at| calendar.end_of_working_days(at, law.compile_working_days)),
            facts.compiled,
        );
    } else {
        // The older sequence: results are compiled from the scores, appeals come after.
        push(Step::Compile, scores_due, facts.compiled);
    }
    let approve_due = facts
        .compiled
        .map(|at| calendar.end_of_working_days(at, law.approve_working_days));
    push(Step::Approve, approve_due, facts.approved);
    let publish_due = facts
        .approved
        .map(|at| calendar.end_of_working_days(at, law.publish_working_days));
    push(Step::PublishWinners, publish_due, facts.winners_published);
    let after = facts.after_selection;
    let dossier_days = after.map_or(20, |a| i64::from(a.dossier_days));
    let dossier_due = facts
        .winners_published
        .map(|at| end_of_days(at, dossier_days));
    // Nothing records the last dossier yet: the clock runs to its end.
    let dossiers_over = dossier_due.filter(|&end| now > end);
    push(Step::Dossiers, dossier_due, dossiers_over);
    if let (Some(after), Some(listed)) = (after, facts.cancelled_list) {
        push(
            Step::NextRanked,
            Some(calendar.end_of_working_days(listed, after.next_ranked_working_days)),
            facts.next_ranked,
        );
    }
    let appointment_days = after.map_or(3, |a| a.appointment_working_days);
    push(
        Step::Appointment,
        dossier_due.map(|at| calendar.end_of_working_days(at, appointment_days)),
        facts.appointed,
    );
    if let Some(decided) = facts.last_decision {
        let report_days = after.map_or(15, |a| i64::from(a.report_days));
        let decided = decided
            .with_time(time::Time::MIDNIGHT)
            .assume_offset(time::macros::offset!(+7));
        push(
            Step::Reporting,
            Some(end_of_days(decided, report_days)),
            facts.reported,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn by_step(clocks: &[Clock], step: Step) -> &Clock {
        clocks.iter().find(|c| c.step == step).unwrap()
    }

    /// Decree 170/2025 Art 15–18 as amended: each deadline counts from when the step before it
    /// happened. Applications closed Monday 1 March 2027.
    #[test]
    fn each_deadline_counts_from_the_step_before_it() {
        let calendar = Calendar::default();
        let mut facts = Facts {
            closes_at: Some(datetime!(2027-03-01 17:00 +7)),
            applicants: 120,
            candidates: 100,
            has_stage1: true,
            scores_first: true,
            appealable: true,
            ..Facts::default()
        };
        let now = datetime!(2027-03-14 10:00 +7);
        let c = clocks(&facts, &calendar, now);
        // 15 days after 1 March: 16 March, two days left from the 14th → a warning.
        let list = by_step(&c, Step::EligibleList);
        assert_eq!(list.due, Some(datetime!(2027-03-16 23:59:59 +7)));
        assert_eq!(list.state, ClockState::Left { days: 2 });
        assert!(list.state.warns());
        assert_eq!(
            by_step(&c, Step::Stage1).state,
            ClockState::Left { days: 17 }
        );
        assert!(!by_step(&c, Step::Stage1).state.warns());
        assert_eq!(by_step(&c, Step::Stage2).state, ClockState::NotYet);

        // 500 applicants give 30 days; summoned on the 20th, within them.
        facts.applicants = 500;
        facts.summoned_at = Some(datetime!(2027-03-20 09:00 +7));
        let c = clocks(&facts, &calendar, now);
        assert_eq!(by_step(&c, Step::EligibleList).state, ClockState::Met);

        // Stage 1 on 25 March; stage 2 due by 4 April, held on the 6th: two days late.
        facts.stage1_first = Some(datetime!(2027-03-25 08:00 +7));
        facts.stage2_first = Some(datetime!(2027-04-06 08:00 +7));
        facts.stage2_last = facts.stage2_first;
        let later = datetime!(2027-04-12 10:00 +7);
        let c = clocks(&facts, &calendar, later);
        assert_eq!(
            by_step(&c, Step::Stage2).due,
            Some(datetime!(2027-04-04 23:59:59 +7))
        );
        assert_eq!(
            by_step(&c, Step::Stage2).state,
            ClockState::Late { days: 2 }
        );
        // Scores within 15 days of stage 2: by 21 April.
        assert_eq!(
            by_step(&c, Step::ExamScores).state,
            ClockState::Left { days: 9 }
        );
    }

    /// After the scores: the appeal window (5 working days), re-marking (10 days), compiling and
    /// approval (5 working days each), publication (2 working days), dossiers (15 days),
    /// appointment (3 working days).
    #[test]
    fn after_the_scores_every_clock_follows_the_one_before() {
        let calendar = Calendar::default();
        let published = datetime!(2027-04-15 09:00 +7); // a Thursday
        let window = calendar.end_of_working_days(published, 5);
        let mut facts = Facts {
            closes_at: Some(datetime!(2027-03-01 17:00 +7)),
            scores_first: true,
            appealable: true,
            scores_published: Some(published),
            appeals_close: Some(window),
            appeals_open: 1,
            after_selection: Some(crate::rounds::rules::AfterSelection::DECREE_300),
            ..Facts::default()
        };
        let during = datetime!(2027-04-20 10:00 +7);
        let c = clocks(&facts, &calendar, during);
        assert_eq!(window, datetime!(2027-04-22 23:59:59 +7));
        assert_eq!(
            by_step(&c, Step::AppealWindow).state,
            ClockState::Left { days: 2 }
        );
        assert_eq!(by_step(&c, Step::Compile).state, ClockState::NotYet);

        // The window closed; one appeal still open on 3 May: re-marking due 2 May, overdue.
        let after = datetime!(2027-05-03 10:00 +7);
        let c = clocks(&facts, &calendar, after);
        assert_eq!(by_step(&c, Step::AppealWindow).state, ClockState::Met);
        assert_eq!(
            by_step(&c, Step::Remarking).state,
            ClockState::Overdue { days: 1 }
        );
        assert!(by_step(&c, Step::Remarking).state.warns());

        // Answered on the 30th: compiling is due 5 working days later (7 May).
        facts.appeals_open = 0;
        facts.last_answer = Some(datetime!(2027-04-30 16:00 +7));
        let c = clocks(&facts, &calendar, after);
        assert_eq!(by_step(&c, Step::Remarking).state, ClockState::Met);
        assert_eq!(
            by_step(&c, Step::Compile).due,
            Some(datetime!(2027-05-07 23:59:59 +7))
        );
        facts.compiled = Some(datetime!(2027-05-04 10:00 +7));
        facts.approved = Some(datetime!(2027-05-07 10:00 +7)); // a Friday
        facts.winners_published = Some(datetime!(2027-05-12 10:00 +7));
        let c = clocks(&facts, &calendar, datetime!(2027-05-20 10:00 +7));
        assert_eq!(by_step(&c, Step::Approve).state, ClockState::Met);
        // Two working days after Friday the 7th end with Tuesday the 11th: a day late.
        assert_eq!(
            by_step(&c, Step::PublishWinners).state,
            ClockState::Late { days: 1 }
        );
        assert_eq!(
            by_step(&c, Step::Dossiers).due,
            Some(datetime!(2027-05-27 23:59:59 +7))
        );
        assert_eq!(
            by_step(&c, Step::Appointment).due,
            Some(datetime!(2027-06-01 23:59:59 +7))
        );
        // No cancelled list, no next-ranked clock.
        assert!(c.iter().all(|c| c.step != Step::NextRanked));

        // Decree 300 Art 18.4: a cancelled list on Friday 28 May; the next-ranked are due 5
        // working days later, Friday 4 June, and were published on the 3rd.
        facts.cancelled_list = Some(datetime!(2027-05-28 10:00 +7));
        let c = clocks(&facts, &calendar, datetime!(2027-06-02 10:00 +7));
        let next = by_step(&c, Step::NextRanked);
        assert_eq!(next.due, Some(datetime!(2027-06-04 23:59:59 +7)));
        assert_eq!(next.state, ClockState::Left { days: 2 });
        facts.next_ranked = Some(datetime!(2027-06-03 10:00 +7));
        let c = clocks(&facts, &calendar, datetime!(2027-06-07 10:00 +7));
        assert_eq!(by_step(&c, Step::NextRanked).state, ClockState::Met);

        // Before Decree 300 (Decree 170/2025 Art 18 as first made): 20 days for the dossier.
        facts.after_selection = None;
        let c = clocks(&facts, &calendar, datetime!(2027-05-20 10:00 +7));
        assert_eq!(
            by_step(&c, Step::Dossiers).due,
            Some(datetime!(2027-06-01 23:59:59 +7))
        );
        assert!(c.iter().all(|c| c.step != Step::NextRanked));
        assert!(c.iter().all(|c| c.step != Step::Reporting));

        // Decree 170/2025 Art 19 as amended: the decision on 31 May was on time; appointees
        // report within 15 days of it, by 15 June.
        facts.after_selection = Some(crate::rounds::rules::AfterSelection::DECREE_300);
        facts.appointed = Some(datetime!(2027-05-31 10:00 +7));
        facts.last_decision = Some(time::macros::date!(2027 - 05 - 31));
        let c = clocks(&facts, &calendar, datetime!(2027-06-14 10:00 +7));
        assert_eq!(by_step(&c, Step::Appointment).state, ClockState::Met);
        let report = by_step(&c, Step::Reporting);
        assert_eq!(report.due, Some(datetime!(2027-06-15 23:59:59 +7)));
        assert_eq!(report.state, ClockState::Left { days: 1 });
    }

    /// Every length is the rule set's (the law changes; DOMAIN "The law in force"): 20 days
    /// for the eligible list and 3 working days for the approval move those deadlines.
    #[test]
    fn the_lengths_are_the_rule_sets() {
        let facts = Facts {
            closes_at: Some(datetime!(2027-03-01 17:00 +7)),
            scores_first: true,
            compiled: Some(datetime!(2027-05-04 10:00 +7)), // a Tuesday
            sequence: crate::rounds::rules::SequenceClocks {
                eligible_list_days: 20,
                approve_working_days: 3,
                ..Default::default()
            },
            ..Facts::default()
        };
        let c = clocks(&facts, &Calendar::default(), datetime!(2027-03-02 10:00 +7));
        assert_eq!(
            by_step(&c, Step::EligibleList).due,
            Some(datetime!(2027-03-21 23:59:59 +7))
        );
        assert_eq!(
            by_step(&c, Step::Approve).due,
            Some(datetime!(2027-05-07 23:59:59 +7))
        );
    }

    #[test]
    fn without_a_stage_1_or_an_appealable_test_those_clocks_are_left_out() {
        let facts = Facts {
            closes_at: Some(datetime!(2027-03-01 17:00 +7)),
            scores_first: true,
            ..Facts::default()
        };
        let c = clocks(&facts, &Calendar::default(), datetime!(2027-03-02 10:00 +7));
        let steps: Vec<Step> = c.iter().map(|c| c.step).collect();
        assert!(!steps.contains(&Step::Stage1));
        assert!(!steps.contains(&Step::AppealWindow));
        assert_eq!(
            by_step(&c, Step::Stage2).due,
            Some(datetime!(2027-03-31 23:59:59 +7))
        );
    }
}
