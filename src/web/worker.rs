//! The service worker's adapter: answers `chrome.runtime` messages from the extension's pages.
//!
//! The worker may be stopped and restarted at any time, so it keeps no state of its own: the
//! bootstrap (`extension/sw.js`) registers the listener synchronously at start-up and hands each
//! message to [`on_runtime_message`] once the module is ready.

use super::chrome::{set_badge_background_color, set_badge_text};
use super::{decode_message, warn, JsError};
use crate::message::Message;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Handles one `chrome.runtime.onMessage` event; the result is the reply to the sender.
#[wasm_bindgen(js_name = onRuntimeMessage)]
pub async fn on_runtime_message(message: JsValue, sender: JsValue) -> Result<JsValue, JsValue> {
    let message = decode_message(message).map_err(|error| {
        warn(&error.to_string());
        JsError::new(error.to_string())
    })?;
    match message {
        Message::Summary {
            missing,
            unconfirmed,
        } => {
            let tab_id = sender_tab_id(&sender)?;
            show_badge(tab_id, missing, unconfirmed).await?;
            Ok(JsValue::TRUE)
        }
        other => {
            let text = format!(
                "the service worker does not take `{}` messages",
                other.kind()
            );
            warn(&text);
            Err(JsError::new(text).into())
        }
    }
}

/// The tab a message came from; only pages inside a tab (the overlay frame) have one.
fn sender_tab_id(sender: &JsValue) -> Result<f64, JsError> {
    let tab = Reflect::get(sender, &JsValue::from_str("tab"))?;
    Reflect::get(&tab, &JsValue::from_str("id"))
        .ok()
        .and_then(|id| id.as_f64())
        .ok_or_else(|| JsError::new("the message did not come from a tab"))
}

/// Badge: the number of scopes to grant (red), `?` when some are unconfirmed (amber), or a check.
async fn show_badge(tab_id: f64, missing: u32, unconfirmed: u32) -> Result<(), JsError> {
    let (text, color) = match (missing, unconfirmed) {
        (0, 0) => ("\u{2713}".to_owned(), "#1a7f37"),
        (0, _) => ("?".to_owned(), "#9a6700"),
        (n, _) => (n.to_string(), "#d1242f"),
    };
    let details = |key: &str, value: &str| -> Result<JsValue, JsError> {
        let object = Object::new();
        Reflect::set(&object, &"tabId".into(), &tab_id.into())?;
        Reflect::set(&object, &key.into(), &value.into())?;
        Ok(object.into())
    };
    JsFuture::from(set_badge_text(&details("text", &text)?)?).await?;
    JsFuture::from(set_badge_background_color(&details("color", color)?)?).await?;
    Ok(())
}
