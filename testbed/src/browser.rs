//! A real Chromium with the unpacked extension loaded, driven over the DevTools protocol (CDP).
//!
//! CDP rather than WebDriver because the tests must look inside places WebDriver cannot reach:
//! the overlay is an extension frame inside a closed shadow root, and the page agent runs in the
//! extension's isolated world. CDP reaches both as targets and execution contexts. Only a handful
//! of commands are needed, so this is a small blocking client over one WebSocket (tungstenite) in
//! CDP's flat session mode, not a generated binding of the whole protocol.
//!
//! Launch flags follow the checked recipe: host names are mapped to the loopback demo server with
//! `--host-resolver-rules`, ending in `MAP * ~NOTFOUND` so nothing ever leaves the machine.

use serde_json::{json, Value};
use std::io::ErrorKind;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message as WsMessage, WebSocket};

/// Where Debian puts Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// An error from the browser or from driving it.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Self(format!("io: {error}"))
    }
}

impl From<tungstenite::Error> for Error {
    fn from(error: tungstenite::Error) -> Self {
        Self(format!("websocket: {error}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Self(format!("json: {error}"))
    }
}

/// Results of driving the browser.
pub type Result<T> = std::result::Result<T, Error>;

/// How to start Chromium.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    /// The unpacked extension to load, if any.
    pub extension: Option<PathBuf>,
    /// Host names to map to the demo server.
    pub hosts: Vec<String>,
    /// The demo server's loopback port.
    pub port: u16,
    /// Run without a window.
    pub headless: bool,
    /// Window size in CSS pixels.
    pub window: (u32, u32),
}

/// A CDP session attached to one target (a page, a frame, a worker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session(pub String);

/// A running Chromium; it is killed when dropped.
pub struct Browser {
    child: ChildGuard,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// CDP events received while waiting for replies, oldest first.
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium and connects to it.
    pub fn launch(options: &LaunchOptions) -> Result<Self> {
        let profile = tempfile::tempdir()?;
        let mut rules: Vec<String> = options
            .hosts
            .iter()
            .map(|host| format!("MAP {host} 127.0.0.1:{}", options.port))
            .collect();
        rules.push("MAP * ~NOTFOUND".to_owned());
        let mut command = Command::new(CHROMIUM);
        command
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("--remote-debugging-port=0")
            .arg(format!("--host-resolver-rules={}", rules.join(", ")))
            .arg(format!(
                "--window-size={},{}",
                options.window.0, options.window.1
            ))
            .args([
                "--ignore-certificate-errors",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--no-first-run",
                "--no-default-browser-check",
                "--password-store=basic",
            ]);
        if options.headless {
            command.arg("--headless=new");
        }
        if let Some(extension) = &options.extension {
            command
                .arg(format!("--load-extension={}", extension.display()))
                .arg(format!(
                    "--disable-extensions-except={}",
                    extension.display()
                ));
        }
        command
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command.spawn().map_err(|error| {
            Error(format!(
                "could not start {CHROMIUM} ({error}); run `cargo xtask setup` to install it"
            ))
        })?;
        let child = ChildGuard(Some(child));
        let (port, path) = wait_for_devtools(profile.path())?;
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let (socket, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream)
            .map_err(|error| Error(format!("devtools handshake: {error}")))?;
        // From here on, reads wake up regularly so that waits can check their deadlines.
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))?;
        Ok(Self {
            child,
            socket,
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        })
    }

    /// Sends one CDP command and waits for its reply.
    pub fn send(
        &mut self,
        session: Option<&Session>,
        method: &str,
        params: Value,
    ) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            command["sessionId"] = json!(session.0);
        }
        self.socket.send(WsMessage::text(command.to_string()))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if Instant::now() > deadline {
                return Err(Error(format!("no reply to {method} within 30 s")));
            }
            let Some(message) = self.receive()? else {
                continue;
            };
            if message["id"] == id {
                if let Some(error) = message.get("error") {
                    return Err(Error(format!("{method}: {error}")));
                }
                return Ok(message["result"].clone());
            }
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
    }

    fn receive(&mut self) -> Result<Option<Value>> {
        match self.socket.read() {
            Ok(WsMessage::Text(text)) => Ok(Some(serde_json::from_str(&text)?)),
            Ok(_) => Ok(None),
            Err(tungstenite::Error::Io(error))
                if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                Ok(None)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Records a trace of the whole browser while `work` runs, and returns its events.
    ///
    /// Trace events carry thread CPU time (`tdur`), which wall-clock timers inside a page cannot
    /// give on a machine whose cores the browser's processes share.
    pub fn trace(
        &mut self,
        categories: &str,
        work: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<Vec<Value>> {
        self.send(
            None,
            "Tracing.start",
            json!({"categories": categories, "transferMode": "ReportEvents"}),
        )?;
        let worked = work(self);
        self.send(None, "Tracing.end", json!({}))?;
        let mut collected = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            // Events gathered while waiting for replies come first, then the rest as it arrives.
            for event in std::mem::take(&mut self.events) {
                match event["method"].as_str() {
                    Some("Tracing.dataCollected") => collected.extend(
                        event["params"]["value"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default(),
                    ),
                    Some("Tracing.tracingComplete") => {
                        worked?;
                        return Ok(collected);
                    }
                    _ => {}
                }
            }
            if Instant::now() > deadline {
                return Err(Error("the trace did not complete within 30 s".into()));
            }
            if let Some(message) = self.receive()? {
                self.events.push(message);
            }
        }
    }

    /// Every target the browser has: pages, frames, workers.
    pub fn targets(&mut self) -> Result<Vec<Value>> {
        let result = self.send(None, "Target.getTargets", json!({}))?;
        Ok(result["targetInfos"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// The loaded extension's id, read from its first target's address (the service worker's,
    /// once it runs), waiting up to `timeout` for one.
    pub fn extension_id(&mut self, timeout: Duration) -> Result<String> {
        self.wait_for("the extension's service worker", timeout, |browser| {
            Ok(browser
                .targets()?
                .iter()
                .filter_map(|target| target["url"].as_str())
                .find_map(|url| url.strip_prefix("chrome-extension://"))
                .and_then(|rest| rest.split('/').next())
                .map(str::to_owned))
        })
    }

    /// Attaches to a target in flat mode.
    pub fn attach(&mut self, target_id: &str) -> Result<Session> {
        let result = self.send(
            None,
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        )?;
        result["sessionId"]
            .as_str()
            .map(|id| Session(id.to_owned()))
            .ok_or_else(|| Error(format!("no session for target {target_id}")))
    }

    /// Opens a new tab at `url` and attaches to it.
    pub fn open(&mut self, url: &str) -> Result<Page> {
        let result = self.send(None, "Target.createTarget", json!({"url": url}))?;
        let target_id = result["targetId"]
            .as_str()
            .ok_or_else(|| Error("no target id for the new tab".into()))?
            .to_owned();
        let session = self.attach(&target_id)?;
        self.send(Some(&session), "Page.enable", json!({}))?;
        self.send(Some(&session), "Runtime.enable", json!({}))?;
        Ok(Page { target_id, session })
    }

    /// Brings a tab to the front, as the admin switching back to it does (a tab in the background
    /// is hidden, and the panel's click guard counts nothing in it as seen).
    pub fn bring_to_front(&mut self, page: &Page) -> Result<()> {
        self.send(Some(&page.session), "Page.bringToFront", json!({}))?;
        Ok(())
    }

    /// Evaluates JavaScript in a session (awaiting promises) and returns its JSON value.
    pub fn evaluate(&mut self, session: &Session, expression: &str) -> Result<Value> {
        self.evaluate_in(session, expression, None)
    }

    /// Like [`Browser::evaluate`], in one execution context (an isolated world, say).
    pub fn evaluate_in(
        &mut self,
        session: &Session,
        expression: &str,
        context: Option<i64>,
    ) -> Result<Value> {
        let mut params = json!({
            "expression": expression,
            "returnByValue": true,
            "awaitPromise": true,
        });
        if let Some(context) = context {
            params["contextId"] = json!(context);
        }
        let result = self.send(Some(session), "Runtime.evaluate", params)?;
        if let Some(exception) = result.get("exceptionDetails") {
            let text = exception["exception"]["description"]
                .as_str()
                .or_else(|| exception["text"].as_str())
                .unwrap_or("exception");
            return Err(Error(format!("`{expression}` threw: {text}")));
        }
        Ok(result["result"]["value"].clone())
    }

    /// Calls `probe` until it returns `Some`, or fails after `timeout` naming `what`.
    pub fn wait_for<T>(
        &mut self,
        what: &str,
        timeout: Duration,
        mut probe: impl FnMut(&mut Self) -> Result<Option<T>>,
    ) -> Result<T> {
        let deadline = Instant::now() + timeout;
        let mut last_error = None;
        loop {
            match probe(self) {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                Err(error) => last_error = Some(error),
            }
            if Instant::now() > deadline {
                let why = last_error
                    .map(|e| format!(" (last error: {e})"))
                    .unwrap_or_default();
                return Err(Error(format!("timed out waiting for {what}{why}")));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The overlay frame of the extension in the given tab, attached; waits for it to appear.
    pub fn overlay(&mut self, page: &Page, timeout: Duration) -> Result<Session> {
        let target_id = self.wait_for("the overlay frame", timeout, |browser| {
            browser.overlay_target(page)
        })?;
        let session = self.attach(&target_id)?;
        self.send(Some(&session), "Runtime.enable", json!({}))?;
        Ok(session)
    }

    /// The target id of the extension's overlay frame in the given tab, if there is one.
    pub fn overlay_target(&mut self, page: &Page) -> Result<Option<String>> {
        Ok(self
            .targets()?
            .into_iter()
            .find(|target| {
                target["type"] == "iframe"
                    && target["parentId"] == page.target_id.as_str()
                    && target["url"].as_str().is_some_and(|url| {
                        url.starts_with("chrome-extension://") && url.contains("/overlay.html")
                    })
            })
            .and_then(|target| target["targetId"].as_str().map(str::to_owned)))
    }

    /// Where, in the tab's viewport, the element `selector` finds in the tab's overlay frame has
    /// its centre: the frame's box (read through the DevTools protocol, which sees through the
    /// frame's closed shadow root) plus the element's box inside the frame.
    pub fn overlay_point(
        &mut self,
        page: &Page,
        overlay: &Session,
        selector: &str,
    ) -> Result<(f64, f64)> {
        let frame_id = self
            .overlay_target(page)?
            .ok_or_else(|| Error("the tab has no overlay frame".into()))?;
        let owner = self.send(
            Some(&page.session),
            "DOM.getFrameOwner",
            json!({"frameId": frame_id}),
        )?;
        let content = self.box_quad(page, &owner["backendNodeId"], "content")?;
        let (frame_left, frame_top) = (content[0], content[1]);
        let inside = self.evaluate(
            overlay,
            &format!(
                "(r => r && [r.left + r.width / 2, r.top + r.height / 2])\
                 (document.querySelector({selector:?})?.getBoundingClientRect())"
            ),
        )?;
        match (inside[0].as_f64(), inside[1].as_f64()) {
            (Some(x), Some(y)) => Ok((frame_left + x, frame_top + y)),
            _ => Err(Error(format!("nothing in the overlay matches {selector}"))),
        }
    }

    /// The centre, in the tab's viewport, of the launcher the page agent draws in its closed
    /// shadow root (read through the DevTools protocol, which sees through it), if it shows one.
    pub fn launcher_point(&mut self, page: &Page) -> Result<Option<(f64, f64)>> {
        let document = self.send(
            Some(&page.session),
            "DOM.getDocument",
            json!({"depth": -1, "pierce": true}),
        )?;
        fn find_host(node: &Value) -> Option<&Value> {
            if node["localName"] == "okta-devices-helper" {
                return Some(node);
            }
            node["children"].as_array()?.iter().find_map(find_host)
        }
        let button = find_host(&document["root"])
            .and_then(|host| host["shadowRoots"][0]["children"].as_array())
            .and_then(|children| children.iter().find(|child| child["localName"] == "button"));
        let Some(button) = button else {
            return Ok(None);
        };
        let border = self.box_quad(page, &button["backendNodeId"], "border")?;
        Ok(Some((
            (border[0] + border[4]) / 2.0,
            (border[1] + border[5]) / 2.0,
        )))
    }

    /// One quad (`content`, `border`, …) of a node's box in the tab's viewport, as the DevTools
    /// protocol gives it: four corners, clockwise from the top left, as x, y pairs.
    fn box_quad(&mut self, page: &Page, backend_node_id: &Value, quad: &str) -> Result<[f64; 8]> {
        let model = self.send(
            Some(&page.session),
            "DOM.getBoxModel",
            json!({"backendNodeId": backend_node_id}),
        )?;
        Ok(std::array::from_fn(|i| {
            model["model"][quad][i].as_f64().unwrap_or_default()
        }))
    }

    /// Clicks at a point of the tab's viewport with the mouse, as a person does: real input
    /// events, which reach whatever the browser finds at that point (a frame included).
    pub fn mouse_click(&mut self, page: &Page, (x, y): (f64, f64)) -> Result<()> {
        for (kind, button) in [
            ("mouseMoved", "none"),
            ("mousePressed", "left"),
            ("mouseReleased", "left"),
        ] {
            self.send(
                Some(&page.session),
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": button, "clickCount": 1}),
            )?;
        }
        Ok(())
    }

    /// The extension's service worker target, attached.
    pub fn service_worker(&mut self, timeout: Duration) -> Result<Session> {
        let target_id = self.wait_for("the extension's service worker", timeout, |browser| {
            Ok(browser
                .targets()?
                .into_iter()
                .find(|target| {
                    target["type"] == "service_worker"
                        && target["url"]
                            .as_str()
                            .is_some_and(|u| u.starts_with("chrome-extension://"))
                })
                .and_then(|target| target["targetId"].as_str().map(str::to_owned)))
        })?;
        let session = self.attach(&target_id)?;
        self.send(Some(&session), "Runtime.enable", json!({}))?;
        Ok(session)
    }

    /// Takes a PNG screenshot of a tab with its viewport at exactly `width` × `height` CSS
    /// pixels (the page is laid out again at that size first), as stores ask for exact sizes.
    pub fn screenshot(&mut self, page: &Page, (width, height): (u32, u32)) -> Result<Vec<u8>> {
        self.send(
            Some(&page.session),
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )?;
        // Two frames for the page (and the helper's panel) to lay out at the new size.
        self.evaluate(
            &page.session,
            "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300))))",
        )?;
        let result = self.send(
            Some(&page.session),
            "Page.captureScreenshot",
            json!({"format": "png", "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}),
        )?;
        let data = result["data"]
            .as_str()
            .ok_or_else(|| Error("no screenshot data".into()))?;
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|error| Error(format!("screenshot data: {error}")))
    }

    /// Waits until the browser exits by itself (the admin closed its window).
    pub fn wait_for_exit(mut self) -> Result<()> {
        if let Some(child) = self.child.0.as_mut() {
            child.wait()?;
        }
        Ok(())
    }
}

/// A tab the tests drive.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its target id.
    pub target_id: String,
    /// Its CDP session.
    pub session: Session,
}

/// Owns the browser process and kills it when dropped, also if launching fails half-way.
struct ChildGuard(Option<Child>);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Reads the port and path Chromium writes to `DevToolsActivePort` once it listens.
fn wait_for_devtools(profile: &Path) -> Result<(u16, String)> {
    let file = profile.join("DevToolsActivePort");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(&file) {
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                if let Ok(port) = port.trim().parse() {
                    return Ok((port, path.trim().to_owned()));
                }
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(Error(
        "Chromium did not open its DevTools port within 30 s".into(),
    ))
}
