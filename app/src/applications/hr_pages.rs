//! HR's pages for applications: the screening queue of a round (filters in the URL, automatic
//! checks, bulk decisions, fees, exports), one application in full, and the e-mail outbox.

use crate::accounts::types::Role;
use crate::applications::hr_api::*;
use crate::applications::profile::{ProfileForm, CLASSIFICATIONS, STUDY_MODES};
use crate::applications::rules::{Check, CheckResult};
use crate::applications::types::*;
use crate::components::{
    by_id, count_successes, failure_view, use_id_param, ErrorPanel, ErrorSummary, Protected,
    TextField,
};
use crate::error::AppError;
use crate::i18n::{fmt, use_lang, Lang, Msg};
use crate::rounds::positions::DegreeLevel;
use crate::rounds::rules::format_dong;
use crate::rounds::types::{format_date_vn, format_datetime_vn};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

fn check_msg(check: Check) -> Msg {
    match check {
        Check::Age => Msg::CheckAge,
        Check::DegreeLevel => Msg::CheckDegree,
        Check::Major => Msg::CheckMajor,
        Check::Documents => Msg::CheckDocuments,
    }
}

/// The automatic checks as a compact list: a mark and a word each (not colour alone).
fn checks_view(checks: Vec<CheckResult>, lang: Lang) -> impl IntoView {
    view! {
        <ul class="checks">
            {checks.into_iter().map(|c| {
                let (mark, class) = if c.passed { ("✓", "check-pass") } else { ("✗", "check-fail") };
                view! {
                    <li class=class>
                        <span aria-hidden="true">{mark}</span> " " {lang.t(check_msg(c.check))}
                        <span class="visually-hidden">{if c.passed { lang.t(Msg::CheckPassed) } else { lang.t(Msg::CheckFailed) }}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ScreeningPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let query = use_query_map();
    let decide = ServerAction::<DecideApplications>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, decide);
    let filter = move || {
        let q = query.read();
        (
            q.get("position").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
            q.get("q").unwrap_or_default(),
        )
    };
    let queue = Resource::new(
        move || (id.get(), filter(), changed.get()),
        |(id, (position, status, q), _)| {
            by_id(id, move |id| screening_queue(id, position, status, q))
        },
    );
    let report = RwSignal::new(None::<Result<ReconcileReport, AppError>>);
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <Title text=lang.t(Msg::ScreeningTitle) />
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(data) => view! { <ScreeningView data decide report changed /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

/// Ticks or clears every row's box with the header's box (a convenience when JavaScript runs).
fn select_all(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(header) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(form) = header.form() else { return };
        let Ok(boxes) = form.query_selector_all("input[name='ids[]']") else {
            return;
        };
        for i in 0..boxes.length() {
            if let Some(row_box) = boxes
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                row_box.set_checked(header.checked());
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[component]
fn ScreeningView(
    data: ScreeningView,
    decide: ServerAction<DecideApplications>,
    report: RwSignal<Option<Result<ReconcileReport, AppError>>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let (position, status, q) = {
        let q = query.read_untracked();
        (
            q.get("position").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
            q.get("q").unwrap_or_default(),
        )
    };
    let ScreeningView {
        round,
        positions,
        rows,
        matching,
        counts,
        fees_paid,
        fee_per_candidate,
    } = data;
    let rid = round.id;
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let decided = move || match decide.value().get() {
        Some(Ok(n)) => Some(fmt::decided(lang, n)),
        _ => None,
    };
    let export_query = if position.is_empty() {
        String::new()
    } else {
        format!("?position={position}")
    };
    let shown = rows.len();
    view! {
        <h1>{lang.t(Msg::ScreeningTitle)} ": " {round.name.clone()}</h1>
        <p>
            <a href=format!("/hr/rounds/{rid}")>{lang.t(Msg::BackToRound)}</a>
            " · " {lang.t(round.status.msg())}
            " · " {lang.t(Msg::FeePerCandidate)} ": " {format_dong(fee_per_candidate)}
        </p>
        <ul class="counts" data-testid="status-counts">
            {counts.into_iter().map(|(s, n)| view! {
                <li><a href=format!("?status={}", s.as_str())>{lang.t(s.msg())} ": " <strong>{n}</strong></a></li>
            }).collect_view()}
            <li>{lang.t(Msg::FeesPaid)} ": " <strong data-testid="fees-paid">{fees_paid}</strong></li>
        </ul>

        <form method="get" class="filters" role="search">
            <div class="field">
                <label for="filter-position">{lang.t(Msg::Position)}</label>
                <select id="filter-position" name="position">
                    <option value="">{lang.t(Msg::AllPositions)}</option>
                    {positions.iter().map(|p| view! {
                        <option value=p.id.to_string() selected=p.id.to_string() == position>{format!("{} · {}", p.code, p.title)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">{lang.t(Msg::ColStatus)}</label>
                <select id="filter-status" name="status">
                    <option value="">{lang.t(Msg::AllStatuses)}</option>
                    {ApplicationStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=s.as_str() == status>{lang.t(s.msg())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-q">{lang.t(Msg::SearchApplications)}</label>
                <input id="filter-q" name="q" type="search" value=q />
            </div>
            <button type="submit" class="button button-secondary">{lang.t(Msg::Filter)}</button>
        </form>

        <p class="page-links">
            {lang.t(Msg::Exports)} ": "
            <a href=format!("/hr/rounds/{rid}/applications/all.xlsx{export_query}") rel="external" download>{lang.t(Msg::ExportAllXlsx)}</a> " · "
            <a href=format!("/hr/rounds/{rid}/applications/all.csv{export_query}") rel="external" download>{lang.t(Msg::ExportAllCsv)}</a> " · "
            <a href=format!("/hr/rounds/{rid}/applications/eligible.xlsx{export_query}") rel="external" download>{lang.t(Msg::ExportEligibleXlsx)}</a> " · "
            <a href=format!("/hr/rounds/{rid}/applications/eligible.csv{export_query}") rel="external" download>{lang.t(Msg::ExportEligibleCsv)}</a>
        </p>

        <p data-testid="matching">{fmt::showing(lang, shown, matching)}</p>
        {move || decided().map(|text| view! { <div class="success" role="status" data-testid="decided"><p>{text}</p></div> })}
        <ErrorSummary error id_prefix="decide-" />
        <ActionForm action=decide attr:class="form" attr:novalidate=true attr:data-testid="screening-form">
            <input type="hidden" name="round_id" value=rid.to_string() />
            <div class="table-wrap" id="decide-ids">
                <table class="data-table sticky-head" data-testid="screening-table">
                    <thead><tr>
                        <th scope="col">
                            <label class="visually-hidden" for="select-all">{lang.t(Msg::SelectAll)}</label>
                            <input id="select-all" type="checkbox" on:change=select_all />
                        </th>
                        <th scope="col">{lang.t(Msg::ReceiptCode)}</th>
                        <th scope="col">{lang.t(Msg::FullName)}</th>
                        <th scope="col">{lang.t(Msg::DateOfBirth)}</th>
                        <th scope="col">{lang.t(Msg::NationalId)}</th>
                        <th scope="col">{lang.t(Msg::Position)}</th>
                        <th scope="col">{lang.t(Msg::AutomaticChecks)}</th>
                        <th scope="col">{lang.t(Msg::ColStatus)}</th>
                        <th scope="col">{lang.t(Msg::Fee)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let box_id = format!("select-{}", r.id);
                            view! {
                                <tr>
                                    <td>
                                        <label class="visually-hidden" for=box_id.clone()>{lang.t(Msg::Select)} " " {r.full_name.clone()}</label>
                                        <input id=box_id type="checkbox" name="ids[]" value=r.id.to_string() />
                                    </td>
                                    <td><code>{r.receipt_code.clone()}</code></td>
                                    <td><a href=format!("/hr/applications/{}", r.id)>{r.full_name.clone()}</a></td>
                                    <td>{format_date_vn(r.date_of_birth)}</td>
                                    <td>{r.national_id.clone()}</td>
                                    <td>{r.position_code.clone()}</td>
                                    <td>{checks_view(r.checks, lang)}</td>
                                    <td>
                                        {lang.t(r.status.msg())}
                                        {r.status_reason.map(|why| view! { <br /><span class="hint">{why}</span> })}
                                    </td>
                                    <td>{lang.t(if r.fee_paid { Msg::FeePaidShort } else { Msg::FeeNotPaidShort })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <fieldset class="bulk-actions">
                <legend>{lang.t(Msg::DecisionForSelected)}</legend>
                <DecisionFields />
                <button type="submit" class="button">{lang.t(Msg::RecordDecision)}</button>
            </fieldset>
        </ActionForm>

        <section class="panel">
            <h2>{lang.t(Msg::ReconcileTitle)}</h2>
            <p class="hint">{lang.t(Msg::ReconcileHint)}</p>
            <ReconcileForm round_id=rid report changed />
        </section>
    }
}

/// The decision, its reason and (for a correction request) the deadline to fix, with ids
/// prefixed `decide-` so the error summary links to them.
#[component]
fn DecisionFields() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field" id="decide-decision">
            <label for="decide-decision-select">{lang.t(Msg::Decision)}</label>
            <select id="decide-decision-select" name="decision">
                <option value="">{lang.t(Msg::ChooseOption)}</option>
                <option value="eligible">{lang.t(Msg::AppStatusEligible)}</option>
                <option value="needs_correction">{lang.t(Msg::AppStatusNeedsCorrection)}</option>
                <option value="rejected">{lang.t(Msg::AppStatusRejected)}</option>
            </select>
        </div>
        <div class="field">
            <label for="decide-reason">{lang.t(Msg::Reason)}</label>
            <p class="hint">{lang.t(Msg::DecisionReasonHint)}</p>
            <textarea id="decide-reason" name="reason" rows="2"></textarea>
        </div>
        <div class="field">
            <label for="decide-fix_by">{lang.t(Msg::FixBy)}</label>
            <p class="hint">{lang.t(Msg::FixByHint)}</p>
            <input id="decide-fix_by" name="fix_by" type="datetime-local" />
        </div>
    }
}

/// Uploads a bank statement; the report lists what was recorded and every line that was not.
/// Without JavaScript the form still posts (the fees are recorded; the page then shows the
/// new counts).
#[component]
fn ReconcileForm(
    round_id: Uuid,
    report: RwSignal<Option<Result<ReconcileReport, AppError>>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let lang = use_lang();
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
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
                let result = reconcile_fees(data.into()).await;
                pending.set(false);
                report.set(Some(result));
                changed.update(|n| *n += 1);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, changed);
    };
    let error = Signal::derive(move || report.get().and_then(Result::err));
    view! {
        <ErrorSummary error id_prefix="reconcile-" />
        <form method="post" enctype="multipart/form-data" action=ReconcileFees::PATH class="form" on:submit=on_submit data-testid="reconcile-form">
            <input type="hidden" name="round_id" value=round_id.to_string() />
            <div class="field" id="reconcile-file">
                <label for="reconcile-file-input">{lang.t(Msg::BankStatementFile)}</label>
                <input id="reconcile-file-input" type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
            </div>
            <button type="submit" class="button button-secondary" disabled=move || pending.get()>{lang.t(Msg::Reconcile)}</button>
        </form>
        {move || report.get().and_then(Result::ok).map(|r| view! { <ReconcileResult report=r /> })}
    }
}

#[component]
fn ReconcileResult(report: ReconcileReport) -> impl IntoView {
    let lang = use_lang();
    let more = move |total: usize, shown: usize| {
        (total > shown)
            .then(|| view! { <p class="hint">{lang.t(Msg::AndMore)} " " {total - shown}</p> })
    };
    let t = report.totals;
    let lines = move |title: Msg,
                      lines: Vec<ReconciledLine>,
                      total: usize,
                      testid: &'static str| {
        (!lines.is_empty()).then(|| {
            let shown = lines.len();
            view! {
                <h3>{lang.t(title)} " (" {total.max(shown)} ")"</h3>
                <ul data-testid=testid>
                    {lines.into_iter().map(|l| view! {
                        <li>
                            {lang.t(Msg::Row)} " " {l.line} ": " <code>{l.receipt_code}</code> " " {l.full_name}
                            " – " {format_dong(l.amount_dong)}
                            {(l.amount_dong != l.expected_dong).then(|| format!(" ({} {})", lang.t(Msg::Expected), format_dong(l.expected_dong)))}
                        </li>
                    }).collect_view()}
                </ul>
                {more(total, shown)}
            }
        })
    };
    view! {
        <div class="panel" role="status" data-testid="reconcile-report">
            {lines(Msg::ReconcileRecorded, report.recorded, t.recorded, "reconcile-recorded")}
            {lines(Msg::ReconcileAlreadyPaid, report.already_paid, t.already_paid, "reconcile-already-paid")}
            {lines(Msg::ReconcileWrongAmount, report.wrong_amount, t.wrong_amount, "reconcile-wrong-amount")}
            {(!report.unmatched.is_empty()).then(|| {
                let shown = report.unmatched.len();
                view! {
                <h3>{lang.t(Msg::ReconcileUnmatched)} " (" {t.unmatched.max(report.unmatched.len())} ")"</h3>
                <ul data-testid="reconcile-unmatched">
                    {report.unmatched.into_iter().map(|u| view! {
                        <li>{lang.t(Msg::Row)} " " {u.line} ": " {lang.t(u.msg)} " – " <span class="hint">{u.text}</span></li>
                    }).collect_view()}
                </ul>
                {more(t.unmatched, shown)}
            }})}
        </div>
    }
}

#[component]
pub fn ApplicationFilePage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let decide = ServerAction::<DecideApplications>::new();
    let fee = ServerAction::<RecordFee>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, decide);
    count_successes(changed, fee);
    let file = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| by_id(id, hr_application),
    );
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match file.await {
                        Ok(file) => view! { <FileView file decide fee /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn FileView(
    file: ApplicationFile,
    decide: ServerAction<DecideApplications>,
    fee: ServerAction<RecordFee>,
) -> impl IntoView {
    let lang = use_lang();
    let ApplicationFile {
        application: a,
        form,
        checks,
        documents,
        account_email,
    } = file;
    let decide_error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let fee_error = Signal::derive(move || fee.value().get().and_then(Result::err));
    let can_record_fee = a.status == ApplicationStatus::Eligible && a.fee.paid_at.is_none();
    view! {
        <Title text=a.full_name.clone() />
        <p><a href=format!("/hr/rounds/{}/applications", a.round_id)>{lang.t(Msg::BackToScreening)}</a></p>
        <h1>{a.full_name.clone()} " · " <code>{a.receipt_code.clone()}</code></h1>
        <p data-testid="file-status"><strong>{lang.t(a.status.msg())}</strong>
            {a.status_reason.clone().map(|r| view! { " – " {r} })}
        </p>
        <div class="two-columns">
            <section>
                <h2>{lang.t(Msg::AutomaticChecks)}</h2>
                {checks_view(checks, lang)}
                <h2>{lang.t(Msg::Position)}</h2>
                <p>{format!("{} · {}", a.position_code, a.position_title)}</p>
                {(!a.units.is_empty()).then(|| view! { <ol>{a.units.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}</ol> })}
                {a.priority.clone().map(|p| view! { <p>{lang.t(Msg::PriorityCategory)} ": " {p}</p> })}
                <h2>{lang.t(Msg::StepDocuments)}</h2>
                {if documents.is_empty() {
                    view! { <p>{lang.t(Msg::NoDocumentsYet)}</p> }.into_any()
                } else {
                    view! {
                        <ul>{documents.into_iter().map(|d| view! {
                            <li>
                                {lang.t(d.kind.msg())} ": "
                                <a href=format!("/documents/{}", d.id) rel="external" target="_blank">{d.file_name}</a>
                                " " <code title=d.sha256.clone()>{d.sha256[..12].to_string()}</code>
                            </li>
                        }).collect_view()}</ul>
                    }.into_any()
                }}
                <h2>{lang.t(Msg::Timeline)}</h2>
                <ol class="timeline">
                    {a.timeline.iter().map(|e| view! {
                        <li class="done">
                            <span class="when">{format_datetime_vn(e.at)}</span> " "
                            <span class="what">{lang.t(e.kind.msg())}</span>
                            {e.reason.clone().map(|r| view! { <span class="reason">{r}</span> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <section>
                <h2>{lang.t(Msg::Decision)}</h2>
                <ErrorSummary error=decide_error id_prefix="decide-" />
                <ActionForm action=decide attr:class="form" attr:novalidate=true attr:data-testid="decision-form">
                    <input type="hidden" name="round_id" value=a.round_id.to_string() />
                    <input type="hidden" name="ids[]" value=a.id.to_string() />
                    <DecisionFields />
                    <button type="submit" class="button">{lang.t(Msg::RecordDecision)}</button>
                </ActionForm>
                <h2>{lang.t(Msg::Fee)}</h2>
                <p>{format_dong(a.fee.amount_dong)} " – "
                    {match a.fee.paid_at {
                        Some(at) => format!("{} {} ({})", lang.t(Msg::FeePaidOn), format_datetime_vn(at), a.fee.reference.clone().unwrap_or_default()),
                        None => lang.t(Msg::FeeNotPaid).to_string(),
                    }}
                </p>
                {can_record_fee.then(|| view! {
                    <ErrorSummary error=fee_error />
                    <ActionForm action=fee attr:class="form" attr:novalidate=true attr:data-testid="fee-form">
                        <input type="hidden" name="round_id" value=a.round_id.to_string() />
                        <input type="hidden" name="application_id" value=a.id.to_string() />
                        <TextField name="reference" label=Msg::FeeReference hint=Msg::FeeReferenceHint error=fee_error />
                        <button type="submit" class="button">{lang.t(Msg::RecordFee)}</button>
                    </ActionForm>
                })}
            </section>
        </div>
        <h2>{lang.t(Msg::ProfileTitle)}</h2>
        <ProfileDetails form account_email />
    }
}

/// Every Mẫu 01 field as submitted.
#[component]
fn ProfileDetails(form: ProfileForm, account_email: String) -> impl IntoView {
    let lang = use_lang();
    let code_text = |codes: &[(&str, Msg)], value: &str| {
        codes
            .iter()
            .find(|(c, _)| *c == value)
            .map_or(value.to_string(), |(_, m)| lang.t(*m).to_string())
    };
    let rows: Vec<(Msg, String)> = vec![
        (Msg::FullName, form.full_name.clone()),
        (
            Msg::DateOfBirth,
            format!("{}/{}/{}", form.dob_day, form.dob_month, form.dob_year),
        ),
        (
            Msg::Sex,
            match form.sex.as_str() {
                "male" => lang.t(Msg::SexMale).into(),
                "female" => lang.t(Msg::SexFemale).into(),
                other => other.into(),
            },
        ),
        (Msg::NationalId, form.national_id.clone()),
        (
            Msg::IdIssueDate,
            format!(
                "{}/{}/{}",
                form.id_issue_day, form.id_issue_month, form.id_issue_year
            ),
        ),
        (Msg::IdIssuePlace, form.id_issue_place.clone()),
        (Msg::Ethnicity, form.ethnicity.clone()),
        (Msg::Religion, form.religion.clone()),
        (Msg::Phone, form.phone.clone()),
        (Msg::ContactEmail, form.contact_email.clone()),
        (Msg::Email, account_email),
        (Msg::Hometown, form.hometown.clone()),
        (Msg::PermanentAddress, form.permanent_address.clone()),
        (Msg::CurrentAddress, form.current_address.clone()),
        (Msg::Health, form.health.clone()),
        (Msg::HeightCm, form.height_cm.clone()),
        (Msg::WeightKg, form.weight_kg.clone()),
        (Msg::GeneralEducation, form.general_education.clone()),
        (Msg::ForeignLanguage, form.foreign_language.clone()),
        (Msg::ItSkills, form.it_skills.clone()),
    ];
    view! {
        <dl class="summary-list" data-testid="profile-details">
            {rows.into_iter().map(|(label, value)| view! { <div><dt>{lang.t(label)}</dt><dd>{value}</dd></div> }).collect_view()}
        </dl>
        <h3>{lang.t(Msg::Degrees)}</h3>
        <div class="table-wrap">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::DegreeLevelLabel)}</th>
                    <th scope="col">{lang.t(Msg::Major)}</th>
                    <th scope="col">{lang.t(Msg::Institution)}</th>
                    <th scope="col">{lang.t(Msg::Graduated)}</th>
                    <th scope="col">{lang.t(Msg::DegreeSerial)}</th>
                    <th scope="col">{lang.t(Msg::StudyMode)}</th>
                    <th scope="col">{lang.t(Msg::Classification)}</th>
                </tr></thead>
                <tbody>
                    {form.degrees.iter().map(|d| view! {
                        <tr>
                            <td>{DegreeLevel::parse(&d.level).map_or(d.level.clone(), |l| lang.t(l.msg()).to_string())}</td>
                            <td>{d.major.clone()}</td>
                            <td>{d.institution.clone()}</td>
                            <td>{d.graduated.clone()}</td>
                            <td>{d.serial.clone()}</td>
                            <td>{code_text(&STUDY_MODES, &d.mode)}</td>
                            <td>{code_text(&CLASSIFICATIONS, &d.classification)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(!form.jobs.is_empty()).then(|| view! {
            <h3>{lang.t(Msg::SectionWork)}</h3>
            <ul>
                {form.jobs.iter().map(|j| view! {
                    <li>{format!("{} – {}: {}, {}", j.from, if j.until.is_empty() { "…" } else { &j.until }, j.workplace, j.role)}</li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let lang = use_lang();
    let emails = Resource::new(|| (), |_| email_outbox());
    view! {
        <Protected roles=&[Role::Administrator, Role::HrOfficer]>
            <Title text=lang.t(Msg::OutboxTitle) />
            <h1>{lang.t(Msg::OutboxTitle)}</h1>
            <p>{lang.t(Msg::OutboxIntro)}</p>
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match emails.await {
                        Ok(emails) if emails.is_empty() => view! { <p>{lang.t(Msg::OutboxEmpty)}</p> }.into_any(),
                        Ok(emails) => view! {
                            <div class="outbox" data-testid="outbox">
                                {emails.into_iter().map(|e| view! {
                                    <details class="panel">
                                        <summary>
                                            {format_datetime_vn(e.created_at)} " · " {e.to_address} " · " <strong>{e.subject}</strong>
                                            " · " <span class="tag">{e.status}</span>
                                        </summary>
                                        <pre class="email-body">{e.body}</pre>
                                    </details>
                                }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </Protected>
    }
}
