//! End to end: the demo org's `/api/v1` behaves as Okta's API reference says, as seen from the
//! Admin Console page itself (its session cookie and XSRF token): authentication, shapes,
//! pagination, faults, and one grant state shared with the Scopes tab.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::Harness;
use serde_json::{json, Value};
use testbed::server::{ADMIN_HOST, WORKFLOWS_OAUTH_APP_ID};

/// A fetch from the page: `{status, link, reset, body}`. `xsrf` sends the page's token.
fn call(
    h: &mut Harness,
    page: &testbed::browser::Page,
    method: &str,
    path: &str,
    xsrf: bool,
    body: Option<Value>,
) -> Value {
    let script = format!(
        "(async () => {{\
           const headers = {{'Accept': 'application/json', 'Content-Type': 'application/json'}};\
           if ({xsrf}) headers['X-Okta-XsrfToken'] = document.getElementById('_xsrfToken').textContent;\
           const response = await fetch('{path}', {{method: '{method}', headers, credentials: 'same-origin',\
             body: {body}}});\
           const text = await response.text();\
           return {{status: response.status, link: response.headers.get('Link'),\
                    reset: response.headers.get('X-Rate-Limit-Reset'), body: text ? JSON.parse(text) : null}};\
         }})()",
        body = body.map_or("undefined".to_owned(), |b| format!("JSON.stringify({b})")),
    );
    h.page_eval(page, &script)
}

fn grants_path() -> String {
    format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants")
}

#[test]
fn calls_need_the_session_cookie_and_a_matching_xsrf_token() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    let cookie = h.page_eval(&page, "document.cookie");
    assert_eq!(cookie, "", "the session cookie is HttpOnly");

    let without = call(&mut h, &page, "GET", &grants_path(), false, None);
    assert_eq!(without["status"], 403);
    assert_eq!(without["body"]["errorCode"], "E0000006");
    for field in ["errorSummary", "errorId", "errorCauses"] {
        assert!(without["body"].get(field).is_some(), "{field} in {without}");
    }
    let with = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(with["status"], 200);
    let grant = &with["body"][0];
    for field in ["id", "scopeId", "issuer", "status", "source", "_links"] {
        assert!(grant.get(field).is_some(), "{field} in {grant}");
    }
    assert_eq!(grant["issuer"], "https://acme.okta.com");

    h.server.expire_sessions();
    let expired = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(expired["status"], 401);
}

#[test]
fn grants_page_with_link_headers() {
    let mut h = Harness::start();
    h.server.set_page_size(2);
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    let first = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(first["body"].as_array().map(Vec::len), Some(2));
    let link = first["link"].as_str().unwrap_or_default().to_owned();
    let next = link
        .split(',')
        .find(|l| l.contains("rel=\"next\""))
        .and_then(|l| l.split(['<', '>']).nth(1))
        .unwrap_or_else(|| panic!("a next link in {link}"))
        .to_owned();
    assert!(
        next.starts_with(&format!("https://{ADMIN_HOST}/api/v1/apps/")),
        "{next}"
    );
    let second = call(&mut h, &page, "GET", &next, true, None);
    assert_eq!(second["body"].as_array().map(Vec::len), Some(1));
    assert!(!second["link"]
        .as_str()
        .unwrap_or_default()
        .contains("rel=\"next\""));
}

#[test]
fn too_many_calls_answer_429_with_the_reset_time() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    h.server.throttle_next(1);
    let throttled = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(throttled["status"], 429);
    assert_eq!(throttled["body"]["errorCode"], "E0000047");
    assert!(throttled["reset"]
        .as_str()
        .and_then(|r| r.parse::<u64>().ok())
        .is_some());
    let after = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(after["status"], 200);
}

#[test]
fn a_grant_made_through_the_api_shows_on_the_scopes_tab_and_back() {
    let mut h = Harness::start();
    let (page, _) = h.open_scopes_tab();
    let created = call(
        &mut h,
        &page,
        "POST",
        &grants_path(),
        true,
        Some(json!({"scopeId": "okta.devices.manage", "issuer": "https://acme.okta.com"})),
    );
    assert_eq!(created["status"], 201);
    assert_eq!(created["body"]["scopeId"], "okta.devices.manage");
    // The Scopes tab reads the grants again when opened; the overlay follows.
    h.page_eval(&page, "location.hash = '#tab-general'");
    h.page_eval(&page, "location.hash = '#tab-okta-api-scopes'");
    let overlay = h.overlay(&page);
    h.wait_devices_manage(&overlay, "granted");

    let listed = call(&mut h, &page, "GET", &grants_path(), true, None);
    let scopes: Vec<&str> = listed["body"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["scopeId"].as_str())
        .collect();
    assert!(scopes.contains(&"okta.devices.manage"), "{scopes:?}");
    let calls = h.server.api_calls();
    assert!(
        calls.iter().any(|c| c.starts_with("POST /api/v1/apps/")),
        "{calls:?}"
    );
}

#[test]
fn roles_assignment_and_the_app_are_reported_as_documented() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    let me = call(&mut h, &page, "GET", "/api/v1/users/me", true, None);
    let user = me["body"]["id"].as_str().unwrap_or_default().to_owned();
    let roles = call(
        &mut h,
        &page,
        "GET",
        &format!("/api/v1/users/{user}/roles"),
        true,
        None,
    );
    assert_eq!(roles["body"][0]["type"], "SUPER_ADMIN");
    let apps = call(
        &mut h,
        &page,
        "GET",
        "/api/v1/apps?filter=name%20eq%20%22flow%22",
        true,
        None,
    );
    assert_eq!(apps["body"].as_array().map(Vec::len), Some(1));
    assert_eq!(apps["body"][0]["id"], WORKFLOWS_OAUTH_APP_ID);
    let assigned = call(
        &mut h,
        &page,
        "GET",
        &format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/users/{user}"),
        true,
        None,
    );
    assert_eq!(assigned["status"], 200);

    h.server.set_super_admin(false);
    h.server.set_assigned(false);
    let roles = call(
        &mut h,
        &page,
        "GET",
        &format!("/api/v1/users/{user}/roles"),
        true,
        None,
    );
    assert_eq!(roles["body"][0]["type"], "APP_ADMIN");
    let unassigned = call(
        &mut h,
        &page,
        "GET",
        &format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/users/{user}"),
        true,
        None,
    );
    assert_eq!(unassigned["status"], 404);
    assert_eq!(unassigned["body"]["errorCode"], "E0000007");
}
