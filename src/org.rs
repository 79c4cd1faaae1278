//! The org's public metadata, `GET https://{org domain}/.well-known/okta-organization`: which
//! engine the org runs, and the issuer its API scope grants are made for.
//!
//! The metadata needs no session and Okta serves it to any origin, so the service worker reads
//! it from the extension's own origin (the one call to the org that does not go through the
//! page). Okta Devices exists only on Identity Engine orgs (`pipeline: "idx"`); a Classic org
//! (`"v1"`) can never connect it, and an org whose engine could not be read is never taken for
//! either.

use serde::{Deserialize, Serialize};

/// The metadata's path on the org's domain.
pub const METADATA_PATH: &str = "/.well-known/okta-organization";

/// The metadata as Okta documents it (`WellKnownOrgMetadata`); every field is optional, and what
/// is missing is reported as unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct OrgMetadata {
    /// `idx` (Identity Engine) or `v1` (Classic Engine).
    #[serde(default)]
    pub pipeline: Option<String>,
    /// Its links, among them the org's own URL.
    #[serde(default, rename = "_links")]
    pub links: Option<OrgLinks>,
}

/// The `_links` of [`OrgMetadata`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct OrgLinks {
    /// The org's URL, `https://{org}.okta.com`.
    #[serde(default)]
    pub organization: Option<Href>,
}

/// A link.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Href {
    /// Its URL.
    pub href: String,
}

/// What the service worker learned of the org's metadata, sent to the overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum OrgLookup {
    /// The metadata was read.
    Read {
        /// Its `pipeline`, if it had one.
        pipeline: Option<String>,
        /// Its `_links.organization.href`, if it had one.
        organization: Option<String>,
    },
    /// It could not be read; why, in words for the admin.
    Unreadable {
        /// Why.
        why: String,
    },
}

impl OrgLookup {
    /// The lookup for a metadata body that was read.
    pub fn read(metadata: OrgMetadata) -> Self {
        OrgLookup::Read {
            pipeline: metadata.pipeline,
            organization: metadata
                .links
                .and_then(|links| links.organization)
                .map(|link| link.href),
        }
    }
}

/// How long the service worker trusts a read of the metadata.
pub const CACHE_MS: f64 = 10.0 * 60.0 * 1000.0;

/// A read of the metadata, as the service worker keeps it in memory (a cache only: the worker may
/// be stopped at any time, and then the metadata is read again).
#[derive(Debug, Clone, PartialEq)]
pub struct CachedOrg {
    /// The org domain.
    pub org_domain: String,
    /// What was read.
    pub lookup: OrgLookup,
    /// When, in milliseconds since the epoch.
    pub read_at_ms: f64,
}

impl CachedOrg {
    /// The entry to keep for a lookup: only a read that named the org's engine is worth keeping;
    /// a failure is asked again next time.
    pub fn worth_keeping(org_domain: &str, lookup: &OrgLookup, now_ms: f64) -> Option<Self> {
        matches!(
            lookup,
            OrgLookup::Read {
                pipeline: Some(_),
                ..
            }
        )
        .then(|| CachedOrg {
            org_domain: org_domain.to_owned(),
            lookup: lookup.clone(),
            read_at_ms: now_ms,
        })
    }

    /// Whether the entry is recent enough to trust.
    pub fn is_fresh(&self, now_ms: f64) -> bool {
        let age = now_ms - self.read_at_ms;
        (0.0..CACHE_MS).contains(&age)
    }
}

/// Which engine the org runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// Okta Identity Engine (`idx`).
    Identity,
    /// Okta Classic Engine (`v1`).
    Classic,
    /// Not known; the text says why.
    Unknown(String),
}

/// What the helper knows of the org beyond its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFacts {
    /// The engine it runs.
    pub engine: Engine,
    /// The issuer its grants are made for, `https://{org domain}` without a trailing slash.
    pub issuer: String,
    /// When the issuer could not be read from the metadata and was derived from the host name:
    /// why, for the admin.
    pub issuer_note: Option<String>,
}

/// The metadata's URL for an org domain such as `acme.okta.com`.
pub fn metadata_url(org_domain: &str) -> String {
    format!("https://{org_domain}{METADATA_PATH}")
}

/// Reads the lookup: the engine, and the issuer from `_links.organization` or, failing that, the
/// one derived from the org domain, with a note saying so.
pub fn org_facts(org_domain: &str, lookup: &OrgLookup) -> OrgFacts {
    let derived = format!("https://{org_domain}");
    let fallback = |why: &str| {
        Some(format!(
            "Okta's org metadata did not give the org's issuer ({why}), so the helper uses {derived}, derived from the host name."
        ))
    };
    match lookup {
        OrgLookup::Unreadable { why } => OrgFacts {
            engine: Engine::Unknown(why.clone()),
            issuer: derived.clone(),
            issuer_note: fallback(why),
        },
        OrgLookup::Read {
            pipeline,
            organization,
        } => {
            let engine = match pipeline.as_deref() {
                Some("idx") => Engine::Identity,
                Some("v1") => Engine::Classic,
                Some(other) => Engine::Unknown(format!(
                    "Okta's org metadata names an unknown pipeline, \u{201c}{other}\u{201d}"
                )),
                None => Engine::Unknown("Okta's org metadata names no pipeline".to_owned()),
            };
            let (issuer, issuer_note) = match organization.as_deref().map(issuer_of) {
                Some(Some(issuer)) => (issuer, None),
                Some(None) => (
                    derived.clone(),
                    fallback("its organization link is not an https URL of a host"),
                ),
                None => (derived.clone(), fallback("it has no organization link")),
            };
            OrgFacts {
                engine,
                issuer,
                issuer_note,
            }
        }
    }
}

/// `https://{host}` from an organization link, if it is exactly that (a trailing slash allowed).
fn issuer_of(href: &str) -> Option<String> {
    let host = href.strip_prefix("https://")?.trim_end_matches('/');
    let plain = !host.is_empty()
        && host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    plain.then(|| format!("https://{}", host.to_ascii_lowercase()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(pipeline: Option<&str>, organization: Option<&str>) -> OrgLookup {
        OrgLookup::Read {
            pipeline: pipeline.map(str::to_owned),
            organization: organization.map(str::to_owned),
        }
    }

    #[test]
    fn the_documented_metadata_gives_the_engine_and_the_issuer() {
        let path = format!(
            "{}/tests/fixtures/okta/okta-organization.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("the fixture");
        let metadata: OrgMetadata = serde_json::from_str(&text).expect("the documented shape");
        let facts = org_facts("acme.okta.com", &OrgLookup::read(metadata));
        assert_eq!(facts.engine, Engine::Identity);
        assert_eq!(facts.issuer, "https://acme.okta.com");
        assert_eq!(facts.issuer_note, None);
    }

    #[test]
    fn classic_and_unknown_engines_are_told_apart() {
        let classic = org_facts(
            "acme.okta.com",
            &read(Some("v1"), Some("https://acme.okta.com/")),
        );
        assert_eq!(classic.engine, Engine::Classic);
        assert_eq!(classic.issuer, "https://acme.okta.com");
        assert!(matches!(
            org_facts("acme.okta.com", &read(Some("v2"), None)).engine,
            Engine::Unknown(why) if why.contains("v2")
        ));
        assert!(matches!(
            org_facts("acme.okta.com", &read(None, None)).engine,
            Engine::Unknown(_)
        ));
    }

    #[test]
    fn the_issuer_falls_back_to_the_derived_domain_and_says_so() {
        let unreadable = org_facts(
            "acme.okta.com",
            &OrgLookup::Unreadable {
                why: "it answered 500".into(),
            },
        );
        assert_eq!(unreadable.issuer, "https://acme.okta.com");
        assert!(unreadable
            .issuer_note
            .as_deref()
            .is_some_and(|note| note.contains("it answered 500") && note.contains("derived")));
        assert!(matches!(unreadable.engine, Engine::Unknown(_)));
        for bad in [
            "http://acme.okta.com",
            "https://acme.okta.com/path",
            "https://",
            "https://evil.example@acme.okta.com",
            "javascript:alert(1)",
        ] {
            let facts = org_facts("acme.okta.com", &read(Some("idx"), Some(bad)));
            assert_eq!(facts.issuer, "https://acme.okta.com", "{bad}");
            assert!(facts.issuer_note.is_some(), "{bad}");
        }
        // A custom issuer from the metadata is taken as Okta gave it.
        let custom = org_facts(
            "acme.okta.com",
            &read(Some("idx"), Some("https://Acme.OKTA.com")),
        );
        assert_eq!(custom.issuer, "https://acme.okta.com");
        assert_eq!(
            metadata_url("acme.okta.com"),
            "https://acme.okta.com/.well-known/okta-organization"
        );
    }

    #[test]
    fn only_reads_that_name_the_engine_are_cached_and_only_for_a_while() {
        let unreadable = OrgLookup::Unreadable { why: "500".into() };
        assert_eq!(
            CachedOrg::worth_keeping("acme.okta.com", &unreadable, 0.0),
            None
        );
        assert_eq!(
            CachedOrg::worth_keeping("acme.okta.com", &read(None, None), 0.0),
            None
        );
        let kept = CachedOrg::worth_keeping("acme.okta.com", &read(Some("idx"), None), 1_000.0)
            .expect("kept");
        assert!(kept.is_fresh(1_000.0 + CACHE_MS - 1.0));
        assert!(!kept.is_fresh(1_000.0 + CACHE_MS));
        assert!(
            !kept.is_fresh(0.0),
            "a clock that went back does not make it fresh"
        );
    }
}
