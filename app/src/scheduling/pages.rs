//! Scheduling pages: HR's schedule of a stage (venues, rooms, sessions, allocation,
//! publication, rosters), the print-ready room roster, and the applicant's admission ticket.

use crate::accounts::types::Role;
use crate::components::{
    by_id, count_successes, failure_view, use_id_param, ErrorSummary, Protected, TextArea,
    TextField,
};
use crate::error::AppError;
use crate::i18n::{fmt, use_lang, Msg};
use crate::rounds::types::{format_date_vn, format_datetime_vn};
use crate::scheduling::allocation::Problem;
use crate::scheduling::api::*;
use crate::scheduling::invigilation_api::exam_day;
use crate::scheduling::invigilation_pages::{ExamDayActions, ExamDayPanel};
use crate::scheduling::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

#[component]
pub fn SchedulePage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let query = use_query_map();
    let stage = move || query.read().get("stage").unwrap_or_else(|| "1".to_string());
    let venue = ServerAction::<AddVenue>::new();
    let room = ServerAction::<AddRoom>::new();
    let session = ServerAction::<AddSession>::new();
    let allocate = ServerAction::<AllocateSeats>::new();
    let publish = ServerAction::<PublishSchedule>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, venue);
    count_successes(changed, room);
    count_successes(changed, session);
    count_successes(changed, allocate);
    count_successes(changed, publish);
    let day_actions = ExamDayActions::new(changed);
    let data = Resource::new(
        move || (id.get(), stage(), changed.get()),
        |(id, stage, _)| by_id(id, move |id| schedule_view(id, stage)),
    );
    let day = Resource::new(
        move || (id.get(), stage(), changed.get()),
        |(id, stage, _)| by_id(id, move |id| exam_day(id, stage)),
    );
    let actions = Actions {
        venue,
        room,
        session,
        allocate,
        publish,
    };
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <Title text=lang.t(Msg::ScheduleTitle) />
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match (data.await, day.await) {
                        (Ok(data), Ok(day)) => {
                            let round_id = data.round.id;
                            view! {
                                <ScheduleManager data actions />
                                <ExamDayPanel round_id day actions=day_actions />
                            }
                            .into_any()
                        }
                        (Err(err), _) | (_, Err(err)) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    venue: ServerAction<AddVenue>,
    room: ServerAction<AddRoom>,
    session: ServerAction<AddSession>,
    allocate: ServerAction<AllocateSeats>,
    publish: ServerAction<PublishSchedule>,
}

fn error_of<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

#[component]
fn ScheduleManager(data: StageSchedule, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let Actions {
        venue,
        room,
        session,
        allocate,
        publish,
    } = actions;
    let StageSchedule {
        round,
        stage,
        candidate_prefix,
        venues,
        sessions,
        positions,
        candidates,
        seated,
        publication,
    } = data;
    let rid = round.id;
    let other_stage = if stage == 1 { 2 } else { 1 };
    let venue_options: Vec<(String, String)> = venues
        .iter()
        .map(|v| (v.id.to_string(), v.name.clone()))
        .collect();
    let room_venues = venue_options.clone();
    let scheduled: Vec<Uuid> = sessions
        .iter()
        .flat_map(|s| s.positions.iter().map(|p| p.id))
        .collect();
    let unscheduled: Vec<_> = positions
        .iter()
        .filter(|p| !scheduled.contains(&p.id))
        .cloned()
        .collect();
    let report = Signal::derive(move || allocate.value().get().and_then(Result::ok));
    let told = move || match publish.value().get() {
        Some(Ok(n)) => Some(fmt::told(lang, n)),
        _ => None,
    };
    view! {
        <p><a href=format!("/hr/rounds/{rid}")>{lang.t(Msg::BackToRound)}</a></p>
        <h1>{lang.t(Msg::ScheduleTitle)} ": " {round.name.clone()}</h1>
        <p>
            <strong>{fmt::stage(lang, stage)}</strong> " · "
            <a href=format!("?stage={other_stage}")>{fmt::stage(lang, other_stage)}</a>
        </p>
        <p data-testid="schedule-counts">{fmt::seated(lang, seated, candidates)} " "
            <span class="hint">{lang.t(Msg::StageCandidatesHint)}</span>
        </p>

        <section class="panel">
            <h2>{lang.t(Msg::VenuesTitle)}</h2>
            {venues.iter().map(|v| view! {
                <div class="venue" data-testid="venue">
                <h3>{v.name.clone()}</h3>
                <p>{v.address.clone()} {(!v.map_note.is_empty()).then(|| view! { <br /><span class="hint">{v.map_note.clone()}</span> })}</p>
                <ul data-testid="rooms">
                    {v.rooms.iter().map(|r| view! {
                        <li>{r.name.clone()} " – " {fmt::capacity(lang, r.capacity)}
                            {r.computer.then(|| view! { " · " <span class="tag">{lang.t(Msg::ComputerRoom)}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
                </div>
            }).collect_view()}
            <div class="grid-2">
                <div>
                    <h3>{lang.t(Msg::AddVenue)}</h3>
                    <ErrorSummary error=error_of(venue) />
                    <ActionForm action=venue attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="round_id" value=rid.to_string() />
                        <TextField name="name" id_prefix="venue-" label=Msg::VenueName error=error_of(venue) />
                        <TextField name="address" id_prefix="venue-" label=Msg::VenueAddress error=error_of(venue) />
                        <TextArea name="map_note" id_prefix="venue-" label=Msg::MapNote rows=2 error=error_of(venue) />
                        <button type="submit" class="button button-secondary">{lang.t(Msg::AddVenue)}</button>
                    </ActionForm>
                </div>
                <div>
                    <h3>{lang.t(Msg::AddRoom)}</h3>
                    <ErrorSummary error=error_of(room) />
                    <ActionForm action=room attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="round_id" value=rid.to_string() />
                        <crate::components::SelectField name="venue_id" id_prefix="room-" label=Msg::VenueName options=room_venues error=error_of(room) />
                        <TextField name="name" id_prefix="room-" label=Msg::RoomName error=error_of(room) />
                        <TextField name="capacity" id_prefix="room-" label=Msg::Capacity kind="number" error=error_of(room) />
                        <div class="field">
                            <label class="checkbox"><input type="checkbox" name="computer" value="on" /> " " {lang.t(Msg::ComputerRoom)}</label>
                        </div>
                        <button type="submit" class="button button-secondary">{lang.t(Msg::AddRoom)}</button>
                    </ActionForm>
                </div>
            </div>
        </section>

        <section class="panel">
            <h2>{lang.t(Msg::SessionsTitle)}</h2>
            {if sessions.is_empty() {
                view! { <p>{lang.t(Msg::NoSessionsYet)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table" data-testid="sessions">
                            <thead><tr>
                                <th scope="col">{lang.t(Msg::SessionName)}</th>
                                <th scope="col">{lang.t(Msg::StartsAt)}</th>
                                <th scope="col">{lang.t(Msg::VenueName)}</th>
                                <th scope="col">{lang.t(Msg::Position)}</th>
                                <th scope="col" class="num">{lang.t(Msg::Candidates)}</th>
                                <th scope="col" class="num">{lang.t(Msg::Capacity)}</th>
                                <th scope="col" class="num">{lang.t(Msg::Seated)}</th>
                            </tr></thead>
                            <tbody>
                                {sessions.iter().map(|s| view! {
                                    <tr>
                                        <td>{s.name.clone()} {s.needs_computer.then(|| view! { " " <span class="tag">{lang.t(Msg::ComputerRoom)}</span> })}</td>
                                        <td>{format_datetime_vn(s.starts_at)} " · " {fmt::minutes(lang, s.duration_minutes)}</td>
                                        <td>{s.venue_name.clone()}</td>
                                        <td>{s.positions.iter().map(|p| p.code.clone()).collect::<Vec<_>>().join(", ")}</td>
                                        <td class="num">{s.candidates}</td>
                                        <td class={if s.candidates > s.capacity { "num check-fail" } else { "num" }}>{s.capacity}</td>
                                        <td class="num">{s.seated}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(!unscheduled.is_empty()).then(|| view! {
                <p class="notice" data-testid="unscheduled">{lang.t(Msg::UnscheduledPositions)} ": "
                    {unscheduled.iter().map(|p| p.code.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            <h3>{lang.t(Msg::AddSession)}</h3>
            <ErrorSummary error=error_of(session) />
            <ActionForm action=session attr:class="form" attr:novalidate=true attr:data-testid="session-form">
                <input type="hidden" name="round_id" value=rid.to_string() />
                <input type="hidden" name="stage" value=stage.to_string() />
                <TextField name="name" id_prefix="session-" label=Msg::SessionName error=error_of(session) />
                <crate::components::SelectField name="venue_id" id_prefix="session-" label=Msg::VenueName options=venue_options error=error_of(session) />
                <TextField name="starts_at" id_prefix="session-" label=Msg::StartsAt kind="datetime-local" error=error_of(session) />
                <TextField name="duration_minutes" id_prefix="session-" label=Msg::DurationMinutes kind="number" error=error_of(session) />
                <div class="field">
                    <label class="checkbox">
                        <input type="checkbox" name="needs_computer" value="on" checked=stage == 1 />
                        " " {lang.t(Msg::NeedsComputer)}
                    </label>
                </div>
                <fieldset class="field" id="session-positions">
                    <legend>{lang.t(Msg::SessionPositions)}</legend>
                    {unscheduled.into_iter().map(|p| {
                        let box_id = format!("session-position-{}", p.id);
                        view! {
                            <div>
                                <label class="checkbox" for=box_id.clone()>
                                    <input id=box_id.clone() type="checkbox" name="positions[]" value=p.id.to_string() />
                                    " " {format!("{} · {}", p.code, p.title)}
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button button-secondary">{lang.t(Msg::AddSession)}</button>
            </ActionForm>
        </section>

        <section class="panel">
            <h2>{lang.t(Msg::AllocationTitle)}</h2>
            <p class="hint">{lang.t(Msg::AllocationHint)} " " {fmt::candidate_number_format(lang, &candidate_prefix)}</p>
            <ErrorSummary error=error_of(allocate) />
            <div class="actions">
                <ActionForm action=allocate attr:class="inline-form">
                    <input type="hidden" name="round_id" value=rid.to_string() />
                    <input type="hidden" name="stage" value=stage.to_string() />
                    <button type="submit" class="button button-secondary">{lang.t(Msg::PreviewAllocation)}</button>
                </ActionForm>
                <ActionForm action=allocate attr:class="inline-form">
                    <input type="hidden" name="round_id" value=rid.to_string() />
                    <input type="hidden" name="stage" value=stage.to_string() />
                    <input type="hidden" name="apply" value="on" />
                    <button type="submit" class="button">{lang.t(Msg::ApplyAllocation)}</button>
                </ActionForm>
            </div>
            {move || report.get().map(|r| view! { <AllocationResult report=r stage /> })}
        </section>

        <section class="panel">
            <h2>{lang.t(Msg::PublishTitle)}</h2>
            {publication.map(|p| view! {
                <p data-testid="publication">
                    {lang.t(Msg::PublishedAt)} " " {format_datetime_vn(p.published_at)} ". "
                    {fmt::confirmations(lang, p.confirmed, p.withdrawn, seated)} " "
                    {lang.t(Msg::ConfirmationDeadline)} ": " {format_datetime_vn(p.confirmation_deadline)}
                </p>
            })}
            {move || told().map(|t| view! { <div class="success" role="status" data-testid="published"><p>{t}</p></div> })}
            <ErrorSummary error=error_of(publish) />
            <ActionForm action=publish attr:class="form" attr:novalidate=true>
                <input type="hidden" name="round_id" value=rid.to_string() />
                <input type="hidden" name="stage" value=stage.to_string() />
                <TextField name="confirmation_deadline" id_prefix="publish-" label=Msg::ConfirmationDeadline kind="datetime-local" hint=Msg::ConfirmationDeadlineHint error=error_of(publish) />
                <button type="submit" class="button">{lang.t(Msg::PublishSchedule)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AllocationResult(report: AllocationReport, stage: i16) -> impl IntoView {
    let lang = use_lang();
    let _ = stage;
    if !report.conflicts.is_empty() {
        return view! {
            <div class="error-summary" role="alert" data-testid="allocation-conflicts">
                <h2>{lang.t(Msg::AllocationRefused)}</h2>
                <p>{lang.t(Msg::ErrConflictOfInterest)}</p>
                <ul>{report.conflicts.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any();
    }
    if !report.problems.is_empty() {
        return view! {
            <div class="error-summary" role="alert" data-testid="allocation-problems">
                <h2>{lang.t(Msg::AllocationRefused)}</h2>
                <ul>
                    {report.problems.into_iter().map(|p| view! { <li>{problem_text(lang, p)}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="success" role="status" data-testid="allocation-report">
            <p><strong>{lang.t(if report.applied { Msg::AllocationApplied } else { Msg::AllocationPreview })}</strong></p>
            <p>{fmt::allocation_counts(lang, report.kept, report.moved, report.added, report.removed)}</p>
        </div>
        <div class="table-wrap">
            <table class="data-table" data-testid="room-fill">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::SessionName)}</th>
                    <th scope="col">{lang.t(Msg::RoomName)}</th>
                    <th scope="col" class="num">{lang.t(Msg::Seated)}</th>
                    <th scope="col">{lang.t(Msg::Roster)}</th>
                </tr></thead>
                <tbody>
                    {report.rooms.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.session_name}</td>
                            <td>{r.room_name}</td>
                            <td class="num">{r.seated} " / " {r.capacity}</td>
                            <td>{report.applied.then(|| view! {
                                <a href=format!("/hr/sessions/{}/rooms/{}", r.session_id, r.room_id)>{lang.t(Msg::Roster)}</a> " · "
                                <a href=format!("/hr/sessions/{}/rooms/{}/roster.xlsx", r.session_id, r.room_id) rel="external" download>{lang.t(Msg::ExportXlsx)}</a>
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn problem_text(lang: crate::i18n::Lang, problem: Problem) -> String {
    match problem {
        Problem::PositionWithoutSession {
            position_code,
            candidates,
        } => fmt::position_without_session(lang, &position_code, candidates),
        Problem::PositionInSeveralSessions { position_code } => {
            fmt::position_in_several_sessions(lang, &position_code)
        }
        Problem::OverCapacity {
            session_name,
            candidates,
            seats,
        } => fmt::over_capacity(lang, &session_name, candidates, seats),
    }
}

/// A room's roster, ready to print: seat, candidate number, name, date of birth, ID number, a
/// photo box and a signature column.
#[component]
pub fn RosterPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (
            p.get("session").and_then(|s| Uuid::parse_str(&s).ok()),
            p.get("room").and_then(|s| Uuid::parse_str(&s).ok()),
        )
    };
    let roster = Resource::new(ids, |(session, room)| async move {
        match (session, room) {
            (Some(session), Some(room)) => get_roster(session, room).await,
            _ => Err(AppError::NotFound),
        }
    });
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match roster.await {
                        Ok(r) => view! {
                            <Title text=format!("{} – {}", lang.t(Msg::Roster), r.room_name) />
                            <article class="roster" data-testid="roster">
                                <h1>{lang.t(Msg::Roster)} ": " {r.room_name.clone()}</h1>
                                <p>{r.round_name.clone()}<br />{r.session_name.clone()} " · " {format_datetime_vn(r.starts_at)} " · " {r.venue_name.clone()}</p>
                                <table class="data-table roster-table">
                                    <thead><tr>
                                        <th scope="col">{lang.t(Msg::Seat)}</th>
                                        <th scope="col">{lang.t(Msg::CandidateNumber)}</th>
                                        <th scope="col">{lang.t(Msg::FullName)}</th>
                                        <th scope="col">{lang.t(Msg::DateOfBirth)}</th>
                                        <th scope="col">{lang.t(Msg::NationalId)}</th>
                                        <th scope="col">{lang.t(Msg::Photo)}</th>
                                        <th scope="col">{lang.t(Msg::Signature)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.rows.into_iter().map(|row| view! {
                                            <tr>
                                                <td>{row.seat}</td>
                                                <td><code>{row.candidate_number}</code></td>
                                                <td>{row.full_name}</td>
                                                <td>{format_date_vn(row.date_of_birth)}</td>
                                                <td>{row.national_id}</td>
                                                <td class="photo-box"></td>
                                                <td class="signature-box"></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </article>
                            <p class="no-print"><button type="button" class="button" on:click=|_| crate::components::print_page()>{lang.t(Msg::Print)}</button></p>
                        }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Suspense>
        </Protected>
    }
}

/// The admission ticket (giấy báo dự thi) of one stage, with the QR code of the candidate
/// number, and the answer to "will you attend?".
#[component]
pub fn TicketPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let query = use_query_map();
    let stage = move || query.read().get("stage").unwrap_or_else(|| "1".to_string());
    let answer = ServerAction::<AnswerAttendance>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, answer);
    let ticket = Resource::new(
        move || (id.get(), stage(), changed.get()),
        |(id, stage, _)| by_id(id, move |id| get_ticket(id, stage)),
    );
    view! {
        <Protected roles=&[Role::Applicant, Role::HrOfficer]>
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match ticket.await {
                        Ok(t) => view! { <TicketView ticket=t answer /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Suspense>
        </Protected>
    }
}

#[component]
fn TicketView(ticket: Ticket, answer: ServerAction<AnswerAttendance>) -> impl IntoView {
    let lang = use_lang();
    let t = ticket;
    let open = t.now < t.confirmation_deadline;
    let error = error_of(answer);
    view! {
        <Title text=lang.t(Msg::TicketTitle) />
        <article class="receipt ticket" data-testid="ticket">
            <p class="receipt-authority">{t.authority.clone()}</p>
            <h1>{lang.t(Msg::TicketTitle)}</h1>
            <p>{t.round_name.clone()} " – " {fmt::stage(lang, t.stage)}</p>
            <div class="ticket-head">
                <div>
                    <p>{lang.t(Msg::CandidateNumber)}</p>
                    <p class="receipt-code-big" data-testid="candidate-number">{t.candidate_number.clone()}</p>
                </div>
                <div class="qr" inner_html=t.qr_svg.clone() role="img" aria-label=lang.t(Msg::QrCodeLabel)></div>
            </div>
            <dl class="summary-list">
                <div><dt>{lang.t(Msg::FullName)}</dt><dd>{t.full_name.clone()}</dd></div>
                <div><dt>{lang.t(Msg::DateOfBirth)}</dt><dd>{format_date_vn(t.date_of_birth)}</dd></div>
                <div><dt>{lang.t(Msg::Position)}</dt><dd>{t.position.clone()}</dd></div>
                <div><dt>{lang.t(Msg::StartsAt)}</dt><dd data-testid="ticket-time">{format_datetime_vn(t.starts_at)} " (" {lang.t(Msg::VietnamTime)} ") · " {fmt::minutes(lang, t.duration_minutes)}</dd></div>
                <div><dt>{lang.t(Msg::SessionName)}</dt><dd>{t.session_name.clone()}</dd></div>
                <div><dt>{lang.t(Msg::VenueName)}</dt><dd>{t.venue_name.clone()}<br />{t.venue_address.clone()}
                    {(!t.map_note.is_empty()).then(|| view! { <br /><span class="hint">{t.map_note.clone()}</span> })}</dd></div>
                <div><dt>{lang.t(Msg::RoomName)}</dt><dd data-testid="ticket-room">{t.room_name.clone()}</dd></div>
                <div><dt>{lang.t(Msg::Seat)}</dt><dd>{t.seat}</dd></div>
                <div><dt>{lang.t(Msg::LookupCode)}</dt><dd><strong data-testid="lookup-code">{crate::results::types::format_lookup_code(&t.lookup_code)}</strong>
                    <br /><span class="hint">{lang.t(Msg::LookupCodeHint)}</span></dd></div>
            </dl>
            <p class="hint">{lang.t(Msg::TicketBring)}</p>
        </article>
        <section class="no-print panel">
            <h2>{lang.t(Msg::AttendanceTitle)}</h2>
            <p data-testid="attendance-answer">{match t.confirmation.as_deref() {
                Some("confirmed") => lang.t(Msg::EventAttendanceConfirmed),
                Some("withdrawn") => lang.t(Msg::EventWithdrawn),
                _ => lang.t(Msg::AttendanceNotAnswered),
            }} ". " {lang.t(Msg::ConfirmationDeadline)} ": " {format_datetime_vn(t.confirmation_deadline)}</p>
            <ErrorSummary error />
            {open.then(|| view! {
                <div class="actions">
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name="application_id" value=t.application_id.to_string() />
                        <input type="hidden" name="stage" value=t.stage.to_string() />
                        <input type="hidden" name="answer" value="confirm" />
                        <button type="submit" class="button">{lang.t(Msg::ConfirmAttendance)}</button>
                    </ActionForm>
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name="application_id" value=t.application_id.to_string() />
                        <input type="hidden" name="stage" value=t.stage.to_string() />
                        <input type="hidden" name="answer" value="withdraw" />
                        <button type="submit" class="button button-warning">{lang.t(Msg::Withdraw)}</button>
                    </ActionForm>
                </div>
            })}
            <p><button type="button" class="button button-secondary" on:click=|_| crate::components::print_page()>{lang.t(Msg::Print)}</button>
                " " <a href="/applications">{lang.t(Msg::NavMyApplications)}</a></p>
        </section>
    }
}
