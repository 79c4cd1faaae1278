// The page agent's main part: loaded by agent.js, as a module in the same isolated world, once the
// overlay frame is mounted. It holds no rules, only a generated copy of the overlay's first probes,
// to read the page while the overlay starts. It answers the probes the overlay sends and applies what
// the overlay decides: frame size, highlights, scrolling, a click on a tab, a form fill. It also
// carries the overlay's requests to the org's API, from the page's own origin (see "the API
// transport" below). It talks only over its chrome.runtime port, which page scripts cannot reach
// (in Firefox, a channel, whose token it first registers with the service worker; see
// channel_port.js); it never listens to window.postMessage. It never logs message contents, and
// it keeps no value it reads or fills (the facts read ahead wait for the overlay, and those probes
// never read a secret): a secret passes through once, to the overlay or into its one input.

// What agent.js mounted: the frame's host element in the page, the frame, and the token that the
// frame expects in the port's name.
let host = null;
let frame = null;
let token = "";
let frameGap = 0; // px between the frame and the viewport's corner, and the page's content

const MARK = "data-okta-helper";

// The overlay's first "watch", read ahead while the overlay starts (see start). Generated from
// src/page_rules.rs (`agent_read_ahead`); a test there keeps it equal.
const READ_AHEAD = {"watch":{"probes":[{"id":"scope_table","selectors":["[data-se=\"scopes-table\"]"],"labels":[],"fields":[]},{"id":"app_tabs","selectors":["[data-se=\"app-tabs\"] [role=\"tab\"]"],"labels":[],"fields":[{"name":"label","selector":null,"read":"text"},{"name":"href","selector":null,"read":{"attr":"href"}},{"name":"selected","selector":null,"read":{"attr":"aria-selected"}}]},{"id":"user_menu_domain","selectors":["[data-se=\"admin-header--user-menu\"]"],"labels":[],"fields":[{"name":"org_domain","selector":"[data-se=\"user-menu--org-domain\"]","read":"text"}]},{"id":"sign_on_fields","selectors":["[data-se=\"o-form-input-client_secret\"] input"],"labels":["Client secret"],"fields":[{"name":"client_secret","selector":null,"read":"present"}]},{"id":"connection_dialog","selectors":["[role=\"dialog\"]"],"labels":[],"fields":[{"name":"aria_label","selector":null,"read":{"attr":"aria-label"}},{"name":"heading","selector":"h1, h2, [role=\"heading\"]","read":"text"},{"name":"connector","selector":"[data-se=\"connector-name\"]","read":"text"},{"name":"usable","selector":null,"read":"usable"}]},{"id":"dialog_inputs","selectors":["[role=\"dialog\"] input"],"labels":[],"fields":[{"name":"id","selector":null,"read":{"attr":"id"}},{"name":"labels","selector":null,"read":"labels"},{"name":"name","selector":null,"read":{"attr":"name"}},{"name":"type","selector":null,"read":{"attr":"type"}},{"name":"usable","selector":null,"read":"usable"},{"name":"dialog","selector":null,"read":{"within":"connection_dialog"}}]},{"id":"dialog_buttons","selectors":["[role=\"dialog\"] button"],"labels":[],"fields":[{"name":"text","selector":null,"read":"text"},{"name":"usable","selector":null,"read":"usable"},{"name":"dialog","selector":null,"read":{"within":"connection_dialog"}}]}],"scan":{"names":["openid","profile","email","phone","address","groups","offline_access","okta.devices.manage","okta.devices.read","okta.users.read","okta.users.manage","okta.groups.read","okta.groups.manage","okta.apps.read","okta.apps.manage","okta.logs.read","okta.eventhooks.manage","okta.realms.read","okta.realms.manage","okta.schemas.read"],"rows":["[data-se=\"scope-row\"]","tr","[role=\"row\"]","li","[role=\"listitem\"]"],"controls":"button, [role=\"button\"], [role=\"switch\"], [role=\"checkbox\"], input[type=\"checkbox\"], input[type=\"button\"], input[type=\"submit\"], a[href], [role=\"link\"]","max_depth":6,"path_prefix":"/admin/app/","hash":"#tab-okta-api-scopes","tab_fragments":["#tab-general","#tab-signon","#tab-okta-api-scopes","#tab-assignments"],"tab_selector":"[data-se=\"app-tabs\"] [role=\"tab\"]","tab_label":"Okta API Scopes"}}};
const READ_AHEAD_TEXT = JSON.stringify(READ_AHEAD);

let port = null;
let probes = []; // from the overlay's last "watch"
let scanSpec = null; // from the overlay's last "watch": what to look for by meaning, if anything
let scanned = []; // the rows the last scan found: {row, controls}
let clicks = 0; // clicks on the page: a change the rows may not show
let snapshot = new Map(); // probe id -> elements matched by the last read
let lastKey = "";
let awaitingWatch = true; // until the overlay's first "watch", facts are read ahead and held
let heldFacts = null; // the facts read ahead
let seq = 0;
let plan = null; // the last "apply" that matched its facts
let marked = new Map(); // element -> the MARK value it carries
let reservedMargin = null; // the page's own inline margin-right, while the panel reserves space
let laidOut = ""; // the last layout applied, so unchanged layouts cost the page nothing

// Connects to the overlay in `frame`, once it has loaded.
export async function start(mounted) {
  if (port) return;
  ({ host, frame, token, frameGap } = mounted);
  const name = `okta-helper-agent:${token}`;
  if (chrome.runtime.getURL("").startsWith("moz-extension:")) {
    // Firefox: the port is a MessageChannel handed to the frame (see channel_port.js). The frame
    // takes it only once the service worker confirms that this tab's own agent registered the
    // frame's token, so the token is registered first.
    const { CHANNEL_KEY, portOverChannel } = await import(chrome.runtime.getURL("channel_port.js"));
    const registered = await chrome.runtime.sendMessage({ channel_register: { token } }).then(
      (reply) => reply !== null && typeof reply === "object" && "done" in reply,
      () => false,
    );
    if (!registered) {
      console.error("[Okta Devices helper] the service worker did not register the panel's channel");
      return;
    }
    const channel = new MessageChannel();
    port = portOverChannel(channel.port1, name);
    frame.contentWindow.postMessage({ [CHANNEL_KEY]: token }, new URL(frame.src).origin, [channel.port2]);
  } else {
    port = chrome.runtime.connect({ name });
  }
  port.onMessage.addListener(onOverlayMessage);
  port.onDisconnect.addListener(unmount);
  // The page is read now, while the connection reaches the overlay and the overlay starts, with
  // the generated copy of what its first "watch" asks for; the facts are held until it asks.
  probes = READ_AHEAD.watch.probes;
  scanSpec = READ_AHEAD.watch.scan;
  startObserving();
  read();
}

// Messages are `{kind: body}` objects; see src/message.rs.
function onOverlayMessage(envelope) {
  const [kind] = envelope && typeof envelope === "object" ? Object.keys(envelope) : [];
  const message = kind === undefined ? null : envelope[kind];
  if (!message || typeof message !== "object") {
    console.warn("[Okta Devices helper] the page agent ignored a malformed message");
    return;
  }
  switch (kind) {
    case "watch":
      if (Array.isArray(message.probes)) {
        const held = heldFacts;
        heldFacts = null;
        awaitingWatch = false;
        if (held && !readQueued && JSON.stringify(envelope) === READ_AHEAD_TEXT) {
          // Read ahead with exactly these probes, and nothing has changed since.
          port.postMessage(held);
        } else {
          probes = message.probes;
          scanSpec = message.scan && Array.isArray(message.scan.names) ? message.scan : null;
          lastKey = "";
          read();
        }
        startObserving();
      }
      break;
    case "apply":
      apply(message);
      break;
    case "scroll_into_view":
      resolve(message.target)?.scrollIntoView({ block: "center", behavior: "smooth" });
      break;
    case "click":
      resolve(message.target)?.click();
      break;
    case "read_once":
      if (Array.isArray(message.probes)) {
        const matches = new Map();
        port.postMessage({
          read_result: {
            request: message.request,
            probes: message.probes.map((probe) => readProbe(probe, matches)),
          },
        });
      }
      break;
    case "fill":
      fill(message);
      break;
    case "api_fetch":
      apiFetch(message);
      break;
    case "read_report":
      if (Array.isArray(message.roots) && Array.isArray(message.names)) {
        port.postMessage({ report_text: { request: message.request, text: pageReport(message.roots, message.names) } });
      }
      break;
    default:
      console.warn("[Okta Devices helper] the page agent ignored an unknown message");
  }
}

// --- collect -----------------------------------------------------------------------------

// A field's read: "text", "value", "present", "usable", "labels", {attr: name}, or
// {within: probe id}.
function readValue(element, how, matches) {
  if (how === "text") return element.textContent;
  if (how === "value") return "value" in element ? String(element.value) : null;
  if (how === "present") return "present";
  if (how === "usable") return usability(element);
  if (how === "labels") return fieldLabels(element).join("\n");
  if (how && typeof how.attr === "string") return element.getAttribute(how.attr);
  if (how && typeof how.within === "string") {
    const at = (matches.get(how.within) ?? []).findIndex((outer) => outer.contains(element));
    return at >= 0 ? String(at) : null;
  }
  return null;
}

// --- what a person can see ---------------------------------------------------------------

// Smaller than this, in either direction, an element cannot be seen: the 1px "visually hidden"
// pattern, a box shrunk or clipped to nothing.
const MIN_VISIBLE_PX = 8;
const HIDDEN_MARKS = "[hidden], [aria-hidden='true']";

// The element a tree hangs from: an open shadow root's host, or a same-origin frame's <iframe>;
// null at the top.
function outerOf(node) {
  const root = node.getRootNode();
  if (root.host) return root.host;
  try {
    return root.defaultView?.frameElement ?? null;
  } catch {
    return null; // a frame of another origin: nothing of it is read anyway
  }
}

// The nearest element matching `selector` among an element and its ancestors, past shadow roots
// and same-origin frames: an aria-hidden host hides its shadow tree too.
function closestAcross(element, selector) {
  for (let at = element; at; at = outerOf(at)) {
    const found = at.closest(selector);
    if (found) return found;
  }
  return null;
}

// What a clip leaves of a box, [width, height] in px: `clip: rect(…)` (which applies only to an
// absolutely positioned box) and `clip-path: inset(…)`; other shapes are taken as leaving it whole.
function clipLeaves(style, box) {
  let [width, height] = [box.width, box.height];
  const rect = /^rect\((.*)\)$/.exec(style.clip ?? "");
  if (rect && /^(absolute|fixed)$/.test(style.position)) {
    const [top, right, bottom, left] = rect[1].split(/[\s,]+/).map((v) => (v === "auto" ? null : parseFloat(v) || 0));
    width = Math.min(width, (right ?? box.width) - (left ?? 0));
    height = Math.min(height, (bottom ?? box.height) - (top ?? 0));
  }
  const inset = /^inset\(([^)]*)\)/.exec(style.clipPath ?? "");
  if (inset) {
    const [top, right = top, bottom = top, left = right] = inset[1].split(" round ")[0].trim().split(/\s+/);
    const px = (value, whole) => (value.endsWith("%") ? (parseFloat(value) / 100) * whole : parseFloat(value) || 0);
    width = Math.min(width, box.width - px(left, box.width) - px(right, box.width));
    height = Math.min(height, box.height - px(top, box.height) - px(bottom, box.height));
  }
  return [width, height];
}

// What clippedAway needs of an element's computed style, and its box once needed. One read of the
// page asks this of the same ancestors (the table, its section, the body) for every control and
// text it judges, so within a read each element's facts are taken once (see duringRead); between
// reads the page may have changed, so nothing is kept.
let readMemo = null;
function clipFacts(element) {
  let facts = readMemo?.get(element);
  if (facts) return facts;
  const style = element.ownerDocument.defaultView.getComputedStyle(element);
  const display = style.display;
  facts = {
    contents: display === "contents", // no box of its own: nothing to clip
    inline: display === "inline",
    fixed: style.position === "fixed",
    clip: (style.clip && style.clip !== "auto") || (style.clipPath ?? "").startsWith("inset(") ? style : null,
    overflowX: style.overflowX !== "visible",
    overflowY: style.overflowY !== "visible",
    box: null,
  };
  readMemo?.set(element, facts);
  return facts;
}

function boxOf(element, facts) {
  facts.box ??= element.getBoundingClientRect();
  return facts.box;
}

// Runs one read of the page with the memo above.
function duringRead(work) {
  readMemo = new Map();
  try {
    return work();
  } finally {
    readMemo = null;
  }
}

// Whether an element, or an ancestor in its own tree, is clipped to nothing: by `clip` or
// `clip-path`, or inside a box too small to see that hides its overflow. A fixed box escapes its
// ancestors' overflow; the page's own scrolling boxes (html, body) are the viewport's.
function clippedAway(element) {
  const page = [element.ownerDocument.documentElement, element.ownerDocument.body];
  let escaped = false;
  for (let at = element; at; at = at.parentElement) {
    const facts = clipFacts(at);
    if (facts.contents) continue;
    const hidesOverflow = at !== element && !escaped && !page.includes(at) && !facts.inline &&
      (facts.overflowX || facts.overflowY);
    if (facts.clip || hidesOverflow) {
      const box = boxOf(at, facts);
      if (facts.clip) {
        const [width, height] = clipLeaves(facts.clip, box);
        if (width < MIN_VISIBLE_PX || height < MIN_VISIBLE_PX) return true;
      }
      if (hidesOverflow && ((facts.overflowX && box.width < MIN_VISIBLE_PX) ||
        (facts.overflowY && box.height < MIN_VISIBLE_PX))) return true;
    }
    if (facts.fixed) escaped = true;
  }
  return false;
}

// Whether a rendered element is drawn where nobody sees it: too small to see, placed beyond the
// page's top or left edge where no scrolling reaches, or clipped away (see clippedAway).
function visuallyHidden(element) {
  const box = boxOf(element, clipFacts(element));
  if (box.width < MIN_VISIBLE_PX || box.height < MIN_VISIBLE_PX) return true;
  const view = element.ownerDocument.defaultView;
  if (box.right + view.scrollX <= 0 || box.bottom + view.scrollY <= 0) return true;
  return clippedAway(element);
}

// Whether a person cannot see an element: it or an ancestor (past shadow roots and frames) is
// hidden or aria-hidden, it is not rendered or invisible, or it is visually hidden (a checkbox or
// radio button is seen through a label of it that a person can see). The same
// judgement serves the scan's controls and texts, the page report, and usability() below.
function isHidden(element) {
  if (closestAcross(element, HIDDEN_MARKS)) return true;
  // A custom-drawn checkbox or switch keeps its real input transparent over the drawing (MUI,
  // Odyssey): for those, being transparent is not being hidden.
  const drawnOver = element.tagName === "INPUT" && /^(checkbox|radio)$/.test(element.type);
  // The flat tree's display, visibility and opacity, shadow hosts included.
  const rendered = typeof element.checkVisibility === "function"
    ? element.checkVisibility({ checkOpacity: !drawnOver, checkVisibilityCSS: true })
    : element.getClientRects().length > 0;
  if (!rendered || visuallyHidden(element)) {
    // Some pages hide the native checkbox or radio itself (clipped to a pixel, or not rendered)
    // and draw it inside its label, whose clicks toggle it: a person sees it, and uses it, there.
    return !(drawnOver && [...(element.labels ?? [])].some((label) => !isHidden(label)));
  }
  for (let at = outerOf(element); at; at = outerOf(at)) {
    // A frame's document knows nothing of how its <iframe> is shown: that is judged whole.
    if (at.tagName === "IFRAME" || at.tagName === "FRAME") return isHidden(at);
    // A shadow host is judged by its clips only: it may have no box of its own
    // (display: contents) or an inline one, and what else hides it was judged above.
    if (clippedAway(at)) return true;
  }
  return false;
}

// Whether a person could use an element: "hidden" when they cannot see it (isHidden) or it is
// inert; "disabled"; else "usable".
function usability(element) {
  if (closestAcross(element, "[inert]") || isHidden(element)) return "hidden";
  if (element.disabled === true || element.getAttribute("aria-disabled") === "true" || element.closest("fieldset[disabled]")) {
    return "disabled";
  }
  return "usable";
}

// The texts a form field is labelled by, as a person finds them, normalized and lower case: its
// <label>s, or the term (<dt>) or header cell (<th>) beside it, each only while a person can see
// it (a hidden <label> labels nothing anyone reads); and its aria-label and aria-labelledby,
// which are the name the page gives the field for assistive technology and are taken as such,
// seen or not (a page that would mislabel a field there could as well mislabel it visibly). Only
// the texts `accept` takes are kept, so that a search for one label checks the visibility of
// that label's elements alone.
function fieldLabels(field, accept = () => true) {
  const found = [];
  const consider = (raw, shownBy) => {
    const text = normalize(raw).toLowerCase();
    if (text && accept(text) && (shownBy === null || !isHidden(shownBy))) found.push(text);
  };
  for (const label of field.labels ?? []) consider(label.textContent, label);
  consider(field.getAttribute("aria-label"), null);
  for (const id of (field.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean)) {
    consider(field.getRootNode().getElementById?.(id)?.textContent, null);
  }
  const term = field.closest("dd")?.previousElementSibling;
  if (term?.tagName === "DT") consider(term.textContent, term);
  const cell = field.closest("td");
  if (cell?.previousElementSibling?.tagName === "TH") consider(cell.previousElementSibling.textContent, cell.previousElementSibling);
  return found;
}

function probeMatches(probe, i) {
  if (i < probe.selectors.length) {
    try {
      return [...document.querySelectorAll(probe.selectors[i])];
    } catch {
      return []; // an invalid selector matches nothing; the overlay reports what it missed
    }
  }
  const wanted = (probe.labels ?? []).map((label) => normalize(label).toLowerCase());
  if (wanted.length === 0) return [];
  const isWanted = (label) => wanted.includes(label);
  return [...document.querySelectorAll("input, textarea")].filter((field) => fieldLabels(field, isWanted).length > 0);
}

function readProbe(probe, matches) {
  for (let i = 0; i <= probe.selectors.length; i++) {
    const elements = probeMatches(probe, i);
    if (elements.length === 0) continue;
    matches.set(probe.id, elements);
    const items = elements.map((element) => {
      const item = {};
      for (const field of probe.fields) {
        const target = field.selector ? element.querySelector(field.selector) : element;
        item[field.name] = target ? readValue(target, field.read, matches) : null;
      }
      return item;
    });
    return { id: probe.id, matched: i, items };
  }
  matches.set(probe.id, []);
  return { id: probe.id, matched: null, items: [] };
}

// --- the scan: rows found by what they say, not by the console's hooks -------------------

// Text as a person reads it: without soft hyphens and zero-width characters, with whitespace
// collapsed.
const normalize = (text) => (text ?? "").replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, "").replace(/\s+/g, " ").trim();

// Every place a page can render into that this world may read: the document, open shadow
// roots, and same-origin frames, each with where it is ("document", "shadow", "frame"). The walk
// that finds them hands every text node on the way to `onText(text, root)`, so that the scan
// reads the page in one pass.
function roots(onText) {
  const found = [];
  const visit = (root, place) => {
    found.push([root, place]);
    const walker = (root.ownerDocument ?? root).createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        onText(node, root);
        continue;
      }
      if (node === host) continue;
      if (node.shadowRoot) visit(node.shadowRoot, "shadow");
      if (node.tagName === "IFRAME" || node.tagName === "FRAME") {
        let inner = null;
        try {
          inner = node.contentDocument;
        } catch {
          // another origin's frame: out of reach, and none of the helper's business
        }
        if (inner?.documentElement) visit(inner, "frame");
        watchFrame(node);
      }
    }
  };
  visit(document, "document");
  return found;
}

// The element a text node names, if any: the innermost element (within a few levels) whose whole
// text, normalized and lower case, is one of the names.
function namedBy(text, names, longest) {
  const piece = normalize(text.data).toLowerCase();
  if (!piece || !names.some((name) => name.includes(piece))) return null;
  for (let element = text.parentElement, depth = 0; element && depth < 4; element = element.parentElement, depth++) {
    const whole = normalize(element.textContent).toLowerCase();
    if (whole.length > longest) break;
    if (names.includes(whole)) return [element, whole];
  }
  return null;
}

// The row of a name: the nearest ancestor, within max_depth, that holds no other name and is
// row-like by the overlay's selectors; failing that, one of a run of like siblings (same tag and
// class), preferring one that holds a control.
function rowOf(element, others, spec) {
  let fallback = null;
  for (let row = element, depth = 0; row && depth <= spec.max_depth; row = row.parentElement, depth++) {
    if (others.some((other) => other !== element && row.contains(other))) break;
    const matched = spec.rows.findIndex((selector) => {
      try {
        return row.matches(selector);
      } catch {
        return false;
      }
    });
    if (matched >= 0) return { row, matched };
    const siblings = row.parentElement ? [...row.parentElement.children] : [];
    const alike = siblings.filter((sibling) => sibling.tagName === row.tagName && sibling.className === row.className);
    if (depth > 0 && alike.length >= 2) {
      if (controlsIn(row, spec.controls).length > 0) return { row, matched: null };
      fallback ??= { row, matched: null };
    }
  }
  return fallback;
}

// What a person can make of a control: its accessible name, and its state. The name follows
// ARIA's order, as a screen reader announces it: aria-labelledby (the texts of the elements it
// names, hidden or not), then aria-label, then its <label>s, then its own content (an input
// button's value), then its title; an empty source gives way to the next.
function accessibleName(control) {
  const root = control.getRootNode();
  const byIds = (control.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean)
    .map((id) => normalize(root.getElementById?.(id)?.textContent)).filter(Boolean).join(" ");
  const labels = control.labels ? [...control.labels].map((label) => normalize(label.textContent)).filter(Boolean).join(" ") : "";
  const own = control.tagName === "INPUT"
    ? (/^(button|submit|reset)$/.test(control.type) ? control.value : "")
    : control.textContent;
  return [byIds, control.getAttribute("aria-label"), labels, own, control.getAttribute("title")]
    .map(normalize).find(Boolean) ?? "";
}

function describeControl(control) {
  const role = control.getAttribute("role") ?? (control.tagName === "INPUT" ? control.type : control.tagName.toLowerCase());
  const checkedAttr = control.getAttribute("aria-checked");
  const checked = checkedAttr ?? (control.tagName === "INPUT" && /^(checkbox|radio)$/.test(control.type) ? String(control.checked) : null);
  return {
    name: accessibleName(control),
    role,
    hook: control.getAttribute("data-se"),
    disabled: control.disabled === true || control.getAttribute("aria-disabled") === "true" ||
      closestAcross(control, "[inert]") !== null || control.closest("fieldset[disabled]") !== null,
    hidden: isHidden(control),
    pressed: control.getAttribute("aria-pressed"),
    checked,
  };
}

// Controls in a row, open shadow roots inside it included.
function controlsIn(row, selector) {
  const found = [];
  const visit = (root) => {
    try {
      found.push(...root.querySelectorAll(selector));
    } catch {
      return;
    }
    for (const element of root.querySelectorAll("*")) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(row);
  // A control inside another (a span inside a button) is part of that one.
  return found.filter((control) => !found.some((other) => other !== control && other.contains(control)));
}

// Short visible texts of a row besides its name and its controls: status words, for the overlay.
function textsIn(row, nameElement, controls) {
  const texts = [];
  const walker = (row.ownerDocument ?? document).createTreeWalker(row, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text && texts.length < 8; text = walker.nextNode()) {
    const parent = text.parentElement;
    if (!parent || nameElement.contains(parent) || controls.some((control) => control.contains(parent))) continue;
    const value = normalize(text.data);
    if (value && value.length <= 40 && !isHidden(parent)) texts.push(value);
  }
  return texts;
}

// Whether the tab the scan is for is open, told as the overlay tells it (src/page.rs, open_tab):
// a fragment in the address that names a tab decides; else the tab strip's selected tab, by the
// fragment of its link, else by its label. A console may switch tabs without touching the address.
function onScannedTab(spec) {
  const hash = window.location.hash;
  if (spec.tab_fragments.includes(hash)) return hash === spec.hash;
  let tabs = [];
  try {
    tabs = [...document.querySelectorAll(spec.tab_selector)];
  } catch {
    return false;
  }
  const selected = tabs.find((tab) => tab.getAttribute("aria-selected") === "true");
  if (!selected) return false;
  const href = selected.getAttribute("href") ?? "";
  const fragment = href.includes("#") ? href.slice(href.indexOf("#")) : "";
  if (spec.tab_fragments.includes(fragment)) return fragment === spec.hash;
  const squash = (text) => (text ?? "").replace(/\s+/g, "").toLowerCase();
  return squash(selected.textContent) === squash(spec.tab_label);
}

function scan() {
  scanned = [];
  const here = scanSpec && window.location.pathname.startsWith(scanSpec.path_prefix) && onScannedTab(scanSpec);
  if (!here) return null;
  const names = scanSpec.names.map((name) => String(name).toLowerCase());
  const longest = Math.max(...names.map((name) => name.length));
  const named = new Map(); // root -> Map(element -> name), in the page's order
  const places = roots((text, root) => {
    const found = namedBy(text, names, longest);
    if (!found) return;
    if (!named.has(root)) named.set(root, new Map());
    named.get(root).set(...found);
  });
  const rows = [];
  for (const [root, place] of places) {
    watchRoot(root);
    const inRoot = named.get(root);
    if (!inRoot) continue;
    const elements = [...inRoot.keys()];
    for (const [element, name] of inRoot) {
      const found = rowOf(element, elements, scanSpec);
      if (!found) continue;
      const controls = controlsIn(found.row, scanSpec.controls);
      scanned.push({ row: found.row, controls });
      rows.push({
        name,
        hook: found.row.getAttribute("data-se"),
        matched: found.matched,
        place,
        controls: controls.map(describeControl),
        texts: textsIn(found.row, element, controls),
      });
    }
  }
  return rows;
}

function read() {
  if (!port) return;
  const matches = new Map();
  const [results, rows] = duringRead(() => [probes.map((probe) => readProbe(probe, matches)), scan()]);
  const location = { host: window.location.hostname, path: window.location.pathname, hash: window.location.hash };
  snapshot = matches;
  const key = JSON.stringify([location, results, rows, clicks]);
  if (key === lastKey) {
    // Same facts, but the console may have re-rendered the same rows: keep the marks on them.
    if (plan) mark(plan.highlights);
    return;
  }
  lastKey = key;
  seq += 1;
  plan = null;
  const facts = { facts: { seq, location, probes: results, scan: rows, clicks } };
  if (awaitingWatch) heldFacts = facts; // read ahead: the overlay's first "watch" takes them
  else port.postMessage(facts);
}

let observer = null;
let readQueued = false;
const queueRead = () => {
  if (readQueued) return;
  readQueued = true;
  queueMicrotask(() => {
    readQueued = false;
    read();
  });
};

const OBSERVED = { subtree: true, childList: true, characterData: true, attributes: true };

// A part of the page that fades, slides or clips into view changes no node when it gets there,
// so the end of such a transition or animation is news (a dialog read at the start of its
// fade-in was still transparent). Colour and shadow transitions, as on hover, are not.
const SHOWING_PROPERTIES = new Set(["opacity", "visibility", "display", "transform", "translate",
  "scale", "clip-path", "filter", "height", "width", "max-height", "top", "left", "right", "bottom"]);
const onSettled = (event) => {
  if (event.target === host) return;
  if (event.type === "transitionend" && !SHOWING_PROPERTIES.has(event.propertyName)) return;
  queueRead();
};
const SETTLE_EVENTS = ["transitionend", "transitioncancel", "animationend"];
const watchedRoots = new WeakSet();
const watchedFrames = new WeakSet();

function startObserving() {
  if (observer) return;
  observer = new MutationObserver((records) => {
    // The agent's own marks and the frame's host are not news.
    if (records.every((r) => r.attributeName === MARK || r.target === host || r.target === document.documentElement)) return;
    queueRead();
  });
  observer.observe(document.documentElement, OBSERVED);
  window.addEventListener("hashchange", queueRead);
  window.addEventListener("popstate", queueRead);
  for (const type of SETTLE_EVENTS) document.addEventListener(type, onSettled, { capture: true, passive: true });
  document.addEventListener("click", (event) => {
    if (event.target === host) return; // the helper's own panel is not the page
    clicks += 1;
    queueRead();
  }, { capture: true, passive: true });
}

// Shadow roots and frames the scan read from are watched too: a change inside them does not
// reach the document's observer.
function watchRoot(root) {
  if (!observer || root === document || watchedRoots.has(root)) return;
  watchedRoots.add(root);
  observer.observe(root, OBSERVED);
}

function watchFrame(frame) {
  if (watchedFrames.has(frame)) return;
  watchedFrames.add(frame);
  frame.addEventListener("load", queueRead);
}

// --- the page report ----------------------------------------------------------------------

// A skeleton of the page's scope area for the admin to paste into an issue when the helper
// cannot read it: tags, roles, aria-* states, data-se hooks and classes; control labels; every
// other text, title and aria-* value only as its length, with the scope ids found in it; and no
// input value at all. Anything kept that looks like an email address, a client id or a token is
// replaced by its length, and so is any dotted word that is not a scope id (a host name).
const SENSITIVE = /[^\s@"]+@[^\s@"]+|0oa[A-Za-z0-9]{17}|(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}/g;
const REPORT_LINES = 1500;
// Words as the report cuts them: an email address or a host name stays one word.
const REPORT_WORD = /[A-Za-z0-9_.@-]+/g;

// The one place that says what a scope id is, for the report: one of the ids the overlay looks
// for (`names`, from the page rules), or a word of Okta's API scope shape, okta.<resource>.<action>
// (or okta.<resource>.<part>.<action>), whose action is one the known ids end in (read, manage).
// A host name (acme.okta.com, okta.acme.com) or an email address never has that shape. Inside a
// longer text only dotted ids are picked out: the OpenID Connect ids (email, groups, profile) are
// everyday words there.
function scopeIds(names) {
  const known = new Set(names.map((name) => name.toLowerCase()));
  const actions = new Set([...known].filter((name) => name.startsWith("okta.")).map((name) => name.split(".").pop()));
  const shaped = (word) => {
    const parts = word.toLowerCase().split(".");
    return parts.length >= 3 && parts.length <= 4 && parts[0] === "okta" && actions.has(parts.at(-1)) &&
      parts.slice(1).every((part) => /^[a-z][a-z0-9]*$/.test(part));
  };
  const isId = (text) => known.has(text.toLowerCase()) || shaped(text);
  // The dotted scope ids in a text, each once, as written (a sentence's final dot is not theirs).
  const within = (text) => [...new Set((text.match(REPORT_WORD) ?? [])
    .map((word) => word.replace(/^\.+|\.+$/g, ""))
    .filter((word) => word.includes(".") && isId(word)))];
  // Text kept as it is, less what may be personal or secret, and less any dotted word that is
  // not a scope id.
  const scrub = (text) => text.replace(SENSITIVE, (found) => `(${found.length} chars)`)
    .replace(REPORT_WORD, (word) => {
      const bare = word.replace(/^\.+|\.+$/g, "");
      return bare.includes(".") && !isId(bare) ? word.replace(bare, `(${bare.length} chars)`) : word;
    });
  // A text, title or aria-* value: as it is if it is a scope id, else its length and the ids in it.
  const told = (text) => {
    if (isId(text)) return scrub(text);
    const ids = within(text);
    return `${text.length} chars${ids.length > 0 ? `; ${ids.join(", ")}` : ""}`;
  };
  return { isId, scrub, told };
}

function pageReport(rootSelectors, names) {
  const { isId, scrub, told } = scopeIds(names);
  let area = null;
  for (const selector of rootSelectors) {
    try {
      area = document.querySelector(selector);
    } catch {
      area = null;
    }
    if (area) break;
  }
  if (!area) return "(no scope area found)";
  const lines = [];
  const controlSelector = scanSpec?.controls ?? "button, [role='button']";
  const say = (depth, text) => {
    if (lines.length < REPORT_LINES) lines.push(`${"  ".repeat(depth)}${text}`);
  };
  const describe = (element) => {
    let text = element.tagName.toLowerCase();
    for (const name of element.classList) text += `.${scrub(name)}`;
    for (const attribute of element.attributes) {
      const name = attribute.name;
      if (name === "role" || name === "data-se" || name === "type" || name === "hidden" || name === "disabled" || name === "inert") {
        text += `[${name}${attribute.value ? `=${scrub(attribute.value)}` : ""}]`;
      } else if (name.startsWith("aria-") || name === "title") {
        const value = normalize(attribute.value);
        const kept = /^(true|false|mixed|\d+)$/.test(value) || isId(value) ? scrub(value) : `(${told(value)})`;
        text += `[${name}=${kept}]`;
      }
    }
    if (element.tagName === "INPUT" || element.tagName === "TEXTAREA" || element.tagName === "SELECT") {
      text += " (value withheld)";
    } else if (element.matches(controlSelector)) {
      text += ` "${scrub(accessibleName(element).slice(0, 60))}"`;
    }
    if (isHidden(element)) text += " (not shown)";
    return text;
  };
  const visit = (node, depth) => {
    if (lines.length >= REPORT_LINES || depth > 40) return;
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = normalize(child.data);
        if (!text) continue;
        const control = child.parentElement?.closest(controlSelector);
        if (control && area.contains(control)) continue; // said with the control
        say(depth, isId(text) ? `"${scrub(text)}"` : `(text, ${told(text)})`);
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE || child === host) continue;
      if (/^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT)$/.test(child.tagName)) continue;
      say(depth, describe(child));
      if (child.tagName === "SVG" || child.tagName === "svg") continue;
      if (child.shadowRoot) {
        say(depth + 1, "#shadow-root (open)");
        visit(child.shadowRoot, depth + 2);
      }
      if (child.tagName === "IFRAME") {
        let inner = null;
        try {
          inner = child.contentDocument;
        } catch {
          inner = null;
        }
        say(depth + 1, inner?.body ? "#document (same-origin frame)" : "#document (another origin: not read)");
        if (inner?.body) visit(inner.body, depth + 2);
      }
      if (child.matches(controlSelector) || /^(INPUT|TEXTAREA|SELECT)$/.test(child.tagName)) continue;
      visit(child, depth + 1);
    }
  };
  say(0, describe(area));
  visit(area, 1);
  if (lines.length >= REPORT_LINES) lines.push(`(cut at ${REPORT_LINES} lines)`);
  return lines.join("\n");
}

// --- the API transport -------------------------------------------------------------------

// Okta accepts calls that use the admin's console session only from the console's own origin
// (it answers E0000212 otherwise, and an extension's origin can never be a trusted one), so
// the overlay's API requests leave from here, as a same-origin fetch. The overlay decides every
// request and reads every answer; this is a narrow, checked carrier: GET and POST only, paths
// under /api/v1/ on location.origin only, the console's XSRF token read from the page at the
// moment of sending (it never crosses a message), and only a few answer headers handed back.
const API_PREFIX = "/api/v1/";
const API_METHODS = new Set(["GET", "POST"]);
const API_REQUEST_BODY_LIMIT = 64 * 1024; // characters
const API_ANSWER_LIMIT = 4 * 1024 * 1024; // bytes
const API_TIMEOUT_MS = 15000;
const XSRF_HEADER = "X-Okta-XsrfToken";
const ANSWER_HEADERS = {
  link: "Link",
  rate_limit_limit: "X-Rate-Limit-Limit",
  rate_limit_remaining: "X-Rate-Limit-Remaining",
  rate_limit_reset: "X-Rate-Limit-Reset",
  content_type: "Content-Type",
};

// The URL for a path, or null: a path under /api/v1/ that the browser's URL parser resolves to
// this very origin and leaves exactly as it is (no dot segments, no host of its own).
function apiUrl(path) {
  if (typeof path !== "string" || path.length > 2048 || !path.startsWith(API_PREFIX)) return null;
  if (/[^\x21-\x7e]|[\\#]/.test(path)) return null; // whitespace, controls, non-ASCII, \, #
  let url;
  try {
    url = new URL(path, location.origin);
  } catch {
    return null;
  }
  const unchanged = url.origin === location.origin && url.pathname + url.search === path;
  return unchanged && url.pathname.startsWith(API_PREFIX) ? url : null;
}

// The console's XSRF token: exactly one element may hold it, and it must have a token's shape.
// A page that plants a second one, or a malformed one, gets no request sent with either.
function xsrfToken(selectors, shape) {
  const found = new Set();
  for (const selector of Array.isArray(selectors) ? selectors : []) {
    try {
      for (const element of document.querySelectorAll(selector)) found.add(element);
    } catch {
      // an invalid selector finds nothing
    }
  }
  if (found.size === 0) return { problem: "no_token" };
  if (found.size > 1) return { problem: "token_ambiguous" };
  const token = [...found][0].textContent.trim();
  let pattern;
  try {
    pattern = new RegExp(shape);
  } catch {
    return { problem: "token_malformed" };
  }
  return pattern.test(token) ? { token } : { problem: "token_malformed" };
}


// The body as text, or null when it is over the limit (then it is not read any further).
async function readLimited(response) {
  if (Number(response.headers.get("Content-Length")) > API_ANSWER_LIMIT) {
    response.body?.cancel();
    return null;
  }
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > API_ANSWER_LIMIT) {
      reader.cancel();
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}

async function apiFetch(message) {
  const answer = (fields) => {
    try {
      port?.postMessage({ api_answer: { request: message.request, status: null, headers: {}, problem: null, body: null, ...fields } });
    } catch {
      // the overlay is gone; nobody waits for this answer
    }
  };
  const url = apiUrl(message.path);
  const body = message.body ?? null;
  const bodyAllowed = body === null || (message.method === "POST" && typeof body === "string" && body.length <= API_REQUEST_BODY_LIMIT);
  if (!Number.isInteger(message.request) || !API_METHODS.has(message.method) || !url || !bodyAllowed) {
    return answer({ problem: "refused" });
  }
  const { token, problem } = xsrfToken(message.xsrf_token_at, message.xsrf_token_shape);
  if (problem) return answer({ problem });
  const headers = { Accept: "application/json", [XSRF_HEADER]: token };
  if (body !== null) headers["Content-Type"] = "application/json";
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), API_TIMEOUT_MS);
  try {
    // A redirect is refused rather than followed: it would carry the token to wherever it led.
    const response = await fetch(url, {
      method: message.method, headers, body, credentials: "same-origin", redirect: "error",
      cache: "no-store", signal: abort.signal,
    });
    const picked = {};
    for (const [key, name] of Object.entries(ANSWER_HEADERS)) picked[key] = response.headers.get(name);
    const text = await readLimited(response);
    const status = response.status;
    if (text === null) return answer({ status, headers: picked, problem: "too_large" });
    if (text === "" && status === 204) return answer({ status, headers: picked });
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      return answer({ status, headers: picked, problem: "not_json" });
    }
    answer({ status, headers: picked, body: parsed });
  } catch {
    answer({ problem: abort.signal.aborted ? "timeout" : "network" });
  } finally {
    clearTimeout(timer);
  }
}

// --- apply -------------------------------------------------------------------------------

// Types a value as the admin would: focus, set, input and change events, blur. From this
// isolated world, `value =` is the browser's own setter, not the page's, so frameworks that
// track values (React, Angular) see a real change and update their state.
function type(element, value) {
  element.focus();
  element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true }));
  element.dispatchEvent(new Event("change", { bubbles: true }));
  element.blur();
}

// Fills every field or none, then checks that each kept its value once the app re-rendered.
function fill(message) {
  const answer = (result) =>
    port?.postMessage({ fill_result: { request: message.request, current: true, missing: [], unconfirmed: [], refused: null, ...result } });
  if (message.seq !== seq || !Array.isArray(message.fields)) return answer({ current: false });
  const inputs = message.fields.map((field) => resolve(field.target));
  const missing = inputs.flatMap((input, i) => (input instanceof HTMLInputElement ? [] : [i]));
  if (missing.length > 0) return answer({ missing });
  const refused = checkBeforeTyping(resolve(message.dialog), inputs, message.fields);
  if (refused) return answer({ refused });
  inputs.forEach((input, i) => type(input, String(message.fields[i].value)));
  setTimeout(() => {
    const unconfirmed = inputs.flatMap((input, i) =>
      input.isConnected && input.value === String(message.fields[i].value) ? [] : [i]);
    answer({ unconfirmed });
  }, 0);
}

// What the overlay decided is checked again at the moment of typing, as the page is now: the
// dialog is still there and usable, and every field is in it, usable, and for the secret, a
// password field. The first check that fails is named, and nothing is typed.
function checkBeforeTyping(dialog, inputs, fields) {
  if (!dialog) return { field: null, check: "gone" };
  const dialogState = usability(dialog);
  if (dialogState !== "usable") return { field: null, check: dialogState };
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    if (!input.isConnected) return { field: i, check: "gone" };
    if (!dialog.contains(input)) return { field: i, check: "outside" };
    const state = usability(input);
    if (state !== "usable") return { field: i, check: state };
    if (fields[i].password === true && input.type !== "password") return { field: i, check: "not_password" };
    if (!/^(text|password|email|url|search)$/.test(input.type)) return { field: i, check: "not_input" };
  }
  return null;
}

function resolve(ref) {
  if (!ref || typeof ref.probe !== "string" || !Number.isInteger(ref.index)) return null;
  if (ref.probe === "scope_scan") {
    // A scanned row, or one of its controls ("c3" is its fourth).
    const found = scanned[ref.index];
    const element = ref.part == null ? found?.row : found?.controls[Number(String(ref.part).slice(1))];
    return element?.isConnected ? element : null;
  }
  const element = snapshot.get(ref.probe)?.[ref.index];
  if (!element || !element.isConnected) return null;
  if (ref.part == null) return element;
  const probe = probes.find((p) => p.id === ref.probe);
  const field = probe?.fields.find((f) => f.name === ref.part);
  return field?.selector ? element.querySelector(field.selector) : null;
}

// Marks each highlighted element with its mark ("missing", "next") and unmarks the rest.
function mark(highlights) {
  const wanted = new Map();
  for (const highlight of highlights) {
    const element = resolve(highlight?.target);
    if (element && typeof highlight.mark === "string") wanted.set(element, highlight.mark);
  }
  for (const element of marked.keys()) {
    if (!wanted.has(element)) element.removeAttribute(MARK);
  }
  for (const [element, value] of wanted) {
    if (element.getAttribute(MARK) !== value) element.setAttribute(MARK, value);
  }
  marked = wanted;
}

function apply(message) {
  layout(message.layout);
  if (message.seq !== seq || !Array.isArray(message.highlights)) return; // newer facts are on the way
  plan = message;
  mark(message.highlights);
}

// A layout: "hidden", or {launcher: {width, height}} or {panel: {width, height}}.
function layout(layoutSpec) {
  const mode = typeof layoutSpec === "string" ? layoutSpec : Object.keys(layoutSpec ?? {})[0];
  const spec = typeof layoutSpec === "object" && layoutSpec ? layoutSpec[mode] : null;
  if (mode === "hidden") {
    const open = port;
    unmount();
    open?.disconnect();
    return;
  }
  if ((mode !== "launcher" && mode !== "panel") || !spec) return;
  const key = `${mode}:${spec.width}:${spec.height}`;
  if (key === laidOut) return;
  laidOut = key;
  const width = Math.max(0, Math.min(Number(spec.width) || 0, 480));
  const height = Math.max(0, Math.min(Number(spec.height) || 0, 800));
  Object.assign(frame.style, { width: `${width}px`, height: `${height}px`, visibility: "visible" });
  reserve(mode === "panel" ? width + 2 * frameGap : 0);
  // A new size moves the panel's top edge, and its buttons with it.
  frameMoved();
}

// --- where the frame is --------------------------------------------------------------------

// A page could slide the panel under the admin's cursor just before a click. The overlay lets
// a sensitive button act only once it has stayed put for a moment, and learns here when the
// frame moved: an IntersectionObserver whose root is the viewport shrunk to the frame's own box
// (and a pixel) reports as soon as the frame leaves that box, however it was moved. It costs
// the page nothing while the frame stays put, and is re-armed after each move.
let moveWatch = null;

function frameMoved() {
  port?.postMessage({ frame_moved: {} });
  moveWatch?.disconnect();
  moveWatch = null;
  // Re-armed once the page has drawn the move: its layout is then clean, and reading the frame's
  // box costs nothing, where reading it now would force the page to lay out at once.
  requestAnimationFrame(() => setTimeout(watchForMoves));
}

function watchForMoves() {
  moveWatch?.disconnect();
  moveWatch = null;
  if (!port) return;
  const box = frame.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return;
  // The viewport the observer's root is, without scroll bars.
  const view = document.compatMode === "CSS1Compat" ? document.documentElement : document.body;
  const inset = (gap) => `${1 - gap}px`;
  const rootMargin = [
    inset(Math.floor(box.top)),
    inset(view.clientWidth - Math.ceil(box.right)),
    inset(view.clientHeight - Math.ceil(box.bottom)),
    inset(Math.floor(box.left)),
  ].join(" ");
  let armed = false;
  moveWatch = new IntersectionObserver(() => {
    // The first report only says where the frame is now.
    if (!armed) {
      armed = true;
      return;
    }
    frameMoved();
  }, { rootMargin, threshold: [1] });
  moveWatch.observe(frame);
}

window.addEventListener("resize", () => {
  if (port) frameMoved();
}, { passive: true });

// The open panel keeps a gutter beside the page so that it never covers the console's content.
function reserve(pixels) {
  const style = document.documentElement.style;
  if (pixels > 0) {
    if (reservedMargin === null) reservedMargin = style.getPropertyValue("margin-right");
    style.setProperty("margin-right", `${pixels}px`);
  } else if (reservedMargin !== null) {
    style.setProperty("margin-right", reservedMargin);
    reservedMargin = null;
  }
}

function unmount() {
  observer?.disconnect();
  observer = null;
  moveWatch?.disconnect();
  moveWatch = null;
  window.removeEventListener("hashchange", queueRead);
  window.removeEventListener("popstate", queueRead);
  for (const type of SETTLE_EVENTS) document.removeEventListener(type, onSettled, { capture: true });
  // The click listener stays: it only counts, and nothing reads the count once unmounted.
  mark([]);
  reserve(0);
  host.remove();
  port = null;
}
