//! The overlay's Diagnose job: on the admin's click, asks Okta's records why the Okta Devices
//! connection fails (the app, its grants and the System Log, read by [`crate::web::okta`] through
//! the page agent) and keeps the diagnosis for the panel. What the records mean is decided in
//! [`crate::diagnose`].

use super::{ask_worker, spawn_then, Overlay};
use crate::diagnose::DiagnoseReport;
use crate::flow::FlowEvent;
use crate::message::Message;
use crate::overlay_model::DiagnoseState;
use crate::page::{recognize, Page};
use crate::web::okta;
use crate::web::JsError;

impl Overlay {
    /// The org of this Admin Console page.
    fn org_domain(&self) -> Option<String> {
        match self.facts.as_ref().map(recognize)? {
            Page::Admin { host, .. } => Some(host.org_domain()),
            _ => None,
        }
    }

    /// "Why does my Okta Devices connection fail?": one search at a time. The end of the last
    /// search's window is the "last check" that grant reminders are measured from.
    pub(super) fn start_diagnose(&mut self) -> Result<(), JsError> {
        let last_check = match &self.ui.diagnose {
            Some(DiagnoseState::Searching) => return Ok(()),
            Some(DiagnoseState::Done(report)) if !report.until.is_empty() => {
                Some(report.until.clone())
            }
            _ => None,
        };
        let Some(context) = self.api_context() else {
            self.ui.diagnose = Some(DiagnoseState::Done(DiagnoseReport {
                problem: Some(
                    "The org's details are still loading. Try again in a moment.".to_owned(),
                ),
                ..DiagnoseReport::default()
            }));
            return self.refresh();
        };
        self.ui.diagnose = Some(DiagnoseState::Searching);
        let now_ms = js_sys::Date::now() as u64;
        spawn_then(
            async move { okta::diagnose(&context, now_ms, last_check.as_deref()).await },
            |overlay, report| {
                // The popup shows the last answer too.
                if let Some(org_domain) = overlay.org_domain() {
                    ask_worker(
                        Message::FlowNote {
                            event: FlowEvent::Diagnosed {
                                org_domain,
                                summary: report.summary(),
                            },
                        },
                        Overlay::on_flow_reply,
                    );
                }
                overlay.ui.diagnose = Some(DiagnoseState::Done(report));
                overlay.refresh()
            },
        );
        self.refresh()
    }
}
