//! End to end: rotating the Okta Workflows OAuth app's client secret without breaking the
//! connection. On the Sign On tab the helper lists the app's secrets (by creation time and last
//! four characters), creates a new one after the admin's confirmation and puts it straight into
//! the session vault, fills the Okta Devices connection's Reauthorize form in Okta Workflows from
//! it, and once the admin says the connection works, deactivates the old secret they picked,
//! after their confirmation. Cancel leaves both secrets active; a third secret is refused;
//! nothing is ever deactivated without its confirmation; the new secret is never in a page's DOM
//! outside its one input, nor in any storage but the session vault.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::Harness;
use serde_json::Value;
use testbed::browser::{Page, Session};
use testbed::server::{
    TokenAnswer, ADMIN_HOST, WORKFLOWS_CONNECTIONS, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_ID,
    WORKFLOWS_OAUTH_APP_PATH,
};

/// The rotation section's stage.
const STAGE: &str = "document.querySelector('.rotation')?.dataset.stage";

fn sign_on_tab(h: &mut Harness) -> (Page, Session) {
    let page = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-signon"),
    );
    let overlay = h.overlay(&page);
    h.wait_overlay(&overlay, "the rotation section", STAGE);
    (page, overlay)
}

/// The secrets the panel lists: `[id, active]`.
fn listed(h: &mut Harness, overlay: &Session) -> Value {
    h.wait_overlay(
        overlay,
        "the listed secrets",
        "(items => items.length > 0 && items.map(li => [li.dataset.secretId, li.dataset.active]))\
           ([...document.querySelectorAll('.rotation .secrets li')])",
    )
}

fn outcome(h: &mut Harness, overlay: &Session) -> String {
    let said = h.wait_overlay(
        overlay,
        "the outcome",
        "document.querySelector('.outcome')?.textContent",
    );
    said.as_str().unwrap_or_default().to_owned()
}

/// Lists the secrets and creates a new one, confirmed; the new secret's value.
fn create_new_secret(h: &mut Harness, overlay: &Session) -> String {
    h.click_action(overlay, "rotation-list");
    assert_eq!(listed(h, overlay).as_array().map(Vec::len), Some(1));
    h.click_action(overlay, "rotation-ask");
    let question = h.wait_overlay(
        overlay,
        "the question",
        "document.querySelector('.rotation .confirm p')?.textContent",
    );
    assert!(
        question
            .as_str()
            .is_some_and(|q| q.contains("app.oauth2.credentials.lifecycle.create")),
        "{question}"
    );
    assert_eq!(
        h.server.secrets().len(),
        1,
        "nothing before the confirmation"
    );
    h.click_action(overlay, "rotation-create");
    h.wait_overlay(
        overlay,
        "the rotation's start",
        &format!("{STAGE} === 'created'"),
    );
    let secrets = h.server.secrets();
    assert_eq!(secrets.len(), 2);
    assert!(secrets.iter().all(|(_, active, _)| *active), "both active");
    secrets[1].2.clone()
}

/// Nothing of `secret` in the admin page, the panel, or any storage but the session vault
/// (`in_vault`: whether it must be there).
fn secret_kept_only_in_the_vault(
    h: &mut Harness,
    page: &Page,
    overlay: &Session,
    secret: &str,
    in_vault: bool,
) {
    let page_html = h.page_eval(page, "document.documentElement.outerHTML");
    assert!(!page_html.to_string().contains(secret), "in the page");
    let panel = h.overlay_eval(overlay, "document.documentElement.outerHTML");
    assert!(!panel.to_string().contains(secret), "in the panel");
    let worker = h.worker();
    assert!(
        !h.storage(&worker, "local").contains(secret),
        "in storage.local"
    );
    assert!(
        !h.storage(&worker, "sync").contains(secret),
        "in storage.sync"
    );
    assert_eq!(h.storage(&worker, "session").contains(secret), in_vault);
    assert!(!h.console_output().contains(secret), "in a console");
}

/// Fills connection `connection`'s Reauthorize form in Okta Workflows from the vault and saves it.
fn reauthorize_in_workflows(h: &mut Harness, connection: &str, new_secret: &str) {
    let workflows = h.open(WORKFLOWS_HOST, WORKFLOWS_CONNECTIONS);
    let reauthorize = format!(
        "document.querySelector('[data-connection=\"{connection}\"] [data-se=\"reauthorize\"]')"
    );
    h.wait_page(&workflows, "the connection's row", &reauthorize);
    h.page_eval(&workflows, &format!("{reauthorize}.click()"));
    let fill_overlay = h.overlay(&workflows);
    h.wait_overlay(
        &fill_overlay,
        "the Fill button",
        "document.querySelector('[data-action=\"fill\"]')?.textContent === 'Fill from acme.okta.com'",
    );
    h.click_action(&fill_overlay, "fill");
    let filled = outcome(h, &fill_overlay);
    assert!(
        filled.starts_with("Filled Domain, Client ID and Client Secret from acme.okta.com")
            && filled.ends_with("then click Save."),
        "{filled}"
    );
    let form = h.form(&workflows);
    assert_eq!(form["clientSecret"], new_secret);
    assert_eq!(form["clientId"], WORKFLOWS_OAUTH_APP_ID);
    assert!(
        !form.contains_key("nickname"),
        "the nickname is the connection's own"
    );
    // In the Workflows page, the secret is in its one field and nowhere else.
    let outside = h.page_eval(
        &workflows,
        "(() => { const copy = document.documentElement.cloneNode(true);\
           copy.querySelector('[role=\"dialog\"] input#clientSecret').remove(); return copy.outerHTML; })()",
    );
    assert!(!outside.to_string().contains(new_secret));
    h.page_eval(
        &workflows,
        "[...document.querySelectorAll('[role=\"dialog\"] button')].find(b => b.textContent === 'Save').click()",
    );
    h.wait_page(
        &workflows,
        "the dialog to close",
        "document.querySelector('[role=\"dialog\"]') === null",
    );
}

/// A rotation up to the admin's word that the connection works: a connection made with the old
/// secret, a new secret created, the connection reauthorized with it. The Sign On tab's page and
/// panel, the new secret, and the connection's id.
fn rotate_until_confirmed(h: &mut Harness) -> (Page, Session, String, String) {
    h.server.set_granted("okta.devices.manage", true);
    let connection = h.server.add_connection("Okta Devices \u{2013} acme");
    let (page, overlay) = sign_on_tab(h);
    let new_secret = create_new_secret(h, &overlay);
    let done = outcome(h, &overlay);
    assert!(
        done.starts_with("Created the secret created ")
            && done.contains("it is in the helper's vault"),
        "{done}"
    );
    let tail: String = new_secret.chars().skip(60).collect();
    assert!(done.contains(&format!("ending in {tail}")), "{done}");
    secret_kept_only_in_the_vault(h, &page, &overlay, &new_secret, true);
    let status = h.overlay_eval(
        &overlay,
        "document.querySelector('.rotation-status').textContent",
    );
    assert!(
        status
            .as_str()
            .is_some_and(|s| s.starts_with("Step 2 of 4: update the connection.")),
        "{status}"
    );
    reauthorize_in_workflows(h, &connection, &new_secret);
    assert_eq!(
        h.server.connections()[0]["clientSecret"],
        new_secret.as_str(),
        "the connection now uses the new secret"
    );
    assert!(matches!(
        h.server.check_connection(&connection),
        Some(TokenAnswer::Granted(_))
    ));
    // The admin switches back to the Sign On tab, which has moved on by itself.
    h.browser
        .bring_to_front(&page)
        .expect("the Sign On tab to the front");
    h.wait_overlay(&overlay, "the fill noted", &format!("{STAGE} === 'filled'"));
    assert!(
        h.overlay_eval(&overlay, "document.querySelector('[data-action=\"rotation-pick\"], [data-field=\"rotation-secret\"]')")
            .is_null(),
        "nothing to deactivate before the admin says the connection works"
    );
    h.click_action(&overlay, "rotation-works");
    h.wait_overlay(
        &overlay,
        "the confirmation noted",
        &format!("{STAGE} === 'confirmed'"),
    );
    (page, overlay, new_secret, connection)
}

/// Picks the one secret offered for deactivation and asks; the question.
fn pick_the_old_secret(h: &mut Harness, overlay: &Session) -> String {
    let old_id = h.server.secrets()[0].0.clone();
    let choices = h.wait_overlay(
        overlay,
        "the secrets to pick from",
        "(r => r.length > 0 && r.map(i => i.value))([...document.querySelectorAll('[data-field=\"rotation-secret\"]')])",
    );
    assert_eq!(
        choices,
        serde_json::json!([old_id]),
        "only the old active secret"
    );
    h.overlay_eval(
        overlay,
        "(r => { r.checked = true; r.dispatchEvent(new Event('input', {bubbles: true})); return true; })(document.querySelector('[data-field=\"rotation-secret\"]'))",
    );
    h.click_action(overlay, "rotation-pick");
    let question = h.wait_overlay(
        overlay,
        "the deactivation's question",
        "document.querySelector('.rotation .confirm p')?.textContent",
    );
    question.as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_rotation_runs_through_new_secret_reauthorize_form_and_old_secret_deactivated() {
    let mut h = Harness::start();
    let old_secret = h.server.client_secret();
    let (page, overlay, new_secret, connection) = rotate_until_confirmed(&mut h);
    let question = pick_the_old_secret(&mut h, &overlay);
    let old_tail: String = old_secret.chars().skip(60).collect();
    assert!(
        question.starts_with("Deactivate the secret created 2026-11-01 09:00 UTC, ending in ")
            && question.contains(&old_tail)
            && question.contains("app.oauth2.credentials.lifecycle.deactivate"),
        "{question}"
    );
    assert!(
        h.server.secrets()[0].1,
        "still active before the confirmation"
    );
    h.click_action(&overlay, "rotation-deactivate");
    h.wait_overlay(
        &overlay,
        "the rotation's end",
        &format!("{STAGE} === 'deactivated'"),
    );
    let secrets = h.server.secrets();
    assert!(
        !secrets[0].1 && secrets[1].1,
        "the old one inactive, the new one active"
    );
    assert_eq!(secrets.len(), 2, "never deleted");
    assert!(
        matches!(
            h.server.check_connection(&connection),
            Some(TokenAnswer::Granted(_))
        ),
        "the connection still works"
    );
    let end = outcome(&mut h, &overlay);
    assert!(end.starts_with("Deactivated the secret created"), "{end}");
    // The vault emptied at the fill; the secret was never written anywhere else.
    secret_kept_only_in_the_vault(&mut h, &page, &overlay, &new_secret, false);
    let calls = h.server.api_calls();
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.contains("/lifecycle/deactivate"))
            .count(),
        1,
        "{calls:?}"
    );
}

#[test]
fn nothing_is_deactivated_without_its_confirmation() {
    let mut h = Harness::start();
    let (_, overlay, _, _) = rotate_until_confirmed(&mut h);
    pick_the_old_secret(&mut h, &overlay);
    h.click_action(&overlay, "rotation-dismiss");
    h.wait_overlay(
        &overlay,
        "the question to close",
        "document.querySelector('.rotation .confirm') === null",
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(h.server.secrets().iter().all(|(_, active, _)| *active));
    assert!(!h
        .server
        .api_calls()
        .iter()
        .any(|c| c.contains("/lifecycle/")));
}

#[test]
fn cancel_leaves_both_secrets_active_and_says_so() {
    let mut h = Harness::start();
    let (_, overlay) = sign_on_tab(&mut h);
    create_new_secret(&mut h, &overlay);
    h.click_action(&overlay, "rotation-cancel");
    h.wait_overlay(
        &overlay,
        "the cancellation",
        &format!("{STAGE} === 'cancelled'"),
    );
    let said = outcome(&mut h, &overlay);
    assert_eq!(
        said,
        "Rotation cancelled: both secrets stay active, and nothing was deactivated."
    );
    let status = h.overlay_eval(
        &overlay,
        "document.querySelector('.rotation-status').textContent",
    );
    assert!(
        status
            .as_str()
            .is_some_and(|s| s.starts_with("Cancelled: both secrets stay active.")),
        "{status}"
    );
    assert!(h.server.secrets().iter().all(|(_, active, _)| *active));
    assert!(!h
        .server
        .api_calls()
        .iter()
        .any(|c| c.contains("/lifecycle/")));
}

#[test]
fn a_third_secret_is_refused_and_explained() {
    let mut h = Harness::start();
    h.server.add_secret();
    let (_, overlay) = sign_on_tab(&mut h);
    h.click_action(&overlay, "rotation-list");
    assert_eq!(listed(&mut h, &overlay).as_array().map(Vec::len), Some(2));
    let refusal = h.wait_overlay(
        &overlay,
        "the refusal",
        "document.querySelector('.rotation-refusal')?.textContent",
    );
    assert!(
        refusal.as_str().is_some_and(
            |r| r.contains("already has 2 client secrets") && r.contains("never deletes")
        ),
        "{refusal}"
    );
    assert!(h
        .overlay_eval(&overlay, "document.querySelector('[data-action=\"rotation-ask\"], [data-action=\"rotation-create\"]')")
        .is_null());
    assert!(!h.server.api_calls().iter().any(|c| c.starts_with("POST")));
}
