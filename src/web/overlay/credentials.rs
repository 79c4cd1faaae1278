//! The overlay's credentials job: on the Sign On tab, asks the agent to read the Client ID and
//! Client secret once and hands them to the service worker's vault (or, when the page hides the
//! secret and the admin agrees, reads it through Okta's API straight into the vault); on the
//! Workflows console, takes the credentials back from the vault, once, and has the agent fill the
//! connection form.

use super::{ask_worker, spawn_then, Overlay};
use crate::credentials::{is_client_id, CredentialProblem, Credentials, Secret};
use crate::fill::{fill_values, plan_fill, plans_the_same, refused_at_typing};
use crate::flow::FlowEvent;
use crate::message::{FillCheck, Message, ProbeId, ProbeResult};
use crate::overlay_model::{Outcome, OverlayModel, SecretOffer};
use crate::page::{recognize, AdminPlace, Page};
use crate::page_rules::{capture_probes, read_connection_dialog, read_value, FormField};
use crate::vault::VaultLookup;
use crate::web::okta;
use crate::web::JsError;

/// What the panel says when the page's dialog changed between the admin's click and the typing.
const DIALOG_CHANGED: &str =
    "The dialog changed before the fill; nothing was filled. Click Fill again.";

/// An exchange with the page agent that is waiting for its answer.
#[derive(Debug)]
enum Pending {
    Capture {
        request: u32,
        org_domain: String,
    },
    Fill {
        request: u32,
        org_domain: String,
        fields: Vec<FormField>,
        workflows_host: String,
        /// Whether the dialog is an existing connection's Reauthorize form.
        reauthorize: bool,
    },
}

/// The capture's and the fill's exchanges with the agent.
#[derive(Debug, Default)]
pub(super) struct CredentialState {
    next_request: u32,
    pending: Option<Pending>,
}

impl CredentialState {
    fn new_request(&mut self) -> u32 {
        self.next_request = self.next_request.wrapping_add(1);
        self.next_request
    }
}

impl Overlay {
    /// "Capture for Workflows": asks the agent to read the two fields once.
    pub(super) fn start_capture(&mut self, model: &OverlayModel) -> Result<(), JsError> {
        let Some(capture) = &model.capture else {
            return Ok(());
        };
        let request = self.credentials.new_request();
        self.credentials.pending = Some(Pending::Capture {
            request,
            org_domain: capture.org_domain.clone(),
        });
        self.ui.secret_offer = None;
        self.send(&Message::ReadOnce {
            request,
            probes: capture_probes(),
        })
    }

    pub(super) fn on_capture_read(
        &mut self,
        request: u32,
        probes: &[ProbeResult],
    ) -> Result<(), JsError> {
        let org_domain = match &self.credentials.pending {
            Some(Pending::Capture {
                request: expected,
                org_domain,
            }) if *expected == request => org_domain.clone(),
            _ => return Ok(()),
        };
        self.credentials.pending = None;
        let (client_id, client_secret) = match (
            read_value(probes, ProbeId::ClientIdValue),
            read_value(probes, ProbeId::ClientSecretValue),
        ) {
            (Ok(client_id), Ok(client_secret)) => (client_id, client_secret.map(Secret::new)),
            (client_id, client_secret) => {
                // A value read beside a conflict is dropped too: a secret as a Secret, so wiped.
                let client_secret = client_secret.map(|value| value.map(Secret::new));
                let conflicts: Vec<String> = [client_id.err(), client_secret.err()]
                    .into_iter()
                    .flatten()
                    .map(|conflict| conflict.describe())
                    .collect();
                self.ui.outcome = Some(Outcome::Failed(format!(
                    "Nothing was captured: {}",
                    conflicts.join(" ")
                )));
                return self.refresh();
            }
        };
        match Credentials::validate(
            &org_domain,
            client_id.as_deref(),
            client_secret.as_ref().map(Secret::expose),
        ) {
            Err(problems) => {
                let text = CredentialProblem::describe(&problems);
                let secret_hidden = matches!(
                    problems.as_slice(),
                    [CredentialProblem::SecretMasked] | [CredentialProblem::SecretNotFound]
                );
                // The API can read the secret of the app this page is about, and no other: the
                // client id on the page must be the app id in the page's URL.
                let page_app = match self.facts.as_ref().map(recognize) {
                    Some(Page::Admin {
                        place: AdminPlace::WorkflowsOauthApp { app_id, .. },
                        ..
                    }) => Some(app_id),
                    _ => None,
                };
                let offer = client_id.filter(|id| {
                    secret_hidden && is_client_id(id) && page_app.as_deref() == Some(id.as_str())
                });
                match offer {
                    // Reading the secret through the API is logged by Okta: the admin decides.
                    Some(client_id) => {
                        self.ui.outcome = None;
                        self.ui.secret_offer = Some(SecretOffer {
                            client_id,
                            page_problem: text,
                        });
                    }
                    None => self.ui.outcome = Some(Outcome::Failed(text)),
                }
                self.refresh()
            }
            Ok(credentials) => {
                self.keep_in_vault(credentials, "");
                Ok(())
            }
        }
    }

    /// The admin agreed to read the hidden secret through Okta's API.
    pub(super) fn read_secret_through_api(&mut self) -> Result<(), JsError> {
        let Some(offer) = self.ui.secret_offer.take() else {
            return Ok(());
        };
        let Some(Page::Admin { host, .. }) = self.facts.as_ref().map(recognize) else {
            return Ok(());
        };
        let org_domain = host.org_domain();
        self.ui.outcome = Some(Outcome::Done(
            "Reading the Client secret through Okta's API\u{2026}".to_owned(),
        ));
        let client_id = offer.client_id.clone();
        spawn_then(
            async move { okta::client_secret(&client_id).await },
            move |overlay, secret| match secret {
                Ok(secret) => {
                    match Credentials::validate(
                        &org_domain,
                        Some(&offer.client_id),
                        Some(secret.expose()),
                    ) {
                        Ok(credentials) => overlay.keep_in_vault(
                            credentials,
                            " (the page hides the secret, so it was read through Okta's API)",
                        ),
                        Err(problems) => {
                            overlay.ui.outcome = Some(Outcome::Failed(format!(
                                "Okta's API gave a secret the helper does not accept: {}",
                                CredentialProblem::describe(&problems)
                            )));
                        }
                    }
                    overlay.refresh()
                }
                Err(failure) => {
                    overlay.ui.outcome = Some(Outcome::Failed(format!(
                        "{} (Reading it through Okta's API failed too: {failure})",
                        offer.page_problem
                    )));
                    overlay.refresh()
                }
            },
        );
        self.refresh()
    }

    /// The admin declined reading the secret through the API: say what to do on the page.
    pub(super) fn decline_secret_read(&mut self) -> Result<(), JsError> {
        if let Some(offer) = self.ui.secret_offer.take() {
            self.ui.outcome = Some(Outcome::Failed(offer.page_problem));
        }
        self.refresh()
    }

    /// Hands checked credentials to the vault and says what became of them; `how` adds how the
    /// secret was read.
    fn keep_in_vault(&mut self, credentials: Credentials, how: &'static str) {
        ask_worker(Message::VaultPut { credentials }, move |overlay, reply| {
            overlay.ui.outcome = Some(match &reply {
                Ok(Message::VaultState { lookups }) => match lookups.first() {
                    Some(VaultLookup::Ready(status)) => Outcome::Done(format!(
                        "Captured for {}{how}. Open Okta Workflows \u{2192} Connections \u{2192} New Connection \u{2192} Okta Devices to fill it.",
                        status.org_domain
                    )),
                    _ => Outcome::Failed("The vault did not keep the credentials.".to_owned()),
                },
                Ok(_) => Outcome::Failed("The vault gave an unexpected answer.".to_owned()),
                Err(error) => Outcome::Failed(format!("Could not capture: {error}")),
            });
            overlay.on_vault_reply(reply)
        });
    }

    /// "Clear": forgets the org's captured credentials now.
    pub(super) fn clear_vault(&mut self, model: &OverlayModel) -> Result<(), JsError> {
        if let Some(VaultLookup::Ready(status)) = &model.vault {
            ask_worker(
                Message::VaultClear {
                    org_domain: status.org_domain.clone(),
                },
                |overlay, reply| {
                    overlay.ui.outcome = Some(match &reply {
                        Ok(_) => {
                            Outcome::Done("Cleared: the captured credentials are gone.".to_owned())
                        }
                        Err(error) => Outcome::Failed(format!("Could not clear: {error}")),
                    });
                    overlay.on_vault_reply(reply)
                },
            );
        }
        Ok(())
    }

    /// "Fill from …": takes the credentials from the vault, once, and has the agent fill them.
    pub(super) fn start_fill(&mut self, model: &OverlayModel) -> Result<(), JsError> {
        let Some(facts) = self.facts.clone() else {
            return Ok(());
        };
        let Page::Workflows { host } = recognize(&facts) else {
            return Ok(());
        };
        let Some(source) = model.fill.as_ref().and_then(|f| f.source.clone()) else {
            return Ok(());
        };
        // A typed confirmation counts for this one fill.
        let typed = std::mem::take(&mut self.ui.org_typed);
        let plan = match plan_fill(
            read_connection_dialog(&facts).as_ref(),
            &host,
            &source.org_domain,
            &typed,
        ) {
            Ok(plan) => plan,
            Err(refusal) => {
                self.ui.outcome = Some(Outcome::Failed(refusal.to_string()));
                return self.refresh();
            }
        };
        let nickname = self
            .nickname
            .clone()
            .unwrap_or_else(|| crate::fill::default_nickname(&source.org_domain));
        let org_domain = source.org_domain;
        let confirmed_for = (org_domain != host.org_domain()).then(|| typed.clone());
        ask_worker(
            Message::VaultTake {
                org_domain: org_domain.clone(),
                confirmed_for,
            },
            move |overlay, reply| {
                let credentials = match reply {
                    Ok(Message::VaultCredentials { credentials })
                        if credentials.org_domain == org_domain =>
                    {
                        credentials
                    }
                    Ok(_) => {
                        overlay.ui.outcome = Some(Outcome::Failed(
                            "The vault gave an unexpected answer; nothing was filled.".to_owned(),
                        ));
                        return overlay.refresh();
                    }
                    Err(error) => {
                        overlay.ui.outcome = Some(Outcome::Failed(error.to_string()));
                        return overlay.refresh();
                    }
                };
                // The page may have been read again while the vault answered.
                let newest = overlay.facts.as_ref().filter(|newest| {
                    plans_the_same(
                        &plan,
                        read_connection_dialog(newest).as_ref(),
                        &host,
                        &org_domain,
                        &typed,
                    )
                });
                let Some(seq) = newest.map(|newest| newest.seq) else {
                    drop(credentials);
                    overlay.ui.outcome = Some(Outcome::Failed(DIALOG_CHANGED.to_owned()));
                    return overlay.refresh();
                };
                let request = overlay.credentials.new_request();
                overlay.credentials.pending = Some(Pending::Fill {
                    request,
                    org_domain,
                    fields: plan.targets.iter().map(|(field, _)| *field).collect(),
                    workflows_host: host.to_string(),
                    reauthorize: plan.reauthorize,
                });
                overlay.send(&Message::Fill {
                    request,
                    seq,
                    dialog: plan.dialog.clone(),
                    fields: fill_values(&plan, credentials, &nickname),
                })
            },
        );
        Ok(())
    }

    pub(super) fn on_fill_result(
        &mut self,
        request: u32,
        current: bool,
        missing: &[u32],
        unconfirmed: &[u32],
        refused: Option<FillCheck>,
    ) -> Result<(), JsError> {
        let (org_domain, fields, workflows_host, reauthorize) =
            match self.credentials.pending.take() {
                Some(Pending::Fill {
                    request: expected,
                    org_domain,
                    fields,
                    workflows_host,
                    reauthorize,
                }) if expected == request => (org_domain, fields, workflows_host, reauthorize),
                other => {
                    self.credentials.pending = other;
                    return Ok(());
                }
            };
        let names = |indexes: &[u32]| {
            indexes
                .iter()
                .filter_map(|&i| fields.get(i as usize))
                .map(|field| field.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.ui.outcome = Some(if let Some(refused) = refused {
            Outcome::Failed(refused_at_typing(&refused, &fields))
        } else if !current {
            Outcome::Failed(DIALOG_CHANGED.to_owned())
        } else if !missing.is_empty() {
            Outcome::Failed(format!(
                "Nothing was filled: could not find the {} field in the dialog.",
                names(missing)
            ))
        } else if !unconfirmed.is_empty() {
            Outcome::Failed(format!(
                "The form did not keep {}. Type {} by hand; the credentials stay captured.",
                names(unconfirmed),
                if unconfirmed.len() == 1 { "it" } else { "them" }
            ))
        } else {
            self.ui.filled = Some(org_domain.clone());
            ask_worker(
                Message::VaultClear {
                    org_domain: org_domain.clone(),
                },
                Overlay::on_vault_reply,
            );
            ask_worker(
                Message::FlowNote {
                    event: FlowEvent::Filled {
                        org_domain: org_domain.clone(),
                        workflows_host,
                        reauthorize,
                    },
                },
                Overlay::on_flow_reply,
            );
            let labels: Vec<&str> = fields.iter().map(|field| field.label()).collect();
            let filled = match labels.split_last() {
                Some((last, [])) => (*last).to_owned(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            let button = if reauthorize { "Save" } else { "Create" };
            Outcome::Done(format!(
                "Filled {filled} from {org_domain}, and cleared them from the helper. Check the form, then click {button}."
            ))
        });
        self.refresh()
    }

    pub(super) fn on_vault_reply(
        &mut self,
        reply: Result<Message, JsError>,
    ) -> Result<(), JsError> {
        match reply {
            Ok(Message::VaultState { lookups }) => {
                let known = self.ui.vault.get_or_insert_with(Vec::new);
                for lookup in lookups {
                    let org = lookup.org_domain().to_owned();
                    known.retain(|existing| existing.org_domain() != org);
                    known.push(lookup);
                }
            }
            Ok(other) => super::warn(&format!(
                "the vault answered with a `{}` message",
                other.kind()
            )),
            Err(error) => super::warn(&format!("the vault did not answer: {error}")),
        }
        self.refresh()
    }
}
