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
    ErrCurrentPassword,
    ErrSamePassword,
    ChangePasswordTitle,
    CurrentPassword,
    NewPasswordLabel,
    ChangePasswordSubmit,
    PasswordChanged,
    ErrEmailTaken,
    ErrInvalidCredentials,
    ErrTooManyAttempts,
    ErrUnauthenticated,
    ErrForbidden,
    ErrRolesRequired,
    ErrInternal,
    ErrRequest,
    ErrorReference,
    // Rounds: statuses
    StatusDraft,
    StatusOpen,
    StatusClosed,
    StatusScreening,
    StatusExams,
    StatusMarking,
    StatusResults,
    StatusPublished,
    StatusFinalised,
    RefuseNotNextState,
    RefuseOpenWithoutPositions,
    RefuseOpenAfterClose,
    RefuseCloseBeforeDeadline,
    RefuseReasonRequired,
    RefuseRoundNotEditable,
    // Rule sets
    RuleMinimumAge,
    RuleStage1Pass,
    RuleStage2Pass,
    RuleTolerance,
    RulePriorityCategories,
    RuleTieBreak,
    RuleFeeTiers,
    // Positions
    DegreeCollege,
    DegreeBachelor,
    DegreeMaster,
    DegreeDoctorate,
    FormatInterview,
    FormatWritten,
    FormatPractical,
    FormatCombined,
    FormatProjectDefence,
    ErrStage2Format,
    ErrWrittenWeight,
    ErrQuota,
    ErrCode,
    ErrRequired,
    ErrTooLong,
    ErrMaxScore,
    ErrDegree,
    ErrImportEmpty,
    ErrImportMissingColumn,
    ErrImportPositionMismatch,
    ErrImportDuplicateUnit,
    ErrUnitNameMismatch,
    ErrImportFile,
    ErrPositionCodeTaken,
    ErrDateTime,
    ErrCloseBeforeOpen,
    ErrWindowTooShort,
    ErrRuleSet,
    ErrNotFound,
    // Public rounds
    RoundsTitle,
    RoundsOpenNow,
    RoundsRecent,
    RoundsNoneOpen,
    RoundAuthority,
    RoundWindow,
    RoundPositions,
    RoundQuota,
    RoundApplications,
    ViewNotice,
    NoticeHeading,
    DeadlineHeading,
    TimeLeft,
    Days,
    Hours,
    Minutes,
    NotYetOpen,
    ApplicationsClosed,
    ConditionsHeading,
    ConditionNationality,
    ConditionRequirements,
    ConditionHealth,
    ConditionExcluded,
    ExamHeading,
    PriorityHeading,
    FeeHeading,
    LegalBasis,
    PositionsHeading,
    ColCode,
    ColPosition,
    ColUnit,
    ColQuota,
    ColDegree,
    ColMajors,
    ColConditions,
    ColStage2,
    ColApplications,
    ColRatio,
    ColStatus,
    ColRoundName,
    ColWhen,
    ColWho,
    ColWhat,
    ColReason,
    AnyMajor,
    SharedPositionNote,
    RatioNote,
    BackToRounds,
    // HR
    HrRoundsTitle,
    NewRoundTitle,
    FieldRoundName,
    FieldAuthority,
    FieldNotice,
    FieldOpensAt,
    FieldClosesAt,
    FieldRuleSet,
    FieldRuleSetHint,
    FieldForeignLanguage,
    CreateRoundSubmit,
    NoRoundsYet,
    Manage,
    RoundSettings,
    RuleSetHeading,
    RuleStage1,
    RuleStage2,
    RuleDoubleMarking,
    RuleAppeals,
    RuleTieBreakHeading,
    TieHigherStage2,
    TieAuthority,
    StatusHeading,
    MoveTo,
    ReasonField,
    MoveDone,
    AddPositionTitle,
    FieldPositionCode,
    FieldPositionTitle,
    FieldUnitCode,
    FieldUnitName,
    FieldUnitHint,
    FieldQuota,
    FieldMinDegree,
    FieldMajors,
    FieldOtherConditions,
    FieldStage2Format,
    FieldWrittenWeight,
    FieldMaxScore,
    AddPositionSubmit,
    PositionAdded,
    ChangeQuota,
    QuotaChanged,
    ImportTitle,
    ImportHint,
    ImportFile,
    ImportSubmit,
    ImportDone,
    ImportFailed,
    Row,
    Column,
    ExportCsv,
    ExportXlsx,
    AuditHeading,
    AuditRoundCreated,
    AuditStatusChanged,
    AuditPositionAdded,
    AuditQuotaChanged,
    AuditPositionsImported,
    ViewPublicNotice,
    EditRoundTitle,
    SaveRound,
    RoundSaved,
    ErrCannotShortenWindow,
    ErrCannotMoveOpening,
    AuditRoundUpdated,
    RemovePosition,
    AuditPositionRemoved,
    ErrNationalIdRequired,
    ErrNationalIdDigits,
    ErrNationalIdProvince,
    ErrNationalIdMismatch,
    ErrDateRequired,
    ErrDateInvalid,
    ErrDateYear,
    ErrReceiptCode,
    ErrNumber,
    RuleSetsTitle,
    RuleSetsIntro,
    NewVersionTitle,
    NewVersionHint,
    NewVersionSubmit,
    FieldRuleName,
    FieldLegalBasis,
    FieldMinimumAge,
    FieldWindowDays,
    FieldStage1Questions,
    FieldStage1Minutes,
    FieldStage1Pass,
    FieldStage2Pass,
    FieldTolerance,
    FieldAppealFiling,
    FieldAppealAnswer,
    FieldPriorityLines,
    FieldFeeLines,
    ColVersion,
    RefuseRemoveWithApplications,
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
                "Các kỳ tuyển dụng đang nhận hồ sơ, thông báo tuyển dụng, vị trí, chỉ tiêu và số hồ sơ đã nộp.",
                "Rounds accepting applications, their notices, positions, places and how many have applied.",
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
            ErrCurrentPassword => ("Mật khẩu hiện tại không đúng", "The current password is incorrect"),
            ErrSamePassword => ("Mật khẩu mới phải khác mật khẩu hiện tại", "The new password must differ from the current one"),
            ChangePasswordTitle => ("Đổi mật khẩu", "Change your password"),
            CurrentPassword => ("Mật khẩu hiện tại", "Current password"),
            NewPasswordLabel => ("Mật khẩu mới", "New password"),
            ChangePasswordSubmit => ("Đổi mật khẩu", "Change password"),
            PasswordChanged => ("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã được đăng xuất.", "Your password was changed. Your other sessions were signed out."),
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
            StatusDraft => ("Bản nháp", "Draft"),
            StatusOpen => ("Đang nhận hồ sơ", "Open for applications"),
            StatusClosed => ("Đã hết hạn nhận hồ sơ", "Closed"),
            StatusScreening => ("Đang xét hồ sơ", "Screening"),
            StatusExams => ("Tổ chức thi", "Exams"),
            StatusMarking => ("Đang chấm thi", "Marking"),
            StatusResults => ("Đã tính kết quả", "Results computed"),
            StatusPublished => ("Đã công bố kết quả", "Results published"),
            StatusFinalised => ("Đã kết thúc", "Finalised"),
            RefuseNotNextState => ("Kỳ tuyển dụng chỉ được chuyển sang bước kế tiếp, không được bỏ bước hay quay lại.", "A round can only move to its next step: no skipping and no going back."),
            RefuseOpenWithoutPositions => ("Chưa thể mở nhận hồ sơ: kỳ tuyển dụng chưa có vị trí nào.", "The round cannot open: it has no positions yet."),
            RefuseOpenAfterClose => ("Chưa thể mở nhận hồ sơ: hạn cuối nhận hồ sơ đã qua. Hãy sửa thời gian nhận hồ sơ.", "The round cannot open: its closing time has passed. Change the application window first."),
            RefuseCloseBeforeDeadline => ("Chưa thể kết thúc nhận hồ sơ trước hạn cuối đã thông báo.", "Applications cannot be closed before the announced closing time."),
            RefuseReasonRequired => ("Kỳ tuyển dụng đã mở: cần ghi lý do thay đổi.", "The round is open: give a reason for the change."),
            RefuseRoundNotEditable => ("Kỳ tuyển dụng đã qua giai đoạn nhận hồ sơ nên không thể thêm hoặc sửa vị trí.", "The round is past its application stage: positions can no longer be added or changed."),
            RuleMinimumAge => ("Tuổi tối thiểu phải từ 16 đến 70", "Minimum age must be between 16 and 70"),
            RuleStage1Pass => ("Tỷ lệ đạt vòng 1 phải từ 1 đến 100%", "The stage-1 pass share must be 1 to 100%"),
            RuleStage2Pass => ("Điểm đạt vòng 2 phải từ 1 đến 100", "The stage-2 pass mark must be 1 to 100"),
            RuleTolerance => ("Độ lệch chấm thi cho phép không quá 100%", "The marking tolerance cannot exceed 100%"),
            RulePriorityCategories => ("Đối tượng ưu tiên phải có mã riêng và điểm từ 0,1 đến 20", "Priority categories need distinct codes and 0.1 to 20 points"),
            RuleTieBreak => ("Thứ tự xét khi bằng điểm phải kết thúc bằng quyết định của người đứng đầu cơ quan", "The tie-break order must end with the authority head's decision"),
            RuleFeeTiers => ("Mức lệ phí phải bắt đầu từ 0 thí sinh và tăng dần", "Fee tiers must start at 0 candidates and increase"),
            DegreeCollege => ("Cao đẳng", "College"),
            DegreeBachelor => ("Đại học", "Bachelor"),
            DegreeMaster => ("Thạc sĩ", "Master"),
            DegreeDoctorate => ("Tiến sĩ", "Doctorate"),
            FormatInterview => ("Phỏng vấn", "Interview"),
            FormatWritten => ("Thi viết", "Written paper"),
            FormatPractical => ("Thực hành", "Practical test"),
            FormatCombined => ("Thi viết kết hợp phỏng vấn", "Written paper and interview"),
            FormatProjectDefence => ("Bảo vệ đề án", "Project defence"),
            ErrStage2Format => ("Chọn hình thức thi vòng 2: phỏng vấn, thi viết, thực hành, kết hợp hoặc bảo vệ đề án", "Choose the stage-2 format: interview, written, practical, combined or project defence"),
            ErrWrittenWeight => ("Với hình thức kết hợp, nhập tỷ trọng phần thi viết từ 1 đến 99 (%)", "For the combined format, enter the written share from 1 to 99 (%)"),
            ErrQuota => ("Chỉ tiêu phải là số nguyên từ 1 đến 10.000", "Quota must be a whole number from 1 to 10,000"),
            ErrCode => ("Mã chỉ gồm chữ, số, dấu gạch và dấu chấm, tối đa 32 ký tự", "A code has only letters, digits, dashes and dots, up to 32 characters"),
            ErrRequired => ("Không được để trống", "This cannot be empty"),
            ErrTooLong => ("Nội dung quá dài", "This is too long"),
            ErrMaxScore => ("Điểm tối đa phải từ 10 đến 1000", "The maximum score must be 10 to 1000"),
            ErrDegree => ("Trình độ phải là cao đẳng, đại học, thạc sĩ hoặc tiến sĩ", "The degree must be college, bachelor, master or doctorate"),
            ErrImportEmpty => ("Tệp không có dòng dữ liệu nào", "The file has no data rows"),
            ErrImportMissingColumn => ("Thiếu cột bắt buộc", "A required column is missing"),
            ErrImportPositionMismatch => ("Cùng mã vị trí nhưng thông tin khác với dòng trước", "Same position code with different details from an earlier row"),
            ErrImportDuplicateUnit => ("Đơn vị này đã có ở một dòng trước của cùng vị trí", "This unit already appears for the position on an earlier row"),
            ErrUnitNameMismatch => ("Mã đơn vị này đã dùng cho một đơn vị có tên khác", "This unit code already belongs to a unit with another name"),
            ErrImportFile => ("Không đọc được tệp. Hãy dùng tệp CSV (UTF-8) hoặc Excel (.xlsx).", "The file could not be read. Use a CSV (UTF-8) or Excel (.xlsx) file."),
            ErrPositionCodeTaken => ("Mã vị trí này đã có trong kỳ tuyển dụng", "This position code is already used in the round"),
            ErrDateTime => ("Nhập ngày giờ đầy đủ", "Enter a full date and time"),
            ErrCloseBeforeOpen => ("Hạn cuối phải sau thời điểm bắt đầu nhận hồ sơ", "The closing time must be after the opening time"),
            ErrWindowTooShort => ("Thời gian nhận hồ sơ ngắn hơn quy định của bộ quy định đã chọn", "The application window is shorter than the chosen rule set requires"),
            ErrRuleSet => ("Chọn bộ quy định áp dụng", "Choose the rule set"),
            ErrNotFound => ("Không tìm thấy dữ liệu yêu cầu", "What you asked for was not found"),
            RoundsTitle => ("Kỳ tuyển dụng", "Recruitment rounds"),
            RoundsOpenNow => ("Đang nhận hồ sơ", "Accepting applications now"),
            RoundsRecent => ("Các kỳ tuyển dụng khác", "Other rounds"),
            RoundsNoneOpen => ("Hiện chưa có kỳ tuyển dụng nào đang nhận hồ sơ.", "No round is accepting applications at the moment."),
            RoundAuthority => ("Cơ quan tuyển dụng", "Recruiting authority"),
            RoundWindow => ("Thời gian nhận hồ sơ", "Application window"),
            RoundPositions => ("Số vị trí", "Positions"),
            RoundQuota => ("Tổng chỉ tiêu", "Total places"),
            RoundApplications => ("Hồ sơ đã nộp", "Applications submitted"),
            ViewNotice => ("Xem thông báo tuyển dụng", "Read the notice"),
            NoticeHeading => ("Thông báo tuyển dụng", "Recruitment notice"),
            DeadlineHeading => ("Hạn nộp hồ sơ", "Closing time"),
            TimeLeft => ("Còn", "Time left:"),
            Days => ("ngày", "days"),
            Hours => ("giờ", "hours"),
            Minutes => ("phút", "minutes"),
            NotYetOpen => ("Bắt đầu nhận hồ sơ từ", "Applications open on"),
            ApplicationsClosed => ("Đã hết hạn nhận hồ sơ", "Applications are closed"),
            ConditionsHeading => ("Điều kiện đăng ký dự tuyển", "Who may apply"),
            ConditionNationality => ("Có quốc tịch Việt Nam và cư trú tại Việt Nam", "Vietnamese nationality and residence in Vietnam"),
            ConditionRequirements => ("Có văn bằng, chứng chỉ, chuyên ngành phù hợp với yêu cầu của vị trí dự tuyển", "Degrees, certificates and majors that meet the position's requirements"),
            ConditionHealth => ("Có lý lịch rõ ràng và đủ sức khỏe để thực hiện nhiệm vụ", "A clear record and good enough health for the duties"),
            ConditionExcluded => ("Không đăng ký dự tuyển: người mất hoặc bị hạn chế năng lực hành vi dân sự; người đang bị truy cứu trách nhiệm hình sự, đang chấp hành bản án, quyết định về hình sự của Tòa án; người đang bị áp dụng biện pháp xử lý hành chính đưa vào cơ sở chữa bệnh, cơ sở giáo dục.", "May not apply: people who have lost or have limited civil capacity; people under criminal prosecution, serving a criminal sentence or decision of a court; people held in a treatment or education facility under an administrative measure."),
            ExamHeading => ("Hình thức thi tuyển", "How candidates are examined"),
            PriorityHeading => ("Điểm ưu tiên (chỉ tính một mức cao nhất)", "Priority points (only the highest one counts)"),
            FeeHeading => ("Lệ phí dự tuyển", "Application fee"),
            LegalBasis => ("Căn cứ", "Legal basis"),
            PositionsHeading => ("Vị trí việc làm cần tuyển", "Positions"),
            ColCode => ("Mã", "Code"),
            ColPosition => ("Vị trí việc làm", "Position"),
            ColUnit => ("Đơn vị", "Unit"),
            ColQuota => ("Chỉ tiêu", "Places"),
            ColDegree => ("Trình độ tối thiểu", "Minimum degree"),
            ColMajors => ("Chuyên ngành", "Majors"),
            ColConditions => ("Yêu cầu khác", "Other requirements"),
            ColStage2 => ("Hình thức vòng 2", "Stage 2"),
            ColApplications => ("Số hồ sơ", "Applications"),
            ColRatio => ("Tỷ lệ chọi", "Applicants per place"),
            ColStatus => ("Trạng thái", "Status"),
            ColRoundName => ("Kỳ tuyển dụng", "Round"),
            ColWhen => ("Thời điểm", "When"),
            ColWho => ("Người thực hiện", "Who"),
            ColWhat => ("Nội dung", "What"),
            ColReason => ("Lý do", "Reason"),
            AnyMajor => ("Không giới hạn", "Any"),
            SharedPositionNote => ("Vị trí tuyển chung cho nhiều đơn vị: thí sinh xếp thứ tự nguyện vọng các đơn vị khi nộp hồ sơ.", "A position shared by several units: applicants rank the units they prefer when they apply."),
            RatioNote => ("Tỷ lệ chọi = số hồ sơ đã nộp ÷ chỉ tiêu, cập nhật theo thời gian thực.", "Applicants per place = applications submitted ÷ places, updated live."),
            BackToRounds => ("Tất cả kỳ tuyển dụng", "All recruitment rounds"),
            HrRoundsTitle => ("Quản lý kỳ tuyển dụng", "Manage recruitment rounds"),
            NewRoundTitle => ("Tạo kỳ tuyển dụng mới", "Create a recruitment round"),
            FieldRoundName => ("Tên kỳ tuyển dụng", "Name of the round"),
            FieldAuthority => ("Cơ quan tuyển dụng", "Recruiting authority"),
            FieldNotice => ("Nội dung thông báo tuyển dụng", "Text of the notice"),
            FieldOpensAt => ("Bắt đầu nhận hồ sơ (giờ Việt Nam)", "Applications open (Vietnam time)"),
            FieldClosesAt => ("Hạn cuối nhận hồ sơ (giờ Việt Nam)", "Applications close (Vietnam time)"),
            FieldRuleSet => ("Bộ quy định áp dụng", "Rule set"),
            FieldRuleSetHint => ("Kỳ tuyển dụng giữ nguyên phiên bản quy định này đến khi kết thúc.", "The round keeps this exact version of the rules to the end."),
            FieldForeignLanguage => ("Có thi ngoại ngữ ở vòng 1", "Stage 1 includes a foreign-language part"),
            CreateRoundSubmit => ("Tạo kỳ tuyển dụng (bản nháp)", "Create round (as a draft)"),
            NoRoundsYet => ("Chưa có kỳ tuyển dụng nào.", "There are no rounds yet."),
            Manage => ("Quản lý", "Manage"),
            RoundSettings => ("Thông tin kỳ tuyển dụng", "About the round"),
            RuleSetHeading => ("Bộ quy định", "Rule set"),
            RuleStage1 => ("Vòng 1", "Stage 1"),
            RuleStage2 => ("Vòng 2 — điểm đạt", "Stage 2 — pass mark"),
            RuleDoubleMarking => ("Chấm hai vòng độc lập — độ lệch cho phép", "Double marking — allowed difference"),
            RuleAppeals => ("Phúc khảo", "Appeals"),
            RuleTieBreakHeading => ("Khi bằng điểm ở chỉ tiêu cuối", "A tie at the last place"),
            TieHigherStage2 => ("người có điểm vòng 2 cao hơn", "the higher stage-2 score"),
            TieAuthority => ("người đứng đầu cơ quan tuyển dụng quyết định (được ghi lại)", "the head of the authority decides (recorded)"),
            StatusHeading => ("Trạng thái", "Status"),
            MoveTo => ("Chuyển sang", "Move to"),
            ReasonField => ("Lý do (bắt buộc khi kỳ tuyển dụng đã mở)", "Reason (required once the round is open)"),
            MoveDone => ("Đã chuyển trạng thái.", "The status has changed."),
            AddPositionTitle => ("Thêm vị trí việc làm", "Add a position"),
            FieldPositionCode => ("Mã vị trí", "Position code"),
            FieldPositionTitle => ("Tên vị trí việc làm", "Position title"),
            FieldUnitCode => ("Mã đơn vị", "Unit code"),
            FieldUnitName => ("Tên đơn vị", "Unit name"),
            FieldUnitHint => ("Vị trí dùng chung cho nhiều đơn vị: thêm lại cùng mã vị trí với đơn vị khác.", "For a position shared by several units, add it again with the same code and another unit."),
            FieldQuota => ("Chỉ tiêu", "Places"),
            FieldMinDegree => ("Trình độ tối thiểu", "Minimum degree"),
            FieldMajors => ("Chuyên ngành chấp nhận (mỗi dòng một ngành; để trống nếu không giới hạn)", "Accepted majors (one per line; empty for any)"),
            FieldOtherConditions => ("Yêu cầu khác", "Other requirements"),
            FieldStage2Format => ("Hình thức thi vòng 2", "Stage-2 format"),
            FieldWrittenWeight => ("Tỷ trọng thi viết (%) nếu kết hợp", "Written share (%) if combined"),
            FieldMaxScore => ("Điểm tối đa", "Maximum score"),
            AddPositionSubmit => ("Thêm vị trí", "Add position"),
            PositionAdded => ("Đã thêm vị trí.", "The position was added."),
            ChangeQuota => ("Sửa chỉ tiêu", "Change places"),
            QuotaChanged => ("Đã sửa chỉ tiêu.", "The places were changed."),
            ImportTitle => ("Nhập danh sách vị trí từ tệp", "Import positions from a file"),
            ImportHint => ("Tệp CSV (UTF-8) hoặc Excel (.xlsx), mỗi dòng một đơn vị của một vị trí, với các cột: code, title, unit_code, unit_name, quota, min_degree, majors, other_conditions, stage2_format, written_weight, max_score. Cả tệp được kiểm tra trước; nếu có dòng sai thì không nhập dòng nào.", "A CSV (UTF-8) or Excel (.xlsx) file, one row per unit of a position, with the columns: code, title, unit_code, unit_name, quota, min_degree, majors, other_conditions, stage2_format, written_weight, max_score. The whole file is checked first; if any row is wrong, nothing is imported."),
            ImportFile => ("Tệp", "File"),
            ImportSubmit => ("Kiểm tra và nhập", "Check and import"),
            ImportDone => ("Đã nhập vị trí:", "Positions imported:"),
            ImportFailed => ("Chưa nhập gì vì tệp có lỗi:", "Nothing was imported because the file has problems:"),
            Row => ("Dòng", "Row"),
            Column => ("cột", "column"),
            ExportCsv => ("Tải danh sách (CSV)", "Download (CSV)"),
            ExportXlsx => ("Tải danh sách (Excel)", "Download (Excel)"),
            AuditHeading => ("Nhật ký thay đổi", "Change log"),
            AuditRoundCreated => ("Tạo kỳ tuyển dụng", "Round created"),
            AuditStatusChanged => ("Chuyển trạng thái", "Status changed"),
            AuditPositionAdded => ("Thêm vị trí", "Position added"),
            AuditQuotaChanged => ("Sửa chỉ tiêu", "Places changed"),
            AuditPositionsImported => ("Nhập vị trí từ tệp", "Positions imported"),
            ViewPublicNotice => ("Xem trang công khai", "See the public page"),
            EditRoundTitle => ("Sửa thông tin kỳ tuyển dụng", "Edit the round"),
            SaveRound => ("Lưu thay đổi", "Save changes"),
            RoundSaved => ("Đã lưu thay đổi.", "The changes were saved."),
            ErrCannotShortenWindow => ("Kỳ tuyển dụng đã mở: chỉ được kéo dài hạn nộp hồ sơ, không được rút ngắn", "The round is open: the closing time can be extended, never brought forward"),
            ErrCannotMoveOpening => ("Kỳ tuyển dụng đã mở: không thể đổi thời điểm bắt đầu nhận hồ sơ", "The round is open: its opening time cannot change"),
            AuditRoundUpdated => ("Sửa thông tin kỳ tuyển dụng", "Round details changed"),
            RemovePosition => ("Xóa vị trí", "Remove position"),
            AuditPositionRemoved => ("Xóa vị trí", "Position removed"),
            ErrNationalIdRequired => ("Nhập số căn cước công dân", "Enter your national ID number"),
            ErrNationalIdDigits => ("Số căn cước công dân gồm đúng 12 chữ số", "The national ID number has exactly 12 digits"),
            ErrNationalIdProvince => ("Ba chữ số đầu của số căn cước không phải mã tỉnh, thành phố nào", "The first three digits are not a province code"),
            ErrNationalIdMismatch => ("Số căn cước không khớp với năm sinh hoặc giới tính đã khai", "The national ID number does not match the year of birth or sex you entered"),
            ErrDateRequired => ("Nhập ngày, tháng, năm", "Enter the day, month and year"),
            ErrDateInvalid => ("Ngày tháng không có thật, ví dụ đúng: 05 / 09 / 1998", "That date does not exist; for example 05 / 09 / 1998"),
            ErrDateYear => ("Năm phải có 4 chữ số, ví dụ 1998", "The year must have 4 digits, like 1998"),
            ErrNumber => ("Nhập một số nguyên", "Enter a whole number"),
            RuleSetsTitle => ("Bộ quy định tuyển dụng", "Rule sets"),
            RuleSetsIntro => ("Mỗi bộ quy định có nhiều phiên bản. Phiên bản đã lưu không bao giờ bị sửa; thay đổi tạo phiên bản mới, và mỗi kỳ tuyển dụng giữ phiên bản nó được tạo.", "Each rule set has versions. A saved version never changes; a change makes a new version, and each round keeps the version it was created with."),
            NewVersionTitle => ("Tạo phiên bản mới từ phiên bản này", "Make a new version from this one"),
            NewVersionHint => ("Các kỳ tuyển dụng đã tạo vẫn dùng phiên bản cũ.", "Rounds already created keep the old version."),
            NewVersionSubmit => ("Lưu thành phiên bản mới", "Save as a new version"),
            FieldRuleName => ("Tên bộ quy định", "Name"),
            FieldLegalBasis => ("Căn cứ pháp lý", "Legal basis"),
            FieldMinimumAge => ("Tuổi tối thiểu", "Minimum age"),
            FieldWindowDays => ("Số ngày nhận hồ sơ", "Days applications are accepted"),
            FieldStage1Questions => ("Vòng 1: số câu hỏi", "Stage 1: questions"),
            FieldStage1Minutes => ("Vòng 1: số phút", "Stage 1: minutes"),
            FieldStage1Pass => ("Vòng 1: tỷ lệ trả lời đúng để đạt (%)", "Stage 1: share correct to pass (%)"),
            FieldStage2Pass => ("Vòng 2: điểm đạt (trên 100)", "Stage 2: pass mark (of 100)"),
            FieldTolerance => ("Chấm hai vòng: độ lệch cho phép (% điểm tối đa)", "Double marking: allowed difference (% of maximum)"),
            FieldAppealFiling => ("Phúc khảo: số ngày làm việc để nộp đơn", "Appeals: working days to file"),
            FieldAppealAnswer => ("Phúc khảo: số ngày để trả lời", "Appeals: days to answer"),
            FieldPriorityLines => ("Đối tượng ưu tiên (mỗi dòng: mã | điểm | tên)", "Priority categories (one per line: code | points | name)"),
            FieldFeeLines => ("Lệ phí (mỗi dòng: từ số thí sinh | lệ phí, đồng)", "Fees (one per line: from candidates | fee in đồng)"),
            ColVersion => ("Phiên bản", "Version"),
            ErrReceiptCode => ("Mã biên nhận không đúng; kiểm tra lại từng ký tự", "That receipt code is not right; check each character"),
            RefuseRemoveWithApplications => ("Vị trí đã có hồ sơ dự tuyển nên không thể xóa", "The position already has applications and cannot be removed"),
        }
    }
}

/// Texts with numbers in them, kept beside the dictionary.
pub mod fmt {
    use super::Lang;

    pub fn age_condition(lang: Lang, age: u8) -> String {
        match lang {
            Lang::Vi => format!("Từ đủ {age} tuổi trở lên"),
            Lang::En => format!("Aged {age} or over"),
        }
    }

    pub fn stage1(
        lang: Lang,
        questions: u16,
        minutes: u16,
        pass_percent: u8,
        foreign: bool,
    ) -> String {
        match (lang, foreign) {
            (Lang::Vi, false) => format!("Vòng 1: thi trắc nghiệm kiến thức chung trên máy tính, {questions} câu hỏi trong {minutes} phút; trả lời đúng từ {pass_percent}% số câu hỏi trở lên thì được thi vòng 2."),
            (Lang::Vi, true) => format!("Vòng 1: thi trắc nghiệm trên máy tính gồm kiến thức chung ({questions} câu hỏi, {minutes} phút) và ngoại ngữ; mỗi phần trả lời đúng từ {pass_percent}% trở lên thì được thi vòng 2 (được miễn phần ngoại ngữ theo quy định)."),
            (Lang::En, false) => format!("Stage 1: a computer-based general-knowledge test, {questions} questions in {minutes} minutes; {pass_percent}% correct or more goes on to stage 2."),
            (Lang::En, true) => format!("Stage 1: a computer-based test of general knowledge ({questions} questions, {minutes} minutes) and a foreign language; {pass_percent}% correct in each part goes on to stage 2 (exemptions from the language part apply)."),
        }
    }

    pub fn stage2(lang: Lang, pass_mark: u8) -> String {
        match lang {
            Lang::Vi => format!("Vòng 2: thi chuyên môn, nghiệp vụ theo hình thức của từng vị trí, thang điểm 100; người trúng tuyển phải đạt từ {pass_mark} điểm trở lên và được xét theo thứ tự điểm vòng 2 cộng điểm ưu tiên trong chỉ tiêu của vị trí."),
            Lang::En => format!("Stage 2: professional knowledge, examined as each position states, scored out of 100; a winner needs {pass_mark} or more and places are filled by stage-2 score plus priority points, up to the position's quota."),
        }
    }

    pub fn fee_tier(lang: Lang, from: u32, until: Option<u32>, fee: &str) -> String {
        match (lang, until) {
            (Lang::Vi, Some(until)) if from == 0 => {
                format!("Dưới {until} thí sinh: {fee}/thí sinh")
            }
            (Lang::Vi, Some(until)) => {
                format!("Từ {from} đến {} thí sinh: {fee}/thí sinh", until - 1)
            }
            (Lang::Vi, None) => format!("Từ {from} thí sinh trở lên: {fee}/thí sinh"),
            (Lang::En, Some(until)) if from == 0 => format!("Under {until} candidates: {fee} each"),
            (Lang::En, Some(until)) => format!("{from} to {} candidates: {fee} each", until - 1),
            (Lang::En, None) => format!("{from} candidates or more: {fee} each"),
        }
    }

    pub fn appeals(lang: Lang, filing_working_days: u8, answer_days: u8) -> String {
        match lang {
            Lang::Vi => format!("Nộp đơn trong {filing_working_days} ngày làm việc kể từ ngày thông báo kết quả; trả lời trong {answer_days} ngày kể từ hạn nộp đơn. Chỉ phúc khảo bài thi viết."),
            Lang::En => format!("Filed within {filing_working_days} working days of the result notice; answered within {answer_days} days of the filing deadline. Only written papers are re-marked."),
        }
    }

    pub fn percent(value: u8) -> String {
        format!("{value}%")
    }

    pub fn combined(lang: Lang, written_percent: u8) -> String {
        let interview = 100 - written_percent.min(100);
        match lang {
            Lang::Vi => format!("Thi viết {written_percent}% + phỏng vấn {interview}%"),
            Lang::En => format!("Written {written_percent}% + interview {interview}%"),
        }
    }

    /// A ratio like 3,25 (Vietnamese) or 3.25 (English); a dash when there are no places.
    pub fn ratio(lang: Lang, applications: i64, quota: i64) -> String {
        if quota <= 0 {
            return "—".to_string();
        }
        let hundredths = (applications * 100 + quota / 2) / quota;
        let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
        match lang {
            Lang::Vi => text.replace('.', ","),
            Lang::En => text,
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
    fn ratios_are_rounded_and_written_per_language() {
        assert_eq!(fmt::ratio(Lang::Vi, 13, 4), "3,25");
        assert_eq!(fmt::ratio(Lang::En, 13, 4), "3.25");
        assert_eq!(fmt::ratio(Lang::En, 2, 3), "0.67");
        assert_eq!(fmt::ratio(Lang::En, 0, 5), "0.00");
        assert_eq!(fmt::ratio(Lang::Vi, 5, 0), "—");
    }

    #[test]
    fn fee_tiers_read_naturally() {
        assert_eq!(
            fmt::fee_tier(Lang::Vi, 0, Some(100), "500.000 đ"),
            "Dưới 100 thí sinh: 500.000 đ/thí sinh"
        );
        assert_eq!(
            fmt::fee_tier(Lang::En, 100, Some(500), "400.000 đ"),
            "100 to 499 candidates: 400.000 đ each"
        );
        assert_eq!(
            fmt::fee_tier(Lang::Vi, 500, None, "300.000 đ"),
            "Từ 500 thí sinh trở lên: 300.000 đ/thí sinh"
        );
    }

    #[test]
    fn every_language_code_round_trips() {
        for lang in [Lang::Vi, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(lang.other().other(), lang);
        }
    }
}
