//! HR pages for rule sets: the versions there are, and a new version made from an old one.

use crate::accounts::types::Role;
use crate::components::{
    by_id, failure_view, use_id_param, ErrorPanel, ErrorSummary, Protected, TextArea, TextField,
};
use crate::i18n::{use_lang, Msg};
use crate::rounds::api::{rule_set_detail, rule_sets, NewRuleSetVersion};
use crate::rounds::public_pages::RuleSetDetails;
use crate::rounds::rules::RuleSetForm;
use crate::rounds::types::RuleSetView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RuleSetsPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| rule_sets());
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <Title text=lang.t(Msg::RuleSetsTitle) />
            <p><a href="/hr/rounds">{lang.t(Msg::HrRoundsTitle)}</a></p>
            <h1>{lang.t(Msg::RuleSetsTitle)}</h1>
            <p>{lang.t(Msg::RuleSetsIntro)}</p>
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(sets) => view! {
                            <div class="table-wrap">
                                <table class="data-table" data-testid="rule-sets">
                                    <thead><tr>
                                        <th scope="col">{lang.t(Msg::FieldRuleName)}</th>
                                        <th scope="col" class="num">{lang.t(Msg::ColVersion)}</th>
                                        <th scope="col">{lang.t(Msg::FieldLegalBasis)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {sets.into_iter().map(|s| view! {
                                            <tr>
                                                <td><a href=format!("/hr/rule-sets/{}", s.id)>{s.name}</a></td>
                                                <td class="num">{s.version}</td>
                                                <td>{s.legal_basis}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </Protected>
    }
}

#[component]
pub fn RuleSetPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let save = ServerAction::<NewRuleSetVersion>::new();
    let rule_set = Resource::new(move || id.get(), |id| by_id(id, rule_set_detail));
    view! {
        <Protected roles=&[Role::HrOfficer]>
            <p><a href="/hr/rule-sets">{lang.t(Msg::RuleSetsTitle)}</a></p>
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match rule_set.await {
                        Ok(view) => view! { <RuleSetEditor view save /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Suspense>
        </Protected>
    }
}

#[component]
fn RuleSetEditor(view: RuleSetView, save: ServerAction<NewRuleSetVersion>) -> impl IntoView {
    let lang = use_lang();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let form = RuleSetForm::from_params(&view.params);
    let summary = view.summary.clone();
    let number = move |name: &'static str, label: Msg, value: String| {
        view! { <TextField name label kind="number" value error /> }
    };
    view! {
        <Title text=format!("{} (v{})", summary.name, summary.version) />
        <h1 data-testid="rule-set-title">{summary.name.clone()} " (v" {summary.version} ")"</h1>
        <p>{summary.legal_basis.clone()}</p>
        <RuleSetDetails params=view.params.clone() foreign_language=view.params.stage1_foreign_language />

        <section class="panel">
            <h2>{lang.t(Msg::NewVersionTitle)}</h2>
            <p class="hint">{lang.t(Msg::NewVersionHint)}</p>
            <ErrorSummary error />
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <input type="hidden" name="base_id" value=summary.id.to_string() />
                <TextField name="name" label=Msg::FieldRuleName value=summary.name.clone() error />
                <TextArea name="legal_basis" label=Msg::FieldLegalBasis rows=2 value=summary.legal_basis.clone() error />
                <div class="grid-2">
                    {number("minimum_age", Msg::FieldMinimumAge, form.minimum_age)}
                    {number("application_window_days", Msg::FieldWindowDays, form.application_window_days)}
                    {number("stage1_questions", Msg::FieldStage1Questions, form.stage1_questions)}
                    {number("stage1_minutes", Msg::FieldStage1Minutes, form.stage1_minutes)}
                    {number("stage1_pass_percent", Msg::FieldStage1Pass, form.stage1_pass_percent)}
                    {number("stage2_pass_mark", Msg::FieldStage2Pass, form.stage2_pass_mark)}
                    {number("double_marking_tolerance_percent", Msg::FieldTolerance, form.double_marking_tolerance_percent)}
                    <TextField name="mark_step" label=Msg::FieldMarkStep value=form.mark_step.clone() error />
                    {number("appeal_filing_working_days", Msg::FieldAppealFiling, form.appeal_filing_working_days)}
                    {number("appeal_answer_days", Msg::FieldAppealAnswer, form.appeal_answer_days)}
                    {number("appeal_fee", Msg::FieldAppealFee, form.appeal_fee)}
                </div>
                <div class="field">
                    <label class="checkbox">
                        <input type="checkbox" name="stage1_foreign_language" value="on" checked=form.stage1_foreign_language />
                        " " {lang.t(Msg::FieldForeignLanguage)}
                    </label>
                </div>
                <TextArea name="priority_categories" label=Msg::FieldPriorityLines rows=4 value=form.priority_categories error />
                <TextArea name="fee_tiers" label=Msg::FieldFeeLines rows=3 value=form.fee_tiers error />
                <TextField name="reason" label=Msg::ColReason error />
                <button type="submit" class="button">{lang.t(Msg::NewVersionSubmit)}</button>
            </ActionForm>
        </section>
    }
}
