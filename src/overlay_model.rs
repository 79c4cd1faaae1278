//! What the overlay shows and what it asks of the page, decided from the page's facts.
//!
//! This is the "decide" step between the agent's "collect" and its "apply": a pure function from
//! [`PageFacts`] and the overlay's own [`UiState`] (the admin's choices, what the vault holds, the
//! outcome of the last action) to an [`OverlayModel`]. The browser side only draws the model and
//! forwards its highlights, so everything the admin sees is tested natively here.

use crate::api_check::{ApiReport, ApiScopeState, Check, GrantResult};
use crate::diagnose::DiagnoseReport;
use crate::fill::{default_nickname, plan_fill, FillRefusal};
use crate::flow::FlowRecord;
use crate::host::{AdminHost, WorkflowsHost};
use crate::message::{ElementRef, Highlight, Mark, PageFacts, ProbeId};
use crate::org::{Engine, OrgFacts};
use crate::page::{recognize, AdminPlace, Page};
use crate::page_rules::{
    read_app_tabs, read_connection_dialog, read_header_domain, read_scope_table,
    sign_on_fields_present, AppTab, APPS_LIST_PATH, WORKFLOWS_OAUTH_APP_NAME,
};
use crate::rotation::{may_create, Rotation, SecretLabel, Stage};
use crate::scopes::{
    check, profile, Basis, ConnectorProfile, Grant, ScopeCheck, ScopeState, ScopeStatus, Verdict,
};
use crate::vault::{VaultLookup, VaultStatus};

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

/// The overlay's own state: what the admin chose and what it learned besides the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UiState {
    /// The admin's collapse choice; `None` until they make one.
    pub collapsed: Option<bool>,
    /// What the vault holds, per org; `None` until the service worker answered.
    pub vault: Option<Vec<VaultLookup>>,
    /// The flow records the service worker keeps.
    pub flow: Vec<FlowRecord>,
    /// The outcome of the admin's last Capture or Fill, in words.
    pub outcome: Option<Outcome>,
    /// What the admin typed to confirm filling another org's credentials into this Workflows
    /// console: it confirms one fill when it is this console's org domain.
    pub org_typed: String,
    /// The org whose credentials were just filled into the open dialog.
    pub filled: Option<String>,
    /// The connector profile the admin chose; Okta Devices when `None`.
    pub profile: Option<String>,
    /// What Okta's API said at the last check, if one finished.
    pub api: Option<ApiReport>,
    /// Whether the API's answer is older than what the page shows now (a check is under way).
    pub api_stale: bool,
    /// Scopes the admin asked to grant through the API, awaiting their confirmation.
    pub api_confirm: Option<Vec<String>>,
    /// What the org's public metadata says (engine, issuer); `None` until the service worker
    /// answered.
    pub org: Option<OrgFacts>,
    /// The page hides the client secret: the offer to read it through the API instead, awaiting
    /// the admin's confirmation.
    pub secret_offer: Option<SecretOffer>,
    /// The last page report the agent wrote, once the admin asked for one.
    pub page_report: Option<String>,
    /// The admin's last diagnosis of the connection, once they asked for one.
    pub diagnose: Option<DiagnoseState>,
    /// The admin's secret rotation on the Sign On tab, besides the record the service worker
    /// keeps.
    pub rotation: RotationUi,
}

/// What the panel holds of a secret rotation (the rotation itself is in the org's flow record).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RotationUi {
    /// The app's secrets as Okta's API last listed them (labels only), or why they could not be
    /// listed.
    pub secrets: Option<Result<Vec<SecretLabel>, String>>,
    /// The admin asked to create a new secret and is shown the question.
    pub confirm_create: bool,
    /// The secret the admin picked to deactivate.
    pub picked: Option<String>,
    /// The secret the admin asked to deactivate, awaiting their confirmation.
    pub confirm_deactivate: Option<SecretLabel>,
    /// A call to Okta's API is under way.
    pub busy: bool,
    /// Why the last step failed, in words.
    pub problem: Option<String>,
}

/// The Sign On tab's rotation section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationPanel {
    /// The org's rotation, as the flow record keeps it.
    pub rotation: Option<Rotation>,
    /// What the panel holds of it.
    pub ui: RotationUi,
    /// Once the secrets are listed and no rotation is under way: whether a new one may be
    /// created, or why not.
    pub may_create: Option<Result<(), String>>,
    /// Once the admin confirmed the connection works and the secrets are listed: the secrets
    /// they may pick to deactivate (active, and not the new one).
    pub deactivatable: Vec<SecretLabel>,
    /// While the connection still waits for the new secret: whether the vault no longer holds
    /// it (it expired or was cleared), so that it must be read again before the fill.
    pub new_secret_gone: bool,
}

/// Where the admin's diagnosis of the connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagnoseState {
    /// The helper is reading Okta's records.
    Searching,
    /// What it found.
    Done(DiagnoseReport),
}

/// An offer to read the client secret through Okta's API because the page hides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretOffer {
    /// The client id the page shows (the app's id).
    pub client_id: String,
    /// What the page's problem was, in words for the admin.
    pub page_problem: String,
}

/// Where a checklist line's state comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Okta's API, which answered for this page's app and this state of the page: the judge.
    Api,
    /// The page: the API has not answered for what the page shows now, or could not answer.
    Page,
}

/// One checklist line as the API panel judges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The scope.
    pub scope: &'static str,
    /// The state to show.
    pub state: ScopeState,
    /// Where it comes from.
    pub source: Source,
    /// Where the page shows something else than the API: what, and what to do.
    pub page_differs: Option<String>,
}

/// What the overlay shows of Okta's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPanel {
    /// Whether a check is under way.
    pub busy: bool,
    /// Per checklist line: the state to show, where it comes from, and how the page differs.
    pub lines: Vec<Line>,
    /// Whether the admin is a Super Administrator.
    pub super_admin: Option<Check>,
    /// Whether the app is assigned to the admin.
    pub assigned: Option<Check>,
    /// Required scopes the API shows missing: what "Grant through the API" would grant.
    pub grantable: Vec<String>,
    /// Required scopes granted only for other issuers, with those issuers: the admin decides.
    pub other_issuers: Vec<(String, Vec<String>)>,
    /// The issuer the grants are checked for.
    pub issuer: String,
    /// The scopes awaiting the admin's confirmation.
    pub confirm: Option<Vec<String>>,
    /// Per-scope results of the last grant.
    pub results: Vec<GrantResult>,
    /// What went wrong.
    pub problems: Vec<String>,
    /// What the admin should know.
    pub notes: Vec<String>,
}

/// The result of an action the admin started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It worked; what happened.
    Done(String),
    /// It did not; what to do.
    Failed(String),
    /// It waits for the admin elsewhere (the toolbar's confirmation); where and what.
    Waiting(String),
}

/// How the org domain read from the host compares with the header's user menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderCheck {
    /// The user menu shows the same domain.
    Agrees,
    /// The user menu shows another domain.
    Differs(String),
    /// The user menu could not be read.
    Unreadable,
}

/// The org's Okta domain, as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainLine {
    /// `acme.okta.com`.
    pub domain: String,
    /// The cross-check with the header.
    pub header: HeaderCheck,
}

/// The capture section, on the Sign On tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturePanel {
    /// The org the credentials belong to.
    pub org_domain: String,
    /// Whether the page shows the credential fields.
    pub fields_present: bool,
    /// The page hides the secret: the page's problem, and the offer to read the secret through
    /// Okta's API, which Okta records in the System Log.
    pub api_offer: Option<String>,
}

/// Where the checklist stands as a whole: its one-line summary, the launcher's label, the badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// What the checklist's lines add up to.
    Scopes(Verdict),
    /// The connector cannot work in this org at all; why.
    Blocked(String),
    /// The lines add up to complete, but something the helper must know first is not known: the
    /// org's engine, or Okta's API could not confirm the page. Why.
    Unconfirmed(String),
}

impl Standing {
    /// The toolbar badge's counts: `(missing, unconfirmed, blocked)`.
    pub fn badge(&self, check: &ScopeCheck) -> (u32, u32, bool) {
        let (missing, unconfirmed) = check.counts();
        match self {
            Standing::Scopes(_) => (missing, unconfirmed, false),
            Standing::Blocked(_) => (missing, unconfirmed, true),
            Standing::Unconfirmed(_) => (missing, unconfirmed.max(1), false),
        }
    }
}

/// The fill section, on the Workflows console.
#[derive(Debug, Clone, PartialEq)]
pub struct FillPanel {
    /// The org of this Workflows console, e.g. `acme.okta.com`.
    pub workflows_org: String,
    /// The captured credentials to fill, if any.
    pub source: Option<VaultStatus>,
    /// The nickname suggested for the connection.
    pub nickname: String,
    /// Why filling is not possible now, if it is not.
    pub blocked: Option<FillRefusal>,
    /// Where to capture credentials when there are none for this org.
    pub capture_link: Option<String>,
    /// After a fill: the reminder to reauthorize existing connections, when scopes were added.
    pub reminder: Option<String>,
    /// What the admin typed to confirm a fill from another org, drawn back after a redraw.
    pub org_typed: String,
}

/// Everything the overlay draws and asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlayModel {
    /// How it appears.
    pub mode: Mode,
    /// Text of the collapsed launcher.
    pub launcher_label: String,
    /// The org's Okta domain, when on its Admin Console.
    pub domain: Option<DomainLine>,
    /// Guidance for pages other than the scopes tab.
    pub notice: Option<Notice>,
    /// The scope checklist, on the Okta API Scopes tab.
    pub checklist: Option<ScopeCheck>,
    /// Where the checklist stands as a whole, with it.
    pub standing: Option<Standing>,
    /// What the org's engine means for the connector, shown before anything else when it matters.
    pub engine: Option<EngineNotice>,
    /// The row "Show me" scrolls to: the first scope the admin must grant.
    pub show_me: Option<ElementRef>,
    /// Page elements to mark.
    pub highlights: Vec<Highlight>,
    /// The capture section (Sign On tab).
    pub capture: Option<CapturePanel>,
    /// What the vault holds for the org in question (Sign On tab, Workflows).
    pub vault: Option<VaultLookup>,
    /// The fill section (Workflows).
    pub fill: Option<FillPanel>,
    /// The outcome of the admin's last action.
    pub outcome: Option<Outcome>,
    /// What Okta's API says (on the Okta Workflows OAuth app's pages).
    pub api: Option<ApiPanel>,
    /// The page report on offer, when the helper could not read the Scopes tab: `Some(None)`
    /// before the admin asked for it, `Some(Some(text))` once written.
    pub page_report: Option<Option<String>>,
    /// The app these pages are about, as the page's address names it: what every API answer
    /// shown must be about.
    pub page_app: Option<String>,
    /// The Diagnose section, on the Okta Workflows OAuth app's pages.
    pub diagnose: Option<DiagnosePanel>,
    /// The secret rotation section, on the app's Sign On tab.
    pub rotation: Option<RotationPanel>,
}

/// The Diagnose section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosePanel {
    /// Whether a search can start: the org's issuer is known (its grants are read for it).
    pub ready: bool,
    /// The admin's last diagnosis, if they asked for one.
    pub state: Option<DiagnoseState>,
}

impl OverlayModel {
    fn hidden() -> Self {
        Self {
            mode: Mode::Hidden,
            launcher_label: String::new(),
            domain: None,
            notice: None,
            checklist: None,
            standing: None,
            engine: None,
            show_me: None,
            highlights: Vec::new(),
            capture: None,
            vault: None,
            fill: None,
            outcome: None,
            api: None,
            page_report: None,
            page_app: None,
            diagnose: None,
            rotation: None,
        }
    }
}

/// What the org's engine means for the chosen connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineNotice {
    /// A Classic Engine org: the connector cannot work here.
    Classic(String),
    /// The engine is not known; the text says why and what it means.
    Unknown(String),
}

/// Decides the overlay for these facts and this state.
pub fn decide(facts: &PageFacts, ui: &UiState) -> OverlayModel {
    let mut model = OverlayModel::hidden();
    let open_by_default = match recognize(facts) {
        Page::Unsupported => return model,
        Page::Admin { host, place } => decide_admin(facts, ui, &host, place, &mut model),
        Page::Workflows { host } => decide_workflows(facts, ui, &host, &mut model),
    };
    model.outcome = ui.outcome.clone();
    model.mode = if ui.collapsed.unwrap_or(!open_by_default) {
        Mode::Launcher
    } else {
        Mode::Panel
    };
    model
}

/// Fills in the model for an Admin Console page; returns whether the panel opens by default.
fn decide_admin(
    facts: &PageFacts,
    ui: &UiState,
    host: &AdminHost,
    place: AdminPlace,
    model: &mut OverlayModel,
) -> bool {
    let org_domain = host.org_domain();
    // The app itself once the API found it, else the app list.
    let apps_link = || match ui.api.as_ref().and_then(|report| report.app_id.as_deref()) {
        Some(id) => Action::Link {
            href: format!(
                "https://{host}/admin/app/{WORKFLOWS_OAUTH_APP_NAME}/instance/{id}/{}",
                AppTab::OktaApiScopes.fragment()
            ),
            label: "Open Okta Workflows OAuth app".to_owned(),
        },
        None => Action::Link {
            href: format!("https://{host}{APPS_LIST_PATH}"),
            label: "Open Applications".to_owned(),
        },
    };
    model.launcher_label = "Okta Devices helper".to_owned();
    model.domain = Some(DomainLine {
        header: match read_header_domain(facts) {
            Some(shown) if shown == org_domain => HeaderCheck::Agrees,
            Some(shown) => HeaderCheck::Differs(shown),
            None => HeaderCheck::Unreadable,
        },
        domain: org_domain.clone(),
    });
    let chosen = profile(ui.profile.as_deref());
    model.engine = engine_notice(ui, chosen);
    model.page_app = page_app_id(&place).map(str::to_owned);
    if matches!(place, AdminPlace::WorkflowsOauthApp { .. }) {
        model.diagnose = Some(DiagnosePanel {
            ready: ui.org.is_some(),
            state: ui.diagnose.clone(),
        });
    }
    match place {
        AdminPlace::WorkflowsOauthApp {
            tab: Some(AppTab::OktaApiScopes),
            ..
        } => {
            let scope_check = check(chosen, &read_scope_table(facts));
            // When the page could not be read, the admin can share a report of it.
            let unread = !scope_check.problems.is_empty()
                || scope_check.scopes.iter().any(|status| {
                    status.scope.grant != Grant::Optional
                        && matches!(status.state, ScopeState::Unknown(_))
                });
            if unread {
                model.page_report = Some(ui.page_report.clone());
            }
            model.api = api_panel(ui, Some(&scope_check), page_app_id(&place));
            // Okta's API is the judge: once it has answered for this app and this page, every
            // line, the summary, the badge and the highlights follow it.
            let shown = match &model.api {
                Some(api) => with_api_lines(scope_check, &api.lines),
                None => scope_check,
            };
            // Highlights point at the page's rows of the scopes still to grant.
            model.highlights = missing_highlights(&shown);
            model.show_me = first_row_to_grant(&shown);
            let standing = standing(ui, &shown, model.engine.as_ref());
            model.launcher_label = launcher_label(&standing, &shown);
            model.standing = Some(standing);
            model.checklist = Some(shown);
            true
        }
        AdminPlace::WorkflowsOauthApp { tab, .. } => {
            model.api = api_panel(ui, None, page_app_id(&place));
            if tab == Some(AppTab::SignOn) {
                model.capture = Some(CapturePanel {
                    org_domain: org_domain.clone(),
                    fields_present: sign_on_fields_present(facts),
                    api_offer: ui
                        .secret_offer
                        .as_ref()
                        .map(|offer| offer.page_problem.clone()),
                });
                model.vault = Some(vault_lookup(ui, &org_domain));
                model.rotation = Some(rotation_panel(ui, &org_domain));
            }
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
    }
}

/// Fills in the model for a Workflows console page; returns whether the panel opens by default.
fn decide_workflows(
    facts: &PageFacts,
    ui: &UiState,
    host: &WorkflowsHost,
    model: &mut OverlayModel,
) -> bool {
    let workflows_org = host.org_domain();
    let dialog = read_connection_dialog(facts);
    let lookup = vault_lookup(ui, &workflows_org);
    // Credentials of this org; failing that, the newest capture of another org, to be confirmed.
    let source = match &lookup {
        VaultLookup::Ready(status) => Some(status.clone()),
        _ => ui
            .vault
            .iter()
            .flatten()
            .filter_map(|lookup| match lookup {
                VaultLookup::Ready(status) => Some(status.clone()),
                _ => None,
            })
            .max_by(|a, b| a.captured_at_ms.total_cmp(&b.captured_at_ms)),
    };
    let captured_org = source
        .as_ref()
        .map_or(workflows_org.as_str(), |s| s.org_domain.as_str());
    let plan = plan_fill(dialog.as_ref(), host, captured_org, &ui.org_typed);
    let record = |org: &str| ui.flow.iter().find(|record| record.org_domain == org);
    let filled_here = ui.filled.is_some() && dialog.is_some();
    if let (true, Ok(plan)) = (filled_here, &plan) {
        model.highlights = plan
            .create
            .iter()
            .map(|create| Highlight {
                target: create.clone(),
                mark: Mark::Next,
            })
            .collect();
    }
    let reminder = ui
        .filled
        .as_deref()
        .and_then(record)
        .filter(|record| !record.scopes_added.is_empty())
        .map(|record| {
            format!(
                "Scopes were just added ({}). Reauthorize existing Okta Devices connections so that they get them.",
                record.scopes_added.join(", ")
            )
        });
    let capture_link = record(&workflows_org)
        .and_then(|record| {
            let host = record.admin_host.as_deref()?;
            Some(match &record.app_id {
                Some(id) => format!("https://{host}/admin/app/flow/instance/{id}/#tab-signon"),
                None => format!("https://{host}{APPS_LIST_PATH}"),
            })
        })
        .or_else(|| admin_apps_link(&workflows_org));
    // Another org's credentials are never offered as the thing to do: the launcher names only
    // this org's, and only they open the panel.
    let own = source
        .as_ref()
        .filter(|status| status.org_domain == workflows_org);
    model.launcher_label = match own {
        Some(status) => format!("Fill from {}", status.org_domain),
        None => "Okta Devices helper".to_owned(),
    };
    let open = own.is_some() || dialog.is_some() || ui.filled.is_some();
    model.vault = match (&source, &lookup) {
        (Some(status), _) => Some(VaultLookup::Ready(status.clone())),
        // Just filled and cleared: the outcome says so; "nothing captured" would only confuse.
        (None, VaultLookup::Empty { .. }) if ui.filled.is_some() => None,
        (None, _) => Some(lookup),
    };
    model.fill = Some(FillPanel {
        nickname: default_nickname(
            &source
                .as_ref()
                .map_or(workflows_org.clone(), |s| s.org_domain.clone()),
        ),
        workflows_org,
        source,
        blocked: plan.err(),
        capture_link,
        reminder,
        org_typed: ui.org_typed.clone(),
    });
    open
}

/// The app id in the page's URL, on the Okta Workflows OAuth app's pages.
fn page_app_id(place: &AdminPlace) -> Option<&str> {
    match place {
        AdminPlace::WorkflowsOauthApp { app_id, .. } => Some(app_id),
        _ => None,
    }
}

/// What to show of the API's last answer, with the page's checklist when there is one. An answer
/// counts only for the app it was about: on another app's page it is as good as none.
fn api_panel(ui: &UiState, page: Option<&ScopeCheck>, app_id: Option<&str>) -> Option<ApiPanel> {
    let report = ui.api.as_ref()?;
    let for_this_app = match (app_id, report.app_id.as_deref()) {
        (Some(page_app), Some(checked)) => page_app == checked,
        (Some(_), None) => report.scopes.is_none(), // a failure before the app was known
        (None, _) => true,
    };
    if !for_this_app {
        return None;
    }
    // The API judges only what it answered for: a page that changed since is the page's until
    // the next answer.
    let judged = report.scopes.as_deref().filter(|_| !ui.api_stale);
    let lines = page
        .map(|check| {
            check
                .scopes
                .iter()
                .map(|status| {
                    let api = judged.and_then(|scopes| {
                        scopes
                            .iter()
                            .find(|scope| scope.scope_id == status.scope.id)
                            .map(|scope| &scope.state)
                    });
                    match api {
                        Some(api) => judge(status, api, &report.issuer),
                        None => Line {
                            scope: status.scope.id,
                            state: status.state.clone(),
                            source: Source::Page,
                            page_differs: None,
                        },
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ApiPanel {
        busy: ui.api_stale,
        lines,
        super_admin: report.super_admin.clone(),
        assigned: report.assigned.clone(),
        grantable: report
            .scopes
            .iter()
            .flatten()
            .filter(|scope| scope.state == ApiScopeState::Missing)
            .map(|scope| scope.scope_id.clone())
            .collect(),
        other_issuers: report
            .scopes
            .iter()
            .flatten()
            .filter_map(|scope| match &scope.state {
                ApiScopeState::OtherIssuer(issuers) => {
                    Some((scope.scope_id.clone(), issuers.clone()))
                }
                _ => None,
            })
            .collect(),
        issuer: report.issuer.clone(),
        confirm: ui.api_confirm.clone(),
        results: report.granted.clone(),
        problems: report.problems.clone(),
        notes: report
            .notes
            .iter()
            .cloned()
            .chain(ui.org.as_ref().and_then(|org| org.issuer_note.clone()))
            .collect(),
    })
}

/// One line as Okta's API has it, and what the page shows if that is something else.
fn judge(status: &ScopeStatus, api: &ApiScopeState, issuer: &str) -> Line {
    let page_missing = status.state == ScopeState::Missing;
    let state = match api {
        ApiScopeState::Granted => ScopeState::Granted(Basis::Api),
        // Okta's API lists nothing for a scope Okta gives by itself, so it cannot overrule a
        // page that shows the scope not granted: that page is one the helper does not understand.
        ApiScopeState::Auto if page_missing => ScopeState::Unknown(format!(
            "The page shows {} not granted, and Okta's API lists no grant for it either way. \
             Check the scope on the page.",
            status.scope.id
        )),
        ApiScopeState::Auto => ScopeState::Granted(Basis::Auto),
        ApiScopeState::Missing | ApiScopeState::Optional => ScopeState::Missing,
        ApiScopeState::OtherIssuer(issuers) => ScopeState::Unknown(format!(
            "Okta's API lists it granted for {}, not for this org's issuer {issuer}.",
            issuers.join(", ")
        )),
    };
    let page_granted = matches!(status.state, ScopeState::Granted(Basis::Page));
    let page_differs = match &state {
        ScopeState::Granted(Basis::Api) if page_missing => {
            Some("The page shows it not granted, but Okta's API has it granted. Reload the page.")
        }
        ScopeState::Missing if page_granted => {
            Some("The page shows it granted, but Okta's API has no grant for it. Reload the page.")
        }
        ScopeState::Unknown(_) if page_granted => {
            Some("The page shows it granted, but not for this org's issuer.")
        }
        _ => None,
    };
    Line {
        scope: status.scope.id,
        state,
        source: Source::Api,
        page_differs: page_differs.map(str::to_owned),
    }
}

/// Whether the API's answer says of every line what the page shows: granted (or given by Okta
/// itself) where the page shows it granted, not granted where the page shows it missing. A line
/// the page leaves unknown, or the API did not answer, is no agreement: a change there could be
/// one the API has not seen yet.
pub fn page_and_api_agree(page: &ScopeCheck, report: &ApiReport) -> bool {
    let Some(answered) = report.scopes.as_deref() else {
        return false;
    };
    page.scopes.iter().all(|status| {
        let api = answered
            .iter()
            .find(|scope| scope.scope_id == status.scope.id)
            .map(|scope| &scope.state);
        matches!(
            (&status.state, api),
            (
                ScopeState::Granted(_),
                Some(ApiScopeState::Granted | ApiScopeState::Auto)
            ) | (
                ScopeState::Missing,
                Some(ApiScopeState::Missing | ApiScopeState::Optional)
            )
        )
    })
}

/// The checklist with each line's state as the API panel shows it.
fn with_api_lines(mut check: ScopeCheck, lines: &[Line]) -> ScopeCheck {
    for status in &mut check.scopes {
        if let Some(line) = lines.iter().find(|line| line.scope == status.scope.id) {
            status.state = line.state.clone();
        }
    }
    check
}

/// What the org's engine means for a connector that needs Identity Engine, if anything.
fn engine_notice(ui: &UiState, chosen: ConnectorProfile) -> Option<EngineNotice> {
    if !chosen.needs_identity_engine {
        return None;
    }
    match &ui.org.as_ref()?.engine {
        Engine::Identity => None,
        Engine::Classic => Some(EngineNotice::Classic(format!(
            "This org runs Okta Classic Engine. The {} connector works only on Okta Identity Engine orgs, so it cannot connect here.",
            chosen.name
        ))),
        Engine::Unknown(why) => Some(EngineNotice::Unknown(format!(
            "Could not tell whether this org runs Okta Identity Engine, which the {} connector needs ({why}).",
            chosen.name
        ))),
    }
}

/// Where the checklist stands: never complete while the org's engine is unknown, or after Okta's
/// API was asked and could not confirm what the page shows; blocked on a Classic org.
fn standing(ui: &UiState, shown: &ScopeCheck, engine: Option<&EngineNotice>) -> Standing {
    if let Some(EngineNotice::Classic(_)) = engine {
        // The notice at the top of the panel says it in full.
        return Standing::Blocked(format!(
            "{} cannot connect here: this org runs Okta Classic Engine.",
            shown.profile.name
        ));
    }
    let verdict = shown.verdict();
    if verdict != Verdict::Complete {
        return Standing::Scopes(verdict);
    }
    // The last answer counts until a new one arrives: a check under way does not undo a failure.
    let api_failed = ui.api.as_ref().filter(|report| report.scopes.is_none());
    match (engine, api_failed, &ui.org) {
        (Some(EngineNotice::Unknown(why)), _, _) => Standing::Unconfirmed(why.clone()),
        (_, Some(report), _) => Standing::Unconfirmed(format!(
            "The page shows every scope granted, but Okta's API could not confirm it: {}",
            report
                .problems
                .first()
                .map_or("it gave no answer.", String::as_str)
        )),
        (_, _, None) if shown.profile.needs_identity_engine => Standing::Unconfirmed(
            "The page shows every scope granted; the helper is still asking Okta which engine this org runs.".to_owned(),
        ),
        _ => Standing::Scopes(Verdict::Complete),
    }
}

/// The vault's answer for one org, from what the service worker last said.
/// The rotation section: the org's rotation and what may be done next.
fn rotation_panel(ui: &UiState, org_domain: &str) -> RotationPanel {
    let rotation = ui
        .flow
        .iter()
        .find(|record| record.org_domain == org_domain)
        .and_then(|record| record.rotation.clone());
    let under_way = rotation.as_ref().filter(|rotation| !rotation.is_over());
    let listed = match &ui.rotation.secrets {
        Some(Ok(secrets)) => Some(secrets.as_slice()),
        _ => None,
    };
    let may_create = match (under_way, listed) {
        (None, Some(secrets)) => Some(may_create(secrets)),
        _ => None,
    };
    let deactivatable = match (under_way, listed) {
        (Some(rotation), Some(secrets)) if rotation.stage == Stage::Confirmed => secrets
            .iter()
            .filter(|secret| secret.active && secret.id != rotation.new_secret.id)
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let new_secret_gone = under_way.is_some_and(|rotation| rotation.stage == Stage::Created)
        && !matches!(vault_lookup(ui, org_domain), VaultLookup::Ready(_));
    RotationPanel {
        rotation,
        ui: ui.rotation.clone(),
        may_create,
        deactivatable,
        new_secret_gone,
    }
}

fn vault_lookup(ui: &UiState, org_domain: &str) -> VaultLookup {
    ui.vault
        .iter()
        .flatten()
        .find(|lookup| lookup.org_domain() == org_domain)
        .cloned()
        .unwrap_or_else(|| VaultLookup::Empty {
            org_domain: org_domain.to_owned(),
        })
}

/// `acme.okta.com` → its Admin Console's app list.
fn admin_apps_link(org_domain: &str) -> Option<String> {
    let (org, base) = org_domain.split_once('.')?;
    let host = AdminHost::parse(&format!("{org}-admin.{base}"))?;
    Some(format!("https://{host}{APPS_LIST_PATH}"))
}

/// The one-line summary of a checklist, as the admin reads it.
pub fn summary(standing: &Standing, check: &ScopeCheck) -> String {
    let verdict = match standing {
        Standing::Blocked(why) | Standing::Unconfirmed(why) => return why.clone(),
        Standing::Scopes(verdict) => verdict,
    };
    match verdict {
        Verdict::Complete => format!(
            "All {} required scopes granted. {} can connect.",
            check
                .scopes
                .iter()
                .filter(|status| status.scope.grant != Grant::Optional)
                .count(),
            check.profile.name
        ),
        Verdict::Missing(ids) => format!("Grant on this tab: {}.", ids.join(", ")),
        Verdict::Unconfirmed(ids) => format!("Could not confirm: {}.", ids.join(", ")),
    }
}

/// The short label of one checklist line.
pub fn state_label(status: &crate::scopes::ScopeStatus) -> &'static str {
    match (&status.state, status.scope.grant) {
        (ScopeState::Granted(Basis::Auto), _) => "auto-granted",
        (ScopeState::Granted(Basis::Page | Basis::Api), _) => "granted",
        (ScopeState::Missing, Grant::ByAdmin) => "grant this",
        (ScopeState::Missing, Grant::Auto) => "missing: grant this",
        (ScopeState::Missing, Grant::Optional) => "optional",
        (ScopeState::Unknown(_), Grant::Optional) => "optional: can't confirm",
        (ScopeState::Unknown(_), _) => "can't confirm",
    }
}

fn launcher_label(standing: &Standing, check: &ScopeCheck) -> String {
    let name = check.profile.name;
    match standing {
        Standing::Blocked(_) => format!("{name}: needs Identity Engine"),
        Standing::Unconfirmed(_) => format!("{name}: not confirmed"),
        Standing::Scopes(Verdict::Complete) => format!("{name}: scopes complete"),
        Standing::Scopes(Verdict::Missing(ids)) => format!("{name}: {} to grant", ids.len()),
        Standing::Scopes(Verdict::Unconfirmed(ids)) => format!("{name}: {} unconfirmed", ids.len()),
    }
}

/// Every row (and its control that grants) of a scope seen missing.
fn missing_highlights(check: &ScopeCheck) -> Vec<Highlight> {
    check
        .scopes
        .iter()
        .filter(|status| {
            status.state == ScopeState::Missing && status.scope.grant != Grant::Optional
        })
        .flat_map(|status| status.rows.iter())
        .flat_map(|row| {
            let grant = row
                .grant_control
                .map(|control| row_ref(row.index, Some(control)));
            std::iter::once(row_ref(row.index, None)).chain(grant)
        })
        .map(|target| Highlight {
            target,
            mark: Mark::Missing,
        })
        .collect()
}

fn first_row_to_grant(check: &ScopeCheck) -> Option<ElementRef> {
    check
        .scopes
        .iter()
        .filter(|status| {
            status.state == ScopeState::Missing && status.scope.grant != Grant::Optional
        })
        .find_map(|status| status.rows.first())
        .map(|row| row_ref(row.index, None))
}

/// A scanned row, or one of its controls (the agent names the fourth control `c3`).
fn row_ref(row: usize, control: Option<u32>) -> ElementRef {
    ElementRef {
        probe: ProbeId::ScopeScan,
        index: u32::try_from(row).unwrap_or(u32::MAX),
        part: control.map(|control| format!("c{control}")),
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
    use crate::page_rules::fixtures::{app_tabs, facts, scanned, scope_table};
    use crate::scopes::OKTA_REALMS;

    const APP: &str = "/admin/app/flow/instance/0oa1/";

    /// An Identity Engine org with its own issuer, as the metadata says.
    fn identity_engine() -> Option<OrgFacts> {
        Some(OrgFacts {
            engine: Engine::Identity,
            issuer: "https://acme.okta.com".into(),
            issuer_note: None,
        })
    }

    fn ui(collapsed: Option<bool>) -> UiState {
        UiState {
            collapsed,
            org: identity_engine(),
            ..UiState::default()
        }
    }

    fn summary_of(model: &OverlayModel) -> String {
        summary(
            model.standing.as_ref().expect("a standing"),
            model.checklist.as_ref().expect("a checklist"),
        )
    }

    fn missing(target: ElementRef) -> Highlight {
        Highlight {
            target,
            mark: Mark::Missing,
        }
    }

    fn scopes_tab(rows: &[(&str, bool)]) -> PageFacts {
        let mut probes = scope_table();
        probes.push(app_tabs(AppTab::OktaApiScopes));
        let mut facts = facts(APP, "#tab-okta-api-scopes", probes);
        facts.scan = Some(scanned(rows));
        facts
    }

    #[test]
    fn scopes_tab_lists_eight_and_highlights_the_missing_row_and_its_button() {
        let model = decide(
            &scopes_tab(&[("okta.users.read", true), ("okta.devices.manage", false)]),
            &ui(None),
        );
        assert_eq!(model.mode, Mode::Panel);
        let checklist = model.checklist.as_ref().expect("checklist");
        let labels: Vec<_> = checklist.scopes.iter().map(state_label).collect();
        assert_eq!(labels[..7], ["auto-granted"; 7]);
        assert_eq!(labels[7], "grant this");
        assert_eq!(
            labels[8], "optional: can't confirm",
            "okta.devices.read is not in this table"
        );
        assert_eq!(
            model.highlights,
            vec![missing(row_ref(1, None)), missing(row_ref(1, Some(0)))]
        );
        assert_eq!(model.show_me, Some(row_ref(1, None)));
        assert_eq!(
            summary_of(&model),
            "Grant on this tab: okta.devices.manage."
        );
        assert_eq!(model.launcher_label, "Okta Devices: 1 to grant");
        assert_eq!(
            model.domain,
            Some(DomainLine {
                domain: "acme.okta.com".into(),
                header: HeaderCheck::Unreadable
            })
        );
    }

    #[test]
    fn the_diagnose_section_is_on_the_apps_pages_only_and_keeps_the_last_diagnosis() {
        for tab in [AppTab::General, AppTab::SignOn] {
            let model = decide(&facts(APP, tab.fragment(), vec![app_tabs(tab)]), &ui(None));
            assert_eq!(
                model.diagnose,
                Some(DiagnosePanel {
                    ready: true,
                    state: None
                }),
                "{tab:?}"
            );
        }
        let done = DiagnoseState::Done(DiagnoseReport {
            searched: "Searched Okta's System Log".into(),
            ..DiagnoseReport::default()
        });
        let asked = UiState {
            diagnose: Some(done.clone()),
            ..ui(None)
        };
        let model = decide(&scopes_tab(&[("okta.devices.manage", false)]), &asked);
        assert_eq!(
            model.diagnose,
            Some(DiagnosePanel {
                ready: true,
                state: Some(done.clone())
            })
        );
        // Until the org's issuer is known, no search can start.
        let loading = UiState {
            org: None,
            ..asked.clone()
        };
        let model = decide(&scopes_tab(&[("okta.devices.manage", false)]), &loading);
        assert_eq!(model.diagnose.map(|panel| panel.ready), Some(false));
        for path in [
            "/admin/dashboard",
            "/admin/app/okta_flow_sso/instance/0oa2/",
        ] {
            let model = decide(&facts(path, "", vec![]), &asked);
            assert_eq!(model.diagnose, None, "{path}");
        }
    }

    #[test]
    fn the_sign_on_tab_offers_a_rotation_and_only_old_active_secrets_to_deactivate() {
        let sign_on = facts(
            APP,
            AppTab::SignOn.fragment(),
            vec![app_tabs(AppTab::SignOn)],
        );
        let label = |id: &str, active: bool| SecretLabel {
            id: id.into(),
            active,
            created: "2026-11-01T09:00:00.000Z".into(),
            last_four: "abcd".into(),
        };
        let listed = |secrets: Vec<SecretLabel>| UiState {
            rotation: RotationUi {
                secrets: Some(Ok(secrets)),
                ..RotationUi::default()
            },
            ..ui(None)
        };
        let one = decide(&sign_on, &listed(vec![label("ocsOLD", true)]));
        let panel = one.rotation.expect("a rotation section");
        assert_eq!(panel.may_create, Some(Ok(())));
        let two = decide(
            &sign_on,
            &listed(vec![label("ocsOLD", true), label("ocsX", false)]),
        );
        assert!(matches!(
            two.rotation.expect("a section").may_create,
            Some(Err(_))
        ));
        let mut confirmed = listed(vec![label("ocsOLD", true), label("ocsNEW", true)]);
        confirmed.flow = vec![FlowRecord {
            org_domain: "acme.okta.com".into(),
            rotation: Some(Rotation {
                new_secret: label("ocsNEW", true),
                old_secrets: vec![label("ocsOLD", true)],
                stage: Stage::Confirmed,
                started: "2026-11-28T14:05:00.000Z".into(),
            }),
            ..FlowRecord::default()
        }];
        let panel = decide(&sign_on, &confirmed).rotation.expect("a section");
        assert_eq!(panel.deactivatable, vec![label("ocsOLD", true)]);
        assert!(!panel.new_secret_gone, "the fill's step is past");
        // Waiting for the fill with an empty vault: the new secret must be read again.
        let mut created = confirmed.clone();
        if let Some(rotation) = created.flow[0].rotation.as_mut() {
            rotation.stage = Stage::Created;
        }
        let panel = decide(&sign_on, &created).rotation.expect("a section");
        assert!(panel.new_secret_gone);
        assert_eq!(panel.may_create, None, "one rotation at a time");
        let scopes = decide(&scopes_tab(&[("okta.devices.manage", false)]), &confirmed);
        assert_eq!(scopes.rotation, None, "on the Sign On tab only");
    }

    #[test]
    fn granting_clears_highlights_and_completes() {
        let model = decide(&scopes_tab(&[("okta.devices.manage", true)]), &ui(None));
        assert!(model.highlights.is_empty());
        assert_eq!(model.show_me, None);
        assert!(summary_of(&model).starts_with("All 8 required scopes granted"));
        assert_eq!(model.standing, Some(Standing::Scopes(Verdict::Complete)));
    }

    #[test]
    fn an_unreadable_scopes_tab_says_so_and_highlights_nothing() {
        let model = decide(&facts(APP, "#tab-okta-api-scopes", vec![]), &ui(None));
        let checklist = model.checklist.as_ref().expect("checklist");
        assert!(summary_of(&model).starts_with("Could not confirm: okta.devices.manage"));
        assert!(checklist.problems[0].contains("Could not find"));
        assert!(model.highlights.is_empty());
    }

    #[test]
    fn other_tabs_point_to_the_scopes_tab() {
        for tab in [AppTab::General, AppTab::SignOn] {
            let model = decide(&facts(APP, tab.fragment(), vec![app_tabs(tab)]), &ui(None));
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
        let model = decide(&facts("/admin/dashboard", "", vec![]), &ui(None));
        assert_eq!(model.mode, Mode::Launcher);
        assert!(matches!(
            model.notice.and_then(|n| n.action),
            Some(Action::Link { href, .. }) if href == "https://acme-admin.okta.com/admin/apps/active"
        ));
        let opened = decide(&facts("/admin/dashboard", "", vec![]), &ui(Some(false)));
        assert_eq!(opened.mode, Mode::Panel);
    }

    #[test]
    fn the_admins_collapse_wins_on_the_scopes_tab() {
        let model = decide(
            &scopes_tab(&[("okta.devices.manage", false)]),
            &ui(Some(true)),
        );
        assert_eq!(model.mode, Mode::Launcher);
        assert_eq!(model.highlights.len(), 2, "highlights stay while collapsed");
    }

    #[test]
    fn unknown_hosts_hide_the_overlay() {
        let mut facts = scopes_tab(&[("okta.devices.manage", false)]);
        facts.location.host = "acme-admin.okta.com.evil.test".into();
        let model = decide(&facts, &ui(Some(false)));
        assert_eq!(model.mode, Mode::Hidden);
        assert!(model.highlights.is_empty());
    }

    fn header(domain: &str) -> crate::message::ProbeResult {
        crate::message::ProbeResult {
            id: ProbeId::UserMenuDomain,
            matched: Some(0),
            items: vec![crate::message::ProbeItem::from([(
                crate::page_rules::field::ORG_DOMAIN.to_owned(),
                Some(format!("  {domain}\n")),
            )])],
        }
    }

    #[test]
    fn the_domain_is_cross_checked_with_the_user_menu() {
        let agrees = decide(
            &facts("/admin/dashboard", "", vec![header("ACME.okta.com")]),
            &ui(None),
        );
        assert_eq!(agrees.domain.map(|d| d.header), Some(HeaderCheck::Agrees));
        let differs = decide(
            &facts("/admin/dashboard", "", vec![header("beta.okta.com")]),
            &ui(None),
        );
        assert_eq!(
            differs.domain.map(|d| d.header),
            Some(HeaderCheck::Differs("beta.okta.com".into()))
        );
    }

    fn status(org: &str, captured_at_ms: f64) -> VaultStatus {
        VaultStatus {
            org_domain: org.into(),
            client_id: "0oa1wf2oauthdemo0x7q".into(),
            secret_hint: "\u{2022}\u{2022}\u{2022}\u{2022}WrBt".into(),
            captured_at_ms,
            expires_at_ms: captured_at_ms + 600_000.0,
        }
    }

    #[test]
    fn the_sign_on_tab_offers_capture_and_shows_the_vault() {
        let sign_on_fields = crate::message::ProbeResult {
            id: ProbeId::SignOnFields,
            matched: Some(0),
            items: vec![crate::message::ProbeItem::new()],
        };
        let state = UiState {
            vault: Some(vec![VaultLookup::Ready(status("acme.okta.com", 0.0))]),
            ..UiState::default()
        };
        let model = decide(
            &facts(
                APP,
                "#tab-signon",
                vec![app_tabs(AppTab::SignOn), sign_on_fields],
            ),
            &state,
        );
        assert_eq!(
            model.capture,
            Some(CapturePanel {
                org_domain: "acme.okta.com".into(),
                fields_present: true,
                api_offer: None,
            })
        );
        assert!(matches!(model.vault, Some(VaultLookup::Ready(_))));
        let elsewhere = decide(&facts(APP, "#tab-general", vec![]), &state);
        assert_eq!(elsewhere.capture, None);
    }

    use crate::page_rules::fixtures::{connection_dialog, FULL_FORM};

    fn workflows_ui(vault: Vec<VaultLookup>) -> UiState {
        UiState {
            vault: Some(vault),
            ..UiState::default()
        }
    }

    #[test]
    fn without_credentials_workflows_says_where_to_capture_them() {
        let mut page = connection_dialog("Okta Devices", &FULL_FORM);
        page.probes.clear();
        let model = decide(&page, &workflows_ui(vec![]));
        let fill = model.fill.expect("fill panel");
        assert_eq!(fill.source, None);
        assert_eq!(fill.blocked, Some(FillRefusal::NoDialog));
        assert_eq!(
            fill.capture_link.as_deref(),
            Some("https://acme-admin.okta.com/admin/apps/active")
        );
        assert_eq!(model.mode, Mode::Launcher);
        let expired = decide(
            &page,
            &workflows_ui(vec![VaultLookup::Expired {
                org_domain: "acme.okta.com".into(),
                expired_at_ms: 1.0,
            }]),
        );
        assert!(matches!(expired.vault, Some(VaultLookup::Expired { .. })));
    }

    #[test]
    fn with_credentials_and_the_okta_devices_dialog_the_fill_is_ready() {
        let model = decide(
            &connection_dialog("Okta Devices", &FULL_FORM),
            &workflows_ui(vec![VaultLookup::Ready(status("acme.okta.com", 0.0))]),
        );
        assert_eq!(model.mode, Mode::Panel);
        let fill = model.fill.expect("fill panel");
        assert_eq!(fill.blocked, None);
        assert_eq!(fill.nickname, "Okta Devices \u{2013} acme");
        assert_eq!(model.launcher_label, "Fill from acme.okta.com");
        assert!(
            model.highlights.is_empty(),
            "Create is marked only after the fill"
        );
    }

    #[test]
    fn another_orgs_credentials_need_confirmation() {
        let mut state = workflows_ui(vec![
            VaultLookup::Ready(status("beta.okta.com", 5.0)),
            VaultLookup::Ready(status("gamma.okta.com", 1.0)),
        ]);
        let model = decide(&connection_dialog("Okta Devices", &FULL_FORM), &state);
        let fill = model.fill.expect("fill panel");
        assert_eq!(
            fill.source.map(|s| s.org_domain).as_deref(),
            Some("beta.okta.com")
        );
        assert!(matches!(
            fill.blocked,
            Some(FillRefusal::OrgMismatch { .. })
        ));
        assert_eq!(
            model.launcher_label, "Okta Devices helper",
            "never offered by default"
        );
        state.org_typed = "beta.okta.com".into();
        let typed_theirs = decide(&connection_dialog("Okta Devices", &FULL_FORM), &state);
        assert!(typed_theirs.fill.expect("fill panel").blocked.is_some());
        state.org_typed = "acme.okta.com".into();
        let confirmed = decide(&connection_dialog("Okta Devices", &FULL_FORM), &state);
        assert_eq!(confirmed.fill.expect("fill panel").blocked, None);
    }

    #[test]
    fn after_a_fill_create_is_marked_and_added_scopes_bring_a_reminder() {
        let mut state = workflows_ui(vec![]);
        state.filled = Some("acme.okta.com".into());
        state.flow = vec![FlowRecord {
            org_domain: "acme.okta.com".into(),
            scopes_added: vec!["okta.devices.manage".into()],
            ..FlowRecord::default()
        }];
        let model = decide(&connection_dialog("Okta Devices", &FULL_FORM), &state);
        assert_eq!(
            model.highlights,
            vec![Highlight {
                target: ElementRef {
                    probe: ProbeId::DialogButtons,
                    index: 1,
                    part: None
                },
                mark: Mark::Next
            }]
        );
        let reminder = model.fill.and_then(|f| f.reminder).expect("reminder");
        assert!(reminder.contains("okta.devices.manage") && reminder.contains("Reauthorize"));
    }

    #[test]
    fn another_connectors_dialog_blocks_the_fill() {
        let model = decide(
            &connection_dialog("Slack", &FULL_FORM),
            &workflows_ui(vec![VaultLookup::Ready(status("acme.okta.com", 0.0))]),
        );
        assert!(matches!(
            model.fill.and_then(|f| f.blocked),
            Some(FillRefusal::WrongConnector(_))
        ));
    }

    fn report(manage: ApiScopeState) -> ApiReport {
        ApiReport {
            app_id: Some("0oa1".into()),
            issuer: "https://acme.okta.com".into(),
            scopes: Some(
                crate::scopes::OKTA_DEVICES
                    .scopes
                    .iter()
                    .map(|scope| crate::api_check::ApiScope {
                        scope_id: scope.id.to_owned(),
                        state: match scope.id {
                            "okta.devices.manage" => manage.clone(),
                            "okta.devices.read" => ApiScopeState::Optional,
                            _ => ApiScopeState::Auto,
                        },
                    })
                    .collect(),
            ),
            super_admin: Some(Check::Yes),
            assigned: Some(Check::No),
            granted: vec![],
            problems: vec![],
            notes: vec![],
        }
    }

    fn with_api(report: ApiReport) -> UiState {
        UiState {
            api: Some(report),
            org: identity_engine(),
            ..UiState::default()
        }
    }

    fn line(state: ScopeState, source: Source, page_differs: Option<&str>) -> Line {
        Line {
            scope: "okta.devices.manage",
            state,
            source,
            page_differs: page_differs.map(str::to_owned),
        }
    }

    #[test]
    fn when_page_and_api_agree_the_lines_are_verified_by_the_api() {
        let model = decide(
            &scopes_tab(&[("okta.devices.manage", false)]),
            &with_api(report(ApiScopeState::Missing)),
        );
        let api = model.api.expect("api panel");
        assert_eq!(api.lines[7], line(ScopeState::Missing, Source::Api, None));
        assert_eq!(
            api.lines[0].source,
            Source::Api,
            "auto-granted agrees with the API"
        );
        assert_eq!(api.grantable, ["okta.devices.manage"]);
        assert_eq!(api.super_admin, Some(Check::Yes));
        assert_eq!(api.assigned, Some(Check::No));
        assert_eq!(model.highlights.len(), 2, "the row and its Grant button");
    }

    #[test]
    fn page_and_api_agree_only_when_the_api_says_what_every_line_shows() {
        let page = |granted: bool| {
            let facts = scopes_tab(&[
                ("okta.devices.manage", granted),
                ("okta.devices.read", false),
            ]);
            check(
                crate::scopes::OKTA_DEVICES,
                &crate::page_rules::read_scope_table(&facts),
            )
        };
        assert!(page_and_api_agree(
            &page(false),
            &report(ApiScopeState::Missing)
        ));
        assert!(page_and_api_agree(
            &page(true),
            &report(ApiScopeState::Granted)
        ));
        // The console shows its change before its own request is done, or after Okta has it.
        assert!(!page_and_api_agree(
            &page(true),
            &report(ApiScopeState::Missing)
        ));
        assert!(!page_and_api_agree(
            &page(false),
            &report(ApiScopeState::Granted)
        ));
        // Granted for another issuer is not what a page showing it granted means.
        assert!(!page_and_api_agree(
            &page(true),
            &report(ApiScopeState::OtherIssuer(vec![
                "https://login.acme.example".into()
            ]))
        ));
        // No answer about the grants, or a line the page leaves unknown (here every line, and
        // before, okta.devices.read where the table did not list it), agrees with nothing.
        let unlisted = check(
            crate::scopes::OKTA_DEVICES,
            &crate::page_rules::read_scope_table(&scopes_tab(&[("okta.devices.manage", true)])),
        );
        assert!(!page_and_api_agree(
            &unlisted,
            &report(ApiScopeState::Granted)
        ));
        let unanswered = ApiReport {
            scopes: None,
            ..report(ApiScopeState::Granted)
        };
        assert!(!page_and_api_agree(&page(true), &unanswered));
        let unreadable = check(
            crate::scopes::OKTA_DEVICES,
            &crate::page_rules::read_scope_table(&facts(APP, "#tab-okta-api-scopes", vec![])),
        );
        assert!(!page_and_api_agree(
            &unreadable,
            &report(ApiScopeState::Granted)
        ));
    }

    #[test]
    fn when_they_disagree_the_api_is_the_judge_and_the_line_says_what_the_page_shows() {
        // The page shows Grant; Okta's API has the grant.
        let model = decide(
            &scopes_tab(&[("okta.devices.manage", false)]),
            &with_api(report(ApiScopeState::Granted)),
        );
        let api = model.api.as_ref().expect("api panel");
        assert_eq!(
            api.lines[7],
            line(
                ScopeState::Granted(Basis::Api),
                Source::Api,
                Some("The page shows it not granted, but Okta's API has it granted. Reload the page.")
            )
        );
        assert_eq!(model.standing, Some(Standing::Scopes(Verdict::Complete)));
        assert!(
            model.highlights.is_empty(),
            "no Grant button is pointed at for a scope the API has granted"
        );
        // The page shows Revoke; Okta's API has no grant.
        let model = decide(
            &scopes_tab(&[("okta.devices.manage", true)]),
            &with_api(report(ApiScopeState::Missing)),
        );
        let api = model.api.as_ref().expect("api panel");
        assert_eq!(
            api.lines[7],
            line(
                ScopeState::Missing,
                Source::Api,
                Some("The page shows it granted, but Okta's API has no grant for it. Reload the page.")
            )
        );
        assert_eq!(
            model.standing,
            Some(Standing::Scopes(Verdict::Missing(vec![
                "okta.devices.manage"
            ])))
        );
        assert_eq!(model.launcher_label, "Okta Devices: 1 to grant");
        let checklist = model.checklist.as_ref().expect("checklist");
        assert_eq!(
            model.standing.as_ref().map(|s| s.badge(checklist)),
            Some((1, 0, false))
        );
    }

    /// The API's report on `profile` for an org whose only grants are `granted`.
    fn report_of_grants(profile: ConnectorProfile, granted: &[&str]) -> ApiReport {
        let issuer = "https://acme.okta.com";
        let grants: Vec<crate::api::Grant> = granted
            .iter()
            .map(|scope| crate::api::Grant {
                scope_id: (*scope).into(),
                issuer: issuer.into(),
                id: None,
                status: None,
                created: None,
            })
            .collect();
        let scopes = crate::api_check::verify(profile, &grants, issuer)
            .into_iter()
            .map(|(id, state)| crate::api_check::ApiScope {
                scope_id: id.into(),
                state,
            })
            .collect();
        ApiReport {
            scopes: Some(scopes),
            ..report(ApiScopeState::Granted)
        }
    }

    fn realms_with_api(report: ApiReport) -> UiState {
        UiState {
            profile: Some("okta_realms".into()),
            ..with_api(report)
        }
    }

    fn api_line<'a>(model: &'a OverlayModel, scope: &str) -> &'a Line {
        let api = model.api.as_ref().expect("api panel");
        api.lines
            .iter()
            .find(|line| line.scope == scope)
            .expect("a line for the scope")
    }

    #[test]
    fn a_scope_okta_grants_by_default_is_granted_only_when_its_grant_is_listed() {
        // okta.realms.read is one of Okta Realms' default scopes: Okta lists its grant like any
        // other, so the page's Grant and the API's silence both mean it is missing.
        let page = scopes_tab(&[("okta.realms.read", false)]);
        let model = decide(&page, &realms_with_api(report_of_grants(OKTA_REALMS, &[])));
        assert_eq!(
            *api_line(&model, "okta.realms.read"),
            Line {
                scope: "okta.realms.read",
                state: ScopeState::Missing,
                source: Source::Api,
                page_differs: None,
            }
        );
        assert_eq!(summary_of(&model), "Grant on this tab: okta.realms.read.");
        assert_eq!(
            api_line(&model, "openid").state,
            ScopeState::Granted(Basis::Auto),
            "OpenID Connect scopes are listed nowhere"
        );
        // With its grant listed, it is granted on the API's word against the page's Grant.
        let granted = decide(
            &page,
            &realms_with_api(report_of_grants(OKTA_REALMS, &["okta.realms.read"])),
        );
        assert_eq!(
            api_line(&granted, "okta.realms.read").state,
            ScopeState::Granted(Basis::Api)
        );
        assert_eq!(granted.standing, Some(Standing::Scopes(Verdict::Complete)));
    }

    #[test]
    fn a_default_scope_listed_without_buttons_waits_for_the_api() {
        use crate::page_rules::fixtures::row;
        let mut page = scopes_tab(&[]);
        page.scan = Some(vec![row("okta.realms.read", vec![], &[])]);
        // The page alone cannot tell; the admin is offered the page report.
        let alone = decide(
            &page,
            &UiState {
                profile: Some("okta_realms".into()),
                ..ui(None)
            },
        );
        let checklist = alone.checklist.as_ref().expect("checklist");
        let realms = checklist
            .scopes
            .iter()
            .find(|status| status.scope.id == "okta.realms.read")
            .expect("line");
        assert!(matches!(realms.state, ScopeState::Unknown(_)));
        assert!(alone.page_report.is_some());
        assert_ne!(alone.standing, Some(Standing::Scopes(Verdict::Complete)));
        // Okta's API lists its grant: granted, verified.
        let model = decide(
            &page,
            &realms_with_api(report_of_grants(OKTA_REALMS, &["okta.realms.read"])),
        );
        assert_eq!(
            *api_line(&model, "okta.realms.read"),
            Line {
                scope: "okta.realms.read",
                state: ScopeState::Granted(Basis::Api),
                source: Source::Api,
                page_differs: None,
            }
        );
        assert_eq!(model.standing, Some(Standing::Scopes(Verdict::Complete)));
        // Not listed in a readable table either: still nothing assumed.
        let unlisted = decide(
            &scopes_tab(&[("okta.realms.manage", false)]),
            &UiState {
                profile: Some("okta_realms".into()),
                ..ui(None)
            },
        );
        let checklist = unlisted.checklist.as_ref().expect("checklist");
        assert!(checklist.scopes.iter().any(|status| status.scope.id
            == "okta.realms.read"
            && matches!(status.state, ScopeState::Unknown(ref why) if why.contains("not listed"))));
    }

    #[test]
    fn the_apis_silence_on_a_scope_okta_gives_by_itself_never_overrules_the_page() {
        // A page that lists openid with a Grant button is one the helper does not understand.
        let model = decide(
            &scopes_tab(&[("openid", false), ("okta.devices.manage", true)]),
            &with_api(report(ApiScopeState::Granted)),
        );
        let openid = api_line(&model, "openid");
        assert!(
            matches!(openid.state, ScopeState::Unknown(ref why) if why.contains("lists no grant")),
            "{openid:?}"
        );
        assert_eq!(
            openid.page_differs, None,
            "never \"Okta's API has it granted\""
        );
        assert_eq!(
            model.standing,
            Some(Standing::Scopes(Verdict::Unconfirmed(vec!["openid"])))
        );
    }

    #[test]
    fn a_stale_answer_judges_nothing() {
        let mut state = with_api(report(ApiScopeState::Missing));
        state.api_stale = true;
        let model = decide(&scopes_tab(&[("okta.devices.manage", true)]), &state);
        let api = model.api.expect("api panel");
        assert!(api.busy);
        assert!(api.lines.iter().all(|line| line.source == Source::Page));
        assert!(api.lines.iter().all(|line| line.page_differs.is_none()));
        assert_eq!(model.standing, Some(Standing::Scopes(Verdict::Complete)));
    }

    #[test]
    fn the_api_settles_what_the_page_could_not_read() {
        let model = decide(
            &facts(APP, "#tab-okta-api-scopes", vec![]),
            &with_api(report(ApiScopeState::Granted)),
        );
        let api = model.api.expect("api panel");
        assert_eq!(
            api.lines[7],
            line(ScopeState::Granted(Basis::Api), Source::Api, None)
        );
        assert_eq!(model.standing, Some(Standing::Scopes(Verdict::Complete)));
    }

    #[test]
    fn an_answer_about_another_app_judges_nothing_here() {
        let mut other = report(ApiScopeState::Granted);
        other.app_id = Some("0oa2other".into());
        let model = decide(
            &scopes_tab(&[("okta.devices.manage", false)]),
            &with_api(other),
        );
        assert_eq!(model.api, None, "another app's answer is as good as none");
        assert_eq!(
            model.page_app.as_deref(),
            Some("0oa1"),
            "the panel names the app of the page's address"
        );
        assert_eq!(
            model.standing,
            Some(Standing::Scopes(Verdict::Missing(vec![
                "okta.devices.manage"
            ])))
        );
        // A failure that came before any app was known still counts: no pass.
        let failed = ApiReport {
            problems: vec!["Okta refused.".into()],
            ..ApiReport::default()
        };
        let model = decide(
            &scopes_tab(&[("okta.devices.manage", true)]),
            &with_api(failed),
        );
        assert!(matches!(model.standing, Some(Standing::Unconfirmed(_))));
    }

    #[test]
    fn other_pages_link_to_the_app_the_api_found() {
        let model = decide(
            &facts("/admin/dashboard", "", vec![]),
            &with_api(report(ApiScopeState::Missing)),
        );
        assert!(matches!(
            model.notice.and_then(|n| n.action),
            Some(Action::Link { href, label })
                if href == "https://acme-admin.okta.com/admin/app/flow/instance/0oa1/#tab-okta-api-scopes"
                    && label == "Open Okta Workflows OAuth app"
        ));
    }

    fn org(engine: Engine, issuer_note: Option<&str>) -> Option<OrgFacts> {
        Some(OrgFacts {
            engine,
            issuer: "https://acme.okta.com".into(),
            issuer_note: issuer_note.map(str::to_owned),
        })
    }

    #[test]
    fn a_classic_org_blocks_the_connector_whatever_the_page_shows() {
        let state = UiState {
            org: org(Engine::Classic, None),
            ..ui(None)
        };
        let model = decide(&scopes_tab(&[("okta.devices.manage", true)]), &state);
        assert!(matches!(model.engine, Some(EngineNotice::Classic(ref text))
            if text.starts_with("This org runs Okta Classic Engine. The Okta Devices connector")));
        assert!(matches!(model.standing, Some(Standing::Blocked(_))));
        assert!(summary_of(&model).contains("Classic Engine"));
        assert_eq!(model.launcher_label, "Okta Devices: needs Identity Engine");
        let checklist = model.checklist.as_ref().expect("checklist");
        assert_eq!(
            model.standing.as_ref().map(|s| s.badge(checklist)),
            Some((0, 0, true))
        );
        // The Okta connector does not need Identity Engine: no word about the engine.
        let okta = UiState {
            profile: Some("okta".into()),
            ..state
        };
        let model = decide(&scopes_tab(&[("okta.devices.manage", true)]), &okta);
        assert_eq!(model.engine, None);
        assert_eq!(model.standing, Some(Standing::Scopes(Verdict::Complete)));
    }

    #[test]
    fn a_pass_needs_the_engine_known_and_the_api_not_failed() {
        let granted = scopes_tab(&[("okta.devices.manage", true)]);
        // The engine could not be read.
        let unknown = UiState {
            org: org(Engine::Unknown("it answered 500".into()), None),
            ..ui(None)
        };
        let model = decide(&granted, &unknown);
        assert!(
            matches!(model.standing, Some(Standing::Unconfirmed(ref why)) if why.contains("500"))
        );
        assert_eq!(model.launcher_label, "Okta Devices: not confirmed");
        let checklist = model.checklist.as_ref().expect("checklist");
        assert_eq!(
            model.standing.as_ref().map(|s| s.badge(checklist)),
            Some((0, 1, false)),
            "the badge never shows a check"
        );
        // Not asked yet.
        let pending = UiState {
            org: None,
            ..ui(None)
        };
        assert!(matches!(
            decide(&granted, &pending).standing,
            Some(Standing::Unconfirmed(_))
        ));
        // Okta's API was asked and could not answer.
        let failed = UiState {
            api: Some(ApiReport {
                problems: vec!["Okta answered E0000999: \u{201c}new\u{201d}.".into()],
                ..ApiReport::default()
            }),
            ..ui(None)
        };
        let model = decide(&granted, &failed);
        assert!(summary_of(&model).starts_with(
            "The page shows every scope granted, but Okta's API could not confirm it: Okta answered E0000999"
        ));
        // A check under way does not undo the failure until it answers.
        let busy = UiState {
            api_stale: true,
            ..failed
        };
        assert!(matches!(
            decide(&granted, &busy).standing,
            Some(Standing::Unconfirmed(_))
        ));
        // A missing scope is said as it is, whatever else is unknown.
        let model = decide(&scopes_tab(&[("okta.devices.manage", false)]), &unknown);
        assert_eq!(
            model.standing,
            Some(Standing::Scopes(Verdict::Missing(vec![
                "okta.devices.manage"
            ])))
        );
    }

    #[test]
    fn a_grant_for_another_issuer_is_shown_as_such_and_not_offered_blindly() {
        let mut report = report(ApiScopeState::OtherIssuer(vec![
            "https://login.acme.example".into(),
        ]));
        report.assigned = Some(Check::Yes);
        let model = decide(
            &scopes_tab(&[("okta.devices.manage", false)]),
            &with_api(report),
        );
        let api = model.api.expect("api panel");
        assert!(
            matches!(&api.lines[7], Line { scope: "okta.devices.manage", state: ScopeState::Unknown(why), source: Source::Api, .. }
            if why.contains("https://login.acme.example") && why.contains("https://acme.okta.com"))
        );
        assert!(api.grantable.is_empty());
        assert_eq!(
            api.other_issuers,
            [(
                "okta.devices.manage".to_owned(),
                vec!["https://login.acme.example".to_owned()]
            )]
        );
        assert_eq!(api.issuer, "https://acme.okta.com");
    }

    #[test]
    fn an_issuer_derived_from_the_host_name_is_said() {
        let state = UiState {
            org: org(
                Engine::Unknown("x".into()),
                Some("the helper uses https://acme.okta.com, derived from the host name"),
            ),
            ..with_api(report(ApiScopeState::Missing))
        };
        let model = decide(&scopes_tab(&[("okta.devices.manage", false)]), &state);
        assert!(model
            .api
            .expect("api panel")
            .notes
            .iter()
            .any(|note| note.contains("derived")));
    }

    #[test]
    fn the_offer_to_read_a_hidden_secret_shows_on_the_sign_on_tab() {
        let state = UiState {
            secret_offer: Some(SecretOffer {
                client_id: "0oa1wf2oauthdemo0x7q".into(),
                page_problem: "The page shows the Client secret only as a mask.".into(),
            }),
            ..ui(None)
        };
        let model = decide(
            &facts(APP, "#tab-signon", vec![app_tabs(AppTab::SignOn)]),
            &state,
        );
        assert_eq!(
            model
                .capture
                .and_then(|capture| capture.api_offer)
                .as_deref(),
            Some("The page shows the Client secret only as a mask.")
        );
    }

    #[test]
    fn a_page_report_is_offered_only_where_the_page_could_not_be_read() {
        let readable = decide(&scopes_tab(&[("okta.devices.manage", false)]), &ui(None));
        assert_eq!(readable.page_report, None);
        let unread = decide(&facts(APP, "#tab-okta-api-scopes", vec![]), &ui(None));
        assert_eq!(unread.page_report, Some(None));
        let written = UiState {
            page_report: Some("section.tab-panel".into()),
            ..ui(None)
        };
        let unread = decide(&facts(APP, "#tab-okta-api-scopes", vec![]), &written);
        assert_eq!(unread.page_report, Some(Some("section.tab-panel".into())));
    }
}
