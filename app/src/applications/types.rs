//! What the application pages and server functions exchange: statuses and timeline steps,
//! the applicant's views of a round and of an application, and HR's screening rows.

use crate::applications::profile::{ProfileForm, Section};
use crate::applications::rules::CheckResult;
use crate::i18n::Msg;
use crate::rounds::types::{RoundNotice, RoundSummary};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Where a submitted application stands. The fee is a separate fact (paid or not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationStatus {
    Submitted,
    UnderReview,
    Eligible,
    NeedsCorrection,
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 5] = [
        ApplicationStatus::Submitted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::Eligible,
        ApplicationStatus::NeedsCorrection,
        ApplicationStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::Eligible => "eligible",
            ApplicationStatus::NeedsCorrection => "needs_correction",
            ApplicationStatus::Rejected => "rejected",
        }
    }

    pub fn parse(name: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn msg(self) -> Msg {
        match self {
            ApplicationStatus::Submitted => Msg::AppStatusSubmitted,
            ApplicationStatus::UnderReview => Msg::AppStatusUnderReview,
            ApplicationStatus::Eligible => Msg::AppStatusEligible,
            ApplicationStatus::NeedsCorrection => Msg::AppStatusNeedsCorrection,
            ApplicationStatus::Rejected => Msg::AppStatusRejected,
        }
    }
}

/// HR's decision on a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Eligible,
    NeedsCorrection,
    Rejected,
}

impl Decision {
    pub fn parse(name: &str) -> Option<Decision> {
        match name {
            "eligible" => Some(Decision::Eligible),
            "needs_correction" => Some(Decision::NeedsCorrection),
            "rejected" => Some(Decision::Rejected),
            _ => None,
        }
    }

    pub fn status(self) -> ApplicationStatus {
        match self {
            Decision::Eligible => ApplicationStatus::Eligible,
            Decision::NeedsCorrection => ApplicationStatus::NeedsCorrection,
            Decision::Rejected => ApplicationStatus::Rejected,
        }
    }

    /// A correction request and a rejection must say why.
    pub fn needs_reason(self) -> bool {
        !matches!(self, Decision::Eligible)
    }
}

/// One step of an application's timeline (also what a notification is about).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Submitted,
    Updated,
    UnderReview,
    Eligible,
    NeedsCorrection,
    Rejected,
    Corrected,
    FeePaid,
    /// The exam schedule is out: the admission ticket can be printed.
    Scheduled,
    AttendanceConfirmed,
    Withdrawn,
    /// The round's results are out; the reason says the candidate's outcome.
    ResultPublished,
    DossierCompleted,
    /// The winner did not complete the dossier in time; the place passes on.
    DossierFailed,
    /// A reserve candidate recognised as winner in place of one who did not complete.
    Recognised,
    AppealFiled,
    AppealFeePaid,
    /// The appeal's re-marking is done; the reason gives old → new mark.
    AppealAnswered,
    /// The council chair decided a penalty for breaking the exam rules; the reason says it.
    PenaltyDecided,
    /// The position's exam scores are published (before any result); the reason gives the
    /// candidate's marks and the last day to appeal.
    ScoresPublished,
    /// The winner was struck off for fraud in what they declared (Decree 170/2025 Art 18 as
    /// amended); the reason says what.
    DossierFraud,
    /// The winner did not come to complete the dossier.
    DossierNoShow,
    /// The appointment decision (Decree 170/2025 Art 19); the reason gives it and the last day
    /// to report for work.
    Appointed,
    ReportedForWork,
    /// Did not report for work after the decision: struck off like a failed dossier.
    NotReported,
    /// The round's notice was changed by the head's decision (Decree 170/2025 Art 15); the
    /// reason cites the decision and the new closing time.
    NoticeChanged,
}

impl EventKind {
    pub const ALL: [EventKind; 26] = [
        EventKind::Submitted,
        EventKind::Updated,
        EventKind::UnderReview,
        EventKind::Eligible,
        EventKind::NeedsCorrection,
        EventKind::Rejected,
        EventKind::Corrected,
        EventKind::FeePaid,
        EventKind::Scheduled,
        EventKind::AttendanceConfirmed,
        EventKind::Withdrawn,
        EventKind::ResultPublished,
        EventKind::DossierCompleted,
        EventKind::DossierFailed,
        EventKind::Recognised,
        EventKind::AppealFiled,
        EventKind::AppealFeePaid,
        EventKind::AppealAnswered,
        EventKind::PenaltyDecided,
        EventKind::ScoresPublished,
        EventKind::DossierFraud,
        EventKind::DossierNoShow,
        EventKind::Appointed,
        EventKind::ReportedForWork,
        EventKind::NotReported,
        EventKind::NoticeChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::Updated => "updated",
            EventKind::UnderReview => "under_review",
            EventKind::Eligible => "eligible",
            EventKind::NeedsCorrection => "needs_correction",
            EventKind::Rejected => "rejected",
            EventKind::Corrected => "corrected",
            EventKind::FeePaid => "fee_paid",
            EventKind::Scheduled => "scheduled",
            EventKind::AttendanceConfirmed => "attendance_confirmed",
            EventKind::Withdrawn => "withdrawn",
            EventKind::ResultPublished => "result_published",
            EventKind::DossierCompleted => "dossier_completed",
            EventKind::DossierFailed => "dossier_failed",
            EventKind::Recognised => "recognised",
            EventKind::AppealFiled => "appeal_filed",
            EventKind::AppealFeePaid => "appeal_fee_paid",
            EventKind::AppealAnswered => "appeal_answered",
            EventKind::PenaltyDecided => "penalty_decided",
            EventKind::ScoresPublished => "scores_published",
            EventKind::DossierFraud => "dossier_fraud",
            EventKind::DossierNoShow => "dossier_no_show",
            EventKind::Appointed => "appointed",
            EventKind::ReportedForWork => "reported_for_work",
            EventKind::NotReported => "not_reported",
            EventKind::NoticeChanged => "notice_changed",
        }
    }

    pub fn parse(name: &str) -> Option<EventKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn msg(self) -> Msg {
        match self {
            EventKind::Submitted => Msg::EventSubmitted,
            EventKind::Updated => Msg::EventUpdated,
            EventKind::UnderReview => Msg::EventUnderReview,
            EventKind::Eligible => Msg::EventEligible,
            EventKind::NeedsCorrection => Msg::EventNeedsCorrection,
            EventKind::Rejected => Msg::EventRejected,
            EventKind::Corrected => Msg::EventCorrected,
            EventKind::FeePaid => Msg::EventFeePaid,
            EventKind::Scheduled => Msg::EventScheduled,
            EventKind::AttendanceConfirmed => Msg::EventAttendanceConfirmed,
            EventKind::Withdrawn => Msg::EventWithdrawn,
            EventKind::ResultPublished => Msg::EventResultPublished,
            EventKind::DossierCompleted => Msg::EventDossierCompleted,
            EventKind::DossierFailed => Msg::EventDossierFailed,
            EventKind::Recognised => Msg::EventRecognised,
            EventKind::AppealFiled => Msg::EventAppealFiled,
            EventKind::AppealFeePaid => Msg::EventAppealFeePaid,
            EventKind::AppealAnswered => Msg::EventAppealAnswered,
            EventKind::PenaltyDecided => Msg::EventPenaltyDecided,
            EventKind::ScoresPublished => Msg::EventScoresPublished,
            EventKind::DossierFraud => Msg::EventDossierFraud,
            EventKind::DossierNoShow => Msg::EventDossierNoShow,
            EventKind::Appointed => Msg::EventAppointed,
            EventKind::ReportedForWork => Msg::EventReportedForWork,
            EventKind::NotReported => Msg::EventNotReported,
            EventKind::NoticeChanged => Msg::EventNoticeChanged,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    Degree,
    Priority,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::Degree,
        DocumentKind::Priority,
        DocumentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Degree => "degree",
            DocumentKind::Priority => "priority",
            DocumentKind::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<DocumentKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn msg(self) -> Msg {
        match self {
            DocumentKind::Degree => Msg::DocDegree,
            DocumentKind::Priority => Msg::DocPriority,
            DocumentKind::Other => Msg::DocOther,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: Uuid,
    pub kind: DocumentKind,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i32,
    pub sha256: String,
    pub uploaded_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub at: OffsetDateTime,
    pub kind: EventKind,
    pub reason: Option<String>,
    pub fix_by: Option<OffsetDateTime>,
}

/// The fee for one application: the amount due now (from the round's tier for the current
/// number of candidates) or the amount recorded when it was paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeView {
    pub amount_dong: u64,
    pub paid_at: Option<OffsetDateTime>,
    pub reference: Option<String>,
}

/// A submitted application as its owner (and HR) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: Uuid,
    pub round_id: Uuid,
    pub round_name: String,
    pub authority: String,
    pub closes_at: OffsetDateTime,
    pub position_code: String,
    pub position_title: String,
    /// Unit names in the applicant's order of preference.
    pub units: Vec<String>,
    pub priority: Option<String>,
    pub receipt_code: String,
    /// The personal code that looks up the published result with the candidate number.
    pub lookup_code: String,
    pub full_name: String,
    pub national_id: String,
    pub date_of_birth: Date,
    pub status: ApplicationStatus,
    pub status_reason: Option<String>,
    pub fix_by: Option<OffsetDateTime>,
    pub submitted_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub fee: FeeView,
    pub timeline: Vec<TimelineEvent>,
}

/// What the applicant has chosen for a round so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftChoice {
    pub position_id: Option<Uuid>,
    pub preferences: Vec<Uuid>,
    /// Every priority category the applicant declares (Decree 170/2025 Art 6: the highest
    /// counts).
    pub priority_codes: Vec<String>,
    pub updated_at: Option<OffsetDateTime>,
}

/// Everything the page for applying to one round shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplyPageData {
    pub notice: RoundNotice,
    pub profile: ProfileForm,
    pub profile_saved_at: Option<OffsetDateTime>,
    pub choice: DraftChoice,
    pub documents: Vec<DocumentInfo>,
    pub application: Option<ApplicationView>,
    /// Until when the applicant may still change things (the round's deadline, or HR's
    /// correction deadline), and whether that is still ahead.
    pub editable_until: OffsetDateTime,
    pub editable: bool,
    pub now: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub form: ProfileForm,
    pub saved_at: Option<OffsetDateTime>,
    pub incomplete: Vec<Section>,
    pub today: Date,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub at: OffsetDateTime,
    pub kind: EventKind,
    pub application_id: Option<Uuid>,
    pub round_name: Option<String>,
    pub reason: Option<String>,
    pub read: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub round_id: Uuid,
    pub round_name: String,
    pub closes_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// The applicant's home: applications with their timelines, unfinished drafts, rounds open
/// for applications and notifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantHome {
    pub applications: Vec<ApplicationView>,
    pub drafts: Vec<DraftSummary>,
    pub open_rounds: Vec<RoundSummary>,
    pub notifications: Vec<NotificationView>,
    pub now: OffsetDateTime,
}

/// Returned once the application is committed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub application_id: Uuid,
    pub receipt_code: String,
    /// False when this was a repeat of a submission already recorded.
    pub first_time: bool,
}

/// One line of HR's screening queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningRow {
    pub id: Uuid,
    pub receipt_code: String,
    pub full_name: String,
    pub national_id: String,
    pub date_of_birth: Date,
    pub position_code: String,
    pub status: ApplicationStatus,
    pub status_reason: Option<String>,
    pub checks: Vec<CheckResult>,
    pub fee_paid: bool,
    pub submitted_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionOption {
    pub id: Uuid,
    pub code: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningView {
    pub round: RoundSummary,
    pub positions: Vec<PositionOption>,
    pub rows: Vec<ScreeningRow>,
    /// Rows matching the filter (the page shows at most `SCREENING_PAGE_SIZE`).
    pub matching: i64,
    pub counts: Vec<(ApplicationStatus, i64)>,
    pub fees_paid: i64,
    pub fee_per_candidate: u64,
}

/// Rows shown at once; the filter narrows a large round down.
pub const SCREENING_PAGE_SIZE: i64 = 500;

/// One application in full, for HR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFile {
    pub application: ApplicationView,
    pub form: ProfileForm,
    pub checks: Vec<CheckResult>,
    pub documents: Vec<DocumentInfo>,
    pub account_email: String,
}

/// What reconciling a bank statement found, line by line: each list holds its first
/// `REPORT_LINES` lines, `totals` how many there were in all (a statement may have 200,000).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileReport {
    pub recorded: Vec<ReconciledLine>,
    pub already_paid: Vec<ReconciledLine>,
    pub wrong_amount: Vec<ReconciledLine>,
    pub unmatched: Vec<UnmatchedLine>,
    #[serde(default)]
    pub totals: ReconcileTotals,
}

/// How many lines each list of a `ReconcileReport` has in all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileTotals {
    pub recorded: usize,
    pub already_paid: usize,
    pub wrong_amount: usize,
    pub unmatched: usize,
}

/// The most lines a reconciliation report lists under each heading.
pub const REPORT_LINES: usize = 500;

/// Adds `item` to `list` while it holds fewer than `REPORT_LINES`, and counts it.
pub fn report_line<T>(list: &mut Vec<T>, total: &mut usize, item: T) {
    *total += 1;
    if list.len() < REPORT_LINES {
        list.push(item);
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciledLine {
    pub line: usize,
    pub receipt_code: String,
    pub full_name: String,
    pub amount_dong: u64,
    pub expected_dong: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedLine {
    pub line: usize,
    pub text: String,
    pub msg: Msg,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: OffsetDateTime,
    pub status: String,
}
