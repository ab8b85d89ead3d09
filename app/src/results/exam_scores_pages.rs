//! The exam scores of each position: HR's panel on the results page (publish, the appeal
//! window, what compiling waits for) and the published list for everyone, without JavaScript.

use crate::components::{count_successes, failure_view, ErrorSummary};
use crate::error::AppError;
use crate::i18n::{use_lang, Msg};
use crate::results::api::{exam_scores, published_exam_scores, PublishExamScores};
use crate::results::exam_scores::PublicScores;
use crate::results::pages::mark_text;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

/// On the results page: each position's exam scores, published before any result (Decree
/// 170/2025 Art 17). Its own resource, beside the results' Transition.
#[component]
pub fn ExamScores(round_id: Uuid) -> impl IntoView {
    let lang = use_lang();
    let publish = ServerAction::<PublishExamScores>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, publish);
    let data = Resource::new(move || changed.get(), move |_| exam_scores(round_id));
    let error = Signal::derive(move || publish.value().get().and_then(Result::err));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) if !view.scores_first => ().into_any(),
                    Ok(view) => view! {
                        <section class="panel" data-testid="exam-scores">
                            <h2>{lang.t(Msg::ExamScoresTitle)}</h2>
                            <p class="hint">{lang.t(Msg::ExamScoresIntro)}</p>
                            <ErrorSummary error id_prefix="scores-" />
                            <p data-testid="compile-waits" role="status">
                                {match view.waits_for {
                                    Some(msg) => view! { <strong>{lang.t(Msg::ExamScoresWaiting)} ": "</strong> {lang.t(msg)} }.into_any(),
                                    None => view! { <strong>{lang.t(Msg::ExamScoresReady)}</strong> }.into_any(),
                                }}
                            </p>
                            <div class="table-wrap">
                                <table class="data-table">
                                    <thead><tr>
                                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                                        <th scope="col" class="num">{lang.t(Msg::Candidates)}</th>
                                        <th scope="col">{lang.t(Msg::ColStatus)}</th>
                                        <th scope="col">{lang.t(Msg::ExamScoresAppealsUntil)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {view.positions.into_iter().map(|p| {
                                            let can_publish = view.is_hr && view.decoded && p.published_at.is_none() && p.candidates > 0;
                                            let code = p.code.clone();
                                            view! {
                                                <tr data-position=p.code.clone()>
                                                    <td><strong>{p.code.clone()}</strong> " " {p.title.clone()}</td>
                                                    <td class="num">{p.candidates}</td>
                                                    <td data-testid="scores-state">
                                                        {match p.published_at.clone() {
                                                            Some(at) => view! {
                                                                {lang.t(Msg::ExamScoresPublishedOn)} " " {at} " · "
                                                                <a href=format!("/results/{round_id}/scores/{}", p.code)>{lang.t(Msg::ExamScoresPublicLink)}</a>
                                                            }.into_any(),
                                                            None => lang.t(Msg::ExamScoresNotPublished).into_any(),
                                                        }}
                                                        {can_publish.then(|| view! {
                                                            <ActionForm action=publish attr:class="inline-form">
                                                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                                                <input type="hidden" name="position" value=code.clone() />
                                                                " " <button type="submit" class="button button-small">{lang.t(Msg::ExamScoresPublish)}</button>
                                                            </ActionForm>
                                                        })}
                                                    </td>
                                                    <td data-testid="appeals-until">
                                                        {match (p.appealable, p.appeals_until.clone()) {
                                                            (false, _) => lang.t(Msg::ExamScoresNoAppeal).to_string(),
                                                            (true, Some(until)) => until,
                                                            (true, None) => String::new(),
                                                        }}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }.into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Transition>
    }
}

/// `/results/:id/scores/:code`: a position's exam scores as published, by candidate number.
#[component]
pub fn PublicScoresPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let params = leptos_router::hooks::use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(
        move || (id.get(), code()),
        |(id, code)| async move {
            match id {
                Some(id) => published_exam_scores(id, code).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::ScoresPublishedTitle) />
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(scores)) => view! { <ScoreList scores /> }.into_any(),
                    Ok(None) => view! { <h1>{lang.t(Msg::ScoresPublishedTitle)}</h1><p>{lang.t(Msg::ExamScoresNotPublished)}</p> }.into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ScoreList(scores: PublicScores) -> impl IntoView {
    let lang = use_lang();
    let list = scores.list;
    let has_written = list.lines.iter().any(|l| l.written.is_some());
    let has_panel = list.lines.iter().any(|l| l.panel.is_some());
    let max = list.max_score;
    view! {
        <p><a href=format!("/rounds/{}", list.round_id)>{list.round_name.clone()}</a></p>
        <h1>{lang.t(Msg::ScoresPublishedTitle)} ": " {list.position_code.clone()}</h1>
        <p class="lead">{list.position_title.clone()} " · " {list.authority.clone()}</p>
        <ul class="plain-list">
            <li>{lang.t(Msg::ExamScoresPublishedOn)} ": " {scores.published_at.clone()}</li>
            {scores.appeals_until.clone().map(|u| view! { <li><strong>{lang.t(Msg::ExamScoresAppealsUntil)} ": " <span data-testid="appeals-until">{u}</span></strong></li> })}
            <li>{lang.t(Msg::DigestLabel)} ": " <code class="digest" data-testid="digest">{scores.digest.clone()}</code></li>
        </ul>
        <div class="table-wrap">
            <table class="data-table" data-testid="score-list">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                    {has_written.then(|| view! { <th scope="col" class="num">{lang.t(Msg::ColWrittenMark)} " /" {max}</th> })}
                    {has_panel.then(|| view! { <th scope="col" class="num">{lang.t(Msg::ColPanelMark)} " /" {max}</th> })}
                    <th scope="col" class="num">{lang.t(Msg::ColStage2Score)}</th>
                </tr></thead>
                <tbody>
                    {list.lines.into_iter().map(|l| view! {
                        <tr data-number=l.number.clone()>
                            <td>{l.number.clone()}</td>
                            {has_written.then(|| view! { <td class="num">{mark_text(lang, l.written)}</td> })}
                            {has_panel.then(|| view! { <td class="num">{mark_text(lang, l.panel)}</td> })}
                            <td class="num">{mark_text(lang, Some(l.score))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
