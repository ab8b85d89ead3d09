//! The marking rules, pure: a mark as typed (range and step), double-marking reconciliation
//! against the round's tolerance, the panel average, penalties, combined written + interview
//! scores and the stage-1 pass rule.
//!
//! Marks are kept in hundredths (whole numbers), never floats, so that 7,25 + 7,5 is exact.
//! Averages are rounded to two decimals, halves up (7,375 → 7,38): the one documented rounding.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// A mark in hundredths of a point (8.25 is 825).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Mark(u32);

/// What a mark may be on a paper: from 0 to `max` points in steps of `step_hundredths`
/// (25 = quarter points).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub max: u16,
    pub step_hundredths: u16,
}

impl Scale {
    pub const fn new(max: u16) -> Scale {
        Scale {
            max,
            step_hundredths: 25,
        }
    }
}

impl Mark {
    pub fn from_hundredths(hundredths: u32) -> Mark {
        Mark(hundredths)
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// Reads a mark as typed: `8`, `8.25`, `8,25` (Vietnamese decimal comma), spaces around.
    pub fn parse(input: &str, scale: Scale) -> Result<Mark, Msg> {
        let input = input.trim().replace(',', ".");
        if input.is_empty() {
            return Err(Msg::ErrMarkRequired);
        }
        let (whole, fraction) = match input.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (input.as_str(), None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // A separator needs a digit after it ("8." is refused, not guessed).
        let fraction_ok = fraction.is_none_or(|f| digits(f) && f.len() <= 2);
        let fraction = fraction.unwrap_or("");
        if !digits(whole) || !fraction_ok {
            return Err(Msg::ErrMarkFormat);
        }
        // Only digits by now: a failure to parse is a number too large.
        let whole: u32 = whole.parse().map_err(|_| Msg::ErrMarkRange)?;
        let fraction: u32 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<u32>().map_err(|_| Msg::ErrMarkFormat)? * 10,
            _ => fraction.parse().map_err(|_| Msg::ErrMarkFormat)?,
        };
        let hundredths = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fraction))
            .ok_or(Msg::ErrMarkRange)?;
        if hundredths > u32::from(scale.max) * 100 {
            return Err(Msg::ErrMarkRange);
        }
        if scale.step_hundredths > 0 && hundredths % u32::from(scale.step_hundredths) != 0 {
            return Err(Msg::ErrMarkStep);
        }
        Ok(Mark(hundredths))
    }

    /// `8,25` in Vietnamese, `8.25` in English; whole marks without decimals.
    pub fn display(self, decimal: char) -> String {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        match fraction {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole}{decimal}{}", f / 10),
            f => format!("{whole}{decimal}{f:02}"),
        }
    }
}

/// The average of several marks, rounded to hundredths with halves up.
pub fn average(marks: &[Mark]) -> Option<Mark> {
    if marks.is_empty() {
        return None;
    }
    let n = marks.len() as u64;
    let sum: u64 = marks.iter().map(|m| u64::from(m.0)).sum();
    Some(Mark(((2 * sum + n) / (2 * n)) as u32))
}

/// What two independent marks of one written paper lead to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reconciled {
    /// They differ by less than the tolerance: the paper's mark is their average.
    Agreed(Mark),
    /// They differ by the tolerance or more: the chair decides.
    ToChair { difference: Mark },
}

/// How two (or more) markings of one paper are settled. Every threshold is a share of the
/// paper's maximum, so "5 points" of Circular 22 on a 100-point paper is 5 %.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkingRule {
    /// The earlier rule sets: two marks less than `percent` apart are averaged; otherwise the
    /// chair decides. A panel's mark is always the members' average.
    Tolerance(u8),
    /// Circular 22/2025 Art 16 and 22: a gap up to `mean_up_to` → the mean; above it and below
    /// `third_from` → the marking chief decides after discussing with both markers; from
    /// `third_from` → a third marker, two equal marks of three settle it, otherwise the chief
    /// decides after collective marking. A panel whose members are more than `panel_spread`
    /// apart goes to its chief.
    Bands {
        mean_up_to_percent: u8,
        third_from_percent: u8,
        panel_spread_percent: u8,
    },
}

impl MarkingRule {
    /// `percent` of the paper's maximum, in hundredths of a point.
    fn share(scale: Scale, percent: u8) -> u32 {
        u32::from(scale.max) * u32::from(percent)
    }
}

/// Two markings of a written paper under `rule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// Close enough: their mean.
    Mean(Mark),
    /// The chair (marking chief) decides.
    ToChair { difference: Mark },
    /// So far apart that a third marker marks the paper (Circular 22 Art 16).
    ThirdMarker { difference: Mark },
}

/// Settles the first two marks of a written paper.
pub fn settle(first: Mark, second: Mark, scale: Scale, rule: MarkingRule) -> Settled {
    let difference = first.0.abs_diff(second.0);
    match rule {
        MarkingRule::Tolerance(percent) => match reconcile(first, second, scale, percent) {
            Reconciled::Agreed(mark) => Settled::Mean(mark),
            Reconciled::ToChair { difference } => Settled::ToChair { difference },
        },
        MarkingRule::Bands {
            mean_up_to_percent,
            third_from_percent,
            ..
        } => {
            if difference <= MarkingRule::share(scale, mean_up_to_percent) {
                Settled::Mean(average(&[first, second]).unwrap_or(first))
            } else if difference < MarkingRule::share(scale, third_from_percent) {
                Settled::ToChair {
                    difference: Mark(difference),
                }
            } else {
                Settled::ThirdMarker {
                    difference: Mark(difference),
                }
            }
        }
    }
}

/// Two equal marks among three (Circular 22 Art 16: then that is the mark).
pub fn two_of_three(marks: [Mark; 3]) -> Option<Mark> {
    let [a, b, c] = marks;
    if a == b || a == c {
        Some(a)
    } else if b == c {
        Some(b)
    } else {
        None
    }
}

/// Whether a panel's marks are further apart than `rule` lets their mean stand.
pub fn panel_spread(marks: &[Mark], scale: Scale, rule: MarkingRule) -> Option<Mark> {
    let MarkingRule::Bands {
        panel_spread_percent,
        ..
    } = rule
    else {
        return None;
    };
    let high = marks.iter().map(|m| m.0).max()?;
    let low = marks.iter().map(|m| m.0).min()?;
    (high - low > MarkingRule::share(scale, panel_spread_percent)).then_some(Mark(high - low))
}

/// Double marking: `tolerance_percent` of the paper's maximum is the largest difference that
/// is NOT accepted (the rule says "less than 10%": at exactly 10% the chair decides).
pub fn reconcile(first: Mark, second: Mark, scale: Scale, tolerance_percent: u8) -> Reconciled {
    let difference = first.0.abs_diff(second.0);
    let tolerance = u32::from(scale.max) * u32::from(tolerance_percent);
    if difference < tolerance {
        Reconciled::Agreed(average(&[first, second]).unwrap_or(first))
    } else {
        Reconciled::ToChair {
            difference: Mark(difference),
        }
    }
}

/// One part of a specialised test as it counts: the final mark on its paper's scale and the
/// penalty deducted from it for breaking the exam rules (Circular 22/2025: a reprimand takes
/// 25 %, a warning 50 %).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartMark {
    pub mark: Mark,
    pub scale: Scale,
    pub penalty_percent: u8,
}

impl PartMark {
    pub fn new(mark: Mark, scale: Scale) -> PartMark {
        PartMark {
            mark,
            scale,
            penalty_percent: 0,
        }
    }

    /// The mark after the penalty, on the paper's scale, rounded to hundredths with halves up:
    /// the penalty comes before anything else, and what it leaves is the part's mark.
    pub fn after_penalty(self) -> Mark {
        let kept = u64::from(100 - self.penalty_percent.min(100));
        Mark(round_half_up(u64::from(self.mark.0) * kept, 100) as u32)
    }

    /// The part out of 100, in hundredths, as an exact fraction (numerator, denominator).
    fn out_of_100(self) -> (u64, u64) {
        let max = u64::from(self.scale.max.max(1));
        (u64::from(self.after_penalty().0) * 100, max)
    }

    /// The part out of 100, rounded to hundredths with halves up (what the result shows).
    pub fn score(self) -> Mark {
        let (numerator, denominator) = self.out_of_100();
        Mark(round_half_up(numerator, denominator) as u32)
    }

    /// At least half of the part's maximum, after the penalty (Decree 170/2025 Art 10.1:
    /// a written + interview candidate needs 50 % in each part).
    pub fn at_least_half(self) -> bool {
        u64::from(self.after_penalty().0) * 2 >= u64::from(self.scale.max) * 100
    }
}

fn round_half_up(numerator: u64, denominator: u64) -> u64 {
    let denominator = denominator.max(1);
    (2 * numerator + denominator) / (2 * denominator)
}

/// A written + interview (or practical) score out of 100: `written_percent` of the written
/// part and the rest of the other, each part taken exactly on its own scale and the sum
/// rounded to hundredths once, halves up (Decree 170/2025 Art 9: 70 % + 30 %, "rounded to two
/// decimals"). Written 25.75/80 and interview 73.25/80 make exactly 50.00.
pub fn combined(written: PartMark, other: PartMark, written_percent: u8) -> Mark {
    let w = u64::from(written_percent.min(100));
    let (wn, wd) = written.out_of_100();
    let (on, od) = other.out_of_100();
    // wn/wd × w/100 + on/od × (100 − w)/100, over one common denominator.
    let numerator = wn * od * w + on * wd * (100 - w);
    Mark(round_half_up(numerator, wd * od * 100) as u32)
}

/// Stage 1 passes with at least `pass_percent` of the questions right.
pub fn stage1_passes(correct: u16, questions: u16, pass_percent: u8) -> bool {
    u32::from(correct) * 100 >= u32::from(questions) * u32::from(pass_percent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PAPER: Scale = Scale::new(100);

    fn m(text: &str) -> Mark {
        Mark::parse(text, PAPER).unwrap()
    }

    #[test]
    fn marks_are_read_as_people_type_them() {
        assert_eq!(m("8"), Mark(800));
        assert_eq!(m(" 8,25 "), Mark(825));
        assert_eq!(m("8.5"), Mark(850));
        assert_eq!(m("100"), Mark(10_000));
        for (input, msg) in [
            ("", Msg::ErrMarkRequired),
            ("8,3", Msg::ErrMarkStep),
            ("8,333", Msg::ErrMarkFormat),
            ("100,25", Msg::ErrMarkRange),
            ("-1", Msg::ErrMarkFormat),
            ("tám", Msg::ErrMarkFormat),
            ("8.", Msg::ErrMarkFormat),
            ("99999999999", Msg::ErrMarkRange),
        ] {
            assert_eq!(Mark::parse(input, PAPER), Err(msg), "{input:?}");
        }
        let whole_points = Scale {
            max: 10,
            step_hundredths: 100,
        };
        assert_eq!(Mark::parse("7,5", whole_points), Err(Msg::ErrMarkStep));
        assert_eq!(m("8,25").display(','), "8,25");
        assert_eq!(m("8,5").display('.'), "8.5");
        assert_eq!(m("8").display(','), "8");
    }

    #[test]
    fn the_tolerance_edge_goes_to_the_chair() {
        // 10% of 100 is 10 points: 9,75 apart agrees, 10 apart goes to the chair.
        assert_eq!(
            reconcile(m("60"), m("69,75"), PAPER, 10),
            Reconciled::Agreed(Mark(6488))
        );
        assert_eq!(
            reconcile(m("60"), m("70"), PAPER, 10),
            Reconciled::ToChair {
                difference: Mark(1000)
            }
        );
        assert_eq!(
            reconcile(m("70,25"), m("60"), PAPER, 10),
            Reconciled::ToChair {
                difference: Mark(1025)
            }
        );
        assert_eq!(
            reconcile(m("55"), m("55"), PAPER, 10),
            Reconciled::Agreed(m("55"))
        );
    }

    #[test]
    fn averages_round_halves_up_to_hundredths() {
        assert_eq!(average(&[m("7,25"), m("7,5")]), Some(Mark(738)));
        assert_eq!(average(&[m("7"), m("8"), m("8")]), Some(Mark(767)));
        assert_eq!(average(&[]), None);
    }

    fn part(mark: u32, max: u16) -> PartMark {
        PartMark::new(Mark(mark), Scale::new(max))
    }

    #[test]
    fn combined_scores_use_the_weights() {
        // 80 written (out of 100) at 70% and 60 interview (out of 100) at 30%: 74.
        assert_eq!(combined(part(8000, 100), part(6000, 100), 70), m("74"));
        // Parts on other scales count as their share of 100: 8/10 written, 30/50 interview.
        assert_eq!(combined(part(800, 10), part(3000, 50), 70), m("74"));
    }

    /// Decree 170/2025 Art 9 (70 % written + 30 % interview, rounded to two decimals): the
    /// parts are weighed exactly and the sum rounded once. Truncating each part first made
    /// these 49.99 and refused a candidate the law passes.
    #[test]
    fn combined_scores_round_once() {
        let written = part(2575, 80); // 32.1875 of 100
        let interview = part(7325, 80); // 91.5625 of 100
        assert_eq!(combined(written, interview, 70), Mark(5000));
        // 0.7 × 66.67 + 0.3 × 33.33 = 56.668 → 56.67; a half rounds up.
        assert_eq!(combined(part(6667, 100), part(3333, 100), 70), Mark(5667));
        assert_eq!(combined(part(5005, 100), part(5005, 100), 50), Mark(5005));
        assert_eq!(combined(part(1, 100), part(0, 100), 50), Mark(1));
    }

    /// Circular 22/2025 (penalties on candidates): a reprimand deducts 25 % of the part, a
    /// warning 50 %, before anything else; 50 % of each part is checked after it.
    #[test]
    fn penalties_come_off_the_part_first() {
        let reprimand = PartMark {
            penalty_percent: 25,
            ..part(6225, 100)
        };
        assert_eq!(reprimand.after_penalty(), Mark(4669)); // 46.6875 → 46.69
        assert!(!reprimand.at_least_half());
        let warning = PartMark {
            penalty_percent: 50,
            ..part(10_000, 100)
        };
        assert_eq!(warning.score(), Mark(5000));
        assert!(warning.at_least_half());
        assert!(part(4000, 80).at_least_half());
        assert!(!part(3975, 80).at_least_half());
        assert_eq!(part(3975, 80).score(), Mark(4969)); // 49.6875 → 49.69
    }

    #[test]
    fn stage_one_needs_half_the_questions() {
        assert!(stage1_passes(30, 60, 50));
        assert!(!stage1_passes(29, 60, 50));
        assert!(stage1_passes(31, 61, 50));
        assert!(!stage1_passes(30, 61, 50));
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in ".{0,16}") {
            let _ = Mark::parse(&input, PAPER);
        }

        #[test]
        fn a_displayed_mark_reads_back(quarters in 0u32..=400) {
            let mark = Mark(quarters * 25);
            prop_assert_eq!(Mark::parse(&mark.display(','), PAPER), Ok(mark));
            prop_assert_eq!(Mark::parse(&mark.display('.'), PAPER), Ok(mark));
        }

        #[test]
        fn reconciliation_is_symmetric_and_agreed_marks_lie_between(
            a in 0u32..=400, b in 0u32..=400, tolerance in 1u8..=30,
        ) {
            let (a, b) = (Mark(a * 25), Mark(b * 25));
            prop_assert_eq!(reconcile(a, b, PAPER, tolerance), reconcile(b, a, PAPER, tolerance));
            if let Reconciled::Agreed(mark) = reconcile(a, b, PAPER, tolerance) {
                prop_assert!(a.min(b) <= mark && mark <= a.max(b));
            }
        }

        #[test]
        fn combined_stays_within_100(w in 0u32..=400, o in 0u32..=400, percent in 0u8..=100) {
            let (w, o) = (PartMark::new(Mark(w * 25), PAPER), PartMark::new(Mark(o * 25), PAPER));
            let score = combined(w, o, percent);
            prop_assert!(score <= Mark(10_000));
            prop_assert!(w.score().min(o.score()) <= score && score <= w.score().max(o.score()));
        }
    }
}
