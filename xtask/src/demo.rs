//! `cargo xtask demo`: the extension running on the demo console.
//!
//! With a display, it opens Chromium with the extension loaded on the Okta Workflows OAuth app's
//! Okta API Scopes tab and waits until the window is closed. Without one (or with `--headless`),
//! it walks the same page headless, prints the checklist the overlay shows, grants the missing
//! scope as an admin would, prints the checklist again, and saves screenshots of both.

use crate::{root, Result};
use std::path::Path;
use std::time::Duration;
use testbed::server::{ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH};
use testbed::session::ConsoleSession;

const PATIENCE: Duration = Duration::from_secs(20);

pub fn run(extension: &Path, force_headless: bool) -> Result {
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    let headless = force_headless || !has_display;
    let mut session = ConsoleSession::start(&root().join("www"), extension, headless)
        .map_err(|e| e.to_string())?;
    let scopes_tab = format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes");
    let page = session
        .open(ADMIN_HOST, &scopes_tab, PATIENCE)
        .map_err(|e| e.to_string())?;
    if !headless {
        println!("demo: Chromium is open on https://{ADMIN_HOST}{scopes_tab}");
        println!("demo: the demo console is served on 127.0.0.1:{} under Okta's host names; close the window to stop", session.server.port());
        return session.browser.wait_for_exit().map_err(|e| e.to_string());
    }
    headless_walk(&mut session, &page).map_err(|e| e.to_string())
}

fn headless_walk(
    session: &mut ConsoleSession,
    page: &testbed::browser::Page,
) -> testbed::browser::Result<()> {
    let overlay = session.browser.overlay(page, PATIENCE)?;
    let out = root().join("dist");
    print_checklist(session, &overlay, "as opened")?;
    let before = out.join("demo-scopes-tab.png");
    std::fs::write(&before, session.browser.screenshot(page)?)?;

    session.browser.evaluate(
        &page.session,
        "[...document.querySelectorAll('[data-okta-helper=\"missing\"][data-se=\"grant-button\"]')].forEach(b => b.click())",
    )?;
    session.wait_until(
        &overlay,
        "the checklist to complete",
        "document.querySelector('.summary')?.dataset.verdict === 'complete'",
        PATIENCE,
    )?;
    print_checklist(
        session,
        &overlay,
        "after clicking the highlighted Grant button",
    )?;
    let after = out.join("demo-scopes-granted.png");
    std::fs::write(&after, session.browser.screenshot(page)?)?;
    println!(
        "demo: screenshots saved to {} and {}",
        before.display(),
        after.display()
    );
    Ok(())
}

fn print_checklist(
    session: &mut ConsoleSession,
    overlay: &testbed::browser::Session,
    when: &str,
) -> testbed::browser::Result<()> {
    let lines = session.checklist(overlay, PATIENCE)?;
    let summary = session.browser.evaluate(
        overlay,
        "document.querySelector('.summary')?.textContent ?? ''",
    )?;
    println!("\nOkta API Scopes checklist on https://{ADMIN_HOST} ({when}):");
    for line in lines {
        let mark = match line.state.as_str() {
            "granted" => "[x]",
            "missing" => "[ ]",
            _ => "[?]",
        };
        println!("  {mark} {:<22} {}", line.scope, line.label);
    }
    println!("  {}", summary.as_str().unwrap_or_default());
    Ok(())
}
