//! End to end, in Chromium and in Firefox ESR from one body each: rotating the Okta Workflows
//! OAuth app's client secret without breaking the connection. On the Sign On tab the helper lists
//! the app's secrets (by creation time and last four characters), creates a new one after the
//! admin's confirmation and puts it straight into the session vault, fills the Okta Devices
//! connection's Reauthorize form in Okta Workflows from it, and once the admin says the
//! connection works, deactivates the old secret they picked, after their confirmation. Cancel
//! leaves both secrets active; a third secret is refused; nothing is deactivated without its
//! confirmation; the new secret is never in a page's DOM outside its one input, nor in any
//! storage but the session vault, nor in any console.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::scenario::Console;
use serde_json::{json, Value};
use std::time::Duration;
use testbed::server::{
    TokenAnswer, ADMIN_HOST, WORKFLOWS_CONNECTIONS, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_ID,
    WORKFLOWS_OAUTH_APP_PATH,
};

/// What the toolbar asks before a new client secret is created (Firefox).
const CREATE_QUESTION: &str =
    "Create a new client secret for the Okta Workflows OAuth app (Okta logs it)";

/// The System Log event Okta records for every client secret read through its API.
const SECRET_READ_EVENT: &str = "app.oauth2.client.read_client_secret";

/// What the toolbar asks before the Reauthorize dialog is filled (Firefox).
const FILL_QUESTION: &str = "Fill from acme.okta.com";

/// The rotation section's stage.
const STAGE: &str = "document.querySelector('.rotation')?.dataset.stage";

/// The last four characters of a secret, as the panel names it.
fn last_four(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

/// Opens the app's Sign On tab and waits for the rotation section.
fn sign_on_tab<C: Console>(h: &mut C) -> (C::Tab, C::Frame) {
    let tab = h.open_tab(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-signon"),
    );
    let overlay = h.panel(&tab);
    h.wait(&overlay, "the rotation section", STAGE);
    (tab, overlay)
}

/// Where the panel says the rotation stands.
fn rotation_status<C: Console>(h: &mut C, overlay: &C::Frame) -> String {
    let status = h.eval(
        overlay,
        "document.querySelector('.rotation-status').textContent",
    );
    status.as_str().unwrap_or_default().to_owned()
}

/// The secrets the panel lists: `[id, active]`.
fn listed<C: Console>(h: &mut C, overlay: &C::Frame) -> Value {
    h.wait(
        overlay,
        "the listed secrets",
        "(items => items.length > 0 && items.map(li => [li.dataset.secretId, li.dataset.active]))\
           ([...document.querySelectorAll('.rotation .secrets li')])",
    )
}

/// The panel's outcome once it is no longer waiting for the toolbar.
fn outcome<C: Console>(h: &mut C, overlay: &C::Frame) -> String {
    let said = h.wait(
        overlay,
        "the outcome",
        "document.querySelector('.outcome:not([data-outcome=\"waiting\"])')?.textContent",
    );
    said.as_str().unwrap_or_default().to_owned()
}

/// Whether the demo org received any secret lifecycle call (a deactivation, say).
fn any_lifecycle_call<C: Console>(h: &C) -> bool {
    h.server()
        .api_calls()
        .iter()
        .any(|c| c.contains("/lifecycle/"))
}

/// Lists the secrets and creates a new one, asked in the panel and confirmed in the toolbar; the
/// new secret's value.
fn create_new_secret<C: Console>(h: &mut C, overlay: &C::Frame) -> String {
    // Okta's list answers with the secrets' values: the panel names Okta's record of that read
    // before anything is listed.
    let note = h.wait(
        overlay,
        "the note before the listing",
        "document.querySelector('[data-action=\"rotation-list\"]') && document.querySelector('.rotation .log-note')?.textContent",
    );
    assert!(
        note.as_str()
            .is_some_and(|n| n.contains("System Log") && n.contains(SECRET_READ_EVENT)),
        "{note}"
    );
    // The console's Sign On tab reads them for itself; the helper not before the admin asks.
    assert!(
        !h.server()
            .api_requests()
            .iter()
            .any(|r| !r.by_console && r.target.contains("/credentials/secrets")),
        "nothing read before the admin asks"
    );
    h.click(overlay, "rotation-list");
    assert_eq!(listed(h, overlay).as_array().map(Vec::len), Some(1));
    h.click(overlay, "rotation-ask");
    let question = h.wait(
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
        h.server().secrets().len(),
        1,
        "nothing before the confirmation"
    );
    h.act(overlay, "rotation-create", ADMIN_HOST, CREATE_QUESTION);
    h.wait(
        overlay,
        "the rotation's start",
        &format!("{STAGE} === 'created'"),
    );
    // The stage is noted beside the vault's keeping of the secret; the panel says when it holds it.
    h.wait(
        overlay,
        "the vault to hold the new secret",
        "document.querySelector('.outcome')?.textContent.includes(\"it is in the helper's vault\")",
    );
    let secrets = h.server().secrets();
    assert_eq!(secrets.len(), 2);
    assert!(secrets.iter().all(|(_, active, _)| *active), "both active");
    secrets[1].2.clone()
}

/// Nothing of `secret` in the admin page, the panel, any console, or any storage but the session
/// vault (`in_vault`: whether it must be there).
fn secret_kept_only_in_the_vault<C: Console>(
    h: &mut C,
    tab: &C::Tab,
    overlay: &C::Frame,
    secret: &str,
    in_vault: bool,
) {
    let page = h.page(tab);
    let page_html = h.eval(&page, "document.documentElement.outerHTML");
    assert!(!page_html.to_string().contains(secret), "in the page");
    let panel = h.eval(overlay, "document.documentElement.outerHTML");
    assert!(!panel.to_string().contains(secret), "in the panel");
    assert!(
        !h.stored(overlay, "local").contains(secret),
        "in storage.local"
    );
    assert!(
        !h.stored(overlay, "sync").contains(secret),
        "in storage.sync"
    );
    assert_eq!(
        h.stored(overlay, "session").contains(secret),
        in_vault,
        "in storage.session"
    );
    assert!(!h.console_text().contains(secret), "in a console");
}

/// Fills connection `connection`'s Reauthorize form in Okta Workflows from the vault, confirmed
/// in the toolbar, and saves it.
fn reauthorize_in_workflows<C: Console>(h: &mut C, connection: &str, new_secret: &str) {
    let workflows_tab = h.open_tab(WORKFLOWS_HOST, WORKFLOWS_CONNECTIONS);
    let workflows = h.page(&workflows_tab);
    let reauthorize = format!(
        "document.querySelector('[data-connection=\"{connection}\"] [data-se=\"reauthorize\"]')"
    );
    h.wait(&workflows, "the connection's row", &reauthorize);
    h.eval(&workflows, &format!("({reauthorize}.click(), true)"));
    let fill_overlay = h.panel(&workflows_tab);
    h.wait(
        &fill_overlay,
        "the Fill button",
        &format!(
            "document.querySelector('[data-action=\"fill\"]')?.textContent === {FILL_QUESTION:?}"
        ),
    );
    h.act(&fill_overlay, "fill", WORKFLOWS_HOST, FILL_QUESTION);
    let filled = outcome(h, &fill_overlay);
    assert!(
        filled.starts_with("Filled Domain, Client ID and Client Secret from acme.okta.com")
            && filled.ends_with("then click Save."),
        "{filled}"
    );
    let form = h.eval(
        &workflows,
        "Object.fromEntries([...document.querySelectorAll('[role=\"dialog\"] input[id]')].map(i => [i.id, i.value]))",
    );
    assert_eq!(form["clientSecret"], new_secret, "{form}");
    assert_eq!(form["clientId"], WORKFLOWS_OAUTH_APP_ID, "{form}");
    assert!(
        form.get("nickname").is_none(),
        "the nickname is the connection's own: {form}"
    );
    // In the Workflows page, the secret is in its one field and nowhere else.
    let outside = h.eval(
        &workflows,
        "(() => { const copy = document.documentElement.cloneNode(true);\
           copy.querySelector('[role=\"dialog\"] input#clientSecret').remove(); return copy.outerHTML; })()",
    );
    assert!(!outside.to_string().contains(new_secret));
    h.eval(
        &workflows,
        "([...document.querySelectorAll('[role=\"dialog\"] button')].find(b => b.textContent === 'Save').click(), true)",
    );
    h.wait(
        &workflows,
        "the dialog to close",
        "document.querySelector('[role=\"dialog\"]') === null",
    );
}

/// A rotation up to the admin's word that the connection works: a connection made with the old
/// secret, a new secret created, the connection reauthorized with it. The Sign On tab and its
/// panel, the new secret, and the connection's id.
fn rotate_until_confirmed<C: Console>(h: &mut C) -> (C::Tab, C::Frame, String, String) {
    h.server().set_granted("okta.devices.manage", true);
    let connection = h.server().add_connection("Okta Devices \u{2013} acme");
    let (tab, overlay) = sign_on_tab(h);
    let new_secret = create_new_secret(h, &overlay);
    let done = outcome(h, &overlay);
    assert!(
        done.starts_with("Created the secret created ")
            && done.contains("it is in the helper's vault"),
        "{done}"
    );
    assert!(
        done.contains(&format!("ending in {}", last_four(&new_secret))),
        "{done}"
    );
    secret_kept_only_in_the_vault(h, &tab, &overlay, &new_secret, true);
    let status = rotation_status(h, &overlay);
    assert!(
        status.starts_with("Step 2 of 4: update the connection."),
        "{status}"
    );
    reauthorize_in_workflows(h, &connection, &new_secret);
    assert_eq!(
        h.server().connections()[0]["clientSecret"],
        new_secret.as_str(),
        "the connection now uses the new secret"
    );
    assert!(matches!(
        h.server().check_connection(&connection),
        Some(TokenAnswer::Granted(_))
    ));
    // The admin switches back to the Sign On tab, whose panel has moved on by itself.
    h.to_front(&tab);
    h.wait(&overlay, "the fill noted", &format!("{STAGE} === 'filled'"));
    assert_eq!(
        h.eval(
            &overlay,
            "document.querySelector('[data-action=\"rotation-pick\"], [data-field=\"rotation-secret\"]') !== null"
        ),
        false,
        "nothing to deactivate before the admin says the connection works"
    );
    h.click(&overlay, "rotation-works");
    h.wait(
        &overlay,
        "the confirmation noted",
        &format!("{STAGE} === 'confirmed'"),
    );
    (tab, overlay, new_secret, connection)
}

/// Picks the one secret offered for deactivation and asks; the question.
fn pick_the_old_secret<C: Console>(h: &mut C, overlay: &C::Frame) -> String {
    let old_id = h.server().secrets()[0].0.clone();
    let choices = h.wait(
        overlay,
        "the secrets to pick from",
        "(r => r.length > 0 && r.map(i => i.value))([...document.querySelectorAll('[data-field=\"rotation-secret\"]')])",
    );
    assert_eq!(choices, json!([old_id]), "only the old active secret");
    h.eval(
        overlay,
        "(r => { r.checked = true; r.dispatchEvent(new Event('input', {bubbles: true})); return true; })(document.querySelector('[data-field=\"rotation-secret\"]'))",
    );
    h.click(overlay, "rotation-pick");
    let question = h.wait(
        overlay,
        "the deactivation's question",
        "document.querySelector('.rotation .confirm p')?.textContent",
    );
    question.as_str().unwrap_or_default().to_owned()
}

fn the_rotation_runs_through_new_secret_reauthorize_form_and_old_secret_deactivated<C: Console>() {
    let mut h = C::start();
    let old_secret = h.server().client_secret();
    let (tab, overlay, new_secret, connection) = rotate_until_confirmed(&mut h);
    let question = pick_the_old_secret(&mut h, &overlay);
    let old_tail = last_four(&old_secret);
    assert!(
        question.starts_with("Deactivate the secret created 2026-11-01 09:00 UTC, ending in ")
            && question.contains(&old_tail)
            && question.contains("app.oauth2.credentials.lifecycle.deactivate"),
        "{question}"
    );
    assert!(
        h.server().secrets()[0].1,
        "still active before the confirmation"
    );
    h.act(
        &overlay,
        "rotation-deactivate",
        ADMIN_HOST,
        &format!("Deactivate the secret ending in {old_tail}"),
    );
    h.wait(
        &overlay,
        "the rotation's end",
        &format!("{STAGE} === 'deactivated'"),
    );
    let secrets = h.server().secrets();
    assert!(
        !secrets[0].1 && secrets[1].1,
        "the old one inactive, the new one active"
    );
    assert_eq!(secrets.len(), 2, "never deleted");
    assert!(
        matches!(
            h.server().check_connection(&connection),
            Some(TokenAnswer::Granted(_))
        ),
        "the connection still works"
    );
    let end = outcome(&mut h, &overlay);
    assert!(end.starts_with("Deactivated the secret created"), "{end}");
    // The vault emptied at the fill; the secret was never written anywhere else.
    secret_kept_only_in_the_vault(&mut h, &tab, &overlay, &new_secret, false);
    let calls = h.server().api_calls();
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.contains("/lifecycle/deactivate"))
            .count(),
        1,
        "{calls:?}"
    );
}

fn nothing_is_deactivated_without_its_confirmation<C: Console>() {
    let mut h = C::start();
    let (_, overlay, _, _) = rotate_until_confirmed(&mut h);
    pick_the_old_secret(&mut h, &overlay);

    // Cancelled in the panel: the question closes and nothing is deactivated.
    h.click(&overlay, "rotation-dismiss");
    h.wait(
        &overlay,
        "the question to close",
        "document.querySelector('.rotation .confirm') === null",
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(h.server().secrets().iter().all(|(_, active, _)| *active));
    assert!(!any_lifecycle_call(&h));
}

fn cancel_leaves_both_secrets_active_and_says_so<C: Console>() {
    let mut h = C::start();
    let (_, overlay) = sign_on_tab(&mut h);
    create_new_secret(&mut h, &overlay);
    h.click(&overlay, "rotation-cancel");
    h.wait(
        &overlay,
        "the cancellation",
        &format!("{STAGE} === 'cancelled'"),
    );
    let said = h.wait(
        &overlay,
        "the cancellation's outcome",
        "(t => t?.startsWith('Rotation cancelled') && t)(document.querySelector('.outcome')?.textContent)",
    );
    assert_eq!(
        said,
        "Rotation cancelled: both secrets stay active, and nothing was deactivated."
    );
    let status = rotation_status(&mut h, &overlay);
    assert!(
        status.starts_with("Cancelled: both secrets stay active."),
        "{status}"
    );
    assert!(h.server().secrets().iter().all(|(_, active, _)| *active));
    assert!(!any_lifecycle_call(&h));
}

fn a_third_secret_is_refused_and_explained<C: Console>() {
    let mut h = C::start();
    h.server().add_secret();
    let (_, overlay) = sign_on_tab(&mut h);
    h.click(&overlay, "rotation-list");
    assert_eq!(listed(&mut h, &overlay).as_array().map(Vec::len), Some(2));
    let refusal = h.wait(
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
    assert_eq!(
        h.eval(
            &overlay,
            "document.querySelector('[data-action=\"rotation-ask\"], [data-action=\"rotation-create\"]') !== null"
        ),
        false
    );
    assert!(!h.server().api_calls().iter().any(|c| c.starts_with("POST")));
}

fn a_new_secret_the_vault_lost_is_read_again_before_the_fill<C: Console>() {
    let mut h = C::start();
    let (tab, overlay) = sign_on_tab(&mut h);
    let new_secret = create_new_secret(&mut h, &overlay);
    assert!(h.stored(&overlay, "session").contains(&new_secret));
    // The admin clears the vault (or its time runs out) before the fill.
    h.click(&overlay, "clear");
    let said = h.wait(
        &overlay,
        "the panel to say the new secret is gone",
        "document.querySelector('[data-action=\"rotation-reread\"]') && document.querySelector('.rotation .rotation-problem')?.textContent",
    );
    assert!(
        said.as_str()
            .is_some_and(|t| t.starts_with("The helper's vault no longer holds the new secret")),
        "{said}"
    );
    let note = h.eval(
        &overlay,
        "document.querySelector('.rotation .log-note')?.textContent",
    );
    assert!(
        note.as_str()
            .is_some_and(|n| n.contains("System Log") && n.contains(SECRET_READ_EVENT)),
        "the re-read names Okta's record of it: {note}"
    );
    assert!(!h.stored(&overlay, "session").contains(&new_secret));
    h.act(
        &overlay,
        "rotation-reread",
        ADMIN_HOST,
        "Read the new secret into the vault again (Okta logs the read)",
    );
    let done = h.wait(
        &overlay,
        "the new secret back in the vault",
        "(t => t?.includes('vault again') && t)(document.querySelector('.outcome[data-outcome=\"done\"]')?.textContent)",
    );
    assert!(
        done.as_str()
            .is_some_and(|t| t.contains(&format!("ending in {}", last_four(&new_secret)))),
        "{done}"
    );
    // The new one, never the old one the Sign On tab shows, and only in the vault.
    let old_secret = h.server().client_secret();
    assert!(!h.stored(&overlay, "session").contains(&old_secret));
    secret_kept_only_in_the_vault(&mut h, &tab, &overlay, &new_secret, true);
    assert!(h.server().secrets().iter().all(|(_, active, _)| *active));
}

in_both_browsers!(
    a_new_secret_the_vault_lost_is_read_again_before_the_fill,
    the_rotation_runs_through_new_secret_reauthorize_form_and_old_secret_deactivated,
    nothing_is_deactivated_without_its_confirmation,
    cancel_leaves_both_secrets_active_and_says_so,
    a_third_secret_is_refused_and_explained,
);
