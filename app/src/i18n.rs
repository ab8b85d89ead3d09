//! The portal's one dictionary: every string a user reads, in Vietnamese (default) and English.
//!
//! Written as a plain `match` rather than with an i18n crate: the compiler then refuses a key
//! without both translations, lookups cost nothing, and the WASM bundle carries no parser.
//! The language is chosen by the `lang` cookie, which a plain link sets, so switching works
//! with or without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the reader's language.
pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, offered by the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Reads the language from a `Cookie` header value; Vietnamese when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, value)| Lang::from_code(value.trim()))
            .unwrap_or_default()
    }

    pub fn t(self, msg: Msg) -> &'static str {
        let (vi, en) = msg.texts();
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// The language of the page being rendered, provided by the root component.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Every user-visible string. Each key has exactly one Vietnamese and one English text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Msg {
    // Shell
    PortalName,
    PortalAuthority,
    SkipToContent,
    SwitchLanguage,
    SwitchLanguageLabel,
    NavHome,
    NavRounds,
    NavMyApplications,
    NavMarking,
    NavBoard,
    NavHrRounds,
    NavAdminUsers,
    NavAccount,
    SignIn,
    SignOut,
    Register,
    SignedInAs,
    ComingSoon,
    ComingSoonBody,
    FooterText,
    Loading,
    // Home
    HomeTitle,
    HomeIntro,
    HomeApplicantHeading,
    HomeApplicantBody,
    HomeRoundsHeading,
    HomeRoundsBody,
    HomeWelcomeBack,
    // Forms
    Email,
    EmailHint,
    Password,
    PasswordHint,
    PasswordConfirm,
    FullName,
    ErrorSummaryTitle,
    // Login / register
    LoginTitle,
    LoginSubmit,
    NoAccountYet,
    RegisterTitle,
    RegisterIntro,
    RegisterSubmit,
    AlreadyHaveAccount,
    // Account
    AccountTitle,
    AccountRoles,
    RoleApplicant,
    RoleMarker,
    RoleBoardChair,
    RoleHrOfficer,
    RoleAdministrator,
    // Administration
    AdminUsersTitle,
    AdminUsersIntro,
    CreateStaffTitle,
    CreateStaffSubmit,
    AccountListTitle,
    StaffRolesLegend,
    StaffCreated,
    StaffInitialPassword,
    StaffInitialPasswordNote,
    ColumnEmail,
    ColumnName,
    ColumnRoles,
    ColumnCreated,
    // Access
    ForbiddenTitle,
    ForbiddenBody,
    SignInAsOther,
    LoginRequired,
    NotFoundTitle,
    NotFoundBody,
    BackHome,
    // Errors
    ErrEmailRequired,
    ErrEmailInvalid,
    ErrFullNameRequired,
    ErrFullNameTooLong,
    ErrPasswordRequired,
    ErrPasswordTooShort,
    ErrPasswordTooLong,
    ErrPasswordMismatch,
    ErrEmailTaken,
    ErrInvalidCredentials,
    ErrTooManyAttempts,
    ErrUnauthenticated,
    ErrForbidden,
    ErrRolesRequired,
    ErrInternal,
    ErrRequest,
    ErrorReference,
}

impl Msg {
    /// (Vietnamese, English)
    pub fn texts(self) -> (&'static str, &'static str) {
        use Msg::*;
        match self {
            PortalName => (
                "Cổng tuyển dụng công chức",
                "Civil Service Recruitment Portal",
            ),
            PortalAuthority => ("Sở Nội vụ", "Department of Home Affairs"),
            SkipToContent => ("Chuyển đến nội dung chính", "Skip to main content"),
            SwitchLanguage => ("English", "Tiếng Việt"),
            SwitchLanguageLabel => ("Switch to English", "Chuyển sang tiếng Việt"),
            NavHome => ("Trang chủ", "Home"),
            NavRounds => ("Kỳ tuyển dụng", "Recruitment rounds"),
            NavMyApplications => ("Hồ sơ dự tuyển của tôi", "My applications"),
            NavMarking => ("Chấm thi", "Marking"),
            NavBoard => ("Hội đồng chấm thi", "Marking board"),
            NavHrRounds => ("Quản lý kỳ tuyển dụng", "Manage rounds"),
            NavAdminUsers => ("Quản lý tài khoản", "Accounts"),
            NavAccount => ("Tài khoản của tôi", "My account"),
            SignIn => ("Đăng nhập", "Sign in"),
            SignOut => ("Đăng xuất", "Sign out"),
            Register => ("Đăng ký tài khoản", "Create an account"),
            SignedInAs => ("Đang đăng nhập:", "Signed in as"),
            ComingSoon => ("Sắp ra mắt", "Coming soon"),
            ComingSoonBody => (
                "Chức năng này đang được xây dựng và sẽ có trong phiên bản tới.",
                "This part of the portal is being built and will arrive in a coming release.",
            ),
            FooterText => (
                "Hệ thống tuyển dụng công chức, viên chức của tỉnh. Thông tin bạn khai được lưu an toàn và chỉ dùng cho việc tuyển dụng.",
                "The province's civil-servant recruitment system. What you enter is stored securely and used only for recruitment.",
            ),
            Loading => ("Đang tải…", "Loading…"),
            HomeTitle => (
                "Tuyển dụng công chức tỉnh",
                "Provincial civil-servant recruitment",
            ),
            HomeIntro => (
                "Đăng ký dự tuyển trực tuyến, theo dõi hồ sơ, in giấy báo dự thi và tra cứu kết quả tại một nơi.",
                "Apply online, follow your application, print your admission ticket and look up results in one place.",
            ),
            HomeApplicantHeading => ("Dành cho thí sinh", "For applicants"),
            HomeApplicantBody => (
                "Tạo tài khoản bằng email để nộp hồ sơ dự tuyển khi kỳ tuyển dụng mở.",
                "Create an account with your email to apply when a recruitment round opens.",
            ),
            HomeRoundsHeading => ("Các kỳ tuyển dụng", "Recruitment rounds"),
            HomeRoundsBody => (
                "Danh sách kỳ tuyển dụng đang mở và thông báo tuyển dụng sẽ được công bố tại đây.",
                "Open recruitment rounds and their notices will be published here.",
            ),
            HomeWelcomeBack => ("Xin chào", "Welcome"),
            Email => ("Email", "Email"),
            EmailHint => (
                "Dùng email bạn thường xuyên kiểm tra; mọi thông báo sẽ gửi về đây.",
                "Use an email you check often; every notice will be sent there.",
            ),
            Password => ("Mật khẩu", "Password"),
            PasswordHint => (
                "Ít nhất 12 ký tự. Nên dùng một cụm từ dễ nhớ.",
                "At least 12 characters. A memorable phrase works well.",
            ),
            PasswordConfirm => ("Nhập lại mật khẩu", "Confirm password"),
            FullName => ("Họ và tên", "Full name"),
            ErrorSummaryTitle => ("Có lỗi cần sửa", "There is a problem"),
            LoginTitle => ("Đăng nhập", "Sign in"),
            LoginSubmit => ("Đăng nhập", "Sign in"),
            NoAccountYet => ("Chưa có tài khoản?", "No account yet?"),
            RegisterTitle => ("Đăng ký tài khoản thí sinh", "Create an applicant account"),
            RegisterIntro => (
                "Tài khoản dùng để nộp và theo dõi hồ sơ dự tuyển. Cán bộ, công chức làm công tác tuyển dụng được quản trị viên cấp tài khoản riêng.",
                "The account is for submitting and following applications. Recruitment staff receive their accounts from an administrator.",
            ),
            RegisterSubmit => ("Tạo tài khoản", "Create account"),
            AlreadyHaveAccount => ("Đã có tài khoản?", "Already have an account?"),
            AccountTitle => ("Tài khoản của tôi", "My account"),
            AccountRoles => ("Vai trò", "Roles"),
            RoleApplicant => ("Thí sinh", "Applicant"),
            RoleMarker => ("Cán bộ chấm thi", "Marker"),
            RoleBoardChair => ("Trưởng ban chấm thi", "Board chair"),
            RoleHrOfficer => ("Cán bộ tổ chức, nhân sự", "HR officer"),
            RoleAdministrator => ("Quản trị viên", "Administrator"),
            AdminUsersTitle => ("Quản lý tài khoản", "Accounts"),
            AdminUsersIntro => (
                "Tạo tài khoản cho cán bộ và xem các tài khoản hiện có. Thí sinh tự đăng ký.",
                "Create accounts for staff and see existing accounts. Applicants register themselves.",
            ),
            CreateStaffTitle => ("Tạo tài khoản cán bộ", "Create a staff account"),
            CreateStaffSubmit => ("Tạo tài khoản", "Create account"),
            AccountListTitle => ("Danh sách tài khoản", "All accounts"),
            StaffRolesLegend => ("Vai trò (chọn ít nhất một)", "Roles (choose at least one)"),
            StaffCreated => ("Đã tạo tài khoản cho", "Account created for"),
            StaffInitialPassword => ("Mật khẩu ban đầu", "Initial password"),
            StaffInitialPasswordNote => (
                "Mật khẩu này chỉ hiển thị một lần. Hãy trao trực tiếp cho người dùng.",
                "This password is shown only once. Hand it to the person directly.",
            ),
            ColumnEmail => ("Email", "Email"),
            ColumnName => ("Họ và tên", "Name"),
            ColumnRoles => ("Vai trò", "Roles"),
            ColumnCreated => ("Ngày tạo", "Created"),
            ForbiddenTitle => ("Bạn không có quyền truy cập trang này", "You cannot open this page"),
            ForbiddenBody => (
                "Trang này dành cho cán bộ có vai trò phù hợp. Nếu bạn có tài khoản khác, hãy đăng nhập bằng tài khoản đó.",
                "This page is for staff with the right role. If you have another account, sign in with it.",
            ),
            SignInAsOther => ("Đăng nhập bằng tài khoản khác", "Sign in with another account"),
            LoginRequired => (
                "Vui lòng đăng nhập để tiếp tục.",
                "Please sign in to continue.",
            ),
            NotFoundTitle => ("Không tìm thấy trang", "Page not found"),
            NotFoundBody => (
                "Địa chỉ bạn mở không tồn tại hoặc đã được chuyển đi.",
                "The address you opened does not exist or has moved.",
            ),
            BackHome => ("Về trang chủ", "Back to the home page"),
            ErrEmailRequired => ("Nhập email", "Enter an email address"),
            ErrEmailInvalid => (
                "Email chưa đúng định dạng, ví dụ: ten@example.com",
                "Enter an email address in the right format, like name@example.com",
            ),
            ErrFullNameRequired => ("Nhập họ và tên", "Enter your full name"),
            ErrFullNameTooLong => (
                "Họ và tên không được dài quá 200 ký tự",
                "Full name must be 200 characters or fewer",
            ),
            ErrPasswordRequired => ("Nhập mật khẩu", "Enter your password"),
            ErrPasswordTooShort => (
                "Mật khẩu phải có ít nhất 12 ký tự",
                "Password must be at least 12 characters",
            ),
            ErrPasswordTooLong => (
                "Mật khẩu không được dài quá 128 ký tự",
                "Password must be 128 characters or fewer",
            ),
            ErrPasswordMismatch => (
                "Hai mật khẩu không khớp nhau",
                "The two passwords do not match",
            ),
            ErrEmailTaken => (
                "Email này đã được dùng cho một tài khoản khác. Hãy đăng nhập.",
                "This email already has an account. Sign in instead.",
            ),
            ErrInvalidCredentials => (
                "Email hoặc mật khẩu không đúng",
                "The email or password is incorrect",
            ),
            ErrTooManyAttempts => (
                "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.",
                "Too many failed sign-ins. Try again in 15 minutes.",
            ),
            ErrUnauthenticated => (
                "Phiên làm việc đã hết hạn hoặc bạn chưa đăng nhập. Vui lòng đăng nhập.",
                "Your session has ended or you are not signed in. Please sign in.",
            ),
            ErrForbidden => (
                "Tài khoản của bạn không có quyền thực hiện thao tác này",
                "Your account is not allowed to do this",
            ),
            ErrRolesRequired => ("Chọn ít nhất một vai trò", "Choose at least one role"),
            ErrInternal => (
                "Hệ thống gặp sự cố nên chưa thực hiện được. Dữ liệu của bạn không bị thay đổi. Vui lòng thử lại; nếu vẫn lỗi, hãy báo mã tham chiếu cho bộ phận hỗ trợ.",
                "Something went wrong on our side, so nothing was changed. Please try again; if it keeps failing, give the reference to support.",
            ),
            ErrRequest => (
                "Không gửi được yêu cầu. Kiểm tra kết nối mạng rồi thử lại.",
                "The request could not be sent. Check your connection and try again.",
            ),
            ErrorReference => ("Mã tham chiếu", "Reference"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_header_selects_language() {
        assert_eq!(Lang::from_cookie_header("lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("a=b; lang=en; c=d"), Lang::En);
        assert_eq!(Lang::from_cookie_header("a=b"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
    }

    #[test]
    fn every_language_code_round_trips() {
        for lang in [Lang::Vi, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(lang.other().other(), lang);
        }
    }
}
