// The corpus of Okta API Scopes tab markups: the same tab as other console releases and design
// systems might draw it, so that the helper's page reading can be proved on markups it has never
// seen. `?markup=<name>` on the app page picks one (www/assets/console.js mounts it); each draws
// the same catalog (www/assets/scopes.json) with the org's real grant state, and its own controls
// really grant and revoke through the demo org's API, then draw the tab again.
//
// The registry below is the one list of names: every entry is a `variant("name", "description",
// ...)` call on a line of its own, and testbed/src/corpus.rs keeps the same names, with the same
// descriptions, in its VARIANTS (a testbed unit test checks that the two lists agree).
//
// A variant is { render(ctx) → Node } plus, where it needs them, place(ctx, container, node)
// (where the drawing goes: a shadow root, a frame), start(ctx, draw, container) (its first
// drawing: late, or replaced several times) and reveal(ctx, scopeId) (what an admin does before
// the scope's control can be clicked: turn a page, clear a filter, open a menu). While it renders,
// a variant binds each control it draws to its scope and action with ctx.bind (or ctx.listen for
// a control an admin cannot reach as drawn, such as a hidden button), and window.demoConsole uses
// those bindings.
//
// The page's CSP allows no inline style: styles are in www/assets/markups.css, and the few
// element.style writes below are CSSOM, which the CSP allows.
"use strict";

const DEMO_MARKUPS = new Map();

function variant(name, description, spec) {
  DEMO_MARKUPS.set(name, { name, description, ...spec });
}

// --- helpers ---------------------------------------------------------------------------------

const SVG_NS = "http://www.w3.org/2000/svg";

// An element: attributes (true for an empty one; false or null for none) and children (strings,
// nodes; null and false are skipped). Tags starting with "svg:" are SVG.
function el(tag, attributes = {}, ...children) {
  const element = tag.startsWith("svg:")
    ? document.createElementNS(SVG_NS, tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, "");
    else if (value !== false && value != null) element.setAttribute(name, value);
  }
  element.append(...children.flat().filter((child) => child != null && child !== false));
  return element;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// okta.devices.manage → "Manage devices": the friendly label some releases show instead of the id.
function friendlyLabel(id) {
  const [, resource = id, verb = ""] = id.split(".");
  const capitalized = verb ? verb[0].toUpperCase() + verb.slice(1) : "";
  return `${capitalized} ${resource}`.trim();
}

// A button for the row's one applicable action (Grant or Revoke), bound to it.
function actionButton(ctx, row, { grant = "Grant", revoke = "Revoke", grantAttrs = {}, revokeAttrs = {} } = {}) {
  const button = row.granted
    ? el("button", { type: "button", ...revokeAttrs }, revoke)
    : el("button", { type: "button", ...grantAttrs }, grant);
  ctx.bind(button, row.id, row.granted ? "revoke" : "grant");
  return button;
}

// Today's buttons, with their data-se hooks.
const HOOKED = {
  grantAttrs: { class: "button button-primary", "data-se": "grant-button" },
  revokeAttrs: { class: "button", "data-se": "revoke-button" },
};

// Today's table (data-se="scopes-table", "scope-row", "scope-name"), with other cells as given.
function hookedTable(ctx, rows, { name = (row) => row.id, actions = (row) => [actionButton(ctx, row, HOOKED)], headers = ["Scope", "Description", ""], lang = null, decoy = () => false } = {}) {
  return el("table", { "data-se": "scopes-table", class: "data-list-table", lang },
    el("thead", {}, el("tr", {}, headers.map((text) => el("th", {}, text)))),
    el("tbody", {}, rows.map((row) =>
      el("tr", { "data-se": "scope-row" },
        el("td", { "data-se": "scope-name", class: "scope-name" }, name(row)),
        el("td", { class: "scope-description" }, row.description),
        el("td", { class: "scope-action" }, decoy(row) ? decoyButtons(row) : actions(row))))));
}

// Both buttons in the row, the one that does not apply hidden by `hide`; only the visible one is
// the row's control for demoConsole, but both work when clicked.
function bothButtons(ctx, row, hide, { grantAttrs = {}, revokeAttrs = {} } = {}) {
  const grant = el("button", { type: "button", ...grantAttrs }, "Grant");
  const revoke = el("button", { type: "button", ...revokeAttrs }, "Revoke");
  const [shown, hidden] = row.granted ? [revoke, grant] : [grant, revoke];
  ctx.bind(shown, row.id, row.granted ? "revoke" : "grant");
  ctx.listen(hidden, row.id, row.granted ? "grant" : "revoke");
  hide(hidden);
  return [grant, revoke];
}

// A row the console draws but whose button does nothing the tests may rely on (a stale or
// look-alike row): today's button for its shown state, bound to nothing.
function decoyButtons(row) {
  return [row.granted
    ? el("button", { type: "button", ...HOOKED.revokeAttrs }, "Revoke")
    : el("button", { type: "button", ...HOOKED.grantAttrs }, "Grant")];
}

// A plain table of the given class, without data-se hooks.
function plainTable(tableClass, headers, rows, cells, attributes = {}) {
  return el("table", { class: tableClass, ...attributes },
    el("thead", {}, el("tr", {}, headers.map((text) => el("th", {}, text)))),
    el("tbody", {}, rows.map((row) => el("tr", {}, cells(row).map((cell) => el("td", {}, cell))))));
}

const nameCode = (row) => el("code", { class: "markup-scope-id" }, row.id);

function localizedTable(ctx, lang, headers, grant, revoke) {
  return plainTable(`markup-table markup-table--${lang}`, headers, ctx.rows,
    (row) => [nameCode(row), row.description, actionButton(ctx, row, { grant, revoke, grantAttrs: { class: "btn btn-primary" }, revokeAttrs: { class: "btn" } })],
    { lang });
}

function icon(path) {
  return el("svg:svg", { viewBox: "0 0 16 16", width: "16", height: "16", "aria-hidden": "true", focusable: "false" },
    el("svg:path", { d: path, fill: "currentColor" }));
}

// A card per scope: divs only, no roles, no hooks; the action is a plain link.
function cardGrid(ctx, rows) {
  return el("div", { class: "card-grid" }, rows.map((row) => {
    const action = row.granted ? "revoke" : "grant";
    const link = el("a", { href: `#${action}-${row.id}`, class: "link-action" }, row.granted ? "Revoke" : "Grant");
    ctx.bind(link, row.id, action);
    return el("div", { class: "scope-card" },
      el("div", { class: "scope-card__title" }, row.id),
      el("div", { class: "scope-card__body" }, row.description),
      el("div", { class: "scope-card__footer" }, link));
  }));
}

// Ways to draw a button where nobody sees it, though it is rendered (the "visually hidden"
// patterns); each returns what goes in the button's place.
const VISUALLY_HIDDEN = [
  (button) => (button.classList.add("sr-only"), button),
  (button) => el("span", { class: "sr-only-box" }, button),
  (button) => (button.classList.add("clipped-away"), button),
  (button) => (button.classList.add("off-screen"), button),
];

const LOOK_ALIKES = ["xokta.devices.manage", "okta.devices.manage.v2", "okta.devices.manageX"];

// --- the registry ----------------------------------------------------------------------------

// A list of native checkboxes, each inside a label with the scope's name: `attributes(row)` are
// the input's own, and `drawing`, if any, is drawn after it in the label (a switch that shows the
// state of an input the page hides, by `:checked + .drawn-switch`).
function checkboxList(ctx, attributes, drawing = () => null) {
  return el("ul", { class: "switch-list" }, ctx.rows.map((row) => {
    const input = el("input", { type: "checkbox", ...attributes(row) });
    input.checked = row.granted;
    ctx.bind(input, row.id, row.granted ? "revoke" : "grant");
    return el("li", { class: "switch-list__item" },
      el("label", { class: "switch-field" }, input, drawing(),
        el("span", { class: "switch-field__name" }, row.id)),
      el("p", { class: "switch-field__description" }, row.description));
  }));
}

// A checkbox that the page hides (`hiddenClass`) while its label draws it.
const drawnCheckboxes = (ctx, hiddenClass) =>
  checkboxList(ctx, () => ({ class: hiddenClass }), () => el("span", { class: "drawn-switch" }));

variant("default", "Today's demo table: data-se hooks, one Grant or Revoke button per row (drawn by console.js).", { builtin: true });

variant("aria-table", "Div table with ARIA roles table/rowgroup/row/columnheader/cell, Grant or Revoke buttons, no data-se.", {
  render: (ctx) => el("div", { role: "table", class: "aria-grid", "aria-label": "Okta API Scopes" },
    el("div", { role: "rowgroup" },
      el("div", { role: "row", class: "aria-grid__row aria-grid__row--head" },
        ["Scope", "Description", "Action"].map((text) => el("div", { role: "columnheader" }, text)))),
    el("div", { role: "rowgroup" }, ctx.rows.map((row) =>
      el("div", { role: "row", class: "aria-grid__row" },
        el("div", { role: "cell", class: "markup-scope-id" }, row.id),
        el("div", { role: "cell" }, row.description),
        el("div", { role: "cell" }, actionButton(ctx, row, { grantAttrs: { class: "btn btn-primary" }, revokeAttrs: { class: "btn" } })))))),
});

variant("mui-table", "MUI/Odyssey React table: MuiTable*/MuiTableCell*/MuiButton* classes, touch-ripple spans, no data-se.", {
  render: (ctx) => el("div", { class: "MuiPaper-root MuiPaper-elevation1 MuiTableContainer-root" },
    el("table", { class: "MuiTable-root", "aria-label": "Okta API Scopes" },
      el("thead", { class: "MuiTableHead-root" },
        el("tr", { class: "MuiTableRow-root MuiTableRow-head" },
          ["Scope", "Description", ""].map((text) => el("th", { class: "MuiTableCell-root MuiTableCell-head MuiTableCell-sizeMedium", scope: "col" }, text)))),
      el("tbody", { class: "MuiTableBody-root" }, ctx.rows.map((row) =>
        el("tr", { class: "MuiTableRow-root MuiTableRow-hover" },
          el("td", { class: "MuiTableCell-root MuiTableCell-body" }, el("span", { class: "MuiTypography-root MuiTypography-body1" }, row.id)),
          el("td", { class: "MuiTableCell-root MuiTableCell-body" }, el("span", { class: "MuiTypography-root MuiTypography-body2" }, row.description)),
          el("td", { class: "MuiTableCell-root MuiTableCell-body MuiTableCell-alignRight" },
            (() => {
              const button = row.granted
                ? el("button", { type: "button", tabindex: "0", class: "MuiButtonBase-root MuiButton-root MuiButton-outlined MuiButton-outlinedSecondary MuiButton-sizeSmall" }, "Revoke", el("span", { class: "MuiTouchRipple-root" }))
                : el("button", { type: "button", tabindex: "0", class: "MuiButtonBase-root MuiButton-root MuiButton-contained MuiButton-containedPrimary MuiButton-sizeSmall" }, "Grant", el("span", { class: "MuiTouchRipple-root" }));
              ctx.bind(button, row.id, row.granted ? "revoke" : "grant");
              return button;
            })())))))),
});

variant("courage-list", "Courage-style list with other hooks: data-se=api-scope-item/api-scope-name, buttons data-se=scope-grant/scope-revoke.", {
  render: (ctx) => el("div", { class: "o-form-fieldset-container" },
    el("ul", { class: "api-scope-list", "data-se": "api-scope-list" }, ctx.rows.map((row) =>
      el("li", { class: "api-scope-item", "data-se": "api-scope-item" },
        el("div", { class: "api-scope-item__text" },
          el("strong", { class: "api-scope-item__name", "data-se": "api-scope-name" }, row.id),
          el("span", { class: "api-scope-item__description" }, row.description)),
        actionButton(ctx, row, {
          grantAttrs: { class: "button button-primary", "data-se": "scope-grant" },
          revokeAttrs: { class: "button", "data-se": "scope-revoke" },
        }))))),
});

variant("status-badge", "A Status column with \"Granted\" / \"Not granted\" badges, and one Grant or Revoke button per row.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Status", "Description", "Actions"], ctx.rows, (row) => [
    nameCode(row),
    el("span", { class: `status-badge ${row.granted ? "status-badge--on" : "status-badge--off"}` }, row.granted ? "Granted" : "Not granted"),
    row.description,
    actionButton(ctx, row, { grantAttrs: { class: "btn btn-primary" }, revokeAttrs: { class: "btn" } }),
  ]),
});

variant("switch-aria", "A switch per row: button role=switch aria-checked=true|false, labelled by the scope's name, no text.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Description", "Granted"], ctx.rows, (row) => {
    const nameId = `switch-name-${row.id.replace(/\W/g, "-")}`;
    const toggle = el("button", { type: "button", role: "switch", "aria-checked": String(row.granted), "aria-labelledby": nameId, class: "switch" },
      el("span", { class: "switch__thumb" }));
    ctx.bind(toggle, row.id, row.granted ? "revoke" : "grant");
    return [el("code", { class: "markup-scope-id", id: nameId }, row.id), row.description, toggle];
  }),
});

variant("switch-checkbox", "A list of <input type=checkbox role=switch> (checked attribute and property) inside labels with the scope's name.", {
  render: (ctx) => checkboxList(ctx, (row) => ({ role: "switch", class: "switch-input", checked: row.granted })),
});

variant("checkbox-clipped", "A list of checkboxes hidden the visually-hidden way (1px, clip: rect(0 0 0 0)), each inside a label that draws the switch beside the scope's name.", {
  render: (ctx) => drawnCheckboxes(ctx, "sr-only"),
});

variant("checkbox-display-none", "A list of checkboxes that are not rendered at all (display: none), each inside a label that draws the switch beside the scope's name: a CSS-only toggle.", {
  render: (ctx) => drawnCheckboxes(ctx, "unrendered"),
});

variant("mui-switch", "MUI Switch per row: input.MuiSwitch-input checked as a property only (no attribute), Mui-checked on its base.", {
  render: (ctx) => el("table", { class: "MuiTable-root" },
    el("tbody", { class: "MuiTableBody-root" }, ctx.rows.map((row) => {
      const input = el("input", { type: "checkbox", class: "MuiSwitch-input PrivateSwitchBase-input", "aria-label": row.id });
      input.checked = row.granted; // as React sets it: the property, not the attribute
      ctx.bind(input, row.id, row.granted ? "revoke" : "grant");
      return el("tr", { class: "MuiTableRow-root" },
        el("td", { class: "MuiTableCell-root MuiTableCell-body" }, el("span", { class: "MuiTypography-root MuiTypography-body1" }, row.id)),
        el("td", { class: "MuiTableCell-root MuiTableCell-body" }, row.description),
        el("td", { class: "MuiTableCell-root MuiTableCell-body" },
          el("span", { class: "MuiSwitch-root MuiSwitch-sizeMedium" },
            el("span", { class: `MuiButtonBase-root MuiSwitch-switchBase MuiSwitch-colorPrimary${row.granted ? " Mui-checked" : ""}` },
              input, el("span", { class: "MuiSwitch-thumb" })),
            el("span", { class: "MuiSwitch-track" }))));
    }))),
});

variant("aria-pressed", "Toggle buttons that always read \"Granted\", with aria-pressed=true on granted rows and false on the others.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Description", ""], ctx.rows, (row) => {
    const toggle = el("button", { type: "button", class: "toggle-button", "aria-pressed": String(row.granted) }, "Granted");
    ctx.bind(toggle, row.id, row.granted ? "revoke" : "grant");
    return [nameCode(row), row.description, toggle];
  }),
});

variant("disabled-granted", "Today's hooks, but granted rows show a disabled button reading \"Granted\" (still data-se=grant-button) and an unhooked Revoke link.", {
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    actions: (row) => {
      if (row.granted) {
        const revoke = el("a", { href: "#", class: "link-action markup-revoke-link" }, "Revoke");
        ctx.bind(revoke, row.id, "revoke");
        return [el("button", { type: "button", class: "button", "data-se": "grant-button", disabled: true }, "Granted"), revoke];
      }
      const button = el("button", { type: "button", ...HOOKED.grantAttrs }, "Grant");
      ctx.bind(button, row.id, "grant");
      return [button];
    },
  }),
});

variant("hidden-attribute", "Today's hooks with both buttons in every row; the one that does not apply has the hidden attribute.", {
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    actions: (row) => bothButtons(ctx, row, (button) => (button.hidden = true), HOOKED),
  }),
});

variant("hidden-display-none", "Both buttons in every row, no hooks; the one that does not apply is display:none through element.style.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Description", ""], ctx.rows, (row) => [
    nameCode(row), row.description,
    el("span", { class: "markup-actions" }, bothButtons(ctx, row, (button) => (button.style.display = "none"), { grantAttrs: { class: "btn btn-primary" }, revokeAttrs: { class: "btn" } })),
  ]),
});

variant("hidden-aria", "Both buttons in every row, no hooks; the one that does not apply is aria-hidden=true, tabindex=-1 and transparent.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Description", ""], ctx.rows, (row) => [
    nameCode(row), row.description,
    el("span", { class: "markup-actions" }, bothButtons(ctx, row, (button) => {
      button.setAttribute("aria-hidden", "true");
      button.setAttribute("tabindex", "-1");
      button.classList.add("is-transparent");
    }, { grantAttrs: { class: "btn btn-primary" }, revokeAttrs: { class: "btn" } })),
  ]),
});

variant("hidden-visibility", "Today's hooks with both buttons in every row; the one that does not apply has a class that makes it visibility:hidden.", {
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    actions: (row) => bothButtons(ctx, row, (button) => button.classList.add("u-invisible"), HOOKED),
  }),
});

variant("both-visible", "Today's hooks with both Grant and Revoke visible and enabled in every row, whatever the state: the page cannot tell.", {
  ambiguous: true,
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    actions: (row) => {
      const grant = el("button", { type: "button", ...HOOKED.grantAttrs }, "Grant");
      const revoke = el("button", { type: "button", ...HOOKED.revokeAttrs }, "Revoke");
      ctx.bind(grant, row.id, "grant");
      ctx.bind(revoke, row.id, "revoke");
      return [grant, " ", revoke];
    },
  }),
});

variant("shadow-root", "Today's table and hooks inside the open shadow root of an <o-api-scopes> element.", {
  render: (ctx) => hookedTable(ctx, ctx.rows),
  place(ctx, container, node) {
    if (!ctx.state.shadow) {
      const host = el("o-api-scopes");
      ctx.state.shadow = host.attachShadow({ mode: "open" });
      ctx.state.shadow.append(
        el("link", { rel: "stylesheet", href: "/assets/console.css" }),
        el("link", { rel: "stylesheet", href: "/assets/markups.css" }),
        el("div", { class: "shadow-content" }));
      container.replaceChildren(host);
    }
    ctx.state.shadow.querySelector(".shadow-content").replaceChildren(node);
  },
});

variant("iframe", "Today's table and hooks inside a same-origin iframe (/assets/scopes-frame.html, served with the same CSP).", {
  render: (ctx) => hookedTable(ctx, ctx.rows),
  async place(ctx, container, node) {
    if (!ctx.state.frame) {
      const frame = el("iframe", { src: "/assets/scopes-frame.html", title: "Okta API Scopes", class: "scopes-frame" });
      const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
      container.replaceChildren(frame);
      await loaded;
      ctx.state.frame = frame;
    }
    const body = ctx.state.frame.contentDocument.body;
    body.replaceChildren(node);
    ctx.state.frame.style.height = `${body.scrollHeight + 16}px`;
  },
});

variant("localized-fr", "French console, no hooks: \"Accorder\" / \"Révoquer\" buttons, French headers.", {
  render: (ctx) => localizedTable(ctx, "fr", ["Portée", "Description", "Action"], "Accorder", "Révoquer"),
});

variant("localized-de", "German console, no hooks: \"Gewähren\" / \"Widerrufen\" buttons, German headers.", {
  render: (ctx) => localizedTable(ctx, "de", ["Bereich", "Beschreibung", "Aktion"], "Gewähren", "Widerrufen"),
});

variant("localized-ja", "Japanese console, no hooks: \"付与\" / \"取り消し\" buttons, Japanese headers.", {
  render: (ctx) => localizedTable(ctx, "ja", ["スコープ", "説明", "操作"], "付与", "取り消し"),
});

variant("localized-hooks", "French labels (\"Accorder\" / \"Révoquer\") with today's data-se hooks.", {
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    lang: "fr",
    headers: ["Portée", "Description", ""],
    actions: (row) => [actionButton(ctx, row, { ...HOOKED, grant: "Accorder", revoke: "Révoquer" })],
  }),
});

variant("icon-buttons", "Icon-only buttons (SVG, no text) with aria-label \"Grant <scope>\" / \"Revoke <scope>\", no hooks.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Description", ""], ctx.rows, (row) => {
    const button = row.granted
      ? el("button", { type: "button", class: "icon-only", "aria-label": `Revoke ${row.id}` }, icon("M3 7h10v2H3z"))
      : el("button", { type: "button", class: "icon-only icon-only--primary", "aria-label": `Grant ${row.id}` }, icon("M7 3h2v4h4v2H9v4H7V9H3V7h4z"));
    ctx.bind(button, row.id, row.granted ? "revoke" : "grant");
    return [nameCode(row), row.description, button];
  }),
});

variant("link-buttons", "<a href=\"#\" role=\"button\"> Grant / Revoke links instead of buttons, no hooks.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Description", ""], ctx.rows, (row) => {
    const link = el("a", { href: "#", role: "button", class: "link-action" }, row.granted ? "Revoke" : "Grant");
    ctx.bind(link, row.id, row.granted ? "revoke" : "grant");
    return [nameCode(row), row.description, link];
  }),
});

variant("cards", "Repeated div card blocks without roles or hooks: title, description, a plain <a href> Grant or Revoke link.", {
  render: (ctx) => cardGrid(ctx, ctx.rows),
});

variant("paginated", "Today's hooks, sorted Z→A, 8 rows a page: okta.devices.manage is on page 2, behind a Next button.", {
  ambiguous: true,
  render(ctx) {
    const size = 8;
    const sorted = [...ctx.rows].sort((a, b) => (a.id < b.id ? 1 : -1));
    const pages = Math.ceil(sorted.length / size);
    const page = Math.min(ctx.state.page ?? 0, pages - 1);
    const shown = sorted.slice(page * size, page * size + size);
    const previous = el("button", { type: "button", class: "btn", disabled: page === 0 }, "Previous");
    const next = el("button", { type: "button", class: "btn", disabled: page >= pages - 1, "aria-label": "Next page" }, "Next");
    previous.addEventListener("click", () => { ctx.state.page = page - 1; ctx.redraw(); });
    next.addEventListener("click", () => { ctx.state.page = page + 1; ctx.redraw(); });
    ctx.state.next = next;
    ctx.state.shown = shown.map((row) => row.id);
    return el("div", {},
      hookedTable(ctx, shown),
      el("nav", { class: "pager", "aria-label": "Pagination" },
        el("span", {}, `${page * size + 1}–${page * size + shown.length} of ${sorted.length}`), previous, next));
  },
  async reveal(ctx, scopeId) {
    while (!ctx.state.shown.includes(scopeId) && !ctx.state.next.disabled) {
      ctx.state.next.click();
      await ctx.drawn;
    }
  },
});

variant("filtered", "Today's hooks under a filter box left at \"read\": okta.devices.manage is not drawn until the filter is cleared.", {
  ambiguous: true,
  render(ctx) {
    const filter = ctx.state.filter ?? "read";
    const input = el("input", { type: "search", class: "filter-box", placeholder: "Filter scopes", "aria-label": "Filter scopes", value: filter });
    input.addEventListener("change", () => { ctx.state.filter = input.value; ctx.redraw(); });
    ctx.state.input = input;
    const shown = ctx.rows.filter((row) => row.id.includes(filter));
    ctx.state.shown = shown.map((row) => row.id);
    return el("div", {},
      el("div", { class: "table-toolbar" }, input, el("span", {}, `Showing ${shown.length} of ${ctx.rows.length}`)),
      hookedTable(ctx, shown));
  },
  async reveal(ctx, scopeId) {
    if (ctx.state.shown.includes(scopeId)) return;
    ctx.state.input.value = "";
    ctx.state.input.dispatchEvent(new Event("change", { bubbles: true }));
    await ctx.drawn;
  },
});

variant("late", "Today's table and hooks, drawn only 1.5 s after the tab opens (a spinner until then).", {
  render: (ctx) => hookedTable(ctx, ctx.rows),
  async start(ctx, draw, container) {
    container.replaceChildren(el("div", { class: "spinner", role: "status" }, "Loading scopes…"));
    await sleep(1500);
    await draw();
  },
});

variant("rerendered", "Today's table and hooks, replaced by a fresh copy every 300 ms, four times after the first drawing.", {
  render: (ctx) => hookedTable(ctx, ctx.rows),
  async start(ctx, draw) {
    await draw();
    for (let i = 0; i < 4; i++) {
      await sleep(300);
      await draw();
    }
  },
});

variant("restructure-after-grant", "Today's table and hooks until a Grant or Revoke; then cards without hooks, granted first, under a toast naming the scope.", {
  render(ctx) {
    if (ctx.changed === 0) return hookedTable(ctx, ctx.rows);
    const last = ctx.lastChange;
    const reordered = [...ctx.rows].sort((a, b) => Number(b.granted) - Number(a.granted));
    return el("div", {},
      el("div", { class: "toast", role: "status" }, `${last.action === "grant" ? "Granted" : "Revoked"} ${last.scopeId}.`),
      cardGrid(ctx, reordered));
  },
});

variant("lookalike-names", "No hooks; xokta.devices.manage, okta.devices.manage.v2, okta.devices.manageX rows (opposite state) before the real one; other rows' descriptions mention it.", {
  render(ctx) {
    const real = ctx.rows.find((row) => row.id === "okta.devices.manage");
    const mentions = {
      "okta.apps.manage": "Allows the app to create and manage Apps. Not for devices: use okta.devices.manage.",
      "okta.apps.read": "Allows the app to read Apps. Granted together with okta.devices.manage by most device flows.",
      "okta.devices.read": "Allows the app to read devices. To change a device's state, grant okta.devices.manage instead.",
    };
    const rows = ctx.rows.flatMap((row) => row !== real ? [row] : [
      ...LOOK_ALIKES.map((id) => ({ id, description: `Preview: ${real.description}`, granted: !real.granted, decoy: true })),
      row,
    ]);
    return plainTable("markup-table", ["Scope", "Description", ""], rows, (row) => [
      nameCode(row), mentions[row.id] ?? row.description,
      row.decoy
        ? el("button", { type: "button", class: row.granted ? "btn" : "btn btn-primary" }, row.granted ? "Revoke" : "Grant")
        : actionButton(ctx, row, { grantAttrs: { class: "btn btn-primary" }, revokeAttrs: { class: "btn" } }),
    ]);
  },
});

variant("soft-hyphens", "Today's hooks; every scope name carries a soft hyphen and a zero-width space (okta.\\u00ADdevices.\\u200Bmanage).", {
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    name: (row) => row.id.replace(".", ".\u00AD").replace(/\.(?=[^.\u00AD]*$)/, ".\u200B"),
  }),
});

variant("name-extra-text", "Today's hooks; the name cell reads \"okta.devices.manage (recommended)\".", {
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    name: (row) => row.id === "okta.devices.manage"
      ? [row.id, " ", el("span", { class: "tag" }, "(recommended)")]
      : row.id,
  }),
});

variant("title-only", "No hooks; the name cell shows a friendly label (\"Manage devices\"), the scope id only in its title attribute.", {
  render: (ctx) => plainTable("markup-table", ["Permission", "Description", ""], ctx.rows, (row) => [
    el("span", { class: "scope-label", title: row.id }, friendlyLabel(row.id)),
    row.description,
    actionButton(ctx, row, { grantAttrs: { class: "btn btn-primary" }, revokeAttrs: { class: "btn" } }),
  ]),
});

variant("duplicate-rows", "Today's hooks; okta.devices.manage is listed twice, the second row (stale) in the opposite state.", {
  ambiguous: true,
  render(ctx) {
    const real = ctx.rows.find((row) => row.id === "okta.devices.manage");
    const rows = [...ctx.rows, { ...real, granted: !real.granted, decoy: true }];
    return hookedTable(ctx, rows, { decoy: (row) => row.decoy });
  },
});

variant("more-actions-menu", "No hooks; each row's only control is a \"More actions\" button whose closed menu (hidden) holds Grant or Revoke.", {
  ambiguous: true,
  render(ctx) {
    ctx.state.menus = new Map();
    return plainTable("markup-table", ["Scope", "Description", ""], ctx.rows, (row) => {
      const item = el("li", { role: "menuitem", tabindex: "-1", class: "menu__item" }, row.granted ? "Revoke" : "Grant");
      ctx.bind(item, row.id, row.granted ? "revoke" : "grant");
      const menu = el("ul", { role: "menu", class: "menu", hidden: true }, item);
      const opener = el("button", { type: "button", class: "kebab", "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": `More actions for ${row.id}` }, "⋮");
      opener.addEventListener("click", () => {
        menu.hidden = !menu.hidden;
        opener.setAttribute("aria-expanded", String(!menu.hidden));
      });
      ctx.state.menus.set(row.id, { opener, menu });
      return [nameCode(row), row.description, el("span", { class: "menu-anchor" }, opener, menu)];
    });
  },
  async reveal(ctx, scopeId) {
    const found = ctx.state.menus.get(scopeId);
    if (found?.menu.hidden) found.opener.click();
  },
});

variant("visually-hidden", "Today's hooks with both buttons in every row; the one that does not apply is visually hidden, row by row in turn: 1px and clip: rect(0 0 0 0), inside a 1px box hiding its overflow, clip-path: inset(50%), off-screen.", {
  render: (ctx) => hookedTable(ctx, ctx.rows, {
    actions: (row) => {
      const [grant, revoke] = bothButtons(ctx, row, () => {}, HOOKED);
      // In the catalog's order, okta.devices.manage is clipped and okta.devices.read off-screen.
      const hide = VISUALLY_HIDDEN[ctx.rows.indexOf(row) % VISUALLY_HIDDEN.length];
      return row.granted ? [hide(grant), revoke] : [grant, hide(revoke)];
    },
  }),
});

variant("labelledby-over-label", "Icon-only buttons named by aria-labelledby (a visible caption \"Grant\" / \"Revoke\" beside them) and by a stale aria-label saying the opposite, no hooks.", {
  render: (ctx) => plainTable("markup-table", ["Scope", "Description", ""], ctx.rows, (row) => {
    const captionId = `action-${row.id.replace(/\W/g, "-")}`;
    const [action, stale] = row.granted ? ["Revoke", "Grant"] : ["Grant", "Revoke"];
    const button = el("button", { type: "button", class: "icon-only", "aria-labelledby": captionId, "aria-label": `${stale} ${row.id}` },
      icon(row.granted ? "M3 7h10v2H3z" : "M7 3h2v4h4v2H9v4H7V9H3V7h4z"));
    ctx.bind(button, row.id, row.granted ? "revoke" : "grant");
    return [nameCode(row), row.description,
      el("span", { class: "markup-actions" }, button, el("span", { id: captionId, class: "action-caption" }, action))];
  }),
});

variant("one-cell", "Every scope in one table cell of one row, without hooks: each name followed by a Grant button, or by the word \"Granted\" once granted, and a line break; no element per scope.", {
  render: (ctx) => plainTable("markup-table", ["Scopes"], [null], () => [
    el("div", { class: "markup-scope-lines" }, ctx.rows.flatMap((row) => [
      nameCode(row), " ",
      row.granted ? el("span", { class: "markup-status" }, "Granted") : actionButton(ctx, row, { grantAttrs: { class: "btn btn-primary" } }),
      el("br", {}),
    ])),
  ]),
});

// --- mounting ----------------------------------------------------------------------------------

// Mounts the variant `name` in `container`, with `services` (console.js) for the org: loadRows()
// (the catalog with each scope's state and grant id), grant(scopeId), revoke(grantId). Returns
// the mount window.demoConsole drives: { name, ready, perform(scopeId, action) }.
function mountMarkup(name, container, services) {
  const variant = DEMO_MARKUPS.get(name);
  let settle;
  const ready = new Promise((resolve) => (settle = resolve));
  if (!variant || variant.builtin) {
    container.replaceChildren(el("p", { class: "error" }, `Unknown markup: ${name}`));
    settle();
    return { name, ready, perform: () => Promise.reject(new Error(`unknown markup ${name}`)) };
  }
  const controls = new Map(); // scope id → { grant, revoke }: the controls an admin can use now

  async function act(scopeId, action, control) {
    if ("disabled" in control) control.disabled = true;
    let failure = null;
    try {
      const row = ctx.rows.find((r) => r.id === scopeId);
      if (action === "grant") await services.grant(scopeId);
      else if (row?.grantId) await services.revoke(row.grantId);
      else throw new Error(`${scopeId} is not granted`);
    } catch (error) {
      failure = error;
    }
    ctx.changed += 1;
    ctx.lastChange = { scopeId, action };
    ctx.rows = await services.loadRows();
    await draw();
    if (failure) {
      container.append(el("p", { class: "error" }, `Could not ${action} ${scopeId}: ${failure.message}`));
      throw failure;
    }
  }

  const ctx = {
    rows: [],
    changed: 0,
    lastChange: null,
    state: {},
    drawn: Promise.resolve(),
    lastAction: Promise.resolve(),
    bind(control, scopeId, action) {
      const entry = controls.get(scopeId) ?? {};
      entry[action] ??= control;
      controls.set(scopeId, entry);
      ctx.listen(control, scopeId, action);
    },
    listen(control, scopeId, action) {
      control.addEventListener("click", (event) => {
        event.preventDefault();
        ctx.lastAction = act(scopeId, action, control);
        ctx.lastAction.catch(() => {});
      });
    },
    redraw: () => draw(),
  };

  function draw() {
    ctx.drawn = (async () => {
      controls.clear();
      const node = variant.render(ctx);
      if (variant.place) await variant.place(ctx, container, node);
      else container.replaceChildren(node);
    })();
    return ctx.drawn;
  }

  (async () => {
    try {
      ctx.rows = await services.loadRows();
      if (variant.start) await variant.start(ctx, draw, container);
      else await draw();
    } catch (error) {
      container.append(el("p", { class: "error" }, `Could not load scopes: ${error.message}`));
    }
    settle();
  })();

  return {
    name,
    ready,
    async perform(scopeId, action) {
      await ready;
      if (variant.reveal) await variant.reveal(ctx, scopeId);
      const control = controls.get(scopeId)?.[action];
      if (!control) throw new Error(`${name}: no ${action} control for ${scopeId} on this page`);
      control.click();
      await ctx.lastAction;
      return true;
    },
  };
}
