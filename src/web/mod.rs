//! Browser adapters: the overlay frame, the popup and the service worker, built only for `wasm32`.
//!
//! Each context gets one thin module ([`overlay`], [`popup`], [`worker`]) that wires browser
//! events to the pure core and back; in Firefox, the overlay first claims its page agent's channel
//! ([`agent_channel`]). The overlay's Okta API client ([`okta`]) sends its requests
//! through the page agent ([`transport`]), so that they leave from the console page's own origin.
//! Three rules hold here:
//!
//! - a `JsValue` error becomes a Rust [`JsError`] in exactly one place (`error.rs`), so every
//!   function below returns `Result<_, JsError>`;
//! - messages are decoded in exactly one place ([`decode_message`]) and encoded in one
//!   ([`encode_message`]), so nothing acts on an object that is not a valid [`Message`]; every
//!   value that crosses (messages, stored entries, API bodies) goes through one codec, [`codec`];
//! - logging goes through [`warn`], which is only ever handed the helper's own words, never page
//!   text or message contents.

pub mod agent_channel;
mod chrome;
pub mod codec;
mod error;
pub mod morph;
mod okta;
pub mod overlay;
pub mod popup;
pub mod render;
mod storage;
mod transport;
pub mod worker;

pub use error::JsError;

use crate::message::{DecodeError, Message};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Decodes a message received from another part of the extension.
///
/// The error names the message's kind, if it had a plausible one, but never its contents: a
/// malformed message may still carry page text.
pub fn decode_message(value: JsValue) -> Result<Message, DecodeError> {
    // A message is an object with exactly one key, its kind. Its type is asked with `typeof`,
    // not `instanceof`: Firefox hands a message over as an object of another realm, whose
    // `Object` is not this one's.
    let keys = if value.is_object() && !js_sys::Array::is_array(&value) {
        js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>())
    } else {
        js_sys::Array::new()
    };
    let kind = keys.get(0).as_string().filter(|kind| {
        kind.len() <= 32 && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    });
    let rejected = || {
        DecodeError(match &kind {
            Some(kind) => format!("a `{kind}` message did not have the expected shape"),
            None => "a message without a known kind".to_owned(),
        })
    };
    if keys.length() != 1 {
        return Err(rejected());
    }
    codec::from_js(value).map_err(|_| rejected())
}

/// Encodes a message as the plain object the agent and the other extension pages expect.
pub fn encode_message(message: &Message) -> Result<JsValue, JsError> {
    codec::to_js(message).map_err(|_| JsError::new("could not encode a message"))
}

/// Sends a request to the service worker and decodes its reply; a refusal becomes an error.
pub async fn ask_worker(message: &Message) -> Result<Message, JsError> {
    let promise = chrome::send_runtime_message(&encode_message(message)?)?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await?;
    match decode_message(value) {
        Ok(Message::Refused { reason }) => Err(JsError::new(reason)),
        Ok(reply) => Ok(reply),
        Err(error) => Err(JsError::new(error.to_string())),
    }
}

/// Logs a warning of the helper's own to the console.
pub fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("[Okta Devices helper] {text}")));
}
