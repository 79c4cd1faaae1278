//! The Firefox harness of the end-to-end tests: the demo consoles and Firefox ESR with the
//! Firefox package installed (see `testbed::firefox`), with the few steps every Firefox scenario
//! takes. The Firefox-only step, opening the toolbar's popup and answering its question, lives
//! here, never in a test.

#![allow(dead_code)] // each test binary uses its own share of these helpers

use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;
use testbed::firefox::{Context, FirefoxSession};
use testbed::server::{ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH};
use testbed::session::READ_CHECKLIST;

pub const PATIENCE: Duration = Duration::from_secs(20);

pub use testbed::session::VERIFIED;

/// What the toolbar asks before the API grant of `okta.devices.manage`.
pub const GRANT_QUESTION: &str =
    "Grant okta.devices.manage to the Okta Workflows OAuth app through Okta's API";

/// The vault holds captured credentials.
pub const VAULT_READY: &str = "document.querySelector('[data-vault]')?.dataset.vault === 'ready'";

pub struct Harness(pub FirefoxSession);

impl Harness {
    pub fn start() -> Self {
        let root = testbed::workspace_root();
        Self(
            FirefoxSession::start(
                &root.join("www"),
                &root.join("dist/firefox-extension"),
                true,
            )
            .unwrap_or_else(|e| panic!("could not start the demo console and Firefox: {e}")),
        )
    }

    pub fn open(&mut self, host: &str, path: &str) -> Context {
        self.0
            .open(host, path)
            .unwrap_or_else(|e| panic!("{host}{path} did not load: {e}"))
    }

    pub fn overlay(&mut self, tab: &Context) -> Context {
        self.0
            .overlay(tab, PATIENCE)
            .unwrap_or_else(|e| panic!("the overlay: {e}"))
    }

    pub fn eval(&mut self, context: &Context, script: &str) -> Value {
        self.0
            .firefox
            .evaluate(context, script)
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    pub fn wait(&mut self, context: &Context, what: &str, script: &str) -> Value {
        self.0
            .firefox
            .wait_until(context, what, script, PATIENCE)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Clicks the overlay's button `action` once it is ready.
    pub fn click(&mut self, overlay: &Context, action: &str) {
        let ready = format!("document.querySelector('[data-action=\"{action}\"]:not([disabled])')");
        self.wait(overlay, &format!("the {action} button"), &ready);
        self.eval(overlay, &format!("({ready}).click()"));
    }

    /// The toolbar's question, answered: opens the popup, checks it asks `what` about `host`,
    /// and clicks Confirm or Decline.
    pub fn answer_in_toolbar(&mut self, overlay: &Context, host: &str, what: &str, yes: bool) {
        let popup = self
            .0
            .popup(overlay, PATIENCE)
            .unwrap_or_else(|e| panic!("the popup: {e}"));
        let asked = self.wait(
            &popup,
            "the toolbar's question",
            "(q => q && {text: q.textContent, id: q.dataset.question})(document.querySelector('.question'))",
        );
        let text = asked["text"].as_str().unwrap_or_default();
        assert!(
            text.contains(&format!("The helper's panel on {host} asks:")),
            "{text}"
        );
        assert!(text.contains(what), "{text} should ask {what}");
        let button = if yes { "confirm" } else { "decline" };
        self.eval(
            &popup,
            &format!("document.querySelector('.question [data-action=\"{button}\"]').click()"),
        );
        self.wait(
            &popup,
            "the question to be answered",
            "document.querySelector('.question') === null",
        );
    }

    /// Clicks an acting button, checks that it waits for the toolbar and that nothing happened
    /// yet, and confirms it there.
    pub fn click_and_confirm(&mut self, overlay: &Context, action: &str, host: &str, what: &str) {
        self.click(overlay, action);
        let waiting = self.wait(
            overlay,
            "the panel to send the admin to the toolbar",
            "document.querySelector('.outcome[data-outcome=\"waiting\"]')?.textContent",
        );
        assert!(
            waiting
                .as_str()
                .is_some_and(|t| t.starts_with("Confirm in the toolbar")),
            "{waiting}"
        );
        self.answer_in_toolbar(overlay, host, what, true);
    }

    /// Clicks the grant's confirmation (`action`), confirms it in the toolbar, and waits until
    /// the API has verified `okta.devices.manage` granted and every other line.
    pub fn confirm_grant(&mut self, overlay: &Context, action: &str) {
        self.click_and_confirm(overlay, action, ADMIN_HOST, GRANT_QUESTION);
        self.wait_granted(overlay);
    }

    /// Waits until the API has verified `okta.devices.manage` granted, and every other line.
    pub fn wait_granted(&mut self, overlay: &Context) {
        self.wait(
            overlay,
            "okta.devices.manage granted",
            &format!("{DEVICES_MANAGE_IS} === 'granted'"),
        );
        self.wait(overlay, "every line verified after the grant", VERIFIED);
    }

    pub fn checklist(&mut self, overlay: &Context) -> BTreeMap<String, String> {
        let lines = self.eval(overlay, READ_CHECKLIST);
        lines
            .as_array()
            .into_iter()
            .flatten()
            .map(|line| {
                (
                    line["scope"].as_str().unwrap_or_default().to_owned(),
                    line["state"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// Opens the Scopes tab and waits until Okta's API has verified every line.
    pub fn open_scopes_tab(&mut self) -> (Context, Context) {
        let path = format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes");
        let tab = self.open(ADMIN_HOST, &path);
        let overlay = self.overlay(&tab);
        self.wait(&overlay, "every line verified by the API", VERIFIED);
        (tab, overlay)
    }

    /// Opens the Sign On tab and waits until its secret is on the page.
    pub fn open_sign_on_tab(&mut self) -> (Context, Context) {
        let tab = self.open(
            ADMIN_HOST,
            &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-signon"),
        );
        let overlay = self.overlay(&tab);
        self.wait(
            &tab,
            "the secret to load",
            "document.querySelector('[name=client_secret]').value.length > 0",
        );
        (tab, overlay)
    }

    /// Opens the Sign On tab and captures, confirmed in the toolbar.
    pub fn capture_ready(&mut self) -> Context {
        let (_, overlay) = self.open_sign_on_tab();
        self.click_and_confirm(&overlay, "capture", ADMIN_HOST, "Capture for Workflows");
        self.wait(&overlay, "the capture", VAULT_READY);
        overlay
    }

    /// Changes the options page as `change` says (after `loaded` holds) and saves, from an
    /// extension page `opener`; waits for the status to say `saved`.
    pub fn set_options(&mut self, opener: &Context, loaded: &str, change: &str, saved: &str) {
        let options = self
            .0
            .extension_page(opener, "options.html", "#options", PATIENCE)
            .unwrap_or_else(|e| panic!("the options page: {e}"));
        self.wait(
            &options,
            "the options",
            &format!("document.getElementById('options').dataset.loaded === 'true' && ({loaded})"),
        );
        self.eval(
            &options,
            &format!(
                "({change}, document.querySelector('#options button[type=submit]').click(), true)"
            ),
        );
        let saved_script =
            format!("document.getElementById('status').textContent.includes({saved:?})");
        if let Err(error) =
            self.0
                .firefox
                .wait_until(&options, "the options to save", &saved_script, PATIENCE)
        {
            let status = self.eval(&options, "document.getElementById('status').textContent");
            panic!("{error}; the options page says: {status}");
        }
    }

    /// What `chrome.storage.{area}` holds, as JSON text, read in the extension's popup page
    /// (Firefox gives an extension frame inside a web page no session storage), opened from
    /// `overlay`.
    pub fn storage(&mut self, overlay: &Context, area: &str) -> String {
        let popup = self
            .0
            .popup(overlay, PATIENCE)
            .unwrap_or_else(|e| panic!("the popup: {e}"));
        let value = self.eval(
            &popup,
            &format!("chrome.storage.{area}.get(null).then(items => JSON.stringify(items))"),
        );
        value.as_str().unwrap_or_default().to_owned()
    }
}

/// Waits until the checklist shows `okta.devices.manage` as `state`.
pub const DEVICES_MANAGE_IS: &str =
    "document.querySelector('[data-scope=\"okta.devices.manage\"]')?.dataset.state";

/// Opens the Okta Devices connection dialog on a Workflows console, and its overlay.
pub fn open_connection_dialog(h: &mut Harness, host: &str) -> (Context, Context) {
    open_dialog(h, host, "", "Okta Devices")
}

/// Opens `connector`'s New Connection dialog on the Workflows console `host` (with the demo's
/// `query` switches), and its overlay.
pub fn open_dialog(
    h: &mut Harness,
    host: &str,
    query: &str,
    connector: &str,
) -> (Context, Context) {
    let tab = h.open(host, &format!("/app/connections{query}"));
    h.wait(
        &tab,
        "the Connections page",
        "document.querySelector('[data-se=\"new-connection\"]')",
    );
    h.eval(
        &tab,
        "document.querySelector('[data-se=\"new-connection\"]').click()",
    );
    h.wait(
        &tab,
        "the connector picker",
        "document.querySelector('[data-connector=\"Okta Devices\"]')",
    );
    let connector = format!("document.querySelector('[data-connector=\"{connector}\"]')");
    h.eval(&tab, &format!("({connector}.click(), true)"));
    h.wait(
        &tab,
        "the connection dialog",
        "document.querySelector('[role=\"dialog\"]')",
    );
    let overlay = h.overlay(&tab);
    (tab, overlay)
}
