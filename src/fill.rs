//! The fill plan: which credential goes into which field of the Okta Devices connection form, and
//! whether filling is allowed at all.
//!
//! Like a password manager's autofill, the plan is made from what the page shows and re-checked
//! against it: the dialog must be the Okta Devices connector's, every one of the four fields must
//! be found (a partial fill is never made), and the Workflows org must be the org the credentials
//! were captured from unless the admin confirmed otherwise.

use crate::credentials::{Credentials, Secret};
use crate::host::WorkflowsHost;
use crate::message::{ElementRef, FillValue, ProbeId};
use crate::page_rules::{DialogReading, FormField};

/// Why the helper will not fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillRefusal {
    /// No connection dialog is open.
    NoDialog,
    /// The dialog is another connector's.
    WrongConnector(Vec<String>),
    /// These fields were not found; nothing is filled.
    MissingFields(Vec<FormField>),
    /// The credentials belong to another org than this Workflows console's, and the admin has not
    /// confirmed.
    OrgMismatch {
        /// The org of this Workflows console.
        workflows_org: String,
        /// The org the credentials came from.
        captured_org: String,
    },
}

impl std::fmt::Display for FillRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FillRefusal::NoDialog => f.write_str(
                "Open Connections \u{2192} New Connection \u{2192} Okta Devices, then fill from here.",
            ),
            FillRefusal::WrongConnector(names) => write!(
                f,
                "This dialog is not the Okta Devices connector's ({}). Close it and choose Okta Devices.",
                if names.is_empty() { "unnamed".to_owned() } else { names.join(" / ") }
            ),
            FillRefusal::MissingFields(fields) => write!(
                f,
                "Nothing was filled: could not find the {} field{} in the dialog.",
                fields.iter().map(|field| field.label()).collect::<Vec<_>>().join(", "),
                if fields.len() == 1 { "" } else { "s" }
            ),
            FillRefusal::OrgMismatch {
                workflows_org,
                captured_org,
            } => write!(
                f,
                "These credentials are from {captured_org}, but this Okta Workflows belongs to {workflows_org}."
            ),
        }
    }
}

/// Where each value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillPlan {
    /// Each field and its input, in form order.
    pub targets: Vec<(FormField, ElementRef)>,
    /// The Create button, to highlight once filled.
    pub create: Option<ElementRef>,
}

/// The nickname the helper suggests: `Okta Devices – acme`.
pub fn default_nickname(org_domain: &str) -> String {
    let org = org_domain.split('.').next().unwrap_or(org_domain);
    format!("Okta Devices \u{2013} {org}")
}

/// Whether the service worker may hand an org's credentials to a fill on the tab at `tab_host`
/// (read by the worker from the sender's tab, never from the message): only on that org's own
/// Okta Workflows console, or when the admin typed this console's org domain to confirm a fill
/// from another org. The confirmation travels with the one request it confirms.
pub fn may_hand_out(tab_host: &str, org_domain: &str, typed: Option<&str>) -> Result<(), String> {
    let Some(workflows) = WorkflowsHost::parse(tab_host) else {
        return Err(
            "Credentials are handed out only to a fill on an Okta Workflows console.".to_owned(),
        );
    };
    let here = workflows.org_domain();
    if here == org_domain || typed.map(str::trim) == Some(here.as_str()) {
        Ok(())
    } else {
        Err(format!(
            "These credentials are from {org_domain}, and this Okta Workflows belongs to {here}: type {here} in the panel to confirm filling them here."
        ))
    }
}

/// Whether the service worker may keep credentials of `org_domain` captured on the tab at
/// `tab_host`: only on that org's own Admin Console.
pub fn may_keep(tab_host: &str, org_domain: &str) -> Result<(), String> {
    match crate::host::AdminHost::parse(tab_host) {
        Some(admin) if admin.org_domain() == org_domain => Ok(()),
        _ => Err(format!(
            "Credentials of {org_domain} are kept only when captured on its own Admin Console."
        )),
    }
}

/// Decides whether and where to fill. `typed` is what the admin typed to confirm filling another
/// org's credentials: it confirms only when it is this Workflows console's org domain.
pub fn plan_fill(
    dialog: Option<&DialogReading>,
    workflows: &WorkflowsHost,
    captured_org: &str,
    typed: &str,
) -> Result<FillPlan, FillRefusal> {
    let dialog = dialog.ok_or(FillRefusal::NoDialog)?;
    if !dialog.is_okta_devices() {
        return Err(FillRefusal::WrongConnector(dialog.names.clone()));
    }
    let missing: Vec<FormField> = dialog
        .inputs
        .iter()
        .filter(|(_, input)| input.is_none())
        .map(|(field, _)| *field)
        .collect();
    if !missing.is_empty() {
        return Err(FillRefusal::MissingFields(missing));
    }
    let workflows_org = workflows.org_domain();
    if workflows_org != captured_org && typed.trim() != workflows_org {
        return Err(FillRefusal::OrgMismatch {
            workflows_org,
            captured_org: captured_org.to_owned(),
        });
    }
    let element = |probe, index: usize| ElementRef {
        probe,
        index: u32::try_from(index).unwrap_or(u32::MAX),
        part: None,
    };
    Ok(FillPlan {
        targets: dialog
            .inputs
            .iter()
            .filter_map(|(field, input)| {
                input.map(|index| (*field, element(ProbeId::DialogInputs, index)))
            })
            .collect(),
        create: dialog
            .create
            .map(|index| element(ProbeId::DialogButtons, index)),
    })
}

/// The values to type, in the plan's order. The domain is the org domain, without `https://`.
pub fn fill_values(plan: &FillPlan, credentials: &Credentials, nickname: &str) -> Vec<FillValue> {
    plan.targets
        .iter()
        .map(|(field, target)| FillValue {
            target: target.clone(),
            value: match field {
                FormField::Nickname => Secret::new(nickname.trim()),
                FormField::Domain => Secret::new(credentials.org_domain.as_str()),
                FormField::ClientId => Secret::new(credentials.client_id.as_str()),
                FormField::ClientSecret => credentials.client_secret.clone(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::ProbeItem;
    use crate::page_rules::fixtures::{connection_dialog as dialog, FULL_FORM};
    use crate::page_rules::{field, read_connection_dialog};

    fn workflows() -> WorkflowsHost {
        WorkflowsHost::parse("acme.workflows.okta.com").expect("host")
    }

    fn credentials() -> Credentials {
        Credentials {
            org_domain: "acme.okta.com".into(),
            client_id: "0oa1wf2oauthdemo0x7q".into(),
            client_secret: Secret::new("q7XvR2b9LwT4nK8sYp3ZcH6mJd1FgA5eUoIiWrBt"),
        }
    }

    #[test]
    fn the_okta_devices_form_gets_all_four_values_in_their_fields() {
        let facts = dialog("New Connection: Okta Devices", &FULL_FORM);
        let reading = read_connection_dialog(&facts);
        let plan = plan_fill(reading.as_ref(), &workflows(), "acme.okta.com", "").expect("plan");
        assert_eq!(plan.create.as_ref().map(|c| c.index), Some(1));
        let values = fill_values(&plan, &credentials(), " Okta Devices \u{2013} acme ");
        let shown: Vec<(u32, &str)> = values
            .iter()
            .map(|v| (v.target.index, v.value.expose()))
            .collect();
        assert_eq!(
            shown,
            [
                (0, "Okta Devices \u{2013} acme"),
                (1, "acme.okta.com"),
                (2, "0oa1wf2oauthdemo0x7q"),
                (3, "q7XvR2b9LwT4nK8sYp3ZcH6mJd1FgA5eUoIiWrBt"),
            ]
        );
        assert_eq!(
            default_nickname("acme.okta.com"),
            "Okta Devices \u{2013} acme"
        );
    }

    #[test]
    fn another_connector_is_refused() {
        let facts = dialog("New Connection: Okta", &FULL_FORM);
        let refusal = plan_fill(
            read_connection_dialog(&facts).as_ref(),
            &workflows(),
            "acme.okta.com",
            "",
        )
        .expect_err("refused");
        assert!(
            matches!(&refusal, FillRefusal::WrongConnector(names) if names == &["New Connection: Okta"])
        );
        assert!(refusal.to_string().contains("choose Okta Devices"));
    }

    #[test]
    fn a_missing_field_fills_nothing_and_is_named() {
        let facts = dialog("Okta Devices", &FULL_FORM[..3]);
        let refusal = plan_fill(
            read_connection_dialog(&facts).as_ref(),
            &workflows(),
            "acme.okta.com",
            "",
        )
        .expect_err("refused");
        assert_eq!(
            refusal,
            FillRefusal::MissingFields(vec![FormField::ClientSecret])
        );
        assert_eq!(
            refusal.to_string(),
            "Nothing was filled: could not find the Client Secret field in the dialog."
        );
    }

    #[test]
    fn another_org_needs_confirmation() {
        let facts = dialog("Okta Devices", &FULL_FORM);
        let reading = read_connection_dialog(&facts);
        let refusal =
            plan_fill(reading.as_ref(), &workflows(), "beta.okta.com", "").expect_err("refused");
        assert_eq!(
            refusal,
            FillRefusal::OrgMismatch {
                workflows_org: "acme.okta.com".into(),
                captured_org: "beta.okta.com".into()
            }
        );
        assert!(
            plan_fill(
                reading.as_ref(),
                &workflows(),
                "beta.okta.com",
                "beta.okta.com"
            )
            .is_err(),
            "typing the credentials' org confirms nothing"
        );
        assert!(plan_fill(
            reading.as_ref(),
            &workflows(),
            "beta.okta.com",
            " acme.okta.com "
        )
        .is_ok());
    }

    #[test]
    fn the_worker_hands_out_credentials_only_to_their_orgs_workflows_or_on_a_typed_confirmation() {
        assert_eq!(
            may_hand_out("acme.workflows.okta.com", "acme.okta.com", None),
            Ok(())
        );
        let refused = may_hand_out("beta.workflows.okta.com", "acme.okta.com", None)
            .expect_err("another org's Workflows");
        assert!(refused.contains("type beta.okta.com"), "{refused}");
        assert!(may_hand_out(
            "beta.workflows.okta.com",
            "acme.okta.com",
            Some("acme.okta.com")
        )
        .is_err());
        assert_eq!(
            may_hand_out(
                "beta.workflows.okta.com",
                "acme.okta.com",
                Some("beta.okta.com")
            ),
            Ok(())
        );
        for not_workflows in [
            "acme-admin.okta.com",
            "evil.example",
            "acme.workflows.okta.com.evil.test",
            "",
        ] {
            assert!(
                may_hand_out(not_workflows, "acme.okta.com", Some("acme.okta.com")).is_err(),
                "{not_workflows}"
            );
        }
        assert_eq!(may_keep("acme-admin.okta.com", "acme.okta.com"), Ok(()));
        assert!(may_keep("beta-admin.okta.com", "acme.okta.com").is_err());
        assert!(may_keep("acme.workflows.okta.com", "acme.okta.com").is_err());
    }

    #[test]
    fn no_dialog_says_where_to_go() {
        let refusal = plan_fill(None, &workflows(), "acme.okta.com", "").expect_err("refused");
        assert!(refusal
            .to_string()
            .contains("New Connection \u{2192} Okta Devices"));
    }

    #[test]
    fn inputs_are_also_found_by_aria_label() {
        let mut facts = dialog("Okta Devices", &[]);
        facts.probes[2].items = [
            "Connection Nickname",
            "Domain",
            "Client ID",
            "Client Secret",
        ]
        .iter()
        .map(|label| {
            ProbeItem::from([(
                field::INPUT_ARIA_LABEL.to_owned(),
                Some((*label).to_owned()),
            )])
        })
        .collect();
        let plan = plan_fill(
            read_connection_dialog(&facts).as_ref(),
            &workflows(),
            "acme.okta.com",
            "",
        )
        .expect("plan");
        assert_eq!(plan.targets.len(), 4);
    }
}
