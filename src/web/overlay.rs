//! The overlay frame's adapter: connects the page agent's port to the core and draws the result.
//!
//! The frame is an extension page, so the page cannot read or script it. The agent that mounted
//! it connects a `chrome.runtime` port (the bootstrap in `extension/overlay.js` checks that the port
//! is this frame's own agent) and hands it to [`start_overlay`]. From then on: facts arrive →
//! [`decide`] → draw → send the agent the plan. Captures and fills are the admin's clicks: the
//! overlay asks the agent to read the credentials once, hands them to the service worker's vault,
//! and on the Workflows console takes them back, once, to have the agent fill the form.

use super::chrome::Port;
use super::render::{
    render, render_fatal, ACTION_API_GRANT, ACTION_API_GRANT_CANCEL, ACTION_API_GRANT_CONFIRM,
    ACTION_API_RECHECK, ACTION_CAPTURE, ACTION_CLEAR, ACTION_COPY_DOMAIN, ACTION_FILL,
    ACTION_FILL_ANYWAY, ACTION_OPEN_TAB, ACTION_SHOW_ME, ACTION_TOGGLE, NICKNAME_FIELD,
    PROFILE_FIELD,
};
use super::{decode_message, encode_message, warn, JsError};
use crate::api::{ApiContext, ApiReport};
use crate::credentials::{is_client_id, CredentialProblem, Credentials};
use crate::fill::{fill_values, plan_fill};
use crate::flow::{countdown, FlowEvent};
use crate::message::{Layout, Message, PageFacts, PagePlan, ProbeId, ProbeResult};
use crate::overlay_model::{
    decide, Action, Mode, Outcome, OverlayModel, UiState, LAUNCHER_SIZE, PANEL_WIDTH,
};
use crate::page::{recognize, AdminPlace, Page};
use crate::page_rules::{
    api_probes, capture_probes, read_app_tabs, read_connection_dialog, read_scope_table,
    read_value, watch_probes, AppTab, FormField,
};
use crate::scopes::{check, profile, Basis, ScopeState, Verdict};
use crate::vault::VaultLookup;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// How long the page must stay unchanged before the helper asks Okta's API about it.
const API_SETTLE_MS: i32 = 300;

/// The panel never grows past this height; longer content scrolls inside it.
const PANEL_MAX_HEIGHT: u32 = 760;

/// What the panel says after a panic; the panic itself goes to the console.
const FATAL_TEXT: &str =
    "The Okta Devices helper hit an internal error and stopped. Reload the page to start it again.";

/// What the panel says when the page agent's port closes.
const DISCONNECTED_TEXT: &str =
    "The helper lost contact with this page. Reload the page to start it again.";

/// An exchange with the page agent that is waiting for its answer.
enum Pending {
    /// The console's XSRF token is being read, for an API call.
    ApiToken {
        request: u32,
        purpose: ApiPurpose,
    },
    Capture {
        request: u32,
        org_domain: String,
    },
    Fill {
        request: u32,
        org_domain: String,
        fields: Vec<FormField>,
        workflows_host: String,
    },
}

/// Why the overlay reads the console's XSRF token.
enum ApiPurpose {
    /// To check the org.
    Check,
    /// To grant the scopes the admin confirmed.
    Grant { scopes: Vec<String> },
    /// To capture a secret the page hides.
    Capture {
        client_id: String,
        page_problem: String,
    },
}

struct Overlay {
    port: Port,
    document: Document,
    root: Element,
    facts: Option<PageFacts>,
    ui: UiState,
    model: Option<OverlayModel>,
    /// The nickname as the admin edited it in the panel, if they did.
    nickname: Option<String>,
    /// The last counts sent to the service worker, so the badge is only updated on change.
    reported: Option<(u32, u32)>,
    next_request: u32,
    pending: Option<Pending>,
    /// The last flow events noted, so each is sent once.
    noted_admin: Option<FlowEvent>,
    noted_scopes: Option<(bool, Vec<(&'static str, bool)>)>,
    /// The page state the last API check was started for.
    api_checked: Option<String>,
    /// The page state a check is scheduled for, once the page has settled.
    api_scheduled: Option<String>,
    /// Whether an API call is under way.
    api_in_flight: bool,
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

    let overlay = Overlay {
        port,
        document,
        root,
        facts: None,
        ui: UiState::default(),
        model: None,
        nickname: None,
        reported: None,
        next_request: 0,
        pending: None,
        noted_admin: None,
        noted_scopes: None,
        api_checked: None,
        api_scheduled: None,
        api_in_flight: false,
    };
    overlay.send(&Message::Watch {
        probes: watch_probes(),
    })?;
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

/// Sends a request to the service worker and hands its reply to `then`, on the overlay.
fn ask_worker(
    message: Message,
    then: impl FnOnce(&mut Overlay, Result<Message, JsError>) -> Result<(), JsError> + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let reply = super::ask_worker(&message).await;
        with_overlay(|overlay| then(overlay, reply));
    });
}

impl Overlay {
    fn on_agent_message(&mut self, value: JsValue) -> Result<(), JsError> {
        match decode_message(value) {
            Ok(Message::Facts(facts)) => {
                self.facts = Some(facts);
                self.refresh()
            }
            Ok(Message::ReadResult { request, probes }) => match &self.pending {
                Some(Pending::ApiToken { .. }) => self.on_api_token(request, &probes),
                _ => self.on_capture_read(request, &probes),
            },
            Ok(Message::FillResult {
                request,
                current,
                missing,
                unconfirmed,
            }) => self.on_fill_result(request, current, &missing, &unconfirmed),
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
        match action.as_str() {
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
                    copy_to_clipboard(&domain.domain, button);
                }
                Ok(())
            }
            ACTION_CAPTURE => self.start_capture(),
            ACTION_CLEAR => {
                if let Some(VaultLookup::Ready(status)) = model.vault {
                    ask_worker(
                        Message::VaultClear {
                            org_domain: status.org_domain,
                        },
                        |overlay, reply| {
                            overlay.ui.outcome = Some(match &reply {
                                Ok(_) => Outcome::Done(
                                    "Cleared: the captured credentials are gone.".to_owned(),
                                ),
                                Err(error) => Outcome::Failed(format!("Could not clear: {error}")),
                            });
                            overlay.on_vault_reply(reply)
                        },
                    );
                }
                Ok(())
            }
            ACTION_FILL => self.start_fill(),
            ACTION_FILL_ANYWAY => {
                self.ui.org_confirmed = true;
                self.start_fill()
            }
            ACTION_API_GRANT => {
                self.ui.api_confirm = model.api.map(|api| api.grantable);
                self.refresh()
            }
            ACTION_API_RECHECK => {
                self.api_checked = None;
                self.api_scheduled = None;
                self.refresh()
            }
            ACTION_API_GRANT_CANCEL => {
                self.ui.api_confirm = None;
                self.refresh()
            }
            ACTION_API_GRANT_CONFIRM => match self.ui.api_confirm.take() {
                Some(scopes) if !self.api_in_flight => {
                    self.ui.api_stale = true;
                    self.read_api_token(ApiPurpose::Grant { scopes })
                }
                _ => self.refresh(),
            },
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
        if input.get_attribute("data-field").as_deref() == Some(NICKNAME_FIELD) {
            self.nickname = Some(input.value());
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
        // A new page state makes the API's last answer stale, which the model must show.
        if self.check_api_if_due(model.mode)? {
            if let Some(facts) = &self.facts {
                model = decide(facts, &self.ui);
            }
        }
        let Some(facts) = &self.facts else {
            return Ok(());
        };
        if self.model.as_ref() != Some(&model) {
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
        let plan = PagePlan {
            seq: facts.seq,
            layout: self.layout(model.mode),
            highlights: model.highlights.clone(),
        };
        self.send(&Message::Apply(plan))?;
        self.report_counts(&model);
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

    /// Tells the service worker the checklist's counts, for the toolbar badge.
    fn report_counts(&mut self, model: &OverlayModel) {
        let Some(counts) = model.checklist.as_ref().map(|check| check.counts()) else {
            return;
        };
        if self.reported == Some(counts) {
            return;
        }
        self.reported = Some(counts);
        ask_worker(
            Message::Summary {
                missing: counts.0,
                unconfirmed: counts.1,
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
        let Some(check) = &model.checklist else {
            return;
        };
        let states: Vec<(&'static str, bool)> = check
            .scopes
            .iter()
            .map(|status| {
                (
                    status.scope.id,
                    status.state == ScopeState::Granted(Basis::Page),
                )
            })
            .collect();
        let complete = check.verdict() == Verdict::Complete;
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

    fn start_capture(&mut self) -> Result<(), JsError> {
        let Some(capture) = self.model.as_ref().and_then(|m| m.capture.clone()) else {
            return Ok(());
        };
        let request = self.new_request();
        self.pending = Some(Pending::Capture {
            request,
            org_domain: capture.org_domain,
        });
        self.send(&Message::ReadOnce {
            request,
            probes: capture_probes(),
        })
    }

    fn on_capture_read(&mut self, request: u32, probes: &[ProbeResult]) -> Result<(), JsError> {
        let Some(Pending::Capture {
            request: expected,
            org_domain,
        }) = &self.pending
        else {
            return Ok(());
        };
        if *expected != request {
            return Ok(());
        }
        let org_domain = org_domain.clone();
        self.pending = None;
        let client_id = read_value(probes, ProbeId::ClientIdValue);
        let client_secret = read_value(probes, ProbeId::ClientSecretValue);
        match Credentials::validate(&org_domain, client_id.as_deref(), client_secret.as_deref()) {
            Err(problems) => {
                let text = CredentialProblem::describe(&problems);
                let secret_hidden = matches!(
                    problems.as_slice(),
                    [CredentialProblem::SecretMasked] | [CredentialProblem::SecretNotFound]
                );
                match client_id.filter(|id| secret_hidden && is_client_id(id)) {
                    // The page hides the secret: the API's client-secrets endpoint has it.
                    Some(client_id) => {
                        self.ui.outcome = Some(Outcome::Done(
                            "The page hides the Client secret; reading it through Okta's API\u{2026}".to_owned(),
                        ));
                        self.read_api_token(ApiPurpose::Capture {
                            client_id,
                            page_problem: text,
                        })
                    }
                    None => {
                        self.ui.outcome = Some(Outcome::Failed(text));
                        self.refresh()
                    }
                }
            }
            Ok(credentials) => {
                ask_worker(Message::VaultPut { credentials }, |overlay, reply| {
                    overlay.ui.outcome = Some(match &reply {
                        Ok(Message::VaultState { lookups }) => match lookups.first() {
                            Some(VaultLookup::Ready(status)) => Outcome::Done(format!(
                                "Captured for {}. Open Okta Workflows \u{2192} Connections \u{2192} New Connection \u{2192} Okta Devices to fill it.",
                                status.org_domain
                            )),
                            _ => Outcome::Failed("The vault did not keep the credentials.".to_owned()),
                        },
                        Ok(_) => Outcome::Failed("The vault gave an unexpected answer.".to_owned()),
                        Err(error) => Outcome::Failed(format!("Could not capture: {error}")),
                    });
                    overlay.on_vault_reply(reply)
                });
                Ok(())
            }
        }
    }

    /// Starts an API check when the page shows something the last check did not see.
    /// Schedules an API check when the page shows a state the last check did not see; returns
    /// whether that made the API's last answer stale.
    fn check_api_if_due(&mut self, mode: Mode) -> Result<bool, JsError> {
        let Some(facts) = &self.facts else {
            return Ok(false);
        };
        let Page::Admin { place, .. } = recognize(facts) else {
            return Ok(false);
        };
        let wanted = match place {
            AdminPlace::WorkflowsOauthApp { .. } => true,
            // Elsewhere, only once the admin opened the panel: it links to the app.
            _ => mode == Mode::Panel,
        };
        if !wanted || self.api_in_flight || self.pending.is_some() {
            return Ok(false);
        }
        // The page's own state, not the API-settled one the panel shows: what the page says is
        // what a new check must answer.
        let page = check(
            profile(self.ui.profile.as_deref()),
            &read_scope_table(facts),
        );
        let states: Vec<String> = page
            .scopes
            .iter()
            .map(|status| format!("{}={:?}", status.scope.id, status.state))
            .collect();
        let key = format!(
            "{}|{:?}|{}",
            facts.location.path,
            self.ui.profile,
            states.join(",")
        );
        if self.api_checked.as_deref() == Some(key.as_str())
            || self.api_scheduled.as_deref() == Some(key.as_str())
        {
            return Ok(false);
        }
        // Wait for the page to settle (a console renders in steps) so that one check answers
        // one state, and the page's own loading is not slowed by the helper's calls.
        self.api_scheduled = Some(key.clone());
        let was_stale = self.ui.api_stale;
        self.ui.api_stale = self.ui.api.is_some();
        let wake = Closure::once_into_js(move || {
            with_overlay(|overlay| overlay.start_scheduled_check(&key))
        });
        if let Some(window) = web_sys::window() {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(
                wake.unchecked_ref(),
                API_SETTLE_MS,
            )?;
        }
        Ok(self.ui.api_stale != was_stale)
    }

    fn start_scheduled_check(&mut self, key: &str) -> Result<(), JsError> {
        if self.api_scheduled.as_deref() != Some(key) {
            return Ok(()); // a later page state took its place
        }
        self.api_scheduled = None;
        if self.api_in_flight || self.pending.is_some() {
            // The answer under way brings a new look at the page when it arrives.
            return Ok(());
        }
        self.api_checked = Some(key.to_owned());
        self.read_api_token(ApiPurpose::Check)
    }

    /// Asks the agent for the console's XSRF token; the API call follows in [`Self::on_api_token`].
    fn read_api_token(&mut self, purpose: ApiPurpose) -> Result<(), JsError> {
        let request = self.new_request();
        self.api_in_flight = true;
        self.pending = Some(Pending::ApiToken { request, purpose });
        self.send(&Message::ReadOnce {
            request,
            probes: api_probes(),
        })
    }

    fn on_api_token(&mut self, request: u32, probes: &[ProbeResult]) -> Result<(), JsError> {
        let Some(Pending::ApiToken {
            request: expected, ..
        }) = &self.pending
        else {
            return Ok(());
        };
        if *expected != request {
            return Ok(());
        }
        let Some(Pending::ApiToken { purpose, .. }) = self.pending.take() else {
            return Ok(());
        };
        let admin_host = match self.facts.as_ref().map(recognize) {
            Some(Page::Admin { host, .. }) => host.to_string(),
            _ => {
                self.api_in_flight = false;
                return self.refresh();
            }
        };
        let Some(xsrf) = read_value(probes, ProbeId::XsrfToken)
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
        else {
            self.api_in_flight = false;
            self.ui.api_stale = false;
            self.ui.api = Some(ApiReport {
                problems: vec!["Could not read the console's XSRF token from the page, so the helper cannot ask Okta's API.".to_owned()],
                ..ApiReport::default()
            });
            return self.refresh();
        };
        let context = ApiContext {
            admin_host,
            xsrf,
            profile: profile(self.ui.profile.as_deref()).id.to_owned(),
        };
        match purpose {
            ApiPurpose::Check => ask_worker(Message::ApiCheck { context }, Overlay::on_api_report),
            ApiPurpose::Grant { scopes } => {
                ask_worker(Message::ApiGrant { context, scopes }, |overlay, reply| {
                    overlay.on_api_report(reply)?;
                    // Show the new grants on the page too: the Scopes tab reads them when it opens.
                    let tab = overlay.facts.as_ref().and_then(|facts| {
                        read_app_tabs(facts)
                            .into_iter()
                            .find(|link| link.tab == Some(AppTab::OktaApiScopes))
                    });
                    match tab {
                        Some(link) => overlay.send(&Message::Click {
                            target: crate::message::ElementRef {
                                probe: ProbeId::AppTabs,
                                index: u32::try_from(link.index).unwrap_or(u32::MAX),
                                part: None,
                            },
                        }),
                        None => Ok(()),
                    }
                })
            }
            ApiPurpose::Capture {
                client_id,
                page_problem,
            } => {
                ask_worker(
                    Message::CaptureFromApi { context, client_id },
                    move |overlay, reply| {
                        overlay.api_in_flight = false;
                        overlay.ui.outcome = Some(match &reply {
                        Ok(Message::VaultState { lookups }) => match lookups.first() {
                            Some(VaultLookup::Ready(status)) => Outcome::Done(format!(
                                "Captured for {} (the page hides the secret, so it was read through Okta's API). Open Okta Workflows \u{2192} Connections \u{2192} New Connection \u{2192} Okta Devices to fill it.",
                                status.org_domain
                            )),
                            _ => Outcome::Failed(page_problem.clone()),
                        },
                        Ok(_) => Outcome::Failed(page_problem.clone()),
                        Err(error) => Outcome::Failed(format!("{page_problem} (Reading it through Okta's API failed too: {error})")),
                    });
                        overlay.on_vault_reply(reply)
                    },
                );
            }
        }
        Ok(())
    }

    fn on_api_report(&mut self, reply: Result<Message, JsError>) -> Result<(), JsError> {
        self.api_in_flight = false;
        self.ui.api_stale = false;
        self.ui.api = Some(match reply {
            Ok(Message::ApiReport(report)) => report,
            Ok(other) => ApiReport {
                problems: vec![format!(
                    "The service worker answered with a `{}` message.",
                    other.kind()
                )],
                ..ApiReport::default()
            },
            Err(error) => ApiReport {
                problems: vec![error.to_string()],
                ..ApiReport::default()
            },
        });
        self.refresh()
    }

    fn start_fill(&mut self) -> Result<(), JsError> {
        let Some(facts) = self.facts.clone() else {
            return Ok(());
        };
        let Page::Workflows { host } = recognize(&facts) else {
            return Ok(());
        };
        let Some(source) = self
            .model
            .as_ref()
            .and_then(|m| m.fill.as_ref())
            .and_then(|f| f.source.clone())
        else {
            return Ok(());
        };
        let plan = match plan_fill(
            read_connection_dialog(&facts).as_ref(),
            &host,
            &source.org_domain,
            self.ui.org_confirmed,
        ) {
            Ok(plan) => plan,
            Err(refusal) => {
                self.ui.outcome = Some(Outcome::Failed(refusal.to_string()));
                return self.refresh();
            }
        };
        let nickname = self
            .nickname
            .clone()
            .unwrap_or_else(|| crate::fill::default_nickname(&source.org_domain));
        let org_domain = source.org_domain.clone();
        ask_worker(
            Message::VaultTake {
                org_domain: org_domain.clone(),
            },
            move |overlay, reply| {
                let credentials = match reply {
                    Ok(Message::VaultCredentials { credentials })
                        if credentials.org_domain == org_domain =>
                    {
                        credentials
                    }
                    Ok(_) => {
                        overlay.ui.outcome = Some(Outcome::Failed(
                            "The vault gave an unexpected answer; nothing was filled.".to_owned(),
                        ));
                        return overlay.refresh();
                    }
                    Err(error) => {
                        overlay.ui.outcome = Some(Outcome::Failed(error.to_string()));
                        return overlay.refresh();
                    }
                };
                let request = overlay.new_request();
                overlay.pending = Some(Pending::Fill {
                    request,
                    org_domain,
                    fields: plan.targets.iter().map(|(field, _)| *field).collect(),
                    workflows_host: host.to_string(),
                });
                overlay.send(&Message::Fill {
                    request,
                    seq: facts.seq,
                    fields: fill_values(&plan, &credentials, &nickname),
                })
            },
        );
        Ok(())
    }

    fn on_fill_result(
        &mut self,
        request: u32,
        current: bool,
        missing: &[u32],
        unconfirmed: &[u32],
    ) -> Result<(), JsError> {
        let Some(Pending::Fill {
            request: expected, ..
        }) = &self.pending
        else {
            return Ok(());
        };
        if *expected != request {
            return Ok(());
        }
        let Some(Pending::Fill {
            org_domain,
            fields,
            workflows_host,
            ..
        }) = self.pending.take()
        else {
            return Ok(());
        };
        let names = |indexes: &[u32]| {
            indexes
                .iter()
                .filter_map(|&i| fields.get(i as usize))
                .map(|field| field.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.ui.outcome = Some(if !current {
            Outcome::Failed(
                "The dialog changed before the fill; nothing was filled. Click Fill again."
                    .to_owned(),
            )
        } else if !missing.is_empty() {
            Outcome::Failed(format!(
                "Nothing was filled: could not find the {} field in the dialog.",
                names(missing)
            ))
        } else if !unconfirmed.is_empty() {
            Outcome::Failed(format!(
                "The form did not keep {}. Type {} by hand; the credentials stay captured.",
                names(unconfirmed),
                if unconfirmed.len() == 1 { "it" } else { "them" }
            ))
        } else {
            self.ui.filled = Some(org_domain.clone());
            ask_worker(
                Message::VaultClear {
                    org_domain: org_domain.clone(),
                },
                Overlay::on_vault_reply,
            );
            ask_worker(
                Message::FlowNote {
                    event: FlowEvent::Filled {
                        org_domain: org_domain.clone(),
                        workflows_host,
                    },
                },
                Overlay::on_flow_reply,
            );
            Outcome::Done(format!(
                "Filled Connection Nickname, Domain, Client ID and Client Secret from {org_domain}, and cleared them from the helper. Check the form, then click Create."
            ))
        });
        self.refresh()
    }

    fn on_vault_reply(&mut self, reply: Result<Message, JsError>) -> Result<(), JsError> {
        match reply {
            Ok(Message::VaultState { lookups }) => {
                let known = self.ui.vault.get_or_insert_with(Vec::new);
                for lookup in lookups {
                    let org = lookup.org_domain().to_owned();
                    known.retain(|existing| existing.org_domain() != org);
                    known.push(lookup);
                }
            }
            Ok(other) => warn(&format!(
                "the vault answered with a `{}` message",
                other.kind()
            )),
            Err(error) => warn(&format!("the vault did not answer: {error}")),
        }
        self.refresh()
    }

    fn on_flow_reply(&mut self, reply: Result<Message, JsError>) -> Result<(), JsError> {
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

    fn new_request(&mut self) -> u32 {
        self.next_request = self.next_request.wrapping_add(1);
        self.next_request
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
