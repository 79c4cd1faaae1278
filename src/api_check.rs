//! What Okta's API says about the checklist: the grants checked against a connector's scopes for
//! the org's own issuer, the preconditions from Okta's instructions (Super Administrator, app
//! assigned), and what a one-click grant would ask for.
//!
//! The API is read as strictly as the page: a grant counts only when it is active and made for
//! the org's issuer; a grant for another issuer (a custom domain, another brand) is reported as
//! such and never counted, and never answered with a duplicate grant unless the admin asks.

use crate::api::{
    App, ClientSecret, Grant, NewGrant, RoleAssignment, SUPER_ADMIN, WORKFLOWS_OAUTH_APP_NAME,
};
use crate::credentials::Secret;
use crate::scopes::{ConnectorProfile, Grant as GrantKind};

/// What the API says of one required scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiScopeState {
    /// An active grant for the org's issuer exists.
    Granted,
    /// No such grant.
    Missing,
    /// Okta grants it by itself and lists no grant for it (the OpenID Connect scopes): the API
    /// says nothing either way.
    Auto,
    /// Not granted, but only some cards need it.
    Optional,
    /// Not granted for the org's issuer, but for these others.
    OtherIssuer(Vec<String>),
}

/// Checks the grants against a connector's scopes. Only active grants for `issuer` count.
pub fn verify(
    profile: ConnectorProfile,
    grants: &[Grant],
    issuer: &str,
) -> Vec<(&'static str, ApiScopeState)> {
    let same_issuer = |grant: &Grant| {
        grant
            .issuer
            .trim_end_matches('/')
            .eq_ignore_ascii_case(issuer)
    };
    profile
        .scopes
        .iter()
        .map(|scope| {
            let active: Vec<&Grant> = grants
                .iter()
                .filter(|grant| grant.scope_id == scope.id && grant.is_active())
                .collect();
            let mut others: Vec<String> = Vec::new();
            for grant in active.iter().filter(|grant| !same_issuer(grant)) {
                if !others.contains(&grant.issuer) {
                    others.push(grant.issuer.clone());
                }
            }
            let state = if active.iter().any(|grant| same_issuer(grant)) {
                ApiScopeState::Granted
            } else if !others.is_empty() {
                ApiScopeState::OtherIssuer(others)
            } else {
                match scope.grant {
                    _ if scope.granted_unseen() => ApiScopeState::Auto,
                    // A scope Okta grants by default is still listed as a grant; none, and it
                    // was revoked or never made.
                    GrantKind::Auto | GrantKind::ByAdmin => ApiScopeState::Missing,
                    GrantKind::Optional => ApiScopeState::Optional,
                }
            };
            (scope.id, state)
        })
        .collect()
}

/// One grant request per scope the API shows missing. Scopes granted for another issuer are left
/// to the admin's decision.
pub fn grant_plan(api: &[(&'static str, ApiScopeState)], issuer: &str) -> Vec<NewGrant> {
    api.iter()
        .filter(|(_, state)| *state == ApiScopeState::Missing)
        .map(|(id, _)| NewGrant {
            scope_id: (*id).to_owned(),
            issuer: issuer.to_owned(),
        })
        .collect()
}

/// Whether the roles include an active Super Administrator assignment.
pub fn is_super_admin(roles: &[RoleAssignment]) -> bool {
    roles.iter().any(|role| {
        role.role == SUPER_ADMIN
            && role
                .status
                .as_deref()
                .is_none_or(|status| status == "ACTIVE")
    })
}

/// Whether an app is the Okta Workflows OAuth app.
pub fn is_workflows_app(app: &App) -> bool {
    app.name == WORKFLOWS_OAUTH_APP_NAME
}

/// Whether an app is active (an app without a status is taken as active).
pub fn is_active(app: &App) -> bool {
    app.status
        .as_deref()
        .is_none_or(|status| status == "ACTIVE")
}

/// What a search by name found: the one active Okta Workflows OAuth app, or why there is none to
/// take. Several are never guessed between.
pub fn workflows_app(apps: &[App]) -> Result<&App, String> {
    let mut found = apps
        .iter()
        .filter(|app| is_workflows_app(app) && is_active(app));
    match (found.next(), found.count()) {
        (Some(app), 0) => Ok(app),
        (Some(_), others) => Err(format!(
            "Okta's API lists {} active Okta Workflows OAuth apps in this org. Open the one you connect: the helper does not guess.",
            others + 1
        )),
        (None, _) => Err(
            "Okta's API lists no active Okta Workflows OAuth app in this org. Is Okta Workflows enabled?"
                .to_owned(),
        ),
    }
}

/// The active client secret, if exactly one is active; the others are dropped (and cleared).
pub fn active_secret(secrets: Vec<ClientSecret>) -> Option<Secret> {
    let mut active = secrets
        .into_iter()
        .filter(|secret| secret.status == "ACTIVE");
    match (active.next(), active.next()) {
        (Some(secret), None) => Some(secret.client_secret),
        _ => None,
    }
}

/// Yes, no, or unknown (with why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Confirmed.
    Yes,
    /// Confirmed not.
    No,
    /// Okta refused to tell, which answers the question in the negative; the text says so.
    Refused(String),
    /// Could not tell; the text says why.
    Unknown(String),
}

/// One scope as the API sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiScope {
    /// The scope.
    pub scope_id: String,
    /// Granted, missing, auto, optional, or granted for another issuer.
    pub state: ApiScopeState,
}

/// The result of granting one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantResult {
    /// The scope.
    pub scope_id: String,
    /// Why it failed, or `None` when granted.
    pub error: Option<String>,
}

/// What the helper learned from the API in one check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiReport {
    /// The Okta Workflows OAuth app's id, when found.
    pub app_id: Option<String>,
    /// The issuer the grants were checked for.
    pub issuer: String,
    /// The scopes as the grants say, when they could be read.
    pub scopes: Option<Vec<ApiScope>>,
    /// Whether the signed-in admin is a Super Administrator.
    pub super_admin: Option<Check>,
    /// Whether the app is assigned to the signed-in admin.
    pub assigned: Option<Check>,
    /// Per-scope results of a grant request, if one was made.
    pub granted: Vec<GrantResult>,
    /// What went wrong, in words for the admin.
    pub problems: Vec<String>,
    /// What the admin should know but need not act on (a rate-limit wait, say).
    pub notes: Vec<String>,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scopes::{OKTA_DEVICES, OKTA_REALMS};

    fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
        let path = format!("{}/tests/fixtures/okta/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn all_grants() -> Vec<Grant> {
        let mut grants: Vec<Grant> = fixture("grants-page-1.json");
        grants.extend(fixture::<Vec<Grant>>("grants-page-2.json"));
        grants
    }

    fn grant(scope: &str, issuer: &str) -> Grant {
        Grant {
            scope_id: scope.into(),
            issuer: issuer.into(),
            id: None,
            status: None,
            created: None,
        }
    }

    #[test]
    fn the_documented_grants_verify_the_okta_devices_scopes() {
        let api = verify(OKTA_DEVICES, &all_grants(), "https://acme.okta.com");
        assert_eq!(api[0], ("openid", ApiScopeState::Auto));
        assert_eq!(api[7], ("okta.devices.manage", ApiScopeState::Granted));
        assert_eq!(api[8], ("okta.devices.read", ApiScopeState::Optional));
    }

    #[test]
    fn a_default_okta_api_scope_counts_only_when_its_grant_is_listed() {
        let issuer = "https://acme.okta.com";
        let none = verify(OKTA_REALMS, &[], issuer);
        assert_eq!(none[0], ("openid", ApiScopeState::Auto));
        assert_eq!(none[7], ("okta.realms.read", ApiScopeState::Missing));
        assert_eq!(
            grant_plan(&none, issuer),
            [NewGrant {
                scope_id: "okta.realms.read".into(),
                issuer: issuer.into()
            }]
        );
        let listed = verify(OKTA_REALMS, &[grant("okta.realms.read", issuer)], issuer);
        assert_eq!(listed[7].1, ApiScopeState::Granted);
    }

    #[test]
    fn a_grant_for_another_issuer_is_never_counted() {
        let grants = vec![
            grant("okta.devices.manage", "https://login.acme.example"),
            grant("okta.devices.manage", "https://login.acme.example"),
        ];
        let api = verify(OKTA_DEVICES, &grants, "https://acme.okta.com");
        assert_eq!(
            api[7],
            (
                "okta.devices.manage",
                ApiScopeState::OtherIssuer(vec!["https://login.acme.example".into()])
            )
        );
        assert!(
            grant_plan(&api, "https://acme.okta.com").is_empty(),
            "no blind duplicate grant"
        );
        // With the org's own grant beside it, it is granted; a trailing slash is no difference.
        let mut both = grants;
        both.push(grant("okta.devices.manage", "https://acme.okta.com/"));
        assert_eq!(
            verify(OKTA_DEVICES, &both, "https://acme.okta.com")[7].1,
            ApiScopeState::Granted
        );
        // A revoked grant is not a grant.
        let revoked = Grant {
            status: Some("REVOKED".into()),
            ..grant("okta.devices.manage", "https://acme.okta.com")
        };
        assert_eq!(
            verify(OKTA_DEVICES, &[revoked], "https://acme.okta.com")[7].1,
            ApiScopeState::Missing
        );
    }

    #[test]
    fn the_grant_plan_asks_only_for_what_is_missing() {
        let grants: Vec<Grant> = fixture("grants-page-1.json");
        let api = verify(OKTA_DEVICES, &grants, "https://acme.okta.com");
        assert_eq!(
            grant_plan(&api, "https://acme.okta.com"),
            [NewGrant {
                scope_id: "okta.devices.manage".into(),
                issuer: "https://acme.okta.com".into()
            }]
        );
        assert_eq!(
            serde_json::to_value(&grant_plan(&api, "https://acme.okta.com")[0]).expect("json"),
            serde_json::json!({"scopeId": "okta.devices.manage", "issuer": "https://acme.okta.com"})
        );
        assert!(grant_plan(
            &verify(OKTA_DEVICES, &all_grants(), "https://acme.okta.com"),
            "https://acme.okta.com"
        )
        .is_empty());
    }

    #[test]
    fn roles_apps_and_secrets_are_read_as_documented() {
        assert!(is_super_admin(&fixture::<Vec<RoleAssignment>>(
            "roles-super-admin.json"
        )));
        assert!(!is_super_admin(&fixture::<Vec<RoleAssignment>>(
            "roles-app-admin.json"
        )));
        let apps: Vec<App> = fixture("apps-flow.json");
        assert_eq!(
            workflows_app(&apps).map(|a| a.id.as_str()),
            Ok("0oa1wf2oauthdemo0x7q")
        );
        let mut two = apps.clone();
        two.push(App {
            id: "0oa2wf2oauthdemo0x9z".into(),
            ..apps[0].clone()
        });
        assert!(workflows_app(&two).is_err_and(|why| why.contains("2 active")));
        assert!(workflows_app(&[]).is_err_and(|why| why.contains("no active")));
        assert!(!is_workflows_app(&App {
            name: "okta_flow_sso".into(),
            ..apps[0].clone()
        }));
        let secrets: Vec<ClientSecret> = fixture("client-secrets.json");
        assert!(active_secret(secrets).is_some_and(|secret| secret.expose().starts_with("Sfdkq8")));
        assert_eq!(active_secret(Vec::new()), None);
    }
}
