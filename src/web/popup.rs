//! The toolbar popup's adapter: where the admin stands in the whole flow, per org.
//!
//! It asks the service worker for the flow records and the vault, turns them into steps with
//! [`steps`], and draws them; the countdown is redrawn every second from what was fetched. The
//! popup may clear an org's credentials, and answer the panel's questions: where the browser
//! cannot tell the panel whether the admin could see it (Firefox), the panel's acting buttons ask
//! here, out of the page's reach, before they act (see [`crate::confirm`]).

use super::render::{append, button, element};
use super::{ask_worker, JsError};
use crate::confirm::Question;
use crate::flow::{steps, FlowRecord, StepState};
use crate::message::Message;
use crate::vault::VaultLookup;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// `data-action` of the button that clears an org's credentials.
const ACTION_CLEAR: &str = "clear";
/// `data-action` of the button that confirms a panel's question (`data-question` is its id).
const ACTION_CONFIRM: &str = "confirm";
/// `data-action` of the button that declines it.
const ACTION_DECLINE: &str = "decline";

/// What the service worker last said.
#[derive(Default, Clone)]
struct Known {
    records: Vec<FlowRecord>,
    lookups: Vec<VaultLookup>,
    questions: Vec<Question>,
    /// Why the last answer to a question was refused, if it was.
    refusal: Option<String>,
}

/// What the admin asked of the popup.
enum Request {
    Clear(String),
    Answer { id: String, yes: bool },
}

thread_local! {
    static KNOWN: RefCell<Known> = RefCell::new(Known::default());
}

/// Starts the popup.
#[wasm_bindgen(js_name = startPopup)]
pub fn start_popup() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(reload(None));

    let redraw = Closure::<dyn FnMut()>::new(|| show(draw()));
    let window = web_sys::window().ok_or_else(|| JsError::new("the popup has no window"))?;
    window.set_interval_with_callback_and_timeout_and_arguments_0(
        redraw.as_ref().unchecked_ref(),
        1000,
    )?;
    redraw.forget();

    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let Some(button) = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|target| target.closest("[data-action]").ok().flatten())
        else {
            return;
        };
        let attribute = |name: &str| button.get_attribute(name);
        let request = match attribute("data-action").as_deref() {
            Some(ACTION_CLEAR) => attribute("data-org").map(Request::Clear),
            Some(ACTION_CONFIRM) => {
                attribute("data-question").map(|id| Request::Answer { id, yes: true })
            }
            Some(ACTION_DECLINE) => {
                attribute("data-question").map(|id| Request::Answer { id, yes: false })
            }
            _ => None,
        };
        if let Some(request) = request {
            wasm_bindgen_futures::spawn_local(reload(Some(request)));
        }
    });
    window.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    Ok(())
}

/// Does what the admin asked, if anything, then fetches everything again and draws it.
async fn reload(request: Option<Request>) {
    let fetched = async {
        let refusal = match request {
            Some(Request::Clear(org_domain)) => {
                ask_worker(&Message::VaultClear { org_domain }).await?;
                None
            }
            Some(Request::Answer { id, yes }) => ask_worker(&Message::ConfirmAnswer { id, yes })
                .await
                .err()
                .map(|e| e.to_string()),
            None => None,
        };
        let (
            Message::FlowState { orgs },
            Message::VaultState { lookups },
            Message::ConfirmList { questions },
        ) = (
            ask_worker(&Message::FlowQuery {}).await?,
            ask_worker(&Message::VaultQuery { org_domain: None }).await?,
            ask_worker(&Message::ConfirmQuery {}).await?,
        )
        else {
            return Err(JsError::new("the service worker gave an unexpected answer"));
        };
        KNOWN.with(|known| {
            *known.borrow_mut() = Known {
                records: orgs,
                lookups,
                questions,
                refusal,
            }
        });
        Ok(())
    }
    .await;
    show(fetched.and_then(|()| draw()));
}

/// Shows an error in place of the steps, if there is one.
fn show(result: Result<(), JsError>) {
    if let (Err(error), Ok(root)) = (result, root()) {
        root.set_text_content(Some(&format!(
            "The helper could not show its state: {error}"
        )));
    }
}

fn root() -> Result<Element, JsError> {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("root"))
        .ok_or_else(|| JsError::new("the popup page has no #root element"))
}

fn draw() -> Result<(), JsError> {
    let root = root()?;
    let document = root
        .owner_document()
        .ok_or_else(|| JsError::new("no document"))?;
    let Known {
        mut records,
        lookups,
        questions,
        refusal,
    } = KNOWN.with(|known| known.borrow().clone());
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
        &root,
        &element(&document, "h1", "", "Okta Devices connection")?,
    )?;
    if let Some(refusal) = refusal {
        append(&root, &element(&document, "p", "refusal", &refusal)?)?;
    }
    for question in &questions {
        let ask = element(&document, "section", "question", "")?;
        ask.set_attribute("role", "alertdialog")?;
        ask.set_attribute("data-question", &question.id)?;
        let text = format!("The helper's panel on {} asks:", question.host);
        append(&ask, &element(&document, "p", "", &text)?)?;
        append(&ask, &element(&document, "p", "what", &question.what)?)?;
        for (action, label) in [(ACTION_CONFIRM, "Confirm"), (ACTION_DECLINE, "Decline")] {
            let answer = button(&document, action, label)?;
            answer.set_attribute("data-question", &question.id)?;
            append(&ask, &answer)?;
        }
        append(&root, &ask)?;
    }
    if records.is_empty() {
        let text = "Open your org's Okta Admin Console (https://{org}-admin.okta.com) to start: the helper notes each step here.";
        return append(&root, &element(&document, "p", "empty", text)?);
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
        let section = element(&document, "section", "org", "")?;
        section.set_attribute("data-org", &record.org_domain)?;
        append(&section, &element(&document, "h2", "", &record.org_domain)?)?;
        let list = element(&document, "ol", "steps", "")?;
        for step in steps(record, &lookup, now) {
            let item = element(&document, "li", "", "")?;
            let state = match step.state {
                StepState::Done => "done",
                StepState::Todo => "todo",
                StepState::Lapsed => "lapsed",
            };
            item.set_attribute("data-state", state)?;
            append(&item, &element(&document, "span", "title", &step.title)?)?;
            if !step.detail.is_empty() {
                append(&item, &element(&document, "small", "detail", &step.detail)?)?;
            }
            if let Some(link) = &step.link {
                let anchor = element(&document, "a", "", "Open")?;
                anchor.set_attribute("href", link)?;
                anchor.set_attribute("target", "_blank")?;
                append(&item, &anchor)?;
            }
            append(&list, &item)?;
        }
        append(&section, &list)?;
        if matches!(lookup, VaultLookup::Ready(_)) {
            let clear = button(&document, ACTION_CLEAR, "Clear captured credentials")?;
            clear.set_attribute("data-org", &record.org_domain)?;
            append(&section, &clear)?;
        }
        append(&root, &section)?;
    }
    Ok(())
}
