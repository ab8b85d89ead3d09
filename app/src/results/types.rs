//! What the results screens show and send.

use crate::i18n::Msg;
use crate::results::snapshot::{CandidateResult, PositionResult, Snapshot};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A version of a round's result as HR and the chair see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub id: Uuid,
    pub version: u32,
    /// `draft`, `approved`, `published` or `superseded`.
    pub status: String,
    pub digest: String,
    pub computed_at: String,
    pub approved_at: Option<String>,
    pub published_at: Option<String>,
    /// The legal deadline to publish and notify: two working days after approval.
    pub publish_by: Option<String>,
}

impl VersionInfo {
    pub fn status_msg(&self) -> Msg {
        match self.status.as_str() {
            "draft" => Msg::ResultDraft,
            "approved" => Msg::ResultApproved,
            "published" => Msg::ResultPublishedStatus,
            _ => Msg::ResultSuperseded,
        }
    }
}

/// A winner after publication (or a reserve candidate recognised in a winner's place) and
/// what became of their dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WinnerRow {
    pub number: String,
    pub full_name: String,
    pub position_code: String,
    pub unit: String,
    /// For a recognised reserve candidate: whose place.
    pub in_place_of: Option<String>,
    /// What HR recorded; none until they do.
    pub dossier: Option<crate::results::after_selection::DossierState>,
    /// The appointment decision once the dossier is complete (Decree 300 rounds).
    pub appointment: Option<crate::results::after_selection::AppointmentState>,
}

/// HR's and the chair's results page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsView {
    pub round_id: Uuid,
    pub round_name: String,
    /// Stage-2 marks are decoded: results can be computed.
    pub decoded: bool,
    /// The draft or approved version not yet published.
    pub open: Option<VersionInfo>,
    pub snapshot: Option<Snapshot>,
    pub published: Vec<VersionInfo>,
    /// After publication: the winners and their dossiers.
    pub winners: Vec<WinnerRow>,
    /// The steps after selection follow Decree 300/2026 (appointment and reporting recorded).
    #[serde(default)]
    pub decree_300: bool,
    pub is_hr: bool,
    pub is_chair: bool,
    /// Every position of the open version in brief; only the position being reviewed carries
    /// its candidate lines in `snapshot` (a round may have thousands of positions).
    #[serde(default)]
    pub overview: Vec<PositionOverview>,
    #[serde(default)]
    pub reviewing: Option<String>,
    /// Candidate number → name, for every candidate of the position being reviewed: the
    /// snapshot names only the winners (what is published), HR and the chair see everyone.
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, String>,
}

/// A position of the open version in brief, for finding the one to review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionOverview {
    pub code: String,
    pub title: String,
    pub quota: u32,
    pub candidates: u32,
    pub selected: u32,
    pub reserve: u32,
    /// Tied groups waiting for the authority's decision.
    pub ties: u32,
}

impl ResultsView {
    /// The view for reviewing one position (`code`; by default the first with a tie waiting
    /// for a decision, else the first): every position in brief, candidate lines and steps
    /// only for that one.
    pub fn reviewing(mut self, code: &str) -> ResultsView {
        let Some(snapshot) = self.snapshot.as_mut() else {
            return self;
        };
        let count = |p: &PositionResult, outcome: &str| {
            p.candidates.iter().filter(|c| c.outcome == outcome).count() as u32
        };
        self.overview = snapshot
            .positions
            .iter()
            .map(|p| PositionOverview {
                code: p.code.clone(),
                title: p.title.clone(),
                quota: p.units.iter().map(|u| u.quota).sum(),
                candidates: p.candidates.len() as u32,
                selected: count(p, "selected"),
                reserve: count(p, "reserve"),
                ties: p.ties.len() as u32,
            })
            .collect();
        let chosen = snapshot
            .positions
            .iter()
            .find(|p| p.code == code)
            .or_else(|| snapshot.positions.iter().find(|p| !p.ties.is_empty()))
            .or_else(|| snapshot.positions.first())
            .map(|p| p.code.clone());
        for p in &mut snapshot.positions {
            if Some(&p.code) != chosen.as_ref() {
                p.candidates.clear();
                p.steps.clear();
            }
        }
        self.reviewing = chosen;
        self
    }
}

/// A round's published result for the public page: every position with its winners; the full
/// lists are one page per position (a national round has thousands of positions).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicResults {
    pub round_id: Uuid,
    pub round_name: String,
    pub authority: String,
    pub version: u32,
    pub published_at: String,
    pub digest: String,
    pub positions: Vec<PositionSummary>,
    /// Changes since the previous version: old → new mark and outcome.
    pub changes: Vec<crate::results::snapshot::Change>,
}

/// A position on the round's public page: its units and quotas, the winners, how many wait on
/// the reserve list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionSummary {
    pub code: String,
    pub title: String,
    pub units: Vec<crate::results::snapshot::UnitResult>,
    pub selected: Vec<crate::results::snapshot::CandidateResult>,
    pub reserve: u32,
}

/// One position of a published result, in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPosition {
    pub round_id: Uuid,
    pub round_name: String,
    pub version: u32,
    pub published_at: String,
    pub digest: String,
    pub position: PositionResult,
}

/// One candidate's own result, found by number and date of birth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupAnswer {
    pub round_name: String,
    pub version: u32,
    pub digest: String,
    pub position_code: String,
    pub position_title: String,
    pub candidate: CandidateResult,
    pub pass_mark: u8,
    /// Selected in the position (for context: "3 of 5 places").
    pub quota: u32,
}

/// A date as typed, dd/mm/yyyy (also d/m/yyyy, dots or dashes).
pub fn parse_day(input: &str) -> Option<time::Date> {
    let parts: Vec<&str> = input.trim().split(['/', '.', '-']).map(str::trim).collect();
    match parts.as_slice() {
        [day, month, year] => crate::applications::rules::parse_date(day, month, year).ok(),
        _ => None,
    }
}

/// The personal code a candidate looks up their result with, as typed: case, spaces and
/// dashes ignored, and the letters people mistake for digits (O, I, L) read as those digits
/// (Crockford's base 32, which the codes are drawn from).
pub fn normalise_lookup_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .take(32)
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// A stored code as printed: two groups of four, `K7P4-X9QM`.
pub fn format_lookup_code(code: &str) -> String {
    if code.len() == 8 && code.is_ascii() {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// A result's reason as dictionary text.
pub fn reason_msg(code: &str) -> Option<Msg> {
    Some(match code {
        "excluded" => Msg::ReasonExcluded,
        "stage1_not_passed" => Msg::ReasonStage1,
        "absent" => Msg::ReasonAbsent,
        "below_pass_mark" => Msg::ReasonBelowPass,
        "part_below_half" => Msg::ReasonPartBelowHalf,
        "undecided_tie" => Msg::ReasonUndecidedTie,
        "no_offered_unit" => Msg::ReasonNoUnit,
        _ => return None,
    })
}

pub fn tie_msg(code: &str) -> Option<Msg> {
    Some(match code {
        "higher_stage2" => Msg::TieByStage2,
        "higher_written" => Msg::TieByWritten,
        "authority_decision" => Msg::TieByDecision,
        "shared_rank" => Msg::TieShared,
        "undecided" => Msg::TieUndecided,
        _ => return None,
    })
}

pub fn outcome_msg(code: &str) -> Msg {
    match code {
        "selected" => Msg::OutcomeSelected,
        "reserve" => Msg::OutcomeReserve,
        _ => Msg::OutcomeNotSelected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_codes_are_read_as_people_copy_them() {
        assert_eq!(format_lookup_code("K7P4X9QM"), "K7P4-X9QM");
        assert_eq!(normalise_lookup_code(" k7p4-x9qm "), "K7P4X9QM");
        assert_eq!(normalise_lookup_code("O1IL AB"), "0111AB");
        assert_eq!(normalise_lookup_code(&"x".repeat(10_000)).len(), 32);
    }

    #[test]
    fn days_are_read_as_vietnamese_people_write_them() {
        let d = time::macros::date!(1995 - 03 - 14);
        assert_eq!(parse_day("14/03/1995"), Some(d));
        assert_eq!(parse_day(" 14/3/1995 "), Some(d));
        assert_eq!(parse_day("14.03.1995"), Some(d));
        assert_eq!(parse_day("31/02/1995"), None);
        assert_eq!(parse_day("1995-03"), None);
    }
}
