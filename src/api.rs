//! Okta's management API as the helper uses it: the requests it makes, the documented response
//! shapes, and the rules for reading them. No I/O here; the service worker sends the requests
//! (with the console session's cookie and XSRF token) and hands the answers to these functions.
//!
//! Reading is one-sided, like the page check: a response counts only when it has the documented
//! shape. A body of another shape, an unknown status or a missing field is a [`Failure`], never a
//! pass.

use crate::scopes::{ConnectorProfile, Grant as GrantKind, ScopeCheck, ScopeState};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The header that carries the console's XSRF token (the page's hidden `#_xsrfToken`).
pub const XSRF_HEADER: &str = "X-Okta-XsrfToken";
/// The header that says when a rate limit resets (seconds since the epoch).
pub const RATE_LIMIT_RESET_HEADER: &str = "X-Rate-Limit-Reset";
/// The role an admin needs to connect Okta Workflows' Okta connectors.
pub const SUPER_ADMIN: &str = "SUPER_ADMIN";

/// A request the helper makes of the org's `/api/v1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiRequest {
    /// The Okta Workflows OAuth app (`name eq "flow"`).
    FindWorkflowsApp,
    /// One page of an app's scope grants; `after` is the cursor of the `next` link.
    Grants {
        /// The app.
        app_id: String,
        /// The page cursor, `None` for the first page.
        after: Option<String>,
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
    /// An app's client secrets.
    ClientSecrets {
        /// The app.
        app_id: String,
    },
}

impl ApiRequest {
    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        match self {
            ApiRequest::CreateGrant { .. } => "POST",
            _ => "GET",
        }
    }

    /// The path and query, relative to the org's Admin Console host.
    pub fn path(&self) -> String {
        match self {
            ApiRequest::FindWorkflowsApp => "/api/v1/apps?filter=name%20eq%20%22flow%22".to_owned(),
            ApiRequest::Grants { app_id, after } => match after {
                Some(cursor) => format!(
                    "/api/v1/apps/{app_id}/grants?after={}",
                    query_escape(cursor)
                ),
                None => format!("/api/v1/apps/{app_id}/grants"),
            },
            ApiRequest::CreateGrant { app_id, .. } => format!("/api/v1/apps/{app_id}/grants"),
            ApiRequest::Me => "/api/v1/users/me".to_owned(),
            ApiRequest::Roles { user_id } => format!("/api/v1/users/{user_id}/roles"),
            ApiRequest::AppUser { app_id, user_id } => {
                format!("/api/v1/apps/{app_id}/users/{user_id}")
            }
            ApiRequest::ClientSecrets { app_id } => {
                format!("/api/v1/apps/{app_id}/credentials/secrets")
            }
        }
    }

    /// The admin permission the request needs, to name it when Okta answers 403.
    pub fn permission(&self) -> &'static str {
        match self {
            ApiRequest::FindWorkflowsApp
            | ApiRequest::Grants { .. }
            | ApiRequest::AppUser { .. } => "okta.apps.read",
            ApiRequest::CreateGrant { .. } => "okta.apps.manage",
            ApiRequest::Me => "okta.users.read.self",
            ApiRequest::Roles { .. } => "okta.roles.read",
            ApiRequest::ClientSecrets { .. } => "okta.apps.clientCredentials.read",
        }
    }
}

/// The body of a new grant: `{"scopeId": …, "issuer": "https://{org domain}"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewGrant {
    /// The scope.
    pub scope_id: String,
    /// The org's issuer URL.
    pub issuer: String,
}

/// A link in `_links`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Link {
    /// Its URL.
    pub href: String,
}

/// The `_links` of a grant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GrantLinks {
    /// The grant itself.
    #[serde(rename = "self")]
    pub own: Link,
    /// The app it is granted to.
    pub app: Link,
}

/// A scope consent grant (`/api/v1/apps/{appId}/grants`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// The grant id, needed to revoke it.
    pub id: String,
    /// The scope granted.
    pub scope_id: String,
    /// The authorization server it is granted for: `https://{org domain}`.
    pub issuer: String,
    /// `ACTIVE` or `REVOKED`.
    pub status: String,
    /// `ADMIN` or `END_USER`.
    pub source: String,
    /// The links, among them `self`.
    #[serde(rename = "_links")]
    pub links: GrantLinks,
}

/// An error body (`errorCode`, `errorSummary`, `errorId`, `errorCauses`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// E.g. `E0000006`.
    pub error_code: String,
    /// What went wrong, in Okta's words.
    pub error_summary: String,
    /// Okta's id of this occurrence, for support.
    pub error_id: String,
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

/// A role assignment (`/api/v1/users/{userId}/roles`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    /// The assignment id.
    pub id: String,
    /// The role, e.g. `SUPER_ADMIN`.
    #[serde(rename = "type")]
    pub role: String,
    /// `ACTIVE` or `INACTIVE`.
    pub status: String,
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
    /// Its label.
    pub label: String,
    /// `ACTIVE` or `INACTIVE`.
    pub status: String,
}

/// An app's assignment to a user (`/api/v1/apps/{appId}/users/{userId}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppUser {
    /// The user id.
    pub id: String,
    /// `ACTIVE`, `PROVISIONED`, …
    pub status: String,
}

/// A client secret (`/api/v1/apps/{appId}/credentials/secrets`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClientSecret {
    /// The secret's id.
    pub id: String,
    /// `ACTIVE` or `INACTIVE`.
    pub status: String,
    /// The secret.
    pub client_secret: String,
}

/// Why an API call gave no usable answer, in terms the admin can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 401: the console session is over.
    SessionExpired,
    /// 403: the admin lacks a permission.
    Forbidden {
        /// The permission the request needs.
        permission: &'static str,
        /// Okta's own words, when it gave some.
        summary: Option<String>,
    },
    /// 404.
    NotFound,
    /// 429: too many calls; `reset_at` is when the limit resets (seconds since the epoch).
    RateLimited {
        /// From `X-Rate-Limit-Reset`.
        reset_at: Option<u64>,
    },
    /// 5xx.
    Server {
        /// The status.
        status: u16,
    },
    /// No answer at all.
    Network(String),
    /// An answer of a shape the helper does not know.
    Unexpected(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::SessionExpired => f.write_str("Your console session expired. Reload the page, then try again."),
            Failure::Forbidden { permission, summary } => write!(
                f,
                "Okta refused: {}. It needs the {permission} permission, which the Super Administrator role has.",
                summary.as_deref().unwrap_or("permission denied")
            ),
            Failure::NotFound => f.write_str("Okta did not find it."),
            Failure::RateLimited { .. } => {
                f.write_str("Okta's rate limit for this org was reached. The helper waits for it to reset and tries once more.")
            }
            Failure::Server { status } => write!(
                f,
                "Okta's API answered with an error ({status}). The checklist shows what the page says; try again later."
            ),
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

/// The failure an HTTP status means, if it is not a success.
pub fn classify(
    request: &ApiRequest,
    status: u16,
    rate_limit_reset: Option<&str>,
    error: Option<ApiError>,
) -> Option<Failure> {
    match status {
        200..=299 => None,
        401 => Some(Failure::SessionExpired),
        403 => Some(Failure::Forbidden {
            permission: request.permission(),
            summary: error.map(|e| e.error_summary),
        }),
        404 => Some(Failure::NotFound),
        429 => Some(Failure::RateLimited {
            reset_at: rate_limit_reset.and_then(|reset| reset.trim().parse().ok()),
        }),
        500..=599 => Some(Failure::Server { status }),
        other => Some(Failure::Unexpected(format!("status {other}"))),
    }
}

/// How long to wait, once, before retrying a rate-limited call: until the reset, at least one
/// second and at most one minute. `now` is seconds since the epoch.
pub fn rate_limit_wait_seconds(reset_at: Option<u64>, now: u64) -> u64 {
    reset_at
        .map_or(1, |reset| reset.saturating_sub(now))
        .clamp(1, 60)
}

/// The cursor of the `rel="next"` link in a `Link` header, if there is a next page.
pub fn next_cursor(link_header: Option<&str>) -> Option<String> {
    link_header?
        .split(',')
        .filter(|link| {
            link.split(';')
                .skip(1)
                .any(|param| matches!(param.trim(), "rel=\"next\"" | "rel=next"))
        })
        .find_map(|link| {
            let url = link
                .split(';')
                .next()?
                .trim()
                .strip_prefix('<')?
                .strip_suffix('>')?;
            let query = url.split_once('?')?.1;
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("after="))
                .map(query_unescape)
        })
}

/// What the API says of one required scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiScopeState {
    /// An active grant for the org's issuer exists.
    Granted,
    /// No such grant.
    Missing,
    /// Okta grants it by itself (the OpenID Connect scopes); no grant is listed for it.
    Auto,
    /// Not granted, but only some cards need it.
    Optional,
}

/// Checks the grants against a connector's scopes. Only `ACTIVE` grants for the org's own issuer
/// count.
pub fn verify(
    profile: ConnectorProfile,
    grants: &[Grant],
    org_domain: &str,
) -> Vec<(&'static str, ApiScopeState)> {
    let issuer = format!("https://{org_domain}");
    profile
        .scopes
        .iter()
        .map(|scope| {
            let granted = grants.iter().any(|grant| {
                grant.scope_id == scope.id && grant.status == "ACTIVE" && grant.issuer == issuer
            });
            let state = match (granted, scope.grant) {
                (true, _) => ApiScopeState::Granted,
                (false, GrantKind::Auto) => ApiScopeState::Auto,
                (false, GrantKind::ByAdmin) => ApiScopeState::Missing,
                (false, GrantKind::Optional) => ApiScopeState::Optional,
            };
            (scope.id, state)
        })
        .collect()
}

/// Where the page and the API disagree, one line per scope.
pub fn disagreements(page: &ScopeCheck, api: &[(&'static str, ApiScopeState)]) -> Vec<String> {
    page.scopes
        .iter()
        .filter_map(|status| {
            let (_, api_state) = api.iter().find(|(id, _)| *id == status.scope.id)?;
            match (&status.state, api_state) {
                (ScopeState::Granted(crate::scopes::Basis::Page), ApiScopeState::Missing) => Some(format!(
                    "{}: the page shows it granted, but Okta's API has no grant for it.",
                    status.scope.id
                )),
                (ScopeState::Missing, ApiScopeState::Granted) => Some(format!(
                    "{}: Okta's API has it granted, but the page shows it missing. Reload the page.",
                    status.scope.id
                )),
                _ => None,
            }
        })
        .collect()
}

/// One grant request per scope the API shows missing.
pub fn grant_plan(api: &[(&'static str, ApiScopeState)], org_domain: &str) -> Vec<NewGrant> {
    api.iter()
        .filter(|(_, state)| *state == ApiScopeState::Missing)
        .map(|(id, _)| NewGrant {
            scope_id: (*id).to_owned(),
            issuer: format!("https://{org_domain}"),
        })
        .collect()
}

/// Whether the roles include an active Super Administrator assignment.
pub fn is_super_admin(roles: &[RoleAssignment]) -> bool {
    roles
        .iter()
        .any(|role| role.role == SUPER_ADMIN && role.status == "ACTIVE")
}

/// The Okta Workflows OAuth app among apps, if it is there and active.
pub fn workflows_app(apps: &[App]) -> Option<&App> {
    apps.iter().find(|app| {
        app.name == crate::page_rules::WORKFLOWS_OAUTH_APP_NAME && app.status == "ACTIVE"
    })
}

/// The active client secret, if exactly one is active.
pub fn active_secret(secrets: &[ClientSecret]) -> Option<&ClientSecret> {
    let mut active = secrets.iter().filter(|secret| secret.status == "ACTIVE");
    match (active.next(), active.next()) {
        (Some(secret), None) => Some(secret),
        _ => None,
    }
}

/// What the overlay gives the service worker to call the API as the admin's console session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiContext {
    /// The Admin Console host, e.g. `acme-admin.okta.com`: the only host ever called.
    pub admin_host: String,
    /// The console's XSRF token, read from the page.
    pub xsrf: String,
    /// The connector profile to check, by id.
    pub profile: String,
}

/// Yes, no, or unknown (with why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Confirmed.
    Yes,
    /// Confirmed not.
    No,
    /// Could not tell; the text says why.
    Unknown(String),
}

/// One scope as the API sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiScope {
    /// The scope.
    pub scope_id: String,
    /// Granted, missing, auto or optional.
    pub state: ApiScopeState,
}

/// The result of granting one scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantResult {
    /// The scope.
    pub scope_id: String,
    /// Why it failed, or `None` when granted.
    pub error: Option<String>,
}

/// What the service worker learned from the API.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiReport {
    /// The Okta Workflows OAuth app's id, when found.
    pub app_id: Option<String>,
    /// The scopes as the grants say, when they could be read.
    pub scopes: Option<Vec<ApiScope>>,
    /// Whether the signed-in admin is a Super Administrator.
    pub super_admin: Option<Check>,
    /// Whether the app is assigned to the signed-in admin.
    pub assigned: Option<Check>,
    /// Per-scope results of a grant request, if one was made.
    pub granted: Vec<GrantResult>,
    /// What went wrong, in words for the admin.
    pub problems: Vec<String>,
    /// What the admin should know but need not act on (a rate-limit wait, say).
    pub notes: Vec<String>,
}

fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn query_unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// The fixtures are Okta's documented examples; they are parsed natively with serde_json.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scopes::{check, RowState, ScopeRow, TableReading, OKTA_DEVICES};

    fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, String> {
        let path = format!("{}/tests/fixtures/okta/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    fn all_grants() -> Vec<Grant> {
        let mut grants: Vec<Grant> = fixture("grants-page-1.json").expect("page 1");
        grants.extend(fixture::<Vec<Grant>>("grants-page-2.json").expect("page 2"));
        grants
    }

    #[test]
    fn every_documented_shape_parses() {
        let grants = all_grants();
        assert_eq!(grants.len(), 3);
        assert_eq!(grants[2].scope_id, "okta.devices.manage");
        assert!(grants[0]
            .links
            .own
            .href
            .ends_with("/grants/oag3ih1zrm1cBFOiq0h6"));
        let error: ApiError = fixture("error-403.json").expect("error");
        assert_eq!(error.error_code, "E0000006");
        let cause: ApiError = fixture("error-400-cause.json").expect("error");
        assert!(cause.error_causes[0]
            .error_summary
            .contains("okta.devices.mange"));
        let roles: Vec<RoleAssignment> = fixture("roles-super-admin.json").expect("roles");
        assert!(is_super_admin(&roles));
        let roles: Vec<RoleAssignment> = fixture("roles-app-admin.json").expect("roles");
        assert!(!is_super_admin(&roles));
        let me: User = fixture("user-me.json").expect("user");
        assert_eq!(me.id, "00u1demoadmin000000a");
        let apps: Vec<App> = fixture("apps-flow.json").expect("apps");
        assert_eq!(
            workflows_app(&apps).map(|a| a.id.as_str()),
            Some("0oa1wf2oauthdemo0x7q")
        );
        let assigned: AppUser = fixture("app-user.json").expect("app user");
        assert_eq!(assigned.status, "ACTIVE");
        let secrets: Vec<ClientSecret> = fixture("client-secrets.json").expect("secrets");
        assert_eq!(
            active_secret(&secrets).map(|s| s.id.as_str()),
            Some("ocs2f50kZB0cITmYU0g4")
        );
    }

    #[test]
    fn shapes_that_differ_from_the_documentation_are_errors() {
        for bad in [
            r#"{"id": "oag1", "scopeId": "okta.devices.manage"}"#,
            r#"[{"id": "oag1", "scopeId": "x", "issuer": "https://a", "status": "ACTIVE", "source": "ADMIN"}]"#,
            r#"{"grants": []}"#,
            "null",
        ] {
            assert!(serde_json::from_str::<Vec<Grant>>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<ApiError>(r#"{"error": "nope"}"#).is_err());
    }

    #[test]
    fn the_api_check_and_its_disagreement_with_the_page() {
        let grants = all_grants();
        let api = verify(OKTA_DEVICES, &grants, "acme.okta.com");
        assert_eq!(api[0], ("openid", ApiScopeState::Auto));
        assert_eq!(api[7], ("okta.devices.manage", ApiScopeState::Granted));

        let page_missing = check(
            OKTA_DEVICES,
            &TableReading::Rows(vec![ScopeRow {
                index: 0,
                name: "okta.devices.manage".into(),
                state: RowState::NotGranted,
            }]),
        );
        let lines = disagreements(&page_missing, &api);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("okta.devices.manage: Okta's API has it granted"));

        let other_issuer = verify(OKTA_DEVICES, &grants, "beta.okta.com");
        assert_eq!(
            other_issuer[7],
            ("okta.devices.manage", ApiScopeState::Missing)
        );
    }

    #[test]
    fn the_grant_plan_asks_only_for_what_is_missing() {
        let grants: Vec<Grant> = fixture("grants-page-1.json").expect("page 1");
        let api = verify(OKTA_DEVICES, &grants, "acme.okta.com");
        assert_eq!(
            grant_plan(&api, "acme.okta.com"),
            [NewGrant {
                scope_id: "okta.devices.manage".into(),
                issuer: "https://acme.okta.com".into()
            }]
        );
        assert_eq!(
            serde_json::to_value(&grant_plan(&api, "acme.okta.com")[0]).expect("json"),
            serde_json::json!({"scopeId": "okta.devices.manage", "issuer": "https://acme.okta.com"})
        );
        assert!(grant_plan(
            &verify(OKTA_DEVICES, &all_grants(), "acme.okta.com"),
            "acme.okta.com"
        )
        .is_empty());
    }

    #[test]
    fn link_headers_give_the_next_cursor() {
        let header = "<https://acme-admin.okta.com/api/v1/apps/0oa1/grants?limit=2>; rel=\"self\", \
                      <https://acme-admin.okta.com/api/v1/apps/0oa1/grants?after=oag%2B2&limit=2>; rel=\"next\"";
        assert_eq!(next_cursor(Some(header)).as_deref(), Some("oag+2"));
        assert_eq!(
            next_cursor(Some("<https://x/api?limit=2>; rel=\"self\"")),
            None
        );
        assert_eq!(next_cursor(None), None);
        let next = ApiRequest::Grants {
            app_id: "0oa1".into(),
            after: Some("oag+2".into()),
        };
        assert_eq!(next.path(), "/api/v1/apps/0oa1/grants?after=oag%2B2");
    }

    #[test]
    fn statuses_become_failures_the_admin_can_act_on() {
        let grants = ApiRequest::Grants {
            app_id: "0oa1".into(),
            after: None,
        };
        assert_eq!(classify(&grants, 200, None, None), None);
        assert_eq!(
            classify(&grants, 401, None, None),
            Some(Failure::SessionExpired)
        );
        let forbidden =
            classify(&grants, 403, None, fixture("error-403.json").ok()).expect("failure");
        assert!(
            forbidden.to_string().contains("okta.apps.read"),
            "{forbidden}"
        );
        assert!(forbidden.to_string().contains("You do not have permission"));
        assert_eq!(
            classify(&grants, 429, Some("1795860000"), None),
            Some(Failure::RateLimited {
                reset_at: Some(1_795_860_000)
            })
        );
        assert_eq!(
            classify(&grants, 503, None, None),
            Some(Failure::Server { status: 503 })
        );
        assert!(matches!(
            classify(&grants, 302, None, None),
            Some(Failure::Unexpected(_))
        ));
        assert_eq!(
            rate_limit_wait_seconds(Some(1_795_860_005), 1_795_860_000),
            5
        );
        assert_eq!(rate_limit_wait_seconds(Some(1), 1_795_860_000), 1);
        assert_eq!(rate_limit_wait_seconds(None, 0), 1);
        assert_eq!(rate_limit_wait_seconds(Some(10_000), 0), 60);
        assert_eq!(
            Failure::SessionExpired.to_string(),
            "Your console session expired. Reload the page, then try again."
        );
    }
}
