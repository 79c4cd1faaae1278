//! End to end in Firefox ESR: what the helper says and refuses around capturing the Okta
//! Workflows OAuth app's credentials and filling them into the Okta Devices connection dialog.
//! Where to get credentials when none are captured, a hidden secret declined or unreadable, a
//! Sign On tab read by its labels alone, spoofed and hidden look-alike dialogs, a dialog hidden
//! just before typing, and the reminder to reauthorize after a fill that follows new scopes.
//! Every acting click is confirmed in the toolbar, as Firefox requires.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/firefox.rs"]
mod harness;

use harness::*;
use serde_json::{json, Value};
use std::time::Duration;
use testbed::firefox::Context;
use testbed::server::{
    ADMIN_HOST, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_ID, WORKFLOWS_OAUTH_APP_PATH,
};
use testbed::session::{plant_dialog, FILL_DISABLED};

/// What the toolbar asks before the helper reads a hidden secret through Okta's API.
const READ_SECRET_QUESTION: &str =
    "Read the app's Client secret through Okta's API (Okta logs the read)";

/// The Fill section's refusal when no Okta Devices dialog is open.
const OPEN_THE_DIALOG: &str =
    "Open Connections \u{2192} New Connection \u{2192} Okta Devices, then fill from here.";

/// The values of the inputs with an id in every dialog of the page, by id.
fn form(h: &mut Harness, tab: &Context) -> Value {
    h.eval(
        tab,
        "Object.fromEntries([...document.querySelectorAll('[role=\"dialog\"] input[id]')].map(i => [i.id, i.value]))",
    )
}

/// The panel's outcome once it is no longer waiting for the toolbar.
fn outcome(h: &mut Harness, overlay: &Context) -> String {
    let said = h.wait(
        overlay,
        "the outcome",
        "document.querySelector('.outcome:not([data-outcome=\"waiting\"])')?.textContent",
    );
    said.as_str().unwrap_or_default().to_owned()
}

/// Captures acme's credentials and opens the Okta Devices dialog on acme's Workflows console,
/// until the panel's Fill button takes a click.
fn ready_to_fill(h: &mut Harness) -> (Context, Context) {
    h.capture_ready();
    let (tab, overlay) = open_connection_dialog(h, WORKFLOWS_HOST);
    h.wait(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')?.disabled === false",
    );
    (tab, overlay)
}

/// Clicks the launcher (in the viewport's bottom right corner, 12 px from both edges) as a
/// person does, since a page script's click is not trusted input, and returns the overlay once
/// it shows the panel.
fn open_with_launcher(h: &mut Harness, tab: &Context) -> Context {
    h.wait(
        tab,
        "the launcher's host",
        "document.querySelector('okta-devices-helper')",
    );
    let size = h.eval(
        tab,
        "[document.documentElement.clientWidth, document.documentElement.clientHeight]",
    );
    let (width, height) = (
        size[0].as_f64().expect("a width"),
        size[1].as_f64().expect("a height"),
    );
    h.0.firefox
        .click_at(tab, (width - 40.0, height - 28.0))
        .expect("a mouse click");
    let overlay = h.overlay(tab);
    h.wait(
        &overlay,
        "the open panel",
        "document.getElementById('root').dataset.mode === 'panel'",
    );
    overlay
}

#[test]
fn without_credentials_the_workflows_panel_says_where_to_get_them() {
    let mut h = Harness::start();
    let tab = h.open(WORKFLOWS_HOST, "/app/connections");
    let overlay = open_with_launcher(&mut h, &tab);
    let text = h.wait(
        &overlay,
        "the empty vault notice",
        "document.querySelector('[data-vault=\"empty\"] p')?.textContent",
    );
    assert_eq!(
        text,
        "No credentials are captured for acme.okta.com. Capture them on the Okta Workflows OAuth app's Sign On tab."
    );
    let link = h.eval(
        &overlay,
        "document.querySelector('[data-vault=\"empty\"] a').href",
    );
    assert_eq!(link, format!("https://{ADMIN_HOST}/admin/apps/active"));
    let where_to = h.eval(
        &overlay,
        "document.querySelector('.fill .blocked').textContent",
    );
    assert_eq!(where_to, OPEN_THE_DIALOG);
}

/// Whether any request so far read the app's secret through Okta's API.
fn secret_read(h: &Harness) -> bool {
    h.0.server
        .api_calls()
        .iter()
        .any(|call| call.ends_with("/credentials/secrets"))
}

/// Waits for the offer to read a hidden secret through Okta's API, checks that it says Okta logs
/// the read and that nothing was read yet, and accepts it, confirmed in the toolbar.
fn accept_the_secret_read(h: &mut Harness, overlay: &Context) {
    let note = h.wait(
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
    assert!(!secret_read(h), "nothing is read before the admin agrees");
    h.click_and_confirm(overlay, "read-secret", ADMIN_HOST, READ_SECRET_QUESTION);
}

#[test]
fn a_hidden_secret_says_what_to_click_when_the_admin_declines_or_the_api_cannot_help() {
    let mut h = Harness::start();
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
    let masked = "The page shows the Client secret only as a mask. Click the eye icon beside Client secret to show it, then Capture again.";

    // Declined in the panel: nothing is read, and the panel says what to do on the page.
    h.click_and_confirm(&overlay, "capture", ADMIN_HOST, "Capture for Workflows");
    h.click(&overlay, "read-secret-cancel");
    let declined = outcome(&mut h, &overlay);
    assert_eq!(declined, masked);
    assert!(!secret_read(&h));

    // Declined in the toolbar, where Firefox asks again before the read: nothing is read, and
    // the offer stays for the admin to take or cancel.
    h.click_and_confirm(&overlay, "capture", ADMIN_HOST, "Capture for Workflows");
    h.click(&overlay, "read-secret");
    h.answer_in_toolbar(&overlay, ADMIN_HOST, READ_SECRET_QUESTION, false);
    let declined = outcome(&mut h, &overlay);
    assert_eq!(declined, "You declined in the toolbar: nothing was done.");
    assert!(!secret_read(&h));

    // Accepted, but the console session is over: both ways are named.
    h.0.server.expire_sessions();
    accept_the_secret_read(&mut h, &overlay);
    let failed = h.wait(
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
    assert_ne!(h.eval(&overlay, VAULT_READY), true, "nothing was captured");
}

#[test]
fn a_sign_on_tab_without_oktas_hooks_is_read_by_its_labels() {
    let mut h = Harness::start();
    let secret = h.0.server.client_secret();
    let tab = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}?signon=labels#tab-signon"),
    );
    let overlay = h.overlay(&tab);
    h.wait(
        &tab,
        "the secret to load",
        "document.getElementById('client-secret-field')?.value.length > 0 &&\
         !document.querySelector('[data-se^=\"o-form-input\"]')",
    );
    // The fields are found by their visible labels: the panel knows they are there.
    h.wait(
        &overlay,
        "the Capture button, without the missing-fields warning",
        "document.querySelector('[data-action=\"capture\"]') && !document.querySelector('.capture .blocked')",
    );
    h.click_and_confirm(&overlay, "capture", ADMIN_HOST, "Capture for Workflows");
    h.wait(&overlay, "the capture", VAULT_READY);
    assert!(h.storage(&overlay, "session").contains(&secret));
    let shown = h.eval(&overlay, "document.querySelector('.vault').textContent");
    assert!(
        shown
            .as_str()
            .is_some_and(|t| t.contains(WORKFLOWS_OAUTH_APP_ID) && !t.contains(&secret)),
        "{shown}"
    );
}

/// Closes the dialog the console opened (that of another connector), then runs `then`.
fn close_the_real_dialog_then(then: &str) -> String {
    format!("(document.querySelector('.dialog-actions .secondary').click(), {then})")
}

/// Waits until the Fill section refuses with exactly `expected`; on failure, says what it and
/// the page's dialogs showed.
fn refusal_reads(h: &mut Harness, tab: &Context, overlay: &Context, expected: &str) {
    let script = format!(
        "(() => {{ const text = document.querySelector('.fill .blocked')?.textContent;\
                  return text === {expected:?} ? text : null; }})()"
    );
    let said =
        h.0.firefox
            .wait_until(overlay, "the refusal", &script, PATIENCE);
    if let Err(e) = said {
        let shown = h.eval(
            overlay,
            "document.querySelector('.fill')?.textContent ?? null",
        );
        let dialogs = h.eval(
            tab,
            "[...document.querySelectorAll('[role=dialog]')].map(d => d.outerHTML)",
        );
        panic!("{e}; the Fill section says {shown}; the page's dialogs: {dialogs}");
    }
}

/// Clicks Fill (a disabled button takes no click, so the toolbar is not even asked), then checks
/// that no input on the page holds any part of the credentials.
fn nothing_typed_anywhere(h: &mut Harness, tab: &Context, overlay: &Context) {
    h.wait(overlay, "the Fill button", FILL_DISABLED);
    h.eval(
        overlay,
        "(document.querySelector('[data-action=\"fill\"]').click(), true)",
    );
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        h.eval(
            overlay,
            "!!document.querySelector('.outcome[data-outcome=\"waiting\"]')"
        ),
        false,
        "the refused Fill asked the toolbar"
    );
    let values = h.eval(
        tab,
        "[...document.querySelectorAll('input:not([type=radio])')].map(i => i.value).filter(v => v && !/^Okta( Devices)? Account$/.test(v))",
    );
    assert_eq!(values, json!([]), "something was typed");
    assert!(h.0.server.connections().is_empty());
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
            close_the_real_dialog_then(&plant_dialog(
                "New Connection: Okta Devices",
                "opacity:0;position:fixed;top:0;left:0;z-index:9",
            )),
            OPEN_THE_DIALOG,
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
            close_the_real_dialog_then(&plant_dialog("Partner sync: not Okta Devices", "")),
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
                      dialog.querySelector('h2').after(l); return true; })()".to_owned(),
            "Nothing was filled: the Client ID field appears more than once in the dialog.",
        ),
    ];
    for (what, connector, spoof, expected) in cases {
        eprintln!("spoof: {what}");
        let (tab, overlay) = open_dialog(&mut h, WORKFLOWS_HOST, "", connector);
        h.eval(&tab, &spoof);
        refusal_reads(&mut h, &tab, &overlay, expected);
        let disabled = h.wait(&overlay, "the Fill button", FILL_DISABLED);
        assert_eq!(disabled, "true", "{what}: Fill is disabled");
        nothing_typed_anywhere(&mut h, &tab, &overlay);
    }
}

#[test]
fn a_hidden_look_alike_dialog_gets_nothing_and_the_fill_goes_only_to_the_real_one() {
    let mut h = Harness::start();
    let secret = h.0.server.client_secret();
    h.capture_ready();
    let (tab, overlay) = open_connection_dialog(&mut h, WORKFLOWS_HOST);
    // Hidden, first in the document, its inputs labelled as the real ones: the attack that
    // once received the secret.
    h.eval(
        &tab,
        &plant_dialog(
            "Partner sync: not Okta Devices",
            "position:absolute;left:-10000px;top:0",
        ),
    );
    h.eval(
        &tab,
        &plant_dialog("New Connection: Okta Devices", "visibility:hidden"),
    );
    h.wait(
        &overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')?.disabled === false",
    );
    h.click_and_confirm(&overlay, "fill", WORKFLOWS_HOST, "Fill from acme.okta.com");
    let done = outcome(&mut h, &overlay);
    assert!(
        done.starts_with("Filled Connection Nickname, Domain, Client ID and Client Secret"),
        "{done}"
    );
    let form = form(&mut h, &tab);
    assert_eq!(form["clientSecret"], secret.as_str());
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
    let (tab, overlay) = ready_to_fill(&mut h);
    // A constructed style sheet hides the dialog: adopting it changes no node, so nothing tells
    // the helper's reading of the page, and only the check at typing time can see it.
    let still_visible = h.eval(
        &tab,
        "(() => { const sheet = new CSSStyleSheet();\
           sheet.replaceSync('[role=\"dialog\"] { opacity: 0 }');\
           document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];\
           return document.querySelector('[role=\"dialog\"]').checkVisibility({checkOpacity: true}); })()",
    );
    assert_eq!(still_visible, false, "the page's style sheet applies");
    h.click_and_confirm(&overlay, "fill", WORKFLOWS_HOST, "Fill from acme.okta.com");
    let said = outcome(&mut h, &overlay);
    assert_eq!(
        said,
        "Nothing was filled: the dialog is hidden, checked as the helper was about to type. Close the dialog, open Okta Devices again, and click Fill."
    );
    let form = form(&mut h, &tab);
    assert_eq!(form["clientSecret"], "");
    assert_eq!(form["domain"], "");
}

/// The states of the popup's four steps for acme's org, once `ready` (JavaScript over `s`, the
/// states) holds.
fn popup_steps(h: &mut Harness, popup: &Context, what: &str, ready: &str) -> Value {
    h.wait(
        popup,
        what,
        &format!(
            "(() => {{ const s = [...document.querySelectorAll('[data-org=\"acme.okta.com\"] li')].map(li => li.dataset.state);\
               return s.length === 4 && ({ready}) ? s : null; }})()"
        ),
    )
}

#[test]
fn a_fill_after_new_scopes_reminds_to_reauthorize_and_completes_the_popups_steps() {
    let mut h = Harness::start();
    let (scopes, scopes_overlay) = h.open_scopes_tab();
    h.eval(
        &scopes,
        "([...document.querySelectorAll('[data-se=\"scope-row\"]')]\
           .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === 'okta.devices.manage')\
           .querySelector('[data-se=\"grant-button\"]').click(), true)",
    );
    h.wait(
        &scopes_overlay,
        "the grant",
        &format!("{DEVICES_MANAGE_IS} === 'granted'"),
    );
    let admin_overlay = h.capture_ready();
    let popup = h.0.popup(&admin_overlay, PATIENCE).expect("the popup");
    let before = popup_steps(&mut h, &popup, "the popup's steps", "s[2] === 'done'");
    assert_eq!(before, json!(["done", "done", "done", "todo"]));

    let (_, overlay) = open_connection_dialog(&mut h, WORKFLOWS_HOST);
    h.click_and_confirm(&overlay, "fill", WORKFLOWS_HOST, "Fill from acme.okta.com");
    let reminder = h.wait(
        &overlay,
        "the reminder",
        "document.querySelector('.reminder')?.textContent",
    );
    assert_eq!(
        reminder,
        "Scopes were just added (okta.devices.manage). Reauthorize existing Okta Devices connections so that they get them."
    );

    // The toolbar's answer replaced the first popup tab; a new one shows the flow's last step.
    let popup = h.0.popup(&overlay, PATIENCE).expect("the popup");
    let after = popup_steps(
        &mut h,
        &popup,
        "the popup after the fill",
        "s[3] === 'done'",
    );
    assert_eq!(after, json!(["done", "done", "done", "done"]));
}
