//! The project's automation: `cargo xtask <command>`.
//!
//! - `setup`: installs what building and testing need, skipping what is there: the wasm32 target,
//!   the wasm-bindgen CLI of exactly the version Cargo.lock pins, Chromium and ChromeDriver,
//!   Firefox ESR, and the pinned npm packages (the demo's React, web-ext).
//! - `build`: builds the loadable extension into `dist/extension` (git-ignored).
//! - `demo`: builds, serves the demo console and runs the extension on it (see [`demo`]).
//! - `test`: everything the project tests: formatting, lints, native tests, Wasm tests in headless
//!   Chromium, the end-to-end tests with the real extension in Chromium and Firefox, and the store
//!   packages' checks.
//! - `bench`: size and speed figures (see [`bench`]).
//! - `package`: the store uploads in `dist/`, checked (see [`package`]).

#![allow(clippy::print_stdout)] // a command-line tool: stdout is its report

mod bench;
mod bench_firefox;
mod bench_profile;
mod demo;
mod package;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CRATE_FILE_STEM: &str = "okta_devices_helper";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(),
        Some("build") => setup().and_then(|()| build_extension()).map(|_| ()),
        Some("demo") => setup()
            .and_then(|()| build_extension())
            .and_then(|dir| demo::run(&dir, args.iter().any(|a| a == "--headless"))),
        Some("test") => setup()
            .and_then(|()| build_extension())
            .and_then(|_| test()),
        Some("package") => setup().and_then(|()| build_extension()).and_then(|dir| {
            let packages = package_and_check(&dir)?;
            println!(
                "xtask: store uploads written and checked:\n  {}\n  {}",
                packages.chrome.display(),
                packages.firefox.display()
            );
            Ok(())
        }),
        Some("bench") => setup()
            .and_then(|()| build_extension())
            .and_then(|dir| package_and_check(&dir).map(|_| dir))
            .and_then(|dir| {
                let page_cost_only = args.iter().any(|a| a == "--page-cost");
                if args.iter().any(|a| a == "--firefox") {
                    let firefox = root().join("dist/firefox-extension");
                    bench_firefox::run(&firefox, &dir, page_cost_only)
                } else {
                    bench::run(&dir, page_cost_only)
                }
            }),
        _ => Err(
            "usage: cargo xtask <setup|build|demo [--headless]|test|bench [--page-cost] [--firefox]|package>"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    testbed::workspace_root()
}

/// Runs a command in the workspace root; fails with its name if it fails.
fn run(command: &mut Command) -> Result {
    let shown = format!("{command:?}");
    let status = command
        .current_dir(root())
        .status()
        .map_err(|error| format!("could not run {shown}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn output(command: &mut Command) -> Option<String> {
    let out = command.current_dir(root()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Installs what is missing: wasm32 target, wasm-bindgen CLI, Chromium, ChromeDriver, Firefox ESR,
/// and the pinned npm packages.
fn setup() -> Result {
    let targets =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("xtask: installing the {WASM_TARGET} target");
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }

    let wanted = locked_version("wasm-bindgen")?;
    let installed = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if installed.split_whitespace().nth(1) != Some(wanted.as_str()) {
        println!("xtask: installing wasm-bindgen-cli {wanted} (the version Cargo.lock pins)");
        run(cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ]))?;
    }

    let npm_missing = output(Command::new("npm").arg("--version")).is_none();
    let missing: Vec<&str> = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/bin/firefox-esr", "firefox-esr"),
    ]
    .into_iter()
    .filter(|(path, _)| !Path::new(path).exists())
    .map(|(_, package)| package)
    .chain(npm_missing.then_some("npm"))
    .collect();
    if !missing.is_empty() {
        println!("xtask: installing {}", missing.join(" "));
        let as_root = output(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0");
        let apt = |args: &[&str]| {
            let mut command = if as_root {
                Command::new("apt-get")
            } else {
                let mut sudo = Command::new("sudo");
                sudo.arg("apt-get");
                sudo
            };
            command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut command)
        };
        apt(&["update", "-qq"])?;
        let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
        install.extend(&missing);
        apt(&install)?;
    }

    // The demo Workflows console's React, pinned by its package-lock.json.
    let workflows = root().join("www/workflows");
    if !workflows
        .join("node_modules/react/umd/react.production.min.js")
        .exists()
    {
        println!("xtask: installing the demo Workflows console's packages (npm ci)");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&workflows))?;
    }
    // Mozilla's web-ext, pinned by its package-lock.json, for the Firefox package's lint.
    let web_ext = root().join("tools/web-ext");
    if !web_ext.join("node_modules/web-ext/bin/web-ext.js").exists() {
        println!("xtask: installing web-ext (npm ci)");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&web_ext))?;
    }
    Ok(())
}

/// Writes the store zips for the extension built in `built` into `dist/` and checks them: the
/// Chrome package against the Web Store's rules, the Firefox package with `web-ext lint`.
fn package_and_check(built: &Path) -> Result<package::Packages> {
    let packages =
        package::write_packages(built, &root().join("dist"), &package::crate_version()?)?;
    let justifications = std::fs::read_to_string(root().join(package::JUSTIFICATIONS))
        .map_err(|e| format!("cannot read {}: {e}", package::JUSTIFICATIONS))?;
    let problems = package::chrome_store_problems(built, &justifications)?;
    if !problems.is_empty() {
        return Err(format!(
            "the Chrome package breaks the Web Store's rules:\n  {}",
            problems.join("\n  ")
        ));
    }
    package::web_ext_lint(&packages.firefox_dir)?;
    Ok(packages)
}

/// Builds and packages the extension twice, the second time with the Wasm compiled afresh, and
/// fails unless both zips come out byte for byte the same.
fn check_packages_reproducible() -> Result {
    let first = package_and_check(&root().join("dist/extension"))?;
    let zips = |packages: &package::Packages| -> Result<[Vec<u8>; 2]> {
        let read = |path: &Path| std::fs::read(path).map_err(|e| format!("{path:?}: {e}"));
        Ok([read(&packages.chrome)?, read(&packages.firefox)?])
    };
    let before = zips(&first)?;
    run(cargo().args([
        "clean",
        "--quiet",
        "--release",
        "--package",
        "okta-devices-helper",
        "--target",
        WASM_TARGET,
    ]))?;
    let second = package_and_check(&build_extension()?)?;
    if zips(&second)? != before {
        return Err("two builds of the same commit gave different store zips".to_owned());
    }
    println!("xtask: the store zips are checked and the same bytes on a second build");
    Ok(())
}

/// The version of a package as Cargo.lock pins it.
fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("Cargo.lock unreadable: {error}"))?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .ok_or_else(|| format!("Cargo.lock does not pin {package}"))?
        + marker.len();
    let end = lock[start..]
        .find('"')
        .ok_or_else(|| "Cargo.lock is malformed".to_owned())?;
    Ok(lock[start..start + end].to_owned())
}

/// Builds the release Wasm, generates its JS glue and assembles `dist/extension`.
fn build_extension() -> Result<PathBuf> {
    let root = root();
    // Panic locations name their source files; a dependency's path would carry this machine's
    // Cargo home, and a store package must be the same bytes wherever it is rebuilt.
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    run(cargo()
        .args([
            "build",
            "--quiet",
            "--release",
            "--lib",
            "--package",
            "okta-devices-helper",
            "--target",
            WASM_TARGET,
        ])
        .env(
            "CARGO_ENCODED_RUSTFLAGS",
            format!("--remap-path-prefix={}=/cargo", cargo_home.display()),
        ))?;
    let dist = root.join("dist/extension");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear {dist:?}: {e}"))?;
    }
    copy_dir(&root.join("extension"), &dist)?;
    // The icons' one source is their SVG; the package carries only the PNGs the manifest names.
    let icons = dist.join("icons");
    std::fs::remove_file(icons.join("icon.svg")).map_err(|e| format!("{icons:?}: {e}"))?;
    package::render_icons(&root.join("extension/icons/icon.svg"), &icons)?;
    // The version's one place is Cargo.toml.
    let manifest = package::read_json(&dist.join("manifest.json"))?;
    let stamped = package::stamp_manifest(&manifest, &package::crate_version()?)?;
    package::write_json(&dist.join("manifest.json"), &stamped)?;
    let wasm = root.join(format!(
        "target/{WASM_TARGET}/release/{CRATE_FILE_STEM}.wasm"
    ));
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--remove-name-section",
            "--remove-producers-section",
            "--out-dir",
        ])
        .arg(dist.join("pkg"))
        .arg(&wasm))?;
    println!("xtask: extension built in {}", dist.display());
    Ok(dist)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {to:?}: {e}"))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("cannot read {from:?}: {e}"))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("cannot copy {:?}: {e}", entry.path()))?;
        }
    }
    Ok(())
}

/// Every test of the project, in order of speed: lints, native, Wasm in Chromium, end to end in
/// Chromium and Firefox, then the store packages built again and compared.
fn test() -> Result {
    // The Firefox end-to-end tests install the Firefox package, so it is written (and checked)
    // first.
    package_and_check(&root().join("dist/extension"))?;
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo().args([
        "clippy",
        "--quiet",
        "--package",
        "okta-devices-helper",
        "--target",
        WASM_TARGET,
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let native = run_tests(cargo().args([
        "test",
        "--workspace",
        "--all-targets",
        "--",
        "--test-threads=4",
    ]))?;
    let wasm = run_tests(
        cargo()
            .args([
                "test",
                "--package",
                "okta-devices-helper",
                "--target",
                WASM_TARGET,
                "--tests",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "60"),
    )?;
    check_packages_reproducible()?;
    println!("xtask: {} passed, 0 failed", native + wasm);
    Ok(())
}

/// Runs a `cargo test` command, echoing its output, and returns how many tests passed.
fn run_tests(command: &mut Command) -> Result<u64> {
    use std::io::{BufRead, BufReader};
    let shown = format!("{command:?}");
    let mut child = command
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not run {shown}: {error}"))?;
    let mut passed = 0;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            println!("{line}");
            if let Some(rest) = line.split("test result: ").nth(1) {
                passed += rest
                    .split(';')
                    .find_map(|part| {
                        part.trim()
                            .trim_start_matches("ok. ")
                            .strip_suffix(" passed")
                    })
                    .and_then(|n| n.trim().parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    let status = child.wait().map_err(|error| error.to_string())?;
    if status.success() {
        Ok(passed)
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}
