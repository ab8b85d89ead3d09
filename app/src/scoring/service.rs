//! The marking board's work behind the server functions: setting the board up, stage-1
//! results, starting, locking and decoding stage 2. Callers are checked first, every change
//! is audited in the same transaction.

use crate::error::{AppError, FieldError};
use crate::i18n::Msg;
use crate::rounds::positions::{ImportProblems, Stage2Format};
use crate::rounds::rules::RuleParams;
use crate::scheduling::allocation::format_candidate_number;
use crate::scoring::api::{caller, chair, hr, hr_or_chair, scale, Caller};
use crate::scoring::marks::MarkingRule;
use crate::scoring::marks::{Mark, Scale};
use crate::scoring::papers::{
    paper_state, share_papers, stage2_score, Part, CODE_ALPHABET, CODE_LENGTH,
};
use crate::scoring::repo::{self, AuditEntry, PaperMarks, PositionRow};
use crate::scoring::types::*;
use crate::server_support::{now, pool};
use leptos::server_fn::codec::MultipartData;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub(crate) fn format_of(p: &PositionRow) -> Stage2Format {
    Stage2Format::parse(
        &p.stage2_format,
        p.written_percent.and_then(|w| u8::try_from(w).ok()),
    )
    .unwrap_or(Stage2Format::Written)
}

pub(crate) fn stage_state(row: &repo::StageRow) -> StageState {
    let f = |t: Option<time::OffsetDateTime>| t.map(crate::rounds::types::format_datetime_vn);
    StageState {
        started_at: f(row.started_at),
        locked_at: f(row.locked_at),
        decoded_at: f(row.decoded_at),
    }
}

/// Where each paper stands, by the round's rules.
pub(crate) fn states<'a>(
    papers: &'a [PaperMarks],
    scales: &HashMap<Uuid, Scale>,
    rule: MarkingRule,
) -> impl Iterator<Item = (&'a PaperMarks, crate::scoring::papers::PaperState)> + 'a {
    let scales = scales.clone();
    papers.iter().map(move |p| {
        let marks: Vec<Option<Mark>> = p.marks.iter().map(|(_, m)| *m).collect();
        let scale = scales
            .get(&p.position_id)
            .copied()
            .unwrap_or(Scale::new(100));
        let state = paper_state(p.part, &marks, p.chair.as_ref().map(|c| c.0), scale, rule);
        (p, state)
    })
}

pub(crate) fn scales(positions: &[PositionRow], step: u16) -> HashMap<Uuid, Scale> {
    positions
        .iter()
        .map(|p| (p.id, scale(p.max_score, step)))
        .collect()
}

/// Progress per position and part.
pub(crate) fn progress(
    papers: &[PaperMarks],
    mismatches: &[Mismatch],
    scales: &HashMap<Uuid, Scale>,
    rule: MarkingRule,
) -> Vec<PartProgress> {
    let mut out: Vec<PartProgress> = Vec::new();
    for (paper, state) in states(papers, scales, rule) {
        if out
            .last()
            .is_none_or(|p| p.position_code != paper.position_code || p.part != paper.part)
        {
            out.push(PartProgress {
                position_code: paper.position_code.clone(),
                part: paper.part,
                papers: 0,
                complete: 0,
                to_chair: 0,
                mismatches: 0,
            });
        }
        let Some(row) = out.last_mut() else { continue };
        row.papers += 1;
        row.complete += i64::from(state.final_mark().is_some());
        row.to_chair += i64::from(matches!(
            state,
            crate::scoring::papers::PaperState::ToChair { .. }
                | crate::scoring::papers::PaperState::NeedsThirdMarker { .. }
        ));
        row.mismatches += mismatches
            .iter()
            .filter(|m| m.paper_id == paper.paper_id)
            .count() as i64;
    }
    out
}

pub async fn board_view(round_id: Uuid) -> Result<BoardView, AppError> {
    let c = caller(round_id, hr_or_chair).await?;
    let pool = pool()?;
    let positions = repo::positions(&pool, round_id).await?;
    let mut conn = pool.acquire().await?;
    let stage1 = repo::stage(&mut conn, round_id, 1).await?;
    let stage2 = repo::stage(&mut conn, round_id, 2).await?;
    let papers = repo::paper_marks(&mut conn, round_id, None).await?;
    let mismatches = repo::mismatches(&mut conn, round_id).await?;
    let (results, passed, missing) = repo::stage1_counts(&pool, round_id).await?;
    let rule = c.params.marking_rule();
    Ok(BoardView {
        round_id,
        round_name: c.round.name.clone(),
        members: repo::members(&pool, round_id).await?,
        assignments: repo::assignments(&pool, round_id).await?,
        stage1: Stage1Summary {
            results,
            passed,
            present_without_result: missing,
            locked_at: stage_state(&stage1).locked_at,
        },
        stage2: stage_state(&stage2),
        progress: progress(
            &papers,
            &mismatches,
            &scales(&positions, c.params.mark_step_hundredths),
            rule,
        ),
        positions: positions
            .iter()
            .map(|p| MarkedPosition {
                id: p.id,
                code: p.code.clone(),
                title: p.title.clone(),
                parts: Part::of(format_of(p)).to_vec(),
            })
            .collect(),
        can_edit: c.is_hr(),
        is_chair: c.has(Duty::Chair),
    })
}

pub async fn add_member(round_id: Uuid, email: &str, duty: &str) -> Result<(), AppError> {
    let c = caller(round_id, hr).await?;
    let duty = Duty::parse(duty).ok_or_else(|| AppError::field("duty", Msg::ErrRequired))?;
    let email =
        crate::accounts::types::Email::parse(email).map_err(|m| AppError::field("email", m))?;
    let pool = pool()?;
    let (user_id, roles) = repo::account_by_email(&pool, email.as_str())
        .await?
        .ok_or_else(|| AppError::field("email", Msg::ErrNotABoardMember))?;
    let has = |role: &str| roles.iter().any(|r| r == role);
    let fits = match duty {
        Duty::Chair => has("board_chair"),
        Duty::Marker | Duty::Appeal => has("marker") || has("board_chair"),
        Duty::Clerk => has("marker") || has("hr_officer"),
    };
    if !fits {
        return Err(AppError::field("email", Msg::ErrDutyNeedsRole));
    }
    if !repo::add_member(&pool, round_id, user_id, duty, c.id()).await? {
        return Err(AppError::field("email", Msg::ErrAssignmentTaken));
    }
    Ok(())
}

pub async fn assign(
    round_id: Uuid,
    user_id: Uuid,
    position_id: Uuid,
    part: &str,
) -> Result<(), AppError> {
    let c = caller(round_id, hr).await?;
    let part = Part::parse(part).ok_or_else(|| AppError::field("part", Msg::ErrRequired))?;
    let pool = pool()?;
    let members = repo::members(&pool, round_id).await?;
    if !members
        .iter()
        .any(|m| m.user_id == user_id && m.duty == Duty::Marker)
    {
        return Err(AppError::field("user_id", Msg::ErrNotABoardMember));
    }
    let position = repo::positions(&pool, round_id)
        .await?
        .into_iter()
        .find(|p| p.id == position_id)
        .ok_or_else(|| AppError::field("position_id", Msg::ErrRequired))?;
    if !Part::of(format_of(&position)).contains(&part) {
        return Err(AppError::field("part", Msg::ErrRequired));
    }
    if !repo::add_assignment(&pool, round_id, user_id, position_id, part, c.id()).await? {
        return Err(AppError::field("user_id", Msg::ErrAssignmentTaken));
    }
    Ok(())
}

/// Candidate numbers of a stage's seated candidates → (application, attendance).
async fn numbered(
    conn: &mut PgConnection,
    c: &Caller,
    round_id: Uuid,
    stage: i16,
) -> Result<HashMap<String, (Uuid, Option<String>)>, sqlx::Error> {
    Ok(repo::seated_candidates(conn, round_id, stage)
        .await?
        .into_iter()
        .filter_map(|s| {
            let number = format_candidate_number(&c.round.prefix, u32::try_from(s.number?).ok()?);
            Some((number, (s.application_id, s.attendance)))
        })
        .collect())
}

pub async fn import_stage1(data: MultipartData) -> Result<Stage1Report, AppError> {
    // Signed-in staff only, before the file is even read.
    crate::accounts::service::require_role(&[crate::accounts::types::Role::HrOfficer]).await?;
    let upload = crate::rounds::files::read_upload(data).await?;
    let round_id = upload.round_id.ok_or(AppError::NotFound)?;
    let c = caller(round_id, hr).await?;
    let lines = crate::scoring::files::parse_stage1(&upload.rows).map_err(AppError::Import)?;
    let mut tx = pool()?.begin().await?;
    if repo::stage_for_update(&mut tx, round_id, 1)
        .await?
        .locked_at
        .is_some()
    {
        return Err(AppError::field("file", Msg::ErrStage1Locked));
    }
    let candidates = numbered(&mut tx, &c, round_id, 1).await?;
    let pass = c.params.stage1_pass_percent;
    let mut errors = ImportProblems::default();
    let mut rows = Vec::new();
    for line in &lines {
        match candidates.get(&line.candidate_number) {
            None => errors.add(line.row, "số báo danh", Msg::ErrCandidateNumberUnknown),
            Some((_, attendance)) if attendance.as_deref() != Some("present") => {
                errors.add(line.row, "số báo danh", Msg::ErrAbsentNoResult)
            }
            Some((application_id, _)) => rows.push(repo::Stage1Row {
                application_id: *application_id,
                line,
                passed: line.passes(pass),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Import(errors));
    }
    let at = now();
    repo::save_stage1(&mut tx, round_id, &rows, &upload.file_name, c.id(), at).await?;
    let passed = rows.iter().filter(|r| r.passed).count();
    let reason = format!("{} ({} / {passed})", upload.file_name, rows.len());
    repo::audit(
        &mut tx,
        c.id(),
        at,
        AuditEntry {
            round_id,
            paper_id: None,
            marker_id: None,
            action: "stage1_imported",
            old: None,
            new: None,
            reason: Some(&reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Stage1Report {
        imported: rows.len(),
        passed,
    })
}

pub async fn lock_stage1(round_id: Uuid) -> Result<(), AppError> {
    let c = caller(round_id, chair).await?;
    let mut tx = pool()?.begin().await?;
    if repo::stage_for_update(&mut tx, round_id, 1)
        .await?
        .locked_at
        .is_some()
    {
        return Err(AppError::field("lock", Msg::ErrStage1Locked));
    }
    if repo::stage1_counts(&pool()?, round_id).await?.0 == 0 {
        return Err(AppError::field("lock", Msg::ErrNoStage1Results));
    }
    let at = now();
    repo::set_stage_time(&mut tx, round_id, 1, "locked", at, c.id()).await?;
    repo::audit(&mut tx, c.id(), at, lifecycle(round_id, "stage1_locked")).await?;
    tx.commit().await?;
    Ok(())
}

fn lifecycle(round_id: Uuid, action: &str) -> AuditEntry<'_> {
    AuditEntry {
        round_id,
        paper_id: None,
        marker_id: None,
        action,
        old: None,
        new: None,
        reason: None,
    }
}

pub(crate) fn random_code(taken: &mut HashSet<String>) -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    loop {
        let code: String = (0..CODE_LENGTH)
            .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
            .collect();
        if taken.insert(code.clone()) {
            return code;
        }
    }
}

pub async fn start_marking(round_id: Uuid) -> Result<usize, AppError> {
    let c = caller(round_id, hr_or_chair).await?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    let made = make_papers(&mut tx, &pool, round_id, &c.round.prefix, c.id(), now()).await?;
    tx.commit().await?;
    Ok(made)
}

/// Makes the papers of every stage-2 candidate marked present who has none yet, inside the
/// caller's transaction (the demo seed uses it too): written papers under random codes with
/// two unrelated markers each, panel papers under the candidate number with every unrelated
/// panel member. Refused as a whole when anyone lacks an attendance mark or a paper cannot
/// get enough markers.
pub async fn make_papers(
    tx: &mut PgConnection,
    pool: &sqlx::PgPool,
    round_id: Uuid,
    prefix: &str,
    actor: Uuid,
    at: time::OffsetDateTime,
) -> Result<usize, AppError> {
    if repo::stage_for_update(&mut *tx, round_id, 2)
        .await?
        .locked_at
        .is_some()
    {
        return Err(AppError::field("start", Msg::ErrMarkingLocked));
    }
    let candidates = repo::seated_candidates(&mut *tx, round_id, 2).await?;
    if candidates.iter().any(|s| s.attendance.is_none()) {
        return Err(AppError::field("start", Msg::ErrAttendanceMissing));
    }
    let positions: HashMap<Uuid, PositionRow> = repo::positions(pool, round_id)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut markers: HashMap<(Uuid, Part), Vec<Uuid>> = HashMap::new();
    for a in repo::assignments(pool, round_id).await? {
        markers
            .entry((a.position_id, a.part))
            .or_default()
            .push(a.user_id);
    }
    let conflicts = repo::conflicts(&mut *tx, round_id).await?;
    let mut codes: HashSet<String> = repo::existing_codes(&mut *tx, round_id)
        .await?
        .into_iter()
        .collect();
    let mut new_papers = Vec::new();
    let mut short = Vec::new();
    for part in [Part::Written, Part::Panel] {
        let done: HashSet<Uuid> = repo::papered(&mut *tx, round_id, part)
            .await?
            .into_iter()
            .collect();
        // Position by position, in a stable order, so sharing is reproducible.
        let mut by_position: Vec<(&PositionRow, Vec<&repo::StageCandidate>)> = Vec::new();
        for position in positions.values() {
            if !Part::of(format_of(position)).contains(&part) {
                continue;
            }
            let mut waiting: Vec<&repo::StageCandidate> = candidates
                .iter()
                .filter(|s| s.position_id == position.id)
                .filter(|s| s.attendance.as_deref() == Some("present"))
                .filter(|s| !done.contains(&s.application_id))
                .collect();
            waiting.sort_by_key(|s| (s.number, s.application_id));
            if !waiting.is_empty() {
                by_position.push((position, waiting));
            }
        }
        by_position.sort_by(|a, b| a.0.code.cmp(&b.0.code));
        for (position, waiting) in by_position {
            let team = markers
                .get(&(position.id, part))
                .cloned()
                .unwrap_or_default();
            let related: Vec<Vec<usize>> = waiting
                .iter()
                .map(|s| {
                    let staff = conflicts.get(&s.application_id);
                    team.iter()
                        .enumerate()
                        .filter(|(_, m)| staff.is_some_and(|list| list.contains(m)))
                        .map(|(i, _)| i)
                        .collect()
                })
                .collect();
            match share_papers(part, team.len(), &related) {
                Err(count) => short.push(FieldError {
                    field: format!("{} · {} ({count})", position.code, part.as_str()),
                    msg: Msg::ErrMarkersShort,
                }),
                Ok(shares) => {
                    for (candidate, share) in waiting.into_iter().zip(shares) {
                        let code = match (part, candidate.number) {
                            (Part::Panel, Some(n)) => format_candidate_number(prefix, n as u32),
                            _ => random_code(&mut codes),
                        };
                        new_papers.push(repo::NewPaper {
                            application_id: candidate.application_id,
                            position_id: position.id,
                            part,
                            code,
                            markers: share.into_iter().map(|i| team[i]).collect(),
                        });
                    }
                }
            }
        }
    }
    if !short.is_empty() {
        return Err(AppError::Invalid(short));
    }
    if new_papers.is_empty() {
        // Nothing new: fine once marking has papers, refused before.
        return if codes.is_empty() {
            Err(AppError::field("start", Msg::ErrNothingToMark))
        } else {
            Ok(0)
        };
    }
    repo::create_papers(&mut *tx, round_id, &new_papers).await?;
    repo::set_stage_time(&mut *tx, round_id, 2, "started", at, actor).await?;
    let count = new_papers.len().to_string();
    repo::audit(
        &mut *tx,
        actor,
        at,
        AuditEntry {
            reason: Some(&count),
            ..lifecycle(round_id, "marking_started")
        },
    )
    .await?;
    Ok(new_papers.len())
}

/// True when every paper has its final mark and no sheet is mismatched.
pub(crate) async fn ready_to_lock(
    conn: &mut PgConnection,
    params: &RuleParams,
    round_id: Uuid,
    positions: &[PositionRow],
) -> Result<bool, sqlx::Error> {
    let papers = repo::paper_marks(conn, round_id, None).await?;
    let mismatches = repo::mismatches(conn, round_id).await?;
    let rule = params.marking_rule();
    Ok(!papers.is_empty()
        && mismatches.is_empty()
        && states(
            &papers,
            &scales(positions, params.mark_step_hundredths),
            rule,
        )
        .all(|(_, s)| s.final_mark().is_some()))
}

pub async fn lock_marking(round_id: Uuid) -> Result<(), AppError> {
    let c = caller(round_id, chair).await?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    lock_papers(&mut tx, &pool, round_id, &c.params, c.id(), now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Locks stage 2's marks inside the caller's transaction (the demo seed uses it too): refused
/// before marking started, once locked, and while a paper lacks its final mark or a sheet is
/// mismatched.
pub async fn lock_papers(
    tx: &mut PgConnection,
    pool: &sqlx::PgPool,
    round_id: Uuid,
    params: &RuleParams,
    actor: Uuid,
    at: time::OffsetDateTime,
) -> Result<(), AppError> {
    let positions = repo::positions(pool, round_id).await?;
    let stage = repo::stage_for_update(&mut *tx, round_id, 2).await?;
    if stage.started_at.is_none() {
        return Err(AppError::field("lock", Msg::ErrMarkingNotStarted));
    }
    if stage.locked_at.is_some() {
        return Err(AppError::field("lock", Msg::ErrMarkingLocked));
    }
    if !ready_to_lock(&mut *tx, params, round_id, &positions).await? {
        return Err(AppError::field("lock", Msg::ErrLockBlocked));
    }
    repo::set_stage_time(&mut *tx, round_id, 2, "locked", at, actor).await?;
    repo::audit(&mut *tx, actor, at, lifecycle(round_id, "locked")).await?;
    Ok(())
}

pub async fn decode(round_id: Uuid) -> Result<usize, AppError> {
    let c = caller(round_id, chair).await?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    let decoded = decode_papers(&mut tx, &pool, round_id, &c.params, c.id(), now()).await?;
    tx.commit().await?;
    Ok(decoded)
}

/// Decodes the locked marks inside the caller's transaction (the demo seed uses it too): each
/// paper's final mark goes to its owner, and each candidate's stage-2 score is saved. Returns
/// how many candidates got a score (none when already decoded).
pub async fn decode_papers(
    tx: &mut PgConnection,
    pool: &sqlx::PgPool,
    round_id: Uuid,
    params: &RuleParams,
    actor: Uuid,
    at: time::OffsetDateTime,
) -> Result<usize, AppError> {
    let positions = repo::positions(pool, round_id).await?;
    let stage = repo::stage_for_update(&mut *tx, round_id, 2).await?;
    if stage.locked_at.is_none() {
        return Err(AppError::field("decode", Msg::ErrNotLocked));
    }
    if stage.decoded_at.is_some() {
        return Ok(0);
    }
    let papers = repo::paper_marks(&mut *tx, round_id, None).await?;
    let owners: HashMap<Uuid, Uuid> = repo::identities(&mut *tx, round_id)
        .await?
        .into_iter()
        .map(|i| (i.paper_id, i.application_id))
        .collect();
    let rule = params.marking_rule();
    let scale_of = scales(&positions, params.mark_step_hundredths);
    // application → (position, written, panel)
    let mut parts: HashMap<Uuid, (Uuid, Option<Mark>, Option<Mark>)> = HashMap::new();
    for (paper, state) in states(&papers, &scale_of, rule) {
        let Some(owner) = owners.get(&paper.paper_id) else {
            continue;
        };
        let entry = parts
            .entry(*owner)
            .or_insert((paper.position_id, None, None));
        match paper.part {
            Part::Written => entry.1 = state.final_mark(),
            Part::Panel => entry.2 = state.final_mark(),
        }
    }
    let formats: HashMap<Uuid, (Stage2Format, Scale)> = positions
        .iter()
        .map(|p| {
            (
                p.id,
                (
                    format_of(p),
                    scale(p.max_score, params.mark_step_hundredths),
                ),
            )
        })
        .collect();
    let mut rows: Vec<repo::ScoreRow> = parts
        .into_iter()
        .filter_map(|(application_id, (position, written, panel))| {
            let (format, scale) = formats.get(&position)?;
            Some(repo::ScoreRow {
                application_id,
                written,
                panel,
                score: stage2_score(*format, written, panel, *scale)?,
            })
        })
        .collect();
    rows.sort_by_key(|r| r.application_id);
    repo::save_scores(&mut *tx, round_id, &rows, at).await?;
    repo::set_stage_time(&mut *tx, round_id, 2, "decoded", at, actor).await?;
    let count = rows.len().to_string();
    repo::audit(
        &mut *tx,
        actor,
        at,
        AuditEntry {
            reason: Some(&count),
            ..lifecycle(round_id, "decoded")
        },
    )
    .await?;
    Ok(rows.len())
}
