//! The Okta Workflows OAuth app's credentials: read from the Sign On tab, checked, and kept secret.
//!
//! Raw page values become [`Credentials`] only through [`Credentials::validate`], which checks their
//! shape and says exactly what is wrong. The client secret lives in a [`Secret`], which has no
//! `Display` and redacts itself in `Debug`, so it cannot slip into a log line or a panel by accident;
//! the one way to see it is [`Secret::expose`], used only to store it and to fill the one form field.
//! It is overwritten with zeros when dropped, so the memory it leaves behind holds no copy.

use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroize;

/// A client secret. Never displayed; debug-printed as `Secret(…abcd)`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the vault and the one field it is filled into.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The masked form shown to the admin: bullets and the last four characters.
    pub fn hint(&self) -> String {
        let tail: String = {
            let chars: Vec<char> = self.0.chars().collect();
            chars[chars.len().saturating_sub(4)..].iter().collect()
        };
        format!("\u{2022}\u{2022}\u{2022}\u{2022}{tail}")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.hint())
    }
}

/// What a Workflows connection needs from the Okta Workflows OAuth app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The org's Okta domain, e.g. `acme.okta.com`.
    pub org_domain: String,
    /// The app's client id, e.g. `0oa1wf2oauthdemo0x7q`.
    pub client_id: String,
    /// The app's client secret.
    pub client_secret: Secret,
}

/// Why values read from the page are not credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialProblem {
    /// The Client ID field was not found.
    ClientIdNotFound,
    /// The Client ID does not look like an Okta client id.
    ClientIdMalformed,
    /// The Client secret field was not found.
    SecretNotFound,
    /// The page shows only a mask, not the secret.
    SecretMasked,
    /// The secret is too short or has spaces, so it is not a whole secret.
    SecretMalformed,
}

impl fmt::Display for CredentialProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ClientIdNotFound => {
                "Could not find the Client ID on this tab. Open the Sign On tab of the Okta Workflows OAuth app."
            }
            Self::ClientIdMalformed => {
                "The Client ID on this page does not look like an Okta client id (0oa followed by 17 letters and digits)."
            }
            Self::SecretNotFound => {
                "Could not find the Client secret on this tab. Open the Sign On tab of the Okta Workflows OAuth app."
            }
            Self::SecretMasked => {
                "The page shows the Client secret only as a mask. Click the eye icon beside Client secret to show it, then Capture again."
            }
            Self::SecretMalformed => {
                "The Client secret on this page is not a whole secret (it is shorter than 32 characters or has spaces)."
            }
        })
    }
}

impl CredentialProblem {
    /// Several problems as one message, in order.
    pub fn describe(problems: &[CredentialProblem]) -> String {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Okta object ids: a three-character type prefix and 17 more letters and digits.
const OKTA_ID_LENGTH: usize = 20;
/// Okta generates client secrets of 40 characters or more; anything much shorter is a fragment.
const MIN_SECRET_LENGTH: usize = 32;

impl Credentials {
    /// Checks values read from the page. `client_id` and `client_secret` are `None` when their
    /// field was not found.
    pub fn validate(
        org_domain: &str,
        client_id: Option<&str>,
        client_secret: Option<&str>,
    ) -> Result<Self, Vec<CredentialProblem>> {
        let mut problems = Vec::new();
        let client_id = client_id.map(str::trim);
        match client_id {
            None | Some("") => problems.push(CredentialProblem::ClientIdNotFound),
            Some(id) if !is_client_id(id) => problems.push(CredentialProblem::ClientIdMalformed),
            Some(_) => {}
        }
        let secret = client_secret.map(str::trim);
        match secret {
            None | Some("") => problems.push(CredentialProblem::SecretNotFound),
            Some(value) if is_mask(value) => problems.push(CredentialProblem::SecretMasked),
            Some(value)
                if value.chars().count() < MIN_SECRET_LENGTH
                    || value.chars().any(char::is_whitespace) =>
            {
                problems.push(CredentialProblem::SecretMalformed)
            }
            Some(_) => {}
        }
        match (client_id, secret) {
            (Some(id), Some(secret)) if problems.is_empty() => Ok(Self {
                org_domain: org_domain.to_owned(),
                client_id: id.to_owned(),
                client_secret: Secret::new(secret),
            }),
            _ => Err(problems),
        }
    }
}

/// `0oa` and 17 ASCII letters or digits.
pub fn is_client_id(id: &str) -> bool {
    id.len() == OKTA_ID_LENGTH
        && id.starts_with("0oa")
        && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A value made only of mask characters, as consoles show hidden secrets.
fn is_mask(value: &str) -> bool {
    value
        .chars()
        .all(|c| matches!(c, '\u{2022}' | '\u{25cf}' | '*' | '\u{00b7}' | '\u{2219}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0oa1wf2oauthdemo0x7q";
    const SECRET: &str = "q7XvR2b9LwT4nK8sYp3ZcH6mJd1FgA5eUoIiWrBt";

    #[test]
    fn valid_values_become_credentials() {
        let creds = Credentials::validate("acme.okta.com", Some(ID), Some(&format!(" {SECRET}\n")))
            .expect("valid");
        assert_eq!(creds.client_id, ID);
        assert_eq!(creds.client_secret.expose(), SECRET);
        assert_eq!(creds.org_domain, "acme.okta.com");
    }

    #[test]
    fn client_id_shapes_are_checked() {
        for bad in [
            "",
            "0oa",
            "00u1wf2oauthdemo0x7q",
            "0oa1wf2oauthdemo0x7q1",
            "0oa1wf2oauth-demo0x7",
            "client",
        ] {
            let problems =
                Credentials::validate("acme.okta.com", Some(bad), Some(SECRET)).expect_err(bad);
            assert!(
                problems == [CredentialProblem::ClientIdMalformed]
                    || problems == [CredentialProblem::ClientIdNotFound],
                "{bad}: {problems:?}"
            );
        }
        assert_eq!(
            Credentials::validate("acme.okta.com", None, Some(SECRET)),
            Err(vec![CredentialProblem::ClientIdNotFound])
        );
    }

    #[test]
    fn secret_shapes_are_checked_and_masks_named() {
        let problem = |secret: Option<&str>| {
            Credentials::validate("acme.okta.com", Some(ID), secret).expect_err("invalid")
        };
        assert_eq!(problem(None), [CredentialProblem::SecretNotFound]);
        assert_eq!(problem(Some("  ")), [CredentialProblem::SecretNotFound]);
        assert_eq!(
            problem(Some("\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}")),
            [CredentialProblem::SecretMasked]
        );
        assert_eq!(
            problem(Some("************")),
            [CredentialProblem::SecretMasked]
        );
        assert_eq!(problem(Some("short")), [CredentialProblem::SecretMalformed]);
        assert_eq!(
            problem(Some("q7XvR2b9LwT4nK8sYp3Z cH6mJd1FgA5eUoIiWrBt")),
            [CredentialProblem::SecretMalformed]
        );
        assert!(CredentialProblem::SecretMasked
            .to_string()
            .contains("eye icon"));
    }

    #[test]
    fn both_problems_are_reported_together() {
        assert_eq!(
            Credentials::validate("acme.okta.com", Some("x"), None),
            Err(vec![
                CredentialProblem::ClientIdMalformed,
                CredentialProblem::SecretNotFound
            ])
        );
    }

    #[test]
    fn the_secret_never_prints() {
        let creds = Credentials::validate("acme.okta.com", Some(ID), Some(SECRET)).expect("valid");
        let printed = format!("{creds:?}");
        assert!(!printed.contains(SECRET), "{printed}");
        assert!(
            printed.contains("\u{2022}\u{2022}\u{2022}\u{2022}WrBt"),
            "{printed}"
        );
        assert_eq!(
            Secret::new("ab").hint(),
            "\u{2022}\u{2022}\u{2022}\u{2022}ab"
        );
    }
}
