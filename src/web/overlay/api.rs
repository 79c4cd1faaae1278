//! The overlay's API job: learns the org's engine and issuer from the service worker, checks the
//! org through Okta's API whenever the page settles in a state the last check did not see, and
//! grants the scopes the admin confirmed. The calls themselves are made by [`crate::web::okta`],
//! through the page agent.

use super::{ask_worker, spawn_then, Overlay};
use crate::api_check::ApiReport;
use crate::message::{ElementRef, Message, ProbeId};
use crate::org::{org_facts, OrgLookup};
use crate::overlay_model::{page_and_api_agree, Mode};
use crate::page::{recognize, AdminPlace, Page};
use crate::page_rules::{read_app_tabs, read_scope_table, AppTab};
use crate::scopes::{check, profile, Basis, ScopeCheck, ScopeState};
use crate::web::okta::{self, ApiContext};
use crate::web::JsError;
use wasm_bindgen::prelude::*;

/// How long the page must stay unchanged before the helper asks Okta's API about it.
const API_SETTLE_MS: i32 = 300;

/// When the helper asks once more after a click on the page.
const AFTER_CLICK_MS: i32 = 2000;

/// Where the overlay's API checks stand.
#[derive(Debug, Default)]
pub(super) struct ApiState {
    /// The page state the last API check was started for.
    checked: Option<String>,
    /// The page state a check is scheduled for, once the page has settled.
    scheduled: Option<String>,
    /// Whether a check or grant is under way.
    in_flight: bool,
    /// Whether the org's metadata was asked for.
    org_asked: bool,
    /// The page's click count the last check was scheduled for.
    clicks_seen: u32,
}

impl Overlay {
    /// Asks the service worker, once, for the org's public metadata: its engine and issuer.
    pub(super) fn ask_org_if_due(&mut self) {
        if self.api.org_asked {
            return;
        }
        let Some(Page::Admin { host, .. }) = self.facts.as_ref().map(recognize) else {
            return;
        };
        self.api.org_asked = true;
        let org_domain = host.org_domain();
        ask_worker(Message::OrgQuery {}, move |overlay, reply| {
            let lookup = match reply {
                Ok(Message::OrgMetadata { lookup }) => lookup,
                Ok(other) => OrgLookup::Unreadable {
                    why: format!(
                        "the service worker answered with a `{}` message",
                        other.kind()
                    ),
                },
                Err(error) => OrgLookup::Unreadable {
                    why: format!("the service worker did not answer: {error}"),
                },
            };
            overlay.ui.org = Some(org_facts(&org_domain, &lookup));
            overlay.refresh()
        });
    }

    /// The page's own state, as a new check must answer it, and its key: the page, the
    /// connector, each line's state, what the rows' controls show, and the page's click count.
    /// `None` where the helper does not check: off the Admin Console, and off the app unless the
    /// admin opened the panel (it links to the app).
    fn page_state(&self, mode: Mode) -> Option<(String, ScopeCheck)> {
        let facts = self.facts.as_ref()?;
        let Page::Admin { place, .. } = recognize(facts) else {
            return None;
        };
        let wanted = match place {
            AdminPlace::WorkflowsOauthApp { .. } => true,
            _ => mode == Mode::Panel,
        };
        if !wanted {
            return None;
        }
        // The page's own state, not the API-settled one the panel shows: what the page says is
        // what a new check must answer.
        let page = check(
            profile(self.ui.profile.as_deref()),
            &read_scope_table(facts),
        );
        // Without `{:?}`, whose Unicode escaping tables would cost the module kilobytes.
        let mut key = format!(
            "{}|{}",
            facts.location.path,
            self.ui.profile.as_deref().unwrap_or_default()
        );
        for status in &page.scopes {
            let state = match &status.state {
                ScopeState::Granted(Basis::Page | Basis::Api) => "granted",
                ScopeState::Granted(Basis::Auto) => "auto",
                ScopeState::Missing => "missing",
                ScopeState::Unknown(why) => why,
            };
            key.push_str(&format!("|{}={state}", status.scope.id));
        }
        // A page the helper cannot read may still change under the admin's hand: what its rows'
        // controls show, and every click on the page, make the API's last answer stale too.
        for row in facts.scan.iter().flatten() {
            key.push_str(&format!("|{}:", row.name));
            for control in &row.controls {
                key.push_str(&format!(
                    "{}/{}/{}/{}/{};",
                    control.name,
                    control.hidden,
                    control.disabled,
                    control.pressed.as_deref().unwrap_or_default(),
                    control.checked.as_deref().unwrap_or_default()
                ));
            }
        }
        key.push_str(&format!("|clicks={}", facts.clicks));
        Some((key, page))
    }

    /// Schedules an API check when the page shows a state the last check did not see; returns
    /// whether that made the API's last answer stale.
    pub(super) fn check_api_if_due(&mut self, mode: Mode) -> Result<bool, JsError> {
        // The org's issuer must be known first: the grants are checked for it.
        if self.api.in_flight || self.ui.org.is_none() {
            return Ok(false);
        }
        let Some((key, _)) = self.page_state(mode) else {
            return Ok(false);
        };
        if self.api.checked.as_deref() == Some(key.as_str())
            || self.api.scheduled.as_deref() == Some(key.as_str())
        {
            return Ok(false);
        }
        let clicks = self.facts.as_ref().map_or(0, |facts| facts.clicks);
        if clicks != self.api.clicks_seen {
            self.api.clicks_seen = clicks;
            self.ask_again_after_click(mode)?;
        }
        // Wait for the page to settle (a console renders in steps) so that one check answers
        // one state, and the page's own loading is not slowed by the helper's calls.
        self.api.scheduled = Some(key.clone());
        let was_stale = self.ui.api_stale;
        self.ui.api_stale = self.ui.api.is_some();
        let wake = Closure::once_into_js(move || {
            super::with_overlay(|overlay| overlay.start_scheduled_check(&key))
        });
        if let Some(window) = web_sys::window() {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(
                wake.unchecked_ref(),
                API_SETTLE_MS,
            )?;
        }
        Ok(self.ui.api_stale != was_stale)
    }

    /// After a click, the console's own request may take longer than the page takes to look
    /// settled, or the page may show its change before the request is done: a little later, the
    /// helper asks once more, unless the last answer was for the page as it is then and agrees
    /// with every line of it (then the click's change is known to the API too).
    fn ask_again_after_click(&mut self, mode: Mode) -> Result<(), JsError> {
        let again = Closure::once_into_js(move || {
            super::with_overlay(|overlay| {
                let settled = !overlay.api.in_flight
                    && !overlay.ui.api_stale
                    && overlay.page_state(mode).is_some_and(|(key, page)| {
                        overlay.api.checked.as_deref() == Some(key.as_str())
                            && overlay
                                .ui
                                .api
                                .as_ref()
                                .is_some_and(|report| page_and_api_agree(&page, report))
                    });
                if settled {
                    return Ok(());
                }
                overlay.api.checked = None;
                overlay.refresh()
            })
        });
        if let Some(window) = web_sys::window() {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(
                again.unchecked_ref(),
                AFTER_CLICK_MS,
            )?;
        }
        Ok(())
    }

    fn start_scheduled_check(&mut self, key: &str) -> Result<(), JsError> {
        if self.api.scheduled.as_deref() != Some(key) {
            return Ok(()); // a later page state took its place
        }
        self.api.scheduled = None;
        if self.api.in_flight {
            // The answer under way brings a new look at the page when it arrives.
            return Ok(());
        }
        self.api.checked = Some(key.to_owned());
        let Some(context) = self.api_context() else {
            return Ok(());
        };
        self.api.in_flight = true;
        spawn_then(
            async move { okta::check(&context).await },
            Overlay::on_api_report,
        );
        Ok(())
    }

    /// "Check again with Okta's API".
    pub(super) fn recheck_api(&mut self) -> Result<(), JsError> {
        self.api.checked = None;
        self.api.scheduled = None;
        self.refresh()
    }

    /// The admin confirmed the grant: grant the scopes, check again, and show the page's tab.
    pub(super) fn confirm_grant(&mut self) -> Result<(), JsError> {
        let scopes = match self.ui.api_confirm.take() {
            Some(scopes) if !self.api.in_flight => scopes,
            _ => return self.refresh(),
        };
        let Some(context) = self.api_context() else {
            return self.refresh();
        };
        self.ui.api_stale = true;
        self.api.in_flight = true;
        spawn_then(
            async move { okta::grant(&context, &scopes).await },
            |overlay, report| {
                overlay.on_api_report(report)?;
                // Show the new grants on the page too: the Scopes tab reads them when it opens.
                let tab = overlay.facts.as_ref().and_then(|facts| {
                    read_app_tabs(facts)
                        .into_iter()
                        .find(|link| link.tab == Some(AppTab::OktaApiScopes))
                });
                match tab {
                    Some(link) => overlay.send(&Message::Click {
                        target: ElementRef {
                            probe: ProbeId::AppTabs,
                            index: u32::try_from(link.index).unwrap_or(u32::MAX),
                            part: None,
                        },
                    }),
                    None => Ok(()),
                }
            },
        );
        self.refresh()
    }

    /// What the API client needs: the Admin Console host of this page, the org's issuer, the
    /// chosen connector, and the app id in the page's URL.
    pub(super) fn api_context(&self) -> Option<ApiContext> {
        let Some(Page::Admin { host, place }) = self.facts.as_ref().map(recognize) else {
            return None;
        };
        Some(ApiContext {
            admin_host: host.to_string(),
            issuer: self.ui.org.as_ref()?.issuer.clone(),
            profile: profile(self.ui.profile.as_deref()),
            app_id: match place {
                AdminPlace::WorkflowsOauthApp { app_id, .. } => Some(app_id),
                _ => None,
            },
        })
    }

    fn on_api_report(&mut self, report: ApiReport) -> Result<(), JsError> {
        self.api.in_flight = false;
        self.ui.api_stale = false;
        self.ui.api = Some(report);
        self.refresh()
    }
}
