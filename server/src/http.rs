//! The HTTP application: Leptos pages and server functions, health check, language switch,
//! sessions, and the middleware that refuses cross-site writes and records client addresses.

use crate::config::Config;
use crate::session_store::ThriftyStore;
use app::accounts::{service::ClientAddr, types::safe_next};
use app::i18n::{Lang, LANG_COOKIE};
use app::server_support::Clock;
use app::{shell, App};
use axum::{
    extract::{ConnectInfo, FromRef, Path, Query, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use std::{collections::HashMap, net::SocketAddr, sync::Arc, time::Duration};
use tower_http::trace::TraceLayer;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
}

/// What the middleware needs from the configuration.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub public_origin: Option<String>,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub session_idle_minutes: i64,
    /// The clock deadlines are checked against (the system clock outside tests).
    pub clock: Clock,
}

impl From<&Config> for HttpSettings {
    fn from(config: &Config) -> Self {
        HttpSettings {
            public_origin: config.public_origin(),
            secure_cookies: config.secure_cookies(),
            trust_proxy: config.trust_proxy,
            session_idle_minutes: config.session_idle_minutes,
            clock: Clock::system(),
        }
    }
}

pub fn router(pool: PgPool, leptos_options: LeptosOptions, settings: HttpSettings) -> Router {
    let routes = generate_route_list(App);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        pool: pool.clone(),
    };
    let settings = Arc::new(settings);

    let idle = time::Duration::minutes(settings.session_idle_minutes);
    let https = settings.secure_cookies;
    let store = ThriftyStore::new(pool.clone(), idle);
    let sessions = SessionManagerLayer::new(store)
        .with_name("portal_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(idle));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{code}", get(switch_language))
        .route(
            "/hr/rounds/{id}/export/{format}",
            get(app::rounds::files::export_positions),
        )
        .route(
            "/hr/rounds/{id}/applications/{file}",
            get(app::applications::files::export_applications),
        )
        .route(
            "/hr/sessions/{session}/rooms/{room}/roster.xlsx",
            get(app::scheduling::files::export_roster),
        )
        .route(
            "/documents/{id}",
            get(app::applications::files::download_document),
        )
        .route(
            "/results/{round}/versions/{version}",
            get(app::results::files::download_canonical),
        )
        .route(
            "/results/{round}/export/{file}",
            get(app::results::files::export_results),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let (pool, clock) = (pool.clone(), settings.clock.clone());
                move || {
                    provide_context(pool.clone());
                    provide_context(clock.clone());
                    content_security_policy();
                }
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let (pool, clock) = (pool.clone(), settings.clock.clone());
                move || {
                    provide_context(pool.clone());
                    provide_context(clock.clone());
                    content_security_policy();
                }
            },
            shell,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(explain_session_failure))
        .layer(middleware::from_fn(refuse_unreadable_arguments))
        .layer(middleware::from_fn(cache_public_results))
        .layer(middleware::from_fn_with_state(
            settings.clone(),
            record_client_addr,
        ))
        .layer(middleware::from_fn_with_state(
            settings,
            refuse_cross_origin,
        ))
        .layer(middleware::from_fn(refuse_oversized))
        .layer(middleware::from_fn_with_state(https, security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The policy of every rendered page: scripts only from the portal itself and the inline
/// scripts carrying this request's nonce (leptos_axum draws one per request and puts it on
/// the hydration script and on the scripts that stream resolved data), WebAssembly allowed to
/// compile (`'wasm-unsafe-eval'`), nothing loaded from or sent to other sites. Inline styles
/// stay allowed (the pages set a few `style` attributes); inline event handlers do not.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )
}

/// Sends the page policy with the nonce of the request being rendered.
fn content_security_policy() {
    let nonce = leptos::nonce::use_nonce();
    let options = use_context::<leptos_axum::ResponseOptions>();
    if let (Some(nonce), Some(options)) = (nonce, options) {
        if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
            options.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The server functions that read a multipart body (uploads). Their reader panics on a body
/// that is not multipart, so such a request is refused before it reaches them; a new upload
/// endpoint belongs here (`http::a_plain_form_posted_to_an_upload_endpoint_is_refused_with_400`
/// lists them too).
fn upload_endpoints() -> [&'static str; 5] {
    use leptos::server_fn::ServerFn;
    [
        app::rounds::api::ImportPositions::PATH,
        app::scoring::api::ImportStage1::PATH,
        app::scoring::api::ImportMarks::PATH,
        app::applications::hr_api::ReconcileFees::PATH,
        app::applications::api::UploadDocument::PATH,
    ]
}

/// A request the server cannot read gets 400 and the portal's "the request could not be
/// read" (`AppError::Request`, whose text the server never fills in): an upload endpoint sent
/// something other than a multipart body, or arguments that do not deserialize (which the
/// server-function layer answers with 500).
async fn refuse_unreadable_arguments(request: Request, next: Next) -> Response {
    use app::error::AppError;
    use leptos::server_fn::error::FromServerFnError;
    let refused = || {
        (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            AppError::Request(String::new()).ser(),
        )
            .into_response()
    };
    let path = request.uri().path();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    if request.method() == Method::POST && upload_endpoints().contains(&path) {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.to_ascii_lowercase().starts_with("multipart/form-data") && v.contains("boundary=")
            });
        if !multipart {
            return refused();
        }
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    // An error body is a few bytes; anything larger is not the one looked for.
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => match serde_json::from_slice::<AppError>(&bytes) {
            Ok(AppError::Request(_)) => refused(),
            _ => Response::from_parts(parts, axum::body::Body::from(bytes)),
        },
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR).into_response(),
    }
}

/// The session layer answers a bare 500 (no body) when it cannot save the session: in
/// practice, when the database went away while the request ran. The caller gets the portal's
/// "try again" instead (503): a server function caller the error it decodes, a browser a page
/// in both languages. Whatever the request did may have been saved; the message says only
/// that it could not be confirmed.
async fn explain_session_failure(request: Request, next: Next) -> Response {
    use app::error::AppError;
    use app::i18n::{Lang, Msg};
    use leptos::server_fn::error::FromServerFnError;
    let server_function = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let bare = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && axum::body::HttpBody::size_hint(response.body()).exact() == Some(0);
    if !bare {
        return response;
    }
    let retry = [(header::RETRY_AFTER, "30")];
    if server_function {
        let body = AppError::Unavailable.ser();
        (StatusCode::SERVICE_UNAVAILABLE, retry, body).into_response()
    } else {
        let text = format!(
            "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\">\
             <title>{}</title><p>{}</p><p lang=\"en\">{}</p></html>",
            Lang::Vi.t(Msg::PortalName),
            Lang::Vi.t(Msg::ErrUnavailable),
            Lang::En.t(Msg::ErrUnavailable)
        );
        (
            StatusCode::SERVICE_UNAVAILABLE,
            retry,
            axum::response::Html(text),
        )
            .into_response()
    }
}

/// How long a proxy or CDN may serve a public result page without asking again. A published
/// version never changes; a new version (after appeals) is therefore seen within this time.
pub const PUBLIC_RESULTS_MAX_AGE: u32 = 60;

/// Public result pages (`/results/…`) read by a visitor who is not signed in may be cached by
/// anyone — a CDN in front of the portal on results day. Signed-in readers (whose header names
/// them) and answers other than 200 are never cached; `Vary: Cookie` keeps languages apart.
/// Headers every response carries: no framing by other sites, no type sniffing, no full URLs
/// (with round and application ids) sent to other sites, HSTS when the portal is served over
/// https. Anything a handler did not mark cacheable (static files, the public results) is
/// `no-store`: pages and exports may hold national IDs and must not stay in shared caches or
/// the browser's history cache.
/// Rendered pages carry their own script-restricting policy (`page_policy`); every other
/// response gets one that forbids framing, `<base>` and plug-ins.
async fn security_headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let static_file = path.starts_with("/pkg/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.') && !path.starts_with("/api/"));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'; base-uri 'self'; object-src 'none'"),
        );
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if !static_file && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn cache_public_results(request: Request, next: Next) -> Response {
    let cacheable = request.method() == Method::GET
        && request.uri().path().starts_with("/results/")
        && !request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains("portal_session="));
    let mut response = next.run(request).await;
    if cacheable
        && response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CACHE_CONTROL)
    {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&format!(
                "public, max-age={PUBLIC_RESULTS_MAX_AGE}, stale-while-revalidate=300"
            ))
            .expect("a valid header"),
        );
        headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    }
    response
}

/// The largest request body the portal accepts: a 5 MB scan with its form fits, and a
/// spreadsheet of a whole round's marks.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// Refuses a request body larger than `MAX_REQUEST_BYTES` with 413: by its declared length
/// before reading anything, or — without one (chunked) — as soon as it grows past the limit.
async fn refuse_oversized(request: Request, next: Next) -> Response {
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "Yêu cầu quá lớn. / Request too large.",
        )
            .into_response()
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match declared {
        // The HTTP server holds a body to its declared length.
        Some(length) if length > MAX_REQUEST_BYTES => too_large(),
        Some(_) => next.run(request).await,
        None => {
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, MAX_REQUEST_BYTES).await {
                Ok(bytes) => {
                    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                        .await
                }
                Err(_) => too_large(),
            }
        }
    }
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(pool): State<PgPool>) -> impl IntoResponse {
    let database_ok = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query_scalar::<_, i32>("select 1").fetch_one(&pool),
    )
    .await
    .is_ok_and(|r| r.is_ok());
    let status = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(serde_json::json!({
            "status": if database_ok { "ok" } else { "unavailable" },
            "database": if database_ok { "ok" } else { "unreachable" },
            "version": env!("CARGO_PKG_VERSION"),
        })),
    )
}

/// `GET /lang/{vi|en}?next=/path`: remembers the language in a cookie and goes back.
/// A plain link, so it works before (and without) the page's WebAssembly.
async fn switch_language(
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let target = safe_next(query.get("next").map(String::as_str));
    let mut response = (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            HeaderValue::from_str(&target).unwrap_or(HeaderValue::from_static("/")),
        )],
    )
        .into_response();
    if let Some(lang) = Lang::from_code(&code) {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

/// Refuses any state-changing request that a browser marks as coming from another site, so
/// server functions cannot be driven cross-site with the visitor's session cookie.
async fn refuse_cross_origin(
    State(settings): State<Arc<HttpSettings>>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe_method(request.method()) || is_same_origin(request.headers(), &settings) {
        return next.run(request).await;
    }
    tracing::warn!(
        origin = ?request.headers().get(header::ORIGIN),
        fetch_site = ?request.headers().get("sec-fetch-site"),
        path = %request.uri().path(),
        "refused a cross-origin request"
    );
    (
        StatusCode::FORBIDDEN,
        "Yêu cầu từ trang web khác bị từ chối. / Cross-origin request refused.",
    )
        .into_response()
}

fn is_safe_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Browsers send `Sec-Fetch-Site` (and older ones at least `Origin`) on every write; a write
/// must show one of them naming this site. One with neither is refused too: it cannot be
/// told apart from a forged one (scripts and API clients send `Origin`).
pub fn is_same_origin(headers: &HeaderMap, settings: &HttpSettings) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if settings.public_origin.as_deref() == Some(origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// Makes the client address available to server functions (for sign-in throttling).
async fn record_client_addr(
    State(settings): State<Arc<HttpSettings>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    let forwarded = settings
        .trust_proxy
        .then(|| {
            request
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_string())
        })
        .flatten();
    let addr = forwarded.or(peer).unwrap_or_else(|| "unknown".to_string());
    request.extensions_mut().insert(ClientAddr(addr));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> HttpSettings {
        HttpSettings {
            public_origin: Some("https://tuyendung.example".into()),
            secure_cookies: true,
            trust_proxy: false,
            session_idle_minutes: 60,
            clock: Clock::system(),
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn cross_site_writes_are_recognised() {
        let s = settings();
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            &s
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            &s
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            &s
        ));
        assert!(is_same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            &s
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            &s
        ));
        assert!(is_same_origin(
            &headers(&[
                ("origin", "https://tuyendung.example"),
                ("host", "10.0.0.5:3000")
            ]),
            &s
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "null"), ("host", "a")]),
            &s
        ));
        assert!(
            !is_same_origin(&headers(&[]), &s),
            "neither header: refused"
        );
    }
}
