//! The overlay's end of the page agent's API transport: requests to the org's `/api/v1` leave from
//! the console page's own origin, carried by the agent, because Okta refuses API calls from any
//! origin it does not trust and an extension's origin can never be one (`E0000212`).
//!
//! [`send`] posts a [`Message::ApiFetch`] over the agent's port and waits for the
//! [`Message::ApiAnswer`] with the same request number, which the overlay hands to [`deliver`].
//! The answer's body travels beside its typed fields (see [`ApiAnswer`]) and is kept here as the
//! plain value the agent parsed, for the API client to read into the shape it expects. A request
//! that gets no answer (the page went away, the agent was stopped) fails after a timeout rather
//! than leaving the panel waiting for ever.

use super::chrome::{set_timeout, Port};
use super::encode_message;
use crate::message::{ApiAnswer, ApiFetch, HttpMethod, Message};
use crate::page_rules::{xsrf_token_selectors, XSRF_TOKEN_SHAPE};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// How long the overlay waits for the agent's answer; the agent itself gives up on Okta after
/// 15 s, so this only catches an agent that is gone.
const ANSWER_TIMEOUT_MS: f64 = 20_000.0;

/// A request waiting for its answer.
struct Waiting {
    request: u32,
    /// Resolves the promise the request's future awaits.
    wake: js_sys::Function,
    answer: Option<(ApiAnswer, JsValue)>,
}

/// The transport's state: the agent's port, and the requests waiting for their answers.
#[derive(Default)]
struct Transport {
    port: Option<Port>,
    waiting: Vec<Waiting>,
    next_request: u32,
}

thread_local! {
    static TRANSPORT: RefCell<Transport> = RefCell::new(Transport::default());
}

/// Runs `action` on the transport's state.
fn with_transport<T>(action: impl FnOnce(&mut Transport) -> T) -> T {
    TRANSPORT.with(|transport| action(&mut transport.borrow_mut()))
}

/// Why a request got no answer from the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unanswered {
    /// The port to the agent is gone or was never there.
    NoAgent,
    /// The agent did not answer in time.
    Timeout,
}

/// Uses this port, the overlay's own agent's, for every request from now on.
pub fn attach(port: &Port) {
    let port: Port = AsRef::<JsValue>::as_ref(port).clone().unchecked_into();
    with_transport(|transport| transport.port = Some(port));
}

/// The agent's port closed: every request still waiting fails now.
pub fn detach() {
    let waiting = with_transport(|transport| {
        transport.port = None;
        std::mem::take(&mut transport.waiting)
    });
    for request in waiting {
        let _ = request.wake.call0(&JsValue::UNDEFINED);
    }
}

/// Hands an answer from the agent to the request waiting for it; an answer nobody waits for
/// (a late one, after a timeout) is dropped.
pub fn deliver(answer: ApiAnswer, body: JsValue) {
    let wake = with_transport(|transport| {
        let request = transport
            .waiting
            .iter_mut()
            .find(|request| request.request == answer.request && request.answer.is_none())?;
        let wake = request.wake.clone();
        request.answer = Some((answer, body));
        Some(wake)
    });
    if let Some(wake) = wake {
        let _ = wake.call0(&JsValue::UNDEFINED);
    }
}

/// Sends one request through the agent and waits for its answer and body.
pub async fn send(
    method: HttpMethod,
    path: String,
    body: Option<String>,
) -> Result<(ApiAnswer, JsValue), Unanswered> {
    let posted = with_transport(|transport| {
        transport.next_request = transport.next_request.wrapping_add(1);
        let request = transport.next_request;
        let message = Message::ApiFetch(ApiFetch {
            request,
            method,
            path,
            body,
            xsrf_token_at: xsrf_token_selectors(),
            xsrf_token_shape: XSRF_TOKEN_SHAPE.to_owned(),
        });
        let port = transport.port.as_ref()?;
        let encoded = encode_message(&message).ok()?;
        port.post_message(&encoded).ok().map(|()| request)
    });
    let Some(request) = posted else {
        return Err(Unanswered::NoAgent);
    };
    let woken = js_sys::Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, ANSWER_TIMEOUT_MS);
        with_transport(|transport| {
            transport.waiting.push(Waiting {
                request,
                wake: resolve,
                answer: None,
            });
        });
    });
    // The promise only ever resolves.
    let _ = wasm_bindgen_futures::JsFuture::from(woken).await;
    with_transport(|transport| {
        let answer = transport
            .waiting
            .iter()
            .position(|w| w.request == request)
            .and_then(|at| transport.waiting.remove(at).answer);
        answer.ok_or(match transport.port {
            Some(_) => Unanswered::Timeout,
            None => Unanswered::NoAgent,
        })
    })
}
