//! End to end, in Chromium and in Firefox ESR from one body each: Okta's API is the judge of the
//! checklist. When the Scopes tab shows Revoke but Okta's API no longer lists the grant (it was
//! revoked behind the page), the line, the summary and the page's marks follow the API, and the
//! line says what the page shows. A scope Okta grants by default (Okta Realms' `okta.realms.read`)
//! counts as granted only when Okta's API lists its grant: the API's silence is never a grant.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::scenario::Console;
use serde_json::{json, Value};
use testbed::server::{ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH};

/// Every required line is there and verified by Okta's API.
const VERIFIED: &str =
    "(lines => lines.length > 0 && lines.every(e => e.dataset.source === 'api'))\
    ([...document.querySelectorAll('[data-scope]:not([data-optional])')])";

/// One line's state, source and note.
fn line<C: Console>(h: &mut C, panel: &C::Frame, scope: &str) -> Value {
    h.eval(
        panel,
        &format!(
            "(e => [e.dataset.state, e.dataset.source, e.querySelector('.page-differs')?.textContent ?? null])\
             (document.querySelector('[data-scope=\"{scope}\"]'))"
        ),
    )
}

/// The summary's verdict and words.
fn summary<C: Console>(h: &mut C, panel: &C::Frame) -> Value {
    h.eval(
        panel,
        "(e => [e.dataset.verdict, e.textContent])(document.querySelector('.summary'))",
    )
}

/// The scope name of the one row the helper marks on the page, if exactly one row is marked.
const MARKED_ROW: &str = "(rows => rows.size === 1 ? [...rows][0] : [...rows].join(' '))\
    (new Set([...document.querySelectorAll('[data-okta-helper]')]\
      .map(e => e.closest('[data-se=\"scope-row\"]')?.querySelector('[data-se=\"scope-name\"]')?.textContent)))";

fn a_grant_revoked_behind_the_page_is_shown_missing_with_what_the_page_shows<C: Console>() {
    let mut h = C::start();
    h.server().set_granted("okta.devices.manage", true);
    let tab = h.open_tab(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes"),
    );
    let page = h.page(&tab);
    let panel = h.panel(&tab);
    h.wait(&panel, "every line verified by the API", VERIFIED);
    assert_eq!(
        line(&mut h, &panel, "okta.devices.manage"),
        json!(["granted", "api", null])
    );
    assert_eq!(summary(&mut h, &panel)[0], "complete");

    // Revoked through Okta's API behind the page: the tab still shows its Revoke button.
    h.server().set_granted("okta.devices.manage", false);
    h.click(&panel, "api-recheck");
    let differs = h.wait(
        &panel,
        "the line's note",
        "document.querySelector('[data-scope=\"okta.devices.manage\"] .page-differs')?.textContent",
    );
    assert_eq!(
        differs,
        "The page shows it granted, but Okta's API has no grant for it. Reload the page."
    );
    let judged = line(&mut h, &panel, "okta.devices.manage");
    assert_eq!(
        (&judged[0], &judged[1]),
        (&json!("missing"), &json!("api")),
        "Okta's API is the judge"
    );
    assert_eq!(
        summary(&mut h, &panel),
        json!(["missing", "Grant on this tab: okta.devices.manage."])
    );
    assert_eq!(
        h.wait(&page, "the row to be marked", MARKED_ROW),
        "okta.devices.manage"
    );
    assert_eq!(
        h.eval(
            &page,
            "!!document.querySelector('[data-se=\"scope-row\"] [data-se=\"revoke-button\"]')"
        ),
        true,
        "the page still shows Revoke: it is stale, and the line says so"
    );
}

fn a_default_scope_counts_as_granted_only_when_okta_lists_its_grant<C: Console>() {
    let mut h = C::start();
    let tab = h.open_tab(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes"),
    );
    let page = h.page(&tab);
    let panel = h.panel(&tab);
    h.wait(&panel, "every line verified by the API", VERIFIED);
    h.eval(
        &panel,
        "(select => { select.value = 'okta_realms'; select.dispatchEvent(new Event('change', {bubbles: true})); })\
         (document.querySelector('select[data-field=\"profile\"]'))",
    );
    h.wait(
        &panel,
        "the Okta Realms checklist, verified by the API",
        &format!("!!document.querySelector('[data-scope=\"okta.realms.read\"]') && {VERIFIED}"),
    );
    // The demo org has no grant of okta.realms.read, and its tab shows Grant.
    assert_eq!(
        line(&mut h, &panel, "okta.realms.read"),
        json!(["missing", "api", null])
    );
    assert_eq!(
        line(&mut h, &panel, "openid"),
        json!(["granted", "api", null]),
        "the OpenID Connect scopes are Okta's own to give"
    );
    assert_eq!(
        summary(&mut h, &panel),
        json!(["missing", "Grant on this tab: okta.realms.read."])
    );
    assert_eq!(
        h.wait(&page, "the realms row to be marked", MARKED_ROW),
        "okta.realms.read"
    );

    // Granted through Okta's API behind the page: granted on the API's word.
    h.server().set_granted("okta.realms.read", true);
    h.click(&panel, "api-recheck");
    h.wait(
        &panel,
        "the line to follow the API",
        "document.querySelector('[data-scope=\"okta.realms.read\"]').dataset.state === 'granted'",
    );
    assert_eq!(
        line(&mut h, &panel, "okta.realms.read"),
        json!([
            "granted",
            "api",
            "The page shows it not granted, but Okta's API has it granted. Reload the page."
        ])
    );
    assert_eq!(summary(&mut h, &panel)[0], "complete");
}

in_both_browsers!(
    a_grant_revoked_behind_the_page_is_shown_missing_with_what_the_page_shows,
    a_default_scope_counts_as_granted_only_when_okta_lists_its_grant,
);
