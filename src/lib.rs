//! The Okta Devices connection helper: the Rust core of a browser extension that walks an Okta
//! administrator through connecting Okta Workflows' Okta Devices connector.
//!
//! The crate has two halves, and the compiler keeps them apart:
//!
//! - a pure core, compiled and tested natively with no browser in sight: which page this is
//!   ([`page`], [`host`]), how to read it ([`page_rules`], [`text`]), which scopes a connector
//!   needs and whether the page shows them granted ([`scopes`]), Okta's API on the wire
//!   ([`api`]) and what its answers mean for the checklist ([`api_check`]), the org's public
//!   metadata ([`org`]), the credentials and their short-lived vault ([`credentials`],
//!   [`vault`]), the fill plan ([`fill`]), where the admin stands ([`flow`]), what the overlay
//!   shows ([`overlay_model`]) and when its sensitive buttons may act ([`click_guard`]) or must
//!   be confirmed in the toolbar ([`confirm`]), which channel the overlay may take as its page
//!   agent's in Firefox ([`agent_channel`]), why a connection fails ([`diagnose`]), how the
//!   app's secret is rotated without downtime ([`rotation`]), and the messages between the
//!   extension's parts ([`message`]);
//! - `web`, built only for `wasm32`: thin adapters that run the core in the extension's overlay
//!   frame, popup and service worker, and the overlay's Okta API client.
//!
//! The page itself only ever runs a small plain-JavaScript agent (`extension/agent.js`, and
//! `extension/agent-panel.js` where the panel is open): Okta's
//! strict Content Security Policy forbids WebAssembly in a content script, so Rust runs in the
//! extension's own pages and asks the agent what is on the page. The agent also carries the
//! overlay's requests to the org's API, because Okta accepts console calls only from the console
//! page's own origin.

pub mod agent_channel;
pub mod api;
pub mod api_check;
pub mod click_guard;
pub mod confirm;
pub mod credentials;
pub mod diagnose;
pub mod fill;
pub mod flow;
pub mod host;
pub mod message;
pub mod org;
pub mod overlay_model;
pub mod page;
pub mod page_rules;
pub mod rotation;
pub mod scopes;
pub mod text;
pub mod vault;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// A small free-list allocator instead of the default dlmalloc: it saves several kilobytes of the
/// Wasm module, whose size budget is tight, and extension pages allocate little and briefly.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread only.
#[allow(unsafe_code)]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
