//! The demo console's server: `www/` over TLS on loopback, served the way Okta serves its consoles.
//!
//! It answers for every host name the browser maps to it (`acme-admin.okta.com` and friends), so
//! the extension's unchanged manifest matches it, and it sends a Content Security Policy at least
//! as strict as Okta's: no inline script or style and no `'wasm-unsafe-eval'`, which is what forces
//! the extension's design. Built on axum (routing) and axum-server with rustls (TLS), with a
//! certificate made at start-up by rcgen.
//!
//! The Admin Console's hosts (and the org's own host, [`ORG_HOST`], where only
//! `/.well-known/okta-organization` matters) carry the demo org's `/api/v1`, as strict as Okta's: a
//! foreign `Origin` gets 403 `E0000212`, no or an expired session 403 `E0000005`, no XSRF token
//! 403 `E0000006`, a demo admin who is not a super admin 403 `E0000006` on their roles, and
//! every answer carries Okta's rate-limit headers, counted per minute per endpoint family
//! ([`DEFAULT_RATE_LIMIT`] each, then 429 `E0000047`). Lists page with one `Link` header per
//! relation and opaque `after` cursors. [`DemoServer`]'s knobs steer the org, and
//! [`DemoServer::api_requests`] tells every call it received, from which origin, and what it
//! answered.
//!
//! Test knobs for the Scopes-tab corpus ([`crate::corpus`]): [`DemoServer::set_granted`] sets the
//! truth (the org's own grant of a scope) before a page opens, [`DemoServer::granted_scopes`]
//! reads it, and [`DemoServer::set_helper_api_down`] makes `/api/v1` answer 503 `E0000009` to
//! every request without the console's own `X-Requested-With: XMLHttpRequest` header, that is, to
//! the helper's requests only, while the console keeps working.

use crate::okta_api::{self, api_error, lock, session_cookie_header, Org, Shared};
pub use crate::okta_api::{
    next_links_followed, ApiCall, Fault, MetadataFault, DEFAULT_RATE_LIMIT, ORG_ID,
    WORKFLOWS_SSO_APP_ID,
};
pub use crate::okta_log::TokenAnswer;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use tower::Layer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content Security Policy on every response: Okta's strict policy, or stricter.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; frame-src 'self'; img-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

/// The demo org's Admin Console host.
pub const ADMIN_HOST: &str = "acme-admin.okta.com";
/// The demo org's own host (its org domain): only its metadata,
/// `/.well-known/okta-organization`, matters there.
pub const ORG_HOST: &str = "acme.okta.com";
/// The demo org's Okta Workflows console host.
pub const WORKFLOWS_HOST: &str = "acme.workflows.okta.com";
/// Another org's Okta Workflows console, for tests of filling across orgs.
pub const OTHER_WORKFLOWS_HOST: &str = "beta.workflows.okta.com";
/// A host that only looks like Okta's, for tests that the helper stays away.
pub const LOOK_ALIKE_HOST: &str = "acme-admin.okta.com.evil.test";
/// A host under an Okta domain that is no console: with a console's host name in its path, query
/// or fragment it matches the manifest's `include_globs`, for tests that the agent still does
/// nothing there.
pub const NOT_A_CONSOLE_HOST: &str = "evil.okta.com";
/// Every host name the demo answers for; tests map each to the server.
pub const DEMO_HOSTS: [&str; 6] = [
    ADMIN_HOST,
    ORG_HOST,
    WORKFLOWS_HOST,
    OTHER_WORKFLOWS_HOST,
    LOOK_ALIKE_HOST,
    NOT_A_CONSOLE_HOST,
];
/// The Okta Workflows OAuth app's id in the demo org; also its client id.
pub const WORKFLOWS_OAUTH_APP_ID: &str = "0oa1wf2oauthdemo0x7q";

/// Path of the Okta Workflows OAuth app's page in the demo org.
pub const WORKFLOWS_OAUTH_APP_PATH: &str = "/admin/app/flow/instance/0oa1wf2oauthdemo0x7q/";

/// A running demo server; it stops when dropped.
pub struct DemoServer {
    port: u16,
    org: Arc<Mutex<Org>>,
    handle: axum_server::Handle<SocketAddr>,
    thread: Option<JoinHandle<()>>,
}

impl DemoServer {
    /// Serves `www` on an unused loopback port.
    pub fn start(www: &Path) -> std::io::Result<Self> {
        Self::start_on(www, 0)
    }

    /// Serves `www` on the given loopback port (0 for any free one).
    pub fn start_on(www: &Path, port: u16) -> std::io::Result<Self> {
        let tls = tls_config()?;
        let org: Shared = Arc::new(Mutex::new(Org::new()));
        let app = router(www.to_path_buf(), org.clone());
        let handle = axum_server::Handle::new();
        let serving = handle.clone();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let (listening_tx, listening_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let watcher = serving.clone();
                tokio::spawn(async move {
                    let _ = listening_tx.send(watcher.listening().await);
                });
                let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
                let config = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(tls));
                if let Err(error) = axum_server::bind_rustls(address, config)
                    .handle(serving)
                    .serve(app.into_make_service())
                    .await
                {
                    eprintln!("demo server stopped: {error}");
                }
            });
        });
        let listening = listening_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .ok()
            .flatten()
            .ok_or_else(|| {
                std::io::Error::other(format!("the demo server could not listen on port {port}"))
            })?;
        Ok(Self {
            port: listening.port(),
            org,
            handle,
            thread: Some(thread),
        })
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The demo app's client secret, as the Sign On tab shows it.
    pub fn client_secret(&self) -> String {
        self.lock().client_secret()
    }

    /// A token request to the org, as Okta Workflows makes one for a connection: the Okta
    /// Workflows OAuth app's id, `secret`, and `scopes`; logged in the System Log as the org
    /// answered it (see [`crate::okta_log`]).
    pub fn request_token(&self, secret: &str, scopes: &[&str]) -> TokenAnswer {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        crate::okta_log::token_request(&self.org, WORKFLOWS_OAUTH_APP_ID, secret, &scopes)
    }

    /// Writes a failed event about the Okta Workflows OAuth app into the System Log, as Okta
    /// would for `event_type` (one the demo never writes by itself, say), with its reason and
    /// `debugData`.
    pub fn log_failure(&self, event_type: &str, message: &str, reason: &str, debug_data: Value) {
        let actor = json!({"id": WORKFLOWS_OAUTH_APP_ID, "type": "PublicClientApp",
                           "alternateId": WORKFLOWS_OAUTH_APP_ID, "displayName": "Okta Workflows OAuth"});
        let event = crate::okta_log::log_event(
            event_type,
            message,
            actor,
            ("FAILURE", Some(reason)),
            debug_data,
        );
        self.lock().log.push(event);
    }

    /// Whether the demo admin may read the System Log (`okta.logs.read`); yes unless set.
    pub fn set_can_read_logs(&self, yes: bool) {
        self.lock().can_read_logs = yes;
    }

    /// Every System Log event so far, oldest first.
    pub fn log_events(&self) -> Vec<Value> {
        self.lock().log.clone()
    }

    /// Every connection the Workflows console's Create button posted, exactly as received.
    pub fn connections(&self) -> Vec<Value> {
        self.lock().connections.clone()
    }

    /// The app's client secrets: `(id, active, value)`, in the order they were made.
    pub fn secrets(&self) -> Vec<(String, bool, String)> {
        self.lock()
            .secrets
            .iter()
            .map(|s| (s.id.clone(), s.active, s.value.clone()))
            .collect()
    }

    /// Gives the app a second active secret, as an admin would in the console; its value.
    pub fn add_secret(&self) -> String {
        let secret = crate::okta_secrets::DemoSecret::new(
            "ocs1demosecret0x7q02".to_owned(),
            "2026-11-15T09:00:00.000Z",
        );
        let value = secret.value.clone();
        self.lock().secrets.push(secret);
        value
    }

    /// Adds an Okta Devices connection to the Workflows console, as if made earlier with the
    /// app's current secret; its id.
    pub fn add_connection(&self, nickname: &str) -> String {
        let mut org = self.lock();
        let id = format!("conn{}", org.connections.len() + 1);
        let secret = org.client_secret();
        org.connections.push(json!({
            "id": id, "connector": "Okta Devices", "nickname": nickname, "domain": ORG_HOST,
            "clientId": WORKFLOWS_OAUTH_APP_ID, "clientSecret": secret, "scopes": "default",
        }));
        id
    }

    /// Okta Workflows checking connection `id`: a token request with its credentials and the
    /// Okta Devices scopes, answered and logged as the org does.
    pub fn check_connection(&self, id: &str) -> Option<TokenAnswer> {
        connection_token(&self.org, id)
    }

    /// Whether the demo admin has the Super Administrator role (yes by default).
    pub fn set_super_admin(&self, yes: bool) {
        self.lock().super_admin = yes;
    }

    /// Whether the Okta Workflows OAuth app is assigned to the demo admin (yes by default).
    pub fn set_assigned(&self, yes: bool) {
        self.lock().assigned = yes;
    }

    /// How many grants one page of the grants list holds (Okta's default, 20, unless set).
    pub fn set_page_size(&self, size: usize) {
        self.lock().page_size = size;
    }

    /// Ends every console session: API calls answer 403 `E0000005` "Invalid session" until the
    /// page is reloaded (which starts a new session).
    pub fn expire_sessions(&self) {
        self.lock().expire_sessions();
    }

    /// Makes the next `calls` API calls (after the origin check) answer 429 `E0000047`, with
    /// `X-Rate-Limit-Remaining: 0` and `X-Rate-Limit-Reset` one second away.
    pub fn throttle_next(&self, calls: usize) {
        self.lock().throttled = calls;
    }

    /// How many calls per minute each endpoint family (`apps`, `users`, …) may make before the
    /// demo answers 429 `E0000047`; [`DEFAULT_RATE_LIMIT`] (1200) unless set. Counted
    /// per org, whatever the session.
    pub fn set_rate_limit(&self, per_minute: usize) {
        self.lock().rate_limit = per_minute;
    }

    /// Answers the next authenticated API calls with these faults, in order.
    pub fn fail_next(&self, faults: &[Fault]) {
        self.lock().faults.extend(faults.iter().copied());
    }

    /// Answers the next authenticated API calls whose path contains `aim` (`"/grants"`) with
    /// these faults, in order, whatever other calls arrive between them: the helper asks the
    /// grants, the admin's roles and the assignment at once.
    pub fn fail_next_at(&self, aim: &'static str, faults: &[Fault]) {
        self.lock()
            .aimed_faults
            .extend(faults.iter().map(|fault| (aim, *fault)));
    }

    /// Whether the org is on Okta Classic Engine: its metadata says `"pipeline": "v1"` rather than
    /// Identity Engine's `"idx"` (the default).
    pub fn set_classic(&self, classic: bool) {
        self.lock().classic = classic;
    }

    /// How `GET /.well-known/okta-organization` answers from now on ([`MetadataFault::None`], the
    /// documented metadata, unless set).
    pub fn fail_metadata(&self, fault: MetadataFault) {
        self.lock().metadata_fault = fault;
    }

    /// Adds an ACTIVE grant of `scope_id` for `issuer` (an authorization server other than the
    /// org's, say) to the Okta Workflows OAuth app, in the documented grant shape; returns its
    /// id. The demo Scopes tab counts only grants the org itself issued, so another issuer's
    /// grant does not show there as granted.
    pub fn add_grant(&self, scope_id: &str, issuer: &str) -> String {
        self.lock().add_grant(scope_id, issuer)
    }

    /// Sets the truth for a test: adds (`true`) or removes (`false`) the org's own grant (issuer
    /// `https://{org domain}`) of `scope_id` on the Okta Workflows OAuth app
    /// ([`WORKFLOWS_OAUTH_APP_ID`]), the grant its Scopes tab's Grant button makes and Revoke
    /// removes. Grants for other issuers are left alone. Pages already open show the change only
    /// once they read the grants again.
    pub fn set_granted(&self, scope_id: &str, granted: bool) {
        self.lock().set_granted(scope_id, granted);
    }

    /// The truth: the scope ids the org has granted the Okta Workflows OAuth app for its own
    /// issuer (`https://{org domain}`), in the order they were granted. The seven OpenID Connect
    /// scopes, which Okta grants by itself and the tab does not list, are not among them.
    pub fn granted_scopes(&self) -> Vec<String> {
        self.lock().granted_scopes()
    }

    /// Test knob, not a behaviour of Okta's: while on, every `/api/v1` request that does not carry
    /// the demo console's own `X-Requested-With: XMLHttpRequest` header answers 503 `E0000009`
    /// "Internal Server Error" (Okta's error body). The console (`www/assets/console.js`) sends
    /// that header on all its requests and keeps working; the extension's page agent never does,
    /// so Okta's API fails for the helper only. Off unless set.
    pub fn set_helper_api_down(&self, down: bool) {
        self.lock().helper_api_down = down;
    }

    /// Adds an app to the org (a second Okta Workflows OAuth instance, `name` `flow`, say); its
    /// pages are served at `/admin/app/{name}/instance/{id}/` like every app's.
    pub fn add_app(&self, id: &str, name: &str, label: &str) {
        self.lock()
            .apps
            .push((id.to_owned(), name.to_owned(), label.to_owned()));
    }

    /// Every API call received, as `METHOD /path?query`.
    pub fn api_calls(&self) -> Vec<String> {
        self.lock()
            .requests
            .iter()
            .map(|call| format!("{} {}", call.method, call.target))
            .collect()
    }

    /// Every `/api/v1` call received, in order: method, path and query, `Origin`, whether the
    /// console itself made it, the status the demo answered and the next link it gave.
    pub fn api_requests(&self) -> Vec<ApiCall> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Org> {
        okta_api::lock(&self.org)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.handle.shutdown();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A self-signed certificate for the demo hosts; the test browser is told to accept it.
fn tls_config() -> std::io::Result<rustls::ServerConfig> {
    let names: Vec<String> = DEMO_HOSTS.iter().map(|h| (*h).to_owned()).collect();
    let certified = rcgen::generate_simple_self_signed(names).map_err(std::io::Error::other)?;
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(std::io::Error::other)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[derive(Clone)]
struct AppState {
    www: Arc<PathBuf>,
    org: Shared,
}

/// One server, two consoles: requests for a Workflows host go to the Workflows console.
fn router(www: PathBuf, org: Arc<Mutex<Org>>) -> Router {
    let state = AppState {
        www: Arc::new(www.clone()),
        org,
    };
    let admin = admin_router(&www, state.clone());
    let workflows = workflows_router(&www, state);
    Router::new()
        .fallback(move |request: axum::extract::Request| {
            let is_workflows = request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|host| {
                    host.split(':')
                        .next()
                        .unwrap_or(host)
                        .contains(".workflows.")
                });
            let target = if is_workflows {
                workflows.clone()
            } else {
                admin.clone()
            };
            async move {
                use tower::ServiceExt;
                match target.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            }
        })
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// Like Okta's static assets, cacheable; so repeat visits measure the helper, not the server.
fn cacheable<S>(service: S) -> tower_http::set_header::SetResponseHeader<S, HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=600"),
    )
    .layer(service)
}

/// The Okta Workflows console: the Connections page (React) and the API its Create button calls.
fn workflows_router(www: &Path, state: AppState) -> Router {
    let workflows = www.join("workflows");
    let react = workflows.join("node_modules");
    Router::new()
        .route("/", get(|| async { Redirect::to(WORKFLOWS_CONNECTIONS) }))
        .route_service(
            WORKFLOWS_CONNECTIONS,
            ServeFile::new(workflows.join("index.html")),
        )
        .route_service(
            "/vendor/react.production.min.js",
            cacheable(ServeFile::new(
                react.join("react/umd/react.production.min.js"),
            )),
        )
        .route_service(
            "/vendor/react-dom.production.min.js",
            cacheable(ServeFile::new(
                react.join("react-dom/umd/react-dom.production.min.js"),
            )),
        )
        .route(
            "/api/connections",
            get(list_connections).post(create_connection),
        )
        .route(
            "/api/connections/{id}",
            axum::routing::put(reauthorize_connection),
        )
        .route("/api/connections/{id}/test", post(test_connection))
        .nest_service(
            "/static",
            cacheable(ServeDir::new(workflows.join("static"))),
        )
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "Not found in the demo Okta Workflows console",
            )
        })
        .with_state(state)
}

/// Where the demo Workflows console lists connections.
pub const WORKFLOWS_CONNECTIONS: &str = "/app/connections";

async fn list_connections(State(state): State<AppState>) -> Response {
    let org = lock(&state.org);
    let listed: Vec<Value> = org
        .connections
        .iter()
        .map(|c| json!({"id": c["id"], "nickname": c["nickname"], "connector": c["connector"], "status": "Active"}))
        .collect();
    Json(listed).into_response()
}

async fn create_connection(
    State(state): State<AppState>,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(mut connection)) = body else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "malformed body"})),
        )
            .into_response();
    };
    let mut org = lock(&state.org);
    let id = format!("conn{}", org.connections.len() + 1);
    connection["id"] = json!(id);
    org.connections.push(connection);
    (
        StatusCode::CREATED,
        Json(json!({"id": id, "status": "Active"})),
    )
        .into_response()
}

/// The Reauthorize dialog's Save: the connection's credentials replaced by the ones given.
async fn reauthorize_connection(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(update)) = body else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "malformed body"})),
        )
            .into_response();
    };
    let mut org = lock(&state.org);
    let Some(connection) = org.connections.iter_mut().find(|c| c["id"] == id.as_str()) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such connection"})),
        )
            .into_response();
    };
    for key in ["domain", "clientId", "clientSecret"] {
        connection[key] = update[key].clone();
    }
    connection["reauthorized"] = json!(true);
    Json(json!({"id": id, "status": "Active"})).into_response()
}

/// The scopes an Okta Devices connection asks for: the OpenID Connect ones and
/// `okta.devices.manage`.
fn okta_devices_scopes() -> Vec<String> {
    crate::corpus::AUTO_GRANTED
        .iter()
        .chain([&crate::corpus::DEVICES_MANAGE])
        .map(|scope| (*scope).to_owned())
        .collect()
}

/// Okta Workflows checking a connection: it asks the org for a token with the connection's
/// credentials and its connector's scopes, as it does before running a card.
async fn test_connection(State(state): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    let answer = connection_token(&state.org, &id);
    let Some(answer) = answer else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such connection"})),
        )
            .into_response();
    };
    let (status, error) = match &answer {
        TokenAnswer::Granted(_) => ("ok", None),
        TokenAnswer::InvalidClient => ("failed", Some("invalid_client")),
        TokenAnswer::InvalidScope(_) => ("failed", Some("invalid_scope")),
    };
    Json(json!({"status": status, "error": error})).into_response()
}

/// A token request with connection `id`'s credentials and the Okta Devices scopes; `None` when
/// there is no such connection.
fn connection_token(org: &Shared, id: &str) -> Option<TokenAnswer> {
    let connection = lock(org)
        .connections
        .iter()
        .find(|c| c["id"] == id)
        .cloned()?;
    let text = |key: &str| connection[key].as_str().unwrap_or_default().to_owned();
    Some(crate::okta_log::token_request(
        org,
        &text("clientId"),
        &text("clientSecret"),
        &okta_devices_scopes(),
    ))
}

/// The org authorization server's token endpoint, for the Okta Workflows OAuth app's client
/// credentials (`client_secret_post`).
async fn token_endpoint(
    State(state): State<AppState>,
    form: Result<axum::Form<TokenForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(axum::Form(form)) = form else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_request", "error_description": "The request is malformed."})),
        )
            .into_response();
    };
    let scopes: Vec<String> = form
        .scope
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    crate::okta_log::token_request(
        &state.org,
        &form.client_id.unwrap_or_default(),
        &form.client_secret.unwrap_or_default(),
        &scopes,
    )
    .response()
}

/// The form of a token request.
#[derive(serde::Deserialize)]
struct TokenForm {
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

/// The Okta Admin Console: its pages, the slice of `/api/v1` they call, and the org's metadata.
/// The org's own host ([`ORG_HOST`]) is served here too, for its metadata.
fn admin_router(www: &Path, state: AppState) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/admin/dashboard") }))
        .route("/admin/dashboard", get(|s, h| page(s, h, "dashboard.html")))
        .route("/admin/apps/active", get(|s, h| page(s, h, "apps.html")))
        .route(
            "/admin/app/{name}/instance/{id}/",
            get(|s, h| page(s, h, "app.html")),
        )
        .route(
            "/admin/app/{name}/instance/{id}",
            get(
                |UrlPath((name, id)): UrlPath<(String, String)>| async move {
                    Redirect::permanent(&format!("/admin/app/{name}/instance/{id}/"))
                },
            ),
        )
        .route(
            "/.well-known/okta-organization",
            get(
                |State(state): State<AppState>, headers: HeaderMap| async move {
                    okta_api::org_metadata(&state.org, &headers)
                },
            ),
        )
        .route("/oauth2/v1/token", post(token_endpoint))
        // A resource that never arrives, so the page's load event never fires (`?hang`).
        .route("/assets/never", get(std::future::pending::<&'static str>))
        .nest_service("/assets", cacheable(ServeDir::new(www.join("assets"))))
        .fallback(|| async {
            api_error(
                StatusCode::NOT_FOUND,
                "E0000022",
                "The endpoint does not exist.",
            )
        })
        .with_state(state.clone())
        .merge(okta_api::router(www, state.org))
}

/// A console page: `www/admin/{file}` with its `<!--#include name-->` lines filled in, and the
/// console session: its cookie, and its XSRF token in the page, as Okta's console does.
async fn page(State(state): State<AppState>, headers: HeaderMap, file: &str) -> Response {
    let admin = state.www.join("admin");
    let (sid, xsrf, is_new) = lock(&state.org).session_for(&headers);
    match std::fs::read_to_string(admin.join(file)) {
        Ok(text) => {
            let html = expand_includes(&text, &admin).replace("{{xsrf_token}}", &xsrf);
            let mut response = Html(html).into_response();
            if is_new {
                response
                    .headers_mut()
                    .insert(header::SET_COOKIE, session_cookie_header(&sid));
            }
            response
        }
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("demo console page {file} missing: {error}"),
        )
            .into_response(),
    }
}

fn expand_includes(text: &str, dir: &Path) -> String {
    text.lines()
        .map(|line| {
            match line
                .trim()
                .strip_prefix("<!--#include ")
                .and_then(|rest| rest.strip_suffix("-->"))
            {
                Some(name) => std::fs::read_to_string(dir.join(name.trim()))
                    .unwrap_or_else(|error| format!("<!-- include {name} failed: {error} -->")),
                None => format!("{line}\n"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The demo org's `/api/v1` and metadata, called through the whole router (host routing
    //! included) without TLS or a browser.

    use super::*;
    use crate::okta_api::{ADMIN_USER_ID, SESSION_COOKIE};
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    struct Demo {
        app: Router,
        org: Shared,
        sid: String,
        xsrf: String,
    }

    struct Answer {
        status: u16,
        headers: HeaderMap,
        body: Value,
    }

    impl Answer {
        fn header(&self, name: &str) -> &str {
            self.headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
        }

        fn links(&self) -> Vec<String> {
            self.headers
                .get_all(header::LINK)
                .iter()
                .filter_map(|value| value.to_str().ok().map(str::to_owned))
                .collect()
        }

        fn link(&self, rel: &str) -> Option<String> {
            self.links()
                .iter()
                .find(|link| link.ends_with(&format!("rel=\"{rel}\"")))
                .and_then(|link| link.split(['<', '>']).nth(1))
                .map(str::to_owned)
        }
    }

    impl Demo {
        fn new() -> Self {
            let org: Shared = Arc::new(Mutex::new(Org::new()));
            let app = router(crate::workspace_root().join("www"), org.clone());
            let (sid, xsrf, _) = lock(&org).session_for(&HeaderMap::new());
            Self {
                app,
                org,
                sid,
                xsrf,
            }
        }

        /// A call as the console page makes it: its host, its cookie, its XSRF token.
        async fn call(&self, method: &str, path: &str) -> Answer {
            self.send(method, ADMIN_HOST, path, &[], None).await
        }

        async fn send(
            &self,
            method: &str,
            host: &str,
            path: &str,
            extra: &[(&str, &str)],
            body: Option<Value>,
        ) -> Answer {
            let mut request = Request::builder()
                .method(method)
                .uri(path)
                .header(header::HOST, host)
                .header(header::CONTENT_TYPE, "application/json");
            let mut headers: Vec<(&str, String)> = vec![
                ("cookie", format!("{SESSION_COOKIE}={}", self.sid)),
                ("x-okta-xsrftoken", self.xsrf.clone()),
            ];
            for (name, value) in extra {
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                if !value.is_empty() {
                    headers.push((name, (*value).to_owned()));
                }
            }
            for (name, value) in headers {
                request = request.header(name, value);
            }
            let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
            let response = self
                .app
                .clone()
                .oneshot(request.body(body).expect("a request"))
                .await
                .expect("an answer");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("a body");
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            Answer {
                status,
                headers,
                body,
            }
        }

        fn org(&self) -> std::sync::MutexGuard<'_, Org> {
            lock(&self.org)
        }
    }

    fn assert_okta_error(answer: &Answer, status: u16, code: &str, summary: &str) {
        assert_eq!(answer.status, status, "{}", answer.body);
        assert_eq!(answer.body["errorCode"], code);
        assert_eq!(answer.body["errorSummary"], summary);
        for field in ["errorLink", "errorId", "errorCauses"] {
            assert!(
                answer.body.get(field).is_some(),
                "{field} in {}",
                answer.body
            );
        }
    }

    fn grants_path() -> String {
        format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants")
    }

    #[tokio::test]
    async fn a_foreign_origin_is_refused_before_the_session_and_recorded() {
        let demo = Demo::new();
        let foreign = demo
            .send(
                "GET",
                ADMIN_HOST,
                "/api/v1/users/me",
                &[
                    ("origin", "https://acme.workflows.okta.com"),
                    ("cookie", ""),
                ],
                None,
            )
            .await;
        assert_okta_error(&foreign, 403, "E0000212", "Origin validation failed.");
        for origin in [
            "null",
            "https://acme-admin.okta.com.evil.test",
            "http://acme-admin.okta.com",
        ] {
            let answer = demo
                .send(
                    "GET",
                    ADMIN_HOST,
                    "/api/v1/users/me",
                    &[("origin", origin)],
                    None,
                )
                .await;
            assert_eq!(answer.body["errorCode"], "E0000212", "{origin}");
        }
        // The org's own host is not the Admin Console: even its own origin is refused there.
        let org_host = demo
            .send(
                "GET",
                ORG_HOST,
                "/api/v1/users/me",
                &[("origin", "https://acme.okta.com")],
                None,
            )
            .await;
        assert_eq!(org_host.body["errorCode"], "E0000212");

        let same = demo
            .send(
                "GET",
                ADMIN_HOST,
                "/api/v1/users/me",
                &[("origin", "https://acme-admin.okta.com")],
                None,
            )
            .await;
        assert_eq!(same.status, 200);
        let without = demo.call("GET", "/api/v1/users/me").await;
        assert_eq!(without.status, 200);

        let recorded = demo.org().requests.clone();
        assert_eq!(
            recorded[0],
            ApiCall {
                method: "GET".into(),
                target: "/api/v1/users/me".into(),
                origin: Some("https://acme.workflows.okta.com".into()),
                status: 403,
                by_console: false,
                next: None,
            }
        );
        assert_eq!(recorded.len(), 7);
        assert_eq!(recorded[6].origin, None);
        assert_eq!(recorded[6].status, 200);
    }

    #[tokio::test]
    async fn sessions_and_xsrf_are_refused_as_okta_refuses_them() {
        let demo = Demo::new();
        let path = grants_path();
        let no_cookie = demo
            .send("GET", ADMIN_HOST, &path, &[("cookie", "")], None)
            .await;
        assert_okta_error(&no_cookie, 403, "E0000005", "Invalid session");
        let unknown = demo
            .send("GET", ADMIN_HOST, &path, &[("cookie", "sid=forged")], None)
            .await;
        assert_okta_error(&unknown, 403, "E0000005", "Invalid session");
        let no_xsrf = demo
            .send("GET", ADMIN_HOST, &path, &[("x-okta-xsrftoken", "")], None)
            .await;
        let permission = "You do not have permission to perform the requested action";
        assert_okta_error(&no_xsrf, 403, "E0000006", permission);
        let wrong_xsrf = demo
            .send(
                "GET",
                ADMIN_HOST,
                &path,
                &[("x-okta-xsrftoken", "nope")],
                None,
            )
            .await;
        assert_okta_error(&wrong_xsrf, 403, "E0000006", permission);
        assert_eq!(demo.call("GET", &path).await.status, 200);
        demo.org().expire_sessions();
        let expired = demo.call("GET", &path).await;
        assert_okta_error(&expired, 403, "E0000005", "Invalid session");
    }

    #[tokio::test]
    async fn roles_take_a_super_admin() {
        let demo = Demo::new();
        let path = format!("/api/v1/users/{}/roles", ADMIN_USER_ID);
        let roles = demo.call("GET", &path).await;
        assert_eq!(roles.body[0]["type"], "SUPER_ADMIN");
        demo.org().super_admin = false;
        let refused = demo.call("GET", &path).await;
        assert_okta_error(
            &refused,
            403,
            "E0000006",
            "You do not have permission to perform the requested action",
        );
    }

    #[tokio::test]
    async fn every_answer_carries_the_rate_limit_of_its_family() {
        let demo = Demo::new();
        let now = okta_api_epoch();
        let first = demo.call("GET", "/api/v1/users/me").await;
        assert_eq!(first.header("X-Rate-Limit-Limit"), "1200");
        assert_eq!(first.header("X-Rate-Limit-Remaining"), "1199");
        let reset: u64 = first.header("X-Rate-Limit-Reset").parse().expect("epoch");
        assert!((now + 59..=now + 61).contains(&reset), "{reset} vs {now}");
        let error = demo
            .send(
                "GET",
                ADMIN_HOST,
                "/api/v1/users/me",
                &[("x-okta-xsrftoken", "")],
                None,
            )
            .await;
        assert_eq!(error.status, 403);
        assert_eq!(error.header("X-Rate-Limit-Remaining"), "1198");
        assert_eq!(error.header("X-Rate-Limit-Reset"), reset.to_string());
        // Another family has its own budget.
        let apps = demo.call("GET", "/api/v1/apps").await;
        assert_eq!(apps.header("X-Rate-Limit-Remaining"), "1199");
        let unknown = demo.call("GET", "/api/v1/nothing/here").await;
        assert_okta_error(&unknown, 404, "E0000022", "The endpoint does not exist.");
        assert_eq!(unknown.header("X-Rate-Limit-Limit"), "1200");
        let method = demo.call("PUT", "/api/v1/users/me").await;
        assert_eq!(method.status, 405);
        assert_eq!(method.body["errorCode"], "E0000022");
        assert_eq!(method.header("X-Rate-Limit-Limit"), "1200");
    }

    #[tokio::test]
    async fn a_spent_window_answers_429_until_it_resets() {
        let demo = Demo::new();
        demo.org().rate_limit = 2;
        assert_eq!(demo.call("GET", "/api/v1/apps").await.status, 200);
        let last = demo.call("GET", "/api/v1/apps").await;
        assert_eq!(last.header("X-Rate-Limit-Remaining"), "0");
        let over = demo.call("GET", "/api/v1/apps").await;
        assert_okta_error(
            &over,
            429,
            "E0000047",
            "API call exceeded rate limit due to too many requests.",
        );
        assert_eq!(over.header("X-Rate-Limit-Limit"), "2");
        assert_eq!(over.header("X-Rate-Limit-Remaining"), "0");
        assert_eq!(
            over.header("X-Rate-Limit-Reset"),
            last.header("X-Rate-Limit-Reset")
        );
        // Per family: users still has its budget.
        assert_eq!(demo.call("GET", "/api/v1/users/me").await.status, 200);
    }

    #[tokio::test]
    async fn throttled_calls_reset_within_a_second() {
        let demo = Demo::new();
        demo.org().throttled = 1;
        let now = okta_api_epoch();
        let throttled = demo.call("GET", "/api/v1/users/me").await;
        assert_eq!(throttled.status, 429);
        assert_eq!(throttled.body["errorCode"], "E0000047");
        assert_eq!(throttled.header("X-Rate-Limit-Remaining"), "0");
        let reset: u64 = throttled
            .header("X-Rate-Limit-Reset")
            .parse()
            .expect("epoch");
        assert!((now + 1..=now + 2).contains(&reset), "{reset} vs {now}");
        assert_eq!(demo.call("GET", "/api/v1/users/me").await.status, 200);
        assert_eq!(demo.org().requests[0].status, 429);
    }

    #[tokio::test]
    async fn grants_page_with_one_link_header_per_relation_and_opaque_cursors() {
        let demo = Demo::new();
        demo.org().page_size = 2;
        demo.org()
            .add_grant("okta.devices.read", "https://acme.okta.com");
        let first = demo.call("GET", &grants_path()).await;
        assert_eq!(first.links().len(), 2, "{:?}", first.links());
        assert_eq!(
            first.link("self").as_deref(),
            Some(
                format!("https://{ADMIN_HOST}/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants?limit=2")
                    .as_str()
            )
        );
        let next = first.link("next").expect("a next link");
        let prefix =
            format!("https://{ADMIN_HOST}/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants?after=");
        let cursor = next
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix("&limit=2"))
            .expect("an absolute next link on the admin host");
        let ids: Vec<&str> = first
            .body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g["id"].as_str())
            .collect();
        assert_eq!(ids.len(), 2);
        assert!(
            !ids.contains(&cursor) && !cursor.starts_with("oag"),
            "{cursor}"
        );
        // Base64-like, as Okta's often are: its slash, plus and padding go percent-encoded.
        for encoded in ["%2F", "%2B", "%3D"] {
            assert!(cursor.contains(encoded), "{cursor}");
        }
        let second = demo.call("GET", &next[ADMIN_HOST.len() + 8..]).await;
        assert_eq!(second.body.as_array().map(Vec::len), Some(2));
        assert_eq!(second.link("self").as_deref(), Some(next.as_str()));
        assert_eq!(second.link("next"), None);
        assert_eq!(second.links().len(), 1);
        let bad = demo
            .call(
                "GET",
                &format!("{}?after={}&limit=2", grants_path(), ids[1]),
            )
            .await;
        assert_okta_error(&bad, 400, "E0000031", "Invalid search criteria.");
    }

    #[tokio::test]
    async fn next_links_are_recorded_as_sent_and_checked_followed_exactly() {
        let demo = Demo::new();
        demo.org().page_size = 2;
        demo.org()
            .add_grant("okta.devices.read", "https://acme.okta.com");
        let list = grants_path();
        let first = demo.call("GET", &list).await;
        let next = first.link("next").expect("a next link");
        assert_eq!(demo.org().requests[0].next.as_deref(), Some(next.as_str()));
        assert!(!demo.org().requests[0].by_console);
        // Not followed yet.
        assert!(next_links_followed(&demo.org().requests, &list).is_err());
        let target = &next[ADMIN_HOST.len() + 8..];
        assert_eq!(demo.call("GET", target).await.status, 200);
        assert_eq!(next_links_followed(&demo.org().requests, &list), Ok(1));
        // The console's own reads are not the helper's: one it left unfollowed changes nothing.
        let console = demo
            .send(
                "GET",
                ADMIN_HOST,
                &list,
                &[("x-requested-with", "XMLHttpRequest")],
                None,
            )
            .await;
        assert!(console.link("next").is_some());
        assert!(demo
            .org()
            .requests
            .last()
            .is_some_and(|call| call.by_console));
        assert_eq!(next_links_followed(&demo.org().requests, &list), Ok(1));
        // A cursor not asked for exactly as sent is not the next page followed.
        let again = demo.call("GET", &list).await;
        let cursor = again.link("next").expect("another next link");
        let altered = cursor[ADMIN_HOST.len() + 8..].replace("&limit=2", "&limit=20");
        demo.call("GET", &altered).await;
        let unfollowed = next_links_followed(&demo.org().requests, &list);
        assert!(
            unfollowed
                .as_ref()
                .is_err_and(|why| why.contains("never asked for as sent")),
            "{unfollowed:?}"
        );
        // A next link off the Admin Console is never counted as followed.
        let demo = Demo::new();
        demo.org().faults.push_back(Fault::ForeignLink);
        demo.call("GET", &list).await;
        let foreign = next_links_followed(&demo.org().requests, &list);
        assert!(
            foreign
                .as_ref()
                .is_err_and(|why| why.contains("evil.example")),
            "{foreign:?}"
        );
    }

    #[tokio::test]
    async fn faults_answer_in_order() {
        let demo = Demo::new();
        demo.org().faults.extend([
            Fault::Status(403),
            Fault::Status(503),
            Fault::Okta {
                status: 400,
                code: "E0000001",
                summary: "Api validation failed: scopeId",
            },
            Fault::Garbled,
            Fault::HtmlPage,
            Fault::Pass,
            Fault::ForeignLink,
            Fault::ForeignLink,
        ]);
        let path = grants_path();
        assert_okta_error(
            &demo.call("GET", &path).await,
            403,
            "E0000006",
            "You do not have permission to perform the requested action",
        );
        assert_okta_error(
            &demo.call("GET", &path).await,
            503,
            "E0000009",
            "Internal Server Error",
        );
        assert_okta_error(
            &demo.call("GET", &path).await,
            400,
            "E0000001",
            "Api validation failed: scopeId",
        );
        assert_eq!(
            demo.call("GET", &path).await.body,
            json!({"unexpected": true})
        );
        // A sign-in page where JSON was asked for: a 200 that is no JSON at all.
        let page = demo.call("GET", &path).await;
        assert_eq!(page.status, 200);
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{:?}",
            page.headers
        );
        assert_eq!(page.body, Value::Null, "not JSON");
        assert_eq!(demo.call("GET", &path).await.links().len(), 1);
        // The last page, yet a next link, on another host.
        let foreign = demo.call("GET", &path).await;
        assert_eq!(foreign.status, 200);
        assert_eq!(foreign.links().len(), 2, "{:?}", foreign.links());
        assert_eq!(
            foreign.link("next").as_deref(),
            Some(format!("https://evil.example{path}?limit=20").as_str())
        );
        // Not a list: answered normally.
        assert_eq!(demo.call("GET", "/api/v1/users/me").await.status, 200);
        assert!(demo.org().faults.is_empty());
    }

    #[tokio::test]
    async fn aimed_faults_answer_only_their_calls_whatever_arrives_between() {
        let demo = Demo::new();
        demo.org()
            .aimed_faults
            .extend([("/grants", Fault::Status(500)), ("/grants", Fault::Garbled)]);
        demo.org().faults.push_back(Fault::Status(403));
        let path = grants_path();
        // Not aimed at: the plain queue answers it.
        assert_eq!(demo.call("GET", "/api/v1/users/me").await.status, 403);
        assert_eq!(demo.call("GET", "/api/v1/users/me").await.status, 200);
        assert_eq!(demo.call("GET", &path).await.status, 500);
        assert_eq!(demo.call("GET", "/api/v1/users/me").await.status, 200);
        assert_eq!(
            demo.call("GET", &path).await.body,
            json!({"unexpected": true})
        );
        assert_eq!(demo.call("GET", &path).await.status, 200);
        assert!(demo.org().aimed_faults.is_empty());
    }

    /// A token request to the org's token endpoint, form-encoded, as a connection makes it.
    async fn token(demo: &Demo, secret: &str, scope: &str) -> Answer {
        let request = Request::builder()
            .method("POST")
            .uri("/oauth2/v1/token")
            .header(header::HOST, ORG_HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "grant_type=client_credentials&client_id={WORKFLOWS_OAUTH_APP_ID}&client_secret={secret}&scope={}",
                scope.replace(' ', "+")
            )))
            .expect("a request");
        let response = demo.app.clone().oneshot(request).await.expect("an answer");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("a body");
        Answer {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    #[tokio::test]
    async fn token_requests_are_refused_as_okta_refuses_them_and_logged() {
        let demo = Demo::new();
        let secret = demo.org().client_secret();
        let refused = token(&demo, &secret, "openid okta.devices.manage").await;
        assert_eq!(refused.status, 400);
        assert_eq!(refused.body["error"], "invalid_scope");
        let wrong = token(&demo, "not-the-secret", "openid").await;
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.body["error"], "invalid_client");
        demo.org().set_granted("okta.devices.manage", true);
        let granted = token(&demo, &secret, "openid okta.devices.manage").await;
        assert_eq!(granted.status, 200, "{}", granted.body);
        assert_eq!(granted.body["token_type"], "Bearer");
        let log = demo.org().log.clone();
        let seen: Vec<(&str, &str, &str)> = log
            .iter()
            .map(|e| {
                (
                    e["eventType"].as_str().unwrap_or_default(),
                    e["outcome"]["result"].as_str().unwrap_or_default(),
                    e["outcome"]["reason"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("app.oauth2.token.grant", "FAILURE", "invalid_scope"),
                (
                    "app.oauth2.invalid_client_credentials",
                    "FAILURE",
                    "invalid_client"
                ),
                ("app.oauth2.token.grant.access_token", "SUCCESS", ""),
            ]
        );
        assert_eq!(
            log[0]["debugContext"]["debugData"]["requestedScopes"],
            "openid okta.devices.manage"
        );
        // The secret is never written to the log.
        assert!(!serde_json::to_string(&log)
            .unwrap_or_default()
            .contains(&secret));
    }

    #[tokio::test]
    async fn the_system_log_filters_pages_newest_first_and_refuses_what_it_cannot_read() {
        let demo = Demo::new();
        let secret = demo.org().client_secret();
        for _ in 0..3 {
            token(&demo, &secret, "okta.devices.manage").await;
        }
        token(&demo, &secret, "openid").await;
        let filter = format!(
            "(outcome.result eq \"FAILURE\" or outcome.result eq \"DENY\") and (actor.id eq \"{WORKFLOWS_OAUTH_APP_ID}\" or target.id eq \"{WORKFLOWS_OAUTH_APP_ID}\")"
        );
        let encoded: String = filter
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let path = format!(
            "/api/v1/logs?since=2020-01-01T00%3A00%3A00.000Z&filter={encoded}&limit=2&sortOrder=DESCENDING"
        );
        let first = demo.call("GET", &path).await;
        assert_eq!(first.status, 200, "{}", first.body);
        let failures = |answer: &Answer| -> Vec<String> {
            answer
                .body
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| format!("{}/{}", e["eventType"], e["outcome"]["result"]))
                .collect()
        };
        assert_eq!(failures(&first).len(), 2);
        assert!(failures(&first).iter().all(|f| f.ends_with("/\"FAILURE\"")));
        let next = first.link("next").expect("a second page");
        assert!(next.starts_with(&format!("https://{ADMIN_HOST}/api/v1/logs?")));
        let second = demo.call("GET", &next[ADMIN_HOST.len() + 8..]).await;
        assert_eq!(failures(&second).len(), 1, "the success is filtered out");
        assert_eq!(second.link("next"), None);
        // Newest first: the first page's first event is the latest failure.
        let published =
            |answer: &Answer, at: usize| answer.body[at]["published"].as_str().map(str::to_owned);
        assert!(published(&first, 0) >= published(&second, 0));
        let bad = demo
            .call("GET", "/api/v1/logs?filter=published%20gt%20%222026%22")
            .await;
        assert_okta_error(&bad, 400, "E0000001", "Api validation failed: filter");
        demo.org().can_read_logs = false;
        let forbidden = demo.call("GET", "/api/v1/logs").await;
        assert_okta_error(
            &forbidden,
            403,
            "E0000006",
            "You do not have permission to perform the requested action",
        );
    }

    #[tokio::test]
    async fn an_app_holds_two_secrets_at_most_and_keeps_one_active() {
        let demo = Demo::new();
        let secrets = format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/credentials/secrets");
        let first = demo.org().secrets[0].id.clone();
        let created = demo.call("POST", &secrets).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["status"], "ACTIVE");
        let second = created.body["id"].as_str().unwrap_or_default().to_owned();
        let new_value = created.body["client_secret"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(new_value.len(), 64);
        let third = demo.call("POST", &secrets).await;
        assert_eq!(third.status, 400);
        assert_eq!(third.body["errorCode"], "E0000001");
        assert_eq!(
            demo.call("GET", &secrets)
                .await
                .body
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        // Both are active: a connection may use either.
        assert!(demo.org().secret_is_active(&new_value));
        let old_value = demo.org().client_secret();
        assert!(demo.org().secret_is_active(&old_value));
        let deactivated = demo
            .call("POST", &format!("{secrets}/{first}/lifecycle/deactivate"))
            .await;
        assert_eq!(
            deactivated.body["status"], "INACTIVE",
            "{}",
            deactivated.body
        );
        assert!(!demo.org().secret_is_active(&old_value));
        // The only active secret stays active.
        let refused = demo
            .call("POST", &format!("{secrets}/{second}/lifecycle/deactivate"))
            .await;
        assert_eq!(refused.status, 400);
        let still = demo.call("DELETE", &format!("{secrets}/{second}")).await;
        assert_eq!(still.status, 400);
        let deleted = demo.call("DELETE", &format!("{secrets}/{first}")).await;
        assert_eq!(deleted.status, 204);
        let events: Vec<String> = demo
            .org()
            .log
            .iter()
            .filter_map(|e| e["eventType"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(
            events,
            [
                "app.oauth2.credentials.lifecycle.create",
                "app.oauth2.credentials.lifecycle.deactivate",
                "app.oauth2.credentials.lifecycle.delete",
            ]
        );
    }

    #[tokio::test]
    async fn client_secrets_are_64_characters() {
        let demo = Demo::new();
        let secrets = demo
            .call(
                "GET",
                &format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/credentials/secrets"),
            )
            .await;
        let secret = secrets.body[0]["client_secret"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(secret.len(), 64);
        assert!(secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[tokio::test]
    async fn another_issuers_grant_is_listed_and_the_orgs_own_can_still_be_made() {
        let demo = Demo::new();
        let id = demo.org().add_grant(
            "okta.devices.manage",
            "https://acme.okta.com/oauth2/aus1demo",
        );
        let listed = demo.call("GET", &grants_path()).await;
        let grant = listed
            .body
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["id"] == id.as_str())
            .expect("the added grant is listed")
            .clone();
        assert_eq!(grant["issuer"], "https://acme.okta.com/oauth2/aus1demo");
        assert_eq!(grant["status"], "ACTIVE");
        assert_eq!(grant["scopeId"], "okta.devices.manage");
        assert_eq!(grant["clientId"], WORKFLOWS_OAUTH_APP_ID);
        let created = demo
            .send(
                "POST",
                ADMIN_HOST,
                &grants_path(),
                &[("origin", "https://acme-admin.okta.com")],
                Some(json!({"scopeId": "okta.devices.manage", "issuer": "https://acme.okta.com"})),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
    }

    #[tokio::test]
    async fn the_org_metadata_answers_on_the_org_and_admin_hosts() {
        let demo = Demo::new();
        let fixture: Value = serde_json::from_str(
            &std::fs::read_to_string(
                crate::workspace_root().join("tests/fixtures/okta/okta-organization.json"),
            )
            .expect("the metadata fixture"),
        )
        .expect("the metadata fixture is JSON");
        for host in [ORG_HOST, ADMIN_HOST] {
            let metadata = demo
                .send(
                    "GET",
                    host,
                    "/.well-known/okta-organization",
                    &[("cookie", "")],
                    None,
                )
                .await;
            assert_eq!(metadata.status, 200, "{host}");
            assert_eq!(metadata.header("access-control-allow-origin"), "*");
            assert_eq!(metadata.body, fixture, "{host}");
        }
        let workflows = demo
            .send(
                "GET",
                WORKFLOWS_HOST,
                "/.well-known/okta-organization",
                &[],
                None,
            )
            .await;
        assert_eq!(workflows.status, 404);

        demo.org().classic = true;
        let classic = demo
            .send("GET", ORG_HOST, "/.well-known/okta-organization", &[], None)
            .await;
        assert_eq!(classic.body["pipeline"], "v1");
        demo.org().metadata_fault = MetadataFault::Status(503);
        let failed = demo
            .send("GET", ORG_HOST, "/.well-known/okta-organization", &[], None)
            .await;
        assert_okta_error(&failed, 503, "E0000009", "Internal Server Error");
        assert_eq!(failed.header("access-control-allow-origin"), "*");
        demo.org().metadata_fault = MetadataFault::Garbled;
        let garbled = demo
            .send("GET", ORG_HOST, "/.well-known/okta-organization", &[], None)
            .await;
        assert_eq!(garbled.status, 200);
        assert_eq!(garbled.body, json!({"unexpected": true}));
        // Not an /api/v1 call.
        assert!(demo.org().requests.is_empty());
    }

    #[tokio::test]
    async fn with_the_helpers_api_down_only_the_consoles_own_calls_pass() {
        let demo = Demo::new();
        demo.org().helper_api_down = true;
        let helper = demo.call("GET", &grants_path()).await;
        assert_okta_error(&helper, 503, "E0000009", "Internal Server Error");
        assert_eq!(helper.header("X-Rate-Limit-Limit"), "1200");
        // Before any other check: even a call Okta would refuse for its origin.
        let foreign = demo
            .send(
                "GET",
                ADMIN_HOST,
                "/api/v1/users/me",
                &[("origin", "https://evil.example")],
                None,
            )
            .await;
        assert_eq!(foreign.status, 503);
        let console = demo
            .send(
                "GET",
                ADMIN_HOST,
                &grants_path(),
                &[("x-requested-with", "XMLHttpRequest")],
                None,
            )
            .await;
        assert_eq!(console.status, 200, "{}", console.body);
        let statuses: Vec<u16> = demo.org().requests.iter().map(|c| c.status).collect();
        assert_eq!(statuses, [503, 503, 200]);
        demo.org().helper_api_down = false;
        assert_eq!(demo.call("GET", &grants_path()).await.status, 200);
    }

    #[tokio::test]
    async fn set_granted_sets_the_orgs_own_grant_that_the_api_lists() {
        let demo = Demo::new();
        let other = demo.org().add_grant(
            "okta.devices.manage",
            "https://acme.okta.com/oauth2/aus1demo",
        );
        assert_eq!(
            demo.org().granted_scopes(),
            ["okta.users.read", "okta.groups.read", "okta.apps.read"]
        );
        demo.org().set_granted("okta.devices.manage", true);
        demo.org().set_granted("okta.devices.manage", true);
        assert_eq!(
            demo.org().granted_scopes(),
            [
                "okta.users.read",
                "okta.groups.read",
                "okta.apps.read",
                "okta.devices.manage"
            ]
        );
        let listed = demo.call("GET", &grants_path()).await;
        let own: Vec<&Value> = listed
            .body
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| {
                g["scopeId"] == "okta.devices.manage" && g["issuer"] == "https://acme.okta.com"
            })
            .collect();
        assert_eq!(own.len(), 1, "{}", listed.body);
        assert_eq!(own[0]["status"], "ACTIVE");

        demo.org().set_granted("okta.devices.manage", false);
        demo.org().set_granted("okta.users.read", false);
        assert_eq!(
            demo.org().granted_scopes(),
            ["okta.groups.read", "okta.apps.read"]
        );
        // Another issuer's grant of the scope is left alone.
        let listed = demo.call("GET", &grants_path()).await;
        assert!(listed
            .body
            .as_array()
            .into_iter()
            .flatten()
            .any(|g| g["id"] == other.as_str()));
    }

    fn okta_api_epoch() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
    }
}
