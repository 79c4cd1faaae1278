//! `cargo xtask demo`: the extension running on the demo console.
//!
//! With a display, it opens Chromium with the extension loaded on the Okta Workflows OAuth app's
//! Okta API Scopes tab and waits until the window is closed. Without one (or with `--headless`),
//! it walks the whole flow headless as an admin would: prints the checklist the overlay shows,
//! grants the missing scope, captures the credentials on the Sign On tab, opens Okta Workflows'
//! New Connection → Okta Devices and fills it, printing what the helper shows at each step and
//! saving screenshots.

use crate::{root, Result};
use std::path::Path;
use std::time::Duration;
use testbed::server::{ADMIN_HOST, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_PATH};
use testbed::session::{click_if_ready, ConsoleSession};

const PATIENCE: Duration = Duration::from_secs(20);

/// The screenshots' size: one the Chrome Web Store, Edge Add-ons and addons.mozilla.org all accept.
const STORE_SCREENSHOT: (u32, u32) = (1280, 800);

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
    std::fs::write(&before, session.browser.screenshot(page, STORE_SCREENSHOT)?)?;

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
    std::fs::write(&after, session.browser.screenshot(page, STORE_SCREENSHOT)?)?;

    let filled = capture_and_fill(session)?;
    println!(
        "demo: screenshots saved to {}, {} and {}",
        before.display(),
        after.display(),
        filled.display()
    );
    Ok(())
}

/// Captures on the Sign On tab, then fills the Okta Devices connection form in Okta Workflows.
fn capture_and_fill(session: &mut ConsoleSession) -> testbed::browser::Result<std::path::PathBuf> {
    let sign_on = session.open(
        ADMIN_HOST,
        &format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-signon"),
        PATIENCE,
    )?;
    let overlay = session.browser.overlay(&sign_on, PATIENCE)?;
    session.wait_until(
        &sign_on.session,
        "the secret to load",
        "document.querySelector('[name=client_secret]').value.length > 0",
        PATIENCE,
    )?;
    session.wait_until(
        &overlay,
        "Capture for Workflows",
        &click_if_ready("capture"),
        PATIENCE,
    )?;
    let captured = session.wait_until(
        &overlay,
        "the capture",
        "document.querySelector('[data-vault=\"ready\"] p')?.textContent",
        PATIENCE,
    )?;
    println!(
        "\nSign On tab, after clicking Capture for Workflows:\n  {}",
        captured.as_str().unwrap_or_default()
    );

    let workflows = session.open(WORKFLOWS_HOST, "/app/connections", PATIENCE)?;
    session.wait_until(
        &workflows.session,
        "New Connection",
        "document.querySelector('[data-se=\"new-connection\"]')",
        PATIENCE,
    )?;
    session.browser.evaluate(
        &workflows.session,
        "document.querySelector('[data-se=\"new-connection\"]').click()",
    )?;
    session.wait_until(
        &workflows.session,
        "the connector picker",
        "document.querySelector('[data-connector=\"Okta Devices\"]')",
        PATIENCE,
    )?;
    session.browser.evaluate(
        &workflows.session,
        "document.querySelector('[data-connector=\"Okta Devices\"]').click()",
    )?;
    let panel = session.browser.overlay(&workflows, PATIENCE)?;
    session.wait_until(&panel, "Fill", &click_if_ready("fill"), PATIENCE)?;
    let outcome = session.wait_until(
        &panel,
        "the fill",
        "document.querySelector('.outcome')?.textContent",
        PATIENCE,
    )?;
    let form = session.browser.evaluate(
        &workflows.session,
        "[...document.querySelectorAll('[role=\"dialog\"] .field')].map(f => { const input = f.querySelector('input');\
           return f.querySelector('label').textContent + ': ' + (input.type === 'password'\
             ? '\u{2022}'.repeat(8) + ' (' + input.value.length + ' characters)' : input.value); })",
    )?;
    println!(
        "\nOkta Workflows, New Connection \u{2192} Okta Devices, after clicking Fill:\n  {}",
        outcome.as_str().unwrap_or_default()
    );
    for line in form.as_array().into_iter().flatten() {
        println!("  {}", line.as_str().unwrap_or_default());
    }
    println!("  (Create is left to the admin.)");
    let shot = root().join("dist/demo-workflows-filled.png");
    std::fs::write(
        &shot,
        session.browser.screenshot(&workflows, STORE_SCREENSHOT)?,
    )?;
    Ok(shot)
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
