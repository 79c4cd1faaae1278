//! A real Firefox (Debian's `firefox-esr`) with the extension installed as a temporary add-on,
//! driven over WebDriver BiDi, which Firefox speaks natively: no geckodriver in between.
//!
//! BiDi reaches what the tests must read: every frame is a browsing context, the overlay's
//! extension frame inside its closed shadow root included, and scripts run in any of them.
//!
//! Firefox has no `--host-resolver-rules`, so the demo host names reach the demo server through
//! [`LoopbackProxy`], a CONNECT proxy on loopback that tunnels only the demo hosts' port 443 to the
//! server and refuses everything else: as with Chromium, nothing leaves the machine. Firefox's own
//! background traffic (updates, telemetry, safe browsing, remote settings) is switched off by the
//! profile, and would be refused by the proxy anyway.

use crate::browser::{Error, Result};
use crate::server::{DemoServer, DEMO_HOSTS};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tungstenite::{Message as WsMessage, WebSocket};

/// Where Debian puts Firefox ESR.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// The helper's add-on id in Firefox (the Firefox package's `browser_specific_settings`).
pub const EXTENSION_ID: &str = "okta-devices-helper@okta-devices-helper.github.io";

/// The address the profile gives the installed helper: `moz-extension://{EXTENSION_UUID}/`.
pub const EXTENSION_UUID: &str = "6f1d2a3b-0c4e-4f5a-9b8c-7d6e5f4a3b2c";

/// A CONNECT proxy on loopback that tunnels the allowed host names' HTTPS to one local port and
/// refuses every other request. It stops with the process; each tunnel is two copying threads.
pub struct LoopbackProxy {
    port: u16,
}

impl LoopbackProxy {
    /// Listens on a free loopback port and tunnels `hosts`' port 443 to `target_port`.
    pub fn start(hosts: &[&str], target_port: u16) -> Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let port = listener.local_addr()?.port();
        let hosts: Vec<String> = hosts.iter().map(|host| host.to_ascii_lowercase()).collect();
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(std::io::Result::ok) {
                let hosts = hosts.clone();
                std::thread::spawn(move || {
                    let _ = tunnel(client, &hosts, target_port);
                });
            }
        });
        Ok(Self { port })
    }

    /// The proxy's loopback port.
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// Reads one request head; a `CONNECT {allowed host}:443` is answered 200 and piped to the
/// target, anything else 403.
fn tunnel(client: TcpStream, hosts: &[String], target_port: u16) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut client = client;
    let mut parts = request_line.split_whitespace();
    let allowed = match (parts.next(), parts.next()) {
        (Some("CONNECT"), Some(authority)) => authority
            .to_ascii_lowercase()
            .strip_suffix(":443")
            .is_some_and(|host| hosts.iter().any(|allowed| allowed == host)),
        _ => false,
    };
    if !allowed {
        client.write_all(
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return client.shutdown(Shutdown::Both);
    }
    let server = TcpStream::connect(("127.0.0.1", target_port))?;
    client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")?;
    // Anything the client sent after the head (the TLS hello, usually not yet) goes first.
    let early = reader.buffer().to_vec();
    let mut to_server = server.try_clone()?;
    to_server.write_all(&early)?;
    let mut from_client = client.try_clone()?;
    let upstream = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
        let _ = to_server.shutdown(Shutdown::Write);
    });
    let mut from_server = server;
    let _ = std::io::copy(&mut from_server, &mut client);
    let _ = client.shutdown(Shutdown::Write);
    let _ = upstream.join();
    Ok(())
}

/// The profile's preferences: the proxy, and none of Firefox's own network traffic.
fn user_prefs(proxy_port: u16) -> String {
    let uuids = json!({crate::firefox::EXTENSION_ID: EXTENSION_UUID}).to_string();
    let prefs: [(&str, Value); 31] = [
        ("devtools.console.stdout.chrome", json!(true)),
        ("devtools.console.stdout.content", json!(true)),
        // The extension's address is random per installation; fixed here so tests can open its
        // pages.
        ("extensions.webextensions.uuids", json!(uuids)),
        // MV3 host permissions granted at installation, as the install prompt does.
        ("extensions.originControls.grantByDefault", json!(true)),
        ("network.proxy.type", json!(1)),
        ("network.proxy.http", json!("127.0.0.1")),
        ("network.proxy.http_port", json!(proxy_port)),
        ("network.proxy.ssl", json!("127.0.0.1")),
        ("network.proxy.ssl_port", json!(proxy_port)),
        ("network.proxy.no_proxies_on", json!("")),
        ("network.proxy.allow_hijacking_localhost", json!(true)),
        ("network.proxy.socks_remote_dns", json!(true)),
        ("network.dns.disablePrefetch", json!(true)),
        ("network.http.speculative-parallel-limit", json!(0)),
        ("network.captive-portal-service.enabled", json!(false)),
        ("network.connectivity-service.enabled", json!(false)),
        ("app.update.disabledForTesting", json!(true)),
        ("app.normandy.enabled", json!(false)),
        ("browser.safebrowsing.malware.enabled", json!(false)),
        ("browser.safebrowsing.phishing.enabled", json!(false)),
        ("browser.safebrowsing.downloads.enabled", json!(false)),
        ("browser.shell.checkDefaultBrowser", json!(false)),
        ("browser.startup.homepage_override.mstone", json!("ignore")),
        ("browser.newtabpage.enabled", json!(false)),
        ("datareporting.policy.dataSubmissionEnabled", json!(false)),
        ("toolkit.telemetry.enabled", json!(false)),
        ("services.settings.server", json!("https://127.0.0.1:9/")),
        ("extensions.getAddons.cache.enabled", json!(false)),
        ("extensions.update.enabled", json!(false)),
        ("extensions.systemAddon.update.enabled", json!(false)),
        // Show a refused certificate as a page, not a dialog; the session accepts the demo's.
        ("security.certerrors.mitm.priming.enabled", json!(false)),
    ];
    prefs
        .iter()
        .map(|(name, value)| format!("user_pref(\"{name}\", {value});\n"))
        .collect()
}

/// A browsing context (a tab or a frame) of the BiDi session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context(pub String);

/// A running Firefox with a BiDi session; it is killed when dropped.
pub struct Firefox {
    child: Child,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// BiDi events received while waiting for replies, oldest first.
    pub events: Vec<Value>,
    console: Arc<Mutex<String>>,
    _profile: tempfile::TempDir,
}

impl Drop for Firefox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Firefox {
    /// Starts Firefox with its traffic through the proxy on `proxy_port`, and opens a BiDi
    /// session that accepts the demo's self-signed certificate.
    pub fn launch(proxy_port: u16, headless: bool, window: (u32, u32)) -> Result<Self> {
        let profile = tempfile::tempdir()?;
        std::fs::write(profile.path().join("user.js"), user_prefs(proxy_port))?;
        let mut command = Command::new(FIREFOX);
        command
            .arg("--profile")
            .arg(profile.path())
            .args(["--no-remote", "--remote-debugging-port", "0"])
            .arg(format!("--window-size={},{}", window.0, window.1))
            .env("MOZ_CRASHREPORTER_DISABLE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if headless {
            command.arg("--headless");
        }
        let mut child = command.spawn().map_err(|error| {
            Error(format!(
                "could not start {FIREFOX} ({error}); run `cargo xtask setup` to install it"
            ))
        })?;
        let console = collect_console(&mut child);
        let address = match bidi_address(&mut child) {
            Ok(address) => address,
            Err(error) => {
                let _ = child.kill();
                return Err(error);
            }
        };
        let stream = TcpStream::connect(&address)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let (socket, _) = tungstenite::client(format!("ws://{address}/session"), stream)
            .map_err(|error| Error(format!("BiDi handshake: {error}")))?;
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))?;
        let mut firefox = Self {
            child,
            socket,
            next_id: 0,
            events: Vec::new(),
            console,
            _profile: profile,
        };
        firefox.send(
            "session.new",
            json!({"capabilities": {"alwaysMatch": {"acceptInsecureCerts": true}}}),
        )?;
        Ok(firefox)
    }

    /// Everything Firefox has written to its standard output so far: with the profile's
    /// `devtools.console.stdout.*` preferences, every console message of every page, frame and
    /// extension context, the background included.
    pub fn console_output(&self) -> String {
        self.console
            .lock()
            .map(|text| text.clone())
            .unwrap_or_default()
    }

    /// Sends one BiDi command and waits for its result.
    pub fn send(&mut self, method: &str, params: Value) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let command = json!({"id": id, "method": method, "params": params});
        self.socket.send(WsMessage::text(command.to_string()))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if Instant::now() > deadline {
                return Err(Error(format!("no reply to {method} within 30 s")));
            }
            let message = match self.socket.read() {
                Ok(WsMessage::Text(text)) => serde_json::from_str::<Value>(&text)?,
                Ok(_) => continue,
                Err(tungstenite::Error::Io(error))
                    if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                {
                    continue
                }
                Err(error) => return Err(error.into()),
            };
            if message["id"] == id {
                if message["type"] == "error" {
                    return Err(Error(format!(
                        "{method}: {} {}",
                        message["error"].as_str().unwrap_or("error"),
                        message["message"].as_str().unwrap_or("")
                    )));
                }
                return Ok(message["result"].clone());
            }
            if message["type"] == "event" {
                self.events.push(message);
            }
        }
    }

    /// The CPU time all of this Firefox's processes (the parent and every child, all threads)
    /// have had so far, in ms, from Linux's scheduler statistics (nanoseconds, unlike the clock
    /// ticks of `/proc/<pid>/stat`).
    pub fn cpu_ms(&self) -> Result<f64> {
        let root = self.child.id();
        let mut parents = std::collections::HashMap::new();
        for entry in std::fs::read_dir("/proc")?.map_while(std::io::Result::ok) {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|name| name.parse::<u32>().ok())
            else {
                continue;
            };
            // The parent is the fourth field, after the command name in parentheses.
            let ppid = std::fs::read_to_string(entry.path().join("stat"))
                .ok()
                .and_then(|stat| {
                    let after_name = stat.rsplit_once(')')?.1.to_owned();
                    after_name.split_whitespace().nth(1)?.parse::<u32>().ok()
                });
            if let Some(ppid) = ppid {
                parents.insert(pid, ppid);
            }
        }
        let in_tree = |mut pid: u32| loop {
            if pid == root {
                return true;
            }
            match parents.get(&pid) {
                Some(&parent) if parent != pid && parent != 0 => pid = parent,
                _ => return false,
            }
        };
        let mut nanoseconds = 0u64;
        for &pid in parents.keys().filter(|&&pid| in_tree(pid)) {
            let Ok(threads) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
                continue; // it ended meanwhile
            };
            for thread in threads.map_while(std::io::Result::ok) {
                nanoseconds += std::fs::read_to_string(thread.path().join("schedstat"))
                    .ok()
                    .and_then(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
        Ok(nanoseconds as f64 / 1e6)
    }

    /// Installs the unpacked extension in `dir` as a temporary add-on; returns its id.
    pub fn install_extension(&mut self, dir: &Path) -> Result<String> {
        let result = self.send(
            "webExtension.install",
            json!({"extensionData": {"type": "path", "path": dir.display().to_string()}}),
        )?;
        result["extension"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error(format!("webExtension.install gave no id: {result}")))
    }

    /// Opens a new tab at `url`, waiting until its document has loaded.
    pub fn open(&mut self, url: &str) -> Result<Context> {
        let created = self.send("browsingContext.create", json!({"type": "tab"}))?;
        let context = Context(
            created["context"]
                .as_str()
                .ok_or_else(|| Error("no context for the new tab".into()))?
                .to_owned(),
        );
        self.navigate(&context, url)?;
        Ok(context)
    }

    /// Navigates a tab to `url`, waiting until its document has loaded.
    pub fn navigate(&mut self, context: &Context, url: &str) -> Result<()> {
        self.send(
            "browsingContext.navigate",
            json!({"context": context.0, "url": url, "wait": "complete"}),
        )?;
        Ok(())
    }

    /// Evaluates JavaScript in a context's page (awaiting promises) and returns its JSON value;
    /// a thrown exception is an error with its text.
    pub fn evaluate(&mut self, context: &Context, expression: &str) -> Result<Value> {
        self.evaluate_as(context, expression, false)
    }

    /// Like [`Firefox::evaluate`]; with `user_activation`, as if the user had just interacted
    /// with the page (so that it may open a window, say).
    pub fn evaluate_as(
        &mut self,
        context: &Context,
        expression: &str,
        user_activation: bool,
    ) -> Result<Value> {
        // DOM nodes cannot cross as JSON; a found node counts as "yes".
        let result = self.send(
            "script.evaluate",
            json!({
                "expression": format!(
                    "(async () => JSON.stringify((found => found instanceof Node ? true : found)(await ({expression}))))()"
                ),
                "target": {"context": context.0},
                "awaitPromise": true,
                "resultOwnership": "none",
                "userActivation": user_activation,
            }),
        )?;
        if result["type"] == "exception" {
            return Err(Error(format!(
                "script threw: {}",
                result["exceptionDetails"]["text"].as_str().unwrap_or("?")
            )));
        }
        match result["result"]["value"].as_str() {
            Some(text) => Ok(serde_json::from_str(text)?),
            None => Ok(Value::Null), // `undefined`
        }
    }

    /// Every top-level browsing context (tab) with its URL.
    pub fn tabs(&mut self) -> Result<Vec<(Context, String)>> {
        let tree = self.send("browsingContext.getTree", json!({"maxDepth": 0}))?;
        Ok(tree["contexts"]
            .as_array()
            .map(|contexts| {
                contexts
                    .iter()
                    .filter_map(|node| {
                        Some((
                            Context(node["context"].as_str()?.to_owned()),
                            node["url"].as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Every frame under a tab, depth first, with its URL.
    pub fn frames(&mut self, tab: &Context) -> Result<Vec<(Context, String)>> {
        let tree = self.send("browsingContext.getTree", json!({"root": tab.0}))?;
        let mut found = Vec::new();
        let mut pending: Vec<Value> = tree["contexts"].as_array().cloned().unwrap_or_default();
        while let Some(node) = pending.pop() {
            if let Some(children) = node["children"].as_array() {
                pending.extend(children.iter().cloned());
            }
            if let (Some(id), Some(url)) = (node["context"].as_str(), node["url"].as_str()) {
                if id != tab.0 {
                    found.push((Context(id.to_owned()), url.to_owned()));
                }
            }
        }
        Ok(found)
    }

    /// Evaluates `expression` in `context` until it gives a truthy value, and returns it.
    pub fn wait_until(
        &mut self,
        context: &Context,
        what: &str,
        expression: &str,
        patience: Duration,
    ) -> Result<Value> {
        let deadline = Instant::now() + patience;
        let mut last = Value::Null;
        while Instant::now() < deadline {
            match self.evaluate(context, expression) {
                Ok(value) if truthy(&value) => return Ok(value),
                Ok(value) => last = value,
                Err(error) => last = json!(error.0),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(Error(format!(
            "{what}: not within {patience:?} (last: {last})"
        )))
    }

    /// Moves the mouse to a point of a tab's viewport and clicks there, as a person would.
    pub fn click_at(&mut self, tab: &Context, (x, y): (f64, f64)) -> Result<()> {
        self.send(
            "input.performActions",
            json!({"context": tab.0, "actions": [{"type": "pointer", "id": "mouse",
                "parameters": {"pointerType": "mouse"},
                "actions": [
                    {"type": "pointerMove", "x": x.round() as i64, "y": y.round() as i64, "duration": 0},
                    {"type": "pointerDown", "button": 0},
                    {"type": "pointerUp", "button": 0},
                ]}]}),
        )?;
        Ok(())
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(yes) => *yes,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// Reads Firefox's stderr until it names its BiDi address ("WebDriver BiDi listening on
/// ws://127.0.0.1:PORT"), and keeps draining it afterwards.
/// Collects Firefox's standard output (its console messages) as it comes, echoing it when
/// `FIREFOX_STDOUT` is set.
fn collect_console(child: &mut Child) -> Arc<Mutex<String>> {
    let console = Arc::new(Mutex::new(String::new()));
    if let Some(stdout) = child.stdout.take() {
        let collected = Arc::clone(&console);
        let echo = std::env::var_os("FIREFOX_STDOUT").is_some();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout)
                .lines()
                .map_while(std::io::Result::ok)
            {
                if echo {
                    // Asked for by FIREFOX_STDOUT, to watch a run.
                    #[allow(clippy::print_stdout)]
                    {
                        println!("{line}");
                    }
                }
                if let Ok(mut text) = collected.lock() {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        });
    }
    console
}

fn bidi_address(child: &mut Child) -> Result<String> {
    let stderr = child
        .stderr
        .take()
        .ok_or_else(|| Error("Firefox's stderr is not piped".into()))?;
    let (found_tx, found_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stderr).lines();
        for line in lines.by_ref().map_while(std::io::Result::ok) {
            if let Some(address) = line
                .split("WebDriver BiDi listening on ws://")
                .nth(1)
                .map(|rest| rest.trim().trim_end_matches('/').to_owned())
            {
                let _ = found_tx.send(address);
                break;
            }
        }
        // Keep the pipe open and empty so Firefox never blocks writing to it.
        for _ in lines.map_while(std::io::Result::ok) {}
    });
    found_rx
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| Error("Firefox did not start its BiDi server within 60 s".into()))
}

/// The demo consoles and a Firefox with the helper installed, started together; both stop when
/// dropped. The Firefox side of [`crate::session::ConsoleSession`].
pub struct FirefoxSession {
    /// The browser (declared first, so it closes before the server stops).
    pub firefox: Firefox,
    /// The demo console.
    pub server: DemoServer,
    proxy: LoopbackProxy,
}

impl FirefoxSession {
    /// Serves `www` and starts Firefox with the unpacked Firefox package in `extension` installed
    /// as a temporary add-on.
    pub fn start(www: &Path, extension: &Path, headless: bool) -> Result<Self> {
        if !extension.join("manifest.json").exists() || !extension.join("pkg").exists() {
            return Err(Error(format!(
                "the Firefox package is missing from {}: run `cargo xtask package` first",
                extension.display()
            )));
        }
        let server = DemoServer::start(www)?;
        let proxy = LoopbackProxy::start(&DEMO_HOSTS, server.port())?;
        let mut firefox = Firefox::launch(proxy.port(), headless, (1280, 900))?;
        let id = firefox.install_extension(extension)?;
        if id != EXTENSION_ID {
            return Err(Error(format!(
                "the add-on installed as {id}, not {EXTENSION_ID}"
            )));
        }
        Ok(Self {
            firefox,
            server,
            proxy,
        })
    }

    /// Opens `https://{host}{path}` in a new tab and waits until it has loaded.
    pub fn open(&mut self, host: &str, path: &str) -> Result<Context> {
        self.firefox.open(&format!("https://{host}{path}"))
    }

    /// The loopback proxy's port, for another Firefox on the same demo consoles.
    pub fn proxy_port(&self) -> u16 {
        self.proxy.port()
    }

    /// The overlay frame in `tab`, once it has drawn.
    pub fn overlay(&mut self, tab: &Context, patience: Duration) -> Result<Context> {
        let deadline = Instant::now() + patience;
        let overlay_url = format!("moz-extension://{EXTENSION_UUID}/overlay.html");
        loop {
            let frame = self
                .firefox
                .frames(tab)?
                .into_iter()
                .find(|(_, url)| url.starts_with(&overlay_url))
                .map(|(context, _)| context);
            if let Some(frame) = frame {
                let drawn = self
                    .firefox
                    .evaluate(
                        &frame,
                        "document.getElementById('root')?.childElementCount > 0",
                    )
                    .unwrap_or(Value::Null);
                if drawn == true {
                    return Ok(frame);
                }
            }
            if Instant::now() > deadline {
                return Err(Error(format!(
                    "no overlay drew in the tab within {patience:?}"
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits, inside `context`, until the JavaScript expression `condition` holds; returns when
    /// it first held (see [`crate::session::wait_inside_script`]).
    pub fn wait_inside(
        &mut self,
        context: &Context,
        what: &str,
        condition: &str,
        timeout: Duration,
    ) -> Result<f64> {
        let script = crate::session::wait_inside_script(condition, timeout);
        self.firefox
            .evaluate(context, &script)?
            .as_f64()
            .ok_or_else(|| Error(format!("timed out waiting for {what}")))
    }

    /// Opens the toolbar popup's page in a tab of its own (a script cannot click the toolbar),
    /// from `overlay`, an extension page that may open it, and returns it once it has drawn.
    pub fn popup(&mut self, overlay: &Context, patience: Duration) -> Result<Context> {
        self.extension_page(overlay, "popup.html", "#root h1", patience)
    }

    /// Opens one of the extension's pages (`popup.html`, `options.html`) in a tab of its own,
    /// from `opener`, an extension page (BiDi may not navigate a tab to an extension address),
    /// closing any earlier tab of it; returns it once `drawn` (a selector) is there.
    pub fn extension_page(
        &mut self,
        opener: &Context,
        file: &str,
        drawn: &str,
        patience: Duration,
    ) -> Result<Context> {
        let page_url = format!("moz-extension://{EXTENSION_UUID}/{file}");
        for (context, url) in self.firefox.tabs()? {
            if url.starts_with(&page_url) {
                self.firefox
                    .send("browsingContext.close", json!({"context": context.0}))?;
            }
        }
        self.firefox.evaluate_as(
            opener,
            &format!("(window.open(chrome.runtime.getURL({file:?})), true)"),
            true,
        )?;
        let deadline = Instant::now() + patience;
        loop {
            let page = self
                .firefox
                .tabs()?
                .into_iter()
                .find(|(_, url)| url.starts_with(&page_url))
                .map(|(context, _)| context);
            if let Some(page) = page {
                let ready = self
                    .firefox
                    .evaluate(
                        &page,
                        &format!("document.querySelector({drawn:?}) !== null"),
                    )
                    .unwrap_or(Value::Null);
                if ready == true {
                    return Ok(page);
                }
            }
            if Instant::now() > deadline {
                return Err(Error(format!("{file} did not open within {patience:?}")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
