//! What the round pages and server functions exchange, and the parsing of a new round.

use crate::error::{AppError, FieldError};
use crate::i18n::Msg;
use crate::rounds::positions::{DegreeLevel, Stage2Format};
use crate::rounds::rules::RuleParams;
use crate::rounds::status::RoundStatus;
use serde::{Deserialize, Serialize};
use time::macros::{format_description, offset};
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSetSummary {
    pub id: Uuid,
    pub code: String,
    pub version: i32,
    pub name: String,
    pub legal_basis: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSetView {
    pub summary: RuleSetSummary,
    pub params: RuleParams,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: Uuid,
    pub name: String,
    pub authority: String,
    pub status: RoundStatus,
    pub opens_at: OffsetDateTime,
    pub closes_at: OffsetDateTime,
    pub position_count: i64,
    pub total_quota: i64,
    pub applications: i64,
}

impl RoundSummary {
    /// Accepting applications at `now` (by the server's clock).
    pub fn accepting_at(&self, now: OffsetDateTime) -> bool {
        self.status == RoundStatus::Open && self.opens_at <= now && now < self.closes_at
    }
}

/// The public list of rounds, with the server's clock to judge which are open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundList {
    pub rounds: Vec<RoundSummary>,
    pub now: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitQuotaView {
    pub unit_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub quota: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionView {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub units: Vec<UnitQuotaView>,
    pub min_degree: DegreeLevel,
    pub majors: Vec<String>,
    pub other_conditions: String,
    pub stage2: Stage2Format,
    pub max_score: i16,
    pub applications: i64,
    /// Rank and method (rounds under a rule set that derives tests by rank).
    pub plan: Option<crate::rounds::plan::Plan>,
    pub stage1: crate::rounds::plan::Stage1,
    /// Reserved for ethnic-minority candidates (Decree 170/2025 Art 3.2.c).
    pub ethnic_minority_only: bool,
}

impl PositionView {
    pub fn quota(&self) -> i64 {
        self.units.iter().map(|u| i64::from(u.quota)).sum()
    }
}

/// A round as the public notice shows it. `now` is the server's clock when it was read, so the
/// countdown is the same on the server-rendered page and after the browser takes over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundNotice {
    pub round: RoundSummary,
    pub notice: String,
    pub stage1_foreign_language: bool,
    pub rule_set: RuleSetView,
    pub positions: Vec<PositionView>,
    pub now: OffsetDateTime,
    /// The notice's one change, once made (Decree 170/2025 Art 15).
    #[serde(default)]
    pub change: Option<crate::rounds::notice_change::NoticeChange>,
}

/// One line of a round's change log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub action: String,
    /// What changed, in codes and numbers (position code, unit, old → new).
    pub subject: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: Option<String>,
}

impl AuditEntry {
    pub fn action_msg(&self) -> Option<Msg> {
        Some(match self.action.as_str() {
            "round.created" => Msg::AuditRoundCreated,
            "round.updated" => Msg::AuditRoundUpdated,
            "round.status_changed" => Msg::AuditStatusChanged,
            "position.added" => Msg::AuditPositionAdded,
            "position.removed" => Msg::AuditPositionRemoved,
            "position.quota_changed" => Msg::AuditQuotaChanged,
            "positions.imported" => Msg::AuditPositionsImported,
            _ => return None,
        })
    }
}

/// What HR sees on a round's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundForHr {
    pub notice: RoundNotice,
    pub audit: Vec<AuditEntry>,
}

/// dd/mm/yyyy HH:MM in Vietnam time.
pub fn format_datetime_vn(at: OffsetDateTime) -> String {
    at.to_offset(offset!(+7))
        .format(format_description!("[day]/[month]/[year] [hour]:[minute]"))
        .unwrap_or_default()
}

/// The calendar date in Vietnam (UTC+7, no daylight saving) at this moment.
pub fn vietnam_date(at: OffsetDateTime) -> time::Date {
    at.to_offset(offset!(+7)).date()
}

/// dd/mm/yyyy
pub fn format_date_vn(date: time::Date) -> String {
    date.format(format_description!("[day]/[month]/[year]"))
        .unwrap_or_default()
}

/// The value a `datetime-local` input shows for this moment, in Vietnam time.
pub fn datetime_input_value(at: OffsetDateTime) -> String {
    at.to_offset(offset!(+7))
        .format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
        .unwrap_or_default()
}

/// Reads a `datetime-local` value ("2026-12-01T08:00", seconds optional) as Vietnam time.
pub fn parse_datetime_vn(input: &str) -> Result<OffsetDateTime, Msg> {
    let input = input.trim();
    let with_seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let without = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(input, without)
        .or_else(|_| PrimitiveDateTime::parse(input, with_seconds))
        .map(|dt| dt.assume_offset(offset!(+7)))
        .map_err(|_| Msg::ErrDateTime)
}

/// Days and hours left until `deadline`, or `None` once it has passed.
pub fn time_left(now: OffsetDateTime, deadline: OffsetDateTime) -> Option<(i64, i64, i64)> {
    let left = deadline - now;
    if left <= time::Duration::ZERO {
        return None;
    }
    let minutes = left.whole_minutes();
    Some((minutes / (24 * 60), (minutes / 60) % 24, minutes % 60))
}

/// A round HR is creating, checked against the rule set it will run under.
#[derive(Clone, Debug)]
pub struct NewRound {
    pub name: String,
    pub authority: String,
    pub notice: String,
    pub opens_at: OffsetDateTime,
    pub closes_at: OffsetDateTime,
    pub stage1_foreign_language: bool,
}

impl NewRound {
    /// The names of the details that differ from `other`, for the change log.
    pub fn changes_from(&self, other: &NewRound) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.name != other.name {
            changed.push("name");
        }
        if self.authority != other.authority {
            changed.push("authority");
        }
        if self.notice != other.notice {
            changed.push("notice");
        }
        if self.opens_at != other.opens_at {
            changed.push("opens_at");
        }
        if self.closes_at != other.closes_at {
            changed.push("closes_at");
        }
        if self.stage1_foreign_language != other.stage1_foreign_language {
            changed.push("stage1_foreign_language");
        }
        changed
    }

    pub fn parse(
        name: &str,
        authority: &str,
        notice: &str,
        opens_at: &str,
        closes_at: &str,
        stage1_foreign_language: bool,
        rules: Option<&RuleParams>,
    ) -> Result<NewRound, AppError> {
        use crate::rounds::positions::parse_text;
        let mut errors = Vec::new();
        let mut field = |name: &str, result: Result<String, Msg>| {
            result
                .map_err(|msg| errors.push(FieldError::new(name, msg)))
                .ok()
        };
        let name = field("name", parse_text(name, 300));
        let authority = field("authority", parse_text(authority, 300));
        let notice = field("notice", parse_text(notice, 20_000));
        let opens = parse_datetime_vn(opens_at)
            .map_err(|msg| errors.push(FieldError::new("opens_at", msg)))
            .ok();
        let closes = parse_datetime_vn(closes_at)
            .map_err(|msg| errors.push(FieldError::new("closes_at", msg)))
            .ok();
        if rules.is_none() {
            errors.push(FieldError::new("rule_set_id", Msg::ErrRuleSet));
        }
        if let (Some(opens), Some(closes)) = (opens, closes) {
            if closes <= opens {
                errors.push(FieldError::new("closes_at", Msg::ErrCloseBeforeOpen));
            } else if let Some(rules) = rules {
                let required = time::Duration::days(i64::from(rules.application_window_days));
                if closes - opens < required {
                    errors.push(FieldError::new("closes_at", Msg::ErrWindowTooShort));
                }
            }
        }
        match (name, authority, notice, opens, closes) {
            (Some(name), Some(authority), Some(notice), Some(opens_at), Some(closes_at))
                if errors.is_empty() =>
            {
                Ok(NewRound {
                    name,
                    authority,
                    notice,
                    opens_at,
                    closes_at,
                    stage1_foreign_language,
                })
            }
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn datetimes_are_read_and_written_in_vietnam_time() {
        let at = parse_datetime_vn("2026-12-01T08:00").unwrap();
        assert_eq!(at, datetime!(2026-12-01 01:00 UTC));
        assert_eq!(
            parse_datetime_vn("2026-12-01T08:00:30").unwrap(),
            at + time::Duration::seconds(30)
        );
        assert_eq!(format_datetime_vn(at), "01/12/2026 08:00");
        assert_eq!(datetime_input_value(at), "2026-12-01T08:00");
        assert_eq!(parse_datetime_vn("01/12/2026"), Err(Msg::ErrDateTime));
    }

    #[test]
    fn time_left_counts_down_to_the_deadline() {
        let deadline = datetime!(2026-12-31 17:00 +7);
        assert_eq!(
            time_left(datetime!(2026-12-29 15:30 +7), deadline),
            Some((2, 1, 30))
        );
        assert_eq!(time_left(deadline, deadline), None);
    }

    #[test]
    fn a_new_round_respects_the_rule_sets_window() {
        let rules = RuleParams::decree_170_2025();
        let ok = NewRound::parse(
            "Tuyển dụng công chức 2026",
            "UBND tỉnh Nghệ An",
            "Thông báo",
            "2026-12-01T08:00",
            "2026-12-31T17:00",
            false,
            Some(&rules),
        );
        assert!(ok.is_ok());
        let short = NewRound::parse(
            "A",
            "B",
            "C",
            "2026-12-01T08:00",
            "2026-12-10T17:00",
            false,
            Some(&rules),
        )
        .unwrap_err();
        assert_eq!(short.for_field("closes_at"), Some(Msg::ErrWindowTooShort));
        let backwards = NewRound::parse(
            "A",
            "B",
            "C",
            "2026-12-10T08:00",
            "2026-12-01T17:00",
            false,
            Some(&rules),
        )
        .unwrap_err();
        assert_eq!(
            backwards.for_field("closes_at"),
            Some(Msg::ErrCloseBeforeOpen)
        );
        let empty = NewRound::parse("", " ", "", "", "", false, None).unwrap_err();
        let fields: Vec<_> = empty.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "authority",
                "notice",
                "opens_at",
                "closes_at",
                "rule_set_id"
            ]
        );
    }
}
