//! End to end: the helper checks the org through Okta's API (grants, read page by page through
//! the next links as Okta sent them, role, assignment), grants a missing scope after the admin
//! confirms, and turns every fault into words, never into a pass.
//! Every API request leaves from the Admin Console page's own origin, carried by the page agent
//! with the console's XSRF token, which crosses no message; the service worker makes none.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{click_in_row, Harness, PATIENCE};
use serde_json::{json, Value};
use testbed::browser::Session;
use testbed::server::{
    next_links_followed, DemoServer, Fault, MetadataFault, ADMIN_HOST, ORG_HOST,
    WORKFLOWS_OAUTH_APP_ID, WORKFLOWS_SSO_APP_ID,
};
use testbed::session::{ConsoleSession, VERIFIED};

/// The Admin Console's own origin: the only one Okta accepts console calls from.
fn admin_origin() -> String {
    format!("https://{ADMIN_HOST}")
}

fn checks(h: &mut Harness, overlay: &Session) -> Value {
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

/// The summary's verdict: `complete`, `missing`, `unconfirmed` or `blocked`.
fn verdict(h: &mut Harness, overlay: &Session) -> String {
    let value = h.overlay_eval(
        overlay,
        "document.querySelector('.summary')?.dataset.verdict ?? 'none'",
    );
    value.as_str().unwrap_or_default().to_owned()
}

/// The toolbar badge of the active tab.
fn badge(h: &mut Harness, wanted: &str) -> Value {
    let worker = h.worker();
    h.browser
        .wait_for(&format!("the badge to read {wanted}"), PATIENCE, |b| {
            let text = b.evaluate(
                &worker,
                "chrome.tabs.query({active: true}).then(tabs => chrome.action.getBadgeText({tabId: tabs[0].id}))",
            )?;
            Ok((text == wanted).then_some(text))
        })
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The Scopes tab with every scope granted on the page and confirmed by the API: the state in
/// which a fault must not leave a pass behind.
fn everything_granted(h: &mut Harness) -> (testbed::browser::Page, Session) {
    // Granted before the tab opens, so that no click on the page makes the helper ask again
    // while a test's faults wait for its own check.
    h.server.set_granted("okta.devices.manage", true);
    let path = format!(
        "{}#tab-okta-api-scopes",
        testbed::server::WORKFLOWS_OAUTH_APP_PATH
    );
    let page = h.open(ADMIN_HOST, &path);
    let overlay = h.overlay(&page);
    h.wait_devices_manage(&overlay, "granted");
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.wait_overlay(
        &overlay,
        "the pass",
        "document.querySelector('.summary')?.dataset.verdict === 'complete'",
    );
    (page, overlay)
}

/// Injects `faults` (the first answers the next call, which is the app's), checks again, and
/// returns the problem shown; the checklist must not pass.
fn fault_after_a_pass(h: &mut Harness, faults: &[Fault]) -> String {
    failure_after_a_pass(h, |server| server.fail_next(faults))
}

/// Makes the grants list answer with `fault`, checks again, and returns the problem shown; the
/// checklist must not pass. The check asks the grants beside the admin's own calls, so the fault
/// is aimed at the grants rather than at the second call.
fn grants_fault_after_a_pass(h: &mut Harness, fault: Fault) -> String {
    failure_after_a_pass(h, |server| server.fail_next_at("/grants", &[fault]))
}

/// Lets `inject` make the demo org fail, checks again, and returns the problem shown; the
/// checklist must not pass.
fn failure_after_a_pass(h: &mut Harness, inject: impl FnOnce(&DemoServer)) -> String {
    let (_, overlay) = everything_granted(h);
    inject(&h.server);
    h.click_action(&overlay, "api-recheck");
    let problem = api_problem(h, &overlay);
    assert_ne!(verdict(h, &overlay), "complete", "{problem}");
    assert_eq!(
        h.overlay_eval(
            &overlay,
            "document.querySelector('[data-scope=\"okta.devices.manage\"]').dataset.source"
        ),
        "page",
        "a line the API could not confirm is never called verified"
    );
    badge(h, "?");
    problem
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
    assert_eq!(
        h.overlay_eval(&overlay, "!!document.querySelector('.engine')"),
        false,
        "an Identity Engine org needs no word about its engine"
    );
}

#[test]
fn every_api_request_leaves_from_the_console_page_and_the_worker_sends_none() {
    let mut h = Harness::start();
    let worker = h.worker();
    h.browser
        .send(Some(&worker), "Network.enable", json!({}))
        .expect("network events");
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.click_action(&overlay, "api-grant");
    h.click_action(&overlay, "api-grant-confirm");
    h.wait_overlay(
        &overlay,
        "the grant result",
        "document.querySelector('.grant-results li')?.dataset.result === 'granted'",
    );
    h.wait_overlay(&overlay, "every line verified again", VERIFIED);

    // What the demo org received: every request with the console's own origin, or none.
    let requests = h.server.api_requests();
    assert!(requests.iter().any(|r| r.method == "POST"), "{requests:?}");
    for request in &requests {
        assert!(
            request.origin.is_none() || request.origin.as_deref() == Some(admin_origin().as_str()),
            "{request:?} came from another origin"
        );
        assert!(
            (200..300).contains(&request.status),
            "{request:?} was refused (E0000212 must never happen)"
        );
    }
    let post = requests
        .iter()
        .find(|r| r.method == "POST")
        .expect("the grant");
    assert_eq!(post.origin.as_deref(), Some(admin_origin().as_str()));

    // What the service worker sent: the org's public metadata, and no API request at all.
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
        urls.contains(&format!("https://{ORG_HOST}/.well-known/okta-organization")),
        "the worker reads the org's metadata: {urls:?}"
    );
    for url in &urls {
        assert!(
            !url.contains("/api/v1/"),
            "the worker called the API: {url}"
        );
        assert!(
            url.starts_with(&format!("https://{ORG_HOST}/.well-known/"))
                || url.starts_with("chrome-extension://"),
            "{url} is neither the org's metadata nor the extension's own"
        );
    }
}

/// Records, in an extension page of the helper's own, every message the page agent sends on any
/// port and every runtime message: what the overlay and the service worker receive.
const SPY: &str = "window.spy = {messages: [], ports: []};\
    chrome.runtime.onConnect.addListener(port => { spy.ports.push(port);\
      port.onMessage.addListener(m => spy.messages.push(JSON.stringify(m))); });\
    chrome.runtime.onMessage.addListener(m => { spy.messages.push(JSON.stringify(m)); });\
    true";

#[test]
fn the_xsrf_token_crosses_no_message_and_no_log() {
    let mut h = Harness::start();
    let id = h.extension_id();
    let spy = h.open_url(&format!("chrome-extension://{id}/popup.html"));
    h.page_eval(&spy, SPY);
    let worker = h.worker();
    h.browser
        .evaluate(
            &worker,
            "globalThis.spy = []; chrome.runtime.onMessage.addListener(m => { spy.push(JSON.stringify(m)); }); true",
        )
        .expect("the worker's spy");

    let (page, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.click_action(&overlay, "api-grant");
    h.click_action(&overlay, "api-grant-confirm");
    h.wait_overlay(&overlay, "every line verified after the grant", VERIFIED);

    let token = h.page_eval(
        &page,
        "document.getElementById('_xsrfToken').textContent.trim()",
    );
    let token = token.as_str().expect("the page's token").to_owned();
    assert!(token.len() >= 16, "{token}");
    let seen: Vec<String> =
        serde_json::from_value(h.page_eval(&spy, "spy.messages")).expect("messages");
    assert!(
        seen.iter().any(|m| m.starts_with("{\"api_answer\"")),
        "the spy saw the agent's answers: {seen:?}"
    );
    assert!(
        seen.iter().any(|m| m.starts_with("{\"org_query\"")),
        "the spy saw the overlay's requests to the worker"
    );
    let to_worker: Vec<String> = serde_json::from_value(
        h.browser
            .evaluate(&worker, "spy")
            .expect("the worker's spy"),
    )
    .expect("messages");
    assert!(!to_worker.is_empty());
    for message in seen.iter().chain(&to_worker) {
        assert!(
            !message.contains(&token),
            "the token crossed a message: {message}"
        );
        assert!(!message.contains("xsrf\":\""), "{message}");
    }
    assert!(
        !h.console_output().contains(&token),
        "the token reached a log"
    );
}

#[test]
fn the_page_agent_carries_only_what_its_allow_list_lets_through() {
    let mut h = Harness::start();
    let id = h.extension_id();
    let spy = h.open_url(&format!("chrome-extension://{id}/popup.html"));
    h.page_eval(&spy, SPY);
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    let before = h.server.api_requests().len();

    // The spy holds a port to the agent, as the overlay does, and asks for what the overlay
    // never would.
    let answers = h.page_eval(
        &spy,
        &testbed::allow_list::probe_script(
            "spy.ports.find(p => p.name.startsWith('okta-helper-agent:'))",
            "handler => port.onMessage.addListener(handler)",
            "message => port.postMessage(message)",
        ),
    );
    let sent: Vec<String> = h.server.api_requests()[before..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    testbed::allow_list::check_answers(&answers, &sent);
}

/// Grants a scope to an app through the org's API, from an Admin Console page, as someone else
/// in another tab would.
fn grant_elsewhere(h: &mut Harness, page: &testbed::browser::Page, app_id: &str) {
    let status = h.page_eval(
        page,
        &format!(
            "fetch('/api/v1/apps/{app_id}/grants', {{method: 'POST', credentials: 'same-origin',\
               headers: {{'Content-Type': 'application/json', 'X-Okta-XsrfToken': document.getElementById('_xsrfToken').textContent}},\
               body: JSON.stringify({{scopeId: 'okta.devices.manage', issuer: 'https://acme.okta.com'}})}}).then(r => r.status)"
        ),
    );
    assert_eq!(status, 201);
}

/// What okta.devices.manage's line says the page shows, once it says something.
fn page_differs_note(h: &mut Harness, overlay: &Session) -> Value {
    h.wait_overlay(
        overlay,
        "the line's note",
        "document.querySelector('[data-scope=\"okta.devices.manage\"] .page-differs')?.textContent",
    )
}

#[test]
fn when_page_and_api_disagree_the_api_is_the_judge_and_the_line_says_so() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    // Someone grants the scope elsewhere; this tab still shows its Grant button.
    grant_elsewhere(&mut h, &page, WORKFLOWS_OAUTH_APP_ID);
    h.click_action(&overlay, "api-recheck");
    let differs = page_differs_note(&mut h, &overlay);
    assert_eq!(
        differs,
        "The page shows it not granted, but Okta's API has it granted. Reload the page."
    );
    let line = h.overlay_eval(
        &overlay,
        "(e => [e.dataset.state, e.dataset.source])(document.querySelector('[data-scope=\"okta.devices.manage\"]'))",
    );
    assert_eq!(line, json!(["granted", "api"]), "Okta's API is the judge");
    assert_eq!(verdict(&mut h, &overlay), "complete");
    badge(&mut h, "\u{2713}");
    h.wait_page(
        &page,
        "the highlight to go: no Grant button is pointed at for a granted scope",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
    // The page's Grant button still shows: the page is stale, and the line says so.
    assert_eq!(
        h.page_eval(
            &page,
            &format!("!!{}", row_button("okta.devices.manage", "grant-button"))
        ),
        true
    );
}

/// How many times the helper has read the app's grants: once per check.
fn helper_grant_reads(server: &DemoServer) -> usize {
    server
        .api_requests()
        .iter()
        .filter(|call| call.method == "GET" && call.target.contains("/grants") && !call.by_console)
        .count()
}

#[test]
fn after_a_click_on_the_page_the_api_is_asked_once_more_only_while_it_disagrees() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    // The admin grants on the page; the console shows the change once Okta has it.
    let clicked = std::time::Instant::now();
    h.page_eval(
        &page,
        &format!(
            "{}.click()",
            row_button("okta.devices.manage", "grant-button")
        ),
    );
    h.wait_overlay(
        &overlay,
        "the grant verified by the API, the page agreeing",
        &format!(
            "{VERIFIED} && document.querySelector('[data-scope=\"okta.devices.manage\"]').dataset.state === 'granted' \
             && !document.querySelector('.page-differs')"
        ),
    );
    let settled = helper_grant_reads(&h.server);
    // Past the moment the helper would ask once more after the click (2 s).
    std::thread::sleep(std::time::Duration::from_millis(3500).saturating_sub(clicked.elapsed()));
    assert_eq!(
        helper_grant_reads(&h.server),
        settled,
        "the API's answer agreed with the page: nothing more to ask"
    );
    // Someone revokes it elsewhere; this tab still shows it granted. A click on the page is
    // checked, the answer disagrees, and the helper asks once more a little later.
    h.server.set_granted("okta.devices.manage", false);
    let before = helper_grant_reads(&h.server);
    h.page_eval(&page, "document.querySelector('h1, h2, p').click()");
    let deadline = std::time::Instant::now() + PATIENCE;
    while helper_grant_reads(&h.server) < before + 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "a check and one more after the click: {} reads",
            helper_grant_reads(&h.server) - before
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let differs = page_differs_note(&mut h, &overlay);
    assert_eq!(
        differs,
        "The page shows it granted, but Okta's API has no grant for it. Reload the page."
    );
}

/// JavaScript that finds the button `data-se` in the row of `scope` on the demo Scopes tab.
fn row_button(scope: &str, button: &str) -> String {
    format!(
        "[...document.querySelectorAll('[data-se=\"scope-row\"]')]\
           .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === '{scope}')\
           ?.querySelector('[data-se=\"{button}\"]')"
    )
}

/// A second Okta Workflows OAuth instance in the demo org.
const SECOND_FLOW_APP: &str = "0oa2wf2oauthdemo0x9z";

#[test]
fn the_check_is_about_the_app_in_the_address_even_with_two_flow_apps() {
    let mut h = Harness::start();
    h.server
        .add_app(SECOND_FLOW_APP, "flow", "Okta Workflows OAuth (second)");
    let (page, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    // Only the second instance gets the scope.
    grant_elsewhere(&mut h, &page, SECOND_FLOW_APP);
    let first = h.server.api_calls();
    assert!(
        first.contains(&format!("GET /api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}")),
        "{first:?}"
    );
    assert!(
        !first.iter().any(|call| call.contains("filter=")),
        "no search by name on a page that names its app: {first:?}"
    );

    // Record every state the line shows from here on, with the app the panel says it is about,
    // then move to the second instance without a reload, as the console's own navigation does.
    h.overlay_eval(
        &overlay,
        "window.seen = []; new MutationObserver(() => { const e = document.querySelector('[data-scope=\"okta.devices.manage\"]');\
           if (e) seen.push(e.dataset.state + '/' + (e.dataset.source ?? '') + '@' + e.closest('[data-app]')?.dataset.app); })\
           .observe(document, {subtree: true, childList: true, attributes: true}); true",
    );
    h.page_eval(
        &page,
        &format!(
            "history.pushState(null, '', '/admin/app/flow/instance/{SECOND_FLOW_APP}/#tab-okta-api-scopes');\
             dispatchEvent(new PopStateEvent('popstate')); true"
        ),
    );
    h.wait_devices_manage(&overlay, "granted");
    h.wait_overlay(&overlay, "the second app verified by the API", VERIFIED);
    assert!(h
        .server
        .api_calls()
        .contains(&format!("GET /api/v1/apps/{SECOND_FLOW_APP}")));
    let seen: Vec<String> =
        serde_json::from_value(h.overlay_eval(&overlay, "seen")).expect("states");
    assert!(
        seen.iter()
            .any(|state| state.ends_with(&format!("@{SECOND_FLOW_APP}"))),
        "the panel moved to the second app: {seen:?}"
    );
    assert!(
        !seen.contains(&format!("missing/api@{SECOND_FLOW_APP}")),
        "the first app's answer was never shown for the second: {seen:?}"
    );
    assert_eq!(verdict(&mut h, &overlay), "complete");
}

#[test]
fn a_page_whose_app_is_not_the_okta_workflows_oauth_app_never_passes() {
    let mut h = Harness::start();
    let page = h.open(
        ADMIN_HOST,
        &format!("/admin/app/flow/instance/{WORKFLOWS_SSO_APP_ID}/#tab-okta-api-scopes"),
    );
    let overlay = h.overlay(&page);
    // The page itself shows every scope granted once Grant is clicked.
    h.wait_devices_manage(&overlay, "missing");
    h.page_eval(&page, &click_in_row("okta.devices.manage", "grant-button"));
    h.wait_devices_manage(&overlay, "granted");
    let problem = h.wait_overlay(
        &overlay,
        "the app problem",
        "[...document.querySelectorAll('.api-problem')].map(p => p.textContent).find(t => t.includes('not the Okta Workflows OAuth app'))",
    );
    assert!(
        problem
            .as_str()
            .is_some_and(|p| p.contains("okta_flow_sso")),
        "{problem}"
    );
    assert_eq!(verdict(&mut h, &overlay), "unconfirmed");
    assert_eq!(
        h.overlay_eval(
            &overlay,
            "document.querySelector('[data-scope=\"okta.devices.manage\"]').dataset.source ?? 'none'"
        ),
        "page"
    );
    assert!(
        h.server
            .api_calls()
            .contains(&format!("GET /api/v1/apps/{WORKFLOWS_SSO_APP_ID}")),
        "the helper asked Okta's API about the app in the address"
    );
}

#[test]
fn one_click_grant_after_confirming_makes_the_scope_granted_in_the_api_and_on_the_page() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    h.click_action(&overlay, "api-grant");
    let listed = h.wait_overlay(
        &overlay,
        "the confirmation",
        "document.querySelector('.confirm') && [...document.querySelectorAll('.confirm li')].map(li => li.textContent)",
    );
    assert_eq!(listed, json!(["okta.devices.manage"]));
    let question = h.overlay_eval(&overlay, "document.querySelector('.confirm p').textContent");
    assert!(
        question
            .as_str()
            .is_some_and(|q| q.contains("for the issuer https://acme.okta.com")),
        "{question}"
    );
    assert!(
        !h.server.api_calls().iter().any(|c| c.starts_with("POST")),
        "nothing is sent before the admin confirms"
    );
    h.click_action(&overlay, "api-grant-confirm");
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
    h.click_action(&overlay, "api-grant");
    h.click_action(&overlay, "api-grant-cancel");
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
    // Okta refuses a non-super admin the roles list (E0000006): that is the answer, not an error.
    assert!(
        texts[0]
            .as_str()
            .is_some_and(|t| t
                .contains("you are not a Super Administrator, or your role lacks okta.roles.read")),
        "{texts}"
    );
    assert!(
        texts[1]
            .as_str()
            .is_some_and(|t| t.contains("Assignments tab")),
        "{texts}"
    );
    let refused = h
        .server
        .api_requests()
        .into_iter()
        .find(|r| r.target.ends_with("/roles"))
        .expect("the roles were asked for");
    assert_eq!(refused.status, 403);
}

#[test]
fn an_expired_session_says_to_reload_and_sign_in_and_never_passes() {
    let mut h = Harness::start();
    let (_, overlay) = everything_granted(&mut h);
    h.server.expire_sessions();
    h.click_action(&overlay, "api-recheck");
    assert_eq!(
        api_problem(&mut h, &overlay),
        "Your console session expired. Reload the page and sign in again, then try again."
    );
    assert_eq!(verdict(&mut h, &overlay), "unconfirmed");
    let summary = h.overlay_eval(&overlay, "document.querySelector('.summary').textContent");
    assert!(
        summary.as_str().is_some_and(|s| s.starts_with(
            "The page shows every scope granted, but Okta's API could not confirm it"
        )),
        "{summary}"
    );
    assert!(h
        .server
        .api_requests()
        .iter()
        .any(|r| r.status == 403 && r.target.starts_with("/api/v1/apps")));
}

#[test]
fn a_refused_permission_names_the_scope_okta_wants_and_never_passes() {
    let mut h = Harness::start();
    // The app is found; reading its grants is refused (E0000006).
    let problem = grants_fault_after_a_pass(&mut h, Fault::Status(403));
    assert!(
        problem.contains("E0000006")
            && problem.contains("okta.appGrants.read")
            && problem.contains("Granting scopes is a Super Administrator action"),
        "{problem}"
    );
}

#[test]
fn an_unknown_error_code_is_quoted_with_its_code_and_never_passes() {
    let mut h = Harness::start();
    let problem = fault_after_a_pass(
        &mut h,
        &[Fault::Okta {
            status: 400,
            code: "E0000999",
            summary: "Something Okta added later",
        }],
    );
    assert_eq!(
        problem,
        "Okta answered E0000999: \u{201c}Something Okta added later\u{201d}."
    );
}

#[test]
fn a_grant_only_on_a_later_page_is_found_through_the_next_links_as_okta_sent_them() {
    let mut h = Harness::start();
    // One grant a page: the org's four grants span four pages, and okta.devices.manage, granted
    // last, is on the last page only.
    h.server.set_page_size(1);
    let (_, overlay) = everything_granted(&mut h);
    assert_eq!(
        h.server.granted_scopes().last().map(String::as_str),
        Some("okta.devices.manage")
    );
    let line = h.overlay_eval(
        &overlay,
        "(e => [e.dataset.state, e.dataset.source, e.querySelector('.source')?.textContent])\
           (document.querySelector('[data-scope=\"okta.devices.manage\"]'))",
    );
    assert_eq!(line, json!(["granted", "api", "verified by API"]));

    // The helper's own reads (never the console's), from the first page on: each next link the
    // demo answered it with, opaque cursor and all, asked for exactly as sent, and answered 200.
    let grants = format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants");
    // Waited for, in case a later check of the helper's is still on its way through the pages.
    let session: &mut ConsoleSession = &mut h;
    let followed = session.browser.wait_for(
        "the helper to follow three next links or more",
        PATIENCE,
        |_| {
            Ok(next_links_followed(&session.server.api_requests(), &grants)
                .ok()
                .filter(|followed| *followed >= 3))
        },
    );
    let requests = h.server.api_requests();
    if let Err(timeout) = followed {
        panic!("{timeout}: {:?}", next_links_followed(&requests, &grants));
    }
    let helper_reads: Vec<_> = requests
        .iter()
        .filter(|r| !r.by_console && r.method == "GET" && r.target.starts_with(&grants))
        .collect();
    assert_eq!(
        helper_reads.first().map(|r| r.target.as_str()),
        Some(grants.as_str()),
        "the first page is asked for without a cursor: {helper_reads:?}"
    );
    // The demo's cursors are base64-like: each carries an encoded slash in the query, which the
    // helper sent on as it was.
    let cursor_reads = helper_reads
        .iter()
        .filter(|r| r.target.starts_with(&format!("{grants}?after=")))
        .filter(|r| r.target.contains("%2F"))
        .count();
    assert!(cursor_reads >= 3, "{helper_reads:?}");
}

#[test]
fn a_next_page_on_another_host_is_not_followed_and_never_passes() {
    let mut h = Harness::start();
    // The app is found; the grants list points its next page at another host.
    let before = h.server.api_requests().len();
    let problem = grants_fault_after_a_pass(&mut h, Fault::ForeignLink);
    assert!(
        problem.contains("evil.example") && problem.contains("did not follow"),
        "{problem}"
    );
    assert!(h.server.api_requests()[before..]
        .iter()
        .all(|r| !r.target.contains("evil")));
}

#[test]
fn a_429_is_waited_for_once_and_said() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    h.server.throttle_next(1);
    h.click_action(&overlay, "api-recheck");
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
    let throttled = h
        .server
        .api_requests()
        .into_iter()
        .filter(|r| r.status == 429)
        .count();
    assert_eq!(throttled, 1, "asked once more, not again and again");
}

#[test]
fn a_rate_limit_that_outlasts_the_wait_is_said_and_never_passes() {
    let mut h = Harness::start();
    let problem = failure_after_a_pass(&mut h, |server| server.throttle_next(2));
    assert!(
        problem.contains("E0000047") && problem.contains("rate limit"),
        "{problem}"
    );
    let throttled = h
        .server
        .api_requests()
        .into_iter()
        .filter(|r| r.status == 429)
        .count();
    assert_eq!(throttled, 2, "asked once more after the wait, then stopped");
}

#[test]
fn a_server_error_keeps_the_page_result_and_never_passes() {
    let mut h = Harness::start();
    let problem = fault_after_a_pass(&mut h, &[Fault::Status(500)]);
    assert!(
        problem.contains("E0000009")
            && problem.contains("(500)")
            && problem.contains("what the page says"),
        "{problem}"
    );
}

#[test]
fn an_unexpected_shape_is_an_error_never_a_pass() {
    let mut h = Harness::start();
    // The app lookup answers as documented; the grants list comes back in an unknown shape.
    let problem = grants_fault_after_a_pass(&mut h, Fault::Garbled);
    assert!(problem.contains("unexpected shape"), "{problem}");
}

#[test]
fn a_body_that_is_not_json_is_named_and_never_passes() {
    let mut h = Harness::start();
    // The app lookup answers as documented; the grants list comes back as a sign-in page, a 200
    // in text/html, as a proxy or an expired single sign-on would answer.
    let mut before = 0;
    let problem = failure_after_a_pass(&mut h, |server| {
        before = server.api_requests().len();
        server.fail_next_at("/grants", &[Fault::HtmlPage]);
    });
    assert_eq!(
        problem,
        "Okta's API answered in an unexpected shape (a body that is not JSON); the helper does \
         not trust it."
    );
    let grants = format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants");
    assert!(
        h.server.api_requests()[before..]
            .iter()
            .any(|r| !r.by_console && r.target == grants && r.status == 200),
        "the page came with a 200: the failure is its body, not its status"
    );
}

#[test]
fn a_grant_for_another_issuer_is_shown_never_counted_and_left_to_the_admin() {
    let mut h = Harness::start();
    h.server
        .add_grant("okta.devices.manage", "https://login.acme.example");
    let (_, overlay) = h.open_scopes_tab();
    let line = h.wait_overlay(
        &overlay,
        "the other issuer",
        "document.querySelector('.other-issuer[data-scope=\"okta.devices.manage\"]')?.textContent",
    );
    assert!(
        line.as_str()
            .is_some_and(|l| l.contains("https://login.acme.example")
                && l.contains("not for this org's issuer https://acme.okta.com")),
        "{line}"
    );
    let state = h.overlay_eval(
        &overlay,
        "(e => [e.dataset.state, e.dataset.source, e.querySelector('.why')?.textContent])(document.querySelector('[data-scope=\"okta.devices.manage\"]'))",
    );
    assert_eq!(state[0], "unknown", "{state}");
    assert_eq!(state[1], "api", "{state}");
    assert_ne!(verdict(&mut h, &overlay), "complete");
    assert_eq!(
        h.overlay_eval(
            &overlay,
            "!!document.querySelector('[data-action=\"api-grant\"]')"
        ),
        false,
        "no blind duplicate grant is offered"
    );
    assert!(!h.server.api_calls().iter().any(|c| c.starts_with("POST")));

    // The admin decides to grant it for the org's own issuer too.
    h.click_action(&overlay, "api-grant-issuer");
    let listed = h.wait_overlay(
        &overlay,
        "the confirmation",
        "document.querySelector('.confirm') && [...document.querySelectorAll('.confirm li')].map(li => li.textContent)",
    );
    assert_eq!(listed, json!(["okta.devices.manage"]));
    h.click_action(&overlay, "api-grant-confirm");
    h.wait_overlay(
        &overlay,
        "the grant result",
        "document.querySelector('.grant-results li')?.dataset.result === 'granted'",
    );
    h.wait_devices_manage(&overlay, "granted");
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
}

#[test]
fn a_classic_org_is_told_first_and_never_passes() {
    let mut h = Harness::start();
    h.server.set_classic(true);
    let (page, overlay) = h.open_scopes_tab();
    let first = h.wait_overlay(
        &overlay,
        "the engine notice",
        "(e => e?.dataset.engine === 'classic' && [e.textContent, e.previousElementSibling?.className])(document.querySelector('.engine'))",
    );
    assert!(
        first[0]
            .as_str()
            .is_some_and(|t| t.starts_with("This org runs Okta Classic Engine.")),
        "{first}"
    );
    assert_eq!(
        first[1], "bar",
        "it comes before anything else in the panel"
    );
    h.page_eval(&page, &click_in_row("okta.devices.manage", "grant-button"));
    h.wait_devices_manage(&overlay, "granted");
    h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
    assert_eq!(verdict(&mut h, &overlay), "blocked");
    let label = h.overlay_eval(&overlay, "document.querySelector('.summary').textContent");
    assert!(
        label.as_str().is_some_and(|l| l.contains("Classic Engine")),
        "{label}"
    );
    badge(&mut h, "!");
}

#[test]
fn unreadable_org_metadata_is_said_and_never_passes() {
    for fault in [MetadataFault::Status(500), MetadataFault::Garbled] {
        let mut h = Harness::start();
        h.server.fail_metadata(fault);
        let (page, overlay) = h.open_scopes_tab();
        let engine = h.wait_overlay(
            &overlay,
            "the engine notice",
            "(e => e?.dataset.engine === 'unknown' && e.textContent)(document.querySelector('.engine'))",
        );
        assert!(
            engine.as_str().is_some_and(
                |t| t.starts_with("Could not tell whether this org runs Okta Identity Engine")
            ),
            "{fault:?}: {engine}"
        );
        // The issuer falls back to the host name's, and the panel says so.
        let note = h.wait_overlay(
            &overlay,
            "the issuer note",
            "[...document.querySelectorAll('.api-note')].map(n => n.textContent).find(t => t.includes('derived'))",
        );
        assert!(
            note.as_str()
                .is_some_and(|n| n.contains("https://acme.okta.com")),
            "{note}"
        );
        h.page_eval(&page, &click_in_row("okta.devices.manage", "grant-button"));
        h.wait_devices_manage(&overlay, "granted");
        h.wait_overlay(&overlay, "every line verified by the API", VERIFIED);
        assert_eq!(verdict(&mut h, &overlay), "unconfirmed", "{fault:?}");
        badge(&mut h, "?");
    }
}

#[test]
fn a_failed_grant_is_reported_for_its_scope() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.click_action(&overlay, "api-grant");
    // The app lookup answers; the grant itself fails.
    h.server.fail_next(&[Fault::Pass, Fault::Status(500)]);
    h.click_action(&overlay, "api-grant-confirm");
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

/// Changes the page's XSRF token element as a hostile script could, checks again, and returns the
/// problem shown: never a pass.
fn token_tampered(h: &mut Harness, tamper: &str) -> String {
    let (page, overlay) = everything_granted(h);
    h.page_eval(&page, tamper);
    let before = h.server.api_requests().len();
    h.click_action(&overlay, "api-recheck");
    let problem = api_problem(h, &overlay);
    assert_ne!(verdict(h, &overlay), "complete", "{problem}");
    badge(h, "?");
    assert_eq!(
        h.server.api_requests().len(),
        before,
        "nothing is sent with a token the helper does not trust"
    );
    problem
}

#[test]
fn a_planted_second_token_sends_nothing_and_never_passes() {
    let mut h = Harness::start();
    let problem = token_tampered(
        &mut h,
        "(() => { const fake = document.createElement('span'); fake.id = '_xsrfToken'; fake.hidden = true;\
           fake.textContent = 'AAAAAAAAAAAAAAAAAAAAAAAA'; document.body.prepend(fake); return true; })()",
    );
    assert!(problem.contains("more than one XSRF token"), "{problem}");
}

#[test]
fn a_malformed_token_sends_nothing_and_never_passes() {
    let mut h = Harness::start();
    let problem = token_tampered(
        &mut h,
        "(t => { t.textContent = t.textContent.trim() + '\\nX-Injected: 1'; return true; })(document.getElementById('_xsrfToken'))",
    );
    assert!(problem.contains("does not have the shape"), "{problem}");
}

#[test]
fn a_hanging_api_ends_in_a_visible_problem_never_a_pass() {
    let mut h = Harness::start();
    let (_, overlay) = everything_granted(&mut h);
    // The app is found; the grants list never answers.
    h.server.fail_next_at("/grants", &[Fault::Hang]);
    h.click_action(&overlay, "api-recheck");
    let problem = h
        .wait_until(
            &overlay,
            "the timeout's problem",
            "document.querySelector('.api-problem')?.textContent",
            std::time::Duration::from_secs(30),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        problem
            .as_str()
            .is_some_and(|p| p.contains("no answer within 15 s")),
        "{problem}"
    );
    assert_ne!(verdict(&mut h, &overlay), "complete");
    badge(&mut h, "?");
}
