//! The one place where a JavaScript exception becomes a Rust error.

use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// An error raised by a browser API, or by the adapter itself, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsError(String);

impl JsError {
    /// An error of the adapter's own.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

impl From<JsValue> for JsError {
    fn from(value: JsValue) -> Self {
        if let Some(error) = value.dyn_ref::<js_sys::Error>() {
            Self(format!("{}: {}", error.name(), error.message()))
        } else if let Some(text) = value.as_string() {
            Self(text)
        } else {
            // `{:?}` would pull Unicode escaping tables into the module for this one rare case.
            Self(String::from(js_sys::Object::from(value).to_string()))
        }
    }
}

impl From<JsError> for JsValue {
    fn from(error: JsError) -> Self {
        js_sys::Error::new(&error.0).into()
    }
}

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsError {}
