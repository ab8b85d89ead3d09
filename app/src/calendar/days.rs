//! The calendar, pure: which dates are working days, and counting them.
//!
//! A date is a working day when it is Monday to Friday and not a recorded holiday, or when it
//! is recorded as a working day (the Saturday the government moves work to when it joins a
//! holiday to a weekend). Dates are Vietnam's (UTC+7, no daylight saving).

use crate::error::{AppError, FieldError};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::macros::offset;
use time::{Date, OffsetDateTime, Weekday};

/// What a recorded date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DayKind {
    /// A public holiday or a day off the government declares (Labour Code Art 112, including
    /// a weekday given in place of a holiday that falls on a weekend).
    Holiday,
    /// A weekend day the government turns into a working day, in exchange for a day off.
    WorkingDay,
}

impl DayKind {
    pub const ALL: [DayKind; 2] = [DayKind::Holiday, DayKind::WorkingDay];

    /// The value stored in `calendar_days.kind` and sent by the form.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::WorkingDay => "working",
        }
    }

    pub fn parse(value: &str) -> Option<DayKind> {
        DayKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

// Dates travel as yyyy-mm-dd, readable in the JSON the endpoints answer.
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// One recorded date, as the administrator's page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    #[serde(with = "iso_date")]
    pub date: Date,
    pub kind: DayKind,
    pub name: String,
}

/// The recorded dates. Without any, working days are Monday to Friday.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<Date, DayKind>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (Date, DayKind)>) -> Self {
        Calendar {
            days: days.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::WorkingDay) => true,
            None => !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The same time of day, `days` working days after `at` (in Vietnam time): the day of
    /// `at` itself never counts.
    pub fn add_working_days(&self, at: OffsetDateTime, days: u8) -> OffsetDateTime {
        let mut day = at.to_offset(offset!(+7));
        let mut left = days;
        while left > 0 {
            // At the end of the calendar (year 9999) the walk stops rather than overflow.
            let Some(next) = day.checked_add(time::Duration::days(1)) else {
                break;
            };
            day = next;
            if self.is_working_day(day.date()) {
                left -= 1;
            }
        }
        day
    }

    /// The last second (23:59:59 Vietnam time) of the `days`-th working day after `at`: a
    /// clock of "N working days from" a publication ends then.
    pub fn end_of_working_days(&self, at: OffsetDateTime, days: u8) -> OffsetDateTime {
        self.add_working_days(at, days)
            .replace_time(time::Time::MIDNIGHT)
            .saturating_add(time::Duration::DAY)
            .saturating_sub(time::Duration::SECOND)
    }
}

/// A date the administrator records, read from the form: `date` as dd/mm/yyyy, `kind` as
/// [`DayKind::as_str`], `name` what the day is. A holiday must fall on a weekday and a
/// working day on a weekend: anything else would change nothing and hide a typing mistake.
pub fn parse_day_form(date: &str, kind: &str, name: &str) -> Result<CalendarDay, AppError> {
    let mut errors = Vec::new();
    let date = crate::results::types::parse_day(date);
    if date.is_none() {
        errors.push(FieldError::new("date", Msg::ErrCalendarDate));
    }
    let kind = DayKind::parse(kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", Msg::ErrCalendarKind));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", Msg::ErrCalendarName));
    }
    if let (Some(date), Some(kind)) = (date, kind) {
        let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        match kind {
            DayKind::Holiday if weekend => {
                errors.push(FieldError::new("date", Msg::ErrCalendarHolidayOnWeekend))
            }
            DayKind::WorkingDay if !weekend => {
                errors.push(FieldError::new("date", Msg::ErrCalendarWorkingOnWeekday))
            }
            _ => {}
        }
    }
    match (date, kind, errors.is_empty()) {
        (Some(date), Some(kind), true) => Ok(CalendarDay {
            date,
            kind,
            name: name.to_string(),
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// The 2026 Tết break as the government set it: Monday 16 to Friday 20 February
    /// (Labour Code 2019 Art 112.1.b, five days of Tết).
    fn tet_2026() -> Calendar {
        Calendar::new((16..=20).map(|d| {
            (
                Date::from_calendar_date(2026, time::Month::February, d).unwrap(),
                DayKind::Holiday,
            )
        }))
    }

    #[test]
    fn weekends_are_not_working_days_without_a_calendar() {
        let c = Calendar::default();
        assert!(c.is_working_day(date!(2026 - 12 - 04))); // Friday
        assert!(!c.is_working_day(date!(2026 - 12 - 05))); // Saturday
        assert!(!c.is_working_day(date!(2026 - 12 - 06))); // Sunday
    }

    #[test]
    fn holidays_do_not_count_and_a_working_saturday_does() {
        // Decree 170/2025 Art 17: appeals within 5 working days of the exam scores' notice.
        // Published Friday 13 February 2026, the eve of the Tết break: the 5 working days are
        // 23–27 February, not 16–20.
        let published = datetime!(2026-02-13 10:00 +7);
        assert_eq!(
            tet_2026().end_of_working_days(published, 5),
            datetime!(2026-02-27 23:59:59 +7)
        );
        assert_eq!(
            Calendar::default().end_of_working_days(published, 5),
            datetime!(2026-02-20 23:59:59 +7)
        );
        // 2025: Friday 2 May off in exchange for working Saturday 26 April.
        let c = Calendar::new([
            (date!(2025 - 04 - 26), DayKind::WorkingDay),
            (date!(2025 - 04 - 30), DayKind::Holiday),
            (date!(2025 - 05 - 01), DayKind::Holiday),
            (date!(2025 - 05 - 02), DayKind::Holiday),
        ]);
        assert!(c.is_working_day(date!(2025 - 04 - 26)));
        // From Friday 25 April: Sat 26 (worked), Mon 28, Tue 29, then Mon 5 May.
        assert_eq!(
            c.add_working_days(datetime!(2025-04-25 09:00 +7), 4),
            datetime!(2025-05-05 09:00 +7)
        );
    }

    #[test]
    fn the_start_day_never_counts_and_utc_is_read_in_vietnam() {
        // 20:00 UTC on Thursday is 03:00 on Friday in Vietnam: one working day later is Monday.
        let at = datetime!(2026-12-03 20:00 UTC);
        assert_eq!(
            Calendar::default().add_working_days(at, 1).date(),
            date!(2026 - 12 - 07)
        );
        assert_eq!(
            Calendar::default().add_working_days(at, 0),
            at.to_offset(offset!(+7))
        );
    }

    #[test]
    fn the_form_refuses_what_would_change_nothing() {
        let ok = parse_day_form(" 2/9/2027 ", "holiday", " Quốc khánh ").unwrap();
        assert_eq!(
            ok,
            CalendarDay {
                date: date!(2027 - 09 - 02),
                kind: DayKind::Holiday,
                name: "Quốc khánh".into()
            }
        );
        let fields = |r: Result<CalendarDay, AppError>| {
            r.unwrap_err()
                .field_errors()
                .into_iter()
                .map(|e| (e.field, e.msg))
                .collect::<Vec<_>>()
        };
        // 5 September 2027 is a Sunday: already not a working day.
        assert_eq!(
            fields(parse_day_form("05/09/2027", "holiday", "x")),
            [("date".to_string(), Msg::ErrCalendarHolidayOnWeekend)]
        );
        assert_eq!(
            fields(parse_day_form("06/09/2027", "working", "x")),
            [("date".to_string(), Msg::ErrCalendarWorkingOnWeekday)]
        );
        assert_eq!(
            fields(parse_day_form("31/02/2027", "off", " ")),
            [
                ("date".to_string(), Msg::ErrCalendarDate),
                ("kind".to_string(), Msg::ErrCalendarKind),
                ("name".to_string(), Msg::ErrCalendarName)
            ]
        );
    }

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in DayKind::ALL {
            assert_eq!(DayKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DayKind::parse("Holiday"), None);
    }
}
