//! The overlay's client of the org's Okta API: the checks, the grant and the secret read, each a
//! sequence of requests that [`crate::api`] decides and [`super::transport`] carries through the
//! page agent, from the Admin Console page's own origin, with the console's session and XSRF
//! token (which only the agent ever sees).
//!
//! What the answers mean is decided in [`crate::api`] and [`crate::api_check`]; this module only
//! sequences the calls (asking side by side those that do not depend on each other), follows
//! `Link` pages after checking they stay on the Admin Console, waits once when Okta's rate limit
//! says to, and turns every failure into words for the admin.

use super::chrome::set_timeout;
use super::transport::{self, Unanswered};
use crate::api::{
    classify, next_link, page_path, rate_limit_wait_seconds, ApiError, ApiRequest, App, AppUser,
    ClientSecret, Failure, Grant, NewGrant, RequestBody, RoleAssignment, User,
};
use crate::api_check::{
    active_secret, is_super_admin, is_workflows_app, verify, workflows_app, ApiReport, ApiScope,
    Check, GrantResult,
};
use crate::credentials::Secret;
use crate::diagnose::{
    self, assemble, logs_refused_text, DiagnoseReport, GrantFacts, LogEvent, LogQuery,
};
use crate::message::{ApiHeaders, TransportProblem};
use crate::rotation::SecretLabel;
use crate::scopes::ConnectorProfile;
use core::future::{poll_fn, Future};
use core::pin::pin;
use core::task::Poll;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The most pages of grants the helper reads before it stops trusting the list.
const MAX_PAGES: usize = 50;

/// What a check or grant needs to know besides the requests themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiContext {
    /// The Admin Console host the page is on, e.g. `acme-admin.okta.com`: `next` links must stay
    /// on it.
    pub admin_host: String,
    /// The org's issuer, from its metadata (or derived from the host name when that failed).
    pub issuer: String,
    /// The connector whose scopes are checked.
    pub profile: ConnectorProfile,
    /// The app id in the page's URL, on the Okta Workflows OAuth app's pages: the app to check.
    pub app_id: Option<String>,
}

/// Checks the org: the app, its grants against the profile, the admin's role and assignment.
pub async fn check(context: &ApiContext) -> ApiReport {
    let mut calls = Calls::default();
    let report = match find_app(&mut calls, context).await {
        Ok(app) => check_app(&mut calls, context, &app).await,
        Err(report) => report,
    };
    calls.noted(report)
}

/// Grants the scopes one by one (a failure for one keeps the others), then checks again.
pub async fn grant(context: &ApiContext, scopes: &[String]) -> ApiReport {
    let mut calls = Calls::default();
    let app = match find_app(&mut calls, context).await {
        Ok(app) => app,
        Err(report) => return calls.noted(report),
    };
    let mut results = Vec::new();
    for scope_id in scopes {
        let request = ApiRequest::CreateGrant {
            app_id: app.id.clone(),
            grant: NewGrant {
                scope_id: scope_id.clone(),
                issuer: context.issuer.clone(),
            },
        };
        let error = match calls.call::<Grant>(&request).await {
            Ok((grant, _)) if grant.scope_id == *scope_id => None,
            Ok(_) => Some("Okta answered with a grant for another scope.".to_owned()),
            Err(failure) => Some(failure.to_string()),
        };
        results.push(GrantResult {
            scope_id: scope_id.clone(),
            error,
        });
    }
    let mut report = check_app(&mut calls, context, &app).await;
    report.granted = results;
    calls.noted(report)
}

/// The app's active client secret, for a capture where the page hides it. It goes from here to
/// the vault only.
pub async fn client_secret(app_id: &str) -> Result<Secret, Failure> {
    let request = ApiRequest::ClientSecrets {
        app_id: app_id.to_owned(),
    };
    let (secrets, _) = Calls::default().call::<Vec<ClientSecret>>(&request).await?;
    active_secret(secrets)
        .ok_or_else(|| Failure::Unexpected("no single active client secret".to_owned()))
}

/// Why the app's connections fail, from Okta's records: the app (as for a check), its grants,
/// and the System Log's failures of the last day, newest first, up to [`diagnose::MAX_PAGES`]
/// pages. `last_check` is the end of the last diagnosis's window, for the grant reminders.
pub async fn diagnose(
    context: &ApiContext,
    now_ms: u64,
    last_check: Option<&str>,
) -> DiagnoseReport {
    let mut calls = Calls::default();
    let failed = |problem: String| DiagnoseReport {
        problem: Some(problem),
        ..DiagnoseReport::default()
    };
    let app = match find_app(&mut calls, context).await {
        Ok(app) => app,
        Err(report) => return failed(report.problems.join(" ")),
    };
    // The grants and the log do not depend on each other: both are read at once.
    let query = LogQuery::new(&app.id, now_ms);
    let mut log_calls = Calls::default();
    let (grants, log) = both(
        all_grants(&mut calls, context, &app.id),
        failure_log(&mut log_calls, context, &query),
    )
    .await;
    // Unreadable grants leave every refused scope unchecked, never said granted or missing.
    let grants = match grants {
        Ok(grants) => {
            let ours = grants
                .iter()
                .filter(|grant| grant.is_active() && grant.issuer == context.issuer);
            GrantFacts {
                granted: Some(ours.clone().map(|grant| grant.scope_id.clone()).collect()),
                created: ours
                    .filter_map(|grant| Some((grant.scope_id.clone(), grant.created.clone()?)))
                    .collect(),
            }
        }
        Err(_) => GrantFacts::default(),
    };
    let (events, pages, more) = match log {
        Ok(log) => log,
        Err(problem) => return failed(problem),
    };
    assemble(
        &query,
        &events,
        (pages, more),
        app.status.as_deref(),
        &grants,
        last_check,
    )
}

/// The System Log's pages of `query`, newest first, up to [`diagnose::MAX_PAGES`]: the events,
/// how many pages were read, and whether more were left; or the problem that stopped the reading.
async fn failure_log(
    calls: &mut Calls,
    context: &ApiContext,
    query: &LogQuery,
) -> Result<(Vec<LogEvent>, usize, bool), String> {
    let mut events: Vec<LogEvent> = Vec::new();
    let mut page = query.path();
    let mut pages = 0;
    loop {
        let request = ApiRequest::Logs { page };
        let headers = match calls.call::<Vec<LogEvent>>(&request).await {
            Ok((listed, headers)) => {
                events.extend(listed);
                headers
            }
            Err(Failure::Forbidden { .. }) => return Err(logs_refused_text()),
            Err(failure) => return Err(failure.to_string()),
        };
        pages += 1;
        match next_link(headers.link.as_deref()) {
            None => return Ok((events, pages, false)),
            Some(_) if pages >= diagnose::MAX_PAGES => return Ok((events, pages, true)),
            Some(url) => page = page_path(&context.admin_host, &url).map_err(|f| f.to_string())?,
        }
    }
}

/// The app's client secrets as the admin may be shown them: labels only; the values are dropped
/// (and zeroed) here.
pub async fn secret_labels(app_id: &str) -> Result<Vec<SecretLabel>, Failure> {
    let request = ApiRequest::ClientSecrets {
        app_id: app_id.to_owned(),
    };
    let (secrets, _) = Calls::default().call::<Vec<ClientSecret>>(&request).await?;
    secrets
        .iter()
        .map(|secret| {
            SecretLabel::of(secret).ok_or_else(|| {
                Failure::Unexpected("a client secret without a usable id".to_owned())
            })
        })
        .collect()
}

/// The secret `secret_id` of the app, for the vault only (Okta logs the read).
pub async fn secret_by_id(app_id: &str, secret_id: &str) -> Result<Secret, Failure> {
    let request = ApiRequest::ClientSecrets {
        app_id: app_id.to_owned(),
    };
    let (secrets, _) = Calls::default().call::<Vec<ClientSecret>>(&request).await?;
    secrets
        .into_iter()
        .find(|secret| secret.id.as_deref() == Some(secret_id) && secret.status == "ACTIVE")
        .map(|secret| secret.client_secret)
        .ok_or_else(|| Failure::Unexpected("no active secret of that id".to_owned()))
}

/// Creates a new client secret; Okta answers it whole, and it goes from here to the vault only.
pub async fn create_secret(app_id: &str) -> Result<ClientSecret, Failure> {
    let request = ApiRequest::CreateSecret {
        app_id: app_id.to_owned(),
    };
    let (secret, _) = Calls::default().call::<ClientSecret>(&request).await?;
    Ok(secret)
}

/// Deactivates one client secret; what Okta says of it afterwards.
pub async fn deactivate_secret(app_id: &str, secret_id: &str) -> Result<SecretLabel, Failure> {
    let request = ApiRequest::DeactivateSecret {
        app_id: app_id.to_owned(),
        secret_id: secret_id.to_owned(),
    };
    let (secret, _) = Calls::default().call::<ClientSecret>(&request).await?;
    SecretLabel::of(&secret)
        .ok_or_else(|| Failure::Unexpected("a client secret without a usable id".to_owned()))
}

/// The Okta Workflows OAuth app, or a report saying why not: the app whose id is in the page's
/// URL, once Okta's API says it is that app; on pages without an id, the one active app that a
/// search by name finds.
async fn find_app(calls: &mut Calls, context: &ApiContext) -> Result<App, ApiReport> {
    let failed = |app_id: Option<&str>, problem: String| ApiReport {
        app_id: app_id.map(str::to_owned),
        issuer: context.issuer.clone(),
        problems: vec![problem],
        ..ApiReport::default()
    };
    let Some(app_id) = context.app_id.as_deref() else {
        return match calls.call::<Vec<App>>(&ApiRequest::FindWorkflowsApp).await {
            Ok((apps, _)) => workflows_app(&apps)
                .cloned()
                .map_err(|why| failed(None, why)),
            Err(failure) => Err(failed(None, failure.to_string())),
        };
    };
    let request = ApiRequest::App {
        app_id: app_id.to_owned(),
    };
    match calls.call::<App>(&request).await {
        Ok((app, _)) if app.id != app_id => Err(failed(
            Some(app_id),
            format!("Okta's API answered for app {} when asked for {app_id}; the helper does not trust it.", app.id),
        )),
        Ok((app, _)) if !is_workflows_app(&app) => Err(failed(
            Some(app_id),
            format!(
                "The app in this page's address ({app_id}) is not the Okta Workflows OAuth app: Okta's API names it \u{201c}{}\u{201d}. Open Applications \u{2192} Okta Workflows OAuth.",
                app.name
            ),
        )),
        Ok((app, _)) => Ok(app),
        Err(Failure::NotFound) => Err(failed(
            Some(app_id),
            format!("Okta's API knows no app {app_id}, the id in this page's address."),
        )),
        Err(failure) => Err(failed(Some(app_id), failure.to_string())),
    }
}

/// Checks a found app: its grants against the profile, the admin's role and assignment. The
/// grants and the admin's own checks do not depend on each other, so they are asked at once (and
/// the role beside the assignment): the check takes two round trips to Okta after the app, not
/// four.
async fn check_app(calls: &mut Calls, context: &ApiContext, app: &App) -> ApiReport {
    let mut report = ApiReport {
        app_id: Some(app.id.clone()),
        issuer: context.issuer.clone(),
        ..ApiReport::default()
    };
    let mut admin_calls = Calls::default();
    let waited_before = calls.waited_seconds;
    let (grants, (super_admin, assigned)) = both(
        all_grants(calls, context, &app.id),
        admin_checks(&mut admin_calls, &app.id),
    )
    .await;
    calls.overlapped(waited_before, &admin_calls);
    match grants {
        Ok(grants) => {
            let scopes = verify(context.profile, &grants, &context.issuer);
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
        Err(failure) => {
            let stop = failure == Failure::SessionExpired;
            report.problems.push(failure.to_string());
            if stop {
                // The admin's checks failed the same way: the session's one problem says it.
                return report;
            }
        }
    }
    report.super_admin = Some(super_admin);
    report.assigned = Some(assigned);
    report
}

/// Whether the signed-in admin is a Super Administrator, and assigned to the app.
async fn admin_checks(calls: &mut Calls, app_id: &str) -> (Check, Check) {
    let user = match calls.call::<User>(&ApiRequest::Me).await {
        Ok((user, _)) => user,
        Err(failure) => {
            let why = failure.to_string();
            return (Check::Unknown(why.clone()), Check::Unknown(why));
        }
    };
    let roles = ApiRequest::Roles {
        user_id: user.id.clone(),
    };
    let assignment = ApiRequest::AppUser {
        app_id: app_id.to_owned(),
        user_id: user.id,
    };
    let mut assignment_calls = Calls::default();
    let waited_before = calls.waited_seconds;
    let (roles, assignment) = both(
        calls.call::<Vec<RoleAssignment>>(&roles),
        assignment_calls.call::<AppUser>(&assignment),
    )
    .await;
    calls.overlapped(waited_before, &assignment_calls);
    let super_admin = match roles {
        Ok((roles, _)) if is_super_admin(&roles) => Check::Yes,
        Ok(_) => Check::No,
        // A Super Administrator may read roles; Okta refusing to list them answers the question.
        Err(Failure::Forbidden { .. }) => Check::Refused(
            "Okta refused to list your roles (E0000006): you are not a Super Administrator, or your role lacks okta.roles.read. Okta Workflows' Okta connections need a Super Administrator: ask one to connect it, or to give you the role (Security \u{2192} Administrators).".to_owned(),
        ),
        Err(failure) => Check::Unknown(failure.to_string()),
    };
    let assigned = match assignment {
        Ok(_) => Check::Yes,
        Err(Failure::NotFound) => Check::No,
        Err(failure) => Check::Unknown(failure.to_string()),
    };
    (super_admin, assigned)
}

/// Runs two futures at once and waits for both: requests that do not depend on each other.
async fn both<A: Future, B: Future>(first: A, second: B) -> (A::Output, B::Output) {
    let (mut first, mut second) = (pin!(first), pin!(second));
    let (mut first_done, mut second_done) = (None, None);
    poll_fn(|cx| {
        if first_done.is_none() {
            if let Poll::Ready(output) = first.as_mut().poll(cx) {
                first_done = Some(output);
            }
        }
        if second_done.is_none() {
            if let Poll::Ready(output) = second.as_mut().poll(cx) {
                second_done = Some(output);
            }
        }
        match (first_done.take(), second_done.take()) {
            (Some(first), Some(second)) => Poll::Ready((first, second)),
            (first, second) => {
                (first_done, second_done) = (first, second);
                Poll::Pending
            }
        }
    })
    .await
}

/// Every page of the app's grants, following each `next` link as Okta gave it once it is known
/// to stay on the Admin Console host.
async fn all_grants(
    calls: &mut Calls,
    context: &ApiContext,
    app_id: &str,
) -> Result<Vec<Grant>, Failure> {
    let mut grants = Vec::new();
    let mut page = None;
    for _ in 0..MAX_PAGES {
        let request = ApiRequest::Grants {
            app_id: app_id.to_owned(),
            page: page.take(),
        };
        let (listed, headers) = calls.call::<Vec<Grant>>(&request).await?;
        grants.extend(listed);
        match next_link(headers.link.as_deref()) {
            Some(url) => page = Some(page_path(&context.admin_host, &url)?),
            None => return Ok(grants),
        }
    }
    Err(Failure::Unexpected(format!(
        "more than {MAX_PAGES} pages of grants"
    )))
}

/// The calls of one check, and how long they waited for Okta's rate limit.
#[derive(Default)]
struct Calls {
    waited_seconds: u64,
}

impl Calls {
    /// One call, decoded into the documented shape, with the headers the helper reads.
    async fn call<T: DeserializeOwned>(
        &mut self,
        request: &ApiRequest,
    ) -> Result<(T, ApiHeaders), Failure> {
        let (body, headers) = self.call_raw(request).await?;
        let decoded = super::codec::from_js(body)
            .map_err(|_| Failure::Unexpected("a body of another shape".to_owned()))?;
        Ok((decoded, headers))
    }

    /// One call, retried once after the reset time when Okta says its rate limit was reached.
    /// Not generic, so the module carries this state machine once.
    async fn call_raw(&mut self, request: &ApiRequest) -> Result<(JsValue, ApiHeaders), Failure> {
        match call_once(request).await {
            Err(Failure::RateLimited { reset_at }) => {
                let now = (js_sys::Date::now() / 1000.0) as u64;
                let wait = rate_limit_wait_seconds(reset_at, now);
                self.waited_seconds += wait;
                sleep(wait).await;
                call_once(request).await
            }
            other => other,
        }
    }

    /// The report, with a note if a rate limit made the helper wait.
    /// Counts the wait of calls that ran beside these since `waited_before`: waits at the same
    /// time cost the admin the longer of the two.
    fn overlapped(&mut self, waited_before: u64, beside: &Calls) {
        let own = self.waited_seconds - waited_before;
        self.waited_seconds = waited_before + own.max(beside.waited_seconds);
    }

    fn noted(&self, mut report: ApiReport) -> ApiReport {
        if self.waited_seconds > 0 {
            report.notes.push(format!(
                "Okta's rate limit was reached; the helper waited {} s for it to reset and asked once more.",
                self.waited_seconds
            ));
        }
        report
    }
}

/// One request through the agent, its answer read as Okta defines it.
async fn call_once(request: &ApiRequest) -> Result<(JsValue, ApiHeaders), Failure> {
    let path = request.path().ok_or(Failure::NotSent(
        "Okta's API gave an id that is not an Okta id, and the helper puts none other into a request",
    ))?;
    let body = match request.body() {
        Some(RequestBody::Grant(grant)) => Some(
            super::codec::to_js(grant)
                .ok()
                .and_then(|value| js_sys::JSON::stringify(&value).ok())
                .map(String::from)
                .ok_or_else(|| {
                    Failure::Unexpected("a grant that could not be encoded".to_owned())
                })?,
        ),
        Some(RequestBody::Empty) => Some("{}".to_owned()),
        None => None,
    };
    let (answer, body) = transport::send(request.method(), path, body)
        .await
        .map_err(|unanswered| {
            Failure::Network(
                match unanswered {
                    Unanswered::NoAgent => "the helper lost contact with the page",
                    Unanswered::Timeout => "the page gave no answer in time",
                }
                .to_owned(),
            )
        })?;
    let problem = |problem: TransportProblem| {
        match problem {
        TransportProblem::NoToken => Failure::NoToken,
        TransportProblem::TokenAmbiguous => Failure::NotSent(
            "the page holds more than one XSRF token, and the helper does not guess which is the console's; reload the page",
        ),
        TransportProblem::TokenMalformed => Failure::NotSent(
            "the page's XSRF token does not have the shape of one; reload the page",
        ),
        TransportProblem::Refused => Failure::NotSent("the page agent refused the request"),
        TransportProblem::Network => Failure::Network("no answer".to_owned()),
        TransportProblem::Timeout => Failure::Network("no answer within 15 s".to_owned()),
        TransportProblem::NotJson => Failure::Unexpected("a body that is not JSON".to_owned()),
        TransportProblem::TooLarge => {
            Failure::Unexpected("a body larger than the helper reads".to_owned())
        }
    }
    };
    let Some(status) = answer.status else {
        return Err(problem(answer.problem.unwrap_or(TransportProblem::Network)));
    };
    if !(200..300).contains(&status) {
        // The error body, when it has Okta's shape, names what went wrong.
        let error = match answer.problem {
            None => super::codec::from_js::<ApiError>(body).ok(),
            Some(_) => None,
        };
        return Err(classify(request, status, &answer.headers, error)
            .unwrap_or_else(|| Failure::Unexpected(format!("status {status}"))));
    }
    match answer.problem {
        Some(why) => Err(problem(why)),
        None => Ok((body, answer.headers)),
    }
}

async fn sleep(seconds: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, seconds as f64 * 1000.0);
    });
    let _ = JsFuture::from(promise).await;
}
