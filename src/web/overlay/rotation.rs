//! The overlay's secret rotation job, on the Okta Workflows OAuth app's Sign On tab: lists the
//! app's secrets (labels only), creates the new one after the admin's confirmation and hands it
//! straight to the vault, notes each stage in the org's flow record, and deactivates the secret
//! the admin picked once they said the connection works. What may be done when is decided in
//! [`crate::rotation`]; the calls are made by [`crate::web::okta`] through the page agent.

use super::{ask_worker, spawn_then, Overlay};
use crate::credentials::Credentials;
use crate::flow::FlowEvent;
use crate::message::Message;
use crate::overlay_model::Outcome;
use crate::page::{recognize, AdminPlace, Page};
use crate::rotation::{may_deactivate, Rotation, SecretLabel, Stage};
use crate::vault::VaultLookup;
use crate::web::okta;
use crate::web::JsError;

impl Overlay {
    /// The org domain and the app id of this Sign On tab.
    fn rotation_target(&self) -> Option<(String, String)> {
        match self.facts.as_ref().map(recognize)? {
            Page::Admin {
                host,
                place: AdminPlace::WorkflowsOauthApp { app_id, .. },
            } => Some((host.org_domain(), app_id)),
            _ => None,
        }
    }

    /// The org's rotation, as its flow record keeps it.
    fn current_rotation(&self, org_domain: &str) -> Option<Rotation> {
        self.ui
            .flow
            .iter()
            .find(|record| record.org_domain == org_domain)
            .and_then(|record| record.rotation.clone())
    }

    /// Lists the app's secrets, by label.
    pub(super) fn list_secrets(&mut self) -> Result<(), JsError> {
        let Some((_, app_id)) = self.rotation_target() else {
            return self.refresh();
        };
        self.ui.rotation.busy = true;
        self.ui.rotation.problem = None;
        spawn_then(
            async move { okta::secret_labels(&app_id).await },
            |overlay, listed| {
                overlay.ui.rotation.busy = false;
                overlay.ui.rotation.secrets = Some(listed.map_err(|failure| failure.to_string()));
                overlay.refresh()
            },
        );
        self.refresh()
    }

    /// The admin confirmed: create the new secret, put it in the vault, and start the record.
    pub(super) fn create_secret(&mut self) -> Result<(), JsError> {
        let Some((org_domain, app_id)) = self.rotation_target() else {
            return self.refresh();
        };
        let old_secrets: Vec<SecretLabel> = match &self.ui.rotation.secrets {
            Some(Ok(secrets)) if self.ui.rotation.confirm_create => secrets.clone(),
            _ => return self.refresh(),
        };
        self.ui.rotation.confirm_create = false;
        self.ui.rotation.busy = true;
        self.ui.rotation.problem = None;
        let client_id = app_id.clone();
        spawn_then(
            async move { okta::create_secret(&app_id).await },
            move |overlay, created| {
                overlay.ui.rotation.busy = false;
                let created = match created {
                    Ok(created) => created,
                    Err(failure) => {
                        overlay.ui.rotation.problem =
                            Some(format!("No new secret was created: {failure}"));
                        return overlay.list_secrets();
                    }
                };
                let Some(new_secret) = SecretLabel::of(&created) else {
                    overlay.ui.rotation.problem = Some(
                        "Okta created a secret but answered it without a usable id; check the \
                         Sign On tab's Client Secrets."
                            .to_owned(),
                    );
                    return overlay.list_secrets();
                };
                let rotation = Rotation {
                    started: new_secret.created.clone(),
                    new_secret: new_secret.clone(),
                    old_secrets: old_secrets
                        .into_iter()
                        .filter(|secret| secret.active)
                        .collect(),
                    stage: Stage::Created,
                };
                let credentials = Credentials {
                    org_domain: org_domain.clone(),
                    client_id,
                    client_secret: created.client_secret,
                };
                keep_new_secret(
                    credentials,
                    format!(
                        "Created {}; it is in the helper's vault, never shown. In Okta \
                         Workflows, open Connections \u{2192} your Okta Devices connection \
                         \u{2192} Reauthorize, and fill it from the helper.",
                        new_secret.describe()
                    ),
                    format!(
                        "Created {}, but the vault did not keep it: deactivate it on the Sign \
                         On tab, then start again.",
                        new_secret.describe()
                    ),
                );
                overlay.note_rotation(FlowEvent::RotationStarted {
                    org_domain,
                    rotation,
                });
                overlay.list_secrets()
            },
        );
        self.refresh()
    }

    /// The admin confirmed: read the rotation's new secret again (the vault lost it) and put it
    /// back in the vault.
    pub(super) fn reread_new_secret(&mut self) -> Result<(), JsError> {
        let Some((org_domain, app_id)) = self.rotation_target() else {
            return self.refresh();
        };
        let Some(rotation) = self
            .current_rotation(&org_domain)
            .filter(|rotation| rotation.stage == Stage::Created)
        else {
            return self.refresh();
        };
        self.ui.rotation.busy = true;
        self.ui.rotation.problem = None;
        let client_id = app_id.clone();
        let secret_id = rotation.new_secret.id.clone();
        spawn_then(
            async move { okta::secret_by_id(&app_id, &secret_id).await },
            move |overlay, read| {
                overlay.ui.rotation.busy = false;
                let client_secret = match read {
                    Ok(secret) => secret,
                    Err(failure) => {
                        overlay.ui.rotation.problem =
                            Some(format!("The new secret could not be read: {failure}"));
                        return overlay.refresh();
                    }
                };
                let credentials = Credentials {
                    org_domain,
                    client_id,
                    client_secret,
                };
                keep_new_secret(
                    credentials,
                    format!(
                        "{} is in the helper's vault again. Fill the connection's Reauthorize \
                         form from the helper.",
                        rotation.new_secret.describe()
                    ),
                    "The vault did not keep the new secret.".to_owned(),
                );
                overlay.refresh()
            },
        );
        self.refresh()
    }

    /// A stage the admin reached from the panel: the connection works, or cancel.
    pub(super) fn rotation_stage(&mut self, stage: Stage) -> Result<(), JsError> {
        let Some((org_domain, _)) = self.rotation_target() else {
            return self.refresh();
        };
        let cancelled = stage == Stage::Cancelled;
        let confirmed = stage == Stage::Confirmed;
        self.note_rotation(FlowEvent::RotationStage { org_domain, stage });
        self.ui.rotation.confirm_create = false;
        self.ui.rotation.confirm_deactivate = None;
        if cancelled {
            self.ui.outcome = Some(Outcome::Done(
                "Rotation cancelled: both secrets stay active, and nothing was deactivated."
                    .to_owned(),
            ));
        }
        if confirmed {
            // The choice of the secret to deactivate is made on Okta's list as it is now.
            return self.list_secrets();
        }
        self.refresh()
    }

    /// "Deactivate the picked secret…": the question, for the picked secret only.
    pub(super) fn ask_deactivate(&mut self) -> Result<(), JsError> {
        let Some((org_domain, _)) = self.rotation_target() else {
            return self.refresh();
        };
        let rotation = self.current_rotation(&org_domain);
        let listed = match &self.ui.rotation.secrets {
            Some(Ok(secrets)) => secrets.clone(),
            _ => Vec::new(),
        };
        let picked = self.ui.rotation.picked.clone().unwrap_or_default();
        match may_deactivate(rotation.as_ref(), &picked, &listed) {
            Ok(secret) => {
                self.ui.rotation.confirm_deactivate = Some(secret);
                self.ui.rotation.problem = None;
            }
            Err(why) => self.ui.rotation.problem = Some(why),
        }
        self.refresh()
    }

    /// The admin confirmed: deactivate the secret the question named (checked again first).
    pub(super) fn deactivate_secret(&mut self) -> Result<(), JsError> {
        let Some((org_domain, app_id)) = self.rotation_target() else {
            return self.refresh();
        };
        let Some(asked) = self.ui.rotation.confirm_deactivate.take() else {
            return self.refresh();
        };
        let rotation = self.current_rotation(&org_domain);
        let listed = match &self.ui.rotation.secrets {
            Some(Ok(secrets)) => secrets.clone(),
            _ => Vec::new(),
        };
        if let Err(why) = may_deactivate(rotation.as_ref(), &asked.id, &listed) {
            self.ui.rotation.problem = Some(why);
            return self.refresh();
        }
        self.ui.rotation.busy = true;
        let secret_id = asked.id.clone();
        spawn_then(
            async move { okta::deactivate_secret(&app_id, &secret_id).await },
            move |overlay, answer| {
                overlay.ui.rotation.busy = false;
                match answer {
                    Ok(secret) if !secret.active && secret.id == asked.id => {
                        overlay.ui.outcome = Some(Outcome::Done(format!(
                            "Deactivated {}. Delete it in the console when you are sure; the \
                             helper never deletes a secret.",
                            secret.describe()
                        )));
                        overlay.note_rotation(FlowEvent::RotationStage {
                            org_domain,
                            stage: Stage::Deactivated { secret },
                        });
                    }
                    Ok(secret) => {
                        overlay.ui.rotation.problem = Some(format!(
                            "Okta answered that {} is not inactive; check the Sign On tab.",
                            secret.describe()
                        ));
                    }
                    Err(failure) => {
                        overlay.ui.rotation.problem =
                            Some(format!("Nothing was deactivated: {failure}"));
                    }
                }
                overlay.ui.rotation.picked = None;
                overlay.list_secrets()
            },
        );
        self.refresh()
    }

    /// While a rotation waits for its fill in Okta Workflows (another tab), asks the service
    /// worker each second where the org's flow stands, so that the panel moves on by itself.
    pub(super) fn follow_rotation(&self) {
        let waiting = self.rotation_target().is_some_and(|(org_domain, _)| {
            self.current_rotation(&org_domain)
                .is_some_and(|rotation| rotation.stage == Stage::Created)
        });
        if waiting {
            ask_worker(Message::FlowQuery {}, Overlay::on_flow_reply);
        }
    }

    fn note_rotation(&self, event: FlowEvent) {
        ask_worker(Message::FlowNote { event }, Overlay::on_flow_reply);
    }
}

/// Hands a rotation's new secret to the vault, and says `done` once the vault holds it, else
/// `failed`.
fn keep_new_secret(credentials: Credentials, done: String, failed: String) {
    ask_worker(Message::VaultPut { credentials }, move |overlay, reply| {
        overlay.ui.outcome = Some(match &reply {
            Ok(Message::VaultState { lookups })
                if matches!(lookups.first(), Some(VaultLookup::Ready(_))) =>
            {
                Outcome::Done(done)
            }
            _ => Outcome::Failed(failed),
        });
        overlay.on_vault_reply(reply)
    });
}
