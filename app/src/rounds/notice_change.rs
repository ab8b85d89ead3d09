//! The one change a published notice may have (Decree 170/2025 Art 15, as amended): decided by
//! the head of the authority, at least 10 days before the exams' opening session (ngày khai
//! mạc), published with its date, and restarting the application window. Pure.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Days the change must precede the opening session by.
pub const DAYS_BEFORE_OPENING: i64 = 10;

/// The change as the notice shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeChange {
    pub changed_at: OffsetDateTime,
    pub decided_by: String,
    pub document_ref: String,
    /// dd/mm/yyyy.
    pub decided_on: String,
}

/// Whether the notice may be changed now: not changed before, and the opening session (the
/// round's first exam session, if one is scheduled) at least 10 days away.
pub fn may_change(
    already_changed: bool,
    opening: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<(), Msg> {
    if already_changed {
        return Err(Msg::ErrNoticeChangedOnce);
    }
    let vn = crate::rounds::types::vietnam_date;
    match opening {
        Some(opening) if (vn(opening) - vn(now)).whole_days() < DAYS_BEFORE_OPENING => {
            Err(Msg::ErrNoticeChangeTooLate)
        }
        _ => Ok(()),
    }
}

/// The closing time once the notice changes at `now`: applications run at least
/// `window_days` from the change (the window restarts), never shorter than before.
pub fn restarted_close(
    closes_at: OffsetDateTime,
    now: OffsetDateTime,
    window_days: u16,
) -> OffsetDateTime {
    let restarted = crate::rounds::types::vietnam_date(now)
        .saturating_add(time::Duration::days(i64::from(window_days)))
        .with_hms(17, 0, 0)
        .map(|t| t.assume_offset(time::macros::offset!(+7)))
        .unwrap_or(closes_at);
    closes_at.max(restarted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// Decree 170/2025 Art 15: once, and at least 10 days before the opening session.
    #[test]
    fn a_notice_changes_once_and_not_within_ten_days_of_the_opening() {
        let now = datetime!(2027-03-01 10:00 +7);
        assert_eq!(may_change(false, None, now), Ok(()));
        assert_eq!(
            may_change(false, Some(datetime!(2027-03-11 08:00 +7)), now),
            Ok(()),
            "10 days before is still in time"
        );
        assert_eq!(
            may_change(false, Some(datetime!(2027-03-10 08:00 +7)), now),
            Err(Msg::ErrNoticeChangeTooLate)
        );
        assert_eq!(may_change(true, None, now), Err(Msg::ErrNoticeChangedOnce));
    }

    /// The application window (30 days from the notice) restarts from the change; a later
    /// closing time stays.
    #[test]
    fn the_application_window_restarts_from_the_change() {
        let now = datetime!(2027-03-01 10:00 +7);
        assert_eq!(
            restarted_close(datetime!(2027-03-10 17:00 +7), now, 30),
            datetime!(2027-03-31 17:00 +7)
        );
        assert_eq!(
            restarted_close(datetime!(2027-05-01 17:00 +7), now, 30),
            datetime!(2027-05-01 17:00 +7)
        );
    }
}
