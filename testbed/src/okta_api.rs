//! The demo org's slice of Okta's management API (`/api/v1`), behaving as Okta's API reference
//! says: the console session's cookie and a matching `X-Okta-XsrfToken` or 403, 401 once the
//! session has expired, 429 with `X-Rate-Limit-Reset` when called too fast, `Link` header
//! pagination, and the documented JSON shapes for grants, errors, users, roles, apps, app users
//! and client secrets. Grants are one state with the Admin Console's Scopes tab.
//!
//! Tests steer it through [`crate::server::DemoServer`]'s knobs (roles, assignment, page size,
//! expired sessions, throttling) and read every call it received.

use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The console session's cookie.
pub const SESSION_COOKIE: &str = "sid";
/// The demo admin's user id.
pub const ADMIN_USER_ID: &str = "00u1demoadmin000000a";
/// Scopes granted to every app when the demo starts (besides the OpenID Connect ones, which Okta
/// grants by itself and the tab does not list). `okta.devices.manage` is not among them: that is
/// the step admins miss.
const INITIALLY_GRANTED: [&str; 3] = ["okta.users.read", "okta.groups.read", "okta.apps.read"];
/// Okta's default page size for the grants list.
const DEFAULT_PAGE_SIZE: usize = 20;
/// Calls per session per second before the demo answers 429 (Okta's limits are per minute and
/// per endpoint; a per-second budget keeps the demo simple and still catches a helper that hammers).
const CALLS_PER_SECOND: usize = 100;

/// A console session.
struct Session {
    xsrf: String,
    expired: bool,
    calls: Vec<Instant>,
}

/// What the demo org remembers while it runs.
pub(crate) struct Org {
    /// Grants per app id, created on first use with [`INITIALLY_GRANTED`].
    grants: HashMap<String, Vec<Value>>,
    next_grant: u64,
    sessions: HashMap<String, Session>,
    /// The Okta Workflows OAuth app's client secret, new for every server.
    pub(crate) client_secret: String,
    /// What the Workflows console's Create button posted.
    pub(crate) connections: Vec<Value>,
    /// Whether the demo admin has the Super Administrator role.
    pub(crate) super_admin: bool,
    /// Whether the Okta Workflows OAuth app is assigned to the demo admin.
    pub(crate) assigned: bool,
    /// Grants per page.
    pub(crate) page_size: usize,
    /// How many of the next API calls answer 429.
    pub(crate) throttled: usize,
    /// Every API call received: `METHOD /path?query`.
    pub(crate) calls: Vec<String>,
    /// Faults to answer the next authenticated calls with, in order.
    pub(crate) faults: std::collections::VecDeque<Fault>,
}

/// A fault the demo API answers one call with, for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer this call normally (to aim the next fault at a later call).
    Pass,
    /// An error status with Okta's error body (403, 500, …).
    Status(u16),
    /// A 200 whose body has none of the documented shapes.
    Garbled,
}

fn random(length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..length)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect()
}

impl Org {
    pub(crate) fn new() -> Self {
        Self {
            grants: HashMap::new(),
            next_grant: 0,
            sessions: HashMap::new(),
            client_secret: random(40),
            connections: Vec::new(),
            super_admin: true,
            assigned: true,
            page_size: DEFAULT_PAGE_SIZE,
            throttled: 0,
            calls: Vec::new(),
            faults: std::collections::VecDeque::new(),
        }
    }

    /// The session of a request's cookie, or a new one: `(sid, xsrf, is_new)`.
    pub(crate) fn session_for(&mut self, headers: &HeaderMap) -> (String, String, bool) {
        if let Some(sid) = session_cookie(headers) {
            if let Some(session) = self.sessions.get(&sid).filter(|s| !s.expired) {
                return (sid.clone(), session.xsrf.clone(), false);
            }
        }
        let (sid, xsrf) = (random(32), random(24));
        self.sessions.insert(
            sid.clone(),
            Session {
                xsrf: xsrf.clone(),
                expired: false,
                calls: Vec::new(),
            },
        );
        (sid, xsrf, true)
    }

    /// Ends every console session, as when it times out.
    pub(crate) fn expire_sessions(&mut self) {
        for session in self.sessions.values_mut() {
            session.expired = true;
        }
    }

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

/// The `Set-Cookie` value for a new console session: as strict as the console allows.
pub(crate) fn session_cookie_header(sid: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={sid}; Path=/; Secure; HttpOnly; SameSite=Lax"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("sid=; Path=/"))
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then(|| value.to_owned())
        })
}

pub(crate) type Shared = Arc<Mutex<Org>>;

pub(crate) fn lock(org: &Shared) -> std::sync::MutexGuard<'_, Org> {
    org.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The `/api/v1` routes, behind the session check.
pub(crate) fn router(www: &Path, org: Shared) -> Router {
    let catalog = Arc::new(scope_catalog(www));
    Router::new()
        .route("/api/v1/users/me", get(me))
        .route("/api/v1/users/{user}/roles", get(roles))
        .route("/api/v1/apps", get(list_apps))
        .route("/api/v1/apps/{app}/users/{user}", get(app_user))
        .route(
            "/api/v1/apps/{app}/credentials/secrets",
            get(client_secrets),
        )
        .route(
            "/api/v1/apps/{app}/grants",
            get(list_grants).post({
                let catalog = catalog.clone();
                move |state, path, headers, body| create_grant(state, path, headers, body, catalog)
            }),
        )
        .route(
            "/api/v1/apps/{app}/grants/{grant}",
            get(get_grant).delete(delete_grant),
        )
        .layer(axum::middleware::from_fn_with_state(
            org.clone(),
            authenticate,
        ))
        .with_state(org)
}

/// Okta's checks on a console call: throttling, then the session, then the XSRF token.
async fn authenticate(State(org): State<Shared>, request: Request, next: Next) -> Response {
    {
        let mut org = lock(&org);
        let query = request
            .uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        org.calls.push(format!(
            "{} {}{query}",
            request.method(),
            request.uri().path()
        ));
        if org.throttled > 0 {
            org.throttled -= 1;
            return rate_limited();
        }
        let Some(sid) = session_cookie(request.headers()) else {
            return api_error(
                StatusCode::FORBIDDEN,
                "E0000006",
                "You do not have permission to perform the requested action",
            );
        };
        let xsrf = request
            .headers()
            .get("X-Okta-XsrfToken")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let Some(session) = org.sessions.get_mut(&sid) else {
            return api_error(
                StatusCode::FORBIDDEN,
                "E0000006",
                "You do not have permission to perform the requested action",
            );
        };
        if session.expired {
            return api_error(
                StatusCode::UNAUTHORIZED,
                "E0000011",
                "Invalid token provided",
            );
        }
        if xsrf.as_deref() != Some(session.xsrf.as_str()) {
            return api_error(
                StatusCode::FORBIDDEN,
                "E0000006",
                "You do not have permission to perform the requested action",
            );
        }
        let now = Instant::now();
        session
            .calls
            .retain(|at| now.duration_since(*at) < Duration::from_secs(1));
        if session.calls.len() >= CALLS_PER_SECOND {
            return rate_limited();
        }
        session.calls.push(now);
        match org.faults.pop_front() {
            Some(Fault::Garbled) => return Json(json!({"unexpected": true})).into_response(),
            Some(Fault::Status(403)) => {
                return api_error(
                    StatusCode::FORBIDDEN,
                    "E0000006",
                    "You do not have permission to perform the requested action",
                )
            }
            Some(Fault::Status(status)) => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                return api_error(status, "E0000009", "Internal Server Error");
            }
            Some(Fault::Pass) | None => {}
        }
    }
    next.run(request).await
}

fn epoch_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn rate_limited() -> Response {
    let mut response = api_error(
        StatusCode::TOO_MANY_REQUESTS,
        "E0000047",
        "API call exceeded rate limit due to too many requests.",
    );
    let headers = response.headers_mut();
    headers.insert(
        "X-Rate-Limit-Limit",
        HeaderValue::from(CALLS_PER_SECOND as u64),
    );
    headers.insert("X-Rate-Limit-Remaining", HeaderValue::from(0u64));
    headers.insert("X-Rate-Limit-Reset", HeaderValue::from(epoch_seconds() + 1));
    response
}

/// An error in the shape Okta's API uses.
pub(crate) fn api_error(status: StatusCode, code: &str, summary: &str) -> Response {
    let body = json!({
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": format!("oae{}", random(19)),
        "errorCauses": [],
    });
    (status, Json(body)).into_response()
}

fn host_of(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h).to_owned())
        .unwrap_or_else(|| "acme-admin.okta.com".to_owned())
}

fn issuer_of(headers: &HeaderMap) -> String {
    format!("https://{}", host_of(headers).replace("-admin.", "."))
}

fn grant_json(app_id: &str, grant_id: &str, scope: &str, issuer: &str) -> Value {
    let base = format!("{issuer}/api/v1/apps/{app_id}");
    json!({
        "id": grant_id,
        "status": "ACTIVE",
        "created": "2026-11-01T09:00:00.000Z",
        "createdBy": {"id": ADMIN_USER_ID, "type": "User"},
        "lastUpdated": "2026-11-01T09:00:00.000Z",
        "issuer": issuer,
        "clientId": app_id,
        "scopeId": scope,
        "source": "ADMIN",
        "_links": {
            "app": {"href": base.clone(), "title": "Okta Workflows OAuth"},
            "self": {"href": format!("{base}/grants/{grant_id}"), "hints": {"allow": ["GET", "DELETE"]}},
            "client": {"href": format!("{issuer}/oauth2/v1/clients/{app_id}"), "title": "Okta Workflows OAuth"},
        },
    })
}

#[derive(Deserialize)]
struct Page {
    limit: Option<usize>,
    after: Option<String>,
}

async fn list_grants(
    State(org): State<Shared>,
    UrlPath(app_id): UrlPath<String>,
    Query(page): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let mut org = lock(&org);
    let size = page.limit.unwrap_or(org.page_size).clamp(1, 200);
    let grants = org.grants_of(&app_id, &issuer_of(&headers)).clone();
    let start = match &page.after {
        Some(after) => match grants.iter().position(|g| g["id"] == after.as_str()) {
            Some(at) => at + 1,
            None => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "E0000031",
                    "Invalid search criteria.",
                )
            }
        },
        None => 0,
    };
    let slice: Vec<Value> = grants.iter().skip(start).take(size).cloned().collect();
    let base = format!("https://{}/api/v1/apps/{app_id}/grants", host_of(&headers));
    let mut links = vec![format!("<{base}?limit={size}>; rel=\"self\"")];
    if start + slice.len() < grants.len() {
        if let Some(last) = slice.last().and_then(|g| g["id"].as_str()) {
            links.push(format!("<{base}?after={last}&limit={size}>; rel=\"next\""));
        }
    }
    let mut response = Json(slice).into_response();
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

async fn get_grant(
    State(org): State<Shared>,
    UrlPath((app_id, grant_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut org = lock(&org);
    match org
        .grants_of(&app_id, &issuer_of(&headers))
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
    State(org): State<Shared>,
    UrlPath(app_id): UrlPath<String>,
    headers: HeaderMap,
    body: Result<Json<NewGrant>, axum::extract::rejection::JsonRejection>,
    catalog: Arc<Vec<String>>,
) -> Response {
    let Ok(Json(new)) = body else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        );
    };
    let issuer = issuer_of(&headers);
    if new.issuer != issuer {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: issuer",
        );
    }
    if !catalog.contains(&new.scope_id) {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: scopeId",
        );
    }
    let mut org = lock(&org);
    org.next_grant += 1;
    let grant_id = format!("oag{:06}demo", org.next_grant);
    let grants = org.grants_of(&app_id, &issuer);
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
    let grant = grant_json(&app_id, &grant_id, &new.scope_id, &issuer);
    grants.push(grant.clone());
    (StatusCode::CREATED, Json(grant)).into_response()
}

async fn delete_grant(
    State(org): State<Shared>,
    UrlPath((app_id, grant_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut org = lock(&org);
    let grants = org.grants_of(&app_id, &issuer_of(&headers));
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

async fn client_secrets(
    State(org): State<Shared>,
    UrlPath(app_id): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let secret = lock(&org).client_secret.clone();
    let base = format!(
        "https://{}/api/v1/apps/{app_id}/credentials/secrets/ocs1demosecret0x7q01",
        host_of(&headers)
    );
    Json(json!([{
        "id": "ocs1demosecret0x7q01",
        "status": "ACTIVE",
        "client_secret": secret,
        "secret_hash": "yk4SVx4sUWVJVbHt6M-UPA",
        "created": "2026-11-01T09:00:00.000Z",
        "lastUpdated": "2026-11-01T09:00:00.000Z",
        "_links": {"deactivate": {"href": format!("{base}/lifecycle/deactivate"), "hints": {"allow": ["POST"]}}},
    }]))
    .into_response()
}

async fn me(headers: HeaderMap) -> Response {
    Json(json!({
        "id": ADMIN_USER_ID,
        "status": "ACTIVE",
        "created": "2026-01-01T00:00:00.000Z",
        "profile": {"firstName": "Avery", "lastName": "Admin", "email": "avery.admin@acme.example", "login": "avery.admin@acme.example"},
        "_links": {"self": {"href": format!("https://{}/api/v1/users/{ADMIN_USER_ID}", host_of(&headers))}},
    }))
    .into_response()
}

async fn roles(State(org): State<Shared>, UrlPath(user): UrlPath<String>) -> Response {
    if user != ADMIN_USER_ID {
        return api_error(
            StatusCode::NOT_FOUND,
            "E0000007",
            "Not found: Resource not found",
        );
    }
    let super_admin = lock(&org).super_admin;
    let (id, label, role) = if super_admin {
        ("IFIFAX2BIRGUSTQ", "Super Administrator", "SUPER_ADMIN")
    } else {
        (
            "ra1b8aahBZuGJRRa30g4",
            "Application Administrator",
            "APP_ADMIN",
        )
    };
    Json(json!([{
        "id": id, "label": label, "type": role, "status": "ACTIVE",
        "created": "2026-01-01T00:00:00.000Z", "lastUpdated": "2026-01-01T00:00:00.000Z",
        "assignmentType": "USER",
    }]))
    .into_response()
}

#[derive(Deserialize)]
struct AppFilter {
    filter: Option<String>,
}

async fn list_apps(Query(filter): Query<AppFilter>, headers: HeaderMap) -> Response {
    let host = host_of(&headers);
    let app = |id: &str, name: &str, label: &str| {
        json!({
            "id": id, "name": name, "label": label, "status": "ACTIVE", "signOnMode": "OPENID_CONNECT",
            "_links": {"self": {"href": format!("https://{host}/api/v1/apps/{id}")}},
        })
    };
    let apps = [
        app(
            crate::server::WORKFLOWS_OAUTH_APP_ID,
            "flow",
            "Okta Workflows OAuth",
        ),
        app("0oa1wf2ssoappdemo0x8", "okta_flow_sso", "Okta Workflows"),
    ];
    let wanted = filter
        .filter
        .as_deref()
        .and_then(|f| f.strip_prefix("name eq \""))
        .and_then(|f| f.strip_suffix('"'));
    let listed: Vec<&Value> = apps
        .iter()
        .filter(|app| wanted.is_none_or(|name| app["name"] == name))
        .collect();
    Json(listed).into_response()
}

async fn app_user(
    State(org): State<Shared>,
    UrlPath((app, user)): UrlPath<(String, String)>,
) -> Response {
    if !lock(&org).assigned || user != ADMIN_USER_ID || app != crate::server::WORKFLOWS_OAUTH_APP_ID
    {
        return api_error(
            StatusCode::NOT_FOUND,
            "E0000007",
            "Not found: Resource not found",
        );
    }
    Json(json!({
        "id": ADMIN_USER_ID, "scope": "USER", "status": "ACTIVE", "syncState": "DISABLED",
        "created": "2026-01-01T00:00:00.000Z",
        "credentials": {"userName": "avery.admin@acme.example"},
    }))
    .into_response()
}

/// The scope ids the demo's Scopes tab lists.
fn scope_catalog(www: &Path) -> Vec<String> {
    std::fs::read_to_string(www.join("assets/scopes.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Vec<Value>>(&text).ok())
        .map(|catalog| {
            catalog
                .iter()
                .filter_map(|entry| entry["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
