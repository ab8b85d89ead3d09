//! The appeal pages: the applicant files and follows their appeal; HR records fees and hands
//! out papers, the chair decides and answers (one page for both); re-markers mark by code on
//! their marking page.

use crate::accounts::types::Role;
use crate::appeals::api::*;
use crate::appeals::types::*;
use crate::components::{count_successes, failure_view, ErrorSummary, Protected, TextArea};
use crate::error::AppError;
use crate::i18n::{fmt, use_lang, Msg};
use crate::rounds::rules::format_dong;
use crate::rounds::types::format_datetime_vn;
use crate::scoring::chair_pages::MarkAndReason;
use crate::scoring::pages::{conflict_notice, show_mark};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/applications/:id/appeal`: the candidate's written mark, the window and fee, the form.
#[component]
pub fn AppealApplicantPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let file = ServerAction::<FileAppeal>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, file);
    let data = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => appeal_for_application(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::AppealTitle) />
        <p><a href="/applications">{lang.t(Msg::NavMyApplications)}</a></p>
        <h1>{lang.t(Msg::AppealTitle)}</h1>
        <Protected roles=&[Role::Applicant]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <ApplicantAppeal page file /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn ApplicantAppeal(page: AppealPage, file: ServerAction<FileAppeal>) -> impl IntoView {
    let lang = use_lang();
    let error = Signal::derive(move || file.value().get().and_then(Result::err));
    let max = page.max;
    view! {
        <p class="lead">{page.round_name.clone()} " – " {page.position_code.clone()} " " {page.position_title.clone()}</p>
        <p class="hint">{lang.t(Msg::AppealRuleHint)}</p>
        <dl class="facts">
            <div><dt>{lang.t(Msg::AppealWrittenMark)}</dt>
                <dd data-testid="written-mark">{page.written.map(|m| format!("{} / {max}", show_mark(lang, m))).unwrap_or_else(|| "—".into())}</dd></div>
            {page.deadline.map(|d| view! { <div><dt>{lang.t(Msg::AppealDeadline)}</dt><dd>{format_datetime_vn(d)}</dd></div> })}
            <div><dt>{lang.t(Msg::AppealFee)}</dt><dd>{format_dong(u64::from(page.fee_dong))}</dd></div>
        </dl>
        <ErrorSummary error id_prefix="appeal-" />
        {page.appeal.clone().map(|a| view! {
            <section class="panel" data-testid="my-appeal">
                <h2>{lang.t(Msg::AppealYours)}</h2>
                <ul class="plain-list">
                    <li>{lang.t(Msg::AppealFiledAt)} ": " {format_datetime_vn(a.filed_at)}</li>
                    {a.reason.clone().map(|r| view! { <li>{lang.t(Msg::ColReason)} ": " {r}</li> })}
                    <li>{lang.t(Msg::AppealFee)} ": " {format_dong(u64::from(a.fee_dong))} " – "
                        {lang.t(if a.fee_paid { Msg::AppealFeePaid } else { Msg::AppealFeeUnpaid })}</li>
                    <li data-testid="appeal-status">
                        {match (a.new_mark, a.answered_at) {
                            (Some(new), Some(at)) => fmt::appeal_answer(lang, &show_mark(lang, a.original), &show_mark(lang, new), &format_datetime_vn(at)),
                            _ => lang.t(if a.fee_paid { Msg::AppealRemarking } else { Msg::AppealAwaitingFee }).to_string(),
                        }}
                    </li>
                </ul>
            </section>
        })}
        {match page.refusal {
            Some(Msg::ErrAppealAlreadyFiled) => ().into_any(),
            Some(refusal) => view! { <p class="notice" data-testid="appeal-refusal">{lang.t(refusal)}</p> }.into_any(),
            None => view! {
                <ActionForm action=file attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="application_id" value=page.application_id.to_string() />
                    <TextArea name="reason" label=Msg::AppealReasonField hint=Msg::AppealReasonHint rows=3 error />
                    <p class="hint">{fmt::appeal_fee_notice(lang, &format_dong(u64::from(page.fee_dong)))}</p>
                    <button type="submit" class="button">{lang.t(Msg::AppealSubmit)}</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

#[derive(Clone, Copy)]
struct Actions {
    fee: ServerAction<RecordAppealFee>,
    assign: ServerAction<AssignAppeals>,
    decide: ServerAction<DecideAppeal>,
    answer: ServerAction<AnswerAppeals>,
    third: ServerAction<GiveThirdRemarker>,
    council: ServerAction<CouncilDecision>,
}

/// `/hr/rounds/:id/appeals`: HR and the round's chair.
#[component]
pub fn AppealsPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let changed = RwSignal::new(0usize);
    let actions = Actions {
        fee: ServerAction::new(),
        assign: ServerAction::new(),
        decide: ServerAction::new(),
        answer: ServerAction::new(),
        third: ServerAction::new(),
        council: ServerAction::new(),
    };
    count_successes(changed, actions.third);
    count_successes(changed, actions.council);
    count_successes(changed, actions.fee);
    count_successes(changed, actions.assign);
    count_successes(changed, actions.decide);
    count_successes(changed, actions.answer);
    let data = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => round_appeals(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::AppealsTitle) />
        <Protected roles=&[Role::HrOfficer, Role::BoardChair]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Appeals view actions /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn Appeals(view: AppealsView, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let round_id = view.round_id;
    let error = Signal::derive(move || {
        actions
            .fee
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.assign.value().get().and_then(Result::err))
            .or_else(|| actions.decide.value().get().and_then(Result::err))
            .or_else(|| actions.answer.value().get().and_then(Result::err))
            .or_else(|| actions.third.value().get().and_then(Result::err))
            .or_else(|| actions.council.value().get().and_then(Result::err))
    });
    let conflict = move || {
        conflict_notice(lang, actions.decide.value().get())
            .or_else(|| conflict_notice(lang, actions.council.value().get()))
    };
    let waiting = view
        .appeals
        .iter()
        .filter(|a| a.state == AppealState::AwaitingAssignment)
        .count();
    let ready = view.appeals.iter().filter(|a| a.state.ready()).count();
    let (is_hr, is_chair) = (view.is_hr, view.is_chair);
    view! {
        <p><a href=format!("/hr/rounds/{round_id}/results")>{lang.t(Msg::ResultsTitle)}</a></p>
        <h1>{lang.t(Msg::AppealsTitle)}</h1>
        <p class="lead">{view.round_name.clone()}</p>
        <ul class="plain-list">
            <li>{lang.t(Msg::AppealDeadline)} ": " {view.filing_deadline.clone().unwrap_or_else(|| lang.t(Msg::ErrAppealNotPublished).to_string())}</li>
            {view.answer_by.clone().map(|d| view! { <li><strong>{lang.t(Msg::AppealAnswerBy)} ": " {d}</strong></li> })}
            <li>{lang.t(Msg::AppealBoard)} ": "
                {if view.board.is_empty() { lang.t(Msg::AppealBoardEmpty).to_string() } else { view.board.join(", ") }}
                " " <a href=format!("/hr/rounds/{round_id}/marking")>{lang.t(Msg::AppealBoardManage)}</a></li>
        </ul>
        <ErrorSummary error id_prefix="appeals-" />
        {move || conflict().map(|c| view! { <p class="notice" role="alert">{c}</p> })}
        {(waiting > 0).then(|| view! {
            <ActionForm action=actions.assign attr:class="form">
                <input type="hidden" name="round_id" value=round_id.to_string() />
                <p class="hint">{fmt::appeals_to_assign(lang, waiting)}</p>
                <button type="submit" class="button button-secondary">{lang.t(Msg::AppealAssign)}</button>
            </ActionForm>
        })}
        {(ready > 0 && is_chair).then(|| view! {
            <ActionForm action=actions.answer attr:class="form">
                <input type="hidden" name="round_id" value=round_id.to_string() />
                <p class="hint">{fmt::appeals_to_answer(lang, ready)}</p>
                <button type="submit" class="button">{lang.t(Msg::AppealAnswerAll)}</button>
            </ActionForm>
        })}
        {view.appeals.is_empty().then(|| view! { <p>{lang.t(Msg::AppealsNone)}</p> })}
        {(!view.appeals.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="appeals">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                        <th scope="col">{lang.t(Msg::AppealFee)}</th>
                        <th scope="col">{lang.t(Msg::FieldPaperCode)}</th>
                        <th scope="col" class="num">{lang.t(Msg::AppealOriginal)}</th>
                        <th scope="col">{lang.t(Msg::AppealRemarks)}</th>
                        <th scope="col">{lang.t(Msg::ColStatus)}</th>
                    </tr></thead>
                    <tbody>
                        {view.appeals.into_iter().map(|a| {
                            let appeal_id = a.id;
                            let chief = a.chief_decides();
                            let minutes_id = format!("appeal-{}-minutes", a.number);
                            let council_mark_id = format!("appeal-{}-council-mark", a.number);
                            let form_id = format!("appeal-{}", a.number);
                            let ref_id = format!("{form_id}-ref");
                            let state = a.state;
                            view! {
                                <tr data-number=a.number.clone()>
                                    <td>{a.number.clone()} " " {a.full_name.clone()}
                                        <div class="hint">{a.filed_at.clone()}</div>
                                        {a.reason.clone().map(|r| view! { <div class="reason">{r}</div> })}</td>
                                    <td>{a.position_code.clone()}</td>
                                    <td>
                                        {format_dong(u64::from(a.fee_dong))}
                                        {match a.fee_reference.clone() {
                                            Some(r) => view! { <div>{lang.t(Msg::AppealFeePaid)} ": " {r}</div> }.into_any(),
                                            None if is_hr => view! {
                                                <ActionForm action=actions.fee attr:class="inline-form">
                                                    <input type="hidden" name="round_id" value=round_id.to_string() />
                                                    <input type="hidden" name="appeal_id" value=appeal_id.to_string() />
                                                    <label for=ref_id.clone()>{lang.t(Msg::AppealFeeReference)}</label>
                                                    " " <input id=ref_id.clone() name="reference" size="14" autocomplete="off" />
                                                    " " <button type="submit" class="button button-small">{lang.t(Msg::AppealRecordFee)}</button>
                                                </ActionForm>
                                            }.into_any(),
                                            None => view! { <div>{lang.t(Msg::AppealFeeUnpaid)}</div> }.into_any(),
                                        }}
                                    </td>
                                    <td>{a.code.clone().map(|c| view! { <code>{c}</code> })}</td>
                                    <td class="num">{show_mark(lang, a.original)} " / " {a.scale.max}</td>
                                    <td>
                                        <ul class="plain-list">
                                            {a.remarks.iter().map(|(name, mark)| view! {
                                                <li>{name.clone()} ": " {mark.map(|m| show_mark(lang, m)).unwrap_or_else(|| lang.t(Msg::NotMarkedYet).to_string())}</li>
                                            }).collect_view()}
                                        </ul>
                                        {a.decision.clone().map(|(m, r)| view! { <p data-testid="appeal-decision"><strong>{show_mark(lang, m)}</strong> " – " {r}</p> })}
                                        {a.council.clone().map(|(m, r)| view! { <p data-testid="appeal-council"><strong>{show_mark(lang, m)}</strong> " – " {r}</p> })}
                                    </td>
                                    <td data-testid="appeal-state">
                                        {lang.t(state.msg())}
                                        {state.result().map(|m| view! { ": " <strong>{show_mark(lang, m)}</strong> })}
                                        {a.answered_at.clone().map(|at| view! { <div class="hint">{at}</div> })}
                                        {match state {
                                            AppealState::ToCouncil { remarked, .. } => Some(view! {
                                                <div class="hint">{lang.t(Msg::AppealCouncilHint)} ": " {show_mark(lang, remarked)} " · " {lang.t(Msg::AppealOriginal)} ": " {show_mark(lang, a.original)}</div>
                                            }),
                                            _ => None,
                                        }}
                                        {(is_chair && matches!(state, AppealState::NeedsThirdRemarker { .. })).then(|| view! {
                                            <ActionForm action=actions.third attr:class="inline-form">
                                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                                <input type="hidden" name="appeal_id" value=appeal_id.to_string() />
                                                <button type="submit" class="button button-small">{lang.t(Msg::AppealGiveThird)}</button>
                                            </ActionForm>
                                        })}
                                        {(is_chair && matches!(state, AppealState::ToCouncil { .. } | AppealState::Minuted(_))).then(|| view! {
                                            <ActionForm action=actions.council attr:class="form">
                                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                                <input type="hidden" name="appeal_id" value=appeal_id.to_string() />
                                                <input type="hidden" name="version" value=a.council_version.to_string() />
                                                <div class="field">
                                                    <label for=council_mark_id.clone()>{lang.t(Msg::FieldMark)}</label>
                                                    <input id=council_mark_id.clone() name="mark" inputmode="decimal" size="6" autocomplete="off" />
                                                </div>
                                                <div class="field">
                                                    <label for=minutes_id.clone()>{lang.t(Msg::AppealCouncilMinutes)}</label>
                                                    <textarea id=minutes_id.clone() name="minutes" rows="2" maxlength="1000"></textarea>
                                                </div>
                                                <button type="submit" class="button button-small button-warning">{lang.t(Msg::AppealCouncilSubmit)}</button>
                                            </ActionForm>
                                        })}
                                        {(is_chair && chief).then(|| view! {
                                            <ActionForm action=actions.decide attr:class="inline-form">
                                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                                <input type="hidden" name="appeal_id" value=appeal_id.to_string() />
                                                <input type="hidden" name="version" value=a.decision_version.to_string() />
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
    }
}

/// On `/marking`: the appealed papers the signed-in member re-marks, by code only.
#[component]
pub fn AppealRemarking() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveRemark>::new();
    let papers = Resource::new(move || save.version().get(), |_| my_appeal_papers());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let conflict = move || conflict_notice(lang, save.value().get());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match papers.await {
                    Ok(papers) if papers.is_empty() => ().into_any(),
                    Ok(papers) => view! {
                        <section class="panel" data-testid="appeal-papers">
                            <h2>{lang.t(Msg::RemarkTitle)}</h2>
                            <p class="hint">{lang.t(Msg::RemarkHint)}</p>
                            <ErrorSummary error id_prefix="remark-" />
                            {move || conflict().map(|c| view! { <p class="notice" role="alert">{c}</p> })}
                            <div class="table-wrap">
                                <table class="data-table">
                                    <thead><tr>
                                        <th scope="col">{lang.t(Msg::ColRoundName)}</th>
                                        <th scope="col">{lang.t(Msg::FieldPaperCode)}</th>
                                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                                        <th scope="col">{lang.t(Msg::FieldMark)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {papers.into_iter().map(|p| {
                                            let input_id = format!("remark-{}", p.code);
                                            let code = p.code.clone();
                                            view! {
                                                <tr data-code=p.code.clone()>
                                                    <td>{p.round_name.clone()}</td>
                                                    <td><code>{p.code.clone()}</code></td>
                                                    <td>{p.position_code.clone()}</td>
                                                    <td>
                                                        {if p.answered {
                                                            view! { {p.mark.map(|m| show_mark(lang, m))} " – " {lang.t(Msg::AppealAnswered)} }.into_any()
                                                        } else {
                                                            view! {
                                                                <ActionForm action=save attr:class="inline-form">
                                                                    <input type="hidden" name="round_id" value=p.round_id.to_string() />
                                                                    <input type="hidden" name="code" value=code.clone() />
                                                                    <input type="hidden" name="version" value=p.version.to_string() />
                                                                    <label for=input_id.clone() class="visually-hidden">{lang.t(Msg::FieldMark)} " " {code.clone()}</label>
                                                                    <input id=input_id name="mark" inputmode="decimal" size="6" autocomplete="off"
                                                                        value=p.mark.map(|m| show_mark(lang, m)).unwrap_or_default() />
                                                                    " / " {p.scale.max} " "
                                                                    <button type="submit" class="button button-small">{lang.t(Msg::SaveMark)}</button>
                                                                </ActionForm>
                                                            }.into_any()
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
