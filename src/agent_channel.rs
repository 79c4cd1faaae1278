//! In Firefox, which channel the overlay may take as its page agent's: only the one offered by the
//! page agent of its own tab, on an Okta console.
//!
//! Firefox gives the overlay frame its port as a `MessageChannel` posted by the frame's parent
//! window with the token of the frame's address. Any page on an Okta domain that knows the
//! extension's address (random per installation, but fixed for its life) can frame the overlay
//! with a token of its own and post it a channel, so the token alone proves nothing. The page
//! agent, a content script that the browser runs only on the consoles, therefore registers its
//! frame's token with the service worker first, and the browser, not the message, says which tab
//! and frame the agent is in. The overlay then claims the registration before it takes a channel:
//! the service worker grants it only to an overlay in that same tab, showing the same console,
//! with that token, within [`REGISTRATION_WINDOW_MS`], and once.
//!
//! These are the rules of that exchange; the service worker keeps one registration per tab in the
//! session store (one key per tab, so that tabs loading together never overwrite each other's).

use crate::host::{url_host, AdminHost, WorkflowsHost};
use crate::vault::{SessionStore, StoreError};
use serde::{Deserialize, Serialize};

/// How long a registration waits for its overlay's claim. The agent registers once the frame has
/// loaded and offers the channel as soon as the service worker has answered, so a claim comes
/// within moments.
pub const REGISTRATION_WINDOW_MS: f64 = 60_000.0;

/// What the overlay says, and nothing else, when it refuses the channel it was offered.
pub const REFUSAL: &str = "This panel was opened by a page that is not an Okta console; close it.";

/// Where a tab's registration is kept in the session store, before the tab's id.
const KEY_PREFIX: &str = "agent-channel/";

/// The largest integer a JavaScript number holds exactly: tab ids are whole numbers.
const MAX_TAB_ID: f64 = 9_007_199_254_740_991.0;

/// What the browser reported about the sender of a registration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sender<'a> {
    /// `sender.tab.id`, if the sender is in a tab.
    pub tab_id: Option<f64>,
    /// `sender.frameId`: 0 for a tab's top frame.
    pub frame_id: Option<f64>,
    /// `sender.url`: the address of the document the sender runs in.
    pub url: Option<&'a str>,
}

/// A page agent's token, kept for its tab until its overlay claims it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The tab the agent runs in.
    pub tab_id: f64,
    /// The console's host, as the browser reported the agent's address.
    pub host: String,
    /// The token the agent put in its overlay frame's address.
    pub token: String,
    /// When it was registered (ms since the epoch).
    pub registered_at: f64,
}

impl Registration {
    /// The registration `sender` may make of `token` at `now`, or why it may not: only the top
    /// frame of a tab showing an Admin Console or an Okta Workflows console registers (the page
    /// agent runs nowhere else), and only a token of the shape the agent makes.
    pub fn of(sender: Sender<'_>, token: &str, now: f64) -> Result<Self, String> {
        let refused = || {
            "Only the helper's page agent on an Okta console may open the panel's channel."
                .to_owned()
        };
        let host = sender.url.and_then(url_host).ok_or_else(refused)?;
        if AdminHost::parse(&host).is_none() && WorkflowsHost::parse(&host).is_none() {
            return Err(refused());
        }
        if sender.frame_id != Some(0.0) {
            return Err(refused());
        }
        let tab_id = sender
            .tab_id
            .filter(|id| tab_key(*id).is_some())
            .ok_or_else(refused)?;
        if !is_token(token) {
            return Err("The panel's channel needs a random token.".to_owned());
        }
        Ok(Self {
            tab_id,
            host,
            token: token.to_owned(),
            registered_at: now,
        })
    }

    fn lapsed(&self, now: f64) -> bool {
        now - self.registered_at > REGISTRATION_WINDOW_MS || now < self.registered_at
    }
}

/// A token as the agent makes it (`crypto.randomUUID()`): 16 to 64 letters, digits and hyphens.
fn is_token(token: &str) -> bool {
    (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The session store's key of a tab's registration; `None` for what is no tab id.
fn tab_key(tab_id: f64) -> Option<String> {
    // Formatted as an integer: a float's formatting code would weigh on the Wasm module.
    let whole = tab_id.fract() == 0.0 && (0.0..=MAX_TAB_ID).contains(&tab_id);
    whole.then(|| format!("{KEY_PREFIX}{}", tab_id as u64))
}

/// The registrations in the session store.
pub struct Registrations<'a, S: SessionStore> {
    store: &'a S,
}

impl<'a, S: SessionStore> Registrations<'a, S> {
    /// The registrations kept in `store`.
    pub fn new(store: &'a S) -> Self {
        Self { store }
    }

    /// Keeps a registration. A tab has one at a time: a new one (the tab's next page, or a
    /// frame mounted again) replaces the one before.
    pub async fn register(&self, registration: &Registration) -> Result<(), StoreError> {
        match tab_key(registration.tab_id) {
            Some(key) => self.store.set(&key, registration).await,
            None => Err(StoreError::Failed(
                "a registration without a tab".to_owned(),
            )),
        }
    }

    /// Whether the overlay in tab `tab_id`, whose tab shows `tab_host`, may take the channel
    /// offered with `token`: only if the agent of that tab registered that token on that same
    /// host, within the window. A grant is handed out once: the registration is forgotten when
    /// it is claimed, or found lapsed. A claim with another token or from another page leaves it
    /// for its own overlay.
    pub async fn claim(
        &self,
        tab_id: f64,
        tab_host: &str,
        token: &str,
        now: f64,
    ) -> Result<bool, StoreError> {
        let Some(key) = tab_key(tab_id) else {
            return Ok(false);
        };
        let Some(registration) = self.store.get::<Registration>(&key).await? else {
            return Ok(false);
        };
        if registration.lapsed(now) {
            self.store.remove(&key).await?;
            return Ok(false);
        }
        let own = registration.tab_id == tab_id
            && registration.host == tab_host
            && registration.token == token;
        if own {
            self.store.remove(&key).await?;
        }
        Ok(own)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::vault::tests::ready;
    use crate::vault::MemoryStore;

    const TOKEN: &str = "5c0a5b3e-8f1d-4b7a-9e2c-1d3f5a7b9c0e";
    const ADMIN_PAGE: &str =
        "https://acme-admin.okta.com/admin/app/flow/instance/0oa1/#tab-okta-api-scopes";

    fn agent(tab_id: f64, url: &str) -> Sender<'_> {
        Sender {
            tab_id: Some(tab_id),
            frame_id: Some(0.0),
            url: Some(url),
        }
    }

    fn registered(store: &MemoryStore, tab_id: f64, url: &str, token: &str, at: f64) {
        let registration = Registration::of(agent(tab_id, url), token, at).expect("an agent");
        ready(Registrations::new(store).register(&registration)).expect("kept");
    }

    #[test]
    fn the_overlay_of_the_agents_own_tab_is_granted_its_channel_once() {
        let store = MemoryStore::default();
        registered(&store, 7.0, ADMIN_PAGE, TOKEN, 1_000.0);
        let registrations = Registrations::new(&store);
        assert_eq!(
            ready(registrations.claim(7.0, "acme-admin.okta.com", TOKEN, 1_200.0)),
            Ok(true)
        );
        assert_eq!(
            ready(registrations.claim(7.0, "acme-admin.okta.com", TOKEN, 1_300.0)),
            Ok(false),
            "granted once"
        );
        assert!(
            store.dump().is_empty(),
            "nothing left behind: {:?}",
            store.dump()
        );
        // The Okta Workflows console's agent registers as well.
        registered(
            &store,
            8.0,
            "https://acme.workflows.okta.com/app/connections",
            TOKEN,
            2_000.0,
        );
        assert_eq!(
            ready(registrations.claim(8.0, "acme.workflows.okta.com", TOKEN, 2_100.0)),
            Ok(true)
        );
    }

    #[test]
    fn a_page_that_is_no_console_never_gets_a_channel() {
        // The page frames the overlay with a token of its own choosing; nothing registered it.
        let store = MemoryStore::default();
        let registrations = Registrations::new(&store);
        assert_eq!(
            ready(registrations.claim(7.0, "evil.okta.com", "chosen-by-the-page", 1_000.0)),
            Ok(false)
        );
        // Nor with a console's token, in a tab that has since left the console.
        registered(&store, 7.0, ADMIN_PAGE, TOKEN, 1_000.0);
        assert_eq!(
            ready(registrations.claim(7.0, "evil.okta.com", TOKEN, 1_100.0)),
            Ok(false)
        );
    }

    #[test]
    fn only_the_top_frame_of_a_console_tab_registers() {
        for (sender, why) in [
            (agent(7.0, "https://evil.okta.com/"), "another Okta host"),
            (
                agent(7.0, "https://evil.okta.com/acme-admin.okta.com/"),
                "a console in the path",
            ),
            (
                agent(7.0, "https://acme-admin.okta.com.evil.test/"),
                "a look-alike",
            ),
            (agent(7.0, "http://acme-admin.okta.com/"), "plain http"),
            (
                agent(7.0, "https://acme-admin.okta.com:8443/"),
                "another port",
            ),
            (
                agent(
                    7.0,
                    "moz-extension://6f1d2a3b-0c4e-4f5a-9b8c-7d6e5f4a3b2c/overlay.html#x",
                ),
                "an extension page",
            ),
            (
                Sender {
                    url: None,
                    ..agent(7.0, ADMIN_PAGE)
                },
                "no address",
            ),
            (
                Sender {
                    frame_id: Some(3.0),
                    ..agent(7.0, ADMIN_PAGE)
                },
                "a subframe",
            ),
            (
                Sender {
                    frame_id: None,
                    ..agent(7.0, ADMIN_PAGE)
                },
                "no frame",
            ),
            (
                Sender {
                    tab_id: None,
                    ..agent(7.0, ADMIN_PAGE)
                },
                "no tab",
            ),
            (agent(-1.0, ADMIN_PAGE), "no tab's id"),
            (agent(7.5, ADMIN_PAGE), "a fraction"),
        ] {
            assert!(Registration::of(sender, TOKEN, 1_000.0).is_err(), "{why}");
        }
    }

    #[test]
    fn only_tokens_of_the_agents_shape_are_registered() {
        for token in [
            "",
            "short",
            "x".repeat(65).as_str(),
            "5c0a5b3e 8f1d 4b7a 9e2c 1d3f5a7b",
            "<5c0a5b3e-8f1d-4b7a>",
        ] {
            assert!(
                Registration::of(agent(7.0, ADMIN_PAGE), token, 1_000.0).is_err(),
                "{token}"
            );
        }
    }

    #[test]
    fn a_claim_from_another_tab_host_or_token_is_refused_and_leaves_the_registration() {
        let store = MemoryStore::default();
        registered(&store, 7.0, ADMIN_PAGE, TOKEN, 1_000.0);
        let registrations = Registrations::new(&store);
        for (tab_id, host, token, why) in [
            (8.0, "acme-admin.okta.com", TOKEN, "another tab"),
            (7.0, "acme.workflows.okta.com", TOKEN, "another console"),
            (
                7.0,
                "acme-admin.okta.com",
                "0c9b7a5f-3d1e-4c2e-a7b4-e1f8d3b5a0c5",
                "another token",
            ),
            (-1.0, "acme-admin.okta.com", TOKEN, "no tab"),
        ] {
            assert_eq!(
                ready(registrations.claim(tab_id, host, token, 1_100.0)),
                Ok(false),
                "{why}"
            );
        }
        assert_eq!(
            ready(registrations.claim(7.0, "acme-admin.okta.com", TOKEN, 1_200.0)),
            Ok(true),
            "still there for its own overlay"
        );
    }

    #[test]
    fn a_registration_lapses_after_the_window() {
        let store = MemoryStore::default();
        registered(&store, 7.0, ADMIN_PAGE, TOKEN, 1_000.0);
        let late = 1_000.0 + REGISTRATION_WINDOW_MS + 1.0;
        assert_eq!(
            ready(Registrations::new(&store).claim(7.0, "acme-admin.okta.com", TOKEN, late)),
            Ok(false)
        );
        assert!(
            store.dump().is_empty(),
            "a lapsed registration is forgotten"
        );
        // A clock that went backwards does not keep one alive either.
        registered(&store, 7.0, ADMIN_PAGE, TOKEN, 5_000.0);
        assert_eq!(
            ready(Registrations::new(&store).claim(7.0, "acme-admin.okta.com", TOKEN, 4_000.0)),
            Ok(false)
        );
    }

    #[test]
    fn each_tab_keeps_its_own_registration_and_a_new_one_replaces_the_old() {
        let store = MemoryStore::default();
        let other = "0c9b7a5f-3d1e-4c2e-a7b4-e1f8d3b5a0c5";
        registered(&store, 7.0, ADMIN_PAGE, TOKEN, 1_000.0);
        registered(&store, 8.0, ADMIN_PAGE, other, 1_000.0);
        let registrations = Registrations::new(&store);
        assert_eq!(
            ready(registrations.claim(8.0, "acme-admin.okta.com", other, 1_100.0)),
            Ok(true)
        );
        // Tab 7's next page registers its own frame's token: the earlier one is no more.
        registered(&store, 7.0, ADMIN_PAGE, other, 1_200.0);
        assert_eq!(
            ready(registrations.claim(7.0, "acme-admin.okta.com", TOKEN, 1_300.0)),
            Ok(false)
        );
        assert_eq!(
            ready(registrations.claim(7.0, "acme-admin.okta.com", other, 1_300.0)),
            Ok(true)
        );
    }
}
