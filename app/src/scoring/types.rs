//! What the scoring screens show and send: the board, a marker's or clerk's sheet, the
//! chair's queue, decoded scores and a paper's audit trail.

use crate::i18n::Msg;
use crate::scoring::marks::{Mark, Scale};
use crate::scoring::papers::Part;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a board member does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Duty {
    Chair,
    Marker,
    Clerk,
    /// Re-marks appealed written papers (never papers they marked first).
    Appeal,
}

impl Duty {
    pub const ALL: [Duty; 4] = [Duty::Chair, Duty::Marker, Duty::Clerk, Duty::Appeal];

    pub fn as_str(self) -> &'static str {
        match self {
            Duty::Chair => "chair",
            Duty::Marker => "marker",
            Duty::Clerk => "clerk",
            Duty::Appeal => "appeal",
        }
    }

    pub fn parse(s: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Duty::Chair => Msg::DutyChair,
            Duty::Marker => Msg::DutyMarker,
            Duty::Clerk => Msg::DutyClerk,
            Duty::Appeal => Msg::DutyAppeal,
        }
    }
}

impl Part {
    pub fn label(self) -> Msg {
        match self {
            Part::Written => Msg::PartWritten,
            Part::Panel => Msg::PartPanel,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardMember {
    pub user_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub duty: Duty,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub user_id: Uuid,
    pub full_name: String,
    pub position_id: Uuid,
    pub position_code: String,
    pub part: Part,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedPosition {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub parts: Vec<Part>,
}

/// Marking progress of one position's part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartProgress {
    pub position_code: String,
    pub part: Part,
    pub papers: i64,
    /// Papers with their final mark.
    pub complete: i64,
    pub to_chair: i64,
    pub mismatches: i64,
}

/// Times (Vietnam time, as text) the stage was started, locked and decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageState {
    pub started_at: Option<String>,
    pub locked_at: Option<String>,
    pub decoded_at: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage1Summary {
    pub results: i64,
    pub passed: i64,
    /// Candidates marked present at stage 1 with no result yet.
    pub present_without_result: i64,
    pub locked_at: Option<String>,
}

/// The marking board page: who is on it, who marks what, and where marking stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    pub round_id: Uuid,
    pub round_name: String,
    pub members: Vec<BoardMember>,
    pub assignments: Vec<Assignment>,
    pub positions: Vec<MarkedPosition>,
    pub stage1: Stage1Summary,
    pub stage2: StageState,
    pub progress: Vec<PartProgress>,
    /// HR sets the board up; the chair only sees it.
    pub can_edit: bool,
    pub is_chair: bool,
}

/// One sheet: the papers of a position's part one marker marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRef {
    pub round_id: Uuid,
    pub round_name: String,
    pub position_id: Uuid,
    pub position_code: String,
    pub position_title: String,
    pub part: Part,
    pub marker_id: Uuid,
    pub marker_name: String,
    pub papers: i64,
    pub entered: i64,
}

impl SheetRef {
    /// The entry page of this sheet; `transcribe` for a clerk's double entry.
    pub fn href(&self, transcribe: bool) -> String {
        format!(
            "/marking/rounds/{}/sheet?position={}&part={}{}",
            self.round_id,
            self.position_id,
            self.part.as_str(),
            if transcribe {
                format!("&marker={}", self.marker_id)
            } else {
                String::new()
            }
        )
    }
}

/// The signed-in person's marking work.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkingHome {
    /// Sheets they mark themselves.
    pub own: Vec<SheetRef>,
    /// Markers' paper sheets they transcribe as a clerk.
    pub transcribe: Vec<SheetRef>,
    /// Rounds whose board they chair: (round id, name).
    pub chaired: Vec<(Uuid, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    pub code: String,
    pub mark: Option<Mark>,
    /// 0 until a mark is entered; each accepted change adds one.
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkingSheet {
    pub sheet: SheetRef,
    pub scale: Scale,
    pub rows: Vec<SheetRow>,
    pub locked: bool,
    /// For a clerk: which of the two entries they are typing (1 or 2) once they have begun.
    pub transcribing: bool,
}

/// What happened to one mark sent in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved {
        mark: Mark,
        version: i32,
    },
    /// Someone else changed it first: this is the value now, nothing was overwritten.
    Conflict {
        current: Option<Mark>,
        version: i32,
    },
}

/// Why a paper is on the chair's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisputeKind {
    /// Two markings too far apart: the chair (chief) decides.
    Gap,
    /// Circular 22: 10 or more apart, a third marker marks it.
    ThirdMarker,
    /// Circular 22: two of three marks equal settled it.
    Majority,
    /// Circular 22: a panel more than 10 apart; its chief decides.
    PanelSpread,
}

/// A paper whose markings the chair must settle, or settled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChairPaper {
    pub paper_id: Uuid,
    pub code: String,
    pub position_code: String,
    pub first: Mark,
    pub second: Mark,
    /// The first two marks' gap (a written paper) or the members' spread (a panel).
    pub difference: Mark,
    /// A panel's marks, or a written paper's two or three.
    pub marks: Vec<Mark>,
    /// The third marker's mark (Circular 22), once in.
    pub third: Option<Mark>,
    pub third_assigned: bool,
    pub kind: DisputeKind,
    pub decision: Option<Mark>,
    pub reason: Option<String>,
    pub version: i32,
}

/// A sheet mark the chair must settle from the paper sheet: two clerks typed it differently,
/// or they agree but the mark was already entered another way (by the marker, a file) with
/// another value — a transcription never overwrites such a mark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mismatch {
    pub paper_id: Uuid,
    pub code: String,
    pub position_code: String,
    pub marker_id: Uuid,
    pub marker_name: String,
    pub first: Mark,
    pub second: Mark,
    /// The mark the system holds for (paper, marker), if any.
    pub entered: Option<Mark>,
}

/// One candidate's decoded stage-2 score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodedRow {
    pub candidate_number: String,
    pub full_name: String,
    pub position_code: String,
    pub written_code: Option<String>,
    pub written: Option<Mark>,
    pub panel: Option<Mark>,
    pub score: Mark,
}

/// The chair's page for a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChairView {
    pub round_id: Uuid,
    pub round_name: String,
    pub rule: crate::scoring::marks::MarkingRule,
    pub papers: Vec<ChairPaper>,
    pub mismatches: Vec<Mismatch>,
    pub progress: Vec<PartProgress>,
    pub stage: StageState,
    pub can_lock: bool,
    pub is_chair: bool,
    pub decoded: Vec<DecodedRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub marker: Option<String>,
    pub old_mark: Option<Mark>,
    pub new_mark: Option<Mark>,
    pub reason: Option<String>,
}

/// Everything that ever happened to one paper's marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperAudit {
    pub round_id: Uuid,
    pub code: String,
    pub position_code: String,
    pub part: Part,
    /// Shown once the codes are decoded.
    pub candidate: Option<String>,
    pub marks: Vec<(String, Option<Mark>)>,
    pub rows: Vec<AuditRow>,
}

/// What a stage-1 import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage1Report {
    pub imported: usize,
    pub passed: usize,
}
