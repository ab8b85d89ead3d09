//! Server functions of the marking board: HR sets up members and assignments, imports the
//! stage-1 results and starts stage-2 marking (papers, codes, markers); the chair locks and
//! decodes. Each one checks its caller against the round's board itself.

use crate::error::AppError;
use crate::scoring::types::*;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

#[cfg(feature = "ssr")]
pub(crate) use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::accounts::{
        service::require_role,
        types::{CurrentUser, Role},
    };
    use crate::rounds::rules::RuleParams;
    use crate::scoring::marks::Scale;
    use crate::scoring::repo::{self, RoundInfo};
    use crate::server_support::pool;

    /// The caller, their duties on the round's board, and the round.
    pub(crate) struct Caller {
        pub user: CurrentUser,
        pub duties: Vec<Duty>,
        pub round: RoundInfo,
        pub params: RuleParams,
    }

    impl Caller {
        pub fn is_hr(&self) -> bool {
            self.user.has_role(Role::HrOfficer)
        }
        pub fn has(&self, duty: Duty) -> bool {
            self.duties.contains(&duty)
                && match duty {
                    Duty::Chair => self.user.has_role(Role::BoardChair),
                    Duty::Marker | Duty::Appeal => {
                        self.user.has_any_role(&[Role::Marker, Role::BoardChair])
                    }
                    Duty::Clerk => self.user.has_any_role(&[Role::Marker, Role::HrOfficer]),
                }
        }
        pub fn id(&self) -> Uuid {
            self.user.id
        }
    }

    /// Signs in a staff member and reads their duties on the round; `allowed` decides.
    pub(crate) async fn caller(
        round_id: Uuid,
        allowed: impl Fn(&Caller) -> bool,
    ) -> Result<Caller, AppError> {
        let user = require_role(&[Role::Marker, Role::BoardChair, Role::HrOfficer]).await?;
        let pool = pool()?;
        let round = repo::round_info(&pool, round_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let params: RuleParams =
            serde_json::from_value(round.params.clone()).map_err(|e| AppError::internal(&e))?;
        let duties = repo::duties(&pool, round_id, user.id).await?;
        let caller = Caller {
            user,
            duties,
            round,
            params,
        };
        if allowed(&caller) {
            Ok(caller)
        } else {
            tracing::warn!(user_id = %caller.user.id, %round_id, "refused: not on the board");
            Err(AppError::Forbidden)
        }
    }

    pub(crate) fn hr(c: &Caller) -> bool {
        c.is_hr()
    }
    pub(crate) fn chair(c: &Caller) -> bool {
        c.has(Duty::Chair)
    }
    pub(crate) fn hr_or_chair(c: &Caller) -> bool {
        c.is_hr() || c.has(Duty::Chair)
    }

    /// A position's marks: 0 to its maximum in the rule set's steps.
    pub(crate) fn scale(max_score: i16, step_hundredths: u16) -> Scale {
        Scale {
            max: u16::try_from(max_score).unwrap_or(100),
            step_hundredths,
        }
    }
}

#[server(endpoint = "marking/board")]
pub async fn marking_board(round_id: Uuid) -> Result<BoardView, AppError> {
    crate::server_support::respond(crate::scoring::service::board_view(round_id).await)
}

/// Puts a staff account (by e-mail) on the round's board with a duty. HR only.
#[server(endpoint = "marking/add_member")]
pub async fn add_board_member(round_id: Uuid, email: String, duty: String) -> Result<(), AppError> {
    crate::server_support::respond(
        crate::scoring::service::add_member(round_id, &email, &duty).await,
    )
}

#[server(endpoint = "marking/remove_member")]
pub async fn remove_board_member(
    round_id: Uuid,
    user_id: Uuid,
    duty: String,
) -> Result<(), AppError> {
    crate::server_support::respond(
        async {
            let c = caller(round_id, hr).await?;
            let duty = Duty::parse(&duty).ok_or(AppError::NotFound)?;
            crate::scoring::repo::remove_member(
                &crate::server_support::pool()?,
                round_id,
                user_id,
                duty,
            )
            .await?;
            tracing::info!(by = %c.id(), %round_id, %user_id, "board member removed");
            Ok(())
        }
        .await,
    )
}

/// Gives a marker a position's written paper or panel. HR only.
#[server(endpoint = "marking/assign")]
pub async fn assign_marker(
    round_id: Uuid,
    user_id: Uuid,
    position_id: Uuid,
    part: String,
) -> Result<(), AppError> {
    crate::server_support::respond(
        crate::scoring::service::assign(round_id, user_id, position_id, &part).await,
    )
}

#[server(endpoint = "marking/unassign")]
pub async fn unassign_marker(
    round_id: Uuid,
    user_id: Uuid,
    position_id: Uuid,
    part: String,
) -> Result<(), AppError> {
    crate::server_support::respond(
        async {
            caller(round_id, hr).await?;
            let part = crate::scoring::papers::Part::parse(&part).ok_or(AppError::NotFound)?;
            crate::scoring::repo::remove_assignment(
                &crate::server_support::pool()?,
                round_id,
                user_id,
                position_id,
                part,
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// Imports the testing system's stage-1 result file (CSV or XLSX): every row checked first,
/// nothing saved unless all are right. HR only, until the chair locks stage 1.
#[server(endpoint = "marking/import_stage1", input = MultipartFormData)]
pub async fn import_stage1(data: MultipartData) -> Result<Stage1Report, AppError> {
    crate::server_support::respond(crate::scoring::service::import_stage1(data).await)
}

/// The chair locks stage 1: its pass list decides who sits stage 2.
#[server(endpoint = "marking/lock_stage1")]
pub async fn lock_stage1(round_id: Uuid) -> Result<(), AppError> {
    crate::server_support::respond(crate::scoring::service::lock_stage1(round_id).await)
}

/// Makes a paper (with a random code for written papers) and its markers for every stage-2
/// candidate marked present who has none yet. HR or the chair; again after late attendance.
#[server(endpoint = "marking/start")]
pub async fn start_marking(round_id: Uuid) -> Result<usize, AppError> {
    crate::server_support::respond(crate::scoring::service::start_marking(round_id).await)
}

/// The chair locks stage-2 marks once every paper has its mark.
#[server(endpoint = "marking/lock")]
pub async fn lock_marking(round_id: Uuid) -> Result<(), AppError> {
    crate::server_support::respond(crate::scoring::service::lock_marking(round_id).await)
}

/// The chair decodes: codes map back to candidates and stage-2 scores are stored.
#[server(endpoint = "marking/decode")]
pub async fn decode_marking(round_id: Uuid) -> Result<usize, AppError> {
    crate::server_support::respond(crate::scoring::service::decode(round_id).await)
}

/// The signed-in staff member's marking work: their sheets, sheets to transcribe, boards chaired.
#[server(endpoint = "marking/mine")]
pub async fn my_marking() -> Result<MarkingHome, AppError> {
    crate::server_support::respond(crate::scoring::entry::marking_home().await)
}

#[cfg(feature = "ssr")]
fn marker_param(marker: &str) -> Result<Option<Uuid>, AppError> {
    match marker.trim() {
        "" => Ok(None),
        m => Uuid::parse_str(m).map(Some).map_err(|_| AppError::NotFound),
    }
}

/// One sheet to enter: the marker's own papers (codes only, never names, never the other
/// marker's mark), or — with `marker` — that marker's paper sheet for a clerk.
#[server(endpoint = "marking/sheet")]
pub async fn sheet_for_entry(
    round_id: Uuid,
    position: Uuid,
    part: String,
    #[server(default)] marker: String,
) -> Result<MarkingSheet, AppError> {
    crate::server_support::respond(
        async {
            let marker = marker_param(&marker)?;
            crate::scoring::entry::marking_sheet(round_id, position, &part, marker).await
        }
        .await,
    )
}

/// Saves one mark typed on a sheet; `version` is the one the typist saw (0 for new).
#[server(endpoint = "marking/enter")]
#[allow(clippy::too_many_arguments)]
pub async fn enter_mark(
    round_id: Uuid,
    position: Uuid,
    part: String,
    #[server(default)] marker: String,
    code: String,
    mark: String,
    #[server(default)] version: i32,
) -> Result<SaveOutcome, AppError> {
    crate::server_support::respond(
        async {
            let marker = marker_param(&marker)?;
            crate::scoring::entry::save_mark(
                round_id, position, &part, marker, &code, &mark, version,
            )
            .await
        }
        .await,
    )
}

/// A whole sheet of marks from a CSV or XLSX file (code, mark), all or nothing.
#[server(endpoint = "marking/import", input = MultipartFormData)]
pub async fn import_marks(data: MultipartData) -> Result<usize, AppError> {
    crate::server_support::respond(crate::scoring::entry::import_marks(data).await)
}

/// The chair's page: papers to decide, sheet mismatches, progress, lock and decoded scores.
/// HR sees it too, without the buttons.
#[server(endpoint = "marking/chair")]
pub async fn chair_queue(round_id: Uuid) -> Result<ChairView, AppError> {
    crate::server_support::respond(crate::scoring::entry::chair_view(round_id).await)
}

/// The chair hands a paper whose two marks are too far apart to a third marker.
#[server(endpoint = "marking/third_marker")]
pub async fn assign_third_marker(round_id: Uuid, paper_id: Uuid) -> Result<String, AppError> {
    crate::server_support::respond(
        crate::scoring::entry::assign_third_marker(round_id, paper_id).await,
    )
}

#[server(endpoint = "marking/decide")]
pub async fn decide_paper(
    round_id: Uuid,
    paper_id: Uuid,
    mark: String,
    reason: String,
    #[server(default)] version: i32,
) -> Result<SaveOutcome, AppError> {
    crate::server_support::respond(
        crate::scoring::entry::decide_paper(round_id, paper_id, &mark, &reason, version).await,
    )
}

#[server(endpoint = "marking/resolve")]
pub async fn resolve_mismatch(
    round_id: Uuid,
    paper_id: Uuid,
    marker_id: Uuid,
    mark: String,
    reason: String,
) -> Result<(), AppError> {
    crate::server_support::respond(
        crate::scoring::entry::resolve_mismatch(round_id, paper_id, marker_id, &mark, &reason)
            .await,
    )
}

/// Every mark a paper ever had (chair and HR).
#[server(endpoint = "marking/paper")]
pub async fn paper_history(paper_id: Uuid) -> Result<PaperAudit, AppError> {
    crate::server_support::respond(crate::scoring::entry::paper_audit(paper_id).await)
}

/// A paper's history by its code within a round (chair and HR).
#[server(endpoint = "marking/paper_by_code")]
pub async fn paper_history_by_code(round_id: Uuid, code: String) -> Result<PaperAudit, AppError> {
    crate::server_support::respond(
        crate::scoring::entry::paper_audit_by_code(round_id, &code).await,
    )
}
