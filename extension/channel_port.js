// A chrome.runtime.Port over a MessageChannel, for Firefox: there a content script's
// runtime.connect() does not reach an extension frame in its own tab, and that frame has no tabs
// API to connect the other way. So the page agent hands the overlay frame one end of a
// MessageChannel, with a postMessage addressed to the frame's own origin and carrying the frame's
// random token, which only the agent and the frame know (it is in the frame's URL, inside the
// agent's closed shadow root). The page's scripts can post to the frame too, but not with the
// token, and they can neither see nor reach the channel. Another page on an Okta domain can frame
// the overlay itself, with a token of its own; so the agent registers its token with the service
// worker before it offers the channel, and the frame takes the channel only once the service
// worker confirms that the agent of its own tab did (see overlay.js). Messages cross as JSON text,
// as they do over a runtime port, so both ends see exactly what Chrome's ports would give them.

// The key of the one message that hands over the channel.
export const CHANNEL_KEY = "oktaHelperChannel";

// Sent by `disconnect()`, so the other end's onDisconnect fires as it would for a runtime port.
const DISCONNECT = "okta-helper:disconnect";

// Whether this browser needs the channel: Firefox, known by its extension scheme.
export const needsChannel = () => chrome.runtime.getURL("").startsWith("moz-extension:");

function listeners() {
  const list = [];
  return {
    list,
    event: {
      addListener: (listener) => list.push(listener),
      removeListener: (listener) => {
        const at = list.indexOf(listener);
        if (at >= 0) list.splice(at, 1);
      },
      hasListener: (listener) => list.includes(listener),
    },
  };
}

// Wraps one end of a MessageChannel in the parts of chrome.runtime.Port the helper uses.
export function portOverChannel(end, name) {
  const onMessage = listeners();
  const onDisconnect = listeners();
  let open = true;
  const port = {
    name,
    postMessage(message) {
      if (!open) throw new Error("Attempting to use a disconnected port object");
      end.postMessage(JSON.stringify(message));
    },
    disconnect() {
      if (!open) return;
      open = false;
      end.postMessage(DISCONNECT);
      end.close();
    },
    onMessage: onMessage.event,
    onDisconnect: onDisconnect.event,
  };
  end.onmessage = (event) => {
    if (!open || typeof event.data !== "string") return;
    if (event.data === DISCONNECT) {
      open = false;
      end.close();
      for (const listener of [...onDisconnect.list]) listener(port);
      return;
    }
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    for (const listener of [...onMessage.list]) listener(message, port);
  };
  return port;
}
