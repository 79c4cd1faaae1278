//! Draws an [`OverlayModel`] into the overlay's document.
//!
//! The markup is the overlay's observable contract, which the end-to-end tests read: each required
//! scope is an element with `data-scope="<id>"` and `data-state` of `granted`, `missing` or
//! `unknown`. Buttons carry `data-action`; the overlay adapter handles their clicks in one place.
//! All text goes in through `textContent`, never as HTML.

use super::morph::morph_children;
use super::JsError;
use crate::api::secret_read_note;
use crate::api_check::Check;
use crate::diagnose::{self, display_time};
use crate::fill::FillRefusal;
use crate::flow::countdown;
use crate::overlay_model::{
    state_label, summary, Action, ApiPanel, CapturePanel, DiagnosePanel, DiagnoseState, DomainLine,
    EngineNotice, FillPanel, HeaderCheck, Line, Mode, Outcome, OverlayModel, RotationPanel, Source,
    Standing,
};
use crate::rotation::{create_question, deactivate_question, list_note, reread_note, Stage};
use crate::scopes::{Basis, Grant, ScopeState, ScopeStatus, Verdict, PROFILES};
use crate::vault::VaultLookup;
use web_sys::{Document, Element};

/// `data-action` of the collapse/expand button.
pub const ACTION_TOGGLE: &str = "toggle";
/// `data-action` of "Show me".
pub const ACTION_SHOW_ME: &str = "show-me";
/// `data-action` of the button that opens a console tab.
pub const ACTION_OPEN_TAB: &str = "open-tab";
/// `data-action` of the button that copies the org domain.
pub const ACTION_COPY_DOMAIN: &str = "copy-domain";
/// `data-action` of "Capture for Workflows".
pub const ACTION_CAPTURE: &str = "capture";
/// `data-action` of the button that clears the vault.
pub const ACTION_CLEAR: &str = "clear";
/// `data-action` of "Fill from …".
pub const ACTION_FILL: &str = "fill";
/// `data-action` of the confirmation to fill another org's credentials.
pub const ACTION_FILL_ANYWAY: &str = "fill-anyway";
/// `data-action` of "Grant … through Okta's API".
pub const ACTION_API_GRANT: &str = "api-grant";
/// `data-action` of the confirmation of an API grant.
pub const ACTION_API_GRANT_CONFIRM: &str = "api-grant-confirm";
/// `data-action` of the cancellation of an API grant.
pub const ACTION_API_GRANT_CANCEL: &str = "api-grant-cancel";
/// `data-action` of "Check again with Okta's API".
pub const ACTION_API_RECHECK: &str = "api-recheck";
/// `data-action` of the button that asks to grant a scope for the org's issuer although it is
/// granted for another; `data-scope` names the scope.
pub const ACTION_API_GRANT_ISSUER: &str = "api-grant-issuer";
/// `data-action` of "Copy page report".
pub const ACTION_COPY_REPORT: &str = "copy-report";
/// `data-action` of the confirmation to read a hidden client secret through Okta's API.
pub const ACTION_READ_SECRET: &str = "read-secret";
/// `data-action` of the refusal to read it.
pub const ACTION_READ_SECRET_CANCEL: &str = "read-secret-cancel";
/// `data-action` of "Why does my connection fail?": a search of Okta's records.
pub const ACTION_DIAGNOSE: &str = "diagnose";
/// `data-action` of the button that lists the app's secrets for a rotation.
pub const ACTION_ROTATION_LIST: &str = "rotation-list";
/// `data-action` of the button that shows the question before a new secret is created.
pub const ACTION_ROTATION_ASK: &str = "rotation-ask";
/// `data-action` of the confirmation that creates the new secret.
pub const ACTION_ROTATION_CREATE: &str = "rotation-create";
/// `data-action` of the button that closes a rotation question unanswered.
pub const ACTION_ROTATION_DISMISS: &str = "rotation-dismiss";
/// `data-action` of "The connection works with the new secret".
pub const ACTION_ROTATION_WORKS: &str = "rotation-works";
/// `data-action` of the button that asks to deactivate the picked secret.
pub const ACTION_ROTATION_PICK: &str = "rotation-pick";
/// `data-action` of the confirmation that deactivates it.
pub const ACTION_ROTATION_DEACTIVATE: &str = "rotation-deactivate";
/// `data-action` of the button that reads the rotation's new secret into the vault again.
pub const ACTION_ROTATION_REREAD: &str = "rotation-reread";
/// `data-action` of "Cancel the rotation".
pub const ACTION_ROTATION_CANCEL: &str = "rotation-cancel";
/// The label of [`ACTION_ROTATION_REREAD`], which the toolbar repeats in Firefox.
pub const REREAD_LABEL: &str = "Read the new secret into the vault again (Okta logs the read)";
/// `data-field` of the radio buttons that pick the secret to deactivate.
pub const ROTATION_SECRET_FIELD: &str = "rotation-secret";

/// The buttons that act on the admin's behalf (take the secret, type it into a page, grant a
/// scope, read the secret through the API, or open the grant's confirmation): a click on one acts
/// only if the admin could see it (see `crate::click_guard`).
pub const GUARDED_ACTIONS: [&str; 10] = [
    ACTION_CAPTURE,
    ACTION_FILL,
    ACTION_FILL_ANYWAY,
    ACTION_API_GRANT,
    ACTION_API_GRANT_ISSUER,
    ACTION_API_GRANT_CONFIRM,
    ACTION_READ_SECRET,
    ACTION_ROTATION_CREATE,
    ACTION_ROTATION_DEACTIVATE,
    ACTION_ROTATION_REREAD,
];

/// `data-field` of the nickname input.
pub const NICKNAME_FIELD: &str = "nickname";
/// `data-field` of the input where the admin types the org to confirm a fill from another org.
pub const CONFIRM_ORG_FIELD: &str = "confirm-org";
/// `data-field` of the connector profile choice.
pub const PROFILE_FIELD: &str = "profile";

/// Brings the contents of `root` in line with the model, changing only the elements that differ
/// (see [`crate::web::morph`]).
pub fn render(document: &Document, root: &Element, model: &OverlayModel) -> Result<(), JsError> {
    let drawn = document.create_element("div")?;
    draw(document, &drawn, model)?;
    morph_children(root, &drawn)?;
    root.set_attribute("data-mode", mode_name(model.mode))?;
    // Which app the shown answers are about, so a check of the panel can tell two apps apart.
    match &model.page_app {
        Some(app) => root.set_attribute("data-app", app)?,
        None => root.remove_attribute("data-app")?,
    }
    Ok(())
}

/// Draws the model into `root`, which is detached and empty.
fn draw(document: &Document, root: &Element, model: &OverlayModel) -> Result<(), JsError> {
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

    // What the org's engine means comes first: on a Classic org nothing else matters.
    if let Some(engine) = &model.engine {
        let (name, text) = match engine {
            EngineNotice::Classic(text) => ("classic", text),
            EngineNotice::Unknown(text) => ("unknown", text),
        };
        let line = element(document, "p", "engine", text)?;
        line.set_attribute("data-engine", name)?;
        line.set_attribute("role", "alert")?;
        append(root, &line)?;
    }
    if let Some(domain) = &model.domain {
        render_domain(document, root, domain)?;
    }
    if let Some(outcome) = &model.outcome {
        let (name, text) = match outcome {
            Outcome::Done(text) => ("done", text),
            Outcome::Failed(text) => ("failed", text),
            Outcome::Waiting(text) => ("waiting", text),
        };
        let line = element(document, "p", "outcome", text)?;
        line.set_attribute("data-outcome", name)?;
        line.set_attribute("role", "status")?;
        append(root, &line)?;
    }
    if let Some(capture) = &model.capture {
        render_capture(document, root, capture)?;
    }
    if let Some(vault) = &model.vault {
        render_vault(document, root, vault, model.fill.as_ref())?;
    }
    if let Some(fill) = &model.fill {
        render_fill(document, root, fill)?;
    }
    if let Some(rotation) = &model.rotation {
        render_rotation(document, root, rotation)?;
    }
    if let Some(notice) = &model.notice {
        let paragraph = element(document, "p", "notice", &notice.text)?;
        append(root, &paragraph)?;
        if let Some(action) = &notice.action {
            append(root, &action_element(document, action)?)?;
        }
    }
    if let Some(check) = &model.checklist {
        let choice = element(document, "label", "profile", "Connector ")?;
        let select = document.create_element("select")?;
        select.set_attribute("data-field", PROFILE_FIELD)?;
        for profile in PROFILES {
            let option = element(document, "option", "", profile.name)?;
            option.set_attribute("value", profile.id)?;
            if profile.id == check.profile.id {
                option.set_attribute("selected", "")?;
            }
            append(&select, &option)?;
        }
        append(&choice, &select)?;
        append(root, &choice)?;
        let list = element(document, "ul", "checklist", "")?;
        for status in &check.scopes {
            let api_line = model
                .api
                .as_ref()
                .and_then(|api| api.lines.iter().find(|line| line.scope == status.scope.id));
            append(&list, &scope_item(document, status, api_line)?)?;
        }
        append(root, &list)?;
        if let Some(standing) = &model.standing {
            let verdict = element(document, "p", "summary", &summary(standing, check))?;
            verdict.set_attribute("data-verdict", standing_name(standing))?;
            append(root, &verdict)?;
        }
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
        if let Some(report) = &model.page_report {
            render_page_report(document, root, report.as_deref())?;
        }
    }
    if let Some(api) = &model.api {
        render_api(document, root, api)?;
    }
    if let Some(diagnose) = &model.diagnose {
        render_diagnose(document, root, diagnose)?;
    }
    Ok(())
}

/// The Diagnose section: the button, then the last diagnosis: its verdicts, each with its action,
/// the reminders to reauthorize, what was searched, and every failure as Okta wrote it.
fn render_diagnose(
    document: &Document,
    root: &Element,
    panel: &DiagnosePanel,
) -> Result<(), JsError> {
    let section = element(document, "section", "diagnose", "")?;
    let report = match &panel.state {
        Some(DiagnoseState::Searching) => {
            append(
                &section,
                &element(document, "p", "busy", "Searching Okta's System Log\u{2026}")?,
            )?;
            return append(root, &section);
        }
        Some(DiagnoseState::Done(report)) => Some(report),
        None => None,
    };
    let label = if report.is_some() {
        "Search Okta's records again"
    } else {
        "Why does my Okta Devices connection fail?"
    };
    let search = button(document, ACTION_DIAGNOSE, label)?;
    if !panel.ready {
        search.set_attribute("disabled", "")?;
    }
    append(&section, &search)?;
    let Some(report) = report else {
        return append(root, &section);
    };
    if let Some(problem) = &report.problem {
        let line = element(document, "p", "diagnose-problem", problem)?;
        line.set_attribute("role", "alert")?;
        append(&section, &line)?;
    }
    let verdicts = element(document, "ul", "verdicts", "")?;
    for verdict in &report.verdicts {
        let (name, text) = match verdict {
            diagnose::Verdict::NothingFound => ("none", "No failure found.".to_owned()),
            other => (verdict_name(other), other.text()),
        };
        let item = element(document, "li", "", &text)?;
        item.set_attribute("data-verdict", name)?;
        append(&verdicts, &item)?;
    }
    append(&section, &verdicts)?;
    for reminder in &report.reminders {
        append(
            &section,
            &element(document, "p", "reauthorize-reminder", reminder)?,
        )?;
    }
    if !report.searched.is_empty() {
        append(
            &section,
            &element(document, "p", "searched", &report.searched)?,
        )?;
    }
    let findings = element(document, "ul", "findings", "")?;
    for finding in &report.findings {
        let mut text = format!(
            "{}: {} ({})",
            display_time(&finding.published).unwrap_or_else(|| finding.published.clone()),
            if finding.display_message.is_empty() {
                "no message"
            } else {
                &finding.display_message
            },
            finding.event_type
        );
        if !finding.reason.is_empty() {
            text.push_str(&format!(", reason: {}", finding.reason));
        }
        for (key, value) in &finding.scope_data {
            text.push_str(&format!(", {key}: {value}"));
        }
        if !finding.known {
            text.push_str(
                ". The helper does not know this event type; it is shown as Okta wrote it.",
            );
        }
        let item = element(document, "li", "", &text)?;
        item.set_attribute("data-event-type", &finding.event_type)?;
        item.set_attribute("data-known", if finding.known { "true" } else { "false" })?;
        append(&findings, &item)?;
    }
    append(&section, &findings)?;
    append(root, &section)
}

/// The rotation section: where the rotation stands, which secret is which, and the one next step.
fn render_rotation(
    document: &Document,
    root: &Element,
    panel: &RotationPanel,
) -> Result<(), JsError> {
    let section = element(document, "section", "rotation", "")?;
    let under_way = panel
        .rotation
        .as_ref()
        .filter(|rotation| !rotation.is_over());
    section.set_attribute(
        "data-stage",
        match panel.rotation.as_ref().map(|rotation| &rotation.stage) {
            None => "none",
            Some(Stage::Created) => "created",
            Some(Stage::Filled) => "filled",
            Some(Stage::Confirmed) => "confirmed",
            Some(Stage::Deactivated { .. }) => "deactivated",
            Some(Stage::Cancelled) => "cancelled",
        },
    )?;
    append(
        &section,
        &element(document, "p", "rotation-title", "Rotate the Client secret")?,
    )?;
    if let Some(rotation) = &panel.rotation {
        let status = element(document, "p", "rotation-status", &rotation.status())?;
        status.set_attribute("role", "status")?;
        append(&section, &status)?;
    }
    if let Some(problem) = &panel.ui.problem {
        let line = element(document, "p", "rotation-problem", problem)?;
        line.set_attribute("role", "alert")?;
        append(&section, &line)?;
    }
    if panel.ui.busy {
        append(
            &section,
            &element(document, "p", "busy", "Asking Okta's API\u{2026}")?,
        )?;
        return append(root, &section);
    }
    let listed = match &panel.ui.secrets {
        Some(Ok(secrets)) => Some(secrets),
        Some(Err(why)) => {
            append(&section, &element(document, "p", "rotation-problem", why)?)?;
            None
        }
        None => None,
    };
    if let Some(secrets) = listed {
        let list = element(document, "ul", "secrets", "")?;
        for secret in secrets {
            let item = element(document, "li", "", "")?;
            item.set_attribute("data-secret-id", &secret.id)?;
            item.set_attribute("data-active", if secret.active { "true" } else { "false" })?;
            if panel.deactivatable.contains(secret) {
                let choice = element(document, "label", "", "")?;
                let radio = document.create_element("input")?;
                radio.set_attribute("type", "radio")?;
                radio.set_attribute("name", ROTATION_SECRET_FIELD)?;
                radio.set_attribute("data-field", ROTATION_SECRET_FIELD)?;
                radio.set_attribute("value", &secret.id)?;
                if panel.ui.picked.as_deref() == Some(secret.id.as_str()) {
                    radio.set_attribute("checked", "")?;
                }
                append(&choice, &radio)?;
                append(&choice, &element(document, "span", "", &secret.describe())?)?;
                append(&item, &choice)?;
            } else {
                item.set_text_content(Some(&secret.describe()));
            }
            append(&list, &item)?;
        }
        append(&section, &list)?;
    }
    match under_way.map(|rotation| &rotation.stage) {
        None => match (&panel.may_create, panel.ui.confirm_create) {
            (None, _) => {
                append(
                    &section,
                    &element(
                        document,
                        "p",
                        "rotation-intro",
                        "Okta lets an app hold two client secrets, so the secret can be replaced \
                         without breaking the connection: create a new one, update the \
                         connection, check it, then deactivate the old one.",
                    )?,
                )?;
                append(&section, &element(document, "p", "log-note", &list_note())?)?;
                append(
                    &section,
                    &button(
                        document,
                        ACTION_ROTATION_LIST,
                        "Rotate the Client secret\u{2026}",
                    )?,
                )?;
            }
            (Some(Err(why)), _) => {
                append(&section, &element(document, "p", "rotation-refusal", why)?)?;
            }
            (Some(Ok(())), false) => {
                append(
                    &section,
                    &button(document, ACTION_ROTATION_ASK, "Create a new secret\u{2026}")?,
                )?;
            }
            (Some(Ok(())), true) => {
                let question = element(document, "p", "", &create_question())?;
                let confirm = confirm_box(
                    document,
                    &[question],
                    (ACTION_ROTATION_CREATE, "Create a new secret"),
                    ACTION_ROTATION_DISMISS,
                )?;
                append(&section, &confirm)?;
            }
        },
        Some(Stage::Created) if panel.new_secret_gone => {
            append(
                &section,
                &element(
                    document,
                    "p",
                    "rotation-problem",
                    "The helper's vault no longer holds the new secret (it expired or was \
                     cleared), and the Sign On tab shows the old one: read the new one again \
                     before you fill the connection.",
                )?,
            )?;
            append(
                &section,
                &element(document, "p", "log-note", &reread_note())?,
            )?;
            append(
                &section,
                &button(document, ACTION_ROTATION_REREAD, REREAD_LABEL)?,
            )?;
        }
        Some(Stage::Filled) => {
            // The admin's word lists the secrets, to pick the old one.
            append(&section, &element(document, "p", "log-note", &list_note())?)?;
            append(
                &section,
                &button(
                    document,
                    ACTION_ROTATION_WORKS,
                    "The connection works with the new secret",
                )?,
            )?;
        }
        Some(Stage::Confirmed) => match (&panel.ui.confirm_deactivate, listed) {
            (Some(secret), _) => {
                let question = element(document, "p", "", &deactivate_question(secret))?;
                let label = format!("Deactivate the secret ending in {}", secret.last_four);
                let confirm = confirm_box(
                    document,
                    &[question],
                    (ACTION_ROTATION_DEACTIVATE, &label),
                    ACTION_ROTATION_DISMISS,
                )?;
                append(&section, &confirm)?;
            }
            (None, Some(_)) => {
                let pick = button(
                    document,
                    ACTION_ROTATION_PICK,
                    "Deactivate the picked secret\u{2026}",
                )?;
                if panel.ui.picked.is_none() {
                    pick.set_attribute("disabled", "")?;
                }
                append(&section, &pick)?;
            }
            (None, None) => {
                append(&section, &element(document, "p", "log-note", &list_note())?)?;
                append(
                    &section,
                    &button(
                        document,
                        ACTION_ROTATION_LIST,
                        "Choose the old secret to deactivate\u{2026}",
                    )?,
                )?;
            }
        },
        Some(_) => {}
    }
    if under_way.is_some() {
        append(
            &section,
            &button(document, ACTION_ROTATION_CANCEL, "Cancel the rotation")?,
        )?;
    }
    append(root, &section)
}

/// `data-verdict` of a diagnosis's verdict.
fn verdict_name(verdict: &diagnose::Verdict) -> &'static str {
    match verdict {
        diagnose::Verdict::GrantThenReauthorize { .. } => "grant-then-reauthorize",
        diagnose::Verdict::UpdateSecret => "update-secret",
        diagnose::Verdict::AppInactive => "app-inactive",
        diagnose::Verdict::NotAssigned => "not-assigned",
        diagnose::Verdict::Unexplained(_) => "unexplained",
        diagnose::Verdict::NothingFound => "none",
    }
}

fn render_api(document: &Document, root: &Element, api: &ApiPanel) -> Result<(), JsError> {
    let section = element(document, "section", "api", "")?;
    if api.busy {
        append(
            &section,
            &element(document, "p", "busy", "Checking with Okta's API\u{2026}")?,
        )?;
    }
    for problem in &api.problems {
        let line = element(document, "p", "api-problem", problem)?;
        line.set_attribute("role", "alert")?;
        append(&section, &line)?;
    }
    for note in &api.notes {
        append(&section, &element(document, "p", "api-note", note)?)?;
    }
    let checks = element(document, "ul", "preconditions", "")?;
    for (name, check, yes, no) in [
        (
            "super_admin",
            &api.super_admin,
            "You have the Super Administrator role.",
            "You are not a Super Administrator. Okta Workflows' Okta connections need one: ask a super admin to connect it, or to give you the role (Security \u{2192} Administrators).",
        ),
        (
            "assigned",
            &api.assigned,
            "The Okta Workflows OAuth app is assigned to you.",
            "The Okta Workflows OAuth app is not assigned to you. A super admin must assign it on the app's Assignments tab.",
        ),
    ] {
        let Some(check) = check else { continue };
        let (state, text) = match check {
            Check::Yes => ("yes", yes.to_owned()),
            Check::No => ("no", no.to_owned()),
            Check::Refused(why) => ("no", why.clone()),
            Check::Unknown(why) => ("unknown", format!("Could not check: {why}")),
        };
        let item = element(document, "li", "", &text)?;
        item.set_attribute("data-check", name)?;
        item.set_attribute("data-state", state)?;
        append(&checks, &item)?;
    }
    append(&section, &checks)?;
    match &api.confirm {
        Some(scopes) => {
            let text = format!(
                "Grant these scopes to the Okta Workflows OAuth app through Okta's API, for the issuer {}?",
                api.issuer
            );
            let list = element(document, "ul", "", "")?;
            for scope in scopes {
                append(&list, &element(document, "li", "", scope)?)?;
            }
            let confirm = confirm_box(
                document,
                &[element(document, "p", "", &text)?, list],
                (ACTION_API_GRANT_CONFIRM, "Grant"),
                ACTION_API_GRANT_CANCEL,
            )?;
            append(&section, &confirm)?;
        }
        None if !api.busy => {
            if !api.grantable.is_empty() {
                let label = format!("Grant {} through Okta's API", api.grantable.join(", "));
                append(&section, &button(document, ACTION_API_GRANT, &label)?)?;
            }
            // A grant for another issuer is shown with its issuer; granting for this org's issuer
            // too is the admin's decision, never the helper's.
            for (scope, issuers) in &api.other_issuers {
                let text = format!(
                    "{scope} is granted for {}, not for this org's issuer {}. If your Okta Devices connection uses {}, grant it for that issuer too.",
                    issuers.join(", "),
                    api.issuer,
                    api.issuer
                );
                let item = element(document, "p", "other-issuer", &text)?;
                item.set_attribute("data-scope", scope)?;
                append(&section, &item)?;
                let label = format!("Grant {scope} for {}", api.issuer);
                let grant = button(document, ACTION_API_GRANT_ISSUER, &label)?;
                grant.set_attribute("data-scope", scope)?;
                append(&section, &grant)?;
            }
        }
        None => {}
    }
    if !api.busy {
        append(
            &section,
            &button(document, ACTION_API_RECHECK, "Check again with Okta's API")?,
        )?;
    }
    if !api.results.is_empty() {
        let list = element(document, "ul", "grant-results", "")?;
        for result in &api.results {
            let text = match &result.error {
                None => format!("{}: granted.", result.scope_id),
                Some(why) => format!("{}: not granted. {why}", result.scope_id),
            };
            let item = element(document, "li", "", &text)?;
            item.set_attribute("data-scope", &result.scope_id)?;
            item.set_attribute(
                "data-result",
                if result.error.is_none() {
                    "granted"
                } else {
                    "failed"
                },
            )?;
            append(&list, &item)?;
        }
        append(&section, &list)?;
        if api.results.iter().any(|result| result.error.is_none()) {
            let text = "Scopes were added: reauthorize existing Okta Devices connections in Okta Workflows so that they get them.";
            append(&section, &element(document, "p", "reminder", text)?)?;
        }
    }
    append(root, &section)
}

/// The offer of a page report, and the report once written, for the admin to see what they share.
fn render_page_report(
    document: &Document,
    root: &Element,
    report: Option<&str>,
) -> Result<(), JsError> {
    let section = element(document, "section", "report", "")?;
    let text = "The helper could not read all of this tab. A page report describes its structure (tags, roles, states, hooks, button labels and scope ids; no values, and no other text but its length) for you to paste into an issue, so that a rule can be added.";
    append(&section, &element(document, "p", "", text)?)?;
    append(
        &section,
        &button(document, ACTION_COPY_REPORT, "Copy page report")?,
    )?;
    if let Some(report) = report {
        let details = element(document, "details", "", "")?;
        append(
            &details,
            &element(document, "summary", "", "What the report holds")?,
        )?;
        append(&details, &element(document, "pre", "page-report", report)?)?;
        append(&section, &details)?;
    }
    append(root, &section)
}

fn render_domain(document: &Document, root: &Element, domain: &DomainLine) -> Result<(), JsError> {
    let line = element(document, "p", "domain", "Okta domain: ")?;
    append(&line, &element(document, "code", "", &domain.domain)?)?;
    append(&line, &button(document, ACTION_COPY_DOMAIN, "Copy")?)?;
    append(root, &line)?;
    let (state, text) = match &domain.header {
        HeaderCheck::Agrees => ("agrees", "Matches the user menu.".to_owned()),
        HeaderCheck::Differs(shown) => (
            "differs",
            format!(
                "The user menu shows {shown}, not {}. Check that you are in the right org.",
                domain.domain
            ),
        ),
        HeaderCheck::Unreadable => (
            "unreadable",
            "Could not read the org domain from the user menu to cross-check it.".to_owned(),
        ),
    };
    let check = element(document, "p", "domain-check", &text)?;
    check.set_attribute("data-check", state)?;
    append(root, &check)
}

fn render_capture(
    document: &Document,
    root: &Element,
    capture: &CapturePanel,
) -> Result<(), JsError> {
    let section = element(document, "section", "capture", "")?;
    if !capture.fields_present {
        append(
            &section,
            &element(
                document,
                "p",
                "blocked",
                "Could not find the Client ID and Client secret fields on this tab.",
            )?,
        )?;
    }
    match &capture.api_offer {
        Some(page_problem) => {
            let text = format!(
                "The helper can read the Client secret through Okta's API instead, straight into its vault. {}",
                secret_read_note()
            );
            let confirm = confirm_box(
                document,
                &[
                    element(document, "p", "", page_problem)?,
                    element(document, "p", "log-note", &text)?,
                ],
                (ACTION_READ_SECRET, "Read it through Okta's API"),
                ACTION_READ_SECRET_CANCEL,
            )?;
            append(&section, &confirm)?;
        }
        None => append(
            &section,
            &button(document, ACTION_CAPTURE, "Capture for Workflows")?,
        )?,
    }
    append(root, &section)
}

fn render_vault(
    document: &Document,
    root: &Element,
    vault: &VaultLookup,
    fill: Option<&FillPanel>,
) -> Result<(), JsError> {
    let section = element(document, "section", "vault", "")?;
    match vault {
        VaultLookup::Ready(status) => {
            section.set_attribute("data-vault", "ready")?;
            let text = format!(
                "Captured for {}: Client ID {}, secret {}. Expires in ",
                status.org_domain, status.client_id, status.secret_hint
            );
            let line = element(document, "p", "", &text)?;
            let left = element(
                document,
                "span",
                "countdown",
                &countdown(status.expires_at_ms - js_sys::Date::now()),
            )?;
            left.set_attribute(
                "data-expires-at",
                &(status.expires_at_ms as u64).to_string(),
            )?;
            append(&line, &left)?;
            append(&section, &line)?;
            append(&section, &button(document, ACTION_CLEAR, "Clear")?)?;
        }
        VaultLookup::Expired { org_domain, .. } => {
            section.set_attribute("data-vault", "expired")?;
            let text = format!("The credentials captured for {org_domain} have expired. Capture them again on the Sign On tab.");
            append(&section, &element(document, "p", "", &text)?)?;
        }
        VaultLookup::Empty { org_domain } => {
            section.set_attribute("data-vault", "empty")?;
            let text = match fill {
                Some(_) => format!("No credentials are captured for {org_domain}. Capture them on the Okta Workflows OAuth app's Sign On tab."),
                None => "Nothing captured yet.".to_owned(),
            };
            append(&section, &element(document, "p", "", &text)?)?;
            if let Some(link) = fill.and_then(|fill| fill.capture_link.as_deref()) {
                append(
                    &section,
                    &action_element(
                        document,
                        &Action::Link {
                            href: link.to_owned(),
                            label: "Open the Sign On tab".to_owned(),
                        },
                    )?,
                )?;
            }
        }
    }
    append(root, &section)
}

fn render_fill(document: &Document, root: &Element, fill: &FillPanel) -> Result<(), JsError> {
    let section = element(document, "section", "fill", "")?;
    if let Some(source) = &fill.source {
        let label = element(document, "label", "nickname", "Connection Nickname")?;
        let input = document.create_element("input")?;
        input.set_attribute("data-field", NICKNAME_FIELD)?;
        input.set_attribute("value", &fill.nickname)?;
        append(&label, &input)?;
        append(&section, &label)?;
        match &fill.blocked {
            Some(refusal @ FillRefusal::OrgMismatch { .. }) => {
                let warning = element(document, "p", "warning", &refusal.to_string())?;
                append(&section, &warning)?;
                // A click the page could steer is not enough to send one org's secret into
                // another org's form: the admin types this console's org to confirm, for one fill.
                let text = format!(
                    "To fill them here anyway, type {} to confirm (for this one fill):",
                    fill.workflows_org
                );
                let label = element(document, "label", "confirm-org", &text)?;
                let input = document.create_element("input")?;
                input.set_attribute("data-field", CONFIRM_ORG_FIELD)?;
                input.set_attribute("data-expect", &fill.workflows_org)?;
                input.set_attribute("autocomplete", "off")?;
                input.set_attribute("spellcheck", "false")?;
                // A redraw (the toolbar's question, say) keeps what the admin typed.
                input.set_attribute("value", &fill.org_typed)?;
                append(&label, &input)?;
                append(&section, &label)?;
                let confirm = format!("Fill from {} anyway", source.org_domain);
                let anyway = button(document, ACTION_FILL_ANYWAY, &confirm)?;
                if fill.org_typed.trim() != fill.workflows_org {
                    anyway.set_attribute("disabled", "")?;
                }
                append(&section, &anyway)?;
            }
            blocked => {
                if let Some(refusal) = blocked {
                    append(
                        &section,
                        &element(document, "p", "blocked", &refusal.to_string())?,
                    )?;
                }
                let fill_button = button(
                    document,
                    ACTION_FILL,
                    &format!("Fill from {}", source.org_domain),
                )?;
                if blocked.is_some() {
                    fill_button.set_attribute("disabled", "")?;
                }
                append(&section, &fill_button)?;
            }
        }
    } else if let Some(refusal @ FillRefusal::WrongConnector(_) | refusal @ FillRefusal::NoDialog) =
        &fill.blocked
    {
        append(
            &section,
            &element(document, "p", "blocked", &refusal.to_string())?,
        )?;
    }
    if let Some(reminder) = &fill.reminder {
        append(&section, &element(document, "p", "reminder", reminder)?)?;
    }
    append(root, &section)
}

fn scope_item(
    document: &Document,
    status: &ScopeStatus,
    api_line: Option<&Line>,
) -> Result<Element, JsError> {
    let item = element(document, "li", "", "")?;
    item.set_attribute("data-scope", status.scope.id)?;
    if status.scope.grant == Grant::Optional {
        item.set_attribute("data-optional", "true")?;
    }
    // With an answer from the API, the line shows the API's state and says where it is from.
    let shown = match api_line {
        Some(line) => ScopeStatus {
            state: line.state.clone(),
            ..status.clone()
        },
        None => status.clone(),
    };
    let status = &shown;
    if let Some(line) = api_line {
        item.set_attribute(
            "data-source",
            match line.source {
                Source::Api => "api",
                Source::Page => "page",
            },
        )?;
    }
    let (state, basis) = match &status.state {
        ScopeState::Granted(Basis::Page) => ("granted", "page"),
        ScopeState::Granted(Basis::Api) => ("granted", "api"),
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
    if let Some(line) = api_line {
        let text = match line.source {
            Source::Api => "verified by API",
            Source::Page => "read from page",
        };
        append(&item, &element(document, "small", "source", text)?)?;
        if let Some(differs) = &line.page_differs {
            append(&item, &element(document, "small", "page-differs", differs)?)?;
        }
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

/// A question the admin answers in the panel: `parts` (what is asked), then the button that acts,
/// `(action, label)`, and Cancel, whose action is `cancel`.
fn confirm_box(
    document: &Document,
    parts: &[Element],
    (action, label): (&str, &str),
    cancel: &str,
) -> Result<Element, JsError> {
    let confirm = element(document, "div", "confirm", "")?;
    confirm.set_attribute("role", "alertdialog")?;
    for part in parts {
        append(&confirm, part)?;
    }
    append(&confirm, &button(document, action, label)?)?;
    append(&confirm, &button(document, cancel, "Cancel")?)?;
    Ok(confirm)
}

pub(crate) fn append(parent: &Element, child: &Element) -> Result<(), JsError> {
    parent.append_child(child)?;
    Ok(())
}

pub(crate) fn button(document: &Document, action: &str, text: &str) -> Result<Element, JsError> {
    let button = element(document, "button", "", text)?;
    button.set_attribute("type", "button")?;
    button.set_attribute("data-action", action)?;
    Ok(button)
}

pub(crate) fn element(
    document: &Document,
    tag: &str,
    class: &str,
    text: &str,
) -> Result<Element, JsError> {
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

fn standing_name(standing: &Standing) -> &'static str {
    match standing {
        Standing::Scopes(Verdict::Complete) => "complete",
        Standing::Scopes(Verdict::Missing(_)) => "missing",
        Standing::Scopes(Verdict::Unconfirmed(_)) | Standing::Unconfirmed(_) => "unconfirmed",
        Standing::Blocked(_) => "blocked",
    }
}
