//! End to end in Firefox ESR: what the page around the panel can and cannot do. The checklist
//! follows the console's own Grant and Revoke, reads a release without Okta's hooks by its words,
//! and never passes for an app that is not the Okta Workflows OAuth app; forged window messages
//! change nothing, and another site can neither load the panel nor message the helper. A page that
//! steers the admin's real mouse clicks into the panel (a transparent panel under a decoy, a decoy
//! over the panel, a panel slid under the cursor) makes nothing happen: in Firefox, which cannot
//! tell the panel whether it could be seen, every acting click only raises a question in the
//! toolbar, which names what the click would do, and a declined question does nothing.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/firefox.rs"]
mod harness;
use harness::*;
use testbed::session::click_in_row;

use serde_json::{json, Value};
use std::time::Duration;
use testbed::firefox::{Context, EXTENSION_UUID};
use testbed::server::{
    ADMIN_HOST, NOT_A_CONSOLE_HOST, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_PATH, WORKFLOWS_SSO_APP_ID,
};

/// Every required line of the checklist, as `scope: state`, once all eight are listed.
const REQUIRED_LINES: &str = "(lines => lines.length === 8 && Object.fromEntries(lines.map(e => [e.dataset.scope, e.dataset.state])))\
    ([...document.querySelectorAll('[data-scope]:not([data-optional])')])";

/// What the page has marked: for each marked element, its `data-se` with its mark, and the scope
/// of its row.
const MARKED: &str = "[...document.querySelectorAll('[data-okta-helper]')].map(e => [\
    e.getAttribute('data-se') + '=' + e.getAttribute('data-okta-helper'),\
    e.closest('[data-se=\"scope-row\"]')?.querySelector('[data-se=\"scope-name\"]')?.textContent ?? ''])";

/// The marks for the missing `okta.devices.manage`: its row and its Grant button.
fn devices_manage_marked() -> Value {
    json!([
        ["scope-row=missing", "okta.devices.manage"],
        ["grant-button=missing", "okta.devices.manage"],
    ])
}

/// Waits until the checklist lists its eight required lines with `okta.devices.manage` as
/// `state`, and returns them.
fn wait_devices_manage(h: &mut Harness, overlay: &Context, state: &str) -> Value {
    let lines = h.wait(
        overlay,
        &format!("okta.devices.manage to show as {state}"),
        &format!("{DEVICES_MANAGE_IS} === '{state}' && {REQUIRED_LINES}"),
    );
    assert_eq!(lines["okta.devices.manage"], state, "{lines}");
    lines
}

fn verdict(h: &mut Harness, overlay: &Context) -> Value {
    h.eval(
        overlay,
        "document.querySelector('.summary')?.dataset.verdict ?? 'none'",
    )
}

#[test]
fn grant_clears_the_highlight_and_revoke_brings_it_back() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    h.wait(
        &tab,
        "the highlight",
        "document.querySelectorAll('[data-okta-helper]').length === 2",
    );
    assert_eq!(h.eval(&tab, MARKED), devices_manage_marked());

    h.eval(&tab, &click_in_row("okta.devices.manage", "grant-button"));
    let lines = wait_devices_manage(&mut h, &overlay, "granted");
    assert!(
        lines
            .as_object()
            .is_some_and(|lines| lines.values().all(|state| state == "granted")),
        "{lines}"
    );
    h.wait(
        &tab,
        "the highlight to go",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
    h.wait(
        &overlay,
        "the complete verdict",
        "document.querySelector('.summary')?.dataset.verdict === 'complete'",
    );

    h.eval(&tab, &click_in_row("okta.devices.manage", "revoke-button"));
    wait_devices_manage(&mut h, &overlay, "missing");
    h.wait(
        &tab,
        "the highlight to return",
        "document.querySelectorAll('[data-okta-helper]').length === 2",
    );
    assert_eq!(h.eval(&tab, MARKED), devices_manage_marked());
    assert_ne!(verdict(&mut h, &overlay), "complete");
}

/// Every frame of `tab` that holds an overlay which has drawn (a panel or a launcher), watched for
/// `during`.
fn drawn_overlays(h: &mut Harness, tab: &Context, during: Duration) -> Vec<String> {
    let overlay_url = format!("moz-extension://{EXTENSION_UUID}/overlay.html");
    let deadline = std::time::Instant::now() + during;
    loop {
        let mut drawn = Vec::new();
        for (frame, url) in h.0.firefox.frames(tab).expect("the tab's frames") {
            let root = h
                .0
                .firefox
                .evaluate(
                    &frame,
                    "(r => r && r.childElementCount > 0 && (r.dataset.mode ?? 'drawn'))(document.getElementById('root'))",
                )
                .unwrap_or(Value::Null);
            if url.starts_with(&overlay_url) && root.is_string() {
                drawn.push(format!("{url}: {root}"));
            }
        }
        if !drawn.is_empty() || std::time::Instant::now() > deadline {
            return drawn;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn another_site_can_neither_load_the_panel_nor_message_the_extension() {
    let mut h = Harness::start();
    let overlay_url = format!("moz-extension://{EXTENSION_UUID}/overlay.html");
    // A page under an Okta domain that is no console, which knows the helper's address in this
    // browser (Firefox gives each installation its own, fixed for its life; the tests fix it).
    // It frames the panel with a token of its own choosing, and hands the frame a channel with
    // that token, answering whatever the panel asks with the facts of the Scopes tab, as the page
    // agent would: were the panel to take it, the page would be its agent. (Unlike Chromium's
    // test, this one cannot ask that the page fail to fetch or frame overlay.html: Firefox has no
    // `use_dynamic_url`, and requires the frame the agent mounts to be web-accessible to every
    // page its match patterns cover, which cannot tell `acme-admin.okta.com` from
    // `evil.okta.com`. What the panel does in such a frame is what counts.)
    let tab = h.open(NOT_A_CONSOLE_HOST, "/");
    let page_view = h.eval(
        &tab,
        &format!(
            "new Promise(done => {{\
               const heard = [];\
               const frame = document.createElement('iframe');\
               frame.src = '{overlay_url}#chosen-by-the-page';\
               frame.addEventListener('load', () => {{\
                 const channel = new MessageChannel();\
                 channel.port1.onmessage = (event) => {{\
                   const message = JSON.parse(event.data); heard.push(Object.keys(message)[0]);\
                   if (message.watch) channel.port1.postMessage(JSON.stringify({{facts: {{seq: 1,\
                     location: {{host: '{ADMIN_HOST}', path: '{WORKFLOWS_OAUTH_APP_PATH}', hash: '#tab-okta-api-scopes'}},\
                     probes: message.watch.probes.map(p => ({{id: p.id, matched: null, items: []}})), scan: [], clicks: 0}}}}));\
                 }};\
                 frame.contentWindow.postMessage({{oktaHelperChannel: 'chosen-by-the-page'}}, '*', [channel.port2]);\
               }}, {{once: true}});\
               document.body.append(frame);\
               Promise.all([\
                 typeof chrome === 'undefined' ? 'undefined' : typeof chrome.runtime?.sendMessage,\
                 new Promise(later => setTimeout(later, 3000)),\
               ]).then(([send]) => done({{send, heard}}));\
             }})"
        ),
    );
    let drawn = drawn_overlays(&mut h, &tab, Duration::from_secs(1));
    // The panel did run in the page's frame, and said only that it refuses.
    let mut shown = Vec::new();
    for (frame, url) in h.0.firefox.frames(&tab).expect("the tab's frames") {
        if url.starts_with(&overlay_url) {
            let said = h.eval(
                &frame,
                "(r => `${r.dataset.mode}: ${r.textContent}`)(document.getElementById('root'))",
            );
            shown.push(format!("{url}: {}", said.as_str().unwrap_or_default()));
        }
    }
    // All in one comparison, so that a failure shows every way the page got through.
    assert_eq!(
        json!({
            "chrome.runtime.sendMessage in the page": page_view["send"],
            "what the panel said on the page's channel": page_view["heard"],
            "drawn overlays in the page's frames": drawn,
            "what the page's frame shows": shown,
        }),
        json!({
            "chrome.runtime.sendMessage in the page": "undefined",
            "what the panel said on the page's channel": [],
            "drawn overlays in the page's frames": [],
            "what the page's frame shows": [format!("{overlay_url}#chosen-by-the-page: refused: \
                This panel was opened by a page that is not an Okta console; close it.")],
        }),
        "the page could load the panel or reach the helper"
    );
}

#[test]
fn a_release_without_oktas_hooks_is_read_by_its_words() {
    let mut h = Harness::start();
    let tab = h.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}?markup=unknown#tab-okta-api-scopes"),
    );
    let overlay = h.overlay(&tab);
    // No data-se hooks, no table: rows of plain blocks whose name is the scope id, and buttons
    // that say Grant or Revoke.
    let lines = wait_devices_manage(&mut h, &overlay, "missing");
    let granted = lines
        .as_object()
        .map(|lines| lines.values().filter(|state| *state == "granted").count());
    assert_eq!(granted, Some(7), "only the auto-granted: {lines}");
    assert_eq!(
        h.eval(&overlay, "document.querySelectorAll('.problems li').length"),
        0
    );
    // Its row and its Grant button are marked, though neither has a hook.
    let marked = h.wait(
        &tab,
        "the highlight",
        "(m => m.length === 2 && m.map(e => e.tagName.toLowerCase() + ':' + (e.textContent.includes('okta.devices.manage') ? 'row' : e.textContent)))\
           ([...document.querySelectorAll('[data-okta-helper]')])",
    );
    assert_eq!(marked, json!(["div:row", "button:Grant"]));
    h.eval(
        &tab,
        "([...document.querySelectorAll('[data-okta-helper] button, button[data-okta-helper]')].find(b => b.textContent === 'Grant').click(), true)",
    );
    wait_devices_manage(&mut h, &overlay, "granted");
    h.wait(
        &tab,
        "the highlight to go",
        "document.querySelectorAll('[data-okta-helper]').length === 0",
    );
}

/// The toolbar badge of the console's tab, read from the popup (an extension page of its own tab,
/// so the console is not the active tab there), once it reads `wanted` or after [`PATIENCE`].
fn console_badge(h: &mut Harness, overlay: &Context, wanted: &str) -> Value {
    let popup =
        h.0.popup(overlay, PATIENCE)
            .unwrap_or_else(|e| panic!("the popup: {e}"));
    let read = format!(
        "chrome.tabs.query({{url: 'https://{ADMIN_HOST}/*'}})\
           .then(tabs => tabs.length === 1 ? chrome.action.getBadgeText({{tabId: tabs[0].id}}) : {{consoleTabs: tabs.length}})"
    );
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let badge = h.eval(&popup, &read);
        if badge == wanted || std::time::Instant::now() > deadline {
            return badge;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn forged_window_messages_change_nothing_and_the_badge_counts_missing_scopes() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    h.wait(
        &tab,
        "the highlight",
        "document.querySelectorAll('[data-okta-helper]').length === 2",
    );

    h.eval(
        &tab,
        "(() => { for (const kind of ['apply', 'watch', 'facts', 'click']) {\
           window.postMessage({[kind]: {seq: 99, highlights: [], layout: 'hidden', probes: []}}, '*');\
           window.postMessage({kind, seq: 99, highlights: [], layout: {mode: 'hidden'}, probes: []}, '*'); }\
           return true; })()",
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        h.eval(&tab, MARKED),
        devices_manage_marked(),
        "forged messages did not clear the highlight"
    );
    let lines = wait_devices_manage(&mut h, &overlay, "missing");
    assert_eq!(lines.as_object().map(|lines| lines.len()), Some(8));
    assert_eq!(
        h.eval(&overlay, "document.getElementById('root').dataset.mode"),
        "panel",
        "the panel is still open"
    );

    assert_eq!(
        console_badge(&mut h, &overlay, "1"),
        "1",
        "one scope to grant"
    );
}

#[test]
fn a_page_whose_app_is_not_the_okta_workflows_oauth_app_never_passes() {
    let mut h = Harness::start();
    let tab = h.open(
        ADMIN_HOST,
        &format!("/admin/app/flow/instance/{WORKFLOWS_SSO_APP_ID}/#tab-okta-api-scopes"),
    );
    let overlay = h.overlay(&tab);
    // The page itself shows every scope granted once Grant is clicked.
    wait_devices_manage(&mut h, &overlay, "missing");
    h.eval(&tab, &click_in_row("okta.devices.manage", "grant-button"));
    wait_devices_manage(&mut h, &overlay, "granted");
    let problem = h.wait(
        &overlay,
        "the app problem",
        "[...document.querySelectorAll('.api-problem')].map(p => p.textContent).find(t => t.includes('not the Okta Workflows OAuth app'))",
    );
    assert!(
        problem
            .as_str()
            .is_some_and(|p| p.contains("okta_flow_sso")),
        "{problem}"
    );
    assert_eq!(verdict(&mut h, &overlay), "unconfirmed");
    assert_eq!(
        h.eval(
            &overlay,
            "document.querySelector('[data-scope=\"okta.devices.manage\"]').dataset.source ?? 'none'"
        ),
        "page"
    );
    assert!(
        h.0.server
            .api_calls()
            .contains(&format!("GET /api/v1/apps/{WORKFLOWS_SSO_APP_ID}")),
        "the helper asked Okta's API about the app in the address"
    );
}

// --- clicks steered by the page -------------------------------------------------------------
//
// Chromium refuses a click the admin could not have seen. Firefox cannot tell the panel whether
// it could be seen, so there the page's tricks all meet the same answer: the click reaches the
// panel, which does nothing but ask in the toolbar (an extension surface no page can cover, make
// transparent or move) and names there what the click would do. Each trick still has its own
// test: each shows, with real mouse input, that its click landed on the panel and acted on
// nothing.

/// The page makes the helper's frame transparent, raises it above everything, and draws a decoy
/// where the panel is, which lets clicks through.
const TRANSPARENT_OVER_A_DECOY: &str = "(() => {\
    const host = document.querySelector('okta-devices-helper');\
    host.style.opacity = '0'; host.style.position = 'relative'; host.style.zIndex = '2147483647';\
    const decoy = document.createElement('button'); decoy.id = 'decoy'; decoy.textContent = 'Continue';\
    decoy.style.cssText = 'position:fixed;right:0;bottom:0;width:60vw;height:100vh;z-index:2147483646;pointer-events:none;font-size:40px';\
    document.body.append(decoy); return true; })()";

/// The page leaves the panel as it is but covers it with a decoy that lets clicks through.
const COVERED_BY_A_DECOY: &str = "(() => {\
    const decoy = document.createElement('div'); decoy.id = 'decoy'; decoy.textContent = 'Click to continue';\
    decoy.style.cssText = 'position:fixed;right:0;bottom:0;width:60vw;height:100vh;z-index:2147483647;pointer-events:none;background:#fff;font-size:40px';\
    document.documentElement.append(decoy); return true; })()";

/// The page moves the panel, fully visible and on top, 240 px to the left and 60 px up: layout
/// containment makes the helper's element the frame's frame of reference.
const SLID: &str = "(document.querySelector('okta-devices-helper').style.cssText =\
    'position: fixed; right: 240px; bottom: 60px; width: 0; height: 0; z-index: 2147483647; contain: layout', true)";

/// Undoes either decoy.
const UNCOVER: &str = "(() => {\
    document.getElementById('decoy')?.remove();\
    document.querySelector('okta-devices-helper').removeAttribute('style'); return true; })()";

/// What the panel says once the admin declined in the toolbar.
const DECLINED: &str = "You declined in the toolbar: nothing was done.";

/// Where the overlay's button for `action` is on screen now, in the tab's viewport: the frame's
/// place in the tab (from where Firefox puts each window on screen) plus the button's centre in
/// the frame.
fn button_point(h: &mut Harness, tab: &Context, overlay: &Context, action: &str) -> (f64, f64) {
    let place = |h: &mut Harness, context: &Context, script: &str| -> (f64, f64) {
        let point = h.eval(context, script);
        match (point[0].as_f64(), point[1].as_f64()) {
            (Some(x), Some(y)) => (x, y),
            _ => panic!("no place on screen: {point}"),
        }
    };
    let (tab_x, tab_y) = place(h, tab, "[mozInnerScreenX, mozInnerScreenY]");
    let (frame_x, frame_y) = place(h, overlay, "[mozInnerScreenX, mozInnerScreenY]");
    let (x, y) = place(
        h,
        overlay,
        &format!(
            "(r => [r.left + r.width / 2, r.top + r.height / 2])\
             (document.querySelector('[data-action=\"{action}\"]').getBoundingClientRect())"
        ),
    );
    (frame_x - tab_x + x, frame_y - tab_y + y)
}

/// Clicks the overlay's button for `action` with the mouse, once it stays put: a redrawn panel
/// changes size, and the page agent then resizes its frame a moment later.
fn real_click(h: &mut Harness, tab: &Context, overlay: &Context, action: &str) {
    let deadline = std::time::Instant::now() + PATIENCE;
    let mut point = button_point(h, tab, overlay, action);
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = button_point(h, tab, overlay, action);
        if now == point {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the {action} button never stayed put"
        );
        point = now;
    }
    click_at(h, tab, point);
}

/// A mouse click at `point` of the tab's viewport.
fn click_at(h: &mut Harness, tab: &Context, point: (f64, f64)) {
    // Input goes to the tab in front; the toolbar's popup may have been opened since.
    h.0.firefox
        .send("browsingContext.activate", json!({"context": tab.0}))
        .expect("the tab to the front");
    h.0.firefox.click_at(tab, point).expect("the click");
}

/// The questions the toolbar's popup shows: for each, whose panel asks, and what.
fn toolbar_questions(h: &mut Harness, overlay: &Context) -> Value {
    let popup =
        h.0.popup(overlay, PATIENCE)
            .unwrap_or_else(|e| panic!("the popup: {e}"));
    h.wait(
        &popup,
        "the toolbar's question",
        "(asked => asked.length > 0 && asked.map(q => [q.querySelector('p').textContent, q.querySelector('.what').textContent]))\
         ([...document.querySelectorAll('.question')])",
    )
}

/// After a click the page steered onto the acting button `what` names: nothing happened
/// (`nothing_done`, checked after a while), the panel sends the admin to the toolbar, and the
/// toolbar asks exactly `what` for the panel on `host`, so the admin sees what the click would
/// do. Declined there, nothing is done and the panel says so.
fn only_the_toolbar_asks(
    h: &mut Harness,
    tab: &Context,
    overlay: &Context,
    (host, what): (&str, &str),
    nothing_done: fn(&mut Harness, &Context),
    uncover: bool,
) {
    std::thread::sleep(Duration::from_millis(1500));
    nothing_done(h, tab);
    if uncover {
        h.eval(tab, UNCOVER);
    }
    let waiting = h.wait(
        overlay,
        "the panel to send the admin to the toolbar",
        "document.querySelector('.outcome[data-outcome=\"waiting\"]')?.textContent",
    );
    let waiting = waiting.as_str().unwrap_or_default();
    assert!(
        waiting.starts_with("Confirm in the toolbar")
            && waiting.contains(&format!("Confirm \u{201c}{what}\u{201d}")),
        "{waiting}"
    );
    assert_eq!(
        toolbar_questions(h, overlay),
        json!([[format!("The helper's panel on {host} asks:"), what]]),
        "the toolbar names what the click would do"
    );
    h.answer_in_toolbar(overlay, host, what, false);
    let said = h.wait(
        overlay,
        "the panel to say it was declined",
        "document.querySelector('.outcome[data-outcome=\"failed\"]')?.textContent",
    );
    assert_eq!(said, DECLINED);
    std::thread::sleep(Duration::from_millis(1000));
    nothing_done(h, tab);
}

/// Captures acme's credentials and opens the Okta Devices dialog, until Fill may act.
fn ready_to_fill(h: &mut Harness) -> (Context, Context) {
    h.capture_ready();
    let (tab, overlay) = open_connection_dialog(h, WORKFLOWS_HOST);
    h.wait(
        &overlay,
        "Fill to be ready",
        &format!("document.querySelector('[data-action=\"fill\"]:not([disabled])')?.textContent === '{FILL}'"),
    );
    (tab, overlay)
}

/// The Fill button's label, which the toolbar repeats.
const FILL: &str = "Fill from acme.okta.com";

fn nothing_filled(h: &mut Harness, tab: &Context) {
    let form = h.eval(
        tab,
        "Object.fromEntries([...document.querySelectorAll('[role=\"dialog\"] input[id]')].map(i => [i.id, i.value]))",
    );
    for field in ["domain", "clientId", "clientSecret"] {
        assert_eq!(form[field], "", "{field} was filled: {form}");
    }
}

fn nothing_granted(h: &mut Harness, _: &Context) {
    let posts: Vec<String> =
        h.0.server
            .api_requests()
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.target.clone())
            .collect();
    assert_eq!(posts, Vec::<String>::new(), "a grant was sent");
    assert!(
        !h.0.server
            .granted_scopes()
            .contains(&"okta.devices.manage".to_owned()),
        "okta.devices.manage was granted"
    );
}

/// The page plays `trick` on the panel, the admin's real click lands on Fill, and only the
/// toolbar asks.
fn fill_clicked_through(trick: &str) {
    let mut h = Harness::start();
    let (tab, overlay) = ready_to_fill(&mut h);
    h.eval(&tab, trick);
    real_click(&mut h, &tab, &overlay, "fill");
    only_the_toolbar_asks(
        &mut h,
        &tab,
        &overlay,
        (WORKFLOWS_HOST, FILL),
        nothing_filled,
        true,
    );
}

#[test]
fn a_click_through_a_transparent_panel_under_a_decoy_fills_nothing() {
    fill_clicked_through(TRANSPARENT_OVER_A_DECOY);
}

#[test]
fn a_click_through_a_decoy_over_the_panel_fills_nothing() {
    fill_clicked_through(COVERED_BY_A_DECOY);
}

#[test]
fn a_panel_slid_under_the_cursor_does_not_act_on_the_next_click() {
    let mut h = Harness::start();
    let (tab, overlay) = ready_to_fill(&mut h);
    let before = button_point(&mut h, &tab, &overlay, "fill");
    h.eval(&tab, SLID);
    std::thread::sleep(Duration::from_millis(150));
    // The click comes at once, where the button has just arrived.
    let after = button_point(&mut h, &tab, &overlay, "fill");
    assert_ne!(before, after, "the test needs the panel moved");
    click_at(&mut h, &tab, after);
    only_the_toolbar_asks(
        &mut h,
        &tab,
        &overlay,
        (WORKFLOWS_HOST, FILL),
        nothing_filled,
        false,
    );
}

#[test]
fn clicks_through_a_transparent_panel_open_and_confirm_no_grant() {
    let mut h = Harness::start();
    let (tab, overlay) = h.open_scopes_tab();
    h.wait(
        &overlay,
        "Grant to be ready",
        "document.querySelector('[data-action=\"api-grant\"]:not([disabled])')",
    );

    // The first click only opens the panel's own confirmation, which acts on nothing, so Firefox
    // lets it through without the toolbar: that it opens shows the click reached the panel.
    h.eval(&tab, TRANSPARENT_OVER_A_DECOY);
    real_click(&mut h, &tab, &overlay, "api-grant");
    let listed = h.wait(
        &overlay,
        "the confirmation",
        "document.querySelector('[data-action=\"api-grant-confirm\"]:not([disabled])') &&\
         [...document.querySelectorAll('.confirm li')].map(li => li.textContent)",
    );
    assert_eq!(listed, json!(["okta.devices.manage"]));
    nothing_granted(&mut h, &tab);

    // The confirmation, clicked through the same trick, only asks the toolbar.
    real_click(&mut h, &tab, &overlay, "api-grant-confirm");
    only_the_toolbar_asks(
        &mut h,
        &tab,
        &overlay,
        (ADMIN_HOST, GRANT_QUESTION),
        nothing_granted,
        true,
    );
}
