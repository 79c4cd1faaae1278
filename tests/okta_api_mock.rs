//! End to end: the demo org's `/api/v1` refuses what Okta refuses and answers as Okta's API
//! reference says, as seen from the Admin Console page itself (its session cookie and XSRF
//! token) and from pages of other origins: origin validation, sessions, the XSRF token, roles,
//! rate limits, `Link` pagination with opaque cursors, client secrets, the org metadata, faults,
//! grants for other issuers, and one grant state shared with the Scopes tab.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Harness, PATIENCE};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use testbed::browser::Page;
use testbed::server::{
    Fault, MetadataFault, ADMIN_HOST, ORG_HOST, WORKFLOWS_CONNECTIONS, WORKFLOWS_HOST,
    WORKFLOWS_OAUTH_APP_ID, WORKFLOWS_OAUTH_APP_PATH,
};

const PERMISSION: &str = "You do not have permission to perform the requested action";

/// A fetch from the page, `init` being fetch's options as JavaScript: `{status, link, limit,
/// remaining, reset, body}` (the body parsed as JSON when it is JSON).
fn fetch(h: &mut Harness, page: &Page, url: &str, init: &str) -> Value {
    let script = format!(
        "(async () => {{\
           const response = await fetch({url}, {init});\
           const text = await response.text();\
           let body = null;\
           try {{ body = text ? JSON.parse(text) : null; }} catch {{ body = text; }}\
           const header = name => response.headers.get(name);\
           return {{status: response.status, link: header('Link'), limit: header('X-Rate-Limit-Limit'),\
                    remaining: header('X-Rate-Limit-Remaining'), reset: header('X-Rate-Limit-Reset'), body}};\
         }})()",
        url = json!(url),
    );
    h.page_eval(page, &script)
}

/// A call as the console page makes it: same origin, its cookie and, if `xsrf`, its XSRF token.
fn call(
    h: &mut Harness,
    page: &Page,
    method: &str,
    path: &str,
    xsrf: bool,
    body: Option<Value>,
) -> Value {
    let init = format!(
        "{{method: '{method}', credentials: 'same-origin', body: {body},\
           headers: Object.assign({{'Accept': 'application/json', 'Content-Type': 'application/json'}},\
             {xsrf} ? {{'X-Okta-XsrfToken': document.getElementById('_xsrfToken').textContent}} : {{}})}}",
        body = body.map_or("undefined".to_owned(), |b| format!("JSON.stringify({b})")),
    );
    fetch(h, page, path, &init)
}

fn grants_path() -> String {
    format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants")
}

fn assert_okta_error(answer: &Value, status: u16, code: &str, summary: &str) {
    assert_eq!(answer["status"], status, "{answer}");
    assert_eq!(answer["body"]["errorCode"], code, "{answer}");
    assert_eq!(answer["body"]["errorSummary"], summary, "{answer}");
    for field in ["errorLink", "errorId", "errorCauses"] {
        assert!(answer["body"].get(field).is_some(), "{field} in {answer}");
    }
}

fn epoch_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn number(answer: &Value, field: &str) -> u64 {
    answer[field]
        .as_str()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{field} is a number in {answer}"))
}

/// Opens `https://{host}{path}` with the page's Content Security Policy bypassed (over CDP), so
/// that a test can fetch from it across origins, as any page without such a policy could: the
/// demo consoles' own policy (`connect-src 'self'`) would stop the request in the browser
/// before the server could answer it.
fn open_without_csp(h: &mut Harness, host: &str, path: &str) -> Page {
    let page = h.browser.open("about:blank").expect("a new tab");
    h.browser
        .send(
            Some(&page.session),
            "Page.setBypassCSP",
            json!({"enabled": true}),
        )
        .expect("the CSP bypassed");
    h.browser
        .send(
            Some(&page.session),
            "Page.navigate",
            json!({"url": format!("https://{host}{path}")}),
        )
        .expect("the navigation");
    h.wait_page(
        &page,
        &format!("{host}{path} to load"),
        "document.readyState === 'complete' && location.protocol === 'https:'",
    );
    page
}

/// The parameters of the CDP events named `method` received so far.
fn events<'a>(
    browser: &'a testbed::browser::Browser,
    method: &'a str,
) -> impl Iterator<Item = &'a Value> + 'a {
    browser
        .events
        .iter()
        .filter(move |e| e["method"] == method)
        .map(|e| &e["params"])
}

/// The action button (`grant-button` or `revoke-button`) in the Scopes tab's row of `scope`.
fn row_button(h: &mut Harness, page: &Page, scope: &str) -> Value {
    h.page_eval(
        page,
        &format!(
            "[...document.querySelectorAll('[data-se=\"scope-row\"]')]\
               .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === '{scope}')\
               ?.querySelector('button')?.dataset.se ?? null"
        ),
    )
}

fn wait_row_button(h: &mut Harness, page: &Page, scope: &str, button: &str) {
    h.wait_page(
        page,
        &format!("the {button} in the row of {scope}"),
        &format!(
            "[...document.querySelectorAll('[data-se=\"scope-row\"]')]\
               .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === '{scope}')\
               ?.querySelector('button:not([disabled])')?.dataset.se === '{button}'"
        ),
    );
}

#[test]
fn calls_need_a_session_and_the_xsrf_token() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    let cookie = h.page_eval(&page, "document.cookie");
    assert_eq!(cookie, "", "the session cookie is HttpOnly");

    let without_xsrf = call(&mut h, &page, "GET", &grants_path(), false, None);
    assert_okta_error(&without_xsrf, 403, "E0000006", PERMISSION);
    let wrong_xsrf = fetch(
        &mut h,
        &page,
        &grants_path(),
        "{credentials: 'same-origin', headers: {'X-Okta-XsrfToken': 'not-the-token'}}",
    );
    assert_okta_error(&wrong_xsrf, 403, "E0000006", PERMISSION);
    let without_session = fetch(
        &mut h,
        &page,
        &grants_path(),
        "{credentials: 'omit', headers: {'X-Okta-XsrfToken': document.getElementById('_xsrfToken').textContent}}",
    );
    assert_okta_error(&without_session, 403, "E0000005", "Invalid session");

    let with = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(with["status"], 200, "{with}");
    let grant = &with["body"][0];
    for field in ["id", "scopeId", "issuer", "status", "source", "_links"] {
        assert!(grant.get(field).is_some(), "{field} in {grant}");
    }
    assert_eq!(grant["issuer"], "https://acme.okta.com");

    h.server.expire_sessions();
    let expired = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_okta_error(&expired, 403, "E0000005", "Invalid session");
    // A reload signs in again: a new session, a new token.
    h.page_eval(&page, "location.reload()");
    std::thread::sleep(Duration::from_millis(300));
    h.wait_page(&page, "the reload", "document.readyState === 'complete'");
    let again = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(again["status"], 200, "{again}");
}

#[test]
fn grants_page_with_one_link_header_per_relation_and_an_opaque_cursor() {
    let mut h = Harness::start();
    h.server.set_page_size(2);
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    h.browser
        .send(Some(&page.session), "Network.enable", json!({}))
        .expect("network events");
    let first = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(first["body"].as_array().map(Vec::len), Some(2), "{first}");
    // fetch joins the header lines with ", "; CDP's raw headers show each line.
    let link = first["link"].as_str().unwrap_or_default().to_owned();
    let self_url = format!("https://{ADMIN_HOST}{}?limit=2", grants_path());
    assert!(
        link.starts_with(&format!("<{self_url}>; rel=\"self\", <")),
        "{link}"
    );
    let session = page.session.clone();
    let raw = h
        .browser
        .wait_for("the grants list's raw response headers", PATIENCE, |b| {
            b.evaluate(&session, "1")?;
            let Some(request) = events(b, "Network.responseReceived")
                .find(|p| {
                    p["response"]["url"]
                        .as_str()
                        .is_some_and(|u| u.ends_with("/grants"))
                })
                .map(|p| p["requestId"].clone())
            else {
                return Ok(None);
            };
            // The raw headers, as received; several of one name are joined with "\n".
            Ok(events(b, "Network.responseReceivedExtraInfo")
                .find(|p| p["requestId"] == request)
                .and_then(|p| {
                    p["headers"]
                        .as_object()?
                        .iter()
                        .find(|(name, _)| name.eq_ignore_ascii_case("link"))
                        .and_then(|(_, value)| value.as_str().map(str::to_owned))
                }))
        })
        .expect("the grants list's Link headers over CDP");
    let lines: Vec<&str> = raw.split('\n').collect();
    assert_eq!(lines.len(), 2, "one Link header per relation: {raw:?}");
    assert_eq!(lines[0], format!("<{self_url}>; rel=\"self\""));
    assert!(lines[1].ends_with("; rel=\"next\""), "{raw:?}");

    let next = link
        .split(", ")
        .find(|l| l.ends_with("rel=\"next\""))
        .and_then(|l| l.split(['<', '>']).nth(1))
        .unwrap_or_else(|| panic!("a next link in {link}"))
        .to_owned();
    let cursor = next
        .strip_prefix(&format!("https://{ADMIN_HOST}{}?after=", grants_path()))
        .and_then(|rest| rest.strip_suffix("&limit=2"))
        .unwrap_or_else(|| panic!("an absolute next link on the admin host: {next}"))
        .to_owned();
    let second = call(&mut h, &page, "GET", &next, true, None);
    assert_eq!(second["body"].as_array().map(Vec::len), Some(1), "{second}");
    let second_link = second["link"].as_str().unwrap_or_default();
    assert_eq!(second_link, format!("<{next}>; rel=\"self\""));
    let ids: Vec<String> = [&first, &second]
        .iter()
        .flat_map(|page| page["body"].as_array().cloned().unwrap_or_default())
        .filter_map(|g| g["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(
        !ids.contains(&cursor) && !ids.iter().any(|id| cursor.contains(id.as_str())),
        "the cursor {cursor} is not a grant id ({ids:?})"
    );
    // A grant id is no cursor.
    let by_id = call(
        &mut h,
        &page,
        "GET",
        &format!("{}?after={}&limit=2", grants_path(), ids[1]),
        true,
        None,
    );
    assert_okta_error(&by_id, 400, "E0000031", "Invalid search criteria.");
}

#[test]
fn every_answer_carries_the_rate_limit_and_429_resets_as_announced() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    let now = epoch_seconds();
    let ok = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(ok["status"], 200);
    assert_eq!(number(&ok, "limit"), 1200);
    let remaining = number(&ok, "remaining");
    assert!(remaining < 1200, "{ok}");
    let reset = number(&ok, "reset");
    assert!((now..=now + 61).contains(&reset), "{reset} vs {now}");
    let refused = call(&mut h, &page, "GET", &grants_path(), false, None);
    assert_eq!(refused["status"], 403);
    assert_eq!(number(&refused, "limit"), 1200);
    assert!(number(&refused, "remaining") < remaining, "{refused}");
    assert_eq!(number(&refused, "reset"), reset);

    h.server.throttle_next(1);
    let throttled = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_okta_error(
        &throttled,
        429,
        "E0000047",
        "API call exceeded rate limit due to too many requests.",
    );
    assert_eq!(number(&throttled, "remaining"), 0);
    let reset = number(&throttled, "reset");
    assert!(
        reset <= epoch_seconds() + 2,
        "resets within a second: {reset}"
    );
    while epoch_seconds() < reset {
        std::thread::sleep(Duration::from_millis(50));
    }
    let after = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(after["status"], 200, "{after}");

    // Counted per endpoint family: spending `apps` leaves `users` alone.
    h.server.set_rate_limit(10);
    let spent = (0..12)
        .map(|_| call(&mut h, &page, "GET", &grants_path(), true, None))
        .find(|answer| answer["status"] == 429)
        .expect("the apps family runs out");
    assert_okta_error(
        &spent,
        429,
        "E0000047",
        "API call exceeded rate limit due to too many requests.",
    );
    assert_eq!(number(&spent, "limit"), 10);
    assert_eq!(number(&spent, "remaining"), 0);
    assert!(number(&spent, "reset") > epoch_seconds() + 1, "{spent}");
    let users = call(&mut h, &page, "GET", "/api/v1/users/me", true, None);
    assert_eq!(users["status"], 200, "{users}");
    h.server.set_rate_limit(1200);
    let restored = call(&mut h, &page, "GET", &grants_path(), true, None);
    assert_eq!(restored["status"], 200, "{restored}");
}

#[test]
fn roles_assignment_secrets_and_the_app_are_reported_as_documented() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    let me = call(&mut h, &page, "GET", "/api/v1/users/me", true, None);
    let user = me["body"]["id"].as_str().unwrap_or_default().to_owned();
    let roles_path = format!("/api/v1/users/{user}/roles");
    let roles = call(&mut h, &page, "GET", &roles_path, true, None);
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
    // One app by its id, and a second `flow` instance once a test adds it.
    let app_path = format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}");
    let app = call(&mut h, &page, "GET", &app_path, true, None);
    assert_eq!(app["body"]["name"], "flow");
    let unknown = call(
        &mut h,
        &page,
        "GET",
        "/api/v1/apps/0oa9nosuchapp",
        true,
        None,
    );
    assert_eq!(unknown["status"], 404);
    assert_eq!(unknown["body"]["errorCode"], "E0000007");
    h.server.add_app(
        "0oa2wf2oauthdemo0x9z",
        "flow",
        "Okta Workflows OAuth (second)",
    );
    let apps = call(
        &mut h,
        &page,
        "GET",
        "/api/v1/apps?filter=name%20eq%20%22flow%22",
        true,
        None,
    );
    assert_eq!(apps["body"].as_array().map(Vec::len), Some(2));
    let assigned = call(
        &mut h,
        &page,
        "GET",
        &format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/users/{user}"),
        true,
        None,
    );
    assert_eq!(assigned["status"], 200);
    let secrets = call(
        &mut h,
        &page,
        "GET",
        &format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/credentials/secrets"),
        true,
        None,
    );
    let secret = secrets["body"][0]["client_secret"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(secret.len(), 64, "{secret}");
    assert!(secret
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(secret, h.server.client_secret());

    h.server.set_super_admin(false);
    h.server.set_assigned(false);
    let roles = call(&mut h, &page, "GET", &roles_path, true, None);
    assert_okta_error(&roles, 403, "E0000006", PERMISSION);
    let unassigned = call(
        &mut h,
        &page,
        "GET",
        &format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/users/{user}"),
        true,
        None,
    );
    assert_okta_error(
        &unassigned,
        404,
        "E0000007",
        "Not found: Resource not found",
    );
}

#[test]
fn the_org_metadata_is_public_on_the_org_and_admin_hosts() {
    let mut h = Harness::start();
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(
            testbed::workspace_root().join("tests/fixtures/okta/okta-organization.json"),
        )
        .expect("the metadata fixture"),
    )
    .expect("the metadata fixture is JSON");
    let page = open_without_csp(&mut h, ADMIN_HOST, "/admin/dashboard");
    let url = format!("https://{ORG_HOST}/.well-known/okta-organization");
    // Across origins, without credentials: readable only thanks to Access-Control-Allow-Origin.
    let metadata = fetch(&mut h, &page, &url, "{}");
    assert_eq!(metadata["status"], 200, "{metadata}");
    assert_eq!(metadata["body"], fixture);
    let own = fetch(&mut h, &page, "/.well-known/okta-organization", "{}");
    assert_eq!(own["body"], fixture, "the admin host answers the same");

    h.server.set_classic(true);
    let classic = fetch(&mut h, &page, &url, "{}");
    assert_eq!(classic["body"]["pipeline"], "v1");
    h.server.set_classic(false);

    h.server.fail_metadata(MetadataFault::Status(503));
    let failed = fetch(&mut h, &page, &url, "{}");
    assert_okta_error(&failed, 503, "E0000009", "Internal Server Error");
    h.server.fail_metadata(MetadataFault::Status(404));
    let missing = fetch(&mut h, &page, &url, "{}");
    assert_okta_error(&missing, 404, "E0000007", "Not found: Resource not found");
    h.server.fail_metadata(MetadataFault::Garbled);
    let garbled = fetch(&mut h, &page, &url, "{}");
    assert_eq!(garbled["status"], 200);
    assert_eq!(garbled["body"], json!({"unexpected": true}));
    h.server.fail_metadata(MetadataFault::None);
    let back = fetch(&mut h, &page, &url, "{}");
    assert_eq!(back["body"]["pipeline"], "idx");
    assert!(
        h.server.api_calls().is_empty(),
        "the metadata is no /api/v1 call: {:?}",
        h.server.api_calls()
    );
}

#[test]
fn faults_answer_the_next_calls_in_order() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    h.server.fail_next(&[
        Fault::Okta {
            status: 400,
            code: "E0000001",
            summary: "Api validation failed: scopeId",
        },
        Fault::Status(403),
        Fault::Status(500),
        Fault::Garbled,
        Fault::Pass,
        Fault::ForeignLink,
    ]);
    let path = grants_path();
    let okta = call(&mut h, &page, "GET", &path, true, None);
    assert_okta_error(&okta, 400, "E0000001", "Api validation failed: scopeId");
    let forbidden = call(&mut h, &page, "GET", &path, true, None);
    assert_okta_error(&forbidden, 403, "E0000006", PERMISSION);
    let broken = call(&mut h, &page, "GET", &path, true, None);
    assert_okta_error(&broken, 500, "E0000009", "Internal Server Error");
    let garbled = call(&mut h, &page, "GET", &path, true, None);
    assert_eq!(garbled["body"], json!({"unexpected": true}));
    let passed = call(&mut h, &page, "GET", &path, true, None);
    assert!(!passed["link"]
        .as_str()
        .unwrap_or_default()
        .contains("rel=\"next\""));
    // The only page, yet a next link, and on another host.
    let foreign = call(&mut h, &page, "GET", &path, true, None);
    assert_eq!(foreign["status"], 200);
    let link = foreign["link"].as_str().unwrap_or_default();
    assert!(
        link.contains(&format!(
            "<https://evil.example{path}?limit=20>; rel=\"next\""
        )),
        "{link}"
    );
    let normal = call(&mut h, &page, "GET", &path, true, None);
    assert_eq!(normal["status"], 200);
    assert!(!normal["link"]
        .as_str()
        .unwrap_or_default()
        .contains("evil.example"));
}

#[test]
fn a_grant_made_through_the_api_shows_on_the_scopes_tab_and_back() {
    let mut h = Harness::start();
    let path = format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes");
    let page = h.open(ADMIN_HOST, &path);
    wait_row_button(&mut h, &page, "okta.devices.manage", "grant-button");
    let created = call(
        &mut h,
        &page,
        "POST",
        &grants_path(),
        true,
        Some(json!({"scopeId": "okta.devices.manage", "issuer": "https://acme.okta.com"})),
    );
    assert_eq!(created["status"], 201, "{created}");
    assert_eq!(created["body"]["scopeId"], "okta.devices.manage");
    // The Scopes tab reads the grants again when opened.
    h.page_eval(&page, "location.hash = '#tab-general'");
    h.page_eval(&page, "location.hash = '#tab-okta-api-scopes'");
    wait_row_button(&mut h, &page, "okta.devices.manage", "revoke-button");

    // And back: revoking on the tab removes the grant from the API.
    h.page_eval(
        &page,
        &common::click_in_row("okta.devices.manage", "revoke-button"),
    );
    wait_row_button(&mut h, &page, "okta.devices.manage", "grant-button");
    let listed = call(&mut h, &page, "GET", &grants_path(), true, None);
    let scopes: Vec<&str> = listed["body"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["scopeId"].as_str())
        .collect();
    assert!(!scopes.contains(&"okta.devices.manage"), "{scopes:?}");
    let calls = h.server.api_calls();
    assert!(
        calls.iter().any(|c| c.starts_with("POST /api/v1/apps/"))
            && calls.iter().any(|c| c.starts_with("DELETE /api/v1/apps/")),
        "{calls:?}"
    );
}

#[test]
fn a_grant_for_another_issuer_is_listed_but_not_granted_on_the_scopes_tab() {
    let mut h = Harness::start();
    // Two grants a page: the tab follows the next links across the two Link header lines.
    h.server.set_page_size(2);
    let issuer = "https://acme.okta.com/oauth2/aus1demo0customas0x7";
    let id = h.server.add_grant("okta.devices.manage", issuer);
    let path = format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes");
    let page = h.open(ADMIN_HOST, &path);
    wait_row_button(&mut h, &page, "okta.devices.manage", "grant-button");
    for scope in ["okta.users.read", "okta.groups.read", "okta.apps.read"] {
        assert_eq!(
            row_button(&mut h, &page, scope),
            "revoke-button",
            "the org's own grants show, on every page: {scope}"
        );
    }
    let listed = call(
        &mut h,
        &page,
        "GET",
        &format!("{}?limit=200", grants_path()),
        true,
        None,
    );
    let grant = listed["body"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["id"] == id.as_str())
        .unwrap_or_else(|| panic!("the added grant in {listed}"))
        .clone();
    assert_eq!(grant["issuer"], issuer);
    assert_eq!(grant["status"], "ACTIVE");
    assert_eq!(grant["scopeId"], "okta.devices.manage");
    assert_eq!(grant["clientId"], WORKFLOWS_OAUTH_APP_ID);
    for field in ["created", "createdBy", "lastUpdated", "source", "_links"] {
        assert!(grant.get(field).is_some(), "{field} in {grant}");
    }

    // The org's own grant of the same scope can still be made, from the tab.
    h.page_eval(
        &page,
        &common::click_in_row("okta.devices.manage", "grant-button"),
    );
    wait_row_button(&mut h, &page, "okta.devices.manage", "revoke-button");
    let listed = call(
        &mut h,
        &page,
        "GET",
        &format!("{}?limit=200", grants_path()),
        true,
        None,
    );
    let mut issuers: Vec<&str> = listed["body"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["scopeId"] == "okta.devices.manage")
        .filter_map(|g| g["issuer"].as_str())
        .collect();
    issuers.sort_unstable();
    assert_eq!(issuers, ["https://acme.okta.com", issuer]);
}

#[test]
fn a_foreign_origin_is_refused_and_the_consoles_own_calls_pass() {
    let mut h = Harness::start();
    // The console's own calls: GETs without Origin, a POST with the admin origin.
    let path = format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes");
    let page = h.open(ADMIN_HOST, &path);
    wait_row_button(&mut h, &page, "okta.devices.manage", "grant-button");
    h.page_eval(
        &page,
        &common::click_in_row("okta.devices.manage", "grant-button"),
    );
    wait_row_button(&mut h, &page, "okta.devices.manage", "revoke-button");

    // Another origin (the Workflows console), with the admin's cookie if the browser sends it.
    let workflows = open_without_csp(&mut h, WORKFLOWS_HOST, WORKFLOWS_CONNECTIONS);
    let url = format!("https://{ADMIN_HOST}/api/v1/users/me");
    let sent = h.page_eval(
        &workflows,
        &format!(
            "fetch({}, {{credentials: 'include'}}).then(() => 'answered', e => 'hidden: ' + e)",
            json!(url)
        ),
    );
    // No CORS headers: the browser hides the answer from the page.
    assert!(
        sent.as_str().is_some_and(|s| s.starts_with("hidden")),
        "{sent}"
    );

    let requests = h.server.api_requests();
    let origin = format!("https://{WORKFLOWS_HOST}");
    assert!(
        requests.iter().any(|call| call.method == "GET"
            && call.target == "/api/v1/users/me"
            && call.origin.as_deref() == Some(origin.as_str())
            && call.status == 403),
        "{requests:#?}"
    );
    // Everything else came from the Admin Console's own origin (a GET sends none) and passed
    // the origin check; the Scopes tab's grant calls all succeeded.
    let admin_origin = format!("https://{ADMIN_HOST}");
    let own: Vec<_> = requests
        .iter()
        .filter(|call| call.origin.as_deref() != Some(origin.as_str()))
        .collect();
    assert!(
        own.iter()
            .all(|call| call.origin.is_none()
                || call.origin.as_deref() == Some(admin_origin.as_str())),
        "{own:#?}"
    );
    assert!(
        own.iter().all(|call| call.status != 403),
        "no call of the console's own was refused: {own:#?}"
    );
    let grants: Vec<_> = own
        .iter()
        .filter(|call| call.target.starts_with(&grants_path()))
        .collect();
    assert!(
        grants
            .iter()
            .any(|call| call.method == "GET" && call.origin.is_none()),
        "{grants:#?}"
    );
    assert!(
        grants
            .iter()
            .any(|call| call.method == "POST" && call.origin.as_deref() == Some(&admin_origin)),
        "{grants:#?}"
    );
    assert!(
        grants.iter().all(|call| (200..300).contains(&call.status)),
        "{grants:#?}"
    );
    // Same origin, the refusals are the session's and the token's, never the origin's.
    let without_xsrf = call(&mut h, &page, "GET", "/api/v1/users/me", false, None);
    assert_okta_error(&without_xsrf, 403, "E0000006", PERMISSION);
}
