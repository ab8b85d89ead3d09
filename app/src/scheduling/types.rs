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
}

/// The admission ticket (giấy báo dự thi) of one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub application_id: Uuid,
    pub round_name: String,
    pub authority: String,
    pub stage: i16,
    pub candidate_number: String,
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
