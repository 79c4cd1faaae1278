//! The vault: captured credentials, per org, for a short time.
//!
//! The rules live here; the storage is behind [`SessionStore`]. In the extension that is
//! `chrome.storage.session` (memory only, cleared with the browser, not readable from content
//! scripts), owned by the service worker; in tests it is [`MemoryStore`]. Nothing here ever writes
//! anywhere else.
//!
//! An entry expires `lifetime` after capture. Expiry is checked on every read, so a late timer can
//! never hand out a stale secret; an expired entry is replaced by a marker without the secret, so
//! the admin can be told "expired" rather than "nothing captured".

use crate::credentials::Credentials;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// How long captured credentials live unless the options say otherwise: 10 minutes.
pub const DEFAULT_LIFETIME_SECONDS: u32 = 600;
/// The shortest lifetime the options accept.
pub const MIN_LIFETIME_SECONDS: u32 = 2;
/// The longest lifetime the options accept: one hour.
pub const MAX_LIFETIME_SECONDS: u32 = 3600;

/// Key prefix of vault entries in the session store.
const KEY_PREFIX: &str = "vault/";

/// A key–value store of serde values. `async` because the browser's is; single-threaded, so no
/// `Send`. Values are typed at the call, so each store encodes them its own way (plain objects in
/// `chrome.storage.session`, JSON in the twin) and the extension carries no JSON codec.
#[allow(async_fn_in_trait)]
pub trait SessionStore {
    /// The value under `key`; `Ok(None)` when there is none.
    async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError>;
    /// Sets `key`.
    async fn set<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError>;
    /// Removes `key`.
    async fn remove(&self, key: &str) -> Result<(), StoreError>;
    /// Every key.
    async fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// A storage failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The store itself failed.
    Failed(String),
    /// A stored value does not have the shape asked for.
    Undecodable(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Failed(why) => write!(f, "session storage failed: {why}"),
            StoreError::Undecodable(key) => write!(f, "session storage holds an unreadable {key}"),
        }
    }
}

/// The in-memory twin of `chrome.storage.session`, for native tests. It keeps JSON, so a test can
/// search everything stored for a secret.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default)]
pub struct MemoryStore(std::cell::RefCell<std::collections::BTreeMap<String, serde_json::Value>>);

#[cfg(not(target_arch = "wasm32"))]
impl MemoryStore {
    /// Everything stored, as JSON text per key.
    pub fn dump(&self) -> std::collections::BTreeMap<String, String> {
        self.0
            .borrow()
            .iter()
            .map(|(key, value)| (key.clone(), value.to_string()))
            .collect()
    }

    /// Stores raw JSON under a key, as a corrupted or foreign entry would be.
    pub fn put_raw(&self, key: &str, value: serde_json::Value) {
        self.0.borrow_mut().insert(key.to_owned(), value);
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl SessionStore for MemoryStore {
    async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        self.0
            .borrow()
            .get(key)
            .map(|value| {
                serde_json::from_value(value.clone())
                    .map_err(|_| StoreError::Undecodable(key.to_owned()))
            })
            .transpose()
    }
    async fn set<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let value = serde_json::to_value(value).map_err(|e| StoreError::Failed(e.to_string()))?;
        self.0.borrow_mut().insert(key.to_owned(), value);
        Ok(())
    }
    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.0.borrow_mut().remove(key);
        Ok(())
    }
    async fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.0.borrow().keys().cloned().collect())
    }
}

/// What is stored per org.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Stored {
    Live {
        credentials: Credentials,
        captured_at_ms: f64,
        expires_at_ms: f64,
    },
    Expired {
        org_domain: String,
        expired_at_ms: f64,
    },
}

/// What the admin may see of a vault entry: everything but the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultStatus {
    /// The org the credentials belong to, e.g. `acme.okta.com`.
    pub org_domain: String,
    /// The client id.
    pub client_id: String,
    /// The secret, masked: bullets and its last four characters.
    pub secret_hint: String,
    /// When it was captured (ms since the epoch).
    pub captured_at_ms: f64,
    /// When it expires (ms since the epoch).
    pub expires_at_ms: f64,
}

/// The vault's answer about one org.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum VaultLookup {
    /// Nothing captured (or cleared).
    Empty {
        /// The org asked about.
        org_domain: String,
    },
    /// Captured, but expired; the secret is gone.
    Expired {
        /// The org asked about.
        org_domain: String,
        /// When it expired (ms since the epoch).
        expired_at_ms: f64,
    },
    /// Captured and usable.
    Ready(VaultStatus),
}

impl VaultLookup {
    /// The org this answer is about.
    pub fn org_domain(&self) -> &str {
        match self {
            VaultLookup::Empty { org_domain } | VaultLookup::Expired { org_domain, .. } => {
                org_domain
            }
            VaultLookup::Ready(status) => &status.org_domain,
        }
    }
}

/// The vault over a session store.
pub struct Vault<'a, S> {
    store: &'a S,
}

impl<'a, S: SessionStore> Vault<'a, S> {
    /// The vault in `store`.
    pub fn new(store: &'a S) -> Self {
        Self { store }
    }

    /// Keeps credentials for `lifetime_seconds`, replacing any earlier capture for the same org.
    pub async fn put(
        &self,
        credentials: Credentials,
        now_ms: f64,
        lifetime_seconds: u32,
    ) -> Result<VaultStatus, StoreError> {
        let lifetime = lifetime_seconds.clamp(MIN_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS);
        let expires_at_ms = now_ms + f64::from(lifetime) * 1000.0;
        let status = live_status(&credentials, now_ms, expires_at_ms);
        let stored = Stored::Live {
            credentials,
            captured_at_ms: now_ms,
            expires_at_ms,
        };
        self.store.set(&key_of(&status.org_domain), &stored).await?;
        Ok(status)
    }

    /// What the vault holds for an org, expiring it first if its time is up.
    pub async fn lookup(&self, org_domain: &str, now_ms: f64) -> Result<VaultLookup, StoreError> {
        Ok(match self.load(org_domain, now_ms).await? {
            None => VaultLookup::Empty {
                org_domain: org_domain.to_owned(),
            },
            Some(Stored::Live {
                credentials,
                captured_at_ms,
                expires_at_ms,
            }) => VaultLookup::Ready(live_status(&credentials, captured_at_ms, expires_at_ms)),
            Some(Stored::Expired {
                org_domain,
                expired_at_ms,
            }) => VaultLookup::Expired {
                org_domain,
                expired_at_ms,
            },
        })
    }

    /// An org's entry, expired first if its time is up; unreadable entries are dropped rather
    /// than trusted.
    async fn load(&self, org_domain: &str, now_ms: f64) -> Result<Option<Stored>, StoreError> {
        let key = key_of(org_domain);
        match self.store.get::<Stored>(&key).await {
            Ok(Some(stored)) => Ok(Some(self.expire_if_due(&key, stored, now_ms).await?)),
            Ok(None) => Ok(None),
            Err(StoreError::Undecodable(_)) => {
                self.store.remove(&key).await?;
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    /// Every org the vault knows, expired ones included, expiring first what is due.
    pub async fn list(&self, now_ms: f64) -> Result<Vec<VaultLookup>, StoreError> {
        let mut lookups = Vec::new();
        for key in self.store.keys().await? {
            if let Some(org) = key.strip_prefix(KEY_PREFIX) {
                lookups.push(self.lookup(org, now_ms).await?);
            }
        }
        Ok(lookups)
    }

    /// The credentials themselves, for a fill; `Err` with the lookup when there are none.
    pub async fn take(&self, org_domain: &str, now_ms: f64) -> Result<Credentials, TakeError> {
        match self
            .load(org_domain, now_ms)
            .await
            .map_err(TakeError::Store)?
        {
            Some(Stored::Live { credentials, .. }) => Ok(credentials),
            Some(Stored::Expired {
                org_domain,
                expired_at_ms,
            }) => Err(TakeError::Unavailable(VaultLookup::Expired {
                org_domain,
                expired_at_ms,
            })),
            None => Err(TakeError::Unavailable(VaultLookup::Empty {
                org_domain: org_domain.to_owned(),
            })),
        }
    }

    /// Forgets an org's credentials at once.
    pub async fn clear(&self, org_domain: &str) -> Result<(), StoreError> {
        self.store.remove(&key_of(org_domain)).await
    }

    /// Expires every entry whose time is up; returns the orgs expired now.
    pub async fn expire_due(&self, now_ms: f64) -> Result<Vec<String>, StoreError> {
        let mut expired = Vec::new();
        for lookup in self.list(now_ms).await? {
            if let VaultLookup::Expired {
                org_domain,
                expired_at_ms,
            } = lookup
            {
                if expired_at_ms <= now_ms {
                    expired.push(org_domain);
                }
            }
        }
        Ok(expired)
    }

    /// When the next live entry expires, for the service worker's alarm.
    pub async fn next_expiry(&self, now_ms: f64) -> Result<Option<f64>, StoreError> {
        Ok(self
            .list(now_ms)
            .await?
            .into_iter()
            .filter_map(|lookup| match lookup {
                VaultLookup::Ready(status) => Some(status.expires_at_ms),
                _ => None,
            })
            .min_by(f64::total_cmp))
    }

    async fn expire_if_due(
        &self,
        key: &str,
        stored: Stored,
        now_ms: f64,
    ) -> Result<Stored, StoreError> {
        match stored {
            Stored::Live {
                credentials,
                expires_at_ms,
                ..
            } if expires_at_ms <= now_ms => {
                let expired = Stored::Expired {
                    org_domain: credentials.org_domain,
                    expired_at_ms: expires_at_ms,
                };
                self.store.set(key, &expired).await?;
                Ok(expired)
            }
            other => Ok(other),
        }
    }
}

/// Why [`Vault::take`] has no credentials to give.
#[derive(Debug, Clone, PartialEq)]
pub enum TakeError {
    /// Nothing usable: empty or expired.
    Unavailable(VaultLookup),
    /// The store failed.
    Store(StoreError),
}

fn key_of(org_domain: &str) -> String {
    format!("{KEY_PREFIX}{org_domain}")
}

fn live_status(credentials: &Credentials, captured_at_ms: f64, expires_at_ms: f64) -> VaultStatus {
    VaultStatus {
        org_domain: credentials.org_domain.clone(),
        client_id: credentials.client_id.clone(),
        secret_hint: credentials.client_secret.hint(),
        captured_at_ms,
        expires_at_ms,
    }
}

// The twin store is native-only, and so are these tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;
    use crate::credentials::Secret;
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    /// Runs a future that never waits, as everything over [`MemoryStore`] is.
    pub fn ready<T>(future: impl Future<Output = T>) -> T {
        let mut future = std::pin::pin!(future);
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("the in-memory store never waits"),
        }
    }

    pub const SECRET: &str = "q7XvR2b9LwT4nK8sYp3ZcH6mJd1FgA5eUoIiWrBt";

    pub fn acme() -> Credentials {
        Credentials {
            org_domain: "acme.okta.com".into(),
            client_id: "0oa1wf2oauthdemo0x7q".into(),
            client_secret: Secret::new(SECRET),
        }
    }

    #[test]
    fn a_capture_is_ready_until_it_expires_then_says_expired_without_the_secret() {
        let store = MemoryStore::default();
        let vault = Vault::new(&store);
        let status = ready(vault.put(acme(), 1_000.0, 600)).expect("stored");
        assert_eq!(status.expires_at_ms, 601_000.0);
        assert_eq!(status.secret_hint, "\u{2022}\u{2022}\u{2022}\u{2022}WrBt");

        let lookup = ready(vault.lookup("acme.okta.com", 600_999.0)).expect("lookup");
        assert!(matches!(lookup, VaultLookup::Ready(_)), "{lookup:?}");
        assert_eq!(ready(vault.take("acme.okta.com", 600_999.0)), Ok(acme()));

        let lookup = ready(vault.lookup("acme.okta.com", 601_000.0)).expect("lookup");
        assert_eq!(
            lookup,
            VaultLookup::Expired {
                org_domain: "acme.okta.com".into(),
                expired_at_ms: 601_000.0
            }
        );
        assert!(matches!(
            ready(vault.take("acme.okta.com", 601_000.0)),
            Err(TakeError::Unavailable(VaultLookup::Expired { .. }))
        ));
        assert!(
            store.dump().values().all(|v| !v.contains(SECRET)),
            "the secret is gone from the store: {:?}",
            store.dump()
        );
    }

    #[test]
    fn entries_are_per_org_and_clear_removes_one() {
        let store = MemoryStore::default();
        let vault = Vault::new(&store);
        let mut beta = acme();
        beta.org_domain = "beta.oktapreview.com".into();
        ready(vault.put(acme(), 0.0, 600)).expect("stored");
        ready(vault.put(beta, 0.0, 600)).expect("stored");
        assert_eq!(ready(vault.list(1.0)).expect("list").len(), 2);

        ready(vault.clear("acme.okta.com")).expect("cleared");
        assert_eq!(
            ready(vault.lookup("acme.okta.com", 1.0)).expect("lookup"),
            VaultLookup::Empty {
                org_domain: "acme.okta.com".into()
            }
        );
        assert!(matches!(
            ready(vault.lookup("beta.oktapreview.com", 1.0)).expect("lookup"),
            VaultLookup::Ready(_)
        ));
    }

    #[test]
    fn lifetimes_are_clamped_to_the_allowed_range() {
        let store = MemoryStore::default();
        let vault = Vault::new(&store);
        assert_eq!(
            ready(vault.put(acme(), 0.0, 0))
                .expect("stored")
                .expires_at_ms,
            2_000.0
        );
        assert_eq!(
            ready(vault.put(acme(), 0.0, 100_000))
                .expect("stored")
                .expires_at_ms,
            3_600_000.0
        );
    }

    #[test]
    fn expire_due_and_next_expiry_drive_the_alarm() {
        let store = MemoryStore::default();
        let vault = Vault::new(&store);
        ready(vault.put(acme(), 0.0, 5)).expect("stored");
        assert_eq!(ready(vault.next_expiry(0.0)).expect("next"), Some(5_000.0));
        assert!(ready(vault.expire_due(4_999.0)).expect("due").is_empty());
        assert_eq!(
            ready(vault.expire_due(5_000.0)).expect("due"),
            ["acme.okta.com"]
        );
        assert_eq!(ready(vault.next_expiry(5_000.0)).expect("next"), None);
    }

    #[test]
    fn corrupt_entries_are_dropped_not_trusted() {
        let store = MemoryStore::default();
        store.put_raw("vault/acme.okta.com", serde_json::json!({"state": "live"}));
        let vault = Vault::new(&store);
        assert!(matches!(
            ready(vault.lookup("acme.okta.com", 0.0)).expect("lookup"),
            VaultLookup::Empty { .. }
        ));
        assert!(store.dump().is_empty());
    }
}
