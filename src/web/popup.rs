//! The toolbar popup's adapter: where the admin stands in the whole flow, per org.
//!
//! It asks the service worker for the flow records and the vault, turns them into steps with
//! [`steps`], and draws them; the countdown is recomputed every second from what was fetched.
//! The popup may clear an org's credentials, nothing more.

use super::chrome::send_runtime_message;
use super::render::{append, button, element};
use super::{decode_message, encode_message, JsError};
use crate::flow::{steps, FlowRecord, StepState};
use crate::message::Message;
use crate::vault::VaultLookup;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element};

thread_local! {
    static KNOWN: RefCell<(Vec<FlowRecord>, Vec<VaultLookup>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Starts the popup.
#[wasm_bindgen(js_name = startPopup)]
pub async fn start_popup() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsError::new("the popup has no document"))?;
    let root = document
        .get_element_by_id("root")
        .ok_or_else(|| JsError::new("the popup page has no #root element"))?;
    if let Err(error) = reload().await {
        root.set_text_content(Some(&format!(
            "The helper could not read its state: {error}"
        )));
        return Ok(());
    }
    draw(&document, &root)?;

    let redraw = {
        let (document, root) = (document.clone(), root.clone());
        Closure::<dyn FnMut()>::new(move || {
            let _ = draw(&document, &root);
        })
    };
    if let Some(window) = web_sys::window() {
        window.set_interval_with_callback_and_timeout_and_arguments_0(
            redraw.as_ref().unchecked_ref(),
            1000,
        )?;
    }
    redraw.forget();

    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let org = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.closest("[data-action=\"clear\"]").ok().flatten())
            .and_then(|b| b.get_attribute("data-org"));
        if let Some(org_domain) = org {
            let (document, root) = (document.clone(), root.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let cleared = ask(Message::VaultClear { org_domain }).await;
                let reloaded = match cleared {
                    Ok(_) => reload().await,
                    Err(error) => Err(error),
                };
                if let Err(error) = reloaded.and_then(|()| draw(&document, &root)) {
                    root.set_text_content(Some(&format!("Could not clear: {error}")));
                }
            });
        }
    });
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    }
    on_click.forget();
    Ok(())
}

async fn ask(message: Message) -> Result<Message, JsError> {
    let value = JsFuture::from(send_runtime_message(&encode_message(&message)?)?).await?;
    match decode_message(value) {
        Ok(Message::Refused { reason }) => Err(JsError::new(reason)),
        Ok(reply) => Ok(reply),
        Err(error) => Err(JsError::new(error.to_string())),
    }
}

async fn reload() -> Result<(), JsError> {
    let Message::FlowState { orgs } = ask(Message::FlowQuery {}).await? else {
        return Err(JsError::new("unexpected answer to the flow query"));
    };
    let Message::VaultState { lookups } = ask(Message::VaultQuery { org_domain: None }).await?
    else {
        return Err(JsError::new("unexpected answer to the vault query"));
    };
    KNOWN.with(|known| *known.borrow_mut() = (orgs, lookups));
    Ok(())
}

fn draw(document: &Document, root: &Element) -> Result<(), JsError> {
    let (mut records, lookups) = KNOWN.with(|known| known.borrow().clone());
    for lookup in &lookups {
        if !records.iter().any(|r| r.org_domain == lookup.org_domain()) {
            records.push(FlowRecord {
                org_domain: lookup.org_domain().to_owned(),
                ..FlowRecord::default()
            });
        }
    }
    root.set_text_content(None);
    append(
        root,
        &element(document, "h1", "", "Okta Devices connection")?,
    )?;
    if records.is_empty() {
        let text = "Open your org's Okta Admin Console (https://{org}-admin.okta.com) to start: the helper notes each step here.";
        append(root, &element(document, "p", "empty", text)?)?;
        return Ok(());
    }
    let now = js_sys::Date::now();
    for record in &records {
        let lookup = lookups
            .iter()
            .find(|lookup| lookup.org_domain() == record.org_domain)
            .cloned()
            .unwrap_or(VaultLookup::Empty {
                org_domain: record.org_domain.clone(),
            });
        let section = element(document, "section", "org", "")?;
        section.set_attribute("data-org", &record.org_domain)?;
        append(&section, &element(document, "h2", "", &record.org_domain)?)?;
        let list = element(document, "ol", "steps", "")?;
        for (index, step) in steps(record, &lookup, now).iter().enumerate() {
            let item = element(document, "li", "", "")?;
            item.set_attribute("data-step", &index.to_string())?;
            item.set_attribute(
                "data-state",
                match step.state {
                    StepState::Done => "done",
                    StepState::Todo => "todo",
                    StepState::Lapsed => "lapsed",
                },
            )?;
            append(&item, &element(document, "span", "title", &step.title)?)?;
            if !step.detail.is_empty() {
                append(&item, &element(document, "small", "detail", &step.detail)?)?;
            }
            if let Some(link) = &step.link {
                let anchor = element(document, "a", "", "Open")?;
                anchor.set_attribute("href", link)?;
                anchor.set_attribute("target", "_blank")?;
                append(&item, &anchor)?;
            }
            append(&list, &item)?;
        }
        append(&section, &list)?;
        if matches!(lookup, VaultLookup::Ready(_)) {
            let clear = button(document, "clear", "Clear captured credentials")?;
            clear.set_attribute("data-org", &record.org_domain)?;
            append(&section, &clear)?;
        }
        append(root, &section)?;
    }
    Ok(())
}
