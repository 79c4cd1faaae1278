//! Which Okta org a host name belongs to: its Admin Console, or its Okta Workflows console.
//!
//! The one decision here: a host is accepted only when it ends in one of Okta's own cell domains
//! *exactly*, label for label. Look-alikes such as `acme-admin.okta.com.evil.test` or
//! `acme-admin-okta.com` are rejected, because the helper reads and fills credentials and must never
//! be talked into doing that on someone else's site.

use std::fmt;

/// The registrable domains Okta serves orgs from (okta-commons-java's `ConfigurationValidator`).
///
/// The browser manifest lists the same five; keep the two in step.
pub const OKTA_BASE_DOMAINS: [&str; 5] = [
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
];

/// The suffix Okta appends to the org's subdomain for its Admin Console.
const ADMIN_SUFFIX: &str = "-admin";

/// An Okta Admin Console host, such as `acme-admin.okta.com`, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminHost {
    org: String,
    base: &'static str,
}

impl AdminHost {
    /// Recognizes an Admin Console host name; `None` for anything else.
    ///
    /// Case and one trailing dot are ignored, as DNS ignores them.
    pub fn parse(host: &str) -> Option<Self> {
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        let (label, base) = split_org_label(&host)?;
        let org = label.strip_suffix(ADMIN_SUFFIX)?;
        if !is_org_name(org) {
            return None;
        }
        Some(Self {
            org: org.to_owned(),
            base,
        })
    }

    /// The org's subdomain, e.g. `acme`.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// The Okta domain a Workflows connection asks for: the host without `-admin`, e.g.
    /// `acme.okta.com`.
    pub fn org_domain(&self) -> String {
        format!("{}.{}", self.org, self.base)
    }
}

impl fmt::Display for AdminHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{ADMIN_SUFFIX}.{}", self.org, self.base)
    }
}

/// The Okta Workflows console host of an org, such as `acme.workflows.okta.com`, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowsHost {
    org: String,
    base: &'static str,
}

/// The cells that run Okta Workflows: `{org}.workflows.{base}` (Okta Workflows help).
const WORKFLOWS_BASE_DOMAINS: [&str; 3] = ["okta.com", "oktapreview.com", "okta-emea.com"];

impl WorkflowsHost {
    /// Recognizes a Workflows console host name; `None` for anything else.
    pub fn parse(host: &str) -> Option<Self> {
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        WORKFLOWS_BASE_DOMAINS.iter().find_map(|base| {
            let org = host
                .strip_suffix(base)?
                .strip_suffix('.')?
                .strip_suffix(".workflows")?;
            (is_org_name(org) && !org.contains('.')).then(|| Self {
                org: org.to_owned(),
                base,
            })
        })
    }

    /// The org's subdomain, e.g. `acme`.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// The Okta domain of the org this Workflows console belongs to, e.g. `acme.okta.com`.
    pub fn org_domain(&self) -> String {
        format!("{}.{}", self.org, self.base)
    }
}

impl fmt::Display for WorkflowsHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.workflows.{}", self.org, self.base)
    }
}

/// The host name of an `https://` URL as the browser reports a tab's address, lower case; `None`
/// for another scheme, a port, or credentials in the authority.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let plain = !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    plain.then(|| authority.to_ascii_lowercase())
}

/// Splits `label.base` where `base` is one of [`OKTA_BASE_DOMAINS`] and `label` has no dots.
fn split_org_label(host: &str) -> Option<(&str, &'static str)> {
    OKTA_BASE_DOMAINS.iter().find_map(|base| {
        let label = host.strip_suffix(base)?.strip_suffix('.')?;
        (!label.is_empty() && !label.contains('.')).then_some((label, *base))
    })
}

/// An org subdomain is a DNS label: letters, digits and inner hyphens.
fn is_org_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tabs_host_is_read_from_its_https_address_only() {
        assert_eq!(
            url_host("https://Acme.Workflows.okta.com/app/connections?x=1#y").as_deref(),
            Some("acme.workflows.okta.com")
        );
        assert_eq!(
            url_host("https://acme-admin.okta.com").as_deref(),
            Some("acme-admin.okta.com")
        );
        for other in [
            "http://acme-admin.okta.com/",
            "https://acme-admin.okta.com:8443/",
            "https://evil.example@acme-admin.okta.com/",
            "chrome-extension://abc/overlay.html",
            "https:///x",
            "",
        ] {
            assert_eq!(url_host(other), None, "{other}");
        }
    }

    #[test]
    fn every_okta_base_domain_is_recognized_with_its_org_domain() {
        for (host, domain) in [
            ("acme-admin.okta.com", "acme.okta.com"),
            ("acme-admin.oktapreview.com", "acme.oktapreview.com"),
            ("acme-admin.okta-emea.com", "acme.okta-emea.com"),
            ("acme-admin.okta-gov.com", "acme.okta-gov.com"),
            ("acme-admin.okta.mil", "acme.okta.mil"),
            ("dev-123456-admin.okta.com", "dev-123456.okta.com"),
        ] {
            let admin = AdminHost::parse(host).unwrap_or_else(|| panic!("{host} not recognized"));
            assert_eq!(admin.org_domain(), domain);
            assert_eq!(admin.to_string(), host);
        }
    }

    #[test]
    fn case_and_trailing_dot_are_ignored() {
        let admin = AdminHost::parse("ACME-Admin.Okta.com.").expect("recognized");
        assert_eq!(admin.org(), "acme");
        assert_eq!(admin.org_domain(), "acme.okta.com");
    }

    #[test]
    fn workflows_hosts_map_to_their_org_domain() {
        for (host, domain) in [
            ("acme.workflows.okta.com", "acme.okta.com"),
            ("acme.workflows.oktapreview.com", "acme.oktapreview.com"),
            ("acme.workflows.okta-emea.com", "acme.okta-emea.com"),
            ("ACME.Workflows.okta.com.", "acme.okta.com"),
        ] {
            let workflows = WorkflowsHost::parse(host).unwrap_or_else(|| panic!("{host}"));
            assert_eq!(workflows.org_domain(), domain);
        }
        for host in [
            "acme.workflows.okta.com.evil.test",
            "workflows.okta.com",
            "a.b.workflows.okta.com",
            "acme-admin.okta.com",
            "acme.workflows.okta-gov.com",
            "acme.workflowsokta.com",
            "acme.workflows-okta.com",
        ] {
            assert_eq!(WorkflowsHost::parse(host), None, "{host} must be rejected");
        }
        assert_eq!(AdminHost::parse("acme.workflows.okta.com"), None);
    }

    #[test]
    fn look_alikes_and_other_hosts_are_rejected() {
        for host in [
            "acme-admin.okta.com.evil.test",
            "okta.com.evil.test",
            "acme-admin-okta.com",
            "acme-admin.notokta.com",
            "evil.acme-admin.okta.com",
            "acme.okta.com",
            "-admin.okta.com",
            "acme--admin.okta.com",
            "okta.com",
            "admin.okta.com",
            "acme-admin.okta.co",
            "acme_x-admin.okta.com",
            "example.test",
            "",
        ] {
            assert_eq!(AdminHost::parse(host), None, "{host} must be rejected");
        }
    }
}
