//! The service worker's calls to the org's Okta API, made with gloo-net as the admin's console
//! session: the session cookie (sent because the extension may access the org's host) and the
//! console's XSRF token, which the overlay read from the page.
//!
//! Only the Admin Console host in the [`ApiContext`] is ever called, and only after it parsed as
//! one. What the answers mean is decided in [`crate::api`]; this module only moves bytes, waits
//! once when Okta says to, and turns every failure into words for the admin.

use super::chrome::set_timeout;
use super::JsError;
use crate::api::{
    active_secret, classify, is_super_admin, next_cursor, rate_limit_wait_seconds, verify,
    workflows_app, ApiContext, ApiError, ApiReport, ApiRequest, ApiScope, App, AppUser, Check,
    ClientSecret, Failure, Grant, GrantResult, NewGrant, RoleAssignment, User,
    RATE_LIMIT_RESET_HEADER, XSRF_HEADER,
};
use crate::host::AdminHost;
use crate::scopes::profile;
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCredentials;

/// Checks the org: the app, its grants against the profile, the admin's role and assignment.
pub async fn check(context: &ApiContext) -> ApiReport {
    match find_app(context).await {
        Ok((host, app)) => check_app(context, &host, &app).await,
        Err(report) => report,
    }
}

/// Grants the scopes one by one (a failure for one keeps the others), then checks again.
pub async fn grant(context: &ApiContext, scopes: &[String]) -> ApiReport {
    let (host, app) = match find_app(context).await {
        Ok(found) => found,
        Err(report) => return report,
    };
    let mut results = Vec::new();
    for scope_id in scopes {
        let request = ApiRequest::CreateGrant {
            app_id: app.id.clone(),
            grant: NewGrant {
                scope_id: scope_id.clone(),
                issuer: format!("https://{}", host.org_domain()),
            },
        };
        let error = match call::<Grant>(context, &request).await {
            Ok((grant, _)) if grant.scope_id == *scope_id => None,
            Ok(_) => Some("Okta answered with a grant for another scope.".to_owned()),
            Err(failure) => Some(failure.to_string()),
        };
        results.push(GrantResult {
            scope_id: scope_id.clone(),
            error,
        });
    }
    let mut report = check_app(context, &host, &app).await;
    report.granted = results;
    report
}

/// The Admin Console host and the Okta Workflows OAuth app, or a report saying why not.
async fn find_app(context: &ApiContext) -> Result<(AdminHost, App), ApiReport> {
    let mut report = ApiReport::default();
    let Some(host) = AdminHost::parse(&context.admin_host) else {
        report
            .problems
            .push("The helper calls Okta's API only on an Okta Admin Console.".to_owned());
        return Err(report);
    };
    match call::<Vec<App>>(context, &ApiRequest::FindWorkflowsApp).await {
        Ok((apps, _)) => match workflows_app(&apps) {
            Some(app) => Ok((host, app.clone())),
            None => {
                report.problems.push(
                    "Okta's API lists no active Okta Workflows OAuth app in this org. Is Okta Workflows enabled?"
                        .to_owned(),
                );
                Err(report)
            }
        },
        Err(failure) => Err(failed(report, failure)),
    }
}

/// Checks a found app: its grants against the profile, the admin's role and assignment.
async fn check_app(context: &ApiContext, host: &AdminHost, app: &App) -> ApiReport {
    let mut report = ApiReport {
        app_id: Some(app.id.clone()),
        ..ApiReport::default()
    };
    match all_grants(context, &app.id).await {
        Ok(grants) => {
            let scopes = verify(profile(Some(&context.profile)), &grants, &host.org_domain());
            report.scopes = Some(
                scopes
                    .into_iter()
                    .map(|(scope_id, state)| ApiScope {
                        scope_id: scope_id.to_owned(),
                        state,
                    })
                    .collect(),
            );
        }
        Err(Failure::SessionExpired) => return failed(report, Failure::SessionExpired),
        Err(failure) => report.problems.push(failure.to_string()),
    }
    let user = match call::<User>(context, &ApiRequest::Me).await {
        Ok((user, _)) => user,
        Err(failure) => {
            let why = failure.to_string();
            report.super_admin = Some(Check::Unknown(why.clone()));
            report.assigned = Some(Check::Unknown(why));
            note_waits(&mut report);
            return report;
        }
    };
    report.super_admin = Some(
        match call::<Vec<RoleAssignment>>(
            context,
            &ApiRequest::Roles {
                user_id: user.id.clone(),
            },
        )
        .await
        {
            Ok((roles, _)) if is_super_admin(&roles) => Check::Yes,
            Ok(_) => Check::No,
            Err(failure) => Check::Unknown(failure.to_string()),
        },
    );
    let assignment = ApiRequest::AppUser {
        app_id: app.id.clone(),
        user_id: user.id,
    };
    report.assigned = Some(match call::<AppUser>(context, &assignment).await {
        Ok(_) => Check::Yes,
        Err(Failure::NotFound) => Check::No,
        Err(failure) => Check::Unknown(failure.to_string()),
    });
    note_waits(&mut report);
    report
}

/// The app's active client secret, for a capture where the page hides it.
pub async fn client_secret(context: &ApiContext, app_id: &str) -> Result<String, Failure> {
    let request = ApiRequest::ClientSecrets {
        app_id: app_id.to_owned(),
    };
    let (secrets, _) = call::<Vec<ClientSecret>>(context, &request).await?;
    active_secret(&secrets)
        .map(|secret| secret.client_secret.clone())
        .ok_or_else(|| Failure::Unexpected("no single active client secret".to_owned()))
}

fn failed(mut report: ApiReport, failure: Failure) -> ApiReport {
    report.problems.push(failure.to_string());
    note_waits(&mut report);
    report
}

/// Every page of the app's grants, following the `Link` header.
async fn all_grants(context: &ApiContext, app_id: &str) -> Result<Vec<Grant>, Failure> {
    let mut grants = Vec::new();
    let mut after = None;
    // A bound against a server that never stops paging.
    for _ in 0..50 {
        let request = ApiRequest::Grants {
            app_id: app_id.to_owned(),
            after: after.take(),
        };
        let (page, link) = call::<Vec<Grant>>(context, &request).await?;
        grants.extend(page);
        match next_cursor(link.as_deref()) {
            Some(cursor) => after = Some(cursor),
            None => return Ok(grants),
        }
    }
    Err(Failure::Unexpected(
        "more than 50 pages of grants".to_owned(),
    ))
}

thread_local! {
    /// Seconds waited for rate limits since the last report, to say so in it.
    static WAITED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// One call, decoded into the documented shape.
async fn call<T: DeserializeOwned>(
    context: &ApiContext,
    request: &ApiRequest,
) -> Result<(T, Option<String>), Failure> {
    let (value, link) = call_raw(context, request).await?;
    let decoded = super::codec::from_js(value)
        .map_err(|_| Failure::Unexpected("a body of another shape".to_owned()))?;
    Ok((decoded, link))
}

/// One call, retried once after the reset time when Okta answers 429; the body as parsed JSON.
/// Not generic, so the module carries its state machine once.
async fn call_raw(
    context: &ApiContext,
    request: &ApiRequest,
) -> Result<(JsValue, Option<String>), Failure> {
    match call_once(context, request).await {
        Err(Failure::RateLimited { reset_at }) => {
            let now = (js_sys::Date::now() / 1000.0) as u64;
            let wait = rate_limit_wait_seconds(reset_at, now);
            WAITED.with(|waited| waited.set(waited.get() + wait));
            sleep(wait).await;
            call_once(context, request).await
        }
        other => other,
    }
}

/// Adds a note to the report if a rate limit made the helper wait.
fn note_waits(report: &mut ApiReport) {
    let waited = WAITED.with(|waited| waited.replace(0));
    if waited > 0 {
        report.notes.push(format!(
            "Okta's rate limit was reached; the helper waited {waited} s for it to reset and asked once more."
        ));
    }
}

async fn call_once(
    context: &ApiContext,
    request: &ApiRequest,
) -> Result<(JsValue, Option<String>), Failure> {
    let url = format!("https://{}{}", context.admin_host, request.path());
    let builder = match request.method() {
        "POST" => Request::post(&url),
        _ => Request::get(&url),
    }
    .credentials(RequestCredentials::Include)
    .header("Accept", "application/json")
    .header(XSRF_HEADER, &context.xsrf);
    let sent = match request {
        ApiRequest::CreateGrant { grant, .. } => {
            let body = super::codec::to_js(grant)
                .map_err(|_| Failure::Unexpected("a grant that could not be encoded".to_owned()))
                .and_then(|value| {
                    js_sys::JSON::stringify(&value)
                        .map_err(|e| Failure::Unexpected(JsError::from(e).to_string()))
                })?;
            builder
                .header("Content-Type", "application/json")
                .body(JsValue::from(body))
                .map_err(|e| Failure::Network(e.to_string()))?
                .send()
                .await
        }
        _ => builder.send().await,
    };
    let response = sent.map_err(|e| Failure::Network(e.to_string()))?;
    let link = response.headers().get("Link");
    let status = response.status();
    let body = parse_json(&response).await;
    if !(200..300).contains(&status) {
        let reset = response.headers().get(RATE_LIMIT_RESET_HEADER);
        // The error body, when it has Okta's shape, names what went wrong.
        let error = body
            .ok()
            .and_then(|value| super::codec::from_js::<ApiError>(value).ok());
        return Err(classify(request, status, reset.as_deref(), error)
            .unwrap_or_else(|| Failure::Unexpected(format!("status {status}"))));
    }
    Ok((body?, link))
}

async fn parse_json(response: &Response) -> Result<JsValue, Failure> {
    let text = response
        .text()
        .await
        .map_err(|e| Failure::Network(e.to_string()))?;
    js_sys::JSON::parse(&text)
        .map_err(|_| Failure::Unexpected("a body that is not JSON".to_owned()))
}

async fn sleep(seconds: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, seconds as f64 * 1000.0);
    });
    let _ = JsFuture::from(promise).await;
}
