//! End to end: the scope checklist on the Okta Workflows OAuth app's Okta API Scopes tab, with the
//! real extension in headless Chromium against the demo console under a strict CSP.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{click_in_row, Harness, PATIENCE};
use testbed::corpus::AUTO_GRANTED;
use testbed::server::{ADMIN_HOST, LOOK_ALIKE_HOST, NOT_A_CONSOLE_HOST, WORKFLOWS_OAUTH_APP_PATH};

fn scopes_tab() -> String {
    format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes")
}

#[test]
fn scopes_tab_shows_seven_granted_and_highlights_the_missing_devices_manage() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, &scopes_tab());
    let overlay = h.overlay(&page);
    let checklist = h.wait_devices_manage(&overlay, "missing");

    assert_eq!(checklist.len(), 8, "{checklist:?}");
    for scope in AUTO_GRANTED {
        assert_eq!(checklist[scope], "granted", "{scope} in {checklist:?}");
    }
    let badge = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-scope=\"okta.devices.manage\"] .badge').textContent",
    );
    assert_eq!(badge, "grant this");
    let summary = h.overlay_eval(&overlay, "document.querySelector('.summary').textContent");
    assert_eq!(summary, "Grant on this tab: okta.devices.manage.");

    h.wait_page(
        &page,
        "the highlight",
        "document.querySelectorAll('[data-okta-helper]').length === 2",
    );
    assert_eq!(
        h.marked(&page),
        vec![
            (
                "scope-row=missing".to_owned(),
                "okta.devices.manage".to_owned()
            ),
            (
                "grant-button=missing".to_owned(),
                "okta.devices.manage".to_owned()
            ),
        ]
    );
}

#[test]
fn grant_clears_the_highlight_and_revoke_brings_it_back() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();

    h.page_eval(&page, &click_in_row("okta.devices.manage", "grant-button"));
    let checklist = h.wait_devices_manage(&overlay, "granted");
    assert!(
        checklist.values().all(|state| state == "granted"),
        "{checklist:?}"
    );
    h.wait_page(
        &page,
        "the highlight to go",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
    let summary = h.overlay_eval(
        &overlay,
        "document.querySelector('.summary').dataset.verdict",
    );
    assert_eq!(summary, "complete");

    h.page_eval(&page, &click_in_row("okta.devices.manage", "revoke-button"));
    h.wait_devices_manage(&overlay, "missing");
    h.wait_page(
        &page,
        "the highlight to return",
        "document.querySelectorAll('[data-okta-helper]').length === 2",
    );
    assert_eq!(h.marked(&page).len(), 2);
}

#[test]
fn switching_tabs_without_reload_is_followed() {
    let mut h = Harness::start();
    let page = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-general"),
    );
    let overlay = h.overlay(&page);
    h.wait_overlay(
        &overlay,
        "the General tab hint",
        "document.querySelector('.notice')?.textContent.includes('General')",
    );

    // The console's own tab click: pushState, no hashchange, no reload.
    h.page_eval(
        &page,
        "document.querySelector('[data-se=\"tab-okta-api-scopes\"]').click()",
    );
    h.wait_devices_manage(&overlay, "missing");

    // A plain fragment change, as from the address bar or history.
    h.page_eval(&page, "location.hash = '#tab-signon'");
    h.wait_overlay(
        &overlay,
        "the Sign On tab hint",
        "document.querySelector('.notice')?.textContent.includes('Sign On')",
    );
    assert!(
        h.checklist(&overlay).is_empty(),
        "no checklist off the Scopes tab"
    );
    h.wait_page(
        &page,
        "no highlight off the Scopes tab",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );

    h.page_eval(&page, "history.back()");
    h.wait_devices_manage(&overlay, "missing");
    let reloads = h.page_eval(&page, "performance.getEntriesByType('navigation').length");
    assert_eq!(reloads, 1, "the page was never reloaded");
}

#[test]
fn general_tab_says_to_open_the_scopes_tab_and_the_button_opens_it() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH);
    let overlay = h.overlay(&page);
    let notice = h.wait_overlay(
        &overlay,
        "the hint",
        "document.querySelector('.notice')?.textContent",
    );
    assert_eq!(
        notice,
        "You are on General. The scopes to check are on the Okta API Scopes tab."
    );
    h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"open-tab\"]').click()",
    );
    h.wait_page(
        &page,
        "the Scopes tab to open",
        "location.hash === '#tab-okta-api-scopes'",
    );
    h.wait_devices_manage(&overlay, "missing");
}

#[test]
fn other_console_pages_get_only_the_launcher() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    h.wait_launcher(&page);
    assert_eq!(
        h.browser.overlay_target(&page).expect("targets"),
        None,
        "no frame until the admin opens the launcher"
    );
    let overlay = h.open_with_launcher(&page);
    let href = h.wait_overlay(
        &overlay,
        "the link to the app list",
        "document.querySelector('a.action')?.href",
    );
    assert_eq!(href, format!("https://{ADMIN_HOST}/admin/apps/active"));
}

#[test]
fn a_host_that_does_not_match_gets_no_overlay() {
    let mut h = Harness::start();
    let page = h.open(LOOK_ALIKE_HOST, &scopes_tab());
    h.wait_page(
        &page,
        "the look-alike page to render its table",
        "document.querySelectorAll('[data-se=\"scope-row\"]').length > 0",
    );
    // Give a content script ample time to have shown up, had it been injected.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(h.browser.overlay_target(&page).expect("targets"), None);
    let marks = h.page_eval(
        &page,
        "document.querySelectorAll('okta-devices-helper, [data-okta-helper]').length",
    );
    assert_eq!(marks, 0);
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
        let page = h.open(NOT_A_CONSOLE_HOST, look_alike);
        // The manifest's globs let the agent in (its isolated world exists on the page)...
        let injected = h
            .browser
            .wait_for("the agent's isolated world", PATIENCE, |b| {
                Ok(b.events
                    .iter()
                    .any(|e| {
                        e["method"] == "Runtime.executionContextCreated"
                            && e["sessionId"] == page.session.0.as_str()
                            && e["params"]["context"]["auxData"]["type"] == "isolated"
                    })
                    .then_some(()))
            });
        assert!(
            injected.is_ok(),
            "{look_alike}: the test needs the agent injected"
        );
        // ...and it creates nothing, not even the frame: no frame was ever attached to the page.
        std::thread::sleep(std::time::Duration::from_millis(800));
        let frames = h
            .browser
            .events
            .iter()
            .filter(|e| {
                e["method"] == "Page.frameAttached" && e["sessionId"] == page.session.0.as_str()
            })
            .count();
        assert_eq!(frames, 0, "{look_alike}: a frame was attached");
        assert_eq!(
            h.page_eval(
                &page,
                "document.querySelectorAll('okta-devices-helper, iframe').length"
            ),
            0,
            "{look_alike}"
        );
        assert_eq!(
            h.browser.overlay_target(&page).expect("targets"),
            None,
            "{look_alike}"
        );
    }
}

#[test]
fn another_site_can_neither_load_the_panel_nor_message_the_extension() {
    let mut h = Harness::start();
    let id = h.extension_id();
    // Even an Okta host, where the panel may be framed, cannot load it by its static address:
    // it is only reachable by the address the agent gets for this browser session.
    let page = h.open(NOT_A_CONSOLE_HOST, "/");
    let reached = h.page_eval(
        &page,
        &format!(
            "(() => {{ const f = document.createElement('iframe');\
                       f.src = 'chrome-extension://{id}/overlay.html'; document.body.append(f);\
                       return Promise.all([\
                         fetch('chrome-extension://{id}/overlay.html').then(() => 'loaded', () => 'refused'),\
                         typeof chrome === 'undefined' ? 'undefined' : typeof chrome.runtime?.sendMessage]); }})()"
        ),
    );
    assert_eq!(
        reached[0], "refused",
        "the static address cannot be fetched"
    );
    assert_eq!(reached[1], "undefined", "no page may message the extension");
    std::thread::sleep(std::time::Duration::from_millis(800));
    let framed = h
        .browser
        .targets()
        .expect("targets")
        .into_iter()
        .filter(|t| {
            t["url"]
                .as_str()
                .is_some_and(|u| u.contains("/overlay.html"))
        })
        .count();
    assert_eq!(framed, 0, "nor framed: no overlay document exists at all");
    // The frame the page made shows an error page instead.
    let shown = h.page_eval(
        &page,
        "document.querySelector('iframe').contentDocument === null",
    );
    assert_eq!(shown, true);
}

#[test]
fn a_release_without_oktas_hooks_is_read_by_its_words() {
    let mut h = Harness::start();
    let page = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}?markup=unknown#tab-okta-api-scopes"),
    );
    let overlay = h.overlay(&page);
    // No data-se hooks, no table: rows of plain blocks whose name is the scope id, and buttons
    // that say Grant or Revoke.
    let checklist = h.wait_devices_manage(&overlay, "missing");
    assert_eq!(
        checklist.values().filter(|s| *s == "granted").count(),
        7,
        "only the auto-granted: {checklist:?}"
    );
    assert_eq!(
        h.overlay_eval(&overlay, "document.querySelectorAll('.problems li').length"),
        0
    );
    // Its row and its Grant button are marked, though neither has a hook.
    let marked = h.wait_page(
        &page,
        "the highlight",
        "(m => m.length === 2 && m.map(e => e.tagName.toLowerCase() + ':' + (e.textContent.includes('okta.devices.manage') ? 'row' : e.textContent)))\
           ([...document.querySelectorAll('[data-okta-helper]')])",
    );
    assert_eq!(marked, serde_json::json!(["div:row", "button:Grant"]));
    h.page_eval(
        &page,
        "[...document.querySelectorAll('[data-okta-helper] button, button[data-okta-helper]')].find(b => b.textContent === 'Grant').click()",
    );
    h.wait_devices_manage(&overlay, "granted");
    h.wait_page(
        &page,
        "the highlight to go",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
}

#[test]
fn show_me_scrolls_the_row_into_view_and_the_panel_leaves_the_table_uncovered() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();

    let uncovered = h.wait_page(
        &page,
        "the panel's gutter",
        "(() => { const table = document.querySelector('[data-se=\"scopes-table\"]').getBoundingClientRect();\
           return parseFloat(getComputedStyle(document.documentElement).marginRight) >= 340 &&\
             table.right <= window.innerWidth - 340; })()",
    );
    assert_eq!(uncovered, true);

    h.page_eval(
        &page,
        "document.querySelector('h1').style.marginTop = '3000px'",
    );
    h.wait_page(&page, "the row to be out of view", "document.querySelector('[data-se=\"scope-row\"]').getBoundingClientRect().top > window.innerHeight");
    h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"show-me\"]').click()",
    );
    h.wait_page(
        &page,
        "the okta.devices.manage row to scroll into view",
        "(() => { const r = document.querySelector('[data-se=\"scope-row\"][data-okta-helper]').getBoundingClientRect();\
           return r.top >= 0 && r.bottom <= window.innerHeight; })()",
    );
}

#[test]
fn the_panel_collapses_and_keeps_the_highlight() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"toggle\"]').click()",
    );
    let label = h.wait_overlay(
        &overlay,
        "the launcher",
        "document.querySelector('.launcher')?.textContent",
    );
    assert_eq!(label, "Okta Devices: 1 to grant");
    h.wait_page(
        &page,
        "the gutter to go",
        "getComputedStyle(document.documentElement).marginRight === '0px'",
    );
    assert_eq!(h.marked(&page).len(), 2);
}

#[test]
fn forged_window_messages_change_nothing_and_the_badge_counts_missing_scopes() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();

    h.page_eval(
        &page,
        "for (const kind of ['apply', 'watch', 'facts', 'click']) {\
           window.postMessage({kind, seq: 99, highlights: [], layout: {mode: 'hidden'}, probes: []}, '*'); }",
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        h.marked(&page).len(),
        2,
        "forged messages did not clear the highlight"
    );
    assert_eq!(h.wait_devices_manage(&overlay, "missing").len(), 8);

    let worker = h.browser.service_worker(PATIENCE).expect("service worker");
    let badge = h
        .browser
        .wait_for("the badge", PATIENCE, |b| {
            let text = b.evaluate(
                &worker,
                "chrome.tabs.query({active: true}).then(tabs => chrome.action.getBadgeText({tabId: tabs[0].id}))",
            )?;
            Ok((text == "1").then_some(text))
        })
        .expect("badge shows one missing scope");
    assert_eq!(badge, "1");
}

#[test]
fn the_admin_can_check_another_connectors_profile() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    let optional = h.overlay_eval(
        &overlay,
        "[...document.querySelectorAll('[data-optional]')].map(e => e.dataset.scope + ':' + e.querySelector('.badge').textContent)",
    );
    assert_eq!(optional, serde_json::json!(["okta.devices.read:optional"]));

    h.overlay_eval(
        &overlay,
        "const select = document.querySelector('select[data-field=\"profile\"]');\
         select.value = 'okta_realms'; select.dispatchEvent(new Event('change', {bubbles: true}));",
    );
    let realms = h.wait_overlay(
        &overlay,
        "the Okta Realms checklist",
        "document.querySelector('[data-scope=\"okta.realms.read\"]') &&\
         [...document.querySelectorAll('[data-scope]')].map(e => e.dataset.scope)",
    );
    assert!(realms.as_array().is_some_and(|s| s.len() == 12), "{realms}");
    assert!(!realms.to_string().contains("okta.devices.manage"));
    // okta.realms.read is a default scope for Okta Realms; the demo table shows it not granted.
    let read = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-scope=\"okta.realms.read\"]').dataset.state",
    );
    assert_eq!(read, "missing");
    h.wait_page(&page, "the realms row to be marked", "document.querySelector('[data-okta-helper]')?.closest('[data-se=\"scope-row\"]')?.querySelector('[data-se=\"scope-name\"]').textContent === 'okta.realms.read'");
    let summary = h.overlay_eval(&overlay, "document.querySelector('.summary').textContent");
    assert_eq!(summary, "Grant on this tab: okta.realms.read.");
}

#[test]
fn an_unreadable_tab_offers_a_page_report_that_carries_no_value_and_no_secret() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    let secret = h.server.client_secret();
    // A scope id inside a sentence, and in titles (alone and in a longer text): listed.
    let prose = "Grant okta.devices.manage before the first flow runs.";
    let long_title = "Needs okta.logs.read too";
    // Host names, alone or in longer texts, titles, aria-* values and control labels: withheld.
    let host = "acme.okta.com";
    let custom_domain = "okta.acme.com";
    // A console release in a language the helper does not read, without hooks, with an email
    // address, a client id, the app's secret, scope ids and host names on the page.
    h.page_eval(
        &page,
        &format!(
            "(() => {{ for (const b of document.querySelectorAll('[data-se=\"scope-row\"] button')) {{\
                 b.removeAttribute('data-se'); b.textContent = '\u{4ed8}\u{4e0e}'; }}\
               const panel = document.querySelector('[data-se=\"tab-panel\"]');\
               const note = document.createElement('p'); note.textContent = 'Owner: avery.admin@acme.example';\
               const id = document.createElement('code'); id.textContent = '0oa1wf2oauthdemo0x7q';\
               id.setAttribute('title', '{secret}'); id.setAttribute('aria-label', 'avery.admin@acme.example');\
               const field = document.createElement('input'); field.value = '{secret}'; field.setAttribute('data-token', '{secret}');\
               const copy = document.createElement('button'); copy.setAttribute('aria-label', 'Copy {secret}');\
               const text = (tag, content, attributes = {{}}) => {{ const e = document.createElement(tag); e.textContent = content;\
                 for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v); return e; }};\
               panel.append(note, id, field, copy,\
                 text('p', {prose:?}),\
                 text('span', 'Logs', {{title: {long_title:?}}}), text('span', 'Users', {{title: 'okta.users.manage'}}),\
                 text('span', {host:?}), text('span', {custom_domain:?}), text('p', 'Org: {host}', {{title: '{host}'}}),\
                 text('span', 'Org', {{'aria-label': '{host}', 'aria-description': 'Signed in to {host}'}}),\
                 text('button', 'Open {host}'));\
               return true; }})()"
        ),
    );
    // The offer stands whatever Okta's API says: the page itself could not be read.
    h.click_action(&overlay, "copy-report");
    let report = h.wait_overlay(
        &overlay,
        "the page report",
        "document.querySelector('.page-report')?.textContent",
    );
    let report = report.as_str().unwrap_or_default().to_owned();
    for kept in [
        "\"okta.devices.manage\"",
        "tr",
        "[type=button] \"\u{4ed8}\u{4e0e}\"",
        "(value withheld)",
        "(text, ",
        &format!("(text, {} chars; okta.devices.manage)", prose.len()),
        &format!("[title=({} chars; okta.logs.read)]", long_title.len()),
        "[title=okta.users.manage]",
        &format!("(text, {} chars)", host.len()),
        &format!("[title=({} chars)]", secret.len()),
        &format!("button \"Open ({} chars)\"", host.len()),
    ] {
        assert!(report.contains(kept), "{kept} in\n{report}");
    }
    for withheld in [
        secret.as_str(),
        "avery.admin@acme.example",
        "acme.example",
        "0oa1wf2oauthdemo0x7q",
        host,
        custom_domain,
    ] {
        assert!(
            !report.contains(withheld),
            "{withheld} reached the report:\n{report}"
        );
    }
    let outcome = h.wait_overlay(
        &overlay,
        "the copy's outcome",
        "document.querySelector('.outcome')?.textContent.includes('page report') && document.querySelector('.outcome').textContent",
    );
    assert!(
        outcome.as_str().is_some_and(|o| o.contains("page report")),
        "{outcome}"
    );
}

#[test]
fn a_scopes_tab_selected_without_touching_the_address_is_read_from_the_page() {
    let mut h = Harness::start();
    // Okta's API is down for the helper, so what shows is the page's own reading.
    h.server.set_helper_api_down(true);
    let page = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}?tabs=in-page"),
    );
    let overlay = h.overlay(&page);
    // A console release whose tabs switch in the page: only the tab strip says which is open.
    let hash = h.page_eval(
        &page,
        "document.querySelector('[data-se=\"app-tabs\"] [href=\"#tab-okta-api-scopes\"]').click(), location.hash",
    );
    assert_eq!(hash, "", "the address names no tab");
    let state = h.wait_overlay(
        &overlay,
        "okta.devices.manage read from the page (never, while the agent does not scan this tab)",
        "(e => e?.dataset.source === 'page' && e.dataset.state !== 'unknown' && e.dataset.state)(document.querySelector('[data-scope=\"okta.devices.manage\"]'))",
    );
    assert_eq!(state, "missing");
    h.wait_page(
        &page,
        "the row to be marked",
        "document.querySelector('[data-okta-helper]')?.closest('[data-se=\"scope-row\"]')?.querySelector('[data-se=\"scope-name\"]').textContent === 'okta.devices.manage'",
    );
    // Back on General, by the tab strip again: nothing is read or marked there.
    h.page_eval(
        &page,
        "document.querySelector('[data-se=\"app-tabs\"] [href=\"#tab-general\"]').click(), true",
    );
    h.wait_page(
        &page,
        "the marks to go",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
}
