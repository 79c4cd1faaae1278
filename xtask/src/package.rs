//! Store uploads: `cargo xtask package` turns the built extension into one zip for the Chrome Web
//! Store and Microsoft Edge Add-ons and one for addons.mozilla.org, and checks both.
//!
//! - The Chrome manifest is `extension/manifest.json` with the version written in at build time
//!   (see [`stamp_manifest`]); the Firefox manifest is derived from it by [`firefox_manifest`],
//!   one pure function whose every change has its reason beside it.
//! - The zips are reproducible: entries sorted by path, one fixed timestamp and one mode for
//!   every file, no directory entries and no extra fields, so the same commit gives the same
//!   bytes ([`write_zip`]).
//! - [`chrome_store_problems`] checks the Chrome package against the Web Store's rules that a
//!   machine can check; `web-ext lint` (pinned in `tools/web-ext`) checks the Firefox one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::Result;

/// The name of the zips, before the version and the store.
const PACKAGE_STEM: &str = "okta-devices-helper";

/// Firefox's id for the add-on: fixed forever once published, because addons.mozilla.org and
/// Firefox's storage key everything by it.
pub const GECKO_ID: &str = "okta-devices-helper@okta-devices-helper.github.io";

/// The oldest Firefox the helper claims: ESR 140, the first with the data-collection
/// declaration addons.mozilla.org now asks for, and with every API the helper uses (module
/// background scripts, `storage.session`, `scripting.registerContentScripts`).
pub const GECKO_MIN_VERSION: &str = "140.0";

/// The Firefox for Android version that understands the data-collection declaration.
pub const GECKO_ANDROID_MIN_VERSION: &str = "142.0";

/// The icon sizes the manifest names and the stores ask for.
pub const ICON_SIZES: [u32; 4] = [16, 32, 48, 128];

/// The Chrome Web Store's limit on the manifest's description.
const DESCRIPTION_LIMIT: usize = 132;

/// The manifest's name as the stores show it: Chrome's limit.
const NAME_LIMIT: usize = 75;

/// Each API permission the helper asks for, and the code that proves it is used: the Web Store
/// rejects a permission nothing uses. A permission missing here is a check failure, so a new one
/// must come with its proof.
const PERMISSION_USES: [(&str, &str); 3] = [
    ("storage", "chrome.storage"),
    ("alarms", "chrome.alarms"),
    ("scripting", "chrome.scripting"),
];

/// Where the permissions' justifications live, one `## <permission>` heading each, as the Web
/// Store's privacy form asks for them.
pub const JUSTIFICATIONS: &str = "store/privacy-practices.md";

/// The version of the helper's crate, the one place it is set (`Cargo.toml`).
pub fn crate_version() -> Result<String> {
    let metadata = crate::output(crate::cargo().args([
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ]))
    .ok_or("cargo metadata failed")?;
    let metadata: Value =
        serde_json::from_str(&metadata).map_err(|e| format!("cargo metadata: {e}"))?;
    metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == "okta-devices-helper"))
        .and_then(|p| p["version"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| "cargo metadata names no okta-devices-helper version".to_owned())
}

/// The shipped manifest: the source's, with the crate's version. A Chrome version is one to four
/// dot-separated integers, so a pre-release suffix (`-beta.1`) is refused rather than cut off.
pub fn stamp_manifest(source: &Value, version: &str) -> Result<Value> {
    let numeric = version.split('.').count() <= 4
        && version.split('.').all(|part| {
            !part.is_empty() && part.len() <= 5 && part.bytes().all(|b| b.is_ascii_digit())
        });
    if !numeric {
        return Err(format!(
            "the crate version {version:?} is not a browser extension version (one to four numbers, \
             like 1.2.3): change `version` in Cargo.toml"
        ));
    }
    if source.get("version").is_some() {
        return Err(
            "extension/manifest.json sets a version: remove it; Cargo.toml's is written in"
                .to_owned(),
        );
    }
    let mut manifest = source.clone();
    manifest["version"] = json!(version);
    Ok(manifest)
}

/// Firefox's manifest, derived from Chrome's.
pub fn firefox_manifest(chrome: &Value) -> Result<Value> {
    let mut manifest = chrome.clone();
    let object = manifest
        .as_object_mut()
        .ok_or("the manifest is not a JSON object")?;
    // Firefox runs an extension's background as an event page, not a service worker. The same
    // module runs as one: it registers its listeners on start and keeps nothing in globals.
    let worker = chrome["background"]["service_worker"]
        .as_str()
        .ok_or("the manifest has no background.service_worker")?;
    object.insert(
        "background".to_owned(),
        json!({"scripts": [worker], "type": "module"}),
    );
    // Chrome-only keys. Firefox has no way for a web page or another extension to message an
    // extension, which is what `externally_connectable` (with no matches) already forbids.
    object.remove("minimum_chrome_version");
    object.remove("externally_connectable");
    // Firefox's extension addresses are already random per installation, which is what
    // `use_dynamic_url` asks Chrome for; Firefox does not know the key.
    if let Some(resources) = object
        .get_mut("web_accessible_resources")
        .and_then(Value::as_array_mut)
    {
        for entry in resources.iter_mut().filter_map(Value::as_object_mut) {
            entry.remove("use_dynamic_url");
        }
    }
    object.insert(
        "browser_specific_settings".to_owned(),
        json!({"gecko": {
            "id": GECKO_ID,
            "strict_min_version": GECKO_MIN_VERSION,
            // Nothing leaves for the developer or anyone else: the helper talks only to the org's
            // own Okta hosts, on the admin's behalf (PRIVACY.md).
            "data_collection_permissions": {"required": ["none"]},
        },
        // Firefox for Android is not a target (an admin console on a phone), but addons.mozilla.org
        // reads the manifest for it too: the declaration above needs its version 142.
        "gecko_android": {"strict_min_version": GECKO_ANDROID_MIN_VERSION}}),
    );
    Ok(manifest)
}

/// The zips `cargo xtask package` writes.
pub struct Packages {
    /// For the Chrome Web Store and Microsoft Edge Add-ons.
    pub chrome: PathBuf,
    /// For addons.mozilla.org.
    pub firefox: PathBuf,
    /// The unpacked Firefox extension the Firefox zip was made from.
    pub firefox_dir: PathBuf,
}

/// Writes both store zips for the extension built in `built` into `out`.
pub fn write_packages(built: &Path, out: &Path, version: &str) -> Result<Packages> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {out:?}: {e}"))?;
    let chrome = out.join(format!("{PACKAGE_STEM}-{version}-chrome.zip"));
    write_zip(built, &chrome)?;

    let firefox_dir = out.join("firefox-extension");
    if firefox_dir.exists() {
        std::fs::remove_dir_all(&firefox_dir)
            .map_err(|e| format!("cannot clear {firefox_dir:?}: {e}"))?;
    }
    crate::copy_dir(built, &firefox_dir)?;
    let manifest = read_json(&built.join("manifest.json"))?;
    write_json(
        &firefox_dir.join("manifest.json"),
        &firefox_manifest(&manifest)?,
    )?;
    let firefox = out.join(format!("{PACKAGE_STEM}-{version}-firefox.zip"));
    write_zip(&firefox_dir, &firefox)?;
    Ok(Packages {
        chrome,
        firefox,
        firefox_dir,
    })
}

/// Every file under `dir`, by its path inside the zip (`/`-separated), sorted.
fn zip_entries(dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let listing =
            std::fs::read_dir(&folder).map_err(|e| format!("cannot read {folder:?}: {e}"))?;
        for entry in listing {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let inside = path
                .strip_prefix(dir)
                .map_err(|e| e.to_string())?
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            entries.insert(inside, path);
        }
    }
    Ok(entries)
}

/// Zips `dir` so that the same files give the same bytes, whenever and wherever they are zipped.
pub fn write_zip(dir: &Path, zip_path: &Path) -> Result {
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(zip::DateTime::default()) // 1980-01-01 00:00:00, the format's epoch
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (inside, path) in zip_entries(dir)? {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
        zip.start_file(inside.as_str(), options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .map_err(|e| format!("cannot zip {inside}: {e}"))?;
    }
    let bytes = zip
        .finish()
        .map_err(|e| format!("cannot finish {zip_path:?}: {e}"))?
        .into_inner();
    std::fs::write(zip_path, bytes).map_err(|e| format!("cannot write {zip_path:?}: {e}"))
}

/// What the Chrome Web Store would refuse in the unpacked package `dir`, as far as a machine can
/// tell: the manifest's required fields and lengths, the icons, remote code, and permissions that
/// nothing uses or nothing explains. Empty when it passes.
pub fn chrome_store_problems(dir: &Path, justifications: &str) -> Result<Vec<String>> {
    let manifest = read_json(&dir.join("manifest.json"))?;
    let mut problems = Vec::new();
    let text = |key: &str| manifest[key].as_str().unwrap_or_default().to_owned();

    if manifest["manifest_version"] != 3 {
        problems.push("manifest_version must be 3".to_owned());
    }
    let name = text("name");
    if name.is_empty() || name.chars().count() > NAME_LIMIT {
        problems.push(format!(
            "name must be 1 to {NAME_LIMIT} characters: {name:?}"
        ));
    }
    let description = text("description");
    let length = description.chars().count();
    if length == 0 || length > DESCRIPTION_LIMIT {
        problems.push(format!(
            "description must be 1 to {DESCRIPTION_LIMIT} characters, is {length}"
        ));
    }
    if text("version").is_empty() {
        problems.push("no version".to_owned());
    }
    for size in ICON_SIZES {
        for (place, icon) in [
            ("icons", &manifest["icons"][size.to_string()]),
            (
                "action.default_icon",
                &manifest["action"]["default_icon"][size.to_string()],
            ),
        ] {
            match icon.as_str() {
                None => problems.push(format!("{place} has no {size} px icon")),
                Some(file) => match png_size(&dir.join(file)) {
                    Some(found) if found == (size, size) => {}
                    found => problems.push(format!(
                        "{place} {size}: {file} is not a {size}×{size} PNG ({found:?})"
                    )),
                },
            }
        }
    }

    // No remote code: every script is a file of the package, and the pages' policy allows
    // nothing but the package itself (and compiling its own Wasm).
    let policy = manifest["content_security_policy"]["extension_pages"]
        .as_str()
        .unwrap_or_default();
    if policy.contains("http:") || policy.contains("https:") || policy.contains("'unsafe-eval'") {
        problems.push(format!(
            "the extension pages' CSP allows remote or eval'd code: {policy}"
        ));
    }
    let mut code = String::new();
    for (inside, path) in zip_entries(dir)? {
        let is_code = inside.ends_with(".js") || inside.ends_with(".html");
        if !is_code {
            continue;
        }
        let source = std::fs::read_to_string(&path).map_err(|e| format!("{inside}: {e}"))?;
        for (pattern, what) in [
            ("eval(", "eval"),
            ("new Function(", "a Function constructor"),
            ("src=\"http", "a remote script"),
            ("src=\"//", "a remote script"),
            ("import(\"http", "a remote module"),
            ("from \"http", "a remote module"),
        ] {
            if source.contains(pattern) {
                problems.push(format!("{inside} uses {what} ({pattern})"));
            }
        }
        code.push_str(&source);
    }

    let permissions: Vec<&str> = manifest["permissions"]
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for permission in &permissions {
        match PERMISSION_USES.iter().find(|(name, _)| name == permission) {
            None => problems.push(format!(
                "permission {permission:?}: no rule names the code that uses it (xtask's PERMISSION_USES)"
            )),
            Some((_, api)) if !code.contains(api) => {
                problems.push(format!("permission {permission:?} is unused: no {api} in the code"));
            }
            Some(_) => {}
        }
        if !justifications.contains(&format!("\n## `{permission}`")) {
            problems.push(format!(
                "permission {permission:?} has no justification in {JUSTIFICATIONS}"
            ));
        }
    }
    for (name, api) in PERMISSION_USES {
        if code.contains(api) && !permissions.contains(&name) {
            problems.push(format!(
                "the code uses {api} without the {name:?} permission"
            ));
        }
    }
    if manifest["host_permissions"]
        .as_array()
        .is_some_and(|hosts| !hosts.is_empty())
        && !justifications.contains("\n## Host permissions")
    {
        problems.push(format!(
            "the host permissions have no justification in {JUSTIFICATIONS}"
        ));
    }
    Ok(problems)
}

/// The warnings `web-ext lint` gives the Firefox package that are understood and accepted, each
/// with its reason (the README's "Store packages" repeats them). Any other warning, and any
/// error, fails the check.
pub const ACCEPTED_LINT_WARNINGS: [(&str, &str); 0] = [];

/// Runs the pinned `web-ext lint` on the unpacked Firefox package; fails on any error and on any
/// warning not in [`ACCEPTED_LINT_WARNINGS`].
pub fn web_ext_lint(firefox_dir: &Path) -> Result {
    let web_ext = crate::root().join("tools/web-ext/node_modules/web-ext/bin/web-ext.js");
    let report = std::process::Command::new("node")
        .arg(&web_ext)
        .args([
            "lint",
            "--output=json",
            "--no-config-discovery",
            "--source-dir",
        ])
        .arg(firefox_dir)
        .output()
        .map_err(|e| format!("could not run web-ext: {e}"))?;
    let stdout = String::from_utf8_lossy(&report.stdout);
    let report: Value = serde_json::from_str(stdout.trim())
        .map_err(|e| format!("web-ext lint gave no report ({e}): {stdout}"))?;
    let findings = |kind: &str| -> Vec<String> {
        report[kind]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|item| {
                        format!(
                            "{} ({}): {}",
                            item["code"].as_str().unwrap_or("?"),
                            item["file"].as_str().unwrap_or("-"),
                            item["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let errors = findings("errors");
    let warnings: Vec<String> = findings("warnings")
        .into_iter()
        .filter(|warning| {
            !ACCEPTED_LINT_WARNINGS
                .iter()
                .any(|(code, _)| warning.starts_with(&format!("{code} ")))
        })
        .collect();
    if errors.is_empty() && warnings.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "web-ext lint refused the Firefox package:\n  {}",
            errors
                .iter()
                .chain(&warnings)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n  ")
        ))
    }
}

/// A PNG's width and height, from its header.
fn png_size(path: &Path) -> Option<(u32, u32)> {
    let bytes = std::fs::read(path).ok()?;
    let header = bytes.get(..24)?;
    if &header[..8] != b"\x89PNG\r\n\x1a\n" || &header[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    Some((number(16), number(20)))
}

/// Renders the icon's SVG source into one PNG per size, named as the manifest names them.
pub fn render_icons(svg: &Path, out: &Path) -> Result {
    use resvg::{tiny_skia, usvg};
    let source = std::fs::read(svg).map_err(|e| format!("cannot read {svg:?}: {e}"))?;
    let tree = usvg::Tree::from_data(&source, &usvg::Options::default())
        .map_err(|e| format!("{svg:?}: {e}"))?;
    for size in ICON_SIZES {
        let mut pixmap = tiny_skia::Pixmap::new(size, size).ok_or("an empty icon size")?;
        let scale = size as f32 / tree.size().width();
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        let png = pixmap
            .encode_png()
            .map_err(|e| format!("icon {size}: {e}"))?;
        let file = out.join(format!("icon-{size}.png"));
        std::fs::write(&file, png).map_err(|e| format!("cannot write {file:?}: {e}"))?;
    }
    Ok(())
}

pub fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path:?}: {e}"))
}

pub fn write_json(path: &Path, value: &Value) -> Result {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n";
    std::fs::write(path, text).map_err(|e| format!("cannot write {path:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source_manifest() -> Value {
        read_json(&crate::root().join("extension/manifest.json")).expect("the source manifest")
    }

    #[test]
    fn the_version_is_written_in_and_must_be_a_browser_version() {
        let stamped = stamp_manifest(&source_manifest(), "1.2.3").expect("a valid version");
        assert_eq!(stamped["version"], "1.2.3");
        for bad in ["1.2.3-beta.1", "1..2", "1.2.3.4.5", "v1", "123456.0"] {
            let error = stamp_manifest(&source_manifest(), bad).expect_err(bad);
            assert!(error.contains("Cargo.toml"), "{error}");
        }
        let twice = stamp_manifest(&stamped, "1.2.4").expect_err("a source with a version");
        assert!(twice.contains("remove it"), "{twice}");
    }

    #[test]
    fn firefox_gets_background_scripts_and_its_own_settings_and_nothing_chrome_only() {
        let chrome = stamp_manifest(&source_manifest(), "0.1.0").expect("stamped");
        let firefox = firefox_manifest(&chrome).expect("derived");
        assert_eq!(
            firefox["background"],
            json!({"scripts": ["sw.js"], "type": "module"})
        );
        assert_eq!(
            firefox["browser_specific_settings"]["gecko"]["id"],
            GECKO_ID
        );
        assert_eq!(
            firefox["browser_specific_settings"]["gecko"]["strict_min_version"],
            GECKO_MIN_VERSION
        );
        for chrome_only in ["minimum_chrome_version", "externally_connectable"] {
            assert!(
                chrome.get(chrome_only).is_some(),
                "the source has {chrome_only}"
            );
            assert!(
                firefox.get(chrome_only).is_none(),
                "Firefox's has {chrome_only}"
            );
        }
        assert!(!firefox.to_string().contains("use_dynamic_url"));
        // Everything else is Chrome's: the same permissions, hosts, scripts and policy.
        for same in [
            "permissions",
            "host_permissions",
            "content_scripts",
            "content_security_policy",
            "version",
            "icons",
        ] {
            assert_eq!(firefox[same], chrome[same], "{same}");
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-package-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pkg")).expect("a scratch folder");
        dir
    }

    #[test]
    fn the_same_files_zip_to_the_same_bytes_whatever_their_times_and_modes() {
        let first = scratch("first");
        std::fs::write(first.join("b.js"), "let b;").expect("write");
        std::fs::write(first.join("pkg/a.wasm"), [0u8, 97, 115, 109]).expect("write");
        std::fs::write(first.join("a.html"), "<p>").expect("write");
        // The same files, written in another order, later, with another mode.
        let second = scratch("second");
        std::fs::write(second.join("a.html"), "<p>").expect("write");
        std::fs::write(second.join("pkg/a.wasm"), [0u8, 97, 115, 109]).expect("write");
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(86_400);
        std::fs::File::options()
            .write(true)
            .open(second.join("pkg/a.wasm"))
            .and_then(|file| file.set_modified(later))
            .expect("a later modification time");
        std::fs::write(second.join("b.js"), "let b;").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(second.join("b.js"), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        write_zip(&first, &first.join("../first.zip")).expect("zip");
        write_zip(&second, &second.join("../second.zip")).expect("zip");
        let one = std::fs::read(first.join("../first.zip")).expect("read");
        let two = std::fs::read(second.join("../second.zip")).expect("read");
        assert_eq!(one, two);

        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(one)).expect("a valid zip");
        let names: Vec<String> = archive
            .file_names()
            .map(|name| name.expect("a name").into_owned())
            .collect();
        assert_eq!(
            names,
            ["a.html", "b.js", "pkg/a.wasm"],
            "sorted, files only"
        );
        let entry = archive.by_name("b.js").expect("b.js");
        assert_eq!(entry.unix_mode(), Some(0o100644));
        assert_eq!(entry.last_modified(), Some(zip::DateTime::default()));

        // A changed byte changes the zip.
        std::fs::write(second.join("b.js"), "let c;").expect("write");
        write_zip(&second, &second.join("../second.zip")).expect("zip");
        assert_ne!(
            std::fs::read(second.join("../second.zip")).expect("read"),
            two
        );
    }

    /// A minimal package that passes, for the checks below to break one thing at a time.
    fn passing_package(name: &str) -> PathBuf {
        let dir = scratch(name);
        std::fs::create_dir_all(dir.join("icons")).expect("icons");
        render_icons(
            &crate::root().join("extension/icons/icon.svg"),
            &dir.join("icons"),
        )
        .expect("icons");
        let icons: Value = ICON_SIZES
            .iter()
            .map(|size| (size.to_string(), json!(format!("icons/icon-{size}.png"))))
            .collect::<serde_json::Map<_, _>>()
            .into();
        write_json(
            &dir.join("manifest.json"),
            &json!({
                "manifest_version": 3, "name": "A helper", "version": "1.0", "description": "Helps.",
                "icons": icons, "action": {"default_icon": icons},
                "permissions": ["storage"], "host_permissions": ["https://*.okta.com/*"],
                "content_security_policy": {"extension_pages": "script-src 'self' 'wasm-unsafe-eval'"},
            }),
        )
        .expect("manifest");
        std::fs::write(dir.join("sw.js"), "chrome.storage.session.get();").expect("sw.js");
        dir
    }

    const JUSTIFIED: &str = "# Practices\n\n## `storage`\nWhy.\n\n## Host permissions\nWhy.\n";

    #[test]
    fn a_package_that_keeps_the_rules_passes_the_store_check() {
        let dir = passing_package("passes");
        assert_eq!(
            chrome_store_problems(&dir, JUSTIFIED).expect("checked"),
            Vec::<String>::new()
        );
    }

    /// A name, how the package is broken, the justifications beside it, and the problem expected.
    type BrokenPackage = (&'static str, fn(&Path), &'static str, &'static str);

    #[test]
    fn the_store_check_names_each_broken_rule() {
        let cases: [BrokenPackage; 7] = [
            (
                "long",
                |dir| edit(dir, |m| m["description"] = json!("x".repeat(133))),
                JUSTIFIED,
                "description must be 1 to 132",
            ),
            (
                "unused",
                |dir| edit(dir, |m| m["permissions"] = json!(["storage", "alarms"])),
                "# P\n## `storage`\n## `alarms`\n## Host permissions\n",
                "\"alarms\" is unused",
            ),
            (
                "unexplained",
                |_| {},
                "# P\n## Host permissions\n",
                "\"storage\" has no justification",
            ),
            (
                "hosts",
                |_| {},
                "# P\n## `storage`\n",
                "host permissions have no justification",
            ),
            (
                "remote",
                |dir| {
                    std::fs::write(
                        dir.join("p.html"),
                        "<script src=\"https://cdn.example/x.js\"></script>",
                    )
                    .expect("write")
                },
                JUSTIFIED,
                "a remote script",
            ),
            (
                "eval",
                |dir| std::fs::write(dir.join("e.js"), "eval(code)").expect("write"),
                JUSTIFIED,
                "uses eval",
            ),
            (
                "icon",
                |dir| {
                    std::fs::copy(dir.join("icons/icon-16.png"), dir.join("icons/icon-48.png"))
                        .map(drop)
                        .expect("copy")
                },
                JUSTIFIED,
                "icons 48: icons/icon-48.png is not a 48×48 PNG",
            ),
        ];
        for (name, break_it, justifications, expected) in cases {
            let dir = passing_package(name);
            break_it(&dir);
            let problems = chrome_store_problems(&dir, justifications).expect("checked");
            assert!(
                problems.iter().any(|problem| problem.contains(expected)),
                "{name}: expected {expected:?} in {problems:?}"
            );
        }
        // Code that needs a permission the manifest lacks.
        let dir = passing_package("missing");
        std::fs::write(dir.join("a.js"), "chrome.alarms.create('x', {});").expect("write");
        let problems = chrome_store_problems(&dir, JUSTIFIED).expect("checked");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("chrome.alarms without the \"alarms\" permission")),
            "{problems:?}"
        );
    }

    fn edit(dir: &Path, change: impl FnOnce(&mut Value)) {
        let mut manifest = read_json(&dir.join("manifest.json")).expect("manifest");
        change(&mut manifest);
        write_json(&dir.join("manifest.json"), &manifest).expect("manifest");
    }

    #[test]
    fn the_icons_are_rendered_at_every_size_and_are_not_blank() {
        let dir = scratch("icons");
        render_icons(&crate::root().join("extension/icons/icon.svg"), &dir).expect("icons");
        for size in ICON_SIZES {
            let file = dir.join(format!("icon-{size}.png"));
            assert_eq!(png_size(&file), Some((size, size)));
            let pixmap = resvg::tiny_skia::Pixmap::load_png(&file).expect("a PNG");
            let colours: std::collections::BTreeSet<[u8; 4]> = pixmap
                .pixels()
                .iter()
                .map(|p| [p.red(), p.green(), p.blue(), p.alpha()])
                .collect();
            assert!(
                colours.len() > 3,
                "icon {size} is nearly blank: {} colours",
                colours.len()
            );
        }
    }
}
