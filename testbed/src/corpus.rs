//! The Okta API Scopes tab in many markups, and a runner that checks what the helper reads from
//! each against the truth.
//!
//! Nobody on the project can see a real org, so the helper must read the Scopes tab by meaning, on
//! markups it has never seen. The demo console draws the same tab in every markup of [`VARIANTS`]
//! (`?markup=<name>`, drawn by `www/assets/markups.js`, whose registry names the same variants
//! with the same descriptions; a unit test below checks that the two lists agree). Each variant
//! shows the catalog (`www/assets/scopes.json`) with the org's real grant state, and its own
//! controls really grant and revoke through the demo org's API. For tests, the page's own world
//! has `window.demoConsole.grant(scopeId)` and `.revoke(scopeId)`, which click the variant's own
//! control for a scope, and `window.demoConsole.settled`, true once the variant's first drawing
//! is complete (a late table, a table replaced several times).
//!
//! [`run_variant`] sets the truth (`okta.devices.manage` granted or not, with
//! [`DemoServer::set_granted`](crate::server::DemoServer::set_granted)) and, if asked, takes Okta's
//! API away from the helper ([`DemoServer::set_helper_api_down`](crate::server::DemoServer::set_helper_api_down)),
//! opens the variant in a new tab, waits for the overlay's checklist to settle, and judges every
//! line against the org's grants ([`DemoServer::granted_scopes`](crate::server::DemoServer::granted_scopes)):
//! [`Verdict::Correct`], [`Verdict::Unknown`] ("can't confirm"), or [`Verdict::Wrong`] (shown
//! granted when it is not, or missing when it is granted). The seven OpenID Connect scopes are
//! always granted; the optional lines (`okta.devices.read`) are judged like the required ones,
//! since an optional line shown wrong misleads the admin just the same. [`run_grant`] clicks
//! Grant through the variant's own control and checks that no line is ever wrong once the table
//! has changed. The end-to-end test `tests/page_corpus.rs` runs every variant; `cargo xtask bench`
//! reports how many the helper reads correctly with Okta's API down.
//!
//! A variant marked [`Variant::ambiguous`] does not show `okta.devices.manage`'s state in a way an
//! admin could read (both buttons visible, the row on another page or filtered out, listed twice
//! with different states, its only action in a closed menu): there, with the API down, "can't
//! confirm" is the best a reader can do, and "read correctly" is out of reach by design.

use crate::browser::{Error, Result};
use crate::driver::ConsoleDriver;
use crate::server::{ADMIN_HOST, WORKFLOWS_OAUTH_APP_PATH};
use serde::Deserialize;
use std::time::{Duration, Instant};

/// One markup of the Okta API Scopes tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Its `?markup=` name.
    pub name: &'static str,
    /// What it looks like, in one line.
    pub description: &'static str,
    /// Whether the page leaves `okta.devices.manage`'s state unreadable by design, so that "can't
    /// confirm" is the best possible reading without Okta's API.
    pub ambiguous: bool,
}

/// Every markup of the corpus, in the order of `www/assets/markups.js`. `default` is the demo's
/// own table (no `?markup`); the demo's `?markup=unknown` is not part of the corpus (the
/// `scope_checklist` tests cover it).
pub const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        description: "Today's demo table: data-se hooks, one Grant or Revoke button per row (drawn by console.js).",
        ambiguous: false,
    },
    Variant {
        name: "aria-table",
        description: "Div table with ARIA roles table/rowgroup/row/columnheader/cell, Grant or Revoke buttons, no data-se.",
        ambiguous: false,
    },
    Variant {
        name: "mui-table",
        description: "MUI/Odyssey React table: MuiTable*/MuiTableCell*/MuiButton* classes, touch-ripple spans, no data-se.",
        ambiguous: false,
    },
    Variant {
        name: "courage-list",
        description: "Courage-style list with other hooks: data-se=api-scope-item/api-scope-name, buttons data-se=scope-grant/scope-revoke.",
        ambiguous: false,
    },
    Variant {
        name: "status-badge",
        description: "A Status column with \"Granted\" / \"Not granted\" badges, and one Grant or Revoke button per row.",
        ambiguous: false,
    },
    Variant {
        name: "switch-aria",
        description: "A switch per row: button role=switch aria-checked=true|false, labelled by the scope's name, no text.",
        ambiguous: false,
    },
    Variant {
        name: "switch-checkbox",
        description: "A list of <input type=checkbox role=switch> (checked attribute and property) inside labels with the scope's name.",
        ambiguous: false,
    },
    Variant {
        name: "checkbox-clipped",
        description: "A list of checkboxes hidden the visually-hidden way (1px, clip: rect(0 0 0 0)), each inside a label that draws the switch beside the scope's name.",
        ambiguous: false,
    },
    Variant {
        name: "checkbox-display-none",
        description: "A list of checkboxes that are not rendered at all (display: none), each inside a label that draws the switch beside the scope's name: a CSS-only toggle.",
        ambiguous: false,
    },
    Variant {
        name: "mui-switch",
        description: "MUI Switch per row: input.MuiSwitch-input checked as a property only (no attribute), Mui-checked on its base.",
        ambiguous: false,
    },
    Variant {
        name: "aria-pressed",
        description: "Toggle buttons that always read \"Granted\", with aria-pressed=true on granted rows and false on the others.",
        ambiguous: false,
    },
    Variant {
        name: "disabled-granted",
        description: "Today's hooks, but granted rows show a disabled button reading \"Granted\" (still data-se=grant-button) and an unhooked Revoke link.",
        ambiguous: false,
    },
    Variant {
        name: "hidden-attribute",
        description: "Today's hooks with both buttons in every row; the one that does not apply has the hidden attribute.",
        ambiguous: false,
    },
    Variant {
        name: "hidden-display-none",
        description: "Both buttons in every row, no hooks; the one that does not apply is display:none through element.style.",
        ambiguous: false,
    },
    Variant {
        name: "hidden-aria",
        description: "Both buttons in every row, no hooks; the one that does not apply is aria-hidden=true, tabindex=-1 and transparent.",
        ambiguous: false,
    },
    Variant {
        name: "hidden-visibility",
        description: "Today's hooks with both buttons in every row; the one that does not apply has a class that makes it visibility:hidden.",
        ambiguous: false,
    },
    Variant {
        name: "both-visible",
        description: "Today's hooks with both Grant and Revoke visible and enabled in every row, whatever the state: the page cannot tell.",
        ambiguous: true,
    },
    Variant {
        name: "shadow-root",
        description: "Today's table and hooks inside the open shadow root of an <o-api-scopes> element.",
        ambiguous: false,
    },
    Variant {
        name: "iframe",
        description: "Today's table and hooks inside a same-origin iframe (/assets/scopes-frame.html, served with the same CSP).",
        ambiguous: false,
    },
    Variant {
        name: "localized-fr",
        description: "French console, no hooks: \"Accorder\" / \"Révoquer\" buttons, French headers.",
        ambiguous: false,
    },
    Variant {
        name: "localized-de",
        description: "German console, no hooks: \"Gewähren\" / \"Widerrufen\" buttons, German headers.",
        ambiguous: false,
    },
    Variant {
        name: "localized-ja",
        description: "Japanese console, no hooks: \"付与\" / \"取り消し\" buttons, Japanese headers.",
        ambiguous: false,
    },
    Variant {
        name: "localized-hooks",
        description: "French labels (\"Accorder\" / \"Révoquer\") with today's data-se hooks.",
        ambiguous: false,
    },
    Variant {
        name: "icon-buttons",
        description: "Icon-only buttons (SVG, no text) with aria-label \"Grant <scope>\" / \"Revoke <scope>\", no hooks.",
        ambiguous: false,
    },
    Variant {
        name: "link-buttons",
        description: "<a href=\"#\" role=\"button\"> Grant / Revoke links instead of buttons, no hooks.",
        ambiguous: false,
    },
    Variant {
        name: "cards",
        description: "Repeated div card blocks without roles or hooks: title, description, a plain <a href> Grant or Revoke link.",
        ambiguous: false,
    },
    Variant {
        name: "paginated",
        description: "Today's hooks, sorted Z→A, 8 rows a page: okta.devices.manage is on page 2, behind a Next button.",
        ambiguous: true,
    },
    Variant {
        name: "filtered",
        description: "Today's hooks under a filter box left at \"read\": okta.devices.manage is not drawn until the filter is cleared.",
        ambiguous: true,
    },
    Variant {
        name: "late",
        description: "Today's table and hooks, drawn only 1.5 s after the tab opens (a spinner until then).",
        ambiguous: false,
    },
    Variant {
        name: "rerendered",
        description: "Today's table and hooks, replaced by a fresh copy every 300 ms, four times after the first drawing.",
        ambiguous: false,
    },
    Variant {
        name: "restructure-after-grant",
        description: "Today's table and hooks until a Grant or Revoke; then cards without hooks, granted first, under a toast naming the scope.",
        ambiguous: false,
    },
    Variant {
        name: "lookalike-names",
        description: "No hooks; xokta.devices.manage, okta.devices.manage.v2, okta.devices.manageX rows (opposite state) before the real one; other rows' descriptions mention it.",
        ambiguous: false,
    },
    Variant {
        name: "soft-hyphens",
        description: "Today's hooks; every scope name carries a soft hyphen and a zero-width space (okta.\\u00ADdevices.\\u200Bmanage).",
        ambiguous: false,
    },
    Variant {
        name: "name-extra-text",
        description: "Today's hooks; the name cell reads \"okta.devices.manage (recommended)\".",
        ambiguous: false,
    },
    Variant {
        name: "title-only",
        description: "No hooks; the name cell shows a friendly label (\"Manage devices\"), the scope id only in its title attribute.",
        ambiguous: false,
    },
    Variant {
        name: "duplicate-rows",
        description: "Today's hooks; okta.devices.manage is listed twice, the second row (stale) in the opposite state.",
        ambiguous: true,
    },
    Variant {
        name: "more-actions-menu",
        description: "No hooks; each row's only control is a \"More actions\" button whose closed menu (hidden) holds Grant or Revoke.",
        ambiguous: true,
    },
    Variant {
        name: "visually-hidden",
        description: "Today's hooks with both buttons in every row; the one that does not apply is visually hidden, row by row in turn: 1px and clip: rect(0 0 0 0), inside a 1px box hiding its overflow, clip-path: inset(50%), off-screen.",
        ambiguous: false,
    },
    Variant {
        name: "labelledby-over-label",
        description: "Icon-only buttons named by aria-labelledby (a visible caption \"Grant\" / \"Revoke\" beside them) and by a stale aria-label saying the opposite, no hooks.",
        ambiguous: false,
    },
    Variant {
        name: "one-cell",
        description: "Every scope in one table cell of one row, without hooks: each name followed by a Grant button, or by the word \"Granted\" once granted, and a line break; no element per scope.",
        ambiguous: false,
    },
];

/// The variant of this name.
pub fn variant(name: &str) -> Option<&'static Variant> {
    VARIANTS.iter().find(|variant| variant.name == name)
}

/// The scope an admin must grant.
pub const DEVICES_MANAGE: &str = "okta.devices.manage";
/// The OpenID Connect scopes Okta grants the app by itself: always granted.
pub const AUTO_GRANTED: [&str; 7] = [
    "openid",
    "profile",
    "email",
    "phone",
    "address",
    "groups",
    "offline_access",
];
/// How long a page, the overlay or the checklist may take to get where a run waits for it.
pub const PATIENCE: Duration = Duration::from_secs(15);
/// How long the checklist must stay unchanged, once settled, before it is read.
pub const QUIET: Duration = Duration::from_millis(500);
/// After a Grant has changed the table, how long the overlay has to notice before what it shows
/// is judged (the page agent's report and the overlay's redraw take a few milliseconds).
pub const GRANT_GRACE: Duration = Duration::from_millis(200);

/// The app page's Okta API Scopes tab in a variant's markup.
pub fn variant_path(name: &str) -> String {
    format!("{WORKFLOWS_OAUTH_APP_PATH}?markup={name}#tab-okta-api-scopes")
}

/// One line of the overlay's checklist, as drawn.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ShownLine {
    /// `data-scope`.
    pub scope: String,
    /// `data-state`: `granted`, `missing` or `unknown`.
    pub state: String,
    /// `data-source`, once Okta's API has answered: `api` or `page`.
    pub source: Option<String>,
    /// `data-optional="true"`.
    pub optional: bool,
}

/// What the overlay shows: its checklist, and the first API problem it reports, if any.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shown {
    /// Every line of the checklist.
    pub lines: Vec<ShownLine>,
    /// The text of the first `.api-problem`.
    pub api_problem: Option<String>,
}

/// JavaScript, run in the overlay frame, that reads what it shows as a [`Shown`].
pub const READ_SHOWN: &str = "({lines: [...document.querySelectorAll('[data-scope]')].map(e => ({\
    scope: e.dataset.scope, state: e.dataset.state ?? '', source: e.dataset.source ?? null,\
    optional: e.dataset.optional === 'true'})),\
    apiProblem: document.querySelector('.api-problem')?.textContent ?? null})";

/// How one line compares with the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Shown as it is.
    Correct,
    /// "Can't confirm" (or not shown at all).
    Unknown,
    /// Shown granted when it is not, or missing when it is granted.
    Wrong,
}

impl Verdict {
    /// `correct`, `unknown` or `WRONG`.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Unknown => "unknown",
            Verdict::Wrong => "WRONG",
        }
    }
}

/// One line, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineVerdict {
    /// The scope.
    pub scope: String,
    /// The truth: whether it is granted.
    pub granted: bool,
    /// The `data-state` shown (`absent` when the line is not drawn).
    pub shown: String,
    /// The `data-source` shown, if any.
    pub source: Option<String>,
    /// How it compares.
    pub verdict: Verdict,
}

impl LineVerdict {
    /// E.g. `okta.devices.manage shown granted (page), truly not granted`.
    pub fn describe(&self) -> String {
        format!(
            "{} shown {}{}, truly {}",
            self.scope,
            self.shown,
            self.source
                .as_deref()
                .map(|source| format!(" ({source})"))
                .unwrap_or_default(),
            if self.granted {
                "granted"
            } else {
                "not granted"
            }
        )
    }
}

/// A variant's result in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every required line correct.
    ReadCorrectly,
    /// No line wrong, some "can't confirm".
    Safe,
    /// Some line wrong.
    Wrong,
}

impl Outcome {
    /// `read correctly`, `safe` or `WRONG`.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::ReadCorrectly => "read correctly",
            Outcome::Safe => "safe",
            Outcome::Wrong => "WRONG",
        }
    }

    /// The outcome of a set of judged lines.
    pub fn of(lines: &[LineVerdict]) -> Self {
        if lines.iter().any(|line| line.verdict == Verdict::Wrong) {
            Outcome::Wrong
        } else if lines.iter().all(|line| line.verdict == Verdict::Correct) {
            Outcome::ReadCorrectly
        } else {
            Outcome::Safe
        }
    }
}

/// Judges every line of the Okta Devices checklist against the truth: the seven OpenID Connect
/// scopes are granted, and so is every scope of `org_granted` (the org's own grants,
/// [`DemoServer::granted_scopes`](crate::server::DemoServer::granted_scopes)); no other is. The
/// required lines (those seven and `okta.devices.manage`) come first, in that order, and one that
/// is not drawn counts as "can't confirm"; every other line drawn, optional or not, follows.
pub fn judge(shown: &Shown, org_granted: &[String]) -> Vec<LineVerdict> {
    let required: Vec<&str> = AUTO_GRANTED
        .iter()
        .copied()
        .chain([DEVICES_MANAGE])
        .collect();
    let others = shown
        .lines
        .iter()
        .map(|line| line.scope.as_str())
        .filter(|scope| !required.contains(scope));
    required
        .iter()
        .copied()
        .chain(others)
        .map(|scope| {
            let granted = AUTO_GRANTED.contains(&scope) || org_granted.iter().any(|id| id == scope);
            let line = shown.lines.iter().find(|line| line.scope == scope);
            let state = line.map_or("absent", |line| line.state.as_str());
            let verdict = match (state, granted) {
                ("granted", true) | ("missing", false) => Verdict::Correct,
                ("granted", false) | ("missing", true) => Verdict::Wrong,
                _ => Verdict::Unknown,
            };
            LineVerdict {
                scope: scope.to_owned(),
                granted,
                shown: state.to_owned(),
                source: line.and_then(|line| line.source.clone()),
                verdict,
            }
        })
        .collect()
}

/// One run of one variant.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The variant's name.
    pub variant: String,
    /// The truth set for `okta.devices.manage`.
    pub devices_manage_granted: bool,
    /// Whether Okta's API was down for the helper.
    pub api_down: bool,
    /// Every line, judged: the required ones first.
    pub lines: Vec<LineVerdict>,
    /// The API problem the overlay showed, if any.
    pub api_problem: Option<String>,
    /// The variant's outcome in this run.
    pub outcome: Outcome,
    /// How long the run took, tab opened to checklist read.
    pub elapsed: Duration,
}

impl RunReport {
    /// The lines judged wrong.
    pub fn wrong(&self) -> Vec<&LineVerdict> {
        self.lines
            .iter()
            .filter(|line| line.verdict == Verdict::Wrong)
            .collect()
    }

    /// E.g. `okta.devices.manage not granted, API down`.
    pub fn setup(&self) -> String {
        setup_label(self.devices_manage_granted, self.api_down)
    }
}

/// E.g. `okta.devices.manage not granted, API down`.
pub fn setup_label(devices_manage_granted: bool, api_down: bool) -> String {
    format!(
        "{DEVICES_MANAGE} {}, API {}",
        if devices_manage_granted {
            "granted"
        } else {
            "not granted"
        },
        if api_down { "down" } else { "up" }
    )
}

/// Runs one variant once: sets the truth (`okta.devices.manage` granted or not) and whether
/// Okta's API answers the helper, opens the variant's Scopes tab in a new tab, waits until the
/// page has drawn its table and the overlay's checklist has settled (all eight required lines;
/// with the API up, every one verified by the API or an API problem shown; with the API down, an
/// API problem shown; then unchanged for [`QUIET`]), judges every line against the org's grants,
/// and closes the tab. Okta's API is up for the helper again afterwards.
pub fn run_variant<D: ConsoleDriver>(
    driver: &mut D,
    variant: &str,
    devices_manage_granted: bool,
    api_down: bool,
) -> Result<RunReport> {
    let started = Instant::now();
    driver
        .server()
        .set_granted(DEVICES_MANAGE, devices_manage_granted);
    driver.server().set_helper_api_down(api_down);
    let org_granted = driver.server().granted_scopes();
    let tab = driver.open_tab(ADMIN_HOST, &variant_path(variant), PATIENCE);
    let result = tab.and_then(|tab| {
        let read = settle_page(driver, &tab, api_down);
        driver.close_tab(&tab);
        read
    });
    driver.server().set_helper_api_down(false);
    report(
        variant,
        devices_manage_granted,
        &org_granted,
        api_down,
        started,
        result,
    )
}

/// Judges what a run of `variant` showed against the truth (`okta.devices.manage` granted or
/// not, and the org's grants), or names the run that failed.
fn report(
    variant: &str,
    devices_manage_granted: bool,
    org_granted: &[String],
    api_down: bool,
    started: Instant,
    shown: Result<Shown>,
) -> Result<RunReport> {
    let shown = shown.map_err(|e| {
        Error(format!(
            "{variant} ({}): {e}",
            setup_label(devices_manage_granted, api_down)
        ))
    })?;
    let lines = judge(&shown, org_granted);
    Ok(RunReport {
        variant: variant.to_owned(),
        devices_manage_granted,
        api_down,
        outcome: Outcome::of(&lines),
        lines,
        api_problem: shown.api_problem,
        elapsed: started.elapsed(),
    })
}

/// A line judged wrong at some moment after a Grant changed the table.
#[derive(Debug, Clone, PartialEq)]
pub struct TransientWrong {
    /// Milliseconds after the table changed.
    pub after_ms: f64,
    /// The line.
    pub line: LineVerdict,
}

/// A Grant clicked through a variant's own control.
#[derive(Debug, Clone)]
pub struct GrantReport {
    /// The variant's name.
    pub variant: String,
    /// The checklist before the click (`okta.devices.manage` not granted, API up).
    pub before: RunReport,
    /// The checklist once settled after the click (`okta.devices.manage` granted).
    pub after: RunReport,
    /// Every line shown wrong at any moment from [`GRANT_GRACE`] after the table changed.
    pub transient: Vec<TransientWrong>,
    /// Wrong if any line was ever wrong after the change, else the outcome of `after`.
    pub outcome: Outcome,
}

/// Opens a variant with `okta.devices.manage` not granted and Okta's API up, waits for the
/// checklist to settle, clicks Grant for `okta.devices.manage` through
/// `window.demoConsole.grant` (the variant's own control), checks that the org granted it, and
/// records every state the checklist goes through until it settles again: each is judged from
/// [`GRANT_GRACE`] after the table changed, against the new truth.
pub fn run_grant<D: ConsoleDriver>(driver: &mut D, variant: &str) -> Result<GrantReport> {
    let started = Instant::now();
    driver.server().set_granted(DEVICES_MANAGE, false);
    driver.server().set_helper_api_down(false);
    let tab = driver
        .open_tab(ADMIN_HOST, &variant_path(variant), PATIENCE)
        .map_err(|e| Error(format!("{variant} (Grant): {e}")))?;
    let result = grant_on(driver, &tab, variant, started);
    driver.close_tab(&tab);
    result.map_err(|e| Error(format!("{variant} (Grant): {e}")))
}

fn grant_on<D: ConsoleDriver>(
    driver: &mut D,
    tab: &D::Tab,
    variant: &str,
    started: Instant,
) -> Result<GrantReport> {
    let before_granted = driver.server().granted_scopes();
    let before_shown = settle_page(driver, tab, false)?;
    let before_lines = judge(&before_shown, &before_granted);
    let before = RunReport {
        variant: variant.to_owned(),
        devices_manage_granted: false,
        api_down: false,
        outcome: Outcome::of(&before_lines),
        lines: before_lines,
        api_problem: before_shown.api_problem,
        elapsed: started.elapsed(),
    };
    let overlay = driver.overlay_of(tab, PATIENCE)?;
    driver.evaluate(&overlay, &record_script())?;
    let page = driver.page_of(tab);
    let changed_at = driver.evaluate(
        &page,
        &format!(
            "window.demoConsole.grant('{DEVICES_MANAGE}')\
               .then(() => performance.timeOrigin + performance.now())"
        ),
    )?;
    let changed_at = changed_at
        .as_f64()
        .ok_or_else(|| Error(format!("demoConsole.grant gave {changed_at}")))?;
    let after_granted = driver.server().granted_scopes();
    if !after_granted.iter().any(|scope| scope == DEVICES_MANAGE) {
        return Err(Error(format!(
            "the variant's Grant did not grant {DEVICES_MANAGE}"
        )));
    }
    let after_started = Instant::now();
    let after_shown = settle_overlay(driver, &overlay, false)?;
    let log = driver.evaluate(
        &overlay,
        "(() => { window.__corpusObserver?.disconnect(); return window.__corpusLog ?? []; })()",
    )?;
    let log: Vec<Recorded> = serde_json::from_value(log)?;
    let transient = transient_wrongs(&log, changed_at, GRANT_GRACE, &after_granted);
    let after_lines = judge(&after_shown, &after_granted);
    let after = RunReport {
        variant: variant.to_owned(),
        devices_manage_granted: true,
        api_down: false,
        outcome: Outcome::of(&after_lines),
        lines: after_lines,
        api_problem: after_shown.api_problem,
        elapsed: after_started.elapsed(),
    };
    let outcome = if transient.is_empty() {
        after.outcome
    } else {
        Outcome::Wrong
    };
    Ok(GrantReport {
        variant: variant.to_owned(),
        before,
        after,
        transient,
        outcome,
    })
}

/// One state of the checklist, recorded in the overlay when it appeared.
#[derive(Debug, Clone, Deserialize)]
struct Recorded {
    /// Milliseconds since the epoch.
    at: f64,
    shown: Shown,
}

/// The wrong lines of every state in effect from `grace` after `changed_at` on, judged against
/// the org's grants after the change.
fn transient_wrongs(
    log: &[Recorded],
    changed_at: f64,
    grace: Duration,
    org_granted: &[String],
) -> Vec<TransientWrong> {
    let from = changed_at + grace.as_secs_f64() * 1000.0;
    let first = log.iter().rposition(|entry| entry.at <= from).unwrap_or(0);
    log.iter()
        .skip(first)
        .flat_map(|entry| {
            let at = entry.at.max(from) - changed_at;
            judge(&entry.shown, org_granted)
                .into_iter()
                .filter(|line| line.verdict == Verdict::Wrong)
                .map(move |line| TransientWrong { after_ms: at, line })
        })
        .collect()
}

/// JavaScript, run in the overlay, that records every state of the checklist from now on.
fn record_script() -> String {
    format!(
        "(() => {{ const log = window.__corpusLog = []; let last = '';\
           const record = () => {{ const shown = {READ_SHOWN}; const key = JSON.stringify(shown);\
             if (key !== last) {{ last = key; log.push({{at: performance.timeOrigin + performance.now(), shown}}); }} }};\
           record();\
           window.__corpusObserver = new MutationObserver(record);\
           window.__corpusObserver.observe(document, {{subtree: true, childList: true, attributes: true, characterData: true}});\
           return true; }})()"
    )
}

/// Waits for the page's first drawing and the overlay's settled checklist; what it shows.
fn settle_page<D: ConsoleDriver>(driver: &mut D, tab: &D::Tab, api_down: bool) -> Result<Shown> {
    let page = driver.page_of(tab);
    if driver.evaluate(&page, &page_drawn_script())? != true {
        return Err(page_not_drawn());
    }
    let overlay = driver.overlay_of(tab, PATIENCE)?;
    settle_overlay(driver, &overlay, api_down)
}

/// JavaScript, run in the page, that resolves to whether the demo console finished drawing its
/// Scopes tab (`window.demoConsole.settled`) in time.
fn page_drawn_script() -> String {
    format!(
        "new Promise(resolve => {{ const start = performance.now();\
           const tick = () => {{ if (window.demoConsole?.settled) {{ clearInterval(timer); resolve(true); }}\
             else if (performance.now() - start > {}) {{ clearInterval(timer); resolve(false); }} }};\
           const timer = setInterval(tick, 20); tick(); }})",
        PATIENCE.as_millis()
    )
}

fn page_not_drawn() -> Error {
    Error("the page did not finish drawing its Scopes tab (window.demoConsole.settled)".into())
}

/// Waits, inside the overlay, until its checklist has settled (see [`run_variant`]); what it shows.
fn settle_overlay<D: ConsoleDriver>(
    driver: &mut D,
    overlay: &D::Frame,
    api_down: bool,
) -> Result<Shown> {
    let answer = driver.evaluate(overlay, &settled_script(api_down))?;
    settled(&answer)
}

/// JavaScript, run in the overlay, that waits until its checklist has settled (see
/// [`run_variant`]) and resolves to `{settled, shown}`.
fn settled_script(api_down: bool) -> String {
    format!(
        "new Promise(resolve => {{ const start = performance.now(); let key = null, since = start;\
           const ready = shown => {{ const required = shown.lines.filter(l => !l.optional);\
             return required.length === 8 && (shown.apiProblem !== null ||\
               (!{api_down} && required.every(l => l.source === 'api'))); }};\
           const tick = () => {{ const shown = {READ_SHOWN}; const now = performance.now();\
             const k = JSON.stringify(shown); if (k !== key) {{ key = k; since = now; }}\
             if (ready(shown) && now - since >= {quiet}) {{ clearInterval(timer); resolve({{settled: true, shown}}); }}\
             else if (now - start >= {timeout}) {{ clearInterval(timer); resolve({{settled: false, shown}}); }} }};\
           const timer = setInterval(tick, 25); tick(); }})",
        quiet = QUIET.as_millis(),
        timeout = PATIENCE.as_millis(),
    )
}

/// What the overlay shows once [`settled_script`] answered; an error naming every line if it
/// never settled.
fn settled(answer: &serde_json::Value) -> Result<Shown> {
    let shown: Shown = serde_json::from_value(answer["shown"].clone())?;
    if answer["settled"] != true {
        let lines: Vec<String> = shown
            .lines
            .iter()
            .map(|l| {
                format!(
                    "{}={}/{}",
                    l.scope,
                    l.state,
                    l.source.as_deref().unwrap_or("-")
                )
            })
            .collect();
        return Err(Error(format!(
            "the checklist did not settle ({}; API problem: {})",
            lines.join(" "),
            shown.api_problem.as_deref().unwrap_or("none")
        )));
    }
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(name, description, ambiguous)` of every `variant("…", "…", …)` in www/assets/markups.js.
    fn registry_in_markups_js() -> Vec<(String, String, bool)> {
        let text = std::fs::read_to_string(crate::workspace_root().join("www/assets/markups.js"))
            .expect("www/assets/markups.js");
        let starts: Vec<usize> = text
            .match_indices("\nvariant(\"")
            .map(|(at, _)| at + 1)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                let block = &text[start..end];
                let mut literals = js_strings(&block["variant(".len()..]);
                let name = literals.next().expect("a name");
                let description = literals.next().expect("a description");
                (name, description, block.contains("ambiguous: true"))
            })
            .collect()
    }

    /// The leading JavaScript string literals of `text`, separated by `, `.
    fn js_strings(text: &str) -> impl Iterator<Item = String> + '_ {
        let mut rest = text;
        std::iter::from_fn(move || {
            rest = rest.trim_start_matches([',', ' ']);
            let body = rest.strip_prefix('"')?;
            let mut value = String::new();
            let mut chars = body.char_indices();
            while let Some((at, c)) = chars.next() {
                match c {
                    '"' => {
                        rest = &body[at + 1..];
                        return Some(value);
                    }
                    '\\' => value.push(chars.next()?.1),
                    _ => value.push(c),
                }
            }
            None
        })
    }

    #[test]
    fn the_page_and_the_runner_name_the_same_variants() {
        let js = registry_in_markups_js();
        let rust: Vec<(String, String, bool)> = VARIANTS
            .iter()
            .map(|v| (v.name.to_owned(), v.description.to_owned(), v.ambiguous))
            .collect();
        assert_eq!(js, rust);
        assert!(VARIANTS.len() >= 25, "{}", VARIANTS.len());
        let mut names: Vec<&str> = VARIANTS.iter().map(|v| v.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), VARIANTS.len(), "names are unique");
        assert!(names
            .iter()
            .all(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
        assert_eq!(variant("default").map(|v| v.ambiguous), Some(false));
        assert_eq!(variant("nope"), None);
    }

    #[test]
    fn a_variants_page_is_the_scopes_tab_with_its_markup() {
        assert_eq!(
            variant_path("aria-table"),
            "/admin/app/flow/instance/0oa1wf2oauthdemo0x7q/?markup=aria-table#tab-okta-api-scopes"
        );
    }

    /// The checklist with the seven OpenID Connect lines in state `auto`, `okta.devices.manage` in
    /// `devices_manage`, and the optional `okta.devices.read` in `devices_read`.
    fn shown_with(devices_manage: &str, auto: &str, devices_read: &str) -> Shown {
        let line = |scope: &str, state: &str, optional| ShownLine {
            scope: scope.to_owned(),
            state: state.to_owned(),
            source: Some("page".to_owned()),
            optional,
        };
        Shown {
            lines: AUTO_GRANTED
                .iter()
                .map(|scope| line(scope, auto, false))
                .chain([
                    line(DEVICES_MANAGE, devices_manage, false),
                    line("okta.devices.read", devices_read, true),
                ])
                .collect(),
            api_problem: None,
        }
    }

    fn shown(devices_manage: &str, auto: &str) -> Shown {
        shown_with(devices_manage, auto, "missing")
    }

    /// The org's grants: the demo's three, and `okta.devices.manage` if `devices_manage`.
    fn org(devices_manage: bool) -> Vec<String> {
        let mut granted: Vec<String> = ["okta.users.read", "okta.groups.read", "okta.apps.read"]
            .iter()
            .map(|scope| (*scope).to_owned())
            .collect();
        if devices_manage {
            granted.push(DEVICES_MANAGE.to_owned());
        }
        granted
    }

    #[test]
    fn lines_are_judged_against_the_truth() {
        let read = judge(&shown("missing", "granted"), &org(false));
        assert_eq!(read.len(), 9, "the optional line is judged too");
        assert_eq!(read[8].scope, "okta.devices.read");
        assert_eq!(Outcome::of(&read), Outcome::ReadCorrectly);

        let wrong = judge(&shown("granted", "granted"), &org(false));
        assert_eq!(Outcome::of(&wrong), Outcome::Wrong);
        assert_eq!(wrong[7].verdict, Verdict::Wrong);
        assert_eq!(
            wrong[7].describe(),
            "okta.devices.manage shown granted (page), truly not granted"
        );
        assert_eq!(
            Outcome::of(&judge(&shown("missing", "granted"), &org(true))),
            Outcome::Wrong
        );
        assert_eq!(
            Outcome::of(&judge(&shown("granted", "granted"), &org(true))),
            Outcome::ReadCorrectly
        );

        let unknown = judge(&shown("unknown", "granted"), &org(true));
        assert_eq!(Outcome::of(&unknown), Outcome::Safe);
        assert_eq!(unknown[7].verdict, Verdict::Unknown);

        // The auto-granted lines are always granted: missing is wrong.
        let auto = judge(&shown("unknown", "missing"), &org(true));
        assert_eq!(auto[0].verdict, Verdict::Wrong);

        let absent = judge(
            &Shown {
                lines: vec![],
                api_problem: None,
            },
            &org(true),
        );
        assert_eq!(absent.len(), 8, "every required line, drawn or not");
        assert!(absent
            .iter()
            .all(|line| line.verdict == Verdict::Unknown && line.shown == "absent"));
    }

    #[test]
    fn optional_lines_are_judged_against_the_orgs_grants() {
        // okta.devices.read is not among the org's grants: shown granted, it is wrong.
        let wrong = judge(&shown_with("missing", "granted", "granted"), &org(false));
        assert_eq!(Outcome::of(&wrong), Outcome::Wrong);
        assert_eq!(
            wrong[8].describe(),
            "okta.devices.read shown granted (page), truly not granted"
        );
        // Once the org grants it, granted is right and missing is wrong.
        let mut granted = org(false);
        granted.push("okta.devices.read".to_owned());
        assert_eq!(
            Outcome::of(&judge(
                &shown_with("missing", "granted", "granted"),
                &granted
            )),
            Outcome::ReadCorrectly
        );
        assert_eq!(
            judge(&shown_with("missing", "granted", "missing"), &granted)[8].verdict,
            Verdict::Wrong
        );
        // "Can't confirm" is never wrong, on an optional line either.
        let unsure = judge(&shown_with("missing", "granted", "unknown"), &org(false));
        assert_eq!(unsure[8].verdict, Verdict::Unknown);
        assert_eq!(Outcome::of(&unsure), Outcome::Safe);
    }

    #[test]
    fn states_after_a_grant_are_judged_from_the_grace_on() {
        let at = |at: f64, state: &str| Recorded {
            at,
            shown: shown(state, "granted"),
        };
        // Missing until 1005 (the stale state at the change), granted from then on: fine.
        let grace = Duration::from_millis(200);
        let quick = [at(900.0, "missing"), at(1005.0, "granted")];
        assert!(transient_wrongs(&quick, 1000.0, grace, &org(true)).is_empty());
        // Still missing at the grace's end: wrong, from then on.
        let stale = [at(900.0, "missing"), at(1500.0, "granted")];
        let wrong = transient_wrongs(&stale, 1000.0, grace, &org(true));
        assert_eq!(wrong.len(), 1);
        assert!((wrong[0].after_ms - 200.0).abs() < 1e-9);
        // Wrong later on, after having been right.
        let flip = [
            at(1005.0, "granted"),
            at(1300.0, "missing"),
            at(1400.0, "unknown"),
        ];
        let wrong = transient_wrongs(&flip, 1000.0, grace, &org(true));
        assert_eq!(wrong.len(), 1);
        assert!((wrong[0].after_ms - 300.0).abs() < 1e-9);
    }
}
