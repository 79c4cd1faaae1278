//! Every rule for reading the Okta consoles' pages, in one place.
//!
//! Nobody on this project can look at a real org, so the markup below is taken from public
//! sources (Okta's `data-se` test hooks, its URL shapes) and may be wrong for some orgs or change
//! with a console release. When it does, the fix belongs here and nowhere else: the page agent
//! has no selectors of its own, it only answers the [`Probe`]s listed here, and the rest of the
//! crate reads the answers through the functions below.

pub use crate::api::WORKFLOWS_OAUTH_APP_NAME;
use crate::message::{
    Control, FieldRead, Message, PageFacts, Probe, ProbeId, ProbeItem, Read, ScanRow, ScanSpec,
};
use crate::scopes::{RowState, ScopeRow, TableReading};
use crate::text::squash;

/// Path prefix of an app instance page: `/admin/app/{appName}/instance/{appId}/`.
pub const APP_PATH_PREFIX: &str = "/admin/app/";
/// Path segment between the app name and the app id.
pub const APP_INSTANCE_SEGMENT: &str = "instance";
/// Where an admin finds the app list.
pub const APPS_LIST_PATH: &str = "/admin/apps/active";

/// The tabs of an app instance page that the helper tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppTab {
    /// The General tab, which the page opens on.
    General,
    /// Sign On: Client ID and Client secret.
    SignOn,
    /// Okta API Scopes: the grants.
    OktaApiScopes,
    /// Assignments.
    Assignments,
}

impl AppTab {
    /// The tab's label, as the console shows it.
    pub fn label(self) -> &'static str {
        match self {
            AppTab::General => "General",
            AppTab::SignOn => "Sign On",
            AppTab::OktaApiScopes => "Okta API Scopes",
            AppTab::Assignments => "Assignments",
        }
    }

    /// The URL fragment that selects the tab.
    pub fn fragment(self) -> &'static str {
        match self {
            AppTab::General => "#tab-general",
            AppTab::SignOn => "#tab-signon",
            AppTab::OktaApiScopes => "#tab-okta-api-scopes",
            AppTab::Assignments => "#tab-assignments",
        }
    }

    const ALL: [AppTab; 4] = [
        AppTab::General,
        AppTab::SignOn,
        AppTab::OktaApiScopes,
        AppTab::Assignments,
    ];

    /// The tab a URL fragment selects; `None` for an empty or unknown fragment.
    pub fn from_fragment(hash: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|tab| tab.fragment() == hash)
    }

    /// The tab with this label, compared loosely (whitespace and case).
    pub fn from_label(label: &str) -> Option<Self> {
        let wanted = squash(label);
        Self::ALL
            .into_iter()
            .find(|tab| squash(tab.label()) == wanted)
    }
}

/// Field names of the probes; the page agent reports values under these keys.
pub mod field {
    /// App tab: its label.
    pub const TAB_LABEL: &str = "label";
    /// App tab: its link target.
    pub const TAB_HREF: &str = "href";
    /// App tab: `aria-selected`.
    pub const TAB_SELECTED: &str = "selected";
    /// Header: the org domain in the user menu.
    pub const ORG_DOMAIN: &str = "org_domain";
    /// Sign On: the Client ID field.
    pub const CLIENT_ID: &str = "client_id";
    /// Sign On: the Client secret field.
    pub const CLIENT_SECRET: &str = "client_secret";
    /// A value read once.
    pub const VALUE: &str = "value";
    /// Dialog: its accessible name.
    pub const DIALOG_NAME: &str = "aria_label";
    /// Dialog: its heading.
    pub const DIALOG_HEADING: &str = "heading";
    /// Dialog: the connector's name.
    pub const CONNECTOR: &str = "connector";
    /// Input: its `id`.
    pub const INPUT_ID: &str = "id";
    /// Input: the texts it is labelled by, one per line.
    pub const INPUT_LABELS: &str = "labels";
    /// Input: its `name`.
    pub const INPUT_NAME: &str = "name";
    /// Button: its text.
    pub const BUTTON_TEXT: &str = "text";
    /// Input: its `type`.
    pub const INPUT_TYPE: &str = "type";
    /// Whether a person could use it: `usable`, `hidden` or `disabled`.
    pub const USABLE: &str = "usable";
    /// Which dialog it is in, by position among the dialogs found.
    pub const DIALOG: &str = "dialog";
}

/// The scopes table's container, by Okta's hook; probed so that "no rows" can say whether the
/// table itself was there.
const SCOPE_TABLE_SELECTORS: [&str; 1] = ["[data-se=\"scopes-table\"]"];
/// The tab strip of an app instance page.
const APP_TAB_SELECTORS: [&str; 1] = ["[data-se=\"app-tabs\"] [role=\"tab\"]"];
/// The header's user menu, which shows the org domain (Okta's own Selenium hooks).
const USER_MENU_SELECTORS: [&str; 1] = ["[data-se=\"admin-header--user-menu\"]"];
const USER_MENU_DOMAIN_SELECTOR: &str = "[data-se=\"user-menu--org-domain\"]";
/// The Sign On tab's credential fields: Courage form wrappers around the inputs, Okta's hooks and
/// the first rule; failing those, the fields labelled so (by a <label>, term or header cell a
/// person can see, or by aria-label or aria-labelledby; see `fieldLabels` in the page agent).
const CLIENT_ID_FIELD: &str = "[data-se=\"o-form-input-client_id\"]";
const CLIENT_SECRET_FIELD: &str = "[data-se=\"o-form-input-client_secret\"]";
const CLIENT_ID_LABEL: &str = "Client ID";
const CLIENT_SECRET_LABEL: &str = "Client secret";
/// The Workflows console's connection dialog.
const DIALOG: &str = "[role=\"dialog\"]";
const CONNECTION_DIALOG_SELECTORS: [&str; 1] = [DIALOG];
/// The attributes the selectors above test: a node that takes one of them may become a dialog.
const CONNECTION_DIALOG_ATTRIBUTES: [&str; 1] = ["role"];

/// Where the page agent mounts the panel's frame without being asked, as the line of JavaScript
/// that `extension/agent.js` holds (a test keeps the two equal): the Okta Workflows OAuth app's
/// pages on the Admin Console, and an open connection dialog on the Workflows console. Elsewhere
/// the agent draws only a launcher and reads nothing, so that the console pays next to nothing
/// where the helper has nothing to say.
pub fn agent_panel_places() -> String {
    let admin_path_prefix =
        format!("{APP_PATH_PREFIX}{WORKFLOWS_OAUTH_APP_NAME}/{APP_INSTANCE_SEGMENT}/");
    format!(
        "const PANEL_PLACES = {{\"adminPathPrefix\":{admin_path_prefix:?},\"dialog\":{:?},\"dialogAttributes\":[{}]}};",
        CONNECTION_DIALOG_SELECTORS.join(", "),
        CONNECTION_DIALOG_ATTRIBUTES.map(|name| format!("{name:?}")).join(",")
    )
}
const DIALOG_HEADING_SELECTOR: &str = "h1, h2, [role=\"heading\"]";
const CONNECTOR_NAME_SELECTOR: &str = "[data-se=\"connector-name\"]";
/// The label of each field of the Okta Devices connection form, as Okta Workflows shows it.
pub const FORM_LABELS: [(FormField, &str); 4] = [
    (FormField::Nickname, "Connection Nickname"),
    (FormField::Domain, "Domain"),
    (FormField::ClientId, "Client ID"),
    (FormField::ClientSecret, "Client Secret"),
];
/// The connector whose dialog the helper fills.
pub const OKTA_DEVICES_CONNECTOR: &str = "Okta Devices";
/// The ways a dialog may name it, whole (compared loosely: case and whitespace): the connector
/// alone, or after New Connection or Reauthorize. A dialog that names it inside a longer name is
/// not its dialog.
pub const OKTA_DEVICES_DIALOG_NAMES: [&str; 5] = [
    "Okta Devices",
    "New Connection: Okta Devices",
    "New Connection - Okta Devices",
    "Reauthorize: Okta Devices",
    "Reauthorize - Okta Devices",
];
/// How an existing connection's Reauthorize dialog names itself (its name or heading begins so):
/// it asks for the credentials again, without the connection's nickname, and saves.
pub const REAUTHORIZE_WORD: &str = "Reauthorize";
/// The dialog's button that creates the connection.
pub const CREATE_BUTTON_LABEL: &str = "Create";
/// The Reauthorize dialog's button that saves the new credentials.
pub const SAVE_BUTTON_LABEL: &str = "Save";
/// Where the Workflows console lists connections.
pub const WORKFLOWS_CONNECTIONS_PATH: &str = "/app/connections";

/// The fields of the Okta Devices connection form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    /// Connection Nickname.
    Nickname,
    /// Domain.
    Domain,
    /// Client ID.
    ClientId,
    /// Client Secret.
    ClientSecret,
}

impl FormField {
    /// The field's label in the form.
    pub fn label(self) -> &'static str {
        FORM_LABELS
            .iter()
            .find(|(field, _)| *field == self)
            .map_or("", |(_, label)| label)
    }
}

/// What the overlay asks the page agent to read, on every page, as its first message.
pub fn page_watch() -> Message {
    Message::Watch {
        probes: watch_probes(),
        scan: Some(scope_scan()),
    }
}

/// [`page_watch`] as a line of the page agent's JavaScript. The agent reads the page with it while
/// the overlay frame is still loading, so that its first facts are ready when the overlay's own
/// "watch" arrives; if that asks for anything else, the agent reads the page again for it. A test
/// keeps `extension/agent-panel.js`'s copy equal, and a wasm test checks that the overlay's codec
/// writes the message exactly as this does.
#[cfg(not(target_arch = "wasm32"))]
pub fn agent_read_ahead() -> String {
    let watch = serde_json::to_string(&page_watch()).unwrap_or_default();
    format!("const READ_AHEAD = {watch};")
}

/// The probes the overlay asks the agent to watch on every console page. They never read a
/// value that could be secret; see [`capture_probes`] for those.
pub fn watch_probes() -> Vec<Probe> {
    vec![
        probe(ProbeId::ScopeTable, &SCOPE_TABLE_SELECTORS, vec![]),
        probe(
            ProbeId::AppTabs,
            &APP_TAB_SELECTORS,
            vec![
                own(field::TAB_LABEL, Read::Text),
                own(field::TAB_HREF, Read::Attr("href".into())),
                own(field::TAB_SELECTED, Read::Attr("aria-selected".into())),
            ],
        ),
        probe(
            ProbeId::UserMenuDomain,
            &USER_MENU_SELECTORS,
            vec![part(
                field::ORG_DOMAIN,
                USER_MENU_DOMAIN_SELECTOR,
                Read::Text,
            )],
        ),
        Probe {
            labels: vec![CLIENT_SECRET_LABEL.to_owned()],
            ..probe(
                ProbeId::SignOnFields,
                &[&format!("{CLIENT_SECRET_FIELD} input")],
                vec![own(field::CLIENT_SECRET, Read::Present)],
            )
        },
        probe(
            ProbeId::ConnectionDialog,
            &CONNECTION_DIALOG_SELECTORS,
            vec![
                own(field::DIALOG_NAME, Read::Attr("aria-label".into())),
                part(field::DIALOG_HEADING, DIALOG_HEADING_SELECTOR, Read::Text),
                part(field::CONNECTOR, CONNECTOR_NAME_SELECTOR, Read::Text),
                own(field::USABLE, Read::Usable),
            ],
        ),
        // Inputs and buttons say which dialog they are in, so that only the one matched dialog's
        // are ever used.
        probe(
            ProbeId::DialogInputs,
            &[&format!("{DIALOG} input")],
            vec![
                own(field::INPUT_ID, Read::Attr("id".into())),
                own(field::INPUT_LABELS, Read::Labels),
                own(field::INPUT_NAME, Read::Attr("name".into())),
                own(field::INPUT_TYPE, Read::Attr("type".into())),
                own(field::USABLE, Read::Usable),
                own(field::DIALOG, Read::Within(ProbeId::ConnectionDialog)),
            ],
        ),
        probe(
            ProbeId::DialogButtons,
            &[&format!("{DIALOG} button")],
            vec![
                own(field::BUTTON_TEXT, Read::Text),
                own(field::USABLE, Read::Usable),
                own(field::DIALOG, Read::Within(ProbeId::ConnectionDialog)),
            ],
        ),
    ]
}

/// The probes read once when the admin clicks Capture: the credentials' values, and each field's
/// `id` and `name`, to say which fields conflict when more than one answers (see [`read_value`]).
pub fn capture_probes() -> Vec<Probe> {
    let value_of = |id, wrapper: &str, label: &str| Probe {
        id,
        selectors: vec![format!("{wrapper} input")],
        labels: vec![label.to_owned()],
        fields: vec![
            own(field::VALUE, Read::Value),
            own(field::INPUT_ID, Read::Attr("id".into())),
            own(field::INPUT_NAME, Read::Attr("name".into())),
        ],
    };
    vec![
        value_of(ProbeId::ClientIdValue, CLIENT_ID_FIELD, CLIENT_ID_LABEL),
        value_of(
            ProbeId::ClientSecretValue,
            CLIENT_SECRET_FIELD,
            CLIENT_SECRET_LABEL,
        ),
    ]
}

/// Where the page agent finds the console's XSRF token when it sends an API request: Okta's
/// hidden `#_xsrfToken` element, which the console's own scripts and public admin-console tools
/// read. The agent reads it at the moment of each request and puts it in the request's header;
/// it never crosses a message.
pub fn xsrf_token_selectors() -> Vec<String> {
    vec!["#_xsrfToken".to_owned()]
}

/// The shape the XSRF token's whole text must have (a JavaScript regular expression): 16 to 512
/// characters of the base64 and URL-safe alphabets, nothing else (no space, no line break).
pub const XSRF_TOKEN_SHAPE: &str = "^[A-Za-z0-9._~+/=-]{16,512}$";

/// More than one field of the page answers to a one-shot probe of [`capture_probes`]: the helper
/// does not guess which is the one, and reads none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictingFields {
    /// The label the fields answer to (`Client secret`).
    pub label: &'static str,
    /// Each field, as the page identifies it: `#its-id`, `name="its_name"`, or its place among
    /// them (`field 2 of 3 (no id or name)`).
    pub fields: Vec<String>,
}

impl ConflictingFields {
    /// E.g. `2 fields on this page answer to "Client secret" (#a, #b), and the helper does not
    /// guess which to read.`
    pub fn describe(&self) -> String {
        format!(
            "{} fields on this page answer to \"{}\" ({}), and the helper does not guess which to read.",
            self.fields.len(),
            self.label,
            self.fields.join(", ")
        )
    }
}

/// The label a one-shot probe's field answers to, for [`ConflictingFields`].
fn capture_label(id: ProbeId) -> &'static str {
    match id {
        ProbeId::ClientIdValue => CLIENT_ID_LABEL,
        ProbeId::ClientSecretValue => CLIENT_SECRET_LABEL,
        _ => "the same field",
    }
}

/// The value a one-shot probe read: `Ok(None)` when no field was found (or it had no value), and
/// an error naming the fields when more than one was found, by Okta's hook or by its label: a page
/// with two "Client secret" fields may show an old secret beside the new one, or a decoy, and the
/// first in the page is no more likely the right one than the second.
pub fn read_value(
    probes: &[crate::message::ProbeResult],
    id: ProbeId,
) -> Result<Option<String>, ConflictingFields> {
    let items = probes
        .iter()
        .find(|result| result.id == id)
        .map(|result| result.items.as_slice())
        .unwrap_or_default();
    let text = |item: &ProbeItem, name: &str| {
        item.get(name)
            .cloned()
            .flatten()
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    match items {
        [] => Ok(None),
        [one] => Ok(one.get(field::VALUE).cloned().flatten()),
        several => Err(ConflictingFields {
            label: capture_label(id),
            fields: several
                .iter()
                .enumerate()
                .map(|(at, item)| {
                    if let Some(id) = text(item, field::INPUT_ID) {
                        format!("#{id}")
                    } else if let Some(name) = text(item, field::INPUT_NAME) {
                        format!("name=\"{name}\"")
                    } else {
                        format!("field {} of {} (no id or name)", at + 1, several.len())
                    }
                })
                .collect(),
        }),
    }
}

/// The org domain shown in the header's user menu, if the header could be read.
pub fn read_header_domain(facts: &PageFacts) -> Option<String> {
    facts
        .probe(ProbeId::UserMenuDomain)?
        .items
        .iter()
        .find_map(|item| item.get(field::ORG_DOMAIN).cloned().flatten())
        .map(|text| text.trim().to_ascii_lowercase())
        .filter(|text| !text.is_empty())
}

/// Whether the page shows the Sign On tab's credential fields.
pub fn sign_on_fields_present(facts: &PageFacts) -> bool {
    facts
        .probe(ProbeId::SignOnFields)
        .is_some_and(|result| !result.items.is_empty())
}

/// The Workflows connection dialog as read from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogReading {
    /// The dialog, by position among the dialogs found: what a fill must stay inside.
    pub index: usize,
    /// The connector the dialog is for, as the dialog names it (heading or connector label).
    pub names: Vec<String>,
    /// Whether more than one usable dialog names the Okta Devices connector.
    pub several: bool,
    /// For each form field, its one input in [`ProbeId::DialogInputs`], or why there is none to
    /// fill.
    pub inputs: Vec<(FormField, Result<usize, FieldProblem>)>,
    /// The index of the Create button (Save, in a Reauthorize dialog) in
    /// [`ProbeId::DialogButtons`], if found.
    pub create: Option<usize>,
    /// Whether it is an existing connection's Reauthorize dialog: then the nickname is neither
    /// asked nor filled.
    pub reauthorize: bool,
}

/// Why a field of the dialog cannot be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// No input of the dialog is labelled for it.
    Missing,
    /// More than one input of the dialog is: the helper does not guess which.
    Several,
    /// Its input cannot be seen.
    Hidden,
    /// Its input cannot be used.
    Disabled,
    /// The Client Secret's input does not hide what is typed (`type="password"`).
    NotPassword,
}

impl FieldProblem {
    /// The problem in words, after the field's label.
    pub fn describe(self) -> &'static str {
        match self {
            FieldProblem::Missing => "could not be found in the dialog",
            FieldProblem::Several => "appears more than once in the dialog",
            FieldProblem::Hidden => "is hidden",
            FieldProblem::Disabled => "is disabled",
            FieldProblem::NotPassword => "does not hide what is typed (it is not a password field)",
        }
    }
}

impl DialogReading {
    /// Whether the dialog is the Okta Devices connector's: one of its names is an exact form of
    /// the connector's, and none names it inside anything longer.
    pub fn is_okta_devices(&self) -> bool {
        okta_devices_names(&self.names)
    }
}

/// See [`DialogReading::is_okta_devices`].
fn okta_devices_names(names: &[String]) -> bool {
    let exact = |name: &String| {
        OKTA_DEVICES_DIALOG_NAMES
            .iter()
            .any(|form| squash(form) == squash(name))
    };
    let mentions = |name: &&String| squash(name).contains(&squash(OKTA_DEVICES_CONNECTOR));
    names.iter().any(exact) && names.iter().filter(mentions).all(exact)
}

/// Reads the connection dialog, or `None` when no usable dialog is open: the one usable dialog
/// that names the Okta Devices connector (else the first usable one, to say whose it is), and
/// only that dialog's fields, each checked to be one, visible, usable, and for the secret, a
/// password field.
pub fn read_connection_dialog(facts: &PageFacts) -> Option<DialogReading> {
    let text = |item: &ProbeItem, name: &str| item.get(name).cloned().flatten().unwrap_or_default();
    let usable = |item: &ProbeItem| text(item, field::USABLE) == "usable";
    let dialogs: Vec<(usize, Vec<String>)> = facts
        .probe(ProbeId::ConnectionDialog)?
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| usable(item))
        .map(|(index, item)| {
            let names = [field::DIALOG_NAME, field::DIALOG_HEADING, field::CONNECTOR]
                .iter()
                .map(|name| text(item, name))
                .filter(|name| !name.trim().is_empty())
                .collect();
            (index, names)
        })
        .collect();
    let matching: Vec<&(usize, Vec<String>)> = dialogs
        .iter()
        .filter(|(_, names)| okta_devices_names(names))
        .collect();
    let (index, names) = matching.first().copied().or(dialogs.first())?.clone();
    let items = |id| {
        facts
            .probe(id)
            .map(|r| r.items.as_slice())
            .unwrap_or_default()
    };
    let in_dialog = |item: &&ProbeItem| text(item, field::DIALOG) == index.to_string();
    let inputs = items(ProbeId::DialogInputs);
    let input_for = |form_field: FormField, label: &str| -> Result<usize, FieldProblem> {
        let wanted = squash(label);
        // Every input of this dialog that is labelled for the field, however a person finds its
        // label (a required field's label may end in "*"), or named or identified by it.
        let labelled = |input: &ProbeItem| {
            text(input, field::INPUT_LABELS)
                .lines()
                .any(|label| squash(label).trim_end_matches('*') == wanted)
        };
        let mut candidates: Vec<usize> = Vec::new();
        for (at, input) in inputs.iter().enumerate() {
            if in_dialog(&input)
                && (labelled(input)
                    || squash(&text(input, field::INPUT_NAME)) == wanted
                    || squash(&text(input, field::INPUT_ID)) == wanted)
            {
                candidates.push(at);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let at = match candidates.as_slice() {
            [] => return Err(FieldProblem::Missing),
            [one] => *one,
            _ => return Err(FieldProblem::Several),
        };
        match text(&inputs[at], field::USABLE).as_str() {
            "usable" => {}
            "disabled" => return Err(FieldProblem::Disabled),
            _ => return Err(FieldProblem::Hidden),
        }
        if form_field == FormField::ClientSecret
            && !text(&inputs[at], field::INPUT_TYPE).eq_ignore_ascii_case("password")
        {
            return Err(FieldProblem::NotPassword);
        }
        Ok(at)
    };
    let reauthorize = names
        .iter()
        .any(|name| squash(name).starts_with(&squash(REAUTHORIZE_WORD)));
    let button_label = if reauthorize {
        SAVE_BUTTON_LABEL
    } else {
        CREATE_BUTTON_LABEL
    };
    let create = items(ProbeId::DialogButtons).iter().position(|item| {
        in_dialog(&item)
            && usable(item)
            && squash(&text(item, field::BUTTON_TEXT)) == squash(button_label)
    });
    Some(DialogReading {
        index,
        names,
        several: matching.len() > 1,
        inputs: FORM_LABELS
            .iter()
            // A Reauthorize dialog keeps the connection's own nickname.
            .filter(|(form_field, _)| !(reauthorize && *form_field == FormField::Nickname))
            .map(|(form_field, label)| (*form_field, input_for(*form_field, label)))
            .collect(),
        create,
        reauthorize,
    })
}

/// What the agent looks for on the Okta API Scopes tab (and only there), by meaning: every scope id any connector
/// profile names, as the whole text of an element; its row, by Okta's `data-se` hook first, then by
/// table, ARIA and list roles, then as one of a run of like blocks; and the row's controls.
pub fn scope_scan() -> ScanSpec {
    let mut names: Vec<String> = Vec::new();
    for profile in crate::scopes::PROFILES {
        for scope in profile.scopes {
            if !names.iter().any(|name| name == scope.id) {
                names.push(scope.id.to_ascii_lowercase());
            }
        }
    }
    ScanSpec {
        names,
        rows: SCOPE_ROW_SELECTORS
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        controls: CONTROL_SELECTOR.to_owned(),
        max_depth: 6,
        path_prefix: APP_PATH_PREFIX.to_owned(),
        hash: AppTab::OktaApiScopes.fragment().to_owned(),
        tab_fragments: AppTab::ALL
            .iter()
            .map(|tab| tab.fragment().to_owned())
            .collect(),
        tab_selector: APP_TAB_SELECTORS.join(", "),
        tab_label: AppTab::OktaApiScopes.label().to_owned(),
    }
}

/// Where the page report starts: the app page's tab panel (Okta's hook, then its ARIA role), else
/// the page's main area, else the whole body.
pub fn report_roots() -> Vec<String> {
    [
        "[data-se=\"tab-panel\"]",
        "[role=\"tabpanel\"]",
        "main",
        "body",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// Row-like containers, most specific first: Okta's hook, then table rows, ARIA rows, list items.
const SCOPE_ROW_SELECTORS: [&str; 5] = [
    "[data-se=\"scope-row\"]",
    "tr",
    "[role=\"row\"]",
    "li",
    "[role=\"listitem\"]",
];

/// What counts as a control in a row: buttons, switches, checkboxes and links, by tag or role.
const CONTROL_SELECTOR: &str = "button, [role=\"button\"], [role=\"switch\"], [role=\"checkbox\"], \
     input[type=\"checkbox\"], input[type=\"button\"], input[type=\"submit\"], a[href], [role=\"link\"]";

/// The words and hooks that say whether a row's scope is granted, as data. Okta's `data-se` hooks
/// are the first, most specific rule; then the words an admin reads on a control or in the row.
/// Words are compared as whole phrases, lower case, on ASCII letters: a label in another language
/// says nothing, and a row that says nothing the helper knows is "can't confirm".
pub mod words {
    /// `data-se` of a control that grants the scope.
    pub const GRANT_HOOKS: [&str; 1] = ["grant-button"];
    /// `data-se` of a control that revokes it.
    pub const REVOKE_HOOKS: [&str; 1] = ["revoke-button"];
    /// The verb of a control that grants (its name is the verb, alone or with the scope id).
    pub const GRANT: [&str; 1] = ["grant"];
    /// The verb of a control that revokes.
    pub const REVOKE: [&str; 1] = ["revoke"];
    /// Phrases that say the scope is granted, on a status or a control.
    pub const GRANTED: [&str; 4] = [
        "granted",
        "granted automatically",
        "auto granted",
        "automatically granted",
    ];
    /// Phrases that say it is not.
    pub const NOT_GRANTED: [&str; 3] = ["not granted", "revoked", "ungranted"];
}

/// What one control or text of a row says about the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    Granted,
    NotGranted,
}

/// A phrase as lower-case words of ASCII letters and digits (scope ids kept whole).
fn phrase(text: &str) -> String {
    text.to_ascii_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a control's name says: a verb alone, or with the row's own scope id after it.
fn verb_of(name: &str, scope: &str) -> Option<Signal> {
    let said = phrase(name);
    let (verb, rest) = said.split_once(' ').unwrap_or((&said, ""));
    if !(rest.is_empty() || rest == scope) {
        return None;
    }
    if words::GRANT.contains(&verb) {
        Some(Signal::NotGranted) // it offers Grant
    } else if words::REVOKE.contains(&verb) {
        Some(Signal::Granted) // it offers Revoke
    } else {
        None
    }
}

/// What a status phrase says.
fn status_of(text: &str) -> Option<Signal> {
    let said = phrase(text);
    if words::GRANTED.contains(&said.as_str()) {
        Some(Signal::Granted)
    } else if words::NOT_GRANTED.contains(&said.as_str()) {
        Some(Signal::NotGranted)
    } else {
        None
    }
}

/// Every signal one control gives, and whether it is the row's way to grant.
fn control_signals(control: &Control, scope: &str) -> (Vec<Signal>, bool) {
    if control.hidden {
        return (Vec::new(), false); // nobody sees it: it says nothing
    }
    // A switch or checkbox shows its state, usable or not; its name is only its label.
    match control.checked.as_deref() {
        Some("true") => return (vec![Signal::Granted], false),
        Some("false") => return (vec![Signal::NotGranted], !control.disabled),
        Some(_) => return (vec![Signal::Granted, Signal::NotGranted], false), // "mixed"
        None => {}
    }
    let verb = verb_of(&control.name, scope);
    let status = status_of(&control.name);
    // A pressed toggle named for granting, or "Granted", says by its state whether it is granted.
    if let Some(pressed) = control.pressed.as_deref() {
        if verb == Some(Signal::NotGranted) || status == Some(Signal::Granted) {
            return match pressed {
                "true" => (vec![Signal::Granted], false),
                "false" => (vec![Signal::NotGranted], !control.disabled),
                _ => (vec![Signal::Granted, Signal::NotGranted], false),
            };
        }
    }
    // A status on a control (a disabled "Granted" button) says its state, usable or not.
    let mut signals: Vec<Signal> = status.into_iter().collect();
    // An action says something only when it can be used: a disabled Grant may mean "granted" or
    // "not yours to grant", and the helper does not guess which.
    if control.disabled {
        return (signals, false);
    }
    let hook = control.hook.as_deref().and_then(|hook| {
        if words::GRANT_HOOKS.contains(&hook) {
            Some(Signal::NotGranted)
        } else if words::REVOKE_HOOKS.contains(&hook) {
            Some(Signal::Granted)
        } else {
            None
        }
    });
    signals.extend(hook);
    signals.extend(verb);
    let grants = hook == Some(Signal::NotGranted) || verb == Some(Signal::NotGranted);
    (signals, grants)
}

/// What a scanned row says: granted, not granted, or, when its signals conflict or none is known,
/// unclear; and its control that grants, if any.
pub fn read_row(row: &ScanRow) -> (RowState, Option<u32>) {
    let mut signals = Vec::new();
    let mut grant_control = None;
    for (index, control) in row.controls.iter().enumerate() {
        let (said, grants) = control_signals(control, &row.name);
        signals.extend(said);
        if grants && grant_control.is_none() {
            grant_control = u32::try_from(index).ok();
        }
    }
    signals.extend(row.texts.iter().filter_map(|text| status_of(text)));
    let granted = signals.contains(&Signal::Granted);
    let not_granted = signals.contains(&Signal::NotGranted);
    match (granted, not_granted) {
        (true, false) => (RowState::Granted, None),
        (false, true) => (RowState::NotGranted, grant_control),
        _ => (RowState::Unclear, None),
    }
}

/// Reads the Okta API Scopes tab out of the facts: the rows the scan found, each read by
/// [`read_row`].
pub fn read_scope_table(facts: &PageFacts) -> TableReading {
    let table_found = facts
        .probe(ProbeId::ScopeTable)
        .is_some_and(|result| !result.items.is_empty());
    let rows = facts.scan.as_deref().unwrap_or_default();
    if rows.is_empty() {
        let looked_for =
            "rows whose own text is a scope id (by Okta's data-se hooks, table and ARIA rows, list items, or repeated blocks)"
                .to_owned();
        return if table_found {
            TableReading::Empty { looked_for }
        } else {
            TableReading::NotFound { looked_for }
        };
    }
    TableReading::Rows(
        rows.iter()
            .enumerate()
            .map(|(index, row)| {
                let (state, grant_control) = read_row(row);
                ScopeRow {
                    index,
                    name: row.name.clone(),
                    state,
                    grant_control,
                }
            })
            .collect(),
    )
}

/// One tab of the app page's tab strip, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabLink {
    /// Index of the match, for [`crate::message::ElementRef`].
    pub index: usize,
    /// The tab it is, if the helper knows it.
    pub tab: Option<AppTab>,
    /// Whether the console marks it as the open tab.
    pub selected: bool,
}

/// Reads the app page's tab strip out of the facts.
pub fn read_app_tabs(facts: &PageFacts) -> Vec<TabLink> {
    let Some(result) = facts.probe(ProbeId::AppTabs) else {
        return Vec::new();
    };
    result
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let value = |name: &str| item.get(name).cloned().flatten().unwrap_or_default();
            let href = value(field::TAB_HREF);
            let fragment = href.find('#').map(|at| &href[at..]).unwrap_or_default();
            TabLink {
                index,
                tab: AppTab::from_fragment(fragment)
                    .or_else(|| AppTab::from_label(&value(field::TAB_LABEL))),
                selected: value(field::TAB_SELECTED) == "true",
            }
        })
        .collect()
}

fn probe(id: ProbeId, selectors: &[&str], fields: Vec<FieldRead>) -> Probe {
    Probe {
        id,
        selectors: selectors.iter().map(|s| (*s).to_owned()).collect(),
        labels: Vec::new(),
        fields,
    }
}

fn part(name: &str, selector: &str, read: Read) -> FieldRead {
    FieldRead {
        name: name.to_owned(),
        selector: Some(selector.to_owned()),
        read,
    }
}

fn own(name: &str, read: Read) -> FieldRead {
    FieldRead {
        name: name.to_owned(),
        selector: None,
        read,
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Facts as the agent would report them, for tests across the crate.
    use super::*;
    use crate::message::{PageLocation, ProbeResult};

    fn items(rows: &[&[(&str, &str)]]) -> Vec<ProbeItem> {
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
                    .collect()
            })
            .collect()
    }

    /// Facts of `path#hash` on acme's Admin Console with the given probe answers.
    pub fn facts(path: &str, hash: &str, probes: Vec<ProbeResult>) -> PageFacts {
        PageFacts {
            seq: 1,
            location: PageLocation {
                host: "acme-admin.okta.com".into(),
                path: path.into(),
                hash: hash.into(),
            },
            probes,
            scan: None,
            clicks: 0,
        }
    }

    /// The scopes table's container, as Okta's hook finds it.
    pub fn scope_table() -> Vec<ProbeResult> {
        vec![ProbeResult {
            id: ProbeId::ScopeTable,
            matched: Some(0),
            items: vec![ProbeItem::new()],
        }]
    }

    /// A control as the demo console's rows have them: a visible, usable button.
    pub fn button(name: &str, hook: Option<&str>) -> Control {
        Control {
            name: name.into(),
            role: "button".into(),
            hook: hook.map(str::to_owned),
            disabled: false,
            hidden: false,
            pressed: None,
            checked: None,
        }
    }

    /// A scanned row of `name` with these controls and texts, as in a table with Okta's hooks.
    pub fn row(name: &str, controls: Vec<Control>, texts: &[&str]) -> ScanRow {
        ScanRow {
            name: name.into(),
            hook: Some("scope-row".into()),
            matched: Some(0),
            place: "document".into(),
            controls,
            texts: texts.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    /// The demo console's rows: Revoke for each granted `(name, true)`, Grant otherwise.
    pub fn scanned(rows: &[(&str, bool)]) -> Vec<ScanRow> {
        rows.iter()
            .map(|(name, granted)| {
                let control = if *granted {
                    button("Revoke", Some("revoke-button"))
                } else {
                    button("Grant", Some("grant-button"))
                };
                row(name, vec![control], &[])
            })
            .collect()
    }

    /// The Okta Devices form's labels and input ids.
    pub const FULL_FORM: [(&str, &str); 4] = [
        ("Connection Nickname", "nickname"),
        ("Domain *", "domain"),
        ("Client ID", "clientId"),
        ("Client Secret", "clientSecret"),
    ];

    /// Facts of acme's Workflows console with a connection dialog: its heading and `(label, input id)`s.
    pub fn connection_dialog(heading: &str, labels: &[(&str, &str)]) -> PageFacts {
        let in_dialog = |mut item: Vec<(&'static str, String)>| {
            item.push((field::DIALOG, "0".to_owned()));
            item.push((field::USABLE, "usable".to_owned()));
            item.into_iter()
                .map(|(k, v)| (k.to_owned(), Some(v)))
                .collect::<ProbeItem>()
        };
        let input_items = labels
            .iter()
            .map(|(label, id)| {
                let kind = if *id == "clientSecret" {
                    "password"
                } else {
                    "text"
                };
                in_dialog(vec![
                    (field::INPUT_LABELS, (*label).to_owned()),
                    (field::INPUT_ID, (*id).to_owned()),
                    (field::INPUT_TYPE, kind.to_owned()),
                ])
            })
            .collect();
        let result = |id, items| ProbeResult {
            id,
            matched: Some(0),
            items,
        };
        PageFacts {
            seq: 4,
            location: PageLocation {
                host: "acme.workflows.okta.com".into(),
                path: "/app/connections".into(),
                hash: String::new(),
            },
            probes: vec![
                result(
                    ProbeId::ConnectionDialog,
                    items(&[&[(field::DIALOG_HEADING, heading), (field::USABLE, "usable")]]),
                ),
                result(ProbeId::DialogInputs, input_items),
                result(
                    ProbeId::DialogButtons,
                    vec![
                        in_dialog(vec![(field::BUTTON_TEXT, "Cancel".to_owned())]),
                        in_dialog(vec![(field::BUTTON_TEXT, " Create ".to_owned())]),
                    ],
                ),
            ],
            scan: None,
            clicks: 0,
        }
    }

    /// An app tab strip with the given tab selected.
    pub fn app_tabs(selected: AppTab) -> ProbeResult {
        ProbeResult {
            id: ProbeId::AppTabs,
            matched: Some(0),
            items: AppTab::ALL
                .iter()
                .map(|tab| {
                    ProbeItem::from([
                        (field::TAB_LABEL.into(), Some(tab.label().to_owned())),
                        (field::TAB_HREF.into(), Some(tab.fragment().to_owned())),
                        (
                            field::TAB_SELECTED.into(),
                            Some((*tab == selected).to_string()),
                        ),
                    ])
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(not(target_arch = "wasm32"))] // the generator uses serde_json, a host dependency
    fn the_agent_reads_ahead_with_what_the_overlay_asks_for() {
        let line = agent_read_ahead();
        assert!(line.len() > 100, "{line}");
        assert!(
            include_str!("../extension/agent-panel.js").contains(&line),
            "extension/agent-panel.js must hold this line, as generated from the rules here:\n{line}"
        );
    }

    #[test]
    fn the_agent_mounts_the_panel_where_these_rules_want_it() {
        let line = agent_panel_places();
        assert!(
            include_str!("../extension/agent.js").contains(&line),
            "extension/agent.js must hold this line, as generated from the rules here:\n{line}"
        );
    }

    use super::fixtures::*;
    use super::*;

    const APP: &str = "/admin/app/flow/instance/0oa1/";

    fn read(rows: Vec<ScanRow>) -> Vec<(RowState, Option<u32>)> {
        let mut facts = facts(APP, "", scope_table());
        facts.scan = Some(rows);
        let TableReading::Rows(rows) = read_scope_table(&facts) else {
            panic!("expected rows");
        };
        rows.iter()
            .map(|row| (row.state, row.grant_control))
            .collect()
    }

    fn state(controls: Vec<Control>, texts: &[&str]) -> RowState {
        read(vec![row("okta.devices.manage", controls, texts)])[0].0
    }

    #[test]
    fn okta_hooks_read_granted_from_revoke_and_missing_from_grant() {
        let mut facts = facts(APP, "", scope_table());
        facts.scan = Some(scanned(&[
            ("okta.users.read", true),
            ("okta.devices.manage", false),
        ]));
        let TableReading::Rows(rows) = read_scope_table(&facts) else {
            panic!("expected rows");
        };
        assert_eq!(rows[0].state, RowState::Granted);
        assert_eq!(rows[1].state, RowState::NotGranted);
        assert_eq!(rows[1].name, "okta.devices.manage");
        assert_eq!(rows[1].index, 1);
        assert_eq!(rows[1].grant_control, Some(0));
        // The hook reads a console in another language too.
        assert_eq!(
            state(vec![button("Accorder", Some("grant-button"))], &[]),
            RowState::NotGranted
        );
    }

    #[test]
    fn controls_are_read_as_a_person_reads_them() {
        let hidden = |mut control: Control| {
            control.hidden = true;
            control
        };
        let disabled = |mut control: Control| {
            control.disabled = true;
            control
        };
        let switch = |checked: &str, disabled: bool| Control {
            role: "switch".into(),
            checked: Some(checked.into()),
            disabled,
            ..button("Granted", None)
        };
        let toggle = |pressed: &str| Control {
            pressed: Some(pressed.into()),
            ..button("Grant", None)
        };
        // Words, without hooks.
        assert_eq!(
            state(vec![button("Grant", None)], &[]),
            RowState::NotGranted
        );
        assert_eq!(state(vec![button("Revoke", None)], &[]), RowState::Granted);
        assert_eq!(
            state(vec![button("Grant okta.devices.manage", None)], &[]),
            RowState::NotGranted,
            "an icon button's label names the verb and the row's scope"
        );
        assert_eq!(
            state(vec![button("Grant okta.devices.read", None)], &[]),
            RowState::Unclear,
            "a label naming another scope is not this row's"
        );
        // A hidden control says nothing; a hidden Revoke beside a visible Grant is not a grant.
        assert_eq!(
            state(
                vec![
                    button("Grant", Some("grant-button")),
                    hidden(button("Revoke", Some("revoke-button")))
                ],
                &[]
            ),
            RowState::NotGranted
        );
        assert_eq!(
            state(vec![hidden(button("Revoke", None))], &[]),
            RowState::Unclear
        );
        // A disabled action says nothing; a disabled status still says its state.
        assert_eq!(
            state(vec![disabled(button("Grant", Some("grant-button")))], &[]),
            RowState::Unclear
        );
        assert_eq!(
            state(vec![disabled(button("Granted", None))], &[]),
            RowState::Granted
        );
        // Switches, checkboxes and pressed toggles show their state.
        assert_eq!(state(vec![switch("true", false)], &[]), RowState::Granted);
        assert_eq!(
            state(vec![switch("false", false)], &[]),
            RowState::NotGranted
        );
        assert_eq!(state(vec![switch("true", true)], &[]), RowState::Granted);
        assert_eq!(state(vec![switch("mixed", false)], &[]), RowState::Unclear);
        assert_eq!(state(vec![toggle("true")], &[]), RowState::Granted);
        assert_eq!(state(vec![toggle("false")], &[]), RowState::NotGranted);
        // Status texts in the row.
        assert_eq!(state(vec![], &["Granted"]), RowState::Granted);
        assert_eq!(
            state(vec![button("Edit", None)], &["Not granted"]),
            RowState::NotGranted
        );
        assert_eq!(state(vec![], &["Granted automatically"]), RowState::Granted);
    }

    #[test]
    fn conflicting_or_unknown_signals_are_unclear() {
        // Both actions visible.
        assert_eq!(
            state(vec![button("Grant", None), button("Revoke", None)], &[]),
            RowState::Unclear
        );
        // A hook that says one thing and a label that says another.
        assert_eq!(
            state(vec![button("Granted", Some("grant-button"))], &[]),
            RowState::Unclear
        );
        // A status that contradicts the action.
        assert_eq!(
            state(vec![button("Grant", None)], &["Granted"]),
            RowState::Unclear
        );
        // An unknown language, or nothing at all.
        assert_eq!(
            state(vec![button("Gew\u{e4}hren", None)], &[]),
            RowState::Unclear
        );
        assert_eq!(
            state(vec![button("\u{4ed8}\u{4e0e}", None)], &[]),
            RowState::Unclear
        );
        assert_eq!(state(vec![], &[]), RowState::Unclear);
        assert_eq!(
            state(vec![button("Grant access to everything", None)], &[]),
            RowState::Unclear
        );
    }

    #[test]
    fn the_grant_control_is_the_usable_one_that_grants() {
        let rows = read(vec![row(
            "okta.devices.manage",
            vec![
                button("Details", None),
                Control {
                    disabled: true,
                    ..button("Grant", None)
                },
                button("Grant", None),
            ],
            &[],
        )]);
        assert_eq!(rows[0], (RowState::NotGranted, Some(2)));
        let switch = Control {
            role: "switch".into(),
            checked: Some("false".into()),
            ..button("Grant okta.devices.manage", None)
        };
        assert_eq!(
            read(vec![row("okta.devices.manage", vec![switch], &[])])[0],
            (RowState::NotGranted, Some(0))
        );
    }

    #[test]
    fn missing_and_empty_tables_say_what_was_looked_for() {
        let reading = read_scope_table(&facts(APP, "", vec![]));
        assert!(
            matches!(&reading, TableReading::NotFound { looked_for } if looked_for.contains("scope id")),
            "{reading:?}"
        );
        let mut empty = facts(APP, "", scope_table());
        empty.scan = Some(vec![]);
        let reading = read_scope_table(&empty);
        assert!(
            matches!(&reading, TableReading::Empty { looked_for } if looked_for.contains("data-se")),
            "{reading:?}"
        );
    }

    #[test]
    fn the_scan_knows_its_tab_as_the_overlay_does() {
        // The agent tells the open tab by the same data `page::open_tab` reads: any tab's
        // fragment in the address, else the selected tab of the same tab strip, by its label.
        let spec = scope_scan();
        assert_eq!(spec.hash, "#tab-okta-api-scopes");
        assert_eq!(
            AppTab::from_label(&spec.tab_label),
            Some(AppTab::OktaApiScopes)
        );
        assert!(AppTab::ALL
            .iter()
            .all(|tab| spec.tab_fragments.iter().any(|f| f == tab.fragment())));
        assert_eq!(spec.tab_fragments.len(), AppTab::ALL.len());
        assert_eq!(spec.tab_selector, APP_TAB_SELECTORS.join(", "));
    }

    #[test]
    fn the_scan_looks_for_every_profiles_scopes_and_okta_hooks_first() {
        let spec = scope_scan();
        assert!(spec.names.iter().any(|n| n == "okta.devices.manage"));
        assert!(spec.names.iter().any(|n| n == "openid"));
        let mut unique = spec.names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), spec.names.len(), "each name once");
        assert_eq!(spec.rows[0], "[data-se=\"scope-row\"]");
        assert!(spec.controls.contains("[role=\"switch\"]"));
    }

    /// A one-shot read of `id` that found these fields, each `(value, id, name)`.
    fn value_read(id: ProbeId, fields: &[(&str, &str, &str)]) -> Vec<crate::message::ProbeResult> {
        let attr = |value: &str| (!value.is_empty()).then(|| value.to_owned());
        vec![crate::message::ProbeResult {
            id,
            matched: Some(1),
            items: fields
                .iter()
                .map(|(value, input_id, name)| {
                    ProbeItem::from([
                        (field::VALUE.to_owned(), Some((*value).to_owned())),
                        (field::INPUT_ID.to_owned(), attr(input_id)),
                        (field::INPUT_NAME.to_owned(), attr(name)),
                    ])
                })
                .collect(),
        }]
    }

    #[test]
    fn one_field_is_read_and_none_is_nothing() {
        let one = value_read(ProbeId::ClientSecretValue, &[("s3cret", "secret", "")]);
        assert_eq!(
            read_value(&one, ProbeId::ClientSecretValue),
            Ok(Some("s3cret".to_owned()))
        );
        assert_eq!(read_value(&one, ProbeId::ClientIdValue), Ok(None));
        let none = value_read(ProbeId::ClientSecretValue, &[]);
        assert_eq!(read_value(&none, ProbeId::ClientSecretValue), Ok(None));
    }

    #[test]
    fn two_fields_answering_to_one_label_are_refused_and_named() {
        let two = value_read(
            ProbeId::ClientSecretValue,
            &[
                ("old-secret", "client-secret-field", "client_secret"),
                ("new-secret", "", "client_secret_2"),
                ("third", "", ""),
            ],
        );
        let refused = read_value(&two, ProbeId::ClientSecretValue);
        assert_eq!(
            refused,
            Err(ConflictingFields {
                label: "Client secret",
                fields: vec![
                    "#client-secret-field".to_owned(),
                    "name=\"client_secret_2\"".to_owned(),
                    "field 3 of 3 (no id or name)".to_owned(),
                ],
            }),
            "neither value is taken"
        );
        let said = refused.err().map(|conflict| conflict.describe());
        assert_eq!(
            said.as_deref(),
            Some(
                "3 fields on this page answer to \"Client secret\" (#client-secret-field, \
                 name=\"client_secret_2\", field 3 of 3 (no id or name)), and the helper does not \
                 guess which to read."
            )
        );
        let ids = value_read(
            ProbeId::ClientIdValue,
            &[("0oa1", "a", ""), ("0oa2", "b", "")],
        );
        assert_eq!(
            read_value(&ids, ProbeId::ClientIdValue).map_err(|conflict| conflict.label),
            Err("Client ID")
        );
    }

    #[test]
    fn capture_reads_say_which_field_they_read() {
        for probe in capture_probes() {
            let names: Vec<&str> = probe.fields.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(
                names,
                [field::VALUE, field::INPUT_ID, field::INPUT_NAME],
                "{:?}",
                probe.id
            );
            assert_eq!(
                probe.labels.len(),
                1,
                "{:?} has its label fallback",
                probe.id
            );
        }
    }

    #[test]
    fn tabs_are_known_by_fragment_or_by_label() {
        let facts = facts(APP, "", vec![app_tabs(AppTab::SignOn)]);
        let tabs = read_app_tabs(&facts);
        assert_eq!(tabs.len(), 4);
        assert_eq!(tabs[2].tab, Some(AppTab::OktaApiScopes));
        assert!(tabs[1].selected && !tabs[0].selected);
        assert_eq!(
            AppTab::from_label("  okta API  scopes "),
            Some(AppTab::OktaApiScopes)
        );
        assert_eq!(AppTab::from_fragment("#tab-unknown"), None);
    }
}
