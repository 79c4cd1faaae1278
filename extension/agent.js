// The page agent's first part: the only code of the extension that runs on every Okta console
// page, so it does as little as it can. From the address alone (and, on the Workflows console, an
// open dialog) it decides whether the helper's panel is wanted here. If so, it mounts the overlay
// frame (where the Rust core runs, since the console's Content Security Policy forbids WebAssembly
// in the page) once the page's load event has passed, and loads the rest of the agent
// (agent-panel.js), which reads the page and applies what the overlay decides. Elsewhere it draws
// only a launcher button and watches only for the console reaching such a place: no frame, no
// reading, until the admin opens it.
(() => {
  "use strict";
  if (window.top !== window || globalThis.__oktaHelperAgent) return;
  globalThis.__oktaHelperAgent = true; // this isolated world's own flag, against double injection

  // The manifest's include_globs match anywhere in the URL (https://evil.okta.com/x-admin.okta.com/
  // matches "https://*-admin.okta.com/*"), so the host name itself is checked before anything is
  // created, as src/host.rs decides it: an Admin Console host ({org}-admin.{Okta domain}) or an
  // Okta Workflows host ({org}.workflows.{Okta domain}), label for label. Rust decides again.
  const ADMIN_BASES = ["okta.com", "oktapreview.com", "okta-emea.com", "okta-gov.com", "okta.mil"];
  const WORKFLOWS_BASES = ["okta.com", "oktapreview.com", "okta-emea.com"];
  const ORG_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
  const consoleOf = (hostname) => {
    const host = hostname.replace(/\.$/, "").toLowerCase();
    const orgOf = (suffix) => (host.endsWith(suffix) ? host.slice(0, -suffix.length) : null);
    const isOrg = (org) => org != null && !org.includes(".") && ORG_NAME.test(org);
    if (isOrg(ADMIN_BASES.map((base) => orgOf(`-admin.${base}`)).find((org) => org !== null))) return "admin";
    if (isOrg(WORKFLOWS_BASES.map((base) => orgOf(`.workflows.${base}`)).find((org) => org !== null))) return "workflows";
    return null;
  };
  const consoleKind = consoleOf(window.location.hostname);
  if (consoleKind === null) return;

  // Where the panel is wanted, so that its frame is mounted without the admin asking: the Okta
  // Workflows OAuth app's pages on the Admin Console, and an open dialog on the Workflows console.
  // Everywhere else the agent draws only a launcher, and no frame exists until the admin opens
  // it. Generated from src/page_rules.rs (`agent_panel_places`); a test there keeps them equal.
  const PANEL_PLACES = {"adminPathPrefix":"/admin/app/flow/instance/","dialog":"[role=\"dialog\"]","dialogAttributes":["role"]};

  const FRAME_GAP = 12; // px between the frame and the viewport's corner, and the page's content

  // --- the overlay frame and the launcher ------------------------------------------------------

  // Created when first needed: the frame's (or the launcher's) host element and its closed
  // shadow root, which page scripts cannot enter.
  let host = null;
  let shadow = null;
  let frame = null;
  let launcher = null;

  function mountHost() {
    if (!host) {
      host = document.createElement("okta-devices-helper");
      shadow = host.attachShadow({ mode: "closed" });
    }
    if (!host.isConnected) document.documentElement.append(host);
  }

  const panelWanted = () => consoleKind === "admin"
    ? window.location.pathname.startsWith(PANEL_PLACES.adminPathPrefix)
    : document.querySelector(PANEL_PLACES.dialog) !== null;

  // The frame is an extension page: mounted before the page's load event, it would hold that
  // event back until it has loaded. So nothing is mounted before then, and the page loads as if
  // the helper were not there. A page whose load never ends (a resource that hangs) still gets the
  // helper after a while: by then a frame's own load is small beside the page's.
  const LOAD_PATIENCE_MS = 5000;
  function afterLoad(then) {
    if (document.readyState === "complete") {
      setTimeout(then);
      return;
    }
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      clearTimeout(patience);
      then();
    };
    const patience = setTimeout(once, LOAD_PATIENCE_MS);
    window.addEventListener("load", () => setTimeout(once), { once: true });
  }

  // Mounts the overlay frame, opened when the admin asked for it with the launcher.
  function mountFrame(opened) {
    if (frame) return;
    stopWatchingPlaces();
    launcher?.remove();
    launcher = null;
    const token = crypto.randomUUID(); // the overlay takes only the port named after it
    frame = document.createElement("iframe");
    frame.src = `${chrome.runtime.getURL("overlay.html")}#${token}${opened ? ":open" : ""}`;
    frame.title = "Okta Devices helper";
    frame.allow = "clipboard-write"; // the panel's Copy button
    // One CSSOM write (allowed under the page's CSP, unlike a style attribute) for the whole rule.
    frame.style.cssText = `position: fixed; right: ${FRAME_GAP}px; bottom: ${FRAME_GAP}px; width: 0; height: 0;
      border: 0; z-index: 2147483647; color-scheme: light; background: transparent;
      max-height: calc(100vh - ${2 * FRAME_GAP}px); visibility: hidden;`;
    const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
    mountHost();
    shadow.append(frame);
    // The rest of the agent, only now: a page where the panel is never wanted never loads it. It
    // is a module of the extension, and runs in this same isolated world.
    Promise.all([import(chrome.runtime.getURL("agent-panel.js")), loaded]).then(
      ([panel]) => panel.start({ host, frame, token, frameGap: FRAME_GAP }),
      (error) => console.error("[Okta Devices helper] the page agent could not start:", error.message),
    );
  }

  // The launcher where the panel is not wanted: one button in the closed shadow root, no frame.
  // Only the admin's own click opens the panel (a page script's click is not trusted input).
  function drawLauncher() {
    if (frame || launcher) return;
    launcher = document.createElement("button");
    launcher.type = "button";
    launcher.textContent = "Okta Devices helper";
    launcher.title = "Open the Okta Devices helper";
    launcher.setAttribute("aria-expanded", "false");
    // `all: initial` first: inherited properties (font, colour) cross even a closed shadow root.
    launcher.style.cssText = `all: initial; position: fixed; right: ${FRAME_GAP}px; bottom: ${FRAME_GAP}px; z-index: 2147483647;
      font: 600 13px/1.2 system-ui, sans-serif; color: #fff; background: #1662dd;
      border: 0; border-radius: 18px; padding: 9px 14px; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25); cursor: pointer;`;
    launcher.addEventListener("click", (event) => {
      if (event.isTrusted) mountFrame(true);
    });
    mountHost();
    shadow.append(launcher);
  }

  // Until the frame is mounted, the agent watches only for the panel becoming wanted: the console
  // moving to the app without a reload (the Navigation API, or history events where it is
  // missing), or a dialog opening on the Workflows console. It reads nothing else of the page.
  let placeWatch = null;
  const checkPlace = () => {
    if (panelWanted()) mountFrame(false);
  };

  // A dialog opens as new nodes, or as a node that takes the dialog's role (an attribute that the
  // selector tests). Only those are looked at, never the whole document again: the Workflows
  // console is a large page that changes all the time while flows are edited, and a search of it
  // per change would cost it in proportion to its size.
  const opensDialog = (records) => {
    for (const record of records) {
      if (record.type === "attributes") {
        if (record.target.matches(PANEL_PLACES.dialog)) return true;
        continue;
      }
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue; // text and comments hold no dialog
        if (node.matches(PANEL_PLACES.dialog) || node.querySelector(PANEL_PLACES.dialog) !== null) return true;
      }
    }
    return false;
  };

  function watchPlaces() {
    const navigation = window.navigation;
    if (navigation && typeof navigation.addEventListener === "function") {
      navigation.addEventListener("currententrychange", checkPlace);
    }
    window.addEventListener("popstate", checkPlace);
    window.addEventListener("hashchange", checkPlace);
    if (consoleKind === "workflows") {
      placeWatch = new MutationObserver((records) => {
        if (opensDialog(records)) mountFrame(false);
      });
      // A node given the dialog's role later is caught too.
      placeWatch.observe(document.documentElement, { childList: true, subtree: true, attributeFilter: PANEL_PLACES.dialogAttributes });
    } else if (!navigation) {
      // No Navigation API (Firefox): any change may follow a move within the console, and the
      // address alone answers.
      placeWatch = new MutationObserver(checkPlace);
      placeWatch.observe(document.documentElement, { childList: true, subtree: true });
    }
  }

  function stopWatchingPlaces() {
    window.navigation?.removeEventListener?.("currententrychange", checkPlace);
    window.removeEventListener("popstate", checkPlace);
    window.removeEventListener("hashchange", checkPlace);
    placeWatch?.disconnect();
    placeWatch = null;
  }

  afterLoad(() => {
    if (panelWanted()) {
      mountFrame(false);
      return;
    }
    watchPlaces();
    // Unless the admin turned the launcher off here (quiet.js, registered by the options page).
    // Nothing in this path touches the extension's APIs: the first use of `chrome` alone costs
    // the page more than drawing the launcher.
    if (!globalThis.__oktaHelperQuiet) drawLauncher();
  });
})();
