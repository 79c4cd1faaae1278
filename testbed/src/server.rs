//! The demo console's server: `www/` over TLS on loopback, served the way Okta serves its consoles.
//!
//! It answers for every host name the browser maps to it (`acme-admin.okta.com` and friends), so
//! the extension's unchanged manifest matches it, and it sends a Content Security Policy at least
//! as strict as Okta's: no inline script or style and no `'wasm-unsafe-eval'`, which is what forces
//! the extension's design. Built on axum (routing) and axum-server with rustls (TLS), with a
//! certificate made at start-up by rcgen.

pub use crate::okta_api::Fault;
use crate::okta_api::{self, api_error, lock, session_cookie_header, Org, Shared};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
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
/// The demo org's Okta Workflows console host.
pub const WORKFLOWS_HOST: &str = "acme.workflows.okta.com";
/// Another org's Okta Workflows console, for tests of filling across orgs.
pub const OTHER_WORKFLOWS_HOST: &str = "beta.workflows.okta.com";
/// A host that only looks like Okta's, for tests that the helper stays away.
pub const LOOK_ALIKE_HOST: &str = "acme-admin.okta.com.evil.test";
/// Every host name the demo answers for; tests map each to the server.
pub const DEMO_HOSTS: [&str; 4] = [
    ADMIN_HOST,
    WORKFLOWS_HOST,
    OTHER_WORKFLOWS_HOST,
    LOOK_ALIKE_HOST,
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
        self.lock().client_secret.clone()
    }

    /// Every connection the Workflows console's Create button posted, exactly as received.
    pub fn connections(&self) -> Vec<Value> {
        self.lock().connections.clone()
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

    /// Ends every console session: API calls answer 401 until the page is reloaded.
    pub fn expire_sessions(&self) {
        self.lock().expire_sessions();
    }

    /// Makes the next `calls` API calls answer 429.
    pub fn throttle_next(&self, calls: usize) {
        self.lock().throttled = calls;
    }

    /// Answers the next authenticated API calls with these faults, in order.
    pub fn fail_next(&self, faults: &[Fault]) {
        self.lock().faults.extend(faults.iter().copied());
    }

    /// Every API call received, as `METHOD /path?query`.
    pub fn api_calls(&self) -> Vec<String> {
        self.lock().calls.clone()
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

/// The Okta Admin Console: its pages and the slice of `/api/v1` they call.
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
