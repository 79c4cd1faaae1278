//! Where the admin stands in the whole connection flow, per org, and the toolbar popup's view of it.
//!
//! The overlay notes what it saw ([`FlowEvent`]); the service worker keeps one [`FlowRecord`] per
//! org in the session store, next to the vault; the popup turns record and vault into [`Step`]s with
//! links to the right pages. No secret is ever part of a record.

use crate::diagnose::DiagnosisSummary;
use crate::host::{AdminHost, WorkflowsHost};
use crate::rotation::{Rotation, Stage};
use crate::vault::{SessionStore, StoreError, VaultLookup};
use serde::{Deserialize, Serialize};

/// Key prefix of flow records in the session store.
const KEY_PREFIX: &str = "flow/";

/// Something the overlay saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FlowEvent {
    /// The admin is on the org's Admin Console; the domain is noted.
    AdminSeen {
        /// `acme.okta.com`.
        org_domain: String,
        /// `acme-admin.okta.com`.
        admin_host: String,
        /// The Okta Workflows OAuth app's id, when on its page.
        app_id: Option<String>,
    },
    /// The scopes tab was read.
    Scopes {
        /// The org.
        org_domain: String,
        /// Whether every scope was seen granted.
        complete: bool,
        /// Scopes seen going from missing to granted just now.
        newly_granted: Vec<String>,
    },
    /// The connection form was filled.
    Filled {
        /// The org whose credentials were filled.
        org_domain: String,
        /// The Workflows console host.
        workflows_host: String,
        /// Whether it was an existing connection's Reauthorize form (a secret rotation's step).
        #[serde(default)]
        reauthorize: bool,
    },
    /// The admin asked why the connection fails; what Okta's records said.
    Diagnosed {
        /// The org.
        org_domain: String,
        /// The diagnosis, in words.
        summary: DiagnosisSummary,
    },
    /// A client secret rotation started: the new secret was created and put in the vault.
    RotationStarted {
        /// The org.
        org_domain: String,
        /// The rotation, at its first stage.
        rotation: Rotation,
    },
    /// A client secret rotation moved on (the admin confirmed the connection works, deactivated
    /// the old secret, or cancelled).
    RotationStage {
        /// The org.
        org_domain: String,
        /// Where it stands now.
        stage: Stage,
    },
}

impl FlowEvent {
    /// The event as the tab it came from can vouch for it: the org and the console hosts are
    /// those of the sender tab's own host (which the service worker reads from the browser, not
    /// from the message); only what the tab's host cannot say (the app id, the scopes seen, whose
    /// credentials were filled) is taken from the message.
    pub fn as_seen_from(self, tab_host: &str) -> Result<FlowEvent, &'static str> {
        let admin = AdminHost::parse(tab_host);
        match (self, admin) {
            (FlowEvent::AdminSeen { app_id, .. }, Some(admin)) => Ok(FlowEvent::AdminSeen {
                org_domain: admin.org_domain(),
                admin_host: admin.to_string(),
                app_id,
            }),
            (
                FlowEvent::Scopes {
                    complete,
                    newly_granted,
                    ..
                },
                Some(admin),
            ) => Ok(FlowEvent::Scopes {
                org_domain: admin.org_domain(),
                complete,
                newly_granted,
            }),
            (
                FlowEvent::Filled {
                    org_domain,
                    reauthorize,
                    ..
                },
                _,
            ) => match WorkflowsHost::parse(tab_host) {
                Some(workflows) => Ok(FlowEvent::Filled {
                    org_domain,
                    workflows_host: workflows.to_string(),
                    reauthorize,
                }),
                None => Err("A fill is noted only from an Okta Workflows console."),
            },
            // A rotation's secret calls are made on the org's own Admin Console.
            (FlowEvent::RotationStarted { rotation, .. }, Some(admin)) => {
                Ok(FlowEvent::RotationStarted {
                    org_domain: admin.org_domain(),
                    rotation,
                })
            }
            (FlowEvent::RotationStage { stage, .. }, Some(admin)) => Ok(FlowEvent::RotationStage {
                org_domain: admin.org_domain(),
                stage,
            }),
            (FlowEvent::Diagnosed { summary, .. }, Some(admin)) => Ok(FlowEvent::Diagnosed {
                org_domain: admin.org_domain(),
                summary,
            }),
            _ => Err("The Admin Console's steps are noted only from an Okta Admin Console."),
        }
    }

    fn org_domain(&self) -> &str {
        match self {
            FlowEvent::AdminSeen { org_domain, .. }
            | FlowEvent::Scopes { org_domain, .. }
            | FlowEvent::Filled { org_domain, .. }
            | FlowEvent::RotationStarted { org_domain, .. }
            | FlowEvent::RotationStage { org_domain, .. }
            | FlowEvent::Diagnosed { org_domain, .. } => org_domain,
        }
    }
}

/// What the helper knows of one org's flow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowRecord {
    /// `acme.okta.com`.
    pub org_domain: String,
    /// `acme-admin.okta.com`, once seen.
    pub admin_host: Option<String>,
    /// The Okta Workflows OAuth app's id, once seen.
    pub app_id: Option<String>,
    /// Whether the scopes tab last showed every scope granted; `None` until read.
    pub scopes_complete: Option<bool>,
    /// Scopes granted while the helper watched, since the last fill: existing connections must
    /// be reauthorized to get them.
    pub scopes_added: Vec<String>,
    /// The Workflows console the form was filled on, once filled.
    pub filled_on: Option<String>,
    /// The last client secret rotation, once one started.
    #[serde(default)]
    pub rotation: Option<Rotation>,
    /// The last diagnosis of the connection, once the admin asked for one.
    #[serde(default)]
    pub diagnosis: Option<DiagnosisSummary>,
}

impl FlowRecord {
    fn apply(&mut self, event: FlowEvent) {
        match event {
            FlowEvent::AdminSeen {
                admin_host, app_id, ..
            } => {
                self.admin_host = Some(admin_host);
                if app_id.is_some() {
                    self.app_id = app_id;
                }
            }
            FlowEvent::Scopes {
                complete,
                newly_granted,
                ..
            } => {
                self.scopes_complete = Some(complete);
                for scope in newly_granted {
                    if !self.scopes_added.contains(&scope) {
                        self.scopes_added.push(scope);
                    }
                }
            }
            FlowEvent::Filled {
                workflows_host,
                reauthorize,
                ..
            } => {
                if reauthorize {
                    // A step out of order (no rotation under way) changes nothing.
                    if let Some(rotation) = &mut self.rotation {
                        let _ = rotation.advance(Stage::Filled);
                    }
                } else {
                    self.filled_on = Some(workflows_host);
                }
            }
            FlowEvent::RotationStarted { rotation, .. } => self.rotation = Some(rotation),
            FlowEvent::Diagnosed { summary, .. } => self.diagnosis = Some(summary),
            FlowEvent::RotationStage { stage, .. } => {
                if let Some(rotation) = &mut self.rotation {
                    let _ = rotation.advance(stage);
                }
            }
        }
    }
}

/// The flow records over a session store.
pub struct FlowLog<'a, S> {
    store: &'a S,
}

impl<'a, S: SessionStore> FlowLog<'a, S> {
    /// The records in `store`.
    pub fn new(store: &'a S) -> Self {
        Self { store }
    }

    /// Records an event and returns the org's record.
    pub async fn note(&self, event: FlowEvent) -> Result<FlowRecord, StoreError> {
        let key = format!("{KEY_PREFIX}{}", event.org_domain());
        // An unreadable record is started afresh: it holds nothing that cannot be seen again.
        let mut record = match self.store.get::<FlowRecord>(&key).await {
            Ok(Some(record)) => record,
            Ok(None) | Err(StoreError::Undecodable(_)) => FlowRecord::default(),
            Err(error) => return Err(error),
        };
        record.org_domain = event.org_domain().to_owned();
        record.apply(event);
        self.store.set(&key, &record).await?;
        Ok(record)
    }

    /// Every org's record.
    pub async fn all(&self) -> Result<Vec<FlowRecord>, StoreError> {
        let mut records = Vec::new();
        for key in self.store.keys().await? {
            if key.starts_with(KEY_PREFIX) {
                if let Ok(Some(record)) = self.store.get::<FlowRecord>(&key).await {
                    records.push(record);
                }
            }
        }
        Ok(records)
    }
}

/// How far one step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    /// Done.
    Done,
    /// Not done yet.
    Todo,
    /// Was done, but no longer holds (credentials expired).
    Lapsed,
}

/// One line of the popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What the step is.
    pub title: String,
    /// How far it is.
    pub state: StepState,
    /// Detail: a time left, what to do next.
    pub detail: String,
    /// Where to do it.
    pub link: Option<String>,
}

/// The popup's steps for one org.
pub fn steps(record: &FlowRecord, vault: &VaultLookup, now_ms: f64) -> Vec<Step> {
    let admin = record.admin_host.as_deref();
    let app_page = |fragment: &str| match (admin, &record.app_id) {
        (Some(host), Some(id)) => Some(format!(
            "https://{host}/admin/app/flow/instance/{id}/{fragment}"
        )),
        (Some(host), None) => Some(format!("https://{host}/admin/apps/active")),
        _ => None,
    };
    let domain = Step {
        title: format!("Domain noted: {}", record.org_domain),
        state: if admin.is_some() {
            StepState::Done
        } else {
            StepState::Todo
        },
        detail: String::new(),
        link: admin.map(|host| format!("https://{host}/admin/dashboard")),
    };
    let credentials = match vault {
        VaultLookup::Ready(status) => Step {
            title: "Credentials captured".to_owned(),
            state: StepState::Done,
            detail: format!(
                "Client ID {}, secret {}; expires in {}",
                status.client_id,
                status.secret_hint,
                countdown(status.expires_at_ms - now_ms)
            ),
            link: app_page("#tab-signon"),
        },
        VaultLookup::Expired { .. } => Step {
            title: "Credentials captured".to_owned(),
            state: StepState::Lapsed,
            detail: "Expired. Capture them again on the Sign On tab.".to_owned(),
            link: app_page("#tab-signon"),
        },
        VaultLookup::Empty { .. } => Step {
            title: "Credentials captured".to_owned(),
            state: if record.filled_on.is_some() {
                StepState::Done
            } else {
                StepState::Todo
            },
            detail: if record.filled_on.is_some() {
                "Used for the connection and cleared.".to_owned()
            } else {
                "Not yet. Capture them on the Okta Workflows OAuth app's Sign On tab.".to_owned()
            },
            link: app_page("#tab-signon"),
        },
    };
    let scopes = Step {
        title: "Scopes complete".to_owned(),
        state: if record.scopes_complete == Some(true) {
            StepState::Done
        } else {
            StepState::Todo
        },
        detail: match record.scopes_complete {
            Some(true) => String::new(),
            Some(false) => "Grant okta.devices.manage on the Okta API Scopes tab.".to_owned(),
            None => "Not checked yet: open the Okta API Scopes tab.".to_owned(),
        },
        link: app_page("#tab-okta-api-scopes"),
    };
    let workflows = workflows_host_of(&record.org_domain);
    let filled = Step {
        title: "Connection filled".to_owned(),
        state: if record.filled_on.is_some() { StepState::Done } else { StepState::Todo },
        detail: match (&record.filled_on, record.scopes_added.is_empty()) {
            (Some(_), false) => format!(
                "Click Create. Scopes were added ({}): reauthorize existing Okta Devices connections.",
                record.scopes_added.join(", ")
            ),
            (Some(_), true) => "Click Create in the New Connection dialog.".to_owned(),
            (None, _) => "In Okta Workflows: Connections \u{2192} New Connection \u{2192} Okta Devices.".to_owned(),
        },
        link: workflows.map(|host| format!("https://{host}/app/connections")),
    };
    let mut steps = vec![domain, credentials, scopes, filled];
    // The last answer to "why does my connection fail?", until the admin asks again.
    if let Some(diagnosis) = &record.diagnosis {
        steps.push(Step {
            title: format!(
                "Why the connection fails: searched {}",
                crate::diagnose::display_time(&diagnosis.at)
                    .unwrap_or_else(|| diagnosis.at.clone())
            ),
            state: StepState::Done,
            detail: diagnosis.detail(),
            link: app_page("#tab-okta-api-scopes"),
        });
    }
    // A secret rotation is shown until it is done or cancelled, and then once more as its end.
    if let Some(rotation) = &record.rotation {
        steps.push(Step {
            title: "Client secret rotation".to_owned(),
            state: if rotation.is_over() {
                StepState::Done
            } else {
                StepState::Todo
            },
            detail: rotation.status(),
            link: app_page("#tab-signon"),
        });
    }
    steps
}

/// `acme.okta.com` → `acme.workflows.okta.com`, for the cells that run Workflows.
pub fn workflows_host_of(org_domain: &str) -> Option<String> {
    let (org, base) = org_domain.split_once('.')?;
    crate::host::WorkflowsHost::parse(&format!("{org}.workflows.{base}"))
        .map(|host| host.to_string())
}

/// `m:ss` for a duration in milliseconds; `0:00` once past.
pub fn countdown(remaining_ms: f64) -> String {
    let seconds = (remaining_ms / 1000.0).ceil().max(0.0) as u64;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

// The twin store is native-only, and so are these tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::vault::tests::ready;
    use crate::vault::{MemoryStore, VaultStatus};

    fn seen() -> FlowEvent {
        FlowEvent::AdminSeen {
            org_domain: "acme.okta.com".into(),
            admin_host: "acme-admin.okta.com".into(),
            app_id: Some("0oa1wf2oauthdemo0x7q".into()),
        }
    }

    #[test]
    fn events_build_one_record_per_org() {
        let store = MemoryStore::default();
        let log = FlowLog::new(&store);
        ready(log.note(seen())).expect("noted");
        ready(log.note(FlowEvent::Scopes {
            org_domain: "acme.okta.com".into(),
            complete: true,
            newly_granted: vec!["okta.devices.manage".into()],
        }))
        .expect("noted");
        let record = ready(log.note(FlowEvent::AdminSeen {
            org_domain: "acme.okta.com".into(),
            admin_host: "acme-admin.okta.com".into(),
            app_id: None,
        }))
        .expect("noted");
        assert_eq!(
            record.app_id.as_deref(),
            Some("0oa1wf2oauthdemo0x7q"),
            "kept"
        );
        assert_eq!(record.scopes_added, ["okta.devices.manage"]);
        assert_eq!(ready(log.all()).expect("all").len(), 1);
    }

    #[test]
    fn steps_link_to_the_right_pages_and_show_time_left() {
        let store = MemoryStore::default();
        let record = ready(FlowLog::new(&store).note(seen())).expect("noted");
        let vault = VaultLookup::Ready(VaultStatus {
            org_domain: "acme.okta.com".into(),
            client_id: "0oa1wf2oauthdemo0x7q".into(),
            secret_hint: "\u{2022}\u{2022}\u{2022}\u{2022}WrBt".into(),
            captured_at_ms: 0.0,
            expires_at_ms: 600_000.0,
        });
        let steps = steps(&record, &vault, 10_500.0);
        assert_eq!(steps[0].state, StepState::Done);
        assert_eq!(steps[1].state, StepState::Done);
        assert!(
            steps[1].detail.ends_with("expires in 9:50"),
            "{}",
            steps[1].detail
        );
        assert_eq!(
            steps[1].link.as_deref(),
            Some("https://acme-admin.okta.com/admin/app/flow/instance/0oa1wf2oauthdemo0x7q/#tab-signon")
        );
        assert_eq!(steps[2].state, StepState::Todo);
        assert_eq!(
            steps[3].link.as_deref(),
            Some("https://acme.workflows.okta.com/app/connections")
        );
    }

    #[test]
    fn expired_credentials_lapse_and_a_fill_reminds_to_reauthorize() {
        let record = FlowRecord {
            org_domain: "acme.okta.com".into(),
            scopes_added: vec!["okta.devices.manage".into()],
            filled_on: Some("acme.workflows.okta.com".into()),
            ..FlowRecord::default()
        };
        let expired = VaultLookup::Expired {
            org_domain: "acme.okta.com".into(),
            expired_at_ms: 5.0,
        };
        let steps = steps(&record, &expired, 10.0);
        assert_eq!(steps[1].state, StepState::Lapsed);
        assert!(
            steps[3].detail.contains("reauthorize"),
            "{}",
            steps[3].detail
        );
    }

    #[test]
    fn countdowns_and_workflows_hosts() {
        assert_eq!(countdown(600_000.0), "10:00");
        assert_eq!(countdown(59_001.0), "1:00");
        assert_eq!(countdown(-5.0), "0:00");
        assert_eq!(
            workflows_host_of("acme.oktapreview.com").as_deref(),
            Some("acme.workflows.oktapreview.com")
        );
        assert_eq!(workflows_host_of("acme.okta-gov.com"), None);
    }

    #[test]
    fn an_event_says_only_what_its_tab_can_vouch_for() {
        // The hosts come from the tab, whatever the message says.
        let claimed = FlowEvent::AdminSeen {
            org_domain: "victim.okta.com".into(),
            admin_host: "victim-admin.okta.com".into(),
            app_id: Some("0oa1".into()),
        };
        assert_eq!(
            claimed.as_seen_from("acme-admin.okta.com"),
            Ok(FlowEvent::AdminSeen {
                org_domain: "acme.okta.com".into(),
                admin_host: "acme-admin.okta.com".into(),
                app_id: Some("0oa1".into()),
            })
        );
        let scopes = FlowEvent::Scopes {
            org_domain: "victim.okta.com".into(),
            complete: true,
            newly_granted: vec![],
        };
        assert!(matches!(
            scopes.clone().as_seen_from("acme-admin.okta.com"),
            Ok(FlowEvent::Scopes { org_domain, .. }) if org_domain == "acme.okta.com"
        ));
        assert!(scopes.as_seen_from("acme.workflows.okta.com").is_err());
        // A fill is noted from the Workflows console it happened on, with the credentials' org.
        let filled = FlowEvent::Filled {
            org_domain: "acme.okta.com".into(),
            workflows_host: "victim.workflows.okta.com".into(),
            reauthorize: false,
        };
        assert_eq!(
            filled.clone().as_seen_from("beta.workflows.okta.com"),
            Ok(FlowEvent::Filled {
                org_domain: "acme.okta.com".into(),
                workflows_host: "beta.workflows.okta.com".into(),
                reauthorize: false,
            })
        );
        assert!(filled.as_seen_from("acme-admin.okta.com").is_err());
        // A rotation's steps come only from the org's own Admin Console.
        let stage = FlowEvent::RotationStage {
            org_domain: "victim.okta.com".into(),
            stage: Stage::Cancelled,
        };
        assert!(matches!(
            stage.clone().as_seen_from("acme-admin.okta.com"),
            Ok(FlowEvent::RotationStage { org_domain, .. }) if org_domain == "acme.okta.com"
        ));
        assert!(stage.as_seen_from("acme.workflows.okta.com").is_err());
    }

    #[test]
    fn the_last_diagnosis_is_shown_in_the_popup_and_noted_only_from_the_admin_console() {
        let summary = DiagnosisSummary {
            at: "2026-11-28T14:05:00.000Z".into(),
            verdicts: vec!["Okta rejected the connection's Client secret (invalid_client).".into()],
            searched: "Searched Okta's System Log from … to …: 1 failure for this app.".into(),
            problem: None,
        };
        let event = FlowEvent::Diagnosed {
            org_domain: "victim.okta.com".into(),
            summary: summary.clone(),
        };
        assert!(event
            .clone()
            .as_seen_from("acme.workflows.okta.com")
            .is_err());
        let seen = event
            .as_seen_from("acme-admin.okta.com")
            .expect("from the console");
        let store = MemoryStore::default();
        let record = ready(FlowLog::new(&store).note(seen)).expect("noted");
        assert_eq!(record.org_domain, "acme.okta.com");
        let lookup = VaultLookup::Empty {
            org_domain: "acme.okta.com".into(),
        };
        let shown = steps(&record, &lookup, 0.0);
        assert_eq!(shown.len(), 5);
        assert_eq!(
            shown[4].title,
            "Why the connection fails: searched 2026-11-28 14:05 UTC"
        );
        assert!(shown[4]
            .detail
            .starts_with("Okta rejected the connection's Client secret"));
        assert!(shown[4].detail.ends_with("1 failure for this app."));
        let refused = DiagnosisSummary {
            problem: Some("Okta refused to read the System Log (E0000006)".into()),
            ..summary
        };
        assert_eq!(
            refused.detail(),
            "Okta refused to read the System Log (E0000006)"
        );
    }

    #[test]
    fn a_rotation_is_kept_in_the_record_and_shown_until_it_ends() {
        use crate::rotation::SecretLabel;
        let store = MemoryStore::default();
        let log = FlowLog::new(&store);
        let label = |id: &str, last_four: &str| SecretLabel {
            id: id.into(),
            active: true,
            created: "2026-11-28T14:05:00.000Z".into(),
            last_four: last_four.into(),
        };
        ready(log.note(FlowEvent::RotationStarted {
            org_domain: "acme.okta.com".into(),
            rotation: Rotation {
                new_secret: label("ocsNEW", "nnnn"),
                old_secrets: vec![label("ocsOLD", "oooo")],
                stage: Stage::Created,
                started: "2026-11-28T14:05:00.000Z".into(),
            },
        }))
        .expect("noted");
        // The Reauthorize form's fill moves it on, and is no New Connection fill.
        let record = ready(log.note(FlowEvent::Filled {
            org_domain: "acme.okta.com".into(),
            workflows_host: "acme.workflows.okta.com".into(),
            reauthorize: true,
        }))
        .expect("noted");
        assert_eq!(record.filled_on, None);
        let rotation = record.rotation.clone().expect("a rotation");
        assert_eq!(rotation.stage, Stage::Filled);
        let lookup = VaultLookup::Empty {
            org_domain: "acme.okta.com".into(),
        };
        let shown = steps(&record, &lookup, 0.0);
        assert_eq!(shown.len(), 5);
        assert_eq!(shown[4].state, StepState::Todo);
        assert!(shown[4]
            .detail
            .starts_with("Step 3 of 4: check the connection."));
        assert!(
            shown[4].detail.contains("ending in nnnn")
                && shown[4].detail.contains("ending in oooo")
        );
        let record = ready(log.note(FlowEvent::RotationStage {
            org_domain: "acme.okta.com".into(),
            stage: Stage::Cancelled,
        }))
        .expect("noted");
        let shown = steps(&record, &lookup, 0.0);
        assert_eq!(shown[4].state, StepState::Done);
        assert!(shown[4]
            .detail
            .starts_with("Cancelled: both secrets stay active."));
    }
}
