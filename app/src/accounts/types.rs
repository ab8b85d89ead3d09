//! Account values that parse once and stay valid: used by the forms in the browser and again
//! by the server, which is the authority.

use crate::error::{AppError, FieldError};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const FULL_NAME_MAX_CHARS: usize = 200;

/// A normalised (trimmed, lower-case) email address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, Msg> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(Msg::ErrEmailRequired);
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(Msg::ErrEmailInvalid);
        };
        let domain_ok = domain.contains('.')
            && domain.len() <= 253
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '@' || c == '<' || c == '>');
        if !domain_ok || !local_ok || email.len() > 254 {
            return Err(Msg::ErrEmailInvalid);
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password a person is choosing. Taken exactly as typed: never trimmed or altered.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<NewPassword, Msg> {
        let chars = input.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            Err(Msg::ErrPasswordTooShort)
        } else if chars > PASSWORD_MAX_CHARS {
            Err(Msg::ErrPasswordTooLong)
        } else {
            Ok(NewPassword(input.to_string()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A person's full name as they write it (Vietnamese diacritics kept), trimmed at the ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullName(String);

impl FullName {
    pub fn parse(input: &str) -> Result<FullName, Msg> {
        let name = input.trim();
        if name.is_empty() {
            Err(Msg::ErrFullNameRequired)
        } else if name.chars().count() > FULL_NAME_MAX_CHARS {
            Err(Msg::ErrFullNameTooLong)
        } else if name.chars().any(char::is_control) {
            Err(Msg::ErrFullNameRequired)
        } else {
            Ok(FullName(name.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Applicant,
    Marker,
    BoardChair,
    HrOfficer,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Applicant,
        Role::Marker,
        Role::BoardChair,
        Role::HrOfficer,
        Role::Administrator,
    ];
    /// Roles an administrator grants; applicants register themselves.
    pub const STAFF: [Role; 4] = [
        Role::Marker,
        Role::BoardChair,
        Role::HrOfficer,
        Role::Administrator,
    ];

    /// The name stored in the database and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Marker => "marker",
            Role::BoardChair => "board_chair",
            Role::HrOfficer => "hr_officer",
            Role::Administrator => "administrator",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    pub fn msg(self) -> Msg {
        match self {
            Role::Applicant => Msg::RoleApplicant,
            Role::Marker => Msg::RoleMarker,
            Role::BoardChair => Msg::RoleBoardChair,
            Role::HrOfficer => Msg::RoleHrOfficer,
            Role::Administrator => Msg::RoleAdministrator,
        }
    }
}

/// Who is signed in, as the pages and server functions see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// Unread notifications; filled in for the header only (0 elsewhere).
    #[serde(default)]
    pub unread_notifications: i64,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any_role(&self, roles: &[Role]) -> bool {
        roles.iter().any(|role| self.has_role(*role))
    }
}

/// One row of the administrator's account list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// dd/mm/yyyy in Vietnam time.
    pub created_on: String,
}

/// What a new applicant typed, validated field by field so every problem is reported at once.
pub struct Registration {
    pub email: Email,
    pub full_name: FullName,
    pub password: NewPassword,
}

impl Registration {
    pub fn parse(
        email: &str,
        full_name: &str,
        password: &str,
        password_confirm: &str,
    ) -> Result<Registration, AppError> {
        let mut errors = Vec::new();
        let full_name = FullName::parse(full_name)
            .map_err(|msg| errors.push(FieldError::new("full_name", msg)))
            .ok();
        let email = Email::parse(email)
            .map_err(|msg| errors.push(FieldError::new("email", msg)))
            .ok();
        let password = NewPassword::parse(password)
            .map_err(|msg| errors.push(FieldError::new("password", msg)))
            .ok();
        if password.is_some() && password_confirm != password.as_ref().map_or("", |p| p.expose()) {
            errors.push(FieldError::new(
                "password_confirm",
                Msg::ErrPasswordMismatch,
            ));
        }
        match (email, full_name, password) {
            (Some(email), Some(full_name), Some(password)) if errors.is_empty() => {
                Ok(Registration {
                    email,
                    full_name,
                    password,
                })
            }
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// A staff account an administrator is creating.
pub struct StaffAccount {
    pub email: Email,
    pub full_name: FullName,
    pub roles: Vec<Role>,
}

impl StaffAccount {
    pub fn parse(email: &str, full_name: &str, roles: Vec<Role>) -> Result<StaffAccount, AppError> {
        let mut errors = Vec::new();
        let email = Email::parse(email)
            .map_err(|msg| errors.push(FieldError::new("email", msg)))
            .ok();
        let full_name = FullName::parse(full_name)
            .map_err(|msg| errors.push(FieldError::new("full_name", msg)))
            .ok();
        if roles.is_empty() {
            errors.push(FieldError::new("roles", Msg::ErrRolesRequired));
        }
        match (email, full_name) {
            (Some(email), Some(full_name)) if errors.is_empty() => Ok(StaffAccount {
                email,
                full_name,
                roles,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// Where to go after signing in: only a path on this site, never another origin
/// (`//evil.example` and `/\\evil.example` are refused), so a link cannot bounce a person away.
/// Only printable ASCII: a path that came from a link is percent-encoded already.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.chars().all(|c| c.is_ascii_graphic()) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Nguyen.Van.A@Example.VN ").unwrap().as_str(),
            "nguyen.van.a@example.vn"
        );
        for (input, expected) in [
            ("", Msg::ErrEmailRequired),
            ("   ", Msg::ErrEmailRequired),
            ("no-at-sign", Msg::ErrEmailInvalid),
            ("a@b", Msg::ErrEmailInvalid),
            ("@example.vn", Msg::ErrEmailInvalid),
            ("a b@example.vn", Msg::ErrEmailInvalid),
            ("a@@example.vn", Msg::ErrEmailInvalid),
            ("a@exa mple.vn", Msg::ErrEmailInvalid),
            ("a@.example.vn", Msg::ErrEmailInvalid),
        ] {
            assert_eq!(Email::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn password_length_is_counted_in_characters_and_kept_verbatim() {
        assert_eq!(NewPassword::parse("short"), Err(Msg::ErrPasswordTooShort));
        // 12 Vietnamese characters are more than 12 bytes but exactly 12 characters.
        let vietnamese = "mậtkhẩuđủdài";
        assert_eq!(vietnamese.chars().count(), 12);
        assert!(NewPassword::parse(vietnamese).is_ok());
        let spaced = "  twelve chars  ";
        assert_eq!(NewPassword::parse(spaced).unwrap().expose(), spaced);
        assert_eq!(
            NewPassword::parse(&"x".repeat(129)),
            Err(Msg::ErrPasswordTooLong)
        );
    }

    #[test]
    fn full_name_keeps_diacritics() {
        assert_eq!(
            FullName::parse("  Nguyễn Thị Hồng Nhung ")
                .unwrap()
                .as_str(),
            "Nguyễn Thị Hồng Nhung"
        );
        assert_eq!(FullName::parse(" "), Err(Msg::ErrFullNameRequired));
        assert_eq!(
            FullName::parse(&"a".repeat(201)),
            Err(Msg::ErrFullNameTooLong)
        );
    }

    #[test]
    fn registration_reports_every_problem_at_once() {
        let err = Registration::parse("bad", "", "short", "other")
            .err()
            .unwrap();
        let fields: Vec<_> = err.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["full_name", "email", "password"]);

        let err = Registration::parse("a@example.vn", "An", "long enough pass", "different pass")
            .err()
            .unwrap();
        assert_eq!(
            err.for_field("password_confirm"),
            Some(Msg::ErrPasswordMismatch)
        );
        assert!(
            Registration::parse("a@example.vn", "An", "long enough pass", "long enough pass")
                .is_ok()
        );
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::from_name(role.as_str()), Some(role));
        }
        assert_eq!(Role::from_name("superuser"), None);
        assert!(!Role::STAFF.contains(&Role::Applicant));
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("/account?tab=1")), "/account?tab=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/a b",
            "/tìm",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn staff_account_needs_a_role() {
        let err = StaffAccount::parse("hr@example.vn", "Lê Văn B", vec![])
            .err()
            .unwrap();
        assert_eq!(err.for_field("roles"), Some(Msg::ErrRolesRequired));
    }
}
