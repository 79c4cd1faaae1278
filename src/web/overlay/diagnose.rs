//! The overlay's Diagnose job: on the admin's click, asks Okta's records why the Okta Devices
//! connection fails (the app, its grants and the System Log, read by [`crate::web::okta`] through
//! the page agent) and keeps the diagnosis for the panel. What the records mean is decided in
//! [`crate::diagnose`].

use super::{spawn_then, Overlay};
use crate::diagnose::DiagnoseReport;
use crate::overlay_model::DiagnoseState;
use crate::web::okta;
use crate::web::JsError;

impl Overlay {
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
                overlay.ui.diagnose = Some(DiagnoseState::Done(report));
                overlay.refresh()
            },
        );
        self.refresh()
    }
}
