//! Exam-day pages: HR's rooms with invigilators and conflict declarations (part of the
//! schedule page), the invigilator's list of rooms, and a room's attendance sheet for a phone.

use crate::accounts::types::Role;
use crate::components::{count_successes, failure_view, ErrorSummary, Protected};
use crate::error::AppError;
use crate::i18n::{use_lang, Msg};
use crate::rounds::types::{format_date_vn, format_datetime_vn};
use crate::scheduling::invigilation_api::*;
use crate::scheduling::penalties::PenaltyKind;
use crate::scheduling::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// The actions of the exam-day panel; created by the page, outside the role gate.
#[derive(Clone, Copy)]
pub struct ExamDayActions {
    pub assign: ServerAction<AssignInvigilator>,
    pub declare: ServerAction<DeclareConflict>,
    pub relocate: ServerAction<MoveCandidate>,
}

impl ExamDayActions {
    pub fn new(changed: RwSignal<usize>) -> ExamDayActions {
        let actions = ExamDayActions {
            assign: ServerAction::new(),
            declare: ServerAction::new(),
            relocate: ServerAction::new(),
        };
        count_successes(changed, actions.relocate);
        count_successes(changed, actions.assign);
        count_successes(changed, actions.declare);
        actions
    }
}

#[component]
pub fn ExamDayPanel(round_id: Uuid, day: ExamDayView, actions: ExamDayActions) -> impl IntoView {
    let lang = use_lang();
    let ExamDayActions {
        assign,
        declare,
        relocate,
    } = actions;
    let move_error = Signal::derive(move || relocate.value().get().and_then(Result::err));
    let moved = move || match relocate.value().get() {
        Some(Ok(seat)) => Some(format!("{} {seat}.", lang.t(Msg::Moved))),
        _ => None,
    };
    let assign_error = Signal::derive(move || assign.value().get().and_then(Result::err));
    let declare_error = Signal::derive(move || declare.value().get().and_then(Result::err));
    let staff = StoredValue::new(day.staff.clone());
    let staff_options = move || {
        staff.with_value(|staff| {
            staff
                .iter()
                .map(|s| view! { <option value=s.id.to_string()>{format!("{} ({})", s.full_name, s.email)}</option> })
                .collect_view()
        })
    };
    view! {
        <section class="panel">
            <h2>{lang.t(Msg::ExamDayTitle)}</h2>
            <ErrorSummary error=assign_error />
            <div class="table-wrap">
                <table class="data-table" data-testid="exam-rooms">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::SessionName)}</th>
                        <th scope="col">{lang.t(Msg::RoomName)}</th>
                        <th scope="col" class="num">{lang.t(Msg::Seated)}</th>
                        <th scope="col">{lang.t(Msg::Invigilators)}</th>
                        <th scope="col">{lang.t(Msg::AttendanceMarked)}</th>
                        <th scope="col">{lang.t(Msg::Roster)}</th>
                    </tr></thead>
                    <tbody>
                        {day.rooms.into_iter().map(|r| {
                            let select_id = format!("assign-{}", r.room_id);
                            let few = r.invigilators.len() < 2;
                            let label = format!("{} {}", lang.t(Msg::Invigilator), r.room_name);
                            view! {
                                <tr data-room=r.room_name.clone()>
                                    <td>{r.session_name.clone()}<br /><span class="hint">{format_datetime_vn(r.starts_at)}</span></td>
                                    <td>{r.room_name.clone()}</td>
                                    <td class="num">{r.seated}</td>
                                    <td>
                                        <ul class="plain-list compact">
                                            {r.invigilators.iter().map(|i| view! { <li>{i.full_name.clone()}</li> }).collect_view()}
                                        </ul>
                                        {few.then(|| view! { <p class="check-fail">{lang.t(Msg::TooFewInvigilators)}</p> })}
                                        <ActionForm action=assign attr:class="inline-form">
                                            <input type="hidden" name="session_id" value=r.session_id.to_string() />
                                            <input type="hidden" name="room_id" value=r.room_id.to_string() />
                                            <label class="visually-hidden" for=select_id.clone()>{label}</label>
                                            <select id=select_id name="staff_id">
                                                <option value="">{lang.t(Msg::ChooseOption)}</option>
                                                {staff_options()}
                                            </select>
                                            " " <button type="submit" class="button button-secondary button-small">{lang.t(Msg::AssignInvigilator)}</button>
                                        </ActionForm>
                                    </td>
                                    <td>{r.marked} " / " {r.seated} {(r.absent > 0).then(|| format!(" ({} {})", lang.t(Msg::AttendAbsent), r.absent))}</td>
                                    <td>
                                        <a href=format!("/hr/sessions/{}/rooms/{}", r.session_id, r.room_id)>{lang.t(Msg::Roster)}</a> " · "
                                        <a href=format!("/hr/sessions/{}/rooms/{}/roster.xlsx", r.session_id, r.room_id) rel="external" download>{lang.t(Msg::ExportXlsx)}</a> " · "
                                        <a href=format!("/invigilation/{}/{}", r.session_id, r.room_id)>{lang.t(Msg::NavInvigilation)}</a>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>

            <h3>{lang.t(Msg::MoveTitle)}</h3>
            <p class="hint">{lang.t(Msg::MoveHint)}</p>
            {move || moved().map(|m| view! { <div class="success" role="status" data-testid="moved"><p>{m}</p></div> })}
            <ErrorSummary error=move_error />
            <ActionForm action=relocate attr:class="form" attr:novalidate=true attr:data-testid="move-form">
                <input type="hidden" name="round_id" value=round_id.to_string() />
                <crate::components::TextField name="candidate_number" id_prefix="move-" label=Msg::CandidateNumber error=move_error />
                <crate::components::SelectField name="target" id_prefix="move-" label=Msg::MoveTarget options=day.move_targets.clone() error=move_error />
                <crate::components::TextField name="reason" id_prefix="move-" label=Msg::Reason error=move_error />
                <button type="submit" class="button button-secondary">{lang.t(Msg::MoveCandidate)}</button>
            </ActionForm>

            <h3>{lang.t(Msg::ConflictsTitle)}</h3>
            <p class="hint">{lang.t(Msg::ConflictsHint)}</p>
            <ul data-testid="conflicts">
                {day.conflicts.into_iter().map(|c| view! {
                    <li>{c.staff.full_name} " – " {c.candidate_name} " (" <code>{c.receipt_code}</code> "): " {c.relationship}</li>
                }).collect_view()}
            </ul>
            <ErrorSummary error=declare_error />
            <ActionForm action=declare attr:class="form" attr:novalidate=true attr:data-testid="conflict-form">
                <input type="hidden" name="round_id" value=round_id.to_string() />
                <div class="field">
                    <label for="conflict-staff_id">{lang.t(Msg::StaffMemberLabel)}</label>
                    <select id="conflict-staff_id" name="staff_id">
                        <option value="">{lang.t(Msg::ChooseOption)}</option>
                        {staff_options()}
                    </select>
                </div>
                <crate::components::TextField name="receipt_code" id_prefix="conflict-" label=Msg::CandidateReceipt error=declare_error />
                <crate::components::TextField name="relationship" id_prefix="conflict-" label=Msg::Relationship error=declare_error />
                <button type="submit" class="button button-secondary">{lang.t(Msg::DeclareConflict)}</button>
            </ActionForm>
        </section>
    }
}

/// The rooms the signed-in staff member invigilates.
#[component]
pub fn InvigilationPage() -> impl IntoView {
    let lang = use_lang();
    let rooms = Resource::new(|| (), |_| my_rooms());
    view! {
        <Protected roles=&[Role::Marker, Role::BoardChair, Role::HrOfficer]>
            <Title text=lang.t(Msg::InvigilationTitle) />
            <h1>{lang.t(Msg::InvigilationTitle)}</h1>
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match rooms.await {
                        Ok(rooms) if rooms.is_empty() => view! { <p>{lang.t(Msg::NoInvigilation)}</p> }.into_any(),
                        Ok(rooms) => view! {
                            <ul class="plain-list" data-testid="my-rooms">
                                {rooms.into_iter().map(|r| view! {
                                    <li class="panel">
                                        <a href=format!("/invigilation/{}/{}", r.session_id, r.room_id)><strong>{r.room_name.clone()}</strong></a>
                                        <br />{r.session_name} " · " {format_datetime_vn(r.starts_at)} " · " {r.venue_name}
                                        <br />{lang.t(Msg::AttendanceMarked)} ": " {r.marked} " / " {r.seated}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Suspense>
        </Protected>
    }
}

/// A room's attendance sheet: one line per candidate with one-tap "present" and "absent",
/// and the other outcomes with a note.
#[component]
pub fn RoomAttendancePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let mark = ServerAction::<MarkAttendance>::new();
    let penalty = ServerAction::<RecordPenalty>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, mark);
    let ids = move || {
        let p = params.read();
        (
            p.get("session").and_then(|s| Uuid::parse_str(&s).ok()),
            p.get("room").and_then(|s| Uuid::parse_str(&s).ok()),
        )
    };
    let sheet = Resource::new(
        move || (ids(), changed.get()),
        |((session, room), _)| async move {
            match (session, room) {
                (Some(session), Some(room)) => room_attendance(session, room).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Protected roles=&[Role::Marker, Role::BoardChair, Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Ok(sheet) => view! { <AttendanceSheet sheet mark penalty /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn AttendanceSheet(
    sheet: AttendanceSheetView,
    mark: ServerAction<MarkAttendance>,
    penalty: ServerAction<RecordPenalty>,
) -> impl IntoView {
    let lang = use_lang();
    let error = Signal::derive(move || mark.value().get().and_then(Result::err));
    let penalty_error = Signal::derive(move || penalty.value().get().and_then(Result::err));
    let penalty_done = move || matches!(penalty.value().get(), Some(Ok(())));
    let stage2 = sheet.stage == 2;
    let AttendanceSheetView { room, rows, .. } = sheet;
    let (session_id, room_id) = (room.session_id, room.room_id);
    view! {
        <Title text=room.room_name.clone() />
        <h1>{room.room_name.clone()}</h1>
        <p>{room.session_name.clone()} " · " {format_datetime_vn(room.starts_at)} " · " {room.venue_name.clone()}</p>
        <p data-testid="marked-count">{lang.t(Msg::AttendanceMarked)} ": " {room.marked} " / " {room.seated}</p>
        <ErrorSummary error id_prefix="" />
        <ErrorSummary error=penalty_error id_prefix="" />
        {move || penalty_done().then(|| view! {
            <p class="success" role="status" data-testid="penalty-recorded">{lang.t(Msg::PenaltyRecorded)}</p>
        })}
        <ol class="attendance-list" data-testid="attendance">
            {rows.into_iter().map(|r| {
                let hidden = move || view! {
                    <input type="hidden" name="session_id" value=session_id.to_string() />
                    <input type="hidden" name="room_id" value=room_id.to_string() />
                    <input type="hidden" name="application_id" value=r.application_id.to_string() />
                };
                let note_id = format!("note-{}", r.application_id);
                let kind_id = format!("penalty-kind-{}", r.application_id);
                let report_id = format!("penalty-report-{}", r.application_id);
                let status_id = format!("status-{}", r.application_id);
                view! {
                    <li class="panel" id=format!("mark-{}", r.application_id) data-candidate=r.candidate_number.clone()>
                        <p>
                            <strong>{r.seat} ". " {r.full_name.clone()}</strong> " · " <code>{r.candidate_number.clone()}</code>
                            <br /><span class="hint">{format_date_vn(r.date_of_birth)} " · " {r.national_id.clone()}</span>
                        </p>
                        <p class="current-status">
                            {match r.status {
                                Some(s) => view! { <span class="tag tag-done">{lang.t(s.msg())}</span> }.into_any(),
                                None => view! { <span class="tag">"—"</span> }.into_any(),
                            }}
                            {r.note.clone().map(|n| view! { " " <span class="hint">{n}</span> })}
                        </p>
                        <div class="actions">
                            <ActionForm action=mark attr:class="inline-form">
                                {hidden()}
                                <input type="hidden" name="status" value="present" />
                                <button type="submit" class="button">{lang.t(Msg::AttendPresent)}</button>
                            </ActionForm>
                            <ActionForm action=mark attr:class="inline-form">
                                {hidden()}
                                <input type="hidden" name="status" value="absent" />
                                <button type="submit" class="button button-secondary">{lang.t(Msg::AttendAbsent)}</button>
                            </ActionForm>
                        </div>
                        <details>
                            <summary>{lang.t(Msg::AttendViolation)} ", " {lang.t(Msg::AttendExcused)} ", " {lang.t(Msg::AttendIncident)}</summary>
                            <ActionForm action=mark attr:class="form">
                                {hidden()}
                                <div class="field">
                                    <label for=status_id.clone()>{lang.t(Msg::ColStatus)}</label>
                                    <select id=status_id name="status">
                                        {[AttendanceStatus::Excused, AttendanceStatus::Violation, AttendanceStatus::Incident].into_iter().map(|s| view! {
                                            <option value=s.as_str()>{lang.t(s.msg())}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for=note_id.clone()>{lang.t(Msg::NoteLabel)}</label>
                                    <input id=note_id name="note" type="text" />
                                </div>
                                <button type="submit" class="button button-warning">{lang.t(Msg::Mark)}</button>
                            </ActionForm>
                        </details>
                        {stage2.then(|| view! {
                            <details data-testid="penalty-form">
                                <summary>{lang.t(Msg::PenaltyRecordTitle)}</summary>
                                <ActionForm action=penalty attr:class="form">
                                    {hidden()}
                                    <div class="field">
                                        <label for=kind_id.clone()>{lang.t(Msg::PenaltyKindLabel)}</label>
                                        <select id=kind_id name="kind">
                                            {PenaltyKind::ALL.into_iter().map(|k| view! {
                                                <option value=k.as_str()>{lang.t(k.msg())}</option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for=report_id.clone()>{lang.t(Msg::PenaltyReportLabel)}</label>
                                        <textarea id=report_id name="report" rows="3"></textarea>
                                    </div>
                                    <button type="submit" class="button button-warning">{lang.t(Msg::PenaltyRecordSubmit)}</button>
                                </ActionForm>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
