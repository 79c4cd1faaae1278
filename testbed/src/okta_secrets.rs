//! The demo org's client secrets of the Okta Workflows OAuth app, as Okta's API documents them
//! (`/api/v1/apps/{appId}/credentials/secrets`): at most two secrets per app, each `ACTIVE` or
//! `INACTIVE`, listed, created, deactivated, activated and deleted, with the System Log events
//! Okta writes for each (`app.oauth2.credentials.lifecycle.*`).
//!
//! - `GET …/secrets` lists them (each with its `client_secret`, 64 characters).
//! - `POST …/secrets` creates a new `ACTIVE` one and answers it (201); a third gets 400
//!   `E0000001`.
//! - `POST …/secrets/{id}/lifecycle/deactivate` makes it `INACTIVE`; the app's only active
//!   secret cannot be deactivated (400 `E0000001`). `…/lifecycle/activate` makes it `ACTIVE`.
//! - `DELETE …/secrets/{id}` removes an `INACTIVE` one (204); an active one gets 400 `E0000001`.

use crate::okta_api::{api_error, lock, random_token, Shared, ADMIN_USER_ID};
use crate::okta_log::{log_event, now_iso};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Length of the client secrets Okta has generated since 2023.
const CLIENT_SECRET_LENGTH: usize = 64;
/// The most secrets an app may have.
pub(crate) const MAX_SECRETS: usize = 2;
/// When the demo app's first secret was made.
const FIRST_SECRET_CREATED: &str = "2026-11-01T09:00:00.000Z";

/// One client secret, as the demo keeps it.
#[derive(Debug, Clone)]
pub(crate) struct DemoSecret {
    pub(crate) id: String,
    pub(crate) value: String,
    pub(crate) active: bool,
    pub(crate) created: String,
    pub(crate) updated: String,
}

impl DemoSecret {
    /// A new active secret, made at `created`.
    pub(crate) fn new(id: String, created: &str) -> Self {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Self {
            id,
            value: (0..CLIENT_SECRET_LENGTH)
                .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
                .collect(),
            active: true,
            created: created.to_owned(),
            updated: created.to_owned(),
        }
    }

    /// The demo app's first secret.
    pub(crate) fn first() -> Self {
        Self::new("ocs1demosecret0x7q01".to_owned(), FIRST_SECRET_CREATED)
    }

    /// The documented shape (`OAuth2ClientSecret`), with links on `host`.
    fn json(&self, host: &str, app_id: &str) -> Value {
        let base = format!(
            "https://{host}/api/v1/apps/{app_id}/credentials/secrets/{}",
            self.id
        );
        let lifecycle = if self.active {
            "deactivate"
        } else {
            "activate"
        };
        let mut links = json!({
            lifecycle: {"href": format!("{base}/lifecycle/{lifecycle}"), "hints": {"allow": ["POST"]}},
        });
        if !self.active {
            links["delete"] = json!({"href": base, "hints": {"allow": ["DELETE"]}});
        }
        json!({
            "id": self.id,
            "status": if self.active { "ACTIVE" } else { "INACTIVE" },
            "client_secret": self.value,
            "secret_hash": self.id[self.id.len().saturating_sub(8)..].to_owned(),
            "created": self.created,
            "lastUpdated": self.updated,
            "_links": links,
        })
    }
}

fn host_of(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn invalid(why: &str) -> Response {
    api_error(
        StatusCode::BAD_REQUEST,
        "E0000001",
        &format!("Api validation failed: {why}"),
    )
}

/// The admin as the System Log names them.
fn admin_actor() -> Value {
    json!({"id": ADMIN_USER_ID, "type": "User", "alternateId": "avery.admin@acme.example",
           "displayName": "Avery Admin", "detailEntry": null})
}

fn lifecycle_event(event_type: &str, message: &str, secret_id: &str) -> Value {
    log_event(
        event_type,
        message,
        admin_actor(),
        ("SUCCESS", None),
        json!({"requestUri": format!("/api/v1/apps/{}/credentials/secrets/{secret_id}", crate::server::WORKFLOWS_OAUTH_APP_ID)}),
    )
}

/// `GET …/secrets`.
pub(crate) async fn list(
    State(org): State<Shared>,
    UrlPath(app_id): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let host = host_of(&headers);
    let listed: Vec<Value> = lock(&org)
        .secrets
        .iter()
        .map(|secret| secret.json(&host, &app_id))
        .collect();
    Json(listed).into_response()
}

/// `POST …/secrets`: a new active secret, unless the app has two already.
pub(crate) async fn create(
    State(org): State<Shared>,
    UrlPath(app_id): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let mut org = lock(&org);
    if org.secrets.len() >= MAX_SECRETS {
        return invalid("client_secret: An app can have at most two client secrets.");
    }
    // Okta's ids are letters and digits.
    let id: String = random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(17)
        .collect();
    let secret = DemoSecret::new(format!("ocs{id}"), &now_iso());
    let answer = secret.json(&host_of(&headers), &app_id);
    org.log.push(lifecycle_event(
        "app.oauth2.credentials.lifecycle.create",
        "Create OAuth client secret",
        &secret.id,
    ));
    org.secrets.push(secret);
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// `POST …/secrets/{id}/lifecycle/{deactivate|activate}`.
pub(crate) async fn lifecycle(
    State(org): State<Shared>,
    UrlPath((app_id, secret_id, action)): UrlPath<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut org = lock(&org);
    let active = org.secrets.iter().filter(|s| s.active).count();
    let Some(at) = org.secrets.iter().position(|s| s.id == secret_id) else {
        return api_error(
            StatusCode::NOT_FOUND,
            "E0000007",
            "Not found: Resource not found",
        );
    };
    let (make_active, event, message) = match action.as_str() {
        "deactivate" => (
            false,
            "app.oauth2.credentials.lifecycle.deactivate",
            "Deactivate OAuth client secret",
        ),
        "activate" => (
            true,
            "app.oauth2.credentials.lifecycle.activate",
            "Activate OAuth client secret",
        ),
        _ => {
            return api_error(
                StatusCode::NOT_FOUND,
                "E0000022",
                "The endpoint does not exist.",
            )
        }
    };
    if !make_active && org.secrets[at].active && active == 1 {
        return invalid(
            "client_secret: The app's only active client secret cannot be deactivated.",
        );
    }
    if org.secrets[at].active != make_active {
        org.secrets[at].active = make_active;
        org.secrets[at].updated = now_iso();
        org.log.push(lifecycle_event(event, message, &secret_id));
    }
    Json(org.secrets[at].json(&host_of(&headers), &app_id)).into_response()
}

/// `DELETE …/secrets/{id}`: only an inactive secret.
pub(crate) async fn delete(
    State(org): State<Shared>,
    UrlPath((_app_id, secret_id)): UrlPath<(String, String)>,
) -> Response {
    let mut org = lock(&org);
    match org.secrets.iter().position(|s| s.id == secret_id) {
        None => api_error(
            StatusCode::NOT_FOUND,
            "E0000007",
            "Not found: Resource not found",
        ),
        Some(at) if org.secrets[at].active => invalid(
            "client_secret: An active client secret cannot be deleted; deactivate it first.",
        ),
        Some(at) => {
            org.secrets.remove(at);
            org.log.push(lifecycle_event(
                "app.oauth2.credentials.lifecycle.delete",
                "Delete OAuth client secret",
                &secret_id,
            ));
            StatusCode::NO_CONTENT.into_response()
        }
    }
}
