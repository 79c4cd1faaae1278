//! Decides whether a click on one of the panel's sensitive buttons may act: only when the admin
//! could see that button, whole, uncovered and where it is now, for long enough to have meant it.
//!
//! The panel's frame sits in the page's DOM, so a page script can make it transparent, cover it
//! with a decoy that lets clicks through, or move it under the cursor just before a click
//! (clickjacking). The browser reports what the admin could see (an `IntersectionObserver` that
//! tracks visibility, in the frame) and the page agent reports when the frame moved; these rules
//! turn those sightings into a yes or a "wait", with the reason the panel shows. They are
//! deliberately strict: a button that was never seen, or was seen only a moment ago, does not act.

/// How long a button must have been fully visible, in the same place, before a click on it acts.
pub const SETTLE_MS: f64 = 500.0;

/// A button's box in the frame, in whole CSS pixels (sub-pixel jitter is not a move).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// From the frame's left edge.
    pub left: i32,
    /// From the frame's top edge.
    pub top: i32,
    /// Its width.
    pub width: i32,
    /// Its height.
    pub height: i32,
}

impl Place {
    /// The box from a `DOMRect`'s fields.
    pub fn from_rect(left: f64, top: f64, width: f64, height: f64) -> Self {
        // `as` saturates and maps NaN to 0: a box the browser cannot place is just another place.
        Place {
            left: left.round() as i32,
            top: top.round() as i32,
            width: width.round() as i32,
            height: height.round() as i32,
        }
    }
}

/// Why a click may not act yet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Wait {
    /// The button is not fully visible: hidden, transparent, covered, or out of view; or it was
    /// never seen at all.
    Unseen,
    /// It became visible, appeared, or moved a moment ago; it may act from `until_ms` on.
    Settling {
        /// When, on the frame's clock (`performance.now()`).
        until_ms: f64,
    },
}

impl Wait {
    /// What the panel says when a click was not acted on.
    pub fn refusal(self, button: &str) -> String {
        let button = button.trim();
        match self {
            Wait::Unseen => format!(
                "Your click on \u{201c}{button}\u{201d} was not acted on: the panel was hidden or covered by the page when you clicked. Check what the panel says, then click again."
            ),
            Wait::Settling { .. } => format!(
                "Your click on \u{201c}{button}\u{201d} was not acted on: the panel had just appeared or moved. Check what the panel says, then click again."
            ),
        }
    }

    /// The `data-waiting` value the button carries meanwhile, for its style and for tests.
    pub fn attribute(self) -> &'static str {
        match self {
            Wait::Unseen => "unseen",
            Wait::Settling { .. } => "settling",
        }
    }
}

/// What was last seen of one button.
#[derive(Debug, Clone, PartialEq)]
struct Sighting {
    action: String,
    place: Place,
    /// Since when it has been fully visible at `place`; `None` while it is not.
    visible_since: Option<f64>,
}

/// The sightings of the panel's sensitive buttons, by their `data-action`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClickGuard {
    sightings: Vec<Sighting>,
}

impl ClickGuard {
    /// The browser's report on one button at `at_ms`: whether it was fully visible, and where.
    /// A button seen in a new place counts as newly visible: it moved.
    pub fn saw(&mut self, action: &str, visible: bool, place: Place, at_ms: f64) {
        let since = |previous: Option<&Sighting>| match previous {
            _ if !visible => None,
            Some(seen) if seen.place == place && seen.visible_since.is_some() => seen.visible_since,
            _ => Some(at_ms),
        };
        match self.sightings.iter_mut().find(|seen| seen.action == action) {
            Some(seen) => {
                seen.visible_since = since(Some(seen));
                seen.place = place;
            }
            None => self.sightings.push(Sighting {
                action: action.to_owned(),
                place,
                visible_since: since(None),
            }),
        }
    }

    /// The panel's own redraw put a button at `place` at `at_ms`. The browser reports on it only
    /// later (its first report after a redraw waits for the next frame), so a button found
    /// elsewhere than last seen is new there from now on, and one not moved keeps its standing:
    /// the button's mark is never behind what a click would be judged by.
    pub fn redrawn(&mut self, action: &str, place: Place, at_ms: f64) {
        if let Some(seen) = self.sightings.iter_mut().find(|seen| seen.action == action) {
            if seen.place != place {
                seen.place = place;
                if seen.visible_since.is_some() {
                    seen.visible_since = Some(at_ms);
                }
            }
        }
    }

    /// The whole frame moved on the page at `at_ms`: every button under the cursor is new there.
    pub fn frame_moved(&mut self, at_ms: f64) {
        for seen in &mut self.sightings {
            if seen.visible_since.is_some() {
                seen.visible_since = Some(at_ms);
            }
        }
    }

    /// Forgets the buttons the panel no longer shows, so that one shown again starts unseen.
    pub fn keep_only(&mut self, actions: &[String]) {
        self.sightings.retain(|seen| actions.contains(&seen.action));
    }

    /// Whether a click on `action` at `now_ms` may act, or why not.
    pub fn judge(&self, action: &str, now_ms: f64) -> Result<(), Wait> {
        let since = self
            .sightings
            .iter()
            .find(|seen| seen.action == action)
            .and_then(|seen| seen.visible_since)
            .ok_or(Wait::Unseen)?;
        let until_ms = since + SETTLE_MS;
        if now_ms >= until_ms {
            Ok(())
        } else {
            Err(Wait::Settling { until_ms })
        }
    }

    /// The next moment a button's standing changes by time alone, if one will.
    pub fn next_change(&self, now_ms: f64) -> Option<f64> {
        self.sightings
            .iter()
            .filter_map(|seen| seen.visible_since.map(|since| since + SETTLE_MS))
            .filter(|&until| until > now_ms)
            .reduce(f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILL: &str = "fill";
    const HERE: Place = Place {
        left: 10,
        top: 200,
        width: 120,
        height: 30,
    };

    #[test]
    fn a_button_acts_only_after_it_was_seen_whole_for_half_a_second() {
        let mut guard = ClickGuard::default();
        assert_eq!(guard.judge(FILL, 0.0), Err(Wait::Unseen), "never seen");
        guard.saw(FILL, true, HERE, 1000.0);
        assert_eq!(
            guard.judge(FILL, 1200.0),
            Err(Wait::Settling { until_ms: 1500.0 })
        );
        assert_eq!(guard.next_change(1200.0), Some(1500.0));
        assert_eq!(guard.judge(FILL, 1500.0), Ok(()));
        assert_eq!(guard.next_change(1500.0), None);
        // Seen again, unchanged: still settled.
        guard.saw(FILL, true, HERE, 1700.0);
        assert_eq!(guard.judge(FILL, 1700.0), Ok(()));
    }

    #[test]
    fn hiding_covering_or_moving_the_button_starts_over() {
        let mut guard = ClickGuard::default();
        guard.saw(FILL, true, HERE, 0.0);
        guard.saw(FILL, false, HERE, 1000.0);
        assert_eq!(guard.judge(FILL, 1001.0), Err(Wait::Unseen), "hidden");
        guard.saw(FILL, true, HERE, 2000.0);
        assert!(
            guard.judge(FILL, 2100.0).is_err(),
            "visible again, a moment ago"
        );
        assert_eq!(guard.judge(FILL, 2500.0), Ok(()));

        let moved = Place { top: 240, ..HERE };
        guard.saw(FILL, true, moved, 3000.0);
        assert_eq!(
            guard.judge(FILL, 3100.0),
            Err(Wait::Settling { until_ms: 3500.0 })
        );

        guard.frame_moved(4000.0);
        assert_eq!(
            guard.judge(FILL, 4100.0),
            Err(Wait::Settling { until_ms: 4500.0 })
        );
        assert_eq!(guard.judge(FILL, 4500.0), Ok(()));
    }

    #[test]
    fn a_button_a_redraw_moved_waits_at_once_and_one_left_in_place_does_not() {
        let mut guard = ClickGuard::default();
        guard.saw(FILL, true, HERE, 1000.0);
        guard.redrawn(FILL, HERE, 1600.0);
        assert_eq!(
            guard.judge(FILL, 1600.0),
            Ok(()),
            "not moved: still settled"
        );
        let lower = Place { top: 260, ..HERE };
        guard.redrawn(FILL, lower, 1700.0);
        assert_eq!(
            guard.judge(FILL, 1700.0),
            Err(Wait::Settling { until_ms: 2200.0 }),
            "moved by the redraw: new there"
        );
        // The browser's report of the new place keeps that start rather than restarting it.
        guard.saw(FILL, true, lower, 1750.0);
        assert_eq!(guard.judge(FILL, 2200.0), Ok(()));
        // A button not yet seen stays unseen: a redraw is no sighting.
        guard.redrawn("capture", HERE, 1800.0);
        assert_eq!(guard.judge("capture", 1800.0), Err(Wait::Unseen));
        // Nor does a redraw make a hidden button visible.
        guard.saw(FILL, false, lower, 2300.0);
        guard.redrawn(FILL, HERE, 2400.0);
        assert_eq!(guard.judge(FILL, 2400.0), Err(Wait::Unseen));
    }

    #[test]
    fn a_button_shown_again_starts_unseen_and_others_are_judged_alone() {
        let mut guard = ClickGuard::default();
        guard.saw(FILL, true, HERE, 0.0);
        guard.saw("capture", false, HERE, 0.0);
        assert_eq!(guard.judge(FILL, 600.0), Ok(()));
        assert_eq!(guard.judge("capture", 600.0), Err(Wait::Unseen));
        guard.keep_only(&["capture".to_owned()]);
        assert_eq!(guard.judge(FILL, 700.0), Err(Wait::Unseen));
        // Sub-pixel differences are the same place.
        assert_eq!(
            Place::from_rect(10.2, 199.6, 119.9, 30.4),
            HERE,
            "rounded to whole pixels"
        );
    }

    #[test]
    fn the_refusal_names_the_button_and_the_reason() {
        assert!(Wait::Unseen
            .refusal(" Fill from acme.okta.com ")
            .starts_with("Your click on \u{201c}Fill from acme.okta.com\u{201d} was not acted on: the panel was hidden or covered"));
        assert!(Wait::Settling { until_ms: 1.0 }
            .refusal("Grant")
            .contains("had just appeared or moved"));
    }
}
