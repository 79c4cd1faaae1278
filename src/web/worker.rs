//! The service worker's adapter: owner of the vault and the flow log, the toolbar badge, and the
//! one call to the org that needs no console session, its public metadata. It makes no request to
//! the org's `/api/v1`: those carry the console session, and Okta accepts them only from the
//! console page's own origin, so the page agent carries them (see `transport`).
//!
//! The worker may be stopped and restarted at any time, so it keeps nothing in memory: the vault
//! and flow records live in `chrome.storage.session`, and expiry is driven by a `chrome.alarms`
//! alarm (which survives restarts) plus a timer for sub-minute lifetimes while the worker is up;
//! every read checks expiry anyway. The bootstrap (`extension/sw.js`) registers the listeners
//! synchronously at start-up and hands each event here once the module is ready.
//!
//! Only the extension's own pages are served: a request whose sender is not the overlay frame (or,
//! for read-only questions, the popup) is refused, so a content script, and so a page, can never
//! reach the vault. The one exception is the page agent's registration of its overlay frame's
//! token, in Firefox, which only says which channel that frame may take (see
//! [`crate::agent_channel`]); the browser, not the message, says where the agent runs.

use super::chrome::{
    alarms_create, runtime_url, set_badge_background_color, set_badge_text, set_timeout,
};
use super::storage::{lifetime_seconds, ChromeSession};
use super::{decode_message, encode_message, warn, JsError};
use crate::agent_channel::{Registration, Registrations, Sender, REFUSAL};
use crate::confirm::{Answer, Question, Questions};
use crate::credentials::{CredentialProblem, Credentials};
use crate::fill::{may_hand_out, may_keep};
use crate::flow::FlowLog;
use crate::host::AdminHost;
use crate::message::Message;
use crate::org::{metadata_url, CachedOrg, OrgLookup, OrgMetadata};
use crate::vault::{TakeError, Vault, VaultLookup};
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The alarm that expires the vault.
pub const EXPIRY_ALARM: &str = "vault-expiry";

/// Which of the extension's pages sent a message.
#[derive(Debug, Clone, PartialEq)]
enum From {
    /// The overlay frame, in a tab: its id, and its host as the browser reports the tab's URL
    /// (never as a message says it).
    Overlay { tab_id: f64, tab_host: String },
    /// The toolbar popup.
    Popup,
}

/// How long the overlay's question "was it answered?" is held open before the worker says it
/// is still waiting (and the overlay asks again): well inside the worker's idle limits.
const ANSWER_WAIT_MS: f64 = 20_000.0;

thread_local! {
    /// The held polls, by question id: each one's wake-up. Only a wake-up lives here; the
    /// question and its answer stay in the session store, so a restarted worker loses nothing
    /// but the wait (the overlay then asks again).
    static ANSWER_WAITS: RefCell<Vec<(String, Function)>> = const { RefCell::new(Vec::new()) };
}

/// One held poll for the toolbar's answer to a question: the admin's confirmation acts at once,
/// without the overlay asking several times a second.
struct AnswerWait {
    woken: Promise,
    /// The promise's resolver (always there: a promise's executor runs at once).
    wake: Option<Function>,
}

impl AnswerWait {
    /// Starts listening for an answer to `id`; it gives up after [`ANSWER_WAIT_MS`].
    fn new(id: &str) -> Self {
        let mut wake = None;
        let woken = Promise::new(&mut |resolve, _| {
            set_timeout(&resolve, ANSWER_WAIT_MS);
            wake = Some(resolve);
        });
        if let Some(wake) = &wake {
            ANSWER_WAITS.with(|waits| waits.borrow_mut().push((id.to_owned(), wake.clone())));
        }
        Self { woken, wake }
    }

    /// Resolves when the question is answered, or when the wait gives up.
    async fn until_answered(&self) {
        // The promise only resolves; its value says nothing.
        let _ = JsFuture::from(self.woken.clone()).await;
    }

    /// Wakes every poll held for `id`.
    fn wake(id: &str) {
        let woken: Vec<Function> = ANSWER_WAITS.with(|waits| {
            let mut waits = waits.borrow_mut();
            let (woken, held) = waits.drain(..).partition(|(of, _)| of == id);
            *waits = held;
            woken.into_iter().map(|(_, wake)| wake).collect()
        });
        for wake in woken {
            // Resolving a promise cannot fail.
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
    }
}

impl Drop for AnswerWait {
    fn drop(&mut self) {
        if let Some(mine) = &self.wake {
            ANSWER_WAITS.with(|waits| {
                waits
                    .borrow_mut()
                    .retain(|(_, wake)| !Object::is(wake, mine))
            });
        }
    }
}

/// Handles one `chrome.runtime.onMessage` event; the result is the encoded reply.
#[wasm_bindgen(js_name = onRuntimeMessage)]
pub async fn on_runtime_message(message: JsValue, sender: JsValue) -> JsValue {
    let reply = match handle(message, &sender).await {
        Ok(reply) => reply,
        Err(reason) => Message::Refused { reason },
    };
    encode_message(&reply).unwrap_or(JsValue::NULL)
}

/// Handles a `chrome.alarms.onAlarm` event.
#[wasm_bindgen(js_name = onAlarm)]
pub async fn on_alarm(name: String) {
    if name == EXPIRY_ALARM {
        expire_due().await;
    }
}

/// Expires what is due at start-up: the worker may have slept through an expiry.
#[wasm_bindgen(js_name = onWorkerStart)]
pub async fn on_worker_start() {
    if let Err(error) = ChromeSession::restrict_to_extension().await {
        warn(&format!("could not restrict session storage: {error}"));
    }
    expire_due().await;
}

async fn handle(message: JsValue, sender: &JsValue) -> Result<Message, String> {
    let message = decode_message(message).map_err(|error| {
        warn(&error.to_string());
        error.to_string()
    })?;
    let now = js_sys::Date::now();
    let store = ChromeSession;
    let failed = |error: crate::vault::StoreError| error.to_string();
    if let Message::ChannelRegister { token } = &message {
        // From the page agent, a content script: the only message taken from one.
        return register_channel(&store, sender, token, now).await;
    }
    let from = sender_of(sender)?;
    let from_overlay = || match &from {
        From::Overlay { tab_id, tab_host } => Ok((*tab_id, tab_host.clone())),
        From::Popup => Err(format!(
            "`{}` is only taken from the overlay",
            message.kind()
        )),
    };
    let from_popup = || match &from {
        From::Popup => Ok(()),
        From::Overlay { .. } => Err(format!(
            "`{}` is only taken from the toolbar popup",
            message.kind()
        )),
    };
    let vault = Vault::new(&store);
    match &message {
        Message::Summary {
            missing,
            unconfirmed,
            blocked,
        } => {
            show_badge(from_overlay()?.0, *missing, *unconfirmed, *blocked)
                .await
                .map_err(|e| e.to_string())?;
            Ok(Message::Done {})
        }
        Message::VaultPut { credentials } => {
            let (_, tab_host) = from_overlay()?;
            may_keep(&tab_host, &credentials.org_domain)?;
            keep(
                &vault,
                &credentials.org_domain,
                &credentials.client_id,
                credentials.client_secret.expose(),
                now,
            )
            .await
        }
        Message::VaultQuery { org_domain } => Ok(Message::VaultState {
            lookups: match org_domain {
                Some(org) => vec![vault.lookup(org, now).await.map_err(failed)?],
                None => vault.list(now).await.map_err(failed)?,
            },
        }),
        Message::VaultTake {
            org_domain,
            confirmed_for,
        } => {
            let (_, tab_host) = from_overlay()?;
            may_hand_out(&tab_host, org_domain, confirmed_for.as_deref())?;
            match vault.take(org_domain, now).await {
                Ok(credentials) => Ok(Message::VaultCredentials { credentials }),
                Err(TakeError::Unavailable(VaultLookup::Expired { .. })) => Err(format!(
                    "The credentials captured for {org_domain} have expired. Capture them again."
                )),
                Err(TakeError::Unavailable(_)) => Err(format!(
                    "No credentials are captured for {org_domain}. Capture them on the Okta Workflows OAuth app's Sign On tab."
                )),
                Err(TakeError::Store(error)) => Err(error.to_string()),
            }
        }
        Message::VaultClear { org_domain } => {
            vault.clear(org_domain).await.map_err(failed)?;
            Ok(Message::VaultState {
                lookups: vec![VaultLookup::Empty {
                    org_domain: org_domain.clone(),
                }],
            })
        }
        Message::FlowNote { event } => {
            let (_, tab_host) = from_overlay()?;
            let event = event.clone().as_seen_from(&tab_host)?;
            let record = FlowLog::new(&store).note(event).await.map_err(failed)?;
            Ok(Message::FlowState { orgs: vec![record] })
        }
        Message::FlowQuery {} => Ok(Message::FlowState {
            orgs: FlowLog::new(&store).all().await.map_err(failed)?,
        }),
        Message::ConfirmAsk { id, what } => {
            let (tab_id, host) = from_overlay()?;
            let id_ok = (16..=64).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !id_ok || what.trim().is_empty() {
                return Err("A toolbar question needs an id and a text.".to_owned());
            }
            let question = Question {
                id: id.clone(),
                what: what.chars().take(300).collect(),
                host,
                tab_id,
                asked_at: now,
                answer: None,
            };
            Questions::new(&store)
                .ask(question, now)
                .await
                .map_err(failed)?;
            Ok(Message::Done {})
        }
        Message::ConfirmPoll { id } => {
            let (tab_id, _) = from_overlay()?;
            let questions = Questions::new(&store);
            // Listening before the first read, so that an answer given in between still wakes it.
            let answered = AnswerWait::new(id);
            let mut answer = questions.poll(id, tab_id, now).await.map_err(failed)?;
            if answer == Answer::Waiting {
                answered.until_answered().await;
                answer = questions
                    .poll(id, tab_id, js_sys::Date::now())
                    .await
                    .map_err(failed)?;
            }
            Ok(Message::ConfirmState { answer })
        }
        Message::ConfirmQuery {} => {
            from_popup()?;
            Ok(Message::ConfirmList {
                questions: Questions::new(&store).waiting(now).await.map_err(failed)?,
            })
        }
        Message::ConfirmAnswer { id, yes } => {
            from_popup()?;
            if Questions::new(&store)
                .answer(id, *yes, now)
                .await
                .map_err(failed)?
            {
                AnswerWait::wake(id);
                Ok(Message::Done {})
            } else {
                Err("This question is no longer waiting (it lapsed, or the panel asked another). Click the button in the panel again.".to_owned())
            }
        }
        Message::ChannelClaim { token } => {
            let (tab_id, tab_host) = from_overlay()?;
            if Registrations::new(&store)
                .claim(tab_id, &tab_host, token, now)
                .await
                .map_err(failed)?
            {
                Ok(Message::Done {})
            } else {
                warn("refused a channel that the page agent of the panel's own tab did not open");
                Err(REFUSAL.to_owned())
            }
        }
        Message::OrgQuery {} => {
            let (_, tab_host) = from_overlay()?;
            let host = AdminHost::parse(&tab_host)
                .ok_or("The helper reads org metadata only for an Okta Admin Console.")?;
            Ok(Message::OrgMetadata {
                lookup: org_metadata(&host.org_domain(), now).await,
            })
        }
        other => {
            let text = format!(
                "the service worker does not take `{}` messages",
                other.kind()
            );
            warn(&text);
            Err(text)
        }
    }
}

/// Keeps credentials in the vault, checked again here: the worker stores only what has the shape
/// of credentials.
async fn keep(
    vault: &Vault<'_, ChromeSession>,
    org_domain: &str,
    client_id: &str,
    secret: &str,
    now: f64,
) -> Result<Message, String> {
    let valid = Credentials::validate(org_domain, Some(client_id), Some(secret))
        .map_err(|problems| CredentialProblem::describe(&problems))?;
    let status = vault
        .put(valid, now, lifetime_seconds().await)
        .await
        .map_err(|error| error.to_string())?;
    schedule_expiry(vault, now).await;
    Ok(Message::VaultState {
        lookups: vec![VaultLookup::Ready(status)],
    })
}

/// Keeps the page agent's registration of its overlay frame's token, if the browser reports the
/// sender as the top frame of a console tab.
async fn register_channel(
    store: &ChromeSession,
    sender: &JsValue,
    token: &str,
    now: f64,
) -> Result<Message, String> {
    let field = |object: &JsValue, key: &str| {
        Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    };
    let tab = field(sender, "tab");
    let url = field(sender, "url").as_string();
    let agent = Sender {
        tab_id: field(&tab, "id").as_f64(),
        frame_id: field(sender, "frameId").as_f64(),
        url: url.as_deref(),
    };
    let registration = Registration::of(agent, token, now).inspect_err(|why| warn(why))?;
    Registrations::new(store)
        .register(&registration)
        .await
        .map_err(|error| error.to_string())?;
    Ok(Message::Done {})
}

/// Which extension page sent a message; anything else (a content script) is refused.
fn sender_of(sender: &JsValue) -> Result<From, String> {
    let url = Reflect::get(sender, &JsValue::from_str("url"))
        .ok()
        .and_then(|url| url.as_string())
        .unwrap_or_default();
    // The overlay is a web-accessible page with a dynamic URL (its origin is a per-session id,
    // not the extension's), so it is known by its path; the bootstrap has already checked that
    // the sender is this extension (`sender.id`, which the browser sets).
    let page = |name: &str| {
        let page_url = runtime_url(name);
        let path = format!("/{name}");
        let dynamic = url.strip_prefix("chrome-extension://").is_some_and(|rest| {
            rest.find('/').is_some_and(|at| {
                let tail = &rest[at..];
                tail == path
                    || tail.starts_with(&format!("{path}#"))
                    || tail.starts_with(&format!("{path}?"))
            })
        });
        dynamic
            || url == page_url
            || url.starts_with(&format!("{page_url}#"))
            || url.starts_with(&format!("{page_url}?"))
    };
    if page("overlay.html") {
        let tab = Reflect::get(sender, &JsValue::from_str("tab")).unwrap_or(JsValue::UNDEFINED);
        let tab_id = Reflect::get(&tab, &JsValue::from_str("id"))
            .ok()
            .and_then(|id| id.as_f64())
            .ok_or("the overlay's message did not come from a tab")?;
        let tab_host = Reflect::get(&tab, &JsValue::from_str("url"))
            .ok()
            .and_then(|url| url.as_string())
            .and_then(|url| crate::host::url_host(&url))
            .ok_or("the overlay's tab has no https address the helper can read")?;
        Ok(From::Overlay { tab_id, tab_host })
    } else if page("popup.html") {
        Ok(From::Popup)
    } else {
        warn("refused a message that did not come from one of the extension's own pages");
        Err("Only the extension's own pages may ask this.".to_owned())
    }
}

/// Expires what is due, then plans the next expiry.
async fn expire_due() {
    let store = ChromeSession;
    let vault = Vault::new(&store);
    let now = js_sys::Date::now();
    if let Err(error) = vault.expire_due(now).await {
        warn(&format!("could not expire the vault: {error}"));
    }
    schedule_expiry(&vault, now).await;
}

/// Sets the alarm, and a timer for lifetimes shorter than an alarm can be, to the next expiry.
async fn schedule_expiry(vault: &Vault<'_, ChromeSession>, now: f64) {
    let next = match vault.next_expiry(now).await {
        Ok(Some(next)) => next,
        Ok(None) => return,
        Err(error) => {
            warn(&format!("could not plan the vault's expiry: {error}"));
            return;
        }
    };
    let info = Object::new();
    let alarm = Reflect::set(&info, &"when".into(), &next.into())
        .map_err(JsError::from)
        .and_then(|_| alarms_create(EXPIRY_ALARM, &info).map_err(JsError::from));
    match alarm {
        Ok(promise) => {
            if let Err(error) = JsFuture::from(promise).await {
                warn(&format!(
                    "could not set the expiry alarm: {}",
                    JsError::from(error)
                ));
            }
        }
        Err(error) => warn(&format!("could not set the expiry alarm: {error}")),
    }
    let wake = Closure::once_into_js(|| wasm_bindgen_futures::spawn_local(expire_due()));
    set_timeout(wake.unchecked_ref(), (next - now).max(0.0) + 50.0);
}

/// Badge: `!` when the connector cannot work in this org (red), the number of scopes to grant
/// (red), `?` when some are unconfirmed (amber), or a check.
async fn show_badge(
    tab_id: f64,
    missing: u32,
    unconfirmed: u32,
    blocked: bool,
) -> Result<(), JsError> {
    let (text, color) = match (missing, unconfirmed) {
        _ if blocked => ("!".to_owned(), "#d1242f"),
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

thread_local! {
    /// Recent reads of orgs' metadata. Only a cache: the worker may be stopped at any time, and
    /// then the metadata is read again.
    static ORG_CACHE: std::cell::RefCell<Vec<CachedOrg>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The org's public metadata: from the cache while it is fresh, else read with gloo-net from the
/// extension's origin (the metadata needs no session and Okta serves it to any origin).
async fn org_metadata(org_domain: &str, now: f64) -> OrgLookup {
    let cached = ORG_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.retain(|entry| entry.is_fresh(now));
        cache
            .iter()
            .find(|entry| entry.org_domain == org_domain)
            .map(|entry| entry.lookup.clone())
    });
    if let Some(lookup) = cached {
        return lookup;
    }
    let lookup = read_org_metadata(org_domain).await;
    if let Some(entry) = CachedOrg::worth_keeping(org_domain, &lookup, now) {
        ORG_CACHE.with(|cache| cache.borrow_mut().push(entry));
    }
    lookup
}

async fn read_org_metadata(org_domain: &str) -> OrgLookup {
    let unreadable = |why: String| OrgLookup::Unreadable { why };
    let sent = gloo_net::http::Request::get(&metadata_url(org_domain))
        .credentials(web_sys::RequestCredentials::Omit)
        .header("Accept", "application/json")
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(error) => {
            return unreadable(format!("Okta's org metadata could not be reached: {error}"))
        }
    };
    if !response.ok() {
        return unreadable(format!(
            "Okta's org metadata answered with status {}",
            response.status()
        ));
    }
    let parsed = match response.text().await {
        Ok(text) => js_sys::JSON::parse(&text).ok(),
        Err(_) => None,
    };
    match parsed.map(super::codec::from_js::<OrgMetadata>) {
        Some(Ok(metadata)) => OrgLookup::read(metadata),
        Some(Err(_)) => unreadable("Okta's org metadata has another shape".to_owned()),
        None => unreadable("Okta's org metadata is not JSON".to_owned()),
    }
}
