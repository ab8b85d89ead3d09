//! Sign-in, registration and the account page.

use crate::accounts::api::{ChangePassword, ConfirmRegistration, Login, Register};
use crate::components::{ErrorSummary, TextField};
use crate::i18n::{use_lang, Msg};
use crate::shell::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let asked_to_sign_in = move || query.read().get("next").is_some();
    let login = ServerAction::<Login>::new();
    auth.refresh_after(move || login.version().get());
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    view! {
        <Title text=lang.t(Msg::LoginTitle) />
        <div class="narrow">
            <h1>{lang.t(Msg::LoginTitle)}</h1>
            <Show when=asked_to_sign_in>
                <p class="notice">{lang.t(Msg::LoginRequired)}</p>
            </Show>
            <ErrorSummary error />
            <ActionForm action=login attr:novalidate=true attr:class="form">
                <input type="hidden" name="next" value=next />
                <TextField name="email" label=Msg::Email kind="email" autocomplete="username" error />
                <TextField
                    name="password"
                    label=Msg::Password
                    kind="password"
                    autocomplete="current-password"
                    error
                />
                <button type="submit" class="button">{lang.t(Msg::LoginSubmit)}</button>
            </ActionForm>
            <p>{lang.t(Msg::NoAccountYet)} " " <a href="/register">{lang.t(Msg::Register)}</a></p>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let register = ServerAction::<Register>::new();
    auth.refresh_after(move || register.version().get());
    let error = Signal::derive(move || register.value().get().and_then(Result::err));
    view! {
        <Title text=lang.t(Msg::RegisterTitle) />
        <div class="narrow">
            <h1>{lang.t(Msg::RegisterTitle)}</h1>
            <p>{lang.t(Msg::RegisterIntro)}</p>
            <ErrorSummary error />
            <ActionForm action=register attr:novalidate=true attr:class="form">
                <TextField name="full_name" label=Msg::FullName autocomplete="name" error />
                <TextField
                    name="email"
                    label=Msg::Email
                    kind="email"
                    hint=Msg::EmailHint
                    autocomplete="email"
                    error
                />
                <TextField
                    name="password"
                    label=Msg::Password
                    kind="password"
                    hint=Msg::PasswordHint
                    autocomplete="new-password"
                    error
                />
                <TextField
                    name="password_confirm"
                    label=Msg::PasswordConfirm
                    kind="password"
                    autocomplete="new-password"
                    error
                />
                <button type="submit" class="button">{lang.t(Msg::RegisterSubmit)}</button>
            </ActionForm>
            <p>{lang.t(Msg::AlreadyHaveAccount)} " " <a href="/login">{lang.t(Msg::SignIn)}</a></p>
        </div>
    }
}

/// `/register/confirm?email=…`: the code e-mailed at registration finishes it. The page is the
/// same whether or not the address already had an account (the e-mail says which).
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let query = use_query_map();
    let email = query.read_untracked().get("email").unwrap_or_default();
    let confirm = ServerAction::<ConfirmRegistration>::new();
    auth.refresh_after(move || confirm.version().get());
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    view! {
        <Title text=lang.t(Msg::ConfirmRegistrationTitle) />
        <div class="narrow">
            <h1>{lang.t(Msg::ConfirmRegistrationTitle)}</h1>
            <p data-testid="confirm-intro">{lang.t(Msg::ConfirmRegistrationIntro)}</p>
            <ErrorSummary error />
            <ActionForm action=confirm attr:novalidate=true attr:class="form">
                <FreshField name="email" label=Msg::Email kind="email" autocomplete="email" value=email error />
                <FreshField name="code" label=Msg::ConfirmationCode kind="text" autocomplete="one-time-code" value=String::new() error />
                <button type="submit" class="button">{lang.t(Msg::ConfirmRegistrationSubmit)}</button>
            </ActionForm>
            <p><a href="/register">{lang.t(Msg::RegisterTitle)}</a></p>
        </div>
    }
}

/// A text box whose current value, not only its initial one, is set when the page is built in
/// the browser. The page follows the registration form without a reload, and the browser kept
/// what was typed into that form's boxes in this one's (the e-mail box showed the full name).
#[component]
fn FreshField(
    name: &'static str,
    label: Msg,
    kind: &'static str,
    autocomplete: &'static str,
    value: String,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <crate::components::FieldShell name id_prefix="" label hint=None error control=move |id, described_by, invalid| view! {
            <input
                id=id
                name=name
                type=kind
                value=value.clone()
                prop:value=value.clone()
                autocomplete=autocomplete
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described_by
            />
        }.into_any() />
    }
}

/// Shown inside `Protected`, so the user is known to be signed in.
#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let change = ServerAction::<ChangePassword>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <Title text=lang.t(Msg::AccountTitle) />
        <h1>{lang.t(Msg::AccountTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                auth.user.await.ok().flatten().map(|user| view! {
                    <dl class="summary-list">
                        <div><dt>{lang.t(Msg::FullName)}</dt><dd data-testid="account-name">{user.full_name}</dd></div>
                        <div><dt>{lang.t(Msg::Email)}</dt><dd data-testid="account-email">{user.email}</dd></div>
                        <div>
                            <dt>{lang.t(Msg::AccountRoles)}</dt>
                            <dd>
                                {user.roles.iter().map(|r| lang.t(r.msg())).collect::<Vec<_>>().join(", ")}
                            </dd>
                        </div>
                    </dl>
                })
            })}
        </Suspense>
        <section class="panel narrow">
            <h2>{lang.t(Msg::ChangePasswordTitle)}</h2>
            <Show when=changed>
                <div class="success" role="status" data-testid="password-changed">
                    <p>{lang.t(Msg::PasswordChanged)}</p>
                </div>
            </Show>
            <ErrorSummary error />
            <ActionForm action=change attr:novalidate=true attr:class="form">
                <TextField name="current_password" label=Msg::CurrentPassword kind="password" autocomplete="current-password" error />
                <TextField name="new_password" label=Msg::NewPasswordLabel kind="password" hint=Msg::PasswordHint autocomplete="new-password" error />
                <TextField name="new_password_confirm" label=Msg::PasswordConfirm kind="password" autocomplete="new-password" error />
                <button type="submit" class="button">{lang.t(Msg::ChangePasswordSubmit)}</button>
            </ActionForm>
        </section>
    }
}
