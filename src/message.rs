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
//! The agent side is plain JavaScript (`extension/agent-panel.js`); it builds and reads these same
//! shapes, and the JSON examples in this module's tests pin them.

use crate::confirm::{Answer, Question};
use crate::credentials::{Credentials, Secret};
use crate::flow::{FlowEvent, FlowRecord};
use crate::org::OrgLookup;
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
        /// What to look for by meaning, on the pages where the overlay wants it.
        scan: Option<ScanSpec>,
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
    /// Overlay → agent: describe the page's scope area for a report the admin can share.
    /// Answered by [`Message::ReportText`].
    #[serde(skip_deserializing)] // only the page agent receives it
    ReadReport {
        /// Echoed in the answer.
        request: u32,
        /// Selectors of the area to describe, tried in order.
        roots: Vec<String>,
        /// Names that may be quoted as they are (the scope ids).
        names: Vec<String>,
    },
    /// Agent → overlay: the page report: the area's skeleton, with no value and no text but
    /// control labels and scope ids (see `pageReport` in `extension/agent-panel.js`).
    #[serde(skip_serializing)] // only the page agent sends it
    ReportText {
        /// The request answered.
        request: u32,
        /// The report.
        text: String,
    },
    /// Overlay → agent: fill form fields, all or none, as the admin would type them.
    #[serde(skip_deserializing)] // only the page agent receives it
    Fill {
        /// Echoed in the answer.
        request: u32,
        /// The facts the targets come from; a stale fill is refused.
        seq: u64,
        /// The dialog every field must be inside, visible, when the agent types.
        dialog: ElementRef,
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
        /// The check that failed as the agent was about to type, if one did: then nothing was
        /// filled.
        refused: Option<FillCheck>,
    },
    /// Agent → overlay: the frame moved on the page (by the page's doing, or the window's), so
    /// the panel's buttons are not where the admin last saw them.
    #[serde(skip_serializing)] // only the page agent sends it
    FrameMoved {},
    /// Overlay → service worker: the checklist's state, for the toolbar badge.
    Summary {
        /// Scopes seen missing.
        missing: u32,
        /// Scopes the helper could not confirm either way.
        unconfirmed: u32,
        /// Whether the connector cannot work in this org at all (a Classic Engine org).
        blocked: bool,
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
        /// For credentials of another org than the Workflows console's: what the admin typed to
        /// confirm, for this one fill. The worker compares it with the org of the sender's tab.
        confirmed_for: Option<String>,
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
    /// Overlay → agent: make one request of the org's API from the page, as the console itself
    /// does. Answered by [`Message::ApiAnswer`].
    #[serde(skip_deserializing)] // only the page agent receives it
    ApiFetch(ApiFetch),
    /// Agent → overlay: what became of an [`Message::ApiFetch`].
    #[serde(skip_serializing)] // only the page agent sends it
    ApiAnswer(ApiAnswer),
    /// Overlay → service worker: the org's public metadata. Answered by [`Message::OrgMetadata`].
    /// (The worker derives the org from the sender's tab, never from the message.)
    OrgQuery {},
    /// Service worker → overlay: the org's public metadata, or why it could not be read.
    OrgMetadata {
        /// What was learned.
        lookup: OrgLookup,
    },
    /// Overlay → service worker: hold a question for the toolbar popup, where this browser
    /// cannot tell whether the admin could see the panel (see [`crate::confirm`]).
    ConfirmAsk {
        /// Random, made by the overlay.
        id: String,
        /// What the click would do, in the admin's words.
        what: String,
    },
    /// Overlay → service worker: where its question stands. Answered by
    /// [`Message::ConfirmState`].
    ConfirmPoll {
        /// The question's id.
        id: String,
    },
    /// Service worker → overlay: where its question stands.
    ConfirmState {
        /// The answer, if any.
        answer: Answer,
    },
    /// Popup → service worker: the questions waiting for the admin. Answered by
    /// [`Message::ConfirmList`].
    ConfirmQuery {},
    /// Service worker → popup: the questions waiting for the admin.
    ConfirmList {
        /// Oldest first.
        questions: Vec<Question>,
    },
    /// Popup → service worker: the admin's answer to a question.
    ConfirmAnswer {
        /// The question's id.
        id: String,
        /// Confirmed or declined.
        yes: bool,
    },
    /// Page agent → service worker, in Firefox: the token the agent put in its overlay frame's
    /// address, registered before it offers that frame its channel (see [`crate::agent_channel`]).
    /// The worker takes it only from the top frame of a console tab, as the browser reports the
    /// sender. Answered by [`Message::Done`] or [`Message::Refused`].
    #[serde(skip_serializing)] // only the page agent sends it
    ChannelRegister {
        /// The token in the frame's address.
        token: String,
    },
    /// Overlay → service worker, in Firefox: whether the channel offered with this token comes
    /// from the page agent of the overlay's own tab. Answered by [`Message::Done`] (yes, once) or
    /// [`Message::Refused`].
    ChannelClaim {
        /// The token in the overlay's own address, which the offer carried.
        token: String,
    },
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
    /// Whether the input must be a password field (`type="password"`), checked again by the agent
    /// as it types.
    pub password: bool,
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
            Message::ReadReport { .. } => "read_report",
            Message::ReportText { .. } => "report_text",
            Message::Fill { .. } => "fill",
            Message::FillResult { .. } => "fill_result",
            Message::FrameMoved {} => "frame_moved",
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
            Message::ApiFetch(_) => "api_fetch",
            Message::ApiAnswer(_) => "api_answer",
            Message::OrgQuery { .. } => "org_query",
            Message::OrgMetadata { .. } => "org_metadata",
            Message::ConfirmAsk { .. } => "confirm_ask",
            Message::ConfirmPoll { .. } => "confirm_poll",
            Message::ConfirmState { .. } => "confirm_state",
            Message::ConfirmQuery {} => "confirm_query",
            Message::ConfirmList { .. } => "confirm_list",
            Message::ConfirmAnswer { .. } => "confirm_answer",
            Message::ChannelRegister { .. } => "channel_register",
            Message::ChannelClaim { .. } => "channel_claim",
            Message::Done {} => "done",
            Message::Refused { .. } => "refused",
        }
    }
}

/// A check the agent makes of every field at the moment it types, and that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FillCheck {
    /// The field, by its index in the request's fields; `None` for the dialog itself.
    pub field: Option<u32>,
    /// What failed: `gone` (no longer on the page), `outside` (not in the dialog), `hidden`,
    /// `disabled`, `not_password`, or `not_input`.
    pub check: String,
}

/// Names a probe; the agent echoes it back so facts can be matched to the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeId {
    /// The container of the Okta API Scopes table.
    ScopeTable,
    /// The rows the scan found on the Okta API Scopes tab (for element references only: rows
    /// are found by meaning, not by a probe).
    ScopeScan,
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
    /// The inputs in that dialog.
    DialogInputs,
    /// The buttons in that dialog.
    DialogButtons,
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
    /// When no selector matches: form fields whose visible label is one of these (compared
    /// loosely: case and whitespace), by their `<label>`, `aria-label`, `aria-labelledby`, or the
    /// term or header cell beside them. The match then reports index `selectors.len()`.
    pub labels: Vec<String>,
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
    /// The texts it is labelled by, as a person finds them (its `<label>`s, whether by `for` or
    /// around it, `aria-label`, `aria-labelledby`, or the term or header cell beside it), one per
    /// line, with whitespace collapsed.
    Labels,
    /// Whether a person could use it: `"usable"`, `"hidden"` (not rendered, invisible, of no
    /// size, or inside something `hidden`, `aria-hidden` or `inert`) or `"disabled"`.
    Usable,
    /// The position, among the elements this read's probe of that id matched, of the one that
    /// contains it (`"0"`, `"1"`, …), or `null`: which dialog a field is in, say.
    Within(ProbeId),
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
    /// The rows the last [`Message::Watch`]'s scan found, in the order found; `None` when it
    /// asked for no scan.
    #[serde(default)]
    pub scan: Option<Vec<ScanRow>>,
    /// How many clicks the page has had: a change the rows may not show (a page the helper
    /// cannot read still changes when the admin clicks Grant).
    #[serde(default)]
    pub clicks: u32,
}

/// What the agent looks for by meaning: elements whose whole text is one of `names`, the row each
/// sits in, and that row's controls and short texts. The agent holds no rule of its own: what a
/// row and a control are comes from here, and what they mean is read in [`crate::page_rules`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSpec {
    /// The names to find, lower case: an element counts when its whole text, without soft
    /// hyphens and zero-width characters and with whitespace collapsed, is one of them.
    pub names: Vec<String>,
    /// Selectors of row-like containers, tried on each ancestor of a name, nearest first; an
    /// ancestor that is one of a run of like siblings is a row too.
    pub rows: Vec<String>,
    /// One selector of the controls to read in a row.
    pub controls: String,
    /// How many levels above the name a row may be.
    pub max_depth: u32,
    /// Where to scan: pages whose path starts with this, on the tab whose fragment is `hash` (the
    /// scan costs the page more than the probes, so it runs only where the overlay needs it).
    /// The tab is told as the overlay tells it (`page::open_tab`): by the address's fragment if
    /// it names a tab, else by the tab strip's selected tab.
    pub path_prefix: String,
    /// See [`ScanSpec::path_prefix`].
    pub hash: String,
    /// Every fragment that names an app tab: one of these in the address decides the tab.
    pub tab_fragments: Vec<String>,
    /// The tab strip's tabs (one selector), read when the address names no tab: the selected one
    /// (`aria-selected="true"`) is open.
    pub tab_selector: String,
    /// The scanned tab's label, compared as `text::squash` compares (whitespace and case aside),
    /// for a selected tab whose link names no tab.
    pub tab_label: String,
}

/// A row the scan found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanRow {
    /// The name found (one of [`ScanSpec::names`]).
    pub name: String,
    /// The row's `data-se` hook, if it has one.
    pub hook: Option<String>,
    /// Which of [`ScanSpec::rows`] the row matched; `None` when it is one of a run of like
    /// siblings.
    pub matched: Option<u32>,
    /// Where it was: `document`, `shadow` (an open shadow root) or `frame` (a same-origin frame).
    pub place: String,
    /// Its controls, in document order.
    pub controls: Vec<Control>,
    /// Its short visible texts besides the name and the controls (status words, say).
    pub texts: Vec<String>,
}

/// A control in a scanned row, as a person perceives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// Its accessible name: `aria-label`, `aria-labelledby`, its labels, its text or `title`.
    pub name: String,
    /// Its role: the `role` attribute, else the input type or the tag name.
    pub role: String,
    /// Its `data-se` hook, if it has one.
    pub hook: Option<String>,
    /// `disabled`, `aria-disabled`, or inside something inert.
    pub disabled: bool,
    /// Not rendered, invisible, or `hidden`/`aria-hidden`.
    pub hidden: bool,
    /// `aria-pressed`, if set.
    pub pressed: Option<String>,
    /// `aria-checked`, or a checkbox's `checked`.
    pub checked: Option<String>,
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

impl ProbeResult {
    /// Overwrites every value read with zeros: a read of the Sign On tab holds the client secret,
    /// and memory freed with it would otherwise keep a copy.
    pub fn wipe(&mut self) {
        use zeroize::Zeroize;
        for item in &mut self.items {
            for (_, value) in &mut item.0 {
                value.zeroize();
            }
        }
    }
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

/// The HTTP methods the page agent carries; it refuses every other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HttpMethod {
    /// A read.
    #[serde(rename = "GET")]
    Get,
    /// A grant.
    #[serde(rename = "POST")]
    Post,
}

/// One request for the page agent to make of the org's API, from the page's own origin.
///
/// The agent checks it before sending anything: `GET` or `POST` only, a path under `/api/v1/` on
/// `location.origin` that the browser's URL parser leaves unchanged, a body only with `POST`. It
/// reads the console's XSRF token from the page at the moment it sends, so the token never
/// crosses a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFetch {
    /// Echoed in the answer.
    pub request: u32,
    /// `GET` or `POST`.
    pub method: HttpMethod,
    /// Path and query, e.g. `/api/v1/apps/0oa1/grants`.
    pub path: String,
    /// The JSON body, as text.
    pub body: Option<String>,
    /// Selectors of the page element that holds the console's XSRF token (a page-reading rule,
    /// so it lives in [`crate::page_rules`] and travels with each request). Exactly one element
    /// may match, or nothing is sent.
    pub xsrf_token_at: Vec<String>,
    /// The token's shape, as a regular expression its whole text must match, or nothing is sent.
    pub xsrf_token_shape: String,
}

/// The page agent's answer to an [`ApiFetch`].
///
/// On the wire it also carries `body`: the answer's body, parsed as JSON by the agent (`null` when
/// there was none or [`ApiAnswer::problem`] says why not). The body is deliberately not a field of
/// this type: the overlay's transport takes it from the message as it came and reads it straight
/// into the shape the request expects (`web::transport`), instead of through a general JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiAnswer {
    /// The request answered.
    pub request: u32,
    /// The HTTP status, if an answer came at all.
    pub status: Option<u16>,
    /// The headers the helper reads.
    pub headers: ApiHeaders,
    /// Why there is no usable body, if there is none.
    pub problem: Option<TransportProblem>,
}

/// The answer headers the agent hands back; no others cross.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiHeaders {
    /// `Link` (several headers arrive joined by `, `).
    pub link: Option<String>,
    /// `X-Rate-Limit-Limit`.
    pub rate_limit_limit: Option<String>,
    /// `X-Rate-Limit-Remaining`.
    pub rate_limit_remaining: Option<String>,
    /// `X-Rate-Limit-Reset`, in seconds since the epoch.
    pub rate_limit_reset: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
}

/// Why the agent could not hand back a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportProblem {
    /// The request broke the agent's rules; nothing was sent.
    Refused,
    /// The page holds no XSRF token; nothing was sent.
    NoToken,
    /// The page holds more than one element where the token should be; nothing was sent.
    TokenAmbiguous,
    /// The token does not have a token's shape; nothing was sent.
    TokenMalformed,
    /// No answer (the network failed, or Okta answered with a redirect).
    Network,
    /// No answer in time.
    Timeout,
    /// The body is not JSON.
    NotJson,
    /// The body is over the agent's size limit.
    TooLarge,
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

    #[test]
    fn a_wiped_read_keeps_its_shape_and_none_of_its_values() {
        let mut read = ProbeResult {
            id: ProbeId::ClientSecretValue,
            matched: Some(0),
            items: vec![ProbeItem::from([
                ("value".to_owned(), Some("q7XvR2b9LwT4nK8sYp3Z".to_owned())),
                ("hidden".to_owned(), None),
            ])],
        };
        read.wipe();
        assert_eq!(read.items[0].get("value"), Some(&None));
        assert_eq!(read.items[0].get("hidden"), Some(&None));
    }

    fn decode(value: serde_json::Value) -> Result<Message, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn facts_decode_from_the_shape_the_agent_sends() {
        let message = decode(json!({"facts": {
            "seq": 3,
            "location": {"host": "acme-admin.okta.com", "path": "/admin/app/flow/instance/0oa1/", "hash": "#tab-general"},
            "probes": [{"id": "app_tabs", "matched": 0, "items": [{"label": "General", "href": "#tab-general", "selected": null}]}],
            "scan": [{"name": "okta.devices.manage", "hook": null, "matched": 1, "place": "shadow",
                      "controls": [{"name": "Grant", "role": "switch", "hook": null, "disabled": false, "hidden": false,
                                    "pressed": null, "checked": "false"}],
                      "texts": ["Not granted"]}]
        }}))
        .expect("valid facts");
        let Message::Facts(facts) = message else {
            panic!("expected facts, got {message:?}");
        };
        let tabs = facts.probe(ProbeId::AppTabs).expect("tabs answered");
        assert_eq!(
            tabs.items[0].get("label"),
            Some(&Some("General".to_owned()))
        );
        assert_eq!(tabs.items[0].get("selected"), Some(&None));
        assert_eq!(tabs.items[0].get("absent"), None);
        let scan = facts.scan.expect("a scan");
        assert_eq!(scan[0].controls[0].checked.as_deref(), Some("false"));
        assert_eq!(scan[0].place, "shadow");
        // Facts without a scan (none was asked for) say so.
        let bare = decode(
            json!({"facts": {"seq": 1, "location": {"host": "", "path": "", "hash": ""},
            "probes": [], "scan": null}}),
        )
        .expect("facts without a scan");
        assert!(matches!(bare, Message::Facts(facts) if facts.scan.is_none()));
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
                    probe: ProbeId::ScopeScan,
                    index: 2,
                    part: Some("c1".into()),
                },
                mark: Mark::Missing,
            }],
        });
        assert_eq!(
            serde_json::to_value(&plan).expect("encodes"),
            json!({"apply": {
                "seq": 4,
                "layout": {"panel": {"width": 340, "height": 420}},
                "highlights": [{"target": {"probe": "scope_scan", "index": 2, "part": "c1"}, "mark": "missing"}]
            }})
        );
        let watch = serde_json::to_value(Message::Watch {
            probes: vec![Probe {
                id: ProbeId::AppTabs,
                selectors: vec!["a".into()],
                labels: vec![],
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
            scan: Some(ScanSpec {
                names: vec!["okta.devices.manage".into()],
                rows: vec!["tr".into()],
                controls: "button".into(),
                max_depth: 6,
                path_prefix: "/admin/app/".into(),
                hash: "#tab-okta-api-scopes".into(),
                tab_fragments: vec!["#tab-general".into(), "#tab-okta-api-scopes".into()],
                tab_selector: "[role=\"tab\"]".into(),
                tab_label: "Okta API Scopes".into(),
            }),
        })
        .expect("encodes");
        let fields = &watch["watch"]["probes"][0]["fields"];
        assert_eq!(fields[0]["read"], json!({"attr": "href"}));
        assert_eq!(fields[1]["read"], json!("text"));
        assert_eq!(
            watch["watch"]["scan"],
            json!({"names": ["okta.devices.manage"], "rows": ["tr"], "controls": "button", "max_depth": 6,
                   "path_prefix": "/admin/app/", "hash": "#tab-okta-api-scopes",
                   "tab_fragments": ["#tab-general", "#tab-okta-api-scopes"],
                   "tab_selector": "[role=\"tab\"]", "tab_label": "Okta API Scopes"})
        );
        let kind = Message::Watch {
            probes: vec![],
            scan: None,
        }
        .kind();
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
    fn api_requests_and_answers_have_the_shapes_the_agent_speaks() {
        let fetch = Message::ApiFetch(ApiFetch {
            request: 3,
            method: HttpMethod::Post,
            path: "/api/v1/apps/0oa1/grants".into(),
            body: Some("{}".into()),
            xsrf_token_at: vec!["#_xsrfToken".into()],
            xsrf_token_shape: "^x$".into(),
        });
        assert_eq!(
            serde_json::to_value(&fetch).expect("encodes"),
            json!({"api_fetch": {"request": 3, "method": "POST", "path": "/api/v1/apps/0oa1/grants",
                                 "body": "{}", "xsrf_token_at": ["#_xsrfToken"], "xsrf_token_shape": "^x$"}})
        );
        // The answer's body rides beside the typed fields and is not part of the type.
        let answer = decode(
            json!({"api_answer": {"request": 3, "status": 429, "problem": null,
            "body": {"errorCode": "E0000047"},
            "headers": {"link": null, "rate_limit_limit": "1200", "rate_limit_remaining": "0",
                        "rate_limit_reset": "1795860000", "content_type": "application/json"}}}),
        )
        .expect("an answer");
        let Message::ApiAnswer(answer) = answer else {
            panic!("expected an answer, got {answer:?}");
        };
        assert_eq!(answer.status, Some(429));
        assert_eq!(
            answer.headers.rate_limit_reset.as_deref(),
            Some("1795860000")
        );
        let refused = decode(
            json!({"api_answer": {"request": 4, "status": null, "headers": {},
            "problem": "no_token", "body": null}}),
        )
        .expect("a refusal");
        assert!(matches!(
            refused,
            Message::ApiAnswer(ApiAnswer {
                problem: Some(TransportProblem::NoToken),
                status: None,
                ..
            })
        ));
        for bad in [
            json!({"api_answer": {"request": 4, "status": 200, "headers": {}, "problem": "lost"}}),
            json!({"api_answer": {"request": -1, "status": 200, "headers": {}, "problem": null}}),
            json!({"api_answer": {"request": 4, "status": 70000, "headers": {}, "problem": null}}),
            json!({"api_answer": {"request": 4, "status": 200, "headers": {"link": 3}, "problem": null}}),
        ] {
            assert!(decode(bad.clone()).is_err(), "{bad} must be rejected");
        }
    }

    #[test]
    fn the_channels_registration_and_claim_have_the_shapes_the_agent_and_overlay_speak() {
        let token = "5c0a5b3e-8f1d-4b7a-9e2c-1d3f5a7b9c0e";
        assert_eq!(
            decode(json!({"channel_register": {"token": token}})),
            Ok(Message::ChannelRegister {
                token: token.into()
            })
        );
        let claim = Message::ChannelClaim {
            token: token.into(),
        };
        let encoded = serde_json::to_value(&claim).expect("encodes");
        assert_eq!(encoded, json!({"channel_claim": {"token": token}}));
        assert_eq!(encoded.get(claim.kind()), Some(&json!({"token": token})));
        assert_eq!(decode(encoded), Ok(claim));
        // Only the page agent registers: the extension never writes a registration.
        assert!(serde_json::to_value(Message::ChannelRegister {
            token: token.into()
        })
        .is_err());
        for bad in [
            json!({"channel_register": {}}),
            json!({"channel_register": {"token": 3}}),
            json!({"channel_register": {"token": token, "tab_id": 7}}),
            json!({"channel_claim": {"token": null}}),
        ] {
            assert!(decode(bad.clone()).is_err(), "{bad} must be rejected");
        }
    }

    #[test]
    fn fill_values_never_show_in_debug_output() {
        let fill = Message::Fill {
            request: 1,
            seq: 2,
            dialog: ElementRef {
                probe: ProbeId::ConnectionDialog,
                index: 0,
                part: None,
            },
            fields: vec![FillValue {
                password: true,
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
            json!({"summary": {"missing": 1, "unconfirmed": 0, "blocked": false, "secret": "x"}}),
            json!({"summary": {"missing": 1, "unconfirmed": 0, "blocked": false}, "done": {}}),
            json!({"org_metadata": {"lookup": {"read": {"pipeline": "idx"}}, "xsrf": "t"}}),
            json!({"apply": {"seq": 1, "layout": {"fullscreen": {}}, "highlights": []}}),
            json!({"click": {"target": {"probe": "window", "index": 0, "part": null}}}),
            json!({"vault_take": {}}),
            json!({"vault_take": {"org_domain": "acme.okta.com", "confirmed_for": 3}}),
            json!({"vault_put": {"credentials": {"org_domain": "a", "client_id": "b"}}}),
            json!({"fill": {"request": 1, "seq": 1, "fields": [{"target": null, "value": "x"}]}}),
        ] {
            assert!(decode(bad.clone()).is_err(), "{bad} must be rejected");
        }
    }
}
