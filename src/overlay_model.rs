//! What the overlay shows and what it asks of the page, decided from the page's facts.
//!
//! This is the "decide" step between the agent's "collect" and its "apply": a pure function from
//! [`PageFacts`] (and whether the admin collapsed the panel) to an [`OverlayModel`]. The browser
//! side only draws the model and forwards its highlights, so everything the admin sees is tested
//! natively here.

use crate::message::{ElementRef, PageFacts, ProbeId};
use crate::page::{recognize, AdminPlace, Page};
use crate::page_rules::{field, read_app_tabs, read_scope_table, AppTab, APPS_LIST_PATH};
use crate::scopes::{check, Basis, Grant, ScopeCheck, ScopeState, Verdict, OKTA_DEVICES};

/// Width of the open panel, in CSS pixels.
pub const PANEL_WIDTH: u32 = 340;
/// Size of the collapsed launcher, in CSS pixels.
pub const LAUNCHER_SIZE: (u32, u32) = (232, 44);

/// How the overlay appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Not at all.
    Hidden,
    /// A small button that opens the panel.
    Launcher,
    /// The panel.
    Panel,
}

/// Something the admin can do from the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Click a tab of the console's tab strip.
    OpenTab {
        /// The tab element.
        target: ElementRef,
        /// The tab's label.
        tab: AppTab,
    },
    /// Follow a link in the console.
    Link {
        /// Absolute URL on the org's Admin Console.
        href: String,
        /// Button text.
        label: String,
    },
}

/// Guidance shown instead of, or above, the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What to do, in one or two sentences.
    pub text: String,
    /// The one-click way to do it, when there is one.
    pub action: Option<Action>,
}

/// Everything the overlay draws and asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayModel {
    /// How it appears.
    pub mode: Mode,
    /// Text of the collapsed launcher.
    pub launcher_label: String,
    /// The org's Okta domain, when on its Admin Console.
    pub org_domain: Option<String>,
    /// Guidance for pages other than the scopes tab.
    pub notice: Option<Notice>,
    /// The scope checklist, on the Okta API Scopes tab.
    pub checklist: Option<ScopeCheck>,
    /// The row "Show me" scrolls to: the first scope the admin must grant.
    pub show_me: Option<ElementRef>,
    /// Page elements to mark as missing.
    pub highlights: Vec<ElementRef>,
}

/// Decides the overlay for these facts. `collapsed` is the admin's own choice, if they made one.
pub fn decide(facts: &PageFacts, collapsed: Option<bool>) -> OverlayModel {
    let Page::Admin { host, place } = recognize(facts) else {
        return OverlayModel {
            mode: Mode::Hidden,
            launcher_label: String::new(),
            org_domain: None,
            notice: None,
            checklist: None,
            show_me: None,
            highlights: Vec::new(),
        };
    };
    let apps_link = || Action::Link {
        href: format!("https://{host}{APPS_LIST_PATH}"),
        label: "Open Applications".to_owned(),
    };
    let mut model = OverlayModel {
        mode: Mode::Launcher,
        launcher_label: "Okta Devices helper".to_owned(),
        org_domain: Some(host.org_domain()),
        notice: None,
        checklist: None,
        show_me: None,
        highlights: Vec::new(),
    };
    let open_by_default = match place {
        AdminPlace::WorkflowsOauthApp {
            tab: Some(AppTab::OktaApiScopes),
            ..
        } => {
            let scope_check = check(OKTA_DEVICES, &read_scope_table(facts));
            model.launcher_label = launcher_label(&scope_check);
            model.highlights = missing_highlights(&scope_check);
            model.show_me = first_row_to_grant(&scope_check);
            model.checklist = Some(scope_check);
            true
        }
        AdminPlace::WorkflowsOauthApp { tab, .. } => {
            let here = tab.map_or("this tab", AppTab::label);
            model.notice = Some(Notice {
                text: format!(
                    "You are on {here}. The scopes to check are on the {} tab.",
                    AppTab::OktaApiScopes.label()
                ),
                action: tab_link(facts, AppTab::OktaApiScopes).map(|target| Action::OpenTab {
                    target,
                    tab: AppTab::OktaApiScopes,
                }),
            });
            true
        }
        AdminPlace::OtherApp { app_name } => {
            model.notice = Some(Notice {
                text: format!(
                    "This is the \u{201c}{app_name}\u{201d} app. Open Applications \u{2192} Okta Workflows OAuth, then its {} tab.",
                    AppTab::OktaApiScopes.label()
                ),
                action: Some(apps_link()),
            });
            false
        }
        AdminPlace::Elsewhere => {
            model.notice = Some(Notice {
                text: format!(
                    "To connect Okta Devices, open Applications \u{2192} Okta Workflows OAuth, then its {} tab.",
                    AppTab::OktaApiScopes.label()
                ),
                action: Some(apps_link()),
            });
            false
        }
    };
    model.mode = if collapsed.unwrap_or(!open_by_default) {
        Mode::Launcher
    } else {
        Mode::Panel
    };
    model
}

/// The one-line summary of a checklist, as the admin reads it.
pub fn summary(check: &ScopeCheck) -> String {
    match check.verdict() {
        Verdict::Complete => format!(
            "All {} scopes granted. Okta Devices can connect.",
            check.scopes.len()
        ),
        Verdict::Missing(ids) => format!("Grant on this tab: {}.", ids.join(", ")),
        Verdict::Unconfirmed(ids) => format!("Could not confirm: {}.", ids.join(", ")),
    }
}

/// The short label of one checklist line.
pub fn state_label(status: &crate::scopes::ScopeStatus) -> &'static str {
    match (&status.state, status.scope.grant) {
        (ScopeState::Granted(Basis::Auto), _) => "auto-granted",
        (ScopeState::Granted(Basis::Page), _) => "granted",
        (ScopeState::Missing, Grant::ByAdmin) => "grant this",
        (ScopeState::Missing, Grant::Auto) => "missing: grant this",
        (ScopeState::Unknown(_), _) => "can't confirm",
    }
}

fn launcher_label(check: &ScopeCheck) -> String {
    match check.verdict() {
        Verdict::Complete => "Okta Devices: scopes complete".to_owned(),
        Verdict::Missing(ids) => format!("Okta Devices: {} to grant", ids.len()),
        Verdict::Unconfirmed(ids) => format!("Okta Devices: {} unconfirmed", ids.len()),
    }
}

/// Every row (and its Grant button) of a scope seen missing.
fn missing_highlights(check: &ScopeCheck) -> Vec<ElementRef> {
    check
        .scopes
        .iter()
        .filter(|status| status.state == ScopeState::Missing)
        .flat_map(|status| status.rows.iter())
        .flat_map(|&row| [row_ref(row, None), row_ref(row, Some(field::GRANT_BUTTON))])
        .collect()
}

fn first_row_to_grant(check: &ScopeCheck) -> Option<ElementRef> {
    check
        .scopes
        .iter()
        .filter(|status| status.state == ScopeState::Missing)
        .find_map(|status| status.rows.first())
        .map(|&row| row_ref(row, None))
}

fn row_ref(row: usize, part: Option<&str>) -> ElementRef {
    ElementRef {
        probe: ProbeId::ScopeRows,
        index: u32::try_from(row).unwrap_or(u32::MAX),
        part: part.map(str::to_owned),
    }
}

fn tab_link(facts: &PageFacts, wanted: AppTab) -> Option<ElementRef> {
    read_app_tabs(facts)
        .into_iter()
        .find(|link| link.tab == Some(wanted))
        .map(|link| ElementRef {
            probe: ProbeId::AppTabs,
            index: u32::try_from(link.index).unwrap_or(u32::MAX),
            part: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page_rules::fixtures::{app_tabs, facts, scope_table};

    const APP: &str = "/admin/app/flow/instance/0oa1/";

    fn scopes_tab(rows: &[(&str, bool)]) -> PageFacts {
        let mut probes = scope_table(rows);
        probes.push(app_tabs(AppTab::OktaApiScopes));
        facts(APP, "#tab-okta-api-scopes", probes)
    }

    #[test]
    fn scopes_tab_lists_eight_and_highlights_the_missing_row_and_its_button() {
        let model = decide(
            &scopes_tab(&[("okta.users.read", true), ("okta.devices.manage", false)]),
            None,
        );
        assert_eq!(model.mode, Mode::Panel);
        let checklist = model.checklist.as_ref().expect("checklist");
        let labels: Vec<_> = checklist.scopes.iter().map(state_label).collect();
        assert_eq!(labels[..7], ["auto-granted"; 7]);
        assert_eq!(labels[7], "grant this");
        assert_eq!(
            model.highlights,
            vec![row_ref(1, None), row_ref(1, Some("grant"))]
        );
        assert_eq!(model.show_me, Some(row_ref(1, None)));
        assert_eq!(
            summary(checklist),
            "Grant on this tab: okta.devices.manage."
        );
        assert_eq!(model.launcher_label, "Okta Devices: 1 to grant");
        assert_eq!(model.org_domain.as_deref(), Some("acme.okta.com"));
    }

    #[test]
    fn granting_clears_highlights_and_completes() {
        let model = decide(&scopes_tab(&[("okta.devices.manage", true)]), None);
        assert!(model.highlights.is_empty());
        assert_eq!(model.show_me, None);
        let checklist = model.checklist.as_ref().expect("checklist");
        assert!(summary(checklist).starts_with("All 8 scopes granted"));
    }

    #[test]
    fn an_unreadable_scopes_tab_says_so_and_highlights_nothing() {
        let model = decide(&facts(APP, "#tab-okta-api-scopes", vec![]), None);
        let checklist = model.checklist.as_ref().expect("checklist");
        assert!(summary(checklist).starts_with("Could not confirm: okta.devices.manage"));
        assert!(checklist.problems[0].contains("Could not find"));
        assert!(model.highlights.is_empty());
    }

    #[test]
    fn other_tabs_point_to_the_scopes_tab() {
        for tab in [AppTab::General, AppTab::SignOn] {
            let model = decide(&facts(APP, tab.fragment(), vec![app_tabs(tab)]), None);
            assert_eq!(model.mode, Mode::Panel);
            assert!(model.checklist.is_none());
            let notice = model.notice.expect("notice");
            assert!(notice.text.contains(tab.label()), "{}", notice.text);
            assert!(notice.text.contains("Okta API Scopes tab"));
            assert_eq!(
                notice.action,
                Some(Action::OpenTab {
                    target: ElementRef {
                        probe: ProbeId::AppTabs,
                        index: 2,
                        part: None
                    },
                    tab: AppTab::OktaApiScopes
                })
            );
        }
    }

    #[test]
    fn other_console_pages_get_a_closed_launcher_with_a_way_to_the_app() {
        let model = decide(&facts("/admin/dashboard", "", vec![]), None);
        assert_eq!(model.mode, Mode::Launcher);
        assert!(matches!(
            model.notice.and_then(|n| n.action),
            Some(Action::Link { href, .. }) if href == "https://acme-admin.okta.com/admin/apps/active"
        ));
        let opened = decide(&facts("/admin/dashboard", "", vec![]), Some(false));
        assert_eq!(opened.mode, Mode::Panel);
    }

    #[test]
    fn the_admins_collapse_wins_on_the_scopes_tab() {
        let model = decide(&scopes_tab(&[("okta.devices.manage", false)]), Some(true));
        assert_eq!(model.mode, Mode::Launcher);
        assert_eq!(model.highlights.len(), 2, "highlights stay while collapsed");
    }

    #[test]
    fn unknown_hosts_hide_the_overlay() {
        let mut facts = scopes_tab(&[("okta.devices.manage", false)]);
        facts.location.host = "acme-admin.okta.com.evil.test".into();
        let model = decide(&facts, Some(false));
        assert_eq!(model.mode, Mode::Hidden);
        assert!(model.highlights.is_empty());
    }
}
