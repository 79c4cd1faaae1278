//! Every rule for reading the Okta consoles' pages, in one place.
//!
//! Nobody on this project can look at a real org, so the markup below is taken from public
//! sources (Okta's `data-se` test hooks, its URL shapes) and may be wrong for some orgs or change
//! with a console release. When it does, the fix belongs here and nowhere else: the page agent
//! has no selectors of its own, it only answers the [`Probe`]s listed here, and the rest of the
//! crate reads the answers through the functions below.

pub use crate::api::WORKFLOWS_OAUTH_APP_NAME;
use crate::message::{FieldRead, PageFacts, Probe, ProbeId, ProbeItem, Read};
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
    /// Scope row: the scope's id, e.g. `okta.devices.manage`.
    pub const SCOPE_NAME: &str = "name";
    /// Scope row: the Grant button, present while the scope is not granted.
    pub const GRANT_BUTTON: &str = "grant";
    /// Scope row: the Revoke button, present while the scope is granted.
    pub const REVOKE_BUTTON: &str = "revoke";
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
    /// Label: its text.
    pub const LABEL_TEXT: &str = "text";
    /// Label: its `for` attribute.
    pub const LABEL_FOR: &str = "for";
    /// Input: its `id`.
    pub const INPUT_ID: &str = "id";
    /// Input: its `aria-label`.
    pub const INPUT_ARIA_LABEL: &str = "aria_label";
    /// Input: its `name`.
    pub const INPUT_NAME: &str = "name";
    /// Button: its text.
    pub const BUTTON_TEXT: &str = "text";
}

/// The scopes table's container; probed separately so "no table" and "empty table" differ.
const SCOPE_TABLE_SELECTORS: [&str; 1] = ["[data-se=\"scopes-table\"]"];
/// The rows of the scopes table.
const SCOPE_ROW_SELECTORS: [&str; 1] = ["[data-se=\"scopes-table\"] [data-se=\"scope-row\"]"];
const SCOPE_NAME_SELECTOR: &str = "[data-se=\"scope-name\"]";
const GRANT_BUTTON_SELECTOR: &str = "[data-se=\"grant-button\"]";
const REVOKE_BUTTON_SELECTOR: &str = "[data-se=\"revoke-button\"]";
/// The tab strip of an app instance page.
const APP_TAB_SELECTORS: [&str; 1] = ["[data-se=\"app-tabs\"] [role=\"tab\"]"];
/// The header's user menu, which shows the org domain (Okta's own Selenium hooks).
const USER_MENU_SELECTORS: [&str; 1] = ["[data-se=\"admin-header--user-menu\"]"];
const USER_MENU_DOMAIN_SELECTOR: &str = "[data-se=\"user-menu--org-domain\"]";
/// The Sign On tab's credential fields: Courage form wrappers around the inputs.
const CLIENT_ID_FIELD: &str = "[data-se=\"o-form-input-client_id\"]";
const CLIENT_SECRET_FIELD: &str = "[data-se=\"o-form-input-client_secret\"]";
/// The Workflows console's connection dialog.
const CONNECTION_DIALOG_SELECTORS: [&str; 1] = ["[role=\"dialog\"]"];
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
/// The dialog's button that creates the connection.
pub const CREATE_BUTTON_LABEL: &str = "Create";
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

/// The probes the overlay asks the agent to watch on every console page. They never read a
/// value that could be secret; see [`capture_probes`] for those.
pub fn watch_probes() -> Vec<Probe> {
    vec![
        probe(ProbeId::ScopeTable, &SCOPE_TABLE_SELECTORS, vec![]),
        probe(
            ProbeId::ScopeRows,
            &SCOPE_ROW_SELECTORS,
            vec![
                part(field::SCOPE_NAME, SCOPE_NAME_SELECTOR, Read::Text),
                part(field::GRANT_BUTTON, GRANT_BUTTON_SELECTOR, Read::Present),
                part(field::REVOKE_BUTTON, REVOKE_BUTTON_SELECTOR, Read::Present),
            ],
        ),
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
        probe(
            ProbeId::SignOnFields,
            &[CLIENT_SECRET_FIELD],
            vec![part(field::CLIENT_SECRET, "input", Read::Present)],
        ),
        probe(
            ProbeId::ConnectionDialog,
            &CONNECTION_DIALOG_SELECTORS,
            vec![
                own(field::DIALOG_NAME, Read::Attr("aria-label".into())),
                part(field::DIALOG_HEADING, DIALOG_HEADING_SELECTOR, Read::Text),
                part(field::CONNECTOR, CONNECTOR_NAME_SELECTOR, Read::Text),
            ],
        ),
        probe(
            ProbeId::DialogLabels,
            &["[role=\"dialog\"] label"],
            vec![
                own(field::LABEL_TEXT, Read::Text),
                own(field::LABEL_FOR, Read::Attr("for".into())),
            ],
        ),
        probe(
            ProbeId::DialogInputs,
            &["[role=\"dialog\"] input"],
            vec![
                own(field::INPUT_ID, Read::Attr("id".into())),
                own(field::INPUT_ARIA_LABEL, Read::Attr("aria-label".into())),
                own(field::INPUT_NAME, Read::Attr("name".into())),
            ],
        ),
        probe(
            ProbeId::DialogButtons,
            &["[role=\"dialog\"] button"],
            vec![own(field::BUTTON_TEXT, Read::Text)],
        ),
    ]
}

/// The probes read once when the admin clicks Capture: the credentials' values.
pub fn capture_probes() -> Vec<Probe> {
    let value_of = |id, wrapper: &str| Probe {
        id,
        selectors: vec![format!("{wrapper} input")],
        fields: vec![own(field::VALUE, Read::Value)],
    };
    vec![
        value_of(ProbeId::ClientIdValue, CLIENT_ID_FIELD),
        value_of(ProbeId::ClientSecretValue, CLIENT_SECRET_FIELD),
    ]
}

/// Where the page agent finds the console's XSRF token when it sends an API request: Okta's
/// hidden `#_xsrfToken` element, which the console's own scripts and public admin-console tools
/// read. The agent reads it at the moment of each request and puts it in the request's header;
/// it never crosses a message.
pub fn xsrf_token_selectors() -> Vec<String> {
    vec!["#_xsrfToken".to_owned()]
}

/// The first value a one-shot probe read, if its element was found.
pub fn read_value(probes: &[crate::message::ProbeResult], id: ProbeId) -> Option<String> {
    probes
        .iter()
        .find(|result| result.id == id)
        .and_then(|result| result.items.first())
        .and_then(|item| item.get(field::VALUE).cloned().flatten())
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
    /// The connector the dialog is for, as the dialog names it (heading or connector label).
    pub names: Vec<String>,
    /// For each form field, the index of its input in [`ProbeId::DialogInputs`], if found.
    pub inputs: Vec<(FormField, Option<usize>)>,
    /// The index of the Create button in [`ProbeId::DialogButtons`], if found.
    pub create: Option<usize>,
}

impl DialogReading {
    /// Whether the dialog is the Okta Devices connector's.
    pub fn is_okta_devices(&self) -> bool {
        let wanted = squash(OKTA_DEVICES_CONNECTOR);
        self.names.iter().any(|name| squash(name).contains(&wanted))
    }
}

/// Reads the connection dialog, or `None` when no dialog is open.
pub fn read_connection_dialog(facts: &PageFacts) -> Option<DialogReading> {
    let dialog = facts.probe(ProbeId::ConnectionDialog)?.items.first()?;
    let text = |item: &ProbeItem, name: &str| item.get(name).cloned().flatten().unwrap_or_default();
    let names = [field::DIALOG_NAME, field::DIALOG_HEADING, field::CONNECTOR]
        .iter()
        .map(|name| text(dialog, name))
        .filter(|name| !name.trim().is_empty())
        .collect();
    let items = |id| {
        facts
            .probe(id)
            .map(|r| r.items.as_slice())
            .unwrap_or_default()
    };
    let labels = items(ProbeId::DialogLabels);
    let inputs = items(ProbeId::DialogInputs);
    let input_for = |label: &str| -> Option<usize> {
        let wanted = squash(label);
        // A <label for=id>, else an input whose aria-label or name is the label.
        labels
            .iter()
            .filter(|item| squash(&text(item, field::LABEL_TEXT)).trim_end_matches('*') == wanted)
            .find_map(|item| {
                let target = text(item, field::LABEL_FOR);
                inputs
                    .iter()
                    .position(|input| !target.is_empty() && text(input, field::INPUT_ID) == target)
            })
            .or_else(|| {
                inputs.iter().position(|input| {
                    squash(&text(input, field::INPUT_ARIA_LABEL)) == wanted
                        || squash(&text(input, field::INPUT_NAME)) == wanted
                })
            })
    };
    let create = items(ProbeId::DialogButtons)
        .iter()
        .position(|item| squash(&text(item, field::BUTTON_TEXT)) == squash(CREATE_BUTTON_LABEL));
    Some(DialogReading {
        names,
        inputs: FORM_LABELS
            .iter()
            .map(|(form_field, label)| (*form_field, input_for(label)))
            .collect(),
        create,
    })
}

/// Reads the Okta API Scopes table out of the facts.
pub fn read_scope_table(facts: &PageFacts) -> TableReading {
    let table_found = facts
        .probe(ProbeId::ScopeTable)
        .is_some_and(|result| !result.items.is_empty());
    let rows = facts
        .probe(ProbeId::ScopeRows)
        .map(|result| result.items.as_slice())
        .unwrap_or_default();
    if !table_found && rows.is_empty() {
        return TableReading::NotFound {
            looked_for: SCOPE_TABLE_SELECTORS.join(" or "),
        };
    }
    if rows.is_empty() {
        return TableReading::Empty {
            looked_for: SCOPE_ROW_SELECTORS.join(" or "),
        };
    }
    TableReading::Rows(
        rows.iter()
            .enumerate()
            .map(|(index, item)| scope_row(index, item))
            .collect(),
    )
}

/// One row: Grant alone means not granted, Revoke alone means granted, anything else is unclear.
fn scope_row(index: usize, item: &ProbeItem) -> ScopeRow {
    let has = |name: &str| item.get(name).is_some_and(Option::is_some);
    let state = match (has(field::GRANT_BUTTON), has(field::REVOKE_BUTTON)) {
        (true, false) => RowState::NotGranted,
        (false, true) => RowState::Granted,
        _ => RowState::Unclear,
    };
    ScopeRow {
        index,
        name: item
            .get(field::SCOPE_NAME)
            .cloned()
            .flatten()
            .unwrap_or_default(),
        state,
    }
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
        }
    }

    /// A scopes table with one row per `(name, granted)`.
    pub fn scope_table(rows: &[(&str, bool)]) -> Vec<ProbeResult> {
        let items = rows
            .iter()
            .map(|(name, granted)| {
                let present = |yes: bool| yes.then(|| "present".to_owned());
                ProbeItem::from([
                    (field::SCOPE_NAME.into(), Some((*name).to_owned())),
                    (field::GRANT_BUTTON.into(), present(!granted)),
                    (field::REVOKE_BUTTON.into(), present(*granted)),
                ])
            })
            .collect();
        vec![
            ProbeResult {
                id: ProbeId::ScopeTable,
                matched: Some(0),
                items: vec![ProbeItem::new()],
            },
            ProbeResult {
                id: ProbeId::ScopeRows,
                matched: Some(0),
                items,
            },
        ]
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
        let label_items: Vec<Vec<(&str, &str)>> = labels
            .iter()
            .map(|(text, id)| vec![(field::LABEL_TEXT, *text), (field::LABEL_FOR, *id)])
            .collect();
        let label_refs: Vec<&[(&str, &str)]> = label_items.iter().map(Vec::as_slice).collect();
        let input_items: Vec<Vec<(&str, &str)>> = labels
            .iter()
            .map(|(_, id)| vec![(field::INPUT_ID, *id)])
            .collect();
        let input_refs: Vec<&[(&str, &str)]> = input_items.iter().map(Vec::as_slice).collect();
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
                    items(&[&[(field::DIALOG_HEADING, heading)]]),
                ),
                result(ProbeId::DialogLabels, items(&label_refs)),
                result(ProbeId::DialogInputs, items(&input_refs)),
                result(
                    ProbeId::DialogButtons,
                    items(&[
                        &[(field::BUTTON_TEXT, "Cancel")],
                        &[(field::BUTTON_TEXT, " Create ")],
                    ]),
                ),
            ],
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
    use super::fixtures::*;
    use super::*;
    use crate::message::ProbeResult;

    const APP: &str = "/admin/app/flow/instance/0oa1/";

    #[test]
    fn rows_read_granted_from_revoke_and_missing_from_grant() {
        let facts = facts(
            APP,
            "",
            scope_table(&[("okta.users.read", true), ("okta.devices.manage", false)]),
        );
        let TableReading::Rows(rows) = read_scope_table(&facts) else {
            panic!("expected rows");
        };
        assert_eq!(rows[0].state, RowState::Granted);
        assert_eq!(rows[1].state, RowState::NotGranted);
        assert_eq!(rows[1].name, "okta.devices.manage");
        assert_eq!(rows[1].index, 1);
    }

    #[test]
    fn a_row_with_both_or_neither_button_is_unclear() {
        let mut probes = scope_table(&[("okta.devices.manage", false), ("okta.users.read", true)]);
        probes[1].items[0].insert(field::REVOKE_BUTTON.into(), Some("present".into()));
        probes[1].items[1].insert(field::REVOKE_BUTTON.into(), None);
        let TableReading::Rows(rows) = read_scope_table(&facts(APP, "", probes)) else {
            panic!("expected rows");
        };
        assert_eq!(rows[0].state, RowState::Unclear);
        assert_eq!(rows[1].state, RowState::Unclear);
    }

    #[test]
    fn missing_and_empty_tables_say_what_was_looked_for() {
        let reading = read_scope_table(&facts(APP, "", vec![]));
        assert!(
            matches!(&reading, TableReading::NotFound { looked_for } if looked_for.contains("scopes-table")),
            "{reading:?}"
        );
        let empty = vec![ProbeResult {
            id: ProbeId::ScopeTable,
            matched: Some(0),
            items: vec![ProbeItem::new()],
        }];
        let reading = read_scope_table(&facts(APP, "", empty));
        assert!(
            matches!(&reading, TableReading::Empty { looked_for } if looked_for.contains("scope-row")),
            "{reading:?}"
        );
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

    #[test]
    fn probes_name_every_field_the_readers_use() {
        let probes = watch_probes();
        let rows = probes
            .iter()
            .find(|p| p.id == ProbeId::ScopeRows)
            .expect("row probe");
        let names: Vec<_> = rows.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [field::SCOPE_NAME, field::GRANT_BUTTON, field::REVOKE_BUTTON]
        );
    }
}
