//! The demo console and a browser with the extension, started together, with the few questions
//! the tests, the demo and the benchmark all ask: open a console page, find the overlay, read the
//! checklist it shows.

use crate::browser::{Browser, Error, LaunchOptions, Page, Result, Session};
use crate::server::{DemoServer, DEMO_HOSTS};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// One line of the overlay's checklist, as drawn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ChecklistLine {
    /// `data-scope`.
    pub scope: String,
    /// `data-state`: `granted`, `missing` or `unknown`.
    pub state: String,
    /// The label beside the scope, e.g. `auto-granted`.
    pub label: String,
    /// Whether only some of the connector's cards need it.
    pub optional: bool,
}

/// JavaScript, run in the overlay, that finds the button with this `data-action` once a click on
/// it may act: a guarded button carries `data-waiting` until the admin could have seen it (see
/// `src/click_guard.rs`), and a disabled one takes no click.
pub fn ready_button(action: &str) -> String {
    format!(
        "document.querySelector('[data-action=\"{action}\"]:not([data-waiting]):not([disabled])')"
    )
}

/// JavaScript, run in the overlay, that clicks the button with this `data-action` if a click on
/// it may act now (see [`ready_button`]) and returns when it clicked (ms since the epoch), else
/// null. Finding and clicking in one step matters: the guard may make the button wait again
/// between two separate calls (a re-render, a moved frame).
pub fn click_if_ready(action: &str) -> String {
    format!(
        "(button => button ? (at => (button.click(), at))(performance.timeOrigin + performance.now()) : null)({})",
        ready_button(action)
    )
}

/// JavaScript, run in the overlay, that says whether its Fill button is disabled ("true" or
/// "false", a text so that a wait takes either), or null while there is none. The panel may show
/// why a dialog will not be filled before it has heard from the vault, and offers the button only
/// once it has: a test that means to click the button waits for it.
pub const FILL_DISABLED: &str =
    "(button => button ? String(button.disabled) : null)(document.querySelector('[data-action=\"fill\"]'))";

/// JavaScript, run in the demo console's Scopes tab, that clicks the console's own Grant or Revoke
/// button (`button` is its `data-se`) in the row of `scope`.
pub fn click_in_row(scope: &str, button: &str) -> String {
    format!(
        "(() => {{ const row = [...document.querySelectorAll('[data-se=\"scope-row\"]')]\
            .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === '{scope}');\
          const button = row?.querySelector('[data-se=\"{button}\"]');\
          if (!button) throw new Error('no {button} in the row of {scope}');\
          button.click(); return true; }})()"
    )
}

/// JavaScript, run in a Workflows page, that puts a look-alike connection dialog into the page,
/// first in the document: `name` is its accessible name and `style` its CSS; its four inputs are
/// labelled as the real ones, with ids `spoof-…`.
pub fn plant_dialog(name: &str, style: &str) -> String {
    format!(
        "(() => {{\
           const dialog = document.createElement('div');\
           dialog.setAttribute('role', 'dialog'); dialog.setAttribute('aria-label', {name:?});\
           dialog.style.cssText = 'background:#fff;padding:8px;' + {style:?};\
           for (const [id, label, type] of [['nickname', 'Connection Nickname', 'text'], ['domain', 'Domain', 'text'],\
                                            ['clientId', 'Client ID', 'text'], ['clientSecret', 'Client Secret', 'password']]) {{\
             const l = document.createElement('label'); l.htmlFor = 'spoof-' + id; l.textContent = label;\
             const i = document.createElement('input'); i.id = 'spoof-' + id; i.type = type;\
             dialog.append(l, i);\
           }}\
           document.body.prepend(dialog);\
           return true;\
         }})()"
    )
}

/// JavaScript, run in the overlay frame, that gives the Diagnose section's answer once it has one
/// (else null): `{verdicts: [[name, text]…], problem, searched, reminders, findings: [[type,
/// known, text]…]}`.
pub const READ_DIAGNOSIS: &str = "(s => s && !s.querySelector('.busy') && s.querySelector('[data-action=\"diagnose\"]')\
    && (s.querySelector('.verdicts li') || s.querySelector('.diagnose-problem')) && {\
    verdicts: [...s.querySelectorAll('.verdicts li')].map(li => [li.dataset.verdict, li.textContent]),\
    problem: s.querySelector('.diagnose-problem')?.textContent ?? null,\
    searched: s.querySelector('.searched')?.textContent ?? null,\
    reminders: [...s.querySelectorAll('.reauthorize-reminder')].map(p => p.textContent),\
    findings: [...s.querySelectorAll('.findings li')].map(li => [li.dataset.eventType, li.dataset.known, li.textContent]),\
  })(document.querySelector('.diagnose'))";

/// The items of the list `key` of a [`READ_DIAGNOSIS`] answer, each joined with `|` when it has
/// parts.
pub fn diagnosis_items(answer: &Value, key: &str) -> Vec<String> {
    answer[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| match item {
            Value::Array(parts) => parts
                .iter()
                .map(|p| p.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("|"),
            other => other.as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// JavaScript, run in the overlay frame: whether its checklist is drawn and every required line
/// is verified by Okta's API (an empty panel is not "every line verified").
pub const VERIFIED: &str =
    "(lines => lines.length > 0 && lines.every(e => e.dataset.source === 'api'))\
    ([...document.querySelectorAll('[data-scope]:not([data-optional])')])";

/// JavaScript, run in the overlay frame, that reads its checklist as [`ChecklistLine`]s.
pub const READ_CHECKLIST: &str = "[...document.querySelectorAll('[data-scope]')].map(e => ({\
    scope: e.dataset.scope, state: e.dataset.state, label: e.querySelector('.badge')?.textContent ?? '',\
    optional: e.dataset.optional === 'true'}))";

/// JavaScript that resolves once `condition` holds in its page or frame, watched by a
/// MutationObserver (so that waiting does not keep poking the renderer being measured), with when
/// it first held (ms since the epoch, as `performance.timeOrigin + performance.now()` there), or
/// null after `timeout`. The same in every browser.
pub fn wait_inside_script(condition: &str, timeout: Duration) -> String {
    format!(
        "new Promise(resolve => {{\
           const now = () => performance.timeOrigin + performance.now();\
           const holds = () => {{ try {{ return !!({condition}); }} catch {{ return false; }} }};\
           if (holds()) return resolve(now());\
           const observer = new MutationObserver(() => {{ if (holds()) {{ observer.disconnect(); resolve(now()); }} }});\
           observer.observe(document, {{subtree: true, childList: true, attributes: true, characterData: true}});\
           setTimeout(() => {{ observer.disconnect(); resolve(holds() ? now() : null); }}, {});\
         }})",
        timeout.as_millis()
    )
}

/// The demo server and a browser with the extension loaded; both stop when dropped.
pub struct ConsoleSession {
    /// The browser (declared first, so it closes before the server stops).
    pub browser: Browser,
    /// The demo console.
    pub server: DemoServer,
}

impl ConsoleSession {
    /// Serves `www` and starts Chromium with the unpacked extension in `extension`.
    pub fn start(www: &Path, extension: &Path, headless: bool) -> Result<Self> {
        if !extension.join("manifest.json").exists() || !extension.join("pkg").exists() {
            return Err(Error(format!(
                "the built extension is missing from {}: run `cargo xtask build` first",
                extension.display()
            )));
        }
        let server = DemoServer::start(www)?;
        let browser = Browser::launch(&LaunchOptions {
            extension: Some(extension.to_path_buf()),
            hosts: DEMO_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            port: server.port(),
            headless,
            window: (1280, 900),
        })?;
        Ok(Self { browser, server })
    }

    /// Opens `https://{host}{path}` in a new tab and waits until it has loaded.
    pub fn open(&mut self, host: &str, path: &str, timeout: Duration) -> Result<Page> {
        self.open_url(&format!("https://{host}{path}"), timeout)
    }

    /// Opens any URL (an extension page, say) in a new tab and waits until it has loaded.
    pub fn open_url(&mut self, url: &str, timeout: Duration) -> Result<Page> {
        let page = self.browser.open(url)?;
        self.browser
            .wait_for("the console page to load", timeout, |b| {
                // A new tab starts on about:blank, "complete" before the real page commits.
                let loaded = b.evaluate(
                    &page.session,
                    "document.readyState === 'complete' && location.href !== 'about:blank'",
                )?;
                Ok((loaded == true).then_some(()))
            })?;
        Ok(page)
    }

    /// Waits until `script`, run in `session`, gives something other than null or false.
    pub fn wait_until(
        &mut self,
        session: &Session,
        what: &str,
        script: &str,
        timeout: Duration,
    ) -> Result<Value> {
        let session = session.clone();
        // DOM nodes cannot be returned by value; a found node counts as "yes".
        let script = format!("(found => found instanceof Node ? true : found)(({script}))");
        self.browser.wait_for(what, timeout, |b| {
            let value = b.evaluate(&session, &script)?;
            Ok((!value.is_null() && value != false).then_some(value))
        })
    }

    /// Waits, inside the page or frame of `session`, until the JavaScript expression `condition`
    /// holds: one call that a MutationObserver answers, so that waiting does not keep poking the
    /// renderer that is being measured. Returns when it first held (ms since the epoch, as
    /// `performance.timeOrigin + performance.now()` there).
    pub fn wait_inside(
        &mut self,
        session: &Session,
        what: &str,
        condition: &str,
        timeout: Duration,
    ) -> Result<f64> {
        let script = wait_inside_script(condition, timeout);
        self.browser
            .evaluate(session, &script)?
            .as_f64()
            .ok_or_else(|| Error(format!("timed out waiting for {what}")))
    }

    /// The overlay's checklist, once it lists every required scope of the Okta Devices connector.
    pub fn checklist(
        &mut self,
        overlay: &Session,
        timeout: Duration,
    ) -> Result<Vec<ChecklistLine>> {
        self.wait_until(
            overlay,
            "the overlay's checklist",
            "document.querySelectorAll('[data-scope]:not([data-optional])').length === 8",
            timeout,
        )?;
        let lines = self.browser.evaluate(overlay, READ_CHECKLIST)?;
        Ok(serde_json::from_value(lines)?)
    }
}
