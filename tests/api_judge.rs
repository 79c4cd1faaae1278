//! End to end, in Chromium and in Firefox ESR from one body each: Okta's API is the judge of the
//! checklist. When the Scopes tab shows Revoke but Okta's API no longer lists the grant (it was
//! revoked behind the page), the line, the summary and the page's marks follow the API, and the
//! line says what the page shows. A scope Okta grants by default (Okta Realms' `okta.realms.read`)
//! counts as granted only when Okta's API lists its grant: the API's silence is never a grant.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::scenario::{verified_scopes_tab, Console};
use serde_json::{json, Value};
use testbed::session::VERIFIED;

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

/// Checks that the summary asks to grant `scope` alone, and that its row is the one row marked on
/// the page.
fn summed_up_and_marked_to_grant<C: Console>(
    h: &mut C,
    panel: &C::Frame,
    page: &C::Frame,
    scope: &str,
) {
    assert_eq!(
        summary(h, panel),
        json!(["missing", format!("Grant on this tab: {scope}.")])
    );
    assert_eq!(h.wait(page, "the row to be marked", MARKED_ROW), scope);
}

fn a_grant_revoked_behind_the_page_is_shown_missing_with_what_the_page_shows<C: Console>() {
    let mut h = C::start();
    h.server().set_granted("okta.devices.manage", true);
    let (tab, panel) = verified_scopes_tab(&mut h);
    let page = h.page(&tab);
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
    summed_up_and_marked_to_grant(&mut h, &panel, &page, "okta.devices.manage");
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
    let (tab, panel) = verified_scopes_tab(&mut h);
    let page = h.page(&tab);
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
    summed_up_and_marked_to_grant(&mut h, &panel, &page, "okta.realms.read");

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
