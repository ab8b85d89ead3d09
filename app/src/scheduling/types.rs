//! What the scheduling pages and server functions exchange: venues, rooms and sessions, the
//! result of an allocation, the admission ticket and the room roster.

use crate::applications::types::PositionOption;
use crate::rounds::types::RoundSummary;
use crate::scheduling::allocation::Problem;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Stage 1 is the computer-based general test; stage 2 the professional examination.
pub fn parse_stage(input: &str) -> Option<i16> {
    match input.trim() {
        "1" => Some(1),
        "2" => Some(2),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    pub id: Uuid,
    pub name: String,
    pub capacity: i32,
    pub computer: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueView {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub map_note: String,
    pub rooms: Vec<RoomView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: Uuid,
    pub name: String,
    pub venue_name: String,
    pub starts_at: OffsetDateTime,
    pub duration_minutes: i32,
    pub needs_computer: bool,
    pub positions: Vec<PositionOption>,
    /// Candidates of its positions, seats it has, and seated candidates.
    pub candidates: i64,
    pub capacity: i64,
    pub seated: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub published_at: OffsetDateTime,
    pub confirmation_deadline: OffsetDateTime,
    pub confirmed: i64,
    pub withdrawn: i64,
}

/// Everything HR's schedule page shows for one stage of a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSchedule {
    pub round: RoundSummary,
    pub stage: i16,
    pub candidate_prefix: String,
    pub venues: Vec<VenueView>,
    pub sessions: Vec<SessionView>,
    pub positions: Vec<PositionOption>,
    /// Candidates of the stage (eligible, fee paid, not withdrawn) and how many have a seat.
    pub candidates: i64,
    pub seated: i64,
    pub publication: Option<Publication>,
}

/// One room's fill after an allocation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomFill {
    pub session_id: Uuid,
    pub session_name: String,
    pub room_id: Uuid,
    pub room_name: String,
    pub seated: u32,
    pub capacity: u32,
}

/// The outcome of an allocation, previewed or applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationReport {
    pub applied: bool,
    pub kept: u32,
    pub moved: u32,
    pub added: u32,
    pub removed: u32,
    pub rooms: Vec<RoomFill>,
    pub problems: Vec<Problem>,
    /// Candidates the seating would put in a room watched by a related invigilator
    /// ("candidate – invigilator"); nothing is saved while there are any.
    pub conflicts: Vec<String>,
}

/// The admission ticket (giấy báo dự thi) of one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub application_id: Uuid,
    pub round_name: String,
    pub authority: String,
    pub stage: i16,
    pub candidate_number: String,
    /// The personal code that looks up the result with the candidate number (stored without
    /// the dash).
    pub lookup_code: String,
    pub full_name: String,
    pub date_of_birth: Date,
    pub national_id: String,
    pub position: String,
    pub session_name: String,
    pub starts_at: OffsetDateTime,
    pub duration_minutes: i32,
    pub venue_name: String,
    pub venue_address: String,
    pub map_note: String,
    pub room_name: String,
    pub seat: i32,
    /// An SVG picture of a QR code holding the candidate number.
    pub qr_svg: String,
    pub confirmation: Option<String>,
    pub confirmation_deadline: OffsetDateTime,
    pub now: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub seat: i32,
    pub candidate_number: String,
    pub full_name: String,
    pub date_of_birth: Date,
    pub national_id: String,
    pub position_code: String,
}

/// A room's list of candidates for one session, for the door and the invigilators' signatures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub round_name: String,
    pub session_name: String,
    pub starts_at: OffsetDateTime,
    pub venue_name: String,
    pub room_name: String,
    pub rows: Vec<RosterRow>,
}

/// What an invigilator records for a candidate on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttendanceStatus {
    Present,
    Absent,
    Excused,
    /// A breach of the exam rules (with a note): the candidate is excluded.
    Violation,
    /// A computer failure (with a note): the candidate re-sits.
    Incident,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 5] = [
        AttendanceStatus::Present,
        AttendanceStatus::Absent,
        AttendanceStatus::Excused,
        AttendanceStatus::Violation,
        AttendanceStatus::Incident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Absent => "absent",
            AttendanceStatus::Excused => "excused",
            AttendanceStatus::Violation => "violation",
            AttendanceStatus::Incident => "incident",
        }
    }

    pub fn parse(name: &str) -> Option<AttendanceStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn msg(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            AttendanceStatus::Present => Msg::AttendPresent,
            AttendanceStatus::Absent => Msg::AttendAbsent,
            AttendanceStatus::Excused => Msg::AttendExcused,
            AttendanceStatus::Violation => Msg::AttendViolation,
            AttendanceStatus::Incident => Msg::AttendIncident,
        }
    }

    /// Excused, violation and incident must say what happened.
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Excused | AttendanceStatus::Violation | AttendanceStatus::Incident
        )
    }

    /// Whether the candidate's paper may be marked: only those who sat the exam (an
    /// incident re-sits, and is marked on the re-sit). The scoring stage relies on this.
    pub fn may_receive_marks(self) -> bool {
        matches!(self, AttendanceStatus::Present)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
}

/// A room of a session with candidates: its invigilators and the day's attendance so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRoom {
    pub session_id: Uuid,
    pub session_name: String,
    pub starts_at: OffsetDateTime,
    pub duration_minutes: i32,
    pub venue_name: String,
    pub room_id: Uuid,
    pub room_name: String,
    pub seated: i64,
    pub invigilators: Vec<StaffMember>,
    pub marked: i64,
    pub absent: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictView {
    pub staff: StaffMember,
    pub candidate_name: String,
    pub receipt_code: String,
    pub relationship: String,
}

/// HR's exam-day view of a stage: rooms with invigilators, staff to choose from, conflicts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamDayView {
    pub rooms: Vec<SessionRoom>,
    /// Where a candidate can be moved: `session:room` values with their labels.
    pub move_targets: Vec<(String, String)>,
    pub staff: Vec<StaffMember>,
    pub conflicts: Vec<ConflictView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub application_id: Uuid,
    pub seat: i32,
    pub candidate_number: String,
    pub full_name: String,
    pub date_of_birth: Date,
    pub national_id: String,
    pub status: Option<AttendanceStatus>,
    pub note: Option<String>,
}

/// One room on the day, as its invigilator sees it on a phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheetView {
    pub room: SessionRoom,
    pub stage: i16,
    pub rows: Vec<AttendanceRow>,
}
