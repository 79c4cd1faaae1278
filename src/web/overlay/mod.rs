//! The overlay frame's adapter: connects the page agent's port to the core and draws the result.
//!
//! The frame is an extension page, so the page cannot read or script it. The agent that mounted
//! it connects a `chrome.runtime` port (the bootstrap in `extension/overlay.js` checks that the port
//! is this frame's own agent) and hands it to [`start_overlay`]. From then on: facts arrive →
//! [`decide`] → draw → send the agent the plan.
//!
//! The adapter is split by job: this module wires the browser's events to the overlay's state and
//! draws; [`api`] checks the org through Okta's API (carried by the agent from the page's own
//! origin) and grants what the admin confirms; [`credentials`] captures the Sign On tab's values
//! into the service worker's vault and fills the Workflows form from it; [`diagnose`] asks Okta's
//! records why the connection fails; [`rotation`] replaces the app's client secret without
//! breaking the connection; [`guard`] and [`toolbar`] decide when an acting click may act.

mod api;
mod credentials;
mod diagnose;
mod guard;
mod rotation;
mod toolbar;

use super::chrome::Port;
use super::render::{
    render, render_fatal, ACTION_API_GRANT, ACTION_API_GRANT_CANCEL, ACTION_API_GRANT_CONFIRM,
    ACTION_API_GRANT_ISSUER, ACTION_API_RECHECK, ACTION_CAPTURE, ACTION_CLEAR, ACTION_COPY_DOMAIN,
    ACTION_COPY_REPORT, ACTION_DIAGNOSE, ACTION_FILL, ACTION_FILL_ANYWAY, ACTION_OPEN_TAB,
    ACTION_READ_SECRET, ACTION_READ_SECRET_CANCEL, ACTION_ROTATION_ASK, ACTION_ROTATION_CANCEL,
    ACTION_ROTATION_CREATE, ACTION_ROTATION_DEACTIVATE, ACTION_ROTATION_DISMISS,
    ACTION_ROTATION_LIST, ACTION_ROTATION_PICK, ACTION_ROTATION_REREAD, ACTION_ROTATION_WORKS,
    ACTION_SHOW_ME, ACTION_TOGGLE, CONFIRM_ORG_FIELD, GUARDED_ACTIONS, NICKNAME_FIELD,
    PROFILE_FIELD, ROTATION_SECRET_FIELD,
};
use super::{decode_message, encode_message, transport, warn, JsError};
use crate::flow::{countdown, FlowEvent};
use crate::message::{Layout, Message, PageFacts, PagePlan, ProbeResult};
use crate::overlay_model::{
    decide, Action, Mode, Outcome, OverlayModel, Standing, UiState, LAUNCHER_SIZE, PANEL_WIDTH,
};
use crate::page::{recognize, AdminPlace, Page};
use crate::rotation::Stage;
use crate::scopes::{Basis, ScopeState, Verdict};
use std::cell::RefCell;
use std::future::Future;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// The panel never grows past this height; longer content scrolls inside it.
const PANEL_MAX_HEIGHT: u32 = 760;

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
    ui: UiState,
    model: Option<OverlayModel>,
    /// The nickname as the admin edited it in the panel, if they did.
    nickname: Option<String>,
    /// The last badge sent to the service worker, so the badge is only updated on change.
    reported: Option<(u32, u32, bool)>,
    /// The last flow events noted, so each is sent once.
    noted_admin: Option<FlowEvent>,
    noted_scopes: Option<(bool, Vec<(&'static str, bool)>)>,
    /// The API check's own state.
    api: api::ApiState,
    /// The capture's and the fill's exchanges with the agent.
    credentials: credentials::CredentialState,
    /// The page report asked of the agent, by request number, while it is awaited.
    report_asked: Option<u32>,
    /// The sensitive buttons' visibility, so that no click the admin could not see acts.
    buttons: guard::ButtonWatch,
    /// How many page reports were asked for, to number the next.
    reports_asked: u32,
    /// The click waiting for the toolbar's confirmation, where visibility is not tracked.
    toolbar: Option<toolbar::PendingClick>,
    /// The frame's layout last sent to the agent.
    laid_out: Option<Layout>,
}

thread_local! {
    static OVERLAY: RefCell<Option<Overlay>> = const { RefCell::new(None) };
}

/// Starts the overlay on a port from this frame's page agent; `opened` when the admin opened it
/// with the agent's launcher, so the panel shows open wherever it is.
#[wasm_bindgen(js_name = startOverlay)]
pub fn start_overlay(port: Port, opened: bool) -> Result<(), JsValue> {
    install_panic_hook();
    let (document, root) = document_and_root()?;
    transport::attach(&port);
    // Asked first, so that the agent's answer (the facts it read ahead) travels while the rest of
    // the overlay starts; it is handled once this returns, by the listener added below.
    port.post_message(&encode_message(&crate::page_rules::page_watch())?)?;

    let on_message = Closure::<dyn FnMut(JsValue)>::new(|value: JsValue| {
        with_overlay(|overlay| overlay.on_agent_message(value));
    });
    port.on_message()
        .add_listener(on_message.as_ref().unchecked_ref());
    on_message.forget();

    let on_disconnect = Closure::<dyn FnMut()>::new(|| {
        transport::detach();
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

    let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        with_overlay(|overlay| overlay.on_input(&event));
    });
    document.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
    on_input.forget();

    let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        with_overlay(|overlay| overlay.on_change(&event));
    });
    document.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
    on_change.forget();

    let tick = Closure::<dyn FnMut()>::new(|| with_overlay(Overlay::tick));
    if let Some(window) = web_sys::window() {
        window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            1000,
        )?;
    }
    tick.forget();

    let buttons = guard::ButtonWatch::start()?;
    let overlay = Overlay {
        buttons,
        port,
        document,
        root,
        facts: None,
        ui: UiState {
            collapsed: opened.then_some(false),
            ..UiState::default()
        },
        model: None,
        nickname: None,
        reported: None,
        noted_admin: None,
        noted_scopes: None,
        api: api::ApiState::default(),
        credentials: credentials::CredentialState::default(),
        report_asked: None,
        reports_asked: 0,
        toolbar: None,
        laid_out: None,
    };
    OVERLAY.with(|cell| *cell.borrow_mut() = Some(overlay));
    ask_worker(
        Message::VaultQuery { org_domain: None },
        Overlay::on_vault_reply,
    );
    ask_worker(Message::FlowQuery {}, Overlay::on_flow_reply);
    Ok(())
}

/// Runs `action` on the overlay; an error is logged and shown, never swallowed.
fn with_overlay(action: impl FnOnce(&mut Overlay) -> Result<(), JsError>) {
    let mut action = Some(action);
    // One non-generic body for every caller: each generic copy would cost the module kilobytes.
    with_overlay_dyn(&mut |overlay| action.take().map_or(Ok(()), |action| action(overlay)));
}

fn with_overlay_dyn(action: &mut dyn FnMut(&mut Overlay) -> Result<(), JsError>) {
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

/// Runs `work` (API calls, say) outside the overlay, then hands its result to `then`, on it.
fn spawn_then<F: Future + 'static>(
    work: F,
    then: impl FnOnce(&mut Overlay, F::Output) -> Result<(), JsError> + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let output = work.await;
        with_overlay(|overlay| then(overlay, output));
    });
}

/// What to do with a reply from the service worker, on the overlay.
type OnReply = Box<dyn FnOnce(&mut Overlay, Result<Message, JsError>) -> Result<(), JsError>>;

/// Sends a request to the service worker and hands its reply to `then`, on the overlay.
fn ask_worker(
    message: Message,
    then: impl FnOnce(&mut Overlay, Result<Message, JsError>) -> Result<(), JsError> + 'static,
) {
    ask_worker_boxed(message, Box::new(then));
}

/// Not generic, so the module carries the exchange's state machine once for all its callers.
fn ask_worker_boxed(message: Message, then: OnReply) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut reply = Some(super::ask_worker(&message).await);
        let mut then = Some(then);
        with_overlay_dyn(&mut |overlay| match (then.take(), reply.take()) {
            (Some(then), Some(reply)) => then(overlay, reply),
            _ => Ok(()),
        });
    });
}

impl Overlay {
    fn on_agent_message(&mut self, value: JsValue) -> Result<(), JsError> {
        let raw = value.clone();
        match decode_message(value) {
            Ok(Message::Facts(facts)) => {
                self.facts = Some(facts);
                self.refresh()
            }
            Ok(Message::ApiAnswer(answer)) => {
                // The answer's body travels beside its typed fields (see `ApiAnswer`).
                let body = js_sys::Reflect::get(&raw, &"api_answer".into())
                    .and_then(|answer| js_sys::Reflect::get(&answer, &"body".into()))
                    .unwrap_or(JsValue::UNDEFINED);
                transport::deliver(answer, body);
                Ok(())
            }
            Ok(Message::ReadResult {
                request,
                mut probes,
            }) => {
                let result = self.on_capture_read(request, &probes);
                probes.iter_mut().for_each(ProbeResult::wipe);
                result
            }
            Ok(Message::ReportText { request, text }) => self.on_page_report(request, text),
            Ok(Message::FrameMoved {}) => self.buttons.frame_moved(&self.root),
            Ok(Message::FillResult {
                request,
                current,
                missing,
                unconfirmed,
                refused,
            }) => self.on_fill_result(request, current, &missing, &unconfirmed, refused),
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
        let Some(button) = target.closest("[data-action]")? else {
            return Ok(());
        };
        let action = button.get_attribute("data-action").unwrap_or_default();
        let Some(model) = self.model.clone() else {
            return Ok(());
        };
        if GUARDED_ACTIONS.contains(&action.as_str()) {
            if !self.buttons.tracks_visibility() {
                if crate::confirm::needs_toolbar(&action) {
                    return self.ask_toolbar(&action, &button);
                }
            } else if let Err(wait) = self.buttons.judge(&action, &self.root) {
                let label = button.text_content().unwrap_or_default();
                self.ui.outcome = Some(Outcome::Failed(wait.refusal(&label)));
                return self.refresh();
            }
        }
        self.act(&action, &button, model)
    }

    /// Does what the button `action` is for; a guarded one only once its click was judged the
    /// admin's own.
    fn act(&mut self, action: &str, button: &Element, model: OverlayModel) -> Result<(), JsError> {
        match action {
            ACTION_TOGGLE => {
                self.ui.collapsed = Some(model.mode == Mode::Panel);
                self.refresh()
            }
            ACTION_SHOW_ME => match model.show_me {
                Some(target) => self.send(&Message::ScrollIntoView { target }),
                None => Ok(()),
            },
            ACTION_OPEN_TAB => match model.notice.and_then(|n| n.action) {
                Some(Action::OpenTab { target, .. }) => self.send(&Message::Click { target }),
                _ => Ok(()),
            },
            ACTION_COPY_DOMAIN => {
                if let Some(domain) = model.domain {
                    copy_to_clipboard(&domain.domain, button.clone());
                }
                Ok(())
            }
            ACTION_CAPTURE => self.start_capture(&model),
            ACTION_COPY_REPORT => {
                let request = self.reports_asked.wrapping_add(1);
                self.reports_asked = request;
                self.report_asked = Some(request);
                self.send(&Message::ReadReport {
                    request,
                    roots: crate::page_rules::report_roots(),
                    names: crate::page_rules::scope_scan().names,
                })
            }
            ACTION_READ_SECRET => self.read_secret_through_api(),
            ACTION_READ_SECRET_CANCEL => self.decline_secret_read(),
            ACTION_CLEAR => self.clear_vault(&model),
            ACTION_FILL => self.start_fill(&model),
            ACTION_FILL_ANYWAY => self.start_fill(&model),
            ACTION_API_GRANT => {
                self.ui.api_confirm = model.api.map(|api| api.grantable);
                self.refresh()
            }
            ACTION_API_GRANT_ISSUER => {
                let scope = button.get_attribute("data-scope");
                self.ui.api_confirm = model
                    .api
                    .and_then(|api| {
                        api.other_issuers
                            .into_iter()
                            .find(|(id, _)| Some(id) == scope.as_ref())
                    })
                    .map(|(id, _)| vec![id]);
                self.refresh()
            }
            ACTION_API_RECHECK => self.recheck_api(),
            ACTION_API_GRANT_CANCEL => {
                self.ui.api_confirm = None;
                self.refresh()
            }
            ACTION_API_GRANT_CONFIRM => self.confirm_grant(),
            ACTION_DIAGNOSE => self.start_diagnose(),
            ACTION_ROTATION_LIST => self.list_secrets(),
            ACTION_ROTATION_ASK => {
                self.ui.rotation.confirm_create = true;
                self.refresh()
            }
            ACTION_ROTATION_DISMISS => {
                self.ui.rotation.confirm_create = false;
                self.ui.rotation.confirm_deactivate = None;
                self.refresh()
            }
            ACTION_ROTATION_CREATE => self.create_secret(),
            ACTION_ROTATION_WORKS => self.rotation_stage(Stage::Confirmed),
            ACTION_ROTATION_CANCEL => self.rotation_stage(Stage::Cancelled),
            ACTION_ROTATION_PICK => self.ask_deactivate(),
            ACTION_ROTATION_DEACTIVATE => self.deactivate_secret(),
            ACTION_ROTATION_REREAD => self.reread_new_secret(),
            _ => Ok(()),
        }
    }

    fn on_input(&mut self, event: &web_sys::Event) -> Result<(), JsError> {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return Ok(());
        };
        match input.get_attribute("data-field").as_deref() {
            Some(NICKNAME_FIELD) => self.nickname = Some(input.value()),
            Some(ROTATION_SECRET_FIELD) if input.checked() => {
                self.ui.rotation.picked = Some(input.value());
                self.ui.rotation.confirm_deactivate = None;
                return self.refresh();
            }
            Some(CONFIRM_ORG_FIELD) => {
                // No redraw while the admin types (it would take the focus away): the button
                // follows the text, and the click checks it again.
                self.ui.org_typed = input.value();
                let matches =
                    input.get_attribute("data-expect").as_deref() == Some(self.ui.org_typed.trim());
                if let Some(anyway) = self
                    .root
                    .query_selector(&format!("[data-action=\"{ACTION_FILL_ANYWAY}\"]"))?
                {
                    anyway.toggle_attribute_with_force("disabled", !matches)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The admin chose another connector profile.
    fn on_change(&mut self, event: &web_sys::Event) -> Result<(), JsError> {
        let Some(select) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        else {
            return Ok(());
        };
        if select.get_attribute("data-field").as_deref() == Some(PROFILE_FIELD) {
            self.ui.profile = Some(select.value());
            self.noted_scopes = None;
            return self.refresh();
        }
        Ok(())
    }

    /// Updates the countdowns; asks the vault again once one has run out.
    fn tick(&mut self) -> Result<(), JsError> {
        self.follow_rotation();
        let now = js_sys::Date::now();
        let spans = self.root.query_selector_all("[data-expires-at]")?;
        let mut ran_out = false;
        for index in 0..spans.length() {
            let Some(span) = spans.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let expires_at = span
                .get_attribute("data-expires-at")
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0) as f64;
            span.set_text_content(Some(&countdown(expires_at - now)));
            ran_out |= expires_at <= now;
        }
        if ran_out {
            ask_worker(
                Message::VaultQuery { org_domain: None },
                Overlay::on_vault_reply,
            );
        }
        Ok(())
    }

    /// Decides from the latest facts, redraws if anything changed, and tells the agent.
    fn refresh(&mut self) -> Result<(), JsError> {
        let Some(mut model) = self.facts.as_ref().map(|facts| decide(facts, &self.ui)) else {
            return Ok(());
        };
        self.ask_org_if_due();
        // A new page state makes the API's last answer stale, which the model must show.
        if self.check_api_if_due(model.mode)? {
            if let Some(facts) = &self.facts {
                model = decide(facts, &self.ui);
            }
        }
        let Some(facts) = &self.facts else {
            return Ok(());
        };
        let redrawn = self.model.as_ref() != Some(&model);
        if redrawn {
            render(&self.document, &self.root, &model)?;
            if let Some(nickname) = &self.nickname {
                if let Some(input) = self
                    .root
                    .query_selector(&format!("[data-field=\"{NICKNAME_FIELD}\"]"))?
                {
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                        input.set_value(nickname);
                    }
                }
            }
            self.stamp_render_time()?;
            // A confirmation the admin must answer is never left below the panel's fold.
            if let Some(confirm) = self.root.query_selector(".confirm")? {
                confirm.scroll_into_view();
            }
        }
        let layout = self.layout(model.mode);
        if redrawn {
            self.buttons.watch(&self.root)?;
        }
        if self.laid_out.is_some_and(|before| before != layout) {
            // A new size moves the panel's top edge, and its buttons with it. The agent says so
            // once it has moved the frame; until then the buttons wait already.
            self.buttons.frame_moved(&self.root)?;
        }
        self.laid_out = Some(layout);
        let plan = PagePlan {
            seq: facts.seq,
            layout,
            highlights: model.highlights.clone(),
        };
        self.send(&Message::Apply(plan))?;
        self.report_badge(&model);
        self.note_flow(&model);
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
            // Milliseconds with three decimals, formatted as integers: float formatting would
            // cost the module kilobytes.
            let micros = ((performance.time_origin() + performance.now()) * 1000.0) as u64;
            let stamp = format!("{}.{:03}", micros / 1000, micros % 1000);
            self.root.set_attribute("data-rendered-at", &stamp)?;
        }
        Ok(())
    }

    /// Tells the service worker where the checklist stands, for the toolbar badge.
    fn report_badge(&mut self, model: &OverlayModel) {
        let (Some(check), Some(standing)) = (&model.checklist, &model.standing) else {
            return;
        };
        let badge = standing.badge(check);
        if self.reported == Some(badge) {
            return;
        }
        self.reported = Some(badge);
        let (missing, unconfirmed, blocked) = badge;
        ask_worker(
            Message::Summary {
                missing,
                unconfirmed,
                blocked,
            },
            |_, reply| {
                if let Err(error) = reply {
                    warn(&format!("the toolbar badge was not updated: {error}"));
                }
                Ok(())
            },
        );
    }

    /// Notes steps of the flow for the popup: the Admin Console seen, the scopes' state.
    fn note_flow(&mut self, model: &OverlayModel) {
        let Some(facts) = &self.facts else {
            return;
        };
        let Page::Admin { host, place } = recognize(facts) else {
            return;
        };
        let seen = FlowEvent::AdminSeen {
            org_domain: host.org_domain(),
            admin_host: host.to_string(),
            app_id: match place {
                AdminPlace::WorkflowsOauthApp { app_id, .. } => Some(app_id),
                _ => None,
            },
        };
        if self.noted_admin.as_ref() != Some(&seen) {
            self.noted_admin = Some(seen.clone());
            ask_worker(Message::FlowNote { event: seen }, Overlay::on_flow_reply);
        }
        let (Some(check), Some(standing)) = (&model.checklist, &model.standing) else {
            return;
        };
        let states: Vec<(&'static str, bool)> = check
            .scopes
            .iter()
            .map(|status| {
                (
                    status.scope.id,
                    matches!(status.state, ScopeState::Granted(Basis::Page | Basis::Api)),
                )
            })
            .collect();
        let complete = *standing == Standing::Scopes(Verdict::Complete);
        let newly_granted: Vec<String> = match &self.noted_scopes {
            Some((_, before)) => states
                .iter()
                .filter(|(id, granted)| {
                    *granted
                        && before
                            .iter()
                            .any(|(was, was_granted)| was == id && !was_granted)
                })
                .map(|(id, _)| (*id).to_owned())
                .collect(),
            None => Vec::new(),
        };
        let changed = self
            .noted_scopes
            .as_ref()
            .map(|(was_complete, _)| *was_complete)
            != Some(complete);
        self.noted_scopes = Some((complete, states));
        if changed || !newly_granted.is_empty() {
            ask_worker(
                Message::FlowNote {
                    event: FlowEvent::Scopes {
                        org_domain: host.org_domain(),
                        complete,
                        newly_granted,
                    },
                },
                Overlay::on_flow_reply,
            );
        }
    }

    /// The agent wrote the page report: show it, and copy it for the admin to paste.
    fn on_page_report(&mut self, request: u32, text: String) -> Result<(), JsError> {
        if self.report_asked.take() != Some(request) {
            return Ok(());
        }
        self.ui.page_report = Some(text.clone());
        if let Some(window) = web_sys::window() {
            let copied = window.navigator().clipboard().write_text(&text);
            spawn_then(
                wasm_bindgen_futures::JsFuture::from(copied),
                |overlay, copied| {
                    overlay.ui.outcome = Some(match copied {
                        Ok(_) => Outcome::Done(
                            "Copied the page report. Paste it into an issue; \u{201c}What the report holds\u{201d} shows it.".to_owned(),
                        ),
                        Err(_) => Outcome::Failed(
                            "Could not copy the page report; select it under \u{201c}What the report holds\u{201d} and copy it yourself.".to_owned(),
                        ),
                    });
                    overlay.refresh()
                },
            );
        }
        self.refresh()
    }

    pub(super) fn on_flow_reply(&mut self, reply: Result<Message, JsError>) -> Result<(), JsError> {
        match reply {
            Ok(Message::FlowState { orgs }) => {
                for record in orgs {
                    self.ui
                        .flow
                        .retain(|existing| existing.org_domain != record.org_domain);
                    self.ui.flow.push(record);
                }
            }
            Ok(other) => warn(&format!(
                "the flow log answered with a `{}` message",
                other.kind()
            )),
            Err(error) => warn(&format!("the flow log did not answer: {error}")),
        }
        self.refresh()
    }

    fn send(&self, message: &Message) -> Result<(), JsError> {
        self.port.post_message(&encode_message(message)?)?;
        Ok(())
    }
}

/// Copies text with the async clipboard API and says so on the button.
fn copy_to_clipboard(text: &str, button: Element) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        let label = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "Copied",
            Err(_) => "Copy failed",
        };
        button.set_text_content(Some(label));
    });
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
