//! Which page the admin is on, decided from the location and the facts the agent read.
//!
//! The host decides whether the helper works here at all ([`AdminHost`]); the path decides which
//! console page it is; on an app page, the URL fragment decides the tab, and where the fragment
//! says nothing (the console opens on General without one) the tab strip's selected tab does.

use crate::host::{AdminHost, WorkflowsHost};
use crate::message::PageFacts;
use crate::page_rules::{
    read_app_tabs, AppTab, APP_INSTANCE_SEGMENT, APP_PATH_PREFIX, WORKFLOWS_OAUTH_APP_NAME,
};

/// The page, as far as the helper is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// Neither an Okta Admin Console nor an Okta Workflows console: the helper does nothing.
    Unsupported,
    /// A page of an org's Okta Workflows console.
    Workflows {
        /// The Workflows console host.
        host: WorkflowsHost,
    },
    /// A page of an org's Admin Console.
    Admin {
        /// The org's Admin Console host.
        host: AdminHost,
        /// Where in the console.
        place: AdminPlace,
    },
}

/// A place in the Admin Console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminPlace {
    /// The Okta Workflows OAuth app's page, on one of its tabs.
    WorkflowsOauthApp {
        /// The app instance id, e.g. `0oa1abc`.
        app_id: String,
        /// The open tab, or `None` when it is none the helper knows.
        tab: Option<AppTab>,
    },
    /// Another app's page.
    OtherApp {
        /// The app's internal name, e.g. `okta_flow_sso`.
        app_name: String,
    },
    /// Any other console page.
    Elsewhere,
}

/// Recognizes the page from what the agent reported.
pub fn recognize(facts: &PageFacts) -> Page {
    let Some(host) = AdminHost::parse(&facts.location.host) else {
        return match WorkflowsHost::parse(&facts.location.host) {
            Some(host) => Page::Workflows { host },
            None => Page::Unsupported,
        };
    };
    let place = match app_instance(&facts.location.path) {
        Some((WORKFLOWS_OAUTH_APP_NAME, app_id)) => AdminPlace::WorkflowsOauthApp {
            app_id: app_id.to_owned(),
            tab: open_tab(facts),
        },
        Some((app_name, _)) => AdminPlace::OtherApp {
            app_name: app_name.to_owned(),
        },
        None => AdminPlace::Elsewhere,
    };
    Page::Admin { host, place }
}

/// Splits `/admin/app/{name}/instance/{id}/...` into `(name, id)`.
fn app_instance(path: &str) -> Option<(&str, &str)> {
    let mut segments = path.strip_prefix(APP_PATH_PREFIX)?.split('/');
    let name = segments.next().filter(|s| !s.is_empty())?;
    (segments.next()? == APP_INSTANCE_SEGMENT).then_some(())?;
    let id = segments.next().filter(|s| !s.is_empty())?;
    Some((name, id))
}

fn open_tab(facts: &PageFacts) -> Option<AppTab> {
    let hash = facts.location.hash.as_str();
    if let Some(tab) = AppTab::from_fragment(hash) {
        return Some(tab);
    }
    let selected = read_app_tabs(facts)
        .into_iter()
        .find(|link| link.selected)
        .and_then(|link| link.tab);
    match (selected, hash) {
        (Some(tab), _) => Some(tab),
        // The console opens on General when the URL names no tab.
        (None, "" | "#") => Some(AppTab::General),
        (None, _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::PageLocation;
    use crate::page_rules::fixtures::{app_tabs, facts};

    fn at(host: &str, path: &str, hash: &str) -> Page {
        recognize(&PageFacts {
            seq: 1,
            location: PageLocation {
                host: host.into(),
                path: path.into(),
                hash: hash.into(),
            },
            probes: vec![],
            scan: None,
            clicks: 0,
        })
    }

    fn app(tab: Option<AppTab>) -> AdminPlace {
        AdminPlace::WorkflowsOauthApp {
            app_id: "0oa1".into(),
            tab,
        }
    }

    #[test]
    fn the_workflows_oauth_app_is_recognized_on_every_okta_host() {
        for host in [
            "acme-admin.okta.com",
            "acme-admin.oktapreview.com",
            "acme-admin.okta-emea.com",
            "acme-admin.okta-gov.com",
            "acme-admin.okta.mil",
        ] {
            let Page::Admin { place, .. } = at(
                host,
                "/admin/app/flow/instance/0oa1/",
                "#tab-okta-api-scopes",
            ) else {
                panic!("{host} not recognized");
            };
            assert_eq!(place, app(Some(AppTab::OktaApiScopes)), "{host}");
        }
    }

    #[test]
    fn each_tab_fragment_selects_its_tab() {
        for tab in [
            AppTab::General,
            AppTab::SignOn,
            AppTab::OktaApiScopes,
            AppTab::Assignments,
        ] {
            let page = at(
                "acme-admin.okta.com",
                "/admin/app/flow/instance/0oa1",
                tab.fragment(),
            );
            assert!(matches!(page, Page::Admin { place, .. } if place == app(Some(tab))));
        }
    }

    #[test]
    fn without_a_fragment_the_selected_tab_or_general_is_open() {
        let page = recognize(&facts(
            "/admin/app/flow/instance/0oa1/",
            "",
            vec![app_tabs(AppTab::SignOn)],
        ));
        assert!(matches!(page, Page::Admin { place, .. } if place == app(Some(AppTab::SignOn))));
        let page = at("acme-admin.okta.com", "/admin/app/flow/instance/0oa1/", "");
        assert!(matches!(page, Page::Admin { place, .. } if place == app(Some(AppTab::General))));
        let page = at(
            "acme-admin.okta.com",
            "/admin/app/flow/instance/0oa1/",
            "#tab-new",
        );
        assert!(matches!(page, Page::Admin { place, .. } if place == app(None)));
    }

    #[test]
    fn other_apps_and_other_pages_are_told_apart() {
        let other = at(
            "acme-admin.okta.com",
            "/admin/app/okta_flow_sso/instance/0oa2/",
            "#tab-okta-api-scopes",
        );
        assert!(matches!(
            other,
            Page::Admin { place: AdminPlace::OtherApp { app_name }, .. } if app_name == "okta_flow_sso"
        ));
        for path in [
            "/admin/dashboard",
            "/admin/apps/active",
            "/admin/app/flow/instance/",
            "/admin/app/flow/settings/0oa1",
            "/admin/app//instance/0oa1",
        ] {
            assert!(
                matches!(
                    at("acme-admin.okta.com", path, ""),
                    Page::Admin {
                        place: AdminPlace::Elsewhere,
                        ..
                    }
                ),
                "{path}"
            );
        }
    }

    #[test]
    fn workflows_consoles_are_recognized() {
        let page = at("acme.workflows.okta.com", "/app/connections", "");
        assert!(matches!(page, Page::Workflows { host } if host.org_domain() == "acme.okta.com"));
    }

    #[test]
    fn non_okta_and_look_alike_hosts_are_unsupported() {
        for host in [
            "acme-admin.okta.com.evil.test",
            "example.test",
            "acme.okta.com",
            "acme.workflows.okta.com.evil.test",
            "localhost",
        ] {
            assert_eq!(
                at(
                    host,
                    "/admin/app/flow/instance/0oa1/",
                    "#tab-okta-api-scopes"
                ),
                Page::Unsupported,
                "{host}"
            );
        }
    }
}
