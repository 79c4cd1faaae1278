//! Watches the panel's sensitive buttons with the browser's own visibility tracking, and holds
//! back a click the admin could not have seen: the browser adapter of [`crate::click_guard`].
//!
//! An `IntersectionObserver` with `trackVisibility` (Intersection Observer v2) reports, from
//! inside this frame, whether each button is fully on screen with nothing over it and no
//! opacity, filter or distorting transform on it or on any ancestor, the page's elements
//! included: the one thing a frame cannot otherwise learn about the page around it. The page
//! agent adds when the frame itself moved. Buttons that may not act yet carry `data-waiting`
//! (and `aria-disabled`); a click on one is refused with a reason, not silently dropped, so the
//! admin learns why once the panel is visible again.

use super::{with_overlay, Overlay};
use crate::click_guard::{ClickGuard, Place, Wait};
use crate::web::render::GUARDED_ACTIONS;
use crate::web::JsError;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// The attribute a guarded button carries while a click on it would not act: `unseen` or
/// `settling`.
const WAITING_ATTRIBUTE: &str = "data-waiting";

/// The least delay between visibility reports that Chrome allows, and the one it documents for
/// this use.
const REPORT_DELAY_MS: u32 = 100;

/// The panel's guarded buttons under watch.
pub(super) struct ButtonWatch {
    observer: IntersectionObserver,
    rules: ClickGuard,
    /// Redraws the buttons' waiting marks when a settling period ends.
    mark_later: Closure<dyn FnMut()>,
    timer: Option<i32>,
    /// Whether this browser reports visibility (Intersection Observer v2). Where it does not
    /// (Firefox), acting clicks are confirmed in the toolbar instead (see `crate::confirm`).
    tracks_visibility: bool,
}

impl ButtonWatch {
    /// Starts the observer; its reports go to [`Overlay::on_button_sightings`].
    pub(super) fn start() -> Result<Self, JsError> {
        let on_entries = Closure::<dyn FnMut(Array)>::new(|entries: Array| {
            with_overlay(|overlay| overlay.on_button_sightings(entries));
        });
        let init = IntersectionObserverInit::new();
        init.set_threshold_f64(1.0);
        // Not in web-sys's dictionary yet: set as plain properties, as a script would.
        Reflect::set(&init, &"trackVisibility".into(), &JsValue::TRUE)?;
        Reflect::set(&init, &"delay".into(), &REPORT_DELAY_MS.into())?;
        let observer =
            IntersectionObserver::new_with_options(on_entries.as_ref().unchecked_ref(), &init)?;
        on_entries.forget(); // the observer lives as long as the frame
        let mark_later = Closure::<dyn FnMut()>::new(|| {
            with_overlay(|overlay| {
                overlay.buttons.timer = None;
                overlay.buttons.mark(&overlay.root)
            });
        });
        let tracks_visibility =
            Reflect::get(&js_sys::global(), &"IntersectionObserverEntry".into())
                .and_then(|entry| Reflect::get(&entry, &"prototype".into()))
                .and_then(|prototype| Reflect::has(&prototype, &"isVisible".into()))
                .unwrap_or(false);
        Ok(ButtonWatch {
            observer,
            rules: ClickGuard::default(),
            mark_later,
            timer: None,
            tracks_visibility,
        })
    }

    /// Whether the browser reports whether each button could be seen.
    pub(super) fn tracks_visibility(&self) -> bool {
        self.tracks_visibility
    }

    /// Watches the guarded buttons the panel shows now (called after every redraw, which keeps
    /// a button's node only while it does the same thing) and forgets those it no longer shows.
    /// A button the redraw moved waits from now on, before the browser's report of it arrives
    /// (its first after a redraw waits for the next rendering). Called after the overlay has
    /// measured its height, so that reading the buttons' boxes forces no layout of its own.
    pub(super) fn watch(&mut self, root: &Element) -> Result<(), JsError> {
        self.observer.disconnect();
        let now = now();
        let mut shown = Vec::new();
        for button in guarded_buttons(root)? {
            self.observer.observe(&button);
            if let Some(action) = button.get_attribute("data-action") {
                let rect = button.get_bounding_client_rect();
                let place = Place::from_rect(rect.left(), rect.top(), rect.width(), rect.height());
                self.rules.redrawn(&action, place, now);
                shown.push(action);
            }
        }
        self.rules.keep_only(&shown);
        self.mark(root)
    }

    /// The browser's reports on the buttons.
    pub(super) fn saw(&mut self, entries: &Array, root: &Element) -> Result<(), JsError> {
        for entry in entries.iter() {
            let entry: IntersectionObserverEntry = entry.unchecked_into();
            let Some(action) = entry.target().get_attribute("data-action") else {
                continue;
            };
            // `isVisible` is absent where the browser cannot track visibility: then the button
            // is never known to be visible, and never acts.
            let visible = Reflect::get(&entry, &"isVisible".into())?.is_truthy()
                && entry.is_intersecting()
                && entry.intersection_ratio() >= 0.99;
            let rect = entry.bounding_client_rect();
            let place = Place::from_rect(rect.left(), rect.top(), rect.width(), rect.height());
            self.rules.saw(&action, visible, place, entry.time());
        }
        self.mark(root)
    }

    /// The page agent saw the frame move.
    pub(super) fn frame_moved(&mut self, root: &Element) -> Result<(), JsError> {
        self.rules.frame_moved(now());
        self.mark(root)
    }

    /// Whether a click on `action` may act now. Reports the browser computed but has not
    /// delivered yet are taken first, so that the answer is as fresh as the browser's.
    pub(super) fn judge(&mut self, action: &str, root: &Element) -> Result<(), Wait> {
        let pending = self.observer.take_records();
        if pending.length() > 0 && self.saw(&pending, root).is_err() {
            return Err(Wait::Unseen);
        }
        self.rules.judge(action, now())
    }

    /// Marks each guarded button that may not act yet, and wakes up when the next one may.
    fn mark(&mut self, root: &Element) -> Result<(), JsError> {
        let now = now();
        for button in guarded_buttons(root)? {
            let action = button.get_attribute("data-action").unwrap_or_default();
            // Without visibility reports, a click asks the toolbar instead of waiting here.
            let judged = if self.tracks_visibility {
                self.rules.judge(&action, now)
            } else {
                Ok(())
            };
            match judged {
                Ok(()) => {
                    button.remove_attribute(WAITING_ATTRIBUTE)?;
                    button.remove_attribute("aria-disabled")?;
                }
                Err(wait) => {
                    button.set_attribute(WAITING_ATTRIBUTE, wait.attribute())?;
                    button.set_attribute("aria-disabled", "true")?;
                }
            }
        }
        let window = web_sys::window().ok_or_else(|| JsError::new("no window"))?;
        if let Some(timer) = self.timer.take() {
            window.clear_timeout_with_handle(timer);
        }
        if let Some(at) = self.rules.next_change(now) {
            self.timer = Some(
                window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    self.mark_later.as_ref().unchecked_ref(),
                    (at - now).ceil() as i32 + 1,
                )?,
            );
        }
        Ok(())
    }
}

impl Overlay {
    fn on_button_sightings(&mut self, entries: Array) -> Result<(), JsError> {
        self.buttons.saw(&entries, &self.root)
    }
}

/// The panel's guarded buttons, in document order.
fn guarded_buttons(root: &Element) -> Result<Vec<Element>, JsError> {
    let selector = GUARDED_ACTIONS
        .iter()
        .map(|action| format!("[data-action=\"{action}\"]"))
        .collect::<Vec<_>>()
        .join(", ");
    let found = root.query_selector_all(&selector)?;
    Ok((0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect())
}

/// The frame's clock, as the observer's reports use it.
fn now() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}
