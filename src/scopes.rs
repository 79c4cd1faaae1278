//! The scopes a connector needs, and the check of what the page shows against them.
//!
//! The check is deliberately one-sided: a scope counts as granted only when the page showed it
//! granted, or when Okta grants it to every app by itself (the seven OpenID Connect scopes, which
//! the Okta API Scopes tab does not list). Anything the helper could not see is "unknown", never
//! "granted", so the checklist can only ever say "complete" when it saw every scope.

use crate::text::squash;

/// How a scope comes to be granted to the Okta Workflows OAuth app, and whether it is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// Okta grants it by itself (an asterisk in Okta's instructions).
    Auto,
    /// An admin must click Grant on the Okta API Scopes tab.
    ByAdmin,
    /// Needed only by some of the connector's cards: shown, never required.
    Optional,
}

/// One scope a connector needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredScope {
    /// The scope id, e.g. `okta.devices.manage`.
    pub id: &'static str,
    /// How it gets granted.
    pub grant: Grant,
}

/// A Workflows connector and the scopes its connection needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectorProfile {
    /// A stable id, for the admin's choice.
    pub id: &'static str,
    /// The connector's name in Okta Workflows.
    pub name: &'static str,
    /// The scopes, in the order Okta's instructions list them.
    pub scopes: &'static [RequiredScope],
    /// Whether the connector works only on Okta Identity Engine orgs.
    pub needs_identity_engine: bool,
}

/// Whether a scope is an Okta API scope (`okta.…`). Those are granted to an app one by one, and
/// Okta's API lists each grant, even the ones Okta makes by default when the app is created, so
/// an admin can revoke them and the Okta API Scopes tab lists them. The OpenID Connect scopes
/// (`openid`, `profile`, …) are Okta's own to give: no tab and no grant list shows them.
pub fn is_okta_api_scope(id: &str) -> bool {
    id.starts_with("okta.")
}

impl RequiredScope {
    /// Whether Okta gives this scope by itself and nothing lists it: only then may the helper
    /// take it as granted without having seen it.
    pub fn granted_unseen(&self) -> bool {
        self.grant == Grant::Auto && !is_okta_api_scope(self.id)
    }
}

const fn auto(id: &'static str) -> RequiredScope {
    RequiredScope {
        id,
        grant: Grant::Auto,
    }
}

const fn by_admin(id: &'static str) -> RequiredScope {
    RequiredScope {
        id,
        grant: Grant::ByAdmin,
    }
}

const fn optional(id: &'static str) -> RequiredScope {
    RequiredScope {
        id,
        grant: Grant::Optional,
    }
}

/// A scope list that starts with the seven OpenID Connect scopes Okta grants to the app by itself.
macro_rules! with_oidc {
    ($($scope:expr),* $(,)?) => {
        &[
            auto("openid"),
            auto("profile"),
            auto("email"),
            auto("phone"),
            auto("address"),
            auto("groups"),
            auto("offline_access"),
            $($scope),*
        ]
    };
}

/// The Okta Devices connector ("Authorization" in Okta Workflows help); some versions of the page
/// also list `okta.devices.read`, which reading cards use.
pub const OKTA_DEVICES: ConnectorProfile = ConnectorProfile {
    id: "okta_devices",
    name: "Okta Devices",
    scopes: with_oidc![
        by_admin("okta.devices.manage"),
        optional("okta.devices.read"),
    ],
    // Okta Devices (device management through Okta Verify) exists only on Identity Engine.
    needs_identity_engine: true,
};

/// The Okta connector ("Scopes for Okta connector cards"): no scope beyond the default ones is
/// required; each card needs its own. The common card scopes are listed as optional.
pub const OKTA: ConnectorProfile = ConnectorProfile {
    id: "okta",
    name: "Okta",
    scopes: with_oidc![
        optional("okta.users.read"),
        optional("okta.users.manage"),
        optional("okta.groups.read"),
        optional("okta.groups.manage"),
        optional("okta.apps.read"),
        optional("okta.apps.manage"),
        optional("okta.logs.read"),
        optional("okta.eventHooks.manage"),
    ],
    needs_identity_engine: false,
};

/// The Okta Realms connector ("Scopes for Okta Realms connector cards"): `okta.realms.read` is
/// among the default scopes; the cards need the rest.
pub const OKTA_REALMS: ConnectorProfile = ConnectorProfile {
    id: "okta_realms",
    name: "Okta Realms",
    scopes: with_oidc![
        auto("okta.realms.read"),
        optional("okta.realms.manage"),
        optional("okta.schemas.read"),
        optional("okta.users.read"),
        optional("okta.users.manage"),
    ],
    // Not known to need it; the helper does not guess.
    needs_identity_engine: false,
};

/// Every connector the helper knows; the first is the default.
pub const PROFILES: [ConnectorProfile; 3] = [OKTA_DEVICES, OKTA, OKTA_REALMS];

/// The profile with this id, or the default.
pub fn profile(id: Option<&str>) -> ConnectorProfile {
    PROFILES
        .into_iter()
        .find(|profile| Some(profile.id) == id)
        .unwrap_or(OKTA_DEVICES)
}

/// What one row of the scopes table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// Everything the row shows says granted (it offers Revoke, a switch is on, a status says so).
    Granted,
    /// Everything the row shows says not granted (it offers Grant, a switch is off, …).
    NotGranted,
    /// The row says both, or nothing the helper can read; it cannot tell.
    Unclear,
}

/// One row of the Okta API Scopes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRow {
    /// Position among the rows the agent found.
    pub index: usize,
    /// The scope name as the page wrote it.
    pub name: String,
    /// What the row says.
    pub state: RowState,
    /// The row's control that grants the scope, by its position among the row's controls, when
    /// the row offers one: what the page's highlight points at.
    pub grant_control: Option<u32>,
}

/// Where a checklist line's scope is on the page: a row, and its Grant control if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRef {
    /// The row's position among the rows the agent found.
    pub index: usize,
    /// Its control that grants the scope.
    pub grant_control: Option<u32>,
}

/// The Okta API Scopes table as read from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableReading {
    /// The table and its rows.
    Rows(Vec<ScopeRow>),
    /// No table on the page.
    NotFound {
        /// The selectors that matched nothing.
        looked_for: String,
    },
    /// A table without rows.
    Empty {
        /// The row selectors that matched nothing.
        looked_for: String,
    },
}

/// Why the helper believes a scope is granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The page shows it granted.
    Page,
    /// Okta's API lists an active grant of it for the org's issuer.
    Api,
    /// Okta grants it by itself and the page does not say otherwise.
    Auto,
}

/// What the helper concluded about one required scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeState {
    /// Granted, and why the helper believes so.
    Granted(Basis),
    /// The page shows it not granted.
    Missing,
    /// The helper could not tell; the text says why.
    Unknown(String),
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeStatus {
    /// The required scope.
    pub scope: RequiredScope,
    /// What the helper concluded.
    pub state: ScopeState,
    /// The table rows that name this scope.
    pub rows: Vec<RowRef>,
}

/// The whole checklist for one connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeCheck {
    /// The connector checked.
    pub profile: ConnectorProfile,
    /// One line per required scope, in the profile's order.
    pub scopes: Vec<ScopeStatus>,
    /// Problems reading the table as a whole, for the admin to see.
    pub problems: Vec<String>,
}

/// The checklist in one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every scope seen granted.
    Complete,
    /// These scopes are seen missing (and possibly others unknown).
    Missing(Vec<&'static str>),
    /// None seen missing, but these could not be confirmed.
    Unconfirmed(Vec<&'static str>),
}

impl ScopeCheck {
    /// Sums the checklist up; "complete" only when every required line is granted. Optional
    /// scopes never count either way.
    pub fn verdict(&self) -> Verdict {
        let with = |wanted: fn(&ScopeState) -> bool| -> Vec<&'static str> {
            self.scopes
                .iter()
                .filter(|status| status.scope.grant != Grant::Optional && wanted(&status.state))
                .map(|status| status.scope.id)
                .collect()
        };
        let missing = with(|state| *state == ScopeState::Missing);
        let unknown = with(|state| matches!(state, ScopeState::Unknown(_)));
        if !missing.is_empty() {
            Verdict::Missing(missing)
        } else if !unknown.is_empty() {
            Verdict::Unconfirmed(unknown)
        } else {
            Verdict::Complete
        }
    }

    /// How many required lines are in each unhappy state: `(missing, unknown)`.
    pub fn counts(&self) -> (u32, u32) {
        self.scopes
            .iter()
            .filter(|status| status.scope.grant != Grant::Optional)
            .fold((0, 0), |(missing, unknown), status| match status.state {
                ScopeState::Missing => (missing + 1, unknown),
                ScopeState::Unknown(_) => (missing, unknown + 1),
                ScopeState::Granted(_) => (missing, unknown),
            })
    }
}

/// Checks what the table shows against a connector's scopes.
pub fn check(profile: ConnectorProfile, table: &TableReading) -> ScopeCheck {
    let (rows, problems): (&[ScopeRow], Vec<String>) = match table {
        TableReading::Rows(rows) => (rows, unreadable_row_problems(rows)),
        TableReading::NotFound { looked_for } => (
            &[],
            vec![format!(
                "Could not find the Okta API Scopes table on this page (looked for {looked_for})."
            )],
        ),
        TableReading::Empty { looked_for } => (
            &[],
            vec![format!(
                "Found the Okta API Scopes table, but no scope rows in it (looked for {looked_for})."
            )],
        ),
    };
    let table_readable = matches!(table, TableReading::Rows(_));
    let scopes = profile
        .scopes
        .iter()
        .map(|scope| {
            let matching: Vec<&ScopeRow> = rows
                .iter()
                .filter(|row| squash(&row.name) == scope.id)
                .collect();
            ScopeStatus {
                scope: *scope,
                state: conclude(scope, &matching, table_readable),
                rows: matching
                    .iter()
                    .map(|row| RowRef {
                        index: row.index,
                        grant_control: row.grant_control,
                    })
                    .collect(),
            }
        })
        .collect();
    ScopeCheck {
        profile,
        scopes,
        problems,
    }
}

/// What the rows naming one scope add up to.
fn conclude(scope: &RequiredScope, rows: &[&ScopeRow], table_readable: bool) -> ScopeState {
    let Some(first) = rows.first() else {
        return if scope.granted_unseen() {
            ScopeState::Granted(Basis::Auto)
        } else if table_readable {
            // A default Okta API scope can have been revoked: unlisted, it is not seen granted.
            ScopeState::Unknown(format!(
                "{} is not listed in the table on this page.",
                scope.id
            ))
        } else {
            ScopeState::Unknown("The scopes table could not be read.".to_owned())
        };
    };
    if rows.iter().any(|row| row.state != first.state) {
        return ScopeState::Unknown(format!(
            "{} is listed {} times with different states.",
            scope.id,
            rows.len()
        ));
    }
    match first.state {
        RowState::Granted => ScopeState::Granted(Basis::Page),
        RowState::NotGranted => ScopeState::Missing,
        RowState::Unclear => ScopeState::Unknown(format!(
            "The row of {} shows neither a Grant nor a Revoke button.",
            scope.id
        )),
    }
}

fn unreadable_row_problems(rows: &[ScopeRow]) -> Vec<String> {
    let nameless = rows
        .iter()
        .filter(|row| squash(&row.name).is_empty())
        .count();
    if nameless == 0 {
        return Vec::new();
    }
    vec![format!(
        "{nameless} row(s) of the scopes table have no scope name the helper could read."
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[(&str, RowState)]) -> TableReading {
        TableReading::Rows(
            rows.iter()
                .enumerate()
                .map(|(index, (name, state))| ScopeRow {
                    index,
                    name: (*name).to_owned(),
                    state: *state,
                    grant_control: (*state == RowState::NotGranted).then_some(0),
                })
                .collect(),
        )
    }

    fn state_of<'a>(check: &'a ScopeCheck, id: &str) -> &'a ScopeState {
        &check
            .scopes
            .iter()
            .find(|status| status.scope.id == id)
            .expect("scope in profile")
            .state
    }

    #[test]
    fn okta_devices_needs_seven_auto_scopes_and_devices_manage() {
        let auto: Vec<_> = OKTA_DEVICES
            .scopes
            .iter()
            .filter(|s| s.grant == Grant::Auto)
            .map(|s| s.id)
            .collect();
        assert_eq!(
            auto,
            [
                "openid",
                "profile",
                "email",
                "phone",
                "address",
                "groups",
                "offline_access"
            ]
        );
        assert_eq!(OKTA_DEVICES.scopes[7], by_admin("okta.devices.manage"));
        assert_eq!(OKTA_DEVICES.scopes[8], optional("okta.devices.read"));
    }

    #[test]
    fn optional_scopes_never_decide_the_verdict() {
        let missing_optional = check(
            OKTA_DEVICES,
            &rows(&[
                ("okta.devices.manage", RowState::Granted),
                ("okta.devices.read", RowState::NotGranted),
            ]),
        );
        assert_eq!(missing_optional.verdict(), Verdict::Complete);
        assert_eq!(
            *state_of(&missing_optional, "okta.devices.read"),
            ScopeState::Missing
        );
        assert_eq!(missing_optional.counts(), (0, 0));
    }

    #[test]
    fn profiles_are_chosen_by_id_with_okta_devices_by_default() {
        assert_eq!(profile(Some("okta_realms")).name, "Okta Realms");
        assert_eq!(profile(Some("okta")).name, "Okta");
        assert_eq!(profile(Some("nope")), OKTA_DEVICES);
        assert_eq!(profile(None), OKTA_DEVICES);
        let realms = check(
            OKTA_REALMS,
            &rows(&[("okta.realms.read", RowState::Granted)]),
        );
        assert_eq!(realms.verdict(), Verdict::Complete);
        assert_eq!(
            *state_of(&realms, "okta.realms.read"),
            ScopeState::Granted(Basis::Page)
        );
        let ids: std::collections::BTreeSet<_> = PROFILES.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), PROFILES.len(), "ids are unique");
    }

    #[test]
    fn all_granted_is_complete() {
        let check = check(
            OKTA_DEVICES,
            &rows(&[("okta.devices.manage", RowState::Granted)]),
        );
        assert_eq!(check.verdict(), Verdict::Complete);
        assert_eq!(
            *state_of(&check, "openid"),
            ScopeState::Granted(Basis::Auto)
        );
        assert_eq!(
            *state_of(&check, "okta.devices.manage"),
            ScopeState::Granted(Basis::Page)
        );
        assert_eq!(check.counts(), (0, 0));
    }

    #[test]
    fn one_missing_is_reported_with_its_row() {
        let check = check(
            OKTA_DEVICES,
            &rows(&[
                ("okta.users.read", RowState::Granted),
                ("okta.devices.manage", RowState::NotGranted),
            ]),
        );
        assert_eq!(
            check.verdict(),
            Verdict::Missing(vec!["okta.devices.manage"])
        );
        assert_eq!(
            check.scopes[7].rows,
            vec![RowRef {
                index: 1,
                grant_control: Some(0)
            }]
        );
        assert_eq!(check.counts(), (1, 0));
    }

    #[test]
    fn several_missing_are_all_reported() {
        let check = check(
            OKTA_DEVICES,
            &rows(&[
                ("openid", RowState::NotGranted),
                ("groups", RowState::NotGranted),
                ("okta.devices.manage", RowState::NotGranted),
            ]),
        );
        assert_eq!(
            check.verdict(),
            Verdict::Missing(vec!["openid", "groups", "okta.devices.manage"])
        );
    }

    #[test]
    fn unknown_extra_scopes_are_ignored() {
        let check = check(
            OKTA_DEVICES,
            &rows(&[
                ("okta.something.new", RowState::NotGranted),
                ("okta.devices.manage", RowState::Granted),
                ("okta.users.manage", RowState::Unclear),
            ]),
        );
        assert_eq!(check.verdict(), Verdict::Complete);
        assert!(check.problems.is_empty());
    }

    #[test]
    fn duplicated_rows_agreeing_count_once_and_disagreeing_are_unknown() {
        let agree = check(
            OKTA_DEVICES,
            &rows(&[
                ("okta.devices.manage", RowState::NotGranted),
                ("okta.devices.manage", RowState::NotGranted),
            ]),
        );
        assert_eq!(
            agree.verdict(),
            Verdict::Missing(vec!["okta.devices.manage"])
        );
        assert_eq!(
            agree.scopes[7]
                .rows
                .iter()
                .map(|row| row.index)
                .collect::<Vec<_>>(),
            vec![0, 1]
        );

        let disagree = check(
            OKTA_DEVICES,
            &rows(&[
                ("okta.devices.manage", RowState::Granted),
                ("okta.devices.manage", RowState::NotGranted),
            ]),
        );
        assert!(matches!(
            state_of(&disagree, "okta.devices.manage"),
            ScopeState::Unknown(why) if why.contains("2 times")
        ));
        assert_eq!(
            disagree.verdict(),
            Verdict::Unconfirmed(vec!["okta.devices.manage"])
        );
    }

    #[test]
    fn names_differing_in_whitespace_or_case_match() {
        let check = check(
            OKTA_DEVICES,
            &rows(&[("\n  Okta.Devices.MANAGE \t", RowState::NotGranted)]),
        );
        assert_eq!(
            check.verdict(),
            Verdict::Missing(vec!["okta.devices.manage"])
        );
    }

    #[test]
    fn an_unreadable_table_never_passes() {
        for table in [
            TableReading::NotFound {
                looked_for: "x".into(),
            },
            TableReading::Empty {
                looked_for: "y".into(),
            },
        ] {
            let check = check(OKTA_DEVICES, &table);
            assert_eq!(
                check.verdict(),
                Verdict::Unconfirmed(vec!["okta.devices.manage"])
            );
            assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
        }
    }

    #[test]
    fn a_required_scope_absent_from_a_readable_table_is_unknown() {
        let check = check(
            OKTA_DEVICES,
            &rows(&[("okta.users.read", RowState::Granted)]),
        );
        assert!(matches!(
            state_of(&check, "okta.devices.manage"),
            ScopeState::Unknown(why) if why.contains("not listed")
        ));
    }

    #[test]
    fn unclear_rows_and_nameless_rows_are_reported() {
        let check = check(
            OKTA_DEVICES,
            &rows(&[
                ("okta.devices.manage", RowState::Unclear),
                ("  ", RowState::Granted),
            ]),
        );
        assert!(matches!(
            state_of(&check, "okta.devices.manage"),
            ScopeState::Unknown(_)
        ));
        assert_eq!(check.problems.len(), 1);
        assert!(check.problems[0].contains("1 row(s)"));
    }
}
