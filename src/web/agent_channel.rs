//! The overlay's side of its channel in Firefox: before it takes the channel its parent window
//! offers, it asks the service worker whether the page agent of its own tab opened it (see
//! [`crate::agent_channel`]), and refuses it otherwise.

use super::{ask_worker, warn};
use crate::agent_channel::REFUSAL;
use crate::message::Message;
use wasm_bindgen::prelude::*;

/// Whether the overlay may take the channel offered with `token`, the token of its own address.
/// If not, the panel shows only [`REFUSAL`], as plain text, and the caller must send nothing on
/// the channel.
#[wasm_bindgen(js_name = claimAgentChannel)]
pub async fn claim_agent_channel(token: String) -> bool {
    match ask_worker(&Message::ChannelClaim { token }).await {
        Ok(Message::Done {}) => return true,
        Ok(reply) => warn(&format!(
            "refused the offered channel: the service worker answered `{}`",
            reply.kind()
        )),
        Err(error) => warn(&format!("refused the offered channel: {error}")),
    }
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("root"));
    if let Some(root) = root {
        root.set_text_content(Some(REFUSAL));
        if let Err(error) = root.set_attribute("data-mode", "refused") {
            warn(&format!(
                "could not mark the refusal: {}",
                super::JsError::from(error)
            ));
        }
    }
    false
}
