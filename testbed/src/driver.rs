//! One face for both browsers: what a scenario needs of a browser with the helper installed on
//! the demo consoles (open a console tab, find its overlay, run a script in either, close the
//! tab), so that a scenario written once runs in Chromium ([`ConsoleSession`], over the DevTools
//! protocol) and in Firefox ([`FirefoxSession`], over WebDriver BiDi). Where the engines differ
//! (how a tab is addressed, how the overlay frame is found) is each implementation's business,
//! never the scenario's.

use crate::browser::{Page, Result, Session};
use crate::firefox::{Context, FirefoxSession};
use crate::server::DemoServer;
use crate::session::ConsoleSession;
use serde_json::{json, Value};
use std::time::Duration;

/// A browser with the helper installed, and the demo consoles it runs on.
pub trait ConsoleDriver {
    /// A console tab.
    type Tab;
    /// A document a script can run in: a tab's page or the overlay frame.
    type Frame: Clone;

    /// The engine's name, for reports: `Chromium` or `Firefox`.
    fn engine(&self) -> &'static str;
    /// The demo consoles.
    fn server(&self) -> &DemoServer;
    /// Opens `https://{host}{path}` in a new tab and waits until it has loaded.
    fn open_tab(&mut self, host: &str, path: &str, patience: Duration) -> Result<Self::Tab>;
    /// The tab's own page.
    fn page_of(&self, tab: &Self::Tab) -> Self::Frame;
    /// The overlay frame in the tab, once it has drawn.
    fn overlay_of(&mut self, tab: &Self::Tab, patience: Duration) -> Result<Self::Frame>;
    /// Evaluates JavaScript in a frame (awaiting promises) and returns its JSON value.
    fn evaluate(&mut self, frame: &Self::Frame, script: &str) -> Result<Value>;
    /// Closes the tab; a tab already gone is no error.
    fn close_tab(&mut self, tab: &Self::Tab);
}

impl ConsoleDriver for ConsoleSession {
    type Tab = Page;
    type Frame = Session;

    fn engine(&self) -> &'static str {
        "Chromium"
    }

    fn server(&self) -> &DemoServer {
        &self.server
    }

    fn open_tab(&mut self, host: &str, path: &str, patience: Duration) -> Result<Page> {
        self.open(host, path, patience)
    }

    fn page_of(&self, tab: &Page) -> Session {
        tab.session.clone()
    }

    fn overlay_of(&mut self, tab: &Page, patience: Duration) -> Result<Session> {
        self.browser.overlay(tab, patience)
    }

    fn evaluate(&mut self, frame: &Session, script: &str) -> Result<Value> {
        self.browser.evaluate(frame, script)
    }

    fn close_tab(&mut self, tab: &Page) {
        let _ = self.browser.send(
            None,
            "Target.closeTarget",
            json!({"targetId": tab.target_id}),
        );
    }
}

impl ConsoleDriver for FirefoxSession {
    type Tab = Context;
    type Frame = Context;

    fn engine(&self) -> &'static str {
        "Firefox"
    }

    fn server(&self) -> &DemoServer {
        &self.server
    }

    fn open_tab(&mut self, host: &str, path: &str, _patience: Duration) -> Result<Context> {
        // BiDi's navigate waits for the load itself.
        self.open(host, path)
    }

    fn page_of(&self, tab: &Context) -> Context {
        tab.clone()
    }

    fn overlay_of(&mut self, tab: &Context, patience: Duration) -> Result<Context> {
        self.overlay(tab, patience)
    }

    fn evaluate(&mut self, frame: &Context, script: &str) -> Result<Value> {
        self.firefox.evaluate(frame, script)
    }

    fn close_tab(&mut self, tab: &Context) {
        let _ = self
            .firefox
            .send("browsingContext.close", json!({"context": tab.0}));
    }
}
