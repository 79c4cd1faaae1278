//! Shared set-up of the end-to-end tests: the demo console on loopback under Okta's real host
//! names, and Chromium with the built, unpacked extension loaded with its shipped manifest.

#![allow(dead_code)] // each test binary uses its own share of these helpers

pub mod firefox;
pub mod scenario;

use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::time::Duration;
use testbed::browser::{Page, Session};
use testbed::session::{click_if_ready, ChecklistLine, ConsoleSession, READ_CHECKLIST};

#[allow(unused_imports)] // only some test binaries wait for a button without clicking it
pub use testbed::session::ready_button;

/// JavaScript, run in the overlay, that holds once the vault shows captured credentials.
pub const VAULT_READY: &str = "document.querySelector('[data-vault]')?.dataset.vault === 'ready'";

/// How long any one thing may take to show up before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A demo server and a browser with the built extension, for one test; panics on failure.
pub struct Harness(ConsoleSession);

impl Deref for Harness {
    type Target = ConsoleSession;
    fn deref(&self) -> &ConsoleSession {
        &self.0
    }
}

impl DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut ConsoleSession {
        &mut self.0
    }
}

impl Harness {
    pub fn start() -> Self {
        let root = testbed::workspace_root();
        Self(
            ConsoleSession::start(&root.join("www"), &root.join("dist/extension"), true)
                .unwrap_or_else(|e| panic!("could not start the demo console and browser: {e}")),
        )
    }

    /// Opens `https://{host}{path}` in a new tab and waits for it to load.
    pub fn open(&mut self, host: &str, path: &str) -> Page {
        self.0
            .open(host, path, PATIENCE)
            .unwrap_or_else(|e| panic!("{host}{path} did not load: {e}"))
    }

    /// Opens any URL, such as an extension page, in a new tab.
    pub fn open_url(&mut self, url: &str) -> Page {
        self.0
            .open_url(url, PATIENCE)
            .unwrap_or_else(|e| panic!("{url} did not load: {e}"))
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

    /// Changes the extension's options as the admin does on its options page: waits until the
    /// page shows `loaded`, runs `change`, saves, and waits for the status to mention `saved`.
    pub fn set_options(&mut self, loaded: &str, change: &str, saved: &str) {
        let id = self.extension_id();
        let options = self.open_url(&format!("chrome-extension://{id}/options.html"));
        self.wait_page(
            &options,
            "the options",
            &format!("document.getElementById('options').dataset.loaded === 'true' && ({loaded})"),
        );
        self.page_eval(
            &options,
            &format!("{change}; document.querySelector('#options button[type=submit]').click()"),
        );
        self.wait_page(
            &options,
            "the options to save",
            &format!("document.getElementById('status').textContent.includes({saved:?})"),
        );
    }

    /// Waits for the launcher the page agent draws where the panel is not wanted, and returns
    /// its centre in the tab's viewport.
    pub fn wait_launcher(&mut self, page: &Page) -> (f64, f64) {
        self.browser
            .wait_for("the agent's launcher", PATIENCE, |b| b.launcher_point(page))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Opens the panel with the agent's launcher, clicked as a person does, and returns the
    /// overlay frame, once it shows the panel.
    pub fn open_with_launcher(&mut self, page: &Page) -> Session {
        let point = self.wait_launcher(page);
        self.browser
            .mouse_click(page, point)
            .unwrap_or_else(|e| panic!("clicking the launcher: {e}"));
        let overlay = self.overlay(page);
        self.wait_overlay(
            &overlay,
            "the open panel",
            "document.getElementById('root').dataset.mode === 'panel'",
        );
        overlay
    }

    /// Waits until `script`, run in the overlay, returns something other than null or false.
    /// On a timeout, the panic says what the panel showed then, and the last console messages (see
    /// [`Harness::what_the_panel_showed`]).
    pub fn wait_overlay(&mut self, overlay: &Session, what: &str, script: &str) -> Value {
        match self.0.wait_until(overlay, what, script, PATIENCE) {
            Ok(value) => value,
            Err(e) => panic!("{e}\n{}", self.what_the_panel_showed(overlay)),
        }
    }

    /// What the panel shows now, and the last console messages of the browser: what a wait that
    /// fails only now and then needs said, or it is a riddle.
    pub fn what_the_panel_showed(&mut self, overlay: &Session) -> String {
        let shown = self
            .browser
            .evaluate(overlay, "document.body.innerText")
            .map_or_else(|e| format!("(unreadable: {e})"), |text| text.to_string());
        let console = self.console_output();
        let last: Vec<&str> = console.lines().rev().take(8).collect();
        format!(
            "the panel showed: {shown}\nthe last console messages, newest first:\n{}",
            last.join("\n")
        )
    }

    /// Waits until the overlay's button with this `data-action` is there and may act (a guarded
    /// button waits until it has been seen; see `src/click_guard.rs`), then clicks it.
    pub fn click_action(&mut self, overlay: &Session, action: &str) {
        self.wait_overlay(
            overlay,
            &format!("the {action} button to take a click"),
            &click_if_ready(action),
        );
    }

    /// Waits until `script`, run in the page, returns something other than null or false.
    pub fn wait_page(&mut self, page: &Page, what: &str, script: &str) -> Value {
        let session = page.session.clone();
        self.0
            .wait_until(&session, what, script, PATIENCE)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The required lines of the checklist as the overlay shows them: scope id → `data-state`.
    pub fn checklist(&mut self, overlay: &Session) -> BTreeMap<String, String> {
        let lines: Vec<ChecklistLine> =
            serde_json::from_value(self.overlay_eval(overlay, READ_CHECKLIST))
                .expect("checklist lines");
        lines
            .into_iter()
            .filter(|line| !line.optional)
            .map(|line| (line.scope, line.state))
            .collect()
    }

    /// Waits until the overlay lists all eight required scopes and `okta.devices.manage` is in `state`.
    pub fn wait_devices_manage(
        &mut self,
        overlay: &Session,
        state: &str,
    ) -> BTreeMap<String, String> {
        self.wait_overlay(
            overlay,
            &format!("okta.devices.manage to show as {state}"),
            &format!(
                "document.querySelectorAll('[data-scope]:not([data-optional])').length === 8 && \
                 document.querySelector('[data-scope=\"okta.devices.manage\"]')?.dataset.state === '{state}'"
            ),
        );
        self.checklist(overlay)
    }

    /// Opens the Okta Workflows OAuth app's Okta API Scopes tab, and waits for the checklist to
    /// show `okta.devices.manage` missing and the page to mark its row and Grant button.
    pub fn open_scopes_tab(&mut self) -> (Page, Session) {
        let path = format!(
            "{}#tab-okta-api-scopes",
            testbed::server::WORKFLOWS_OAUTH_APP_PATH
        );
        let page = self.open(testbed::server::ADMIN_HOST, &path);
        let overlay = self.overlay(&page);
        self.wait_devices_manage(&overlay, "missing");
        self.wait_page(
            &page,
            "the highlight",
            "document.querySelectorAll('[data-okta-helper]').length === 2",
        );
        (page, overlay)
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

#[allow(unused_imports)] // only some test binaries click in a row
pub use testbed::session::click_in_row;

impl Harness {
    /// The extension's service worker, attached with its console recorded.
    pub fn worker(&mut self) -> Session {
        self.browser
            .service_worker(PATIENCE)
            .expect("the service worker runs")
    }

    /// The extension's id, from its service worker's URL.
    pub fn extension_id(&mut self) -> String {
        self.browser
            .extension_id(PATIENCE)
            .expect("an extension target")
    }

    /// Everything any attached page, frame or worker wrote to its console or threw, as text.
    pub fn console_output(&self) -> String {
        self.browser
            .events
            .iter()
            .filter(|e| {
                e["method"] == "Runtime.consoleAPICalled"
                    || e["method"] == "Runtime.exceptionThrown"
                    || e["method"] == "Log.entryAdded"
            })
            .map(|e| e["params"].to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Opens the Sign On tab of the Okta Workflows OAuth app and captures its credentials.
    pub fn capture(&mut self, query: &str) -> (Page, Session) {
        let path = format!(
            "{}{query}#tab-signon",
            testbed::server::WORKFLOWS_OAUTH_APP_PATH
        );
        let page = self.open(testbed::server::ADMIN_HOST, &path);
        let overlay = self.overlay(&page);
        self.wait_page(
            &page,
            "the secret to load",
            "document.querySelector('[name=client_secret]').value.length > 0",
        );
        self.click_action(&overlay, "capture");
        (page, overlay)
    }

    /// Captures on the Sign On tab and waits until the vault holds the credentials.
    pub fn capture_ready(&mut self) -> (Page, Session) {
        let (page, overlay) = self.capture("");
        self.wait_overlay(&overlay, "the capture", VAULT_READY);
        (page, overlay)
    }

    /// Opens the Workflows console on `host` and its New Connection dialog for `connector`.
    pub fn open_connection_dialog(
        &mut self,
        host: &str,
        query: &str,
        connector: &str,
    ) -> (Page, Session) {
        let page = self.open(host, &format!("/app/connections{query}"));
        self.wait_page(
            &page,
            "the Connections page",
            "document.querySelector('[data-se=\"new-connection\"]')",
        );
        self.page_eval(
            &page,
            "document.querySelector('[data-se=\"new-connection\"]').click()",
        );
        self.wait_page(
            &page,
            "the connector picker",
            &format!("document.querySelector('[data-connector=\"{connector}\"]')"),
        );
        self.page_eval(
            &page,
            &format!("document.querySelector('[data-connector=\"{connector}\"]').click()"),
        );
        self.wait_page(
            &page,
            "the connection dialog",
            "document.querySelector('[role=\"dialog\"]')",
        );
        let overlay = self.overlay(&page);
        (page, overlay)
    }

    /// The values of the connection dialog's inputs, by id.
    pub fn form(&mut self, page: &Page) -> BTreeMap<String, String> {
        let value = self.page_eval(
            page,
            "Object.fromEntries([...document.querySelectorAll('[role=\"dialog\"] input[id]')].map(i => [i.id, i.value]))",
        );
        serde_json::from_value(value).expect("form values")
    }

    /// What `chrome.storage.{area}` holds, as JSON text, read in the service worker.
    pub fn storage(&mut self, worker: &Session, area: &str) -> String {
        let value = self
            .browser
            .evaluate(
                worker,
                &format!("chrome.storage.{area}.get(null).then(items => JSON.stringify(items))"),
            )
            .unwrap_or_else(|e| panic!("could not read storage.{area}: {e}"));
        value.as_str().unwrap_or_default().to_owned()
    }
}
