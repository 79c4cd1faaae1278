//! Shared set-up of the end-to-end tests: the demo console on loopback under Okta's real host
//! names, and Chromium with the built, unpacked extension loaded with its shipped manifest.

#![allow(dead_code)] // each test binary uses its own share of these helpers

use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;
use testbed::browser::{Browser, LaunchOptions, Page, Session};
use testbed::server::{DemoServer, DEMO_HOSTS};

/// How long any one thing may take to show up before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A demo server and a browser with the extension, for one test.
pub struct Harness {
    pub browser: Browser,
    pub server: DemoServer,
}

impl Harness {
    pub fn start() -> Self {
        let root = testbed::workspace_root();
        let extension = root.join("dist/extension");
        assert!(
            extension.join("manifest.json").exists() && extension.join("pkg").exists(),
            "the built extension is missing from {}: run `cargo xtask build` (or `cargo xtask test`) first",
            extension.display()
        );
        let server = DemoServer::start(&root.join("www")).expect("demo server starts");
        let browser = Browser::launch(&LaunchOptions {
            extension: Some(extension),
            hosts: DEMO_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            port: server.port(),
            headless: true,
            window: (1280, 900),
        })
        .expect("Chromium starts with the extension");
        Self { browser, server }
    }

    /// Opens `https://{host}{path}` in a new tab and waits for the demo console to render.
    pub fn open(&mut self, host: &str, path: &str) -> Page {
        let page = self
            .browser
            .open(&format!("https://{host}{path}"))
            .expect("tab opens");
        self.browser
            .wait_for("the console page to load", PATIENCE, |b| {
                let state = b.evaluate(&page.session, "document.readyState")?;
                Ok((state == "complete").then_some(()))
            })
            .expect("page loads");
        page
    }

    /// Evaluates JavaScript in the page's own world.
    pub fn page_eval(&mut self, page: &Page, script: &str) -> Value {
        self.browser
            .evaluate(&page.session, script)
            .unwrap_or_else(|e| panic!("page script failed: {e}"))
    }

    /// Evaluates JavaScript in the overlay frame.
    pub fn overlay_eval(&mut self, overlay: &Session, script: &str) -> Value {
        self.browser
            .evaluate(overlay, script)
            .unwrap_or_else(|e| panic!("overlay script failed: {e}"))
    }

    /// The overlay frame of a tab, once it is there.
    pub fn overlay(&mut self, page: &Page) -> Session {
        self.browser
            .overlay(page, PATIENCE)
            .expect("the overlay frame appears")
    }

    /// Waits until `script`, run in the overlay, returns something other than null or false.
    pub fn wait_overlay(&mut self, overlay: &Session, what: &str, script: &str) -> Value {
        let session = overlay.clone();
        self.browser
            .wait_for(what, PATIENCE, |b| {
                let value = b.evaluate(&session, script)?;
                Ok((!value.is_null() && value != false).then_some(value))
            })
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits until `script`, run in the page, returns something other than null or false.
    pub fn wait_page(&mut self, page: &Page, what: &str, script: &str) -> Value {
        let session = page.session.clone();
        self.browser
            .wait_for(what, PATIENCE, |b| {
                let value = b.evaluate(&session, script)?;
                Ok((!value.is_null() && value != false).then_some(value))
            })
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The checklist as the overlay shows it: scope id → `data-state`.
    pub fn checklist(&mut self, overlay: &Session) -> BTreeMap<String, String> {
        let value = self.overlay_eval(
            overlay,
            "Object.fromEntries([...document.querySelectorAll('[data-scope]')]\
                .map(e => [e.dataset.scope, e.dataset.state]))",
        );
        serde_json::from_value(value).expect("checklist is a map of strings")
    }

    /// Waits until the overlay lists all eight scopes and `okta.devices.manage` is in `state`.
    pub fn wait_devices_manage(
        &mut self,
        overlay: &Session,
        state: &str,
    ) -> BTreeMap<String, String> {
        self.wait_overlay(
            overlay,
            &format!("okta.devices.manage to show as {state}"),
            &format!(
                "document.querySelectorAll('[data-scope]').length === 8 && \
                 document.querySelector('[data-scope=\"okta.devices.manage\"]')?.dataset.state === '{state}'"
            ),
        );
        self.checklist(overlay)
    }

    /// What the page has marked: for each marked element, its `data-se` and its row's scope.
    pub fn marked(&mut self, page: &Page) -> Vec<(String, String)> {
        let value = self.page_eval(
            page,
            "[...document.querySelectorAll('[data-okta-helper]')].map(e => [\
                e.getAttribute('data-se') + '=' + e.getAttribute('data-okta-helper'),\
                e.closest('[data-se=\"scope-row\"]')?.querySelector('[data-se=\"scope-name\"]')?.textContent ?? ''])",
        );
        serde_json::from_value(value).expect("marks are pairs of strings")
    }
}

/// JavaScript that clicks the Grant or Revoke button in the row of `scope` on the Scopes tab.
pub fn click_in_row(scope: &str, button: &str) -> String {
    format!(
        "(() => {{ const row = [...document.querySelectorAll('[data-se=\"scope-row\"]')]\
            .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === '{scope}');\
          const button = row?.querySelector('[data-se=\"{button}\"]');\
          if (!button) throw new Error('no {button} in the row of {scope}');\
          button.click(); return true; }})()"
    )
}
