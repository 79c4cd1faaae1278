//! End to end: capturing the Okta Workflows OAuth app's credentials on the Sign On tab and filling
//! them into the Okta Workflows "New Connection" form (real React), with the real extension.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{click_in_row, Harness};
use serde_json::json;
use testbed::server::{
    ADMIN_HOST, OTHER_WORKFLOWS_HOST, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_ID,
    WORKFLOWS_OAUTH_APP_PATH,
};
use testbed::session::{plant_dialog, FILL_DISABLED};

use common::VAULT_READY as READY;
const FILL: &str = "document.querySelector('[data-action=\"fill\"]').click()";
const CREATE: &str = "[...document.querySelectorAll('[role=\"dialog\"] button')].find(b => b.textContent === 'Create').click()";

/// Captures acme's credentials and opens the Okta Devices dialog on acme's Workflows console,
/// until the panel's Fill button can be clicked.
fn ready_to_fill(h: &mut Harness) -> (testbed::browser::Page, testbed::browser::Session) {
    h.capture_ready();
    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    h.wait_overlay(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')?.disabled === false",
    );
    (page, overlay)
}

fn outcome(h: &mut Harness, overlay: &testbed::browser::Session) -> String {
    let value = h.wait_overlay(
        overlay,
        "an outcome",
        "document.querySelector('.outcome')?.textContent",
    );
    value.as_str().unwrap_or_default().to_owned()
}

#[test]
fn capture_fill_and_create_deliver_exactly_the_captured_values() {
    let mut h = Harness::start();
    let secret = h.server.client_secret();
    let (_, admin_overlay) = h.capture_ready();
    let shown = h.overlay_eval(
        &admin_overlay,
        "document.querySelector('.vault').textContent",
    );
    let tail: String = secret.chars().skip(secret.len() - 4).collect();
    assert!(
        shown
            .as_str()
            .is_some_and(|t| t.contains(WORKFLOWS_OAUTH_APP_ID)
                && t.contains(&format!("\u{2022}\u{2022}\u{2022}\u{2022}{tail}"))),
        "{shown}"
    );

    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    h.wait_overlay(&overlay, "the Fill button", "document.querySelector('[data-action=\"fill\"]')?.textContent === 'Fill from acme.okta.com'");
    let nickname = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-field=\"nickname\"]').value",
    );
    assert_eq!(nickname, "Okta Devices \u{2013} acme");
    h.overlay_eval(
        &overlay,
        "const input = document.querySelector('[data-field=\"nickname\"]');\
         input.value = 'Devices (acme prod)'; input.dispatchEvent(new Event('input', {bubbles: true}));",
    );
    h.click_action(&overlay, "fill");
    let done = outcome(&mut h, &overlay);
    assert!(
        done.starts_with(
            "Filled Connection Nickname, Domain, Client ID and Client Secret from acme.okta.com"
        ),
        "{done}"
    );
    let form = h.form(&page);
    assert_eq!(form["nickname"], "Devices (acme prod)");
    assert_eq!(form["domain"], "acme.okta.com");
    assert_eq!(form["clientId"], WORKFLOWS_OAUTH_APP_ID);
    assert_eq!(form["clientSecret"], secret);
    h.wait_page(&page, "Create to be marked", "[...document.querySelectorAll('[data-okta-helper=\"next\"]')].map(b => b.textContent).join() === 'Create'");

    h.page_eval(&page, CREATE);
    h.wait_page(
        &page,
        "the new connection in the list",
        "document.querySelector('table.connections')?.textContent.includes('Devices (acme prod)')",
    );
    let received = h.server.connections();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0],
        json!({
            "id": "conn1",
            "connector": "Okta Devices",
            "nickname": "Devices (acme prod)",
            "domain": "acme.okta.com",
            "clientId": WORKFLOWS_OAUTH_APP_ID,
            "clientSecret": secret,
            "scopes": "default",
        })
    );

    let worker = h.worker();
    assert!(
        !h.storage(&worker, "session").contains(&secret),
        "the vault empties after the fill"
    );
}

#[test]
fn the_secret_stays_in_session_storage_and_its_one_field() {
    let mut h = Harness::start();
    let worker = h.worker();
    let secret = h.server.client_secret();
    let (admin_page, admin_overlay) = h.capture("");
    h.wait_overlay(&admin_overlay, "the capture", READY);

    // Where it must be, so that the checks below cannot pass by its absence.
    assert!(h.storage(&worker, "session").contains(&secret));
    let field = h.page_eval(
        &admin_page,
        "document.querySelector('[name=client_secret]').value",
    );
    assert_eq!(field, secret.as_str());

    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    h.wait_overlay(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')",
    );
    h.click_action(&overlay, "fill");
    outcome(&mut h, &overlay);
    h.page_eval(&page, CREATE);
    h.wait_page(
        &page,
        "the dialog to close",
        "!document.querySelector('[role=\"dialog\"]')",
    );

    for area in ["local", "sync"] {
        assert!(
            !h.storage(&worker, area).contains(&secret),
            "storage.{area} holds the secret"
        );
    }
    let outside_field = "(() => { const copy = document.documentElement.cloneNode(true);\
        copy.querySelector('[name=client_secret]')?.remove(); return copy.outerHTML; })()";
    let admin_dom = h.page_eval(&admin_page, outside_field);
    assert!(
        !admin_dom.as_str().unwrap_or_default().contains(&secret),
        "the admin page's DOM shows the secret"
    );
    let workflows_dom = h.page_eval(&page, "document.documentElement.outerHTML");
    assert!(
        !workflows_dom.as_str().unwrap_or_default().contains(&secret),
        "the Workflows page keeps the secret after Create"
    );
    for overlay in [&admin_overlay, &overlay] {
        let text = h.overlay_eval(overlay, "document.documentElement.outerHTML");
        assert!(
            !text.as_str().unwrap_or_default().contains(&secret),
            "the overlay shows the secret"
        );
    }
    assert!(
        !h.console_output().contains(&secret),
        "the console shows the secret"
    );
}

#[test]
fn the_vault_expires_after_the_lifetime_set_in_the_options() {
    let mut h = Harness::start();
    h.set_options(
        "document.getElementById('lifetime').value === '600'",
        "document.getElementById('lifetime').value = '3'",
        "3 seconds",
    );

    let worker = h.worker();
    let secret = h.server.client_secret();
    let (_, overlay) = h.capture("");
    h.wait_overlay(&overlay, "the capture", READY);
    assert!(h.storage(&worker, "session").contains(&secret));
    h.wait_overlay(
        &overlay,
        "the capture to expire",
        "document.querySelector('[data-vault]')?.dataset.vault === 'expired'",
    );
    assert!(
        !h.storage(&worker, "session").contains(&secret),
        "the secret is gone once expired"
    );

    let (_, workflows_overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    let text = h.wait_overlay(
        &workflows_overlay,
        "the expiry notice",
        "document.querySelector('[data-vault=\"expired\"]')?.textContent",
    );
    assert_eq!(text, "The credentials captured for acme.okta.com have expired. Capture them again on the Sign On tab.");
}

#[test]
fn page_scripts_cannot_make_the_helper_fill_or_read() {
    let mut h = Harness::start();
    let worker = h.worker();
    let secret = h.server.client_secret();
    let (page, overlay) = ready_to_fill(&mut h);

    let page_view = h.page_eval(
        &page,
        "(() => {\
           const target = {probe: 'dialog_inputs', index: 3, part: null};\
           for (const message of [\
             {kind: 'fill', request: 1, seq: 1, fields: [{target, value: 'forged'}]},\
             {kind: 'read_once', request: 2, probes: [{id: 'client_secret_value', selectors: ['input'], fields: [{name: 'value', selector: null, read: 'value'}]}]},\
             {kind: 'vault_take', org_domain: 'acme.okta.com'},\
             {kind: 'click', target: {probe: 'dialog_buttons', index: 1, part: null}},\
           ]) { window.postMessage(message, '*'); window.top.postMessage(message, '*'); }\
           for (let i = 0; i < window.frames.length; i++) window.frames[i].postMessage({kind: 'vault_take', org_domain: 'acme.okta.com'}, '*');\
           return {chrome: typeof chrome === 'undefined' ? 'none' : typeof chrome.runtime?.sendMessage,\
                   shadow: document.querySelector('okta-devices-helper')?.shadowRoot ?? null};\
         })()",
    );
    assert_eq!(page_view, json!({"chrome": "undefined", "shadow": null}));
    std::thread::sleep(std::time::Duration::from_millis(500));
    let form = h.form(&page);
    assert_eq!(form["clientSecret"], "", "nothing was filled");
    assert_eq!(form["nickname"], "Okta Devices Account");
    assert!(h.server.connections().is_empty(), "nothing was created");
    assert!(
        h.storage(&worker, "session").contains(&secret),
        "the vault still holds the capture"
    );
    let ready = h.overlay_eval(&overlay, READY);
    assert_eq!(ready, true);
}

#[test]
fn a_dialog_that_is_not_okta_devices_is_never_filled() {
    let mut h = Harness::start();
    h.capture_ready();
    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta");
    let blocked = h.wait_overlay(
        &overlay,
        "the refusal",
        "document.querySelector('.fill .blocked')?.textContent",
    );
    assert_eq!(
        blocked,
        "This dialog is not the Okta Devices connector's (New Connection: Okta / New Connection / Okta). Close it and choose Okta Devices."
    );
    let disabled = h.wait_overlay(&overlay, "the Fill button", FILL_DISABLED);
    assert_eq!(disabled, "true");
    h.overlay_eval(&overlay, FILL);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(h.form(&page)["clientSecret"], "");
}

#[test]
fn a_missing_form_field_fills_nothing_and_is_named() {
    let mut h = Harness::start();
    h.capture_ready();
    let (page, overlay) =
        h.open_connection_dialog(WORKFLOWS_HOST, "?omit=clientSecret", "Okta Devices");
    let blocked = h.wait_overlay(
        &overlay,
        "the refusal",
        "document.querySelector('.fill .blocked')?.textContent",
    );
    assert_eq!(
        blocked,
        "Nothing was filled: the Client Secret field could not be found in the dialog."
    );
    h.overlay_eval(&overlay, FILL);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let form = h.form(&page);
    assert_eq!(form["nickname"], "Okta Devices Account");
    assert_eq!(form["domain"], "");
}

#[test]
fn a_dialog_that_fades_in_is_filled_once_it_can_be_seen() {
    let mut h = Harness::start();
    let secret = h.server.client_secret();
    h.capture_ready();
    // The dialog mounts transparent; no node changes when its fade ends.
    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "?fade", "Okta Devices");
    h.click_action(&overlay, "fill");
    let done = outcome(&mut h, &overlay);
    assert!(done.starts_with("Filled Connection Nickname"), "{done}");
    assert_eq!(h.form(&page)["clientSecret"], secret);
}

#[test]
fn without_credentials_the_workflows_panel_says_where_to_get_them() {
    let mut h = Harness::start();
    let page = h.open(WORKFLOWS_HOST, "/app/connections");
    let overlay = h.open_with_launcher(&page);
    let text = h.wait_overlay(
        &overlay,
        "the empty vault notice",
        "document.querySelector('[data-vault=\"empty\"] p')?.textContent",
    );
    assert_eq!(
        text,
        "No credentials are captured for acme.okta.com. Capture them on the Okta Workflows OAuth app's Sign On tab."
    );
    let link = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-vault=\"empty\"] a').href",
    );
    assert_eq!(link, format!("https://{ADMIN_HOST}/admin/apps/active"));
    let where_to = h.overlay_eval(
        &overlay,
        "document.querySelector('.fill .blocked').textContent",
    );
    assert_eq!(
        where_to,
        "Open Connections \u{2192} New Connection \u{2192} Okta Devices, then fill from here."
    );
}

/// Waits for the offer to read a hidden secret through Okta's API, checks that it says Okta logs
/// the read and that nothing was read yet, and accepts it.
fn accept_the_secret_read(h: &mut Harness, overlay: &testbed::browser::Session) {
    let note = h.wait_overlay(
        overlay,
        "the offer to read the secret through the API",
        "document.querySelector('.capture .confirm [data-action=\"read-secret\"]') &&\
         document.querySelector('.capture .confirm .log-note').textContent",
    );
    assert!(
        note.as_str().is_some_and(
            |n| n.contains("System Log") && n.contains("app.oauth2.client.read_client_secret")
        ),
        "{note}"
    );
    assert!(
        !h.server
            .api_calls()
            .iter()
            .any(|call| call.ends_with("/credentials/secrets")),
        "nothing is read before the admin agrees"
    );
    h.click_action(overlay, "read-secret");
}

#[test]
fn a_hidden_secret_is_read_through_the_api_after_the_admin_agrees_and_never_shown() {
    let mut h = Harness::start();
    let worker = h.worker();
    let secret = h.server.client_secret();
    assert_eq!(secret.len(), 64, "Okta's secrets are 64 characters");
    let (page, overlay) = h.capture("?secret=hidden");
    accept_the_secret_read(&mut h, &overlay);
    h.wait_overlay(&overlay, "the capture", READY);
    let done = h.wait_overlay(
        &overlay,
        "the outcome",
        "document.querySelector('.outcome')?.textContent.startsWith('Captured') && document.querySelector('.outcome').textContent",
    );
    assert!(
        done.as_str()
            .is_some_and(|d| d.contains("read through Okta's API")),
        "{done}"
    );
    assert!(
        h.storage(&worker, "session").contains(&secret),
        "the vault holds the API's secret"
    );
    let field = h.page_eval(
        &page,
        "document.querySelector('[name=client_secret]').value",
    );
    assert_ne!(field, secret.as_str(), "the page still shows only the mask");
    let page_html = h.page_eval(&page, "document.documentElement.outerHTML");
    assert!(!page_html.as_str().unwrap_or_default().contains(&secret));
    let overlay_text = h.overlay_eval(&overlay, "document.documentElement.outerHTML");
    assert!(!overlay_text.as_str().unwrap_or_default().contains(&secret));
    assert!(
        !h.console_output().contains(&secret),
        "the secret reached a log"
    );
    assert!(!h.storage(&worker, "local").contains(&secret));
    let read = h
        .server
        .api_requests()
        .into_iter()
        .find(|call| call.target.ends_with("/credentials/secrets"))
        .expect("the secret was read through the API");
    assert!(
        read.origin.is_none(),
        "a same-origin GET from the page: {read:?}"
    );
    assert_eq!(read.status, 200);
}

#[test]
fn a_hidden_secret_says_what_to_click_when_the_admin_declines_or_the_api_cannot_help() {
    let mut h = Harness::start();
    let path = format!("{WORKFLOWS_OAUTH_APP_PATH}?secret=hidden#tab-signon");
    let page = h.open(ADMIN_HOST, &path);
    let overlay = h.overlay(&page);
    let capture = "document.querySelector('[data-action=\"capture\"]')";
    h.wait_overlay(&overlay, "the Capture button", capture);
    let masked = "The page shows the Client secret only as a mask. Click the eye icon beside Client secret to show it, then Capture again.";

    // Declined: nothing is read, and the panel says what to do on the page.
    h.click_action(&overlay, "capture");
    h.wait_overlay(
        &overlay,
        "the offer",
        "document.querySelector('[data-action=\"read-secret-cancel\"]')",
    );
    h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"read-secret-cancel\"]').click()",
    );
    let declined = h.wait_overlay(
        &overlay,
        "the failure",
        "document.querySelector('.outcome[data-outcome=\"failed\"]')?.textContent",
    );
    assert_eq!(declined, masked);
    assert!(!h
        .server
        .api_calls()
        .iter()
        .any(|call| call.ends_with("/credentials/secrets")));

    // Accepted, but the console session is over: both ways are named.
    h.server.expire_sessions();
    h.wait_overlay(&overlay, "the Capture button again", capture);
    h.click_action(&overlay, "capture");
    accept_the_secret_read(&mut h, &overlay);
    let failed = h.wait_overlay(
        &overlay,
        "the failure",
        "(t => t?.includes('failed too') && t)(document.querySelector('.outcome[data-outcome=\"failed\"]')?.textContent)",
    );
    assert_eq!(
        failed,
        format!(
            "{masked} (Reading it through Okta's API failed too: Your console session expired. Reload the page and sign in again, then try again.)"
        )
    );
}

#[test]
fn another_orgs_workflows_gets_nothing_without_the_admins_typed_confirmation() {
    let mut h = Harness::start();
    h.capture_ready();
    let (page, overlay) = h.open_connection_dialog(OTHER_WORKFLOWS_HOST, "", "Okta Devices");
    let warning = h.wait_overlay(
        &overlay,
        "the org warning",
        "document.querySelector('.fill .warning')?.textContent",
    );
    assert_eq!(warning, "These credentials are from acme.okta.com, but this Okta Workflows belongs to beta.okta.com.");
    // Never offered as the thing to do: no Fill button, and "anyway" waits for the typed org.
    assert_eq!(
        h.overlay_eval(
            &overlay,
            "!!document.querySelector('[data-action=\"fill\"]')"
        ),
        false
    );
    let anyway = "document.querySelector('[data-action=\"fill-anyway\"]')";
    assert_eq!(
        h.overlay_eval(&overlay, &format!("{anyway}.disabled")),
        true
    );
    h.wait_overlay(
        &overlay,
        "the button to settle",
        // Disabled until the org is typed, but seen and settled like any guarded button.
        "document.querySelector('[data-action=\"fill-anyway\"]:not([data-waiting])')",
    );
    h.overlay_eval(
        &overlay,
        &format!("{anyway}.disabled = false; {anyway}.click(); true"),
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(h.form(&page)["clientId"], "", "a click alone fills nothing");
    let typing = |org: &str| {
        format!(
            "(i => {{ i.value = '{org}'; i.dispatchEvent(new Event('input', {{bubbles: true}})); return {anyway}.disabled; }})\
             (document.querySelector('[data-field=\"confirm-org\"]'))"
        )
    };
    assert_eq!(
        h.overlay_eval(&overlay, &typing("acme.okta.com")),
        true,
        "typing the credentials' own org confirms nothing"
    );
    assert_eq!(h.overlay_eval(&overlay, &typing("beta.okta.com")), false);
    h.click_action(&overlay, "fill-anyway");
    h.wait_overlay(
        &overlay,
        "the fill",
        "document.querySelector('.outcome[data-outcome=\"done\"]')?.textContent.startsWith('Filled')",
    );
    assert_eq!(h.form(&page)["domain"], "acme.okta.com");
}

#[test]
fn the_popup_follows_the_flow_and_the_fill_reminds_to_reauthorize_new_scopes() {
    let mut h = Harness::start();
    let (scopes, scopes_overlay) = h.open_scopes_tab();
    h.page_eval(
        &scopes,
        &click_in_row("okta.devices.manage", "grant-button"),
    );
    h.wait_devices_manage(&scopes_overlay, "granted");

    let (_, admin_overlay) = h.capture_ready();
    let domain = h.overlay_eval(
        &admin_overlay,
        "document.querySelector('.domain-check').dataset.check",
    );
    assert_eq!(domain, "agrees");

    let id = h.extension_id();
    let popup = h.open_url(&format!("chrome-extension://{id}/popup.html"));
    let states = h.wait_page(
        &popup,
        "the popup's steps",
        "(() => { const s = [...document.querySelectorAll('[data-org=\"acme.okta.com\"] li')].map(li => li.dataset.state);\
           return s.length === 4 && s[2] === 'done' ? s : null; })()",
    );
    assert_eq!(states, json!(["done", "done", "done", "todo"]));
    let detail = h.page_eval(
        &popup,
        "document.querySelectorAll('[data-org=\"acme.okta.com\"] li')[1].textContent",
    );
    assert!(
        detail
            .as_str()
            .is_some_and(|d| d.contains("expires in 9:") || d.contains("expires in 10:00")),
        "{detail}"
    );
    let link = h.page_eval(
        &popup,
        "document.querySelectorAll('[data-org=\"acme.okta.com\"] li')[1].querySelector('a').href",
    );
    assert_eq!(
        link,
        format!("https://{ADMIN_HOST}{WORKFLOWS_OAUTH_APP_PATH}#tab-signon")
    );

    let (_, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    h.wait_overlay(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')",
    );
    h.click_action(&overlay, "fill");
    let reminder = h.wait_overlay(
        &overlay,
        "the reminder",
        "document.querySelector('.reminder')?.textContent",
    );
    assert_eq!(
        reminder,
        "Scopes were just added (okta.devices.manage). Reauthorize existing Okta Devices connections so that they get them."
    );

    h.page_eval(&popup, "location.reload()");
    let states = h.wait_page(
        &popup,
        "the popup after the fill",
        "(() => { const s = [...document.querySelectorAll('[data-org=\"acme.okta.com\"] li')].map(li => li.dataset.state);\
           return s.length === 4 && s[3] === 'done' ? s : null; })()",
    );
    assert_eq!(states, json!(["done", "done", "done", "done"]));
}

/// A Sign On tab without Okta's hooks (its fields have only labels), once its secret has loaded:
/// the harness, its worker, the secret, the page and its overlay.
fn sign_on_tab_by_labels() -> (
    Harness,
    testbed::browser::Session,
    String,
    testbed::browser::Page,
    testbed::browser::Session,
) {
    let mut h = Harness::start();
    let worker = h.worker();
    let secret = h.server.client_secret();
    let path = format!("{WORKFLOWS_OAUTH_APP_PATH}?signon=labels#tab-signon");
    let page = h.open(ADMIN_HOST, &path);
    let overlay = h.overlay(&page);
    h.wait_page(
        &page,
        "the secret to load",
        "document.getElementById('client-secret-field')?.value.length > 0 &&\
         !document.querySelector('[data-se^=\"o-form-input\"]')",
    );
    (h, worker, secret, page, overlay)
}

#[test]
fn a_sign_on_tab_without_oktas_hooks_is_read_by_its_labels() {
    let (mut h, worker, secret, _page, overlay) = sign_on_tab_by_labels();
    // The fields are found by their visible labels: the panel knows they are there.
    assert_eq!(
        h.wait_overlay(
            &overlay,
            "the Capture button, without the missing-fields warning",
            "document.querySelector('[data-action=\"capture\"]') && !document.querySelector('.capture .blocked')"
        ),
        true
    );
    h.click_action(&overlay, "capture");
    h.wait_overlay(&overlay, "the capture", READY);
    assert!(h.storage(&worker, "session").contains(&secret));
    let shown = h.overlay_eval(&overlay, "document.querySelector('.vault').textContent");
    assert!(
        shown
            .as_str()
            .is_some_and(|t| t.contains(WORKFLOWS_OAUTH_APP_ID) && !t.contains(&secret)),
        "{shown}"
    );
}

#[test]
fn two_fields_labelled_client_secret_are_refused_until_one_label_is_hidden() {
    let (mut h, worker, secret, page, overlay) = sign_on_tab_by_labels();
    // A second field labelled "Client secret", visibly, holding another value of a secret's shape.
    h.page_eval(
        &page,
        "(() => { const label = document.createElement('label'); label.htmlFor = 'second-secret';\
           label.id = 'second-secret-label'; label.textContent = 'Client secret';\
           const field = document.createElement('input'); field.id = 'second-secret'; field.readOnly = true;\
           field.value = 'x'.repeat(40);\
           document.getElementById('client-secret-field').after(label, field); return true; })()",
    );
    h.wait_overlay(
        &overlay,
        "the Capture button",
        "document.querySelector('[data-action=\"capture\"]')",
    );
    h.click_action(&overlay, "capture");
    let refused = h.wait_overlay(
        &overlay,
        "the refusal",
        "document.querySelector('.outcome[data-outcome=\"failed\"]')?.textContent",
    );
    assert_eq!(
        refused,
        "Nothing was captured: 2 fields on this page answer to \"Client secret\" \
         (#client-secret-field, #second-secret), and the helper does not guess which to read."
    );
    assert!(!h.storage(&worker, "session").contains(&secret));

    // Hidden, the second label labels nothing a person reads: the one visible field is read.
    h.page_eval(
        &page,
        "(document.getElementById('second-secret-label').hidden = true, true)",
    );
    h.click_action(&overlay, "capture");
    h.wait_overlay(&overlay, "the capture", READY);
    assert!(h.storage(&worker, "session").contains(&secret));
    assert!(!h.storage(&worker, "session").contains(&"x".repeat(40)));
}

/// What the Fill section says when it will not fill, once it says exactly `expected`.
fn refusal_reads(
    h: &mut Harness,
    page: &testbed::browser::Page,
    overlay: &testbed::browser::Session,
    expected: &str,
) {
    let script = format!(
        "(() => {{ const text = document.querySelector('.fill .blocked')?.textContent;\
                  return text === {expected:?} ? text : null; }})()"
    );
    let said = h.wait_until(overlay, "the refusal", &script, common::PATIENCE);
    if let Err(e) = said {
        let shown = h.overlay_eval(
            overlay,
            "document.querySelector('.fill')?.textContent ?? null",
        );
        let dialogs = h.page_eval(
            page,
            "[...document.querySelectorAll('[role=dialog]')].map(d => d.outerHTML)",
        );
        let panel = h.what_the_panel_showed(overlay);
        panic!("{e}; the Fill section says {shown}; the page's dialogs: {dialogs}\n{panel}");
    }
}

/// Clicks Fill (a disabled button takes no click), then checks that no input on the page holds
/// any part of the credentials.
fn nothing_typed_anywhere(
    h: &mut Harness,
    page: &testbed::browser::Page,
    overlay: &testbed::browser::Session,
) {
    h.wait_overlay(overlay, "the Fill button", FILL_DISABLED);
    h.overlay_eval(overlay, FILL);
    std::thread::sleep(std::time::Duration::from_millis(400));
    let values = h.page_eval(
        page,
        "[...document.querySelectorAll('input:not([type=radio])')].map(i => i.value).filter(v => v && !/^Okta( Devices)? Account$/.test(v))",
    );
    assert_eq!(values, json!([]), "something was typed");
    assert!(h.server.connections().is_empty());
}

#[test]
fn spoofed_dialogs_and_fields_are_refused_and_nothing_is_typed() {
    let mut h = Harness::start();
    h.capture_ready();
    let cases: [(&str, &str, String, &str); 6] = [
        (
            "a hidden field",
            "Okta Devices",
            "document.getElementById('clientId').style.cssText = 'width:1px;height:1px;padding:0;border:0;clip-path:inset(50%)'".to_owned(),
            "Nothing was filled: the Client ID field is hidden.",
        ),
        (
            "a hidden Okta Devices dialog, with no real one open",
            "Okta",
            // The real (other connector's) dialog is closed first.
            "document.querySelector('.dialog-actions .secondary').click();".to_owned()
                + &plant_dialog("New Connection: Okta Devices", "opacity:0;position:fixed;top:0;left:0;z-index:9"),
            "Open Connections \u{2192} New Connection \u{2192} Okta Devices, then fill from here.",
        ),
        (
            "a second Okta Devices dialog",
            "Okta Devices",
            plant_dialog("New Connection: Okta Devices", ""),
            "Nothing was filled: more than one Okta Devices dialog is open, and the helper does not guess which is the console's. Close the others.",
        ),
        (
            "a dialog that only names Okta Devices inside a longer name",
            "Okta",
            "document.querySelector('.dialog-actions .secondary').click();".to_owned()
                + &plant_dialog("Partner sync: not Okta Devices", ""),
            "This dialog is not the Okta Devices connector's (Partner sync: not Okta Devices). Close it and choose Okta Devices.",
        ),
        (
            "a secret field that shows what is typed",
            "Okta Devices",
            "document.getElementById('clientSecret').type = 'text'".to_owned(),
            "Nothing was filled: the Client Secret field does not hide what is typed (it is not a password field).",
        ),
        (
            "a duplicated field",
            "Okta Devices",
            "(() => { const dialog = document.querySelector('[role=\"dialog\"]');\
                      const l = document.createElement('label'); l.textContent = 'Client ID';\
                      const i = document.createElement('input'); i.id = 'spoof-clientId'; l.append(i);\
                      dialog.querySelector('h2').after(l); })()".to_owned(),
            "Nothing was filled: the Client ID field appears more than once in the dialog.",
        ),
    ];
    for (what, connector, spoof, expected) in cases {
        eprintln!("spoof: {what}");
        let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", connector);
        h.page_eval(&page, &spoof);
        refusal_reads(&mut h, &page, &overlay, expected);
        let disabled = h.wait_overlay(&overlay, "the Fill button", FILL_DISABLED);
        assert_eq!(disabled, "true", "{what}: Fill is disabled");
        nothing_typed_anywhere(&mut h, &page, &overlay);
    }
}

#[test]
fn a_hidden_look_alike_dialog_gets_nothing_and_the_fill_goes_only_to_the_real_one() {
    let mut h = Harness::start();
    let secret = h.server.client_secret();
    h.capture_ready();
    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    // Hidden, first in the document, its inputs labelled as the real ones: the attack that
    // once received the secret.
    h.page_eval(
        &page,
        &plant_dialog(
            "Partner sync: not Okta Devices",
            "position:absolute;left:-10000px;top:0",
        ),
    );
    h.page_eval(
        &page,
        &plant_dialog("New Connection: Okta Devices", "visibility:hidden"),
    );
    h.wait_overlay(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')?.disabled === false",
    );
    h.click_action(&overlay, "fill");
    let done = outcome(&mut h, &overlay);
    assert!(
        done.starts_with("Filled Connection Nickname, Domain, Client ID and Client Secret"),
        "{done}"
    );
    let form = h.form(&page);
    assert_eq!(form["clientSecret"], secret);
    for id in [
        "spoof-nickname",
        "spoof-domain",
        "spoof-clientId",
        "spoof-clientSecret",
    ] {
        assert_eq!(form[id], "", "{id} stays empty");
    }
}

#[test]
fn the_agent_checks_again_as_it_types_and_names_what_failed() {
    let mut h = Harness::start();
    let (page, overlay) = ready_to_fill(&mut h);
    // A constructed style sheet hides the dialog: adopting it changes no node, so nothing tells
    // the helper's reading of the page, and only the check at typing time can see it.
    let still_visible = h.page_eval(
        &page,
        "const sheet = new CSSStyleSheet();\
         sheet.replaceSync('[role=\"dialog\"] { opacity: 0 }');\
         document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];\
         document.querySelector('[role=\"dialog\"]').checkVisibility({checkOpacity: true})",
    );
    assert_eq!(still_visible, false, "the page's style sheet applies");
    h.click_action(&overlay, "fill");
    let said = outcome(&mut h, &overlay);
    assert_eq!(
        said,
        "Nothing was filled: the dialog is hidden, checked as the helper was about to type. Close the dialog, open Okta Devices again, and click Fill."
    );
    let form = h.form(&page);
    assert_eq!(form["clientSecret"], "");
    assert_eq!(form["domain"], "");
}
