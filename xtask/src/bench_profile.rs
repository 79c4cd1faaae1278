//! Where the helper's own scripts spend the Scopes tab's main thread: a JavaScript CPU profile of
//! the page (CDP's `Profiler`, which samples every world of the page, the agent's isolated world
//! included) over a few fresh loads, summed per part of the agent's work; and, with the same
//! profile, what the helper's scripts take of a large Workflows page that keeps changing, where
//! the helper has nothing to say.
//!
//! The page-cost trace counts everything the helper adds to the page but cannot say which part of
//! the agent a message handler ran (the extension's bindings call the agent's listeners from code
//! that has no script of its own). The profile can: each sample carries its whole stack, so time
//! spent anywhere below one of the agent's entry points (the DOM calls it makes and the layouts
//! they force included) counts for that part. Native work the agent causes later, such as the
//! re-layout after the gutter is set, happens outside its stacks and is only in the trace's total.
//! Sampling has its own overhead, so these figures run somewhat above the trace's.

use crate::bench::{median, CostPage};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use testbed::browser::{Browser, Error, Page, Result};

/// How many fresh loads are profiled.
const PROFILED_LOADS: usize = 5;
/// The sampling interval, in µs: fine enough for parts of a millisecond.
const SAMPLING_US: u64 = 100;
/// How long each profiled load runs: as the trace's window.
const WINDOW: Duration = Duration::from_millis(1500);

/// The parts of the agent's work that the breakdown names, by their entry point: the script and
/// the function whose stacks they are.
pub(crate) const AGENT_PARTS: [(&str, &str, &str); 6] = [
    ("agent.js", "mountFrame", "creating the overlay frame"),
    ("agent-panel.js", "start", "connecting to the overlay"),
    (
        "agent-panel.js",
        "read",
        "reading the page (the probes and the scan)",
    ),
    (
        "agent-panel.js",
        "apiFetch",
        "carrying the API check's requests",
    ),
    (
        "agent-panel.js",
        "apply",
        "applying the overlay's plan (size, gutter, marks)",
    ),
    (
        "agent-panel.js",
        "watchForMoves",
        "watching the frame for moves",
    ),
];

/// The agent's scripts, whose every sample counts in the total.
const AGENT_SCRIPTS: [&str; 2] = ["agent.js", "agent-panel.js"];

/// The file name of a script's URL.
fn file_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

/// Medians over [`PROFILED_LOADS`] loads, in ms: each part of [`AGENT_PARTS`], in order, and the
/// total of every sample with one of the agent's scripts on its stack.
pub(crate) struct AgentProfile {
    pub(crate) parts: Vec<f64>,
    pub(crate) total: f64,
}

/// Profiles fresh loads of `page` in `browser` (the helper's) and sums them per part.
pub(crate) fn profile_agent(browser: &mut Browser, page: &CostPage) -> Result<AgentProfile> {
    let url = format!("https://{}{}{}", page.host, page.path, page.fragment);
    let mut loads = Vec::with_capacity(PROFILED_LOADS);
    for _ in 0..PROFILED_LOADS {
        let profile = profile_load(browser, &url)?;
        loads.push(agent_time(&profile)?);
    }
    let parts = (0..AGENT_PARTS.len())
        .map(|at| median(loads.iter().map(|(parts, _)| parts[at]).collect()))
        .collect();
    let total = median(loads.iter().map(|(_, total)| *total).collect());
    for (at, (script, function, _)) in AGENT_PARTS.iter().enumerate() {
        if loads.iter().all(|(parts, _)| parts[at] == 0.0) {
            return Err(Error(format!(
                "no profile shows {script}'s {function}: if it was renamed, rename it in AGENT_PARTS too"
            )));
        }
    }
    Ok(AgentProfile { parts, total })
}

/// One load of `url` in a new tab, profiled from before its navigation; the tab is closed after.
fn profile_load(browser: &mut Browser, url: &str) -> Result<Value> {
    let tab = browser.open("about:blank")?;
    let profile = profiled(browser, &tab, |browser| {
        browser.send(Some(&tab.session), "Page.navigate", json!({"url": url}))?;
        std::thread::sleep(WINDOW);
        Ok(())
    });
    browser.send(
        None,
        "Target.closeTarget",
        json!({"targetId": tab.target_id}),
    )?;
    profile
}

/// The CPU profile of `tab` while `work` runs, at [`SAMPLING_US`].
fn profiled(
    browser: &mut Browser,
    tab: &Page,
    work: impl FnOnce(&mut Browser) -> Result<()>,
) -> Result<Value> {
    let session = Some(&tab.session);
    browser.send(session, "Profiler.enable", json!({}))?;
    browser.send(
        session,
        "Profiler.setSamplingInterval",
        json!({"interval": SAMPLING_US}),
    )?;
    browser.send(session, "Profiler.start", json!({}))?;
    let worked = work(browser);
    let stopped = browser.send(session, "Profiler.stop", json!({}));
    worked?;
    Ok(stopped?["profile"].take())
}

/// Per part of [`AGENT_PARTS`], the time of the samples with its entry point on their stack, and
/// the time of those with any of the agent's scripts on it, in ms.
fn agent_time(profile: &Value) -> Result<(Vec<f64>, f64)> {
    let malformed = || Error("the CPU profile is not in CDP's shape".into());
    let nodes = profile["nodes"].as_array().ok_or_else(malformed)?;
    let samples = profile["samples"].as_array().ok_or_else(malformed)?;
    let deltas = profile["timeDeltas"].as_array().ok_or_else(malformed)?;
    let mut parent = HashMap::new();
    let mut frame = HashMap::new();
    for node in nodes {
        let id = node["id"].as_u64().ok_or_else(malformed)?;
        frame.insert(
            id,
            (
                node["callFrame"]["url"].as_str().unwrap_or(""),
                node["callFrame"]["functionName"].as_str().unwrap_or(""),
            ),
        );
        for child in node["children"].as_array().into_iter().flatten() {
            parent.insert(child.as_u64().ok_or_else(malformed)?, id);
        }
    }
    // A sample's time is the gap to the next one, which is the next delta.
    let mut per_part = vec![0.0; AGENT_PARTS.len()];
    let mut total = 0.0;
    let mut stack_of = BTreeMap::new();
    for (at, sample) in samples.iter().enumerate() {
        let Some(ms) = deltas
            .get(at + 1)
            .and_then(Value::as_f64)
            .map(|us| us.max(0.0) / 1000.0)
        else {
            continue;
        };
        let id = sample.as_u64().ok_or_else(malformed)?;
        let stack: &Vec<(&str, &str)> = stack_of.entry(id).or_insert_with(|| {
            let mut stack = Vec::new();
            let mut at = Some(id);
            while let Some(node) = at {
                if let Some(called) = frame.get(&node) {
                    stack.push(*called);
                }
                at = parent.get(&node).copied();
            }
            stack
        });
        if stack
            .iter()
            .any(|(url, _)| AGENT_SCRIPTS.contains(&file_of(url)))
        {
            total += ms;
        }
        for (part, (script, function, _)) in AGENT_PARTS.iter().enumerate() {
            if stack
                .iter()
                .any(|(url, name)| name == function && file_of(url) == *script)
            {
                per_part[part] += ms;
            }
        }
    }
    Ok((per_part, total))
}

/// How many times a busy console page is profiled.
const BUSY_RUNS: usize = 3;

/// JavaScript, run in a Workflows console page without the connection dialog, that makes it a
/// large, busy page: 200 cards of ten list items (about 8,000 elements), then 300 small changes
/// 2 ms apart, as a flow being edited makes; it resolves when the last is made.
const BUSY_CONSOLE: &str = "new Promise(done => {\
     const cards = document.createElement('div');\
     for (let i = 0; i < 200; i++) {\
       const card = document.createElement('div');\
       card.innerHTML = '<ul>' + '<li><span>step</span> <b>value</b></li>'.repeat(10) + '</ul>';\
       cards.append(card);\
     }\
     document.body.append(cards);\
     let changes = 0;\
     const change = () => {\
       const note = document.createElement('span');\
       note.textContent = 'saved ' + changes;\
       cards.children[changes % 200].append(note);\
       if (++changes < 300) setTimeout(change, 2); else done(changes);\
     };\
     setTimeout(change, 50);\
   })";

/// The helper's own scripts' time, in ms (median of [`BUSY_RUNS`]), while a Workflows console
/// page without the connection dialog grows large and changes 300 times: what watching for the
/// dialog costs a busy console.
pub(crate) fn profile_busy_console(browser: &mut Browser, url: &str) -> Result<f64> {
    let mut runs = Vec::with_capacity(BUSY_RUNS);
    for _ in 0..BUSY_RUNS {
        let tab = browser.open(url)?;
        // The page's own loading and the agent's start are not what is measured here.
        std::thread::sleep(WINDOW);
        let profile = profiled(browser, &tab, |browser| {
            browser.evaluate(&tab.session, BUSY_CONSOLE).map(drop)
        });
        browser.send(
            None,
            "Target.closeTarget",
            json!({"targetId": tab.target_id}),
        )?;
        runs.push(agent_time(&profile?)?.1);
    }
    Ok(median(runs))
}

/// Prints the busy Workflows page's figure.
pub(crate) fn print_busy_console(busy_ms: f64) {
    println!(
        "\nA Workflows console page without the dialog, grown to about 8,000 elements and changed 300 times: the helper's scripts took {busy_ms:.1} ms of its main thread (the same profile, median of {BUSY_RUNS})."
    );
}

/// Prints the breakdown under the page-cost table.
pub(crate) fn print_agent_profile(page: &CostPage, profile: &AgentProfile) {
    println!(
        "\nWhere the helper's own scripts spend {}'s main thread (a JavaScript CPU profile, {SAMPLING_US} µs samples, medians of {PROFILED_LOADS} fresh loads; each part counts everything below its entry point):",
        page.what
    );
    println!("\n| part (entry point) | ms |");
    println!("|---|---|");
    for ((script, function, what), ms) in AGENT_PARTS.iter().zip(&profile.parts) {
        println!("| {what} ({script}: {function}) | {ms:.1} |");
    }
    println!(
        "| all of the agent's scripts, these parts and the rest | {:.1} |",
        profile.total
    );
}
