//! The few `chrome.*` extension APIs the adapters use, declared once.
//!
//! `web-sys` covers the web platform, not the extension platform, so these are hand-written
//! bindings. Everything that can throw is declared `catch`, so a failure arrives as a `Result`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A `chrome.runtime.Port`: one end of a long-lived connection.
    pub type Port;

    /// `port.postMessage(message)`; throws once the other end is gone.
    #[wasm_bindgen(method, catch, js_name = postMessage)]
    pub fn post_message(this: &Port, message: &JsValue) -> Result<(), JsValue>;

    /// `port.onMessage`.
    #[wasm_bindgen(method, getter, js_name = onMessage)]
    pub fn on_message(this: &Port) -> ChromeEvent;

    /// `port.onDisconnect`.
    #[wasm_bindgen(method, getter, js_name = onDisconnect)]
    pub fn on_disconnect(this: &Port) -> ChromeEvent;

    /// A `chrome.events.Event`.
    pub type ChromeEvent;

    /// `event.addListener(callback)`.
    #[wasm_bindgen(method, js_name = addListener)]
    pub fn add_listener(this: &ChromeEvent, callback: &js_sys::Function);

    /// `chrome.runtime.sendMessage(message)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = sendMessage)]
    pub fn send_runtime_message(message: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.action.setBadgeText(details)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "action"], js_name = setBadgeText)]
    pub fn set_badge_text(details: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.action.setBadgeBackgroundColor(details)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "action"], js_name = setBadgeBackgroundColor)]
    pub fn set_badge_background_color(details: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.storage.session.get(keys)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = get)]
    pub fn session_get(keys: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.storage.session.set(items)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = set)]
    pub fn session_set(items: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.storage.session.remove(keys)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = remove)]
    pub fn session_remove(keys: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.storage.session.setAccessLevel(details)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = setAccessLevel)]
    pub fn session_set_access_level(details: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.storage.local.get(keys)`: the options, never a secret.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = get)]
    pub fn local_get(keys: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.alarms.create(name, info)`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "alarms"], js_name = create)]
    pub fn alarms_create(name: &str, info: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.runtime.getURL(path)`.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL)]
    pub fn runtime_url(path: &str) -> String;

    /// The global `setTimeout`, in a window or a worker.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &js_sys::Function, milliseconds: f64) -> JsValue;
}
