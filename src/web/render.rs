//! Draws an [`OverlayModel`] into the overlay's document.
//!
//! The markup is the overlay's observable contract, which the end-to-end tests read: each required
//! scope is an element with `data-scope="<id>"` and `data-state` of `granted`, `missing` or
//! `unknown`. Buttons carry `data-action`; the overlay adapter handles their clicks in one place.
//! All text goes in through `textContent`, never as HTML.

use super::JsError;
use crate::overlay_model::{state_label, summary, Action, Mode, OverlayModel};
use crate::scopes::{Basis, ScopeState, ScopeStatus, Verdict};
use web_sys::{Document, Element};

/// `data-action` of the collapse/expand button.
pub const ACTION_TOGGLE: &str = "toggle";
/// `data-action` of "Show me".
pub const ACTION_SHOW_ME: &str = "show-me";
/// `data-action` of the button that opens a console tab.
pub const ACTION_OPEN_TAB: &str = "open-tab";

/// Replaces the contents of `root` with the model.
pub fn render(document: &Document, root: &Element, model: &OverlayModel) -> Result<(), JsError> {
    root.set_text_content(None);
    root.set_attribute("data-mode", mode_name(model.mode))?;
    match model.mode {
        Mode::Hidden => Ok(()),
        Mode::Launcher => {
            let launcher = button(document, ACTION_TOGGLE, &model.launcher_label)?;
            launcher.set_class_name("launcher");
            launcher.set_attribute("aria-expanded", "false")?;
            launcher.set_attribute("title", "Open the Okta Devices helper")?;
            append(root, &launcher)?;
            Ok(())
        }
        Mode::Panel => render_panel(document, root, model),
    }
}

/// Replaces the contents of `root` with a visible error, so the panel never goes silently dead.
pub fn render_fatal(document: &Document, root: &Element, text: &str) -> Result<(), JsError> {
    root.set_text_content(None);
    root.set_attribute("data-mode", "error")?;
    let error = element(document, "p", "fatal", text)?;
    error.set_attribute("role", "alert")?;
    append(root, &error)?;
    Ok(())
}

fn render_panel(document: &Document, root: &Element, model: &OverlayModel) -> Result<(), JsError> {
    let bar = element(document, "header", "bar", "")?;
    append(
        &bar,
        &element(document, "span", "title", "Okta Devices connection")?,
    )?;
    let collapse = button(document, ACTION_TOGGLE, "\u{2013}")?;
    collapse.set_attribute("aria-expanded", "true")?;
    collapse.set_attribute("title", "Collapse")?;
    append(&bar, &collapse)?;
    append(root, &bar)?;

    if let Some(domain) = &model.org_domain {
        let line = element(document, "p", "domain", "Okta domain: ")?;
        append(&line, &element(document, "code", "", domain)?)?;
        append(root, &line)?;
    }
    if let Some(notice) = &model.notice {
        let paragraph = element(document, "p", "notice", &notice.text)?;
        append(root, &paragraph)?;
        if let Some(action) = &notice.action {
            append(root, &action_element(document, action)?)?;
        }
    }
    if let Some(check) = &model.checklist {
        let list = element(document, "ul", "checklist", "")?;
        for status in &check.scopes {
            append(&list, &scope_item(document, status)?)?;
        }
        append(root, &list)?;
        let verdict = element(document, "p", "summary", &summary(check))?;
        verdict.set_attribute("data-verdict", verdict_name(&check.verdict()))?;
        append(root, &verdict)?;
        if model.show_me.is_some() {
            append(root, &button(document, ACTION_SHOW_ME, "Show me")?)?;
        }
        if !check.problems.is_empty() {
            let problems = element(document, "ul", "problems", "")?;
            for problem in &check.problems {
                append(&problems, &element(document, "li", "", problem)?)?;
            }
            append(root, &problems)?;
        }
    }
    Ok(())
}

fn scope_item(document: &Document, status: &ScopeStatus) -> Result<Element, JsError> {
    let item = element(document, "li", "", "")?;
    item.set_attribute("data-scope", status.scope.id)?;
    let (state, basis) = match &status.state {
        ScopeState::Granted(Basis::Page) => ("granted", "page"),
        ScopeState::Granted(Basis::Auto) => ("granted", "auto"),
        ScopeState::Missing => ("missing", "page"),
        ScopeState::Unknown(_) => ("unknown", "none"),
    };
    item.set_attribute("data-state", state)?;
    item.set_attribute("data-basis", basis)?;
    append(&item, &element(document, "code", "", status.scope.id)?)?;
    append(
        &item,
        &element(document, "span", "badge", state_label(status))?,
    )?;
    if let ScopeState::Unknown(why) = &status.state {
        append(&item, &element(document, "small", "why", why)?)?;
    }
    Ok(item)
}

fn action_element(document: &Document, action: &Action) -> Result<Element, JsError> {
    match action {
        Action::OpenTab { tab, .. } => button(
            document,
            ACTION_OPEN_TAB,
            &format!("Open {} tab", tab.label()),
        ),
        Action::Link { href, label } => {
            let link = element(document, "a", "action", label)?;
            link.set_attribute("href", href)?;
            // The overlay is a frame; the console page itself should navigate.
            link.set_attribute("target", "_top")?;
            Ok(link)
        }
    }
}

fn append(parent: &Element, child: &Element) -> Result<(), JsError> {
    parent.append_child(child)?;
    Ok(())
}

fn button(document: &Document, action: &str, text: &str) -> Result<Element, JsError> {
    let button = element(document, "button", "", text)?;
    button.set_attribute("type", "button")?;
    button.set_attribute("data-action", action)?;
    Ok(button)
}

fn element(document: &Document, tag: &str, class: &str, text: &str) -> Result<Element, JsError> {
    let element = document.create_element(tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    Ok(element)
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Hidden => "hidden",
        Mode::Launcher => "launcher",
        Mode::Panel => "panel",
    }
}

fn verdict_name(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Complete => "complete",
        Verdict::Missing(_) => "missing",
        Verdict::Unconfirmed(_) => "unconfirmed",
    }
}
