//! Confirms acting clicks in the toolbar popup where the browser cannot report whether the admin
//! could see the panel (Firefox): the browser adapter of [`crate::confirm`].
//!
//! A click on such a button does not act. The overlay asks the service worker to hold a question
//! for the toolbar, says in the panel where to answer it, and asks the worker for the answer,
//! which the worker holds until the admin answers (or for a while, and then it is asked again);
//! a confirmation lets the same button act once, if the panel still shows it.

use super::{ask_worker, with_overlay, Overlay};
use crate::confirm::{question, waiting_text, Answer};
use crate::message::Message;
use crate::overlay_model::Outcome;
use crate::web::chrome::set_timeout;
use crate::web::render::{ACTION_API_GRANT_CONFIRM, ACTION_FILL, ACTION_FILL_ANYWAY};
use crate::web::JsError;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// A click waiting for the admin's answer in the toolbar.
pub(super) struct PendingClick {
    /// The question's id, random.
    id: String,
    /// The button's `data-action`.
    action: String,
    /// Its `data-scope`, for buttons about one scope.
    scope: Option<String>,
    /// Whether a poll is under way, so that a slow answer is not asked for twice.
    polling: bool,
}

impl Overlay {
    /// Holds the click on `button` and asks the toolbar to confirm it.
    pub(super) fn ask_toolbar(&mut self, action: &str, button: &Element) -> Result<(), JsError> {
        let scopes = match action {
            ACTION_API_GRANT_CONFIRM => self.ui.api_confirm.clone().unwrap_or_default(),
            _ => Vec::new(),
        };
        let what = question(action, &button.text_content().unwrap_or_default(), &scopes);
        let id = random_id()?;
        self.toolbar = Some(PendingClick {
            id: id.clone(),
            action: action.to_owned(),
            scope: button.get_attribute("data-scope"),
            polling: false,
        });
        self.ui.outcome = Some(Outcome::Waiting(waiting_text(&what)));
        ask_worker(Message::ConfirmAsk { id, what }, |overlay, reply| {
            if let Err(error) = reply {
                overlay.toolbar = None;
                overlay.ui.outcome = Some(Outcome::Failed(format!(
                    "The toolbar could not be asked to confirm ({error}); nothing was done. Click again."
                )));
                return overlay.refresh();
            }
            poll_soon();
            Ok(())
        });
        self.refresh()
    }

    /// Asks the service worker whether the toolbar's question was answered.
    fn poll_toolbar(&mut self) {
        let Some(pending) = self.toolbar.as_mut().filter(|pending| !pending.polling) else {
            return;
        };
        pending.polling = true;
        let id = pending.id.clone();
        ask_worker(
            Message::ConfirmPoll { id: id.clone() },
            move |overlay, reply| overlay.on_toolbar_answer(&id, reply),
        );
    }

    fn on_toolbar_answer(
        &mut self,
        id: &str,
        reply: Result<Message, JsError>,
    ) -> Result<(), JsError> {
        let Some(pending) = self.toolbar.as_mut().filter(|pending| pending.id == id) else {
            return Ok(()); // a newer click replaced this question
        };
        pending.polling = false;
        let answer = match reply {
            Ok(Message::ConfirmState { answer }) => answer,
            // The held reply was lost (the worker restarted): the question is still in the
            // session store, so ask again; the worker lapses it when its time is up.
            Err(_) => Answer::Waiting,
            Ok(_) => Answer::Lapsed,
        };
        let refusal = match answer {
            Answer::Waiting => {
                poll_soon();
                return Ok(());
            }
            Answer::Confirmed => None,
            Answer::Declined => Some("You declined in the toolbar: nothing was done."),
            Answer::Lapsed => Some(
                "The toolbar's question was not answered in time: nothing was done. Click the button again to ask again.",
            ),
        };
        let Some(pending) = self.toolbar.take() else {
            return Ok(());
        };
        if let Some(refusal) = refusal {
            self.ui.outcome = Some(Outcome::Failed(refusal.to_owned()));
            return self.refresh();
        }
        self.ui.outcome = None;
        // The same button, if the panel still shows it: what was confirmed is what it said then.
        // (Once the other org is typed, a redraw shows "Fill anyway" as the plain Fill, which
        // does the same.)
        let actions: &[&str] = match pending.action.as_str() {
            ACTION_FILL_ANYWAY => &[ACTION_FILL_ANYWAY, ACTION_FILL],
            action => &[action],
        };
        let selector = actions
            .iter()
            .map(|action| match &pending.scope {
                Some(scope) => {
                    format!("[data-action=\"{action}\"][data-scope=\"{scope}\"]:not([disabled])")
                }
                None => format!("[data-action=\"{action}\"]:not([disabled])"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        match (self.root.query_selector(&selector)?, self.model.clone()) {
            (Some(button), Some(model)) => {
                let action = button.get_attribute("data-action").unwrap_or_default();
                self.act(&action, &button, model)
            }
            _ => {
                self.ui.outcome = Some(Outcome::Failed(
                    "The panel changed before you confirmed, so nothing was done. Check it, then click again."
                        .to_owned(),
                ));
                self.refresh()
            }
        }
    }
}

/// The pause before the overlay asks again for the toolbar's answer, after the worker said it is
/// still waiting (it holds each ask until the admin answers, so asking again is rare).
const POLL_MS: f64 = 250.0;

/// Asks for the answer after [`POLL_MS`].
fn poll_soon() {
    let poll = Closure::once_into_js(|| {
        with_overlay(|overlay| {
            overlay.poll_toolbar();
            Ok(())
        })
    });
    set_timeout(poll.unchecked_ref(), POLL_MS);
}

/// A random question id: `crypto.randomUUID()`.
fn random_id() -> Result<String, JsError> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    let make = Reflect::get(&crypto, &"randomUUID".into())?.dyn_into::<Function>()?;
    make.call0(&crypto)?
        .as_string()
        .ok_or_else(|| JsError::new("crypto.randomUUID gave no text"))
}
