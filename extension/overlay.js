// Bootstrap of the overlay frame: accept this frame's own page agent, then hand over to Rust.
//
// The page agent that mounted this frame put a random token in its URL fragment (followed by
// ":open" when the admin opened the panel with the agent's launcher) and connects a
// chrome.runtime port named after it. Other tabs' agents connect too (runtime ports reach every
// extension page), so only the port with this frame's token from a top-level content script is
// taken (Firefox: see channel_port.js). The listener is registered before the Wasm module loads,
// so no connection is missed.
import init, { claimAgentChannel, startOverlay } from "./pkg/okta_devices_helper.js";
import { CHANNEL_KEY, needsChannel, portOverChannel } from "./channel_port.js";

const [token, opened] = location.hash.slice(1).split(":");
const ready = init();
let attached = false;
let failed = false;

function showFatal(error) {
  if (failed) return;
  failed = true;
  const root = document.getElementById("root");
  root.dataset.mode = "error";
  root.textContent = "The Okta Devices helper could not start. Reload the page to try again.";
  console.error("[Okta Devices helper] start-up failed:", error);
}

function attach(port) {
  attached = true;
  ready.then(() => startOverlay(port, opened === "open")).catch(showFatal);
}

// Firefox: the agent hands over one end of a MessageChannel, with this frame's token, posted
// from the page's window to this frame's origin. The page's scripts can post here too, but do
// not know the token. A page that is no console can frame this page itself, with a token of its
// own, so the token alone proves nothing: the first offer with it is taken only once the service
// worker confirms that the page agent of this frame's own tab registered that token (a content
// script, which the browser runs only on the consoles). Otherwise the panel shows only a refusal,
// and nothing is ever sent on the offered channel, nor another offer taken.
let offered = false;
function onChannelOffer(event) {
  const offer = event.data;
  const withToken =
    token.length > 0 &&
    event.source === window.parent &&
    offer !== null &&
    typeof offer === "object" &&
    offer[CHANNEL_KEY] === token &&
    event.ports.length === 1;
  if (!withToken || offered) return;
  offered = true;
  window.removeEventListener("message", onChannelOffer);
  const [end] = event.ports;
  ready
    .then(() => claimAgentChannel(token))
    .then((fromOwnAgent) => {
      if (fromOwnAgent) attach(portOverChannel(end, `okta-helper-agent:${token}`));
      else end.close();
    })
    .catch((error) => {
      end.close();
      showFatal(error);
    });
}

if (needsChannel()) window.addEventListener("message", onChannelOffer);
else chrome.runtime.onConnect.addListener((port) => {
  const fromOwnAgent =
    token.length > 0 &&
    port.name === `okta-helper-agent:${token}` &&
    port.sender?.id === chrome.runtime.id &&
    port.sender?.frameId === 0 &&
    port.sender?.tab !== undefined;
  // Another tab's agent, or a second connection: ignored, never disconnected (Chrome tells the
  // opening agent of a receiver's disconnect, and the agent would take it for its own overlay's).
  if (!fromOwnAgent || attached) return;
  attach(port);
});
ready.catch(showFatal);
