//! End to end, in Chromium and in Firefox ESR from one body each: "Why does my Okta Devices
//! connection fail?" on the Okta Workflows OAuth app's pages. The demo org logs its token requests
//! as Okta does (a refused scope, a rejected secret), and the helper reads the System Log from the
//! Admin Console page's own origin, through the page agent: a refused scope becomes "grant it,
//! then reauthorize", and after the grant the reminder names the grant's time; an event type the
//! helper does not know is shown as Okta wrote it; a rejected secret says to update it, and the
//! popup shows that answer; an empty log says what was searched; a log the admin may not read
//! names the permission it needs.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::firefox::GRANT_QUESTION;
use common::scenario::{verified_scopes_tab as scopes_tab, Console};
use serde_json::{json, Value};
use testbed::server::{TokenAnswer, ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH};
use testbed::session::{diagnosis_items, READ_DIAGNOSIS};

/// The scopes an Okta Devices connection asks for.
const CONNECTION_SCOPES: [&str; 2] = ["openid", "okta.devices.manage"];

/// Clicks Diagnose and waits for its answer (see [`READ_DIAGNOSIS`]).
fn diagnose<C: Console>(h: &mut C, panel: &C::Frame) -> Value {
    h.click(panel, "diagnose");
    h.wait(panel, "the diagnosis", READ_DIAGNOSIS)
}

fn a_refused_scope_says_grant_then_reauthorize_and_after_the_grant_the_reminder_names_its_time<
    C: Console,
>() {
    let mut h = C::start();
    let secret = h.server().client_secret();
    assert_eq!(
        h.server().request_token(&secret, &CONNECTION_SCOPES),
        TokenAnswer::InvalidScope(vec!["okta.devices.manage".to_owned()])
    );
    let (_, panel) = scopes_tab(&mut h);
    let found = diagnose(&mut h, &panel);
    let verdicts = diagnosis_items(&found, "verdicts");
    assert_eq!(verdicts.len(), 1, "{found}");
    assert!(
        verdicts[0].starts_with(
            "grant-then-reauthorize|Okta refused okta.devices.manage because it is not granted to this app. Grant it here, then reauthorize"
        ),
        "{verdicts:?}"
    );
    let findings = diagnosis_items(&found, "findings");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(
        findings[0].starts_with("app.oauth2.token.grant|true|")
            && findings[0].contains("OAuth2 token request")
            && findings[0].contains("reason: invalid_scope")
            && findings[0].contains("requestedScopes: openid okta.devices.manage"),
        "{findings:?}"
    );
    assert!(
        found["searched"]
            .as_str()
            .is_some_and(|s| s.starts_with("Searched Okta's System Log from ")
                && s.ends_with(": 1 failure for this app.")),
        "{found}"
    );
    assert_eq!(found["problem"], Value::Null);
    let shown = h.eval(&panel, "document.documentElement.outerHTML");
    assert!(
        !shown.to_string().contains(&secret),
        "the panel shows the secret"
    );

    // The admin grants it here; the next diagnosis says the connection needs reauthorizing only,
    // and reminds with the grant's time.
    h.click(&panel, "api-grant");
    h.act(&panel, "api-grant-confirm", ADMIN_HOST, GRANT_QUESTION);
    h.wait(
        &panel,
        "the grant",
        "document.querySelector('.grant-results li')?.dataset.result === 'granted'",
    );
    let after = diagnose(&mut h, &panel);
    let verdicts = diagnosis_items(&after, "verdicts");
    assert!(
        verdicts[0].starts_with(
            "grant-then-reauthorize|Okta refused okta.devices.manage, which is granted now: reauthorize the connection"
        ),
        "{verdicts:?}"
    );
    let reminders = diagnosis_items(&after, "reminders");
    assert_eq!(reminders.len(), 1, "{after}");
    assert!(
        reminders[0].starts_with("okta.devices.manage was granted at ")
            && reminders[0].contains(" UTC. Connections authorized before then do not have it yet"),
        "{reminders:?}"
    );
    // Every request left from the console page: the log's reads too.
    let requests = h.server().api_requests();
    let logs: Vec<_> = requests
        .iter()
        .filter(|r| r.target.starts_with("/api/v1/logs?"))
        .collect();
    assert_eq!(logs.len(), 2, "{requests:?}");
    assert!(logs.iter().all(|r| r.status == 200));
    let origin = format!("https://{ADMIN_HOST}");
    for request in &requests {
        assert!(
            request.origin.is_none() || request.origin.as_deref() == Some(origin.as_str()),
            "{request:?}"
        );
    }
}

fn an_insufficient_scope_and_an_unknown_event_are_shown_as_okta_wrote_them<C: Console>() {
    let mut h = C::start();
    h.server().log_failure(
        "app.oauth2.token.grant.access_token",
        "OAuth2 access token request",
        "insufficient_scope",
        json!({"requestedScopes": "openid okta.devices.manage", "grantType": "refresh_token"}),
    );
    h.server().log_failure(
        "app.oauth2.future.check",
        "A check Okta added later",
        "policy_evaluation",
        json!({"requestUri": "/oauth2/v1/token", "risk": 3}),
    );
    let (_, panel) = scopes_tab(&mut h);
    let found = diagnose(&mut h, &panel);
    let verdicts = diagnosis_items(&found, "verdicts");
    assert_eq!(verdicts.len(), 2, "{found}");
    assert!(
        verdicts[0].starts_with(
            "grant-then-reauthorize|Okta refused okta.devices.manage because it is not granted"
        ),
        "{verdicts:?}"
    );
    assert!(
        verdicts[1].starts_with("unexplained|1 failure that Okta's record does not explain"),
        "{verdicts:?}"
    );
    let findings = diagnosis_items(&found, "findings");
    assert_eq!(findings.len(), 2, "{findings:?}");
    // Newest first: the unknown event was written last.
    assert!(
        findings[0].starts_with("app.oauth2.future.check|false|")
            && findings[0].contains("A check Okta added later")
            && findings[0].contains("reason: policy_evaluation")
            && findings[0].contains(
                "The helper does not know this event type; it is shown as Okta wrote it."
            ),
        "{findings:?}"
    );
    assert!(
        findings[1].contains("reason: insufficient_scope")
            && findings[1].contains("requestedScopes: openid okta.devices.manage"),
        "{findings:?}"
    );
}

fn a_rejected_secret_says_to_capture_it_again_and_the_popup_shows_it<C: Console>() {
    let mut h = C::start();
    assert_eq!(
        h.server()
            .request_token("a-secret-rotated-away", &CONNECTION_SCOPES),
        TokenAnswer::InvalidClient
    );
    let tab = h.open_tab(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-signon"),
    );
    let panel = h.panel(&tab);
    let found = diagnose(&mut h, &panel);
    let verdicts = diagnosis_items(&found, "verdicts");
    assert_eq!(verdicts.len(), 1, "{found}");
    assert!(
        verdicts[0].starts_with("update-secret|Okta rejected the connection's Client secret"),
        "{verdicts:?}"
    );
    assert!(diagnosis_items(&found, "findings")[0]
        .starts_with("app.oauth2.invalid_client_credentials|true|"));
    // The popup shows the last answer, with a link back to the app.
    let popup = h.popup(&panel);
    let step = h.wait(
        &popup,
        "the popup's diagnosis",
        "[...document.querySelectorAll('[data-org=\"acme.okta.com\"] li')]\
           .map(li => li.textContent).find(t => t.startsWith('Why the connection fails: searched ')) ?? null",
    );
    assert!(
        step.as_str().is_some_and(
            |s| s.contains("Okta rejected the connection's Client secret")
                && s.contains("Searched Okta's System Log from ")
        ),
        "{step}"
    );
}

fn no_failure_is_said_with_the_window_searched<C: Console>() {
    let mut h = C::start();
    let secret = h.server().client_secret();
    // A token granted is no failure.
    assert!(matches!(
        h.server().request_token(&secret, &["openid"]),
        TokenAnswer::Granted(_)
    ));
    let (_, panel) = scopes_tab(&mut h);
    let found = diagnose(&mut h, &panel);
    assert_eq!(
        diagnosis_items(&found, "verdicts"),
        ["none|No failure found."]
    );
    assert!(diagnosis_items(&found, "findings").is_empty());
    let searched = found["searched"].as_str().unwrap_or_default();
    assert!(
        searched.starts_with("Searched Okta's System Log from ")
            && searched.contains(" UTC to ")
            && searched.ends_with(
                ": no failed token or authorize request, and no other failure, for this app."
            ),
        "{searched}"
    );
}

fn a_log_the_admin_may_not_read_names_the_permission_and_concludes_nothing<C: Console>() {
    let mut h = C::start();
    h.server().set_can_read_logs(false);
    let (_, panel) = scopes_tab(&mut h);
    let found = diagnose(&mut h, &panel);
    let problem = found["problem"].as_str().unwrap_or_default();
    assert!(
        problem.starts_with("Okta refused to read the System Log (E0000006)")
            && problem.contains("okta.logs.read"),
        "{problem}"
    );
    assert!(diagnosis_items(&found, "verdicts").is_empty(), "{found}");
    assert_eq!(found["searched"], Value::Null);
}

in_both_browsers!(
    a_refused_scope_says_grant_then_reauthorize_and_after_the_grant_the_reminder_names_its_time,
    an_insufficient_scope_and_an_unknown_event_are_shown_as_okta_wrote_them,
    a_rejected_secret_says_to_capture_it_again_and_the_popup_shows_it,
    no_failure_is_said_with_the_window_searched,
    a_log_the_admin_may_not_read_names_the_permission_and_concludes_nothing,
);
