//! After selection under Decree 300/2026: HR's panel to publish the cancelled list and recognise
//! the next-ranked (with the head's decision where they are still equal), and the public page
//! of the cancelled lists (no sign-in, complete without JavaScript).

use crate::components::{count_successes, failure_view, ErrorSummary};
use crate::error::AppError;
use crate::i18n::{use_lang, Msg};
use crate::results::after_selection::{AfterSelectionView, CancelledList, NextRankedOutcome};
use crate::results::api::*;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

/// The cancelled lists and the next-ranked on the results page. `changed` is the page's
/// counter: the panel reloads with the winners' table and bumps it after its own actions.
#[component]
pub fn AfterSelectionPanel(round_id: Uuid, changed: RwSignal<usize>) -> impl IntoView {
    let publish = ServerAction::<PublishCancelled>::new();
    let next = ServerAction::<RecogniseNextRanked>::new();
    count_successes(changed, publish);
    count_successes(changed, next);
    let data = Resource::new(move || changed.get(), move |_| after_selection(round_id));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) if view.decree_300 => view! { <Panel round_id view publish next /> }.into_any(),
                    Ok(_) | Err(AppError::NotFound) => ().into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Transition>
    }
}

fn outcome_text(lang: crate::i18n::Lang, outcome: &NextRankedOutcome) -> String {
    let mut parts = Vec::new();
    if !outcome.recognised.is_empty() {
        parts.push(format!(
            "{}: {}",
            lang.t(Msg::NextRankedRecognised),
            outcome.recognised.join(", ")
        ));
    }
    if !outcome.unfilled.is_empty() {
        parts.push(format!(
            "{}: {}",
            lang.t(Msg::NextRankedUnfilled),
            outcome.unfilled.join(", ")
        ));
    }
    parts.join(". ")
}

#[component]
fn Panel(
    round_id: Uuid,
    view: AfterSelectionView,
    publish: ServerAction<PublishCancelled>,
    next: ServerAction<RecogniseNextRanked>,
) -> impl IntoView {
    let lang = use_lang();
    let publish_error = Signal::derive(move || publish.value().get().and_then(Result::err));
    let next_error = Signal::derive(move || next.value().get().and_then(Result::err));
    let published = move || match publish.value().get() {
        Some(Ok(version)) => Some(format!("{} {version}", lang.t(Msg::CancelledPublished))),
        _ => None,
    };
    let recognised = move || match next.value().get() {
        Some(Ok(outcome)) => Some(outcome_text(lang, &outcome)).filter(|t| !t.is_empty()),
        _ => None,
    };
    let AfterSelectionView {
        can_act,
        unlisted,
        waiting,
        tie,
        next_ranked_due,
        lists,
        ..
    } = view;
    view! {
        <section class="panel" data-testid="after-selection">
            <h2>{lang.t(Msg::CancelledTitle)}</h2>
            <p class="hint">{lang.t(Msg::CancelledHint)}</p>
            <ErrorSummary error=publish_error id_prefix="cancelled-" />
            {move || published().map(|text| view! { <div class="success" role="status" data-testid="cancelled-published"><p>{text}</p></div> })}
            {(!unlisted.is_empty()).then(|| view! {
                <p data-testid="cancelled-unlisted">{lang.t(Msg::CancelledUnlisted)} ": " {unlisted.join(", ")}</p>
                {can_act.then(|| view! {
                    <ActionForm action=publish attr:class="inline-form">
                        <input type="hidden" name="round_id" value=round_id.to_string() />
                        <button type="submit" class="button">{lang.t(Msg::CancelledPublishButton)}</button>
                    </ActionForm>
                })}
            })}
            <ErrorSummary error=next_error id_prefix="next-" />
            {move || recognised().map(|text| view! { <div class="success" role="status" data-testid="next-ranked-done"><p>{text}</p></div> })}
            {(!waiting.is_empty()).then(|| view! {
                <p data-testid="next-ranked-waiting">{lang.t(Msg::NextRankedWaiting)} ": " {waiting.join(", ")}
                    {next_ranked_due.clone().map(|due| view! { <br />{lang.t(Msg::NextRankedDue)} ": " <strong data-testid="next-ranked-due">{due}</strong> })}
                </p>
                {can_act.then(|| view! {
                    <ActionForm action=next attr:class="form">
                        <input type="hidden" name="round_id" value=round_id.to_string() />
                        {(!tie.is_empty()).then(|| view! {
                            <p data-testid="next-ranked-tie">{lang.t(Msg::NextRankedTie)} " " {tie.join(", ")}</p>
                            <div class="field">
                                <label for="next-chosen">{lang.t(Msg::NextRankedChosenLabel)}</label>
                                <select id="next-chosen" name="chosen">
                                    {tie.iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="next-head_decision">{lang.t(Msg::NextRankedDecisionLabel)}</label>
                                <input id="next-head_decision" name="head_decision" type="text" maxlength="500" autocomplete="off" />
                            </div>
                        })}
                        <button type="submit" class="button">{lang.t(Msg::NextRankedButton)}</button>
                    </ActionForm>
                })}
            })}
            <p class="no-print"><a href=format!("/results/{round_id}/cancelled") data-testid="cancelled-public-link">{lang.t(Msg::CancelledTitle)}</a></p>
            <CancelledTables lists />
        </section>
    }
}

/// Each published cancelled list, newest last.
#[component]
fn CancelledTables(lists: Vec<CancelledList>) -> impl IntoView {
    let lang = use_lang();
    if lists.is_empty() {
        return view! { <p data-testid="cancelled-none">{lang.t(Msg::CancelledNone)}</p> }
            .into_any();
    }
    lists
        .into_iter()
        .map(|list| {
            view! {
                <h3>{lang.t(Msg::CancelledVersion)} " " {list.version} " · " {list.published_at.clone()}</h3>
                <div class="table-wrap">
                    <table class="data-table" data-testid="cancelled-list" data-version=list.version>
                        <thead><tr>
                            <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                            <th scope="col">{lang.t(Msg::ColCandidate)}</th>
                            <th scope="col">{lang.t(Msg::ColPosition)}</th>
                            <th scope="col">{lang.t(Msg::ColUnit)}</th>
                            <th scope="col">{lang.t(Msg::DossierGroundLabel)}</th>
                            <th scope="col">{lang.t(Msg::ColReason)}</th>
                            <th scope="col">{lang.t(Msg::ColReplacedBy)}</th>
                        </tr></thead>
                        <tbody>
                            {list.entries.into_iter().map(|e| view! {
                                <tr data-number=e.number.clone()>
                                    <td>{e.number.clone()}</td>
                                    <td>{e.full_name.clone()}</td>
                                    <td>{e.position_code.clone()}</td>
                                    <td>{e.unit.clone()}</td>
                                    <td>{lang.t(e.outcome.msg())}</td>
                                    <td>{e.reason.clone()}</td>
                                    <td data-testid="replaced-by">{match (&e.replaced_by, e.unfilled) {
                                        (Some(n), _) => n.clone(),
                                        (None, true) => lang.t(Msg::NoReserveLeft).to_string(),
                                        (None, false) => String::new(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// `/results/:id/cancelled`: the round's published cancelled lists, for anyone.
#[component]
pub fn PublicCancelledPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => cancelled_lists(id).await.map(|lists| (id, lists)),
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::CancelledTitle) />
        <h1>{lang.t(Msg::CancelledTitle)}</h1>
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((round_id, lists)) => view! {
                        <p class="no-print"><a href=format!("/results/{round_id}")>{lang.t(Msg::PublicResultsTitle)}</a></p>
                        <CancelledTables lists />
                    }.into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Suspense>
    }
}
