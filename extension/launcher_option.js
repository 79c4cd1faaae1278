// The option that turns the launcher off on console pages unrelated to the connection. It lives in
// chrome.storage.local (a setting, never a secret) and reaches the page agent as quiet.js, a
// one-line content script registered only while the launcher is off, so that the agent never reads
// storage on a page where it has nothing to say. The options page applies it when saved; the
// service worker applies it again on install and update, in case the browser dropped the
// registration with the old version.
export const LAUNCHER_KEY = "launcherElsewhere";
const QUIET_SCRIPT = "quiet-launcher";

const isRegistered = async () =>
  (await chrome.scripting.getRegisteredContentScripts({ ids: [QUIET_SCRIPT] })).length > 0;

// Registers or unregisters quiet.js: `shown` is whether the launcher shows everywhere. The options
// page and the service worker (on install) may apply it at the same moment, so a registration
// that fails because the other one just made it (or an unregistration the other one just did)
// counts as done; any other failure is thrown for the caller to show.
export async function applyLauncherOption(shown) {
  if (shown && (await isRegistered())) {
    try {
      await chrome.scripting.unregisterContentScripts({ ids: [QUIET_SCRIPT] });
    } catch (error) {
      if (await isRegistered()) throw error;
    }
  } else if (!shown && !(await isRegistered())) {
    try {
      await chrome.scripting.registerContentScripts([{
        id: QUIET_SCRIPT,
        js: ["quiet.js"],
        // The hosts the page agent runs on (registered scripts take no include_globs; quiet.js
        // does nothing but set a flag that only the agent reads).
        matches: chrome.runtime.getManifest().content_scripts[0].matches,
        runAt: "document_start",
        persistAcrossSessions: true,
      }]);
    } catch (error) {
      if (!(await isRegistered())) throw error;
    }
  }
}

// Applies the stored option.
export async function syncLauncherOption() {
  const items = await chrome.storage.local.get(LAUNCHER_KEY);
  await applyLauncherOption(items[LAUNCHER_KEY] !== false);
}
