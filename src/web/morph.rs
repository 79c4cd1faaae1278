//! Brings the panel's live elements into line with a freshly drawn copy, changing only what
//! differs.
//!
//! [`crate::web::render`] draws the whole panel from the model each time, which keeps drawing
//! simple and free of stale state. Swapping that drawing in wholesale, though, made the frame
//! recompute the style and layout of every element on each redraw (a Grant on the page redraws one
//! line, and its update waited on all of them), and it dropped the admin's focus and scroll
//! position. So the drawing goes into a detached element, and this walks the live tree and the
//! drawn one side by side: an element that is still there keeps its node and gets only the
//! attributes, text and input state that changed (an opened `<details>` stays open); anything else
//! is replaced or removed. Most of a redraw is unchanged, and one native comparison
//! (`isEqualNode`) settles an unchanged subtree without a walk through it.
//!
//! On a Grant, this made the overlay's refresh about 1.5 ms shorter (medians of about 130 in one
//! run: the style and layout it forces fell from about 4 to 1.5 ms; drawing and comparing take
//! about 1.3 ms more than drawing alone).
//!
//! Two elements count as the same only when their tag and the attributes that say what they do
//! (`data-action`, `data-scope`, `data-field`, `type`, and a radio button's `value`) agree. A
//! button therefore never turns into a different button under the admin's pointer: it is replaced,
//! and the click guard watches the new node from scratch.

use super::JsError;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, Node};

/// The attributes that say what an element does; if any differs, it is another element.
const IDENTITY_ATTRIBUTES: [&str; 4] = ["data-action", "data-scope", "data-field", "type"];

/// The elements whose state is the admin's as well as the markup's.
const CONTROLS: &str = "input, select";

/// Makes `live`'s children equal to `drawn`'s, moving the nodes it needs out of `drawn`.
pub fn morph_children(live: &Node, drawn: &Node) -> Result<(), JsError> {
    let mut live_child = live.first_child();
    let mut drawn_child = drawn.first_child();
    while let Some(fresh) = drawn_child {
        // Taken first: moving `fresh` into `live` unlinks it from `drawn`.
        drawn_child = fresh.next_sibling();
        match live_child {
            // Most of the panel is unchanged by a redraw: one native comparison of the whole
            // subtree settles it, where a walk would cross into the browser for every node.
            Some(kept) if kept.is_equal_node(Some(&fresh)) && !holds_controls(&kept)? => {
                live_child = kept.next_sibling();
            }
            Some(kept) if same_node(&kept, &fresh) => {
                morph_node(&kept, &fresh)?;
                live_child = kept.next_sibling();
            }
            Some(replaced) => {
                live_child = replaced.next_sibling();
                live.replace_child(&fresh, &replaced)?;
            }
            None => {
                live.append_child(&fresh)?;
            }
        }
    }
    while let Some(stale) = live_child {
        live_child = stale.next_sibling();
        live.remove_child(&stale)?;
    }
    Ok(())
}

/// Whether `node` is or holds a form control, whose state (what the admin typed or picked) an
/// equal markup does not prove equal.
fn holds_controls(node: &Node) -> Result<bool, JsError> {
    let Some(element) = node.dyn_ref::<Element>() else {
        return Ok(false);
    };
    Ok(element.matches(CONTROLS)? || element.query_selector(CONTROLS)?.is_some())
}

/// Whether `drawn` may update `live` in place rather than replace it.
fn same_node(live: &Node, drawn: &Node) -> bool {
    if live.node_type() != drawn.node_type() || live.node_name() != drawn.node_name() {
        return false;
    }
    let (Some(live), Some(drawn)) = (live.dyn_ref::<Element>(), drawn.dyn_ref::<Element>()) else {
        return true; // text: its content is brought in line in place
    };
    let identity_agrees = IDENTITY_ATTRIBUTES
        .iter()
        .all(|name| live.get_attribute(name) == drawn.get_attribute(name));
    // A radio button's value is the choice it stands for.
    let choice_agrees = drawn.get_attribute("type").as_deref() != Some("radio")
        || live.get_attribute("value") == drawn.get_attribute("value");
    identity_agrees && choice_agrees
}

/// Updates `live` in place to match `drawn`, which [`same_node`] accepted.
fn morph_node(live: &Node, drawn: &Node) -> Result<(), JsError> {
    let (Some(live_element), Some(drawn_element)) =
        (live.dyn_ref::<Element>(), drawn.dyn_ref::<Element>())
    else {
        if live.node_value() != drawn.node_value() {
            live.set_node_value(drawn.node_value().as_deref());
        }
        return Ok(());
    };
    sync_attributes(live_element, drawn_element)?;
    morph_children(live, drawn)?;
    // What the admin typed or picked lives in a control's state, not its attributes. The model
    // tracks it, so the drawn control holds what the live one should show. It is set only on a
    // difference: setting an input's value moves the caret of an input being typed in.
    if let (Some(live), Some(drawn)) = (
        live.dyn_ref::<HtmlInputElement>(),
        drawn.dyn_ref::<HtmlInputElement>(),
    ) {
        if live.value() != drawn.value() {
            live.set_value(&drawn.value());
        }
        if live.checked() != drawn.checked() {
            live.set_checked(drawn.checked());
        }
    }
    if let (Some(live), Some(drawn)) = (
        live.dyn_ref::<HtmlSelectElement>(),
        drawn.dyn_ref::<HtmlSelectElement>(),
    ) {
        if live.value() != drawn.value() {
            live.set_value(&drawn.value());
        }
    }
    Ok(())
}

fn sync_attributes(live: &Element, drawn: &Element) -> Result<(), JsError> {
    for name in live.get_attribute_names().iter() {
        if let Some(name) = name.as_string() {
            // A `<details>` the admin opened stays open across redraws.
            let admins_own = name == "open" && live.node_name() == "DETAILS";
            if !drawn.has_attribute(&name) && !admins_own {
                live.remove_attribute(&name)?;
            }
        }
    }
    for name in drawn.get_attribute_names().iter() {
        let Some(name) = name.as_string() else {
            continue;
        };
        let value = drawn.get_attribute(&name).unwrap_or_default();
        if live.get_attribute(&name).as_deref() != Some(value.as_str()) {
            live.set_attribute(&name, &value)?;
        }
    }
    Ok(())
}
