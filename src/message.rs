//! The one message type spoken between the page agent, the overlay and the service worker.
//!
//! Every message crosses a `chrome.runtime` port or `sendMessage` as a plain object with one key,
//! its kind, holding its body: `{"facts": {...}}`. (Externally tagged on purpose: serde decodes that
//! without buffering, where a `kind` field inside the body would cost the Wasm module tens of
//! kilobytes.) Whatever arrives is decoded into [`Message`] before anything acts on it, and
//! decoding is strict: an unknown kind, a second kind, a missing field or a field of the wrong type
//! is an error, so a message that is not what the sender meant is rejected rather than
//! half-understood. (Unknown extra fields are rejected natively; in the extension, the codec
//! (`web::codec`) reads only the fields a message has, so extras are never read at all.)
//!
//! The agent side is plain JavaScript (`extension/agent.js`); it builds and reads these same
//! shapes, and the JSON examples in this module's tests pin them.

use crate::api::{ApiContext, ApiReport};
use crate::credentials::{Credentials, Secret};
use crate::flow::{FlowEvent, FlowRecord};
use crate::vault::VaultLookup;
use serde::{Deserialize, Serialize};

/// Everything any part of the extension sends to another.
///
/// Variants only the page agent sends are never encoded here, and variants only the page agent
/// receives are never decoded here; marking them so keeps their codecs out of the Wasm module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Message {
    /// Overlay → agent: the probes to answer now and after every change of the page.
    #[serde(skip_deserializing)] // only the page agent receives it
    Watch {
        /// What to read; see [`crate::page_rules`].
        probes: Vec<Probe>,
    },
    /// Agent → overlay: what the probes found.
    #[serde(skip_serializing)] // only the page agent sends it
    Facts(PageFacts),
    /// Overlay → agent: how to lay out the overlay frame and what to highlight.
    #[serde(skip_deserializing)] // only the page agent receives it
    Apply(PagePlan),
    /// Overlay → agent: scroll an element of the page into view.
    #[serde(skip_deserializing)] // only the page agent receives it
    ScrollIntoView {
        /// The element, as found by the last facts.
        target: ElementRef,
    },
    /// Overlay → agent: click an element of the page (a console tab, say) for the admin.
    #[serde(skip_deserializing)] // only the page agent receives it
    Click {
        /// The element, as found by the last facts.
        target: ElementRef,
    },
    /// Overlay → agent: read these probes once and answer with [`Message::ReadResult`]. For
    /// values that must not be watched, such as the client secret.
    #[serde(skip_deserializing)] // only the page agent receives it
    ReadOnce {
        /// Echoed in the answer.
        request: u32,
        /// What to read.
        probes: Vec<Probe>,
    },
    /// Agent → overlay: the answer to [`Message::ReadOnce`].
    #[serde(skip_serializing)] // only the page agent sends it
    ReadResult {
        /// The request answered.
        request: u32,
        /// One answer per probe.
        probes: Vec<ProbeResult>,
    },
    /// Overlay → agent: fill form fields, all or none, as the admin would type them.
    #[serde(skip_deserializing)] // only the page agent receives it
    Fill {
        /// Echoed in the answer.
        request: u32,
        /// The facts the targets come from; a stale fill is refused.
        seq: u64,
        /// Field and value, in order.
        fields: Vec<FillValue>,
    },
    /// Agent → overlay: what became of a [`Message::Fill`].
    #[serde(skip_serializing)] // only the page agent sends it
    FillResult {
        /// The request answered.
        request: u32,
        /// Whether the agent's facts were still those of the request; if not, nothing was filled.
        current: bool,
        /// Indexes into the request's fields whose element was not found; if any, nothing was
        /// filled.
        missing: Vec<u32>,
        /// Indexes of fields that did not keep their value after filling.
        unconfirmed: Vec<u32>,
    },
    /// Overlay → service worker: the checklist's state, for the toolbar badge.
    Summary {
        /// Scopes seen missing.
        missing: u32,
        /// Scopes the helper could not confirm either way.
        unconfirmed: u32,
    },
    /// Overlay → service worker: keep captured credentials. Answered by [`Message::VaultState`].
    VaultPut {
        /// What was captured.
        credentials: Credentials,
    },
    /// Overlay or popup → service worker: what the vault holds, for one org or all.
    VaultQuery {
        /// The org, or `None` for every org.
        org_domain: Option<String>,
    },
    /// Overlay → service worker: the credentials themselves, to fill a form. Answered by
    /// [`Message::VaultCredentials`] or [`Message::Refused`].
    VaultTake {
        /// The org.
        org_domain: String,
    },
    /// Overlay or popup → service worker: forget an org's credentials now.
    VaultClear {
        /// The org.
        org_domain: String,
    },
    /// Service worker → asker: what the vault holds (never the secret).
    VaultState {
        /// One entry per org asked about.
        lookups: Vec<VaultLookup>,
    },
    /// Service worker → overlay: credentials for a fill.
    VaultCredentials {
        /// The credentials.
        credentials: Credentials,
    },
    /// Overlay → service worker: a step of the flow happened.
    FlowNote {
        /// What happened.
        event: FlowEvent,
    },
    /// Overlay or popup → service worker: where the admin stands, per org.
    FlowQuery {},
    /// Service worker → asker: where the admin stands, per org.
    FlowState {
        /// One record per org seen.
        orgs: Vec<FlowRecord>,
    },
    /// Overlay → service worker: check the org through Okta's API (grants, role, assignment).
    /// Answered by [`Message::ApiReport`].
    ApiCheck {
        /// How and what to call.
        context: ApiContext,
    },
    /// Overlay → service worker: grant scopes through Okta's API, after the admin confirmed them.
    /// Answered by [`Message::ApiReport`], with the grants read again.
    ApiGrant {
        /// How to call.
        context: ApiContext,
        /// The scopes the admin confirmed.
        scopes: Vec<String>,
    },
    /// Overlay → service worker: the page hides the client secret; read the app's active secret
    /// through the API and keep it in the vault with the client id. The secret never comes back.
    /// Answered by [`Message::VaultState`].
    CaptureFromApi {
        /// How to call.
        context: ApiContext,
        /// The client id read from the page (the app's id).
        client_id: String,
    },
    /// Service worker → overlay: what the API said.
    ApiReport(ApiReport),
    /// Service worker → asker: done.
    Done {},
    /// Service worker → asker: the request was refused, and why.
    Refused {
        /// Why, in words for the admin.
        reason: String,
    },
}

/// One field to fill and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FillValue {
    /// The input.
    pub target: ElementRef,
    /// The value; a [`Secret`] so that no debug print of a message shows it.
    pub value: Secret,
}

impl Message {
    /// The message's `kind`, for logs that must not show its contents.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Watch { .. } => "watch",
            Message::Facts(_) => "facts",
            Message::Apply(_) => "apply",
            Message::ScrollIntoView { .. } => "scroll_into_view",
            Message::Click { .. } => "click",
            Message::ReadOnce { .. } => "read_once",
            Message::ReadResult { .. } => "read_result",
            Message::Fill { .. } => "fill",
            Message::FillResult { .. } => "fill_result",
            Message::Summary { .. } => "summary",
            Message::VaultPut { .. } => "vault_put",
            Message::VaultQuery { .. } => "vault_query",
            Message::VaultTake { .. } => "vault_take",
            Message::VaultClear { .. } => "vault_clear",
            Message::VaultState { .. } => "vault_state",
            Message::VaultCredentials { .. } => "vault_credentials",
            Message::FlowNote { .. } => "flow_note",
            Message::FlowQuery {} => "flow_query",
            Message::FlowState { .. } => "flow_state",
            Message::ApiCheck { .. } => "api_check",
            Message::ApiGrant { .. } => "api_grant",
            Message::CaptureFromApi { .. } => "capture_from_api",
            Message::ApiReport(_) => "api_report",
            Message::Done {} => "done",
            Message::Refused { .. } => "refused",
        }
    }
}

/// Names a probe; the agent echoes it back so facts can be matched to the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeId {
    /// The container of the Okta API Scopes table.
    ScopeTable,
    /// One item per row of the Okta API Scopes table.
    ScopeRows,
    /// One item per tab of an app instance page.
    AppTabs,
    /// The org domain in the header's user menu.
    UserMenuDomain,
    /// The Sign On tab's Client ID and Client secret fields: whether they are there, not values.
    SignOnFields,
    /// The Client ID's value (read once, on capture).
    ClientIdValue,
    /// The Client secret's value (read once, on capture).
    ClientSecretValue,
    /// The Workflows "New Connection" dialog.
    ConnectionDialog,
    /// The labels in that dialog.
    DialogLabels,
    /// The inputs in that dialog.
    DialogInputs,
    /// The buttons in that dialog.
    DialogButtons,
    /// The console's XSRF token (read once, before API calls).
    XsrfToken,
}

/// A question for the agent: "find these elements, and read these fields of each".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// Echoed back in [`ProbeResult::id`].
    pub id: ProbeId,
    /// CSS selectors tried in order; the first that matches anything wins. Alternatives let one
    /// probe cover both of the console's markups.
    pub selectors: Vec<String>,
    /// What to read from each matched element.
    pub fields: Vec<FieldRead>,
}

/// One value to read from a matched element, or from a descendant of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRead {
    /// Key of the value in [`ProbeItem`].
    pub name: String,
    /// A selector relative to the matched element; `None` reads the element itself.
    pub selector: Option<String>,
    /// What to read.
    pub read: Read,
}

/// What the agent reads from an element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Read {
    /// Its text content.
    Text,
    /// Its form value.
    Value,
    /// One attribute.
    Attr(String),
    /// Only whether it exists: `"present"`, or `null` when it does not.
    Present,
}

/// The page as the agent saw it at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFacts {
    /// Increases with every read; element references are only valid for the facts they came from.
    pub seq: u64,
    /// Where the page is.
    pub location: PageLocation,
    /// One answer per probe of the last [`Message::Watch`].
    pub probes: Vec<ProbeResult>,
}

impl PageFacts {
    /// The answer to one probe, if the agent gave one.
    pub fn probe(&self, id: ProbeId) -> Option<&ProbeResult> {
        self.probes.iter().find(|result| result.id == id)
    }
}

/// The parts of `window.location` the helper uses, already split by the browser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageLocation {
    /// `location.hostname`.
    pub host: String,
    /// `location.pathname`.
    pub path: String,
    /// `location.hash`, with its `#`, or empty.
    pub hash: String,
}

/// What one probe found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeResult {
    /// The probe answered.
    pub id: ProbeId,
    /// Index into [`Probe::selectors`] of the selector that matched, `None` if none did.
    pub matched: Option<u32>,
    /// One item per matched element, in document order.
    pub items: Vec<ProbeItem>,
}

/// The fields read from one matched element, by name; `None` where the field's element was not
/// found. On the wire it is a plain object (`{"name": "okta.devices.manage", "grant": null}`).
///
/// A list rather than a map: an item has a handful of fields, and a `BTreeMap` would bring its
/// B-tree code into the Wasm module for nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeItem(Vec<(String, Option<String>)>);

impl ProbeItem {
    /// An item without fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value read for `name`: `None` if the item has no such field, `Some(None)` if the
    /// field's element was not found.
    pub fn get(&self, name: &str) -> Option<&Option<String>> {
        self.0
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value)
    }

    /// Sets the value read for `name`, replacing an earlier one.
    pub fn insert(&mut self, name: String, value: Option<String>) {
        match self.0.iter_mut().find(|(field, _)| *field == name) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((name, value)),
        }
    }
}

impl FromIterator<(String, Option<String>)> for ProbeItem {
    fn from_iter<I: IntoIterator<Item = (String, Option<String>)>>(fields: I) -> Self {
        let mut item = Self::new();
        for (name, value) in fields {
            item.insert(name, value);
        }
        item
    }
}

impl<const N: usize> From<[(String, Option<String>); N]> for ProbeItem {
    fn from(fields: [(String, Option<String>); N]) -> Self {
        fields.into_iter().collect()
    }
}

impl Serialize for ProbeItem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ProbeItem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = ProbeItem;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of field values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ProbeItem, A::Error> {
                let mut item = ProbeItem::new();
                while let Some((name, value)) = map.next_entry()? {
                    item.insert(name, value);
                }
                Ok(item)
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

/// Points at an element the agent found: the `index`-th match of a probe, or the element of one of
/// its fields (`part`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementRef {
    /// Which probe matched it.
    pub probe: ProbeId,
    /// Which of the probe's matches.
    pub index: u32,
    /// The [`FieldRead::name`] whose element is meant, or `None` for the match itself.
    pub part: Option<String>,
}

/// What the overlay wants the page to look like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagePlan {
    /// The [`PageFacts::seq`] this plan was made from; the agent skips highlights of stale plans.
    pub seq: u64,
    /// Size and place of the overlay frame.
    pub layout: Layout,
    /// Elements to mark with `data-okta-helper`; every other mark is removed.
    pub highlights: Vec<Highlight>,
}

/// An element to mark, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Highlight {
    /// The element.
    pub target: ElementRef,
    /// The mark: the value of its `data-okta-helper` attribute.
    pub mark: Mark,
}

/// Why an element is marked; the value of `data-okta-helper`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Something the admin must still do: a scope to grant.
    Missing,
    /// The admin's next click: Create, after a fill.
    Next,
}

/// How the agent shows the overlay frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Layout {
    /// No frame at all: the page is not one the helper works on.
    Hidden,
    /// A small button in the corner.
    Launcher {
        /// Frame width in CSS pixels.
        width: u32,
        /// Frame height in CSS pixels.
        height: u32,
    },
    /// The open panel, docked in the corner; the agent reserves its width beside the page so the
    /// panel never covers the page's content.
    Panel {
        /// Frame width in CSS pixels.
        width: u32,
        /// Frame height in CSS pixels.
        height: u32,
    },
}

/// Why a message was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rejected a malformed message: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(value: serde_json::Value) -> Result<Message, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn facts_decode_from_the_shape_the_agent_sends() {
        let message = decode(json!({"facts": {
            "seq": 3,
            "location": {"host": "acme-admin.okta.com", "path": "/admin/app/flow/instance/0oa1/", "hash": "#tab-general"},
            "probes": [{"id": "scope_rows", "matched": 0, "items": [{"name": "okta.devices.manage", "grant": "present", "revoke": null}]}]
        }}))
        .expect("valid facts");
        let Message::Facts(facts) = message else {
            panic!("expected facts, got {message:?}");
        };
        let rows = facts.probe(ProbeId::ScopeRows).expect("rows answered");
        assert_eq!(
            rows.items[0].get("grant"),
            Some(&Some("present".to_owned()))
        );
        assert_eq!(rows.items[0].get("revoke"), Some(&None));
        assert_eq!(rows.items[0].get("absent"), None);
    }

    #[test]
    fn probe_items_are_plain_objects_both_ways() {
        let item: ProbeItem =
            serde_json::from_value(json!({"name": "x", "grant": null})).expect("item");
        assert_eq!(item.get("name"), Some(&Some("x".to_owned())));
        assert_eq!(item.get("grant"), Some(&None));
        assert_eq!(
            serde_json::to_value(&item).expect("encodes"),
            json!({"name": "x", "grant": null})
        );
        // A later value for the same field replaces the earlier one, as in a map.
        let item = ProbeItem::from([
            ("name".to_owned(), Some("a".to_owned())),
            ("name".to_owned(), Some("b".to_owned())),
        ]);
        assert_eq!(item.get("name"), Some(&Some("b".to_owned())));
        assert!(serde_json::from_value::<ProbeItem>(json!(["name", "x"])).is_err());
        assert!(serde_json::from_value::<ProbeItem>(json!({"name": 3})).is_err());
    }

    #[test]
    fn plans_encode_to_the_shape_the_agent_reads() {
        let plan = Message::Apply(PagePlan {
            seq: 4,
            layout: Layout::Panel {
                width: 340,
                height: 420,
            },
            highlights: vec![Highlight {
                target: ElementRef {
                    probe: ProbeId::ScopeRows,
                    index: 2,
                    part: Some("grant".into()),
                },
                mark: Mark::Missing,
            }],
        });
        assert_eq!(
            serde_json::to_value(&plan).expect("encodes"),
            json!({"apply": {
                "seq": 4,
                "layout": {"panel": {"width": 340, "height": 420}},
                "highlights": [{"target": {"probe": "scope_rows", "index": 2, "part": "grant"}, "mark": "missing"}]
            }})
        );
        let watch = serde_json::to_value(Message::Watch {
            probes: vec![Probe {
                id: ProbeId::AppTabs,
                selectors: vec!["a".into()],
                fields: vec![
                    FieldRead {
                        name: "href".into(),
                        selector: None,
                        read: Read::Attr("href".into()),
                    },
                    FieldRead {
                        name: "label".into(),
                        selector: None,
                        read: Read::Text,
                    },
                ],
            }],
        })
        .expect("encodes");
        let fields = &watch["watch"]["probes"][0]["fields"];
        assert_eq!(fields[0]["read"], json!({"attr": "href"}));
        assert_eq!(fields[1]["read"], json!("text"));
        let kind = Message::Watch { probes: vec![] }.kind();
        assert!(watch.get(kind).is_some(), "the key is the kind");
        let hidden = serde_json::to_value(Message::Apply(PagePlan {
            seq: 1,
            layout: Layout::Hidden,
            highlights: vec![],
        }))
        .expect("encodes");
        assert_eq!(hidden["apply"]["layout"], json!("hidden"));
    }

    #[test]
    fn fill_values_never_show_in_debug_output() {
        let fill = Message::Fill {
            request: 1,
            seq: 2,
            fields: vec![FillValue {
                target: ElementRef {
                    probe: ProbeId::DialogInputs,
                    index: 3,
                    part: None,
                },
                value: Secret::new("q7XvR2b9LwT4nK8sYp3ZcH6mJd1FgA5eUoIiWrBt"),
            }],
        };
        assert!(!format!("{fill:?}").contains("q7XvR2b9"));
        let json = serde_json::to_value(&fill).expect("encodes");
        assert_eq!(
            json["fill"]["fields"][0]["value"],
            "q7XvR2b9LwT4nK8sYp3ZcH6mJd1FgA5eUoIiWrBt"
        );
    }

    #[test]
    fn malformed_messages_are_rejected() {
        for bad in [
            json!(null),
            json!("facts"),
            json!({}),
            json!({"unknown": {}}),
            json!({"facts": {}}),
            json!({"facts": {"seq": -1, "location": {"host": "", "path": "", "hash": ""}, "probes": []}}),
            json!({"facts": {"seq": 1, "location": {"host": ""}, "probes": []}}),
            json!({"kind": "facts", "seq": 1, "location": {"host": "", "path": "", "hash": ""}, "probes": []}),
            json!({"summary": {"missing": 1}}),
            json!({"summary": {"missing": 1, "unconfirmed": 0, "secret": "x"}}),
            json!({"summary": {"missing": 1, "unconfirmed": 0}, "done": {}}),
            json!({"apply": {"seq": 1, "layout": {"fullscreen": {}}, "highlights": []}}),
            json!({"click": {"target": {"probe": "window", "index": 0, "part": null}}}),
            json!({"vault_take": {}}),
            json!({"vault_put": {"credentials": {"org_domain": "a", "client_id": "b"}}}),
            json!({"fill": {"request": 1, "seq": 1, "fields": [{"target": null, "value": "x"}]}}),
        ] {
            assert!(decode(bad.clone()).is_err(), "{bad} must be rejected");
        }
    }
}
