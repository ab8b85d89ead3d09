//! Computing, approving and publishing a round's results, behind the server functions: the
//! ranking rules over what the database holds, the snapshot and its digest, the published
//! versions served from memory (they never change), and the public lookup's rate limit.

use crate::accounts::{service::require_role, types::Role};
use crate::applications::types::EventKind;
use crate::calendar::Calendar;
use crate::error::{AppError, FieldError};
use crate::i18n::Msg;
use crate::results::canonical::canonical;
use crate::results::ranking::PositionRanking;
use crate::results::repo;
use crate::results::round_ranking::rank_round;
use crate::results::snapshot::{self, Names, PositionResult, Snapshot, UnitResult, FORMAT};
use crate::results::types::*;
use crate::results::{inputs, round_ranking_json};
use crate::rounds::rules::RuleParams;
use crate::scheduling::allocation::format_candidate_number;
use crate::server_support::{now, pool};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use time::OffsetDateTime;
use uuid::Uuid;

pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Who is asking about a round's results: HR, the chair of its board, or neither.
pub(crate) struct Caller {
    pub(crate) id: Uuid,
    pub(crate) hr: bool,
    pub(crate) chair: bool,
}

pub(crate) async fn caller(round_id: Uuid) -> Result<Caller, AppError> {
    let user = require_role(&[Role::HrOfficer, Role::BoardChair]).await?;
    let duties = crate::scoring::repo::duties(&pool()?, round_id, user.id).await?;
    let caller = Caller {
        id: user.id,
        hr: user.has_role(Role::HrOfficer),
        chair: user.has_role(Role::BoardChair)
            && duties.contains(&crate::scoring::types::Duty::Chair),
    };
    if caller.hr || caller.chair {
        Ok(caller)
    } else {
        tracing::warn!(user_id = %user.id, %round_id, "refused: not HR nor the round's chair");
        Err(AppError::Forbidden)
    }
}

pub(crate) struct Round {
    pub(crate) name: String,
    pub(crate) authority: String,
    pub(crate) prefix: String,
    pub(crate) params: RuleParams,
}

pub(crate) async fn round<'e>(
    conn: impl sqlx::PgExecutor<'e>,
    round_id: Uuid,
) -> Result<Round, AppError> {
    let row = sqlx::query!(
        "select r.name, r.authority, r.candidate_prefix, rs.params
         from rounds r join rule_sets rs on rs.id = r.rule_set_id where r.id = $1",
        round_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Round {
        name: row.name,
        authority: row.authority,
        prefix: row.candidate_prefix,
        params: serde_json::from_value(row.params).map_err(AppError::internal)?,
    })
}

/// Ranks every position of the round from what the database holds now.
async fn compute(
    pool: &PgPool,
    round_id: Uuid,
    round: &Round,
    version: u32,
    at: OffsetDateTime,
) -> Result<Snapshot, AppError> {
    let positions = crate::scoring::repo::positions(pool, round_id).await?;
    let candidates = repo::candidates(pool, round_id).await?;
    let units = repo::units(pool, round_id).await?;
    let decisions = repo::decisions(pool, round_id).await?;
    let input = inputs::round_input(&inputs::Rows {
        prefix: &round.prefix,
        params: &round.params,
        positions: &positions,
        candidates: &candidates,
        units: &units,
        decisions: &decisions,
        penalties: &crate::scheduling::penalties_repo::confirmed(pool, round_id).await?,
    });
    let ranked = rank_round(&input);
    let published_input = inputs::for_publication(&input);

    let names: HashMap<Uuid, (String, String)> = candidates
        .iter()
        .map(|c| {
            (
                c.id,
                (
                    format_candidate_number(&round.prefix, c.number.max(0) as u32),
                    c.full_name.clone(),
                ),
            )
        })
        .collect();
    let unit_codes: HashMap<Uuid, String> =
        units.iter().map(|u| (u.unit_id, u.code.clone())).collect();
    let cited: HashMap<Uuid, String> = decisions
        .iter()
        .map(|d| {
            (
                d.id,
                format!(
                    "{} – {} – {}",
                    d.document_ref,
                    d.decided_by,
                    crate::rounds::types::format_date_vn(d.decided_on)
                ),
            )
        })
        .collect();
    let names = Names {
        candidates: &names,
        units: &unit_codes,
        decisions: &cited,
    };
    let mut units_of: HashMap<Uuid, Vec<&repo::UnitRow>> = HashMap::new();
    for u in &units {
        units_of.entry(u.position_id).or_default().push(u);
    }
    let ranking_of: HashMap<&str, &PositionRanking> = (ranked.iter())
        .map(|r| (r.code.as_str(), &r.ranking))
        .collect();
    let empty = PositionRanking::default();
    let results = (positions.iter())
        .map(|position| {
            let units = units_of.get(&position.id).map_or(&[][..], Vec::as_slice);
            let ranking = ranking_of
                .get(position.code.as_str())
                .copied()
                .unwrap_or(&empty);
            PositionResult {
                code: position.code.clone(),
                title: position.title.clone(),
                units: units
                    .iter()
                    .map(|u| UnitResult {
                        code: u.code.clone(),
                        name: u.name.clone(),
                        quota: u.quota.max(0) as u32,
                    })
                    .collect(),
                candidates: snapshot::candidates(ranking, &names),
                ties: snapshot::ties(ranking, &names),
                steps: if units.len() > 1 {
                    snapshot::steps(ranking, &names)
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    Ok(Snapshot {
        format: FORMAT.to_string(),
        round_id,
        round_name: round.name.clone(),
        authority: round.authority.clone(),
        version,
        computed_at: at
            .to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        stage2_pass_mark: round.params.stage2_pass_mark,
        positions: results,
        // `server rank --verify` recomputes this from the published inputs (a test runs it).
        ranking: Some(round_ranking_json::output(&ranked)),
        ranking_input: Some(round_ranking_json::to_json(&published_input)),
    })
}

/// A version as HR's page lists it; approved versions must be published and their winners
/// told within 2 working days (Decree 170/2025 Art 18), counted with `calendar`.
fn version_info(calendar: &Calendar, v: &repo::VersionRow) -> VersionInfo {
    let f = |t: Option<OffsetDateTime>| t.map(crate::rounds::types::format_datetime_vn);
    VersionInfo {
        id: v.id,
        version: v.version as u32,
        status: v.status.clone(),
        digest: v.digest.clone(),
        computed_at: crate::rounds::types::format_datetime_vn(v.computed_at),
        approved_at: f(v.approved_at),
        published_at: f(v.published_at),
        publish_by: v
            .approved_at
            .map(|a| crate::rounds::types::format_date_vn(calendar.add_working_days(a, 2).date())),
    }
}

pub async fn results_view(round_id: Uuid) -> Result<ResultsView, AppError> {
    let c = caller(round_id).await?;
    let pool = pool()?;
    let round = round(&pool, round_id).await?;
    let versions = repo::versions(&pool, round_id).await?;
    let open = versions
        .iter()
        .find(|v| v.status == "draft" || v.status == "approved")
        .cloned();
    let current = match &open {
        Some(v) => {
            let text = repo::canonical(&pool, v.id).await?.unwrap_or_default();
            let mut snapshot: Snapshot = serde_json::from_str(&text).map_err(AppError::internal)?;
            // The review page shows the positions; the file format's copy would double what
            // the browser downloads.
            snapshot.ranking_input = None;
            snapshot.ranking = None;
            Some(snapshot)
        }
        None => None,
    };
    let decoded = sqlx::query_scalar!(
        r#"select exists (select 1 from marking_stages
                          where round_id = $1 and stage = 2 and decoded_at is not null) as "d!""#,
        round_id
    )
    .fetch_one(&pool)
    .await?;
    let calendar = crate::calendar::repo::load(&pool).await?;
    let version_info = |v: &repo::VersionRow| version_info(&calendar, v);
    Ok(ResultsView {
        round_id,
        round_name: round.name,
        decoded,
        open: open.as_ref().map(version_info),
        snapshot: current,
        published: versions
            .iter()
            .filter(|v| v.status == "published" || v.status == "superseded")
            .map(version_info)
            .collect(),
        winners: crate::results::dossiers::winners(round_id).await?,
        decree_300: round.params.after_selection.is_some(),
        is_hr: c.hr,
        is_chair: c.chair,
        overview: Vec::new(),
        reviewing: None,
        names: Default::default(),
    })
}

/// HR and the chair review every candidate of a position by name; the snapshot names only the
/// winners (what is published), so the names of the position being reviewed come from the
/// applications, beside it. Call with a view `results_view` authorised.
pub async fn name_candidates(mut view: ResultsView) -> Result<ResultsView, AppError> {
    let Some(code) = view.reviewing.clone() else {
        return Ok(view);
    };
    let pool = pool()?;
    view.names = sqlx::query!(
        "select r.candidate_prefix, n.number, a.full_name
         from applications a join candidate_numbers n on n.application_id = a.id
              join rounds r on r.id = a.round_id join positions p on p.id = a.position_id
         where a.round_id = $1 and p.code = $2",
        view.round_id,
        code
    )
    .fetch_all(&pool)
    .await?
    .into_iter()
    .map(|r| {
        (
            format_candidate_number(&r.candidate_prefix, r.number.max(0) as u32),
            r.full_name,
        )
    })
    .collect();
    Ok(view)
}

pub async fn compute_results(round_id: Uuid) -> Result<u32, AppError> {
    let c = caller(round_id).await?;
    if !c.hr {
        return Err(AppError::Forbidden);
    }
    draft(&pool()?, round_id, c.id, now()).await
}

/// Computes the next version as a draft from the decoded marks (the demo seed uses it too):
/// refused before decoding and while an appeal is open. Returns the version's number.
pub async fn draft(
    pool: &PgPool,
    round_id: Uuid,
    actor: Uuid,
    at: OffsetDateTime,
) -> Result<u32, AppError> {
    let round = round(pool, round_id).await?;
    let mut tx = pool.begin().await?;
    // One computation at a time per round; marks cannot change any more (decoded after lock).
    sqlx::query!("select id from rounds where id = $1 for update", round_id)
        .fetch_one(&mut *tx)
        .await?;
    // Decoded, exam scores published and their appeal windows closed (under the legal
    // sequence), every appeal answered, every penalty decided.
    crate::results::exam_scores_service::may_compile(&mut tx, round_id, &round.params, at).await?;
    let version = repo::next_version(&mut tx, round_id).await?;
    let snapshot = compute(pool, round_id, &round, version as u32, at).await?;
    let text = canonical(&snapshot).map_err(AppError::internal)?;
    repo::save_draft(&mut tx, round_id, version, &text, &digest(&text), actor, at).await?;
    tx.commit().await?;
    Ok(version as u32)
}

pub async fn penalties(
    round_id: Uuid,
) -> Result<crate::scheduling::penalties::RoundPenalties, AppError> {
    let c = caller(round_id).await?;
    Ok(crate::scheduling::penalties::RoundPenalties {
        can_decide: c.chair,
        penalties: crate::scheduling::penalties_repo::list(&pool()?, round_id).await?,
    })
}

/// The council chair's decision on a penalty (Circular 22/2025: the chair decides deductions
/// when results are compiled). Once only; the candidate sees it on their timeline.
pub async fn decide_penalty(
    round_id: Uuid,
    penalty_id: Uuid,
    decision: &str,
    note: &str,
) -> Result<(), AppError> {
    use crate::scheduling::penalties::{Effect, PenaltyDecision};
    let c = caller(round_id).await?;
    if !c.chair {
        return Err(AppError::Forbidden);
    }
    let field = format!("penalty-{penalty_id}");
    let decision = PenaltyDecision::parse(decision.trim())
        .ok_or_else(|| AppError::field(&field, Msg::ErrChooseOne))?;
    let note = note.trim();
    if note.chars().count() > 1000 {
        return Err(AppError::field(&field, Msg::ErrTooLong));
    }
    let note = (!note.is_empty()).then_some(note);
    let at = now();
    let mut tx = pool()?.begin().await?;
    let Some((application_id, kind)) = crate::scheduling::penalties_repo::decide(
        &mut tx, round_id, penalty_id, decision, note, c.id, at,
    )
    .await?
    else {
        return Err(AppError::field(&field, Msg::ErrPenaltyDecided));
    };
    let (vi, en) = kind.msg().texts();
    let outcome = match (decision, kind.effect()) {
        (PenaltyDecision::Dismissed, _) => "Hủy bỏ, không áp dụng (dismissed)".to_string(),
        (PenaltyDecision::Confirmed, Effect::Deduct(p)) => {
            format!("Trừ {p}% điểm bài thi (−{p}% of the test's score)")
        }
        (PenaltyDecision::Confirmed, Effect::Voids) => {
            "Không có kết quả thi (no result in the round)".to_string()
        }
    };
    let reason = format!("{vi} ({en}): {outcome}");
    crate::applications::repo::add_event(
        &mut tx,
        application_id,
        crate::applications::types::EventKind::PenaltyDecided,
        Some(&reason),
        None,
        Some(c.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn record_tie_decision(
    round_id: Uuid,
    position_code: &str,
    order: &str,
    decided_by: &str,
    decided_on: &str,
    document_ref: &str,
) -> Result<(), AppError> {
    let c = caller(round_id).await?;
    if !c.hr {
        return Err(AppError::Forbidden);
    }
    let pool = pool()?;
    let round = round(&pool, round_id).await?;
    let mut errors = Vec::new();
    let decided_by = decided_by.trim();
    if decided_by.is_empty() || decided_by.chars().count() > 200 {
        errors.push(FieldError::new("decided_by", Msg::ErrRequired));
    }
    let document_ref = document_ref.trim();
    if document_ref.is_empty() || document_ref.chars().count() > 200 {
        errors.push(FieldError::new("document_ref", Msg::ErrRequired));
    }
    let date = crate::results::types::parse_day(decided_on);
    if date.is_none() {
        errors.push(FieldError::new("decided_on", Msg::ErrDateFormat));
    }
    // The order must name exactly one tied group of the current draft.
    let view = results_view(round_id).await?;
    let position = view
        .snapshot
        .as_ref()
        .and_then(|s| s.positions.iter().find(|p| p.code == position_code))
        .ok_or(AppError::NotFound)?;
    let typed: Vec<String> = order
        .split([',', ';', '\n'])
        .map(|n| n.trim().to_uppercase())
        .filter(|n| !n.is_empty())
        .collect();
    let group = position.ties.iter().find(|t| {
        let mut a = t.candidates.clone();
        let mut b = typed.clone();
        a.sort();
        b.sort();
        a == b
    });
    if group.is_none() {
        errors.push(FieldError::new("order", Msg::ErrTieOrder));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let numbers: HashMap<String, Uuid> = repo::candidates(&pool, round_id)
        .await?
        .into_iter()
        .map(|c| {
            (
                format_candidate_number(&round.prefix, c.number.max(0) as u32),
                c.id,
            )
        })
        .collect();
    let ordered: Vec<Uuid> = typed
        .iter()
        .filter_map(|n| numbers.get(n).copied())
        .collect();
    let position_id = crate::scoring::repo::positions(&pool, round_id)
        .await?
        .into_iter()
        .find(|p| p.code == position_code)
        .map(|p| p.id)
        .ok_or(AppError::NotFound)?;
    repo::add_decision(
        &pool,
        &repo::NewDecision {
            round_id,
            position_id,
            ordered: &ordered,
            decided_by,
            decided_on: date.ok_or(AppError::NotFound)?,
            document_ref,
        },
        c.id,
        now(),
    )
    .await?;
    Ok(())
}

pub async fn approve(round_id: Uuid, version_id: Uuid) -> Result<(), AppError> {
    let c = caller(round_id).await?;
    if !c.chair {
        return Err(AppError::Forbidden);
    }
    let view = results_view(round_id).await?;
    let is_draft = view
        .open
        .as_ref()
        .is_some_and(|v| v.id == version_id && v.status == "draft");
    if !is_draft {
        return Err(AppError::field("approve", Msg::ErrNoDraft));
    }
    if !view.snapshot.as_ref().is_some_and(Snapshot::publishable) {
        return Err(AppError::field("approve", Msg::ErrTiesUndecided));
    }
    let pool = pool()?;
    crate::appeals::service::pending(&mut *pool.acquire().await?, round_id, "approve").await?;
    if !repo::approve(&pool, version_id, c.id, now()).await? {
        return Err(AppError::field("approve", Msg::ErrNoDraft));
    }
    Ok(())
}

/// The outcome told to a candidate, in both languages.
/// What a candidate is told of their outcome; a winner also the last day to complete the
/// dossier (Decree 170/2025 Art 18.1: 15 days from the listing under Decree 300, 20 before).
fn outcome_text(result: &snapshot::CandidateResult, dossier_by: &str) -> String {
    let both = |m: Msg| {
        format!(
            "{} ({})",
            crate::i18n::Lang::Vi.t(m),
            crate::i18n::Lang::En.t(m)
        )
    };
    match result.outcome.as_str() {
        "selected" => format!(
            "{}: {}; {}: {dossier_by}",
            both(Msg::OutcomeSelected),
            result.unit.clone().unwrap_or_default(),
            both(Msg::DossierDueBy)
        ),
        "reserve" => format!(
            "{} #{}",
            both(Msg::OutcomeReserve),
            result.reserve_place.unwrap_or(0)
        ),
        _ => both(Msg::OutcomeNotSelected),
    }
}

pub async fn publish(round_id: Uuid, version_id: Uuid) -> Result<(), AppError> {
    let c = caller(round_id).await?;
    if !c.hr {
        return Err(AppError::Forbidden);
    }
    let pool = pool()?;
    publish_version(&pool, round_id, version_id, c.id, now()).await?;
    // Tell them now, without keeping HR waiting; what this leaves (the process stopping) every
    // process's mailer task delivers within seconds.
    tokio::spawn(async move {
        if let Err(err) = crate::applications::repo::deliver_all_queued_notices(&pool).await {
            tracing::warn!(error = %err, "could not deliver the publication's notices yet");
        }
    });
    Ok(())
}

/// Publishes an approved version (the demo seed uses it too): it becomes the public result,
/// and each candidate whose line changed (everyone, the first time) gets a notice queued.
pub async fn publish_version(
    pool: &PgPool,
    round_id: Uuid,
    version_id: Uuid,
    actor: Uuid,
    at: OffsetDateTime,
) -> Result<(), AppError> {
    let text = repo::canonical(pool, version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let snapshot: Snapshot = serde_json::from_str(&text).map_err(AppError::internal)?;
    if !snapshot.publishable() {
        return Err(AppError::field("publish", Msg::ErrTiesUndecided));
    }
    let mut tx = pool.begin().await?;
    crate::appeals::service::pending(&mut tx, round_id, "publish").await?;
    // A later version (after appeals) is told to those whose line changed; the first to all.
    let previous = match repo::published(pool, round_id).await? {
        Some((_, version, _, _)) => repo::published_canonical(pool, round_id, version)
            .await?
            .map(|text| serde_json::from_str::<Snapshot>(&text))
            .transpose()
            .map_err(AppError::internal)?,
        None => None,
    };
    let changed: Option<std::collections::HashSet<String>> = previous.map(|p| {
        snapshot::changes(&p, &snapshot)
            .into_iter()
            .map(|c| c.number)
            .collect()
    });
    if !repo::publish(&mut tx, round_id, version_id, actor, at).await? {
        return Err(AppError::field("publish", Msg::ErrNotApproved));
    }
    let outcomes: HashMap<&str, &snapshot::CandidateResult> = snapshot
        .positions
        .iter()
        .flat_map(|p| p.candidates.iter())
        .map(|c| (c.number.as_str(), c))
        .collect();
    let round = round(&mut *tx, round_id).await?;
    let prefix = round.prefix;
    let dossier_days = round
        .params
        .after_selection
        .map_or(20, |a| i64::from(a.dossier_days));
    let dossier_by = crate::rounds::types::format_date_vn(
        crate::rounds::types::vietnam_date(at).saturating_add(time::Duration::days(dossier_days)),
    );
    let told: Vec<(Uuid, String)> = repo::notified(&mut tx, round_id)
        .await?
        .into_iter()
        .filter_map(|(application_id, number)| {
            let number = format_candidate_number(&prefix, number.max(0) as u32);
            if changed.as_ref().is_some_and(|c| !c.contains(&number)) {
                return None;
            }
            let outcome = outcomes.get(number.as_str())?;
            Some((application_id, outcome_text(outcome, &dossier_by)))
        })
        .collect();
    // Everyone is told after the commit, in batches (queued here, so no one is missed).
    crate::applications::repo::queue_notices(
        &mut tx,
        EventKind::ResultPublished,
        &told,
        Some(actor),
    )
    .await?;
    tx.commit().await?;
    forget(round_id);
    Ok(())
}

/// A published result held in memory: it never changes, so it is read from the database
/// once per process and version.
pub struct Published {
    pub id: Uuid,
    pub version: u32,
    pub digest: String,
    pub published_at: String,
    pub snapshot: Snapshot,
    /// What changed since the previous published version (after appeals).
    pub changes: Vec<snapshot::Change>,
    /// Candidate number → (position, candidate) in the snapshot, for the public lookup.
    by_number: HashMap<String, (usize, usize)>,
    /// Candidate number → their personal lookup code (never published).
    codes: HashMap<String, String>,
}

impl Published {
    /// One candidate by number and personal code (normalised): both must match. The code is
    /// compared in constant time.
    pub fn find(
        &self,
        number: &str,
        code: &str,
    ) -> Option<(&PositionResult, &snapshot::CandidateResult)> {
        use subtle::ConstantTimeEq;
        let &(p, c) = self.by_number.get(number)?;
        let position = self.snapshot.positions.get(p)?;
        let candidate = position.candidates.get(c)?;
        let expected = self.codes.get(number)?;
        bool::from(expected.as_bytes().ct_eq(code.as_bytes())).then_some((position, candidate))
    }
}

/// How long this process trusts its knowledge of which version is published before asking
/// the database again: another process may publish a new version (this one forgets at once
/// when it publishes itself). On results day this turns a query per lookup into one a second.
const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(1);

struct Cached {
    published: Arc<Published>,
    checked_at: std::time::Instant,
}

fn cache() -> &'static RwLock<HashMap<Uuid, Cached>> {
    static CACHE: OnceLock<RwLock<HashMap<Uuid, Cached>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn forget(round_id: Uuid) {
    if let Ok(mut cache) = cache().write() {
        cache.remove(&round_id);
    }
}

/// The round's published result. The snapshot comes from memory after the first read; which
/// version is published is checked with one small query at most every `FRESH_FOR`.
pub async fn published(round_id: Uuid) -> Result<Option<Arc<Published>>, AppError> {
    let recent = cache().read().ok().and_then(|c| {
        c.get(&round_id)
            .filter(|hit| hit.checked_at.elapsed() < FRESH_FOR)
            .map(|hit| hit.published.clone())
    });
    if recent.is_some() {
        return Ok(recent);
    }
    let pool = pool()?;
    let Some((id, version, digest, published_at)) = repo::published(&pool, round_id).await? else {
        return Ok(None);
    };
    let known = cache().read().ok().and_then(|c| {
        c.get(&round_id)
            .filter(|hit| hit.published.id == id)
            .map(|hit| hit.published.clone())
    });
    let entry = match known {
        Some(entry) => entry,
        None => load(&pool, round_id, id, version, digest, published_at).await?,
    };
    if let Ok(mut cache) = cache().write() {
        cache.insert(
            round_id,
            Cached {
                published: entry.clone(),
                checked_at: std::time::Instant::now(),
            },
        );
    }
    Ok(Some(entry))
}

async fn load(
    pool: &sqlx::PgPool,
    round_id: Uuid,
    id: Uuid,
    version: i32,
    digest: String,
    published_at: OffsetDateTime,
) -> Result<Arc<Published>, AppError> {
    let text = repo::canonical(pool, id).await?.ok_or(AppError::NotFound)?;
    let snapshot = serde_json::from_str::<Snapshot>(&text)
        .map_err(AppError::internal)?
        .public();
    let changes = match repo::published_canonical(pool, round_id, version - 1).await? {
        Some(previous) => {
            let previous = serde_json::from_str::<Snapshot>(&previous)
                .map_err(AppError::internal)?
                .public();
            snapshot::changes(&previous, &snapshot)
        }
        None => Vec::new(),
    };
    let by_number = snapshot
        .positions
        .iter()
        .enumerate()
        .flat_map(|(p, position)| {
            position
                .candidates
                .iter()
                .enumerate()
                .map(move |(c, candidate)| (candidate.number.clone(), (p, c)))
        })
        .collect();
    Ok(Arc::new(Published {
        id,
        version: version as u32,
        digest,
        published_at: crate::rounds::types::format_datetime_vn(published_at),
        snapshot,
        changes,
        by_number,
        codes: repo::lookup_codes(pool, round_id).await?,
    }))
}

/// At most a few lookups a minute from one address, whichever process answers them: enough
/// for a person, useless for guessing codes.
pub async fn lookup_allowed(address: &str) -> Result<bool, AppError> {
    let minute = std::time::Duration::from_secs(60);
    crate::server_support::within_shared_limit(&pool()?, "lookup", address, 20, minute).await
}
