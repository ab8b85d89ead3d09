//! Entering marks: a marker's own sheet, a clerk's blind double entry of a paper sheet, a
//! whole sheet from a file, and the chair's decisions and mismatch resolutions. Every write
//! checks the version it was based on (the loser of a race gets the current value back,
//! nothing is overwritten) and is audited in the same transaction.

use crate::accounts::{service::require_role, types::Role};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::rounds::positions::ImportProblems;
use crate::scheduling::allocation::format_candidate_number;
use crate::scoring::api::{caller, chair, hr_or_chair, scale, Caller};
use crate::scoring::marks::{Mark, Scale};
use crate::scoring::papers::{normalise_code, PaperState, Part};
use crate::scoring::repo::{self, AuditEntry};
use crate::scoring::service::{progress, ready_to_lock, scales, stage_state, states};
use crate::scoring::types::*;
use crate::server_support::{now, pool};
use leptos::server_fn::codec::MultipartData;
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn marking_home() -> Result<MarkingHome, AppError> {
    let user = require_role(&[Role::Marker, Role::BoardChair, Role::HrOfficer]).await?;
    let pool = pool()?;
    Ok(MarkingHome {
        own: repo::sheets(&pool, user.id, false).await?,
        transcribe: repo::sheets(&pool, user.id, true)
            .await?
            .into_iter()
            .filter(|s| s.marker_id != user.id)
            .collect(),
        chaired: if user.has_role(Role::BoardChair) {
            repo::chaired_rounds(&pool, user.id).await?
        } else {
            Vec::new()
        },
    })
}

/// Whose sheet is being entered, and by whom.
struct Target {
    part: Part,
    marker_id: Uuid,
    /// Set when a clerk transcribes the marker's paper sheet.
    clerk: Option<Uuid>,
    scale: Scale,
    position_code: String,
    position_title: String,
}

/// A marker enters their own sheet; a clerk another marker's.
async fn sheet_caller(
    round_id: Uuid,
    position_id: Uuid,
    part: &str,
    marker: Option<Uuid>,
) -> Result<(Caller, Target), AppError> {
    let c = caller(round_id, |c| match marker {
        None => c.has(Duty::Marker),
        Some(m) => c.has(Duty::Clerk) && m != c.id(),
    })
    .await?;
    let part = Part::parse(part).ok_or(AppError::NotFound)?;
    let position = repo::positions(&pool()?, round_id)
        .await?
        .into_iter()
        .find(|p| p.id == position_id)
        .ok_or(AppError::NotFound)?;
    let target = Target {
        part,
        marker_id: marker.unwrap_or(c.id()),
        clerk: marker.map(|_| c.id()),
        scale: scale(position.max_score, c.params.mark_step_hundredths),
        position_code: position.code,
        position_title: position.title,
    };
    Ok((c, target))
}

pub async fn marking_sheet(
    round_id: Uuid,
    position_id: Uuid,
    part: &str,
    marker: Option<Uuid>,
) -> Result<MarkingSheet, AppError> {
    let (c, t) = sheet_caller(round_id, position_id, part, marker).await?;
    let pool = pool()?;
    let rows = repo::sheet_rows(&pool, position_id, t.part, t.marker_id, t.clerk).await?;
    if rows.is_empty() {
        // Not this marker's papers: the same answer as any other refusal.
        return Err(AppError::Forbidden);
    }
    let marker_name = match marker {
        None => c.user.full_name.clone(),
        Some(id) => repo::marker_names(&pool, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default(),
    };
    let mut conn = pool.acquire().await?;
    let locked = repo::stage(&mut conn, round_id, 2)
        .await?
        .locked_at
        .is_some();
    Ok(MarkingSheet {
        sheet: SheetRef {
            round_id,
            round_name: c.round.name.clone(),
            position_id,
            position_code: t.position_code,
            position_title: t.position_title,
            part: t.part,
            marker_id: t.marker_id,
            marker_name,
            papers: rows.len() as i64,
            entered: rows.iter().filter(|r| r.mark.is_some()).count() as i64,
        },
        scale: t.scale,
        rows,
        locked,
        transcribing: t.clerk.is_some(),
    })
}

/// Marks may be written while the stage is started and not locked. Holds a share lock on
/// the stage row, so the chair's lock waits for entries in flight and the reverse.
async fn open_for_marks(conn: &mut PgConnection, round_id: Uuid) -> Result<(), AppError> {
    let row = sqlx::query!(
        "select started_at, locked_at from marking_stages
         where round_id = $1 and stage = 2 for share",
        round_id
    )
    .fetch_optional(conn)
    .await?;
    match row {
        Some(r) if r.locked_at.is_some() => Err(AppError::field("mark", Msg::ErrMarkingLocked)),
        Some(r) if r.started_at.is_some() => Ok(()),
        _ => Err(AppError::field("mark", Msg::ErrMarkingNotStarted)),
    }
}

fn entry<'a>(round_id: Uuid, paper_id: Uuid, marker_id: Uuid, action: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        round_id,
        paper_id: Some(paper_id),
        marker_id: Some(marker_id),
        action,
        old: None,
        new: None,
        reason: None,
    }
}

/// Sets the mark of (paper, marker) if still at `expected`; audits; withdraws a chair's
/// decision that no longer applies.
#[allow(clippy::too_many_arguments)]
async fn set_mark(
    conn: &mut PgConnection,
    round_id: Uuid,
    paper_id: Uuid,
    marker_id: Uuid,
    value: Mark,
    expected: Option<i32>,
    actor: Uuid,
    action: &str,
    reason: Option<&str>,
) -> Result<SaveOutcome, AppError> {
    let (current, version) = repo::current_mark(conn, paper_id, marker_id).await?;
    let expected = expected.unwrap_or(version);
    if expected != version {
        return Ok(SaveOutcome::Conflict { current, version });
    }
    if current == Some(value) {
        return Ok(SaveOutcome::Saved {
            mark: value,
            version,
        });
    }
    let at = now();
    let Some(new_version) =
        repo::write_mark(conn, paper_id, marker_id, value, expected, actor, at).await?
    else {
        let (current, version) = repo::current_mark(conn, paper_id, marker_id).await?;
        return Ok(SaveOutcome::Conflict { current, version });
    };
    let action = match (action, current) {
        ("entered", Some(_)) => "changed",
        (action, _) => action,
    };
    repo::audit(
        conn,
        actor,
        at,
        AuditEntry {
            old: current,
            new: Some(value),
            reason,
            ..entry(round_id, paper_id, marker_id, action)
        },
    )
    .await?;
    if current.is_some() {
        if let Some(old) = repo::withdraw_decision(conn, paper_id).await? {
            repo::audit(
                conn,
                actor,
                at,
                AuditEntry {
                    old: Some(old),
                    ..entry(round_id, paper_id, marker_id, "decision_withdrawn")
                },
            )
            .await?;
        }
    }
    Ok(SaveOutcome::Saved {
        mark: value,
        version: new_version,
    })
}

/// A clerk's entry of a sheet mark; when both entries are in and agree, the mark is set.
async fn set_entry(
    conn: &mut PgConnection,
    round_id: Uuid,
    paper_id: Uuid,
    marker_id: Uuid,
    clerk: Uuid,
    value: Mark,
    expected: Option<i32>,
) -> Result<SaveOutcome, AppError> {
    let entries = repo::entries(conn, paper_id, marker_id).await?;
    let mine = entries.iter().find(|e| e.1 == clerk);
    let number = match mine {
        Some(e) => e.0,
        None if !entries.iter().any(|e| e.0 == 1) => 1,
        None if !entries.iter().any(|e| e.0 == 2) => 2,
        None => return Err(AppError::field("code", Msg::ErrSheetEnteredTwice)),
    };
    let (current, version) = mine.map_or((None, 0), |e| (Some(e.2), e.3));
    let expected = expected.unwrap_or(version);
    if expected != version {
        return Ok(SaveOutcome::Conflict { current, version });
    }
    if current == Some(value) {
        return Ok(SaveOutcome::Saved {
            mark: value,
            version,
        });
    }
    let at = now();
    let Some(new_version) = repo::write_entry(
        conn, paper_id, marker_id, number, value, expected, clerk, at,
    )
    .await?
    else {
        return Ok(SaveOutcome::Conflict { current, version });
    };
    let action = if number == 1 {
        "sheet_entry_1"
    } else {
        "sheet_entry_2"
    };
    repo::audit(
        conn,
        clerk,
        at,
        AuditEntry {
            old: current,
            new: Some(value),
            ..entry(round_id, paper_id, marker_id, action)
        },
    )
    .await?;
    let entries = repo::entries(conn, paper_id, marker_id).await?;
    if let [first, second] = entries.as_slice() {
        // A mark written another way (the marker's own entry, a file, the chair) is never
        // replaced by a transcription: it stays, and the chair settles the difference.
        let author = repo::mark_author(conn, paper_id, marker_id).await?;
        let transcribed = author.is_none_or(|(a, _)| a == first.1 || a == second.1);
        if first.2 == second.2 && transcribed {
            set_mark(
                conn,
                round_id,
                paper_id,
                marker_id,
                first.2,
                Some(author.map_or(0, |(_, version)| version)),
                clerk,
                "transcribed",
                None,
            )
            .await?;
        }
    }
    Ok(SaveOutcome::Saved {
        mark: value,
        version: new_version,
    })
}

/// One mark typed on a sheet: `version` is the one the typist saw (0 for a new mark).
pub async fn save_mark(
    round_id: Uuid,
    position_id: Uuid,
    part: &str,
    marker: Option<Uuid>,
    code: &str,
    mark: &str,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    let (_, t) = sheet_caller(round_id, position_id, part, marker).await?;
    let value = Mark::parse(mark, t.scale).map_err(|m| AppError::field("mark", m))?;
    let mut tx = pool()?.begin().await?;
    open_for_marks(&mut tx, round_id).await?;
    let paper = repo::paper_on_sheet(
        &mut tx,
        position_id,
        t.part,
        t.marker_id,
        &normalise_code(code),
    )
    .await?
    .ok_or_else(|| AppError::field("code", Msg::ErrCodeNotOnSheet))?;
    let outcome = match t.clerk {
        None => {
            set_mark(
                &mut tx,
                round_id,
                paper.paper_id,
                t.marker_id,
                value,
                Some(version),
                t.marker_id,
                "entered",
                None,
            )
            .await?
        }
        Some(clerk) => {
            set_entry(
                &mut tx,
                round_id,
                paper.paper_id,
                t.marker_id,
                clerk,
                value,
                Some(version),
            )
            .await?
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// A whole sheet from a file (code, mark): every row checked first — format, range, step,
/// codes on this sheet — and nothing saved unless all are right.
pub async fn import_marks(data: MultipartData) -> Result<usize, AppError> {
    // Signed-in staff only, before the file is even read.
    require_role(&[Role::Marker, Role::BoardChair, Role::HrOfficer]).await?;
    let upload = crate::rounds::files::read_upload(data).await?;
    let field = |name: &str| upload.fields.get(name).map(String::as_str).unwrap_or("");
    let round_id = upload.round_id.ok_or(AppError::NotFound)?;
    let position_id = Uuid::parse_str(field("position")).map_err(|_| AppError::NotFound)?;
    let marker = match field("marker") {
        "" => None,
        m => Some(Uuid::parse_str(m).map_err(|_| AppError::NotFound)?),
    };
    let (_, t) = sheet_caller(round_id, position_id, field("part"), marker).await?;
    let lines =
        crate::scoring::files::parse_marks(&upload.rows, t.scale).map_err(AppError::Import)?;
    let mut tx = pool()?.begin().await?;
    open_for_marks(&mut tx, round_id).await?;
    let codes: Vec<String> = lines.iter().map(|l| l.code.clone()).collect();
    let on_sheet = repo::papers_on_sheet(&mut tx, position_id, t.part, t.marker_id, &codes).await?;
    let mut papers = Vec::with_capacity(lines.len());
    let mut errors = ImportProblems::default();
    for line in &lines {
        match on_sheet.get(&line.code) {
            Some(&paper) => papers.push((paper, line.mark)),
            None => errors.add(line.row, "mã phách", Msg::ErrCodeNotOnSheet),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Import(errors));
    }
    let reason = upload.file_name.clone();
    match t.clerk {
        None => import_own_marks(&mut tx, round_id, t.marker_id, &papers, &reason).await?,
        Some(clerk) => {
            for (paper_id, value) in &papers {
                set_entry(
                    &mut tx,
                    round_id,
                    *paper_id,
                    t.marker_id,
                    clerk,
                    *value,
                    None,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(papers.len())
}

/// A marker's own sheet from a file, in a handful of statements however long it is — what
/// saving each mark in turn does: new marks inserted, changed ones moved to their next
/// version, each change audited as "imported" with the file's name, and a chair's decision on
/// a paper whose mark changed withdrawn. Someone saving a mark of this sheet meanwhile makes
/// the whole import stop: nothing is imported, and the marker is told to import again.
async fn import_own_marks(
    conn: &mut PgConnection,
    round_id: Uuid,
    marker: Uuid,
    papers: &[(Uuid, Mark)],
    file_name: &str,
) -> Result<(), AppError> {
    let ids: Vec<Uuid> = papers.iter().map(|p| p.0).collect();
    let current = repo::current_marks(conn, marker, &ids).await?;
    let mut new = Vec::new();
    let mut changed = Vec::new();
    let mut audit = Vec::new();
    for &(paper, value) in papers {
        match current.get(&paper) {
            None => new.push((paper, value)),
            Some(&old) if old != value => changed.push((paper, value)),
            Some(_) => continue,
        }
        audit.push((paper, "imported", current.get(&paper).copied(), Some(value)));
    }
    let at = now();
    if repo::insert_marks(conn, marker, &new, at).await? != new.len() as u64 {
        return Err(AppError::field("file", Msg::ErrImportRaced));
    }
    repo::update_marks(conn, marker, &changed, at).await?;
    let changed_ids: Vec<Uuid> = changed.iter().map(|c| c.0).collect();
    for (paper, old) in repo::withdraw_decisions(conn, &changed_ids).await? {
        audit.push((paper, "decision_withdrawn", Some(old), None));
    }
    repo::audit_many(conn, round_id, marker, &audit, Some(file_name), marker, at).await?;
    Ok(())
}

pub async fn chair_view(round_id: Uuid) -> Result<ChairView, AppError> {
    let c = caller(round_id, hr_or_chair).await?;
    let pool = pool()?;
    let positions = repo::positions(&pool, round_id).await?;
    let mut conn = pool.acquire().await?;
    let stage = repo::stage(&mut conn, round_id, 2).await?;
    let papers = repo::paper_marks(&mut conn, round_id, None).await?;
    let mismatches = repo::mismatches(&mut conn, round_id).await?;
    let rule = c.params.marking_rule();
    let scale_of = scales(&positions, c.params.mark_step_hundredths);
    let disputed = states(&papers, &scale_of, rule)
        .filter_map(|(p, state)| {
            let marks: Vec<Mark> = p.marks.iter().filter_map(|(_, m)| *m).collect();
            let spread = |ms: &[Mark]| {
                let high = ms.iter().map(|m| m.hundredths()).max().unwrap_or(0);
                let low = ms.iter().map(|m| m.hundredths()).min().unwrap_or(0);
                Mark::from_hundredths(high - low)
            };
            let gap = match p.part {
                Part::Written => spread(&marks[..marks.len().min(2)]),
                Part::Panel => spread(&marks),
            };
            let kind = match (state, p.part) {
                (PaperState::NeedsThirdMarker { .. }, _) => DisputeKind::ThirdMarker,
                (PaperState::Majority(_), _) => DisputeKind::Majority,
                (PaperState::ToChair { .. } | PaperState::Decided(_), Part::Panel) => {
                    DisputeKind::PanelSpread
                }
                (PaperState::ToChair { .. } | PaperState::Decided(_), Part::Written) => {
                    DisputeKind::Gap
                }
                // A paper waiting for its third marker stays on the chair's list.
                (PaperState::Waiting { .. }, Part::Written) if p.marks.len() > 2 => {
                    DisputeKind::ThirdMarker
                }
                _ => return None,
            };
            Some(ChairPaper {
                paper_id: p.paper_id,
                code: p.code.clone(),
                position_code: p.position_code.clone(),
                first: *marks.first()?,
                second: *marks.get(1)?,
                difference: gap,
                third: (p.part == Part::Written)
                    .then(|| marks.get(2).copied())
                    .flatten(),
                third_assigned: p.part == Part::Written && p.marks.len() > 2,
                marks: marks.clone(),
                kind,
                decision: p.chair.as_ref().map(|d| d.0),
                reason: p.chair.as_ref().map(|d| d.1.clone()),
                version: p.chair.as_ref().map_or(0, |d| d.2),
            })
        })
        .collect();
    let is_chair = c.has(Duty::Chair);
    let can_lock = is_chair
        && stage.started_at.is_some()
        && stage.locked_at.is_none()
        && ready_to_lock(&mut conn, &c.params, round_id, &positions).await?;
    let decoded = if stage.decoded_at.is_some() {
        repo::decoded(&pool, round_id)
            .await?
            .into_iter()
            .map(|(number, mut row)| {
                row.candidate_number = number
                    .map(|n| format_candidate_number(&c.round.prefix, n as u32))
                    .unwrap_or_default();
                row
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ChairView {
        round_id,
        round_name: c.round.name.clone(),
        rule,
        papers: disputed,
        progress: progress(&papers, &mismatches, &scale_of, rule),
        mismatches,
        stage: stage_state(&stage),
        can_lock,
        is_chair,
        decoded,
    })
}

fn reason_of(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::field("reason", Msg::ErrReasonRequired));
    }
    Ok(reason.to_string())
}

/// The chair's mark for a paper whose two marks were too far apart.
pub async fn decide_paper(
    round_id: Uuid,
    paper_id: Uuid,
    mark: &str,
    reason: &str,
    version: i32,
) -> Result<SaveOutcome, AppError> {
    let c = caller(round_id, chair).await?;
    let pool = pool()?;
    let positions = repo::positions(&pool, round_id).await?;
    let mut tx = pool.begin().await?;
    open_for_marks(&mut tx, round_id).await?;
    let papers = repo::paper_marks(&mut tx, round_id, Some(paper_id)).await?;
    let scale_of = scales(&positions, c.params.mark_step_hundredths);
    let rule = c.params.marking_rule();
    let Some((paper, state)) = states(&papers, &scale_of, rule).next() else {
        return Err(AppError::NotFound);
    };
    if !matches!(state, PaperState::ToChair { .. } | PaperState::Decided(_)) {
        return Err(AppError::field("mark", Msg::ErrNotToChair));
    }
    let scale = scale_of
        .get(&paper.position_id)
        .copied()
        .unwrap_or(Scale::new(100));
    let value = Mark::parse(mark, scale).map_err(|m| AppError::field("mark", m))?;
    let reason = reason_of(reason)?;
    let (current, current_version) = paper.chair.as_ref().map_or((None, 0), |d| (Some(d.0), d.2));
    if version != current_version {
        return Ok(SaveOutcome::Conflict {
            current,
            version: current_version,
        });
    }
    let at = now();
    let Some(new_version) =
        repo::write_decision(&mut tx, paper_id, value, &reason, version, c.id(), at).await?
    else {
        return Ok(SaveOutcome::Conflict {
            current,
            version: current_version,
        });
    };
    repo::audit(
        &mut tx,
        c.id(),
        at,
        AuditEntry {
            round_id,
            paper_id: Some(paper_id),
            marker_id: None,
            action: "chair_decided",
            old: current,
            new: Some(value),
            reason: Some(&reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved {
        mark: value,
        version: new_version,
    })
}

/// The chief hands a written paper whose two marks are 10 or more apart to a third marker
/// (Circular 22/2025 Art 16): the least-loaded written marker of the position who is not
/// already on the paper and not related to the candidate. Returns their name.
pub async fn assign_third_marker(round_id: Uuid, paper_id: Uuid) -> Result<String, AppError> {
    let c = caller(round_id, chair).await?;
    let pool = pool()?;
    let positions = repo::positions(&pool, round_id).await?;
    let mut tx = pool.begin().await?;
    open_for_marks(&mut tx, round_id).await?;
    let papers = repo::paper_marks(&mut tx, round_id, Some(paper_id)).await?;
    let scale_of = scales(&positions, c.params.mark_step_hundredths);
    let Some((_, state)) = states(&papers, &scale_of, c.params.marking_rule()).next() else {
        return Err(AppError::NotFound);
    };
    let PaperState::NeedsThirdMarker { difference } = state else {
        return Err(AppError::field("paper", Msg::ErrNoThirdMarkerNeeded));
    };
    let Some(&(marker, _)) = repo::third_marker_candidates(&mut tx, round_id, paper_id)
        .await?
        .first()
    else {
        return Err(AppError::field("paper", Msg::ErrNoThirdMarker));
    };
    repo::add_third_marker(&mut tx, paper_id, marker).await?;
    repo::audit(
        &mut tx,
        c.id(),
        now(),
        AuditEntry {
            round_id,
            paper_id: Some(paper_id),
            marker_id: Some(marker),
            action: "third_marker_assigned",
            old: None,
            new: Some(difference),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(repo::marker_names(&pool, &[marker])
        .await?
        .remove(&marker)
        .unwrap_or_default())
}

/// The chair settles a sheet mark two clerks typed differently, from the paper sheet.
pub async fn resolve_mismatch(
    round_id: Uuid,
    paper_id: Uuid,
    marker_id: Uuid,
    mark: &str,
    reason: &str,
) -> Result<(), AppError> {
    let c = caller(round_id, chair).await?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    open_for_marks(&mut tx, round_id).await?;
    let paper = repo::paper_marks(&mut tx, round_id, Some(paper_id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let position = repo::positions(&pool, round_id)
        .await?
        .into_iter()
        .find(|p| p.id == paper.position_id)
        .ok_or(AppError::NotFound)?;
    let value = Mark::parse(
        mark,
        scale(position.max_score, c.params.mark_step_hundredths),
    )
    .map_err(|m| AppError::field("mark", m))?;
    let reason = reason_of(reason)?;
    let entries = repo::entries(&mut tx, paper_id, marker_id).await?;
    let [first, second] = entries.as_slice() else {
        return Err(AppError::field("mark", Msg::ErrNoMismatch));
    };
    let (current, _) = repo::current_mark(&mut tx, paper_id, marker_id).await?;
    if first.2 == second.2 && current.is_none_or(|m| m == first.2) {
        return Err(AppError::field("mark", Msg::ErrNoMismatch));
    }
    let at = now();
    repo::resolve_entries(&mut tx, paper_id, marker_id, value, at).await?;
    let held = current
        .map(|m| format!(" / {}", m.display(',')))
        .unwrap_or_default();
    let note = format!(
        "{} / {}{held} · {reason}",
        first.2.display(','),
        second.2.display(',')
    );
    repo::audit(
        &mut tx,
        c.id(),
        at,
        AuditEntry {
            old: None,
            new: Some(value),
            reason: Some(&note),
            ..entry(round_id, paper_id, marker_id, "mismatch_resolved")
        },
    )
    .await?;
    set_mark(
        &mut tx,
        round_id,
        paper_id,
        marker_id,
        value,
        None,
        c.id(),
        "transcribed",
        Some(&reason),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A paper's history found by its code within a round (chair and HR).
pub async fn paper_audit_by_code(round_id: Uuid, code: &str) -> Result<PaperAudit, AppError> {
    caller(round_id, hr_or_chair).await?;
    let code = normalise_code(code);
    if code.is_empty() {
        return Err(AppError::field("code", Msg::ErrRequired));
    }
    let paper_id = repo::paper_by_code(&pool()?, round_id, &code)
        .await?
        .ok_or_else(|| AppError::field("code", Msg::ErrPaperCodeUnknown))?;
    paper_audit(paper_id).await
}

pub async fn paper_audit(paper_id: Uuid) -> Result<PaperAudit, AppError> {
    // Staff only before anything is read; then the paper's round decides.
    require_role(&[Role::BoardChair, Role::HrOfficer]).await?;
    let pool = pool()?;
    let head = repo::paper_head(&pool, paper_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = caller(head.round_id, hr_or_chair).await?;
    let mut conn = pool.acquire().await?;
    let paper = repo::paper_marks(&mut conn, head.round_id, Some(paper_id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let ids: Vec<Uuid> = paper.marks.iter().map(|m| m.0).collect();
    let names = repo::marker_names(&pool, &ids).await?;
    let decoded = repo::stage(&mut conn, head.round_id, 2)
        .await?
        .decoded_at
        .is_some();
    let candidate = if decoded {
        repo::paper_owner(&pool, paper_id).await?.map(|(n, name)| {
            let number = n
                .map(|n| format_candidate_number(&c.round.prefix, n as u32))
                .unwrap_or_default();
            format!("{number} · {name}")
        })
    } else {
        None
    };
    Ok(PaperAudit {
        round_id: head.round_id,
        code: head.code,
        position_code: head.position_code,
        part: Part::parse(&head.part).unwrap_or(Part::Written),
        candidate,
        marks: paper
            .marks
            .iter()
            .map(|(id, m)| (names.get(id).cloned().unwrap_or_default(), *m))
            .collect(),
        rows: repo::paper_audit(&pool, paper_id).await?,
    })
}
