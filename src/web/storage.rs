//! `chrome.storage.session` as the vault's [`SessionStore`], and the options in
//! `chrome.storage.local`.
//!
//! Only the service worker builds a [`ChromeSession`]. At start-up it pins the session area to
//! trusted contexts (extension pages and the worker), so content scripts can never read it.

use super::chrome::{
    local_get, session_get, session_remove, session_set, session_set_access_level,
};
use super::JsError;
use crate::vault::{SessionStore, StoreError, DEFAULT_LIFETIME_SECONDS};
use js_sys::{Object, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The option, in `chrome.storage.local`, that sets how long captured credentials live.
pub const LIFETIME_OPTION: &str = "vaultLifetimeSeconds";

/// `chrome.storage.session`.
pub struct ChromeSession;

impl ChromeSession {
    /// Makes sure content scripts cannot read the session area (Chrome's default, stated anyway).
    /// Firefox has no `setAccessLevel`: there the area is closed to content scripts, with no way
    /// to open it, so there is nothing to state.
    pub async fn restrict_to_extension() -> Result<(), JsError> {
        let session = ["chrome", "storage", "session"]
            .iter()
            .try_fold(JsValue::from(js_sys::global()), |object, key| {
                Reflect::get(&object, &JsValue::from_str(key))
            })?;
        if !Reflect::get(&session, &"setAccessLevel".into())?.is_function() {
            return Ok(());
        }
        let details = Object::new();
        Reflect::set(&details, &"accessLevel".into(), &"TRUSTED_CONTEXTS".into())?;
        JsFuture::from(session_set_access_level(&details)?).await?;
        Ok(())
    }
}

async fn call(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, StoreError> {
    let promise = promise.map_err(|e| StoreError::Failed(JsError::from(e).to_string()))?;
    JsFuture::from(promise)
        .await
        .map_err(|e| StoreError::Failed(JsError::from(e).to_string()))
}

impl SessionStore for ChromeSession {
    async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let items = call(session_get(&JsValue::from_str(key))).await?;
        let value = Reflect::get(&items, &JsValue::from_str(key))
            .map_err(|e| StoreError::Failed(JsError::from(e).to_string()))?;
        if value.is_undefined() {
            return Ok(None);
        }
        super::codec::from_js(value)
            .map(Some)
            .map_err(|_| StoreError::Undecodable(key.to_owned()))
    }

    async fn set<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let value = super::codec::to_js(value)
            .map_err(|_| StoreError::Failed(format!("`{key}` could not be encoded")))?;
        let items = Object::new();
        Reflect::set(&items, &key.into(), &value)
            .map_err(|e| StoreError::Failed(JsError::from(e).to_string()))?;
        call(session_set(&items)).await.map(|_| ())
    }

    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        call(session_remove(&JsValue::from_str(key)))
            .await
            .map(|_| ())
    }

    async fn keys(&self) -> Result<Vec<String>, StoreError> {
        let items = call(session_get(&JsValue::NULL)).await?;
        Ok(Object::keys(&items.into())
            .iter()
            .filter_map(|key| key.as_string())
            .collect())
    }
}

/// How long captured credentials live, from the options; the default when unset or unreadable.
pub async fn lifetime_seconds() -> u32 {
    let read = async {
        let items = JsFuture::from(local_get(&JsValue::from_str(LIFETIME_OPTION))?).await?;
        Ok::<_, JsValue>(Reflect::get(&items, &JsValue::from_str(LIFETIME_OPTION))?.as_f64())
    };
    match read.await {
        Ok(Some(seconds)) if seconds.is_finite() && seconds > 0.0 => {
            seconds.min(f64::from(u32::MAX)) as u32
        }
        _ => DEFAULT_LIFETIME_SECONDS,
    }
}
