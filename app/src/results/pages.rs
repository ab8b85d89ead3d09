//! HR's and the chair's results page: compute a draft, review each position (quota,
//! selected, reserve, a score histogram, every candidate with why), record the authority's
//! tie decisions, approve, publish.

use crate::accounts::types::Role;
use crate::components::{count_successes, failure_view, ErrorSummary, Protected};
use crate::error::AppError;
use crate::i18n::{use_lang, Lang, Msg};
use crate::results::after_selection::DossierOutcome;
use crate::results::api::*;
use crate::results::snapshot::{CandidateResult, PositionResult};
use crate::results::types::*;
use crate::scoring::marks::Mark;
use crate::scoring::pages::show_mark;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[derive(Clone, Copy)]
struct Actions {
    compute: ServerAction<ComputeResults>,
    tie: ServerAction<RecordTie>,
    approve: ServerAction<ApproveResults>,
    publish: ServerAction<PublishResults>,
    dossier: ServerAction<RecordDossier>,
    appointment: ServerAction<RecordAppointment>,
    reporting: ServerAction<RecordReporting>,
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let changed = RwSignal::new(0usize);
    let actions = Actions {
        compute: ServerAction::new(),
        tie: ServerAction::new(),
        approve: ServerAction::new(),
        publish: ServerAction::new(),
        dossier: ServerAction::new(),
        appointment: ServerAction::new(),
        reporting: ServerAction::new(),
    };
    count_successes(changed, actions.compute);
    count_successes(changed, actions.tie);
    count_successes(changed, actions.approve);
    count_successes(changed, actions.publish);
    count_successes(changed, actions.dossier);
    count_successes(changed, actions.appointment);
    count_successes(changed, actions.reporting);
    let query = leptos_router::hooks::use_query_map();
    let position = move || query.read().get("position").unwrap_or_default();
    let data = Resource::new(
        move || (id.get(), position(), changed.get()),
        |(id, position, _)| async move {
            match id {
                Some(id) => results_for_round(id, position).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::ResultsTitle) />
        <Protected roles=&[Role::HrOfficer, Role::BoardChair]>
            {move || id.get().map(|round_id| view! { <crate::results::exam_scores_pages::ExamScores round_id /> })}
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Results view actions /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
            {move || id.get().map(|round_id| view! { <crate::results::after_selection_pages::AfterSelectionPanel round_id changed /> })}
            {move || id.get().map(|round_id| view! { <Penalties round_id /> })}
        </Protected>
    }
}

/// The penalties recorded in the round's rooms; the chair confirms or dismisses each. Its own
/// resource, beside the results' Transition rather than inside its Suspend.
#[component]
fn Penalties(round_id: uuid::Uuid) -> impl IntoView {
    let lang = use_lang();
    let decide = ServerAction::<DecidePenalty>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, decide);
    let list = Resource::new(move || changed.get(), move |_| round_penalties(round_id));
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    view! {
        <section class="panel" data-testid="penalties">
            <h2>{lang.t(Msg::PenaltiesTitle)}</h2>
            <p class="hint">{lang.t(Msg::PenaltiesIntro)}</p>
            <ErrorSummary error id_prefix="" />
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.penalties.is_empty() => view! { <p>{lang.t(Msg::NoPenalties)}</p> }.into_any(),
                        Ok(list) => {
                            let can_decide = list.can_decide;
                            view! {
                                <ul class="plain-list">
                                    {list.penalties.into_iter().map(|p| {
                                        let note_id = format!("penalty-note-{}", p.id);
                                        let status = match p.decision {
                                            None => Msg::PenaltyPending,
                                            Some(crate::scheduling::penalties::PenaltyDecision::Confirmed) => Msg::PenaltyConfirmed,
                                            Some(crate::scheduling::penalties::PenaltyDecision::Dismissed) => Msg::PenaltyDismissed,
                                        };
                                        let open = p.decision.is_none() && can_decide;
                                        view! {
                                            <li class="panel" id=format!("penalty-{}", p.id) data-candidate=p.candidate_number.clone()>
                                                <p>
                                                    <strong>{p.candidate_number.clone()} " · " {p.full_name.clone()}</strong> " · " {p.position_code.clone()}
                                                    <br />{lang.t(p.kind.msg())} " — " {p.report.clone()}
                                                    <br /><span class="hint">{p.recorded_by.clone()} " · " {p.recorded_at.clone()}</span>
                                                </p>
                                                <p data-testid="penalty-status"><span class="tag">{lang.t(status)}</span>
                                                    {p.decision_note.clone().map(|n| view! { " " <span class="hint">{n}</span> })}
                                                </p>
                                                {open.then(|| view! {
                                                    <ActionForm action=decide attr:class="form">
                                                        <input type="hidden" name="round_id" value=round_id.to_string() />
                                                        <input type="hidden" name="penalty_id" value=p.id.to_string() />
                                                        <div class="field">
                                                            <label for=note_id.clone()>{lang.t(Msg::PenaltyNoteLabel)}</label>
                                                            <input id=note_id name="note" type="text" />
                                                        </div>
                                                        <div class="field">
                                                            <label for=format!("penalty-decision-{}", p.id)>{lang.t(Msg::PenaltyDecisionLabel)}</label>
                                                            <select id=format!("penalty-decision-{}", p.id) name="decision">
                                                                <option value="confirmed">{lang.t(Msg::PenaltyConfirm)}</option>
                                                                <option value="dismissed">{lang.t(Msg::PenaltyDismiss)}</option>
                                                            </select>
                                                        </div>
                                                        <button type="submit" class="button button-warning">{lang.t(Msg::DecideSubmit)}</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </section>
    }
}

pub fn mark_text(lang: Lang, hundredths: Option<u32>) -> String {
    hundredths
        .map(|h| show_mark(lang, Mark::from_hundredths(h)))
        .unwrap_or_default()
}

/// Why a candidate stands where they stand, in words.
pub fn why(lang: Lang, c: &CandidateResult) -> String {
    let mut parts = Vec::new();
    if let Some(reason) = c.reason.as_deref().and_then(reason_msg) {
        parts.push(lang.t(reason).to_string());
    }
    if let Some(tie) = tie_msg(&c.tie_break) {
        parts.push(lang.t(tie).to_string());
    }
    if let Some(decision) = &c.decision {
        parts.push(decision.clone());
    }
    match (c.outcome.as_str(), &c.unit, c.reserve_place) {
        ("selected", Some(unit), _) => {
            parts.push(format!("{}: {unit}", lang.t(Msg::OutcomeSelected)))
        }
        ("reserve", _, Some(place)) => {
            parts.push(format!("{} #{place}", lang.t(Msg::OutcomeReserve)))
        }
        _ => {}
    }
    parts.join(". ")
}

#[component]
fn Results(view: ResultsView, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let round_id = view.round_id;
    let error = Signal::derive(move || {
        actions
            .compute
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.approve.value().get().and_then(Result::err))
            .or_else(|| actions.publish.value().get().and_then(Result::err))
    });
    let open = view.open.clone();
    let publishable = view.snapshot.as_ref().is_some_and(|s| s.publishable());
    view! {
        <p><a href=format!("/hr/rounds/{round_id}")>{lang.t(Msg::BackToRound)}</a></p>
        <h1>{lang.t(Msg::ResultsTitle)}</h1>
        <p class="lead">{view.round_name.clone()}</p>
        <ErrorSummary error id_prefix="results-" />
        {(!view.decoded).then(|| view! { <p class="notice">{lang.t(Msg::ResultsNotDecoded)}</p> })}
        {(!view.published.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.t(Msg::ResultPublishedStatus)}</h2>
                <ul class="plain-list" data-testid="published-versions">
                    {view.published.iter().map(|v| view! {
                        <li>
                            {lang.t(Msg::VersionLabel)} " " {v.version} " – " {lang.t(v.status_msg())} " – "
                            {v.published_at.clone()} " – " <code class="digest">{v.digest.clone()}</code>
                        </li>
                    }).collect_view()}
                </ul>
                <p>
                    <a href=format!("/results/{round_id}")>{lang.t(Msg::PublicResultsTitle)}</a> " · "
                    <a href=format!("/hr/rounds/{round_id}/appeals") data-testid="appeals-link">{lang.t(Msg::AppealsLink)}</a>
                </p>
            </section>
        })}
        {(!view.winners.is_empty()).then(|| view! { <Dossiers round_id winners=view.winners.clone() is_hr=view.is_hr decree_300=view.decree_300 actions /> })}
        <section class="panel">
            {open.clone().map(|v| view! {
                <h2>{lang.t(Msg::VersionLabel)} " " {v.version} " – " <span data-testid="version-status">{lang.t(v.status_msg())}</span></h2>
                <ul class="plain-list">
                    <li>{lang.t(Msg::ComputedAt)} ": " {v.computed_at.clone()}</li>
                    {v.approved_at.clone().map(|a| view! { <li>{lang.t(Msg::ApprovedAt)} ": " {a}</li> })}
                    {v.publish_by.clone().map(|d| view! { <li><strong>{lang.t(Msg::DeadlineToPublish)} ": " {d}</strong></li> })}
                    <li>{lang.t(Msg::DigestLabel)} ": " <code class="digest" data-testid="draft-digest">{v.digest.clone()}</code></li>
                </ul>
            })}
            {(view.is_hr && view.decoded).then(|| view! {
                <ActionForm action=actions.compute attr:class="form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <p class="hint">{lang.t(Msg::ComputeHint)}</p>
                    <button type="submit" class="button button-secondary">{lang.t(Msg::ComputeResults)}</button>
                </ActionForm>
            })}
            {open.clone().filter(|v| v.status == "draft" && view.is_chair).map(|v| view! {
                <ActionForm action=actions.approve attr:class="form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <input type="hidden" name="version_id" value=v.id.to_string() />
                    <p class="hint">{lang.t(Msg::ApproveHint)}</p>
                    <button type="submit" class="button" disabled=!publishable>{lang.t(Msg::ApproveResults)}</button>
                </ActionForm>
            })}
            {open.clone().filter(|v| v.status == "approved" && view.is_hr).map(|v| view! {
                <ActionForm action=actions.publish attr:class="form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <input type="hidden" name="version_id" value=v.id.to_string() />
                    <p class="hint">{lang.t(Msg::PublishHint)}</p>
                    <button type="submit" class="button">{lang.t(Msg::PublishResults)}</button>
                </ActionForm>
            })}
        </section>
        {(view.overview.len() > 1).then(|| view! { <Overview round_id rows=view.overview.clone() reviewing=view.reviewing.clone() /> })}
        {view.snapshot.clone().map(|s| {
            let is_hr = view.is_hr;
            let pass_mark = s.stage2_pass_mark;
            let reviewing = view.reviewing.clone();
            let names = view.names.clone();
            s.positions
                .into_iter()
                .filter(|p| Some(&p.code) == reviewing.as_ref())
                .map(|p| view! { <PositionPanel round_id position=p pass_mark is_hr tie=actions.tie names=names.clone() /> })
                .collect_view()
        })}
    }
}

/// Every position in brief; its code opens it for review below.
#[component]
fn Overview(
    round_id: Uuid,
    rows: Vec<PositionOverview>,
    reviewing: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.t(Msg::PositionsOverview)}</h2>
            <div class="table-wrap">
                <table class="data-table" data-testid="positions-overview">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColQuota2)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColCandidate)}</th>
                        <th scope="col" class="num">{lang.t(Msg::OutcomeSelected)}</th>
                        <th scope="col" class="num">{lang.t(Msg::OutcomeReserve)}</th>
                        <th scope="col">{lang.t(Msg::TiesTitle)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let current = Some(&r.code) == reviewing.as_ref();
                            view! {
                                <tr data-position=r.code.clone() aria-current=current.then_some("true")>
                                    <td><a href=format!("/hr/rounds/{round_id}/results?position={}", r.code)>{r.code.clone()}</a> " – " {r.title.clone()}</td>
                                    <td class="num">{r.quota}</td>
                                    <td class="num">{r.candidates}</td>
                                    <td class="num">{r.selected}</td>
                                    <td class="num">{r.reserve}</td>
                                    <td>{(r.ties > 0).then(|| view! { <span class="tag tag-new">{r.ties}</span> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Stage-2 scores in bins of ten points, drawn as bars (SVG, no script).
#[component]
fn Histogram(candidates: Vec<CandidateResult>, pass_mark: u8) -> impl IntoView {
    let lang = use_lang();
    let mut bins = [0u32; 10];
    for c in &candidates {
        if let Some(s) = c.stage2 {
            bins[((s / 1000) as usize).min(9)] += 1;
        }
    }
    let highest = bins.iter().copied().max().unwrap_or(0).max(1);
    // Room above the bars for their counts, below for the axis.
    let (width, height, bar, top) = (420u32, 120u32, 40u32, 16u32);
    let label = format!(
        "{}: {}",
        lang.t(Msg::HistogramTitle),
        bins.iter()
            .enumerate()
            .map(|(i, n)| format!("{}–{}: {n}", i * 10, i * 10 + 10))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let pass_x = pass_mark as u32 * bar / 10 + 10;
    view! {
        <figure class="histogram">
            <figcaption>{lang.t(Msg::HistogramTitle)}</figcaption>
            <svg viewBox=format!("0 0 {} {}", width + 20, top + height + 24) role="img" aria-label=label width="100%" style="max-width: 28rem">
                {bins.iter().enumerate().map(|(i, n)| {
                    let h = n * height / highest;
                    let x = i as u32 * bar + 10;
                    let y = top + height - h;
                    view! {
                        <rect x=x y=y width=bar - 4 height=h class="bar" />
                        <text x=x + 2 y=top + height + 16 class="axis">{i * 10}</text>
                        {(*n > 0).then(|| view! { <text x=x + 4 y=y - 3 class="count">{*n}</text> })}
                    }
                }).collect_view()}
                <line x1=pass_x y1=top x2=pass_x y2=top + height class="pass-line" />
            </svg>
        </figure>
    }
}

#[component]
fn PositionPanel(
    round_id: Uuid,
    position: PositionResult,
    pass_mark: u8,
    is_hr: bool,
    tie: ServerAction<RecordTie>,
    names: std::collections::BTreeMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let tie_error = Signal::derive(move || tie.value().get().and_then(Result::err));
    let selected = position
        .candidates
        .iter()
        .filter(|c| c.outcome == "selected")
        .count();
    let reserve = position
        .candidates
        .iter()
        .filter(|c| c.outcome == "reserve")
        .count();
    let code = position.code.clone();
    view! {
        <section class="panel" data-position=position.code.clone()>
            <h2>{position.code.clone()} " – " {position.title.clone()}</h2>
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::ColUnit)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColQuota2)}</th>
                </tr></thead>
                <tbody>
                    {position.units.iter().map(|u| view! {
                        <tr><td>{u.code.clone()} " – " {u.name.clone()}</td><td class="num">{u.quota}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p data-testid="position-counts">{lang.t(Msg::ColSelectedCount)} ": " {selected} " · " {lang.t(Msg::ColReserveCount)} ": " {reserve}</p>
            <Histogram candidates=position.candidates.clone() pass_mark />
            {(!position.ties.is_empty()).then(|| view! {
                <div class="notice" data-testid="ties">
                    <h3>{lang.t(Msg::TiesTitle)}</h3>
                    <ul>
                        {position.ties.iter().map(|t| view! {
                            <li>{t.unit.clone()} " (" {t.places} "): " {t.candidates.join(", ")}</li>
                        }).collect_view()}
                    </ul>
                    {is_hr.then(|| view! {
                        <ErrorSummary error=tie_error id_prefix="tie-" />
                        <ActionForm action=tie attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="round_id" value=round_id.to_string() />
                            <input type="hidden" name="position" value=code.clone() />
                            <crate::components::TextField name="order" id_prefix="tie-" label=Msg::TieOrderField error=tie_error />
                            <crate::components::TextField name="decided_by" id_prefix="tie-" label=Msg::TieDecidedBy error=tie_error />
                            <crate::components::TextField name="decided_on" id_prefix="tie-" label=Msg::TieDecidedOn error=tie_error />
                            <crate::components::TextField name="document_ref" id_prefix="tie-" label=Msg::TieDocument error=tie_error />
                            <button type="submit" class="button">{lang.t(Msg::RecordTieDecision)}</button>
                        </ActionForm>
                    })}
                </div>
            })}
            <CandidateTable candidates=position.candidates.clone() names />
            {(!position.steps.is_empty()).then(|| view! {
                <details>
                    <summary>{lang.t(Msg::PreferenceAllocationTitle)}</summary>
                    <ol data-testid="allocation-steps">
                        {position.steps.iter().map(|s| view! {
                            <li>
                                {s.number.clone()} " (#" {s.rank} "): "
                                {s.tried.iter().map(|(unit, result)| {
                                    let word = match result.as_str() {
                                        "full" => Msg::TriedFull,
                                        "taken" => Msg::TriedTaken,
                                        _ => Msg::TriedTied,
                                    };
                                    format!("{unit} – {}", lang.t(word))
                                }).collect::<Vec<_>>().join(" → ")}
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </section>
    }
}

#[component]
pub fn CandidateTable(
    candidates: Vec<CandidateResult>,
    /// Names of candidates the snapshot does not name (HR's and the chair's review).
    #[prop(optional)]
    names: std::collections::BTreeMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap">
            <table class="data-table sticky-head" data-testid="result-candidates">
                <thead><tr>
                    <th scope="col" class="num">{lang.t(Msg::ColRank)}</th>
                    <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                    <th scope="col">{lang.t(Msg::ColCandidate)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColStage2Score2)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColPriority)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColTotal)}</th>
                    <th scope="col">{lang.t(Msg::ColOutcome)}</th>
                    <th scope="col">{lang.t(Msg::ColWhy)}</th>
                </tr></thead>
                <tbody>
                    {candidates.into_iter().map(|c| view! {
                        <tr data-number=c.number.clone()>
                            <td class="num">{c.rank}</td>
                            <td>{c.number.clone()}</td>
                            <td>{c.full_name.clone().or_else(|| names.get(&c.number).cloned())}</td>
                            <td class="num">{mark_text(lang, c.stage2)}</td>
                            <td class="num">{mark_text(lang, Some(c.priority))}</td>
                            <td class="num">{mark_text(lang, c.total)}</td>
                            <td>{lang.t(outcome_msg(&c.outcome))}</td>
                            <td>{why(lang, &c)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The appointment decision and whether the appointee reported for work.
#[component]
fn AppointmentLine(
    appointment: crate::results::after_selection::AppointmentState,
) -> impl IntoView {
    use crate::results::after_selection::Reporting;
    let lang = use_lang();
    let reporting = match &appointment.reporting {
        None => format!(
            "{} {}",
            lang.t(Msg::AppointmentReportBy),
            appointment.report_by
        ),
        Some(Reporting::Reported { on }) => format!("{}: {on}", lang.t(Msg::EventReportedForWork)),
        Some(Reporting::NotReported { reason }) => {
            format!("{}: {reason}", lang.t(Msg::OutcomeNotReported))
        }
    };
    view! {
        <br /><span data-testid="appointment-state">{lang.t(Msg::EventAppointed)} ": " {appointment.decision.clone()} ", " {appointment.decided_on.clone()} " · " {reporting}</span>
    }
}

#[component]
fn AppointForm(
    round_id: Uuid,
    number: String,
    action: ServerAction<RecordAppointment>,
) -> impl IntoView {
    let lang = use_lang();
    let decision_id = format!("appointment-decision-{number}");
    let date_id = format!("appointment-date-{number}");
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="round_id" value=round_id.to_string() />
            <input type="hidden" name="number" value=number.clone() />
            " " <label for=decision_id.clone()>{lang.t(Msg::AppointmentDecisionLabel)}</label>
            " " <input id=decision_id name="decision" size="24" maxlength="300" autocomplete="off" />
            " " <label for=date_id.clone()>{lang.t(Msg::AppointmentDateLabel)}</label>
            " " <input id=date_id name="decided_on" size="10" autocomplete="off" />
            " " <button type="submit" class="button button-small">{lang.t(Msg::AppointmentButton)}</button>
        </ActionForm>
    }
}

#[component]
fn ReportForms(
    round_id: Uuid,
    number: String,
    action: ServerAction<RecordReporting>,
) -> impl IntoView {
    let lang = use_lang();
    let date_id = format!("reported-on-{number}");
    let reason_id = format!("not-reported-{number}");
    let (reported, not_reported) = (number.clone(), number);
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="round_id" value=round_id.to_string() />
            <input type="hidden" name="number" value=reported />
            <input type="hidden" name="reported" value="true" />
            " " <label for=date_id.clone()>{lang.t(Msg::ReportedOnLabel)}</label>
            " " <input id=date_id name="reported_on" size="10" autocomplete="off" />
            " " <button type="submit" class="button button-small">{lang.t(Msg::ReportedButton)}</button>
        </ActionForm>
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="round_id" value=round_id.to_string() />
            <input type="hidden" name="number" value=not_reported />
            <input type="hidden" name="reported" value="false" />
            " " <label for=reason_id.clone()>{lang.t(Msg::ColReason)}</label>
            " " <input id=reason_id name="reason" size="24" autocomplete="off" />
            " " <button type="submit" class="button button-secondary button-small">{lang.t(Msg::NotReportedButton)}</button>
        </ActionForm>
    }
}

#[component]
fn Dossiers(
    round_id: Uuid,
    winners: Vec<WinnerRow>,
    is_hr: bool,
    decree_300: bool,
    actions: Actions,
) -> impl IntoView {
    let lang = use_lang();
    let action = actions.dossier;
    let error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.appointment.value().get().and_then(Result::err))
            .or_else(|| actions.reporting.value().get().and_then(Result::err))
    });
    let recognised = move || match action.value().get() {
        Some(Ok(Some(number))) => Some(format!("{}: {number}", lang.t(Msg::EventRecognised))),
        Some(Ok(None)) => None,
        _ => None,
    };
    view! {
        <section class="panel">
            <h2>{lang.t(Msg::DossiersTitle)}</h2>
            <p class="hint">{lang.t(Msg::DossiersHint)}</p>
            <ErrorSummary error id_prefix="dossier-" />
            {move || recognised().map(|text| view! { <div class="success" role="status" data-testid="recognised"><p>{text}</p></div> })}
            <div class="table-wrap">
                <table class="data-table" data-testid="winners">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                        <th scope="col">{lang.t(Msg::ColCandidate)}</th>
                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                        <th scope="col">{lang.t(Msg::ColUnit)}</th>
                        <th scope="col">{lang.t(Msg::ColStatus)}</th>
                    </tr></thead>
                    <tbody>
                        {winners.into_iter().map(|w| {
                            let (done, failed) = (w.number.clone(), w.number.clone());
                            let reason_id = format!("dossier-reason-{}", w.number);
                            let ground_id = format!("dossier-ground-{}", w.number);
                            let state = match &w.dossier {
                                Some(d) if !d.outcome.struck_off() => lang.t(Msg::EventDossierCompleted).to_string(),
                                Some(d) => {
                                    let listed = if d.listed { format!(" ({})", lang.t(Msg::DossierListedTag)) } else { String::new() };
                                    format!("{}: {}{listed}", lang.t(d.outcome.msg()), d.reason.clone().unwrap_or_default())
                                }
                                None => lang.t(Msg::DossierPending).to_string(),
                            };
                            let pending = w.dossier.is_none();
                            let complete = w.dossier.as_ref().is_some_and(|d| d.outcome == DossierOutcome::Complete);
                            let appointment = w.appointment.clone();
                            let appoint = is_hr && decree_300 && complete && appointment.is_none();
                            let report = is_hr && decree_300 && complete && appointment.as_ref().is_some_and(|a| a.reporting.is_none());
                            let number = w.number.clone();
                            view! {
                                <tr data-number=w.number.clone()>
                                    <td>{w.number.clone()}</td>
                                    <td>{w.full_name.clone()}
                                        {w.in_place_of.clone().map(|n| view! { <br /><span class="hint">{lang.t(Msg::DossierRecognisedAs)} " " {n}</span> })}
                                    </td>
                                    <td>{w.position_code.clone()}</td>
                                    <td>{w.unit.clone()}</td>
                                    <td>
                                        <span data-testid="dossier-state">{state}</span>
                                        {appointment.map(|a| view! { <AppointmentLine appointment=a /> })}
                                        {appoint.then(|| view! { <AppointForm round_id number=number.clone() action=actions.appointment /> })}
                                        {report.then(|| view! { <ReportForms round_id number=number.clone() action=actions.reporting /> })}
                                        {(is_hr && pending).then(move || view! {
                                            <ActionForm action=action attr:class="inline-form">
                                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                                <input type="hidden" name="number" value=done />
                                                <input type="hidden" name="outcome" value=DossierOutcome::Complete.as_str() />
                                                " " <button type="submit" class="button button-small">{lang.t(Msg::DossierCompletedButton)}</button>
                                            </ActionForm>
                                            <ActionForm action=action attr:class="inline-form">
                                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                                <input type="hidden" name="number" value=failed />
                                                " " <label for=ground_id.clone()>{lang.t(Msg::DossierGroundLabel)}</label>
                                                " " <select id=ground_id name="outcome">
                                                    {DossierOutcome::STRIKE_OFF.into_iter().map(|o| view! { <option value=o.as_str()>{lang.t(o.msg())}</option> }).collect_view()}
                                                </select>
                                                " " <label for=reason_id.clone()>{lang.t(Msg::ColReason)}</label>
                                                " " <input id=reason_id name="reason" size="24" autocomplete="off" />
                                                " " <button type="submit" class="button button-secondary button-small">{lang.t(Msg::DossierStrikeOffButton)}</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
