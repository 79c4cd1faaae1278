//! End to end: the helper checks the org through Okta's API (grants, role, assignment), grants a
//! missing scope after the admin confirms, reads a hidden secret through the API, and turns every
//! fault into words; it never calls any host but the org's Admin Console.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::Harness;
use serde_json::json;
use testbed::browser::Session;
use testbed::server::{Fault, ADMIN_HOST, WORKFLOWS_OAUTH_APP_ID};

const VERIFIED: &str = "[...document.querySelectorAll('[data-scope]:not([data-optional])')].every(e => e.dataset.source === 'api')";

fn checks(h: &mut Harness, overlay: &Session) -> serde_json::Value {
    h.wait_overlay(
        overlay,
        "the preconditions",
        "document.querySelectorAll('.preconditions li').length === 2 &&\
         Object.fromEntries([...document.querySelectorAll('.preconditions li')].map(li => [li.dataset.check, li.dataset.state]))",
    )
}

fn api_problem(h: &mut Harness, overlay: &Session) -> String {
    let text = h.wait_overlay(
        overlay,
        "an API problem",
        "document.querySelector('.api-problem')?.textContent",
    );
    text.as_str().unwrap_or_default().to_owned()
}

/// Clicks "Grant … through Okta's API", which opens the confirmation.
fn open_grant_confirmation(h: &mut Harness, overlay: &Session) {
    h.wait_overlay(
        overlay,
        "the grant button",
        "document.querySelector('[data-action=\"api-grant\"]')",
    );
    h.overlay_eval(
        overlay,
        "document.querySelector('[data-action=\"api-grant\"]').click()",
    );
}

fn recheck(h: &mut Harness, overlay: &Session) {
    h.wait_overlay(
        overlay,
        "Check again",
        "document.querySelector('[data-action=\"api-recheck\"]')",
    );
    h.overlay_eval(
        overlay,
        "document.querySelector('[data-action=\"api-recheck\"]').click()",
    );
}

#[test]
fn the_api_verification_agrees_with_the_page_and_the_preconditions_hold() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    let sources = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-scope=\"okta.devices.manage\"] .source').textContent",
    );
    assert_eq!(sources, "verified by API");
    assert_eq!(
        h.overlay_eval(
            &overlay,
            "document.querySelectorAll('.disagreements li').length"
        ),
        0
    );
    assert_eq!(
        checks(&mut h, &overlay),
        json!({"super_admin": "yes", "assigned": "yes"})
    );
}

#[test]
fn a_disagreement_between_page_and_api_is_shown() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    // Someone grants the scope elsewhere; this tab still shows it missing.
    h.page_eval(
        &page,
        &format!(
            "fetch('/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants', {{method: 'POST', credentials: 'same-origin',\
               headers: {{'Content-Type': 'application/json', 'X-Okta-XsrfToken': document.getElementById('_xsrfToken').textContent}},\
               body: JSON.stringify({{scopeId: 'okta.devices.manage', issuer: 'https://acme.okta.com'}})}}).then(r => r.status)"
        ),
    );
    recheck(&mut h, &overlay);
    let line = h.wait_overlay(
        &overlay,
        "the disagreement",
        "document.querySelector('.disagreements li')?.textContent",
    );
    assert_eq!(
        line,
        "okta.devices.manage: Okta's API has it granted, but the page shows it missing. Reload the page."
    );
    let source = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-scope=\"okta.devices.manage\"]').dataset.source",
    );
    assert_eq!(source, "page", "a disputed line is never called verified");
}

#[test]
fn one_click_grant_after_confirming_makes_the_scope_granted_in_the_api_and_on_the_page() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    open_grant_confirmation(&mut h, &overlay);
    let listed = h.wait_overlay(
        &overlay,
        "the confirmation",
        "document.querySelector('.confirm') && [...document.querySelectorAll('.confirm li')].map(li => li.textContent)",
    );
    assert_eq!(listed, json!(["okta.devices.manage"]));
    assert!(
        !h.server.api_calls().iter().any(|c| c.starts_with("POST")),
        "nothing is sent before the admin confirms"
    );
    h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"api-grant-confirm\"]').click()",
    );
    let result = h.wait_overlay(
        &overlay,
        "the grant result",
        "document.querySelector('.grant-results li')?.dataset.result",
    );
    assert_eq!(result, "granted");
    let reminder = h.overlay_eval(
        &overlay,
        "document.querySelector('.api .reminder').textContent",
    );
    assert!(
        reminder.as_str().is_some_and(|r| r.contains("reauthorize")),
        "{reminder}"
    );
    h.wait_devices_manage(&overlay, "granted");
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.wait_page(
        &page,
        "the highlight to go",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
    let posts: Vec<String> = h
        .server
        .api_calls()
        .into_iter()
        .filter(|c| c.starts_with("POST"))
        .collect();
    assert_eq!(
        posts,
        [format!("POST /api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants")]
    );
}

#[test]
fn cancelling_the_grant_sends_nothing() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    open_grant_confirmation(&mut h, &overlay);
    h.wait_overlay(
        &overlay,
        "the confirmation",
        "document.querySelector('[data-action=\"api-grant-cancel\"]')",
    );
    h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"api-grant-cancel\"]').click()",
    );
    h.wait_overlay(
        &overlay,
        "the confirmation to close",
        "!document.querySelector('.confirm')",
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!h.server.api_calls().iter().any(|c| c.starts_with("POST")));
    assert_eq!(h.wait_devices_manage(&overlay, "missing").len(), 8);
}

#[test]
fn a_user_who_is_not_a_super_admin_and_an_unassigned_app_are_reported() {
    let mut h = Harness::start();
    h.server.set_super_admin(false);
    h.server.set_assigned(false);
    let (_, overlay) = h.open_scopes_tab();
    assert_eq!(
        checks(&mut h, &overlay),
        json!({"super_admin": "no", "assigned": "no"})
    );
    let texts = h.overlay_eval(
        &overlay,
        "[...document.querySelectorAll('.preconditions li')].map(li => li.textContent)",
    );
    assert!(
        texts[0]
            .as_str()
            .is_some_and(|t| t.contains("not a Super Administrator")),
        "{texts}"
    );
    assert!(
        texts[1]
            .as_str()
            .is_some_and(|t| t.contains("Assignments tab")),
        "{texts}"
    );
}

#[test]
fn no_request_leaves_the_orgs_admin_host() {
    let mut h = Harness::start();
    let worker = h.worker();
    h.browser
        .send(Some(&worker), "Network.enable", json!({}))
        .expect("network events");
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    let urls: Vec<String> = h
        .browser
        .events
        .iter()
        .filter(|e| {
            e["method"] == "Network.requestWillBeSent" && e["sessionId"] == worker.0.as_str()
        })
        .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_owned))
        .collect();
    assert!(
        urls.iter().any(|u| u.contains("/api/v1/")),
        "the worker called the API: {urls:?}"
    );
    for url in &urls {
        assert!(
            url.starts_with(&format!("https://{ADMIN_HOST}/api/v1/"))
                || url.starts_with("chrome-extension://"),
            "{url} left the org's admin host"
        );
    }
}

#[test]
fn an_expired_session_says_to_reload() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.server.expire_sessions();
    recheck(&mut h, &overlay);
    assert_eq!(
        api_problem(&mut h, &overlay),
        "Your console session expired. Reload the page, then try again."
    );
}

#[test]
fn a_403_names_the_missing_permission() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.server.fail_next(&[Fault::Status(403)]);
    recheck(&mut h, &overlay);
    let problem = api_problem(&mut h, &overlay);
    assert!(
        problem.contains("okta.apps.read") && problem.contains("Super Administrator"),
        "{problem}"
    );
}

#[test]
fn a_429_is_waited_for_once_and_said() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.server.throttle_next(1);
    recheck(&mut h, &overlay);
    let note = h.wait_overlay(
        &overlay,
        "the rate-limit note",
        "document.querySelector('.api-note')?.textContent",
    );
    assert!(
        note.as_str()
            .is_some_and(|n| n.contains("rate limit") && n.contains("waited")),
        "{note}"
    );
    h.wait_overlay(&overlay, "the check to succeed after waiting", VERIFIED);
}

#[test]
fn a_server_error_keeps_the_page_result_and_says_so() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.server.fail_next(&[Fault::Status(500)]);
    recheck(&mut h, &overlay);
    let problem = api_problem(&mut h, &overlay);
    assert!(
        problem.contains("(500)") && problem.contains("what the page says"),
        "{problem}"
    );
    let checklist = h.wait_devices_manage(&overlay, "missing");
    assert_eq!(checklist.len(), 8);
    let source = h.overlay_eval(&overlay, "document.querySelector('[data-scope=\"okta.devices.manage\"] .source')?.textContent ?? 'none'");
    assert_ne!(source, "verified by API");
}

#[test]
fn an_unexpected_shape_is_an_error_never_a_pass() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    // The app lookup answers as documented; the grants list comes back in an unknown shape.
    h.server.fail_next(&[Fault::Pass, Fault::Garbled]);
    recheck(&mut h, &overlay);
    let problem = api_problem(&mut h, &overlay);
    assert!(problem.contains("unexpected shape"), "{problem}");
    let source = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-scope=\"okta.devices.manage\"]').dataset.source",
    );
    assert_eq!(source, "page");
}

#[test]
fn a_failed_grant_is_reported_for_its_scope() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    open_grant_confirmation(&mut h, &overlay);
    h.wait_overlay(
        &overlay,
        "the confirmation",
        "document.querySelector('[data-action=\"api-grant-confirm\"]')",
    );
    // The app lookup answers; the grant itself fails.
    h.server.fail_next(&[Fault::Pass, Fault::Status(500)]);
    h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"api-grant-confirm\"]').click()",
    );
    let result = h.wait_overlay(
        &overlay,
        "the grant result",
        "document.querySelector('.grant-results li[data-scope=\"okta.devices.manage\"]')?.dataset.result",
    );
    assert_eq!(result, "failed");
    let text = h.overlay_eval(
        &overlay,
        "document.querySelector('.grant-results li').textContent",
    );
    assert!(
        text.as_str()
            .is_some_and(|t| t.starts_with("okta.devices.manage: not granted.")),
        "{text}"
    );
    assert_eq!(
        h.overlay_eval(&overlay, "!!document.querySelector('.api .reminder')"),
        false
    );
    h.wait_devices_manage(&overlay, "missing");
}
