//! The demo org's System Log, and the token requests that write to it.
//!
//! - **Token requests.** [`token_request`] is the org authorization server's token endpoint as a
//!   connection meets it: the client's id and secret are checked first (a wrong one is 401
//!   `invalid_client`, logged as `app.oauth2.invalid_client_credentials`), then every requested
//!   Okta API scope must be granted to the app for the org's issuer (OpenID Connect scopes always
//!   are; an ungranted one is 400 `invalid_scope`, logged as a failed `app.oauth2.token.grant`
//!   with the requested scopes in `debugContext.debugData.requestedScopes`); a token granted is
//!   logged as `app.oauth2.token.grant.access_token` with `grantedScopes`. It answers
//!   `POST /oauth2/v1/token` on the org's host, and the demo Workflows console's connection test
//!   (`POST /api/connections/{id}/test`, standing in for Workflows asking for a token) calls it
//!   with the connection's credentials.
//! - **`GET /api/v1/logs`**, behind the same checks as the rest of `/api/v1`: `since` and `until`
//!   (ISO 8601), `filter` (Okta's filter syntax, the part the helper uses: `eq` on `eventType`,
//!   `outcome.result`, `actor.id` and `target.id`, joined by `and` / `or`, in parentheses; any
//!   other gets 400 `E0000001`), `limit` (1 to 1000, default 100), `sortOrder` (`ASCENDING`, the
//!   default, or `DESCENDING`) and `after`, an opaque cursor from the `next` link, one `Link`
//!   header per relation. An admin without `okta.logs.read` (a test knob) gets 403 `E0000006`.
//!
//! Events have the documented `LogEvent` shape (Okta's System Log API reference), with the
//! event types of Okta's Event Types catalogue.

use crate::okta_api::{api_error, lock, Shared};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// Okta's default page size for the System Log.
const DEFAULT_LIMIT: usize = 100;

/// What a token request was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenAnswer {
    /// 200: a token with these scopes.
    Granted(Vec<String>),
    /// 401 `invalid_client`.
    InvalidClient,
    /// 400 `invalid_scope`: these requested scopes are not granted.
    InvalidScope(Vec<String>),
}

impl TokenAnswer {
    /// The OAuth 2.0 answer: status and body.
    pub fn response(&self) -> Response {
        match self {
            TokenAnswer::Granted(scopes) => Json(json!({
                "token_type": "Bearer",
                "expires_in": 3600,
                "access_token": format!("demo.{}", crate::okta_api::random_token()),
                "scope": scopes.join(" "),
            }))
            .into_response(),
            TokenAnswer::InvalidClient => (
                StatusCode::UNAUTHORIZED,
                Json(json!({
                    "error": "invalid_client",
                    "error_description": "The client secret supplied for a confidential client is invalid.",
                })),
            )
                .into_response(),
            TokenAnswer::InvalidScope(scopes) => (
                StatusCode::BAD_REQUEST,
                Json(json!({
                    "error": "invalid_scope",
                    "error_description": format!("The following scopes are not allowed: [{}]", scopes.join(", ")),
                })),
            )
                .into_response(),
        }
    }
}

/// The org's token endpoint for the Okta Workflows OAuth app: checks the client, then the
/// scopes, and logs what happened (see the module's documentation).
pub(crate) fn token_request(
    org: &Shared,
    client_id: &str,
    client_secret: &str,
    scopes: &[String],
) -> TokenAnswer {
    let mut org = lock(org);
    let app_id = crate::server::WORKFLOWS_OAUTH_APP_ID;
    let actor = json!({
        "id": client_id, "type": "PublicClientApp", "alternateId": client_id,
        "displayName": if client_id == app_id { "Okta Workflows OAuth" } else { "unknown" },
        "detailEntry": null,
    });
    let requested = scopes.join(" ");
    if client_id != app_id || !org.secret_is_active(client_secret) {
        let event = log_event(
            "app.oauth2.invalid_client_credentials",
            "OAuth2 client authentication failed",
            actor,
            ("FAILURE", Some("invalid_client")),
            json!({"requestUri": "/oauth2/v1/token", "clientAuthType": "client_secret_post"}),
        );
        org.log.push(event);
        return TokenAnswer::InvalidClient;
    }
    let granted = org.granted_scopes();
    let refused: Vec<String> = scopes
        .iter()
        .filter(|scope| scope.starts_with("okta.") && !granted.contains(scope))
        .cloned()
        .collect();
    if !refused.is_empty() {
        let event = log_event(
            "app.oauth2.token.grant",
            "OAuth2 token request",
            actor,
            ("FAILURE", Some("invalid_scope")),
            json!({"requestUri": "/oauth2/v1/token", "grantType": "client_credentials", "requestedScopes": requested}),
        );
        org.log.push(event);
        return TokenAnswer::InvalidScope(refused);
    }
    let event = log_event(
        "app.oauth2.token.grant.access_token",
        "OAuth2 access token is granted",
        actor,
        ("SUCCESS", None),
        json!({"requestUri": "/oauth2/v1/token", "grantType": "client_credentials", "grantedScopes": requested}),
    );
    org.log.push(event);
    TokenAnswer::Granted(scopes.to_vec())
}

/// A `LogEvent` in the documented shape, published now.
pub(crate) fn log_event(
    event_type: &str,
    display_message: &str,
    actor: Value,
    (result, reason): (&str, Option<&str>),
    debug_data: Value,
) -> Value {
    let now = now_ms();
    json!({
        "uuid": format!("{:08x}-demo-{}", now % 0xffff_ffff, crate::okta_api::random_token()),
        "published": iso8601(now),
        "eventType": event_type,
        "version": "0",
        "severity": if result == "SUCCESS" { "INFO" } else { "WARN" },
        "legacyEventType": if result == "SUCCESS" { format!("{event_type}_success") } else { format!("{event_type}_failure") },
        "displayMessage": display_message,
        "actor": actor,
        "client": {"userAgent": {"rawUserAgent": "okta-workflows", "os": "Unknown", "browser": "UNKNOWN"},
                   "zone": "null", "device": "Unknown", "id": null, "ipAddress": "203.0.113.10", "geographicalContext": null},
        "outcome": {"result": result, "reason": reason},
        "target": [{"id": crate::server::WORKFLOWS_OAUTH_APP_ID, "type": "AppInstance",
                    "alternateId": "Okta Workflows OAuth", "displayName": "Okta Workflows OAuth", "detailEntry": null}],
        "transaction": {"type": "WEB", "id": crate::okta_api::random_token(), "detail": {}},
        "debugContext": {"debugData": debug_data},
        "authenticationContext": {"authenticationStep": 0, "externalSessionId": "unknown"},
        "securityContext": {"asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null},
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Now, as Okta writes times.
pub(crate) fn now_iso() -> String {
    iso8601(now_ms())
}

/// `epoch_ms` as Okta writes times: `2026-11-28T14:05:00.000Z`.
pub(crate) fn iso8601(epoch_ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + std::time::Duration::from_millis(epoch_ms))
        .to_string()
}

/// An ISO 8601 time in UTC as ms since the epoch; `None` for anything else.
fn parse_time(text: &str) -> Option<u64> {
    let at = humantime::parse_rfc3339_weak(text).ok()?;
    let ms = at.duration_since(UNIX_EPOCH).ok()?.as_millis();
    u64::try_from(ms).ok()
}

/// The query of `GET /api/v1/logs`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LogQuery {
    since: Option<String>,
    until: Option<String>,
    filter: Option<String>,
    limit: Option<usize>,
    sort_order: Option<String>,
    after: Option<String>,
}

/// `GET /api/v1/logs` (see the module's documentation).
pub(crate) async fn list_logs(
    State(org): State<Shared>,
    query: Result<Query<LogQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let invalid = |what: &str| {
        api_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            &format!("Api validation failed: {what}"),
        )
    };
    let Ok(Query(query)) = query else {
        return invalid("limit");
    };
    let mut org = lock(&org);
    if !org.can_read_logs {
        return api_error(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
        );
    }
    let parse = |time: &Option<String>| match time {
        Some(text) => parse_time(text).map(Some),
        None => Some(None),
    };
    let (Some(since), Some(until)) = (parse(&query.since), parse(&query.until)) else {
        return invalid("since or until");
    };
    let filter = match query.filter.as_deref().map(Filter::parse) {
        Some(Some(filter)) => Some(filter),
        Some(None) => return invalid("filter"),
        None => None,
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=1000).contains(&limit) {
        return invalid("limit");
    }
    let descending = match query.sort_order.as_deref() {
        None | Some("ASCENDING") => false,
        Some("DESCENDING") => true,
        Some(_) => return invalid("sortOrder"),
    };
    let mut events: Vec<Value> = org
        .log
        .iter()
        .filter(|event| {
            let at = event["published"]
                .as_str()
                .and_then(parse_time)
                .unwrap_or(0);
            since.is_none_or(|since| at >= since)
                && until.is_none_or(|until| at < until)
                && filter.as_ref().is_none_or(|filter| filter.matches(event))
        })
        .cloned()
        .collect();
    if descending {
        events.reverse();
    }
    let start = match &query.after {
        Some(after) => match org.log_cursors.get(after) {
            Some(&position) => position,
            None => return invalid("after"),
        },
        None => 0,
    };
    let page: Vec<Value> = events.iter().skip(start).take(limit).cloned().collect();
    let base = format!(
        "https://{}/api/v1/logs",
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
    );
    // The query the links repeat, without `after`.
    let mut kept: Vec<String> = Vec::new();
    for (name, value) in [
        ("since", &query.since),
        ("until", &query.until),
        ("filter", &query.filter),
        ("sortOrder", &query.sort_order),
    ] {
        if let Some(value) = value {
            kept.push(format!("{name}={}", encode(value)));
        }
    }
    kept.push(format!("limit={limit}"));
    let kept = kept.join("&");
    let mut links = vec![match &query.after {
        Some(after) => format!("<{base}?{kept}&after={after}>; rel=\"self\""),
        None => format!("<{base}?{kept}>; rel=\"self\""),
    }];
    if start + page.len() < events.len() {
        let token = crate::okta_api::random_token();
        org.log_cursors.insert(token.clone(), start + page.len());
        links.push(format!("<{base}?{kept}&after={token}>; rel=\"next\""));
    }
    let mut response = Json(page).into_response();
    for link in links {
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.headers_mut().append(header::LINK, value);
        }
    }
    response
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The part of Okta's filter syntax the demo understands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Filter {
    /// `attribute eq "value"`.
    Eq(String, String),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
}

impl Filter {
    /// Parses a filter; `None` for anything outside the supported part.
    fn parse(text: &str) -> Option<Filter> {
        let tokens = tokenize(text)?;
        let mut at = 0;
        let filter = parse_or(&tokens, &mut at)?;
        (at == tokens.len()).then_some(filter)
    }

    fn matches(&self, event: &Value) -> bool {
        match self {
            Filter::Eq(attribute, value) => match attribute.as_str() {
                "eventType" => event["eventType"] == value.as_str(),
                "outcome.result" => event["outcome"]["result"] == value.as_str(),
                "actor.id" => event["actor"]["id"] == value.as_str(),
                "target.id" => event["target"]
                    .as_array()
                    .is_some_and(|targets| targets.iter().any(|t| t["id"] == value.as_str())),
                _ => false,
            },
            Filter::And(a, b) => a.matches(event) && b.matches(event),
            Filter::Or(a, b) => a.matches(event) || b.matches(event),
        }
    }
}

const ATTRIBUTES: [&str; 4] = ["eventType", "outcome.result", "actor.id", "target.id"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Word(String),
    Quoted(String),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '"' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => value.push(chars.next()?),
                        other => value.push(other),
                    }
                }
                tokens.push(Token::Quoted(value));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c == ' ' || c == '(' || c == ')' || c == '"' {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Some(tokens)
}

fn parse_or(tokens: &[Token], at: &mut usize) -> Option<Filter> {
    let mut left = parse_and(tokens, at)?;
    while tokens.get(*at) == Some(&Token::Word("or".into())) {
        *at += 1;
        left = Filter::Or(Box::new(left), Box::new(parse_and(tokens, at)?));
    }
    Some(left)
}

fn parse_and(tokens: &[Token], at: &mut usize) -> Option<Filter> {
    let mut left = parse_term(tokens, at)?;
    while tokens.get(*at) == Some(&Token::Word("and".into())) {
        *at += 1;
        left = Filter::And(Box::new(left), Box::new(parse_term(tokens, at)?));
    }
    Some(left)
}

fn parse_term(tokens: &[Token], at: &mut usize) -> Option<Filter> {
    match tokens.get(*at)? {
        Token::Open => {
            *at += 1;
            let inner = parse_or(tokens, at)?;
            (tokens.get(*at)? == &Token::Close).then_some(())?;
            *at += 1;
            Some(inner)
        }
        Token::Word(attribute) if ATTRIBUTES.contains(&attribute.as_str()) => {
            let (Some(Token::Word(op)), Some(Token::Quoted(value))) =
                (tokens.get(*at + 1), tokens.get(*at + 2))
            else {
                return None;
            };
            if op != "eq" {
                return None;
            }
            *at += 3;
            Some(Filter::Eq(attribute.clone(), value.clone()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helpers_filter_is_understood_and_anything_else_refused() {
        let helper = "(outcome.result eq \"FAILURE\" or outcome.result eq \"DENY\") and \
                      (actor.id eq \"0oa1\" or target.id eq \"0oa1\")";
        let filter = Filter::parse(helper).expect("the helper's filter");
        let failed = json!({"outcome": {"result": "FAILURE"}, "actor": {"id": "x"}, "target": [{"id": "0oa1"}]});
        let succeeded =
            json!({"outcome": {"result": "SUCCESS"}, "actor": {"id": "0oa1"}, "target": []});
        let elsewhere =
            json!({"outcome": {"result": "DENY"}, "actor": {"id": "x"}, "target": [{"id": "y"}]});
        assert!(filter.matches(&failed));
        assert!(!filter.matches(&succeeded));
        assert!(!filter.matches(&elsewhere));
        for bad in [
            "published gt \"2026\"",
            "eventType sw \"app\"",
            "(eventType eq \"a\"",
            "eventType eq a",
            "eventType eq \"a\" xor actor.id eq \"b\"",
        ] {
            assert_eq!(Filter::parse(bad), None, "{bad}");
        }
    }
}
