// The options page: how long captured credentials live, and whether the launcher shows on console
// pages unrelated to the connection (see launcher_option.js). Neither is secret, so both live in
// chrome.storage.local; the service worker reads the lifetime, and clamps it to the same range, on
// capture.
import { LAUNCHER_KEY, applyLauncherOption } from "./launcher_option.js";

const KEY = "vaultLifetimeSeconds";
const DEFAULT_SECONDS = 600;
const form = document.getElementById("options");
const input = document.getElementById("lifetime");
const launcher = document.getElementById("launcher-elsewhere");
const status = document.getElementById("status");

// Save stays disabled until the stored values are shown, so that a quick click cannot save the
// page's blank defaults over them.
chrome.storage.local.get([KEY, LAUNCHER_KEY]).then((items) => {
  input.value = items[KEY] ?? DEFAULT_SECONDS;
  launcher.checked = items[LAUNCHER_KEY] !== false;
  form.querySelector("button[type=submit]").disabled = false;
  form.dataset.loaded = "true";
}, (error) => {
  status.textContent = `The saved options could not be read: ${error?.message ?? error}. Reopen this page to try again.`;
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!input.checkValidity()) {
    status.textContent = "Enter a whole number of seconds between 2 and 3600.";
    return;
  }
  try {
    await chrome.storage.local.set({ [KEY]: Number(input.value), [LAUNCHER_KEY]: launcher.checked });
    await applyLauncherOption(launcher.checked);
  } catch (error) {
    status.textContent = `Not saved: ${error?.message ?? error}. Try again; if it keeps failing, reload the extension.`;
    return;
  }
  const where = launcher.checked ? "on every console page" : "only where the connection is made";
  status.textContent = `Saved: new captures are kept for ${input.value} seconds; the launcher shows ${where}.`;
});

