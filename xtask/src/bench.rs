//! `cargo xtask bench`: size and speed of the release extension, on the demo console.
//!
//! Sizes are read from the built package. Speeds are medians over repeated runs in headless
//! Chromium, each in a fresh tab of one browser (so the first, cold run is reported on its own):
//!
//! - the scopes table on the page → the checklist in its final state: from the demo console's own
//!   `performance.mark` when it first put the rows on the page to the moment the overlay's
//!   checklist shows `okta.devices.manage` as the page has it (seen from inside the overlay); and
//!   the same to every required line verified by Okta's API; navigation → each, beside them;
//! - Grant click → overlay update: from just before the click to the overlay's redraw; this
//!   includes the console's own request to grant, so the share after the page's table changed is
//!   reported too;
//! - the page cost: every page of [`COST_PAGES`] (the Scopes tab, a launcher-only Admin Console
//!   page, a Workflows page without the dialog) loaded alternately in the browsers of one run:
//!   one without extensions, one with only an empty content script on the same pages (the floor
//!   that any extension pays), one with the helper, and, on the launcher pages, one with the
//!   helper's launcher turned off in its options. From browser traces, the thread CPU time
//!   (`tdur`) of every task on the page's main thread over the same fixed window, and the start of
//!   the page's `load` event; each figure is the difference of the medians from the browser
//!   without extensions. That counts everything the page pays for: the agent's scripts, creating
//!   the overlay frame, delivering the port's messages, the layouts its changes cause. The share
//!   of the agent's own evaluation and calls is reported beside it (which misses the handlers of
//!   the port's messages: the extension's bindings call them). Thread time, not wall time:
//!   on a shared 2-core machine wall time counts the other processes' turns too;
//! - where the helper's scripts spend the Scopes tab's main thread, part by part (creating the
//!   frame, reading the page, the API requests, applying the plan): a JavaScript CPU profile of
//!   fresh loads, and what they take of a large, busy Workflows page where the helper has nothing
//!   to say (see [`crate::bench_profile`]);
//! - `--page-cost` measures the page cost alone;
//! - then the same in Firefox ESR (see [`crate::bench_firefox`]);
//! - the Scopes-tab markups read correctly with Okta's API down: every markup of the corpus
//!   (`testbed::corpus::VARIANTS`) once, `okta.devices.manage` not granted and Okta's API failing
//!   for the helper only, run with `testbed::corpus::run_variant` after the other measurements;
//!   "read correctly" means every required line of the checklist shown as it truly is.

use crate::{root, Result};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::time::Duration;
use testbed::browser::{Browser, LaunchOptions};
use testbed::server::{
    ADMIN_HOST, DEMO_HOSTS, WORKFLOWS_CONNECTIONS, WORKFLOWS_HOST, WORKFLOWS_OAUTH_APP_PATH,
};
use testbed::session::{click_if_ready, ConsoleSession, VERIFIED};

const RUNS: usize = 15;
const FILL_RUNS: usize = 10;
const AGENT_RUNS: usize = 10;
/// How long each traced page load runs: the page's loading, the overlay's checklist and the API
/// check (about 0.45 s after navigation) all fall inside it.
const TRACE_WINDOW: Duration = Duration::from_millis(1500);
const PATIENCE: Duration = Duration::from_secs(20);
/// The pause before each traced load.
const SETTLE: Duration = Duration::from_millis(400);

/// Runs every measurement, or with `page_cost_only` only the page cost (a few minutes).
pub fn run(extension: &Path, page_cost_only: bool) -> Result {
    let sizes = Sizes::measure(extension)?;
    let mut session =
        ConsoleSession::start(&root().join("www"), extension, true).map_err(|e| e.to_string())?;
    let firefox_extension = root().join("dist/firefox-extension");
    if page_cost_only {
        let costs = page_costs(&mut session, extension)?;
        print_page_costs(&costs);
        print_agent_profiles(&mut session)?;
        drop(session);
        return crate::bench_firefox::run(&firefox_extension, extension, true);
    }
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        runs.push(measure_once(&mut session).map_err(|e| format!("timing the checklist: {e}"))?);
    }
    let costs = page_costs(&mut session, extension)?;
    let mut fills = Vec::with_capacity(FILL_RUNS);
    for _ in 0..FILL_RUNS {
        fills.push(measure_fill(&mut session).map_err(|e| format!("timing a fill: {e}"))?);
    }
    let (read_correctly, markups) = read_markups_with_api_down(&mut session);
    let cold = runs[0].clone();
    let warm = &runs[1..];
    let median = |pick: fn(&Run) -> f64| self::median(warm.iter().map(pick).collect());

    println!("\n| figure | target | measured |");
    println!("|---|---|---|");
    println!(
        "| Wasm size, gzipped (all Wasm) | ≤ 100 KB: {} | {:.1} KB |",
        verdict(kb(sizes.wasm_gzip) <= 100.0),
        kb(sizes.wasm_gzip)
    );
    println!("| Wasm size, raw | — | {:.1} KB |", kb(sizes.wasm_raw));
    println!(
        "| whole package (unpacked / gzipped files) | — | {:.1} KB / {:.1} KB, {} files |",
        kb(sizes.package_raw),
        kb(sizes.package_gzip),
        sizes.files
    );
    let table_ms = median(|r| r.table_ms);
    println!(
        "| the scopes table on the page → the checklist in its final state (median of {}) | ≤ 150 ms: {} | {:.1} ms (cold first run: {:.1} ms) |",
        warm.len(),
        verdict(table_ms <= 150.0),
        table_ms,
        cold.table_ms
    );
    println!(
        "| the scopes table on the page → every line verified by Okta's API (median) | — | {:.1} ms |",
        median(|r| r.table_verified_ms)
    );
    println!(
        "| navigation → the checklist; → every line verified (medians) | — | {:.1} ms; {:.1} ms |",
        median(|r| r.navigation_ms),
        median(|r| r.verified_ms)
    );
    let grant_ms = median(|r| r.grant_ms);
    println!(
        "| Grant click → overlay update (median) | ≤ 50 ms: {} | {:.1} ms (of which after the table changed: {:.1} ms) |",
        verdict(grant_ms <= 50.0),
        grant_ms,
        median(|r| r.grant_after_dom_ms)
    );
    let (fill_runs, fill_ms) = (fills.len(), self::median(fills));
    println!(
        "| Fill click → the form's state holds all four fields (median of {fill_runs}) | ≤ 50 ms: {} | {fill_ms:.1} ms |",
        verdict(fill_ms <= 50.0),
    );
    println!(
        "| Scopes-tab markups read correctly with Okta's API down | — | {} of {} ({:.0} %) |",
        read_correctly,
        markups,
        100.0 * read_correctly as f64 / markups.max(1) as f64
    );
    print_page_costs(&costs);
    print_agent_profiles(&mut session)?;
    drop(session);
    crate::bench_firefox::run(&firefox_extension, extension, false)
}

/// Runs every markup of the corpus once, `okta.devices.manage` not granted, Okta's API down for
/// the helper: how many were read correctly, of how many. A run that fails counts as not read
/// correctly, and is said on stderr.
fn read_markups_with_api_down(session: &mut ConsoleSession) -> (usize, usize) {
    let mut read_correctly = 0;
    for variant in testbed::corpus::VARIANTS {
        match testbed::corpus::run_variant(session, variant.name, false, true) {
            Ok(report) if report.outcome == testbed::corpus::Outcome::ReadCorrectly => {
                read_correctly += 1
            }
            Ok(_) => {}
            Err(error) => eprintln!("markup {}: {error}", variant.name),
        }
    }
    (read_correctly, testbed::corpus::VARIANTS.len())
}

struct Sizes {
    wasm_raw: u64,
    wasm_gzip: u64,
    package_raw: u64,
    package_gzip: u64,
    files: usize,
}

impl Sizes {
    fn measure(extension: &Path) -> Result<Self> {
        let mut sizes = Sizes {
            wasm_raw: 0,
            wasm_gzip: 0,
            package_raw: 0,
            package_gzip: 0,
            files: 0,
        };
        for file in files_under(extension)? {
            let bytes = std::fs::read(&file).map_err(|e| format!("{file:?}: {e}"))?;
            let gzipped = gzip_len(&bytes)?;
            sizes.files += 1;
            sizes.package_raw += bytes.len() as u64;
            sizes.package_gzip += gzipped;
            if file.extension().is_some_and(|ext| ext == "wasm") {
                sizes.wasm_raw += bytes.len() as u64;
                sizes.wasm_gzip += gzipped;
            }
        }
        Ok(sizes)
    }
}

fn files_under(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(encoder.finish().map_err(|e| e.to_string())?.len() as u64)
}

#[derive(Clone)]
struct Run {
    navigation_ms: f64,
    verified_ms: f64,
    /// From the scope rows on the page to the checklist in its final state.
    table_ms: f64,
    table_verified_ms: f64,
    grant_ms: f64,
    grant_after_dom_ms: f64,
}

fn measure_once(session: &mut ConsoleSession) -> testbed::browser::Result<Run> {
    let scopes_tab = format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-okta-api-scopes");
    let page = session.open(ADMIN_HOST, &scopes_tab, PATIENCE)?;
    let overlay = session.browser.overlay(&page, PATIENCE)?;
    let state_is = |state: &str| {
        format!("document.querySelector('[data-scope=\"okta.devices.manage\"]')?.dataset.state === '{state}'")
    };
    let shown_at =
        session.wait_inside(&overlay, "the checklist", &state_is("missing"), PATIENCE)?;
    let verified_at =
        session.wait_inside(&overlay, "the API's verification", VERIFIED, PATIENCE)?;
    let navigation_start = number(
        session
            .browser
            .evaluate(&page.session, "performance.timeOrigin")?,
    )?;
    // The demo console marks when it first put the rows on the page.
    let rows_shown_at = number(session.browser.evaluate(
        &page.session,
        "(mark => mark ? performance.timeOrigin + mark.startTime : null)\
           (performance.getEntriesByName('demo:scope-rows-shown')[0])",
    )?)?;
    session.wait_inside(
        &page.session,
        "the table",
        "document.querySelector('[data-se=\"scope-row\"]')",
        PATIENCE,
    )?;

    let clicked_at = number(session.browser.evaluate(
        &page.session,
        "(() => { window.__tableChangedAt = 0;\
           new MutationObserver((_, o) => { window.__tableChangedAt = performance.timeOrigin + performance.now(); o.disconnect(); })\
             .observe(document.querySelector('[data-se=\"scopes-table\"] tbody'), {childList: true, subtree: true});\
           const row = [...document.querySelectorAll('[data-se=\"scope-row\"]')]\
             .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === 'okta.devices.manage');\
           const at = performance.timeOrigin + performance.now();\
           row.querySelector('[data-se=\"grant-button\"]').click(); return at; })()",
    )?)?;
    let updated_at = session.wait_inside(
        &overlay,
        "the grant to show",
        &state_is("granted"),
        PATIENCE,
    )?;
    let table_changed_at = number(
        session
            .browser
            .evaluate(&page.session, "window.__tableChangedAt")?,
    )?;

    // Put the org back as it was for the next run.
    session.browser.evaluate(
        &page.session,
        "[...document.querySelectorAll('[data-se=\"scope-row\"]')]\
           .find(r => r.querySelector('[data-se=\"scope-name\"]').textContent === 'okta.devices.manage')\
           .querySelector('[data-se=\"revoke-button\"]').click()",
    )?;
    session.wait_inside(
        &overlay,
        "the revoke to show",
        &state_is("missing"),
        PATIENCE,
    )?;
    session.browser.send(
        None,
        "Target.closeTarget",
        serde_json::json!({"targetId": page.target_id}),
    )?;
    Ok(Run {
        navigation_ms: shown_at - navigation_start,
        verified_ms: verified_at - navigation_start,
        table_ms: shown_at - rows_shown_at,
        table_verified_ms: verified_at - rows_shown_at,
        grant_ms: updated_at - clicked_at,
        grant_after_dom_ms: updated_at - table_changed_at,
    })
}

/// Captures on the Sign On tab, opens the Okta Devices dialog, and times a Fill: from the click in
/// the overlay to the React form's own state holding all four values (its `data-complete`).
fn measure_fill(session: &mut ConsoleSession) -> testbed::browser::Result<f64> {
    let sign_on = format!("{WORKFLOWS_OAUTH_APP_PATH}#tab-signon");
    let admin = session.open(ADMIN_HOST, &sign_on, PATIENCE)?;
    let admin_overlay = session.browser.overlay(&admin, PATIENCE)?;
    session.wait_inside(
        &admin.session,
        "the secret",
        "document.querySelector('[name=client_secret]').value.length > 0",
        PATIENCE,
    )?;
    session.wait_inside(
        &admin_overlay,
        "Capture",
        &click_if_ready("capture"),
        PATIENCE,
    )?;
    session.wait_inside(
        &admin_overlay,
        "the capture",
        "document.querySelector('[data-vault=\"ready\"]')",
        PATIENCE,
    )?;

    let page = session.open(WORKFLOWS_HOST, "/app/connections", PATIENCE)?;
    session.wait_inside(
        &page.session,
        "New Connection",
        "document.querySelector('[data-se=\"new-connection\"]')",
        PATIENCE,
    )?;
    session.browser.evaluate(
        &page.session,
        "document.querySelector('[data-se=\"new-connection\"]').click()",
    )?;
    session.wait_inside(
        &page.session,
        "the picker",
        "document.querySelector('[data-connector=\"Okta Devices\"]')",
        PATIENCE,
    )?;
    session.browser.evaluate(
        &page.session,
        "document.querySelector('[data-connector=\"Okta Devices\"]').click()",
    )?;
    let overlay = session.browser.overlay(&page, PATIENCE)?;
    session.browser.evaluate(
        &page.session,
        "window.__formCompleteAt = 0; new MutationObserver((_, o) => {\
           if (document.querySelector('[role=\"dialog\"][data-complete=\"true\"]')) {\
             window.__formCompleteAt = performance.timeOrigin + performance.now(); o.disconnect(); } })\
           .observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-complete']})",
    )?;
    // The click as soon as Fill may act, in the same step as finding it ready.
    session.wait_inside(
        &overlay,
        "Fill",
        &format!("(window.__clickedAt = {})", click_if_ready("fill")),
        PATIENCE,
    )?;
    let clicked_at = number(session.browser.evaluate(&overlay, "window.__clickedAt")?)?;
    session.wait_inside(
        &page.session,
        "the form to be complete",
        "window.__formCompleteAt > 0",
        PATIENCE,
    )?;
    let complete_at = number(
        session
            .browser
            .evaluate(&page.session, "window.__formCompleteAt")?,
    )?;
    for target in [&admin.target_id, &page.target_id] {
        session.browser.send(
            None,
            "Target.closeTarget",
            serde_json::json!({"targetId": target}),
        )?;
    }
    Ok(complete_at - clicked_at)
}

/// A console page whose cost to the page's loading is measured.
pub(crate) struct CostPage {
    pub(crate) what: &'static str,
    pub(crate) host: &'static str,
    pub(crate) path: &'static str,
    pub(crate) fragment: &'static str,
    /// Whether the helper shows the checklist here, which a traced load must then have reached.
    shows_checklist: bool,
    /// The most main-thread CPU time the helper may add, in ms.
    cpu_target: CpuTarget,
    /// The most the helper may delay the page's `load` event, in ms.
    pub(crate) load_target_ms: f64,
}

#[derive(Clone, Copy)]
enum CpuTarget {
    /// At most this much more than an empty content script adds.
    AboveFloor(f64),
    /// At most this much in all.
    Within(f64),
}

pub(crate) const COST_PAGES: [CostPage; 3] = [
    CostPage {
        what: "the Okta Workflows OAuth app's Scopes tab",
        host: ADMIN_HOST,
        path: WORKFLOWS_OAUTH_APP_PATH,
        fragment: "#tab-okta-api-scopes",
        shows_checklist: true,
        cpu_target: CpuTarget::Within(10.0),
        load_target_ms: 10.0,
    },
    CostPage {
        what: "an Admin Console page with only the launcher (Dashboard)",
        host: ADMIN_HOST,
        path: "/admin/dashboard",
        fragment: "",
        shows_checklist: false,
        cpu_target: CpuTarget::AboveFloor(1.0),
        load_target_ms: 5.0,
    },
    CostPage {
        what: "a Workflows console page without the connection dialog",
        host: WORKFLOWS_HOST,
        path: "/app/connections",
        fragment: "",
        shows_checklist: false,
        cpu_target: CpuTarget::AboveFloor(1.0),
        load_target_ms: 5.0,
    },
];

/// The browsers every page is loaded in, alternately.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// No extension.
    Bare,
    /// An extension with an empty content script on the same pages: the floor any helper pays.
    Floor,
    /// This helper.
    Helper,
    /// This helper, with the launcher turned off in its options where the panel is not wanted
    /// (not loaded where the panel shows, since the option changes nothing there).
    Quiet,
}

const SETUPS: [Setup; 4] = [Setup::Bare, Setup::Floor, Setup::Helper, Setup::Quiet];

/// What one traced page load cost.
struct TracedLoad {
    /// Every task on the page's main thread during the window.
    main_thread_ms: f64,
    /// Of which the evaluation of the agent's scripts and the calls into them.
    agent_ms: f64,
    /// When the page's `load` event started, in ms since navigation.
    load_event_ms: f64,
}

/// Medians of one page in one setup.
struct Cost {
    main_thread_ms: f64,
    agent_ms: f64,
    load_event_ms: f64,
}

/// Per page of [`COST_PAGES`]: the medians of each of [`SETUPS`], in its order.
type PageCosts = Vec<[Cost; 4]>;

/// Loads every page of [`COST_PAGES`] [`AGENT_RUNS`] times in each of the browsers of [`SETUPS`]
/// (the helper's, one without any extension, one with an empty content script, and one with the
/// helper's launcher turned off), alternating so that a slow moment of the machine weighs on all
/// alike.
fn page_costs(session: &mut ConsoleSession, extension: &Path) -> Result<PageCosts> {
    let floor_extension = write_floor_extension(extension)?;
    let launch = |extension: Option<std::path::PathBuf>| {
        Browser::launch(&LaunchOptions {
            extension,
            hosts: DEMO_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            port: session.server.port(),
            headless: true,
            window: (1280, 900),
        })
    };
    let mut bare =
        launch(None).map_err(|e| format!("starting a browser without extensions: {e}"))?;
    let mut floor = launch(Some(floor_extension))
        .map_err(|e| format!("starting a browser with an empty content script: {e}"))?;
    let mut quiet = launch(Some(extension.to_path_buf()))
        .map_err(|e| format!("starting a browser with the helper: {e}"))?;
    turn_launcher_off(&mut quiet).map_err(|e| format!("turning the launcher off: {e}"))?;
    let mut loads: Vec<[Vec<TracedLoad>; 4]> =
        COST_PAGES.iter().map(|_| Default::default()).collect();
    for round in 0..AGENT_RUNS {
        for (page, page_loads) in COST_PAGES.iter().zip(&mut loads) {
            // The order turns each round, so that no browser always follows the same one.
            for turn in 0..SETUPS.len() {
                let at = (round + turn) % SETUPS.len();
                let (setup, setup_loads) = (&SETUPS[at], &mut page_loads[at]);
                let browser = match setup {
                    Setup::Bare => &mut bare,
                    Setup::Floor => &mut floor,
                    Setup::Helper => &mut session.browser,
                    Setup::Quiet if page.shows_checklist => continue,
                    Setup::Quiet => &mut quiet,
                };
                let traced = trace_page_load(browser, page, *setup == Setup::Helper)
                    .map_err(|e| format!("tracing a load of {}: {e}", page.what))?;
                setup_loads.push(traced);
            }
        }
    }
    Ok(loads
        .into_iter()
        .map(|page_loads| {
            page_loads.map(|setup_loads| Cost {
                main_thread_ms: median(setup_loads.iter().map(|l| l.main_thread_ms).collect()),
                agent_ms: median(setup_loads.iter().map(|l| l.agent_ms).collect()),
                load_event_ms: median(setup_loads.iter().map(|l| l.load_event_ms).collect()),
            })
        })
        .collect())
}

/// Turns the helper's launcher off where the panel is not wanted, in its options page, as an admin
/// does.
fn turn_launcher_off(browser: &mut Browser) -> testbed::browser::Result<()> {
    let id = browser.extension_id(PATIENCE)?;
    let options = browser.open(&format!("chrome-extension://{id}/options.html"))?;
    let holds = |b: &mut Browser, condition: &str| -> testbed::browser::Result<Option<()>> {
        Ok((b.evaluate(&options.session, condition)? == Value::Bool(true)).then_some(()))
    };
    browser.wait_for("the options", PATIENCE, |b| {
        holds(
            b,
            "document.getElementById('options').dataset.loaded === 'true'",
        )
    })?;
    browser.evaluate(
        &options.session,
        "(box => { if (box.checked) box.click(); })(document.getElementById('launcher-elsewhere'));\
         document.querySelector('#options button[type=submit]').click()",
    )?;
    browser.wait_for("the options to save", PATIENCE, |b| {
        holds(
            b,
            "document.getElementById('status').textContent.includes('only where the connection is made')",
        )
    })?;
    browser.send(
        None,
        "Target.closeTarget",
        serde_json::json!({"targetId": options.target_id}),
    )?;
    Ok(())
}

/// Writes an extension whose only content is an empty content script on the helper's pages
/// (the same match patterns and globs, from the built manifest) and returns its directory.
pub(crate) fn write_floor_extension(extension: &Path) -> Result<std::path::PathBuf> {
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(extension.join("manifest.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("the built manifest: {e}"))?;
    let script = &manifest["content_scripts"][0];
    let floor = serde_json::json!({
        "manifest_version": 3,
        "name": "An empty content script",
        "version": "1.0",
        "content_scripts": [{
            "matches": script["matches"],
            "include_globs": script["include_globs"],
            "js": ["empty.js"],
            "run_at": script["run_at"],
        }],
    });
    let dir = root().join("target/bench-floor-extension");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{dir:?}: {e}"))?;
    std::fs::write(dir.join("manifest.json"), floor.to_string()).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("empty.js"),
        "// Nothing: the cost of a content script as such.\n",
    )
    .map_err(|e| e.to_string())?;
    Ok(dir)
}

/// Loads `page` in a new tab under a trace for [`TRACE_WINDOW`] and sums the thread time of the
/// page's main thread. With the helper on the Scopes tab, the overlay must then show the
/// checklist (checked after the trace, so the check costs the page nothing), so that the cost
/// measured is that of a working helper.
fn trace_page_load(
    browser: &mut Browser,
    page: &CostPage,
    helper: bool,
) -> testbed::browser::Result<TracedLoad> {
    let document_url = format!("https://{}{}", page.host, page.path);
    let url = format!("{document_url}{}", page.fragment);
    // The previous load's tab closes and its extension frame and messages wind down first, so
    // that they do not weigh on this load.
    std::thread::sleep(SETTLE);
    let mut opened = None;
    let events = browser.trace("toplevel,devtools.timeline", |browser| {
        opened = Some(browser.open(&url)?);
        std::thread::sleep(TRACE_WINDOW);
        Ok(())
    })?;
    let tab = opened.ok_or_else(|| testbed::browser::Error("the page did not open".into()))?;
    let load_event = browser.evaluate(
        &tab.session,
        "performance.getEntriesByType('navigation')[0]?.loadEventStart || null",
    );
    let checked = if helper && page.shows_checklist {
        browser.overlay(&tab, PATIENCE).and_then(|overlay| {
            browser.wait_for("the checklist", PATIENCE, |b| {
                let state = b.evaluate(&overlay, "document.querySelector('[data-scope=\"okta.devices.manage\"]')?.dataset.state ?? null")?;
                Ok((state == "missing").then_some(()))
            })
        })
    } else {
        Ok(())
    };
    browser.send(
        None,
        "Target.closeTarget",
        serde_json::json!({"targetId": tab.target_id}),
    )?;
    checked?;
    let load_event_ms = number(load_event?)?;

    // The page's main thread is the one that parsed the page's own document.
    let thread = events
        .iter()
        .find(|event| {
            event["name"] == "ParseHTML"
                && event["args"]["beginData"]["url"]
                    .as_str()
                    .is_some_and(|parsed| parsed.starts_with(&document_url))
        })
        .map(|event| (event["pid"].clone(), event["tid"].clone()))
        .ok_or_else(|| testbed::browser::Error("the trace shows no parsing of the page".into()))?;
    let on_thread =
        |event: &&Value| event["ph"] == "X" && event["pid"] == thread.0 && event["tid"] == thread.1;
    let sum = |keep: &dyn Fn(&Value) -> bool| -> f64 {
        events
            .iter()
            .filter(on_thread)
            .filter(|event| keep(event))
            .filter_map(|event| event["tdur"].as_f64())
            .sum::<f64>()
            / 1000.0
    };
    Ok(TracedLoad {
        main_thread_ms: sum(&|event| event["name"] == "ThreadControllerImpl::RunTask"),
        agent_ms: sum(&|event| {
            (event["name"] == "EvaluateScript" || event["name"] == "FunctionCall")
                && event["args"]["data"]["url"].as_str().is_some_and(|script| {
                    script.starts_with("chrome-extension://")
                        && ["/agent.js", "/agent-panel.js"]
                            .iter()
                            .any(|agent| script.ends_with(agent))
                })
        }),
        load_event_ms,
    })
}

/// Profiles the helper's scripts on the Scopes tab and prints where their time goes, then on a
/// busy Workflows console page where the helper has nothing to say.
fn print_agent_profiles(session: &mut ConsoleSession) -> Result {
    let scopes_tab = COST_PAGES
        .iter()
        .find(|page| page.shows_checklist)
        .ok_or("no page of the page cost shows the checklist")?;
    let profile = crate::bench_profile::profile_agent(&mut session.browser, scopes_tab)
        .map_err(|e| format!("profiling the agent on {}: {e}", scopes_tab.what))?;
    crate::bench_profile::print_agent_profile(scopes_tab, &profile);
    let busy_ms = crate::bench_profile::profile_busy_console(
        &mut session.browser,
        &format!("https://{WORKFLOWS_HOST}{WORKFLOWS_CONNECTIONS}"),
    )
    .map_err(|e| format!("profiling the agent on a busy Workflows page: {e}"))?;
    crate::bench_profile::print_busy_console(busy_ms);
    Ok(())
}

/// Prints the page-cost table: per page, what the helper and the floor add to a browser without
/// extensions, against the targets.
fn print_page_costs(costs: &PageCosts) {
    println!(
        "\nPage cost: medians of {AGENT_RUNS} loads per page and browser, added to the same page in a browser without extensions, in the same run."
    );
    println!("\n| page | main-thread CPU added: helper (empty content script) | target | `load` event delayed by: helper (empty content script) | target |");
    println!("|---|---|---|---|---|");
    for (page, [bare, floor, helper, quiet]) in COST_PAGES.iter().zip(costs) {
        let added = helper.main_thread_ms - bare.main_thread_ms;
        let floor_added = floor.main_thread_ms - bare.main_thread_ms;
        let (cpu_limit, cpu_target) = match page.cpu_target {
            CpuTarget::AboveFloor(margin) => {
                (floor_added + margin, format!("≤ floor + {margin:.0} ms"))
            }
            CpuTarget::Within(limit) => (limit, format!("≤ {limit:.0} ms")),
        };
        let delay = helper.load_event_ms - bare.load_event_ms;
        let floor_delay = floor.load_event_ms - bare.load_event_ms;
        println!(
            "| {} | {added:+.1} ms ({floor_added:+.1} ms); the agent's scripts themselves {:.1} ms | {cpu_target}: {} | {delay:+.1} ms ({floor_delay:+.1} ms) | ≤ {:.0} ms: {} |",
            page.what,
            helper.agent_ms,
            verdict(added <= cpu_limit),
            page.load_target_ms,
            verdict(delay <= page.load_target_ms),
        );
        if !page.shows_checklist {
            let added = quiet.main_thread_ms - bare.main_thread_ms;
            let delay = quiet.load_event_ms - bare.load_event_ms;
            println!(
                "| the same, the launcher turned off in the options | {added:+.1} ms ({floor_added:+.1} ms); the agent's scripts themselves {:.1} ms | {cpu_target}: {} | {delay:+.1} ms ({floor_delay:+.1} ms) | ≤ {:.0} ms: {} |",
                quiet.agent_ms,
                verdict(added <= cpu_limit),
                page.load_target_ms,
                verdict(delay <= page.load_target_ms),
            );
        }
    }
}

pub(crate) fn verdict(met: bool) -> &'static str {
    if met {
        "pass"
    } else {
        "**miss**"
    }
}

pub(crate) fn number(value: Value) -> testbed::browser::Result<f64> {
    value
        .as_f64()
        .ok_or_else(|| testbed::browser::Error(format!("expected a number, got {value}")))
}

pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}
