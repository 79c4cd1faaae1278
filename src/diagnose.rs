//! Why an Okta Devices connection fails, read from Okta's own records: the System Log query the
//! helper makes for the Okta Workflows OAuth app, the event types it relies on (one table,
//! [`EVENT_TYPES`]), the reading of each failed event into a [`Finding`], the [`Verdict`]s with the
//! one action that fixes each, and the reminder to reauthorize after a grant. No I/O: the overlay
//! sends [`LogQuery::path`] through the page agent like every other API request, and hands the
//! events back here.
//!
//! The rules refuse to guess. A failure is put down to a cause only when Okta's record names it
//! (the event type, `outcome.reason`, or the scopes in `debugContext.debugData`); every other
//! failure is shown as Okta wrote it, never dropped and never explained away. "No failures" is
//! said only with the window and the number of events that were actually searched.

use crate::scopes::is_okta_api_scope;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How far back the search goes.
pub const WINDOW_HOURS: u64 = 24;
/// Events per page of the System Log (Okta's default is 100, its maximum 1000).
pub const PAGE_LIMIT: u32 = 100;
/// The most pages read; past them, the panel says it shows the newest events only.
pub const MAX_PAGES: usize = 5;
/// What reading the System Log needs, named when Okta refuses it.
pub const LOGS_PERMISSION: &str = "okta.logs.read";

/// What an event type records, as far as a failing connection is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A request to the token endpoint (a connection getting or refreshing its token).
    TokenRequest,
    /// A request to the authorize endpoint (an admin authorizing or reauthorizing a connection).
    AuthorizeRequest,
    /// A requested scope the authorization server would not give.
    ScopeDenied,
    /// The client's credentials (its Client ID and secret) rejected.
    ClientRejected,
}

/// One event type the rules rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType {
    /// As Okta's event-type catalogue spells it.
    pub name: &'static str,
    /// What it records.
    pub kind: EventKind,
}

/// The event types the diagnosis relies on, from Okta's Event Types catalogue
/// (developer.okta.com/docs/reference/api/event-types/). The Okta Devices connector's scopes are
/// Okta API scopes, which only the org authorization server issues, so these are that server's
/// events (catalogue tag `oauth2-org-as`), plus the custom-server scope denial, which names the
/// same failure when an org routes the connector elsewhere.
pub const EVENT_TYPES: &[EventType] = &[
    EventType {
        name: "app.oauth2.token.grant",
        kind: EventKind::TokenRequest,
    },
    EventType {
        name: "app.oauth2.token.grant.access_token",
        kind: EventKind::TokenRequest,
    },
    EventType {
        name: "app.oauth2.token.grant.refresh_token",
        kind: EventKind::TokenRequest,
    },
    EventType {
        name: "app.oauth2.authorize",
        kind: EventKind::AuthorizeRequest,
    },
    EventType {
        name: "app.oauth2.authorize.code",
        kind: EventKind::AuthorizeRequest,
    },
    EventType {
        name: "app.oauth2.as.authorize.scope_denied",
        kind: EventKind::ScopeDenied,
    },
    EventType {
        name: "app.oauth2.invalid_client_credentials",
        kind: EventKind::ClientRejected,
    },
];

/// The kind of a known event type; `None` for any other.
pub fn kind_of(event_type: &str) -> Option<EventKind> {
    EVENT_TYPES
        .iter()
        .find(|known| known.name == event_type)
        .map(|known| known.kind)
}

/// One search of the System Log: the failures of the last [`WINDOW_HOURS`] that involve the app,
/// newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogQuery {
    /// The start of the window, ISO 8601 in UTC.
    pub since: String,
    /// The end of the window, ISO 8601 in UTC.
    pub until: String,
    /// The app (an OpenID Connect app's id is also its client id, the actor of its token
    /// requests).
    pub app_id: String,
}

impl LogQuery {
    /// The search for `app_id` over the [`WINDOW_HOURS`] before `now_ms` (ms since the epoch).
    pub fn new(app_id: &str, now_ms: u64) -> Self {
        let window_ms = WINDOW_HOURS * 3_600_000;
        Self {
            since: iso8601(now_ms.saturating_sub(window_ms)),
            until: iso8601(now_ms),
            app_id: app_id.to_owned(),
        }
    }

    /// Okta's filter expression: failed or denied outcomes whose actor or target is the app. Every
    /// event type is searched, so that one the table does not know is still shown.
    pub fn filter(&self) -> String {
        let app = &self.app_id;
        format!(
            "(outcome.result eq \"FAILURE\" or outcome.result eq \"DENY\") and \
             (actor.id eq \"{app}\" or target.id eq \"{app}\")"
        )
    }

    /// The first page's path and query under `/api/v1/`, newest events first. The following pages
    /// come from the `next` links Okta gives.
    pub fn path(&self) -> String {
        format!(
            "/api/v1/logs?since={}&until={}&filter={}&limit={PAGE_LIMIT}&sortOrder=DESCENDING",
            percent_encode(&self.since),
            percent_encode(&self.until),
            percent_encode(&self.filter())
        )
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for a query value.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 15)]));
        }
    }
    out
}

/// A System Log event (`LogEvent`), with the fields the diagnosis reads. Okta's schema requires
/// none of them in particular, so each may be missing; a missing one is shown as missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LogEvent {
    /// The event's id.
    pub uuid: Option<String>,
    /// When it happened, ISO 8601.
    pub published: Option<String>,
    /// Its type, e.g. `app.oauth2.token.grant`.
    pub event_type: Option<String>,
    /// Okta's own words for it.
    pub display_message: Option<String>,
    /// How it ended.
    pub outcome: Option<Outcome>,
    /// Extra data Okta recorded, e.g. the requested scopes; values as text.
    pub debug_context: Option<DebugContext>,
}

/// A `LogEvent`'s `outcome`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Outcome {
    /// `SUCCESS`, `FAILURE`, `SKIPPED`, `ALLOW`, `DENY`, `CHALLENGE` or `UNKNOWN`.
    pub result: Option<String>,
    /// Why, in Okta's words.
    pub reason: Option<String>,
}

/// A `LogEvent`'s `debugContext`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DebugContext {
    /// Free-form data, by name; every value is read as text.
    pub debug_data: DebugData,
}

/// `debugData`: `(name, value)` in Okta's order. A list rather than a map, as for the page's
/// probe items: a map's B-tree code would cost the Wasm module kilobytes for a few entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DebugData(pub Vec<(String, Text)>);

impl<'de> Deserialize<'de> for DebugData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = DebugData;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<DebugData, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Text>()? {
                    entries.push(entry);
                }
                Ok(DebugData(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// A debug value as text, whatever JSON scalar Okta wrote it as (an array or object is kept as
/// an empty text rather than failing the whole event).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyScalar;
        impl<'de> Visitor<'de> for AnyScalar {
            type Value = Text;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a value")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Text, E> {
                Ok(Text(value.to_owned()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Text, E> {
                Ok(Text(value))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Text, E> {
                Ok(Text(if value { "true" } else { "false" }.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Text, E> {
                // Whole numbers as digits; a fraction is kept as an empty text rather than
                // pulling float formatting into the module for a value the rules never read.
                Ok(if value.fract() == 0.0 && value.abs() < 9.0e15 {
                    Text((value as i64).to_string())
                } else {
                    Text::default()
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text::default())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Text::default())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Text::default())
            }
        }
        deserializer.deserialize_any(AnyScalar)
    }
}

/// What a failed event was put down to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// A scope was requested and refused; the scopes Okta's record names, if any.
    ScopeRefused(Vec<String>),
    /// The client's credentials were rejected (`invalid_client`).
    SecretRejected,
    /// The app is inactive.
    AppInactive,
    /// The user is not assigned to the app.
    NotAssigned,
    /// Nothing in Okta's record says why: shown as Okta wrote it.
    Unexplained,
}

/// One failed event, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// When, as Okta wrote it.
    pub published: String,
    /// The event type, as Okta wrote it.
    pub event_type: String,
    /// Whether the event type is in [`EVENT_TYPES`].
    pub known: bool,
    /// Okta's `displayMessage`.
    pub display_message: String,
    /// Okta's `outcome.reason`.
    pub reason: String,
    /// Every `debugData` entry about scopes, `(key, value)`, as Okta wrote them.
    pub scope_data: Vec<(String, String)>,
    /// What it is put down to.
    pub cause: Cause,
}

/// Whether a debug key names scopes (`requestedScopes`, `deniedScopes`, `scope`, …) but not
/// granted ones, which are no part of a refusal.
fn names_refused_scopes(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("scope") && !key.contains("granted")
}

/// Reads one event; `None` when it did not fail (its outcome is neither `FAILURE` nor `DENY`).
pub fn read_event(event: &LogEvent) -> Option<Finding> {
    let outcome = event.outcome.clone().unwrap_or_default();
    let result = outcome.result.as_deref().unwrap_or_default();
    if !result.eq_ignore_ascii_case("FAILURE") && !result.eq_ignore_ascii_case("DENY") {
        return None;
    }
    let event_type = event.event_type.clone().unwrap_or_default();
    let reason = outcome.reason.unwrap_or_default();
    let scope_data: Vec<(String, String)> = event
        .debug_context
        .iter()
        .flat_map(|context| &context.debug_data.0)
        .filter(|(key, value)| names_refused_scopes(key) && !value.0.trim().is_empty())
        .map(|(key, value)| (key.clone(), value.0.clone()))
        .collect();
    let kind = kind_of(&event_type);
    let reason_lower = reason.to_ascii_lowercase();
    let cause =
        if kind == Some(EventKind::ClientRejected) || reason_lower.contains("invalid_client") {
            Cause::SecretRejected
        } else if kind == Some(EventKind::ScopeDenied) || reason_lower.contains("scope") {
            Cause::ScopeRefused(scopes_in(&scope_data))
        } else if reason_lower.contains("inactive") {
            Cause::AppInactive
        } else if reason_lower.contains("not_assigned") || reason_lower.contains("not assigned") {
            Cause::NotAssigned
        } else {
            Cause::Unexplained
        };
    Some(Finding {
        published: event.published.clone().unwrap_or_default(),
        known: kind.is_some(),
        event_type,
        display_message: event.display_message.clone().unwrap_or_default(),
        reason,
        scope_data,
        cause,
    })
}

/// Every distinct Okta API scope (`okta.…`) named in the scope entries (space- or
/// comma-separated), in order. Only those are granted to an app, so only those can be refused for
/// want of a grant; OpenID Connect scopes (`openid`, `profile`, …) are Okta's own to give, and a
/// request lists them beside the ones it was refused for.
fn scopes_in(scope_data: &[(String, String)]) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for (_, value) in scope_data {
        for scope in value.split([' ', ',']).map(str::trim) {
            if is_okta_api_scope(scope) && !scopes.iter().any(|known| known == scope) {
                scopes.push(scope.to_owned());
            }
        }
    }
    scopes
}

/// A conclusion, with the one action that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Scopes were refused: each is put with what Okta's grants say of it now.
    GrantThenReauthorize {
        /// The refused scopes that are not granted now.
        to_grant: Vec<String>,
        /// The refused scopes that are granted by now: the connection needs reauthorizing only.
        granted_since: Vec<String>,
        /// The refused scopes whose grant could not be checked (the grants were unreadable).
        unchecked: Vec<String>,
        /// A refusal named no scope.
        unnamed: bool,
    },
    /// The secret was rejected.
    UpdateSecret,
    /// The app is inactive.
    AppInactive,
    /// The user is not assigned to the app.
    NotAssigned,
    /// Failures that Okta's record does not explain; how many.
    Unexplained(usize),
    /// No failure in the window.
    NothingFound,
}

impl Verdict {
    /// What the panel says, with the action.
    pub fn text(&self) -> String {
        match self {
            Verdict::GrantThenReauthorize {
                to_grant,
                granted_since,
                unchecked,
                unnamed,
            } => {
                let mut parts = Vec::new();
                if !to_grant.is_empty() {
                    parts.push(format!(
                        "Okta refused {} because it is not granted to this app. Grant it here, \
                         then reauthorize the connection in Okta Workflows (Connections \u{2192} \
                         the connection \u{2192} Reauthorize).",
                        to_grant.join(", ")
                    ));
                }
                if !granted_since.is_empty() {
                    parts.push(format!(
                        "Okta refused {}, which is granted now: reauthorize the connection in \
                         Okta Workflows (Connections \u{2192} the connection \u{2192} \
                         Reauthorize) so that it asks for it again.",
                        granted_since.join(", ")
                    ));
                }
                if !unchecked.is_empty() {
                    parts.push(format!(
                        "Okta refused {}; the helper could not read the app's grants to tell \
                         whether it is granted now. Make sure it is granted on the Okta API \
                         Scopes tab, then reauthorize the connection in Okta Workflows \
                         (Connections \u{2192} the connection \u{2192} Reauthorize).",
                        unchecked.join(", ")
                    ));
                }
                if *unnamed {
                    parts.push(
                        "Okta refused a scope without naming it. Check the Okta API Scopes tab, \
                         then reauthorize the connection in Okta Workflows."
                            .to_owned(),
                    );
                }
                parts.join(" ")
            }
            Verdict::UpdateSecret => "Okta rejected the connection's Client secret \
                (invalid_client). Capture the current secret on the Sign On tab and update the \
                connection in Okta Workflows."
                .to_owned(),
            Verdict::AppInactive => "The Okta Workflows OAuth app is inactive: Okta refuses \
                every token for it. Activate it on the app's General tab."
                .to_owned(),
            Verdict::NotAssigned => "Okta refused because the admin who authorized the \
                connection is not assigned to the Okta Workflows OAuth app. Assign them on the \
                app's Assignments tab, then reauthorize the connection."
                .to_owned(),
            Verdict::Unexplained(count) => format!(
                "{count} {} that Okta's record does not explain: see each below as Okta wrote it.",
                if *count == 1 { "failure" } else { "failures" }
            ),
            Verdict::NothingFound => String::new(),
        }
    }
}

/// The verdicts for a set of findings, most actionable first. `granted` is the app's granted
/// scopes as Okta's grants API gave them, `None` when unknown: then every refused scope is
/// `unchecked`, neither said granted nor said missing. No findings gives
/// [`Verdict::NothingFound`].
pub fn verdicts(findings: &[Finding], granted: Option<&[String]>) -> Vec<Verdict> {
    if findings.is_empty() {
        return vec![Verdict::NothingFound];
    }
    let mut refused: Vec<String> = Vec::new();
    let mut unnamed = false;
    let (mut secret, mut inactive, mut unassigned, mut unexplained) = (false, false, false, 0);
    for finding in findings {
        match &finding.cause {
            Cause::ScopeRefused(scopes) if scopes.is_empty() => unnamed = true,
            Cause::ScopeRefused(scopes) => {
                for scope in scopes {
                    if !refused.contains(scope) {
                        refused.push(scope.clone());
                    }
                }
            }
            Cause::SecretRejected => secret = true,
            Cause::AppInactive => inactive = true,
            Cause::NotAssigned => unassigned = true,
            Cause::Unexplained => unexplained += 1,
        }
    }
    let mut out = Vec::new();
    if inactive {
        out.push(Verdict::AppInactive);
    }
    if secret {
        out.push(Verdict::UpdateSecret);
    }
    if !refused.is_empty() || unnamed {
        let (mut to_grant, mut granted_since, mut unchecked) = (Vec::new(), Vec::new(), Vec::new());
        for scope in refused {
            match granted {
                None => unchecked.push(scope),
                Some(granted) if granted.contains(&scope) => granted_since.push(scope),
                Some(_) => to_grant.push(scope),
            }
        }
        out.push(Verdict::GrantThenReauthorize {
            to_grant,
            granted_since,
            unchecked,
            unnamed,
        });
    }
    if unassigned {
        out.push(Verdict::NotAssigned);
    }
    if unexplained > 0 {
        out.push(Verdict::Unexplained(unexplained));
    }
    out
}

/// What was searched, for the "nothing found" verdict and the note under every search:
/// "Searched the System Log from … to … (UTC): 0 failures for this app in 37 events read."
pub fn searched_text(query: &LogQuery, failures: usize, pages_read: usize, more: bool) -> String {
    let window = format!(
        "from {} to {}",
        display_time(&query.since).unwrap_or_else(|| query.since.clone()),
        display_time(&query.until).unwrap_or_else(|| query.until.clone())
    );
    let found = match failures {
        0 => "no failed token or authorize request, and no other failure, for this app".to_owned(),
        1 => "1 failure for this app".to_owned(),
        n => format!("{n} failures for this app"),
    };
    let mut text = format!("Searched Okta's System Log {window}: {found}.");
    if more {
        text.push_str(&format!(
            " Showing the newest {} only ({pages_read} pages); older ones were not read.",
            pages_read * PAGE_LIMIT as usize
        ));
    }
    text
}

/// The reminder for each grant newer than `last_check` (ISO 8601; `None` when the connection was
/// never checked, when every grant counts): connections authorized before a grant do not have
/// its scope. `grants` are `(scope, created)` pairs as the grants API gives them; a grant without
/// a readable `created` time gets no reminder, since its time cannot be said.
pub fn reauthorize_reminders(grants: &[(String, String)], last_check: Option<&str>) -> Vec<String> {
    let since = last_check.and_then(parse_iso8601);
    grants
        .iter()
        .filter_map(|(scope, created)| {
            let at = parse_iso8601(created)?;
            if since.is_some_and(|since| at <= since) {
                return None;
            }
            Some(format!(
                "{scope} was granted at {}. Connections authorized before then do not have it \
                 yet: reauthorize them in Okta Workflows (Connections \u{2192} the connection \
                 \u{2192} Reauthorize).",
                display_time(created)?
            ))
        })
        .collect()
}

/// What the panel says when Okta refuses the System Log: reading it needs `okta.logs.read`.
pub fn logs_refused_text() -> String {
    format!(
        "Okta refused to read the System Log (E0000006): reading it needs the {LOGS_PERMISSION} \
         permission, which your admin role does not have. Ask an admin who can view the System \
         Log (Reports \u{2192} System Log), or look there for the Okta Workflows OAuth app's \
         failures."
    )
}

/// What one diagnosis found, ready to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagnoseReport {
    /// Why the search could not be made or finished, in words for the admin; the rest is then
    /// what was read before it stopped, if anything.
    pub problem: Option<String>,
    /// The conclusions, most actionable first (none when the search failed).
    pub verdicts: Vec<Verdict>,
    /// Every failed event read, newest first, as Okta wrote it.
    pub findings: Vec<Finding>,
    /// What was searched ([`searched_text`]); empty when nothing could be searched.
    pub searched: String,
    /// The reminders to reauthorize after recent grants ([`reauthorize_reminders`]).
    pub reminders: Vec<String>,
    /// The end of the searched window: the next diagnosis's "last check".
    pub until: String,
}

impl DiagnoseReport {
    /// What the popup keeps of it: the verdicts in words, what was searched, or why nothing
    /// could be.
    pub fn summary(&self) -> DiagnosisSummary {
        DiagnosisSummary {
            at: self.until.clone(),
            verdicts: self
                .verdicts
                .iter()
                .map(|verdict| match verdict {
                    Verdict::NothingFound => "No failure found.".to_owned(),
                    other => other.text(),
                })
                .collect(),
            searched: self.searched.clone(),
            problem: self.problem.clone(),
        }
    }
}

/// The last diagnosis as the org's flow record keeps it for the popup; no secret and no event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisSummary {
    /// When it was made (the end of its window), ISO 8601.
    pub at: String,
    /// Its verdicts, in words.
    pub verdicts: Vec<String>,
    /// What was searched.
    pub searched: String,
    /// Why it could not be made, if so.
    pub problem: Option<String>,
}

impl DiagnosisSummary {
    /// The popup's line: the problem, or the verdicts and what was searched.
    pub fn detail(&self) -> String {
        match &self.problem {
            Some(problem) => problem.clone(),
            None => {
                let mut parts = self.verdicts.clone();
                if !self.searched.is_empty() {
                    parts.push(self.searched.clone());
                }
                parts.join(" ")
            }
        }
    }
}

/// What the grants API said about the app, for the verdicts and the reminders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantFacts {
    /// The scopes granted for the org's issuer, when the grants could be read.
    pub granted: Option<Vec<String>>,
    /// `(scope, created)` of every active grant for the org's issuer that says when it was made.
    pub created: Vec<(String, String)>,
}

/// Puts a diagnosis together from the events read (`pages_read` pages, `more` when the page cap
/// left some unread), the app's status as Okta's apps API gave it (`INACTIVE` is a verdict of its
/// own, whatever the log says), the app's grants, and the end of the last diagnosis's window
/// (`None` when there was none: then grants made within this window get a reminder).
pub fn assemble(
    query: &LogQuery,
    events: &[LogEvent],
    (pages_read, more): (usize, bool),
    app_status: Option<&str>,
    grants: &GrantFacts,
    last_check: Option<&str>,
) -> DiagnoseReport {
    let findings: Vec<Finding> = events.iter().filter_map(read_event).collect();
    let mut verdicts = verdicts(&findings, grants.granted.as_deref());
    if app_status == Some("INACTIVE") {
        verdicts.retain(|verdict| !matches!(verdict, Verdict::AppInactive | Verdict::NothingFound));
        verdicts.insert(0, Verdict::AppInactive);
    }
    DiagnoseReport {
        problem: None,
        verdicts,
        searched: searched_text(query, findings.len(), pages_read, more),
        findings,
        reminders: reauthorize_reminders(&grants.created, Some(last_check.unwrap_or(&query.since))),
        until: query.until.clone(),
    }
}

/// `epoch_ms` as ISO 8601 in UTC with milliseconds, as Okta writes times:
/// `2026-11-28T14:05:00.000Z`.
pub fn iso8601(epoch_ms: u64) -> String {
    let days = epoch_ms / 86_400_000;
    let in_day = epoch_ms % 86_400_000;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// An ISO 8601 time in UTC (`YYYY-MM-DDTHH:MM:SS`, optional fraction, `Z`) as ms since the epoch;
/// `None` for anything else.
pub fn parse_iso8601(text: &str) -> Option<u64> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.split('-');
    let year: u64 = date_parts.next()?.parse().ok()?;
    let month: u64 = date_parts.next()?.parse().ok()?;
    let day: u64 = date_parts.next()?.parse().ok()?;
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut clock_parts = clock.split(':');
    let hour: u64 = clock_parts.next()?.parse().ok()?;
    let minute: u64 = clock_parts.next()?.parse().ok()?;
    let second: u64 = clock_parts.next()?.parse().ok()?;
    if date_parts.next().is_some()
        || clock_parts.next().is_some()
        || !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let millis: u64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
}

/// An ISO 8601 time as the panel shows it: `2026-11-28 14:05 UTC`.
pub fn display_time(text: &str) -> Option<String> {
    let ms = parse_iso8601(text)?;
    let iso = iso8601(ms);
    Some(format!("{} {} UTC", &iso[..10], &iso[11..16]))
}

/// Days since 1970-01-01 for a date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

// The fixture follows Okta's documented `LogEvent`; it is parsed natively with serde_json.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn documented_events() -> Vec<LogEvent> {
        let path = format!(
            "{}/tests/fixtures/okta/system-log-connection-failures.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("the fixture");
        serde_json::from_str(&text).expect("Okta's LogEvent shape")
    }

    fn findings() -> Vec<Finding> {
        documented_events().iter().filter_map(read_event).collect()
    }

    #[test]
    fn the_query_covers_the_last_day_newest_first_and_passes_the_path_rule() {
        // 2026-11-28T14:05:00.000Z
        let now = 1_795_874_700_000;
        let query = LogQuery::new("0oa1wf2oauthdemo0x7q", now);
        assert_eq!(query.until, "2026-11-28T14:05:00.000Z");
        assert_eq!(query.since, "2026-11-27T14:05:00.000Z");
        let path = query.path();
        assert!(crate::api::allowed_path(&path), "{path}");
        assert!(path.starts_with(
            "/api/v1/logs?since=2026-11-27T14%3A05%3A00.000Z&until=2026-11-28T14%3A05%3A00.000Z&filter="
        ));
        assert!(path.ends_with("&limit=100&sortOrder=DESCENDING"));
        assert!(path.contains("actor.id%20eq%20%220oa1wf2oauthdemo0x7q%22"));
        assert!(path.contains("outcome.result%20eq%20%22FAILURE%22"));
    }

    #[test]
    fn a_refused_scope_names_its_scopes_and_the_secret_and_unknown_events_are_kept() {
        let found = findings();
        // The successful token grant is no failure; the other three are, in order.
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            found[0].cause,
            Cause::ScopeRefused(vec![
                "okta.devices.manage".to_owned(),
                "okta.users.read".to_owned()
            ])
        );
        assert_eq!(found[0].reason, "invalid_scope");
        assert_eq!(found[0].display_message, "OAuth2 token request");
        assert_eq!(
            found[0].scope_data,
            vec![(
                "requestedScopes".to_owned(),
                "okta.devices.manage okta.users.read".to_owned()
            )]
        );
        assert!(found[0].known);
        assert_eq!(found[1].cause, Cause::SecretRejected);
        // An event type the table does not know is shown as Okta wrote it, never dropped.
        assert_eq!(found[2].event_type, "app.oauth2.signon.future_check");
        assert!(!found[2].known);
        assert_eq!(found[2].cause, Cause::Unexplained);
        assert_eq!(found[2].display_message, "A check Okta added later");
        assert_eq!(found[2].reason, "policy_evaluation");
    }

    #[test]
    fn the_verdicts_say_the_one_action_for_each_cause() {
        let granted = vec!["okta.users.read".to_owned()];
        let verdicts = verdicts(&findings(), Some(&granted));
        assert_eq!(
            verdicts,
            vec![
                Verdict::UpdateSecret,
                Verdict::GrantThenReauthorize {
                    to_grant: vec!["okta.devices.manage".to_owned()],
                    granted_since: vec!["okta.users.read".to_owned()],
                    unchecked: vec![],
                    unnamed: false,
                },
                Verdict::Unexplained(1),
            ]
        );
        let grant = verdicts[1].text();
        assert!(grant.starts_with("Okta refused okta.devices.manage because it is not granted"));
        assert!(grant.contains("Grant it here, then reauthorize"));
        assert!(grant.contains("Okta refused okta.users.read, which is granted now"));
        assert!(verdicts[0].text().contains("Capture the current secret"));
        assert_eq!(
            verdicts[2].text(),
            "1 failure that Okta's record does not explain: see each below as Okta wrote it."
        );
    }

    #[test]
    fn unknown_grants_never_say_a_refused_scope_granted_or_missing() {
        let verdicts = verdicts(&findings()[..1], None);
        assert_eq!(
            verdicts,
            vec![Verdict::GrantThenReauthorize {
                to_grant: vec![],
                granted_since: vec![],
                unchecked: vec![
                    "okta.devices.manage".to_owned(),
                    "okta.users.read".to_owned()
                ],
                unnamed: false,
            }]
        );
        let text = verdicts[0].text();
        assert!(text.contains("could not read the app's grants"), "{text}");
        assert!(
            !text.contains("not granted") && !text.contains("granted now:"),
            "{text}"
        );
    }

    fn failed(event_type: &str, reason: &str, debug: &[(&str, &str)]) -> LogEvent {
        LogEvent {
            event_type: Some(event_type.to_owned()),
            published: Some("2026-11-28T10:00:00.000Z".to_owned()),
            outcome: Some(Outcome {
                result: Some("FAILURE".to_owned()),
                reason: Some(reason.to_owned()),
            }),
            debug_context: Some(DebugContext {
                debug_data: DebugData(
                    debug
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), Text((*v).to_owned())))
                        .collect(),
                ),
            }),
            ..LogEvent::default()
        }
    }

    #[test]
    fn causes_come_only_from_what_okta_recorded() {
        let cause = |event: LogEvent| read_event(&event).map(|f| f.cause);
        // A denial by the catalogue's scope-denied type, without scopes: refused, unnamed.
        assert_eq!(
            cause(failed("app.oauth2.as.authorize.scope_denied", "", &[])),
            Some(Cause::ScopeRefused(vec![]))
        );
        // Granted scopes are no part of a refusal.
        assert_eq!(
            cause(failed(
                "app.oauth2.token.grant",
                "insufficient_scope",
                &[
                    ("grantedScopes", "openid"),
                    ("scope", "okta.devices.manage")
                ]
            )),
            Some(Cause::ScopeRefused(vec!["okta.devices.manage".to_owned()]))
        );
        assert_eq!(
            cause(failed("app.oauth2.token.grant", "App is inactive", &[])),
            Some(Cause::AppInactive)
        );
        assert_eq!(
            cause(failed("app.oauth2.authorize", "user_not_assigned", &[])),
            Some(Cause::NotAssigned)
        );
        // A failure with no reason Okta recorded is not explained away.
        assert_eq!(
            cause(failed("app.oauth2.token.grant", "", &[])),
            Some(Cause::Unexplained)
        );
        // A success, or an event without an outcome, is no failure.
        let mut success = failed("app.oauth2.token.grant", "", &[]);
        success.outcome = Some(Outcome {
            result: Some("SUCCESS".to_owned()),
            reason: None,
        });
        assert_eq!(read_event(&success), None);
        assert_eq!(read_event(&LogEvent::default()), None);
        let verdicts = verdicts(
            &[
                read_event(&failed("app.oauth2.as.authorize.scope_denied", "", &[]))
                    .expect("a failure"),
            ],
            Some(&[]),
        );
        assert!(verdicts[0].text().contains("without naming it"));
    }

    #[test]
    fn nothing_found_is_said_with_what_was_searched() {
        assert_eq!(verdicts(&[], None), vec![Verdict::NothingFound]);
        let query = LogQuery::new("0oa1", 1_795_874_700_000);
        assert_eq!(
            searched_text(&query, 0, 1, false),
            "Searched Okta's System Log from 2026-11-27 14:05 UTC to 2026-11-28 14:05 UTC: no \
             failed token or authorize request, and no other failure, for this app."
        );
        assert!(searched_text(&query, 3, MAX_PAGES, true)
            .ends_with("Showing the newest 500 only (5 pages); older ones were not read."));
    }

    #[test]
    fn a_grant_newer_than_the_last_check_reminds_to_reauthorize_with_its_time() {
        let grants = vec![
            (
                "okta.devices.manage".to_owned(),
                "2026-11-28T14:05:00.000Z".to_owned(),
            ),
            (
                "okta.users.read".to_owned(),
                "2026-01-02T09:00:00.000Z".to_owned(),
            ),
            ("okta.groups.read".to_owned(), "not a time".to_owned()),
        ];
        let reminders = reauthorize_reminders(&grants, Some("2026-11-28T12:00:00.000Z"));
        assert_eq!(
            reminders,
            vec![
                "okta.devices.manage was granted at 2026-11-28 14:05 UTC. Connections \
                  authorized before then do not have it yet: reauthorize them in Okta Workflows \
                  (Connections \u{2192} the connection \u{2192} Reauthorize)."
                    .to_owned()
            ]
        );
        assert_eq!(reauthorize_reminders(&grants, None).len(), 2);
    }

    #[test]
    fn an_inactive_app_is_said_first_whatever_the_log_holds() {
        let query = LogQuery::new("0oa1", 1_795_874_700_000);
        let report = assemble(
            &query,
            &[],
            (1, false),
            Some("INACTIVE"),
            &GrantFacts::default(),
            None,
        );
        assert_eq!(report.verdicts, vec![Verdict::AppInactive]);
        let report = assemble(
            &query,
            &documented_events(),
            (1, false),
            Some("INACTIVE"),
            &GrantFacts::default(),
            None,
        );
        assert_eq!(report.verdicts[0], Verdict::AppInactive);
        assert_eq!(report.findings.len(), 3);
        let active = assemble(
            &query,
            &[],
            (1, false),
            Some("ACTIVE"),
            &GrantFacts::default(),
            None,
        );
        assert_eq!(active.verdicts, vec![Verdict::NothingFound]);
    }

    #[test]
    fn times_read_and_write_as_okta_writes_them() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400_123), "2000-02-29T00:00:00.123Z");
        for text in [
            "2026-11-28T14:05:00.000Z",
            "2000-02-29T00:00:00.123Z",
            "2024-12-31T23:59:59.999Z",
        ] {
            assert_eq!(parse_iso8601(text).map(iso8601).as_deref(), Some(text));
        }
        assert_eq!(
            parse_iso8601("2026-11-28T14:05:00Z"),
            parse_iso8601("2026-11-28T14:05:00.000Z")
        );
        for bad in [
            "2026-11-28 14:05:00Z",
            "2026-11-28T14:05:00+01:00",
            "2026-13-28T14:05:00Z",
            "",
            "T",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }
}
