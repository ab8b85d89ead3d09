//! The profile page: the Mẫu 01 personal fields in four sections with a task list, saved as
//! the applicant types (or with the Save button when JavaScript is off).

use crate::accounts::types::Role;
use crate::applications::api::{get_profile, SaveProfile};
use crate::applications::autosave::{autosave, state_msg, SaveState};
use crate::applications::profile::*;
use crate::applications::types::ProfileView;
use crate::components::{failure_view, ErrorSummary, FieldShell, Protected};
use crate::error::AppError;
use crate::i18n::{use_lang, Msg};
use crate::rounds::positions::DegreeLevel;
use crate::rounds::types::format_datetime_vn;
use crate::shell::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let save = ServerAction::<SaveProfile>::new();
    // Read again when "check my answers" is asked for, not after each save: the form keeps
    // what is being typed.
    let profile = Resource::new(
        move || query.read().get("check").is_some(),
        |_| get_profile(),
    );
    view! {
        <Protected roles=&[Role::Applicant]>
            <Title text=lang.t(Msg::ProfileTitle) />
            <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(data) => view! { <ProfileEditor data save /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Suspense>
        </Protected>
    }
}

#[component]
fn ProfileEditor(data: ProfileView, save: ServerAction<SaveProfile>) -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let query = use_query_map();
    let round = query.read_untracked().get("round");
    let checking = query.read_untracked().get("check").is_some();
    let problems = if checking {
        data.form.check(data.today).err().map(AppError::Invalid)
    } else {
        None
    };
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .or_else(|| problems.clone())
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let storage_key = Signal::derive(move || {
        let user = auth
            .user
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.id.to_string())
            .unwrap_or_default();
        format!("portal:profile:{user}")
    });
    let autosaver = autosave(form_ref, save, storage_key);
    let saved_at = Signal::derive(move || match save.value().get() {
        Some(Ok(at)) => Some(at),
        _ => data.saved_at,
    });
    let ProfileForm {
        full_name,
        dob_day,
        dob_month,
        dob_year,
        sex,
        national_id,
        id_issue_day,
        id_issue_month,
        id_issue_year,
        id_issue_place,
        ethnicity,
        religion,
        phone,
        contact_email,
        hometown,
        permanent_address,
        current_address,
        health,
        height_cm,
        weight_kg,
        general_education,
        degrees,
        jobs,
        foreign_language,
        it_skills,
    } = data.form;
    let degree_rows = (degrees.len() + 1).min(MAX_DEGREES);
    let job_rows = (jobs.len() + 1).min(MAX_JOBS);
    let incomplete = data.incomplete;
    let continue_href = round.map(|r| format!("/applications/rounds/{r}"));

    view! {
        <h1>{lang.t(Msg::ProfileTitle)}</h1>
        <p>{lang.t(Msg::ProfileIntro)}</p>
        <nav class="task-list" aria-label=lang.t(Msg::ProfileSections)>
            <ol>
                {Section::ALL.into_iter().map(|section| {
                    let done = !incomplete.contains(&section);
                    view! {
                        <li>
                            <a href=format!("#{}", section.anchor())>{lang.t(section.msg())}</a>
                            <span class=if done { "tag tag-done" } else { "tag" }>
                                {lang.t(if done { Msg::SectionDone } else { Msg::SectionToDo })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
        <ErrorSummary error labels=field_label keep_focus=true />
        <ActionForm
            action=save
            node_ref=form_ref
            attr:novalidate=true
            attr:class="form profile-form"
            attr:data-testid="profile-form"
            on:input=move |_| autosaver.on_input.run(())
        >
            <fieldset id=Section::Personal.anchor() class="section">
                <legend><h2>{lang.t(Msg::SectionPersonal)}</h2></legend>
                {text("full_name", Msg::FullName, full_name, error, "text", "name", None)}
                {date_boxes("dob", Msg::DateOfBirth, [dob_day, dob_month, dob_year], error)}
                {select("sex", Msg::Sex, vec![("male", lang.t(Msg::SexMale)), ("female", lang.t(Msg::SexFemale))], sex, error)}
                {text("national_id", Msg::NationalId, national_id, error, "text", "off", Some(Msg::NationalIdHint))}
                {date_boxes("id_issue", Msg::IdIssueDate, [id_issue_day, id_issue_month, id_issue_year], error)}
                {text("id_issue_place", Msg::IdIssuePlace, id_issue_place, error, "text", "off", None)}
                {text("ethnicity", Msg::Ethnicity, ethnicity, error, "text", "off", None)}
                {text("religion", Msg::Religion, religion, error, "text", "off", Some(Msg::ReligionHint))}
            </fieldset>
            <fieldset id=Section::Contact.anchor() class="section">
                <legend><h2>{lang.t(Msg::SectionContact)}</h2></legend>
                {text("phone", Msg::Phone, phone, error, "tel", "tel", None)}
                {text("contact_email", Msg::ContactEmail, contact_email, error, "email", "email", None)}
                {text("hometown", Msg::Hometown, hometown, error, "text", "off", None)}
                {text("permanent_address", Msg::PermanentAddress, permanent_address, error, "text", "street-address", None)}
                {text("current_address", Msg::CurrentAddress, current_address, error, "text", "street-address", None)}
            </fieldset>
            <fieldset id=Section::Education.anchor() class="section">
                <legend><h2>{lang.t(Msg::SectionEducation)}</h2></legend>
                {text("health", Msg::Health, health, error, "text", "off", None)}
                <div class="field-row">
                    {text("height_cm", Msg::HeightCm, height_cm, error, "text", "off", None)}
                    {text("weight_kg", Msg::WeightKg, weight_kg, error, "text", "off", None)}
                </div>
                {text("general_education", Msg::GeneralEducation, general_education, error, "text", "off", Some(Msg::GeneralEducationHint))}
                <h3>{lang.t(Msg::Degrees)}</h3>
                <p class="hint">{lang.t(Msg::DegreesHint)}</p>
                {(0..degree_rows).map(|row| {
                    let d = degrees.get(row).cloned().unwrap_or_default();
                    degree_row(row, d, error)
                }).collect_view()}
            </fieldset>
            <fieldset id=Section::Work.anchor() class="section">
                <legend><h2>{lang.t(Msg::SectionWork)}</h2></legend>
                <p class="hint">{lang.t(Msg::JobsHint)}</p>
                {(0..job_rows).map(|row| {
                    let j = jobs.get(row).cloned().unwrap_or_default();
                    job_row(row, j, error)
                }).collect_view()}
                {text("foreign_language", Msg::ForeignLanguage, foreign_language, error, "text", "off", Some(Msg::ForeignLanguageHint))}
                {text("it_skills", Msg::ItSkills, it_skills, error, "text", "off", None)}
            </fieldset>
            <div class="form-actions sticky-actions">
                <button type="submit" class="button">{lang.t(Msg::SaveProfile)}</button>
                <p class="autosave-status" role="status" aria-live="polite" data-testid="autosave-status">
                    {move || match (autosaver.state.get(), saved_at.get()) {
                        (SaveState::Idle, Some(at)) | (SaveState::Saved, Some(at)) => {
                            format!("{} {}", lang.t(Msg::AutosaveSaved), format_datetime_vn(at))
                        }
                        (state, _) => state_msg(state).map(|m| lang.t(m).to_string()).unwrap_or_default(),
                    }}
                </p>
            </div>
        </ActionForm>
        <p class="page-links">
            <a href="/applications/profile?check=1">{lang.t(Msg::CheckMyAnswers)}</a>
            {continue_href.map(|href| view! { " · " <a href=href>{lang.t(Msg::ContinueApplication)}</a> })}
            " · " <a href="/applications">{lang.t(Msg::NavMyApplications)}</a>
        </p>
    }
}

/// A text input named `form[key]` with id `key` (errors are keyed by the id).
fn text(
    key: &'static str,
    label: Msg,
    value: String,
    error: Signal<Option<AppError>>,
    kind: &'static str,
    autocomplete: &'static str,
    hint: Option<Msg>,
) -> impl IntoView {
    view! {
        <FieldShell name=key id_prefix="" label hint error control=move |id, described_by, invalid| view! {
            <input
                id=id
                name=format!("form[{key}]")
                type=kind
                value=value.clone()
                autocomplete=autocomplete
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described_by
            />
        }.into_any() />
    }
}

fn select(
    key: &'static str,
    label: Msg,
    options: Vec<(&'static str, &'static str)>,
    current: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <FieldShell name=key id_prefix="" label hint=None error control=move |id, described_by, invalid| {
            let current = current.clone();
            view! {
                <select
                    id=id
                    name=format!("form[{key}]")
                    aria-invalid=move || invalid.get().then_some("true")
                    aria-describedby=described_by
                >
                    <option value="" selected=current.is_empty()>{lang.t(Msg::ChooseOption)}</option>
                    {options.iter().map(|(value, text)| view! {
                        <option value=*value selected=*value == current>{*text}</option>
                    }).collect_view()}
                </select>
            }.into_any()
        } />
    }
}

/// Day, month and year boxes (ids `{prefix}_day` …); errors are keyed by the day box.
fn date_boxes(
    prefix: &'static str,
    label: Msg,
    values: [String; 3],
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let key = format!("{prefix}_day");
    let field_error = {
        let key = key.clone();
        Signal::derive(move || error.get().and_then(|e| e.for_field(&key)))
    };
    let error_id = format!("{prefix}-error");
    // The hint, and the error message while there is one, are read out with the group.
    let described_by = {
        let error_id = error_id.clone();
        move || match field_error.get() {
            Some(_) => format!("{prefix}-hint {error_id}"),
            None => format!("{prefix}-hint"),
        }
    };
    let [day, month, year] = values;
    let part = move |part: &'static str, text: Msg, value: String, width: &'static str| {
        let id = format!("{prefix}_{part}");
        view! {
            <div class="date-part">
                <label for=id.clone()>{lang.t(text)}</label>
                <input
                    id=id
                    name=format!("form[{prefix}_{part}]")
                    inputmode="numeric"
                    class=width
                    value=value
                    aria-invalid=move || field_error.get().is_some().then_some("true")
                />
            </div>
        }
    };
    view! {
        <div class="field" class:field-error=move || field_error.get().is_some()>
            <fieldset role="group" aria-describedby=described_by>
                <legend>{lang.t(label)}</legend>
                <p class="hint" id=format!("{prefix}-hint")>{lang.t(Msg::DateHint)}</p>
                {move || field_error.get().map(|msg| view! {
                    <p class="error-message" id=error_id.clone()>{lang.t(msg)}</p>
                })}
                <div class="date-boxes">
                    {part("day", Msg::Day, day, "input-2")}
                    {part("month", Msg::Month, month, "input-2")}
                    {part("year", Msg::Year, year, "input-4")}
                </div>
            </fieldset>
        </div>
    }
}

/// One cell of a table row: a labelled input or select named `form[table][row][column]`.
fn cell(
    table: &'static str,
    row: usize,
    column: &'static str,
    label: Msg,
    value: String,
    options: Option<Vec<(&'static str, &'static str)>>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = if table == "degrees" {
        degree_field(row, column)
    } else {
        job_field(row, column)
    };
    let name = format!("form[{table}][{row}][{column}]");
    let error_id = format!("{id}-error");
    let field_error = {
        let id = id.clone();
        Signal::derive(move || error.get().and_then(|e| e.for_field(&id)))
    };
    let described_by = {
        let error_id = error_id.clone();
        move || field_error.get().map(|_| error_id.clone())
    };
    let control = match options {
        Some(options) => view! {
            <select
                id=id.clone()
                name=name
                aria-invalid=move || field_error.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                <option value="" selected=value.is_empty()>{lang.t(Msg::ChooseOption)}</option>
                {options.into_iter().map(|(code, text)| {
                    let selected = code == value;
                    view! { <option value=code selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        None => view! {
            <input
                id=id.clone()
                name=name
                value=value
                aria-invalid=move || field_error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
        }
        .into_any(),
    };
    view! {
        <div class="field" class:field-error=move || field_error.get().is_some()>
            <label for=id.clone()>{lang.t(label)}</label>
            {move || field_error.get().map(|msg| view! { <p class="error-message" id=error_id.clone()>{lang.t(msg)}</p> })}
            {control}
        </div>
    }
}

fn degree_row(row: usize, d: DegreeForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let levels: Vec<(&'static str, &'static str)> = DegreeLevel::ALL
        .into_iter()
        .map(|l| (l.as_str(), lang.t(l.msg())))
        .collect();
    let modes = STUDY_MODES.iter().map(|(c, m)| (*c, lang.t(*m))).collect();
    let classes = CLASSIFICATIONS
        .iter()
        .map(|(c, m)| (*c, lang.t(*m)))
        .collect();
    view! {
        <fieldset class="table-row" data-testid=format!("degree-{row}")>
            <legend>{lang.t(Msg::Degree)} " " {row + 1}</legend>
            <div class="field-grid">
                {cell("degrees", row, "level", Msg::DegreeLevelLabel, d.level, Some(levels), error)}
                {cell("degrees", row, "major", Msg::Major, d.major, None, error)}
                {cell("degrees", row, "institution", Msg::Institution, d.institution, None, error)}
                {cell("degrees", row, "graduated", Msg::Graduated, d.graduated, None, error)}
                {cell("degrees", row, "serial", Msg::DegreeSerial, d.serial, None, error)}
                {cell("degrees", row, "mode", Msg::StudyMode, d.mode, Some(modes), error)}
                {cell("degrees", row, "classification", Msg::Classification, d.classification, Some(classes), error)}
            </div>
        </fieldset>
    }
}

fn job_row(row: usize, j: JobForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="table-row" data-testid=format!("job-{row}")>
            <legend>{lang.t(Msg::Job)} " " {row + 1}</legend>
            <div class="field-grid">
                {cell("jobs", row, "from", Msg::JobFrom, j.from, None, error)}
                {cell("jobs", row, "until", Msg::JobUntil, j.until, None, error)}
                {cell("jobs", row, "workplace", Msg::Workplace, j.workplace, None, error)}
                {cell("jobs", row, "role", Msg::JobRole, j.role, None, error)}
            </div>
        </fieldset>
    }
}
