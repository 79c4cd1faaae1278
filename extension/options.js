// The options page: how long captured credentials live, and whether the launcher shows on console
// pages unrelated to the connection. Neither is secret, so both live in chrome.storage.local; the
// service worker reads the lifetime, and clamps it to the same range, on capture. The launcher
// option reaches the page agent as a tiny content script (quiet.js) registered while the launcher
// is off, so that the agent never reads storage on a page where it has nothing to say.
const KEY = "vaultLifetimeSeconds";
const LAUNCHER_KEY = "launcherElsewhere";
const DEFAULT_SECONDS = 600;
const QUIET_SCRIPT = "quiet-launcher";
// The hosts the page agent runs on (manifest.json's content script; registered scripts take no
// include_globs, and quiet.js does nothing but set a flag that only the agent reads).
const CONSOLE_HOSTS = chrome.runtime.getManifest().content_scripts[0].matches;
const form = document.getElementById("options");
const input = document.getElementById("lifetime");
const launcher = document.getElementById("launcher-elsewhere");
const status = document.getElementById("status");

chrome.storage.local.get([KEY, LAUNCHER_KEY]).then((items) => {
  input.value = items[KEY] ?? DEFAULT_SECONDS;
  launcher.checked = items[LAUNCHER_KEY] !== false;
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!input.checkValidity()) {
    status.textContent = "Enter a whole number of seconds between 2 and 3600.";
    return;
  }
  await chrome.storage.local.set({ [KEY]: Number(input.value), [LAUNCHER_KEY]: launcher.checked });
  await applyLauncherOption(launcher.checked);
  const where = launcher.checked ? "on every console page" : "only where the connection is made";
  status.textContent = `Saved: new captures are kept for ${input.value} seconds; the launcher shows ${where}.`;
});

async function applyLauncherOption(shown) {
  const registered = await chrome.scripting.getRegisteredContentScripts({ ids: [QUIET_SCRIPT] });
  if (shown && registered.length > 0) {
    await chrome.scripting.unregisterContentScripts({ ids: [QUIET_SCRIPT] });
  } else if (!shown && registered.length === 0) {
    await chrome.scripting.registerContentScripts([{
      id: QUIET_SCRIPT,
      js: ["quiet.js"],
      matches: CONSOLE_HOSTS,
      runAt: "document_start",
      persistAcrossSessions: true,
    }]);
  }
}
