// Bootstrap of the service worker: register listeners synchronously, run them in Rust.
//
// A module service worker may not import() dynamically or await at the top level, and it can be
// stopped at any time; so listeners are registered on every start and each awaits the one cached
// initialisation of the Wasm module.
import init, { onRuntimeMessage } from "./pkg/okta_devices_helper.js";

const ready = init();

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  ready
    .then(() => onRuntimeMessage(message, sender))
    .then(
      (reply) => sendResponse({ ok: true, reply }),
      (error) => sendResponse({ ok: false, error: String(error?.message ?? error) }),
    );
  return true; // the reply is sent asynchronously
});
