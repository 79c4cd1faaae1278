//! End to end: the helper's reading of the Okta API Scopes tab in every markup of the corpus
//! (`testbed::corpus::VARIANTS`, drawn by `www/assets/markups.js`), with the real extension in
//! headless Chromium against the demo console.
//!
//! Every variant runs four times, each in a fresh tab of one browser: `okta.devices.manage`
//! granted and not granted, Okta's API up and down for the helper. Then, in the tab of the
//! not-granted, API-up run (to keep the corpus within its time), Grant is clicked through the
//! variant's own control (`window.demoConsole.grant`), and every state the checklist goes through
//! after the table changed is judged until it settles again. The test fails if
//! any required line of any run is ever *wrong*: shown granted when it is not, or missing when it
//! is granted. "Can't confirm" is never wrong.
//!
//! The table of results is printed (run with `--nocapture` to see it on success) and written to
//! `page_corpus.md` in Cargo's test temp directory. `PAGE_CORPUS_VARIANTS=name,name` runs only
//! those variants, while working on one; the test then says so and fails, so that a partial
//! corpus never passes. `PAGE_CORPUS_EXTENSION=<dir>` runs the corpus against another build of
//! the extension than `dist/extension` (an older one, to compare), and the report names it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::print_stdout)] // the corpus's table is this test's report

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;
use testbed::corpus::{
    self, GrantReport, LineVerdict, Outcome, RunReport, Variant, Verdict, VARIANTS,
};

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

#[test]
fn no_markup_of_the_scopes_tab_is_ever_read_wrong() {
    let started = Instant::now();
    let (variants, partial) = selected();
    let root = testbed::workspace_root();
    let extension = std::env::var_os("PAGE_CORPUS_EXTENSION")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("dist/extension"));
    let mut h = testbed::session::ConsoleSession::start(&root.join("www"), &extension, true)
        .unwrap_or_else(|e| panic!("could not start the demo console and browser: {e}"));

    // The not-granted, API-up run of each variant is the first half of its Grant run (same tab,
    // same waits, same judgement); the other three runs have tabs of their own.
    let mut runs: Vec<Vec<Result<RunReport, String>>> = Vec::new();
    let mut grants: Vec<Result<GrantReport, String>> = Vec::new();
    for variant in &variants {
        let grant = corpus::run_grant(&mut h, variant.name).map_err(|e| e.to_string());
        let mut four = Vec::new();
        for &(granted, api_down) in &SETUPS {
            four.push(match (&grant, granted, api_down) {
                (Ok(grant), false, false) => Ok(grant.before.clone()),
                _ => corpus::run_variant(&mut h, variant.name, granted, api_down)
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
        "{} runs in {:.1} s, with the extension in {}.",
        variants.len() * (SETUPS.len() + 1),
        elapsed.as_secs_f64(),
        extension.display()
    );
    if !failures.is_empty() {
        let _ = writeln!(report, "\nWrong or failed ({}):", failures.len());
        for failure in &failures {
            let _ = writeln!(report, "- {failure}");
        }
    }
    println!("{report}");
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("page_corpus.md");
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
        !partial,
        "PAGE_CORPUS_VARIANTS ran only part of the corpus; unset it for the whole"
    );
}
