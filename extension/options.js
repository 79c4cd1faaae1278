// The options page: how long captured credentials live. The setting is not secret, so it lives in
// chrome.storage.local; the service worker reads it, and clamps it to the same range, on capture.
const KEY = "vaultLifetimeSeconds";
const DEFAULT_SECONDS = 600;
const form = document.getElementById("options");
const input = document.getElementById("lifetime");
const status = document.getElementById("status");

chrome.storage.local.get(KEY).then((items) => {
  input.value = items[KEY] ?? DEFAULT_SECONDS;
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!input.checkValidity()) {
    status.textContent = "Enter a whole number of seconds between 2 and 3600.";
    return;
  }
  await chrome.storage.local.set({ [KEY]: Number(input.value) });
  status.textContent = `Saved: new captures are kept for ${input.value} seconds.`;
});
