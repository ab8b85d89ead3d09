//! Building blocks the pages share: the role gate, form fields and the error summary.

use crate::accounts::types::Role;
use crate::error::AppError;
use crate::i18n::{use_lang, Msg};
use crate::shell::use_auth;
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_location};

/// Shows its children only to a signed-in user holding one of `roles` (any signed-in user when
/// empty). Anonymous visitors are sent to sign in and brought back; others are told they
/// cannot open the page. The server functions behind the page check again on their own.
#[component]
pub fn Protected(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let (pathname, search) = (location.pathname, location.search);
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) if roles.is_empty() || user.has_any_role(roles) => {
                            children().into_any()
                        }
                        Ok(Some(_)) => view! { <Forbidden /> }.into_any(),
                        Ok(None) | Err(AppError::Unauthenticated) => {
                            let here = format!(
                                "{}{}",
                                pathname.get_untracked(),
                                search.get_untracked()
                            );
                            let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
                            view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                        }
                        Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <Title text=lang.t(Msg::ForbiddenTitle) />
        <h1>{lang.t(Msg::ForbiddenTitle)}</h1>
        <p>{lang.t(Msg::ForbiddenBody)}</p>
        <p>
            <a href="/login">{lang.t(Msg::SignInAsOther)}</a>
        </p>
    }
}

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let lang = use_lang();
    // A page whose data could not be loaded says so in its status too, so that a proxy or CDN
    // never caches "try again" as the page.
    #[cfg(feature = "ssr")]
    if matches!(error, AppError::Unavailable | AppError::Internal { .. }) {
        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(error.status());
            if error == AppError::Unavailable {
                options.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static("30"),
                );
            }
        }
    }
    view! {
        <div class="error-summary" role="alert">
            <p>{error.text(lang)}</p>
        </div>
    }
}

/// GOV.UK-style summary at the top of a form: every problem, each linking to its field.
/// `id_prefix` matches the fields' prefix when a page holds several forms. The summary takes
/// the focus when it appears, so that a keyboard or screen-reader user lands on the list.
#[component]
pub fn ErrorSummary(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] id_prefix: &'static str,
    /// Names the field each message is about, when the message alone does not.
    #[prop(optional)]
    labels: Option<fn(crate::i18n::Lang, &str) -> Option<String>>,
    /// Leaves the focus where it is: for forms saved as they are typed, or whose page moves
    /// the focus itself, where the summary would pull it away from under the typing.
    #[prop(optional)]
    keep_focus: bool,
) -> impl IntoView {
    let lang = use_lang();
    let summary = NodeRef::<html::Div>::new();
    if !keep_focus {
        focus_when_shown(summary);
    }
    move || {
        error.get().map(|err| {
            let fields = err.field_errors();
            let items = if let AppError::Import(found) = &err {
                let more = (found.more() > 0).then(|| {
                    view! { <li data-testid="more-problems">{crate::i18n::fmt::more_problems(lang, found.more())}</li> }
                });
                let listed = found
                    .problems
                    .iter()
                    .map(|e| {
                        let place = if e.column.is_empty() {
                            format!("{} {}", lang.t(Msg::Row), e.row)
                        } else {
                            format!(
                                "{} {}, {} {}",
                                lang.t(Msg::Row),
                                e.row,
                                lang.t(Msg::Column),
                                e.column
                            )
                        };
                        view! { <li><span class="row-ref">{place}</span> ": " {lang.t(e.msg)}</li> }
                    })
                    .collect_view();
                (listed, more).into_any()
            } else if fields.is_empty() {
                view! { <li>{err.text(lang)}</li> }.into_any()
            } else {
                fields
                    .into_iter()
                    .map(|f| {
                        let text = match labels.and_then(|label| label(lang, &f.field)) {
                            Some(label) => format!("{label}: {}", lang.t(f.msg)),
                            None => lang.t(f.msg).to_string(),
                        };
                        view! {
                            <li>
                                <a href=format!("#{id_prefix}{}", f.field)>{text}</a>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            let title = if matches!(err, AppError::Import(_)) {
                Msg::ImportFailed
            } else {
                Msg::ErrorSummaryTitle
            };
            view! {
                <div class="error-summary" role="alert" tabindex="-1" data-testid="error-summary" node_ref=summary>
                    <h2>{lang.t(title)}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// Moves the focus to an error summary each time it is shown anew (after each refused
/// submission, or on a page that opens with problems to fix).
pub fn focus_when_shown(summary: NodeRef<html::Div>) {
    Effect::new(move |_| {
        if let Some(summary) = summary.get() {
            let _ = summary.focus();
        }
    });
}

/// Same-page links (the skip link, an error summary's, a task list's) move the focus to what
/// they point at, as the browser does without JavaScript: the router only scrolls there, which
/// would leave a keyboard user's next Tab where they were. A target that cannot hold the focus
/// passes it to the first control inside, or is made focusable.
#[cfg(feature = "hydrate")]
pub fn focus_follows_same_page_links() {
    use wasm_bindgen::{closure::Closure, JsCast};
    const FOCUSABLE: &str =
        "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]";
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href^='#']").ok().flatten())
        else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        let Some(target) = Some(href.trim_start_matches('#'))
            .filter(|id| !id.is_empty())
            .and_then(|id| document().get_element_by_id(id))
        else {
            return;
        };
        let control = if target.matches(FOCUSABLE).unwrap_or(false) {
            target
        } else if let Some(inside) = target.query_selector(FOCUSABLE).ok().flatten() {
            inside
        } else {
            let _ = target.set_attribute("tabindex", "-1");
            target
        };
        if let Ok(control) = control.dyn_into::<web_sys::HtmlElement>() {
            ev.prevent_default();
            let _ = control.focus();
        }
    });
    // Capture: before the router's own handler, which then leaves the click alone.
    let _ = window().add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    on_click.forget();
}

/// Label, hint and error message around a form control whose id is `{id_prefix}{name}`.
#[component]
pub fn FieldShell(
    name: &'static str,
    id_prefix: &'static str,
    label: Msg,
    hint: Option<Msg>,
    error: Signal<Option<AppError>>,
    control: impl Fn(String, Signal<Option<String>>, Signal<bool>) -> AnyView + Send + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("{id_prefix}{name}");
    let field_error = Signal::derive(move || error.get().and_then(|e| e.for_field(name)));
    let invalid = Signal::derive(move || field_error.get().is_some());
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        Signal::derive(move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if invalid.get() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        })
    };
    view! {
        <div class="field" class:field-error=move || invalid.get()>
            <label for=id.clone()>{lang.t(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{lang.t(h)}</p> })}
            {move || {
                field_error
                    .get()
                    .map(|msg| {
                        view! {
                            <p class="error-message" id=error_id.clone()>
                                {lang.t(msg)}
                            </p>
                        }
                    })
            }}
            {control(id.clone(), described_by, invalid)}
        </div>
    }
}

/// A labelled input with optional hint and its own error message.
#[component]
pub fn TextField(
    name: &'static str,
    label: Msg,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] id_prefix: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <FieldShell name id_prefix label hint error control=move |id, described_by, invalid| view! {
            <input
                id=id
                name=name
                type=kind
                value=value.clone()
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described_by
            />
        }.into_any() />
    }
}

/// A labelled multi-line text box.
#[component]
pub fn TextArea(
    name: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] id_prefix: &'static str,
    #[prop(default = 5)] rows: u32,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <FieldShell name id_prefix label hint error control=move |id, described_by, invalid| view! {
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described_by
            >{value.clone()}</textarea>
        }.into_any() />
    }
}

/// A labelled drop-down list of (value, text) options.
#[component]
pub fn SelectField(
    name: &'static str,
    label: Msg,
    options: Vec<(String, String)>,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] id_prefix: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <FieldShell name id_prefix label hint error control=move |id, described_by, invalid| view! {
            <select
                id=id
                name=name
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described_by
            >
                {options.iter().map(|(value, text)| view! {
                    <option value=value.clone()>{text.clone()}</option>
                }).collect_view()}
            </select>
        }.into_any() />
    }
}

/// Adds one to `counter` each time `action` completes successfully. Data reloaded on this
/// counter is not reloaded after a refusal, so the form that was refused keeps what the
/// person typed.
pub fn count_successes<S>(counter: RwSignal<usize>, action: ServerAction<S>)
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Effect::new(move |_| {
        let succeeded = action.value().with_untracked(|v| matches!(v, Some(Ok(_))));
        if action.version().get() > 0 && succeeded {
            counter.update(|n| *n += 1);
        }
    });
}

/// The route's `:id` as a UUID; `None` when it is not one (the page then shows "not found").
pub fn use_id_param() -> Memo<Option<uuid::Uuid>> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| uuid::Uuid::parse_str(&id).ok())
    })
}

/// Fetches a record by id; a missing or malformed id is simply not found.
pub async fn by_id<T, F>(
    id: Option<uuid::Uuid>,
    fetch: impl FnOnce(uuid::Uuid) -> F,
) -> Result<T, AppError>
where
    F: std::future::Future<Output = Result<T, AppError>>,
{
    match id {
        Some(id) => fetch(id).await,
        None => Err(AppError::NotFound),
    }
}

/// What a page shows when its data could not be loaded.
pub fn failure_view(err: AppError) -> AnyView {
    match err {
        AppError::NotFound => view! { <crate::pages::NotFound /> }.into_any(),
        err => view! { <ErrorPanel error=err /> }.into_any(),
    }
}

/// The error a server function returned to a plain (no-JavaScript or multipart) form post,
/// carried back in the URL; the last one wins, in case the page was reached from an earlier
/// failure.
pub fn error_from_url(path: &str) -> Option<AppError> {
    use leptos::server_fn::error::ServerFnUrlError;
    let query = leptos_router::hooks::use_query_map();
    let query = query.read_untracked();
    let from = query.get("__path")?;
    (from == path)
        .then(|| query.get_all("__err").and_then(|all| all.last().cloned()))
        .flatten()
        .map(|err| ServerFnUrlError::<AppError>::decode_err(&err))
}

/// Opens the browser's print dialogue (a handler, not an inline `onclick`: the
/// Content-Security-Policy allows no inline script).
pub fn print_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().print();
    }
}
