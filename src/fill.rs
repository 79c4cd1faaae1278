//! The fill plan: which credential goes into which field of the Okta Devices connection form, and
//! whether filling is allowed at all.
//!
//! Like a password manager's autofill, the plan is made from what the page shows and re-checked
//! against it: the one visible dialog must name the Okta Devices connector exactly, each of the
//! four fields must be exactly one visible, usable input of that dialog, the secret's a password
//! field (a partial fill is never made), and the Workflows org must be the org the credentials
//! were captured from unless the admin confirmed otherwise. The page agent checks the same again
//! at the moment it types.

use crate::credentials::{Credentials, Secret};
use crate::host::WorkflowsHost;
use crate::message::{ElementRef, FillCheck, FillValue, ProbeId};
use crate::page_rules::{DialogReading, FieldProblem, FormField};

/// Why the helper will not fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillRefusal {
    /// No connection dialog is open.
    NoDialog,
    /// The dialog is another connector's.
    WrongConnector(Vec<String>),
    /// These fields cannot be filled, and why; nothing is filled.
    Fields(Vec<(FormField, FieldProblem)>),
    /// More than one visible dialog names the Okta Devices connector.
    SeveralDialogs,
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
            FillRefusal::Fields(fields) => write!(
                f,
                "Nothing was filled: {}.",
                fields
                    .iter()
                    .map(|(field, problem)| format!("the {} field {}", field.label(), problem.describe()))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            FillRefusal::SeveralDialogs => f.write_str(
                "Nothing was filled: more than one Okta Devices dialog is open, and the helper does not guess which is the console's. Close the others.",
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
    /// The dialog every field must still be inside when the agent types.
    pub dialog: ElementRef,
    /// Each field and its input, in form order.
    pub targets: Vec<(FormField, ElementRef)>,
    /// The Create button (Save, in a Reauthorize dialog), to highlight once filled.
    pub create: Option<ElementRef>,
    /// Whether it is an existing connection's Reauthorize dialog.
    pub reauthorize: bool,
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
    if dialog.several {
        return Err(FillRefusal::SeveralDialogs);
    }
    let problems: Vec<(FormField, FieldProblem)> = dialog
        .inputs
        .iter()
        .filter_map(|(field, input)| input.err().map(|problem| (*field, problem)))
        .collect();
    if !problems.is_empty() {
        return Err(FillRefusal::Fields(problems));
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
        dialog: element(ProbeId::ConnectionDialog, dialog.index),
        targets: dialog
            .inputs
            .iter()
            .filter_map(|(field, input)| {
                input
                    .ok()
                    .map(|index| (*field, element(ProbeId::DialogInputs, index)))
            })
            .collect(),
        create: dialog
            .create
            .map(|index| element(ProbeId::DialogButtons, index)),
        reauthorize: dialog.reauthorize,
    })
}

/// Whether a fill planned at the admin's click may go out for a newer reading of the page: only
/// when that reading makes exactly the same plan. The agent types only for its newest reading,
/// and the page may be read again while the vault answers (a button relabelled, a transition's
/// end); a reading that plans differently (a field relabelled, the dialog hidden) refuses.
pub fn plans_the_same(
    planned: &FillPlan,
    dialog_now: Option<&DialogReading>,
    workflows: &WorkflowsHost,
    captured_org: &str,
    typed: &str,
) -> bool {
    plan_fill(dialog_now, workflows, captured_org, typed).is_ok_and(|now| now == *planned)
}

/// The values to type, in the plan's order. The domain is the org domain, without `https://`.
/// The credentials are used up: the secret moves into its one field without a copy.
pub fn fill_values(plan: &FillPlan, credentials: Credentials, nickname: &str) -> Vec<FillValue> {
    let Credentials {
        org_domain,
        client_id,
        client_secret,
    } = credentials;
    let mut client_secret = Some(client_secret);
    plan.targets
        .iter()
        .map(|(field, target)| FillValue {
            target: target.clone(),
            password: *field == FormField::ClientSecret,
            value: match field {
                FormField::Nickname => Secret::new(nickname.trim()),
                FormField::Domain => Secret::new(org_domain.as_str()),
                FormField::ClientId => Secret::new(client_id.as_str()),
                // A plan has one Client Secret field; a second would get nothing.
                FormField::ClientSecret => client_secret.take().unwrap_or_else(|| Secret::new("")),
            },
        })
        .collect()
}

/// What the agent's refusal at the moment of typing means, in words: which field (by the label
/// of `fields[index]`, the request's fields in order) or the dialog, and why.
pub fn refused_at_typing(refused: &FillCheck, fields: &[FormField]) -> String {
    let what = match refused.field.and_then(|index| fields.get(index as usize)) {
        Some(field) => format!("the {} field", field.label()),
        None if refused.field.is_some() => "a field".to_owned(),
        None => "the dialog".to_owned(),
    };
    let why = match refused.check.as_str() {
        "gone" => "is no longer on the page",
        "outside" => "is not in the Okta Devices dialog any more",
        "hidden" => "is hidden",
        "disabled" => "is disabled",
        "not_password" => "does not hide what is typed (it is not a password field)",
        "not_input" => "is not a text field",
        _ => "failed a check",
    };
    format!("Nothing was filled: {what} {why}, checked as the helper was about to type. Close the dialog, open Okta Devices again, and click Fill.")
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
        let values = fill_values(&plan, credentials(), " Okta Devices \u{2013} acme ");
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
    fn a_newer_reading_takes_the_fill_only_while_it_plans_the_same() {
        let at_click = dialog("New Connection: Okta Devices", &FULL_FORM);
        let planned = plan_of(&at_click).expect("plan");
        let same_as = |facts: &crate::message::PageFacts| {
            plans_the_same(
                &planned,
                read_connection_dialog(facts).as_ref(),
                &workflows(),
                "acme.okta.com",
                "",
            )
        };
        assert!(same_as(&at_click));
        // Cancel relabelled: a new reading, the same plan.
        let mut relabelled = at_click.clone();
        relabelled.probes[2].items[0].insert(field::BUTTON_TEXT.into(), Some("Close".into()));
        relabelled.seq += 1;
        assert!(same_as(&relabelled));
        // The Client ID and Client Secret labels swapped: each value would go elsewhere.
        let swapped = dialog(
            "New Connection: Okta Devices",
            &[
                FULL_FORM[0],
                FULL_FORM[1],
                ("Client Secret", "clientId"),
                ("Client ID", "clientSecret"),
            ],
        );
        assert!(!same_as(&swapped));
        // The dialog hidden, or gone.
        let mut hidden = at_click.clone();
        hidden.probes[0].items[0].insert(field::USABLE.into(), Some("hidden".into()));
        assert!(!same_as(&hidden));
        assert!(!plans_the_same(
            &planned,
            None,
            &workflows(),
            "acme.okta.com",
            ""
        ));
    }

    #[test]
    fn a_reauthorize_dialog_gets_the_three_credentials_and_keeps_its_nickname() {
        let mut facts = dialog("Reauthorize: Okta Devices", &FULL_FORM[1..]);
        for probe in &mut facts.probes {
            if probe.id == ProbeId::DialogButtons {
                probe.items[1].insert(field::BUTTON_TEXT.to_owned(), Some("Save".to_owned()));
            }
        }
        let reading = read_connection_dialog(&facts).expect("the dialog");
        assert!(reading.reauthorize);
        let plan = plan_fill(Some(&reading), &workflows(), "acme.okta.com", "").expect("plan");
        assert!(plan.reauthorize);
        assert_eq!(plan.create.as_ref().map(|c| c.index), Some(1), "Save");
        let fields: Vec<FormField> = plan.targets.iter().map(|(field, _)| *field).collect();
        assert_eq!(
            fields,
            [
                FormField::Domain,
                FormField::ClientId,
                FormField::ClientSecret
            ]
        );
        // A nickname field there is left alone.
        let with_nickname = dialog("Reauthorize: Okta Devices", &FULL_FORM);
        let plan = plan_fill(
            read_connection_dialog(&with_nickname).as_ref(),
            &workflows(),
            "acme.okta.com",
            "",
        )
        .expect("plan");
        assert_eq!(plan.targets.len(), 3);
        assert_eq!(
            plan.create, None,
            "a Reauthorize dialog is saved, never created"
        );
        // Another connector's Reauthorize dialog is refused like its New Connection dialog.
        let other = dialog("Reauthorize: Okta", &FULL_FORM[1..]);
        assert!(matches!(
            plan_fill(
                read_connection_dialog(&other).as_ref(),
                &workflows(),
                "acme.okta.com",
                ""
            ),
            Err(FillRefusal::WrongConnector(_))
        ));
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
            FillRefusal::Fields(vec![(FormField::ClientSecret, FieldProblem::Missing)])
        );
        assert_eq!(
            refusal.to_string(),
            "Nothing was filled: the Client Secret field could not be found in the dialog."
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

    /// An input of dialog 0 with these fields read, usable unless said otherwise.
    fn input(fields: &[(&str, &str)]) -> ProbeItem {
        let mut item: ProbeItem = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
            .collect();
        if item.get(field::DIALOG).is_none() {
            item.insert(field::DIALOG.into(), Some("0".into()));
        }
        if item.get(field::USABLE).is_none() {
            item.insert(field::USABLE.into(), Some("usable".into()));
        }
        item
    }

    fn plan_of(facts: &crate::message::PageFacts) -> Result<FillPlan, FillRefusal> {
        plan_fill(
            read_connection_dialog(facts).as_ref(),
            &workflows(),
            "acme.okta.com",
            "",
        )
    }

    #[test]
    fn inputs_are_also_found_by_aria_label() {
        let mut facts = dialog("Okta Devices", &[]);
        facts.probes[1].items = [
            ("Connection Nickname", "text"),
            ("Domain", "text"),
            ("Client ID", "text"),
            ("Client Secret", "password"),
        ]
        .iter()
        .map(|(label, kind)| input(&[(field::INPUT_LABELS, label), (field::INPUT_TYPE, kind)]))
        .collect();
        let plan = plan_of(&facts).expect("plan");
        assert_eq!(plan.targets.len(), 4);
        assert_eq!(plan.dialog.probe, ProbeId::ConnectionDialog);
    }

    #[test]
    fn the_connector_must_be_named_exactly() {
        for name in [
            "Okta Devices",
            "  okta  devices ",
            "New Connection: Okta Devices",
        ] {
            assert!(plan_of(&dialog(name, &FULL_FORM)).is_ok(), "{name}");
        }
        for name in [
            "Partner sync: not Okta Devices",
            "Okta Devices Legacy",
            "New Connection: Okta Devices (beta)",
            "Okta",
        ] {
            assert!(
                matches!(
                    plan_of(&dialog(name, &FULL_FORM)),
                    Err(FillRefusal::WrongConnector(_))
                ),
                "{name}"
            );
        }
        // One exact name does not excuse another that names it inside something longer.
        let mut facts = dialog("Okta Devices", &FULL_FORM);
        facts.probes[0].items[0].insert(field::CONNECTOR.into(), Some("Okta Devices Sync".into()));
        assert!(matches!(
            plan_of(&facts),
            Err(FillRefusal::WrongConnector(_))
        ));
    }

    #[test]
    fn hidden_dialogs_and_other_dialogs_fields_are_never_used() {
        // A hidden fake dialog only: no dialog at all.
        let mut hidden = dialog("Okta Devices", &FULL_FORM);
        hidden.probes[0].items[0].insert(field::USABLE.into(), Some("hidden".into()));
        assert_eq!(
            plan_of(&hidden).expect_err("refused"),
            FillRefusal::NoDialog
        );
        // A second visible Okta Devices dialog: the helper does not pick one.
        let mut two = dialog("Okta Devices", &FULL_FORM);
        let copy = two.probes[0].items[0].clone();
        two.probes[0].items.push(copy);
        assert_eq!(
            plan_of(&two).expect_err("refused"),
            FillRefusal::SeveralDialogs
        );
        // The fields of another dialog are not this one's.
        let mut elsewhere = dialog("Okta Devices", &FULL_FORM);
        for item in &mut elsewhere.probes[1].items {
            item.insert(field::DIALOG.into(), Some("1".into()));
        }
        assert!(matches!(
            plan_of(&elsewhere).expect_err("refused"),
            FillRefusal::Fields(problems) if problems.iter().all(|(_, p)| *p == FieldProblem::Missing)
        ));
    }

    #[test]
    fn every_field_must_be_one_usable_input_and_the_secret_a_password_field() {
        let mut duplicated = dialog("Okta Devices", &FULL_FORM);
        duplicated.probes[1].items.push(input(&[
            (field::INPUT_LABELS, "Client Secret"),
            (field::INPUT_TYPE, "password"),
        ]));
        assert_eq!(
            plan_of(&duplicated).expect_err("refused"),
            FillRefusal::Fields(vec![(FormField::ClientSecret, FieldProblem::Several)])
        );
        let mut text_secret = dialog("Okta Devices", &FULL_FORM);
        text_secret.probes[1].items[3].insert(field::INPUT_TYPE.into(), Some("text".into()));
        let refusal = plan_of(&text_secret).expect_err("refused");
        assert_eq!(
            refusal,
            FillRefusal::Fields(vec![(FormField::ClientSecret, FieldProblem::NotPassword)])
        );
        assert!(
            refusal.to_string().contains("not a password field"),
            "{refusal}"
        );
        for (state, problem) in [
            ("hidden", FieldProblem::Hidden),
            ("disabled", FieldProblem::Disabled),
        ] {
            let mut facts = dialog("Okta Devices", &FULL_FORM);
            facts.probes[1].items[2].insert(field::USABLE.into(), Some(state.into()));
            assert_eq!(
                plan_of(&facts).expect_err("refused"),
                FillRefusal::Fields(vec![(FormField::ClientId, problem)])
            );
        }
        // The values go with the password flag the agent checks again.
        let plan = plan_of(&dialog("Okta Devices", &FULL_FORM)).expect("plan");
        let values = fill_values(&plan, credentials(), "n");
        assert_eq!(
            values.iter().map(|v| v.password).collect::<Vec<_>>(),
            [false, false, false, true]
        );
    }

    #[test]
    fn a_refusal_at_typing_names_the_field_and_the_check() {
        let fields = [
            FormField::Nickname,
            FormField::Domain,
            FormField::ClientId,
            FormField::ClientSecret,
        ];
        let said = |field, check: &str| {
            refused_at_typing(
                &FillCheck {
                    field,
                    check: check.to_owned(),
                },
                &fields,
            )
        };
        assert!(said(Some(3), "not_password").starts_with(
            "Nothing was filled: the Client Secret field does not hide what is typed"
        ));
        assert!(said(None, "hidden").starts_with("Nothing was filled: the dialog is hidden,"));
        assert!(said(Some(9), "gone").starts_with("Nothing was filled: a field is no longer"));
        assert!(said(Some(0), "something new").contains("Nickname field failed a check"));
    }
}
