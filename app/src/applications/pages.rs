//! The applicant's pages: home (applications, timelines, notifications), applying to a round
//! (choices, documents, check and submit) and the printable receipt.

use crate::accounts::types::Role;
use crate::applications::api::*;
use crate::applications::autosave::{autosave, state_msg};
use crate::applications::documents::MAX_DOCUMENT_BYTES;
use crate::applications::types::*;
use crate::components::{
    by_id, count_successes, error_from_url, failure_view, focus_when_shown, use_id_param,
    ErrorSummary, Protected,
};
use crate::error::{AppError, FieldError};
use crate::i18n::{fmt, use_lang, Msg};
use crate::rounds::rules::{format_dong, format_points};
use crate::rounds::types::{format_date_vn, format_datetime_vn, vietnam_date, RoundNotice};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn ApplicantHomePage() -> impl IntoView {
    let lang = use_lang();
    let mark_read = ServerAction::<MarkNotificationsRead>::new();
    crate::shell::use_auth().refresh_after(move || mark_read.version().get());
    let home = Resource::new(move || mark_read.version().get(), |_| my_applications());
    view! {
        <Protected roles=&[Role::Applicant]>
            <Title text=lang.t(Msg::NavMyApplications) />
            <h1>{lang.t(Msg::NavMyApplications)}</h1>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! { <HomeView home mark_read /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn HomeView(home: ApplicantHome, mark_read: ServerAction<MarkNotificationsRead>) -> impl IntoView {
    let lang = use_lang();
    let ApplicantHome {
        applications,
        drafts,
        open_rounds,
        notifications,
        now,
    } = home;
    let unread = notifications.iter().filter(|n| !n.read).count();
    let applied: Vec<Uuid> = applications.iter().map(|a| a.round_id).collect();
    let drafted: Vec<Uuid> = drafts.iter().map(|d| d.round_id).collect();
    view! {
        <p><a href="/applications/profile">{lang.t(Msg::ProfileTitle)}</a> " – " {lang.t(Msg::ProfileLinkHint)}</p>
        {(!notifications.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="notifications-title" data-testid="notifications">
                <h2 id="notifications-title">
                    {lang.t(Msg::Notifications)}
                    {(unread > 0).then(|| view! { " " <span class="tag tag-new">{fmt::unread(lang, unread)}</span> })}
                </h2>
                <ul class="notification-list">
                    {notifications.into_iter().map(|n| view! {
                        <li class:unread=!n.read>
                            <span class="when">{format_datetime_vn(n.at)}</span> " "
                            <strong>{lang.t(n.kind.msg())}</strong>
                            {n.round_name.map(|r| view! { " – " {r} })}
                            {n.reason.map(|r| view! { <span class="reason">{format!(" ({}: {r})", lang.t(Msg::Reason))}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
                {(unread > 0).then(|| view! {
                    <ActionForm action=mark_read attr:class="inline-form">
                        <button type="submit" class="link-button">{lang.t(Msg::MarkAllRead)}</button>
                    </ActionForm>
                })}
            </section>
        })}

        <h2>{lang.t(Msg::YourApplications)}</h2>
        {if applications.is_empty() {
            view! { <p>{lang.t(Msg::NoApplicationsYet)}</p> }.into_any()
        } else {
            applications.into_iter().map(|a| view! { <ApplicationCard application=a now /> }).collect_view().into_any()
        }}

        {(!drafts.is_empty()).then(|| view! {
            <h2>{lang.t(Msg::Drafts)}</h2>
            <ul class="plain-list">
                {drafts.into_iter().map(|d| view! {
                    <li>
                        <a href=format!("/applications/rounds/{}", d.round_id)>{d.round_name}</a>
                        " – " {lang.t(Msg::Deadline)} ": " {format_datetime_vn(d.closes_at)}
                    </li>
                }).collect_view()}
            </ul>
        })}

        <h2>{lang.t(Msg::OpenRoundsToApply)}</h2>
        {
            let open: Vec<_> = open_rounds
                .into_iter()
                .filter(|r| !applied.contains(&r.id) && !drafted.contains(&r.id))
                .collect();
            if open.is_empty() {
                view! { <p>{lang.t(Msg::NoOtherOpenRounds)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {open.into_iter().map(|r| view! {
                            <li>
                                <a href=format!("/applications/rounds/{}", r.id) class="button button-secondary">{lang.t(Msg::ApplyToRound)}</a>
                                " " {r.name} " – " {lang.t(Msg::Deadline)} ": " {format_datetime_vn(r.closes_at)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }
    }
}

/// One application with its status, fee and timeline.
#[component]
fn ApplicationCard(application: ApplicationView, now: time::OffsetDateTime) -> impl IntoView {
    let lang = use_lang();
    let a = application;
    let editable = match a.status {
        ApplicationStatus::NeedsCorrection => a.fix_by.is_some_and(|d| now < d),
        ApplicationStatus::Submitted | ApplicationStatus::UnderReview => now < a.closes_at,
        _ => false,
    };
    let scheduled = a.timeline.iter().any(|e| e.kind == EventKind::Scheduled);
    let published = a
        .timeline
        .iter()
        .any(|e| e.kind == EventKind::ResultPublished);
    // Under the amended decree appeals run from the exam scores, before any result.
    let appealable = published
        || a.timeline
            .iter()
            .any(|e| e.kind == EventKind::ScoresPublished);
    view! {
        <article class="panel application-card" data-testid="application-card">
            <h3>{a.round_name.clone()}</h3>
            <dl class="summary-list">
                <div><dt>{lang.t(Msg::ReceiptCode)}</dt><dd class="receipt-code" data-testid="receipt-code">{a.receipt_code.clone()}</dd></div>
                <div><dt>{lang.t(Msg::Position)}</dt><dd>{format!("{} · {}", a.position_code, a.position_title)}</dd></div>
                <div>
                    <dt>{lang.t(Msg::ColStatus)}</dt>
                    <dd data-testid="application-status"><strong>{lang.t(a.status.msg())}</strong></dd>
                </div>
                {a.status_reason.clone().map(|r| view! { <div><dt>{lang.t(Msg::Reason)}</dt><dd>{r}</dd></div> })}
                {a.fix_by.map(|d| view! { <div><dt>{lang.t(Msg::FixBy)}</dt><dd>{format_datetime_vn(d)}</dd></div> })}
                <div><dt>{lang.t(Msg::Fee)}</dt><dd>{fee_text(&a.fee)}</dd></div>
                {scheduled.then(|| view! {
                    <div><dt>{lang.t(Msg::LookupCode)}</dt><dd><strong data-testid="application-lookup-code">{crate::results::types::format_lookup_code(&a.lookup_code)}</strong>
                        <br /><span class="hint">{lang.t(Msg::LookupCodeHint)}</span></dd></div>
                })}
            </dl>
            <Timeline application=a.clone() />
            <p class="page-links">
                <a href=format!("/applications/{}/receipt", a.id)>{lang.t(Msg::ViewReceipt)}</a>
                {scheduled.then(|| view! {
                    " · " <a href=format!("/applications/{}/ticket?stage=1", a.id) data-testid="ticket-link">{lang.t(Msg::ViewTicket)}</a>
                })}
                {editable.then(|| view! {
                    " · " <a href=format!("/applications/rounds/{}", a.round_id)>{lang.t(Msg::EditApplication)}</a>
                })}
                {published.then(|| view! {
                    " · " <a href=format!("/results/{}", a.round_id)>{lang.t(Msg::PublicResultsTitle)}</a>
                })}
                {appealable.then(|| view! {
                    " · " <a href=format!("/applications/{}/appeal", a.id) data-testid="appeal-link">{lang.t(Msg::AppealTitle)}</a>
                })}
            </p>
        </article>
    }
}

fn fee_text(fee: &FeeView) -> String {
    let lang = use_lang();
    match fee.paid_at {
        Some(at) => format!(
            "{} – {} {}",
            format_dong(fee.amount_dong),
            lang.t(Msg::FeePaidOn),
            format_datetime_vn(at)
        ),
        None => format!(
            "{} – {}",
            format_dong(fee.amount_dong),
            lang.t(Msg::FeeNotPaid)
        ),
    }
}

/// The steps so far, and what comes next.
#[component]
fn Timeline(application: ApplicationView) -> impl IntoView {
    let lang = use_lang();
    let has = |kind: EventKind| application.timeline.iter().any(|e| e.kind == kind);
    let after_exams = if has(EventKind::ResultPublished) {
        Some(None)
    } else if has(EventKind::ScoresPublished) {
        Some(Some(Msg::NextAfterScores))
    } else if has(EventKind::Scheduled) {
        Some(Some(Msg::NextSitExam))
    } else {
        None
    };
    let next = match application.status {
        ApplicationStatus::Eligible if after_exams.is_some() => after_exams.flatten(),
        ApplicationStatus::Submitted => Some(Msg::NextUnderReview),
        ApplicationStatus::UnderReview => Some(Msg::NextDecision),
        ApplicationStatus::NeedsCorrection => Some(Msg::NextCorrect),
        ApplicationStatus::Eligible if application.fee.paid_at.is_none() => Some(Msg::NextPayFee),
        ApplicationStatus::Eligible => Some(Msg::NextExam),
        ApplicationStatus::Rejected => None,
    };
    view! {
        <ol class="timeline" aria-label=lang.t(Msg::Timeline) data-testid="timeline">
            {application.timeline.into_iter().map(|e| view! {
                <li class="done">
                    <span class="when">{format_datetime_vn(e.at)}</span>
                    <span class="what">{lang.t(e.kind.msg())}</span>
                    {e.reason.map(|r| view! { <span class="reason">{lang.t(Msg::Reason)} ": " {r}</span> })}
                    {e.fix_by.map(|d| view! { <span class="reason">{lang.t(Msg::FixBy)} ": " {format_datetime_vn(d)}</span> })}
                </li>
            }).collect_view()}
            {next.map(|msg| view! {
                <li class="next"><span class="what">{lang.t(Msg::NextStep)} ": " {lang.t(msg)}</span>
                {(msg == Msg::NextPayFee).then(|| view! {
                    <span class="reason">{fmt::fee_instructions(lang, &format_dong(application.fee.amount_dong), &application.receipt_code)}</span>
                })}
                </li>
            })}
        </ol>
    }
}

#[component]
pub fn ApplyPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let choice = ServerAction::<SaveChoice>::new();
    let submit = ServerAction::<SubmitApplication>::new();
    let remove = ServerAction::<RemoveDocument>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, submit);
    count_successes(changed, remove);
    let data = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| by_id(id, apply_page),
    );
    let upload_error = StoredValue::new(error_from_url(UploadDocument::PATH));
    view! {
        <Protected roles=&[Role::Applicant]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <ApplyView data choice submit remove upload_error=upload_error.get_value() />
                        }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn ApplyView(
    data: ApplyPageData,
    choice: ServerAction<SaveChoice>,
    submit: ServerAction<SubmitApplication>,
    remove: ServerAction<RemoveDocument>,
    upload_error: Option<AppError>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let uploaded = query.read_untracked().get("uploaded").is_some();
    let ApplyPageData {
        notice,
        profile,
        choice: saved_choice,
        documents,
        application,
        editable_until,
        editable,
        now,
        ..
    } = data;
    let round_id = notice.round.id;
    let selected = RwSignal::new(saved_choice.position_id);
    let today = vietnam_date(now);
    let checked = profile.check(today);
    let incomplete = profile.incomplete_sections(today);
    let title = format!("{}: {}", lang.t(Msg::ApplyTitle), notice.round.name);
    let submit_error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    let applied = application.is_some();

    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p class="deadline" data-testid="deadline">
            {lang.t(Msg::ChangesAcceptedUntil)} ": " <strong>{format_datetime_vn(editable_until)}</strong>
            " (" {lang.t(Msg::VietnamTime)} ")"
        </p>
        {(!editable).then(|| view! {
            <div class="notice notice-warning" role="status" data-testid="closed-notice">
                <p>{lang.t(Msg::ApplicationClosedNotice)}</p>
            </div>
        })}
        {application.clone().map(|a| view! {
            <div class="success" role="status" data-testid="submitted-panel">
                <p>
                    {lang.t(Msg::AlreadySubmitted)} " " <strong class="receipt-code">{a.receipt_code.clone()}</strong>
                    " – " {lang.t(a.status.msg())} ". "
                    <a href=format!("/applications/{}/receipt", a.id)>{lang.t(Msg::ViewReceipt)}</a>
                </p>
                {a.status_reason.clone().map(|r| view! { <p>{lang.t(Msg::Reason)} ": " {r}</p> })}
            </div>
        })}

        <ol class="steps">
            <li>
                <h2>{lang.t(Msg::StepProfile)}</h2>
                {if incomplete.is_empty() {
                    view! { <p><span class="tag tag-done">{lang.t(Msg::SectionDone)}</span> " " {lang.t(Msg::ProfileComplete)}</p> }.into_any()
                } else {
                    view! {
                        <p><span class="tag">{lang.t(Msg::SectionToDo)}</span> " " {lang.t(Msg::ProfileToComplete)}</p>
                        <ul>{incomplete.iter().map(|s| view! { <li>{lang.t(s.msg())}</li> }).collect_view()}</ul>
                    }.into_any()
                }}
                <p><a href=format!("/applications/profile?round={round_id}")>{lang.t(Msg::EditProfile)}</a></p>
            </li>
            <li>
                <h2>{lang.t(Msg::StepChoice)}</h2>
                <ChoiceForm notice=notice.clone() saved=saved_choice.clone() choice editable selected />
            </li>
            <li id="documents">
                <h2>{lang.t(Msg::StepDocuments)}</h2>
                <DocumentsPanel round_id documents=documents.clone() editable remove uploaded upload_error remove_error />
            </li>
            <li>
                <h2>{lang.t(Msg::StepSubmit)}</h2>
                <SubmitErrors error=submit_error round_id />
                {match &checked {
                    Ok(p) => view! {
                        <dl class="summary-list" data-testid="check-answers">
                            <div><dt>{lang.t(Msg::FullName)}</dt><dd>{p.full_name.clone()}</dd></div>
                            <div><dt>{lang.t(Msg::DateOfBirth)}</dt><dd>{format_date_vn(p.date_of_birth)}</dd></div>
                            <div><dt>{lang.t(Msg::NationalId)}</dt><dd>{p.national_id.as_str().to_string()}</dd></div>
                            <div><dt>{lang.t(Msg::Phone)}</dt><dd>{p.phone.clone()}</dd></div>
                            <div><dt>{lang.t(Msg::DegreeLevelLabel)}</dt><dd>{lang.t(p.highest_degree.msg())} " – " {p.majors.join(", ")}</dd></div>
                            <div><dt>{lang.t(Msg::Position)}</dt><dd>{
                                let (notice, saved) = (notice.clone(), saved_choice.clone());
                                move || {
                                    // Follows the position chosen above; the units as last saved.
                                    let choice = DraftChoice { position_id: selected.get(), ..saved.clone() };
                                    chosen_position_text(&notice, &choice)
                                }
                            }</dd></div>
                            <div><dt>{lang.t(Msg::StepDocuments)}</dt><dd>{documents.len()}</dd></div>
                        </dl>
                    }.into_any(),
                    Err(_) => view! { <p>{lang.t(Msg::CompleteProfileFirst)}</p> }.into_any(),
                }}
                {editable.then(|| view! {
                    <ActionForm action=submit attr:class="form" attr:novalidate=true attr:data-testid="submit-form">
                        <input type="hidden" name="round_id" value=round_id.to_string() />
                        <div class="field" id="declaration">
                            <label class="checkbox">
                                <input type="checkbox" name="declaration" value="on" />
                                " " {lang.t(Msg::DeclarationText)}
                            </label>
                        </div>
                        <button type="submit" class="button" disabled=move || submit.pending().get()>
                            {lang.t(if applied { Msg::UpdateApplication } else { Msg::SubmitApplication })}
                        </button>
                        <Show when=move || submit.pending().get()>
                            <p role="status">{lang.t(Msg::Submitting)}</p>
                        </Show>
                    </ActionForm>
                })}
            </li>
        </ol>
    }
}

fn chosen_position_text(notice: &RoundNotice, choice: &DraftChoice) -> String {
    let Some(position) = notice
        .positions
        .iter()
        .find(|p| Some(p.id) == choice.position_id)
    else {
        return "–".to_string();
    };
    let units: Vec<String> = choice
        .preferences
        .iter()
        .filter_map(|u| position.units.iter().find(|x| x.unit_id == *u))
        .map(|u| u.unit_name.clone())
        .collect();
    if units.is_empty() {
        format!("{} · {}", position.code, position.title)
    } else {
        format!(
            "{} · {} ({})",
            position.code,
            position.title,
            units.join(" › ")
        )
    }
}

/// The submission's problems, each linking to where it is fixed: here, or on the profile page.
#[component]
fn SubmitErrors(error: Signal<Option<AppError>>, round_id: Uuid) -> impl IntoView {
    let lang = use_lang();
    const HERE: [&str; 6] = [
        "position_id",
        "preferences_0",
        "priority_code",
        "documents",
        "declaration",
        "deadline",
    ];
    let summary = NodeRef::<leptos::html::Div>::new();
    focus_when_shown(summary);
    move || {
        error.get().map(|err| {
            let fields: Vec<FieldError> = err.field_errors();
            let items = if fields.is_empty() {
                view! { <li>{err.text(lang)}</li> }.into_any()
            } else {
                fields
                    .into_iter()
                    .map(|f| {
                        let text = match crate::applications::profile::field_label(lang, &f.field) {
                            Some(label) => format!("{label}: {}", lang.t(f.msg)),
                            None => lang.t(f.msg).to_string(),
                        };
                        let href = if HERE.contains(&f.field.as_str()) {
                            format!("#{}", f.field)
                        } else if f.field == "profile" {
                            format!("/applications/profile?check=1&round={round_id}")
                        } else {
                            format!("/applications/profile?check=1&round={round_id}#{}", f.field)
                        };
                        view! { <li><a href=href>{text}</a></li> }
                    })
                    .collect_view()
                    .into_any()
            };
            view! {
                <div class="error-summary" role="alert" tabindex="-1" data-testid="error-summary" node_ref=summary>
                    <h2>{lang.t(Msg::ErrorSummaryTitle)}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// Position, ranked units (for a shared position) and priority category; saved as chosen.
#[component]
fn ChoiceForm(
    notice: RoundNotice,
    saved: DraftChoice,
    choice: ServerAction<SaveChoice>,
    editable: bool,
    /// The position chosen, shared with the summary below the form.
    selected: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let lang = use_lang();
    let auth = crate::shell::use_auth();
    let round_id = notice.round.id;
    let positions = StoredValue::new(notice.positions.clone());
    let preferences = saved.preferences.clone();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let key = Signal::derive(move || {
        let user = auth
            .user
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.id.to_string())
            .unwrap_or_default();
        format!("portal:choice:{user}:{round_id}")
    });
    let autosaver = autosave(form_ref, choice, key);
    let error = Signal::derive(move || choice.value().get().and_then(Result::err));
    let priorities = notice.rule_set.params.priority_categories.clone();
    let declared = saved.priority_codes.clone();
    view! {
        <ErrorSummary error keep_focus=true />
        <ActionForm
            action=choice
            node_ref=form_ref
            attr:class="form"
            attr:novalidate=true
            attr:data-testid="choice-form"
            on:change=move |_| autosaver.on_input.run(())
        >
            <input type="hidden" name="round_id" value=round_id.to_string() />
            <fieldset class="plain-fieldset" disabled=!editable>
                <div class="field" id="position_id">
                    <label for="position-select">{lang.t(Msg::Position)}</label>
                    <select
                        id="position-select"
                        name="position_id"
                        on:change=move |ev| selected.set(Uuid::parse_str(&event_target_value(&ev)).ok())
                    >
                        <option value="" selected=saved.position_id.is_none()>{lang.t(Msg::ChooseOption)}</option>
                        {notice.positions.iter().map(|p| {
                            let units = p.units.iter().map(|u| u.unit_name.clone()).collect::<Vec<_>>().join(", ");
                            view! {
                                <option
                                    value=p.id.to_string()
                                    selected=Some(p.id) == saved.position_id
                                    data-units=p.units.len()
                                >
                                    {format!("{} · {} ({}; {})", p.code, p.title, units, lang.t(p.min_degree.msg()))}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                {move || {
                    let position = selected.get().and_then(|id| positions.with_value(|ps| ps.iter().find(|p| p.id == id).cloned()));
                    position.filter(|p| p.units.len() > 1).map(|p| {
                        let prefs = preferences.clone();
                        view! {
                            <fieldset class="field" id="preferences_0">
                                <legend>{lang.t(Msg::RankUnits)}</legend>
                                <p class="hint">{lang.t(Msg::RankUnitsHint)}</p>
                                {(0..p.units.len()).map(|rank| {
                                    let current = prefs.get(rank).copied();
                                    let id = format!("preference-{rank}");
                                    view! {
                                        <div class="field">
                                            <label for=id.clone()>{fmt::preference(lang, rank + 1)}</label>
                                            <select id=id name=format!("preferences[{rank}]")>
                                                <option value="">{lang.t(Msg::ChooseOption)}</option>
                                                {p.units.iter().map(|u| view! {
                                                    <option value=u.unit_id.to_string() selected=Some(u.unit_id) == current>
                                                        {format!("{} ({} {})", u.unit_name, lang.t(Msg::RoundQuota), u.quota)}
                                                    </option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                        }
                    })
                }}
                <fieldset class="field" id="priority_code">
                    <legend>{lang.t(Msg::PriorityCategory)}</legend>
                    <p class="hint">{lang.t(Msg::PriorityHint)}</p>
                    {priorities.into_iter().enumerate().map(|(i, c)| {
                        let checked = declared.contains(&c.code);
                        view! {
                            <label class="checkbox">
                                <input id=format!("priority-{i}") type="checkbox" name="priority_codes[]" value=c.code.clone() checked=checked />
                                " " {format!("{} (+{})", c.name, format_points(c.points_tenths))}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button-secondary">{lang.t(Msg::SaveChoice)}</button>
                    <p class="autosave-status" role="status" aria-live="polite" data-testid="choice-status">
                        {move || state_msg(autosaver.state.get()).map(|m| lang.t(m))}
                    </p>
                </div>
            </fieldset>
        </ActionForm>
    }
}

#[component]
fn DocumentsPanel(
    round_id: Uuid,
    documents: Vec<DocumentInfo>,
    editable: bool,
    remove: ServerAction<RemoveDocument>,
    uploaded: bool,
    upload_error: Option<AppError>,
    remove_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let upload_error = Signal::derive(move || upload_error.clone());
    let kinds = move |current: Option<DocumentKind>| {
        DocumentKind::ALL
            .into_iter()
            .map(|k| {
                view! { <option value=k.as_str() selected=Some(k) == current>{lang.t(k.msg())}</option> }
            })
            .collect_view()
    };
    view! {
        <p class="hint">{fmt::document_rules(lang, MAX_DOCUMENT_BYTES / (1024 * 1024))}</p>
        {uploaded.then(|| view! { <div class="success" role="status"><p>{lang.t(Msg::DocumentUploaded)}</p></div> })}
        <ErrorSummary error=upload_error id_prefix="upload-" />
        <ErrorSummary error=remove_error />
        {if documents.is_empty() {
            view! { <p data-testid="no-documents">{lang.t(Msg::NoDocumentsYet)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="documents">
                        <thead><tr>
                            <th scope="col">{lang.t(Msg::DocumentKindLabel)}</th>
                            <th scope="col">{lang.t(Msg::FileName)}</th>
                            <th scope="col" class="num">{lang.t(Msg::FileSize)}</th>
                            <th scope="col">{lang.t(Msg::Checksum)}</th>
                            {editable.then(|| view! { <th scope="col">{lang.t(Msg::Actions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {documents.into_iter().map(|d| {
                                let replace_id = format!("replace-{}", d.id);
                                view! {
                                    <tr>
                                        <td>{lang.t(d.kind.msg())}</td>
                                        <td><a href=format!("/documents/{}", d.id) rel="external" target="_blank">{d.file_name.clone()}</a></td>
                                        <td class="num">{format!("{} KB", (d.byte_size + 1023) / 1024)}</td>
                                        <td><code title=d.sha256.clone()>{d.sha256[..12].to_string()}</code></td>
                                        {editable.then(|| view! {
                                            <td>
                                                <form method="post" enctype="multipart/form-data" action=UploadDocument::PATH class="inline-form">
                                                    <input type="hidden" name="round_id" value=round_id.to_string() />
                                                    <input type="hidden" name="kind" value=d.kind.as_str() />
                                                    <input type="hidden" name="replaces" value=d.id.to_string() />
                                                    <label class="visually-hidden" for=replace_id.clone()>{lang.t(Msg::ReplaceFile)} " " {d.file_name.clone()}</label>
                                                    <input id=replace_id type="file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
                                                    <button type="submit" class="button button-secondary">{lang.t(Msg::ReplaceFile)}</button>
                                                </form>
                                                <ActionForm action=remove attr:class="inline-form">
                                                    <input type="hidden" name="round_id" value=round_id.to_string() />
                                                    <input type="hidden" name="document_id" value=d.id.to_string() />
                                                    <button type="submit" class="link-button">{lang.t(Msg::RemoveFile)}</button>
                                                </ActionForm>
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {editable.then(|| view! {
            <form method="post" enctype="multipart/form-data" action=UploadDocument::PATH class="form" data-testid="upload-form">
                <input type="hidden" name="round_id" value=round_id.to_string() />
                <div class="field">
                    <label for="upload-kind">{lang.t(Msg::DocumentKindLabel)}</label>
                    <select id="upload-kind" name="kind">{kinds(Some(DocumentKind::Degree))}</select>
                </div>
                <div class="field" class:field-error=move || upload_error.get().is_some()>
                    <label for="upload-file">{lang.t(Msg::ChooseFile)}</label>
                    {move || upload_error.get().and_then(|e| e.for_field("file")).map(|m| view! { <p class="error-message">{lang.t(m)}</p> })}
                    <input id="upload-file" type="file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
                </div>
                <button type="submit" class="button button-secondary">{lang.t(Msg::UploadFile)}</button>
            </form>
        })}
    }
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let application = Resource::new(move || id.get(), |id| by_id(id, get_application));
    view! {
        <Protected roles=&[Role::Applicant, Role::HrOfficer]>
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match application.await {
                        Ok(a) => view! { <Receipt a /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Suspense>
        </Protected>
    }
}

#[component]
fn Receipt(a: ApplicationView) -> impl IntoView {
    let lang = use_lang();
    let submitted = a
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::Submitted)
        .map_or(a.submitted_at, |e| e.at);
    view! {
        <Title text=lang.t(Msg::ReceiptTitle) />
        <article class="receipt" data-testid="receipt">
            <p class="receipt-authority">{a.authority.clone()}</p>
            <h1>{lang.t(Msg::ReceiptTitle)}</h1>
            <p>{a.round_name.clone()}</p>
            <p class="receipt-code-big" data-testid="receipt-code">{a.receipt_code.clone()}</p>
            <dl class="summary-list">
                <div><dt>{lang.t(Msg::FullName)}</dt><dd>{a.full_name.clone()}</dd></div>
                <div><dt>{lang.t(Msg::DateOfBirth)}</dt><dd>{format_date_vn(a.date_of_birth)}</dd></div>
                <div><dt>{lang.t(Msg::NationalId)}</dt><dd>{mask_national_id(&a.national_id)}</dd></div>
                <div><dt>{lang.t(Msg::Position)}</dt><dd>{format!("{} · {}", a.position_code, a.position_title)}</dd></div>
                {(a.units.len() > 1).then(|| view! {
                    <div><dt>{lang.t(Msg::RankUnits)}</dt><dd><ol>{a.units.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}</ol></dd></div>
                })}
                {a.priority.clone().map(|p| view! { <div><dt>{lang.t(Msg::PriorityCategory)}</dt><dd>{p}</dd></div> })}
                <div><dt>{lang.t(Msg::SubmittedAt)}</dt><dd>{format_datetime_vn(submitted)}</dd></div>
                {(a.updated_at > submitted + time::Duration::seconds(1)).then(|| view! {
                    <div><dt>{lang.t(Msg::LastUpdated)}</dt><dd>{format_datetime_vn(a.updated_at)}</dd></div>
                })}
                <div><dt>{lang.t(Msg::ColStatus)}</dt><dd>{lang.t(a.status.msg())}</dd></div>
                <div><dt>{lang.t(Msg::Fee)}</dt><dd>{fee_text(&a.fee)}</dd></div>
            </dl>
            <p class="hint">{lang.t(Msg::ReceiptKeep)}</p>
        </article>
        <p class="no-print page-links">
            <button type="button" class="button" on:click=|_| crate::components::print_page()>{lang.t(Msg::Print)}</button>
            " " <a href="/applications">{lang.t(Msg::NavMyApplications)}</a>
        </p>
    }
}

/// The receipt may be printed and left lying about: only the first three and last three
/// digits of the ID number are shown.
fn mask_national_id(id: &str) -> String {
    if id.len() == 12 {
        format!("{}••••••{}", &id[..3], &id[9..])
    } else {
        id.to_string()
    }
}
