//! End to end: a page script cannot steer the admin's clicks into the helper's panel
//! (clickjacking). The page makes the panel transparent under a decoy, covers it, or slides it
//! under the cursor; the clicks are real mouse input at the button's place on screen, as a
//! person's would be. Nothing is filled or granted, the panel says why once it can be seen, and
//! the same click on the visible, settled panel then works, which shows the click landed.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{ready_button, Harness};
use std::time::Duration;
use testbed::browser::{Page, Session};
use testbed::server::WORKFLOWS_HOST;

/// The page makes the helper's frame transparent, raises it above everything, and draws a decoy
/// where the panel is, which lets clicks through.
const TRANSPARENT_OVER_A_DECOY: &str = "(() => {\
    const host = document.querySelector('okta-devices-helper');\
    host.style.opacity = '0'; host.style.position = 'relative'; host.style.zIndex = '2147483647';\
    const decoy = document.createElement('button'); decoy.id = 'decoy'; decoy.textContent = 'Continue';\
    decoy.style.cssText = 'position:fixed;right:0;bottom:0;width:60vw;height:100vh;z-index:2147483646;pointer-events:none;font-size:40px';\
    document.body.append(decoy); })()";

/// The page leaves the panel as it is but covers it with a decoy that lets clicks through.
const COVERED_BY_A_DECOY: &str = "(() => {\
    const decoy = document.createElement('div'); decoy.id = 'decoy'; decoy.textContent = 'Click to continue';\
    decoy.style.cssText = 'position:fixed;right:0;bottom:0;width:60vw;height:100vh;z-index:2147483647;pointer-events:none;background:#fff;font-size:40px';\
    document.documentElement.append(decoy); })()";

/// Undoes either trick.
const UNCOVER: &str = "(() => {\
    document.getElementById('decoy')?.remove();\
    document.querySelector('okta-devices-helper').removeAttribute('style'); })()";

const REFUSED_UNSEEN: &str =
    "was not acted on: the panel was hidden or covered by the page when you clicked";
const REFUSED_MOVED: &str = "was not acted on: the panel had just appeared or moved";

/// Enough time for the browser's visibility report (at most every 100 ms) to arrive.
const REPORTED: Duration = Duration::from_millis(400);

/// Clicks the overlay's button for `action` where it is on screen now, with the mouse.
fn real_click(h: &mut Harness, page: &Page, overlay: &Session, action: &str) {
    let point = h
        .browser
        .overlay_point(page, overlay, &format!("[data-action=\"{action}\"]"))
        .expect("the button's place on screen");
    h.browser.mouse_click(page, point).expect("the click");
}

/// Waits until the panel says the click was refused, for `why`.
fn refusal_shown(h: &mut Harness, overlay: &Session, why: &str) -> String {
    let said = h.wait_overlay(
        overlay,
        "the refusal",
        &format!(
            "(t => t?.includes({why:?}) && t)(document.querySelector('.outcome[data-outcome=\"failed\"]')?.textContent)"
        ),
    );
    said.as_str().unwrap_or_default().to_owned()
}

/// Captures acme's credentials and opens the Okta Devices dialog, until Fill may act.
fn ready_to_fill(h: &mut Harness) -> (Page, Session) {
    h.capture_ready();
    let (page, overlay) = h.open_connection_dialog(WORKFLOWS_HOST, "", "Okta Devices");
    h.wait_overlay(&overlay, "Fill to be ready", &ready_button("fill"));
    (page, overlay)
}

fn nothing_filled(h: &mut Harness, page: &Page) {
    std::thread::sleep(Duration::from_millis(500));
    let form = h.form(page);
    assert_eq!(form["domain"], "", "nothing was filled");
    assert_eq!(form["clientSecret"], "", "nothing was filled");
}

/// The same click, on the visible and settled panel, fills: the refused click had landed.
fn fills_once_seen(h: &mut Harness, page: &Page, overlay: &Session) {
    h.wait_overlay(overlay, "Fill to be ready", &ready_button("fill"));
    real_click(h, page, overlay, "fill");
    h.wait_overlay(
        overlay,
        "the fill",
        "document.querySelector('.outcome[data-outcome=\"done\"]')?.textContent.startsWith('Filled')",
    );
    assert_eq!(h.form(page)["domain"], "acme.okta.com");
}

#[test]
fn a_click_through_a_transparent_panel_under_a_decoy_fills_nothing() {
    let mut h = Harness::start();
    let (page, overlay) = ready_to_fill(&mut h);
    h.page_eval(&page, TRANSPARENT_OVER_A_DECOY);
    std::thread::sleep(REPORTED);
    let waiting = h.overlay_eval(
        &overlay,
        "document.querySelector('[data-action=\"fill\"]').dataset.waiting",
    );
    assert_eq!(
        waiting, "unseen",
        "Fill waits while the panel cannot be seen"
    );
    real_click(&mut h, &page, &overlay, "fill");
    nothing_filled(&mut h, &page);

    h.page_eval(&page, UNCOVER);
    let said = refusal_shown(&mut h, &overlay, REFUSED_UNSEEN);
    assert!(
        said.starts_with("Your click on \u{201c}Fill from acme.okta.com\u{201d}"),
        "{said}"
    );
    fills_once_seen(&mut h, &page, &overlay);
}

#[test]
fn a_click_through_a_decoy_over_the_panel_fills_nothing() {
    let mut h = Harness::start();
    let (page, overlay) = ready_to_fill(&mut h);
    h.page_eval(&page, COVERED_BY_A_DECOY);
    std::thread::sleep(REPORTED);
    real_click(&mut h, &page, &overlay, "fill");
    nothing_filled(&mut h, &page);

    h.page_eval(&page, UNCOVER);
    refusal_shown(&mut h, &overlay, REFUSED_UNSEEN);
    fills_once_seen(&mut h, &page, &overlay);
}

#[test]
fn a_panel_slid_under_the_cursor_does_not_act_on_the_next_click() {
    let mut h = Harness::start();
    let (page, overlay) = ready_to_fill(&mut h);
    // Layout containment makes the helper's element the frame's frame of reference: moving the
    // element moves the panel, fully visible and on top, 240 px to the left and 60 px up.
    h.page_eval(
        &page,
        "document.querySelector('okta-devices-helper').style.cssText =\
         'position: fixed; right: 240px; bottom: 60px; width: 0; height: 0; z-index: 2147483647; contain: layout'",
    );
    std::thread::sleep(Duration::from_millis(150));
    real_click(&mut h, &page, &overlay, "fill");
    nothing_filled(&mut h, &page);
    refusal_shown(&mut h, &overlay, REFUSED_MOVED);
    fills_once_seen(&mut h, &page, &overlay);
}

#[test]
fn clicks_through_a_transparent_panel_open_and_confirm_no_grant() {
    let mut h = Harness::start();
    let (page, overlay) = h.open_scopes_tab();
    h.wait_overlay(&overlay, "Grant to be ready", &ready_button("api-grant"));
    let posts = |h: &mut Harness| {
        h.server
            .api_requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count()
    };

    // The first click would open the confirmation.
    h.page_eval(&page, TRANSPARENT_OVER_A_DECOY);
    std::thread::sleep(REPORTED);
    real_click(&mut h, &page, &overlay, "api-grant");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        h.overlay_eval(
            &overlay,
            "!!document.querySelector('[data-action=\"api-grant-confirm\"]')"
        ),
        false,
        "no confirmation opened"
    );
    h.page_eval(&page, UNCOVER);
    refusal_shown(&mut h, &overlay, REFUSED_UNSEEN);

    // Opened in plain sight, the confirmation is then clicked through the same trick.
    h.wait_overlay(&overlay, "Grant to be ready", &ready_button("api-grant"));
    real_click(&mut h, &page, &overlay, "api-grant");
    h.wait_overlay(
        &overlay,
        "the confirmation",
        &ready_button("api-grant-confirm"),
    );
    h.page_eval(&page, TRANSPARENT_OVER_A_DECOY);
    std::thread::sleep(REPORTED);
    real_click(&mut h, &page, &overlay, "api-grant-confirm");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(posts(&mut h), 0, "nothing was granted");
    h.page_eval(&page, UNCOVER);
    refusal_shown(&mut h, &overlay, REFUSED_UNSEEN);

    // Seen and settled, the same confirmation grants.
    h.wait_overlay(
        &overlay,
        "the confirmation",
        &ready_button("api-grant-confirm"),
    );
    real_click(&mut h, &page, &overlay, "api-grant-confirm");
    h.wait_overlay(
        &overlay,
        "the grant result",
        "document.querySelector('.grant-results li')?.dataset.result === 'granted'",
    );
    assert_eq!(posts(&mut h), 1);
}
