//! The demo console's server: `www/` over TLS on loopback, served the way Okta serves its consoles.
//!
//! It answers for every host name the browser maps to it (`acme-admin.okta.com` and friends), so
//! the extension's unchanged manifest matches it, and it sends a Content Security Policy at least
//! as strict as Okta's: no inline script or style and no `'wasm-unsafe-eval'`, which is what forces
//! the extension's design. Built on axum (routing) and axum-server with rustls (TLS), with a
//! certificate made at start-up by rcgen.

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
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

/// Scopes granted to every app when the demo starts (besides the OpenID Connect ones, which Okta
/// grants by itself and the tab does not list). `okta.devices.manage` is not among them: that is
/// the step admins miss.
const INITIALLY_GRANTED: [&str; 3] = ["okta.users.read", "okta.groups.read", "okta.apps.read"];

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
        let org = Arc::new(Mutex::new(Org::new()));
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

    fn lock(&self) -> std::sync::MutexGuard<'_, Org> {
        self.org.lock().unwrap_or_else(PoisonError::into_inner)
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

/// What the demo org remembers while it runs.
struct Org {
    /// Grants per app id, created on first use with [`INITIALLY_GRANTED`].
    grants: HashMap<String, Vec<Value>>,
    next_grant: u64,
    /// The Okta Workflows OAuth app's client secret, new for every server.
    client_secret: String,
    /// What the Workflows console's Create button posted.
    connections: Vec<Value>,
}

impl Org {
    fn new() -> Self {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Self {
            grants: HashMap::new(),
            next_grant: 0,
            client_secret: (0..40)
                .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
                .collect(),
            connections: Vec::new(),
        }
    }
}

#[derive(Clone)]
struct AppState {
    www: Arc<PathBuf>,
    org: Arc<Mutex<Org>>,
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
fn static_files(dir: PathBuf) -> ServeDir {
    ServeDir::new(dir)
}

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
        .nest_service("/static", cacheable(static_files(workflows.join("static"))))
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
    let org = lock(&state);
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
    let mut org = lock(&state);
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
        .route("/admin/dashboard", get(|s| page(s, "dashboard.html")))
        .route("/admin/apps/active", get(|s| page(s, "apps.html")))
        .route(
            "/admin/app/{name}/instance/{id}/",
            get(|s| page(s, "app.html")),
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
            "/api/v1/apps/{id}/credentials/secrets",
            get(list_client_secrets),
        )
        .route(
            "/api/v1/apps/{id}/grants",
            get(list_grants).post(create_grant),
        )
        .route(
            "/api/v1/apps/{id}/grants/{grant}",
            get(get_grant).delete(delete_grant),
        )
        .nest_service("/assets", cacheable(static_files(www.join("assets"))))
        .fallback(|| async {
            api_error(
                StatusCode::NOT_FOUND,
                "E0000022",
                "The endpoint does not exist.",
            )
        })
        .with_state(state)
}

/// A console page: `www/admin/{file}` with its `<!--#include name-->` lines filled in.
async fn page(State(state): State<AppState>, file: &str) -> Response {
    let admin = state.www.join("admin");
    match std::fs::read_to_string(admin.join(file)) {
        Ok(text) => Html(expand_includes(&text, &admin)).into_response(),
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

/// An error in the shape Okta's API uses.
fn api_error(status: StatusCode, code: &str, summary: &str) -> Response {
    let body = json!({
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": format!("oae{:016x}", rand_id()),
        "errorCauses": [],
    });
    (status, Json(body)).into_response()
}

fn rand_id() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default()
}

fn org_domain(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h).replace("-admin.", "."))
        .unwrap_or_else(|| "acme.okta.com".to_owned())
}

fn grant_json(app_id: &str, grant_id: &str, scope: &str, issuer: &str) -> Value {
    let base = format!("/api/v1/apps/{app_id}");
    json!({
        "id": grant_id,
        "status": "ACTIVE",
        "created": "2026-11-01T09:00:00.000Z",
        "createdBy": {"id": "00u1demoadmin", "type": "User"},
        "lastUpdated": "2026-11-01T09:00:00.000Z",
        "issuer": issuer,
        "clientId": app_id,
        "scopeId": scope,
        "source": "ADMIN",
        "_links": {
            "app": {"href": base.clone(), "title": "Okta Workflows OAuth"},
            "self": {"href": format!("{base}/grants/{grant_id}"), "hints": {"allow": ["GET", "DELETE"]}},
            "client": {"href": format!("/oauth2/v1/clients/{app_id}"), "title": "Okta Workflows OAuth"},
        },
    })
}

impl Org {
    fn grants_of(&mut self, app_id: &str, issuer: &str) -> &mut Vec<Value> {
        if !self.grants.contains_key(app_id) {
            let initial = INITIALLY_GRANTED
                .iter()
                .map(|scope| {
                    self.next_grant += 1;
                    grant_json(
                        app_id,
                        &format!("oag{:06}demo", self.next_grant),
                        scope,
                        issuer,
                    )
                })
                .collect();
            self.grants.insert(app_id.to_owned(), initial);
        }
        self.grants.entry(app_id.to_owned()).or_default()
    }
}

fn lock(state: &AppState) -> std::sync::MutexGuard<'_, Org> {
    state.org.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The app's client secrets (`/api/v1/apps/{id}/credentials/secrets`): one active secret.
async fn list_client_secrets(
    State(state): State<AppState>,
    UrlPath(app_id): UrlPath<String>,
) -> Response {
    let secret = lock(&state).client_secret.clone();
    Json(json!([{
        "id": "ocs1demosecret0x7q01",
        "status": "ACTIVE",
        "client_secret": secret,
        "secret_hash": "yk4SVx4sUWVJVbHt6M-UPA",
        "created": "2026-11-01T09:00:00.000Z",
        "lastUpdated": "2026-11-01T09:00:00.000Z",
        "_links": {
            "activate": {"href": format!("/api/v1/apps/{app_id}/credentials/secrets/ocs1demosecret0x7q01/lifecycle/activate"), "hints": {"allow": ["POST"]}},
            "deactivate": {"href": format!("/api/v1/apps/{app_id}/credentials/secrets/ocs1demosecret0x7q01/lifecycle/deactivate"), "hints": {"allow": ["POST"]}},
        },
    }]))
    .into_response()
}

async fn list_grants(
    State(state): State<AppState>,
    UrlPath(app_id): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let issuer = format!("https://{}", org_domain(&headers));
    Json(lock(&state).grants_of(&app_id, &issuer).clone()).into_response()
}

async fn get_grant(
    State(state): State<AppState>,
    UrlPath((app_id, grant_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let issuer = format!("https://{}", org_domain(&headers));
    let mut org = lock(&state);
    match org
        .grants_of(&app_id, &issuer)
        .iter()
        .find(|grant| grant["id"] == grant_id.as_str())
    {
        Some(grant) => Json(grant.clone()).into_response(),
        None => api_error(
            StatusCode::NOT_FOUND,
            "E0000007",
            "Not found: Resource not found",
        ),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewGrant {
    scope_id: String,
    issuer: String,
}

async fn create_grant(
    State(state): State<AppState>,
    UrlPath(app_id): UrlPath<String>,
    headers: HeaderMap,
    body: Result<Json<NewGrant>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(new)) = body else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        );
    };
    let expected_issuer = format!("https://{}", org_domain(&headers));
    if new.issuer != expected_issuer {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: issuer",
        );
    }
    if !known_scope(&state.www, &new.scope_id) {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: scopeId",
        );
    }
    let mut org = lock(&state);
    org.next_grant += 1;
    let grant_id = format!("oag{:06}demo", org.next_grant);
    let grants = org.grants_of(&app_id, &expected_issuer);
    if grants
        .iter()
        .any(|grant| grant["scopeId"] == new.scope_id.as_str())
    {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: scopeId is already granted",
        );
    }
    let grant = grant_json(&app_id, &grant_id, &new.scope_id, &new.issuer);
    grants.push(grant.clone());
    (StatusCode::CREATED, Json(grant)).into_response()
}

async fn delete_grant(
    State(state): State<AppState>,
    UrlPath((app_id, grant_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let issuer = format!("https://{}", org_domain(&headers));
    let mut org = lock(&state);
    let grants = org.grants_of(&app_id, &issuer);
    let before = grants.len();
    grants.retain(|grant| grant["id"] != grant_id.as_str());
    if grants.len() == before {
        return api_error(
            StatusCode::NOT_FOUND,
            "E0000007",
            "Not found: Resource not found",
        );
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Whether the demo's scope catalog lists the scope.
fn known_scope(www: &Path, scope: &str) -> bool {
    std::fs::read_to_string(www.join("assets/scopes.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Vec<Value>>(&text).ok())
        .is_some_and(|catalog| catalog.iter().any(|entry| entry["id"] == scope))
}
