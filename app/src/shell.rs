//! The page shell, the routes and the header every page shares.

use crate::accounts::api::{current_account, Logout};
use crate::accounts::pages::{AccountPage, ConfirmRegistrationPage, LoginPage, RegisterPage};
use crate::accounts::types::{CurrentUser, Role};
use crate::admin::pages::AdminUsersPage;
use crate::applications::hr_pages::{ApplicationFilePage, OutboxPage, ScreeningPage};
use crate::applications::pages::{ApplicantHomePage, ApplyPage, ReceiptPage};
use crate::applications::profile_page::ProfilePage;
use crate::components::Protected;
use crate::error::AppError;
use crate::i18n::{use_lang, Lang, Msg};
use crate::pages::{HomePage, NotFound};
use crate::results::pages::ResultsPage;
use crate::results::public_pages::{LookupPage, PublicResultsPage};
use crate::rounds::hr_pages::{HrRoundPage, HrRoundsPage};
use crate::rounds::public_pages::{RoundNoticePage, RoundsPage};
use crate::rounds::rule_set_pages::{RuleSetPage, RuleSetsPage};
use crate::scheduling::invigilation_pages::{InvigilationPage, RoomAttendancePage};
use crate::scheduling::pages::{RosterPage, SchedulePage, TicketPage};
use crate::scoring::chair_pages::{ChairPage, PaperHistoryPage, PaperLookupPage};
use crate::scoring::pages::{BoardHomePage, BoardPage, MarkingHomePage};
use crate::scoring::sheet_page::SheetPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

/// The HTML document around the app; rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    let scripts =
        (!is_public_result_page()).then(|| view! { <HydrationScripts options=options.clone() /> });
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The reader's language: from the `lang` cookie on the server, and from the `lang` attribute
/// the server wrote on `<html>` in the browser, so both render the same page.
/// Public result pages are what everyone reads on results day: they work without JavaScript,
/// so they load none (no WebAssembly to download, nothing to hydrate). Pages opened from a
/// hydrated page still render in the browser as usual.
fn is_public_result_page() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .is_some_and(|parts| parts.uri.path().starts_with("/results/"))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
}

/// The signed-in user, shared by every page, and what makes it be read again.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub logout: ServerAction<Logout>,
    changed: RwSignal<usize>,
}

impl Auth {
    /// Reads the signed-in user again whenever `version` (an action's) moves on.
    /// Actions that can fail with a message belong to their page, inside the router, so
    /// that an error carried back in the URL after a no-JavaScript post reaches them.
    pub fn refresh_after(&self, version: impl Fn() -> usize + Send + Sync + 'static) {
        let changed = self.changed;
        Effect::new(move |_| {
            if version() > 0 {
                changed.update(|n| *n += 1);
            }
        });
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);

    let logout = ServerAction::<Logout>::new();
    let changed = RwSignal::new(0);
    let user = Resource::new(
        move || (changed.get(), logout.version().get()),
        |_| current_account(),
    );
    provide_context(Auth {
        user,
        logout,
        changed,
    });

    // Marks the page as interactive once the WebAssembly has taken over (effects run only in
    // the browser); the browser tests wait for it.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    let portal = lang.t(Msg::PortalName);
    view! {
        <Stylesheet id="leptos" href="/pkg/portal.css" />
        <Title text="" formatter=move |page: String| {
            if page.is_empty() { portal.to_string() } else { format!("{page} · {portal}") }
        } />
        <Router>
            <Header />
            <main id="main" class="container" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/register/confirm") view=ConfirmRegistrationPage ssr=SsrMode::Async />
                    <Route path=path!("/rounds") view=RoundsPage ssr=SsrMode::Async />
                    <Route path=path!("/rounds/:id") view=RoundNoticePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/account")
                        view=|| view! { <Protected roles=&[]><AccountPage /></Protected> }
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/applications") view=ApplicantHomePage ssr=SsrMode::Async />
                    <Route path=path!("/applications/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/applications/rounds/:id") view=ApplyPage ssr=SsrMode::Async />
                    <Route path=path!("/applications/:id/receipt") view=ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("/hr/rounds/:id/applications") view=ScreeningPage ssr=SsrMode::Async />
                    <Route path=path!("/hr/applications/:id") view=ApplicationFilePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/hr/rounds/:id/schedule") view=SchedulePage ssr=SsrMode::Async />
                    <Route path=path!("/hr/sessions/:session/rooms/:room") view=RosterPage ssr=SsrMode::Async />
                    <Route path=path!("/applications/:id/ticket") view=TicketPage ssr=SsrMode::Async />
                    <Route path=path!("/invigilation") view=InvigilationPage ssr=SsrMode::Async />
                    <Route path=path!("/invigilation/:session/:room") view=RoomAttendancePage ssr=SsrMode::Async />
                    <Route path=path!("/marking") view=MarkingHomePage ssr=SsrMode::Async />
                    <Route path=path!("/marking/rounds/:id/sheet") view=SheetPage ssr=SsrMode::Async />
                    <Route path=path!("/board") view=BoardHomePage ssr=SsrMode::Async />
                    <Route path=path!("/board/rounds/:id") view=ChairPage ssr=SsrMode::Async />
                    <Route path=path!("/board/papers/:id") view=PaperHistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/board/rounds/:id/papers") view=PaperLookupPage ssr=SsrMode::Async />
                    <Route path=path!("/hr/rounds/:id/marking") view=BoardPage ssr=SsrMode::Async />
                    <Route path=path!("/hr/rounds/:id/results") view=ResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/hr/rounds/:id/appeals") view=crate::appeals::pages::AppealsPage ssr=SsrMode::Async />
                    <Route path=path!("/applications/:id/appeal") view=crate::appeals::pages::AppealApplicantPage ssr=SsrMode::Async />
                    <Route path=path!("/results/:id") view=PublicResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/results/:id/lookup") view=LookupPage ssr=SsrMode::Async />
                    <Route path=path!("/results/:id/positions/:code") view=crate::results::public_pages::PublicPositionPage ssr=SsrMode::Async />
                    <Route path=path!("/results/:id/cancelled") view=crate::results::after_selection_pages::PublicCancelledPage ssr=SsrMode::Async />
                    <Route path=path!("/results/:id/scores/:code") view=crate::results::exam_scores_pages::PublicScoresPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/hr/rounds")
                        view=HrRoundsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/hr/rounds/:id")
                        view=HrRoundPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/hr/rule-sets") view=RuleSetsPage ssr=SsrMode::Async />
                    <Route path=path!("/hr/rule-sets/:id") view=RuleSetPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/calendar") view=crate::calendar::pages::CalendarPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/users")
                        view=AdminUsersPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="container">
                    <p>{lang.t(Msg::PortalAuthority)} " · " {lang.t(Msg::FooterText)}</p>
                </div>
            </footer>
        </Router>
    }
}

/// Links for the signed-in user's roles; areas later releases build say "coming soon".
fn nav_links(user: Option<&CurrentUser>) -> Vec<(&'static str, Msg)> {
    let mut links = vec![("/", Msg::NavHome), ("/rounds", Msg::NavRounds)];
    let Some(user) = user else {
        return links;
    };
    for (role, href, msg) in [
        (Role::Applicant, "/applications", Msg::NavMyApplications),
        (Role::BoardChair, "/board", Msg::NavBoard),
        (Role::HrOfficer, "/hr/rounds", Msg::NavHrRounds),
        (Role::Administrator, "/admin/users", Msg::NavAdminUsers),
        (
            Role::Administrator,
            "/admin/calendar",
            Msg::NavAdminCalendar,
        ),
    ] {
        if user.has_role(role) {
            links.push((href, msg));
        }
    }
    // Chairs may mark too; HR officers may be clerks typing paper sheets.
    if user.has_any_role(&[Role::Marker, Role::BoardChair, Role::HrOfficer]) {
        links.push(("/marking", Msg::NavMarking));
        links.push(("/invigilation", Msg::NavInvigilation));
    }
    links.push(("/account", Msg::NavAccount));
    links
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let location = use_location();
    let (pathname, search) = (location.pathname, location.search);
    let switch_href = move || {
        // The router's search string comes without its "?".
        let search = search.get();
        let here = match search.trim_start_matches('?') {
            "" => pathname.get(),
            query => format!("{}?{query}", pathname.get()),
        };
        let here: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
        format!("/lang/{}?next={here}", lang.other().code())
    };
    let current = move |href: &str| {
        let path = pathname.get();
        (href == path || (href != "/" && path.starts_with(href))).then_some("page")
    };

    view! {
        <a class="skip-link" href="#main">{lang.t(Msg::SkipToContent)}</a>
        <header class="site-header">
            <div class="container header-bar">
                <a class="brand" href="/">
                    <span class="brand-authority">{lang.t(Msg::PortalAuthority)}</span>
                    <span class="brand-name">{lang.t(Msg::PortalName)}</span>
                </a>
                <div class="header-tools">
                    <a
                        class="lang-switch"
                        href=switch_href
                        rel="external"
                        hreflang=lang.other().code()
                        lang=lang.other().code()
                        aria-label=lang.t(Msg::SwitchLanguageLabel)
                    >
                        {lang.t(Msg::SwitchLanguage)}
                    </a>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match auth.user.await {
                                Ok(Some(user)) => view! {
                                    <span class="signed-in">
                                        <span class="visually-hidden">{lang.t(Msg::SignedInAs)} " "</span>
                                        <a href="/account" data-testid="signed-in-name">{user.full_name}</a>
                                    </span>
                                    <ActionForm
                                        action=auth.logout
                                        attr:class="inline-form"
                                        on:submit=|_| crate::applications::autosave::forget_kept_drafts()
                                    >
                                        <button type="submit" class="link-button">{lang.t(Msg::SignOut)}</button>
                                    </ActionForm>
                                }.into_any(),
                                _ => view! {
                                    <a href="/login">{lang.t(Msg::SignIn)}</a>
                                    <a href="/register" class="header-cta">{lang.t(Msg::Register)}</a>
                                }.into_any(),
                            }
                        })}
                    </Transition>
                </div>
            </div>
            <nav class="primary-nav" aria-label=lang.t(Msg::PortalName)>
                <div class="container">
                    <Transition fallback=move || nav_list(nav_links(None), 0, current)>
                        {move || Suspend::new(async move {
                            let user = auth.user.await.ok().flatten();
                            let unread = user.as_ref().map_or(0, |u| u.unread_notifications);
                            nav_list(nav_links(user.as_ref()), unread, current)
                        })}
                    </Transition>
                </div>
            </nav>
        </header>
    }
}

fn nav_list(
    links: Vec<(&'static str, Msg)>,
    unread: i64,
    current: impl Fn(&str) -> Option<&'static str> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul>
            {links
                .into_iter()
                .map(|(href, msg)| {
                    // New notifications show beside the applicant's home, as a number and words.
                    let badge = (href == "/applications" && unread > 0).then(|| {
                        view! {
                            " " <span class="tag tag-new" data-testid="unread-badge">
                                <span aria-hidden="true">{unread}</span>
                                <span class="visually-hidden">
                                    {crate::i18n::fmt::unread(lang, unread as usize)}
                                </span>
                            </span>
                        }
                    });
                    view! {
                        <li>
                            <a href=href aria-current=move || current(href)>{lang.t(msg)} {badge}</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
