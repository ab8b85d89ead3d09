//! Pages that belong to no single area: home, "coming soon" and not found.

use crate::i18n::{use_lang, Msg};
use crate::shell::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    view! {
        <Title text="" />
        <section class="hero">
            <h1>{lang.t(Msg::HomeTitle)}</h1>
            <p class="lead">{lang.t(Msg::HomeIntro)}</p>
        </section>
        <div class="cards">
            <section class="card">
                <h2>{lang.t(Msg::HomeApplicantHeading)}</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match auth.user.await {
                            Ok(Some(user)) => view! {
                                <p>{lang.t(Msg::HomeWelcomeBack)} ", " <strong>{user.full_name}</strong></p>
                                <p><a href="/account">{lang.t(Msg::NavAccount)}</a></p>
                            }.into_any(),
                            _ => view! {
                                <p>{lang.t(Msg::HomeApplicantBody)}</p>
                                <p class="actions">
                                    <a class="button" href="/register">{lang.t(Msg::Register)}</a>
                                    <a href="/login">{lang.t(Msg::SignIn)}</a>
                                </p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card">
                <h2>{lang.t(Msg::HomeRoundsHeading)}</h2>
                <p>{lang.t(Msg::HomeRoundsBody)}</p>
                <p><a class="button" href="/rounds">{lang.t(Msg::RoundsTitle)}</a></p>
            </section>
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=lang.t(Msg::NotFoundTitle) />
        <h1>{lang.t(Msg::NotFoundTitle)}</h1>
        <p>{lang.t(Msg::NotFoundBody)}</p>
        <p><a href="/">{lang.t(Msg::BackHome)}</a></p>
    }
}
