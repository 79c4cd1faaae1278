// Bootstrap of the toolbar popup: load the Wasm module and hand over to Rust.
import init, { startPopup } from "./pkg/okta_devices_helper.js";

init()
  .then(() => startPopup())
  .catch((error) => {
    document.getElementById("root").textContent = "The Okta Devices helper could not start.";
    console.error("[Okta Devices helper] popup start-up failed:", error);
  });
