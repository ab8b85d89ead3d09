//! What the appeal pages show: the applicant's own appeal and whether they may file one, the
//! round's appeals for HR and the chair, and the re-marker's sheet of codes.

use crate::i18n::Msg;
use crate::scoring::marks::{Mark, Scale};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// Where an appeal stands, from filing to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppealState {
    /// Filed; HR has not yet recorded the fee.
    AwaitingFee,
    /// Fee recorded; no re-markers yet.
    AwaitingAssignment,
    /// Re-markers assigned; `entered` of their re-marks are in.
    Remarking {
        entered: u8,
    },
    /// The two re-marks are so far apart that a third re-marker marks the paper (Circular 22
    /// Art 16); none given yet.
    NeedsThirdRemarker {
        difference: Mark,
    },
    /// The re-marks settle it (close enough, or two of three equal): this mark.
    Agreed(Mark),
    /// The re-marks do not settle it: the chief (the round's chair) decides.
    ToChair {
        difference: Mark,
    },
    Decided(Mark),
    /// The re-mark is far from the published mark: the council chair decides after conferring
    /// with both marking chiefs, in minutes (Decree 170/2025 Art 18).
    ToCouncil {
        remarked: Mark,
        difference: Mark,
    },
    /// The council chair's minuted decision.
    Minuted(Mark),
    /// Final: the paper's mark is now this.
    Answered(Mark),
}

impl AppealState {
    /// The appeal's result once known (not yet applied unless answered).
    pub fn result(self) -> Option<Mark> {
        match self {
            AppealState::Agreed(m)
            | AppealState::Decided(m)
            | AppealState::Minuted(m)
            | AppealState::Answered(m) => Some(m),
            _ => None,
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            AppealState::AwaitingFee => Msg::AppealAwaitingFee,
            AppealState::AwaitingAssignment => Msg::AppealAwaitingAssignment,
            AppealState::Remarking { .. } => Msg::AppealRemarking,
            AppealState::NeedsThirdRemarker { .. } => Msg::AppealNeedsThird,
            AppealState::ToCouncil { .. } => Msg::AppealToCouncil,
            AppealState::Minuted(_) => Msg::AppealMinuted,
            AppealState::Agreed(_) => Msg::AppealAgreed,
            AppealState::ToChair { .. } => Msg::AppealToChair,
            AppealState::Decided(_) => Msg::AppealDecided,
            AppealState::Answered(_) => Msg::AppealAnswered,
        }
    }
}

/// An appeal as its candidate sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAppeal {
    pub filed_at: OffsetDateTime,
    pub reason: Option<String>,
    pub fee_dong: u32,
    pub fee_paid: bool,
    pub original: Mark,
    /// Set once answered.
    pub new_mark: Option<Mark>,
    pub answered_at: Option<OffsetDateTime>,
}

/// The applicant's appeal page: the paper they may appeal against and whether they still may.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealPage {
    pub application_id: Uuid,
    pub round_id: Uuid,
    pub round_name: String,
    pub position_code: String,
    pub position_title: String,
    /// Their written paper's mark as published (None: no written paper).
    pub written: Option<Mark>,
    pub max: u16,
    /// The last moment to file (end of the last working day of the window).
    pub deadline: Option<OffsetDateTime>,
    pub fee_dong: u32,
    /// Why they cannot file now, when they cannot.
    pub refusal: Option<Msg>,
    pub appeal: Option<MyAppeal>,
}

/// One appeal on the round's appeals page (HR and the chair).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealRow {
    pub id: Uuid,
    pub number: String,
    pub full_name: String,
    pub position_code: String,
    /// The anonymous code the re-markers see.
    pub code: Option<String>,
    pub filed_at: String,
    pub reason: Option<String>,
    pub fee_dong: u32,
    pub fee_reference: Option<String>,
    pub original: Mark,
    /// The two re-marks (slot order) and who gave them.
    pub remarks: Vec<(String, Option<Mark>)>,
    pub decision: Option<(Mark, String)>,
    pub decision_version: i32,
    /// The council chair's minuted decision and its minutes.
    pub council: Option<(Mark, String)>,
    pub council_version: i32,
    pub state: AppealState,
    pub scale: Scale,
    pub answered_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealsView {
    pub round_id: Uuid,
    pub round_name: String,
    /// When filing closes and when answers are due (None before publication).
    pub filing_deadline: Option<String>,
    pub answer_by: Option<String>,
    /// Members of the appeal board.
    pub board: Vec<String>,
    pub appeals: Vec<AppealRow>,
    pub is_hr: bool,
    pub is_chair: bool,
}

impl AppealRow {
    /// Whether the chief (the round's chair) decides this appeal's re-mark now or may change
    /// the decision given: the re-marks do not settle it and it is not answered.
    pub fn chief_decides(&self) -> bool {
        match self.state {
            AppealState::ToChair { .. } | AppealState::Decided(_) => true,
            AppealState::ToCouncil { .. } | AppealState::Minuted(_) => self.decision.is_some(),
            _ => false,
        }
    }
}

impl AppealState {
    /// Ready to be answered: the re-marking's result is known and nothing waits.
    pub fn ready(self) -> bool {
        matches!(
            self,
            AppealState::Agreed(_) | AppealState::Decided(_) | AppealState::Minuted(_)
        )
    }
}

/// A paper on a re-marker's appeal sheet: code and position only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealPaper {
    pub round_id: Uuid,
    pub round_name: String,
    pub code: String,
    pub position_code: String,
    pub scale: Scale,
    pub mark: Option<Mark>,
    pub version: i32,
    pub answered: bool,
}
