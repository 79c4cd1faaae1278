//! End to end in Firefox ESR: the Firefox package (`dist/firefox-extension`, built by `cargo
//! xtask package`) installed as a temporary add-on, driven over WebDriver BiDi, against the same
//! demo consoles under Okta's host names, with TLS and the strict CSP, through a loopback proxy
//! that lets nothing leave the machine (see `testbed::firefox`).
//!
//! Firefox differs where these tests look: the page agent hands the overlay its port over a
//! MessageChannel, messages arrive as objects of another realm, and, with no Intersection
//! Observer v2, every acting click is confirmed in the toolbar popup. The harness
//! (`tests/common/firefox.rs`, shared with `tests/firefox_*.rs`) keeps the Firefox-only step
//! (opening the popup and answering there) out of the tests.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/firefox.rs"]
mod harness;

use harness::*;
use serde_json::Value;
use std::time::Duration;
use testbed::firefox::Context;
use testbed::server::{
    ADMIN_HOST, OTHER_WORKFLOWS_HOST, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_ID,
    WORKFLOWS_OAUTH_APP_PATH,
};
use testbed::session::FILL_DISABLED;

#[test]
fn the_scopes_tab_shows_the_checklist_verified_by_oktas_api_from_the_page() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    let lines = h.checklist(&overlay);
    assert_eq!(lines.len(), 9, "{lines:?}");
    assert_eq!(lines["okta.devices.manage"], "missing");
    assert_eq!(lines["openid"], "granted");
    let marked = h.wait(
        &tab,
        "the missing scope's Grant button marked on the page",
        "[...document.querySelectorAll('[data-okta-helper=\"missing\"]')].map(e => e.textContent.trim()).join('|')",
    );
    assert!(
        marked.as_str().is_some_and(|m| m.contains("Grant")),
        "{marked}"
    );
    // The checks came from the page's own origin: the demo org refuses any other.
    let calls = h.0.server.api_calls();
    assert!(calls.iter().any(|c| c.contains("/grants")), "{calls:?}");
}

#[test]
fn a_grant_through_the_api_acts_only_after_the_toolbars_confirmation() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.click(&overlay, "api-grant");
    h.click(&overlay, "api-grant-confirm");
    h.wait(
        &overlay,
        "the panel to send the admin to the toolbar",
        "document.querySelector('.outcome[data-outcome=\"waiting\"]')",
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        !h.0.server
            .granted_scopes()
            .contains(&"okta.devices.manage".to_owned()),
        "granted before the toolbar's confirmation"
    );
    h.answer_in_toolbar(&overlay, ADMIN_HOST, GRANT_QUESTION, true);
    h.wait_granted(&overlay);
    assert!(h
        .0
        .server
        .granted_scopes()
        .contains(&"okta.devices.manage".to_owned()));
    // Every request left as the console page's own: its origin or none, and the grant (a POST)
    // with the console's origin, as a page's own request carries it.
    let admin_origin = format!("https://{ADMIN_HOST}");
    let requests = h.0.server.api_requests();
    for request in &requests {
        assert!(
            request.origin.is_none() || request.origin.as_deref() == Some(admin_origin.as_str()),
            "{request:?} came from another origin"
        );
        assert!(
            (200..300).contains(&request.status),
            "{request:?} was refused"
        );
    }
    let post = requests
        .iter()
        .find(|r| r.method == "POST")
        .expect("the grant");
    assert_eq!(post.origin.as_deref(), Some(admin_origin.as_str()));
}

/// JavaScript, run in the overlay frame once it has drawn, that records every message crossing
/// its end of the page agent's channel: what it sends (`MessagePort.prototype.postMessage` is
/// looked up at each call, so it can be wrapped late) and, once it has sent one and so shown
/// which port is the agent's, everything that arrives on that port.
const PORT_SPY: &str = "(() => { const spy = window.__portSpy = {sent: [], got: [], port: null};\
    const post = MessagePort.prototype.postMessage;\
    MessagePort.prototype.postMessage = function (message, ...rest) {\
      spy.sent.push(String(message));\
      if (!spy.port) { spy.port = this; this.addEventListener('message', e => spy.got.push(String(e.data))); }\
      return post.call(this, message, ...rest); };\
    return true; })()";

/// JavaScript, run in an extension page of the helper's own, that records every runtime message
/// the other pages, frames and content scripts send: what the background receives, since a
/// runtime message goes to every extension page but its sender.
const RUNTIME_SPY: &str = "(window.__runtimeSpy = [],\
    chrome.runtime.onMessage.addListener(m => { window.__runtimeSpy.push(JSON.stringify(m)); }),\
    true)";

#[test]
fn the_xsrf_token_crosses_no_message_and_no_log() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    // The options page listens beside the background (the toolbar's popup is closed and opened
    // again by each answer there).
    let spy =
        h.0.extension_page(&overlay, "options.html", "#options", PATIENCE)
            .unwrap_or_else(|e| panic!("the options page: {e}"));
    h.eval(&spy, RUNTIME_SPY);
    h.eval(&overlay, PORT_SPY);
    h.click(&overlay, "api-recheck");
    h.wait(&overlay, "every line verified again", VERIFIED);
    h.click(&overlay, "api-grant");
    h.confirm_grant(&overlay, "api-grant-confirm");

    let token = h.eval(
        &tab,
        "document.getElementById('_xsrfToken').textContent.trim()",
    );
    let token = token.as_str().expect("the page's token").to_owned();
    assert!(token.len() >= 16, "{token}");
    let port: Value = h.eval(&overlay, "({sent: __portSpy.sent, got: __portSpy.got})");
    let port_messages: Vec<String> = ["sent", "got"]
        .iter()
        .flat_map(|way| port[way].as_array().cloned().unwrap_or_default())
        .filter_map(|m| m.as_str().map(str::to_owned))
        .collect();
    assert!(
        port_messages
            .iter()
            .any(|m| m.starts_with("{\"api_fetch\"")),
        "the spy saw the overlay's requests: {port_messages:?}"
    );
    assert!(
        port_messages
            .iter()
            .any(|m| m.starts_with("{\"api_answer\"")),
        "the spy saw the agent's answers: {port_messages:?}"
    );
    let runtime: Vec<String> =
        serde_json::from_value(h.eval(&spy, "window.__runtimeSpy")).expect("runtime messages");
    assert!(
        runtime.iter().any(|m| m.starts_with("{\"confirm_ask\""))
            && runtime.iter().any(|m| m.starts_with("{\"summary\"")),
        "the spy saw the overlay's messages to the background: {runtime:?}"
    );
    for message in port_messages.iter().chain(&runtime) {
        assert!(
            !message.contains(&token),
            "the token crossed a message: {message}"
        );
        assert!(!message.contains("xsrf\":\""), "{message}");
    }
    assert!(
        !h.0.firefox.console_output().contains(&token),
        "the token reached a log"
    );
}

#[test]
fn the_page_agent_carries_only_what_its_allow_list_lets_through() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.eval(&overlay, PORT_SPY);
    h.click(&overlay, "api-recheck");
    h.wait(&overlay, "every line verified again", VERIFIED);
    let before = h.0.server.api_requests().len();

    // On the overlay's own channel to the agent (the spy has found it), ask for what the overlay
    // never would.
    let answers = h.eval(
        &overlay,
        &testbed::allow_list::probe_script(
            "__portSpy.port",
            "handler => port.addEventListener('message', e => handler(JSON.parse(e.data)))",
            "message => port.postMessage(JSON.stringify(message))",
        ),
    );
    let sent: Vec<String> = h.0.server.api_requests()[before..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    testbed::allow_list::check_answers(&answers, &sent);
    // Answers to requests it never made change nothing in the panel.
    assert_eq!(h.eval(&overlay, VERIFIED), true);
}

#[test]
fn a_declined_click_does_nothing_and_says_so() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_sign_on_tab();
    h.click(&overlay, "capture");
    h.answer_in_toolbar(&overlay, ADMIN_HOST, "Capture for Workflows", false);
    let said = h.wait(
        &overlay,
        "the refusal",
        "document.querySelector('.outcome[data-outcome=\"failed\"]')?.textContent",
    );
    assert_eq!(said, "You declined in the toolbar: nothing was done.");
    assert_ne!(
        h.eval(&overlay, VAULT_READY),
        true,
        "captured although declined"
    );
    let secret = h.0.server.client_secret();
    assert!(!h.storage(&overlay, "session").contains(&secret));
}

#[test]
fn capture_and_fill_carry_the_credentials_and_the_secret_stays_in_the_session_vault() {
    let mut h = Harness::start();
    let secret = h.0.server.client_secret();
    let admin_overlay = h.capture_ready();
    assert!(
        h.storage(&admin_overlay, "session").contains(&secret),
        "the vault holds it"
    );
    assert!(!h.storage(&admin_overlay, "local").contains(&secret));
    assert!(!h
        .eval(&admin_overlay, "document.documentElement.outerHTML")
        .to_string()
        .contains(&secret));

    let (tab, overlay) = open_connection_dialog(&mut h, WORKFLOWS_HOST);
    h.wait(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')?.textContent === 'Fill from acme.okta.com'",
    );
    h.click_and_confirm(&overlay, "fill", WORKFLOWS_HOST, "Fill from acme.okta.com");
    let done = h.wait(
        &overlay,
        "the fill's outcome",
        "document.querySelector('.outcome[data-outcome=\"done\"]')?.textContent",
    );
    assert!(
        done.as_str().is_some_and(|t| t.starts_with(
            "Filled Connection Nickname, Domain, Client ID and Client Secret from acme.okta.com"
        )),
        "{done}"
    );
    let form = h.eval(
        &tab,
        "Object.fromEntries([...document.querySelectorAll('[role=\"dialog\"] input[id]')].map(i => [i.id, i.value]))",
    );
    assert_eq!(form["domain"], "acme.okta.com");
    assert_eq!(form["clientId"], WORKFLOWS_OAUTH_APP_ID);
    assert_eq!(form["clientSecret"], secret.as_str());
    // In the page, the secret is in its one field and nowhere else.
    let outside_field = h.eval(
        &tab,
        "(() => { const copy = document.documentElement.cloneNode(true);\
           copy.querySelector('[role=\"dialog\"] input#clientSecret').remove(); return copy.outerHTML; })()",
    );
    assert!(
        !outside_field.to_string().contains(&secret),
        "the secret is in the page outside its field"
    );
    let panel = h.eval(&overlay, "document.documentElement.outerHTML");
    assert!(
        !panel.to_string().contains(&secret),
        "the panel shows the secret"
    );
    // The vault empties after the fill; nothing was ever written to local or sync storage, and
    // no console of any page, frame or the background showed it.
    assert!(!h.storage(&overlay, "session").contains(&secret));
    assert!(!h.storage(&overlay, "local").contains(&secret));
    assert!(!h.storage(&overlay, "sync").contains(&secret));
    assert!(
        !h.0.firefox.console_output().contains(&secret),
        "a console showed the secret"
    );
}

#[test]
fn other_console_pages_get_only_the_launcher_and_the_admins_click_opens_the_panel() {
    let mut h = Harness::start();
    let tab = h.open(ADMIN_HOST, "/admin/dashboard");
    h.wait(
        &tab,
        "the launcher's host",
        "document.querySelector('okta-devices-helper')",
    );
    std::thread::sleep(Duration::from_millis(500));
    let frames = h.0.firefox.frames(&tab).expect("the tab's frames");
    assert!(
        frames.is_empty(),
        "no frame until the admin opens the launcher: {frames:?}"
    );
    // A page script cannot open it: the launcher is in a closed shadow root, and a script's
    // click is not trusted input.
    h.eval(
        &tab,
        "document.querySelector('okta-devices-helper').click()",
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(h.0.firefox.frames(&tab).expect("frames").is_empty());
    // The launcher sits in the viewport's bottom right corner, 12 px from both edges.
    let size = h.eval(&tab, "[innerWidth, innerHeight]");
    let (width, height) = (
        size[0].as_f64().expect("a width"),
        size[1].as_f64().expect("a height"),
    );
    h.0.firefox
        .click_at(&tab, (width - 40.0, height - 28.0))
        .expect("a mouse click");
    let overlay = h.overlay(&tab);
    h.wait(
        &overlay,
        "the open panel",
        "document.getElementById('root').dataset.mode === 'panel'",
    );
    let href = h.wait(
        &overlay,
        "the link to the app list",
        "document.querySelector('a.action')?.href",
    );
    assert_eq!(href, format!("https://{ADMIN_HOST}/admin/apps/active"));
}

#[test]
fn the_console_moving_to_the_app_without_a_reload_brings_the_panel() {
    let mut h = Harness::start();
    let tab = h.open(ADMIN_HOST, "/admin/dashboard");
    h.wait(
        &tab,
        "the launcher's host",
        "document.querySelector('okta-devices-helper')",
    );
    // The console's own navigation: a history entry, no popstate, no reload.
    h.eval(
        &tab,
        &format!(
            "(history.pushState(null, '', '{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes'), true)"
        ),
    );
    let overlay = h.overlay(&tab);
    h.wait(
        &overlay,
        "the panel",
        "document.getElementById('root').dataset.mode === 'panel'",
    );
    h.wait(&overlay, "every line verified by the API", VERIFIED);
}

#[test]
fn the_option_hides_the_launcher_elsewhere_but_not_where_the_panel_is_wanted() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.set_options(
        &overlay,
        "document.getElementById('launcher-elsewhere').checked === true",
        "document.getElementById('launcher-elsewhere').click()",
        "only where the connection is made",
    );
    let dashboard = h.open(ADMIN_HOST, "/admin/dashboard");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        h.eval(
            &dashboard,
            "document.querySelectorAll('okta-devices-helper').length"
        ),
        0,
        "nothing at all on the Dashboard"
    );
    // The app's Scopes tab still gets its checklist.
    let (_, overlay) = h.open_scopes_tab();
    h.set_options(
        &overlay,
        "document.getElementById('launcher-elsewhere').checked === false",
        "document.getElementById('launcher-elsewhere').click()",
        "on every console page",
    );
    let dashboard = h.open(ADMIN_HOST, "/admin/dashboard");
    h.wait(
        &dashboard,
        "the launcher again",
        "document.querySelector('okta-devices-helper')",
    );
}

#[test]
fn the_vault_expires_after_the_lifetime_set_in_the_options() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_sign_on_tab();
    h.set_options(
        &overlay,
        "document.getElementById('lifetime').value === '600'",
        "document.getElementById('lifetime').value = '3'",
        "3 seconds",
    );
    let secret = h.0.server.client_secret();
    let overlay = h.capture_ready();
    assert!(h.storage(&overlay, "session").contains(&secret));
    h.wait(
        &overlay,
        "the capture to expire",
        "document.querySelector('[data-vault]')?.dataset.vault === 'expired'",
    );
    assert!(
        !h.storage(&overlay, "session").contains(&secret),
        "the secret is gone once expired"
    );
}

#[test]
fn another_orgs_workflows_gets_nothing_without_the_admins_typed_confirmation() {
    let mut h = Harness::start();
    h.capture_ready();
    let (tab, overlay) = open_connection_dialog(&mut h, OTHER_WORKFLOWS_HOST);
    let warning = h.wait(
        &overlay,
        "the org warning",
        "document.querySelector('.fill .warning')?.textContent",
    );
    assert_eq!(warning, "These credentials are from acme.okta.com, but this Okta Workflows belongs to beta.okta.com.");
    assert_eq!(
        h.eval(
            &overlay,
            "!!document.querySelector('[data-action=\"fill\"]')"
        ),
        false
    );
    let anyway = "document.querySelector('[data-action=\"fill-anyway\"]')";
    // Enabled by a script, clicked, and confirmed in the toolbar: still nothing without the
    // typed org, because the service worker hands nothing out for another org without it.
    h.eval(&overlay, &format!("({anyway}.disabled = false, true)"));
    h.click_and_confirm(&overlay, "fill-anyway", OTHER_WORKFLOWS_HOST, "Fill");
    std::thread::sleep(Duration::from_millis(500));
    let client_id = h.eval(
        &tab,
        "document.querySelector('[role=\"dialog\"] input#clientId').value",
    );
    assert_eq!(client_id, "", "a click alone fills nothing");
    h.eval(
        &overlay,
        "(i => { i.value = 'beta.okta.com'; i.dispatchEvent(new Event('input', {bubbles: true})); })\
         (document.querySelector('[data-field=\"confirm-org\"]'))",
    );
    h.click_and_confirm(&overlay, "fill-anyway", OTHER_WORKFLOWS_HOST, "Fill");
    let filled = h.wait(
        &overlay,
        "the fill's outcome",
        "document.querySelector('.outcome:not([data-outcome=\"waiting\"])')?.textContent",
    );
    assert!(
        filled.as_str().is_some_and(|t| t.starts_with("Filled")),
        "{filled}"
    );
    let domain = h.eval(
        &tab,
        "document.querySelector('[role=\"dialog\"] input#domain').value",
    );
    assert_eq!(domain, "acme.okta.com");
}

#[test]
fn an_expired_session_says_to_reload_and_sign_in_and_never_passes() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.0.server.expire_sessions();
    h.click(&overlay, "api-recheck");
    let problem = h.wait(
        &overlay,
        "the API's problem",
        "document.querySelector('.api-problem')?.textContent",
    );
    assert_eq!(
        problem,
        "Your console session expired. Reload the page and sign in again, then try again."
    );
    assert_ne!(
        h.eval(
            &overlay,
            "document.querySelector('.summary')?.dataset.verdict"
        ),
        "complete"
    );
}

#[test]
fn a_page_script_cannot_hand_the_overlay_a_port_of_its_own() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    // The page posts to every window it can reach (in Firefox, a frame in a closed shadow root is
    // not even among `window.frames`), each time with a guess at the token and a channel of its
    // own, and listens on the channels.
    let heard = h.eval(
        &tab,
        "new Promise(done => {\
           const heard = [];\
           const targets = [window, ...Array.from({length: frames.length}, (_, i) => frames[i])];\
           for (const target of targets) for (const guess of ['', 'x', '00000000-0000-4000-8000-000000000000']) {\
             const channel = new MessageChannel();\
             channel.port1.onmessage = (event) => heard.push(String(event.data));\
             target.postMessage({oktaHelperChannel: guess}, '*', [channel.port2]);\
             channel.port1.postMessage(JSON.stringify({apply: {}}));\
           }\
           setTimeout(() => done(heard), 1500);\
         })",
    );
    assert_eq!(
        heard,
        serde_json::json!([]),
        "the overlay answered a page's channel"
    );
    // The panel still works on its own agent's port.
    h.click(&overlay, "api-recheck");
    h.wait(&overlay, "every line verified again", VERIFIED);
}

#[test]
fn a_dialog_that_is_not_okta_devices_is_never_filled() {
    let mut h = Harness::start();
    h.capture_ready();
    let (tab, overlay) = open_dialog(&mut h, WORKFLOWS_HOST, "", "Okta");
    let blocked = h.wait(
        &overlay,
        "the refusal",
        "document.querySelector('.fill .blocked')?.textContent",
    );
    assert_eq!(
        blocked,
        "This dialog is not the Okta Devices connector's (New Connection: Okta / New Connection / Okta). Close it and choose Okta Devices."
    );
    assert_eq!(h.wait(&overlay, "the Fill button", FILL_DISABLED), "true");
    let secret = h.eval(
        &tab,
        "document.querySelector('[role=\"dialog\"] input[type=password]')?.value ?? ''",
    );
    assert_eq!(secret, "");
}

#[test]
fn a_missing_form_field_fills_nothing_and_is_named() {
    let mut h = Harness::start();
    h.capture_ready();
    let (tab, overlay) = open_dialog(&mut h, WORKFLOWS_HOST, "?omit=clientSecret", "Okta Devices");
    let blocked = h.wait(
        &overlay,
        "the refusal",
        "document.querySelector('.fill .blocked')?.textContent",
    );
    assert_eq!(
        blocked,
        "Nothing was filled: the Client Secret field could not be found in the dialog."
    );
    let domain = h.eval(
        &tab,
        "document.querySelector('[role=\"dialog\"] input#domain').value",
    );
    assert_eq!(domain, "");
}

#[test]
fn a_dialog_that_fades_in_is_filled_once_it_can_be_seen() {
    let mut h = Harness::start();
    let secret = h.0.server.client_secret();
    h.capture_ready();
    let (tab, overlay) = open_dialog(&mut h, WORKFLOWS_HOST, "?fade", "Okta Devices");
    h.click_and_confirm(&overlay, "fill", WORKFLOWS_HOST, "Fill from acme.okta.com");
    let done = h.wait(
        &overlay,
        "the fill's outcome",
        "document.querySelector('.outcome:not([data-outcome=\"waiting\"])')?.textContent",
    );
    assert!(
        done.as_str()
            .is_some_and(|t| t.starts_with("Filled Connection Nickname")),
        "{done}"
    );
    let field = h.eval(
        &tab,
        "document.querySelector('[role=\"dialog\"] input#clientSecret').value",
    );
    assert_eq!(field, secret.as_str());
}

#[test]
fn page_scripts_cannot_reach_the_helper_or_make_it_fill() {
    let mut h = Harness::start();
    let secret = h.0.server.client_secret();
    let admin_overlay = h.capture_ready();
    let (tab, overlay) = open_connection_dialog(&mut h, WORKFLOWS_HOST);
    h.wait(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')",
    );
    let page_view = h.eval(
        &tab,
        "(() => {\
           const target = {probe: 'dialog_inputs', index: 3, part: null};\
           for (const message of [\
             {fill: {request: 1, seq: 1, fields: [{target, value: 'forged', password: true}]}},\
             {vault_take: {org_domain: 'acme.okta.com', confirmed_for: null}},\
             {confirm_answer: {id: 'x', yes: true}},\
           ]) { window.postMessage(message, '*'); }\
           return {chrome: typeof chrome === 'undefined' ? 'none' : typeof chrome.runtime?.sendMessage,\
                   browser: typeof browser,\
                   shadow: document.querySelector('okta-devices-helper')?.shadowRoot ?? null,\
                   frames: frames.length};\
         })()",
    );
    assert_eq!(
        page_view,
        serde_json::json!({"chrome": "none", "browser": "undefined", "shadow": null, "frames": 0})
    );
    std::thread::sleep(Duration::from_millis(500));
    let field = h.eval(
        &tab,
        "document.querySelector('[role=\"dialog\"] input#clientSecret').value",
    );
    assert_eq!(field, "", "nothing was filled");
    assert!(
        h.storage(&admin_overlay, "session").contains(&secret),
        "the vault still holds it"
    );
}

#[test]
fn a_hidden_secret_is_read_through_the_api_only_after_the_toolbars_confirmation() {
    let mut h = Harness::start();
    let secret = h.0.server.client_secret();
    let tab = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}?secret=hidden#tab-signon"),
    );
    let overlay = h.overlay(&tab);
    h.wait(
        &tab,
        "the masked secret",
        "document.querySelector('[name=client_secret]')",
    );
    h.click_and_confirm(&overlay, "capture", ADMIN_HOST, "Capture for Workflows");
    h.wait(
        &overlay,
        "the offer to read the secret through the API",
        "document.querySelector('.capture .confirm [data-action=\"read-secret\"]')",
    );
    h.click_and_confirm(
        &overlay,
        "read-secret",
        ADMIN_HOST,
        "Read the app's Client secret through Okta's API (Okta logs the read)",
    );
    h.wait(&overlay, "the capture", VAULT_READY);
    assert!(h.storage(&overlay, "session").contains(&secret));
    let page_html = h.eval(&tab, "document.documentElement.outerHTML");
    assert!(
        !page_html.to_string().contains(&secret),
        "the page shows the secret"
    );
    let panel = h.eval(&overlay, "document.documentElement.outerHTML");
    assert!(
        !panel.to_string().contains(&secret),
        "the panel shows the secret"
    );
    let read =
        h.0.server
            .api_requests()
            .into_iter()
            .find(|call| call.target.ends_with("/credentials/secrets"))
            .expect("the secret was read through the API");
    assert_eq!(read.status, 200);
}

#[test]
fn a_classic_org_is_told_first_and_never_passes() {
    let mut h = Harness::start();
    h.0.server.set_classic(true);
    let tab = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes"),
    );
    let overlay = h.overlay(&tab);
    let first = h.wait(
        &overlay,
        "the engine notice",
        "(e => e?.dataset.engine === 'classic' && e.textContent)(document.querySelector('.engine'))",
    );
    assert!(
        first
            .as_str()
            .is_some_and(|t| t.starts_with("This org runs Okta Classic Engine.")),
        "{first}"
    );
    h.wait(&overlay, "every line verified by the API", VERIFIED);
    h.wait(
        &overlay,
        "the blocked verdict",
        "document.querySelector('.summary')?.dataset.verdict === 'blocked'",
    );
}

#[test]
fn a_host_that_does_not_match_gets_nothing() {
    let mut h = Harness::start();
    let tab = h.open(
        testbed::server::LOOK_ALIKE_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes"),
    );
    h.wait(
        &tab,
        "the look-alike page to render its table",
        "document.querySelectorAll('[data-se=\"scope-row\"]').length > 0",
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert!(h.0.firefox.frames(&tab).expect("frames").is_empty());
    let marks = h.eval(
        &tab,
        "document.querySelectorAll('okta-devices-helper, [data-okta-helper]').length",
    );
    assert_eq!(marks, 0);
}

#[test]
fn nothing_is_mounted_before_the_pages_load_event() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    let load_ended = h.eval(
        &tab,
        "performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd",
    );
    let frame_started = h.eval(&overlay, "performance.timeOrigin");
    let (load, frame) = (
        load_ended.as_f64().expect("a time"),
        frame_started.as_f64().expect("a time"),
    );
    // Firefox rounds both to whole milliseconds.
    assert!(
        frame + 1.0 >= load,
        "the frame started {:.1} ms before the load event ended",
        load - frame
    );
}

/// The Scopes tab with every scope granted and confirmed by the API; then `inject` makes the
/// demo org fail, the admin checks again, and the problem shown is returned. The checklist must
/// never pass on the page's word alone.
fn failure_after_a_pass(h: &mut Harness, inject: impl FnOnce(&mut Harness, &Context)) -> String {
    h.0.server.set_granted("okta.devices.manage", true);
    let (tab, overlay) = h.open_scopes_tab();
    h.wait(
        &overlay,
        "the pass",
        "document.querySelector('.summary')?.dataset.verdict === 'complete'",
    );
    inject(h, &tab);
    h.click(&overlay, "api-recheck");
    let problem = h.wait(
        &overlay,
        "an API problem",
        "document.querySelector('.api-problem')?.textContent",
    );
    assert_ne!(
        h.eval(
            &overlay,
            "document.querySelector('.summary')?.dataset.verdict"
        ),
        "complete",
        "{problem}"
    );
    assert_eq!(
        h.eval(
            &overlay,
            "document.querySelector('[data-scope=\"okta.devices.manage\"]').dataset.source"
        ),
        "page",
        "a line the API could not confirm is never called verified"
    );
    problem.as_str().unwrap_or_default().to_owned()
}

#[test]
fn okta_api_failures_are_named_and_never_pass() {
    use testbed::server::Fault;
    let mut h = Harness::start();
    let problem = failure_after_a_pass(&mut h, |h, _| {
        h.0.server.fail_next_at("/grants", &[Fault::Status(403)])
    });
    assert!(
        problem.contains("E0000006") && problem.contains("okta.appGrants.read"),
        "{problem}"
    );
    let problem = failure_after_a_pass(&mut h, |h, _| {
        h.0.server.fail_next(&[Fault::Okta {
            status: 400,
            code: "E0000999",
            summary: "Something Okta added later",
        }])
    });
    assert_eq!(
        problem,
        "Okta answered E0000999: \u{201c}Something Okta added later\u{201d}."
    );
    let problem = failure_after_a_pass(&mut h, |h, _| {
        h.0.server.fail_next_at("/grants", &[Fault::ForeignLink])
    });
    assert!(
        problem.contains("evil.example") && problem.contains("did not follow"),
        "{problem}"
    );
    assert!(h
        .0
        .server
        .api_requests()
        .iter()
        .all(|r| !r.target.contains("evil")));
    let problem = failure_after_a_pass(&mut h, |h, _| h.0.server.fail_next(&[Fault::Status(500)]));
    assert!(
        problem.contains("E0000009") && problem.contains("(500)"),
        "{problem}"
    );
    let problem = failure_after_a_pass(&mut h, |h, _| {
        h.0.server.fail_next_at("/grants", &[Fault::Garbled])
    });
    assert!(problem.contains("unexpected shape"), "{problem}");
    // A sign-in page (a 200 in text/html) where Okta's JSON was expected.
    let problem = failure_after_a_pass(&mut h, |h, _| {
        h.0.server.fail_next_at("/grants", &[Fault::HtmlPage])
    });
    assert!(problem.contains("a body that is not JSON"), "{problem}");
    let problem = failure_after_a_pass(&mut h, |h, _| h.0.server.throttle_next(2));
    assert!(
        problem.contains("E0000047") && problem.contains("rate limit"),
        "{problem}"
    );
}

#[test]
fn a_grant_only_on_a_later_page_is_found_through_the_next_links_as_okta_sent_them() {
    let mut h = Harness::start();
    // One grant a page: okta.devices.manage, granted last, is on the fourth page only.
    h.0.server.set_page_size(1);
    h.0.server.set_granted("okta.devices.manage", true);
    let (_, overlay) = h.open_scopes_tab();
    let line = h.wait(
        &overlay,
        "the line verified by the API",
        "(e => e?.dataset.source === 'api' && [e.dataset.state, e.dataset.source])\
           (document.querySelector('[data-scope=\"okta.devices.manage\"]'))",
    );
    assert_eq!(line, serde_json::json!(["granted", "api"]));
    // The helper's own reads followed every next link exactly as the demo sent it, opaque
    // cursor and all, and each was answered 200; waited for, in case a later check is on its way.
    let grants = format!("/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants");
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let followed = testbed::server::next_links_followed(&h.0.server.api_requests(), &grants);
        match followed {
            Ok(pages) if pages >= 3 => break,
            _ if std::time::Instant::now() > deadline => {
                panic!("the helper did not follow the next links: {followed:?}")
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

#[test]
fn a_429_is_waited_for_once_and_said() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.0.server.throttle_next(1);
    h.click(&overlay, "api-recheck");
    let note = h.wait(
        &overlay,
        "the rate-limit note",
        "document.querySelector('.api-note')?.textContent",
    );
    assert!(
        note.as_str()
            .is_some_and(|n| n.contains("rate limit") && n.contains("waited")),
        "{note}"
    );
    h.wait(&overlay, "the check to succeed after waiting", VERIFIED);
    let throttled =
        h.0.server
            .api_requests()
            .into_iter()
            .filter(|r| r.status == 429)
            .count();
    assert_eq!(throttled, 1, "asked once more, not again and again");
}

#[test]
fn a_planted_second_token_sends_nothing_and_never_passes() {
    let mut h = Harness::start();
    let mut before = 0;
    let problem = failure_after_a_pass(&mut h, |h, tab| {
        h.eval(
            tab,
            "(() => { const fake = document.createElement('span'); fake.id = '_xsrfToken'; fake.hidden = true;\
               fake.textContent = 'AAAAAAAAAAAAAAAAAAAAAAAA'; document.body.prepend(fake); return true; })()",
        );
        before = h.0.server.api_requests().len();
    });
    assert!(problem.contains("more than one XSRF token"), "{problem}");
    assert_eq!(
        h.0.server.api_requests().len(),
        before,
        "nothing is sent with a token the helper does not trust"
    );
}

#[test]
fn switching_tabs_without_reload_is_followed() {
    let mut h = Harness::start();
    let tab = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-general"),
    );
    let overlay = h.overlay(&tab);
    h.wait(
        &overlay,
        "the General tab hint",
        "document.querySelector('.notice')?.textContent.includes('General')",
    );
    // The console's own tab click: pushState, no hashchange, no reload.
    h.eval(
        &tab,
        "(document.querySelector('[data-se=\"tab-okta-api-scopes\"]').click(), true)",
    );
    h.wait(
        &overlay,
        "the checklist",
        &format!("{DEVICES_MANAGE_IS} === 'missing'"),
    );
    // A plain fragment change.
    h.eval(&tab, "(location.hash = '#tab-signon', true)");
    h.wait(
        &overlay,
        "the Sign On tab hint",
        "document.querySelector('.notice')?.textContent.includes('Sign On')",
    );
    h.wait(
        &tab,
        "no highlight off the Scopes tab",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
    h.eval(&tab, "(history.back(), true)");
    h.wait(
        &overlay,
        "the checklist again",
        &format!("{DEVICES_MANAGE_IS} === 'missing'"),
    );
    assert_eq!(
        h.eval(&tab, "performance.getEntriesByType('navigation').length"),
        1,
        "the page was never reloaded"
    );
}

#[test]
fn the_general_tab_says_to_open_the_scopes_tab_and_the_button_opens_it() {
    let mut h = Harness::start();
    let tab = h.open(ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH);
    let overlay = h.overlay(&tab);
    let notice = h.wait(
        &overlay,
        "the hint",
        "document.querySelector('.notice')?.textContent",
    );
    assert_eq!(
        notice,
        "You are on General. The scopes to check are on the Okta API Scopes tab."
    );
    h.click(&overlay, "open-tab");
    h.wait(
        &tab,
        "the Scopes tab to open",
        "location.hash === '#tab-okta-api-scopes'",
    );
    h.wait(
        &overlay,
        "the checklist",
        &format!("{DEVICES_MANAGE_IS} === 'missing'"),
    );
}

#[test]
fn show_me_scrolls_the_row_into_view_and_the_panel_leaves_the_table_uncovered() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    h.wait(
        &tab,
        "the panel's gutter",
        "(() => { const table = document.querySelector('[data-se=\"scopes-table\"]').getBoundingClientRect();\
           return parseFloat(getComputedStyle(document.documentElement).marginRight) >= 340 &&\
             table.right <= window.innerWidth - 340; })()",
    );
    h.eval(
        &tab,
        "(document.querySelector('h1').style.marginTop = '3000px', true)",
    );
    h.wait(
        &tab,
        "the row to be out of view",
        "document.querySelector('[data-se=\"scope-row\"]').getBoundingClientRect().top > window.innerHeight",
    );
    h.click(&overlay, "show-me");
    h.wait(
        &tab,
        "the okta.devices.manage row to scroll into view",
        "(() => { const r = document.querySelector('[data-se=\"scope-row\"][data-okta-helper]').getBoundingClientRect();\
           return r.top >= 0 && r.bottom <= window.innerHeight; })()",
    );
}

#[test]
fn the_panel_collapses_and_keeps_the_highlight() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    h.click(&overlay, "toggle");
    let label = h.wait(
        &overlay,
        "the launcher",
        "document.querySelector('.launcher')?.textContent",
    );
    assert_eq!(label, "Okta Devices: 1 to grant");
    h.wait(
        &tab,
        "the gutter to go",
        "getComputedStyle(document.documentElement).marginRight === '0px'",
    );
    assert_eq!(
        h.eval(
            &tab,
            "document.querySelectorAll('[data-okta-helper=\"missing\"]').length"
        ),
        2
    );
}

#[test]
fn the_admin_can_check_another_connectors_profile() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    h.eval(
        &overlay,
        "(select => (select.value = 'okta_realms', select.dispatchEvent(new Event('change', {bubbles: true}))))\
         (document.querySelector('select[data-field=\"profile\"]'))",
    );
    let realms = h.wait(
        &overlay,
        "the Okta Realms checklist",
        "document.querySelector('[data-scope=\"okta.realms.read\"]') &&\
         [...document.querySelectorAll('[data-scope]')].map(e => e.dataset.scope)",
    );
    assert!(realms.as_array().is_some_and(|s| s.len() == 12), "{realms}");
    h.wait(
        &tab,
        "the realms row to be marked",
        "document.querySelector('[data-okta-helper]')?.closest('[data-se=\"scope-row\"]')?.querySelector('[data-se=\"scope-name\"]').textContent === 'okta.realms.read'",
    );
    let summary = h.eval(&overlay, "document.querySelector('.summary').textContent");
    assert_eq!(summary, "Grant on this tab: okta.realms.read.");
}

/// Grants `okta.devices.manage` to `app_id` from the page, as another admin's console would.
fn grant_elsewhere(h: &mut Harness, tab: &Context, app_id: &str) {
    let status = h.eval(
        tab,
        &format!(
            "fetch('/api/v1/apps/{app_id}/grants', {{method: 'POST', credentials: 'same-origin',\
               headers: {{'Content-Type': 'application/json', 'X-Okta-XsrfToken': document.getElementById('_xsrfToken').textContent}},\
               body: JSON.stringify({{scopeId: 'okta.devices.manage', issuer: 'https://acme.okta.com'}})}}).then(r => r.status)"
        ),
    );
    assert_eq!(status, 201);
}

#[test]
fn when_page_and_api_disagree_the_api_is_the_judge_and_the_line_says_so() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    grant_elsewhere(&mut h, &tab, WORKFLOWS_OAUTH_APP_ID);
    h.click(&overlay, "api-recheck");
    let differs = h.wait(
        &overlay,
        "the line's note",
        "document.querySelector('[data-scope=\"okta.devices.manage\"] .page-differs')?.textContent",
    );
    assert_eq!(
        differs,
        "The page shows it not granted, but Okta's API has it granted. Reload the page."
    );
    let line = h.eval(
        &overlay,
        "(e => [e.dataset.state, e.dataset.source])(document.querySelector('[data-scope=\"okta.devices.manage\"]'))",
    );
    assert_eq!(
        line,
        serde_json::json!(["granted", "api"]),
        "Okta's API is the judge"
    );
    h.wait(
        &tab,
        "the highlight to go",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
}

#[test]
fn the_check_is_about_the_app_in_the_address_even_with_two_flow_apps() {
    const SECOND_FLOW_APP: &str = "0oa2wf2oauthdemo0x9z";
    let mut h = Harness::start();
    h.0.server
        .add_app(SECOND_FLOW_APP, "flow", "Okta Workflows OAuth (second)");
    let (tab, overlay) = h.open_scopes_tab();
    grant_elsewhere(&mut h, &tab, SECOND_FLOW_APP);
    h.eval(
        &overlay,
        "(window.seen = [], new MutationObserver(() => { const e = document.querySelector('[data-scope=\"okta.devices.manage\"]');\
           if (e) seen.push(e.dataset.state + '/' + (e.dataset.source ?? '') + '@' + e.closest('[data-app]')?.dataset.app); })\
           .observe(document, {subtree: true, childList: true, attributes: true}), true)",
    );
    h.eval(
        &tab,
        &format!(
            "(history.pushState(null, '', '/admin/app/flow/instance/{SECOND_FLOW_APP}/#tab-okta-api-scopes'),\
              dispatchEvent(new PopStateEvent('popstate')), true)"
        ),
    );
    h.wait(
        &overlay,
        "the second app's line",
        &format!("{DEVICES_MANAGE_IS} === 'granted'"),
    );
    h.wait(&overlay, "the second app verified by the API", VERIFIED);
    let seen: Vec<String> = serde_json::from_value(h.eval(&overlay, "seen")).expect("states");
    assert!(
        seen.iter()
            .any(|state| state.ends_with(&format!("@{SECOND_FLOW_APP}"))),
        "the panel moved to the second app: {seen:?}"
    );
    assert!(
        !seen.contains(&format!("missing/api@{SECOND_FLOW_APP}")),
        "the first app's answer was never shown for the second: {seen:?}"
    );
}

#[test]
fn a_user_who_is_not_a_super_admin_and_an_unassigned_app_are_reported() {
    let mut h = Harness::start();
    h.0.server.set_super_admin(false);
    h.0.server.set_assigned(false);
    let (_, overlay) = h.open_scopes_tab();
    let checks = h.wait(
        &overlay,
        "the preconditions",
        "document.querySelectorAll('.preconditions li').length === 2 &&\
         Object.fromEntries([...document.querySelectorAll('.preconditions li')].map(li => [li.dataset.check, li.dataset.state]))",
    );
    assert_eq!(
        checks,
        serde_json::json!({"super_admin": "no", "assigned": "no"})
    );
}

#[test]
fn cancelling_the_grant_sends_nothing_and_a_question_never_answered_grants_nothing() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    let before = h.0.server.api_requests().len();
    h.click(&overlay, "api-grant");
    h.click(&overlay, "api-grant-cancel");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        h.0.server.api_requests()[before..]
            .iter()
            .all(|r| r.method != "POST"),
        "cancel sent a grant"
    );
    // Asked in the toolbar and never answered: nothing is granted.
    h.click(&overlay, "api-grant");
    h.click(&overlay, "api-grant-confirm");
    h.wait(
        &overlay,
        "the toolbar's question",
        "document.querySelector('.outcome[data-outcome=\"waiting\"]')",
    );
    std::thread::sleep(Duration::from_millis(1000));
    assert!(
        !h.0.server
            .granted_scopes()
            .contains(&"okta.devices.manage".to_owned()),
        "granted without an answer"
    );
}

#[test]
fn a_grant_for_another_issuer_is_shown_never_counted_and_granted_only_when_asked() {
    let mut h = Harness::start();
    h.0.server
        .add_grant("okta.devices.manage", "https://login.acme.example");
    let tab = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes"),
    );
    let overlay = h.overlay(&tab);
    let line = h.wait(
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
    assert_eq!(h.eval(&overlay, DEVICES_MANAGE_IS), "unknown");
    assert!(!h.0.server.api_calls().iter().any(|c| c.starts_with("POST")));
    h.click(&overlay, "api-grant-issuer");
    h.confirm_grant(&overlay, "api-grant-confirm");
}

#[test]
fn unreadable_org_metadata_is_said_and_never_passes() {
    let mut h = Harness::start();
    h.0.server
        .fail_metadata(testbed::server::MetadataFault::Status(500));
    let tab = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes"),
    );
    let overlay = h.overlay(&tab);
    let engine = h.wait(
        &overlay,
        "the engine notice",
        "(e => e?.dataset.engine === 'unknown' && e.textContent)(document.querySelector('.engine'))",
    );
    assert!(
        engine.as_str().is_some_and(
            |t| t.starts_with("Could not tell whether this org runs Okta Identity Engine")
        ),
        "{engine}"
    );
    grant_elsewhere(&mut h, &tab, WORKFLOWS_OAUTH_APP_ID);
    h.click(&overlay, "api-recheck");
    h.wait(
        &overlay,
        "the grant seen by the API",
        &format!("{DEVICES_MANAGE_IS} === 'granted'"),
    );
    h.wait(&overlay, "every line verified by the API", VERIFIED);
    assert_eq!(
        h.eval(
            &overlay,
            "document.querySelector('.summary')?.dataset.verdict"
        ),
        "unconfirmed"
    );
}

#[test]
fn a_failed_grant_is_reported_for_its_scope() {
    let mut h = Harness::start();
    let (_, overlay) = h.open_scopes_tab();
    h.click(&overlay, "api-grant");
    h.0.server.fail_next(&[
        testbed::server::Fault::Pass,
        testbed::server::Fault::Status(500),
    ]);
    h.click_and_confirm(&overlay, "api-grant-confirm", ADMIN_HOST, GRANT_QUESTION);
    let result = h.wait(
        &overlay,
        "the grant result",
        "document.querySelector('.grant-results li[data-scope=\"okta.devices.manage\"]')?.dataset.result",
    );
    assert_eq!(result, "failed");
    h.wait(
        &overlay,
        "the line",
        &format!("{DEVICES_MANAGE_IS} === 'missing'"),
    );
}

#[test]
fn a_hanging_api_ends_in_a_visible_problem_never_a_pass() {
    let mut h = Harness::start();
    h.0.server.set_granted("okta.devices.manage", true);
    let (_, overlay) = h.open_scopes_tab();
    h.0.server
        .fail_next_at("/grants", &[testbed::server::Fault::Hang]);
    h.click(&overlay, "api-recheck");
    let problem =
        h.0.firefox
            .wait_until(
                &overlay,
                "the timeout's problem",
                "document.querySelector('.api-problem')?.textContent",
                Duration::from_secs(30),
            )
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        problem
            .as_str()
            .is_some_and(|p| p.contains("no answer within 15 s")),
        "{problem}"
    );
    assert_ne!(
        h.eval(
            &overlay,
            "document.querySelector('.summary')?.dataset.verdict"
        ),
        "complete"
    );
}

#[test]
fn a_malformed_token_sends_nothing_and_never_passes() {
    let mut h = Harness::start();
    let mut before = 0;
    let problem = failure_after_a_pass(&mut h, |h, tab| {
        h.eval(
            tab,
            "(t => { t.textContent = t.textContent.trim() + '\\nX-Injected: 1'; return true; })(document.getElementById('_xsrfToken'))",
        );
        before = h.0.server.api_requests().len();
    });
    assert!(problem.contains("does not have the shape"), "{problem}");
    assert_eq!(h.0.server.api_requests().len(), before, "nothing was sent");
}

#[test]
fn the_workflows_console_gets_the_panel_when_a_dialog_opens() {
    let mut h = Harness::start();
    let (_, overlay) = open_connection_dialog(&mut h, WORKFLOWS_HOST);
    h.wait(
        &overlay,
        "the panel",
        "document.getElementById('root').dataset.mode === 'panel'",
    );
}

#[test]
fn a_page_whose_load_never_ends_still_gets_the_checklist() {
    let mut h = Harness::start();
    let created =
        h.0.firefox
            .send("browsingContext.create", serde_json::json!({"type": "tab"}))
            .expect("a tab");
    let tab = Context(created["context"].as_str().expect("a context").to_owned());
    h.0.firefox
        .send(
            "browsingContext.navigate",
            serde_json::json!({"context": tab.0, "wait": "interactive",
                "url": format!("https://{ADMIN_HOST}{WORKFLOWS_OAUTH_APP_PATH}?hang#tab-okta-api-scopes")}),
        )
        .expect("the page");
    let overlay = h.overlay(&tab);
    h.wait(
        &overlay,
        "the checklist",
        &format!("{DEVICES_MANAGE_IS} === 'missing'"),
    );
    assert_eq!(
        h.eval(&tab, "document.readyState"),
        "interactive",
        "the page's load is still pending"
    );
}

#[test]
fn a_console_host_name_in_the_path_query_or_fragment_gets_nothing() {
    let mut h = Harness::start();
    for look_alike in [
        "/x-admin.okta.com/",
        "/admin/dashboard?next=https://acme-admin.okta.com/",
        "/admin/dashboard#https://acme-admin.okta.com/",
        "/admin/dashboard?x=acme.workflows.okta.com/",
    ] {
        let tab = h.open(testbed::server::NOT_A_CONSOLE_HOST, look_alike);
        std::thread::sleep(Duration::from_millis(800));
        assert!(
            h.0.firefox.frames(&tab).expect("frames").is_empty(),
            "{look_alike}"
        );
        assert_eq!(
            h.eval(
                &tab,
                "document.querySelectorAll('okta-devices-helper, iframe').length"
            ),
            0,
            "{look_alike}"
        );
    }
}

#[test]
fn an_unreadable_tab_offers_a_page_report_that_carries_no_value_and_no_secret() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    let secret = h.0.server.client_secret();
    // A scope id inside a sentence and in a title: listed. A host name: withheld.
    let prose = "Grant okta.devices.manage before the first flow runs.";
    let host = "acme.okta.com";
    h.eval(
        &tab,
        &format!(
            "(() => {{ for (const b of document.querySelectorAll('[data-se=\"scope-row\"] button')) {{\
                 b.removeAttribute('data-se'); b.textContent = '\u{4ed8}\u{4e0e}'; }}\
               const panel = document.querySelector('[data-se=\"tab-panel\"]');\
               const note = document.createElement('p'); note.textContent = 'Owner: avery.admin@acme.example';\
               const id = document.createElement('code'); id.textContent = '0oa1wf2oauthdemo0x7q';\
               id.setAttribute('title', '{secret}');\
               const field = document.createElement('input'); field.value = '{secret}'; field.setAttribute('data-token', '{secret}');\
               const prose = document.createElement('p'); prose.textContent = {prose:?};\
               const titled = document.createElement('span'); titled.textContent = 'Users'; titled.title = 'okta.users.manage';\
               const host = document.createElement('span'); host.textContent = {host:?};\
               panel.append(note, id, field, prose, titled, host); return true; }})()"
        ),
    );
    h.click(&overlay, "copy-report");
    let report = h.wait(
        &overlay,
        "the page report",
        "document.querySelector('.page-report')?.textContent",
    );
    let report = report.as_str().unwrap_or_default().to_owned();
    for kept in [
        "\"okta.devices.manage\"",
        "[type=button] \"\u{4ed8}\u{4e0e}\"",
        "(value withheld)",
        &format!("(text, {} chars; okta.devices.manage)", prose.len()),
        "[title=okta.users.manage]",
    ] {
        assert!(report.contains(kept), "{kept} in\n{report}");
    }
    for withheld in [
        secret.as_str(),
        "avery.admin@acme.example",
        "0oa1wf2oauthdemo0x7q",
        host,
    ] {
        assert!(
            !report.contains(withheld),
            "{withheld} reached the report:\n{report}"
        );
    }
}

#[test]
fn the_popup_follows_the_flow() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    h.eval(
        &tab,
        "([...document.querySelectorAll('[data-se=\"scope-row\"]')]\
           .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === 'okta.devices.manage')\
           .querySelector('[data-se=\"grant-button\"]').click(), true)",
    );
    h.wait(
        &overlay,
        "the grant",
        &format!("{DEVICES_MANAGE_IS} === 'granted'"),
    );
    let admin_overlay = h.capture_ready();
    let popup = h.0.popup(&admin_overlay, PATIENCE).expect("the popup");
    let states = h.wait(
        &popup,
        "the popup's steps",
        "(() => { const s = [...document.querySelectorAll('[data-org=\"acme.okta.com\"] li')].map(li => li.dataset.state);\
           return s.length === 4 && s[2] === 'done' ? s : null; })()",
    );
    assert_eq!(states, serde_json::json!(["done", "done", "done", "todo"]));
}

#[test]
fn an_edited_nickname_is_filled_and_create_delivers_exactly_the_captured_values() {
    let mut h = Harness::start();
    let secret = h.0.server.client_secret();
    h.capture_ready();
    let (tab, overlay) = open_connection_dialog(&mut h, WORKFLOWS_HOST);
    h.wait(
        &overlay,
        "the nickname",
        "document.querySelector('[data-field=\"nickname\"]')",
    );
    h.eval(
        &overlay,
        "(input => (input.value = 'Devices (acme prod)', input.dispatchEvent(new Event('input', {bubbles: true})), true))\
         (document.querySelector('[data-field=\"nickname\"]'))",
    );
    h.click_and_confirm(&overlay, "fill", WORKFLOWS_HOST, "Fill from acme.okta.com");
    h.wait(
        &tab,
        "Create to be marked",
        "[...document.querySelectorAll('[data-okta-helper=\"next\"]')].map(b => b.textContent).join() === 'Create'",
    );
    h.eval(
        &tab,
        "([...document.querySelectorAll('[role=\"dialog\"] button')].find(b => b.textContent === 'Create').click(), true)",
    );
    h.wait(
        &tab,
        "the new connection in the list",
        "document.querySelector('table.connections')?.textContent.includes('Devices (acme prod)')",
    );
    assert_eq!(
        h.0.server.connections(),
        vec![serde_json::json!({
            "id": "conn1",
            "connector": "Okta Devices",
            "nickname": "Devices (acme prod)",
            "domain": "acme.okta.com",
            "clientId": WORKFLOWS_OAUTH_APP_ID,
            "clientSecret": secret,
            "scopes": "default",
        })]
    );
    let page = h.eval(&tab, "document.documentElement.outerHTML");
    assert!(
        !page.to_string().contains(&secret),
        "the Workflows page keeps the secret after Create"
    );
}
