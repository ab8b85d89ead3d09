//! The marking rules, pure: a mark as typed (range and step), double-marking reconciliation
//! against the round's tolerance, the panel average, combined written + interview scores and
//! the stage-1 pass rule.
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

/// A written + interview (or practical) score out of 100 with the position's weights: each
/// part is first brought to a 100-point scale, then weighted; rounded like an average.
pub fn combined(
    written: Mark,
    written_scale: Scale,
    other: Mark,
    other_scale: Scale,
    written_percent: u8,
) -> Mark {
    let to_100 = |m: Mark, s: Scale| u64::from(m.0) * 100 / u64::from(s.max.max(1));
    let w = u64::from(written_percent.min(100));
    let weighted = to_100(written, written_scale) * w + to_100(other, other_scale) * (100 - w);
    Mark(((weighted + 50) / 100) as u32)
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

    #[test]
    fn combined_scores_use_the_weights() {
        // 80 written (out of 100) at 70% and 60 interview (out of 100) at 30%: 74.
        assert_eq!(combined(m("80"), PAPER, m("60"), PAPER, 70), m("74"));
        // Parts on other scales are brought to 100 first: 8/10 written, 30/50 interview.
        let ten = Scale::new(10);
        let fifty = Scale::new(50);
        assert_eq!(combined(Mark(800), ten, Mark(3000), fifty, 70), m("74"));
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
            let score = combined(Mark(w * 25), PAPER, Mark(o * 25), PAPER, percent);
            prop_assert!(score <= Mark(10_000));
        }
    }
}
