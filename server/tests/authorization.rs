//! Who may call what: every server function of the portal, called by every kind of caller.
//!
//! `every_server_function_refuses_the_callers_it_does_not_serve` lists the server functions
//! registered in this binary at run time (`server_fn_paths()`) and checks them against
//! [`MATRIX`], which says for each one who may call it: anyone, anyone signed in, or holders
//! of some roles. The test fails when a registered function has no entry, or an entry names
//! a function that no longer exists. Then every function is called by seven real callers —
//! nobody signed in, applicants A and B, a marker and the chair on the round's board, an HR
//! officer and an administrator, each account holding only that one role — with plausible but
//! arbitrary arguments (the fixture round as `round_id`, a fresh random UUID for every other
//! id, `x` and `0` for the rest):
//!
//! * a caller the entry does not allow gets 401 `"Unauthenticated"` when nobody is signed in
//!   and 403 `"Forbidden"` otherwise; the function never reaches validation (422), a lookup
//!   (404) or the database for them;
//! * a caller the entry allows gets past the guard: anything but 401/403 (with random ids a
//!   404 or 422 is the usual answer), and never a 400 (the arguments did not even decode, so
//!   nothing was tested) or a 500;
//! * then again with a random round that does not exist: nobody signed in still gets 401,
//!   a signed-in caller who is not allowed gets 403 or 404, never anything else;
//! * and for file uploads, an anonymous empty upload is refused as unauthenticated before the
//!   file is read;
//! * no error body carries database text.
//!
//! `applicants_markers_and_chairs_reach_only_their_own_objects` checks the object level on a
//! real round: an applicant cannot see or act on another applicant's application, ticket or
//! appeal (404: its existence is not theirs to learn), a marker gets no sheet but their own
//! papers and no exam room but their own, and the chair of another round's board does not
//! run this one.
//!
//! Adding a server function: add one line to `MATRIX` in the group of its module, with who
//! may call it and the arguments it needs to decode (every parameter without
//! `#[server(default)]`, `Option` or `Vec`): `call` for a form, `fresh_session` for functions
//! that end or replace the caller's session, `upload` for `MultipartFormData`. Use `ROUND` for
//! a `round_id` and `ID` for any other id. Run with `--nocapture` to see every answer.

mod common;

use app::accounts::types::Role;
use common::{numbered_candidate, staff, Reply, Staff, TestApp, STAFF_PASSWORD};
use http::StatusCode;
use sqlx::PgPool;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Who may call a server function.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// Public: no session needed.
    Anyone,
    /// Any signed-in account, whatever its roles.
    SignedIn,
    /// Signed in, holding one of these roles (and, on a round's board, the duty the function
    /// asks for: the fixture's chair and marker sit on the round's board).
    Roles(&'static [Role]),
}

const APPLICANT: Who = Who::Roles(&[Role::Applicant]);
const APPLICANT_OR_HR: Who = Who::Roles(&[Role::Applicant, Role::HrOfficer]);
/// A member of the round's board with the marker duty.
const MARKER: Who = Who::Roles(&[Role::Marker]);
const MARKER_OR_CHAIR: Who = Who::Roles(&[Role::Marker, Role::BoardChair]);
/// Staff of the marking and exam-day pages.
const STAFF: Who = Who::Roles(&[Role::Marker, Role::BoardChair, Role::HrOfficer]);
/// The chair of the round's board.
const CHAIR: Who = Who::Roles(&[Role::BoardChair]);
const HR_OR_CHAIR: Who = Who::Roles(&[Role::HrOfficer, Role::BoardChair]);
const HR: Who = Who::Roles(&[Role::HrOfficer]);
const HR_OR_ADMIN: Who = Who::Roles(&[Role::HrOfficer, Role::Administrator]);
const ADMIN: Who = Who::Roles(&[Role::Administrator]);

/// Replaced by the fixture round's id (or, in the second pass, a random one).
const ROUND: &str = "{round}";
/// Replaced by a fresh random UUID.
const ID: &str = "{id}";

/// How a server function is called in the matrix.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A form post on the caller's session.
    Form,
    /// A form post on a new session of the caller: the function ends or replaces it.
    FreshSession,
    /// A multipart upload of these bytes as `file`. An anonymous, empty upload must get 401:
    /// the caller is checked before the file is read.
    Upload { file: &'static str },
}

/// One server function (its endpoint under `/api/`), who may call it and what to send.
struct Entry {
    path: &'static str,
    who: Who,
    args: &'static [(&'static str, &'static str)],
    kind: Kind,
}

const fn call(
    path: &'static str,
    who: Who,
    args: &'static [(&'static str, &'static str)],
) -> Entry {
    Entry {
        path,
        who,
        args,
        kind: Kind::Form,
    }
}

const fn fresh_session(
    path: &'static str,
    who: Who,
    args: &'static [(&'static str, &'static str)],
) -> Entry {
    Entry {
        path,
        who,
        args,
        kind: Kind::FreshSession,
    }
}

const fn upload(
    path: &'static str,
    who: Who,
    fields: &'static [(&'static str, &'static str)],
    file: &'static str,
) -> Entry {
    Entry {
        path,
        who,
        args: fields,
        kind: Kind::Upload { file },
    }
}

/// The login the matrix posts: an existing account, so that a refusal cannot be mistaken
/// for wrong credentials (and failed sign-ins would throttle the tests' own).
const LOGIN_EMAIL: &str = "dangnhap@example.vn";

/// Every server function of the portal and who may call it.
const MATRIX: &[Entry] = &[
    // Accounts: registration and sign-in are public; a password is changed by its owner.
    fresh_session(
        "register",
        Who::Anyone,
        &[
            ("email", "x"),
            ("full_name", "x"),
            ("password", "x"),
            ("password_confirm", "x"),
        ],
    ),
    fresh_session(
        "register/confirm",
        Who::Anyone,
        &[("email", "x@example.vn"), ("code", "x")],
    ),
    fresh_session(
        "login",
        Who::Anyone,
        &[("email", LOGIN_EMAIL), ("password", STAFF_PASSWORD)],
    ),
    fresh_session("logout", Who::Anyone, &[]),
    call("current_user", Who::Anyone, &[]),
    call(
        "account/change_password",
        Who::SignedIn,
        &[
            ("current_password", "x"),
            ("new_password", "x"),
            ("new_password_confirm", "x"),
        ],
    ),
    // Administration: staff accounts for administrators; the e-mail outbox also for HR.
    call("admin/list_users", ADMIN, &[]),
    call(
        "admin/create_staff_account",
        ADMIN,
        &[("email", "x"), ("full_name", "x"), ("marker", "on")],
    ),
    call("admin/outbox", HR_OR_ADMIN, &[]),
    // The holiday calendar every working-day clock counts with: administrators only.
    call("calendar/days", ADMIN, &[]),
    call(
        "calendar/save_day",
        ADMIN,
        &[("date", "x"), ("kind", "x"), ("name", "x")],
    ),
    call("calendar/remove_day", ADMIN, &[("date", "x")]),
    // Rounds: the public list and notices; everything else is HR's.
    call("rounds/public", Who::Anyone, &[]),
    call("rounds/notice", Who::Anyone, &[("id", ID)]),
    call("hr/rounds", HR, &[]),
    call("hr/rule_sets", HR, &[]),
    call("hr/rule_set", HR, &[("id", ID)]),
    call(
        "hr/new_rule_set_version",
        HR,
        &[
            ("base_id", ID),
            ("name", "x"),
            ("legal_basis", "x"),
            ("minimum_age", "0"),
            ("application_window_days", "0"),
            ("stage1_questions", "0"),
            ("stage1_minutes", "0"),
            ("stage1_pass_percent", "0"),
            ("stage2_pass_mark", "0"),
            ("double_marking_tolerance_percent", "0"),
            ("appeal_filing_working_days", "0"),
            ("appeal_answer_days", "0"),
            ("priority_categories", "x"),
            ("fee_tiers", "x"),
            ("reason", "x"),
        ],
    ),
    call("hr/round", HR, &[("id", ROUND)]),
    call("hr/clocks", HR, &[("round_id", ROUND)]),
    call(
        "hr/create_round",
        HR,
        &[
            ("name", "x"),
            ("authority", "x"),
            ("notice", "x"),
            ("opens_at", "x"),
            ("closes_at", "x"),
            ("rule_set_id", ID),
        ],
    ),
    call(
        "hr/update_round",
        HR,
        &[
            ("round_id", ROUND),
            ("name", "x"),
            ("authority", "x"),
            ("notice", "x"),
            ("opens_at", "x"),
            ("closes_at", "x"),
            ("reason", "x"),
        ],
    ),
    call(
        "hr/advance_round",
        HR,
        &[("round_id", ROUND), ("to", "x"), ("reason", "x")],
    ),
    call(
        "hr/add_position",
        HR,
        &[
            ("round_id", ROUND),
            ("code", "x"),
            ("title", "x"),
            ("unit_code", "x"),
            ("unit_name", "x"),
            ("quota", "0"),
            ("min_degree", "x"),
            ("majors", "x"),
            ("other_conditions", "x"),
            ("stage2_format", "x"),
            ("written_weight", "0"),
            ("max_score", "0"),
            ("reason", "x"),
        ],
    ),
    call(
        "hr/remove_position",
        HR,
        &[("round_id", ROUND), ("position_id", ID), ("reason", "x")],
    ),
    call(
        "hr/change_quota",
        HR,
        &[
            ("round_id", ROUND),
            ("position_id", ID),
            ("unit_id", ID),
            ("quota", "0"),
            ("reason", "x"),
        ],
    ),
    upload(
        "hr/import_positions",
        HR,
        &[("round_id", ROUND), ("reason", "x")],
        "x,x\n",
    ),
    // Applications: the applicant's own profile, choices, documents and submission.
    call("applications/mine", APPLICANT, &[]),
    call("applications/profile", APPLICANT, &[]),
    call(
        "applications/save_profile",
        APPLICANT,
        &[("form[full_name]", "x")],
    ),
    call("applications/apply_page", APPLICANT, &[("round_id", ROUND)]),
    call(
        "applications/save_choice",
        APPLICANT,
        &[("round_id", ROUND)],
    ),
    upload(
        "applications/upload_document",
        APPLICANT,
        &[("round_id", ROUND), ("kind", "x")],
        "x",
    ),
    // The document must belong to `round_id`, whose deadline is the one checked (see the
    // object-level test).
    call(
        "applications/remove_document",
        APPLICANT,
        &[("round_id", ROUND), ("document_id", ID)],
    ),
    call("applications/submit", APPLICANT, &[("round_id", ROUND)]),
    call("applications/get", APPLICANT_OR_HR, &[("id", ID)]),
    call("applications/mark_read", APPLICANT, &[]),
    // Screening and fees: HR only.
    call("hr/screening", HR, &[("round_id", ROUND)]),
    call("hr/application", HR, &[("id", ID)]),
    call("hr/decide", HR, &[("round_id", ROUND)]),
    call(
        "hr/record_fee",
        HR,
        &[
            ("round_id", ROUND),
            ("application_id", ID),
            ("reference", "x"),
        ],
    ),
    upload("hr/reconcile_fees", HR, &[("round_id", ROUND)], "x,x\n"),
    // Scheduling: HR plans sessions and seats; the applicant sees and answers their ticket.
    call("hr/schedule", HR, &[("round_id", ROUND), ("stage", "1")]),
    call(
        "hr/add_venue",
        HR,
        &[("round_id", ROUND), ("name", "x"), ("address", "x")],
    ),
    call(
        "hr/add_room",
        HR,
        &[
            ("round_id", ROUND),
            ("venue_id", ID),
            ("name", "x"),
            ("capacity", "0"),
        ],
    ),
    call(
        "hr/add_session",
        HR,
        &[
            ("round_id", ROUND),
            ("stage", "1"),
            ("name", "x"),
            ("venue_id", ID),
            ("starts_at", "x"),
            ("duration_minutes", "0"),
        ],
    ),
    call("hr/allocate", HR, &[("round_id", ROUND), ("stage", "1")]),
    call(
        "hr/publish_schedule",
        HR,
        &[
            ("round_id", ROUND),
            ("stage", "1"),
            ("confirmation_deadline", "x"),
        ],
    ),
    call("hr/roster", HR, &[("session_id", ID), ("room_id", ID)]),
    call(
        "applications/ticket",
        APPLICANT_OR_HR,
        &[("application_id", ID), ("stage", "1")],
    ),
    call(
        "applications/attendance",
        APPLICANT,
        &[("application_id", ID), ("stage", "1"), ("answer", "x")],
    ),
    // Exam day: HR runs it; invigilators (any staff) see and mark their own rooms.
    call("hr/exam_day", HR, &[("round_id", ROUND), ("stage", "1")]),
    call(
        "hr/assign_invigilator",
        HR,
        &[("session_id", ID), ("room_id", ID), ("staff_id", "x")],
    ),
    call(
        "hr/declare_conflict",
        HR,
        &[
            ("round_id", ROUND),
            ("staff_id", "x"),
            ("receipt_code", "x"),
            ("relationship", "x"),
        ],
    ),
    call(
        "hr/move_candidate",
        HR,
        &[
            ("round_id", ROUND),
            ("candidate_number", "x"),
            ("target", "x"),
            ("reason", "x"),
        ],
    ),
    call("invigilation/mine", STAFF, &[]),
    call(
        "invigilation/room",
        STAFF,
        &[("session_id", ID), ("room_id", ID)],
    ),
    call(
        "invigilation/mark",
        STAFF,
        &[
            ("session_id", ID),
            ("room_id", ID),
            ("application_id", ID),
            ("status", "x"),
        ],
    ),
    call(
        "invigilation/penalty",
        STAFF,
        &[
            ("session_id", ID),
            ("room_id", ID),
            ("application_id", ID),
            ("kind", "x"),
            ("report", "x"),
        ],
    ),
    // Marking: HR sets up the board, markers mark their sheets, the chair decides and locks.
    call("marking/board", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call(
        "marking/add_member",
        HR,
        &[("round_id", ROUND), ("email", "x"), ("duty", "x")],
    ),
    call(
        "marking/remove_member",
        HR,
        &[("round_id", ROUND), ("user_id", ID), ("duty", "x")],
    ),
    call(
        "marking/assign",
        HR,
        &[
            ("round_id", ROUND),
            ("user_id", ID),
            ("position_id", ID),
            ("part", "x"),
        ],
    ),
    call(
        "marking/unassign",
        HR,
        &[
            ("round_id", ROUND),
            ("user_id", ID),
            ("position_id", ID),
            ("part", "x"),
        ],
    ),
    upload("marking/import_stage1", HR, &[("round_id", ROUND)], "x,x\n"),
    call("marking/lock_stage1", CHAIR, &[("round_id", ROUND)]),
    call("marking/start", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call("marking/lock", CHAIR, &[("round_id", ROUND)]),
    call("marking/decode", CHAIR, &[("round_id", ROUND)]),
    call("marking/mine", STAFF, &[]),
    call(
        "marking/sheet",
        MARKER,
        &[("round_id", ROUND), ("position", ID), ("part", "written")],
    ),
    call(
        "marking/enter",
        MARKER,
        &[
            ("round_id", ROUND),
            ("position", ID),
            ("part", "written"),
            ("code", "x"),
            ("mark", "0"),
        ],
    ),
    upload(
        "marking/import",
        MARKER,
        &[("round_id", ROUND), ("position", ID), ("part", "written")],
        "x,x\n",
    ),
    call("marking/chair", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call(
        "marking/third_marker",
        CHAIR,
        &[("round_id", ROUND), ("paper_id", ID)],
    ),
    call(
        "marking/decide",
        CHAIR,
        &[
            ("round_id", ROUND),
            ("paper_id", ID),
            ("mark", "0"),
            ("reason", "x"),
        ],
    ),
    call(
        "marking/resolve",
        CHAIR,
        &[
            ("round_id", ROUND),
            ("paper_id", ID),
            ("marker_id", ID),
            ("mark", "0"),
            ("reason", "x"),
        ],
    ),
    call("marking/paper", HR_OR_CHAIR, &[("paper_id", ID)]),
    call(
        "marking/paper_by_code",
        HR_OR_CHAIR,
        &[("round_id", ROUND), ("code", "x")],
    ),
    // Results: HR computes and publishes, the round's chair reviews and approves; anyone
    // reads what is published.
    call("results/round", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call("results/compute", HR, &[("round_id", ROUND)]),
    call(
        "results/tie",
        HR,
        &[
            ("round_id", ROUND),
            ("position", "x"),
            ("order", "x"),
            ("decided_by", "x"),
            ("decided_on", "x"),
            ("document_ref", "x"),
        ],
    ),
    call("results/penalties", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call(
        "results/decide_penalty",
        CHAIR,
        &[("round_id", ROUND), ("penalty_id", ID), ("decision", "x")],
    ),
    call(
        "results/approve",
        CHAIR,
        &[("round_id", ROUND), ("version_id", ID)],
    ),
    call(
        "results/publish",
        HR,
        &[("round_id", ROUND), ("version_id", ID)],
    ),
    call("results/published", Who::Anyone, &[("round_id", ROUND)]),
    // Exam scores: published by HR per position before any result (Decree 170/2025 Art 17).
    call("results/exam_scores", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call(
        "results/publish_scores",
        HR,
        &[("round_id", ROUND), ("position", "x")],
    ),
    call(
        "results/published_scores",
        Who::Anyone,
        &[("round_id", ROUND), ("code", "x")],
    ),
    call(
        "results/published_position",
        Who::Anyone,
        &[("round_id", ROUND), ("code", "x")],
    ),
    call(
        "results/lookup",
        Who::Anyone,
        &[("round_id", ROUND), ("number", "x"), ("code", "x")],
    ),
    call(
        "results/dossier",
        HR,
        &[
            ("round_id", ROUND),
            ("number", "x"),
            ("outcome", "complete"),
        ],
    ),
    // After selection (Decree 170/2025 Art 18 as amended): HR lists strike-offs and recognises
    // the next-ranked; anyone reads the published cancelled lists.
    call(
        "results/after_selection",
        HR_OR_CHAIR,
        &[("round_id", ROUND)],
    ),
    call("results/publish_cancelled", HR, &[("round_id", ROUND)]),
    call("results/next_ranked", HR, &[("round_id", ROUND)]),
    call(
        "results/appointment",
        HR,
        &[("round_id", ROUND), ("number", "x")],
    ),
    call(
        "results/reporting",
        HR,
        &[("round_id", ROUND), ("number", "x"), ("reported", "true")],
    ),
    call("results/cancelled", Who::Anyone, &[("round_id", ROUND)]),
    // Appeals: the candidate files their own; HR records the fee; re-markers re-mark; the
    // chair decides and answers.
    call("appeals/page", APPLICANT, &[("application_id", ID)]),
    call("appeals/file", APPLICANT, &[("application_id", ID)]),
    call("appeals/round", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call(
        "appeals/fee",
        HR,
        &[("round_id", ROUND), ("appeal_id", ID), ("reference", "x")],
    ),
    call("appeals/assign", HR_OR_CHAIR, &[("round_id", ROUND)]),
    call("appeals/mine", STAFF, &[]),
    call(
        "appeals/remark",
        MARKER_OR_CHAIR,
        &[
            ("round_id", ROUND),
            ("code", "x"),
            ("mark", "0"),
            ("version", "0"),
        ],
    ),
    call(
        "appeals/decide",
        CHAIR,
        &[
            ("round_id", ROUND),
            ("appeal_id", ID),
            ("mark", "0"),
            ("version", "0"),
        ],
    ),
    call("appeals/answer", CHAIR, &[("round_id", ROUND)]),
    call(
        "appeals/third",
        CHAIR,
        &[("round_id", ROUND), ("appeal_id", ID)],
    ),
    call(
        "appeals/council",
        CHAIR,
        &[
            ("round_id", ROUND),
            ("appeal_id", ID),
            ("mark", "0"),
            ("version", "0"),
        ],
    ),
];

/// The callers of the matrix.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Caller {
    Anonymous,
    ApplicantA,
    ApplicantB,
    Marker,
    Chair,
    Hr,
    Admin,
}

const CALLERS: [Caller; 7] = [
    Caller::Anonymous,
    Caller::ApplicantA,
    Caller::ApplicantB,
    Caller::Marker,
    Caller::Chair,
    Caller::Hr,
    Caller::Admin,
];

impl Caller {
    fn role(self) -> Option<Role> {
        match self {
            Caller::Anonymous => None,
            Caller::ApplicantA | Caller::ApplicantB => Some(Role::Applicant),
            Caller::Marker => Some(Role::Marker),
            Caller::Chair => Some(Role::BoardChair),
            Caller::Hr => Some(Role::HrOfficer),
            Caller::Admin => Some(Role::Administrator),
        }
    }

    fn short(self) -> &'static str {
        match self {
            Caller::Anonymous => "anon",
            Caller::ApplicantA => "A",
            Caller::ApplicantB => "B",
            Caller::Marker => "marker",
            Caller::Chair => "chair",
            Caller::Hr => "hr",
            Caller::Admin => "admin",
        }
    }
}

impl Who {
    fn label(self) -> String {
        match self {
            Who::Anyone => "anyone".to_string(),
            Who::SignedIn => "signed-in".to_string(),
            Who::Roles(roles) => roles
                .iter()
                .map(|r| match r {
                    Role::Applicant => "applicant",
                    Role::Marker => "marker",
                    Role::BoardChair => "chair",
                    Role::HrOfficer => "hr",
                    Role::Administrator => "admin",
                })
                .collect::<Vec<_>>()
                .join("|"),
        }
    }

    fn allows(self, caller: Caller) -> bool {
        match (self, caller.role()) {
            (Who::Anyone, _) => true,
            (_, None) => false,
            (Who::SignedIn, Some(_)) => true,
            (Who::Roles(roles), Some(role)) => roles.contains(&role),
        }
    }
}

/// Text of the database that must never reach a client.
const DATABASE_TEXT: [&str; 9] = [
    "sqlx",
    "SQLSTATE",
    "postgres",
    "relation \"",
    "violates",
    "syntax error",
    "duplicate key",
    "constraint",
    "panicked",
];

/// A round in marking with its board, two positions with a paper each, an exam session with
/// two rooms, two applicants with applications and tickets, and one account per role.
struct World {
    app: TestApp,
    pool: PgPool,
    round: Uuid,
    /// Another round in marking, chaired by `other_chair`.
    other_round: Uuid,
    /// KT-01: B's paper, marked by `marker`.
    position: Uuid,
    /// KT-02: a paper marked by `other_marker`.
    other_position: Uuid,
    session: Uuid,
    /// Where B sits, watched by `marker`.
    room: Uuid,
    /// Where A sits; nobody watches it.
    other_room: Uuid,
    application_a: Uuid,
    application_b: Uuid,
    a: Staff,
    b: Staff,
    marker: Staff,
    other_marker: Staff,
    chair: Staff,
    other_chair: Staff,
    hr: Staff,
    admin: Staff,
}

impl World {
    fn account(&self, caller: Caller) -> Option<&Staff> {
        match caller {
            Caller::Anonymous => None,
            Caller::ApplicantA => Some(&self.a),
            Caller::ApplicantB => Some(&self.b),
            Caller::Marker => Some(&self.marker),
            Caller::Chair => Some(&self.chair),
            Caller::Hr => Some(&self.hr),
            Caller::Admin => Some(&self.admin),
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)], who: Option<&Staff>) -> Reply {
        self.app
            .post(
                &format!("/api/{path}"),
                form,
                who.map(|w| w.cookie.as_str()),
            )
            .await
    }
}

async fn sql(pool: &PgPool, query: &str, binds: &[Uuid]) {
    let mut q = sqlx::query(query);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(pool).await.unwrap();
}

async fn sql_id(pool: &PgPool, query: &str, binds: &[Uuid]) -> Uuid {
    let mut q = sqlx::query_scalar(query);
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_one(pool).await.unwrap()
}

/// Signs in as the applicant who owns the application (they get a password and the role).
async fn owner(app: &TestApp, application: Uuid) -> Staff {
    let (id, email): (Uuid, String) = sqlx::query_as(
        "select u.id, u.email from users u join applications a on a.applicant_id = u.id
         where a.id = $1",
    )
    .bind(application)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let hash = app::accounts::password::hash(
        &app::accounts::types::NewPassword::parse(STAFF_PASSWORD).unwrap(),
    )
    .await
    .unwrap();
    sqlx::query("update users set password_hash = $2 where id = $1")
        .bind(id)
        .bind(hash)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into user_roles (user_id, role) values ($1, 'applicant') on conflict do nothing",
    )
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    Staff {
        id,
        cookie: app.session_for(&email, STAFF_PASSWORD).await,
        email,
    }
}

async fn world(pool: &PgPool) -> World {
    let app = TestApp::new(pool.clone());
    let hr = staff(&app, "ns@example.vn", &[Role::HrOfficer]).await;
    let chair = staff(&app, "ct@example.vn", &[Role::BoardChair]).await;
    let other_chair = staff(&app, "ct2@example.vn", &[Role::BoardChair]).await;
    let marker = staff(&app, "gk1@example.vn", &[Role::Marker]).await;
    let other_marker = staff(&app, "gk2@example.vn", &[Role::Marker]).await;
    let admin = staff(&app, "qt@example.vn", &[Role::Administrator]).await;
    app.create_user(LOGIN_EMAIL, STAFF_PASSWORD, &[Role::Applicant])
        .await;

    let (round, unit) = common::round_with_unit(pool, "marking").await;
    let other_round = sql_id(
        pool,
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status,
                             candidate_prefix)
         select 'Kỳ tuyển dụng khác', 'UBND tỉnh', 'Thông báo', opens_at, closes_at,
                rule_set_id, 'marking', 'NB27'
         from rounds where id = $1 returning id",
        &[round],
    )
    .await;
    let mut positions = Vec::new();
    for code in ["KT-01", "KT-02"] {
        let id: Uuid = sqlx::query_scalar(
            "insert into positions (round_id, code, title, min_degree, stage2_format)
             values ($1, $2, 'Chuyên viên', 'bachelor', 'written') returning id",
        )
        .bind(round)
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap();
        sql(
            pool,
            "insert into position_units (position_id, unit_id, quota) values ($1, $2, 1)",
            &[id, unit],
        )
        .await;
        positions.push(id);
    }
    let (position, other_position) = (positions[0], positions[1]);

    let venue = sql_id(
        pool,
        "insert into venues (round_id, name, address) values ($1, 'Trường Chính trị', 'Vinh')
         returning id",
        &[round],
    )
    .await;
    let mut rooms = Vec::new();
    for name in ["P.101", "P.102"] {
        let id: Uuid = sqlx::query_scalar(
            "insert into rooms (venue_id, name, capacity) values ($1, $2, 30) returning id",
        )
        .bind(venue)
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap();
        rooms.push(id);
    }
    let (room, other_room) = (rooms[0], rooms[1]);
    let session: Uuid = sqlx::query_scalar(
        "insert into exam_sessions (round_id, stage, name, venue_id, starts_at, duration_minutes)
         values ($1, 1, 'Ca 1', $2, $3, 90) returning id",
    )
    .bind(round)
    .bind(venue)
    .bind(time::macros::datetime!(2027-01-20 07:30 +7))
    .fetch_one(pool)
    .await
    .unwrap();

    let born = time::macros::date!(1998 - 05 - 09);
    let application_a = numbered_candidate(pool, round, position, 1, "Nguyễn Văn An", born).await;
    let application_b = numbered_candidate(pool, round, position, 2, "Trần Thị Bình", born).await;
    for (application, seat_room, seat) in [(application_a, other_room, 1), (application_b, room, 1)]
    {
        sqlx::query(
            "insert into seats (application_id, stage, session_id, room_id, seat)
             values ($1, 1, $2, $3, $4)",
        )
        .bind(application)
        .bind(session)
        .bind(seat_room)
        .bind(seat)
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "insert into schedule_publications (round_id, stage, published_by, confirmation_deadline)
         values ($1, 1, $2, $3)",
    )
    .bind(round)
    .bind(hr.id)
    .bind(time::macros::datetime!(2099-01-01 00:00 +7))
    .execute(pool)
    .await
    .unwrap();

    // The board: the chair, and two markers with one paper each.
    for (board_round, who, duty) in [
        (round, &chair, "chair"),
        (round, &marker, "marker"),
        (round, &other_marker, "marker"),
        (other_round, &other_chair, "chair"),
    ] {
        sqlx::query("insert into board_members (round_id, user_id, duty) values ($1, $2, $3)")
            .bind(board_round)
            .bind(who.id)
            .bind(duty)
            .execute(pool)
            .await
            .unwrap();
    }
    for (who, on, code, application) in [
        (&marker, position, "GOC001", Some(application_b)),
        (&other_marker, other_position, "GOC002", None),
    ] {
        sql(
            pool,
            "insert into marker_assignments (round_id, user_id, position_id, part)
             values ($1, $2, $3, 'written')",
            &[round, who.id, on],
        )
        .await;
        let paper: Uuid = sqlx::query_scalar(
            "insert into papers (round_id, position_id, part, code)
             values ($1, $2, 'written', $3) returning id",
        )
        .bind(round)
        .bind(on)
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap();
        sql(
            pool,
            "insert into paper_markers (paper_id, marker_id, slot) values ($1, $2, 1)",
            &[paper, who.id],
        )
        .await;
        if let Some(application) = application {
            sql(
                pool,
                "insert into paper_identities (paper_id, part, application_id)
                 values ($1, 'written', $2)",
                &[paper, application],
            )
            .await;
        }
    }
    sql(
        pool,
        "insert into invigilator_assignments (session_id, room_id, user_id) values ($1, $2, $3)",
        &[session, room, marker.id],
    )
    .await;

    let a = owner(&app, application_a).await;
    let b = owner(&app, application_b).await;
    World {
        app,
        pool: pool.clone(),
        round,
        other_round,
        position,
        other_position,
        session,
        room,
        other_room,
        application_a,
        application_b,
        a,
        b,
        marker,
        other_marker,
        chair,
        other_chair,
        hr,
        admin,
    }
}

/// The arguments of an entry, with `ROUND` and `ID` filled in.
fn render(args: &[(&'static str, &'static str)], round: Uuid) -> Vec<(&'static str, String)> {
    args.iter()
        .map(|(name, value)| {
            let value = match *value {
                ROUND => round.to_string(),
                ID => Uuid::new_v4().to_string(),
                other => other.to_string(),
            };
            (*name, value)
        })
        .collect()
}

/// Calls an entry as `caller`.
async fn invoke(w: &World, entry: &Entry, caller: Caller, round: Uuid) -> Reply {
    let path = format!("/api/{}", entry.path);
    let args = render(entry.args, round);
    let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let fresh;
    let cookie = match (entry.kind, w.account(caller)) {
        (_, None) => None,
        (Kind::FreshSession, Some(account)) => {
            fresh = w.app.session_for(&account.email, STAFF_PASSWORD).await;
            Some(fresh.as_str())
        }
        (_, Some(account)) => Some(account.cookie.as_str()),
    };
    match entry.kind {
        Kind::Upload { file, .. } => {
            w.app
                .post_multipart(&path, &form, ("tep.csv", file.as_bytes()), cookie)
                .await
        }
        Kind::Form | Kind::FreshSession => w.app.post(&path, &form, cookie).await,
    }
}

/// What is wrong with a reply to a caller the entry does not allow (`None`: a proper refusal).
/// `hidden` also accepts 404 from a signed-in caller (the round does not exist).
fn refusal_problem(reply: &Reply, caller: Caller, hidden: bool) -> Option<String> {
    let expected: &[(StatusCode, &str)] = match (caller, hidden) {
        (Caller::Anonymous, _) => &[(StatusCode::UNAUTHORIZED, "\"Unauthenticated\"")],
        (_, false) => &[(StatusCode::FORBIDDEN, "\"Forbidden\"")],
        (_, true) => &[
            (StatusCode::FORBIDDEN, "\"Forbidden\""),
            (StatusCode::NOT_FOUND, "\"NotFound\""),
        ],
    };
    let ok = expected
        .iter()
        .any(|(status, body)| reply.status == *status && reply.body == *body);
    (!ok).then(|| {
        format!(
            "expected {}, got {} {}",
            expected
                .iter()
                .map(|(s, _)| s.as_u16().to_string())
                .collect::<Vec<_>>()
                .join(" or "),
            reply.status.as_u16(),
            reply.body.chars().take(200).collect::<String>()
        )
    })
}

/// What is wrong with a reply to a caller the entry allows (`None`: it got past the guard).
fn admission_problem(reply: &Reply) -> Option<String> {
    let refused = matches!(
        reply.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
    );
    let broken = matches!(
        reply.status,
        StatusCode::BAD_REQUEST | StatusCode::INTERNAL_SERVER_ERROR
    );
    (refused || broken).then(|| {
        format!(
            "allowed caller got {} {}",
            reply.status.as_u16(),
            reply.body.chars().take(200).collect::<String>()
        )
    })
}

fn leak(reply: &Reply) -> Option<String> {
    if reply.status.is_success() || reply.status.is_redirection() {
        return None;
    }
    DATABASE_TEXT
        .iter()
        .find(|t| reply.body.contains(*t))
        .map(|t| format!("database text {t:?} in {}", reply.body))
}

#[sqlx::test(migrations = "../migrations")]
async fn every_server_function_refuses_the_callers_it_does_not_serve(pool: PgPool) {
    let w = world(&pool).await;

    // Every registered server function has exactly one entry, and every entry a function.
    let mut registered = BTreeSet::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        assert_eq!(method.as_str(), "POST", "{path} is not called with POST");
        registered.insert(path.to_string());
    }
    assert!(
        registered.contains("/api/results/compute"),
        "the app's server functions are not registered: {registered:?}"
    );
    let listed: BTreeSet<String> = MATRIX.iter().map(|e| format!("/api/{}", e.path)).collect();
    assert_eq!(listed.len(), MATRIX.len(), "an endpoint is listed twice");
    let missing: Vec<_> = registered.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "server functions without an entry in MATRIX (say who may call them): {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "MATRIX entries for server functions that no longer exist: {stale:?}"
    );
    println!("{} server functions registered", registered.len());

    let mut problems = Vec::new();
    for entry in MATRIX {
        let mut line = Vec::new();
        // The fixture round: board duties are checked, so refusals are exactly 401/403.
        for caller in CALLERS {
            let reply = invoke(&w, entry, caller, w.round).await;
            let problem = if entry.who.allows(caller) {
                admission_problem(&reply)
            } else {
                refusal_problem(&reply, caller, false)
            };
            for p in problem.into_iter().chain(leak(&reply)) {
                problems.push(format!("{} as {caller:?}: {p}", entry.path));
            }
            let mark = if entry.who.allows(caller) { "+" } else { "" };
            line.push(format!(
                "{mark}{}={}",
                caller.short(),
                reply.status.as_u16()
            ));
        }
        // A round that does not exist: still refused before anything is looked up.
        let unknown = Uuid::new_v4();
        let mut refused = Vec::new();
        for caller in CALLERS.into_iter().filter(|c| !entry.who.allows(*c)) {
            let reply = invoke(&w, entry, caller, unknown).await;
            for p in refusal_problem(&reply, caller, true)
                .into_iter()
                .chain(leak(&reply))
            {
                problems.push(format!("{} (unknown round) as {caller:?}: {p}", entry.path));
            }
            refused.push(format!("{}={}", caller.short(), reply.status.as_u16()));
        }
        // An anonymous upload with no fields and an empty file.
        if let Kind::Upload { .. } = entry.kind {
            let path = format!("/api/{}", entry.path);
            let reply = w.app.post_multipart(&path, &[], ("", b""), None).await;
            if reply.status != StatusCode::UNAUTHORIZED {
                problems.push(format!(
                    "{} anonymous empty upload: expected 401, got {} {}",
                    entry.path, reply.status, reply.body
                ));
            }
            refused.push(format!("empty-upload={}", reply.status.as_u16()));
        }
        println!(
            "{:<30} {:<18} {} | unknown round: {}",
            entry.path,
            entry.who.label(),
            line.join(" "),
            refused.join(" ")
        );
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_server_function_refuses_cross_site_and_originless_writes(pool: PgPool) {
    let w = world(&pool).await;
    let refused_text = "Cross-origin request refused";
    let mut problems = Vec::new();
    for entry in MATRIX {
        // A caller the function serves, so that only the origin can be the reason to refuse.
        let caller = CALLERS
            .into_iter()
            .find(|c| entry.who.allows(*c))
            .unwrap_or(Caller::Anonymous);
        let cookie = w.account(caller).map(|a| a.cookie.as_str());
        let path = format!("/api/{}", entry.path);
        let args = render(entry.args, w.round);
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let cross_site = w
            .app
            .post_with(&path, &form, cookie, &[("sec-fetch-site", "cross-site")])
            .await;
        let other_origin = w
            .app
            .post_with(&path, &form, cookie, &[("origin", "https://evil.example")])
            .await;
        let no_origin = w.app.post_without_origin(&path, &form, cookie).await;
        for (what, reply) in [
            ("cross-site", &cross_site),
            ("other origin", &other_origin),
            ("no origin", &no_origin),
        ] {
            if reply.status != StatusCode::FORBIDDEN || !reply.body.contains(refused_text) {
                problems.push(format!(
                    "{} {what} as {caller:?}: {} {}",
                    entry.path, reply.status, reply.body
                ));
            }
        }
        println!(
            "{:<30} cross-site={} other-origin={} no-origin={}",
            entry.path,
            cross_site.status.as_u16(),
            other_origin.status.as_u16(),
            no_origin.status.as_u16()
        );
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Reading never changes anything: a GET of a server function is not served.
    let get = w.app.get("/api/results/compute", None).await;
    assert_ne!(get.status, StatusCode::OK, "{}", get.body);
}

/// A marking sheet as `who` asks for it (`marker`: transcribing that marker's sheet).
async fn sheet(w: &World, who: &Staff, round: Uuid, position: Uuid, marker: Option<Uuid>) -> Reply {
    let (round, position) = (round.to_string(), position.to_string());
    let marker = marker.map(|m| m.to_string()).unwrap_or_default();
    w.post(
        "marking/sheet",
        &[
            ("round_id", &round),
            ("position", &position),
            ("part", "written"),
            ("marker", &marker),
        ],
        Some(who),
    )
    .await
}

#[track_caller]
fn expect(reply: &Reply, status: StatusCode, what: &str) {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn applicants_markers_and_chairs_reach_only_their_own_objects(pool: PgPool) {
    let w = world(&pool).await;
    let (a, b) = (Some(&w.a), Some(&w.b));
    let app_b = w.application_b.to_string();
    let app_a = w.application_a.to_string();

    // B's application, its receipt and its ticket: B and HR see them, A is told they do not
    // exist, and no reply to A carries anything of B's.
    let b_views = [
        ("applications/get", vec![("id", app_b.as_str())]),
        (
            "applications/ticket",
            vec![("application_id", app_b.as_str()), ("stage", "1")],
        ),
        ("appeals/page", vec![("application_id", app_b.as_str())]),
    ];
    for (path, form) in &b_views {
        expect(
            &w.post(path, form, b).await,
            StatusCode::OK,
            &format!("B: {path}"),
        );
        let by_a = w.post(path, form, a).await;
        expect(&by_a, StatusCode::NOT_FOUND, &format!("A: {path} of B"));
        assert_eq!(by_a.body, "\"NotFound\"", "{path}");
        for secret in ["Trần Thị Bình", "NA27", "RC2", "GOC"] {
            assert!(!by_a.body.contains(secret), "{path}: {}", by_a.body);
        }
    }
    for path in ["applications/get", "applications/ticket"] {
        let form: &[(&str, &str)] = if path == "applications/get" {
            &[("id", &app_b)]
        } else {
            &[("application_id", &app_b), ("stage", "1")]
        };
        expect(
            &w.post(path, form, Some(&w.hr)).await,
            StatusCode::OK,
            &format!("HR: {path}"),
        );
        for staff in [&w.marker, &w.chair, &w.admin] {
            expect(
                &w.post(path, form, Some(staff)).await,
                StatusCode::FORBIDDEN,
                &format!("{}: {path}", staff.email),
            );
        }
    }
    // A's own are A's.
    expect(
        &w.post("applications/get", &[("id", &app_a)], a).await,
        StatusCode::OK,
        "A: own application",
    );

    // A cannot act on B's application: withdraw B from the exam, or appeal for B.
    let withdraw = [
        ("application_id", app_b.as_str()),
        ("stage", "1"),
        ("answer", "withdraw"),
    ];
    expect(
        &w.post("applications/attendance", &withdraw, a).await,
        StatusCode::NOT_FOUND,
        "A withdraws B",
    );
    let appeal = [("application_id", app_b.as_str()), ("reason", "Thay mặt")];
    expect(
        &w.post("appeals/file", &appeal, a).await,
        StatusCode::NOT_FOUND,
        "A appeals for B",
    );
    assert_eq!(common::count(&w.pool, "attendance_confirmations").await, 0);
    assert_eq!(common::count(&w.pool, "appeals").await, 0);
    // HR does not answer for the candidate either.
    expect(
        &w.post("applications/attendance", &withdraw, Some(&w.hr))
            .await,
        StatusCode::FORBIDDEN,
        "HR withdraws B",
    );
    // B may.
    expect(
        &w.post("applications/attendance", &withdraw, b).await,
        StatusCode::OK,
        "B withdraws",
    );

    // A draft round is HR's alone: its notice and apply page do not exist for anyone else.
    let draft = sql_id(
        &w.pool,
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status,
                             candidate_prefix)
         select 'Kỳ tuyển dụng nháp', 'UBND tỉnh', 'Thông báo nháp', opens_at, closes_at,
                rule_set_id, 'draft', 'ND27'
         from rounds where id = $1 returning id",
        &[w.round],
    )
    .await
    .to_string();
    for who in [None, a, Some(&w.marker), Some(&w.admin)] {
        let notice = w.post("rounds/notice", &[("id", &draft)], who).await;
        expect(&notice, StatusCode::NOT_FOUND, "a draft's notice");
        assert!(!notice.body.contains("nháp"), "{}", notice.body);
    }
    expect(
        &w.post("applications/apply_page", &[("round_id", &draft)], a)
            .await,
        StatusCode::NOT_FOUND,
        "A: a draft's apply page",
    );
    let public = w.post("rounds/public", &[], None).await;
    assert!(!public.body.contains(&draft), "{}", public.body);
    expect(
        &w.post("hr/round", &[("id", &draft)], Some(&w.hr)).await,
        StatusCode::OK,
        "HR: the draft",
    );

    // Documents: A cannot remove B's. A round still open for applications is needed to get
    // past the deadline check.
    let open_round = sql_id(
        &w.pool,
        "insert into rounds (name, authority, notice, opens_at, closes_at, rule_set_id, status,
                             candidate_prefix)
         select 'Kỳ tuyển dụng đang mở', 'UBND tỉnh', 'Thông báo', now() - interval '1 day',
                now() + interval '30 days', rule_set_id, 'open', 'NC27'
         from rounds where id = $1 returning id",
        &[w.round],
    )
    .await;
    let document = |owner: Uuid, round: Uuid| {
        let pool = w.pool.clone();
        async move {
            sql_id(
                &pool,
                "insert into application_documents (applicant_id, round_id, kind, file_name,
                                                    content_type, byte_size, sha256, content)
                 values ($1, $2, 'degree', 'bang.pdf', 'application/pdf', 4, repeat('a', 64),
                         '%PDF') returning id",
                &[owner, round],
            )
            .await
        }
    };
    let superseded = |id: Uuid| {
        let pool = w.pool.clone();
        async move {
            sqlx::query_scalar::<_, bool>(
                "select superseded_at is not null from application_documents where id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let b_document = document(w.b.id, open_round).await;
    let (open, b_doc) = (open_round.to_string(), b_document.to_string());
    expect(
        &w.post(
            "applications/remove_document",
            &[("round_id", &open), ("document_id", &b_doc)],
            a,
        )
        .await,
        StatusCode::NOT_FOUND,
        "A removes B's document",
    );
    assert!(!superseded(b_document).await);
    // Naming an open round does not reach A's degree scan of the round under marking (its
    // deadline long passed): the document must belong to the round whose deadline is checked.
    let a_closed = document(w.a.id, w.round).await;
    let a_doc = a_closed.to_string();
    expect(
        &w.post(
            "applications/remove_document",
            &[("round_id", &open), ("document_id", &a_doc)],
            a,
        )
        .await,
        StatusCode::NOT_FOUND,
        "A removes a document of a closed round by naming an open one",
    );
    assert!(!superseded(a_closed).await);
    // Naming the document's own round is refused, as it should be.
    let round = w.round.to_string();
    let a_closed = document(w.a.id, w.round).await.to_string();
    expect(
        &w.post(
            "applications/remove_document",
            &[("round_id", &round), ("document_id", &a_closed)],
            a,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "A removes a document of a closed round, naming it",
    );

    // Sheets: the marker gets their own papers, not another position's, not another
    // marker's, not in another round; the other marker's sheet is theirs alone.
    let (round, other_round) = (w.round.to_string(), w.other_round.to_string());
    let other_position = w.other_position.to_string();
    let own = sheet(&w, &w.marker, w.round, w.position, None).await;
    expect(&own, StatusCode::OK, "marker: own sheet");
    assert!(own.body.contains("GOC001"), "{}", own.body);
    assert!(!own.body.contains("Trần Thị Bình"), "{}", own.body);
    for (round, position, marker, what) in [
        (w.round, w.other_position, None, "another position's sheet"),
        (
            w.round,
            w.other_position,
            Some(w.other_marker.id),
            "another marker's sheet, as a clerk",
        ),
        (w.other_round, w.position, None, "a sheet of another round"),
    ] {
        let reply = sheet(&w, &w.marker, round, position, marker).await;
        expect(&reply, StatusCode::FORBIDDEN, &format!("marker: {what}"));
        assert!(!reply.body.contains("GOC002"), "{}", reply.body);
    }
    expect(
        &sheet(&w, &w.other_marker, w.round, w.other_position, None).await,
        StatusCode::OK,
        "other marker: own sheet",
    );
    expect(
        &sheet(&w, &w.other_marker, w.round, w.position, None).await,
        StatusCode::FORBIDDEN,
        "other marker: the marker's sheet",
    );
    // Neither the chair nor HR mark.
    for who in [&w.chair, &w.hr] {
        expect(
            &sheet(&w, who, w.round, w.position, None).await,
            StatusCode::FORBIDDEN,
            &format!("{}: a marker's sheet", who.email),
        );
    }
    // Nor does the marker type a mark on a sheet that is not theirs.
    let enter = [
        ("round_id", round.as_str()),
        ("position", other_position.as_str()),
        ("part", "written"),
        ("code", "GOC002"),
        ("mark", "50"),
    ];
    let entered = w.post("marking/enter", &enter, Some(&w.marker)).await;
    assert!(
        matches!(
            entered.status,
            StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "marker enters on another's sheet: {} {}",
        entered.status,
        entered.body
    );
    assert_eq!(common::count(&w.pool, "marks").await, 0);

    // Exam rooms: the invigilator sees and marks only the room they watch.
    let (session, room, other_room) = (
        w.session.to_string(),
        w.room.to_string(),
        w.other_room.to_string(),
    );
    expect(
        &w.post(
            "invigilation/room",
            &[("session_id", &session), ("room_id", &room)],
            Some(&w.marker),
        )
        .await,
        StatusCode::OK,
        "marker: own room",
    );
    for who in [&w.marker, &w.other_marker, &w.chair] {
        expect(
            &w.post(
                "invigilation/room",
                &[("session_id", &session), ("room_id", &other_room)],
                Some(who),
            )
            .await,
            StatusCode::FORBIDDEN,
            &format!("{}: a room they do not watch", who.email),
        );
        expect(
            &w.post(
                "invigilation/mark",
                &[
                    ("session_id", &session),
                    ("room_id", &other_room),
                    ("application_id", &app_a),
                    ("status", "absent"),
                ],
                Some(who),
            )
            .await,
            StatusCode::FORBIDDEN,
            &format!("{}: marks A in a room they do not watch", who.email),
        );
    }
    assert_eq!(common::count(&w.pool, "attendance").await, 0);

    // The chair of another round's board does not run this one.
    let on_round = [("round_id", round.as_str())];
    for path in [
        "results/round",
        "marking/chair",
        "marking/board",
        "marking/lock",
        "marking/decode",
        "appeals/round",
        "appeals/answer",
    ] {
        expect(
            &w.post(path, &on_round, Some(&w.other_chair)).await,
            StatusCode::FORBIDDEN,
            &format!("other chair: {path}"),
        );
    }
    expect(
        &w.post(
            "marking/board",
            &[("round_id", &other_round)],
            Some(&w.other_chair),
        )
        .await,
        StatusCode::OK,
        "other chair: own board",
    );
    expect(
        &w.post("marking/board", &on_round, Some(&w.chair)).await,
        StatusCode::OK,
        "chair: own board",
    );
}
