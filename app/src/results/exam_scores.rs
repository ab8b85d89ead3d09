//! The exam scores of each position, published before any result (Decree 170/2025 Art 17):
//! what HR and the chair see before compiling, and the list as published, for everyone.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The format of a published score list (its canonical JSON carries it).
pub const FORMAT: &str = "exam-scores-1";

/// One candidate on a published list: marks in hundredths of a point (the paper's scale for
/// the parts, out of 100 for the score); a part the position does not have is absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreLine {
    pub number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panel: Option<u32>,
    pub score: u32,
}

/// A position's exam scores as published: the digest covers its canonical JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreList {
    pub format: String,
    pub round_id: Uuid,
    pub round_name: String,
    pub authority: String,
    pub position_code: String,
    pub position_title: String,
    /// RFC 3339, UTC.
    pub published_at: String,
    pub max_score: u16,
    pub lines: Vec<ScoreLine>,
}

/// A position on HR's and the chair's "exam scores" panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionScores {
    pub code: String,
    pub title: String,
    /// Candidates with a specialised-test score.
    pub candidates: u32,
    /// A paper written test: its scores may be appealed.
    pub appealable: bool,
    pub published_at: Option<String>,
    pub digest: Option<String>,
    /// The last moment to appeal (appealable positions, once published).
    pub appeals_until: Option<String>,
    pub window_open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamScoresView {
    pub round_id: Uuid,
    /// The round's rule set publishes exam scores before results.
    pub scores_first: bool,
    pub decoded: bool,
    pub positions: Vec<PositionScores>,
    pub is_hr: bool,
    /// What compiling results waits for now, if anything.
    pub waits_for: Option<Msg>,
}

/// A published list for everyone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicScores {
    pub list: ScoreList,
    pub digest: String,
    pub published_at: String,
    pub appeals_until: Option<String>,
}
