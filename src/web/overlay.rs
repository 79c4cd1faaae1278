//! The overlay frame's adapter: connects the page agent's port to the core and draws the result.
//!
//! The frame is an extension page, so the page cannot read or script it. The agent that mounted
//! it connects a `chrome.runtime` port (the bootstrap in `extension/overlay.js` checks that the port
//! is this frame's own agent) and hands it to [`start_overlay`]. From then on: facts arrive →
//! [`decide`] → draw → send the agent the plan, and the service worker a summary for the badge.

use super::chrome::{send_runtime_message, Port};
use super::render::{render, render_fatal, ACTION_OPEN_TAB, ACTION_SHOW_ME, ACTION_TOGGLE};
use super::{decode_message, encode_message, warn, JsError};
use crate::message::{Layout, Message, PageFacts, PagePlan};
use crate::overlay_model::{decide, Action, Mode, OverlayModel, LAUNCHER_SIZE, PANEL_WIDTH};
use crate::page_rules::admin_probes;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// The panel never grows past this height; longer content scrolls inside it.
const PANEL_MAX_HEIGHT: u32 = 560;

/// What the panel says after a panic; the panic itself goes to the console.
const FATAL_TEXT: &str =
    "The Okta Devices helper hit an internal error and stopped. Reload the page to start it again.";

/// What the panel says when the page agent's port closes.
const DISCONNECTED_TEXT: &str =
    "The helper lost contact with this page. Reload the page to start it again.";

struct Overlay {
    port: Port,
    document: Document,
    root: Element,
    facts: Option<PageFacts>,
    /// The admin's own collapse choice; `None` until they make one.
    collapsed: Option<bool>,
    model: Option<OverlayModel>,
    /// The last counts sent to the service worker, so the badge is only updated on change.
    reported: Option<(u32, u32)>,
}

thread_local! {
    static OVERLAY: RefCell<Option<Overlay>> = const { RefCell::new(None) };
}

/// Starts the overlay on a port from this frame's page agent.
#[wasm_bindgen(js_name = startOverlay)]
pub fn start_overlay(port: Port) -> Result<(), JsValue> {
    install_panic_hook();
    let (document, root) = document_and_root()?;

    let on_message = Closure::<dyn FnMut(JsValue)>::new(|value: JsValue| {
        with_overlay(|overlay| overlay.on_agent_message(value));
    });
    port.on_message()
        .add_listener(on_message.as_ref().unchecked_ref());
    on_message.forget();

    let on_disconnect = Closure::<dyn FnMut()>::new(|| {
        with_overlay(|overlay| render_fatal(&overlay.document, &overlay.root, DISCONNECTED_TEXT));
    });
    port.on_disconnect()
        .add_listener(on_disconnect.as_ref().unchecked_ref());
    on_disconnect.forget();

    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        with_overlay(|overlay| overlay.on_click(&event));
    });
    document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();

    let overlay = Overlay {
        port,
        document,
        root,
        facts: None,
        collapsed: None,
        model: None,
        reported: None,
    };
    overlay.send(&Message::Watch {
        probes: admin_probes(),
    })?;
    OVERLAY.with(|cell| *cell.borrow_mut() = Some(overlay));
    Ok(())
}

/// Runs `action` on the overlay; an error is logged and shown, never swallowed.
fn with_overlay(action: impl FnOnce(&mut Overlay) -> Result<(), JsError>) {
    OVERLAY.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else {
            warn("ignored an event that arrived while the overlay was busy");
            return;
        };
        let Some(overlay) = slot.as_mut() else {
            return;
        };
        if let Err(error) = action(overlay) {
            warn(&format!("overlay error: {error}"));
            let text = format!("The helper could not update: {error}. Reload the page to retry.");
            // If even this fails, the console warning above is all that can be done.
            let _ = render_fatal(&overlay.document, &overlay.root, &text);
        }
    });
}

impl Overlay {
    fn on_agent_message(&mut self, value: JsValue) -> Result<(), JsError> {
        match decode_message(value) {
            Ok(Message::Facts(facts)) => {
                self.facts = Some(facts);
                self.refresh()
            }
            Ok(other) => {
                warn(&format!(
                    "ignored a `{}` message from the page agent",
                    other.kind()
                ));
                Ok(())
            }
            Err(error) => {
                warn(&error.to_string());
                Ok(())
            }
        }
    }

    fn on_click(&mut self, event: &web_sys::Event) -> Result<(), JsError> {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return Ok(());
        };
        let Some(action) = target
            .closest("[data-action]")?
            .and_then(|button| button.get_attribute("data-action"))
        else {
            return Ok(());
        };
        let Some(model) = &self.model else {
            return Ok(());
        };
        match action.as_str() {
            ACTION_TOGGLE => {
                self.collapsed = Some(model.mode == Mode::Panel);
                self.refresh()
            }
            ACTION_SHOW_ME => match &model.show_me {
                Some(target) => self.send(&Message::ScrollIntoView {
                    target: target.clone(),
                }),
                None => Ok(()),
            },
            ACTION_OPEN_TAB => match model.notice.as_ref().and_then(|n| n.action.as_ref()) {
                Some(Action::OpenTab { target, .. }) => self.send(&Message::Click {
                    target: target.clone(),
                }),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// Decides from the latest facts, redraws if anything changed, and tells the agent.
    fn refresh(&mut self) -> Result<(), JsError> {
        let Some(facts) = &self.facts else {
            return Ok(());
        };
        let model = decide(facts, self.collapsed);
        if self.model.as_ref() != Some(&model) {
            render(&self.document, &self.root, &model)?;
            self.stamp_render_time()?;
        }
        let plan = PagePlan {
            seq: facts.seq,
            layout: self.layout(model.mode),
            highlights: model.highlights.clone(),
        };
        self.send(&Message::Apply(plan))?;
        self.report_counts(&model);
        self.model = Some(model);
        Ok(())
    }

    fn layout(&self, mode: Mode) -> Layout {
        match mode {
            Mode::Hidden => Layout::Hidden,
            Mode::Launcher => Layout::Launcher {
                width: LAUNCHER_SIZE.0,
                height: LAUNCHER_SIZE.1,
            },
            Mode::Panel => Layout::Panel {
                width: PANEL_WIDTH,
                height: u32::try_from(self.root.scroll_height())
                    .unwrap_or(PANEL_MAX_HEIGHT)
                    .min(PANEL_MAX_HEIGHT),
            },
        }
    }

    /// Records when the overlay last changed, for the benchmark to read.
    fn stamp_render_time(&self) -> Result<(), JsError> {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let now = performance.time_origin() + performance.now();
            self.root
                .set_attribute("data-rendered-at", &format!("{now:.3}"))?;
        }
        Ok(())
    }

    /// Tells the service worker the checklist's counts, for the toolbar badge.
    fn report_counts(&mut self, model: &OverlayModel) {
        let Some(counts) = model.checklist.as_ref().map(|check| check.counts()) else {
            return;
        };
        if self.reported == Some(counts) {
            return;
        }
        self.reported = Some(counts);
        let summary = Message::Summary {
            missing: counts.0,
            unconfirmed: counts.1,
        };
        let sent = encode_message(&summary)
            .and_then(|value| send_runtime_message(&value).map_err(JsError::from));
        match sent {
            Ok(promise) => wasm_bindgen_futures::spawn_local(async move {
                if let Err(error) = wasm_bindgen_futures::JsFuture::from(promise).await {
                    warn(&format!(
                        "the toolbar badge was not updated: {}",
                        JsError::from(error)
                    ));
                }
            }),
            Err(error) => warn(&format!("the toolbar badge was not updated: {error}")),
        }
    }

    fn send(&self, message: &Message) -> Result<(), JsError> {
        self.port.post_message(&encode_message(message)?)?;
        Ok(())
    }
}

fn document_and_root() -> Result<(Document, Element), JsError> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsError::new("the overlay has no document"))?;
    let root = document
        .get_element_by_id("root")
        .ok_or_else(|| JsError::new("the overlay page has no #root element"))?;
    Ok((document, root))
}

/// Logs a panic to the console and shows it in the panel.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Ok((document, root)) = document_and_root() {
            // Nothing more can be done if drawing the error fails too.
            let _ = render_fatal(&document, &root, FATAL_TEXT);
        }
    }));
}
