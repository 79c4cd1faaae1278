// Bootstrap of the service worker: register listeners synchronously, run them in Rust.
//
// A module service worker may not import() dynamically or await at the top level, and it can be
// stopped at any time; so listeners are registered on every start and each awaits the one cached
// initialisation of the Wasm module.
import init, { onAlarm, onRuntimeMessage, onWorkerStart } from "./pkg/okta_devices_helper.js";
import { syncLauncherOption } from "./launcher_option.js";

const ready = init();
ready.then(() => onWorkerStart()).catch((error) => console.error("[Okta Devices helper] worker start-up failed:", error));

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  ready
    .then(() => onRuntimeMessage(message, sender))
    .then(sendResponse, (error) => sendResponse({ refused: { reason: String(error?.message ?? error) } }));
  return true; // the reply is sent asynchronously
});

chrome.alarms.onAlarm.addListener((alarm) => {
  ready.then(() => onAlarm(alarm.name));
});

chrome.runtime.onInstalled.addListener(() => {
  syncLauncherOption().catch((error) => console.error("[Okta Devices helper] the launcher option:", error.message));
});
