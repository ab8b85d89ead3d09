use super::*;
use proptest::prelude::*;
use std::collections::HashSet;
use std::time::Instant;

const PASS: u8 = 50;
const U1: Uuid = Uuid::from_u128(0x1001);
const U2: Uuid = Uuid::from_u128(0x1002);
const U3: Uuid = Uuid::from_u128(0x1003);

fn id(number: u32) -> Uuid {
    Uuid::from_u128(u128::from(number))
}

/// Candidate `number` with a stage-2 score in hundredths and priority points in tenths, who
/// passed stage 1 and wants the position's only unit.
fn cand(number: u32, stage2: u32, priority_tenths: u16) -> Candidate {
    Candidate {
        id: id(number),
        number,
        stage1_passed: true,
        stage2: Some(Mark::from_hundredths(stage2)),
        written: None,
        part_below_half: false,
        priority_tenths,
        excluded: false,
        preferences: vec![],
    }
}

fn wanting(mut candidate: Candidate, preferences: &[Uuid]) -> Candidate {
    candidate.preferences = preferences.to_vec();
    candidate
}

fn ids(numbers: &[u32]) -> Vec<Uuid> {
    numbers.iter().map(|&n| id(n)).collect()
}

fn selected(r: &PositionRanking) -> Vec<(Uuid, Uuid)> {
    r.selected.iter().map(|s| (s.candidate, s.unit)).collect()
}

fn reserve(r: &PositionRanking) -> Vec<Uuid> {
    r.reserve.iter().map(|e| e.candidate).collect()
}

fn outcome(r: &PositionRanking, number: u32) -> Outcome {
    r.explanation(id(number)).unwrap().outcome.clone()
}

fn rank(r: &PositionRanking, number: u32) -> Option<u32> {
    r.explanation(id(number)).unwrap().rank
}

fn tie_break(r: &PositionRanking, number: u32) -> TieBreak {
    r.explanation(id(number)).unwrap().tie_break.clone()
}

#[test]
fn a_single_unit_position_selects_down_to_the_quota() {
    let candidates = [
        cand(4, 5500, 0),
        cand(1, 8000, 0),
        cand(3, 6000, 0),
        cand(2, 7000, 0),
    ];
    let r = rank_position(&[(U1, 2)], &candidates, PASS, &[]);
    assert_eq!(selected(&r), vec![(id(1), U1), (id(2), U1)]);
    assert_eq!(reserve(&r), ids(&[3, 4]));
    assert_eq!(
        r.reserve.iter().map(|e| e.place).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(
        (1..=4).map(|n| rank(&r, n)).collect::<Vec<_>>(),
        [1, 2, 3, 4].map(Some)
    );
    assert!(r.can_publish());
    assert_eq!(tie_break(&r, 1), TieBreak::NotTied);
    let step = &r.steps[2];
    assert_eq!((step.candidate, step.rank), (id(3), 3));
    let full = Tried {
        unit: U1,
        result: TryResult::Full,
    };
    assert_eq!(step.tried, vec![full]);
    assert_eq!(step.outcome, Outcome::Reserve { place: 1 });
}

#[test]
fn below_the_pass_mark_is_never_selected_even_with_priority_points() {
    // 49.75 + 7.5 = 57.25 beats 50 + 0, but the stage-2 score alone is below 50.
    let candidates = [cand(1, 4975, 75), cand(2, 5000, 0)];
    let r = rank_position(&[(U1, 2)], &candidates, PASS, &[]);
    assert_eq!(selected(&r), vec![(id(2), U1)]);
    let below = outcome(&r, 1);
    assert_eq!(
        below,
        Outcome::NotSelected(NotSelectedReason::BelowPassMark)
    );
    assert_eq!(rank(&r, 1), None);
    assert!(r.reserve.is_empty());
}

#[test]
fn priority_points_are_added_to_the_total() {
    // 70 + 7.5 = 77.5 (7750 hundredths) beats 77 + 0.
    let candidates = [cand(1, 7700, 0), cand(2, 7000, 75)];
    let r = rank_position(&[(U1, 1)], &candidates, PASS, &[]);
    assert_eq!(selected(&r), vec![(id(2), U1)]);
    let why = r.explanation(id(2)).unwrap();
    assert_eq!(why.priority, Mark::from_hundredths(750));
    assert_eq!(why.total, Some(Mark::from_hundredths(7750)));
    assert_eq!(why.stage2, Some(Mark::from_hundredths(7000)));
}

#[test]
fn a_tie_at_the_last_place_goes_to_the_higher_stage2_score() {
    // Both total 70: 65 + 5 against 70 + 0.
    let candidates = [cand(1, 8000, 0), cand(2, 6500, 50), cand(3, 7000, 0)];
    let r = rank_position(&[(U1, 2)], &candidates, PASS, &[]);
    assert_eq!(selected(&r), vec![(id(1), U1), (id(3), U1)]);
    assert_eq!(reserve(&r), ids(&[2]));
    assert_eq!([1, 2, 3].map(|n| rank(&r, n)), [Some(1), Some(3), Some(2)]);
    assert_eq!(tie_break(&r, 3), TieBreak::HigherStage2Score);
    assert_eq!(tie_break(&r, 2), TieBreak::HigherStage2Score);
    assert_eq!(tie_break(&r, 1), TieBreak::NotTied);
    assert!(r.can_publish());
}

/// Decree 170/2025 Art 10.2: equal totals → the higher specialised (stage-2) score → for
/// written + interview the higher written score → the head decides.
#[test]
fn equal_totals_and_scores_go_to_the_higher_written_score() {
    let with_written = |c: Candidate, written: u32| Candidate {
        written: Some(Mark::from_hundredths(written)),
        ..c
    };
    // All total 70 with 70 stage-2: written 80, 60 and 75.
    let candidates = [
        with_written(cand(1, 7000, 0), 8000),
        with_written(cand(2, 7000, 0), 6000),
        with_written(cand(3, 7000, 0), 7500),
    ];
    let r = rank_position(&[(U1, 2)], &candidates, PASS, &[]);
    assert_eq!(selected(&r), vec![(id(1), U1), (id(3), U1)]);
    assert_eq!(reserve(&r), ids(&[2]));
    assert_eq!([1, 2, 3].map(|n| rank(&r, n)), [Some(1), Some(3), Some(2)]);
    for n in [1, 2, 3] {
        assert_eq!(tie_break(&r, n), TieBreak::HigherWrittenScore, "{n}");
    }
    assert!(r.can_publish());
    // Equal written scores too: the head decides.
    let still_equal = [
        with_written(cand(1, 7000, 0), 8000),
        with_written(cand(2, 7000, 0), 8000),
    ];
    let r = rank_position(&[(U1, 1)], &still_equal, PASS, &[]);
    assert!(!r.can_publish());
}

/// Decree 170/2025 Art 10.1: written + interview needs both parts sat and each at least half
/// of its maximum, whatever the combined score; it is reported after absence and before the
/// pass mark.
#[test]
fn a_part_below_half_is_never_selected() {
    let below_half = Candidate {
        part_below_half: true,
        ..cand(1, 9000, 75)
    };
    let both_low = Candidate {
        part_below_half: true,
        ..cand(2, 4000, 0)
    };
    let absent = Candidate {
        stage2: None,
        part_below_half: true,
        ..cand(3, 0, 0)
    };
    let r = rank_position(
        &[(U1, 3)],
        &[below_half, both_low, absent, cand(4, 5000, 0)],
        PASS,
        &[],
    );
    assert_eq!(selected(&r), vec![(id(4), U1)]);
    assert_eq!(
        outcome(&r, 1),
        Outcome::NotSelected(NotSelectedReason::PartBelowHalf)
    );
    assert_eq!(
        outcome(&r, 2),
        Outcome::NotSelected(NotSelectedReason::PartBelowHalf)
    );
    assert_eq!(
        outcome(&r, 3),
        Outcome::NotSelected(NotSelectedReason::Absent)
    );
}

#[test]
fn a_full_tie_at_the_last_place_needs_a_decision_and_follows_it_once_recorded() {
    let candidates = [
        cand(1, 8000, 0),
        cand(3, 7000, 0),
        cand(2, 7000, 0),
        cand(4, 6000, 0),
    ];
    let units = [(U1, 2)];
    let r = rank_position(&units, &candidates, PASS, &[]);
    let tie = TieNeedsDecision {
        candidates: ids(&[2, 3]),
        unit: U1,
        places: 1,
    };
    assert_eq!(r.ties_needing_decision, vec![tie]);
    assert!(!r.can_publish());
    assert_eq!(selected(&r), vec![(id(1), U1)]);
    let undecided = Outcome::NotSelected(NotSelectedReason::UndecidedTie);
    assert_eq!(
        [outcome(&r, 2), outcome(&r, 3)],
        [undecided.clone(), undecided]
    );
    assert_eq!([2, 3, 4].map(|n| rank(&r, n)), [Some(2), Some(2), Some(4)]);
    assert_eq!(tie_break(&r, 2), TieBreak::Undecided);
    let tied = Tried {
        unit: U1,
        result: TryResult::Tied,
    };
    assert_eq!(r.steps[1].tried, vec![tied]);
    // The contested place is held: the next candidate cannot take it meanwhile.
    assert_eq!(reserve(&r), ids(&[4]));

    let reference = Uuid::from_u128(0xdec);
    let decision = TieDecision {
        reference,
        order: ids(&[3, 2]),
    };
    let r = rank_position(&units, &candidates, PASS, &[decision]);
    assert!(r.can_publish());
    assert_eq!(selected(&r), vec![(id(1), U1), (id(3), U1)]);
    assert_eq!(reserve(&r), ids(&[2, 4]));
    assert_eq!([2, 3, 4].map(|n| rank(&r, n)), [Some(3), Some(2), Some(4)]);
    assert_eq!(tie_break(&r, 2), TieBreak::AuthorityDecision { reference });

    // A decision about another group (here one more candidate) does not apply.
    let other = TieDecision {
        reference,
        order: ids(&[3, 2, 4]),
    };
    let r = rank_position(&units, &candidates, PASS, &[other]);
    assert_eq!(r.ties_needing_decision.len(), 1);
}

#[test]
fn a_later_decision_for_the_same_group_replaces_an_earlier_one() {
    let candidates = [cand(1, 7000, 0), cand(2, 7000, 0)];
    let first = TieDecision {
        reference: Uuid::from_u128(1),
        order: ids(&[1, 2]),
    };
    let second = TieDecision {
        reference: Uuid::from_u128(2),
        order: ids(&[2, 1]),
    };
    let r = rank_position(&[(U1, 1)], &candidates, PASS, &[first, second]);
    assert_eq!(selected(&r), vec![(id(2), U1)]);
    let reference = Uuid::from_u128(2);
    assert_eq!(tie_break(&r, 1), TieBreak::AuthorityDecision { reference });
}

#[test]
fn ties_away_from_the_boundary_need_no_decision() {
    let candidates = [
        cand(1, 8000, 0),
        cand(2, 8000, 0),
        cand(3, 6000, 0),
        cand(4, 5000, 0),
        cand(5, 5000, 0),
    ];
    let r = rank_position(&[(U1, 3)], &candidates, PASS, &[]);
    assert!(r.can_publish());
    assert_eq!(
        (1..=5).map(|n| rank(&r, n)).collect::<Vec<_>>(),
        [1, 1, 3, 4, 4].map(Some)
    );
    assert_eq!(tie_break(&r, 1), TieBreak::SharedRank);
    assert_eq!(tie_break(&r, 5), TieBreak::SharedRank);
    assert_eq!(tie_break(&r, 3), TieBreak::NotTied);
    assert_eq!(reserve(&r), ids(&[4, 5]));
    // A tied group that exactly fills the places left needs no decision either.
    let r = rank_position(&[(U1, 2)], &candidates[..3], PASS, &[]);
    assert!(r.can_publish());
    assert_eq!(selected(&r), vec![(id(1), U1), (id(2), U1)]);
    // Nor one with no place left at all.
    let r = rank_position(&[(U1, 1)], &candidates[2..], PASS, &[]);
    assert!(r.can_publish());
    assert_eq!(reserve(&r), ids(&[4, 5]));
}

#[test]
fn a_shared_position_honours_preferences_in_rank_order() {
    let candidates = [
        wanting(cand(1, 9000, 0), &[U1, U2]),
        wanting(cand(2, 8000, 0), &[U1, U2]),
        wanting(cand(3, 7000, 0), &[U2]),
        wanting(cand(4, 6000, 0), &[U3, U1]),
        wanting(cand(5, 5500, 0), &[U1, U2, U3]),
    ];
    let units = [(U1, 1), (U2, 1), (U3, 1)];
    let r = rank_position(&units, &candidates, PASS, &[]);
    // 1 takes U1; 2 falls back to U2; 3 wanted only U2; 4 gets U3; 5 finds all full.
    assert_eq!(selected(&r), vec![(id(1), U1), (id(2), U2), (id(4), U3)]);
    assert_eq!(reserve(&r), ids(&[3, 5]));
    let results = |n: usize| -> Vec<(Uuid, TryResult)> {
        r.steps[n]
            .tried
            .iter()
            .map(|t| (t.unit, t.result))
            .collect()
    };
    assert_eq!(results(1), [(U1, TryResult::Full), (U2, TryResult::Taken)]);
    assert_eq!(results(2), [(U2, TryResult::Full)]);
    assert_eq!(results(4).len(), 3);
    assert_eq!(outcome(&r, 2), Outcome::Selected { unit: U2 });
}

#[test]
fn a_tie_in_a_shared_position_needs_a_decision_only_when_order_matters() {
    let units = [(U1, 1), (U2, 1)];
    let tied = |first: &[Uuid], second: &[Uuid]| {
        let candidates = [
            wanting(cand(1, 7000, 0), first),
            wanting(cand(2, 7000, 0), second),
        ];
        rank_position(&units, &candidates, PASS, &[])
    };
    // Different first choices, or crossed preferences: the same units in any order.
    assert_eq!(
        selected(&tied(&[U1], &[U2])),
        vec![(id(1), U1), (id(2), U2)]
    );
    let crossed = tied(&[U1, U2], &[U2, U1]);
    assert!(crossed.can_publish());
    assert_eq!(selected(&crossed), vec![(id(1), U1), (id(2), U2)]);
    // Both want U1 first: whoever comes first gets it.
    let r = tied(&[U1, U2], &[U1, U2]);
    let tie = TieNeedsDecision {
        candidates: ids(&[1, 2]),
        unit: U1,
        places: 1,
    };
    assert_eq!(r.ties_needing_decision, vec![tie]);
    assert!(r.selected.is_empty());
}

#[test]
fn more_priority_points_can_create_a_tie_but_not_cost_the_place() {
    let units = [(U1, 1), (U2, 1)];
    let ahead = wanting(cand(1, 6000, 25), &[U1]);
    let behind = |priority| wanting(cand(2, 6000, priority), &[U1, U2]);
    let r = rank_position(&units, &[ahead.clone(), behind(0)], PASS, &[]);
    assert_eq!(selected(&r), vec![(id(1), U1), (id(2), U2)]);
    // Drawing level with the candidate ahead makes U1 depend on a decision...
    let r = rank_position(&units, &[ahead.clone(), behind(25)], PASS, &[]);
    assert_eq!(r.ties_needing_decision.len(), 1);
    assert_eq!(rank(&r, 2), Some(1));
    // ...and whichever way it goes, the candidate who gained points keeps a place.
    for (order, unit) in [([1, 2], U2), ([2, 1], U1)] {
        let decision = TieDecision {
            reference: Uuid::nil(),
            order: ids(&order),
        };
        let r = rank_position(&units, &[ahead.clone(), behind(25)], PASS, &[decision]);
        assert_eq!(outcome(&r, 2), Outcome::Selected { unit });
    }
}

#[test]
fn the_reserve_list_is_the_eligible_not_selected_in_rank_order() {
    let mut absent = cand(3, 0, 0);
    absent.stage2 = None;
    let candidates = [
        cand(7, 6100, 25),
        cand(1, 9000, 0),
        absent,
        cand(5, 6000, 0),
        cand(2, 4000, 75),
        cand(6, 6200, 0),
        cand(4, 6350, 0),
    ];
    let r = rank_position(&[(U1, 1)], &candidates, PASS, &[]);
    assert_eq!(selected(&r), vec![(id(1), U1)]);
    // Totals: 7 is 63.5 with 61 on stage 2, 4 is 63.5 with 63.5; then 6 (62), 5 (60).
    assert_eq!(reserve(&r), ids(&[4, 7, 6, 5]));
    assert_eq!(
        r.reserve
            .iter()
            .map(|e| (e.place, e.rank))
            .collect::<Vec<_>>(),
        [(1, 2), (2, 3), (3, 4), (4, 5)]
    );
}

#[test]
fn every_kind_of_outcome_is_explained() {
    let mut excluded = cand(3, 9900, 0);
    excluded.excluded = true;
    let mut failed = cand(4, 0, 0);
    (failed.stage1_passed, failed.stage2) = (false, None);
    let mut absent = cand(5, 0, 50);
    absent.stage2 = None;
    let candidates = [
        wanting(cand(1, 9000, 0), &[U1]),
        wanting(cand(2, 8000, 0), &[U1, U2]),
        excluded,
        failed,
        absent,
        cand(6, 4000, 0),
        wanting(cand(7, 7000, 0), &[U2]),
        wanting(cand(8, 7000, 0), &[U2]),
        wanting(cand(9, 8500, 0), &[U3]),
        wanting(cand(10, 6000, 0), &[U1]),
    ];
    let units = [(U1, 1), (U2, 2)];
    let r = rank_position(&units, &candidates, PASS, &[]);
    let not = Outcome::NotSelected;
    use NotSelectedReason::*;
    assert_eq!(outcome(&r, 1), Outcome::Selected { unit: U1 });
    assert_eq!(outcome(&r, 2), Outcome::Selected { unit: U2 });
    assert_eq!(outcome(&r, 3), not(Excluded));
    assert_eq!(outcome(&r, 4), not(Stage1NotPassed));
    assert_eq!(outcome(&r, 5), not(Absent));
    assert_eq!(outcome(&r, 6), not(BelowPassMark));
    assert_eq!(outcome(&r, 7), not(UndecidedTie));
    assert_eq!(outcome(&r, 8), not(UndecidedTie));
    assert_eq!(outcome(&r, 9), not(NoOfferedUnit));
    assert_eq!(outcome(&r, 10), Outcome::Reserve { place: 1 });
    let absent = r.explanation(id(5)).unwrap();
    assert_eq!((absent.total, absent.rank), (None, None));
    assert_eq!(absent.priority, Mark::from_hundredths(500));
    assert!(!r.explanation(id(4)).unwrap().stage1_passed);
    // Eligible in order first, then the others by number.
    let order: Vec<u32> = r.explanations.iter().map(|e| e.number).collect();
    assert_eq!(order, [1, 9, 2, 7, 8, 10, 3, 4, 5, 6]);
    assert_eq!(r.steps.len(), 6);
}

#[test]
fn results_travel_to_the_browser_unchanged() {
    let candidates = [cand(1, 7000, 0), cand(2, 7000, 0), cand(3, 6000, 25)];
    let r = rank_position(&[(U1, 1)], &candidates, PASS, &[]);
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<PositionRanking>(&json).unwrap(), r);
}

// ---- properties ----

const UNITS: [Uuid; 3] = [U1, U2, U3];

/// Up to three units (preferences may name one the position lacks) and up to 30 candidates
/// with few distinct scores, so that ties are common.
fn position() -> impl Strategy<Value = (Vec<(Uuid, u32)>, Vec<Candidate>)> {
    let scores = vec![
        None,
        Some(0),
        Some(4975),
        Some(5000),
        Some(6000),
        Some(7000),
    ];
    let candidate = (
        prop::bool::weighted(0.9),
        prop::sample::select(scores),
        prop::sample::select(vec![0u16, 0, 25, 50, 75, 100, 500]),
        prop::bool::weighted(0.05),
        prop::sample::subsequence(UNITS.to_vec(), 0..=3).prop_shuffle(),
    );
    let units = (1usize..=3, prop::collection::vec(0u32..=4, 3));
    (units, prop::collection::vec(candidate, 0..30)).prop_map(|((n, quotas), fields)| {
        let units = UNITS.iter().copied().zip(quotas).take(n).collect();
        let candidates = (fields.into_iter().enumerate())
            .map(
                |(i, (passed, stage2, priority, excluded, prefs))| Candidate {
                    id: Uuid::from_u128(0x5000 + i as u128),
                    number: i as u32 + 1,
                    stage1_passed: passed,
                    stage2: stage2.map(Mark::from_hundredths),
                    written: None,
                    part_below_half: false,
                    priority_tenths: priority,
                    excluded,
                    preferences: prefs,
                },
            )
            .collect();
        (units, candidates)
    })
}

fn eligible(c: &Candidate) -> bool {
    c.stage1_passed && !c.excluded && c.stage2.is_some_and(|s| s.hundredths() >= 5000)
}

/// Records every decision asked for (reversing the candidate-number order) until the ranking
/// can be published.
fn decide_all(units: &[(Uuid, u32)], candidates: &[Candidate]) -> PositionRanking {
    let mut decisions: Vec<TieDecision> = Vec::new();
    for round in 0.. {
        let r = rank_position(units, candidates, PASS, &decisions);
        if r.can_publish() {
            return r;
        }
        assert!(round < candidates.len(), "decisions never settle");
        for tie in &r.ties_needing_decision {
            if !decisions
                .iter()
                .any(|d| sorted(d.order.clone()) == sorted(tie.candidates.clone()))
            {
                let order = tie.candidates.iter().rev().copied().collect();
                let reference = Uuid::from_u128(0xd000 + decisions.len() as u128);
                decisions.push(TieDecision { reference, order });
            }
        }
    }
    unreachable!()
}

proptest! {
    #[test]
    fn never_more_selected_than_the_quota((units, candidates) in position()) {
        let r = rank_position(&units, &candidates, PASS, &[]);
        for (unit, quota) in &units {
            let taken = r.selected.iter().filter(|s| s.unit == *unit).count();
            prop_assert!(taken as u32 <= *quota);
        }
        let settled = decide_all(&units, &candidates);
        for (unit, quota) in &units {
            let taken = settled.selected.iter().filter(|s| s.unit == *unit).count();
            prop_assert!(taken as u32 <= *quota);
        }
    }

    #[test]
    fn the_ineligible_are_never_selected((units, candidates) in position()) {
        let r = decide_all(&units, &candidates);
        let chosen: HashSet<Uuid> = r.selected.iter().map(|s| s.candidate).collect();
        for c in &candidates {
            let why = r.explanation(c.id).unwrap();
            if !eligible(c) {
                prop_assert!(!chosen.contains(&c.id));
                prop_assert!(matches!(why.outcome, Outcome::NotSelected(_)));
                prop_assert_eq!(why.rank, None);
            }
            let is_selected = matches!(why.outcome, Outcome::Selected { .. });
            prop_assert_eq!(chosen.contains(&c.id), is_selected);
        }
        prop_assert_eq!(r.explanations.len(), candidates.len());
    }

    #[test]
    fn priority_points_never_hurt(
        (units, candidates) in position(),
        who in any::<prop::sample::Index>(),
        rival in any::<prop::sample::Index>(),
        extra in 1u16..=100,
    ) {
        prop_assume!(!candidates.is_empty());
        let before = rank_position(&units, &candidates, PASS, &[]);
        prop_assume!(before.can_publish());
        let who = who.index(candidates.len());
        let rival = &candidates[rival.index(candidates.len())];
        let mut raised = candidates.clone();
        // Often exactly enough to draw level with a rival ahead on the same stage-2 score.
        let mine = raised[who].priority_tenths;
        raised[who].priority_tenths += match rival.priority_tenths.checked_sub(mine) {
            Some(gap) if gap > 0 && rival.stage2 == raised[who].stage2 => gap,
            _ => extra,
        };
        let me = raised[who].id;
        let after = rank_position(&units, &raised, PASS, &[]);
        let old = before.explanation(me).unwrap();
        let new = after.explanation(me).unwrap();
        if let (Some(old), Some(new)) = (old.rank, new.rank) {
            prop_assert!(new <= old, "rank {} became {}", old, new);
        }
        if matches!(old.outcome, Outcome::Selected { .. }) {
            match &new.outcome {
                Outcome::Selected { .. } => {}
                Outcome::NotSelected(NotSelectedReason::UndecidedTie) => {
                    // Now tied with candidates who were ahead: even if the decision puts
                    // this candidate last among them, they stay selected.
                    let tie = (after.ties_needing_decision.iter())
                        .find(|t| t.candidates.contains(&me))
                        .unwrap();
                    let mut order: Vec<Uuid> =
                        tie.candidates.iter().copied().filter(|c| *c != me).collect();
                    order.push(me);
                    let decision = TieDecision { reference: Uuid::nil(), order };
                    let decided = rank_position(&units, &raised, PASS, &[decision]);
                    let outcome = &decided.explanation(me).unwrap().outcome;
                    prop_assert!(matches!(outcome, Outcome::Selected { .. }), "{:?}", outcome);
                }
                other => prop_assert!(false, "selected became {:?}", other),
            }
        }
    }

    #[test]
    fn input_order_does_not_matter(
        (units, candidates, shuffled_units, shuffled) in position().prop_flat_map(|(u, c)| {
            (Just(u.clone()), Just(c.clone()), Just(u).prop_shuffle(), Just(c).prop_shuffle())
        }),
    ) {
        prop_assert_eq!(
            rank_position(&units, &candidates, PASS, &[]),
            rank_position(&shuffled_units, &shuffled, PASS, &[])
        );
        prop_assert_eq!(decide_all(&units, &candidates), decide_all(&shuffled_units, &shuffled));
    }

    #[test]
    fn each_candidate_gets_their_best_unit_with_a_place_left((units, candidates) in position()) {
        let r = decide_all(&units, &candidates);
        let mut left: HashMap<Uuid, u32> = HashMap::new();
        for (unit, quota) in &units {
            *left.entry(*unit).or_default() += quota;
        }
        let by_id: HashMap<Uuid, &Candidate> = candidates.iter().map(|c| (c.id, c)).collect();
        for step in &r.steps {
            let c = by_id[&step.candidate];
            let mut wants: Vec<Uuid> = Vec::new();
            for unit in &c.preferences {
                if left.contains_key(unit) && !wants.contains(unit) {
                    wants.push(*unit);
                }
            }
            if c.preferences.is_empty() && units.len() == 1 {
                wants.push(units[0].0);
            }
            let tried: Vec<Uuid> = step.tried.iter().map(|t| t.unit).collect();
            prop_assert_eq!(&tried[..], &wants[..tried.len()]);
            let (last, before) = match step.tried.split_last() {
                Some(split) => split,
                None => {
                    let none = Outcome::NotSelected(NotSelectedReason::NoOfferedUnit);
                    prop_assert_eq!(&step.outcome, &none);
                    continue;
                }
            };
            for t in before {
                prop_assert_eq!(t.result, TryResult::Full);
                prop_assert_eq!(left[&t.unit], 0);
            }
            match &step.outcome {
                Outcome::Selected { unit } => {
                    prop_assert_eq!((last.unit, last.result), (*unit, TryResult::Taken));
                    let places = left.get_mut(unit).unwrap();
                    prop_assert!(*places > 0);
                    *places -= 1;
                }
                Outcome::Reserve { .. } => {
                    prop_assert_eq!(tried.len(), wants.len());
                    prop_assert_eq!((last.result, left[&last.unit]), (TryResult::Full, 0));
                }
                other => prop_assert!(false, "{:?} after all decisions", other),
            }
        }
    }

    #[test]
    fn reserve_places_and_competition_ranks_always_hold((units, candidates) in position()) {
        for r in [rank_position(&units, &candidates, PASS, &[]), decide_all(&units, &candidates)] {
            let mut expected: Vec<(u32, u32, Uuid)> = r.explanations.iter()
                .filter(|e| matches!(e.outcome, Outcome::Reserve { .. }))
                .map(|e| (e.rank.unwrap(), e.number, e.candidate))
                .collect();
            expected.sort();
            let listed: Vec<Uuid> = reserve(&r);
            prop_assert_eq!(listed, expected.iter().map(|e| e.2).collect::<Vec<_>>());
            let places: Vec<u32> = r.reserve.iter().map(|e| e.place).collect();
            prop_assert_eq!(places, (1..=r.reserve.len() as u32).collect::<Vec<_>>());
            // Every eligible candidate is selected, on the reserve, undecided or without a unit.
            for c in candidates.iter().filter(|c| eligible(c)) {
                let why = r.explanation(c.id).unwrap();
                use NotSelectedReason::{NoOfferedUnit, UndecidedTie};
                let known = matches!(why.outcome, Outcome::Selected { .. } | Outcome::Reserve { .. }
                    | Outcome::NotSelected(UndecidedTie | NoOfferedUnit));
                prop_assert!(known, "{:?}", why.outcome);
                // Competition ranks: one more than the candidates strictly ahead, unless a
                // decision ordered an equal group.
                let key = |c: &Candidate| (total(c), c.stage2);
                let ahead = (candidates.iter())
                    .filter(|o| eligible(o) && key(o) > key(c))
                    .count() as u32;
                if !matches!(why.tie_break, TieBreak::AuthorityDecision { .. }) {
                    prop_assert_eq!(why.rank, Some(ahead + 1));
                }
            }
        }
    }
}

/// Decisions ordering every group still equal by candidate number, or in reverse.
fn order_every_tie(candidates: &[Candidate], reverse: bool) -> Vec<TieDecision> {
    let mut groups: HashMap<(Option<Mark>, Option<Mark>), Vec<&Candidate>> = HashMap::new();
    for c in candidates.iter().filter(|c| eligible(c)) {
        groups.entry((total(c), c.stage2)).or_default().push(c);
    }
    let mut decisions = Vec::new();
    for mut group in groups.into_values().filter(|g| g.len() > 1) {
        group.sort_by_key(|c| c.number);
        if reverse {
            group.reverse();
        }
        let order = group.iter().map(|c| c.id).collect();
        decisions.push(TieDecision {
            reference: Uuid::nil(),
            order,
        });
    }
    decisions
}

fn units_of(r: &PositionRanking) -> HashMap<Uuid, Uuid> {
    r.selected.iter().map(|s| (s.candidate, s.unit)).collect()
}

proptest! {
    #[test]
    fn exactly_the_ties_whose_order_matters_are_flagged((units, candidates) in position()) {
        let r = rank_position(&units, &candidates, PASS, &[]);
        let ranked = |reverse| {
            rank_position(&units, &candidates, PASS, &order_every_tie(&candidates, reverse))
        };
        let (forward, backward) = (ranked(false), ranked(true));
        prop_assert!(forward.can_publish() && backward.can_publish());
        match r.ties_needing_decision.first() {
            None => {
                prop_assert_eq!(units_of(&forward), units_of(&r));
                prop_assert_eq!(units_of(&backward), units_of(&r));
            }
            Some(tie) => {
                // The highest flagged group: everything above it is settled, and its first
                // member (by number) competing for the unit takes it in one order only.
                let competes = |c: &&Uuid| {
                    let step = r.steps.iter().find(|s| s.candidate == **c).unwrap();
                    step.tried.last() == Some(&Tried { unit: tie.unit, result: TryResult::Tied })
                };
                let first = *tie.candidates.iter().find(competes).unwrap();
                let (forward, backward) = (units_of(&forward), units_of(&backward));
                prop_assert_eq!(forward.get(&first), Some(&tie.unit));
                prop_assert_ne!(backward.get(&first), Some(&tie.unit));
            }
        }
    }
}

// ---- speed: cargo test --release -p app --lib results -- --ignored --nocapture ----

fn synthetic(count: u32, seed: u64, units: &[Uuid]) -> Vec<Candidate> {
    let mut state = seed;
    let mut next = move |modulo: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) % modulo
    };
    (0..count)
        .map(|i| {
            let mut prefs = units.to_vec();
            let first = next(prefs.len() as u64) as usize;
            prefs.swap(0, first);
            Candidate {
                id: Uuid::from_u128(u128::from(seed) << 64 | u128::from(i)),
                number: i + 1,
                stage1_passed: next(10) > 0,
                stage2: (next(20) > 0).then(|| Mark::from_hundredths(next(401) as u32 * 25)),
                written: None,
                part_below_half: false,
                priority_tenths: [0, 0, 0, 25, 50, 75][next(6) as usize],
                excluded: next(100) == 0,
                preferences: prefs,
            }
        })
        .collect()
}

#[test]
#[ignore = "timing; run in release"]
fn ranking_is_fast_enough() {
    let units = [(U1, 300), (U2, 400), (U3, 300)];
    let candidates = synthetic(100_000, 1, &UNITS);
    let started = Instant::now();
    let r = rank_position(&units, &candidates, PASS, &[]);
    let one = started.elapsed();
    println!(
        "100,000 candidates in one position: {one:?} \
         ({} selected, {} on reserve, {} ties to decide)",
        r.selected.len(),
        r.reserve.len(),
        r.ties_needing_decision.len()
    );

    let positions: Vec<Vec<Candidate>> = (0..1_000).map(|p| synthetic(100, p + 2, &[U1])).collect();
    let started = Instant::now();
    let selected: usize = (positions.iter())
        .map(|c| rank_position(&[(U1, 5)], c, PASS, &[]).selected.len())
        .sum();
    let many = started.elapsed();
    println!("1,000 positions of 100 candidates: {many:?} ({selected} selected)");
    assert!(one.as_secs() < 1 && many.as_secs() < 1);
}

/// A realistic shared position worked by hand: the golden outcome of every kind of candidate.
/// Units A (2 places) and B (1 place); pass mark 50.
#[test]
fn golden_a_shared_position_of_a_provincial_round() {
    let (a, b) = (U1, U2);
    let mut candidates = vec![
        wanting(cand(1, 8200, 0), &[a, b]),  // 82
        wanting(cand(2, 7850, 50), &[b, a]), // 78,5 + 5 = 83,5
        wanting(cand(3, 8000, 25), &[a]),    // 80 + 2,5 = 82,5
        wanting(cand(4, 8100, 0), &[a, b]),  // 81
        wanting(cand(5, 7600, 75), &[b]),    // 76 + 7,5 = 83,5: equal total, lower stage 2
        wanting(cand(6, 4975, 75), &[a]),    // 49,75: below the pass mark, points do not help
        wanting(cand(10, 7000, 0), &[a, b]), // 70
        wanting(cand(11, 7000, 0), &[b, a]), // 70: fully equal with 10, no place left
    ];
    let mut failed = wanting(cand(7, 9000, 0), &[a]);
    failed.stage1_passed = false;
    let mut absent = wanting(cand(8, 0, 0), &[a]);
    absent.stage2 = None;
    let mut excluded = wanting(cand(9, 9500, 0), &[a]);
    excluded.excluded = true;
    candidates.extend([failed, absent, excluded]);

    let r = rank_position(&[(a, 2), (b, 1)], &candidates, PASS, &[]);
    assert!(r.can_publish());
    // 2 takes B (first choice); 5 wants only B, now full; 3 and 1 take A; 4 finds both full.
    assert_eq!(selected(&r), vec![(id(2), b), (id(3), a), (id(1), a)]);
    assert_eq!(reserve(&r), ids(&[5, 4, 10, 11]));
    let ranks: Vec<Option<u32>> = [2, 5, 3, 1, 4, 10, 11]
        .iter()
        .map(|&n| rank(&r, n))
        .collect();
    assert_eq!(
        ranks,
        [
            Some(1),
            Some(2),
            Some(3),
            Some(4),
            Some(5),
            Some(6),
            Some(6)
        ]
    );
    assert_eq!(tie_break(&r, 2), TieBreak::HigherStage2Score);
    assert_eq!(tie_break(&r, 5), TieBreak::HigherStage2Score);
    assert_eq!(tie_break(&r, 10), TieBreak::SharedRank);
    assert_eq!(outcome(&r, 5), Outcome::Reserve { place: 1 });
    assert_eq!(outcome(&r, 11), Outcome::Reserve { place: 4 });
    for (number, reason) in [
        (6, NotSelectedReason::BelowPassMark),
        (7, NotSelectedReason::Stage1NotPassed),
        (8, NotSelectedReason::Absent),
        (9, NotSelectedReason::Excluded),
    ] {
        assert_eq!(
            outcome(&r, number),
            Outcome::NotSelected(reason),
            "{number}"
        );
        assert_eq!(rank(&r, number), None, "{number}");
    }
    // Totals as published: 83,5 for the two leaders.
    let total = |n| r.explanation(id(n)).unwrap().total;
    assert_eq!(total(2), Some(Mark::from_hundredths(8350)));
    assert_eq!(total(5), Some(Mark::from_hundredths(8350)));
    // Shown for information, but a total never rescues a stage-2 score under the pass mark.
    assert_eq!(total(6), Some(Mark::from_hundredths(5725)));
    assert_eq!(total(8), None);
}
