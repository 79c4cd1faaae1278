// The demo console's own script: a small, honest replica of the Okta Admin Console screens the
// helper reads. Like the real console it switches app tabs by URL fragment without reloading, and
// its Okta API Scopes tab grants and revokes through the org's /api/v1 grants endpoints.
//
// ?markup=<name> draws the Okta API Scopes tab in one of the corpus's markups
// (www/assets/markups.js, loaded before this script); without it, or with ?markup=default, the
// tab is today's table. For tests only, window.demoConsole.grant(scopeId) and .revoke(scopeId)
// click the markup's own control for a scope (see `demo` below).
"use strict";

const orgDomain = location.hostname.replace(/-admin\./, ".");

// ?hang stands for a console page with a resource that never finishes loading (a stuck tracker,
// say): its load event never fires.
if (new URLSearchParams(location.search).has("hang")) {
  document.body.append(Object.assign(document.createElement("img"), { src: "/assets/never", alt: "" }));
}
const xsrfToken = document.getElementById("_xsrfToken")?.textContent ?? "";

for (const element of document.querySelectorAll('[data-se="user-menu--org-domain"]')) {
  element.textContent = orgDomain;
}
for (const link of document.querySelectorAll('[data-se="side-nav"] a')) {
  const applications = link.getAttribute("href").startsWith("/admin/apps");
  const onApplications = /^\/admin\/apps?\//.test(location.pathname);
  link.classList.toggle("active", applications === onApplications);
}
document.querySelector('[data-se="user-menu-toggle"]')?.addEventListener("click", () => {
  const dropdown = document.querySelector('[data-se="user-menu-dropdown"]');
  dropdown.hidden = !dropdown.hidden;
});

const APP_LABELS = { flow: "Okta Workflows OAuth", okta_flow_sso: "Okta Workflows" };
const TABS = ["#tab-general", "#tab-signon", "#tab-okta-api-scopes", "#tab-assignments"];

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, "");
    else if (value !== false && value != null) element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

async function request(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    // X-Requested-With, as Okta's own console sends it; the testbed's "helper API down" knob
    // fails every /api/v1 call without it (the helper's), never the console's own.
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-Okta-XsrfToken": xsrfToken,
      "X-Requested-With": "XMLHttpRequest",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  return response;
}

async function api(method, path, body) {
  const response = await request(method, path, body);
  return response.status === 204 ? null : response.json();
}

// Every page of a list, following the Link header's rel="next", as the console does. Okta sends
// one Link header per relation; fetch joins them with ", ", which this reads just the same.
async function allPages(path) {
  const items = [];
  for (let next = path; next; ) {
    const response = await request("GET", next);
    items.push(...(await response.json()));
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("Link") ?? "")?.[1] ?? null;
  }
  return items;
}

// For tests only: window.demoConsole in the page's own world. grant(scopeId) and revoke(scopeId)
// click the open Scopes tab markup's own control for that scope (turning a page, clearing a
// filter or opening a menu first, as an admin would), and resolve once the tab has drawn the
// result. `markup` names the markup; `settled` turns true once its first drawing is complete
// (after a late or repeatedly replaced table too).
const demo = (() => {
  let current = null;
  const perform = (scopeId, action) =>
    current ? current.perform(String(scopeId), action) : Promise.reject(new Error("the Okta API Scopes tab is not open"));
  const exposed = {
    markup: null,
    settled: false,
    grant: (scopeId) => perform(scopeId, "grant"),
    revoke: (scopeId) => perform(scopeId, "revoke"),
  };
  window.demoConsole = exposed;
  return {
    begin(mount) {
      current = mount;
      exposed.markup = mount.name;
      exposed.settled = false;
      mount.ready.then(() => {
        if (current === mount) exposed.settled = true;
      });
      return mount;
    },
  };
})();

const appPage = document.querySelector('[data-se="app-instance"]');
if (appPage) {
  // Like the real console, a single-page app: moving to another app's page (history.pushState,
  // then popstate) re-renders for the app in the new address without a reload.
  let [, , , appName, , appId] = location.pathname.split("/");
  // ?markup=unknown stands for a console release whose markup the helper has not learned yet;
  // the other names of the corpus (www/assets/markups.js) stand for other releases and designs.
  const markup = new URLSearchParams(location.search).get("markup");
  const unknownMarkup = markup === "unknown";
  const corpusMarkup = markup && markup !== "default" && !unknownMarkup ? markup : null;
  const panel = appPage.querySelector('[data-se="tab-panel"]');
  document.querySelector('[data-se="app-label"]').textContent = APP_LABELS[appName] ?? appName;
  document.title = `${APP_LABELS[appName] ?? appName} - Okta Admin Console (demo)`;

  // ?tabs=in-page stands for a console release whose tabs switch without touching the address:
  // only the tab strip's aria-selected says which tab is open.
  const tabsInPage = new URLSearchParams(location.search).get("tabs") === "in-page";
  const showTab = (chosen) => {
    const open = chosen ?? (TABS.includes(location.hash) ? location.hash : "#tab-general");
    for (const tab of appPage.querySelectorAll('[role="tab"]')) {
      const selected = tab.getAttribute("href") === open;
      tab.setAttribute("aria-selected", String(selected));
      tab.classList.toggle("selected", selected);
    }
    panel.replaceChildren();
    ({
      "#tab-general": general,
      "#tab-signon": signOn,
      "#tab-okta-api-scopes": scopes,
      "#tab-assignments": assignments,
    })[open](panel);
  };

  function general(target) {
    target.append(
      h("h2", {}, "App Settings"),
      h("dl", { class: "settings" },
        h("dt", {}, "Application label"), h("dd", {}, APP_LABELS[appName] ?? appName),
        h("dt", {}, "Application type"), h("dd", {}, "Web Application"),
        h("dt", {}, "Grant type"), h("dd", {}, "Authorization Code, Refresh Token"),
      ),
    );
  }

  // The Sign On tab shows the client secret masked, with the console's show (eye) and copy
  // buttons. ?secret=hidden stands for consoles that load the secret only once Show is clicked.
  // ?signon=labels stands for a release without the Courage hooks: plain fields tied to their
  // visible <label>s, nothing else.
  async function signOn(target) {
    const params = new URLSearchParams(location.search);
    const loadOnShow = params.get("secret") === "hidden";
    const plain = params.get("signon") === "labels";
    const clientId = plain
      ? h("input", { readonly: true, id: "client-id-field" })
      : h("input", { readonly: true, name: "client_id", "aria-label": "Client ID" });
    clientId.value = appId;
    const secret = plain
      ? h("input", { readonly: true, type: "password", id: "client-secret-field" })
      : h("input", { readonly: true, type: "password", name: "client_secret", "aria-label": "Client secret" });
    const show = h("button", { type: "button", class: "icon-button", "data-se": "client-secret-show", "aria-label": "Show client secret", title: "Show" }, "\u{1f441}");
    const copy = h("button", { type: "button", class: "icon-button", "data-se": "client-secret-copy", "aria-label": "Copy client secret", title: "Copy" }, "Copy");
    target.append(
      h("h2", {}, "Client Credentials"),
      plain
        ? h("div", { class: "settings" },
            h("label", { for: "client-id-field" }, "Client ID"), clientId,
            h("label", { for: "client-secret-field" }, "Client secret"), secret, show, copy)
        : h("dl", { class: "settings" },
            h("dt", {}, "Client ID"),
            h("dd", {}, h("span", { "data-se": "o-form-input-client_id" }, clientId)),
            h("dt", {}, "Client secret"),
            h("dd", {}, h("span", { "data-se": "o-form-input-client_secret" }, secret), show, copy)),
    );
    let loaded = false;
    const load = async () => {
      const secrets = await api("GET", `/api/v1/apps/${appId}/credentials/secrets`);
      secret.value = secrets.find((s) => s.status === "ACTIVE")?.client_secret ?? "";
      loaded = true;
    };
    show.addEventListener("click", async () => {
      if (!loaded) await load();
      secret.type = secret.type === "password" ? "text" : "password";
    });
    copy.addEventListener("click", async () => {
      if (!loaded) await load();
      await navigator.clipboard.writeText(secret.value);
    });
    if (loadOnShow) secret.value = "\u2022".repeat(12);
    else await load();
  }

  function assignments(target) {
    target.append(h("h2", {}, "Assignments"), h("ul", { "data-se": "assignment-list" }, h("li", {}, "Avery Admin (avery.admin@acme.example)")));
  }

  async function scopes(target) {
    const intro = h("p", {}, "Grant the Okta API scopes this app may request. Some scopes are granted automatically.");
    if (corpusMarkup) {
      const holder = h("div", { class: "markup-holder" });
      target.append(h("h2", {}, "Okta API Scopes"), intro, holder);
      demo.begin(mountMarkup(corpusMarkup, holder, scopeServices));
      return;
    }
    const builtin = demo.begin(builtinMount());
    const body = h("tbody");
    const table = unknownMarkup
      ? h("div", { class: "odyssey-table" }, body)
      : h("table", { "data-se": "scopes-table", class: "data-list-table" },
          h("thead", {}, h("tr", {}, h("th", {}, "Scope"), h("th", {}, "Description"), h("th", {}, ""))), body);
    target.append(h("h2", {}, "Okta API Scopes"), intro, table);
    try {
      await renderRows(body, builtin);
    } catch (error) {
      target.append(h("p", { class: "error" }, `Could not load scopes: ${error.message}`));
    }
    builtin.settle();
  }

  let catalogLoad = null;
  async function renderRows(body, builtin) {
    catalogLoad ??= fetch("/assets/scopes.json").then((r) => r.json());
    const [catalog, grants] = await Promise.all([
      catalogLoad,
      allPages(`/api/v1/apps/${appId}/grants`),
    ]);
    // The tab counts only the org's own grants (issuer https://{org domain}), the kind its Grant
    // button makes: a grant of the same scope for another issuer (the testbed's add_grant) does
    // not make the row granted.
    const orgIssuer = `https://${orgDomain}`;
    const granted = new Map(
      grants.filter((grant) => grant.issuer === orgIssuer).map((grant) => [grant.scopeId, grant.id]),
    );
    builtin.controls.clear();
    body.replaceChildren(...catalog.map(({ id, description }) => {
      const grantId = granted.get(id);
      const button = grantId
        ? h("button", { type: "button", class: "button", "data-se": unknownMarkup ? null : "revoke-button" }, "Revoke")
        : h("button", { type: "button", class: "button button-primary", "data-se": unknownMarkup ? null : "grant-button" }, "Grant");
      builtin.controls.set(id, { [grantId ? "revoke" : "grant"]: button });
      button.addEventListener("click", () => {
        builtin.lastAction = (async () => {
          button.disabled = true;
          if (grantId) await api("DELETE", `/api/v1/apps/${appId}/grants/${grantId}`);
          else await api("POST", `/api/v1/apps/${appId}/grants`, { scopeId: id, issuer: `https://${orgDomain}` });
          await renderRows(body, builtin);
        })();
      });
      const tag = unknownMarkup ? "div" : "tr";
      const cell = unknownMarkup ? "span" : "td";
      return h(tag, { "data-se": unknownMarkup ? null : "scope-row" },
        h(cell, { "data-se": unknownMarkup ? null : "scope-name", class: "scope-name" }, id),
        h(cell, { class: "scope-description" }, description),
        h(cell, { class: "scope-action" }, button));
    }));
    // For the benchmark: when the rows were first on the page ("table → checklist").
    performance.mark("demo:scope-rows-shown");
  }

  // The corpus markups' access to the org: the catalog with the org's real grant state (its own
  // issuer only, as the table above counts them), and Grant and Revoke through the demo API.
  const scopeServices = {
    async loadRows() {
      catalogLoad ??= fetch("/assets/scopes.json").then((r) => r.json());
      const [catalog, grants] = await Promise.all([catalogLoad, allPages(`/api/v1/apps/${appId}/grants`)]);
      const orgIssuer = `https://${orgDomain}`;
      const granted = new Map(
        grants.filter((grant) => grant.issuer === orgIssuer).map((grant) => [grant.scopeId, grant.id]),
      );
      return catalog.map(({ id, description }) => ({ id, description, granted: granted.has(id), grantId: granted.get(id) ?? null }));
    },
    grant: (id) => api("POST", `/api/v1/apps/${appId}/grants`, { scopeId: id, issuer: `https://${orgDomain}` }),
    revoke: (grantId) => api("DELETE", `/api/v1/apps/${appId}/grants/${grantId}`),
  };

  // The default and ?markup=unknown tables, for window.demoConsole: their buttons by scope.
  function builtinMount() {
    let settle;
    const mount = {
      name: markup ?? "default",
      controls: new Map(),
      lastAction: Promise.resolve(),
      ready: new Promise((resolve) => (settle = resolve)),
      settle: () => settle(),
      async perform(scopeId, action) {
        await mount.ready;
        const control = mount.controls.get(scopeId)?.[action];
        if (!control) throw new Error(`${mount.name}: no ${action} control for ${scopeId} on this page`);
        control.click();
        await mount.lastAction;
        return true;
      },
    };
    return mount;
  }

  window.addEventListener("hashchange", () => showTab());
  window.addEventListener("popstate", () => {
    [, , , appName, , appId] = location.pathname.split("/");
    document.querySelector('[data-se="app-label"]').textContent = APP_LABELS[appName] ?? appName;
    showTab();
  });
  for (const tab of appPage.querySelectorAll('[role="tab"]')) {
    tab.addEventListener("click", (event) => {
      event.preventDefault();
      if (tabsInPage) {
        showTab(tab.getAttribute("href"));
        return;
      }
      history.pushState(null, "", tab.getAttribute("href"));
      showTab();
    });
  }
  showTab();
}
