//! The chair's pages: papers whose two marks are too far apart, sheet entries that do not
//! agree, locking, decoding with the stage-2 scores, and one paper's full history.

use crate::accounts::types::Role;
use crate::components::{count_successes, failure_view, ErrorSummary, Protected};
use crate::error::AppError;
use crate::i18n::{fmt, use_lang, Msg};
use crate::scoring::api::*;
use crate::scoring::pages::{conflict_notice, show_mark, ProgressTable, StageTimes};
use crate::scoring::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[derive(Clone, Copy)]
struct ChairActions {
    decide: ServerAction<DecidePaper>,
    third: ServerAction<AssignThirdMarker>,
    resolve: ServerAction<ResolveMismatch>,
    lock: ServerAction<LockMarking>,
    decode: ServerAction<DecodeMarking>,
}

#[component]
pub fn ChairPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let changed = RwSignal::new(0usize);
    let actions = ChairActions {
        decide: ServerAction::new(),
        third: ServerAction::new(),
        resolve: ServerAction::new(),
        lock: ServerAction::new(),
        decode: ServerAction::new(),
    };
    count_successes(changed, actions.decide);
    count_successes(changed, actions.third);
    count_successes(changed, actions.resolve);
    count_successes(changed, actions.lock);
    count_successes(changed, actions.decode);
    let view_data = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => chair_queue(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::ChairTitle) />
        <Protected roles=&[Role::BoardChair, Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => view! { <Chair data actions /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn Chair(data: ChairView, actions: ChairActions) -> impl IntoView {
    let lang = use_lang();
    let round_id = data.round_id;
    let locked = data.stage.locked_at.is_some();
    let decoded = data.stage.decoded_at.is_some();
    let acting = data.is_chair && !locked;
    let decide_error = Signal::derive(move || actions.decide.value().get().and_then(Result::err));
    let decide_conflict = move || conflict_notice(lang, actions.decide.value().get());
    let third_error = Signal::derive(move || actions.third.value().get().and_then(Result::err));
    let third_done = move || actions.third.value().get().and_then(Result::ok);
    let resolve_error = Signal::derive(move || actions.resolve.value().get().and_then(Result::err));
    let lock_error = Signal::derive(move || actions.lock.value().get().and_then(Result::err));
    let decode_error = Signal::derive(move || actions.decode.value().get().and_then(Result::err));
    let papers = data.papers.clone();
    let mismatches = data.mismatches.clone();
    view! {
        <p><a href=format!("/hr/rounds/{round_id}/marking")>{lang.t(Msg::MarkingBoardTitle)}</a></p>
        <h1>{lang.t(Msg::ChairTitle)}</h1>
        <p class="lead">{data.round_name.clone()}</p>
        <StageTimes stage=data.stage.clone() />
        <p class="hint">{fmt::marking_rule(lang, data.rule)}</p>
        <ProgressTable progress=data.progress.clone() />

        <section class="panel">
            <h2>{lang.t(Msg::DisputedTitle)}</h2>
            {data.papers.is_empty().then(|| view! { <p>{lang.t(Msg::NoDisputed)}</p> })}
            <ErrorSummary error=decide_error id_prefix="decide-" />
            <ErrorSummary error=third_error id_prefix="third-" />
            {move || third_done().map(|name| view! {
                <p class="success" role="status" data-testid="third-assigned">{lang.t(Msg::ThirdMarkerAssigned)} " " {name}</p>
            })}
            {move || decide_conflict().map(|text| view! { <div class="error-summary" role="alert"><p>{text}</p></div> })}
            {(!data.papers.is_empty()).then(move || view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="disputed">
                        <thead><tr>
                            <th scope="col">{lang.t(Msg::FieldPaperCode)}</th>
                            <th scope="col">{lang.t(Msg::ColPosition)}</th>
                            <th scope="col" class="num">{lang.t(Msg::ColFirstMark)}</th>
                            <th scope="col" class="num">{lang.t(Msg::ColSecondMark)}</th>
                            <th scope="col" class="num">{lang.t(Msg::ColThirdMark)}</th>
                            <th scope="col" class="num">{lang.t(Msg::ColDifference)}</th>
                            <th scope="col">{lang.t(Msg::ColDecision)}</th>
                        </tr></thead>
                        <tbody>
                            {papers.into_iter().map(|p| {
                                let (paper_id, version) = (p.paper_id, p.version);
                                let form_id = format!("decide-{}", p.code);
                                view! {
                                    <tr data-code=p.code.clone()>
                                        <td><code>{p.code.clone()}</code> " " <a href=format!("/board/papers/{}", p.paper_id)>{lang.t(Msg::PaperHistoryLink)}</a></td>
                                        <td>{p.position_code.clone()}</td>
                                        <td class="num">{show_mark(lang, p.first)}</td>
                                        <td class="num">{show_mark(lang, p.second)}</td>
                                        <td class="num" data-testid="third">{match p.kind {
                                            DisputeKind::PanelSpread => p.marks.iter().skip(2).map(|m| show_mark(lang, *m)).collect::<Vec<_>>().join("; "),
                                            _ => p.third.map(|m| show_mark(lang, m)).unwrap_or_default(),
                                        }}</td>
                                        <td class="num">{show_mark(lang, p.difference)}</td>
                                        <td>
                                            <p class="hint" data-testid="dispute-kind">{lang.t(match p.kind {
                                                DisputeKind::Gap => Msg::DisputeGap,
                                                DisputeKind::ThirdMarker => Msg::DisputeThirdMarker,
                                                DisputeKind::Majority => Msg::DisputeMajority,
                                                DisputeKind::PanelSpread => Msg::DisputePanel,
                                            })}</p>
                                            {(p.kind == DisputeKind::ThirdMarker && p.third_assigned).then(|| view! {
                                                <p data-testid="third-waiting">{lang.t(Msg::ThirdMarkerAssigned)}</p>
                                            })}
                                            {(acting && p.kind == DisputeKind::ThirdMarker && !p.third_assigned).then(move || view! {
                                                <ActionForm action=actions.third attr:class="inline-form">
                                                    <input type="hidden" name="round_id" value=round_id.to_string() />
                                                    <input type="hidden" name="paper_id" value=paper_id.to_string() />
                                                    <button type="submit" class="button button-small">{lang.t(Msg::AssignThirdMarker)}</button>
                                                </ActionForm>
                                            })}
                                            {p.decision.map(|d| view! {
                                                <p data-testid="decision"><strong>{show_mark(lang, d)}</strong> " – " {p.reason.clone()}</p>
                                            })}
                                            {(acting && matches!(p.kind, DisputeKind::Gap | DisputeKind::PanelSpread)).then(move || view! {
                                                <ActionForm action=actions.decide attr:class="inline-form">
                                                    <input type="hidden" name="round_id" value=round_id.to_string() />
                                                    <input type="hidden" name="paper_id" value=paper_id.to_string() />
                                                    <input type="hidden" name="version" value=version.to_string() />
                                                    <MarkAndReason id=form_id.clone() />
                                                    " " <button type="submit" class="button button-small">{lang.t(Msg::DecideSubmit)}</button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>

        <section class="panel">
            <h2>{lang.t(Msg::MismatchesTitle)}</h2>
            {data.mismatches.is_empty().then(|| view! { <p>{lang.t(Msg::NoMismatches)}</p> })}
            <ErrorSummary error=resolve_error id_prefix="resolve-" />
            {(!data.mismatches.is_empty()).then(move || view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="mismatches">
                        <thead><tr>
                            <th scope="col">{lang.t(Msg::FieldPaperCode)}</th>
                            <th scope="col">{lang.t(Msg::FieldMarker)}</th>
                            <th scope="col" class="num">{lang.t(Msg::ColEntry1)}</th>
                            <th scope="col" class="num">{lang.t(Msg::ColEntry2)}</th>
                            <th scope="col" class="num">{lang.t(Msg::ColMarkInSystem)}</th>
                            <th scope="col"></th>
                        </tr></thead>
                        <tbody>
                            {mismatches.into_iter().map(|m| {
                                let (paper_id, marker_id) = (m.paper_id, m.marker_id);
                                let key = format!("{}-{}", m.code, m.marker_id);
                                let form_id = format!("resolve-{key}");
                                view! {
                                    <tr data-code=m.code.clone()>
                                        <td><code>{m.code.clone()}</code> " · " {m.position_code.clone()}</td>
                                        <td>{m.marker_name.clone()}</td>
                                        <td class="num">{show_mark(lang, m.first)}</td>
                                        <td class="num">{show_mark(lang, m.second)}</td>
                                        <td class="num">{m.entered.map(|e| show_mark(lang, e))}</td>
                                        <td>
                                            {acting.then(move || view! {
                                                <ActionForm action=actions.resolve attr:class="inline-form">
                                                    <input type="hidden" name="round_id" value=round_id.to_string() />
                                                    <input type="hidden" name="paper_id" value=paper_id.to_string() />
                                                    <input type="hidden" name="marker_id" value=marker_id.to_string() />
                                                    <MarkAndReason id=form_id.clone() />
                                                    " " <button type="submit" class="button button-small">{lang.t(Msg::ResolveSubmit)}</button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>

        {(data.is_chair && !locked).then(|| view! {
            <section class="panel">
                <h2>{lang.t(Msg::LockMarks)}</h2>
                <p class="hint">{lang.t(Msg::LockMarksHint)}</p>
                {(!data.can_lock).then(|| view! { <p class="notice" data-testid="lock-blocked">{lang.t(Msg::ErrLockBlocked)}</p> })}
                <ErrorSummary error=lock_error id_prefix="lock-" />
                <ActionForm action=actions.lock attr:class="form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <button type="submit" class="button" disabled=!data.can_lock>{lang.t(Msg::LockMarks)}</button>
                </ActionForm>
            </section>
        })}
        {(data.is_chair && locked && !decoded).then(|| view! {
            <section class="panel">
                <h2>{lang.t(Msg::DecodeSubmit)}</h2>
                <p class="hint">{lang.t(Msg::DecodeHint)}</p>
                <ErrorSummary error=decode_error id_prefix="decode-" />
                <ActionForm action=actions.decode attr:class="form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <button type="submit" class="button">{lang.t(Msg::DecodeSubmit)}</button>
                </ActionForm>
            </section>
        })}
        {decoded.then(|| view! {
            <DecodedTable round_id rows=data.decoded.clone() />
            <p><a href=format!("/hr/rounds/{round_id}/results") data-testid="results-page-link">{lang.t(Msg::ResultsHrLink)}</a></p>
        })}
        <FindPaper round_id error=None />
    }
}

/// Finds any paper of the round by its code and opens its history (a plain GET form).
#[component]
fn FindPaper(round_id: Uuid, error: Option<AppError>) -> impl IntoView {
    let lang = use_lang();
    let error = Signal::derive(move || error.clone());
    view! {
        <section class="panel">
            <h2>{lang.t(Msg::FindPaperTitle)}</h2>
            <ErrorSummary error id_prefix="find-" />
            <form method="get" action=format!("/board/rounds/{round_id}/papers") class="form" data-testid="find-paper">
                <crate::components::TextField name="code" id_prefix="find-" label=Msg::FieldPaperCode error />
                <button type="submit" class="button button-secondary">{lang.t(Msg::FindPaperSubmit)}</button>
            </form>
        </section>
    }
}

/// `/board/rounds/{round}/papers?code=…`: a paper's history found by its code.
#[component]
pub fn PaperLookupPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let query = leptos_router::hooks::use_query_map();
    let code = move || query.read().get("code").unwrap_or_default();
    let found = Resource::new(
        move || (id.get(), code()),
        |(id, code)| async move {
            match id {
                Some(id) => paper_history_by_code(id, code).await.map(|p| (id, p)),
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::PaperHistoryTitle) />
        <Protected roles=&[Role::BoardChair, Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match (found.await, id.get()) {
                        (Ok((_, paper)), _) => view! { <PaperHistory paper /> }.into_any(),
                        (Err(err @ AppError::Invalid(_)), Some(round_id)) => view! {
                            <p><a href=format!("/board/rounds/{round_id}")>{lang.t(Msg::ChairTitle)}</a></p>
                            <FindPaper round_id error=Some(err) />
                        }.into_any(),
                        (Err(err), _) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

/// The chair's mark and the reason for it, labelled, inside one row's form.
#[component]
pub(crate) fn MarkAndReason(id: String) -> impl IntoView {
    let lang = use_lang();
    let (mark_id, reason_id) = (format!("{id}-mark"), format!("{id}-reason"));
    view! {
        <label for=mark_id.clone()>{lang.t(Msg::FieldMark)}</label>
        " " <input id=mark_id name="mark" inputmode="decimal" size="6" autocomplete="off" />
        " " <label for=reason_id.clone()>{lang.t(Msg::ColReason)}</label>
        " " <input id=reason_id name="reason" size="28" autocomplete="off" />
    }
}

#[component]
fn DecodedTable(round_id: Uuid, rows: Vec<DecodedRow>) -> impl IntoView {
    let lang = use_lang();
    let mark = move |m: Option<crate::scoring::marks::Mark>| {
        m.map(|m| show_mark(lang, m)).unwrap_or_default()
    };
    view! {
        <section class="panel">
            <h2>{lang.t(Msg::DecodedTitle)}</h2>
            <p role="status">{fmt::papers_decoded(lang, rows.len())}</p>
            <div class="table-wrap">
                <table class="data-table sticky-head" data-testid="decoded">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                        <th scope="col">{lang.t(Msg::ColCandidate)}</th>
                        <th scope="col">{lang.t(Msg::FieldPaperCode)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColWrittenMark)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColPanelMark)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColStage2Score)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.position_code}</td>
                                <td>{r.candidate_number} " · " {r.full_name}</td>
                                <td>{r.written_code.map(|code| view! {
                                    <a href=format!("/board/rounds/{round_id}/papers?code={code}")><code>{code.clone()}</code></a>
                                })}</td>
                                <td class="num">{mark(r.written)}</td>
                                <td class="num">{mark(r.panel)}</td>
                                <td class="num"><strong>{show_mark(lang, r.score)}</strong></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn action_label(action: &str) -> Option<Msg> {
    Some(match action {
        "entered" => Msg::AuditEntered,
        "changed" => Msg::AuditChanged,
        "imported" => Msg::AuditImported,
        "sheet_entry_1" => Msg::AuditSheetEntry1,
        "sheet_entry_2" => Msg::AuditSheetEntry2,
        "transcribed" => Msg::AuditTranscribed,
        "mismatch_resolved" => Msg::AuditMismatchResolved,
        "chair_decided" => Msg::AuditChairDecided,
        "decision_withdrawn" => Msg::AuditDecisionWithdrawn,
        "third_marker_assigned" => Msg::AuditThirdMarkerAssigned,
        _ => return None,
    })
}

#[component]
pub fn PaperHistoryPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let history = Resource::new(
        move || id.get(),
        |id: Option<Uuid>| async move {
            match id {
                Some(id) => paper_history(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::PaperHistoryTitle) />
        <Protected roles=&[Role::BoardChair, Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(paper) => view! { <PaperHistory paper /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn PaperHistory(paper: PaperAudit) -> impl IntoView {
    let lang = use_lang();
    let mark = move |m: Option<crate::scoring::marks::Mark>| {
        m.map(|m| show_mark(lang, m)).unwrap_or_default()
    };
    view! {
        <p><a href=format!("/board/rounds/{}", paper.round_id)>{lang.t(Msg::ChairTitle)}</a></p>
        <h1>{lang.t(Msg::PaperHistoryTitle)} " " <code>{paper.code.clone()}</code></h1>
        <p class="lead">{paper.position_code.clone()} " · " {lang.t(paper.part.label())}
            {paper.candidate.clone().map(|c| format!(" · {c}"))}</p>
        <h2>{lang.t(Msg::CurrentMarksTitle)}</h2>
        <ul class="plain-list" data-testid="current-marks">
            {paper.marks.iter().map(|(name, m)| view! {
                <li>{name.clone()} ": " {m.map_or_else(|| lang.t(Msg::NotMarkedYet).to_string(), |m| show_mark(lang, m))}</li>
            }).collect_view()}
        </ul>
        <div class="table-wrap">
            <table class="data-table" data-testid="paper-audit">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::ColWhen)}</th>
                    <th scope="col">{lang.t(Msg::ColWhat)}</th>
                    <th scope="col">{lang.t(Msg::ColWho)}</th>
                    <th scope="col">{lang.t(Msg::FieldMarker)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColOldMark)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColNewMark)}</th>
                    <th scope="col">{lang.t(Msg::ColReason)}</th>
                </tr></thead>
                <tbody>
                    {paper.rows.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.at}</td>
                            <td>{action_label(&r.action).map_or_else(|| r.action.clone(), |m| lang.t(m).to_string())}</td>
                            <td>{r.actor}</td>
                            <td>{r.marker.unwrap_or_default()}</td>
                            <td class="num">{mark(r.old_mark)}</td>
                            <td class="num">{mark(r.new_mark)}</td>
                            <td>{r.reason.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
