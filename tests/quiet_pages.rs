//! End to end: where the helper has nothing to say it stays out of the console's way. No frame
//! exists on a console page until the panel is wanted there or the admin opens the launcher,
//! nothing is mounted before the page's `load` event, the console moving to the app without a
//! reload still brings the panel, and the launcher can be turned off where it is not needed.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::Harness;
use std::time::Duration;
use testbed::browser::Page;
use testbed::server::{ADMIN_HOST, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_PATH};

/// How long a frame would have had to show up, had the agent mounted one.
const GRACE: Duration = Duration::from_millis(1500);

fn no_frame(h: &mut Harness, page: &Page, why: &str) {
    assert_eq!(
        h.browser.overlay_target(page).expect("targets"),
        None,
        "{why}"
    );
}

#[test]
fn launcher_pages_have_no_frame_and_no_marks_until_the_admin_opens_the_launcher() {
    let mut h = Harness::start();
    for (host, path) in [
        (ADMIN_HOST, "/admin/dashboard"),
        (ADMIN_HOST, "/admin/apps/active"),
        (WORKFLOWS_HOST, "/app/connections"),
    ] {
        let page = h.open(host, path);
        h.wait_launcher(&page);
        std::thread::sleep(GRACE);
        no_frame(&mut h, &page, &format!("{host}{path}: a launcher only"));
        let touched = h.page_eval(
            &page,
            "document.querySelectorAll('[data-okta-helper]').length + ' ' + document.documentElement.style.marginRight",
        );
        assert_eq!(touched, "0 ", "{host}{path}: no marks, no gutter");
        // A page script cannot open it: the launcher is in a closed shadow root and takes only
        // trusted input.
        h.page_eval(
            &page,
            "document.querySelector('okta-devices-helper').click(); true",
        );
        std::thread::sleep(Duration::from_millis(300));
        no_frame(&mut h, &page, "a page script's click opens nothing");
        h.open_with_launcher(&page);
    }
}

#[test]
fn the_workflows_console_gets_the_panel_when_a_dialog_opens() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    let mode = h.wait_overlay(
        &overlay,
        "the panel",
        "document.getElementById('root').dataset.mode",
    );
    assert_eq!(mode, "panel");
    let launchers = h.browser.launcher_point(&page).expect("the DOM");
    assert_eq!(launchers, None, "the frame replaces the agent's launcher");
}

/// The Workflows console changing without opening a dialog mounts nothing; a dialog that opens
/// deep inside new nodes, or a node that becomes one by taking the dialog's role, brings the
/// panel.
#[test]
fn the_workflows_console_gets_the_panel_only_when_a_change_opens_a_dialog() {
    let mut h = Harness::start();
    for (what, opens) in [
        (
            "a dialog inside a new subtree",
            "const outer = document.createElement('section');\
             outer.innerHTML = '<div><div role=\"dialog\" aria-label=\"Planted\"><p>Hello</p></div></div>';\
             document.body.append(outer); true",
        ),
        (
            "a node that takes the dialog's role",
            "document.getElementById('plain-change').setAttribute('role', 'dialog'); true",
        ),
    ] {
        let page = h.open(WORKFLOWS_HOST, "/app/connections");
        h.wait_launcher(&page);
        // Changes that open no dialog: nodes added, text changed, other attributes set.
        h.page_eval(
            &page,
            "const plain = document.createElement('div'); plain.id = 'plain-change';\
             plain.innerHTML = '<span>Saving…</span><div role=\"status\">3 flows</div>';\
             document.body.append(plain);\
             plain.firstChild.textContent = 'Saved'; plain.setAttribute('aria-busy', 'false');\
             plain.setAttribute('class', 'dialog'); true",
        );
        std::thread::sleep(GRACE);
        no_frame(&mut h, &page, "changes that open no dialog mount nothing");
        h.page_eval(&page, opens);
        let overlay = h.overlay(&page);
        let mode = h.wait_overlay(
            &overlay,
            "the panel",
            "document.getElementById('root').dataset.mode",
        );
        assert_eq!(mode, "panel", "{what}");
    }
}

#[test]
fn nothing_is_mounted_before_the_pages_load_event() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    let load_event_ended_at = h.page_eval(
        &page,
        "performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd",
    );
    let frame_started_at = h.overlay_eval(&overlay, "performance.timeOrigin");
    let (load, frame) = (
        load_event_ended_at.as_f64().expect("a time"),
        frame_started_at.as_f64().expect("a time"),
    );
    assert!(
        frame >= load,
        "the frame started loading {:.1} ms before the page's load event ended",
        load - frame
    );
}

#[test]
fn a_page_whose_load_never_ends_still_gets_the_checklist() {
    let mut h = Harness::start();
    let url = format!("https://{ADMIN_HOST}{WORKFLOWS_OAUTH_APP_PATH}?hang#tab-okta-api-scopes");
    let page = h.browser.open(&url).expect("the tab");
    let overlay = h.overlay(&page);
    h.wait_devices_manage(&overlay, "missing");
    let ready = h.page_eval(&page, "document.readyState");
    assert_eq!(ready, "interactive", "the page's load is still pending");
}

#[test]
fn the_console_moving_to_the_app_without_a_reload_brings_the_panel() {
    let mut h = Harness::start();
    let page = h.open(ADMIN_HOST, "/admin/dashboard");
    h.wait_launcher(&page);
    // The console's own navigation: a history entry, no popstate, no reload.
    h.page_eval(
        &page,
        &format!(
            "history.pushState(null, '', '{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes'); true"
        ),
    );
    let overlay = h.overlay(&page);
    let mode = h.wait_overlay(
        &overlay,
        "the panel",
        "document.getElementById('root').dataset.mode",
    );
    assert_eq!(mode, "panel");
}

#[test]
fn the_option_hides_the_launcher_elsewhere_but_not_where_the_panel_is_wanted() {
    let mut h = Harness::start();
    h.set_options(
        "document.getElementById('launcher-elsewhere').checked === true",
        "document.getElementById('launcher-elsewhere').click()",
        "only where the connection is made",
    );

    let dashboard = h.open(ADMIN_HOST, "/admin/dashboard");
    std::thread::sleep(GRACE);
    let hosts = h.page_eval(
        &dashboard,
        "document.querySelectorAll('okta-devices-helper').length",
    );
    assert_eq!(hosts, 0, "nothing at all on the Dashboard");
    no_frame(&mut h, &dashboard, "no frame either");
    // The app's Scopes tab still gets its checklist.
    h.open_scopes_tab();

    // Turned on again, the launcher is back.
    h.set_options(
        "document.getElementById('launcher-elsewhere').checked === false",
        "document.getElementById('launcher-elsewhere').click()",
        "on every console page",
    );
    let dashboard = h.open(ADMIN_HOST, "/admin/dashboard");
    h.wait_launcher(&dashboard);
}
