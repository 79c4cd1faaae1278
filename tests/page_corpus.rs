//! End to end: the helper's reading of the Okta API Scopes tab in every markup of the corpus
//! (`testbed::corpus::VARIANTS`, drawn by `www/assets/markups.js`), with the real extension
//! against the demo console, in headless Chromium and in Firefox ESR (its Firefox package): the
//! same runs, judged the same way, through `testbed::driver::ConsoleDriver`.
//!
//! Every variant runs four times, each in a fresh tab of one browser: `okta.devices.manage`
//! granted and not granted, Okta's API up and down for the helper. Then, in the tab of the
//! not-granted, API-up run (to keep the corpus within its time), Grant is clicked through the
//! variant's own control (`window.demoConsole.grant`), and every state the checklist goes through
//! after the table changed is judged until it settles again. The test fails if
//! any line of any run (required or optional) is ever *wrong*: shown granted when it is not, or missing when it
//! is granted. "Can't confirm" is never wrong.
//!
//! The table of results is printed (run with `--nocapture` to see it on success) and written to
//! `page_corpus.md` (`page_corpus_firefox.md`) in Cargo's test temp directory. `PAGE_CORPUS_VARIANTS=name,name` runs only
//! those variants, while working on one; the test then says so and fails, so that a partial
//! corpus never passes. `PAGE_CORPUS_EXTENSION=<dir>` runs the corpus against another build of
//! the extension than `dist/extension` (an older one, to compare), and the report names it;
//! `PAGE_CORPUS_FIREFOX_EXTENSION=<dir>` does the same for `dist/firefox-extension`.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::print_stdout)] // the corpus's table is this test's report

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;
use testbed::corpus::{
    self, GrantReport, LineVerdict, Outcome, RunReport, Variant, Verdict, VARIANTS,
};
use testbed::driver::ConsoleDriver;

/// The fewest markups that the page alone must read fully, with Okta's API down, in both truths
/// (29 of 40 do in both browsers): fewer means the page reading has regressed.
const READ_BY_THE_PAGE_ALONE: usize = 20;

/// Markups that the page alone must read fully with Okta's API down, each the one corpus case of
/// a reading rule: a native checkbox that the page hides (clipped, or not rendered) while its
/// label draws it is seen through that label.
const MUST_READ_BY_THE_PAGE_ALONE: [&str; 2] = ["checkbox-clipped", "checkbox-display-none"];

/// The four runs of every variant: (`okta.devices.manage` granted, API down for the helper).
const SETUPS: [(bool, bool); 4] = [(false, false), (true, false), (false, true), (true, true)];

fn selected() -> (Vec<&'static Variant>, bool) {
    match std::env::var("PAGE_CORPUS_VARIANTS") {
        Ok(names) if !names.trim().is_empty() => {
            let wanted: Vec<&str> = names.split(',').map(str::trim).collect();
            for name in &wanted {
                assert!(corpus::variant(name).is_some(), "no variant named {name}");
            }
            (
                VARIANTS
                    .iter()
                    .filter(|v| wanted.contains(&v.name))
                    .collect(),
                true,
            )
        }
        _ => (VARIANTS.iter().collect(), false),
    }
}

/// A cell of the table: how many lines were correct, unknown and wrong, naming the others.
fn cell(lines: &[LineVerdict]) -> String {
    let count = |verdict| lines.iter().filter(|l| l.verdict == verdict).count();
    let (correct, unknown, wrong) = (
        count(Verdict::Correct),
        count(Verdict::Unknown),
        count(Verdict::Wrong),
    );
    let mut text = format!("{} correct", correct);
    if unknown > 0 {
        let names: Vec<&str> = lines
            .iter()
            .filter(|l| l.verdict == Verdict::Unknown)
            .map(|l| l.scope.as_str())
            .collect();
        let _ = write!(text, ", {unknown} unknown ({})", names.join(" "));
    }
    if wrong > 0 {
        let names: Vec<String> = lines
            .iter()
            .filter(|l| l.verdict == Verdict::Wrong)
            .map(|l| format!("{} shown {}", l.scope, l.shown))
            .collect();
        let _ = write!(text, ", **{wrong} WRONG** ({})", names.join("; "));
    }
    text
}

fn run_cell(run: &Result<RunReport, String>) -> String {
    match run {
        Ok(report) => cell(&report.lines),
        Err(_) => "**ERROR**".to_owned(),
    }
}

fn grant_cell(grant: &Result<GrantReport, String>) -> String {
    match grant {
        Ok(report) if report.transient.is_empty() => {
            format!("after: {}", cell(&report.after.lines))
        }
        Ok(report) => {
            let first = &report.transient[0];
            format!(
                "after: {}; **WRONG {:.0} ms after the change** ({})",
                cell(&report.after.lines),
                first.after_ms,
                first.line.describe()
            )
        }
        Err(_) => "**ERROR**".to_owned(),
    }
}

/// The extension to load: `dist/{dist}`, or the directory in the environment variable `variable`.
fn extension(variable: &str, dist: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| testbed::workspace_root().join("dist").join(dist))
}

#[test]
fn no_markup_of_the_scopes_tab_is_ever_read_wrong() {
    let extension = extension("PAGE_CORPUS_EXTENSION", "extension");
    let root = testbed::workspace_root();
    let mut h = testbed::session::ConsoleSession::start(&root.join("www"), &extension, true)
        .unwrap_or_else(|e| panic!("could not start the demo console and Chromium: {e}"));
    run_corpus(&mut h, &extension, "page_corpus.md");
}

#[test]
fn no_markup_of_the_scopes_tab_is_ever_read_wrong_in_firefox() {
    let extension = extension("PAGE_CORPUS_FIREFOX_EXTENSION", "firefox-extension");
    let root = testbed::workspace_root();
    let mut h = testbed::firefox::FirefoxSession::start(&root.join("www"), &extension, true)
        .unwrap_or_else(|e| panic!("could not start the demo console and Firefox: {e}"));
    run_corpus(&mut h, &extension, "page_corpus_firefox.md");
}

/// Runs the selected variants in every setup and Grant, prints and writes the table to `file`,
/// and fails on any wrong line, any failed run, too few markups read by the page alone, or a
/// partial corpus.
fn run_corpus<D: ConsoleDriver>(h: &mut D, extension: &Path, file: &str) {
    let started = Instant::now();
    let (variants, partial) = selected();

    // The not-granted, API-up run of each variant is the first half of its Grant run (same tab,
    // same waits, same judgement); the other three runs have tabs of their own.
    let mut runs: Vec<Vec<Result<RunReport, String>>> = Vec::new();
    let mut grants: Vec<Result<GrantReport, String>> = Vec::new();
    for variant in &variants {
        let grant = corpus::run_grant(h, variant.name).map_err(|e| e.to_string());
        let mut four = Vec::new();
        for &(granted, api_down) in &SETUPS {
            four.push(match (&grant, granted, api_down) {
                (Ok(grant), false, false) => Ok(grant.before.clone()),
                _ => corpus::run_variant(h, variant.name, granted, api_down)
                    .map_err(|e| e.to_string()),
            });
        }
        runs.push(four);
        grants.push(grant);
    }
    let elapsed = started.elapsed();

    // The table: variant × run.
    let mut report = String::new();
    let _ = writeln!(report, "\n| variant | {} | Grant click (API up) |", {
        SETUPS
            .iter()
            .map(|&(granted, down)| corpus::setup_label(granted, down))
            .collect::<Vec<_>>()
            .join(" | ")
    });
    let _ = writeln!(report, "|---|---|---|---|---|---|");
    for ((variant, runs), grant) in variants.iter().zip(&runs).zip(&grants) {
        let _ = writeln!(
            report,
            "| {}{} | {} | {} |",
            variant.name,
            if variant.ambiguous {
                " (ambiguous)"
            } else {
                ""
            },
            runs.iter().map(run_cell).collect::<Vec<_>>().join(" | "),
            grant_cell(grant)
        );
    }

    // Every wrong line, and every run that could not complete.
    let mut failures = Vec::new();
    for (variant, runs) in variants.iter().zip(&runs) {
        for run in runs {
            match run {
                Ok(run) => {
                    for line in run.wrong() {
                        failures.push(format!(
                            "{} ({}): {}",
                            variant.name,
                            run.setup(),
                            line.describe()
                        ));
                    }
                }
                Err(error) => failures.push(format!("error: {error}")),
            }
        }
    }
    for (variant, grant) in variants.iter().zip(&grants) {
        match grant {
            Ok(grant) => {
                for line in grant.before.wrong() {
                    failures.push(format!(
                        "{} (before Grant, {}): {}",
                        variant.name,
                        grant.before.setup(),
                        line.describe()
                    ));
                }
                let mut seen = Vec::new();
                for transient in &grant.transient {
                    let what = transient.line.describe();
                    if !seen.contains(&what) {
                        failures.push(format!(
                            "{} (after Grant, API up, from {:.0} ms after the table changed): {what}",
                            variant.name, transient.after_ms
                        ));
                        seen.push(what);
                    }
                }
            }
            Err(error) => failures.push(format!("error: {error}")),
        }
    }

    // Summaries.
    let fully = |api_down: bool| {
        variants
            .iter()
            .zip(&runs)
            .filter(|(_, runs)| {
                SETUPS.iter().zip(runs.iter()).all(|(&(_, down), run)| {
                    down != api_down
                        || run
                            .as_ref()
                            .is_ok_and(|run| run.outcome == Outcome::ReadCorrectly)
                })
            })
            .map(|(variant, _)| variant.name)
            .collect::<Vec<_>>()
    };
    let (up, down) = (fully(false), fully(true));
    let readable = variants.iter().filter(|v| !v.ambiguous).count();
    let _ = writeln!(
        report,
        "\nWith Okta's API up, {} of {} variants fully correct (both truths).",
        up.len(),
        variants.len()
    );
    let _ = writeln!(
        report,
        "With Okta's API down, {} of {} variants fully correct (both truths; {} are readable at \
         all, the other {} are ambiguous by design): {}.",
        down.len(),
        variants.len(),
        readable,
        variants.len() - readable,
        if down.is_empty() {
            "none".to_owned()
        } else {
            down.join(", ")
        }
    );
    let safe_grants = grants
        .iter()
        .filter(|g| g.as_ref().is_ok_and(|g| g.outcome != Outcome::Wrong))
        .count();
    let _ = writeln!(
        report,
        "Grant clicked on {} variants: {} never wrong after the change.",
        grants.len(),
        safe_grants
    );
    let _ = writeln!(
        report,
        "{} runs in {:.1} s in {}, with the extension in {}.",
        variants.len() * (SETUPS.len() + 1),
        elapsed.as_secs_f64(),
        h.engine(),
        extension.display()
    );
    if !failures.is_empty() {
        let _ = writeln!(report, "\nWrong or failed ({}):", failures.len());
        for failure in &failures {
            let _ = writeln!(report, "- {failure}");
        }
    }
    println!("{report}");
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join(file);
    if std::fs::write(&file, &report).is_ok() {
        println!("(written to {})", file.display());
    }

    assert!(
        failures.is_empty(),
        "{} lines were shown wrong, or runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        partial || down.len() >= READ_BY_THE_PAGE_ALONE,
        "only {} of {} markups read fully by the page alone in {} (at least {READ_BY_THE_PAGE_ALONE} expected)",
        down.len(),
        variants.len(),
        h.engine()
    );
    for name in MUST_READ_BY_THE_PAGE_ALONE {
        assert!(
            down.contains(&name) || !variants.iter().any(|v| v.name == name),
            "{name} is not read fully by the page alone in {}",
            h.engine()
        );
    }
    assert!(
        !partial,
        "PAGE_CORPUS_VARIANTS ran only part of the corpus; unset it for the whole"
    );
}
