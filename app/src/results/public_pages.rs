//! The public results of a round (no sign-in; complete without JavaScript): version, time and
//! digest with how to verify them, the winners of every position, one page per position with
//! its selected and reserve lists, and a candidate's own lookup by number and date of birth.

use crate::components::{failure_view, ErrorSummary};
use crate::error::AppError;
use crate::i18n::{use_lang, Msg};
use crate::results::api::*;
use crate::results::pages::{mark_text, why};
use crate::results::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PublicResultsPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => published_results(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::PublicResultsTitle) />
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(results)) => view! { <Published results /> }.into_any(),
                    Ok(None) => view! { <h1>{lang.t(Msg::PublicResultsTitle)}</h1><p>{lang.t(Msg::NoResultsYet)}</p> }.into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Suspense>
    }
}

/// What every public page of a published version shows first: which version, when, its digest.
#[component]
fn VersionFacts(version: u32, published_at: String, digest: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="plain-list" data-testid="result-version">
            <li>{lang.t(Msg::VersionLabel)} ": " <strong data-testid="version-number">{version}</strong></li>
            <li>{lang.t(Msg::ResultPublishedAt)} ": " {published_at}</li>
            <li>{lang.t(Msg::DigestLabel)} ": " <code class="digest" data-testid="digest">{digest}</code></li>
        </ul>
    }
}

fn quotas(lang: crate::i18n::Lang, units: &[crate::results::snapshot::UnitResult]) -> String {
    units
        .iter()
        .map(|u| format!("{} ({}: {})", u.name, lang.t(Msg::ColQuota2), u.quota))
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
fn Published(results: PublicResults) -> impl IntoView {
    let lang = use_lang();
    let round_id = results.round_id;
    view! {
        <p><a href=format!("/rounds/{round_id}")>{results.round_name.clone()}</a></p>
        <h1>{lang.t(Msg::PublicResultsTitle)}</h1>
        <p class="lead">{results.authority.clone()}</p>
        <VersionFacts version=results.version published_at=results.published_at.clone() digest=results.digest.clone() />
        <p class="no-print">
            <a href=format!("/results/{round_id}/lookup") data-testid="lookup-link">{lang.t(Msg::LookupTitle)}</a>
            " · "
            <a href=format!("/results/{round_id}/versions/{}", results.version) rel="external" download=format!("ket-qua-v{}.json", results.version) data-testid="canonical-link">{lang.t(Msg::DownloadCanonical)}</a>
            " · "
            <a href=format!("/results/{round_id}/export/ket-qua.xlsx") rel="external" download data-testid="results-xlsx">{lang.t(Msg::ExportXlsx)}</a>
            " · "
            <a href=format!("/results/{round_id}/export/ket-qua.csv") rel="external" download>{lang.t(Msg::ExportCsv)}</a>
            " · "
            <a href=format!("/results/{round_id}/cancelled") data-testid="cancelled-link">{lang.t(Msg::CancelledTitle)}</a>
        </p>
        {(!results.changes.is_empty()).then(|| view! { <ChangeList version=results.version changes=results.changes.clone() /> })}
        <p class="hint no-print">{lang.t(Msg::PrintHint)}</p>
        <details class="no-print">
            <summary>{lang.t(Msg::VerifyTitle)}</summary>
            <p class="hint">{lang.t(Msg::VerifyHint)}</p>
        </details>
        <h2>{lang.t(Msg::SelectedListTitle)}</h2>
        <div class="table-wrap">
            <table class="data-table" data-testid="positions">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::ColPosition)}</th>
                    <th scope="col">{lang.t(Msg::ColUnit)}</th>
                    <th scope="col">{lang.t(Msg::SelectedListTitle)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ReserveListTitle)}</th>
                </tr></thead>
                <tbody>
                    {results.positions.into_iter().map(|p| view! {
                        <tr data-position=p.code.clone()>
                            <td><a href=format!("/results/{round_id}/positions/{}", p.code)>{p.code.clone()}</a> " – " {p.title.clone()}</td>
                            <td>{quotas(lang, &p.units)}</td>
                            <td>
                                <ul class="plain-list compact">
                                    {p.selected.into_iter().map(|c| view! {
                                        <li>{c.number} " " {c.full_name} {c.unit.map(|u| format!(" ({u})"))}</li>
                                    }).collect_view()}
                                </ul>
                            </td>
                            <td class="num">{p.reserve}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/results/{round}/positions/{code}`: one position's selected and reserve lists, print-ready.
#[component]
pub fn PublicPositionPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let params = leptos_router::hooks::use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(
        move || (id.get(), code()),
        |(id, code)| async move {
            match id {
                Some(id) => published_position(id, code).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::PublicResultsTitle) />
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(p)) => view! { <PublishedPosition data=p /> }.into_any(),
                    Ok(None) => view! { <crate::pages::NotFound /> }.into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublishedPosition(data: PublicPosition) -> impl IntoView {
    let lang = use_lang();
    let p = data.position;
    let selected: Vec<_> = p
        .candidates
        .iter()
        .filter(|c| c.outcome == "selected")
        .cloned()
        .collect();
    let reserve: Vec<_> = p
        .candidates
        .iter()
        .filter(|c| c.outcome == "reserve")
        .cloned()
        .collect();
    view! {
        <p class="no-print"><a href=format!("/results/{}", data.round_id)>{lang.t(Msg::PublicResultsTitle)}</a></p>
        <p>{data.round_name.clone()}</p>
        <h1>{p.code.clone()} " – " {p.title.clone()}</h1>
        <VersionFacts version=data.version published_at=data.published_at.clone() digest=data.digest.clone() />
        <section class="panel results-position" data-position=p.code.clone()>
            <p>{quotas(lang, &p.units)}</p>
            <h2>{lang.t(Msg::SelectedListTitle)}</h2>
            <PublicList candidates=selected testid="selected-list" />
            {(!reserve.is_empty()).then(|| view! {
                <h2>{lang.t(Msg::ReserveListTitle)}</h2>
                <PublicList candidates=reserve testid="reserve-list" />
            })}
        </section>
    }
}

#[component]
fn PublicList(
    candidates: Vec<crate::results::snapshot::CandidateResult>,
    testid: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid=testid>
                <thead><tr>
                    <th scope="col" class="num">{lang.t(Msg::ColRank)}</th>
                    <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                    <th scope="col">{lang.t(Msg::ColCandidate)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColStage2Score2)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColPriority)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColTotal)}</th>
                    <th scope="col">{lang.t(Msg::ColUnit)}</th>
                </tr></thead>
                <tbody>
                    {candidates.into_iter().map(|c| view! {
                        <tr>
                            <td class="num">{c.rank}</td>
                            <td>{c.number.clone()}</td>
                            <td>{c.full_name.clone()}</td>
                            <td class="num">{mark_text(lang, c.stage2)}</td>
                            <td class="num">{mark_text(lang, Some(c.priority))}</td>
                            <td class="num">{mark_text(lang, c.total)}</td>
                            <td>{c.unit.clone().unwrap_or_else(|| c.reserve_place.map(|p| format!("#{p}")).unwrap_or_default())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A republication's list of what changed: old → new mark, total and outcome.
#[component]
fn ChangeList(version: u32, changes: Vec<crate::results::snapshot::Change>) -> impl IntoView {
    let lang = use_lang();
    let outcome = move |line: &str| {
        let (code, rest) = line.split_once(' ').unwrap_or((line, ""));
        format!("{} {rest}", lang.t(outcome_msg(code)))
            .trim()
            .to_string()
    };
    view! {
        <section class="panel">
            <h2>{lang.t(Msg::ChangesTitle)} " " {version.saturating_sub(1)}</h2>
            <div class="table-wrap">
                <table class="data-table" data-testid="changes">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                        <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                        <th scope="col">{lang.t(Msg::ColCandidate)}</th>
                        <th scope="col">{lang.t(Msg::ColStage2Score2)}</th>
                        <th scope="col">{lang.t(Msg::ColTotal)}</th>
                        <th scope="col">{lang.t(Msg::ColOutcome)}</th>
                    </tr></thead>
                    <tbody>
                        {changes.into_iter().map(|c| view! {
                            <tr>
                                <td>{c.position.clone()}</td>
                                <td>{c.number.clone()}</td>
                                <td>{c.full_name.clone()}</td>
                                <td>{mark_text(lang, c.old_stage2)} " → " {mark_text(lang, c.new_stage2)}</td>
                                <td>{mark_text(lang, c.old_total)} " → " {mark_text(lang, c.new_total)}</td>
                                <td>{outcome(&c.old_outcome)} " → " {outcome(&c.new_outcome)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// `/results/{round}/lookup?number=…&code=…`: a plain GET form, so it works on any
/// phone without JavaScript.
#[component]
pub fn LookupPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (
            q.get("number").unwrap_or_default(),
            q.get("code").unwrap_or_default(),
        )
    };
    let answer = Resource::new(
        move || (id.get(), asked()),
        |(id, (number, code))| async move {
            match id {
                _ if number.is_empty() && code.is_empty() => None,
                Some(id) => Some(lookup_result(id, number, code).await),
                None => Some(Err(AppError::NotFound)),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::LookupTitle) />
        <h1>{lang.t(Msg::LookupTitle)}</h1>
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let answer = answer.await;
                let (number, code) = asked();
                let error = answer.clone().and_then(Result::err);
                let form_error = error.clone().filter(|e| matches!(e, AppError::Invalid(_)));
                let round_id = id.get();
                view! {
                    {error.filter(|e| !matches!(e, AppError::Invalid(_))).map(failure_view)}
                    <p class="hint">{lang.t(Msg::LookupHint)}</p>
                    <ErrorSummary error=Signal::derive(move || form_error.clone()) id_prefix="lookup-" />
                    <form method="get" action=round_id.map(|r| format!("/results/{r}/lookup")) class="form" data-testid="lookup-form">
                        <crate::components::TextField name="number" id_prefix="lookup-" label=Msg::CandidateNumber value=number error=Signal::derive(|| None) />
                        <crate::components::TextField name="code" id_prefix="lookup-" label=Msg::LookupCode value=code error=Signal::derive(|| None) />
                        <button type="submit" class="button">{lang.t(Msg::LookupSubmit)}</button>
                    </form>
                    {answer.and_then(Result::ok).map(|a| view! { <LookupAnswerView answer=a /> })}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn LookupAnswerView(answer: LookupAnswer) -> impl IntoView {
    let lang = use_lang();
    let c = answer.candidate.clone();
    view! {
        <section class="panel" data-testid="lookup-answer" role="status">
            <h2>{c.number.clone()} {c.full_name.clone().map(|n| format!(" – {n}"))}</h2>
            <p>{answer.position_code.clone()} " – " {answer.position_title.clone()}</p>
            <dl class="summary-list">
                <dt>{lang.t(Msg::Stage1Label)}</dt>
                <dd>{lang.t(if c.stage1_passed { Msg::PassedWord } else { Msg::NotPassedWord })}</dd>
                <dt>{lang.t(Msg::ColStage2Score2)}</dt><dd>{mark_text(lang, c.stage2)}</dd>
                <dt>{lang.t(Msg::ColPriority)}</dt><dd>{mark_text(lang, Some(c.priority))}</dd>
                <dt>{lang.t(Msg::ColTotal)}</dt><dd>{mark_text(lang, c.total)}</dd>
                <dt>{lang.t(Msg::ColRank)}</dt><dd>{c.rank.map(|r| r.to_string()).unwrap_or_default()}</dd>
                <dt>{lang.t(Msg::ColOutcome)}</dt><dd data-testid="lookup-outcome"><strong>{lang.t(outcome_msg(&c.outcome))}</strong></dd>
                <dt>{lang.t(Msg::ColWhy)}</dt><dd data-testid="lookup-why">{why(lang, &c)}</dd>
            </dl>
            <p class="hint">{lang.t(Msg::VersionLabel)} " " {answer.version} " · " {lang.t(Msg::DigestLabel)} ": " <code class="digest">{answer.digest.clone()}</code></p>
        </section>
    }
}
