//! One way to write a scenario for both browsers: what a scenario does with a console tab, the
//! helper's panel in it, the toolbar and the extension's storage. Each browser's own steps stay
//! in its implementation: Chromium's click guard and tab focus, Firefox's confirmation in the
//! toolbar. A scenario written over [`Console`] runs in Chromium (`common::Harness`) and in
//! Firefox ESR (`common::firefox::Harness`) from one body.

use serde_json::Value;
use testbed::browser::{Page, Session};
use testbed::firefox::Context;
use testbed::server::{DemoServer, ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH};
use testbed::session::VERIFIED;

/// A browser with the helper, on the demo consoles.
pub trait Console {
    /// A console tab.
    type Tab;
    /// A document a script can run in: a tab's page, the panel, the popup.
    type Frame: Clone;

    /// The demo consoles and a browser with the helper, for one scenario.
    fn start() -> Self;
    /// The demo org.
    fn server(&self) -> &DemoServer;
    /// Opens `https://{host}{path}` in a new tab, once loaded.
    fn open_tab(&mut self, host: &str, path: &str) -> Self::Tab;
    /// The tab's own page.
    fn page(&self, tab: &Self::Tab) -> Self::Frame;
    /// The helper's panel in the tab, once drawn.
    fn panel(&mut self, tab: &Self::Tab) -> Self::Frame;
    /// Evaluates JavaScript (an expression, awaited) in a frame.
    fn eval(&mut self, frame: &Self::Frame, script: &str) -> Value;
    /// Waits until `script`, run in the frame, gives something other than null or false.
    fn wait(&mut self, frame: &Self::Frame, what: &str, script: &str) -> Value;
    /// Clicks the panel's button `action` once it takes a click.
    fn click(&mut self, panel: &Self::Frame, action: &str);
    /// Clicks an acting button (one that acts on the admin's behalf) and confirms it as this
    /// browser asks: Chromium once the button has been seen, Firefox in the toolbar, whose
    /// question must name `host` and `question`.
    fn act(&mut self, panel: &Self::Frame, action: &str, host: &str, question: &str);
    /// What `chrome.storage.{area}` holds, as JSON text (`panel`: an extension page to read it
    /// from where the browser needs one).
    fn stored(&mut self, panel: &Self::Frame, area: &str) -> String;
    /// Everything any page, frame or the background wrote to its console.
    fn console_text(&mut self) -> String;
    /// The toolbar popup's page, opened from `panel`.
    fn popup(&mut self, panel: &Self::Frame) -> Self::Frame;
    /// Brings the tab to the front, as the admin switching back to it.
    fn to_front(&mut self, tab: &Self::Tab);
}

/// Opens the Okta Workflows OAuth app's Scopes tab and waits until Okta's API has verified every
/// line: the tab and its panel.
pub fn verified_scopes_tab<C: Console>(h: &mut C) -> (C::Tab, C::Frame) {
    let tab = h.open_tab(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes"),
    );
    let panel = h.panel(&tab);
    h.wait(&panel, "every line verified by the API", VERIFIED);
    (tab, panel)
}

impl Console for super::Harness {
    type Tab = Page;
    type Frame = Session;

    fn start() -> Self {
        super::Harness::start()
    }

    fn server(&self) -> &DemoServer {
        &self.0.server
    }

    fn open_tab(&mut self, host: &str, path: &str) -> Page {
        self.open(host, path)
    }

    fn page(&self, tab: &Page) -> Session {
        tab.session.clone()
    }

    fn panel(&mut self, tab: &Page) -> Session {
        self.overlay(tab)
    }

    fn eval(&mut self, frame: &Session, script: &str) -> Value {
        self.overlay_eval(frame, script)
    }

    fn wait(&mut self, frame: &Session, what: &str, script: &str) -> Value {
        self.wait_overlay(frame, what, script)
    }

    fn click(&mut self, panel: &Session, action: &str) {
        self.click_action(panel, action);
    }

    fn act(&mut self, panel: &Session, action: &str, _host: &str, _question: &str) {
        // The click guard lets the click act once the admin could have seen the button.
        self.click_action(panel, action);
    }

    fn stored(&mut self, _panel: &Session, area: &str) -> String {
        let worker = self.worker();
        self.storage(&worker, area)
    }

    fn console_text(&mut self) -> String {
        self.console_output()
    }

    fn popup(&mut self, _panel: &Session) -> Session {
        let id = self.extension_id();
        self.open_url(&format!("chrome-extension://{id}/popup.html"))
            .session
    }

    fn to_front(&mut self, tab: &Page) {
        self.browser
            .bring_to_front(tab)
            .unwrap_or_else(|e| panic!("could not bring the tab to the front: {e}"));
    }
}

impl Console for super::firefox::Harness {
    type Tab = Context;
    type Frame = Context;

    fn start() -> Self {
        super::firefox::Harness::start()
    }

    fn server(&self) -> &DemoServer {
        &self.0.server
    }

    fn open_tab(&mut self, host: &str, path: &str) -> Context {
        self.open(host, path)
    }

    fn page(&self, tab: &Context) -> Context {
        tab.clone()
    }

    fn panel(&mut self, tab: &Context) -> Context {
        self.overlay(tab)
    }

    fn eval(&mut self, frame: &Context, script: &str) -> Value {
        super::firefox::Harness::eval(self, frame, script)
    }

    fn wait(&mut self, frame: &Context, what: &str, script: &str) -> Value {
        super::firefox::Harness::wait(self, frame, what, script)
    }

    fn click(&mut self, panel: &Context, action: &str) {
        super::firefox::Harness::click(self, panel, action);
    }

    fn act(&mut self, panel: &Context, action: &str, host: &str, question: &str) {
        self.click_and_confirm(panel, action, host, question);
    }

    fn stored(&mut self, panel: &Context, area: &str) -> String {
        self.storage(panel, area)
    }

    fn console_text(&mut self) -> String {
        self.0.firefox.console_output()
    }

    fn popup(&mut self, panel: &Context) -> Context {
        self.0
            .popup(panel, super::firefox::PATIENCE)
            .unwrap_or_else(|e| panic!("the popup: {e}"))
    }

    fn to_front(&mut self, _tab: &Context) {
        // Firefox's panel asks the toolbar rather than judging what the admin saw: nothing to do.
    }
}

/// Runs a scenario written over [`Console`] as two tests, `<scenario>::in_chromium` and
/// `<scenario>::in_firefox`.
#[macro_export]
macro_rules! in_both_browsers {
    ($($scenario:ident),+ $(,)?) => {$(
        mod $scenario {
            #[test]
            fn in_chromium() {
                super::$scenario::<$crate::common::Harness>();
            }

            #[test]
            fn in_firefox() {
                super::$scenario::<$crate::common::firefox::Harness>();
            }
        }
    )+};
}
