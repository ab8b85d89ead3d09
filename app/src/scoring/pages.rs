//! The marking board page (HR sets it up; the chair follows it) and the marking home of
//! markers, clerks and chairs.

use crate::accounts::types::Role;
use crate::components::{count_successes, failure_view, ErrorSummary, Protected};
use crate::error::AppError;
use crate::i18n::{use_lang, Lang, Msg};
use crate::scoring::api::*;
use crate::scoring::marks::Mark;
use crate::scoring::papers::Part;
use crate::scoring::types::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use uuid::Uuid;

/// A mark as people read it: decimal comma in Vietnamese.
pub fn show_mark(lang: Lang, mark: Mark) -> String {
    mark.display(if lang == Lang::Vi { ',' } else { '.' })
}

/// What to tell the typist when someone else changed the mark first (a version-checked save
/// answered `Conflict`): the value now; nothing otherwise.
pub fn conflict_notice(
    lang: Lang,
    outcome: Option<Result<SaveOutcome, crate::error::AppError>>,
) -> Option<String> {
    match outcome {
        Some(Ok(SaveOutcome::Conflict { current, .. })) => Some(crate::i18n::fmt::mark_conflict(
            lang,
            "",
            &current.map_or_else(
                || lang.t(Msg::NotMarkedYet).to_string(),
                |m| show_mark(lang, m),
            ),
        )),
        _ => None,
    }
}

/// Runs a multipart upload in the browser (the form posts by itself without JavaScript),
/// with `pending` set while the file travels and is checked.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub(crate) fn upload<F, Fut>(ev: leptos::ev::SubmitEvent, pending: RwSignal<bool>, send: F)
where
    F: FnOnce(leptos::server_fn::codec::MultipartData) -> Fut + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            send(data.into()).await;
            pending.set(false);
        });
    }
}

/// The busy line shown while an upload is checked.
#[component]
pub fn UploadProgress(pending: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    move || {
        pending.get().then(|| {
            view! {
                <p role="status" class="upload-progress">
                    <progress aria-label=lang.t(Msg::UploadChecking)></progress>
                    " " {lang.t(Msg::UploadChecking)}
                </p>
            }
        })
    }
}

#[component]
pub fn MarkingHomePage() -> impl IntoView {
    let lang = use_lang();
    let home = Resource::new(|| (), |_| my_marking());
    view! {
        <Title text=lang.t(Msg::NavMarking) />
        <h1>{lang.t(Msg::NavMarking)}</h1>
        <Protected roles=&[Role::Marker, Role::BoardChair, Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! { <MarkingHome home /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
            // Beside the Transition, not inside its Suspend: made there, its resource was
            // fetched again in the browser and the page's hydration panicked (after the
            // results and appeals journeys had both run), leaving every link dead.
            <crate::appeals::pages::AppealRemarking />
        </Protected>
    }
}

#[component]
fn MarkingHome(home: MarkingHome) -> impl IntoView {
    let lang = use_lang();
    let empty = home.own.is_empty() && home.transcribe.is_empty() && home.chaired.is_empty();
    let sheets = move |sheets: Vec<SheetRef>, transcribe: bool, testid: &'static str| {
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid=testid>
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::ColRoundName)}</th>
                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                        <th scope="col">{lang.t(Msg::FieldPart)}</th>
                        {transcribe.then(|| view! { <th scope="col">{lang.t(Msg::FieldMarker)}</th> })}
                        <th scope="col" class="num">{lang.t(Msg::ColComplete)}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>
                        {sheets.into_iter().map(|s| view! {
                            <tr>
                                <td>{s.round_name.clone()}</td>
                                <td>{s.position_code.clone()} " – " {s.position_title.clone()}</td>
                                <td>{lang.t(s.part.label())}</td>
                                {transcribe.then(|| view! { <td>{s.marker_name.clone()}</td> })}
                                <td class="num">{s.entered} " / " {s.papers}</td>
                                <td><a href=s.href(transcribe)>{lang.t(Msg::EnterMarks)}</a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        {empty.then(|| view! { <p>{lang.t(Msg::NoMarkingWork)}</p> })}
        {(!home.own.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.t(Msg::MySheetsTitle)}</h2>
                {sheets(home.own.clone(), false, "my-sheets")}
            </section>
        })}
        {(!home.transcribe.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.t(Msg::TranscribeTitle)}</h2>
                <p class="hint">{lang.t(Msg::TranscribeBlindHint)}</p>
                {sheets(home.transcribe.clone(), true, "transcribe-sheets")}
            </section>
        })}
        {(!home.chaired.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.t(Msg::ChairedTitle)}</h2>
                <ul>
                    {home.chaired.iter().map(|(id, name)| view! {
                        <li><a href=format!("/board/rounds/{id}")>{name.clone()}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// `/board`: the rounds whose board the signed-in chair chairs.
#[component]
pub fn BoardHomePage() -> impl IntoView {
    let lang = use_lang();
    let home = Resource::new(|| (), |_| my_marking());
    view! {
        <Title text=lang.t(Msg::ChairTitle) />
        <h1>{lang.t(Msg::ChairedTitle)}</h1>
        <Protected roles=&[Role::BoardChair]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) if home.chaired.is_empty() => view! { <p>{lang.t(Msg::NoMarkingWork)}</p> }.into_any(),
                        Ok(home) => view! {
                            <ul data-testid="chaired-rounds">
                                {home.chaired.into_iter().map(|(id, name)| view! {
                                    <li><a href=format!("/board/rounds/{id}")>{name}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

/// The actions of the board page; made by the page, outside the role gate.
#[derive(Clone, Copy)]
struct BoardActions {
    add_member: ServerAction<AddBoardMember>,
    remove_member: ServerAction<RemoveBoardMember>,
    assign: ServerAction<AssignMarker>,
    unassign: ServerAction<UnassignMarker>,
    lock_stage1: ServerAction<LockStage1>,
    start: ServerAction<StartMarking>,
    stage1: RwSignal<Option<Result<Stage1Report, AppError>>>,
    changed: RwSignal<usize>,
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let changed = RwSignal::new(0usize);
    let actions = BoardActions {
        add_member: ServerAction::new(),
        remove_member: ServerAction::new(),
        assign: ServerAction::new(),
        unassign: ServerAction::new(),
        lock_stage1: ServerAction::new(),
        start: ServerAction::new(),
        stage1: RwSignal::new(None),
        changed,
    };
    count_successes(changed, actions.add_member);
    count_successes(changed, actions.remove_member);
    count_successes(changed, actions.assign);
    count_successes(changed, actions.unassign);
    count_successes(changed, actions.lock_stage1);
    count_successes(changed, actions.start);
    let board = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => marking_board(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::MarkingBoardTitle) />
        <Protected roles=&[Role::HrOfficer, Role::BoardChair]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(board) => view! { <Board board actions /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn Board(board: BoardView, actions: BoardActions) -> impl IntoView {
    let lang = use_lang();
    let round_id = board.round_id;
    let can_edit = board.can_edit;
    let member_error =
        Signal::derive(move || actions.add_member.value().get().and_then(Result::err));
    let assign_error = Signal::derive(move || actions.assign.value().get().and_then(Result::err));
    let positions = board.positions.clone();
    let markers: Vec<BoardMember> = board
        .members
        .iter()
        .filter(|m| m.duty == Duty::Marker)
        .cloned()
        .collect();
    view! {
        <p><a href=format!("/hr/rounds/{round_id}")>{lang.t(Msg::BackToRound)}</a></p>
        <h1>{lang.t(Msg::MarkingBoardTitle)}</h1>
        <p class="lead">{board.round_name.clone()}</p>

        <section class="panel">
            <h2>{lang.t(Msg::BoardMembersTitle)}</h2>
            {board.members.is_empty().then(|| view! { <p>{lang.t(Msg::NoMembers)}</p> })}
            <ul class="plain-list" data-testid="board-members">
                {board.members.clone().into_iter().map(|m| view! {
                    <li>
                        {m.full_name.clone()} " (" {m.email.clone()} ") – " {lang.t(m.duty.label())}
                        {can_edit.then(move || view! {
                            " "
                            <ActionForm action=actions.remove_member attr:class="inline-form">
                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                <input type="hidden" name="user_id" value=m.user_id.to_string() />
                                <input type="hidden" name="duty" value=m.duty.as_str() />
                                <button type="submit" class="button button-secondary button-small">{lang.t(Msg::RemoveFile)}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <h3>{lang.t(Msg::AddMemberTitle)}</h3>
                <ErrorSummary error=member_error id_prefix="member-" />
                <ActionForm action=actions.add_member attr:class="form" attr:novalidate=true attr:data-testid="add-member-form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <crate::components::TextField name="email" id_prefix="member-" kind="email" label=Msg::Email error=member_error />
                    <crate::components::SelectField name="duty" id_prefix="member-" label=Msg::FieldDuty error=member_error
                        options=Duty::ALL.iter().map(|d| (d.as_str().to_string(), lang.t(d.label()).to_string())).collect() />
                    <button type="submit" class="button">{lang.t(Msg::AddMemberSubmit)}</button>
                </ActionForm>
            })}
        </section>

        <section class="panel">
            <h2>{lang.t(Msg::AssignmentsTitle)}</h2>
            {board.assignments.is_empty().then(|| view! { <p>{lang.t(Msg::NoAssignments)}</p> })}
            <ul class="plain-list" data-testid="assignments">
                {board.assignments.clone().into_iter().map(|a| view! {
                    <li>
                        {a.position_code.clone()} " · " {lang.t(a.part.label())} ": " {a.full_name.clone()}
                        {can_edit.then(move || view! {
                            " "
                            <ActionForm action=actions.unassign attr:class="inline-form">
                                <input type="hidden" name="round_id" value=round_id.to_string() />
                                <input type="hidden" name="user_id" value=a.user_id.to_string() />
                                <input type="hidden" name="position_id" value=a.position_id.to_string() />
                                <input type="hidden" name="part" value=a.part.as_str() />
                                <button type="submit" class="button button-secondary button-small">{lang.t(Msg::RemoveFile)}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {(can_edit && !markers.is_empty()).then(move || view! {
                <ErrorSummary error=assign_error id_prefix="assign-" />
                <ActionForm action=actions.assign attr:class="form" attr:novalidate=true attr:data-testid="assign-form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <crate::components::SelectField name="user_id" id_prefix="assign-" label=Msg::FieldMarker error=assign_error
                        options=markers.iter().map(|m| (m.user_id.to_string(), format!("{} ({})", m.full_name, m.email))).collect() />
                    <crate::components::SelectField name="position_id" id_prefix="assign-" label=Msg::ColPosition error=assign_error
                        options=positions.iter().map(|p| (p.id.to_string(), format!("{} – {}", p.code, p.title))).collect() />
                    <crate::components::SelectField name="part" id_prefix="assign-" label=Msg::FieldPart error=assign_error
                        options=[Part::Written, Part::Panel].iter().map(|p| (p.as_str().to_string(), lang.t(p.label()).to_string())).collect() />
                    <button type="submit" class="button">{lang.t(Msg::AssignSubmit)}</button>
                </ActionForm>
            })}
        </section>

        <Stage1Panel round_id stage1=board.stage1.clone() can_edit is_chair=board.is_chair actions />
        <Stage2Panel board actions />
    }
}

#[component]
fn Stage1Panel(
    round_id: Uuid,
    stage1: Stage1Summary,
    can_edit: bool,
    is_chair: bool,
    actions: BoardActions,
) -> impl IntoView {
    let lang = use_lang();
    let pending = RwSignal::new(false);
    let report = actions.stage1;
    let changed = actions.changed;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        upload(ev, pending, move |data| async move {
            let result = import_stage1(data).await;
            if result.is_ok() {
                changed.update(|n| *n += 1);
            }
            report.set(Some(result));
        })
    };
    let import_error = Signal::derive(move || report.get().and_then(Result::err));
    let lock_error =
        Signal::derive(move || actions.lock_stage1.value().get().and_then(Result::err));
    let locked = stage1.locked_at.is_some();
    view! {
        <section class="panel" data-testid="stage1">
            <h2>{lang.t(Msg::Stage1ResultsTitle)}</h2>
            <p data-testid="stage1-summary">
                {crate::i18n::fmt::stage1_summary(lang, stage1.results, stage1.passed, stage1.present_without_result)}
            </p>
            {stage1.locked_at.clone().map(|at| view! { <p><strong>{lang.t(Msg::StageLockedAt)} ": " {at}</strong></p> })}
            {move || report.get().and_then(Result::ok).map(|r| view! {
                <div class="success" role="status" data-testid="stage1-imported">
                    <p>{crate::i18n::fmt::stage1_imported(lang, r.imported, r.passed)}</p>
                </div>
            })}
            {(can_edit && !locked).then(|| view! {
                <h3>{lang.t(Msg::Stage1ImportTitle)}</h3>
                <p class="hint">{lang.t(Msg::Stage1FormatHint)}</p>
                <ErrorSummary error=import_error id_prefix="stage1-" />
                <form method="post" enctype="multipart/form-data" action=ImportStage1::PATH class="form" on:submit=on_submit data-testid="stage1-form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <div class="field" id="stage1-file">
                        <label for="stage1-file-input">{lang.t(Msg::ImportFile)}</label>
                        <input id="stage1-file-input" type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                    </div>
                    <button type="submit" class="button button-secondary" disabled=move || pending.get()>{lang.t(Msg::ImportSubmit)}</button>
                    <UploadProgress pending />
                </form>
            })}
            {(is_chair && !locked).then(|| view! {
                <ErrorSummary error=lock_error id_prefix="lock1-" />
                <ActionForm action=actions.lock_stage1 attr:class="form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <p class="hint">{lang.t(Msg::LockStage1Hint)}</p>
                    <button type="submit" class="button">{lang.t(Msg::LockStage1)}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn Stage2Panel(board: BoardView, actions: BoardActions) -> impl IntoView {
    let lang = use_lang();
    let round_id = board.round_id;
    let start_error = Signal::derive(move || actions.start.value().get().and_then(Result::err));
    let started = move || match actions.start.value().get() {
        Some(Ok(n)) => Some(crate::i18n::fmt::papers_made(lang, n)),
        _ => None,
    };
    let stage = board.stage2.clone();
    let may_start = (board.can_edit || board.is_chair) && stage.locked_at.is_none();
    view! {
        <section class="panel" data-testid="stage2">
            <h2>{lang.t(Msg::Stage2MarkingTitle)}</h2>
            <StageTimes stage=stage.clone() />
            {move || started().map(|s| view! { <div class="success" role="status" data-testid="marking-started"><p>{s}</p></div> })}
            {may_start.then(|| view! {
                <ErrorSummary error=start_error id_prefix="start-" />
                <ActionForm action=actions.start attr:class="form">
                    <input type="hidden" name="round_id" value=round_id.to_string() />
                    <p class="hint">{lang.t(Msg::StartMarkingHint)}</p>
                    <button type="submit" class="button">{lang.t(Msg::StartMarking)}</button>
                </ActionForm>
            })}
            <ProgressTable progress=board.progress.clone() />
            <p><a href=format!("/board/rounds/{round_id}") data-testid="chair-page-link">{lang.t(Msg::ChairPageLink)}</a></p>
        </section>
    }
}

#[component]
pub fn StageTimes(stage: StageState) -> impl IntoView {
    let lang = use_lang();
    let line = move |label: Msg, at: Option<String>| {
        at.map(|at| view! { <li>{lang.t(label)} ": " {at}</li> })
    };
    view! {
        <ul class="plain-list" data-testid="stage-times">
            {line(Msg::StageStartedAt, stage.started_at)}
            {line(Msg::StageLockedAt, stage.locked_at)}
            {line(Msg::StageDecodedAt, stage.decoded_at)}
        </ul>
    }
}

#[component]
pub fn ProgressTable(progress: Vec<PartProgress>) -> impl IntoView {
    let lang = use_lang();
    (!progress.is_empty()).then(|| {
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="marking-progress">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::ColPosition)}</th>
                        <th scope="col">{lang.t(Msg::FieldPart)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColPapers)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColComplete)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColToChair)}</th>
                        <th scope="col" class="num">{lang.t(Msg::ColMismatches)}</th>
                    </tr></thead>
                    <tbody>
                        {progress.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.position_code}</td>
                                <td>{lang.t(p.part.label())}</td>
                                <td class="num">{p.papers}</td>
                                <td class="num">{p.complete}</td>
                                <td class="num">{p.to_chair}</td>
                                <td class="num">{p.mismatches}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}
