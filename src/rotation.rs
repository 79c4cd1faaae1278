//! Rotating the Okta Workflows OAuth app's client secret without breaking the connection. Okta lets
//! an app hold two active secrets at once, so the rotation has four steps, each confirmed by the
//! admin: create a new secret, update the connection (Okta Workflows' Reauthorize form, filled
//! from the vault), check that it works, then deactivate the old secret. Deleting stays a console
//! action.
//!
//! This module holds the rules: how a secret is named to the admin (its creation time and last
//! four characters, never more: [`SecretLabel`]), when a new one may be created, where a rotation
//! stands ([`Rotation`], kept in the org's flow record by [`crate::flow`], with no secret in it),
//! which secret may be deactivated, and the words for each.

use crate::api::ClientSecret;
use crate::diagnose::display_time;
use serde::{Deserialize, Serialize};

/// The most client secrets Okta lets an app hold.
pub const MAX_SECRETS: usize = 2;
/// What Okta's System Log records when a secret is created.
pub const CREATE_EVENT: &str = "app.oauth2.credentials.lifecycle.create";
/// What Okta's System Log records when a secret is deactivated.
pub const DEACTIVATE_EVENT: &str = "app.oauth2.credentials.lifecycle.deactivate";

/// A client secret as the admin is shown it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretLabel {
    /// Okta's id of the secret, for the lifecycle calls.
    pub id: String,
    /// Whether it is `ACTIVE`.
    pub active: bool,
    /// When it was made, ISO 8601, as Okta gave it.
    pub created: String,
    /// Its last four characters.
    pub last_four: String,
}

impl SecretLabel {
    /// The label of a secret Okta listed; `None` without an id (it could not be named in a
    /// lifecycle call).
    pub fn of(secret: &ClientSecret) -> Option<Self> {
        let id = secret.id.clone().filter(|id| crate::api::is_okta_id(id))?;
        let value: Vec<char> = secret.client_secret.expose().chars().collect();
        Some(Self {
            id,
            active: secret.status == "ACTIVE",
            created: secret.created.clone().unwrap_or_default(),
            last_four: value[value.len().saturating_sub(4)..].iter().collect(),
        })
    }

    /// E.g. `the secret created 2026-11-01 09:00 UTC, ending in a1B2 (active)`.
    pub fn describe(&self) -> String {
        let created = display_time(&self.created).unwrap_or_else(|| "at an unknown time".into());
        format!(
            "the secret created {created}, ending in {} ({})",
            self.last_four,
            if self.active { "active" } else { "inactive" }
        )
    }
}

/// Whether a new secret may be created, given the app's secrets as Okta listed them.
pub fn may_create(secrets: &[SecretLabel]) -> Result<(), String> {
    if secrets.len() >= MAX_SECRETS {
        return Err(format!(
            "This app already has {} client secrets, and Okta allows no more than {MAX_SECRETS}. \
             Deactivate and delete the one no connection uses in the console (Sign On tab \
             \u{2192} Client Secrets) first; the helper never deletes a secret.",
            secrets.len()
        ));
    }
    if !secrets.iter().any(|secret| secret.active) {
        return Err(
            "Okta listed no active client secret for this app, so there is nothing to rotate \
             from: the helper does not guess. Check the Sign On tab's Client Secrets."
                .to_owned(),
        );
    }
    Ok(())
}

/// What the panel says before the app's secrets are listed: Okta's list answers with their
/// values, so it is a secret read Okta records.
pub fn list_note() -> String {
    format!(
        "The helper lists the app's secrets through Okta's API, which answers with their values; \
         the panel names each only by its creation time and last four characters. {}",
        crate::api::secret_read_note()
    )
}

/// What the panel says before the rotation's new secret is read again into the vault.
pub fn reread_note() -> String {
    format!(
        "The helper reads that one secret by its id through Okta's API, straight into its vault. \
         {}",
        crate::api::secret_read_note()
    )
}

/// What the admin confirms before a new secret is created.
pub fn create_question() -> String {
    format!(
        "Create a new client secret for the Okta Workflows OAuth app? Both secrets stay active \
         until you deactivate the old one, so the connection keeps working. Okta logs the \
         creation in the System Log ({CREATE_EVENT}). The new secret goes straight into the \
         helper's vault; it is never shown."
    )
}

/// What the admin confirms before a secret is deactivated.
pub fn deactivate_question(secret: &SecretLabel) -> String {
    format!(
        "Deactivate {}? Connections that still use it stop working. Okta logs it \
         ({DEACTIVATE_EVENT}). It is not deleted: you can activate it again on the Sign On tab.",
        secret.describe()
    )
}

/// Where a rotation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Stage {
    /// The new secret exists and is in the vault; the connection must be updated.
    Created,
    /// The connection's Reauthorize form was filled from the vault; the admin checks it.
    Filled,
    /// The admin said the connection works with the new secret.
    Confirmed,
    /// The old secret was deactivated: done.
    Deactivated {
        /// The secret deactivated.
        secret: SecretLabel,
    },
    /// The admin cancelled: both secrets stay active.
    Cancelled,
}

/// One rotation of an org's Okta Workflows OAuth app secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// The secret created for it.
    pub new_secret: SecretLabel,
    /// The app's other secrets when it was created: the ones to retire.
    pub old_secrets: Vec<SecretLabel>,
    /// Where it stands.
    pub stage: Stage,
    /// When it started, ISO 8601.
    pub started: String,
}

impl Rotation {
    /// Whether it is over (done or cancelled).
    pub fn is_over(&self) -> bool {
        matches!(self.stage, Stage::Deactivated { .. } | Stage::Cancelled)
    }

    /// Moves on when `stage` follows the current one; a step out of order changes nothing and
    /// says why. Cancelling is allowed at any point before the end.
    pub fn advance(&mut self, stage: Stage) -> Result<(), &'static str> {
        let allowed = match (&self.stage, &stage) {
            (_, Stage::Cancelled) => !self.is_over(),
            (Stage::Created, Stage::Filled) => true,
            // Filling again (another try) keeps the stage.
            (Stage::Filled, Stage::Filled) => true,
            (Stage::Filled, Stage::Confirmed) => true,
            (Stage::Confirmed, Stage::Deactivated { .. }) => true,
            _ => false,
        };
        if !allowed {
            return Err("That step does not follow where the rotation stands.");
        }
        self.stage = stage;
        Ok(())
    }

    /// Where it stands, for the panel and the popup: the step, and which secret is which.
    pub fn status(&self) -> String {
        let new = self.new_secret.describe();
        let started = display_time(&self.started).unwrap_or_else(|| self.started.clone());
        let old = match self.old_secrets.as_slice() {
            [] => "no other secret".to_owned(),
            secrets => secrets
                .iter()
                .map(SecretLabel::describe)
                .collect::<Vec<_>>()
                .join("; "),
        };
        let step = match &self.stage {
            Stage::Created => "Step 2 of 4: update the connection. In Okta Workflows, open \
                Connections \u{2192} your Okta Devices connection \u{2192} Reauthorize, fill it \
                from the helper, then click Save."
                .to_owned(),
            Stage::Filled => "Step 3 of 4: check the connection. Run a flow with an Okta Devices \
                card in Okta Workflows; if it works, say so on the Sign On tab."
                .to_owned(),
            Stage::Confirmed => {
                "Step 4 of 4: deactivate the old secret on the Sign On tab.".to_owned()
            }
            Stage::Deactivated { secret } => format!(
                "Done: {} is deactivated. Delete it in the console when you are sure.",
                secret.describe()
            ),
            Stage::Cancelled => "Cancelled: both secrets stay active. Deactivate or delete the \
                one no connection uses in the console when you are ready."
                .to_owned(),
        };
        format!("{step} Started {started}. New: {new}. Old: {old}.")
    }
}

/// Whether the secret `picked` may be deactivated now: only once the admin said the connection
/// works, only a secret Okta lists as active right now, never the rotation's new secret (the
/// connection now uses it), and never the app's last active one.
pub fn may_deactivate(
    rotation: Option<&Rotation>,
    picked: &str,
    secrets_now: &[SecretLabel],
) -> Result<SecretLabel, String> {
    let Some(rotation) = rotation.filter(|rotation| !rotation.is_over()) else {
        return Err("No rotation is under way: create a new secret first.".to_owned());
    };
    if rotation.stage != Stage::Confirmed {
        return Err(
            "First check that the connection works with the new secret, and say so here."
                .to_owned(),
        );
    }
    if picked == rotation.new_secret.id {
        return Err(
            "That is the new secret, which the connection now uses: pick the old one.".to_owned(),
        );
    }
    let Some(secret) = secrets_now.iter().find(|secret| secret.id == picked) else {
        return Err("Okta no longer lists that secret.".to_owned());
    };
    if !secret.active {
        return Err(format!("{} is already inactive.", secret.describe()));
    }
    if !secrets_now
        .iter()
        .any(|other| other.active && other.id != picked)
    {
        return Err("It is the app's only active secret, and Okta keeps one active.".to_owned());
    }
    Ok(secret.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SECRET_READ_EVENT;
    use crate::credentials::Secret;

    fn label(id: &str, active: bool, last_four: &str) -> SecretLabel {
        SecretLabel {
            id: id.into(),
            active,
            created: "2026-11-01T09:00:00.000Z".into(),
            last_four: last_four.into(),
        }
    }

    fn rotation(stage: Stage) -> Rotation {
        Rotation {
            new_secret: label("ocsNEW", true, "nnnn"),
            old_secrets: vec![label("ocsOLD", true, "oooo")],
            stage,
            started: "2026-11-28T14:05:00.000Z".into(),
        }
    }

    #[test]
    fn a_secret_is_named_by_its_time_and_last_four_characters_only() {
        let listed = ClientSecret {
            id: Some("ocs1demosecret0x7q01".into()),
            status: "ACTIVE".into(),
            client_secret: Secret::new("s3cr3t-value-that-must-not-show-AbCd"),
            created: Some("2026-11-01T09:00:00.000Z".into()),
        };
        let named = SecretLabel::of(&listed).expect("a label");
        assert_eq!(named.last_four, "AbCd");
        assert_eq!(
            named.describe(),
            "the secret created 2026-11-01 09:00 UTC, ending in AbCd (active)"
        );
        assert!(!format!("{named:?}").contains("must-not-show"));
        let unnamed = ClientSecret {
            id: Some("../x".into()),
            ..listed
        };
        assert_eq!(SecretLabel::of(&unnamed), None);
    }

    #[test]
    fn a_third_secret_is_refused_and_so_is_rotating_from_nothing() {
        assert_eq!(may_create(&[label("a", true, "1111")]), Ok(()));
        let two = may_create(&[label("a", true, "1111"), label("b", false, "2222")]);
        assert!(two.is_err_and(|why| why.contains("allows no more than 2")));
        assert!(may_create(&[label("a", false, "1111")]).is_err());
        assert!(may_create(&[]).is_err());
    }

    #[test]
    fn steps_follow_in_order_and_cancel_keeps_both() {
        let mut rotation = rotation(Stage::Created);
        assert!(
            rotation.advance(Stage::Confirmed).is_err(),
            "not before the fill"
        );
        assert_eq!(rotation.advance(Stage::Filled), Ok(()));
        assert_eq!(rotation.advance(Stage::Filled), Ok(()), "a second fill");
        assert_eq!(rotation.advance(Stage::Confirmed), Ok(()));
        assert!(rotation.status().starts_with("Step 4 of 4"));
        let mut cancelled = rotation.clone();
        assert_eq!(cancelled.advance(Stage::Cancelled), Ok(()));
        assert!(cancelled
            .status()
            .starts_with("Cancelled: both secrets stay active."));
        assert!(cancelled.advance(Stage::Filled).is_err());
        assert_eq!(
            rotation.advance(Stage::Deactivated {
                secret: label("ocsOLD", false, "oooo")
            }),
            Ok(())
        );
        assert!(rotation.advance(Stage::Cancelled).is_err(), "over");
        assert!(rotation
            .status()
            .contains("ending in oooo (inactive) is deactivated"));
    }

    #[test]
    fn only_the_picked_old_active_secret_is_deactivated_and_only_once_confirmed() {
        let now = [label("ocsOLD", true, "oooo"), label("ocsNEW", true, "nnnn")];
        let filled = rotation(Stage::Filled);
        assert!(may_deactivate(Some(&filled), "ocsOLD", &now)
            .is_err_and(|why| why.starts_with("First check")));
        let confirmed = rotation(Stage::Confirmed);
        assert_eq!(
            may_deactivate(Some(&confirmed), "ocsOLD", &now),
            Ok(label("ocsOLD", true, "oooo"))
        );
        assert!(may_deactivate(Some(&confirmed), "ocsNEW", &now)
            .is_err_and(|why| why.contains("the new secret")));
        assert!(may_deactivate(Some(&confirmed), "ocsGONE", &now).is_err());
        let old_inactive = [
            label("ocsOLD", false, "oooo"),
            label("ocsNEW", true, "nnnn"),
        ];
        assert!(may_deactivate(Some(&confirmed), "ocsOLD", &old_inactive).is_err());
        let only_old = [
            label("ocsOLD", true, "oooo"),
            label("ocsNEW", false, "nnnn"),
        ];
        assert!(may_deactivate(Some(&confirmed), "ocsOLD", &only_old)
            .is_err_and(|why| why.contains("only active secret")));
        assert!(may_deactivate(None, "ocsOLD", &now).is_err());
        let cancelled = rotation(Stage::Cancelled);
        assert!(may_deactivate(Some(&cancelled), "ocsOLD", &now).is_err());
    }

    #[test]
    fn the_questions_say_what_okta_logs() {
        assert!(create_question().contains(CREATE_EVENT));
        let question = deactivate_question(&label("ocsOLD", true, "oooo"));
        assert!(question.contains(DEACTIVATE_EVENT) && question.contains("ending in oooo"));
        assert!(question.contains("It is not deleted"));
        // Listing and re-reading bring secret values through the API: both name Okta's record of
        // the read, in the capture's own sentence.
        let read_note = crate::api::secret_read_note();
        assert!(read_note.contains("System Log") && read_note.contains(SECRET_READ_EVENT));
        for note in [list_note(), reread_note()] {
            assert!(note.ends_with(&read_note), "{note}");
        }
        assert!(list_note().contains("last four characters"));
        assert!(reread_note().contains("by its id"));
    }
}
