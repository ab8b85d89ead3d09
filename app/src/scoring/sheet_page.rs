//! The marking sheet: keyboard-only entry (code, Enter, mark, Enter, next), checked as it is
//! typed with the same rules the server applies, and a whole sheet from a file. A marker
//! sees codes and their own marks only; a clerk sees only their own entries.

use crate::accounts::types::Role;
use crate::components::{failure_view, ErrorSummary, Protected};
use crate::error::AppError;
use crate::i18n::{fmt, use_lang, Msg};
use crate::scoring::api::*;
use crate::scoring::marks::Mark;
use crate::scoring::pages::{show_mark, upload, UploadProgress};
use crate::scoring::papers::{normalise_code, Part};
use crate::scoring::types::*;
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn SheetPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::use_id_param();
    let query = use_query_map();
    let changed = RwSignal::new(0usize);
    let enter = ServerAction::<EnterMark>::new();
    // Kept here: the sheet is drawn again after an import, the report must survive it.
    let imported: RwSignal<Option<Result<usize, AppError>>> = RwSignal::new(None);
    let args = move || {
        let q = query.read();
        (
            q.get("position").and_then(|p| Uuid::parse_str(&p).ok()),
            q.get("part").unwrap_or_default(),
            q.get("marker").unwrap_or_default(),
        )
    };
    let sheet = Resource::new(
        move || (id.get(), args(), changed.get()),
        |(id, (position, part, marker), _)| async move {
            match (id, position) {
                (Some(id), Some(position)) => sheet_for_entry(id, position, part, marker).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=lang.t(Msg::SheetTitle) />
        <p><a href="/marking">{lang.t(Msg::NavMarking)}</a></p>
        <Protected roles=&[Role::Marker, Role::BoardChair, Role::HrOfficer]>
            <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Ok(sheet) => view! { <Sheet sheet enter changed imported /> }.into_any(),
                        Err(err) => failure_view(err),
                    }
                })}
            </Transition>
        </Protected>
    }
}

#[component]
fn Sheet(
    sheet: MarkingSheet,
    enter: ServerAction<EnterMark>,
    changed: RwSignal<usize>,
    imported: RwSignal<Option<Result<usize, AppError>>>,
) -> impl IntoView {
    let lang = use_lang();
    let MarkingSheet {
        sheet: head,
        scale,
        rows,
        locked,
        transcribing,
    } = sheet;
    let rows = RwSignal::new(rows);
    let code = RwSignal::new(String::new());
    let mark = RwSignal::new(String::new());
    let sent_code = RwSignal::new(String::new());
    let status: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    let code_input = NodeRef::<html::Input>::new();
    let mark_input = NodeRef::<html::Input>::new();
    let focus = |node: NodeRef<html::Input>| {
        if let Some(input) = node.get_untracked() {
            let _ = input.focus();
        }
    };

    let on_sheet = move |c: &str| rows.with(|rows| rows.iter().any(|r| r.code == c));
    let code_problem = Memo::new(move |_| {
        let c = normalise_code(&code.get());
        (!c.is_empty() && !on_sheet(&c)).then_some(Msg::ErrCodeNotOnSheet)
    });
    let mark_problem = Memo::new(move |_| {
        let m = mark.get();
        (!m.trim().is_empty())
            .then(|| Mark::parse(&m, scale).err())
            .flatten()
    });
    let version_of =
        move |c: &str| rows.with(|rows| rows.iter().find(|r| r.code == c).map_or(0, |r| r.version));

    // A finished save: update the row, say what happened, and get ready for the next paper.
    Effect::new(move |_| {
        let Some(result) = enter.value().get() else {
            return;
        };
        let c = sent_code.get_untracked();
        match result {
            Ok(SaveOutcome::Saved {
                mark: saved,
                version,
            }) => {
                rows.update(|rows| {
                    if let Some(r) = rows.iter_mut().find(|r| r.code == c) {
                        r.mark = Some(saved);
                        r.version = version;
                    }
                });
                status.set(Some((
                    true,
                    fmt::mark_saved(lang, &c, &show_mark(lang, saved)),
                )));
                code.set(String::new());
                mark.set(String::new());
                focus(code_input);
            }
            Ok(SaveOutcome::Conflict { current, version }) => {
                rows.update(|rows| {
                    if let Some(r) = rows.iter_mut().find(|r| r.code == c) {
                        r.mark = current;
                        r.version = version;
                    }
                });
                let now = current.map_or_else(
                    || lang.t(Msg::NotMarkedYet).to_string(),
                    |m| show_mark(lang, m),
                );
                status.set(Some((false, fmt::mark_conflict(lang, &c, &now))));
                focus(mark_input);
            }
            Err(_) => status.set(None),
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = normalise_code(&code.get_untracked());
        if c.is_empty() || code_problem.get_untracked().is_some() {
            focus(code_input);
            return;
        }
        let m = mark.get_untracked();
        if m.trim().is_empty() || mark_problem.get_untracked().is_some() {
            focus(mark_input);
            return;
        }
        sent_code.set(c.clone());
        enter.dispatch(EnterMark {
            round_id: head.round_id,
            position: head.position_id,
            part: head.part.as_str().to_string(),
            marker: if transcribing {
                head.marker_id.to_string()
            } else {
                String::new()
            },
            code: c.clone(),
            mark: m,
            version: version_of(&c),
        });
    };
    // Enter in the code box moves on to the mark instead of sending the form.
    let on_code_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            if !code.get_untracked().trim().is_empty() && code_problem.get_untracked().is_none() {
                focus(mark_input);
            }
        }
    };
    let pick = move |c: String| {
        code.set(c);
        mark.set(String::new());
        focus(mark_input);
    };

    let server_error = Signal::derive(move || enter.value().get().and_then(Result::err));
    let code_label = if head.part == Part::Panel {
        Msg::FieldCandidateCode
    } else {
        Msg::FieldPaperCode
    };
    let step = show_mark(
        lang,
        Mark::from_hundredths(u32::from(scale.step_hundredths)),
    );
    let entered = move || rows.with(|rows| rows.iter().filter(|r| r.mark.is_some()).count());
    let total = rows.with_untracked(Vec::len);
    let marker_field = if transcribing {
        head.marker_id.to_string()
    } else {
        String::new()
    };

    view! {
        <h1>{lang.t(Msg::SheetTitle)} ": " {head.position_code.clone()} " · " {lang.t(head.part.label())}</h1>
        <p class="lead">{head.round_name.clone()} " – " {head.position_title.clone()}</p>
        {transcribing.then(|| view! {
            <p><strong>{lang.t(Msg::TranscribingFor)} " " {head.marker_name.clone()}</strong></p>
            <p class="hint">{lang.t(Msg::TranscribeBlindHint)}</p>
        })}
        <p data-testid="sheet-count">{lang.t(Msg::ColComplete)} ": " {entered} " / " {total}</p>
        {locked.then(|| view! { <p class="notice" data-testid="sheet-locked">{lang.t(Msg::SheetLockedNote)}</p> })}
        {(!locked).then(|| view! {
            <section class="panel">
                <p class="hint" id="entry-hint">{fmt::entry_hint(lang, scale.max, &step)}</p>
                <ErrorSummary error=server_error id_prefix="entry-" keep_focus=true />
                {move || status.get().map(|(ok, text)| if ok {
                    view! { <div class="success" role="status" data-testid="entry-status"><p>{text}</p></div> }.into_any()
                } else {
                    view! { <div class="error-summary" role="alert" data-testid="entry-conflict"><p>{text}</p></div> }.into_any()
                })}
                <form method="post" action=EnterMark::PATH class="entry-form" on:submit=on_submit novalidate data-testid="entry-form">
                    <input type="hidden" name="round_id" value=head.round_id.to_string() />
                    <input type="hidden" name="position" value=head.position_id.to_string() />
                    <input type="hidden" name="part" value=head.part.as_str() />
                    <input type="hidden" name="marker" value=marker_field.clone() />
                    <input type="hidden" name="version" value="0" />
                    <div class="field" id="entry-code" class:field-error=move || code_problem.get().is_some()>
                        <label for="entry-code-input">{lang.t(code_label)}</label>
                        <input id="entry-code-input" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false"
                            autofocus node_ref=code_input
                            aria-describedby="entry-hint entry-code-problem"
                            aria-invalid=move || code_problem.get().is_some().then_some("true")
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev))
                            on:keydown=on_code_key />
                        <div id="entry-code-problem" aria-live="polite">
                            {move || code_problem.get().map(|m| view! { <p class="error-message">{lang.t(m)}</p> })}
                        </div>
                    </div>
                    <div class="field" id="entry-mark" class:field-error=move || mark_problem.get().is_some()>
                        <label for="entry-mark-input">{lang.t(Msg::FieldMark)}</label>
                        <input id="entry-mark-input" name="mark" inputmode="decimal" autocomplete="off"
                            node_ref=mark_input
                            aria-describedby="entry-mark-problem"
                            aria-invalid=move || mark_problem.get().is_some().then_some("true")
                            prop:value=move || mark.get()
                            on:input=move |ev| mark.set(event_target_value(&ev)) />
                        <div id="entry-mark-problem" aria-live="polite">
                            {move || mark_problem.get().map(|m| view! { <p class="error-message">{lang.t(m)}</p> })}
                        </div>
                    </div>
                    <button type="submit" class="button" disabled=move || enter.pending().get()>{lang.t(Msg::SaveMark)}</button>
                </form>
            </section>
        })}
        <div class="table-wrap">
            <table class="data-table sticky-head" data-testid="sheet-rows">
                <thead><tr>
                    <th scope="col">{lang.t(code_label)}</th>
                    <th scope="col" class="num">{lang.t(Msg::FieldMark)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r| (r.code.clone(), r.version) let:row>
                        {
                            let c = row.code.clone();
                            view! {
                                <tr data-code=row.code.clone()>
                                    <td>
                                        {if locked {
                                            view! { <code>{row.code.clone()}</code> }.into_any()
                                        } else {
                                            view! { <button type="button" class="link-button" on:click=move |_| pick(c.clone())><code>{row.code.clone()}</code></button> }.into_any()
                                        }}
                                    </td>
                                    <td class="num" data-testid="row-mark">
                                        {row.mark.map_or_else(|| lang.t(Msg::NotMarkedYet).to_string(), |m| show_mark(lang, m))}
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
        {(!locked).then(|| view! {
            <p><a href=move || sheet_csv(head.part, &rows.get()) download=format!("phieu-cham-{}-{}.csv", head.position_code, head.part.as_str()) rel="external" data-testid="sheet-csv">{lang.t(Msg::DownloadSheetCsv)}</a></p>
            <ImportSheet head=head.clone() marker_field changed report=imported />
        })}
    }
}

/// The sheet as a CSV a spreadsheet opens (BOM, semicolons, decimal commas), as a data URL:
/// codes with the marks entered so far, ready to fill in and import.
fn sheet_csv(part: Part, rows: &[SheetRow]) -> String {
    let header = if part == Part::Panel {
        "Số báo danh"
    } else {
        "Mã phách"
    };
    let mut csv = format!("\u{feff}{header};Điểm\r\n");
    for row in rows {
        let mark = row.mark.map(|m| m.display(',')).unwrap_or_default();
        let code = crate::spreadsheet::csv_cell(&row.code);
        csv.push_str(&format!("{code};{mark}\r\n"));
    }
    let encoded: String = csv
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("data:text/csv;charset=utf-8,{encoded}")
}

#[component]
fn ImportSheet(
    head: SheetRef,
    marker_field: String,
    changed: RwSignal<usize>,
    report: RwSignal<Option<Result<usize, AppError>>>,
) -> impl IntoView {
    let lang = use_lang();
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        upload(ev, pending, move |data| async move {
            let result = import_marks(data).await;
            let ok = result.is_ok();
            report.set(Some(result));
            if ok {
                changed.update(|n| *n += 1);
            }
        })
    };
    let error = Signal::derive(move || report.get().and_then(Result::err));
    view! {
        <section class="panel">
            <h2>{lang.t(Msg::ImportMarksTitle)}</h2>
            <p class="hint">{lang.t(Msg::ImportMarksHint)}</p>
            {move || report.get().and_then(Result::ok).map(|n| view! {
                <div class="success" role="status" data-testid="marks-imported"><p>{fmt::marks_imported(lang, n)}</p></div>
            })}
            <ErrorSummary error id_prefix="import-" />
            <form method="post" enctype="multipart/form-data" action=ImportMarks::PATH class="form" on:submit=on_submit data-testid="import-marks-form">
                <input type="hidden" name="round_id" value=head.round_id.to_string() />
                <input type="hidden" name="position" value=head.position_id.to_string() />
                <input type="hidden" name="part" value=head.part.as_str() />
                <input type="hidden" name="marker" value=marker_field />
                <div class="field" id="import-file">
                    <label for="import-file-input">{lang.t(Msg::ImportFile)}</label>
                    <input id="import-file-input" type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                </div>
                <button type="submit" class="button button-secondary" disabled=move || pending.get()>{lang.t(Msg::ImportSubmit)}</button>
                <UploadProgress pending />
            </form>
        </section>
    }
}
