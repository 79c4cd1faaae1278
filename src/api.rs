//! Okta's management API on the wire, as the helper uses it: the requests it makes, the rule for
//! which requests may leave at all, the documented response shapes, the failures as Okta defines
//! them, and pagination. No I/O here: the overlay hands each request to the page agent, which
//! carries it from the Admin Console page's own origin (see [`crate::message::ApiFetch`]), and
//! hands the answer back to these functions.
//!
//! Reading is one-sided, like the page check: a response counts only when it has the documented
//! shape. Only the fields Okta's spec requires are required (a grant's `scopeId` and `issuer`, a
//! role's `type`); extra fields are ignored. A body of another shape, an unknown status or a
//! missing field is a [`Failure`], never a pass.

use crate::credentials::Secret;
use crate::message::{ApiHeaders, HttpMethod};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Internal name of the "Okta Workflows OAuth" app, in URLs and in the apps API.
pub const WORKFLOWS_OAUTH_APP_NAME: &str = "flow";
/// The role an admin needs to connect Okta Workflows' Okta connectors.
pub const SUPER_ADMIN: &str = "SUPER_ADMIN";
/// Where every request the helper makes starts: the org's management API.
pub const API_PREFIX: &str = "/api/v1/";
/// The System Log event Okta records whenever a client secret is read.
pub const SECRET_READ_EVENT: &str = "app.oauth2.client.read_client_secret";

/// What the panel says before any read that brings a client secret's value through Okta's API
/// (the capture's, the rotation's list, its re-read): Okta records it, under the event the org's
/// admins can find it by. One sentence, so every such question says it alike.
pub fn secret_read_note() -> String {
    format!("Okta records every secret read in the org's System Log (event {SECRET_READ_EVENT}).")
}

/// A request the helper makes of the org's `/api/v1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiRequest {
    /// One app, by the id in the page's URL.
    App {
        /// The app.
        app_id: String,
    },
    /// The Okta Workflows OAuth apps (`name eq "flow"`), for pages without an app id.
    FindWorkflowsApp,
    /// One page of an app's scope grants.
    Grants {
        /// The app.
        app_id: String,
        /// The path and query of the `next` link that leads to this page, as Okta gave it (an
        /// opaque value, checked by [`page_path`]); `None` for the first page.
        page: Option<String>,
    },
    /// Grants one scope to an app.
    CreateGrant {
        /// The app.
        app_id: String,
        /// What to grant.
        grant: NewGrant,
    },
    /// The signed-in user.
    Me,
    /// The roles assigned to a user.
    Roles {
        /// The user.
        user_id: String,
    },
    /// Whether a user is assigned to an app (404 when not).
    AppUser {
        /// The app.
        app_id: String,
        /// The user.
        user_id: String,
    },
    /// One page of a System Log search.
    Logs {
        /// The first page's path and query ([`crate::diagnose::LogQuery::path`]), or the path
        /// and query of the `next` link that leads to a later page, checked by [`page_path`].
        page: String,
    },
    /// Creates a new client secret for an app (a rotation's first step).
    CreateSecret {
        /// The app.
        app_id: String,
    },
    /// Deactivates one of an app's client secrets (a rotation's last step; never a delete).
    DeactivateSecret {
        /// The app.
        app_id: String,
        /// The secret.
        secret_id: String,
    },
    /// An app's client secrets.
    ClientSecrets {
        /// The app.
        app_id: String,
    },
}

impl ApiRequest {
    /// The HTTP method.
    pub fn method(&self) -> HttpMethod {
        match self {
            ApiRequest::CreateGrant { .. }
            | ApiRequest::CreateSecret { .. }
            | ApiRequest::DeactivateSecret { .. } => HttpMethod::Post,
            _ => HttpMethod::Get,
        }
    }

    /// The path and query, relative to the org's Admin Console, if every id in it is an Okta id
    /// and the whole passes [`allowed_path`]; `None` means the request must not be sent.
    pub fn path(&self) -> Option<String> {
        let ids = |ids: &[&str]| ids.iter().all(|id| is_okta_id(id));
        let path = match self {
            ApiRequest::App { app_id } if ids(&[app_id]) => format!("{API_PREFIX}apps/{app_id}"),
            ApiRequest::FindWorkflowsApp => {
                format!("{API_PREFIX}apps?filter=name%20eq%20%22{WORKFLOWS_OAUTH_APP_NAME}%22")
            }
            ApiRequest::Grants { app_id, page } if ids(&[app_id]) => match page {
                Some(page) => page.clone(),
                None => format!("{API_PREFIX}apps/{app_id}/grants"),
            },
            ApiRequest::CreateGrant { app_id, .. } if ids(&[app_id]) => {
                format!("{API_PREFIX}apps/{app_id}/grants")
            }
            ApiRequest::Me => format!("{API_PREFIX}users/me"),
            ApiRequest::Roles { user_id } if ids(&[user_id]) => {
                format!("{API_PREFIX}users/{user_id}/roles")
            }
            ApiRequest::AppUser { app_id, user_id } if ids(&[app_id, user_id]) => {
                format!("{API_PREFIX}apps/{app_id}/users/{user_id}")
            }
            ApiRequest::ClientSecrets { app_id } if ids(&[app_id]) => {
                format!("{API_PREFIX}apps/{app_id}/credentials/secrets")
            }
            ApiRequest::Logs { page } if page.starts_with("/api/v1/logs?") => page.clone(),
            ApiRequest::CreateSecret { app_id } if ids(&[app_id]) => {
                format!("{API_PREFIX}apps/{app_id}/credentials/secrets")
            }
            ApiRequest::DeactivateSecret { app_id, secret_id } if ids(&[app_id, secret_id]) => {
                format!(
                    "{API_PREFIX}apps/{app_id}/credentials/secrets/{secret_id}/lifecycle/deactivate"
                )
            }
            _ => return None,
        };
        allowed_path(&path).then_some(path)
    }

    /// The JSON body, for the requests that have one.
    pub fn body(&self) -> Option<RequestBody<'_>> {
        match self {
            ApiRequest::CreateGrant { grant, .. } => Some(RequestBody::Grant(grant)),
            // Okta generates the secret when the body names none.
            ApiRequest::CreateSecret { .. } => Some(RequestBody::Empty),
            _ => None,
        }
    }

    /// The permission the request needs, in the scope names of Okta's management API spec, to
    /// name it when Okta refuses with `E0000006`.
    pub fn permission(&self) -> &'static str {
        match self {
            ApiRequest::App { .. }
            | ApiRequest::FindWorkflowsApp
            | ApiRequest::AppUser { .. }
            | ApiRequest::ClientSecrets { .. } => "okta.apps.read",
            ApiRequest::CreateSecret { .. } | ApiRequest::DeactivateSecret { .. } => {
                "okta.apps.manage"
            }
            ApiRequest::Grants { .. } => "okta.appGrants.read",
            ApiRequest::CreateGrant { .. } => "okta.appGrants.manage",
            ApiRequest::Me => "okta.users.read.self",
            ApiRequest::Roles { .. } => "okta.roles.read",
            ApiRequest::Logs { .. } => crate::diagnose::LOGS_PERMISSION,
        }
    }
}

/// Whether `id` looks like an Okta object id (letters and digits), so that it can go into a path
/// without changing the path's meaning.
pub fn is_okta_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether a path and query may be sent to the org at all: under `/api/v1/`, in plain URL
/// characters, with no fragment or backslash, and a path with no dot segments, empty segments,
/// or encoded dots, slashes or backslashes, so that no browser's URL parser and no server's
/// router can read it as another path. The page agent enforces the same rule (by checking that
/// the browser's parser leaves the path unchanged) before it sends anything.
///
/// The query may hold encoded dots, slashes and backslashes: no router decodes a query into
/// path segments, and Okta's opaque `after` cursors, often base64, carry `%2F` in the `next`
/// links the helper must follow as given. It may not hold a bare `'`, which browsers' URL parsers
/// encode in a query (and so the agent would refuse the request as changed).
pub fn allowed_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix(API_PREFIX) else {
        return false;
    };
    let (route, query) = rest.split_once('?').unwrap_or((rest, ""));
    let plain = |text: &str, extra: &[u8]| {
        text.bytes().all(|b| {
            b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:@".contains(&b) || extra.contains(&b)
        })
    };
    let route_lower = route.to_ascii_lowercase();
    path.len() <= 2048
        && !route.is_empty()
        && plain(route, b"/")
        && plain(query, b"/?")
        && !query.contains('\'')
        && route
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
        && ["%2e", "%2f", "%5c"]
            .iter()
            .all(|encoded| !route_lower.contains(encoded))
}

/// The JSON body of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestBody<'a> {
    /// A new grant.
    Grant(&'a NewGrant),
    /// `{}`.
    Empty,
}

/// The body of a new grant: `{"scopeId": …, "issuer": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewGrant {
    /// The scope.
    pub scope_id: String,
    /// The org's issuer URL.
    pub issuer: String,
}

/// A scope consent grant (`/api/v1/apps/{appId}/grants`). Okta's spec requires `scopeId` and
/// `issuer`; the rest is read when present.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// The scope granted.
    pub scope_id: String,
    /// The authorization server it is granted for, `https://{org domain}` for the org's own.
    pub issuer: String,
    /// The grant id, needed to revoke it.
    #[serde(default)]
    pub id: Option<String>,
    /// `ACTIVE` or `REVOKED`; a listed grant without a status is taken as active.
    #[serde(default)]
    pub status: Option<String>,
    /// When it was made, ISO 8601.
    #[serde(default)]
    pub created: Option<String>,
}

impl Grant {
    /// Whether the grant is in force: listed, and not marked otherwise than `ACTIVE`.
    pub fn is_active(&self) -> bool {
        self.status
            .as_deref()
            .is_none_or(|status| status == "ACTIVE")
    }
}

/// An error body (`errorCode`, `errorSummary`, `errorId`, `errorCauses`). Only the code is
/// required: it is what the failure is classified by.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// E.g. `E0000006`.
    pub error_code: String,
    /// What went wrong, in Okta's words.
    #[serde(default)]
    pub error_summary: String,
    /// Okta's id of this occurrence, for support.
    #[serde(default)]
    pub error_id: Option<String>,
    /// More detail, if any.
    #[serde(default)]
    pub error_causes: Vec<ErrorCause>,
}

/// One cause of an [`ApiError`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCause {
    /// The cause, in Okta's words.
    pub error_summary: String,
}

/// A role assignment (`/api/v1/users/{userId}/roles`): `type` is required.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RoleAssignment {
    /// The role, e.g. `SUPER_ADMIN`.
    #[serde(rename = "type")]
    pub role: String,
    /// `ACTIVE` or `INACTIVE`; an assignment without a status is taken as active.
    #[serde(default)]
    pub status: Option<String>,
}

/// The signed-in user (`/api/v1/users/me`): only the id is used.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    /// The user id.
    pub id: String,
}

/// An app (`/api/v1/apps`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct App {
    /// The app id (for OIDC apps, also the client id).
    pub id: String,
    /// The app's internal name, `flow` for Okta Workflows OAuth.
    pub name: String,
    /// `ACTIVE` or `INACTIVE`.
    #[serde(default)]
    pub status: Option<String>,
}

/// An app's assignment to a user (`/api/v1/apps/{appId}/users/{userId}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppUser {
    /// The user id.
    pub id: String,
}

/// A client secret (`/api/v1/apps/{appId}/credentials/secrets`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClientSecret {
    /// Okta's id of the secret, for its lifecycle calls.
    #[serde(default)]
    pub id: Option<String>,
    /// `ACTIVE` or `INACTIVE`.
    pub status: String,
    /// The secret.
    pub client_secret: Secret,
    /// When it was made, ISO 8601.
    #[serde(default)]
    pub created: Option<String>,
}

/// Why an API call gave no usable answer, in terms the admin can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// `E0000005` (a 403), or a 401: the console session is over.
    SessionExpired,
    /// `E0000006`: the admin lacks a permission.
    Forbidden {
        /// The permission the request needs, in Okta's scope names.
        permission: &'static str,
        /// Okta's own words, when it gave some.
        summary: Option<String>,
    },
    /// `E0000212`: Okta refused the request's origin.
    OriginRefused,
    /// `E0000007`, or a 404.
    NotFound,
    /// `E0000047`, or a 429: too many calls; `reset_at` is when the limit resets (seconds since
    /// the epoch).
    RateLimited {
        /// From `X-Rate-Limit-Reset`.
        reset_at: Option<u64>,
    },
    /// Any other error code Okta gave: its code and its own words.
    Okta {
        /// The HTTP status.
        status: u16,
        /// E.g. `E0000031`.
        code: String,
        /// Okta's `errorSummary`.
        summary: String,
    },
    /// A 5xx without an error body of Okta's.
    Server {
        /// The status.
        status: u16,
    },
    /// A `next` link that leaves the Admin Console host; it was not followed.
    ForeignLink {
        /// Where it pointed.
        host: String,
    },
    /// The page has no XSRF token to send with the request.
    NoToken,
    /// The request was not sent: why.
    NotSent(&'static str),
    /// No answer at all, or one the page agent could not carry.
    Network(String),
    /// An answer of a shape the helper does not know.
    Unexpected(String),
}

impl Failure {
    /// Whether Okta's answer means "wait for the rate limit to reset".
    pub fn is_rate_limit(&self) -> bool {
        matches!(self, Failure::RateLimited { .. })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::SessionExpired => f.write_str("Your console session expired. Reload the page and sign in again, then try again."),
            Failure::Forbidden { permission, summary } => write!(
                f,
                "Okta refused: {} (E0000006). This call needs the {permission} permission. Granting scopes is a Super Administrator action: ask a super admin.",
                summary.as_deref().unwrap_or("permission denied")
            ),
            Failure::OriginRefused => f.write_str(
                "Okta refused the request's origin (E0000212, origin validation failed). The helper sends its calls from the console page itself, so this should not happen: reload the page and try again.",
            ),
            Failure::NotFound => f.write_str("Okta did not find it."),
            // Shown only once the helper has waited for the reset and asked once more.
            Failure::RateLimited { .. } => f.write_str(
                "Okta's rate limit for this org was reached (E0000047), and was reached again after the helper waited for it to reset. Try again in a minute.",
            ),
            Failure::Okta { status, code, summary } => {
                write!(f, "Okta answered {code}: \u{201c}{summary}\u{201d}")?;
                if *status >= 500 {
                    write!(f, " ({status}). The checklist shows what the page says; try again later.")
                } else {
                    f.write_str(".")
                }
            }
            Failure::Server { status } => write!(
                f,
                "Okta's API answered with an error ({status}). The checklist shows what the page says; try again later."
            ),
            Failure::ForeignLink { host } => write!(
                f,
                "Okta's answer pointed its next page at {host}, not this Admin Console; the helper did not follow it and does not trust the list."
            ),
            Failure::NoToken => f.write_str(
                "Could not read the console's XSRF token from the page, so the helper cannot ask Okta's API. Reload the page.",
            ),
            Failure::NotSent(why) => write!(f, "The helper did not ask Okta's API: {why}."),
            Failure::Network(why) => write!(
                f,
                "Could not reach Okta's API ({why}). The checklist shows what the page says."
            ),
            Failure::Unexpected(what) => write!(
                f,
                "Okta's API answered in an unexpected shape ({what}); the helper does not trust it."
            ),
        }
    }
}

/// The failure an answer means, if it is not a success: by Okta's `errorCode` first, then by
/// the HTTP status.
pub fn classify(
    request: &ApiRequest,
    status: u16,
    headers: &ApiHeaders,
    error: Option<ApiError>,
) -> Option<Failure> {
    if (200..=299).contains(&status) {
        return None;
    }
    let reset_at = || {
        headers
            .rate_limit_reset
            .as_deref()
            .and_then(|reset| reset.trim().parse().ok())
    };
    let summary = error
        .as_ref()
        .map(|error| error.error_summary.clone())
        .filter(|summary| !summary.is_empty());
    Some(
        match error.as_ref().map(|error| error.error_code.as_str()) {
            Some("E0000005") => Failure::SessionExpired,
            Some("E0000006") => Failure::Forbidden {
                permission: request.permission(),
                summary,
            },
            Some("E0000212") => Failure::OriginRefused,
            Some("E0000047") => Failure::RateLimited {
                reset_at: reset_at(),
            },
            Some("E0000007") => Failure::NotFound,
            // A 401 is the end of the session whatever the code (the console has no other tokens).
            _ if status == 401 => Failure::SessionExpired,
            Some(code) => Failure::Okta {
                status,
                code: code.to_owned(),
                summary: summary.unwrap_or_default(),
            },
            None => match status {
                403 => Failure::Forbidden {
                    permission: request.permission(),
                    summary: None,
                },
                404 => Failure::NotFound,
                429 => Failure::RateLimited {
                    reset_at: reset_at(),
                },
                500..=599 => Failure::Server { status },
                other => Failure::Unexpected(format!("status {other}")),
            },
        },
    )
}

/// How long to wait, once, before retrying a rate-limited call: until the reset, at least one
/// second and at most one minute. `now` is seconds since the epoch.
pub fn rate_limit_wait_seconds(reset_at: Option<u64>, now: u64) -> u64 {
    reset_at
        .map_or(1, |reset| reset.saturating_sub(now))
        .clamp(1, 60)
}

/// The URL of the `rel="next"` link in a `Link` header, if there is one. The header may hold
/// several links, and several headers arrive joined by commas; URLs are read between `<` and `>`,
/// so commas inside them do no harm. A header that cannot be read gives no next link.
pub fn next_link(header: Option<&str>) -> Option<String> {
    let mut rest = header?;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let (url, after) = rest.strip_prefix('<')?.split_once('>')?;
        // The link's parameters run to the next comma outside quotes.
        let mut quoted = false;
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '"';
                c == ',' && !quoted
            })
            .map_or(after.len(), |(at, _)| at);
        let is_next = after[..end].split(';').any(|param| {
            param.split_once('=').is_some_and(|(name, value)| {
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(url.trim().to_owned());
        }
        rest = &after[end..];
    }
}

/// The path and query of a `next` link, to follow as Okta gave it, once it is known to stay on
/// the Admin Console host the helper is on: `https://{admin_host}/api/v1/…` exactly, with no
/// port, no credentials and no other host.
pub fn page_path(admin_host: &str, url: &str) -> Result<String, Failure> {
    let foreign = |host: &str| Failure::ForeignLink {
        host: host.to_owned(),
    };
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(foreign(url.split('/').next().unwrap_or(url)));
    };
    let (authority, path) = rest
        .find('/')
        .map_or((rest, ""), |at| (&rest[..at], &rest[at..]));
    if !authority.eq_ignore_ascii_case(admin_host) {
        return Err(foreign(authority));
    }
    if allowed_path(path) {
        Ok(path.to_owned())
    } else {
        Err(Failure::Unexpected(
            "a next-page link the helper may not follow".to_owned(),
        ))
    }
}

// The fixtures are Okta's documented examples; they are parsed natively with serde_json.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    pub(crate) fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, String> {
        let path = format!("{}/tests/fixtures/okta/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    fn grants_request() -> ApiRequest {
        ApiRequest::Grants {
            app_id: "0oa1".into(),
            page: None,
        }
    }

    fn headers(reset: Option<&str>) -> ApiHeaders {
        ApiHeaders {
            rate_limit_reset: reset.map(str::to_owned),
            ..ApiHeaders::default()
        }
    }

    #[test]
    fn every_documented_shape_parses() {
        let mut grants: Vec<Grant> = fixture("grants-page-1.json").expect("page 1");
        grants.extend(fixture::<Vec<Grant>>("grants-page-2.json").expect("page 2"));
        assert_eq!(grants.len(), 3);
        assert_eq!(grants[2].scope_id, "okta.devices.manage");
        assert!(grants.iter().all(Grant::is_active));
        let error: ApiError = fixture("error-403.json").expect("error");
        assert_eq!(error.error_code, "E0000006");
        let cause: ApiError = fixture("error-400-cause.json").expect("error");
        assert!(cause.error_causes[0]
            .error_summary
            .contains("okta.devices.mange"));
        let roles: Vec<RoleAssignment> = fixture("roles-super-admin.json").expect("roles");
        assert_eq!(roles[0].role, SUPER_ADMIN);
        let me: User = fixture("user-me.json").expect("user");
        assert_eq!(me.id, "00u1demoadmin000000a");
        let apps: Vec<App> = fixture("apps-flow.json").expect("apps");
        assert_eq!(apps[0].name, WORKFLOWS_OAUTH_APP_NAME);
        let assigned: AppUser = fixture("app-user.json").expect("app user");
        assert_eq!(assigned.id, "00u1demoadmin000000a");
        let secrets: Vec<ClientSecret> = fixture("client-secrets.json").expect("secrets");
        assert_eq!(secrets[1].status, "ACTIVE");
    }

    /// JSON has no comments, so the folder's README names where each fixture comes from: a
    /// fixture added without its row fails here.
    #[test]
    fn every_fixture_has_its_source_in_the_readme() {
        let dir = format!("{}/tests/fixtures/okta", env!("CARGO_MANIFEST_DIR"));
        let readme = std::fs::read_to_string(format!("{dir}/README.md")).expect("the README");
        let fixtures: Vec<String> = std::fs::read_dir(&dir)
            .expect("the fixtures")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name != "README.md")
            .collect();
        assert!(
            fixtures.contains(&"error-403-origin.json".to_owned()),
            "{fixtures:?}"
        );
        for name in &fixtures {
            let source = readme
                .lines()
                .find_map(|line| line.strip_prefix(&format!("| `{name}` |")))
                .map(|rest| rest.trim_end().trim_end_matches('|').trim());
            assert!(
                source.is_some_and(|source| source.len() > 20),
                "{name} has no source in {dir}/README.md"
            );
        }
    }

    #[test]
    fn only_the_fields_the_spec_requires_are_required() {
        let grant: Grant = serde_json::from_str(
            r#"{"scopeId": "okta.devices.manage", "issuer": "https://acme.okta.com", "newField": [1]}"#,
        )
        .expect("a grant with only the required fields");
        assert!(grant.is_active());
        assert_eq!(grant.id, None);
        let role: RoleAssignment =
            serde_json::from_str(r#"{"type": "SUPER_ADMIN"}"#).expect("a role with only its type");
        assert_eq!(role.status, None);
        let error: ApiError =
            serde_json::from_str(r#"{"errorCode": "E0000005"}"#).expect("an error with a code");
        assert_eq!(error.error_summary, "");
        for bad in [
            r#"[{"id": "oag1", "scopeId": "okta.devices.manage"}]"#,
            r#"[{"id": "oag1", "issuer": "https://acme.okta.com"}]"#,
            r#"[{"scopeId": 3, "issuer": "https://acme.okta.com"}]"#,
            r#"{"grants": []}"#,
            "null",
        ] {
            assert!(serde_json::from_str::<Vec<Grant>>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Vec<RoleAssignment>>(r#"[{"status": "ACTIVE"}]"#).is_err());
        assert!(serde_json::from_str::<ApiError>(r#"{"error": "nope"}"#).is_err());
        let revoked: Grant = serde_json::from_str(
            r#"{"scopeId": "okta.devices.manage", "issuer": "https://acme.okta.com", "status": "REVOKED"}"#,
        )
        .expect("a revoked grant");
        assert!(!revoked.is_active());
    }

    #[test]
    fn requests_build_only_allowed_paths() {
        assert_eq!(
            ApiRequest::FindWorkflowsApp.path().as_deref(),
            Some("/api/v1/apps?filter=name%20eq%20%22flow%22")
        );
        assert_eq!(
            grants_request().path().as_deref(),
            Some("/api/v1/apps/0oa1/grants")
        );
        assert_eq!(
            ApiRequest::App {
                app_id: "0oa1".into()
            }
            .path()
            .as_deref(),
            Some("/api/v1/apps/0oa1")
        );
        assert_eq!(
            ApiRequest::Roles {
                user_id: "00u1".into()
            }
            .path()
            .as_deref(),
            Some("/api/v1/users/00u1/roles")
        );
        assert_eq!(grants_request().method(), HttpMethod::Get);
        let create = ApiRequest::CreateGrant {
            app_id: "0oa1".into(),
            grant: NewGrant {
                scope_id: "okta.devices.manage".into(),
                issuer: "https://acme.okta.com".into(),
            },
        };
        assert_eq!(create.method(), HttpMethod::Post);
        assert!(create.body().is_some());
        // Ids that would change the path's meaning are never put into one.
        for id in [
            "../users",
            "0oa1/../../x",
            "0oa1?x=1",
            "",
            "0oa 1",
            "0oa%2f1",
        ] {
            let request = ApiRequest::ClientSecrets { app_id: id.into() };
            assert_eq!(request.path(), None, "{id}");
        }
        // A page path from a Link header is followed as given, if it passes the allow-list.
        let page = ApiRequest::Grants {
            app_id: "0oa1".into(),
            page: Some("/api/v1/apps/0oa1/grants?after=c%2Bx&limit=20".into()),
        };
        assert_eq!(
            page.path().as_deref(),
            Some("/api/v1/apps/0oa1/grants?after=c%2Bx&limit=20")
        );
        let encoded_slash = ApiRequest::Grants {
            app_id: "0oa1".into(),
            page: Some("/api/v1/apps/0oa1/grants?after=c%2Fx&limit=20".into()),
        };
        assert_eq!(
            encoded_slash.path().as_deref(),
            Some("/api/v1/apps/0oa1/grants?after=c%2Fx&limit=20")
        );
        // A rotation creates with an empty body and deactivates by id; it never deletes.
        let new_secret = ApiRequest::CreateSecret {
            app_id: "0oa1".into(),
        };
        assert_eq!(new_secret.method(), HttpMethod::Post);
        assert_eq!(new_secret.body(), Some(RequestBody::Empty));
        assert_eq!(
            new_secret.path().as_deref(),
            Some("/api/v1/apps/0oa1/credentials/secrets")
        );
        let deactivate = |secret_id: &str| ApiRequest::DeactivateSecret {
            app_id: "0oa1".into(),
            secret_id: secret_id.into(),
        };
        assert_eq!(
            deactivate("ocs1").path().as_deref(),
            Some("/api/v1/apps/0oa1/credentials/secrets/ocs1/lifecycle/deactivate")
        );
        assert_eq!(deactivate("ocs1").method(), HttpMethod::Post);
        assert_eq!(deactivate("ocs1").body(), None);
        assert_eq!(deactivate("../../grants").path(), None);
        // The log's pages are only ever the log's.
        let logs = |page: &str| ApiRequest::Logs { page: page.into() }.path();
        assert!(logs("/api/v1/logs?since=2026-11-28T00%3A00%3A00.000Z").is_some());
        assert_eq!(logs("/api/v1/users/me?x=1"), None);
        assert_eq!(logs("/api/v1/logs/../users"), None);
    }

    #[test]
    fn the_allow_list_admits_only_plain_api_paths() {
        for good in [
            "/api/v1/users/me",
            "/api/v1/apps?filter=name%20eq%20%22flow%22",
            "/api/v1/apps/0oa1/grants?after=abc_-.~&limit=20",
            "/api/v1/logs?since=2026-11-28T00:00:00Z",
            // Encoded slashes, dots and backslashes in the query are a cursor's, not the path's.
            "/api/v1/apps/0oa1/grants?after=YWJj%2FZGVm%2BZw%3D%3D&limit=20",
            "/api/v1/apps/0oa1/grants?after=a%2fb%2E%2e%5Cc%5c",
        ] {
            assert!(allowed_path(good), "{good}");
        }
        for bad in [
            "/api/v1/",
            "/api/v2/users/me",
            "/admin/app/flow",
            "api/v1/users/me",
            "https://evil.example/api/v1/users/me",
            "//evil.example/api/v1/users/me",
            "/api/v1/../admin",
            "/api/v1/users/./me",
            "/api/v1/users//me",
            "/api/v1/users/%2e%2e/admin",
            "/api/v1/users/%2E%2E/admin",
            "/api/v1/users%2fme",
            "/api/v1/users%2Fme",
            "/api/v1/users/me%5cx",
            "/api/v1/users/me%5C..%5Cx",
            // The query does not make an encoded path safe.
            "/api/v1/users%2fme?after=x",
            "/api/v1/users/%2e%2e?after=a%2Fb",
            // Nor does it admit what is refused everywhere.
            "/api/v1/apps?after=a\\b",
            "/api/v1/apps?after=a#b",
            // The browser would send it as %27: the agent refuses what its parser changes.
            "/api/v1/apps?after=it's",
            "/api/v1/apps?after=a b",
            "/api/v1/users\\me",
            "/api/v1/users/me#x",
            "/api/v1/users/me ",
            "/api/v1/users/m\u{e9}",
            "/api/v1/users/me\n",
        ] {
            assert!(!allowed_path(bad), "{bad:?}");
        }
        assert!(!allowed_path(&format!("/api/v1/{}", "a".repeat(2048))));
    }

    #[test]
    fn failures_are_classified_by_oktas_error_code_first() {
        let grants = grants_request();
        let none = ApiHeaders::default();
        assert_eq!(classify(&grants, 200, &none, None), None);
        let expired: ApiError = fixture("error-403-invalid-session.json").expect("E0000005");
        assert_eq!(
            classify(&grants, 403, &none, Some(expired)),
            Some(Failure::SessionExpired)
        );
        assert_eq!(
            classify(&grants, 401, &none, None),
            Some(Failure::SessionExpired)
        );
        let forbidden = classify(&grants, 403, &none, fixture("error-403.json").ok())
            .expect("a failure")
            .to_string();
        assert!(forbidden.contains("okta.appGrants.read"), "{forbidden}");
        assert!(
            forbidden.contains("You do not have permission"),
            "{forbidden}"
        );
        assert!(forbidden.contains("Super Administrator"), "{forbidden}");
        let create = ApiRequest::CreateGrant {
            app_id: "0oa1".into(),
            grant: NewGrant {
                scope_id: "okta.devices.manage".into(),
                issuer: "https://acme.okta.com".into(),
            },
        };
        assert!(
            classify(&create, 403, &none, fixture("error-403.json").ok())
                .expect("a failure")
                .to_string()
                .contains("okta.appGrants.manage")
        );
        let roles = ApiRequest::Roles {
            user_id: "00u1".into(),
        };
        assert!(classify(&roles, 403, &none, None)
            .expect("a failure")
            .to_string()
            .contains("okta.roles.read"));
        let origin: ApiError = fixture("error-403-origin.json").expect("E0000212");
        let refused = classify(&grants, 403, &none, Some(origin)).expect("a failure");
        assert_eq!(refused, Failure::OriginRefused);
        assert!(refused.to_string().contains("origin"));
        assert_eq!(
            classify(
                &grants,
                429,
                &headers(Some("1795860000")),
                fixture("error-429.json").ok()
            ),
            Some(Failure::RateLimited {
                reset_at: Some(1_795_860_000)
            })
        );
        // The code decides, whatever the status says.
        assert!(
            classify(&grants, 400, &headers(None), fixture("error-429.json").ok())
                .is_some_and(|failure| failure.is_rate_limit())
        );
        let unknown: ApiError = fixture("error-400-cause.json").expect("E0000001");
        let quoted = classify(&create, 400, &none, Some(unknown))
            .expect("a failure")
            .to_string();
        assert_eq!(
            quoted,
            "Okta answered E0000001: \u{201c}Api validation failed: scopeId\u{201d}."
        );
        let server = classify(
            &grants,
            500,
            &none,
            serde_json::from_str(
                r#"{"errorCode": "E0000009", "errorSummary": "Internal Server Error"}"#,
            )
            .ok(),
        )
        .expect("a failure")
        .to_string();
        assert!(
            server.contains("E0000009")
                && server.contains("(500)")
                && server.contains("what the page says"),
            "{server}"
        );
        assert_eq!(
            classify(&grants, 503, &none, None),
            Some(Failure::Server { status: 503 })
        );
        assert_eq!(classify(&grants, 404, &none, None), Some(Failure::NotFound));
        assert!(matches!(
            classify(&grants, 302, &none, None),
            Some(Failure::Unexpected(_))
        ));
        assert_eq!(
            Failure::NotSent("the page agent refused the request").to_string(),
            "The helper did not ask Okta's API: the page agent refused the request."
        );
    }

    #[test]
    fn the_rate_limit_wait_is_bounded() {
        assert_eq!(
            rate_limit_wait_seconds(Some(1_795_860_005), 1_795_860_000),
            5
        );
        assert_eq!(rate_limit_wait_seconds(Some(1), 1_795_860_000), 1);
        assert_eq!(rate_limit_wait_seconds(None, 0), 1);
        assert_eq!(rate_limit_wait_seconds(Some(10_000), 0), 60);
    }

    #[test]
    fn link_headers_in_both_forms_give_the_next_url() {
        let one_header = "<https://acme-admin.okta.com/api/v1/apps/0oa1/grants?limit=2>; rel=\"self\", \
                          <https://acme-admin.okta.com/api/v1/apps/0oa1/grants?after=c%2B2&limit=2>; rel=\"next\"";
        assert_eq!(
            next_link(Some(one_header)).as_deref(),
            Some("https://acme-admin.okta.com/api/v1/apps/0oa1/grants?after=c%2B2&limit=2")
        );
        // Two `Link` headers arrive joined by ", ", in any order; a comma inside a URL is no
        // separator.
        let joined = "<https://acme-admin.okta.com/api/v1/apps?filter=a,b&after=x>; rel=next, \
                      <https://acme-admin.okta.com/api/v1/apps?limit=2>; title=\"a, b\"; rel=\"self\"";
        assert_eq!(
            next_link(Some(joined)).as_deref(),
            Some("https://acme-admin.okta.com/api/v1/apps?filter=a,b&after=x")
        );
        assert_eq!(
            next_link(Some("<https://x/api?limit=2>; rel=\"self\"")),
            None
        );
        assert_eq!(
            next_link(Some("<https://x/a>; rel=\"prev next\"")).as_deref(),
            Some("https://x/a")
        );
        assert_eq!(next_link(Some("garbage; rel=next")), None);
        assert_eq!(next_link(None), None);
    }

    #[test]
    fn next_links_are_followed_only_on_the_same_admin_host() {
        let host = "acme-admin.okta.com";
        assert_eq!(
            page_path(
                host,
                "https://acme-admin.okta.com/api/v1/apps/0oa1/grants?after=xyz&limit=20"
            ),
            Ok("/api/v1/apps/0oa1/grants?after=xyz&limit=20".to_owned())
        );
        assert_eq!(
            page_path(host, "https://ACME-ADMIN.okta.com/api/v1/apps/0oa1/grants"),
            Ok("/api/v1/apps/0oa1/grants".to_owned())
        );
        // A base64 cursor's encoded slash is followed as Okta gave it; in the path it is not.
        assert_eq!(
            page_path(
                host,
                "https://acme-admin.okta.com/api/v1/apps/0oa1/grants?after=YWJj%2FZA%3D%3D&limit=20"
            ),
            Ok("/api/v1/apps/0oa1/grants?after=YWJj%2FZA%3D%3D&limit=20".to_owned())
        );
        assert!(matches!(
            page_path(
                host,
                "https://acme-admin.okta.com/api/v1/apps/0oa1%2F..%2Fusers/grants?after=x"
            ),
            Err(Failure::Unexpected(_))
        ));
        for (url, to) in [
            (
                "https://evil.example/api/v1/apps/0oa1/grants",
                "evil.example",
            ),
            (
                "https://acme.okta.com/api/v1/apps/0oa1/grants",
                "acme.okta.com",
            ),
            (
                "https://acme-admin.okta.com.evil.example/api/v1/apps",
                "acme-admin.okta.com.evil.example",
            ),
            (
                "https://acme-admin.okta.com@evil.example/api/v1/apps",
                "acme-admin.okta.com@evil.example",
            ),
            (
                "https://acme-admin.okta.com:8443/api/v1/apps",
                "acme-admin.okta.com:8443",
            ),
            ("http://acme-admin.okta.com/api/v1/apps", "http:"),
        ] {
            assert_eq!(
                page_path(host, url),
                Err(Failure::ForeignLink {
                    host: to.to_owned()
                }),
                "{url}"
            );
        }
        assert!(matches!(
            page_path(host, "https://acme-admin.okta.com/admin/apps"),
            Err(Failure::Unexpected(_))
        ));
        let shown = Failure::ForeignLink {
            host: "evil.example".into(),
        }
        .to_string();
        assert!(shown.contains("evil.example") && shown.contains("did not follow"));
    }
}
