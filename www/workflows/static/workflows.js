// The demo Okta Workflows console: its Connections page, the New Connection connector picker, and
// the connection dialog of the Okta-family connectors. Built with real React (controlled inputs),
// so that filling it is tested the way the real console would see it.
"use strict";

const h = React.createElement;
const { useEffect, useState } = React;

// ?omit=<field id> stands for a console release whose form the helper does not fully know.
const OMITTED_FIELD = new URLSearchParams(location.search).get("omit");
// ?fade stands for a console whose dialog fades in, as Material UI's Fade does: it mounts
// transparent, and only its transition's end says that it can be seen.
const FADES_IN = new URLSearchParams(location.search).has("fade");

const CONNECTORS = [
  { name: "Okta", family: "okta" },
  { name: "Okta Devices", family: "okta" },
  { name: "Okta Realms", family: "okta" },
  { name: "Google Workspace", family: "oauth" },
  { name: "Salesforce", family: "oauth" },
  { name: "Slack", family: "oauth" },
];

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  return response.json();
}

function Field({ id, label, type = "text", value, onChange }) {
  if (id === OMITTED_FIELD) return null;
  return h("div", { className: "field" },
    h("label", { htmlFor: id }, label),
    h("input", { id, name: id, type, value, autoComplete: "off", onChange: (event) => onChange(event.target.value) }));
}

function ConnectionDialog({ connector, onClose, onCreated }) {
  const [tab, setTab] = useState("connection");
  const [nickname, setNickname] = useState(`${connector.name} Account`);
  const [domain, setDomain] = useState("");
  const [clientId, setClientId] = useState("");
  const [clientSecret, setClientSecret] = useState("");
  const [scopes, setScopes] = useState("default");
  const [error, setError] = useState("");
  const [faded, setFaded] = useState(!FADES_IN);
  // A frame after mounting, so that the change of opacity runs as a transition.
  useEffect(() => { if (!faded) requestAnimationFrame(() => setFaded(true)); }, []);

  const create = async () => {
    const required = { nickname, domain, clientId, clientSecret };
    delete required[OMITTED_FIELD];
    if (!Object.values(required).every((v) => v.trim())) {
      setError("All fields are required.");
      return;
    }
    try {
      await api("POST", "/api/connections", { connector: connector.name, nickname, domain, clientId, clientSecret, scopes });
      onCreated();
    } catch (e) {
      setError(`Could not create the connection: ${e.message}`);
    }
  };

  return h("div", { className: "backdrop" },
    // data-complete reflects the form's own state: whether every field holds a value.
    h("div", { role: "dialog", "aria-modal": "true", "aria-label": `New Connection: ${connector.name}`, className: "dialog",
      style: FADES_IN ? { opacity: faded ? 1 : 0, transition: "opacity 400ms" } : undefined,
      "data-complete": String([nickname, domain, clientId, clientSecret].every((v) => v.trim() !== "")) },
      h("h2", null, "New Connection"),
      h("div", { className: "connector-header" },
        h("span", { className: "connector-icon", "aria-hidden": "true" }, connector.name[0]),
        h("span", { "data-se": "connector-name" }, connector.name)),
      h("div", { role: "tablist", className: "dialog-tabs" },
        h("button", { type: "button", role: "tab", "aria-selected": String(tab === "connection"), onClick: () => setTab("connection") }, "Connection"),
        h("button", { type: "button", role: "tab", "aria-selected": String(tab === "permissions"), onClick: () => setTab("permissions") }, "Permissions")),
      // Both tabs stay mounted, as the console keeps the form's state while switching.
      h("div", { hidden: tab !== "connection" },
        h(Field, { id: "nickname", label: "Connection Nickname", value: nickname, onChange: setNickname }),
        h(Field, { id: "domain", label: "Domain", value: domain, onChange: setDomain }),
        h(Field, { id: "clientId", label: "Client ID", value: clientId, onChange: setClientId }),
        h(Field, { id: "clientSecret", label: "Client Secret", type: "password", value: clientSecret, onChange: setClientSecret })),
      h("div", { hidden: tab !== "permissions", className: "permissions" },
        h("p", null, "Choose the scopes this connection requests."),
        ["default", "custom"].map((choice) =>
          h("label", { key: choice, className: "radio" },
            h("input", { type: "radio", name: "scopes", checked: scopes === choice, onChange: () => setScopes(choice) }),
            choice === "default" ? " Default scopes" : " Custom scopes"))),
      error && h("p", { className: "error", role: "alert" }, error),
      h("div", { className: "dialog-actions" },
        h("button", { type: "button", className: "secondary", onClick: onClose }, "Cancel"),
        h("button", { type: "button", className: "primary", onClick: create }, "Create"))));
}

// The Reauthorize dialog of an Okta-family connection: the connector's authorization fields
// again (Domain, Client ID, Client Secret), empty, and Save, which replaces the connection's
// credentials. The nickname is the connection's own and is not asked again.
function ReauthorizeDialog({ connection, onClose, onSaved }) {
  const [domain, setDomain] = useState("");
  const [clientId, setClientId] = useState("");
  const [clientSecret, setClientSecret] = useState("");
  const [error, setError] = useState("");
  const save = async () => {
    if (![domain, clientId, clientSecret].every((v) => v.trim())) {
      setError("All fields are required.");
      return;
    }
    try {
      await api("PUT", `/api/connections/${connection.id}`, { domain, clientId, clientSecret });
      onSaved();
    } catch (e) {
      setError(`Could not reauthorize the connection: ${e.message}`);
    }
  };
  return h("div", { className: "backdrop" },
    h("div", { role: "dialog", "aria-modal": "true", "aria-label": `Reauthorize: ${connection.connector}`, className: "dialog",
      "data-complete": String([domain, clientId, clientSecret].every((v) => v.trim() !== "")) },
      h("h2", null, "Reauthorize Connection"),
      h("div", { className: "connector-header" },
        h("span", { className: "connector-icon", "aria-hidden": "true" }, connection.connector[0]),
        h("span", { "data-se": "connector-name" }, connection.connector)),
      h("p", { className: "reauthorize-nickname" }, connection.nickname),
      h(Field, { id: "domain", label: "Domain", value: domain, onChange: setDomain }),
      h(Field, { id: "clientId", label: "Client ID", value: clientId, onChange: setClientId }),
      h(Field, { id: "clientSecret", label: "Client Secret", type: "password", value: clientSecret, onChange: setClientSecret }),
      error && h("p", { className: "error", role: "alert" }, error),
      h("div", { className: "dialog-actions" },
        h("button", { type: "button", className: "secondary", onClick: onClose }, "Cancel"),
        h("button", { type: "button", className: "primary", onClick: save }, "Save"))));
}

function ConnectorPicker({ onPick, onClose }) {
  const [filter, setFilter] = useState("");
  const shown = CONNECTORS.filter((c) => c.name.toLowerCase().includes(filter.toLowerCase()));
  return h("div", { className: "backdrop" },
    h("div", { className: "picker", role: "region", "aria-label": "Choose a connector" },
      h("h2", null, "New Connection"),
      h("input", { type: "search", placeholder: "Search connectors", value: filter, onChange: (e) => setFilter(e.target.value), "aria-label": "Search connectors" }),
      h("ul", { className: "connector-grid" },
        shown.map((connector) =>
          h("li", { key: connector.name },
            h("button", { type: "button", "data-connector": connector.name, onClick: () => onPick(connector) }, connector.name)))),
      h("button", { type: "button", className: "secondary", onClick: onClose }, "Cancel")));
}

function ConnectionsPage() {
  const [connections, setConnections] = useState([]);
  const [step, setStep] = useState(null); // null, "pick", or a connector
  const [reauthorizing, setReauthorizing] = useState(null); // a connection
  const reload = () => api("GET", "/api/connections").then(setConnections, () => setConnections([]));
  useEffect(() => { reload(); }, []);
  return h("div", { className: "workflows" },
    h("header", { className: "top" }, h("span", { className: "brand" }, "Okta Workflows"), h("small", null, " demo console"),
      h("nav", null, h("a", { href: "/app/flows" }, "Flows"), h("a", { href: "/app/connections", className: "active" }, "Connections"))),
    h("main", null,
      h("div", { className: "page-head" },
        h("h1", null, "Connections"),
        h("button", { type: "button", className: "primary", "data-se": "new-connection", onClick: () => setStep("pick") }, "+ New Connection")),
      h("table", { className: "connections" },
        h("thead", null, h("tr", null, h("th", null, "Nickname"), h("th", null, "Connector"), h("th", null, "Status"), h("th", null, ""))),
        h("tbody", null, connections.length === 0
          ? h("tr", null, h("td", { colSpan: 4 }, "No connections yet."))
          : connections.map((c) => h("tr", { key: c.id, "data-connection": c.id },
              h("td", null, c.nickname), h("td", null, c.connector), h("td", null, c.status),
              h("td", null, h("button", { type: "button", className: "secondary", "data-se": "reauthorize", onClick: () => setReauthorizing(c) }, "Reauthorize"))))))),
    step === "pick" && h(ConnectorPicker, { onPick: setStep, onClose: () => setStep(null) }),
    step && step !== "pick" && h(ConnectionDialog, { connector: step, onClose: () => setStep(null), onCreated: () => { setStep(null); reload(); } }),
    reauthorizing && h(ReauthorizeDialog, { connection: reauthorizing, onClose: () => setReauthorizing(null), onSaved: () => { setReauthorizing(null); reload(); } }));
}

ReactDOM.createRoot(document.getElementById("app")).render(h(ConnectionsPage));
