//! The e-mail an applicant receives for each step of their application, in Vietnamese with
//! an English copy below (the address does not tell us which language the reader prefers).

use crate::applications::types::EventKind;
use crate::i18n::{Lang, Msg};
use crate::rounds::types::format_datetime_vn;
use time::OffsetDateTime;

pub struct EmailFacts<'a> {
    pub full_name: &'a str,
    pub round_name: &'a str,
    pub receipt_code: &'a str,
    pub kind: EventKind,
    pub reason: Option<&'a str>,
    pub fix_by: Option<OffsetDateTime>,
}

pub struct EmailText {
    pub subject: String,
    pub body: String,
}

fn part(lang: Lang, facts: &EmailFacts) -> String {
    let mut text = format!(
        "{} {},\n\n{}\n{}: {}\n{}: {}\n",
        lang.t(Msg::EmailGreeting),
        facts.full_name,
        lang.t(facts.kind.msg()),
        lang.t(Msg::NavRounds),
        facts.round_name,
        lang.t(Msg::ReceiptCode),
        facts.receipt_code,
    );
    if let Some(reason) = facts.reason {
        text.push_str(&format!("{}: {reason}\n", lang.t(Msg::Reason)));
    }
    if let Some(fix_by) = facts.fix_by {
        text.push_str(&format!(
            "{}: {}\n",
            lang.t(Msg::FixBy),
            format_datetime_vn(fix_by)
        ));
    }
    text.push_str(&format!("\n{}\n", lang.t(Msg::EmailFooter)));
    text
}

pub fn email_text(facts: &EmailFacts) -> EmailText {
    EmailText {
        subject: format!(
            "[{}] {} – {}",
            Lang::Vi.t(Msg::PortalName),
            Lang::Vi.t(facts.kind.msg()),
            facts.receipt_code
        ),
        body: format!("{}\n---\n{}", part(Lang::Vi, facts), part(Lang::En, facts)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_names_the_step_the_round_and_the_reason_in_both_languages() {
        let email = email_text(&EmailFacts {
            full_name: "Nguyễn Thị Hoa",
            round_name: "Kỳ tuyển dụng 2026",
            receipt_code: "K7QM-3XR9-T",
            kind: EventKind::NeedsCorrection,
            reason: Some("Thiếu bản sao bằng"),
            fix_by: None,
        });
        assert!(email.subject.contains("K7QM-3XR9-T"));
        assert!(email.body.contains("Thiếu bản sao bằng"));
        assert!(email.body.contains(Lang::Vi.t(Msg::EventNeedsCorrection)));
        assert!(email.body.contains(Lang::En.t(Msg::EventNeedsCorrection)));
    }
}
