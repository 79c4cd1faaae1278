//! The demo Okta consoles served as Okta serves them, and a real Chromium driven over the
//! DevTools protocol with the extension loaded: shared by the end-to-end tests, the demo and the
//! benchmark.

pub mod allow_list;
pub mod browser;
pub mod corpus;
pub mod driver;
pub mod firefox;
mod okta_api;
mod okta_log;
mod okta_secrets;
pub mod server;
pub mod session;

use std::path::PathBuf;

/// The workspace root (where `www/` and `dist/` live).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}
