//! HR pages: the list of rounds with the form that creates one, and a round's page where its
//! positions, quotas, state and change log are managed.

use crate::accounts::types::Role;
use crate::components::{
    by_id, count_successes, failure_view, use_id_param, ErrorPanel, ErrorSummary, Protected,
    SelectField, TextArea, TextField,
};
use crate::error::AppError;
use crate::i18n::{use_lang, Msg};
use crate::rounds::api::*;
use crate::rounds::plan::{Rank, ReviewGroup};
use crate::rounds::positions::DegreeLevel;
use crate::rounds::public_pages::{PositionsTable, RuleSetDetails};
use crate::rounds::status::RoundStatus;
use crate::rounds::types::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn HrRoundsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateRound>::new();
    let rounds = Resource::new(move || create.version().get(), |_| hr_rounds());
    let rule_sets = Resource::new(|| (), |_| rule_sets());
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    // Resources and actions live outside the role gate, so that the gate re-checking
    // the user never drops a fetch in flight; the server functions check roles anyway.
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <Title text=lang.t(Msg::HrRoundsTitle) />
            <h1>{lang.t(Msg::HrRoundsTitle)}</h1>
            <p><a href="/hr/rule-sets">{lang.t(Msg::RuleSetsTitle)}</a></p>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match rounds.await {
                        Ok(rounds) if rounds.is_empty() => view! { <p>{lang.t(Msg::NoRoundsYet)}</p> }.into_any(),
                        Ok(rounds) => view! {
                            <div class="table-wrap">
                                <table class="data-table" data-testid="hr-rounds">
                                    <thead><tr>
                                        <th scope="col">{lang.t(Msg::ColRoundName)}</th>
                                        <th scope="col">{lang.t(Msg::ColStatus)}</th>
                                        <th scope="col">{lang.t(Msg::RoundWindow)}</th>
                                        <th scope="col" class="num">{lang.t(Msg::RoundPositions)}</th>
                                        <th scope="col" class="num">{lang.t(Msg::RoundQuota)}</th>
                                        <th scope="col" class="num">{lang.t(Msg::RoundApplications)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rounds.into_iter().map(|r| view! {
                                            <tr>
                                                <td><a href=format!("/hr/rounds/{}", r.id)>{r.name}</a></td>
                                                <td>{lang.t(r.status.msg())}</td>
                                                <td>{format_datetime_vn(r.opens_at)} " – " {format_datetime_vn(r.closes_at)}</td>
                                                <td class="num">{r.position_count}</td>
                                                <td class="num">{r.total_quota}</td>
                                                <td class="num">{r.applications}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                    }
                })}
            </Transition>

            <section class="panel">
                <h2>{lang.t(Msg::NewRoundTitle)}</h2>
                <ErrorSummary error />
                // The rule sets are read outside the form: a resource read inside ActionForm's
                // children on the server runs without the request's context.
                <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        let options = match rule_sets.await {
                            Ok(sets) => sets
                                .into_iter()
                                .map(|r| (r.id.to_string(), format!("{} (v{})", r.name, r.version)))
                                .collect::<Vec<_>>(),
                            Err(err) => return view! { <ErrorPanel error=err /> }.into_any(),
                        };
                        view! {
                            <ActionForm action=create attr:novalidate=true attr:class="form">
                                <TextField name="name" label=Msg::FieldRoundName error />
                                <TextField name="authority" label=Msg::FieldAuthority error />
                                <TextArea name="notice" label=Msg::FieldNotice rows=8 error />
                                <TextField name="opens_at" label=Msg::FieldOpensAt kind="datetime-local" error />
                                <TextField name="closes_at" label=Msg::FieldClosesAt kind="datetime-local" error />
                                <SelectField name="rule_set_id" label=Msg::FieldRuleSet hint=Msg::FieldRuleSetHint options error />
                                <div class="field">
                                    <label class="checkbox">
                                        <input type="checkbox" name="stage1_foreign_language" value="on" />
                                        " " {lang.t(Msg::FieldForeignLanguage)}
                                    </label>
                                </div>
                                <button type="submit" class="button">{lang.t(Msg::CreateRoundSubmit)}</button>
                            </ActionForm>
                        }.into_any()
                    })}
                </Suspense>
            </section>
        </Protected>
    }
}

#[component]
pub fn HrRoundPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let id = use_id_param();

    let advance = ServerAction::<AdvanceRound>::new();
    let add = ServerAction::<AddPosition>::new();
    let quota = ServerAction::<ChangeQuota>::new();
    let update = ServerAction::<UpdateRound>::new();
    let remove = ServerAction::<RemovePosition>::new();
    // Reload the round only after a change succeeded: after a refusal the forms, and what
    // was typed in them, stay as they are beside the message.
    let saved = RwSignal::new(0usize);
    count_successes(saved, advance);
    count_successes(saved, add);
    count_successes(saved, quota);
    count_successes(saved, update);
    count_successes(saved, remove);
    let round = Resource::new(
        move || (id.get(), saved.get()),
        |(id, ..)| by_id(id, hr_round),
    );
    let import_error = StoredValue::new(crate::components::error_from_url(ImportPositions::PATH));
    let imported = move || query.read().get("imported");

    // Resources and actions live outside the role gate, so that the gate re-checking
    // the user never drops a fetch in flight; the server functions check roles anyway.
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || {
                    let import_error = import_error.get_value();
                    Suspend::new(async move {
                        match round.await {
                            Ok(data) => view! {
                                <RoundManager data actions=Actions { advance, add, quota, update, remove } import_error imported=Signal::derive(imported) />
                            }.into_any(),
                            Err(err) => failure_view(err),
                        }
                    })
                }}
            </Transition>
            {move || id.get().map(|round_id| view! { <crate::rounds::clocks_pages::RoundClocks round_id /> })}
        </Protected>
    }
}

/// The changes HR can make on a round's page.
#[derive(Clone, Copy)]
struct Actions {
    advance: ServerAction<AdvanceRound>,
    add: ServerAction<AddPosition>,
    quota: ServerAction<ChangeQuota>,
    update: ServerAction<UpdateRound>,
    remove: ServerAction<RemovePosition>,
}

#[component]
fn RoundManager(
    data: RoundForHr,
    actions: Actions,
    import_error: Option<AppError>,
    imported: Signal<Option<String>>,
) -> impl IntoView {
    let Actions {
        advance,
        add,
        quota,
        update,
        remove,
    } = actions;
    let lang = use_lang();
    let RoundForHr { notice, audit } = data;
    let round = notice.round.clone();
    let rid = round.id;
    let next = round.status.next();
    let advance_error = Signal::derive(move || advance.value().get().and_then(Result::err));
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let quota_error = Signal::derive(move || quota.value().get().and_then(Result::err));
    let update_error = Signal::derive(move || update.value().get().and_then(Result::err));
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    let position_options: Vec<(String, String)> = notice
        .positions
        .iter()
        .map(|p| (p.id.to_string(), format!("{} · {}", p.code, p.title)))
        .collect();
    let editable = matches!(round.status, RoundStatus::Draft | RoundStatus::Open);
    // An open round's notice changes once, by the head's decision (Decree 170/2025 Art 15).
    let head_decides =
        round.status == RoundStatus::Open && notice.rule_set.params.notice_change_by_head;
    let import_error = Signal::derive(move || import_error.clone());

    view! {
        <Title text=round.name.clone() />
        <p><a href="/hr/rounds">{lang.t(Msg::HrRoundsTitle)}</a></p>
        <h1>{round.name.clone()}</h1>
        <p>
            <span class="tag" data-testid="round-status">{lang.t(round.status.msg())}</span>
            {round.status.is_public().then(|| view! {
                " " <a href=format!("/rounds/{}", round.id)>{lang.t(Msg::ViewPublicNotice)}</a>
                " · " <a href=format!("/hr/rounds/{}/applications", round.id) data-testid="screening-link">{lang.t(Msg::NavApplicationsHr)} " (" {round.applications} ")"</a>
                " · " <a href=format!("/hr/rounds/{}/schedule", round.id) data-testid="schedule-link">{lang.t(Msg::NavSchedule)}</a>
                " · " <a href=format!("/hr/rounds/{}/marking", round.id) data-testid="marking-link">{lang.t(Msg::MarkingBoardLink)}</a>
                " · " <a href=format!("/hr/rounds/{}/results", round.id) data-testid="results-link">{lang.t(Msg::ResultsHrLink)}</a>
            })}
        </p>

        <section class="panel">
            <h2>{lang.t(Msg::StatusHeading)}</h2>
            <ErrorSummary error=advance_error id_prefix="advance-" />
            {next.map(|next| view! {
                <ActionForm action=advance attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="round_id" value=rid.to_string() />
                    <input type="hidden" name="to" value=next.as_str() />
                    <TextField name="reason" id_prefix="advance-" label=Msg::ReasonField error=advance_error />
                    <button type="submit" class="button" data-testid="advance">
                        {lang.t(Msg::MoveTo)} ": " {lang.t(next.msg())}
                    </button>
                </ActionForm>
            })}
        </section>

        <h2>{lang.t(Msg::PositionsHeading)}</h2>
        {move || imported.get().map(|n| view! {
            <div class="success" role="status" data-testid="import-done"><p>{lang.t(Msg::ImportDone)} " " {n}</p></div>
        })}
        <PositionsTable positions=notice.positions.clone() />
        <p class="actions">
            <a href=format!("/hr/rounds/{}/export/csv", round.id) rel="external" download>{lang.t(Msg::ExportCsv)}</a>
            <a href=format!("/hr/rounds/{}/export/xlsx", round.id) rel="external" download>{lang.t(Msg::ExportXlsx)}</a>
        </p>

        {editable.then(|| view! {
            <section class="panel">
                <h2>{lang.t(Msg::EditRoundTitle)}</h2>
                <ErrorSummary error=update_error id_prefix="round-" />
                <ActionForm action=update attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="round_id" value=rid.to_string() />
                    <TextField name="name" id_prefix="round-" label=Msg::FieldRoundName value=round.name.clone() error=update_error />
                    <TextField name="authority" id_prefix="round-" label=Msg::FieldAuthority value=round.authority.clone() error=update_error />
                    <TextArea name="notice" id_prefix="round-" label=Msg::FieldNotice rows=8 value=notice.notice.clone() error=update_error />
                    <div class="grid-2">
                        <TextField name="opens_at" id_prefix="round-" label=Msg::FieldOpensAt kind="datetime-local" value=datetime_input_value(round.opens_at) error=update_error />
                        <TextField name="closes_at" id_prefix="round-" label=Msg::FieldClosesAt kind="datetime-local" value=datetime_input_value(round.closes_at) error=update_error />
                    </div>
                    <div class="field">
                        <label class="checkbox">
                            <input type="checkbox" name="stage1_foreign_language" value="on" checked=notice.stage1_foreign_language />
                            " " {lang.t(Msg::FieldForeignLanguage)}
                        </label>
                    </div>
                    <TextField name="reason" id_prefix="round-" label=Msg::ReasonField error=update_error />
                    {head_decides.then(|| view! {
                        <fieldset class="panel" data-testid="notice-change">
                            <legend>{lang.t(Msg::NoticeChangeTitle)}</legend>
                            <p class="hint">{lang.t(Msg::NoticeChangeHint)}</p>
                            <TextField name="head_decided_by" id_prefix="round-" label=Msg::NoticeChangeDecidedBy error=update_error />
                            <TextField name="head_document" id_prefix="round-" label=Msg::NoticeChangeDocument error=update_error />
                            <TextField name="head_decided_on" id_prefix="round-" label=Msg::NoticeChangeDecidedOn error=update_error />
                        </fieldset>
                    })}
                    <button type="submit" class="button" data-testid="save-round">{lang.t(Msg::SaveRound)}</button>
                </ActionForm>
            </section>

            <section class="panel">
                <h2>{lang.t(Msg::ChangeQuota)}</h2>
                <ErrorSummary error=quota_error id_prefix="quota-" />
                <QuotaForms round_id=round.id positions=notice.positions.clone() action=quota />
            </section>

            <section class="panel">
                <h2>{lang.t(Msg::AddPositionTitle)}</h2>
                <ErrorSummary error=add_error id_prefix="pos-" />
                <ActionForm action=add attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="round_id" value=rid.to_string() />
                    <div class="grid-2">
                        <SelectField
                            name="rank"
                            id_prefix="pos-"
                            label=Msg::FieldRank
                            hint=Msg::FieldRankHint
                            options=std::iter::once((String::new(), "—".to_string()))
                                .chain(Rank::ALL.iter().map(|r| (r.as_str().to_string(), lang.t(r.msg()).to_string())))
                                .collect()
                            error=add_error
                        />
                        <SelectField
                            name="method"
                            id_prefix="pos-"
                            label=Msg::FieldMethod
                            options=[(String::new(), "—".to_string()), ("exam".to_string(), lang.t(Msg::MethodExam).to_string()), ("review".to_string(), lang.t(Msg::MethodReview).to_string())].into()
                            error=add_error
                        />
                        <SelectField
                            name="review_group"
                            id_prefix="pos-"
                            label=Msg::FieldReviewGroup
                            options=std::iter::once((String::new(), "—".to_string()))
                                .chain(ReviewGroup::ALL.iter().map(|g| (g.as_str().to_string(), lang.t(g.msg()).to_string())))
                                .collect()
                            error=add_error
                        />
                        <div class="field">
                            <label class="checkbox">
                                <input type="checkbox" id="pos-ethnic_minority" name="ethnic_minority" value="x" />
                                " " {lang.t(Msg::FieldEthnicMinority)}
                            </label>
                        </div>
                        <TextField name="code" id_prefix="pos-" label=Msg::FieldPositionCode error=add_error />
                        <TextField name="title" id_prefix="pos-" label=Msg::FieldPositionTitle error=add_error />
                        <TextField name="unit_code" id_prefix="pos-" label=Msg::FieldUnitCode hint=Msg::FieldUnitHint error=add_error />
                        <TextField name="unit_name" id_prefix="pos-" label=Msg::FieldUnitName error=add_error />
                        <TextField name="quota" id_prefix="pos-" label=Msg::FieldQuota kind="number" error=add_error />
                        <SelectField
                            name="min_degree"
                            id_prefix="pos-"
                            label=Msg::FieldMinDegree
                            options=DegreeLevel::ALL.iter().map(|d| (d.as_str().to_string(), lang.t(d.msg()).to_string())).collect()
                            error=add_error
                        />
                        <SelectField
                            name="stage2_format"
                            id_prefix="pos-"
                            label=Msg::FieldStage2Format
                            options=[
                                ("interview", Msg::FormatInterview),
                                ("written", Msg::FormatWritten),
                                ("practical", Msg::FormatPractical),
                                ("combined", Msg::FormatCombined),
                                ("project_defence", Msg::FormatProjectDefence),
                                ("oral", Msg::FormatOral),
                                ("computer_written", Msg::FormatComputerWritten),
                            ].into_iter().map(|(v, m)| (v.to_string(), lang.t(m).to_string())).collect()
                            error=add_error
                        />
                        <TextField name="written_weight" id_prefix="pos-" label=Msg::FieldWrittenWeight kind="number" error=add_error />
                        <TextField name="max_score" id_prefix="pos-" label=Msg::FieldMaxScore kind="number" value="100" error=add_error />
                    </div>
                    <TextArea name="majors" id_prefix="pos-" label=Msg::FieldMajors rows=3 error=add_error />
                    <TextField name="other_conditions" id_prefix="pos-" label=Msg::FieldOtherConditions error=add_error />
                    <TextField name="reason" id_prefix="pos-" label=Msg::ReasonField error=add_error />
                    <button type="submit" class="button">{lang.t(Msg::AddPositionSubmit)}</button>
                </ActionForm>
            </section>

            {(!position_options.is_empty()).then(|| view! {
                <section class="panel">
                    <h2>{lang.t(Msg::RemovePosition)}</h2>
                    <ErrorSummary error=remove_error id_prefix="remove-" />
                    <ActionForm action=remove attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="round_id" value=rid.to_string() />
                        <SelectField name="position_id" id_prefix="remove-" label=Msg::ColPosition options=position_options.clone() error=remove_error />
                        <TextField name="reason" id_prefix="remove-" label=Msg::ReasonField error=remove_error />
                        <button type="submit" class="button button-warning">{lang.t(Msg::RemovePosition)}</button>
                    </ActionForm>
                </section>
            })}

            <section class="panel">
                <h2>{lang.t(Msg::ImportTitle)}</h2>
                <p class="hint">{lang.t(Msg::ImportHint)}</p>
                <ErrorSummary error=import_error id_prefix="import-" />
                <form method="post" enctype="multipart/form-data" action=ImportPositions::PATH class="form">
                    <input type="hidden" name="round_id" value=rid.to_string() />
                    <div class="field">
                        <label for="import-file">{lang.t(Msg::ImportFile)}</label>
                        <input id="import-file" type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                    </div>
                    <TextField name="reason" id_prefix="import-" label=Msg::ReasonField error=import_error />
                    <button type="submit" class="button">{lang.t(Msg::ImportSubmit)}</button>
                </form>
            </section>
        })}

        <section>
            <h2>{lang.t(Msg::RuleSetHeading)} ": " {notice.rule_set.summary.name.clone()} " (v" {notice.rule_set.summary.version} ")"</h2>
            <RuleSetDetails params=notice.rule_set.params.clone() foreign_language=notice.stage1_foreign_language />
        </section>

        <section>
            <h2>{lang.t(Msg::AuditHeading)}</h2>
            <AuditTable entries=audit />
        </section>
    }
}

/// One small form per position and unit: keyboard entry of a new quota with its reason.
#[component]
fn QuotaForms(
    round_id: Uuid,
    positions: Vec<PositionView>,
    action: ServerAction<ChangeQuota>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::ColCode)}</th>
                    <th scope="col">{lang.t(Msg::ColUnit)}</th>
                    <th scope="col">{lang.t(Msg::ColQuota)}</th>
                    <th scope="col">{lang.t(Msg::ColReason)}</th>
                    <th scope="col"><span class="visually-hidden">{lang.t(Msg::ChangeQuota)}</span></th>
                </tr></thead>
                <tbody>
                    {positions.into_iter().flat_map(|p| {
                        p.units.into_iter().map(move |u| (p.id, p.code.clone(), u))
                    }).map(|(position_id, code, unit)| {
                        let form_id = format!("quota-{}-{}", position_id, unit.unit_id);
                        view! {
                            <tr>
                                <td>{code.clone()}</td>
                                <td>{unit.unit_name.clone()}</td>
                                <td>
                                    <label class="visually-hidden" for=format!("{form_id}-quota")>{lang.t(Msg::ColQuota)} " " {code.clone()} " " {unit.unit_code.clone()}</label>
                                    <input id=format!("{form_id}-quota") form=form_id.clone() name="quota" type="number" min="1" max="10000" value=unit.quota class="input-narrow" />
                                </td>
                                <td>
                                    <label class="visually-hidden" for=format!("{form_id}-reason")>{lang.t(Msg::ColReason)}</label>
                                    <input id=format!("{form_id}-reason") form=form_id.clone() name="reason" type="text" />
                                </td>
                                <td>
                                    <ActionForm action attr:id=form_id.clone() attr:class="inline-form">
                                        <input type="hidden" name="round_id" value=round_id.to_string() />
                                        <input type="hidden" name="position_id" value=position_id.to_string() />
                                        <input type="hidden" name="unit_id" value=unit.unit_id.to_string() />
                                        <button type="submit" class="button button-small">{lang.t(Msg::ChangeQuota)}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    let lang = use_lang();
    let status_text = move |code: &Option<String>| {
        code.as_deref()
            .and_then(RoundStatus::from_name)
            .map(|s| lang.t(s.msg()).to_string())
            .or_else(|| code.clone())
    };
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="audit-log">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::ColWhen)}</th>
                    <th scope="col">{lang.t(Msg::ColWho)}</th>
                    <th scope="col">{lang.t(Msg::ColWhat)}</th>
                    <th scope="col">{lang.t(Msg::ColReason)}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let action = e.action_msg().map_or(e.action.clone(), |m| lang.t(m).to_string());
                        let change = match (status_text(&e.from), status_text(&e.to)) {
                            (Some(from), Some(to)) => format!(": {from} → {to}"),
                            (None, Some(to)) => format!(" ({to})"),
                            _ => String::new(),
                        };
                        let subject = if e.subject.is_empty() { String::new() } else { format!(" — {}", e.subject) };
                        view! {
                            <tr>
                                <td>{format_datetime_vn(e.at)}</td>
                                <td>{e.actor.unwrap_or_default()}</td>
                                <td>{action}{subject}{change}</td>
                                <td>{e.reason.unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
