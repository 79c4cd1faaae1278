//! The demo org's slice of Okta's management API (`/api/v1`), refusing what Okta refuses, in the
//! order Okta checks:
//!
//! 1. **Origin**: a request whose `Origin` header is present and is not the Admin Console's own
//!    origin (`https://{Host}`, on an admin host, `…-admin.…`) gets 403 `E0000212` "Origin
//!    validation failed." Same-origin calls from the console page (a GET without `Origin`, a POST
//!    or DELETE with the admin origin) pass.
//! 2. **Rate limits**: every `/api/v1` response, success or error, carries `X-Rate-Limit-Limit`,
//!    `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (epoch seconds when the window ends).
//!    Calls are counted per org, per minute, per endpoint family (the path segment after
//!    `/api/v1/`: `apps`, `users`, …), [`DEFAULT_RATE_LIMIT`] per family unless a test sets
//!    another; one call too many gets 429 `E0000047` "API call exceeded rate limit due to too
//!    many requests." with `X-Rate-Limit-Remaining: 0`. A test can also throttle the next calls,
//!    which answer that 429 with a reset one second away.
//! 3. **Session**: no session cookie, an unknown session or an expired one gets 403 `E0000005`
//!    "Invalid session".
//! 4. **XSRF**: a missing or wrong `X-Okta-XsrfToken` gets 403 `E0000006` "You do not have
//!    permission to perform the requested action".
//! 5. Faults queued by a test, then the endpoint itself: a demo admin who is not a super admin
//!    gets 403 `E0000006` on `GET /api/v1/users/{id}/roles`; the grants list pages with one `Link`
//!    header per relation (`self`, and `next` while there is more), absolute on the request's own
//!    host, whose `after` cursor is an opaque token the org maps to a position (base64-like, so
//!    its link carries `%2F`, `%2B` and `%3D`; an unknown one gets 400 `E0000031`); client secrets are 64 characters of `[A-Za-z0-9_-]`; the JSON shapes
//!    are the documented ones for grants, errors, users, roles, apps, app users and client
//!    secrets. Grants are one state with the Admin Console's Scopes tab.
//!
//! Every error body has Okta's shape: `errorCode`, `errorSummary`, `errorLink`, `errorId`,
//! `errorCauses`. Past the checks, unknown `/api/v1` endpoints get 404 `E0000022`, and a method
//! an endpoint does not support 405 `E0000022`.
//!
//! Besides, `GET /.well-known/okta-organization` (no session, `Access-Control-Allow-Origin: *`)
//! answers the org's metadata (`WellKnownOrgMetadata`) on the org and admin hosts.
//!
//! Tests steer it through [`crate::server::DemoServer`]'s knobs (roles, assignment, page size,
//! expired sessions, rate limits and throttling, faults, grants for other issuers, the org's own
//! grants, Classic or Identity Engine, metadata faults, the helper's API down) and read every
//! `/api/v1` call it received, with its `Origin`, whether the console itself made it, the status
//! it was answered and the next link it was given; [`next_links_followed`] checks from those
//! that the helper read a list's pages as Okta links them.
//!
//! **Test knob: the helper's API down.** While [`crate::server::DemoServer::set_helper_api_down`]
//! is on, every `/api/v1` request that does not carry the demo console's own
//! `X-Requested-With: XMLHttpRequest` header (which `www/assets/console.js` sends on all its
//! requests, as Okta's real console does) answers 503 `E0000009` "Internal Server Error", before
//! any other check. The extension's page agent never sends that header, so Okta's API fails for
//! the helper only while the console keeps working: the helper must then rely on reading the page.
//! Not a behaviour of Okta's; off unless a test turns it on.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// The console session's cookie.
pub const SESSION_COOKIE: &str = "sid";
/// The demo admin's user id.
pub const ADMIN_USER_ID: &str = "00u1demoadmin000000a";
/// The Okta Workflows SSO app's id in the demo org.
pub const WORKFLOWS_SSO_APP_ID: &str = "0oa1wf2ssoappdemo0x8";
/// The demo org's id, as its metadata (`/.well-known/okta-organization`) gives it.
pub const ORG_ID: &str = "00o1demoorg0000000x7";
/// Calls per minute per endpoint family (`apps`, `users`, …) before the demo answers 429: generous,
/// so that no test trips it by accident; a test that wants to sets a lower one.
pub const DEFAULT_RATE_LIMIT: usize = 1200;
/// How long one rate-limit window lasts, in seconds.
const RATE_WINDOW_SECONDS: u64 = 60;
/// Scopes granted to every app when the demo starts (besides the OpenID Connect ones, which Okta
/// grants by itself and the tab does not list). `okta.devices.manage` is not among them: that is
/// the step admins miss.
const INITIALLY_GRANTED: [&str; 3] = ["okta.users.read", "okta.groups.read", "okta.apps.read"];
/// Okta's default page size for the grants list.
const DEFAULT_PAGE_SIZE: usize = 20;
/// Where [`Fault::ForeignLink`] points the next page.
const FOREIGN_HOST: &str = "evil.example";
/// What [`Fault::HtmlPage`] answers: a sign-in page, as a proxy or an expired single sign-on
/// would put in the way of an API call.
const SIGN_IN_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>Sign In</title></head><body><form method=\"post\" action=\"/login\">\
    <label>Username <input name=\"username\"></label><button>Sign In</button></form></body></html>\n";

const E0000005: (&str, &str) = ("E0000005", "Invalid session");
const E0000006: (&str, &str) = (
    "E0000006",
    "You do not have permission to perform the requested action",
);
const E0000007: (&str, &str) = ("E0000007", "Not found: Resource not found");
const E0000009: (&str, &str) = ("E0000009", "Internal Server Error");
const E0000011: (&str, &str) = ("E0000011", "Invalid token provided");
const E0000047: (&str, &str) = (
    "E0000047",
    "API call exceeded rate limit due to too many requests.",
);
const E0000212: (&str, &str) = ("E0000212", "Origin validation failed.");

/// A console session.
struct Session {
    xsrf: String,
    expired: bool,
}

/// One endpoint family's rate-limit window.
struct Window {
    /// Epoch seconds when the window ends.
    ends: u64,
    /// Calls counted in it so far.
    used: usize,
}

/// What an opaque `after` cursor of the grants list stands for.
struct Cursor {
    app: String,
    /// The last grant of the page before.
    after: String,
    /// Its position, in case it has been revoked since.
    position: usize,
}

/// One `/api/v1` request the demo received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCall {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path and query, `/api/v1/…?…`.
    pub target: String,
    /// The `Origin` header, as sent.
    pub origin: Option<String>,
    /// The status the demo answered (0 while the call is still being answered).
    pub status: u16,
    /// Whether it carried the demo console's own `X-Requested-With: XMLHttpRequest` header: the
    /// console's call, not the helper's (whose page agent never sends it).
    pub by_console: bool,
    /// The `rel="next"` link of the answer's `Link` headers, exactly as the demo sent it.
    pub next: Option<String>,
}

/// For tests: checks that the helper followed every `rel="next"` link the demo gave it for the
/// list at `list` (a path without query): among the calls the console did not make, each answer
/// of that list with a next link on the Admin Console host is followed by a read of exactly that
/// path and query, answered 200. Returns how many next links were followed so, or the first that
/// was not.
pub fn next_links_followed(requests: &[ApiCall], list: &str) -> Result<usize, String> {
    let in_list = format!("{list}?");
    let reads: Vec<&ApiCall> = requests
        .iter()
        .filter(|call| !call.by_console && call.method == "GET")
        .filter(|call| call.target == list || call.target.starts_with(&in_list))
        .collect();
    let admin = format!("https://{}", crate::server::ADMIN_HOST);
    let mut followed = 0;
    for (at, read) in reads.iter().enumerate() {
        let Some(next) = &read.next else {
            continue;
        };
        let Some(target) = next.strip_prefix(&admin).filter(|t| t.starts_with('/')) else {
            return Err(format!(
                "{} was answered with a next link off the Admin Console: {next}",
                read.target
            ));
        };
        match reads[at + 1..].iter().find(|later| later.target == target) {
            Some(later) if later.status == 200 => followed += 1,
            Some(later) => return Err(format!("{target} was answered {}", later.status)),
            None => {
                return Err(format!(
                    "the next page after {}, {target}, was never asked for as sent",
                    read.target
                ))
            }
        }
    }
    Ok(followed)
}

/// A fault the demo API answers one authenticated call with, for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer this call normally (to aim the next fault at a later call).
    Pass,
    /// An error status with Okta's error body: 401 `E0000011`, 403 `E0000006`, 404 `E0000007`,
    /// 429 `E0000047`, anything else `E0000009` "Internal Server Error".
    Status(u16),
    /// An error with exactly this status, code and summary, in Okta's error body.
    Okta {
        /// The HTTP status.
        status: u16,
        /// `errorCode`, e.g. `E0000006`.
        code: &'static str,
        /// `errorSummary`.
        summary: &'static str,
    },
    /// A 200 whose body has none of the documented shapes.
    Garbled,
    /// A 200 whose body is an HTML page (`text/html`), not JSON: what a sign-in page, or a proxy
    /// in the way, answers.
    HtmlPage,
    /// Answered normally, but a list's `Link` header gets a `rel="next"` on another host
    /// (`https://evil.example/api/v1/…`), even on the last page.
    ForeignLink,
    /// Answered only after a minute: an API that hangs.
    Hang,
}

/// How the demo answers `GET /.well-known/okta-organization`, for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetadataFault {
    /// The documented metadata.
    #[default]
    None,
    /// This status with Okta's error body.
    Status(u16),
    /// A 200 with `{"unexpected": true}`.
    Garbled,
}

/// An opaque random token (ids, cursors).
pub(crate) fn random_token() -> String {
    random(32)
}

/// An opaque cursor, base64-like as many of Okta's are: always with a `/`, a `+` and padding, so
/// that its link carries them percent-encoded (`%2F`, `%2B`, `%3D`) in the query.
fn base64_cursor() -> String {
    format!("{}/{}+{}=", random(20), random(6), random(5))
}

/// A cursor as it goes into a link's query: `/`, `+` and `=` percent-encoded, as Okta encodes
/// them (a bare `+` would read as a space).
fn percent_encode_cursor(cursor: &str) -> String {
    cursor
        .replace('/', "%2F")
        .replace('+', "%2B")
        .replace('=', "%3D")
}

fn random(length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..length)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect()
}

/// What the demo org remembers while it runs.
pub(crate) struct Org {
    /// Grants per app id, created on first use with [`INITIALLY_GRANTED`].
    grants: HashMap<String, Vec<Value>>,
    next_grant: u64,
    sessions: HashMap<String, Session>,
    /// The grants list's `after` cursors handed out so far.
    cursors: HashMap<String, Cursor>,
    /// Rate-limit windows per endpoint family.
    windows: HashMap<String, Window>,
    /// The Okta Workflows OAuth app's client secrets, the first new for every server (see
    /// [`crate::okta_secrets`]).
    pub(crate) secrets: Vec<crate::okta_secrets::DemoSecret>,
    /// What the Workflows console's Create button posted.
    pub(crate) connections: Vec<Value>,
    /// Whether the demo admin has the Super Administrator role.
    pub(crate) super_admin: bool,
    /// Whether the Okta Workflows OAuth app is assigned to the demo admin.
    pub(crate) assigned: bool,
    /// The org's apps: `(id, name, label)`. The Okta Workflows OAuth app and the Okta Workflows
    /// SSO app to begin with; tests add more (a second `flow` instance, say).
    pub(crate) apps: Vec<(String, String, String)>,
    /// Grants per page.
    pub(crate) page_size: usize,
    /// Calls per minute per endpoint family.
    pub(crate) rate_limit: usize,
    /// How many of the next API calls answer 429.
    pub(crate) throttled: usize,
    /// Whether the org is on Okta Classic Engine (`pipeline: "v1"`) rather than Identity Engine.
    pub(crate) classic: bool,
    /// How the org metadata answers.
    pub(crate) metadata_fault: MetadataFault,
    /// Every `/api/v1` call received, in the order they arrived.
    pub(crate) requests: Vec<ApiCall>,
    /// Faults to answer the next authenticated calls with, in order.
    pub(crate) faults: VecDeque<Fault>,
    /// Faults aimed at calls whose path contains the aim (`"/grants"`), each answering the next
    /// such call, in order, before the queue above: the helper asks some calls at once, so the
    /// order in which they arrive is not theirs to aim at.
    pub(crate) aimed_faults: Vec<(&'static str, Fault)>,
    /// Test knob: calls without the console's `X-Requested-With: XMLHttpRequest` answer 503.
    pub(crate) helper_api_down: bool,
    /// The System Log, oldest first (see [`crate::okta_log`]).
    pub(crate) log: Vec<Value>,
    /// The System Log's `after` cursors handed out so far: where the next page starts.
    pub(crate) log_cursors: HashMap<String, usize>,
    /// Whether the demo admin may read the System Log (`okta.logs.read`).
    pub(crate) can_read_logs: bool,
}

impl Org {
    pub(crate) fn new() -> Self {
        Self {
            grants: HashMap::new(),
            next_grant: 0,
            sessions: HashMap::new(),
            cursors: HashMap::new(),
            windows: HashMap::new(),
            secrets: vec![crate::okta_secrets::DemoSecret::first()],
            connections: Vec::new(),
            super_admin: true,
            assigned: true,
            apps: vec![
                (
                    crate::server::WORKFLOWS_OAUTH_APP_ID.to_owned(),
                    "flow".to_owned(),
                    "Okta Workflows OAuth".to_owned(),
                ),
                (
                    WORKFLOWS_SSO_APP_ID.to_owned(),
                    "okta_flow_sso".to_owned(),
                    "Okta Workflows".to_owned(),
                ),
            ],
            page_size: DEFAULT_PAGE_SIZE,
            rate_limit: DEFAULT_RATE_LIMIT,
            throttled: 0,
            classic: false,
            metadata_fault: MetadataFault::None,
            requests: Vec::new(),
            faults: VecDeque::new(),
            aimed_faults: Vec::new(),
            helper_api_down: false,
            log: Vec::new(),
            log_cursors: HashMap::new(),
            can_read_logs: true,
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
            },
        );
        (sid, xsrf, true)
    }

    /// Whether `secret` is one of the Okta Workflows OAuth app's active client secrets.
    pub(crate) fn secret_is_active(&self, secret: &str) -> bool {
        self.secrets.iter().any(|s| s.active && s.value == secret)
    }

    /// The app's first secret, which the Sign On tab shows.
    pub(crate) fn client_secret(&self) -> String {
        self.secrets
            .first()
            .map(|s| s.value.clone())
            .unwrap_or_default()
    }

    /// Ends every console session, as when it times out.
    pub(crate) fn expire_sessions(&mut self) {
        for session in self.sessions.values_mut() {
            session.expired = true;
        }
    }

    /// Adds an ACTIVE grant of `scope` for `issuer` to the Okta Workflows OAuth app; its id.
    pub(crate) fn add_grant(&mut self, scope: &str, issuer: &str) -> String {
        let app_id = crate::server::WORKFLOWS_OAUTH_APP_ID;
        let org = format!("https://{}", crate::server::ORG_HOST);
        let grant_id = self.new_grant_id();
        let grant = grant_json(
            app_id,
            &grant_id,
            scope,
            issuer,
            &org,
            &crate::okta_log::now_iso(),
        );
        self.grants_of(app_id, &org).push(grant);
        grant_id
    }

    /// Adds or removes the org's own grant (issuer `https://{org domain}`) of `scope` on the Okta
    /// Workflows OAuth app, as its Scopes tab's Grant and Revoke do. Grants of the scope for other
    /// issuers are left alone; granting what is granted, or revoking what is not, changes nothing.
    pub(crate) fn set_granted(&mut self, scope: &str, granted: bool) {
        let app_id = crate::server::WORKFLOWS_OAUTH_APP_ID;
        let org = format!("https://{}", crate::server::ORG_HOST);
        let is_it = |grant: &Value| grant["scopeId"] == scope && grant["issuer"] == org.as_str();
        if granted {
            if !self.grants_of(app_id, &org).iter().any(is_it) {
                let grant_id = self.new_grant_id();
                let grant = grant_json(
                    app_id,
                    &grant_id,
                    scope,
                    &org,
                    &org,
                    &crate::okta_log::now_iso(),
                );
                self.grants_of(app_id, &org).push(grant);
            }
        } else {
            self.grants_of(app_id, &org).retain(|grant| !is_it(grant));
        }
    }

    /// The scope ids the org has granted the Okta Workflows OAuth app for its own issuer, in the
    /// order they were granted.
    pub(crate) fn granted_scopes(&mut self) -> Vec<String> {
        let app_id = crate::server::WORKFLOWS_OAUTH_APP_ID;
        let org = format!("https://{}", crate::server::ORG_HOST);
        self.grants_of(app_id, &org)
            .iter()
            .filter(|grant| grant["issuer"] == org.as_str() && grant["status"] == "ACTIVE")
            .filter_map(|grant| grant["scopeId"].as_str().map(str::to_owned))
            .collect()
    }

    fn new_grant_id(&mut self) -> String {
        self.next_grant += 1;
        format!("oag{:06}demo", self.next_grant)
    }

    /// The grants of an app; `org` is the org's own `https://{org domain}`, which issues the
    /// initial grants.
    fn grants_of(&mut self, app_id: &str, org: &str) -> &mut Vec<Value> {
        if !self.grants.contains_key(app_id) {
            let initial = INITIALLY_GRANTED
                .iter()
                .map(|scope| {
                    let grant_id = self.new_grant_id();
                    grant_json(app_id, &grant_id, scope, org, org, INITIAL_GRANTS_CREATED)
                })
                .collect();
            self.grants.insert(app_id.to_owned(), initial);
        }
        self.grants.entry(app_id.to_owned()).or_default()
    }

    /// Counts a call of an endpoint family in its window.
    fn count(&mut self, family: &str) -> Rate {
        let now = epoch_seconds();
        let window = self.windows.entry(family.to_owned()).or_insert(Window {
            ends: now + RATE_WINDOW_SECONDS,
            used: 0,
        });
        if now >= window.ends {
            *window = Window {
                ends: now + RATE_WINDOW_SECONDS,
                used: 0,
            };
        }
        window.used += 1;
        Rate {
            limit: self.rate_limit,
            remaining: self.rate_limit.saturating_sub(window.used),
            reset: window.ends,
            exhausted: window.used > self.rate_limit,
        }
    }

    /// Okta's checks on a console call to `path`, in Okta's order, then the next fault aimed at
    /// it, else the next queued fault.
    fn admit(&mut self, path: &str, headers: &HeaderMap, rate: &Rate) -> Admission {
        if self.helper_api_down && !from_console_script(headers) {
            return Admission::Refused(okta_error(StatusCode::SERVICE_UNAVAILABLE, E0000009));
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let own = request_host(headers)
                .filter(|host| host.contains("-admin."))
                .map(|host| format!("https://{host}"));
            let same =
                own.is_some_and(|own| own.as_bytes().eq_ignore_ascii_case(origin.as_bytes()));
            if !same {
                return Admission::Refused(okta_error(StatusCode::FORBIDDEN, E0000212));
            }
        }
        if self.throttled > 0 {
            self.throttled -= 1;
            return Admission::Refused(okta_error(StatusCode::TOO_MANY_REQUESTS, E0000047));
        }
        if rate.exhausted {
            return Admission::Refused(okta_error(StatusCode::TOO_MANY_REQUESTS, E0000047));
        }
        let Some(session) = session_cookie(headers)
            .and_then(|sid| self.sessions.get(&sid))
            .filter(|session| !session.expired)
        else {
            return Admission::Refused(okta_error(StatusCode::FORBIDDEN, E0000005));
        };
        let xsrf = headers.get("X-Okta-XsrfToken").map(HeaderValue::as_bytes);
        if xsrf != Some(session.xsrf.as_bytes()) {
            return Admission::Refused(okta_error(StatusCode::FORBIDDEN, E0000006));
        }
        let aimed = self
            .aimed_faults
            .iter()
            .position(|(aim, _)| path.contains(aim));
        let fault = match aimed {
            Some(at) => Some(self.aimed_faults.remove(at).1),
            None => self.faults.pop_front(),
        };
        match fault {
            None | Some(Fault::Pass) => Admission::Pass,
            Some(Fault::ForeignLink) => Admission::ForeignLink,
            Some(Fault::Hang) => Admission::Hang,
            Some(Fault::Garbled) => {
                Admission::Refused(Json(json!({"unexpected": true})).into_response())
            }
            Some(Fault::HtmlPage) => Admission::Refused(Html(SIGN_IN_PAGE).into_response()),
            Some(Fault::Status(status)) => Admission::Refused(status_error(status)),
            Some(Fault::Okta {
                status,
                code,
                summary,
            }) => Admission::Refused(api_error(
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                code,
                summary,
            )),
        }
    }
}

/// Whether a call carries the demo console's own `X-Requested-With: XMLHttpRequest` header (see
/// the module's notes on the helper's API down).
fn from_console_script(headers: &HeaderMap) -> bool {
    headers
        .get("X-Requested-With")
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"XMLHttpRequest"))
}

/// What Okta's checks and the queued faults make of a call.
enum Admission {
    /// Answered with this, without the endpoint.
    Refused(Response),
    /// The endpoint answers.
    Pass,
    /// The endpoint answers, and [`Fault::ForeignLink`] moves its next link.
    ForeignLink,
    /// No answer for a minute ([`Fault::Hang`]).
    Hang,
}

/// Where a call stands against its family's rate limit.
struct Rate {
    limit: usize,
    remaining: usize,
    /// Epoch seconds when the window ends.
    reset: u64,
    /// Whether this call is one too many.
    exhausted: bool,
}

impl Rate {
    /// Okta's three rate-limit headers. A 429 has none remaining; unless the window itself is
    /// spent, it was a throttled call or a fault, which resets in a second.
    fn apply(&self, response: &mut Response) {
        let limited = response.status() == StatusCode::TOO_MANY_REQUESTS;
        let remaining = if limited { 0 } else { self.remaining };
        let reset = if limited && !self.exhausted {
            epoch_seconds() + 1
        } else {
            self.reset
        };
        let headers = response.headers_mut();
        headers.insert("X-Rate-Limit-Limit", HeaderValue::from(self.limit));
        headers.insert("X-Rate-Limit-Remaining", HeaderValue::from(remaining));
        headers.insert("X-Rate-Limit-Reset", HeaderValue::from(reset));
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

/// The `/api/v1` routes, behind Okta's checks.
pub(crate) fn router(www: &Path, org: Shared) -> Router {
    let catalog = Arc::new(scope_catalog(www));
    Router::new()
        .route("/api/v1/users/me", get(me))
        .route("/api/v1/users/{user}/roles", get(roles))
        .route("/api/v1/logs", get(crate::okta_log::list_logs))
        .route("/api/v1/apps", get(list_apps))
        .route("/api/v1/apps/{app}", get(get_app))
        .route("/api/v1/apps/{app}/users/{user}", get(app_user))
        .route(
            "/api/v1/apps/{app}/credentials/secrets",
            get(crate::okta_secrets::list).post(crate::okta_secrets::create),
        )
        .route(
            "/api/v1/apps/{app}/credentials/secrets/{secret}",
            axum::routing::delete(crate::okta_secrets::delete),
        )
        .route(
            "/api/v1/apps/{app}/credentials/secrets/{secret}/lifecycle/{action}",
            axum::routing::post(crate::okta_secrets::lifecycle),
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
        .route("/api/v1", any(no_endpoint))
        .route("/api/v1/", any(no_endpoint))
        .route("/api/v1/{*rest}", any(no_endpoint))
        .method_not_allowed_fallback(|| async {
            api_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "E0000022",
                "The endpoint does not support the provided HTTP method",
            )
        })
        .layer(axum::middleware::from_fn_with_state(org.clone(), gate))
        .with_state(org)
}

async fn no_endpoint() -> Response {
    api_error(
        StatusCode::NOT_FOUND,
        "E0000022",
        "The endpoint does not exist.",
    )
}

/// Every `/api/v1` call passes here: recorded, counted against its family's rate limit, checked
/// as Okta checks it, answered, given the rate-limit headers, and its final status recorded.
async fn gate(State(org): State<Shared>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let call = ApiCall {
        method: request.method().to_string(),
        target: request
            .uri()
            .path_and_query()
            .map_or_else(|| path.clone(), |target| target.as_str().to_owned()),
        origin: request
            .headers()
            .get(header::ORIGIN)
            .map(|origin| String::from_utf8_lossy(origin.as_bytes()).into_owned()),
        status: 0,
        by_console: from_console_script(request.headers()),
        next: None,
    };
    let (index, rate, admitted) = {
        let mut org = lock(&org);
        let index = org.requests.len();
        org.requests.push(call);
        let rate = org.count(family_of(&path));
        let admitted = org.admit(&path, request.headers(), &rate);
        (index, rate, admitted)
    };
    let mut response = match admitted {
        Admission::Refused(answer) => answer,
        Admission::Pass => next.run(request).await,
        Admission::ForeignLink => {
            let mut response = next.run(request).await;
            point_next_elsewhere(&mut response);
            response
        }
        Admission::Hang => {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            next.run(request).await
        }
    };
    rate.apply(&mut response);
    let next = link_of(response.headers(), "next");
    if let Some(call) = lock(&org).requests.get_mut(index) {
        call.status = response.status().as_u16();
        call.next = next;
    }
    response
}

/// The URL of the `Link` header of relation `rel`, as sent (one header per relation).
fn link_of(headers: &HeaderMap, rel: &str) -> Option<String> {
    let param = format!("rel=\"{rel}\"");
    headers
        .get_all(header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|link| link.contains(&param))
        .and_then(|link| link.split(['<', '>']).nth(1))
        .map(str::to_owned)
}

/// The endpoint family a path's calls are counted in: the segment after `/api/v1/`.
fn family_of(path: &str) -> &str {
    path.strip_prefix("/api/v1/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
}

/// [`Fault::ForeignLink`]: the `rel="next"` of a list's `Link` headers moves to another host
/// (made from `rel="self"` on the last page).
fn point_next_elsewhere(response: &mut Response) {
    let links: Vec<String> = response
        .headers()
        .get_all(header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok().map(str::to_owned))
        .collect();
    let Some(url) =
        link_of(response.headers(), "next").or_else(|| link_of(response.headers(), "self"))
    else {
        return;
    };
    let path = url
        .strip_prefix("https://")
        .and_then(|rest| rest.find('/').map(|at| rest[at..].to_owned()))
        .unwrap_or(url);
    let headers = response.headers_mut();
    headers.remove(header::LINK);
    for link in links.iter().filter(|link| !link.contains("rel=\"next\"")) {
        if let Ok(value) = HeaderValue::from_str(link) {
            headers.append(header::LINK, value);
        }
    }
    if let Ok(value) =
        HeaderValue::from_str(&format!("<https://{FOREIGN_HOST}{path}>; rel=\"next\""))
    {
        headers.append(header::LINK, value);
    }
}

fn epoch_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
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

fn okta_error(status: StatusCode, (code, summary): (&str, &str)) -> Response {
    api_error(status, code, summary)
}

/// Okta's error for a bare status: 401 `E0000011`, 403 `E0000006`, 404 `E0000007`, 429
/// `E0000047`, anything else `E0000009`.
pub(crate) fn status_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let error = match status {
        StatusCode::UNAUTHORIZED => E0000011,
        StatusCode::FORBIDDEN => E0000006,
        StatusCode::NOT_FOUND => E0000007,
        StatusCode::TOO_MANY_REQUESTS => E0000047,
        _ => E0000009,
    };
    okta_error(status, error)
}

/// The request's `Host` without its port, as sent.
fn request_host(headers: &HeaderMap) -> Option<&str> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    Some(host.split(':').next().unwrap_or(host))
}

fn host_of(headers: &HeaderMap) -> String {
    request_host(headers)
        .unwrap_or(crate::server::ADMIN_HOST)
        .to_owned()
}

/// `https://{org domain}`: the org's own issuer, and where its API's `_links` point.
fn org_url(headers: &HeaderMap) -> String {
    format!("https://{}", host_of(headers).replace("-admin.", "."))
}

/// When the grants the demo org starts with were made.
const INITIAL_GRANTS_CREATED: &str = "2026-11-01T09:00:00.000Z";

/// A grant as Okta documents it (`OAuth2ScopeConsentGrant`), made at `created`; `org` is
/// `https://{org domain}`.
fn grant_json(
    app_id: &str,
    grant_id: &str,
    scope: &str,
    issuer: &str,
    org: &str,
    created: &str,
) -> Value {
    let base = format!("{org}/api/v1/apps/{app_id}");
    json!({
        "id": grant_id,
        "status": "ACTIVE",
        "created": created,
        "createdBy": {"id": ADMIN_USER_ID, "type": "User"},
        "lastUpdated": created,
        "issuer": issuer,
        "clientId": app_id,
        "scopeId": scope,
        "source": "ADMIN",
        "_links": {
            "app": {"href": base.clone(), "title": "Okta Workflows OAuth"},
            "self": {"href": format!("{base}/grants/{grant_id}"), "hints": {"allow": ["GET", "DELETE"]}},
            "client": {"href": format!("{org}/oauth2/v1/clients/{app_id}"), "title": "Okta Workflows OAuth"},
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
    page: Result<Query<Page>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let Ok(Query(page)) = page else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: limit",
        );
    };
    let mut org = lock(&org);
    let size = page.limit.unwrap_or(org.page_size).clamp(1, 200);
    let grants = org.grants_of(&app_id, &org_url(&headers)).clone();
    let start = match &page.after {
        Some(after) => {
            let Some(cursor) = org.cursors.get(after).filter(|c| c.app == app_id) else {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "E0000031",
                    "Invalid search criteria.",
                );
            };
            grants
                .iter()
                .position(|g| g["id"] == cursor.after.as_str())
                .map_or(cursor.position.min(grants.len()), |at| at + 1)
        }
        None => 0,
    };
    let slice: Vec<Value> = grants.iter().skip(start).take(size).cloned().collect();
    let base = format!("https://{}/api/v1/apps/{app_id}/grants", host_of(&headers));
    let mut links = vec![match &page.after {
        Some(after) => format!(
            "<{base}?after={}&limit={size}>; rel=\"self\"",
            percent_encode_cursor(after)
        ),
        None => format!("<{base}?limit={size}>; rel=\"self\""),
    }];
    if start + slice.len() < grants.len() {
        if let Some(last) = slice.last().and_then(|g| g["id"].as_str()) {
            // Opaque, as Okta's cursors are: a token the org maps to where the page ended.
            let token = base64_cursor();
            let encoded = percent_encode_cursor(&token);
            org.cursors.insert(
                token,
                Cursor {
                    app: app_id.clone(),
                    after: last.to_owned(),
                    position: start + slice.len(),
                },
            );
            links.push(format!(
                "<{base}?after={encoded}&limit={size}>; rel=\"next\""
            ));
        }
    }
    let mut response = Json(slice).into_response();
    // One header line per relation, as Okta sends them.
    for link in links {
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.headers_mut().append(header::LINK, value);
        }
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
        .grants_of(&app_id, &org_url(&headers))
        .iter()
        .find(|grant| grant["id"] == grant_id.as_str())
    {
        Some(grant) => Json(grant.clone()).into_response(),
        None => okta_error(StatusCode::NOT_FOUND, E0000007),
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
    body: Result<Json<NewGrant>, JsonRejection>,
    catalog: Arc<Vec<String>>,
) -> Response {
    let Ok(Json(new)) = body else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        );
    };
    let issuer = org_url(&headers);
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
    let grant_id = org.new_grant_id();
    let grants = org.grants_of(&app_id, &issuer);
    if grants.iter().any(|grant| {
        grant["scopeId"] == new.scope_id.as_str() && grant["issuer"] == issuer.as_str()
    }) {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: scopeId is already granted",
        );
    }
    let grant = grant_json(
        &app_id,
        &grant_id,
        &new.scope_id,
        &issuer,
        &issuer,
        &crate::okta_log::now_iso(),
    );
    grants.push(grant.clone());
    (StatusCode::CREATED, Json(grant)).into_response()
}

async fn delete_grant(
    State(org): State<Shared>,
    UrlPath((app_id, grant_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut org = lock(&org);
    let grants = org.grants_of(&app_id, &org_url(&headers));
    let before = grants.len();
    grants.retain(|grant| grant["id"] != grant_id.as_str());
    if grants.len() == before {
        return okta_error(StatusCode::NOT_FOUND, E0000007);
    }
    StatusCode::NO_CONTENT.into_response()
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

/// The demo admin's roles. Listing roles takes a super admin (or a role with the permission to
/// view roles, which the demo's other admins lack): anyone else gets 403 `E0000006`.
async fn roles(State(org): State<Shared>, UrlPath(user): UrlPath<String>) -> Response {
    if !lock(&org).super_admin {
        return okta_error(StatusCode::FORBIDDEN, E0000006);
    }
    if user != ADMIN_USER_ID {
        return okta_error(StatusCode::NOT_FOUND, E0000007);
    }
    Json(json!([{
        "id": "IFIFAX2BIRGUSTQ", "label": "Super Administrator", "type": "SUPER_ADMIN", "status": "ACTIVE",
        "created": "2026-01-01T00:00:00.000Z", "lastUpdated": "2026-01-01T00:00:00.000Z",
        "assignmentType": "USER",
    }]))
    .into_response()
}

#[derive(Deserialize)]
struct AppFilter {
    filter: Option<String>,
}

/// An app in the documented shape.
fn app_json(host: &str, (id, name, label): &(String, String, String)) -> Value {
    json!({
        "id": id, "name": name, "label": label, "status": "ACTIVE", "signOnMode": "OPENID_CONNECT",
        "created": "2026-01-01T00:00:00.000Z", "lastUpdated": "2026-01-01T00:00:00.000Z",
        "_links": {"self": {"href": format!("https://{host}/api/v1/apps/{id}")}},
    })
}

async fn list_apps(
    State(org): State<Shared>,
    filter: Result<Query<AppFilter>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let Ok(Query(filter)) = filter else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "E0000031",
            "Invalid search criteria.",
        );
    };
    let host = host_of(&headers);
    let wanted = filter
        .filter
        .as_deref()
        .and_then(|f| f.strip_prefix("name eq \""))
        .and_then(|f| f.strip_suffix('"'));
    let listed: Vec<Value> = lock(&org)
        .apps
        .iter()
        .filter(|(_, name, _)| wanted.is_none_or(|wanted| name == wanted))
        .map(|app| app_json(&host, app))
        .collect();
    Json(listed).into_response()
}

async fn get_app(
    State(org): State<Shared>,
    UrlPath(app_id): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let org = lock(&org);
    match org.apps.iter().find(|(id, _, _)| *id == app_id) {
        Some(app) => Json(app_json(&host_of(&headers), app)).into_response(),
        None => okta_error(StatusCode::NOT_FOUND, E0000007),
    }
}

async fn app_user(
    State(org): State<Shared>,
    UrlPath((app, user)): UrlPath<(String, String)>,
) -> Response {
    let assigned = {
        let org = lock(&org);
        org.assigned
            && org
                .apps
                .iter()
                .any(|(id, name, _)| *id == app && name == "flow")
    };
    if !assigned || user != ADMIN_USER_ID {
        return okta_error(StatusCode::NOT_FOUND, E0000007);
    }
    Json(json!({
        "id": ADMIN_USER_ID, "scope": "USER", "status": "ACTIVE", "syncState": "DISABLED",
        "created": "2026-01-01T00:00:00.000Z",
        "credentials": {"userName": "avery.admin@acme.example"},
    }))
    .into_response()
}

/// `GET /.well-known/okta-organization`: the org's metadata as Okta documents it
/// (`WellKnownOrgMetadata`), on the org and admin hosts, without a session, readable from any
/// origin (`Access-Control-Allow-Origin: *`).
pub(crate) fn org_metadata(org: &Shared, headers: &HeaderMap) -> Response {
    let (classic, fault) = {
        let org = lock(org);
        (org.classic, org.metadata_fault)
    };
    let mut response = match fault {
        MetadataFault::Status(status) => status_error(status),
        MetadataFault::Garbled => Json(json!({"unexpected": true})).into_response(),
        MetadataFault::None => Json(json!({
            "id": ORG_ID,
            "pipeline": if classic { "v1" } else { "idx" },
            "settings": {
                "analyticsCollectionEnabled": false,
                "bugReportingEnabled": true,
                "omEnabled": false,
            },
            "_links": {"organization": {"href": org_url(headers)}},
        }))
        .into_response(),
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
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
